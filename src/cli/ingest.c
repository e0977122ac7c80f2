/*
 * ingest.c - listwarden ingest: what came back after a send
 *
 * NAME
 *	ingest - read events, classify them, record them, fold the states
 *
 * SYNOPSIS
 *	listwarden ingest [--format auto|csv|jsonl|ses|sendgrid|mailgun|
 *	    postmark|listmonk|mail|mbox|maildir|postfix-log]
 *	    [--verp PATTERN] [--dry-run] [--json] [--strict] FILE...|DIR...|-
 *
 * DESCRIPTION
 *	Each file is read by an event reader (listwarden/events.h: CSV,
 *	JSON lines, and the notifications, webhooks and API records of
 *	Amazon SES, SendGrid, Mailgun and Postmark, told apart by their
 *	first value unless --format names one; bounce messages, one to a
 *	file, in an mbox, or in a Maildir given as a directory, whose cur/
 *	and new/ messages are read in the order of their names
 *	(listwarden/mail.h); Postfix logs); each
 *	event's recipient is validated and normalized, its outcome
 *	classified (listwarden/classify.h), and it is queued for the store,
 *	which records it once (by its id) and refolds the states of the
 *	addresses it touched when every file has been read.  An event with
 *	no timestamp is dated when the ingest started.
 *
 *	A row that is no event (no recipient, an invalid address, an
 *	unknown type, a timestamp or status that cannot be read, a field
 *	too long, a line that is not JSON) is reported with its file and
 *	line and skipped; with --strict the first one stops the ingest and
 *	nothing is recorded.  So does an error that stops a file (broken
 *	CSV quoting, no recipient column).
 *
 *	A message that is no bounce is reported as such ("not-a-bounce")
 *	and changes nothing; it is not a rejected row.  --verp PATTERN
 *	recovers a bounce's recipient from the address it was sent to.
 *
 *	--dry-run reads and classifies and touches no store; with --json
 *	it prints one JSON object per event, the contract the other event
 *	sources follow, each with the file it came from (as given) and,
 *	for a message, the DSN action, the returned message's id and list;
 *	a message that is no bounce prints one object of class
 *	"not-a-bounce".  Without --dry-run, --json prints the summary as
 *	one JSON object; otherwise the summary goes to standard error.
 *
 * EXIT STATUS
 *	0, or 1 when rows were rejected; 3 for --strict's first bad row or
 *	a file that cannot be read as events.
 */
#include <dirent.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "listwarden.h"
#include "cli.h"

/* --format maildir: a directory, which no event reader reads. */
#define FORMAT_MAILDIR	(-2)

struct ingest {
	struct cli *cli;
	struct lw_address_ctx *ctx;
	struct lw_ingest *ing;		/* NULL for a dry run */
	int json, strict;
	const char *verp;
	int64_t now;
	unsigned long read, rejected, ignored;
	unsigned long by_class[LW_CLASS_COUNT];
};

/*
 * A row of a suppression list is a suppression already: the event kind
 * that suppresses for its reason, and the class it is counted under.
 */
static const struct {
	const char *reason;
	enum lw_event_kind kind;
	enum lw_class cls;
} listed[] = {
	{ "hard", LW_EVENT_HARD, LW_CLASS_HARD },
	{ "soft", LW_EVENT_SOFT_LIMIT, LW_CLASS_SOFT },
	{ "complaint", LW_EVENT_COMPLAINT, LW_CLASS_COMPLAINT },
	{ "unsubscribe", LW_EVENT_UNSUBSCRIBE, LW_CLASS_UNSUBSCRIBE },
	{ "manual", LW_EVENT_SUPPRESS, LW_CLASS_UNKNOWN },
};

/* Why a row is no event: the readers' reasons, explained. */
static const struct {
	const char *code;
	const char *text;
} row_errors[] = {
	{ "bad-json", "not valid JSON (or not an object where one is due)" },
	{ "no-recipient", "no recipient address" },
	{ "unknown-type", "the event type is not one listwarden knows" },
	{ "bad-timestamp", "the timestamp is not RFC 3339, RFC 5322 or Unix "
	    "time" },
	{ "bad-status", "the status is not an RFC 3463 or RFC 5321 code" },
	{ "too-long", "over a limit: a field of 16384 octets, a JSON line of "
	    "1 MiB, an ESP document or a message of 64 MiB" },
	{ "bad-utf8", "a field is not UTF-8" },
	{ "bad-element", "the element is not an event of this format" },
	{ "unknown-reason", "the suppression list gives a reason listwarden "
	    "does not know" },
};

