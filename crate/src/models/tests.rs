//! The conformance suite: every registered model, through the one interface.

use super::*;
use crate::data::rng::{Purpose, Rng};
use crate::data::{Generator, Task};
use crate::metrics::{accuracy, adjusted_rand_index, r2};
use ndarray::Array2;

struct Sample {
    x: Array2<f64>,
    y: Vec<f64>,
    task: Task,
}

fn sample(g: Generator, classes: usize, n: usize) -> Sample {
    let d = g.generate(n, 0.1, classes, &mut Rng::new(3, Purpose::Data));
    let x = Array2::from_shape_fn((d.len(), 2), |(i, j)| d.points[i][j]);
    Sample { x, y: d.targets, task: d.task }
}

/// A ratings table as the recommender reads it: (user code, film code) rows and star ratings.
fn ratings_sample() -> Sample {
    let r = crate::data::films::films(1);
    let x = Array2::from_shape_fn((r.entries.len(), 2), |(t, j)| {
        let (u, i, _) = r.entries[t];
        [u, i][j] as f64
    });
    Sample { x, y: r.entries.iter().map(|e| e.2).collect(), task: Task::Regression }
}

fn data_for(info: &ModelInfo) -> Sample {
    if info.id == "als" {
        return ratings_sample();
    }
    match info.kind {
        Kind::Regression => sample(Generator::Plane, 2, 120),
        _ => sample(Generator::Blobs, 3, 120),
    }
}

fn every_model() -> impl Iterator<Item = (&'static ModelInfo, ModelParams)> {
    MODELS
        .iter()
        .filter(|m| m.id != "mlp")
        .map(|m| (m, ModelParams::default_for(m.id).expect("registered id has defaults")))
}

fn json(f: &Fitted) -> String {
    serde_json::to_string(f).expect("fitted model serialises")
}

#[test]
fn every_model_fits_predicts_the_right_shapes_and_scores() {
    for (info, params) in every_model() {
        let s = data_for(info);
        let data = Data { x: s.x.view(), y: &s.y, task: s.task };
        let fitted = params.fit(&data, 7).unwrap_or_else(|e| panic!("{}: {e}", info.id));
        let predicted = fitted.predict(s.x.view());
        assert_eq!(predicted.len(), s.x.nrows(), "{}: one prediction per row", info.id);
        assert!(predicted.iter().all(|v| v.is_finite()), "{}: finite predictions", info.id);
        if let Some(p) = fitted.predict_proba(s.x.view()) {
            assert_eq!(p.dim(), (s.x.nrows(), 3), "{}: rows × classes", info.id);
            for row in p.rows() {
                assert!((row.sum() - 1.0).abs() < 1e-9, "{}: probabilities sum to 1", info.id);
            }
        }
        let score = fitted.score(&data);
        match info.kind {
            Kind::Classification => assert!(score.expect("accuracy") > 0.8, "{}: accuracy {score:?}", info.id),
            Kind::Regression => assert!(score.expect("R²") > 0.3, "{}: R² {score:?}", info.id),
            Kind::Clustering => assert!(score.expect("ARI").is_finite(), "{}", info.id),
            Kind::Reduction => assert!((score.expect("variance kept") - 1.0).abs() < 1e-9, "{}", info.id),
        }
    }
}

#[test]
fn every_model_is_deterministic_under_a_seed() {
    for (info, params) in every_model() {
        let s = data_for(info);
        let data = Data { x: s.x.view(), y: &s.y, task: s.task };
        let a = params.fit(&data, 11).expect("fit");
        let b = params.fit(&data, 11).expect("fit");
        assert_eq!(json(&a), json(&b), "{}: same seed, same model", info.id);
    }
}

#[test]
fn every_model_round_trips_params_and_fitted_model_through_serde() {
    for (info, params) in every_model() {
        let map = params.to_map();
        assert_eq!(map["model"], info.id);
        assert_eq!(ModelParams::from_map(map).expect("own params read back"), params, "{}", info.id);
        let s = data_for(info);
        let data = Data { x: s.x.view(), y: &s.y, task: s.task };
        let fitted = params.fit(&data, 5).expect("fit");
        let back: Fitted = serde_json::from_str(&json(&fitted)).unwrap_or_else(|e| panic!("{}: {e}", info.id));
        assert_eq!(json(&back), json(&fitted), "{}", info.id);
        assert_eq!(back.predict(s.x.view()), fitted.predict(s.x.view()), "{}: same predictions", info.id);
    }
}

#[test]
fn every_setting_rejects_a_bad_value_with_a_message_naming_it() {
    for (info, params) in every_model() {
        for setting in info.settings {
            let bad = match setting.kind {
                schema::Kind::Int { max, .. } => Value::from(max + 1),
                schema::Kind::Float { min, .. } => Value::from(min - 1.0),
                schema::Kind::Choice { .. } => Value::from("no-such-option"),
            };
            let mut map = params.to_map();
            map.insert(setting.key.into(), bad);
            let err = ModelParams::from_map(map).expect_err("out of range is refused");
            assert_eq!(err.field, setting.key, "{}: {err}", info.id);
            assert!(!err.message.is_empty());
        }
    }
}

