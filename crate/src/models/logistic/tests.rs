use super::*;
use crate::data::Task;
use crate::models::{Fitted, ModelParams, Trainer};
use ndarray::Array2;

fn toy() -> (Array2<f64>, Array2<f64>) {
    let x = Array2::from_shape_vec((8, 2), vec![0., 0., 1., 0.2, 0.2, 1., 1., 1., 2., 2., 2.5, 1.8, 3., 3.2, 0.5, 2.7])
        .expect("shape");
    let grid = Array2::from_shape_vec((3, 2), vec![0.3, 0.1, 1.5, 1.5, 2.8, 2.9]).expect("shape");
    (x, grid)
}
const BINARY_Y: [f64; 8] = [0., 0., 0., 1., 1., 1., 1., 0.];
const MULTI_Y: [f64; 8] = [0., 0., 0., 1., 1., 2., 2., 2.];

// Written by linfa-logistic 0.8.1 (the model this module replaced) fitted on `toy()` with
// C = 1, and the probabilities it gave on the grid: both shapes of its serde form.
const LINFA_BINARY: &str = r#"{"model":"logistic","fitted":{"Binary":{"model":{"threshold":0.5,"intercept":1.8357746055215278,"params":{"v":1,"dim":[2],"data":[-1.1532257471408647,-0.30004765701029784]},"labels":{"pos":{"class":0,"label":1.0},"neg":{"class":1,"label":-1.0}}},"positive":0,"classes":2}}}"#;
const LINFA_BINARY_PROBA: [f64; 6] = [
    0.8115024070293119,
    0.18849759297068813,
    0.4148052655673612,
    0.5851947344326388,
    0.09420022677527194,
    0.905799773224728,
];
const LINFA_MULTI: &str = r#"{"model":"logistic","fitted":{"Multi":{"model":{"intercept":{"v":1,"dim":[3],"data":[1.8415909974709428,-0.1547658169998713,-1.6868251804710708]},"params":{"v":1,"dim":[2,3],"data":[-0.5927243254167225,0.23416640643814188,0.35855791897858125,-0.8199341475485882,-0.04212465722243656,0.8620588047710257]},"classes":[0,1,2]},"classes":3}}}"#;
const LINFA_MULTI_PROBA: [f64; 9] = [
    0.8101438315840376,
    0.15242964660733332,
    0.03742652180862904,
    0.24800946310775243,
    0.373964331269869,
    0.3780262056223786,
    0.014401779770721119,
    0.18903582565037771,
    0.7965623945789011,
];

fn params() -> LogisticParams {
    LogisticParams::default()
}

fn assert_close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tol, "{what}[{i}]: got {g}, want {w} (tolerance {tol})");
    }
}

#[test]
fn model_files_written_by_linfa_still_predict_as_they_did() {
    let (_, grid) = toy();
    for (json, want) in [(LINFA_BINARY, &LINFA_BINARY_PROBA[..]), (LINFA_MULTI, &LINFA_MULTI_PROBA[..])] {
        let fitted: Fitted = serde_json::from_str(json).expect("a linfa-era model reads");
        let p = fitted.predict_proba(grid.view()).expect("probabilities");
        // Not bit for bit: the portable exp is within 1e-11 of the platform's, which linfa used.
        assert_close(&p.iter().copied().collect::<Vec<_>>(), want, 1e-10, "linfa-era model");
        // Saved again, it is in this module's form and predicts the same.
        let again: Fitted = serde_json::from_str(&serde_json::to_string(&fitted).expect("saves")).expect("reads");
        assert_eq!(again.predict_proba(grid.view()), Some(p));
    }
}

#[test]
fn the_fit_reaches_the_optimum_linfa_found() {
    let (x, grid) = toy();
    for (y, classes, want) in [(&BINARY_Y, 2, &LINFA_BINARY_PROBA[..]), (&MULTI_Y, 3, &LINFA_MULTI_PROBA[..])] {
        let data = Data { x: x.view(), y, task: Task::Classification { classes } };
        let m = fit(&params(), &data, 100).expect("fits");
        assert!(m.converged(), "converged within 100 iterations (took {})", m.iterations());
        let p = m.predict_proba(grid.view()).expect("probabilities");
        assert_close(&p.iter().copied().collect::<Vec<_>>(), want, 1e-6, "probabilities against linfa's");
    }
}

