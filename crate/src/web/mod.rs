//! The one wasm-bindgen surface: an opaque `Lab` handle that JS drives, plus the chart
//! drawers in `charts`. Errors become `JsValue` strings here and nowhere else.

mod charts;
mod eval_view;
mod explore_view;
mod image_view;
mod model_view;

use crate::data::table::{read_csv, Column, CsvOptions, CsvReading, Parsed, Table, Values};
use crate::data::tabular::TableSpec;
use crate::data::{builtin, Task};
use crate::experiment::run::{Fields, SessionData};
use crate::experiment::{Experiment, Session, Status};
use crate::explore::{correlation, summarize, ColumnSummary, Correlation, EdaJob};
use crate::lang::Lang;
use crate::share;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Grid resolution of the decision boundary and neuron fields.
const FIELD_RES: usize = 100;

thread_local! {
    /// The message of the last panic, for the page's crash report.
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|p| *p.borrow_mut() = info.to_string());
        // Also to the console, with its stack, for whoever investigates.
        console_error_panic_hook::hook(info);
    }));
}

/// What the last panic inside the core said (empty when none happened). After a panic the
/// `Lab` it happened in is unusable; the page makes a new one and goes on.
/// A lesson file read into plain data (see `lessons::parse`): `{title, intro, sections,
/// notices}`, drawn by the page as text.
#[wasm_bindgen(js_name = parseLesson)]
pub fn parse_lesson(text: &str) -> JsValue {
    to_js(&crate::lessons::parse(text))
}

/// A formula in the lessons' TeX subset as a MathML element tree (see `lessons::math`); the
/// page's explanations fill it with current values first.
#[wasm_bindgen]
pub fn formula(tex: &str) -> JsValue {
    to_js(&crate::lessons::math::parse(tex).0)
}

/// The error the playground build gives for what only the full build has (`NEEDS_FULL`): the
/// page loads the full build when it sees it.
#[wasm_bindgen(js_name = needsFull)]
pub fn needs_full() -> String {
    crate::NEEDS_FULL.into()
}

/// Whether this is the full build (else the playground build).
#[wasm_bindgen(js_name = isFull)]
pub fn is_full() -> bool {
    cfg!(feature = "full")
}

#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> String {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// A live experiment for the page: decode a link, train within a time budget, draw views.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Lab {
    session: Session,
    notices: Vec<String>,
    /// What the last draw computed from the model: a paused model is not re-evaluated when
    /// only the hovered neuron or a view toggle changes.
    fields: Option<ViewCache>,
    /// The person's own table (from `load_csv`) and its file name; it never leaves the page.
    user: Option<Table>,
    user_name: String,
    /// The person's file as a link payload, when it is small enough to travel in the link.
    user_payload: Option<String>,
    /// How the file was read: its delimiter and whether its first row named the columns.
    user_format: (u8, bool),
    /// The `csv` payload of the experiment file the data came from, when too big for a link:
    /// saving the experiment again writes it back.
    user_file_payload: Option<String>,
    /// How the link asks the page to show the experiment (embed mode, panels, hidden controls).
    display: share::Display,
    /// Exploratory statistics of the current data, keyed by the data's part of the link.
    eda: Option<(String, Eda)>,
    /// Statistics being computed by `explore_step`, for the key they belong to.
    eda_job: Option<(String, EdaJob)>,
    /// Test rows picked in the confusion matrix: ringed in the view, shown as images.
    highlight: Vec<usize>,
    /// The current model's metrics, computed once per model version.
    reports: Option<eval_view::Reports>,
    cv: Option<eval_view::Running<crate::eval::CrossValidation>>,
    learning: Option<eval_view::Running<crate::eval::LearningCurve>>,
    search: Option<eval_view::Running<crate::eval::Search>>,
    /// What the model read in the digit last drawn on the pad: (digit, its probability), for
    /// a lesson's task (`pad_digit`, `pad_confidence`). None once the pad is cleared.
    pad: Option<(f64, f64)>,
    /// The person's file while it is read in slices (`csv_start`).
    csv: Option<CsvJob>,
    /// The epoch (or iteration) a trained state without weights is replayed to, in slices
    /// (`replay_step`), when it takes longer than `REPLAY_AT_ONCE_MS`.
    replay: Option<u32>,
}

/// How long opening a link or file may replay its training before the rest goes to the
/// page's frames: a hand-edited `trained=140000` froze the tab for 4-11 s.
const REPLAY_AT_ONCE_MS: f64 = 40.0;

/// A file being read: the reading, its name, and its link payload when small enough.
#[derive(Debug)]
struct CsvJob {
    stage: CsvStage,
    name: String,
    payload: Option<String>,
}

/// How far a person's file has come: each stage after reading is one call of its own, so a
/// large file's preparation does not block the page in one piece with the reading's end or
/// with the session.
#[derive(Debug)]
enum CsvStage {
    Reading(CsvReading),
    Read(Parsed),
    /// Selected, split and preprocessed (`SessionData`), with the notices so far and the
    /// experiment it was prepared for.
    Prepared(Parsed, SessionData, Vec<String>, Box<Experiment>),
}

/// Why a file that was read cannot become the data.
fn untrainable(parsed: &Parsed, why: &crate::models::ParamError) -> String {
    format!("The file was read ({} rows), but cannot be trained on as it is: {}.", parsed.table.rows, why.message)
}

impl CsvJob {
    /// Moves one stage on (reading: about `budget_ms` of it); true once prepared.
    fn advance(&mut self, experiment: &Experiment, budget_ms: f64) -> Result<bool, String> {
        let stage = std::mem::replace(&mut self.stage, CsvStage::Read(Parsed::default()));
        self.stage = match stage {
            CsvStage::Reading(mut reading) => {
                let until = now_ms() + budget_ms;
                loop {
                    if reading.step(2000).map_err(|e| e.to_string())? {
                        break CsvStage::Read(reading.finish().map_err(|e| e.to_string())?);
                    }
                    if now_ms() >= until {
                        break CsvStage::Reading(reading);
                    }
                }
            }
            CsvStage::Read(parsed) => {
                let mut notices = parsed.notices.clone();
                let mut e = experiment.clone();
                e.table = Some(TableSpec::for_table("csv", &parsed.table, None, &[]));
                notices.extend(e.fit_model_to_task());
                let data =
                    SessionData::new(e, Some(&parsed.table), None, 100).map_err(|why| untrainable(&parsed, &why))?;
                CsvStage::Prepared(parsed, data, notices, Box::new(experiment.clone()))
            }
            // Prepared for an experiment changed since (a setting picked meanwhile): again.
            CsvStage::Prepared(parsed, _, _, based_on) if *based_on != *experiment => CsvStage::Read(parsed),
            prepared @ CsvStage::Prepared(..) => prepared,
        };
        Ok(matches!(self.stage, CsvStage::Prepared(..)))
    }
}

/// What the EDA panel shows: every column's summary, the correlations, and the target.
#[derive(Debug, Clone, Serialize)]
struct Eda {
    name: String,
    rows: usize,
    target: String,
    columns: Vec<ColumnSummary>,
    correlation: Correlation,
}

/// Fields and point labels computed at one `Session::model_version`.
#[derive(Debug)]
struct ViewCache {
    version: u64,
    fields: Fields,
    labels: Option<Vec<f64>>,
}

/// The session's status as `stats` reports it: its state, and its message in the page's
/// language (absent when ready, as `Status` serialises).
#[derive(Serialize)]
struct StatusView {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl StatusView {
    fn new(s: &Session, lang: Lang) -> StatusView {
        let state = match s.status() {
            Status::Ready => "ready",
            Status::Stopped(_) => "stopped",
            Status::Diverged(_) => "diverged",
            Status::Done(_) => "done",
            Status::Failed(_) => "failed",
        };
        StatusView { state, message: s.status_message(lang) }
    }
}

#[derive(Serialize)]
struct Stats<'a> {
    epoch: u32,
    train_loss: f64,
    test_loss: f64,
    train_accuracy: Option<f64>,
    test_accuracy: Option<f64>,
    status: StatusView,
    task: &'static str,
    classes: usize,
    train_size: usize,
    test_size: usize,
    batches_per_epoch: usize,
    parameters: usize,
    /// Points the data view draws (every point up to `charts::MAX_DRAWN_POINTS`).
    shown_points: usize,
    /// Points the data view would draw with test points on.
    total_points: usize,
    /// The data's link name, whether it is a table, and what the view's axes are.
    data: &'a str,
    tabular: bool,
    view_label: String,
    /// Class names of a table's target (generated data: none, the page says "class k").
    class_names: &'a [String],
    inputs: usize,
    /// Rows × columns when each row is an image (the digits).
    image: Option<(usize, usize)>,
    /// The model's link id and kind (classification, regression, clustering, reduction).
    model: &'static str,
    kind: crate::models::Kind,
    /// Iterations done and to do (classical models; the MLP counts epochs instead).
    iterations: Option<(usize, usize)>,
    /// Whether the model has a chart of its own (`draw_model`).
    model_chart: bool,
}

