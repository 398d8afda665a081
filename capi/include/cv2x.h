#ifndef CV2X_H
#define CV2X_H

#include <stdint.h>
#include <stddef.h>
/*
 * cv2x C ABI. Conventions:
 *  - Every fallible function returns a cv2x_result (uint32_t): CV2X_OK (0) or a CV2X_ERR_* code
 *    (stable, append-only; ranges: generic 1-99, codec 100-199, security 200-239, CRL 240-299,
 *    net 300-399, stack 400-499). cv2x_result_name() and cv2x_strerror() describe any code.
 *  - Outputs go through out-parameters and are written only on success. Byte output is
 *    (out, cap, out_len); on CV2X_ERR_BUFFER_TOO_SMALL the size needed is in *out_len.
 *    (NULL, 0) is an empty input.
 *  - Enumerations are uint32_t constants, validated (CV2X_ERR_INVALID_PARAMETER).
 *  - Time: int64_t TAI microseconds since 2004-01-01 00:00:00 UTC (IEEE 1609.2 Time64);
 *    cv2x_time_from_unix_utc_ms() converts from Unix time (leap seconds applied).
 *  - Handles: cv2x_x_new(..., &out) / cv2x_x_free(x); free(NULL) is a no-op. The caller owns
 *    every handle it receives and frees it exactly once.
 *  - Thread safety: free functions and cv2x_frame (immutable) are thread-safe. cv2x_stack,
 *    cv2x_verifier, cv2x_signer, cv2x_pseudonym_pool and cv2x_dispatcher take one call at a
 *    time: a concurrent or re-entrant second call returns CV2X_ERR_REENTRANT (never a data
 *    race); they may move between threads. A verifier set on a stack is shared by the two:
 *    it still takes one call at a time. Callbacks (poll, crypto, signing) run synchronously
 *    on the calling thread, inside the call that invokes them; calling back into the handle
 *    that invoked them returns CV2X_ERR_REENTRANT.
 *  - Drops are data: cv2x_stack_ingest returns CV2X_OK for a message the stack dropped and
 *    says why in its outcome (and in a CV2X_EVENT_DROPPED event).
 *  - A panic inside the library returns CV2X_ERR_PANIC (NULL / 0 where no code is returned)
 *    and poisons the handle: later calls return CV2X_ERR_POISONED; _free still frees it.
 *  - Buffers returned as offsets (payload_offset, ...) point into the caller's own input.
 */

/** The bit of application CV2X_APP_x in cv2x_stack_config.apps and cv2x_stack_set_apps. */
#define CV2X_APP_BIT(app) (1u << ((app) - 1u))


/**
 * Major version of the C ABI: programs built against another major do not run with this
 * library (it is the number in the SONAME, `libcv2x.so.1`).
 */
#define CV2X_ABI_VERSION_MAJOR 1

/**
 * Minor version of the C ABI: grows when functions, constants or struct fields (in reserved
 * room) are added; a program built against minor N runs with any library of minor >= N.
 */
#define CV2X_ABI_VERSION_MINOR 1

/**
 * Feature bit: the codec (UPER and JER, every message of the supported standards).
 */
#define CV2X_FEATURE_CODEC 1

/**
 * Feature bit: IEEE 1609.2 / GB/T 45112 security (verifier, signer, CRLs).
 */
#define CV2X_FEATURE_SECURITY 2

/**
 * Feature bit: the fast SM2 verifier.
 */
#define CV2X_FEATURE_SM2_FAST 4

/**
 * Feature bit: DSMP and the AID dispatcher.
 */
#define CV2X_FEATURE_NET 8

/**
 * Feature bit: the stack (`cv2x_stack_*`: fusion, warning applications, host vehicle).
 */
#define CV2X_FEATURE_STACK 16

/**
 * Feature bit: the test-only exports that force a panic (never in a release build).
 */
#define CV2X_FEATURE_TEST_PANIC 65536

/**
 * T/CSAE 53-2020 (= YD/T 3709-2020, Day I) with the T/CSAE 157-2020 Day II set: one module
 * set decodes both. The default of `cv2x_frame_decode` and `cv2x_frame_from_jer`.
 */
#define CV2X_STD_CSAE53_2020 1

/**
 * T/CSAE 53-2017, the original Day I set.
 */
#define CV2X_STD_CSAE53_2017 2

/**
 * T/CSAE 53 2019 revision ("Release20190724", the 2019 interoperability events).
 */
#define CV2X_STD_CSAE53_2019 3

/**
 * `cv2x_frame_kind`: an extension alternative this version does not know (kept for
 * re-encoding), or 0 on a NULL or poisoned frame.
 */
#define CV2X_MSG_UNKNOWN 0

/**
 * `cv2x_frame_kind`: BasicSafetyMessage.
 */
#define CV2X_MSG_BSM 1

/**
 * `cv2x_frame_kind`: MapData.
 */
#define CV2X_MSG_MAP 2

/**
 * `cv2x_frame_kind`: RoadsideSafetyMessage.
 */
#define CV2X_MSG_RSM 3

/**
 * `cv2x_frame_kind`: SPAT.
 */
#define CV2X_MSG_SPAT 4

/**
 * `cv2x_frame_kind`: RoadSideInformation.
 */
#define CV2X_MSG_RSI 5

/**
 * `cv2x_frame_kind`: a Day II message (`msgFrameExt`; `cv2x_frame_day2_message_id` says which).
 */
#define CV2X_MSG_DAY2 6

/**
 * An enumerated field holding an extension value this version of the modules does not know.
 */
#define CV2X_ENUM_EXTENSION 65535

/**
 * Capacity of `cv2x_codec_error.path` (bytes, NUL included).
 */
#define CV2X_CODEC_PATH_MAX 256

/**
 * Frozen size of `cv2x_codec_error`.
 */
#define CV2X_CODEC_ERROR_SIZE 272

/**
 * `cv2x_bsm.present`: `elevation` is set.
 */
#define CV2X_BSM_HAS_ELEVATION (1 << 0)

/**
 * `cv2x_bsm.present`: `time_confidence` is set (2020 and 2019 sets, not 2017).
 */
#define CV2X_BSM_HAS_TIME_CONFIDENCE (1 << 1)

/**
 * `cv2x_bsm.present`: `pos_accuracy_*` are set (posAccuracy; 2020 and 2019 sets).
 */
#define CV2X_BSM_HAS_POS_ACCURACY (1 << 2)

/**
 * `cv2x_bsm.present`: `pos_confidence` is set (posConfidence; in T/CSAE 53-2017 the mandatory
 * `accuracy`, so always set there).
 */
#define CV2X_BSM_HAS_POS_CONFIDENCE (1 << 3)

/**
 * `cv2x_bsm.present`: `elevation_confidence` is set (needs `CV2X_BSM_HAS_POS_CONFIDENCE`).
 */
#define CV2X_BSM_HAS_ELEVATION_CONFIDENCE (1 << 4)

/**
 * `cv2x_bsm.present`: `angle` is set.
 */
#define CV2X_BSM_HAS_ANGLE (1 << 5)

/**
 * `cv2x_bsm.present`: `speed_confidence` is set.
 */
#define CV2X_BSM_HAS_SPEED_CONFIDENCE (1 << 6)

/**
 * `cv2x_bsm.present`: `heading_confidence` is set.
 */
#define CV2X_BSM_HAS_HEADING_CONFIDENCE (1 << 7)

/**
 * `cv2x_bsm.present`: `steering_confidence` is set.
 */
#define CV2X_BSM_HAS_STEERING_CONFIDENCE (1 << 8)

/**
 * `cv2x_bsm.present`: `brake_pedal` is set.
 */
#define CV2X_BSM_HAS_BRAKE_PEDAL (1 << 9)

/**
 * `cv2x_bsm.present`: `wheel_brakes` is set.
 */
#define CV2X_BSM_HAS_WHEEL_BRAKES (1 << 10)

/**
 * `cv2x_bsm.present`: `traction` is set.
 */
#define CV2X_BSM_HAS_TRACTION (1 << 11)

/**
 * `cv2x_bsm.present`: `abs` is set.
 */
#define CV2X_BSM_HAS_ABS (1 << 12)

/**
 * `cv2x_bsm.present`: `scs` is set.
 */
#define CV2X_BSM_HAS_SCS (1 << 13)

/**
 * `cv2x_bsm.present`: `brake_boost` is set.
 */
#define CV2X_BSM_HAS_BRAKE_BOOST (1 << 14)

/**
 * `cv2x_bsm.present`: `aux_brakes` is set.
 */
#define CV2X_BSM_HAS_AUX_BRAKES (1 << 15)

/**
 * `cv2x_bsm.present`: `height` is set.
 */
#define CV2X_BSM_HAS_HEIGHT (1 << 16)

/**
 * `cv2x_bsm.present`: `fuel_type` is set.
 */
#define CV2X_BSM_HAS_FUEL_TYPE (1 << 17)

/**
 * `cv2x_bsm.present`: the message has safety extensions (`safetyExt`).
 */
#define CV2X_BSM_HAS_SAFETY_EXT (1 << 18)

/**
 * `cv2x_bsm.present`: `events` is set (implies `CV2X_BSM_HAS_SAFETY_EXT`).
 */
#define CV2X_BSM_HAS_EVENTS (1 << 19)

/**
 * `cv2x_bsm.present`: `lights` is set (implies `CV2X_BSM_HAS_SAFETY_EXT`).
 */
#define CV2X_BSM_HAS_LIGHTS (1 << 20)

/**
 * `cv2x_bsm.present` (read only): the message has a path history; `path_history_points` counts
 * its points. `cv2x_bsm_encode` sends none.
 */
#define CV2X_BSM_HAS_PATH_HISTORY (1 << 21)

/**
 * `cv2x_bsm.present` (read only): the message has a path prediction. Not encoded.
 */
#define CV2X_BSM_HAS_PATH_PREDICTION (1 << 22)

/**
 * `cv2x_bsm.present` (read only): the message has emergency extensions (2020 and 2019 sets).
 * Not encoded.
 */
#define CV2X_BSM_HAS_EMERGENCY_EXT (1 << 23)

/**
 * `cv2x_bsm.lights`: exteriorLights bit `lowBeamHeadlightsOn`.
 */
#define CV2X_LIGHTS_LOW_BEAM (1 << 0)

/**
 * `cv2x_bsm.lights`: `highBeamHeadlightsOn`.
 */
#define CV2X_LIGHTS_HIGH_BEAM (1 << 1)

/**
 * `cv2x_bsm.lights`: `leftTurnSignalOn`.
 */
#define CV2X_LIGHTS_LEFT_TURN_SIGNAL (1 << 2)

/**
 * `cv2x_bsm.lights`: `rightTurnSignalOn`.
 */
#define CV2X_LIGHTS_RIGHT_TURN_SIGNAL (1 << 3)

/**
 * `cv2x_bsm.lights`: `hazardSignalOn`.
 */
#define CV2X_LIGHTS_HAZARD_SIGNAL (1 << 4)

/**
 * `cv2x_bsm.events`, `cv2x_ego.events` (VehicleEventFlags bit 0): `eventHazardLights`.
 */
#define CV2X_VEHICLE_EVENT_HAZARD_LIGHTS (1u << 0)

/**
 * VehicleEventFlags bit 1: `eventStopLineViolation`.
 */
#define CV2X_VEHICLE_EVENT_STOP_LINE_VIOLATION (1u << 1)

/**
 * VehicleEventFlags bit 2: `eventABSactivated`.
 */
#define CV2X_VEHICLE_EVENT_ABS_ACTIVATED (1u << 2)

/**
 * VehicleEventFlags bit 3: `eventTractionControlLoss`.
 */
#define CV2X_VEHICLE_EVENT_TRACTION_CONTROL_LOSS (1u << 3)

/**
 * VehicleEventFlags bit 4: `eventStabilityControlactivated`.
 */
#define CV2X_VEHICLE_EVENT_STABILITY_CONTROL_ACTIVATED (1u << 4)

/**
 * VehicleEventFlags bit 5: `eventHazardousMaterials`.
 */
#define CV2X_VEHICLE_EVENT_HAZARDOUS_MATERIALS (1u << 5)

/**
 * VehicleEventFlags bit 7: `eventHardBraking`.
 */
#define CV2X_VEHICLE_EVENT_HARD_BRAKING (1u << 7)

/**
 * VehicleEventFlags bit 8: `eventLightsChanged`.
 */
#define CV2X_VEHICLE_EVENT_LIGHTS_CHANGED (1u << 8)

/**
 * VehicleEventFlags bit 9: `eventWipersChanged`.
 */
#define CV2X_VEHICLE_EVENT_WIPERS_CHANGED (1u << 9)

/**
 * VehicleEventFlags bit 10: `eventFlatTire`.
 */
#define CV2X_VEHICLE_EVENT_FLAT_TIRE (1u << 10)

/**
 * VehicleEventFlags bit 11: `eventDisabledVehicle`.
 */
#define CV2X_VEHICLE_EVENT_DISABLED_VEHICLE (1u << 11)

/**
 * VehicleEventFlags bit 12: `eventAirBagDeployment`.
 */
#define CV2X_VEHICLE_EVENT_AIRBAG_DEPLOYMENT (1u << 12)

/**
 * Older name of `CV2X_VEHICLE_EVENT_HAZARD_LIGHTS`.
 */
#define CV2X_EVENT_HAZARD_LIGHTS CV2X_VEHICLE_EVENT_HAZARD_LIGHTS

/**
 * Older name of `CV2X_VEHICLE_EVENT_HARD_BRAKING` (bit 7; version 1.0 of the header gave
 * it bit 3 by mistake, which is `eventTractionControlLoss`).
 */
#define CV2X_EVENT_HARD_BRAKING CV2X_VEHICLE_EVENT_HARD_BRAKING

/**
 * Frozen size of `cv2x_bsm`.
 */
#define CV2X_BSM_SIZE 200

/**
 * `cv2x_spat.present`: `moy` is set.
 */
#define CV2X_SPAT_HAS_MOY (1 << 0)

/**
 * `cv2x_spat.present`: `time_stamp` is set (2020 and 2019 sets).
 */
#define CV2X_SPAT_HAS_TIME_STAMP (1 << 1)

/**
 * `cv2x_spat.present`: `name` is set.
 */
#define CV2X_SPAT_HAS_NAME (1 << 2)

/**
 * Frozen size of `cv2x_spat`.
 */
#define CV2X_SPAT_SIZE 88

/**
 * `cv2x_spat_intersection.present`: `region` is set.
 */
#define CV2X_SPAT_INTERSECTION_HAS_REGION (1 << 0)

/**
 * `cv2x_spat_intersection.present`: `moy` is set.
 */
#define CV2X_SPAT_INTERSECTION_HAS_MOY (1 << 1)

/**
 * `cv2x_spat_intersection.present`: `time_stamp` is set.
 */
#define CV2X_SPAT_INTERSECTION_HAS_TIME_STAMP (1 << 2)

/**
 * `cv2x_spat_intersection.present`: `time_confidence` is set (2020 and 2019 sets).
 */
#define CV2X_SPAT_INTERSECTION_HAS_TIME_CONFIDENCE (1 << 3)

/**
 * Frozen size of `cv2x_spat_intersection`.
 */
#define CV2X_SPAT_INTERSECTION_SIZE 32

/**
 * Frozen size of `cv2x_spat_phase`.
 */
#define CV2X_SPAT_PHASE_SIZE 8

/**
 * `cv2x_spat_phase_state.light`: unavailable.
 */
#define CV2X_LIGHT_UNAVAILABLE 0

/**
 * `cv2x_spat_phase_state.light`: dark.
 */
#define CV2X_LIGHT_DARK 1

/**
 * `cv2x_spat_phase_state.light`: flashing red (2017: stop-then-proceed).
 */
#define CV2X_LIGHT_FLASHING_RED 2

/**
 * `cv2x_spat_phase_state.light`: red (2017: stop-and-remain).
 */
#define CV2X_LIGHT_RED 3

/**
 * `cv2x_spat_phase_state.light`: flashing green (2017: pre-movement).
 */
#define CV2X_LIGHT_FLASHING_GREEN 4

/**
 * `cv2x_spat_phase_state.light`: permissive green.
 */
#define CV2X_LIGHT_PERMISSIVE_GREEN 5

/**
 * `cv2x_spat_phase_state.light`: protected green.
 */
#define CV2X_LIGHT_PROTECTED_GREEN 6

/**
 * `cv2x_spat_phase_state.light`: yellow (2017: intersection clearance).
 */
#define CV2X_LIGHT_YELLOW 7

/**
 * `cv2x_spat_phase_state.light`: flashing yellow (2017: caution, conflicting traffic).
 */
#define CV2X_LIGHT_FLASHING_YELLOW 8

/**
 * `cv2x_spat_phase_state.present`: the timing is a countdown (TimeCountingDown: TimeMark
 * values are durations from now, 0.1 s).
 */
#define CV2X_PHASE_STATE_HAS_COUNTING (1 << 0)

/**
 * `cv2x_spat_phase_state.present`: the timing is UTC based (UTCTiming: TimeMark values are
 * the 0.1 s of the hour).
 */
#define CV2X_PHASE_STATE_HAS_UTC_TIMING (1 << 1)

/**
 * `cv2x_spat_phase_state.present`: `min_end_time` is set.
 */
#define CV2X_PHASE_STATE_HAS_MIN_END (1 << 2)

/**
 * `cv2x_spat_phase_state.present`: `max_end_time` is set.
 */
#define CV2X_PHASE_STATE_HAS_MAX_END (1 << 3)

/**
 * `cv2x_spat_phase_state.present`: `time_confidence` is set.
 */
#define CV2X_PHASE_STATE_HAS_TIME_CONFIDENCE (1 << 4)

/**
 * `cv2x_spat_phase_state.present`: `next_start_time` is set.
 */
#define CV2X_PHASE_STATE_HAS_NEXT_START (1 << 5)

/**
 * `cv2x_spat_phase_state.present`: `next_duration` is set (for UTC timing: nextEndUTCTime).
 */
#define CV2X_PHASE_STATE_HAS_NEXT_DURATION (1 << 6)

/**
 * Frozen size of `cv2x_spat_phase_state`.
 */
#define CV2X_SPAT_PHASE_STATE_SIZE 40

/**
 * `cv2x_rsm.present`: `ref_elevation` is set.
 */
#define CV2X_RSM_HAS_REF_ELEVATION (1 << 0)

/**
 * Frozen size of `cv2x_rsm`.
 */
#define CV2X_RSM_SIZE 32

/**
 * `cv2x_rsm_participant.present`: `id` is set.
 */
#define CV2X_PTC_HAS_ID (1 << 0)

/**
 * `cv2x_rsm_participant.present`: the position was sent as an absolute latitude/longitude
 * (`offset_lat`/`offset_lon` are then 0).
 */
#define CV2X_PTC_POS_ABSOLUTE (1 << 1)

/**
 * `cv2x_rsm_participant.present`: `elevation` is set.
 */
#define CV2X_PTC_HAS_ELEVATION (1 << 2)

/**
 * `cv2x_rsm_participant.present`: `elevation_confidence` is set.
 */
#define CV2X_PTC_HAS_ELEVATION_CONFIDENCE (1 << 3)

/**
 * `cv2x_rsm_participant.present`: `transmission` is set.
 */
#define CV2X_PTC_HAS_TRANSMISSION (1 << 4)

/**
 * `cv2x_rsm_participant.present`: `angle` is set.
 */
#define CV2X_PTC_HAS_ANGLE (1 << 5)

/**
 * `cv2x_rsm_participant.present`: `speed_confidence` is set.
 */
#define CV2X_PTC_HAS_SPEED_CONFIDENCE (1 << 6)

/**
 * `cv2x_rsm_participant.present`: `heading_confidence` is set.
 */
#define CV2X_PTC_HAS_HEADING_CONFIDENCE (1 << 7)

/**
 * `cv2x_rsm_participant.present`: `steering_confidence` is set.
 */
#define CV2X_PTC_HAS_STEERING_CONFIDENCE (1 << 8)

/**
 * `cv2x_rsm_participant.present`: `accel_*` and `yaw_rate` are set.
 */
#define CV2X_PTC_HAS_ACCEL (1 << 9)

/**
 * `cv2x_rsm_participant.present`: `height` is set.
 */
#define CV2X_PTC_HAS_HEIGHT (1 << 10)

/**
 * `cv2x_rsm_participant.present`: `vehicle_class` is set.
 */
#define CV2X_PTC_HAS_VEHICLE_CLASS (1 << 11)

/**
 * `cv2x_rsm_participant.present`: `fuel_type` is set.
 */
#define CV2X_PTC_HAS_FUEL_TYPE (1 << 12)

/**
 * Frozen size of `cv2x_rsm_participant`.
 */
#define CV2X_RSM_PARTICIPANT_SIZE 136

/**
 * A payload that is a UPER `MessageFrame`, to decode.
 */
#define CV2X_PAYLOAD_FRAME 1

/**
 * A payload that is an SPDU (`Ieee1609Dot2Data`), to verify first.
 */
#define CV2X_PAYLOAD_SPDU 2

/**
 * A whole DSMP packet (`cv2x_stack_ingest`: dispatched by its AID).
 */
#define CV2X_PAYLOAD_DSMP 3

/**
 * Message class: BasicSafetyMessage.
 */
#define CV2X_CLASS_BSM 1

/**
 * Message class: MapData.
 */
#define CV2X_CLASS_MAP 2

/**
 * Message class: SPAT.
 */
#define CV2X_CLASS_SPAT 3

/**
 * Message class: RoadSideInformation.
 */
#define CV2X_CLASS_RSI 4

/**
 * Message class: RoadsideSafetyMessage.
 */
#define CV2X_CLASS_RSM 5

/**
 * Message class: SensorSharingMsg (Day II).
 */
#define CV2X_CLASS_SSM 6

/**
 * Message class: VehIntentionAndRequest (Day II).
 */
#define CV2X_CLASS_VIR 7

/**
 * Message class: RoadsideCoordination (Day II).
 */
#define CV2X_CLASS_RSC 8

/**
 * Message class: PAMData (Day II).
 */
#define CV2X_CLASS_PAM 9

/**
 * Message class: PersonalSafetyMessage (Day II).
 */
#define CV2X_CLASS_PSM 10

/**
 * Message class: CLPMM platooning (Day II).
 */
#define CV2X_CLASS_CLPMM 11

/**
 * Message class: RTCMcorrections (Day II).
 */
#define CV2X_CLASS_RTCM 12

/**
 * Message class: VehiclePaymentMessage (Day II).
 */
#define CV2X_CLASS_VPM 13

/**
 * Message class: test messages (Day II AID 26 in deployed stacks).
 */
#define CV2X_CLASS_TEST 14

/**
 * `cv2x_dsmp_packet.present` / `cv2x_dsmp_emit` flags: the option indicator is set (an
 * extension field is present, possibly with zero elements).
 */
#define CV2X_DSMP_HAS_EXTENSIONS (1 << 0)

/**
 * Frozen size of `cv2x_dsmp_packet`.
 */
#define CV2X_DSMP_PACKET_SIZE 40

/**
 * `cv2x_dispatcher_new`: start with the Day I AID table (BSM, MAP, SPAT, RSI, RSM AIDs).
 */
#define CV2X_DISPATCH_DAY1 0

/**
 * `cv2x_dispatcher_new`: start with no AID.
 */
#define CV2X_DISPATCH_EMPTY 1

/**
 * `cv2x_dispatcher_set_framing`: buffers start with the DSMP header (the default).
 */
#define CV2X_FRAMING_DSMP 0

/**
 * `cv2x_dispatcher_set_framing`: buffers start with the adaptation-layer octet.
 */
#define CV2X_FRAMING_ADAPTATION 1

/**
 * `cv2x_dispatcher_set_security`: an SPDU is recognised by its first octets (the default).
 */
#define CV2X_SECURITY_DETECT 0

/**
 * `cv2x_dispatcher_set_security`: every payload is a plain frame.
 */
#define CV2X_SECURITY_PLAIN 1

/**
 * `cv2x_dispatcher_set_security`: every payload is an SPDU.
 */
#define CV2X_SECURITY_SIGNED 2

/**
 * Frozen size of `cv2x_dispatched`.
 */
#define CV2X_DISPATCHED_SIZE 40

/**
 * Frozen size of `cv2x_dispatch_counters`.
 */
#define CV2X_DISPATCH_COUNTERS_SIZE 192

/**
 * `cv2x_verifier_config.flags`: reject messages without a generation time (default on).
 */
#define CV2X_VERIFY_REQUIRE_GENERATION_TIME (1 << 0)

/**
 * `cv2x_verifier_config.flags`: reject messages without a generation location.
 */
#define CV2X_VERIFY_REQUIRE_GENERATION_LOCATION (1 << 1)

/**
 * `cv2x_verifier_config.flags`: keep checking after the first failure so that the report says
 * whether the signature is valid whatever else failed (the result stays the first failure).
 */
#define CV2X_VERIFY_DIAGNOSE (1 << 2)

/**
 * Most AIDs in `cv2x_verifier_config.accepted_aids`.
 */
#define CV2X_MAX_ACCEPTED_AIDS 16

/**
 * Largest cache or window size a config may ask for.
 */
#define CV2X_MAX_CACHE_CAPACITY (1 << 20)

/**
 * Frozen size of the first version of `cv2x_verifier_config`.
 */
#define CV2X_VERIFIER_CONFIG_SIZE_V1 184

/**
 * `alg` of `cv2x_crypto_backend.prepare_key` and `cv2x_signer_new`: ECDSA over NIST P-256.
 */
#define CV2X_KEY_ALG_ECDSA_P256 1

/**
 * `alg`: SM2.
 */
#define CV2X_KEY_ALG_SM2 2

/**
 * `cv2x_verify_report.signature_valid`: the message signature does not verify.
 */
#define CV2X_SIGNATURE_INVALID 0

/**
 * `cv2x_verify_report.signature_valid`: the message signature verifies.
 */
#define CV2X_SIGNATURE_VALID 1

/**
 * `cv2x_verify_report.signature_valid`: not checked (an earlier check failed).
 */
#define CV2X_SIGNATURE_UNKNOWN 2

/**
 * `cv2x_verify_report.present`: `signer_id8` is set.
 */
#define CV2X_REPORT_HAS_SIGNER (1 << 0)

/**
 * `cv2x_verify_report.present`: `aid` is set.
 */
#define CV2X_REPORT_HAS_AID (1 << 1)

/**
 * `cv2x_verify_report.present`: `generation_time` is set.
 */
#define CV2X_REPORT_HAS_GENERATION_TIME (1 << 2)

/**
 * `cv2x_verify_report.present`: `payload_offset`/`payload_len` are set (only on success).
 */
#define CV2X_REPORT_HAS_PAYLOAD (1 << 3)

/**
 * `cv2x_verify_report.present`: the chain is anchored: `anchor_id8`, `chain_length` set.
 */
#define CV2X_REPORT_CHAIN_ANCHORED (1 << 4)

/**
 * `cv2x_verify_report.present`: `certificate_request` holds the HashedId3 of an unknown signer
 * to request (P2PCD; rate-limited).
 */
#define CV2X_REPORT_HAS_CERTIFICATE_REQUEST (1 << 5)

/**
 * Frozen size of `cv2x_verify_report`.
 */
#define CV2X_VERIFY_REPORT_SIZE 80

/**
 * `cv2x_signer_set_mode`: name the signer by its certificate's HashedId8 (the default).
 */
#define CV2X_SIGNER_DIGEST 0

/**
 * `cv2x_signer_set_mode`: carry the whole signer certificate.
 */
#define CV2X_SIGNER_CERTIFICATE 1

/**
 * `cv2x_stack_config.flags`: every payload must be a verified SPDU.
 */
#define CV2X_STACK_REQUIRE_SIGNATURES (1u << 0)

/**
 * `cv2x_stack_config.flags`: report drops as `CV2X_EVENT_DROPPED` events (default on).
 */
#define CV2X_STACK_REPORT_DROPS (1u << 1)

/**
 * `cv2x_stack_config.flags`: report a `CV2X_EVENT_OBJECTS` event each poll (default on).
 */
#define CV2X_STACK_REPORT_OBJECTS (1u << 2)

/**
 * `cv2x_stack_config.flags`: `CV2X_PAYLOAD_DSMP` buffers start with the one-octet
 * adaptation-layer header (else with the DSMP header).
 */
#define CV2X_STACK_DSMP_ADAPTATION (1u << 3)

/**
 * Largest `max_tracks` a configuration may ask for (the track table is allocated up front).
 */
#define CV2X_MAX_TRACKS 65536

/**
 * Frozen size of the first version of `cv2x_stack_config`.
 */
#define CV2X_STACK_CONFIG_SIZE_V1 88

/**
 * Size of the second version of `cv2x_stack_config` (message sets).
 */
#define CV2X_STACK_CONFIG_SIZE_V2 104

/**
 * Size of the third version of `cv2x_stack_config` (verify on demand).
 */
#define CV2X_STACK_CONFIG_SIZE_V3 128

/**
 * `cv2x_stack_config.verify_policy`: every secured message is verified in full before
 * anything in it is used (the default).
 */
#define CV2X_VERIFY_ALWAYS 1

/**
 * `cv2x_stack_config.verify_policy`: vehicles' self-reports are verified when they matter
 * (verify on demand).
 */
#define CV2X_VERIFY_ON_DEMAND 2

/**
 * `cv2x_command.kind`: change lane (or merge): into `lane` of the link (`CV2X_COMMAND_HAS_LINK`)
 * when given, else into the lane next to the ego's on `side`.
 */
#define CV2X_COMMAND_LANE_CHANGE 1

/**
 * `cv2x_command.kind`: ask the vehicles ahead to clear the ego's lane for `duration_s`.
 */
