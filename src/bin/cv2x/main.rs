//! `cv2x`: the command-line tool.
fn main() {
    std::process::exit(2);
}
