#!/usr/bin/env bash
# Trunk post_build hook: builds the full core (the `full` feature: every model family, tables,
# files, exports) beside the playground build trunk made, into full/ of the staged site. The
# page starts on the playground build and loads this one when something needs it (www/builds.js).
# Runs after trunk's own cargo build, never beside it: both write the same target file.
set -euo pipefail
: "${TRUNK_STAGING_DIR:?full-build.sh runs as a trunk post_build hook}"
profile=release
flags=(--release)
if [ "${TRUNK_PROFILE:-release}" = debug ]; then profile=debug; flags=(); fi
cargo build "${flags[@]}" --target wasm32-unknown-unknown --lib -p latih --no-default-features --features full --quiet
out="$TRUNK_STAGING_DIR/full"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" "target/wasm32-unknown-unknown/$profile/latih.wasm"
if [ "$profile" = release ]; then
  command -v wasm-opt > /dev/null || { echo "full-build.sh: wasm-opt is missing (scripts/setup.sh installs it in tests/node_modules/.bin)" >&2; exit 1; }
  # As trunk runs it on the playground build (index.html's data-wasm-opt).
  wasm-opt -O3 "$out/latih_bg.wasm" --output="$out/latih_bg.wasm"
fi
# The page and the service worker ask for the full build by its content hash, so a cached one
# of another release is never used, and a new one makes the browser install the worker again.
version="$(cat "$out/latih.js" "$out/latih_bg.wasm" | sha256sum | cut -c1-16)"
sed -i "s/__LATIH_FULL_VERSION__/$version/" "$TRUNK_STAGING_DIR/www/builds.js" "$TRUNK_STAGING_DIR/sw.js"
for file in "$TRUNK_STAGING_DIR/www/builds.js" "$TRUNK_STAGING_DIR/sw.js"; do
  grep -q "$version" "$file" || { echo "full-build.sh: the version was not written into $file" >&2; exit 1; }
done
