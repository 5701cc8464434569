#!/usr/bin/env bash
# Cookie Inspector build script. Every subcommand installs what it needs first (idempotent, fast
# when already present), so a fresh Debian machine with rustup and Node needs nothing else.
#
#   ./build.sh [build]   build the wasm core into www/pkg (and extension/pkg; the full core with
#                        public-key verification into www/pkg-keys), and package the
#                        extension: target/extension/cookie-inspector-{chrome,firefox}.zip
#   ./build.sh serve     build, then serve www/ on http://127.0.0.1:${PORT:-8080}
#   ./build.sh test      build, then run every test: native, wasm in headless Chromium, end-to-end
#   ./build.sh bench     build, then run the benchmarks against their JS peers
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
TOOLS="$ROOT/.tools"
WASM_PACK_VERSION=0.15.1
BINARYEN_VERSION=132.0.0
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# ---- installers (each returns at once when its tool is already there) ----

need_rust_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || { log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
}

need_wasm_pack() {
  if ! wasm-pack --version 2>/dev/null | grep -q " $WASM_PACK_VERSION"; then
    log "installing wasm-pack $WASM_PACK_VERSION (a few minutes, once)"
    cargo install --locked wasm-pack --version "$WASM_PACK_VERSION"
  fi
}

# The wasm-bindgen CLI must equal the crate version in Cargo.lock exactly, or wasm-pack tries a
# download that cannot succeed here.
need_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  [ -n "$want" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; exit 2; }
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    log "installing wasm-bindgen-cli $want (a few minutes, once)"
    # --locked fails on a transitive requirement (webpki-roots); fall back to unlocked.
    cargo install --locked --force wasm-bindgen-cli --version "$want" \
      || cargo install --force wasm-bindgen-cli --version "$want"
  fi
}

