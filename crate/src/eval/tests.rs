use super::*;
use crate::data::table::{read_csv, CsvOptions};
use crate::experiment::inputs::SplitPlan;
use crate::share::decode;

fn run_cv(link: &str, user: Option<&Table>) -> Vec<Summary> {
    let e = decode(link).experiment;
    let mut cv = CrossValidation::new(&e, e.cv_folds()).expect("applies");
    let mut calls = 0;
    // A few steps per call, as the page runs it.
    while !cv
        .advance(user, &mut || {
            calls += 1;
            calls % 7 != 0
        })
        .expect("trains")
    {}
    cv.summary()
}

#[test]
fn k_fold_tests_every_training_row_exactly_once_and_never_sees_the_test_part() {
    for stratify in [false, true] {
        let labels: Vec<f64> = (0..103).map(|i| f64::from(i % 3 == 0)).collect();
        let (holdout_train, holdout_test) = SplitPlan::holdout(50, stratify, 9).rows(labels.len(), Some(&labels));
        let mut seen = vec![0; labels.len()];
        for i in 0..5 {
            let plan = SplitPlan { train_percent: 50, stratify, fold: Some((5, i)), train_share: 100, seed: 9 };
            let (train, test) = plan.rows(labels.len(), Some(&labels));
            assert_eq!(train.len() + test.len(), holdout_train.len());
            assert!((10..=11).contains(&test.len()), "{}", test.len());
            test.iter().for_each(|&r| seen[r] += 1);
            // The holdout's test rows are in no fold, on either side.
            assert!(train.iter().chain(&test).all(|r| !holdout_test.contains(r)), "fold {i}");
            if stratify {
                let positives = test.iter().filter(|&&r| labels[r] == 1.0).count();
                assert!((3..=4).contains(&positives), "fold {i}: {positives} of {}", test.len());
            }
        }
        for r in 0..labels.len() {
            assert_eq!(seen[r], usize::from(holdout_train.contains(&r)), "row {r}");
        }
    }
}

#[test]
fn a_stratified_holdout_keeps_each_class_share() {
    let labels: Vec<f64> = (0..200).map(|i| if i < 20 { 1.0 } else { 0.0 }).collect();
    let (train, test) = SplitPlan::holdout(70, true, 3).rows(200, Some(&labels));
    assert_eq!((train.len(), test.len()), (140, 60));
    assert_eq!(test.iter().filter(|&&r| labels[r] == 1.0).count(), 6);
    // Without stratification the split is the one links always had.
    let plain = SplitPlan::holdout(70, false, 3).rows(200, Some(&labels));
    assert_eq!(plain, crate::experiment::inputs::split(200, 70, 3));
}

#[test]
fn cross_validation_of_a_classifier_is_reproducible_and_sensible() {
    let link = "v=1&data=iris&folds=5&strat=1&model=logistic";
    let a = run_cv(link, None);
    assert_eq!(a, run_cv(link, None));
    assert_eq!(a[0].name, "accuracy");
    assert_eq!(a[0].folds.len(), 5);
    assert!(a[0].mean > 0.85 && a[0].mean <= 1.0, "{:?}", a[0]);
    assert!(a[0].std < 0.15, "{:?}", a[0]);
    assert!(a.iter().any(|s| s.name == "ROC AUC"));
}

#[test]
fn cross_validation_trains_a_network_for_its_stop_epochs() {
    let a = run_cv("v=1&data=gauss&samples=200&folds=3&stop=20&hidden=3", None);
    assert_eq!(a[0].folds.len(), 3);
    assert!(a[0].mean > 0.8, "{:?}", a[0]);
}

#[test]
fn cross_validation_of_a_regressor_reports_r2_and_errors() {
    let a = run_cv("v=1&data=diabetes&folds=4&model=linear", None);
    let names: Vec<&str> = a.iter().map(|s| s.name).collect();
    assert_eq!(names, ["R²", "RMSE", "MAE", "MSE"]);
    assert!(a[0].mean > 0.3 && a[0].mean < 0.7, "{:?}", a[0]);
    assert!((a[1].folds[0] * a[1].folds[0] - a[3].folds[0]).abs() < 1e-6);
}

#[test]
fn clustering_is_not_cross_validated_but_says_why() {
    let e = decode("v=1&data=blobs&model=kmeans").experiment;
    let err = CrossValidation::new(&e, 5).expect_err("no targets to score");
    assert!(err.contains("classification and regression"), "{err}");
}

