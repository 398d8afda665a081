/* C tests of the security exports, on certificates and signed messages of independent PKIs
 * where the data exist. C99. */
#include "common.h"
#include "tests.h"

#define MS_2019_06_01 1559347200000LL
#define MS_2021_01_01 1609459200000LL
#define MS_2026_01_01 1767225600000LL

static int id8_is(const uint8_t id[8], const char *hex) {
    unsigned char want[8];
    return unhex(hex, 16, want) && memcmp(id, want, 8) == 0;
}

void test_verifier_config(void) {
    cv2x_verifier_config c;
    cv2x_verifier *v = NULL;
    unsigned char bigger[sizeof(cv2x_verifier_config) + 64];
    CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
    CHECK(c.struct_size == sizeof(cv2x_verifier_config));
    CHECK(c.struct_size == CV2X_VERIFIER_CONFIG_SIZE_V1);
    CHECK((c.flags & CV2X_VERIFY_REQUIRE_GENERATION_TIME) != 0);
    CHECK(c.max_chain_length == 5 && c.max_age_us > 0);
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_OK);
    cv2x_verifier_free(v);
    v = NULL;
    CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
    cv2x_verifier_free(v);
    v = NULL;
    /* a caller built against a newer, larger struct: the tail is ignored */
    memset(bigger, 0xEE, sizeof bigger);
    c.struct_size = (uint32_t)sizeof bigger;
    memcpy(bigger, &c, sizeof c);
    CHECK_RC(cv2x_verifier_new((const cv2x_verifier_config *)(void *)bigger, &v), CV2X_OK);
    cv2x_verifier_free(v);
    v = NULL;
    CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
    c.struct_size = 8;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_ERR_STRUCT_SIZE);
    c.struct_size = 0;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_ERR_STRUCT_SIZE);
    CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
    c.flags = 0x80;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
    c.max_chain_length = 0;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
    c.accepted_aid_count = CV2X_MAX_ACCEPTED_AIDS + 1;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
    c.replay_capacity = 0;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_ERR_INVALID_PARAMETER);
    c.replay_capacity = CV2X_MAX_CACHE_CAPACITY + 1;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
    c.max_age_us = -1;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_ERR_INVALID_PARAMETER);
    CHECK(v == NULL);
    CHECK_RC(cv2x_verifier_new(NULL, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_verifier_config_default(NULL), CV2X_ERR_NULL_POINTER);
}

/* The IEEE 1609.2 ECDSA chain root -> ICA -> PCA of an independent PKI. */
void test_independent_ecdsa_pki(void) {
    size_t rl, il, pl, el;
    unsigned char *rca = read_hex_file("tests/data/security/ieee1609dot2_ecdsa/rca_cert.coer.hex", &rl);
    unsigned char *ica = read_hex_file("tests/data/security/ieee1609dot2_ecdsa/ica_cert.coer.hex", &il);
    unsigned char *pca = read_hex_file("tests/data/security/ieee1609dot2_ecdsa/pca_cert.coer.hex", &pl);
    unsigned char *eca = read_hex_file("tests/data/security/ieee1609dot2_ecdsa/eca_cert.coer.hex", &el);
    cv2x_verifier *v = NULL;
    uint8_t id8[8], anchor[8];
    uint32_t chain = 0;
    int64_t at = cv2x_time_from_unix_utc_ms(MS_2019_06_01);
    CHECK(rca && ica && pca && eca);
    if (!(rca && ica && pca && eca)) goto out;
    CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
    /* not trusted yet: the PCA's issuer chain ends nowhere */
    CHECK_RC(cv2x_verifier_verify_certificate(v, pca, pl, at, anchor, &chain), CV2X_ERR_SEC_UNKNOWN_ISSUER);
    CHECK_RC(cv2x_verifier_add_trust_anchor(v, rca, rl, id8), CV2X_OK);
    CHECK(id8_is(id8, "0df9ed502b2d235b"));
    CHECK_RC(cv2x_verifier_add_certificate(v, ica, il, id8), CV2X_OK);
    CHECK(id8_is(id8, "281c9c1e50f4f7a1"));
    CHECK_RC(cv2x_verifier_verify_certificate(v, pca, pl, at, anchor, &chain), CV2X_OK);
    CHECK(id8_is(anchor, "0df9ed502b2d235b") && chain == 3);
    CHECK_RC(cv2x_verifier_verify_certificate(v, eca, el, at, NULL, NULL), CV2X_OK);
    /* the PCA's validity ends 563424349 s after 2004 (TAI): a day later it has expired */
    {
        cv2x_verifier *w = NULL;
        CHECK_RC(cv2x_verifier_new(NULL, &w), CV2X_OK);
        CHECK_RC(cv2x_verifier_add_trust_anchor(w, rca, rl, NULL), CV2X_OK);
        CHECK_RC(cv2x_verifier_add_certificate(w, ica, il, NULL), CV2X_OK);
        CHECK_RC(cv2x_verifier_verify_certificate(w, pca, pl, (563424349LL + 86400) * 1000000LL, NULL, NULL), CV2X_ERR_SEC_CERTIFICATE_EXPIRED);
        cv2x_verifier_free(w);
    }
    /* a flipped byte in the ICA's signature breaks the chain */
    {
        cv2x_verifier *w = NULL;
        ica[il - 1] ^= 1;
        CHECK_RC(cv2x_verifier_new(NULL, &w), CV2X_OK);
        CHECK_RC(cv2x_verifier_add_trust_anchor(w, rca, rl, NULL), CV2X_OK);
        CHECK_RC(cv2x_verifier_add_certificate(w, ica, il, NULL), CV2X_OK);
        CHECK_RC(cv2x_verifier_verify_certificate(w, pca, pl, at, NULL, NULL), CV2X_ERR_SEC_UNKNOWN_ISSUER);
        CHECK_RC(cv2x_verifier_verify_certificate(w, ica, il, at, NULL, NULL), CV2X_ERR_SEC_CERTIFICATE_SIGNATURE_INVALID);
        cv2x_verifier_free(w);
        ica[il - 1] ^= 1;
    }
    /* revoking the ICA revokes what it issued */
    CHECK_RC(cv2x_verifier_revoke_id8(v, id8), CV2X_OK);
    CHECK_RC(cv2x_verifier_verify_certificate(v, pca, pl, at, NULL, NULL), CV2X_ERR_SEC_REVOKED);
    CHECK_RC(cv2x_verifier_add_trust_anchor(v, rca, 10, NULL), CV2X_ERR_SEC_MALFORMED);
out:
    cv2x_verifier_free(v);
    free(rca);
    free(ica);
    free(pca);
    free(eca);
}

