//! What opening a link and changing one of its settings decide, whichever front end asks: the
//! experiment that opens when a link's cannot (the default, with the reason), the link a change
//! of one setting makes (a new model from its own defaults, new data from its own table
//! settings, a new target framed as suits its values, the ratings data the recommender brings),
//! which changes keep the training state, and what a person's newly read file makes of the
//! experiment.

use super::is_model_setting;
use crate::data::table::Table;
use crate::data::tabular::{suggested_framing, Framing, TableSpec};
use crate::experiment::inputs::source_table;
use crate::experiment::settings::{self, Group};
use crate::experiment::{Experiment, Session};

/// What a change to the recommender on data it cannot read says (see `Change::to_ratings`).
pub const TO_RATINGS: &str =
    "The recommender reads a ratings table, one user and one item per row; the film ratings were loaded.";

/// Opens experiment `e` on its data (`user`: the person's table, for `data=csv`); when its data
/// cannot be had (a CSV file that is not loaded, a target that cannot be trained) the default
/// experiment opens instead, with the reason. The session's own notices follow. Fails (with
/// the reason) only when the default cannot open either.
pub fn open_or_default(e: Experiment, user: Option<&Table>, notices: &mut Vec<String>) -> Result<Session, String> {
    let session = match Session::with_table(e.clone(), user) {
        Ok(s) => s,
        Err(why) => {
            notices.push(format!(
                "This experiment could not be opened as it is: {}. The default experiment is shown instead{}.",
                why.message,
                if e.data_name() == "csv" { "; open the same CSV file to reproduce it" } else { "" }
            ));
            Session::with_table(Experiment::default(), None).map_err(|err| err.message)?
        }
    };
    notices.extend(session.notices().iter().cloned());
    Ok(session)
}

/// The `(key, value)` pairs of a canonical link, in order.
pub fn link_pairs(link: &str) -> impl Iterator<Item = (&str, &str)> {
    link.split('&').filter_map(|p| p.split_once('='))
}

/// One setting changed by its link key (`change`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The link fragment of the changed experiment, to `decode`.
    pub fragment: String,
    /// Whether the recommender was chosen on data it cannot read, and the film ratings came
    /// with it (`TO_RATINGS` says so).
    pub to_ratings: bool,
}

/// The link that setting `key` to `value` (as a link writes it) makes of `link`, the canonical
/// link of `session`'s experiment (`user`: the person's table). A new model starts from its own
/// defaults, not from a same-named setting of the last; new data from its own table settings;
/// a new target is framed as suits its values (numbers: regression unless few whole ones).
/// Fails with the notice for a key no link has.
pub fn change(link: &str, key: &str, value: &str, session: &Session, user: Option<&Table>) -> Result<Change, String> {
    let mut link = link.to_string();
    if !link_pairs(&link).any(|(k, _)| k == key) {
        // Keys written only when set go in as the link would have them.
        if !settings::find(key).is_some_and(|s| s.group == Group::Run) {
            return Err(format!("Unknown setting “{key}”."));
        }
        link.push_str(&format!("&{key}=0"));
    }
    let framing = (key == "target")
        .then(|| {
            let spec = session.experiment().table.as_ref()?;
            let table = source_table(spec, user)?;
            let name = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            let column = table.column(&name)?;
            Some(match suggested_framing(column) {
                Framing::Classification => "classification",
                Framing::Regression => "regression",
            })
        })
        .flatten();
    // The recommender reads a ratings table (a user and an item per row): chosen on other
    // data, it brings the film ratings with it, as choosing a task brings data that suits.
    let to_ratings = key == "model" && value == "als" && !session.reads_as_ratings();
    let fragment: Vec<String> = link_pairs(&link)
        .filter(|(k, _)| key != "model" || !is_model_setting(k))
        .filter(|(k, _)| (key != "data" && !to_ratings) || !settings::find(k).is_some_and(|s| s.group == Group::Table))
        .map(|(k, v)| match (k, framing) {
            ("framing", Some(f)) => format!("framing={f}"),
            ("data", _) if to_ratings => "data=ratings".to_string(),
            _ => format!("{k}={}", if k == key { value } else { v }),
        })
        .collect();
    Ok(Change { fragment: fragment.join("&"), to_ratings })
}

/// Whether going from `old` to `new` changes only what keeps the training state: the view
/// settings (`test`, `discrete`, `stop`) and the evaluation's (`folds`, the search). Any other
/// change restarts training from epoch 0, so the link always reproduces what is on screen.
pub fn keeps_training(old: &Experiment, new: &Experiment) -> bool {
    Experiment {
        show_test: old.show_test,
        discretize: old.discretize,
        stop_after: old.stop_after,
        folds: old.folds,
        search: old.search.clone(),
        ..new.clone()
    } == *old
}

