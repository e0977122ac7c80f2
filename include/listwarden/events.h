/*
 * listwarden/events.h - event readers: what came back after a send
 *
 * NAME
 *	events - CSV, JSON-lines and ESP bounce, complaint and delivery
 *	events
 *
 * DESCRIPTION
 *	A reader turns a stream of bytes into event records, one per row or
 *	line, and knows nothing of the store.  Column (or member) names are
 *	matched ignoring case, with these synonyms:
 *
 *	  recipient    email, recipient, address, email_address, rcpt
 *	  status       status, enhanced_status, status_code: an enhanced
 *	               code ("5.1.1"), a reply code ("550"), or a whole
 *	               reply ("550 5.1.1 <a@b>: user unknown", "smtp; 550
 *	               ..."); a whole reply is split into its reply code,
 *	               its enhanced code and, when no diagnostic is given,
 *	               the diagnostic
 *	  reply        reply, reply_code, smtp_code, code
 *	  type         type, event, class, event_type, bounce_type
 *	  timestamp    timestamp, time, date, created, created_at: RFC 3339,
 *	               RFC 5322, or Unix seconds (a fraction allowed) or
 *	               milliseconds; missing means "now" to the caller
 *	  diagnostic   diagnostic, reason, message, diagnostic_code,
 *	               response, error
 *	  event_id     event_id, id, message_id
 *	  source       source
 *	  feedback     feedback_type, complaint_type
 *
 *	(The ESP formats read their providers' own members instead: see
 *	ESP FORMATS below.)
 *
 *	Other columns are ignored.  Where two columns name one field, the
 *	name earlier in its line above wins ("email" over "address"), and
 *	between equal names the first column.
 *
 *	CSV has a header row; the delimiter is detected (see csvio.h).
 *	Missing trailing fields are empty, extra ones ignored, and a row
 *	whose fields are all blank is skipped.  JSON lines hold one object
 *	each; blank lines are skipped.  A member's value may be a string or
 *	a number (1700000000, 550; an integer beyond 64 bits makes the
 *	line "bad-json"); null, booleans, arrays and nested objects are
 *	ignored as if absent.  LW_EVENTS_AUTO reads CSV when the first
 *	byte that is neither a UTF-8 byte order mark nor white space is
 *	neither '{' nor '['; otherwise it reads ahead to the end of the first
 *	JSON value, or of the first element of an array (at most 1 MiB past
 *	the first line), and decides by that object's member names, as
 *	written (case matters):
 *
 *	  SES        notificationType, eventType, or Message with TopicArn
 *	             or SignatureVersion (an SNS envelope)
 *	  Mailgun    event-data, items, log-level, recipient-domain,
 *	             delivery-status
 *	  Postmark   RecordType, Bounces, TypeCode, BouncedAt
 *	  SendGrid   sg_event_id or sg_message_id, or, for an array's
 *	             element, event with email
 *
 *	tried in that order.  An object with none of them is read as JSON
 *	lines, exactly as if the first byte alone had decided; an array
 *	whose first element has none of them (or an empty one) as SendGrid,
 *	the ESP whose events come as a bare array.  What was read ahead is
 *	read again by the format chosen.  Blank lines before a CSV header
 *	are skipped too.
 *
 *	Every value is trimmed of surrounding white space; a value left
 *	empty counts as absent.  A status or reply value is split with
 *	lw_status_parse().  A reply column, when given, supplies the reply
 *	code; otherwise a whole reply in the status column does ("550
 *	5.1.1 ...").  When no diagnostic is given, the whole status value
 *	(else the whole reply value) becomes the diagnostic if it holds text
 *	besides its codes: it is what the server said, as a report should
 *	show it, and lw_classify()'s phrases match words, never the codes,
 *	so the class is the same as for the text alone.  A status of bare
 *	codes ("5.1.1", "550") gives no diagnostic.  An enhanced code and a
 *	reply code that disagree ("550" with "4.2.2") are both kept, for
 *	lw_classify() to weigh.
 *
 *	Text is UTF-8.  Invalid UTF-8 or a NUL in a diagnostic is repaired,
 *	each offending byte becoming U+FFFD, because free text from remote
 *	servers is often 8-bit and the event matters more than its wording;
 *	in any other field it makes the row "bad-utf8", since a recipient
 *	or an identifier altered would be wrong data.  A JSON line must be
 *	valid UTF-8 as a whole (RFC 8259), else it is "bad-utf8".
 *
 *	A row that cannot be an event is still returned, with error set to
 *	a stable reason, so that the caller reports it by file and line and
 *	goes on, or stops (--strict).  The first that applies is given:
 *
 *	  bad-json       a JSON line that is not one JSON object; for an
 *	                 ESP format, a JSON value that does not parse, or
 *	                 that the input ends inside
 *	  bad-element    (ESP formats) a JSON value that is no event of the
 *	                 format: not an object, or without the member
 *	                 that names its kind
 *	  too-long       a value over LW_EVENT_FIELD_MAX octets, a JSON
 *	                 line over LW_EVENT_LINE_MAX, or an ESP format's
 *	                 JSON value over LW_EVENT_DOC_MAX (skipped unstored)
 *	  bad-utf8       as above
 *	  no-recipient   no recipient, or only white space
 *	  unknown-type   a type lw_classify_type_known() does not know
 *	  bad-status     a malformed code in the status or reply value
 *	                 ("9.9.9", "650", "5.1"), or a reply value with no
 *	                 code at all
 *	  bad-timestamp  a timestamp lw_time_parse() refuses
 *
 *	The other members of a record with an error are filled as far as
 *	they could be, for the report only.  Recipients are returned as
 *	given, trimmed: validating them (and unwrapping "Name <a@b>") is the
 *	address module's job.  For an ESP format, "bad-element" and
 *	"unknown-type" come before the others: an event of a kind not known
 *	cannot be read further.
 *
 * ESP FORMATS
 *	LW_EVENTS_SES, LW_EVENTS_SENDGRID, LW_EVENTS_MAILGUN and
 *	LW_EVENTS_POSTMARK read what those providers send or export, as
 *	their documentation gives it (src/events/ses.c, sendgrid.c,
 *	mailgun.c and postmark.c say which members, and in what forms):
 *
 *	  SES        notifications, raw or in an SNS envelope; one record
 *	             per recipient of a bounce, complaint or delivery
 *	  SendGrid   event webhook batches (an array of events)
 *	  Mailgun    webhook payloads, event-data objects, events API
 *	             pages ({"items": [...]})
 *	  Postmark   bounce, spam complaint, delivery and subscription
 *	             change webhooks; bounce API records, alone or as a
 *	             page ({"Bounces": [...]})
 *
 *	The input is any sequence of JSON values: one document, possibly
 *	pretty-printed over many lines, several one after the other or one
 *	per line, or arrays of them.  Each top-level value is parsed whole,
 *	but a top-level array an element at a time, so that a batch cut
 *	off, or with a bad element, keeps its good elements.  A record's
 *	line is where its event object starts, and its item the object's
 *	1-based index in the array or page it is in, or else the ordinal
 *	of its top-level value.
 *
 *	Each ESP maps its own event types onto classes by one table in its
 *	source file, each row with its reason and a stable rule id
 *	("ses-transient-5.4.4-dead-domain"): a record then has the class's
 *	name as type and the rule that decided as rule.  Where the ESP's
 *	type is not decisive (SES Permanent/General, a SendGrid bounce, a
 *	Mailgun permanent failure, a Postmark HardBounce) the row lets
 *	lw_classify() decide from the codes and the text, and its rule is
 *	lw_classify()'s, with the row's class when they say nothing; for a
 *	temporary failure lw_classify() is never allowed hard.  Events that
 *	say nothing of the recipient's mailbox (opens, clicks, sends
 *	accepted) give no record at all.
 *
 * MESSAGES AND LOGS
 *	LW_EVENTS_MAIL reads the whole input as one RFC 5322 message,
 *	LW_EVENTS_MBOX as an mbox of them (src/events/mail.c says how it is
 *	split), each through lw_mail_parse() (listwarden/mail.h): one
 *	record per recipient, its type the class the message decided and
 *	its rule the rule that did, at the line where the message starts,
 *	with its item the recipient's place in the message; action,
 *	message_id, list and how are set.  A message that is no bounce
 *	gives one record with ignored set; one over LW_EVENT_DOC_MAX is
 *	"too-long".  lw_events_set_verp() gives the VERP pattern.
 *	LW_EVENTS_AUTO takes a first line starting "From " for an mbox, a
 *	header field ("Name:", the name starting with a letter) for a
 *	message, and a Postfix log line for LW_EVENTS_POSTFIX_LOG, which
 *	src/events/postfix_log.c describes.  A Maildir is a directory:
 *	the caller reads each of its files as LW_EVENTS_MAIL.
 *
 * SUPPRESSION LISTS
 *	A CSV whose header is that of a suppression file other tools (and
 *	listwarden suppressions) write is read as one: each row says an
 *	address is suppressed, and why.
 *
 *	  listwarden   email,reason,class,...,suppressed_at,...: the reason
 *	               column, the time suppressed_at
 *	  Mailgun      address,code,error,created_at (bounces: hard);
 *	               address,tag,created_at (unsubscribe);
 *	               address,created_at (complaint)
 *	  SendGrid     email,created,reason,status (bounces: hard)
 *	  Postmark     EmailAddress,SuppressionReason,Origin,CreatedAt:
 *	               HardBounce hard, SpamComplaint complaint,
 *	               ManualSuppression unsubscribe when its origin is the
 *	               Recipient, else manual
 *
 *	  Amazon SES   no header: address,BOUNCE or address,COMPLAINT (the
 *	               first row says so); as JSON lines,
 *	               {"emailAddress":"...","reason":"BOUNCE"} (SES v2's
 *	               EmailAddress, Reason, LastUpdateTime too); and the
 *	               SuppressedDestinationSummaries its API and the AWS
 *	               command line list (LW_EVENTS_SES)
 *	  Postfix      an access(5) table, "KEY REJECT text": an address,
 *	               "example.com" (the rule @example.com) or
 *	               ".example.com" (*.example.com); the reason the
 *	               text's "suppressed: REASON", else manual; comments
 *	               skipped (a table that starts with one is not
 *	               recognized)
 *
 *	  listmonk     email,name, read as a blocklist only when the format
 *	               is forced (LW_EVENTS_LISTMONK): every row manual,
 *	               since any list of people has that header
 *
 *	A reason the list does not know is "unknown-reason".
 *
 * OWNERSHIP
 *	A record's strings are borrowed until the next lw_events_next() or
 *	lw_events_close(); each is NUL-terminated.  The reader borrows fp,
 *	which the caller closes after lw_events_close().
 *
 * DIAGNOSTICS
 *	lw_events_next() returns 1 with a record, 0 at the end, or a
 *	negative lw_err for what stops the whole stream: LW_EIO (or another
 *	negated errno) for a read error, LW_ENOMEM, LW_ENOHEADER for a CSV
 *	header with no recipient column, LW_ECSV for broken CSV quoting,
 *	LW_ETOOBIG for a CSV record beyond csvio's limit (LW_CSV_FIELD_MAX).
 *	The error is sticky; lw_events_error_line() says where it was met.
 *
 *	Memory: a JSON line is read into at most LW_EVENT_LINE_MAX octets,
 *	whatever its length.  A CSV record is held whole by csvio (up to
 *	LW_CSV_FIELD_MAX); values are checked for length before any copy.
 *	An ESP format holds one JSON value's text, at most LW_EVENT_DOC_MAX
 *	octets, and jansson's tree of it (several times more); a longer
 *	value is read through, unstored, and reported "too-long".
 *	LW_EVENTS_AUTO holds up to 1 MiB past the first line while it
 *	decides.
 */