#define CV2X_COMMAND_CLEAR_THE_WAY 2

/**
 * `cv2x_command.kind`: ask for signal priority at the next intersection.
 */
#define CV2X_COMMAND_SIGNAL_PRIORITY 3

/**
 * `cv2x_command.kind`: ask a parking lot (`lot`, any lot without `CV2X_COMMAND_HAS_LOT`) for a
 * slot: `services` (`ParkingRequest` bits, 0: enter and park), `kinds` (`ParkingType` bits,
 * with `CV2X_COMMAND_HAS_KINDS`), a preferred `slot` (`CV2X_COMMAND_HAS_SLOT`).
 */
#define CV2X_COMMAND_PARKING 4

/**
 * `cv2x_command.kind`: stop the parking guidance (and cancel the request).
 */
#define CV2X_COMMAND_CANCEL_PARKING 5

/**
 * `cv2x_command.kind`: ask to join the platoon `platoon` (`CV2X_COMMAND_HAS_PLATOON`), else the
 * nearest open one ahead.
 */
#define CV2X_COMMAND_JOIN_PLATOON 6

/**
 * `cv2x_command.kind`: leave the platoon (a leader dismisses it).
 */
#define CV2X_COMMAND_LEAVE_PLATOON 7

/**
 * `cv2x_command.kind`: lead a new platoon `platoon` with room for `capacity` (1..32) members.
 */
#define CV2X_COMMAND_LEAD_PLATOON 8

/**
 * `cv2x_command.present`: `upstream_*`, `downstream_*` and `link_lanes` name a map link.
 */
#define CV2X_COMMAND_HAS_LINK (1u << 0)

/**
 * `cv2x_command.present`: `lane` is set.
 */
#define CV2X_COMMAND_HAS_LANE (1u << 1)

/**
 * `cv2x_command.present`: `lot` is set.
 */
#define CV2X_COMMAND_HAS_LOT (1u << 2)

/**
 * `cv2x_command.present`: `kinds` is set.
 */
#define CV2X_COMMAND_HAS_KINDS (1u << 3)

/**
 * `cv2x_command.present`: `slot` is set.
 */
#define CV2X_COMMAND_HAS_SLOT (1u << 4)

/**
 * `cv2x_command.present`: `platoon` is set.
 */
#define CV2X_COMMAND_HAS_PLATOON (1u << 5)

/**
 * `cv2x_command.side`: left.
 */
#define CV2X_SIDE_LEFT 1

/**
 * `cv2x_command.side`: right.
 */
#define CV2X_SIDE_RIGHT 2

/**
 * Size of the first version of `cv2x_command`.
 */
#define CV2X_COMMAND_SIZE_V1 112

/**
 * `cv2x_warning_detail.present`: `decel_mps2` is set.
 */
#define CV2X_DETAIL_HAS_DECEL (1u << 0)

/**
 * `cv2x_warning_detail.present`: `road_kind` and `road_code` are set.
 */
#define CV2X_DETAIL_HAS_ROAD (1u << 1)

/**
 * `cv2x_warning_detail.present`: `road_value` is set.
 */
#define CV2X_DETAIL_HAS_ROAD_VALUE (1u << 2)

/**
 * `cv2x_warning_detail.present`: `road_priority` is set.
 */
#define CV2X_DETAIL_HAS_ROAD_PRIORITY (1u << 3)

/**
 * `cv2x_warning_detail.present`: `limit_kph` is set.
 */
#define CV2X_DETAIL_HAS_LIMIT (1u << 4)

/**
 * `cv2x_warning_detail.present`: `lane` is set.
 */
#define CV2X_DETAIL_HAS_LANE (1u << 5)

/**
 * `cv2x_warning_detail.present`: `speed_mps` is set.
 */
#define CV2X_DETAIL_HAS_SPEED (1u << 6)

/**
 * `cv2x_warning_detail.present`: `begin` is set.
 */
#define CV2X_DETAIL_HAS_BEGIN (1u << 7)

/**
 * `cv2x_warning_detail.present`: `end` is set.
 */
#define CV2X_DETAIL_HAS_END (1u << 8)

/**
 * `cv2x_warning_detail.present`: `distance_m` is set.
 */
#define CV2X_DETAIL_HAS_DISTANCE (1u << 9)

/**
 * `cv2x_warning_detail.present`: `remaining_m` is set.
 */
#define CV2X_DETAIL_HAS_REMAINING (1u << 10)

/**
 * `cv2x_warning_detail.present`: `gap_m` is set.
 */
#define CV2X_DETAIL_HAS_GAP (1u << 11)

/**
 * `cv2x_warning_detail.present`: `target_gap_m` is set.
 */
#define CV2X_DETAIL_HAS_TARGET_GAP (1u << 12)

/**
 * `cv2x_warning_detail.present`: `lot` is set.
 */
#define CV2X_DETAIL_HAS_LOT (1u << 13)

/**
 * `cv2x_warning_detail.present`: `slot` is set.
 */
#define CV2X_DETAIL_HAS_SLOT (1u << 14)

/**
 * `cv2x_warning_detail.present`: `next_node` is set.
 */
#define CV2X_DETAIL_HAS_NEXT_NODE (1u << 15)

/**
 * `cv2x_warning_detail.present`: `avp` is set.
 */
#define CV2X_DETAIL_HAS_AVP (1u << 16)

/**
 * `cv2x_warning_detail.present`: `index` is set.
 */
#define CV2X_DETAIL_HAS_INDEX (1u << 17)

/**
 * `cv2x_warning_detail.present`: `amount` is set.
 */
#define CV2X_DETAIL_HAS_AMOUNT (1u << 18)

/**
 * `cv2x_warning_detail.flags` (lane guidance): a tracked vehicle takes the gap the guidance
 * leads into.
 */
#define CV2X_DETAIL_GAP_TAKEN (1u << 0)

/**
 * `cv2x_warning_detail.flags` (lane guidance): it addresses the ego by its id (else the
 * ego's lane).
 */
#define CV2X_DETAIL_FOR_VEHICLE (1u << 1)

/**
 * `cv2x_warning_detail.flags` (yield): the ego's way out is to the right (else the left).
 */
#define CV2X_DETAIL_TO_RIGHT (1u << 2)

/**
 * `cv2x_warning_detail.flags` (parking): the target slot is no longer free or the route is
 * blocked.
 */
#define CV2X_DETAIL_BLOCKED (1u << 3)

/**
 * `cv2x_warning_detail.flags` (braking): from a roadside unit's guidance for the ego (else
 * from a traffic event).
 */
#define CV2X_DETAIL_FROM_ROADSIDE (1u << 4)

/**
 * `cv2x_warning_detail.road_kind`: a traffic event (`road_code` a GB/T 29100 event type).
 */
#define CV2X_ROAD_EVENT 1

/**
 * `cv2x_warning_detail.road_kind`: a traffic sign (`road_code` a GB 5768 sign type).
 */
#define CV2X_ROAD_SIGN 2

/**
 * `cv2x_warning_detail.guidance`: none.
 */
#define CV2X_GUIDANCE_NONE 0

/**
 * `guidance`: roadside lane guidance (MERGE): `behavior`, `lane` (target), `speed_mps`
 * (suggested), `begin` / `end` (time window), `points` (the guided path ahead), flags
 * `CV2X_DETAIL_GAP_TAKEN`, `CV2X_DETAIL_FOR_VEHICLE`.
 */
#define CV2X_GUIDANCE_LANE 1

/**
 * `guidance`: yield to a priority vehicle (CLEAR_THE_WAY): `lane` to clear, `distance_m`
 * of the vehicle behind, flag `CV2X_DETAIL_TO_RIGHT`.
 */
#define CV2X_GUIDANCE_YIELD 2

/**
 * `guidance`: a request of the ego: `request` (`CV2X_REQUEST_*`), `request_id`, `state`
 * (`CV2X_REQUEST_STATE_*`).
 */
#define CV2X_GUIDANCE_REQUEST 3

/**
 * `guidance`: parking route (PARKING): `lot`, `slot`, `next_node`, `state`
 * (`CV2X_MANEUVER_*`), `distance_m` (to the maneuver), `remaining_m`, `free_slots`,
 * `total_slots`, `avp` (0..5), flag `CV2X_DETAIL_BLOCKED`.
 */
#define CV2X_GUIDANCE_PARKING 4

/**
 * `guidance`: platooning (PLATOON): `state` (`CV2X_PLATOON_STATE_*`), `role`
 * (`CV2X_PLATOON_*`), `index`, `members`, `gap_m`, `target_gap_m`, `speed_mps` (advised).
 */
#define CV2X_GUIDANCE_PLATOON 5

/**
 * `guidance`: near-field payment (VNFP): `state` (`CV2X_PAYMENT_*`), `request` (the
 * service, `CV2X_PAYMENT_SERVICE_*`), `amount`.
 */
#define CV2X_GUIDANCE_PAYMENT 6

/**
 * `guidance`: a braking request (CEB): flag `CV2X_DETAIL_FROM_ROADSIDE`.
 */
#define CV2X_GUIDANCE_BRAKING 7

/**
 * `request` of `CV2X_GUIDANCE_REQUEST`: lane change or merge.
 */
#define CV2X_REQUEST_LANE_CHANGE 1

/**
 * `request`: clear the way.
 */
#define CV2X_REQUEST_CLEAR_THE_WAY 2

/**
 * `request`: signal priority.
 */
#define CV2X_REQUEST_SIGNAL_PRIORITY 3

/**
 * `request`: a parking space.
 */
#define CV2X_REQUEST_PARKING 4

/**
 * `state` of `CV2X_GUIDANCE_REQUEST`: sent, no answer yet.
 */
#define CV2X_REQUEST_STATE_SENT 1

/**
 * `state`: confirmed by the addressee.
 */
#define CV2X_REQUEST_STATE_CONFIRMED 2

/**
 * `state`: refused or cancelled by the addressee.
 */
#define CV2X_REQUEST_STATE_REFUSED 3

/**
 * `state`: completed.
 */
#define CV2X_REQUEST_STATE_COMPLETED 4

/**
 * `state`: unanswered until its lifetime ended.
 */
#define CV2X_REQUEST_STATE_EXPIRED 5

/**
 * `state` of `CV2X_GUIDANCE_PARKING`: go straight on at the next node.
 */
#define CV2X_MANEUVER_STRAIGHT 1

/**
 * `state` of `CV2X_GUIDANCE_PARKING`: turn left at the next node.
 */
#define CV2X_MANEUVER_LEFT 2

/**
 * `state` of `CV2X_GUIDANCE_PARKING`: turn right at the next node.
 */
#define CV2X_MANEUVER_RIGHT 3

/**
 * `state` of `CV2X_GUIDANCE_PARKING`: turn back at the next node.
 */
#define CV2X_MANEUVER_U_TURN 4

/**
 * `state` of `CV2X_GUIDANCE_PARKING`: the target slot is ahead.
 */
#define CV2X_MANEUVER_ARRIVE 5

/**
 * `state` of `CV2X_GUIDANCE_PLATOON`: not in a platoon.
 */
#define CV2X_PLATOON_STATE_FREE 1

/**
 * `state` of `CV2X_GUIDANCE_PLATOON`: asking a platoon to join.
 */
#define CV2X_PLATOON_STATE_REQUESTING 2

/**
 * `state` of `CV2X_GUIDANCE_PLATOON`: admitted, joining.
 */
#define CV2X_PLATOON_STATE_JOINING 3

/**
 * `state` of `CV2X_GUIDANCE_PLATOON`: a member.
 */
#define CV2X_PLATOON_STATE_MEMBER 4

/**
 * `state` of `CV2X_GUIDANCE_PLATOON`: asking to leave, or leaving.
 */
#define CV2X_PLATOON_STATE_LEAVING 5

/**
 * `state` of `CV2X_GUIDANCE_PLATOON`: the join request was refused or not answered in time.
 */
#define CV2X_PLATOON_STATE_REFUSED 6

/**
 * `state` of `CV2X_GUIDANCE_PAYMENT`: a service the account takes part in is offered.
 */
#define CV2X_PAYMENT_OFFERED 1

/**
 * `state` of `CV2X_GUIDANCE_PAYMENT`: the transaction is under way.
 */
#define CV2X_PAYMENT_PAYING 2

/**
 * `state` of `CV2X_GUIDANCE_PAYMENT`: the roadside reported the payment done.
 */
#define CV2X_PAYMENT_PAID 3

/**
 * `state` of `CV2X_GUIDANCE_PAYMENT`: the payment failed, or the account refused.
 */
#define CV2X_PAYMENT_FAILED 4

/**
 * `state` of `CV2X_GUIDANCE_PAYMENT`: contact the operator.
 */
#define CV2X_PAYMENT_CONTACT_OPERATOR 5

/**
 * `request` of `CV2X_GUIDANCE_PAYMENT`: system management.
 */
#define CV2X_PAYMENT_SERVICE_SYSTEM 1

/**
 * `request` of `CV2X_GUIDANCE_PAYMENT`: free-flow toll.
 */
#define CV2X_PAYMENT_SERVICE_FREEFLOW 2

/**
 * `request` of `CV2X_GUIDANCE_PAYMENT`: closed toll system.
 */
#define CV2X_PAYMENT_SERVICE_ENCLOSED 3

/**
 * `request` of `CV2X_GUIDANCE_PAYMENT`: congestion charge.
 */
#define CV2X_PAYMENT_SERVICE_CONGESTION 4

/**
 * `request` of `CV2X_GUIDANCE_PAYMENT`: energy charging.
 */
#define CV2X_PAYMENT_SERVICE_CHARGING 5

/**
 * `request` of `CV2X_GUIDANCE_PAYMENT`: parking.
 */
#define CV2X_PAYMENT_SERVICE_PARKING 6

/**
 * `request` of `CV2X_GUIDANCE_PAYMENT`: an extension value.
 */
#define CV2X_PAYMENT_SERVICE_OTHER 255

/**
 * Most path points in `cv2x_warning_detail`.
 */
#define CV2X_DETAIL_MAX_POINTS 4

/**
 * Size of the first version of `cv2x_warning_detail`.
 */
#define CV2X_WARNING_DETAIL_SIZE_V1 344

/**
 * `cv2x_event.kind`: a warning was raised or changed (`warning.change` says which).
 */
#define CV2X_EVENT_WARNING 1

/**
 * `cv2x_event.kind`: a warning ended (`warning` is the warning as last shown, `warning.id`
 * the id it was raised with).
 */
#define CV2X_EVENT_WARNING_CLEARED 2

/**
 * `cv2x_event.kind`: the fused objects were updated (`count` objects;
 * `cv2x_stack_objects` gives them).
 */
#define CV2X_EVENT_OBJECTS 3

/**
 * `cv2x_event.kind`: a message or part of one was dropped (`drop` says why).
 */
#define CV2X_EVENT_DROPPED 4

/**
 * `cv2x_event.kind`: a Day II message was received (`day2` says what it told).
 */
#define CV2X_EVENT_DAY2 5

/**
 * `cv2x_event.kind`: the poll produced messages to send; `count` are waiting
 * (`cv2x_stack_next_transmission`).
 */
#define CV2X_EVENT_TRANSMIT 6

/**
 * `cv2x_event.kind`: a frame of an older message set was lifted into the 2020 model and the
 * lift lost or changed something: `set` is the frame's set (`CV2X_STD_*`), `count` how many
 * values were lost or changed (reported when `CV2X_SETS_REPORT` is on; always counted in
 * `lifted_with_changes`).
 */
#define CV2X_EVENT_LIFTED 7

/**
 * `cv2x_event.kind`: several message sets read a frame with different meanings: `sets` are
 * those sets (`CV2X_SETS_*` bits), `set` the one that decided (the configured default, else
 * the newest). Counted in `ambiguous_frames`.
 */
#define CV2X_EVENT_AMBIGUOUS 8

/**
 * `cv2x_event.kind`: an event of a kind newer than this version of the ABI.
 */
#define CV2X_EVENT_OTHER 255

/**
 * `cv2x_warning.change` of a snapshot entry (`cv2x_stack_warnings`): no change reported.
 */
#define CV2X_WARNING_ACTIVE 0

/**
 * `cv2x_warning.change`: the warning started (a new id).
 */
#define CV2X_WARNING_RAISED 1

/**
 * `cv2x_warning.change`: its level or content changed (advice, target); the id stays.
 */
#define CV2X_WARNING_UPDATED 2

/**
 * `cv2x_warning.change` of a `CV2X_EVENT_WARNING_CLEARED` event: it ended.
 */
#define CV2X_WARNING_CLEARED 3

/**
 * Forward collision warning.
 */
#define CV2X_APP_FCW 1

/**
 * Intersection collision warning.
 */
#define CV2X_APP_ICW 2

/**
 * Left turn assist.
 */
#define CV2X_APP_LTA 3

/**
 * Blind spot warning.
 */
#define CV2X_APP_BSW 4

/**
 * Lane change warning.
 */
#define CV2X_APP_LCW 5

/**
 * Do not pass warning.
 */
#define CV2X_APP_DNPW 6

/**
 * Emergency brake warning.
 */
#define CV2X_APP_EBW 7

/**
 * Abnormal vehicle warning.
 */
#define CV2X_APP_AVW 8

/**
 * Control loss warning.
 */
#define CV2X_APP_CLW 9

/**
 * Hazardous location warning.
 */
#define CV2X_APP_HLW 10

/**
 * Speed limit warning.
 */
#define CV2X_APP_SLW 11

/**
 * Red light violation warning.
 */
#define CV2X_APP_RLVW 12

/**
 * Vulnerable road user collision warning.
 */
#define CV2X_APP_VRUCW 13

/**
 * Green light optimal speed advisory.
 */
#define CV2X_APP_GLOSA 14

/**
 * In-vehicle signage.
 */
#define CV2X_APP_IVS 15

/**
 * Traffic jam warning.
 */
#define CV2X_APP_TJW 16

/**
 * Emergency vehicle warning.
 */
#define CV2X_APP_EVW 17

/**
 * Cooperative merging and diverging, lane guidance and cooperative lane change (Day II RSC,
 * VIR lane-change requests).
 */
#define CV2X_APP_MERGE 18

/**
 * Clear the way for a priority vehicle (Day II VIR clear-the-way requests, received and sent).
 */
#define CV2X_APP_CLEAR_THE_WAY 19

/**
 * Signal priority for an emergency or transit ego (Day II VIR signal-priority requests).
 */
#define CV2X_APP_SIGNAL_PRIORITY 20

/**
 * Parking guidance (Day II PAM, VIR parking requests).
 */
#define CV2X_APP_PARKING 21

/**
 * Platooning (Day II CLPMM).
 */
#define CV2X_APP_PLATOON 22

/**
 * Vehicle near-field payment (Day II VPM).
 */
#define CV2X_APP_VNFP 23

/**
 * Cooperative emergency braking: a braking request from the roadside.
 */
#define CV2X_APP_CEB 24

/**
 * An application newer than this version of the ABI.
 */
#define CV2X_APP_OTHER 65535

/**
 * Every application (`cv2x_stack_config.apps`): bit `CV2X_APP_x - 1` per application
 * (`CV2X_APP_BIT(CV2X_APP_FCW)`). The Day II applications (`CV2X_APP_MERGE` ..
 * `CV2X_APP_CEB`) are bits 17..23: a program built when this mask had 17 bits runs the Day I
 * applications only.
 */
#define CV2X_APPS_ALL ((1u << 24) - 1)

/**
 * `cv2x_warning.level`: information (GLOSA, SLW, IVS and other advice).
 */
#define CV2X_LEVEL_ADVISORY 1

/**
 * `cv2x_warning.level`: a hazard that needs the driver's attention.
 */
#define CV2X_LEVEL_WARNING 2

/**
 * `cv2x_warning.level`: an imminent hazard.
 */
#define CV2X_LEVEL_ALERT 3

/**
 * `cv2x_warning.target`: a fused object (`track_id`).
 */
#define CV2X_TARGET_OBJECT 1

/**
 * `cv2x_warning.target`: a place (a stop line, an RSI event or sign; `place_id`).
 */
#define CV2X_TARGET_PLACE 2

/**
 * `cv2x_warning.target`: the ego itself (e.g. its speed).
 */
#define CV2X_TARGET_EGO 3

/**
 * `cv2x_warning.advice`: none.
 */
#define CV2X_ADVICE_NONE 0

/**
 * `cv2x_warning.advice`: drive between `advice_min_kph` and `advice_max_kph`.
 */
#define CV2X_ADVICE_SPEED_RANGE 1

/**
 * `cv2x_warning.advice`: keep the current speed.
 */
#define CV2X_ADVICE_KEEP_SPEED 2

/**
 * `cv2x_warning.advice`: prepare to stop.
 */
#define CV2X_ADVICE_STOP 3

/**
 * `cv2x_warning.present`: `ttc_s` is set.
 */
#define CV2X_WARNING_HAS_TTC (1u << 0)

/**
 * `cv2x_warning.present`: `distance_m` is set.
 */
#define CV2X_WARNING_HAS_DISTANCE (1u << 1)

/**
 * `cv2x_warning.present`: `x_m`, `y_m`, `lat_deg`, `lon_deg` are set (object and place
 * targets).
 */
#define CV2X_WARNING_HAS_POSITION (1u << 2)

/**
 * `cv2x_warning.present`: `raised_at` is set (snapshots; raised events).
 */
#define CV2X_WARNING_HAS_RAISED_AT (1u << 3)

/**
 * Frozen size of `cv2x_warning`.
 */
#define CV2X_WARNING_SIZE 136

/**
 * `cv2x_drop.reason`: longer than `max_message_bytes`.
 */
#define CV2X_DROP_TOO_LARGE 1

/**
 * `cv2x_drop.reason`: an SPDU and no verifier (`cv2x_stack_set_verifier`).
 */
#define CV2X_DROP_NO_VERIFIER 2

/**
 * `cv2x_drop.reason`: a plain message while signatures are required.
 */
#define CV2X_DROP_UNSIGNED 3

/**
 * `cv2x_drop.reason`: verification failed; `detail` is the `CV2X_ERR_SEC_*` code.
 */
#define CV2X_DROP_VERIFY 4

/**
 * `cv2x_drop.reason`: UPER decoding failed; `detail` is the `CV2X_ERR_CODEC_*` code.
 */
#define CV2X_DROP_DECODE 5

/**
 * `cv2x_drop.reason`: the ego's own message.
 */
#define CV2X_DROP_OWN_MESSAGE 6

/**
 * `cv2x_drop.reason`: a message type the stack does not use (RTCM, VPM, test messages,
 * unknown extensions).
 */
#define CV2X_DROP_UNSUPPORTED 7

/**
 * `cv2x_drop.reason`: a report could not be converted; `detail` is `CV2X_ADAPT_*`.
 */
#define CV2X_DROP_ADAPT 8

/**
 * `cv2x_drop.reason`: the fusion core rejected a report; `detail` is `CV2X_REJECT_*`.
 */
#define CV2X_DROP_FUSION 9

/**
 * `cv2x_drop.reason`: a bounded buffer was full; `detail` is `CV2X_STORE_*`.
 */
#define CV2X_DROP_STORE_FULL 10

/**
 * `cv2x_drop.reason`: a poll or an ego state with a time before the previous one.
 */
#define CV2X_DROP_TIME_WENT_BACKWARDS 11

/**
 * `cv2x_drop.reason`: an ego state was refused.
 */
#define CV2X_DROP_EGO_REJECTED 12

/**
 * `cv2x_drop.reason`: a message due could not be built, signed or framed.
 */
#define CV2X_DROP_TRANSMIT_FAILED 13

/**
 * `cv2x_drop.reason`: a `CV2X_PAYLOAD_DSMP` packet could not be dispatched; `detail` is the
 * `CV2X_ERR_NET_*` code (unknown AID, malformed, ...).
 */
#define CV2X_DROP_NETWORK 14

/**
 * `cv2x_drop.reason`: verify on demand: a sender's message, used before its signature was
 * verified, failed the verification, and what the sender reported unverified was taken back
 * from the world and the tracker; `detail` is the `CV2X_ERR_SEC_*` code.
 */
#define CV2X_DROP_RETRACTED 15

/**
 * `cv2x_drop.reason`: a reason newer than this version of the ABI.
 */
#define CV2X_DROP_OTHER 255

/**
 * `cv2x_drop.detail` of `CV2X_DROP_ADAPT`: `secMark` reserved or unavailable.
 */
#define CV2X_ADAPT_TIME_UNAVAILABLE 1

/**
 * `cv2x_drop.detail` of `CV2X_DROP_ADAPT`: position unavailable or out of range.
 */
#define CV2X_ADAPT_POSITION_UNAVAILABLE 2

/**
 * `cv2x_drop.detail` of `CV2X_DROP_ADAPT`: a reason newer than this version of the ABI.
 */
#define CV2X_ADAPT_OTHER 255

/**
 * `cv2x_drop.detail` of `CV2X_DROP_FUSION`: a value was NaN or infinite.
 */
#define CV2X_REJECT_NON_FINITE 1

/**
 * `CV2X_DROP_FUSION`: a value outside its physical range.
 */
#define CV2X_REJECT_OUT_OF_RANGE 2

/**
 * `CV2X_DROP_FUSION`: older than the fusion's `max_age_ms`.
 */
#define CV2X_REJECT_TOO_OLD 3

/**
 * `CV2X_DROP_FUSION`: later than the fusion time by more than `max_future_ms`.
 */
#define CV2X_REJECT_FROM_FUTURE 4

/**
 * `CV2X_DROP_FUSION`: not newer than an already fused report of the same object.
 */
#define CV2X_REJECT_OUT_OF_SEQUENCE 5

/**
 * `CV2X_DROP_FUSION`: a newer report of the same object came in the same cycle.
 */
#define CV2X_REJECT_SUPERSEDED 6

/**
 * `CV2X_DROP_FUSION`: an ego-frame report without an ego pose around its time.
 */
#define CV2X_REJECT_NO_EGO_POSE 7

/**
 * `CV2X_DROP_FUSION`: the pending queue was full.
 */
#define CV2X_REJECT_QUEUE_FULL 8

/**
 * `CV2X_DROP_FUSION`: the report is the ego itself (by its vehicle id).
 */
#define CV2X_REJECT_EGO_BY_ID 9

/**
 * `CV2X_DROP_FUSION`: the report is the ego itself (by position and motion).
 */
#define CV2X_REJECT_EGO_BY_GATE 10

/**
 * `CV2X_DROP_FUSION`: no room in the track table.
 */
#define CV2X_REJECT_TRACK_TABLE_FULL 11

/**
 * Rejected by the fusion core for a reason this ABI version does not name.
 */
#define CV2X_REJECT_OTHER 255

/**
 * `cv2x_drop.detail` of `CV2X_DROP_STORE_FULL`: the event queue.
 */
#define CV2X_STORE_EVENTS 1

/**
 * `CV2X_DROP_STORE_FULL`: the per-message observation buffer.
 */
#define CV2X_STORE_OBSERVATIONS 2

/**
 * `CV2X_DROP_STORE_FULL`: the table of active warnings.
 */
#define CV2X_STORE_WARNINGS 3

/**
 * `CV2X_DROP_STORE_FULL`: the queue of messages to send.
 */
#define CV2X_STORE_TRANSMISSIONS 4

/**
 * `CV2X_DROP_STORE_FULL`: the commands waiting for the next poll (`cv2x_stack_command`).
 */
#define CV2X_STORE_COMMANDS 5

/**
 * `CV2X_DROP_STORE_FULL`: a buffer newer than this version of the ABI.
 */
#define CV2X_STORE_OTHER 255

/**
 * `cv2x_day2_event.kind`: roadside coordination (RSC): driving suggestions.
 */
#define CV2X_DAY2_COORDINATION 1

/**
 * `cv2x_day2_event.kind`: a vehicle's intention and requests (VIR).
 */
#define CV2X_DAY2_INTENTION 2

/**
 * `cv2x_day2_event.kind`: parking area information (PAM).
 */
#define CV2X_DAY2_PARKING 3

/**
 * `cv2x_day2_event.kind`: platooning management (CLPMM).
 */
#define CV2X_DAY2_PLATOON 4

/**
 * `cv2x_day2_event.kind`: sensor sharing (SSM).
 */
#define CV2X_DAY2_SENSOR_SHARING 5

/**
 * `cv2x_day2_event.kind`: vehicle payment (VPM).
 */
#define CV2X_DAY2_PAYMENT 6

/**
 * `cv2x_day2_event.kind`: a service this header does not name yet.
 */
#define CV2X_DAY2_OTHER 255

/**
 * `cv2x_day2_event.present`: `sender` is set.
 */
#define CV2X_DAY2_HAS_SENDER (1u << 0)

/**
 * `cv2x_day2_event.present`: `lot_id` is set.
 */
#define CV2X_DAY2_HAS_LOT_ID (1u << 1)

/**
 * `cv2x_day2_event.present`: `recommended_speed_mps` is set.
 */
#define CV2X_DAY2_HAS_RECOMMENDED_SPEED (1u << 2)

/**
 * `cv2x_day2_event.flags`: the message addresses the ego (a coordination for it, a request
 * targeting it, parking guidance for it, the ego a platoon member).
 */
#define CV2X_DAY2_FOR_EGO (1u << 0)

/**
 * `cv2x_day2_event.flags`: the platoon accepts joining vehicles.
 */
#define CV2X_DAY2_OPEN_TO_JOIN (1u << 1)

/**
 * `cv2x_day2_event.role`: platoon leader.
 */
#define CV2X_PLATOON_LEADER 1

/**
 * `cv2x_day2_event.role`: follower.
 */
#define CV2X_PLATOON_FOLLOWER 2

/**
 * `cv2x_day2_event.role`: tail.
 */
#define CV2X_PLATOON_TAIL 3

/**
 * `cv2x_day2_event.role`: not in a platoon.
 */
