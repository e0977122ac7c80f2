/*
 * events_int.h - what the event readers share (internal)
 *
 * reader.c owns struct lw_events, the physical line reader and the
 * mapping of raw values to a record; csv.c and jsonl.c each turn their
 * format into a struct ev_row of raw values and hand it to
 * ev_row_finish().  json.c reads the ESP formats: it splits the input
 * into JSON values, parses each with jansson and hands each event object
 * to its ESP's module (ses.c, sendgrid.c, mailgun.c, postmark.c), which
 * fills the same row from the members it knows and decides the class by
 * its own table (struct ev_rule).
 */
#ifndef LW_EVENTS_INT_H
#define LW_EVENTS_INT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "listwarden/classify.h"
#include "listwarden/events.h"

/*
 * Most octets read ahead of the first line to decide the format under
 * LW_EVENTS_AUTO, when its first JSON value does not end on that line.
 */
#define LW_EVENT_PEEK_MAX	(1u << 20)

/* Room for any number jansson gives, as text. */
#define EV_NUMBER_MAX	40

/* The fields of a record that come from the input. */
enum ev_field {
	EV_RECIPIENT,
	EV_STATUS,
	EV_REPLY,
	EV_TYPE,
	EV_TIMESTAMP,
	EV_DIAGNOSTIC,
	EV_EVENT_ID,
	EV_SOURCE,
	EV_FEEDBACK,
	EV_NFIELDS
};

/* A column or member name and the field it fills. */
struct ev_name {
	const char *name;
	enum ev_field field;
};

/* One row's raw values, borrowed from the format's own buffers. */
struct ev_row {
	const char *val[EV_NFIELDS];	/* NULL when absent */
	size_t len[EV_NFIELDS];
	int prio[EV_NFIELDS];		/* of the name that set it */
	const char *error;		/* a reason found before mapping */
};

/* A growing byte buffer. */
struct ev_buf {
	char *data;
	size_t len, cap;
};

struct ev_prefix;
struct ev_doc;
struct ev_mail;
struct ev_maillog;

struct lw_events {
	FILE *fp;
	char *name;
	enum lw_events_format format;
	int started;
	int at_end;			/* the input held no content */
	int failed;			/* a sticky lw_err */
	unsigned long error_line;

	/* The physical line reader (JSON lines, and the first CSV line). */
	char *line;
	size_t line_len, line_cap;
	int line_long;			/* more of the line is left unread */
	int line_pending;		/* read ahead, not yet handed out */
	unsigned long lineno;

	/*
	 * Octets read ahead to decide the format, read again before fp:
	 * replay.data[replay_off..replay.len).
	 */
	struct ev_buf replay;
	size_t replay_off;
	int replay_last;		/* the last octet came from there */

	/* The ESP formats: the JSON value reader (json.c). */
	struct ev_doc *doc;

	/* CSV: csvio over a stream that replays the first line. */
	struct lw_csv_reader *csv;
	FILE *csv_fp;
	struct ev_prefix *prefix;
	unsigned long line_offset;	/* blank lines skipped before it */
	int col[EV_NFIELDS];		/* column of each field, or -1 */
	/* A suppression list (supplist in csv.c), or 0 for events. */
	int supp;
	int supp_col, supp_col2;	/* its reason (and origin) columns */
	int listmonk;			/* LW_EVENTS_LISTMONK was asked for */
	struct ev_buf ses_first[2];	/* SES's list: its first row */
	unsigned long ses_first_line;
	int ses_pending;

	/* Messages (mail.c) and Postfix logs (postfix_log.c). */
	struct ev_mail *mail;
	char *verp;
	struct ev_maillog *maillog;

	/* What a record's strings point into. */
	struct ev_buf out[EV_NFIELDS];
	char reply[4], status[16];
};

/* The synonyms events.h lists, in order of preference within a field. */
extern const struct ev_name ev_names[];
extern const size_t ev_nnames;

/*
 * ev_name_lookup - the field named by the len octets at name in tab,
 * ignoring ASCII case and surrounding blanks, with its rank in *prio
 * (lower is preferred); -1 when none
 */
int ev_name_lookup(const struct ev_name *tab, size_t n, const char *name,
    size_t len, int *prio);

/* ev_buf_set - b holds the n octets at p, NUL-terminated; LW_ENOMEM */
int ev_buf_set(struct ev_buf *b, const char *p, size_t n);

/*
 * ev_buf_add - append the n octets at p to b, NUL-terminated; LW_ENOMEM.
 * A buffer never grows past LW_EVENT_DOC_MAX + 1 for what fits in it.
 */
int ev_buf_add(struct ev_buf *b, const char *p, size_t n);

