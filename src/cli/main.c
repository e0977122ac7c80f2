/*
 * main.c - listwarden's entry point: global options and the command table
 *
 * NAME
 *	listwarden - keep mailing lists clean
 *
 * SYNOPSIS
 *	listwarden [--db PATH] COMMAND [OPTIONS] [ARGS]
 *	listwarden help [COMMAND]
 *	listwarden --version
 *
 * DESCRIPTION
 *	main() reads the global options, finds the command in the table and
 *	runs it; the command returns the exit status.  Standard output is
 *	flushed and checked afterwards, so a full disk is not success.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

static const struct cli_cmd commands[] = {
	{ "init", cmd_init, "create the store", "init" },
	{ "migrate", cmd_migrate, "upgrade a store made by an older "
	    "listwarden", "migrate [--status]" },
	{ "validate", cmd_validate, "check addresses, one per line or a CSV "
	    "column", "validate [--json] [--column NAME] [--delimiter C] "
	    "[FILE|-]" },
	{ "import", cmd_import, "load a list from CSV into the store",
	    "import [--replace] [--column NAME] [--delimiter C] "
	    "[--rejects FILE] LIST FILE|-" },
	{ "export", cmd_export, "write a stored list, cleaned, as CSV",
	    "export [-o FILE] [--removed FILE] LIST" },
	{ "clean", cmd_clean, "filter a CSV list without storing it",
	    "clean [-o FILE] [--removed FILE] [--column NAME] "
	    "[--delimiter C] FILE|-" },
	{ "ingest", cmd_ingest, "record bounces, complaints, unsubscribes "
	    "and deliveries", "ingest [--format auto|csv|jsonl|ses|sendgrid|"
	    "mailgun|postmark|listmonk|mail|mbox|maildir|postfix-log] "
	    "[--verp PATTERN] [--dry-run] [--json] [--strict] "
	    "FILE...|DIR...|-" },
	{ "explain", cmd_explain, "say what a bounce's error means, and what "
	    "to do", "explain [--json] TEXT...|-" },
	{ "report", cmd_report, "what came back in a period, and what to fix",
	    "report [--since TIME] [--until TIME] [--json] [--html FILE]" },
	{ "verify", cmd_verify, "check every invariant of the store",
	    "verify [--json]" },
	{ "check", cmd_check, "show whether addresses may be mailed, and "
	    "why", "check [--json] [--history N] ADDRESS...|-" },
	{ "suppress", cmd_manual, "suppress addresses or domains by hand",
	    "suppress [--reason TEXT] ADDRESS...|@DOMAIN...|-" },
	{ "unsuppress", cmd_manual, "lift a suppression and clear the "
	    "counts", "unsuppress [--reason TEXT] ADDRESS...|@DOMAIN...|-" },
	{ "allow", cmd_manual, "shield addresses or domains from bounce "
	    "rules", "allow [--reason TEXT] ADDRESS...|@DOMAIN...|-" },
	{ "disallow", cmd_manual, "end an allow", "disallow [--reason TEXT] "
	    "ADDRESS...|@DOMAIN...|-" },
	{ "suppressions", cmd_suppressions, "write the suppression list for "
	    "other tools", "suppressions [--format F] [--reason R,...] "
	    "[--since TIME] [--ascii-only] [-o FILE]" },
	{ "config", cmd_config, "show or set the suppression policy",
	    "config [KEY [VALUE]]" },
	{ "reevaluate", cmd_reevaluate, "refold every state under the "
	    "current policy", "reevaluate" },
	{ "lists", cmd_lists, "show the stored lists", "lists" },
	{ "stats", cmd_stats, "show what the store holds", "stats [--json]" },
	{ "help", cmd_help, "show the usage of a command, or what each "
	    "rejection reason means", "help [COMMAND|reasons]" },
};

/* cli_find_command - the table entry for name, or NULL */
const struct cli_cmd *
cli_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* vreport - "listwarden COMMAND: message" on standard error */
static void
vreport(const struct cli *cli, const char *fmt, va_list ap)
{
	if (cli->command != NULL)
		fprintf(stderr, "%s %s: ", cli->progname, cli->command);
	else
		fprintf(stderr, "%s: ", cli->progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* cli_error - a message on standard error, prefixed with the command */
void
cli_error(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cli, fmt, ap);
	va_end(ap);
}

/* cli_usage_error - a usage error and the usage line; returns 2 */
int
cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
	const struct cli_cmd *cmd;
	va_list ap;

	va_start(ap, fmt);
	vreport(cli, fmt, ap);
	va_end(ap);
	if (cli->command != NULL &&
	    (cmd = cli_find_command(cli->command)) != NULL)
		fprintf(stderr, "usage: %s %s\n", cli->progname, cmd->usage);
	else
		fprintf(stderr, "usage: %s [--db PATH] COMMAND [OPTIONS] "
		    "[ARGS]; '%s help' lists the commands\n", cli->progname,
		    cli->progname);
	return LW_EXIT_USAGE;
}