#ifndef LISTWARDEN_EVENTS_H
#define LISTWARDEN_EVENTS_H

#include <stdint.h>
#include <stdio.h>

enum lw_events_format {
	LW_EVENTS_AUTO,		/* decided by the input's start */
	LW_EVENTS_CSV,
	LW_EVENTS_JSONL,
	LW_EVENTS_SES,		/* Amazon SES notifications, raw or via SNS */
	LW_EVENTS_SENDGRID,	/* SendGrid event webhook batches */
	LW_EVENTS_MAILGUN,	/* Mailgun events (webhooks, events API) */
	LW_EVENTS_POSTMARK,	/* Postmark bounce webhooks and API records */
	LW_EVENTS_LISTMONK,	/* a listmonk blocklist import (email,name):
				   every row a manual suppression */
	LW_EVENTS_MAIL,		/* one RFC 5322 message (listwarden/mail.h) */
	LW_EVENTS_MBOX,		/* an mbox of messages */
	LW_EVENTS_POSTFIX_LOG	/* Postfix log lines */
};

/* Longest diagnostic, or any other field, kept: longer is "too-long". */
#define LW_EVENT_FIELD_MAX	16384

/* Longest JSON line read, its line end apart: longer is "too-long". */
#define LW_EVENT_LINE_MAX	(1u << 20)