/* The real SM2 PKI of a deployed OBU (GB/T 45112 profile). */
void test_independent_sm2_pki(void) {
    static const char *names[6] = {"RCA", "ICA", "ACA", "PCA", "ac_app_cert", "pc_0"};
    unsigned char *c[6];
    size_t l[6], i;
    int ok = 1;
    cv2x_verifier *v = NULL;
    uint8_t id8[8], anchor[8];
    uint32_t chain = 0;
    int64_t at = cv2x_time_from_unix_utc_ms(MS_2021_01_01);
    for (i = 0; i < 6; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "capi/tests/data/wanji_sm2/%s.oer", names[i]);
        c[i] = read_file(rel, &l[i]);
        if (c[i] == NULL) ok = 0;
    }
    CHECK(ok);
    if (ok) {
        CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
        CHECK_RC(cv2x_verifier_add_trust_anchor(v, c[0], l[0], anchor), CV2X_OK);
        CHECK_RC(cv2x_verifier_add_certificate(v, c[1], l[1], id8), CV2X_OK);
        CHECK(id8_is(id8, "dec778b209560303"));
        CHECK_RC(cv2x_verifier_add_certificate(v, c[2], l[2], NULL), CV2X_OK);
        CHECK_RC(cv2x_verifier_add_certificate(v, c[3], l[3], NULL), CV2X_OK);
        CHECK_RC(cv2x_verifier_verify_certificate(v, c[4], l[4], at, id8, &chain), CV2X_OK);
        CHECK(memcmp(id8, anchor, 8) == 0 && chain == 4);
        CHECK_RC(cv2x_verifier_verify_certificate(v, c[5], l[5], at, NULL, NULL), CV2X_ERR_SEC_ISSUER_NOT_PERMITTED);
        /* one flipped signature byte in the application certificate */
        c[4][l[4] - 1] ^= 0x40;
        CHECK_RC(cv2x_verifier_verify_certificate(v, c[4], l[4], at, NULL, NULL), CV2X_ERR_SEC_CERTIFICATE_SIGNATURE_INVALID);
        cv2x_verifier_free(v);
    }
    for (i = 0; i < 6; i++) free(c[i]);
}

