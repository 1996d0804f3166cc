//! Metrics of predictions against truth, with scikit-learn's definitions (checked against it
//! by `crate/tests/metrics_reference.rs`). Plain slices in, plain numbers out.

use serde::Serialize;

/// Precision, recall and F1 of one class (or an average of them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Rows whose true class this is (for an average: all rows).
    pub support: usize,
}

/// A curve as parallel lists of points, with the threshold of each (scores at or above it
/// count as positive; the first point's threshold is +∞).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Curve {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub thresholds: Vec<f64>,
    /// Area under a ROC curve, or average precision of a precision–recall curve.
    pub area: f64,
}

/// Everything about a classifier's predictions on one part of the data.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ClassReport {
    pub accuracy: f64,
    /// Rows predicted right (accuracy's numerator).
    pub correct: usize,
    pub balanced_accuracy: f64,
    pub per_class: Vec<ClassScores>,
    pub macro_avg: ClassScores,
    pub weighted_avg: ClassScores,
    /// `confusion[truth][predicted]` counts.
    pub confusion: Vec<Vec<usize>>,
    /// When probabilities are known.
    pub log_loss: Option<f64>,
    /// ROC curve per class, one-vs-rest (binary: the positive class 1 only).
    pub roc: Vec<Curve>,
    /// Macro average of the ROC AUCs (classes without both outcomes in the truth are skipped).
    pub roc_auc: Option<f64>,
    pub pr: Vec<Curve>,
    /// Macro average of the precision–recall curves' average precisions.
    pub average_precision: Option<f64>,
}

/// A regressor's errors on one part.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct RegressionReport {
    pub mse: f64,
    pub rmse: f64,
    pub mae: f64,
    pub r2: f64,
    /// R²'s parts: the residual and the total sum of squares.
    pub ss_res: f64,
    pub ss_tot: f64,
}

fn ratio(num: f64, den: f64) -> f64 {
    // scikit-learn's zero_division default: 0 (with a warning there).
    if den == 0.0 {
        0.0
    } else {
        num / den
    }
}

/// `confusion[truth][predicted]`; labels outside 0..classes are ignored.
pub fn confusion(truth: &[f64], predicted: &[f64], classes: usize) -> Vec<Vec<usize>> {
    let mut m = vec![vec![0; classes]; classes];
    for (&t, &p) in truth.iter().zip(predicted) {
        let (t, p) = (t as usize, p as usize);
        if t < classes && p < classes && t as f64 >= 0.0 {
            m[t][p] += 1;
        }
    }
    m
}

/// A classifier's report; `proba` (rows × classes, row-major) adds log loss and the curves.
pub fn classification(truth: &[f64], predicted: &[f64], proba: Option<&[f64]>, classes: usize) -> ClassReport {
    let cm = confusion(truth, predicted, classes);
    let n: usize = cm.iter().flatten().sum();
    let hits: usize = (0..classes).map(|c| cm[c][c]).sum();
    let per_class: Vec<ClassScores> = (0..classes)
        .map(|c| {
            let tp = cm[c][c] as f64;
            let predicted_c: usize = (0..classes).map(|t| cm[t][c]).sum();
            let support: usize = cm[c].iter().sum();
            let precision = ratio(tp, predicted_c as f64);
            let recall = ratio(tp, support as f64);
            let f1 = ratio(2.0 * tp, (predicted_c + support) as f64);
            ClassScores { precision, recall, f1, support }
        })
        .collect();
    // scikit-learn averages over the labels present in the truth or the predictions.
    let present: Vec<&ClassScores> = per_class
        .iter()
        .enumerate()
        .filter(|(c, s)| s.support > 0 || (0..classes).any(|t| cm[t][*c] > 0))
        .map(|(_, s)| s)
        .collect();
    let mean = |f: fn(&ClassScores) -> f64| ratio(present.iter().map(|s| f(s)).sum(), present.len() as f64);
    let weighted =
        |f: fn(&ClassScores) -> f64| ratio(per_class.iter().map(|s| f(s) * s.support as f64).sum(), n as f64);
    let macro_avg =
        ClassScores { precision: mean(|s| s.precision), recall: mean(|s| s.recall), f1: mean(|s| s.f1), support: n };
    let weighted_avg = ClassScores {
        precision: weighted(|s| s.precision),
        recall: weighted(|s| s.recall),
        f1: weighted(|s| s.f1),
        support: n,
    };
    let with_truth: Vec<f64> = per_class.iter().filter(|s| s.support > 0).map(|s| s.recall).collect();
    let balanced_accuracy = ratio(with_truth.iter().sum(), with_truth.len() as f64);
    let mut report = ClassReport {
        accuracy: ratio(hits as f64, n as f64),
        correct: hits,
        balanced_accuracy,
        per_class,
        macro_avg,
        weighted_avg,
        confusion: cm,
        ..ClassReport::default()
    };
    if let Some(p) = proba.filter(|p| classes > 0 && p.len() == truth.len() * classes) {
        report.log_loss = Some(log_loss(truth, p, classes));
        let positives: Vec<usize> = if classes == 2 { vec![1] } else { (0..classes).collect() };
        let mut aucs = Vec::new();
        for c in positives {
            let scores: Vec<f64> = p.chunks_exact(classes).map(|r| r[c]).collect();
            let is_pos: Vec<bool> = truth.iter().map(|&t| t as usize == c).collect();
            let roc = roc_curve(&is_pos, &scores);
            if roc.area.is_finite() {
                aucs.push(roc.area);
            }
            report.roc.push(roc);
            report.pr.push(pr_curve(&is_pos, &scores));
        }
        report.roc_auc = (!aucs.is_empty()).then(|| aucs.iter().sum::<f64>() / aucs.len() as f64);
        let areas = report.pr.iter().map(|c| c.area);
        report.average_precision = (!report.pr.is_empty()).then(|| areas.sum::<f64>() / report.pr.len() as f64);
    }
    report
}

