/* C tests of the transmit side: the host vehicle on a stack, its messages, pseudonym pools with
 * software keys and keys behind callbacks (a security chip), and the standalone callback signer.
 * C99. */
#include "common.h"
#include "tests.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LAT0 31.2
#define LON0 121.5

static const unsigned char MSG[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

static cv2x_host_config host_config(void) {
    cv2x_host_config h;
    size_t i;
    CHECK_RC(cv2x_host_config_default(&h), CV2X_OK);
    for (i = 0; i < sizeof h.seed; i++) h.seed[i] = (uint8_t)(i + 1);
    return h;
}

static cv2x_stack *stack_on_air(uint32_t extra_host_flags) {
    cv2x_stack_config c;
    cv2x_host_config h = host_config();
    cv2x_stack *s = NULL;
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.origin_lat_deg = LAT0;
    c.origin_lon_deg = LON0;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    h.flags |= extra_host_flags;
    CHECK_RC(cv2x_stack_set_host(s, &h), CV2X_OK);
    return s;
}

/* The ego north at 12 m/s from `from_ms` to `to_ms` (10 Hz), with `events` reported; counts
 * the transmit events and the drops of messages that could not be sent. */
static void drive(cv2x_stack *s, int64_t from_ms, int64_t to_ms, uint32_t events, int *tx_events, int *tx_failed) {
    int64_t ms;
    for (ms = from_ms; ms <= to_ms; ms += 100) {
        cv2x_ego e;
        cv2x_event ev[16];
        size_t n = 0, left = 0, i;
        double y = 12.0 * (double)ms / 1000.0;
        CHECK_RC(cv2x_ego_init(&e, lab_time(ms), LAT0 + y / 110850.0, LON0, 0.0, 12.0), CV2X_OK);
        e.events = events;
        CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_OK);
        CHECK_RC(cv2x_stack_poll(s, lab_time(ms), ev, COUNT(ev), &n, &left), CV2X_OK);
        for (i = 0; i < n; i++) {
            if (ev[i].kind == CV2X_EVENT_TRANSMIT) {
                CHECK(ev[i].count >= 1 && ev[i].time == lab_time(ms));
                if (tx_events) (*tx_events)++;
            }
            if (ev[i].kind == CV2X_EVENT_DROPPED && ev[i].drop.reason == CV2X_DROP_TRANSMIT_FAILED && tx_failed)
                (*tx_failed)++;
        }
    }
}

typedef struct {
    uint8_t pkt[600];
    size_t len;
    cv2x_transmission_info info;
} sent_msg;

/* Takes every waiting message (at most cap). */
static size_t take_all(cv2x_stack *s, sent_msg *out, size_t cap) {
    size_t k = 0;
    for (;;) {
        cv2x_result rc;
        sent_msg m;
        rc = cv2x_stack_next_transmission(s, m.pkt, sizeof m.pkt, &m.len, &m.info);
        if (rc == CV2X_ERR_NO_TRANSMISSION) break;
        CHECK_RC(rc, CV2X_OK);
        if (rc != CV2X_OK) break;
        if (k < cap) out[k] = m;
        k++;
    }
    return k;
}

