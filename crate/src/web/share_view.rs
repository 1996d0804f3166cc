//! Sharing and export: the link to share (with the trained state), its QR code, the
//! experiment as text (the text panel), and the notebook, Spark and predictions exports.

use super::{charts, playground_opens, to_js, Lab};
use crate::share;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// A text's problems for the page: `{line, message}`.
#[derive(Serialize)]
struct TextProblem {
    line: usize,
    message: String,
}

fn problems_of(read: &share::text::Read) -> Vec<TextProblem> {
    read.problems.iter().map(|p| TextProblem { line: p.line, message: p.message.clone() }).collect()
}

#[wasm_bindgen]
impl Lab {
    /// Whether the link carries the person's file (false: it names it, and the file must be
    /// opened again to reproduce the experiment).
    pub fn link_has_data(&self) -> bool {
        self.session.experiment().data_name() != "csv" || self.user_payload.is_some()
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

    /// Every row's prediction as CSV text (see `export::predictions_csv`); fails with the
    /// reason when there is nothing to export.
    #[cfg(feature = "full")]
    pub fn predictions_csv(&mut self) -> Result<String, JsValue> {
        crate::export::predictions_csv(&mut self.session, self.user.as_ref()).map_err(|e| JsValue::from_str(&e))
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
}
