/* C tests of the net exports: DSMP and the AID dispatcher. C99. */
#include "common.h"
#include "tests.h"

void test_dsmp(void) {
    static const uint8_t payload[] = {0xde, 0xad, 0xbe, 0xef, 0x01};
    static const uint8_t ext[] = {4, 1, 0x10, 15, 1, 172};
    uint8_t pkt[128], small[4];
    size_t n = 0, need = 0;
    cv2x_dsmp_packet p;
    uint32_t id, off, len, adapt = 0;
    /* no extensions; AID 3618 takes two octets */
    CHECK_RC(cv2x_dsmp_emit(3618, payload, sizeof payload, 0, NULL, 0, pkt, sizeof pkt, &n), CV2X_OK);
    CHECK(n == 1 + 2 + 2 + sizeof payload);
    CHECK_RC(cv2x_dsmp_parse(pkt, n, &p), CV2X_OK);
    CHECK(p.aid == 3618 && p.version == 0 && p.present == 0 && p.extension_count == 0);
    CHECK(p.payload_len == sizeof payload && memcmp(pkt + p.payload_offset, payload, sizeof payload) == 0);
    CHECK(p.header_len == p.payload_offset);
    CHECK_RC(cv2x_dsmp_emit(3618, payload, sizeof payload, 0, NULL, 0, small, sizeof small, &need), CV2X_ERR_BUFFER_TOO_SMALL);
    CHECK(need == n);
    /* with two extension elements */
    CHECK_RC(cv2x_dsmp_emit(111, payload, sizeof payload, CV2X_DSMP_HAS_EXTENSIONS, ext, sizeof ext, pkt, sizeof pkt, &n), CV2X_OK);
    CHECK_RC(cv2x_dsmp_parse(pkt, n, &p), CV2X_OK);
    CHECK(p.aid == 111 && (p.present & CV2X_DSMP_HAS_EXTENSIONS) && p.extension_count == 2);
    CHECK(p.extensions_len == sizeof ext && memcmp(pkt + p.extensions_offset, ext, sizeof ext) == 0);
    CHECK_RC(cv2x_dsmp_extension(pkt + p.extensions_offset, p.extensions_len, 1, &id, &off, &len), CV2X_OK);
    CHECK(id == 15 && len == 1 && pkt[p.extensions_offset + off] == 172);
    CHECK_RC(cv2x_dsmp_extension(pkt + p.extensions_offset, p.extensions_len, 0, &id, &off, &len), CV2X_OK);
    CHECK(id == 4 && len == 1 && pkt[p.extensions_offset + off] == 0x10);
    CHECK_RC(cv2x_dsmp_extension(pkt + p.extensions_offset, p.extensions_len, 2, &id, &off, &len), CV2X_ERR_INDEX_OUT_OF_RANGE);
    CHECK_RC(cv2x_dsmp_extension(ext, 4, 0, &id, &off, &len), CV2X_ERR_NET_TRUNCATED);
    /* option indicator with zero elements */
    CHECK_RC(cv2x_dsmp_emit(111, payload, sizeof payload, CV2X_DSMP_HAS_EXTENSIONS, NULL, 0, pkt, sizeof pkt, &n), CV2X_OK);
    CHECK_RC(cv2x_dsmp_parse(pkt, n, &p), CV2X_OK);
    CHECK((p.present & CV2X_DSMP_HAS_EXTENSIONS) && p.extension_count == 0);
    /* bad input */
    CHECK_RC(cv2x_dsmp_parse(pkt, n - 1, &p), CV2X_ERR_NET_TRUNCATED);
    pkt[n] = 0;
    CHECK_RC(cv2x_dsmp_parse(pkt, n + 1, &p), CV2X_ERR_NET_TRAILING_BYTES);
    pkt[0] |= 0x20;
    CHECK_RC(cv2x_dsmp_parse(pkt, n, &p), CV2X_ERR_NET_UNSUPPORTED_VERSION);
    CHECK_RC(cv2x_dsmp_parse(NULL, 0, &p), CV2X_ERR_NET_TRUNCATED);
    CHECK_RC(cv2x_dsmp_emit(0xFFFFFFFFu, payload, sizeof payload, 0, NULL, 0, pkt, sizeof pkt, &n), CV2X_ERR_NET_AID_OUT_OF_RANGE);
    CHECK_RC(cv2x_dsmp_emit(111, payload, sizeof payload, 0, ext, sizeof ext, pkt, sizeof pkt, &n), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_dsmp_emit(111, payload, sizeof payload, 2, NULL, 0, pkt, sizeof pkt, &n), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_dsmp_emit(111, payload, sizeof payload, CV2X_DSMP_HAS_EXTENSIONS, ext, 5, pkt, sizeof pkt, &n), CV2X_ERR_NET_TRUNCATED);
    /* adaptation layer */
    pkt[0] = 4;
    CHECK_RC(cv2x_dsmp_strip_adaptation(pkt, 3, &adapt), CV2X_OK);
    CHECK(adapt == 1);
    pkt[0] = 5;
    CHECK_RC(cv2x_dsmp_strip_adaptation(pkt, 3, &adapt), CV2X_ERR_NET_NOT_DSMP);
    CHECK_RC(cv2x_dsmp_strip_adaptation(pkt, 0, &adapt), CV2X_ERR_NET_TRUNCATED);
    /* garbage never crashes */
    {
        uint32_t seed = 99u;
        int i;
        for (i = 0; i < 3000; i++) {
            size_t k, l = (size_t)(i % 40);
            cv2x_result rc;
            for (k = 0; k < l; k++) {
                seed = seed * 1103515245u + 12345u;
                pkt[k] = (uint8_t)(seed >> 16);
            }
            rc = cv2x_dsmp_parse(pkt, l, &p);
            CHECK(rc == CV2X_OK || (rc >= 300 && rc < 400));
            if (rc == CV2X_OK) CHECK(p.payload_offset + p.payload_len == l);
        }
    }
}

