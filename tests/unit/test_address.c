/*
 * test_address.c - unit tests of the address module
 *
 * NAME
 *	test_address - what lw_address_parse() accepts, rejects and stores
 *
 * DESCRIPTION
 *	Each table row is one input a user could put on a list, with a
 *	sentence saying why it matters.  Rejections come first, in the order
 *	the checks run, so a row that names two faults pins which one wins;
 *	then the normalized forms of accepted addresses, the flags, the keys
 *	that must (or must not) collide, the octet limits, and the cache.
 *
 *	Every failing row is printed with its description before the test
 *	fails, so one run shows all the disagreements, not just the first.
 *
 *	Most non-ASCII text is written as UTF-8 in the literals.  Characters
 *	that cannot be seen, or whose byte form matters (NFD input, invalid
 *	UTF-8), are written as \x escapes with the code point in a comment;
 *	an escape followed by a hex digit is ended by splitting the literal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "listwarden/address.h"
#include "listwarden/error.h"

/* A byte no field of a fresh result should still hold. */
#define GARBAGE		0x55

/* Labels of exactly 63 octets, to build addresses of an exact length. */
#define A16	"aaaaaaaaaaaaaaaa"
#define A63	A16 A16 A16 "aaaaaaaaaaaaaaa"
#define B16	"bbbbbbbbbbbbbbbb"
#define B63	B16 B16 B16 "bbbbbbbbbbbbbbb"
#define C16	"cccccccccccccccc"
#define C63	C16 C16 C16 "ccccccccccccccc"
/* 63 + 1 + 63 + 1 + 63 + 4 = 195 octets */
#define DOMAIN195	A63 "." B63 "." C63 ".com"

/* More distinct IDN domains than any small cache holds. */
#define CACHE_DOMAINS	300

/* The contexts every test shares: one default, one that never unwraps. */
struct fixture {
	struct lw_address_ctx *ctx;
	struct lw_address_ctx *raw;	/* LW_ADDRESS_NO_UNWRAP */
};

/* An input that must be rejected, and the reason it must get. */
struct reject_case {
	const char *desc;
	const char *in;
	size_t len;			/* 0: strlen(in) */
	enum lw_address_reason reason;
};

/*
 * An input that must be accepted, and exactly what is stored.  A NULL key
 * or display means "the same as address", which holds whenever the local
 * part has no capitals and the domain is ASCII.
 */
struct valid_case {
	const char *desc;
	const char *in;
	size_t len;			/* 0: strlen(in) */
	const char *address;
	const char *key;
	const char *display;
	unsigned flags;
};

/* An accepted input and the flags it must carry. */
struct flag_case {
	const char *desc;
	const char *in;
	unsigned flags;
};

/* Two accepted inputs whose keys must be equal, or must differ. */
struct pair_case {
	const char *desc;
	const char *a;
	const char *b;
	int same;
};

/*
 * An input built as prefix, count copies of unit, then suffix, for limits
 * too long to write out.  A valid one must normalize to address_len octets.
 */
struct length_case {
	const char *desc;
	const char *prefix;
	const char *unit;
	size_t count;
	const char *suffix;
	enum lw_address_reason reason;
	size_t address_len;
};

