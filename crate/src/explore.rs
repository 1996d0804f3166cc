//! Exploratory statistics of a table, as plain data for the EDA panel's table and charts:
//! per-column summaries (pandas' `describe` definitions: standard deviation with n − 1,
//! quartiles by linear interpolation), histograms (numpy's: equal-width bins, the last one
//! closed), value counts, and the Pearson correlation matrix over pairwise-complete rows
//! (pandas' `DataFrame.corr`).

use crate::data::table::{Table, Values, MISSING_CODE};
use crate::data::tabular::quantile;
use serde::Serialize;

/// Bins of every histogram.
pub const HISTOGRAM_BINS: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSummary {
    pub name: String,
    /// "numeric" or "categorical".
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub count: usize,
    pub missing: usize,
    pub distinct: usize,
    /// Numeric columns with at least one value.
    pub numbers: Option<NumberSummary>,
    /// Categorical columns: each level and how often it occurs, in level order.
    pub levels: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberSummary {
    pub mean: f64,
    /// Sample standard deviation (n − 1); NaN for a single value, as pandas.
    pub std: f64,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
    pub histogram: Histogram,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    /// HISTOGRAM_BINS + 1 edges.
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
}

/// Summaries of every column, in table order.
pub fn summarize(table: &Table) -> Vec<ColumnSummary> {
    table.columns.iter().map(summarize_column).collect()
}

/// One column's summary.
fn summarize_column(c: &crate::data::table::Column) -> ColumnSummary {
    match &c.values {
        Values::Numeric(v) => {
            let mut present: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
            // Unstable is faster and the same here: equal values under total_cmp are equal bits.
            present.sort_unstable_by(f64::total_cmp);
            let mut distinct = present.clone();
            distinct.dedup();
            ColumnSummary {
                name: c.name.clone(),
                kind: "numeric",
                count: present.len(),
                missing: v.len() - present.len(),
                distinct: distinct.len(),
                numbers: number_summary(&present),
                levels: Vec::new(),
            }
        }
        Values::Text { codes, levels } => {
            let mut counts = vec![0usize; levels.len()];
            let mut missing = 0;
            for &code in codes {
                match counts.get_mut(code as usize) {
                    Some(n) if code != MISSING_CODE => *n += 1,
                    _ => missing += 1,
                }
            }
            ColumnSummary {
                name: c.name.clone(),
                kind: "categorical",
                count: codes.len() - missing,
                missing,
                distinct: counts.iter().filter(|&&n| n > 0).count(),
                numbers: None,
                levels: levels.iter().cloned().zip(counts).collect(),
            }
        }
    }
}

/// Statistics of sorted values (None when there are none).
fn number_summary(sorted: &[f64]) -> Option<NumberSummary> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let mean = sorted.iter().sum::<f64>() / n as f64;
    let var = sorted.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n as f64 - 1.0);
    Some(NumberSummary {
        mean,
        std: if n > 1 { libm::sqrt(var) } else { f64::NAN },
        min: sorted[0],
        q1: quantile(sorted, 0.25),
        median: quantile(sorted, 0.5),
        q3: quantile(sorted, 0.75),
        max: sorted[n - 1],
        histogram: histogram(sorted, HISTOGRAM_BINS),
    })
}

/// numpy.histogram: equal-width bins over [min, max] (± 0.5 when all values are equal), each
/// bin half-open except the last.
pub fn histogram(values: &[f64], bins: usize) -> Histogram {
    let (mut lo, mut hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    } else if lo == hi {
        (lo, hi) = (lo - 0.5, hi + 0.5);
    }
    let width = hi - lo;
    let edges: Vec<f64> = (0..=bins).map(|i| lo + width * i as f64 / bins as f64).collect();
    let mut counts = vec![0; bins];
    for &v in values {
        let mut b = (((v - lo) / width) * bins as f64) as usize;
        b = b.min(bins - 1);
        // Floating rounding can put a value on the wrong side of an edge: compare with the edges.
        if v < edges[b] {
            b -= 1;
        } else if b + 1 < bins && v >= edges[b + 1] {
            b += 1;
        }
        counts[b] += 1;
    }
    Histogram { edges, counts }
}

/// Pearson correlations between the numeric columns, each pair over the rows where both have
/// a value (NaN when fewer than two, or when one is constant there).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    pub names: Vec<String>,
    /// Row-major, names.len()².
    pub matrix: Vec<f64>,
}

pub fn correlation(table: &Table) -> Correlation {
    let mut job = EdaJob::new(table);
    while !job.correlation_step(table) {}
    job.correlation_result(table)
}

/// Indices of the numeric columns that have a value.
fn numeric_columns(table: &Table) -> Vec<usize> {
    (0..table.columns.len())
        .filter(|&i| matches!(&table.columns[i].values, Values::Numeric(v) if v.iter().any(|x| !x.is_nan())))
        .collect()
}

