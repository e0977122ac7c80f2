/*
 * import.c - listwarden import: load a list from CSV into the store
 *
 * NAME
 *	import - validate, normalize, de-duplicate and store a list
 *
 * SYNOPSIS
 *	listwarden import [--replace] [--column NAME] [--delimiter C]
 *	    [--rejects FILE] LIST FILE|-
 *
 * DESCRIPTION
 *	Every row goes through the address module; the store's import
 *	writes the valid ones (see store_import.c) and hands back the
 *	rejected ones, invalid or duplicate, in line order.  --rejects
 *	writes them as CSV: the original row, then line and reason columns.
 *	The list changes only when the whole file was read: a bad row, a
 *	read error or a kill leaves it as it was.
 *
 *	A summary goes to standard output; on a terminal, progress with
 *	rows per second goes to standard error while the import runs.
 *
 * DIAGNOSTICS
 *	Exit 0 when every row was accepted, 1 when some were rejected, 2
 *	usage, 3 bad input (the message names the file and line), 4 a
 *	system error, 5 a store that cannot be used.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "listwarden.h"
#include "cli.h"

/* Reasons a row is rejected for: every address reason, and duplicates. */
#define NREASONS	(LW_REASON_COUNT + 1)
#define R_DUPLICATE	LW_REASON_COUNT

struct import {
	struct cli *cli;
	struct cli_out rejects;
	int delimiter;
	const char *eol;	/* the input's line end, for --rejects */
	unsigned long counts[NREASONS];
	int progress;
	double started, shown;
};

/* seconds - a monotonic clock */
static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* reason_index - the counts slot of a reason name */
static int
reason_index(const char *reason)
{
	int r;

	if (strcmp(reason, "duplicate") == 0)
		return R_DUPLICATE;
	for (r = 1; r < LW_REASON_COUNT; r++)
		if (strcmp(lw_address_reason_name(r), reason) == 0)
			return r;
	return 0;
}

/* reason_name - the name of a counts slot */
static const char *
reason_name(int r)
{
	return r == R_DUPLICATE ? "duplicate" : lw_address_reason_name(r);
}

/* on_reject - count a rejected row and write it to --rejects */
static int
on_reject(void *arg, unsigned long line, const char *raw, size_t raw_len,
    const char *reason)
{
	struct import *im = arg;
	FILE *fp = im->rejects.fp;

	im->counts[reason_index(reason)]++;
	if (fp == NULL)
		return 0;
	fwrite(raw, 1, raw_len, fp);
	fprintf(fp, "%c%lu%c%s%s", im->delimiter, line, im->delimiter,
	    reason, im->eol);
	return ferror(fp) ? LW_EIO : 0;
}

/* show_progress - rows and rows/s on a terminal, twice a second */
static void
show_progress(struct import *im, uint64_t rows, int last)
{
	double t = seconds();

	if (!im->progress || (!last && t - im->shown < 0.5))
		return;
	im->shown = t;
	fprintf(stderr, "\rimport: %llu rows, %.0f rows/s%s",
	    (unsigned long long)rows, t > im->started ? (double)rows /
	    (t - im->started) : 0.0, last ? "\n" : "");
}

/* print_summary - what the import did, on standard output */
static void
print_summary(const struct import *im, const char *list,
    const struct lw_import_stats *st)
{
	const char *names[NREASONS];
	int r;

	printf("import: %llu rows read, %llu accepted (%llu added, %llu "
	    "replaced), %llu rejected\n", (unsigned long long)st->read,
	    (unsigned long long)st->accepted, (unsigned long long)st->added,
	    (unsigned long long)st->replaced,
	    (unsigned long long)(st->invalid + st->duplicates));
	for (r = 0; r < NREASONS; r++)
		names[r] = reason_name(r);
	cli_print_counts(stdout, names, im->counts, NREASONS);
	printf("import: list '%s' has %llu rows; %llu addresses are new to "
	    "the store\n", list, (unsigned long long)st->rows,
	    (unsigned long long)st->new_addresses);
}

/* count_suppressed - each suppressed row of the list, by reason */
static int
count_suppressed(void *arg, const struct lw_list *l, const char *key,
    size_t key_len, const char *raw, size_t raw_len,
    const struct lw_verdict *vd)
{
	unsigned long *by_reason = arg;

	(void)l;
	(void)key;
	(void)key_len;
	(void)raw;
	(void)raw_len;
	if (vd != NULL && vd->st.state == LW_STATE_SUPPRESSED)
		by_reason[vd->st.reason]++;
	return 0;
}

/*
 * print_suppressed - how many of the list's rows are suppressed already,
 * by reason: export leaves them out
 */
static int
print_suppressed(const struct cli *cli, struct lw_store *s, const char *list)
{
	unsigned long by_reason[LW_SUPPRESS_REASON_COUNT] = { 0 }, n = 0;
	const char *names[LW_SUPPRESS_REASON_COUNT];
	struct lw_view *view;
	int err, i;

	if ((err = lw_view_begin(s, (int64_t)time(NULL), &view)) == LW_OK) {
		err = lw_view_rows(view, list, count_suppressed, by_reason);
		lw_view_end(view);
	}
	if (err != LW_OK) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
		return cli_exit_for(err);
	}
	for (i = 0; i < LW_SUPPRESS_REASON_COUNT; i++) {
		names[i] = lw_suppress_reason_name((enum lw_suppress_reason)i);
		n += by_reason[i];
	}
	if (n == 0)
		return LW_EXIT_OK;
	printf("import: %lu rows of the list are suppressed already; export "
	    "leaves them out\n", n);
	cli_print_counts(stdout, names, by_reason, LW_SUPPRESS_REASON_COUNT);
	return LW_EXIT_OK;
}

