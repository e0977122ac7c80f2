/*
 * domain.c - judge the domain of an address and give its A- and U-label forms
 *
 * NAME
 *	domain - LDH syntax, IDNA (UTS #46 then IDNA2008), bidi, special names
 *
 * DESCRIPTION
 *	An all-ASCII domain without A-labels is lowercased and checked in
 *	place: labels of 1 to 63 letters, digits and hyphens, no hyphen at
 *	either end, no "--" in positions 3 and 4 (reserved for A-labels).
 *
 *	Anything else goes through libidn2, which is not trusted alone:
 *
 *	1. The input is refused when it holds a format character (Cf) other
 *	   than ZWNJ and ZWJ.  UTS #46 deletes U+200B, U+00AD, U+2060 and
 *	   friends silently, so "exa<ZWSP>mple.com" would come out as
 *	   example.com: an address is judged on what it says, not on what a
 *	   mapping made of it.
 *	2. idn2_lookup_u8() with IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL maps
 *	   and converts.  It lets spaces, '_', empty labels and symbols
 *	   through, so its result is checked again as LDH, like an ASCII
 *	   domain.  IDN2_USE_STD3_ASCII_RULES is never used: it deletes bad
 *	   characters and reports success.
 *	3. The A-label form is run again with IDN2_NO_TR46, which decodes
 *	   each A-label and applies IDNA2008 proper: symbols such as U+2260
 *	   and emoji that UTS #46 allows are refused there.
 *	4. libidn2 skips the bidi rule of RFC 5893 across labels; it is
 *	   applied here to the U-labels, with libunistring's bidi classes.
 *
 *	Then the whole name: at least two labels, the last ending in a
 *	letter, the last not a special-use name (RFC 6761, 7686, 6303).
 *
 *	Internationalized domains cost microseconds each through libidn2, and
 *	a real list holds few distinct ones, so results are kept in a small
 *	direct-mapped cache keyed by the domain as given.
 *
 * DIAGNOSTICS
 *	LW_ENOMEM when libidn2 or libunistring cannot allocate.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <unictype.h>
#include <unistr.h>

#include "listwarden/error.h"
#include "domain.h"

/* Input longer than this cannot map down to a 253-octet name in practice. */
#define DOMAIN_INPUT_MAX	1024
#define CACHE_SLOTS		512	/* a power of two */

struct slot {
	int used;
	size_t key_len;
	char key[256];		/* the domain as given; longer ones are not cached */
	struct lw_domain d;
};

struct lw_domain_cache {
	struct lw_domain scratch;	/* results that are not cached */
	struct slot slots[CACHE_SLOTS];
};

/* lw_domain_cache_new - make an empty cache; the caller frees it */
int
lw_domain_cache_new(struct lw_domain_cache **cachep)
{
	struct lw_domain_cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return LW_ENOMEM;
	*cachep = c;
	return LW_OK;
}

/* lw_domain_cache_free - release a cache; NULL is a no-op */
void
lw_domain_cache_free(struct lw_domain_cache *cache)
{
	free(cache);
}

/* is_ldh - a letter, digit or hyphen in lowercase ASCII */
static int
is_ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/*
 * ldh_check - judge a lowercase ASCII name label by label
 *
 * Sets *alabels when some label starts with "xn--".
 */
static enum lw_address_reason
ldh_check(const char *s, size_t n, int *alabels)
{
	size_t i, start, len;

	*alabels = 0;
	for (start = 0; start <= n; start = i + 1) {
		for (i = start; i < n && s[i] != '.'; i++)
			if (!is_ldh((unsigned char)s[i]))
				return LW_REASON_DOMAIN_SYNTAX;
		len = i - start;
		if (len == 0)
			return LW_REASON_DOMAIN_SYNTAX;	/* empty label, trailing dot */
		if (len > 63)
			return LW_REASON_DOMAIN_LABEL_TOO_LONG;
		if (s[start] == '-' || s[i - 1] == '-')
			return LW_REASON_DOMAIN_SYNTAX;
		if (len >= 4 && s[start + 2] == '-' && s[start + 3] == '-') {
			if (s[start] != 'x' || s[start + 1] != 'n')
				return LW_REASON_DOMAIN_SYNTAX;
			*alabels = 1;
		}
	}
	return LW_REASON_NONE;
}

/* name_check - the rules on the whole A-label name */
static enum lw_address_reason
name_check(const char *s, size_t n)
{
	static const char *const special[] = {
		"localhost", "invalid", "test", "local", "onion", "arpa",
	};
	const char *tld;
	size_t i, tld_len;

	tld = memrchr(s, '.', n);
	if (tld == NULL)
		return LW_REASON_DOMAIN_SINGLE_LABEL;
	tld++;
	tld_len = n - (size_t)(tld - s);
	if (!(tld[tld_len - 1] >= 'a' && tld[tld_len - 1] <= 'z'))
		return LW_REASON_DOMAIN_TLD;
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strlen(special[i]) == tld_len &&
		    memcmp(special[i], tld, tld_len) == 0)
			return LW_REASON_DOMAIN_SPECIAL_USE;
	return LW_REASON_NONE;
}

