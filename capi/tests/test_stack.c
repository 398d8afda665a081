/* C tests of the stack exports: configuration, ingest (frames, SPDUs, DSMP packets) and drops,
 * poll into a buffer and through a callback, the ego and onboard tracks, snapshots, counters,
 * the shared verifier, the intersection scene, FCW for a stopped car ahead, panics and threads.
 * C99 (+ POSIX threads). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "common.h"
#include "intersection_scene.h"
#include "tests.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A local frame near Shanghai: metres to degrees (the stack measures in WGS-84, so the small
 * error of these factors only scales the scene). */
#define LAT0 31.2
#define LON0 121.5
static double lat_at(double y_m) { return LAT0 + y_m / 110850.0; }
static double lon_at(double x_m) { return LON0 + x_m / 95280.0; }
static int32_t deg7(double deg) { return (int32_t)(deg * 1e7 + (deg >= 0 ? 0.5 : -0.5)); }

static cv2x_stack *new_stack(uint32_t extra_flags, uint32_t apps) {
    cv2x_stack_config c;
    cv2x_stack *s = NULL;
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.origin_lat_deg = LAT0;
    c.origin_lon_deg = LON0;
    c.flags |= extra_flags;
    c.apps = apps;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    return s;
}

/* A BSM (T/CSAE 53-2020) of the stopped or moving vehicle `id` at (x, y) m heading north at
 * `ms` after the lab time origin, made with the codec API. */
static size_t bsm_frame(const uint8_t id[8], double x_m, double y_m, double speed_mps, int64_t ms, uint8_t *out,
                        size_t cap) {
    cv2x_bsm b;
    size_t n = 0;
    CHECK_RC(cv2x_bsm_init(&b), CV2X_OK);
    memcpy(b.id, id, 8);
    b.msg_cnt = (uint32_t)((ms / 100) % 128);
    b.sec_mark = lab_sec_mark(ms);
    b.lat = deg7(lat_at(y_m));
    b.lon = deg7(lon_at(x_m));
    b.speed = (uint32_t)(speed_mps / 0.02 + 0.5);
    b.heading = 0;
    b.transmission = 2;
    b.width = 180;
    b.length = 450;
    b.vehicle_class = 10;
    b.present |= CV2X_BSM_HAS_POS_CONFIDENCE;
    b.pos_confidence = 9; /* a1m */
    CHECK_RC(cv2x_bsm_encode(CV2X_STD_CSAE53_2020, &b, out, cap, &n), CV2X_OK);
    return n;
}

static void set_ego_at(cv2x_stack *s, int64_t ms, double x_m, double y_m, double speed_mps) {
    cv2x_ego e;
    CHECK_RC(cv2x_ego_init(&e, lab_time(ms), lat_at(y_m), lon_at(x_m), 0.0, speed_mps), CV2X_OK);
    CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_OK);
}

/* Polls at lab time `ms` into `ev`; every event fits. */
static size_t poll_at(cv2x_stack *s, int64_t ms, cv2x_event *ev, size_t cap) {
    size_t n = 0, left = 99;
    CHECK_RC(cv2x_stack_poll(s, lab_time(ms), ev, cap, &n, &left), CV2X_OK);
    CHECK(left == 0);
    return n;
}

static const uint8_t CAR[8] = {'C', 'A', 'R', 0, 0, 0, 0, 7};

void test_stack_config(void) {
    cv2x_stack_config c;
    cv2x_stack *s = NULL;
    unsigned char bigger[sizeof(cv2x_stack_config) + 32];
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    CHECK(c.struct_size == sizeof c && c.struct_size == CV2X_STACK_CONFIG_SIZE_V3);
    CHECK(c.verify_policy == CV2X_VERIFY_ALWAYS && c.verify_sample_interval_ms == 1000);
    CHECK(c.verify_max_senders == 512 && c.verify_max_kept_bytes == 1024);
    CHECK(c.verify_quarantine_ms == 10000 && c.verify_sender_max_age_ms == 10000);
    CHECK(c.accept_sets == CV2X_SETS_ALL && c.default_set == CV2X_STD_CSAE53_2020);
    CHECK(c.set_flags == (CV2X_SETS_DETECT | CV2X_SETS_REPORT));
    CHECK(c.flags == (CV2X_STACK_REPORT_DROPS | CV2X_STACK_REPORT_OBJECTS));
    CHECK(c.apps == CV2X_APPS_ALL);
    CHECK(c.max_events == 1024 && c.max_message_bytes == 8192 && c.max_tracks == 1024);
    CHECK(c.spat_max_age_ms == 1000 && c.fusion_max_age_ms == 300 && c.fusion_max_future_ms == 50);
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    cv2x_stack_free(s);
    s = NULL;
    CHECK_RC(cv2x_stack_new(NULL, &s), CV2X_OK);
    cv2x_stack_free(s);
    s = NULL;
    /* a newer, larger struct: the tail is ignored */
    memset(bigger, 0x7F, sizeof bigger);
    c.struct_size = (uint32_t)sizeof bigger;
    memcpy(bigger, &c, sizeof c);
    CHECK_RC(cv2x_stack_new((const cv2x_stack_config *)(void *)bigger, &s), CV2X_OK);
    cv2x_stack_free(s);
    s = NULL;
    /* a smaller one than the first version */
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.struct_size = 12;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_ERR_STRUCT_SIZE);
    /* out-of-range fields, one at a time */
    {
        int k;
        for (k = 0; k < 20; k++) {
            CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
            switch (k) {
            case 0: c.flags = 1u << 9; break;
            case 1: c.apps = 1u << 24; break;
            case 2: c.origin_lat_deg = 91.0; break;
            case 3: c.max_events = 0; break;
            case 4: c.max_tracks = CV2X_MAX_TRACKS + 1; break;
            case 5: c.spat_max_age_ms = 0; break;
            case 6: c.fusion_max_future_ms = 60001; break;
            case 7: c.max_transmissions = CV2X_MAX_CACHE_CAPACITY + 1; break;
            case 8: c.accept_sets = 0; break;
            case 9: c.accept_sets = CV2X_SETS_ALL + 1u; break;
            case 10: c.default_set = 9; break;
            case 11: c.set_flags = 1u << 2; break;
            case 12: c.verify_policy = 0; break;
            case 13: c.verify_policy = 3; break;
            case 14: c.verify_sample_interval_ms = 0; break;
            case 15: c.verify_max_senders = 0; break;
            case 16: c.verify_max_kept_bytes = 65536; break;
            case 17: c.verify_quarantine_ms = 3600001; break;
            case 18: c.verify_sender_max_age_ms = 0; break;
            default: c.origin_lon_deg = 500.0; break;
            }
            CHECK_RC(cv2x_stack_new(&c, &s), CV2X_ERR_INVALID_PARAMETER);
            CHECK(s == NULL);
        }
    }
    CHECK_RC(cv2x_stack_new(NULL, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_config_default(NULL), CV2X_ERR_NULL_POINTER);
    cv2x_stack_free(NULL);
}

