//! Fuzzing of every decoder of outside input: links, experiment files (text), model files, CSV
//! files and lesson files (with their formulas and task conditions), 100,000 generated inputs each (`FUZZ_CASES` overrides), as random text and as
//! mutations of valid inputs (character edits; for model files also edits of the JSON's values
//! and of the experiment text's lines), so the deep paths are reached too. Each input must be
//! read without a panic and within a second; sizes are bounded before decompression (payload
//! limits, checked here with deflate bombs).

use latih::data::table::{read_csv, CsvOptions};
use latih::experiment::run::Session;
use latih::export;
use latih::models::mlp::Mlp;
use latih::models::Fitted;
use latih::share::{self, payload, text};
use proptest::prelude::*;
use serde_json::Value;
use std::io::Write as _;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

const SLOW: Duration = Duration::from_secs(1);

fn timed<T>(what: &str, input: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    assert!(t.elapsed() < SLOW, "{what} took {:?} on {:?}", t.elapsed(), input.chars().take(200).collect::<String>());
    out
}

/// Character edits: (position, what, how) with how 0 = replace, 1 = insert, 2 = delete.
fn edits() -> impl Strategy<Value = Vec<(usize, char, u8)>> {
    let syntax = "[&=,;:.%#0-9a-z_-]".prop_map(|s: String| s.chars().next().unwrap_or('x'));
    prop::collection::vec((any::<usize>(), prop_oneof![any::<char>(), syntax], 0u8..3), 0..6)
}

fn mutate(seed: &str, edits: &[(usize, char, u8)]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for &(at, c, how) in edits {
        let i = if chars.is_empty() { 0 } else { at % (chars.len() + 1) };
        match how {
            0 if i < chars.len() => chars[i] = c,
            2 if i < chars.len() => {
                chars.remove(i);
            }
            _ => chars.insert(i, c),
        }
    }
    chars.into_iter().collect()
}

fn bomb(bytes: usize) -> String {
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![b'1'; bytes]).expect("write");
    base64_url(&z.finish().expect("finish"))
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn link_seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds: Vec<String> = include_str!("fixtures/links-v1.txt")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        seeds.push(
            "v=1&data=iris&strat=1&folds=4&model=svm&search=random&tries=12&space=c:0.01..100:log;kernel:rbf,linear"
                .into(),
        );
        seeds.push(
            "v=1&data=xor&model=knn&search=grid&space=k:1,5,9;weights:uniform,distance&embed=1&show=output&hide=lr"
                .into(),
        );
        seeds.push(format!("v=1&data=csv&target=y&csv={}", payload::pack(b"a,b,y\n1,2,x\n3,4,z\n").expect("small")));
        seeds.push(format!("v=1&data=csv&target=y&csv={}", bomb(50_000_000)));
        seeds
    })
}

fn model_file_seed() -> &'static str {
    static SEED: OnceLock<String> = OnceLock::new();
    SEED.get_or_init(|| {
        let e = share::decode("v=1&data=xor&samples=40&hidden=3,2&opt=adam").experiment;
        let mut s = Session::new(e).expect("valid");
        s.train_epochs(2);
        export::model_file(&s, text::to_text(s.experiment(), None))
    })
}

const CSV_SEEDS: [&str; 4] = [
    "sepal,petal,species\n5.1,1.4,setosa\n4.9,,setosa\n6.3,4.9,\"vir,ginica\"\n",
    "a\tb\tc\n1\t2\tx\n3\t4\ty\n\t\t\n",
    "\u{feff}name;value\n\"quoted \"\"name\"\"\";1,5\nother;NaN\n",
    "x,y\n1e308,-1e308\ninf,nan\n0x10,1_000\n,,,,\n\"unclosed,2\n",
];

/// Reads a model file as the page does, as far as it gets: the file, its experiment text,
/// the network's weights and optimiser memory.
fn read_model(bytes: &[u8]) {
    let Ok(file) = export::read_model_file(bytes) else { return };
    let read = text::from_text(&file.experiment, payload::FILE);
    let _ = share::encode(&read.decoded.experiment);
    if let Some(Fitted::Mlp(m)) = &file.trained.model {
        if let Ok(mut net) = Mlp::from_model(m) {
            if let Some(o) = &file.trained.optimizer {
                let _ = net.set_optimizer_state(o);
            }
        }
    }
}

/// A JSON edit: the n-th value (depth first) replaced by a hostile one.
fn edit_json(v: &mut Value, n: &mut usize, with: &Value) -> bool {
    if *n == 0 {
        *v = with.clone();
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| edit_json(x, n, with)),
        Value::Object(o) => o.values_mut().any(|x| edit_json(x, n, with)),
        _ => false,
    }
}