/* has_hidden_format_char - a Cf code point other than ZWNJ and ZWJ */
static int
has_hidden_format_char(const uint8_t *s, size_t n)
{
	const uint8_t *end = s + n;
	ucs4_t uc;

	while (s < end) {
		s += u8_mbtouc_unsafe(&uc, s, (size_t)(end - s));
		if (uc < 0x80 || uc == 0x200C || uc == 0x200D)
			continue;
		if (uc_is_general_category_withtable(uc, UC_CATEGORY_MASK_Cf))
			return 1;
	}
	return 0;
}

/*
 * bidi_label_ok - RFC 5893 rules 1 to 6 on one U-label of a bidi domain
 */
static int
bidi_label_ok(const uint8_t *s, size_t n)
{
	const uint8_t *end = s + n;
	int first = -1, last = -1, cls, rtl, has_en = 0, has_an = 0;
	ucs4_t uc;

	while (s < end) {
		s += u8_mbtouc_unsafe(&uc, s, (size_t)(end - s));
		cls = uc_bidi_class(uc);
		if (first < 0) {
			first = cls;
			if (cls != UC_BIDI_L && cls != UC_BIDI_R &&
			    cls != UC_BIDI_AL)
				return 0;		/* rule 1 */
		}
		rtl = first != UC_BIDI_L;
		switch (cls) {
		case UC_BIDI_L:
			if (rtl)
				return 0;		/* rule 2 */
			break;
		case UC_BIDI_R:
		case UC_BIDI_AL:
		case UC_BIDI_AN:
			if (!rtl)
				return 0;		/* rule 5 */
			break;
		case UC_BIDI_EN:
		case UC_BIDI_ES:
		case UC_BIDI_CS:
		case UC_BIDI_ET:
		case UC_BIDI_ON:
		case UC_BIDI_BN:
		case UC_BIDI_NSM:
			break;
		default:
			return 0;			/* rules 2 and 5 */
		}
		has_en |= cls == UC_BIDI_EN;
		has_an |= cls == UC_BIDI_AN;
		if (cls != UC_BIDI_NSM)
			last = cls;
	}
	if (first == UC_BIDI_L)
		return last == UC_BIDI_L || last == UC_BIDI_EN;	/* rule 6 */
	if (has_en && has_an)
		return 0;				/* rule 4 */
	return last == UC_BIDI_R || last == UC_BIDI_AL ||
	    last == UC_BIDI_EN || last == UC_BIDI_AN;		/* rule 3 */
}

/*
 * bidi_ok - the bidi rule over every label, when the name is a bidi domain
 *
 * A bidi domain holds at least one character of class R, AL or AN; then
 * every label, left-to-right ones included, must satisfy the rule.
 */
static int
bidi_ok(const char *u, size_t n)
{
	const uint8_t *s = (const uint8_t *)u, *end = s + n, *p, *dot;
	int bidi = 0, cls;
	ucs4_t uc;

	for (p = s; p < end && !bidi;) {
		p += u8_mbtouc_unsafe(&uc, p, (size_t)(end - p));
		cls = uc_bidi_class(uc);
		bidi = cls == UC_BIDI_R || cls == UC_BIDI_AL ||
		    cls == UC_BIDI_AN;
	}
	if (!bidi)
		return 1;
	for (p = s; p < end; p = dot + 1) {
		if ((dot = memchr(p, '.', (size_t)(end - p))) == NULL)
			dot = end;
		if (!bidi_label_ok(p, (size_t)(dot - p)))
			return 0;
	}
	return 1;
}

/* idn_reason - the reason for a libidn2 refusal */
static enum lw_address_reason
idn_reason(int rc)
{
	switch (rc) {
	case IDN2_TOO_BIG_LABEL:
		return LW_REASON_DOMAIN_LABEL_TOO_LONG;
	case IDN2_TOO_BIG_DOMAIN:
		return LW_REASON_ADDRESS_TOO_LONG;
	default:
		return LW_REASON_DOMAIN_IDNA;
	}
}

/*
 * idn_failed - whether a libidn2 result stops the check
 *
 * Sets d->reason for a refusal, or *err to LW_ENOMEM when libidn2 could
 * not allocate.
 */
static int
idn_failed(int rc, struct lw_domain *d, int *err)
{
	if (rc == IDN2_OK)
		return 0;
	if (rc == IDN2_MALLOC)
		*err = LW_ENOMEM;
	else
		d->reason = idn_reason(rc);
	return 1;
}

/*
 * idn_check - judge a domain that needs libidn2, filling *d
 *
 * in is NUL-terminated.  Returns LW_OK or LW_ENOMEM.
 */
