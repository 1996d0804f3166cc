//! The experiment as text: one `key = value` line per setting, with the link's keys in the
//! link's order, so docs authors can write and edit experiments like a notebook cell. The same
//! text (with a whole CSV file as its `csv` payload) is the experiment file Latih saves when a
//! link would be too long.
//!
//! Values are the link's values, percent-decoded: only `%` and control characters stay
//! escaped, so a line reads as it means (`target = body mass (g)`).

use super::{decode_pairs, encode, payload, percent_decode, Decoded};
use crate::experiment::Experiment;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// What a value keeps escaped in the text: what would break its line or its decoding.
const TEXT_ESCAPES: &AsciiSet = &CONTROLS.add(b'%');

/// The first line of every experiment text; files are recognised by it.
pub const HEADER: &str = "# Latih experiment: one setting per line, the link's keys (docs/link-format.md)";

/// Longest text read (characters); an experiment file holding a whole CSV file is longer than
/// a link, so this is the file limit (see `payload::FILE`).
pub const MAX_TEXT: usize = payload::FILE.max_chars + 64 * 1024;

/// A problem found in a text, on a line (1-based) or, with `line` 0, in the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// What a text describes, and what is wrong with it, line by line.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub decoded: Decoded,
    pub problems: Vec<Problem>,
}

/// The experiment's text; `csv`, when given, is carried whole as the `csv` payload (an
/// experiment file), otherwise only what the link carries is written.
pub fn to_text(e: &Experiment, link_tail: Option<&str>) -> String {
    let mut out = String::with_capacity(400);
    out.push_str(HEADER);
    out.push('\n');
    let link = encode(e);
    let tail = link_tail.unwrap_or("");
    for pair in link.split('&').chain(tail.split('&')).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        out.push_str(key);
        out.push_str(" = ");
        out.extend(utf8_percent_encode(&percent_decode(value), TEXT_ESCAPES));
        out.push('\n');
    }
    out
}

/// Reads an experiment's text, never failing: every line that is not blank, not a `#`
/// comment and not `key = value` is a problem on its line, and so is every notice the
/// decoder gives about a setting. Payloads are read within `limits`.
pub fn from_text(text: &str, limits: payload::Limits) -> Read {
    let mut problems = Vec::new();
    let text = if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        problems.push(Problem {
            line: 0,
            message: format!("The text is longer than {MAX_TEXT} characters; only its start was read."),
        });
        &text[..cut]
    } else {
        text
    };
    let mut pairs = Vec::new();
    let mut lines = Vec::new();
    for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                pairs.push((percent_decode(key.trim()), percent_decode(value.trim())));
                lines.push(number);
            }
            _ => problems.push(Problem {
                line: number,
                message: format!("“{}” is not a setting: write key = value.", super::shown(line)),
            }),
        }
    }
    let (decoded, tags) = decode_pairs(pairs, limits);
    for (message, tag) in decoded.notices.iter().zip(tags) {
        let line = tag.and_then(|i| lines.get(i).copied()).unwrap_or(0);
        problems.push(Problem { line, message: message.clone() });
    }
    problems.sort_by_key(|p| p.line);
    Read { decoded, problems }
}

/// Whether bytes look like an experiment text (an experiment file), not a CSV file.
pub fn is_experiment_text(bytes: &[u8]) -> bool {
    let start = &bytes[..bytes.len().min(HEADER.len() + 3)];
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    start.starts_with(b"# Latih experiment")
}