static const struct reject_case rejects[] = {
	/* 1. Trimming, and nothing left. */
	{ "the empty string",
	  "", 0, LW_REASON_EMPTY },
	{ "only spaces",
	  "   ", 0, LW_REASON_EMPTY },
	{ "only spaces and tabs",
	  " \t \t", 0, LW_REASON_EMPTY },
	{ "a newline is not trimmed like a space",
	  "\n", 0, LW_REASON_CONTROL_CHAR },
	{ "a trailing CR is not trimmed",
	  "test@example.com\r", 0, LW_REASON_CONTROL_CHAR },
	{ "a leading newline is not trimmed",
	  "\njane@example.org", 0, LW_REASON_CONTROL_CHAR },
	{ "a leading no-break space (U+00A0) is not trimmed",
	  "\xc2\xa0" "a@example.com", 0, LW_REASON_WHITESPACE },

	/* 2. Wrappers that are not taken off, or hold a bad address. */
	{ "text after the closing '>' leaves the wrapper on",
	  "<me@example.com> !", 0, LW_REASON_WHITESPACE },
	{ "a wrapper never closed is not taken off",
	  "Jane Doe <jane@example.org", 0, LW_REASON_WHITESPACE },
	{ "the unwrapped address is judged: a space inside",
	  "Jane <john doe@example.com>", 0, LW_REASON_WHITESPACE },
	{ "the unwrapped address is judged: a quoted local part",
	  "Jane <\"jane\"@example.org>", 0, LW_REASON_QUOTED_LOCAL },
	{ "the unwrapped address is judged: a special-use domain",
	  "<jane@example.test>", 0, LW_REASON_DOMAIN_SPECIAL_USE },

	/* 3. Invalid UTF-8. */
	{ "a stray continuation byte",
	  "\x80" "abc@example.com", 0, LW_REASON_BAD_UTF8 },
	{ "a truncated three-byte sequence at the end",
	  "abc@example.com\xe2", 0, LW_REASON_BAD_UTF8 },
	{ "a truncated sequence before the '@'",
	  "abc\xe2" "@example.com", 0, LW_REASON_BAD_UTF8 },
	{ "an overlong encoding of '/' (C0 AF)",
	  "\xc0\xaf" "@example.com", 0, LW_REASON_BAD_UTF8 },
	{ "a UTF-16 surrogate (U+D800 as ED A0 80)",
	  "\xed\xa0\x80" "@example.com", 0, LW_REASON_BAD_UTF8 },
	{ "a code point above U+10FFFF (F4 90 80 80)",
	  "a\xf4\x90\x80\x80" "@example.com", 0, LW_REASON_BAD_UTF8 },
	{ "a byte that never occurs in UTF-8 (FF), in the domain",
	  "a@exa\xff" "mple.com", 0, LW_REASON_BAD_UTF8 },
	{ "order: bad UTF-8 is reported before a control character",
	  "a\x01\xff" "@example.com", 0, LW_REASON_BAD_UTF8 },

	/* 4. Control characters. */
	{ "a NUL inside, with the length given",
	  "a\0b@example.com", 15, LW_REASON_CONTROL_CHAR },
	{ "a NUL at the end, counted in the length",
	  "a@example.com\0", 14, LW_REASON_CONTROL_CHAR },
	{ "a TAB inside the domain is not trimmed",
	  "exampl\te@example.com", 0, LW_REASON_CONTROL_CHAR },
	{ "a newline inside the domain",
	  "jane@example\n.org", 0, LW_REASON_CONTROL_CHAR },
	{ "unit separator 0x1F",
	  "a\x1f" "b@example.com", 0, LW_REASON_CONTROL_CHAR },
	{ "DEL 0x7F",
	  "a\x7f" "b@example.com", 0, LW_REASON_CONTROL_CHAR },
	{ "C1 control U+0080",
	  "a\xc2\x80" "b@example.com", 0, LW_REASON_CONTROL_CHAR },
	{ "C1 control U+009F",
	  "jane\xc2\x9f" "@example.org", 0, LW_REASON_CONTROL_CHAR },
	{ "next line U+0085 is a control before it is whitespace",
	  "a\xc2\x85" "b@example.com", 0, LW_REASON_CONTROL_CHAR },
	{ "order: a control character is reported before whitespace",
	  "a b\x7f" "@example.com", 0, LW_REASON_CONTROL_CHAR },

	/* 5. Whitespace inside. */
	{ "a space in the local part",
	  "john doe@example.com", 0, LW_REASON_WHITESPACE },
	{ "a space in the domain",
	  "john@exa mple.com", 0, LW_REASON_WHITESPACE },
	{ "a space before the '@'",
	  "john @example.com", 0, LW_REASON_WHITESPACE },
	{ "no-break space U+00A0",
	  "john\xc2\xa0" "doe@example.com", 0, LW_REASON_WHITESPACE },
	{ "four-per-em space U+2005",
	  "jane\xe2\x80\x85" "@example.org", 0, LW_REASON_WHITESPACE },
	{ "line separator U+2028",
	  "john\xe2\x80\xa8" "doe@example.com", 0, LW_REASON_WHITESPACE },
	{ "ideographic space U+3000 in the domain",
	  "john@exa\xe3\x80\x80" "mple.com", 0, LW_REASON_WHITESPACE },

	/* 6. Quoted local parts, named as such even when they hold spaces. */
	{ "order: a quoted local part is reported before its space",
	  "\"john doe\"@example.com", 0, LW_REASON_QUOTED_LOCAL },
	{ "a quoted local part",
	  "\"test\"@example.com", 0, LW_REASON_QUOTED_LOCAL },
	{ "a quoted local part hiding two dots",
	  "\"john..doe\"@example.com", 0, LW_REASON_QUOTED_LOCAL },
	{ "order: quoted is reported before a comment",
	  "\"a(b)\"@example.com", 0, LW_REASON_QUOTED_LOCAL },
	{ "order: quoted is reported before a second '@'",
	  "\"a@b\"@example.com", 0, LW_REASON_QUOTED_LOCAL },

	/* 7. Comments. */
	{ "a comment in the local part",
	  "john(comment)@example.com", 0, LW_REASON_COMMENT },
	{ "a comment after the domain",
	  "john@example.com(comment)", 0, LW_REASON_COMMENT },
	{ "a comment before the domain",
	  "john@(comment)example.com", 0, LW_REASON_COMMENT },
	{ "a lone ')'",
	  "jo)hn@example.com", 0, LW_REASON_COMMENT },
	{ "order: a comment is reported before a missing '@'",
	  "john(comment)", 0, LW_REASON_COMMENT },

	/* 8. The '@'. */
	{ "no '@' at all",
	  "john.example.com", 0, LW_REASON_NO_AT },
	{ "a bare word",
	  "john", 0, LW_REASON_NO_AT },
	{ "two '@' apart",
	  "a@b@example.com", 0, LW_REASON_MULTIPLE_AT },
	{ "two '@' together",
	  "test@@example.com", 0, LW_REASON_MULTIPLE_AT },
	{ "order: a second '@' is reported before an empty local part",
	  "@a@example.com", 0, LW_REASON_MULTIPLE_AT },

	/* 9. Empty halves. */
	{ "nothing before the '@'",
	  "@example.com", 0, LW_REASON_LOCAL_EMPTY },
	{ "nothing after the '@'",
	  "john@", 0, LW_REASON_DOMAIN_EMPTY },
	{ "order: an empty local part is reported before an empty domain",
	  "@", 0, LW_REASON_LOCAL_EMPTY },

	/* 10. Domain literals. */
	{ "an IPv4 domain literal",
	  "a@[192.168.0.1]", 0, LW_REASON_DOMAIN_LITERAL },
	{ "an IPv6 domain literal",
	  "a@[IPv6:::1]", 0, LW_REASON_DOMAIN_LITERAL },
	{ "order: a domain literal is reported before local syntax",
	  ".a@[192.168.0.1]", 0, LW_REASON_DOMAIN_LITERAL },

	/* 11. Local part syntax and length. */
	{ "a leading dot in the local part",
	  ".john@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a trailing dot in the local part",
	  "john.@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "two dots in a row in the local part",
	  "jo..hn@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a lone dot as the local part",
	  ".@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a comma is not atext",
	  "jo,hn@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a backslash is not atext",
	  "jo\\hn@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a double quote not at the start",
	  "jo\"hn@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "brackets in the local part",
	  "[test]@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a colon is not atext",
	  "a:b@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a semicolon is not atext",
	  "a;b@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a '<' is not atext",
	  "a<b@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a right-to-left override (U+202E, a format character)",
	  "\xe2\x80\xae" "abc@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a private-use character (U+E000)",
	  "\xee\x80\x80" "@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a local part that starts with a combining mark (U+0301)",
	  "\xcc\x81" "abc@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a zero-width space (U+200B) in the local part",
	  "jo\xe2\x80\x8b" "hn@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "a non-ASCII local part still may not have two dots",
	  "jos\xc3\xa9..x@example.com", 0, LW_REASON_LOCAL_SYNTAX },
	{ "order: local syntax is reported before domain syntax",
	  ".a@exa_mple.com", 0, LW_REASON_LOCAL_SYNTAX },

	/* 12. ASCII domain syntax. */
	{ "two dots in a row in the domain",
	  "a@example..com", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "a leading dot in the domain",
	  "a@.example.com", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "a trailing dot (the root) is not accepted",
	  "a@example.com.", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "an underscore in the domain",
	  "a@exa_mple.com", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "a label starting with a hyphen",
	  "a@-example.com", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "a label ending with a hyphen",
	  "a@example-.com", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "a label of only a hyphen",
	  "a@foo.-.com", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "hyphens in positions 3 and 4 of a label that is not xn--",
	  "a@ab--cd.com", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "a '+' in the domain",
	  "a@exa+mple.com", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "order: domain syntax is reported before a single label",
	  "a@exa_mple", 0, LW_REASON_DOMAIN_SYNTAX },
	{ "a label of 64 octets",
	  "a@" A63 "a.com", 0, LW_REASON_DOMAIN_LABEL_TOO_LONG },

	/* 13. Internationalized domains: UTS #46, IDNA2008, bidi. */
	{ "a math symbol (U+2260 not equal) is not IDNA2008",
	  "a@\xe2\x89\xa0" ".com", 0, LW_REASON_DOMAIN_IDNA },
	{ "an emoji domain",
	  "a@\xf0\x9f\x98\x86" ".com", 0, LW_REASON_DOMAIN_IDNA },
	{ "an A-label that decodes to uppercase Greek",
	  "a@xn--example.com", 0, LW_REASON_DOMAIN_IDNA },
	{ "an A-label that is not valid Punycode",
	  "a@xn--zz.com", 0, LW_REASON_DOMAIN_IDNA },
	{ "a zero-width space (U+200B) is judged as given, not deleted",
	  "a@exa\xe2\x80\x8b" "mple.com", 0, LW_REASON_DOMAIN_IDNA },
	{ "an enclosed 'digit full stop' (U+2488) is not IDNA2008",
	  "a@\xe2\x92\x88" "example.com", 0, LW_REASON_DOMAIN_IDNA },
	{ "bidi: with a Hebrew label, a label may not start with a digit",
	  "user@1a.\xd7\x90\xd7\x91" ".com", 0, LW_REASON_DOMAIN_IDNA },
	{ "bidi: with a Hebrew label, a digit-only label is refused",
	  "user@0.\xd7\x90\xd7\x91" ".com", 0, LW_REASON_DOMAIN_IDNA },

	/* 14. Where the domain points. */
	{ "a single-label domain",
	  "john@localhostish", 0, LW_REASON_DOMAIN_SINGLE_LABEL },
	{ "a bare top-level domain",
	  "a@com", 0, LW_REASON_DOMAIN_SINGLE_LABEL },
	{ "order: a single label is reported before a numeric TLD",
	  "a@123", 0, LW_REASON_DOMAIN_SINGLE_LABEL },
	{ "order: a single label is reported before special use",
	  "a@localhost", 0, LW_REASON_DOMAIN_SINGLE_LABEL },
	{ "an all-digit top-level label",
	  "a@example.123", 0, LW_REASON_DOMAIN_TLD },
	{ "an IPv4 address without brackets",
	  "a@192.168.0.1", 0, LW_REASON_DOMAIN_TLD },
	{ "a top-level label ending in a digit",
	  "a@example.x2", 0, LW_REASON_DOMAIN_TLD },
	{ "the .test TLD",
	  "a@foo.test", 0, LW_REASON_DOMAIN_SPECIAL_USE },
	{ "the .local TLD",
	  "a@mail.local", 0, LW_REASON_DOMAIN_SPECIAL_USE },
	{ "the .onion TLD",
	  "a@x.onion", 0, LW_REASON_DOMAIN_SPECIAL_USE },
	{ "the .arpa TLD",
	  "a@1.in-addr.arpa", 0, LW_REASON_DOMAIN_SPECIAL_USE },
	{ "the .invalid TLD",
	  "a@example.invalid", 0, LW_REASON_DOMAIN_SPECIAL_USE },
	{ "the .localhost TLD",
	  "a@foo.localhost", 0, LW_REASON_DOMAIN_SPECIAL_USE },
	{ "a special-use TLD in capitals",
	  "a@Example.TEST", 0, LW_REASON_DOMAIN_SPECIAL_USE },
};

