/* Day II through the C ABI: a roadside unit guides the ego's merge from an on-ramp.
 *
 * The ego (temporary id EGO) drives north at 20 m/s on a ramp. From 1 s a roadside unit sends,
 * twice a second, a roadside coordination (RSC, T/CSAE 157-2020) for it: merge into the lane to
 * its left (ramp_in), at 22 m/s, along four guidance points. The RSC is written here as JER and
 * encoded with cv2x_frame_from_jer / cv2x_frame_encode, as a test bench or a simulator would
 * make it. From 3 s another car drives in that lane beside the ego, in the gap the guidance
 * leads into; it sends BSMs. At 5 s the roadside stops: the guidance ends with its lifetime.
 *
 * Each poll's warning events are printed as an advice timeline: the MERGE advice raised with
 * its content (cv2x_stack_warning_detail: behaviour, target lane, suggested speed, until when,
 * the next guidance points), updated to a warning when the gap is taken, cleared when the
 * guidance ends. Exit status 1 if that timeline is not what the scene makes.
 *
 * cc -std=c99 day2.c $(pkg-config --static --cflags --libs cv2x) -o day2 */
#include <stdio.h>
#include <string.h>

#include "cv2x.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const uint8_t EGO[8] = {'E', 'G', 'O', 0, 0, 0, 0, 1};
static const uint8_t CAR[8] = {'C', 'A', 'R', 0, 0, 0, 0, 2};
static const double LAT0 = 31.2, LON0 = 121.5; /* the stack's origin */
static const int64_t T0_UNIX_MS = 1767225600000; /* 2026-01-01T00:00:00Z */

static double lat_at(double y_m) { return LAT0 + y_m / 110850.0; }
static double lon_at(double x_m) { return LON0 + x_m / 95280.0; }
static int32_t deg7(double deg) { return (int32_t)(deg * 1e7 + (deg >= 0 ? 0.5 : -0.5)); }
static int64_t at(int64_t ms) { return cv2x_time_from_unix_utc_ms(T0_UNIX_MS + ms); }
static uint32_t sec_mark(int64_t ms) { return (uint32_t)((T0_UNIX_MS + ms) % 60000); }

static int fail(const char *call, cv2x_result rc) {
    fprintf(stderr, "%s: %s (%s)\n", call, cv2x_result_name(rc), cv2x_strerror(rc));
    return 1;
}

/* The roadside's coordination at `ms` with the ego at `ego_y`: merge left (ramp_in, lane 2 of
 * link 10 -> 11) at 22 m/s through four points ahead, each 1 s apart (lifetime 0.6 s). */
static cv2x_result rsc_frame(int64_t ms, double ego_y, uint8_t *out, size_t cap, size_t *len) {
    char jer[2048];
    cv2x_frame *f = NULL;
    cv2x_result rc;
    int n = snprintf(jer, sizeof jer,
                     "{\"msgFrameExt\":{\"messageId\":11,\"value\":{\"msgCnt\":%d,\"id\":\"5253550000000009\","
                     "\"secMark\":%u,\"refPos\":{\"lat\":%d,\"long\":%d},\"coordinates\":[{\"vehId\":"
                     "\"45474F0000000001\",\"driveSuggestion\":{\"suggestion\":\"1000\",\"lifeTime\":60,"
                     "\"relatedLink\":{\"upstreamNodeId\":{\"id\":10},\"downstreamNodeId\":{\"id\":11},"
                     "\"referenceLanes\":\"2000\"}},\"pathGuidance\":["
                     "{\"pos\":{\"offsetLL\":{\"position-LL3\":{\"lon\":0,\"lat\":%d}}},\"speed\":1100,\"estimatedTime\":100},"
                     "{\"pos\":{\"offsetLL\":{\"position-LL3\":{\"lon\":%d,\"lat\":%d}}},\"speed\":1100,\"estimatedTime\":200},"
                     "{\"pos\":{\"offsetLL\":{\"position-LL3\":{\"lon\":%d,\"lat\":%d}}},\"speed\":1100,\"estimatedTime\":300},"
                     "{\"pos\":{\"offsetLL\":{\"position-LL3\":{\"lon\":%d,\"lat\":%d}}},\"speed\":1100,\"estimatedTime\":400}"
                     "],\"info\":\"40\"}]}}}",
                     (int)((ms / 500) % 128), sec_mark(ms), deg7(lat_at(ego_y)), deg7(lon_at(0.0)),
                     deg7(22.0 / 110850.0), -deg7(1.75 / 95280.0), deg7(44.0 / 110850.0),
                     -deg7(3.5 / 95280.0), deg7(66.0 / 110850.0), -deg7(3.5 / 95280.0), deg7(88.0 / 110850.0));
    if (n <= 0 || (size_t)n >= sizeof jer) return CV2X_ERR_INVALID_PARAMETER;
    rc = cv2x_frame_from_jer(jer, (size_t)n, &f, NULL);
    if (rc != CV2X_OK) return rc;
    rc = cv2x_frame_encode(f, out, cap, len);
    cv2x_frame_free(f);
    return rc;
}

