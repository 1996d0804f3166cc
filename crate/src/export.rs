//! What leaves the page as files: the model's predictions as CSV.
//!
//! Pure Rust over a `Session`, so the CLI and the tests produce the same files as the page.

use crate::data::table::{Column, Table, Values};
use crate::data::Task;
use crate::experiment::inputs::{source_table, Inputs};
use crate::experiment::Session;

/// Every row's prediction as CSV text: the row (its number in the table, or the point's
/// index), its part (train or test), its original inputs, the target, the prediction (a
/// class name for a classifier) and each class's probability where the model gives them.
/// Fails with the reason when the model predicts nothing (PCA) or is not fitted yet.
pub fn predictions_csv(session: &mut Session, user: Option<&Table>) -> Result<String, String> {
    use crate::models::Kind;
    let kind = session.experiment().kind();
    if kind == Kind::Reduction {
        return Err("PCA projects the data; it makes no predictions to export.".into());
    }
    let class_names: Vec<String> = match (&session.inputs(), session.task()) {
        (Inputs::Table(t), _) if !t.class_names.is_empty() => t.class_names.clone(),
        (_, Task::Classification { classes }) => (0..classes).map(|k| format!("class {k}")).collect(),
        _ => Vec::new(),
    };
    let spec = session.experiment().table.clone();
    let source = spec.as_ref().and_then(|s| source_table(s, user));
    let table_rows = match session.inputs() {
        Inputs::Table(t) => Some(t.table_rows.clone()),
        _ => None,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["row".to_string(), "part".into()];
    match source {
        Some(t) => header.extend(t.columns.iter().map(|c| c.name.clone())),
        None => header.extend(["x1".to_string(), "x2".into(), "target".into()]),
    }
    let label = if kind == Kind::Clustering { "cluster" } else { "predicted" };
    header.push(label.into());
    let err = |e: csv::Error| format!("The predictions could not be written: {e}");
    let mut wrote_probability_header = false;
    for test in [false, true] {
        let (predicted, proba) = session.predict_part(test);
        if predicted.iter().all(|p| p.is_nan()) && !predicted.is_empty() {
            return Err("The model is not fitted yet: train it first.".into());
        }
        if !wrote_probability_header {
            if let Some(p) = &proba {
                header.extend(
                    (0..p.ncols())
                        .map(|k| format!("p({})", class_names.get(k).cloned().unwrap_or_else(|| format!("{k}")))),
                );
            }
            w.write_record(&header).map_err(err)?;
            wrote_probability_header = true;
        }
        let rows: Vec<usize> = if test { session.test_rows() } else { session.train_rows() }.to_vec();
        for (j, &i) in rows.iter().enumerate() {
            let mut record: Vec<String> = Vec::with_capacity(header.len());
            match (source, &table_rows) {
                (Some(t), Some(kept)) => {
                    let r = kept[i];
                    record.push((r + 1).to_string());
                    record.push(if test { "test" } else { "train" }.into());
                    record.extend(t.columns.iter().map(|c| cell(c, r)));
                }
                _ => {
                    let d = session.dataset();
                    record.push((i + 1).to_string());
                    record.push(if test { "test" } else { "train" }.into());
                    record.push(d.points[i][0].to_string());
                    record.push(d.points[i][1].to_string());
                    record.push(match d.task {
                        Task::Classification { .. } => class_label(&class_names, d.targets[i]),
                        Task::Regression => d.targets[i].to_string(),
                    });
                }
            }
            let p = predicted[j];
            record.push(match kind {
                Kind::Classification => class_label(&class_names, p),
                _ if p.is_nan() => String::new(),
                Kind::Clustering if p < 0.0 => "noise".into(),
                _ => p.to_string(),
            });
            if let Some(pr) = &proba {
                record.extend(pr.row(j).iter().map(|v| format!("{v:.6}")));
            }
            w.write_record(&record).map_err(err)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A table cell as CSV text (empty when missing).
fn cell(c: &Column, row: usize) -> String {
    match &c.values {
        Values::Numeric(v) => v.get(row).filter(|x| !x.is_nan()).map(f64::to_string).unwrap_or_default(),
        Values::Text { codes, levels } => {
            codes.get(row).and_then(|&k| levels.get(k as usize)).cloned().unwrap_or_default()
        }
    }
}

/// A class index as its name (`class k` when unnamed).
fn class_label(names: &[String], k: f64) -> String {
    if k.is_nan() || k < 0.0 {
        return String::new();
    }
    names.get(k as usize).cloned().unwrap_or_else(|| format!("class {k}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::decode;

    fn session(link: &str) -> Session {
        let e = decode(link).experiment;
        Session::with_table(e, None).expect("opens")
    }

    #[test]
    fn a_trained_classifier_exports_every_row_with_class_names_and_probabilities() {
        let mut s = session("v=1&data=iris&train=60&model=logistic");
        s.train_epochs(200);
        let text = predictions_csv(&mut s, None).expect("exports");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().expect("header").iter().map(str::to_owned).collect();
        assert_eq!(&header[..2], ["row", "part"]);
        assert!(header.contains(&"species".to_string()) && header.contains(&"predicted".to_string()), "{header:?}");
        assert!(header.iter().any(|h| h == "p(setosa)"), "{header:?}");
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 150);
        let at = |name: &str| header.iter().position(|h| h == name).expect("column");
        let test: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[1] == "test").collect();
        assert_eq!(test.len(), 60);
        // The exported test predictions agree with the accuracy the session reports.
        let right = test.iter().filter(|r| r[at("species")] == r[at("predicted")]).count();
        let reported = s.history().last().and_then(|h| h.test_accuracy).expect("accuracy");
        assert!((right as f64 / 60.0 - reported).abs() < 1e-12, "{right} vs {reported}");
        // Probabilities of a row sum to 1.
        let p: f64 = header
            .iter()
            .enumerate()
            .filter(|(_, h)| h.starts_with("p("))
            .map(|(i, _)| rows[0][i].parse::<f64>().expect("p"))
            .sum();
        assert!((p - 1.0).abs() < 1e-5, "{p}");
    }

    #[test]
    fn a_regressor_exports_values_in_the_targets_own_units() {
        let mut s = session("v=1&data=diabetes&model=linear");
        s.train_epochs(1);
        let text = predictions_csv(&mut s, None).expect("exports");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().expect("header").iter().map(str::to_owned).collect();
        let (target, predicted) = (header.iter().position(|h| h == "progression").expect("target"), header.len() - 1);
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
        let values: Vec<(f64, f64)> =
            rows.iter().map(|r| (r[target].parse().expect("y"), r[predicted].parse().expect("ŷ"))).collect();
        let mean_y = values.iter().map(|v| v.0).sum::<f64>() / values.len() as f64;
        let mean_p = values.iter().map(|v| v.1).sum::<f64>() / values.len() as f64;
        // Disease progression is 25..346 with mean ~152; standardised predictions would be near 0.
        assert!((mean_p - mean_y).abs() < 15.0, "{mean_p} vs {mean_y}");
    }

    #[test]
    fn an_untrained_or_projecting_model_says_why_nothing_is_exported() {
        let mut s = session("v=1&data=iris&model=pca");
        assert!(predictions_csv(&mut s, None).expect_err("pca").contains("PCA"));
        let mut s = session("v=1&data=moons&model=tree");
        assert!(predictions_csv(&mut s, None).expect_err("unfitted").contains("train"));
        // The network predicts from its first weights, before any training.
        let mut s = session("v=1&data=moons&samples=100");
        let text = predictions_csv(&mut s, None).expect("exports");
        assert_eq!(text.lines().count(), 101);
        assert!(text.starts_with("row,part,x1,x2,target,predicted,p(class 0),p(class 1)"), "{}", &text[..80]);
    }
}
