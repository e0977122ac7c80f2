/*
 * mail.c - bounce messages as event records: one message, or an mbox
 *
 * NAME
 *	mail - LW_EVENTS_MAIL and LW_EVENTS_MBOX
 *
 * DESCRIPTION
 *	A message is read whole (at most LW_EVENT_DOC_MAX octets) and handed
 *	to lw_mail_parse() (listwarden/mail.h), whose outcomes become
 *	records, one per recipient, in the order the message gives them:
 *	the record's line is where the message starts (its "From " line in
 *	an mbox), its item the recipient's place in the message.
 *
 *	An mbox is split at each line that starts with "From " and is the
 *	first line or follows a blank one; ">From ", ">>From " ... lose
 *	one ">" (mboxrd; in mboxo, where only "From " was escaped, that is
 *	the same).  A single message may start with such a line too (a
 *	local delivery agent adds one); it is dropped.
 *
 *	A message that is no bounce gives one record with ignored set to
 *	"not-a-bounce" and the reason as its diagnostic, and nothing else:
 *	the caller reports it and goes on.  A message over the limit gives
 *	a record with error "too-long" and is read through, unstored.
 *
 *	Each record's event id is the bounce's Message-ID, a colon and the
 *	recipient, so that the same bounce read twice is a repeat; without
 *	a Message-ID the store hashes the content.  A diagnostic is cut to
 *	LW_MAIL_DIAG_MAX octets (at a character boundary) rather than
 *	refused, for the verdict does not depend on its tail.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden/error.h"
#include "listwarden/events.h"
#include "listwarden/mail.h"
#include "events_int.h"

/* Longest diagnostic kept from a message. */
#define LW_MAIL_DIAG_MAX	2048

/* Octets read from the stream at once. */
#define MAIL_BLOCK	(64u << 10)

struct ev_mail {
	struct ev_buf blk;		/* read from the stream, not yet used */
	size_t blk_off;			/* where the unused part starts */
	int blk_eof;			/* the stream has no more */
	int pending_piece;		/* the last line handed out goes on */
	struct ev_buf msg;		/* the message being gathered */
	int too_long;			/* it went past LW_EVENT_DOC_MAX */
	unsigned long msg_line;		/* its first line */
	unsigned long next_line;	/* a "From " line read ahead */
	int pending_from;		/* that line starts the next message */
	int eof;
	struct lw_mail m;
	size_t next;			/* the next outcome handed out */
	int parsed;			/* m holds the current message */
	struct ev_buf id;
	char *verp;
	/* A message that is an ESP's JSON notification: its reader. */
	struct lw_events *json;
	FILE *json_fp;
	struct lw_event_rec json_first;
	int json_pending;
};

/* lw_events_set_verp - the VERP pattern for messages */
int
lw_events_set_verp(struct lw_events *r, const char *pattern)
{
	char *p = NULL;

	if (pattern != NULL && !lw_verp_valid(pattern))
		return LW_EINVAL;
	if (pattern != NULL && (p = strdup(pattern)) == NULL)
		return LW_ENOMEM;
	free(r->verp);
	r->verp = p;
	return LW_OK;
}

/* close_json - drop the reader of a message's JSON document */
static void
close_json(struct ev_mail *s)
{
	lw_events_close(s->json);
	s->json = NULL;
	if (s->json_fp != NULL)
		fclose(s->json_fp);
	s->json_fp = NULL;
	s->json_pending = 0;
}

/* is_from_line - an mbox separator */
static int
is_from_line(const char *p, size_t n)
{
	return n >= 5 && memcmp(p, "From ", 5) == 0;
}

/* Most octets of one line handed out at once; a longer line comes in
 * pieces, as ev_read_line() gives it. */
#define MAIL_LINE_MAX	(1u << 20)

/*
 * next_line - the next line of the input (its line end kept) at *pp,
 * *np octets, read a block at a time: 1, 0 at the end, or an lw_err.
 * *longp is set when the line goes on in the next piece.  The first
 * content line, which the reader has read already, comes first.
 */
