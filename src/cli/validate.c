/*
 * validate.c - listwarden validate: check a file of addresses
 *
 * NAME
 *	validate - one verdict per input line, then counts per reason
 *
 * SYNOPSIS
 *	listwarden validate [--json] [--column NAME] [--delimiter C] [FILE|-]
 *
 * DESCRIPTION
 *	Without --column the input holds one address per line (LF or CR LF;
 *	a UTF-8 byte order mark at the start is dropped).  With --column it
 *	is CSV with a header row, and the named column is checked.  Each
 *	line (or row) gives one line of output, in input order:
 *
 *	    ok <TAB> normalized address <TAB> <TAB> flags
 *	    bad <TAB> the input, escaped <TAB> reason <TAB>
 *
 *	or with --json one object per line with the members line, valid,
 *	address, key, display, reason and flags.  A summary of the counts
 *	per reason goes to standard error.
 *
 * DIAGNOSTICS
 *	Exit 0 when every address is valid, 1 when some are not, 2 for a
 *	usage error, 3 for malformed CSV or a missing column, 4 when a file
 *	cannot be read or written.  Errors name the file and the line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

struct validate {
	struct cli *cli;
	struct lw_address_ctx *ctx;
	int json;
	const char *input;		/* as error messages name it */
	unsigned long total;
	unsigned long counts[LW_REASON_COUNT];
};

/* emit_tsv - one verdict as a TSV line */
static void
emit_tsv(const struct lw_address *a, const char *in, size_t n)
{
	const char *names[3];
	int i, nflags;

	if (a->reason != LW_REASON_NONE) {
		fputs("bad\t", stdout);
		emit_tsv_field(stdout, in, n);
		printf("\t%s\t\n", lw_address_reason_name(a->reason));
		return;
	}
	printf("ok\t%s\t\t", a->address);
	nflags = lw_address_flag_names(a->flags, names, 3);
	for (i = 0; i < nflags; i++)
		printf("%s%s", i ? "," : "", names[i]);
	putchar('\n');
}

/* emit_json - one verdict as a JSON object on one line */
static void
emit_json(const struct lw_address *a, unsigned long line)
{
	const char *names[3];
	int i, nflags;

	printf("{\"line\":%lu,\"valid\":%s,\"address\":", line,
	    a->reason == LW_REASON_NONE ? "true" : "false");
	emit_json_string(stdout, a->address, strlen(a->address));
	fputs(",\"key\":", stdout);
	emit_json_string(stdout, a->key, strlen(a->key));
	fputs(",\"display\":", stdout);
	emit_json_string(stdout, a->display, strlen(a->display));
	printf(",\"reason\":\"%s\",\"flags\":[",
	    lw_address_reason_name(a->reason));
	nflags = lw_address_flag_names(a->flags, names, 3);
	for (i = 0; i < nflags; i++)
		printf("%s\"%s\"", i ? "," : "", names[i]);
	fputs("]}\n", stdout);
}

/* check_one - judge one address and print the verdict */
static int
check_one(struct validate *v, const char *in, size_t n, unsigned long line,
    int cut)
{
	struct lw_address a;
	int err;

	if ((err = lw_address_parse(v->ctx, in, n, &a)) != LW_OK) {
		cli_error(v->cli, "%s:%lu: %s", v->input, line,
		    lw_strerror(err));
		return LW_EXIT_SYSTEM;
	}
	/* A line cut at CLI_LINE_MAX is judged by its length, not its start. */
	if (cut)
		a.reason = LW_REASON_ADDRESS_TOO_LONG;
	v->total++;
	v->counts[a.reason]++;
	if (v->json)
		emit_json(&a, line);
	else
		emit_tsv(&a, in, n);
	return LW_EXIT_OK;
}

/* read_lines - one address per line */
static int
read_lines(struct validate *v, FILE *fp)
{
	char *line = NULL;
	size_t cap = 0, n;
	ssize_t got;
	unsigned long lineno = 0;
	int status = LW_EXIT_OK, cut;

	while ((got = cli_getline(&line, &cap, fp, &cut)) >= 0) {
		char *s = line;

		n = (size_t)got;
		lineno++;
		if (n > 0 && s[n - 1] == '\n')
			n--;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
		if ((status = check_one(v, s, n, lineno, cut)) != LW_EXIT_OK)
			break;
	}
	if (status == LW_EXIT_OK && ferror(fp)) {
		cli_error(v->cli, "%s:%lu: read error", v->input, lineno + 1);
		status = LW_EXIT_SYSTEM;
	}
	free(line);
	return status;
}

