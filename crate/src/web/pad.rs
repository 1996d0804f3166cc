//! Predicting what the person gives: the prediction form, the digit pad (and the test digits
//! beside it), and points drawn as the data.

use super::{image_view, session_for, to_js, Lab};
use crate::data::table::Values;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen]
impl Lab {
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
}

impl Lab {
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
}