/// Column `i`'s name and values (a numeric column).
fn numeric(table: &Table, i: usize) -> (&str, &[f64]) {
    let c = &table.columns[i];
    match &c.values {
        Values::Numeric(v) => (c.name.as_str(), v.as_slice()),
        Values::Text { .. } => (c.name.as_str(), &[]),
    }
}

/// The summaries and correlations computed a piece at a time (one column, one centred column
/// or one row of the matrix per step), so a large table's statistics need not block the page.
/// The pieces are the same operations in the same order as in one go: the same bits.
#[derive(Debug, Clone)]
pub struct EdaJob {
    /// Indices of the numeric columns that have a value (`numeric_columns`).
    numeric: Vec<usize>,
    summaries: Vec<ColumnSummary>,
    /// Per numeric column: centred values and their sum of squares, when it has no missing value.
    centred: Vec<Option<(Vec<f64>, f64)>>,
    matrix: Vec<f64>,
    /// Matrix rows done.
    rows_done: usize,
}

impl EdaJob {
    pub fn new(table: &Table) -> EdaJob {
        let numeric = numeric_columns(table);
        let k = numeric.len();
        EdaJob { numeric, summaries: Vec::new(), centred: Vec::new(), matrix: vec![f64::NAN; k * k], rows_done: 0 }
    }

    /// Does the next piece; true when everything is done. `table` must be the same each call.
    pub fn step(&mut self, table: &Table) -> bool {
        if let Some(c) = table.columns.get(self.summaries.len()) {
            self.summaries.push(summarize_column(c));
            return false;
        }
        self.correlation_step(table)
    }

    /// Share of the work done, 0 to 1 (columns summarised, centred and matrix rows, counted alike).
    pub fn progress(&self, table: &Table) -> f64 {
        let total = table.columns.len() + 2 * self.numeric.len();
        let done = self.summaries.len() + self.centred.len() + self.rows_done;
        if total == 0 {
            1.0
        } else {
            done as f64 / total as f64
        }
    }

    fn correlation_step(&mut self, table: &Table) -> bool {
        let k = self.numeric.len();
        let column = |i: usize| numeric(table, self.numeric[i]).1;
        // A column without missing values is centred once for all its pairs; the sums are the
        // same as `pearson` computes, term by term, so the result is the same to the bit.
        if self.centred.len() < k {
            let v = column(self.centred.len());
            self.centred.push((v.len() >= 2 && !v.iter().any(|x| x.is_nan())).then(|| {
                let mean = v.iter().fold(0.0, |s, x| s + x) / v.len() as f64;
                let d: Vec<f64> = v.iter().map(|x| x - mean).collect();
                let ss = d.iter().fold(0.0, |s, x| s + x * x);
                (d, ss)
            }));
            return false;
        }
        if self.rows_done < k {
            let i = self.rows_done;
            for j in i..k {
                let r = match (&self.centred[i], &self.centred[j]) {
                    (Some((a, saa)), Some((b, sbb))) => {
                        let sab = a.iter().zip(b).fold(0.0, |s, (x, y)| s + x * y);
                        ratio(sab, *saa, *sbb)
                    }
                    _ => pearson(column(i), column(j)),
                };
                self.matrix[i * k + j] = r;
                self.matrix[j * k + i] = r;
            }
            self.rows_done += 1;
        }
        self.rows_done >= k
    }

    fn correlation_result(self, table: &Table) -> Correlation {
        Correlation {
            names: self.numeric.iter().map(|&i| numeric(table, i).0.to_owned()).collect(),
            matrix: self.matrix,
        }
    }

