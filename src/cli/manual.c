/*
 * manual.c - listwarden suppress, unsuppress, allow, disallow
 *
 * NAME
 *	manual - the sender's own decisions, recorded as events
 *
 * SYNOPSIS
 *	listwarden suppress|unsuppress|allow|disallow [--reason TEXT]
 *	    ADDRESS...|@DOMAIN...|*.DOMAIN...|-
 *
 * DESCRIPTION
 *	Each argument (or each line of standard input, for "-") becomes one
 *	event of that kind, dated now and after every event its subject
 *	already has, with TEXT as its diagnostic.  Through the policy:
 *
 *	  suppress     suppressed, reason manual
 *	  unsuppress   the suppression and the soft count so far cleared; a
 *	               later bounce counts again
 *	  allow        shielded from bounce rules (never from complaints or
 *	               unsubscribes, the recipient's own word)
 *	  disallow     the shield ends
 *
 *	"@example.com" is a rule for every address at example.com, and
 *	"*.example.com" for every address at a domain below it, present
 *	and future.  Every argument is checked before anything is recorded:
 *	one that is neither an address nor a domain rule changes nothing.
 *
 * EXIT STATUS
 *	0; 3 when an argument is neither an address nor a domain rule.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "listwarden.h"
#include "cli.h"

struct subjects {
	char **v;
	size_t n, cap;
};

/* kind_of - the event kind a command records */
static enum lw_event_kind
kind_of(const char *command)
{
	if (strcmp(command, "suppress") == 0)
		return LW_EVENT_SUPPRESS;
	if (strcmp(command, "unsuppress") == 0)
		return LW_EVENT_UNSUPPRESS;
	if (strcmp(command, "allow") == 0)
		return LW_EVENT_ALLOW;
	return LW_EVENT_DISALLOW;
}

/* add_subject - check one argument and keep its subject; an exit status */
static int
add_subject(const struct cli *cli, struct lw_address_ctx *ctx,
    struct subjects *ss, const char *arg, const char *where)
{
	char rule[LW_SUBJECT_MAX + 1], *copy;
	struct lw_address a;
	char **nv;
	int err;

	if (arg[0] == '@' || arg[0] == '*') {
		if ((err = lw_domain_rule(ctx, arg, rule)) == LW_ENOMEM)
			goto nomem;
		if (err != LW_OK) {
			cli_error(cli, "%s'%s' is not a domain rule: give "
			    "@DOMAIN or *.DOMAIN; nothing was recorded", where,
			    arg);
			return LW_EXIT_DATA;
		}
		copy = strdup(rule);
	} else {
		if (lw_address_parse(ctx, arg, strlen(arg), &a) != LW_OK)
			goto nomem;
		if (a.reason != LW_REASON_NONE) {
			cli_error(cli, "%s'%s' is not a valid address (%s); "
			    "nothing was recorded", where, arg,
			    lw_address_reason_name(a.reason));
			return LW_EXIT_DATA;
		}
		copy = strdup(a.key);
	}
	if (copy == NULL)
		goto nomem;
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 16;
		if ((nv = realloc(ss->v, ss->cap * sizeof(*nv))) == NULL) {
			free(copy);
			goto nomem;
		}
		ss->v = nv;
	}
	ss->v[ss->n++] = copy;
	return LW_EXIT_OK;
nomem:
	cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
	return LW_EXIT_SYSTEM;
}

/* read_subjects - one argument per line of standard input */
static int
read_subjects(const struct cli *cli, struct lw_address_ctx *ctx,
    struct subjects *ss)
{
	char *line = NULL, where[64];
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int status = LW_EXIT_OK, cut;

	/* A line over CLI_LINE_MAX is cut: an invalid address either way. */
	while (status == LW_EXIT_OK &&
	    (n = cli_getline(&line, &cap, stdin, &cut)) > 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		snprintf(where, sizeof(where), "standard input:%lu: ", lineno);
		status = add_subject(cli, ctx, ss, line, where);
	}
	free(line);
	return status;
}

/*
 * still_by_rule - say which unsuppressed addresses a domain rule still
 * suppresses: lifting an address leaves the rule in force
 */
