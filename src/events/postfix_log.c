/*
 * postfix_log.c - Postfix log lines as event records
 *
 * NAME
 *	postfix_log - LW_EVENTS_POSTFIX_LOG
 *
 * DESCRIPTION
 *	A Postfix log is read a line at a time.  A line is a syslog line
 *	when it starts with a time, a host and a program name, then a
 *	colon:
 *
 *	  Nov 29 05:15:18 mx1 postfix/smtp[12345]: ...
 *	  2026-11-29T05:15:18.123456+00:00 mx1 postfix/smtp[123]: ...
 *
 *	The time is classic syslog's "Mmm dd hh:mm:ss" (the day padded with
 *	a blank or a zero) or ISO 8601 as rsyslog and journalctl -o
 *	short-iso write it.  The host may be missing.  The program is
 *	Postfix's when its name starts with "postfix" and has at least one
 *	"/name" after that ("postfix/smtp", "postfix-out/smtp",
 *	"postfix/submission/smtpd"); the "[pid]" is optional.
 *
 *	Of those, a line is a delivery line when its message, after an
 *	optional queue ID ("4F3A21C0123: ", or a long ID), is a list of
 *	"name=value" fields separated by ", " that reaches "status=WORD",
 *	and it has a "to=" or a "dsn=" field: what every delivery agent
 *	(smtp, lmtp, local, virtual, pipe, error, retry) logs for one
 *	recipient,
 *
 *	  QUEUEID: to=<rcpt>, [orig_to=<addr>,] relay=..., [conn_use=N,]
 *	      delay=..., delays=a/b/c/d, dsn=X.Y.Z, status=WORD (text)
 *
 *	Every other line gives nothing and is no error: other programs'
 *	lines, Postfix lines without status= (qmgr's "from=<...>",
 *	"removed", smtpd's connections and rejections), lines that are no
 *	syslog lines at all, and the status lines that name no recipient
 *	(qmgr's "from=<...>, status=expired, returned to sender", "status=
 *	deferred (bounce failed)"), which have neither to= nor dsn=.
 *
 *	Each delivery line gives one record.  Its recipient is to=<...>,
 *	never orig_to=<...> (the address before aliasing or forwarding);
 *	a delivery line without to= is "no-recipient".  Its status is the
 *	dsn= value, its diagnostic the text in the parentheses after the
 *	status word (from the first "(" to a ")" that ends the line, so
 *	that parentheses in a remote server's text need not balance), or
 *	else what follows the word.  The reply code is read from the text
 *	after "said: " or "refused to talk to me: " (the remote server's
 *	reply, as Postfix quotes it), or else from the text's start; a
 *	malformed code there is ignored, for it is the remote server's
 *	text and not the log's.  Its action is the status word in lower
 *	case, and its time the line's:
 *
 *	  ISO 8601    as lw_time_parse() reads it; one it refuses makes the
 *	              record "bad-timestamp"
 *	  classic     has no year and no zone: it is taken as UTC, in the
 *	              current year (UTC, from time(2) when the reader
 *	              starts); when that puts it more than a day after
 *	              now, in the year before, since a log is read after
 *	              it was written (a log of late December read in
 *	              January).  A Feb 29 the chosen year does not have
 *	              is tried in the year before too.  A day the year
 *	              does not have is "bad-timestamp".
 *
 *	The event id is the queue ID, the recipient, the status word and
 *	the time as written, joined by ":" ("4F3A21C0123:a@example.net:
 *	deferred:Nov 29 05:15:18"): the same log read twice records nothing
 *	twice, and each retry of a deferred message is an event of its own.
 *
 *	The status word decides the class, with a rule of this file where
 *	the word alone decides:
 *
 *	  sent            delivered, "postfix-status-sent"
 *	  deliverable     delivered, "postfix-status-deliverable" (an
 *	                  address verification probe that was accepted)
 *	  bounced,        left to lw_classify() (type and rule NULL): the
 *	  expired,        codes and the text decide
 *	  undeliverable
 *	  deferred,       lw_classify() decides, but never hard: when it
 *	  softbounce      says hard, unknown or delivered the class is soft,
 *	                  with rule "postfix-status-deferred" (or
 *	                  "postfix-status-softbounce", soft_bounce = yes),
 *	                  for a temporary failure is no proof that the
 *	                  address is dead
 *	  any other word  unknown, "postfix-status-unknown"
 *
 *	A status= with no word after it is "bad-status".  A line over
 *	LW_EVENT_LINE_MAX octets is read through unstored and is
 *	"too-long" when the part kept is a Postfix line, else skipped.
 *
 *	ev_maillog_detect() says whether a line is a Postfix line as above,
 *	with or without status=, so that LW_EVENTS_AUTO reads a log whose
 *	first line is Postfix's as one.  It claims no CSV header, JSON
 *	value or header field, none of which starts with a time.
 *
 * DIAGNOSTICS
 *	LW_ENOMEM; LW_EIO (or another negated errno) from reader.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listwarden/classify.h"
#include "listwarden/error.h"
#include "listwarden/events.h"
#include "events_int.h"

/* A day, in seconds: how far ahead of now a classic time may be. */
#define DAY	86400

