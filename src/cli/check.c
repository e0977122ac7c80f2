/*
 * check.c - listwarden check: may these addresses be mailed?
 *
 * NAME
 *	check - each address's state, reason, soft count and history
 *
 * SYNOPSIS
 *	listwarden check [--json] [--history N] ADDRESS...|-
 *
 * DESCRIPTION
 *	Looks each address up (or each line of standard input, for "-") in
 *	one snapshot of the store: its state (active, suppressed, or
 *	invalid when it is no address), the reason and since when, the soft
 *	count in the current window, whether it is allowed (shielded from
 *	bounce rules), and its last events, newest last (--history, 5 by
 *	default; 0 for none).  A domain rule ("@example.com") may be checked
 *	too.  With --json, one object per address and line.
 *
 * EXIT STATUS
 *	0 when every address is mailable, 1 when any is suppressed or
 *	invalid.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listwarden.h"
#include "cli.h"

struct check {
	struct cli *cli;
	struct lw_view *view;
	struct lw_address_ctx *ctx;
	int json;
	size_t history;
	unsigned long checked, suppressed, invalid;
	int nevents;
};

/* print_event_text - one line of history */
static int
event_text(void *arg, const struct lw_log_event *e)
{
	char when[CLI_TIME_MAX];

	(void)arg;
	printf("  %s  %-11s", cli_format_time(e->time, when),
	    lw_event_kind_name(e->kind));
	if (e->status[0] != '\0')
		printf(" %s", e->status);
	if (e->reply != 0)
		printf(" %u", e->reply);
	if (e->error_kind[0] != '\0' && strcmp(e->error_kind, "unknown") != 0 &&
	    strcmp(e->error_kind, lw_event_kind_name(e->kind)) != 0)
		printf(" [%s]", e->error_kind);
	if (e->diagnostic[0] != '\0') {
		fputs("  ", stdout);
		emit_tsv_field(stdout, e->diagnostic, strlen(e->diagnostic));
	}
	if (e->source[0] != '\0') {
		fputs("  (", stdout);
		emit_tsv_field(stdout, e->source, strlen(e->source));
		fputc(')', stdout);
	}
	fputc('\n', stdout);
	return 0;
}

/* str_or_null - a JSON string, or null for "" */
static void
str_or_null(const char *s)
{
	if (s == NULL || s[0] == '\0')
		fputs("null", stdout);
	else
		emit_json_string(stdout, s, strlen(s));
}

/* event_json - one event of the history, as a JSON object */
static int
event_json(void *arg, const struct lw_log_event *e)
{
	struct check *c = arg;
	char when[CLI_TIME_MAX];

	printf("%s{\"timestamp\":\"%s\",\"kind\":\"%s\",\"status\":",
	    c->nevents++ ? "," : "", cli_format_time(e->time, when),
	    lw_event_kind_name(e->kind));
	str_or_null(e->status);
	if (e->reply != 0)
		printf(",\"reply_code\":%u", e->reply);
	else
		fputs(",\"reply_code\":null", stdout);
	fputs(",\"diagnostic\":", stdout);
	str_or_null(e->diagnostic);
	fputs(",\"rule\":", stdout);
	str_or_null(e->rule);
	fputs(",\"source\":", stdout);
	str_or_null(e->source);
	fputs(",\"event_id\":", stdout);
	str_or_null(e->event_id);
	if (e->error_kind[0] != '\0') {
		fputs(",\"error_kind\":", stdout);
		str_or_null(e->error_kind);
	}
	if (e->message_id[0] != '\0') {
		fputs(",\"message_id\":", stdout);
		str_or_null(e->message_id);
	}
	if (e->list[0] != '\0') {
		fputs(",\"list\":", stdout);
		str_or_null(e->list);
	}
	fputc('}', stdout);
	return 0;
}

