//! The one wasm-bindgen surface: an opaque `Lab` handle that JS drives, its calls split by
//! feature (one file each: `lab`, `train`, `files`, `explore`, `eval_view`, `share_view`,
//! `lesson`, `pad`, `bench`), and the drawers (`charts`, `explore_view`, `image_view`,
//! `model_view`). Errors become `JsValue` strings here and nowhere else.

mod bench;
mod charts;
mod eval_view;
mod explore;
mod explore_view;
mod files;
mod image_view;
mod lab;
mod lesson;
mod model_view;
mod pad;
mod share_view;
mod train;

pub use lab::experiment_settings;

use crate::data::table::Table;
use crate::experiment::{Experiment, Session};
use crate::share;
use serde::Serialize;
use wasm_bindgen::prelude::*;

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

/// What the last panic inside the core said (empty when none happened). After a panic the
/// `Lab` it happened in is unusable; the page makes a new one and goes on.
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
    fields: Option<train::ViewCache>,
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
    eda: Option<(String, explore::Eda)>,
    /// Statistics being computed by `explore_step`, for the key they belong to.
    eda_job: Option<(String, crate::explore::EdaJob)>,
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
    csv: Option<files::CsvJob>,
    /// The epoch (or iteration) a trained state without weights is replayed to, in slices
    /// (`replay_step`), when it takes longer than `REPLAY_AT_ONCE_MS`.
    replay: Option<u32>,
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

/// Opens a link's experiment as the page runs it (see `session_for`), or the default one with
/// the reason (`share::open::open_or_default`).
fn open(e: Experiment, user: Option<&Table>, notices: &mut Vec<String>) -> Result<Session, JsValue> {
    share::open::open_or_default(e, user, notices).map(for_page).map_err(|m| JsValue::from_str(&m))
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
