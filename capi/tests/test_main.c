/* C tests of the cv2x C ABI: runner, and the tests of versions, codes, time, NULL handling,
 * frozen sizes, the panic boundary and threads. C99 (+ POSIX threads).
 *
 * Usage: test_capi REPO_ROOT. Prints one line per test and ends with `N passed, M failed`. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "common.h"
#include "tests.h"

/* The frozen sizes of the first ABI version: a change breaks every program built against it. */
_Static_assert(sizeof(cv2x_codec_error) == 272, "cv2x_codec_error size is frozen");
_Static_assert(sizeof(cv2x_bsm) == 200, "cv2x_bsm size is frozen");
_Static_assert(sizeof(cv2x_spat) == 88, "cv2x_spat size is frozen");
_Static_assert(sizeof(cv2x_spat_intersection) == 32, "cv2x_spat_intersection size is frozen");
_Static_assert(sizeof(cv2x_spat_phase) == 8, "cv2x_spat_phase size is frozen");
_Static_assert(sizeof(cv2x_spat_phase_state) == 40, "cv2x_spat_phase_state size is frozen");
_Static_assert(sizeof(cv2x_rsm) == 32, "cv2x_rsm size is frozen");
_Static_assert(sizeof(cv2x_rsm_participant) == 136, "cv2x_rsm_participant size is frozen");
_Static_assert(sizeof(cv2x_verifier_config) == 184, "cv2x_verifier_config v1 size is frozen");
_Static_assert(sizeof(cv2x_verify_report) == 80, "cv2x_verify_report size is frozen");
_Static_assert(sizeof(cv2x_crypto_backend) == 8 + 6 * sizeof(void *), "cv2x_crypto_backend v1 size is frozen");
_Static_assert(sizeof(cv2x_dsmp_packet) == 40, "cv2x_dsmp_packet size is frozen");
_Static_assert(sizeof(cv2x_dispatched) == 40, "cv2x_dispatched size is frozen");
_Static_assert(sizeof(cv2x_dispatch_counters) == 192, "cv2x_dispatch_counters size is frozen");
_Static_assert(sizeof(cv2x_result) == 4, "cv2x_result is a uint32_t");
_Static_assert(CV2X_STACK_CONFIG_SIZE_V1 == 88, "cv2x_stack_config v1 size is frozen");
_Static_assert(CV2X_STACK_CONFIG_SIZE_V2 == 104, "cv2x_stack_config v2 size is frozen");
_Static_assert(sizeof(cv2x_stack_config) == 128, "cv2x_stack_config v3 size is frozen");
_Static_assert(sizeof(cv2x_set_rule) == 80, "cv2x_set_rule size is frozen");
_Static_assert(sizeof(cv2x_ego) == 256, "cv2x_ego v1 size is frozen");
_Static_assert(sizeof(cv2x_track) == 240, "cv2x_track v1 size is frozen");
_Static_assert(sizeof(cv2x_warning) == 136, "cv2x_warning size is frozen");
_Static_assert(sizeof(cv2x_drop) == 8, "cv2x_drop size is frozen");
_Static_assert(sizeof(cv2x_day2_event) == 80, "cv2x_day2_event size is frozen");
_Static_assert(sizeof(cv2x_event) == 256, "cv2x_event size is frozen");
_Static_assert(sizeof(cv2x_ingest_outcome) == 32, "cv2x_ingest_outcome size is frozen");
_Static_assert(sizeof(cv2x_object) == 192, "cv2x_object size is frozen");
_Static_assert(sizeof(cv2x_lane) == 96, "cv2x_lane size is frozen");
_Static_assert(CV2X_STACK_COUNTERS_SIZE_V1 == 416, "cv2x_stack_counters v1 size is frozen");
_Static_assert(CV2X_STACK_COUNTERS_SIZE_V2 == 480, "cv2x_stack_counters v2 size is frozen");
_Static_assert(sizeof(cv2x_stack_counters) == 520, "cv2x_stack_counters v3 size is frozen");
_Static_assert(sizeof(cv2x_stack_usage) == 64, "cv2x_stack_usage size is frozen");
_Static_assert(sizeof(cv2x_host_config) == 112, "cv2x_host_config v1 size is frozen");
_Static_assert(sizeof(cv2x_command) == 112, "cv2x_command v1 size is frozen");
_Static_assert(sizeof(cv2x_warning_detail) == 344, "cv2x_warning_detail v1 size is frozen");
_Static_assert(sizeof(cv2x_transmission_info) == 64, "cv2x_transmission_info size is frozen");
_Static_assert(sizeof(cv2x_signing_backend) == 8 + 4 * sizeof(void *), "cv2x_signing_backend v1 size is frozen");
_Static_assert(sizeof(cv2x_payment_account) == 8 + 11 * sizeof(void *), "cv2x_payment_account v1 size is frozen");
_Static_assert(sizeof(cv2x_payment_data) == 584, "cv2x_payment_data v1 size is frozen");
_Static_assert(sizeof(cv2x_charge_receipt) == 88, "cv2x_charge_receipt v1 size is frozen");
_Static_assert(sizeof(cv2x_charge_request) == 208, "cv2x_charge_request size is frozen");
_Static_assert(sizeof(cv2x_payment_offer) == 104, "cv2x_payment_offer size is frozen");
_Static_assert(sizeof(cv2x_payment_read) == 24, "cv2x_payment_read size is frozen");
_Static_assert(sizeof(cv2x_payment_secure_read) == 28, "cv2x_payment_secure_read size is frozen");
_Static_assert(sizeof(cv2x_date) == 12, "cv2x_date size is frozen");
_Static_assert(CV2X_LEVEL_ADVISORY < CV2X_LEVEL_WARNING && CV2X_LEVEL_WARNING < CV2X_LEVEL_ALERT, "levels are ordered");

