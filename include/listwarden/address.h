/*
 * listwarden/address.h - validate and normalize one email address
 *
 * NAME
 *	address - the verdict on one address, and the forms it is kept in
 *
 * SYNOPSIS
 *	struct lw_address_ctx *ctx;
 *	struct lw_address a;
 *
 *	lw_address_ctx_new(&ctx, 0);
 *	lw_address_parse(ctx, "Jane <Jane.Doe@Bücher.DE>", len, &a);
 *	a.reason == LW_REASON_NONE
 *	a.address  "Jane.Doe@xn--bcher-kva.de"
 *	a.key      "jane.doe@xn--bcher-kva.de"
 *	a.display  "Jane.Doe@bücher.de"
 *	a.flags    LW_ADDRESS_UNWRAPPED
 *	lw_address_ctx_free(ctx);
 *
 * DESCRIPTION
 *	The verdict is the list policy: accept a bare address that a mailing
 *	list can store and send to.  Surrounding spaces and tabs are trimmed
 *	and a "Name <addr>" or "<addr>" wrapper is taken off (unless the
 *	context says LW_ADDRESS_NO_UNWRAP); nothing else is repaired.  The
 *	local part must be a dot-atom of ASCII atext or, for SMTPUTF8, of
 *	Unicode letters, marks, numbers, punctuation and symbols, judged after
 *	NFC.  The domain goes through UTS #46 non-transitional mapping and
 *	IDNA2008 (libidn2), is checked again for LDH syntax and lengths, and
 *	the cross-label bidi rule of RFC 5893.  Lengths are counted in octets
 *	of the normalized form: 64 for the local part, 254 for the address.
 *
 *	ASCII domains never reach libidn2.  Internationalized domains are
 *	converted once per context and kept in a small cache, since a real
 *	list holds few distinct ones.
 *
 *	A rejected address has a reason: a stable identifier, given by
 *	lw_address_reason_name(), that users grep and scripts count.  The
 *	list is in enum lw_address_reason; new reasons are only ever added.
 *
 * OWNERSHIP
 *	The context owns its cache; lw_address_ctx_free() releases it and
 *	accepts NULL.  struct lw_address is plain storage owned by the
 *	caller; it holds no pointers.  A context is not for use by two
 *	threads at once; give each thread its own.
 *
 * DIAGNOSTICS
 *	lw_address_parse() returns LW_OK when it reached a verdict (valid or
 *	not), or LW_ENOMEM.
 */
#ifndef LISTWARDEN_ADDRESS_H
#define LISTWARDEN_ADDRESS_H

#include <stddef.h>

/* Octet limits of RFC 5321, after normalization. */
#define LW_ADDRESS_LOCAL_MAX	64
#define LW_ADDRESS_MAX		254
/* The key lowercases the local part, which can grow a few octets. */
#define LW_ADDRESS_KEY_MAX	(LW_ADDRESS_MAX + LW_ADDRESS_LOCAL_MAX)
/* The display form spells the domain as U-labels, up to 4 octets a code point. */
#define LW_ADDRESS_DISPLAY_MAX	(LW_ADDRESS_LOCAL_MAX + 1 + 4 * LW_ADDRESS_MAX)

/* Context options for lw_address_ctx_new(). */
#define LW_ADDRESS_NO_UNWRAP	0x1	/* judge "Name <a@b>" as given */

/* Flags of an accepted address. */
#define LW_ADDRESS_SMTPUTF8	0x1	/* non-ASCII local part */
#define LW_ADDRESS_ROLE		0x2	/* postmaster@, info@, noreply@ ... */
#define LW_ADDRESS_UNWRAPPED	0x4	/* came as "Name <addr>" or "<addr>" */

enum lw_address_reason {
	LW_REASON_NONE = 0,		/* valid */
	LW_REASON_EMPTY,
	LW_REASON_BAD_UTF8,
	LW_REASON_CONTROL_CHAR,
	LW_REASON_WHITESPACE,
	LW_REASON_NO_AT,
	LW_REASON_MULTIPLE_AT,
	LW_REASON_QUOTED_LOCAL,
	LW_REASON_COMMENT,
	LW_REASON_LOCAL_EMPTY,
	LW_REASON_LOCAL_SYNTAX,
	LW_REASON_LOCAL_TOO_LONG,
	LW_REASON_DOMAIN_EMPTY,
	LW_REASON_DOMAIN_LITERAL,
	LW_REASON_DOMAIN_SYNTAX,
	LW_REASON_DOMAIN_LABEL_TOO_LONG,
	LW_REASON_DOMAIN_IDNA,
	LW_REASON_DOMAIN_SINGLE_LABEL,
	LW_REASON_DOMAIN_TLD,
	LW_REASON_DOMAIN_SPECIAL_USE,
	LW_REASON_ADDRESS_TOO_LONG,
	LW_REASON_COUNT
};

struct lw_address {
	char address[LW_ADDRESS_MAX + 1];	/* local (NFC) @ A-label domain */
	char key[LW_ADDRESS_KEY_MAX + 1];	/* address, local part lowercased */
	char display[LW_ADDRESS_DISPLAY_MAX + 1]; /* domain as U-labels */
	size_t local_len;	/* octets of the local part in address */
	unsigned flags;		/* LW_ADDRESS_SMTPUTF8 | ROLE | UNWRAPPED */
	enum lw_address_reason reason;	/* LW_REASON_NONE when valid */
};

struct lw_address_ctx;

/*
 * lw_address_ctx_new - make a validation context with the given options
 *
 * On success *ctxp owns a new context; free it with lw_address_ctx_free().
 * Returns LW_OK or LW_ENOMEM.
 */
int lw_address_ctx_new(struct lw_address_ctx **ctxp, unsigned options);

/* lw_address_ctx_free - release a context and its cache; NULL is a no-op */
void lw_address_ctx_free(struct lw_address_ctx *ctx);

/*
 * lw_address_parse - judge len bytes at in, which need not be terminated
 *
 * Fills *out: on a valid address every field, with reason LW_REASON_NONE;
 * on a rejected one the reason, with the strings empty and flags 0.
 * Returns LW_OK, or LW_ENOMEM (then *out is untouched).
 */
int lw_address_parse(struct lw_address_ctx *ctx, const char *in, size_t len,
    struct lw_address *out);

/* lw_address_reason_name - the stable identifier, "" for LW_REASON_NONE */
const char *lw_address_reason_name(enum lw_address_reason reason);

/* lw_address_reason_text - one English sentence on what the reason means */
const char *lw_address_reason_text(enum lw_address_reason reason);

/*
 * lw_address_flag_names - the names of set flags, in a fixed order
 *
 * Writes up to max static strings ("smtputf8", "role", "unwrapped") to
 * names and returns how many flags are set.
 */
int lw_address_flag_names(unsigned flags, const char **names, int max);

#endif /* LISTWARDEN_ADDRESS_H */
