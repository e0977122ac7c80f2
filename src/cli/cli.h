/*
 * cli.h - what the command files share (internal to the program)
 *
 * Only src/cli/ prints, exits and looks at argv and the terminal.  Each
 * command is one file with one entry point that returns an exit status;
 * main.c holds the command table and the global options.
 */
#ifndef LW_CLI_H
#define LW_CLI_H

#include <stdio.h>

/* Exit statuses, documented in listwarden(1). */
#define LW_EXIT_OK	0	/* success */
#define LW_EXIT_FOUND	1	/* ran, and found what it reports */
#define LW_EXIT_USAGE	2	/* bad command line */
#define LW_EXIT_DATA	3	/* bad input data (malformed CSV, no column) */
#define LW_EXIT_SYSTEM	4	/* a file could not be read or written */

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
#endif /* LW_CLI_H */
