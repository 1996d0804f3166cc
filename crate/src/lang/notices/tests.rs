use super::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Sources whose text is not a notice: tests, the already bilingual summary and lesson maths,
/// the exports' generated code, the command line tool, and this module.
const NOT_SCANNED: [&str; 7] =
    ["tests.rs", "summary.rs", "/bin/", "export/notebook.rs", "export/spark.rs", "lessons/math.rs", "/lang"];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the sources") {
        let path = entry.expect("a source").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals of Rust source (plain and raw; not byte strings, chars or comments),
/// as written between the quotes.
fn literals(src: &str) -> Vec<String> {
    let b = src.as_bytes();
    let (mut i, mut out) = (0, Vec::new());
    let word = |i: usize| i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => i = src[i..].find('\n').map_or(b.len(), |j| i + j),
            b'/' if b.get(i + 1) == Some(&b'*') => i = src[i..].find("*/").map_or(b.len(), |j| i + j + 2),
            b'\'' if b.get(i + 1) == Some(&b'\\') => i = src[i + 2..].find('\'').map_or(b.len(), |j| i + j + 3),
            b'\'' => {
                // A char literal ('x', '“') or a lifetime ('a).
                let ch = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                i += if b.get(i + 1 + ch) == Some(&b'\'') { ch + 2 } else { 1 };
            }
            b'r' if !word(i) && matches!(b.get(i + 1), Some(b'"') | Some(b'#')) => {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let start = i + 2 + hashes;
                let end = start + src[start..].find(&format!("\"{}", "#".repeat(hashes))).expect("a closed raw string");
                out.push(src[start..end].to_string());
                i = end + 1 + hashes;
            }
            b'"' => {
                let byte_string = word(i) && b[i - 1] == b'b' && !word(i - 1);
                let mut j = i + 1;
                while b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                if !byte_string {
                    out.push(unescape_rust(&src[i + 1..j]));
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn unescape_rust(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let code: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                out.extend(u32::from_str_radix(&code, 16).ok().and_then(char::from_u32));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A format string with every placeholder written `{}` and `{{ }}` as braces.
fn normalise(s: &str) -> String {
    let (mut out, mut chars) = (String::new(), s.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
                out.push_str("{}");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether a literal reads as words (two or more outside its placeholders, with a space
/// between: `kernel_method` is a key), so may be a message.
fn is_wordy(text: &str) -> bool {
    if !normalise(text).replace("{}", "").contains(' ') {
        return false;
    }
    let bare: String = normalise(text).replace("{}", " ");
    bare.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 2).count() >= 2
}

/// The strings of the page's own catalogue (`www/i18n.js`): model and setting texts the page
/// translates itself.
fn page_strings(root: &Path) -> BTreeSet<String> {
    // The page's catalogues: one file per language beside the logic in i18n.js.
    let js: String = ["../www/i18n.js", "../www/i18n/en.js", "../www/i18n/id.js"]
        .iter()
        .map(|f| std::fs::read_to_string(root.join(f)).unwrap_or_else(|_| panic!("{f}")))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    let b = js.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\'' || b[i] == b'"' {
            let q = b[i];
            let mut j = i + 1;
            while j < b.len() && b[j] != q && b[j] != b'\n' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.insert(js[i + 1..j.min(b.len())].replace("\\'", "'").replace("\\\"", "\""));
            i = j + 1;
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            i = js[i..].find('\n').map_or(b.len(), |k| i + k);
        } else {
            i += 1;
        }
    }
    out
}

/// The code without the families' `describe` methods, which write their few lines in both
/// languages themselves (as `experiment/summary.rs` does, which is not scanned either).
fn without_describe(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("fn describe(") {
        out.push_str(&rest[..at]);
        let Some(open) = rest[at..].find('{').map(|i| at + i) else { return out + rest };
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, ch) in rest[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out + rest
}

/// Every literal of the core's non-test sources, normalised, with where it is and whether it
/// reads as words (and is not one of the page's own strings), so may be a message.
fn core_literals() -> Vec<(String, String, bool)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = page_strings(root);
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let shown = file.strip_prefix(root).expect("under the crate").display().to_string().replace('\\', "/");
        if NOT_SCANNED.iter().any(|s| format!("/{shown}").contains(s)) {
            continue;
        }
        let src = std::fs::read_to_string(&file).expect("a source");
        // Test modules (at the end of a file) hold no messages for the page.
        let code = src.split("#[cfg(test)]\nmod ").next().unwrap_or_default();
        let code = without_describe(code);
        for lit in literals(&code) {
            let message = is_wordy(&lit) && !page.contains(&lit);
            out.push((normalise(&lit), shown.clone(), message));
        }
    }
    out
}

#[test]
fn the_catalogue_is_well_formed() {
    let cat = parse(CATALOGUE);
    assert_eq!(cat.errors, Vec::<String>::new());
    assert!(cat.entries.len() > 150, "only {} translations", cat.entries.len());
    let mut seen = BTreeSet::new();
    for e in &cat.entries {
        assert!(seen.insert(e.english), "“{}” is in the catalogue twice", e.english);
        let holes = e.holes();
        assert!(!e.indonesian.contains("{}"), "“{}”: its translation has a bare {{}}", e.english);
        let mut rest = e.indonesian.as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').expect("an unclosed brace") + open;
            let (i, _) = parse_hole(&rest[open + 1..close]).unwrap_or((0, false));
            assert!(
                (1..=holes).contains(&i),
                "“{}”: {{{}}} is not one of its {holes} placeholders",
                e.english,
                &rest[open + 1..close]
            );
            rest = &rest[close + 1..];
        }
        assert_ne!(e.indonesian.trim(), "", "“{}” has an empty translation", e.english);
    }
    for s in &cat.skipped {
        assert!(seen.insert(s), "“{s}” is in the catalogue twice");
    }
}

#[test]
fn every_message_of_the_core_is_in_the_catalogue_and_every_entry_is_in_the_core() {
    let cat = parse(CATALOGUE);
    let known: BTreeSet<&str> =
        cat.entries.iter().map(|e| e.english).chain(cat.skipped.iter().map(String::as_str)).collect();
    let found = core_literals();
    let missing: Vec<String> = found
        .iter()
        .filter(|(l, _, message)| *message && !known.contains(l.as_str()))
        .map(|(l, f, _)| format!("{f}: {l:?}"))
        .collect();
    assert!(
        missing.is_empty(),
        "{} messages of the core are not in lang/notices.id.txt (translate them, or list them \
         with “- ” when the page never shows them):\n{}",
        missing.len(),
        missing.join("\n")
    );
    // A single word (“classification”) may be translated for when it fills a message's hole.
    let in_core: BTreeSet<&str> = found.iter().map(|(l, _, _)| l.as_str()).collect();
    let stale: Vec<&&str> = known.iter().filter(|k| !in_core.contains(**k)).collect();
    assert!(stale.is_empty(), "entries no longer in the core's sources: {stale:?}");
}

#[test]
fn a_message_is_matched_whole_and_what_fills_it_is_translated_too() {
    let cat = Catalogue {
        entries: vec![
            entry("{} cannot be fitted: {}.", "{1} tidak bisa di-fit: {2}."),
            entry(
                "is {} but there are only {} training rows; use k ≤ {}",
                "bernilai {1} padahal baris latih hanya {2}; pakai k ≤ {3}",
            ),
            entry("{} drawn point{} could not be read.", "{1} titik gambar tidak terbaca."),
            entry("{}: {}; using {}.", "{1}: {2}; dipakai {3}."),
            entry("{} is not one of {}", "{1} bukan salah satu dari {2}"),
            entry("No column is named {}; {} fits {} data.", "Tak ada kolom {1}; {2*} cocok untuk data {3*}."),
            entry("regression", "regresi"),
        ],
        ..Catalogue::default()
    };
    assert_eq!(
        translate(&cat, "k-NN cannot be fitted: is 50 but there are only 40 training rows; use k ≤ 40.", 0)
            .expect("a match"),
        "k-NN tidak bisa di-fit: bernilai 50 padahal baris latih hanya 40; pakai k ≤ 40."
    );
    assert_eq!(
        translate(&cat, "3 drawn points could not be read.", 0).expect("a match"),
        "3 titik gambar tidak terbaca."
    );
    assert_eq!(
        translate(&cat, "1 drawn point could not be read.", 0).expect("a match"),
        "1 titik gambar tidak terbaca."
    );
    // Anchored at both ends beats a longer pattern that ends in a placeholder.
    assert_eq!(
        translate(&cat, "kernel: \"cubic\" is not one of linear, rbf; using \"rbf\".", 0).expect("a match"),
        "kernel: \"cubic\" bukan salah satu dari linear, rbf; dipakai \"rbf\"."
    );
    // A word is translated where the core put it, never in a name from the user.
    assert_eq!(
        translate(&cat, "No column is named regression; regression fits regression data.", 0).expect("a match"),
        "Tak ada kolom regression; regresi cocok untuk data regresi."
    );
    assert_eq!(translate(&cat, "regression", 0), None);
    assert_eq!(translate(&cat, "something else", 0), None);
    assert_eq!(translate(&cat, "3 drawn points could not be read. And more", 0), None);
}

fn entry(english: &'static str, indonesian: &str) -> Entry {
    Entry::new(english, indonesian.into())
}

/// Whether the catalogue translates `text` (as a whole, or after a leading “key: ”).
fn knows(text: &str) -> bool {
    to_indonesian(text) != text
}

/// Notices the core really writes for bad input: a hand-edited link, a malformed CSV, a
/// broken lesson file, an absurd setting. Each must read in Indonesian.
#[test]
fn notices_for_bad_input_read_in_indonesian() {
    let mut notices = Vec::new();
    let link = "v=9&v=1&model=knn&k=abc&weights=far&bogus=1&lr=1e9&batch=0&layers=300,2,x&folds=1\
                &search=maybe&lang=xx&missing=some&framing=both&points=zz&state=q&show=all";
    notices.extend(crate::share::decode(link).notices);
    notices.extend(crate::share::decode("data=spiral&model=svm&c=-4&kernel=cubic&gamma=nan").notices);
    notices.extend(crate::share::decode("data=iris&target=colour&exclude=petal&view=a,b&noise=80").notices);
    let repaired = crate::data::table::read_csv(b"a,b,,a\n1,2,3\n\xff,4,5,6,7\n8,9,1,2\n", Default::default());
    notices.extend(repaired.expect("a repairable file").notices);
    for broken in [&b""[..], b"a,b\n", b"a,b\n\"open,1\n2,3\n"] {
        notices.push(crate::data::table::read_csv(broken, Default::default()).expect_err("unreadable").to_string());
    }
    let lesson = crate::lessons::parse("@task acc > 0.9\n## One\n@experiment data=xor\n@experiment data=circle\n@hint hi\n@nonsense\n@task loss >> 2\n");
    notices.extend(lesson.notices);
    assert!(notices.len() >= 20, "only {} notices: {notices:#?}", notices.len());
    let untranslated: Vec<&String> = notices.iter().filter(|n| !knows(n)).collect();
    assert!(untranslated.is_empty(), "notices the catalogue does not translate:\n{untranslated:#?}");
    for n in &notices {
        let id = to_indonesian(n);
        for english in [" was used", " ignored", " the ", " is not "] {
            assert!(!id.contains(english), "“{n}” became “{id}”, still English");
        }
    }
}
