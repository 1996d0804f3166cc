use super::*;
use crate::data::Generator;
use crate::models::mlp::Optimizer;

#[test]
fn default_experiment_learns_the_circle() {
    let mut s = Session::new(Experiment::default()).expect("valid");
    assert_eq!(s.train_rows().len() + s.test_rows().len(), 500);
    assert_eq!(s.train_rows().len(), 250);
    let first = s.history()[0];
    s.train_epochs(300);
    let last = *s.history().last().expect("history");
    assert_eq!(last.epoch, 300);
    assert!(last.train_loss < first.train_loss * 0.3, "{first:?} -> {last:?}");
    assert!(last.test_accuracy.expect("classification") > 0.9, "{last:?}");
}

#[test]
fn a_long_run_keeps_a_bounded_history_from_start_to_end() {
    let exp =
        Experiment { data: Generator::Xor, samples: 20, batch_size: 10, hidden: vec![2], ..Experiment::default() };
    let mut s = Session::new(exp).expect("valid");
    s.train_epochs(3 * MAX_HISTORY as u32);
    let h = s.history();
    assert!(h.len() <= MAX_HISTORY, "{}", h.len());
    assert_eq!(h[0].epoch, 0);
    assert_eq!(h.last().map(|r| r.epoch), Some(3 * MAX_HISTORY as u32));
    assert!(h.windows(2).all(|w| w[0].epoch < w[1].epoch));
}

#[test]
fn same_experiment_same_losses_however_sliced() {
    let exp = Experiment { data: Generator::Spiral, hidden: vec![8, 8], ..Experiment::default() };
    let mut a = Session::new(exp.clone()).expect("valid");
    a.train_epochs(5);
    let mut b = Session::new(exp).expect("valid");
    let mut epochs = 0;
    while epochs < 5 {
        if b.step_batch() {
            epochs += 1;
        }
    }
    assert_eq!(a.history(), b.history());
}

#[test]
fn sparse_recording_gives_the_same_losses_at_recorded_epochs() {
    let exp = Experiment { data: Generator::Xor, hidden: vec![5], ..Experiment::default() };
    let mut every = Session::new(exp.clone()).expect("valid");
    every.train_epochs(12);
    let mut sparse = Session::new(exp).expect("valid");
    sparse.set_record_every_epoch(false);
    sparse.train_epochs(5);
    sparse.record();
    sparse.step_batch();
    // Mid-epoch: nothing is recorded, since the weights are not those of any epoch's end.
    sparse.record();
    assert!(!sparse.at_epoch_boundary());
    sparse.train_epochs(7);
    sparse.record();
    let epochs: Vec<u32> = sparse.history().iter().map(|r| r.epoch).collect();
    assert_eq!(epochs, vec![0, 5, 12]);
    for r in sparse.history() {
        assert_eq!(r, &every.history()[r.epoch as usize]);
    }
}

#[test]
fn an_evaluation_split_into_pieces_gives_the_same_record() {
    let exp = Experiment { data: Generator::Moons, samples: 777, ..Experiment::default() };
    let mut whole = Session::new(exp.clone()).expect("valid");
    whole.train_epochs(3);
    let mut pieces = Session::new(exp).expect("valid");
    pieces.set_record_every_epoch(false);
    pieces.train_epochs(3);
    pieces.begin_record();
    let mut calls = 0;
    while !pieces.advance_record(100) {
        calls += 1;
        assert!(pieces.recording());
    }
    // 777 rows in pieces of 100: 7 calls leave rows pending, the 8th completes.
    assert_eq!(calls, 7);
    assert_eq!(pieces.history().last(), whole.history().last());
    // An evaluation stopped inside the test rows, then finished in one go (budget usize::MAX,
    // as `record` and the Step button do), gives the same record too.
    let mut partial =
        Session::new(Experiment { data: Generator::Moons, samples: 777, ..Experiment::default() }).expect("valid");
    partial.set_record_every_epoch(false);
    partial.train_epochs(3);
    partial.begin_record();
    partial.advance_record(400); // the 389 training rows and 11 test rows
    assert!(partial.recording());
    partial.record();
    assert_eq!(partial.history().last(), whole.history().last());
    // A pending evaluation is finished before the weights change again.
    whole.train_epochs(1);
    pieces.train_epochs(1);
    pieces.begin_record();
    pieces.advance_record(10);
    pieces.step_batch();
    assert!(!pieces.recording());
    assert_eq!(pieces.history().last(), whole.history().last());
    assert_eq!(pieces.history().last().map(|r| r.epoch), Some(4));
}

#[test]
fn four_blob_classes_train_with_softmax() {
    let exp = Experiment { data: Generator::Blobs, classes: 4, noise: 10, ..Experiment::default() };
    let mut s = Session::new(exp).expect("valid");
    assert_eq!(s.net().expect("a network").sizes().last(), Some(&4));
    s.train_epochs(60);
    let last = s.history().last().expect("history");
    assert!(last.test_accuracy.expect("classification") > 0.9, "{last:?}");
}

#[test]
fn regression_uses_mse_and_learns_the_plane() {
    let exp = Experiment { data: Generator::Plane, ..Experiment::default() };
    let mut s = Session::new(exp).expect("valid");
    assert_eq!(s.net().expect("a network").sizes().last(), Some(&1));
    let first = s.history()[0].train_loss;
    s.train_epochs(100);
    let last = s.history().last().expect("history");
    assert!(last.train_accuracy.is_none());
    assert!(last.train_loss < first * 0.1 && last.train_loss < 0.01, "{first} -> {last:?}");
}

