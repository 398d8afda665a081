//! Float functions that work with and without `std`: the `std` methods when it is there, `libm`
//! when it is not (`core` has no transcendental functions).

macro_rules! unary {
    ($($name:ident),*) => {$(
        #[cfg(feature = "std")]
        #[inline]
        pub(crate) fn $name(x: f64) -> f64 {
            x.$name()
        }
        #[cfg(not(feature = "std"))]
        #[inline]
        pub(crate) fn $name(x: f64) -> f64 {
            libm::$name(x)
        }
    )*};
}

unary!(sin, cos, sqrt, floor, round, ceil);

/// Absolute value (in `core`).
#[inline]
pub(crate) fn abs(x: f64) -> f64 {
    x.abs()
}

/// Natural logarithm.
#[inline]
pub(crate) fn ln(x: f64) -> f64 {
    #[cfg(feature = "std")]
    {
        x.ln()
    }
    #[cfg(not(feature = "std"))]
    {
        libm::log(x)
    }
}

/// Four-quadrant arc tangent of `y / x`.
#[inline]
pub(crate) fn atan2(y: f64, x: f64) -> f64 {
    #[cfg(feature = "std")]
    {
        y.atan2(x)
    }
    #[cfg(not(feature = "std"))]
    {
        libm::atan2(y, x)
    }
}

/// `sqrt(x² + y²)` without undue overflow.
#[inline]
pub(crate) fn hypot(x: f64, y: f64) -> f64 {
    #[cfg(feature = "std")]
    {
        x.hypot(y)
    }
    #[cfg(not(feature = "std"))]
    {
        libm::hypot(x, y)
    }
}
