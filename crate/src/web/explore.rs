//! Exploration: the EDA panel's statistics of the current data (computed in slices for a
//! large table), and its column charts, scatter matrix and correlation heatmap (drawn by
//! `explore_view`).

use super::{explore_view, now_ms, to_js, Lab};
use crate::data::table::{Column, Table, Values};
use crate::data::{builtin, Task};
use crate::explore::{correlation, summarize, ColumnSummary, Correlation, EdaJob};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// What the EDA panel shows: every column's summary, the correlations, and the target.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Eda {
    name: String,
    rows: usize,
    target: String,
    columns: Vec<ColumnSummary>,
    correlation: Correlation,
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

impl Lab {
    /// What the EDA statistics depend on.
    fn eda_key(&self) -> String {
        let e = self.session.experiment();
        let target = e.table.as_ref().map_or("", |t| t.target.as_str());
        format!("{}|{}|{}|{}|{}|{}|{target}", e.data_name(), e.samples, e.noise, e.classes, e.data_seed, self.user_name)
    }

    /// The EDA of the current data, computed once per data choice.
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

#[wasm_bindgen]
impl Lab {
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
}