/* Every way a message is dropped is data: CV2X_OK, the reason in the outcome, an event. */
void test_stack_drops(void) {
    cv2x_stack_config c;
    cv2x_stack *s = NULL, *signed_only;
    cv2x_ingest_outcome o;
    cv2x_event ev[64];
    uint8_t frame[256], pkt[300], big[300];
    size_t n, pn, i, k;
    static const uint8_t garbage[5] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    uint32_t want[8], got = 0;
    size_t nwant = 0;
    cv2x_stack_counters cnt;

    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.origin_lat_deg = LAT0;
    c.origin_lon_deg = LON0;
    c.max_message_bytes = 200;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    n = bsm_frame(CAR, 0, 30, 0, 0, frame, sizeof frame);

    /* accepted: a plain frame with its AID */
    memset(&o, 0xAA, sizeof o);
    CHECK_RC(cv2x_stack_ingest(s, frame, n, CV2X_PAYLOAD_FRAME, 111, lab_time(0), &o), CV2X_OK);
    CHECK(o.accepted == 1 && o.message == CV2X_INGESTED_BSM && o.count == 1 && o.aid == 111);
    CHECK(o.payload_kind == CV2X_PAYLOAD_FRAME && o.drop.reason == 0 && o.message_set == CV2X_STD_CSAE53_2020);
    /* garbage */
    CHECK_RC(cv2x_stack_ingest(s, garbage, sizeof garbage, CV2X_PAYLOAD_FRAME, 0, lab_time(1), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.message == 0 && o.drop.reason == CV2X_DROP_DECODE);
    CHECK(o.drop.detail >= 100 && o.drop.detail < 200 && o.aid == 0);
    want[nwant++] = CV2X_DROP_DECODE;
    /* empty */
    CHECK_RC(cv2x_stack_ingest(s, NULL, 0, CV2X_PAYLOAD_FRAME, 0, lab_time(2), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_DECODE && o.drop.detail == CV2X_ERR_CODEC_UNEXPECTED_END);
    want[nwant++] = CV2X_DROP_DECODE;
    /* too large */
    memset(big, 0, sizeof big);
    CHECK_RC(cv2x_stack_ingest(s, big, sizeof big, CV2X_PAYLOAD_FRAME, 0, lab_time(3), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_TOO_LARGE);
    want[nwant++] = CV2X_DROP_TOO_LARGE;
    /* an SPDU without a verifier */
    CHECK_RC(cv2x_stack_ingest(s, frame, n, CV2X_PAYLOAD_SPDU, 111, lab_time(4), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_NO_VERIFIER && o.payload_kind == CV2X_PAYLOAD_SPDU);
    want[nwant++] = CV2X_DROP_NO_VERIFIER;
    /* the ego's own message, by its temporary id */
    CHECK_RC(cv2x_stack_set_temporary_id(s, CAR), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, frame, n, CV2X_PAYLOAD_FRAME, 111, lab_time(5), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_OWN_MESSAGE);
    want[nwant++] = CV2X_DROP_OWN_MESSAGE;
    CHECK_RC(cv2x_stack_set_temporary_id(s, NULL), CV2X_OK);
    /* a DSMP packet of an AID the stack does not know, then known */
    CHECK_RC(cv2x_dsmp_emit(4000, frame, n, 0, NULL, 0, pkt, sizeof pkt, &pn), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, pkt, pn, CV2X_PAYLOAD_DSMP, 0, lab_time(6), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_NETWORK && o.drop.detail == CV2X_ERR_NET_UNKNOWN_AID);
    CHECK(o.payload_kind == 0);
    CHECK_RC(cv2x_stack_map_aid(s, 4000, CV2X_CLASS_BSM), CV2X_OK);
    CHECK_RC(cv2x_stack_map_aid(s, 4000, 99), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_stack_map_aid(s, 0xFFFFFFFFu, CV2X_CLASS_BSM), CV2X_ERR_NET_AID_OUT_OF_RANGE);
    /* (the same message again: its msgCnt and time are new enough for fusion) */
    n = bsm_frame(CAR, 0, 30, 0, 100, frame, sizeof frame);
    CHECK_RC(cv2x_dsmp_emit(4000, frame, n, 0, NULL, 0, pkt, sizeof pkt, &pn), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, pkt, pn, CV2X_PAYLOAD_DSMP, 0, lab_time(100), &o), CV2X_OK);
    CHECK(o.accepted == 1 && o.aid == 4000 && o.payload_kind == CV2X_PAYLOAD_FRAME);
    /* a truncated packet */
    CHECK_RC(cv2x_stack_ingest(s, pkt, 1, CV2X_PAYLOAD_DSMP, 0, lab_time(101), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_NETWORK && o.drop.detail >= 300 && o.drop.detail < 400);
    /* bad arguments are errors, not drops */
    CHECK_RC(cv2x_stack_ingest(s, frame, n, 0, 0, lab_time(102), &o), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_stack_ingest(s, frame, n, 4, 0, lab_time(102), &o), CV2X_ERR_INVALID_PARAMETER);
    CHECK_RC(cv2x_stack_ingest(s, frame, n, CV2X_PAYLOAD_FRAME, 0xFFFFFFFFu, lab_time(102), &o),
             CV2X_ERR_NET_AID_OUT_OF_RANGE);
    CHECK_RC(cv2x_stack_ingest(s, NULL, 3, CV2X_PAYLOAD_FRAME, 0, lab_time(102), &o), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_ingest(NULL, frame, n, CV2X_PAYLOAD_FRAME, 0, lab_time(102), &o), CV2X_ERR_NULL_POINTER);
    /* the outcome is optional */
    CHECK_RC(cv2x_stack_ingest(s, garbage, sizeof garbage, CV2X_PAYLOAD_FRAME, 0, lab_time(103), NULL), CV2X_OK);
    want[nwant++] = CV2X_DROP_DECODE;

    /* the drops come out as events, in order, at the next poll */
    k = poll_at(s, 200, ev, COUNT(ev));
    for (i = 0; i < k; i++) {
        if (ev[i].kind != CV2X_EVENT_DROPPED || ev[i].drop.reason == CV2X_DROP_NETWORK) continue;
        if (got < nwant) CHECK(ev[i].drop.reason == want[got]);
        got++;
    }
    CHECK(got == nwant);
    CHECK(ev[k - 1].kind == CV2X_EVENT_OBJECTS && ev[k - 1].time == lab_time(200));

    memset(&cnt, 0xCC, sizeof cnt);
    cnt.struct_size = sizeof cnt;
    CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
    CHECK(cnt.struct_size == sizeof cnt && cnt.reserved0 == 0);
    CHECK(cnt.received == cnt.accepted + cnt.dropped);
    CHECK(cnt.accepted == 2 && cnt.bsm == 2 && cnt.too_large == 1 && cnt.no_verifier == 1 && cnt.own_messages == 1);
    CHECK(cnt.decode_failed == 3 && cnt.polls == 1 && cnt.unsigned_messages == 0);
    CHECK(cnt.dsmp_packets == 3 && cnt.dsmp_dispatched == 1 && cnt.dsmp_unknown_aid == 1 && cnt.dsmp_malformed == 1);
    CHECK(cnt.host_bsm == 0 && cnt.transmitted == 0);
    cv2x_stack_free(s);

    /* signatures required: a plain frame is dropped */
    signed_only = new_stack(CV2X_STACK_REQUIRE_SIGNATURES, CV2X_APPS_ALL);
    CHECK_RC(cv2x_stack_ingest(signed_only, frame, n, CV2X_PAYLOAD_FRAME, 111, lab_time(0), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_UNSIGNED);
    cv2x_stack_free(signed_only);

    /* buffers with the adaptation-layer octet (4 = DSMP) */
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.origin_lat_deg = LAT0;
    c.origin_lon_deg = LON0;
    c.flags |= CV2X_STACK_DSMP_ADAPTATION;
    s = NULL;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    pkt[0] = 4;
    CHECK_RC(cv2x_dsmp_emit(111, frame, n, 0, NULL, 0, pkt + 1, sizeof pkt - 1, &pn), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, pkt, pn + 1, CV2X_PAYLOAD_DSMP, 0, lab_time(100), &o), CV2X_OK);
    CHECK(o.accepted == 1 && o.aid == 111);
    pkt[0] = 5; /* IPv4 */
    CHECK_RC(cv2x_stack_ingest(s, pkt, pn + 1, CV2X_PAYLOAD_DSMP, 0, lab_time(200), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_NETWORK && o.drop.detail == CV2X_ERR_NET_NOT_DSMP);
    cnt.struct_size = sizeof cnt;
    CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
    CHECK(cnt.dsmp_not_dsmp == 1 && cnt.dsmp_dispatched == 1);
    cv2x_stack_free(s);

    /* without drop reports: counted, not reported */
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.flags = 0;
    s = NULL;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, garbage, sizeof garbage, CV2X_PAYLOAD_FRAME, 0, lab_time(0), &o), CV2X_OK);
    CHECK(poll_at(s, 100, ev, COUNT(ev)) == 0);
    cv2x_stack_free(s);
}

/* Events that do not fit stay queued; the queue is bounded; time going backwards. */
void test_stack_event_queue(void) {
    cv2x_stack_config c;
    cv2x_stack *s = NULL;
    cv2x_event ev[8];
    cv2x_ego e;
    size_t n = 99, left = 99, i;
    static const uint8_t garbage[3] = {0xFF, 0xFF, 0xFF};
    cv2x_stack_counters cnt;
    cv2x_stack_usage u;
    s = new_stack(0, CV2X_APPS_ALL);
    for (i = 0; i < 5; i++) CHECK_RC(cv2x_stack_ingest(s, garbage, 3, CV2X_PAYLOAD_FRAME, 0, lab_time(0), NULL), CV2X_OK);
    /* 5 drops + the objects event; room for 2 */
    CHECK_RC(cv2x_stack_poll(s, lab_time(100), ev, 2, &n, &left), CV2X_OK);
    CHECK(n == 2 && left == 4);
    CHECK(ev[0].kind == CV2X_EVENT_DROPPED && ev[1].kind == CV2X_EVENT_DROPPED);
    CHECK_RC(cv2x_stack_get_usage(s, &u), CV2X_OK);
    CHECK(u.events == 4 && u.transmissions == 0 && u.reserved[0] == 0);
    /* no room at all: nothing is lost */
    CHECK_RC(cv2x_stack_drain(s, NULL, 0, &n, &left), CV2X_OK);
    CHECK(n == 0 && left == 4);
    CHECK_RC(cv2x_stack_drain(s, NULL, 1, &n, &left), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_drain(s, ev, 8, &n, NULL), CV2X_OK);
    CHECK(n == 4 && ev[3].kind == CV2X_EVENT_OBJECTS);
    CHECK_RC(cv2x_stack_drain(s, ev, 8, &n, &left), CV2X_OK);
    CHECK(n == 0 && left == 0);
    CHECK_RC(cv2x_stack_drain(s, ev, 8, NULL, &left), CV2X_ERR_NULL_POINTER);
    /* time going backwards: a poll is a drop event, an ego state an error */
    CHECK_RC(cv2x_stack_poll(s, lab_time(50), ev, 8, &n, &left), CV2X_OK);
    CHECK(n >= 1 && ev[0].kind == CV2X_EVENT_DROPPED && ev[0].drop.reason == CV2X_DROP_TIME_WENT_BACKWARDS);
    CHECK_RC(cv2x_ego_init(&e, lab_time(1000), LAT0, LON0, 0.0, 10.0), CV2X_OK);
    CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_OK);
    CHECK_RC(cv2x_ego_init(&e, lab_time(900), LAT0, LON0, 0.0, 10.0), CV2X_OK);
    CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_ERR_TIME_WENT_BACKWARDS);
    cnt.struct_size = sizeof cnt;
    CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
    CHECK(cnt.time_went_backwards == 2);
    cv2x_stack_free(s);

    /* a bounded queue: at most max_events, the rest counted */
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.max_events = 3;
    s = NULL;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    for (i = 0; i < 6; i++) CHECK_RC(cv2x_stack_ingest(s, garbage, 3, CV2X_PAYLOAD_FRAME, 0, lab_time(0), NULL), CV2X_OK);
    CHECK_RC(cv2x_stack_poll(s, lab_time(100), ev, 8, &n, &left), CV2X_OK);
    CHECK(n == 3 && left == 0);
    cnt.struct_size = sizeof cnt;
    CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
    CHECK(cnt.events_dropped >= 3);
    /* NULL pointers */
    CHECK_RC(cv2x_stack_poll(s, lab_time(200), ev, 8, NULL, &left), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_poll(s, lab_time(200), NULL, 8, &n, &left), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_poll(NULL, lab_time(200), ev, 8, &n, &left), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_poll(s, lab_time(200), NULL, 0, &n, NULL), CV2X_OK);
    cv2x_stack_free(s);
}

/* The callback form: events in order, stop on request, re-entering the stack is refused. */
typedef struct {
    cv2x_stack *s;
    int calls, stop_at;
    uint32_t kinds[16];
    cv2x_result reenter[3];
} cb_state;

static uint32_t on_event(void *user, const cv2x_event *e) {
    cb_state *st = (cb_state *)user;
    cv2x_stack_counters c;
    size_t n, left;
    c.struct_size = sizeof c;
    if (st->calls < 16) st->kinds[st->calls] = e->kind;
    st->calls++;
    st->reenter[0] = cv2x_stack_get_counters(st->s, &c);
    st->reenter[1] = cv2x_stack_drain(st->s, NULL, 0, &n, &left);
    st->reenter[2] = cv2x_stack_ingest(st->s, NULL, 0, CV2X_PAYLOAD_FRAME, 0, 0, NULL);
    return st->calls == st->stop_at ? 1u : 0u;
}

void test_stack_poll_callback(void) {
    cv2x_stack *s = new_stack(0, CV2X_APPS_ALL);
    cb_state st;
    static const uint8_t garbage[3] = {0xFF, 0xFF, 0xFF};
    cv2x_event ev[8];
    size_t i, n, left;
    memset(&st, 0, sizeof st);
    st.s = s;
    for (i = 0; i < 3; i++) CHECK_RC(cv2x_stack_ingest(s, garbage, 3, CV2X_PAYLOAD_FRAME, 0, lab_time(0), NULL), CV2X_OK);
    CHECK_RC(cv2x_stack_poll_cb(s, lab_time(100), on_event, &st), CV2X_OK);
    CHECK(st.calls == 4);
    CHECK(st.kinds[0] == CV2X_EVENT_DROPPED && st.kinds[2] == CV2X_EVENT_DROPPED && st.kinds[3] == CV2X_EVENT_OBJECTS);
    CHECK(st.reenter[0] == CV2X_ERR_REENTRANT && st.reenter[1] == CV2X_ERR_REENTRANT &&
          st.reenter[2] == CV2X_ERR_REENTRANT);
    /* stopping after the second event: the rest stays queued */
    for (i = 0; i < 3; i++) CHECK_RC(cv2x_stack_ingest(s, garbage, 3, CV2X_PAYLOAD_FRAME, 0, lab_time(150), NULL), CV2X_OK);
    memset(&st, 0, sizeof st);
    st.s = s;
    st.stop_at = 2;
    CHECK_RC(cv2x_stack_poll_cb(s, lab_time(200), on_event, &st), CV2X_ERR_CALLBACK);
    CHECK(st.calls == 2);
    CHECK_RC(cv2x_stack_drain(s, ev, COUNT(ev), &n, &left), CV2X_OK);
    CHECK(n == 2 && left == 0 && ev[0].kind == CV2X_EVENT_DROPPED && ev[1].kind == CV2X_EVENT_OBJECTS);
    /* the stack is not left busy */
    CHECK_RC(cv2x_stack_ingest(s, garbage, 3, CV2X_PAYLOAD_FRAME, 0, lab_time(300), NULL), CV2X_OK);
    CHECK_RC(cv2x_stack_poll_cb(s, lab_time(300), NULL, &st), CV2X_ERR_MISSING_CALLBACK);
    CHECK_RC(cv2x_stack_poll_cb(NULL, lab_time(300), on_event, &st), CV2X_ERR_NULL_POINTER);
    cv2x_stack_free(s);
}

typedef struct {
    int fcw_events, other_apps, raised_first, one_id, car_found, decel_seen;
    uint32_t max_level, fcw_track, car_track, fcw_id;
} fcw_run;

/* The ego at 20 m/s towards a car stopped 60 m ahead, `lateral_m` to its right, for 2.5 s; the
 * car's BSMs arrive in DSMP packets. */
static fcw_run drive_at_stopped_car(double lateral_m, uint32_t apps) {
    cv2x_stack *s = new_stack(0, apps);
    fcw_run r;
    int64_t ms;
    memset(&r, 0, sizeof r);
    r.one_id = 1;
    for (ms = 0; ms <= 2500; ms += 100) {
        uint8_t frame[128], pkt[160];
        size_t n, pn, k, i;
        cv2x_ingest_outcome o;
        cv2x_event ev[32];
        set_ego_at(s, ms, 0.0, 20.0 * (double)ms / 1000.0, 20.0);
        n = bsm_frame(CAR, lateral_m, 60.0, 0.0, ms, frame, sizeof frame);
        CHECK_RC(cv2x_dsmp_emit(111, frame, n, 0, NULL, 0, pkt, sizeof pkt, &pn), CV2X_OK);
        CHECK_RC(cv2x_stack_ingest(s, pkt, pn, CV2X_PAYLOAD_DSMP, 0, lab_time(ms), &o), CV2X_OK);
        CHECK(o.accepted == 1 && o.message == CV2X_INGESTED_BSM && o.aid == 111);
        k = poll_at(s, ms, ev, COUNT(ev));
        for (i = 0; i < k; i++) {
            const cv2x_warning *w = &ev[i].warning;
            if (ev[i].kind != CV2X_EVENT_WARNING) continue;
            if (w->app != CV2X_APP_FCW) {
                r.other_apps++;
                continue;
            }
            if (r.fcw_events == 0) {
                r.raised_first = w->change == CV2X_WARNING_RAISED && (w->present & CV2X_WARNING_HAS_RAISED_AT);
                r.fcw_id = w->id;
            }
            if (w->id != r.fcw_id) r.one_id = 0;
            r.fcw_events++;
            if (w->level > r.max_level) r.max_level = w->level;
            r.fcw_track = w->track_id;
            CHECK(w->target == CV2X_TARGET_OBJECT && (w->present & CV2X_WARNING_HAS_POSITION));
            CHECK(w->time == lab_time(ms) && ev[i].time == w->time);
            {
                /* the deceleration that avoids the collision: about v^2 / 2d (20 m/s, <= 60 m) */
                cv2x_warning_detail d;
                memset(&d, 0, sizeof d);
                d.struct_size = (uint32_t)sizeof d;
                CHECK_RC(cv2x_stack_warning_detail(s, w->id, &d), CV2X_OK);
                CHECK(d.struct_size == sizeof d && d.id == w->id && d.app == CV2X_APP_FCW);
                CHECK(d.guidance == CV2X_GUIDANCE_NONE && (d.present & CV2X_DETAIL_HAS_ROAD) == 0);
                if (d.present & CV2X_DETAIL_HAS_DECEL) {
                    CHECK(d.decel_mps2 > 3.0 && d.decel_mps2 < 20.0);
                    r.decel_seen++;
                }
            }
        }
    }
    {
        cv2x_object objs[16];
        size_t n = 0, i;
        CHECK_RC(cv2x_stack_objects(s, objs, COUNT(objs), &n), CV2X_OK);
        for (i = 0; i < n; i++) {
            if ((objs[i].present & CV2X_OBJECT_HAS_VEHICLE_ID) && memcmp(objs[i].vehicle_id, CAR, 8) == 0) {
                r.car_found = 1;
                r.car_track = objs[i].id;
                CHECK(objs[i].object_class == 1 && objs[i].speed_mps < 0.5);
                CHECK(objs[i].lat_deg > LAT0 && objs[i].y_m > 0.0);
            }
        }
    }
    cv2x_stack_free(s);
    return r;
}

/* The bar: FCW for a stopped car ahead in the ego's lane, none for one in the next lane; the
 * application bitmask turns FCW off and on. */
void test_stack_fcw_stopped_car(void) {
    fcw_run ahead = drive_at_stopped_car(0.0, CV2X_APPS_ALL);
    fcw_run next_lane = drive_at_stopped_car(3.7, CV2X_APPS_ALL);
    fcw_run no_fcw = drive_at_stopped_car(0.0, CV2X_APPS_ALL & ~CV2X_APP_BIT(CV2X_APP_FCW));
    fcw_run only_fcw = drive_at_stopped_car(0.0, CV2X_APP_BIT(CV2X_APP_FCW));
    CHECK(ahead.fcw_events >= 1 && ahead.max_level >= CV2X_LEVEL_WARNING);
    CHECK(ahead.raised_first && ahead.one_id && ahead.fcw_id != 0);
    CHECK(ahead.car_found && ahead.fcw_track == ahead.car_track);
    CHECK(next_lane.fcw_events == 0 && next_lane.car_found);
    CHECK(no_fcw.fcw_events == 0 && no_fcw.car_found);
    CHECK(only_fcw.fcw_events >= 1 && only_fcw.other_apps == 0);
    CHECK(ahead.decel_seen >= 1 && only_fcw.decel_seen >= 1);
    {
        cv2x_stack *s = new_stack(0, CV2X_APPS_ALL);
        /* the Day II applications have their own codes after the Day I ones, each its bit */
        static const uint32_t day2_apps[] = {CV2X_APP_MERGE, CV2X_APP_CLEAR_THE_WAY, CV2X_APP_SIGNAL_PRIORITY,
                                             CV2X_APP_PARKING, CV2X_APP_PLATOON, CV2X_APP_VNFP, CV2X_APP_CEB};
        size_t i;
        for (i = 0; i < COUNT(day2_apps); i++) {
            cv2x_stack_config c;
            cv2x_stack *one = NULL;
            CHECK(day2_apps[i] == CV2X_APP_EVW + 1u + (uint32_t)i);
            CHECK((CV2X_APPS_ALL & CV2X_APP_BIT(day2_apps[i])) != 0);
            CHECK_RC(cv2x_stack_set_apps(s, CV2X_APP_BIT(day2_apps[i])), CV2X_OK);
            CHECK_RC(cv2x_stack_set_apps(s, CV2X_APPS_ALL & ~CV2X_APP_BIT(day2_apps[i])), CV2X_OK);
            CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
            c.apps = CV2X_APP_BIT(day2_apps[i]);
            CHECK_RC(cv2x_stack_new(&c, &one), CV2X_OK);
            cv2x_stack_free(one);
        }
        CHECK_RC(cv2x_stack_set_apps(s, 1u << 24), CV2X_ERR_INVALID_PARAMETER);
        CHECK_RC(cv2x_stack_set_apps(s, 0), CV2X_OK);
        CHECK_RC(cv2x_stack_set_apps(s, CV2X_APPS_ALL), CV2X_OK);
        CHECK_RC(cv2x_stack_set_apps(NULL, 0), CV2X_ERR_NULL_POINTER);
        {
            /* the detail of a warning that is not active; bad arguments; out untouched */
            cv2x_warning_detail d;
            memset(&d, 0x5a, sizeof d);
            d.struct_size = (uint32_t)sizeof d;
            CHECK_RC(cv2x_stack_warning_detail(s, 12345, &d), CV2X_ERR_NO_WARNING);
            CHECK(d.id == 0x5a5a5a5au);
            CHECK_RC(cv2x_stack_warning_detail(NULL, 1, &d), CV2X_ERR_NULL_POINTER);
            CHECK_RC(cv2x_stack_warning_detail(s, 1, NULL), CV2X_ERR_NULL_POINTER);
            d.struct_size = 8;
            CHECK_RC(cv2x_stack_warning_detail(s, 1, &d), CV2X_ERR_STRUCT_SIZE);
            CHECK(d.id == 0x5a5a5a5au);
        }
        cv2x_stack_free(s);
    }
}

/* The ego: every optional value, and the bad ones. */
void test_stack_ego(void) {
    cv2x_stack *s = new_stack(0, CV2X_APPS_ALL);
    cv2x_ego e;
    int64_t t = lab_time(0);
    CHECK_RC(cv2x_ego_init(&e, t, LAT0, LON0, 90.0, 12.5), CV2X_OK);
    CHECK(e.struct_size == sizeof e && e.struct_size == CV2X_EGO_SIZE_V1);
    CHECK(e.present == (CV2X_EGO_HAS_FIX | CV2X_EGO_HAS_HEADING | CV2X_EGO_HAS_SPEED));
    CHECK(e.time == t && e.fix_time == t && e.fix_quality == CV2X_FIX_3D && e.reserved == 0);
    CHECK(e.lat_deg == LAT0 && e.heading_deg == 90.0 && e.speed_mps == 12.5);
    /* everything */
    e.present = 0x7FFFFFFFull;
    e.fix_quality = CV2X_FIX_RTK_FIXED;
    e.elevation_m = 12.0;
    e.yaw_rate_dps = -2.0;
    e.accel_long_mps2 = -1.0;
    e.accel_lat_mps2 = 0.2;
    e.accel_vert_mps2 = 0.1;
    e.steering_wheel_angle_deg = 5.0;
    e.speed_accuracy_mps_95 = 0.2;
    e.heading_accuracy_deg_95 = 1.0;
    e.semi_major_m = 0.4;
    e.semi_minor_m = 0.3;
    e.orientation_deg = 10.0;
    e.elevation_accuracy_m_95 = 1.0;
    e.time_accuracy_s_95 = 0.001;
    e.length_m = 4.6;
    e.width_m = 1.8;
    e.height_m = 1.5;
    e.transmission = CV2X_GEAR_FORWARD;
    e.lights = CV2X_LIGHTS_LOW_BEAM | CV2X_LIGHTS_RIGHT_TURN_SIGNAL | CV2X_LIGHTS_PARKING;
    e.events = CV2X_VEHICLE_EVENT_HARD_BRAKING | CV2X_VEHICLE_EVENT_AIRBAG_DEPLOYMENT;
    e.brake_pedal = 1;
    e.wheel_brakes = CV2X_WHEEL_LEFT_FRONT | CV2X_WHEEL_RIGHT_REAR;
    e.abs = CV2X_CONTROL_ENGAGED;
    e.traction = CV2X_CONTROL_ON;
    e.stability = CV2X_CONTROL_OFF;
    e.brake_boost = 0;
    e.aux_brakes = 1;
    e.vehicle_class = 10;
    e.fuel_type = 1;
    e.response = CV2X_RESPONSE_EMERGENCY;
    e.siren = 1;
    e.light_bar = CV2X_LIGHT_BAR_EMERGENCY;
    CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_OK);
    /* bad enumerations and bits refuse the whole state */
    {
        cv2x_ego bad;
        int k;
        for (k = 0; k < 10; k++) {
            bad = e;
            bad.time = lab_time(100);
            switch (k) {
            case 0: bad.fix_quality = 7; break;
            case 1: bad.transmission = 4; break;
            case 2: bad.abs = 0; break;
            case 3: bad.brake_pedal = 2; break;
            case 4: bad.wheel_brakes = 1; break;
            case 5: bad.lights = 1u << 9; break;
            case 6: bad.events = 1u << 6; break;
            case 7: bad.response = 7; break;
            case 8: bad.light_bar = 8; break;
            default: bad.present |= 1ull << 31; break;
            }
            CHECK_RC(cv2x_stack_set_ego(s, &bad), CV2X_ERR_INVALID_PARAMETER);
        }
        bad = e;
        bad.struct_size = 8;
        CHECK_RC(cv2x_stack_set_ego(s, &bad), CV2X_ERR_STRUCT_SIZE);
    }
    /* a GNSS outage, and a position that is no position: fusion cannot use them */
    CHECK_RC(cv2x_ego_init(&e, lab_time(200), LAT0, LON0, 90.0, 12.5), CV2X_OK);
    e.present &= ~CV2X_EGO_HAS_FIX;
    CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_ERR_EGO_REJECTED);
    CHECK_RC(cv2x_ego_init(&e, lab_time(300), 95.0, LON0, 90.0, 12.5), CV2X_OK);
    CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_ERR_EGO_REJECTED);
    {
        cv2x_stack_counters c;
        c.struct_size = sizeof c;
        CHECK_RC(cv2x_stack_get_counters(s, &c), CV2X_OK);
        CHECK(c.ego_rejected == 2);
    }
    CHECK_RC(cv2x_stack_set_ego(s, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_set_ego(NULL, &e), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_ego_init(NULL, 0, 0, 0, 0, 0), CV2X_ERR_NULL_POINTER);
    cv2x_stack_free(s);
}