/* ev_row_clear - an empty row */
void ev_row_clear(struct ev_row *row);

/* ev_row_wants - whether a name of rank prio would set field f */
int ev_row_wants(const struct ev_row *row, enum ev_field f, int prio);

/* ev_row_set - give field f a value unless a preferred name gave one */
void ev_row_set(struct ev_row *row, enum ev_field f, int prio,
    const char *val, size_t len);

/*
 * ev_row_finish - check and copy a row's values into rec, which points
 * into r; LW_OK or LW_ENOMEM
 */
int ev_row_finish(struct lw_events *r, const struct ev_row *row,
    unsigned long line, struct lw_event_rec *rec);

/* ev_fail - make err sticky, met on line; returns err */
int ev_fail(struct lw_events *r, int err, unsigned long line);

/*
 * ev_read_line - read the next physical line into r->line, its line end
 * kept, at most LW_EVENT_LINE_MAX octets besides it; r->line_long is set
 * when more of the line is left unread.  1, 0 at the end, or an lw_err.
 */
int ev_read_line(struct lw_events *r);

/* ev_skip_line - read and drop the rest of a long line; LW_OK or lw_err */
int ev_skip_line(struct lw_events *r);

/* ev_is_space - an ASCII blank: space, TAB, CR, LF, VT or FF */
int ev_is_space(int c);

/*
 * ev_getc - the next octet of the input: the replay first, then fp;
 * ev_ungetc puts back the one octet read last
 */
int ev_getc(struct lw_events *r);
void ev_ungetc(struct lw_events *r, int c);

/* Each format: start after the first content line, and next record. */
int ev_csv_start(struct lw_events *r);
int ev_csv_next(struct lw_events *r, struct lw_event_rec *rec);
void ev_csv_close(struct lw_events *r);
int ev_jsonl_next(struct lw_events *r, struct lw_event_rec *rec);

/* Messages and mboxes (mail.c); the first content line is pending. */
int ev_mail_next(struct lw_events *r, struct lw_event_rec *rec);
void ev_mail_close(struct lw_events *r);

/* Postfix logs (postfix_log.c); the first content line is pending. */
int ev_maillog_next(struct lw_events *r, struct lw_event_rec *rec);
void ev_maillog_close(struct lw_events *r);

/* ev_maillog_detect - the n octets at p are a Postfix log line */
int ev_maillog_detect(const char *p, size_t n);

/*
 * ev_mail_detect - the format the first content line (n octets at p)
 * announces: LW_EVENTS_MBOX for an mbox "From " line, LW_EVENTS_MAIL
 * for a header field, LW_EVENTS_POSTFIX_LOG for a Postfix log line, or
 * LW_EVENTS_AUTO for none of them
 */
enum lw_events_format ev_mail_detect(const char *p, size_t n);

/*
 * ev_is_esp - whether format is one of the ESP formats json.c reads
 */
int ev_is_esp(enum lw_events_format format);

/*
 * ev_doc_detect - under LW_EVENTS_AUTO, with r->line the first line with
 * content and its first non-blank octet at off a '{' or a '[': read
 * ahead until the first JSON value (or the first element of an array)
 * ends, at most LW_EVENT_PEEK_MAX octets, decide the format by its
 * member names and arrange for everything read, that line included, to
 * be read again; LW_OK or an lw_err
 */
int ev_doc_detect(struct lw_events *r, size_t off);

/*
 * ev_doc_start - set up an ESP format with r->line, the first line with
 * content, still to be read (it is replayed); LW_OK or LW_ENOMEM
 */
int ev_doc_start(struct lw_events *r);
int ev_doc_next(struct lw_events *r, struct lw_event_rec *rec);
void ev_doc_close(struct lw_events *r);

/* ---- What the ESP modules share (json.c) ---- */

/* How a row of an ESP's table decides the class. */
enum ev_how {
	EV_SKIP,	/* no outcome (an open, a click): no record at all */
	EV_DECIDE,	/* the row's class, whatever the codes say */
	/*
	 * The codes and the text decide, through lw_classify(); when they
	 * say nothing (unknown), or call a failure a delivery, the row's
	 * class stands.
	 */
	EV_CODES,
	/*
	 * A temporary failure: as EV_CODES, and hard becomes the row's
	 * class too, for a temporary failure is never proof of a dead
	 * address.
	 */
	EV_TEMPORARY
};

/* A decision: how, and the class and rule of the row. */
struct ev_rule {
	enum ev_how how;
	enum lw_class cls;
	const char *rule;	/* a stable identifier, static storage */
};

