/*
 * clean.c - listwarden clean: filter a CSV list without storing it
 *
 * NAME
 *	clean - drop invalid and duplicate rows, pass the rest through
 *
 * SYNOPSIS
 *	listwarden clean [-o FILE] [--removed FILE] [--column NAME]
 *	    [--delimiter C] FILE|-
 *
 * DESCRIPTION
 *	For pipelines.  Reads a list as import does, and writes the header
 *	and every row whose address is valid, not seen before in the file
 *	and not suppressed in the store, byte for byte and in order.
 *	--removed gets the others with a reason column (an address reason,
 *	"duplicate", or "suppressed-REASON" as export gives it).  Duplicates
 *	are found by identity key, the first row winning; the keys seen are
 *	held in memory.  The store is the one --db names (or the default);
 *	when there is no store file there, nothing is suppressed and the
 *	summary says so.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "listwarden.h"
#include "cli.h"

/* An open-addressing set of identity keys. */
struct keyset {
	char **slots;
	size_t cap, n;
};

/* hash - FNV-1a */
static uint64_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* keyset_add - add key; 1 when it was new, 0 when seen, -1 without memory */
static int
keyset_add(struct keyset *ks, const char *key)
{
	char **old = ks->slots, **slot;
	size_t oldcap = ks->cap, i;

	if (ks->n * 2 >= ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 1024;
		if ((ks->slots = calloc(ks->cap, sizeof(*ks->slots))) == NULL)
			return -1;
		ks->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != NULL) {
				keyset_add(ks, old[i]);
				free(old[i]);
			}
		free(old);
	}
	for (i = hash(key) & (ks->cap - 1);; i = (i + 1) & (ks->cap - 1)) {
		slot = &ks->slots[i];
		if (*slot == NULL)
			break;
		if (strcmp(*slot, key) == 0)
			return 0;
	}
	if ((*slot = strdup(key)) == NULL)
		return -1;
	ks->n++;
	return 1;
}

/* keyset_free - release the set */
static void
keyset_free(struct keyset *ks)
{
	size_t i;

	for (i = 0; i < ks->cap; i++)
		free(ks->slots[i]);
	free(ks->slots);
}

/* cmd_clean - the clean command */
int
cmd_clean(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "removed", required_argument, NULL, 'r' },
		{ "column", required_argument, NULL, 'c' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_out out = { 0 }, rm = { 0 };
	struct list_input in = { 0 };
	struct lw_address_ctx *ctx = NULL;
	const struct lw_csv_record *rec;
	const struct lw_csv_field *f;
	struct keyset seen = { 0 };
	struct lw_address a;
	struct lw_store *s = NULL;
	struct lw_view *view = NULL;
	struct lw_verdict vd;
	const char *output = NULL, *removed = NULL, *column = NULL, *why;
	char whybuf[48];
	unsigned long long suppressed = 0;
	const char *eol;
	unsigned long long rows = 0, kept = 0;
	int opt, delimiter = 0, status, got, fresh = 0, err;

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
	if (argc - optind != 1)
		return cli_usage_error(cli, "give one file, or - for standard "
		    "input");
	if (access(cli->db_path, F_OK) == 0) {
		if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
			return status;
		if ((err = lw_view_begin(s, (int64_t)time(NULL), &view)) !=
		    LW_OK) {
			cli_error(cli, "%s: %s", cli->db_path,
			    lw_strerror(err));
			status = cli_exit_for(err);
			goto out;
		}
	}
	if ((status = list_input_open(cli, argv[optind], column, delimiter,
	    &in)) != 0)
		goto out;
	if ((status = cli_out_open(cli, output, &out)) != 0 ||
	    (removed && (status = cli_out_open(cli, removed, &rm)) != 0))
		goto out;
	if (lw_address_ctx_new(&ctx, 0) != LW_OK) {
		cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
		status = LW_EXIT_SYSTEM;
		goto out;
	}
	eol = cli_line_body(in.header, in.header_len) + 2 == in.header_len ?
	    "\r\n" : "\n";
	fwrite(in.header, 1, in.header_len, out.fp);
	if (rm.fp != NULL) {
		fwrite(in.header, 1, cli_line_body(in.header, in.header_len),
		    rm.fp);
		fprintf(rm.fp, "%creason%s", in.delimiter, eol);
	}
	while ((got = list_input_next(&in, &rec)) > 0) {
		rows++;
		f = &rec->fields[in.column];
		if (lw_address_parse(ctx, f->data, f->len, &a) != LW_OK ||
		    (a.reason == LW_REASON_NONE &&
		    (fresh = keyset_add(&seen, a.key)) < 0)) {
			cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
			status = LW_EXIT_SYSTEM;
			goto out;
		}
		why = a.reason != LW_REASON_NONE ?
		    lw_address_reason_name(a.reason) : fresh ? NULL :
		    "duplicate";
		if (why == NULL && view != NULL) {
			if ((err = lw_view_verdict(view, a.key, strlen(a.key),
			    &vd)) < 0) {
				cli_error(cli, "%s: %s", cli->db_path,
				    lw_strerror(err));
				status = cli_exit_for(err);
				goto out;
			}
			if (vd.st.state == LW_STATE_SUPPRESSED) {
				snprintf(whybuf, sizeof(whybuf),
				    "suppressed-%s",
				    lw_suppress_reason_name(vd.st.reason));
				why = whybuf;
				suppressed++;
			}
		}
		if (why == NULL) {
			kept++;
			fwrite(rec->raw, 1, rec->raw_len, out.fp);
		} else if (rm.fp != NULL) {
			fwrite(rec->raw, 1, cli_line_body(rec->raw,
			    rec->raw_len), rm.fp);
			fprintf(rm.fp, "%c%s%s", in.delimiter, why, eol);
		}
	}
	if (got < 0) {
		status = -got;
		goto out;
	}
	if ((status = cli_out_close(cli, &out, 1)) != 0 ||
	    (status = cli_out_close(cli, &rm, 1)) != 0)
		goto out;
	fprintf(stderr, "clean: %llu rows read, %llu kept, %llu removed "
	    "(%llu suppressed)\n", rows, kept, rows - kept, suppressed);
	if (view == NULL)
		fprintf(stderr, "clean: no store at %s: no suppression was "
		    "applied\n", cli->db_path);
	status = kept == rows ? LW_EXIT_OK : LW_EXIT_FOUND;
out:
	cli_out_close(cli, &out, 0);
	cli_out_close(cli, &rm, 0);
	lw_address_ctx_free(ctx);
	list_input_close(&in);
	keyset_free(&seen);
	lw_view_end(view);
	lw_store_close(s);
	return status;
}
