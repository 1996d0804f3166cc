//! The experiment's settings, declared once (as `models::schema` declares each model's): its
//! link key, how its value is checked (a whole number or a number in a range, a flag, one of
//! some words, or text the link codec reads itself), whether a link may hide its control, and
//! how its value is read from an experiment and written into one. The link's encoder and
//! decoder, the experiment text (one line per link key, in this order), the `hide=` list and
//! the page's limits are all driven by `SETTINGS`. What the link carries besides the
//! experiment's settings (payloads such as drawn points or a CSV file, and how the page shows
//! it) is the link codec's own (`share`).

use super::{Experiment, MAX_FOLDS, MAX_SAMPLES, MIN_SAMPLES};
use crate::data::tabular::{Framing, ViewAxes};
use crate::data::Feature;
use crate::models::mlp::{Activation, Optimizer, Regularization, MAX_BATCH, MAX_HIDDEN_LAYERS, MAX_NEURONS};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;

/// How a setting's value is read and checked.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// A whole number in `min..=max`; another number is clamped, anything else is the default.
    Int { min: u64, max: u64 },
    /// A number in `min..=max` (`zero_ok`: exactly 0 too).
    Float { min: f64, max: f64, zero_ok: bool },
    /// 0 or 1.
    Flag,
    /// One of the words `options` gives.
    Choice { options: fn() -> Vec<&'static str> },
    /// A list of at most `max_len` whole numbers in `min..=max` (the hidden layers).
    List { max_len: usize, min: u64, max: u64 },
    /// Text the link codec reads itself: a name, a list of names, a payload.
    Text,
}

impl Check {
    /// Whether the table reads it whole (a number, a flag, a word), not the link codec.
    pub fn is_plain(&self) -> bool {
        matches!(self, Check::Int { .. } | Check::Float { .. } | Check::Flag | Check::Choice { .. })
    }
}

/// Which part of the experiment a setting belongs to (its place in the link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// The link's version.
    Version,
    /// The data and its generator.
    Data,
    /// A table's settings (written only when the data is a table).
    Table,
    /// The split, the network and training.
    Run,
    /// The model (its own settings follow it, from `models::MODELS`).
    Model,
    /// A hyperparameter search (written only when there is one).
    Search,
}

/// A value the check accepted, for `Setting::set`.
#[derive(Debug, Clone, Copy)]
pub enum Accepted<'a> {
    Int(u64),
    Float(f64),
    Flag(bool),
    Choice(&'a str),
}

/// One experiment setting.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub key: &'static str,
    pub check: Check,
    pub group: Group,
    /// Whether a link may hide its control (`hide=`).
    pub hideable: bool,
    /// Its link value (percent-encoded where it holds names), or None where the link leaves
    /// it out (a table's settings without a table, `strat` when off, …).
    pub value: fn(&Experiment) -> Option<String>,
    /// Sets it from a value its check accepted (settings checked as `Text` are read by the
    /// link codec and never set here).
    pub set: fn(&mut Experiment, Accepted),
}

fn text_only(_: &mut Experiment, _: Accepted) {}

/// A table's setting's value, when the data is a table.
fn table_value(e: &Experiment, f: fn(&crate::data::tabular::TableSpec) -> String) -> Option<String> {
    e.table.as_ref().map(f)
}

macro_rules! int {
    ($key:literal, $min:expr, $max:expr, $hide:expr, $field:ident as $ty:ty) => {
        Setting {
            key: $key,
            check: Check::Int { min: $min as u64, max: $max as u64 },
            group: Group::Run,
            hideable: $hide,
            value: |e| Some(e.$field.to_string()),
            set: |e, v| {
                if let Accepted::Int(v) = v {
                    e.$field = v as $ty;
                }
            },
        }
    };
}