/* A signed ETSI CAM of an independent PKI (carries its signer certificate, issuer not given). */
void test_signed_cam_of_an_independent_pki(void) {
    size_t len;
    unsigned char *cam = read_hex_file("tests/data/security/etsi_ts103097_vanetza/vw_golf8_cam_full_cert_verify.coer.hex", &len);
    cv2x_verifier_config c;
    cv2x_verifier *v = NULL, *w = NULL;
    cv2x_verify_report r;
    uint32_t off = 0, clen = 0;
    int64_t gen;
    CHECK(cam != NULL);
    if (cam == NULL) return;
    CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
    c.flags |= CV2X_VERIFY_DIAGNOSE;
    CHECK_RC(cv2x_verifier_new(&c, &v), CV2X_OK);
    /* at 2019-11-21 11:30 UTC the message (generated 13:27:54) is in the future */
    CHECK_RC(cv2x_verifier_verify(v, cam, len, cv2x_time_from_unix_utc_ms(1574335800000LL), &r), CV2X_OK);
    CHECK(r.result == CV2X_ERR_SEC_GENERATION_TIME_IN_FUTURE);
    CHECK(r.signature_valid == CV2X_SIGNATURE_VALID);
    CHECK(id8_is(r.signer_id8, "127cff384ce0b890"));
    CHECK((r.present & CV2X_REPORT_HAS_AID) && r.aid == 36);
    CHECK(r.present & CV2X_REPORT_HAS_GENERATION_TIME);
    CHECK(cv2x_time_to_unix_utc_ms(r.generation_time) / 1000 == 1574342874LL);
    CHECK(r.chain_result == CV2X_ERR_SEC_UNKNOWN_ISSUER);
    CHECK((r.present & CV2X_REPORT_HAS_PAYLOAD) == 0);
    gen = r.generation_time;
    /* at its generation time only the chain is missing */
    CHECK_RC(cv2x_verifier_verify(v, cam, len, gen, &r), CV2X_OK);
    CHECK(r.result == CV2X_ERR_SEC_UNKNOWN_ISSUER && r.signature_valid == CV2X_SIGNATURE_VALID);
    /* every flipped signature byte is caught */
    {
        size_t k;
        int caught = 0;
        for (k = len - 64; k < len; k++) {
            cam[k] ^= 1;
            CHECK_RC(cv2x_verifier_verify(v, cam, len, gen, &r), CV2X_OK);
            if (r.signature_valid == CV2X_SIGNATURE_INVALID) caught++;
            cam[k] ^= 1;
        }
        CHECK(caught == 64);
    }
    /* trusting its signer certificate leaves only the message checks: verified */
    CHECK_RC(cv2x_spdu_signer_certificate(cam, len, &off, &clen), CV2X_OK);
    CHECK(clen > 100 && off + clen <= len);
    CHECK_RC(cv2x_verifier_new(NULL, &w), CV2X_OK);
    CHECK_RC(cv2x_verifier_add_trust_anchor(w, cam + off, clen, NULL), CV2X_OK);
    CHECK_RC(cv2x_verifier_verify(w, cam, len, gen, &r), CV2X_OK);
    CHECK(r.result == CV2X_OK && r.signature_valid == CV2X_SIGNATURE_VALID);
    CHECK((r.present & CV2X_REPORT_HAS_PAYLOAD) && r.payload_len == 0x56);
    CHECK(r.payload_offset + r.payload_len <= len);
    CHECK((r.present & CV2X_REPORT_CHAIN_ANCHORED) && r.chain_length == 1 && r.chain_result == CV2X_OK);
    /* the same message again is a replay */
    CHECK_RC(cv2x_verifier_verify(w, cam, len, gen, &r), CV2X_OK);
    CHECK(r.result == CV2X_ERR_SEC_DUPLICATE);
    /* an AID policy without 36 refuses it */
    {
        cv2x_verifier *x = NULL;
        CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
        c.accepted_aid_count = 1;
        c.accepted_aids[0] = 111;
        CHECK_RC(cv2x_verifier_new(&c, &x), CV2X_OK);
        CHECK_RC(cv2x_verifier_add_trust_anchor(x, cam + off, clen, NULL), CV2X_OK);
        CHECK_RC(cv2x_verifier_verify(x, cam, len, gen, &r), CV2X_OK);
        CHECK(r.result == CV2X_ERR_SEC_AID_NOT_PERMITTED);
        cv2x_verifier_free(x);
    }
    /* the digest-signed CAM: unknown signer, with a certificate request */
    {
        size_t dl;
        unsigned char *d = read_hex_file("tests/data/security/etsi_ts103097_vanetza/cam_digest_signer_decode_only.coer.hex", &dl);
        CHECK(d != NULL);
        if (d != NULL) {
            cv2x_verifier *x = NULL;
            CHECK_RC(cv2x_spdu_signer_certificate(d, dl, &off, &clen), CV2X_ERR_SEC_SIGNER_NOT_FOUND);
            CHECK_RC(cv2x_verifier_config_default(&c), CV2X_OK);
            c.max_future_us = INT64_MAX / 4;
            c.max_age_us = INT64_MAX / 4;
            CHECK_RC(cv2x_verifier_new(&c, &x), CV2X_OK);
            CHECK_RC(cv2x_verifier_verify(x, d, dl, gen, &r), CV2X_OK);
            CHECK(r.result == CV2X_ERR_SEC_SIGNER_NOT_FOUND);
            CHECK(r.signature_valid == CV2X_SIGNATURE_UNKNOWN);
            CHECK((r.present & CV2X_REPORT_HAS_CERTIFICATE_REQUEST) &&
                  memcmp(r.certificate_request, r.signer_id8 + 5, 3) == 0);
            cv2x_verifier_free(x);
            free(d);
        }
    }
    cv2x_verifier_free(v);
    cv2x_verifier_free(w);
    free(cam);
}