#define CV2X_PLATOON_FREE 4

/**
 * `cv2x_day2_event.role`: another value.
 */
#define CV2X_PLATOON_OTHER 5

/**
 * Frozen size of `cv2x_day2_event`.
 */
#define CV2X_DAY2_EVENT_SIZE 80

/**
 * Frozen size of `cv2x_event`.
 */
#define CV2X_EVENT_SIZE 256

/**
 * `cv2x_ingest_outcome.message`: a remote vehicle's BSM.
 */
#define CV2X_INGESTED_BSM 1

/**
 * `cv2x_ingest_outcome.message`: a PSM.
 */
#define CV2X_INGESTED_PSM 2

/**
 * `cv2x_ingest_outcome.message`: an RSM (`count` participants converted).
 */
#define CV2X_INGESTED_RSM 3

/**
 * `cv2x_ingest_outcome.message`: a sensor-sharing message (`count` objects converted).
 */
#define CV2X_INGESTED_SSM 4

/**
 * `cv2x_ingest_outcome.message`: a MAP (`count` intersections stored).
 */
#define CV2X_INGESTED_MAP 5

/**
 * `cv2x_ingest_outcome.message`: a SPAT (`count` intersections stored).
 */
#define CV2X_INGESTED_SPAT 6

/**
 * `cv2x_ingest_outcome.message`: an RSI (`count` events and signs stored).
 */
#define CV2X_INGESTED_RSI 7

/**
 * `cv2x_ingest_outcome.message`: another Day II message (`count` is its `messageId`).
 */
#define CV2X_INGESTED_DAY2 8

/**
 * `cv2x_ingest_outcome.message`: a kind newer than this version of the ABI.
 */
#define CV2X_INGESTED_OTHER 255

/**
 * Frozen size of `cv2x_ingest_outcome`.
 */
#define CV2X_INGEST_OUTCOME_SIZE 32

/**
 * `cv2x_host_config.flags`: derive events from the state as SAE J2945/1 does (hazard lights,
 * ABS / traction / stability control engaged, hard braking) in addition to those reported
 * (default on).
 */
#define CV2X_HOST_DERIVE_EVENTS (1u << 0)

/**
 * `cv2x_host_config.flags`: hold the heading sent below walking pace (default on).
 */
#define CV2X_HOST_HEADING_LATCH (1u << 1)

/**
 * `cv2x_host_config.flags`: share the onboard tracks in sensor-sharing messages (SSM) under
 * `ssm_aid` every `ssm_interval_ms`.
 */
#define CV2X_HOST_SSM (1u << 2)

/**
 * `cv2x_host_config.flags`: send T/CSAE 53-2017 BSMs (else T/CSAE 53-2020).
 */
#define CV2X_HOST_BSM_2017 (1u << 3)

/**
 * `cv2x_host_config.flags`: change pseudonym after `pseudonym_interval_ms`.
 */
#define CV2X_HOST_PSEUDONYM_INTERVAL (1u << 4)

/**
 * `cv2x_host_config.flags`: change pseudonym after `pseudonym_distance_m` driven (with
 * `CV2X_HOST_PSEUDONYM_INTERVAL`, after both).
 */
#define CV2X_HOST_PSEUDONYM_DISTANCE (1u << 5)

/**
 * Frozen size of the first version of `cv2x_host_config`.
 */
#define CV2X_HOST_CONFIG_SIZE_V1 112

/**
 * `cv2x_transmission_info.kind`: a BasicSafetyMessage.
 */
#define CV2X_TX_BSM 1

/**
 * `cv2x_transmission_info.kind`: a SensorSharingMsg.
 */
#define CV2X_TX_SSM 2

/**
 * `cv2x_transmission_info.kind`: a vehicle intention and request (Day II VIR) of a
 * cooperative application (a request of the ego, `cv2x_stack_command`).
 */
#define CV2X_TX_VIR 3

/**
 * `cv2x_transmission_info.kind`: a platooning management message (Day II CLPMM).
 */
#define CV2X_TX_CLPMM 4

/**
 * `cv2x_transmission_info.kind`: a vehicle payment message (Day II VPM).
 */
#define CV2X_TX_VPM 5

/**
 * A kind of message this ABI version does not name.
 */
#define CV2X_TX_OTHER 255

/**
 * `cv2x_transmission_info.flags`: sent while an event is reported (a BSM under an event AID).
 */
#define CV2X_TX_EVENT (1u << 0)

/**
 * `cv2x_transmission_info.flags`: signed (the DSMP data is an SPDU; `certificate_id8` set).
 */
#define CV2X_TX_SIGNED (1u << 1)

/**
 * `cv2x_transmission_info.flags`: the SPDU carries the whole certificate (else its digest).
 */
#define CV2X_TX_FULL_CERTIFICATE (1u << 2)

/**
 * `cv2x_transmission_info.flags`: the first message of a new pseudonym (new id, counters,
 * path history and certificate).
 */
#define CV2X_TX_PSEUDONYM_CHANGED (1u << 3)

/**
 * Frozen size of `cv2x_transmission_info`.
 */
#define CV2X_TRANSMISSION_INFO_SIZE 64

/**
 * `cv2x_ego.present`: a position fix: `fix_time`, `lat_deg`, `lon_deg`, `fix_quality`
 * (clear it during a GNSS outage).
 */
#define CV2X_EGO_HAS_FIX (1ull << 0)

/**
 * `cv2x_ego.present`: `heading_deg` is set.
 */
#define CV2X_EGO_HAS_HEADING (1ull << 1)

/**
 * `cv2x_ego.present`: `speed_mps` is set.
 */
#define CV2X_EGO_HAS_SPEED (1ull << 2)

/**
 * `cv2x_ego.present`: `elevation_m` is set (needs a fix).
 */
#define CV2X_EGO_HAS_ELEVATION (1ull << 3)

/**
 * `cv2x_ego.present`: the GNSS error ellipse `semi_major_m`, `semi_minor_m`,
 * `orientation_deg` (one standard deviation) is set.
 */
#define CV2X_EGO_HAS_ACCURACY (1ull << 4)

/**
 * `cv2x_ego.present`: `elevation_accuracy_m_95` is set.
 */
#define CV2X_EGO_HAS_ELEVATION_ACCURACY (1ull << 5)

/**
 * `cv2x_ego.present`: `time_accuracy_s_95` is set.
 */
#define CV2X_EGO_HAS_TIME_ACCURACY (1ull << 6)

/**
 * `cv2x_ego.present`: `yaw_rate_dps` is set.
 */
#define CV2X_EGO_HAS_YAW_RATE (1ull << 7)

/**
 * `cv2x_ego.present`: `accel_long_mps2` is set.
 */
#define CV2X_EGO_HAS_ACCEL_LONG (1ull << 8)

/**
 * `cv2x_ego.present`: `accel_lat_mps2` is set.
 */
#define CV2X_EGO_HAS_ACCEL_LAT (1ull << 9)

/**
 * `cv2x_ego.present`: `accel_vert_mps2` is set.
 */
#define CV2X_EGO_HAS_ACCEL_VERT (1ull << 10)

/**
 * `cv2x_ego.present`: `steering_wheel_angle_deg` is set.
 */
#define CV2X_EGO_HAS_STEERING (1ull << 11)

/**
 * `cv2x_ego.present`: `speed_accuracy_mps_95` is set.
 */
#define CV2X_EGO_HAS_SPEED_ACCURACY (1ull << 12)

/**
 * `cv2x_ego.present`: `heading_accuracy_deg_95` is set.
 */
#define CV2X_EGO_HAS_HEADING_ACCURACY (1ull << 13)

/**
 * `cv2x_ego.present`: `transmission` is set.
 */
#define CV2X_EGO_HAS_TRANSMISSION (1ull << 14)

/**
 * `cv2x_ego.present`: `lights` is set (the lights are known; 0 = all off).
 */
#define CV2X_EGO_HAS_LIGHTS (1ull << 15)

/**
 * `cv2x_ego.present`: `brake_pedal` is set.
 */
#define CV2X_EGO_HAS_BRAKE_PEDAL (1ull << 16)

/**
 * `cv2x_ego.present`: `wheel_brakes` is set.
 */
#define CV2X_EGO_HAS_WHEEL_BRAKES (1ull << 17)

/**
 * `cv2x_ego.present`: `abs` is set.
 */
#define CV2X_EGO_HAS_ABS (1ull << 18)

/**
 * `cv2x_ego.present`: `traction` is set.
 */
#define CV2X_EGO_HAS_TRACTION (1ull << 19)

/**
 * `cv2x_ego.present`: `stability` is set.
 */
#define CV2X_EGO_HAS_STABILITY (1ull << 20)

/**
 * `cv2x_ego.present`: `brake_boost` is set.
 */
#define CV2X_EGO_HAS_BRAKE_BOOST (1ull << 21)

/**
 * `cv2x_ego.present`: `aux_brakes` is set.
 */
#define CV2X_EGO_HAS_AUX_BRAKES (1ull << 22)

/**
 * `cv2x_ego.present`: `length_m` and `width_m` are set.
 */
#define CV2X_EGO_HAS_SIZE (1ull << 23)

/**
 * `cv2x_ego.present`: `height_m` is set (with `CV2X_EGO_HAS_SIZE`).
 */
#define CV2X_EGO_HAS_HEIGHT (1ull << 24)

/**
 * `cv2x_ego.present`: `vehicle_class` is set.
 */
#define CV2X_EGO_HAS_CLASS (1ull << 25)

/**
 * `cv2x_ego.present`: `fuel_type` is set (with `CV2X_EGO_HAS_CLASS`).
 */
#define CV2X_EGO_HAS_FUEL_TYPE (1ull << 26)

/**
 * `cv2x_ego.present`: the vehicle is a special (emergency, service) vehicle; its
 * `response`, `siren` and `light_bar` are given by the three bits below.
 */
#define CV2X_EGO_HAS_EMERGENCY (1ull << 27)

/**
 * `cv2x_ego.present`: `response` is set (with `CV2X_EGO_HAS_EMERGENCY`).
 */
#define CV2X_EGO_HAS_RESPONSE (1ull << 28)

/**
 * `cv2x_ego.present`: `siren` is set (with `CV2X_EGO_HAS_EMERGENCY`).
 */
#define CV2X_EGO_HAS_SIREN (1ull << 29)

/**
 * `cv2x_ego.present`: `light_bar` is set (with `CV2X_EGO_HAS_EMERGENCY`).
 */
#define CV2X_EGO_HAS_LIGHT_BAR (1ull << 30)

/**
 * `cv2x_ego.fix_quality`: no fix (the position is not to be used).
 */
#define CV2X_FIX_NONE 0

/**
 * `cv2x_ego.fix_quality`: two-dimensional fix.
 */
#define CV2X_FIX_2D 1

/**
 * `cv2x_ego.fix_quality`: three-dimensional fix (`cv2x_ego_init`'s).
 */
#define CV2X_FIX_3D 2

/**
 * `cv2x_ego.fix_quality`: differential corrections applied.
 */
#define CV2X_FIX_DIFFERENTIAL 3

/**
 * `cv2x_ego.fix_quality`: RTK float.
 */
#define CV2X_FIX_RTK_FLOAT 4

/**
 * `cv2x_ego.fix_quality`: RTK fixed.
 */
#define CV2X_FIX_RTK_FIXED 5

/**
 * `cv2x_ego.fix_quality`: dead reckoning bridging an outage.
 */
#define CV2X_FIX_DEAD_RECKONING 6

/**
 * `cv2x_ego.transmission` (the TransmissionState numbers): neutral.
 */
#define CV2X_GEAR_NEUTRAL 0

/**
 * `cv2x_ego.transmission`: park.
 */
#define CV2X_GEAR_PARK 1

/**
 * `cv2x_ego.transmission`: a forward gear.
 */
#define CV2X_GEAR_FORWARD 2

/**
 * `cv2x_ego.transmission`: reverse.
 */
#define CV2X_GEAR_REVERSE 3

/**
 * `cv2x_ego.abs`, `traction`, `stability` (the BrakeSystemStatus numbers): switched off.
 */
#define CV2X_CONTROL_OFF 1

/**
 * Enabled, not acting.
 */
#define CV2X_CONTROL_ON 2

/**
 * Acting.
 */
#define CV2X_CONTROL_ENGAGED 3

/**
 * `cv2x_ego.wheel_brakes` (the BrakeAppliedStatus bits, as `cv2x_bsm.wheel_brakes`): left
 * front.
 */
#define CV2X_WHEEL_LEFT_FRONT (1u << 1)

/**
 * Left rear.
 */
#define CV2X_WHEEL_LEFT_REAR (1u << 2)

/**
 * Right front.
 */
#define CV2X_WHEEL_RIGHT_FRONT (1u << 3)

/**
 * Right rear.
 */
#define CV2X_WHEEL_RIGHT_REAR (1u << 4)

/**
 * `cv2x_ego.lights` (and `cv2x_bsm.lights`): `automaticLightControlOn`.
 */
#define CV2X_LIGHTS_AUTOMATIC (1u << 5)

/**
 * `daytimeRunningLightsOn`.
 */
#define CV2X_LIGHTS_DAYTIME_RUNNING (1u << 6)

/**
 * `fogLightOn`.
 */
#define CV2X_LIGHTS_FOG (1u << 7)

/**
 * `parkingLightsOn`.
 */
#define CV2X_LIGHTS_PARKING (1u << 8)

/**
 * `cv2x_ego.response` (the ResponseType numbers): emergency.
 */
#define CV2X_RESPONSE_EMERGENCY 1

/**
 * Non-emergency.
 */
#define CV2X_RESPONSE_NON_EMERGENCY 2

/**
 * Pursuit.
 */
#define CV2X_RESPONSE_PURSUIT 3

/**
 * Stationary.
 */
#define CV2X_RESPONSE_STATIONARY 4

/**
 * Slow moving.
 */
#define CV2X_RESPONSE_SLOW_MOVING 5

/**
 * Stop and go.
 */
#define CV2X_RESPONSE_STOP_AND_GO 6

/**
 * `cv2x_ego.light_bar` (the LightbarInUse numbers): not in use.
 */
#define CV2X_LIGHT_BAR_OFF 1

/**
 * In use (emergency).
 */
#define CV2X_LIGHT_BAR_EMERGENCY 2

/**
 * Yellow caution lights.
 */
#define CV2X_LIGHT_BAR_YELLOW_CAUTION 3

/**
 * School bus lights.
 */
#define CV2X_LIGHT_BAR_SCHOOL_BUS 4

/**
 * Arrow signs active.
 */
#define CV2X_LIGHT_BAR_ARROW_SIGNS 5

/**
 * Slow moving vehicle.
 */
#define CV2X_LIGHT_BAR_SLOW_MOVING 6

/**
 * Frequent stops.
 */
#define CV2X_LIGHT_BAR_FREQUENT_STOPS 7

/**
 * Frozen size of the first version of `cv2x_ego`.
 */
#define CV2X_EGO_SIZE_V1 256

/**
 * `cv2x_track.position_kind`: `x_m` forward, `y_m` left of the ego's reference point at the
 * track's time, m.
 */
#define CV2X_POSITION_EGO 0

/**
 * `cv2x_track.position_kind`: `lat_deg`, `lon_deg` (WGS-84).
 */
#define CV2X_POSITION_WGS84 1

/**
 * `cv2x_track.motion_kind`: no motion reported.
 */
#define CV2X_MOTION_NONE 0

/**
 * `cv2x_track.motion_kind`: `speed_mps` over ground and `heading_deg` (0 = north, clockwise).
 */
#define CV2X_MOTION_SPEED_HEADING 1

/**
 * `cv2x_track.motion_kind`: velocity over ground in the ego frame: `vx_mps` forward,
 * `vy_mps` left.
 */
#define CV2X_MOTION_EGO_VELOCITY 2

/**
 * `cv2x_track.motion_kind`: velocity relative to the moving ego (as radars measure it),
 * ego frame.
 */
#define CV2X_MOTION_EGO_RELATIVE_VELOCITY 3

/**
 * `cv2x_track.present`: `vehicle_id` is set (links the object to its BSMs).
 */
#define CV2X_TRACK_HAS_VEHICLE_ID (1u << 0)

/**
 * `cv2x_track.present`: `yaw_rate_dps` is set.
 */
#define CV2X_TRACK_HAS_YAW_RATE (1u << 1)

/**
 * `cv2x_track.present`: `accel_mps2` is set.
 */
#define CV2X_TRACK_HAS_ACCEL (1u << 2)

/**
 * `cv2x_track.present`: `length_m`, `width_m`, `height_m` (0 = unknown) are set.
 */
#define CV2X_TRACK_HAS_SIZE (1u << 3)

/**
 * `cv2x_track.present`: `pos_var_x`, `pos_cov_xy`, `pos_var_y` are set (in the position's
 * frame: ego axes, or east / north).
 */
#define CV2X_TRACK_HAS_POSITION_COVARIANCE (1u << 4)

/**
 * `cv2x_track.present`: `vel_var_x`, `vel_cov_xy`, `vel_var_y` are set (velocity motions).
 */
#define CV2X_TRACK_HAS_VELOCITY_COVARIANCE (1u << 5)

/**
 * `cv2x_track.present`: `speed_sigma_mps` is set.
 */
#define CV2X_TRACK_HAS_SPEED_SIGMA (1u << 6)

/**
 * `cv2x_track.present`: `heading_sigma_deg` is set.
 */
#define CV2X_TRACK_HAS_HEADING_SIGMA (1u << 7)

/**
 * Frozen size of the first version of `cv2x_track`.
 */
#define CV2X_TRACK_SIZE_V1 240

/**
 * Return status of a payment command callback: success (`ReturnStatus` `ok`).
 */
#define CV2X_PAYMENT_RET_OK 0

/**
 * Return status: access denied.
 */
#define CV2X_PAYMENT_RET_ACCESS_DENIED 1

/**
 * Return status: invalid argument.
 */
#define CV2X_PAYMENT_RET_ARGUMENT_ERROR 2

/**
 * Return status: too complex.
 */
#define CV2X_PAYMENT_RET_COMPLEXITY_LIMITATION 3

/**
 * Return status: processing failed (also any value this list does not name).
 */
#define CV2X_PAYMENT_RET_PROCESSING_FAILURE 4

/**
 * Return status: still processing.
 */
#define CV2X_PAYMENT_RET_PROCESSING 5

/**
 * Kind of on-board unit: factory-fitted (the default).
 */
#define CV2X_OBU_OEM 1

/**
 * Kind of on-board unit: aftermarket.
 */
#define CV2X_OBU_AFTERMARKET 2

/**
 * Kind of on-board unit: mobile phone.
 */
#define CV2X_OBU_PHONE 3

/**
 * `cv2x_payment_data.equipment`: single-chip OBU.
 */
#define CV2X_EQUIPMENT_ONE_CHIP 1

/**
 * `cv2x_payment_data.equipment`: OBU with an IC card.
 */
#define CV2X_EQUIPMENT_WITH_CARD 2

/**
 * `cv2x_payment_data.equipment`: compound pass card.
 */
#define CV2X_EQUIPMENT_PASS_CARD 3

/**
 * `cv2x_payment_offer.station_kind`: entrance station.
 */
#define CV2X_STATION_ENTRANCE 1

/**
 * `cv2x_payment_offer.station_kind`: exit station.
 */
#define CV2X_STATION_EXIT 2

/**
 * `cv2x_payment_offer.station_kind`: combined entrance and exit.
 */
#define CV2X_STATION_ENTRANCE_AND_EXIT 3

/**
 * `cv2x_payment_offer.station_kind`: toll gantry.
 */
#define CV2X_STATION_GANTRY 4

/**
 * `cv2x_payment_offer.station_kind`: an extension value.
 */
#define CV2X_STATION_OTHER 255

/**
 * Channel of a channel command: the OBU itself.
 */
#define CV2X_PAYMENT_CHANNEL_OBU 1

/**
 * Channel: its secure access module (ESAM).
 */
#define CV2X_PAYMENT_CHANNEL_ESAM 2

/**
 * Channel: the IC card.
 */
#define CV2X_PAYMENT_CHANNEL_ICC 3

/**
 * Channel: the human-machine interface.
 */
#define CV2X_PAYMENT_CHANNEL_HMI 4

/**
 * Channel: the beeper.
 */
#define CV2X_PAYMENT_CHANNEL_BEEPER 5

/**
 * Toll result the roadside reports: paid.
 */
#define CV2X_TOLL_RESULT_OK 1

/**
 * Toll result: not paid.
 */
#define CV2X_TOLL_RESULT_NOK 2

/**
 * Toll result: contact the operator.
 */
#define CV2X_TOLL_RESULT_CONTACT_OPERATOR 3

/**
 * Octets of a file block (`FileData`) and of an APDU block.
 */
#define CV2X_PAYMENT_FILE_BYTES 127

/**
 * Largest card file `cv2x_payment_data` carries, octets.
 */
#define CV2X_PAYMENT_CARD_FILE_MAX 128

/**
 * Most APDU blocks of one channel command and of its answer.
 */
#define CV2X_PAYMENT_MAX_APDUS 16

/**
 * `cv2x_payment_offer.present`: `station_id`.
 */
#define CV2X_OFFER_HAS_STATION_ID (1 << 0)

/**
 * `cv2x_payment_offer.present`: the station's position.
 */
#define CV2X_OFFER_HAS_STATION_POSITION (1 << 1)

/**
 * `cv2x_payment_offer.present`: `station_kind`.
 */
#define CV2X_OFFER_HAS_STATION_KIND (1 << 2)

/**
 * `cv2x_payment_offer.present`: `direction_deg`.
 */
#define CV2X_OFFER_HAS_DIRECTION (1 << 3)

/**
 * `cv2x_payment_offer.present`: `price`.
 */
#define CV2X_OFFER_HAS_PRICE (1 << 4)

/**
 * `cv2x_payment_offer.present`: the entrance of the tolled stretch.
 */
#define CV2X_OFFER_HAS_ENTRANCE (1 << 5)

/**
 * `cv2x_payment_offer.present`: the exit of the tolled stretch.
 */
#define CV2X_OFFER_HAS_EXIT (1 << 6)

/**
 * `cv2x_payment_offer.present`: `begin`.
 */
#define CV2X_OFFER_HAS_BEGIN (1 << 7)

/**
 * `cv2x_payment_offer.present`: `end`.
 */
#define CV2X_OFFER_HAS_END (1 << 8)

/**
 * `cv2x_payment_data.present`: `equipment`.
 */
#define CV2X_PAYDATA_HAS_EQUIPMENT (1 << 0)

/**
 * `cv2x_payment_data.present`: the card files (`card_*`).
 */
#define CV2X_PAYDATA_HAS_CARD (1 << 1)

/**
 * `cv2x_payment_data.present`: the contract file (`contract_*`).
 */
#define CV2X_PAYDATA_HAS_CONTRACT (1 << 2)

/**
 * `cv2x_payment_data.present`: the vehicle file (`vehicle_*`).
 */
#define CV2X_PAYDATA_HAS_VEHICLE (1 << 3)

/**
 * `cv2x_payment_data.present`: the entrance passed (`entrance_*`).
 */
#define CV2X_PAYDATA_HAS_ENTRANCE (1 << 4)

/**
 * `cv2x_payment_data.present`: the entrance's position.
 */
#define CV2X_PAYDATA_HAS_ENTRANCE_POSITION (1 << 5)

/**
 * `cv2x_payment_data.present`: the amount charged at the entrance.
 */
#define CV2X_PAYDATA_HAS_ENTRANCE_AMOUNT (1 << 6)

/**
 * Frozen size of the first version of `cv2x_payment_data`.
 */
#define CV2X_PAYMENT_DATA_SIZE_V1 584

/**
 * `cv2x_payment_read.present`: the toll file range.
 */
#define CV2X_READ_HAS_TOLL (1 << 0)

/**
 * `cv2x_payment_read.present`: `key_id`.
 */
#define CV2X_READ_HAS_KEY (1 << 1)

/**
 * `cv2x_payment_secure_read.present`: `encrypt_key`.
 */
#define CV2X_SECURE_READ_HAS_ENCRYPT_KEY (1 << 0)

/**
 * `cv2x_charge_request.present`: `rnd`.
 */
#define CV2X_CHARGE_HAS_RND (1 << 0)

/**
 * `cv2x_charge_request.present`: the TAC parameters (`tac_*`).
 */
#define CV2X_CHARGE_HAS_TAC (1 << 1)

/**
 * `cv2x_charge_request.present`: the toll data to write (`toll_*`).
 */
#define CV2X_CHARGE_HAS_TOLL_DATA (1 << 2)

/**
 * `cv2x_charge_request.present`: the tolling point (`point_id`).
 */
#define CV2X_CHARGE_HAS_POINT (1 << 3)

/**
 * `cv2x_charge_request.present`: the tolling point's position.
 */
#define CV2X_CHARGE_HAS_POINT_POSITION (1 << 4)

/**
 * `cv2x_charge_request.present`: `key_id`.
 */
#define CV2X_CHARGE_HAS_KEY (1 << 5)

/**
 * `cv2x_charge_receipt.present`: `tac`.
 */
#define CV2X_RECEIPT_HAS_TAC (1 << 0)

/**
 * `cv2x_charge_receipt.present`: `authenticator`.
 */
#define CV2X_RECEIPT_HAS_AUTHENTICATOR (1 << 1)

/**
 * `cv2x_charge_receipt.present`: `account` (`account_len` 2..32 octets).
 */
#define CV2X_RECEIPT_HAS_ACCOUNT (1 << 2)

/**
 * `cv2x_charge_receipt.present`: `credential` (32 octets).
 */
#define CV2X_RECEIPT_HAS_CREDENTIAL (1 << 3)

/**
 * Frozen size of the first version of `cv2x_charge_receipt`.
 */
#define CV2X_CHARGE_RECEIPT_SIZE_V1 88

/**
 * A `CV2X_SETS_*` bit: T/CSAE 53-2020 (with the Day II messages of T/CSAE 157-2020).
 */
#define CV2X_SETS_2020 (1u << 0)

/**
 * A `CV2X_SETS_*` bit: the 2019 release of the Day I set.
 */
#define CV2X_SETS_2019 (1u << 1)

/**
 * A `CV2X_SETS_*` bit: T/CSAE 53-2017.
 */
#define CV2X_SETS_2017 (1u << 2)

/**
 * Every message set.
 */
#define CV2X_SETS_ALL ((CV2X_SETS_2020 | CV2X_SETS_2019) | CV2X_SETS_2017)

/**
 * `cv2x_stack_config.set_flags`: frames no rule covers are read by detection (every accepted
 * set tries them; an ambiguous frame is counted, reported and read with the default set);
 * without it every such frame is read with `default_set`. Default on.
 */
#define CV2X_SETS_DETECT (1u << 0)

/**
 * `cv2x_stack_config.set_flags`: report lifts that lost or changed something
 * (`CV2X_EVENT_LIFTED`) and ambiguous frames (`CV2X_EVENT_AMBIGUOUS`) as events; they are
 * counted either way. Default on.
 */
#define CV2X_SETS_REPORT (1u << 1)

/**
 * `cv2x_set_rule.kind`: frames with the DSMP AID (or SPDU PSID) `aid`.
 */
#define CV2X_SET_RULE_AID 1

/**
 * `cv2x_set_rule.kind`: frames from the sender `id`: the transport source given to
 * `cv2x_stack_ingest_from`, or the 8-octet id inside the message.
 */
#define CV2X_SET_RULE_SOURCE 2

/**
 * `cv2x_set_rule.kind`: frames about places within `radius_m` of (`lat_deg`, `lon_deg`).
 */
#define CV2X_SET_RULE_CIRCLE 3

/**
 * `cv2x_set_rule.kind`: frames about places between `south_deg` .. `north_deg` and
 * `west_deg` .. `east_deg` (`west_deg > east_deg` crosses the antimeridian).
 */
#define CV2X_SET_RULE_RECT 4

/**
 * Most rules `cv2x_stack_new_with_set_rules` takes.
 */
#define CV2X_MAX_SET_RULES 256

/**
 * Frozen size of `cv2x_set_rule`.
 */
#define CV2X_SET_RULE_SIZE 80

/**
 * `cv2x_object.status`: seen, not yet confirmed.
 */
#define CV2X_TRACK_TENTATIVE 1

/**
 * `cv2x_object.status`: confirmed and updated recently.
 */
#define CV2X_TRACK_CONFIRMED 2

/**
 * `cv2x_object.status`: confirmed, no update for a while: predicted only.
 */
#define CV2X_TRACK_COASTING 3

/**
 * `cv2x_object.present`: `yaw_rate_dps` is set.
 */
#define CV2X_OBJECT_HAS_YAW_RATE (1u << 0)

/**
 * `cv2x_object.present`: `accel_mps2` is set (estimated from the reports).
 */
#define CV2X_OBJECT_HAS_ACCEL (1u << 1)

/**
 * `cv2x_object.present`: `length_m`, `width_m`, `height_m` are set.
 */
#define CV2X_OBJECT_HAS_SIZE (1u << 2)

/**
 * `cv2x_object.present`: `vehicle_id` is set.
 */
#define CV2X_OBJECT_HAS_VEHICLE_ID (1u << 3)

/**
 * `cv2x_object.flags`: seen only over V2X at the moment (no onboard sensor within the
 * coasting window): in the ego's blind zone or beyond its sensors.
 */
#define CV2X_OBJECT_V2X_ONLY (1u << 0)

/**
 * `cv2x_object.flags`: no report behind the object waits for a signature verification: the
 * latest report of each of its sources came from a verified message, an onboard sensor or an
 * unsigned frame the stack accepts. Verifying on demand (`CV2X_VERIFY_ON_DEMAND`), an object
 * fed by a vehicle's message whose signature is not verified yet lacks it; with
 * `CV2X_VERIFY_ALWAYS` every object has it.
 */