static const struct valid_case valids[] = {
	/* Trimming and the explicit length. */
	{ "surrounding spaces and tabs are trimmed",
	  " \t a@example.com \t ", 0,
	  "a@example.com", NULL, NULL, 0 },
	{ "bytes past the given length are not read",
	  "a@example.comXYZ", 13,
	  "a@example.com", NULL, NULL, 0 },

	/* Unwrapping. */
	{ "a display name and angle brackets are taken off",
	  "Jane Doe <jane@example.org>", 0,
	  "jane@example.org", NULL, NULL, LW_ADDRESS_UNWRAPPED },
	{ "a quoted display name with a comma is taken off",
	  "\"Doe, Jane\" <jane@example.org>", 0,
	  "jane@example.org", NULL, NULL, LW_ADDRESS_UNWRAPPED },
	{ "bare angle brackets are taken off",
	  "<jane@example.org>", 0,
	  "jane@example.org", NULL, NULL, LW_ADDRESS_UNWRAPPED },
	{ "the text inside the brackets is trimmed again",
	  "  Jane Doe < \tjane@example.org\t >  ", 0,
	  "jane@example.org", NULL, NULL, LW_ADDRESS_UNWRAPPED },
	{ "the header's own example: unwrapped, IDN, capitals",
	  "Jane <Jane.Doe@B\xc3\xbc" "cher.DE>", 0,
	  "Jane.Doe@xn--bcher-kva.de", "jane.doe@xn--bcher-kva.de",
	  "Jane.Doe@b\xc3\xbc" "cher.de", LW_ADDRESS_UNWRAPPED },

	/* ASCII local parts and domains. */
	{ "a plain address is stored as given",
	  "john@example.com", 0,
	  "john@example.com", NULL, NULL, 0 },
	{ "the domain is lowercased, the local part kept",
	  "John.Doe@Example.COM", 0,
	  "John.Doe@example.com", "john.doe@example.com",
	  "John.Doe@example.com", 0 },
	{ "every atext special character is allowed",
	  "!#$%&'*+-/=?^_`{|}~@example.com", 0,
	  "!#$%&'*+-/=?^_`{|}~@example.com", NULL, NULL, 0 },
	{ "dots between atoms, plus and digits",
	  "first.m.last+tag42@sub.example.co.uk", 0,
	  "first.m.last+tag42@sub.example.co.uk", NULL, NULL, 0 },
	{ "hyphens inside labels, and in positions 2-3",
	  "a@c--n.my-example.com", 0,
	  "a@c--n.my-example.com", NULL, NULL, 0 },
	{ "digits in labels, a TLD that merely contains one",
	  "a@123.example.c0m", 0,
	  "a@123.example.c0m", NULL, NULL, 0 },
	{ "one-letter labels",
	  "a@b.c", 0,
	  "a@b.c", NULL, NULL, 0 },

	/* Internationalized domains. */
	{ "a U-label is stored as its A-label",
	  "user@B\xc3\xbc" "cher.DE", 0,
	  "user@xn--bcher-kva.de", NULL,
	  "user@b\xc3\xbc" "cher.de", 0 },
	{ "an NFD U-label (u + U+0308) gets the same A-label",
	  "user@Bu\xcc\x88" "cher.de", 0,
	  "user@xn--bcher-kva.de", NULL,
	  "user@b\xc3\xbc" "cher.de", 0 },
	{ "an A-label in capitals is lowercased",
	  "user@XN--BCHER-KVA.DE", 0,
	  "user@xn--bcher-kva.de", NULL,
	  "user@b\xc3\xbc" "cher.de", 0 },
	{ "an A-label is displayed as its U-label",
	  "user@xn--bcher-kva.de", 0,
	  "user@xn--bcher-kva.de", NULL,
	  "user@b\xc3\xbc" "cher.de", 0 },
	{ "non-transitional: sharp s stays, not 'ss'",
	  "user@fa\xc3\x9f.de", 0,
	  "user@xn--fa-hia.de", NULL,
	  "user@fa\xc3\x9f.de", 0 },
	{ "ideographic full stop and fullwidth letters",
	  "user@日本語。ＪＰ", 0,
	  "user@xn--wgv71a119e.jp", NULL,
	  "user@日本語.jp", 0 },
	{ "fullwidth full stop (U+FF0E) separates labels",
	  "user@b\xc3\xbc" "cher\xef\xbc\x8e" "de", 0,
	  "user@xn--bcher-kva.de", NULL,
	  "user@b\xc3\xbc" "cher.de", 0 },
	{ "bidi: a label starting with a letter beside a Hebrew one",
	  "user@a1.\xd7\x90\xd7\x91" ".com", 0,
	  "user@a1.xn--4dbc.com", NULL,
	  "user@a1.\xd7\x90\xd7\x91" ".com", 0 },
	{ "a Hebrew label alone is fine",
	  "user@\xd7\x90\xd7\x91" ".com", 0,
	  "user@xn--4dbc.com", NULL,
	  "user@\xd7\x90\xd7\x91" ".com", 0 },

	/* Internationalized local parts. */
	{ "an NFC local part is stored as given",
	  "jos\xc3\xa9@example.es", 0,
	  "jos\xc3\xa9@example.es", NULL, NULL, LW_ADDRESS_SMTPUTF8 },
	{ "an NFD local part (e + U+0301) is stored in NFC",
	  "Jose\xcc\x81" "@example.es", 0,
	  "Jos\xc3\xa9@example.es", "jos\xc3\xa9@example.es",
	  "Jos\xc3\xa9@example.es", LW_ADDRESS_SMTPUTF8 },
	{ "the key lowercases non-ASCII capitals",
	  "MÜLLER@example.de", 0,
	  "MÜLLER@example.de", "müller@example.de",
	  "MÜLLER@example.de", LW_ADDRESS_SMTPUTF8 },
	{ "Chinese local part and domain",
	  "伊昭傑@郵件.商務", 0,
	  "伊昭傑@xn--5nqv22n.xn--lhr59c", NULL,
	  "伊昭傑@郵件.商務", LW_ADDRESS_SMTPUTF8 },
	{ "a Cyrillic local part with a dot, hyphen and digit",
	  "иван.петров-2@example.com", 0,
	  "иван.петров-2@example.com", NULL, NULL,
	  LW_ADDRESS_SMTPUTF8 },
	{ "ASCII mixed with CJK in the local part",
	  "li葉@example.tw", 0,
	  "li葉@example.tw", NULL, NULL, LW_ADDRESS_SMTPUTF8 },
	{ "symbols are allowed in a non-ASCII local part",
	  "\xf0\x9f\x98\x86" "@example.com", 0,
	  "\xf0\x9f\x98\x86" "@example.com", NULL, NULL,
	  LW_ADDRESS_SMTPUTF8 },
	{ "a combining mark after a letter is allowed",
	  "e\xcc\xa3" "x@example.com", 0,
	  "\xe1\xba\xb9" "x@example.com", NULL, NULL,
	  LW_ADDRESS_SMTPUTF8 },
};