void test_dispatcher(void) {
    static const uint8_t plain[] = {0x00, 0x01, 0x02, 0x03};
    static const uint8_t signed_[] = {0x03, 0x81, 0x00, 0x40};
    uint8_t pkt[64], framed[65];
    size_t n;
    cv2x_dispatcher *d = NULL;
    cv2x_dispatched x;
    cv2x_dispatch_counters c;
    CHECK_RC(cv2x_dispatcher_new(CV2X_DISPATCH_DAY1, &d), CV2X_OK);
    CHECK_RC(cv2x_dsmp_emit(111, plain, sizeof plain, 0, NULL, 0, pkt, sizeof pkt, &n), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_dispatch(d, pkt, n, &x), CV2X_OK);
    CHECK(x.aid == 111 && x.msg_class == CV2X_CLASS_BSM && x.kind == CV2X_PAYLOAD_FRAME);
    CHECK(x.payload_len == sizeof plain && memcmp(pkt + x.payload_offset, plain, sizeof plain) == 0);
    CHECK_RC(cv2x_dsmp_emit(3619, signed_, sizeof signed_, 0, NULL, 0, pkt, sizeof pkt, &n), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_dispatch(d, pkt, n, &x), CV2X_OK);
    CHECK(x.msg_class == CV2X_CLASS_SPAT && x.kind == CV2X_PAYLOAD_SPDU);
    /* the security mode decides */
    CHECK_RC(cv2x_dispatcher_set_security(d, CV2X_SECURITY_PLAIN), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_dispatch(d, pkt, n, &x), CV2X_OK);
    CHECK(x.kind == CV2X_PAYLOAD_FRAME);
    CHECK_RC(cv2x_dispatcher_set_security(d, CV2X_SECURITY_SIGNED), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_set_security(d, 3), CV2X_ERR_INVALID_PARAMETER);
    /* unknown AID, then mapped, then forgotten */
    CHECK_RC(cv2x_dsmp_emit(9999, plain, sizeof plain, 0, NULL, 0, pkt, sizeof pkt, &n), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_dispatch(d, pkt, n, &x), CV2X_ERR_NET_UNKNOWN_AID);
    CHECK_RC(cv2x_dispatcher_insert(d, 9999, CV2X_CLASS_SSM), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_dispatch(d, pkt, n, &x), CV2X_OK);
    CHECK(x.msg_class == CV2X_CLASS_SSM && x.kind == CV2X_PAYLOAD_SPDU);
    CHECK_RC(cv2x_dispatcher_remove(d, 9999), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_remove(d, 9999), CV2X_ERR_NET_UNKNOWN_AID);
    CHECK_RC(cv2x_dispatcher_insert(d, 9999, 0), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_dispatcher_insert(d, 9999, 15), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_dispatcher_insert(d, 0xFFFFFFFFu, CV2X_CLASS_BSM), CV2X_ERR_NET_AID_OUT_OF_RANGE);
    /* malformed */
    CHECK_RC(cv2x_dispatcher_dispatch(d, pkt, n - 1, &x), CV2X_ERR_NET_TRUNCATED);
    /* adaptation framing */
    CHECK_RC(cv2x_dispatcher_set_framing(d, CV2X_FRAMING_ADAPTATION), CV2X_OK);
    CHECK_RC(cv2x_dsmp_emit(3618, plain, sizeof plain, 0, NULL, 0, pkt, sizeof pkt, &n), CV2X_OK);
    framed[0] = 4;
    memcpy(framed + 1, pkt, n);
    CHECK_RC(cv2x_dispatcher_dispatch(d, framed, n + 1, &x), CV2X_OK);
    CHECK(x.msg_class == CV2X_CLASS_MAP && x.payload_offset == 1 + (uint32_t)n - (uint32_t)sizeof plain);
    framed[0] = 5;
    CHECK_RC(cv2x_dispatcher_dispatch(d, framed, n + 1, &x), CV2X_ERR_NET_NOT_DSMP);
    CHECK_RC(cv2x_dispatcher_set_framing(d, 2), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_dispatcher_counters(d, &c), CV2X_OK);
    CHECK(c.packets == 8 && c.dispatched == 5 && c.unknown_aid == 1 && c.malformed == 1 && c.not_dsmp == 1);
    CHECK(c.message_frames == 2 && c.spdus == 3);
    CHECK(c.by_class[CV2X_CLASS_BSM - 1] == 1 && c.by_class[CV2X_CLASS_SPAT - 1] == 2 &&
          c.by_class[CV2X_CLASS_MAP - 1] == 1 && c.by_class[CV2X_CLASS_SSM - 1] == 1);
    CHECK_RC(cv2x_dispatcher_reset_counters(d), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_counters(d, &c), CV2X_OK);
    CHECK(c.packets == 0 && c.by_class[1] == 0);
    cv2x_dispatcher_free(d);
    d = NULL;
    CHECK_RC(cv2x_dispatcher_new(CV2X_DISPATCH_EMPTY, &d), CV2X_OK);
    CHECK_RC(cv2x_dsmp_emit(111, plain, sizeof plain, 0, NULL, 0, pkt, sizeof pkt, &n), CV2X_OK);
    CHECK_RC(cv2x_dispatcher_dispatch(d, pkt, n, &x), CV2X_ERR_NET_UNKNOWN_AID);
    cv2x_dispatcher_free(d);
    d = NULL;
    CHECK_RC(cv2x_dispatcher_new(2, &d), CV2X_ERR_INVALID_PARAMETER);
    CHECK(d == NULL);
}
