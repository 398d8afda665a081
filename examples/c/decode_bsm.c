/* Quickstart in C: decode a BSM (a MessageFrame in UPER, T/CSAE 53-2020), read its fields,
 * re-encode it, print its JER, and see a damaged frame rejected with the place of the error.
 *
 *   cc decode_bsm.c $(pkg-config --static --cflags --libs cv2x) -o decode_bsm
 *   ./decode_bsm [HEX]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cv2x.h"

/* A realistic BSM of a car near Beijing. */
static const char *FRAME_HEX =
    "07c4a84946060606060634244666b756bc5855923788e28a0520006610d04e103d7ae8257c47f8095fe82a5972"
    "3c0790a1";

static size_t unhex(const char *hex, unsigned char *out, size_t cap) {
    size_t n = strlen(hex) / 2, i;
    if (n > cap) return 0;
    for (i = 0; i < n; i++) {
        unsigned int b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1) return 0;
        out[i] = (unsigned char)b;
    }
    return n;
}

int main(int argc, char **argv) {
    unsigned char bytes[2048], again[2048];
    char jer[8192];
    size_t len = unhex(argc > 1 ? argv[1] : FRAME_HEX, bytes, sizeof bytes), n = 0;
    cv2x_frame *frame = NULL;
    cv2x_codec_error err;
    cv2x_bsm bsm;
    cv2x_result rc;

    printf("cv2x %s (C ABI %u.%u)\n", cv2x_version(), cv2x_abi_version() >> 16, cv2x_abi_version() & 0xFFFFu);
    rc = cv2x_frame_decode(bytes, len, &frame, &err);
    if (rc != CV2X_OK) {
        fprintf(stderr, "decode failed: %s at bit %llu in %s\n", cv2x_strerror(rc), (unsigned long long)err.bit_offset, err.path);
        return 1;
    }
    rc = cv2x_frame_get_bsm(frame, &bsm);
    if (rc != CV2X_OK) {
        fprintf(stderr, "not a BSM: %s\n", cv2x_result_name(rc));
        cv2x_frame_free(frame);
        return 1;
    }
    printf("BSM from vehicle %02x%02x%02x%02x%02x%02x%02x%02x (message count %u)\n", bsm.id[0], bsm.id[1], bsm.id[2],
           bsm.id[3], bsm.id[4], bsm.id[5], bsm.id[6], bsm.id[7], bsm.msg_cnt);
    printf("  position   %.7f N %.7f E", bsm.lat * 1e-7, bsm.lon * 1e-7);
    if (bsm.present & CV2X_BSM_HAS_ELEVATION) printf(", elevation %.1f m", bsm.elevation * 0.1);
    printf("\n  speed      %.2f m/s (%.1f km/h)\n", bsm.speed * 0.02, bsm.speed * 0.02 * 3.6);
    printf("  heading    %.4f deg\n", bsm.heading * 0.0125);
    printf("  size       %.2f m x %.2f m\n", bsm.length * 0.01, bsm.width * 0.01);
    if (bsm.present & CV2X_BSM_HAS_LIGHTS) {
        printf("  lights     %s%s\n", (bsm.lights & CV2X_LIGHTS_LEFT_TURN_SIGNAL) ? "left-turn " : "",
               (bsm.lights & CV2X_LIGHTS_RIGHT_TURN_SIGNAL) ? "right-turn" : "");
    }

    rc = cv2x_frame_encode(frame, again, sizeof again, &n);
    printf("re-encoded: %zu octets, %s\n", n, rc == CV2X_OK && n == len && memcmp(again, bytes, n) == 0 ? "identical" : "DIFFERENT");
    if (cv2x_frame_to_jer(frame, jer, sizeof jer, &n) == CV2X_OK) printf("JER: %s\n", jer);
    cv2x_frame_free(frame);

    /* the same frame cut short is rejected, with what, where and in which field */
    frame = NULL;
    rc = cv2x_frame_decode(bytes, len / 2, &frame, &err);
    printf("truncated: %s at bit %llu in %s\n", cv2x_result_name(rc), (unsigned long long)err.bit_offset, err.path);
    return rc == CV2X_OK ? 1 : 0;
}