#[derive(Serialize)]
struct Network {
    /// Units per layer, inputs first.
    sizes: Vec<usize>,
    /// Key and label of each input.
    inputs: Vec<(String, String)>,
    /// weights[l][j][i]: from unit i of layer l to unit j of layer l + 1.
    weights: Vec<Vec<Vec<f64>>>,
    biases: Vec<Vec<f64>>,
}

fn to_js<T: Serialize>(v: &T) -> JsValue {
    // Maps as plain objects so JS reads them with dot access.
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    v.serialize(&ser).unwrap_or(JsValue::NULL)
}

/// A session as the page runs it: losses are evaluated at the end of each training slice
/// (one chart point per frame, as TensorFlow Playground draws), not after every epoch.
fn session_for(e: Experiment, user: Option<&Table>) -> Result<Session, String> {
    Session::with_table(e, user).map(for_page).map_err(|err| err.message)
}

/// A session set up as the page runs it (see `session_for`).
fn for_page(mut s: Session) -> Session {
    s.set_record_every_epoch(false);
    s
}

/// Opens a link's experiment; when its data cannot be had (a CSV file that is not loaded, a
/// target that cannot be trained) the default experiment opens instead, with the reason.
fn open(e: Experiment, user: Option<&Table>, notices: &mut Vec<String>) -> Result<Session, JsValue> {
    let session = match session_for(e.clone(), user) {
        Ok(s) => s,
        Err(why) => {
            notices.push(format!(
                "This experiment could not be opened as it is: {why}. The default experiment is shown instead{}.",
                if e.data_name() == "csv" { "; open the same CSV file to reproduce it" } else { "" }
            ));
            session_for(Experiment::default(), None).map_err(|m| JsValue::from_str(&m))?
        }
    };
    notices.extend(session.notices().iter().cloned());
    Ok(session)
}