#define CV2X_OBJECT_VERIFIED (1u << 1)

/**
 * Frozen size of `cv2x_object`.
 */
#define CV2X_OBJECT_SIZE 192

/**
 * `cv2x_lane.turn`: straight on.
 */
#define CV2X_TURN_STRAIGHT 1

/**
 * `cv2x_lane.turn`: left turn.
 */
#define CV2X_TURN_LEFT 2

/**
 * `cv2x_lane.turn`: right turn.
 */
#define CV2X_TURN_RIGHT 3

/**
 * `cv2x_lane.turn`: U-turn.
 */
#define CV2X_TURN_U_TURN 4

/**
 * `cv2x_lane.present`: `phase_id` is set.
 */
#define CV2X_LANE_HAS_PHASE (1u << 0)

/**
 * `cv2x_lane.present`: `speed_limit_mps` is set.
 */
#define CV2X_LANE_HAS_SPEED_LIMIT (1u << 1)

/**
 * Frozen size of `cv2x_lane`.
 */
#define CV2X_LANE_SIZE 96

/**
 * Frozen size of the first version of `cv2x_stack_counters`.
 */
#define CV2X_STACK_COUNTERS_SIZE_V1 416

/**
 * Size of the second version of `cv2x_stack_counters` (message sets, Day II sending).
 */
#define CV2X_STACK_COUNTERS_SIZE_V2 480

/**
 * Size of the third version of `cv2x_stack_counters` (verify on demand).
 */
#define CV2X_STACK_COUNTERS_SIZE_V3 520

/**
 * Frozen size of `cv2x_stack_usage`.
 */
#define CV2X_STACK_USAGE_SIZE 64

#if defined(CV2X_TEST_PANIC)
/**
 * `cv2x_test_payment_vpm` step: the roadside service table (a free-flow toll at `price`).
 */
#define CV2X_TEST_VPM_OFFER 0
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * `cv2x_test_payment_vpm` step: read the vehicle and toll files.
 */
#define CV2X_TEST_VPM_READ 1
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * `cv2x_test_payment_vpm` step: read with authentication.
 */
#define CV2X_TEST_VPM_SECURE_READ 2
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * `cv2x_test_payment_vpm` step: charge `price`.
 */
#define CV2X_TEST_VPM_CHARGE 3
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * `cv2x_test_payment_vpm` step: show the result, paid (no answer asked).
 */
#define CV2X_TEST_VPM_PAID 4
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * `cv2x_test_payment_vpm` step: show the result, not paid (no answer asked).
 */
#define CV2X_TEST_VPM_NOT_PAID 5
#endif

/**
 * Maps AIDs to message classes, classifies payloads (frame or SPDU) and counts outcomes
 * (opaque). One call at a time (else `CV2X_ERR_REENTRANT`); may move between threads. Owned
 * by the caller, freed with `cv2x_dispatcher_free`.
 */
typedef struct cv2x_dispatcher cv2x_dispatcher;

/**
 * A decoded message frame (opaque). Immutable once made: any number of threads may read one
 * frame at the same time. Owned by the caller, freed with `cv2x_frame_free`.
 */
typedef struct cv2x_frame cv2x_frame;

/**
 * Pseudonym certificates with their signing keys, being gathered for a stack (opaque): add
 * credentials, then hand them to the stack with `cv2x_stack_set_pseudonyms`. One call at a
 * time (else `CV2X_ERR_REENTRANT`); may move between threads. Owned by the caller, freed
 * with `cv2x_pseudonym_pool_free` (also after its credentials went to a stack).
 */
typedef struct cv2x_pseudonym_pool cv2x_pseudonym_pool;

/**
 * Signs payloads into SPDUs with one key and its certificate (opaque): a software private
 * key (`cv2x_signer_new`; deterministic RFC 6979 signatures) or a security chip / HSM behind
 * callbacks (`cv2x_signer_new_callback`). One call at a time (else `CV2X_ERR_REENTRANT`,
 * also from inside its own signing callback); may move between threads. Owned by the
 * caller, freed with `cv2x_signer_free`.
 */
typedef struct cv2x_signer cv2x_signer;

/**
 * The on-board stack (opaque): ingest received messages, give it the ego's state and onboard
 * tracks, poll it at the application rate for events (warnings raised / updated / cleared,
 * objects, drops, Day II), and take the messages it has to send.
 *
 * One call at a time: a second call while one runs (from a poll, verifier or signing
 * callback, or from another thread) returns `CV2X_ERR_REENTRANT`, never a data race. It may
 * move between threads. Owned by the caller, freed with `cv2x_stack_free`.
 */
typedef struct cv2x_stack cv2x_stack;

/**
 * Verifies IEEE 1609.2 / GB/T 45112 signed messages and certificate chains; owns the trust
 * anchors, the certificate caches, the revocation set and the replay window (opaque).
 *
 * One call at a time: a second call while one runs (from a backend callback, or another
 * thread) returns `CV2X_ERR_REENTRANT`. It may move between threads. Owned by the caller,
 * freed with `cv2x_verifier_free`.
 */
typedef struct cv2x_verifier cv2x_verifier;

/**
 * The outcome of a call: `CV2X_OK` (0) or one of the `CV2X_ERR_*` codes. Codes are stable
 * and append-only; `cv2x_result_name` and `cv2x_strerror` describe any of them.
 */
typedef uint32_t cv2x_result;

/**
 * A codec failure: what (`kind`, the same code the call returned), where in the input
 * (`bit_offset`, UINT64_MAX when not applicable, e.g. for JER) and where in the value
 * (`path`, such as `MessageFrame.bsmFrame.pos.lat`, NUL-terminated, truncated to fit;
 * `path_len` is the untruncated length).
 */
typedef struct cv2x_codec_error {
  /**
   * The result code of the failure.
   */
  cv2x_result kind;
  /**
   * Length of the full path (may exceed `CV2X_CODEC_PATH_MAX - 1` when truncated).
   */
  uint32_t path_len;
  /**
   * Bit offset of the failing item in the input; UINT64_MAX when not applicable.
   */
  uint64_t bit_offset;
  /**
   * The field path, outermost first, NUL-terminated.
   */
  char path[CV2X_CODEC_PATH_MAX];
} cv2x_codec_error;

/**
 * A BSM's fields in raw standard units (those of T/CSAE 53: the numbers as sent on the air).
 * Optional fields are valid only when their `CV2X_BSM_HAS_*` bit is set in `present`;
 * enumerated fields are the index of the value in the ASN.1 definition (0 = first listed).
 * Bit strings are masks with the definition's bit `i` at `1 << i`.
 *
 * Read by `cv2x_frame_get_bsm`, written by `cv2x_bsm_encode`. Size frozen (with room for
 * later fields in `reserved`, which the library writes as 0 and ignores).
 */
typedef struct cv2x_bsm {
  /**
   * `CV2X_BSM_HAS_*` bits.
   */
  uint64_t present;
  /**
   * msgCnt, 0..127.
   */
  uint32_t msg_cnt;
  /**
   * secMark: millisecond within the UTC minute, 0..60999 (65535 unavailable).
   */
  uint32_t sec_mark;
  /**
   * Temporary vehicle id.
   */
  uint8_t id[8];
  /**
   * Latitude, 1e-7 degree (-900000000..900000001; 900000001 unavailable).
   */
  int32_t lat;
  /**
   * Longitude, 1e-7 degree (-1799999999..1800000001; 1800000001 unavailable).
   */
  int32_t lon;
  /**
   * Elevation, 0.1 m (-4096..61439; -4096 unavailable).
   */
  int32_t elevation;
  /**
   * timeConfidence (0 = unavailable ... 39 = 0.01 ns).
   */
  uint32_t time_confidence;
  /**
   * posAccuracy semiMajor, 0.05 m (255 unavailable).
   */
  uint32_t pos_accuracy_semi_major;
  /**
   * posAccuracy semiMinor, 0.05 m (255 unavailable).
   */
  uint32_t pos_accuracy_semi_minor;
  /**
   * posAccuracy orientation, 360/65535 degree (65535 unavailable).
   */
  uint32_t pos_accuracy_orientation;
  /**
   * PositionConfidence (0 = unavailable, 1 = 500 m ... 15 = 1 cm).
   */
  uint32_t pos_confidence;
  /**
   * ElevationConfidence (0 = unavailable, 1 = 500 m ... 15 = 1 cm).
   */
  uint32_t elevation_confidence;
  /**
   * TransmissionState (0 neutral, 1 park, 2 forward, 3 reverse, 7 unavailable).
   */
  uint32_t transmission;
  /**
   * Speed, 0.02 m/s (0..8191; 8191 unavailable).
   */
  uint32_t speed;
  /**
   * Heading, 0.0125 degree clockwise from north (0..28800; 28800 unavailable).
   */
  uint32_t heading;
  /**
   * Steering wheel angle, 1.5 degree (-126..127; 127 unavailable).
   */
  int32_t angle;
  /**
   * SpeedConfidence (0 unavailable ... 7 = 0.01 m/s).
   */
  uint32_t speed_confidence;
  /**
   * HeadingConfidence (0 unavailable ... 7 = 0.0125 degree).
   */
  uint32_t heading_confidence;
  /**
   * SteeringWheelAngleConfidence (0 unavailable ... 3 = 0.02 degree).
   */
  uint32_t steering_confidence;
  /**
   * Longitudinal acceleration, 0.01 m/s² (-2000..2001; 2001 unavailable).
   */
  int32_t accel_long;
  /**
   * Lateral acceleration, 0.01 m/s² (-2000..2001; 2001 unavailable).
   */
  int32_t accel_lat;
  /**
   * Vertical acceleration, 0.02 G (-127..127; -127 unavailable).
   */
  int32_t accel_vert;
  /**
   * Yaw rate, 0.01 degree/s (-32767..32767).
   */
  int32_t yaw_rate;
  /**
   * BrakePedalStatus (0 unavailable, 1 off, 2 on).
   */
  uint32_t brake_pedal;
  /**
   * BrakeAppliedStatus bits (bit 0 unavailable, 1 left front, 2 left rear, 3 right front,
   * 4 right rear).
   */
  uint32_t wheel_brakes;
  /**
   * TractionControlStatus (0 unavailable, 1 off, 2 on, 3 engaged).
   */
  uint32_t traction;
  /**
   * AntiLockBrakeStatus (0 unavailable, 1 off, 2 on, 3 engaged).
   */
  uint32_t abs;
  /**
   * StabilityControlStatus (0 unavailable, 1 off, 2 on, 3 engaged).
   */
  uint32_t scs;
  /**
   * BrakeBoostApplied (0 unavailable, 1 off, 2 on).
   */
  uint32_t brake_boost;
  /**
   * AuxiliaryBrakeStatus (0 unavailable, 1 off, 2 on, 3 reserved).
   */
  uint32_t aux_brakes;
  /**
   * Vehicle width, 1 cm (0..1023).
   */
  uint32_t width;
  /**
   * Vehicle length, 1 cm (0..4095).
   */
  uint32_t length;
  /**
   * Vehicle height, 5 cm (0..127).
   */
  uint32_t height;
  /**
   * BasicVehicleClass (0..255; 10 passenger car, ...).
   */
  uint32_t vehicle_class;
  /**
   * FuelType (0..15).
   */
  uint32_t fuel_type;
  /**
   * VehicleEventFlags bits (`CV2X_EVENT_*`).
   */
  uint32_t events;
  /**
   * ExteriorLights bits (`CV2X_LIGHTS_*`).
   */
  uint32_t lights;
  /**
   * Points in the path history (read only).
   */
  uint32_t path_history_points;
  /**
   * Room for later fields: written as 0, ignored on encode. (Sized so that the struct has
   * no padding: every byte is a field, so copies and comparisons are exact.)
   */
  uint32_t reserved[9];
} cv2x_bsm;

/**
 * A SPAT message's header. `intersection_count` intersections follow
 * (`cv2x_frame_get_spat_intersection`).
 */
typedef struct cv2x_spat {
  /**
   * `CV2X_SPAT_HAS_*` bits.
   */
  uint32_t present;
  /**
   * msgCnt.
   */
  uint32_t msg_cnt;
  /**
   * Minute of the year (UTC), 0..527040.
   */
  uint32_t moy;
  /**
   * Millisecond within the minute (DSecond).
   */
  uint32_t time_stamp;
  /**
   * Number of intersections.
   */
  uint32_t intersection_count;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved;
  /**
   * The name (IA5String, at most 63 characters), NUL-terminated.
   */
  char name[64];
} cv2x_spat;

/**
 * One intersection of a SPAT.
 */
typedef struct cv2x_spat_intersection {
  /**
   * `CV2X_SPAT_INTERSECTION_HAS_*` bits.
   */
  uint32_t present;
  /**
   * Road regulator region of the node id.
   */
  uint32_t region;
  /**
   * Node id of the intersection.
   */
  uint32_t id;
  /**
   * IntersectionStatusObject bits (bit `i` of the definition at `1 << i`).
   */
  uint32_t status;
  /**
   * Minute of the year.
   */
  uint32_t moy;
  /**
   * Millisecond within the minute.
   */
  uint32_t time_stamp;
  /**
   * TimeConfidence index.
   */
  uint32_t time_confidence;
  /**
   * Number of phases (`cv2x_frame_get_spat_phase`).
   */
  uint32_t phase_count;
} cv2x_spat_intersection;

/**
 * One phase of a SPAT intersection.
 */
typedef struct cv2x_spat_phase {
  /**
   * Phase id.
   */
  uint32_t id;
  /**
   * Number of light states (`cv2x_frame_get_spat_phase_state`).
   */
  uint32_t state_count;
} cv2x_spat_phase;

/**
 * One light state of a phase with its timing (0.1 s TimeMark units).
 */
typedef struct cv2x_spat_phase_state {
  /**
   * `CV2X_PHASE_STATE_HAS_*` bits.
   */
  uint32_t present;
  /**
   * `CV2X_LIGHT_*` (`CV2X_ENUM_EXTENSION` for a value this version does not know).
   */
  uint32_t light;
  /**
   * startTime / startUTCTime.
   */
  uint32_t start_time;
  /**
   * minEndTime / minEndUTCTime.
   */
  uint32_t min_end_time;
  /**
   * maxEndTime / maxEndUTCTime.
   */
  uint32_t max_end_time;
  /**
   * likelyEndTime / likelyEndUTCTime.
   */
  uint32_t likely_end_time;
  /**
   * timeConfidence (Confidence, 0..200 in 0.5 %).
   */
  uint32_t time_confidence;
  /**
   * nextStartTime / nextStartUTCTime.
   */
  uint32_t next_start_time;
  /**
   * nextDuration / nextEndUTCTime.
   */
  uint32_t next_duration;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved;
} cv2x_spat_phase_state;

/**
 * An RSM's header. `participant_count` participants follow
 * (`cv2x_frame_get_rsm_participant`).
 */
typedef struct cv2x_rsm {
  /**
   * `CV2X_RSM_HAS_*` bits.
   */
  uint32_t present;
  /**
   * msgCnt.
   */
  uint32_t msg_cnt;
  /**
   * Roadside unit id.
   */
  uint8_t id[8];
  /**
   * Reference latitude, 1e-7 degree.
   */
  int32_t ref_lat;
  /**
   * Reference longitude, 1e-7 degree.
   */
  int32_t ref_lon;
  /**
   * Reference elevation, 0.1 m.
   */
  int32_t ref_elevation;
  /**
   * Number of participants.
   */
  uint32_t participant_count;
} cv2x_rsm;

/**
 * One traffic participant of an RSM, raw standard units (as `cv2x_bsm`). `lat`/`lon` are
 * absolute (the RSM reference position plus the offset, or the absolute position sent).
 */
typedef struct cv2x_rsm_participant {
  /**
   * `CV2X_PTC_*` bits.
   */
  uint32_t present;
  /**
   * ParticipantType (0 unknown, 1 motor, 2 non-motor, 3 pedestrian, 4 rsu).
   */
  uint32_t ptc_type;
  /**
   * ptcId (0..65535).
   */
  uint32_t ptc_id;
  /**
   * SourceType (0 unknown, 1 selfinfo, 2 v2x, 3 video, 4 microwave radar, 5 loop,
   * 6 lidar, 7 integrated).
   */
  uint32_t source;
  /**
   * Temporary id of a vehicle seen over V2X.
   */
  uint8_t id[8];
  /**
   * secMark, ms within the minute.
   */
  uint32_t sec_mark;
  /**
   * Latitude offset from the RSM reference, 1e-7 degree.
   */
  int32_t offset_lat;
  /**
   * Longitude offset from the RSM reference, 1e-7 degree.
   */
  int32_t offset_lon;
  /**
   * Absolute latitude, 1e-7 degree.
   */
  int32_t lat;
  /**
   * Absolute longitude, 1e-7 degree.
   */
  int32_t lon;
  /**
   * Absolute elevation, 0.1 m.
   */
  int32_t elevation;
  /**
   * PositionConfidence index.
   */
  uint32_t pos_confidence;
  /**
   * ElevationConfidence index.
   */
  uint32_t elevation_confidence;
  /**
   * TransmissionState index.
   */
  uint32_t transmission;
  /**
   * Speed, 0.02 m/s.
   */
  uint32_t speed;
  /**
   * Heading, 0.0125 degree.
   */
  uint32_t heading;
  /**
   * Steering wheel angle, 1.5 degree.
   */
  int32_t angle;
  /**
   * SpeedConfidence index.
   */
  uint32_t speed_confidence;
  /**
   * HeadingConfidence index.
   */
  uint32_t heading_confidence;
  /**
   * SteeringWheelAngleConfidence index.
   */
  uint32_t steering_confidence;
  /**
   * Longitudinal acceleration, 0.01 m/s².
   */
  int32_t accel_long;
  /**
   * Lateral acceleration, 0.01 m/s².
   */
  int32_t accel_lat;
  /**
   * Vertical acceleration, 0.02 G.
   */
  int32_t accel_vert;
  /**
   * Yaw rate, 0.01 degree/s.
   */
  int32_t yaw_rate;
  /**
   * Width, 1 cm.
   */
  uint32_t width;
  /**
   * Length, 1 cm.
   */
  uint32_t length;
  /**
   * Height, 5 cm.
   */
  uint32_t height;
  /**
   * BasicVehicleClass.
   */
  uint32_t vehicle_class;
  /**
   * FuelType.
   */
  uint32_t fuel_type;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[4];
} cv2x_rsm_participant;

/**
 * A parsed DSMP packet: its fields, and where its parts lie in the caller's buffer.
 */
typedef struct cv2x_dsmp_packet {
  /**
   * `CV2X_DSMP_HAS_EXTENSIONS` when the option indicator is set.
   */
  uint32_t present;
  /**
   * DSMP version (0).
   */
  uint32_t version;
  /**
   * The four reserved bits as received.
   */
  uint32_t reserved_bits;
  /**
   * Application identifier.
   */
  uint32_t aid;
  /**
   * Number of extension elements.
   */
  uint32_t extension_count;
  /**
   * Offset of the coded extension elements (after the count octet): per element an ID
   * octet, a length octet and the contents. The form `cv2x_dsmp_emit` takes.
   */
  uint32_t extensions_offset;
  /**
   * Length of the coded extension elements.
   */
  uint32_t extensions_len;
  /**
   * Octets before the payload.
   */
  uint32_t header_len;
  /**
   * Offset of the payload (DSM data).
   */
  uint32_t payload_offset;
  /**
   * Length of the payload.
   */
  uint32_t payload_len;
} cv2x_dsmp_packet;

/**
 * Where a dispatched packet's payload goes.
 */
typedef struct cv2x_dispatched {
  /**
   * `CV2X_DSMP_HAS_EXTENSIONS` when the packet has an extension field.
   */
  uint32_t present;
  /**
   * The packet's AID.
   */
  uint32_t aid;
  /**
   * `CV2X_CLASS_*` the AID maps to.
   */
  uint32_t msg_class;
  /**
   * `CV2X_PAYLOAD_FRAME` or `CV2X_PAYLOAD_SPDU`.
   */
  uint32_t kind;
  /**
   * Offset of the payload in the caller's buffer.
   */
  uint32_t payload_offset;
  /**
   * Length of the payload.
   */
  uint32_t payload_len;
  /**
   * Number of extension elements.
   */
  uint32_t extension_count;
  /**
   * Offset of the coded extension elements in the caller's buffer.
   */
  uint32_t extensions_offset;
  /**
   * Length of the coded extension elements.
   */
  uint32_t extensions_len;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved;
} cv2x_dispatched;

/**
 * What the dispatcher counted.
 */
typedef struct cv2x_dispatch_counters {
  /**
   * Buffers handed to `cv2x_dispatcher_dispatch`.
   */
  uint64_t packets;
  /**
   * Packets dispatched.
   */
  uint64_t dispatched;
  /**
   * Dispatched packets with a plain frame.
   */
  uint64_t message_frames;
  /**
   * Dispatched packets with an SPDU.
   */
  uint64_t spdus;
  /**
   * Valid packets dropped for an AID not in the table.
   */
  uint64_t unknown_aid;
  /**
   * Packets dropped for a DSMP version other than 0.
   */
  uint64_t unsupported_version;
  /**
   * Packets dropped because the adaptation layer named another protocol.
   */
  uint64_t not_dsmp;
  /**
   * Packets dropped as malformed.
   */
  uint64_t malformed;
  /**
   * Dispatched packets per class: index `CV2X_CLASS_x - 1`.
   */
  uint64_t by_class[16];
} cv2x_dispatch_counters;

/**
 * Verifier policy and cache sizes. Fill it with `cv2x_verifier_config_default`, then change
 * what you need. `struct_size` must be set (the default does it): the library reads only the
 * fields that fit in it and defaults the rest.
 */
typedef struct cv2x_verifier_config {
  /**
   * `sizeof(cv2x_verifier_config)` of the caller.
   */
  uint32_t struct_size;
  /**
   * `CV2X_VERIFY_*` bits.
   */
  uint32_t flags;
  /**
   * How far the generation time may lie ahead of `now`, µs (default 2 s).
   */
  int64_t max_future_us;
  /**
   * How far the generation time may lie behind `now`, µs (default 10 s; also the replay
   * window).
   */
  int64_t max_age_us;
  /**
   * Least interval between two certificate requests for one unknown signer, µs.
   */
  int64_t cert_request_interval_us;
  /**
   * Most certificates in a chain, signer to anchor inclusive (1..255, default 5).
   */
  uint32_t max_chain_length;
  /**
   * Verified-certificate cache size (1..`CV2X_MAX_CACHE_CAPACITY`).
   */
  uint32_t cert_cache_capacity;
  /**
   * Unverified-certificate pool size.
   */
  uint32_t pool_capacity;
  /**
   * Unknown-signer (negative) cache size.
   */
  uint32_t unknown_cache_capacity;
  /**
   * Replay window size (messages).
   */
  uint32_t replay_capacity;
  /**
   * Number of AIDs in `accepted_aids` (0: any AID the signer is permitted).
   */
  uint32_t accepted_aid_count;
  /**
   * The AIDs (PSIDs) accepted.
   */
  uint64_t accepted_aids[CV2X_MAX_ACCEPTED_AIDS];
} cv2x_verifier_config;

/**
 * A crypto backend in C: a security chip or HSM doing the verification cryptography.
 *
 * Every callback is optional: a NULL one is done in software by the library. Each returns
 * `CV2X_OK` (0) on success; any other value makes the verifier call that invoked it fail with
 * `CV2X_ERR_CALLBACK` (the verdict would not be trustworthy), except that `prepare_key` may
 * return `CV2X_ERR_SEC_INVALID_PUBLIC_KEY` to reject a key (the certificate then fails with
 * that code). Callbacks run synchronously on the thread that called the verifier, inside that
 * call (so on any thread the verifier is used from, one call at a time): calling back into the
 * same verifier returns `CV2X_ERR_REENTRANT`. `user_data` is
 * passed back unchanged; the library never frees it. A callback must return normally: no
 * `longjmp` out of it and no C++ exception through it.
 *
 * The digests follow IEEE 1609.2 / GB/T 45112: `verify_p256` gets the 64-octet
 * SHA-256(tbs) ‖ SHA-256(signer certificate) that ECDSA hashes once more with SHA-256;
 * `verify_sm2` gets e = SM3(Z_A ‖ tbs), already hashed.
 *
 * After a call failed with `CV2X_ERR_CALLBACK`, certificates verified during that call may be
 * cached with values computed from the failed result: the verifier then rejects (never
 * accepts) messages of those signers until their cache entries go. Free and recreate a
 * verifier whose backend failed to start from a clean state.
 */
typedef struct cv2x_crypto_backend {
  /**
   * `sizeof(cv2x_crypto_backend)` of the caller.
   */
  uint32_t struct_size;
  /**
   * Must be 0.
   */
  uint32_t flags;
  /**
   * Passed to every callback.
   */
  void *user_data;
  /**
   * SHA-256 of `len` bytes at `data` into `out`.
   */
  uint32_t (*sha256)(void *user, const uint8_t *data, size_t len, uint8_t *out);
  /**
   * SM3 of `len` bytes at `data` into `out`.
   */
  uint32_t (*sm3)(void *user, const uint8_t *data, size_t len, uint8_t *out);
  /**
   * Validates a public key (`alg` a `CV2X_KEY_ALG_*`; `sec1` the SEC1 point, 33 octets
   * compressed or 65 uncompressed) and writes its affine x ‖ y (64 octets) to `xy_out` and
   * an opaque value of the chip's choosing (a key slot, or 0) to `key_handle`, which the
   * verify callbacks get back. Keys are cached with their certificate and never released.
   */
  uint32_t (*prepare_key)(void *user,
                          uint32_t alg,
                          const uint8_t *sec1,
                          size_t sec1_len,
                          uint8_t *xy_out,
                          uint64_t *key_handle);
  /**
   * ECDSA P-256 verification of (r, s) over SHA-256(msg, 64 octets) with the key x ‖ y;
   * writes 1 (valid) or 0 (invalid) to `valid`.
   */
  uint32_t (*verify_p256)(void *user,
                          const uint8_t *key_xy,
                          uint64_t key_handle,
                          const uint8_t *msg,
                          const uint8_t *r,
                          const uint8_t *s,
                          uint32_t *valid);
  /**
   * SM2 verification of (r, s) for the digest e (32 octets) with the key x ‖ y; writes 1
   * or 0 to `valid`.
   */
  uint32_t (*verify_sm2)(void *user,
                         const uint8_t *key_xy,
                         uint64_t key_handle,
                         const uint8_t *e,
                         const uint8_t *r,
                         const uint8_t *s,
                         uint32_t *valid);
} cv2x_crypto_backend;

/**
 * The outcome of verifying one SPDU.
 */
typedef struct cv2x_verify_report {
  /**
   * `CV2X_OK` when the message verified, else the first failed check (`CV2X_ERR_SEC_*`).
   */
  cv2x_result result;
  /**
   * `CV2X_SIGNATURE_*`: the message signature against the signer's key, whatever the chain
   * says (with `CV2X_VERIFY_DIAGNOSE`, checked even after another failure).
   */
  uint32_t signature_valid;
  /**
   * HashedId8 of the signer certificate.
   */
  uint8_t signer_id8[8];
  /**
   * Offset of the payload (the UPER MessageFrame) in the caller's SPDU buffer.
   */
  uint32_t payload_offset;
  /**
   * Length of the payload.
   */
  uint32_t payload_len;
  /**
   * `CV2X_REPORT_*` bits.
   */
  uint32_t present;
  /**
   * Certificates from the signer to the anchor inclusive.
   */
  uint32_t chain_length;
  /**
   * AID (PSID) of the header.
   */
  uint64_t aid;
  /**
   * Generation time, TAI µs since 2004.
   */
  int64_t generation_time;
  /**
   * HashedId8 of the trust anchor.
   */
  uint8_t anchor_id8[8];
  /**
   * `CV2X_OK` when the chain is anchored, the chain's failure code, or
   * `CV2X_ERR_SEC_SIGNER_NOT_FOUND` when it was not examined.
   */
  cv2x_result chain_result;
  /**
   * HashedId3 to request for an unknown signer (see `CV2X_REPORT_HAS_CERTIFICATE_REQUEST`).
   */
  uint8_t certificate_request[3];
  /**
   * Padding (0).
   */
  uint8_t pad;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[4];
} cv2x_verify_report;

/**
 * A signing key in a security chip or HSM, reached through callbacks: the library computes
 * the digest (IEEE 1609.2 / GB/T 45112: ECDSA P-256 `H = SHA-256(SHA-256(tbs) ‖
 * SHA-256(signer certificate))`, SM2 `e = SM3(Z_A ‖ tbs)`) and the chip only signs it, so
 * the private key never leaves the chip and the chip never hashes.
 *
 * `public_key` and `sign` are required (`CV2X_ERR_MISSING_CALLBACK`); `release` is optional.
 * Each returns `CV2X_OK` (0) on success; a failing `sign` makes the message fail to sign
 * (`CV2X_ERR_SEC_SIGNING_FAILED`; in the stack a `CV2X_DROP_TRANSMIT_FAILED` drop), never an
 * unsigned or half-signed one. Callbacks run synchronously on the thread that called the
 * signer or the stack, inside that call, one at a time per handle: calling back into the same
 * signer or stack returns `CV2X_ERR_REENTRANT`. A callback must return normally (no `longjmp`
 * out of it, no C++ exception through it).
 *
 * Ownership of `user_data`: when the call that takes this struct succeeds, the library keeps a
 * copy of it and calls `release(user_data)` (when not NULL) exactly once, when it no longer
 * needs the key (the signer, pool or stack holding it is freed or replaced). When the call
 * fails, `release` is not called and `user_data` stays the caller's.
 */