/* row_error_text - the explanation of a reader's reason */
static const char *
row_error_text(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(row_errors) / sizeof(row_errors[0]); i++)
		if (strcmp(row_errors[i].code, code) == 0)
			return row_errors[i].text;
	return "the row is not an event";
}

/*
 * position - where a record is: "FILE:LINE" for line formats, "FILE:
 * item N" (and its line, when known) for an element of a JSON document
 */
static const char *
position(const char *name, const struct lw_event_rec *r, char *buf,
    size_t size)
{
	if (r->item == 0)
		snprintf(buf, size, "%s:%lu", name, r->line);
	else if (r->line > 0)
		snprintf(buf, size, "%s:%lu: item %lu", name, r->line,
		    r->item);
	else
		snprintf(buf, size, "%s: item %lu", name, r->item);
	return buf;
}

/* reject - report a bad row; the exit status when it stops the ingest */
static int
reject(struct ingest *in, const char *name, const struct lw_event_rec *r,
    const char *code, const char *text)
{
	char where[512];

	in->rejected++;
	cli_error(in->cli, "%s: %s: %s%s", position(name, r, where,
	    sizeof(where)), code, text,
	    in->strict ? "; nothing was recorded (--strict)" : "");
	return in->strict ? LW_EXIT_DATA : LW_EXIT_OK;
}

/* json_member - ,"name":"value" or ,"name":null */
static void
json_member(const char *name, const char *value, int first)
{
	printf("%s\"%s\":", first ? "" : ",", name);
	if (value == NULL || value[0] == '\0')
		fputs("null", stdout);
	else
		emit_json_string(stdout, value, strlen(value));
}

/* print_event - one event of a dry run, as JSON */
static void
print_event(const char *name, const struct lw_event_rec *r,
    const struct lw_address *a, const struct lw_classification *c,
    const char *kind, int64_t t)
{
	char when[CLI_TIME_MAX];

	json_member("file", name, 1);
	json_member("source", r->source ? r->source : name, 0);
	printf(",\"line\":%lu", r->line);
	if (r->item > 0)
		printf(",\"item\":%lu", r->item);
	json_member("recipient", a->address, 0);
	json_member("status", r->status, 0);
	if (r->reply != NULL && r->reply[0] != '\0')
		printf(",\"reply_code\":%s", r->reply);
	else
		fputs(",\"reply_code\":null", stdout);
	json_member("class", lw_class_name(c->cls), 0);
	json_member("rule", c->rule, 0);
	json_member("kind", kind, 0);
	json_member("diagnostic", r->diagnostic, 0);
	json_member("timestamp", cli_format_time(t, when), 0);
	json_member("event_id", r->event_id, 0);
	if (r->feedback != NULL)
		json_member("feedback_type", r->feedback, 0);
	if (r->suppressed != NULL)
		json_member("suppressed", r->suppressed, 0);
	if (r->action != NULL)
		json_member("action", r->action, 0);
	if (r->message_id != NULL)
		json_member("message_id", r->message_id, 0);
	if (r->list != NULL)
		json_member("list", r->list, 0);
	if (r->how != NULL)
		json_member("how", r->how, 0);
}

/* ignore - a message that holds no event: said, and nothing changes */
static int
ignore(struct ingest *in, const char *name, const struct lw_event_rec *r)
{
	char where[512];

	in->ignored++;
	if (in->ing == NULL && in->json) {
		fputc('{', stdout);
		json_member("file", name, 1);
		printf(",\"line\":%lu", r->line);
		fputs(",\"recipient\":null", stdout);
		json_member("class", r->ignored, 0);
		json_member("diagnostic", r->diagnostic, 0);
		fputs("}\n", stdout);
		return LW_EXIT_OK;
	}
	cli_error(in->cli, "%s: %s: %s; nothing recorded", position(name, r,
	    where, sizeof(where)), r->ignored, r->diagnostic ? r->diagnostic :
	    "no event");
	return LW_EXIT_OK;
}

