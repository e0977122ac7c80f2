/*
 * fuzz_events.c - libFuzzer target for the event readers
 *
 * Reads the input as AUTO, CSV, JSON lines, each ESP format (SES,
 * SendGrid, Mailgun, Postmark), a listmonk blocklist and Postfix log
 * lines (messages and mboxes, which AUTO may choose too, have their own
 * target, fuzz_mail).  Every record has a recipient string and
 * a known reason or none; a record without one has a trimmed recipient,
 * a known type, codes that parse again to themselves, a time in range
 * and a diagnostic of valid UTF-8; a record of an ESP format without a
 * reason has a class name as its type, the rule that decided and an
 * item, one of a line format has no rule and no item; line numbers never
 * go backwards; the stream ends with 0 or a sticky error.
 * The input, as one string, also goes through lw_time_parse() (a time
 * found must print and read back to itself) and lw_status_parse().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistr.h>

#include "listwarden.h"
#include "listwarden/events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const reasons[] = {
	"bad-json", "bad-element", "too-long", "bad-utf8", "no-recipient",
	"unknown-type", "bad-status", "bad-timestamp", "unknown-reason",
};

/* is_reason - a suppression list's reason, as listwarden names it */
static int
is_reason(const char *s)
{
	return strcmp(s, "hard") == 0 || strcmp(s, "soft") == 0 ||
	    strcmp(s, "complaint") == 0 || strcmp(s, "unsubscribe") == 0 ||
	    strcmp(s, "manual") == 0;
}

/* known_reason - one of the documented reasons */
static int
known_reason(const char *e)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(e, reasons[i]) == 0)
			return 1;
	return 0;
}

/* is_blank - what the reader trims */
static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/* check_text - a value handed out: trimmed, not empty, within limits */
static void
check_text(const char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	if (n == 0 || n > max || is_blank((unsigned char)s[0]) ||
	    is_blank((unsigned char)s[n - 1]))
		abort();
	if (u8_check((const uint8_t *)s, n) != NULL)
		abort();
}

/* is_esp - one of the ESP formats */
static int
is_esp(enum lw_events_format f)
{
	return f == LW_EVENTS_SES || f == LW_EVENTS_SENDGRID ||
	    f == LW_EVENTS_MAILGUN || f == LW_EVENTS_POSTMARK;
}

/* is_mail - a message format: its records have a rule and an item */
static int
is_mail(enum lw_events_format f)
{
	return f == LW_EVENTS_MAIL || f == LW_EVENTS_MBOX;
}

/* check_rec - the invariants of one record of a stream read as format */
static void
check_rec(const struct lw_event_rec *rec, enum lw_events_format format)
{
	char reply[4], status[16];
	const char *text;

	if (rec->line == 0 || rec->recipient == NULL)
		abort();
	/* A message that is no bounce: no event, no error. */
	if (rec->ignored != NULL) {
		if (!is_mail(format) || rec->error != NULL ||
		    strcmp(rec->ignored, "not-a-bounce") != 0)
			abort();
		return;
	}
	if ((format == LW_EVENTS_CSV || format == LW_EVENTS_JSONL) &&
	    (rec->rule != NULL || rec->item != 0))
		abort();
	if (rec->error != NULL) {
		if (!known_reason(rec->error))
			abort();
		return;
	}
	/* A suppression list's row says why; an ESP's event, its class. */
	if (rec->suppressed != NULL && !is_reason(rec->suppressed))
		abort();
	if ((is_esp(format) || is_mail(format)) && rec->suppressed == NULL &&
	    (rec->rule == NULL || rec->type == NULL ||
	    lw_class_parse(rec->type) < 0 || rec->item == 0))
		abort();
	check_text(rec->recipient, LW_EVENT_FIELD_MAX);
	check_text(rec->type, LW_EVENT_FIELD_MAX);
	check_text(rec->event_id, LW_EVENT_FIELD_MAX);
	check_text(rec->source, LW_EVENT_FIELD_MAX);
	check_text(rec->feedback, LW_EVENT_FIELD_MAX);
	check_text(rec->diagnostic, 3 * LW_EVENT_FIELD_MAX);
	if (!lw_classify_type_known(rec->type))
		abort();
	if (rec->status != NULL &&
	    (lw_status_parse(rec->status, reply, status, &text) != 0 ||
	    strcmp(status, rec->status) != 0 || reply[0] != '\0' ||
	    *text != '\0'))
		abort();
	if (rec->reply != NULL &&
	    (lw_status_parse(rec->reply, reply, status, &text) != 0 ||
	    strcmp(reply, rec->reply) != 0 || status[0] != '\0' ||
	    *text != '\0'))
		abort();
	if (rec->has_time &&
	    (rec->time < 0 || rec->time > INT64_C(253402300799)))
		abort();
}