/// The `csv` payload an experiment text carries, as it is written (not unpacked): saving the
/// experiment again writes it back when the data is too big for a link.
pub fn csv_payload(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == "csv").then(|| value.trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Drawn;

    #[test]
    fn the_default_reads_as_one_setting_per_line_and_back() {
        let e = Experiment::default();
        let text = to_text(&e, None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], HEADER);
        assert_eq!(lines[1], "v = 1");
        assert_eq!(lines[2], "data = circle");
        assert!(lines.contains(&"hidden = 4,2"), "{text}");
        let read = from_text(&text, payload::LINK);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.decoded.experiment, e);
    }

    #[test]
    fn problems_point_at_their_lines() {
        let text =
            "v = 1\ndata = spiral\n\n# a comment\nlr = fast\nnonsense line\nmodel = tree\ndepth = 99\nkernel = rbf\n";
        let read = from_text(text, payload::LINK);
        let at = |line: usize| read.problems.iter().filter(|p| p.line == line).count();
        assert_eq!((at(5), at(6), at(8), at(9)), (1, 1, 1, 1), "{:?}", read.problems);
        assert!(read.problems.iter().all(|p| p.line != 0), "{:?}", read.problems);
        assert!(read.problems[0].message.contains("lr=fast"), "{:?}", read.problems);
        assert_eq!(read.decoded.experiment.data, crate::data::Generator::Spiral);
        // A whole-experiment problem (no version) has line 0.
        let read = from_text("data = xor", payload::LINK);
        assert_eq!(read.problems.len(), 1);
        assert_eq!(read.problems[0].line, 0);
    }

    #[test]
    fn names_with_spaces_and_percent_signs_read_as_written() {
        let read = from_text("v = 1\ndata = iris\nexclude = sepal width (cm)\n", payload::LINK);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let text = to_text(&read.decoded.experiment, None);
        assert!(text.contains("exclude = sepal width (cm)\n"), "{text}");
        let mut d = Drawn::default();
        d.add(1.0, 2.0, 1.0, 3);
        let e = Experiment { drawn: Some(d), ..Experiment::default() };
        let back = from_text(&to_text(&e, None), payload::LINK);
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.decoded.experiment, e);
    }

    #[test]
    fn an_experiment_file_carries_a_csv_bigger_than_a_link_can() {
        let csv: String = (0..40_000).map(|i| format!("{},{},{}\n", i % 97, (i * 7919) % 1013, i % 3)).collect();
        let csv = format!("a,b,y\n{csv}");
        assert!(payload::pack(csv.as_bytes()).is_none(), "too big for a link");
        let packed = payload::pack_for_file(csv.as_bytes()).expect("fits a file");
        let e = Experiment {
            table: Some(crate::data::tabular::TableSpec::for_table("csv", &Default::default(), Some("y"), &[])),
            ..Experiment::default()
        };
        let text = to_text(&e, Some(&format!("csv={packed}")));
        assert!(is_experiment_text(text.as_bytes()) && !is_experiment_text(csv.as_bytes()));
        // A link's limits refuse it with a problem; a file's read it.
        let as_link = from_text(&text, payload::LINK);
        assert!(as_link.decoded.csv.is_none());
        assert!(as_link.problems.iter().any(|p| p.message.contains("longer than")), "{:?}", as_link.problems);
        let as_file = from_text(&text, payload::FILE);
        assert_eq!(as_file.decoded.csv.as_deref(), Some(csv.as_bytes()));
    }

    #[test]
    fn an_experiment_text_gives_back_its_csv_payload_as_written() {
        let e = Experiment::default();
        assert_eq!(csv_payload(&to_text(&e, None)), None);
        assert_eq!(csv_payload(&to_text(&e, Some("csv=abc_-1"))).as_deref(), Some("abc_-1"));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn text_of_any_link_is_stable(s in ".{0,200}") {
            // Whatever a link decodes to, its text reads back to it, and the text is a fixed point.
            let e = super::super::decode(&s).experiment;
            let text = to_text(&e, None);
            let read = from_text(&text, payload::LINK);
            prop_assert!(read.problems.is_empty(), "{:?}", read.problems);
            prop_assert_eq!(&read.decoded.experiment, &e);
            prop_assert_eq!(to_text(&read.decoded.experiment, None), text);
        }

        #[test]
        fn reading_any_text_never_panics(s in "(.{0,40}\n){0,12}") {
            let read = from_text(&s, payload::LINK);
            prop_assert!(read.decoded.experiment.model.check().is_ok());
        }
    }
}
