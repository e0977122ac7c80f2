/*
 * message.c - one bounce message through GMime, to outcomes
 *
 * NAME
 *	message - walk the MIME tree; read DSN, ARF, auto-replies; decide
 *
 * DESCRIPTION
 *	GMime parses the message (listwarden/mail.h says what it handles).
 *	The walk visits every part down to LW_MAIL_DEPTH_MAX, but does not
 *	enter an enclosed message (message/rfc822): that is the returned
 *	original, whose headers are kept (for its Message-ID, List-Id and
 *	To) and whose words are not the bounce's.  It gathers the
 *	delivery-status and feedback-report parts' contents, the text of
 *	the bounce's own text/plain parts (text/html when there is none),
 *	and the headers that tell an automatic message from a person's.
 *
 *	Then lw_mail_parse() decides, in the order mail.h gives: ARF, DSN,
 *	auto-reply, prose, none.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "listwarden/error.h"
#include "listwarden/events.h"
#include "mail_int.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void
gmime_start(void)
{
	g_mime_init();
}

/* lw_mail_kind_name - a kind's name */
const char *
lw_mail_kind_name(enum lw_mail_kind kind)
{
	static const char *const names[] = { "none", "dsn", "arf",
	    "auto-reply", "prose" };

	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ?
	    names[kind] : "none";
}

/* free_rcpt - one outcome's strings */
static void
free_rcpt(struct lw_mail_rcpt *r)
{
	free(r->recipient);
	free(r->action);
	free(r->status);
	free(r->reply);
	free(r->diagnostic);
	free(r->remote_mta);
	free(r->feedback);
	free(r->context);
}

/* lw_mail_clear - free and zero */
void
lw_mail_clear(struct lw_mail *m)
{
	size_t i;

	for (i = 0; i < m->nrcpt; i++)
		free_rcpt(&m->rcpt[i]);
	free(m->rcpt);
	free(m->message_id);
	free(m->orig_message_id);
	free(m->list);
	free(m->why_not);
	free(m->json);
	memset(m, 0, sizeof(*m));
}

/*
 * trim_addr - drop blanks, angle brackets, a "mailto:", quotes around;
 * the address ends at a NUL, as the string it becomes would
 */
static void
trim_addr(const char **s, size_t *n)
{
	const char *p = *s, *nul;
	size_t k = *n;

	if ((nul = memchr(p, '\0', k)) != NULL)
		k = (size_t)(nul - p);
	for (;;) {
		while (k > 0 && (*p == ' ' || *p == '\t' || *p == '<' ||
		    *p == '"' || *p == '\'' || *p == '(' || *p == '['))
			p++, k--;
		while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\t' ||
		    p[k - 1] == '>' || p[k - 1] == '"' || p[k - 1] == '\'' ||
		    p[k - 1] == '.' || p[k - 1] == ',' || p[k - 1] == ':' ||
		    p[k - 1] == ';' || p[k - 1] == ')' || p[k - 1] == ']'))
			k--;
		if (k > 7 && strncasecmp(p, "mailto:", 7) == 0) {
			p += 7;
			k -= 7;
			continue;
		}
		break;
	}
	*s = p;
	*n = k;
}

/* mail_add_rcpt - the outcome for an address, new or found */
struct lw_mail_rcpt *
mail_add_rcpt(struct lw_mail *m, const char *addr, size_t n)
{
	struct lw_mail_rcpt *r;
	size_t i, cap;

	trim_addr(&addr, &n);
	if (n == 0)
		return NULL;
	for (i = 0; i < m->nrcpt; i++)
		if (strlen(m->rcpt[i].recipient) == n &&
		    strncasecmp(m->rcpt[i].recipient, addr, n) == 0)
			return &m->rcpt[i];
	if (m->nrcpt >= LW_MAIL_RCPT_MAX)
		return NULL;
	if (m->nrcpt == m->cap) {
		cap = m->cap ? m->cap * 2 : 4;
		if ((r = realloc(m->rcpt, cap * sizeof(*r))) == NULL)
			return NULL;
		m->rcpt = r;
		m->cap = cap;
	}
	r = &m->rcpt[m->nrcpt];
	memset(r, 0, sizeof(*r));
	if ((r->recipient = mail_strndup(addr, n)) == NULL)
		return NULL;
	m->nrcpt++;
	return r;
}

/* ---- the walk ---- */

/* add_content - the decoded content of a leaf part */
static void
add_content(GMimePart *part, struct mail_buf *b)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *out;
	GByteArray *arr;

	if (w == NULL)
		return;
	out = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, out);
	arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	if (arr != NULL && arr->len > 0) {
		if (b->len > 0)
			mail_buf_add(b, "\n\n", 2);
		mail_buf_add(b, (const char *)arr->data, arr->len);
	}
	g_object_unref(out);
}

/* add_text - a text part in UTF-8 (GMime converts the charset) */
static void
add_text(GMimeTextPart *part, struct mail_buf *b)
{
	char *t = g_mime_text_part_get_text(part);

	if (t == NULL)
		return;
	if (b->len > 0)
		mail_buf_add(b, "\n", 1);
	mail_buf_add(b, t, strlen(t));
	g_free(t);
}

/* mail_text - the bounce's text and HTML parts, converted on first use */
void
mail_text(struct mail_ctx *c)
{
	int i;

	if (c->text_done)
		return;
	c->text_done = 1;
	for (i = 0; i < c->ntexts; i++)
		add_text(GMIME_TEXT_PART(c->texts[i]), &c->text);
	for (i = 0; i < c->nhtmls; i++)
		add_text(GMIME_TEXT_PART(c->htmls[i]), &c->html);
}