/// The experiment a person's newly read `table` makes of `experiment`: the table is its data
/// (`data=csv`, target: the last column, framed as suits it), and a supervised model that does
/// not match the table's task becomes the network, with the notice saying so.
pub fn with_file(experiment: &Experiment, table: &Table) -> (Experiment, Option<String>) {
    let mut e = experiment.clone();
    e.table = Some(TableSpec::for_table("csv", table, None, &[]));
    let notice = e.fit_model_to_task();
    (e, notice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::{decode, encode};

    fn session(link: &str) -> Session {
        Session::new(decode(link).experiment).expect("the link opens")
    }

    #[test]
    fn an_experiment_that_cannot_open_falls_back_to_the_default_with_the_reason() {
        let e = decode("v=1&data=csv&target=y").experiment;
        let mut notices = Vec::new();
        let s = open_or_default(e, None, &mut notices).expect("the default opens");
        assert_eq!(*s.experiment(), Experiment::default());
        assert!(notices[0].starts_with("This experiment could not be opened as it is: "), "{notices:?}");
        assert!(notices[0].ends_with("; open the same CSV file to reproduce it."), "{notices:?}");
    }

    #[test]
    fn an_experiment_that_opens_brings_only_its_own_notices() {
        let e = decode("v=1&data=iris&model=tree").experiment;
        let mut notices = vec!["before".to_string()];
        let s = open_or_default(e.clone(), None, &mut notices).expect("iris opens");
        assert_eq!(*s.experiment(), e);
        assert_eq!(notices[0], "before");
        assert_eq!(notices[1..], *s.notices());
    }

    #[test]
    fn a_change_rewrites_one_key_and_refuses_unknown_ones() {
        let s = session("v=1&data=circle&noise=10");
        let link = encode(s.experiment());
        let c = change(&link, "noise", "20", &s, None).expect("a known key");
        assert!(c.fragment.contains("&noise=20&"), "{}", c.fragment);
        assert!(!c.to_ratings);
        assert_eq!(change(&link, "nope", "1", &s, None), Err("Unknown setting “nope”.".to_string()));
        // A split key the link leaves out goes in as it would be written.
        let folds = change(&link, "folds", "5", &s, None).expect("a known key");
        assert!(folds.fragment.contains("folds=5"), "{}", folds.fragment);
    }

    #[test]
    fn a_new_model_starts_from_its_own_defaults_and_new_data_from_its_own_table_settings() {
        let s = session("v=1&data=iris&exclude=petal%20width%20(cm)&model=tree&depth=3");
        let link = encode(s.experiment());
        assert!(link.contains("depth=3") && link.contains("exclude="), "{link}");
        let model = change(&link, "model", "knn", &s, None).expect("a known key").fragment;
        assert!(!model.contains("depth=") && model.contains("exclude="), "{model}");
        let data = change(&link, "data", "wine", &s, None).expect("a known key").fragment;
        assert!(!data.contains("exclude=") && data.contains("data=wine"), "{data}");
    }

    #[test]
    fn a_new_target_is_framed_as_suits_its_values() {
        let s = session("v=1&data=wine");
        let link = encode(s.experiment());
        let numbers = change(&link, "target", "alcohol", &s, None).expect("a known key").fragment;
        assert!(numbers.contains("framing=regression"), "{numbers}");
        let s = session("v=1&data=iris&target=sepal%20length%20(cm)&framing=regression");
        let link = encode(s.experiment());
        let classes = change(&link, "target", "species", &s, None).expect("a known key").fragment;
        assert!(classes.contains("framing=classification"), "{classes}");
    }

    #[test]
    fn the_recommender_brings_the_ratings_on_other_data() {
        let s = session("v=1&data=iris&model=tree");
        let c = change(&encode(s.experiment()), "model", "als", &s, None).expect("a known key");
        assert!(c.to_ratings);
        assert!(c.fragment.contains("data=ratings") && !c.fragment.contains("target="), "{}", c.fragment);
        let ratings = session(&c.fragment);
        let again = change(&encode(ratings.experiment()), "model", "als", &ratings, None).expect("a known key");
        assert!(!again.to_ratings);
    }

    #[test]
    fn view_and_evaluation_settings_keep_the_training_state() {
        let old = decode("v=1&data=circle").experiment;
        let view = decode("v=1&data=circle&test=1&discrete=1&stop=50&folds=5").experiment;
        assert!(keeps_training(&old, &view));
        assert!(keeps_training(&old, &old));
        assert!(!keeps_training(&old, &decode("v=1&data=circle&noise=20").experiment));
    }

    #[test]
    fn a_new_file_is_the_data_with_its_last_column_as_target_and_a_model_that_suits_it() {
        use crate::data::table::Column;
        let values = |k: f64| (0..40).map(|i| f64::from(i) * k + 0.5).collect::<Vec<f64>>();
        let table =
            Table { rows: 40, columns: vec![Column::numeric("a", values(1.0)), Column::numeric("y", values(0.3))] };
        let classifier = decode("v=1&data=iris&model=logistic").experiment;
        let (e, notice) = with_file(&classifier, &table);
        assert_eq!(e.data_name(), "csv");
        assert_eq!(e.table.as_ref().map(|t| t.target.as_str()), Some("y"));
        assert!(e.is_regression());
        assert!(notice.is_some());
        let (_, none) = with_file(&Experiment::default(), &table);
        assert_eq!(none, None);
    }
}