/* one_event - validate, classify and queue (or print) one record */
static int
one_event(struct ingest *in, const char *name, const struct lw_event_rec *r)
{
	struct lw_address a;
	struct lw_classification c;
	struct lw_classify_in ci;
	struct lw_log_event e;
	enum lw_event_kind kind;
	const char *kname;
	size_t i;
	int64_t t;
	int err;

	if (r->ignored != NULL)
		return ignore(in, name, r);
	in->read++;
	if (r->error != NULL)
		return reject(in, name, r, r->error,
		    row_error_text(r->error));
	/* A suppression list may hold domain rules (@example.com). */
	if (r->suppressed != NULL && (r->recipient[0] == '@' ||
	    r->recipient[0] == '*') && lw_domain_rule(in->ctx, r->recipient,
	    a.key) == LW_OK) {
		/* The address is only shown: a rule of 255 octets is cut. */
		i = strnlen(a.key, sizeof(a.address) - 1);
		memcpy(a.address, a.key, i);
		a.address[i] = '\0';
		a.reason = LW_REASON_NONE;
	} else if ((err = lw_address_parse(in->ctx, r->recipient,
	    strlen(r->recipient), &a)) != LW_OK) {
		cli_error(in->cli, "%s", lw_strerror(err));
		return LW_EXIT_SYSTEM;
	}
	if (a.reason != LW_REASON_NONE) {
		char why[256];

		snprintf(why, sizeof(why), "%s: %s",
		    lw_address_reason_name(a.reason),
		    lw_address_reason_text(a.reason));
		return reject(in, name, r, "invalid-address", why);
	}
	ci.type = r->type;
	ci.status = r->status;
	ci.reply = r->reply;
	ci.text = r->diagnostic;
	kind = LW_EVENT_KIND_COUNT;
	for (i = 0; r->suppressed != NULL && i < sizeof(listed) /
	    sizeof(listed[0]); i++)
		if (strcmp(r->suppressed, listed[i].reason) == 0) {
			kind = listed[i].kind;
			c.cls = listed[i].cls;
			c.rule = "suppression-list";
		}
	if (kind != LW_EVENT_KIND_COUNT) {
		/* A suppression list's row: suppressed already. */
	} else if (r->rule != NULL && r->type != NULL &&
	    lw_class_parse(r->type) >= 0) {
		/* The format's own table decided. */
		c.cls = (enum lw_class)lw_class_parse(r->type);
		c.rule = r->rule;
	} else
		lw_classify(&ci, &c);
	kname = lw_kind_name(lw_kind_of(&ci, c.cls, c.rule));
	t = r->has_time ? r->time : in->now;
	in->by_class[c.cls]++;
	if (in->ing == NULL) {
		if (in->json) {
			fputc('{', stdout);
			print_event(name, r, &a, &c, kname, t);
			fputs("}\n", stdout);
		}
		return LW_EXIT_OK;
	}
	memset(&e, 0, sizeof(e));
	e.subject = a.key;
	e.subject_len = strlen(a.key);
	e.time = t;
	e.kind = kind != LW_EVENT_KIND_COUNT ? kind : lw_event_kind_of(c.cls);
	e.reply = r->reply != NULL ? (unsigned)atoi(r->reply) : 0;
	e.status = r->status;
	e.event_id = r->event_id;
	e.source = r->source ? r->source : name;
	e.diagnostic = r->diagnostic;
	e.rule = c.rule;
	e.feedback = r->feedback;
	e.message_id = r->message_id;
	e.list = r->list;
	e.error_kind = kname;
	if ((err = lw_ingest_add(in->ing, &e, r->has_time ? 0 :
	    LW_EVENT_UNDATED)) != LW_OK) {
		char where[512];

		cli_error(in->cli, "%s: %s", position(name, r, where,
		    sizeof(where)), lw_strerror(err));
		return cli_exit_for(err);
	}
	return LW_EXIT_OK;
}

/* one_file - every event of one file */
static int
one_file(struct ingest *in, const char *path, enum lw_events_format format)
{
	struct lw_events *r = NULL;
	struct lw_event_rec rec;
	const char *name = cli_input_name(path);
	FILE *fp;
	int got, err, status = LW_EXIT_OK;

	if ((fp = cli_open_input(in->cli, path)) == NULL)
		return LW_EXIT_SYSTEM;
	if ((err = lw_events_open(&r, fp, name, format)) != LW_OK ||
	    (err = lw_events_set_verp(r, in->verp)) != LW_OK) {
		cli_error(in->cli, "%s", lw_strerror(err));
		status = LW_EXIT_SYSTEM;
		goto out;
	}
	while ((got = lw_events_next(r, &rec)) > 0)
		if ((status = one_event(in, name, &rec)) != LW_EXIT_OK)
			goto out;
	if (got < 0) {
		if (got == LW_ENOHEADER || got == LW_ENOCOLUMN)
			cli_error(in->cli, "%s:1: no recipient column (email, "
			    "recipient or address) in the header", name);
		else
			cli_error(in->cli, "%s:%lu: %s", name,
			    lw_events_error_line(r), lw_strerror(got));
		status = cli_exit_for(got);
	}
out:
	lw_events_close(r);
	if (fp != stdin)
		fclose(fp);
	return status;
}