/* keep_headers - an enclosed message's headers, as text */
static void
keep_headers(GMimeObject *obj, struct mail_buf *b)
{
	char *h;

	if (b->len > 0)
		return;		/* the first original is the one */
	if ((h = g_mime_object_get_headers(obj, NULL)) == NULL)
		return;
	mail_buf_add(b, h, strlen(h));
	g_free(h);
}

/* walk - gather from obj and below */
static void
walk(struct mail_ctx *c, GMimeObject *obj, int depth, int *parts)
{
	GMimeContentType *ct;
	int i, n;

	if (obj == NULL || depth > LW_MAIL_DEPTH_MAX ||
	    ++*parts > LW_MAIL_PARTS_MAX)
		return;
	ct = g_mime_object_get_content_type(obj);
	if (GMIME_IS_MULTIPART(obj)) {
		if (ct != NULL && g_mime_content_type_is_type(ct, "multipart",
		    "report")) {
			const char *rt = g_mime_content_type_get_parameter(ct,
			    "report-type");

			if (rt != NULL && strcasecmp(rt,
			    "disposition-notification") == 0)
				c->mdn = 1;
			else
				c->report = 1;
		}
		n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		if (n == 0) {
			/*
			 * No part: the boundary never came (a broken or
			 * rewritten one).  Its text is all there is.
			 */
			const char *pro = g_mime_multipart_get_prologue(
			    GMIME_MULTIPART(obj));

			if (pro != NULL)
				mail_buf_add(&c->text, pro, strlen(pro));
		}
		for (i = 0; i < n; i++)
			walk(c, g_mime_multipart_get_part(GMIME_MULTIPART(obj),
			    i), depth + 1, parts);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		if (m != NULL) {
			keep_headers(GMIME_OBJECT(m), &c->orig);
			if (c->enclosed == NULL)
				c->enclosed = m;
		}
		return;
	}
	if (!GMIME_IS_PART(obj) || ct == NULL)
		return;
	if (g_mime_content_type_is_type(ct, "message", "delivery-status") ||
	    g_mime_content_type_is_type(ct, "message",
	    "global-delivery-status"))
		add_content(GMIME_PART(obj), &c->dsn);
	else if (g_mime_content_type_is_type(ct, "message", "feedback-report"))
		add_content(GMIME_PART(obj), &c->arf);
	else if (g_mime_content_type_is_type(ct, "text", "rfc822-headers") ||
	    g_mime_content_type_is_type(ct, "message", "global-headers")) {
		if (c->orig.len == 0)
			add_content(GMIME_PART(obj), &c->orig);
	} else if (g_mime_content_type_is_type(ct, "text", "plain") &&
	    GMIME_IS_TEXT_PART(obj)) {
		/* An attachment named *.txt may be the original: skip it. */
		if (g_mime_part_is_attachment(GMIME_PART(obj)) &&
		    c->ntexts > 0)
			return;
		/* Converted when read (mail_text()): often it is not. */
		if (c->ntexts < MAIL_TEXTS_MAX)
			c->texts[c->ntexts++] = obj;
	} else if (g_mime_content_type_is_type(ct, "text", "html") &&
	    GMIME_IS_TEXT_PART(obj)) {
		if (c->nhtmls < MAIL_TEXTS_MAX)
			c->htmls[c->nhtmls++] = obj;
	}
	else if (g_mime_content_type_is_type(ct, "message", "rfc822") ||
	    g_mime_content_type_is_type(ct, "text", "rfc822")) {
		/* GMime left it a leaf: the original, as text. */
		if (c->orig.len == 0)
			add_content(GMIME_PART(obj), &c->orig);
	}
}

/* first_addr - the first mailbox of a list, or NULL */
static const char *
first_addr(InternetAddressList *list)
{
	InternetAddress *a;
	int i, n;

	if (list == NULL)
		return NULL;
	n = internet_address_list_length(list);
	for (i = 0; i < n; i++) {
		a = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			return internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(a));
	}
	return NULL;
}

/* dup - a copy of s, or NULL */
static char *
copy_str(const char *s)
{
	return s != NULL ? mail_strndup(s, strlen(s)) : NULL;
}

/* header_has - the header's value holds word, ignoring case */
static int
header_has(GMimeObject *obj, const char *name, const char *word)
{
	const char *v = g_mime_object_get_header(obj, name);

	return v != NULL && strcasestr(v, word) != NULL;
}

/* read_top - what the bounce's own headers say */
static void
read_top(struct mail_ctx *c, GMimeMessage *msg)
{
	static const char *const verp_headers[4] = { "X-Original-To",
	    "Delivered-To", "Envelope-To", "To" };
	GMimeObject *obj = GMIME_OBJECT(msg);
	GDateTime *d;
	const char *v, *at;
	int i;

	c->subject = copy_str(g_mime_message_get_subject(msg));
	c->from = copy_str(first_addr(g_mime_message_get_from(msg)));
	c->to = copy_str(first_addr(g_mime_message_get_to(msg)));
	if (c->from != NULL) {
		at = strchr(c->from, '@');
		c->from_local = mail_strndup(c->from, at ? (size_t)(at -
		    c->from) : strlen(c->from));
		for (i = 0; c->from_local != NULL && c->from_local[i]; i++)
			if (c->from_local[i] >= 'A' && c->from_local[i] <= 'Z')
				c->from_local[i] += 'a' - 'A';
	}
	v = g_mime_object_get_header(obj, "Auto-Submitted");
	c->auto_submitted = v != NULL && strncasecmp(v, "no", 2) != 0;
	c->auto_reply = header_has(obj, "Auto-Submitted", "auto-replied") ||
	    g_mime_object_get_header(obj, "X-Autoreply") != NULL ||
	    g_mime_object_get_header(obj, "X-Autorespond") != NULL ||
	    header_has(obj, "Precedence", "auto_reply") ||
	    header_has(obj, "X-Auto-Response-Suppress", "oof") ||
	    header_has(obj, "X-Autogenerated", "reply");
	v = g_mime_object_get_header(obj, "Return-Path");
	c->null_sender = v != NULL && (strstr(v, "<>") != NULL ||
	    strncasecmp(v + strspn(v, " <"), "mailer-daemon@", 14) == 0);
	c->failed_rcpts = copy_str(g_mime_object_get_header(obj,
	    "X-Failed-Recipients"));
	for (i = 0; i < 4; i++)
		c->verp_to[i] = copy_str(g_mime_object_get_header(obj,
		    verp_headers[i]));
	if ((d = g_mime_message_get_date(msg)) != NULL) {
		c->date = g_date_time_to_unix(d);
		c->has_date = 1;
	}
}

