/* Helpers of the C tests. C99. */
#include "common.h"

#include <ctype.h>

int g_failed_checks = 0;
const char *g_root = ".";

unsigned char *read_file(const char *rel, size_t *len) {
    char path[1024];
    FILE *f;
    long n;
    unsigned char *buf;
    snprintf(path, sizeof path, "%s/%s", g_root, rel);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "  missing data file %s\n", path);
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = (unsigned char *)malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

static int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int unhex(const char *hex, size_t n, unsigned char *out) {
    size_t i;
    if (n % 2 != 0) return 0;
    for (i = 0; i < n; i += 2) {
        int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return 0;
        out[i / 2] = (unsigned char)((hi << 4) | lo);
    }
    return 1;
}

unsigned char *read_hex_file(const char *rel, size_t *len) {
    size_t n, i, k = 0;
    unsigned char *text = read_file(rel, &n);
    char *digits;
    unsigned char *out;
    if (text == NULL) return NULL;
    digits = (char *)malloc(n + 1);
    out = (unsigned char *)malloc(n / 2 + 1);
    if (digits == NULL || out == NULL) {
        free(text);
        free(digits);
        free(out);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (!isspace(text[i])) digits[k++] = (char)text[i];
    }
    free(text);
    if (!unhex(digits, k, out)) {
        free(digits);
        free(out);
        return NULL;
    }
    free(digits);
    *len = k / 2;
    return out;
}

/* The string value after `key` in the line, as (start, len). */
static const char *string_after(const char *line, const char *end, const char *key, size_t *n) {
    const char *p = strstr(line, key), *q;
    if (p == NULL || p >= end) return NULL;
    p += strlen(key);
    q = strchr(p, '"');
    if (q == NULL || q > end) return NULL;
    *n = (size_t)(q - p);
    return p;
}

int next_vector(char **cursor, vector_line *v) {
    char *line = *cursor, *end, *j;
    if (line == NULL || *line == 0) return 0;
    end = strchr(line, '\n');
    if (end == NULL) end = line + strlen(line);
    *cursor = *end ? end + 1 : end;
    memset(v, 0, sizeof *v);
    v->type = string_after(line, end, "\"type\":\"", &v->type_len);
    v->hex = string_after(line, end, "\"uper_hex\":\"", &v->hex_len);
    v->reject = strstr(line, "\"expect\":\"reject\"") != NULL && strstr(line, "\"expect\":\"reject\"") < end;
    j = strstr(line, "\"jer\":");
    if (j != NULL && j < end) {
        int depth = 0;
        char *p = j + 6;
        v->jer = p;
        for (; p < end; p++) {
            if (*p == '"') {
                for (p++; p < end && *p != '"'; p++) {
                    if (*p == '\\') p++;
                }
            } else if (*p == '{' || *p == '[') {
                depth++;
            } else if (*p == '}' || *p == ']') {
                if (--depth == 0) {
                    v->jer_len = (size_t)(p + 1 - v->jer);
                    break;
                }
            } else if (depth == 0 && (*p == ',' || *p == '}')) {
                v->jer_len = (size_t)(p - v->jer);
                break;
            }
        }
    }
    if (v->type == NULL || v->hex == NULL) return next_vector(cursor, v);
    return 1;
}

long long json_int_after(const char *s, size_t n, const char *key, int *found) {
    size_t klen = strlen(key), i;
    *found = 0;
    for (i = 0; i + klen <= n; i++) {
        if (memcmp(s + i, key, klen) == 0) {
            char buf[32];
            size_t k = 0, j = i + klen;
            while (j < n && k + 1 < sizeof buf && (s[j] == '-' || isdigit((unsigned char)s[j]))) {
                buf[k++] = s[j++];
            }
            buf[k] = 0;
            if (k == 0) return 0;
            *found = 1;
            return strtoll(buf, NULL, 10);
        }
    }
    return 0;
}

const char *find_in(const char *s, size_t n, const char *key) {
    size_t k = strlen(key), i;
    for (i = 0; i + k <= n; i++) {
        if (memcmp(s + i, key, k) == 0) return s + i;
    }
    return NULL;
}

int load_lab(const char *alg, lab_pki *p) {
    char rel[128];
    snprintf(rel, sizeof rel, "capi/tests/data/lab_%s/root.oer", alg);
    p->root = read_file(rel, &p->root_len);
    snprintf(rel, sizeof rel, "capi/tests/data/lab_%s/ca.oer", alg);
    p->ca = read_file(rel, &p->ca_len);
    snprintf(rel, sizeof rel, "capi/tests/data/lab_%s/signer.oer", alg);
    p->cert = read_file(rel, &p->cert_len);
    snprintf(rel, sizeof rel, "capi/tests/data/lab_%s/signer.key", alg);
    p->key = read_hex_file(rel, &p->key_len);
    return p->root && p->ca && p->cert && p->key && p->key_len == 32;
}

void free_lab(lab_pki *p) {
    free(p->root);
    free(p->ca);
    free(p->cert);
    free(p->key);
}

cv2x_verifier *lab_verifier(const lab_pki *p, const cv2x_crypto_backend *b, int with_signer) {
    cv2x_verifier *v = NULL;
    if (b != NULL) {
        CHECK_RC(cv2x_verifier_new_with_backend(NULL, b, &v), CV2X_OK);
    } else {
        CHECK_RC(cv2x_verifier_new(NULL, &v), CV2X_OK);
    }
    CHECK_RC(cv2x_verifier_add_trust_anchor(v, p->root, p->root_len, NULL), CV2X_OK);
    CHECK_RC(cv2x_verifier_add_certificate(v, p->ca, p->ca_len, NULL), CV2X_OK);
    if (with_signer) CHECK_RC(cv2x_verifier_add_certificate(v, p->cert, p->cert_len, NULL), CV2X_OK);
    return v;
}

#define LAB_UNIX_MS 1767225660000LL /* 2026-01-01T00:01:00Z */

int64_t lab_time(int64_t ms) {
    return cv2x_time_from_unix_utc_ms(LAB_UNIX_MS + ms);
}

uint32_t lab_sec_mark(int64_t ms) {
    return (uint32_t)((LAB_UNIX_MS + ms) % 60000);
}
