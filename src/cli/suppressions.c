/*
 * suppressions.c - listwarden suppressions: the suppression list, for
 * other tools
 *
 * NAME
 *	suppressions - every suppressed address, in a target's format
 *
 * SYNOPSIS
 *	listwarden suppressions [--format F] [--reason R,...] [--since TIME]
 *	    [--ascii-only] [-o FILE]
 *
 * DESCRIPTION
 *	Writes the suppressed addresses, sorted by identity key, then the
 *	suppressing domain rules (in the formats that carry them), from one
 *	snapshot of the store, in one of the formats listwarden/export.h
 *	lists (csv by default).  --reason keeps the given reasons (hard,
 *	soft, complaint, unsubscribe, manual); --since TIME (RFC 3339, RFC
 *	5322 or Unix time) keeps what was suppressed then or later, for
 *	incremental feeds; --ascii-only leaves out the addresses with a
 *	non-ASCII local part (SMTPUTF8), which Amazon SES refuses.  A
 *	summary on standard error says how many were written and how many
 *	left out, and why.  -o FILE is written atomically, mode 0600.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listwarden.h"
#include "cli.h"

struct supp {
	FILE *fp;
	enum lw_supp_format format;
	unsigned reasons;		/* bit per lw_suppress_reason */
	int64_t since;
	int ascii_only;
	unsigned long written, not_ascii, not_carried, filtered;
};

/* is_ascii - no octet above 0x7f */
static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s > 0x7f)
			return 0;
	return 1;
}

/* on_suppression - filter, then write one */
static int
on_suppression(void *arg, const struct lw_suppression *sp)
{
	struct supp *su = arg;

	if (!(su->reasons & (1u << sp->reason)) || sp->since < su->since) {
		su->filtered++;
		return 0;
	}
	if (!lw_supp_carries(su->format, sp)) {
		su->not_carried++;
		return 0;
	}
	if (su->ascii_only && !is_ascii(sp->address)) {
		su->not_ascii++;
		return 0;
	}
	su->written++;
	return lw_supp_write(su->fp, su->format, sp);
}

/* parse_reasons - "hard,complaint" into a bit set; -1 and the bad name */
static int
parse_reasons(char *list, unsigned *set, const char **bad)
{
	char *name, *save = NULL;
	int r, found;

	*set = 0;
	for (name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		found = 0;
		for (r = 1; r < LW_SUPPRESS_REASON_COUNT; r++)
			if (strcmp(name, lw_suppress_reason_name(
			    (enum lw_suppress_reason)r)) == 0) {
				*set |= 1u << r;
				found = 1;
			}
		if (!found) {
			*bad = name;
			return -1;
		}
	}
	return *set != 0 ? 0 : -1;
}

/* cmd_suppressions - the suppressions command */
int
cmd_suppressions(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "reason", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 's' },
		{ "ascii-only", no_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct supp su;
	struct cli_out out = { 0 };
	struct lw_store *s = NULL;
	struct lw_view *view = NULL;
	const char *output = NULL, *bad = "";
	int opt, status, err, f;

	memset(&su, 0, sizeof(su));
	su.reasons = ~0u;
	su.format = LW_SUPP_CSV;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if ((f = lw_supp_format_parse(optarg)) < 0)
				return cli_usage_error(cli, "unknown format "
				    "'%s': give csv, ses, ses-jsonl, "
				    "mailgun-bounces, mailgun-unsubscribes, "
				    "mailgun-complaints, sendgrid, postmark, "
				    "listmonk, postfix, sha256 or md5", optarg);
			su.format = (enum lw_supp_format)f;
			break;
		case 'r':
			if (parse_reasons(optarg, &su.reasons, &bad) != 0)
				return cli_usage_error(cli, "unknown reason "
				    "'%s': give hard, soft, complaint, "
				    "unsubscribe or manual, separated by commas",
				    bad);
			break;
		case 's':
			if (lw_time_parse(optarg, &su.since) != 0)
				return cli_usage_error(cli, "--since takes an "
				    "RFC 3339, RFC 5322 or Unix time, not '%s'",
				    optarg);
			break;
		case 'a':
			su.ascii_only = 1;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(cli, "unexpected argument: %s",
		    argv[optind]);
	if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
		return status;
	if ((status = cli_out_open(cli, output, &out)) != 0)
		goto out;
	su.fp = out.fp;
	if ((err = lw_view_begin(s, (int64_t)time(NULL), &view)) != LW_OK ||
	    (err = lw_supp_header(su.fp, su.format)) != LW_OK ||
	    (err = lw_view_suppressions(view, lw_supp_needs(su.format),
	    on_suppression, &su)) != LW_OK) {
		cli_error(cli, "%s: %s%s", ferror(su.fp) ? (output ? output :
		    "standard output") : cli->db_path, lw_strerror(err),
		    output && ferror(su.fp) ? "; the file was not changed" :
		    "");
		status = cli_exit_for(err);
		goto out;
	}
	if ((status = cli_out_close(cli, &out, 1)) != 0)
		goto out;
	fprintf(stderr, "suppressions: %lu written (%s)", su.written,
	    lw_supp_format_name(su.format));
	if (su.filtered > 0)
		fprintf(stderr, "; %lu left out by --reason or --since",
		    su.filtered);
	if (su.not_carried > 0)
		fprintf(stderr, "; %lu the format does not carry", su.not_carried);
	if (su.not_ascii > 0)
		fprintf(stderr, "; %lu left out by --ascii-only (a non-ASCII "
		    "local part)", su.not_ascii);
	fputc('\n', stderr);
out:
	cli_out_close(cli, &out, 0);
	lw_view_end(view);
	lw_store_close(s);
	return status;
}
