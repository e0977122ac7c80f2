/*
 * listinput.c - read a list: CSV with a header row and an email column
 *
 * NAME
 *	listinput - what import and clean share about their input
 *
 * DESCRIPTION
 *	The email column is the one given with --column, else the first
 *	header named email, e-mail, email_address, emailaddress, email
 *	address or mail (any case).  A list is strict where a wrong guess
 *	would cost data: a row with more or fewer fields than the header,
 *	and a NUL byte (a binary file), are errors naming the file and the
 *	line, not rows to skip.
 */
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

static const char *const email_names[] = {
	"email", "e-mail", "email_address", "emailaddress", "email address",
	"mail",
};

/* parse_delimiter - "," ";" "|" TAB, or "tab" */
static int
parse_delimiter(const char *s)
{
	if (strcmp(s, "\\t") == 0 || strcasecmp(s, "tab") == 0)
		return '\t';
	if (strlen(s) == 1 && strchr(",;|\t", s[0]) != NULL)
		return s[0];
	return -1;
}

/* cli_delimiter_option - parse --delimiter, or say what it takes */
int
cli_delimiter_option(const struct cli *cli, const char *arg, int *delimiter)
{
	if ((*delimiter = parse_delimiter(arg)) < 0)
		return cli_usage_error(cli, "--delimiter takes one of , ; | or "
		    "tab, not '%s'", arg);
	return LW_EXIT_OK;
}

/* read_failure - report a reader error with the file and line */
static int
read_failure(struct list_input *in, int err)
{
	unsigned long line = lw_csv_error_line(in->reader);

	if (line == 0)		/* nothing was read: the file itself */
		cli_error(in->cli, "%s: %s", in->name, lw_strerror(err));
	else
		cli_error(in->cli, "%s:%lu: %s", in->name, line,
		    lw_strerror(err));
	return cli_exit_for(err);
}

/* has_nul - a NUL byte in the record: the input is not text */
static int
has_nul(const struct lw_csv_record *rec)
{
	return memchr(rec->raw, '\0', rec->raw_len) != NULL;
}

/* list_input_open - open the list and find its email column */
int
list_input_open(const struct cli *cli, const char *path, const char *column,
    int delimiter, struct list_input *in)
{
	const struct lw_csv_record *rec;
	size_t i;
	int got;

	memset(in, 0, sizeof(*in));
	in->cli = cli;
	in->name = cli_input_name(path);
	in->column = -1;
	if ((in->fp = cli_open_input(cli, path)) == NULL)
		return LW_EXIT_SYSTEM;
	if (lw_csv_reader_new(&in->reader, in->fp, delimiter) != LW_OK) {
		cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
		return LW_EXIT_SYSTEM;
	}
	if ((got = lw_csv_next(in->reader, &rec)) < 0)
		return read_failure(in, got);
	if (got == 0) {
		cli_error(cli, "%s: the file is empty; a list needs a header "
		    "row naming its columns", in->name);
		return LW_EXIT_DATA;
	}
	if (has_nul(rec)) {
		cli_error(cli, "%s:%lu: a NUL byte: this is not a CSV text "
		    "file", in->name, rec->line);
		return LW_EXIT_DATA;
	}
	if (column != NULL) {
		in->column = lw_csv_find_column(rec, column);
	} else {
		for (i = 0; i < sizeof(email_names) / sizeof(email_names[0]) &&
		    in->column < 0; i++)
			in->column = lw_csv_find_column(rec, email_names[i]);
	}
	if (in->column < 0) {
		if (column != NULL)
			cli_error(cli, "%s:%lu: no column named '%s' in the "
			    "header", in->name, rec->line, column);
		else
			cli_error(cli, "%s:%lu: no email column in the header "
			    "(looked for email, e-mail, email_address, "
			    "emailaddress, email address, mail); name it with "
			    "--column", in->name, rec->line);
		return LW_EXIT_DATA;
	}
	if ((in->header = malloc(rec->raw_len + 1)) == NULL) {
		cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
		return LW_EXIT_SYSTEM;
	}
	memcpy(in->header, rec->raw, rec->raw_len);
	in->header_len = rec->raw_len;
	in->nfields = rec->nfields;
	in->delimiter = lw_csv_delimiter(in->reader);
	return LW_EXIT_OK;
}

/* list_input_next - the next row, checked against the header */
int
list_input_next(struct list_input *in, const struct lw_csv_record **rec)
{
	int got;

	if ((got = lw_csv_next(in->reader, rec)) < 0)
		return -read_failure(in, got);
	if (got == 0)
		return 0;
	if (has_nul(*rec)) {
		cli_error(in->cli, "%s:%lu: a NUL byte: this is not a CSV "
		    "text file", in->name, (*rec)->line);
		return -LW_EXIT_DATA;
	}
	if ((*rec)->nfields != in->nfields) {
		cli_error(in->cli, "%s:%lu: %zu fields where the header has "
		    "%zu", in->name, (*rec)->line, (*rec)->nfields,
		    in->nfields);
		return -LW_EXIT_DATA;
	}
	return 1;
}

/* list_input_close - release the reader and close the file */
void
list_input_close(struct list_input *in)
{
	lw_csv_reader_free(in->reader);
	if (in->fp != NULL && in->fp != stdin)
		fclose(in->fp);
	free(in->header);
	in->fp = NULL;
	in->reader = NULL;
	in->header = NULL;
}
