//! The link format, version 1: an experiment as readable `key=value` pairs in the URL
//! fragment, in a canonical order with the version first (`v=1&data=circle&...`).
//!
//! Decoding never fails and never panics: unknown keys are ignored, unreadable values fall
//! back to their default, out-of-range values are clamped, and every such change is reported
//! as a notice for the user. See `KEYS` for the canonical order.

use crate::data::tabular::{Framing, Missing, TableSpec, ViewAxes};
use crate::data::{builtin, Drawn, Feature, Generator};

pub mod open;
pub mod payload;
pub mod playground;
pub mod text;
use crate::experiment::run::Trained;
use crate::experiment::search::{SearchKind, SearchSpec, DEFAULT_TRIES, MAX_CANDIDATES};
use crate::experiment::{Experiment, MAX_FOLDS, MAX_SAMPLES, MIN_SAMPLES};
use crate::models::mlp::{Activation, Optimizer, Regularization, MAX_BATCH, MAX_HIDDEN_LAYERS, MAX_NEURONS};
use crate::models::{ModelParams, MODELS};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::fmt::Write as _;

pub const VERSION: u32 = 1;
/// Longest fragment read; the rest is ignored (with a notice) so a pasted blob cannot stall.
pub const MAX_FRAGMENT: usize = 16 * 1024;

/// Every key, in canonical order; the model's own settings follow `model`, in the order its
/// schema lists them (`models::MODELS`).
pub const KEYS: [&str; 20] = [
    "v", "data", "classes", "samples", "noise", "train", "dseed", "features", "hidden", "act", "opt", "lr", "batch",
    "reg", "rate", "seed", "stop", "test", "discrete", "model",
];

/// Keys of the split written after `train` only when set (they came after the first links).
pub const SPLIT_KEYS: [&str; 2] = ["strat", "folds"];
/// Keys of a hyperparameter search, written after the model's settings when there is one.
pub const SEARCH_KEYS: [&str; 3] = ["search", "tries", "space"];

/// Keys of a table's settings, written right after `data` when the data is a table.
pub const TABLE_KEYS: [&str; 6] = ["target", "framing", "missing", "labelenc", "exclude", "view"];

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

fn encode_names(names: &[String]) -> String {
    names.iter().map(|n| encode_name(n)).collect::<Vec<_>>().join(",")
}

/// The experiment a link describes and what had to be changed to read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub experiment: Experiment,
    pub notices: Vec<String>,
    /// The bytes of a CSV file the link carries (`csv=` payload), for `data=csv`.
    pub csv: Option<Vec<u8>>,
    /// The trained state the link carries (`trained=`, `state=`), when it was shared so.
    pub trained: Option<TrainedLink>,
    /// How the page shows the experiment (`embed=`, `show=`, `hide=`).
    pub display: Display,
    /// Whether the experiment needs what only the full build has (another model family, a
    /// table, a file's data): always false there; the playground build reads the rest of the
    /// link as well as it can and the page loads the full build to open it.
    pub needs_full: bool,
}

/// Panels an embed can show (`show=`); the full page shows them all.
pub const PANELS: [&str; 6] = ["data", "model", "output", "text", "explore", "evaluate"];
/// Panels an embed shows when its link does not say.
pub const EMBED_PANELS: [&str; 3] = ["data", "model", "output"];
/// Controls a link can hide (`hide=`): every setting's key, and the page's buttons and groups.
pub const CONTROLS_HIDEABLE: [&str; 34] = [
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

/// How a link asks the page to show the experiment: the embed mode (compact, for an iframe),
/// its panels, and controls hidden one by one. Not part of the experiment: it reproduces the
/// same numbers whatever is shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Display {
    pub embed: bool,
    /// Panels shown in embed mode (empty: `EMBED_PANELS`).
    pub show: Vec<String>,
    /// Controls hidden (any mode).
    pub hide: Vec<String>,
    /// The interface language (`lang=`, one of `LANGUAGES`; None: the browser's).
    pub lang: Option<String>,
    /// The open lesson: a built-in lesson's name (`lesson=`), or a lesson file carried in the
    /// link (`lessonfile=`, packed as `payload::pack` does).
    pub lesson: Option<String>,
    pub lesson_file: Option<String>,
}

/// Interface languages.
pub const LANGUAGES: [&str; 2] = ["en", "id"];

impl Display {
    /// The link keys (`&embed=1&show=…&hide=…`), empty for the full page with everything.
    pub fn to_link(&self) -> String {
        let mut s = String::new();
        if self.embed {
            s.push_str("&embed=1");
            if !self.show.is_empty() {
                let _ = write!(s, "&show={}", self.show.join(","));
            }
        }
        if !self.hide.is_empty() {
            let _ = write!(s, "&hide={}", self.hide.join(","));
        }
        if let Some(lang) = &self.lang {
            let _ = write!(s, "&lang={lang}");
        }
        if let Some(lesson) = &self.lesson {
            let _ = write!(s, "&lesson={lesson}");
        } else if let Some(packed) = &self.lesson_file {
            let _ = write!(s, "&lessonfile={packed}");
        }
        s
    }

    /// The lesson file the link carries, unpacked (None when it has none or it is unreadable).
    pub fn lesson_text(&self) -> Option<String> {
        let bytes = payload::unpack_within(self.lesson_file.as_deref()?, payload::LINK).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The panels to show.
    pub fn panels(&self) -> Vec<String> {
        match (self.embed, self.show.is_empty()) {
            (false, _) => PANELS.iter().map(|p| p.to_string()).collect(),
            (true, true) => EMBED_PANELS.iter().map(|p| p.to_string()).collect(),
            (true, false) => self.show.clone(),
        }
    }
}

/// Names from a list value that are in `known`, in `known`'s order, and a notice naming the rest.
fn known_names(value: &str, known: &[&str], key: &str) -> (Vec<String>, Option<String>) {
    let given: Vec<&str> = value.split(',').map(str::trim).filter(|s| !s.is_empty()).take(64).collect();
    let unknown: Vec<String> = given.iter().filter(|g| !known.contains(g)).map(|g| format!("“{}”", shown(g))).collect();
    let names = known.iter().filter(|k| given.contains(k)).map(|k| k.to_string()).collect();
    let note = (!unknown.is_empty())
        .then(|| format!("{key}= does not know {}; it knows {}.", unknown.join(", "), known.join(", ")));
    (names, note)
}

/// A trained state in a link: how far it was trained and, for a network, its weights (the
/// inflated JSON of `experiment::run::Trained`). A classical model is refitted from the link.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainedLink {
    pub epoch: u32,
    pub weights: Option<Vec<u8>>,
}

