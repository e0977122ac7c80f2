/*
 * explain.c - listwarden explain: what an error means, and what to do
 *
 * NAME
 *	explain - a diagnostic, or a bounce message, through classify and
 *	the catalogue of kinds
 *
 * SYNOPSIS
 *	listwarden explain [--json] TEXT...|-
 *
 * DESCRIPTION
 *	TEXT (the words given, joined by blanks) is one diagnostic, such as
 *	"550 5.7.1 Relaying denied": its codes are found (lw_status_find()),
 *	it is classified (listwarden/classify.h) and its kind looked up in
 *	the catalogue, and explain prints the kind, the class and the rule
 *	that decided, what listwarden does with such an event, and the
 *	advice for the sender.
 *
 *	"-" reads standard input: a whole message (its first line a header
 *	field or an mbox "From " line), read as ingest reads one, is
 *	explained recipient by recipient; anything else is read a line at a
 *	time, each line that is not blank a diagnostic.  No store is used.
 *
 *	--json prints one object per diagnostic or recipient.
 *
 * EXIT STATUS
 *	0 when every error was recognized, 1 when one's kind is unknown (or
 *	a message is no bounce), 2 for usage, 3 when standard input holds
 *	nothing to explain, 4 for a system error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

/* Most octets of standard input read. */
#define EXPLAIN_INPUT_MAX	(64u << 20)

struct explain {
	int json;
	unsigned long items, unknown;
};

/* What listwarden does with an event of each class (default policy). */
static const char *const class_actions[LW_CLASS_COUNT] = {
	[LW_CLASS_UNKNOWN] = "records it; decides nothing",
	[LW_CLASS_HARD] = "suppresses the address at the first one",
	[LW_CLASS_SOFT] = "counts it; suppresses the address at the soft "
	    "threshold (3 within 30 days unless configured otherwise)",
	[LW_CLASS_TECHNICAL] = "counts it like a soft bounce; suppresses the "
	    "address at the soft threshold",
	[LW_CLASS_POLICY] = "records it and never suppresses the address: "
	    "the sender has to act",
	[LW_CLASS_COMPLAINT] = "suppresses the address at once",
	[LW_CLASS_UNSUBSCRIBE] = "suppresses the address at once",
	[LW_CLASS_DELIVERED] = "resets the soft count",
	[LW_CLASS_AUTO_REPLY] = "records it; never a bounce",
};

/* json_str - ,"name":"value" or null */
static void
json_str(const char *name, const char *v)
{
	printf(",\"%s\":", name);
	if (v == NULL || v[0] == '\0')
		fputs("null", stdout);
	else
		emit_json_string(stdout, v, strlen(v));
}

/*
 * show - one explained outcome: its input (a diagnostic, or a message's
 * recipient and the diagnostic found for it)
 */
static void
show(struct explain *x, const char *recipient, const char *text,
    const char *status, const char *reply, enum lw_class cls,
    const char *rule)
{
	struct lw_classify_in in = { NULL, status, reply, text };
	const struct lw_kind_info *k =
	    lw_kind_info(lw_kind_of(&in, cls, rule));

	x->items++;
	if (strcmp(k->name, "unknown") == 0)
		x->unknown++;
	if (x->json) {
		fputs("{\"recipient\":", stdout);
		if (recipient == NULL)
			fputs("null", stdout);
		else
			emit_json_string(stdout, recipient, strlen(recipient));
		json_str("diagnostic", text);
		json_str("status", status);
		if (reply != NULL && reply[0] != '\0')
			printf(",\"reply_code\":%s", reply);
		else
			fputs(",\"reply_code\":null", stdout);
		json_str("kind", k->name);
		json_str("class", lw_class_name(cls));
		json_str("rule", rule);
		json_str("listwarden", class_actions[cls]);
		json_str("advice", k->advice);
		json_str("signals", k->signals);
		fputs("}\n", stdout);
		return;
	}
	if (x->items > 1)
		fputc('\n', stdout);
	if (recipient != NULL)
		printf("%s\n", recipient);
	if (text != NULL && text[0] != '\0')
		printf("  error:       %s\n", text);
	if ((status != NULL && status[0] != '\0') ||
	    (reply != NULL && reply[0] != '\0'))
		printf("  codes:       %s%s%s\n", status ? status : "",
		    status && status[0] && reply && reply[0] ? ", reply " :
		    (reply && reply[0] ? "reply " : ""), reply ? reply : "");
	printf("  kind:        %s\n", k->name);
	printf("  class:       %s (rule %s)\n", lw_class_name(cls), rule);
	printf("  listwarden:  %s\n", class_actions[cls]);
	printf("  advice:      %s\n", k->advice);
}

/* one_text - explain one diagnostic */
static void
one_text(struct explain *x, const char *text)
{
	struct lw_classify_in in;
	struct lw_classification c;
	char reply[4], status[16];

	(void)lw_status_find(text, reply, status);
	memset(&in, 0, sizeof(in));
	in.status = status;
	in.reply = reply;
	in.text = text;
	lw_classify(&in, &c);
	show(x, NULL, text, status, reply, c.cls, c.rule);
}

