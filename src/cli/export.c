/*
 * export.c - listwarden export: the cleaned list, as the sender gave it
 *
 * NAME
 *	export - a stored list's rows in their order, header and delimiter
 *
 * SYNOPSIS
 *	listwarden export [-o FILE] [--removed FILE] LIST
 *
 * DESCRIPTION
 *	Writes the list's header and rows as they were imported, byte for
 *	byte, each line ended as the imported file's were.  All rows come
 *	from one snapshot of the store, so an import that commits meanwhile
 *	is seen whole or not at all.  Rows whose address is suppressed (by
 *	its events, by hand, or by a domain rule) are left out and, with
 *	--removed, written there with a reason column ("suppressed-hard",
 *	"suppressed-soft", "suppressed-complaint", "suppressed-unsubscribe",
 *	"suppressed-manual").  Memory does not grow with the list.  -o and --removed files are written
 *	atomically and created 0600.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "listwarden.h"
#include "cli.h"

struct export {
	struct cli_out out, removed;
	const char *eol;
	unsigned long long rows, kept;
	unsigned long by_reason[LW_SUPPRESS_REASON_COUNT];
};

/* write_error - 0, or why writing fp failed (EFBIG, ENOSPC ...) */
static int
write_error(FILE *fp)
{
	if (!ferror(fp))
		return 0;
	return errno > 0 ? -errno : LW_EIO;
}

/* on_row - the header first (key NULL), then each row */
static int
on_row(void *arg, const struct lw_list *l, const char *key, size_t key_len,
    const char *raw, size_t raw_len, const struct lw_verdict *vd)
{
	struct export *ex = arg;

	(void)key_len;
	if (key == NULL) {
		ex->eol = l->crlf ? "\r\n" : "\n";
		fwrite(l->header, 1, l->header_len, ex->out.fp);
		fputs(ex->eol, ex->out.fp);
		if (ex->removed.fp != NULL) {
			fwrite(l->header, 1, l->header_len, ex->removed.fp);
			fprintf(ex->removed.fp, "%creason%s", l->delimiter,
			    ex->eol);
		}
		return write_error(ex->out.fp);
	}
	ex->rows++;
	if (vd != NULL && vd->st.state == LW_STATE_SUPPRESSED) {
		ex->by_reason[vd->st.reason]++;
		if (ex->removed.fp == NULL)
			return 0;
		fwrite(raw, 1, raw_len, ex->removed.fp);
		fprintf(ex->removed.fp, "%csuppressed-%s%s", l->delimiter,
		    lw_suppress_reason_name(vd->st.reason), ex->eol);
		return write_error(ex->removed.fp);
	}
	ex->kept++;
	fwrite(raw, 1, raw_len, ex->out.fp);
	fputs(ex->eol, ex->out.fp);
	return write_error(ex->out.fp);
}

/* print_reasons - the suppressed rows by reason, on standard error */
static void
print_reasons(const unsigned long *by_reason)
{
	static const char *names[LW_SUPPRESS_REASON_COUNT];
	int i;

	for (i = 0; i < LW_SUPPRESS_REASON_COUNT; i++)
		names[i] = lw_suppress_reason_name((enum lw_suppress_reason)i);
	cli_print_counts(stderr, names, by_reason, LW_SUPPRESS_REASON_COUNT);
}

/* cmd_export - the export command */
int
cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "removed", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export ex = { .eol = "\n" };
	struct lw_store *s = NULL;
	struct lw_view *view = NULL;
	const char *output = NULL, *removed = NULL, *list;
	int opt, status, err;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'r':
			removed = optarg;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "give one list name");
	list = argv[optind];
	if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
		return status;
	if ((status = cli_out_open(cli, output, &ex.out)) != 0)
		goto out;
	if (removed != NULL &&
	    (status = cli_out_open(cli, removed, &ex.removed)) != 0)
		goto out;
	if ((err = lw_view_begin(s, (int64_t)time(NULL), &view)) == LW_OK)
		err = lw_view_rows(view, list, on_row, &ex);
	if (err == LW_ENOENT) {
		cli_error(cli, "no list named '%s' in %s", list, cli->db_path);
		status = LW_EXIT_DATA;
		goto out;
	}
	if (err != LW_OK) {
		/* A write error is the output's; anything else the store's. */
		cli_error(cli, "%s: %s%s", ex.out.fp && ferror(ex.out.fp) ?
		    (output ? output : "standard output") : cli->db_path,
		    lw_strerror(err), output && ferror(ex.out.fp) ?
		    "; the file was not changed" : "");
		status = cli_exit_for(err);
		goto out;
	}
	if ((status = cli_out_close(cli, &ex.out, 1)) != 0 ||
	    (status = cli_out_close(cli, &ex.removed, 1)) != 0)
		goto out;
	fprintf(stderr, "export: list '%s': %llu rows written, %llu left "
	    "out (suppressed)\n", list, ex.kept, ex.rows - ex.kept);
	print_reasons(ex.by_reason);
out:
	lw_view_end(view);
	cli_out_close(cli, &ex.out, 0);
	cli_out_close(cli, &ex.removed, 0);
	lw_store_close(s);
	return status;
}