impl TrainedLink {
    /// The state to restore, or why the weights cannot be read.
    pub fn state(&self) -> Result<Trained, String> {
        match &self.weights {
            None => Ok(Trained { epoch: self.epoch, model: None, optimizer: None }),
            Some(json) => {
                let mut t: Trained =
                    serde_json::from_slice(json).map_err(|e| format!("the weights are not readable ({e})"))?;
                t.epoch = self.epoch;
                Ok(t)
            }
        }
    }
}

/// The link keys of a trained state (`&trained=N`, and `&state=` for a network when they
/// fit the payload budget, with the optimiser's memory when that fits too). The flag says
/// whether a network's weights fitted.
pub fn trained_tail(t: &Trained) -> (String, bool) {
    let mut tail = format!("&trained={}", t.epoch);
    let Some(crate::models::Fitted::Mlp(_)) = &t.model else { return (tail, true) };
    let without = Trained { optimizer: None, ..t.clone() };
    let packed = [t, &without].into_iter().find_map(|state| {
        let json = serde_json::to_vec(state).ok()?;
        payload::pack(&json)
    });
    match packed {
        Some(p) => {
            tail.push_str("&state=");
            tail.push_str(&p);
            (tail, true)
        }
        None => (tail, false),
    }
}

/// The canonical fragment (without `#`) of an experiment.
pub fn encode(e: &Experiment) -> String {
    let mut s = String::with_capacity(200);
    let features: Vec<&str> = Feature::ALL.iter().filter(|f| e.features.contains(f)).map(|f| f.key()).collect();
    let hidden: Vec<String> = e.hidden.iter().map(|n| n.to_string()).collect();
    // `write!` into a String cannot fail.
    let _ = write!(s, "v={VERSION}&data={}", e.data_name());
    if let Some(t) = &e.table {
        let view = match &t.view {
            ViewAxes::Pca => "pca".to_string(),
            ViewAxes::Pair(a, b) => encode_names(&[a.clone(), b.clone()]),
        };
        let framing = if t.framing == Framing::Regression { "regression" } else { "classification" };
        let _ = write!(
            s,
            "&target={}&framing={framing}&missing={}&labelenc={}&exclude={}&view={view}",
            encode_name(&t.target),
            t.missing.key(),
            encode_names(&t.label_encoded),
            encode_names(&t.exclude),
        );
    }
    // `strat` and `folds` came after the first links; written only when set, so links
    // without them keep their exact form.
    let mut split = String::new();
    if e.stratify {
        split.push_str("&strat=1");
    }
    if e.folds >= 2 {
        let _ = write!(split, "&folds={}", e.folds);
    }
    let _ = write!(
        s,
        "&classes={}&samples={}&noise={}&train={}{split}&dseed={}&features={}&hidden={}&act={}&opt={}&lr={}&batch={}&reg={}&rate={}&seed={}&stop={}&test={}&discrete={}",
        e.classes,
        e.samples,
        e.noise,
        e.train_percent,
        e.data_seed,
        features.join(","),
        hidden.join(","),
        e.activation.key(),
        e.optimizer.key(),
        e.learning_rate,
        e.batch_size,
        e.regularization.key(),
        e.reg_rate,
        e.seed,
        e.stop_after,
        e.show_test as u8,
        e.discretize as u8,
    );
    let _ = write!(s, "&model={}", e.model.id());
    let map = e.model.to_map();
    for setting in e.model.settings() {
        if let Some(v) = map.get(setting.key) {
            let _ = write!(s, "&{}={}", setting.key, setting.format(v));
        }
    }
    if let Some(search) = &e.search {
        let _ = write!(s, "&search={}", search.kind.key());
        if search.kind == SearchKind::Random {
            let _ = write!(s, "&tries={}", search.tries);
        }
        let _ = write!(s, "&space={}", search.space());
    }
    // Payloads last, after every readable setting. A drawing always fits (MAX_DRAWN points).
    if let Some(packed) = e.drawn.as_ref().and_then(|d| payload::pack(d.to_text().as_bytes())) {
        let _ = write!(s, "&points={packed}");
    }
    s
}

/// Reads `model=` and that model's settings (the other pairs are reported as not applying).
/// Each pair carries the tag of where it came from, so its notices can point there.
fn decode_model(
    id: Option<&str>,
    pairs: &[(String, String, usize)],
    notices: &mut Vec<String>,
    tags: &mut Tags,
) -> ModelParams {
    let id = id.unwrap_or("mlp");
    let Some(params) = ModelParams::default_for(id) else {
        if only_in_full(id) {
            return ModelParams::Mlp; // read by the full build (`Decoded::needs_full`)
        }
        notices.push(format!("Unknown model “{}”; the neural network was used.", shown(id)));
        return ModelParams::Mlp;
    };
    let mut map = params.to_map();
    let settings = params.settings();
    for (key, value, tag) in pairs {
        match settings.iter().find(|s| s.key == key) {
            Some(setting) => {
                let default = map.get(setting.key).cloned().unwrap_or_default();
                let (v, note) = setting.parse(value, &default);
                notices.extend(note);
                map.insert(setting.key.into(), v);
            }
            None => notices.push(format!("“{}” is not a setting of the {id} model; it was ignored.", shown(key))),
        }
        tags.mark(notices, Some(*tag));
    }
    ModelParams::from_map(map).unwrap_or_else(|err| {
        notices.push(format!("The {id} model's settings could not be read ({err}); its defaults were used."));
        params
    })
}

/// Which pair (by index) each notice came from; `None` for the experiment as a whole.
#[derive(Debug, Default)]
struct Tags(Vec<Option<usize>>);