void test_frozen_sizes(void) {
    CHECK(sizeof(cv2x_codec_error) == CV2X_CODEC_ERROR_SIZE);
    CHECK(sizeof(cv2x_bsm) == CV2X_BSM_SIZE);
    CHECK(sizeof(cv2x_spat) == CV2X_SPAT_SIZE);
    CHECK(sizeof(cv2x_spat_intersection) == CV2X_SPAT_INTERSECTION_SIZE);
    CHECK(sizeof(cv2x_spat_phase) == CV2X_SPAT_PHASE_SIZE);
    CHECK(sizeof(cv2x_spat_phase_state) == CV2X_SPAT_PHASE_STATE_SIZE);
    CHECK(sizeof(cv2x_rsm) == CV2X_RSM_SIZE);
    CHECK(sizeof(cv2x_rsm_participant) == CV2X_RSM_PARTICIPANT_SIZE);
    CHECK(sizeof(cv2x_verifier_config) == CV2X_VERIFIER_CONFIG_SIZE_V1);
    CHECK(sizeof(cv2x_verify_report) == CV2X_VERIFY_REPORT_SIZE);
    CHECK(sizeof(cv2x_dsmp_packet) == CV2X_DSMP_PACKET_SIZE);
    CHECK(sizeof(cv2x_dispatched) == CV2X_DISPATCHED_SIZE);
    CHECK(sizeof(cv2x_dispatch_counters) == CV2X_DISPATCH_COUNTERS_SIZE);
    CHECK(sizeof(cv2x_stack_config) == CV2X_STACK_CONFIG_SIZE_V3);
    CHECK(sizeof(cv2x_set_rule) == CV2X_SET_RULE_SIZE);
    CHECK(sizeof(cv2x_ego) == CV2X_EGO_SIZE_V1);
    CHECK(sizeof(cv2x_track) == CV2X_TRACK_SIZE_V1);
    CHECK(sizeof(cv2x_warning) == CV2X_WARNING_SIZE);
    CHECK(sizeof(cv2x_day2_event) == CV2X_DAY2_EVENT_SIZE);
    CHECK(sizeof(cv2x_event) == CV2X_EVENT_SIZE);
    CHECK(sizeof(cv2x_ingest_outcome) == CV2X_INGEST_OUTCOME_SIZE);
    CHECK(sizeof(cv2x_object) == CV2X_OBJECT_SIZE);
    CHECK(sizeof(cv2x_lane) == CV2X_LANE_SIZE);
    CHECK(sizeof(cv2x_stack_counters) == CV2X_STACK_COUNTERS_SIZE_V3);
    CHECK(sizeof(cv2x_stack_usage) == CV2X_STACK_USAGE_SIZE);
    CHECK(sizeof(cv2x_host_config) == CV2X_HOST_CONFIG_SIZE_V1);
    CHECK(sizeof(cv2x_transmission_info) == CV2X_TRANSMISSION_INFO_SIZE);
    CHECK(sizeof(cv2x_warning_detail) == CV2X_WARNING_DETAIL_SIZE_V1);
    CHECK(sizeof(cv2x_command) == CV2X_COMMAND_SIZE_V1);
    /* the application bits: one per application, CV2X_APPS_ALL all of them */
    CHECK(CV2X_APP_BIT(CV2X_APP_FCW) == 1u && CV2X_APP_BIT(CV2X_APP_EVW) == (1u << 16));
    CHECK(CV2X_APPS_ALL == (CV2X_APP_BIT(CV2X_APP_CEB) << 1) - 1u);
    /* eventHardBraking is bit 7 of VehicleEventFlags */
    CHECK(CV2X_EVENT_HARD_BRAKING == CV2X_VEHICLE_EVENT_HARD_BRAKING && CV2X_VEHICLE_EVENT_HARD_BRAKING == (1u << 7));
}