void test_host_config(void) {
    cv2x_host_config h;
    cv2x_stack *s = NULL;
    cv2x_pseudonym_pool *pool = NULL;
    int64_t due = 0;
    uint8_t buf[64];
    size_t n = 0;
    CHECK_RC(cv2x_host_config_default(&h), CV2X_OK);
    CHECK(h.struct_size == sizeof h && h.struct_size == CV2X_HOST_CONFIG_SIZE_V1);
    CHECK(h.flags == (CV2X_HOST_DERIVE_EVENTS | CV2X_HOST_HEADING_LATCH));
    CHECK(h.bsm_aid_periodic == 111 && h.bsm_aid_event == 112 && h.bsm_aid_special_periodic == 113 &&
          h.bsm_aid_special_event == 114 && h.ssm_aid == 23);
    CHECK(h.min_interval_ms == 100 && h.max_interval_ms == 600 && h.certificate_interval_ms == 1000);
    CHECK(h.max_fix_age_ms == 1000 && h.hard_braking_mps2 > 3.9 && h.hard_braking_mps2 < 4.0);
    CHECK(h.seed[0] == 0 && h.seed[31] == 0 && h.reserved0 == 0);
    CHECK_RC(cv2x_stack_new(NULL, &s), CV2X_OK);
    /* without a host vehicle */
    CHECK_RC(cv2x_stack_next_due(s, &due), CV2X_ERR_NO_HOST);
    CHECK_RC(cv2x_stack_set_channel_busy_ratio(s, 0.3), CV2X_ERR_NO_HOST);
    CHECK_RC(cv2x_stack_set_vehicle_density(s, 10), CV2X_ERR_NO_HOST);
    CHECK_RC(cv2x_stack_next_transmission(s, buf, sizeof buf, &n, NULL), CV2X_ERR_NO_TRANSMISSION);
    CHECK_RC(cv2x_pseudonym_pool_new(&pool), CV2X_OK);
    CHECK_RC(cv2x_stack_set_pseudonyms(s, pool), CV2X_ERR_NO_HOST);
    /* configurations that cannot work */
    CHECK_RC(cv2x_stack_set_host(s, &h), CV2X_ERR_INVALID_PARAMETER); /* all-zero seed */
    {
        int k;
        for (k = 0; k < 7; k++) {
            h = host_config();
            switch (k) {
            case 0: h.flags = 1u << 6; break;
            case 1: h.min_interval_ms = 5; break;
            case 2: h.max_interval_ms = 50; break;
            case 3: h.bsm_aid_event = 0xFFFFFFFFu; break;
            case 4: h.reserved0 = 1; break;
            case 5: h.hard_braking_mps2 = -1.0; break;
            default:
                h.flags |= CV2X_HOST_SSM;
                h.ssm_interval_ms = 1;
                break;
            }
            CHECK_RC(cv2x_stack_set_host(s, &h), CV2X_ERR_INVALID_PARAMETER);
        }
    }
    h = host_config();
    h.struct_size = 16;
    CHECK_RC(cv2x_stack_set_host(s, &h), CV2X_ERR_STRUCT_SIZE);
    CHECK_RC(cv2x_stack_set_host(s, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_host_config_default(NULL), CV2X_ERR_NULL_POINTER);
    h = host_config();
    h.flags |= CV2X_HOST_BSM_2017 | CV2X_HOST_PSEUDONYM_INTERVAL | CV2X_HOST_PSEUDONYM_DISTANCE;
    h.pseudonym_interval_ms = 300000;
    h.pseudonym_distance_m = 1000.0;
    CHECK_RC(cv2x_stack_set_host(s, &h), CV2X_OK);
    CHECK_RC(cv2x_stack_next_due(s, &due), CV2X_ERR_NO_TRANSMISSION);
    CHECK_RC(cv2x_stack_set_channel_busy_ratio(s, 0.45), CV2X_OK);
    CHECK_RC(cv2x_stack_set_channel_busy_ratio(s, 1.5), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_stack_set_vehicle_density(s, 25), CV2X_OK);
    CHECK_RC(cv2x_stack_set_pseudonyms(s, pool), CV2X_OK);
    CHECK_RC(cv2x_stack_next_due(s, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_set_pseudonyms(s, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_next_transmission(s, buf, sizeof buf, NULL, NULL), CV2X_ERR_NULL_POINTER);
    cv2x_pseudonym_pool_free(pool);
    cv2x_stack_free(s);
}

/* Unsigned BSMs at 10 Hz: in DSMP packets, the frame inside, the ego's own echo recognised. */
void test_host_unsigned_bsms(void) {
    cv2x_stack *s = stack_on_air(0);
    sent_msg m[32];
    size_t k, i, need = 0;
    int tx_events = 0;
    int64_t due = 0;
    uint8_t small[8];
    cv2x_transmission_info info;
    drive(s, 0, 1000, 0, &tx_events, NULL);
    CHECK(tx_events >= 10);
    /* too small a buffer: the size needed, and the message stays first */
    memset(&info, 0x5A, sizeof info);
    CHECK_RC(cv2x_stack_next_transmission(s, small, sizeof small, &need, &info), CV2X_ERR_BUFFER_TOO_SMALL);
    CHECK(need > sizeof small && info.kind == 0x5A5A5A5Au);
    k = take_all(s, m, COUNT(m));
    CHECK(k >= 10 && k <= 12 && m[0].len == need);
    for (i = 0; i < k && i < COUNT(m); i++) {
        cv2x_dsmp_packet p;
        cv2x_frame *f = NULL;
        cv2x_bsm b;
        CHECK(m[i].info.kind == CV2X_TX_BSM && m[i].info.aid == 111);
        CHECK(m[i].info.flags == (i == 0 ? CV2X_TX_PSEUDONYM_CHANGED : 0u));
        CHECK(m[i].info.reserved[0] == 0);
        CHECK_RC(cv2x_dsmp_parse(m[i].pkt, m[i].len, &p), CV2X_OK);
        CHECK(p.aid == 111 && p.payload_offset == m[i].info.payload_offset && p.payload_len == m[i].info.payload_len);
        CHECK_RC(cv2x_frame_decode(m[i].pkt + p.payload_offset, p.payload_len, &f, NULL), CV2X_OK);
        CHECK_RC(cv2x_frame_get_bsm(f, &b), CV2X_OK);
        CHECK(memcmp(b.id, m[i].info.temporary_id, 8) == 0 && b.msg_cnt == m[i].info.msg_cnt);
        CHECK(b.speed == 600 && b.lat >= 312000000 && b.lat < 312002000 && b.lon == 1215000000);
        if (i > 0) CHECK(m[i].info.msg_cnt == (m[i - 1].info.msg_cnt + 1) % 128);
        if (i > 0) CHECK(m[i].info.time > m[i - 1].info.time);
        cv2x_frame_free(f);
    }
    CHECK_RC(cv2x_stack_next_transmission(s, m[0].pkt, sizeof m[0].pkt, &need, NULL), CV2X_ERR_NO_TRANSMISSION);
    CHECK_RC(cv2x_stack_next_due(s, &due), CV2X_OK);
    CHECK(due > lab_time(1000) && due <= lab_time(1100));
    /* our own message heard back */
    {
        cv2x_ingest_outcome o;
        CHECK_RC(cv2x_stack_ingest(s, m[3].pkt, m[3].len, CV2X_PAYLOAD_DSMP, 0, lab_time(1050), &o), CV2X_OK);
        CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_OWN_MESSAGE);
    }
    /* an event: at once, under the event AID */
    drive(s, 1100, 1300, CV2X_VEHICLE_EVENT_HARD_BRAKING, NULL, NULL);
    k = take_all(s, m, COUNT(m));
    CHECK(k >= 2 && (m[0].info.flags & CV2X_TX_EVENT) && m[0].info.aid == 112);
    {
        cv2x_stack_counters c;
        cv2x_stack_usage u;
        c.struct_size = sizeof c;
        CHECK_RC(cv2x_stack_get_counters(s, &c), CV2X_OK);
        CHECK(c.host_bsm == c.transmitted && c.host_states == 14 && c.host_event_bsm >= 1);
        CHECK_RC(cv2x_stack_get_usage(s, &u), CV2X_OK);
        CHECK(u.transmissions == 0);
    }
    cv2x_stack_free(s);
}

/* A pool of software keys: every message signed, the certificate with the first. */
void test_host_signed_bsms(void) {
    lab_pki sm2, p256;
    cv2x_pseudonym_pool *pool = NULL;
    cv2x_stack *s, *peer;
    cv2x_verifier *v;
    uint8_t id8[8];
    sent_msg m[16];
    size_t k, i;
    if (!load_lab("sm2", &sm2) || !load_lab("p256", &p256)) {
        CHECK(0);
        free_lab(&sm2);
        free_lab(&p256);
        return;
    }
    CHECK_RC(cv2x_pseudonym_pool_new(&pool), CV2X_OK);
    CHECK(cv2x_pseudonym_pool_count(pool) == 0 && cv2x_pseudonym_pool_count(NULL) == 0);
    CHECK_RC(cv2x_pseudonym_pool_add_key(pool, CV2X_KEY_ALG_SM2, sm2.key, p256.cert, p256.cert_len, NULL),
             CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH);
    CHECK_RC(cv2x_pseudonym_pool_add_key(pool, 9, sm2.key, sm2.cert, sm2.cert_len, NULL), CV2X_ERR_INVALID_PARAMETER);
    {
        cv2x_result rc = cv2x_pseudonym_pool_add_key(pool, CV2X_KEY_ALG_SM2, sm2.key, MSG, sizeof MSG, NULL);
        CHECK(rc >= 200 && rc < 240);
    }
    CHECK_RC(cv2x_pseudonym_pool_add_key(pool, CV2X_KEY_ALG_SM2, NULL, sm2.cert, sm2.cert_len, NULL),
             CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_pseudonym_pool_add_key(NULL, CV2X_KEY_ALG_SM2, sm2.key, sm2.cert, sm2.cert_len, NULL),
             CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_pseudonym_pool_add_key(pool, CV2X_KEY_ALG_SM2, sm2.key, sm2.cert, sm2.cert_len, id8), CV2X_OK);
    CHECK(cv2x_pseudonym_pool_count(pool) == 1);
    s = stack_on_air(0);
    CHECK_RC(cv2x_stack_set_pseudonyms(s, pool), CV2X_OK);
    CHECK(cv2x_pseudonym_pool_count(pool) == 0);
    drive(s, 0, 1500, 0, NULL, NULL);
    k = take_all(s, m, COUNT(m));
    CHECK(k >= 15);
    v = lab_verifier(&sm2, NULL, 0);
    {
        cv2x_stack_config c;
        CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
        c.origin_lat_deg = LAT0;
        c.origin_lon_deg = LON0;
        peer = NULL;
        CHECK_RC(cv2x_stack_new(&c, &peer), CV2X_OK);
        {
            cv2x_verifier *pv = lab_verifier(&sm2, NULL, 0);
            CHECK_RC(cv2x_stack_set_verifier(peer, pv), CV2X_OK);
            cv2x_verifier_free(pv); /* the stack keeps its reference */
        }
    }
    for (i = 0; i < k && i < COUNT(m); i++) {
        cv2x_verify_report r;
        cv2x_ingest_outcome o;
        const cv2x_transmission_info *in = &m[i].info;
        CHECK((in->flags & CV2X_TX_SIGNED) && memcmp(in->certificate_id8, id8, 8) == 0);
        CHECK(((in->flags & CV2X_TX_PSEUDONYM_CHANGED) != 0) == (i == 0));
        if (i == 0) CHECK(in->flags & CV2X_TX_FULL_CERTIFICATE);
        CHECK_RC(cv2x_verifier_verify(v, m[i].pkt + in->payload_offset, in->payload_len, in->time + 1000, &r), CV2X_OK);
        CHECK(r.result == CV2X_OK && r.aid == 111 && memcmp(r.signer_id8, id8, 8) == 0);
        CHECK(r.generation_time == in->time);
        /* a peer's stack takes it as a signed BSM */
        CHECK_RC(cv2x_stack_ingest(peer, m[i].pkt, m[i].len, CV2X_PAYLOAD_DSMP, 0, in->time + 2000, &o), CV2X_OK);
        CHECK(o.accepted == 1 && o.payload_kind == CV2X_PAYLOAD_SPDU && o.message == CV2X_INGESTED_BSM);
    }
    cv2x_stack_free(peer);
    cv2x_verifier_free(v);
    cv2x_stack_free(s);
    cv2x_pseudonym_pool_free(pool);
    cv2x_pseudonym_pool_free(NULL);
    free_lab(&sm2);
    free_lab(&p256);
}

/* A security chip in C: the key stays with it; it signs the digest the library computes. */
typedef struct {
    uint8_t key[32];
    uint32_t alg;
    int sign_calls, release_calls, fail, bad_alg, pk_fail;
    cv2x_stack *stack;
    cv2x_signer *signer;
    cv2x_result reenter;
} chip;

static uint32_t chip_public_key(void *user, uint32_t *alg, uint8_t *xy) {
    chip *c = (chip *)user;
    if (c->pk_fail) return 1;
    *alg = c->bad_alg ? 9u : c->alg;
    return cv2x_crypto_public_key(c->alg, c->key, xy);
}

static uint32_t chip_sign(void *user, const uint8_t *digest, uint8_t *r, uint8_t *s) {
    chip *c = (chip *)user;
    c->sign_calls++;
    if (c->stack != NULL) {
        cv2x_stack_counters k;
        k.struct_size = sizeof k;
        c->reenter = cv2x_stack_get_counters(c->stack, &k);
    }
    if (c->signer != NULL) {
        uint8_t out[512];
        size_t n;
        c->reenter = cv2x_signer_sign(c->signer, MSG, sizeof MSG, 111, 0, out, sizeof out, &n);
    }
    if (c->fail) return 1;
    return cv2x_crypto_sign_digest(c->alg, c->key, digest, r, s);
}

static void chip_release(void *user) {
    ((chip *)user)->release_calls++;
}

static cv2x_signing_backend chip_backend(chip *c) {
    cv2x_signing_backend b;
    memset(&b, 0, sizeof b);
    b.struct_size = (uint32_t)sizeof b;
    b.user_data = c;
    b.public_key = chip_public_key;
    b.sign = chip_sign;
    b.release = chip_release;
    return b;
}

void test_callback_signer(void) {
    lab_pki p256, sm2;
    chip c;
    cv2x_signing_backend b;
    cv2x_signer *soft = NULL, *hsm = NULL;
    uint8_t a[512], z[512], id_a[8], id_z[8];
    size_t na = 0, nz = 0;
    int64_t now = lab_time(0);
    if (!load_lab("p256", &p256) || !load_lab("sm2", &sm2)) {
        CHECK(0);
        free_lab(&p256);
        free_lab(&sm2);
        return;
    }
    memset(&c, 0, sizeof c);
    memcpy(c.key, p256.key, 32);
    c.alg = CV2X_KEY_ALG_ECDSA_P256;
    b = chip_backend(&c);
    /* refused backends: release is not called, user_data stays the caller's */
    {
        cv2x_signing_backend bad = b;
        bad.sign = NULL;
        CHECK_RC(cv2x_signer_new_callback(&bad, p256.cert, p256.cert_len, &hsm), CV2X_ERR_MISSING_CALLBACK);
        bad = b;
        bad.flags = 1;
        CHECK_RC(cv2x_signer_new_callback(&bad, p256.cert, p256.cert_len, &hsm), CV2X_ERR_INVALID_PARAMETER);
        bad = b;
        bad.struct_size = 8;
        CHECK_RC(cv2x_signer_new_callback(&bad, p256.cert, p256.cert_len, &hsm), CV2X_ERR_STRUCT_SIZE);
        c.pk_fail = 1;
        CHECK_RC(cv2x_signer_new_callback(&b, p256.cert, p256.cert_len, &hsm), CV2X_ERR_CALLBACK);
        c.pk_fail = 0;
        c.bad_alg = 1;
        CHECK_RC(cv2x_signer_new_callback(&b, p256.cert, p256.cert_len, &hsm), CV2X_ERR_INVALID_PARAMETER);
        c.bad_alg = 0;
        CHECK_RC(cv2x_signer_new_callback(&b, sm2.cert, sm2.cert_len, &hsm), CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH);
        CHECK_RC(cv2x_signer_new_callback(NULL, p256.cert, p256.cert_len, &hsm), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_signer_new_callback(&b, p256.cert, p256.cert_len, NULL), CV2X_ERR_NULL_POINTER);
        CHECK(hsm == NULL && c.release_calls == 0);
    }
    /* the chip signs exactly as the software key does (deterministic signatures) */
    CHECK_RC(cv2x_signer_new_callback(&b, p256.cert, p256.cert_len, &hsm), CV2X_OK);
    CHECK_RC(cv2x_signer_new(CV2X_KEY_ALG_ECDSA_P256, p256.key, p256.cert, p256.cert_len, &soft), CV2X_OK);
    CHECK_RC(cv2x_signer_sign(hsm, MSG, sizeof MSG, 111, now, z, sizeof z, &nz), CV2X_OK);
    CHECK_RC(cv2x_signer_sign(soft, MSG, sizeof MSG, 111, now, a, sizeof a, &na), CV2X_OK);
    CHECK(na == nz && memcmp(a, z, na) == 0 && c.sign_calls == 1);
    CHECK_RC(cv2x_signer_id8(hsm, id_z), CV2X_OK);
    CHECK_RC(cv2x_signer_id8(soft, id_a), CV2X_OK);
    CHECK(memcmp(id_a, id_z, 8) == 0);
    /* the signer calls back into itself from the chip: refused */
    c.signer = hsm;
    CHECK_RC(cv2x_signer_sign(hsm, MSG, sizeof MSG, 111, now + 1, z, sizeof z, &nz), CV2X_OK);
    CHECK(c.reenter == CV2X_ERR_REENTRANT);
    c.signer = NULL;
    /* a failing chip fails the signature */
    c.fail = 1;
    CHECK_RC(cv2x_signer_sign(hsm, MSG, sizeof MSG, 111, now + 2, z, sizeof z, &nz), CV2X_ERR_SEC_SIGNING_FAILED);
    c.fail = 0;
    cv2x_signer_free(hsm);
    CHECK(c.release_calls == 1);
    cv2x_signer_free(soft);
    /* software primitives */
    {
        uint8_t xy[64], d[32], r[32], s[32];
        memset(d, 7, sizeof d);
        CHECK_RC(cv2x_crypto_public_key(CV2X_KEY_ALG_ECDSA_P256, p256.key, xy), CV2X_OK);
        CHECK_RC(cv2x_crypto_public_key(5, p256.key, xy), CV2X_ERR_INVALID_PARAMETER);
        CHECK_RC(cv2x_crypto_public_key(CV2X_KEY_ALG_SM2, sm2.key, NULL), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_crypto_sign_digest(CV2X_KEY_ALG_SM2, sm2.key, d, r, s), CV2X_OK);
        CHECK_RC(cv2x_crypto_sign_digest(CV2X_KEY_ALG_SM2, sm2.key, d, r, NULL), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_crypto_sign_digest(CV2X_KEY_ALG_SM2, NULL, d, r, s), CV2X_ERR_NULL_POINTER);
        memset(xy, 0, 32);
        CHECK_RC(cv2x_crypto_sign_digest(CV2X_KEY_ALG_ECDSA_P256, xy, d, r, s), CV2X_ERR_SEC_SIGNING_FAILED);
        {
            /* the SM2 signature verifies with the software verifier primitive */
            uint32_t valid = 9;
            CHECK_RC(cv2x_crypto_public_key(CV2X_KEY_ALG_SM2, sm2.key, xy), CV2X_OK);
            CHECK_RC(cv2x_crypto_verify_sm2(xy, d, r, s, &valid), CV2X_OK);
            CHECK(valid == 1);
        }
    }
    free_lab(&p256);
    free_lab(&sm2);
}

/* The stack signs through a chip: messages verify, re-entering the stack from the chip is
 * refused, a failing chip drops the messages, release comes once when the stack goes. */
void test_host_callback_key(void) {
    lab_pki p;
    chip c, kept;
    cv2x_signing_backend b, bk;
    cv2x_pseudonym_pool *pool = NULL;
    cv2x_stack *s;
    cv2x_verifier *v;
    sent_msg m[16];
    uint8_t id8[8];
    size_t k, i;
    int failed = 0;
    if (!load_lab("p256", &p)) {
        CHECK(0);
        free_lab(&p);
        return;
    }
    memset(&c, 0, sizeof c);
    memcpy(c.key, p.key, 32);
    c.alg = CV2X_KEY_ALG_ECDSA_P256;
    b = chip_backend(&c);
    CHECK_RC(cv2x_pseudonym_pool_new(&pool), CV2X_OK);
    CHECK_RC(cv2x_pseudonym_pool_add_callback(pool, &b, p.cert, p.cert_len, id8), CV2X_OK);
    CHECK_RC(cv2x_pseudonym_pool_add_callback(pool, NULL, p.cert, p.cert_len, id8), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_pseudonym_pool_add_callback(NULL, &b, p.cert, p.cert_len, id8), CV2X_ERR_NULL_POINTER);
    s = stack_on_air(0);
    CHECK_RC(cv2x_stack_set_pseudonyms(s, pool), CV2X_OK);
    c.stack = s;
    drive(s, 0, 900, 0, NULL, NULL);
    k = take_all(s, m, COUNT(m));
    CHECK(k >= 9 && c.sign_calls == (int)k && c.reenter == CV2X_ERR_REENTRANT);
    v = lab_verifier(&p, NULL, 0);
    for (i = 0; i < k && i < COUNT(m); i++) {
        cv2x_verify_report r;
        CHECK(m[i].info.flags & CV2X_TX_SIGNED);
        CHECK_RC(cv2x_verifier_verify(v, m[i].pkt + m[i].info.payload_offset, m[i].info.payload_len,
                                      m[i].info.time + 1000, &r),
                 CV2X_OK);
        CHECK(r.result == CV2X_OK && memcmp(r.signer_id8, id8, 8) == 0);
    }
    cv2x_verifier_free(v);
    /* the chip fails: nothing unsigned goes out, each failure is a drop */
    c.fail = 1;
    drive(s, 1000, 1400, 0, NULL, &failed);
    CHECK(failed >= 4);
    CHECK_RC(cv2x_stack_next_transmission(s, m[0].pkt, sizeof m[0].pkt, &m[0].len, NULL), CV2X_ERR_NO_TRANSMISSION);
    {
        cv2x_stack_counters cnt;
        cnt.struct_size = sizeof cnt;
        CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
        CHECK(cnt.transmit_failed >= 4 && cnt.host_failures >= 4);
    }
    CHECK(c.release_calls == 0);
    cv2x_stack_free(s);
    CHECK(c.release_calls == 1);
    /* a key left in a pool is released with the pool */
    memset(&kept, 0, sizeof kept);
    memcpy(kept.key, p.key, 32);
    kept.alg = CV2X_KEY_ALG_ECDSA_P256;
    bk = chip_backend(&kept);
    CHECK_RC(cv2x_pseudonym_pool_add_callback(pool, &bk, p.cert, p.cert_len, NULL), CV2X_OK);
    CHECK(cv2x_pseudonym_pool_count(pool) == 1);
    cv2x_pseudonym_pool_free(pool);
    CHECK(kept.release_calls == 1 && kept.sign_calls == 0);
    free_lab(&p);
}

/* Sensor sharing: the ego's onboard tracks go out in SSMs under the SSM AID. */
void test_host_ssm(void) {
    cv2x_stack *s = stack_on_air(CV2X_HOST_SSM);
    sent_msg m[32];
    size_t k, i, ssm = 0;
    int64_t ms;
    for (ms = 0; ms <= 500; ms += 100) {
        cv2x_ego e;
        cv2x_track t;
        cv2x_event ev[16];
        size_t n, left;
        double y = 12.0 * (double)ms / 1000.0;
        CHECK_RC(cv2x_ego_init(&e, lab_time(ms), LAT0 + y / 110850.0, LON0, 0.0, 12.0), CV2X_OK);
        CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_OK);
        CHECK_RC(cv2x_track_init(&t), CV2X_OK);
        t.object_id = 5;
        t.object_class = 1;
        t.source_type = 6;
        t.motion_kind = CV2X_MOTION_SPEED_HEADING;
        t.time = lab_time(ms);
        t.x_m = 25.0;
        t.speed_mps = 12.0;
        CHECK_RC(cv2x_stack_add_onboard_tracks(s, &t, 1, lab_time(ms), NULL), CV2X_OK);
        CHECK_RC(cv2x_stack_poll(s, lab_time(ms), ev, COUNT(ev), &n, &left), CV2X_OK);
    }
    k = take_all(s, m, COUNT(m));
    for (i = 0; i < k && i < COUNT(m); i++) {
        if (m[i].info.kind != CV2X_TX_SSM) continue;
        ssm++;
        CHECK(m[i].info.aid == 23);
        {
            cv2x_frame *f = NULL;
            uint32_t id = 0;
            CHECK_RC(cv2x_frame_decode(m[i].pkt + m[i].info.payload_offset, m[i].info.payload_len, &f, NULL), CV2X_OK);
            CHECK_RC(cv2x_frame_day2_message_id(f, &id), CV2X_OK);
            CHECK(id == 12);
            cv2x_frame_free(f);
        }
    }
    CHECK(ssm >= 3);
    cv2x_stack_free(s);
}

/* The JER of the frame in a sent DSMP packet (NUL-terminated in `jer`), and its kind. */
static uint32_t sent_jer(const sent_msg *m, char *jer, size_t cap) {
    cv2x_dsmp_packet p;
    cv2x_frame *f = NULL;
    size_t n = 0;
    uint32_t kind;
    jer[0] = '\0';
    CHECK_RC(cv2x_dsmp_parse(m->pkt, m->len, &p), CV2X_OK);
    CHECK_RC(cv2x_frame_decode(m->pkt + p.payload_offset, p.payload_len, &f, NULL), CV2X_OK);
    if (f == NULL) return 0;
    kind = cv2x_frame_kind(f);
    CHECK_RC(cv2x_frame_to_jer(f, jer, cap, &n), CV2X_OK);
    cv2x_frame_free(f);
    return kind;
}

/* The ego's Day II requests: a command makes its application send a VIR or CLPMM through the
 * host vehicle, which decodes back to the request asked; the request's state is an advisory
 * with its detail; an application turned off sends nothing; bad commands are refused. */
void test_host_day2_requests(void) {
    static const uint32_t kinds[3] = {CV2X_COMMAND_PARKING, CV2X_COMMAND_CLEAR_THE_WAY, CV2X_COMMAND_LEAD_PLATOON};
    static const uint32_t apps[3] = {CV2X_APP_PARKING, CV2X_APP_CLEAR_THE_WAY, CV2X_APP_PLATOON};
    static const uint32_t tx[3] = {CV2X_TX_VIR, CV2X_TX_VIR, CV2X_TX_CLPMM};
    /* parking: enter and park (the default services); a leader's CLPMM with its capacity and id */
    static const char *const keys[3] = {"\"parking\":{\"req\":\"A000\"", "\"clearTheWay\"",
                                        "\"capacity\":4,\"memberList\""};
    static char jer[8192];
    int k, off;
    for (k = 0; k < 3; k++) {
        for (off = 0; off < 2; off++) {
            cv2x_stack *s = stack_on_air(0);
            cv2x_command c;
            sent_msg m[32];
            size_t n, i, found = 0;
            if (off) CHECK_RC(cv2x_stack_set_apps(s, CV2X_APPS_ALL & ~CV2X_APP_BIT(apps[k])), CV2X_OK);
            drive(s, 0, 200, 0, NULL, NULL); /* on the air: a temporary id */
            (void)take_all(s, m, COUNT(m));
            CHECK_RC(cv2x_command_init(&c, kinds[k]), CV2X_OK);
            if (kinds[k] == CV2X_COMMAND_PARKING) {
                c.present = CV2X_COMMAND_HAS_LOT;
                c.lot = 7;
            }
            if (kinds[k] == CV2X_COMMAND_LEAD_PLATOON) {
                c.present = CV2X_COMMAND_HAS_PLATOON;
                memset(c.platoon, 0x42, sizeof c.platoon);
                c.capacity = 4;
            }
            CHECK_RC(cv2x_stack_command(s, &c), CV2X_OK);
            {
                /* the next poll takes it: the request and its state */
                cv2x_ego e;
                cv2x_event ev[32];
                size_t w = 0, left = 0, j;
                int advisories = 0;
                CHECK_RC(cv2x_ego_init(&e, lab_time(300), LAT0 + 3.6 / 110850.0, LON0, 0.0, 12.0), CV2X_OK);
                CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_OK);
                CHECK_RC(cv2x_stack_poll(s, lab_time(300), ev, COUNT(ev), &w, &left), CV2X_OK);
                for (j = 0; j < w; j++) {
                    cv2x_warning_detail d;
                    if (ev[j].kind != CV2X_EVENT_WARNING || ev[j].warning.app != apps[k]) continue;
                    advisories++;
                    CHECK(ev[j].warning.level == CV2X_LEVEL_ADVISORY);
                    memset(&d, 0, sizeof d);
                    d.struct_size = (uint32_t)sizeof d;
                    CHECK_RC(cv2x_stack_warning_detail(s, ev[j].warning.id, &d), CV2X_OK);
                    if (kinds[k] == CV2X_COMMAND_LEAD_PLATOON) {
                        CHECK(d.guidance == CV2X_GUIDANCE_PLATOON && d.state == CV2X_PLATOON_STATE_MEMBER);
                        CHECK(d.role == CV2X_PLATOON_LEADER);
                    } else {
                        CHECK(d.guidance == CV2X_GUIDANCE_REQUEST && d.state == CV2X_REQUEST_STATE_SENT);
                        CHECK(d.request == (kinds[k] == CV2X_COMMAND_PARKING ? CV2X_REQUEST_PARKING
                                                                              : CV2X_REQUEST_CLEAR_THE_WAY));
                    }
                }
                CHECK(advisories == (off ? 0 : 1));
            }
            n = take_all(s, m, COUNT(m));
            for (i = 0; i < n && i < COUNT(m); i++) {
                if (m[i].info.kind == CV2X_TX_BSM) continue;
                CHECK(m[i].info.kind == tx[k]);
                CHECK(sent_jer(&m[i], jer, sizeof jer) == CV2X_MSG_DAY2);
                CHECK(strstr(jer, keys[k]) != NULL);
                if (kinds[k] == CV2X_COMMAND_LEAD_PLATOON)
                    CHECK(strstr(jer, "\"pid\":\"4242424242424242424242424242424242\"") != NULL);
                found++;
            }
            CHECK(found == (off ? 0u : 1u));
            {
                cv2x_stack_counters cnt;
                memset(&cnt, 0, sizeof cnt);
                cnt.struct_size = (uint32_t)sizeof cnt;
                CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
                CHECK(cnt.day2_sent == (off ? 0u : 1u) && cnt.day2_unsent == 0);
            }
            cv2x_stack_free(s);
        }
    }
    {
        /* bad commands; a full queue refuses (counted) */
        cv2x_stack *s = stack_on_air(0);
        cv2x_command c;
        cv2x_stack_counters cnt;
        int i;
        CHECK_RC(cv2x_command_init(&c, 0), CV2X_ERR_INVALID_PARAMETER);
        CHECK_RC(cv2x_command_init(NULL, CV2X_COMMAND_PARKING), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_command_init(&c, CV2X_COMMAND_LANE_CHANGE), CV2X_OK);
        CHECK(c.struct_size == sizeof c && c.side == CV2X_SIDE_LEFT);
        c.side = 7;
        CHECK_RC(cv2x_stack_command(s, &c), CV2X_ERR_INVALID_PARAMETER);
        c.side = CV2X_SIDE_RIGHT;
        c.struct_size = 8;
        CHECK_RC(cv2x_stack_command(s, &c), CV2X_ERR_STRUCT_SIZE);
        c.struct_size = (uint32_t)sizeof c;
        CHECK_RC(cv2x_stack_command(s, NULL), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_stack_command(NULL, &c), CV2X_ERR_NULL_POINTER);
        for (i = 0; i < 16; i++) CHECK_RC(cv2x_stack_command(s, &c), CV2X_OK);
        CHECK_RC(cv2x_stack_command(s, &c), CV2X_ERR_COMMAND_REFUSED);
        memset(&cnt, 0, sizeof cnt);
        cnt.struct_size = (uint32_t)sizeof cnt;
        CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
        CHECK(cnt.commands_dropped == 1);
        cv2x_stack_free(s);
    }
}

