/* Helpers of the C tests: a tiny check harness, files, hex, vector lines. C99. */
#ifndef CV2X_TEST_COMMON_H
#define CV2X_TEST_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cv2x.h"

extern int g_failed_checks;

/* Records a failed check with its place; the test goes on. */
#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            g_failed_checks++;                                                  \
        }                                                                       \
    } while (0)

/* Checks that a call returns the expected code, naming both on failure. */
#define CHECK_RC(call, want)                                                    \
    do {                                                                        \
        cv2x_result rc_ = (call);                                               \
        if (rc_ != (cv2x_result)(want)) {                                       \
            fprintf(stderr, "  %s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__, \
                    #call, cv2x_result_name(rc_), cv2x_result_name((cv2x_result)(want))); \
            g_failed_checks++;                                                  \
        }                                                                       \
    } while (0)

/* The repository root (argv[1]); data paths are relative to it. */
extern const char *g_root;

/* Reads a whole file (NUL-terminated; the NUL is not counted). NULL when missing. */
unsigned char *read_file(const char *rel, size_t *len);
/* Reads a file of hex digits (whitespace ignored) into bytes. NULL when missing. */
unsigned char *read_hex_file(const char *rel, size_t *len);
/* Decodes `n` hex digits at `hex` into `out` (n/2 bytes); 0 on a bad digit. */
int unhex(const char *hex, size_t n, unsigned char *out);

/* One line of a conformance vector file. Pointers into the line buffer. */
typedef struct {
    const char *type;
    size_t type_len;
    const char *hex;
    size_t hex_len;
    const char *jer; /* the "jer" object, or NULL */
    size_t jer_len;
    int reject;      /* "expect":"reject" */
} vector_line;

/* Parses the next line from *cursor (advanced); 0 at the end. */
int next_vector(char **cursor, vector_line *v);

/* The integer after the first occurrence of `key` (e.g. "\"lat\":") in [s, s+n); 0 when
 * absent (then *found = 0). */
long long json_int_after(const char *s, size_t n, const char *key, int *found);

/* The first occurrence of `key` in [s, s+n), or NULL. */
const char *find_in(const char *s, size_t n, const char *key);

/* A lab PKI of capi/tests/data (root, CA, signer certificate and its 32-octet private key). */
typedef struct {
    unsigned char *root, *ca, *cert, *key;
    size_t root_len, ca_len, cert_len, key_len;
} lab_pki;

/* Loads capi/tests/data/lab_<alg> ("sm2" or "p256"); 0 when a file is missing. */
int load_lab(const char *alg, lab_pki *p);
void free_lab(lab_pki *p);
/* A verifier trusting the lab root, knowing its CA (and the signer certificate when
 * with_signer), with the crypto backend `b` (NULL: software). */
cv2x_verifier *lab_verifier(const lab_pki *p, const cv2x_crypto_backend *b, int with_signer);

/* TAI us since 2004 of 2026-01-01T00:01:00Z + ms: inside the lab PKIs' validity. */
int64_t lab_time(int64_t ms);
/* secMark (ms within the UTC minute) of lab_time(ms). */
uint32_t lab_sec_mark(int64_t ms);

#endif
