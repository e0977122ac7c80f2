/*
 * emit.c - write strings safely into JSON and TSV output
 *
 * NAME
 *	emit - escaping shared by the commands
 *
 * DESCRIPTION
 *	Input from users' files may hold any byte.  Nothing is echoed raw:
 *	JSON strings are valid UTF-8 with controls escaped, and a TSV field
 *	never holds a TAB, a line break or a byte that is not UTF-8.  The
 *	summaries' counts per reason are printed here too.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <unistr.h>

#include "cli.h"

/*
 * next_char - decode the character at p; returns its length in bytes
 *
 * *bad is set when the bytes are not UTF-8 (an encoded U+FFFD is good).
 */
static int
next_char(const uint8_t *p, const uint8_t *end, ucs4_t *uc, int *bad)
{
	int len = u8_mbtouc(uc, p, (size_t)(end - p));

	*bad = *uc == 0xfffd && !(len == 3 && p[0] == 0xef && p[1] == 0xbf &&
	    p[2] == 0xbd);
	return len;
}

/* emit_json_string - s as a quoted JSON string */
void
emit_json_string(FILE *fp, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	ucs4_t uc;
	int len, bad;

	putc('"', fp);
	while (p < end) {
		if (*p < 0x80) {
			switch (*p) {
			case '"':
				fputs("\\\"", fp);
				break;
			case '\\':
				fputs("\\\\", fp);
				break;
			case '\n':
				fputs("\\n", fp);
				break;
			case '\r':
				fputs("\\r", fp);
				break;
			case '\t':
				fputs("\\t", fp);
				break;
			default:
				if (*p < 0x20 || *p == 0x7f)
					fprintf(fp, "\\u%04x", *p);
				else
					putc(*p, fp);
			}
			p++;
			continue;
		}
		len = next_char(p, end, &uc, &bad);
		if (bad)
			fputs("\\ufffd", fp);
		else if (uc <= 0x9f)
			fprintf(fp, "\\u%04x", (unsigned)uc);
		else
			fwrite(p, 1, (size_t)len, fp);
		p += len;
	}
	putc('"', fp);
}

/* emit_tsv_field - s as a TSV field that holds no TAB, line break or bad byte */
void
emit_tsv_field(FILE *fp, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	ucs4_t uc;
	int len, bad, i;

	while (p < end) {
		if (*p < 0x80) {
			switch (*p) {
			case '\\':
				fputs("\\\\", fp);
				break;
			case '\t':
				fputs("\\t", fp);
				break;
			case '\n':
				fputs("\\n", fp);
				break;
			case '\r':
				fputs("\\r", fp);
				break;
			default:
				if (*p < 0x20 || *p == 0x7f)
					fprintf(fp, "\\x%02x", *p);
				else
					putc(*p, fp);
			}
			p++;
			continue;
		}
		len = next_char(p, end, &uc, &bad);
		if (bad || uc <= 0x9f)
			for (i = 0; i < len; i++)
				fprintf(fp, "\\x%02x", p[i]);
		else
			fwrite(p, 1, (size_t)len, fp);
		p += len;
	}
}

/* cli_print_counts - non-zero counts, most frequent first */
void
cli_print_counts(FILE *fp, const char *const *names,
    const unsigned long *counts, int n)
{
	int order[64], i, j, t;

	if (n > 64)
		n = 64;
	for (i = 1; i < n; i++)
		order[i] = i;
	for (i = 2; i < n; i++)		/* a stable insertion sort */
		for (j = i; j > 1 && counts[order[j]] > counts[order[j - 1]];
		    j--) {
			t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (i = 1; i < n && counts[order[i]] > 0; i++)
		fprintf(fp, "  %-22s %lu\n", names[order[i]], counts[order[i]]);
}

/* cli_format_time - t as RFC 3339 UTC, "2026-11-29T02:55:04Z" */
const char *
cli_format_time(int64_t t, char buf[CLI_TIME_MAX])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, CLI_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, CLI_TIME_MAX, "%lld", (long long)t);
	return buf;
}