/* A BSM of the car in the target lane (3.5 m left of the ego's line) at `y_m`, 20 m/s north. */
static cv2x_result car_frame(int64_t ms, double y_m, uint8_t *out, size_t cap, size_t *len) {
    cv2x_bsm b;
    cv2x_result rc = cv2x_bsm_init(&b);
    if (rc != CV2X_OK) return rc;
    memcpy(b.id, CAR, 8);
    b.msg_cnt = (uint32_t)((ms / 100) % 128);
    b.sec_mark = sec_mark(ms);
    b.lat = deg7(lat_at(y_m));
    b.lon = deg7(lon_at(-3.5));
    b.speed = (uint32_t)(20.0 / 0.02);
    b.heading = 0;
    b.transmission = 2;
    b.width = 180;
    b.length = 450;
    b.vehicle_class = 10;
    b.present |= CV2X_BSM_HAS_POS_CONFIDENCE;
    b.pos_confidence = 9;
    return cv2x_bsm_encode(CV2X_STD_CSAE53_2020, &b, out, cap, len);
}

static const char *change_name(uint32_t change) {
    switch (change) {
    case CV2X_WARNING_RAISED: return "raised ";
    case CV2X_WARNING_UPDATED: return "updated";
    case CV2X_WARNING_CLEARED: return "cleared";
    default: return "active ";
    }
}

static const char *level_name(uint32_t level) {
    switch (level) {
    case CV2X_LEVEL_ADVISORY: return "advisory";
    case CV2X_LEVEL_WARNING: return "warning";
    case CV2X_LEVEL_ALERT: return "alert";
    default: return "?";
    }
}

/* What the advice says (its detail, while it is active). */
static void print_detail(cv2x_stack *stack, uint32_t id, int64_t now) {
    cv2x_warning_detail d;
    uint32_t i;
    memset(&d, 0, sizeof d);
    d.struct_size = (uint32_t)sizeof d;
    if (cv2x_stack_warning_detail(stack, id, &d) != CV2X_OK || d.guidance != CV2X_GUIDANCE_LANE) return;
    printf("           %s", (d.behavior & (1u << 3)) ? "merge from the ramp" : "follow the guidance");
    if (d.present & CV2X_DETAIL_HAS_LANE) printf(" into lane %u", d.lane);
    if (d.present & CV2X_DETAIL_HAS_SPEED) printf(" at %.0f km/h", d.speed_mps * 3.6);
    if (d.present & CV2X_DETAIL_HAS_END) printf(", for %.1f s", (double)(d.end - now) / 1e6);
    if (d.flags & CV2X_DETAIL_GAP_TAKEN) printf(" - the gap is taken by a tracked vehicle");
    printf("\n           next points:");
    for (i = 0; i < d.point_count; i++) printf(" (%.1f, %.1f)", d.point_x_m[i], d.point_y_m[i]);
    printf(" m\n");
}

