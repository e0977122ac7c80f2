/*
 * address.c - validate and normalize one email address
 *
 * NAME
 *	address - the list policy's verdict on one address, and its forms
 *
 * DESCRIPTION
 *	The checks run in a fixed order and the first that fails names the
 *	reason, so a reason is stable for a given input:
 *
 *	 1. trim spaces and TABs, take off a "Name <addr>" or "<addr>"
 *	    wrapper (the display name is dropped unread) and trim again;
 *	    nothing left is "empty"
 *	 2. the address is UTF-8 ("bad-utf8") without C0 or C1 controls or
 *	    DEL ("control-char")
 *	 3. no quoted local part ("quoted-local", even with a space inside),
 *	    no white space inside ("whitespace")
 *	 4. no comments, exactly one '@'
 *	 5. the local part: not empty, at most 64 octets after NFC, a
 *	    dot-atom of atext or of Unicode letters, marks, numbers,
 *	    punctuation and symbols, not starting with a combining mark
 *	 6. the domain (domain.c), no address literal
 *	 7. the address is at most 254 octets
 *
 *	ASCII input, nearly all of a real list, is judged byte by byte and
 *	never touches libunistring or libidn2.
 *
 * DIAGNOSTICS
 *	LW_ENOMEM only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "listwarden/address.h"
#include "listwarden/error.h"
#include "domain.h"

/* Raw local parts longer than this cannot be 64 octets after NFC. */
#define LOCAL_INPUT_MAX		1024

struct lw_address_ctx {
	unsigned options;
	struct lw_domain_cache *domains;
};

static const char *const reason_names[LW_REASON_COUNT] = {
	[LW_REASON_NONE] = "",
	[LW_REASON_EMPTY] = "empty",
	[LW_REASON_BAD_UTF8] = "bad-utf8",
	[LW_REASON_CONTROL_CHAR] = "control-char",
	[LW_REASON_WHITESPACE] = "whitespace",
	[LW_REASON_NO_AT] = "no-at",
	[LW_REASON_MULTIPLE_AT] = "multiple-at",
	[LW_REASON_QUOTED_LOCAL] = "quoted-local",
	[LW_REASON_COMMENT] = "comment",
	[LW_REASON_LOCAL_EMPTY] = "local-empty",
	[LW_REASON_LOCAL_SYNTAX] = "local-syntax",
	[LW_REASON_LOCAL_TOO_LONG] = "local-too-long",
	[LW_REASON_DOMAIN_EMPTY] = "domain-empty",
	[LW_REASON_DOMAIN_LITERAL] = "domain-literal",
	[LW_REASON_DOMAIN_SYNTAX] = "domain-syntax",
	[LW_REASON_DOMAIN_LABEL_TOO_LONG] = "domain-label-too-long",
	[LW_REASON_DOMAIN_IDNA] = "domain-idna",
	[LW_REASON_DOMAIN_SINGLE_LABEL] = "domain-single-label",
	[LW_REASON_DOMAIN_TLD] = "domain-tld",
	[LW_REASON_DOMAIN_SPECIAL_USE] = "domain-special-use",
	[LW_REASON_ADDRESS_TOO_LONG] = "address-too-long",
};

static const char *const reason_texts[LW_REASON_COUNT] = {
	[LW_REASON_NONE] = "the address is valid",
	[LW_REASON_EMPTY] = "there is no address, only blanks",
	[LW_REASON_BAD_UTF8] = "the bytes are not valid UTF-8 "
	    "(the file is probably in another encoding)",
	[LW_REASON_CONTROL_CHAR] = "a control character (NUL, CR, LF, TAB "
	    "inside, DEL, C1) is part of the address",
	[LW_REASON_WHITESPACE] = "white space inside the address",
	[LW_REASON_NO_AT] = "there is no '@'",
	[LW_REASON_MULTIPLE_AT] = "there is more than one '@'",
	[LW_REASON_QUOTED_LOCAL] = "the local part is a quoted string, "
	    "which lists cannot rely on",
	[LW_REASON_COMMENT] = "the address holds an RFC 5322 comment "
	    "in parentheses",
	[LW_REASON_LOCAL_EMPTY] = "nothing before the '@'",
	[LW_REASON_LOCAL_SYNTAX] = "the local part is not a dot-atom: a "
	    "character that is not allowed, or a leading, trailing or "
	    "doubled dot",
	[LW_REASON_LOCAL_TOO_LONG] = "the local part is longer than 64 octets",
	[LW_REASON_DOMAIN_EMPTY] = "nothing after the '@'",
	[LW_REASON_DOMAIN_LITERAL] = "the domain is an address literal "
	    "such as [192.0.2.1]",
	[LW_REASON_DOMAIN_SYNTAX] = "the domain is not letters, digits and "
	    "hyphens in dot-separated labels (an empty label, a trailing "
	    "dot, a hyphen at a label's end, a stray character)",
	[LW_REASON_DOMAIN_LABEL_TOO_LONG] = "a label of the domain is longer "
	    "than 63 octets",
	[LW_REASON_DOMAIN_IDNA] = "the internationalized domain is not "
	    "valid IDNA2008 (a disallowed or invisible character, a bad "
	    "A-label, a bidi rule)",
	[LW_REASON_DOMAIN_SINGLE_LABEL] = "the domain has a single label; a "
	    "top-level domain alone does not receive mail",
	[LW_REASON_DOMAIN_TLD] = "the last label of the domain does not end "
	    "in a letter, so it is no top-level domain",
	[LW_REASON_DOMAIN_SPECIAL_USE] = "the domain is a special-use name "
	    "(localhost, invalid, test, local, onion, arpa)",
	[LW_REASON_ADDRESS_TOO_LONG] = "the address is longer than 254 octets",
};

