use super::*;
use crate::data::rng::{Purpose, Rng};
use crate::data::{Generator, Task};
use crate::models::Fitted;

/// Written by linfa-svm 0.8.1 (what this module replaced) fitted on 12 points: per case its
/// link, the model file and what it predicted for 5 grid points (see `linfa_era_grid`).
const LINFA_ERA: &str = include_str!("linfa_era.json");

fn linfa_era_grid() -> Array2<f64> {
    Array2::from_shape_vec((5, 2), vec![0.3, 0.1, 1.5, 1.5, 2.8, 2.9, 0.4, 2.9, -1.0, 4.0]).expect("shape")
}

fn moons(n: usize, seed: u64) -> (Array2<f64>, Vec<f64>) {
    let d = Generator::Moons.generate(n, 0.2, 2, &mut Rng::new(seed, Purpose::Data));
    (Array2::from_shape_fn((d.len(), 2), |(i, j)| d.points[i][j]), d.targets)
}

#[test]
fn model_files_written_by_linfa_still_predict_as_they_did() {
    let cases: Vec<serde_json::Value> = serde_json::from_str(LINFA_ERA).expect("fixture");
    assert_eq!(cases.len(), 6);
    let grid = linfa_era_grid();
    for case in cases {
        let link = case["link"].as_str().unwrap_or_default();
        let fitted: Fitted = serde_json::from_value(case["file"].clone()).expect("a linfa-era model reads");
        let (predicted, proba) = fitted.predict_with_proba(grid.view());
        let want: Vec<f64> = serde_json::from_value(case["predictions"].clone()).expect("numbers");
        for (g, w) in predicted.iter().zip(&want) {
            // RBF: exp(−γd²) here against linfa's exp(−d²/(1/γ)); poly: vectors unscaled by √γ.
            assert!((g - w).abs() <= 1e-9 * w.abs().max(1.0), "{link}: predicted {g}, linfa {w}");
        }
        if let Some(want) = case["probabilities"].as_array() {
            let got = proba.expect("probabilities");
            for (g, w) in got.iter().zip(want) {
                // linfa computed Platt's sigmoid in f32.
                let w = w.as_f64().unwrap_or(f64::NAN);
                assert!((g - w).abs() <= 1e-6, "{link}: probability {g}, linfa {w}");
            }
        }
        // Saved again, it is in this module's form and predicts the same bits.
        let again: Fitted = serde_json::from_str(&serde_json::to_string(&fitted).expect("saves")).expect("reads");
        assert_eq!(again.predict_with_proba(grid.view()), (predicted, fitted.predict_proba(grid.view())), "{link}");
    }
}

#[test]
fn inconsistent_model_files_are_refused_with_a_reason() {
    let (x, y) = moons(60, 3);
    let m =
        fit_svm(&SvmParams::default(), &Data { x: x.view(), y: &y, task: Task::Classification { classes: 2 } }, STEPS)
            .expect("fits");
    let mut file = serde_json::to_value(Fitted::Svm(m)).expect("saves");
    file["fitted"]["machines"][0]["weights"].as_array_mut().expect("weights").pop();
    let e = serde_json::from_value::<Fitted>(file.clone()).expect_err("refused").to_string();
    assert!(e.contains("inconsistent") && e.contains("2 features"), "{e}");
    file["fitted"]["machines"] = serde_json::json!([]);
    assert!(serde_json::from_value::<Fitted>(file).is_err());
}

/// At the solution every support vector strictly inside the box lies on its margin
/// (y·f(x) = 1), rows outside the margin have α = 0, and Σ y·α = 0: the KKT conditions,
/// up to the solver's tolerance.
#[test]
fn the_solver_meets_the_optimality_conditions() {
    let (x, labels) = moons(120, 5);
    let (n, d) = x.dim();
    let flat: Vec<f64> = x.iter().copied().collect();
    for kernel in [
        KernelFn { kernel: Kernel::Rbf, gamma: 2.0, degree: 3 },
        KernelFn { kernel: Kernel::Poly, gamma: 0.5, degree: 3 },
        KernelFn { kernel: Kernel::Linear, gamma: 1.0, degree: 1 },
    ] {
        let c = 3.0;
        let k = kernel.matrix(&flat, n, d);
        let y: Vec<f64> = labels.iter().map(|&l| if l == 1.0 { 1.0 } else { -1.0 }).collect();
        let mut s = Dual::new(y.clone(), vec![-1.0; n], c);
        s.run(&k, n, STEPS * SMO_PER_STEP);
        assert!(s.converged, "{kernel:?}: converged");
        let rho = s.rho();
        let balance: f64 = s.alpha.iter().zip(&y).map(|(a, y)| a * y).sum();
        assert!(balance.abs() < 1e-9, "{kernel:?}: Σyα = {balance}");
        for i in 0..n {
            let f: f64 = (0..n).map(|j| s.alpha[j] * y[j] * k[j * n + i]).sum::<f64>() - rho;
            let margin = y[i] * f;
            let a = s.alpha[i];
            assert!((0.0..=c).contains(&a), "{kernel:?}: α out of the box");
            if a > 0.0 && a < c {
                assert!((margin - 1.0).abs() < 2e-3, "{kernel:?}: free support vector at margin {margin}");
            } else if a == 0.0 {
                assert!(margin > 1.0 - 2e-3, "{kernel:?}: row {i} inside the margin ({margin}) with α = 0");
            } else {
                assert!(margin < 1.0 + 2e-3, "{kernel:?}: bounded row {i} outside the margin ({margin})");
            }
        }
    }
}