/// Mean cross-entropy, probabilities clipped to [1e-15, 1] as scikit-learn does, a row that is
/// not a distribution (beyond rounding) renormalised first, as it also does. The crate's one
/// log loss: the metrics panel's and the loss chart's of the classical models.
pub fn log_loss(truth: &[f64], proba: &[f64], classes: usize) -> f64 {
    let total: f64 = truth
        .iter()
        .zip(proba.chunks_exact(classes.max(1)))
        .map(|(&t, row)| {
            let sum: f64 = row.iter().sum();
            // Rows that are distributions up to rounding are used as they are, so the loss does
            // not depend on how their sum rounded; others are renormalised.
            let scale = if sum > 0.0 && (sum - 1.0).abs() > 1e-9 { sum } else { 1.0 };
            let p = row.get(t as usize).copied().unwrap_or(0.0) / scale;
            -libm::log(p.clamp(1e-15, 1.0))
        })
        .sum();
    ratio(total, truth.len() as f64)
}

/// Cumulative true and false positives at each distinct score, highest first.
fn cumulative(is_pos: &[bool], scores: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    // Stable, by descending score: ties keep row order, as scikit-learn's mergesort does.
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tps, mut fps, mut thresholds) = (Vec::new(), Vec::new(), Vec::new());
    let (mut tp, mut fp) = (0.0, 0.0);
    for (i, &r) in order.iter().enumerate() {
        if is_pos[r] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        let last_of_score = order.get(i + 1).is_none_or(|&next| scores[next] != scores[r]);
        if last_of_score {
            tps.push(tp);
            fps.push(fp);
            thresholds.push(scores[r]);
        }
    }
    (tps, fps, thresholds)
}

/// ROC curve (false positive rate → true positive rate) with every distinct threshold
/// (scikit-learn's `roc_curve(..., drop_intermediate=False)`) and its area (NaN when the truth
/// has only one outcome).
pub fn roc_curve(is_pos: &[bool], scores: &[f64]) -> Curve {
    let (tps, fps, th) = cumulative(is_pos, scores);
    let (p, n) = (tps.last().copied().unwrap_or(0.0), fps.last().copied().unwrap_or(0.0));
    let mut x = vec![0.0];
    let mut y = vec![0.0];
    let mut thresholds = vec![f64::INFINITY];
    for i in 0..tps.len() {
        x.push(if n > 0.0 { fps[i] / n } else { f64::NAN });
        y.push(if p > 0.0 { tps[i] / p } else { f64::NAN });
        thresholds.push(th[i]);
    }
    let area = if p > 0.0 && n > 0.0 {
        x.windows(2).zip(y.windows(2)).map(|(x, y)| (x[1] - x[0]) * (y[1] + y[0]) / 2.0).sum()
    } else {
        f64::NAN
    };
    Curve { x, y, thresholds, area }
}