/// Refuses (`NEEDS_FULL`) what only the full build opens, before any session is made of it:
/// the page loads the full build and asks again.
fn playground_opens(decoded: &share::Decoded) -> Result<(), JsValue> {
    if decoded.needs_full {
        return Err(JsValue::from_str(crate::NEEDS_FULL));
    }
    Ok(())
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// The `(key, value)` pairs of a canonical link, in order.
/// A text's problems for the page: `{line, message}`.
#[derive(Serialize)]
struct TextProblem {
    line: usize,
    message: String,
}

fn problems_of(read: &share::text::Read) -> Vec<TextProblem> {
    read.problems.iter().map(|p| TextProblem { line: p.line, message: p.message.clone() }).collect()
}

fn link_pairs(link: &str) -> impl Iterator<Item = (&str, &str)> {
    link.split('&').filter_map(|p| p.split_once('='))
}

impl Lab {
    /// The session's measures, plus what the model read in the pad's digit.
    fn current_measures(&mut self) -> crate::lessons::Measures {
        let link = self.link();
        // The explanations ask for these every moment: the metrics come from the Lab's cache.
        let (train, test) = self.report_pair();
        let mut m = crate::lessons::Measures::with_reports(&mut self.session, &link, |_, on_test| {
            if on_test {
                test.clone()
            } else {
                train.clone()
            }
        });
        if let Some((digit, confidence)) = self.pad {
            m.numbers.insert("pad_digit".into(), digit);
            m.numbers.insert("pad_confidence".into(), confidence);
        }
        m
    }

    fn replace_session(&mut self, session: Session) {
        self.session = session;
        self.replay = None;
        self.fields = None;
        self.highlight.clear();
        self.reports = None;
        self.cv = None;
        self.learning = None;
        self.pad = None;
    }

    /// Changes the drawing (when the data is a drawing) and restarts training on it.
    fn edit_drawing(&mut self, edit: impl FnOnce(&mut crate::data::Drawn, usize) -> bool) -> Vec<String> {
        let mut e = self.session.experiment().clone();
        let classes = e.classes;
        let Some(d) = e.drawn.as_mut() else {
            return vec!["Choose “Draw your own” as the dataset to draw points.".into()];
        };
        if !edit(d, classes) {
            return Vec::new();
        }
        let mut notes: Vec<String> = e.fit_model_to_task().into_iter().collect();
        match session_for(e, None) {
            Ok(s) => self.replace_session(s),
            Err(why) => notes.push(why),
        }
        self.eda = None;
        notes
    }

    /// The EDA of the current data, computed once per data choice.
    /// What the EDA statistics depend on.
    fn eda_key(&self) -> String {
        let e = self.session.experiment();
        let target = e.table.as_ref().map_or("", |t| t.target.as_str());
        format!("{}|{}|{}|{}|{}|{}|{target}", e.data_name(), e.samples, e.noise, e.classes, e.data_seed, self.user_name)
    }

    fn eda(&mut self) -> &(String, Eda) {
        let key = self.eda_key();
        let e = self.session.experiment();
        // A drawing changes with every click: recompute (it is small).
        if self.eda.as_ref().map(|c| &c.0) != Some(&key) || e.drawn.is_some() {
            let eda =
                match e.table.as_ref().and_then(|spec| {
                    crate::experiment::inputs::source_table(spec, self.user.as_ref()).map(|t| (spec, t))
                }) {
                    Some((spec, table)) => Eda {
                        name: builtin::find(&spec.source).map_or_else(|| self.user_name.clone(), |b| b.name.to_owned()),
                        rows: table.rows,
                        target: spec.target.clone(),
                        columns: summarize(table),
                        correlation: correlation(table),
                    },
                    None => {
                        let table = generated_table(self.session.dataset());
                        Eda {
                            name: if e.drawn.is_some() { "Drawn points".to_owned() } else { e.data.title().to_owned() },
                            rows: table.rows,
                            target: "target".into(),
                            columns: summarize(&table),
                            correlation: correlation(&table),
                        }
                    }
                };
            self.eda = Some((key, eda));
        }
        self.eda.get_or_insert_with(|| (String::new(), Eda::empty()))
    }
}

impl Eda {
    fn empty() -> Eda {
        Eda {
            name: String::new(),
            rows: 0,
            target: String::new(),
            columns: Vec::new(),
            correlation: correlation(&Table::default()),
        }
    }
}

/// Generated points as a table: x1, x2 and the target (class names for classes).
fn generated_table(d: &crate::data::Dataset) -> Table {
    let x1 = d.points.iter().map(|p| p[0]).collect();
    let x2 = d.points.iter().map(|p| p[1]).collect();
    let target = match d.task {
        Task::Classification { classes } => Column {
            name: "target".into(),
            values: Values::Text {
                codes: d.targets.iter().map(|&t| t as u32).collect(),
                levels: (0..classes).map(|k| format!("class {k}")).collect(),
            },
        },
        Task::Regression => Column::numeric("target", d.targets.clone()),
    };
    Table { rows: d.len(), columns: vec![Column::numeric("x1", x1), Column::numeric("x2", x2), target] }
}

#[wasm_bindgen]
impl Lab {
    /// Opens the experiment a link fragment describes (never fails on a bad link: see
    /// `notices`).
    #[wasm_bindgen(constructor)]
    pub fn new(fragment: &str) -> Result<Lab, JsValue> {
        let mut lab = Lab {
            session: session_for(Experiment::default(), None).map_err(|m| JsValue::from_str(&m))?,
            notices: Vec::new(),
            fields: None,
            user: None,
            user_name: String::new(),
            user_payload: None,
            user_format: (b',', true),
            user_file_payload: None,
            display: share::Display::default(),
            eda: None,
            eda_job: None,
            highlight: Vec::new(),
            reports: None,
            cv: None,
            learning: None,
            search: None,
            pad: None,
            csv: None,
            replay: None,
        };
        lab.load(fragment)?;
        Ok(lab)
    }

    /// A notice or error message of the core in the page's language (the core writes them in
    /// English; text it did not write comes back as it is).
    pub fn localize(&self, text: &str) -> String {
        self.lang().notice(text)
    }

    /// What had to change to read the link this Lab was opened or last loaded with.
    pub fn notices(&self) -> Vec<String> {
        self.notices.clone()
    }

    /// Canonical link fragment of the current experiment (without `#`).
    pub fn link(&self) -> String {
        self.link_with(&self.display)
    }

    /// How the person's file was read: `{delimiter, header}` (`tab` for a tab; header true when
    /// the first row named the columns).
    pub fn csv_format(&self) -> JsValue {
        #[derive(Serialize)]
        struct Format {
            delimiter: String,
            header: bool,
        }
        let (d, header) = self.user_format;
        to_js(&Format { delimiter: if d == b'\t' { "tab".into() } else { (d as char).to_string() }, header })
    }

    /// Whether the link carries the person's file (false: it names it, and the file must be
    /// opened again to reproduce the experiment).
    pub fn link_has_data(&self) -> bool {
        self.session.experiment().data_name() != "csv" || self.user_payload.is_some()
    }

    /// Panics on purpose (a debug hook: tests check the page recovers from a crash in the core).
    pub fn debug_panic(&mut self, what: &str) {
        panic!("debug panic requested: {what}");
    }

    /// Whether the experiment file and the model file carry the person's data without being
    /// given its bytes (from the link, or from the experiment file it was opened from).
    pub fn holds_data(&self) -> bool {
        !self.is_csv() || self.user_payload.is_some() || self.user_file_payload.is_some()
    }

    /// Replaces the experiment with the one a link describes; returns its notices.
    pub fn load(&mut self, fragment: &str) -> Result<Vec<String>, JsValue> {
        self.load_decoded(share::decode(fragment), "data carried in the link")
    }

    /// Loads a lesson section's experiment: as `load`, keeping the open lesson and language.
    pub fn load_section(&mut self, fragment: &str) -> Result<Vec<String>, JsValue> {
        let mut decoded = share::decode(fragment);
        decoded.display.lesson = self.display.lesson.clone();
        decoded.display.lesson_file = self.display.lesson_file.clone();
        self.load_decoded(decoded, "data carried in the link")
    }

    /// The language and lesson the link asks for: `{lang, lesson, file}` (`file`: the text of
    /// a lesson carried in the link).
    pub fn lesson(&self) -> JsValue {
        #[derive(Serialize)]
        struct Open {
            lang: Option<String>,
            lesson: Option<String>,
            file: Option<String>,
        }
        to_js(&Open {
            lang: self.display.lang.clone(),
            lesson: self.display.lesson.clone(),
            file: self.display.lesson_text(),
        })
    }

    /// Sets the interface language kept in the link (`en`, `id`; anything else: none).
    pub fn set_lang(&mut self, lang: &str) {
        self.display.lang = share::LANGUAGES.iter().find(|l| **l == lang).map(|l| l.to_string());
    }

    /// The language of the text the core writes (status, summary, captions): the link's.
    fn lang(&self) -> Lang {
        Lang::from_code(self.display.lang.as_deref())
    }

    /// Opens a built-in lesson in the link (empty: closes the lesson).
    pub fn set_lesson(&mut self, name: &str) {
        self.display.lesson_file = None;
        self.display.lesson = (!name.is_empty()).then(|| name.to_string());
    }

    /// Puts a lesson file into the link when it fits the link budget; returns whether it did
    /// (when not, the link carries no lesson).
    pub fn set_lesson_file(&mut self, text: &str) -> bool {
        self.display.lesson = None;
        self.display.lesson_file =
            share::payload::pack(text.as_bytes()).filter(|p| p.len() <= share::payload::MAX_PAYLOAD_CHARS);
        self.display.lesson_file.is_some()
    }

    /// How a lesson task stands for the current experiment: `{met, conditions: [{condition,
    /// met, value}]}`; `conditions` as a task's `@task` line writes them.
    pub fn check_task(&mut self, conditions: &str) -> Result<JsValue, JsValue> {
        let parsed = crate::lessons::parse_conditions(conditions).map_err(|e| JsValue::from_str(&e))?;
        let measures = self.current_measures();
        Ok(to_js(&crate::lessons::check(&parsed, &measures)))
    }

    /// Every number a task or an explanation can use: `{numbers, settings}` (see
    /// `lessons::Measures`), for the current experiment.
    pub fn measures(&mut self) -> JsValue {
        to_js(&self.current_measures())
    }

    /// Opens a link pasted by the person: a whole Latih address, a bare fragment, or a
    /// TensorFlow Playground link (read as the equivalent experiment, with notices for what
    /// has none). Returns the notices; the experiment is replaced.
    pub fn open_link(&mut self, text: &str) -> Result<Vec<String>, JsValue> {
        let text = text.trim();
        if share::playground::is_playground_link(text) {
            let mut notices =
                vec!["Opened a TensorFlow Playground link as the equivalent Latih experiment.".to_string()];
            notices.extend(self.load_decoded(share::playground::from_playground(text), "")?);
            return Ok(notices);
        }
        let fragment = text.split_once('#').map_or(text, |(_, f)| f);
        self.load(fragment)
    }

    /// The experiment as text, one `key = value` per line (see `share::text`).
    pub fn text(&self) -> String {
        let mut tail = self.display.to_link();
        if let Some(p) = self.user_payload.as_ref().filter(|_| self.is_csv()) {
            tail.push_str("&csv=");
            tail.push_str(p);
        }
        share::text::to_text(self.session.experiment(), Some(&tail))
    }

    /// How to show the experiment: `{embed, panels, hide, full}`, `full` being the link of the
    /// same experiment in the full page (no embed keys).
    pub fn display(&self) -> JsValue {
        #[derive(Serialize)]
        struct Shown {
            embed: bool,
            panels: Vec<String>,
            hide: Vec<String>,
            full: String,
        }
        let full = self.link_with(&share::Display::default());
        to_js(&Shown {
            embed: self.display.embed,
            panels: self.display.panels(),
            hide: self.display.hide.clone(),
            full,
        })
    }

    /// The problems of an edited text, without applying it: `[{line, message}]`, line 0 for
    /// the text as a whole.
    /// The playground build refuses (`NEEDS_FULL`) a text only the full build can check.
    pub fn check_text(&self, text: &str) -> Result<JsValue, JsValue> {
        let read = share::text::from_text(text, share::payload::LINK);
        playground_opens(&read.decoded)?;
        Ok(to_js(&problems_of(&read)))
    }

    /// Applies an edited text (as `load` does a link); returns its problems as `check_text`.
    pub fn apply_text(&mut self, text: &str) -> Result<JsValue, JsValue> {
        let read = share::text::from_text(text, share::payload::LINK);
        let problems = problems_of(&read);
        self.load_decoded(read.decoded, "data carried in the text")?;
        Ok(to_js(&problems))
    }

    /// Whether bytes the person opened are an experiment file rather than a CSV file.
    pub fn is_experiment_file(bytes: &[u8]) -> bool {
        share::text::is_experiment_text(bytes)
    }

    /// Opens an experiment file (`experiment_file`'s text, with its whole CSV file); returns
    /// the notices, each with its line.
    pub fn open_experiment_file(&mut self, bytes: &[u8]) -> Result<Vec<String>, JsValue> {
        let text = String::from_utf8_lossy(bytes);
        let read = share::text::from_text(&text, share::payload::FILE);
        let mut notices: Vec<String> =
            read.problems.iter().filter(|p| p.line > 0).map(|p| format!("Line {}: {}", p.line, p.message)).collect();
        notices.extend(self.load_decoded(read.decoded, "data carried in the experiment file")?);
        if self.is_csv() && self.user_payload.is_none() {
            self.user_file_payload = text.lines().find_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "csv").then(|| value.trim().to_string())
            });
        }
        Ok(notices)
    }

    /// The experiment file: the experiment's text with the person's whole CSV file (`csv`, the
    /// bytes they opened; without it, only what the link carries). It restores everything,
    /// however big the data, when opened by drag and drop or the file picker.
    pub fn experiment_file(&self, csv: Option<Vec<u8>>) -> String {
        let tail = match csv.filter(|_| self.is_csv()) {
            Some(bytes) => share::payload::pack_for_file(&bytes),
            None => self.user_payload.clone().or_else(|| self.user_file_payload.clone()).filter(|_| self.is_csv()),
        };
        share::text::to_text(self.session.experiment(), tail.map(|p| format!("csv={p}")).as_deref())
    }

    /// The link to share: the current one, with the trained state when `with_model` (the
    /// network's weights when they fit the budget). `{link, weights}`: `weights` is false when
    /// a network's weights were too big and only the epoch went in (it is replayed on open).
    pub fn share_link(&self, with_model: bool) -> JsValue {
        #[derive(Serialize)]
        struct Shared {
            link: String,
            weights: bool,
        }
        let mut link = self.link();
        let mut weights = true;
        if with_model {
            let (tail, fitted) = share::trained_tail(&self.session.trained(true));
            link.push_str(&tail);
            weights = fitted;
        }
        to_js(&Shared { link, weights })
    }

    /// The trained model as a JSON file (see `export::ModelFile`): the experiment with its data
    /// (`csv` as for `experiment_file`), the weights and the optimiser's memory.
    pub fn model_file(&self, csv: Option<Vec<u8>>) -> String {
        crate::export::model_file(&self.session, self.experiment_file(csv))
    }

    /// Everything a Lab of the other build needs to go on exactly from here (`take_over`):
    /// the link (the experiment and how the page shows it), the model file (the trained state
    /// with the optimiser's memory; none while a link's training is replayed, which the link
    /// names) and the loss history. The page moves to the full build with it. An epoch under
    /// way is finished first (as the next frames would have): weights from inside one would
    /// start it again on the other side.
    pub fn handover(&mut self) -> String {
        if !self.replaying() {
            self.session.finish_epoch();
        }
        let (link, file) = if self.replaying() {
            (format!("{}&trained={}", self.link(), self.replay_target()), None)
        } else {
            (self.link(), Some(self.model_file(None)))
        };
        serde_json::json!({ "link": link, "file": file, "history": self.session.history() }).to_string()
    }

    /// Becomes the Lab `handover` described (made by either build); returns the notices of
    /// opening it.
    pub fn take_over(&mut self, text: &str) -> Result<Vec<String>, JsValue> {
        let h: serde_json::Value = serde_json::from_str(text).map_err(|e| JsValue::from_str(&e.to_string()))?;
        let link = h["link"].as_str().unwrap_or_default();
        let mut notices = self.load(link)?;
        if let Some(file) = h["file"].as_str() {
            let display = self.display.clone();
            match self.open_model_file(file.as_bytes()) {
                Ok(opened) => {
                    notices = opened;
                    // A loss that was not a number is written as null and cannot be read
                    // back: the chart then starts at the current epoch.
                    if let Ok(history) = serde_json::from_value(h["history"].clone()) {
                        self.session.take_history(history);
                    }
                }
                // Weights that are not numbers (a network that diverged) are written as null
                // and cannot be read back: the experiment opens from its link.
                Err(why) => {
                    notices = self.load(link)?;
                    notices.push(format!(
                        "The trained state could not be carried over ({}); the experiment starts again.",
                        why.as_string().unwrap_or_default()
                    ));
                }
            }
            self.display = display;
        }
        self.notices = notices.clone();
        Ok(notices)
    }

    /// Whether the start of a file the person opened is a model file.
    pub fn is_model_file(start: &[u8]) -> bool {
        crate::export::is_model_file(start)
    }

    /// Opens a model file: its experiment and data, then its trained state, to predict or
    /// keep training. Fails with the reason when the file is not a model file; a state that
    /// does not fit its experiment leaves the experiment open untrained, with a notice.
    pub fn open_model_file(&mut self, bytes: &[u8]) -> Result<Vec<String>, JsValue> {
        let file = crate::export::read_model_file(bytes)
            .map_err(|e| JsValue::from_str(&format!("It is not a model file Latih can read: {e}.")))?;
        let mut notices = self.open_experiment_file(file.experiment.as_bytes())?;
        match self.restore(&file.trained) {
            Ok(more) => notices.extend(more),
            Err(why) => notices
                .push(format!("The trained model could not be restored ({why}); the experiment starts untrained.")),
        }
        self.fields = None;
        Ok(notices)
    }

    /// What a prediction form asks for: `{inputs: [{name, levels, min, max, fill}], kind,
    /// target, class_names, image}`; `image` is true for the digits (draw instead of type).
    pub fn input_form(&self) -> JsValue {
        #[derive(Serialize)]
        struct Form {
            inputs: Vec<crate::data::tabular::InputColumn>,
            kind: crate::models::Kind,
            target: String,
            class_names: Vec<String>,
            image: bool,
        }
        let (class_names, target, image) = match self.session.inputs().table() {
            Some(t) => (
                t.class_names.clone(),
                self.session.experiment().table.as_ref().map(|s| s.target.clone()).unwrap_or_default(),
                t.image.is_some(),
            ),
            None => {
                ((0..self.session.task().classes()).map(|k| format!("class {k}")).collect(), "target".into(), false)
            }
        };
        to_js(&Form {
            inputs: self.session.input_columns(),
            kind: self.session.experiment().kind(),
            target,
            class_names,
            image,
        })
    }

    /// Predicts one row typed by the person (a text per input, `input_form`'s order):
    /// `{label, value, probabilities: [{name, p}], notices}`. Fails with the reason (PCA, an
    /// unfitted model).
    pub fn predict_inputs(&mut self, values: Vec<String>) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Shown {
            label: Option<String>,
            value: Option<f64>,
            probabilities: Vec<(String, f64)>,
            notices: Vec<String>,
        }
        let p = self.session.predict_raw(&values).map_err(|e| JsValue::from_str(&e))?;
        let names: Vec<String> = match self.session.inputs().table() {
            Some(t) if !t.class_names.is_empty() => t.class_names.clone(),
            _ => (0..self.session.task().classes()).map(|k| format!("class {k}")).collect(),
        };
        let name = |k: usize| names.get(k).cloned().unwrap_or_else(|| format!("{k}"));
        let clustering = self.session.experiment().kind() == crate::models::Kind::Clustering;
        Ok(to_js(&Shown {
            label: p.class.map(|k| if clustering { format!("cluster {k}") } else { name(k) }),
            value: p.value,
            probabilities: p
                .probabilities
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(k, v)| (name(k), v))
                .collect(),
            notices: p.notices,
        }))
    }

    #[cfg(feature = "full")]
    /// The experiment as a Jupyter notebook reproducing it with numpy and scikit-learn (see
    /// `export::notebook`); fails with the reason when the data is not loaded.
    pub fn notebook(&self) -> Result<String, JsValue> {
        let link = share::encode(self.session.experiment());
        crate::export::notebook(&self.session, self.user.as_ref(), &link).map_err(|e| JsValue::from_str(&e))
    }

    #[cfg(feature = "full")]
    /// The experiment for Apache Spark (see `export::spark`): `{script, notebook, substitute}`,
    /// the PySpark script named `file`, the same code as a notebook, and the message naming a
    /// model MLlib lacks and the one used instead (null when MLlib has it).
    pub fn spark(&self, file: &str) -> Result<JsValue, JsValue> {
        let link = share::encode(self.session.experiment());
        let export =
            crate::export::spark(&self.session, self.user.as_ref(), &link, file).map_err(|e| JsValue::from_str(&e))?;
        Ok(to_js(&export))
    }

    /// Draws a QR code of `text` (a link) on the canvas, `size` pixels square; false when the
    /// text is too long for a QR code (the canvas is then cleared).
    pub fn draw_qr(&self, canvas: &HtmlCanvasElement, text: &str, size: u32) -> Result<bool, JsValue> {
        canvas.set_width(size);
        canvas.set_height(size);
        let ctx = charts::ctx2d(canvas)?;
        ctx.clear_rect(0.0, 0.0, f64::from(size), f64::from(size));
        let Ok(code) = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L) else {
            return Ok(false);
        };
        // Four light modules of quiet zone on each side, as scanners expect.
        let width = code.width();
        let cell = f64::from(size) / (width + 8) as f64;
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, f64::from(size), f64::from(size));
        ctx.set_fill_style_str("#000000");
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (x, y) = ((i % width + 4) as f64, (i / width + 4) as f64);
                ctx.fill_rect((x * cell).floor(), (y * cell).floor(), cell.ceil(), cell.ceil());
            }
        }
        Ok(true)
    }

    /// Every row's prediction as CSV text (see `export::predictions_csv`); fails with the
    /// reason when there is nothing to export.
    #[cfg(feature = "full")]
    pub fn predictions_csv(&mut self) -> Result<String, JsValue> {
        crate::export::predictions_csv(&mut self.session, self.user.as_ref()).map_err(|e| JsValue::from_str(&e))
    }

    /// The link shown as `display` asks (the full page's: `Display::default()`).
    fn link_with(&self, display: &share::Display) -> String {
        let mut link = share::encode(self.session.experiment());
        link.push_str(&display.to_link());
        if let Some(p) = self.user_payload.as_ref().filter(|_| self.is_csv()) {
            link.push_str("&csv=");
            link.push_str(p);
        }
        link
    }

    fn is_csv(&self) -> bool {
        self.session.experiment().data_name() == "csv"
    }

    /// Replaces the experiment with a decoded one; a CSV it carries becomes the person's data,
    /// named `carried_in` (kept as it was when empty).
    fn load_decoded(&mut self, mut decoded: share::Decoded, carried_in: &str) -> Result<Vec<String>, JsValue> {
        // The language is the person's choice: a link without one keeps it.
        if decoded.display.lang.is_none() {
            decoded.display.lang = self.display.lang.clone();
        }
        playground_opens(&decoded)?;
        #[cfg(feature = "full")]
        if let Some(bytes) = decoded.csv.take() {
            match read_csv(&bytes, CsvOptions::default()) {
                Ok(parsed) => {
                    self.user_format = (parsed.delimiter, parsed.header);
                    self.user = Some(parsed.table);
                    self.user_name = carried_in.into();
                    self.user_payload = share::payload::pack(&bytes);
                    self.user_file_payload = None;
                    self.eda = None;
                }
                Err(e) => decoded.notices.push(format!("The CSV data in the link could not be read: {e}")),
            }
        }
        let session = open(decoded.experiment, self.user.as_ref(), &mut decoded.notices)?;
        self.replace_session(session);
        self.display = decoded.display.clone();
        if let Some(t) = decoded.trained.take() {
            match t.state().and_then(|state| self.restore(&state)) {
                Ok(more) => decoded.notices.extend(more),
                Err(why) => decoded
                    .notices
                    .push(format!("The trained model in the link could not be restored ({why}); it starts untrained.")),
            }
        }
        self.notices = decoded.notices.clone();
        Ok(decoded.notices)
    }

    /// Brings the new session to a trained state. Weights are taken as given; a state without
    /// them is replayed (the same bits, as every run is seeded) here for up to
    /// `REPLAY_AT_ONCE_MS`, then by `replay_step` in the page's frames.
    fn restore(&mut self, state: &crate::experiment::run::Trained) -> Result<Vec<String>, String> {
        if state.model.is_some() {
            return self.session.restore(state);
        }
        let rows = self.session.train_rows().len().max(1) as u64;
        if self.session.trainer().is_none() && u64::from(state.epoch) * rows > crate::experiment::run::MAX_REPLAY_ROWS {
            // Refused as the session refuses it, before any training.
            return self.session.restore(state);
        }
        self.replay = Some(state.epoch);
        self.replay_step(REPLAY_AT_ONCE_MS);
        Ok(Vec::new())
    }

    /// Batches trained between two looks at the clock: a clock call costs more than a small
    /// batch. A classical model's step is one look each.
    fn batches_per_clock_look(&self) -> usize {
        if self.session.trainer().is_some() {
            return 1;
        }
        let work = self.session.experiment().batch_size * (self.session.shown_parameter_count() + 1);
        (2000 / work.max(1)).clamp(1, 64)
    }

    /// True while a trained state from a link or file is being replayed (`replay_step`).
    pub fn replaying(&self) -> bool {
        self.replay.is_some()
    }

    /// The epoch (or iteration) being replayed to, 0 when none is.
    pub fn replay_target(&self) -> u32 {
        self.replay.unwrap_or(0)
    }

    /// Trains toward the trained state being replayed for about `budget_ms`; returns the part
    /// done, 0 to 1 (1: nothing left to replay). Stops early, as training does, on divergence
    /// or at "stop after N epochs".
    pub fn replay_step(&mut self, budget_ms: f64) -> f64 {
        let Some(target) = self.replay else { return 1.0 };
        let until = now_ms() + budget_ms;
        // Epochs (iterations) only, with no loss record until the state is reached, as a replay
        // in one go does: where a diverging run stops must not depend on the slicing.
        let batches_per_look = self.batches_per_clock_look();
        'slice: while self.session.trained_to() < target && self.session.can_train() {
            for _ in 0..batches_per_look {
                if self.session.step_batch() && self.session.trained_to() >= target {
                    break 'slice;
                }
            }
            if now_ms() >= until {
                break;
            }
        }
        if self.session.trained_to() < target && self.session.can_train() {
            return f64::from(self.session.trained_to()) / f64::from(target.max(1));
        }
        // The state is reached (or training ended early, as it would have): its losses are
        // recorded before anything reads them.
        self.session.record();
        self.replay = None;
        self.reports = None;
        1.0
    }

    /// Current settings as `{key: value}` with the link's keys and values.
    pub fn settings(&self) -> JsValue {
        let link = self.link();
        let obj = js_sys::Object::new();
        for (k, v) in link_pairs(&link) {
            let _ = js_sys::Reflect::set(&obj, &k.into(), &v.into());
        }
        obj.into()
    }

    /// Changes one setting by its link key. View settings (`test`, `discrete`, `stop`) keep
    /// the training state; any other change restarts from epoch 0, so the link always
    /// reproduces what is on screen. Returns notices (a clamped value, an unknown key).
    pub fn set(&mut self, key: &str, value: &str) -> Result<Vec<String>, JsValue> {
        let mut link = self.link();
        if !link_pairs(&link).any(|(k, _)| k == key) {
            // Keys written only when set go in as the link would have them.
            if !crate::experiment::settings::find(key)
                .is_some_and(|s| s.group == crate::experiment::settings::Group::Run)
            {
                return Ok(vec![format!("Unknown setting “{key}”.")]);
            }
            link.push_str(&format!("&{key}=0"));
        }
        // A new model starts from its own defaults, not from a same-named setting of the last;
        // new data from its own table settings.
        // A new target is framed as suits its values (numbers: regression unless few whole ones).
        let framing = (key == "target")
            .then(|| {
                let spec = self.session.experiment().table.as_ref()?;
                let table = crate::experiment::inputs::source_table(spec, self.user.as_ref())?;
                let name = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
                let column = table.column(&name)?;
                Some(match crate::data::tabular::suggested_framing(column) {
                    crate::data::tabular::Framing::Classification => "classification",
                    crate::data::tabular::Framing::Regression => "regression",
                })
            })
            .flatten();
        // The recommender reads a ratings table (a user and an item per row): chosen on other
        // data, it brings the film ratings with it, as choosing a task brings data that suits.
        let to_ratings = key == "model" && value == "als" && !self.session.reads_as_ratings();
        let fragment: Vec<String> = link_pairs(&link)
            .filter(|(k, _)| key != "model" || !share::is_model_setting(k))
            .filter(|(k, _)| {
                (key != "data" && !to_ratings)
                    || !crate::experiment::settings::find(k)
                        .is_some_and(|s| s.group == crate::experiment::settings::Group::Table)
            })
            .map(|(k, v)| match (k, framing) {
                ("framing", Some(f)) => format!("framing={f}"),
                ("data", _) if to_ratings => "data=ratings".to_string(),
                _ => format!("{k}={}", if k == key { value } else { v }),
            })
            .collect();
        let mut decoded = share::decode(&fragment.join("&"));
        playground_opens(&decoded)?;
        if to_ratings {
            decoded.notices.push(
                "The recommender reads a ratings table, one user and one item per row; the film ratings were loaded."
                    .into(),
            );
        }
        let old = self.session.experiment().clone();
        let new = decoded.experiment;
        let view_only = Experiment {
            show_test: old.show_test,
            discretize: old.discretize,
            stop_after: old.stop_after,
            folds: old.folds,
            search: old.search.clone(),
            ..new.clone()
        } == old;
        if view_only {
            self.session.set_view_settings(new.show_test, new.discretize, new.stop_after);
            self.session.set_evaluation(new.folds, new.search);
        } else if new != old {
            // A change the data cannot take (say, a target with one class) is refused with
            // the reason, and the experiment stays as it was.
            match session_for(new, self.user.as_ref()) {
                Ok(session) => {
                    decoded.notices.extend(session.notices().iter().cloned());
                    self.replace_session(session);
                }
                Err(why) => decoded.notices.push(format!("Not changed: {why}.")),
            }
        }
        Ok(decoded.notices)
    }

    #[cfg(feature = "full")]
    /// Reads the person's CSV or TSV file and makes it the data (target: the last column).
    /// Fails with a message saying what is wrong with the file; the experiment then stays.
    pub fn load_csv(&mut self, bytes: &[u8], name: &str) -> Result<Vec<String>, JsValue> {
        self.load_csv_as(bytes, name, "auto", "auto")
    }

    #[cfg(feature = "full")]
    /// `load_csv` with the delimiter (`auto`, `,`, `;`, `tab`, `|`) and whether the first row
    /// names the columns (`auto`, `names`, `data`) chosen by the person instead of detected.
    /// Reads in one go; `csv_start` reads in slices.
    pub fn load_csv_as(
        &mut self,
        bytes: &[u8],
        name: &str,
        delimiter: &str,
        header: &str,
    ) -> Result<Vec<String>, JsValue> {
        self.csv_start(bytes, name, delimiter, header)?;
        while self.csv_step(f64::INFINITY)? < 1.0 {}
        self.csv_finish()
    }

    #[cfg(feature = "full")]
    /// Starts reading the person's file (see `load_csv_as`) a slice at a time, so a large file
    /// does not freeze the page: `csv_step` reads, `csv_finish` makes it the data, `csv_cancel`
    /// drops it. Fails at once on a file that is too big, empty or has an unclosed quote.
    pub fn csv_start(&mut self, bytes: &[u8], name: &str, delimiter: &str, header: &str) -> Result<(), JsValue> {
        let options = CsvOptions {
            delimiter: match delimiter {
                "," | ";" | "|" => delimiter.bytes().next(),
                "tab" => Some(b'\t'),
                _ => None,
            },
            header: match header {
                "names" => Some(true),
                "data" => Some(false),
                _ => None,
            },
        };
        self.csv = None;
        let reading = CsvReading::start(bytes, options).map_err(|e| JsValue::from_str(&e.to_string()))?;
        self.csv = Some(CsvJob {
            stage: CsvStage::Reading(reading),
            name: name.chars().take(120).collect(),
            payload: share::payload::pack(bytes),
        });
        Ok(())
    }

    #[cfg(feature = "full")]
    /// Reads the started file for about `budget_ms`, or takes its next step after reading
    /// (preparing the data, in a call of its own); returns how far it is, 0 to 1 (1: call
    /// `csv_finish`). A file found to be unusable (too many cells, nothing to train on) fails
    /// and is dropped.
    pub fn csv_step(&mut self, budget_ms: f64) -> Result<f64, JsValue> {
        let Some(job) = self.csv.as_mut() else { return Err(JsValue::from_str("No file is being read.")) };
        match job.advance(self.session.experiment(), budget_ms) {
            Ok(true) => Ok(1.0),
            Ok(false) => Ok(match &job.stage {
                CsvStage::Reading(reading) => reading.progress().min(0.99),
                _ => 0.99,
            }),
            Err(e) => {
                self.csv = None;
                Err(JsValue::from_str(&e))
            }
        }
    }

    #[cfg(feature = "full")]
    /// Rows of the started file read so far.
    pub fn csv_rows(&self) -> usize {
        self.csv.as_ref().map_or(0, |j| match &j.stage {
            CsvStage::Reading(reading) => reading.rows(),
            CsvStage::Read(parsed) | CsvStage::Prepared(parsed, ..) => parsed.table.rows,
        })
    }

    #[cfg(feature = "full")]
    /// Stops reading the started file; the experiment stays as it was.
    pub fn csv_cancel(&mut self) {
        self.csv = None;
    }

    #[cfg(feature = "full")]
    /// Makes the file read by `csv_step` the data (target: the last column), doing whatever
    /// steps are left; returns what was repaired or changed. Fails with a message when it
    /// cannot be trained on; the experiment then stays as it was.
    pub fn csv_finish(&mut self) -> Result<Vec<String>, JsValue> {
        let Some(mut job) = self.csv.take() else { return Err(JsValue::from_str("No file is being read.")) };
        while !job.advance(self.session.experiment(), f64::INFINITY).map_err(|e| JsValue::from_str(&e))? {}
        let CsvStage::Prepared(parsed, data, mut notices, _) = job.stage else {
            return Err(JsValue::from_str("No file is being read."));
        };
        let format = (parsed.delimiter, parsed.header);
        let session =
            Session::from_data(data).map(for_page).map_err(|why| JsValue::from_str(&untrainable(&parsed, &why)))?;
        notices.extend(session.notices().iter().cloned());
        self.user = Some(parsed.table);
        self.user_format = format;
        self.user_name = job.name;
        self.user_payload = job.payload;
        self.user_file_payload = None;
        if self.user_payload.is_none() {
            notices.push(format!(
                "The file is too big to travel in the link (over {} characters compressed): the link names it, and whoever opens the link must open the same file to reproduce this.",
                share::payload::MAX_PAYLOAD_CHARS
            ));
        }
        self.eda = None;
        self.replace_session(session);
        Ok(notices)
    }

    /// Draws up to `count` test images with their true and predicted labels; returns
    /// `{shown, correct}` (null when the data are not images).
    pub fn draw_images(&mut self, canvas: &HtmlCanvasElement, count: usize) -> Result<JsValue, JsValue> {
        let Some(t) = self.session.inputs().table() else { return Ok(JsValue::NULL) };
        let (Some(shape), Some(spec)) = (t.image, self.session.experiment().table.as_ref()) else {
            return Ok(JsValue::NULL);
        };
        let Some(table) = crate::experiment::inputs::source_table(spec, self.user.as_ref()) else {
            return Ok(JsValue::NULL);
        };
        // Pixel k is column "p{k}"; grey levels are scaled by the largest value (16 for the digits).
        let pixels: Vec<&[f64]> = (0..shape.0 * shape.1)
            .filter_map(|k| match table.column(&format!("p{k}")).map(|c| &c.values) {
                Some(Values::Numeric(v)) => Some(v.as_slice()),
                _ => None,
            })
            .collect();
        let max = pixels.iter().flat_map(|c| c.iter()).copied().fold(1.0f64, f64::max);
        let d = t.names.len();
        // The confusion matrix's selection, when there is one; else the first test rows.
        let shown = if self.highlight.is_empty() { self.session.test_rows() } else { &self.highlight };
        let rows: Vec<(usize, Vec<f64>, Vec<f64>)> = shown
            .iter()
            .take(count)
            .map(|&r| {
                let table_row = t.table_rows[r];
                (r, pixels.iter().map(|c| c[table_row] / max).collect(), t.x[r * d..(r + 1) * d].to_vec())
            })
            .collect();
        let names = t.class_names.clone();
        let targets = self.session.dataset().targets.clone();
        let fitted = self.session.trainer().is_none() || self.session.fitted().is_some();
        let mut predicted = Vec::with_capacity(rows.len());
        for (_, _, x) in &rows {
            let p = if fitted { self.session.class_probabilities(x) } else { None };
            predicted.push(p.map(|p| crate::models::mlp::argmax(&p)));
        }
        let samples: Vec<image_view::Sample> = rows
            .into_iter()
            .zip(&predicted)
            .map(|((r, pixels, _), p)| image_view::Sample {
                pixels,
                truth: names.get(targets[r] as usize).map_or("?", String::as_str),
                predicted: p.and_then(|c| names.get(c)).map(String::as_str),
            })
            .collect();
        image_view::draw_grid(canvas, shape, &samples)?;
        let correct = samples.iter().filter(|s| s.predicted == Some(s.truth)).count();
        #[derive(Serialize)]
        struct Shown {
            shown: usize,
            correct: usize,
        }
        Ok(to_js(&Shown { shown: samples.len(), correct }))
    }

    /// What the model says of a digit drawn on an RGBA canvas of `width` × `height`: the 8 × 8
    /// values it becomes, the class probabilities and the predicted class (null when the data
    /// are not images or the model does not classify).
    pub fn predict_drawing(&mut self, rgba: &[u8], width: usize, height: usize) -> JsValue {
        let Some(t) = self.session.inputs().table().filter(|t| t.image.is_some()) else { return JsValue::NULL };
        let pixels = crate::data::image::digit_pixels(rgba, width, height);
        let x = t.from_raw(|name| {
            name.strip_prefix('p').and_then(|k| k.parse::<usize>().ok()).and_then(|k| pixels.get(k).copied())
        });
        let names = t.class_names.clone();
        let Some(probabilities) = self.session.class_probabilities(&x) else { return JsValue::NULL };
        #[derive(Serialize)]
        struct Prediction {
            pixels: Vec<f64>,
            probabilities: Vec<f64>,
            class_names: Vec<String>,
            predicted: String,
        }
        let best = crate::models::mlp::argmax(&probabilities);
        // The digit as a number when the class is named by one (the digits' are "0".."9").
        let digit = names.get(best).and_then(|n| n.trim().parse::<f64>().ok()).unwrap_or(best as f64);
        self.pad = Some((digit, probabilities.get(best).copied().unwrap_or(0.0)));
        to_js(&Prediction {
            predicted: names.get(best).cloned().unwrap_or_default(),
            pixels,
            probabilities,
            class_names: names,
        })
    }

    /// The pad was cleared: no drawn digit is read any more.
    pub fn clear_pad(&mut self) {
        self.pad = None;
    }

    /// Starts an empty drawing of classes (`regression` false) or values.
    pub fn start_drawing(&mut self, regression: bool) -> Vec<String> {
        self.edit_drawing(|d, _| {
            *d = crate::data::Drawn { regression, ..Default::default() };
            true
        })
    }

    /// Adds a drawn point at view coordinates (x, y) with a class index or a value.
    pub fn add_point(&mut self, x: f64, y: f64, target: f64) -> Vec<String> {
        let mut notes = self.edit_drawing(|d, classes| d.add(x, y, target, classes));
        if notes.is_empty() && self.session.dataset().len() >= crate::data::MAX_DRAWN {
            notes.push(format!(
                "The drawing holds at most {} points (so its link stays short).",
                crate::data::MAX_DRAWN
            ));
        }
        notes
    }

    /// Removes the drawn point nearest to (x, y), if one is within `radius`.
    pub fn remove_point(&mut self, x: f64, y: f64, radius: f64) -> Vec<String> {
        self.edit_drawing(|d, _| d.remove_near(x, y, radius))
    }

    /// Computes a table's EDA statistics a piece at a time, for up to `budget_ms`; true once
    /// they are ready (`explore` then answers at once). The page calls it for a large file so
    /// the statistics do not block it; anything else computes them on first use.
    pub fn explore_step(&mut self, budget_ms: f64) -> bool {
        let start = now_ms();
        let key = self.eda_key();
        let e = self.session.experiment();
        if e.drawn.is_some() || self.eda.as_ref().is_some_and(|c| c.0 == key) {
            return true;
        }
        let Some(spec) = e.table.clone() else {
            // Generated data is small: in one go.
            self.eda();
            return true;
        };
        let Some(table) = crate::experiment::inputs::source_table(&spec, self.user.as_ref()) else {
            self.eda();
            return true;
        };
        let mut job = match self.eda_job.take() {
            Some((k, job)) if k == key => job,
            _ => EdaJob::new(table),
        };
        while !job.step(table) {
            if now_ms() - start >= budget_ms {
                self.eda_job = Some((key, job));
                return false;
            }
        }
        let (columns, correlation) = job.finish(table);
        let name = builtin::find(&spec.source).map_or_else(|| self.user_name.clone(), |b| b.name.to_owned());
        self.eda = Some((key, Eda { name, rows: table.rows, target: spec.target.clone(), columns, correlation }));
        true
    }

    /// The table's columns and summaries, correlations and target, for the EDA panel
    /// (generated data is shown as the table x1, x2, target).
    pub fn explore(&mut self) -> JsValue {
        to_js(&self.eda().1)
    }

    /// Draws column `index`'s histogram (numbers) or bar chart (text) into `canvas`.
    pub fn draw_column(&mut self, canvas: &HtmlCanvasElement, index: usize) -> Result<(), JsValue> {
        let lang = self.lang();
        match self.eda().1.columns.get(index) {
            Some(c) => explore_view::draw_column(canvas, c, lang),
            None => Ok(()),
        }
    }

    /// Draws the scatter matrix of the columns at `indices` (numeric ones, at most 6), coloured
    /// by the target.
    pub fn draw_scatter_matrix(&mut self, canvas: &HtmlCanvasElement, indices: Vec<usize>) -> Result<(), JsValue> {
        let (_, eda) = self.eda();
        let eda = eda.clone();
        let generated;
        let table = match self.session.experiment().table.as_ref() {
            Some(spec) => crate::experiment::inputs::source_table(spec, self.user.as_ref()),
            None => {
                generated = generated_table(self.session.dataset());
                Some(&generated)
            }
        };
        let Some(table) = table else { return Ok(()) };
        let picked: Vec<usize> = indices
            .into_iter()
            .filter(|&i| {
                table.columns.get(i).is_some_and(Column::is_numeric)
                    && eda.columns.get(i).is_some_and(|c| c.numbers.is_some())
            })
            .take(6)
            .collect();
        let names: Vec<&str> = picked.iter().map(|&i| table.columns[i].name.as_str()).collect();
        let columns: Vec<&[f64]> = picked
            .iter()
            .filter_map(|&i| match &table.columns[i].values {
                Values::Numeric(v) => Some(v.as_slice()),
                Values::Text { .. } => None,
            })
            .collect();
        let histograms: Vec<&crate::explore::Histogram> =
            picked.iter().filter_map(|&i| eda.columns[i].numbers.as_ref().map(|n| &n.histogram)).collect();
        // Colour by the target: its class, or its value on the signed scale.
        let grey = [150, 150, 150];
        let colours: Vec<[u8; 3]> = match table.column(&eda.target).map(|c| &c.values) {
            Some(Values::Text { codes, .. }) => codes
                .iter()
                .map(|&c| {
                    if c == crate::data::table::MISSING_CODE {
                        grey
                    } else {
                        crate::render::CLASS_COLORS[c as usize % 10]
                    }
                })
                .collect(),
            Some(Values::Numeric(v)) => {
                let s =
                    crate::explore::summarize(&Table { rows: v.len(), columns: vec![Column::numeric("t", v.clone())] });
                let (lo, hi) = s[0].numbers.as_ref().map_or((0.0, 1.0), |n| (n.min, n.max));
                v.iter()
                    .map(|&x| {
                        if x.is_nan() {
                            grey
                        } else if hi > lo {
                            let t = (x - lo) / (hi - lo);
                            let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
                            [mix(230, 0), mix(159, 114), mix(0, 178)]
                        } else {
                            [0, 114, 178]
                        }
                    })
                    .collect()
            }
            None => vec![grey; table.rows],
        };
        explore_view::draw_scatter_matrix(canvas, &names, &columns, &histograms, &colours, self.lang())
    }

    /// Draws the correlation heatmap of the numeric columns.
    pub fn draw_correlation(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let lang = self.lang();
        explore_view::draw_correlation(canvas, &self.eda().1.correlation, lang)
    }

    /// Restarts training of the same experiment (same seeds: same initial weights).
    pub fn reset(&mut self) -> Result<(), JsValue> {
        let session =
            session_for(self.session.experiment().clone(), self.user.as_ref()).map_err(|m| JsValue::from_str(&m))?;
        self.replace_session(session);
        Ok(())
    }

    /// Trains mini-batches until `budget_ms` has passed, a stop is reached, or `max_epochs`
    /// more epochs are done (0: no limit). Returns the number of epochs completed. When
    /// epochs are shorter than the budget the slice ends on an epoch boundary, whose losses
    /// are recorded (one chart point per slice). Evaluating a large dataset is split across
    /// slices, so no call runs much past its budget; training resumes once it is done.
    pub fn train(&mut self, budget_ms: f64, max_epochs: u32) -> u32 {
        /// Rows evaluated between two looks at the clock.
        const EVAL_ROWS: usize = 512;
        // Training from here on is the person's: a replay under way ends where it is.
        self.replay = None;
        let start = now_ms();
        let mut epoch_start = start;
        let mut epochs = 0;
        let check_every = self.batches_per_clock_look();
        let mut last_epoch_of_slice = false;
        loop {
            while self.session.recording() {
                self.session.advance_record(EVAL_ROWS);
                if now_ms() - start >= budget_ms {
                    return epochs;
                }
            }
            if last_epoch_of_slice || !self.session.can_train() {
                return epochs;
            }
            for _ in 0..check_every {
                if self.session.step_batch() {
                    epochs += 1;
                    let now = now_ms();
                    let epoch_ms = now - epoch_start;
                    epoch_start = now;
                    // End on this boundary if another epoch of the same length would overrun.
                    let out_of_time = now + epoch_ms - start >= budget_ms;
                    // (A reached "stop after N" has begun its own record.)
                    let stop = self.session.recording() || !self.session.can_train();
                    if (max_epochs > 0 && epochs >= max_epochs) || stop || out_of_time {
                        self.session.begin_record();
                        last_epoch_of_slice = true;
                        break;
                    }
                }
            }
            if !last_epoch_of_slice && now_ms() - start >= budget_ms {
                return epochs;
            }
        }
    }

    /// Trains exactly one epoch (the Step button).
    pub fn step(&mut self) -> u32 {
        self.replay = None;
        self.session.resume();
        let done = self.session.train_epochs(1);
        self.session.record();
        done
    }

    /// Clears a reached "stop after" so Play can go on.
    pub fn resume(&mut self) {
        self.session.resume();
    }

    pub fn epoch(&self) -> u32 {
        self.session.epoch()
    }

    /// Epoch, losses, accuracies, status and sizes, as a plain object.
    pub fn stats(&self) -> JsValue {
        let last = self.session.history().last().copied();
        let s = &self.session;
        let task = s.task();
        let total_points = s.train_rows().len() + if s.experiment().show_test { s.test_rows().len() } else { 0 };
        to_js(&Stats {
            epoch: s.epoch(),
            train_loss: last.map_or(f64::NAN, |r| r.train_loss),
            test_loss: last.map_or(f64::NAN, |r| r.test_loss),
            train_accuracy: last.and_then(|r| r.train_accuracy),
            test_accuracy: last.and_then(|r| r.test_accuracy),
            status: StatusView::new(s, self.lang()),
            task: match task {
                Task::Classification { .. } => "classification",
                Task::Regression => "regression",
            },
            // Clusterers colour by cluster: the legend counts clusters.
            classes: if s.experiment().kind() == crate::models::Kind::Clustering {
                s.view_task().classes()
            } else {
                task.classes()
            },
            train_size: s.train_rows().len(),
            test_size: s.test_rows().len(),
            batches_per_epoch: s.batches_per_epoch(),
            parameters: s.shown_parameter_count(),
            shown_points: total_points.div_ceil(charts::point_stride(total_points)),
            total_points,
            data: s.experiment().data_name(),
            tabular: s.inputs().table().is_some(),
            view_label: s.inputs().table().map(|t| t.view.caption(self.lang())).unwrap_or_default(),
            class_names: s.inputs().table().map_or(&[][..], |t| &t.class_names),
            inputs: s.inputs().count(),
            image: s.inputs().table().and_then(|t| t.image),
            model: s.experiment().model.id(),
            kind: s.experiment().kind(),
            iterations: s.trainer().map(|t| t.progress()),
            model_chart: model_view::has_chart(s),
        })
    }

    /// Losses at every recorded epoch, flattened: [epoch, train, test, epoch, train, ...].
    /// The page records once per training slice; a recorded epoch's losses do not depend
    /// on which other epochs were recorded.
    pub fn losses(&self) -> Vec<f64> {
        self.session.history().iter().flat_map(|r| [r.epoch as f64, r.train_loss, r.test_loss]).collect()
    }

    /// Layer sizes, input labels, weights and biases, for the network view.
    pub fn network(&self) -> JsValue {
        let Some(net) = self.session.shown_network() else { return JsValue::NULL };
        let layers = net.sizes().len() - 1;
        to_js(&Network {
            sizes: net.sizes().to_vec(),
            inputs: self.session.inputs().labels(),
            weights: (0..layers).map(|l| net.weights(l).outer_iter().map(|r| r.to_vec()).collect()).collect(),
            biases: (0..layers).map(|l| net.biases(l).to_vec()).collect(),
        })
    }

    /// Draws the big view (the output, or hidden neuron `focus_layer`/`focus_neuron` when
    /// focus_layer ≥ 1) and one thumbnail per hidden neuron into `thumbnails`, in order.
    /// Forgets the computed view, so the next `draw` recomputes the model's output over the
    /// whole grid (the redraw benchmark times that).
    pub fn forget_view(&mut self) {
        self.fields = None;
    }

    pub fn draw(
        &mut self,
        view: &HtmlCanvasElement,
        thumbnails: &js_sys::Array,
        focus_layer: i32,
        focus_neuron: i32,
    ) -> Result<(), JsValue> {
        let version = self.session.model_version();
        if self.fields.as_ref().map(|c| c.version) != Some(version) {
            let fields = self.session.fields(FIELD_RES);
            // Clusterers colour each point by the cluster it joined, not by its true class.
            let labels = self.session.point_labels();
            self.fields = Some(ViewCache { version, fields, labels });
        }
        let Some(ViewCache { fields, labels, .. }) = &self.fields else { return Ok(()) };
        let (show_test, discretize) = (self.session.experiment().show_test, self.session.experiment().discretize);
        let focus = (focus_layer >= 1)
            .then(|| fields.neurons.get(focus_layer as usize - 1).and_then(|l| l.get(focus_neuron.max(0) as usize)))
            .flatten();
        let ds = self.session.dataset();
        let view_task = self.session.view_task();
        let points = charts::Points {
            points: &ds.points,
            targets: labels.as_deref().unwrap_or(&ds.targets),
            train: self.session.train_rows(),
            test: if show_test { self.session.test_rows() } else { &[] },
            task: if labels.is_some() { view_task } else { ds.task },
            highlight: &self.highlight,
        };
        let shading = match self.session.experiment().kind() {
            // PCA's first component is unbounded: scale the colours to it.
            crate::models::Kind::Reduction => charts::neuron_shading(&fields.output, discretize),
            _ => charts::output_shading(view_task, discretize),
        };
        match focus {
            Some(f) => charts::draw_heatmap(view, f, charts::neuron_shading(f, discretize), Some(&points))?,
            None => {
                charts::draw_heatmap(view, &fields.output, shading, Some(&points))?;
                model_view::draw_overlays(view, &self.session)?;
            }
        }
        let all: Vec<_> = fields.neurons.iter().flatten().collect();
        for (i, canvas) in thumbnails.iter().enumerate() {
            if let (Some(f), Ok(c)) = (all.get(i), canvas.dyn_into::<HtmlCanvasElement>()) {
                // About one grid cell per canvas pixel is all a thumbnail can show.
                let small = f.decimate(f.res / (c.width() as usize).max(1));
                charts::draw_heatmap(&c, &small, charts::neuron_shading(&small, discretize), None)?;
            }
        }
        Ok(())
    }

    /// Draws each input feature's values into `canvases`, matched by `keys` (link names).
    pub fn draw_features(&self, canvases: &js_sys::Array, keys: Vec<String>) -> Result<(), JsValue> {
        for (canvas, key) in canvases.iter().zip(keys) {
            if let (Some(field), Ok(c)) = (self.session.input_field(30, &key), canvas.dyn_into::<HtmlCanvasElement>()) {
                charts::draw_heatmap(&c, &field, charts::neuron_shading(&field, false), None)?;
            }
        }
        Ok(())
    }

    /// The generated data: `{points: [x1, x2, ...], targets, train, test}` (rows of the split).
    pub fn dataset(&self) -> JsValue {
        #[derive(Serialize)]
        struct Data<'a> {
            points: Vec<f64>,
            targets: &'a [f64],
            train: &'a [usize],
            test: &'a [usize],
        }
        let d = self.session.dataset();
        to_js(&Data {
            points: d.points.iter().flatten().copied().collect(),
            targets: &d.targets,
            train: self.session.train_rows(),
            test: self.session.test_rows(),
        })
    }

    /// A few lines describing the fitted classical model (empty for the MLP).
    pub fn model_summary(&self) -> Vec<String> {
        if self.session.trainer().is_none() {
            return Vec::new();
        }
        crate::experiment::summary::summary(&self.session, self.lang())
    }

    /// Draws the classical model's own chart (tree, residuals, projection, cluster sizes).
    pub fn draw_model(&self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        model_view::draw_chart(canvas, &self.session, self.lang())
    }

    /// Draws the train/test loss curve so far.
    pub fn draw_loss(&self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        charts::draw_loss(canvas, self.session.history())
    }
}