/*
 * Longest JSON value an ESP format reads whole (a top-level value, or
 * one element of a top-level array): longer is "too-long".
 */
#define LW_EVENT_DOC_MAX	(64u << 20)

struct lw_event_rec {
	unsigned long line;		/* where the event starts, from 1 */
	const char *recipient;		/* as given; "" when missing */
	const char *type;		/* an explicit type, or NULL */
	const char *status;		/* an enhanced code "5.1.1", or NULL */
	const char *reply;		/* a reply code "550", or NULL */
	const char *diagnostic;		/* or NULL */
	int64_t time;			/* Unix seconds, UTC, when has_time */
	int has_time;
	const char *event_id;		/* as given, or NULL */
	const char *source;		/* as given, or NULL */
	const char *feedback;		/* a complaint's feedback type, or NULL */
	const char *error;		/* NULL, or why the row is no event */
	/*
	 * An ESP format's own table may decide the class: then type is a
	 * class name (lw_class_parse()) and rule names the row that
	 * decided ("ses-transient-5.4.4-dead-domain"); NULL leaves the
	 * class to lw_classify().
	 */
	const char *rule;
	unsigned long item;		/* 1-based element of a JSON document
					   or batch; 0 for line formats */
	/*
	 * A row of a suppression list (see SUPPRESSION LISTS): the reason
	 * the address is suppressed for, "hard", "soft", "complaint",
	 * "unsubscribe" or "manual"; NULL for an event.
	 */
	const char *suppressed;
	/*
	 * Messages (LW_EVENTS_MAIL, LW_EVENTS_MBOX): the DSN Action
	 * ("failed", "delayed", "delivered"), the returned message's
	 * Message-ID and list tag (List-Id), and how the message was read
	 * ("dsn", "arf", "auto-reply", "qmail", "exim" ...); each NULL when
	 * unknown.  Postfix logs set action too ("bounced", "deferred",
	 * "sent").
	 */
	const char *action;
	const char *message_id;
	const char *list;
	const char *how;
	/*
	 * Not NULL for an input that holds no event and is no error: a
	 * message that is not a bounce ("not-a-bounce", the reason in
	 * diagnostic).  The caller reports it and goes on.
	 */
	const char *ignored;
};