/* csv_failure - report a CSV reader error with the file and line */
static int
csv_failure(struct validate *v, struct lw_csv_reader *r, int err)
{
	cli_error(v->cli, "%s:%lu: %s", v->input, lw_csv_error_line(r),
	    lw_strerror(err));
	return err == LW_EIO || err == LW_ENOMEM ? LW_EXIT_SYSTEM :
	    LW_EXIT_DATA;
}

/* read_csv - the named column of a CSV file with a header row */
static int
read_csv(struct validate *v, FILE *fp, const char *column, int delimiter)
{
	struct lw_csv_reader *r = NULL;
	const struct lw_csv_record *rec;
	const struct lw_csv_field *f;
	int col, got, status = LW_EXIT_OK;

	if ((got = lw_csv_reader_new(&r, fp, delimiter)) != LW_OK) {
		cli_error(v->cli, "%s", lw_strerror(got));
		return LW_EXIT_SYSTEM;
	}
	if ((got = lw_csv_next(r, &rec)) <= 0) {
		if (got == 0)
			cli_error(v->cli, "%s: no header row: the input is "
			    "empty", v->input);
		status = got == 0 ? LW_EXIT_DATA : csv_failure(v, r, got);
		goto out;
	}
	if ((col = lw_csv_find_column(rec, column)) < 0) {
		cli_error(v->cli, "%s:%lu: no column named '%s' in the header",
		    v->input, rec->line, column);
		status = LW_EXIT_DATA;
		goto out;
	}
	while ((got = lw_csv_next(r, &rec)) > 0) {
		if ((size_t)col < rec->nfields)
			f = &rec->fields[col];
		else
			f = &(const struct lw_csv_field){ "", 0 };
		if ((status = check_one(v, f->data, f->len, rec->line, 0)) != 0)
			goto out;
	}
	if (got < 0)
		status = csv_failure(v, r, got);
out:
	lw_csv_reader_free(r);
	return status;
}

/* print_summary - counts per reason on standard error, most frequent first */
static void
print_summary(const struct validate *v)
{
	const char *names[LW_REASON_COUNT];
	int r;

	fprintf(stderr, "validate: %lu checked, %lu valid, %lu invalid\n",
	    v->total, v->counts[LW_REASON_NONE],
	    v->total - v->counts[LW_REASON_NONE]);
	for (r = 0; r < LW_REASON_COUNT; r++)
		names[r] = lw_address_reason_name(r);
	cli_print_counts(stderr, names, v->counts, LW_REASON_COUNT);
}

/* cmd_validate - the validate command */
int
cmd_validate(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "column", required_argument, NULL, 'c' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct validate v = { .cli = cli };
	const char *column = NULL, *path = "-";
	int opt, delimiter = 0, status, err;
	FILE *fp;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:jc:d:h", longopts,
	    NULL)) != -1) {
		switch (opt) {
		case 'j':
			v.json = 1;
			break;
		case 'c':
			column = optarg;
			break;
		case 'd':
			if ((status = cli_delimiter_option(cli, optarg,
			    &delimiter)) != LW_EXIT_OK)
				return status;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(cli, "one input file at most");
	if (argc - optind == 1)
		path = argv[optind];
	if (delimiter != 0 && column == NULL)
		return cli_usage_error(cli, "--delimiter goes with --column");

	if ((fp = cli_open_input(cli, path)) == NULL)
		return LW_EXIT_SYSTEM;
	v.input = cli_input_name(path);
	if ((err = lw_address_ctx_new(&v.ctx, 0)) != LW_OK) {
		cli_error(cli, "%s", lw_strerror(err));
		if (fp != stdin)
			fclose(fp);
		return LW_EXIT_SYSTEM;
	}
	if (column != NULL)
		status = read_csv(&v, fp, column, delimiter);
	else
		status = read_lines(&v, fp);
	if (fp != stdin)
		fclose(fp);
	lw_address_ctx_free(v.ctx);
	if (status != LW_EXIT_OK)
		return status;
	print_summary(&v);
	return v.counts[LW_REASON_NONE] == v.total ? LW_EXIT_OK :
	    LW_EXIT_FOUND;
}