macro_rules! float {
    ($key:literal, $min:expr, $max:expr, $zero_ok:expr, $field:ident) => {
        Setting {
            key: $key,
            check: Check::Float { min: $min, max: $max, zero_ok: $zero_ok },
            group: Group::Run,
            hideable: true,
            value: |e| Some(e.$field.to_string()),
            set: |e, v| {
                if let Accepted::Float(v) = v {
                    e.$field = v;
                }
            },
        }
    };
}

macro_rules! flag {
    ($key:literal, $hide:expr, $field:ident, $written_when_off:expr) => {
        Setting {
            key: $key,
            check: Check::Flag,
            group: Group::Run,
            hideable: $hide,
            value: |e| ($written_when_off || e.$field).then(|| (e.$field as u8).to_string()),
            set: |e, v| {
                if let Accepted::Flag(v) = v {
                    e.$field = v;
                }
            },
        }
    };
}

macro_rules! choice {
    ($key:literal, $field:ident, $ty:ident) => {
        Setting {
            key: $key,
            check: Check::Choice { options: || $ty::ALL.iter().map(|a| a.key()).collect() },
            group: Group::Run,
            hideable: true,
            value: |e| Some(e.$field.key().to_string()),
            set: |e, v| {
                if let Some(a) = $ty::from_key(if let Accepted::Choice(k) = v { k } else { "" }) {
                    e.$field = a;
                }
            },
        }
    };
}

macro_rules! table {
    ($key:literal, $hide:expr, $value:expr) => {
        Setting {
            key: $key,
            check: Check::Text,
            group: Group::Table,
            hideable: $hide,
            value: |e| table_value(e, $value),
            set: text_only,
        }
    };
}

/// Every setting of the experiment, in the link's canonical order.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "v",
        check: Check::Text,
        group: Group::Version,
        hideable: false,
        value: |_| Some(VERSION.to_string()),
        set: text_only,
    },
    Setting {
        key: "data",
        check: Check::Text,
        group: Group::Data,
        hideable: true,
        value: |e| Some(e.data_name().to_string()),
        set: text_only,
    },
    table!("target", true, |t| encode_name(&t.target)),
    table!("framing", true, |t| if t.framing == Framing::Regression { "regression" } else { "classification" }
        .to_string()),
    table!("missing", true, |t| t.missing.key().to_string()),
    table!("labelenc", false, |t| encode_names(&t.label_encoded)),
    table!("exclude", false, |t| encode_names(&t.exclude)),
    table!("view", true, |t| match &t.view {
        ViewAxes::Pca => "pca".to_string(),
        ViewAxes::Pair(a, b) => encode_names(&[a.clone(), b.clone()]),
    }),
    int!("classes", 2, 6, true, classes as usize),
    int!("samples", MIN_SAMPLES, MAX_SAMPLES, true, samples as usize),
    int!("noise", 0, 50, true, noise as u32),
    int!("train", 10, 90, true, train_percent as u32),
    // `strat` and `folds` came after the first links; written only when set, so links
    // without them keep their exact form.
    flag!("strat", true, stratify, false),
    Setting {
        value: |e| (e.folds >= 2).then(|| e.folds.to_string()),
        ..int!("folds", 0, MAX_FOLDS, true, folds as u32)
    },
    int!("dseed", 0, u64::MAX, true, data_seed as u64),
    Setting {
        key: "features",
        check: Check::Text,
        group: Group::Run,
        hideable: true,
        value: |e| {
            let on: Vec<&str> = Feature::ALL.iter().filter(|f| e.features.contains(f)).map(|f| f.key()).collect();
            Some(on.join(","))
        },
        set: text_only,
    },
    Setting {
        key: "hidden",
        check: Check::List { max_len: MAX_HIDDEN_LAYERS, min: 1, max: MAX_NEURONS as u64 },
        group: Group::Run,
        hideable: true,
        value: |e| Some(e.hidden.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(",")),
        set: text_only,
    },
    choice!("act", activation, Activation),
    choice!("opt", optimizer, Optimizer),
    float!("lr", 1e-6, 10.0, false, learning_rate),
    int!("batch", 1, MAX_BATCH, true, batch_size as usize),
    choice!("reg", regularization, Regularization),
    float!("rate", 0.0, 10.0, true, reg_rate),
    int!("seed", 0, u64::MAX, true, seed as u64),
    int!("stop", 0, 10_000_000, true, stop_after as u32),
    flag!("test", true, show_test, true),
    flag!("discrete", true, discretize, true),
    Setting {
        key: "model",
        check: Check::Text,
        group: Group::Model,
        hideable: true,
        value: |e| Some(e.model.id().to_string()),
        set: text_only,
    },
    Setting {
        key: "search",
        check: Check::Text,
        group: Group::Search,
        hideable: false,
        value: |e| e.search.as_ref().map(|s| s.kind.key().to_string()),
        set: text_only,
    },
    Setting {
        key: "tries",
        check: Check::Int { min: 1, max: super::search::MAX_CANDIDATES as u64 },
        group: Group::Search,
        hideable: false,
        value: |e| {
            e.search.as_ref().filter(|s| s.kind == super::search::SearchKind::Random).map(|s| s.tries.to_string())
        },
        set: |e, v| {
            if let (Accepted::Int(v), Some(s)) = (v, e.search.as_mut()) {
                s.tries = v as u32;
            }
        },
    },
    Setting {
        key: "space",
        check: Check::Text,
        group: Group::Search,
        hideable: false,
        value: |e| e.search.as_ref().map(|s| s.space()),
        set: text_only,
    },
];

