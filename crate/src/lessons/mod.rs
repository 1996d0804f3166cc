//! Lessons: a Markdown file of short sections, each loading an experiment (a Latih link) in
//! place, with a "try this" task the app checks live. `parse` reads the format documented in
//! `docs/lessons.md` into plain data the page draws as text (never as markup); `check` tells
//! which of a task's conditions the current session meets.
//!
//! The format is a small line-oriented subset of Markdown written by hand here: a Markdown
//! crate would add to the wasm size for syntax lessons do not use, and the directives
//! (`@experiment`, `@task`, ...) and formulas need their own reading anyway.

pub mod math;

use crate::eval::{self, Report};
use crate::experiment::Session;
use crate::models::ModelParams;
use serde::Serialize;
use std::collections::BTreeMap;

/// Largest lesson file read (a lesson is a few kilobytes of text).
pub const MAX_LESSON_BYTES: usize = 256 * 1024;
/// Most sections a lesson may have.
pub const MAX_SECTIONS: usize = 60;

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inline {
    pub text: String,
    /// plain, em, strong or code.
    pub style: &'static str,
}

/// A block of a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph { inlines: Vec<Inline> },
    List { items: Vec<Vec<Inline>> },
    Math { math: math::Node },
}

/// A condition of a task: `name op value`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    pub name: String,
    pub op: String,
    pub value: String,
}

/// A "try this" task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub text: String,
    /// The conditions as written (a key for the learner's progress).
    pub source: String,
    pub conditions: Vec<Condition>,
    pub hint: Option<String>,
    /// A link that meets the task (for tests and for "show me").
    pub solution: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
    pub experiment: Option<String>,
    pub task: Option<Task>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lesson {
    pub title: String,
    /// Blocks before the first section.
    pub intro: Vec<Block>,
    pub sections: Vec<Section>,
    /// What was wrong in the file and what was done about it, by line.
    pub notices: Vec<String>,
}

const OPS: [&str; 7] = [">=", "<=", "!=", ">", "<", "=", "has"];

/// Parses `NAME OP VALUE and NAME OP VALUE ...`.
pub fn parse_conditions(text: &str) -> Result<Vec<Condition>, String> {
    let mut out = Vec::new();
    for part in text.split(" and ").map(str::trim).filter(|p| !p.is_empty()) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let [name, op, value] = words[..] else {
            return Err(format!("“{part}” is not “name op value”"));
        };
        if !OPS.contains(&op) {
            return Err(format!("“{op}” is not a comparison (use one of {})", OPS.join(" ")));
        }
        out.push(Condition { name: name.to_string(), op: op.to_string(), value: value.to_string() });
    }
    if out.is_empty() {
        return Err("the task has no condition".into());
    }
    Ok(out)
}

