/*
 * fuzz_classify.c - libFuzzer target for the classification tables
 *
 * The input is up to four NUL-separated fields: type, status, reply
 * code, diagnostic.  Beyond "no crash": every answer is a known class
 * with a rule, and a temporary failure (a 4xx reply or a well-formed
 * 4.x.x status; a malformed one is ignored, as the classifier ignores it)
 * is never hard.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* is_digits - n ASCII digits */
static int
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* temporary_status - a well-formed 4.x.x, as the classifier reads one */
static int
temporary_status(const char *s)
{
	size_t a, b;

	if (s == NULL || s[0] != '4' || s[1] != '.')
		return 0;
	s += 2;
	for (a = 0; s[a] >= '0' && s[a] <= '9'; a++)
		;
	if (a < 1 || a > 3 || s[a] != '.')
		return 0;
	s += a + 1;
	for (b = 0; s[b] >= '0' && s[b] <= '9'; b++)
		;
	return b >= 1 && b <= 3 && s[b] == '\0';
}

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
	if (out.cls == LW_CLASS_HARD && (in.type == NULL || *in.type == '\0') &&
	    ((in.reply && in.reply[0] == '4' && strlen(in.reply) == 3 &&
	    is_digits(in.reply, 3)) || temporary_status(in.status)))
		abort();
	free(buf);
	return 0;
}