static const unsigned char PAYLOAD[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

void test_signer_and_revocation(void) {
    static const char *algs[2] = {"sm2", "p256"};
    static const uint32_t codes[2] = {CV2X_KEY_ALG_SM2, CV2X_KEY_ALG_ECDSA_P256};
    size_t a;
    int64_t now = cv2x_time_from_unix_utc_ms(MS_2026_01_01 + 60000);
    for (a = 0; a < 2; a++) {
        lab_pki p;
        cv2x_signer *s = NULL;
        cv2x_verifier *v;
        unsigned char spdu[1024];
        size_t n = 0, need = 0;
        uint8_t id8[8];
        cv2x_verify_report r;
        if (!load_lab(algs[a], &p)) {
            CHECK(0);
            free_lab(&p);
            continue;
        }
        CHECK_RC(cv2x_signer_new(codes[a], p.key, p.cert, p.cert_len, &s), CV2X_OK);
        CHECK_RC(cv2x_signer_id8(s, id8), CV2X_OK);
        CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, now, spdu, sizeof spdu, &n), CV2X_OK);
        CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, now, spdu, n - 1, &need), CV2X_ERR_BUFFER_TOO_SMALL);
        CHECK(need == n);
        CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, -1, spdu, sizeof spdu, &n), CV2X_ERR_INVALID_PARAMETER);
        CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, now, spdu, sizeof spdu, &n), CV2X_OK);
        v = lab_verifier(&p, NULL, 1);
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 100000, &r), CV2X_OK);
        CHECK(r.result == CV2X_OK && r.signature_valid == CV2X_SIGNATURE_VALID);
        CHECK(memcmp(r.signer_id8, id8, 8) == 0);
        CHECK(r.payload_len == sizeof PAYLOAD && memcmp(spdu + r.payload_offset, PAYLOAD, sizeof PAYLOAD) == 0);
        CHECK(r.generation_time == now && r.aid == 111 && r.chain_length == 3);
        /* too old, and in the future */
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 60000000LL, &r), CV2X_OK);
        CHECK(r.result == CV2X_ERR_SEC_GENERATION_TIME_TOO_OLD);
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now - 60000000LL, &r), CV2X_OK);
        CHECK(r.result == CV2X_ERR_SEC_GENERATION_TIME_IN_FUTURE);
        /* a flipped payload byte */
        spdu[r.payload_offset == 0 ? 20 : 30] ^= 1;
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 100000, &r), CV2X_OK);
        CHECK(r.result != CV2X_OK);
        /* an AID the signer has no permission for */
        CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 36, now + 1000, spdu, sizeof spdu, &n), CV2X_OK);
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 100000, &r), CV2X_OK);
        CHECK(r.result == CV2X_ERR_SEC_AID_NOT_PERMITTED);
        /* the certificate mode verifies without the signer certificate at hand */
        CHECK_RC(cv2x_signer_set_mode(s, CV2X_SIGNER_CERTIFICATE), CV2X_OK);
        CHECK_RC(cv2x_signer_set_mode(s, 2), CV2X_ERR_INVALID_PARAMETER);
        CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 112, now + 2000, spdu, sizeof spdu, &n), CV2X_OK);
        {
            cv2x_verifier *w = lab_verifier(&p, NULL, 0);
            uint32_t off, clen;
            CHECK_RC(cv2x_verifier_verify(w, spdu, n, now + 100000, &r), CV2X_OK);
            CHECK(r.result == CV2X_OK);
            CHECK_RC(cv2x_spdu_signer_certificate(spdu, n, &off, &clen), CV2X_OK);
            CHECK(clen == p.cert_len && memcmp(spdu + off, p.cert, clen) == 0);
            cv2x_verifier_free(w);
        }
        /* revocation by HashedId8, by HashedId10, and by CRL contents */
        {
            cv2x_verifier *w = lab_verifier(&p, NULL, 1);
            CHECK_RC(cv2x_verifier_revoke_id8(w, id8), CV2X_OK);
            CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, now + 3000, spdu, sizeof spdu, &n), CV2X_OK);
            CHECK_RC(cv2x_verifier_verify(w, spdu, n, now + 100000, &r), CV2X_OK);
            CHECK(r.result == CV2X_ERR_SEC_REVOKED);
            cv2x_verifier_free(w);
        }
        {
            uint8_t h[32], contents[64];
            size_t k = 0;
            cv2x_verifier *w = lab_verifier(&p, NULL, 1), *x = lab_verifier(&p, NULL, 1);
            if (codes[a] == CV2X_KEY_ALG_SM2) {
                CHECK_RC(cv2x_crypto_sm3(p.cert, p.cert_len, h), CV2X_OK);
            } else {
                CHECK_RC(cv2x_crypto_sha256(p.cert, p.cert_len, h), CV2X_OK);
            }
            CHECK(memcmp(h + 24, id8, 8) == 0); /* HashedId8 = last 8 octets of the hash */
            CHECK_RC(cv2x_verifier_revoke_id10(w, h + 22), CV2X_OK);
            CHECK_RC(cv2x_verifier_verify(w, spdu, n, now + 100000, &r), CV2X_OK);
            CHECK(r.result == CV2X_ERR_SEC_REVOKED);
            /* CrlContents: version 1, series 1, CRACA, issue/next dates, no priority, fullHashCrl,
             * serial, one entry (HashedId10, expiry) */
            contents[k++] = 1;
            contents[k++] = 0;
            contents[k++] = 1;
            memset(contents + k, 0xAB, 8);
            k += 8;
            memset(contents + k, 0, 8);
            contents[k + 3] = 1;
            contents[k + 7] = 2;
            k += 8;
            contents[k++] = 0x00;
            contents[k++] = 0x80;
            contents[k++] = 0x00;
            memset(contents + k, 0, 4);
            k += 4;
            contents[k++] = 0x01;
            contents[k++] = 0x01;
            memcpy(contents + k, h + 22, 10);
            k += 10;
            memset(contents + k, 0xFF, 4);
            k += 4;
            CHECK_RC(cv2x_verifier_add_crl_contents(x, contents, k), CV2X_OK);
            CHECK_RC(cv2x_verifier_verify(x, spdu, n, now + 100000, &r), CV2X_OK);
            CHECK(r.result == CV2X_ERR_SEC_REVOKED);
            contents[k - 1] = 0;
            CHECK_RC(cv2x_verifier_add_crl_contents(x, contents, k - 2), CV2X_ERR_CRL_CONTENTS_MALFORMED);
            contents[20] = 0x82; /* linkage-based */
            CHECK_RC(cv2x_verifier_add_crl_contents(x, contents, k), CV2X_ERR_CRL_TYPE_UNSUPPORTED);
            cv2x_verifier_free(w);
            cv2x_verifier_free(x);
        }
        cv2x_verifier_free(v);
        cv2x_signer_free(s);
        /* signer construction failures */
        {
            cv2x_signer *t = NULL;
            uint8_t other[32];
            memcpy(other, p.key, 32);
            other[31] ^= 1; /* another valid scalar: another public key */
            CHECK_RC(cv2x_signer_new(codes[a], other, p.cert, p.cert_len, &t), CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH);
            CHECK_RC(cv2x_signer_new(codes[a], p.key, p.ca, p.ca_len, &t), CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH);
            CHECK_RC(cv2x_signer_new(9, p.key, p.cert, p.cert_len, &t), CV2X_ERR_INVALID_PARAMETER);
            CHECK_RC(cv2x_signer_new(codes[a], p.key, p.cert, 5, &t), CV2X_ERR_SEC_MALFORMED);
            {
                uint8_t zero[32];
                memset(zero, 0, sizeof zero);
                CHECK_RC(cv2x_signer_new(codes[a], zero, p.cert, p.cert_len, &t), CV2X_ERR_SEC_SIGNING_FAILED);
            }
            CHECK(t == NULL);
        }
        free_lab(&p);
    }
}

