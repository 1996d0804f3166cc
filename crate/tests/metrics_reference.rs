//! Latih's metrics against scikit-learn's on fixed inputs, from
//! `tests/reference/metrics_expected.json` (written by `metrics_reference.py`, kept beside it).

use latih::metrics::{self, Curve};
use serde_json::Value;

const TOL: f64 = 1e-9;

fn expected() -> Value {
    serde_json::from_str(include_str!("../../tests/reference/metrics_expected.json")).expect("valid JSON")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

fn close(what: &str, got: f64, want: f64) {
    assert!((got - want).abs() <= TOL * want.abs().max(1.0), "{what}: Latih {got}, scikit-learn {want}");
}

fn close_all(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: lengths {got:?} vs {want:?}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        close(&format!("{what}[{i}]"), *g, *w);
    }
}

fn check_curve(what: &str, got: &Curve, want: &Value) {
    close_all(&format!("{what}.x"), &got.x, &floats(&want["x"]));
    close_all(&format!("{what}.y"), &got.y, &floats(&want["y"]));
    close(&format!("{what}.area"), got.area, want["area"].as_f64().expect("area"));
}

fn check_classification(name: &str) {
    let case = &expected()[name];
    let classes = case["classes"].as_u64().expect("classes") as usize;
    let truth = floats(&case["truth"]);
    let pred = floats(&case["pred"]);
    let proba: Vec<f64> = case["proba"].as_array().expect("rows").iter().flat_map(floats).collect();
    let r = metrics::classification(&truth, &pred, Some(&proba), classes);
    close("accuracy", r.accuracy, case["accuracy"].as_f64().expect("n"));
    close("balanced accuracy", r.balanced_accuracy, case["balanced_accuracy"].as_f64().expect("n"));
    close_all("precision", &r.per_class.iter().map(|c| c.precision).collect::<Vec<_>>(), &floats(&case["precision"]));
    close_all("recall", &r.per_class.iter().map(|c| c.recall).collect::<Vec<_>>(), &floats(&case["recall"]));
    close_all("f1", &r.per_class.iter().map(|c| c.f1).collect::<Vec<_>>(), &floats(&case["f1"]));
    let support: Vec<f64> = r.per_class.iter().map(|c| c.support as f64).collect();
    close_all("support", &support, &floats(&case["support"]));
    for (avg, got) in [("macro", r.macro_avg), ("weighted", r.weighted_avg)] {
        close_all(avg, &[got.precision, got.recall, got.f1], &floats(&case[avg]));
    }
    let confusion: Vec<Vec<f64>> = case["confusion"].as_array().expect("rows").iter().map(floats).collect();
    let got: Vec<Vec<f64>> = r.confusion.iter().map(|row| row.iter().map(|&c| c as f64).collect()).collect();
    assert_eq!(got, confusion, "{name} confusion");
    close("log loss", r.log_loss.expect("probabilities given"), case["log_loss"].as_f64().expect("n"));
    close("ROC AUC", r.roc_auc.expect("both outcomes"), case["roc_auc"].as_f64().expect("n"));
    let rocs = case["roc"].as_array().expect("curves");
    let prs = case["pr"].as_array().expect("curves");
    assert_eq!((r.roc.len(), r.pr.len()), (rocs.len(), prs.len()));
    for (i, (got, want)) in r.roc.iter().zip(rocs).enumerate() {
        check_curve(&format!("{name} ROC {i}"), got, want);
    }
    for (i, (got, want)) in r.pr.iter().zip(prs).enumerate() {
        check_curve(&format!("{name} PR {i}"), got, want);
    }
}

#[test]
fn binary_classification_metrics_match_scikit_learn() {
    check_classification("binary");
}

#[test]
fn multiclass_metrics_match_scikit_learn() {
    check_classification("multiclass");
}

#[test]
fn regression_metrics_match_scikit_learn() {
    let case = &expected()["regression"];
    let r = metrics::regression(&floats(&case["truth"]), &floats(&case["pred"]));
    for (name, got) in [("mse", r.mse), ("rmse", r.rmse), ("mae", r.mae), ("r2", r.r2)] {
        close(name, got, case[name].as_f64().expect("n"));
    }
}

#[test]
fn clustering_metrics_match_scikit_learn() {
    let case = &expected()["clustering"];
    let x: Vec<f64> = case["x"].as_array().expect("rows").iter().flat_map(floats).collect();
    let labels = floats(&case["labels"]);
    close("silhouette", metrics::silhouette(&x, 2, &labels), case["silhouette"].as_f64().expect("n"));
    let ari = latih::metrics::adjusted_rand_index(&floats(&case["truth"]), &labels);
    close("adjusted Rand", ari, case["adjusted_rand"].as_f64().expect("n"));
}
