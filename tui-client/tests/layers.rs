//! The app does not depend on the ui: the ui draws the app's state, and everything the
//! app needs to know about the screen (the areas' sizes, how many rows an entry takes,
//! how far the help scrolls) is measured in `app/` itself. This keeps every behaviour
//! testable without drawing, and the drawing free to change.

use std::fs;
use std::path::{Path, PathBuf};

/// Every Rust file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_app_never_names_the_ui() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let files = sources(&app);
    assert!(files.len() > 10, "found the app's sources");
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for name in ["crate::ui", "super::ui", "super::super::ui"] {
            assert!(
                !text.contains(name),
                "{} names the ui ({name})",
                file.display()
            );
        }
    }
}
