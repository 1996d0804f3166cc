#!/usr/bin/env bash
# Runs everything CI runs, in order, stopping at the first failure: formatting, clippy with
# warnings denied (native and wasm), native tests, wasm-bindgen tests in headless Chromium
# and Firefox, the trunk release build, the end-to-end tests against that build, and the
# Spark export test (exported PySpark scripts run in local mode; scripts/setup-spark.sh).
# Installs whatever is missing first (scripts/setup.sh), so it works on a fresh machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/tests/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

step() { printf '\n==> %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (native and wasm32; the full and the playground build), warnings denied"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --test web -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings

step "native tests (unit, conformance, property)"
cargo test --all-targets
# The playground build reads links, texts and files too (refusing what needs the full build).
cargo test --no-default-features --test fuzz_decoders

step "wasm-bindgen tests in headless Chromium"
cargo test --target wasm32-unknown-unknown --test web

step "wasm-bindgen tests in headless Firefox"
env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown --test web

step "native CLI (release) for the browser/native agreement test"
cargo build --release --bin latih

step "trunk release build"
trunk build --release
ls -l dist/*.wasm dist/full/*.wasm
gzip -9 -c dist/*.wasm | wc -c | awk '{printf "wasm bundle (the playground build the page starts on): %.1f KB gzipped\n", $1/1024}'
gzip -9 -c dist/full/*.wasm | wc -c | awk '{printf "full build (loaded when needed): %.1f KB gzipped\n", $1/1024}'

step "end-to-end tests in headless Chromium (and a smoke test in Firefox)"
(cd tests && node --test --test-concurrency=1 --test-reporter=spec e2e/)

step "Spark export: exported scripts run in PySpark local[2] mode and agree with Latih"
bash scripts/setup-spark.sh
(cd tests && node --test --test-concurrency=1 --test-reporter=spec spark/)

step "all checks passed"