fn hostile_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(serde_json::json!(1e308)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(0)),
        Just(serde_json::json!(4_000_000_000u64)),
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!("x")),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!([[1.0, 2.0], [3.0]])),
        prop::collection::vec(-1e3f64..1e3, 0..40).prop_map(|v| serde_json::json!(v)),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn links_never_panic_or_stall(seed in any::<prop::sample::Index>(), e in edits(), junk in ".{0,60}") {
        let seeds = link_seeds();
        let link = mutate(&seeds[seed.index(seeds.len())], &e);
        let d = timed("decode(link)", &link, || share::decode(&link));
        // What decoding kept encodes and reads back without a panic.
        let _ = share::decode(&share::encode(&d.experiment));
        timed("decode(junk)", &junk, || share::decode(&junk));
    }

    #[test]
    fn experiment_texts_never_panic_or_stall(seed in any::<prop::sample::Index>(), e in edits(), line in "[a-z_]{1,8} ?= ?.{0,30}") {
        let seeds = link_seeds();
        let d = share::decode(&seeds[seed.index(seeds.len())]);
        let text = mutate(&text::to_text(&d.experiment, None), &e) + "\n" + &line;
        let read = timed("from_text", &text, || text::from_text(&text, payload::FILE));
        prop_assert!(read.problems.iter().all(|p| p.line <= text.lines().count() + 1));
    }

    #[test]
    fn model_files_never_panic_or_stall(e in edits(), at in 0usize..400, with in hostile_value(), line in 0usize..40, value in ".{0,12}") {
        let seed = model_file_seed();
        // Character edits.
        let edited = mutate(seed, &e);
        timed("model file (edited)", &edited, || read_model(edited.as_bytes()));
        // A value of the JSON replaced, and a line of its experiment text changed.
        let mut json: Value = serde_json::from_str(seed).expect("valid seed");
        let mut n = at;
        edit_json(&mut json, &mut n, &with);
        if let Some(Value::String(t)) = json.get_mut("experiment") {
            let mut lines: Vec<String> = t.lines().map(String::from).collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                let key = lines[i].split('=').next().unwrap_or("").to_string();
                lines[i] = format!("{key}= {value}");
            }
            *t = lines.join("\n");
        }
        let bytes = serde_json::to_vec(&json).expect("serialises");
        timed("model file (values)", "", || read_model(&bytes));
    }

    #[test]
    fn csv_files_never_panic_or_stall(seed in 0usize..4, e in edits(), junk in prop::collection::vec(any::<u8>(), 0..200)) {
        let edited = mutate(CSV_SEEDS[seed], &e);
        for bytes in [edited.as_bytes(), &junk[..]] {
            let shown = String::from_utf8_lossy(bytes).into_owned();
            timed("read_csv", &shown, || {
                if let Ok(parsed) = read_csv(bytes, CsvOptions::default()) {
                    let _ = latih::explore::summarize(&parsed.table);
                    let _ = latih::explore::correlation(&parsed.table);
                }
            });
        }
    }
}

/// Lesson files to mutate: built-in lessons in both languages (formulas, tasks, lists).
const LESSON_SEEDS: [&str; 4] = [
    include_str!("../../lessons/en/02-statistics.md"),
    include_str!("../../lessons/id/04-first-model.md"),
    include_str!("../../lessons/en/07-testing.md"),
    "## A\n$$ \\frac{a}{b} \\sum_{i=1}^{n} \\sqrt{x^{2}} \\text{t} $$\n@experiment v=1\n@task c <= 1 and x has y | t\n- *a* **b** `c`\n",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn lesson_files_never_panic_or_stall(seed in 0usize..4, e in edits(), junk in ".{0,120}", formula in "[\\\\{}^_a-z0-9 ]{0,60}") {
        let edited = mutate(LESSON_SEEDS[seed], &e);
        for text in [&edited, &junk] {
            let lesson = timed("lessons::parse", text, || latih::lessons::parse(text));
            prop_assert!(lesson.sections.len() <= latih::lessons::MAX_SECTIONS);
        }
        timed("math::parse", &formula, || latih::lessons::math::parse(&formula));
        let _ = latih::lessons::parse_conditions(&junk);
    }
}

/// A payload that inflates past its limit is refused while inflating, in a link and in a file.
#[test]
fn deflate_bombs_are_refused_before_they_fill_memory() {
    let small = bomb(10_000_000);
    assert!(small.len() < 20_000, "{}", small.len());
    assert!(payload::unpack_within(&small, payload::LINK).is_err());
    let d = share::decode(&format!("v=1&data=csv&target=y&csv={small}"));
    assert!(d.csv.is_none() && !d.notices.is_empty());
    let huge = bomb(latih::data::table::MAX_BYTES + 1);
    assert!(payload::unpack_within(&huge, payload::FILE).expect_err("over the file limit").contains("more than"));
}