struct lw_events;

/*
 * lw_events_open - read events from fp, named name in messages
 *
 * Reads nothing yet.  name is copied (NULL is taken as "-").  Returns
 * LW_OK, LW_EINVAL for a format out of range, or LW_ENOMEM.
 */
int lw_events_open(struct lw_events **rp, FILE *fp, const char *name,
    enum lw_events_format format);

/* lw_events_next - the next record (1), the end (0), or a negative lw_err */
int lw_events_next(struct lw_events *r, struct lw_event_rec *rec);

/*
 * lw_events_format - the format read (AUTO decided after the first next;
 * still AUTO when the input held nothing but blank lines)
 */
enum lw_events_format lw_events_format(const struct lw_events *r);

/* lw_events_name - the name given to lw_events_open(), for messages */
const char *lw_events_name(const struct lw_events *r);

/*
 * lw_events_error_line - the physical line a fatal error was met on (for
 * a CSV quote never closed, the line it opened on), or 0 when none was
 */
unsigned long lw_events_error_line(const struct lw_events *r);

/*
 * lw_events_set_verp - the VERP pattern ("bounces+%l=%d@example.com",
 * listwarden/mail.h) that recovers a message's recipient from the
 * address the bounce was sent to when the bounce does not name it; NULL
 * for none.  LW_OK, LW_EINVAL for a pattern lw_verp_valid() refuses, or
 * LW_ENOMEM.
 */