/* One ESP: how its top level may hold a page of events, and its reader. */
struct ev_esp {
	enum lw_events_format format;
	const char *list;	/* the member of a page holding its events */
	/*
	 * next - the next record of the event object d->ev (any JSON
	 * value): 1 with rec, 0 when ev gives no more, or an lw_err.
	 * d->started, d->sub, d->nsub, d->obj, d->aux and d->rcpts are 0
	 * on the first call, and the module's from there on.
	 */
	int (*next)(struct lw_events *r, struct ev_doc *d,
	    struct lw_event_rec *rec);
};

extern const struct ev_esp ev_esp_ses, ev_esp_sendgrid, ev_esp_mailgun,
    ev_esp_postmark;

/* The state of the JSON value reader. */
struct ev_doc {
	const struct ev_esp *esp;

	/* The stream of values. */
	unsigned long line;		/* the line of the next octet */
	unsigned long last_line;	/* the line of the last octet read */
	int array;			/* in a top-level array: ARRAY_* */
	unsigned long values;		/* top-level values but arrays */
	unsigned long elems;		/* elements of the current array */
	int done;			/* nothing more is read */
	struct ev_buf text;		/* the value being read */

	/* The value read, and the page of events it may be. */
	json_t *root;
	json_t *list;			/* borrowed from root */
	size_t list_i;
	unsigned long *lines;		/* each list element's line */

	/* The event object being read, and what its module keeps. */
	json_t *ev;			/* borrowed from root */
	unsigned long ev_line, ev_item;
	int started;			/* the module has looked at ev */
	size_t sub, nsub;		/* the module's cursor */
	json_t *obj;			/* the module's: within ev or aux */
	json_t *aux;			/* the module's, owned (or NULL) */
	json_t *rcpts;			/* the module's, borrowed */

	/* What a row may point into until ev_doc_finish(). */
	char num[EV_NFIELDS][EV_NUMBER_MAX];
	char reply[4], status[16];
	struct ev_buf id;
};

/* ev_json_member - obj's member key (obj may be any value), or NULL */
json_t *ev_json_member(json_t *obj, const char *key);

/* ev_json_path - obj.a.b (b NULL: obj.a), or NULL */
json_t *ev_json_path(json_t *obj, const char *a, const char *b);

/* ev_json_str - the value of a string member, or NULL (not a string) */
const char *ev_json_str(json_t *obj, const char *key);

/*
 * ev_json_text - v as text into num (EV_NUMBER_MAX octets) when it is a
 * number or a boolean, its own when a string; NULL for anything else
 */
const char *ev_json_text(json_t *v, char *num, size_t *len);

/* ev_doc_set - field f of row from v (a string or a number), if any */
void ev_doc_set(struct ev_doc *d, struct ev_row *row, enum ev_field f,
    json_t *v);

/*
 * ev_doc_codes - the status of row from status (an ESP's own status
 * member, any JSON value, or NULL), then, from the codes text starts
 * with (when well formed), the reply code if row has none, and the
 * enhanced status if row has none or only an unspecific "X.0.0"
 */
void ev_doc_codes(struct ev_doc *d, struct ev_row *row, json_t *status,
    const char *text);

/* ev_doc_reply - the reply code of row from v, when v is a valid one */
void ev_doc_reply(struct ev_doc *d, struct ev_row *row, json_t *v);

/*
 * ev_doc_id - the event id of row: id's text, with ":" and the recipient
 * after it when with is set; nothing when id is no text; LW_OK or
 * LW_ENOMEM
 */
int ev_doc_id(struct ev_doc *d, struct ev_row *row, json_t *id,
    json_t *rcpt, int with);

/* ev_status_of - the enhanced status s holds, into st; 1, or 0 if none */
int ev_status_of(const char *s, char st[16]);

/*
 * ev_doc_finish - check and copy row into rec (ev_row_finish()), at the
 * event's line and item, then decide its class by rule when the record
 * has no error: rec->type becomes the class's name and rec->rule the
 * deciding rule.  rule NULL decides nothing (a record with an error).
 * 1 with rec, or LW_ENOMEM.
 */
int ev_doc_finish(struct lw_events *r, struct ev_doc *d,
    const struct ev_row *row, const struct ev_rule *rule,
    struct lw_event_rec *rec);

/*
 * ev_doc_error - a record of the event with reason (and type, when not
 * NULL, as its type) and nothing more: the event gives no other (it
 * sets d->started, and d->sub and d->nsub to 1)
 */
int ev_doc_error(struct lw_events *r, struct ev_doc *d, const char *reason,
    json_t *type, struct lw_event_rec *rec);

#endif /* LW_EVENTS_INT_H */