struct ev_maillog {
	time_t now;		/* when the reader started */
	struct ev_buf id;	/* the event id */
	struct ev_buf action;	/* the status word, in lower case */
	char reply[4];		/* the reply code the text gives */
};

/* What the syslog part of a line holds. */
struct header {
	const char *ts;		/* the time, as written */
	size_t ts_len;
	int classic;		/* "Mmm dd hh:mm:ss", else ISO 8601 */
	size_t body;		/* where the program's message starts */
};

/* What a delivery line holds; each pointer NULL when absent. */
struct delivery {
	const char *qid, *rcpt, *dsn, *word, *diag;
	size_t qid_len, rcpt_len, dsn_len, word_len, diag_len;
	int has_to;		/* a to= field, well formed or not */
	int has_status;
};

/* How a status word decides the class. */
enum how {
	HOW_DECIDE,	/* the word's class and rule */
	HOW_CODES,	/* lw_classify() */
	HOW_TEMPORARY	/* lw_classify(), never hard */
};

static const struct {
	const char *word;
	enum how how;
	const char *cls;
	const char *rule;
} words[] = {
	{ "sent", HOW_DECIDE, "delivered", "postfix-status-sent" },
	{ "deliverable", HOW_DECIDE, "delivered",
	    "postfix-status-deliverable" },
	{ "bounced", HOW_CODES, NULL, NULL },
	{ "expired", HOW_CODES, NULL, NULL },
	{ "undeliverable", HOW_CODES, NULL, NULL },
	{ "deferred", HOW_TEMPORARY, "soft", "postfix-status-deferred" },
	{ "softbounce", HOW_TEMPORARY, "soft", "postfix-status-softbounce" },
};

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* is_digit - an ASCII digit */
static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* is_alnum - an ASCII letter or digit */
static int
is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* is_blank - a space or a TAB */
static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* digits - the k octets at p are ASCII digits */
static int
digits(const char *p, size_t k)
{
	while (k-- > 0)
		if (!is_digit((unsigned char)*p++))
			return 0;
	return 1;
}

/* month - 1 to 12 for the English abbreviation at p, else 0 */
static int
month(const char *p)
{
	size_t i;

	for (i = 0; i < 12; i++)
		if (memcmp(p, months + 3 * i, 3) == 0)
			return (int)i + 1;
	return 0;
}

/* classic_time - the length of "Mmm dd hh:mm:ss" at p, or 0 */
static size_t
classic_time(const char *p, size_t n)
{
	if (n < 15 || (n > 15 && !is_blank((unsigned char)p[15])))
		return 0;
	if (month(p) == 0 || p[3] != ' ' || !(p[4] == ' ' ||
	    is_digit((unsigned char)p[4])) || !is_digit((unsigned char)p[5]) ||
	    p[6] != ' ' || !digits(p + 7, 2) || p[9] != ':' ||
	    !digits(p + 10, 2) || p[12] != ':' || !digits(p + 13, 2))
		return 0;
	return 15;
}

/*
 * iso_time - the length of an ISO 8601 time at p ("2026-11-29T05:15"
 * and any seconds, fraction and zone after it), or 0; lw_time_parse()
 * checks the rest
 */
static size_t
iso_time(const char *p, size_t n)
{
	size_t i;

	if (n < 16 || !digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) ||
	    p[7] != '-' || !digits(p + 8, 2) || p[10] != 'T' ||
	    !digits(p + 11, 2) || p[13] != ':' || !digits(p + 14, 2))
		return 0;
	for (i = 16; i < n && !is_blank((unsigned char)p[i]); i++)
		if (strchr("0123456789:.+-Z", p[i]) == NULL || p[i] == '\0')
			return 0;
	return i;
}

/* is_name - an octet of a program name: printable, not "/[]:" */
static int
is_name(int c)
{
	return c > ' ' && c < 127 && c != '/' && c != '[' && c != ']' &&
	    c != ':';
}