static const struct flag_case flag_cases[] = {
	{ "an ordinary address has no flags",
	  "john@example.com", 0 },
	{ "an IDN domain alone does not need SMTPUTF8",
	  "john@b\xc3\xbc" "cher.de", 0 },
	{ "a non-ASCII local part needs SMTPUTF8",
	  "jos\xc3\xa9@example.es", LW_ADDRESS_SMTPUTF8 },
	{ "postmaster is a role",
	  "postmaster@example.com", LW_ADDRESS_ROLE },
	{ "abuse is a role",
	  "abuse@example.com", LW_ADDRESS_ROLE },
	{ "info is a role",
	  "info@example.com", LW_ADDRESS_ROLE },
	{ "noreply is a role",
	  "noreply@example.com", LW_ADDRESS_ROLE },
	{ "no-reply is a role",
	  "no-reply@example.com", LW_ADDRESS_ROLE },
	{ "admin is a role",
	  "admin@example.com", LW_ADDRESS_ROLE },
	{ "support is a role",
	  "support@example.com", LW_ADDRESS_ROLE },
	{ "sales is a role",
	  "sales@example.com", LW_ADDRESS_ROLE },
	{ "webmaster is a role",
	  "webmaster@example.com", LW_ADDRESS_ROLE },
	{ "roles are compared without case",
	  "POSTMASTER@Example.COM", LW_ADDRESS_ROLE },
	{ "a role with a '+' tag is still a role",
	  "Info+news@example.com", LW_ADDRESS_ROLE },
	{ "a role with an empty '+' tag is still a role",
	  "info+@example.com", LW_ADDRESS_ROLE },
	{ "a role at an IDN domain",
	  "noreply+bounce@b\xc3\xbc" "cher.de", LW_ADDRESS_ROLE },
	{ "a word that starts with a role name is not a role",
	  "information@example.com", 0 },
	{ "a plain name is not a role",
	  "john@example.com", 0 },
	{ "a role name after the '+' does not count",
	  "john+info@example.com", 0 },
	{ "a role name as part of a dotted name does not count",
	  "info.desk@example.com", 0 },
	{ "a wrapped address is flagged unwrapped",
	  "<john@example.com>", LW_ADDRESS_UNWRAPPED },
	{ "a wrapped role address carries both flags",
	  "\"Support Desk\" <support@example.com>",
	  LW_ADDRESS_ROLE | LW_ADDRESS_UNWRAPPED },
	{ "all three flags at once",
	  "Ana <info+jos\xc3\xa9@example.es>",
	  LW_ADDRESS_SMTPUTF8 | LW_ADDRESS_ROLE | LW_ADDRESS_UNWRAPPED },
};

