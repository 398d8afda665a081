/* Quickstart through the C ABI: a signalised intersection end to end with cv2x_stack.
 *
 * The scene of examples/intersection.rs (examples/c/intersection_scene.json): the ego drives
 * north at 54 km/h towards a red light 120 m ahead; car #1 ahead (BSM, RSM and the ego's own
 * lidar) brakes hard at 2 s; pedestrian #2, seen only by the roadside, crosses beyond the stop
 * line. intersection_scene.h holds what a vehicle would receive and measure, step by step: the
 * UPER messages (BSM, RSM, MAP, SPAT) with their AIDs, the ego's states, the lidar's tracks.
 * They go through cv2x_stack at 10 Hz, and the warnings it raises, updates and clears are
 * printed as a timeline with their ids. At the end the timeline is checked against the one the
 * Rust stack gives for the same inputs (exit status 1 if they differ).
 *
 * cc -std=c99 intersection.c $(pkg-config --static --cflags --libs cv2x) -o intersection */
#include <stdio.h>
#include <string.h>

#include "cv2x.h"
#include "intersection_scene.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Hex text to bytes; the number of bytes, 0 on a bad digit or too little room. */
static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
    size_t n = strlen(hex) / 2, i;
    if (n > cap) return 0;
    for (i = 0; i < n; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return 0;
        out[i] = (uint8_t)(hi * 16 + lo);
    }
    return n;
}

static const char *app_name(uint32_t app) {
    switch (app) {
    case CV2X_APP_FCW: return "FCW";
    case CV2X_APP_ICW: return "ICW";
    case CV2X_APP_LTA: return "LTA";
    case CV2X_APP_BSW: return "BSW";
    case CV2X_APP_LCW: return "LCW";
    case CV2X_APP_DNPW: return "DNPW";
    case CV2X_APP_EBW: return "EBW";
    case CV2X_APP_AVW: return "AVW";
    case CV2X_APP_CLW: return "CLW";
    case CV2X_APP_HLW: return "HLW";
    case CV2X_APP_SLW: return "SLW";
    case CV2X_APP_RLVW: return "RLVW";
    case CV2X_APP_VRUCW: return "VRUCW";
    case CV2X_APP_GLOSA: return "GLOSA";
    case CV2X_APP_IVS: return "IVS";
    case CV2X_APP_TJW: return "TJW";
    case CV2X_APP_EVW: return "EVW";
    default: return "other";
    }
}

static const char *what(uint32_t app) {
    switch (app) {
    case CV2X_APP_FCW: return "forward collision";
    case CV2X_APP_ICW: return "intersection collision";
    case CV2X_APP_LTA: return "left-turn conflict";
    case CV2X_APP_BSW: return "vehicle in blind spot";
    case CV2X_APP_LCW: return "lane change conflict";
    case CV2X_APP_DNPW: return "do not pass";
    case CV2X_APP_EBW: return "emergency braking ahead";
    case CV2X_APP_AVW: return "abnormal vehicle";
    case CV2X_APP_CLW: return "vehicle out of control";
    case CV2X_APP_HLW: return "hazard ahead";
    case CV2X_APP_SLW: return "over the speed limit";
    case CV2X_APP_RLVW: return "red light ahead, you will not stop in time";
    case CV2X_APP_VRUCW: return "pedestrian or cyclist conflict";
    case CV2X_APP_GLOSA: return "green wave";
    case CV2X_APP_IVS: return "road sign";
    case CV2X_APP_TJW: return "traffic jam ahead";
    case CV2X_APP_EVW: return "emergency vehicle approaching";
    default: return "other";
    }
}

static const char *level_name(uint32_t level) {
    switch (level) {
    case CV2X_LEVEL_ALERT: return "ALERT! ";
    case CV2X_LEVEL_WARNING: return "WARNING";
    default: return "info   ";
    }
}

static const char *class_name(uint32_t c) {
    switch (c) {
    case 1: return "vehicle";
    case 2: return "cyclist";
    case 3: return "pedestrian";
    default: return "road user";
    }
}

/* What a warning is about, from the stack's object snapshot. */
static void print_target(cv2x_stack *s, const cv2x_warning *w) {
    cv2x_object objects[64];
    size_t n = 0, i;
    if (w->target != CV2X_TARGET_OBJECT) return;
    if (cv2x_stack_objects(s, objects, COUNT(objects), &n) != CV2X_OK) return;
    for (i = 0; i < n; i++) {
        if (objects[i].id == w->track_id) {
            printf(" (the %s tracked as #%u%s)", class_name(objects[i].object_class), w->track_id,
                   (objects[i].present & CV2X_OBJECT_HAS_VEHICLE_ID) ? ", sends BSMs" : "");
            return;
        }
    }
}

