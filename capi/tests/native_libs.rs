//! Pins the native libraries a static link of libcv2x needs: `capi/native-static-libs.txt` (read
//! by `capi/install.sh` into `Libs.private` of cv2x.pc, and by the C test build) must be what
//! rustc prints for this crate's staticlib on this platform.
use std::process::Command;

#[test]
fn native_static_libs_are_pinned() {
    if !cfg!(target_os = "linux") {
        eprintln!("SKIPPED: the pinned list is the Linux one");
        return;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "rustc",
            "-q",
            "-p",
            "cv2x-capi",
            "--lib",
            "--crate-type",
            "staticlib",
            "--",
            "--print",
            "native-static-libs",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let printed = stderr
        .lines()
        .find_map(|l| l.split("native-static-libs: ").nth(1))
        .expect("rustc prints native-static-libs")
        .trim()
        .to_string();
    let pinned = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/native-static-libs.txt"
    ))
    .unwrap();
    assert_eq!(
        printed,
        pinned.trim(),
        "update capi/native-static-libs.txt (it feeds cv2x.pc Libs.private and the C tests)"
    );
}
