/*
 * json.c - events from ESP JSON documents: values, pages, detection
 *
 * NAME
 *	json - the JSON value reader the ESP formats share
 *
 * DESCRIPTION
 *	The input is a sequence of JSON values, separated by white space or
 *	nothing: one document pretty-printed over many lines, several
 *	documents one after the other, one per line, or arrays of them.
 *	This module finds where each value ends by counting brackets
 *	outside strings, without parsing, and only then has jansson parse
 *	the value's text whole.  A top-level array is not read whole: each
 *	of its elements is a value of its own, so that a webhook batch costs
 *	one element's memory at a time and a batch cut off keeps the
 *	elements before the cut.  A value longer than LW_EVENT_DOC_MAX is
 *	"too-long" and is read through unstored.
 *
 *	Each value is an event object for the ESP's module, or a page of
 *	them: a top-level object whose member esp->list is an array (a
 *	Mailgun events API page's "items", Postmark's "Bounces").  A record
 *	carries the line its event object starts on and its item: its
 *	1-based index in the page or the top-level array it is in, or the
 *	ordinal of its top-level value among those that are not arrays.
 *
 *	Faults, each one record with its reason, reading going on after it:
 *
 *	  bad-json     a value jansson refuses (at the line of the fault it
 *	               names); a value the input ends inside (at the line
 *	               the value starts), or an array it ends inside
 *	               between elements (at its last line), reported once,
 *	               the records read before it kept; octets at the top
 *	               level that start no value, or stray ones between
 *	               the elements of an array, reported once with the
 *	               rest of their line skipped (and the array left)
 *	  too-long     a value over LW_EVENT_DOC_MAX
 *	  bad-utf8     a value that is not UTF-8
 *	  bad-element  a value that is no object (a string, a number, an
 *	               array in an array), or an object the module finds
 *	               to be no event of its format
 *
 *	Under LW_EVENTS_AUTO, ev_doc_detect() reads ahead to the end of the
 *	first value, or of the first element when the input opens with '['
 *	(at most LW_EVENT_PEEK_MAX octets past the first line), and looks
 *	at the member names of that object, as written, matched with case:
 *
 *	  SES       notificationType, eventType, or TopicArn or
 *	            SignatureVersion with Message (an SNS envelope), or
 *	            SuppressedDestinationSummaries (its suppression list)
 *	  Mailgun   event-data, items, log-level, recipient-domain,
 *	            delivery-status
 *	  Postmark  RecordType, Bounces, TypeCode, BouncedAt
 *	  SendGrid  sg_event_id or sg_message_id; in an array, also event
 *	            with email
 *
 *	in that order.  An object that has none of them is our JSON lines
 *	(the generic format, read exactly as before); an array whose first
 *	element has none of them (or that is empty) is read as SendGrid,
 *	the one ESP whose own form is a bare array, so that each element
 *	that is no SendGrid event is reported as a "bad-element".
 *
 * DIAGNOSTICS
 *	LW_ENOMEM, LW_EIO or another negated errno; each is sticky, at the
 *	line it was met on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unistr.h>

#include "listwarden/classify.h"
#include "listwarden/error.h"
#include "listwarden/events.h"
#include "events_int.h"

/* Where the reader is, within a top-level array. */
enum {
	ARRAY_NONE,
	ARRAY_OPEN,		/* after '[': an element or ']' */
	ARRAY_AFTER,		/* after an element: ',' or ']' */
	ARRAY_NEXT		/* after ',': an element (']' let pass) */
};

/* Containers deeper than this are walked through without callbacks. */
#define WALK_DEPTH	64

/* ---- Finding where a value ends ---- */

/* The bracket count of a value being read, outside its strings. */
struct jscan {
	int depth;
	int str, esc;
};

/*
 * jscan_byte - take one octet of a value that opened with '{', '[' or
 * '"' (that octet included); 1 when this octet ended the value
 */
static int
jscan_byte(struct jscan *s, int c)
{
	if (s->str) {
		if (s->esc)
			s->esc = 0;
		else if (c == '\\')
			s->esc = 1;
		else if (c == '"') {
			s->str = 0;
			return s->depth == 0;
		}
		return 0;
	}
	switch (c) {
	case '"':
		s->str = 1;
		break;
	case '{':
	case '[':
		s->depth++;
		break;
	case '}':
	case ']':
		/* A mismatched bracket is jansson's to refuse. */
		return --s->depth == 0;
	}
	return 0;
}