static int
next_line(struct lw_events *r, struct ev_mail *s, const char **pp,
    size_t *np, int *longp)
{
	struct ev_buf *b = &s->blk;
	const char *nl;
	size_t got, cap;
	char *q;

	if (r->line_pending) {
		r->line_pending = 0;
		*pp = r->line;
		*np = r->line_len;
		*longp = r->line_long;
		return 1;
	}
	for (;;) {
		if (s->blk_off < b->len && (nl = memchr(b->data + s->blk_off,
		    '\n', b->len - s->blk_off)) != NULL) {
			*pp = b->data + s->blk_off;
			*np = (size_t)(nl + 1 - *pp);
			*longp = 0;
			s->blk_off += *np;
			r->lineno++;
			return 1;
		}
		if (b->len - s->blk_off >= MAIL_LINE_MAX || (s->blk_eof &&
		    s->blk_off < b->len)) {
			/* A piece of a long line, or the last line. */
			*pp = b->data + s->blk_off;
			*np = b->len - s->blk_off;
			if (*np > MAIL_LINE_MAX)
				*np = MAIL_LINE_MAX;
			*longp = !s->blk_eof || s->blk_off + *np < b->len;
			s->blk_off += *np;
			if (!s->pending_piece)
				r->lineno++;
			s->pending_piece = *longp;
			return 1;
		}
		if (s->blk_eof)
			return 0;
		/* Keep the unread rest, and read a block after it. */
		if (s->blk_off > 0)
			memmove(b->data, b->data + s->blk_off,
			    b->len - s->blk_off);
		b->len -= s->blk_off;
		s->blk_off = 0;
		cap = b->len + MAIL_BLOCK + 1;
		if (cap > b->cap) {
			if ((q = realloc(b->data, cap)) == NULL)
				return ev_fail(r, LW_ENOMEM, r->lineno);
			b->data = q;
			b->cap = cap;
		}
		errno = 0;
		got = fread(b->data + b->len, 1, MAIL_BLOCK, r->fp);
		b->len += got;
		if (got < MAIL_BLOCK) {
			if (ferror(r->fp))
				return ev_fail(r, errno > 0 ? -errno : LW_EIO,
				    r->lineno + 1);
			s->blk_eof = 1;
		}
	}
}

/* append - n octets of a line to the message, unescaping ">From " */
static int
append(struct ev_mail *s, const char *p, size_t n, int mbox)
{
	struct ev_buf *b = &s->msg;
	size_t k = 0;

	if (mbox) {
		while (k < n && p[k] == '>')
			k++;
		if (k > 0 && n - k >= 5 && memcmp(p + k, "From ", 5) == 0) {
			p++;
			n--;
		}
	}
	if (s->too_long || b->len + n > LW_EVENT_DOC_MAX) {
		s->too_long = 1;
		return LW_OK;
	}
	return ev_buf_add(b, p, n);
}

/* is_blank_line - a line of nothing but its line end */
static int
is_blank_line(const char *p, size_t n)
{
	return n == 0 || p[0] == '\n' || (p[0] == '\r' && (n == 1 ||
	    p[1] == '\n'));
}

/*
 * gather - the next message into s->msg: 1, 0 at the end, or an lw_err
 */
static int
gather(struct lw_events *r, struct ev_mail *s, int mbox)
{
	int got, prev_blank = 1, first = 1, prev_long = 0, err, lng;
	const char *p;
	size_t n;

	s->msg.len = 0;
	s->too_long = 0;
	if (s->eof)
		return 0;
	if (s->pending_from) {
		/* The "From " line read last starts this message. */
		s->pending_from = 0;
		s->msg_line = s->next_line;
		first = 0;
	}
	for (;;) {
		if ((got = next_line(r, s, &p, &n, &lng)) < 0)
			return got;
		if (got == 0) {
			s->eof = 1;
			break;
		}
		if (first) {
			s->msg_line = r->lineno;
			first = 0;
			if (is_from_line(p, n)) {
				/* The separator itself, to its end. */
				while (lng && (got = next_line(r, s, &p, &n,
				    &lng)) > 0)
					;
				if (got < 0)
					return got;
				continue;
			}
		} else if (mbox && !prev_long && prev_blank &&
		    is_from_line(p, n)) {
			s->pending_from = 1;
			s->next_line = r->lineno;
			while (lng && (got = next_line(r, s, &p, &n, &lng)) > 0)
				;
			if (got < 0)
				return got;
			break;
		}
		if (!prev_long)
			prev_blank = is_blank_line(p, n);
		if ((err = append(s, p, n, mbox && !prev_long)) != LW_OK)
			return ev_fail(r, err, r->lineno);
		prev_long = lng;
	}
	/* The blank line before a separator belongs to the mbox. */
	if (mbox && s->pending_from && s->msg.len > 0 &&
	    s->msg.data[s->msg.len - 1] == '\n') {
		s->msg.len--;
		if (s->msg.len > 0 && s->msg.data[s->msg.len - 1] == '\r')
			s->msg.len--;
	}
	return s->msg.len > 0 || s->too_long || s->pending_from ? 1 :
	    (s->eof ? 0 : 1);
}