impl Tags {
    /// Tags every notice not yet tagged.
    fn mark(&mut self, notices: &[String], tag: Option<usize>) {
        self.0.resize(notices.len(), tag);
    }
}

/// Reads a model description alone (`model=tree&depth=3`), as the benchmark and tests pass it.
pub fn decode_model_query(query: &str) -> (ModelParams, Vec<String>) {
    let mut notices = Vec::new();
    let mut id = None;
    let mut settings = Vec::new();
    for (k, v) in pairs(query.trim_start_matches(['#', '?'])) {
        if k == "model" {
            id = Some(v);
        } else {
            settings.push((k, v));
        }
    }
    let settings: Vec<_> = settings.into_iter().map(|(k, v)| (k, v, 0)).collect();
    let params = decode_model(id.as_deref(), &settings, &mut notices, &mut Tags::default());
    (params, notices)
}

/// The experiment with some settings changed, given as link pairs (how a search builds its
/// candidates), read as a link would be: with a notice for each value that had to change.
pub fn with_settings(e: &Experiment, settings: &[(String, String)]) -> (Experiment, Vec<String>) {
    let mut pairs: Vec<(String, String)> = pairs(&encode(e)).collect();
    for (key, value) in settings {
        match pairs.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1.clone_from(value),
            None => pairs.push((key.clone(), value.clone())),
        }
    }
    let (decoded, _) = decode_pairs(pairs, payload::FILE);
    let mut changed = decoded.experiment;
    // The table's spec is read back against no file for `data=csv`: keep the original's.
    if e.data_name() == "csv" {
        changed.table.clone_from(&e.table);
    }
    changed.search.clone_from(&e.search);
    (changed, decoded.notices)
}

/// Whether `key` is a setting of some model (as opposed to an experiment key).
pub fn is_model_setting(key: &str) -> bool {
    MODELS.iter().any(|m| m.settings.iter().any(|s| s.key == key))
}

/// Reads a fragment (with or without the leading `#`), never failing.
pub fn decode(fragment: &str) -> Decoded {
    let mut notices = Vec::new();
    let mut text = fragment.strip_prefix('#').unwrap_or(fragment);
    if text.len() > MAX_FRAGMENT {
        let mut cut = MAX_FRAGMENT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text = &text[..cut];
        notices.push(format!("The link is longer than {MAX_FRAGMENT} characters; only its start was read."));
    }
    if text.trim().is_empty() {
        return Decoded {
            experiment: Experiment::default(),
            notices,
            csv: None,
            trained: None,
            display: Display::default(),
            needs_full: false,
        };
    }
    let (mut decoded, _) = decode_pairs(pairs(text).collect(), payload::LINK);
    notices.append(&mut decoded.notices);
    decoded.notices = notices;
    decoded
}

