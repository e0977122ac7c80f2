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
 *	is seen whole or not at all.  Rows whose address must not be mailed
 *	are left out and, with --removed, written there with a reason
 *	column; today the store holds no suppressions, so none is.  Memory
 *	does not grow with the list.  -o and --removed files are written
 *	atomically and created 0600.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

struct export {
	struct cli_out out, removed;
	const char *eol;
	unsigned long long rows, kept;
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
    const char *raw, size_t raw_len)
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
	ex->kept++;
	fwrite(raw, 1, raw_len, ex->out.fp);
	fputs(ex->eol, ex->out.fp);
	return write_error(ex->out.fp);
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
	err = lw_store_rows(s, list, on_row, &ex);
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
	    "out\n", list, ex.kept, ex.rows - ex.kept);
out:
	cli_out_close(cli, &ex.out, 0);
	cli_out_close(cli, &ex.removed, 0);
	lw_store_close(s);
	return status;
}
