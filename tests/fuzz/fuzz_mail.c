/*
 * fuzz_mail.c - libFuzzer target for bounce messages
 *
 * Parses the input as one message with lw_mail_parse(), without and with
 * a VERP pattern, and reads it through the event readers as a message
 * (LW_EVENTS_MAIL) and as an mbox (LW_EVENTS_MBOX).  A message that is
 * no bounce has no outcome and says why; a bounce has outcomes, each
 * with a recipient without angle brackets or blanks at its ends, a
 * class in range and the rule that decided, never hard when its action
 * is "delayed".  Every record of the readers has a line, a recipient
 * string, a known reason or none; a record with none is an event with
 * a class name as its type, the rule, an item, and text of valid UTF-8
 * within the limits; or a message that is no bounce.  Line numbers
 * never go backwards, and the stream ends with 0 or a sticky error.
 *
 * The seed corpus is the project's own messages (tests/mail/messages
 * and tests/mail/sample.mbox) and tests/fuzz/corpus/mail; mail.dict
 * holds the words of MIME and of the reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "listwarden.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* trimmed - a non-empty string with no blank or bracket at its ends */
static int
trimmed(const char *s)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0)
		return 0;
	return strchr(" \t\r\n<", s[0]) == NULL &&
	    strchr(" \t\r\n>", s[n - 1]) == NULL;
}

/* check_mail - the invariants of one parse */
static void
check_mail(const struct lw_mail *m)
{
	size_t i;

	if (m->kind == LW_MAIL_NONE) {
		if (m->nrcpt != 0 || m->why_not == NULL)
			abort();
		return;
	}
	if (m->nrcpt == 0 || m->nrcpt > LW_MAIL_RCPT_MAX || m->how == NULL)
		abort();
	for (i = 0; i < m->nrcpt; i++) {
		const struct lw_mail_rcpt *r = &m->rcpt[i];

		if (!trimmed(r->recipient) || r->rule == NULL ||
		    (unsigned)r->cls >= LW_CLASS_COUNT)
			abort();
		if (r->action != NULL && strcmp(r->action, "delayed") == 0 &&
		    r->cls == LW_CLASS_HARD)
			abort();
		if (r->status != NULL && r->status[0] == '\0')
			abort();
	}
}

/* parse - lw_mail_parse() with opts */
static void
parse(const uint8_t *data, size_t size, const char *verp)
{
	struct lw_mail_opts o = { verp };
	struct lw_mail m;

	memset(&m, 0, sizeof(m));
	if (lw_mail_parse(data, size, &o, &m) != LW_OK)
		abort();
	check_mail(&m);
	lw_mail_clear(&m);
}

/* check_rec - one record of a message reader */
static void
check_rec(const struct lw_event_rec *rec)
{
	size_t n;

	if (rec->line == 0 || rec->recipient == NULL)
		abort();
	if (rec->ignored != NULL) {
		if (strcmp(rec->ignored, "not-a-bounce") != 0 ||
		    rec->error != NULL)
			abort();
		return;
	}
	if (rec->error != NULL)
		return;
	if (rec->type == NULL || lw_class_parse(rec->type) < 0 ||
	    rec->rule == NULL || rec->item == 0 || rec->how == NULL)
		abort();
	n = strlen(rec->recipient);
	if (n == 0 || n > LW_EVENT_FIELD_MAX ||
	    u8_check((const uint8_t *)rec->recipient, n) != NULL)
		abort();
	if (rec->diagnostic != NULL && u8_check((const uint8_t *)
	    rec->diagnostic, strlen(rec->diagnostic)) != NULL)
		abort();
}

/* read_all - every record of the input read as format */
static void
read_all(const uint8_t *data, size_t size, enum lw_events_format format)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	unsigned long last = 0;
	FILE *fp;
	int got;

	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		return;
	if (lw_events_open(&r, fp, "fuzz", format) != LW_OK ||
	    lw_events_set_verp(r, "b+%l=%d@example.com") != LW_OK)
		abort();
	while ((got = lw_events_next(r, &rec)) == 1) {
		if (rec.line < last)
			abort();
		last = rec.line;
		check_rec(&rec);
	}
	if (got < 0 && lw_events_next(r, &rec) != got)
		abort();
	if (got == 0 && lw_events_next(r, &rec) != 0)
		abort();
	lw_events_close(r);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[512];

	parse(data, size, NULL);
	parse(data, size, "bounces+%l=%d@lists.example.com");
	read_all(data, size, LW_EVENTS_MAIL);
	read_all(data, size, LW_EVENTS_MBOX);
	/* The input as a VERP address: decoded or not, never overrun. */
	if (size < 400) {
		char addr[400];

		memcpy(addr, data, size);
		addr[size] = '\0';
		if (lw_verp_decode("b+%l=%d@example.com", addr, out,
		    sizeof(out)) && strchr(out, '@') == NULL)
			abort();
		(void)lw_verp_valid(addr);
	}
	return 0;
}