/* ctx_free - what the walk gathered */
static void
ctx_free(struct mail_ctx *c)
{
	int i;

	mail_buf_free(&c->dsn);
	mail_buf_free(&c->arf);
	mail_buf_free(&c->text);
	mail_buf_free(&c->html);
	mail_buf_free(&c->orig);
	mail_buf_free(&c->words);
	mail_buf_free(&c->low);
	free(c->subject);
	free(c->from);
	free(c->from_local);
	free(c->to);
	free(c->failed_rcpts);
	for (i = 0; i < 4; i++)
		free(c->verp_to[i]);
}

/* ---- DSN and ARF ---- */

/* set - *dst becomes a trimmed copy of f's value, if it has none */
static int
set(char **dst, const struct mail_field *f)
{
	if (*dst != NULL)
		return LW_OK;
	if ((*dst = mail_strndup(f->value, f->value_len)) == NULL)
		return LW_ENOMEM;
	return LW_OK;
}

/* typed - the address of a typed field, "rfc822; a@b": its value part */
static void
typed(const struct mail_field *f, const char **v, size_t *n)
{
	const char *semi = memchr(f->value, ';', f->value_len);

	*v = f->value;
	*n = f->value_len;
	if (semi != NULL) {
		*n -= (size_t)(semi + 1 - f->value);
		*v = semi + 1;
	}
}

/* A DSN recipient block as read, before it becomes an outcome. */
struct block {
	const char *final, *orig;
	size_t final_len, orig_len;
	char *action, *status, *diag, *mta, *when;
	int second;			/* the original of a final one */
};

static void
block_free(struct block *b)
{
	free(b->action);
	free(b->status);
	free(b->diag);
	free(b->mta);
	free(b->when);
	memset(b, 0, sizeof(*b));
}

/* lower - ASCII lower case in place */
static void
lower(char *s)
{
	for (; s != NULL && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s += 'a' - 'A';
}

/*
 * status_code - the enhanced code a Status value starts with ("5.1.1
 * (user unknown)" -> "5.1.1"), cut in place; "" when it holds none
 */
static void
status_code(char *s)
{
	char reply[4], st[16];
	const char *text;

	if (s == NULL)
		return;
	if (lw_status_parse(s, reply, st, &text) != 0 || st[0] == '\0')
		s[0] = '\0';
	else
		memcpy(s, st, strlen(st) + 1);
}

/* set_time - an outcome's time from a date field's text */
static void
set_time(struct lw_mail_rcpt *r, const char *when)
{
	int64_t t;

	if (when != NULL && lw_time_parse(when, &t) == 0) {
		r->time = t;
		r->has_time = 1;
	}
}

/* take - move *src into *dst when dst has none */
static void
take(char **dst, char **src)
{
	if (*dst == NULL && *src != NULL && **src != '\0') {
		*dst = *src;
		*src = NULL;
	}
}

/* trim_lead - skip blanks and an opening angle bracket */
static void
trim_lead(const char **a, size_t *n)
{
	while (*n > 0 && (**a == ' ' || **a == '\t' || **a == '<')) {
		(*a)++;
		(*n)--;
	}
}

/* same_text - two addresses equal, ignoring case, "<>" and blanks */
static int
same_text(const char *a, size_t an, const char *b, size_t bn)
{
	trim_lead(&a, &an);
	trim_lead(&b, &bn);
	while (an > 0 && (a[an - 1] == '>' || a[an - 1] == ' '))
		an--;
	while (bn > 0 && (b[bn - 1] == '>' || b[bn - 1] == ' '))
		bn--;
	return an == bn && strncasecmp(a, b, an) == 0;
}

/* usable - an address with a local part and a domain */
static int
usable(const char *a, size_t n)
{
	const char *at;

	if (a == NULL)
		return 0;
	trim_lead(&a, &n);
	at = memchr(a, '@', n);
	return at != NULL && at > a && at + 1 < a + n &&
	    memchr(a, ':', n) == NULL && memchr(a, ' ', n) == NULL;
}

/*
 * utf8_address - undo RFC 6533's "\x{E9}" escapes of a utf-8 address
 * type, in place
 */
static void
utf8_address(char *s)
{
	char *o = s, *end;
	unsigned long cp;

	while (*s) {
		if (s[0] == '\\' && s[1] == 'x' && s[2] == '{' &&
		    (cp = strtoul(s + 3, &end, 16), *end == '}') &&
		    cp > 0 && cp <= 0x10ffff && end > s + 3) {
			if (cp < 0x80)
				*o++ = (char)cp;
			else if (cp < 0x800) {
				*o++ = (char)(0xc0 | (cp >> 6));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				*o++ = (char)(0xe0 | (cp >> 12));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else {
				*o++ = (char)(0xf0 | (cp >> 18));
				*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp & 0x3f));
			}
			s = end + 1;
		} else
			*o++ = *s++;
	}
	*o = '\0';
}

