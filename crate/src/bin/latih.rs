//! Native CLI: runs an experiment link headlessly and prints the per-epoch losses as JSON.
//!
//!     latih run '<link fragment>' [--epochs N]
//!     latih bench '<link fragment>' [--seconds S]
//!
//! `bench` trains whole epochs (each with its end-of-epoch train/test evaluation, as in the
//! browser) for about S seconds and prints `{"epochs_per_second": x, "epochs": n}`: the native
//! speed limit that `tests/bench/run.mjs` compares the wasm build against.
//!
//! The numbers equal the browser's for the same link (same seeds, same platform-independent
//! math), which an end-to-end test checks.

use latih::experiment::Session;
use latih::share;
use std::process::ExitCode;

const USAGE: &str = "usage: latih run '<link fragment>' [--epochs N]\n\
    \x20      latih bench '<link fragment>' [--seconds S]\n\
    run: trains the experiment the link describes and prints per-epoch train/test loss as JSON.\n\
    bench: trains whole epochs for about S seconds (default 1) and prints epochs per second.";

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
        "--help" | "-h" => Err("no command given".into()),
        other => Err(format!("unknown command “{other}”")),
    }
}

/// Reads `<link> [option value]`, the argument shape both commands share.
fn link_and_option<'a>(args: &'a [String], option: &str) -> Result<(&'a str, Option<&'a str>), String> {
    let mut it = args.iter();
    let (mut link, mut value) = (None, None);
    while let Some(a) = it.next() {
        match a.as_str() {
            s if s == option => value = Some(it.next().ok_or(format!("{option} needs a number"))?.as_str()),
            s if link.is_none() => link = Some(s),
            s => return Err(format!("unexpected argument “{s}”")),
        }
    }
    Ok((link.ok_or("no link given")?, value))
}

/// The session a link (or a whole URL: what follows '#') describes, and its notices.
fn open(link: &str) -> Result<(Session, Vec<String>), String> {
    let fragment = link.split_once('#').map_or(link, |(_, f)| f);
    let decoded = share::decode(fragment);
    Ok((Session::new(decoded.experiment).map_err(|e| e.to_string())?, decoded.notices))
}

/// `latih run '<link>' [--epochs N]`: per-epoch losses as JSON.
fn run_link(args: &[String]) -> Result<String, String> {
    let (link, epochs) = link_and_option(args, "--epochs")?;
    let epochs: u32 = match epochs {
        Some(v) => v.parse().map_err(|_| format!("--epochs {v} is not a whole number"))?,
        None => 10,
    };
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
    let (link, seconds) = link_and_option(args, "--seconds")?;
    let seconds: f64 = match seconds {
        Some(v) => v
            .parse()
            .ok()
            .filter(|s: &f64| s.is_finite() && *s > 0.0)
            .ok_or(format!("--seconds {v} is not a positive number"))?,
        None => 1.0,
    };
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
