/*
 * fuzz_classify.c - libFuzzer target for the classification tables
 *
 * The input is up to four NUL-separated fields: type, status, reply
 * code, diagnostic.  Beyond "no crash": every answer is a known class
 * with a rule, and a temporary failure (a 4xx reply or a 4.x.x status)
 * is never hard.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lw_classify_in in = { 0 };
	struct lw_classification out;
	const char **fields[] = { &in.type, &in.status, &in.reply, &in.text };
	char *buf, *p, *end;
	size_t i;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (p = buf, i = 0; i < 4 && p <= buf + size; i++) {
		*fields[i] = p;
		end = memchr(p, '\0', (size_t)(buf + size - p) + 1);
		p = end + 1;
	}
	lw_classify(&in, &out);
	if ((unsigned)out.cls >= LW_CLASS_COUNT || out.rule == NULL ||
	    *out.rule == '\0')
		abort();
	if (out.cls == LW_CLASS_HARD && ((in.reply && in.reply[0] == '4' &&
	    strlen(in.reply) == 3) || (in.status && in.status[0] == '4' &&
	    in.status[1] == '.')) && (in.type == NULL || *in.type == '\0'))
		abort();
	free(buf);
	return 0;
}
