//! Hand-written helpers on generated message types (the generated modules hold only what the
//! ASN.1 modules define).
use crate::v2020::LightState;

impl LightState {
    /// Whether the movement may proceed (any green).
    pub fn is_green(self) -> bool {
        matches!(
            self,
            Self::PermissiveGreen | Self::ProtectedGreen | Self::FlashingGreen
        )
    }

    /// Whether the movement must stop (red, flashing red).
    pub fn is_red(self) -> bool {
        matches!(self, Self::Red | Self::FlashingRed)
    }
}

#[cfg(test)]
mod tests {
    use crate::v2020::LightState;

    #[test]
    fn greens_and_reds() {
        assert!(LightState::ProtectedGreen.is_green());
        assert!(LightState::FlashingGreen.is_green());
        assert!(!LightState::Yellow.is_green());
        assert!(LightState::FlashingRed.is_red());
        assert!(!LightState::Dark.is_red());
        assert!(!LightState::UnknownExt(0).is_red());
    }
}