/* by_name - for qsort: file names in order */
static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * one_maildir - every message of a Maildir: cur/ then new/, each in the
 * order of the file names (tmp/ holds messages still being written)
 */
static int
one_maildir(struct ingest *in, const char *dir)
{
	static const char *const subs[] = { "cur", "new" };
	char path[PATH_MAX], **names = NULL, **t;
	size_t n = 0, cap = 0, i, k;
	struct dirent *de;
	struct stat sb;
	int status = LW_EXIT_OK, found = 0;
	DIR *d;

	for (k = 0; k < 2 && status == LW_EXIT_OK; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, subs[k]);
		if ((d = opendir(path)) == NULL)
			continue;
		found = 1;
		n = 0;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				if ((t = realloc(names, cap * sizeof(*t))) ==
				    NULL)
					break;
				names = t;
			}
			if ((names[n] = malloc(strlen(path) +
			    strlen(de->d_name) + 2)) == NULL)
				break;
			sprintf(names[n++], "%s/%s", path, de->d_name);
		}
		closedir(d);
		if (de != NULL) {
			cli_error(in->cli, "%s", lw_strerror(LW_ENOMEM));
			status = LW_EXIT_SYSTEM;
		}
		if (n > 0)
			qsort(names, n, sizeof(*names), by_name);
		for (i = 0; i < n; i++) {
			if (status == LW_EXIT_OK && stat(names[i], &sb) == 0 &&
			    S_ISREG(sb.st_mode))
				status = one_file(in, names[i],
				    LW_EVENTS_MAIL);
			free(names[i]);
		}
	}
	free(names);
	if (!found) {
		cli_error(in->cli, "%s: a directory, but not a Maildir (it has "
		    "neither cur/ nor new/)", dir);
		return LW_EXIT_DATA;
	}
	return status;
}

/* one_input - a file, or a directory read as a Maildir */
static int
one_input(struct ingest *in, const char *path, int format)
{
	struct stat sb;

	if (format == FORMAT_MAILDIR || (format == LW_EVENTS_AUTO &&
	    strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
	    S_ISDIR(sb.st_mode)))
		return one_maildir(in, path);
	return one_file(in, path, (enum lw_events_format)format);
}

/* print_summary - what was read, recorded and suppressed */
static void
print_summary(const struct ingest *in, const struct lw_ingest_stats *st,
    int nfiles)
{
	static const char *class_names[LW_CLASS_COUNT];
	static const char *reason_names[LW_SUPPRESS_REASON_COUNT];
	unsigned long counts[LW_SUPPRESS_REASON_COUNT];
	unsigned long suppressed = 0;
	int i;

	for (i = 0; i < LW_CLASS_COUNT; i++)
		class_names[i] = lw_class_name((enum lw_class)i);
	for (i = 0; i < LW_SUPPRESS_REASON_COUNT; i++) {
		reason_names[i] = lw_suppress_reason_name(
		    (enum lw_suppress_reason)i);
		counts[i] = st ? (unsigned long)st->suppressed[i] : 0;
		suppressed += counts[i];
	}
	if (in->json && st != NULL) {
		printf("{\"read\":%lu,\"rejected\":%lu,\"not_bounces\":%lu,"
		    "\"recorded\":%" PRIu64 ",\"duplicates\":%" PRIu64
		    ",\"by_class\":{", in->read, in->rejected, in->ignored,
		    st->recorded, st->duplicates);
		for (i = 0; i < LW_CLASS_COUNT; i++)
			printf("%s\"%s\":%lu", i ? "," : "", class_names[i],
			    in->by_class[i]);
		fputs("},\"suppressed\":{", stdout);
		for (i = 1; i < LW_SUPPRESS_REASON_COUNT; i++)
			printf("%s\"%s\":%lu", i > 1 ? "," : "",
			    reason_names[i], counts[i]);
		fputs("},\"lifted\":{", stdout);
		for (i = 1; i < LW_SUPPRESS_REASON_COUNT; i++)
			printf("%s\"%s\":%" PRIu64, i > 1 ? "," : "",
			    reason_names[i], st->lifted[i]);
		fputs("}}\n", stdout);
		return;
	}
	fprintf(stderr, "ingest: %lu rows read from %d file%s, %lu "
	    "rejected", in->read, nfiles, nfiles == 1 ? "" : "s",
	    in->rejected);
	if (in->ignored > 0)
		fprintf(stderr, ", %lu message%s", in->ignored,
		    in->ignored == 1 ? " not a bounce" : "s not bounces");
	fputc('\n', stderr);
	cli_print_counts(stderr, class_names, in->by_class, LW_CLASS_COUNT);
	if (in->by_class[LW_CLASS_UNKNOWN] > 0)
		fprintf(stderr, "  %-22s %lu\n", class_names[LW_CLASS_UNKNOWN],
		    in->by_class[LW_CLASS_UNKNOWN]);
	if (st == NULL)
		return;
	fprintf(stderr, "ingest: %" PRIu64 " recorded, %" PRIu64
	    " duplicates skipped; %lu newly suppressed\n", st->recorded,
	    st->duplicates, suppressed);
	cli_print_counts(stderr, reason_names, counts,
	    LW_SUPPRESS_REASON_COUNT);
}