void test_signed_crl_paths(void) {
    lab_pki p;
    cv2x_signer *s = NULL;
    cv2x_verifier *v;
    unsigned char spdu[512];
    size_t n = 0;
    int64_t now = cv2x_time_from_unix_utc_ms(MS_2026_01_01 + 60000);
    if (!load_lab("sm2", &p)) {
        CHECK(0);
        free_lab(&p);
        return;
    }
    v = lab_verifier(&p, NULL, 1);
    CHECK_RC(cv2x_signer_new(CV2X_KEY_ALG_SM2, p.key, p.cert, p.cert_len, &s), CV2X_OK);
    /* signed, but for another PSID than 256 */
    CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, now, spdu, sizeof spdu, &n), CV2X_OK);
    CHECK_RC(cv2x_verifier_add_signed_crl(v, spdu, n, now), CV2X_ERR_CRL_WRONG_PSID);
    /* PSID 256, but the signer is not permitted it: the signature check fails first */
    CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 256, now, spdu, sizeof spdu, &n), CV2X_OK);
    CHECK_RC(cv2x_verifier_add_signed_crl(v, spdu, n, now), CV2X_ERR_SEC_AID_NOT_PERMITTED);
    CHECK_RC(cv2x_verifier_add_signed_crl(v, spdu, 3, now), CV2X_ERR_SEC_MALFORMED);
    CHECK_RC(cv2x_verifier_add_signed_crl(v, NULL, 0, now), CV2X_ERR_SEC_MALFORMED);
    CHECK_RC(cv2x_verifier_add_signed_crl(NULL, spdu, n, now), CV2X_ERR_NULL_POINTER);
    cv2x_signer_free(s);
    cv2x_verifier_free(v);
    free_lab(&p);
}