/// Reads `**strong**`, `*em*` and `` `code` `` in a line of text; unclosed marks stay text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    let push = |out: &mut Vec<Inline>, text: &str, style: &'static str| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.style == style => last.text.push_str(text),
            _ => out.push(Inline { text: text.to_string(), style }),
        }
    };
    while let Some(c) = rest.chars().next() {
        let mark = if rest.starts_with("**") {
            Some(("**", "strong"))
        } else if c == '*' {
            Some(("*", "em"))
        } else if c == '`' {
            Some(("`", "code"))
        } else {
            None
        };
        if let Some((m, style)) = mark {
            if let Some(end) = rest[m.len()..].find(m).filter(|&e| e > 0) {
                push(&mut out, &plain, "plain");
                plain.clear();
                push(&mut out, &rest[m.len()..m.len() + end], style);
                rest = &rest[2 * m.len() + end..];
                continue;
            }
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    push(&mut out, &plain, "plain");
    out
}

/// Reads a lesson file. Never fails: what it cannot read becomes a notice naming the line.
pub fn parse(text: &str) -> Lesson {
    let mut lesson = Lesson { title: String::new(), intro: Vec::new(), sections: Vec::new(), notices: Vec::new() };
    let text = if text.len() > MAX_LESSON_BYTES {
        lesson.notices.push(format!(
            "The lesson is {} KB; only its first {} KB were read.",
            text.len() / 1024,
            MAX_LESSON_BYTES / 1024
        ));
        let mut end = MAX_LESSON_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    } else {
        text
    };
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    let mut i = 0;
    // Front matter: `---`, `key: value` lines, `---`.
    if lines.first().map(|l| l.trim()) == Some("---") {
        i = 1;
        while i < lines.len() && lines[i].trim() != "---" {
            if let Some((k, v)) = lines[i].split_once(':') {
                if k.trim() == "title" {
                    lesson.title = v.trim().to_string();
                }
            }
            i += 1;
        }
        i += 1;
    }
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<Vec<Inline>> = Vec::new();
    fn blocks(lesson: &mut Lesson) -> &mut Vec<Block> {
        match lesson.sections.last_mut() {
            Some(s) => &mut s.blocks,
            None => &mut lesson.intro,
        }
    }
    fn flush(lesson: &mut Lesson, paragraph: &mut Vec<&str>, list: &mut Vec<Vec<Inline>>) {
        if !paragraph.is_empty() {
            let text = paragraph.join(" ");
            blocks(lesson).push(Block::Paragraph { inlines: inlines(&text) });
            paragraph.clear();
        }
        if !list.is_empty() {
            blocks(lesson).push(Block::List { items: std::mem::take(list) });
        }
    }
    while i < lines.len() {
        let n = i + 1;
        let line = lines[i].trim_end();
        let trimmed = line.trim();
        i += 1;
        if trimmed.is_empty() {
            flush(&mut lesson, &mut paragraph, &mut list);
            continue;
        }
        if let Some(title) = trimmed.strip_prefix("## ") {
            flush(&mut lesson, &mut paragraph, &mut list);
            if lesson.sections.len() >= MAX_SECTIONS {
                lesson.notices.push(format!("Line {n}: more than {MAX_SECTIONS} sections; the rest was left out."));
                break;
            }
            lesson.sections.push(Section {
                title: title.trim().to_string(),
                blocks: Vec::new(),
                experiment: None,
                task: None,
            });
            continue;
        }
        if let Some(title) = trimmed.strip_prefix("# ") {
            flush(&mut lesson, &mut paragraph, &mut list);
            if lesson.title.is_empty() {
                lesson.title = title.trim().to_string();
            }
            continue;
        }
        if let Some(directive) = trimmed.strip_prefix('@') {
            flush(&mut lesson, &mut paragraph, &mut list);
            let (name, arg) = directive.split_once(char::is_whitespace).unwrap_or((directive, ""));
            let arg = arg.trim();
            let Some(section) = lesson.sections.last_mut() else {
                lesson.notices.push(format!("Line {n}: @{name} before the first section (## title); ignored."));
                continue;
            };
            match name {
                "experiment" => {
                    if section.experiment.is_some() {
                        lesson
                            .notices
                            .push(format!("Line {n}: a second @experiment in “{}”; the first is kept.", section.title));
                    } else {
                        section.experiment = Some(arg.trim_start_matches('#').to_string());
                    }
                }
                "task" => {
                    let (conditions, text) = arg.split_once('|').unwrap_or((arg, ""));
                    match parse_conditions(conditions) {
                        Ok(parsed) => {
                            section.task = Some(Task {
                                text: text.trim().to_string(),
                                source: conditions.trim().to_string(),
                                conditions: parsed,
                                hint: None,
                                solution: None,
                            })
                        }
                        Err(why) => lesson
                            .notices
                            .push(format!("Line {n}: the task cannot be checked: {why}; it was left out.")),
                    }
                }
                "hint" | "solution" => match section.task.as_mut() {
                    Some(task) if name == "hint" => task.hint = Some(arg.to_string()),
                    Some(task) => task.solution = Some(arg.trim_start_matches('#').to_string()),
                    None => lesson.notices.push(format!("Line {n}: @{name} without a @task before it; ignored.")),
                },
                other => lesson.notices.push(format!(
                    "Line {n}: “@{other}” is not a directive (@experiment, @task, @hint, @solution); ignored."
                )),
            }
            continue;
        }
        if let Some(formula) = trimmed.strip_prefix("$$").and_then(|t| t.strip_suffix("$$")) {
            flush(&mut lesson, &mut paragraph, &mut list);
            let (node, problems) = math::parse(formula);
            for p in problems {
                lesson.notices.push(format!("Line {n}: {p}"));
            }
            blocks(&mut lesson).push(Block::Math { math: node });
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
            if !paragraph.is_empty() {
                flush(&mut lesson, &mut paragraph, &mut list);
            }
            list.push(inlines(item.trim()));
            continue;
        }
        if !list.is_empty() {
            flush(&mut lesson, &mut paragraph, &mut list);
        }
        paragraph.push(trimmed);
    }
    flush(&mut lesson, &mut paragraph, &mut list);
    if lesson.title.is_empty() {
        lesson.title = lesson.sections.first().map_or_else(|| "Lesson".to_string(), |s| s.title.clone());
    }
    if lesson.sections.is_empty() {
        lesson.notices.push("The lesson has no section (a line starting with “## ”).".into());
    }
    lesson
}

/// What a task can be checked against: the session's measures and its link's settings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Measures {
    pub numbers: BTreeMap<String, f64>,
    pub settings: BTreeMap<String, String>,
}

impl Measures {
    /// The current session's measures (its metrics on both parts, epoch, network size) and
    /// the settings of its link.
    pub fn of(session: &mut Session, link: &str) -> Measures {
        Measures::with_reports(session, link, eval::report)
    }

