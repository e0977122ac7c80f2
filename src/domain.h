/*
 * domain.h - the domain half of address validation (internal)
 *
 * lw_domain_check() judges the part after the '@' and gives its A-label
 * form (for storage) and U-label form (for people).  ASCII domains are
 * judged in place; internationalized ones go through libidn2 and a
 * per-context cache.  The result is borrowed from the cache and stays
 * valid until the next call on the same cache.
 */
#ifndef LW_DOMAIN_H
#define LW_DOMAIN_H

#include <stddef.h>

#include "listwarden/address.h"

struct lw_domain {
	enum lw_address_reason reason;	/* LW_REASON_NONE when valid */
	size_t ascii_len;
	char ascii[LW_ADDRESS_MAX + 1];	/* lowercase A-label form */
	size_t unicode_len;
	char unicode[LW_ADDRESS_DISPLAY_MAX + 1]; /* U-label form */
};

struct lw_domain_cache;

int lw_domain_cache_new(struct lw_domain_cache **cachep);
void lw_domain_cache_free(struct lw_domain_cache *cache);
int lw_domain_check(struct lw_domain_cache *cache, const char *dom, size_t n,
    const struct lw_domain **out);

#endif /* LW_DOMAIN_H */
