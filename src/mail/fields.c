/*
 * fields.c - header-style fields: DSN and ARF blocks, enclosed headers
 *
 * NAME
 *	fields - "Name: value" lines, folded lines joined, blocks counted
 *
 * DESCRIPTION
 *	A message/delivery-status part is a block of per-message fields and
 *	one block per recipient, blocks parted by blank lines (RFC 3464
 *	2.1); a message/feedback-report part and text/rfc822-headers are
 *	one block.  GMime hands these parts over decoded but unparsed; the
 *	fields are read here.  A line starting with white space continues
 *	the field before it (RFC 5322 2.2.3); a line that is neither a
 *	field nor a continuation is skipped, as real reports hold stray
 *	text.  LF, CRLF and CR alone end lines.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail_int.h"

/* mail_buf_add - append n octets, keeping a NUL after them */
void
mail_buf_add(struct mail_buf *b, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->err = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* mail_buf_free - release b's memory and zero it */
void
mail_buf_free(struct mail_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* line_end - the end of the line at p, and *next past its line end */
static const char *
line_end(const char *p, const char *end, const char **next)
{
	const char *q = p;

	while (q < end && *q != '\n' && *q != '\r')
		q++;
	*next = q;
	if (*next < end && **next == '\r')
		(*next)++;
	if (*next < end && **next == '\n' && (q == *next || q[0] == '\r'))
		(*next)++;
	return q;
}

/* blank - only white space between p and q */
static int
blank(const char *p, const char *q)
{
	for (; p < q; p++)
		if (*p != ' ' && *p != '\t')
			return 0;
	return 1;
}

/* mail_fields_next - the next field, unfolded into tmp */
int
mail_fields_next(const char **pp, const char *end, struct mail_buf *tmp,
    struct mail_field *f)
{
	const char *p = *pp, *q, *next, *colon, *v;

	if (f->block == 0)
		f->block = 1;
	for (;;) {
		if (p >= end)
			return 0;
		q = line_end(p, end, &next);
		if (blank(p, q)) {
			/* A run of blank lines ends a block; not at the start. */
			if (f->name != NULL)
				f->block++;
			f->name = NULL;
			while (next < end) {
				const char *n2, *q2 = line_end(next, end, &n2);

				if (!blank(next, q2))
					break;
				next = n2;
			}
			p = next;
			continue;
		}
		colon = memchr(p, ':', (size_t)(q - p));
		if (*p == ' ' || *p == '\t' || colon == NULL || colon == p) {
			p = next;	/* a stray continuation or text */
			continue;
		}
		for (v = p; v < colon; v++)
			if (*v == ' ' || *v == '\t')
				break;
		if (v < colon && !blank(v, colon)) {
			p = next;	/* "some words: text" is no field */
			continue;
		}
		break;
	}
	f->name = p;
	f->name_len = (size_t)(v - p);
	tmp->len = 0;
	v = colon + 1;
	mail_buf_add(tmp, v, (size_t)(q - v));
	p = next;
	/* Continuation lines, joined with one space. */
	while (p < end && (*p == ' ' || *p == '\t')) {
		q = line_end(p, end, &next);
		if (blank(p, q))
			break;
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		mail_buf_add(tmp, " ", 1);
		mail_buf_add(tmp, p, (size_t)(q - p));
		p = next;
	}
	*pp = p;
	if (tmp->err)
		return 0;
	v = tmp->p != NULL ? tmp->p : "";
	q = v + tmp->len;
	while (v < q && (*v == ' ' || *v == '\t'))
		v++;
	while (q > v && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	f->value = v;
	f->value_len = (size_t)(q - v);
	return 1;
}

/* mail_field_is - the field's name, ignoring case */
int
mail_field_is(const struct mail_field *f, const char *name)
{
	return strlen(name) == f->name_len &&
	    strncasecmp(f->name, name, f->name_len) == 0;
}

/* mail_field_get - the first field named name */
int
mail_field_get(const char *text, size_t len, const char *name,
    struct mail_buf *out)
{
	struct mail_field f = { 0 };
	const char *p = text;

	while (mail_fields_next(&p, text + len, out, &f))
		if (mail_field_is(&f, name)) {
			memmove(out->p, f.value, f.value_len);
			out->len = f.value_len;
			out->p[out->len] = '\0';
			return 1;
		}
	return 0;
}

/* mail_strndup - a trimmed copy */
char *
mail_strndup(const char *s, size_t n)
{
	char *p;

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' ||
	    *s == '\n')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