    /// `of`, with the metrics of each part (`test`: the test part) from `report`, so a caller
    /// that keeps them per model version does not compute them again.
    pub fn with_reports(
        session: &mut Session,
        link: &str,
        mut report: impl FnMut(&mut Session, bool) -> Report,
    ) -> Measures {
        let mut m = Measures::default();
        for (k, v) in link.split('&').filter_map(|p| p.split_once('=')) {
            let v = percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned();
            m.settings.insert(k.to_string(), v);
        }
        let e = session.experiment();
        let mlp = e.model == ModelParams::Mlp;
        let (neurons, layers) = if mlp { (e.hidden.iter().sum::<usize>(), e.hidden.len()) } else { (0, 0) };
        m.numbers.insert("neurons".into(), neurons as f64);
        m.numbers.insert("layers".into(), layers as f64);
        if let Some(net) = session.net() {
            m.numbers.insert("parameters".into(), net.parameter_count() as f64);
        }
        m.numbers.insert("train_n".into(), session.train_rows().len() as f64);
        m.numbers.insert("test_n".into(), session.test_rows().len() as f64);
        let epoch = f64::from(session.trained_to());
        m.numbers.insert("epoch".into(), epoch);
        if let Some(last) = session.history().last() {
            m.numbers.insert("train_loss".into(), last.train_loss);
            m.numbers.insert("test_loss".into(), last.test_loss);
        }
        // A classical model not fitted yet has no metrics.
        if session.trainer().is_some() && session.fitted().is_none() {
            return m;
        }
        for (part, test) in [("train", false), ("test", true)] {
            let mut put = |name: &str, v: f64| {
                if v.is_finite() {
                    m.numbers.insert(format!("{part}_{name}"), v);
                }
            };
            match report(session, test) {
                Report::Classification(r) => {
                    put("accuracy", r.accuracy);
                    put("correct", r.correct as f64);
                    put("precision", r.macro_avg.precision);
                    put("recall", r.macro_avg.recall);
                    put("f1", r.macro_avg.f1);
                }
                Report::Regression { errors, .. } => {
                    put("r2", errors.r2);
                    put("rmse", errors.rmse);
                    put("mae", errors.mae);
                    put("mse", errors.mse);
                    put("ss_res", errors.ss_res);
                    put("ss_tot", errors.ss_tot);
                }
                Report::Clustering { silhouette, adjusted_rand, .. } => {
                    put("silhouette", silhouette);
                    if let Some(a) = adjusted_rand {
                        put("adjusted_rand", a);
                        if test {
                            m.numbers.insert("adjusted_rand".into(), a);
                        }
                    }
                }
                Report::Projection => {}
            }
        }
        m
    }
}

/// How one condition stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionCheck {
    pub condition: String,
    pub met: bool,
    /// The current value, as shown next to the condition (None: not known yet).
    pub value: Option<String>,
}

/// How a task stands: met when every condition is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskCheck {
    pub met: bool,
    pub conditions: Vec<ConditionCheck>,
}

fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{v}")
    } else {
        format!("{v:.3}")
    }
}

/// Checks each condition against the measures (a number first, then a link setting).
pub fn check(conditions: &[Condition], m: &Measures) -> TaskCheck {
    let checks: Vec<ConditionCheck> = conditions
        .iter()
        .map(|c| {
            let shown = format!("{} {} {}", c.name, c.op, c.value);
            let number = m.numbers.get(&c.name).copied();
            let setting = m.settings.get(&c.name);
            let want = c.value.parse::<f64>().ok();
            let met = match (c.op.as_str(), number, setting, want) {
                ("has", _, Some(s), _) => s.split(',').any(|w| w == c.value),
                ("has", _, None, _) => false,
                (op, Some(v), _, Some(w)) => compare(op, v, w),
                (op, None, Some(s), Some(w)) => s.parse::<f64>().is_ok_and(|v| compare(op, v, w)),
                ("=", None, Some(s), None) => *s == c.value,
                ("!=", None, Some(s), None) => *s != c.value,
                _ => false,
            };
            let value = number.map(format_number).or_else(|| setting.cloned());
            ConditionCheck { condition: shown, met, value }
        })
        .collect();
    TaskCheck { met: !checks.is_empty() && checks.iter().all(|c| c.met), conditions: checks }
}

fn compare(op: &str, v: f64, w: f64) -> bool {
    match op {
        ">=" => v >= w,
        "<=" => v <= w,
        ">" => v > w,
        "<" => v < w,
        // Equality of measures allows the rounding their shown value has.
        "=" => (v - w).abs() <= 1e-9 * w.abs().max(1.0),
        "!=" => (v - w).abs() > 1e-9 * w.abs().max(1.0),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
