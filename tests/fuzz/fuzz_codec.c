/*
 * fuzz_codec.c - libFuzzer target for the store's value decoders
 *
 * A damaged record must be an error, never a crash: the first byte picks
 * the decoder (list, generation, row, state, config, event), the rest is
 * the value (an event's key is the next byte's count of octets, then its
 * value).  A value that decodes is encoded again and must decode to the
 * same record.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden/error.h"
#include "store_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lw_buf b = { 0 }, k = { 0 }, strs = { 0 }, strs2 = { 0 };
	struct lw_list *l = NULL, *l2 = NULL;
	struct lw_state_rec st, st2;
	struct lw_policy pol, pol2;
	struct lw_log_event e, e2;
	struct lw_gen_rec g, g2;
	const char *key, *raw, *key2, *raw2;
	size_t kn, rn, kn2, rn2;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0:
		if (lw_list_decode("list", 4, data + 1, size - 1, &l) != LW_OK)
			break;
		if (lw_list_encode(&b, l) != LW_OK ||
		    lw_list_decode("list", 4, b.p, b.len, &l2) != LW_OK ||
		    l2->gen != l->gen || l2->rows != l->rows ||
		    l2->header_len != l->header_len ||
		    memcmp(l2->header, l->header, l->header_len) != 0)
			abort();
		break;
	case 1:
		if (lw_gen_decode(data + 1, size - 1, &g) != LW_OK)
			break;
		if (lw_gen_encode(&b, &g) != LW_OK ||
		    lw_gen_decode(b.p, b.len, &g2) != LW_OK ||
		    g2.state != g.state || g2.pid != g.pid ||
		    strcmp(g2.name, g.name) != 0)
			abort();
		break;
	case 3:
		if (lw_state_decode(data + 1, size - 1, &st) != LW_OK)
			break;
		if (lw_state_encode(&b, &st) != LW_OK ||
		    lw_state_decode(b.p, b.len, &st2) != LW_OK ||
		    memcmp(&st.st, &st2.st, sizeof(st.st)) != 0 ||
		    st2.policy_events != st.policy_events ||
		    st2.first_event != st.first_event ||
		    st2.last_event != st.last_event)
			abort();
		break;
	case 4:
		if (lw_config_decode(data + 1, size - 1, &pol) != LW_OK)
			break;
		if (lw_config_encode(&b, &pol) != LW_OK ||
		    lw_config_decode(b.p, b.len, &pol2) != LW_OK ||
		    pol2.soft_threshold != pol.soft_threshold ||
		    pol2.window_days != pol.window_days ||
		    pol2.expiry_days != pol.expiry_days ||
		    (pol2.per_day != 0) != (pol.per_day != 0) ||
		    (pol2.delivery_resets != 0) != (pol.delivery_resets != 0))
			abort();
		break;
	case 5:
		if (size < 2 || (size_t)data[1] > size - 2)
			break;
		if (lw_event_decode(data + 2, data[1], data + 2 + data[1],
		    size - 2 - data[1], &strs, &e) != LW_OK)
			break;
		if (lw_event_encode(&b, &e) != LW_OK ||
		    lw_event_key(&k, e.subject, e.subject_len, e.time, 7) !=
		    LW_OK ||
		    lw_event_decode(k.p, k.len, b.p, b.len, &strs2, &e2) !=
		    LW_OK || e2.time != e.time || e2.kind != e.kind ||
		    e2.reply != e.reply || e2.recorded != e.recorded ||
		    e2.subject_len != e.subject_len ||
		    memcmp(e2.subject, e.subject, e.subject_len) != 0 ||
		    strcmp(e2.status, e.status) != 0 ||
		    strcmp(e2.event_id, e.event_id) != 0 ||
		    strcmp(e2.source, e.source) != 0 ||
		    strcmp(e2.diagnostic, e.diagnostic) != 0 ||
		    strcmp(e2.rule, e.rule) != 0 ||
		    strcmp(e2.feedback, e.feedback) != 0 ||
		    strcmp(e2.message_id, e.message_id) != 0 ||
		    strcmp(e2.list, e.list) != 0 ||
		    strcmp(e2.error_kind, e.error_kind) != 0)
			abort();
		break;
	default:
		if (lw_row_decode(data + 1, size - 1, &key, &kn, &raw,
		    &rn) != LW_OK)
			break;
		if (lw_row_encode(&b, key, kn, raw, rn) != LW_OK ||
		    lw_row_decode(b.p, b.len, &key2, &kn2, &raw2, &rn2) !=
		    LW_OK || kn2 != kn || rn2 != rn ||
		    memcmp(key2, key, kn) != 0 || memcmp(raw2, raw, rn) != 0)
			abort();
		break;
	}
	lw_list_free(l);
	lw_list_free(l2);
	lw_buf_free(&b);
	lw_buf_free(&k);
	lw_buf_free(&strs);
	lw_buf_free(&strs2);
	return 0;
}