/* A payment account in C: counts what it is asked; can decline, refuse the charge or call back
 * into its stack. */
typedef struct {
    int applications, accepts, reads, secure_reads, charges, results, releases;
    uint32_t result, price_seen, decline, refuse_charge;
    cv2x_stack *reenter;
    cv2x_result reenter_poll, reenter_set;
} pay_account;

static uint32_t pay_application(void *user, uint32_t service, cv2x_payment_data *out) {
    pay_account *a = (pay_account *)user;
    a->applications++;
    if (a->reenter != NULL) {
        cv2x_event ev[4];
        size_t w = 0;
        a->reenter_poll = cv2x_stack_poll(a->reenter, lab_time(0), ev, 4, &w, NULL);
        a->reenter_set = cv2x_stack_set_payment_account(a->reenter, NULL);
    }
    if (service != CV2X_PAYMENT_SERVICE_FREEFLOW || out->struct_size < sizeof *out) return 1;
    out->present = CV2X_PAYDATA_HAS_EQUIPMENT | CV2X_PAYDATA_HAS_VEHICLE | CV2X_PAYDATA_HAS_CARD;
    out->equipment = CV2X_EQUIPMENT_WITH_CARD;
    memcpy(out->vehicle_plate, "A12345", 6);
    out->vehicle_toll_class = 1;
    out->vehicle_axles = 2;
    out->card_balance_len = 4;
    memcpy(out->card_balance, "\x00\x00\x27\x10", 4);
    return CV2X_OK;
}