#[test]
fn a_linear_machine_finds_the_widest_margin_and_regression_stays_in_its_tube() {
    // Two classes either side of x₁ = 0, the closest points at ±1: w = (1, 0), ρ = 0.
    let x = Array2::from_shape_vec((6, 2), vec![1., 0., 2., 1., 3., -1., -1., 0., -2., 1., -3., -1.]).expect("shape");
    let y = [1., 1., 1., 0., 0., 0.];
    let m = fit_svm(
        &SvmParams { kernel: Kernel::Linear, c: 1000.0, ..SvmParams::default() },
        &Data { x: x.view(), y: &y, task: Task::Classification { classes: 2 } },
        STEPS,
    )
    .expect("fits");
    let machine = &m.machines[0];
    assert!((machine.vectors[0] - 1.0).abs() < 1e-3 && machine.vectors[1].abs() < 1e-3, "w = {:?}", machine.vectors);
    assert!(machine.rho.abs() < 1e-3, "ρ = {}", machine.rho);
    assert_eq!(m.support_vectors(), 2);
    // y = 2x − 1 with a linear kernel and a 0.1 tube: every prediction within it.
    let x = Array2::from_shape_fn((20, 1), |(i, _)| i as f64 / 10.0);
    let y: Vec<f64> = x.iter().map(|v| 2.0 * v - 1.0).collect();
    let r = fit_svr(
        &SvrParams { kernel: Kernel::Linear, c: 100.0, epsilon: 0.1, ..SvrParams::default() },
        &Data { x: x.view(), y: &y, task: Task::Regression },
        STEPS,
    )
    .expect("fits");
    for (p, t) in r.predict(x.view()).iter().zip(&y) {
        assert!((p - t).abs() <= 0.1 + 1e-3, "{p} against {t}");
    }
}

#[test]
fn probabilities_follow_the_decision_and_agree_with_the_class() {
    let (x, y) = moons(200, 8);
    let m =
        fit_svm(&SvmParams::default(), &Data { x: x.view(), y: &y, task: Task::Classification { classes: 2 } }, STEPS)
            .expect("fits");
    let (a, _) = m.machines[0].platt.expect("Platt coefficients");
    assert!(a < 0.0, "a larger decision means a likelier positive class (a = {a})");
    let (predicted, proba) = m.predict_with_proba(x.view());
    let proba = proba.expect("probabilities");
    let agree = predicted.iter().zip(proba.rows()).filter(|(c, p)| (p[1] > 0.5) == (**c == 1.0)).count();
    assert!(agree as f64 >= 0.95 * predicted.len() as f64, "{agree} of {} agree", predicted.len());
    let accuracy = predicted.iter().zip(&y).filter(|(p, t)| p == t).count() as f64 / y.len() as f64;
    assert!(accuracy > 0.9, "training accuracy {accuracy}");
}

/// A hard problem takes several Trainer iterations: each one is a usable machine the page
/// draws, the solver resumes where it stopped, and the end is the one-shot fit.
#[test]
fn the_trainer_resumes_the_solver_and_reports_convergence() {
    use crate::models::{ModelParams, Trainer};
    let (x, y) = moons(400, 11);
    let data = Data { x: x.view(), y: &y, task: Task::Classification { classes: 2 } };
    let params = ModelParams::Svm(SvmParams { c: 1000.0, gamma: 20.0, ..SvmParams::default() });
    let mut t = Trainer::new(params.clone(), 1).expect("trainer");
    t.step(&data, 1).expect("step");
    assert!(!t.finished(), "one step of {SMO_PER_STEP} SMO iterations does not finish this problem");
    let first = serde_json::to_string(t.fitted().expect("a machine after one step")).expect("saves");
    let mut steps = 1;
    while !t.finished() {
        t.step(&data, 1).expect("step");
        steps += 1;
    }
    let at = t.converged_at().expect("converged before the cap");
    assert_eq!(at, steps, "converged at the last step taken");
    assert!(t.converged_by_gradient());
    let last = serde_json::to_string(t.fitted().expect("fitted")).expect("saves");
    assert_ne!(first, last, "the machine changed between the first step and the end");
    assert_eq!(last, serde_json::to_string(&params.fit(&data, 1).expect("fit")).expect("saves"));
}
