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
 *  - Thread safety: free functions and cv2x_frame (immutable) are thread-safe. cv2x_verifier,
 *    cv2x_signer and cv2x_dispatcher take one call at a time: a concurrent or re-entrant
 *    second call returns CV2X_ERR_REENTRANT (never a data race); they may move between
 *    threads. Callbacks run synchronously on the calling thread.
 *  - A panic inside the library returns CV2X_ERR_PANIC (NULL / 0 where no code is returned)
 *    and poisons the handle: later calls return CV2X_ERR_POISONED; _free still frees it.
 *  - Buffers returned as offsets (payload_offset, ...) point into the caller's own input.
 */


/**
 * Major version of the C ABI: programs built against another major do not run with this
 * library (it is the number in the SONAME, `libcv2x.so.1`).
 */
#define CV2X_ABI_VERSION_MAJOR 1

/**
 * Minor version of the C ABI: grows when functions, constants or struct fields (in reserved
 * room) are added; a program built against minor N runs with any library of minor >= N.
 */
#define CV2X_ABI_VERSION_MINOR 0

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
 * `cv2x_bsm.present`: `time_confidence` is set (T/CSAE 53-2020 only).
 */
#define CV2X_BSM_HAS_TIME_CONFIDENCE (1 << 1)

/**
 * `cv2x_bsm.present`: `pos_accuracy_*` are set (posAccuracy, T/CSAE 53-2020 only).
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
 * `cv2x_bsm.present` (read only): the message has emergency extensions (T/CSAE 53-2020).
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
 * `cv2x_bsm.events`: eventFlags bit `eventHazardLights`.
 */
#define CV2X_EVENT_HAZARD_LIGHTS (1 << 0)

/**
 * `cv2x_bsm.events`: `eventHardBraking`.
 */
#define CV2X_EVENT_HARD_BRAKING (1 << 3)

/**
 * Frozen size of `cv2x_bsm`.
 */
#define CV2X_BSM_SIZE 200

/**
 * `cv2x_spat.present`: `moy` is set.
 */
#define CV2X_SPAT_HAS_MOY (1 << 0)

/**
 * `cv2x_spat.present`: `time_stamp` is set (T/CSAE 53-2020 only).
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
 * `cv2x_spat_intersection.present`: `time_confidence` is set (T/CSAE 53-2020 only).
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
 * A whole DSMP packet (reserved for the stack's ingest).
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
 * Signs payloads into SPDUs with one software private key and its certificate (opaque).
 * Signatures are deterministic (RFC 6979). One call at a time (else `CV2X_ERR_REENTRANT`);
 * may move between threads. Owned by the caller, freed with `cv2x_signer_free`.
 */
typedef struct cv2x_signer cv2x_signer;

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
 * First code of the range reserved for the stack (`cv2x_stack_*`, `cv2x_ego_*`, events).
 */
#define CV2X_ERR_STACK_FIRST 400

/**
 * Last code of the range reserved for the stack.
 */
#define CV2X_ERR_STACK_LAST 499

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
 * Frees a signer (its key is dropped). NULL is a no-op.
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

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* CV2X_H */