/// Precision–recall curve (recall → precision) from the highest threshold down, starting at
/// recall 0 with precision 1 (scikit-learn's `precision_recall_curve`, reversed), and the
/// average precision (Σ (Rₙ − Rₙ₋₁) Pₙ, as `average_precision_score`).
pub fn pr_curve(is_pos: &[bool], scores: &[f64]) -> Curve {
    let (tps, fps, th) = cumulative(is_pos, scores);
    let p = tps.last().copied().unwrap_or(0.0);
    let mut x = vec![0.0];
    let mut y = vec![1.0];
    let mut thresholds = vec![f64::INFINITY];
    for i in 0..tps.len() {
        let recall = if p > 0.0 { tps[i] / p } else { 1.0 };
        let precision = ratio(tps[i], tps[i] + fps[i]);
        x.push(recall);
        y.push(precision);
        thresholds.push(th[i]);
    }
    let area = x.windows(2).zip(&y[1..]).map(|(r, &prec)| (r[1] - r[0]) * prec).sum();
    Curve { x, y, thresholds, area }
}

/// A regressor's errors.
pub fn regression(truth: &[f64], predicted: &[f64]) -> RegressionReport {
    let n = truth.len() as f64;
    let mse = mse(predicted, truth);
    let mae = ratio(predicted.iter().zip(truth).map(|(p, t)| (t - p).abs()).sum(), n);
    // One pass for R²'s parts, which the report shows too.
    let (ss_res, ss_tot) = sums_of_squares(predicted, truth);
    let r2 = if truth.is_empty() { f64::NAN } else { r2_of(ss_res, ss_tot) };
    RegressionReport { mse, rmse: mse.sqrt(), mae, r2, ss_res, ss_tot }
}

/// Mean silhouette coefficient (Euclidean) of a clustering of `x` (rows × `cols`,
/// row-major); points alone in their cluster count 0, as in scikit-learn. NaN with fewer than
/// two clusters or as many clusters as points. Quadratic: the caller bounds the rows.
pub fn silhouette(x: &[f64], cols: usize, labels: &[f64]) -> f64 {
    let n = labels.len();
    let mut ids: Vec<u64> = labels.iter().map(|l| l.to_bits()).collect();
    ids.sort_unstable();
    ids.dedup();
    let k = ids.len();
    if k < 2 || k >= n || cols == 0 {
        return f64::NAN;
    }
    let cluster: Vec<usize> = labels.iter().map(|l| ids.binary_search(&l.to_bits()).unwrap_or(0)).collect();
    let mut size = vec![0usize; k];
    for &c in &cluster {
        size[c] += 1;
    }
    let row = |i: usize| &x[i * cols..(i + 1) * cols];
    let mut total = 0.0;
    let mut sums = vec![0.0; k];
    for i in 0..n {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for j in 0..n {
            let d2: f64 = row(i).iter().zip(row(j)).map(|(a, b)| (a - b) * (a - b)).sum();
            sums[cluster[j]] += d2.sqrt();
        }
        let own = cluster[i];
        if size[own] < 2 {
            continue;
        }
        let a = sums[own] / (size[own] - 1) as f64;
        let b = (0..k).filter(|&c| c != own).map(|c| sums[c] / size[c] as f64).fold(f64::INFINITY, f64::min);
        total += (b - a) / a.max(b);
    }
    total / n as f64
}

/// Share of predictions equal to the targets.
pub fn accuracy(predicted: &[f64], truth: &[f64]) -> f64 {
    if truth.is_empty() {
        return f64::NAN;
    }
    let hits = predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
    hits as f64 / truth.len() as f64
}

/// Coefficient of determination: 1 − residual sum of squares / total sum of squares.
pub fn r2(predicted: &[f64], truth: &[f64]) -> f64 {
    if truth.is_empty() {
        return f64::NAN;
    }
    let (ss_res, ss_tot) = sums_of_squares(predicted, truth);
    r2_of(ss_res, ss_tot)
}

/// R² from its two parts (1 for a perfect fit of constant targets, 0 for an imperfect one).
fn r2_of(ss_res: f64, ss_tot: f64) -> f64 {
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}

/// The residual and the total sum of squares, R²'s two parts: Σ (t − p)² and Σ (t − t̄)².
pub fn sums_of_squares(predicted: &[f64], truth: &[f64]) -> (f64, f64) {
    let mean = truth.iter().sum::<f64>() / truth.len() as f64;
    let ss_tot: f64 = truth.iter().map(|t| (t - mean) * (t - mean)).sum();
    let ss_res: f64 = predicted.iter().zip(truth).map(|(p, t)| (t - p) * (t - p)).sum();
    (ss_res, ss_tot)
}

