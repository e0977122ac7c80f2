/*
 * config.c - listwarden config and listwarden reevaluate
 *
 * NAME
 *	config - show or set the suppression policy the store holds
 *	reevaluate - refold every address under the current policy
 *
 * SYNOPSIS
 *	listwarden config [KEY [VALUE]]
 *	listwarden reevaluate
 *
 * DESCRIPTION
 *	The policy lives in the store, so every command and every process
 *	sees the same rules.  The keys:
 *
 *	  soft_threshold   soft and technical counts that suppress (3; 0
 *	                   never suppresses)
 *	  window_days      a count more than this many days after the
 *	                   previous counted one starts again at 1 (30)
 *	  per_day          at most one count per address per UTC day (yes)
 *	  delivery_resets  a delivery resets the count (yes)
 *	  expiry_days      lift a soft-threshold suppression after this many
 *	                   days (0: never)
 *
 *	Setting a key changes how events are folded from then on; it does
 *	not silently rewrite the states already folded.  reevaluate refolds
 *	them all from their events and reports how many changed, by reason.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listwarden.h"
#include "cli.h"

enum key_type { KEY_COUNT, KEY_DAYS, KEY_BOOL };

static const struct {
	const char *name;
	enum key_type type;
	size_t off;
	const char *what;
} keys[] = {
	{ "soft_threshold", KEY_COUNT, offsetof(struct lw_policy,
	    soft_threshold), "soft and technical counts that suppress "
	    "(0: never)" },
	{ "window_days", KEY_DAYS, offsetof(struct lw_policy, window_days),
	    "days between counted events before the count starts again" },
	{ "per_day", KEY_BOOL, offsetof(struct lw_policy, per_day),
	    "at most one count per address per UTC day" },
	{ "delivery_resets", KEY_BOOL, offsetof(struct lw_policy,
	    delivery_resets), "a delivery resets the count" },
	{ "expiry_days", KEY_DAYS, offsetof(struct lw_policy, expiry_days),
	    "days after which a soft suppression is lifted (0: never)" },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* value_of - key i's value as text */
static const char *
value_of(const struct lw_policy *p, size_t i, char buf[24])
{
	const char *base = (const char *)p + keys[i].off;
	unsigned u;
	int b;

	if (keys[i].type == KEY_BOOL) {
		memcpy(&b, base, sizeof(b));
		return b ? "yes" : "no";
	}
	memcpy(&u, base, sizeof(u));
	snprintf(buf, 24, "%u", u);
	return buf;
}

/* set_value - parse text into key i; 0, or -1 when it does not fit */
static int
set_value(struct lw_policy *p, size_t i, const char *text)
{
	char *base = (char *)p + keys[i].off, *end;
	unsigned long v;
	unsigned u;
	int b;

	if (keys[i].type == KEY_BOOL) {
		if (strcmp(text, "yes") == 0 || strcmp(text, "true") == 0 ||
		    strcmp(text, "1") == 0 || strcmp(text, "on") == 0)
			b = 1;
		else if (strcmp(text, "no") == 0 || strcmp(text, "false") ==
		    0 || strcmp(text, "0") == 0 || strcmp(text, "off") == 0)
			b = 0;
		else
			return -1;
		memcpy(base, &b, sizeof(b));
		return 0;
	}
	if (text[0] < '0' || text[0] > '9')
		return -1;
	v = strtoul(text, &end, 10);
	if (*end != '\0' || v > (keys[i].type == KEY_DAYS ? 36500ul : 1000ul))
		return -1;
	if (keys[i].type == KEY_DAYS && v == 0 &&
	    strcmp(keys[i].name, "window_days") == 0)
		return -1;
	u = (unsigned)v;
	memcpy(base, &u, sizeof(u));
	return 0;
}