static const struct pair_case pairs[] = {
	{ "capitals in the local part and domain share a key",
	  "John.Doe@Example.COM", "john.doe@example.com", 1 },
	{ "a U-label and its A-label share a key",
	  "user@m\xc3\xbc" "nchen.de", "user@xn--mnchen-3ya.de", 1 },
	{ "NFC and NFD local parts share a key",
	  "jos\xc3\xa9@example.es", "jose\xcc\x81" "@example.es", 1 },
	{ "non-ASCII capitals share a key with small letters",
	  "MÜLLER@example.de", "müller@example.de", 1 },
	{ "a wrapped and a bare address share a key",
	  "Jane <Jane@Example.org>", "jane@example.org", 1 },
	{ "an accent makes a different address",
	  "jos\xc3\xa9@example.es", "jose@example.es", 0 },
	{ "a different TLD makes a different address",
	  "john@example.com", "john@example.org", 0 },
	{ "a '+' tag is kept in the key",
	  "john+news@example.com", "john@example.com", 0 },
	{ "sharp s is not folded to 'ss' in the domain",
	  "user@fa\xc3\x9f.de", "user@fass.de", 0 },
};

static const struct length_case lengths[] = {
	{ "a 64-octet local part is accepted",
	  "", "a", 64, "@example.com", LW_REASON_NONE, 64 + 12 },
	{ "a 65-octet local part is too long",
	  "", "a", 65, "@example.com", LW_REASON_LOCAL_TOO_LONG, 0 },
	{ "16 emoji of 4 octets (64) are accepted",
	  "", "\xf0\x9f\x98\x86", 16, "@example.com", LW_REASON_NONE,
	  64 + 12 },
	{ "17 emoji of 4 octets (68) are too long",
	  "", "\xf0\x9f\x98\x86", 17, "@example.com",
	  LW_REASON_LOCAL_TOO_LONG, 0 },
	{ "32 NFD e-acute (96 octets, 64 after NFC) are accepted",
	  "", "e\xcc\x81", 32, "@example.com", LW_REASON_NONE, 64 + 12 },
	{ "33 NFD e-acute (66 octets after NFC) are too long",
	  "", "e\xcc\x81", 33, "@example.com",
	  LW_REASON_LOCAL_TOO_LONG, 0 },
	{ "a 63-octet label is accepted",
	  "a@", "b", 63, ".com", LW_REASON_NONE, 2 + 63 + 4 },
	{ "a 64-octet label is too long",
	  "a@", "b", 64, ".com", LW_REASON_DOMAIN_LABEL_TOO_LONG, 0 },
	{ "a 64-octet last label is too long",
	  "a@example.", "b", 64, "", LW_REASON_DOMAIN_LABEL_TOO_LONG, 0 },
	{ "a 254-octet address is accepted",
	  "", "x", 58, "@" DOMAIN195, LW_REASON_NONE, 254 },
	{ "a 255-octet address is too long",
	  "", "x", 59, "@" DOMAIN195, LW_REASON_ADDRESS_TOO_LONG, 0 },
	{ "the wrapper does not count toward the 254 octets",
	  "Jane Doe <", "x", 58, "@" DOMAIN195 ">", LW_REASON_NONE, 254 },
	{ "trimmed spaces do not count toward the 254 octets",
	  "    ", "x", 58, "@" DOMAIN195 "    ", LW_REASON_NONE, 254 },
	{ "254 octets after NFC, though longer as given, is accepted",
	  "", "e\xcc\x81", 29, "@" DOMAIN195, LW_REASON_NONE, 254 },
	{ "255 octets after NFC is too long",
	  "x", "e\xcc\x81", 29, "@" DOMAIN195,
	  LW_REASON_ADDRESS_TOO_LONG, 0 },
	{ "special use is reported before the address length",
	  "", "x", 59, "@" A63 "." B63 "." C63 ".test",
	  LW_REASON_DOMAIN_SPECIAL_USE, 0 },
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

/* reason_str - a printable name for a reason, even an out-of-range one */
static const char *
reason_str(enum lw_address_reason reason)
{
	if ((unsigned)reason >= LW_REASON_COUNT)
		return "(out of range)";
	return reason == LW_REASON_NONE ? "valid" : reason_names[reason];
}

/* field_str - a string field if it is terminated inside its array */
static const char *
field_str(const char *field, size_t size)
{
	return memchr(field, '\0', size) != NULL ? field : "(unterminated)";
}

#define FIELD(a, f)	field_str((a)->f, sizeof((a)->f))

/* parse - run the parser on fresh garbage so every field must be written */
static int
parse(struct lw_address_ctx *ctx, const char *in, size_t len,
    struct lw_address *out)
{
	memset(out, GARBAGE, sizeof(*out));
	return lw_address_parse(ctx, in, len, out);
}

/* in_len - the length a row means: its own, or strlen when it gives 0 */
static size_t
in_len(const char *in, size_t len)
{
	return len != 0 ? len : strlen(in);
}

/* check_rejected - say whether out is a rejection for want, else print it */
static int
check_rejected(const char *desc, int rc, const struct lw_address *out,
    enum lw_address_reason want)
{
	if (rc != LW_OK) {
		print_error("FAIL %s: returned %d, want LW_OK\n", desc, rc);
		return 0;
	}
	if (out->reason != want) {
		print_error("FAIL %s: reason %s, want %s (address \"%s\")\n",
		    desc, reason_str(out->reason), reason_str(want),
		    FIELD(out, address));
		return 0;
	}
	if (out->address[0] != '\0' || out->key[0] != '\0' ||
	    out->display[0] != '\0' || out->flags != 0) {
		print_error("FAIL %s: rejected, but strings not empty or "
		    "flags 0x%x not 0\n", desc, out->flags);
		return 0;
	}
	return 1;
}

/* check_string - compare one string field of an accepted address */
static int
check_string(const char *desc, const char *name, const char *field,
    size_t size, const char *want)
{
	const char *got = field_str(field, size);

	if (strcmp(got, want) == 0)
		return 1;
	print_error("FAIL %s: %s \"%s\", want \"%s\"\n", desc, name, got,
	    want);
	return 0;
}

/* check_valid - say whether out is the accepted address c wants */
static int
check_valid(const struct valid_case *c, int rc, const struct lw_address *out)
{
	const char *at;
	int ok = 1;

	if (rc != LW_OK) {
		print_error("FAIL %s: returned %d, want LW_OK\n", c->desc, rc);
		return 0;
	}
	if (out->reason != LW_REASON_NONE) {
		print_error("FAIL %s: rejected as %s, want \"%s\"\n", c->desc,
		    reason_str(out->reason), c->address);
		return 0;
	}
	ok &= check_string(c->desc, "address", out->address,
	    sizeof(out->address), c->address);
	ok &= check_string(c->desc, "key", out->key, sizeof(out->key),
	    c->key != NULL ? c->key : c->address);
	ok &= check_string(c->desc, "display", out->display,
	    sizeof(out->display), c->display != NULL ? c->display : c->address);
	if (out->flags != c->flags) {
		print_error("FAIL %s: flags 0x%x, want 0x%x\n", c->desc,
		    out->flags, c->flags);
		ok = 0;
	}
	/* The local part is everything before the only '@'. */
	at = strchr(c->address, '@');
	if (at != NULL && out->local_len != (size_t)(at - c->address)) {
		print_error("FAIL %s: local_len %zu, want %zu\n", c->desc,
		    out->local_len, (size_t)(at - c->address));
		ok = 0;
	}
	return ok;
}

/* test_rejects - every rejection row gets exactly its reason */
static void
test_rejects(void **state)
{
	struct fixture *fx = *state;
	struct lw_address out;
	size_t i, failed = 0;
	int rc;

	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		const struct reject_case *c = &rejects[i];

		rc = parse(fx->ctx, c->in, in_len(c->in, c->len), &out);
		if (!check_rejected(c->desc, rc, &out, c->reason))
			failed++;
	}
	if (failed != 0)
		fail_msg("%zu of %zu rejection cases failed", failed, i);
}

