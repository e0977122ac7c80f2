/*
 * verify.c - listwarden verify: does the store keep its promises?
 *
 * NAME
 *	verify - every invariant of the store, checked (lw_store_verify())
 *
 * SYNOPSIS
 *	listwarden verify [--json]
 *
 * DESCRIPTION
 *	Reads the store from one snapshot (a writer may go on meanwhile) and
 *	prints each problem found, a line each, on standard output, then
 *	"ok" with the figures, or the number of problems.  --json prints
 *	one object: the figures and the problems.
 *
 * EXIT STATUS
 *	0 when the store holds, 1 when a problem was found, 4 or 5 when it
 *	cannot be read.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

struct verify_out {
	int json;
	unsigned long shown;
};

/* on_problem - one problem, as text or a JSON array element */
static void
on_problem(void *arg, const char *problem)
{
	struct verify_out *o = arg;

	if (o->json) {
		fputs(o->shown++ ? "," : "", stdout);
		emit_json_string(stdout, problem, strlen(problem));
	} else {
		o->shown++;
		printf("verify: %s\n", problem);
	}
}

/* cmd_verify - the verify command */
int
cmd_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lw_verify_report rep;
	struct verify_out o;
	struct lw_store *s = NULL;
	int opt, status, err;

	memset(&o, 0, sizeof(o));
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			o.json = 1;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(cli, "verify takes no arguments");
	if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
		return status;
	if (o.json)
		fputs("{\"problems\":[", stdout);
	if ((err = lw_store_verify(s, on_problem, &o, &rep)) != LW_OK) {
		if (o.json)
			fputs("]}\n", stdout);
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
		lw_store_close(s);
		return cli_exit_for(err);
	}
	lw_store_close(s);
	if (o.json) {
		printf("],\"ok\":%s,\"lists\":%" PRIu64 ",\"rows\":%" PRIu64
		    ",\"addresses\":%" PRIu64 ",\"events\":%" PRIu64
		    ",\"subjects\":%" PRIu64 ",\"states\":%" PRIu64
		    ",\"domain_rules\":%" PRIu64 ",\"generations\":%" PRIu64
		    ",\"orphans\":%" PRIu64 "}\n", rep.problems ? "false" :
		    "true", rep.lists, rep.rows, rep.addresses, rep.events,
		    rep.subjects, rep.states, rep.rules, rep.generations,
		    rep.orphans);
	} else if (rep.problems == 0)
		printf("ok: %" PRIu64 " list%s, %" PRIu64 " rows, %" PRIu64
		    " addresses, %" PRIu64 " events of %" PRIu64 " subjects, "
		    "%" PRIu64 " states, %" PRIu64 " domain rules%s\n",
		    rep.lists, rep.lists == 1 ? "" : "s", rep.rows,
		    rep.addresses, rep.events, rep.subjects, rep.states,
		    rep.rules, rep.orphans ? "; generations left for the next "
		    "writer to delete" : "");
	else
		printf("verify: %" PRIu64 " problem%s\n", rep.problems,
		    rep.problems == 1 ? "" : "s");
	return rep.problems ? LW_EXIT_FOUND : LW_EXIT_OK;
}