/*
 * program - where the message starts after a Postfix program name at
 * p[i] ("postfix*" "/name"... "[pid]" ":" and blanks), or 0 when there
 * is none
 */
static size_t
program(const char *p, size_t n, size_t i)
{
	size_t j, start, segs = 0;

	if (n - i < 7 || memcmp(p + i, "postfix", 7) != 0)
		return 0;
	for (j = i + 7; j < n && is_name((unsigned char)p[j]); j++)
		;
	while (j < n && p[j] == '/') {
		for (start = ++j; j < n && is_name((unsigned char)p[j]); j++)
			;
		if (j == start)
			return 0;
		segs++;
	}
	if (segs == 0)
		return 0;
	if (j < n && p[j] == '[') {
		for (start = ++j; j < n && is_digit((unsigned char)p[j]); j++)
			;
		if (j == start || j >= n || p[j] != ']')
			return 0;
		j++;
	}
	if (j >= n || p[j] != ':')
		return 0;
	if (++j < n && !is_blank((unsigned char)p[j]))
		return 0;
	while (j < n && is_blank((unsigned char)p[j]))
		j++;
	return j;
}

/* header - read the syslog part of the n octets at p; 1, or 0 if none */
static int
header(const char *p, size_t n, struct header *h)
{
	size_t i, k;

	memset(h, 0, sizeof(*h));
	if ((i = classic_time(p, n)) > 0)
		h->classic = 1;
	else if ((i = iso_time(p, n)) == 0)
		return 0;
	h->ts = p;
	h->ts_len = i;
	if (i >= n || !is_blank((unsigned char)p[i]))
		return 0;
	while (i < n && is_blank((unsigned char)p[i]))
		i++;
	/* The host, unless the program follows the time at once. */
	if ((k = program(p, n, i)) == 0) {
		while (i < n && !is_blank((unsigned char)p[i]))
			i++;
		if (i >= n)
			return 0;
		while (i < n && is_blank((unsigned char)p[i]))
			i++;
		if ((k = program(p, n, i)) == 0)
			return 0;
	}
	h->body = k;
	return 1;
}

/* trim_end - n less the blanks (and line end) at the end of p */
static size_t
trim_end(const char *p, size_t n)
{
	while (n > 0 && ev_is_space((unsigned char)p[n - 1]))
		n--;
	return n;
}

/* ev_maillog_detect - the n octets at p are a Postfix log line */
int
ev_maillog_detect(const char *p, size_t n)
{
	struct header h;

	return header(p, trim_end(p, n), &h);
}

/* field_is - the len octets at name are the field name want */
static int
field_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(name, want, len) == 0;
}

/*
 * value_end - where the value at p[i] ends: for "<...>", after the first
 * '>' that ends the line or is followed by ','; else at the first ','
 * or the end.  *bracketed is set when the value is a whole "<...>".
 */
static size_t
value_end(const char *p, size_t n, size_t i, int *bracketed)
{
	size_t j;

	*bracketed = 0;
	if (i < n && p[i] == '<')
		for (j = i + 1; j < n; j++)
			if (p[j] == '>' && (j + 1 == n || p[j + 1] == ',')) {
				*bracketed = 1;
				return j + 1;
			}
	for (j = i; j < n && p[j] != ','; j++)
		;
	return j;
}

/*
 * delivery - read the message at p[i] up to n: its queue ID, then its
 * fields up to and including status=; d->has_status is set when it got
 * there
 */
static void
delivery(const char *p, size_t n, size_t i, struct delivery *d)
{
	size_t j, name, name_len;
	int bracketed;

	memset(d, 0, sizeof(*d));
	for (j = i; j < n && is_alnum((unsigned char)p[j]); j++)
		;
	if (j > i && j < n && p[j] == ':' &&
	    (j + 1 == n || is_blank((unsigned char)p[j + 1]))) {
		d->qid = p + i;
		d->qid_len = j - i;
		i = j + 1;
	}
	for (;;) {
		while (i < n && is_blank((unsigned char)p[i]))
			i++;
		for (name = i; i < n && (is_alnum((unsigned char)p[i]) ||
		    p[i] == '_' || p[i] == '-'); i++)
			;
		if ((name_len = i - name) == 0 || i >= n || p[i] != '=')
			return;
		i++;
		if (field_is(p + name, name_len, "status"))
			break;
		j = value_end(p, n, i, &bracketed);
		if (field_is(p + name, name_len, "to") && !d->has_to) {
			d->has_to = 1;
			if (bracketed) {
				d->rcpt = p + i + 1;
				d->rcpt_len = j - i - 2;
			}
		} else if (field_is(p + name, name_len, "dsn") &&
		    d->dsn == NULL) {
			d->dsn = p + i;
			d->dsn_len = j - i;
		}
		if (j >= n)
			return;
		i = j + 1;	/* past the ',' */
	}
	d->has_status = 1;
	d->word = p + i;
	while (i < n && (is_alnum((unsigned char)p[i]) || p[i] == '_' ||
	    p[i] == '-'))
		i++;
	d->word_len = (size_t)(p + i - d->word);
	while (i < n && is_blank((unsigned char)p[i]))
		i++;
	if (i < n && p[i] == '(' && p[n - 1] == ')' && n - 1 > i) {
		d->diag = p + i + 1;
		d->diag_len = n - i - 2;
		return;
	}
	while (i < n && (p[i] == ',' || is_blank((unsigned char)p[i])))
		i++;
	if (i < n) {
		d->diag = p + i;
		d->diag_len = n - i;
	}
}

