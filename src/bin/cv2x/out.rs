//! Standard output for the command line. A reader that closes the pipe early (`| head`,
//! `| grep -q`) ends the program quietly with success instead of a panic; any other write
//! failure is reported on stderr and exits with status 1.

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};

/// Writes formatted text to stdout.
pub fn write(args: Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        finish(&e);
    }
}

/// Ends the process after a failed stdout write.
pub fn finish(e: &std::io::Error) -> ! {
    if e.kind() == ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("cv2x: stdout: {e}");
    std::process::exit(1);
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that survives a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*))
    };
}
