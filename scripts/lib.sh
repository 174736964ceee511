# Shared by scripts/run and scripts/test: installs only what is missing, so a second run installs nothing.
# shellcheck shell=bash

# Each step says how long its script had run when it began, so a CI log shows where the time goes.
step() { printf '\n==> [%d s] %s\n' "$SECONDS" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

# Debian packages for building the engine and the WebKitGTK 4.1 desktop shell (libusb: USB
# discovery of phones and benches, crates/adb).
BUILD_PACKAGES=(build-essential pkg-config curl file libssl-dev libudev-dev libusb-1.0-0-dev
  libwebkit2gtk-4.1-dev libxdo-dev librsvg2-dev libayatana-appindicator3-dev fonts-noto-cjk)
# What the tests drive for real: a virtual display, WebKit's WebDriver, a D-Bus session,
# poppler for PDFs, ZBar (zbarimg) to scan the barcodes of labels, losetup for loop devices.
# fonts-noto-cjk: the fallback font documents print CJK names with (the app needs it at run time).
# postgresql: the site database's tests start a real server (initdb, pg_ctl) per test binary.
# adb: Debian's Android Debug Bridge, whose real server the ADB tests read simulated phones through.
# openssl: makes the test CA and server certificate of the site's TLS tests.
# chromium, chromium-driver: the headless browser (and its WebDriver) that opens the site's
# certificate verification page as a customer's browser would.
TEST_PACKAGES=(xvfb webkit2gtk-driver dbus poppler-utils util-linux zbar-tools fonts-noto-cjk postgresql adb
  openssl chromium chromium-driver)
# What scripts/test-packages reads the packages with: rpm for the .rpm, dpkg-shlibdeps (dpkg-dev)
# for the libraries the binaries load, desktop-file-validate for the desktop entry.
PACKAGE_TEST_PACKAGES=(rpm dpkg-dev desktop-file-utils)

ensure_packages() {
  local wanted=("$@") missing=() pkg
  command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  step "Installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v cargo >/dev/null 2>&1 && return 0
  step "Installing the Rust toolchain with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy \
    || die "could not install Rust; install it from your distribution or rustup, then run this again"
  export PATH="$HOME/.cargo/bin:$PATH"
}

# The WebAssembly target the in-browser certificate verifier is built for (scripts/build-verifier).
ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown && return 0
  step "Installing the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown \
    || die "could not install the wasm32-unknown-unknown target; install it with rustup, then run this again"
}

ensure_ui_deps() {
  if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    step "Installing the UI's npm packages"
    (cd ui && npm ci --no-audit --no-fund)
  fi
}

# Vite rewrites every file of ui/dist even when nothing changed, and the desktop app's build watches
# ui/dist: an unneeded UI build would cost a rebuild of the app (the release one included). So the UI
# is built only when its inputs differ from those ui/dist was built from: ui/ (sources, configuration,
# locked dependencies) and the message catalogues it imports (assets/locales).
ui_inputs_digest() {
  find ui assets/locales \( -path ui/node_modules -o -path ui/dist \) -prune -o -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
build_ui() {
  local stamp=ui/dist/.inputs.sha256 digest
  digest=$(ui_inputs_digest)
  if [ -f ui/dist/index.html ] && [ "$(cat "$stamp" 2>/dev/null)" = "$digest" ]; then
    step "The UI is built (ui/dist matches its inputs)"
    return 0
  fi
  step "Building the UI (ui/dist, embedded in the desktop app)"
  (cd ui && npm run build)
  printf '%s\n' "$digest" >"$stamp"
}

# tauri-driver goes into the clone (target/tools), not the user's cargo home.
TAURI_DRIVER="$PWD/target/tools/bin/tauri-driver"
ensure_tauri_driver() {
  [ -x "$TAURI_DRIVER" ] && return 0
  step "Installing tauri-driver into target/tools"
  cargo install tauri-driver --version '^2' --locked --root "$PWD/target/tools"
}

# Where cargo puts its builds (honours CARGO_TARGET_DIR and the workspace's settings).
cargo_target_dir() {
  cargo metadata --format-version 1 --no-deps --offline \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}
