/* The C test functions, one per behaviour. */
#ifndef CV2X_TESTS_H
#define CV2X_TESTS_H

void test_frame_vectors(void);
void test_frame_defaults_and_day2(void);
void test_invalid_frames(void);
void test_bsm_fields(void);
void test_bsm_encode(void);
void test_spat_rsm(void);
void test_named_types_and_jer_errors(void);
void test_codec_error_truncation(void);
void test_codec_garbage(void);

void test_verifier_config(void);
void test_independent_ecdsa_pki(void);
void test_independent_sm2_pki(void);
void test_signed_cam_of_an_independent_pki(void);
void test_signer_and_revocation(void);
void test_signed_crl_paths(void);
void test_callback_backend(void);
void test_callback_reentrancy(void);
void test_crypto_primitives(void);
void test_security_garbage(void);

void test_stack_config(void);
void test_stack_drops(void);
void test_stack_event_queue(void);
void test_stack_poll_callback(void);
void test_stack_fcw_stopped_car(void);
void test_stack_ego(void);
void test_stack_tracks_and_snapshots(void);
void test_stack_day2(void);
void test_stack_generations(void);
void test_stack_intersection_scene(void);
void test_stack_shared_verifier(void);
void test_stack_verify_on_demand(void);
void test_stack_panic(void);
void test_stack_threads(void);

void test_host_config(void);
void test_host_unsigned_bsms(void);
void test_host_signed_bsms(void);
void test_callback_signer(void);
void test_host_callback_key(void);
void test_host_ssm(void);
void test_host_day2_requests(void);
void test_host_payment(void);

void test_dsmp(void);
void test_dispatcher(void);

void test_version_and_codes(void);
void test_time(void);
void test_null_pointers(void);
void test_frozen_sizes(void);
void test_panic_and_poison(void);
void test_threads(void);

#endif
