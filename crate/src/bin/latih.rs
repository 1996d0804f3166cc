//! Native CLI: runs an experiment link headlessly and prints the per-epoch losses as JSON.
//!
//!     latih run '<link fragment>' [--epochs N]
//!
//! The numbers equal the browser's for the same link (same seeds, same platform-independent
//! math), which an end-to-end test checks.

use latih::experiment::Session;
use latih::share;
use std::process::ExitCode;

const USAGE: &str = "usage: latih run '<link fragment>' [--epochs N]\n\
    Trains the experiment the link describes and prints per-epoch train/test loss as JSON.";

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
    // Accept a whole URL too: keep what follows '#'.
    let link = link.ok_or("no link given")?;
    let fragment = link.split_once('#').map_or(link, |(_, f)| f);
    let decoded = share::decode(fragment);
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