/* one - look one address (or domain rule) up and print it */
static int
one(struct check *c, const char *in, size_t len)
{
	struct lw_address a;
	struct lw_verdict vd;
	char rule[LW_SUBJECT_MAX + 1], when[CLI_TIME_MAX];
	const char *key, *shown, *state;
	int err;

	c->checked++;
	if (len > 0 && (in[0] == '@' || in[0] == '*') &&
	    len < sizeof(rule) && memchr(in, '\0', len) == NULL) {
		char buf[LW_SUBJECT_MAX + 1];

		memcpy(buf, in, len);
		buf[len] = '\0';
		err = lw_domain_rule(c->ctx, buf, rule);
		if (err == LW_ENOMEM)
			return err;
		if (err == LW_OK) {
			key = shown = rule;
			goto look;
		}
	}
	if ((err = lw_address_parse(c->ctx, in, len, &a)) != LW_OK)
		return err;
	if (a.reason != LW_REASON_NONE) {
		c->invalid++;
		if (c->json) {
			fputs("{\"address\":", stdout);
			emit_json_string(stdout, in, len);
			printf(",\"key\":null,\"state\":\"invalid\","
			    "\"reason\":\"%s\",\"since\":null,"
			    "\"soft_count\":0,\"events\":[]}\n",
			    lw_address_reason_name(a.reason));
		} else {
			emit_tsv_field(stdout, in, len);
			printf(": invalid (%s)\n",
			    lw_address_reason_name(a.reason));
		}
		return LW_OK;
	}
	key = a.key;
	shown = a.display;
look:
	if ((err = lw_view_verdict(c->view, key, strlen(key), &vd)) < 0)
		return err;
	state = vd.st.state == LW_STATE_SUPPRESSED ? "suppressed" : "active";
	if (vd.st.state == LW_STATE_SUPPRESSED)
		c->suppressed++;
	if (c->json) {
		fputs("{\"address\":", stdout);
		emit_json_string(stdout, shown, strlen(shown));
		fputs(",\"key\":", stdout);
		emit_json_string(stdout, key, strlen(key));
		printf(",\"state\":\"%s\",\"reason\":", state);
		str_or_null(lw_suppress_reason_name(vd.st.reason));
		fputs(",\"since\":", stdout);
		if (vd.st.state == LW_STATE_SUPPRESSED)
			printf("\"%s\"", cli_format_time(vd.st.since, when));
		else
			fputs("null", stdout);
		fputs(",\"rule\":", stdout);
		str_or_null(vd.rule);
		printf(",\"soft_count\":%u,\"allowed\":%s,\"policy_events\":%"
		    PRIu64 ",\"events\":[", vd.st.soft_count,
		    vd.st.allowed ? "true" : "false", vd.policy_events);
		c->nevents = 0;
		if (c->history > 0 && (err = lw_view_events(c->view, key,
		    strlen(key), c->history, event_json, c)) < 0)
			return err;
		fputs("]}\n", stdout);
		return LW_OK;
	}
	emit_tsv_field(stdout, shown, strlen(shown));
	printf(": %s", state);
	if (vd.st.state == LW_STATE_SUPPRESSED) {
		printf(" (%s", lw_suppress_reason_name(vd.st.reason));
		if (vd.rule != NULL)
			printf(", by the rule %s", vd.rule);
		printf(") since %s", cli_format_time(vd.st.since, when));
	}
	printf("; soft count %u", vd.st.soft_count);
	if (vd.st.allowed)
		fputs("; allowed", stdout);
	putchar('\n');
	if (c->history > 0 && (err = lw_view_events(c->view, key, strlen(key),
	    c->history, event_text, c)) < 0)
		return err;
	return LW_OK;
}

/* cmd_check - the check command */
int
cmd_check(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "history", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct check c;
	struct lw_store *s = NULL;
	char *line = NULL, *end;
	size_t cap = 0;
	ssize_t n;
	unsigned long v;
	int opt, status, err = LW_OK, i, cut;

	memset(&c, 0, sizeof(c));
	c.cli = cli;
	c.history = 5;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = 1;
			break;
		case 'H':
			v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v > 100000)
				return cli_usage_error(cli, "--history takes a "
				    "number of events, 0 to 100000");
			c.history = v;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind == argc)
		return cli_usage_error(cli, "give addresses, or - to read them "
		    "from standard input");
	if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
		return status;
	if (lw_address_ctx_new(&c.ctx, 0) != LW_OK ||
	    (err = lw_view_begin(s, (int64_t)time(NULL), &c.view)) != LW_OK) {
		if (err == LW_OK)
			err = LW_ENOMEM;
		goto fail;
	}
	for (i = optind; i < argc && err == LW_OK; i++) {
		if (strcmp(argv[i], "-") != 0) {
			err = one(&c, argv[i], strlen(argv[i]));
			continue;
		}
		/* A line over CLI_LINE_MAX is cut: invalid either way. */
		while (err == LW_OK &&
		    (n = cli_getline(&line, &cap, stdin, &cut)) > 0) {
			while (n > 0 && (line[n - 1] == '\n' ||
			    line[n - 1] == '\r'))
				n--;
			if (n > 0)
				err = one(&c, line, (size_t)n);
		}
	}
	if (err != LW_OK)
		goto fail;
	status = c.suppressed || c.invalid ? LW_EXIT_FOUND : LW_EXIT_OK;
	fflush(stdout);
	if (c.checked > 1 && !c.json)
		fprintf(stderr, "check: %lu checked, %lu suppressed, %lu "
		    "invalid\n", c.checked, c.suppressed, c.invalid);
	goto out;
fail:
	cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
	status = cli_exit_for(err);
out:
	free(line);
	lw_view_end(c.view);
	lw_address_ctx_free(c.ctx);
	lw_store_close(s);
	return status;
}