/* A backend in C that delegates to the library's software primitives, as an HSM shim would. */
typedef struct {
    int sha256, sm3, prepare, p256, sm2;
    int verdict;   /* -1: real; else forced 0/1/7 */
    uint32_t fail; /* returned by every callback when non-zero */
    cv2x_verifier *reenter;
    cv2x_result reenter_rc[2];
    const unsigned char *spdu;
    size_t spdu_len;
} shim;

static uint32_t cb_sha256(void *u, const uint8_t *d, size_t n, uint8_t *out) {
    shim *s = (shim *)u;
    s->sha256++;
    if (s->fail) return s->fail;
    return cv2x_crypto_sha256(d, n, out);
}

static uint32_t cb_sm3(void *u, const uint8_t *d, size_t n, uint8_t *out) {
    shim *s = (shim *)u;
    s->sm3++;
    if (s->fail) return s->fail;
    return cv2x_crypto_sm3(d, n, out);
}

static uint32_t cb_prepare(void *u, uint32_t alg, const uint8_t *sec1, size_t n, uint8_t *xy, uint64_t *handle) {
    shim *s = (shim *)u;
    s->prepare++;
    if (s->fail) return s->fail;
    *handle = 0x1000u + (uint64_t)s->prepare;
    return cv2x_crypto_prepare_key(alg, sec1, n, xy);
}

static uint32_t cb_p256(void *u, const uint8_t *xy, uint64_t handle, const uint8_t *msg, const uint8_t *r, const uint8_t *sg, uint32_t *valid) {
    shim *s = (shim *)u;
    s->p256++;
    if (s->fail) return s->fail;
    if (handle < 0x1000u) return 77; /* the handle from prepare_key comes back */
    if (s->verdict >= 0) {
        *valid = (uint32_t)s->verdict;
        return CV2X_OK;
    }
    return cv2x_crypto_verify_p256(xy, msg, r, sg, valid);
}

static uint32_t cb_sm2(void *u, const uint8_t *xy, uint64_t handle, const uint8_t *e, const uint8_t *r, const uint8_t *sg, uint32_t *valid) {
    shim *s = (shim *)u;
    s->sm2++;
    if (s->reenter != NULL) {
        cv2x_verify_report rep;
        s->reenter_rc[0] = cv2x_verifier_verify(s->reenter, s->spdu, s->spdu_len, 0, &rep);
        s->reenter_rc[1] = cv2x_verifier_add_certificate(s->reenter, s->spdu, s->spdu_len, NULL);
    }
    if (s->fail) return s->fail;
    if (handle < 0x1000u) return 77;
    if (s->verdict >= 0) {
        *valid = (uint32_t)s->verdict;
        return CV2X_OK;
    }
    return cv2x_crypto_verify_sm2(xy, e, r, sg, valid);
}

static cv2x_crypto_backend make_backend(shim *s) {
    cv2x_crypto_backend b;
    memset(&b, 0, sizeof b);
    b.struct_size = (uint32_t)sizeof b;
    b.user_data = s;
    b.sha256 = cb_sha256;
    b.sm3 = cb_sm3;
    b.prepare_key = cb_prepare;
    b.verify_p256 = cb_p256;
    b.verify_sm2 = cb_sm2;
    return b;
}