# Debian's wasm-opt (binaryen 108) produces modules that fail to load; use npm's binaryen.
need_binaryen() {
  if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
    log "installing binaryen $BINARYEN_VERSION (wasm-opt)"
    mkdir -p "$TOOLS"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

need_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# Firefox, whose cookie decisions the differential test re-records (tests/differential/).
need_firefox() {
  if ! command -v firefox-esr >/dev/null; then
    log "installing Debian's firefox-esr"
    export DEBIAN_FRONTEND=noninteractive
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq firefox-esr >/dev/null
  fi
}

# The Node packages the browser tests and benchmarks use, pinned by tests/package-lock.json.
need_node_deps() {
  if [ ! -f tests/node_modules/.package-lock.json ] \
    || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
    log "installing the test and benchmark Node packages"
    npm ci --silent --no-audit --no-fund --prefix tests >/dev/null
  fi
}

# ---- steps ----

build_wasm() {
  need_rust_wasm_target
  need_wasm_pack
  need_wasm_bindgen
  need_binaryen
  # Two modules from the one core: www/pkg, without public-key verification, is what every page
  # load fetches; www/pkg-keys, with it, is loaded only when someone gives a public key (its
  # curve arithmetic more than doubles the size). Separate target directories, so switching the
  # feature does not rebuild the other each time.
  build_module www/pkg target/wasm-web --no-default-features
  build_module www/pkg-keys target/wasm-keys
  # The extension ships its own copy of the core and of the shared rendering module.
  mkdir -p extension/pkg extension/ui
  cp www/pkg/cookie_inspector.js www/pkg/cookie_inspector_bg.wasm extension/pkg/
  rm -rf extension/pkg/snippets
  cp -r www/pkg/snippets extension/pkg/
  cp www/ui/*.js www/ui/*.css extension/ui/ 2>/dev/null || true
  local wasm raw gz
  for wasm in www/pkg/cookie_inspector_bg.wasm www/pkg-keys/cookie_inspector_bg.wasm; do
    raw=$(stat -c %s "$wasm")
    gz=$(gzip -9c "$wasm" | wc -c)
    log "wasm ($wasm): $raw bytes raw, $gz bytes gzipped"
  done
  package_extension
}

# build_module OUT_DIR TARGET_DIR [cargo args…]: one release module, optimised with wasm-opt.
build_module() {
  local out=$1 target=$2
  shift 2
  log "building the wasm core into $out"
  # (wasm-pack's "failed to get wasm-pack version" is its update check failing offline: harmless.)
  CARGO_TARGET_DIR=$target wasm-pack --quiet build --target web --release --mode no-install \
    --out-dir "$out" --out-name cookie_inspector --no-pack -- "$@"
  # wasm-pack rebuilds only when sources change; optimise only a fresh module.
  local wasm=$out/cookie_inspector_bg.wasm stamp=$out/.optimised
  if [ ! -f "$stamp" ] || [ "$wasm" -nt "$stamp" ]; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
    touch "$stamp"
  fi
  rm -f "$out/.gitignore"
}

# The extension's two packages, target/extension/cookie-inspector-{chrome,firefox}.zip: the files
# of extension/ (with the copies above) and each browser's manifest as manifest.json. Byte-for-byte
# the same on every run (sorted entries, fixed timestamps), so a rebuild changes nothing.
package_extension() {
  local out="$ROOT/target/extension" browser manifest
  mkdir -p "$out"
  for browser in chrome firefox; do
    manifest=extension/manifest.json
    [ "$browser" = firefox ] && manifest=extension/manifest.firefox.json
    if command -v python3 >/dev/null; then
      python3 - extension "$manifest" "$out/cookie-inspector-$browser.zip" <<'PY'
import os, sys, zipfile
root, manifest, dest = sys.argv[1:4]
skip = {'manifest.json', 'manifest.firefox.json', 'screenshot.png'}
files = []
for top, dirs, names in os.walk(root):
    dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
    for name in sorted(names):
        rel = os.path.relpath(os.path.join(top, name), root).replace(os.sep, '/')
        if rel not in skip and not name.startswith('.'):
            files.append(rel)
def add(z, name, path):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    with open(path, 'rb') as f:
        z.writestr(info, f.read(), compresslevel=9)
with zipfile.ZipFile(dest + '.tmp', 'w') as z:
    add(z, 'manifest.json', manifest)
    for rel in files:
        add(z, rel, os.path.join(root, rel))
os.replace(dest + '.tmp', dest)
PY
    else
      # Without Python: zip(1), from a staging copy with the browser's manifest.
      local stage
      stage=$(mktemp -d)
      cp -r extension/. "$stage/"
      rm -f "$stage/manifest.firefox.json" "$stage/screenshot.png"
      cp "$manifest" "$stage/manifest.json"
      rm -f "$out/cookie-inspector-$browser.zip"
      (cd "$stage" && find . -type f ! -name '.*' | sort | TZ=UTC zip -X -q -9 -@ "$out/cookie-inspector-$browser.zip")
      rm -rf "$stage"
    fi
  done
  log "extension packages: target/extension/cookie-inspector-chrome.zip, cookie-inspector-firefox.zip"
}

cmd_build() { build_wasm; }

cmd_serve() {
  build_wasm
  local port=${PORT:-8080}
  log "serving www/ on http://127.0.0.1:$port (Ctrl-C stops)"
  exec node tests/support/static-server.mjs www "$port"
}

cmd_test() {
  need_chromium
  need_firefox
  need_node_deps
  local log
  log=$(mktemp)
  trap 'rm -f "$log"' RETURN
  log "native tests and lints"
  cargo test --locked --all-targets 2>&1 | tee -a "$log"
  cargo test --locked --doc 2>&1 | tee -a "$log"
  cargo clippy --locked --all-targets --quiet -- -D warnings
  build_wasm
  log "wasm tests in headless Chromium"
  wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" --mode no-install \
    -- --locked --test wasm_api 2>&1 | grep -v -e 'failed to get wasm-pack version' -e 'unexpected operator' | tee -a "$log"
  log "end-to-end tests in Chromium (and the Firefox package in Firefox)"
  # --experimental-websocket: Node 20's WebSocket client, for the test that drives Firefox.
  node --experimental-websocket --test --test-reporter=spec tests/e2e/ 2>&1 | tee -a "$log"
  log "differential tests: real Chromium's and Firefox's cookie verdicts"
  node --test --test-reporter=spec tests/differential/ 2>&1 | tee -a "$log"
  # One closing line for every runner above: cargo's "test result:" lines and node's summary.
  awk '
    /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    /^ℹ pass / { p += $3 } /^ℹ fail / { f += $3 }
    END { printf "all tests: %d passed, %d failed\n", p, f }' "$log"
}

cmd_bench() {
  need_node_deps
  build_wasm
  log "benchmarks"
  for b in tests/bench/*.bench.mjs; do node --expose-gc "$b"; done
}

case "${1:-build}" in
  build) cmd_build ;;
  serve) cmd_serve ;;
  test) cmd_test ;;
  bench) cmd_bench ;;
  *) echo "usage: $0 [build|serve|test|bench]" >&2; exit 2 ;;
esac
