//! The checked-in generated code must be what the ASN.1 modules produce.
use std::process::Command;

#[test]
fn generated_code_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_cv2x-codegen"))
        .arg("--check")
        .output()
        .expect("run cv2x-codegen");
    assert!(
        out.status.success(),
        "generated code is stale:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
