#![cfg(not(target_arch = "wasm32"))]
//! `src/domain` stays pure Rust: no file there may name a browser or UI crate.

#[test]
fn domain_names_no_ui_crate() {
    let forbidden = ["leptos", "web_sys", "js_sys", "gloo", "wasm_bindgen"];
    let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src/domain"))];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                for word in forbidden {
                    assert!(!text.contains(word), "{} names {word}", path.display());
                }
            }
        }
    }
    assert!(files >= 5, "found only {files} domain files");
}