/* cut_utf8 - n, or less so that s[0..n) ends on a character boundary */
static size_t
cut_utf8(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* row_text - set field f from s, cut to max octets when max is not 0 */
static void
row_text(struct ev_row *row, enum ev_field f, const char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	if (max > 0 && n > max)
		n = cut_utf8(s, max);
	ev_row_set(row, f, 0, s, n);
}

/* emit - outcome i of the parsed message as a record */
static int
emit(struct lw_events *r, struct ev_mail *s, size_t i,
    struct lw_event_rec *rec)
{
	const struct lw_mail_rcpt *o = &s->m.rcpt[i];
	struct ev_row row;
	int err;

	ev_row_clear(&row);
	row_text(&row, EV_RECIPIENT, o->recipient, 0);
	row_text(&row, EV_STATUS, o->status, 0);
	row_text(&row, EV_REPLY, o->reply, 0);
	row_text(&row, EV_TYPE, lw_class_name(o->cls), 0);
	row_text(&row, EV_DIAGNOSTIC, o->diagnostic, LW_MAIL_DIAG_MAX);
	row_text(&row, EV_FEEDBACK, o->feedback, 0);
	if (s->m.message_id != NULL) {
		/* The id: the bounce's Message-ID and the recipient. */
		size_t a = strlen(s->m.message_id), b = strlen(o->recipient);

		char *id = malloc(a + b + 2);

		if (id != NULL) {
			memcpy(id, s->m.message_id, a);
			id[a] = ':';
			memcpy(id + a + 1, o->recipient, b + 1);
		}
		if (id == NULL || ev_buf_set(&s->id, id, a + b + 1) != LW_OK) {
			free(id);
			return ev_fail(r, LW_ENOMEM, s->msg_line);
		}
		free(id);
		row_text(&row, EV_EVENT_ID, s->id.data, 0);
	}
	if ((err = ev_row_finish(r, &row, s->msg_line, rec)) != LW_OK)
		return err;
	rec->item = i + 1;
	rec->rule = o->rule;
	rec->action = o->action;
	rec->message_id = s->m.orig_message_id;
	rec->list = s->m.list;
	rec->how = s->m.how;
	if (o->has_time) {
		rec->time = o->time;
		rec->has_time = 1;
	}
	return 1;
}

/*
 * open_json - a reader over the JSON document a message holds, kept
 * when it is an ESP's (the notifications an Amazon SNS e-mail
 * subscription mails): its records are the message's
 */
static int
open_json(struct lw_events *r, struct ev_mail *s)
{
	struct lw_event_rec rec;
	int got, err;

	if ((s->json_fp = fmemopen(s->m.json, strlen(s->m.json), "r")) ==
	    NULL)
		return LW_ENOMEM;
	if ((err = lw_events_open(&s->json, s->json_fp, r->name,
	    LW_EVENTS_AUTO)) != LW_OK) {
		close_json(s);
		return err;
	}
	/* Decided by the first record: an ESP's, or nothing of ours. */
	got = lw_events_next(s->json, &rec);
	if (got <= 0 || !ev_is_esp(lw_events_format(s->json))) {
		close_json(s);
		return LW_OK;
	}
	s->json_first = rec;
	s->json_pending = 1;
	return LW_OK;
}

/* json_next - the next record of the message's JSON document, or 0 */
static int
json_next(struct ev_mail *s, struct lw_event_rec *rec)
{
	int got;

	if (s->json_pending) {
		s->json_pending = 0;
		*rec = s->json_first;
		got = 1;
	} else if ((got = lw_events_next(s->json, rec)) <= 0) {
		close_json(s);
		s->m.kind = LW_MAIL_PROSE;	/* read, not "not a bounce" */
		s->m.nrcpt = 0;
		return 0;
	}
	/* Where it is in the input: the message, and its item there. */
	rec->line = s->msg_line;
	if (rec->item == 0)
		rec->item = 1;
	rec->how = "sns";
	return got;
}

/* ev_mail_next - the next record of a message or an mbox */
int
ev_mail_next(struct lw_events *r, struct lw_event_rec *rec)
{
	struct ev_mail *s = r->mail;
	struct lw_mail_opts opts;
	int mbox = r->format == LW_EVENTS_MBOX, got, err;

	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return ev_fail(r, LW_ENOMEM, r->lineno);
		r->mail = s;
	}
	for (;;) {
		if (s->json != NULL && (got = json_next(s, rec)) != 0)
			return got;
		if (s->parsed && s->next < s->m.nrcpt)
			return emit(r, s, s->next++, rec);
		s->parsed = 0;
		if ((got = gather(r, s, mbox)) <= 0)
			return got;
		if (s->msg.len == 0 && !s->too_long)
			continue;	/* an empty message in an mbox */
		if (!mbox && !s->eof)
			continue;	/* the whole input is one message */
		memset(rec, 0, sizeof(*rec));
		rec->line = s->msg_line;
		rec->recipient = "";
		if (s->too_long) {
			rec->error = "too-long";
			return 1;
		}
		memset(&opts, 0, sizeof(opts));
		opts.verp = r->verp;
		if ((err = lw_mail_parse(s->msg.data, s->msg.len, &opts,
		    &s->m)) != LW_OK)
			return ev_fail(r, err, s->msg_line);
		s->parsed = 1;
		s->next = 0;
		if (s->m.kind == LW_MAIL_NONE && s->m.json != NULL &&
		    (err = open_json(r, s)) != LW_OK)
			return ev_fail(r, err, s->msg_line);
		if (s->json != NULL && (got = json_next(s, rec)) != 0)
			return got;
		if (s->m.kind == LW_MAIL_NONE) {
			memset(rec, 0, sizeof(*rec));
			rec->line = s->msg_line;
			rec->recipient = "";
			rec->ignored = "not-a-bounce";
			rec->diagnostic = s->m.why_not;
			return 1;
		}
	}
}