/* Role accounts (RFC 2142 and common practice), sorted for bsearch. */
static const char *const roles[] = {
	"abuse", "admin", "administrator", "billing", "careers", "compliance",
	"contact", "devnull", "dns", "do-not-reply", "donotreply", "enquiries",
	"feedback", "ftp", "hello", "help", "hostmaster", "hr", "info",
	"inquiries", "jobs", "list", "list-request", "listserv", "mail",
	"mailer-daemon", "majordomo", "marketing", "media", "news", "noc",
	"no-reply", "noreply", "office", "postmaster", "press", "privacy",
	"root", "sales", "security", "spam", "support", "sysadmin", "team",
	"unsubscribe", "usenet", "uucp", "webmaster", "www",
};

/* lw_address_ctx_new - make a context; the caller frees it */
int
lw_address_ctx_new(struct lw_address_ctx **ctxp, unsigned options)
{
	struct lw_address_ctx *ctx;
	int err;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return LW_ENOMEM;
	if ((err = lw_domain_cache_new(&ctx->domains)) != LW_OK) {
		free(ctx);
		return err;
	}
	ctx->options = options;
	*ctxp = ctx;
	return LW_OK;
}

/* lw_address_ctx_free - release a context; NULL is a no-op */
void
lw_address_ctx_free(struct lw_address_ctx *ctx)
{
	if (ctx == NULL)
		return;
	lw_domain_cache_free(ctx->domains);
	free(ctx);
}

/* lw_address_reason_name - the stable identifier of a reason */
const char *
lw_address_reason_name(enum lw_address_reason reason)
{
	if ((unsigned)reason >= LW_REASON_COUNT)
		return "unknown";
	return reason_names[reason];
}

/* lw_address_reason_text - what a reason means, in one sentence */
const char *
lw_address_reason_text(enum lw_address_reason reason)
{
	if ((unsigned)reason >= LW_REASON_COUNT)
		return "unknown reason";
	return reason_texts[reason];
}

/* lw_address_flag_names - the names of the set flags */
int
lw_address_flag_names(unsigned flags, const char **names, int max)
{
	static const struct {
		unsigned flag;
		const char *name;
	} all[] = {
		{ LW_ADDRESS_SMTPUTF8, "smtputf8" },
		{ LW_ADDRESS_ROLE, "role" },
		{ LW_ADDRESS_UNWRAPPED, "unwrapped" },
	};
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!(flags & all[i].flag))
			continue;
		if (n < max)
			names[n] = all[i].name;
		n++;
	}
	return n;
}

/* is_atext - RFC 5322 atext in ASCII */
static int
is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* trim - drop spaces and TABs at both ends of [*s, *s + *n) */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/*
 * scan_controls - refuse bad UTF-8 and control characters in the input
 *
 * Sets *nonascii when some byte is not ASCII.
 */
static enum lw_address_reason
scan_controls(const char *s, size_t n, int *nonascii)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	size_t i;
	ucs4_t uc;

	*nonascii = 0;
	for (i = 0; i < n; i++)
		if (p[i] >= 0x80) {
			*nonascii = 1;
			break;
		}
	if (*nonascii && u8_check(p, n) != NULL)
		return LW_REASON_BAD_UTF8;
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return LW_REASON_CONTROL_CHAR;
	if (*nonascii)
		while (p < end) {
			p += u8_mbtouc_unsafe(&uc, p, (size_t)(end - p));
			if (uc >= 0x80 && uc <= 0x9f)
				return LW_REASON_CONTROL_CHAR;
		}
	return LW_REASON_NONE;
}