/* is_token - an octet of a number or of true, false, null */
static int
is_token(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

/* ---- Walking JSON text in memory ---- */

/*
 * A callback of jwalk(): a value starts at off, depth containers deep
 * (0 for the outermost), as the member name (name_len octets, escapes
 * as written) or as the element index of its container.  Nonzero stops.
 */
typedef int (*jwalk_fn)(void *arg, int depth, const char *name,
    size_t name_len, size_t index, size_t off);

/* string_end - the offset after the string opening at i, or 0 if cut */
static size_t
string_end(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

/* skip_ws - the offset of the first non-blank octet from i */
static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && ev_is_space((unsigned char)s[i]))
		i++;
	return i;
}

/*
 * jwalk - walk the JSON text s (n octets, perhaps cut short), calling
 * fn for each value's start; stops at the end of the outermost value,
 * at the end of s, at what is no JSON, or when fn asks to
 */
static void
jwalk(const char *s, size_t n, jwalk_fn fn, void *arg)
{
	struct {
		int obj;
		size_t index;
	} st[WALK_DEPTH];
	const char *name = NULL;
	size_t i = 0, k, name_len = 0;
	int depth = 0;
	enum { W_VALUE, W_KEY, W_AFTER } want = W_VALUE;

	for (;;) {
		if ((i = skip_ws(s, n, i)) >= n)
			return;
		switch (want) {
		case W_KEY:
			if (s[i] == '}' && st[depth - 1].index == 0) {
				want = W_AFTER;
				goto close;
			}
			if (s[i] != '"' || (k = string_end(s, n, i)) == 0)
				return;
			name = s + i + 1;
			name_len = k - i - 2;
			if ((i = skip_ws(s, n, k)) >= n || s[i] != ':')
				return;
			i++;
			want = W_VALUE;
			continue;
		case W_VALUE:
			if (s[i] == ']' && depth > 0 && !st[depth - 1].obj &&
			    st[depth - 1].index == 0)
				goto close;
			if (fn(arg, depth, name, name_len,
			    depth > 0 ? st[depth - 1].index : 0, i))
				return;
			name = NULL;
			name_len = 0;
			if (s[i] == '{' || s[i] == '[') {
				if (depth == WALK_DEPTH)
					return;
				st[depth].obj = s[i] == '{';
				st[depth].index = 0;
				want = s[i] == '{' ? W_KEY : W_VALUE;
				depth++;
				i++;
				continue;
			}
			if (s[i] == '"') {
				if ((i = string_end(s, n, i)) == 0)
					return;
			} else {
				k = i;
				while (k < n && is_token((unsigned char)s[k]))
					k++;
				if (k == i)
					return;
				i = k;
			}
			if (depth == 0)
				return;
			want = W_AFTER;
			continue;
		case W_AFTER:
			if (s[i] == ',') {
				st[depth - 1].index++;
				want = st[depth - 1].obj ? W_KEY : W_VALUE;
				i++;
				continue;
			}
			if (s[i] != (st[depth - 1].obj ? '}' : ']'))
				return;
			break;
		}
close:
		/* s[i] closes the innermost container. */
		i++;
		if (--depth == 0)
			return;
		want = W_AFTER;
	}
}

/* Member names that decide the format of an object. */
enum {
	K_NOTIFICATION_TYPE = 1 << 0,
	K_EVENT_TYPE = 1 << 1,
	K_TOPIC_ARN = 1 << 2,
	K_SIGNATURE_VERSION = 1 << 3,
	K_MESSAGE = 1 << 4,
	K_EVENT_DATA = 1 << 5,
	K_ITEMS = 1 << 6,
	K_LOG_LEVEL = 1 << 7,
	K_RECIPIENT_DOMAIN = 1 << 8,
	K_DELIVERY_STATUS = 1 << 9,
	K_RECORD_TYPE = 1 << 10,
	K_BOUNCES = 1 << 11,
	K_TYPE_CODE = 1 << 12,
	K_BOUNCED_AT = 1 << 13,
	K_SG_EVENT_ID = 1 << 14,
	K_SG_MESSAGE_ID = 1 << 15,
	K_EVENT = 1 << 16,
	K_EMAIL = 1 << 17,
	K_SUPPRESSED_DESTINATIONS = 1 << 18
};

