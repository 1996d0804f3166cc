//! Native CLI: runs an experiment link headlessly and prints the per-epoch losses as JSON.
//!
//!     latih run '<link fragment>' [--epochs N]
//!     latih bench '<link fragment>' [--seconds S]
//!     latih fit '<model query>' --csv <path> [--classes N] [--seconds S] [--seed N]
//!
//! `bench` trains whole epochs (each with its end-of-epoch train/test evaluation, as in the
//! browser) for about S seconds and prints `{"epochs_per_second": x, "epochs": n}`: the native
//! speed limit that `tests/bench/run.mjs` compares the wasm build against.
//!
//! `fit` reads a numeric CSV (a header row; the feature columns, the target in a column named
//! `y`, a `train` column ignored), then fits the model the query describes (`model=tree&depth=5`,
//! as `fitPredict` in the browser takes it) on every row and predicts every row, once untimed,
//! then again and again for about S seconds, and prints `{"runs": n, "ms_per_run": x}`: the
//! native side of `tests/bench/models.mjs`. `--classes 0` means regression.
//!
//! `search` runs the link's hyperparameter search (`search=grid&space=…`), every candidate
//! cross-validated, and prints the milliseconds it took with each candidate's settings and
//! mean score: the native side of `tests/bench/search.mjs`. `--dump-csv FILE` first writes the
//! link's shipped dataset as CSV (for scikit-learn to read the same rows).
//!
//! `spark` trains the link's experiment (N epochs for a network, to the end otherwise) and
//! prints its "Export for Spark" script (the page's export), or writes the notebook form with
//! `--notebook FILE`; a model MLlib lacks is named on stderr with the MLlib model used instead.
//!
//! The numbers equal the browser's for the same link (same seeds, same platform-independent
//! math), which an end-to-end test checks.

use latih::experiment::Session;
use latih::models::fit_predict_params;
use latih::share;
use latih::share::model_from_query;
use std::process::ExitCode;

const USAGE: &str = "usage: latih run '<link fragment>' [--epochs N]\n\
    \x20      latih bench '<link fragment>' [--seconds S]\n\
    \x20      latih fit '<model query>' --csv <path> [--classes N] [--seconds S] [--seed N]\n\
    \x20      latih search '<link fragment>' [--dump-csv FILE]\n\
    \x20      latih spark '<link fragment>' [--epochs N] [--notebook FILE]\n\
    run: trains the experiment the link describes and prints per-epoch train/test loss as JSON.\n\
    bench: trains whole epochs for about S seconds (default 1) and prints epochs per second.\n\
    fit: fits and predicts every row of the CSV (target column `y`) for about S seconds (default 1)\n\
    \x20    and prints milliseconds per fit+predict; N classes (default 0: regression), seed N (default 1).\n\
    search: runs the link's search (each candidate cross-validated) and prints its time and results.\n\
    spark: prints the experiment as a PySpark script (or writes it as a notebook), after training it.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("latih: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let (command, rest) = args.split_first().ok_or("no command given")?;
    match command.as_str() {
        "run" => run_link(rest),
        "bench" => bench(rest),
        "fit" => fit(rest),
        "search" => search(rest),
        "spark" => spark(rest),
        "--help" | "-h" => Err("no command given".into()),
        other => Err(format!("unknown command “{other}”")),
    }
}

/// Reads `<link> [option value]`, the argument shape `run` and `bench` share.
fn link_and_option<'a>(args: &'a [String], option: &str) -> Result<(&'a str, Option<&'a str>), String> {
    let (link, [value]) = link_and_options(args, [option])?;
    Ok((link, value))
}

/// Reads `<link> [option value]...` with the given options, each at most once, in any order.
fn link_and_options<'a, const N: usize>(
    args: &'a [String],
    options: [&str; N],
) -> Result<(&'a str, [Option<&'a str>; N]), String> {
    let mut it = args.iter();
    let (mut link, mut values) = (None, [None; N]);
    while let Some(a) = it.next() {
        match options.iter().position(|o| o == a) {
            Some(i) => values[i] = Some(it.next().ok_or(format!("{a} needs a value"))?.as_str()),
            None if link.is_none() => link = Some(a.as_str()),
            None => return Err(format!("unexpected argument “{a}”")),
        }
    }
    Ok((link.ok_or("no link given")?, values))
}