#[test]
fn stepping_one_iteration_at_a_time_gives_the_same_bits_as_one_go() {
    let (x, grid) = toy();
    let data = Data { x: x.view(), y: &MULTI_Y, task: Task::Classification { classes: 3 } };
    let whole = fit(&params(), &data, 100).expect("fits");
    let mut m = fit(&params(), &data, 1).expect("fits");
    let mut costs = vec![];
    while !m.converged() && m.iterations() < 100 {
        costs.push(m.solver.as_ref().expect("solver kept").cost);
        let next = m.iterations() + 1;
        m = continue_fit(m, &params(), &data, next).expect("continues");
    }
    assert_eq!(m.iterations(), whole.iterations());
    assert_eq!(m.weights, whole.weights, "same weights, bit for bit");
    assert!(costs.windows(2).all(|w| w[1] < w[0]), "the cost falls at every iteration: {costs:?}");
    assert_eq!(m.predict_proba(grid.view()), whole.predict_proba(grid.view()));
}

#[test]
fn the_trainer_stops_when_the_fit_converges_and_reports_where() {
    let (x, _) = toy();
    let data = Data { x: x.view(), y: &BINARY_Y, task: Task::Classification { classes: 2 } };
    let mut t = Trainer::new(ModelParams::Logistic(params()), 0).expect("trainer");
    t.step(&data, 1).expect("steps");
    assert_eq!(t.progress(), (1, 100));
    assert_eq!(t.converged_at(), None);
    t.finish(&data).expect("finishes");
    let Some(Fitted::Logistic(m)) = t.fitted() else { panic!("not logistic") };
    assert!(m.converged() && m.iterations() < 100, "converged early, after {} iterations", m.iterations());
    assert_eq!(t.converged_at(), Some(m.iterations()));
    assert!(t.converged_by_gradient());
    assert!(t.finished());
}

#[test]
fn separable_data_with_a_weak_penalty_stays_finite() {
    // Two clusters far apart and C at its maximum: the weights grow large but stay finite.
    let x = Array2::from_shape_fn((40, 2), |(i, j)| if i < 20 { -5.0 } else { 5.0 } + (i * 7 + j * 3) as f64 * 0.01);
    let y: Vec<f64> = (0..40).map(|i| if i < 20 { 0.0 } else { 1.0 }).collect();
    let data = Data { x: x.view(), y: &y, task: Task::Classification { classes: 2 } };
    let m = fit(&LogisticParams { c: 1e4, iters: 1000 }, &data, 1000).expect("fits");
    assert!(m.weights.iter().all(|w| w.is_finite()), "weights {:?}", m.weights);
    assert_eq!(m.predict(x.view()), y);
}

#[test]
fn inconsistent_saved_models_are_refused_not_trusted() {
    let bad = [
        // a class beyond the task's classes
        r#"{"classes":2,"features":1,"modelled":[5],"negative":0,"weights":[1.0,0.0]}"#,
        // too few weights for the shape
        r#"{"classes":3,"features":2,"modelled":[0,1,2],"weights":[1.0]}"#,
        // a width that overflows
        r#"{"classes":3,"features":18446744073709551615,"modelled":[0,1,2],"weights":[]}"#,
        // no class at all
        r#"{"classes":3,"features":0,"modelled":[],"weights":[]}"#,
        // linfa's form with a shape that does not match its data
        r#"{"Multi":{"model":{"intercept":{"v":1,"dim":[3],"data":[1,2,3]},"params":{"v":1,"dim":[4611686018427387904,3],"data":[1,2]},"classes":[0,1,2]},"classes":3}}"#,
    ];
    let read_str = |json: &str| read(&mut serde_json::Deserializer::from_str(json));
    for json in bad {
        assert!(read_str(json).is_err(), "accepted {json}");
    }
    let good = r#"{"classes":2,"features":1,"modelled":[1],"negative":0,"weights":[2.0,-1.0]}"#;
    let m = read_str(good).expect("a consistent model reads");
    let p = m.predict_proba(Array2::from_elem((1, 1), 0.5).view()).expect("proba");
    assert_close(&[p[[0, 1]]], &[0.5], 1e-12, "σ(2·0.5 − 1)");
}
