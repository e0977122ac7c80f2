/*
 * fuzz_codec.c - libFuzzer target for the store's value decoders
 *
 * A damaged record must be an error, never a crash: the first byte picks
 * the decoder (list, generation, row), the rest is the value.  A value
 * that decodes is encoded again and must decode to the same record.
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
	struct lw_buf b = { 0 };
	struct lw_list *l = NULL, *l2 = NULL;
	struct lw_gen_rec g, g2;
	const char *key, *raw, *key2, *raw2;
	size_t kn, rn, kn2, rn2;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
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
	return 0;
}