void test_callback_backend(void) {
    static const char *algs[2] = {"sm2", "p256"};
    static const uint32_t codes[2] = {CV2X_KEY_ALG_SM2, CV2X_KEY_ALG_ECDSA_P256};
    size_t a;
    int64_t now = cv2x_time_from_unix_utc_ms(MS_2026_01_01 + 60000);
    for (a = 0; a < 2; a++) {
        lab_pki p;
        shim sh;
        cv2x_crypto_backend b;
        cv2x_signer *s = NULL;
        cv2x_verifier *v;
        cv2x_verify_report r;
        unsigned char spdu[512];
        size_t n = 0;
        if (!load_lab(algs[a], &p)) {
            CHECK(0);
            free_lab(&p);
            continue;
        }
        memset(&sh, 0, sizeof sh);
        sh.verdict = -1;
        b = make_backend(&sh);
        CHECK_RC(cv2x_signer_new(codes[a], p.key, p.cert, p.cert_len, &s), CV2X_OK);
        CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, now, spdu, sizeof spdu, &n), CV2X_OK);
        v = lab_verifier(&p, &b, 1);
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 1000, &r), CV2X_OK);
        CHECK(r.result == CV2X_OK && r.signature_valid == CV2X_SIGNATURE_VALID);
        CHECK(sh.prepare >= 3);
        if (codes[a] == CV2X_KEY_ALG_SM2) {
            CHECK(sh.sm3 > 0 && sh.sm2 >= 3 && sh.p256 == 0);
        } else {
            CHECK(sh.sha256 > 0 && sh.p256 >= 3 && sh.sm2 == 0);
        }
        /* a chip that says "invalid" */
        CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, now + 10, spdu, sizeof spdu, &n), CV2X_OK);
        sh.verdict = 0;
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 1000, &r), CV2X_OK);
        CHECK(r.result == CV2X_ERR_SEC_MESSAGE_SIGNATURE_INVALID && r.signature_valid == CV2X_SIGNATURE_INVALID);
        /* a verdict that is neither 0 nor 1 */
        sh.verdict = 7;
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 1000, &r), CV2X_ERR_INVALID_PARAMETER);
        /* a failing chip: the call fails, no verdict */
        sh.verdict = -1;
        sh.fail = 99;
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 1000, &r), CV2X_ERR_CALLBACK);
        sh.fail = 0;
        CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 1000, &r), CV2X_OK);
        CHECK(r.result == CV2X_OK);
        cv2x_verifier_free(v);
        /* a backend of NULL callbacks is the software one */
        {
            cv2x_crypto_backend none;
            memset(&none, 0, sizeof none);
            none.struct_size = (uint32_t)sizeof none;
            v = lab_verifier(&p, &none, 1);
            CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 1000, &r), CV2X_OK);
            CHECK(r.result == CV2X_OK);
            cv2x_verifier_free(v);
            v = NULL;
            none.struct_size = 4;
            CHECK_RC(cv2x_verifier_new_with_backend(NULL, &none, &v), CV2X_ERR_STRUCT_SIZE);
            none.struct_size = (uint32_t)sizeof none;
            none.flags = 1;
            CHECK_RC(cv2x_verifier_new_with_backend(NULL, &none, &v), CV2X_ERR_INVALID_PARAMETER);
            CHECK_RC(cv2x_verifier_new_with_backend(NULL, NULL, &v), CV2X_ERR_NULL_POINTER);
            CHECK(v == NULL);
        }
        cv2x_signer_free(s);
        free_lab(&p);
    }
}

/* A callback that calls back into the verifier it runs in gets CV2X_ERR_REENTRANT; the outer
 * call completes. */
void test_callback_reentrancy(void) {
    lab_pki p;
    shim sh;
    cv2x_crypto_backend b;
    cv2x_signer *s = NULL;
    cv2x_verifier *v;
    cv2x_verify_report r;
    unsigned char spdu[512];
    size_t n = 0;
    int64_t now = cv2x_time_from_unix_utc_ms(MS_2026_01_01 + 60000);
    if (!load_lab("sm2", &p)) {
        CHECK(0);
        free_lab(&p);
        return;
    }
    memset(&sh, 0, sizeof sh);
    sh.verdict = -1;
    b = make_backend(&sh);
    CHECK_RC(cv2x_signer_new(CV2X_KEY_ALG_SM2, p.key, p.cert, p.cert_len, &s), CV2X_OK);
    CHECK_RC(cv2x_signer_sign(s, PAYLOAD, sizeof PAYLOAD, 111, now, spdu, sizeof spdu, &n), CV2X_OK);
    v = lab_verifier(&p, &b, 1);
    sh.reenter = v;
    sh.spdu = spdu;
    sh.spdu_len = n;
    CHECK_RC(cv2x_verifier_verify(v, spdu, n, now + 1000, &r), CV2X_OK);
    CHECK(r.result == CV2X_OK);
    CHECK(sh.reenter_rc[0] == CV2X_ERR_REENTRANT);
    CHECK(sh.reenter_rc[1] == CV2X_ERR_REENTRANT);
    sh.reenter = NULL;
    /* the verifier is not left busy */
    CHECK_RC(cv2x_verifier_add_certificate(v, p.ca, p.ca_len, NULL), CV2X_OK);
    cv2x_verifier_free(v);
    cv2x_signer_free(s);
    free_lab(&p);
}

