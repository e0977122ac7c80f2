/*
 * test_mail.c - the bounce message reader: lw_mail_parse(), VERP, and
 * messages and mboxes through the event readers
 *
 * Each message here is written for the case it shows; the whole messages
 * of every MTA family are tests/mail/messages, read by tests/cli/mail.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "listwarden.h"
#include "events_support.h"

/* parse - s as one message, verp pattern or NULL */
static void
parse(const char *s, const char *verp, struct lw_mail *m)
{
	struct lw_mail_opts o = { verp };

	memset(m, 0, sizeof(*m));
	assert_int_equal(lw_mail_parse(s, strlen(s), &o, m), LW_OK);
}

/* A Postfix-style report around per-recipient DSN blocks. */
#define REPORT_HEAD \
	"Return-Path: <>\n" \
	"From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\n" \
	"To: news@lists.example.com\n" \
	"Subject: Undelivered Mail Returned to Sender\n" \
	"Date: Mon, 05 Jan 2026 09:00:00 +0000\n" \
	"Message-ID: <bounce1@mx.example.com>\n" \
	"MIME-Version: 1.0\n" \
	"Content-Type: multipart/report; report-type=delivery-status;\n" \
	"\tboundary=\"B\"\n" \
	"\n" \
	"--B\n" \
	"Content-Type: text/plain\n" \
	"\n" \
	"This is the mail system at host mx.example.com.\n" \
	"\n" \
	"--B\n" \
	"Content-Type: message/delivery-status\n" \
	"\n" \
	"Reporting-MTA: dns; mx.example.com\n" \
	"Arrival-Date: Mon, 05 Jan 2026 08:59:00 +0000\n" \
	"\n"
#define REPORT_TAIL \
	"\n" \
	"--B\n" \
	"Content-Type: text/rfc822-headers\n" \
	"\n" \
	"From: news@lists.example.com\n" \
	"To: someone@example.net\n" \
	"Message-ID: <orig1@lists.example.com>\n" \
	"List-Id: Example News <news.lists.example.com>\n" \
	"\n" \
	"--B--\n"

/* test_dsn_blocks - one outcome per block, each field read */
static void
test_dsn_blocks(void **state)
{
	struct lw_mail m;

	(void)state;
	parse(REPORT_HEAD
	    "Final-Recipient: rfc822; gone@example.net\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "Remote-MTA: dns; mx.example.net\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.net>: Recipient\n"
	    "    address rejected: User unknown\n"
	    "\n"
	    "Final-Recipient: rfc822;<full@example.net>\n"
	    "Action: delayed\n"
	    "Status: 4.2.2\n"
	    "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\n"
	    "\n"
	    "Final-Recipient: RFC822; ok@example.net\n"
	    "Action: delivered\n"
	    "Status: 2.0.0\n"
	    REPORT_TAIL, NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_DSN);
	assert_string_equal(m.how, "dsn");
	assert_string_equal(m.message_id, "bounce1@mx.example.com");
	assert_string_equal(m.orig_message_id, "orig1@lists.example.com");
	assert_string_equal(m.list, "Example News <news.lists.example.com>");
	assert_int_equal(m.nrcpt, 3);
	assert_string_equal(m.rcpt[0].recipient, "gone@example.net");
	assert_string_equal(m.rcpt[0].action, "failed");
	assert_string_equal(m.rcpt[0].status, "5.1.1");
	assert_string_equal(m.rcpt[0].reply, "550");
	assert_string_equal(m.rcpt[0].remote_mta, "dns; mx.example.net");
	/* A folded field is one line. */
	assert_string_equal(m.rcpt[0].diagnostic, "smtp; 550 5.1.1 "
	    "<gone@example.net>: Recipient address rejected: User unknown");
	assert_int_equal(m.rcpt[0].cls, LW_CLASS_HARD);
	/* No Last-Attempt-Date: the bounce's Date, not the Arrival-Date. */
	assert_true(m.rcpt[0].has_time);
	assert_int_equal(m.rcpt[0].time, INT64_C(1767603600));
	assert_string_equal(m.rcpt[1].recipient, "full@example.net");
	assert_int_equal(m.rcpt[1].cls, LW_CLASS_SOFT);
	assert_string_equal(m.rcpt[2].recipient, "ok@example.net");
	assert_int_equal(m.rcpt[2].cls, LW_CLASS_DELIVERED);
	assert_string_equal(m.rcpt[2].rule, "dsn-action-delivered");
	lw_mail_clear(&m);
	assert_int_equal(m.nrcpt, 0);
}

