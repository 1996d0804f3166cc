//! Files: the person's CSV file read in slices (`csv_start`, `csv_step`, `csv_finish`) or in
//! one go (`load_csv`), the experiment file and the model file written and opened.

use super::{for_page, now_ms, to_js, Lab};
use crate::data::table::{CsvOptions, CsvReading, Parsed};
use crate::experiment::run::SessionData;
use crate::experiment::{Experiment, Session};
use crate::share;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A file being read: the reading, its name, and its link payload when small enough.
#[derive(Debug)]
pub(super) struct CsvJob {
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
                let (e, changed) = share::open::with_file(experiment, &parsed.table);
                notices.extend(changed);
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

#[wasm_bindgen]
impl Lab {
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

    /// Whether the experiment file and the model file carry the person's data without being
    /// given its bytes (from the link, or from the experiment file it was opened from).
    pub fn holds_data(&self) -> bool {
        !self.is_csv() || self.user_payload.is_some() || self.user_file_payload.is_some()
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
            self.user_file_payload = share::text::csv_payload(&text);
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

    /// The trained model as a JSON file (see `export::ModelFile`): the experiment with its data
    /// (`csv` as for `experiment_file`), the weights and the optimiser's memory.
    pub fn model_file(&self, csv: Option<Vec<u8>>) -> String {
        crate::export::model_file(&self.session, self.experiment_file(csv))
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
}

/// Largest file `load_csv` reads, so the page can refuse a bigger one before reading it.
#[wasm_bindgen(js_name = csvLimit)]
pub fn csv_limit() -> usize {
    crate::data::table::MAX_BYTES
}
