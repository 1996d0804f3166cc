//! The EDA numbers of two shipped datasets (one with text columns and missing values) against
//! pandas and numpy, from `tests/reference/eda_expected.json` (written by
//! `tests/reference/eda_reference.py`). Tolerance: 1e-9 relative on every statistic; counts,
//! level counts and histogram counts exactly.

use latih::data::builtin;
use latih::explore::{correlation, summarize};
use serde_json::Value;

fn close(got: f64, want: &Value, what: &str) {
    match want.as_f64() {
        Some(w) => assert!((got - w).abs() <= 1e-9 * w.abs().max(1.0), "{what}: got {got}, pandas {w}"),
        None => assert!(got.is_nan(), "{what}: got {got}, pandas null"),
    }
}

#[test]
fn summaries_histograms_and_correlations_match_pandas() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/reference/eda_expected.json");
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("reference file")).expect("json");
    for (id, want) in expected["datasets"].as_object().expect("datasets") {
        let table = builtin::find(id).expect("a shipped dataset").table();
        assert_eq!(table.rows as u64, want["rows"].as_u64().expect("rows"), "{id}");
        let summaries = summarize(table);
        let columns = want["columns"].as_array().expect("columns");
        assert_eq!(summaries.len(), columns.len(), "{id}");
        for (s, w) in summaries.iter().zip(columns) {
            let what = format!("{id}.{}", s.name);
            assert_eq!(s.name, w["name"].as_str().expect("name"));
            assert_eq!(s.kind, w["type"].as_str().expect("type"), "{what}");
            for (got, key) in [(s.count, "count"), (s.missing, "missing"), (s.distinct, "distinct")] {
                assert_eq!(got as u64, w[key].as_u64().expect("count"), "{what}.{key}");
            }
            if let Some(n) = &s.numbers {
                for (got, key) in [
                    (n.mean, "mean"),
                    (n.std, "std"),
                    (n.min, "min"),
                    (n.q1, "q1"),
                    (n.median, "median"),
                    (n.q3, "q3"),
                    (n.max, "max"),
                ] {
                    close(got, &w[key], &format!("{what}.{key}"));
                }
                let h = &w["histogram"];
                for (i, e) in n.histogram.edges.iter().enumerate() {
                    close(*e, &h["edges"][i], &format!("{what}.edges[{i}]"));
                }
                let counts: Vec<u64> =
                    h["counts"].as_array().expect("counts").iter().filter_map(Value::as_u64).collect();
                assert_eq!(n.histogram.counts.iter().map(|&c| c as u64).collect::<Vec<_>>(), counts, "{what}");
            } else {
                let levels = w["levels"].as_object().expect("levels");
                assert_eq!(s.levels.len(), levels.len(), "{what}");
                for (name, count) in &s.levels {
                    assert_eq!(Some(*count as u64), levels[name].as_u64(), "{what}.{name}");
                }
            }
        }
        let corr = correlation(table);
        let names: Vec<&str> =
            want["correlation"]["names"].as_array().expect("names").iter().filter_map(Value::as_str).collect();
        assert_eq!(corr.names, names, "{id}");
        let k = names.len();
        for i in 0..k {
            for j in 0..k {
                close(corr.matrix[i * k + j], &want["correlation"]["matrix"][i][j], &format!("{id} corr[{i}][{j}]"));
            }
        }
    }
}