/* find_key - the index of name, or -1 */
static int
find_key(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* cmd_config - the config command */
int
cmd_config(struct cli *cli, int argc, char **argv)
{
	struct lw_store *s = NULL;
	struct lw_policy p, old;
	char buf[24], was[24];
	size_t i;
	int k = -1, status, err, lock_fd = -1;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		return cli_print_usage(cli);
	if (argc > 3)
		return cli_usage_error(cli, "give at most a key and a value");
	if (argc > 1 && (k = find_key(argv[1])) < 0)
		return cli_usage_error(cli, "unknown key '%s'; the keys are "
		    "soft_threshold, window_days, per_day, delivery_resets, "
		    "expiry_days", argv[1]);
	if ((status = cli_open_store(cli, argc == 3 ? 0 : LW_STORE_RDONLY,
	    &s)) != 0)
		return status;
	if ((err = lw_store_config(s, &p)) != LW_OK)
		goto fail;
	if (argc == 1) {
		for (i = 0; i < NKEYS; i++)
			printf("%-16s %-5s  %s\n", keys[i].name,
			    value_of(&p, i, buf), keys[i].what);
		goto out;
	}
	if (argc == 2) {
		printf("%s\n", value_of(&p, (size_t)k, buf));
		goto out;
	}
	old = p;
	if (set_value(&p, (size_t)k, argv[2]) != 0) {
		status = cli_usage_error(cli, "%s takes %s, not '%s'",
		    keys[k].name, keys[k].type == KEY_BOOL ? "yes or no" :
		    keys[k].type == KEY_COUNT ? "a number from 0 to 1000" :
		    strcmp(keys[k].name, "window_days") == 0 ?
		    "a number of days from 1 to 36500" :
		    "a number of days from 0 to 36500", argv[2]);
		goto out;
	}
	if ((status = cli_wait_turn(cli, &lock_fd)) != 0)
		goto out;
	if ((err = lw_store_config_set(s, &p)) != LW_OK)
		goto fail;
	value_of(&old, (size_t)k, was);
	fprintf(stderr, "config: %s is %s (was %s)%s\n", keys[k].name,
	    value_of(&p, (size_t)k, buf), was, strcmp(buf, was) == 0 ? "" :
	    "; states already folded keep the old rule until 'listwarden "
	    "reevaluate'");
	goto out;
fail:
	cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
	status = cli_exit_for(err);
out:
	if (lock_fd >= 0)
		close(lock_fd);
	lw_store_close(s);
	return status;
}

/* cmd_reevaluate - the reevaluate command */
int
cmd_reevaluate(struct cli *cli, int argc, char **argv)
{
	static const char *names[LW_SUPPRESS_REASON_COUNT];
	unsigned long sup[LW_SUPPRESS_REASON_COUNT];
	unsigned long lift[LW_SUPPRESS_REASON_COUNT];
	unsigned long nsup = 0, nlift = 0;
	struct lw_ingest_stats st;
	struct lw_store *s = NULL;
	int status, err, lock_fd = -1, i;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		return cli_print_usage(cli);
	if (argc > 1)
		return cli_usage_error(cli, "unknown argument: %s", argv[1]);
	if ((status = cli_open_store(cli, 0, &s)) != 0 ||
	    (status = cli_wait_turn(cli, &lock_fd)) != 0)
		goto out;
	if ((err = lw_store_reevaluate(s, &st)) != LW_OK) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
		status = cli_exit_for(err);
		goto out;
	}
	for (i = 0; i < LW_SUPPRESS_REASON_COUNT; i++) {
		names[i] = lw_suppress_reason_name((enum lw_suppress_reason)i);
		sup[i] = (unsigned long)st.suppressed[i];
		lift[i] = (unsigned long)st.lifted[i];
		nsup += sup[i];
		nlift += lift[i];
	}
	printf("reevaluate: %" PRIu64 " states refolded; %lu newly "
	    "suppressed, %lu lifted\n", st.subjects, nsup, nlift);
	if (nsup > 0) {
		printf("newly suppressed, by reason:\n");
		cli_print_counts(stdout, names, sup, LW_SUPPRESS_REASON_COUNT);
	}
	if (nlift > 0) {
		printf("lifted, by the reason they had:\n");
		cli_print_counts(stdout, names, lift, LW_SUPPRESS_REASON_COUNT);
	}
out:
	if (lock_fd >= 0)
		close(lock_fd);
	lw_store_close(s);
	return status;
}