/* test_valids - every valid row is stored in exactly its forms */
static void
test_valids(void **state)
{
	struct fixture *fx = *state;
	struct lw_address out;
	size_t i, failed = 0;
	int rc;

	for (i = 0; i < sizeof(valids) / sizeof(valids[0]); i++) {
		const struct valid_case *c = &valids[i];

		rc = parse(fx->ctx, c->in, in_len(c->in, c->len), &out);
		if (!check_valid(c, rc, &out))
			failed++;
	}
	if (failed != 0)
		fail_msg("%zu of %zu valid cases failed", failed, i);
}

/* test_flags - accepted addresses carry exactly their flags */
static void
test_flags(void **state)
{
	struct fixture *fx = *state;
	struct lw_address out;
	size_t i, failed = 0;
	int rc;

	for (i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		const struct flag_case *c = &flag_cases[i];

		rc = parse(fx->ctx, c->in, strlen(c->in), &out);
		if (rc != LW_OK || out.reason != LW_REASON_NONE) {
			print_error("FAIL %s: returned %d, reason %s, "
			    "want valid\n", c->desc, rc,
			    reason_str(out.reason));
			failed++;
		} else if (out.flags != c->flags) {
			print_error("FAIL %s: flags 0x%x, want 0x%x\n",
			    c->desc, out.flags, c->flags);
			failed++;
		}
	}
	if (failed != 0)
		fail_msg("%zu of %zu flag cases failed", failed, i);
}

