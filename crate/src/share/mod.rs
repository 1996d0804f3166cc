//! The link format, version 1: an experiment as readable `key=value` pairs in the URL
//! fragment, in a canonical order with the version first (`v=1&data=circle&...`).
//!
//! Decoding never fails and never panics: unknown keys are ignored, unreadable values fall
//! back to their default, out-of-range values are clamped, and every such change is reported
//! as a notice for the user. `experiment::settings::SETTINGS` gives the canonical order.

use crate::data::tabular::{Framing, Missing, TableSpec, ViewAxes};
use crate::data::{builtin, Drawn, Feature, Generator};

pub mod open;
pub mod payload;
pub mod playground;
pub mod text;
use crate::experiment::run::Trained;
use crate::experiment::search::{SearchKind, SearchSpec, DEFAULT_TRIES, MAX_CANDIDATES};
use crate::experiment::settings::{self, Accepted, Check, Group, SETTINGS};
pub use crate::experiment::settings::{encode_name, VERSION};
use crate::experiment::Experiment;
use crate::models::mlp::{MAX_HIDDEN_LAYERS, MAX_NEURONS};
use crate::models::{ModelParams, MODELS};
use std::fmt::Write as _;

/// Longest fragment read; the rest is ignored (with a notice) so a pasted blob cannot stall.
pub const MAX_FRAGMENT: usize = 16 * 1024;

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
    for (key, value) in settings::pairs(e) {
        if !s.is_empty() {
            s.push('&');
        }
        let _ = write!(s, "{key}={value}");
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

/// The model a query names (`model=kmeans&k=3`), or its first notice as the error.
pub fn model_from_query(query: &str) -> Result<ModelParams, String> {
    let (params, notices) = decode_model_query(query);
    match notices.into_iter().next() {
        Some(n) => Err(n),
        None => Ok(params),
    }
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
        } else if seen.len() < SETTINGS.len() + 8 {
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
            k if settings::find(k).is_some_and(|s| s.group == Group::Table) => {
                table_pairs.push((key.clone(), value.to_string(), index))
            }
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
                let (names, note) = known_names(value, &settings::hideable(), "hide");
                display.hide = names;
                notices.extend(note);
            }
            "csv" => match payload::unpack_within(value, limits) {
                Ok(bytes) => csv = Some(bytes),
                Err(why) => {
                    n.say(format!("The CSV data in the link could not be read ({why}); load the file instead."))
                }
            },
            "folds" => {
                n.apply(settings::find("folds"), &mut e, &d);
                if e.folds == 1 {
                    n.say("folds=1 is not a cross-validation; it was turned off (use 2 to 10).".into());
                    e.folds = 0;
                }
            }
            "features" => e.features = n.features(),
            "hidden" => e.hidden = n.hidden(),
            "model" => model_id = Some(value.to_string()),
            "search" => match value {
                "grid" => search_kind = Some(SearchKind::Grid),
                "random" => search_kind = Some(SearchKind::Random),
                "" | "off" | "none" => search_kind = None,
                _ => n.say(format!("search={} is not grid or random; no search was set.", shown(value))),
            },
            "tries" => tries = n.int(u64::from(DEFAULT_TRIES), 1, MAX_CANDIDATES as u64) as u32,
            "space" => space = Some((value.to_string(), index)),
            k if settings::find(k).is_some_and(|s| s.check.is_plain()) => n.apply(settings::find(k), &mut e, &d),
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
    /// Reads a setting the table checks (a whole number, a number, a flag, one of some words)
    /// into `e`: unreadable values fall back to `d`'s (not to what an earlier duplicate key
    /// set), out-of-range values are clamped, unknown words keep `e`'s.
    fn apply(&mut self, setting: Option<&settings::Setting>, e: &mut Experiment, d: &Experiment) {
        let Some(s) = setting else { return };
        let default = || (s.value)(d).unwrap_or_default();
        match s.check {
            Check::Int { min, max } => {
                let v = self.int(default().parse().unwrap_or(min), min, max);
                (s.set)(e, Accepted::Int(v));
            }
            Check::Float { min, max, zero_ok } => {
                let v = self.float(default().parse().unwrap_or(min), min, max, zero_ok);
                (s.set)(e, Accepted::Float(v));
            }
            Check::Flag => {
                let v = self.flag();
                (s.set)(e, Accepted::Flag(v));
            }
            Check::Choice { options } if options().contains(&self.value) => (s.set)(e, Accepted::Choice(self.value)),
            Check::Choice { .. } => self.fallback(&(s.value)(e).unwrap_or_default()),
            Check::List { .. } | Check::Text => {}
        }
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
mod tests;