static uint32_t pay_accept(void *user, const cv2x_payment_offer *o, const uint8_t *info, size_t info_len) {
    pay_account *a = (pay_account *)user;
    a->accepts++;
    a->price_seen = (o->present & CV2X_OFFER_HAS_PRICE) ? o->price : 0;
    CHECK(o->service == CV2X_PAYMENT_SERVICE_FREEFLOW);
    CHECK(info_len == 4 && info != NULL && memcmp(info, "toll", 4) == 0);
    return a->decline;
}

static uint32_t pay_read(void *user, uint32_t service, const cv2x_payment_read *rq, uint8_t *vehicle, uint8_t *toll,
                         uint32_t *toll_written) {
    pay_account *a = (pay_account *)user;
    a->reads++;
    CHECK(service == CV2X_PAYMENT_SERVICE_FREEFLOW);
    CHECK(rq->vehicle_length == 64 && (rq->present & CV2X_READ_HAS_TOLL) && rq->toll_length == 43);
    memset(vehicle, 0x11, CV2X_PAYMENT_FILE_BYTES);
    memset(toll, 0x22, CV2X_PAYMENT_FILE_BYTES);
    *toll_written = 1;
    return CV2X_PAYMENT_RET_OK;
}

static uint32_t pay_secure_read(void *user, uint32_t service, const cv2x_payment_secure_read *rq, uint8_t *auth) {
    pay_account *a = (pay_account *)user;
    (void)service;
    a->secure_reads++;
    CHECK(rq->rnd[0] == 7 && rq->auth_key == 1 && !(rq->present & CV2X_SECURE_READ_HAS_ENCRYPT_KEY));
    memset(auth, 0xA5, 8);
    return CV2X_PAYMENT_RET_OK;
}