/* test_key_pairs - keys collide exactly when the mailbox is the same */
static void
test_key_pairs(void **state)
{
	struct fixture *fx = *state;
	struct lw_address a, b;
	size_t i, failed = 0;
	int rca, rcb, same;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const struct pair_case *c = &pairs[i];

		rca = parse(fx->ctx, c->a, strlen(c->a), &a);
		rcb = parse(fx->ctx, c->b, strlen(c->b), &b);
		if (rca != LW_OK || rcb != LW_OK ||
		    a.reason != LW_REASON_NONE || b.reason != LW_REASON_NONE) {
			print_error("FAIL %s: not both valid (%s, %s)\n",
			    c->desc, reason_str(a.reason),
			    reason_str(b.reason));
			failed++;
			continue;
		}
		same = strcmp(FIELD(&a, key), FIELD(&b, key)) == 0;
		if (same != c->same) {
			print_error("FAIL %s: keys \"%s\" and \"%s\" %s\n",
			    c->desc, FIELD(&a, key), FIELD(&b, key),
			    same ? "are equal" : "differ");
			failed++;
		}
	}
	if (failed != 0)
		fail_msg("%zu of %zu key pairs failed", failed, i);
}

/* build - prefix, count copies of unit, suffix, in a new string */
static char *
build(const char *prefix, const char *unit, size_t count, const char *suffix,
    size_t *lenp)
{
	size_t plen = strlen(prefix), ulen = strlen(unit);
	size_t slen = strlen(suffix), len, i;
	char *s, *p;

	len = plen + ulen * count + slen;
	s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, prefix, plen);
	p = s + plen;
	for (i = 0; i < count; i++, p += ulen)
		memcpy(p, unit, ulen);
	memcpy(p, suffix, slen + 1);
	*lenp = len;
	return s;
}

/* test_lengths - the octet limits hold after normalization, to the octet */
static void
test_lengths(void **state)
{
	struct fixture *fx = *state;
	struct lw_address out;
	size_t i, len, failed = 0;
	char *in;
	int rc;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		const struct length_case *c = &lengths[i];

		in = build(c->prefix, c->unit, c->count, c->suffix, &len);
		rc = parse(fx->ctx, in, len, &out);
		free(in);
		if (c->reason != LW_REASON_NONE) {
			if (!check_rejected(c->desc, rc, &out, c->reason))
				failed++;
		} else if (rc != LW_OK || out.reason != LW_REASON_NONE) {
			print_error("FAIL %s: returned %d, reason %s, "
			    "want valid\n", c->desc, rc,
			    reason_str(out.reason));
			failed++;
		} else if (strlen(FIELD(&out, address)) != c->address_len) {
			print_error("FAIL %s: address of %zu octets, "
			    "want %zu\n", c->desc,
			    strlen(FIELD(&out, address)), c->address_len);
			failed++;
		}
	}
	if (failed != 0)
		fail_msg("%zu of %zu length cases failed", failed, i);
}

/* test_huge_input - a megabyte local part is refused, not overrun */
static void
test_huge_input(void **state)
{
	struct fixture *fx = *state;
	struct lw_address out;
	size_t len;
	char *in;
	int rc;

	in = build("", "a", 1000000, "@example.com", &len);
	rc = parse(fx->ctx, in, len, &out);
	free(in);
	assert_true(check_rejected("a 1 MB local part", rc, &out,
	    LW_REASON_LOCAL_TOO_LONG));
}

/* test_no_unwrap - a NO_UNWRAP context judges the wrapper as given */
static void
test_no_unwrap(void **state)
{
	static const struct reject_case raw_rejects[] = {
		{ "a display name is whitespace when not unwrapped",
		  "Jane Doe <jane@example.org>", 0, LW_REASON_WHITESPACE },
		{ "a bare '<' is local syntax when not unwrapped",
		  "<jane@example.org>", 0, LW_REASON_LOCAL_SYNTAX },
	};
	static const struct valid_case raw_valid = {
		"a bare address is still trimmed and accepted",
		"\t John.Doe@Example.COM ", 0,
		"John.Doe@example.com", "john.doe@example.com",
		"John.Doe@example.com", 0
	};
	struct fixture *fx = *state;
	struct lw_address out;
	size_t i, failed = 0;
	int rc;

	for (i = 0; i < sizeof(raw_rejects) / sizeof(raw_rejects[0]); i++) {
		const struct reject_case *c = &raw_rejects[i];

		rc = parse(fx->raw, c->in, in_len(c->in, c->len), &out);
		if (!check_rejected(c->desc, rc, &out, c->reason))
			failed++;
	}
	rc = parse(fx->raw, raw_valid.in, strlen(raw_valid.in), &out);
	if (!check_valid(&raw_valid, rc, &out))
		failed++;
	if (failed != 0)
		fail_msg("%zu NO_UNWRAP cases failed", failed);
}

