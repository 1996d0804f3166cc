//! Lessons: a lesson file and its formulas read for the page, the lesson the link opens, and
//! how a lesson's task stands (the measures it and the explanations read).

use super::{to_js, Lab};
use crate::share;
use serde::Serialize;
use wasm_bindgen::prelude::*;

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
}

#[wasm_bindgen]
impl Lab {
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
}
