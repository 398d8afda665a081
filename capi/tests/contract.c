/* The fixed contract: programs outside the repository compile against exactly these
 * declarations. Redeclaring them after cv2x.h makes any difference in a name, a parameter or a
 * return type a compile error, and the struct fields they name must exist with these types.
 * C99.
 * `uint8_t id8[8]` as a parameter is the type `uint8_t *` that the header declares; GCC's
 * -Warray-parameter notes the different spelling, so it is off for this file. */
#include <stddef.h>
#include <stdint.h>

#include "cv2x.h"

const char *cv2x_version(void);
const char *cv2x_result_name(cv2x_result code);
const char *cv2x_strerror(cv2x_result code);
int64_t cv2x_time_from_unix_utc_ms(int64_t unix_ms);

cv2x_result cv2x_frame_decode(const uint8_t *uper, size_t len, cv2x_frame **out, cv2x_codec_error *err);
cv2x_result cv2x_frame_encode(const cv2x_frame *f, uint8_t *out, size_t cap, size_t *out_len);
cv2x_result cv2x_frame_to_jer(const cv2x_frame *f, char *out, size_t cap, size_t *out_len);
cv2x_result cv2x_frame_from_jer(const char *json, size_t len, cv2x_frame **out, cv2x_codec_error *err);
uint32_t cv2x_frame_kind(const cv2x_frame *f);
void cv2x_frame_free(cv2x_frame *f);
cv2x_result cv2x_frame_get_bsm(const cv2x_frame *f, cv2x_bsm *out);

cv2x_result cv2x_verifier_config_default(cv2x_verifier_config *out);
cv2x_result cv2x_verifier_new(const cv2x_verifier_config *c, cv2x_verifier **out);
cv2x_result cv2x_verifier_add_trust_anchor(cv2x_verifier *v, const uint8_t *coer, size_t len, uint8_t id8[8]);
cv2x_result cv2x_verifier_add_certificate(cv2x_verifier *v, const uint8_t *coer, size_t len, uint8_t id8[8]);
cv2x_result cv2x_verifier_verify(cv2x_verifier *v, const uint8_t *spdu, size_t len, int64_t now, cv2x_verify_report *out);
void cv2x_verifier_free(cv2x_verifier *v);

cv2x_result cv2x_stack_config_default(cv2x_stack_config *out);
cv2x_result cv2x_stack_new(const cv2x_stack_config *c, cv2x_stack **out);
cv2x_result cv2x_stack_set_verifier(cv2x_stack *s, cv2x_verifier *v);
cv2x_result cv2x_ego_init(cv2x_ego *out, int64_t now, double lat_deg, double lon_deg, double heading_deg, double speed_mps);
cv2x_result cv2x_stack_set_ego(cv2x_stack *s, const cv2x_ego *ego);
cv2x_result cv2x_stack_ingest(cv2x_stack *s, const uint8_t *payload, size_t len, uint32_t kind, uint32_t aid, int64_t now,
                              cv2x_ingest_outcome *out);
cv2x_result cv2x_stack_poll(cv2x_stack *s, int64_t now, cv2x_event *events, size_t cap, size_t *written,
                            size_t *remaining);
void cv2x_stack_free(cv2x_stack *s);

/* constants named by the contract */
static const uint32_t STACK_NAMES[] = {CV2X_PAYLOAD_FRAME, CV2X_PAYLOAD_SPDU, CV2X_EVENT_WARNING,
                                       CV2X_EVENT_WARNING_CLEARED, CV2X_WARNING_RAISED, CV2X_WARNING_UPDATED,
                                       CV2X_APP_FCW, CV2X_APP_ICW, CV2X_APP_RLVW, CV2X_APP_GLOSA, CV2X_APP_VRUCW,
                                       CV2X_LEVEL_ADVISORY, CV2X_LEVEL_WARNING, CV2X_LEVEL_ALERT};
_Static_assert(CV2X_LEVEL_ADVISORY < CV2X_LEVEL_WARNING && CV2X_LEVEL_WARNING < CV2X_LEVEL_ALERT,
               "levels are ordered");

/* the event fields named by the contract, with their types */
void contract_event(const cv2x_event *e);
void contract_event(const cv2x_event *e) {
    const uint32_t *u32[5];
    const cv2x_warning *w = &e->warning;
    u32[0] = &e->kind;
    u32[1] = &w->id;
    u32[2] = &w->app;
    u32[3] = &w->level;
    u32[4] = &w->change;
    (void)u32;
    (void)STACK_NAMES;
}

/* message kinds named by the contract */
static const uint32_t KINDS[] = {CV2X_MSG_BSM, CV2X_MSG_MAP, CV2X_MSG_RSM, CV2X_MSG_SPAT, CV2X_MSG_RSI, CV2X_MSG_DAY2};

/* the struct fields named by the contract, with their types */
void contract_fields(const cv2x_bsm *b, const cv2x_verify_report *r, const cv2x_codec_error *e);
void contract_fields(const cv2x_bsm *b, const cv2x_verify_report *r, const cv2x_codec_error *e) {
    const uint32_t *u32[8];
    const int32_t *i32[2];
    const uint8_t(*id[2])[8];
    const uint64_t *bit = &e->bit_offset;
    const char *path = e->path;
    const cv2x_result *kind = &e->kind;
    u32[0] = &b->msg_cnt;
    u32[1] = &b->sec_mark;
    u32[2] = &b->speed;
    u32[3] = &b->heading;
    u32[4] = &r->result;
    u32[5] = &r->signature_valid;
    u32[6] = &r->payload_offset;
    u32[7] = &r->payload_len;
    i32[0] = &b->lat;
    i32[1] = &b->lon;
    id[0] = &b->id;
    id[1] = &r->signer_id8;
    (void)u32;
    (void)i32;
    (void)id;
    (void)bit;
    (void)path;
    (void)kind;
    (void)KINDS;
}