/* flush - a finished recipient block becomes an outcome */
static int
flush(struct lw_mail *m, struct block *b, const char *arrival)
{
	struct lw_mail_rcpt *r;
	const char *a = b->final;
	size_t n = b->final_len;
	char *u = NULL;

	/*
	 * The final recipient is the mailbox that failed; the address the
	 * sender gave (Original-Recipient, RFC 3464 2.3.1) is the one on
	 * the sender's list when an alias or a forward came between, and
	 * suppressing the final one alone would not stop the next send.
	 * So both get the outcome when they differ: the original as a
	 * second block with the same fields.
	 */
	if (!usable(a, n)) {
		a = b->orig;
		n = b->orig_len;
	} else if (usable(b->orig, b->orig_len) && !same_text(a, n, b->orig,
	    b->orig_len) && !b->second) {
		struct block o = *b;
		int err;

		o.final = b->orig;
		o.final_len = b->orig_len;
		o.orig = NULL;
		o.second = 1;
		o.action = b->action ? mail_strndup(b->action,
		    strlen(b->action)) : NULL;
		o.status = b->status ? mail_strndup(b->status,
		    strlen(b->status)) : NULL;
		o.diag = b->diag ? mail_strndup(b->diag, strlen(b->diag)) :
		    NULL;
		o.mta = b->mta ? mail_strndup(b->mta, strlen(b->mta)) : NULL;
		o.when = b->when ? mail_strndup(b->when, strlen(b->when)) :
		    NULL;
		b->orig = NULL;
		if ((err = flush(m, b, arrival)) != LW_OK) {
			block_free(&o);
			return err;
		}
		return flush(m, &o, arrival);
	}
	if (a == NULL || n == 0) {
		block_free(b);
		return LW_OK;
	}
	if (memmem(a, n, "\\x{", 3) != NULL) {
		if ((u = mail_strndup(a, n)) == NULL) {
			block_free(b);
			return LW_ENOMEM;
		}
		utf8_address(u);
		a = u;
		n = strlen(u);
	}
	/* Nothing but blanks and brackets is no recipient, and no error. */
	trim_addr(&a, &n);
	r = n > 0 ? mail_add_rcpt(m, a, n) : NULL;
	free(u);
	if (r == NULL) {
		block_free(b);
		return n == 0 || m->nrcpt >= LW_MAIL_RCPT_MAX ? LW_OK :
		    LW_ENOMEM;
	}
	if (r->action != NULL) {
		/* The same address twice: a failure outranks the rest. */
		if (b->action == NULL || strcmp(b->action, "failed") != 0 ||
		    strcmp(r->action, "failed") == 0) {
			block_free(b);
			return LW_OK;
		}
		free(r->action);
		free(r->status);
		free(r->diagnostic);
		r->action = r->status = r->diagnostic = NULL;
	}
	status_code(b->status);
	take(&r->action, &b->action);
	take(&r->status, &b->status);
	take(&r->diagnostic, &b->diag);
	take(&r->remote_mta, &b->mta);
	set_time(r, b->when != NULL ? b->when : arrival);
	block_free(b);
	return LW_OK;
}

/* read_dsn - the recipient blocks of the delivery-status text */
static int
read_dsn(struct mail_ctx *c, struct lw_mail *m)
{
	struct mail_buf tmp = { 0 };
	struct mail_field f = { 0 };
	struct block b = { 0 };
	const char *p = c->dsn.p, *end = c->dsn.p + c->dsn.len, *v;
	char *arrival = NULL;
	int block = 0, err = LW_OK;
	size_t n;

	/* Field values point into tmp: copy what a block keeps. */
	struct mail_buf fin = { 0 }, org = { 0 };

	while (err == LW_OK && mail_fields_next(&p, end, &tmp, &f)) {
		/*
		 * A recipient's time: its Last-Attempt-Date, else the
		 * bounce's Date (taken later), else the report's
		 * Arrival-Date, when the message arrived, which is earlier.
		 */
		if (c->has_date && arrival != NULL) {
			free(arrival);
			arrival = NULL;
		}
		if (f.block != block) {
			if (b.final != NULL || b.orig != NULL)
				err = flush(m, &b, arrival);
			block_free(&b);
			fin.len = org.len = 0;
			block = f.block;
		}
		if (mail_field_is(&f, "Final-Recipient") ||
		    mail_field_is(&f, "X-Actual-Recipient")) {
			if (b.final != NULL && mail_field_is(&f,
			    "X-Actual-Recipient"))
				continue;
			/* Blocks run together: a second recipient starts. */
			if (b.final != NULL) {
				err = flush(m, &b, arrival);
				org.len = 0;
				if (err != LW_OK)
					break;
			}
			typed(&f, &v, &n);
			fin.len = 0;
			mail_buf_add(&fin, v, n);
			b.final = fin.p;
			b.final_len = fin.len;
		} else if (mail_field_is(&f, "Original-Recipient")) {
			typed(&f, &v, &n);
			org.len = 0;
			mail_buf_add(&org, v, n);
			b.orig = org.p;
			b.orig_len = org.len;
		} else if (mail_field_is(&f, "Action"))
			err = set(&b.action, &f);
		else if (mail_field_is(&f, "Status"))
			err = set(&b.status, &f);
		else if (mail_field_is(&f, "Diagnostic-Code"))
			err = set(&b.diag, &f);
		else if (mail_field_is(&f, "Remote-MTA"))
			err = set(&b.mta, &f);
		else if (mail_field_is(&f, "Last-Attempt-Date"))
			err = set(&b.when, &f);
		else if (mail_field_is(&f, "Arrival-Date") && arrival == NULL &&
		    !c->has_date)
			err = set(&arrival, &f);
		lower(b.action);
	}
	if (err == LW_OK && (b.final != NULL || b.orig != NULL))
		err = flush(m, &b, arrival);
	block_free(&b);
	free(arrival);
	mail_buf_free(&tmp);
	mail_buf_free(&fin);
	mail_buf_free(&org);
	if (fin.err || org.err || tmp.err)
		err = LW_ENOMEM;
	return err;
}

