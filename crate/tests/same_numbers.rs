//! Native half of the cross-target check (the wasm half is in web.rs). After a change that
//! moves results on purpose, regenerate the fixture with
//! `LATIH_BLESS=1 cargo test -p latih --test same_numbers`, then check the wasm tests agree.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/same_numbers.rs"]
mod same_numbers;

const FIXTURE: &str = "tests/fixtures/same-numbers.txt";

#[test]
fn every_model_gives_the_numbers_recorded_in_the_fixture() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    if std::env::var_os("LATIH_BLESS").is_some() {
        let header =
            "# Digests of each link's results (crate/tests/support/same_numbers.rs); native and wasm must agree.\n";
        std::fs::write(&path, header.to_string() + &same_numbers::current().join("\n") + "\n").expect("writes");
    }
    let fixture = std::fs::read_to_string(&path).expect("the fixture exists (LATIH_BLESS=1 writes it)");
    assert!(!fixture.contains("error:"), "a link failed:\n{fixture}");
    let diff = same_numbers::differences(&fixture);
    assert!(diff.is_empty(), "results moved:\n{}", diff.join("\n"));
}