/// The link format's version.
pub const VERSION: u32 = 1;

/// The page's controls a link can hide besides the settings' (`hide=`): buttons and groups.
pub const PAGE_CONTROLS: [&str; 9] =
    ["file", "regenerate", "task", "settings", "play", "reset", "step", "share", "exports"];

/// The setting with this link key.
pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The keys of one group, in link order.
pub fn keys(group: Group) -> impl Iterator<Item = &'static str> {
    SETTINGS.iter().filter(move |s| s.group == group).map(|s| s.key)
}

/// Every name `hide=` accepts: the hideable settings in link order, then the page's controls.
pub fn hideable() -> Vec<&'static str> {
    SETTINGS.iter().filter(|s| s.hideable).map(|s| s.key).chain(PAGE_CONTROLS).collect()
}

/// The link's `key=value` pairs of an experiment's own settings, in canonical order (the
/// model's settings come after `model`).
pub fn pairs(e: &Experiment) -> Vec<(&'static str, String)> {
    let mut out = Vec::with_capacity(SETTINGS.len() + 8);
    for s in SETTINGS {
        let Some(value) = (s.value)(e) else { continue };
        out.push((s.key, value));
        if s.key == "model" {
            let map = e.model.to_map();
            for setting in e.model.settings() {
                if let Some(v) = map.get(setting.key) {
                    out.push((setting.key, setting.format(v)));
                }
            }
        }
    }
    out
}

/// What a column name must escape in a link: the link's own separators and what would not
/// survive being pasted.
const NAME_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b',')
    .add(b'=')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'+');

/// A column name as a link value.
pub fn encode_name(name: &str) -> String {
    utf8_percent_encode(name, NAME_ESCAPES).to_string()
}

/// Column names as one link value, comma-separated.
pub fn encode_names(names: &[String]) -> String {
    names.iter().map(|n| encode_name(n)).collect::<Vec<_>>().join(",")
}

/// A setting's check as the page reads it (with a choice's words). Bounds are JS numbers: a
/// seed's maximum, 2⁶⁴ − 1, reads as 2⁶⁴ there (a u64 above 2⁵³ would not cross at all).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum CheckView {
    Int { min: f64, max: f64 },
    Float { min: f64, max: f64, zero_ok: bool },
    Flag,
    Choice { options: Vec<&'static str> },
    List { max_len: usize, min: f64, max: f64 },
    Text,
}