int lw_events_set_verp(struct lw_events *r, const char *pattern);

/* lw_events_close - free the reader (not fp); NULL is a no-op */
void lw_events_close(struct lw_events *r);

/*
 * lw_events_format_parse - "auto", "csv", "jsonl" (or "json"), "ses",
 * "sendgrid", "mailgun", "postmark", "listmonk", "mail", "mbox",
 * "postfix-log", ignoring case, else -1
 */
int lw_events_format_parse(const char *name);

/*
 * lw_time_parse - Unix seconds from RFC 3339, RFC 5322, or Unix seconds
 * or milliseconds as text; 0 and *t, or -1 when s is none of them
 *
 * Accepted, surrounding white space apart:
 *   RFC 3339 / ISO 8601  "2026-11-29T02:55:04Z", "...04.123+01:00",
 *                        "2026-11-29 02:55:04" (no zone: UTC), seconds
 *                        optional, a zone of Z, +hh:mm, +hhmm, +hh,
 *                        UTC or GMT (a space before it allowed), and
 *                        "2026-11-29" alone (midnight UTC)
 *   RFC 5322             "Sun, 29 Nov 2026 02:55:04 +0000", the weekday
 *                        optional (and not checked), seconds optional,
 *                        obsolete zones UT GMT EST EDT CST CDT MST MDT
 *                        PST PDT and military letters (as +0000), a
 *                        trailing "(comment)", 2- and 3-digit years as
 *                        RFC 5322 4.3 says, no zone meaning UTC
 *   Unix time            digits with an optional fraction (truncated);
 *                        values of 1e11 and up are milliseconds
 * Fractions of a second are dropped.  Out-of-range fields (month 13,
 * Feb 30, hour 24), trailing text, and times before 1970 or after 9999
 * are refused.  No locale or time zone of the process is consulted.
 */
int lw_time_parse(const char *s, int64_t *t);

/*
 * lw_status_parse - split a status or a whole reply
 *
 * Copies into reply (4 octets) the reply code and into status (16) the
 * enhanced code found in s, each "" when absent; *text is set to where
 * the human text starts within s (s itself when there is none to skip).
 * Returns 0, or -1 when s holds a malformed code (a "9.9.9", a "650").
 *
 * Recognized, in order, after leading white space: a diagnostic type
 * ("smtp;", "x-postfix;"), a reply code (3 digits, the first 2 to 5,
 * the second 0 to 5; RFC 5321), then "-" or white space and an enhanced
 * code (class 2, 4 or 5, subject and detail of 1 to 3 digits; RFC 3463);
 * or an enhanced code alone.  A token of digits and dots where a code
 * may stand must be one ("55", "5.1", "650", "9.9.9", "550abc" are
 * malformed); text with no code ("mailbox full") is no error.  The
 * outputs are written only on success; s NULL is taken as "".
 */
int lw_status_parse(const char *s, char reply[4], char status[16],
    const char **text);

/*
 * lw_status_find - the codes a diagnostic holds: those it starts with
 * (as lw_status_parse() reads them; after a bare reply code, the first
 * enhanced code of the same class further on, as in "550 #5.1.0"), else
 * the first failure reply in its words ("... said: 550 5.1.1 <a@b>",
 * "(#4.4.1)"), one with an enhanced code after it preferred.  reply and
 * status as for lw_status_parse(), each "" when absent; 1 when any was
 * found, else 0.  Malformed tokens (an IP address, "650") are passed
 * over.
 */
int lw_status_find(const char *s, char reply[4], char status[16]);

#endif /* LISTWARDEN_EVENTS_H */