/*
 * reply_of - into reply, the reply code of the remote server's reply in
 * the len octets of text at diag (after "said: " when there is one), or
 * "" when there is none or it is malformed
 */
static void
reply_of(const char *diag, size_t len, char reply[4])
{
	static const char *const intro[] = {
		" said: ", " refused to talk to me: "
	};
	char buf[64], status[16];
	const char *p = diag, *q, *text;
	size_t i, k, n = len;

	reply[0] = '\0';
	for (i = 0; i < sizeof(intro) / sizeof(intro[0]); i++) {
		k = strlen(intro[i]);
		if ((q = memmem(diag, len, intro[i], k)) != NULL) {
			p = q + k;
			n = len - (size_t)(p - diag);
			break;
		}
	}
	/* The codes lead: what is cut off is text. */
	k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;
	memcpy(buf, p, k);
	buf[k] = '\0';
	if (lw_status_parse(buf, reply, status, &text) != 0)
		reply[0] = '\0';
}

/* make_id - b holds qid:rcpt:word:ts, NUL-terminated */
static int
make_id(struct ev_buf *b, const struct delivery *d, const struct header *h)
{
	const char *piece[4];
	size_t len[4], need = 3, i, o = 0;
	char *p;

	piece[0] = d->qid;
	len[0] = d->qid_len;
	piece[1] = d->rcpt;
	len[1] = d->rcpt_len;
	piece[2] = d->word;
	len[2] = d->word_len;
	piece[3] = h->ts;
	len[3] = h->ts_len;
	for (i = 0; i < 4; i++)
		need += len[i];
	if (need + 1 > b->cap) {
		if ((p = realloc(b->data, need + 1)) == NULL)
			return LW_ENOMEM;
		b->data = p;
		b->cap = need + 1;
	}
	for (i = 0; i < 4; i++) {
		if (i > 0)
			b->data[o++] = ':';
		if (len[i] > 0)
			memcpy(b->data + o, piece[i], len[i]);
		o += len[i];
	}
	b->data[o] = '\0';
	b->len = o;
	return LW_OK;
}

/*
 * classic_at - the Unix time of a classic syslog time in year; 0 and
 * *t, or -1 when year has no such day or time
 */
static int
classic_at(const char *ts, int year, int64_t *t)
{
	char iso[32];
	int day;

	day = (ts[4] == ' ' ? 0 : ts[4] - '0') * 10 + (ts[5] - '0');
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%.8sZ", year, month(ts),
	    day, ts + 7);
	return lw_time_parse(iso, t);
}

/*
 * classic_time_of - the Unix time of the classic syslog time at ts, read
 * at now (see DESCRIPTION); 0 and *t, or -1
 */
static int
classic_time_of(const char *ts, time_t now, int64_t *t)
{
	struct tm tm;
	int year;

	if (gmtime_r(&now, &tm) == NULL)
		return -1;
	year = tm.tm_year + 1900;
	if (classic_at(ts, year, t) != 0)
		return classic_at(ts, year - 1, t);
	if (*t > (int64_t)now + DAY)
		return classic_at(ts, year - 1, t);
	return 0;
}