static int
idn_check(const char *in, size_t n, struct lw_domain *d)
{
	uint8_t *ascii = NULL, *again = NULL;
	char *unicode = NULL;
	size_t len;
	int alabels, err = LW_OK;

	d->ascii_len = d->unicode_len = 0;
	d->ascii[0] = d->unicode[0] = '\0';
	if (has_hidden_format_char((const uint8_t *)in, n)) {
		d->reason = LW_REASON_DOMAIN_IDNA;
		goto out;
	}
	if (idn_failed(idn2_lookup_u8((const uint8_t *)in, &ascii,
	    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL), d, &err))
		goto out;
	len = strlen((char *)ascii);
	if ((d->reason = ldh_check((char *)ascii, len, &alabels)) != 0)
		goto out;
	if (len > LW_ADDRESS_MAX) {
		d->reason = LW_REASON_ADDRESS_TOO_LONG;
		goto out;
	}
	if (alabels) {
		if (idn_failed(idn2_lookup_u8(ascii, &again, IDN2_NO_TR46), d,
		    &err) || idn_failed(idn2_to_unicode_8z8z((char *)ascii,
		    &unicode, 0), d, &err))
			goto out;
		if (strlen(unicode) > LW_ADDRESS_DISPLAY_MAX -
		    LW_ADDRESS_LOCAL_MAX - 1) {
			d->reason = LW_REASON_DOMAIN_IDNA;
			goto out;
		}
		if (!bidi_ok(unicode, strlen(unicode))) {
			d->reason = LW_REASON_DOMAIN_IDNA;
			goto out;
		}
	}
	if ((d->reason = name_check((char *)ascii, len)) != 0)
		goto out;
	memcpy(d->ascii, ascii, len + 1);
	d->ascii_len = len;
	if (unicode != NULL) {
		d->unicode_len = strlen(unicode);
		memcpy(d->unicode, unicode, d->unicode_len + 1);
	} else {
		memcpy(d->unicode, ascii, len + 1);
		d->unicode_len = len;
	}
out:
	free(unicode);
	free(again);
	free(ascii);
	return err;
}

/* slot_for - the cache slot of a domain, by FNV-1a */
static struct slot *
slot_for(struct lw_domain_cache *c, const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return &c->slots[h & (CACHE_SLOTS - 1)];
}

/* idn_cached - idn_check through the cache */
static int
idn_cached(struct lw_domain_cache *c, const char *s, size_t n,
    const struct lw_domain **out)
{
	struct slot *slot = NULL;
	struct lw_domain *d = &c->scratch;
	char buf[DOMAIN_INPUT_MAX + 1];
	int err;

	if (n < sizeof(slot->key)) {
		slot = slot_for(c, s, n);
		if (slot->used && slot->key_len == n &&
		    memcmp(slot->key, s, n) == 0) {
			*out = &slot->d;
			return LW_OK;
		}
		d = &slot->d;
		slot->used = 0;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((err = idn_check(buf, n, d)) != LW_OK)
		return err;
	if (slot != NULL) {
		memcpy(slot->key, s, n);
		slot->key_len = n;
		slot->used = 1;
	}
	*out = d;
	return LW_OK;
}

/*
 * lw_domain_check - judge the n bytes of valid UTF-8 after the '@'
 *
 * The caller has already refused controls and whitespace.  On LW_OK *out
 * is borrowed until the next call on the cache.  Returns LW_OK or
 * LW_ENOMEM.
 */
int
lw_domain_check(struct lw_domain_cache *c, const char *dom, size_t n,
    const struct lw_domain **out)
{
	struct lw_domain *d = &c->scratch;
	size_t i;
	int ascii = 1, alabels;
	unsigned char ch;

	if (n > DOMAIN_INPUT_MAX) {
		d->reason = LW_REASON_ADDRESS_TOO_LONG;
		*out = d;
		return LW_OK;
	}
	for (i = 0; i < n && ascii; i++)
		ascii = (unsigned char)dom[i] < 0x80;
	if (!ascii)
		return idn_cached(c, dom, n, out);
	*out = d;
	if (n > LW_ADDRESS_MAX) {
		d->reason = LW_REASON_ADDRESS_TOO_LONG;
		return LW_OK;
	}
	for (i = 0; i < n; i++) {
		ch = (unsigned char)dom[i];
		d->ascii[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	d->ascii[n] = '\0';
	d->ascii_len = n;
	d->reason = ldh_check(d->ascii, n, &alabels);
	if (d->reason == LW_REASON_NONE && alabels)
		return idn_cached(c, d->ascii, n, out);
	if (d->reason == LW_REASON_NONE)
		d->reason = name_check(d->ascii, n);
	if (d->reason == LW_REASON_NONE) {
		memcpy(d->unicode, d->ascii, n + 1);
		d->unicode_len = n;
	}
	return LW_OK;
}