/* cli_option_error - a missing argument or an unknown option */
int
cli_option_error(const struct cli *cli, int opt, char **argv)
{
	if (opt == ':')
		return cli_usage_error(cli, "%s needs an argument",
		    argv[optind - 1]);
	return cli_usage_error(cli, "unknown option: %s", argv[optind - 1]);
}

/* cli_print_usage - "usage: listwarden COMMAND ..." for --help */
int
cli_print_usage(const struct cli *cli)
{
	printf("usage: listwarden %s\n", cli_find_command(cli->command)->usage);
	return LW_EXIT_OK;
}

/* cli_line_body - the length of a raw record without CR LF or LF */
size_t
cli_line_body(const char *raw, size_t len)
{
	if (len > 0 && raw[len - 1] == '\n')
		len--;
	if (len > 0 && raw[len - 1] == '\r')
		len--;
	return len;
}

/* cli_input_name - the name error messages give an input */
const char *
cli_input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "standard input" : path;
}

/* cli_open_input - FILE or "-" for reading; NULL after an error message */
FILE *
cli_open_input(const struct cli *cli, const char *path)
{
	FILE *fp;

	if (strcmp(path, "-") == 0)
		return stdin;
	if ((fp = fopen(path, "r")) == NULL)
		cli_error(cli, "%s: %s", path, strerror(errno));
	return fp;
}

/* cli_finish_output - flush standard output and check that it all went */
int
cli_finish_output(const struct cli *cli, int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(cli, "standard output: %s", strerror(errno ? errno :
		    EIO));
		return LW_EXIT_SYSTEM;
	}
	return status;
}

/* print_commands - the command list of "listwarden help" */
static void
print_commands(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: listwarden [--db PATH] COMMAND [OPTIONS] [ARGS]\n"
	    "\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-12s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(fp, "\n'listwarden help COMMAND' shows a command's usage, "
	    "'listwarden help reasons'\nwhat each rejection reason means; "
	    "man listwarden tells the rest.\n");
}

/* print_reasons - every reason an address is rejected for, and its meaning */
static void
print_reasons(FILE *fp)
{
	int r;

	for (r = 1; r < LW_REASON_COUNT; r++)
		fprintf(fp, "%-22s %s\n", lw_address_reason_name(r),
		    lw_address_reason_text(r));
}

/* cmd_help - the usage of one command, the reasons, or the list of all */
int
cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc < 2) {
		print_commands(stdout);
		return LW_EXIT_OK;
	}
	if (argc > 2)
		return cli_usage_error(cli, "too many arguments");
	if (strcmp(argv[1], "reasons") == 0) {
		print_reasons(stdout);
		return LW_EXIT_OK;
	}
	if ((cmd = cli_find_command(argv[1])) == NULL)
		return cli_usage_error(cli, "no such command: %s", argv[1]);
	printf("usage: listwarden %s\n%s\n", cmd->usage, cmd->summary);
	return LW_EXIT_OK;
}

/* main - global options, then the command */
int
main(int argc, char **argv)
{
	struct cli cli = { .progname = "listwarden" };
	const struct cli_cmd *cmd;
	int i;

	/*
	 * A file size limit (ulimit -f) is a write error, EFBIG, reported
	 * like a full disk, rather than a signal that kills the program
	 * mid-write.
	 */
	signal(SIGXFSZ, SIG_IGN);
	cli.db_path = getenv("LISTWARDEN_DB");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if (++i >= argc)
				return cli_usage_error(&cli, "--db needs a path");
			cli.db_path = argv[i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			cli.db_path = argv[i] + 5;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("listwarden %s\n", LW_VERSION);
			return cli_finish_output(&cli, LW_EXIT_OK);
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			print_commands(stdout);
			return cli_finish_output(&cli, LW_EXIT_OK);
		} else {
			return cli_usage_error(&cli, "unknown option: %s",
			    argv[i]);
		}
	}
	if (cli.db_path == NULL || cli.db_path[0] == '\0')
		cli.db_path = "./listwarden.db";
	if (i >= argc) {
		print_commands(stderr);
		return LW_EXIT_USAGE;
	}
	if ((cmd = cli_find_command(argv[i])) == NULL)
		return cli_usage_error(&cli, "no such command: %s", argv[i]);
	cli.command = cmd->name;
	return cli_finish_output(&cli, cmd->run(&cli, argc - i, argv + i));
}
