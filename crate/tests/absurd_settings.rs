//! Absurd settings are refused or clamped in the core with a message saying what was done,
//! never a frozen tab: a thousand layers, a million points, a learning rate of 1e9, k larger
//! than the data, a search of a million candidates, and more.

use latih::experiment::run::{Session, Status};
use latih::share::decode;
use std::time::{Duration, Instant};

fn read(link: &str) -> (latih::experiment::Experiment, Vec<String>) {
    let t = Instant::now();
    let d = decode(link);
    assert!(t.elapsed() < Duration::from_millis(200), "{link} took {:?}", t.elapsed());
    (d.experiment, d.notices)
}

fn said(notices: &[String], words: &[&str]) -> bool {
    notices.iter().any(|n| words.iter().all(|w| n.contains(w)))
}

#[test]
fn a_thousand_layers_are_cut_to_ten_with_a_notice() {
    let hidden = vec!["64"; 1000].join(",");
    let (e, notes) = read(&format!("v=1&hidden={hidden}"));
    assert_eq!(e.hidden.len(), 10);
    assert!(said(&notes, &["hidden"]), "{notes:?}");
    let (e, notes) = read("v=1&hidden=100000");
    assert!(e.hidden.iter().all(|&n| n <= 64), "{:?}", e.hidden);
    assert!(!notes.is_empty());
}

#[test]
fn a_million_points_and_a_huge_learning_rate_are_clamped() {
    let (e, notes) = read("v=1&samples=1000000&lr=1e9&batch=1e9&rate=1e300&noise=1000&train=0&stop=1e15&classes=99");
    assert_eq!(e.samples, 100_000);
    assert_eq!(e.learning_rate, 10.0);
    assert_eq!(e.batch_size, 1024);
    assert_eq!(e.reg_rate, 10.0);
    assert_eq!((e.noise, e.train_percent, e.classes), (50, 10, 6));
    for key in ["samples", "lr", "batch", "rate", "noise", "train", "stop", "classes"] {
        assert!(said(&notes, &[key]), "no notice for {key}: {notes:?}");
    }
}

#[test]
fn k_larger_than_the_data_is_refused_with_the_reason() {
    let (e, _) = read("v=1&data=xor&samples=20&model=knn&k=200");
    let s = Session::new(e).expect("the experiment itself is valid");
    let mut s = s;
    s.train_epochs(1);
    match s.status() {
        Status::Failed(why) => assert!(why.contains("k") && why.contains("training rows"), "{why}"),
        other => panic!("k = 200 on 10 training rows was not refused: {other:?}"),
    }
}

#[test]
fn searches_and_folds_are_bounded() {
    let (e, notes) =
        read("v=1&data=iris&folds=99&model=svm&search=random&tries=1000000&space=c:1e-9..1e9:log;degree:0..99");
    assert_eq!(e.folds, 10);
    let s = e.search.expect("kept, bounded");
    assert_eq!(s.tries, 200);
    assert!(said(&notes, &["folds"]) && said(&notes, &["tries"]) && said(&notes, &["c"]), "{notes:?}");
    let (e, notes) = read("v=1&data=iris&model=svm&search=grid&space=c:1..10:20;gamma:1..10:20;degree:1..5:5");
    let (candidates, cut) = e.search.expect("kept").candidates(&e.model, 1);
    assert_eq!(candidates.len(), 200);
    assert!(cut.is_some_and(|c| c.contains("2000")), "{notes:?}");
}