static void print_change(cv2x_stack *s, const cv2x_event *e, double t_s) {
    const cv2x_warning *w = &e->warning;
    const char *change = w->change == CV2X_WARNING_RAISED    ? "raised "
                         : w->change == CV2X_WARNING_UPDATED ? "updated"
                                                             : "cleared";
    printf("%5.1f s  [%u] %s ", t_s, w->id, change);
    if (e->kind == CV2X_EVENT_WARNING_CLEARED) {
        printf("%s\n", app_name(w->app));
        return;
    }
    printf("%s %-5s %s", level_name(w->level), app_name(w->app), what(w->app));
    if (w->advice == CV2X_ADVICE_SPEED_RANGE)
        printf(": drive %.0f-%.0f km/h to pass on green", w->advice_min_kph, w->advice_max_kph);
    else if (w->advice == CV2X_ADVICE_KEEP_SPEED)
        printf(": keep your speed, you pass on green");
    else if (w->advice == CV2X_ADVICE_STOP)
        printf(": prepare to stop, green is out of reach");
    print_target(s, w);
    if ((w->present & CV2X_WARNING_HAS_DISTANCE) && (w->present & CV2X_WARNING_HAS_TTC))
        printf(" - %.0f m, %.1f s away", w->distance_m, w->ttc_s);
    else if (w->present & CV2X_WARNING_HAS_DISTANCE)
        printf(" - %.0f m away", w->distance_m);
    else if (w->present & CV2X_WARNING_HAS_TTC)
        printf(" - %.1f s away", w->ttc_s);
    printf("\n");
}

static int fail(const char *call, cv2x_result rc) {
    fprintf(stderr, "%s: %s (%s)\n", call, cv2x_result_name(rc), cv2x_strerror(rc));
    return 1;
}