int main(void) {
    cv2x_stack_config config;
    cv2x_stack *stack = NULL;
    cv2x_result rc;
    int64_t ms;
    int raised = 0, to_warning = 0, cleared = 0, other = 0;
    uint32_t merge_id = 0;

    if ((rc = cv2x_stack_config_default(&config)) != CV2X_OK) return fail("cv2x_stack_config_default", rc);
    config.origin_lat_deg = LAT0;
    config.origin_lon_deg = LON0;
    if ((rc = cv2x_stack_new(&config, &stack)) != CV2X_OK) return fail("cv2x_stack_new", rc);
    if ((rc = cv2x_stack_set_temporary_id(stack, EGO)) != CV2X_OK) return fail("cv2x_stack_set_temporary_id", rc);
    printf("Day II through the C ABI: a roadside unit guides the ego's merge from an on-ramp;\n");
    printf("from 3 s a car drives in the gap the guidance leads into; the roadside stops at 5 s.\n\n");

    for (ms = 0; ms <= 7000; ms += 100) {
        double ego_y = 20.0 * (double)ms / 1000.0;
        uint8_t frame[1024];
        size_t len = 0, n = 0, left = 0, i;
        cv2x_ego ego;
        cv2x_event ev[32];
        if ((rc = cv2x_ego_init(&ego, at(ms), lat_at(ego_y), lon_at(0.0), 0.0, 20.0)) != CV2X_OK)
            return fail("cv2x_ego_init", rc);
        if ((rc = cv2x_stack_set_ego(stack, &ego)) != CV2X_OK) return fail("cv2x_stack_set_ego", rc);
        if (ms >= 1000 && ms < 5000 && ms % 500 == 0) {
            if ((rc = rsc_frame(ms, ego_y, frame, sizeof frame, &len)) != CV2X_OK) return fail("rsc_frame", rc);
            rc = cv2x_stack_ingest(stack, frame, len, CV2X_PAYLOAD_FRAME, 0, at(ms), NULL);
            if (rc != CV2X_OK) return fail("cv2x_stack_ingest", rc);
        }
        if (ms >= 3000) {
            /* alongside the ego in the lane it is to merge into, at its speed */
            double car_y = ego_y + 2.0;
            if ((rc = car_frame(ms, car_y, frame, sizeof frame, &len)) != CV2X_OK) return fail("car_frame", rc);
            rc = cv2x_stack_ingest(stack, frame, len, CV2X_PAYLOAD_FRAME, 111, at(ms), NULL);
            if (rc != CV2X_OK) return fail("cv2x_stack_ingest", rc);
        }
        if ((rc = cv2x_stack_poll(stack, at(ms), ev, COUNT(ev), &n, &left)) != CV2X_OK)
            return fail("cv2x_stack_poll", rc);
        for (i = 0; i < n; i++) {
            const cv2x_warning *w = &ev[i].warning;
            if (ev[i].kind != CV2X_EVENT_WARNING && ev[i].kind != CV2X_EVENT_WARNING_CLEARED) continue;
            if (w->app != CV2X_APP_MERGE) {
                other++;
                continue;
            }
            printf("%5.1f s  %s #%u MERGE %s\n", (double)ms / 1000.0, change_name(w->change), w->id,
                   level_name(w->level));
            if (w->change == CV2X_WARNING_RAISED) {
                raised++;
                merge_id = w->id;
            }
            if (w->change == CV2X_WARNING_UPDATED && w->level == CV2X_LEVEL_WARNING) to_warning++;
            if (w->change == CV2X_WARNING_CLEARED) cleared++;
            if (ev[i].kind == CV2X_EVENT_WARNING) print_detail(stack, w->id, at(ms));
        }
    }
    {
        cv2x_stack_counters c;
        memset(&c, 0, sizeof c);
        c.struct_size = (uint32_t)sizeof c;
        if ((rc = cv2x_stack_get_counters(stack, &c)) != CV2X_OK) return fail("cv2x_stack_get_counters", rc);
        printf("\n%llu messages accepted (%llu Day II), %llu dropped; %llu warnings raised, %llu updated, %llu cleared\n",
               (unsigned long long)c.accepted, (unsigned long long)c.day2, (unsigned long long)c.dropped,
               (unsigned long long)c.warnings_raised, (unsigned long long)c.warnings_updated,
               (unsigned long long)c.warnings_cleared);
    }
    cv2x_stack_free(stack);
    if (raised != 1 || to_warning < 1 || cleared != 1 || merge_id == 0) {
        printf("unexpected advice timeline: %d raised, %d to warning, %d cleared\n", raised, to_warning, cleared);
        return 1;
    }
    printf("advice timeline as expected: raised, gap taken, cleared (%d other warnings)\n", other);
    return 0;
}