/* A track of the ego's sensors, `ahead_m` in front. */
static cv2x_track track_ahead(int64_t ms, double ahead_m) {
    cv2x_track t;
    CHECK_RC(cv2x_track_init(&t), CV2X_OK);
    t.present = CV2X_TRACK_HAS_SIZE | CV2X_TRACK_HAS_POSITION_COVARIANCE;
    t.position_kind = CV2X_POSITION_EGO;
    t.motion_kind = CV2X_MOTION_SPEED_HEADING;
    t.object_class = 1;
    t.source_type = 4; /* radar */
    t.sensor = 2;
    t.object_id = 77;
    t.time = lab_time(ms);
    t.x_m = ahead_m;
    t.speed_mps = 10.0;
    t.length_m = 4.5;
    t.width_m = 1.8;
    t.pos_var_x = 0.25;
    t.pos_var_y = 0.25;
    return t;
}

/* Onboard tracks, and the object, warning, lane, counter and usage snapshots. */
void test_stack_tracks_and_snapshots(void) {
    cv2x_stack *s = new_stack(0, CV2X_APPS_ALL);
    cv2x_event ev[16];
    cv2x_object objs[4];
    cv2x_warning ws[4];
    cv2x_lane lane;
    size_t n = 0, acc = 99;
    int64_t ms;
    cv2x_track t;
    CHECK_RC(cv2x_track_init(&t), CV2X_OK);
    CHECK(t.struct_size == sizeof t && t.struct_size == CV2X_TRACK_SIZE_V1 && t.present == 0 && t.x_m == 0.0);
    /* the ego drives north at 10 m/s with a car 30 m ahead at the same speed */
    for (ms = 0; ms <= 1000; ms += 100) {
        set_ego_at(s, ms, 0.0, 10.0 * (double)ms / 1000.0, 10.0);
        t = track_ahead(ms, 30.0);
        CHECK_RC(cv2x_stack_add_onboard_tracks(s, &t, 1, lab_time(ms), &acc), CV2X_OK);
        CHECK(acc == 1);
        poll_at(s, ms, ev, COUNT(ev));
    }
    CHECK_RC(cv2x_stack_objects(s, objs, 0, &n), CV2X_ERR_BUFFER_TOO_SMALL);
    CHECK(n == 1);
    memset(objs, 0xEE, sizeof objs);
    CHECK_RC(cv2x_stack_objects(s, NULL, 0, &n), CV2X_ERR_BUFFER_TOO_SMALL);
    CHECK(objs[0].id == 0xEEEEEEEEu); /* nothing written on failure */
    CHECK_RC(cv2x_stack_objects(s, objs, COUNT(objs), &n), CV2X_OK);
    CHECK(n == 1 && objs[0].object_class == 1 && objs[0].status == CV2X_TRACK_CONFIRMED);
    CHECK((objs[0].flags & CV2X_OBJECT_V2X_ONLY) == 0 && (objs[0].present & CV2X_OBJECT_HAS_SIZE));
    CHECK(objs[0].length_m > 4.0 && objs[0].speed_mps > 9.0 && objs[0].speed_mps < 11.0);
    CHECK(objs[0].heading_deg < 5.0 || objs[0].heading_deg > 355.0);
    CHECK(objs[0].y_m > 35.0 && objs[0].y_m < 45.0 && objs[0].pos_var_x > 0.0 && objs[0].time == lab_time(1000));
    CHECK(objs[0].reserved[0] == 0 && objs[0].reserved0 == 0);
    CHECK_RC(cv2x_stack_objects(s, objs, COUNT(objs), NULL), CV2X_ERR_NULL_POINTER);
    /* no warning for a car keeping its distance */
    CHECK_RC(cv2x_stack_warnings(s, ws, COUNT(ws), &n), CV2X_OK);
    CHECK(n == 0);
    CHECK_RC(cv2x_stack_warnings(s, NULL, 0, &n), CV2X_OK);
    CHECK_RC(cv2x_stack_warnings(s, ws, COUNT(ws), NULL), CV2X_ERR_NULL_POINTER);
    /* no MAP: no lane */
    CHECK_RC(cv2x_stack_lane(s, &lane), CV2X_ERR_NO_LANE);
    CHECK_RC(cv2x_stack_lane(s, NULL), CV2X_ERR_NULL_POINTER);
    {
        cv2x_stack_usage u;
        CHECK_RC(cv2x_stack_get_usage(s, &u), CV2X_OK);
        CHECK(u.tracks >= 1 && u.intersections == 0 && u.warnings == 0 && u.events == 0);
        CHECK_RC(cv2x_stack_get_usage(s, NULL), CV2X_ERR_NULL_POINTER);
    }
    /* counters: the caller's struct_size decides what is written */
    {
        unsigned char buf[sizeof(cv2x_stack_counters) + 16];
        cv2x_stack_counters c;
        memset(buf, 0xAB, sizeof buf);
        c.struct_size = (uint32_t)sizeof buf;
        memcpy(buf, &c, 4);
        CHECK_RC(cv2x_stack_get_counters(s, (cv2x_stack_counters *)(void *)buf), CV2X_OK);
        memcpy(&c, buf, sizeof c);
        CHECK(c.struct_size == sizeof buf && c.polls == 11 && c.received == 0);
        CHECK(buf[sizeof buf - 1] == 0xAB); /* past our struct: untouched */
        c.struct_size = CV2X_STACK_COUNTERS_SIZE_V1 - 8;
        CHECK_RC(cv2x_stack_get_counters(s, &c), CV2X_ERR_STRUCT_SIZE);
        CHECK_RC(cv2x_stack_get_counters(s, NULL), CV2X_ERR_NULL_POINTER);
    }
    /* bad tracks: nothing is taken */
    {
        cv2x_track two[2];
        int k;
        for (k = 0; k < 5; k++) {
            two[0] = track_ahead(1100, 30.0);
            two[1] = track_ahead(1100, 31.0);
            switch (k) {
            case 0: two[1].position_kind = 2; break;
            case 1: two[1].motion_kind = 4; break;
            case 2: two[1].object_class = 5; break;
            case 3: two[1].source_type = 8; break;
            default: two[1].present = 1u << 8; break;
            }
            CHECK_RC(cv2x_stack_add_onboard_tracks(s, two, 2, lab_time(1100), &acc), CV2X_ERR_INVALID_PARAMETER);
        }
        two[0] = track_ahead(1100, 30.0);
        two[1] = track_ahead(1100, 31.0);
        two[1].struct_size = 64;
        CHECK_RC(cv2x_stack_add_onboard_tracks(s, two, 2, lab_time(1100), &acc), CV2X_ERR_STRUCT_SIZE);
        two[0].struct_size = 16;
        CHECK_RC(cv2x_stack_add_onboard_tracks(s, two, 2, lab_time(1100), &acc), CV2X_ERR_STRUCT_SIZE);
        CHECK_RC(cv2x_stack_add_onboard_tracks(s, NULL, 1, lab_time(1100), &acc), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_stack_add_onboard_tracks(s, NULL, 0, lab_time(1100), &acc), CV2X_OK);
        CHECK(acc == 0);
        CHECK_RC(cv2x_track_init(NULL), CV2X_ERR_NULL_POINTER);
    }
    /* a caller built against a newer, larger cv2x_track: the stride is its struct_size */
    {
        struct newer {
            cv2x_track t;
            double later[2];
        } arr[2];
        arr[0].t = track_ahead(1100, 30.0);
        arr[1].t = track_ahead(1100, 30.0);
        arr[1].t.object_id = 78;
        arr[1].t.x_m = 60.0;
        arr[0].t.struct_size = arr[1].t.struct_size = (uint32_t)sizeof(struct newer);
        set_ego_at(s, 1100, 0.0, 11.0, 10.0);
        CHECK_RC(cv2x_stack_add_onboard_tracks(s, &arr[0].t, 2, lab_time(1100), &acc), CV2X_OK);
        CHECK(acc == 2);
    }
    /* an object far off: fusion refuses it and says why */
    {
        size_t k, i;
        int seen = 0;
        t = track_ahead(1200, 1.0e7);
        set_ego_at(s, 1200, 0.0, 12.0, 10.0);
        CHECK_RC(cv2x_stack_add_onboard_tracks(s, &t, 1, lab_time(1200), &acc), CV2X_OK);
        CHECK(acc == 0);
        k = poll_at(s, 1200, ev, COUNT(ev));
        for (i = 0; i < k; i++) {
            if (ev[i].kind == CV2X_EVENT_DROPPED && ev[i].drop.reason == CV2X_DROP_FUSION) {
                seen = 1;
                CHECK(ev[i].drop.detail >= CV2X_REJECT_NON_FINITE && ev[i].drop.detail <= CV2X_REJECT_TRACK_TABLE_FULL);
            }
        }
        CHECK(seen);
    }
    cv2x_stack_free(s);
}