static int
still_by_rule(const struct cli *cli, struct lw_store *s,
    const struct subjects *ss, int64_t now)
{
	struct lw_view *view;
	struct lw_verdict vd;
	size_t i;
	int err;

	if ((err = lw_view_begin(s, now, &view)) != LW_OK)
		return err;
	for (i = 0; i < ss->n; i++) {
		if ((err = lw_view_verdict(view, ss->v[i], strlen(ss->v[i]),
		    &vd)) < 0)
			break;
		err = LW_OK;
		if (vd.rule != NULL)
			fprintf(stderr, "%s: %s is still suppressed by the "
			    "rule %s; unsuppress %s to lift it\n",
			    cli->command, ss->v[i], vd.rule, vd.rule);
	}
	lw_view_end(view);
	return err;
}

/* cmd_manual - suppress, unsuppress, allow and disallow */
int
cmd_manual(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct subjects ss = { 0 };
	struct lw_address_ctx *ctx = NULL;
	struct lw_store *s = NULL;
	struct lw_ingest *ing = NULL;
	struct lw_ingest_stats st;
	struct lw_log_event e;
	enum lw_event_kind kind = kind_of(cli->command);
	const char *reason = NULL;
	char id[96];
	uint64_t changed = 0;
	size_t i;
	int opt, status = LW_EXIT_OK, err, lock_fd = -1;
	int64_t now = (int64_t)time(NULL);

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			reason = optarg;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind == argc)
		return cli_usage_error(cli, "give addresses or domain rules "
		    "(@DOMAIN, *.DOMAIN), or - to read them from standard "
		    "input");
	if (reason != NULL && strlen(reason) > 1024)
		return cli_usage_error(cli, "--reason is longer than 1024 "
		    "octets");
	if (lw_address_ctx_new(&ctx, 0) != LW_OK) {
		cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
		return LW_EXIT_SYSTEM;
	}
	for (i = (size_t)optind; i < (size_t)argc && status == 0; i++)
		status = strcmp(argv[i], "-") == 0 ?
		    read_subjects(cli, ctx, &ss) :
		    add_subject(cli, ctx, &ss, argv[i], "");
	if (status != LW_EXIT_OK)
		goto out;
	if ((status = cli_open_store(cli, 0, &s)) != 0 ||
	    (status = cli_wait_turn(cli, &lock_fd)) != 0)
		goto out;
	if ((err = lw_ingest_begin(s, &ing)) != LW_OK)
		goto fail;
	for (i = 0; i < ss.n; i++) {
		memset(&e, 0, sizeof(e));
		e.subject = ss.v[i];
		e.subject_len = strlen(ss.v[i]);
		e.time = now;
		e.kind = kind;
		/* Each action is new: its id is never a repeat. */
		snprintf(id, sizeof(id), "%s:%lld:%ld:%zu", cli->command,
		    (long long)now, (long)getpid(), i);
		e.event_id = id;
		e.source = "manual";
		e.diagnostic = reason;
		if ((err = lw_ingest_add(ing, &e, LW_EVENT_AFTER_ALL)) !=
		    LW_OK)
			goto fail;
	}
	err = lw_ingest_commit(ing, &st);
	ing = NULL;
	if (err != LW_OK)
		goto fail;
	for (i = 0; i < LW_SUPPRESS_REASON_COUNT; i++)
		changed += kind == LW_EVENT_UNSUPPRESS ? st.lifted[i] :
		    st.suppressed[i];
	fprintf(stderr, "%s: %zu recorded", cli->command, ss.n);
	if (kind == LW_EVENT_SUPPRESS || kind == LW_EVENT_UNSUPPRESS)
		fprintf(stderr, "; %" PRIu64 " %s", changed,
		    kind == LW_EVENT_SUPPRESS ? "newly suppressed" :
		    "no longer suppressed");
	if (st.refolded > 0)
		fprintf(stderr, "; %" PRIu64 " addresses at the domain "
		    "refolded", st.refolded);
	fputc('\n', stderr);
	if (kind == LW_EVENT_UNSUPPRESS &&
	    (err = still_by_rule(cli, s, &ss, now)) != LW_OK)
		goto fail;
	goto out;
fail:
	cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
	status = cli_exit_for(err);
out:
	lw_ingest_abort(ing);
	if (lock_fd >= 0)
		close(lock_fd);
	lw_store_close(s);
	lw_address_ctx_free(ctx);
	for (i = 0; i < ss.n; i++)
		free(ss.v[i]);
	free(ss.v);
	return status;
}