static const struct {
	const char *name;
	unsigned bit;
} detect_names[] = {
	{ "notificationType", K_NOTIFICATION_TYPE },
	{ "eventType", K_EVENT_TYPE },
	{ "TopicArn", K_TOPIC_ARN },
	{ "SignatureVersion", K_SIGNATURE_VERSION },
	{ "Message", K_MESSAGE },
	{ "event-data", K_EVENT_DATA },
	{ "items", K_ITEMS },
	{ "log-level", K_LOG_LEVEL },
	{ "recipient-domain", K_RECIPIENT_DOMAIN },
	{ "delivery-status", K_DELIVERY_STATUS },
	{ "RecordType", K_RECORD_TYPE },
	{ "Bounces", K_BOUNCES },
	{ "TypeCode", K_TYPE_CODE },
	{ "BouncedAt", K_BOUNCED_AT },
	{ "sg_event_id", K_SG_EVENT_ID },
	{ "sg_message_id", K_SG_MESSAGE_ID },
	{ "event", K_EVENT },
	{ "email", K_EMAIL },
	{ "SuppressedDestinationSummaries", K_SUPPRESSED_DESTINATIONS },
};

/* What detect_cb() gathers. */
struct detect {
	int array;		/* the outermost value is an array */
	unsigned keys;
};

/* detect_cb - note the names of the members of the first object */
static int
detect_cb(void *arg, int depth, const char *name, size_t name_len,
    size_t index, size_t off)
{
	struct detect *dt = arg;
	size_t i;

	(void)off;
	if (depth == 0)
		return 0;
	if (dt->array && depth == 1)
		return index > 0;	/* the first element is enough */
	if (depth != (dt->array ? 2 : 1) || name == NULL)
		return 0;
	for (i = 0; i < sizeof(detect_names) / sizeof(detect_names[0]); i++)
		if (strlen(detect_names[i].name) == name_len &&
		    memcmp(detect_names[i].name, name, name_len) == 0)
			dt->keys |= detect_names[i].bit;
	return 0;
}

/* detect_format - the format the first object's names say */
static enum lw_events_format
detect_format(const char *s, size_t n)
{
	struct detect dt;
	unsigned k;

	dt.array = n > 0 && s[0] == '[';
	dt.keys = 0;
	jwalk(s, n, detect_cb, &dt);
	k = dt.keys;
	if ((k & (K_NOTIFICATION_TYPE | K_EVENT_TYPE |
	    K_SUPPRESSED_DESTINATIONS)) ||
	    ((k & (K_TOPIC_ARN | K_SIGNATURE_VERSION)) && (k & K_MESSAGE)))
		return LW_EVENTS_SES;
	if (k & (K_EVENT_DATA | K_ITEMS | K_LOG_LEVEL | K_RECIPIENT_DOMAIN |
	    K_DELIVERY_STATUS))
		return LW_EVENTS_MAILGUN;
	if (k & (K_RECORD_TYPE | K_BOUNCES | K_TYPE_CODE | K_BOUNCED_AT))
		return LW_EVENTS_POSTMARK;
	if ((k & (K_SG_EVENT_ID | K_SG_MESSAGE_ID)) ||
	    (dt.array && (k & K_EVENT) && (k & K_EMAIL)))
		return LW_EVENTS_SENDGRID;
	return dt.array ? LW_EVENTS_SENDGRID : LW_EVENTS_JSONL;
}

/* What lines_cb() fills: each element's line of the member key. */
struct lines {
	const char *s;
	const char *key;
	size_t pos;		/* lines counted up to here */
	unsigned long line;
	int in_list;
	unsigned long *lines;
	size_t count;
};