void test_version_and_codes(void) {
    const char *v = cv2x_version();
    uint32_t code, named = 0;
    CHECK(v != NULL && strchr(v, '.') != NULL);
    CHECK(cv2x_abi_version() >> 16 == CV2X_ABI_VERSION_MAJOR);
    CHECK((cv2x_abi_version() & 0xFFFFu) == CV2X_ABI_VERSION_MINOR);
    CHECK((cv2x_features() & (CV2X_FEATURE_CODEC | CV2X_FEATURE_SECURITY | CV2X_FEATURE_NET | CV2X_FEATURE_STACK)) ==
          (CV2X_FEATURE_CODEC | CV2X_FEATURE_SECURITY | CV2X_FEATURE_NET | CV2X_FEATURE_STACK));
    CHECK((cv2x_features() & CV2X_FEATURE_TEST_PANIC) != 0);
    CHECK(strcmp(cv2x_result_name(CV2X_OK), "CV2X_OK") == 0);
    CHECK(strcmp(cv2x_result_name(CV2X_ERR_SEC_REVOKED), "CV2X_ERR_SEC_REVOKED") == 0);
    CHECK(strcmp(cv2x_result_name(CV2X_ERR_CRL_NOT_NEWER), "CV2X_ERR_CRL_NOT_NEWER") == 0);
    CHECK(strcmp(cv2x_result_name(CV2X_ERR_NET_UNKNOWN_AID), "CV2X_ERR_NET_UNKNOWN_AID") == 0);
    CHECK(strcmp(cv2x_result_name(123456), "CV2X_UNKNOWN") == 0);
    CHECK(strcmp(cv2x_strerror(123456), "unknown result code") == 0);
    CHECK(strcmp(cv2x_strerror(CV2X_OK), "success") == 0);
    for (code = 0; code < 1000; code++) {
        const char *name = cv2x_result_name(code), *msg = cv2x_strerror(code);
        CHECK(name != NULL && msg != NULL && strlen(msg) > 0);
        if (strcmp(name, "CV2X_UNKNOWN") != 0) {
            named++;
            CHECK(strncmp(name, "CV2X_", 5) == 0);
            /* the stack's codes are in its range */
            if (code >= CV2X_ERR_STACK_FIRST && code <= CV2X_ERR_STACK_LAST) CHECK(code <= CV2X_ERR_COMMAND_REFUSED);
        }
    }
    CHECK(named > 100);
    CHECK(strcmp(cv2x_result_name(CV2X_ERR_NO_TRANSMISSION), "CV2X_ERR_NO_TRANSMISSION") == 0);
    CHECK(strcmp(cv2x_result_name(CV2X_ERR_SEC_CONTENT_NOT_PERMITTED), "CV2X_ERR_SEC_CONTENT_NOT_PERMITTED") == 0);
}

void test_time(void) {
    int64_t t = cv2x_time_from_unix_utc_ms(1577836800000LL); /* 2020-01-01T00:00:00Z */
    CHECK(t == (1577836800LL - 1072915200LL + 5) * 1000000LL);
    CHECK(cv2x_time_to_unix_utc_ms(t) == 1577836800000LL);
    CHECK(cv2x_time_from_unix_utc_ms(1072915200000LL) == 0);
    CHECK(cv2x_time_to_unix_utc_ms(0) == 1072915200000LL);
    /* saturating, never UB, at the ends of the range */
    (void)cv2x_time_from_unix_utc_ms(INT64_MAX);
    (void)cv2x_time_from_unix_utc_ms(INT64_MIN);
    (void)cv2x_time_to_unix_utc_ms(INT64_MAX);
    (void)cv2x_time_to_unix_utc_ms(INT64_MIN);
}