/// The value of `--seconds`: a positive number, 1 when absent.
fn seconds(value: Option<&str>) -> Result<f64, String> {
    match value {
        Some(v) => v
            .parse()
            .ok()
            .filter(|s: &f64| s.is_finite() && *s > 0.0)
            .ok_or(format!("--seconds {v} is not a positive number")),
        None => Ok(1.0),
    }
}

/// A whole-number option, `default` when absent.
fn whole<T: std::str::FromStr>(option: &str, value: Option<&str>, default: T) -> Result<T, String> {
    value.map_or(Ok(default), |v| v.parse().map_err(|_| format!("{option} {v} is not a whole number")))
}

/// The session a link (or a whole URL: what follows '#') describes, and its notices.
fn open(link: &str) -> Result<(Session, Vec<String>), String> {
    let fragment = link.split_once('#').map_or(link, |(_, f)| f);
    let decoded = share::decode(fragment);
    Ok((Session::new(decoded.experiment).map_err(|e| e.to_string())?, decoded.notices))
}

/// `latih spark '<link>' [--epochs N] [--notebook FILE]`: the Spark export of the trained
/// experiment (a shipped or generated dataset: the CLI has no person's file).
fn spark(args: &[String]) -> Result<String, String> {
    let (link, [epochs, notebook]) = link_and_options(args, ["--epochs", "--notebook"])?;
    let epochs: u32 = whole("--epochs", epochs, 100)?;
    let (mut session, _) = open(link)?;
    session.train_epochs(epochs);
    session.fit_to_end();
    let link = share::encode(session.experiment());
    let name = format!("latih-{}.py", session.experiment().data_name());
    let export = latih::export::spark(&session, None, &link, &name)?;
    if let Some(why) = &export.substitute {
        eprintln!("latih: {why}");
    }
    match notebook {
        Some(file) => {
            std::fs::write(file, &export.notebook).map_err(|e| format!("{file}: {e}"))?;
            Ok(format!("wrote {file}"))
        }
        None => Ok(export.script),
    }
}

/// `latih run '<link>' [--epochs N]`: per-epoch losses as JSON.
fn run_link(args: &[String]) -> Result<String, String> {
    let (link, epochs) = link_and_option(args, "--epochs")?;
    let epochs: u32 = whole("--epochs", epochs, 10)?;
    let (mut session, notices) = open(link)?;
    session.train_epochs(epochs);
    let out = serde_json::json!({
        "link": share::encode(session.experiment()),
        "notices": notices,
        "status": session.status(),
        "epochs": session.history(),
    });
    serde_json::to_string_pretty(&out).map_err(|e| e.to_string())
}