/* Day II messages of the T/CSAE 157-2020 vectors become CV2X_EVENT_DAY2 events. */
void test_stack_day2(void) {
    size_t n;
    char *text = (char *)read_file("tests/vectors/csae157_2020_dayII/MessageFrame.jsonl", &n), *cur;
    vector_line v;
    cv2x_stack *s = new_stack(0, CV2X_APPS_ALL);
    int intentions = 0, sharing = 0;
    unsigned char bytes[4096];
    if (text == NULL) {
        CHECK(text != NULL);
        cv2x_stack_free(s);
        return;
    }
    cur = text;
    while (next_vector(&cur, &v)) {
        cv2x_ingest_outcome o;
        cv2x_event ev[64];
        size_t k, i;
        int found;
        long long id;
        if (v.jer == NULL || v.hex_len / 2 > sizeof bytes) continue;
        id = json_int_after(v.jer, v.jer_len, "\"msgFrameExt\":{\"messageId\":", &found);
        if (!found || (id != 12 && id != 13)) continue;
        CHECK(unhex(v.hex, v.hex_len, bytes));
        CHECK_RC(cv2x_stack_ingest(s, bytes, v.hex_len / 2, CV2X_PAYLOAD_FRAME, 0, lab_time(0), &o), CV2X_OK);
        CHECK(o.accepted == 1);
        CHECK(o.message == (id == 13 ? CV2X_INGESTED_DAY2 : CV2X_INGESTED_SSM));
        if (id == 13) CHECK(o.count == 13);
        k = poll_at(s, 0, ev, COUNT(ev));
        for (i = 0; i < k; i++) {
            if (ev[i].kind != CV2X_EVENT_DAY2) continue;
            CHECK(ev[i].time == lab_time(0) && (ev[i].day2.present & CV2X_DAY2_HAS_SENDER));
            if (ev[i].day2.kind == CV2X_DAY2_INTENTION) {
                intentions++;
                /* the VIR vector plans a path of 10 points */
                CHECK(ev[i].day2.path_points >= 10);
            }
            if (ev[i].day2.kind == CV2X_DAY2_SENSOR_SHARING) {
                sharing++;
                CHECK(ev[i].day2.participants + ev[i].day2.obstacles + ev[i].day2.events > 0);
            }
        }
    }
    CHECK(intentions == 1 && sharing == 1);
    free(text);
    cv2x_stack_free(s);
}