void test_null_pointers(void) {
    uint8_t b[128] = {0};
    size_t n;
    uint32_t u;
    cv2x_frame *f = NULL;
    cv2x_bsm bsm;
    cv2x_verify_report r;
    cv2x_dsmp_packet p;
    cv2x_dispatched x;
    CHECK(cv2x_frame_kind(NULL) == CV2X_MSG_UNKNOWN);
    CHECK(cv2x_frame_standard(NULL) == 0);
    CHECK_RC(cv2x_frame_encode(NULL, b, sizeof b, &n), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_to_jer(NULL, (char *)b, sizeof b, &n), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_get_bsm(NULL, &bsm), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_get_spat(NULL, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_get_rsm(NULL, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_get_spat_intersection(NULL, 0, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_get_spat_phase(NULL, 0, 0, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_get_spat_phase_state(NULL, 0, 0, 0, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_get_rsm_participant(NULL, 0, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_day2_message_id(NULL, &u), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_from_jer(NULL, 2, &f, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_frame_from_jer("{}", 2, NULL, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_jer_to_uper(CV2X_STD_CSAE53_2020, "SPAT", NULL, 3, b, sizeof b, &n, NULL), CV2X_ERR_NULL_POINTER);
    {
        /* a frame with NULL out-parameters */
        uint8_t min_bsm[36];
        memset(min_bsm, 0, sizeof min_bsm);
        CHECK_RC(cv2x_frame_decode(min_bsm, sizeof min_bsm, &f, NULL), CV2X_OK);
        CHECK_RC(cv2x_frame_get_bsm(f, NULL), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_frame_encode(f, b, sizeof b, NULL), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_frame_encode(f, NULL, 100, &n), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_frame_encode(f, NULL, 0, &n), CV2X_ERR_BUFFER_TOO_SMALL);
        CHECK(n == 36);
        CHECK_RC(cv2x_frame_day2_message_id(f, NULL), CV2X_ERR_NULL_POINTER);
        cv2x_frame_free(f);
    }
    CHECK_RC(cv2x_verifier_add_trust_anchor(NULL, b, sizeof b, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_verifier_add_certificate(NULL, b, sizeof b, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_verifier_verify(NULL, b, sizeof b, 0, &r), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_verifier_verify_certificate(NULL, b, sizeof b, 0, NULL, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_verifier_revoke_id8(NULL, b), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_verifier_revoke_id10(NULL, b), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_verifier_add_crl_contents(NULL, b, sizeof b), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_verifier_new_with_backend(NULL, NULL, NULL), CV2X_ERR_NULL_POINTER);
    {
        cv2x_verifier *v = NULL;
        CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
        CHECK_RC(cv2x_verifier_verify(v, b, sizeof b, 0, NULL), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_verifier_verify(v, NULL, 8, 0, &r), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_verifier_revoke_id8(v, NULL), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_verifier_revoke_id10(v, NULL), CV2X_ERR_NULL_POINTER);
        cv2x_verifier_free(v);
    }
    CHECK_RC(cv2x_signer_new(CV2X_KEY_ALG_SM2, NULL, b, sizeof b, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_signer_set_mode(NULL, 0), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_signer_id8(NULL, b), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_signer_sign(NULL, b, 1, 111, 0, b, sizeof b, &n), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_spdu_signer_certificate(b, sizeof b, NULL, &u), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_crypto_verify_p256(NULL, b, b, b, &u), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_crypto_verify_sm2(b, NULL, b, b, &u), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_crypto_prepare_key(CV2X_KEY_ALG_SM2, b, 8, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dsmp_parse(b, sizeof b, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dsmp_parse(NULL, 3, &p), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dsmp_extension(b, 3, 0, NULL, &u, &u), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dsmp_emit(111, NULL, 3, 0, NULL, 0, b, sizeof b, &n), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dsmp_strip_adaptation(b, 1, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dispatcher_new(CV2X_DISPATCH_DAY1, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dispatcher_dispatch(NULL, b, sizeof b, &x), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dispatcher_insert(NULL, 1, 1), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dispatcher_remove(NULL, 1), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dispatcher_set_framing(NULL, 0), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dispatcher_set_security(NULL, 0), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dispatcher_counters(NULL, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_dispatcher_reset_counters(NULL), CV2X_ERR_NULL_POINTER);
    /* free(NULL) is a no-op */
    cv2x_frame_free(NULL);
    cv2x_verifier_free(NULL);
    cv2x_signer_free(NULL);
    cv2x_dispatcher_free(NULL);
}

void test_panic_and_poison(void) {
    cv2x_verifier *v = NULL;
    cv2x_dispatcher *d = NULL;
    cv2x_frame *f = NULL;
    cv2x_bsm b;
    uint8_t buf[64], id8[8];
    size_t n;
    cv2x_verify_report r;
    cv2x_dispatched x;
    CHECK_RC(cv2x_test_panic(), CV2X_ERR_PANIC);
    CHECK(cv2x_test_panic_u32() == 0);
    /* the library still works after a panic without a handle */
    CHECK(strcmp(cv2x_result_name(CV2X_ERR_PANIC), "CV2X_ERR_PANIC") == 0);

    CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
    CHECK_RC(cv2x_test_panic_verifier(v), CV2X_ERR_PANIC);
    CHECK_RC(cv2x_verifier_verify(v, buf, 8, 0, &r), CV2X_ERR_POISONED);
    CHECK_RC(cv2x_verifier_add_certificate(v, buf, 8, NULL), CV2X_ERR_POISONED);
    CHECK_RC(cv2x_test_panic_verifier(v), CV2X_ERR_POISONED);
    cv2x_verifier_free(v);

    {
        size_t kl, cl;
        unsigned char *key = read_hex_file("capi/tests/data/lab_sm2/signer.key", &kl);
        unsigned char *cert = read_file("capi/tests/data/lab_sm2/signer.oer", &cl);
        cv2x_signer *s = NULL;
        CHECK(key != NULL && cert != NULL);
        if (key != NULL && cert != NULL) {
            CHECK_RC(cv2x_signer_new(CV2X_KEY_ALG_SM2, key, cert, cl, &s), CV2X_OK);
            CHECK_RC(cv2x_test_panic_signer(s), CV2X_ERR_PANIC);
            CHECK_RC(cv2x_signer_id8(s, id8), CV2X_ERR_POISONED);
            CHECK_RC(cv2x_signer_sign(s, buf, 4, 111, 0, buf, sizeof buf, &n), CV2X_ERR_POISONED);
            cv2x_signer_free(s);
        }
        free(key);
        free(cert);
    }

    CHECK_RC(cv2x_dispatcher_new(CV2X_DISPATCH_DAY1, &d), CV2X_OK);
    CHECK_RC(cv2x_test_panic_dispatcher(d), CV2X_ERR_PANIC);
    CHECK_RC(cv2x_dispatcher_dispatch(d, buf, 8, &x), CV2X_ERR_POISONED);
    CHECK_RC(cv2x_dispatcher_reset_counters(d), CV2X_ERR_POISONED);
    cv2x_dispatcher_free(d);

    memset(buf, 0, 36);
    CHECK_RC(cv2x_frame_decode(buf, 36, &f, NULL), CV2X_OK);
    CHECK(cv2x_frame_kind(f) == CV2X_MSG_BSM);
    CHECK_RC(cv2x_test_panic_frame(f), CV2X_ERR_PANIC);
    CHECK_RC(cv2x_frame_get_bsm(f, &b), CV2X_ERR_POISONED);
    CHECK_RC(cv2x_frame_encode(f, buf, sizeof buf, &n), CV2X_ERR_POISONED);
    CHECK(cv2x_frame_kind(f) == CV2X_MSG_UNKNOWN);
    CHECK(cv2x_frame_standard(f) == 0);
    cv2x_frame_free(f);
}

/* One frame read by several threads at once; one verifier used by two threads at once gets
 * CV2X_ERR_REENTRANT or a result, never a race. */
typedef struct {
    const cv2x_frame *frame;
    cv2x_verifier *verifier;
    int errors;
    int busy;
} thread_arg;

static void *reader(void *p) {
    thread_arg *a = (thread_arg *)p;
    int i;
    for (i = 0; i < 200; i++) {
        cv2x_bsm b;
        uint8_t out[64];
        size_t n;
        cv2x_verify_report r;
        cv2x_result rc;
        if (cv2x_frame_get_bsm(a->frame, &b) != CV2X_OK) a->errors++;
        if (cv2x_frame_encode(a->frame, out, sizeof out, &n) != CV2X_OK || n != 36) a->errors++;
        rc = cv2x_verifier_verify(a->verifier, out, n, 0, &r);
        if (rc == CV2X_ERR_REENTRANT) {
            a->busy++;
        } else if (rc != CV2X_OK) {
            a->errors++;
        }
    }
    return NULL;
}

void test_threads(void) {
    uint8_t min_bsm[36];
    cv2x_frame *f = NULL;
    cv2x_verifier *v = NULL;
    pthread_t t[4];
    thread_arg args[4];
    int i;
    memset(min_bsm, 0, sizeof min_bsm);
    CHECK_RC(cv2x_frame_decode(min_bsm, sizeof min_bsm, &f, NULL), CV2X_OK);
    CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
    for (i = 0; i < 4; i++) {
        args[i].frame = f;
        args[i].verifier = v;
        args[i].errors = 0;
        args[i].busy = 0;
        CHECK(pthread_create(&t[i], NULL, reader, &args[i]) == 0);
    }
    for (i = 0; i < 4; i++) {
        CHECK(pthread_join(t[i], NULL) == 0);
        CHECK(args[i].errors == 0);
    }
    cv2x_verifier_free(v);
    cv2x_frame_free(f);
}

typedef struct {
    const char *name;
    void (*run)(void);
} test_case;

static const test_case TESTS[] = {
    {"version_and_codes", test_version_and_codes},
    {"time", test_time},
    {"frozen_sizes", test_frozen_sizes},
    {"null_pointers", test_null_pointers},
    {"frame_vectors", test_frame_vectors},
    {"frame_defaults_and_day2", test_frame_defaults_and_day2},
    {"invalid_frames", test_invalid_frames},
    {"bsm_fields", test_bsm_fields},
    {"bsm_encode", test_bsm_encode},
    {"spat_rsm", test_spat_rsm},
    {"named_types_and_jer_errors", test_named_types_and_jer_errors},
    {"codec_error_truncation", test_codec_error_truncation},
    {"codec_garbage", test_codec_garbage},
    {"verifier_config", test_verifier_config},
    {"independent_ecdsa_pki", test_independent_ecdsa_pki},
    {"independent_sm2_pki", test_independent_sm2_pki},
    {"signed_cam_of_an_independent_pki", test_signed_cam_of_an_independent_pki},
    {"signer_and_revocation", test_signer_and_revocation},
    {"signed_crl_paths", test_signed_crl_paths},
    {"callback_backend", test_callback_backend},
    {"callback_reentrancy", test_callback_reentrancy},
    {"crypto_primitives", test_crypto_primitives},
    {"security_garbage", test_security_garbage},
    {"stack_config", test_stack_config},
    {"stack_drops", test_stack_drops},
    {"stack_event_queue", test_stack_event_queue},
    {"stack_poll_callback", test_stack_poll_callback},
    {"stack_fcw_stopped_car", test_stack_fcw_stopped_car},
    {"stack_ego", test_stack_ego},
    {"stack_tracks_and_snapshots", test_stack_tracks_and_snapshots},
    {"stack_day2", test_stack_day2},
    {"stack_generations", test_stack_generations},
    {"stack_intersection_scene", test_stack_intersection_scene},
    {"stack_shared_verifier", test_stack_shared_verifier},
    {"stack_verify_on_demand", test_stack_verify_on_demand},
    {"stack_panic", test_stack_panic},
    {"stack_threads", test_stack_threads},
    {"host_config", test_host_config},
    {"host_unsigned_bsms", test_host_unsigned_bsms},
    {"host_signed_bsms", test_host_signed_bsms},
    {"callback_signer", test_callback_signer},
    {"host_callback_key", test_host_callback_key},
    {"host_ssm", test_host_ssm},
    {"host_day2_requests", test_host_day2_requests},
    {"host_payment", test_host_payment},
    {"dsmp", test_dsmp},
    {"dispatcher", test_dispatcher},
    {"panic_and_poison", test_panic_and_poison},
    {"threads", test_threads},
};

int main(int argc, char **argv) {
    size_t i, passed = 0, failed = 0;
    const char *only = argc > 2 ? argv[2] : NULL;
    if (argc > 1) g_root = argv[1];
    for (i = 0; i < sizeof TESTS / sizeof TESTS[0]; i++) {
        int before = g_failed_checks;
        if (only != NULL && strcmp(only, TESTS[i].name) != 0) continue;
        TESTS[i].run();
        if (g_failed_checks == before) {
            passed++;
            printf("ok   %s\n", TESTS[i].name);
        } else {
            failed++;
            printf("FAIL %s (%d checks)\n", TESTS[i].name, g_failed_checks - before);
        }
        fflush(stdout);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
