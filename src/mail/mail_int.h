/*
 * mail_int.h - what the bounce message modules share (internal)
 *
 * message.c walks the message with GMime and gathers what the others
 * read into a struct mail_ctx: the delivery-status and feedback-report
 * fields, the bounce's own text, the returned message's headers.
 * fields.c reads header-style fields (DSN and ARF blocks, enclosed
 * headers); prose.c finds recipients and reasons in a bounce's words;
 * verp.c decodes VERP addresses.
 */
#ifndef LW_MAIL_INT_H
#define LW_MAIL_INT_H

#include <stddef.h>

#include "listwarden/mail.h"

/* A growing string. */
struct mail_buf {
	char *p;
	size_t len, cap;
	int err;			/* an allocation failed */
};

void mail_buf_add(struct mail_buf *b, const char *s, size_t n);
void mail_buf_free(struct mail_buf *b);

/* Most text parts of one message read. */
#define MAIL_TEXTS_MAX	16

/* What the walk of one message found. */
struct mail_ctx {
	const struct lw_mail_opts *opts;
	struct mail_buf dsn;		/* delivery-status contents */
	struct mail_buf arf;		/* feedback-report contents */
	struct mail_buf text;		/* the bounce's own words, UTF-8 */
	struct mail_buf html;		/* its HTML, when it has no text */
	struct mail_buf orig;		/* the returned message's headers */
	char *subject;			/* decoded, or NULL */
	char *from;			/* the bounce's From address, or NULL */
	char *from_local;		/* its local part, lower case */
	char *to;			/* its first To address, or NULL */
	int report;			/* multipart/report, not an MDN */
	int mdn;			/* a read receipt (RFC 8098) */
	void *enclosed;			/* the first enclosed GMimeMessage */
	/* The text/plain and text/html parts, until mail_text(). */
	void *texts[MAIL_TEXTS_MAX], *htmls[MAIL_TEXTS_MAX];
	int ntexts, nhtmls, text_done;
	int mk;				/* prose.c's marker, + 2; 0: not yet */
	/* prose.c's: the words it reads, and their lower-case copy. */
	int prepared;
	struct mail_buf words, low;
	int auto_submitted;		/* Auto-Submitted other than "no" */
	int auto_reply;			/* an auto-reply by its headers */
	int null_sender;		/* Return-Path: <> */
	char *failed_rcpts;		/* X-Failed-Recipients, or NULL */
	char *verp_to[4];		/* X-Original-To ... To */
	int64_t date;			/* the bounce's Date */
	int has_date;
};

/*
 * mail_text - convert the text and HTML parts the walk found into
 * c->text and c->html (UTF-8), once
 */
void mail_text(struct mail_ctx *c);

/* One field of a header-style block. */
struct mail_field {
	const char *name, *value;	/* value unfolded, trimmed */
	size_t name_len, value_len;
	int block;			/* 1-based block of blank-line runs */
};

/*
 * mail_fields_next - the next field of the text at *p (up to end),
 * unfolding continuation lines into tmp; 1 with f, 0 at the end.  A
 * blank line starts a new block.  Lines that are no field are skipped.
 */
int mail_fields_next(const char **p, const char *end, struct mail_buf *tmp,
    struct mail_field *f);

/* mail_field_is - f is named name, ignoring case */
int mail_field_is(const struct mail_field *f, const char *name);

/* mail_field_get - the first field named name in the text, into out */
int mail_field_get(const char *text, size_t len, const char *name,
    struct mail_buf *out);

/* mail_strndup - a NUL-terminated copy of n octets, trimmed; NULL: none */
char *mail_strndup(const char *s, size_t n);

/*
 * mail_add_rcpt - a new outcome for addr (n octets, "<>" and blanks
 * trimmed), or the existing one for the same address (ignoring case);
 * NULL on ENOMEM, beyond LW_MAIL_RCPT_MAX, or when nothing is left of
 * addr once trimmed
 */
struct lw_mail_rcpt *mail_add_rcpt(struct lw_mail *m, const char *addr,
    size_t n);

/*
 * mail_addr_at - the extent of an address-looking token around the '@'
 * at s[at] (within s[0..n)): *b and *e; 1 when it looks like an address
 * (a local part and a domain with a dot), else 0
 */
int mail_addr_at(const char *s, size_t n, size_t at, size_t *b, size_t *e);

/*
 * mail_prose - the recipients and reasons of a bounce in words (c->text
 * or c->html): 1 when it reads as a bounce (m->how set, outcomes added),
 * 0 when not, LW_ENOMEM
 */
int mail_prose(struct mail_ctx *c, struct lw_mail *m);

/* mail_prose_bounce_like - whether sender, subject or text say bounce */
int mail_prose_bounce_like(struct mail_ctx *c);

/* mail_prose_action - "delayed" or "failed", by the bounce's words */
const char *mail_prose_action(struct mail_ctx *c);

/* mail_prose_reason - the first paragraph with a server's reply, or NULL */
char *mail_prose_reason(struct mail_ctx *c);

/* mail_prose_from_agent - a bounce agent's From, or a bounce subject */
int mail_prose_from_agent(const struct mail_ctx *c);

/* mail_auto_reply_subject - a vacation or out-of-office subject */
int mail_auto_reply_subject(const char *subject);

#endif /* LW_MAIL_INT_H */