/* test_cache - an IDN domain gives the same verdict however often seen */
static void
test_cache(void **state)
{
	static const struct valid_case first = {
		"user@B\xc3\xbc" "cher.DE, first time",
		"user@B\xc3\xbc" "cher.DE", 0,
		"user@xn--bcher-kva.de", NULL,
		"user@b\xc3\xbc" "cher.de", 0
	};
	struct fixture *fx = *state;
	static char seen[CACHE_DOMAINS][LW_ADDRESS_MAX + 1];
	struct lw_address out, again;
	char in[64];
	size_t failed = 0;
	int i, pass, rc;

	rc = parse(fx->ctx, first.in, strlen(first.in), &out);
	assert_true(check_valid(&first, rc, &out));

	/* The same domain with another local part must not reuse "user". */
	snprintf(in, sizeof(in), "Other@b\xc3\xbc" "cher.de");
	rc = parse(fx->ctx, in, strlen(in), &again);
	assert_int_equal(rc, LW_OK);
	assert_int_equal(again.reason, LW_REASON_NONE);
	assert_string_equal(FIELD(&again, address),
	    "Other@xn--bcher-kva.de");
	assert_string_equal(FIELD(&again, key), "other@xn--bcher-kva.de");
	assert_string_equal(FIELD(&again, display),
	    "Other@b\xc3\xbc" "cher.de");

	/*
	 * Many distinct domains, twice over, push out whatever is cached;
	 * the second pass must give the A-labels the first one did.
	 */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < CACHE_DOMAINS; i++) {
			snprintf(in, sizeof(in), "u@b\xc3\xbc" "cher%d.de", i);
			rc = parse(fx->ctx, in, strlen(in), &again);
			if (rc == LW_OK && again.reason == LW_REASON_NONE &&
			    strcmp(FIELD(&again, display), in) == 0 &&
			    strncmp(FIELD(&again, address), "u@xn--", 6) == 0 &&
			    (pass == 0 ||
			    strcmp(again.address, seen[i]) == 0)) {
				if (pass == 0)
					memcpy(seen[i], again.address,
					    sizeof(seen[i]));
				continue;
			}
			print_error("FAIL pass %d, %s: reason %s, address "
			    "\"%s\", display \"%s\"\n", pass, in,
			    reason_str(again.reason), FIELD(&again, address),
			    FIELD(&again, display));
			failed++;
		}
	}
	if (failed != 0)
		fail_msg("%zu cache lookups failed", failed);

	/* And the first domain again, in other capitals. */
	rc = parse(fx->ctx, first.in, strlen(first.in), &again);
	assert_true(check_valid(&first, rc, &again));
	assert_int_equal(again.local_len, out.local_len);

	/* A rejected IDN domain stays rejected when seen again. */
	for (i = 0; i < 2; i++) {
		snprintf(in, sizeof(in), "a@\xf0\x9f\x98\x86" ".com");
		rc = parse(fx->ctx, in, strlen(in), &again);
		assert_true(check_rejected("emoji domain, seen again", rc,
		    &again, LW_REASON_DOMAIN_IDNA));
	}
}

/* test_reason_names - the stable identifiers users grep for */
static void
test_reason_names(void **state)
{
	const char *name, *text;
	int r, s;

	(void)state;
	assert_string_equal(lw_address_reason_name(LW_REASON_NONE), "");
	for (r = 1; r < LW_REASON_COUNT; r++) {
		name = lw_address_reason_name(r);
		text = lw_address_reason_text(r);
		assert_non_null(name);
		assert_non_null(text);
		if (strcmp(name, reason_names[r]) != 0)
			fail_msg("reason %d is named \"%s\", want \"%s\"", r,
			    name, reason_names[r]);
		assert_true(name[0] != '\0');
		assert_true(text[0] != '\0');
		for (s = 1; s < r; s++)
			if (strcmp(name, lw_address_reason_name(s)) == 0)
				fail_msg("reasons %d and %d share the name "
				    "\"%s\"", s, r, name);
	}
}

/* test_flag_names - flag names come in a fixed order, with the count */
static void
test_flag_names(void **state)
{
	const char *names[4];
	int n;

	(void)state;
	names[0] = names[1] = names[2] = names[3] = NULL;
	n = lw_address_flag_names(0, names, 4);
	assert_int_equal(n, 0);
	assert_null(names[0]);

	n = lw_address_flag_names(LW_ADDRESS_SMTPUTF8 | LW_ADDRESS_ROLE |
	    LW_ADDRESS_UNWRAPPED, names, 4);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "smtputf8");
	assert_string_equal(names[1], "role");
	assert_string_equal(names[2], "unwrapped");
	assert_null(names[3]);

	names[0] = names[1] = names[2] = NULL;
	n = lw_address_flag_names(LW_ADDRESS_UNWRAPPED | LW_ADDRESS_ROLE,
	    names, 4);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "role");
	assert_string_equal(names[1], "unwrapped");
	assert_null(names[2]);

	/* A short array gets the first names and the full count. */
	names[0] = names[1] = names[2] = NULL;
	n = lw_address_flag_names(LW_ADDRESS_SMTPUTF8 | LW_ADDRESS_ROLE |
	    LW_ADDRESS_UNWRAPPED, names, 1);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "smtputf8");
	assert_null(names[1]);
}

/* test_ctx_free_null - freeing no context is a no-op */
static void
test_ctx_free_null(void **state)
{
	(void)state;
	lw_address_ctx_free(NULL);
}

/* setup - make the two contexts every test shares */
static int
setup(void **state)
{
	struct fixture *fx;

	fx = calloc(1, sizeof(*fx));
	if (fx == NULL)
		return -1;
	if (lw_address_ctx_new(&fx->ctx, 0) != LW_OK ||
	    lw_address_ctx_new(&fx->raw, LW_ADDRESS_NO_UNWRAP) != LW_OK) {
		lw_address_ctx_free(fx->ctx);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

/* teardown - release the shared contexts */
static int
teardown(void **state)
{
	struct fixture *fx = *state;

	lw_address_ctx_free(fx->raw);
	lw_address_ctx_free(fx->ctx);
	free(fx);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_valids),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_key_pairs),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_huge_input),
		cmocka_unit_test(test_no_unwrap),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_flag_names),
		cmocka_unit_test(test_ctx_free_null),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