/* test_dsn_delayed - a delay is never hard, whatever its words */
static void
test_dsn_delayed(void **state)
{
	struct lw_mail m;

	(void)state;
	parse(REPORT_HEAD
	    "Final-Recipient: rfc822; slow@example.net\n"
	    "Action: delayed\n"
	    "Status: 5.1.1\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n"
	    REPORT_TAIL, NULL, &m);
	assert_int_equal(m.nrcpt, 1);
	assert_int_equal(m.rcpt[0].cls, LW_CLASS_SOFT);
	assert_string_equal(m.rcpt[0].rule, "dsn-action-delayed");
	lw_mail_clear(&m);
}

/*
 * test_dsn_recipients - an unspecific status gives way to the
 * diagnostic's; final and original both; RFC 6533 escapes; blocks run
 * together; a final recipient without a local part
 */
static void
test_dsn_recipients(void **state)
{
	struct lw_mail m;

	(void)state;
	parse(REPORT_HEAD
	    "Final-Recipient: rfc822; box@store.example.net\n"
	    "Original-Recipient: rfc822; alias@example.net\n"
	    "Action: failed\n"
	    "Status: 5.0.0\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 no such user\n"
	    "\n"
	    "Final-Recipient: utf-8; ren\\x{E9}@example.org\n"
	    "Action: failed\n"
	    "Status: 5.2.2\n"
	    "Final-Recipient: rfc822; next@example.org\n"
	    "Action: failed\n"
	    "Status: 5.2.2\n"
	    "\n"
	    "Final-Recipient: rfc822; @relay.example.org\n"
	    "Original-Recipient: rfc822; kept@example.org\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    REPORT_TAIL, NULL, &m);
	assert_int_equal(m.nrcpt, 5);
	assert_string_equal(m.rcpt[0].recipient, "box@store.example.net");
	assert_string_equal(m.rcpt[0].status, "5.1.1");
	assert_int_equal(m.rcpt[0].cls, LW_CLASS_HARD);
	assert_string_equal(m.rcpt[1].recipient, "alias@example.net");
	assert_string_equal(m.rcpt[1].status, "5.1.1");
	assert_int_equal(m.rcpt[1].cls, LW_CLASS_HARD);
	assert_string_equal(m.rcpt[2].recipient, "ren\xc3\xa9@example.org");
	assert_string_equal(m.rcpt[3].recipient, "next@example.org");
	assert_int_equal(m.rcpt[3].cls, LW_CLASS_SOFT);
	assert_string_equal(m.rcpt[4].recipient, "kept@example.org");
	lw_mail_clear(&m);
}

/* test_arf - complaints, opt-outs, several recipients, the enclosed To */
static void
test_arf(void **state)
{
	static const char head[] =
	    "From: fbl@isp.example.org\n"
	    "To: abuse@lists.example.com\n"
	    "Subject: FW: abuse report\n"
	    "Date: Mon, 05 Jan 2026 10:00:00 +0000\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=feedback-report;\n"
	    "    boundary=\"F\"\n"
	    "\n"
	    "--F\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "This is an abuse report.\n"
	    "\n"
	    "--F\n"
	    "Content-Type: message/feedback-report\n"
	    "\n";
	static const char tail[] =
	    "\n"
	    "--F\n"
	    "Content-Type: message/rfc822\n"
	    "\n"
	    "From: news@lists.example.com\n"
	    "To: Reader <reader@example.net>\n"
	    "Subject: News\n"
	    "\n"
	    "Hello\n"
	    "--F--\n";
	char buf[4096];
	struct lw_mail m;

	(void)state;
	snprintf(buf, sizeof(buf), "%sFeedback-Type: abuse\nVersion: 1\n"
	    "Original-Rcpt-To: one@example.net\n"
	    "Original-Rcpt-To: two@example.net\n"
	    "Arrival-Date: Mon, 05 Jan 2026 09:30:00 +0000\n%s", head, tail);
	parse(buf, NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_ARF);
	assert_int_equal(m.nrcpt, 2);
	assert_string_equal(m.rcpt[0].recipient, "one@example.net");
	assert_string_equal(m.rcpt[1].recipient, "two@example.net");
	assert_int_equal(m.rcpt[1].cls, LW_CLASS_COMPLAINT);
	assert_string_equal(m.rcpt[1].feedback, "abuse");
	assert_string_equal(m.rcpt[1].rule, "arf-feedback-report");
	assert_int_equal(m.rcpt[1].time, INT64_C(1767605400));
	lw_mail_clear(&m);

	/* No Original-Rcpt-To: the To of the enclosed message. */
	snprintf(buf, sizeof(buf), "%sFeedback-Type: opt-out\nVersion: 1\n%s",
	    head, tail);
	parse(buf, NULL, &m);
	assert_int_equal(m.nrcpt, 1);
	assert_string_equal(m.rcpt[0].recipient, "reader@example.net");
	assert_int_equal(m.rcpt[0].cls, LW_CLASS_UNSUBSCRIBE);
	assert_string_equal(m.rcpt[0].rule, "arf-opt-out");
	lw_mail_clear(&m);
}

/* test_auto_reply - RFC 3834 and the others: the sender, never a bounce */
static void
test_auto_reply(void **state)
{
	struct lw_mail m;

	(void)state;
	parse("From: Ann Example <ann@example.net>\n"
	    "To: news@lists.example.com\n"
	    "Subject: Out of Office: News\n"
	    "Auto-Submitted: auto-replied\n"
	    "\n"
	    "I am away until Monday.\n", NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_AUTO_REPLY);
	assert_int_equal(m.nrcpt, 1);
	assert_string_equal(m.rcpt[0].recipient, "ann@example.net");
	assert_int_equal(m.rcpt[0].cls, LW_CLASS_AUTO_REPLY);
	assert_string_equal(m.rcpt[0].rule, "rfc3834-auto-reply");
	lw_mail_clear(&m);

	/* A vacation subject alone is enough. */
	parse("From: bo@example.net\nSubject: Automatic reply: News\n\nAway\n",
	    NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_AUTO_REPLY);
	lw_mail_clear(&m);

	/* Auto-Submitted on a bounce: the bounce wins. */
	parse("From: MAILER-DAEMON@mx.example.com\n"
	    "Subject: failure notice\n"
	    "Auto-Submitted: auto-replied\n"
	    "\n"
	    "Hi. This is the qmail-send program at mx.example.com.\n"
	    "\n"
	    "<cy@example.net>:\n"
	    "Sorry, no mailbox here by that name. (#5.1.1)\n", NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_PROSE);
	assert_string_equal(m.how, "qmail");
	assert_string_equal(m.rcpt[0].recipient, "cy@example.net");
	assert_string_equal(m.rcpt[0].status, "5.1.1");
	assert_int_equal(m.rcpt[0].cls, LW_CLASS_HARD);
	lw_mail_clear(&m);
}

/* test_not_bounce - a person's mail, a read receipt, no headers at all */
static void
test_not_bounce(void **state)
{
	struct lw_mail m;

	(void)state;
	parse("From: Cat <cat@example.net>\nTo: news@lists.example.com\n"
	    "Subject: Re: News\n\nThe delivery failed to impress me.\n",
	    NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_NONE);
	assert_int_equal(m.nrcpt, 0);
	assert_string_equal(m.why_not, "no delivery status, feedback report "
	    "or bounce text");
	lw_mail_clear(&m);

	parse("From: dee@example.net\nSubject: Read: News\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; "
	    "report-type=disposition-notification; boundary=R\n\n--R\n"
	    "Content-Type: message/disposition-notification\n\n"
	    "Final-Recipient: rfc822; dee@example.net\n"
	    "Disposition: manual-action/MDN-sent-manually; displayed\n"
	    "\n--R--\n", NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_NONE);
	assert_string_equal(m.why_not, "a read receipt (disposition "
	    "notification), not a bounce");
	lw_mail_clear(&m);

	parse("", NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_NONE);
	lw_mail_clear(&m);
}

/*
 * test_prose - recipients and reasons in words: X-Failed-Recipients
 * ranks first, the sender's own address is not taken, a reason stops at
 * the next recipient, user unknown after DATA is soft
 */
static void
test_prose(void **state)
{
	struct lw_mail m;

	(void)state;
	parse("From: Mail Delivery System <Mailer-Daemon@mx.example.com>\n"
	    "To: news@lists.example.com\n"
	    "Subject: Mail delivery failed: returning message to sender\n"
	    "X-Failed-Recipients: a@example.net, b@example.org\n"
	    "\n"
	    "This message was created automatically by mail delivery "
	    "software.\n"
	    "\n"
	    "A message that you sent could not be delivered to one or more "
	    "of its\nrecipients. This is a permanent error. The following "
	    "address(es) failed:\n"
	    "\n"
	    "  a@example.net\n"
	    "    Unrouteable address\n"
	    "  b@example.org\n"
	    "    host mx.example.org [192.0.2.1]\n"
	    "    SMTP error from remote mail server after end of data:\n"
	    "    550 Unknown user\n"
	    "\n"
	    "Reply to news@lists.example.com for help.\n"
	    "------ This is a copy of the message, including all the "
	    "headers. ------\n"
	    "To: someone@example.com\n", NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_PROSE);
	assert_string_equal(m.how, "exim");
	assert_int_equal(m.nrcpt, 2);
	assert_string_equal(m.rcpt[0].recipient, "a@example.net");
	assert_string_equal(m.rcpt[0].diagnostic, "Unrouteable address");
	assert_int_equal(m.rcpt[0].cls, LW_CLASS_HARD);
	assert_string_equal(m.rcpt[0].action, "failed");
	assert_string_equal(m.rcpt[1].recipient, "b@example.org");
	assert_string_equal(m.rcpt[1].reply, "550");
	assert_int_equal(m.rcpt[1].cls, LW_CLASS_SOFT);
	assert_string_equal(m.rcpt[1].rule, "mail-unknown-user-after-data");
	lw_mail_clear(&m);

	/* A delay warning is delayed, and so never hard. */
	parse("From: MAILER-DAEMON@mx.example.com\n"
	    "Subject: Warning: message 1abc delayed 24 hours\n"
	    "\n"
	    "This message was created automatically by mail delivery "
	    "software.\n"
	    "A message that you sent has not yet been delivered to one or "
	    "more of its\nrecipients after more than 24 hours on the queue.\n"
	    "\n"
	    "  late@example.net\n"
	    "    Delay reason: 450 user unknown\n", NULL, &m);
	assert_int_equal(m.nrcpt, 1);
	assert_string_equal(m.rcpt[0].action, "delayed");
	assert_true(m.rcpt[0].cls != LW_CLASS_HARD);
	lw_mail_clear(&m);
}

/* test_verp - the recipient from the address the bounce went to */
static void
test_verp(void **state)
{
	static const char msg[] =
	    "Return-Path: <>\n"
	    "Delivered-To: bounces+ivy=example.net@lists.example.com\n"
	    "From: postmaster@mx.example.net\n"
	    "To: bounces+ivy=example.net@lists.example.com\n"
	    "Subject: Undeliverable message\n"
	    "\n"
	    "Your message could not be delivered: 550 5.1.1 mailbox "
	    "unavailable.\n";
	char out[64];
	struct lw_mail m;

	(void)state;
	parse(msg, NULL, &m);
	assert_int_equal(m.kind, LW_MAIL_NONE);
	lw_mail_clear(&m);
	parse(msg, "bounces+%l=%d@lists.example.com", &m);
	assert_int_equal(m.kind, LW_MAIL_PROSE);
	assert_int_equal(m.nrcpt, 1);
	assert_string_equal(m.rcpt[0].recipient, "ivy@example.net");
	assert_string_equal(m.rcpt[0].status, "5.1.1");
	assert_int_equal(m.rcpt[0].cls, LW_CLASS_HARD);
	lw_mail_clear(&m);

	assert_true(lw_verp_valid("bounces+%l=%d@example.com"));
	assert_true(lw_verp_valid("%d-%l-bounce@example.com"));
	assert_false(lw_verp_valid("bounces@example.com"));
	assert_false(lw_verp_valid("bounces+%l@example.com"));
	assert_false(lw_verp_valid("bounces+%l%d@example.com"));
	assert_false(lw_verp_valid("bounces+%l=x@%d"));
	assert_false(lw_verp_valid("b+%l=%d=%l@example.com"));
	assert_false(lw_verp_valid(NULL));
	assert_int_equal(lw_verp_decode("bounces+%l=%d@example.com",
	    "BOUNCES+a.b=c=x.example.net@Example.COM", out, sizeof(out)), 1);
	/* The last separator splits: a domain holds no "=". */
	assert_string_equal(out, "a.b=c@x.example.net");
	assert_int_equal(lw_verp_decode("%d-%l-bounce@example.com",
	    "example.org-joe-bounce@example.com", out, sizeof(out)), 1);
	assert_string_equal(out, "joe@example.org");
	assert_int_equal(lw_verp_decode("bounces+%l=%d@example.com",
	    "bounces@example.com", out, sizeof(out)), 0);
	assert_int_equal(lw_verp_decode("bounces+%l=%d@example.com",
	    "bounces+joe=localhost@example.com", out, sizeof(out)), 0);
	assert_int_equal(lw_verp_decode("bounces+%l=%d@example.com",
	    "bounces+joe=example.org@example.com", out, 8), 0);
	assert_int_equal(lw_verp_decode("100%%+%l=%d@example.com",
	    "100%+joe=example.org@example.com", out, sizeof(out)), 1);
	assert_string_equal(out, "joe@example.org");
}

/* test_line_ends - CR alone, CRLF and LF read alike */
static void
test_line_ends(void **state)
{
	static const char lf[] =
	    "From: MAILER-DAEMON@mx.example.com\n"
	    "Subject: failure notice\n"
	    "\n"
	    "Hi. This is the qmail-send program at mx.example.com.\n"
	    "\n"
	    "<di@example.net>:\n"
	    "Sorry, no mailbox here by that name. (#5.1.1)\n";
	char buf[sizeof(lf) * 2];
	const char *ends[] = { "\r", "\r\n" };
	struct lw_mail m;
	size_t i, k, n;

	(void)state;
	for (k = 0; k < 2; k++) {
		for (i = n = 0; lf[i]; i++) {
			if (lf[i] == '\n') {
				memcpy(buf + n, ends[k], strlen(ends[k]));
				n += strlen(ends[k]);
			} else
				buf[n++] = lf[i];
		}
		buf[n] = '\0';
		parse(buf, NULL, &m);
		assert_int_equal(m.nrcpt, 1);
		assert_string_equal(m.rcpt[0].recipient, "di@example.net");
		assert_string_equal(m.rcpt[0].diagnostic,
		    "Sorry, no mailbox here by that name. (#5.1.1)");
		assert_int_equal(m.rcpt[0].cls, LW_CLASS_HARD);
		lw_mail_clear(&m);
	}
}

/* test_limits - deep nesting and many recipients stay bounded */
static void
test_limits(void **state)
{
	size_t size = 1u << 20, n = 0;
	char *buf = malloc(size);
	struct lw_mail m;
	int i;

	(void)state;
	assert_non_null(buf);
	add(buf, size, &n, "From: MAILER-DAEMON@mx.example.com\n"
	    "MIME-Version: 1.0\n");
	for (i = 0; i < 100; i++)
		add(buf, size, &n, "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\n\n--b%d\n", i, i);
	add(buf, size, &n, "Content-Type: message/delivery-status\n\n"
	    "Final-Recipient: rfc822; deep@example.net\nAction: failed\n"
	    "Status: 5.1.1\n");
	parse(buf, NULL, &m);
	/* Below LW_MAIL_DEPTH_MAX nothing is read: no DSN found. */
	assert_int_equal(m.nrcpt, 0);
	lw_mail_clear(&m);

	n = 0;
	add(buf, size, &n, "From: MAILER-DAEMON@mx.example.com\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/report; "
	    "boundary=\"B\"\n\n--B\nContent-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx.example.com\n\n");
	for (i = 0; i < LW_MAIL_RCPT_MAX + 50; i++)
		add(buf, size, &n, "Final-Recipient: rfc822; u%d@example.net\n"
		    "Action: failed\nStatus: 5.1.1\n\n", i);
	add(buf, size, &n, "--B--\n");
	parse(buf, NULL, &m);
	assert_int_equal(m.nrcpt, LW_MAIL_RCPT_MAX);
	lw_mail_clear(&m);
	free(buf);
}

/* read_records - every record of s read as format, into a summary */
static void
read_records(const char *s, enum lw_events_format format, char *out,
    size_t size)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	size_t n = 0;
	FILE *fp;
	int got;

	fp = fmemopen((void *)s, strlen(s), "r");
	assert_non_null(fp);
	assert_int_equal(lw_events_open(&r, fp, "t", format), LW_OK);
	out[0] = '\0';
	while ((got = lw_events_next(r, &rec)) == 1) {
		if (rec.ignored != NULL)
			add(out, size, &n, "%lu:%s;", rec.line, rec.ignored);
		else
			add(out, size, &n, "%lu.%lu:%s:%s:%s;", rec.line,
			    rec.item, rec.recipient, rec.type,
			    rec.event_id ? rec.event_id : "-");
	}
	assert_int_equal(got, 0);
	if (format == LW_EVENTS_AUTO)
		add(out, size, &n, "%d", (int)lw_events_format(r));
	lw_events_close(r);
	fclose(fp);
}

