//! The core's notices and error messages in Bahasa Indonesia. The core builds them in English
//! with `format!`, so the catalogue (`notices.id.txt`, read once) pairs each English format
//! string, its placeholders written `{}`, with its Indonesian text, where `{1}`, `{2}`… name
//! the English placeholders in order. A message is translated by matching it against the English
//! patterns; what filled a placeholder is translated in turn, since messages nest (“{} cannot
//! be fitted: {}.” holds a model's own error). A single word (“header”, “regression”) is
//! translated only in a placeholder written `{N*}`, where the core, not the user, chose it: a
//! column may well be named “user”. Hand-written rather than a regex crate: the
//! patterns are plain text with holes, and the wasm bundle stays smaller.

use std::sync::OnceLock;

/// The catalogue: blocks of an English line and its `= ` Indonesian line, or a `- ` line for a
/// literal of the core that is deliberately not translated (not a message the page shows, or
/// already written in both languages); `#` lines are comments.
pub const CATALOGUE: &str = include_str!("notices.id.txt");

/// One translated message: the English text cut at its placeholders, and the Indonesian text.
#[derive(Debug)]
pub struct Entry {
    pub english: &'static str,
    pieces: Vec<&'static str>,
    indonesian: String,
    /// Characters of fixed text: the more, the more specific the pattern.
    literal: usize,
    /// Fixed text at both ends, one or none: a pattern that ends in a placeholder can swallow
    /// anything, so one anchored at both ends is the better match.
    anchors: u8,
    /// A single word, translated only in a `{N*}` placeholder.
    word: bool,
}

impl Entry {
    pub fn new(english: &'static str, indonesian: String) -> Entry {
        let pieces: Vec<&'static str> = english.split("{}").collect();
        let literal = pieces.iter().map(|p| p.chars().count()).sum();
        let anchors = u8::from(!pieces[0].is_empty()) + u8::from(!pieces[pieces.len() - 1].is_empty());
        let word = pieces.len() == 1 && !english.contains(' ');
        Entry { english, pieces, indonesian, literal, anchors, word }
    }

    /// How many placeholders the English has.
    pub fn holes(&self) -> usize {
        self.pieces.len() - 1
    }
}

/// The parsed catalogue: the translations, and the English literals marked as not messages.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub entries: Vec<Entry>,
    pub skipped: Vec<String>,
    /// Lines that do not follow the format (reported by the tests).
    pub errors: Vec<String>,
}

fn unescape(line: &str) -> String {
    line.replace("\\n", "\n")
}

/// Reads the catalogue's text (see [`CATALOGUE`]).
pub fn parse(text: &'static str) -> Catalogue {
    let mut c = Catalogue::default();
    let mut pending: Option<&'static str> = None;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if let Some(id) = line.strip_prefix("= ") {
            match pending.take() {
                Some(english) => c.entries.push(Entry::new(english, unescape(id))),
                None => c.errors.push(format!("line {n}: a translation without its English line")),
            }
            continue;
        }
        if let Some(english) = pending.take() {
            c.errors.push(format!("line {}: “{english}” has no “= ” translation after it", n - 1));
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_prefix("- ") {
            Some(skip) => c.skipped.push(unescape(skip)),
            None => pending = Some(line),
        }
    }
    if let Some(english) = pending {
        c.errors.push(format!("the last line “{english}” has no translation"));
    }
    c
}

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| parse(CATALOGUE))
}

/// The text that filled each `{}` of `pieces` when `text` matches them, trying every place a
/// piece occurs (so a placeholder may hold text that looks like the pattern's own).
fn captures<'t>(pieces: &[&str], text: &'t str) -> Option<Vec<&'t str>> {
    let rest = text.strip_prefix(pieces[0])?;
    let mut out = Vec::with_capacity(pieces.len() - 1);
    fill(&pieces[1..], rest, &mut out).then_some(out)
}

fn fill<'t>(pieces: &[&str], rest: &'t str, out: &mut Vec<&'t str>) -> bool {
    let Some((next, later)) = pieces.split_first() else { return rest.is_empty() };
    if later.is_empty() {
        // The last placeholder takes all up to the closing text.
        return match rest.strip_suffix(next) {
            Some(hole) => {
                out.push(hole);
                true
            }
            None => false,
        };
    }
    let mut from = 0;
    while let Some(at) = rest[from..].find(next).map(|i| i + from) {
        out.push(&rest[..at]);
        if fill(later, &rest[at + next.len()..], out) {
            return true;
        }
        out.pop();
        if next.is_empty() {
            // Two holes side by side: the first takes one more character each try.
            match rest[at..].chars().next() {
                Some(ch) => from = at + ch.len_utf8(),
                None => return false,
            }
        } else {
            from = at + 1;
            while !rest.is_char_boundary(from) {
                from += 1;
            }
        }
    }
    false
}

/// `text` in Indonesian when the catalogue knows its pattern, with what filled the holes
/// translated too (up to a few levels deep).
fn translate(cat: &Catalogue, text: &str, depth: u8) -> Option<String> {
    if depth > 4 || text.is_empty() {
        return None;
    }
    let (entry, holes) = cat
        .entries
        .iter()
        .filter(|e| e.literal > 0 && !e.word)
        .filter_map(|e| captures(&e.pieces, text).map(|h| (e, h)))
        .max_by_key(|(e, _)| (e.anchors, e.literal))?;
    let mut out = String::with_capacity(entry.indonesian.len() + 16);
    let mut rest = entry.indonesian.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| c + open);
        let hole = close.and_then(|c| parse_hole(&rest[open + 1..c]));
        match (close, hole) {
            (Some(close), Some((i, word))) if (1..=holes.len()).contains(&i) => {
                let h = holes[i - 1];
                let translated = if word {
                    cat.entries.iter().find(|e| e.holes() == 0 && e.english == h).map(|e| e.indonesian.clone())
                } else {
                    translate(cat, h, depth + 1)
                };
                out.push_str(&rest[..open]);
                out.push_str(translated.as_deref().unwrap_or(h));
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The number of a `{N}` or `{N*}` placeholder, and whether it holds a word.
pub fn parse_hole(inside: &str) -> Option<(usize, bool)> {
    let (number, word) = match inside.strip_suffix('*') {
        Some(n) => (n, true),
        None => (inside, false),
    };
    number.parse().ok().map(|n| (n, word))
}

/// A notice or error message of the core in Indonesian. Text the catalogue does not know is
/// translated after its first “: ” when the rest is known (a setting's key or a field's name
/// before a message), else returned as it is.
pub fn to_indonesian(text: &str) -> String {
    let cat = catalogue();
    if let Some(t) = translate(cat, text, 0) {
        return t;
    }
    if let Some((head, tail)) = text.split_once(": ") {
        if let Some(t) = translate(cat, tail, 1) {
            return format!("{head}: {t}");
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests;