void test_crypto_primitives(void) {
    uint8_t h[32], want[32], xy[64];
    uint32_t valid = 9;
    CHECK_RC(cv2x_crypto_sha256((const uint8_t *)"abc", 3, h), CV2X_OK);
    CHECK(unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 64, want) && memcmp(h, want, 32) == 0);
    CHECK_RC(cv2x_crypto_sm3((const uint8_t *)"abc", 3, h), CV2X_OK);
    CHECK(unhex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", 64, want) && memcmp(h, want, 32) == 0);
    CHECK_RC(cv2x_crypto_sha256(NULL, 0, h), CV2X_OK);
    CHECK_RC(cv2x_crypto_sha256(NULL, 1, h), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_crypto_sm3((const uint8_t *)"abc", 3, NULL), CV2X_ERR_NULL_POINTER);
    /* the P-256 generator as a compressed point decompresses to its known y */
    {
        uint8_t g[33];
        CHECK(unhex("036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", 66, g));
        CHECK_RC(cv2x_crypto_prepare_key(CV2X_KEY_ALG_ECDSA_P256, g, 33, xy), CV2X_OK);
        CHECK(unhex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", 64, want) && memcmp(xy + 32, want, 32) == 0);
        g[0] = 2;
        CHECK_RC(cv2x_crypto_prepare_key(CV2X_KEY_ALG_ECDSA_P256, g, 33, xy), CV2X_OK);
        CHECK(memcmp(xy + 32, want, 32) != 0);
        g[32] ^= 1;
        CHECK_RC(cv2x_crypto_prepare_key(CV2X_KEY_ALG_ECDSA_P256, g, 32, xy), CV2X_ERR_SEC_INVALID_PUBLIC_KEY);
        CHECK_RC(cv2x_crypto_prepare_key(5, g, 33, xy), CV2X_ERR_INVALID_PARAMETER);
    }
    memset(xy, 0, sizeof xy);
    memset(h, 1, sizeof h);
    {
        uint8_t msg[64];
        memset(msg, 2, sizeof msg);
        CHECK_RC(cv2x_crypto_verify_p256(xy, msg, h, h, &valid), CV2X_ERR_SEC_INVALID_PUBLIC_KEY);
    }
    CHECK_RC(cv2x_crypto_verify_sm2(xy, want, h, h, &valid), CV2X_ERR_SEC_INVALID_PUBLIC_KEY);
    CHECK(valid == 9);
}

void test_security_garbage(void) {
    cv2x_verifier *v = NULL;
    cv2x_verify_report r;
    unsigned char buf[200];
    uint32_t seed = 777u;
    int i;
    CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
    for (i = 0; i < 3000; i++) {
        size_t len = (size_t)(i % 200), k;
        cv2x_result rc;
        for (k = 0; k < len; k++) {
            seed = seed * 1664525u + 1013904223u;
            buf[k] = (unsigned char)(seed >> 24);
        }
        if (len > 1 && i % 3 == 0) {
            buf[0] = 3;
            buf[1] = 0x81;
        }
        CHECK_RC(cv2x_verifier_verify(v, buf, len, 1000000, &r), CV2X_OK);
        CHECK(r.result >= 200 && r.result < 240);
        rc = cv2x_verifier_add_certificate(v, buf, len, NULL);
        CHECK(rc == CV2X_OK || (rc >= 200 && rc < 240));
        rc = cv2x_verifier_add_signed_crl(v, buf, len, 1000000);
        CHECK(rc != CV2X_OK && rc >= 200 && rc < 300);
        rc = cv2x_verifier_add_crl_contents(v, buf, len);
        CHECK(rc == CV2X_OK || rc == CV2X_ERR_CRL_CONTENTS_MALFORMED || rc == CV2X_ERR_CRL_TYPE_UNSUPPORTED);
    }
    cv2x_verifier_free(v);
}