/// The shipped real datasets: id, name, one-line description, source and licence.
#[wasm_bindgen]
pub fn datasets() -> JsValue {
    #[derive(Serialize)]
    struct Info {
        id: &'static str,
        name: &'static str,
        about: &'static str,
        source: &'static str,
        licence: &'static str,
    }
    let list: Vec<Info> = builtin::BUILTINS
        .iter()
        .map(|b| Info { id: b.id, name: b.name, about: b.about, source: b.source, licence: b.licence })
        .collect();
    to_js(&list)
}

#[cfg(feature = "full")]
/// Reads CSV bytes and summarises every column (what the EDA table shows): the benchmark's
/// unit of work against papaparse plus a summary written in JS. Returns the column count.
#[wasm_bindgen(js_name = summarizeCsv)]
pub fn summarize_csv(bytes: &[u8]) -> Result<usize, JsValue> {
    let parsed = read_csv(bytes, CsvOptions::default()).map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(summarize(&parsed.table).len())
}

/// Largest file `load_csv` reads, so the page can refuse a bigger one before reading it.
#[wasm_bindgen(js_name = csvLimit)]
pub fn csv_limit() -> usize {
    crate::data::table::MAX_BYTES
}

/// The experiment's settings as the core declares them (`experiment::settings`): key, group,
/// check with its range or options, whether a link may hide it, and the page's own controls
/// `hide=` accepts, so the page copies no limit.
#[wasm_bindgen(js_name = experimentSettings)]
pub fn experiment_settings() -> JsValue {
    to_js(&crate::experiment::settings::describe())
}

