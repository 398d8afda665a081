//! All conversion between the wire types of the message sets and the SI units the rest of the
//! stack works in: [`units`] (wire → SI) and [`to_wire`] (SI → wire) for scalars and positions,
//! [`observe`] for messages that become fusion observations, [`day2`] for the Day II cooperative
//! messages the world keeps, [`outgoing`] for the Day II messages the ego sends.
pub mod day2;
pub mod observe;
pub mod outgoing;
pub mod to_wire;
pub mod units;

pub use observe::{
    AdaptError, bsm_observation, id_u64, is_own, participant_observation, psm_observation,
    rsm_observations, ssm_observations,
};
pub use units::*;
