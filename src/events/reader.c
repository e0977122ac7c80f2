/*
 * reader.c - open, dispatch and close event readers; map raw values
 *
 * NAME
 *	reader - what every event format shares
 *
 * DESCRIPTION
 *	lw_events_next() first reads physical lines until one holds more than
 *	white space (a byte order mark at the very start dropped), which
 *	decides the format under LW_EVENTS_AUTO and becomes the first line
 *	of every format: JSON lines read it as their first line, CSV
 *	replays it to csvio ahead of the rest of the stream (csv.c), and
 *	the ESP formats read it again through the replay buffer (json.c).
 *
 *	Under LW_EVENTS_AUTO a first octet other than '{' or '[' means CSV.
 *	Otherwise json.c reads ahead to the end of the first JSON value (or
 *	of the first element of an array) and decides by its member names;
 *	all it read is kept in the replay buffer, which ev_getc() hands out
 *	before the rest of the stream, so that whichever format is chosen
 *	reads the input from its first line as if nothing had been peeked
 *	at.  The replay buffer is freed as soon as it has been read.
 *
 *	Each format collects one row of raw values by the name table below
 *	and hands it to ev_row_finish(), which trims, checks and copies them
 *	into the reader's own buffers, splits status and reply codes and
 *	parses the timestamp, so that every format reports the same reasons
 *	for the same faults.
 *
 *	The line reader keeps at most LW_EVENT_LINE_MAX octets of a line and
 *	leaves the rest unread, so that a line of any length costs no more
 *	memory than that.
 *
 * DIAGNOSTICS
 *	LW_ENOMEM, LW_EIO or another negated errno, and what the formats
 *	return; each is sticky, with the line it was met on.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unistr.h>

#include "listwarden/classify.h"
#include "listwarden/csvio.h"
#include "listwarden/error.h"
#include "listwarden/events.h"
#include "events_int.h"

/* A UTF-8 byte order mark. */
#define BOM		"\xef\xbb\xbf"
#define BOM_LEN		3

/* U+FFFD REPLACEMENT CHARACTER, in UTF-8. */
#define REPLACEMENT	"\xef\xbf\xbd"
#define REPLACEMENT_LEN	3

const struct ev_name ev_names[] = {
	{ "email", EV_RECIPIENT },
	{ "recipient", EV_RECIPIENT },
	{ "address", EV_RECIPIENT },
	{ "email_address", EV_RECIPIENT },
	{ "rcpt", EV_RECIPIENT },
	{ "status", EV_STATUS },
	{ "enhanced_status", EV_STATUS },
	{ "status_code", EV_STATUS },
	{ "reply", EV_REPLY },
	{ "reply_code", EV_REPLY },
	{ "smtp_code", EV_REPLY },
	{ "code", EV_REPLY },
	{ "type", EV_TYPE },
	{ "event", EV_TYPE },
	{ "class", EV_TYPE },
	{ "event_type", EV_TYPE },
	{ "bounce_type", EV_TYPE },
	{ "timestamp", EV_TIMESTAMP },
	{ "time", EV_TIMESTAMP },
	{ "date", EV_TIMESTAMP },
	{ "created", EV_TIMESTAMP },
	{ "created_at", EV_TIMESTAMP },
	{ "diagnostic", EV_DIAGNOSTIC },
	{ "reason", EV_DIAGNOSTIC },
	{ "message", EV_DIAGNOSTIC },
	{ "diagnostic_code", EV_DIAGNOSTIC },
	{ "response", EV_DIAGNOSTIC },
	{ "error", EV_DIAGNOSTIC },
	{ "event_id", EV_EVENT_ID },
	{ "id", EV_EVENT_ID },
	{ "message_id", EV_EVENT_ID },
	{ "source", EV_SOURCE },
	{ "feedback_type", EV_FEEDBACK },
	{ "complaint_type", EV_FEEDBACK },
};
const size_t ev_nnames = sizeof(ev_names) / sizeof(ev_names[0]);