typedef struct cv2x_signing_backend {
  /**
   * `sizeof(cv2x_signing_backend)` of the caller.
   */
  uint32_t struct_size;
  /**
   * Must be 0.
   */
  uint32_t flags;
  /**
   * Passed to every callback.
   */
  void *user_data;
  /**
   * Writes the key's algorithm (`CV2X_KEY_ALG_*`) to `alg` and its public key, affine
   * x ‖ y (64 octets, big-endian), to `xy`. Called once, when the backend is taken.
   */
  uint32_t (*public_key)(void *user, uint32_t *alg, uint8_t *xy);
  /**
   * Signs the 32-octet `digest` (see above; ECDSA: do not hash it again) and writes the
   * signature (r, s), 32 octets each, to `r` and `s`.
   */
  uint32_t (*sign)(void *user, const uint8_t *digest, uint8_t *r, uint8_t *s);
  /**
   * Called once when the library is done with the key (may be NULL).
   */
  void (*release)(void *user);
} cv2x_signing_backend;

/**
 * Stack configuration. Fill it with `cv2x_stack_config_default`, then change what you need.
 * `struct_size` must be set (the default does it): the library reads only the fields that
 * fit in it and defaults the rest. Counts are 1..`CV2X_MAX_CACHE_CAPACITY` unless said.
 */
typedef struct cv2x_stack_config {
  /**
   * `sizeof(cv2x_stack_config)` of the caller.
   */
  uint32_t struct_size;
  /**
   * `CV2X_STACK_*` bits.
   */
  uint32_t flags;
  /**
   * Initial origin of the stack's local frame, latitude, degrees (re-anchored at the first
   * ego state far from it; default 0).
   */
  double origin_lat_deg;
  /**
   * Initial origin, longitude, degrees.
   */
  double origin_lon_deg;
  /**
   * Initial origin, altitude, m.
   */
  double origin_alt_m;
  /**
   * The applications that run: bit `CV2X_APP_x - 1` each (`CV2X_APP_BIT`); default
   * `CV2X_APPS_ALL`.
   */
  uint32_t apps;
  /**
   * Longer payloads are dropped, octets (default 8192).
   */
  uint32_t max_message_bytes;
  /**
   * Events queued between polls (default 1024; more are dropped and counted).
   */
  uint32_t max_events;
  /**
   * Observations taken from one message (default 512).
   */
  uint32_t max_observations_per_message;
  /**
   * Warnings followed at once (default 256).
   */
  uint32_t max_active_warnings;
  /**
   * Messages to send kept until taken (default 64; older ones are dropped and counted).
   */
  uint32_t max_transmissions;
  /**
   * Fusion track table size (1..`CV2X_MAX_TRACKS`, default 1024).
   */
  uint32_t max_tracks;
  /**
   * MAP and SPAT intersections kept (default 32).
   */
  uint32_t max_intersections;
  /**
   * RSI events and signs kept (default 64).
   */
  uint32_t max_road_info;
  /**
   * Vehicles whose reported flags are kept (default 1024).
   */
  uint32_t max_vehicles;
  /**
   * Day II entries kept (default 64).
   */
  uint32_t max_day2;
  /**
   * A SPAT older than this is stale for the applications, ms (1..600000, default 1000).
   */
  uint32_t spat_max_age_ms;
  /**
   * Reports older than this at fusion time are rejected, ms (1..60000, default 300).
   */
  uint32_t fusion_max_age_ms;
  /**
   * Reports later than the fusion time by more than this are rejected, ms (0..60000,
   * default 50).
   */
  uint32_t fusion_max_future_ms;
  /**
   * Version 2. The message sets detection tries (`CV2X_SETS_*` bits, at least one;
   * default `CV2X_SETS_ALL`).
   */
  uint32_t accept_sets;
  /**
   * Version 2. The set that decides an ambiguous frame, and the set of every frame no rule
   * covers when detection is off (`CV2X_STD_*`, default `CV2X_STD_CSAE53_2020`).
   */
  uint32_t default_set;
  /**
   * Version 2. `CV2X_SETS_DETECT`, `CV2X_SETS_REPORT` (default both).
   */
  uint32_t set_flags;
  /**
   * Version 2. Room for later fields (0).
   */
  uint32_t reserved2;
  /**
   * Version 3. When signatures are verified: `CV2X_VERIFY_ALWAYS` (default: every secured
   * message in full before use) or `CV2X_VERIFY_ON_DEMAND` (vehicles' BSMs and PSMs of a
   * known signer are used after the cheap checks and their signature verified when a warning
   * rests on them, at random samples per sender, and for a sender's first message; see
   * docs/verify-on-demand.md). The fields below apply to `CV2X_VERIFY_ON_DEMAND` and are
   * checked whatever the policy.
   */
  uint32_t verify_policy;
  /**
   * Version 3. Mean interval between two verifications of one sender's messages, ms: each
   * interval is drawn between half and one and a half times this (1..3600000, default 1000).
   */
  uint32_t verify_sample_interval_ms;
  /**
   * Version 3. Senders followed (1..`CV2X_MAX_CACHE_CAPACITY`, default 512); when all hold
   * an unverified message, a new sender's messages are verified on receipt.
   */
  uint32_t verify_max_senders;
  /**
   * Version 3. Longest SPDU kept for a later verification, octets (0..65535, default 1024);
   * a longer one is verified on receipt.
   */
  uint32_t verify_max_kept_bytes;
  /**
   * Version 3. After a failed verification, every message of that sender is verified before
   * use for this long, ms (0..3600000, default 10000).
   */
  uint32_t verify_quarantine_ms;
  /**
   * Version 3. A sender not heard from for this long is forgotten, ms (1..3600000, default
   * 10000; the quarantine when shorter).
   */
  uint32_t verify_sender_max_age_ms;
} cv2x_stack_config;

/**
 * A configured choice of message set. Rules apply in this order: a source rule naming the
 * transport source, then source rules naming the id inside the message and region rules (in
 * the order given), then AID rules, then detection. A set chosen by a rule that cannot decode
 * the frame drops it as a decode failure. Only the fields of `kind` are read.
 */
typedef struct cv2x_set_rule {
  /**
   * `CV2X_SET_RULE_*`.
   */
  uint32_t kind;
  /**
   * The set the rule chooses (`CV2X_STD_*`).
   */
  uint32_t set;
  /**
   * `CV2X_SET_RULE_AID`: the AID.
   */
  uint32_t aid;
  /**
   * Padding (0).
   */
  uint32_t reserved0;
  /**
   * `CV2X_SET_RULE_SOURCE`: the sender's id (a short transport id right-aligned).
   */
  uint8_t id[8];
  /**
   * `CV2X_SET_RULE_CIRCLE`: centre latitude, degrees.
   */
  double lat_deg;
  /**
   * `CV2X_SET_RULE_CIRCLE`: centre longitude, degrees.
   */
  double lon_deg;
  /**
   * `CV2X_SET_RULE_CIRCLE`: radius, m (> 0).
   */
  double radius_m;
  /**
   * `CV2X_SET_RULE_RECT`: southern latitude, degrees.
   */
  double south_deg;
  /**
   * `CV2X_SET_RULE_RECT`: western longitude, degrees.
   */
  double west_deg;
  /**
   * `CV2X_SET_RULE_RECT`: northern latitude, degrees (>= `south_deg`).
   */
  double north_deg;
  /**
   * `CV2X_SET_RULE_RECT`: eastern longitude, degrees.
   */
  double east_deg;
} cv2x_set_rule;

/**
 * Why something was dropped: `reason` (`CV2X_DROP_*`) and, for some reasons, a `detail`
 * code (0 when the reason has none).
 */
typedef struct cv2x_drop {
  /**
   * `CV2X_DROP_*`.
   */
  uint32_t reason;
  /**
   * A code that says more (see each `CV2X_DROP_*`), else 0.
   */
  uint32_t detail;
} cv2x_drop;

/**
 * What `cv2x_stack_ingest` did with one payload: accepted (what it was) or dropped (why).
 * Dropping is not an error of the call: the call returns `CV2X_OK` either way.
 */
typedef struct cv2x_ingest_outcome {
  /**
   * 1 when the message was used, 0 when dropped.
   */
  uint32_t accepted;
  /**
   * `CV2X_INGESTED_*` when accepted, else 0.
   */
  uint32_t message;
  /**
   * What the message carried (see each `CV2X_INGESTED_*`).
   */
  uint32_t count;
  /**
   * The AID used: the DSMP packet's, or the caller's (0 = unknown).
   */
  uint32_t aid;
  /**
   * `CV2X_PAYLOAD_FRAME` or `CV2X_PAYLOAD_SPDU`: how the payload was taken (after DSMP
   * dispatch for `CV2X_PAYLOAD_DSMP`); 0 when the packet did not dispatch.
   */
  uint32_t payload_kind;
  /**
   * The message set the frame was read with (`CV2X_STD_*`) when accepted, else 0.
   */
  uint32_t message_set;
  /**
   * Why it was dropped (when `accepted` is 0).
   */
  struct cv2x_drop drop;
} cv2x_ingest_outcome;

/**
 * A warning or advice (flat; positions in the stack's frame and in WGS-84).
 */
typedef struct cv2x_warning {
  /**
   * Stable for the warning's life (from raised to cleared), never 0.
   */
  uint32_t id;
  /**
   * `CV2X_WARNING_*`.
   */
  uint32_t change;
  /**
   * `CV2X_APP_*`.
   */
  uint32_t app;
  /**
   * `CV2X_LEVEL_*` (ordered: a higher value is more urgent).
   */
  uint32_t level;
  /**
   * `CV2X_TARGET_*`.
   */
  uint32_t target;
  /**
   * `CV2X_WARNING_HAS_*` bits.
   */
  uint32_t present;
  /**
   * Track id of an object target (the `id` of its `cv2x_object`).
   */
  uint32_t track_id;
  /**
   * `CV2X_ADVICE_*`.
   */
  uint32_t advice;
  /**
   * Id of a place target, stable while it is the same place.
   */
  uint64_t place_id;
  /**
   * The evaluation that produced it (TAI µs since 2004).
   */
  int64_t time;
  /**
   * When it was raised (see `CV2X_WARNING_HAS_RAISED_AT`).
   */
  int64_t raised_at;
  /**
   * Time to collision or to the conflict point, s.
   */
  double ttc_s;
  /**
   * Distance to the target or conflict point, m.
   */
  double distance_m;
  /**
   * Lower bound of the speed advice, km/h.
   */
  double advice_min_kph;
  /**
   * Upper bound of the speed advice, km/h.
   */
  double advice_max_kph;
  /**
   * Target position east of the stack's frame origin, m.
   */
  double x_m;
  /**
   * Target position north of the stack's frame origin, m.
   */
  double y_m;
  /**
   * Target latitude, degrees.
   */
  double lat_deg;
  /**
   * Target longitude, degrees.
   */
  double lon_deg;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[4];
} cv2x_warning;

/**
 * What a Day II message told the vehicle. The counts that do not belong to `kind` are 0.
 */
typedef struct cv2x_day2_event {
  /**
   * `CV2X_DAY2_*` kind.
   */
  uint32_t kind;
  /**
   * `CV2X_DAY2_HAS_*` bits.
   */
  uint32_t present;
  /**
   * `CV2X_DAY2_FOR_EGO`, `CV2X_DAY2_OPEN_TO_JOIN`.
   */
  uint32_t flags;
  /**
   * `CV2X_PLATOON_*` (platoon), else 0.
   */
  uint32_t role;
  /**
   * The RSU or vehicle that sent it.
   */
  uint8_t sender[8];
  /**
   * Coordination: vehicle coordinations.
   */
  uint32_t vehicles;
  /**
   * Coordination: lane coordinations.
   */
  uint32_t lanes;
  /**
   * Intention: requests.
   */
  uint32_t requests;
  /**
   * Intention: planned path points.
   */
  uint32_t path_points;
  /**
   * Parking: parking lot id.
   */
  uint32_t lot_id;
  /**
   * Parking: slots reported available.
   */
  uint32_t slots_available;
  /**
   * Parking: slots reported.
   */
  uint32_t slots;
  /**
   * Platoon: members listed by a leader.
   */
  uint32_t members;
  /**
   * Sensor sharing: detected participants.
   */
  uint32_t participants;
  /**
   * Sensor sharing: detected obstacles.
   */
  uint32_t obstacles;
  /**
   * Sensor sharing: traffic events.
   */
  uint32_t events;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved;
  /**
   * Coordination: recommended speed of the first lane coordination, m/s.
   */
  double recommended_speed_mps;
} cv2x_day2_event;

/**
 * One event of `cv2x_stack_poll`. `kind` says which part is meaningful: `warning` for
 * `CV2X_EVENT_WARNING` and `CV2X_EVENT_WARNING_CLEARED`, `drop` for `CV2X_EVENT_DROPPED`,
 * `day2` for `CV2X_EVENT_DAY2`, `count` for `CV2X_EVENT_OBJECTS` and `CV2X_EVENT_TRANSMIT`;
 * the other parts are zero.
 */
typedef struct cv2x_event {
  /**
   * `CV2X_EVENT_*`.
   */
  uint32_t kind;
  /**
   * Objects (`CV2X_EVENT_OBJECTS`), messages waiting to be sent (`CV2X_EVENT_TRANSMIT`), or
   * values a lift lost or changed (`CV2X_EVENT_LIFTED`).
   */
  uint32_t count;
  /**
   * When (TAI µs since 2004): the poll, the drop, the reception; a warning's evaluation.
   */
  int64_t time;
  /**
   * The warning.
   */
  struct cv2x_warning warning;
  /**
   * Why something was dropped.
   */
  struct cv2x_drop drop;
  /**
   * The Day II message.
   */
  struct cv2x_day2_event day2;
  /**
   * The message set (`CV2X_STD_*`) a `CV2X_EVENT_LIFTED` frame was read with, or the set
   * that decided a `CV2X_EVENT_AMBIGUOUS` one.
   */
  uint32_t set;
  /**
   * `CV2X_EVENT_AMBIGUOUS`: the sets that read the frame (`CV2X_SETS_*` bits).
   */
  uint32_t sets;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[2];
} cv2x_event;

/**
 * Receives one event of `cv2x_stack_poll_cb`; returns 0 to go on, anything else to stop.
 */
typedef uint32_t (*cv2x_event_cb)(void *user, const struct cv2x_event *e);

/**
 * A request of the ego (input). Fill it with `cv2x_command_init`, then set what the kind
 * needs; fields the kind does not use are ignored. Starts with `struct_size` (set by
 * `cv2x_command_init`): the library reads the fields that fit and defaults the rest.
 */
typedef struct cv2x_command {
  /**
   * `sizeof(cv2x_command)` of the caller.
   */
  uint32_t struct_size;
  /**
   * `CV2X_COMMAND_*` kind.
   */
  uint32_t kind;
  /**
   * `CV2X_COMMAND_HAS_*` bits.
   */
  uint32_t present;
  /**
   * `CV2X_SIDE_*` (lane change).
   */
  uint32_t side;
  /**
   * The lane (lane change, 0..255).
   */
  uint32_t lane;
  /**
   * The parking lot id (0..65535).
   */
  uint32_t lot;
  /**
   * The preferred slot (0..65535).
   */
  uint32_t slot;
  /**
   * Parking services: bit `i` for `ParkingRequest` bit `i` (0 enter, 1 exit, 2 park, 3 pay,
   * ...; 12 bits).
   */
  uint32_t services;
  /**
   * Kinds of slot: bit `i` for `ParkingType` bit `i` (10 bits).
   */
  uint32_t kinds;
  /**
   * Members of a platoon the ego leads (1..32).
   */
  uint32_t capacity;
  /**
   * Link: upstream node region (0..65535).
   */
  uint32_t upstream_region;
  /**
   * Link: upstream node id (0..65535).
   */
  uint32_t upstream_id;
  /**
   * Link: downstream node region (0..65535).
   */
  uint32_t downstream_region;
  /**
   * Link: downstream node id (0..65535).
   */
  uint32_t downstream_id;
  /**
   * Link: its lanes, bit `i` for lane `i` (1..15); 0 for the whole link.
   */
  uint32_t link_lanes;
  /**
   * Padding (0).
   */
  uint32_t reserved0;
  /**
   * How long the way should stay clear, s (clear the way; finite, > 0).
   */
  double duration_s;
  /**
   * The platoon id (17 octets).
   */
  uint8_t platoon[17];
  /**
   * Padding (0).
   */
  uint8_t reserved1[7];
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[4];
} cv2x_command;

/**
 * The detail of an active warning (`cv2x_stack_warning_detail`). Set `struct_size` before the
 * call. Fields whose `CV2X_DETAIL_HAS_*` bit is unset are 0; which guidance fields mean
 * something depends on `guidance` (see each `CV2X_GUIDANCE_*`).
 */
typedef struct cv2x_warning_detail {
  /**
   * `sizeof(cv2x_warning_detail)` of the caller (left as it is).
   */
  uint32_t struct_size;
  /**
   * `CV2X_DETAIL_HAS_*` bits.
   */
  uint32_t present;
  /**
   * The warning's id.
   */
  uint32_t id;
  /**
   * `CV2X_APP_*`.
   */
  uint32_t app;
  /**
   * `CV2X_ROAD_*` (with `CV2X_DETAIL_HAS_ROAD`).
   */
  uint32_t road_kind;
  /**
   * The event or sign type code (with `CV2X_DETAIL_HAS_ROAD`).
   */
  uint32_t road_code;
  /**
   * The item's priority, 0..7, higher more urgent.
   */
  uint32_t road_priority;
  /**
   * `CV2X_GUIDANCE_*`.
   */
  uint32_t guidance;
  /**
   * A state of the guidance: `CV2X_REQUEST_STATE_*`, `CV2X_MANEUVER_*`,
   * `CV2X_PLATOON_STATE_*` or `CV2X_PAYMENT_*`.
   */
  uint32_t state;
  /**
   * `CV2X_REQUEST_*` (request) or `CV2X_PAYMENT_SERVICE_*` (payment).
   */
  uint32_t request;
  /**
   * The request's number (`reqID`).
   */
  uint32_t request_id;
  /**
   * Lane guidance: the suggested behaviour, bit `i` for `DriveBehavior` bit `i`
   * (0 go straight, 1 lane change left, 2 lane change right, 3 ramp in, 4 ramp out, ...).
   */
  uint32_t behavior;
  /**
   * The target lane (lane guidance) or the lane to clear (yield).
   */
  uint32_t lane;
  /**
   * `CV2X_DETAIL_*` flags.
   */
  uint32_t flags;
  /**
   * Parking lot id.
   */
  uint32_t lot;
  /**
   * Target parking slot.
   */
  uint32_t slot;
  /**
   * Next node of the parking route.
   */
  uint32_t next_node;
  /**
   * Free slots of the lot.
   */
  uint32_t free_slots;
  /**
   * Slots of the lot the message lists.
   */
  uint32_t total_slots;
  /**
   * Automated valet parking level of the lot, 0..5.
   */
  uint32_t avp;
  /**
   * Platoon role (`CV2X_PLATOON_*`).
   */
  uint32_t role;
  /**
   * Position of the ego in the platoon's member list (0 = first).
   */
  uint32_t index;
  /**
   * Platoon members.
   */
  uint32_t members;
  /**
   * The amount the roadside announced (payment).
   */
  uint32_t amount;
  /**
   * Points in `point_x_m` .. `point_lon_deg` (lane guidance), at most
   * `CV2X_DETAIL_MAX_POINTS`.
   */
  uint32_t point_count;
  /**
   * Padding (0).
   */
  uint32_t reserved0;
  /**
   * The deceleration the ego needs from now on to avoid the collision, m/s² (positive).
   */
  double decel_mps2;
  /**
   * The value the road item states (a posted limit in km/h, a height in m, ...).
   */
  double road_value;
  /**
   * The speed limit a speed limit warning applies, km/h.
   */
  double limit_kph;
  /**
   * Suggested speed (lane guidance) or advised speed (platoon), m/s.
   */
  double speed_mps;
  /**
   * Distance of the priority vehicle behind (yield) or to the next maneuver (parking), m.
   */
  double distance_m;
  /**
   * Distance left to the slot along the route (parking), m.
   */
  double remaining_m;
  /**
   * Gap to the vehicle ahead (platoon), m.
   */
  double gap_m;
  /**
   * The gap to keep (platoon), m.
   */
  double target_gap_m;
  /**
   * The guidance holds from (TAI µs since 2004).
   */
  int64_t begin;
  /**
   * The guidance holds until (TAI µs since 2004).
   */
  int64_t end;
  /**
   * Path points east of the stack's frame origin, m.
   */
  double point_x_m[CV2X_DETAIL_MAX_POINTS];
  /**
   * Path points north of the stack's frame origin, m.
   */
  double point_y_m[CV2X_DETAIL_MAX_POINTS];
  /**
   * Path points' latitude, degrees.
   */
  double point_lat_deg[CV2X_DETAIL_MAX_POINTS];
  /**
   * Path points' longitude, degrees.
   */
  double point_lon_deg[CV2X_DETAIL_MAX_POINTS];
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[8];
} cv2x_warning_detail;

/**
 * The host vehicle: how the ego goes on the air. Fill it with `cv2x_host_config_default`,
 * then set at least `seed`. `struct_size` as for every config.
 */
typedef struct cv2x_host_config {
  /**
   * `sizeof(cv2x_host_config)` of the caller.
   */
  uint32_t struct_size;
  /**
   * `CV2X_HOST_*` bits.
   */
  uint32_t flags;
  /**
   * Seed of the generator of temporary ids, counter starts and certificate choices: fill
   * it from the platform's hardware random generator. An all-zero seed is refused
   * (`CV2X_ERR_INVALID_PARAMETER`).
   */
  uint8_t seed[32];
  /**
   * AID of periodic BSMs of an ordinary vehicle (default 111).
   */
  uint32_t bsm_aid_periodic;
  /**
   * AID of event BSMs of an ordinary vehicle (default 112).
   */
  uint32_t bsm_aid_event;
  /**
   * AID of periodic BSMs of a special vehicle (default 113).
   */
  uint32_t bsm_aid_special_periodic;
  /**
   * AID of event BSMs of a special vehicle (default 114).
   */
  uint32_t bsm_aid_special_event;
  /**
   * AID of SSMs (default 23).
   */
  uint32_t ssm_aid;
  /**
   * Interval between SSMs, ms (at least 10; default 100).
   */
  uint32_t ssm_interval_ms;
  /**
   * Tracks older than this are not shared, ms (default 500).
   */
  uint32_t ssm_max_track_age_ms;
  /**
   * Shortest (baseline) BSM interval, ms (at least 10; default 100).
   */
  uint32_t min_interval_ms;
  /**
   * Longest BSM interval under channel load, ms (default 600).
   */
  uint32_t max_interval_ms;
  /**
   * How often a signed message carries the whole certificate, ms (default 1000).
   */
  uint32_t certificate_interval_ms;
  /**
   * A fix older than this at send time is an outage (no BSM), ms (default 1000).
   */
  uint32_t max_fix_age_ms;
  /**
   * Room (0).
   */
  uint32_t reserved0;
  /**
   * Least time between pseudonym changes, ms (`CV2X_HOST_PSEUDONYM_INTERVAL`).
   */
  uint64_t pseudonym_interval_ms;
  /**
   * Least distance between pseudonym changes, m (`CV2X_HOST_PSEUDONYM_DISTANCE`).
   */
  double pseudonym_distance_m;
  /**
   * Deceleration that is hard braking, m/s² (default 0.4 g).
   */
  double hard_braking_mps2;
} cv2x_host_config;

/**
 * What a message to send is; its DSMP packet is in the caller's buffer.
 */
typedef struct cv2x_transmission_info {
  /**
   * `CV2X_TX_*` kind (BSM, SSM, VIR, CLPMM, VPM).
   */
  uint32_t kind;
  /**
   * `CV2X_TX_*` flags.
   */
  uint32_t flags;
  /**
   * The AID (also in the DSMP header).
   */
  uint32_t aid;
  /**
   * The message's `msgCnt`.
   */
  uint32_t msg_cnt;
  /**
   * When it was made (the poll; the SPDU's generation time), TAI µs since 2004.
   */
  int64_t time;
  /**
   * The temporary id it carries.
   */
  uint8_t temporary_id[8];
  /**
   * HashedId8 of the signing certificate (`CV2X_TX_SIGNED`).
   */
  uint8_t certificate_id8[8];
  /**
   * Offset of the DSMP data (the SPDU when signed, else the UPER MessageFrame) in the
   * caller's buffer.
   */
  uint32_t payload_offset;
  /**
   * Length of the DSMP data.
   */
  uint32_t payload_len;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[4];
} cv2x_transmission_info;

/**
 * The ego vehicle's state at one instant, SI units: what its positioning and ECUs know.
 * `cv2x_ego_init` fills `struct_size` and the mandatory part (time, position fix, heading,
 * speed); every other value counts only when its `CV2X_EGO_HAS_*` bit is set in `present`.
 *
 * Conventions (those of T/CSAE 53, so the wire conversion is a scaling): heading 0 = true
 * north, clockwise, 0..360; yaw rate degrees/s, positive clockwise seen from above (a right
 * turn); SAE J670 axes (x forward, y right, z down): accelerations positive forward, to the
 * right and downward; steering wheel positive to the right; `*_95` accuracies at 95 %
 * confidence, the error ellipse at one standard deviation. Bad values (NaN, infinite, out of
 * range) are taken as not available by the transmit side and refused by fusion.
 */
typedef struct cv2x_ego {
  /**
   * `sizeof(cv2x_ego)` of the caller (`cv2x_ego_init` sets it).
   */
  uint32_t struct_size;
  /**
   * `CV2X_FIX_*`.
   */
  uint32_t fix_quality;
  /**
   * `CV2X_EGO_HAS_*` bits.
   */
  uint64_t present;
  /**
   * The instant the state describes, TAI µs since 2004; increasing from one state to the
   * next.
   */
  int64_t time;
  /**
   * Time of the position fix, TAI µs since 2004 (`cv2x_ego_init`: `time`).
   */
  int64_t fix_time;
  /**
   * Latitude, degrees.
   */
  double lat_deg;
  /**
   * Longitude, degrees.
   */
  double lon_deg;
  /**
   * Elevation above the WGS-84 ellipsoid, m.
   */
  double elevation_m;
  /**
   * Heading, degrees, 0 = north, clockwise.
   */
  double heading_deg;
  /**
   * Speed over ground, m/s.
   */
  double speed_mps;
  /**
   * Yaw rate, degrees/s, clockwise positive.
   */
  double yaw_rate_dps;
  /**
   * Longitudinal acceleration, m/s², positive forward.
   */
  double accel_long_mps2;
  /**
   * Lateral acceleration, m/s², positive to the right.
   */
  double accel_lat_mps2;
  /**
   * Vertical acceleration, m/s², positive downward.
   */
  double accel_vert_mps2;
  /**
   * Steering wheel angle, degrees, positive to the right.
   */
  double steering_wheel_angle_deg;
  /**
   * Speed accuracy (95 %), m/s.
   */
  double speed_accuracy_mps_95;
  /**
   * Heading accuracy (95 %), degrees.
   */
  double heading_accuracy_deg_95;
  /**
   * GNSS error ellipse semi-major axis (1σ), m.
   */
  double semi_major_m;
  /**
   * GNSS error ellipse semi-minor axis (1σ), m.
   */
  double semi_minor_m;
  /**
   * Orientation of the semi-major axis, degrees clockwise from north.
   */
  double orientation_deg;
  /**
   * Elevation accuracy (95 %), m.
   */
  double elevation_accuracy_m_95;
  /**
   * Accuracy of the fix time (95 %), s.
   */
  double time_accuracy_s_95;
  /**
   * Length, m.
   */
  double length_m;
  /**
   * Width, m.
   */
  double width_m;
  /**
   * Height, m.
   */
  double height_m;
  /**
   * `CV2X_GEAR_*`.
   */
  uint32_t transmission;
  /**
   * Exterior lights on: `CV2X_LIGHTS_*` bits (the turn signals and hazard lights give the
   * applications the ego's turn intention).
   */
  uint32_t lights;
  /**
   * Events the ECUs report: `CV2X_VEHICLE_EVENT_*` bits (the host vehicle adds those it
   * derives).
   */
  uint32_t events;
  /**
   * Brake pedal pressed (1) or not (0).
   */
  uint32_t brake_pedal;
  /**
   * Wheel brakes applied: `CV2X_WHEEL_*` bits.
   */
  uint32_t wheel_brakes;
  /**
   * Anti-lock brakes, `CV2X_CONTROL_*`.
   */
  uint32_t abs;
  /**
   * Traction control, `CV2X_CONTROL_*`.
   */
  uint32_t traction;
  /**
   * Stability control, `CV2X_CONTROL_*`.
   */
  uint32_t stability;
  /**
   * Brake assist acting (1) or not (0).
   */
  uint32_t brake_boost;
  /**
   * Auxiliary brakes on (1) or off (0).
   */
  uint32_t aux_brakes;
  /**
   * BasicVehicleClass (0..255; 10 = passenger car).
   */
  uint32_t vehicle_class;
  /**
   * FuelType (0..15).
   */
  uint32_t fuel_type;
  /**
   * `CV2X_RESPONSE_*`.
   */
  uint32_t response;
  /**
   * Siren on (1) or off (0).
   */
  uint32_t siren;
  /**
   * `CV2X_LIGHT_BAR_*`.
   */
  uint32_t light_bar;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved;
} cv2x_ego;

/**
 * One object tracked by the ego's own sensors. `cv2x_track_init` fills `struct_size` and
 * zeroes the rest. In an array every element has the same `struct_size`. Without a
 * covariance the fusion core takes the default accuracy of the `source_type`.
 */