/* The quickstart scene of examples/c through the stack: the Rust stack's timeline, the lane,
 * and the warnings snapshot. */
void test_stack_intersection_scene(void) {
    cv2x_stack_config c;
    cv2x_stack *s = NULL;
    int64_t t0 = cv2x_time_from_unix_utc_ms(SCENE_T0_UNIX_MS);
    size_t k, message = 0, track = 0, change = 0;
    double last_distance = 1e9;
    int lanes = 0, snapshot_checked = 0;
    uint8_t frame[2048];
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.origin_lat_deg = SCENE_ORIGIN_LAT_DEG;
    c.origin_lon_deg = SCENE_ORIGIN_LON_DEG;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    CHECK_RC(cv2x_stack_set_temporary_id(s, SCENE_EGO_ID), CV2X_OK);
    for (k = 0; k < COUNT(SCENE_STEPS); k++) {
        const scene_step *st = &SCENE_STEPS[k];
        int64_t now = t0 + st->offset_us;
        cv2x_ego e;
        cv2x_event ev[32];
        cv2x_lane lane;
        size_t n = 0, left = 0, i;
        CHECK_RC(cv2x_ego_init(&e, now, st->lat_deg, st->lon_deg, st->heading_deg, st->speed_mps), CV2X_OK);
        e.present |= CV2X_EGO_HAS_ACCURACY | CV2X_EGO_HAS_HEADING_ACCURACY | CV2X_EGO_HAS_YAW_RATE |
                     CV2X_EGO_HAS_ACCEL_LONG | CV2X_EGO_HAS_SIZE | CV2X_EGO_HAS_LIGHTS;
        e.semi_major_m = e.semi_minor_m = 0.5;
        e.heading_accuracy_deg_95 = 1.96;
        e.yaw_rate_dps = st->yaw_rate_dps;
        e.accel_long_mps2 = st->accel_mps2;
        e.length_m = SCENE_EGO_LENGTH_M;
        e.width_m = SCENE_EGO_WIDTH_M;
        CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_OK);
        for (i = 0; i < st->messages; i++, message++) {
            const char *hex = SCENE_FRAMES[SCENE_MESSAGES[message].frame];
            size_t len = strlen(hex) / 2;
            cv2x_ingest_outcome o;
            CHECK(len <= sizeof frame && unhex(hex, 2 * len, frame));
            CHECK_RC(cv2x_stack_ingest(s, frame, len, CV2X_PAYLOAD_FRAME, SCENE_MESSAGES[message].aid, now, &o),
                     CV2X_OK);
            CHECK(o.accepted == 1);
        }
        for (i = 0; i < st->tracks; i++, track++) {
            cv2x_track t;
            const scene_track *src = &SCENE_TRACKS[track];
            CHECK_RC(cv2x_track_init(&t), CV2X_OK);
            t.present = CV2X_TRACK_HAS_YAW_RATE | CV2X_TRACK_HAS_ACCEL | CV2X_TRACK_HAS_SIZE;
            t.motion_kind = CV2X_MOTION_SPEED_HEADING;
            t.object_class = 1;
            t.source_type = 6;
            t.object_id = src->object_id;
            t.time = now;
            t.x_m = src->x_m;
            t.y_m = src->y_m;
            t.speed_mps = src->speed_mps;
            t.heading_deg = src->heading_deg;
            t.yaw_rate_dps = src->yaw_rate_dps;
            t.accel_mps2 = src->accel_mps2;
            t.length_m = src->length_m;
            t.width_m = src->width_m;
            CHECK_RC(cv2x_stack_add_onboard_tracks(s, &t, 1, now, NULL), CV2X_OK);
        }
        CHECK_RC(cv2x_stack_poll(s, now, ev, COUNT(ev), &n, &left), CV2X_OK);
        CHECK(left == 0);
        for (i = 0; i < n; i++) {
            const cv2x_warning *w = &ev[i].warning;
            if (ev[i].kind != CV2X_EVENT_WARNING && ev[i].kind != CV2X_EVENT_WARNING_CLEARED) continue;
            CHECK(change < COUNT(SCENE_TIMELINE));
            if (change < COUNT(SCENE_TIMELINE)) {
                const scene_change *want = &SCENE_TIMELINE[change];
                CHECK(want->step == k && want->change == w->change && want->id == w->id && want->app == w->app &&
                      want->level == w->level);
                CHECK((ev[i].kind == CV2X_EVENT_WARNING_CLEARED) == (w->change == CV2X_WARNING_CLEARED));
            }
            change++;
        }
        if (cv2x_stack_lane(s, &lane) == CV2X_OK) {
            lanes++;
            CHECK(lane.distance_to_stop_m < last_distance && lane.turn == CV2X_TURN_STRAIGHT);
            CHECK(lane.stop_lat_deg > SCENE_ORIGIN_LAT_DEG && lane.reserved[0] == 0);
            last_distance = lane.distance_to_stop_m;
        }
        /* in the middle of the braking: the snapshot holds FCW with the id it was raised with */
        if (k == 45) {
            cv2x_warning ws[16];
            size_t m = 0, j;
            CHECK_RC(cv2x_stack_warnings(s, ws, COUNT(ws), &m), CV2X_OK);
            for (j = 0; j < m; j++) {
                CHECK(ws[j].change == CV2X_WARNING_ACTIVE && (ws[j].present & CV2X_WARNING_HAS_RAISED_AT));
                CHECK(ws[j].raised_at <= now && ws[j].time == now);
                if (ws[j].app == CV2X_APP_FCW) {
                    CHECK(ws[j].id == 3 && ws[j].level == CV2X_LEVEL_ALERT && ws[j].target == CV2X_TARGET_OBJECT);
                    snapshot_checked = 1;
                }
            }
        }
    }
    CHECK(change == COUNT(SCENE_TIMELINE) && snapshot_checked);
    CHECK(lanes > 50 && last_distance < 30.0);
    cv2x_stack_free(s);
}

/* A verifier shared by the caller and the stack. */
typedef struct {
    cv2x_stack *s;
    cv2x_verifier *v;
    const uint8_t *spdu;
    size_t spdu_len;
    int mode, fail;
    cv2x_result rc[3];
} sm3_chip;