int main(void) {
    cv2x_stack_config config;
    cv2x_stack *stack = NULL;
    cv2x_result rc;
    int64_t t0 = cv2x_time_from_unix_utc_ms(SCENE_T0_UNIX_MS);
    size_t k, message = 0, track = 0, changes = 0, mismatches = 0;
    size_t kinds[7] = {0};
    uint8_t frame[2048];

    /* What the messages are, with the codec API. */
    for (k = 0; k < COUNT(SCENE_MESSAGES); k++) {
        size_t len = unhex(SCENE_FRAMES[SCENE_MESSAGES[k].frame], frame, sizeof frame);
        cv2x_frame *f = NULL;
        if ((rc = cv2x_frame_decode(frame, len, &f, NULL)) != CV2X_OK) return fail("cv2x_frame_decode", rc);
        kinds[cv2x_frame_kind(f) % 7]++;
        cv2x_frame_free(f);
    }

    cv2x_stack_config_default(&config);
    config.origin_lat_deg = SCENE_ORIGIN_LAT_DEG;
    config.origin_lon_deg = SCENE_ORIGIN_LON_DEG;
    if ((rc = cv2x_stack_new(&config, &stack)) != CV2X_OK) return fail("cv2x_stack_new", rc);
    cv2x_stack_set_temporary_id(stack, SCENE_EGO_ID);

    printf("intersection quickstart through the C ABI: the ego drives north at 54 km/h towards a red\n");
    printf("light 120 m ahead; car #1 ahead brakes hard at 2 s; pedestrian #2 crosses beyond the stop line.\n");
    printf("%zu messages (%zu BSM, %zu RSM, %zu MAP, %zu SPAT) went through cv2x_stack.\n\n",
           COUNT(SCENE_MESSAGES), kinds[CV2X_MSG_BSM], kinds[CV2X_MSG_RSM], kinds[CV2X_MSG_MAP],
           kinds[CV2X_MSG_SPAT]);

    for (k = 0; k < COUNT(SCENE_STEPS); k++) {
        const scene_step *st = &SCENE_STEPS[k];
        int64_t now = t0 + st->offset_us;
        cv2x_ego ego;
        cv2x_event events[32];
        size_t written = 0, left = 0, i;

        /* 1. the ego's state, from its GNSS and ECUs */
        cv2x_ego_init(&ego, now, st->lat_deg, st->lon_deg, st->heading_deg, st->speed_mps);
        ego.present |= CV2X_EGO_HAS_ACCURACY | CV2X_EGO_HAS_HEADING_ACCURACY | CV2X_EGO_HAS_YAW_RATE |
                       CV2X_EGO_HAS_ACCEL_LONG | CV2X_EGO_HAS_SIZE | CV2X_EGO_HAS_LIGHTS;
        ego.semi_major_m = ego.semi_minor_m = 0.5;
        ego.heading_accuracy_deg_95 = 1.96;
        ego.yaw_rate_dps = st->yaw_rate_dps;
        ego.accel_long_mps2 = st->accel_mps2;
        ego.length_m = SCENE_EGO_LENGTH_M;
        ego.width_m = SCENE_EGO_WIDTH_M;
        ego.lights = 0;
        if ((rc = cv2x_stack_set_ego(stack, &ego)) != CV2X_OK) return fail("cv2x_stack_set_ego", rc);

        /* 2. the messages received since the last step (a drop is data, not an error) */
        for (i = 0; i < st->messages; i++, message++) {
            size_t len = unhex(SCENE_FRAMES[SCENE_MESSAGES[message].frame], frame, sizeof frame);
            cv2x_ingest_outcome outcome;
            rc = cv2x_stack_ingest(stack, frame, len, CV2X_PAYLOAD_FRAME, SCENE_MESSAGES[message].aid, now, &outcome);
            if (rc != CV2X_OK) return fail("cv2x_stack_ingest", rc);
        }

        /* 3. the lidar's tracks */
        if (st->tracks > 0) {
            cv2x_track tracks[4];
            for (i = 0; i < st->tracks && i < COUNT(tracks); i++, track++) {
                const scene_track *t = &SCENE_TRACKS[track];
                cv2x_track_init(&tracks[i]);
                tracks[i].present = CV2X_TRACK_HAS_YAW_RATE | CV2X_TRACK_HAS_ACCEL | CV2X_TRACK_HAS_SIZE;
                tracks[i].position_kind = CV2X_POSITION_EGO;
                tracks[i].motion_kind = CV2X_MOTION_SPEED_HEADING;
                tracks[i].object_class = 1; /* motor vehicle */
                tracks[i].source_type = 6;  /* lidar */
                tracks[i].object_id = t->object_id;
                tracks[i].time = now;
                tracks[i].x_m = t->x_m;
                tracks[i].y_m = t->y_m;
                tracks[i].speed_mps = t->speed_mps;
                tracks[i].heading_deg = t->heading_deg;
                tracks[i].yaw_rate_dps = t->yaw_rate_dps;
                tracks[i].accel_mps2 = t->accel_mps2;
                tracks[i].length_m = t->length_m;
                tracks[i].width_m = t->width_m;
            }
            rc = cv2x_stack_add_onboard_tracks(stack, tracks, i, now, NULL);
            if (rc != CV2X_OK) return fail("cv2x_stack_add_onboard_tracks", rc);
        }

        /* 4. one application cycle: the warnings' changes */
        do {
            rc = cv2x_stack_poll(stack, now, events, COUNT(events), &written, &left);
            if (rc != CV2X_OK) return fail("cv2x_stack_poll", rc);
            for (i = 0; i < written; i++) {
                const cv2x_event *e = &events[i];
                if (e->kind != CV2X_EVENT_WARNING && e->kind != CV2X_EVENT_WARNING_CLEARED) continue;
                print_change(stack, e, (double)st->offset_us / 1e6);
                if (changes < COUNT(SCENE_TIMELINE)) {
                    const scene_change *want = &SCENE_TIMELINE[changes];
                    if (want->step != k || want->change != e->warning.change || want->id != e->warning.id ||
                        want->app != e->warning.app || want->level != e->warning.level)
                        mismatches++;
                } else {
                    mismatches++;
                }
                changes++;
            }
        } while (left > 0);

        if (k == 10) {
            cv2x_lane lane;
            if (cv2x_stack_lane(stack, &lane) == CV2X_OK)
                printf("%5.1f s  (on lane %u of intersection %u, %.0f m to the stop line)\n",
                       (double)st->offset_us / 1e6, lane.lane_id, lane.intersection_id, lane.distance_to_stop_m);
        }
    }
    {
        cv2x_stack_counters c;
        c.struct_size = sizeof c;
        cv2x_stack_get_counters(stack, &c);
        printf("\n%llu messages accepted, %llu dropped; %llu warnings raised, %llu updated, %llu cleared\n",
               (unsigned long long)c.accepted, (unsigned long long)c.dropped, (unsigned long long)c.warnings_raised,
               (unsigned long long)c.warnings_updated, (unsigned long long)c.warnings_cleared);
    }
    cv2x_stack_free(stack);
    if (mismatches > 0 || changes != COUNT(SCENE_TIMELINE)) {
        printf("the timeline differs from the Rust stack's (%zu changes, %zu expected, %zu differ)\n", changes,
               COUNT(SCENE_TIMELINE), mismatches);
        return 1;
    }
    printf("the same timeline as the Rust stack: %zu changes\n", changes);
    return 0;
}
