//! The scenario files of `tests/scenarios`, sorted.
use std::path::{Path, PathBuf};

/// Every `tests/scenarios/*.json`, sorted by name.
pub fn scenario_files() -> Vec<PathBuf> {
    scenario_files_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios"))
}

/// Every `*.json` of `dir`, sorted by name.
pub fn scenario_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenarios in {}", dir.display());
    files
}