/* is_message - the input starts as a message, or an mbox, does */
static int
is_message(const char *p, size_t n)
{
	size_t i;

	if (n >= 5 && memcmp(p, "From ", 5) == 0)
		return 1;
	if (n == 0 || !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		return 0;
	for (i = 1; i < n && ((p[i] >= 'A' && p[i] <= 'Z') ||
	    (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
	    p[i] == '-'); i++)
		;
	return i < n && p[i] == ':';
}

/* one_message - explain each recipient of a bounce message */
static int
one_message(struct cli *cli, struct explain *x, const char *buf, size_t n)
{
	struct lw_mail m;
	size_t i;
	int err;

	/* An mbox "From " line, as a local delivery agent adds it. */
	if (n >= 5 && memcmp(buf, "From ", 5) == 0) {
		const char *nl = memchr(buf, '\n', n);

		n = nl != NULL ? n - (size_t)(nl + 1 - buf) : 0;
		buf = nl != NULL ? nl + 1 : buf + n;
	}
	memset(&m, 0, sizeof(m));
	if ((err = lw_mail_parse(buf, n, NULL, &m)) != LW_OK) {
		cli_error(cli, "%s", lw_strerror(err));
		return LW_EXIT_SYSTEM;
	}
	if (m.kind == LW_MAIL_NONE) {
		x->items++;
		x->unknown++;
		if (x->json) {
			fputs("{\"recipient\":null", stdout);
			json_str("kind", "not-a-bounce");
			json_str("diagnostic", m.why_not);
			fputs("}\n", stdout);
		} else
			printf("not a bounce: %s\n", m.why_not);
	}
	for (i = 0; i < m.nrcpt; i++)
		show(x, m.rcpt[i].recipient, m.rcpt[i].diagnostic,
		    m.rcpt[i].status, m.rcpt[i].reply, m.rcpt[i].cls,
		    m.rcpt[i].rule);
	lw_mail_clear(&m);
	return LW_EXIT_OK;
}

/* read_all - standard input, whole, into *bufp; an exit status */
static int
read_all(struct cli *cli, char **bufp, size_t *np)
{
	size_t n = 0, cap = 0, got;
	char *buf = NULL, *p;

	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 131072;
			if ((p = realloc(buf, cap)) == NULL) {
				free(buf);
				cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
				return LW_EXIT_SYSTEM;
			}
			buf = p;
		}
		got = fread(buf + n, 1, 65536, stdin);
		n += got;
		if (n > EXPLAIN_INPUT_MAX) {
			free(buf);
			cli_error(cli, "standard input: more than 64 MiB; give "
			    "one message or a few diagnostics");
			return LW_EXIT_DATA;
		}
		if (got < 65536)
			break;
	}
	if (ferror(stdin)) {
		free(buf);
		cli_error(cli, "standard input: %s", lw_strerror(LW_EIO));
		return LW_EXIT_SYSTEM;
	}
	buf[n] = '\0';
	*bufp = buf;
	*np = n;
	return LW_EXIT_OK;
}

/* from_stdin - a message, or diagnostics a line each */
static int
from_stdin(struct cli *cli, struct explain *x)
{
	char *buf, *line, *next;
	size_t n, off = 0;
	int status;

	if ((status = read_all(cli, &buf, &n)) != LW_EXIT_OK)
		return status;
	while (off < n && (buf[off] == ' ' || buf[off] == '\t' ||
	    buf[off] == '\r' || buf[off] == '\n'))
		off++;
	if (is_message(buf + off, n - off))
		status = one_message(cli, x, buf + off, n - off);
	else
		for (line = buf; line != NULL && *line != '\0'; line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			n = strlen(line);
			while (n > 0 && (line[n - 1] == '\r' ||
			    line[n - 1] == ' ' || line[n - 1] == '\t'))
				line[--n] = '\0';
			while (*line == ' ' || *line == '\t')
				line++;
			if (*line != '\0')
				one_text(x, line);
		}
	free(buf);
	if (status == LW_EXIT_OK && x->items == 0) {
		cli_error(cli, "standard input: nothing to explain (give a "
		    "diagnostic a line, or one bounce message)");
		return LW_EXIT_DATA;
	}
	return status;
}

/* cmd_explain - the explain command */
int
cmd_explain(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct explain x;
	size_t len = 0;
	char *text;
	int opt, i, status;

	memset(&x, 0, sizeof(x));
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			x.json = 1;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind == argc)
		return cli_usage_error(cli, "give a diagnostic (\"550 5.1.1 "
		    "user unknown\"), or - to read one or a message from "
		    "standard input");
	if (argc - optind == 1 && strcmp(argv[optind], "-") == 0)
		status = from_stdin(cli, &x);
	else {
		for (i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		if ((text = malloc(len + 1)) == NULL) {
			cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
			return LW_EXIT_SYSTEM;
		}
		text[0] = '\0';
		for (i = optind; i < argc; i++) {
			if (i > optind)
				strcat(text, " ");
			strcat(text, argv[i]);
		}
		one_text(&x, text);
		free(text);
		status = LW_EXIT_OK;
	}
	if (status != LW_EXIT_OK)
		return status;
	return x.unknown > 0 ? LW_EXIT_FOUND : LW_EXIT_OK;
}
