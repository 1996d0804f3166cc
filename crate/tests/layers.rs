//! Dependencies point one way: a module of `crate/src` may use the modules below it in the
//! order ARCHITECTURE.md states (its "Layers, top to bottom:" line), never one above it or
//! one beside it in another layer's place. Reads every `crate::NAME` path in each module's
//! code (test code left out: it may build fixtures from any layer) and fails on each one
//! that points upward, naming the file and line.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

const ORDER_LINE: &str = "Layers, top to bottom:";

/// Layer index of each module (0: the top), from the line `Layers, top to bottom: `a` > `b`, `c` > ...`.
fn layers(architecture: &str) -> Result<HashMap<String, usize>, String> {
    let line = architecture
        .lines()
        .find_map(|l| l.trim_start_matches(['-', ' ', '*']).strip_prefix(ORDER_LINE))
        .ok_or_else(|| format!("ARCHITECTURE.md has no line starting {ORDER_LINE:?}"))?;
    let mut out = HashMap::new();
    for (depth, layer) in line.split('>').enumerate() {
        for name in layer.split(',') {
            let name = name.trim().trim_end_matches('.').trim_matches('`');
            if name.is_empty() {
                return Err(format!("an empty name in the layer line: {line:?}"));
            }
            if out.insert(name.to_string(), depth).is_some() {
                return Err(format!("{name} is named twice in the layer line"));
            }
        }
    }
    Ok(out)
}

/// The code of a file without its test modules (`#[cfg(test)]` followed by an inline
/// `mod … {}`, removed by brace count) and without `//` comments. Lines keep their numbers.
fn without_tests(source: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if t == "#[cfg(test)]"
            && lines.get(i + 1).is_some_and(|n| n.trim_start().starts_with("mod ") && n.contains('{'))
        {
            let mut depth = 0i64;
            let mut j = i + 1;
            loop {
                depth += lines[j].matches('{').count() as i64 - lines[j].matches('}').count() as i64;
                j += 1;
                if depth <= 0 || j >= lines.len() {
                    break;
                }
            }
            i = j;
            continue;
        }
        let code = lines[i].split("//").next().unwrap_or("");
        out.push((i + 1, code.to_string()));
        i += 1;
    }
    out
}

/// Every `crate::NAME` (and `crate::{A, B}` at the start of a use) on a line of code.
fn used_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `latih_crate::` or similar
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            found.extend(inner.split(',').map(|p| p.trim().split("::").next().unwrap_or("").trim().to_string()));
        } else {
            found.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

/// The top-level module a file under `src` belongs to (`models/svm/smo.rs` → `models`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each upward or unlisted import, as `file:line: a uses b (…)`.
fn violations(src: &Path, order: &HashMap<String, usize>) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Some(module) = module_of(src, &file) else { continue };
        // The crate root and the native CLI sit above every layer; test files are fixtures.
        if module == "lib" || module == "bin" || file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        if file.components().any(|c| c.as_os_str() == "tests") {
            continue;
        }
        let Some(&from) = order.get(&module) else {
            out.push(format!("{}: module `{module}` is not in the layer line", file.display()));
            continue;
        };
        let source = fs::read_to_string(&file).expect("readable source");
        for (line, code) in without_tests(&source) {
            for used in used_modules(&code) {
                if used == module {
                    continue;
                }
                match order.get(&used) {
                    Some(&to) if to > from => {}
                    Some(&to) => out.push(format!(
                        "{}:{line}: `{module}` (layer {from}) uses `{used}` (layer {to}), which is not below it",
                        file.display()
                    )),
                    // Items of the crate root (`crate::Only`, `crate::NEEDS_FULL`) are below every layer.
                    None if used.chars().next().is_some_and(char::is_uppercase) => {}
                    None => out.push(format!(
                        "{}:{line}: `{module}` uses `{used}`, which is not in the layer line",
                        file.display()
                    )),
                }
            }
        }
    }
    out
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn dependencies_point_down_the_layers_architecture_md_states() {
    let architecture = fs::read_to_string(crate_dir().join("../ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let order = layers(&architecture).expect("a layer line");
    let wrong = violations(&crate_dir().join("src"), &order);
    assert!(wrong.is_empty(), "imports against the layer order:\n{}", wrong.join("\n"));
}

#[test]
fn every_module_of_the_crate_is_in_the_layer_line() {
    let architecture = fs::read_to_string(crate_dir().join("../ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let order = layers(&architecture).expect("a layer line");
    let lib = fs::read_to_string(crate_dir().join("src/lib.rs")).expect("lib.rs");
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().trim_start_matches("pub(crate) ").trim_start_matches("pub ").strip_prefix("mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert!(declared.len() > 5, "lib.rs declares its modules: {declared:?}");
    let missing: Vec<&&str> = declared.iter().filter(|m| !order.contains_key(**m)).collect();
    assert!(missing.is_empty(), "modules missing from ARCHITECTURE.md's layer line: {missing:?}");
}

/// The checker itself fails on an upward import, on a module left out of the order, and
/// passes test code and comments.
#[test]
fn the_checker_catches_a_wrong_import() {
    let order = layers("- Layers, top to bottom: `web` > `models`, `render` > `data`.").expect("parsed");
    assert_eq!((order["web"], order["models"], order["render"], order["data"]), (0, 1, 1, 2));
    let dir = std::env::temp_dir().join(format!("latih-layers-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("models")).expect("temp folder");
    fs::write(dir.join("data.rs"), "use crate::models::Model;\n// crate::web in a comment\n").expect("write");
    fs::write(
        dir.join("models/mod.rs"),
        "use crate::data::Task;\nuse crate::{data::rng, data};\nfn f() { crate::NEEDS_FULL; }\n#[cfg(test)]\nmod tests {\n    use crate::web::Lab;\n}\n",
    )
    .expect("write");
    fs::write(dir.join("render.rs"), "use crate::{models::Model, data::Task};\n").expect("write");
    fs::write(dir.join("stray.rs"), "").expect("write");
    let wrong = violations(&dir, &order);
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(wrong.len(), 3, "{wrong:#?}");
    assert!(wrong[0].contains("data.rs:1: `data` (layer 2) uses `models` (layer 1)"), "{}", wrong[0]);
    assert!(wrong[1].contains("render.rs:1: `render` (layer 1) uses `models` (layer 1)"), "{}", wrong[1]);
    assert!(wrong[2].contains("module `stray` is not in the layer line"), "{}", wrong[2]);
}