#[test]
fn divergence_pauses_with_advice() {
    let exp = Experiment {
        data: Generator::Plane,
        activation: crate::models::mlp::Activation::Relu,
        learning_rate: 10.0,
        optimizer: Optimizer::Momentum,
        ..Experiment::default()
    };
    let mut s = Session::new(exp).expect("valid");
    s.train_epochs(50);
    match s.status() {
        Status::Diverged(msg) => assert!(msg.contains("learning rate"), "{msg}"),
        other => panic!("expected divergence, got {other:?}"),
    }
    let (en, id) = (s.status_message(Lang::En).expect("a message"), s.status_message(Lang::Id).expect("a message"));
    assert!(en.starts_with("Training paused at epoch ") && en.contains("or try tanh"), "{en}");
    assert!(id.starts_with("Pelatihan dijeda pada epoch ") && id.contains("laju pembelajaran (sekarang 10)"), "{id}");
    let epoch = s.epoch();
    assert!(!s.step_batch());
    assert_eq!(s.epoch(), epoch);
}

#[test]
fn stop_after_pauses_and_resume_continues() {
    let exp = Experiment { stop_after: 3, ..Experiment::default() };
    let mut s = Session::new(exp).expect("valid");
    assert_eq!(s.train_epochs(10), 3);
    assert!(matches!(s.status(), Status::Stopped(_)));
    s.resume();
    assert_eq!(s.train_epochs(2), 2);
    assert_eq!(s.epoch(), 5);
}

#[test]
fn fields_cover_output_and_every_hidden_neuron() {
    let mut s = Session::new(Experiment { hidden: vec![3, 2], ..Experiment::default() }).expect("valid");
    let f = s.fields(20);
    assert_eq!(f.output.value.len(), 400);
    assert_eq!(f.neurons.len(), 2);
    assert_eq!(f.neurons[0].len(), 3);
    assert_eq!(f.neurons[1].len(), 2);
    assert!(f.output.value.iter().all(|v| (0.0..=1.0).contains(v)));
    assert!(f.neurons[0][0].value.iter().all(|v| (-1.0..=1.0).contains(v)));
}

fn on_table(link: &str) -> Session {
    let d = crate::share::decode(link);
    Session::new(d.experiment).expect("valid")
}

#[test]
fn iris_learns_with_the_network_and_penguins_with_a_tree() {
    let mut s = on_table("v=1&data=iris&hidden=8&lr=0.1&train=70");
    assert_eq!((s.task(), s.inputs().count()), (Task::Classification { classes: 3 }, 4));
    s.train_epochs(100);
    let last = s.history().last().expect("history");
    assert!(last.test_accuracy.expect("accuracy") > 0.9, "{last:?}");
    // Penguins: text inputs one-hot encoded, missing values imputed, a tree fits well.
    let mut s = on_table("v=1&data=penguins&model=tree&train=70");
    assert!(s.inputs().labels().iter().any(|l| l.0 == "island = Biscoe"));
    s.train_epochs(1);
    let last = s.history().last().expect("history");
    assert!(last.test_accuracy.expect("accuracy") > 0.9, "{last:?}");
    let f = s.fields(10);
    assert_eq!(f.output.value.len(), 100);
}

#[test]
fn diabetes_regression_on_standardised_targets_and_bad_targets_fail_clearly() {
    let mut s = on_table("v=1&data=diabetes&model=linear&train=70");
    assert_eq!(s.task(), Task::Regression);
    s.train_epochs(1);
    let r2 = crate::metrics::r2(&s.fitted().expect("fitted").predict(s.x_test()), s.y_test());
    assert!(r2 > 0.3, "{r2}");
    let d = crate::share::decode("v=1&data=linnerud&target=Waist&framing=classification&exclude=Weight,Pulse");
    // 20 men, waist sizes: few distinct whole numbers, so classes are allowed.
    assert!(Session::new(d.experiment).is_ok());
    let mut e = crate::share::decode("v=1&data=penguins").experiment;
    e.table.as_mut().expect("table").exclude =
        ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"]
            .map(String::from)
            .to_vec();
    let err = Session::new(e).expect_err("no inputs");
    assert!(err.message.contains("No column is left"), "{err:?}");
}

#[test]
fn the_recommender_fills_the_user_by_film_table_in_stars() {
    let mut s = on_table("v=1&data=ratings&train=80&model=als&factors=3&lambda=0.1&iters=20");
    assert!(s.rating_matrix().is_none(), "nothing before the fit");
    assert!(s.fit_to_end());
    let m = s.rating_matrix().expect("a recommender on two label-encoded columns");
    let films = crate::data::films::films(1);
    assert_eq!((m.users.len(), m.items.len()), (films.users, films.items));
    assert_eq!(m.rated.len(), films.entries.len(), "every rating is a cell of one part");
    assert_eq!(m.rated.iter().filter(|r| r.3).count(), s.test_rows().len());
    // The cells hold the ratings of the table, in stars, and names line up with them.
    for &(u, i, r, _) in &m.rated {
        let (fu, fi) = (
            films.user_names.iter().position(|n| *n == m.users[u]).expect("user"),
            films.item_names.iter().position(|n| *n == m.items[i]).expect("film"),
        );
        let original = films.entries.iter().find(|e| (e.0, e.1) == (fu, fi)).expect("rated in the table");
        assert!((original.2 - r).abs() < 1e-9, "{} on {}: {r} vs {}", m.users[u], m.items[i], original.2);
    }
    // Predictions are stars within the training range, and follow the training ratings.
    assert!(m.predicted.iter().flatten().all(|&p| (1.0..=5.0).contains(&p)));
    let train: Vec<_> = m.rated.iter().filter(|r| !r.3).collect();
    let rmse =
        (train.iter().map(|&&(u, i, r, _)| (m.predicted[u][i] - r).powi(2)).sum::<f64>() / train.len() as f64).sqrt();
    assert!(rmse < 0.5, "training RMSE in the table {rmse}");
}
