#!/usr/bin/env bash
# Installs whatever is missing, builds the release site and serves it on
# http://127.0.0.1:8080/ with the default experiment. Ctrl+C stops it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/tests/node_modules/.bin:$PATH"
exec trunk serve --release "$@"