/// `latih bench '<link>' [--seconds S]`: whole epochs for about S seconds, as JSON.
fn bench(args: &[String]) -> Result<String, String> {
    let (link, value) = link_and_option(args, "--seconds")?;
    let seconds = seconds(value)?;
    let (mut session, _) = open(link)?;
    let start = std::time::Instant::now();
    let mut epochs: u64 = 0;
    while start.elapsed().as_secs_f64() < seconds {
        if session.train_epochs(1) == 0 {
            // Diverged or stopped: no more epochs to time.
            break;
        }
        epochs += 1;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let out = serde_json::json!({ "epochs_per_second": epochs as f64 / elapsed, "epochs": epochs });
    serde_json::to_string(&out).map_err(|e| e.to_string())
}

/// `latih fit '<query>' --csv <path> [--classes N] [--seconds S] [--seed N]`: fit+predict on
/// every row of the CSV, repeated for about S seconds (at least once) after one untimed call, as JSON.
fn fit(args: &[String]) -> Result<String, String> {
    let (query, [csv, classes, secs, seed]) = link_and_options(args, ["--csv", "--classes", "--seconds", "--seed"])?;
    let path = csv.ok_or("--csv <path> is required")?;
    let classes: usize = whole("--classes", classes, 0)?;
    let seconds = seconds(secs)?;
    let seed: u64 = whole("--seed", seed, 1)?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let (x, y, cols) = read_csv(&text).map_err(|e| format!("{path}: {e}"))?;
    // The query is read once: the timed loop is the fit and the prediction, as in the page.
    let model = model_from_query(query)?;
    // One untimed call first: a fresh process pays its page faults and cold caches there.
    std::hint::black_box(fit_predict_params(&model, &x, &y, cols, classes, &x, seed)?);
    let start = std::time::Instant::now();
    let mut runs: u64 = 0;
    loop {
        let predicted = fit_predict_params(&model, &x, &y, cols, classes, &x, seed)?;
        std::hint::black_box(predicted);
        runs += 1;
        if start.elapsed().as_secs_f64() >= seconds {
            break;
        }
    }
    let ms_per_run = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    let out = serde_json::json!({ "runs": runs, "ms_per_run": ms_per_run });
    serde_json::to_string(&out).map_err(|e| e.to_string())
}

/// `latih search '<link>' [--dump-csv FILE]`: the search's time and results as JSON.
fn search(args: &[String]) -> Result<String, String> {
    let (link, dump) = link_and_option(args, "--dump-csv")?;
    let fragment = link.split_once('#').map_or(link, |(_, f)| f);
    let decoded = share::decode(fragment);
    let e = decoded.experiment;
    let spec = e.search.clone().ok_or("the link has no search (search=grid&space=…)")?;
    if let Some(path) = dump {
        let spec = e.table.as_ref().ok_or("--dump-csv needs a shipped dataset")?;
        let table = latih::data::builtin::find(&spec.source).ok_or("--dump-csv needs a shipped dataset")?.table();
        std::fs::write(path, table_csv(table)).map_err(|err| format!("{path}: {err}"))?;
    }
    let start = std::time::Instant::now();
    let mut run = latih::eval::Search::new(&e, &spec)?;
    while !run.advance(None, &mut || true) {}
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let best = run.best();
    let results: Vec<serde_json::Value> = run
        .results
        .iter()
        .map(|c| {
            serde_json::json!({
                "settings": c.settings,
                "mean": c.scores.first().map(|s| s.mean),
                "std": c.scores.first().map(|s| s.std),
                "error": c.error,
            })
        })
        .collect();
    let out = serde_json::json!({
        "ms": ms, "candidates": run.total(), "folds": e.cv_folds(), "best": best,
        "results": results, "notices": decoded.notices,
    });
    serde_json::to_string(&out).map_err(|err| err.to_string())
}

/// A table as CSV (numbers as Rust prints them, text quoted when it must be; missing empty).
fn table_csv(t: &latih::data::table::Table) -> String {
    use latih::data::table::Values;
    let quote =
        |s: &str| if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() };
    let mut out = t.columns.iter().map(|c| quote(&c.name)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for r in 0..t.rows {
        let cells: Vec<String> = t
            .columns
            .iter()
            .map(|c| match &c.values {
                Values::Numeric(v) if v[r].is_nan() => String::new(),
                Values::Numeric(v) => format!("{}", v[r]),
                Values::Text { codes, levels } => levels.get(codes[r] as usize).map_or(String::new(), |l| quote(l)),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A numeric CSV with a header row: the features row-major (every column but `y` and `train`,
/// in order), the `y` column, and the number of feature columns.
fn read_csv(text: &str) -> Result<(Vec<f64>, Vec<f64>, usize), String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().ok_or("the file is empty")?.split(',').map(str::trim).collect();
    let target = header.iter().position(|&h| h == "y").ok_or("no column named y")?;
    let features: Vec<usize> = (0..header.len()).filter(|&i| i != target && header[i] != "train").collect();
    if features.is_empty() {
        return Err("no feature columns".into());
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (n, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() != header.len() {
            return Err(format!("row {} has {} cells, the header {}", n + 1, cells.len(), header.len()));
        }
        let number = |i: usize| -> Result<f64, String> {
            cells[i].parse().map_err(|_| format!("row {}, column {}: “{}” is not a number", n + 1, header[i], cells[i]))
        };
        for &i in &features {
            x.push(number(i)?);
        }
        y.push(number(target)?);
    }
    if y.is_empty() {
        return Err("no data rows".into());
    }
    Ok((x, y, features.len()))
}