static uint32_t chip_sm3(void *user, const uint8_t *data, size_t len, uint8_t *out) {
    sm3_chip *c = (sm3_chip *)user;
    if (c->mode == 1) {
        /* the stack calls: the stack is busy, the verifier too */
        cv2x_stack_counters k;
        cv2x_verify_report r;
        k.struct_size = sizeof k;
        c->rc[0] = cv2x_stack_get_counters(c->s, &k);
        c->rc[1] = cv2x_verifier_verify(c->v, c->spdu, c->spdu_len, 0, &r);
        c->mode = 0;
    } else if (c->mode == 2) {
        /* the caller verifies: the stack cannot use the verifier meanwhile */
        c->rc[2] = cv2x_stack_ingest(c->s, c->spdu, c->spdu_len, CV2X_PAYLOAD_SPDU, 111, 0, NULL);
        c->mode = 0;
    }
    if (c->fail) return 1;
    return cv2x_crypto_sm3(data, len, out);
}

void test_stack_shared_verifier(void) {
    lab_pki p;
    cv2x_signer *signer = NULL;
    cv2x_verifier *v;
    cv2x_stack *s;
    uint8_t frame[128], spdu[512], pkt[600];
    size_t n, sn, pn;
    cv2x_ingest_outcome o;
    cv2x_verify_report r;
    cv2x_stack_counters cnt;
    if (!load_lab("sm2", &p)) {
        CHECK(0);
        free_lab(&p);
        return;
    }
    CHECK_RC(cv2x_signer_new(CV2X_KEY_ALG_SM2, p.key, p.cert, p.cert_len, &signer), CV2X_OK);
    v = lab_verifier(&p, NULL, 1);
    s = new_stack(0, CV2X_APPS_ALL);
    CHECK_RC(cv2x_stack_set_verifier(s, v), CV2X_OK);
    n = bsm_frame(CAR, 0, 30, 0, 0, frame, sizeof frame);
    CHECK_RC(cv2x_signer_sign(signer, frame, n, 111, lab_time(0), spdu, sizeof spdu, &sn), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, spdu, sn, CV2X_PAYLOAD_SPDU, 111, lab_time(10), &o), CV2X_OK);
    CHECK(o.accepted == 1 && o.message == CV2X_INGESTED_BSM && o.payload_kind == CV2X_PAYLOAD_SPDU);
    /* a replay */
    CHECK_RC(cv2x_stack_ingest(s, spdu, sn, CV2X_PAYLOAD_SPDU, 111, lab_time(20), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_VERIFY && o.drop.detail == CV2X_ERR_SEC_DUPLICATE);
    /* tampered */
    spdu[sn - 3] ^= 0x40;
    CHECK_RC(cv2x_stack_ingest(s, spdu, sn, CV2X_PAYLOAD_SPDU, 111, lab_time(30), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_VERIFY && o.drop.detail >= 200 && o.drop.detail < 240);
    /* signed, in a DSMP packet: recognised as an SPDU */
    n = bsm_frame(CAR, 0, 31, 0, 100, frame, sizeof frame);
    CHECK_RC(cv2x_signer_sign(signer, frame, n, 111, lab_time(100), spdu, sizeof spdu, &sn), CV2X_OK);
    CHECK_RC(cv2x_dsmp_emit(111, spdu, sn, 0, NULL, 0, pkt, sizeof pkt, &pn), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, pkt, pn, CV2X_PAYLOAD_DSMP, 0, lab_time(110), &o), CV2X_OK);
    CHECK(o.accepted == 1 && o.payload_kind == CV2X_PAYLOAD_SPDU && o.aid == 111);
    /* the caller keeps using the verifier, then frees it: the stack keeps its reference */
    CHECK_RC(cv2x_verifier_verify(v, spdu, sn, lab_time(120), &r), CV2X_OK);
    CHECK(r.result == CV2X_ERR_SEC_DUPLICATE);
    cv2x_verifier_free(v);
    n = bsm_frame(CAR, 0, 32, 0, 200, frame, sizeof frame);
    CHECK_RC(cv2x_signer_sign(signer, frame, n, 111, lab_time(200), spdu, sizeof spdu, &sn), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, spdu, sn, CV2X_PAYLOAD_SPDU, 111, lab_time(210), &o), CV2X_OK);
    CHECK(o.accepted == 1);
    cnt.struct_size = sizeof cnt;
    CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
    CHECK(cnt.verified == 3 && cnt.verify_failed == 2);
    CHECK_RC(cv2x_stack_set_verifier(s, NULL), CV2X_ERR_NULL_POINTER);
    CHECK_RC(cv2x_stack_set_verifier(NULL, NULL), CV2X_ERR_NULL_POINTER);
    cv2x_stack_free(s);

    /* a crypto chip behind the shared verifier: re-entering from its callback, and failing */
    {
        sm3_chip chip;
        cv2x_crypto_backend b;
        memset(&chip, 0, sizeof chip);
        memset(&b, 0, sizeof b);
        b.struct_size = (uint32_t)sizeof b;
        b.user_data = &chip;
        b.sm3 = chip_sm3;
        v = lab_verifier(&p, &b, 1);
        s = new_stack(0, CV2X_APPS_ALL);
        CHECK_RC(cv2x_stack_set_verifier(s, v), CV2X_OK);
        chip.s = s;
        chip.v = v;
        n = bsm_frame(CAR, 0, 30, 0, 300, frame, sizeof frame);
        CHECK_RC(cv2x_signer_sign(signer, frame, n, 111, lab_time(300), spdu, sizeof spdu, &sn), CV2X_OK);
        chip.spdu = spdu;
        chip.spdu_len = sn;
        chip.mode = 1;
        CHECK_RC(cv2x_stack_ingest(s, spdu, sn, CV2X_PAYLOAD_SPDU, 111, lab_time(310), &o), CV2X_OK);
        CHECK(o.accepted == 1);
        CHECK(chip.rc[0] == CV2X_ERR_REENTRANT && chip.rc[1] == CV2X_ERR_REENTRANT);
        /* the caller verifies while the stack wants the verifier */
        n = bsm_frame(CAR, 0, 31, 0, 400, frame, sizeof frame);
        CHECK_RC(cv2x_signer_sign(signer, frame, n, 111, lab_time(400), spdu, sizeof spdu, &sn), CV2X_OK);
        chip.spdu_len = sn;
        chip.mode = 2;
        CHECK_RC(cv2x_verifier_verify(v, spdu, sn, lab_time(410), &r), CV2X_OK);
        CHECK(r.result == CV2X_OK && chip.rc[2] == CV2X_ERR_REENTRANT);
        /* a failing chip fails the call (the verdict cannot be trusted) */
        n = bsm_frame(CAR, 0, 32, 0, 500, frame, sizeof frame);
        CHECK_RC(cv2x_signer_sign(signer, frame, n, 111, lab_time(500), spdu, sizeof spdu, &sn), CV2X_OK);
        chip.fail = 1;
        CHECK_RC(cv2x_stack_ingest(s, spdu, sn, CV2X_PAYLOAD_SPDU, 111, lab_time(510), &o), CV2X_ERR_CALLBACK);
        chip.fail = 0;
        cnt.struct_size = sizeof cnt;
        CHECK_RC(cv2x_stack_get_counters(s, &cnt), CV2X_OK);
        CHECK(cnt.verify_failed == 1 && cnt.verified == 1);
        cv2x_stack_free(s);
        cv2x_verifier_free(v);
    }
    cv2x_signer_free(signer);
    free_lab(&p);
}

/* A panic inside a stack call: CV2X_ERR_PANIC, then CV2X_ERR_POISONED; free still works; a
 * verifier shared with the stack is not poisoned. */
void test_stack_panic(void) {
    cv2x_stack *s = new_stack(0, CV2X_APPS_ALL);
    cv2x_verifier *v = NULL;
    cv2x_event ev[4];
    cv2x_object o[2];
    cv2x_ego e;
    size_t n, left;
    uint8_t b[8] = {0};
    CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
    CHECK_RC(cv2x_stack_set_verifier(s, v), CV2X_OK);
    CHECK_RC(cv2x_test_panic_stack(s, lab_time(0)), CV2X_ERR_PANIC);
    CHECK_RC(cv2x_stack_poll(s, lab_time(100), ev, 4, &n, &left), CV2X_ERR_POISONED);
    CHECK_RC(cv2x_stack_ingest(s, b, sizeof b, CV2X_PAYLOAD_FRAME, 0, lab_time(100), NULL), CV2X_ERR_POISONED);
    CHECK_RC(cv2x_stack_objects(s, o, 2, &n), CV2X_ERR_POISONED);
    CHECK_RC(cv2x_ego_init(&e, lab_time(100), LAT0, LON0, 0, 0), CV2X_OK);
    CHECK_RC(cv2x_stack_set_ego(s, &e), CV2X_ERR_POISONED);
    CHECK_RC(cv2x_test_panic_stack(s, lab_time(0)), CV2X_ERR_POISONED);
    cv2x_stack_free(s);
    {
        /* the verifier works: a malformed certificate gets its security code */
        cv2x_result rc = cv2x_verifier_add_certificate(v, b, sizeof b, NULL);
        CHECK(rc >= 200 && rc < 240);
    }
    cv2x_verifier_free(v);
}

/* One stack used by two threads at once: every call either runs or gets CV2X_ERR_REENTRANT. */
typedef struct {
    cv2x_stack *s;
    int base_ms, errors, ran;
} stack_thread;

static void *stack_worker(void *p) {
    stack_thread *a = (stack_thread *)p;
    int i;
    for (i = 0; i < 300; i++) {
        uint8_t frame[128];
        size_t n = bsm_frame(CAR, 0, 40, 0, a->base_ms + i, frame, sizeof frame), w, left;
        cv2x_event ev[8];
        cv2x_result rc = cv2x_stack_ingest(a->s, frame, n, CV2X_PAYLOAD_FRAME, 111, lab_time(a->base_ms + i), NULL);
        if (rc == CV2X_OK) a->ran++;
        else if (rc != CV2X_ERR_REENTRANT) {
            a->errors++;
            fprintf(stderr, "  thread: ingest %s\n", cv2x_result_name(rc));
        }
        rc = cv2x_stack_drain(a->s, ev, 8, &w, &left);
        if (rc != CV2X_OK && rc != CV2X_ERR_REENTRANT) {
            a->errors++;
            fprintf(stderr, "  thread: drain %s\n", cv2x_result_name(rc));
        }
    }
    return NULL;
}

