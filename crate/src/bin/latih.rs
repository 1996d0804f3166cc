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
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("run") => {}
        Some("bench") => return bench(it.as_slice()),
        Some("--help" | "-h") | None => return Err("no command given".into()),
        Some(other) => return Err(format!("unknown command “{other}”")),
    }
    let mut link: Option<&str> = None;
    let mut epochs: u32 = 10;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--epochs" => {
                let v = it.next().ok_or("--epochs needs a number")?;
                epochs = v.parse().map_err(|_| format!("--epochs {v} is not a whole number"))?;
            }
            s if link.is_none() => link = Some(s),
            s => return Err(format!("unexpected argument “{s}”")),
        }
    }
    let decoded = share::decode(fragment_of(link.ok_or("no link given")?));
    let mut session = Session::new(decoded.experiment).map_err(|e| e.to_string())?;
    session.train_epochs(epochs);
    let out = serde_json::json!({
        "link": share::encode(session.experiment()),
        "notices": decoded.notices,
        "status": session.status(),
        "epochs": session.history(),
    });
    serde_json::to_string_pretty(&out).map_err(|e| e.to_string())
}

/// Accepts a whole URL too: keeps what follows '#'.
fn fragment_of(link: &str) -> &str {
    link.split_once('#').map_or(link, |(_, f)| f)
}

/// `latih bench '<link>' [--seconds S]`: whole epochs for about S seconds, as JSON.
fn bench(args: &[String]) -> Result<String, String> {
    let mut it = args.iter();
    let mut link: Option<&str> = None;
    let mut seconds: f64 = 1.0;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                let v = it.next().ok_or("--seconds needs a number")?;
                seconds = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or(format!("--seconds {v} is not a positive number"))?;
            }
            s if link.is_none() => link = Some(s),
            s => return Err(format!("unexpected argument “{s}”")),
        }
    }
    let decoded = share::decode(fragment_of(link.ok_or("no link given")?));
    let mut session = Session::new(decoded.experiment).map_err(|e| e.to_string())?;
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