/* ev_mail_close - free the message reader */
void
ev_mail_close(struct lw_events *r)
{
	struct ev_mail *s = r->mail;

	free(r->verp);
	r->verp = NULL;
	if (s == NULL)
		return;
	close_json(s);
	free(s->msg.data);
	free(s->blk.data);
	free(s->id.data);
	lw_mail_clear(&s->m);
	free(s);
	r->mail = NULL;
}

/* ev_mail_detect - what the first content line announces */
enum lw_events_format
ev_mail_detect(const char *p, size_t n)
{
	size_t i;

	if (is_from_line(p, n))
		return LW_EVENTS_MBOX;
	if (ev_maillog_detect(p, n))
		return LW_EVENTS_POSTFIX_LOG;
	/*
	 * A header field: a name of letters, digits and hyphens, starting
	 * with a letter, then a colon ("X-Store-Info:..." has no blank).
	 */
	if (n == 0 || !((p[0] >= 'A' && p[0] <= 'Z') ||
	    (p[0] >= 'a' && p[0] <= 'z')))
		return LW_EVENTS_AUTO;
	for (i = 1; i < n && ((p[i] >= 'A' && p[i] <= 'Z') ||
	    (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
	    p[i] == '-' || p[i] == '_'); i++)
		;
	if (i >= 2 && i < n && p[i] == ':')
		return LW_EVENTS_MAIL;
	return LW_EVENTS_AUTO;
}
