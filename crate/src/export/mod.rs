//! What leaves the page as files: the trained model (a JSON file that opens again to predict
//! or keep training), the model's predictions as CSV, and the experiment as a Jupyter notebook
//! (`notebook`) or as a PySpark pipeline for a cluster (`spark`).
//!
//! Pure Rust over a `Session`, so the CLI and the tests produce the same files as the page.

use crate::data::table::{Column, Table, Values};
use crate::data::Task;
use crate::experiment::inputs::{source_table, Inputs};
use crate::experiment::run::Trained;
use crate::experiment::Session;
use serde::{Deserialize, Serialize};

mod notebook;
mod spark;
pub use notebook::notebook;
pub use spark::{spark, Spark};

/// What a model file says it is, checked before anything else is read.
pub const MODEL_FORMAT: &str = "latih-model";
pub const MODEL_VERSION: u32 = 1;
/// Largest model file read: a k-NN model holds its training data, a file's CSV can be large.
pub const MAX_MODEL_FILE: usize = 256_000_000;

/// A trained model as a file: the experiment (its text, with the data when it has the
/// person's file) and the trained state, weights and optimiser memory included.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    /// The experiment as `share::text` writes it.
    pub experiment: String,
    pub trained: Trained,
}

/// The model file of a session (`experiment_text` from `share::text::to_text`).
pub fn model_file(session: &Session, experiment_text: String) -> String {
    let file = ModelFile {
        format: MODEL_FORMAT.into(),
        version: MODEL_VERSION,
        experiment: experiment_text,
        trained: session.trained(true),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Whether the start of a file looks like a model file.
pub fn is_model_file(start: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&start[..start.len().min(64)]);
    text.trim_start().starts_with('{') && text.contains(MODEL_FORMAT)
}

/// Reads a model file, or says what is wrong with it.
pub fn read_model_file(bytes: &[u8]) -> Result<ModelFile, String> {
    if bytes.len() > MAX_MODEL_FILE {
        return Err(format!("it is larger than {} MB", MAX_MODEL_FILE / 1_000_000));
    }
    let file: ModelFile = serde_json::from_slice(bytes).map_err(|e| format!("it is not a Latih model file ({e})"))?;
    if file.format != MODEL_FORMAT {
        return Err(format!(
            "its format is “{}”, not {MODEL_FORMAT}",
            file.format.chars().take(40).collect::<String>()
        ));
    }
    if file.version > MODEL_VERSION {
        return Err(format!("it is version {}, newer than this app reads ({MODEL_VERSION})", file.version));
    }
    Ok(file)
}

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
    use crate::share::{decode, payload, text, trained_tail};

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

    /// A session opened from a model file, as the page does it.
    fn reopen(file: &str) -> (Session, Vec<String>) {
        let file = read_model_file(file.as_bytes()).expect("reads");
        let read = text::from_text(&file.experiment, payload::FILE);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let mut s = Session::with_table(read.decoded.experiment, None).expect("opens");
        let notices = s.restore(&file.trained).expect("restores");
        (s, notices)
    }

    fn theta(s: &Session) -> Vec<f64> {
        s.net().expect("a network").theta().to_vec()
    }

    #[test]
    fn a_network_saved_mid_training_predicts_the_same_and_trains_on_exactly() {
        for opt in ["sgd", "momentum", "adam"] {
            let link = format!("v=1&data=spiral&samples=200&hidden=6,4&act=relu&opt={opt}&lr=0.01");
            let mut s = session(&link);
            s.train_epochs(20);
            let file = model_file(&s, text::to_text(s.experiment(), None));
            assert!(is_model_file(file.as_bytes()), "{}", &file[..40]);
            let (mut back, notices) = reopen(&file);
            assert!(notices.is_empty(), "{notices:?}");
            assert_eq!(back.epoch(), 20);
            assert_eq!(theta(&back), theta(&s));
            assert_eq!(back.predict_part(true), s.predict_part(true));
            assert_eq!(back.history().last().map(|h| h.test_loss), s.history().last().map(|h| h.test_loss));
            // Ten more epochs on each: bit for bit the same as never having stopped.
            s.train_epochs(10);
            back.train_epochs(10);
            assert_eq!(theta(&back), theta(&s), "{opt}");
        }
    }

    #[test]
    fn a_link_with_weights_restores_the_exact_predictions() {
        let mut s = session("v=1&data=circle&samples=300&hidden=5,3&opt=adam&lr=0.03");
        s.train_epochs(37);
        let (tail, fitted) = trained_tail(&s.trained(true));
        assert!(fitted && tail.contains("&state="), "{tail}");
        let d = decode(&format!("{}{tail}", crate::share::encode(s.experiment())));
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let state = d.trained.expect("trained").state().expect("weights");
        let mut back = Session::with_table(d.experiment, None).expect("opens");
        back.restore(&state).expect("restores");
        assert_eq!(back.epoch(), 37);
        assert_eq!(back.predict_part(false), s.predict_part(false));
        assert_eq!(back.predict_part(true), s.predict_part(true));
        // Without weights, `trained=` replays the training: the same bits.
        let d = decode(&format!("{}&trained=37", crate::share::encode(s.experiment())));
        let mut replayed = Session::with_table(d.experiment, None).expect("opens");
        replayed.restore(&d.trained.expect("trained").state().expect("no weights")).expect("replays");
        assert_eq!(theta(&replayed), theta(&s));
        // Mangled weights: a notice, and the model starts untrained.
        let d = decode(&format!("{}&trained=37&state=AAAA", crate::share::encode(s.experiment())));
        assert!(d.trained.is_none() && d.notices.iter().any(|n| n.contains("weights")), "{:?}", d.notices);
    }

    #[test]
    fn a_classical_model_is_refitted_and_checked_against_the_file() {
        let mut s = session("v=1&data=iris&model=logistic&iters=50");
        s.train_epochs(12);
        let file = model_file(&s, text::to_text(s.experiment(), None));
        let (mut back, notices) = reopen(&file);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.predict_part(true), s.predict_part(true));
        // An edited model is not trusted: the refit is used, and the person told.
        let mut edited = read_model_file(file.as_bytes()).expect("reads");
        /// Changes the first non-integer number in a JSON value.
        fn nudge(v: &mut serde_json::Value) -> bool {
            match v {
                serde_json::Value::Number(n) if n.is_f64() => {
                    *v = serde_json::json!(n.as_f64().unwrap_or(0.0) + 1.0);
                    true
                }
                serde_json::Value::Array(a) => a.iter_mut().any(nudge),
                serde_json::Value::Object(o) => o.values_mut().any(nudge),
                _ => false,
            }
        }
        let m = edited.trained.model.as_mut().expect("fitted");
        let mut json = serde_json::to_value(&*m).expect("json");
        assert!(nudge(&mut json));
        *m = serde_json::from_value(json).expect("still a model");
        let (_, notices) = reopen(&serde_json::to_string(&edited).expect("json"));
        assert!(notices.iter().any(|n| n.contains("differs")), "{notices:?}");
    }

    #[test]
    fn wrong_or_hostile_model_files_are_refused_with_a_reason() {
        assert!(read_model_file(b"not json").expect_err("bad").contains("not a Latih model file"));
        let other =
            r#"{"format":"keras","version":1,"experiment":"","trained":{"epoch":0,"model":null,"optimizer":null}}"#;
        assert!(read_model_file(other.as_bytes()).expect_err("format").contains("keras"));
        // Weights for another network are refused, and the session is left as it was.
        let mut s = session("v=1&data=circle&hidden=4,2");
        s.train_epochs(3);
        let state = s.trained(true);
        let mut other = session("v=1&data=circle&hidden=5");
        let before = theta(&other);
        assert!(other.restore(&state).expect_err("shape").contains("another network"));
        assert_eq!(theta(&other), before);
        // Truncated weights are refused by length.
        let mut short = state.clone();
        if let Some(crate::models::Fitted::Mlp(m)) = &mut short.model {
            m.theta.pop();
        }
        let mut same = session("v=1&data=circle&hidden=4,2");
        assert!(same.restore(&short).is_err());
    }

    #[test]
    fn a_new_row_given_as_text_predicts_as_the_same_row_in_the_data() {
        for link in ["v=1&data=penguins&model=logistic", "v=1&data=diabetes&model=ridge", "v=1&data=moons&hidden=6"] {
            let mut s = session(link);
            s.train_epochs(30);
            let columns = s.input_columns();
            let (predicted, _) = s.predict_part(true);
            let test_rows = s.test_rows().to_vec();
            let raw_rows: Vec<Vec<String>> = match s.inputs() {
                Inputs::Table(t) => {
                    let spec = s.experiment().table.clone().expect("table");
                    let table = source_table(&spec, None).expect("shipped");
                    test_rows
                        .iter()
                        .map(|&i| {
                            columns
                                .iter()
                                .map(|c| cell(table.column(&c.name).expect("column"), t.table_rows[i]))
                                .collect()
                        })
                        .collect()
                }
                Inputs::Plane(_) => {
                    test_rows.iter().map(|&i| s.dataset().points[i].iter().map(f64::to_string).collect()).collect()
                }
            };
            for (raw, want) in raw_rows.iter().zip(&predicted) {
                let got = s.predict_raw(raw).expect("predicts");
                match (got.class, got.value) {
                    (Some(c), _) => assert_eq!(c as f64, *want, "{link} {raw:?}"),
                    (_, Some(v)) => assert!((v - want).abs() < 1e-9 * want.abs().max(1.0), "{link}: {v} vs {want}"),
                    _ => panic!("no prediction for {link}"),
                }
            }
        }
        let mut s = session("v=1&data=iris&model=pca");
        assert!(s.predict_raw(&[]).is_err());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod hostile {
    use super::*;
    use crate::share::{decode, payload, text};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// A real model file (a small trained network) to mangle.
    fn model_json() -> &'static str {
        static FILE: OnceLock<String> = OnceLock::new();
        FILE.get_or_init(|| {
            let mut s = Session::new(decode("v=1&data=xor&samples=60&hidden=3").experiment).expect("opens");
            s.train_epochs(3);
            model_file(&s, text::to_text(s.experiment(), None))
        })
    }

    /// Opens a model file as the page does; must never panic, whatever the bytes.
    fn open(bytes: &[u8]) {
        let Ok(file) = read_model_file(bytes) else { return };
        let read = text::from_text(&file.experiment, payload::FILE);
        if let Ok(mut s) = Session::with_table(read.decoded.experiment, None) {
            let _ = s.restore(&file.trained);
            let _ = s.predict_part(true);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_are_refused_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            open(&bytes);
        }

        #[test]
        fn truncated_or_mangled_model_files_never_panic(cut in 0usize..4000, edits in proptest::collection::vec((0usize..4000, any::<char>()), 0..6)) {
            let mut chars: Vec<char> = model_json().chars().collect();
            for (at, c) in edits {
                let n = chars.len();
                chars[at % n] = c;
            }
            let text: String = chars.iter().take(cut.max(1) * chars.len() / 4000 + 1).collect();
            open(text.as_bytes());
            open(chars.iter().collect::<String>().as_bytes());
        }
    }

    #[test]
    fn a_wrong_shape_hidden_in_a_valid_file_is_refused() {
        let mut file = read_model_file(model_json().as_bytes()).expect("reads");
        // The weights of a 3-neuron network, for an experiment that now asks for 5.
        file.experiment = file.experiment.replace("hidden = 3", "hidden = 5");
        let read = text::from_text(&file.experiment, payload::FILE);
        let mut s = Session::new(read.decoded.experiment).expect("opens");
        assert!(s.restore(&file.trained).is_err());
    }

    #[test]
    fn a_decompression_bomb_in_an_experiment_file_is_refused_by_size() {
        use std::io::Write as _;
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![b'0'; 1 << 20];
        for _ in 0..(payload::FILE.max_inflated >> 20) + 2 {
            z.write_all(&zeros).expect("write");
        }
        let bomb =
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, z.finish().expect("finish"));
        assert!(bomb.len() < 1_000_000, "{}", bomb.len());
        let read = text::from_text(&format!("{}\nv = 1\ndata = csv\ncsv = {bomb}\n", text::HEADER), payload::FILE);
        assert!(read.decoded.csv.is_none());
        assert!(read.problems.iter().any(|p| p.message.contains("inflates to more than")), "{:?}", read.problems);
    }
}