/// A setting as the page reads it.
#[derive(Debug, Clone, Serialize)]
pub struct SettingView {
    pub key: &'static str,
    pub group: Group,
    pub hideable: bool,
    pub check: CheckView,
}

/// The table as the page reads it (`experimentSettings()`).
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub settings: Vec<SettingView>,
    /// The page's own controls `hide=` accepts.
    pub page_controls: &'static [&'static str],
}

/// The table as the page reads it: each setting's key, group, check (with its range or
/// options) and whether a link may hide it, plus the page's own controls `hide=` accepts.
pub fn describe() -> Table {
    let settings = SETTINGS
        .iter()
        .map(|s| SettingView {
            key: s.key,
            group: s.group,
            hideable: s.hideable,
            check: match s.check {
                Check::Int { min, max } => CheckView::Int { min: min as f64, max: max as f64 },
                Check::Float { min, max, zero_ok } => CheckView::Float { min, max, zero_ok },
                Check::Flag => CheckView::Flag,
                Check::Choice { options } => CheckView::Choice { options: options() },
                Check::List { max_len, min, max } => CheckView::List { max_len, min: min as f64, max: max as f64 },
                Check::Text => CheckView::Text,
            },
        })
        .collect();
    Table { settings, page_controls: &PAGE_CONTROLS }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_every_setting_reads_back_what_it_writes() {
        let mut keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SETTINGS.len());
        let hide = hideable();
        assert_eq!(hide.len(), hide.iter().collect::<std::collections::BTreeSet<_>>().len());
        // Each plain setting, set to the largest value it takes (or its last word), gives that
        // value back.
        let mut e = Experiment { stratify: true, folds: 4, ..Experiment::default() };
        for s in SETTINGS.iter().filter(|s| s.check.is_plain() && s.group == Group::Run) {
            let value = match s.check {
                Check::Int { max, .. } => {
                    let v = max;
                    (s.set)(&mut e, Accepted::Int(v));
                    v.to_string()
                }
                Check::Float { max, .. } => {
                    let v = max;
                    (s.set)(&mut e, Accepted::Float(v));
                    v.to_string()
                }
                Check::Flag => {
                    (s.set)(&mut e, Accepted::Flag(true));
                    "1".to_string()
                }
                Check::Choice { options } => {
                    let last = *options().last().expect("options");
                    (s.set)(&mut e, Accepted::Choice(last));
                    last.to_string()
                }
                Check::List { .. } | Check::Text => unreachable!("not plain"),
            };
            assert_eq!((s.value)(&e).as_deref(), Some(value.as_str()), "{}", s.key);
        }
    }

    #[test]
    fn the_hide_list_holds_every_control_the_page_has_and_the_limits_reach_the_page() {
        let mut hide = hideable();
        hide.sort_unstable();
        let mut page = vec![
            "data",
            "target",
            "framing",
            "missing",
            "view",
            "file",
            "train",
            "strat",
            "folds",
            "classes",
            "samples",
            "noise",
            "regenerate",
            "dseed",
            "seed",
            "task",
            "model",
            "settings",
            "features",
            "hidden",
            "act",
            "opt",
            "lr",
            "batch",
            "reg",
            "rate",
            "stop",
            "test",
            "discrete",
            "play",
            "reset",
            "step",
            "share",
            "exports",
        ];
        page.sort_unstable();
        assert_eq!(hide, page);
        let d = serde_json::to_value(describe()).expect("serialises");
        let hidden = d["settings"].as_array().expect("list").iter().find(|s| s["key"] == "hidden").expect("hidden");
        assert_eq!(hidden["check"]["max_len"], MAX_HIDDEN_LAYERS);
        assert_eq!(hidden["check"]["max"], MAX_NEURONS as f64);
        let act = d["settings"].as_array().expect("list").iter().find(|s| s["key"] == "act").expect("act");
        assert_eq!(act["check"]["options"], serde_json::json!(["relu", "tanh", "sigmoid", "linear"]));
    }
}