/* ev_getc - the next octet: the replay, then the stream */
int
ev_getc(struct lw_events *r)
{
	if (r->replay_off < r->replay.len) {
		r->replay_last = 1;
		return (unsigned char)r->replay.data[r->replay_off++];
	}
	if (r->replay.data != NULL) {
		/* Read through: the peeked octets cost nothing from here. */
		free(r->replay.data);
		memset(&r->replay, 0, sizeof(r->replay));
		r->replay_off = 0;
	}
	r->replay_last = 0;
	return getc_unlocked(r->fp);
}

/* ev_ungetc - put back the octet read last */
void
ev_ungetc(struct lw_events *r, int c)
{
	if (c == EOF)
		return;
	if (r->replay_last && r->replay_off > 0)
		r->replay_off--;
	else
		ungetc(c, r->fp);
}

/* ev_is_space - an ASCII blank */
int
ev_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/* trim - drop blanks around the n octets at *p */
static void
trim(const char **p, size_t *n)
{
	while (*n > 0 && ev_is_space((unsigned char)**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && ev_is_space((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

/* ev_name_lookup - the field a name stands for, and the name's rank */
int
ev_name_lookup(const struct ev_name *tab, size_t n, const char *name,
    size_t len, int *prio)
{
	size_t i;

	trim(&name, &len);
	if (len == 0 || memchr(name, '\0', len) != NULL)
		return -1;
	/* name holds no NUL: a match means tab's name is len long or more. */
	for (i = 0; i < n; i++)
		if (strncasecmp(tab[i].name, name, len) == 0 &&
		    tab[i].name[len] == '\0') {
			*prio = (int)i;
			return (int)tab[i].field;
		}
	return -1;
}

/* ev_row_clear - an empty row */
void
ev_row_clear(struct ev_row *row)
{
	memset(row, 0, sizeof(*row));
}

/* ev_row_wants - whether the rank prio would set field f */
int
ev_row_wants(const struct ev_row *row, enum ev_field f, int prio)
{
	return row->val[f] == NULL || prio < row->prio[f];
}

/* ev_row_set - set field f, unless a preferred name has set it */
void
ev_row_set(struct ev_row *row, enum ev_field f, int prio, const char *val,
    size_t len)
{
	if (!ev_row_wants(row, f, prio))
		return;
	row->val[f] = val;
	row->len[f] = len;
	row->prio[f] = prio;
}

/* ev_fail - a sticky error, and where it was met */
int
ev_fail(struct lw_events *r, int err, unsigned long line)
{
	r->failed = err;
	r->error_line = line;
	return err;
}

/* buf_reserve - room for want octets in b */
static int
buf_reserve(struct ev_buf *b, size_t want)
{
	size_t ncap = b->cap ? b->cap : 64;
	char *p;

	if (want <= b->cap)
		return LW_OK;
	while (ncap < want)
		ncap *= 2;
	/* A value at the limit costs the limit, not twice it. */
	if (ncap > LW_EVENT_DOC_MAX + 1 && want <= LW_EVENT_DOC_MAX + 1)
		ncap = LW_EVENT_DOC_MAX + 1;
	if ((p = realloc(b->data, ncap)) == NULL)
		return LW_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return LW_OK;
}

/* ev_buf_set - b holds the n octets at p, NUL-terminated */
int
ev_buf_set(struct ev_buf *b, const char *p, size_t n)
{
	if (buf_reserve(b, n + 1) != LW_OK)
		return LW_ENOMEM;
	memcpy(b->data, p, n);
	b->data[n] = '\0';
	b->len = n;
	return LW_OK;
}

/* ev_buf_add - append the n octets at p to b, NUL-terminated */
int
ev_buf_add(struct ev_buf *b, const char *p, size_t n)
{
	if (buf_reserve(b, b->len + n + 1) != LW_OK)
		return LW_ENOMEM;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return LW_OK;
}

/*
 * buf_repair - b holds the n octets at p with each NUL and each octet
 * that starts no valid UTF-8 sequence replaced by U+FFFD
 */
static int
buf_repair(struct ev_buf *b, const char *p, size_t n)
{
	const uint8_t *s = (const uint8_t *)p;
	size_t i = 0, o = 0;
	ucs4_t uc;
	int k;

	if (buf_reserve(b, n * REPLACEMENT_LEN + 1) != LW_OK)
		return LW_ENOMEM;
	while (i < n) {
		k = s[i] == 0 ? -1 : u8_mbtoucr(&uc, s + i, n - i);
		if (k < 0) {
			memcpy(b->data + o, REPLACEMENT, REPLACEMENT_LEN);
			o += REPLACEMENT_LEN;
			i++;
			continue;
		}
		memcpy(b->data + o, s + i, (size_t)k);
		o += (size_t)k;
		i += (size_t)k;
	}
	b->data[o] = '\0';
	b->len = o;
	return LW_OK;
}

/* text_ok - valid UTF-8 without NUL */
static int
text_ok(const char *p, size_t n)
{
	return memchr(p, '\0', n) == NULL &&
	    u8_check((const uint8_t *)p, n) == NULL;
}

/* note - keep the first reason found */
static void
note(const char **error, const char *reason)
{
	if (*error == NULL)
		*error = reason;
}

/*
 * split - a status or reply value into the record's codes; 1 when it
 * holds text besides them, 0 when not, -1 when it is malformed
 */
static int
split(const char *val, char reply[4], char status[16])
{
	const char *text;

	if (lw_status_parse(val, reply, status, &text) != 0)
		return -1;
	return *text != '\0';
}

/* ev_row_finish - check, copy and interpret one row into rec */
int
ev_row_finish(struct lw_events *r, const struct ev_row *row,
    unsigned long line, struct lw_event_rec *rec)
{
	const char *v[EV_NFIELDS], *error = row->error, *diag, *p;
	char reply[4], status[16];
	size_t n;
	int f, err, text;

	memset(rec, 0, sizeof(*rec));
	rec->line = line;
	for (f = 0; f < EV_NFIELDS; f++) {
		v[f] = NULL;
		if ((p = row->val[f]) == NULL)
			continue;
		n = row->len[f];
		trim(&p, &n);
		if (n == 0)
			continue;
		/* Measured before any copy: a huge value costs nothing. */
		if (n > LW_EVENT_FIELD_MAX) {
			note(&error, "too-long");
			continue;
		}
		if (text_ok(p, n))
			err = ev_buf_set(&r->out[f], p, n);
		else if (f == EV_DIAGNOSTIC)
			err = buf_repair(&r->out[f], p, n);
		else {
			note(&error, "bad-utf8");
			continue;
		}
		if (err != LW_OK)
			return ev_fail(r, err, line);
		v[f] = r->out[f].data;
	}

	rec->recipient = v[EV_RECIPIENT] ? v[EV_RECIPIENT] : "";
	rec->type = v[EV_TYPE];
	rec->event_id = v[EV_EVENT_ID];
	rec->source = v[EV_SOURCE];
	rec->feedback = v[EV_FEEDBACK];
	diag = v[EV_DIAGNOSTIC];
	if (v[EV_RECIPIENT] == NULL)
		note(&error, "no-recipient");
	if (v[EV_TYPE] != NULL && !lw_classify_type_known(v[EV_TYPE]))
		note(&error, "unknown-type");

	/* A status column's codes, then a reply column's over them. */
	r->reply[0] = r->status[0] = '\0';
	if (v[EV_STATUS] != NULL) {
		if ((text = split(v[EV_STATUS], reply, status)) < 0)
			note(&error, "bad-status");
		else {
			memcpy(r->reply, reply, sizeof(reply));
			memcpy(r->status, status, sizeof(status));
			if (text && diag == NULL)
				diag = v[EV_STATUS];
		}
	}
	if (v[EV_REPLY] != NULL) {
		if ((text = split(v[EV_REPLY], reply, status)) < 0 ||
		    (reply[0] == '\0' && status[0] == '\0'))
			note(&error, "bad-status");
		else {
			if (reply[0] != '\0')
				memcpy(r->reply, reply, sizeof(reply));
			if (r->status[0] == '\0')
				memcpy(r->status, status, sizeof(status));
			if (text && diag == NULL)
				diag = v[EV_REPLY];
		}
	}
	rec->reply = r->reply[0] != '\0' ? r->reply : NULL;
	rec->status = r->status[0] != '\0' ? r->status : NULL;
	rec->diagnostic = diag;

	if (v[EV_TIMESTAMP] != NULL) {
		if (lw_time_parse(v[EV_TIMESTAMP], &rec->time) == 0)
			rec->has_time = 1;
		else
			note(&error, "bad-timestamp");
	}
	rec->error = error;
	return LW_OK;
}

/* ev_read_line - the next physical line, at most LW_EVENT_LINE_MAX kept */
int
ev_read_line(struct lw_events *r)
{
	size_t ncap;
	char *p;
	int c;

	r->line_len = 0;
	r->line_long = 0;
	errno = 0;
	for (;;) {
		if ((c = ev_getc(r)) == EOF)
			break;
		/* Room for the line end (CR LF) beyond the limit, no more. */
		if (r->line_len >= LW_EVENT_LINE_MAX && c != '\n' &&
		    !(c == '\r' && r->line_len == LW_EVENT_LINE_MAX)) {
			ev_ungetc(r, c);
			r->line_long = 1;
			break;
		}
		if (r->line_len + 2 > r->line_cap) {
			ncap = r->line_cap ? r->line_cap * 2 : 256;
			if (ncap > LW_EVENT_LINE_MAX + 4)
				ncap = LW_EVENT_LINE_MAX + 4;
			if ((p = realloc(r->line, ncap)) == NULL)
				return ev_fail(r, LW_ENOMEM, r->lineno + 1);
			r->line = p;
			r->line_cap = ncap;
		}
		r->line[r->line_len++] = (char)c;
		if (c == '\n')
			break;
	}
	if (c == EOF && ferror(r->fp))
		return ev_fail(r, errno > 0 ? -errno : LW_EIO, r->lineno + 1);
	if (c == EOF && r->line_len == 0)
		return 0;
	r->line[r->line_len] = '\0';
	r->lineno++;
	return 1;
}

/* ev_skip_line - drop the unread rest of a long line */
int
ev_skip_line(struct lw_events *r)
{
	int c;

	errno = 0;
	while ((c = ev_getc(r)) != EOF)
		if (c == '\n')
			return LW_OK;
	if (ferror(r->fp))
		return ev_fail(r, errno > 0 ? -errno : LW_EIO, r->lineno);
	return LW_OK;
}

/*
 * start - read up to the first line with content, decide the format
 * and set that format up; 1, 0 when there is no content, or an lw_err
 */
static int
start(struct lw_events *r)
{
	size_t i;
	int got;

	for (;;) {
		if ((got = ev_read_line(r)) <= 0)
			return got;
		if (r->lineno == 1 && r->line_len >= BOM_LEN &&
		    memcmp(r->line, BOM, BOM_LEN) == 0) {
			memmove(r->line, r->line + BOM_LEN,
			    r->line_len - BOM_LEN + 1);
			r->line_len -= BOM_LEN;
		}
		for (i = 0; i < r->line_len; i++)
			if (!ev_is_space((unsigned char)r->line[i]))
				break;
		/* A long line is content, whatever its first part holds. */
		if (i < r->line_len || r->line_long)
			break;
	}
	if (r->format == LW_EVENTS_AUTO) {
		if (i < r->line_len &&
		    (r->line[i] == '{' || r->line[i] == '[')) {
			/* Decided, and everything read is to be read again. */
			if ((got = ev_doc_detect(r, i)) != LW_OK)
				return got;
		} else if ((r->format = ev_mail_detect(r->line + i,
		    r->line_len - i)) == LW_EVENTS_AUTO)
			r->format = LW_EVENTS_CSV;
		else
			r->line_pending = 1;
	} else
		r->line_pending = 1;
	if (ev_is_esp(r->format)) {
		if ((got = ev_doc_start(r)) != LW_OK)
			return got;
		return 1;
	}
	if (r->format == LW_EVENTS_CSV) {
		r->line_pending = 1;
		return ev_csv_start(r);
	}
	return 1;
}

/* lw_events_open - a reader over fp */
int
lw_events_open(struct lw_events **rp, FILE *fp, const char *name,
    enum lw_events_format format)
{
	struct lw_events *r;
	int f;

	if ((unsigned)format > LW_EVENTS_POSTFIX_LOG)
		return LW_EINVAL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return LW_ENOMEM;
	if ((r->name = strdup(name != NULL ? name : "-")) == NULL) {
		free(r);
		return LW_ENOMEM;
	}
	r->fp = fp;
	r->format = format;
	if (format == LW_EVENTS_LISTMONK) {
		/* A CSV, each of whose rows is a manual suppression. */
		r->format = LW_EVENTS_CSV;
		r->listmonk = 1;
	}
	for (f = 0; f < EV_NFIELDS; f++)
		r->col[f] = -1;
	*rp = r;
	return LW_OK;
}

/* lw_events_next - the next record, 0 at the end, or a sticky lw_err */
int
lw_events_next(struct lw_events *r, struct lw_event_rec *rec)
{
	struct lw_event_rec tmp;
	int got;

	if (r->failed)
		return r->failed;
	if (!r->started) {
		r->started = 1;
		if ((got = start(r)) < 0)
			return got;
		r->at_end = got == 0;
	}
	if (r->at_end)
		return 0;
	if (r->format == LW_EVENTS_CSV)
		got = ev_csv_next(r, &tmp);
	else if (ev_is_esp(r->format))
		got = ev_doc_next(r, &tmp);
	else if (r->format == LW_EVENTS_MAIL || r->format == LW_EVENTS_MBOX)
		got = ev_mail_next(r, &tmp);
	else if (r->format == LW_EVENTS_POSTFIX_LOG)
		got = ev_maillog_next(r, &tmp);
	else
		got = ev_jsonl_next(r, &tmp);
	if (got == 1)
		*rec = tmp;
	return got;
}

/* lw_events_format - the format read */
enum lw_events_format
lw_events_format(const struct lw_events *r)
{
	return r->format;
}

/* lw_events_name - the name the reader was given */
const char *
lw_events_name(const struct lw_events *r)
{
	return r->name;
}

/* lw_events_error_line - where the sticky error was met */
unsigned long
lw_events_error_line(const struct lw_events *r)
{
	return r->failed ? r->error_line : 0;
}

/* lw_events_close - release the reader, not its stream */
void
lw_events_close(struct lw_events *r)
{
	int f;

	if (r == NULL)
		return;
	ev_csv_close(r);
	ev_doc_close(r);
	ev_mail_close(r);
	ev_maillog_close(r);
	free(r->replay.data);
	for (f = 0; f < EV_NFIELDS; f++)
		free(r->out[f].data);
	free(r->line);
	free(r->name);
	free(r);
}

/* lw_events_format_parse - a format by name */
int
lw_events_format_parse(const char *name)
{
	static const struct {
		const char *name;
		enum lw_events_format format;
	} names[] = {
		{ "auto", LW_EVENTS_AUTO },
		{ "csv", LW_EVENTS_CSV },
		{ "jsonl", LW_EVENTS_JSONL },
		{ "json", LW_EVENTS_JSONL },
		{ "ses", LW_EVENTS_SES },
		{ "sendgrid", LW_EVENTS_SENDGRID },
		{ "mailgun", LW_EVENTS_MAILGUN },
		{ "postmark", LW_EVENTS_POSTMARK },
		{ "listmonk", LW_EVENTS_LISTMONK },
		{ "mail", LW_EVENTS_MAIL },
		{ "mbox", LW_EVENTS_MBOX },
		{ "postfix-log", LW_EVENTS_POSTFIX_LOG },
	};
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i].name) == 0)
			return (int)names[i].format;
	return -1;
}