/* orig_to - the To of the returned message, from its headers */
static int
orig_field(struct mail_ctx *c, const char *name, struct mail_buf *out)
{
	return c->orig.len > 0 && mail_field_get(c->orig.p, c->orig.len,
	    name, out);
}

/* add_from_header - an outcome for each address in a header value */
static struct lw_mail_rcpt *
add_from_header(struct lw_mail *m, const char *value)
{
	InternetAddressList *list;
	struct lw_mail_rcpt *r = NULL;
	const char *a;

	if (value == NULL)
		return NULL;
	if ((list = internet_address_list_parse(NULL, value)) == NULL)
		return NULL;
	if ((a = first_addr(list)) != NULL && strchr(a, '@') != NULL)
		r = mail_add_rcpt(m, a, strlen(a));
	g_object_unref(list);
	return r;
}

/* read_arf - a feedback report: one complaint (or unsubscribe) */
static int
read_arf(struct mail_ctx *c, struct lw_mail *m)
{
	struct mail_buf tmp = { 0 }, type = { 0 };
	struct mail_field f = { 0 };
	struct lw_mail_rcpt *r = NULL;
	const char *p = c->arf.p, *end = c->arf.p + c->arf.len;
	char *when = NULL;
	int err = LW_OK;
	size_t i;

	/* One report may name several recipients of one message. */
	while (mail_fields_next(&p, end, &tmp, &f)) {
		if (mail_field_is(&f, "Original-Rcpt-To")) {
			struct lw_mail_rcpt *o = mail_add_rcpt(m, f.value,
			    f.value_len);

			if (r == NULL)
				r = o;
		} else if (mail_field_is(&f, "Feedback-Type") && type.len == 0)
			mail_buf_add(&type, f.value, f.value_len);
		else if (mail_field_is(&f, "Arrival-Date") && when == NULL)
			when = mail_strndup(f.value, f.value_len);
		else if (mail_field_is(&f, "Received-Date") && when == NULL)
			when = mail_strndup(f.value, f.value_len);
	}
	if (r == NULL && orig_field(c, "To", &tmp))
		r = add_from_header(m, tmp.p);
	for (i = 0; i < m->nrcpt; i++) {
		r = &m->rcpt[i];
		if (type.len > 0 && (r->feedback = mail_strndup(type.p,
		    type.len)) == NULL)
			err = LW_ENOMEM;
		lower(r->feedback);
		if (r->feedback != NULL && (strcmp(r->feedback, "opt-out") ==
		    0 || strcmp(r->feedback, "opt-out-list") == 0)) {
			r->cls = LW_CLASS_UNSUBSCRIBE;
			r->rule = "arf-opt-out";
		} else if (r->feedback != NULL && strcmp(r->feedback,
		    "not-spam") == 0) {
			r->cls = LW_CLASS_DELIVERED;
			r->rule = "arf-not-spam";
		} else {
			r->cls = LW_CLASS_COMPLAINT;
			r->rule = "arf-feedback-report";
		}
		set_time(r, when);
	}
	free(when);
	mail_buf_free(&tmp);
	mail_buf_free(&type);
	return err;
}

/* ---- deciding ---- */


/* The SMTP command a refusal answered, as far as the words say. */
enum { STAGE_UNKNOWN, STAGE_RCPT, STAGE_DATA };

