/*
 * fuzz_address.c - libFuzzer target for the address module
 *
 * Beyond "no crash", it checks what users rely on: a valid address stays
 * within its limits, normalizing is idempotent (the normalized form, and
 * the display form, parse back to the same address and key), and a
 * rejected one leaves the strings empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_valid - the invariants of an accepted address */
static void
check_valid(struct lw_address_ctx *ctx, const struct lw_address *a)
{
	struct lw_address again;

	if (strlen(a->address) > LW_ADDRESS_MAX ||
	    a->local_len > LW_ADDRESS_LOCAL_MAX ||
	    a->address[a->local_len] != '@')
		abort();
	if (lw_address_parse(ctx, a->address, strlen(a->address), &again) !=
	    LW_OK)
		abort();
	if (again.reason != LW_REASON_NONE ||
	    strcmp(again.address, a->address) != 0 ||
	    strcmp(again.key, a->key) != 0)
		abort();
	if (lw_address_parse(ctx, a->display, strlen(a->display), &again) !=
	    LW_OK)
		abort();
	if (again.reason != LW_REASON_NONE ||
	    strcmp(again.address, a->address) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lw_address_ctx *ctx, *bare;
	struct lw_address a;

	if (ctx == NULL && (lw_address_ctx_new(&ctx, 0) != LW_OK ||
	    lw_address_ctx_new(&bare, LW_ADDRESS_NO_UNWRAP) != LW_OK))
		abort();
	if (lw_address_parse(ctx, (const char *)data, size, &a) != LW_OK)
		abort();
	if (a.reason == LW_REASON_NONE)
		check_valid(bare, &a);
	else if (a.address[0] || a.key[0] || a.display[0] || a.flags)
		abort();
	return 0;
}
