//! The lab's lifecycle: a `Lab` made from a link, links loaded and pasted, the settings and a
//! change of one by its link key, how the link asks to show the experiment and in which
//! language, a trained state replayed in slices, the handover to the other build; and the
//! catalogues the pickers list (`datasets`, `models`).

use super::{now_ms, open, playground_opens, session_for, to_js, Lab};
use crate::data::builtin;
use crate::data::table::{read_csv, CsvOptions};
use crate::experiment::{Experiment, Session};
use crate::lang::Lang;
use crate::share;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// How long opening a link or file may replay its training before the rest goes to the
/// page's frames: a hand-edited `trained=140000` froze the tab for 4-11 s.
const REPLAY_AT_ONCE_MS: f64 = 40.0;

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

    /// Panics on purpose (a debug hook: tests check the page recovers from a crash in the core).
    pub fn debug_panic(&mut self, what: &str) {
        panic!("debug panic requested: {what}");
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

    /// Sets the interface language kept in the link (`en`, `id`; anything else: none).
    pub fn set_lang(&mut self, lang: &str) {
        self.display.lang = share::LANGUAGES.iter().find(|l| **l == lang).map(|l| l.to_string());
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

    /// Current settings as `{key: value}` with the link's keys and values.
    pub fn settings(&self) -> JsValue {
        let link = self.link();
        let obj = js_sys::Object::new();
        for (k, v) in share::open::link_pairs(&link) {
            let _ = js_sys::Reflect::set(&obj, &k.into(), &v.into());
        }
        obj.into()
    }

    /// Changes one setting by its link key. View settings (`test`, `discrete`, `stop`) keep
    /// the training state; any other change restarts from epoch 0, so the link always
    /// reproduces what is on screen. Returns notices (a clamped value, an unknown key).
    pub fn set(&mut self, key: &str, value: &str) -> Result<Vec<String>, JsValue> {
        let change = match share::open::change(&self.link(), key, value, &self.session, self.user.as_ref()) {
            Ok(change) => change,
            Err(unknown) => return Ok(vec![unknown]),
        };
        let mut decoded = share::decode(&change.fragment);
        playground_opens(&decoded)?;
        if change.to_ratings {
            decoded.notices.push(share::open::TO_RATINGS.into());
        }
        let old = self.session.experiment().clone();
        let new = decoded.experiment;
        let view_only = share::open::keeps_training(&old, &new);
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
}

impl Lab {
    /// The language of the text the core writes (status, summary, captions): the link's.
    pub(super) fn lang(&self) -> Lang {
        Lang::from_code(self.display.lang.as_deref())
    }

    pub(super) fn replace_session(&mut self, session: Session) {
        self.session = session;
        self.replay = None;
        self.fields = None;
        self.highlight.clear();
        self.reports = None;
        self.cv = None;
        self.learning = None;
        self.pad = None;
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

    pub(super) fn is_csv(&self) -> bool {
        self.session.experiment().data_name() == "csv"
    }

    /// Replaces the experiment with a decoded one; a CSV it carries becomes the person's data,
    /// named `carried_in` (kept as it was when empty).
    pub(super) fn load_decoded(
        &mut self,
        mut decoded: share::Decoded,
        carried_in: &str,
    ) -> Result<Vec<String>, JsValue> {
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
    pub(super) fn restore(&mut self, state: &crate::experiment::run::Trained) -> Result<Vec<String>, String> {
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