/* stage - which command the text says the server refused */
static int
stage(const char *text)
{
	static const char *const rcpt[] = { "rcpt to", "rcpt command",
	    "after rcpt", "does not like recipient", "recipient address "
	    "rejected", "rcpt:" };
	static const char *const data[] = { "end of data", "after data",
	    "data command", "in reply to data" };
	size_t i;

	if (text == NULL)
		return STAGE_UNKNOWN;
	for (i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		if (strcasestr(text, data[i]) != NULL)
			return STAGE_DATA;
	for (i = 0; i < sizeof(rcpt) / sizeof(rcpt[0]); i++)
		if (strcasestr(text, rcpt[i]) != NULL)
			return STAGE_RCPT;
	return STAGE_UNKNOWN;
}

/*
 * classify - an outcome's class from its action, codes and text; an
 * outcome already decided (ARF, auto-reply) is left as it is
 */
static void
classify(struct lw_mail_rcpt *r)
{
	struct lw_classify_in in;
	struct lw_classification out;
	char reply[4], st[16];

	if (r->rule != NULL)
		return;
	/* The diagnostic's codes: a reply code, a more specific status. */
	if (r->diagnostic != NULL && lw_status_find(r->diagnostic, reply, st)) {
		if (r->reply == NULL && reply[0] != '\0')
			r->reply = mail_strndup(reply, strlen(reply));
		if (st[0] != '\0' && (r->status == NULL || (r->status[0] !=
		    '\0' && strcmp(r->status + 1, ".0.0") == 0 &&
		    st[0] == r->status[0]))) {
			free(r->status);
			r->status = mail_strndup(st, strlen(st));
		}
	}
	if (r->status != NULL && r->status[0] == '\0') {
		free(r->status);
		r->status = NULL;
	}
	if (r->action != NULL && (strcmp(r->action, "delivered") == 0 ||
	    strcmp(r->action, "relayed") == 0 ||
	    strcmp(r->action, "expanded") == 0)) {
		r->cls = LW_CLASS_DELIVERED;
		r->rule = "dsn-action-delivered";
		return;
	}
	memset(&in, 0, sizeof(in));
	in.status = r->status;
	in.reply = r->reply;
	in.text = r->diagnostic;
	lw_classify(&in, &out);
	/*
	 * Codes alone, or nothing, decided: the bounce's own words about
	 * the recipient may say more than the server's reply did
	 * ("refused to talk to me" around a bare "421").
	 */
	if (r->context != NULL && (out.cls == LW_CLASS_UNKNOWN ||
	    strncmp(out.rule, "reply-", 6) == 0 ||
	    strcmp(out.rule, "status-4.0-temporary") == 0)) {
		struct lw_classification alt;

		in.text = r->context;
		lw_classify(&in, &alt);
		if (strncmp(alt.rule, "text-", 5) == 0)
			out = alt;
		in.text = r->diagnostic;
	}
	r->cls = out.cls;
	r->rule = out.rule;
	if (out.cls == LW_CLASS_HARD && strncmp(out.rule, "text-", 5) == 0 &&
	    strcmp(out.rule, "text-domain-not-found") != 0 &&
	    (r->status == NULL || strncmp(r->status, "5.1.", 4) != 0) &&
	    (stage(r->diagnostic) == STAGE_DATA ||
	    (stage(r->diagnostic) == STAGE_UNKNOWN &&
	    stage(r->context) == STAGE_DATA))) {
		r->cls = LW_CLASS_SOFT;
		r->rule = "mail-unknown-user-after-data";
	}
	if (r->action != NULL && strcmp(r->action, "delayed") == 0 &&
	    (out.cls == LW_CLASS_HARD || out.cls == LW_CLASS_UNKNOWN ||
	    out.cls == LW_CLASS_DELIVERED)) {
		/*
		 * A delay is a temporary failure: never proof of a dead
		 * box.  Said of the mailbox, soft; else the way there.
		 */
		r->cls = out.cls == LW_CLASS_HARD ? LW_CLASS_SOFT :
		    LW_CLASS_TECHNICAL;
		r->rule = "dsn-action-delayed";
	} else if (out.cls == LW_CLASS_DELIVERED && r->action != NULL &&
	    strcmp(r->action, "failed") == 0) {
		r->cls = LW_CLASS_UNKNOWN;
		r->rule = "dsn-failed-with-success-code";
	}
}

/*
 * open_verdict - an outcome of a DSN that the bounce's words may change:
 * no diagnostic, nothing or codes alone decided, or a dead address said
 * in words only (which after DATA is soft)
 */
static int
open_verdict(const struct lw_mail_rcpt *r)
{
	if (r->context != NULL || r->cls == LW_CLASS_DELIVERED)
		return 0;
	return r->diagnostic == NULL || r->cls == LW_CLASS_UNKNOWN ||
	    strncmp(r->rule, "reply-", 6) == 0 ||
	    strcmp(r->rule, "status-4.0-temporary") == 0 ||
	    (r->cls == LW_CLASS_HARD && strncmp(r->rule, "text-", 5) == 0);
}

/* verp - an outcome for the recipient the bounce's own address encodes */
static struct lw_mail_rcpt *
verp(struct mail_ctx *c, struct lw_mail *m)
{
	char out[512];
	int i;

	if (c->opts == NULL || c->opts->verp == NULL)
		return NULL;
	for (i = 0; i < 4; i++) {
		struct mail_buf b = { 0 };
		const char *v = c->verp_to[i];
		InternetAddressList *list;
		const char *a = NULL;

		if (v == NULL)
			continue;
		if ((list = internet_address_list_parse(NULL, v)) != NULL)
			a = first_addr(list);
		mail_buf_add(&b, a != NULL ? a : v, strlen(a != NULL ? a : v));
		if (list != NULL)
			g_object_unref(list);
		if (b.p != NULL && lw_verp_decode(c->opts->verp, b.p, out,
		    sizeof(out))) {
			mail_buf_free(&b);
			return mail_add_rcpt(m, out, strlen(out));
		}
		mail_buf_free(&b);
	}
	return NULL;
}

/* auto_reply - one auto-reply outcome for the bounce's sender */
static int
auto_reply(struct mail_ctx *c, struct lw_mail *m)
{
	struct lw_mail_rcpt *r;

	if (c->from == NULL || strchr(c->from, '@') == NULL)
		return 0;
	if ((r = mail_add_rcpt(m, c->from, strlen(c->from))) == NULL)
		return LW_ENOMEM;
	r->cls = LW_CLASS_AUTO_REPLY;
	r->rule = "rfc3834-auto-reply";
	if (c->subject != NULL)
		r->diagnostic = copy_str(c->subject);
	m->kind = LW_MAIL_AUTO_REPLY;
	m->how = "auto-reply";
	return 1;
}

/* orig_ids - the returned message's Message-ID and list tag */
static void
orig_ids(struct mail_ctx *c, struct lw_mail *m)
{
	static const char *const tags[] = { "List-Id", "X-Campaign",
	    "X-Campaign-Id", "X-Mailgun-Tag", "X-Listwarden-List" };
	struct mail_buf b = { 0 };
	size_t i, k;

	if (orig_field(c, "Message-ID", &b)) {
		const char *p = b.p;

		k = b.len;
		trim_addr(&p, &k);
		m->orig_message_id = mail_strndup(p, k);
	}
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]) && m->list == NULL;
	    i++)
		if (orig_field(c, tags[i], &b))
			m->list = mail_strndup(b.p, b.len);
	mail_buf_free(&b);
}