typedef struct cv2x_track {
  /**
   * `sizeof(cv2x_track)` of the caller.
   */
  uint32_t struct_size;
  /**
   * `CV2X_TRACK_HAS_*` bits.
   */
  uint32_t present;
  /**
   * The sensor (or sensor fusion unit) number.
   */
  uint32_t sensor;
  /**
   * `CV2X_POSITION_*`.
   */
  uint32_t position_kind;
  /**
   * `CV2X_MOTION_*`.
   */
  uint32_t motion_kind;
  /**
   * ParticipantType: 0 unknown, 1 motor vehicle, 2 non-motor, 3 pedestrian, 4 RSU.
   */
  uint32_t object_class;
  /**
   * SourceType: 0 unknown, 3 video, 4 microwave radar, 6 lidar, 7 integrated (...).
   */
  uint32_t source_type;
  /**
   * Room (0).
   */
  uint32_t reserved0;
  /**
   * The object's id within the sensor (stable while the sensor tracks it).
   */
  uint64_t object_id;
  /**
   * When the object was at this position, TAI µs since 2004.
   */
  int64_t time;
  /**
   * The vehicle's temporary id.
   */
  uint8_t vehicle_id[8];
  /**
   * Forward of the ego, m (`CV2X_POSITION_EGO`).
   */
  double x_m;
  /**
   * Left of the ego, m (`CV2X_POSITION_EGO`).
   */
  double y_m;
  /**
   * Latitude, degrees (`CV2X_POSITION_WGS84`).
   */
  double lat_deg;
  /**
   * Longitude, degrees (`CV2X_POSITION_WGS84`).
   */
  double lon_deg;
  /**
   * Speed over ground, m/s (`CV2X_MOTION_SPEED_HEADING`).
   */
  double speed_mps;
  /**
   * Heading, degrees, 0 = north, clockwise (`CV2X_MOTION_SPEED_HEADING`).
   */
  double heading_deg;
  /**
   * Velocity forward, m/s (ego velocity motions).
   */
  double vx_mps;
  /**
   * Velocity to the left, m/s (ego velocity motions).
   */
  double vy_mps;
  /**
   * Yaw rate, degrees/s, clockwise positive.
   */
  double yaw_rate_dps;
  /**
   * Longitudinal acceleration, m/s².
   */
  double accel_mps2;
  /**
   * Length, m.
   */
  double length_m;
  /**
   * Width, m.
   */
  double width_m;
  /**
   * Height, m (0 = unknown).
   */
  double height_m;
  /**
   * Position variance along x (forward or east), m².
   */
  double pos_var_x;
  /**
   * Position covariance, m².
   */
  double pos_cov_xy;
  /**
   * Position variance along y (left or north), m².
   */
  double pos_var_y;
  /**
   * Velocity variance along x, (m/s)².
   */
  double vel_var_x;
  /**
   * Velocity covariance, (m/s)².
   */
  double vel_cov_xy;
  /**
   * Velocity variance along y, (m/s)².
   */
  double vel_var_y;
  /**
   * Speed standard deviation, m/s.
   */
  double speed_sigma_mps;
  /**
   * Heading standard deviation, degrees.
   */
  double heading_sigma_deg;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[4];
} cv2x_track;

/**
 * A calendar date.
 */
typedef struct cv2x_date {
  /**
   * Year.
   */
  uint32_t year;
  /**
   * Month, 1..12.
   */
  uint32_t month;
  /**
   * Day, 1..31.
   */
  uint32_t day;
} cv2x_date;

/**
 * The on-board unit's payment data for one application (`OBUPaymentInfoType1`), written by
 * the `application` callback into the library's struct (zeroed, `struct_size` set: write
 * nothing beyond it). Used for the one message being built, then forgotten.
 */
typedef struct cv2x_payment_data {
  /**
   * `sizeof(cv2x_payment_data)` of the library (set by it).
   */
  uint32_t struct_size;
  /**
   * `CV2X_PAYDATA_HAS_*` bits (set by the callback).
   */
  uint32_t present;
  /**
   * `CV2X_EQUIPMENT_*`.
   */
  uint32_t equipment;
  /**
   * Octets of `card_issue` used (at most `CV2X_PAYMENT_CARD_FILE_MAX`).
   */
  uint32_t card_issue_len;
  /**
   * Octets of `card_toll` used.
   */
  uint32_t card_toll_len;
  /**
   * Octets of `card_balance` used.
   */
  uint32_t card_balance_len;
  /**
   * Card issue information file.
   */
  uint8_t card_issue[CV2X_PAYMENT_CARD_FILE_MAX];
  /**
   * Card toll information file.
   */
  uint8_t card_toll[CV2X_PAYMENT_CARD_FILE_MAX];
  /**
   * Card balance.
   */
  uint8_t card_balance[CV2X_PAYMENT_CARD_FILE_MAX];
  /**
   * Contract issuer.
   */
  uint8_t contract_provider[8];
  /**
   * Contract serial number.
   */
  uint8_t contract_serial[8];
  /**
   * Contract type, 0..127.
   */
  uint32_t contract_kind;
  /**
   * Contract version, 0..127.
   */
  uint32_t contract_version;
  /**
   * Signed on.
   */
  struct cv2x_date contract_signed;
  /**
   * Expires on.
   */
  struct cv2x_date contract_expires;
  /**
   * Licence plate number (GB2312 text, zero padded).
   */
  uint8_t vehicle_plate[12];
  /**
   * Licence plate colour code.
   */
  uint8_t vehicle_plate_color[2];
  /**
   * Padding (0).
   */
  uint8_t reserved0[2];
  /**
   * Toll class, 0..127.
   */
  uint32_t vehicle_toll_class;
  /**
   * User type, 0..127.
   */
  uint32_t vehicle_user_type;
  /**
   * Length as the file records it, 0..65535.
   */
  uint32_t vehicle_length;
  /**
   * Width, 0..255.
   */
  uint32_t vehicle_width;
  /**
   * Height, 0..255.
   */
  uint32_t vehicle_height;
  /**
   * Wheels, 0..127.
   */
  uint32_t vehicle_wheels;
  /**
   * Axles, 0..127.
   */
  uint32_t vehicle_axles;
  /**
   * Wheel base, 0..65535.
   */
  uint32_t vehicle_wheel_base;
  /**
   * Permitted weight or seats, 0..16777215.
   */
  uint32_t vehicle_weight_limit;
  /**
   * Vehicle identification.
   */
  uint8_t vehicle_identification[16];
  /**
   * Engine number.
   */
  uint8_t vehicle_engine[16];
  /**
   * Amount charged at the entrance, 4 octets.
   */
  uint8_t entrance_amount[4];
  /**
   * The entrance's tolling point id.
   */
  uint64_t entrance_id;
  /**
   * When the entrance was passed (TAI µs since 2004).
   */
  int64_t entrance_time;
  /**
   * The entrance's latitude, degrees.
   */
  double entrance_lat_deg;
  /**
   * Its longitude, degrees.
   */
  double entrance_lon_deg;
  /**
   * Its altitude, m.
   */
  double entrance_alt_m;
} cv2x_payment_data;

/**
 * One payment application a roadside unit offers, as `accept` gets it (valid during the
 * callback only).
 */
typedef struct cv2x_payment_offer {
  /**
   * The application, `CV2X_PAYMENT_SERVICE_*`.
   */
  uint32_t service;
  /**
   * `CV2X_OFFER_HAS_*` bits.
   */
  uint32_t present;
  /**
   * The tolling point's id.
   */
  uint64_t station_id;
  /**
   * The tolling point's latitude, degrees.
   */
  double station_lat_deg;
  /**
   * Its longitude, degrees.
   */
  double station_lon_deg;
  /**
   * The direction of travel tolled, degrees (0 north, clockwise).
   */
  double direction_deg;
  /**
   * Start of the tolled stretch, latitude and longitude, degrees.
   */
  double entrance_lat_deg;
  /**
   * Start of the tolled stretch, longitude.
   */
  double entrance_lon_deg;
  /**
   * End of the tolled stretch, latitude, degrees.
   */
  double exit_lat_deg;
  /**
   * End of the tolled stretch, longitude.
   */
  double exit_lon_deg;
  /**
   * Start of validity (TAI µs since 2004).
   */
  int64_t begin;
  /**
   * End of validity.
   */
  int64_t end;
  /**
   * The kind of tolling point, `CV2X_STATION_*`.
   */
  uint32_t station_kind;
  /**
   * Amount charged, in the operator's unit as sent.
   */
  uint32_t price;
  /**
   * Map nodes of the tolled road.
   */
  uint32_t road_nodes;
  /**
   * 0.
   */
  uint32_t reserved;
} cv2x_payment_offer;

/**
 * A command to read the vehicle (and toll) information files (`GetTollDataRq`).
 */
typedef struct cv2x_payment_read {
  /**
   * `CV2X_READ_HAS_*` bits.
   */
  uint32_t present;
  /**
   * Part of the vehicle information file: byte offset.
   */
  uint32_t vehicle_offset;
  /**
   * Part of the vehicle information file: octets (at most 127).
   */
  uint32_t vehicle_length;
  /**
   * Part of the toll information file: byte offset.
   */
  uint32_t toll_offset;
  /**
   * Part of the toll information file: octets.
   */
  uint32_t toll_length;
  /**
   * Key id for access control.
   */
  uint32_t key_id;
} cv2x_payment_read;

/**
 * A command to read a file with authentication (`GetSecureRq`).
 */
typedef struct cv2x_payment_secure_read {
  /**
   * `CV2X_SECURE_READ_HAS_*` bits.
   */
  uint32_t present;
  /**
   * Byte offset.
   */
  uint32_t offset;
  /**
   * Octets.
   */
  uint32_t length;
  /**
   * Key id for authentication.
   */
  uint32_t auth_key;
  /**
   * Key id for encryption.
   */
  uint32_t encrypt_key;
  /**
   * The roadside unit's random number.
   */
  uint8_t rnd[8];
} cv2x_payment_secure_read;

/**
 * A request to write toll data, that is to charge (`SetTollDataRq`).
 */
typedef struct cv2x_charge_request {
  /**
   * `CV2X_CHARGE_HAS_*` bits.
   */
  uint32_t present;
  /**
   * Key id for authentication.
   */
  uint32_t key_id;
  /**
   * The roadside unit's random number.
   */
  uint8_t rnd[8];
  /**
   * TAC parameters: amount, 4 octets.
   */
  uint8_t tac_amount[4];
  /**
   * Transaction type.
   */
  uint8_t tac_kind[1];
  /**
   * Terminal id.
   */
  uint8_t tac_terminal[6];
  /**
   * Serial number.
   */
  uint8_t tac_serial[4];
  /**
   * Time.
   */
  uint8_t tac_time[7];
  /**
   * Station id.
   */
  uint8_t tac_station[3];
  /**
   * Toll data to write.
   */
  uint8_t toll_data[CV2X_PAYMENT_FILE_BYTES];
  /**
   * Where to write it: byte offset.
   */
  uint32_t toll_offset;
  /**
   * Octets.
   */
  uint32_t toll_length;
  /**
   * The tolling point's id.
   */
  uint64_t point_id;
  /**
   * The tolling point's latitude, degrees.
   */
  double point_lat_deg;
  /**
   * Its longitude, degrees.
   */
  double point_lon_deg;
  /**
   * Its altitude, m.
   */
  double point_alt_m;
} cv2x_charge_request;

/**
 * The result of a charge (`SetTollDataRs`), written by the `charge` callback into the
 * library's struct (zeroed, `struct_size` set).
 */
typedef struct cv2x_charge_receipt {
  /**
   * `sizeof(cv2x_charge_receipt)` of the library (set by it).
   */
  uint32_t struct_size;
  /**
   * `CV2X_RECEIPT_HAS_*` bits (set by the callback).
   */
  uint32_t present;
  /**
   * Octets of `account` used (2..32).
   */
  uint32_t account_len;
  /**
   * Transaction authentication code.
   */
  uint8_t tac[4];
  /**
   * Authenticator.
   */
  uint8_t authenticator[8];
  /**
   * The account charged.
   */
  uint8_t account[32];
  /**
   * Transaction credential.
   */
  uint8_t credential[32];
} cv2x_charge_receipt;

/**
 * The caller's payment account for near-field payment (VNFP over the VPM): the data and the
 * secure operations of the on-board unit's payment part (its secure access module, its card),
 * as callbacks. The Rust `PaymentAccount` trait in C.
 *
 * Required: `application`, `read_files`, `secure_read`, `charge`
 * (`CV2X_ERR_MISSING_CALLBACK`). Optional (NULL: the default): `obu_kind` (factory-fitted),
 * `accept` (every offer accepted), `challenge` (no random number sent), `channel` (refused,
 * access denied), `result` (ignored), `release`.
 *
 * Every callback gets `user_data` and `service` (`CV2X_PAYMENT_SERVICE_*`) where it applies,
 * and writes only into the library's out-parameters, which it may fill during the call only.
 * The library copies what they hold into the one message it builds and stores nothing of it
 * after that. A callback's failure is the account's refusal, never an error of the stack:
 * `application` not `CV2X_OK` = the account does not take part in the service; `accept` not
 * `CV2X_OK` = the offer is declined; `obu_kind` / `challenge` not `CV2X_OK` = their default;
 * the command callbacks return a `CV2X_PAYMENT_RET_*` status (any other value is
 * `CV2X_PAYMENT_RET_PROCESSING_FAILURE`), sent to the roadside in the answer. Data out of
 * range (a length past its buffer, an unknown code) is that callback's failure.
 *
 * Callbacks run synchronously inside `cv2x_stack_poll` / `cv2x_stack_poll_cb`, on the thread
 * that called it; calling back into the same stack returns `CV2X_ERR_REENTRANT`. A callback
 * must return normally (no `longjmp`, no C++ exception through it).
 *
 * Ownership of `user_data`: when `cv2x_stack_set_payment_account` succeeds, the library keeps a
 * copy of this struct and calls `release(user_data)` (when not NULL) exactly once, when the
 * account is replaced or removed or the stack freed. When the call fails, `release` is not
 * called.
 */
typedef struct cv2x_payment_account {
  /**
   * `sizeof(cv2x_payment_account)` of the caller.
   */
  uint32_t struct_size;
  /**
   * Must be 0.
   */
  uint32_t flags;
  /**
   * Passed to every callback.
   */
  void *user_data;
  /**
   * Required. The account's data for `service` into `out` (zeroed, `out->struct_size`
   * set); `CV2X_OK` when the account takes part in it, anything else when not.
   */
  uint32_t (*application)(void *user, uint32_t service, struct cv2x_payment_data *out);
  /**
   * Optional. The kind of on-board unit (`CV2X_OBU_*`) into `kind`.
   */
  uint32_t (*obu_kind)(void *user, uint32_t *kind);
  /**
   * Optional. Whether to pay `offer` (the driver's consent, a spending limit): `CV2X_OK` to
   * pay. `info` (`info_len` octets, may be NULL when 0) is the offer's further service
   * information.
   */
  uint32_t (*accept)(void *user,
                     const struct cv2x_payment_offer *offer,
                     const uint8_t *info,
                     size_t info_len);
  /**
   * Optional. A random number for the roadside's authentication of the on-board unit, from
   * the secure element, into `rnd` (8 octets); `CV2X_OK` when given.
   */
  uint32_t (*challenge)(void *user, uint8_t *rnd);
  /**
   * Required. Reads the parts of the vehicle information file (into `vehicle`, 127 octets)
   * and, when `rq` has `CV2X_READ_HAS_TOLL`, of the toll information file (into `toll`, 127
   * octets; write 1 to `toll_written` when done). Returns a `CV2X_PAYMENT_RET_*` status.
   */
  uint32_t (*read_files)(void *user,
                         uint32_t service,
                         const struct cv2x_payment_read *rq,
                         uint8_t *vehicle,
                         uint8_t *toll,
                         uint32_t *toll_written);
  /**
   * Required. Reads a part of a file with authentication: the authenticator over it (8
   * octets into `authenticator`), computed with the roadside's random number and the keys
   * named. Returns a `CV2X_PAYMENT_RET_*` status.
   */
  uint32_t (*secure_read)(void *user,
                          uint32_t service,
                          const struct cv2x_payment_secure_read *rq,
                          uint8_t *authenticator);
  /**
   * Required. Writes the toll data: charges the account; the receipt into `out` (zeroed,
   * `out->struct_size` set). Returns a `CV2X_PAYMENT_RET_*` status.
   */
  uint32_t (*charge)(void *user,
                     uint32_t service,
                     const struct cv2x_charge_request *rq,
                     struct cv2x_charge_receipt *out);
  /**
   * Optional. Passes `n` APDUs (127-octet blocks at `apdus`) to the component `channel`
   * (`CV2X_PAYMENT_CHANNEL_*`) and writes its responses, 127-octet blocks, to `out` (room
   * for `cap` blocks) and their number to `out_n`. Returns a `CV2X_PAYMENT_RET_*` status.
   */
  uint32_t (*channel)(void *user,
                      uint32_t channel,
                      const uint8_t *apdus,
                      uint32_t n,
                      uint8_t *out,
                      uint32_t cap,
                      uint32_t *out_n);
  /**
   * Optional. The roadside's result of a transaction (`CV2X_TOLL_RESULT_*`), to show or
   * record.
   */
  void (*result)(void *user, uint32_t service, uint32_t result);
  /**
   * Optional. Called once when the library is done with the account.
   */
  void (*release)(void *user);
} cv2x_payment_account;

/**
 * One fused object of the last poll (confirmed and coasting tracks).
 */
typedef struct cv2x_object {
  /**
   * Stable track id (warnings about the object name it in `track_id`).
   */
  uint32_t id;
  /**
   * `CV2X_TRACK_*`.
   */
  uint32_t status;
  /**
   * ParticipantType: 0 unknown, 1 motor vehicle, 2 non-motor, 3 pedestrian, 4 RSU.
   */
  uint32_t object_class;
  /**
   * `CV2X_OBJECT_HAS_*` bits.
   */
  uint32_t present;
  /**
   * `CV2X_OBJECT_*` flags.
   */
  uint32_t flags;
  /**
   * Room (0).
   */
  uint32_t reserved0;
  /**
   * Time of the state (the poll), TAI µs since 2004.
   */
  int64_t time;
  /**
   * The vehicle's temporary id.
   */
  uint8_t vehicle_id[8];
  /**
   * Time since the track was created, ms.
   */
  int64_t age_ms;
  /**
   * Time since its last update, ms.
   */
  int64_t since_update_ms;
  /**
   * Latitude, degrees.
   */
  double lat_deg;
  /**
   * Longitude, degrees.
   */
  double lon_deg;
  /**
   * East of the stack's frame origin, m.
   */
  double x_m;
  /**
   * North of the stack's frame origin, m.
   */
  double y_m;
  /**
   * Velocity east, m/s.
   */
  double vx_mps;
  /**
   * Velocity north, m/s.
   */
  double vy_mps;
  /**
   * Speed, m/s.
   */
  double speed_mps;
  /**
   * Heading, degrees, 0 = north, clockwise.
   */
  double heading_deg;
  /**
   * Yaw rate, degrees/s, clockwise positive.
   */
  double yaw_rate_dps;
  /**
   * Longitudinal acceleration, m/s² (negative when braking).
   */
  double accel_mps2;
  /**
   * Length, m.
   */
  double length_m;
  /**
   * Width, m.
   */
  double width_m;
  /**
   * Height, m (0 when unknown).
   */
  double height_m;
  /**
   * Position variance east, m².
   */
  double pos_var_x;
  /**
   * Position covariance east-north, m².
   */
  double pos_cov_xy;
  /**
   * Position variance north, m².
   */
  double pos_var_y;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[2];
} cv2x_object;

/**
 * The incoming lane of a MAP the ego was matched to at the last poll.
 */
typedef struct cv2x_lane {
  /**
   * Road regulator region of the intersection (0 when not given).
   */
  uint32_t region;
  /**
   * Intersection (node) id.
   */
  uint32_t intersection_id;
  /**
   * Lane id.
   */
  uint32_t lane_id;
  /**
   * Index of the lane in the intersection's lanes.
   */
  uint32_t lane_index;
  /**
   * Index of the incoming link within the node.
   */
  uint32_t link_index;
  /**
   * `CV2X_TURN_*`: the movement the ego takes.
   */
  uint32_t turn;
  /**
   * `CV2X_LANE_HAS_*` bits.
   */
  uint32_t present;
  /**
   * The signal phase governing the movement.
   */
  uint32_t phase_id;
  /**
   * Distance along the lane to its stop line, m.
   */
  double distance_to_stop_m;
  /**
   * Lateral offset from the lane's centre line, m (positive: left).
   */
  double lateral_m;
  /**
   * Ego heading minus lane heading, degrees (-180, 180].
   */
  double heading_error_deg;
  /**
   * Stop line latitude, degrees.
   */
  double stop_lat_deg;
  /**
   * Stop line longitude, degrees.
   */
  double stop_lon_deg;
  /**
   * Stop line altitude, m.
   */
  double stop_alt_m;
  /**
   * The lane's (or link's) speed limit, m/s.
   */
  double speed_limit_mps;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[2];
} cv2x_lane;

/**
 * Counters since the stack was made. Set `struct_size` before the call: the library writes
 * the fields that fit in it (at least the first version's) and leaves `struct_size` as it is.
 */
typedef struct cv2x_stack_counters {
  /**
   * `sizeof(cv2x_stack_counters)` of the caller.
   */
  uint32_t struct_size;
  /**
   * Room (0).
   */
  uint32_t reserved0;
  /**
   * Payloads handed to `cv2x_stack_ingest` (DSMP packets that dispatched).
   */
  uint64_t received;
  /**
   * Messages used (`received == accepted + dropped`).
   */
  uint64_t accepted;
  /**
   * Messages dropped, whatever the reason.
   */
  uint64_t dropped;
  /**
   * SPDUs verified.
   */
  uint64_t verified;
  /**
   * BSMs used.
   */
  uint64_t bsm;
  /**
   * PSMs used.
   */
  uint64_t psm;
  /**
   * RSMs used.
   */
  uint64_t rsm;
  /**
   * SSMs used.
   */
  uint64_t ssm;
  /**
   * MAPs used.
   */
  uint64_t map;
  /**
   * SPATs used.
   */
  uint64_t spat;
  /**
   * RSIs used.
   */
  uint64_t rsi;
  /**
   * Other Day II messages used.
   */
  uint64_t day2;
  /**
   * Dropped: too large.
   */
  uint64_t too_large;
  /**
   * Dropped: SPDU without verifier.
   */
  uint64_t no_verifier;
  /**
   * Dropped: unsigned while signatures are required.
   */
  uint64_t unsigned_messages;
  /**
   * Dropped: verification failed.
   */
  uint64_t verify_failed;
  /**
   * Dropped: decoding failed.
   */
  uint64_t decode_failed;
  /**
   * Dropped: own messages.
   */
  uint64_t own_messages;
  /**
   * Dropped: message type not used.
   */
  uint64_t unsupported;
  /**
   * Reports not converted.
   */
  uint64_t adapt_failed;
  /**
   * Reports rejected by fusion.
   */
  uint64_t fusion_rejected;
  /**
   * Observations beyond the per-message limit.
   */
  uint64_t observations_dropped;
  /**
   * Events dropped because a queue was full.
   */
  uint64_t events_dropped;
  /**
   * Warnings not followed because the table was full.
   */
  uint64_t warnings_dropped;
  /**
   * Polls.
   */
  uint64_t polls;
  /**
   * Warnings raised.
   */
  uint64_t warnings_raised;
  /**
   * Warnings updated.
   */
  uint64_t warnings_updated;
  /**
   * Warnings cleared.
   */
  uint64_t warnings_cleared;
  /**
   * Calls with time going backwards.
   */
  uint64_t time_went_backwards;
  /**
   * Ego states refused.
   */
  uint64_t ego_rejected;
  /**
   * Messages the host vehicle produced.
   */
  uint64_t transmitted;
  /**
   * Messages due that could not be built, signed or framed.
   */
  uint64_t transmit_failed;
  /**
   * Messages to send dropped because the queue was full.
   */
  uint64_t transmissions_dropped;
  /**
   * Certificate requests of verified messages handed to the host vehicle.
   */
  uint64_t certificate_requests;
  /**
   * DSMP packets handed to `cv2x_stack_ingest`.
   */
  uint64_t dsmp_packets;
  /**
   * DSMP packets dispatched.
   */
  uint64_t dsmp_dispatched;
  /**
   * DSMP packets dropped for an AID not in the table.
   */
  uint64_t dsmp_unknown_aid;
  /**
   * DSMP packets dropped for a version other than 0.
   */
  uint64_t dsmp_unsupported_version;
  /**
   * Buffers whose adaptation layer named another protocol.
   */
  uint64_t dsmp_not_dsmp;
  /**
   * DSMP packets dropped as malformed.
   */
  uint64_t dsmp_malformed;
  /**
   * Host vehicle: states accepted.
   */
  uint64_t host_states;
  /**
   * Host vehicle: states refused (time not increasing).
   */
  uint64_t host_states_refused;
  /**
   * Host vehicle: values dropped to "not available".
   */
  uint64_t host_values_dropped;
  /**
   * Host vehicle: BSMs sent.
   */
  uint64_t host_bsm;
  /**
   * Host vehicle: BSMs sent at once for a new event.
   */
  uint64_t host_event_bsm;
  /**
   * Host vehicle: extra BSMs for the tracking error.
   */
  uint64_t host_tracking_bsm;
  /**
   * Host vehicle: BSMs not sent for want of a current fix.
   */
  uint64_t host_no_fix;
  /**
   * Host vehicle: SSMs sent.
   */
  uint64_t host_ssm;
  /**
   * Host vehicle: pseudonym changes.
   */
  uint64_t host_pseudonym_changes;
  /**
   * Host vehicle: changes due but not possible.
   */
  uint64_t host_changes_blocked;
  /**
   * Host vehicle: messages that failed to encode, sign or frame.
   */
  uint64_t host_failures;
  /**
   * Version 2. Frames used that were read with T/CSAE 53-2020 (with Day II).
   */
  uint64_t frames_2020;
  /**
   * Version 2. Frames used that were read with the 2019 release (and lifted).
   */
  uint64_t frames_2019;
  /**
   * Version 2. Frames used that were read with T/CSAE 53-2017 (and lifted).
   */
  uint64_t frames_2017;
  /**
   * Version 2. Frames several sets read with different meanings (the default set decided).
   */
  uint64_t ambiguous_frames;
  /**
   * Version 2. Frames whose lift into the 2020 model lost or changed something.
   */
  uint64_t lifted_with_changes;
  /**
   * Version 2. Day II messages of the cooperative applications handed to the host vehicle.
   */
  uint64_t day2_sent;
  /**
   * Version 2. Day II messages of the cooperative applications not sent (no host vehicle or
   * no pseudonym yet, a message that did not encode, a full queue).
   */
  uint64_t day2_unsent;
  /**
   * Version 2. Commands refused because too many were waiting.
   */
  uint64_t commands_dropped;
  /**
   * Version 3. Verify on demand: SPDUs used after the cheap checks, their signature not
   * verified yet (each counted in `accepted` too).
   */
  uint64_t deferred;
  /**
   * Version 3. Verify on demand: deferred SPDUs verified later because a warning rested on
   * them (also counted in `verified`).
   */
  uint64_t verified_for_warnings;
  /**
   * Version 3. Verify on demand: senders whose unverified data was taken back after a failed
   * verification (`CV2X_DROP_RETRACTED`).
   */
  uint64_t retracted;
  /**
   * Version 3. Verify on demand: warnings not released because what they rest on failed
   * verification or could not be verified.
   */
  uint64_t warnings_withheld;
  /**
   * Version 3. Verify on demand: senders forgotten to make room for a new one.
   */
  uint64_t senders_evicted;
} cv2x_stack_counters;

/**
 * How full the bounded stores are.
 */
typedef struct cv2x_stack_usage {
  /**
   * Fused tracks.
   */
  uint32_t tracks;
  /**
   * MAP intersections.
   */
  uint32_t intersections;
  /**
   * SPAT intersections.
   */
  uint32_t signals;
  /**
   * RSI events and signs.
   */
  uint32_t road_info;
  /**
   * Vehicles with reported flags.
   */
  uint32_t vehicles;
  /**
   * Day II entries.
   */
  uint32_t day2;
  /**
   * Events waiting for the caller.
   */
  uint32_t events;
  /**
   * Active warnings.
   */
  uint32_t warnings;
  /**
   * Messages waiting to be sent.
   */
  uint32_t transmissions;
  /**
   * Verify on demand: senders followed (0 with `CV2X_VERIFY_ALWAYS`). Added in place of
   * reserved room: 0 from a library before it.
   */
  uint32_t senders;
  /**
   * Verify on demand: senders whose latest message is kept, its signature not verified yet.
   */
  uint32_t unverified_senders;
  /**
   * Verify on demand: octets of the SPDUs kept for a later verification.
   */
  uint32_t kept_bytes;
  /**
   * Room for later fields (0).
   */
  uint32_t reserved[4];
} cv2x_stack_usage;

/**
 * Success.
 */
#define CV2X_OK 0

/**
 * A pointer that must not be NULL was NULL (or a (NULL, n > 0) buffer).
 */
#define CV2X_ERR_NULL_POINTER 1

/**
 * A parameter is out of range: an unknown enumeration value, a bad index or option.
 */
#define CV2X_ERR_INVALID_PARAMETER 2

/**
 * The output buffer is too small; the size needed was written to `*out_len`.
 */
#define CV2X_ERR_BUFFER_TOO_SMALL 3

/**
 * A config struct's `struct_size` is smaller than the frozen size of its first version.
 */
#define CV2X_ERR_STRUCT_SIZE 4