static uint32_t pay_charge(void *user, uint32_t service, const cv2x_charge_request *rq, cv2x_charge_receipt *out) {
    pay_account *a = (pay_account *)user;
    uint32_t amount;
    (void)service;
    a->charges++;
    CHECK((rq->present & CV2X_CHARGE_HAS_TAC) && (rq->present & CV2X_CHARGE_HAS_POINT) && rq->point_id == 77);
    amount = ((uint32_t)rq->tac_amount[0] << 24) | ((uint32_t)rq->tac_amount[1] << 16) |
             ((uint32_t)rq->tac_amount[2] << 8) | rq->tac_amount[3];
    CHECK(amount == 1500);
    if (a->refuse_charge) return CV2X_PAYMENT_RET_ACCESS_DENIED;
    out->present = CV2X_RECEIPT_HAS_TAC | CV2X_RECEIPT_HAS_ACCOUNT;
    memcpy(out->tac, "\xCA\xFE\xBA\xBE", 4);
    out->account_len = 4;
    memcpy(out->account, "\x12\x34\x56\x78", 4);
    return CV2X_PAYMENT_RET_OK;
}

static void pay_result(void *user, uint32_t service, uint32_t result) {
    pay_account *a = (pay_account *)user;
    (void)service;
    a->results++;
    a->result = result;
}