/* cmd_ingest - the ingest command */
int
cmd_ingest(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "strict", no_argument, NULL, 's' },
		{ "verp", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ingest in;
	struct lw_ingest_stats st;
	struct lw_store *s = NULL;
	int opt, status = LW_EXIT_OK, err, dry = 0, format = LW_EVENTS_AUTO;
	int lock_fd = -1, i;

	memset(&in, 0, sizeof(in));
	in.cli = cli;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (strcasecmp(optarg, "maildir") == 0)
				format = FORMAT_MAILDIR;
			else if ((format = lw_events_format_parse(optarg)) < 0)
				return cli_usage_error(cli, "unknown format "
				    "'%s': give auto, csv, jsonl, ses, sendgrid, "
				    "mailgun, postmark, listmonk, mail, mbox, "
				    "maildir or postfix-log", optarg);
			break;
		case 'v':
			if (!lw_verp_valid(optarg))
				return cli_usage_error(cli, "--verp '%s': give "
				    "a pattern with %%l (local part) and %%d "
				    "(domain) before its @, such as "
				    "'bounces+%%l=%%d@example.com'", optarg);
			in.verp = optarg;
			break;
		case 'n':
			dry = 1;
			break;
		case 'j':
			in.json = 1;
			break;
		case 's':
			in.strict = 1;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind == argc)
		return cli_usage_error(cli, "give one or more files, or - for "
		    "standard input");
	for (i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && argc - optind > 1)
			return cli_usage_error(cli, "- (standard input) must "
			    "be the only input");
	in.now = (int64_t)time(NULL);
	if (lw_address_ctx_new(&in.ctx, 0) != LW_OK) {
		cli_error(cli, "%s", lw_strerror(LW_ENOMEM));
		return LW_EXIT_SYSTEM;
	}
	if (!dry) {
		if ((status = cli_open_store(cli, 0, &s)) != 0 ||
		    (status = cli_wait_turn(cli, &lock_fd)) != 0)
			goto out;
		if ((err = lw_ingest_begin(s, &in.ing)) != LW_OK) {
			cli_error(cli, "%s", lw_strerror(err));
			status = cli_exit_for(err);
			goto out;
		}
	}
	for (i = optind; i < argc; i++)
		if ((status = one_input(&in, argv[i], format)) !=
		    LW_EXIT_OK)
			goto out;
	if (dry) {
		if (!in.json)
			print_summary(&in, NULL, argc - optind);
		status = in.rejected ? LW_EXIT_FOUND : LW_EXIT_OK;
		goto out;
	}
	err = lw_ingest_commit(in.ing, &st);
	in.ing = NULL;
	if (err != LW_OK) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
		status = cli_exit_for(err);
		goto out;
	}
	print_summary(&in, &st, argc - optind);
	status = in.rejected ? LW_EXIT_FOUND : LW_EXIT_OK;
out:
	lw_ingest_abort(in.ing);
	if (lock_fd >= 0)
		close(lock_fd);
	lw_store_close(s);
	lw_address_ctx_free(in.ctx);
	return status;
}