/**
 * A panic inside the library was caught at the boundary; the handle is poisoned.
 */
#define CV2X_ERR_PANIC 5

/**
 * The handle was poisoned by an earlier panic: free it and make a new one.
 */
#define CV2X_ERR_POISONED 6

/**
 * The handle is in use by a call that has not returned: a callback re-entered it, or
 * another thread uses it at the same time.
 */
#define CV2X_ERR_REENTRANT 7

/**
 * The frame is not of the message kind the accessor reads (e.g. `cv2x_frame_get_bsm` on a MAP).
 */
#define CV2X_ERR_WRONG_MESSAGE_KIND 8

/**
 * An index past the end of a list.
 */
#define CV2X_ERR_INDEX_OUT_OF_RANGE 9

/**
 * Text input that is not UTF-8.
 */
#define CV2X_ERR_INVALID_UTF8 10

/**
 * A callback reported a failure (for example a security chip that could not hash).
 */
#define CV2X_ERR_CALLBACK 11

/**
 * A required callback of a callbacks struct is NULL.
 */
#define CV2X_ERR_MISSING_CALLBACK 12

/**
 * The operation is not available for this standard or message.
 */
#define CV2X_ERR_UNSUPPORTED 13

/**
 * Decode: the input ended before the value was complete.
 */
#define CV2X_ERR_CODEC_UNEXPECTED_END 100

/**
 * Decode: an integer lies outside its constraint.
 */
#define CV2X_ERR_CODEC_INTEGER_OUT_OF_RANGE 101

/**
 * Decode: an unconstrained integer too large for its type.
 */
#define CV2X_ERR_CODEC_INTEGER_TOO_LARGE 102

/**
 * Decode: a length outside the type's size constraint.
 */
#define CV2X_ERR_CODEC_SIZE_OUT_OF_RANGE 103

/**
 * Decode: a length announces more data than the input holds.
 */
#define CV2X_ERR_CODEC_LENGTH_EXCEEDS_INPUT 104

/**
 * Decode: a CHOICE index outside the root alternatives of a non-extensible CHOICE.
 */
#define CV2X_ERR_CODEC_INVALID_CHOICE_INDEX 105

/**
 * Decode: an ENUMERATED index outside the root values of a non-extensible ENUMERATED.
 */
#define CV2X_ERR_CODEC_INVALID_ENUM_INDEX 106

/**
 * Decode: a character outside the permitted alphabet.
 */
#define CV2X_ERR_CODEC_INVALID_CHARACTER 107

/**
 * Decode: bits after the value that are not zero padding.
 */
#define CV2X_ERR_CODEC_TRAILING_BITS 108

/**
 * Decode: an open type whose content is not one valid encoding.
 */
#define CV2X_ERR_CODEC_INVALID_OPEN_TYPE 109

/**
 * Decode: an extension bit or bitmap that is not allowed or malformed.
 */
#define CV2X_ERR_CODEC_INVALID_EXTENSION 110

/**
 * Decode: a malformed fragmented length.
 */
#define CV2X_ERR_CODEC_INVALID_FRAGMENTATION 111

/**
 * Encode: an integer outside its constraint.
 */
#define CV2X_ERR_ENCODE_INTEGER_OUT_OF_RANGE 120

/**
 * Encode: a string or list size outside its constraint.
 */
#define CV2X_ERR_ENCODE_SIZE_OUT_OF_RANGE 121

/**
 * Encode: a character outside the permitted alphabet.
 */
#define CV2X_ERR_ENCODE_INVALID_CHARACTER 122

/**
 * Encode: a value that cannot be represented (e.g. an open type whose key does not match).
 */
#define CV2X_ERR_ENCODE_UNREPRESENTABLE 123

/**
 * JER: the text is not JSON.
 */
#define CV2X_ERR_JER_SYNTAX 140

/**
 * JER: not the JSON type the ASN.1 type needs.
 */
#define CV2X_ERR_JER_WRONG_JSON_TYPE 141

/**
 * JER: a required member is missing.
 */
#define CV2X_ERR_JER_MISSING_MEMBER 142

/**
 * JER: a member the type does not have.
 */
#define CV2X_ERR_JER_UNKNOWN_MEMBER 143

/**
 * JER: a CHOICE object without exactly one known alternative.
 */
#define CV2X_ERR_JER_BAD_CHOICE 144

/**
 * JER: an ENUMERATED identifier the type does not have.
 */
#define CV2X_ERR_JER_UNKNOWN_ENUM_VALUE 145

/**
 * JER: an integer outside its constraint, or not an integer.
 */
#define CV2X_ERR_JER_OUT_OF_RANGE 146

/**
 * JER: a size outside its constraint.
 */
#define CV2X_ERR_JER_SIZE_OUT_OF_RANGE 147

/**
 * JER: a malformed hexadecimal string.
 */
#define CV2X_ERR_JER_BAD_HEX 148

/**
 * JER: a character outside the string type's alphabet.
 */
#define CV2X_ERR_JER_INVALID_CHARACTER 149

/**
 * JER: an open type whose key selects no known type and whose value is not hexadecimal.
 */
#define CV2X_ERR_JER_BAD_OPEN_TYPE 150

/**
 * The standard has no type of the given name.
 */
#define CV2X_ERR_UNKNOWN_TYPE 160

/**
 * A codec failure of a kind newer than this table.
 */
#define CV2X_ERR_CODEC_OTHER 199

/**
 * Security: the COER encoding is invalid.
 */
#define CV2X_ERR_SEC_MALFORMED 200

/**
 * Security: the data is not signed.
 */
#define CV2X_ERR_SEC_UNSIGNED 201

/**
 * Security: protocol version is not 3.
 */
#define CV2X_ERR_SEC_INCOMPATIBLE_PROTOCOL 202

/**
 * Security: an algorithm this implementation does not verify.
 */
#define CV2X_ERR_SEC_UNSUPPORTED_ALGORITHM 203

/**
 * Security: the signer is `self` or of an unknown kind.
 */
#define CV2X_ERR_SEC_UNSUPPORTED_SIGNER_TYPE 204

/**
 * Security: the payload is not unsecured data.
 */
#define CV2X_ERR_SEC_UNSUPPORTED_PAYLOAD 205

/**
 * Security: an implicit (ECQV) certificate.
 */
#define CV2X_ERR_SEC_IMPLICIT_CERTIFICATE 206

/**
 * Security: the AID is not accepted or not in the signer's permissions.
 */
#define CV2X_ERR_SEC_AID_NOT_PERMITTED 207

/**
 * Security: the signer's SSP does not satisfy the configured rule.
 */
#define CV2X_ERR_SEC_SSP_MISMATCH 208

/**
 * Security: no generation time and the policy requires one.
 */
#define CV2X_ERR_SEC_GENERATION_TIME_MISSING 209

/**
 * Security: generation time in the future.
 */
#define CV2X_ERR_SEC_GENERATION_TIME_IN_FUTURE 210

/**
 * Security: generation time too old.
 */
#define CV2X_ERR_SEC_GENERATION_TIME_TOO_OLD 211

/**
 * Security: the message's expiry time has passed.
 */
#define CV2X_ERR_SEC_EXPIRED 212

/**
 * Security: the signer certificate has expired.
 */
#define CV2X_ERR_SEC_CERTIFICATE_EXPIRED 213

/**
 * Security: the signer certificate is not yet valid.
 */
#define CV2X_ERR_SEC_CERTIFICATE_NOT_YET_VALID 214

/**
 * Security: the same message was accepted before (replay).
 */
#define CV2X_ERR_SEC_DUPLICATE 215

/**
 * Security: generation location outside the certificate region.
 */
#define CV2X_ERR_SEC_LOCATION_OUTSIDE_REGION 216

/**
 * Security: no generation location and the policy requires one.
 */
#define CV2X_ERR_SEC_LOCATION_MISSING 217

/**
 * Security: the signer digest names no known certificate.
 */
#define CV2X_ERR_SEC_SIGNER_NOT_FOUND 218

/**
 * Security: an issuer is neither a trust anchor nor a known certificate.
 */
#define CV2X_ERR_SEC_UNKNOWN_ISSUER 219

/**
 * Security: the issuer may not issue this certificate.
 */
#define CV2X_ERR_SEC_ISSUER_NOT_PERMITTED 220

/**
 * Security: validity period not inside the issuer's.
 */
#define CV2X_ERR_SEC_VALIDITY_NOT_INSIDE_ISSUER 221

/**
 * Security: region not inside the issuer's.
 */
#define CV2X_ERR_SEC_REGION_NOT_INSIDE_ISSUER 222

/**
 * Security: the chain is too long.
 */
#define CV2X_ERR_SEC_EXCESSIVE_CHAIN_LENGTH 223

/**
 * Security: a certificate of the chain is revoked.
 */
#define CV2X_ERR_SEC_REVOKED 224

/**
 * Security: a certificate signature does not verify.
 */
#define CV2X_ERR_SEC_CERTIFICATE_SIGNATURE_INVALID 225

/**
 * Security: a public key is not a valid curve point.
 */
#define CV2X_ERR_SEC_INVALID_PUBLIC_KEY 226

/**
 * Security: the message signature does not verify.
 */
#define CV2X_ERR_SEC_MESSAGE_SIGNATURE_INVALID 227

/**
 * Security: signing failed (invalid private key).
 */
#define CV2X_ERR_SEC_SIGNING_FAILED 228

/**
 * Security: the private key does not belong to the certificate.
 */
#define CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH 229

/**
 * Security: the signed AID is the Day I AID of another kind of message than the one carried
 * (a roadside message under a vehicle's BSM permission); reported by the stack.
 */
#define CV2X_ERR_SEC_CONTENT_NOT_PERMITTED 230

/**
 * Security: the verifier could not verify the SPDU and gave no finer reason.
 */
#define CV2X_ERR_SEC_UNSUPPORTED 231

/**
 * Security: the certificate chain is invalid and the verifier gave no finer reason.
 */
#define CV2X_ERR_SEC_CHAIN_INVALID 232

/**
 * Security: a verification failure of a kind newer than this table, or one a verifier
 * reported by its own number.
 */
#define CV2X_ERR_SEC_OTHER 233

/**
 * CRL: signed data for another PSID.
 */
#define CV2X_ERR_CRL_WRONG_PSID 240

/**
 * CRL: the contents are malformed.
 */
#define CV2X_ERR_CRL_CONTENTS_MALFORMED 241

/**
 * CRL: a CRL type this implementation does not apply (linkage-based).
 */
#define CV2X_ERR_CRL_TYPE_UNSUPPORTED 242

/**
 * CRL: the signer is not the CRACA nor issued by it.
 */
#define CV2X_ERR_CRL_SIGNER_NOT_CRACA 243

/**
 * CRL: issued in the future.
 */
#define CV2X_ERR_CRL_ISSUED_IN_FUTURE 244

/**
 * CRL: not newer than the one applied for its CRACA and series.
 */
#define CV2X_ERR_CRL_NOT_NEWER 245

/**
 * CRL: too many CRL series are tracked.
 */
#define CV2X_ERR_CRL_TOO_MANY_SERIES 246

/**
 * Net: the input ends inside a header field.
 */
#define CV2X_ERR_NET_TRUNCATED 300

/**
 * Net: bytes remain after the end the header announces.
 */
#define CV2X_ERR_NET_TRAILING_BYTES 301

/**
 * Net: a DSMP version other than 0.
 */
#define CV2X_ERR_NET_UNSUPPORTED_VERSION 302

/**
 * Net: an AID prefix octet no AID length uses.
 */
#define CV2X_ERR_NET_INVALID_AID_PREFIX 303

/**
 * Net: an AID above the 4-octet range.
 */
#define CV2X_ERR_NET_AID_OUT_OF_RANGE 304

/**
 * Net: the AID is not in the dispatch table.
 */
#define CV2X_ERR_NET_UNKNOWN_AID 305

/**
 * Net: the adaptation-layer protocol type is not DSMP.
 */
#define CV2X_ERR_NET_NOT_DSMP 306

/**
 * Net: DSMP data longer than 65535 octets.
 */
#define CV2X_ERR_NET_PAYLOAD_TOO_LONG 307

/**
 * Net: an extension element longer than 255 octets.
 */
#define CV2X_ERR_NET_EXTENSION_TOO_LONG 308

/**
 * Net: more than 255 extension elements.
 */
#define CV2X_ERR_NET_TOO_MANY_EXTENSIONS 309

/**
 * Net: a header field holds a value the parser rejects.
 */
#define CV2X_ERR_NET_MALFORMED 310

/**
 * Net: the IP packet is not UDP.
 */
#define CV2X_ERR_NET_NOT_UDP 311

/**
 * Net: an IP fragment.
 */
#define CV2X_ERR_NET_FRAGMENT 312

/**
 * Net: the link layer carries something other than IP.
 */
#define CV2X_ERR_NET_NOT_IP 313

/**
 * Net: an unsupported capture link type.
 */
#define CV2X_ERR_NET_UNSUPPORTED_LINK_TYPE 314

/**
 * Net: source and destination address families differ.
 */
#define CV2X_ERR_NET_ADDRESS_FAMILY_MISMATCH 315

/**
 * Net: no destination configured.
 */
#define CV2X_ERR_NET_NO_DESTINATION 316

/**
 * Net: no such network interface.
 */
#define CV2X_ERR_NET_NO_SUCH_INTERFACE 317

/**
 * Net: a socket or file operation failed.
 */
#define CV2X_ERR_NET_IO 318

/**
 * Net: a capture file could not be read or written.
 */
#define CV2X_ERR_NET_CAPTURE 319

/**
 * First code of the range of the stack (`cv2x_stack_*`, `cv2x_ego_*`, events).
 */
#define CV2X_ERR_STACK_FIRST 400

/**
 * Last code of the range of the stack.
 */
#define CV2X_ERR_STACK_LAST 499

/**
 * Stack: the ego state was refused (no usable position or heading, a value out of range);
 * counted as a drop (`CV2X_DROP_EGO_REJECTED`).
 */
#define CV2X_ERR_EGO_REJECTED 400

/**
 * Stack: the time given is before the time of an earlier call (ego state or poll).
 */
#define CV2X_ERR_TIME_WENT_BACKWARDS 401

/**
 * Stack: the ego is not on the air (no host vehicle: `cv2x_stack_set_host`).
 */
#define CV2X_ERR_NO_HOST 402

/**
 * Stack: no message is waiting to be sent.
 */
#define CV2X_ERR_NO_TRANSMISSION 403

/**
 * Stack: the ego is not matched to a lane of a known MAP (at the last poll).
 */
#define CV2X_ERR_NO_LANE 404

/**
 * Stack: no active warning has this id (it has cleared, or never was).
 */
#define CV2X_ERR_NO_WARNING 405

/**
 * Stack: a command was refused (too many wait for the next poll; counted as a
 * `CV2X_STORE_COMMANDS` drop).
 */
#define CV2X_ERR_COMMAND_REFUSED 406

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The library version, a static NUL-terminated string such as `"0.1.0"` (the version of the
 * cv2x core). Thread-safe; never NULL.
 */
const char *cv2x_version(void);

/**
 * The C ABI version of the library: `(major << 16) | minor`. Compare the major with
 * `CV2X_ABI_VERSION_MAJOR` and the minor with `CV2X_ABI_VERSION_MINOR` of the header you
 * compiled with. Thread-safe.
 */
uint32_t cv2x_abi_version(void);

/**
 * The `CV2X_FEATURE_*` bits this build has. Thread-safe.
 */
uint32_t cv2x_features(void);

/**
 * TAI microseconds since 2004-01-01 (a `now` for this API) from Unix time in UTC
 * milliseconds, leap seconds applied. Saturates at the ends of the range. Thread-safe.
 */
int64_t cv2x_time_from_unix_utc_ms(int64_t unix_ms);

/**
 * Unix time in UTC milliseconds from TAI microseconds since 2004 (leap seconds removed;
 * during an inserted leap second the previous UTC second repeats). Thread-safe.
 */
int64_t cv2x_time_to_unix_utc_ms(int64_t tai_us);

/**
 * Decodes a UPER `MessageFrame` of T/CSAE 53-2020 / T/CSAE 157-2020 (Day I and Day II).
 * Strict: every constraint is checked and trailing non-padding bits are rejected. On
 * success `*out` is a new frame (free it with `cv2x_frame_free`); on failure `*out` is left
 * alone and `err` (may be NULL) says what and where. Thread-safe.
 */
cv2x_result cv2x_frame_decode(const uint8_t *uper,
                              size_t len,
                              struct cv2x_frame **out,
                              struct cv2x_codec_error *err);

/**
 * `cv2x_frame_decode` for the standard `std` (`CV2X_STD_*`; another value is
 * `CV2X_ERR_INVALID_PARAMETER`). Thread-safe.
 */
cv2x_result cv2x_frame_decode_std(uint32_t std,
                                  const uint8_t *uper,
                                  size_t len,
                                  struct cv2x_frame **out,
                                  struct cv2x_codec_error *err);

/**
 * Encodes a frame in UPER into `(out, cap)`; `*out_len` gets the length (also on
 * `CV2X_ERR_BUFFER_TOO_SMALL`, to retry with a larger buffer). A decoded frame re-encodes to
 * the same bytes. Thread-safe.
 */
cv2x_result cv2x_frame_encode(const struct cv2x_frame *f,
                              uint8_t *out,
                              size_t cap,
                              size_t *out_len);

/**
 * Writes the frame's JER (ITU-T X.697 JSON) as a NUL-terminated string into `(out, cap)`;
 * `*out_len` gets the length without the NUL (so `cap` must be at least `*out_len + 1`), also
 * on `CV2X_ERR_BUFFER_TOO_SMALL`. OCTET and BIT STRINGs are upper-case hexadecimal.
 * Thread-safe.
 */
cv2x_result cv2x_frame_to_jer(const struct cv2x_frame *f, char *out, size_t cap, size_t *out_len);

/**
 * Parses the JER of a `MessageFrame` of T/CSAE 53-2020 / T/CSAE 157-2020 (`len` bytes of
 * UTF-8 at `json`, no NUL needed) into a new frame. Unknown members and out-of-range values
 * are errors with their path in `err` (may be NULL). Thread-safe.
 */
cv2x_result cv2x_frame_from_jer(const char *json,
                                size_t len,
                                struct cv2x_frame **out,
                                struct cv2x_codec_error *err);

/**
 * `cv2x_frame_from_jer` for the standard `std` (`CV2X_STD_*`). Thread-safe.
 */
cv2x_result cv2x_frame_from_jer_std(uint32_t std,
                                    const char *json,
                                    size_t len,
                                    struct cv2x_frame **out,
                                    struct cv2x_codec_error *err);

/**
 * The frame's message kind (`CV2X_MSG_*`); 0 (`CV2X_MSG_UNKNOWN`) for NULL, a poisoned frame
 * or an extension alternative this version does not know. Thread-safe.
 */
uint32_t cv2x_frame_kind(const struct cv2x_frame *f);

/**
 * The standard the frame was decoded or parsed with (`CV2X_STD_*`); 0 for NULL or a
 * poisoned frame. Thread-safe.
 */
uint32_t cv2x_frame_standard(const struct cv2x_frame *f);

/**
 * The Day II message id (`messageId` of `msgFrameExt`, e.g. 1 = TestMsg ... as in
 * T/CSAE 157-2020) of a `CV2X_MSG_DAY2` frame; `CV2X_ERR_WRONG_MESSAGE_KIND` for another
 * kind. Thread-safe.
 */
cv2x_result cv2x_frame_day2_message_id(const struct cv2x_frame *f, uint32_t *out);

/**
 * Frees a frame. NULL is a no-op; a poisoned frame is freed too. The frame must not be in
 * use by another thread.
 */
void cv2x_frame_free(struct cv2x_frame *f);

/**
 * Decodes UPER `bytes` as the ASN.1 type named `type_name` (NUL-terminated, e.g.
 * `"BasicSafetyMessage"`, `"MapData"`, any SEQUENCE or CHOICE of the standard) and writes its
 * JER (NUL-terminated) to `(out, cap, out_len)` as `cv2x_frame_to_jer` does. For tools and
 * tests: a type of the standard that is not a message. Thread-safe.
 */
cv2x_result cv2x_uper_to_jer(uint32_t std,
                             const char *type_name,
                             const uint8_t *uper,
                             size_t len,
                             char *out,
                             size_t cap,
                             size_t *out_len,
                             struct cv2x_codec_error *err);

/**
 * Encodes the JER `json` (`len` bytes of UTF-8) of the ASN.1 type named `type_name` in UPER
 * into `(out, cap, out_len)`. Thread-safe.
 */
cv2x_result cv2x_jer_to_uper(uint32_t std,
                             const char *type_name,
                             const char *json,
                             size_t len,
                             uint8_t *out,
                             size_t cap,
                             size_t *out_len,
                             struct cv2x_codec_error *err);

/**
 * Reads the BSM of a frame into `*out` (`CV2X_ERR_WRONG_MESSAGE_KIND` for another kind).
 * Thread-safe.
 */
cv2x_result cv2x_frame_get_bsm(const struct cv2x_frame *f, struct cv2x_bsm *out);

/**
 * Fills `*out` with a BSM whose every value is "unavailable" (position, speed, heading,
 * accelerations, gear) and no optional field: the starting point of a BSM to encode.
 * Thread-safe.
 */
cv2x_result cv2x_bsm_init(struct cv2x_bsm *out);

/**
 * Encodes `*bsm` as a UPER `MessageFrame` (bsmFrame) of the standard `std` into
 * `(out, cap, out_len)` without using the heap. Each field is checked against its
 * constraint (`CV2X_ERR_INVALID_PARAMETER` for a value that does not fit the field's type or
 * an unknown enumerated index, `CV2X_ERR_ENCODE_*` for one outside the ASN.1 range). The
 * read-only `present` bits (path history, prediction, emergency extensions) must be clear:
 * to send those, build the frame from JER. For T/CSAE 53-2017, time confidence and position
 * accuracy do not exist (`CV2X_ERR_UNSUPPORTED`) and the mandatory position confidence is
 * "unavailable" unless given. Thread-safe.
 */
cv2x_result cv2x_bsm_encode(uint32_t std,
                            const struct cv2x_bsm *bsm,
                            uint8_t *out,
                            size_t cap,
                            size_t *out_len);

/**
 * Reads the header of a SPAT frame (`CV2X_ERR_WRONG_MESSAGE_KIND` for another kind).
 * Thread-safe.
 */
cv2x_result cv2x_frame_get_spat(const struct cv2x_frame *f, struct cv2x_spat *out);

/**
 * Reads intersection `i` (0-based, below `intersection_count`) of a SPAT frame
 * (`CV2X_ERR_INDEX_OUT_OF_RANGE` past the end). Thread-safe.
 */
cv2x_result cv2x_frame_get_spat_intersection(const struct cv2x_frame *f,
                                             uint32_t i,
                                             struct cv2x_spat_intersection *out);

/**
 * Reads phase `j` of intersection `i` of a SPAT frame. Thread-safe.
 */
cv2x_result cv2x_frame_get_spat_phase(const struct cv2x_frame *f,
                                      uint32_t i,
                                      uint32_t j,
                                      struct cv2x_spat_phase *out);

/**
 * Reads light state `k` of phase `j` of intersection `i` of a SPAT frame. Thread-safe.
 */
cv2x_result cv2x_frame_get_spat_phase_state(const struct cv2x_frame *f,
                                            uint32_t i,
                                            uint32_t j,
                                            uint32_t k,
                                            struct cv2x_spat_phase_state *out);

/**
 * Reads the header of an RSM frame (`CV2X_ERR_WRONG_MESSAGE_KIND` for another kind).
 * Thread-safe.
 */
cv2x_result cv2x_frame_get_rsm(const struct cv2x_frame *f, struct cv2x_rsm *out);

/**
 * Reads participant `i` (0-based, below `participant_count`) of an RSM frame. Thread-safe.
 */
cv2x_result cv2x_frame_get_rsm_participant(const struct cv2x_frame *f,
                                           uint32_t i,
                                           struct cv2x_rsm_participant *out);

/**
 * Parses one DSMP packet (the buffer must hold exactly one: a shorter one is
 * `CV2X_ERR_NET_TRUNCATED`, a longer `CV2X_ERR_NET_TRAILING_BYTES`). Thread-safe.
 */
cv2x_result cv2x_dsmp_parse(const uint8_t *buf, size_t len, struct cv2x_dsmp_packet *out);

/**
 * Reads extension element `i` of the coded elements `(ext, len)` (as `cv2x_dsmp_parse`
 * locates them): its ID, and the offset and length of its contents within `ext`.
 * `CV2X_ERR_INDEX_OUT_OF_RANGE` past the last element. Thread-safe.
 */
cv2x_result cv2x_dsmp_extension(const uint8_t *ext,
                                size_t len,
                                uint32_t i,
                                uint32_t *id,
                                uint32_t *value_offset,
                                uint32_t *value_len);

/**
 * Writes a DSMP packet for `aid` carrying `payload` into `(out, cap, out_len)`. With
 * `CV2X_DSMP_HAS_EXTENSIONS` in `flags`, `(ext, ext_len)` are the coded extension elements
 * (ID octet, length octet, contents; possibly none); without it they must be empty.
 * Thread-safe.
 */
cv2x_result cv2x_dsmp_emit(uint32_t aid,
                           const uint8_t *payload,
                           size_t len,
                           uint32_t flags,
                           const uint8_t *ext,
                           size_t ext_len,
                           uint8_t *out,
                           size_t cap,
                           size_t *out_len);

/**
 * Removes the one-octet adaptation-layer header (protocol type 4 = DSMP): `*offset` gets 1
 * when the buffer is DSMP, else `CV2X_ERR_NET_NOT_DSMP` (or `CV2X_ERR_NET_TRUNCATED` when
 * empty). Thread-safe.
 */
cv2x_result cv2x_dsmp_strip_adaptation(const uint8_t *buf, size_t len, uint32_t *offset);

/**
 * Makes a dispatcher (`table`: `CV2X_DISPATCH_DAY1` or `CV2X_DISPATCH_EMPTY`).
 */
cv2x_result cv2x_dispatcher_new(uint32_t table, struct cv2x_dispatcher **out);

/**
 * Maps `aid` to `msg_class` (`CV2X_CLASS_*`), replacing an earlier mapping.
 */
cv2x_result cv2x_dispatcher_insert(struct cv2x_dispatcher *d, uint32_t aid, uint32_t msg_class);

/**
 * Forgets `aid` (`CV2X_ERR_NET_UNKNOWN_AID` when it was not mapped).
 */
cv2x_result cv2x_dispatcher_remove(struct cv2x_dispatcher *d, uint32_t aid);

/**
 * Sets what precedes the DSMP header (`CV2X_FRAMING_*`).
 */
cv2x_result cv2x_dispatcher_set_framing(struct cv2x_dispatcher *d, uint32_t framing);

/**
 * Sets how payloads are classified (`CV2X_SECURITY_*`).
 */
cv2x_result cv2x_dispatcher_set_security(struct cv2x_dispatcher *d, uint32_t mode);

/**
 * Parses one received buffer and says where its payload goes. A packet that cannot be
 * dispatched is counted and its code returned (`CV2X_ERR_NET_*`): drop it.
 */
cv2x_result cv2x_dispatcher_dispatch(struct cv2x_dispatcher *d,
                                     const uint8_t *buf,
                                     size_t len,
                                     struct cv2x_dispatched *out);

/**
 * Reads the counters.
 */
cv2x_result cv2x_dispatcher_counters(struct cv2x_dispatcher *d, struct cv2x_dispatch_counters *out);

/**
 * Clears the counters.
 */
cv2x_result cv2x_dispatcher_reset_counters(struct cv2x_dispatcher *d);

/**
 * Frees a dispatcher. NULL is a no-op; a poisoned one is freed too.
 */
void cv2x_dispatcher_free(struct cv2x_dispatcher *d);

/**
 * The name of a result code (`"CV2X_ERR_SEC_REVOKED"`), a static NUL-terminated string;
 * `"CV2X_UNKNOWN"` for a number that is not a code. Thread-safe; never NULL.
 */
const char *cv2x_result_name(cv2x_result code);

/**
 * A one-line English description of a result code, a static NUL-terminated string
 * (`"unknown result code"` for a number that is not a code). Thread-safe; never NULL.
 */
const char *cv2x_strerror(cv2x_result code);

/**
 * Writes the default verifier config to `*out` (`struct_size` included). Thread-safe.
 */
cv2x_result cv2x_verifier_config_default(struct cv2x_verifier_config *out);

/**
 * Makes a verifier with the software crypto backend. `c` may be NULL for the defaults;
 * otherwise its `struct_size` must be at least the first version's
 * (`CV2X_ERR_STRUCT_SIZE`) and every field in range (`CV2X_ERR_INVALID_PARAMETER`).
 */
cv2x_result cv2x_verifier_new(const struct cv2x_verifier_config *c, struct cv2x_verifier **out);

/**
 * Makes a verifier whose cryptography goes through `backend` (copied; `user_data` must stay
 * valid as long as the verifier lives). `c` as for `cv2x_verifier_new`.
 */
cv2x_result cv2x_verifier_new_with_backend(const struct cv2x_verifier_config *c,
                                           const struct cv2x_crypto_backend *backend,
                                           struct cv2x_verifier **out);

/**
 * Adds a trust anchor (a COER certificate; a self-signed one's signature is checked). Its
 * HashedId8 goes to `id8` (may be NULL). Security codes on failure.
 */
cv2x_result cv2x_verifier_add_trust_anchor(struct cv2x_verifier *v,
                                           const uint8_t *coer,
                                           size_t len,
                                           uint8_t *id8);

/**
 * Adds a certificate (COER) that may serve as a signer or issuer; it is verified when a
 * chain needs it. Its HashedId8 goes to `id8` (may be NULL).
 */