/* not_bounce - say why the message is none */
static int
not_bounce(struct lw_mail *m, const char *why)
{
	m->kind = LW_MAIL_NONE;
	m->how = "none";
	return (m->why_not = copy_str(why)) != NULL ? LW_OK : LW_ENOMEM;
}

/*
 * json_text - m->json: the text's first JSON object, when the text is
 * one (blanks before it; anything after it, such as SNS's "--" and
 * unsubscribe link, is left out)
 */
static int
json_text(struct mail_ctx *c, struct lw_mail *m)
{
	const char *p, *end;
	int depth = 0, in_str = 0;

	mail_text(c);
	if (c->text.p == NULL)		/* no text at all */
		return LW_OK;
	p = c->text.p;
	end = p + c->text.len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	if (p == end || *p != '{')
		return LW_OK;
	for (end = p; end < c->text.p + c->text.len; end++) {
		if (in_str) {
			if (*end == '\\' && end + 1 < c->text.p + c->text.len)
				end++;
			else if (*end == '"')
				in_str = 0;
		} else if (*end == '"')
			in_str = 1;
		else if (*end == '{')
			depth++;
		else if (*end == '}' && --depth == 0)
			break;
	}
	if (depth != 0)
		return LW_OK;
	if ((m->json = mail_strndup(p, (size_t)(end + 1 - p))) == NULL)
		return LW_ENOMEM;
	return LW_OK;
}

/* dsn_in_text - the text holds delivery-status fields at line starts */
static int
dsn_in_text(const struct mail_buf *t)
{
	const char *p = t->p, *end = t->p + t->len;

	while ((p = memmem(p, (size_t)(end - p), "Final-Recipient:", 16)) !=
	    NULL) {
		if (p == t->p || p[-1] == '\n')
			return memmem(t->p, t->len, "\nAction:", 8) != NULL ||
			    memmem(t->p, t->len, "\nStatus:", 8) != NULL;
		p += 16;
	}
	return 0;
}

/* decide - what the gathered parts make of the message */
static int
decide(struct mail_ctx *c, struct lw_mail *m)
{
	char reopen[LW_MAIL_RCPT_MAX];
	size_t i;
	int got, err;

	if (c->arf.len > 0) {
		if ((err = read_arf(c, m)) != LW_OK)
			return err;
		if (m->nrcpt > 0) {
			m->kind = LW_MAIL_ARF;
			m->how = "arf";
			return LW_OK;
		}
		if (verp(c, m) != NULL) {
			m->rcpt[0].cls = LW_CLASS_COMPLAINT;
			m->rcpt[0].rule = "arf-feedback-report";
			m->kind = LW_MAIL_ARF;
			m->how = "arf";
			return LW_OK;
		}
		return not_bounce(m, "a feedback report that names no "
		    "recipient");
	}
	/* A report whose MIME is broken: its fields in the text. */
	if (c->dsn.len == 0)
		mail_text(c);
	if (c->dsn.len == 0 && c->text.len > 0 && dsn_in_text(&c->text))
		mail_buf_add(&c->dsn, c->text.p, c->text.len);
	if (c->dsn.len > 0) {
		if ((err = read_dsn(c, m)) != LW_OK)
			return err;
		if (m->nrcpt > 0) {
			m->kind = LW_MAIL_DSN;
			m->how = "dsn";
			for (i = 0; i < m->nrcpt; i++)
				classify(&m->rcpt[i]);
			/*
			 * The bounce's words may say more than a bare DSN:
			 * read for the outcomes the fields left open.
			 */
			for (i = 0, got = 0; i < m->nrcpt; i++)
				got += reopen[i] = open_verdict(&m->rcpt[i]);
			if (got == 0)
				return LW_OK;
			if ((got = mail_prose(c, m)) < 0)
				return got;
			for (i = 0; i < m->nrcpt; i++)
				if (reopen[i]) {
					m->rcpt[i].rule = NULL;
					classify(&m->rcpt[i]);
				}
			return LW_OK;
		}
	}
	if (c->mdn)
		return not_bounce(m, "a read receipt (disposition "
		    "notification), not a bounce");
	/*
	 * Complaints that are not ARF: Microsoft's JMRP sends the message
	 * complained of, enclosed, under this subject.
	 */
	if (c->subject != NULL && strcasestr(c->subject,
	    "complaint about message from") != NULL && c->orig.len > 0) {
		struct mail_buf b = { 0 };
		struct lw_mail_rcpt *r = NULL;

		if (orig_field(c, "To", &b))
			r = add_from_header(m, b.p);
		mail_buf_free(&b);
		if (r != NULL) {
			r->cls = LW_CLASS_COMPLAINT;
			r->rule = "jmrp-complaint";
			m->kind = LW_MAIL_ARF;
			m->how = "jmrp";
			return LW_OK;
		}
	}
	if (c->auto_reply && !mail_prose_bounce_like(c) &&
	    (got = auto_reply(c, m)) != 0)
		return got < 0 ? LW_ENOMEM : LW_OK;
	if ((got = mail_prose(c, m)) < 0)
		return got;
	if (got > 0) {
		if (m->nrcpt == 0 && verp(c, m) == NULL && c->orig.len > 0) {
			struct mail_buf b = { 0 };

			if (orig_field(c, "To", &b))
				add_from_header(m, b.p);
			mail_buf_free(&b);
		}
		/*
		 * No recipient, but an automatic reply by its looks, and
		 * not from a bounce agent (bounces say Auto-Submitted too).
		 */
		if (m->nrcpt == 0 && !mail_prose_from_agent(c) &&
		    (c->auto_submitted ||
		    mail_auto_reply_subject(c->subject)) &&
		    (got = auto_reply(c, m)) != 0)
			return got < 0 ? LW_ENOMEM : LW_OK;
		if (m->nrcpt == 0)
			return not_bounce(m, "a bounce that names no recipient "
			    "(give --verp if the bounce address encodes it)");
		m->kind = LW_MAIL_PROSE;
		for (i = 0; i < m->nrcpt; i++) {
			struct lw_mail_rcpt *r = &m->rcpt[i];

			/* Named by a header, VERP or the original: the reason. */
			if (r->diagnostic == NULL || r->diagnostic[0] == '\0') {
				free(r->diagnostic);
				r->diagnostic = mail_prose_reason(c);
			}
			if (r->action == NULL && (r->action = copy_str(
			    mail_prose_action(c))) == NULL)
				return LW_ENOMEM;
			classify(r);
		}
		return LW_OK;
	}
	if ((c->auto_submitted || c->auto_reply ||
	    mail_auto_reply_subject(c->subject)) &&
	    (got = auto_reply(c, m)) != 0)
		return got < 0 ? LW_ENOMEM : LW_OK;
	if ((err = json_text(c, m)) != LW_OK)
		return err;
	return not_bounce(m, m->json != NULL ? "a JSON document, not an "
	    "ESP's notification" : "no delivery status, feedback report or "
	    "bounce text");
}

