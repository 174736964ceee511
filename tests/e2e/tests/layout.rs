//! The release desktop binary's code layout (src-tauri/build.rs, docs/performance.md "Desktop
//! window"): the functions a start and the station under load run, listed in
//! src-tauri/layout/functions.txt, sit together at the front of the code, so the window keeps
//! 5 MiB of its code resident instead of 12. Code changes, dependency updates and new toolchains
//! rename functions; once more than a tenth of the list is gone this fails and says how to write
//! it again.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use refurbdesk_e2e::target_dir;

/// Text symbols of `binary`: name → (address, size), from `nm`.
fn text_symbols(binary: &Path) -> HashMap<String, (u64, u64)> {
    let output = Command::new("nm")
        .args(["--defined-only", "--print-size"])
        .arg(binary)
        .output()
        .expect("run nm (binutils, installed with build-essential)");
    assert!(
        output.status.success(),
        "nm could not read {}",
        binary.display()
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [address, size, kind, name] = parts.as_slice() else {
                return None;
            };
            if !matches!(*kind, "t" | "T" | "w" | "W") {
                return None;
            }
            let address = u64::from_str_radix(address, 16).ok()?;
            let size = u64::from_str_radix(size, 16).ok()?;
            Some(((*name).to_owned(), (address, size)))
        })
        .collect()
}

#[test]
fn the_functions_the_window_runs_sit_together_at_the_front_of_the_release_binary() {
    let binary = target_dir().join("release/refurbdesk-desktop");
    assert!(
        binary.is_file(),
        "{} does not exist; build it first: cargo build --release -p refurbdesk-desktop",
        binary.display()
    );
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/layout/functions.txt");
    let listed: Vec<String> = std::fs::read_to_string(&list)
        .unwrap_or_else(|error| panic!("read {}: {error}", list.display()))
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect();
    assert!(
        listed.len() > 1000,
        "{} lists {} functions; write it again with scripts/layout-profile",
        list.display(),
        listed.len()
    );

    let symbols = text_symbols(&binary);
    let found: Vec<(u64, u64)> = listed
        .iter()
        .filter_map(|name| symbols.get(name).copied())
        .collect();
    // A few names go with every change to the code; a dependency update, a new toolchain or a build
    // with other features renames many, and the 16 % that a desktop-only build renamed (tokio's
    // and Tauri's generic code among them) cost 3 MiB of resident code.
    assert!(
        found.len() * 10 >= listed.len() * 9,
        "only {} of the {} functions in {} are in the release binary: the code, dependencies or the \
         toolchain changed their names. Write the list again: scripts/layout-profile",
        found.len(),
        listed.len(),
        list.display()
    );

    // Packed, the listed functions span little more than their own size from the start of the
    // code (alignment padding between them); spread, they would span most of its 23 MB.
    let code_start = symbols
        .values()
        .map(|(address, _)| *address)
        .filter(|address| *address > 0)
        .min()
        .expect("the binary has code");
    let span = found
        .iter()
        .map(|(address, size)| address + size)
        .max()
        .expect("some functions found")
        - code_start;
    let total: u64 = found.iter().map(|(_, size)| size).sum();
    assert!(
        span <= total + total / 4 + 64 * 1024,
        "the {} listed functions found ({} KiB) span {} KiB from the start of the code: the release \
         link did not order them (src-tauri/build.rs passes --symbol-ordering-file to rustc's lld)",
        found.len(),
        total / 1024,
        span / 1024
    );
}
