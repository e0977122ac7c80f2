/*
 * eval_address.c - score the address module against reference vectors
 *
 * NAME
 *	eval_address - verdict and normalization agreement with vectors.tsv
 *
 * SYNOPSIS
 *	eval_address [-v] vectors.tsv
 *
 * DESCRIPTION
 *	Reads the TAB-separated vectors of ../shared/data/address (header
 *	row; columns id, input, list_policy, expected_normalized,
 *	expected_utf8 found by name), un-escapes each input (\\ \t \n \r
 *	\xNN \uXXXX \UXXXXXXXX) and judges it with lw_address_parse(), the
 *	function behind "listwarden validate".  The vectors are bare
 *	addresses as a reader hands them over, after any "Name <addr>"
 *	wrapper came off, so the context is made with LW_ADDRESS_NO_UNWRAP.
 *	Inputs hold raw CR, LF and NUL, which is why the library is called
 *	directly rather than through validate's line reader.
 *
 *	Prints the verdict agreement with list_policy, the normalized forms
 *	that differ from expected_normalized (expected_utf8 for SMTPUTF8
 *	addresses), and each disagreement.  Exits 1 when the agreement is
 *	under 99.5% or a normalized form differs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "listwarden.h"

#define GOAL	99.5

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* unescape - decode the vectors' escapes into out; returns the length */
static size_t
unescape(const char *s, char *out)
{
	size_t n = 0;
	int i, digits, v;
	uint32_t cp;

	while (*s) {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case '\\': out[n++] = '\\'; s++; break;
		case 't': out[n++] = '\t'; s++; break;
		case 'n': out[n++] = '\n'; s++; break;
		case 'r': out[n++] = '\r'; s++; break;
		case 'x':
			out[n++] = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 3;
			break;
		case 'u':
		case 'U':
			digits = *s == 'u' ? 4 : 8;
			cp = 0;
			for (i = 1; i <= digits; i++) {
				if ((v = hexval(s[i])) < 0)
					break;
				cp = cp * 16 + (uint32_t)v;
			}
			s += digits + 1;
			n += (size_t)u8_uctomb((uint8_t *)out + n, cp, 4);
			break;
		default:
			out[n++] = '\\';
		}
	}
	return n;
}

/* column - index of a header name in the TAB-split header */
static int
column(char **fields, int nf, const char *name)
{
	int i;

	for (i = 0; i < nf; i++)
		if (strcmp(fields[i], name) == 0)
			return i;
	fprintf(stderr, "eval: no column %s in the header\n", name);
	exit(2);
}

/* split - split a line on TABs in place */
static int
split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	fields[n++] = p;
	while ((p = strchr(p, '\t')) != NULL && n < max) {
		*p++ = '\0';
		fields[n++] = p;
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct lw_address_ctx *ctx;
	struct lw_address a;
	char *line = NULL, *f[64], input[8192], expected[8192];
	size_t cap = 0, in_n, want_n;
	ssize_t got;
	int nf, c_id, c_in, c_pol, c_norm, c_utf8, c_reason, verbose = 0;
	unsigned long total = 0, agree = 0, compared = 0, same = 0, noref = 0;
	const char *path, *want;
	FILE *fp;
	double pct;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		argc--;
		argv++;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: eval_address [-v] vectors.tsv\n");
		return 2;
	}
	path = argv[1];
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return 2;
	}
	if (lw_address_ctx_new(&ctx, LW_ADDRESS_NO_UNWRAP) != LW_OK)
		return 2;
	if ((got = getline(&line, &cap, fp)) < 0)
		return 2;
	line[strcspn(line, "\r\n")] = '\0';
	nf = split(line, f, 64);
	c_id = column(f, nf, "id");
	c_in = column(f, nf, "input");
	c_pol = column(f, nf, "list_policy");
	c_norm = column(f, nf, "expected_normalized");
	c_utf8 = column(f, nf, "expected_utf8");
	c_reason = column(f, nf, "policy_reason");

	printf("eval: %s\n", path);
	while ((got = getline(&line, &cap, fp)) >= 0) {
		line[strcspn(line, "\n")] = '\0';
		if ((nf = split(line, f, 64)) <= c_reason)
			continue;
		in_n = unescape(f[c_in], input);
		if (lw_address_parse(ctx, input, in_n, &a) != LW_OK)
			return 2;
		total++;
		int accept = strcmp(f[c_pol], "accept") == 0;
		int valid = a.reason == LW_REASON_NONE;

		if (accept == valid) {
			agree++;
		} else {
			printf("  verdict  %-40s expected %s%s%s, got %s %s\n",
			    f[c_id], f[c_pol], *f[c_reason] ? " " : "",
			    f[c_reason], valid ? "accept" : "reject",
			    lw_address_reason_name(a.reason));
			printf("           input %s\n", f[c_in]);
		}
		if (!(accept && valid))
			continue;
		want = (a.flags & LW_ADDRESS_SMTPUTF8) ? f[c_utf8] : f[c_norm];
		want_n = unescape(want, expected);
		expected[want_n] = '\0';
		if (want_n == 0) {
			noref++;
			continue;
		}
		compared++;
		if (strcmp(expected, a.address) == 0) {
			same++;
		} else {
			printf("  normal   %-40s expected %s, got %s\n",
			    f[c_id], want, a.address);
		}
		if (verbose)
			printf("  ok       %s -> %s\n", f[c_in], a.address);
	}
	pct = total ? 100.0 * (double)agree / (double)total : 0;
	printf("eval: verdicts %lu/%lu agree with list_policy (%.2f%%, goal "
	    "%.1f%%)\n", agree, total, pct, GOAL);
	printf("eval: normalized %lu/%lu equal to the reference (%lu accepted "
	    "without one)\n", same, compared, noref);
	free(line);
	fclose(fp);
	lw_address_ctx_free(ctx);
	return pct >= GOAL && same == compared ? 0 : 1;
}
