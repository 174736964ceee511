//! Embeds every catalogue file under `assets/locales/<lang>/*.ftl`: a language
//! is the folder, so adding one is adding files, with no list to keep here.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets the manifest dir"));
    let locales = manifest.join("../../assets/locales");
    println!("cargo:rerun-if-changed={}", locales.display());

    let mut languages: Vec<_> = fs::read_dir(&locales)
        .expect("assets/locales is readable")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.is_dir())
        .collect();
    languages.sort();

    let mut code = String::from("/// (language folder, file name, text), sorted.\npub(crate) static FILES: &[(&str, &str, &str)] = &[\n");
    for folder in languages {
        println!("cargo:rerun-if-changed={}", folder.display());
        let lang = folder.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<_> = fs::read_dir(&folder)
            .expect("a language folder is readable")
            .map(|entry| entry.expect("a readable entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "ftl"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let absolute = file.canonicalize().expect("the file exists");
            writeln!(
                code,
                "    ({lang:?}, {name:?}, include_str!({:?})),",
                absolute.display().to_string()
            )
            .unwrap();
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("files.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