/* unix_line_ends - a copy with lone CRs made LFs, or NULL if none */
static char *
unix_line_ends(const char *p, size_t n)
{
	const char *cr = memchr(p, '\r', n);
	char *q;
	size_t i;

	if (cr == NULL || ((size_t)(cr - p) + 1 < n && cr[1] == '\n'))
		return NULL;	/* none, or CRLF: GMime reads both */
	if ((q = malloc(n ? n : 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		q[i] = p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n') ?
		    '\n' : p[i];
	return q;
}

/*
 * parse_message - gather from msg and decide; a message that is none
 * but encloses one (a bounce forwarded, or returned inside another) is
 * judged by the enclosed one, down to 2 levels
 */
static int
parse_message(GMimeMessage *msg, const struct lw_mail_opts *o,
    struct lw_mail *m, int depth)
{
	struct mail_ctx c;
	struct lw_mail inner;
	int parts = 0, err;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.opts = o;
	read_top(&c, msg);
	walk(&c, g_mime_message_get_mime_part(msg), 0, &parts);
	m->message_id = copy_str(g_mime_message_get_message_id(msg));
	orig_ids(&c, m);
	err = decide(&c, m);
	for (i = 0; err == LW_OK && i < m->nrcpt; i++)
		if (!m->rcpt[i].has_time && c.has_date) {
			m->rcpt[i].time = c.date;
			m->rcpt[i].has_time = 1;
		}
	if (c.dsn.err || c.arf.err || c.text.err || c.html.err || c.orig.err)
		err = LW_ENOMEM;
	/*
	 * A bounce in words only, or none, that encloses a report: the
	 * enclosed one is the bounce (forwarded, or returned again).
	 */
	if (err == LW_OK && (m->kind == LW_MAIL_NONE ||
	    m->kind == LW_MAIL_PROSE) && c.enclosed != NULL && depth < 2) {
		memset(&inner, 0, sizeof(inner));
		err = parse_message(c.enclosed, o, &inner, depth + 1);
		if (err == LW_OK && (inner.kind == LW_MAIL_DSN ||
		    inner.kind == LW_MAIL_ARF || (m->kind == LW_MAIL_NONE &&
		    inner.kind != LW_MAIL_NONE))) {
			lw_mail_clear(m);
			*m = inner;
		} else
			lw_mail_clear(&inner);
	}
	ctx_free(&c);
	return err;
}

/*
 * bounded - the length of the message's start that GMime may build
 * objects for (mail.h, LIMITS): n, or less
 */
static size_t
bounded(const char *p, size_t n)
{
	const char *line = p, *end = p + n, *nl;
	size_t dashes = 0, fields = 0, i;

	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if (nl - line >= 2 && line[0] == '-' && line[1] == '-') {
			if (++dashes > LW_MAIL_BOUNDARIES_MAX)
				return (size_t)(line - p);
		} else if (nl > line && ((*line >= 'A' && *line <= 'Z') ||
		    (*line >= 'a' && *line <= 'z'))) {
			for (i = 1; line + i < nl && ((line[i] >= 'A' &&
			    line[i] <= 'Z') || (line[i] >= 'a' && line[i] <= 'z') ||
			    (line[i] >= '0' && line[i] <= '9') ||
			    line[i] == '-'); i++)
				;
			if (line + i < nl && line[i] == ':' &&
			    ++fields > LW_MAIL_FIELDS_MAX)
				return (size_t)(line - p);
		}
		if (nl == end)
			break;
	}
	return n;
}

/* lw_mail_parse - one message */
int
lw_mail_parse(const void *buf, size_t len, const struct lw_mail_opts *o,
    struct lw_mail *m)
{
	GMimeStream *st;
	GMimeParser *parser;
	GMimeMessage *msg;
	char *fixed;
	int err;

	pthread_once(&gmime_once, gmime_start);
	lw_mail_clear(m);
	/* Bounded after the line ends are made LF: GMime reads CR as one. */
	fixed = unix_line_ends(buf, len);
	len = bounded(fixed ? fixed : buf, len);
	st = g_mime_stream_mem_new_with_buffer(fixed ? fixed : buf, len);
	free(fixed);
	parser = g_mime_parser_new_with_stream(st);
	g_object_unref(st);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	if (msg == NULL)
		return not_bounce(m, "not a message (no headers)");
	err = parse_message(msg, o, m, 0);
	g_object_unref(msg);
	return err;
}
