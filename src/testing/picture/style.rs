//! Colours and sizes shared by the views and the legend (colour-blind-safe hues after
//! Okabe and Ito where they carry meaning).
use crate::apps::Level;
use crate::world::Light;

/// Picture background.
pub const BACKGROUND: &str = "#ffffff";
/// Panel background (map).
pub const PANEL: &str = "#f7f7f2";
/// Panel border.
pub const BORDER: &str = "#b8b8b0";
/// Faint grid.
pub const GRID: &str = "#e6e6de";
/// Body text.
pub const TEXT: &str = "#202020";
/// Secondary text.
pub const MUTED: &str = "#606060";
/// Road surface of a lane.
pub const LANE: &str = "#d6d6d0";
/// Lane centre line.
pub const LANE_CENTRE: &str = "#ffffff";
/// Stop line.
pub const STOP_LINE: &str = "#303030";
/// The ego's true path.
pub const EGO: &str = "#1a1a1a";
/// Fused tracks and their ellipses.
pub const FUSED: &str = "#8e44ad";
/// The ego's transmitted path history.
pub const HISTORY: &str = "#009e73";
/// Passed.
pub const PASS: &str = "#1b7f3b";
/// Failed.
pub const FAIL: &str = "#c0142c";
/// Label box fill.
pub const LABEL_FILL: &str = "#ffffff";

/// Colours of the other road users' true paths, by order.
pub const USERS: [&str; 6] = [
    "#0072b2", "#a0522d", "#cc79a7", "#56b4e9", "#6b8e23", "#7f7f7f",
];

/// The colour of a warning level.
pub fn level(l: Level) -> &'static str {
    match l {
        Level::Advisory => "#3a7dc9",
        Level::Warning => "#e69f00",
        Level::Alert => "#d55e00",
    }
}

/// The colour of a signal light (`None`: no fresh signal data).
pub fn light(l: Option<Light>) -> &'static str {
    match l {
        Some(Light::Red | Light::FlashingRed) => "#e0312b",
        Some(Light::Yellow | Light::FlashingYellow) => "#f2c511",
        Some(Light::ProtectedGreen | Light::PermissiveGreen | Light::FlashingGreen) => "#2ca02c",
        Some(Light::Dark | Light::Unavailable) | None => "#c8c8c8",
    }
}

/// A short name of a light for labels and the legend.
pub fn light_name(l: Option<Light>) -> &'static str {
    match l {
        Some(Light::Red) => "red",
        Some(Light::FlashingRed) => "flashing red",
        Some(Light::Yellow) => "yellow",
        Some(Light::FlashingYellow) => "flashing yellow",
        Some(Light::ProtectedGreen) => "green",
        Some(Light::PermissiveGreen) => "permissive green",
        Some(Light::FlashingGreen) => "flashing green",
        Some(Light::Dark) => "dark",
        Some(Light::Unavailable) => "unavailable",
        None => "no fresh SPAT",
    }
}

/// Text colour readable on a `#rrggbb` background: dark on light colours, white on dark ones.
pub fn text_on(background: &str) -> &'static str {
    let channel = |i: usize| {
        background
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| f64::from(v) / 255.0)
    };
    // Relative luminance (sRGB primaries, without the gamma curve: enough to pick a side).
    let l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    if l > 0.55 { TEXT } else { "#ffffff" }
}