void test_stack_threads(void) {
    cv2x_stack *s = new_stack(0, CV2X_APPS_ALL);
    pthread_t t[2];
    stack_thread a[2];
    int i;
    /* at the same time: no error but CV2X_ERR_REENTRANT */
    for (i = 0; i < 2; i++) {
        a[i].s = s;
        a[i].base_ms = 1000 * i;
        a[i].errors = 0;
        a[i].ran = 0;
        CHECK(pthread_create(&t[i], NULL, stack_worker, &a[i]) == 0);
    }
    for (i = 0; i < 2; i++) {
        CHECK(pthread_join(t[i], NULL) == 0);
        CHECK(a[i].errors == 0);
    }
    CHECK(a[0].ran + a[1].ran > 0);
    /* one after the other: the stack moves between threads */
    for (i = 0; i < 2; i++) {
        a[i].base_ms = 3000 + 1000 * i;
        a[i].ran = 0;
        CHECK(pthread_create(&t[i], NULL, stack_worker, &a[i]) == 0);
        CHECK(pthread_join(t[i], NULL) == 0);
        CHECK(a[i].errors == 0 && a[i].ran == 300);
    }
    cv2x_stack_free(s);
}

/* Counters of `s` (the whole current struct). */
static cv2x_stack_counters counters_of(cv2x_stack *s) {
    cv2x_stack_counters c;
    memset(&c, 0, sizeof c);
    c.struct_size = (uint32_t)sizeof c;
    CHECK_RC(cv2x_stack_get_counters(s, &c), CV2X_OK);
    return c;
}

/* Message-set generations: a real 2019 MAP and RSI (a vendor's roadside frames, which the 2017
 * and 2020 sets cannot read) are read by detection with the 2019 set, counted, and their lifts
 * reported; a rule naming another set for their sender or AID drops them as decode failures
 * (a rule is not second-guessed); a stack accepting only 2020 drops them; without detection
 * the default set reads every frame. */
void test_stack_generations(void) {
    static const uint8_t RADIO[8] = {0, 0, 0, 0, 0, 0x0a, 0x0b, 0x0c};
    static const uint8_t OTHER[8] = {0, 0, 0, 0, 0, 0x0a, 0x0b, 0x0d};
    size_t n_map = 0, n_rsi = 0, n_lossy = 0, k, i;
    unsigned char *map = read_hex_file("capi/tests/data/hisense_2019_map.hex", &n_map);
    unsigned char *rsi = read_hex_file("capi/tests/data/hisense_2019_rsi.hex", &n_rsi);
    unsigned char *lossy = read_hex_file("capi/tests/data/csae53_2019_map_lifted.hex", &n_lossy);
    cv2x_stack *s = NULL;
    cv2x_stack_config cfg;
    cv2x_ingest_outcome o;
    cv2x_stack_counters c;
    cv2x_event ev[64];
    int lifted = 0;
    if (map == NULL || rsi == NULL || lossy == NULL) {
        CHECK(map != NULL && rsi != NULL && lossy != NULL);
        free(map);
        free(rsi);
        free(lossy);
        return;
    }
    /* detection */
    s = new_stack(0, CV2X_APPS_ALL);
    CHECK_RC(cv2x_stack_ingest(s, map, n_map, CV2X_PAYLOAD_FRAME, 0, lab_time(0), &o), CV2X_OK);
    CHECK(o.accepted == 1 && o.message == CV2X_INGESTED_MAP && o.message_set == CV2X_STD_CSAE53_2019);
    CHECK_RC(cv2x_stack_ingest_from(s, rsi, n_rsi, CV2X_PAYLOAD_FRAME, 0, RADIO, lab_time(0), &o), CV2X_OK);
    CHECK(o.accepted == 1 && o.message == CV2X_INGESTED_RSI && o.message_set == CV2X_STD_CSAE53_2019);
    k = poll_at(s, 0, ev, COUNT(ev));
    for (i = 0; i < k; i++) {
        if (ev[i].kind == CV2X_EVENT_AMBIGUOUS) CHECK(0);
        if (ev[i].kind != CV2X_EVENT_LIFTED) continue;
        CHECK(ev[i].set == CV2X_STD_CSAE53_2019 && ev[i].count > 0 && ev[i].time == lab_time(0));
        lifted++;
    }
    c = counters_of(s);
    CHECK(c.frames_2019 == 2 && c.frames_2020 == 0 && c.frames_2017 == 0 && c.ambiguous_frames == 0);
    /* these two lift into the 2020 model without loss */
    CHECK(c.map == 1 && c.rsi == 1 && c.lifted_with_changes == 0 && lifted == 0);
    /* a 2019 MAP (conformance vector) whose lift fills one value: counted and reported */
    CHECK_RC(cv2x_stack_ingest(s, lossy, n_lossy, CV2X_PAYLOAD_FRAME, 0, lab_time(100), &o), CV2X_OK);
    CHECK(o.accepted == 1 && o.message == CV2X_INGESTED_MAP && o.message_set == CV2X_STD_CSAE53_2019);
    k = poll_at(s, 100, ev, COUNT(ev));
    for (i = 0; i < k; i++) {
        if (ev[i].kind != CV2X_EVENT_LIFTED) continue;
        CHECK(ev[i].set == CV2X_STD_CSAE53_2019 && ev[i].count == 1 && ev[i].time == lab_time(100));
        CHECK(ev[i].sets == 0 && ev[i].reserved[0] == 0 && ev[i].reserved[1] == 0);
        lifted++;
    }
    c = counters_of(s);
    CHECK(lifted == 1 && c.lifted_with_changes == 1 && c.frames_2019 == 3);
    {
        /* a first-version counters struct: the second version's fields are not written */
        unsigned char buf[sizeof(cv2x_stack_counters)];
        cv2x_stack_counters v1;
        memset(buf, 0xAB, sizeof buf);
        v1.struct_size = CV2X_STACK_COUNTERS_SIZE_V1;
        memcpy(buf, &v1, 4);
        CHECK_RC(cv2x_stack_get_counters(s, (cv2x_stack_counters *)(void *)buf), CV2X_OK);
        CHECK(buf[CV2X_STACK_COUNTERS_SIZE_V1] == 0xAB && buf[sizeof buf - 1] == 0xAB);
    }
    cv2x_stack_free(s);
    s = NULL;

    /* rules: 2017 for the radio source RADIO, 2020 for AID 3620 */
    {
        cv2x_set_rule r[2];
        memset(r, 0, sizeof r);
        r[0].kind = CV2X_SET_RULE_SOURCE;
        r[0].set = CV2X_STD_CSAE53_2017;
        memcpy(r[0].id, RADIO, 8);
        r[1].kind = CV2X_SET_RULE_AID;
        r[1].set = CV2X_STD_CSAE53_2020;
        r[1].aid = 3620;
        CHECK_RC(cv2x_stack_new_with_set_rules(NULL, r, 2, &s), CV2X_OK);
        CHECK_RC(cv2x_stack_ingest_from(s, map, n_map, CV2X_PAYLOAD_FRAME, 0, RADIO, lab_time(0), &o), CV2X_OK);
        CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_DECODE && o.message_set == 0);
        CHECK_RC(cv2x_stack_ingest(s, map, n_map, CV2X_PAYLOAD_FRAME, 3620, lab_time(0), &o), CV2X_OK);
        CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_DECODE);
        CHECK_RC(cv2x_stack_ingest_from(s, map, n_map, CV2X_PAYLOAD_FRAME, 0, OTHER, lab_time(0), &o), CV2X_OK);
        CHECK(o.accepted == 1 && o.message_set == CV2X_STD_CSAE53_2019);
        CHECK_RC(cv2x_stack_ingest_from(s, rsi, n_rsi, CV2X_PAYLOAD_FRAME, 3621, NULL, lab_time(0), &o), CV2X_OK);
        CHECK(o.accepted == 1 && o.message_set == CV2X_STD_CSAE53_2019 && o.aid == 3621);
        c = counters_of(s);
        CHECK(c.frames_2019 == 2 && c.decode_failed == 2);
        CHECK_RC(cv2x_stack_ingest_from(NULL, rsi, n_rsi, CV2X_PAYLOAD_FRAME, 0, RADIO, lab_time(0), &o),
                 CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_stack_ingest_from(s, NULL, 4, CV2X_PAYLOAD_FRAME, 0, RADIO, lab_time(0), &o),
                 CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_stack_ingest_from(s, rsi, n_rsi, 9, 0, RADIO, lab_time(0), &o), CV2X_ERR_INVALID_PARAMETER);
        cv2x_stack_free(s);
        s = NULL;
        /* bad rules */
        r[1].kind = 9;
        CHECK_RC(cv2x_stack_new_with_set_rules(NULL, r, 2, &s), CV2X_ERR_INVALID_PARAMETER);
        r[1].kind = CV2X_SET_RULE_AID;
        r[1].set = 7;
        CHECK_RC(cv2x_stack_new_with_set_rules(NULL, r, 2, &s), CV2X_ERR_INVALID_PARAMETER);
        r[1].kind = CV2X_SET_RULE_CIRCLE;
        r[1].set = CV2X_STD_CSAE53_2019;
        r[1].lat_deg = 28.1;
        r[1].lon_deg = 112.9;
        r[1].radius_m = -1.0;
        CHECK_RC(cv2x_stack_new_with_set_rules(NULL, r, 2, &s), CV2X_ERR_INVALID_PARAMETER);
        CHECK(s == NULL);
        CHECK_RC(cv2x_stack_new_with_set_rules(NULL, NULL, 1, &s), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_stack_new_with_set_rules(NULL, r, CV2X_MAX_SET_RULES + 1, &s), CV2X_ERR_INVALID_PARAMETER);
        CHECK_RC(cv2x_stack_new_with_set_rules(NULL, r, 1, NULL), CV2X_ERR_NULL_POINTER);
        CHECK_RC(cv2x_stack_new_with_set_rules(NULL, NULL, 0, &s), CV2X_OK);
        cv2x_stack_free(s);
        s = NULL;
    }

    /* only 2020 accepted: the 2019 frames are not read */
    CHECK_RC(cv2x_stack_config_default(&cfg), CV2X_OK);
    cfg.accept_sets = CV2X_SETS_2020;
    CHECK_RC(cv2x_stack_new(&cfg, &s), CV2X_OK);
    CHECK_RC(cv2x_stack_ingest(s, map, n_map, CV2X_PAYLOAD_FRAME, 0, lab_time(0), &o), CV2X_OK);
    CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_DECODE);
    cv2x_stack_free(s);
    s = NULL;
    /* a first-version config (88 octets): the message-set fields past it are defaulted */
    {
        unsigned char buf[sizeof(cv2x_stack_config)];
        CHECK_RC(cv2x_stack_config_default(&cfg), CV2X_OK);
        cfg.struct_size = CV2X_STACK_CONFIG_SIZE_V1;
        cfg.accept_sets = 0; /* invalid, but past the caller's struct */
        memcpy(buf, &cfg, sizeof buf);
        CHECK_RC(cv2x_stack_new((const cv2x_stack_config *)(void *)buf, &s), CV2X_OK);
        CHECK_RC(cv2x_stack_ingest(s, map, n_map, CV2X_PAYLOAD_FRAME, 0, lab_time(0), &o), CV2X_OK);
        CHECK(o.accepted == 1 && o.message_set == CV2X_STD_CSAE53_2019);
        cv2x_stack_free(s);
        s = NULL;
    }
    /* no detection: the default set reads every frame (2019 reads them, 2017 cannot) */
    {
        static const uint32_t defaults[2] = {CV2X_STD_CSAE53_2019, CV2X_STD_CSAE53_2017};
        int d;
        for (d = 0; d < 2; d++) {
            CHECK_RC(cv2x_stack_config_default(&cfg), CV2X_OK);
            cfg.set_flags = CV2X_SETS_REPORT;
            cfg.default_set = defaults[d];
            CHECK_RC(cv2x_stack_new(&cfg, &s), CV2X_OK);
            CHECK_RC(cv2x_stack_ingest(s, rsi, n_rsi, CV2X_PAYLOAD_FRAME, 0, lab_time(0), &o), CV2X_OK);
            if (d == 0) CHECK(o.accepted == 1 && o.message_set == CV2X_STD_CSAE53_2019);
            else CHECK(o.accepted == 0 && o.drop.reason == CV2X_DROP_DECODE);
            cv2x_stack_free(s);
            s = NULL;
        }
    }
    free(map);
    free(rsi);
    free(lossy);
}

