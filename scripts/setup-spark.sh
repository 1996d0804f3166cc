#!/usr/bin/env bash
# Installs what the Spark export test needs and is missing: Java 17 and PySpark (into the
# tests' Python venv, which scripts/setup.sh makes). Kept apart from setup.sh because PySpark
# is a 450 MB download that only this test needs. Idempotent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/tests/.venv"
log() { printf '[setup-spark] %s\n' "$*"; }

if ! command -v java >/dev/null; then
  log "installing Java 17 (Debian's openjdk-17-jre-headless) for Spark"
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [[ ! -f "$VENV/.spark-installed" || "$ROOT/tests/spark/requirements.txt" -nt "$VENV/.spark-installed" ]]; then
  log "installing PySpark (a large download, once)"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/tests/spark/requirements.txt"
  touch "$VENV/.spark-installed"
fi
log "Spark ready"