/*
 * unwrap - take "Name <addr>" or "<addr>" apart, returning 1 when it did
 *
 * The display name may be anything but angle brackets; what is inside
 * the brackets is trimmed again.
 */
static int
unwrap(const char **s, size_t *n)
{
	const char *lt;

	if (*n < 2 || (*s)[*n - 1] != '>')
		return 0;
	lt = memrchr(*s, '<', *n - 1);
	if (lt == NULL || memchr(*s, '>', (size_t)(lt - *s)) != NULL ||
	    memchr(*s, '<', (size_t)(lt - *s)) != NULL)
		return 0;
	*n = (size_t)(*s + *n - 1 - (lt + 1));
	*s = lt + 1;
	trim(s, n);
	return 1;
}

/* has_whitespace - a space, or any Unicode White_Space code point */
static int
has_whitespace(const char *s, size_t n, int nonascii)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	ucs4_t uc;

	if (memchr(s, ' ', n) != NULL)
		return 1;
	if (nonascii)
		while (p < end) {
			p += u8_mbtouc_unsafe(&uc, p, (size_t)(end - p));
			if (uc >= 0x80 && uc_is_property_white_space(uc))
				return 1;
		}
	return 0;
}

/* dots_ok - no leading, trailing or doubled dot */
static int
dots_ok(const char *s, size_t n)
{
	size_t i;

	if (s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	return 1;
}

/* local_ascii_ok - every ASCII byte is atext or a dot */
static int
local_ascii_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x80 && s[i] != '.' &&
		    !is_atext((unsigned char)s[i]))
			return 0;
	return 1;
}

/* local_chars_ok - every code point is atext, a dot, or a safe non-ASCII one */
static int
local_chars_ok(const char *s, size_t n, int nonascii)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	ucs4_t uc;
	size_t i;

	if (!nonascii)
		return local_ascii_ok(s, n);
	for (i = 0; p < end; i++) {
		p += u8_mbtouc_unsafe(&uc, p, (size_t)(end - p));
		if (uc < 0x80) {
			if (uc != '.' && !is_atext((unsigned char)uc))
				return 0;
			continue;
		}
		if (!uc_is_general_category_withtable(uc,
		    UC_CATEGORY_MASK_L | UC_CATEGORY_MASK_M |
		    UC_CATEGORY_MASK_N | UC_CATEGORY_MASK_P |
		    UC_CATEGORY_MASK_S))
			return 0;
		if (i == 0 && uc_is_general_category_withtable(uc,
		    UC_CATEGORY_MASK_M))
			return 0;
	}
	return 1;
}

/* is_role - the local part, before any '+', names a role, not a person */
static int
is_role(const char *key, size_t local_len)
{
	char base[LW_ADDRESS_LOCAL_MAX + 1];
	const char *plus;
	size_t lo = 0, hi = sizeof(roles) / sizeof(roles[0]), mid;
	int c;

	if ((plus = memchr(key, '+', local_len)) != NULL)
		local_len = (size_t)(plus - key);
	if (local_len == 0 || local_len > LW_ADDRESS_LOCAL_MAX)
		return 0;
	memcpy(base, key, local_len);
	base[local_len] = '\0';
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(base, roles[mid])) == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * reject - record a verdict of invalid in *out
 */
static int
reject(struct lw_address *out, enum lw_address_reason reason)
{
	out->address[0] = out->key[0] = out->display[0] = '\0';
	out->local_len = 0;
	out->flags = 0;
	out->reason = reason;
	return LW_OK;
}

/*
 * lower_local - write the lowercased local part to key, returning its length
 *
 * Returns LW_ETOOBIG when the lowercase form would not fit, or LW_ENOMEM.
 */
static int
lower_local(const char *local, size_t n, int nonascii, char *key, size_t max)
{
	uint8_t *low;
	size_t i, len = max;

	if (!nonascii) {
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)local[i];

			key[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		return (int)n;
	}
	low = u8_tolower((const uint8_t *)local, n, NULL, UNINORM_NFC,
	    (uint8_t *)key, &len);
	if (low == NULL)
		return LW_ENOMEM;
	if (low != (uint8_t *)key) {
		/* It did not fit in key: too long to be a key we keep. */
		free(low);
		return LW_ETOOBIG;
	}
	return (int)len;
}

