/* Times UPER decode + encode of the same realistic encodings with asn1c-generated code.
 * usage: harness NAME HEX [NAME HEX]...   prints "asn1c NAME NS_PER_OP" per message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "BasicSafetyMessage.h"
#include "MapData.h"
#include "RoadsideSafetyMessage.h"
#include "SPAT.h"

static asn_TYPE_descriptor_t *descriptor(const char *name) {
    if (strcmp(name, "BSM") == 0) return &asn_DEF_BasicSafetyMessage;
    if (strcmp(name, "SPAT") == 0) return &asn_DEF_SPAT;
    if (strcmp(name, "MAP") == 0) return &asn_DEF_MapData;
    if (strcmp(name, "RSM") == 0) return &asn_DEF_RoadsideSafetyMessage;
    return NULL;
}

static size_t unhex(const char *hex, unsigned char *out, size_t cap) {
    size_t n = strlen(hex) / 2;
    if (n > cap) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned int b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1) return 0;
        out[i] = (unsigned char)b;
    }
    return n;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* one decode + encode + free; returns the encoded length or -1 */
static long round_trip(asn_TYPE_descriptor_t *td, const unsigned char *in, size_t len,
                       unsigned char *out, size_t cap) {
    void *value = NULL;
    asn_dec_rval_t d = uper_decode_complete(0, td, &value, in, len);
    if (d.code != RC_OK) {
        ASN_STRUCT_FREE(*td, value);
        return -1;
    }
    asn_enc_rval_t e = uper_encode_to_buffer(td, value, out, cap);
    ASN_STRUCT_FREE(*td, value);
    if (e.encoded < 0) return -1;
    return (long)((e.encoded + 7) / 8);
}

int main(int argc, char **argv) {
    static unsigned char in[65536], out[65536];
    /* time each message for about PEER_TARGET_NS nanoseconds (default one second) */
    const char *target_env = getenv("PEER_TARGET_NS");
    double target = target_env ? atof(target_env) : 1e9;
    if (!(target > 0)) target = 1e9;
    for (int a = 1; a + 1 < argc; a += 2) {
        asn_TYPE_descriptor_t *td = descriptor(argv[a]);
        size_t len = unhex(argv[a + 1], in, sizeof in);
        if (!td || len == 0) {
            fprintf(stderr, "bad input for %s\n", argv[a]);
            return 1;
        }
        long n = round_trip(td, in, len, out, sizeof out);
        if (n != (long)len || memcmp(in, out, len) != 0) {
            fprintf(stderr, "%s: asn1c round trip differs (%ld octets)\n", argv[a], n);
            return 1;
        }
        long iters = 1000;
        for (;;) {
            double t0 = now_ns();
            for (long i = 0; i < iters; i++) round_trip(td, in, len, out, sizeof out);
            double dt = now_ns() - t0;
            if (dt > target || iters > 100000000L) {
                printf("asn1c %s %.1f\n", argv[a], dt / (double)iters);
                break;
            }
            iters *= dt < 1e8 ? 10 : 2;
        }
    }
    return 0;
}