cv2x_result cv2x_verifier_add_certificate(struct cv2x_verifier *v,
                                          const uint8_t *coer,
                                          size_t len,
                                          uint8_t *id8);

/**
 * Revokes the certificate with HashedId8 `id8` (8 octets); cached verifications are dropped.
 */
cv2x_result cv2x_verifier_revoke_id8(struct cv2x_verifier *v, const uint8_t *id8);

/**
 * Revokes the certificate with HashedId10 `id10` (10 octets, the form hash-based CRLs use).
 */
cv2x_result cv2x_verifier_revoke_id10(struct cv2x_verifier *v, const uint8_t *id10);

/**
 * Applies hash-based CRL contents (COER `CrlContents`, unsigned: for CRLs that arrived over a
 * channel the operator trusts). `CV2X_ERR_CRL_CONTENTS_MALFORMED` or
 * `CV2X_ERR_CRL_TYPE_UNSUPPORTED` (linkage-based) on failure.
 */
cv2x_result cv2x_verifier_add_crl_contents(struct cv2x_verifier *v,
                                           const uint8_t *contents,
                                           size_t len);

/**
 * Verifies a signed IEEE 1609.2 CRL (`SecuredCrl`, PSID 256) at `now` and applies it: the
 * signature and chain as for a message (no freshness window), the signer must be the CRACA
 * or issued by it, and the CRL must be newer than the one applied for its CRACA and series.
 * A failed signature check returns its `CV2X_ERR_SEC_*` code, the CRL checks
 * `CV2X_ERR_CRL_*`.
 */
cv2x_result cv2x_verifier_add_signed_crl(struct cv2x_verifier *v,
                                         const uint8_t *spdu,
                                         size_t len,
                                         int64_t now);

/**
 * Verifies a certificate (COER) and its chain up to a trust anchor at `now`; on success the
 * anchor's HashedId8 goes to `anchor_id8` and the chain length (certificate to anchor
 * inclusive) to `chain_length` (both may be NULL). Security codes on failure.
 */
cv2x_result cv2x_verifier_verify_certificate(struct cv2x_verifier *v,
                                             const uint8_t *coer,
                                             size_t len,
                                             int64_t now,
                                             uint8_t *anchor_id8,
                                             uint32_t *chain_length);

/**
 * Verifies one SPDU (`Ieee1609Dot2Data`, COER) at `now` (TAI µs since 2004, the caller's
 * clock). Returns `CV2X_OK` when the verification ran — the verdict is in `out->result`
 * (`CV2X_OK` = verified; the payload is then `spdu + out->payload_offset`,
 * `out->payload_len` octets). Returns an error only when it could not run (NULL pointers,
 * poisoned or busy handle, a failing backend callback).
 */
cv2x_result cv2x_verifier_verify(struct cv2x_verifier *v,
                                 const uint8_t *spdu,
                                 size_t len,
                                 int64_t now,
                                 struct cv2x_verify_report *out);

/**
 * Frees a verifier. NULL is a no-op; a poisoned verifier is freed too. Not while a call on
 * it runs.
 */
void cv2x_verifier_free(struct cv2x_verifier *v);

/**
 * Makes a signer from a private key (`alg` a `CV2X_KEY_ALG_*`, `key` the 32-octet big-endian
 * scalar) and its COER certificate. `CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH` when the key is
 * not the certificate's; `CV2X_ERR_SEC_SIGNING_FAILED` for an invalid scalar.
 */
cv2x_result cv2x_signer_new(uint32_t alg,
                            const uint8_t *key,
                            const uint8_t *cert,
                            size_t cert_len,
                            struct cv2x_signer **out);

/**
 * Chooses how SPDUs name the signer (`CV2X_SIGNER_DIGEST` or `CV2X_SIGNER_CERTIFICATE`).
 */
cv2x_result cv2x_signer_set_mode(struct cv2x_signer *s, uint32_t mode);

/**
 * The HashedId8 of the signer's certificate into `id8` (8 octets).
 */
cv2x_result cv2x_signer_id8(struct cv2x_signer *s, uint8_t *id8);

/**
 * Signs `payload` (e.g. a UPER MessageFrame) for `aid` with generation time
 * `generation_time` (TAI µs since 2004, not negative) into an SPDU in `(out, cap, out_len)`.
 */
cv2x_result cv2x_signer_sign(struct cv2x_signer *s,
                             const uint8_t *payload,
                             size_t len,
                             uint64_t aid,
                             int64_t generation_time,
                             uint8_t *out,
                             size_t cap,
                             size_t *out_len);

/**
 * Makes a signer whose key is in a security chip or HSM (`backend`, copied; see
 * `cv2x_signing_backend` for the callbacks and the ownership of `user_data`) for the COER
 * certificate `cert`. `CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH` when the public key the backend
 * gives is not the certificate's; `CV2X_ERR_CALLBACK` when `public_key` fails.
 */
cv2x_result cv2x_signer_new_callback(const struct cv2x_signing_backend *backend,
                                     const uint8_t *cert,
                                     size_t cert_len,
                                     struct cv2x_signer **out);

/**
 * Frees a signer (its key is dropped; a callback key's `release` is called). NULL is a
 * no-op.
 */
void cv2x_signer_free(struct cv2x_signer *s);

/**
 * Software public-key preparation, the operation of `cv2x_crypto_backend.prepare_key`: checks
 * the SEC1 point (`sec1_len` 33 or 65 octets) of `alg` (`CV2X_KEY_ALG_*`) and writes its
 * affine x ‖ y (64 octets) to `xy_out`. `CV2X_ERR_SEC_INVALID_PUBLIC_KEY` for a point not on
 * the curve. Thread-safe.
 */
cv2x_result cv2x_crypto_prepare_key(uint32_t alg,
                                    const uint8_t *sec1,
                                    size_t sec1_len,
                                    uint8_t *xy_out);

/**
 * Finds the signer certificate inside an SPDU signed with a certificate (not a digest):
 * `*offset` and `*cert_len` locate it in the caller's buffer (to trust it, pool it with
 * `cv2x_verifier_add_certificate` or inspect it). `CV2X_ERR_SEC_SIGNER_NOT_FOUND` when the
 * SPDU names its signer by digest; the parse failure's code for anything else. Thread-safe.
 */
cv2x_result cv2x_spdu_signer_certificate(const uint8_t *spdu,
                                         size_t len,
                                         uint32_t *offset,
                                         uint32_t *cert_len);

/**
 * SHA-256 of `len` bytes at `data` into `out` (32 octets). Thread-safe.
 */
cv2x_result cv2x_crypto_sha256(const uint8_t *data, size_t len, uint8_t *out);

/**
 * SM3 of `len` bytes at `data` into `out` (32 octets). Thread-safe.
 */
cv2x_result cv2x_crypto_sm3(const uint8_t *data, size_t len, uint8_t *out);

/**
 * Software ECDSA P-256 verification, the operation of `cv2x_crypto_backend.verify_p256`:
 * `key_xy` 64 octets, `msg` 64 octets (hashed with SHA-256 here), `r`, `s` 32 octets each;
 * `*valid` gets 1 or 0. `CV2X_ERR_SEC_INVALID_PUBLIC_KEY` for a point not on the curve.
 * Thread-safe.
 */
cv2x_result cv2x_crypto_verify_p256(const uint8_t *key_xy,
                                    const uint8_t *msg,
                                    const uint8_t *r,
                                    const uint8_t *s,
                                    uint32_t *valid);

/**
 * Software SM2 verification, the operation of `cv2x_crypto_backend.verify_sm2`: `key_xy` 64
 * octets, `e` the 32-octet digest, `r`, `s` 32 octets each; `*valid` gets 1 or 0.
 * Thread-safe.
 */
cv2x_result cv2x_crypto_verify_sm2(const uint8_t *key_xy,
                                   const uint8_t *e,
                                   const uint8_t *r,
                                   const uint8_t *s,
                                   uint32_t *valid);

/**
 * Software signing of a digest, the operation of `cv2x_signing_backend.sign` (for a chip
 * shim that keeps a key in software, and for tests): signs the 32-octet `digest` with the
 * private key (`alg` a `CV2X_KEY_ALG_*`, `key` the 32-octet big-endian scalar) and writes
 * (r, s), 32 octets each. ECDSA P-256 takes the digest as the message hash (RFC 6979
 * nonces); SM2 as e. `CV2X_ERR_SEC_SIGNING_FAILED` for an invalid scalar. Thread-safe.
 */
cv2x_result cv2x_crypto_sign_digest(uint32_t alg,
                                    const uint8_t *key,
                                    const uint8_t *digest,
                                    uint8_t *r,
                                    uint8_t *s);

/**
 * The public key, affine x ‖ y (64 octets), of a software private key (`alg`, 32-octet
 * `key`), as `cv2x_signing_backend.public_key` gives it. Thread-safe.
 */
cv2x_result cv2x_crypto_public_key(uint32_t alg, const uint8_t *key, uint8_t *xy_out);

/**
 * Writes the default stack config to `*out` (`struct_size` included). Thread-safe.
 */
cv2x_result cv2x_stack_config_default(struct cv2x_stack_config *out);

/**
 * Makes a stack. `c` may be NULL for the defaults; otherwise its `struct_size` must be at
 * least the first version's (`CV2X_ERR_STRUCT_SIZE`) and every field in range
 * (`CV2X_ERR_INVALID_PARAMETER`). The stack is the caller's, freed with `cv2x_stack_free`.
 * Thread-safe (it touches no other handle).
 */
cv2x_result cv2x_stack_new(const struct cv2x_stack_config *c, struct cv2x_stack **out);

/**
 * Makes a stack as `cv2x_stack_new` does, with `n` message-set rules (`rules` may be NULL
 * when `n` is 0; at most `CV2X_MAX_SET_RULES`): each names the set of the frames of an AID,
 * of a sender or of a region (`cv2x_set_rule`). A rule out of range is
 * `CV2X_ERR_INVALID_PARAMETER`. The rules are copied: the caller keeps its array. The stack
 * is the caller's, freed with `cv2x_stack_free`. Thread-safe.
 */
cv2x_result cv2x_stack_new_with_set_rules(const struct cv2x_stack_config *c,
                                          const struct cv2x_set_rule *rules,
                                          size_t n,
                                          struct cv2x_stack **out);

/**
 * Frees a stack (its verifier reference, host vehicle, pseudonym keys and queued events go
 * with it; a shared verifier stays the caller's). NULL is a no-op; a poisoned stack is freed
 * too. Not while a call on it runs.
 */
void cv2x_stack_free(struct cv2x_stack *s);

/**
 * Sets the verifier of secured messages (replacing an earlier one). Shared: the stack keeps
 * a reference and the caller may keep using (and must still free) `v`; trust anchors,
 * certificates and CRLs added to `v` later apply to the stack too. The verifier still takes
 * one call at a time: a call on `v` while the stack verifies with it gets
 * `CV2X_ERR_REENTRANT`, and a stack call that needs `v` while another call uses it (another
 * thread, or a callback of `v` itself) gets `CV2X_ERR_REENTRANT` without taking the message.
 */
cv2x_result cv2x_stack_set_verifier(struct cv2x_stack *s, struct cv2x_verifier *v);

/**
 * Chooses the applications that run (bit `CV2X_APP_x - 1` each, `CV2X_APP_BIT`;
 * `CV2X_APPS_ALL` for all). The applications start afresh: warnings they had raised end
 * (cleared at the next poll).
 */
cv2x_result cv2x_stack_set_apps(struct cv2x_stack *s, uint32_t apps);

/**
 * Maps `aid` to the message class `msg_class` (`CV2X_CLASS_*`) for `CV2X_PAYLOAD_DSMP`
 * packets (the stack starts with the Day I and Day II AIDs in use).
 */
cv2x_result cv2x_stack_map_aid(struct cv2x_stack *s, uint32_t aid, uint32_t msg_class);

/**
 * Sets the ego's temporary id (`id8`, 8 octets; NULL for none) when it does not transmit
 * through `cv2x_stack_set_host`: its own messages and the roadside's reports carrying the id
 * are then recognised. With a host vehicle the host's (changing) id is used instead.
 */
cv2x_result cv2x_stack_set_temporary_id(struct cv2x_stack *s, const uint8_t *id8);

/**
 * Takes one received payload at `now`: `kind` `CV2X_PAYLOAD_FRAME` (a UPER MessageFrame of
 * T/CSAE 53-2020 / T/CSAE 157-2020), `CV2X_PAYLOAD_SPDU` (a secured message, verified with the
 * stack's verifier) or `CV2X_PAYLOAD_DSMP` (a whole DSMP packet: its AID and the frame / SPDU
 * form of its data come from the packet; `aid` is then ignored). `aid` is the DSMP AID when
 * known, 0 when not. Nothing is evaluated until the next poll.
 *
 * A message the stack drops is not an error: the call returns `CV2X_OK` and `out` (may be
 * NULL) says accepted or the drop reason (the drop is also counted and, with
 * `CV2X_STACK_REPORT_DROPS`, reported at the next poll). Errors: bad arguments,
 * `CV2X_ERR_REENTRANT` / `CV2X_ERR_POISONED` for the stack or its verifier (the message is
 * then not taken), `CV2X_ERR_CALLBACK` when the verifier's crypto backend failed (the message
 * is counted as dropped, `CV2X_ERR_SEC_OTHER`).
 */
cv2x_result cv2x_stack_ingest(struct cv2x_stack *s,
                              const uint8_t *payload,
                              size_t len,
                              uint32_t kind,
                              uint32_t aid,
                              int64_t now,
                              struct cv2x_ingest_outcome *out);

/**
 * Takes one received payload as `cv2x_stack_ingest` does, with the sender as the transport
 * knows it: `source8` (8 octets, a short PC5 layer-2 id or station id right-aligned; NULL for
 * unknown), matched against the `CV2X_SET_RULE_SOURCE` rules to choose the message set of the
 * frame. The outcome's `message_set` says which set read it. Same errors, ownership and
 * thread-safety as `cv2x_stack_ingest` (one call at a time per stack; nothing of the caller's
 * buffers is kept).
 */
cv2x_result cv2x_stack_ingest_from(struct cv2x_stack *s,
                                   const uint8_t *payload,
                                   size_t len,
                                   uint32_t kind,
                                   uint32_t aid,
                                   const uint8_t *source8,
                                   int64_t now,
                                   struct cv2x_ingest_outcome *out);

/**
 * Runs one application cycle at `now` (world expiry, fusion, the applications, the warnings'
 * life, the host vehicle's messages due) and moves the events — those queued since the
 * previous poll (drops, Day II), then this cycle's warning changes, the objects event and a
 * `CV2X_EVENT_TRANSMIT` when messages became due — into `events` (`cap` of them at most).
 * `*written` gets how many were written; events that did not fit stay queued for the next
 * poll or `cv2x_stack_drain`, and `*remaining` (may be NULL) says how many. `events` may be
 * NULL when `cap` is 0. A `now` before the previous poll's is a `CV2X_DROP_TIME_WENT_BACKWARDS`
 * drop, not an error.
 *
 * Verifying on demand (`CV2X_VERIFY_ON_DEMAND`) the cycle verifies, with the stack's
 * verifier, the deferred messages the warnings rest on (a failure takes the sender's data back:
 * a `CV2X_DROP_RETRACTED` event): `CV2X_ERR_REENTRANT` when that verifier is in use (no cycle
 * run), `CV2X_ERR_CALLBACK` when its crypto backend failed (the cycle ran; its events stay
 * queued for the next poll or `cv2x_stack_drain`).
 */
cv2x_result cv2x_stack_poll(struct cv2x_stack *s,
                            int64_t now,
                            struct cv2x_event *events,
                            size_t cap,
                            size_t *written,
                            size_t *remaining);

/**
 * Moves queued events into `events` as `cv2x_stack_poll` does, without running a cycle.
 */
cv2x_result cv2x_stack_drain(struct cv2x_stack *s,
                             struct cv2x_event *events,
                             size_t cap,
                             size_t *written,
                             size_t *remaining);

/**
 * Runs one cycle at `now` as `cv2x_stack_poll` does and hands every queued event, in order,
 * to `cb` (with `user`), synchronously on this thread, inside this call. The event pointer is
 * valid during the callback only. A non-zero return stops the delivery: the remaining events
 * stay queued and the call returns `CV2X_ERR_CALLBACK`. Calling back into this stack from
 * `cb` returns `CV2X_ERR_REENTRANT`. `cb` must return normally (no `longjmp`, no C++
 * exception). Verifying on demand, the verifier's errors are those of `cv2x_stack_poll` (no
 * event is delivered then).
 */
cv2x_result cv2x_stack_poll_cb(struct cv2x_stack *s, int64_t now, cv2x_event_cb cb, void *user);

/**
 * Fills `*out` with an empty command of `kind` (`CV2X_COMMAND_*`; `struct_size` set, nothing
 * present, `duration_s` 30, `capacity` 8). `CV2X_ERR_INVALID_PARAMETER` for an unknown kind.
 * Thread-safe; `*out` is the caller's.
 */
cv2x_result cv2x_command_init(struct cv2x_command *out, uint32_t kind);

/**
 * Asks the cooperative (Day II) applications for something (`*c`, copied): offered to them
 * once, at the next poll with an ego state and a temporary id (with a host vehicle, after its
 * first message); what it makes them send comes out of `cv2x_stack_next_transmission`.
 * Errors: `CV2X_ERR_STRUCT_SIZE` (below the first version), `CV2X_ERR_INVALID_PARAMETER` (a
 * value out of range), `CV2X_ERR_COMMAND_REFUSED` when too many commands wait for the next
 * poll (counted in `commands_dropped`, a `CV2X_STORE_COMMANDS` drop). One call at a time per
 * stack (`CV2X_ERR_REENTRANT`); nothing of the caller's memory is kept.
 */
cv2x_result cv2x_stack_command(struct cv2x_stack *s, const struct cv2x_command *c);

/**
 * Reads the detail of the active warning `id` (the `cv2x_warning.id` of its events and of
 * `cv2x_stack_warnings`) as of the last poll into `*out`, whose `struct_size` the caller sets
 * (`CV2X_ERR_STRUCT_SIZE` below the first version's); `*out` is written only on success.
 * `CV2X_ERR_NO_WARNING` when no active warning has that id (it has cleared, or never was).
 * Does not change the stack; one call at a time per stack (`CV2X_ERR_REENTRANT`). The
 * struct is a copy: nothing in it borrows the stack.
 */
cv2x_result cv2x_stack_warning_detail(const struct cv2x_stack *s,
                                      uint32_t id,
                                      struct cv2x_warning_detail *out);

/**
 * Writes the default host config to `*out` (`struct_size` included; `seed` all zero, which
 * must be replaced). Thread-safe.
 */
cv2x_result cv2x_host_config_default(struct cv2x_host_config *out);

/**
 * Puts the ego on the air: from now on the ego states (`cv2x_stack_set_ego`) and onboard
 * tracks also feed a host vehicle, each poll collects the messages it has due (BSM at 10 Hz
 * under the rate policy, event BSMs, SSMs; signed once a pseudonym pool is set) for
 * `cv2x_stack_next_transmission`, and certificate requests in verified messages reach it.
 * The ego's temporary id is then the host's (it changes with its pseudonyms). Replaces an
 * earlier host vehicle (and its pool). `CV2X_ERR_INVALID_PARAMETER` for a configuration that
 * cannot work (and an all-zero seed).
 */
cv2x_result cv2x_stack_set_host(struct cv2x_stack *s, const struct cv2x_host_config *c);

/**
 * Takes a channel busy ratio measurement (0..1) for the transmit rate policy.
 * `CV2X_ERR_NO_HOST` without a host vehicle.
 */
cv2x_result cv2x_stack_set_channel_busy_ratio(struct cv2x_stack *s, double cbr);

/**
 * Takes a vehicle density measurement (vehicles heard within 100 m) for the transmit rate
 * policy. `CV2X_ERR_NO_HOST` without a host vehicle.
 */
cv2x_result cv2x_stack_set_vehicle_density(struct cv2x_stack *s, uint32_t vehicles);

/**
 * When the host vehicle has a message due next, into `*out` (TAI µs since 2004): poll at
 * that time at the latest. `CV2X_ERR_NO_HOST` without a host vehicle,
 * `CV2X_ERR_NO_TRANSMISSION` when nothing is due until the next state or track list.
 */
cv2x_result cv2x_stack_next_due(const struct cv2x_stack *s, int64_t *out);

/**
 * Makes an empty pool.
 */
cv2x_result cv2x_pseudonym_pool_new(struct cv2x_pseudonym_pool **out);

/**
 * Adds a pseudonym certificate (COER) with its software private key (`alg` a
 * `CV2X_KEY_ALG_*`, `key` the 32-octet big-endian scalar); the certificate's HashedId8 goes
 * to `id8` (may be NULL). `CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH` when the key is not the
 * certificate's.
 */
cv2x_result cv2x_pseudonym_pool_add_key(struct cv2x_pseudonym_pool *p,
                                        uint32_t alg,
                                        const uint8_t *key,
                                        const uint8_t *cert,
                                        size_t cert_len,
                                        uint8_t *id8);

/**
 * Adds a pseudonym certificate (COER) whose key is in a security chip or HSM (`backend`,
 * copied; see `cv2x_signing_backend` for its callbacks and the ownership of `user_data`);
 * the certificate's HashedId8 goes to `id8` (may be NULL). The stack signs through it inside
 * `cv2x_stack_poll` (calling back into that stack from `sign` returns `CV2X_ERR_REENTRANT`).
 */
cv2x_result cv2x_pseudonym_pool_add_callback(struct cv2x_pseudonym_pool *p,
                                             const struct cv2x_signing_backend *backend,
                                             const uint8_t *cert,
                                             size_t cert_len,
                                             uint8_t *id8);

/**
 * The number of credentials in the pool; 0 for NULL or a poisoned or busy pool.
 */
uint32_t cv2x_pseudonym_pool_count(const struct cv2x_pseudonym_pool *p);

/**
 * Frees a pool and the credentials still in it (a callback key's `release` is called). NULL
 * is a no-op.
 */
void cv2x_pseudonym_pool_free(struct cv2x_pseudonym_pool *p);

/**
 * Moves the pool's credentials to the stack's host vehicle, which from then on signs every
 * message with them (replacing an earlier pool: a new pseudonym starts with the next
 * message). `pool` is left empty and stays the caller's to free. `CV2X_ERR_NO_HOST` without
 * a host vehicle (the pool is then left as it is).
 */
cv2x_result cv2x_stack_set_pseudonyms(struct cv2x_stack *s, struct cv2x_pseudonym_pool *pool);

/**
 * Takes the oldest message to send: its DSMP packet (ready for the radio) goes to
 * `(out, cap, out_len)` and what it is to `*info` (may be NULL). On
 * `CV2X_ERR_BUFFER_TOO_SMALL` the size needed is in `*out_len` and the message stays first
 * in line. `CV2X_ERR_NO_TRANSMISSION` when none is waiting. Call after each poll until
 * `CV2X_ERR_NO_TRANSMISSION` (the poll's `CV2X_EVENT_TRANSMIT` event says how many wait).
 */
cv2x_result cv2x_stack_next_transmission(struct cv2x_stack *s,
                                         uint8_t *out,
                                         size_t cap,
                                         size_t *out_len,
                                         struct cv2x_transmission_info *info);

/**
 * Fills `*out` with an ego state at `now`: a 3-D fix at `lat_deg`, `lon_deg` (degrees),
 * `heading_deg` (0 = north, clockwise) and `speed_mps`, nothing else known; `struct_size`
 * set. Add the optional values with their `CV2X_EGO_HAS_*` bits. Thread-safe.
 */
cv2x_result cv2x_ego_init(struct cv2x_ego *out,
                          int64_t now,
                          double lat_deg,
                          double lon_deg,
                          double heading_deg,
                          double speed_mps);

/**
 * Sets the ego's state (from its positioning and ECUs, in time order). Fusion and the
 * applications take its position, heading, speed, yaw rate, acceleration, size and turn
 * signal; the host vehicle (when on the air, `cv2x_stack_set_host`) takes all of it.
 * `CV2X_ERR_EGO_REJECTED` when fusion and the applications cannot use it (no fix or heading,
 * a value out of range; a host vehicle still took it: a GNSS outage is reported so),
 * `CV2X_ERR_TIME_WENT_BACKWARDS` when its time is before the previous state's. Both are also
 * counted as drops. `CV2X_ERR_INVALID_PARAMETER` for an unknown enumeration value or
 * `present` bit (nothing is taken).
 */
cv2x_result cv2x_stack_set_ego(struct cv2x_stack *s, const struct cv2x_ego *ego);

/**
 * Fills `*out` with an empty track (`struct_size` set, everything else 0: an ego-frame
 * position without motion of an unknown object). Thread-safe.
 */
cv2x_result cv2x_track_init(struct cv2x_track *out);

/**
 * Adds `n` tracks of the ego's own sensors at `now` (observations of source kind Onboard;
 * an ego-frame position is placed with the ego pose at the track's time, so give the ego's
 * states first). `*accepted` (may be NULL) gets how many the fusion core took; the others
 * are counted as drops (`CV2X_DROP_FUSION`). An unknown enumeration value or `present` bit in
 * any track is `CV2X_ERR_INVALID_PARAMETER` and nothing is taken.
 */
cv2x_result cv2x_stack_add_onboard_tracks(struct cv2x_stack *s,
                                          const struct cv2x_track *tracks,
                                          size_t n,
                                          int64_t now,
                                          size_t *accepted);

/**
 * Sets the payment account of near-field payment (VNFP, `CV2X_APP_VNFP`), replacing an
 * earlier one (whose `release` is then called); `account` NULL removes it (no payment is
 * answered any more). The struct is copied: the caller may reuse it. The library stores none
 * of the data the callbacks return beyond the message it is asked for (see
 * `cv2x_payment_account`). `CV2X_ERR_MISSING_CALLBACK` when a required callback is NULL,
 * `CV2X_ERR_STRUCT_SIZE` for a `struct_size` under the first version's,
 * `CV2X_ERR_INVALID_PARAMETER` for non-zero `flags`; on any error the stack keeps its account.
 */
cv2x_result cv2x_stack_set_payment_account(struct cv2x_stack *s,
                                           const struct cv2x_payment_account *account);

/**
 * Copies the fused objects of the last poll to `(out, cap)`. `*count` gets how many there are
 * (also on `CV2X_ERR_BUFFER_TOO_SMALL`, when nothing is written: retry with a larger array).
 * `out` may be NULL when `cap` is 0.
 */
cv2x_result cv2x_stack_objects(const struct cv2x_stack *s,
                               struct cv2x_object *out,
                               size_t cap,
                               size_t *count);

/**
 * Copies the warnings active after the last poll to `(out, cap)`, with their ids and raise
 * times (`change` is `CV2X_WARNING_ACTIVE`). `*count` as for `cv2x_stack_objects`.
 */
cv2x_result cv2x_stack_warnings(const struct cv2x_stack *s,
                                struct cv2x_warning *out,
                                size_t cap,
                                size_t *count);

/**
 * The lane the ego was matched to at the last poll into `*out`; `CV2X_ERR_NO_LANE` when it is
 * on no lane of a known MAP.
 */
cv2x_result cv2x_stack_lane(const struct cv2x_stack *s, struct cv2x_lane *out);

/**
 * Reads the counters into `*out`, whose `struct_size` the caller sets
 * (`CV2X_ERR_STRUCT_SIZE` below the first version's).
 */
cv2x_result cv2x_stack_get_counters(const struct cv2x_stack *s, struct cv2x_stack_counters *out);

/**
 * How full the bounded stores are, into `*out`.
 */
cv2x_result cv2x_stack_get_usage(const struct cv2x_stack *s, struct cv2x_stack_usage *out);

#if defined(CV2X_TEST_PANIC)
/**
 * Panics (no handle): returns `CV2X_ERR_PANIC`.
 */
cv2x_result cv2x_test_panic(void);
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * Panics while holding the verifier: returns `CV2X_ERR_PANIC` and poisons it.
 */
cv2x_result cv2x_test_panic_verifier(struct cv2x_verifier *v);
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * Panics while holding the signer: returns `CV2X_ERR_PANIC` and poisons it.
 */
cv2x_result cv2x_test_panic_signer(struct cv2x_signer *s);
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * Panics while holding the dispatcher: returns `CV2X_ERR_PANIC` and poisons it.
 */
cv2x_result cv2x_test_panic_dispatcher(struct cv2x_dispatcher *d);
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * Panics while reading the frame: returns `CV2X_ERR_PANIC` and poisons it.
 */
cv2x_result cv2x_test_panic_frame(const struct cv2x_frame *f);
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * Panics in a query that returns no code: returns 0.
 */
uint32_t cv2x_test_panic_u32(void);
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * Panics in the middle of a stack call (after a poll, holding the stack): returns
 * `CV2X_ERR_PANIC` and poisons the stack.
 */
cv2x_result cv2x_test_panic_stack(struct cv2x_stack *s, int64_t now);
#endif

#if defined(CV2X_TEST_PANIC)
/**
 * The VPM frame (UPER MessageFrame) of a roadside payment station `rsu8` (8 octets) at one
 * step of a free-flow toll transaction with the on-board unit `obu8` (8 octets; unused for
 * the offer), as T/CSAE 157-2020 orders them: the offer, then commands addressed to the
 * on-board unit. `CV2X_ERR_INVALID_PARAMETER` for an unknown step.
 */
cv2x_result cv2x_test_payment_vpm(const uint8_t *rsu8,
                                  const uint8_t *obu8,
                                  uint32_t step,
                                  uint32_t price,
                                  uint8_t *out,
                                  size_t cap,
                                  size_t *out_len);
#endif

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* CV2X_H */