/* read_all - every record of the input in one format */
static void
read_all(const uint8_t *data, size_t size, enum lw_events_format format)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	unsigned long last = 0;
	size_t n = 0;
	FILE *fp;
	int got;

	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		return;
	if (lw_events_open(&r, fp, "fuzz", format) != LW_OK)
		abort();
	while ((got = lw_events_next(r, &rec)) == 1) {
		if (rec.line < last)
			abort();
		last = rec.line;
		check_rec(&rec, lw_events_format(r));
		/* A listmonk blocklist: every row a manual suppression. */
		if (format == LW_EVENTS_LISTMONK && rec.error == NULL &&
		    (rec.suppressed == NULL ||
		    strcmp(rec.suppressed, "manual") != 0))
			abort();
		n++;
	}
	if (got > 0)
		abort();
	if (got < 0 && (lw_events_error_line(r) == 0 ||
	    lw_events_next(r, &rec) != got))
		abort();
	if (got == 0 && lw_events_next(r, &rec) != 0)
		abort();
	if (lw_events_format(r) == LW_EVENTS_AUTO && n > 0)
		abort();
	/* A forced format stays; listmonk is read as the CSV it is. */
	if (format != LW_EVENTS_AUTO && lw_events_format(r) !=
	    (format == LW_EVENTS_LISTMONK ? LW_EVENTS_CSV : format))
		abort();
	lw_events_close(r);
	fclose(fp);
}

/* check_time - a time found prints and reads back to itself */
static void
check_time(const char *s)
{
	int64_t t, again;
	struct tm tm;
	time_t tt;
	char buf[64];

	if (lw_time_parse(s, &t) != 0)
		return;
	if (t < 0 || t > INT64_C(253402300799))
		abort();
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL)
		abort();
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	if (lw_time_parse(buf, &again) != 0 || again != t)
		abort();
}

/* check_status - codes found are well formed, text lies within s */
static void
check_status(const char *s)
{
	char reply[4], status[16], r2[4], s2[16];
	const char *text, *t2;

	if (lw_status_parse(s, reply, status, &text) != 0)
		return;
	if (text < s || text > s + strlen(s))
		abort();
	if (reply[0] != '\0' && (strlen(reply) != 3 || reply[0] < '2' ||
	    reply[0] > '5' || reply[1] < '0' || reply[1] > '5'))
		abort();
	if (status[0] != '\0' &&
	    (lw_status_parse(status, r2, s2, &t2) != 0 ||
	    strcmp(s2, status) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size == 0)
		return 0;
	read_all(data, size, LW_EVENTS_AUTO);
	read_all(data, size, LW_EVENTS_CSV);
	read_all(data, size, LW_EVENTS_JSONL);
	read_all(data, size, LW_EVENTS_SES);
	read_all(data, size, LW_EVENTS_SENDGRID);
	read_all(data, size, LW_EVENTS_MAILGUN);
	read_all(data, size, LW_EVENTS_POSTMARK);
	read_all(data, size, LW_EVENTS_LISTMONK);
	read_all(data, size, LW_EVENTS_POSTFIX_LOG);
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_time(s);
	check_status(s);
	free(s);
	return 0;
}
