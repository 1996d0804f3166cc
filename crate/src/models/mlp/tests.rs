use super::*;

fn net(hidden: Vec<usize>, act: Activation, output: Output, reg: Regularization) -> Mlp {
    Mlp::new(
        MlpParams {
            inputs: 3,
            hidden,
            output,
            activation: act,
            regularization: reg,
            reg_rate: 0.01,
            ..MlpParams::default()
        }
        .check()
        .expect("valid params"),
    )
}

/// Objective the analytic gradient is of: mean sample loss + regulariser.
fn objective(m: &mut Mlp, xs: &[f64], ts: &[f64]) -> f64 {
    let (loss, _) = m.evaluate(xs, ts);
    loss + m.regularization_penalty()
}

fn gradient_matches_finite_differences(act: Activation, output: Output, reg: Regularization) {
    let mut m = net(vec![5, 4], act, output, reg);
    // Shift biases off zero so ReLU kinks are not sat on.
    for v in m.theta_mut().iter_mut() {
        *v += 0.013;
    }
    let xs = [0.5, -1.2, 0.3, 1.5, 0.7, -0.4, -0.9, 0.2, 1.1, 0.05, -0.6, 0.8];
    let ts: Vec<f64> = match output {
        Output::Softmax { .. } => vec![0.0, 2.0, 1.0, 2.0],
        Output::Linear => vec![0.3, -0.5, 0.9, 0.1],
    };
    let n = ts.len();
    let rows: Vec<usize> = (0..n).collect();
    m.accumulate_rows(&xs, &ts, &rows, 1.0 / n as f64);
    m.add_regularization_gradient();
    let analytic = m.grad.clone();
    let h = 1e-6;
    for p in 0..m.parameter_count() {
        let orig = m.theta()[p];
        m.theta_mut()[p] = orig + h;
        let up = objective(&mut m, &xs, &ts);
        m.theta_mut()[p] = orig - h;
        let down = objective(&mut m, &xs, &ts);
        m.theta_mut()[p] = orig;
        let numeric = (up - down) / (2.0 * h);
        let err = (numeric - analytic[p]).abs() / (1e-7 + numeric.abs().max(analytic[p].abs()));
        assert!(err < 1e-5, "{act:?} {output:?} {reg:?} param {p}: numeric {numeric} analytic {}", analytic[p]);
    }
}

#[test]
fn backprop_matches_finite_differences_for_every_activation_and_loss() {
    for act in Activation::ALL {
        gradient_matches_finite_differences(act, Output::Softmax { classes: 3 }, Regularization::None);
        gradient_matches_finite_differences(act, Output::Linear, Regularization::None);
    }
    gradient_matches_finite_differences(Activation::Tanh, Output::Softmax { classes: 3 }, Regularization::L2);
    gradient_matches_finite_differences(Activation::Tanh, Output::Linear, Regularization::L1);
}

#[test]
fn softmax_outputs_are_probabilities() {
    let mut m = net(vec![4], Activation::Relu, Output::Softmax { classes: 5 }, Regularization::None);
    let p = m.forward(&[1.0, -2.0, 3.0]).to_vec();
    assert_eq!(p.len(), 5);
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(p.iter().all(|&v| v > 0.0));
}

#[test]
fn every_optimizer_reduces_the_loss_on_a_separable_problem() {
    // Class = (x0 > 0); a linearly separable toy set of 40 rows.
    let mut xs = vec![];
    let mut ts = vec![];
    for i in 0..40 {
        let x = (i as f64 - 19.5) / 10.0;
        xs.extend([x, 0.3 * x, -0.2]);
        ts.push(if x > 0.0 { 1.0 } else { 0.0 });
    }
    let rows: Vec<usize> = (0..40).collect();
    for opt in Optimizer::ALL {
        let mut m = Mlp::new(
            MlpParams { inputs: 3, hidden: vec![4], optimizer: opt, learning_rate: 0.05, ..MlpParams::default() }
                .check()
                .expect("valid"),
        );
        let (before, _) = m.evaluate(&xs, &ts);
        for _ in 0..50 {
            for b in rows.chunks(8) {
                m.train_batch(&xs, &ts, b);
            }
        }
        let (after, acc) = m.evaluate(&xs, &ts);
        assert!(after < before * 0.5, "{opt:?}: {before} -> {after}");
        assert!(acc.expect("classification") >= 0.95, "{opt:?} accuracy {acc:?}");
    }
}

#[test]
fn same_seed_same_weights_other_seed_other_weights() {
    let p = MlpParams { inputs: 3, ..MlpParams::default() };
    let a = Mlp::new(p.clone().check().expect("valid"));
    let b = Mlp::new(p.clone().check().expect("valid"));
    let c = Mlp::new(MlpParams { seed: 2, ..p }.check().expect("valid"));
    assert_eq!(a.theta(), b.theta());
    assert_ne!(a.theta(), c.theta());
}

#[test]
fn check_rejects_bad_params_naming_the_field() {
    let bad = [
        (MlpParams { hidden: vec![4; MAX_HIDDEN_LAYERS + 1], ..MlpParams::default() }, "hidden"),
        (MlpParams { hidden: vec![0], ..MlpParams::default() }, "hidden"),
        (MlpParams { hidden: vec![MAX_NEURONS + 1], ..MlpParams::default() }, "hidden"),
        (MlpParams { learning_rate: f64::NAN, ..MlpParams::default() }, "learning_rate"),
        (MlpParams { learning_rate: 0.0, ..MlpParams::default() }, "learning_rate"),
        (MlpParams { batch_size: 0, ..MlpParams::default() }, "batch_size"),
        (MlpParams { reg_rate: -1.0, ..MlpParams::default() }, "reg_rate"),
        (MlpParams { inputs: 0, ..MlpParams::default() }, "inputs"),
        (MlpParams { output: Output::Softmax { classes: 1 }, ..MlpParams::default() }, "output"),
    ];
    for (p, field) in bad {
        let e = p.check().expect_err("must be rejected");
        assert_eq!(e.field, field);
        assert!(!e.message.is_empty());
    }
}

#[test]
fn weights_view_has_layer_shape() {
    let m = net(vec![5, 4], Activation::Tanh, Output::Softmax { classes: 3 }, Regularization::None);
    assert_eq!(m.sizes(), &[3, 5, 4, 3]);
    assert_eq!(m.weights(0).shape(), &[5, 3]);
    assert_eq!(m.weights(2).shape(), &[3, 4]);
    assert_eq!(m.biases(1).len(), 4);
    assert_eq!(m.parameter_count(), 3 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
}