static void pay_release(void *user) { ((pay_account *)user)->releases++; }

static cv2x_payment_account payment_account(pay_account *a) {
    cv2x_payment_account p;
    memset(&p, 0, sizeof p);
    p.struct_size = (uint32_t)sizeof p;
    p.user_data = a;
    p.application = pay_application;
    p.accept = pay_accept;
    p.read_files = pay_read;
    p.secure_read = pay_secure_read;
    p.charge = pay_charge;
    p.result = pay_result;
    p.release = pay_release;
    return p;
}

static const uint8_t RSU[8] = {'R', 'S', 'U', 0, 0, 0, 0, 9};

/* One step of the toll station: at `ms` the station's table (and the command `step` for `obu`,
 * when step > 0) reach the ego, it polls; the payment advisory's detail state (0: none) and
 * the ego's VPM answers (their JER concatenated into `jer`, their count returned). */
static int pay_step(cv2x_stack *s, int64_t ms, uint32_t step, const uint8_t obu[8], uint32_t *state, uint32_t *level,
                    char *jer, size_t cap, uint8_t obu_out[8]) {
    uint8_t buf[512];
    size_t n = 0, w = 0, left = 0, j, k;
    cv2x_ego e;
    cv2x_event ev[32];
    cv2x_warning active[16];
    sent_msg m[16];
    int vpms = 0;
    size_t used = 0;
    CHECK_RC(cv2x_test_payment_vpm(RSU, obu, CV2X_TEST_VPM_OFFER, 1500, buf, sizeof buf, &n), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, buf, n, CV2X_PAYLOAD_FRAME, 0, lab_time(ms), NULL), CV2X_OK);
    if (step > 0) {
        CHECK_RC(cv2x_test_payment_vpm(RSU, obu, step, 1500, buf, sizeof buf, &n), CV2X_OK);
        CHECK_RC(cv2x_stack_ingest(s, buf, n, CV2X_PAYLOAD_FRAME, 0, lab_time(ms), NULL), CV2X_OK);
    }
    CHECK_RC(cv2x_ego_init(&e, lab_time(ms), LAT0 + 12.0 * (double)ms / 1000.0 / 110850.0, LON0, 0.0, 12.0), CV2X_OK);
    CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_OK);
    CHECK_RC(cv2x_stack_poll(s, lab_time(ms), ev, COUNT(ev), &w, &left), CV2X_OK);
    CHECK_RC(cv2x_stack_warnings(s, active, COUNT(active), &w), CV2X_OK);
    *state = 0;
    *level = 0;
    for (j = 0; j < w && j < COUNT(active); j++) {
        cv2x_warning_detail d;
        if (active[j].app != CV2X_APP_VNFP) continue;
        memset(&d, 0, sizeof d);
        d.struct_size = (uint32_t)sizeof d;
        CHECK_RC(cv2x_stack_warning_detail(s, active[j].id, &d), CV2X_OK);
        CHECK(d.guidance == CV2X_GUIDANCE_PAYMENT && d.request == CV2X_PAYMENT_SERVICE_FREEFLOW);
        CHECK(d.amount == 1500);
        *state = d.state;
        *level = active[j].level;
    }
    jer[0] = '\0';
    n = take_all(s, m, COUNT(m));
    for (k = 0; k < n && k < COUNT(m); k++) {
        size_t len;
        if (m[k].info.kind != CV2X_TX_VPM) continue;
        vpms++;
        if (obu_out) memcpy(obu_out, m[k].info.temporary_id, 8);
        CHECK(sent_jer(&m[k], jer + used, cap - used) == CV2X_MSG_DAY2);
        len = strlen(jer + used);
        used += len;
    }
    return vpms;
}