#[test]
fn data_dependent_limits_are_refused_with_a_message() {
    let s = sample(Generator::Blobs, 3, 12);
    let data = Data { x: s.x.view(), y: &s.y, task: s.task };
    for id in ["knn", "kmeans", "gmm"] {
        let mut map = ModelParams::default_for(id).expect("id").to_map();
        map.insert("k".into(), Value::from(13));
        let params = ModelParams::from_map(map).expect("within the declared range");
        let err = params.fit(&data.clone(), 1).map(|_| ()).expect_err("k above the rows");
        assert_eq!(err.field, "k", "{id}: {err}");
    }
    let regression = sample(Generator::Plane, 2, 20);
    let wrong = Data { x: regression.x.view(), y: &regression.y, task: regression.task };
    let err = ModelParams::default_for("svm").expect("svm").fit(&wrong, 1).map(|_| ()).expect_err("task");
    assert!(err.message.contains("classification"), "{err}");
}

#[test]
fn stepping_a_trainer_to_the_end_gives_the_one_shot_model() {
    for (info, params) in every_model() {
        let s = data_for(info);
        let data = Data { x: s.x.view(), y: &s.y, task: s.task };
        let mut t = Trainer::new(params.clone(), 9).expect("trainer");
        let mut steps = 0;
        while !t.finished() {
            t.step(&data, 1).unwrap_or_else(|e| panic!("{}: {e}", info.id));
            steps += 1;
        }
        assert!(steps <= params.iterations(), "{}: at most one step per iteration", info.id);
        let whole = params.fit(&data, 9).expect("fit");
        assert_eq!(json(t.fitted().expect("fitted")), json(&whole), "{}", info.id);
    }
}

#[test]
fn kmeans_moves_its_centres_between_steps() {
    let s = sample(Generator::Blobs, 4, 200);
    let data = Data { x: s.x.view(), y: &s.y, task: s.task };
    let params = ModelParams::KMeans(cluster::KMeansParams { k: 4, init: cluster::Init::Random, iters: 50 });
    let mut t = Trainer::new(params, 2).expect("trainer");
    t.step(&data, 1).expect("step");
    let first = json(t.fitted().expect("fitted"));
    t.finish(&data).expect("finish");
    assert_ne!(first, json(t.fitted().expect("fitted")), "the animation has something to show");
}

#[test]
fn the_mlp_joins_the_interface() {
    let s = sample(Generator::Blobs, 3, 150);
    let data = Data { x: s.x.view(), y: &s.y, task: s.task };
    let params = mlp::MlpParams { hidden: vec![8], learning_rate: 0.1, ..mlp::MlpParams::default() };
    let model = mlp::fit(params.clone(), &data, 40).expect("fit");
    let fitted = Fitted::Mlp(model.clone());
    assert_eq!(fitted.predict(s.x.view()).len(), 150);
    assert!(fitted.score(&data).expect("accuracy") > 0.8);
    let back: Fitted = serde_json::from_str(&json(&fitted)).expect("round trip");
    assert_eq!(back.predict(s.x.view()), fitted.predict(s.x.view()));
    assert_eq!(json(&Fitted::Mlp(mlp::fit(params, &data, 40).expect("fit"))), json(&fitted), "deterministic");
}

#[test]
fn scores_are_the_textbook_ones() {
    assert_eq!(accuracy(&[0.0, 1.0, 1.0, 2.0], &[0.0, 1.0, 2.0, 2.0]), 0.75);
    assert_eq!(r2(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), 1.0);
    assert!((r2(&[2.0, 2.0, 2.0], &[1.0, 2.0, 3.0])).abs() < 1e-15);
    assert_eq!(adjusted_rand_index(&[0.0, 0.0, 1.0, 1.0], &[5.0, 5.0, 3.0, 3.0]), 1.0);
    // Known value: scikit-learn adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715.
    assert!((adjusted_rand_index(&[0.0, 0.0, 1.0, 1.0], &[0.0, 0.0, 1.0, 2.0]) - 0.5714285714285715).abs() < 1e-12);
}

/// Ties everywhere (a coarse grid of values, overlapping classes): every fit of the same data
/// grows the same model, however many hash maps the process made before (linfa-trees' did not).
#[test]
fn fits_with_many_ties_are_identical_every_time() {
    let n = 240;
    let x = Array2::from_shape_fn((n, 3), |(i, j)| ((i * (j + 3)) % 5) as f64);
    let y: Vec<f64> = (0..n).map(|i| ((i * 7) % 3) as f64).collect();
    let data = Data { x: x.view(), y: &y, task: Task::Classification { classes: 3 } };
    for (info, params) in every_model().filter(|(m, _)| m.kind == Kind::Classification) {
        let first = json(&params.fit(&data, 5).expect("fits"));
        for _ in 0..20 {
            let _churn: std::collections::HashMap<u8, u8> = (0..8).map(|k| (k, k)).collect();
            assert_eq!(json(&params.fit(&data, 5).expect("fits")), first, "{} changed between fits", info.id);
        }
    }
}

/// The boundary view asks for both at once; it must get exactly what it would one by one.
#[test]
fn predicting_with_probabilities_at_once_matches_one_by_one() {
    for (info, params) in every_model() {
        let s = data_for(info);
        let data = Data { x: s.x.view(), y: &s.y, task: s.task };
        let fitted = params.fit(&data, 3).expect("fit");
        let (predicted, proba) = fitted.predict_with_proba(s.x.view());
        assert_eq!(predicted, fitted.predict(s.x.view()), "{}", info.id);
        assert_eq!(proba, fitted.predict_proba(s.x.view()), "{}", info.id);
    }
}
