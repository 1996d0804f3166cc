#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing. Idempotent: each step
# checks first, so a second run returns at once. Sourced-safe: only exports PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/tests/node_modules/.bin:$PATH"

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pin in crate/Cargo.toml
TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc than this machine's

log() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-bindgen >/dev/null || [[ "$(wasm-bindgen --version)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # --locked fails here: a locked dependency is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v trunk >/dev/null || [[ "$(trunk --version)" != "trunk $TRUNK_VERSION" ]]; then
  log "installing trunk $TRUNK_VERSION (about ten minutes)"
  # Without --locked, 0.21.14 fails to compile (dependency drift).
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  log "installing Debian's Chromium and ChromeDriver"
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

GECKODRIVER_VERSION=0.37.1
if [[ ! -x /usr/bin/firefox-esr ]]; then
  log "installing Debian's Firefox ESR (wasm tests and a smoke test run in Firefox too)"
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq firefox-esr >/dev/null
fi
if ! command -v geckodriver >/dev/null || [[ "$(geckodriver --version | head -1)" != "geckodriver $GECKODRIVER_VERSION"* ]]; then
  log "installing geckodriver $GECKODRIVER_VERSION (about two minutes)"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --force
fi

if [[ -f "$ROOT/tests/package.json" ]]; then
  if [[ ! -d "$ROOT/tests/node_modules" || "$ROOT/tests/package-lock.json" -nt "$ROOT/tests/node_modules/.installed" ]]; then
    log "installing npm packages for the tests"
    (cd "$ROOT/tests" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
  fi
fi
# Python with scikit-learn and nbclient, for the test that runs exported notebooks.
VENV="$ROOT/tests/.venv"
if [[ ! -x "$VENV/bin/python" || "$ROOT/tests/requirements.txt" -nt "$VENV/.installed" ]]; then
  log "installing Python packages for the notebook test (scikit-learn, nbclient)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/tests/requirements.txt"
  "$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null
  touch "$VENV/.installed"
fi
log "toolchain ready"