/// Reads already percent-decoded `(key, value)` pairs, as a link or the experiment's text
/// holds them, never failing. Returns, beside the experiment, the index of the pair each
/// notice is about (`None`: the experiment as a whole), so an editor can point at its line.
/// `limits` bound the payloads (`csv=`, `points=`): a link's, or a file's larger ones.
pub fn decode_pairs(pairs: Vec<(String, String)>, limits: payload::Limits) -> (Decoded, Vec<Option<usize>>) {
    let mut notices = Vec::new();
    let mut tags = Tags::default();
    // Unreadable values fall back to these (not to what an earlier duplicate key set).
    let d = Experiment::default();
    let mut e = d.clone();
    if pairs.is_empty() {
        let display = Display::default();
        return (Decoded { experiment: e, notices, csv: None, trained: None, display, needs_full: false }, Vec::new());
    }
    let mut seen: Vec<String> = Vec::new();
    let mut saw_version = false;
    let mut model_id: Option<String> = None;
    let mut model_pairs: Vec<(String, String, usize)> = Vec::new();
    let mut table_pairs: Vec<(String, String, usize)> = Vec::new();
    let mut points: Option<(String, usize)> = None;
    let mut csv: Option<Vec<u8>> = None;
    let mut trained: Option<TrainedLink> = None;
    let mut display = Display::default();
    let mut weights: Option<(String, usize)> = None;
    let mut search_kind: Option<SearchKind> = None;
    let mut tries = DEFAULT_TRIES;
    let mut space: Option<(String, usize)> = None;
    let (mut version_at, mut data_at, mut model_at, mut csv_at) = (None, None, None, None);
    for (index, (key, value)) in pairs.into_iter().enumerate() {
        let value = value.trim();
        if seen.contains(&key) {
            notices.push(format!("“{}” appears more than once; the last value was used.", shown(&key)));
        } else if seen.len() < KEYS.len() + 8 {
            seen.push(key.clone());
        }
        let mut n = Notes { key: &key, value, notices: &mut notices };
        match key.as_str() {
            "v" => {
                saw_version = true;
                version_at = Some(index);
                match value.parse::<u32>() {
                    Ok(VERSION) => {}
                    Ok(v) if v > VERSION => n.say(format!(
                        "This link is version {v}, newer than this app (version {VERSION}); settings were read as version {VERSION}."
                    )),
                    _ => n.say(format!("v={} is not a link version; it was read as version {VERSION}.", shown(value))),
                }
            }
            "data" => match (Generator::from_name(value), builtin::find(value)) {
                (Some(g), _) => {
                    e.data = g;
                    (e.table, e.drawn) = (None, None);
                }
                (_, Some(b)) => {
                    e.table = Some(b.spec());
                    e.drawn = None;
                }
                _ if value == "csv" => {
                    e.table = Some(TableSpec::for_table("csv", &Default::default(), None, &[]));
                    e.drawn = None;
                }
                _ if value == "drawn" => (e.table, e.drawn) = (None, Some(Drawn::default())),
                _ => n.fallback(e.data_name()),
            },
            k if TABLE_KEYS.contains(&k) => table_pairs.push((key.clone(), value.to_string(), index)),
            "points" => points = Some((value.to_string(), index)),
            "trained" => {
                let epoch = n.int(0, 0, u64::from(u32::MAX)) as u32;
                trained = Some(TrainedLink { epoch, weights: None });
            }
            "state" => weights = Some((value.to_string(), index)),
            "embed" => display.embed = n.flag(),
            "lang" => match LANGUAGES.iter().find(|l| **l == value) {
                Some(l) => display.lang = Some(l.to_string()),
                None => n.say(format!(
                    "“lang={value}” is not a language of Latih ({}); the browser's is used.",
                    LANGUAGES.join(", ")
                )),
            },
            "lesson" => {
                if !value.is_empty()
                    && value.len() <= 60
                    && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    display.lesson = Some(value.to_string());
                } else {
                    n.say("“lesson” names a built-in lesson (lowercase letters, digits and dashes); ignored.".into());
                }
            }
            "lessonfile" => match payload::unpack_within(value, limits) {
                Ok(_) => display.lesson_file = Some(value.to_string()),
                Err(why) => {
                    n.say(format!("The lesson carried in the link could not be read ({why}); it was not opened."))
                }
            },
            "show" => {
                let (names, note) = known_names(value, &PANELS, "show");
                display.show = names;
                notices.extend(note);
            }
            "hide" => {
                let (names, note) = known_names(value, &CONTROLS_HIDEABLE, "hide");
                display.hide = names;
                notices.extend(note);
            }
            "csv" => match payload::unpack_within(value, limits) {
                Ok(bytes) => csv = Some(bytes),
                Err(why) => {
                    n.say(format!("The CSV data in the link could not be read ({why}); load the file instead."))
                }
            },
            "classes" => e.classes = n.int(d.classes as u64, 2, 6) as usize,
            "samples" => e.samples = n.int(d.samples as u64, MIN_SAMPLES as u64, MAX_SAMPLES as u64) as usize,
            "noise" => e.noise = n.int(d.noise as u64, 0, 50) as u32,
            "train" => e.train_percent = n.int(d.train_percent as u64, 10, 90) as u32,
            "strat" => e.stratify = n.flag(),
            "folds" => {
                e.folds = n.int(d.folds as u64, 0, MAX_FOLDS as u64) as u32;
                if e.folds == 1 {
                    n.say("folds=1 is not a cross-validation; it was turned off (use 2 to 10).".into());
                    e.folds = 0;
                }
            }
            "dseed" => e.data_seed = n.int(d.data_seed, 0, u64::MAX),
            "features" => e.features = n.features(),
            "hidden" => e.hidden = n.hidden(),
            "act" => match Activation::from_key(value) {
                Some(a) => e.activation = a,
                None => n.fallback(e.activation.key()),
            },
            "opt" => match Optimizer::from_key(value) {
                Some(o) => e.optimizer = o,
                None => n.fallback(e.optimizer.key()),
            },
            "lr" => e.learning_rate = n.float(d.learning_rate, 1e-6, 10.0, false),
            "batch" => e.batch_size = n.int(d.batch_size as u64, 1, MAX_BATCH as u64) as usize,
            "reg" => match Regularization::from_key(value) {
                Some(r) => e.regularization = r,
                None => n.fallback(e.regularization.key()),
            },
            "rate" => e.reg_rate = n.float(d.reg_rate, 0.0, 10.0, true),
            "seed" => e.seed = n.int(d.seed, 0, u64::MAX),
            "stop" => e.stop_after = n.int(d.stop_after as u64, 0, 10_000_000) as u32,
            "test" => e.show_test = n.flag(),
            "discrete" => e.discretize = n.flag(),
            "model" => model_id = Some(value.to_string()),
            "search" => match value {
                "grid" => search_kind = Some(SearchKind::Grid),
                "random" => search_kind = Some(SearchKind::Random),
                "" | "off" | "none" => search_kind = None,
                _ => n.say(format!("search={} is not grid or random; no search was set.", shown(value))),
            },
            "tries" => tries = n.int(u64::from(DEFAULT_TRIES), 1, MAX_CANDIDATES as u64) as u32,
            "space" => space = Some((value.to_string(), index)),
            k if is_model_setting(k) => model_pairs.push((key.clone(), value.to_string(), index)),
            _ => notices.push(format!("Unknown setting “{}” was ignored.", shown(&key))),
        }
        match key.as_str() {
            "data" => data_at = Some(index),
            "model" => model_at = Some(index),
            "csv" => csv_at = Some(index),
            _ => {}
        }
        tags.mark(&notices, Some(index));
    }
    if !saw_version {
        notices.push(format!("The link has no version (v=…); it was read as version {VERSION}."));
    }
    tags.mark(&notices, version_at);
    let points_at = points.as_ref().map(|p| p.1);
    match (&mut e.drawn, points.map(|p| p.0)) {
        (Some(d), Some(p)) => {
            match payload::unpack_within(&p, limits).map(|b| String::from_utf8_lossy(&b).into_owned()) {
                Ok(text) => {
                    let (drawn, note) = Drawn::from_text(&text, e.classes);
                    *d = drawn;
                    notices.extend(note);
                }
                Err(why) => notices
                    .push(format!("The drawn points in the link could not be read ({why}); the drawing starts empty.")),
            }
        }
        (None, Some(_)) => notices.push("“points” only applies to drawn data (data=drawn); ignored.".into()),
        _ => {}
    }
    tags.mark(&notices, points_at);
    if csv.is_some() && e.data_name() != "csv" {
        notices.push("“csv” only applies to data=csv; ignored.".into());
        csv = None;
    }
    tags.mark(&notices, csv_at);
    if let Some((w, at)) = weights {
        match (trained.take(), payload::unpack_within(&w, limits)) {
            (Some(t), Ok(bytes)) => trained = Some(TrainedLink { weights: Some(bytes), ..t }),
            // Unreadable weights: the model starts untrained (not retrained to the epoch).
            (Some(_), Err(why)) => notices.push(format!(
                "The trained weights in the link could not be read ({why}); the model starts untrained."
            )),
            (None, _) => notices.push("“state” needs “trained” (the epoch they are from); ignored.".into()),
        }
        tags.mark(&notices, Some(at));
    }
    match &mut e.table {
        Some(spec) => decode_table(spec, &table_pairs, &mut notices, &mut tags),
        None if !table_pairs.is_empty() => {
            notices.push(format!(
                "{} only apply to a table (a built-in dataset or a CSV file); ignored for {}.",
                table_pairs.iter().map(|(k, _, _)| format!("“{}”", shown(k))).collect::<Vec<_>>().join(", "),
                e.data.name()
            ));
            tags.mark(&notices, table_pairs.first().map(|p| p.2));
        }
        None => {}
    }
    tags.mark(&notices, data_at);
    e.model = decode_model(model_id.as_deref(), &model_pairs, &mut notices, &mut tags);
    tags.mark(&notices, model_at);
    if let Some(note) = e.fit_model_to_task() {
        notices.push(note);
    }
    tags.mark(&notices, model_at);
    match (search_kind, space) {
        (Some(kind), Some((text, at))) => {
            let (params, mut notes) = SearchSpec::parse_space(&text, &e.model);
            if params.is_empty() {
                notes.push("The search space has no usable setting; no search was set.".into());
            } else {
                e.search = Some(SearchSpec { kind, tries, params });
            }
            notices.append(&mut notes);
            tags.mark(&notices, Some(at));
        }
        (Some(_), None) => {
            notices.push("“search” needs a “space” (the settings and values to try); no search was set.".into())
        }
        (None, Some((_, at))) => {
            notices.push("“space” only applies with “search=grid” or “search=random”; ignored.".into());
            tags.mark(&notices, Some(at));
        }
        (None, None) => {}
    }
    if !display.embed && !display.show.is_empty() {
        notices.push("“show” only applies to an embed (embed=1); ignored.".into());
        display.show.clear();
    }
    let needs_full = cfg!(not(feature = "full"))
        && (e.table.is_some() || csv.is_some() || model_id.as_deref().is_some_and(only_in_full));
    (Decoded { experiment: e, notices, csv, trained, display, needs_full }, tags.0)
}

