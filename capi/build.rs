//! Sets the SONAME of the shared library to `libcv2x.so.<ABI major>` (the ABI major is the major
//! version of this crate), so that programs linked against it keep working across compatible
//! releases and refuse an incompatible one.
fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "1".into());
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "android" || os.ends_with("bsd") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libcv2x.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
