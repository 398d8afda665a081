//! Conformance over the committed vector subset (tests/vectors) and, when present, the full
//! vector folders beside the repository (../shared/vectors/uper).
use std::fs;
use std::path::Path;

use cv2x::codec::jer::Value;
use cv2x::msg::Standard;
use cv2x::msg::conform;

fn run_folder(dir: &Path) -> (usize, Vec<String>) {
    let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let std = Standard::from_folder(folder).unwrap_or_else(|| panic!("unknown folder {folder}"));
    let mut passed = 0;
    let mut failures = Vec::new();
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for f in files {
        for (i, line) in fs::read_to_string(&f).unwrap().lines().enumerate() {
            let v: Value = serde_json::from_str(line).unwrap();
            match conform::check(std, &v) {
                Ok(()) => passed += 1,
                Err(e) => {
                    failures.push(format!("{}:{}: {}: {}", f.display(), i + 1, e.ty, e.reason))
                }
            }
        }
    }
    (passed, failures)
}

/// Vector folders whose module set is generated.
const FOLDERS: &[&str] = &[
    "csae53_2020",
    "csae157_2020_dayII",
    "csae53_2019",
    "csae53_2017",
];

#[test]
fn committed_vectors_conform() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut total = 0;
    for folder in FOLDERS {
        let (passed, failures) = run_folder(&root.join(folder));
        assert!(
            failures.is_empty(),
            "{} failures, first: {}",
            failures.len(),
            failures[0]
        );
        assert!(passed > 100, "{folder}: only {passed} lines");
        total += passed;
    }
    assert!(total > 0);
}

#[test]
fn invalid_vectors_are_rejected_with_typed_errors() {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/csae53_2020/invalid.jsonl");
    let text = fs::read_to_string(root).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let ty = v["type"].as_str().unwrap();
        let bytes = cv2x::codec::jer::unhex(&v["uper_hex"]).unwrap();
        let r = Standard::Csae53_2020.decode_named(ty, &bytes);
        assert!(matches!(r, Err(cv2x::codec::Error::Decode(_))), "{line}");
        n += 1;
    }
    assert!(n >= 50);
}