/* A stack verifying on demand (sampling off for the test's length) with the lab verifier. */
static cv2x_stack *on_demand_stack(cv2x_verifier *v) {
    cv2x_stack_config c;
    cv2x_stack *s = NULL;
    CHECK_RC(cv2x_stack_config_default(&c), CV2X_OK);
    c.origin_lat_deg = LAT0;
    c.origin_lon_deg = LON0;
    c.verify_policy = CV2X_VERIFY_ON_DEMAND;
    c.verify_sample_interval_ms = 3600000;
    CHECK_RC(cv2x_stack_new(&c, &s), CV2X_OK);
    if (s) CHECK_RC(cv2x_stack_set_verifier(s, v), CV2X_OK);
    return s;
}

/* The flags of CAR's object after the last poll; 0 when it is not among the objects (then
 * *found = 0). */
static uint32_t car_flags(cv2x_stack *s, int *found) {
    cv2x_object objs[16];
    size_t n = 0, i;
    *found = 0;
    CHECK_RC(cv2x_stack_objects(s, objs, COUNT(objs), &n), CV2X_OK);
    for (i = 0; i < n; i++) {
        if ((objs[i].present & CV2X_OBJECT_HAS_VEHICLE_ID) && memcmp(objs[i].vehicle_id, CAR, 8) == 0) {
            *found = 1;
            return objs[i].flags;
        }
    }
    return 0;
}

/* Verify on demand: a signed car's BSMs are used before their signature is verified, its
 * object is reported unverified until a warning needs it, then verified; a message with a
 * flipped signature octet is taken back (CV2X_DROP_RETRACTED with the security code) and the
 * warning resting on it withheld; configs of the older sizes keep verifying every message. */
void test_stack_verify_on_demand(void) {
    lab_pki p;
    cv2x_signer *signer = NULL;
    cv2x_verifier *v;
    cv2x_stack *s;
    cv2x_stack_counters c;
    cv2x_stack_usage u;
    cv2x_ingest_outcome o;
    cv2x_event ev[32];
    uint8_t frame[128], spdu[512];
    size_t n, sn, k, i;
    int64_t ms, raised_ms = -1, tampered_ms = -1;
    int found, unverified_before = 0, verified_at_raise = 0, kept_seen = 0, retracted_events = 0;
    uint32_t fcw_id = 0;
    if (!load_lab("sm2", &p)) {
        CHECK(0);
        free_lab(&p);
        return;
    }
    CHECK_RC(cv2x_signer_new(CV2X_KEY_ALG_SM2, p.key, p.cert, p.cert_len, &signer), CV2X_OK);
    v = lab_verifier(&p, NULL, 1);
    s = on_demand_stack(v);
    /* the ego at 20 m/s from 100 m behind a stopped car; the car's BSMs signed */
    for (ms = 0; ms <= 4000; ms += 100) {
        int tamper = raised_ms >= 0 && tampered_ms < 0 && ms >= raised_ms + 300;
        set_ego_at(s, ms, 0.0, -40.0 + 20.0 * (double)ms / 1000.0, 20.0);
        n = bsm_frame(CAR, 0.0, 60.0, 0.0, ms, frame, sizeof frame);
        CHECK_RC(cv2x_signer_sign(signer, frame, n, 111, lab_time(ms), spdu, sizeof spdu, &sn), CV2X_OK);
        if (tamper) {
            spdu[sn - 3] ^= 0x40;
            tampered_ms = ms;
        }
        CHECK_RC(cv2x_stack_ingest(s, spdu, sn, CV2X_PAYLOAD_SPDU, 111, lab_time(ms), &o), CV2X_OK);
        /* used at once, the flipped one too: its signer is known and the cheap checks pass */
        CHECK(o.accepted == 1 && o.message == CV2X_INGESTED_BSM);
        c = counters_of(s);
        if (ms == 0) CHECK(c.deferred == 0 && c.verified == 1); /* a new sender: verified on receipt */
        if (ms == 500) CHECK(c.deferred == 5 && c.verified == 1);
        memset(&u, 0, sizeof u);
        CHECK_RC(cv2x_stack_get_usage(s, &u), CV2X_OK);
        CHECK(u.senders == 1);
        if (u.unverified_senders == 1 && u.kept_bytes >= sn) kept_seen = 1;
        k = poll_at(s, ms, ev, COUNT(ev));
        for (i = 0; i < k; i++) {
            if (ev[i].kind == CV2X_EVENT_WARNING && ev[i].warning.app == CV2X_APP_FCW && raised_ms < 0) {
                raised_ms = ms;
                fcw_id = ev[i].warning.id;
                c = counters_of(s);
                CHECK(c.verified_for_warnings >= 1);
                verified_at_raise = (car_flags(s, &found) & CV2X_OBJECT_VERIFIED) != 0 && found;
            }
            if (ev[i].kind == CV2X_EVENT_DROPPED && ev[i].drop.reason == CV2X_DROP_RETRACTED) {
                CHECK(ev[i].drop.detail == CV2X_ERR_SEC_MESSAGE_SIGNATURE_INVALID);
                CHECK(ms == tampered_ms);
                retracted_events++;
            }
        }
        if (raised_ms < 0 && ms >= 300 && !(car_flags(s, &found) & CV2X_OBJECT_VERIFIED) && found)
            unverified_before = 1;
        if (tampered_ms >= 0 && ms == tampered_ms) {
            /* the warning resting on the forged message is withheld, the data taken back */
            c = counters_of(s);
            CHECK(c.retracted == 1 && c.warnings_withheld >= 1);
            CHECK(c.verified_for_warnings >= 2);
        }
        if (tampered_ms >= 0 && ms > tampered_ms) {
            /* quarantined: every later message is verified on receipt */
            c = counters_of(s);
            CHECK(c.deferred == (uint64_t)(tampered_ms / 100));
            memset(&u, 0, sizeof u);
            CHECK_RC(cv2x_stack_get_usage(s, &u), CV2X_OK);
            CHECK(u.unverified_senders == 0 && u.kept_bytes == 0);
        }
    }
    CHECK(unverified_before && kept_seen);
    CHECK(raised_ms > 0 && fcw_id != 0 && verified_at_raise);
    CHECK(tampered_ms > raised_ms && retracted_events == 1);
    c = counters_of(s);
    CHECK(c.received == c.accepted + c.dropped && c.retracted == 1);
    {
        /* a second-version counters struct: the third version's fields are not written */
        unsigned char buf[sizeof(cv2x_stack_counters)];
        cv2x_stack_counters v2;
        memset(buf, 0xAB, sizeof buf);
        v2.struct_size = CV2X_STACK_COUNTERS_SIZE_V2;
        memcpy(buf, &v2, 4);
        CHECK_RC(cv2x_stack_get_counters(s, (cv2x_stack_counters *)(void *)buf), CV2X_OK);
        CHECK(buf[CV2X_STACK_COUNTERS_SIZE_V2] == 0xAB && buf[sizeof buf - 1] == 0xAB);
    }
    cv2x_stack_free(s);

    /* configs of the first and second sizes: the policy past them is the default, verify
     * every message */
    {
        static const uint32_t sizes[2] = {CV2X_STACK_CONFIG_SIZE_V1, CV2X_STACK_CONFIG_SIZE_V2};
        int z;
        for (z = 0; z < 2; z++) {
            unsigned char buf[sizeof(cv2x_stack_config)];
            cv2x_stack_config cfg;
            s = NULL;
            CHECK_RC(cv2x_stack_config_default(&cfg), CV2X_OK);
            cfg.struct_size = sizes[z];
            cfg.origin_lat_deg = LAT0;
            cfg.origin_lon_deg = LON0;
            cfg.verify_policy = 77; /* invalid, but past the caller's struct */
            memcpy(buf, &cfg, sizeof buf);
            CHECK_RC(cv2x_stack_new((const cv2x_stack_config *)(void *)buf, &s), CV2X_OK);
            CHECK_RC(cv2x_stack_set_verifier(s, v), CV2X_OK);
            for (ms = 5000 + 1000 * z; ms < 5300 + 1000 * z; ms += 100) {
                n = bsm_frame(CAR, 0.0, 60.0, 0.0, ms, frame, sizeof frame);
                CHECK_RC(cv2x_signer_sign(signer, frame, n, 111, lab_time(ms), spdu, sizeof spdu, &sn), CV2X_OK);
                CHECK_RC(cv2x_stack_ingest(s, spdu, sn, CV2X_PAYLOAD_SPDU, 111, lab_time(ms), &o), CV2X_OK);
                CHECK(o.accepted == 1);
                poll_at(s, ms, ev, COUNT(ev));
            }
            c = counters_of(s);
            CHECK(c.deferred == 0 && c.verified == 3 && c.retracted == 0);
            memset(&u, 0xEE, sizeof u);
            CHECK_RC(cv2x_stack_get_usage(s, &u), CV2X_OK);
            CHECK(u.senders == 0 && u.unverified_senders == 0 && u.kept_bytes == 0 && u.reserved[3] == 0);
            CHECK((car_flags(s, &found) & CV2X_OBJECT_VERIFIED) != 0 && found);
            cv2x_stack_free(s);
        }
    }
    cv2x_verifier_free(v);
    cv2x_signer_free(signer);
    free_lab(&p);
}