    /// The summaries and the correlations; call once `step` has returned true.
    pub fn finish(mut self, table: &Table) -> (Vec<ColumnSummary>, Correlation) {
        let summaries = std::mem::take(&mut self.summaries);
        (summaries, self.correlation_result(table))
    }
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let pairs = || a.iter().zip(b).filter(|(x, y)| !x.is_nan() && !y.is_nan());
    let n = pairs().count();
    if n < 2 {
        return f64::NAN;
    }
    let (ma, mb) = pairs().fold((0.0, 0.0), |(sa, sb), (x, y)| (sa + x, sb + y));
    let (ma, mb) = (ma / n as f64, mb / n as f64);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in pairs() {
        let (dx, dy) = (x - ma, y - mb);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    ratio(sab, saa, sbb)
}

fn ratio(sab: f64, saa: f64, sbb: f64) -> f64 {
    let denom = libm::sqrt(saa * sbb);
    if denom == 0.0 {
        f64::NAN
    } else {
        (sab / denom).clamp(-1.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::{read_csv, CsvOptions};

    #[test]
    fn quartiles_interpolate_like_pandas() {
        // pandas: Series([1, 2, 3, 4]).quantile([.25, .5, .75]) == [1.75, 2.5, 3.25]
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!([quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75)], [1.75, 2.5, 3.25]);
        assert_eq!(quantile(&[7.0], 0.25), 7.0);
    }

    #[test]
    fn histogram_matches_numpy_edges_and_closed_last_bin() {
        // numpy.histogram([0, 1, 1, 2, 10], bins=10): edges 0..10 step 1, counts [1,2,1,0,...,1]
        let h = histogram(&[0.0, 1.0, 1.0, 2.0, 10.0], 10);
        assert_eq!(h.edges, (0..=10).map(f64::from).collect::<Vec<_>>());
        assert_eq!(h.counts, [1, 2, 1, 0, 0, 0, 0, 0, 0, 1]);
        // One distinct value: the range widens by 0.5 each side, the value lands in the middle bin.
        let h = histogram(&[3.0, 3.0], 10);
        assert_eq!((h.edges[0], h.edges[10], h.counts[5]), (2.5, 3.5, 2));
    }

    #[test]
    fn summary_and_correlation_of_a_small_mixed_table() {
        let p = read_csv(b"x,y,c\n1,2,a\n2,4,b\n3,,a\n4,8,NA\n", CsvOptions::default()).expect("reads");
        let s = summarize(&p.table);
        let x = s[0].numbers.as_ref().expect("numeric");
        assert_eq!((s[0].count, s[0].missing, s[0].distinct), (4, 0, 4));
        assert_eq!((x.mean, x.min, x.median, x.max), (2.5, 1.0, 2.5, 4.0));
        assert!((x.std - 1.2909944487358056).abs() < 1e-15);
        assert_eq!((s[1].count, s[1].missing), (3, 1));
        assert_eq!(s[2].kind, "categorical");
        assert_eq!(s[2].levels, [("a".to_string(), 2), ("b".to_string(), 1)]);
        assert_eq!((s[2].count, s[2].missing, s[2].distinct), (3, 1, 2));
        let c = correlation(&p.table);
        assert_eq!(c.names, ["x", "y"]);
        // Rows 1, 2, 4 have both: y = 2x exactly.
        assert!((c.matrix[1] - 1.0).abs() < 1e-15 && c.matrix[0] == 1.0);
    }

    #[test]
    fn correlation_of_complete_columns_equals_the_pairwise_formula_to_the_bit() {
        let mut csv = String::from("a,b,c,d\n");
        let mut x = 1u64;
        for i in 0..500 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = (x >> 11) as f64 / (1u64 << 53) as f64;
            let d = if i % 9 == 0 { "NA".to_string() } else { format!("{}", r * 3.0 - i as f64 * 0.01) };
            csv.push_str(&format!("{},{},{},{d}\n", r * 10.0, i as f64 * 0.5 + r, 7.0 - r * r));
        }
        let t = read_csv(csv.as_bytes(), CsvOptions::default()).expect("reads").table;
        let c = correlation(&t);
        let cols: Vec<&[f64]> = t
            .columns
            .iter()
            .filter_map(|c| match &c.values {
                Values::Numeric(v) => Some(v.as_slice()),
                _ => None,
            })
            .collect();
        assert_eq!(cols.len(), 4);
        for i in 0..4 {
            for j in 0..4 {
                assert_eq!(c.matrix[i * 4 + j].to_bits(), pearson(cols[i], cols[j]).to_bits(), "({i}, {j})");
            }
        }
    }

    #[test]
    fn the_stepped_job_gives_what_one_go_gives_with_progress_rising_to_one() {
        let mut csv = String::from("a,kind,b,c\n");
        for i in 0..300 {
            let b = if i % 7 == 0 { "NA".to_string() } else { format!("{}", (i * i % 97) as f64 * 0.3) };
            csv.push_str(&format!("{},{},{b},{}\n", i as f64 * 0.1, ["x", "y", "z"][i % 3], (i % 11) as f64));
        }
        let t = read_csv(csv.as_bytes(), CsvOptions::default()).expect("reads").table;
        let mut job = EdaJob::new(&t);
        let mut progress = vec![job.progress(&t)];
        let mut steps = 0;
        while !job.step(&t) {
            progress.push(job.progress(&t));
            steps += 1;
        }
        progress.push(job.progress(&t));
        // 4 summaries, 3 numeric columns centred, 3 matrix rows: one piece per step.
        assert_eq!(steps, 9);
        assert!(progress.windows(2).all(|w| w[1] >= w[0]) && progress.last() == Some(&1.0), "{progress:?}");
        let (summaries, corr) = job.finish(&t);
        assert_eq!(summaries, summarize(&t));
        let whole = correlation(&t);
        assert_eq!(corr.names, whole.names);
        let bits = |m: &[f64]| m.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&corr.matrix), bits(&whole.matrix));
    }
}