/// A model the full build has and the playground build does not (every one but the network).
fn only_in_full(id: &str) -> bool {
    cfg!(not(feature = "full")) && id != "mlp" && crate::models::MODELS.iter().any(|m| m.id == id)
}

/// Reads a table's settings; for a shipped dataset, checks them against its columns.
fn decode_table(
    spec: &mut TableSpec,
    table_pairs: &[(String, String, usize)],
    notices: &mut Vec<String>,
    tags: &mut Tags,
) {
    let names = |v: &str| -> Vec<String> {
        v.split(',').map(str::trim).filter(|s| !s.is_empty()).take(256).map(str::to_owned).collect()
    };
    for (key, value, tag) in table_pairs {
        let value = value.trim();
        match key.as_str() {
            "target" if !value.is_empty() => spec.target = value.to_owned(),
            "target" => {}
            "framing" => match value {
                "classification" => spec.framing = Framing::Classification,
                "regression" => spec.framing = Framing::Regression,
                _ => notices.push(format!(
                    "framing={} is not classification or regression; it was kept as it was.",
                    shown(value)
                )),
            },
            "missing" => match Missing::from_key(value) {
                Some(m) => spec.missing = m,
                None => notices.push(format!(
                    "missing={} is not drop, mean, median or mode; {} was kept.",
                    shown(value),
                    spec.missing.key()
                )),
            },
            "labelenc" => spec.label_encoded = names(value),
            "exclude" => spec.exclude = names(value),
            _ => match names(value).as_slice() {
                [p] if p == "pca" => spec.view = ViewAxes::Pca,
                [a, b] => spec.view = ViewAxes::Pair(a.clone(), b.clone()),
                _ => notices.push(format!("view={} is not “pca” or two input names; pca was used.", shown(value))),
            },
        }
        tags.mark(notices, Some(*tag));
    }
    // (The playground build has no tables to check against: the full build opens this.)
    if let Some(b) = builtin::find(&spec.source).filter(|_| cfg!(feature = "full")) {
        notices.extend(spec.fit_to(b.table()));
    }
}

/// Parses one value and records what had to change.
struct Notes<'a> {
    key: &'a str,
    value: &'a str,
    notices: &'a mut Vec<String>,
}

impl Notes<'_> {
    fn say(&mut self, s: String) {
        self.notices.push(s);
    }
    fn fallback(&mut self, default: &str) {
        let msg = format!("{}={} is not a known value; {} was kept.", self.key, shown(self.value), default);
        self.say(msg);
    }
    /// An integer in [min, max]; unreadable → `default`, out of range → clamped.
    fn int(&mut self, default: u64, min: u64, max: u64) -> u64 {
        match self.value.parse::<u64>() {
            Ok(v) if v < min => {
                self.say(format!("{}={v} is below the minimum {min}; {min} was used.", self.key));
                min
            }
            Ok(v) if v > max => {
                self.say(format!("{}={v} is above the maximum {max}; {max} was used.", self.key));
                max
            }
            Ok(v) => v,
            Err(_) => {
                // A negative or huge number is still a number: clamp it rather than reset it.
                let as_float = self.value.parse::<f64>().ok().filter(|f| !f.is_nan());
                let v = match as_float {
                    Some(f) if f < min as f64 => min,
                    Some(f) if f > max as f64 => max,
                    _ => default,
                };
                self.say(format!(
                    "{}={} is not a whole number in {min}..{max}; {v} was used.",
                    self.key,
                    shown(self.value)
                ));
                v
            }
        }
    }
    /// A float in [min, max] (`zero_ok` allows exactly 0 below min).
    fn float(&mut self, default: f64, min: f64, max: f64, zero_ok: bool) -> f64 {
        match self.value.parse::<f64>() {
            Ok(v) if v.is_finite() && zero_ok && v == 0.0 => 0.0,
            Ok(v) if v.is_finite() && v < min => {
                self.say(format!("{}={} is below the minimum {min}; {min} was used.", self.key, shown(self.value)));
                min
            }
            Ok(v) if v > max => {
                self.say(format!("{}={} is above the maximum {max}; {max} was used.", self.key, shown(self.value)));
                max
            }
            Ok(v) if v.is_finite() => v,
            _ => {
                self.say(format!("{}={} is not a number; {default} was used.", self.key, shown(self.value)));
                default
            }
        }
    }
    fn flag(&mut self) -> bool {
        match self.value {
            "1" | "true" => true,
            "0" | "false" | "" => false,
            _ => {
                self.say(format!("{}={} should be 0 or 1; 0 was used.", self.key, shown(self.value)));
                false
            }
        }
    }
    fn features(&mut self) -> Vec<Feature> {
        let mut picked = Vec::new();
        for name in self.value.split(',').map(str::trim).filter(|s| !s.is_empty()).take(64) {
            match Feature::from_key(name) {
                Some(f) if !picked.contains(&f) => picked.push(f),
                Some(_) => {}
                None => {
                    let msg = format!("Unknown feature “{}” was ignored.", shown(name));
                    self.say(msg);
                }
            }
        }
        if picked.is_empty() {
            self.say("No input feature was left on; x1 and x2 were turned on.".into());
            return vec![Feature::X1, Feature::X2];
        }
        // Canonical order, whatever order the link listed them in.
        Feature::ALL.into_iter().filter(|f| picked.contains(f)).collect()
    }
    fn hidden(&mut self) -> Vec<usize> {
        let mut layers = Vec::new();
        for (i, part) in self.value.split(',').map(str::trim).filter(|s| !s.is_empty()).enumerate() {
            if i >= MAX_HIDDEN_LAYERS {
                let msg = format!("At most {MAX_HIDDEN_LAYERS} hidden layers are allowed; the rest were dropped.");
                self.say(msg);
                break;
            }
            let n = match part.parse::<u64>() {
                Ok(0) => {
                    self.say(format!("Hidden layer {} had 0 neurons; 1 was used.", i + 1));
                    1
                }
                Ok(n) if n > MAX_NEURONS as u64 => {
                    self.say(format!(
                        "Hidden layer {} had {n} neurons, above the maximum {MAX_NEURONS}; {MAX_NEURONS} were used.",
                        i + 1
                    ));
                    MAX_NEURONS
                }
                Ok(n) => n as usize,
                Err(_) => {
                    self.say(format!("Hidden layer {} size “{}” is not a number; 4 was used.", i + 1, shown(part)));
                    4
                }
            };
            layers.push(n);
        }
        layers
    }
}