/* as_address - the piped row's forms, where lw_import_add() reads them */
static void
as_address(const struct piped_row *pr, struct lw_address *a)
{
	memcpy(a->key, pr->key, pr->key_len);
	a->key[pr->key_len] = '\0';
	memcpy(a->address, pr->address, pr->address_len);
	a->address[pr->address_len] = '\0';
	memcpy(a->display, pr->display, pr->display_len);
	a->display[pr->display_len] = '\0';
	a->flags = pr->flags;
	a->reason = LW_REASON_NONE;
}

/*
 * import_rows - feed every row of the input to the store's import
 *
 * A second thread reads and validates (rowpipe.c) while this one stores.
 */
static int
import_rows(struct import *im, struct list_input *in, struct lw_import *imp)
{
	struct rowpipe *pipe;
	struct piped_row pr;
	struct lw_import_row row;
	struct lw_import_stats st;
	struct lw_address a;
	int got, err = LW_OK, status = LW_EXIT_OK;

	if (rowpipe_start(&pipe, in) != LW_OK) {
		cli_error(im->cli, "%s", lw_strerror(LW_ENOMEM));
		return LW_EXIT_SYSTEM;
	}
	while ((got = rowpipe_next(pipe, &pr)) > 0) {
		row.line = pr.line;
		row.raw = pr.raw;
		row.raw_len = pr.raw_len;
		row.addr = NULL;
		row.reason = lw_address_reason_name(pr.reason);
		if (pr.valid) {
			as_address(&pr, &a);
			row.addr = &a;
		}
		if ((err = lw_import_add(imp, &row)) != LW_OK)
			break;
		if (im->progress && (pr.line & 1023) == 0) {
			lw_import_stats(imp, &st);
			show_progress(im, st.read, 0);
		}
	}
	rowpipe_stop(pipe);
	lw_import_stats(imp, &st);
	if (got < 0) {
		status = -got;
	} else if (got == 0 && st.read == 0) {
		cli_error(im->cli, "%s: a header but no rows; nothing to "
		    "import", in->name);
		status = LW_EXIT_DATA;
	} else if (got > 0) {
		cli_error(im->cli, "%s:%lu: %s", in->name, pr.line,
		    lw_strerror(err));
		status = cli_exit_for(err);
	}
	return status;
}

/* cmd_import - the import command */
int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "replace", no_argument, NULL, 'r' },
		{ "column", required_argument, NULL, 'c' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "rejects", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct import im = { .cli = cli };
	struct list_input in;
	struct lw_store *s = NULL;
	struct lw_import *imp = NULL;
	struct lw_import_stats st;
	const char *column = NULL, *rejects = NULL, *list, *path;
	unsigned flags = 0;
	int opt, delimiter = 0, status, err, lock_fd = -1;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			flags |= LW_IMPORT_REPLACE;
			break;
		case 'c':
			column = optarg;
			break;
		case 'd':
			if ((status = cli_delimiter_option(cli, optarg,
			    &delimiter)) != LW_EXIT_OK)
				return status;
			break;
		case 'j':
			rejects = optarg;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(cli, "give a list name and a file");
	list = argv[optind];
	path = argv[optind + 1];

	if ((status = cli_open_store(cli, 0, &s)) != 0)
		return status;
	if ((status = cli_wait_turn(cli, &lock_fd)) != 0)
		goto out;
	if ((status = list_input_open(cli, path, column, delimiter, &in)) != 0)
		goto out;
	im.delimiter = in.delimiter;
	im.eol = cli_line_body(in.header, in.header_len) + 2 == in.header_len ?
	    "\r\n" : "\n";
	if (rejects != NULL) {
		if ((status = cli_out_open(cli, rejects, &im.rejects)) != 0)
			goto out;
		fwrite(in.header, 1, cli_line_body(in.header, in.header_len),
		    im.rejects.fp);
		fprintf(im.rejects.fp, "%cline%creason%s", in.delimiter,
		    in.delimiter, im.eol);
	}
	err = lw_import_begin(s, list, flags, in.header, in.header_len,
	    in.delimiter, on_reject, &im, &imp);
	if (err != LW_OK) {
		if (err == LW_EINVAL)
			cli_error(cli, "the list name is not valid: it takes 1 "
			    "to %d octets and no control characters",
			    LW_LIST_NAME_MAX);
		else if (err == LW_EHEADER)
			cli_error(cli, "%s:1: %s", in.name, lw_strerror(err));
		else
			cli_error(cli, "%s: %s", cli->db_path,
			    lw_strerror(err));
		status = cli_exit_for(err);
		goto out;
	}
	im.progress = isatty(STDERR_FILENO);
	im.started = im.shown = seconds();
	if ((status = import_rows(&im, &in, imp)) != LW_EXIT_OK) {
		lw_import_abort(imp);
		cli_error(cli, "nothing was imported; the store is as it "
		    "was");
		goto out;
	}
	if ((err = lw_import_commit(imp, &st)) != LW_OK) {
		cli_error(cli, "%s: %s; nothing was imported", cli->db_path,
		    lw_strerror(err));
		status = cli_exit_for(err);
		goto out;
	}
	show_progress(&im, st.read, 1);
	status = cli_out_close(cli, &im.rejects, 1);
	print_summary(&im, list, &st);
	if (status == LW_EXIT_OK)
		status = print_suppressed(cli, s, list);
	if (status == LW_EXIT_OK && st.invalid + st.duplicates > 0)
		status = LW_EXIT_FOUND;
out:
	cli_out_close(cli, &im.rejects, 0);
	list_input_close(&in);
	lw_store_close(s);
	if (lock_fd >= 0)
		close(lock_fd);		/* the next import's turn */
	return status;
}