/// Mean squared error.
pub fn mse(predicted: &[f64], truth: &[f64]) -> f64 {
    let n = truth.len() as f64;
    predicted.iter().zip(truth).map(|(p, t)| (t - p) * (t - p)).sum::<f64>() / n
}

/// Adjusted Rand index of two labelings (1: the same partition, about 0: chance agreement).
/// Labels are compared as partitions, so cluster numbers need not match class numbers.
pub fn adjusted_rand_index(a: &[f64], b: &[f64]) -> f64 {
    use std::collections::BTreeMap;
    let n = a.len().min(b.len());
    if n < 2 {
        return 1.0;
    }
    let key = |v: f64| v.to_bits();
    let mut table: BTreeMap<(u64, u64), u64> = BTreeMap::new();
    let mut rows: BTreeMap<u64, u64> = BTreeMap::new();
    let mut cols: BTreeMap<u64, u64> = BTreeMap::new();
    for i in 0..n {
        *table.entry((key(a[i]), key(b[i]))).or_default() += 1;
        *rows.entry(key(a[i])).or_default() += 1;
        *cols.entry(key(b[i])).or_default() += 1;
    }
    let pairs = |c: u64| (c * c.saturating_sub(1) / 2) as f64;
    let index: f64 = table.values().map(|&c| pairs(c)).sum();
    let sum_rows: f64 = rows.values().map(|&c| pairs(c)).sum();
    let sum_cols: f64 = cols.values().map(|&c| pairs(c)).sum();
    let expected = sum_rows * sum_cols / pairs(n as u64);
    let max = (sum_rows + sum_cols) / 2.0;
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_parts_the_page_shows_come_from_the_report() {
        let r = regression(&[1.0, 2.0, 4.0], &[1.5, 2.0, 3.0]);
        // Residuals 0.5, 0, 1: 1.25. Mean 7/3: (4/3)² + (1/3)² + (5/3)² = 42/9.
        assert!((r.ss_res - 1.25).abs() < 1e-12, "{}", r.ss_res);
        assert!((r.ss_tot - 42.0 / 9.0).abs() < 1e-12, "{}", r.ss_tot);
        assert_eq!(r.r2, 1.0 - r.ss_res / r.ss_tot);
        let proba = [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.7, 0.3];
        let c = classification(&[0.0, 1.0, 1.0, 0.0], &[0.0, 1.0, 0.0, 0.0], Some(&proba), 2);
        assert_eq!(c.correct, 3);
        // Binary: the positive class's curve alone.
        assert_eq!(c.average_precision, Some(c.pr[0].area));
        let c = classification(&[0.0, 1.0, 2.0], &[0.0, 1.0, 1.0], None, 3);
        assert_eq!((c.correct, c.average_precision), (2, None));
    }

    use super::*;

    #[test]
    fn a_perfect_binary_classifier_scores_one_everywhere() {
        let truth = [0.0, 1.0, 1.0, 0.0];
        let proba = [0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.6, 0.4];
        let r = classification(&truth, &truth, Some(&proba), 2);
        assert_eq!(r.accuracy, 1.0);
        assert_eq!(r.confusion, vec![vec![2, 0], vec![0, 2]]);
        assert_eq!(r.roc_auc, Some(1.0));
        assert_eq!(r.pr[0].area, 1.0);
        assert_eq!(r.macro_avg.f1, 1.0);
    }

    #[test]
    fn a_class_never_predicted_has_zero_precision_not_nan() {
        let r = classification(&[0.0, 1.0, 2.0], &[0.0, 0.0, 0.0], None, 3);
        assert_eq!(r.per_class[1].precision, 0.0);
        assert!((r.balanced_accuracy - 1.0 / 3.0).abs() < 1e-12);
        assert!(r.log_loss.is_none());
    }

    #[test]
    fn silhouette_of_two_far_clusters_is_near_one() {
        let x = [0.0, 0.0, 0.1, 0.0, 10.0, 10.0, 10.1, 10.0];
        let s = silhouette(&x, 2, &[0.0, 0.0, 1.0, 1.0]);
        assert!(s > 0.98, "{s}");
        assert!(silhouette(&x, 2, &[0.0; 4]).is_nan());
    }
}
