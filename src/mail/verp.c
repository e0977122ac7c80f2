/*
 * verp.c - variable envelope return paths
 *
 * NAME
 *	verp - "bounces+%l=%d@example.com" <-> alice@example.net
 *
 * DESCRIPTION
 *	A sender using VERP mails each recipient from its own return path,
 *	the recipient encoded in it, so that a bounce names the recipient
 *	in the address it is sent to even when its text does not.  A
 *	pattern holds %l (the local part) and %d (the domain), once each,
 *	in its local part; %% is a percent sign.
 */
#include <string.h>
#include <strings.h>

#include "mail_int.h"

/* A pattern cut at its two fields: pre %X mid %Y post. */
struct verp {
	const char *part[3];
	size_t len[3];
	int domain_first;		/* %d comes before %l */
};

/* split - cut pattern; 0, or -1 when it is not a valid one */
static int
split(const char *pat, struct verp *v)
{
	const char *p, *at;
	int nl = 0, nd = 0, k = 0;

	if (pat == NULL || (at = strrchr(pat, '@')) == NULL)
		return -1;
	v->part[0] = pat;
	for (p = pat; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		if ((p[1] != 'l' && p[1] != 'd') || p > at || k >= 2)
			return -1;
		if (p[1] == 'l')
			nl++;
		else {
			if (nl == 0)
				v->domain_first = 1;
			nd++;
		}
		v->len[k] = (size_t)(p - v->part[k]);
		v->part[++k] = p + 2;
		p++;
	}
	if (nl != 1 || nd != 1)
		return -1;
	v->len[2] = strlen(v->part[2]);
	/* The middle must part the two fields, or they cannot be split. */
	return v->len[1] > 0 ? 0 : -1;
}

/* lw_verp_valid - a usable pattern */
int
lw_verp_valid(const char *pattern)
{
	struct verp v;

	return split(pattern, &v) == 0;
}

/* match - s starts with the n octets of fixed text f (%% as %) */
static size_t
match(const char *s, size_t slen, const char *f, size_t n)
{
	size_t i = 0, j = 0;

	while (j < n) {
		if (f[j] == '%' && j + 1 < n && f[j + 1] == '%')
			j++;
		if (i >= slen || (s[i] | 0x20) != (f[j] | 0x20) ||
		    ((s[i] == '%') != (f[j] == '%')))
			return (size_t)-1;
		i++;
		j++;
	}
	return i;
}

/* fixed_len - the length in the address of fixed text f */
static size_t
fixed_len(const char *f, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++, k++)
		if (f[i] == '%' && i + 1 < n && f[i + 1] == '%')
			i++;
	return k;
}

/* lw_verp_decode - the recipient addr encodes */
int
lw_verp_decode(const char *pattern, const char *addr, char *out, size_t size)
{
	struct verp v;
	size_t n, a, b, plen, mlen, i, cut = (size_t)-1;
	const char *s, *x, *y;
	size_t xl, yl;

	memset(&v, 0, sizeof(v));
	if (split(pattern, &v) != 0 || addr == NULL)
		return 0;
	n = strlen(addr);
	if ((a = match(addr, n, v.part[0], v.len[0])) == (size_t)-1)
		return 0;
	plen = fixed_len(v.part[2], v.len[2]);
	if (plen > n - a || match(addr + n - plen, plen, v.part[2],
	    v.len[2]) != plen)
		return 0;
	b = n - plen;
	/* The last occurrence of the middle between a and b splits. */
	mlen = fixed_len(v.part[1], v.len[1]);
	s = addr;
	for (i = a + 1; i + mlen < b; i++)
		if (match(s + i, b - i, v.part[1], v.len[1]) == mlen)
			cut = i;
	if (cut == (size_t)-1)
		return 0;
	x = addr + a;
	xl = cut - a;
	y = addr + cut + mlen;
	yl = b - cut - mlen;
	if (v.domain_first) {
		const char *t = x;
		size_t tl = xl;

		x = y;
		xl = yl;
		y = t;
		yl = tl;
	}
	if (xl == 0 || yl == 0 || xl + yl + 2 > size ||
	    memchr(x, '@', xl) != NULL || memchr(y, '@', yl) != NULL ||
	    memchr(y, '.', yl) == NULL)
		return 0;
	memcpy(out, x, xl);
	out[xl] = '@';
	memcpy(out + xl + 1, y, yl);
	out[xl + 1 + yl] = '\0';
	return 1;
}