/* lines_cb - the line of each element of the list member */
static int
lines_cb(void *arg, int depth, const char *name, size_t name_len,
    size_t index, size_t off)
{
	struct lines *ln = arg;

	if (depth == 1) {
		ln->in_list = name != NULL && strlen(ln->key) == name_len &&
		    memcmp(ln->key, name, name_len) == 0 &&
		    ln->s[off] == '[';
		return 0;
	}
	if (depth != 2 || !ln->in_list || index >= ln->count)
		return 0;
	for (; ln->pos < off; ln->pos++)
		if (ln->s[ln->pos] == '\n')
			ln->line++;
	ln->lines[index] = ln->line;
	return 0;
}

/* ---- JSON helpers for the modules ---- */

/* ev_json_member - a member of an object */
json_t *
ev_json_member(json_t *obj, const char *key)
{
	return json_is_object(obj) ? json_object_get(obj, key) : NULL;
}

/* ev_json_path - obj.a.b */
json_t *
ev_json_path(json_t *obj, const char *a, const char *b)
{
	json_t *v = ev_json_member(obj, a);

	return b != NULL ? ev_json_member(v, b) : v;
}

/* ev_json_str - a string member's value */
const char *
ev_json_str(json_t *obj, const char *key)
{
	json_t *v = ev_json_member(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ev_json_text - a string, a number or a boolean as text */
const char *
ev_json_text(json_t *v, char *num, size_t *len)
{
	int n;

	if (json_is_string(v)) {
		*len = json_string_length(v);
		return json_string_value(v);
	}
	if (json_is_integer(v))
		n = snprintf(num, EV_NUMBER_MAX, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else if (json_is_real(v))
		n = snprintf(num, EV_NUMBER_MAX, "%.17g", json_real_value(v));
	else if (json_is_boolean(v))
		n = snprintf(num, EV_NUMBER_MAX, "%s",
		    json_is_true(v) ? "true" : "false");
	else
		return NULL;
	if (n <= 0 || n >= EV_NUMBER_MAX)
		return NULL;
	*len = (size_t)n;
	return num;
}

/* ev_doc_set - a field from a string or a number */
void
ev_doc_set(struct ev_doc *d, struct ev_row *row, enum ev_field f, json_t *v)
{
	const char *p;
	size_t len;

	if (json_is_boolean(v))
		return;
	if ((p = ev_json_text(v, d->num[f], &len)) != NULL)
		ev_row_set(row, f, 0, p, len);
}

/* ev_status_of - the enhanced status s holds */
int
ev_status_of(const char *s, char st[16])
{
	char reply[4];
	const char *text;

	if (s == NULL || lw_status_parse(s, reply, st, &text) != 0)
		return 0;
	return st[0] != '\0';
}

/* unspecific - whether the n octets at p are a status "X.0.0" */
static int
unspecific(const char *p, size_t n)
{
	char copy[32], st[16];

	if (n >= sizeof(copy))
		return 0;
	memcpy(copy, p, n);
	copy[n] = '\0';
	return ev_status_of(copy, st) && strcmp(st + 1, ".0.0") == 0;
}

/* ev_doc_codes - status, and the codes text starts with */
void
ev_doc_codes(struct ev_doc *d, struct ev_row *row, json_t *status,
    const char *text)
{
	char reply[4], st[16];
	const char *rest;

	ev_doc_set(d, row, EV_STATUS, status);
	/* Free text that holds no code, or a malformed one, gives none. */
	if (text == NULL || lw_status_parse(text, reply, st, &rest) != 0)
		return;
	if (reply[0] != '\0' && row->val[EV_REPLY] == NULL) {
		memcpy(d->reply, reply, sizeof(reply));
		ev_row_set(row, EV_REPLY, 0, d->reply, strlen(d->reply));
	}
	if (st[0] == '\0')
		return;
	/*
	 * SendGrid and others give "5.0.0" as the status of nearly every
	 * bounce and the server's own code in the text: the specific one
	 * is what the server said.  Any other status given stands.
	 */
	if (row->val[EV_STATUS] != NULL &&
	    (strcmp(st + 1, ".0.0") == 0 ||
	    !unspecific(row->val[EV_STATUS], row->len[EV_STATUS])))
		return;
	memcpy(d->status, st, sizeof(st));
	row->val[EV_STATUS] = d->status;
	row->len[EV_STATUS] = strlen(d->status);
	row->prio[EV_STATUS] = 0;
}

/* ev_doc_reply - a reply code member, when it is a valid one */
void
ev_doc_reply(struct ev_doc *d, struct ev_row *row, json_t *v)
{
	char num[EV_NUMBER_MAX], reply[4], st[16];
	const char *p, *rest;
	size_t len;

	/*
	 * Mailgun gives its own codes (605 "previously bounced") where an
	 * SMTP reply code stands; those are not codes a server said.
	 */
	if ((p = ev_json_text(v, num, &len)) == NULL || len != 3 ||
	    lw_status_parse(p, reply, st, &rest) != 0 || reply[0] == '\0')
		return;
	memcpy(d->reply, reply, sizeof(reply));
	ev_row_set(row, EV_REPLY, 0, d->reply, strlen(d->reply));
}

/* ev_doc_id - an id, and the recipient after it when with is set */
int
ev_doc_id(struct ev_doc *d, struct ev_row *row, json_t *id, json_t *rcpt,
    int with)
{
	char num[EV_NUMBER_MAX], rnum[EV_NUMBER_MAX];
	const char *p, *q;
	size_t len, rlen;

	if ((p = ev_json_text(id, num, &len)) == NULL || json_is_boolean(id))
		return LW_OK;
	d->id.len = 0;
	if (ev_buf_add(&d->id, p, len) != LW_OK)
		return LW_ENOMEM;
	if (with && (q = ev_json_text(rcpt, rnum, &rlen)) != NULL &&
	    (ev_buf_add(&d->id, ":", 1) != LW_OK ||
	    ev_buf_add(&d->id, q, rlen) != LW_OK))
		return LW_ENOMEM;
	ev_row_set(row, EV_EVENT_ID, 0, d->id.data, d->id.len);
	return LW_OK;
}

/* decide - the class and rule of a record, by a table row */
static void
decide(const struct ev_rule *rule, struct lw_event_rec *rec)
{
	struct lw_classify_in in;
	struct lw_classification out;
	enum lw_class cls = rule->cls;
	const char *name = rule->rule;

	if (rule->how == EV_CODES || rule->how == EV_TEMPORARY) {
		/*
		 * "failed" is a type lw_classify() knows and lets the codes
		 * decide; it has no fallback of its own, so that silence
		 * comes back as unknown and the row decides.
		 */
		in.type = "failed";
		in.status = rec->status;
		in.reply = rec->reply;
		in.text = rec->diagnostic;
		lw_classify(&in, &out);
		if (out.cls != LW_CLASS_UNKNOWN &&
		    out.cls != LW_CLASS_DELIVERED &&
		    !(rule->how == EV_TEMPORARY && out.cls == LW_CLASS_HARD)) {
			cls = out.cls;
			name = out.rule;
		}
	}
	rec->type = lw_class_name(cls);
	rec->rule = name;
}

/* ev_doc_finish - a record of the row, its class decided */
int
ev_doc_finish(struct lw_events *r, struct ev_doc *d,
    const struct ev_row *row, const struct ev_rule *rule,
    struct lw_event_rec *rec)
{
	int err;

	if ((err = ev_row_finish(r, row, d->ev_line, rec)) != LW_OK)
		return err;
	rec->item = d->ev_item;
	if (rec->error == NULL && rule != NULL)
		decide(rule, rec);
	return 1;
}

/* ev_doc_error - one record of the event with a reason, and no more */
int
ev_doc_error(struct lw_events *r, struct ev_doc *d, const char *reason,
    json_t *type, struct lw_event_rec *rec)
{
	struct ev_row row;

	ev_row_clear(&row);
	row.error = reason;
	ev_doc_set(d, &row, EV_TYPE, type);
	d->started = 1;
	d->sub = d->nsub = 1;
	return ev_doc_finish(r, d, &row, NULL, rec);
}

/* ---- Reading the stream ---- */

/* ev_is_esp - an ESP format */
int
ev_is_esp(enum lw_events_format format)
{
	return format == LW_EVENTS_SES || format == LW_EVENTS_SENDGRID ||
	    format == LW_EVENTS_MAILGUN || format == LW_EVENTS_POSTMARK;
}

/* replay_put - keep n octets to be read again */
static int
replay_put(struct lw_events *r, const char *p, size_t n)
{
	return ev_buf_add(&r->replay, p, n);
}

/* ev_doc_detect - read the first value ahead, and decide the format */
int
ev_doc_detect(struct lw_events *r, size_t off)
{
	struct jscan js;
	size_t i, first = 0;
	unsigned long line = r->lineno;
	int c, array, ended = 0, prev;
	char ch;

	/* Everything from the first line on is to be read again. */
	if (replay_put(r, r->line, r->line_len) != LW_OK)
		return ev_fail(r, LW_ENOMEM, line);
	memset(&js, 0, sizeof(js));
	array = r->line[off] == '[';
	for (i = off; i < r->line_len && !ended; i++) {
		prev = js.depth;
		ended = jscan_byte(&js, (unsigned char)r->line[i]);
		if (array && !js.str && js.depth == 1 && i > off &&
		    (prev == 2 || r->line[i] == ',' || r->line[i] == ']'))
			ended = 1;
	}
	errno = 0;
	while (!ended && !r->line_long && first < LW_EVENT_PEEK_MAX) {
		/* The replay holds only the first line: read from fp. */
		if ((c = getc_unlocked(r->fp)) == EOF) {
			if (ferror(r->fp))
				return ev_fail(r, errno > 0 ? -errno : LW_EIO,
				    line + 1);
			break;
		}
		if (c == '\n')
			line++;
		prev = js.depth;
		ended = jscan_byte(&js, c);
		if (array && !js.str && js.depth == 1 &&
		    (prev == 2 || c == ',' || c == ']'))
			ended = 1;
		ch = (char)c;
		if (replay_put(r, &ch, 1) != LW_OK)
			return ev_fail(r, LW_ENOMEM, line);
		first++;
	}
	r->format = detect_format(r->replay.data + off, r->replay.len - off);
	r->replay_off = 0;
	r->replay_last = 0;
	r->lineno--;
	r->line_pending = 0;
	return LW_OK;
}

/* ev_doc_start - an ESP format over the input from its first line */
int
ev_doc_start(struct lw_events *r)
{
	static const struct ev_esp *const esps[] = {
		&ev_esp_ses, &ev_esp_sendgrid, &ev_esp_mailgun,
		&ev_esp_postmark,
	};
	struct ev_doc *d;
	size_t i;

	if (r->line_pending) {
		/* Forced: the first line is read again, as a value's start. */
		if (replay_put(r, r->line, r->line_len) != LW_OK)
			return ev_fail(r, LW_ENOMEM, r->lineno);
		r->replay_off = 0;
		r->lineno--;
		r->line_pending = 0;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return ev_fail(r, LW_ENOMEM, r->lineno + 1);
	for (i = 0; i < sizeof(esps) / sizeof(esps[0]); i++)
		if (esps[i]->format == r->format)
			d->esp = esps[i];
	d->line = r->lineno + 1;
	r->doc = d;
	return LW_OK;
}

/* next_byte - the next octet, counting lines; EOF at the end or error */
static int
next_byte(struct lw_events *r, struct ev_doc *d)
{
	int c;

	if ((c = ev_getc(r)) != EOF)
		d->last_line = d->line;
	if (c == '\n')
		d->line++;
	else if (c == EOF && ferror(r->fp) && !r->failed)
		ev_fail(r, errno > 0 ? -errno : LW_EIO, d->line);
	return c;
}

/* put_back - unread the octet read last */
static void
put_back(struct lw_events *r, struct ev_doc *d, int c)
{
	if (c == '\n')
		d->line--;
	ev_ungetc(r, c);
}

/* skip_blank - the next octet that is not white space, or EOF */
static int
skip_blank(struct lw_events *r, struct ev_doc *d)
{
	int c;

	while ((c = next_byte(r, d)) != EOF && ev_is_space(c))
		;
	return c;
}

/* bad - a record of a value, or of octets, that is no event */
static int
bad(struct lw_events *r, const char *reason, unsigned long line,
    unsigned long item, struct lw_event_rec *rec)
{
	struct ev_row row;
	int err;

	ev_row_clear(&row);
	row.error = reason;
	if ((err = ev_row_finish(r, &row, line, rec)) != LW_OK)
		return err;
	rec->item = item;
	return 1;
}

/*
 * garbage - octets that are no JSON value where one was wanted: one
 * record, at line and as item, and the rest of the line skipped (the
 * array it was in left), for there is no telling where a value starts
 */
static int
garbage(struct lw_events *r, struct ev_doc *d, unsigned long line,
    unsigned long item, struct lw_event_rec *rec)
{
	int c;

	if (d->line == line)
		while ((c = next_byte(r, d)) != EOF && c != '\n')
			;
	if (r->failed)
		return r->failed;
	d->array = ARRAY_NONE;
	return bad(r, "bad-json", line, item, rec);
}

/* keep - append an octet of the value, unless it is over the limit */
static int
keep(struct ev_doc *d, int c, int *too_long)
{
	char ch = (char)c;

	if (*too_long)
		return LW_OK;
	if (d->text.len >= LW_EVENT_DOC_MAX) {
		/* Over the limit: read through it, keeping nothing. */
		*too_long = 1;
		free(d->text.data);
		memset(&d->text, 0, sizeof(d->text));
		return LW_OK;
	}
	return ev_buf_add(&d->text, &ch, 1);
}

/*
 * read_text - the text of the value whose first octet is c into d->text;
 * 1 when it ended, 0 when the input ended inside it, or an lw_err
 */
static int
read_text(struct lw_events *r, struct ev_doc *d, int c, int *too_long)
{
	struct jscan js;

	d->text.len = 0;
	*too_long = 0;
	if (c == '{' || c == '[' || c == '"') {
		memset(&js, 0, sizeof(js));
		for (;;) {
			if (keep(d, c, too_long) != LW_OK)
				return ev_fail(r, LW_ENOMEM, d->line);
			if (jscan_byte(&js, c))
				return 1;
			if ((c = next_byte(r, d)) == EOF)
				return r->failed ? r->failed : 0;
		}
	}
	/* A number, true, false, null, or a word that is none of them. */
	while (is_token(c)) {
		if (keep(d, c, too_long) != LW_OK)
			return ev_fail(r, LW_ENOMEM, d->line);
		c = next_byte(r, d);
	}
	if (r->failed)
		return r->failed;
	put_back(r, d, c);
	return 1;
}

/* end_value - release the value read and its page */
static void
end_value(struct ev_doc *d)
{
	json_decref(d->aux);
	d->aux = NULL;
	d->ev = d->obj = d->rcpts = NULL;
	json_decref(d->root);
	d->root = d->list = NULL;
	free(d->lines);
	d->lines = NULL;
	d->list_i = 0;
}

/*
 * read_value - read the next value and set it up as d->root (0), or give
 * a record of what is no value (1), or say the end (0 with d->done), or
 * an lw_err
 */
static int
read_value(struct lw_events *r, struct ev_doc *d, struct lw_event_rec *rec)
{
	struct lines ln;
	json_error_t jerr;
	unsigned long line, item;
	const char *p, *nul;
	json_t *v;
	size_t n;
	int c, got, too_long;

	errno = 0;
	for (;;) {
		c = skip_blank(r, d);
		if (r->failed)
			return r->failed;
		if (c == EOF) {
			d->done = 1;
			/*
			 * An array the input ends inside: reported where
			 * the input ends, after the elements read.
			 */
			if (d->array != ARRAY_NONE)
				return bad(r, "bad-json", d->last_line, 0,
				    rec);
			return 0;
		}
		if (d->array == ARRAY_NONE) {
			if (c != '[')
				break;
			d->array = ARRAY_OPEN;
			d->elems = 0;
		} else if (c == ']')
			/* The array's end (after a ',' too, leniently). */
			d->array = ARRAY_NONE;
		else if (d->array != ARRAY_AFTER)
			break;
		else if (c == ',')
			d->array = ARRAY_NEXT;
		else
			return garbage(r, d, d->line, 0, rec);
	}

	line = d->line;
	if (c != '{' && c != '[' && c != '"' && !is_token(c))
		return garbage(r, d, line, 0, rec);
	if (d->array != ARRAY_NONE) {
		d->array = ARRAY_AFTER;
		item = ++d->elems;
	} else
		item = ++d->values;
	if ((got = read_text(r, d, c, &too_long)) < 0)
		return got;
	if (got == 0) {
		/* Cut off: reported once, at its start; nothing follows. */
		d->done = 1;
		return bad(r, "bad-json", line, item, rec);
	}
	if (too_long)
		return bad(r, "too-long", line, item, rec);
	n = d->text.len;
	if (u8_check((const uint8_t *)d->text.data, n) != NULL)
		return bad(r, "bad-utf8", line, item, rec);
	/*
	 * jansson takes a raw NUL for a blank, but JSON has none (RFC 8259
	 * allows a control character only escaped), and jwalk() stops at
	 * it: bad-json, at the NUL's line.
	 */
	if ((nul = memchr(d->text.data, '\0', n)) != NULL) {
		for (p = d->text.data; p < nul; p++)
			if (*p == '\n')
				line++;
		return bad(r, "bad-json", line, item, rec);
	}
	v = json_loadb(d->text.data, n, JSON_DECODE_ANY | JSON_ALLOW_NUL,
	    &jerr);
	if (v == NULL) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return ev_fail(r, LW_ENOMEM, line);
		/*
		 * A word that is no JSON is no value (and not counted as
		 * one): the rest of its line goes too.
		 */
		if (c != '{' && c != '[' && c != '"') {
			if (d->array != ARRAY_NONE)
				d->elems--;
			else
				d->values--;
			return garbage(r, d, line, 0, rec);
		}
		return bad(r, "bad-json", jerr.line > 0 ?
		    line + (unsigned long)jerr.line - 1 : line, item, rec);
	}
	if (!json_is_object(v)) {
		json_decref(v);
		return bad(r, "bad-element", line, item, rec);
	}
	d->root = v;
	if (d->array == ARRAY_NONE && d->esp->list != NULL &&
	    json_is_array(json_object_get(v, d->esp->list))) {
		/* A page: its elements are the events. */
		d->list = json_object_get(v, d->esp->list);
		d->list_i = 0;
		if ((n = json_array_size(d->list)) > 0) {
			if ((d->lines = calloc(n, sizeof(*d->lines))) == NULL)
				return ev_fail(r, LW_ENOMEM, line);
			memset(&ln, 0, sizeof(ln));
			ln.s = d->text.data;
			ln.key = d->esp->list;
			ln.line = line;
			ln.lines = d->lines;
			ln.count = n;
			jwalk(d->text.data, d->text.len, lines_cb, &ln);
			for (; ln.count > 0; ln.count--)
				if (d->lines[ln.count - 1] == 0)
					d->lines[ln.count - 1] = line;
		}
		return 0;
	}
	d->ev = v;
	d->ev_line = line;
	d->ev_item = item;
	d->started = 0;
	d->sub = d->nsub = 0;
	return 0;
}

/* ev_doc_next - the next record of an ESP format */
int
ev_doc_next(struct lw_events *r, struct lw_event_rec *rec)
{
	struct ev_doc *d = r->doc;
	int got;

	for (;;) {
		if (d->ev != NULL) {
			if ((got = d->esp->next(r, d, rec)) != 0)
				return got;
			/* The event gave all it had. */
			json_decref(d->aux);
			d->aux = NULL;
			d->ev = d->obj = d->rcpts = NULL;
		}
		if (d->list != NULL && d->list_i < json_array_size(d->list)) {
			d->ev = json_array_get(d->list, d->list_i);
			d->ev_item = d->list_i + 1;
			d->ev_line = d->lines[d->list_i];
			d->list_i++;
			d->started = 0;
			d->sub = d->nsub = 0;
			continue;
		}
		end_value(d);
		if (d->done)
			return 0;
		if ((got = read_value(r, d, rec)) != 0)
			return got;
	}
}

/* ev_doc_close - release the JSON reader */
void
ev_doc_close(struct lw_events *r)
{
	struct ev_doc *d = r->doc;

	if (d == NULL)
		return;
	end_value(d);
	free(d->text.data);
	free(d->id.data);
	free(d);
	r->doc = NULL;
}