/* decide - the class of a record without error, by its status word */
static void
decide(const char *word, struct lw_event_rec *rec)
{
	struct lw_classify_in ci;
	struct lw_classification c;
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(word, words[i].word) == 0)
			break;
	if (i == sizeof(words) / sizeof(words[0])) {
		rec->type = "unknown";
		rec->rule = "postfix-status-unknown";
		return;
	}
	switch (words[i].how) {
	case HOW_DECIDE:
		rec->type = words[i].cls;
		rec->rule = words[i].rule;
		break;
	case HOW_CODES:
		break;
	case HOW_TEMPORARY:
		memset(&ci, 0, sizeof(ci));
		ci.status = rec->status;
		ci.reply = rec->reply;
		ci.text = rec->diagnostic;
		lw_classify(&ci, &c);
		if (c.cls == LW_CLASS_HARD || c.cls == LW_CLASS_UNKNOWN ||
		    c.cls == LW_CLASS_DELIVERED) {
			rec->type = words[i].cls;
			rec->rule = words[i].rule;
		} else {
			rec->type = lw_class_name(c.cls);
			rec->rule = c.rule;
		}
		break;
	}
}

/* record - the record of a delivery line */
static int
record(struct lw_events *r, struct ev_maillog *s, const struct header *h,
    const struct delivery *d, unsigned long line, struct lw_event_rec *rec)
{
	struct ev_row row;
	int64_t t;
	size_t i;
	int err;

	ev_row_clear(&row);
	if (d->rcpt != NULL)
		ev_row_set(&row, EV_RECIPIENT, 0, d->rcpt, d->rcpt_len);
	if (d->dsn != NULL)
		ev_row_set(&row, EV_STATUS, 0, d->dsn, d->dsn_len);
	if (d->diag != NULL) {
		ev_row_set(&row, EV_DIAGNOSTIC, 0, d->diag, d->diag_len);
		reply_of(d->diag, d->diag_len, s->reply);
		if (s->reply[0] != '\0')
			ev_row_set(&row, EV_REPLY, 0, s->reply,
			    strlen(s->reply));
	}
	if (!h->classic)
		ev_row_set(&row, EV_TIMESTAMP, 0, h->ts, h->ts_len);
	if ((err = make_id(&s->id, d, h)) != LW_OK)
		return ev_fail(r, err, line);
	ev_row_set(&row, EV_EVENT_ID, 0, s->id.data, s->id.len);
	if ((err = ev_row_finish(r, &row, line, rec)) != LW_OK)
		return err;

	if ((err = ev_buf_set(&s->action, d->word, d->word_len)) != LW_OK)
		return ev_fail(r, err, line);
	for (i = 0; i < s->action.len; i++)
		if (s->action.data[i] >= 'A' && s->action.data[i] <= 'Z')
			s->action.data[i] += 'a' - 'A';
	rec->action = s->action.len > 0 ? s->action.data : NULL;
	if (d->word_len == 0 && rec->error == NULL)
		rec->error = "bad-status";
	if (h->classic) {
		if (classic_time_of(h->ts, s->now, &t) == 0) {
			rec->time = t;
			rec->has_time = 1;
		} else if (rec->error == NULL)
			rec->error = "bad-timestamp";
	}
	if (rec->error == NULL)
		decide(s->action.data, rec);
	return 1;
}

/* ev_maillog_next - the next delivery line, as a record */
int
ev_maillog_next(struct lw_events *r, struct lw_event_rec *rec)
{
	struct ev_maillog *s = r->maillog;
	struct delivery d;
	struct header h;
	struct ev_row row;
	unsigned long line;
	const char *p;
	size_t n;
	int got;

	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return ev_fail(r, LW_ENOMEM, r->lineno);
		s->now = time(NULL);
		r->maillog = s;
	}
	for (;;) {
		if (r->line_pending)
			r->line_pending = 0;
		else if ((got = ev_read_line(r)) <= 0)
			return got;
		line = r->lineno;
		p = r->line;
		n = trim_end(p, r->line_len);
		while (n > 0 && ev_is_space((unsigned char)*p)) {
			p++;
			n--;
		}
		if (r->line_long) {
			if ((got = ev_skip_line(r)) != LW_OK)
				return got;
			/* Another program's line is skipped, however long. */
			if (!header(p, n, &h))
				continue;
			ev_row_clear(&row);
			row.error = "too-long";
			if ((got = ev_row_finish(r, &row, line, rec)) != LW_OK)
				return got;
			return 1;
		}
		if (!header(p, n, &h))
			continue;
		delivery(p, n, h.body, &d);
		if (d.has_status && (d.has_to || d.dsn != NULL))
			return record(r, s, &h, &d, line, rec);
	}
}

/* ev_maillog_close - free the log reader */
void
ev_maillog_close(struct lw_events *r)
{
	struct ev_maillog *s = r->maillog;

	if (s == NULL)
		return;
	free(s->id.data);
	free(s->action.data);
	free(s);
	r->maillog = NULL;
}