/// No test information leaks: every fold's preprocessing (imputation fill, standardisation)
/// is computed from that fold's training rows alone.
#[test]
fn preprocessing_is_fitted_on_each_folds_training_rows_only() {
    let mut csv = String::from("x,y\n");
    for i in 0..40 {
        // One huge value and some missing ones, so a leak would move the mean a lot.
        let x = match i {
            7 => "100000".to_string(),
            3 | 11 | 25 => String::new(),
            _ => format!("{}", i % 10),
        };
        csv.push_str(&format!("{x},{}\n", if i % 2 == 0 { "a" } else { "b" }));
    }
    let table = read_csv(csv.as_bytes(), CsvOptions::default()).expect("reads").table;
    let e = decode("v=1&data=csv&target=y&framing=classification&missing=mean&model=logistic&folds=4").experiment;
    let raw: Vec<Option<f64>> = csv.lines().skip(1).map(|l| l.split(',').next().and_then(|x| x.parse().ok())).collect();
    for fold in 0..4 {
        let s = Session::with_split(e.clone(), Some(&table), Some((4, fold)), 100).expect("prepares");
        let train: Vec<f64> = s.train_rows().iter().filter_map(|&r| raw[r]).collect();
        let mean = train.iter().sum::<f64>() / train.len() as f64;
        let t = s.inputs().table().expect("table");
        let p = &t.preprocess;
        assert!((p.means[0] - mean).abs() < 1e-9, "fold {fold}: {} vs training mean {mean}", p.means[0]);
        assert!((p.columns[0].fill - mean).abs() < 1e-9, "fold {fold}: fill {}", p.columns[0].fill);
        let holds_outlier = s.train_rows().contains(&7);
        assert_eq!(p.columns[0].max > 1000.0, holds_outlier, "fold {fold}");
    }
}

#[test]
fn a_grid_search_scores_every_candidate_and_finds_the_best() {
    let e = decode("v=1&data=iris&folds=3&model=knn&search=grid&space=k:45,15,35").experiment;
    let spec = e.search.clone().expect("search");
    let mut search = Search::new(&e, &spec).expect("runs");
    assert_eq!(search.total(), 3);
    let mut calls = 0;
    while !search.advance(None, &mut || {
        calls += 1;
        calls % 5 != 0
    }) {
        assert!(search.progress() < 1.0);
    }
    assert_eq!(search.results.len(), 3);
    assert!(search.results.iter().all(|c| c.error.is_none() && c.scores[0].folds.len() == 3));
    let best = search.best().expect("scored");
    assert_eq!(search.results[best].settings, [("k".to_string(), "15".to_string())], "{:?}", search.results);
    let (winner, notes) = search.candidate_experiment(best).expect("exists");
    assert!(notes.is_empty());
    assert_eq!(winner.model.to_map()["k"], 15);
}

#[test]
fn a_candidate_the_data_refuses_is_reported_not_fatal() {
    // k larger than a fold's training rows: clamped by the model? Either way, reported.
    let e = decode("v=1&data=xor&samples=20&folds=2&model=knn&search=grid&space=k:1,200").experiment;
    let spec = e.search.clone().expect("search");
    let mut search = Search::new(&e, &spec).expect("runs");
    while !search.advance(None, &mut || true) {}
    assert_eq!(search.results.len(), 2);
    assert!(search.results[0].error.is_none());
}

#[test]
fn split_and_search_settings_round_trip_through_the_link() {
    let link = "v=1&data=iris&strat=1&folds=4&model=svm&search=random&tries=12&space=c:0.01..100:log;kernel:rbf,linear";
    let d = decode(link);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let e = &d.experiment;
    assert!(e.stratify && e.folds == 4);
    let again = crate::share::encode(e);
    assert!(again.contains("&train=50&strat=1&folds=4&dseed="), "{again}");
    assert!(again.ends_with("&search=random&tries=12&space=c:0.01..100:log;kernel:rbf,linear"), "{again}");
    assert_eq!(decode(&again).experiment, *e);
    // Nonsense is reported and dropped.
    let bad = decode("v=1&data=iris&folds=1&search=maybe&space=c:1");
    assert_eq!(bad.notices.len(), 3, "{:?}", bad.notices);
    assert!(bad.experiment.search.is_none() && bad.experiment.folds == 0);
}

#[test]
fn a_learning_curve_grows_nested_training_sets_and_tests_on_the_same_rows() {
    let e = decode("v=1&data=penguins&model=tree&depth=4").experiment;
    let mut lc = LearningCurve::new(&e).expect("applies");
    while !lc.advance(None, &mut || true).expect("trains") {}
    let rows: Vec<usize> = lc.points.iter().map(|p| p.rows).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
    let full = Session::new(e.clone()).expect("valid");
    assert_eq!(*rows.last().expect("points"), full.train_rows().len());
    // Smaller sets are inside larger ones.
    let small = Session::with_split(e.clone(), None, None, 20).expect("valid");
    let large = Session::with_split(e, None, None, 60).expect("valid");
    assert!(small.train_rows().iter().all(|r| large.train_rows().contains(r)));
    assert_eq!(small.test_rows(), large.test_rows());
    let last = lc.points.last().expect("points");
    assert!(last.test > 0.9 && lc.points[0].test < last.test + 0.05, "{:?}", lc.points);
}