/* lw_address_parse - the verdict on one address, and its forms */
int
lw_address_parse(struct lw_address_ctx *ctx, const char *in, size_t len,
    struct lw_address *out)
{
	const struct lw_domain *dom;
	const char *s = in, *at, *local, *domain;
	uint8_t nfc[LW_ADDRESS_LOCAL_MAX * 4], *norm = NULL;
	size_t n = len, local_n, domain_n, nfc_n, total;
	enum lw_address_reason r;
	unsigned flags = 0;
	int nonascii, local_nonascii = 0, err, key_n;
	size_t i;

	trim(&s, &n);
	if (!(ctx->options & LW_ADDRESS_NO_UNWRAP) && unwrap(&s, &n))
		flags |= LW_ADDRESS_UNWRAPPED;
	if (n == 0)
		return reject(out, LW_REASON_EMPTY);
	if ((r = scan_controls(s, n, &nonascii)) != LW_REASON_NONE)
		return reject(out, r);
	if (s[0] == '"')
		return reject(out, LW_REASON_QUOTED_LOCAL);
	if (has_whitespace(s, n, nonascii))
		return reject(out, LW_REASON_WHITESPACE);
	if (memchr(s, '(', n) != NULL || memchr(s, ')', n) != NULL)
		return reject(out, LW_REASON_COMMENT);
	if ((at = memchr(s, '@', n)) == NULL)
		return reject(out, LW_REASON_NO_AT);
	if (memchr(at + 1, '@', n - (size_t)(at + 1 - s)) != NULL)
		return reject(out, LW_REASON_MULTIPLE_AT);

	local = s;
	local_n = (size_t)(at - s);
	domain = at + 1;
	domain_n = n - local_n - 1;
	if (local_n == 0)
		return reject(out, LW_REASON_LOCAL_EMPTY);
	if (domain_n == 0)
		return reject(out, LW_REASON_DOMAIN_EMPTY);
	if (domain[0] == '[')
		return reject(out, LW_REASON_DOMAIN_LITERAL);

	/* The local part, as NFC. */
	for (i = 0; i < local_n && !local_nonascii; i++)
		local_nonascii = (unsigned char)local[i] >= 0x80;
	if (local_n > LOCAL_INPUT_MAX)
		return reject(out, LW_REASON_LOCAL_TOO_LONG);
	if (local_nonascii) {
		/*
		 * NFC composes some ASCII specials with a combining mark
		 * ('<' U+0338 is U+226E): judge the ASCII of the input too.
		 */
		if (!local_ascii_ok(local, local_n))
			return reject(out, LW_REASON_LOCAL_SYNTAX);
		nfc_n = sizeof(nfc);
		norm = u8_normalize(UNINORM_NFC, (const uint8_t *)local,
		    local_n, nfc, &nfc_n);
		if (norm == NULL)
			return LW_ENOMEM;
		if (norm != nfc) {
			free(norm);
			return reject(out, LW_REASON_LOCAL_TOO_LONG);
		}
		local = (const char *)nfc;
		local_n = nfc_n;
		flags |= LW_ADDRESS_SMTPUTF8;
	}
	if (local_n > LW_ADDRESS_LOCAL_MAX)
		return reject(out, LW_REASON_LOCAL_TOO_LONG);
	if (!dots_ok(local, local_n) ||
	    !local_chars_ok(local, local_n, local_nonascii))
		return reject(out, LW_REASON_LOCAL_SYNTAX);

	/* The domain. */
	if ((err = lw_domain_check(ctx->domains, domain, domain_n, &dom)) != 0)
		return err;
	if (dom->reason != LW_REASON_NONE)
		return reject(out, dom->reason);
	total = local_n + 1 + dom->ascii_len;
	if (total > LW_ADDRESS_MAX)
		return reject(out, LW_REASON_ADDRESS_TOO_LONG);

	/* The forms. */
	key_n = lower_local(local, local_n, local_nonascii, out->key,
	    sizeof(out->key) - 1 - dom->ascii_len);
	if (key_n == LW_ETOOBIG)
		return reject(out, LW_REASON_ADDRESS_TOO_LONG);
	if (key_n < 0)
		return key_n;
	out->key[key_n] = '@';
	memcpy(out->key + key_n + 1, dom->ascii, dom->ascii_len + 1);

	memcpy(out->address, local, local_n);
	out->address[local_n] = '@';
	memcpy(out->address + local_n + 1, dom->ascii, dom->ascii_len + 1);

	memcpy(out->display, local, local_n);
	out->display[local_n] = '@';
	memcpy(out->display + local_n + 1, dom->unicode, dom->unicode_len + 1);

	if (is_role(out->key, (size_t)key_n))
		flags |= LW_ADDRESS_ROLE;
	out->local_len = local_n;
	out->flags = flags;
	out->reason = LW_REASON_NONE;
	return LW_OK;
}