/// The percent-decoded `key=value` pairs of a fragment (a bare key has an empty value).
fn pairs(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    text.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k), percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// A user-supplied string cut to a readable length for a notice.
fn shown(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn default_link_is_readable_and_round_trips() {
        let e = Experiment::default();
        let link = encode(&e);
        assert_eq!(
            link,
            "v=1&data=circle&classes=3&samples=500&noise=0&train=50&dseed=1&features=x1,x2&hidden=4,2&act=tanh&opt=sgd&lr=0.03&batch=10&reg=none&rate=0&seed=1&stop=0&test=0&discrete=0&model=mlp"
        );
        let d = decode(&format!("#{link}"));
        assert_eq!(d.experiment, e);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
    }

    #[test]
    fn keys_are_encoded_in_canonical_order() {
        let link = encode(&Experiment::default());
        let keys: Vec<&str> = link.split('&').map(|p| p.split('=').next().unwrap_or("")).collect();
        assert_eq!(keys, KEYS);
        // A table's settings follow `data`.
        let e = decode("v=1&data=iris").experiment;
        let link = encode(&e);
        let keys: Vec<&str> = link.split('&').map(|p| p.split('=').next().unwrap_or("")).collect();
        let want: Vec<&str> = KEYS[..2].iter().chain(&TABLE_KEYS).chain(&KEYS[2..]).copied().collect();
        assert_eq!(keys, want);
    }

    #[test]
    fn drawn_points_and_small_csv_files_travel_in_the_link() {
        let mut d = Drawn::default();
        for i in 0..300 {
            let f = f64::from(i);
            assert!(d.add(f.sin() * 5.0, f.cos() * 4.123_456, f64::from(i % 3), 3));
        }
        let e = Experiment { drawn: Some(d), classes: 3, ..Experiment::default() };
        let link = encode(&e);
        assert!(link.contains("data=drawn") && link.contains("&points="), "{link}");
        assert!(link.len() < MAX_FRAGMENT, "{}", link.len());
        let back = decode(&link);
        assert!(back.notices.is_empty(), "{:?}", back.notices);
        assert_eq!(back.experiment, e);
        let csv = b"a,b,y\n1,2,x\n3,4,z\n";
        let packed = payload::pack(csv).expect("small");
        let back = decode(&format!("v=1&data=csv&target=y&csv={packed}"));
        assert_eq!(back.csv.as_deref(), Some(&csv[..]));
        let bad = decode("v=1&data=drawn&points=%%%");
        assert!(bad.notices.iter().any(|n| n.contains("drawn points")), "{:?}", bad.notices);
        assert_eq!(bad.experiment.drawn, Some(Drawn::default()));
    }

    #[test]
    fn table_links_round_trip_and_repair_bad_columns() {
        let link = "v=1&data=penguins&target=sex&framing=classification&missing=drop&labelenc=island&exclude=year&view=bill_length_mm,body_mass_g";
        let d = decode(link);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let t = d.experiment.table.clone().expect("a table");
        assert_eq!(
            (t.target.as_str(), t.missing, t.exclude.as_slice()),
            ("sex", Missing::Drop, &["year".to_string()][..])
        );
        assert_eq!(t.view, ViewAxes::Pair("bill_length_mm".into(), "body_mass_g".into()));
        assert_eq!(decode(&encode(&d.experiment)).experiment, d.experiment);
        // Names with spaces and separators survive; unknown columns and a text regression target are repaired.
        let d = decode("v=1&data=iris&target=species&framing=regression&exclude=sepal%20width%20(cm),nope");
        let t = d.experiment.table.clone().expect("a table");
        assert_eq!(t.framing, Framing::Classification);
        assert_eq!(t.exclude, ["sepal width (cm)"]);
        assert!(
            d.notices.iter().any(|n| n.contains("holds text")) && d.notices.iter().any(|n| n.contains("“nope”")),
            "{:?}",
            d.notices
        );
        assert!(encode(&d.experiment).contains("exclude=sepal%20width%20(cm)&"));
        // Table keys on generated data are reported, not silently used.
        let d = decode("v=1&data=xor&target=y");
        assert!(d.notices.iter().any(|n| n.contains("only apply to a table")));
    }

    #[test]
    fn bad_values_are_clamped_or_defaulted_with_notices() {
        let d =
            decode("v=1&data=nope&samples=9999999&noise=-5&lr=abc&hidden=4,0,500&features=x1,zz&bogus=1&test=maybe");
        let e = &d.experiment;
        assert_eq!(e.data, Generator::Circle);
        assert_eq!(e.samples, MAX_SAMPLES);
        assert_eq!(e.noise, 0);
        assert_eq!(e.learning_rate, 0.03);
        assert_eq!(e.hidden, vec![4, 1, MAX_NEURONS]);
        assert_eq!(e.features, vec![Feature::X1]);
        assert!(!e.show_test);
        let all = d.notices.join("\n");
        for needle in [
            "data=nope",
            "samples=9999999",
            "noise=-5",
            "lr=abc",
            "0 neurons",
            "500 neurons",
            "zz",
            "bogus",
            "test=maybe",
        ] {
            assert!(all.contains(needle), "no notice mentions {needle}: {all}");
        }
    }

    #[test]
    fn missing_or_newer_version_is_reported() {
        assert!(decode("data=xor").notices.iter().any(|n| n.contains("no version")));
        let d = decode("v=7&data=xor");
        assert_eq!(d.experiment.data, Generator::Xor);
        assert!(d.notices.iter().any(|n| n.contains("version 7")));
    }

    #[test]
    fn no_model_setting_shares_a_key_with_the_link_itself() {
        let link_keys: Vec<&str> = KEYS
            .iter()
            .chain(&TABLE_KEYS)
            .chain(&SPLIT_KEYS)
            .chain(&SEARCH_KEYS)
            .chain(&["points", "csv", "trained", "state", "embed", "show", "hide", "lang", "lesson", "lessonfile"])
            .copied()
            .collect();
        for m in MODELS {
            for setting in m.settings {
                assert!(!link_keys.contains(&setting.key), "{}'s “{}” is also a link key", m.id, setting.key);
            }
        }
    }

    #[test]
    fn embed_display_settings_round_trip_and_unknown_names_are_reported() {
        let d = decode("v=1&data=xor&embed=1&show=output,model&hide=lr,play,bogus");
        assert!(d.display.embed);
        assert_eq!(d.display.show, ["model", "output"]);
        assert_eq!(d.display.hide, ["lr", "play"]);
        assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
        assert!(d.notices[0].contains("bogus"));
        let again = decode(&format!("{}{}", encode(&d.experiment), d.display.to_link()));
        assert_eq!(again.display, d.display);
        assert!(again.notices.is_empty(), "{:?}", again.notices);
        assert_eq!(decode("v=1&embed=1").display.panels(), EMBED_PANELS);
        assert_eq!(decode("v=1").display.panels(), PANELS);
        assert!(decode("v=1&show=data").notices.iter().any(|n| n.contains("embed=1")));
    }

    #[test]
    fn language_and_lesson_keys_round_trip_and_bad_values_are_reported() {
        let d = decode("v=1&data=xor&lang=id&lesson=04-first-model");
        assert_eq!((d.display.lang.as_deref(), d.display.lesson.as_deref()), (Some("id"), Some("04-first-model")));
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let again = decode(&format!("{}{}", encode(&d.experiment), d.display.to_link()));
        assert_eq!(again.display, d.display);
        let packed = payload::pack("## A\n@experiment v=1&data=xor\n".as_bytes()).expect("packs");
        let d = decode(&format!("v=1&lessonfile={packed}"));
        assert_eq!(d.display.lesson_text().as_deref(), Some("## A\n@experiment v=1&data=xor\n"));
        let again = decode(&format!("v=1{}", d.display.to_link()));
        assert_eq!(again.display.lesson_text(), d.display.lesson_text());
        let d = decode("v=1&lang=fr&lesson=<script>&lessonfile=%%%");
        assert_eq!(
            (d.display.lang.clone(), d.display.lesson.clone(), d.display.lesson_file.clone()),
            (None, None, None)
        );
        assert_eq!(d.notices.len(), 3, "{:?}", d.notices);
    }

    #[test]
    fn percent_encoded_links_decode() {
        let d = decode("v=1&features=x1%2Cx2%2Csinx1&hidden=8%2C8");
        assert_eq!(d.experiment.features, vec![Feature::X1, Feature::X2, Feature::SinX1]);
        assert_eq!(d.experiment.hidden, vec![8, 8]);
        assert!(d.notices.is_empty());
    }

    #[test]
    fn too_many_layers_are_cut_with_a_notice() {
        let many = vec!["3"; 1000].join(",");
        let d = decode(&format!("v=1&hidden={many}"));
        assert_eq!(d.experiment.hidden.len(), MAX_HIDDEN_LAYERS);
        assert!(d.notices.iter().any(|n| n.contains("hidden layers")));
    }

    /// The experiment keys, the model names and every model setting's key.
    fn all_keys() -> Vec<String> {
        let mut keys: Vec<String> = KEYS.iter().chain(&["trained", "state"]).map(|k| k.to_string()).collect();
        for m in MODELS {
            keys.extend(m.settings.iter().map(|s| s.key.to_string()));
        }
        keys
    }

    #[test]
    fn model_settings_round_trip_and_bad_ones_are_reported() {
        let link = "v=1&data=moons&model=svm&kernel=poly&c=10&gamma=0.25&degree=4";
        let d = decode(link);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let map = d.experiment.model.to_map();
        assert_eq!(
            (map["kernel"].as_str(), map["c"].as_f64(), map["degree"].as_i64()),
            (Some("poly"), Some(10.0), Some(4))
        );
        assert!(encode(&d.experiment).ends_with("&model=svm&kernel=poly&c=10&gamma=0.25&degree=4"));
        let d = decode("v=1&data=moons&model=tree&depth=99&kernel=rbf&criterion=purity");
        assert_eq!(d.experiment.model.to_map()["depth"].as_i64(), Some(30));
        assert!(d.notices.iter().any(|n| n.contains("depth")), "{:?}", d.notices);
        assert!(d.notices.iter().any(|n| n.contains("kernel") && n.contains("not a setting")), "{:?}", d.notices);
        assert!(d.notices.iter().any(|n| n.contains("criterion")), "{:?}", d.notices);
        let d = decode("v=1&data=plane&model=logistic");
        assert_eq!(d.experiment.model, ModelParams::Mlp);
        assert!(d.notices.iter().any(|n| n.contains("does not fit regression")), "{:?}", d.notices);
        let d = decode("v=1&model=nonsense");
        assert_eq!(d.experiment.model, ModelParams::Mlp);
        assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    }

    fn experiment_strategy() -> impl Strategy<Value = Experiment> {
        (
            (0usize..Generator::ALL.len(), 2usize..=6, MIN_SAMPLES..=MAX_SAMPLES, 0u32..=50, 10u32..=90, any::<u64>()),
            (
                proptest::sample::subsequence(Feature::ALL.to_vec(), 1..=7),
                proptest::collection::vec(1usize..=MAX_NEURONS, 0..=MAX_HIDDEN_LAYERS),
            ),
            (0usize..4, 0usize..3, 1e-6f64..=10.0, 1usize..=MAX_BATCH, 0usize..3, 0f64..=10.0),
            (any::<u64>(), 0u32..=10_000_000, any::<bool>(), any::<bool>(), 0usize..MODELS.len()),
        )
            .prop_map(
                |(
                    (g, classes, samples, noise, train, dseed),
                    (features, hidden),
                    (a, o, lr, batch, r, rate),
                    (seed, stop, test, discrete, m),
                )| {
                    let mut e = Experiment {
                        data: Generator::ALL[g],
                        classes,
                        samples,
                        noise,
                        train_percent: train,
                        data_seed: dseed,
                        features,
                        hidden,
                        activation: Activation::ALL[a],
                        optimizer: Optimizer::ALL[o],
                        learning_rate: lr,
                        batch_size: batch,
                        regularization: Regularization::ALL[r],
                        reg_rate: rate,
                        seed,
                        stop_after: stop,
                        show_test: test,
                        discretize: discrete,
                        model: ModelParams::default_for(MODELS[m].id).unwrap_or_default(),
                        table: None,
                        drawn: None,
                        stratify: seed % 2 == 0,
                        folds: [0, 2, 5, 10][(dseed % 4) as usize],
                        search: None,
                    };
                    e.fit_model_to_task();
                    e
                },
            )
    }

    /// A valid experiment on a shipped table (any target, framing, missing-value rule, encoded
    /// and excluded columns, view) or on drawn points.
    fn data_strategy() -> impl Strategy<Value = Experiment> {
        (
            experiment_strategy(),
            0usize..builtin::BUILTINS.len() + 1,
            (any::<u64>(), any::<bool>(), 0usize..4, any::<u64>(), any::<u64>(), any::<bool>()),
            proptest::collection::vec((-7.0f64..7.0, -7.0f64..7.0, -2.0f64..7.0), 0..60),
        )
            .prop_map(|(mut e, source, (t, regression, missing, enc, exc, pair), points)| {
                match builtin::BUILTINS.get(source) {
                    Some(b) => {
                        let table = b.table();
                        let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
                        let pick = |bits: u64| {
                            names
                                .iter()
                                .enumerate()
                                .filter(|(i, _)| bits >> (i % 64) & 1 == 1)
                                .map(|(_, n)| n.clone())
                                .collect::<Vec<_>>()
                        };
                        let mut spec = TableSpec::for_table(b.id, table, Some(&names[t as usize % names.len()]), &[]);
                        spec.framing = if regression { Framing::Regression } else { Framing::Classification };
                        spec.missing = Missing::ALL[missing];
                        spec.label_encoded = pick(enc);
                        spec.exclude = pick(exc);
                        if pair {
                            spec.view = ViewAxes::Pair(names[0].clone(), names[names.len() - 1].clone());
                        }
                        spec.fit_to(table);
                        e.table = Some(spec);
                    }
                    None => {
                        let mut d = Drawn { regression, ..Drawn::default() };
                        for (x, y, t) in points {
                            d.add(x, y, t, e.classes);
                        }
                        e.drawn = Some(d);
                    }
                }
                // The generator is not in a table's or drawing's link: it stays the default.
                e.data = Experiment::default().data;
                e.fit_model_to_task();
                e
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn any_valid_experiment_round_trips_without_notices(e in experiment_strategy()) {
            let d = decode(&encode(&e));
            prop_assert!(d.notices.is_empty(), "{:?}", d.notices);
            prop_assert_eq!(d.experiment, e);
        }

        #[test]
        fn any_valid_table_or_drawing_round_trips_without_notices(e in data_strategy()) {
            let d = decode(&encode(&e));
            prop_assert!(d.notices.is_empty(), "{:?}", d.notices);
            prop_assert_eq!(d.experiment, e);
        }

        #[test]
        fn any_valid_experiment_round_trips_through_its_text(e in data_strategy()) {
            let text = text::to_text(&e, None);
            let read = text::from_text(&text, payload::LINK);
            prop_assert!(read.problems.is_empty(), "{:?}", read.problems);
            prop_assert_eq!(&read.decoded.experiment, &e);
            prop_assert_eq!(text::to_text(&read.decoded.experiment, None), text);
        }

        #[test]
        fn decoding_arbitrary_text_never_panics_and_is_stable(s in ".{0,300}") {
            let d = decode(&s);
            // Whatever came out is itself a valid, notice-free link.
            let again = decode(&encode(&d.experiment));
            prop_assert!(again.notices.is_empty(), "{:?}", again.notices);
            prop_assert_eq!(again.experiment, d.experiment);
        }

        #[test]
        fn decoding_mangled_known_keys_never_panics(
            pairs in proptest::collection::vec((proptest::sample::select(all_keys()), "[-0-9a-z.,%eE+]{0,12}"), 0..25)
        ) {
            let link: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let d = decode(&link.join("&"));
            prop_assert!(d.experiment.mlp_params().check().is_ok());
            prop_assert!(d.experiment.model.check().is_ok());
        }
    }
}