/* test_events_mbox - an mbox through the readers, found by AUTO */
static void
test_events_mbox(void **state)
{
	static const char mbox[] =
	    "From MAILER-DAEMON Mon Jan  5 09:00:00 2026\n"
	    "From: MAILER-DAEMON@mx.example.com\n"
	    "Subject: failure notice\n"
	    "Message-ID: <q1@mx.example.com>\n"
	    "\n"
	    "Hi. This is the qmail-send program at mx.example.com.\n"
	    "\n"
	    "<ed@example.net>:\n"
	    "Sorry, no mailbox here by that name. (#5.1.1)\n"
	    ">From here on, a quoted line\n"
	    "\n"
	    "From MAILER-DAEMON Mon Jan  5 09:00:01 2026\n"
	    "From: fay@example.net\n"
	    "Subject: lunch?\n"
	    "\n"
	    "See you.\n";
	char out[512];

	(void)state;
	read_records(mbox, LW_EVENTS_AUTO, out, sizeof(out));
	assert_string_equal(out, "1.1:ed@example.net:hard:"
	    "q1@mx.example.com:ed@example.net;12:not-a-bounce;9");
	assert_int_equal(LW_EVENTS_MBOX, 9);
	/* One message: AUTO finds it by its first header. */
	read_records(mbox + 44, LW_EVENTS_AUTO, out, sizeof(out));
	assert_string_equal(out, "1.1:ed@example.net:hard:"
	    "q1@mx.example.com:ed@example.net;8");
	assert_int_equal(LW_EVENTS_MAIL, 8);
	assert_int_equal(lw_events_format_parse("mbox"), LW_EVENTS_MBOX);
	assert_int_equal(lw_events_format_parse("Mail"), LW_EVENTS_MAIL);
	assert_int_equal(lw_events_format_parse("postfix-log"),
	    LW_EVENTS_POSTFIX_LOG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dsn_blocks),
		cmocka_unit_test(test_dsn_delayed),
		cmocka_unit_test(test_dsn_recipients),
		cmocka_unit_test(test_arf),
		cmocka_unit_test(test_auto_reply),
		cmocka_unit_test(test_not_bounce),
		cmocka_unit_test(test_prose),
		cmocka_unit_test(test_verp),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_events_mbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