/// Every model the page offers: id, name, kind, one-line hint and its settings (key, label,
/// hint, type, range or options), for building the model picker and its controls.
#[wasm_bindgen]
pub fn models() -> JsValue {
    to_js(&crate::models::MODELS)
}

/// Fits a model described like a link (`model=tree&depth=5`) on `x` (row-major, `cols`
/// wide) with targets `y` (class indices when `classes` > 0, values when 0), then predicts
/// the rows of `predict_x`. The benchmark page times this against the ml.js packages.
#[wasm_bindgen(js_name = fitPredict)]
pub fn fit_predict(
    query: &str,
    x: &[f64],
    y: &[f64],
    cols: usize,
    classes: usize,
    predict_x: &[f64],
    seed: u64,
) -> Result<Vec<f64>, JsValue> {
    crate::share::model_from_query(query)
        .and_then(|model| crate::models::fit_predict_params(&model, x, y, cols, classes, predict_x, seed))
        .map_err(|e| JsValue::from_str(&e))
}

/// `fitPredict` repeated inside wasm until `min_ms` have passed (at least once, after one
/// untimed call), as the native CLI's `latih fit` repeats it, with the query read once before
/// the loop (as there): milliseconds per call. The
/// benchmark's wasm ÷ native ratio compares the two loops, so that copying the arrays across
/// the JS boundary on every call is not counted as the fit's time.
#[wasm_bindgen(js_name = fitPredictLoop)]
#[allow(clippy::too_many_arguments)]
pub fn fit_predict_loop(
    query: &str,
    x: &[f64],
    y: &[f64],
    cols: usize,
    classes: usize,
    predict_x: &[f64],
    seed: u64,
    min_ms: f64,
) -> Result<f64, JsValue> {
    let model = crate::share::model_from_query(query).map_err(|e| JsValue::from_str(&e))?;
    let once = || {
        crate::models::fit_predict_params(&model, x, y, cols, classes, predict_x, seed)
            .map_err(|e| JsValue::from_str(&e))
    };
    std::hint::black_box(once()?);
    // One call into JS per look at the clock (`now_ms` makes three, and allocates): a fit of
    // a few microseconds must not be timed together with the timer.
    let performance = web_sys::window().and_then(|w| w.performance()).ok_or("no performance clock")?;
    let start = performance.now();
    let mut runs = 0u32;
    loop {
        std::hint::black_box(once()?);
        runs += 1;
        if performance.now() - start >= min_ms {
            break;
        }
    }
    Ok((performance.now() - start) / f64::from(runs))
}