/* Near-field payment through a C account: a toll station's VPM table and commands reach the
 * ego, the account's callbacks answer them, the ego's VPM answers go out and decode to the
 * step asked, and the payment advisory follows the transaction; a declining account sends
 * nothing; a refused charge is answered with its status and fails; re-entering the stack from
 * a callback is refused; a missing required callback is refused; release runs exactly once. */
void test_host_payment(void) {
    static char jer[16384];
    uint32_t state, level;
    uint8_t obu[8];
    {
        pay_account a;
        cv2x_payment_account p;
        cv2x_stack *s = stack_on_air(0);
        memset(&a, 0, sizeof a);
        p = payment_account(&a);
        drive(s, 0, 200, 0, NULL, NULL);
        {
            sent_msg m[8];
            (void)take_all(s, m, COUNT(m));
        }
        CHECK_RC(cv2x_stack_set_payment_account(s, &p), CV2X_OK);
        /* the table: the ego answers with its service information (VSI) */
        memset(obu, 0, sizeof obu);
        CHECK(pay_step(s, 300, 0, obu, &state, &level, jer, sizeof jer, obu) == 1);
        CHECK(strstr(jer, "\"initialzation-response\"") != NULL);
        CHECK(strstr(jer, "\"vehicleLicencePlateNumber\":\"413132333435000000000000\"") != NULL);
        CHECK(state == CV2X_PAYMENT_OFFERED && level == CV2X_LEVEL_ADVISORY);
        CHECK(a.accepts >= 1 && a.price_seen == 1500 && a.applications >= 1);
        /* read, secure read, charge: each answered with the account's data */
        CHECK(pay_step(s, 400, CV2X_TEST_VPM_READ, obu, &state, &level, jer, sizeof jer, NULL) == 1);
        CHECK(strstr(jer, "\"getTollDataRs\"") != NULL && strstr(jer, "1111111111") != NULL);
        CHECK(strstr(jer, "2222222222") != NULL && a.reads == 1);
        CHECK(state == CV2X_PAYMENT_PAYING);
        CHECK(pay_step(s, 500, CV2X_TEST_VPM_SECURE_READ, obu, &state, &level, jer, sizeof jer, NULL) == 1);
        CHECK(strstr(jer, "\"getSecureRs\"") != NULL && strstr(jer, "A5A5A5A5A5A5A5A5") != NULL);
        CHECK(pay_step(s, 600, CV2X_TEST_VPM_CHARGE, obu, &state, &level, jer, sizeof jer, NULL) == 1);
        CHECK(strstr(jer, "\"setTollDataRs\"") != NULL && strstr(jer, "CAFEBABE") != NULL);
        CHECK(strstr(jer, "12345678") != NULL && strstr(jer, "\"noError\"") != NULL);
        CHECK(a.charges == 1 && state == CV2X_PAYMENT_PAYING);
        /* the same charge heard again: answered again, never charged twice */
        CHECK(pay_step(s, 650, CV2X_TEST_VPM_CHARGE, obu, &state, &level, jer, sizeof jer, NULL) <= 1);
        CHECK(a.charges == 1);
        /* the result shown: no answer asked, the account told, the advisory says paid */
        CHECK(pay_step(s, 700, CV2X_TEST_VPM_PAID, obu, &state, &level, jer, sizeof jer, NULL) == 0);
        CHECK(a.results == 1 && a.result == CV2X_TOLL_RESULT_OK);
        CHECK(state == CV2X_PAYMENT_PAID);
        CHECK(a.releases == 0);
        cv2x_stack_free(s);
        CHECK(a.releases == 1);
    }
    {
        /* a declining account: no answer to the table, none to a charge addressed to the ego */
        pay_account a;
        cv2x_payment_account p;
        cv2x_stack *s = stack_on_air(0);
        sent_msg m[8];
        size_t i, n;
        memset(&a, 0, sizeof a);
        a.decline = 1;
        p = payment_account(&a);
        drive(s, 0, 200, 0, NULL, NULL);
        n = take_all(s, m, COUNT(m));
        CHECK(n >= 1);
        memcpy(obu, m[0].info.temporary_id, 8);
        CHECK_RC(cv2x_stack_set_payment_account(s, &p), CV2X_OK);
        CHECK(pay_step(s, 300, 0, obu, &state, &level, jer, sizeof jer, NULL) == 0);
        CHECK(pay_step(s, 400, CV2X_TEST_VPM_CHARGE, obu, &state, &level, jer, sizeof jer, NULL) == 0);
        CHECK(a.accepts >= 1 && a.charges == 0 && state == 0);
        /* removed: released once, asked nothing more */
        CHECK_RC(cv2x_stack_set_payment_account(s, NULL), CV2X_OK);
        CHECK(a.releases == 1);
        i = (size_t)a.accepts;
        CHECK(pay_step(s, 500, 0, obu, &state, &level, jer, sizeof jer, NULL) == 0);
        CHECK((size_t)a.accepts == i);
        cv2x_stack_free(s);
        CHECK(a.releases == 1);
    }
    {
        /* a refused charge: answered with its status; the payment fails (a warning) */
        pay_account a;
        cv2x_payment_account p;
        cv2x_stack *s = stack_on_air(0);
        memset(&a, 0, sizeof a);
        a.refuse_charge = 1;
        p = payment_account(&a);
        p.accept = NULL; /* the default: every offer accepted */
        drive(s, 0, 200, 0, NULL, NULL);
        {
            sent_msg m[8];
            (void)take_all(s, m, COUNT(m));
        }
        CHECK_RC(cv2x_stack_set_payment_account(s, &p), CV2X_OK);
        CHECK(pay_step(s, 300, 0, obu, &state, &level, jer, sizeof jer, obu) == 1);
        CHECK(a.accepts == 0);
        CHECK(pay_step(s, 400, CV2X_TEST_VPM_CHARGE, obu, &state, &level, jer, sizeof jer, NULL) == 1);
        CHECK(strstr(jer, "\"accessDenied\"") != NULL && strstr(jer, "\"setTollDataRs\"") == NULL);
        CHECK(a.charges == 1 && state == CV2X_PAYMENT_FAILED && level == CV2X_LEVEL_WARNING);
        cv2x_stack_free(s);
        CHECK(a.releases == 1);
    }
    {
        /* re-entering the stack from a callback; a replaced account is released */
        pay_account a, b;
        cv2x_payment_account p, q;
        cv2x_stack *s = stack_on_air(0);
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        a.reenter = s;
        p = payment_account(&a);
        q = payment_account(&b);
        drive(s, 0, 200, 0, NULL, NULL);
        CHECK_RC(cv2x_stack_set_payment_account(s, &p), CV2X_OK);
        (void)pay_step(s, 300, 0, obu, &state, &level, jer, sizeof jer, NULL);
        CHECK(a.applications >= 1);
        CHECK_RC(a.reenter_poll, CV2X_ERR_REENTRANT);
        CHECK_RC(a.reenter_set, CV2X_ERR_REENTRANT);
        CHECK(a.releases == 0);
        CHECK_RC(cv2x_stack_set_payment_account(s, &q), CV2X_OK);
        CHECK(a.releases == 1 && b.releases == 0);
        /* refused accounts: the stack keeps the one it has, release is not called */
        p.charge = NULL;
        CHECK_RC(cv2x_stack_set_payment_account(s, &p), CV2X_ERR_MISSING_CALLBACK);
        p = payment_account(&a);
        p.application = NULL;
        CHECK_RC(cv2x_stack_set_payment_account(s, &p), CV2X_ERR_MISSING_CALLBACK);
        p = payment_account(&a);
        p.struct_size = 8;
        CHECK_RC(cv2x_stack_set_payment_account(s, &p), CV2X_ERR_STRUCT_SIZE);
        p = payment_account(&a);
        p.flags = 1;
        CHECK_RC(cv2x_stack_set_payment_account(s, &p), CV2X_ERR_INVALID_PARAMETER);
        CHECK_RC(cv2x_stack_set_payment_account(NULL, &p), CV2X_ERR_NULL_POINTER);
        CHECK(a.releases == 1 && b.releases == 0);
        cv2x_stack_free(s);
        CHECK(a.releases == 1 && b.releases == 1);
    }
    {
        uint8_t buf[8];
        size_t n = 0;
        CHECK_RC(cv2x_test_payment_vpm(RSU, RSU, 99, 1, buf, sizeof buf, &n), CV2X_ERR_INVALID_PARAMETER);
        CHECK_RC(cv2x_test_payment_vpm(NULL, RSU, 0, 1, buf, sizeof buf, &n), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_test_payment_vpm(RSU, RSU, 0, 1, buf, sizeof buf, &n), CV2X_ERR_BUFFER_TOO_SMALL);
        CHECK(n > sizeof buf);
    }
}
