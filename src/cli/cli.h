/*
 * cli.h - what the command files share (internal to the program)
 *
 * Only src/cli/ prints, exits and looks at argv and the terminal.  Each
 * command is one file with one entry point that returns an exit status;
 * main.c holds the command table and the global options.
 */
#ifndef LW_CLI_H
#define LW_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "listwarden/address.h"

/* Exit statuses, documented in listwarden(1). */
#define LW_EXIT_OK	0	/* success */
#define LW_EXIT_FOUND	1	/* ran, and found what it reports */
#define LW_EXIT_USAGE	2	/* bad command line */
#define LW_EXIT_DATA	3	/* bad input data (malformed CSV, no column) */
#define LW_EXIT_SYSTEM	4	/* a file could not be read or written */
#define LW_EXIT_STORE	5	/* no store, not a store, damaged, or the
				   wrong schema version */

struct cli {
	const char *progname;	/* "listwarden" */
	const char *command;	/* "validate" */
	const char *db_path;	/* --db, LISTWARDEN_DB, or the default */
};

struct cli_cmd {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
	const char *usage;
};

int cmd_validate(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_migrate(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_clean(struct cli *cli, int argc, char **argv);
int cmd_lists(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_ingest(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_explain(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_verify(struct cli *cli, int argc, char **argv);
int cmd_manual(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_reevaluate(struct cli *cli, int argc, char **argv);
int cmd_suppressions(struct cli *cli, int argc, char **argv);

/* cli_error - "listwarden validate: message" on standard error */
void cli_error(const struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* cli_usage_error - a usage message, then the command's usage line; exit 2 */
int cli_usage_error(const struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* cli_open_input - open FILE or "-" for reading; NULL after an error */
FILE *cli_open_input(const struct cli *cli, const char *path);

/* cli_input_name - how error messages name an input */
const char *cli_input_name(const char *path);

/*
 * cli_option_error - the usage error for getopt_long's ':' (a missing
 * argument) or '?' (an unknown option); optstring must start with "+:"
 */
int cli_option_error(const struct cli *cli, int opt, char **argv);

/* cli_print_usage - the command's usage line on standard output; 0 */
int cli_print_usage(const struct cli *cli);

/*
 * cli_delimiter_option - --delimiter's argument into *delimiter, or a
 * usage error (its exit status)
 */
int cli_delimiter_option(const struct cli *cli, const char *arg,
    int *delimiter);

/*
 * cli_print_counts - "  name  count" lines for counts[1..n-1] that are not
 * zero, the most frequent first (ties in index order); names[i] names
 * counts[i]
 */
void cli_print_counts(FILE *fp, const char *const *names,
    const unsigned long *counts, int n);

/* cli_line_body - the length of a raw CSV record without its line end */
size_t cli_line_body(const char *raw, size_t len);

/* cli_finish_output - flush standard output; LW_EXIT_SYSTEM if it failed */
int cli_finish_output(const struct cli *cli, int status);

/* cli_find_command - the table entry for name, or NULL */
const struct cli_cmd *cli_find_command(const char *name);



/*
 * emit.c - escaping for the formats the commands print
 */

/* emit_json_string - s as a JSON string; bytes that are not UTF-8 as U+FFFD */
void emit_json_string(FILE *fp, const char *s, size_t n);

/*
 * emit_tsv_field - s as one TSV field: '\\' '\t' '\n' '\r' escaped with a
 * backslash, other controls and bytes that are not UTF-8 as \xNN
 */
void emit_tsv_field(FILE *fp, const char *s, size_t n);

/* cli_format_time - t as RFC 3339 in UTC, into buf */
#define CLI_TIME_MAX	32
const char *cli_format_time(int64_t t, char buf[CLI_TIME_MAX]);
/*
 * store.c (cli) - opening the store with the messages a user needs
 */
struct lw_store;

/* cli_open_store - open --db with lw_store_open() flags; an exit status */
int cli_open_store(const struct cli *cli, unsigned flags,
    struct lw_store **sp);

/* cli_exit_for - the exit status for an lw_err from the library */
int cli_exit_for(int err);

/* cli_wait_turn - flock the store file, waiting for another writer */
int cli_wait_turn(const struct cli *cli, int *fd);

/*
 * lines.c - cli_getline(): a line of at most CLI_LINE_MAX octets kept
 * (the rest read through, *cut set); -1 at the end or on ENOMEM
 */
#define CLI_LINE_MAX	((size_t)16 << 20)
ssize_t cli_getline(char **line, size_t *cap, FILE *fp, int *cut);

/*
 * outfile.c - output files written atomically: a temporary file beside
 * the target, fsync, rename; "-" or NULL is standard output
 */
struct cli_out {
	FILE *fp;
	const char *path;	/* NULL for standard output */
	char *tmp;
	int direct;		/* a device or FIFO, written in place */
	int slot;		/* outfile.c's index of tmp, plus one */
};

int cli_out_open(const struct cli *cli, const char *path, struct cli_out *o);
/* cli_out_close - commit (rename into place) or drop; an exit status */
int cli_out_close(const struct cli *cli, struct cli_out *o, int commit);

/*
 * listinput.c - a CSV list with a header row and an email column
 */
struct lw_csv_reader;
struct lw_csv_record;

struct list_input {
	const struct cli *cli;
	const char *name;		/* as messages name it */
	FILE *fp;
	struct lw_csv_reader *reader;
	char *header;			/* the header row as read */
	size_t header_len;
	size_t nfields;
	int column;
	int delimiter;
};

/* list_input_open - open path and read its header; an exit status */
int list_input_open(const struct cli *cli, const char *path,
    const char *column, int delimiter, struct list_input *in);
/* list_input_next - 1 and a row, 0 at the end, or -(exit status) */
int list_input_next(struct list_input *in, const struct lw_csv_record **rec);
void list_input_close(struct list_input *in);

/*
 * rowpipe.c - a list read and judged on a second thread
 */
struct rowpipe;

struct piped_row {
	unsigned long line;
	const char *raw;
	size_t raw_len;
	int valid;
	unsigned flags;
	enum lw_address_reason reason;
	const char *key, *address, *display;	/* when valid */
	size_t key_len, address_len, display_len;
};

/* rowpipe_start - read and validate in's rows on a thread of their own */
int rowpipe_start(struct rowpipe **pp, struct list_input *in);
/* rowpipe_next - 1 and a row (borrowed), 0 at the end, -(exit status) */
int rowpipe_next(struct rowpipe *p, struct piped_row *row);
/* rowpipe_stop - stop the thread and free; NULL is a no-op */
void rowpipe_stop(struct rowpipe *p);

#endif /* LW_CLI_H */
