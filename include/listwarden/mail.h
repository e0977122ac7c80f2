/*
 * listwarden/mail.h - bounce messages: what a returned message says
 *
 * NAME
 *	mail - one RFC 5322 message -> DSN, ARF, auto-reply or prose bounce
 *	-> one outcome per recipient
 *
 * DESCRIPTION
 *	lw_mail_parse() reads one message with GMime 3 (multipart nesting,
 *	base64 and quoted-printable, charsets, RFC 2047 encoded words; CR,
 *	LF and CRLF line ends) and says what it is, in this order:
 *
 *	  arf         a message/feedback-report part (RFC 5965): one
 *	              complaint, or an unsubscribe for an opt-out report,
 *	              for Original-Rcpt-To, else for the To of the
 *	              enclosed message
 *	  dsn         a message/delivery-status part (RFC 3464, and RFC
 *	              6533's message/global-delivery-status) with at least
 *	              one per-recipient block: one outcome per block, by
 *	              its Action, Status and Diagnostic-Code
 *	  auto-reply  an automatic reply (RFC 3834 Auto-Submitted other
 *	              than "no", X-Autoreply, Precedence: auto_reply, or a
 *	              vacation or out-of-office subject) that is no bounce:
 *	              one outcome, class auto-reply, for its sender
 *	  prose       a bounce in words only, as qmail, Exim, Sendmail,
 *	              Exchange, Gmail, Yahoo, Courier and many others send:
 *	              recognized by its sender, subject or text, and read
 *	              by the tables of src/mail/prose.c
 *	  none        anything else: not a bounce, no outcome; when its
 *	              text is one JSON document (Amazon SNS mails SES
 *	              notifications so), m->json holds it for the event
 *	              readers
 *
 *	Each outcome is classified here, by lw_classify() (classify.h) on
 *	its codes and text, with what the message adds: an Action of
 *	"delayed" is never hard (a temporary failure), "delivered",
 *	"relayed" and "expanded" are deliveries, an ARF report is a
 *	complaint whatever its text.  A "user unknown" in words alone
 *	(no 5.1.x status) said in reply to DATA is soft
 *	("mail-unknown-user-after-data"): a server that accepted the
 *	recipient at RCPT TO and refuses the message after it is a filter
 *	talking (NTT docomo and others answer filtered mail so), and a
 *	wrong hard loses a live subscriber, while three soft ones
 *	suppress too.
 *
 *	When no recipient can be found in the message itself, a VERP
 *	pattern (opts->verp, "bounces+%l=%d@example.com") recovers it from
 *	the address the bounce was sent to: X-Original-To, Delivered-To,
 *	Envelope-To, then To.  %l stands for the local part, %d for the
 *	domain, %% for a percent sign.
 *
 * LIMITS
 *	MIME nesting deeper than LW_MAIL_DEPTH_MAX and parts beyond
 *	LW_MAIL_PARTS_MAX are not looked at; a message yields at most
 *	LW_MAIL_RCPT_MAX outcomes.  GMime builds an object for every part
 *	and every header field, so a message is cut, before GMime sees it,
 *	at the line where it passes LW_MAIL_BOUNDARIES_MAX lines that start
 *	with "--" or LW_MAIL_FIELDS_MAX lines that look like header fields:
 *	a bounce says what matters first, and a million empty parts cannot
 *	cost gigabytes.  The caller bounds the message's size.
 *
 * OWNERSHIP
 *	A struct lw_mail holds its own strings until lw_mail_clear().
 */
#ifndef LISTWARDEN_MAIL_H
#define LISTWARDEN_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include <listwarden/classify.h>

#define LW_MAIL_DEPTH_MAX	32
#define LW_MAIL_PARTS_MAX	1000
#define LW_MAIL_RCPT_MAX	1000
#define LW_MAIL_BOUNDARIES_MAX	4000
#define LW_MAIL_FIELDS_MAX	100000

enum lw_mail_kind {
	LW_MAIL_NONE,		/* not a bounce */
	LW_MAIL_DSN,
	LW_MAIL_ARF,
	LW_MAIL_AUTO_REPLY,
	LW_MAIL_PROSE
};

/* What the message says of one recipient. */
struct lw_mail_rcpt {
	char *recipient;	/* the address, without angle brackets */
	char *action;		/* DSN Action, lower case, or NULL */
	char *status;		/* enhanced status "5.1.1", or NULL */
	char *reply;		/* reply code "550", or NULL */
	char *diagnostic;	/* what the remote server said, or NULL */
	char *remote_mta;	/* or NULL */
	char *feedback;		/* ARF Feedback-Type, or NULL */
	char *context;		/* the bounce's words about it, or NULL */
	int64_t time;		/* Last-Attempt-Date, Arrival-Date, Date */
	int has_time;
	enum lw_class cls;	/* the verdict */
	const char *rule;	/* the rule that decided, static storage */
};

struct lw_mail {
	enum lw_mail_kind kind;
	const char *how;	/* "dsn", "arf", "qmail", ...: static */
	char *message_id;	/* the bounce's own Message-ID, or NULL */
	char *orig_message_id;	/* the returned message's, or NULL */
	char *list;		/* its List-Id (or X-Campaign...), or NULL */
	char *why_not;		/* LW_MAIL_NONE: why it is no bounce */
	/*
	 * LW_MAIL_NONE whose text is a JSON document (an ESP's
	 * notification sent by mail, as an Amazon SNS e-mail subscription
	 * does): that document, for an event reader; else NULL
	 */
	char *json;
	struct lw_mail_rcpt *rcpt;
	size_t nrcpt, cap;
};

struct lw_mail_opts {
	const char *verp;	/* a VERP pattern, or NULL */
};

/*
 * lw_mail_parse - read the len octets at buf as one message into m
 *
 * m is cleared first.  Returns LW_OK (a message that is no bounce
 * included: m->kind LW_MAIL_NONE) or LW_ENOMEM.
 */
int lw_mail_parse(const void *buf, size_t len, const struct lw_mail_opts *o,
    struct lw_mail *m);

/* lw_mail_clear - free what m holds and zero it */
void lw_mail_clear(struct lw_mail *m);

/* lw_mail_kind_name - "dsn", "arf", "auto-reply", "prose", "none" */
const char *lw_mail_kind_name(enum lw_mail_kind kind);

/*
 * lw_verp_valid - 1 when pattern holds %l and %d once each, in a local
 * part before an "@" (the domain may hold neither), else 0
 */
int lw_verp_valid(const char *pattern);

/*
 * lw_verp_decode - the recipient a VERP address encodes, into out
 * (size octets): 1, or 0 when addr does not match the pattern.  The
 * fixed parts match ignoring ASCII case; where the separator between
 * %l and %d occurs more than once, the last one splits (a domain holds
 * no "=").
 */
int lw_verp_decode(const char *pattern, const char *addr, char *out,
    size_t size);

#endif /* LISTWARDEN_MAIL_H */
