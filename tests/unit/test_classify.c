/*
 * test_classify.c - unit tests of the classify module
 *
 * NAME
 *	test_classify - every row of the four tables, and the order they
 *	are read in
 *
 * DESCRIPTION
 *	One case per row of each table in src/classify.c, in the table's
 *	order: every explicit type, every enhanced status row, every reply
 *	code row and every phrase row.  Each case is a wording as an MTA, a
 *	provider or an ESP writes it, the class it must get and the rule
 *	that must decide, so that a failure says which row answered instead.
 *	A status case carries a text whose phrase, if any, is not one that
 *	overrides the status; a phrase case carries no decisive status (a
 *	reply code only, an X.Y.0, or a strong phrase that overrides any).
 *	Where several phrases share a rule each still has its case, written
 *	so that no earlier phrase of the table matches first.
 *
 *	A second table proves the order of classify.h, one rule per row and
 *	its name in the description; malformed and missing inputs first.  A
 *	third holds real wordings this file reads differently from the
 *	tables (see its comment).  Last, the class names.
 *
 *	Addresses are example.com and friends, IPs 192.0.2.0/24; the rest
 *	of each wording is the server's.  Every failing row is printed with
 *	its description before the test fails, so one run shows them all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "listwarden/classify.h"

/* One outcome as a feed reports it, and what it must be classified as. */
struct classify_case {
	const char *desc;
	const char *type;	/* the four inputs; NULL when absent */
	const char *status;
	const char *reply;
	const char *text;
	enum lw_class cls;	/* the class expected */
	const char *rule;	/* the rule that must decide; NULL: any */
};

#define NCASES(t)	(sizeof(t) / sizeof((t)[0]))

/* The explicit types, as ESPs and feedback loops name their events. */
static const struct classify_case type_cases[] = {
	{ "Mailchimp's cleaned reason \"hard\"",
	    "hard", NULL, NULL, NULL, LW_CLASS_HARD, "type" },
	{ "Postmark's HardBounce, with the reply it carries",
	    "HardBounce", "5.1.1", "550",
	    "smtp;550 5.1.1 The email account that you tried to reach does "
	    "not exist.", LW_CLASS_HARD, "type" },
	{ "Mandrill's hard_bounce event",
	    "hard_bounce", NULL, NULL, NULL, LW_CLASS_HARD, "type" },
	{ "a hard-bounce column of a CSV export",
	    "hard-bounce", NULL, NULL, NULL, LW_CLASS_HARD, "type" },
	{ "Amazon SES's bounceType Permanent",
	    "Permanent", "5.1.1", "550",
	    "smtp; 550 5.1.1 user unknown", LW_CLASS_HARD, "type" },
	{ "a bounce-type column saying soft",
	    "soft", NULL, NULL, NULL, LW_CLASS_SOFT, "type" },
	{ "Postmark's SoftBounce",
	    "SoftBounce", NULL, NULL, NULL, LW_CLASS_SOFT, "type" },
	{ "Mandrill's soft_bounce event",
	    "soft_bounce", NULL, NULL, NULL, LW_CLASS_SOFT, "type" },
	{ "a soft-bounce column of a CSV export",
	    "soft-bounce", NULL, NULL, NULL, LW_CLASS_SOFT, "type" },
	{ "Amazon SES's bounceType Transient, for a full mailbox",
	    "Transient", "4.2.2", "452",
	    "smtp; 452 4.2.2 Mailbox full", LW_CLASS_SOFT, "type" },
	{ "Mailgun's failed event with severity temporary",
	    "temporary", NULL, NULL, NULL, LW_CLASS_SOFT, "type" },
	{ "SendGrid's deferred event",
	    "deferred", NULL, NULL, NULL, LW_CLASS_SOFT, "type" },
	{ "Amazon SES's notificationType Complaint",
	    "Complaint", NULL, NULL, NULL, LW_CLASS_COMPLAINT, "type" },
	{ "SendGrid's spamreport event",
	    "spamreport", NULL, NULL, NULL, LW_CLASS_COMPLAINT, "type" },
	{ "a spam_report event",
	    "spam_report", NULL, NULL, NULL, LW_CLASS_COMPLAINT, "type" },
	{ "Postmark's SpamComplaint",
	    "SpamComplaint", NULL, NULL, NULL, LW_CLASS_COMPLAINT, "type" },
	{ "an ARF report with Feedback-Type: abuse",
	    "abuse", NULL, NULL, NULL, LW_CLASS_COMPLAINT, "type" },
	{ "a feedback-loop (fbl) event",
	    "fbl", NULL, NULL, NULL, LW_CLASS_COMPLAINT, "type" },
	{ "SendGrid's unsubscribe event",
	    "unsubscribe", NULL, NULL, NULL, LW_CLASS_UNSUBSCRIBE, "type" },
	{ "Mailgun's unsubscribed event",
	    "unsubscribed", NULL, NULL, NULL, LW_CLASS_UNSUBSCRIBE, "type" },
	{ "an ARF report with Feedback-Type: opt-out",
	    "opt-out", NULL, NULL, NULL, LW_CLASS_UNSUBSCRIBE, "type" },
	{ "an optout event",
	    "optout", NULL, NULL, NULL, LW_CLASS_UNSUBSCRIBE, "type" },
	{ "a List-Unsubscribe request",
	    "list-unsubscribe", NULL, NULL, NULL, LW_CLASS_UNSUBSCRIBE,
	    "type" },
	{ "SendGrid's and Mailgun's delivered event",
	    "delivered", NULL, NULL, NULL, LW_CLASS_DELIVERED, "type" },
	{ "Amazon SES's notificationType Delivery, with its smtpResponse",
	    "Delivery", "2.6.0", "250",
	    "250 2.6.0 <0100018c@email.amazonses.com> [InternalId=123] "
	    "Queued mail for delivery", LW_CLASS_DELIVERED, "type" },
	{ "a sent event",
	    "sent", NULL, NULL, NULL, LW_CLASS_DELIVERED, "type" },
	{ "a class column that names technical, over a hard-looking reply",
	    "technical", NULL, "550", "550 Host unknown", LW_CLASS_TECHNICAL,
	    "type" },
	{ "a class column that names policy",
	    "Policy", NULL, NULL, NULL, LW_CLASS_POLICY, "type" },
};

/*
 * The RFC 3463 rows.  Each text is one whose phrase, if it has one, does
 * not override the status, so the row named is the one that decides.
 */
static const struct classify_case status_cases[] = {
	/* X.1 addressing */
	{ "Postfix: no such local user (5.1.1 under the 5.1 row)",
	    NULL, "5.1.1", "550",
	    "550 5.1.1 <jane@example.com>: Recipient address rejected: "
	    "User unknown in local recipient table",
	    LW_CLASS_HARD, "status-5.1-bad-address" },
	{ "5.1.5 says the address is valid: not the 5.1 row, the text "
	    "decides",
	    NULL, "5.1.5", "550",
	    "550 5.1.5 <jane@example.com>: Recipient address rejected: "
	    "User unknown in local recipient table",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "Gmail refuses our envelope sender's syntax (5.1.7)",
	    NULL, "5.1.7", "553",
	    "553-5.1.7 The sender address <news@localhost> is not a valid "
	    "RFC 5321 address.",
	    LW_CLASS_POLICY, "status-5.1.7-bad-sender-syntax" },
	{ "Office 365 refuses our sending account (5.1.8)",
	    NULL, "5.1.8", "550",
	    "550 5.1.8 Access denied, bad outbound sender",
	    LW_CLASS_POLICY, "status-5.1.8-bad-sender-domain" },
	{ "Postfix: the recipient's domain does not resolve for now (4.1.2)",
	    NULL, "4.1.2", "450",
	    "450 4.1.2 <jane@example.net>: Recipient address rejected: "
	    "Domain not found",
	    LW_CLASS_SOFT, "status-4.1-address-temporary" },
	/* X.2 mailbox */
	{ "Exchange cannot deliver to the mailbox store (5.2.0, no phrase)",
	    NULL, "5.2.0", "554",
	    "554 5.2.0 STOREDRV.Deliver.Exception:ObjectNotFoundException; "
	    "Failed to process message due to a permanent exception",
	    LW_CLASS_SOFT, "status-5.2-mailbox" },
	{ "Gmail: the account is disabled (5.2.1)",
	    NULL, "5.2.1", "550",
	    "550-5.2.1 The email account that you tried to reach is "
	    "disabled. Learn more at "
	    "https://support.google.com/mail/?p=DisabledUser",
	    LW_CLASS_HARD, "status-5.2.1-mailbox-disabled" },
	{ "an ESP export that keeps the status of a full mailbox (5.2.2)",
	    NULL, "5.2.2", NULL, NULL,
	    LW_CLASS_SOFT, "status-5.2.2-mailbox-full" },
	{ "Gmail: message over its size limit (5.2.3)",
	    NULL, "5.2.3", "552",
	    "552-5.2.3 Your message exceeded Google's message size limits. "
	    "Please visit https://support.google.com/mail/?p=MaxSizeError "
	    "to view our size guidelines.",
	    LW_CLASS_POLICY, "status-5.2.3-message-too-large" },
	{ "a list the server could not expand (5.2.4)",
	    NULL, "5.2.4", "550",
	    "550 5.2.4 Mailing list expansion problem",
	    LW_CLASS_TECHNICAL, "status-5.2.4-list-expansion" },
	{ "a busy mailbox, for now (4.2.1)",
	    NULL, "4.2.1", "450",
	    "450 4.2.1 <jane@example.com>: Mailbox temporarily unavailable",
	    LW_CLASS_SOFT, "status-4.2-mailbox-temporary" },
	/* X.3 mail system */
	{ "Sendmail: mail loops back to me, a configuration error (5.3.5)",
	    NULL, "5.3.5", "553",
	    "553 5.3.5 mx.example.com. config error: mail loops back to me "
	    "(MX problem?)",
	    LW_CLASS_TECHNICAL, "status-5.3-mail-system" },
	{ "Postfix: message size exceeds fixed limit (5.3.4)",
	    NULL, "5.3.4", "552",
	    "552 5.3.4 Message size exceeds fixed limit",
	    LW_CLASS_POLICY, "status-5.3.4-message-too-large" },
	{ "Postfix: the receiving queue is out of disk (4.3.1)",
	    NULL, "4.3.1", "452",
	    "452 4.3.1 Insufficient system storage",
	    LW_CLASS_TECHNICAL, "status-4.3-mail-system" },
	/* X.4 network and routing */
	{ "Exchange: hop count exceeded (5.4.6)",
	    NULL, "5.4.6", "554",
	    "554 5.4.6 Hop count exceeded - possible mail loop",
	    LW_CLASS_TECHNICAL, "status-5.4-routing" },
	{ "Postfix: connection timed out (4.4.1)",
	    NULL, "4.4.1", NULL,
	    "connect to mx.example.com[192.0.2.1]:25: Connection timed out",
	    LW_CLASS_TECHNICAL, "status-4.4-routing" },
	/* X.5 protocol */
	{ "Postfix: a command out of sequence (5.5.1)",
	    NULL, "5.5.1", "503",
	    "503 5.5.1 Error: need RCPT command",
	    LW_CLASS_TECHNICAL, "status-5.5-protocol" },
	{ "Postfix: too many recipients in one transaction (4.5.3)",
	    NULL, "4.5.3", "452",
	    "452 4.5.3 Error: too many recipients",
	    LW_CLASS_TECHNICAL, "status-4.5-protocol" },
	/* X.6 content and media */
	{ "Postfix: SMTPUTF8 needed but not offered (5.6.7)",
	    NULL, "5.6.7", NULL,
	    "SMTPUTF8 is required, but was not offered by host "
	    "mx.example.com[192.0.2.1]",
	    LW_CLASS_POLICY, "status-5.6-content" },
	{ "a conversion that failed for now (4.6.5)",
	    NULL, "4.6.5", "451",
	    "451 4.6.5 Conversion failed",
	    LW_CLASS_TECHNICAL, "status-4.6-conversion" },
	/* X.7 security and policy */
	{ "Outlook.com: our network is on its block list (5.7.1, S3150)",
	    NULL, "5.7.1", "550",
	    "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't "
	    "sent. Please contact your Internet service provider since part "
	    "of their network is on our block list (S3150).",
	    LW_CLASS_POLICY, "status-5.7-policy" },
	{ "Yahoo's TS03: our IP is deferred for its reputation (4.7.1)",
	    NULL, "4.7.1", "421",
	    "421 4.7.1 [TS03] All messages from 192.0.2.1 will be "
	    "permanently deferred; Retrying will NOT succeed. See "
	    "https://postmaster.yahooinc.com/error-codes",
	    LW_CLASS_POLICY, "status-4.7-policy" },
};

/* The reply-code rows: no status, and no phrase in the text. */
static const struct classify_case reply_cases[] = {
	{ "421: the server closes the channel",
	    NULL, NULL, "421",
	    "421 mx.example.com Service not available, closing transmission "
	    "channel",
	    LW_CLASS_TECHNICAL, "reply-421-service-unavailable" },
	{ "450: the mailbox is busy",
	    NULL, NULL, "450",
	    "450 Requested mail action not taken: mailbox busy",
	    LW_CLASS_SOFT, "reply-450-mailbox-unavailable" },
	{ "451: Exim's temporary local problem",
	    NULL, NULL, "451",
	    "451 Temporary local problem - please try later",
	    LW_CLASS_TECHNICAL, "reply-451-local-error" },
	{ "452: insufficient system storage, as RFC 5321 words it",
	    NULL, NULL, "452",
	    "452 Requested action not taken: insufficient system storage",
	    LW_CLASS_SOFT, "reply-452-insufficient-storage" },
	{ "551: user not local, with a forward path",
	    NULL, NULL, "551",
	    "551 User not local; please try <jane@example.org>",
	    LW_CLASS_HARD, "reply-551-user-not-local" },
	{ "552: a feed that keeps only the reply code",
	    NULL, NULL, "552", NULL,
	    LW_CLASS_SOFT, "reply-552-storage-exceeded" },
	{ "553: mailbox name not allowed",
	    NULL, NULL, "553",
	    "553 <jane@example..com>: Requested action not taken: mailbox "
	    "name not allowed",
	    LW_CLASS_HARD, "reply-553-mailbox-name-invalid" },
	{ "554: transaction failed, and nothing more",
	    NULL, NULL, "554",
	    "554 Transaction failed",
	    LW_CLASS_POLICY, "reply-554-transaction-failed" },
};

/*
 * The phrase rows, in the table's order.  No case carries a status that
 * would decide over its phrase, and none holds an earlier phrase.
 */
static const struct classify_case phrase_cases[] = {
	/* a full mailbox */
	{ "\"mailbox full\": a bare Mailbox full at RCPT TO",
	    NULL, NULL, "552",
	    "552 RCPT TO:<jane@example.com> Mailbox full",
	    LW_CLASS_SOFT, "text-mailbox-full" },
	{ "\"mailbox is full\": Exim's local delivery gives up",
	    NULL, NULL, NULL,
	    "mailbox is full: retry timeout exceeded",
	    LW_CLASS_SOFT, "text-mailbox-full" },
	{ "\"mailfolder is full\"",
	    NULL, NULL, "552",
	    "552 <jane@example.de>: mailfolder is full",
	    LW_CLASS_SOFT, "text-mailbox-full" },
	{ "\"inbox is full\"",
	    NULL, NULL, "552",
	    "552 Sorry, the recipient's inbox is full",
	    LW_CLASS_SOFT, "text-mailbox-full" },
	{ "\"mailbox exceeds\"",
	    NULL, NULL, "552",
	    "552 <jane@example.com>: mailbox exceeds allowed size",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"quota exceeded\": Dovecot's default quota message",
	    NULL, NULL, "552",
	    "552 <jane@example.com> Quota exceeded (mailbox for user is "
	    "full)",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"exceeded quota\"",
	    NULL, NULL, "552",
	    "552 <jane@example.com>: user has exceeded quota, message "
	    "rejected",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"exceeds quota\"",
	    NULL, NULL, "452",
	    "452 <jane@example.com>: user exceeds quota",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"over quota\": Gmail (a strong phrase, over its own 4.2.2)",
	    NULL, "4.2.2", "452",
	    "452-4.2.2 The email account that you tried to reach is over "
	    "quota. Please direct the recipient to "
	    "https://support.google.com/mail/?p=OverQuotaTemp",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"overquota\"",
	    NULL, NULL, "552",
	    "552 <jane@example.com>: user overquota",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"over the quota\"",
	    NULL, NULL, "552",
	    "552 The recipient's mailbox is over the quota",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"exceeded storage\": RFC 5321's 552 wording",
	    NULL, NULL, "552",
	    "552 Requested mail action aborted: exceeded storage allocation",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"storage allocation\"",
	    NULL, NULL, "552",
	    "552 jane@example.com: message would exceed storage allocation",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"insufficient storage\"",
	    NULL, NULL, "452",
	    "452 Insufficient storage space for jane@example.com",
	    LW_CLASS_SOFT, "text-over-quota" },
	{ "\"mailbox size limit\"",
	    NULL, NULL, "552",
	    "552 Mailbox size limit exceeded",
	    LW_CLASS_SOFT, "text-over-quota" },

	/* temporary conditions of the way there */
	{ "\"greylist\": Postgrey, whose wording also has recipient words",
	    NULL, "4.2.0", "450",
	    "450 4.2.0 <jane@example.com>: Recipient address rejected: "
	    "Greylisted, see http://postgrey.schweikert.ch/help/"
	    "example.com.html",
	    LW_CLASS_TECHNICAL, "text-greylisted" },
	{ "\"graylist\"",
	    NULL, NULL, "451",
	    "451 Graylisted, please try again in 5 minutes",
	    LW_CLASS_TECHNICAL, "text-greylisted" },
	{ "\"try again later\": Gmail closes the connection (4.7.0)",
	    NULL, "4.7.0", "421",
	    "421 4.7.0 Try again later, closing connection. (EHLO)",
	    LW_CLASS_TECHNICAL, "text-try-again-later" },
	{ "\"please try again\": Outlook.com's RP-001 hourly limit",
	    NULL, NULL, "421",
	    "421 RP-001 (BAY004-MC1F40) Unfortunately, some messages from "
	    "192.0.2.1 weren't sent. Please try again. We have limits for "
	    "how many messages can be sent per hour and per day.",
	    LW_CLASS_TECHNICAL, "text-try-again-later" },
	{ "\"host not found, try again\": Postfix's temporary DNS failure",
	    NULL, NULL, NULL,
	    "Host or domain name not found. Name service error for "
	    "name=example.com type=MX: Host not found, try again",
	    LW_CLASS_TECHNICAL, "text-dns-temporary" },
	/* Yahoo documents TSS04 as a deferral for the sending IP's
	 * complaint rate: temporary in form, the sender's to fix. */
	{ "\"user complaints\": Yahoo's TSS04 (4.7.0)",
	    NULL, "4.7.0", "421",
	    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred "
	    "due to unexpected volume or user complaints - 4.16.55.1; see "
	    "https://postmaster.yahooinc.com/error-codes",
	    LW_CLASS_POLICY, "text-bad-reputation" },
	{ "\"temporarily deferred\" alone (4.7.0)",
	    NULL, "4.7.0", "421",
	    "421 4.7.0 Messages from 192.0.2.1 temporarily deferred, retry "
	    "in an hour",
	    LW_CLASS_TECHNICAL, "text-deferred" },
	{ "\"not reachable\": Zoho",
	    NULL, NULL, "421", "421 Host not reachable.",
	    LW_CLASS_TECHNICAL, "text-unreachable" },
	{ "\"requests to connect\": Gmail",
	    NULL, NULL, NULL, "The recipient server did not accept our "
	    "requests to connect.", LW_CLASS_TECHNICAL, "text-cannot-connect" },
	{ "\"sender rejected\" under 5.1.0 is not the recipient's",
	    NULL, "5.1.0", "550", "550 5.1.0 <bounce@mail.example.com> sender "
	    "rejected", LW_CLASS_POLICY, "text-sender-rejected" },
	{ "\"my name was rejected\": qmail, our HELO",
	    NULL, "5.0.0", "501", "Connected to 192.0.2.1 but my name was "
	    "rejected. Remote host said: 501 5.0.0 Invalid domain name",
	    LW_CLASS_POLICY, "text-sender-rejected" },
	{ "Domino, in Japanese: not found in the directory",
	    NULL, "5.0.0", NULL, "\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6\xe3"
	    "\x83\xbc Neko \xe3\x81\xaf Domino \xe3\x83\x87\xe3\x82\xa3\xe3"
	    "\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa\xe3\x81\xab\xe3"
	    "\x81\xaf\xe8\xa6\x8b\xe3\x81\xa4\xe3\x81\x8b\xe3\x82\x8a\xe3"
	    "\x81\xbe\xe3\x81\x9b\xe3\x82\x93",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "\"ip reputation\": Outlook's 4.7.650",
	    NULL, "4.7.650", "451",
	    "451 4.7.650 The mail server [192.0.2.25] has been temporarily "
	    "rate limited due to IP reputation.",
	    LW_CLASS_POLICY, "text-bad-reputation" },
	{ "\"rate limit\": Gmail's unusual rate of unsolicited mail (4.7.0)",
	    NULL, "4.7.0", "421",
	    "421-4.7.0 [192.0.2.1 15] Our system has detected an unusual "
	    "rate of unsolicited mail originating from your IP address. To "
	    "protect our users from spam, mail sent from your IP address "
	    "has been temporarily rate limited.",
	    LW_CLASS_TECHNICAL, "text-rate-limited" },
	{ "\"receiving mail at a rate\": Gmail (over its own 4.2.1)",
	    NULL, "4.2.1", "450",
	    "450-4.2.1 The user you are trying to contact is receiving mail "
	    "at a rate that prevents additional messages from being "
	    "delivered. Please resend your message at a later time.",
	    LW_CLASS_TECHNICAL, "text-rate-limited" },
	{ "\"too many connections\": Postfix's anvil (4.7.0)",
	    NULL, "4.7.0", "421",
	    "421 4.7.0 mx.example.com Error: too many connections from "
	    "192.0.2.1",
	    LW_CLASS_TECHNICAL, "text-rate-limited" },
	{ "\"too many messages\"",
	    NULL, NULL, "421",
	    "421 Too many messages from your IP address, slow down",
	    LW_CLASS_TECHNICAL, "text-rate-limited" },
	{ "\"timed out\": Postfix cannot connect",
	    NULL, NULL, NULL,
	    "connect to mx.example.com[192.0.2.1]:25: Connection timed out",
	    LW_CLASS_TECHNICAL, "text-timeout" },
	{ "\"timeout\": Exim's retry timeout",
	    NULL, NULL, NULL,
	    "retry timeout exceeded",
	    LW_CLASS_TECHNICAL, "text-timeout" },
	{ "\"envelope expired\": OpenSMTPD gives up",
	    NULL, NULL, NULL,
	    "Envelope expired",
	    LW_CLASS_TECHNICAL, "text-expired" },
	{ "\"delivery time expired\"",
	    NULL, NULL, NULL,
	    "Delivery time expired",
	    LW_CLASS_TECHNICAL, "text-expired" },
	{ "\"not delivered within\"",
	    NULL, NULL, NULL,
	    "The message was not delivered within 5 days",
	    LW_CLASS_TECHNICAL, "text-expired" },
	{ "\"giving up\": qmail gives up on a host",
	    NULL, NULL, NULL,
	    "Connected to 192.0.2.1 but greeting failed. Giving up on "
	    "192.0.2.1.",
	    LW_CLASS_TECHNICAL, "text-expired" },
	{ "\"connection refused\": Postfix cannot connect",
	    NULL, NULL, NULL,
	    "connect to mx.example.com[192.0.2.1]:25: Connection refused",
	    LW_CLASS_TECHNICAL, "text-connection-refused" },
	{ "\"no route to host\": Postfix cannot connect",
	    NULL, NULL, NULL,
	    "connect to mx.example.com[192.0.2.1]:25: No route to host",
	    LW_CLASS_TECHNICAL, "text-no-route" },
	{ "\"network error\"",
	    NULL, NULL, "451",
	    "451 Network error, please retry",
	    LW_CLASS_TECHNICAL, "text-network-error" },
	{ "\"no mx\"",
	    NULL, NULL, NULL,
	    "No MX found for domain example.com",
	    LW_CLASS_TECHNICAL, "text-no-mx" },
	{ "\"mail loop\": Exim counts Received headers",
	    NULL, NULL, NULL,
	    "Too many \"Received\" headers - suspected mail loop",
	    LW_CLASS_TECHNICAL, "text-mail-loop" },
	{ "\"loops back to myself\": Postfix",
	    NULL, NULL, NULL,
	    "mail for example.com loops back to myself",
	    LW_CLASS_TECHNICAL, "text-mail-loop" },
	{ "\"hop count exceeded\"",
	    NULL, NULL, "554",
	    "554 Hop count exceeded",
	    LW_CLASS_TECHNICAL, "text-mail-loop" },
	{ "\"temporary failure\": the resolver's EAI_AGAIN",
	    NULL, NULL, NULL,
	    "Temporary failure in name resolution",
	    LW_CLASS_TECHNICAL, "text-temporary-failure" },
	{ "\"temporarily unavailable\": Mimecast's 451",
	    NULL, NULL, "451",
	    "451 Internal resource temporarily unavailable - "
	    "https://community.mimecast.com/docs/DOC-1369#451",
	    LW_CLASS_SOFT, "text-temporarily-unavailable" },

	/* the sender's fault: reputation, authentication, content */
	{ "\"spamhaus\": Postfix's RBL reject (strong, over its 5.7.1)",
	    NULL, "5.7.1", "554",
	    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked "
	    "using zen.spamhaus.org; https://www.spamhaus.org/query/ip/"
	    "192.0.2.1",
	    LW_CLASS_POLICY, "text-blocklisted" },
	{ "\"spamcop\": Postfix's RBL reject",
	    NULL, NULL, "554",
	    "554 Service unavailable; Client host [192.0.2.1] blocked using "
	    "bl.spamcop.net; Blocked - see "
	    "https://www.spamcop.net/bl.shtml?192.0.2.1",
	    LW_CLASS_POLICY, "text-blocklisted" },
	{ "\"barracuda\": the Barracuda Reputation Block List",
	    NULL, NULL, "554",
	    "554 Service unavailable; Client host [192.0.2.1] blocked using "
	    "b.barracudacentral.org; "
	    "http://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.1",
	    LW_CLASS_POLICY, "text-blocklisted" },
	{ "\"blacklist\"",
	    NULL, NULL, "550",
	    "550 Rejected: 192.0.2.1 is on our blacklist",
	    LW_CLASS_POLICY, "text-blocklisted" },
	{ "\"blocklist\": Outlook.com's Blocklist 1 (over its 5.7.1)",
	    NULL, "5.7.1", "550",
	    "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked "
	    "using Blocklist 1; To request removal from this list please "
	    "forward this message to delist@messaging.microsoft.com",
	    LW_CLASS_POLICY, "text-blocklisted" },
	{ "\"dnsbl\"",
	    NULL, NULL, "554",
	    "554 Rejected: 192.0.2.1 listed at dnsbl.sorbs.net",
	    LW_CLASS_POLICY, "text-blocklisted" },
	{ "\"is listed\"",
	    NULL, NULL, "550",
	    "550 Mail from 192.0.2.1 refused: your IP is listed by "
	    "UCEPROTECT-Level1",
	    LW_CLASS_POLICY, "text-blocklisted" },
	{ "\"blocked\": Proofpoint",
	    NULL, NULL, "554",
	    "554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1",
	    LW_CLASS_POLICY, "text-blocked" },
	{ "\"refused to talk to me\": Sendmail",
	    NULL, NULL, NULL,
	    "host mx.example.com [192.0.2.1] refused to talk to me: 554 "
	    "Service unavailable",
	    LW_CLASS_POLICY, "text-blocked" },
	{ "\"reputation\": the sending MTA's poor reputation",
	    NULL, NULL, "554",
	    "554 Your access to this mail system has been rejected due to "
	    "the sending MTA's poor reputation. If you believe that this "
	    "failure is in error, please contact the intended recipient via "
	    "alternate means.",
	    LW_CLASS_POLICY, "text-bad-reputation" },
	{ "\"dmarc\": Gmail refuses mail that fails DMARC",
	    NULL, NULL, "550",
	    "550 Unauthenticated email from example.org is not accepted due "
	    "to domain's DMARC policy. Please contact the administrator of "
	    "example.org domain if this was a legitimate mail.",
	    LW_CLASS_POLICY, "text-dmarc" },
	{ "\"dkim\"",
	    NULL, NULL, "550",
	    "550 No passing DKIM signature found",
	    LW_CLASS_POLICY, "text-dkim" },
	{ "\"spf\": policyd-spf behind Postfix",
	    NULL, NULL, "550",
	    "550 <jane@example.com>: Recipient address rejected: Message "
	    "rejected due to: SPF fail - not authorized. Please see "
	    "http://www.openspf.net/Why?s=mfrom;id=news@example.org;"
	    "ip=192.0.2.1;r=mx.example.com",
	    LW_CLASS_POLICY, "text-spf" },
	{ "\"reverse dns\"",
	    NULL, NULL, "550",
	    "550 Rejected: 192.0.2.1 has no reverse DNS",
	    LW_CLASS_POLICY, "text-ptr-missing" },
	{ "\"reverse lookup\"",
	    NULL, NULL, "450",
	    "450 Client host rejected: reverse lookup failed for 192.0.2.1",
	    LW_CLASS_POLICY, "text-ptr-missing" },
	{ "\"ptr record\": Gmail refuses an IP without one",
	    NULL, NULL, "550",
	    "550 The IP address sending this message does not have a PTR "
	    "record setup, or the corresponding forward DNS entry does not "
	    "point to the sending IP. As a policy, Gmail does not accept "
	    "messages from IPs with missing PTR records.",
	    LW_CLASS_POLICY, "text-ptr-missing" },
	{ "\"rdns\"",
	    NULL, NULL, "550",
	    "550 Rejected: no rDNS for 192.0.2.1",
	    LW_CLASS_POLICY, "text-ptr-missing" },
	{ "\"relay access denied\": Postfix",
	    NULL, NULL, "554",
	    "554 <jane@example.com>: Relay access denied",
	    LW_CLASS_POLICY, "text-relay-denied" },
	{ "\"relaying denied\": Sendmail",
	    NULL, NULL, "550",
	    "550 <jane@example.com>... Relaying denied",
	    LW_CLASS_POLICY, "text-relay-denied" },
	{ "\"unable to relay\": Exchange",
	    NULL, NULL, "550",
	    "550 Unable to relay for jane@example.com",
	    LW_CLASS_POLICY, "text-relay-denied" },
	{ "\"relay not permitted\": Exim",
	    NULL, NULL, "550",
	    "550 relay not permitted",
	    LW_CLASS_POLICY, "text-relay-denied" },
	{ "\"not permitted to relay\"",
	    NULL, NULL, "554",
	    "554 jane@example.com: you are not permitted to relay through "
	    "this server",
	    LW_CLASS_POLICY, "text-relay-denied" },
	{ "\"access denied\": Office 365 bans the sending IP",
	    NULL, NULL, "550",
	    "550 Access denied, banned sending IP [192.0.2.1]. To request "
	    "removal from this list please visit https://sender.office.com/ "
	    "and follow the directions.",
	    LW_CLASS_POLICY, "text-access-denied" },
	{ "\"authentication required\" (a 5.7.0 lets the text decide)",
	    NULL, "5.7.0", "530",
	    "530 5.7.0 Authentication required",
	    LW_CLASS_POLICY, "text-auth-required" },
	{ "\"not authorized\": Exchange's restricted group",
	    NULL, NULL, "550",
	    "550 RESOLVER.RST.NotAuthorized; not authorized",
	    LW_CLASS_POLICY, "text-not-authorized" },
	{ "\"not a member\": a members-only list",
	    NULL, NULL, "550",
	    "550 <announce@lists.example.org>: sender is not a member of "
	    "this list",
	    LW_CLASS_POLICY, "text-not-a-member" },
	{ "\"after mail from\": Exim reports the command refused",
	    NULL, NULL, "550",
	    "SMTP error from remote mail server after MAIL "
	    "FROM:<news@example.org> SIZE=2048: 550 Your domain is not "
	    "allowed to send here",
	    LW_CLASS_POLICY, "text-sender-rejected" },
	{ "\"after ehlo\": Exim reports the command refused",
	    NULL, NULL, "550",
	    "SMTP error from remote mail server after EHLO mail.example.org: "
	    "550 Bad HELO - Host impersonating example.net",
	    LW_CLASS_POLICY, "text-sender-rejected" },
	{ "\"after helo\": Exim reports the command refused",
	    NULL, NULL, "501",
	    "SMTP error from remote mail server after HELO mail.example.org: "
	    "501 Syntactically invalid HELO argument(s)",
	    LW_CLASS_POLICY, "text-sender-rejected" },
	{ "\"spam\": Exchange's content filter",
	    NULL, NULL, "550",
	    "550 Message rejected as spam by Content Filtering.",
	    LW_CLASS_POLICY, "text-spam" },
	{ "\"virus\": Exim's malware ACL",
	    NULL, NULL, "550",
	    "550 This message contains a virus (Eicar-Test-Signature).",
	    LW_CLASS_POLICY, "text-content-rejected" },
	{ "\"malware\"",
	    NULL, NULL, "554",
	    "554 Message rejected: malware detected",
	    LW_CLASS_POLICY, "text-content-rejected" },
	{ "\"content rejected\": Postfix's header_checks REJECT",
	    NULL, NULL, "550",
	    "550 message content rejected",
	    LW_CLASS_POLICY, "text-content-rejected" },
	{ "\"message too large\"",
	    NULL, NULL, "552",
	    "552 Message too large (max 25 MB)",
	    LW_CLASS_POLICY, "text-message-too-large" },
	{ "\"message size exceeds\": qmail's databytes",
	    NULL, NULL, "552",
	    "552 sorry, that message size exceeds my databytes limit "
	    "(#5.3.4)",
	    LW_CLASS_POLICY, "text-message-too-large" },
	{ "\"message is too big\"",
	    NULL, NULL, "552",
	    "552 Message is too big for this recipient",
	    LW_CLASS_POLICY, "text-message-too-large" },
	{ "\"policy\": Yahoo's policy reasons",
	    NULL, NULL, "554",
	    "554 Message not accepted for policy reasons. See "
	    "https://postmaster.yahooinc.com/error-codes",
	    LW_CLASS_POLICY, "text-policy" },

	/* a dead address */
	{ "\"user unknown\": Sendmail",
	    NULL, NULL, "550",
	    "550 <jane@example.com>... User unknown",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "\"unknown user\": Postfix's local delivery agent",
	    NULL, NULL, NULL,
	    "<jane@example.com>: unknown user: \"jane\"",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "\"no such user\": cPanel's Exim",
	    NULL, NULL, "550",
	    "550 No Such User Here",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "\"user not found\": Mail.ru",
	    NULL, NULL, "550",
	    "550 Message was not accepted -- invalid mailbox. Local mailbox "
	    "jane@mail.ru is unavailable: user not found",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "\"user not listed\": Lotus Domino",
	    NULL, NULL, "550",
	    "550 User not listed in public Name & Address Book",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "\"user does not exist\": Zoho",
	    NULL, NULL, "550",
	    "550 User does not exist - <jane@example.com>",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "\"no such mailbox\"",
	    NULL, NULL, "550",
	    "550 <jane@example.com>: no such mailbox",
	    LW_CLASS_HARD, "text-mailbox-not-found" },
	{ "\"mailbox not found\": Yahoo and AOL, under a 552",
	    NULL, NULL, "552",
	    "552 1 Requested mail action aborted, mailbox not found",
	    LW_CLASS_HARD, "text-mailbox-not-found" },
	{ "\"mailbox unavailable\": Hotmail",
	    NULL, NULL, "550",
	    "550 Requested action not taken: mailbox unavailable",
	    LW_CLASS_HARD, "text-mailbox-unavailable" },
	{ "\"address not found\": Gmail's bounce, in its own words",
	    NULL, NULL, NULL,
	    "Address not found. Your message wasn't delivered to "
	    "jane@example.com because the address couldn't be found, or is "
	    "unable to receive mail.",
	    LW_CLASS_HARD, "text-address-not-found" },
	{ "\"address couldn't be found\": Gmail's bounce, its body alone",
	    NULL, NULL, NULL,
	    "Your message wasn't delivered to jane@example.com because the "
	    "address couldn't be found, or is unable to receive mail.",
	    LW_CLASS_HARD, "text-address-not-found" },
	{ "\"does not exist\": Gmail, its reply code split off",
	    NULL, NULL, "550",
	    "The email account that you tried to reach does not exist. "
	    "Please try double-checking the recipient's email address for "
	    "typos or unnecessary spaces.",
	    LW_CLASS_HARD, "text-does-not-exist" },
	{ "\"doesn't exist\": Dovecot's LMTP",
	    NULL, NULL, "550",
	    "550 <jane@example.com> User doesn't exist: jane@example.com",
	    LW_CLASS_HARD, "text-does-not-exist" },
	{ "\"no such recipient\"",
	    NULL, NULL, "550",
	    "550 <jane@example.com>: No such recipient",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"unknown recipient\"",
	    NULL, NULL, "550",
	    "550 Unknown recipient <jane@example.com>",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"recipient unknown\"",
	    NULL, NULL, "550",
	    "550 <jane@example.com>: Recipient unknown",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"recipient not found\": Office 365, its status left out",
	    NULL, NULL, "550",
	    "550 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP "
	    "address lookup",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"no valid recipients\": Postfix at DATA",
	    NULL, NULL, "554",
	    "554 Error: no valid recipients",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"invalid recipient\": Mimecast",
	    NULL, NULL, "550",
	    "550 Invalid Recipient - "
	    "https://community.mimecast.com/docs/DOC-1369#550",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"invalid mailbox\"",
	    NULL, NULL, "550",
	    "550 Invalid mailbox: jane@example.com",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"addressee unknown\"",
	    NULL, NULL, "550",
	    "550 <jane@example.com>: Addressee unknown",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"address unknown\"",
	    NULL, NULL, "550",
	    "550 Address unknown: jane@example.com",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"not a valid mailbox\"",
	    NULL, NULL, "550",
	    "550 jane@example.com is not a valid mailbox",
	    LW_CLASS_HARD, "text-recipient-unknown" },
	{ "\"recipient address rejected\": a Postfix access map's own text",
	    NULL, NULL, "550",
	    "550 <jane@example.com>: Recipient address rejected: This "
	    "address no longer accepts mail",
	    LW_CLASS_HARD, "text-recipient-rejected" },
	{ "\"recipient rejected\"",
	    NULL, NULL, "554",
	    "554 <jane@example.com>: recipient rejected",
	    LW_CLASS_HARD, "text-recipient-rejected" },
	{ "\"account is disabled\"",
	    NULL, NULL, "550",
	    "550 <jane@example.com>: account is disabled",
	    LW_CLASS_HARD, "text-account-disabled" },
	{ "\"account disabled\"",
	    NULL, NULL, "550",
	    "550 jane@example.com: Account disabled",
	    LW_CLASS_HARD, "text-account-disabled" },
	{ "\"account has been disabled\": Yahoo's #102",
	    NULL, NULL, "554",
	    "554 delivery error: dd Sorry your message to jane@yahoo.com "
	    "cannot be delivered. This account has been disabled or "
	    "discontinued [#102]. - mta1234.mail.bf1.yahoo.com",
	    LW_CLASS_HARD, "text-account-disabled" },
	{ "\"mailbox is disabled\": Yahoo's 554.30",
	    NULL, NULL, "554",
	    "554 30 Sorry, your message to jane@yahoo.com cannot be "
	    "delivered. This mailbox is disabled (554.30).",
	    LW_CLASS_HARD, "text-account-disabled" },
	{ "\"mailbox disabled\": Zoho",
	    NULL, NULL, "550",
	    "550 Mailbox disabled for this recipient - <jane@zoho.com>",
	    LW_CLASS_HARD, "text-account-disabled" },
	{ "\"unrouteable address\": Exim",
	    NULL, NULL, "550",
	    "550 Unrouteable address",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"unroutable address\"",
	    NULL, NULL, "550",
	    "550 <jane@example.com>: unroutable address",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"host unknown\": Sendmail",
	    NULL, NULL, "550",
	    "550 <jane@example.invalid>... Host unknown (Name server: "
	    "example.invalid: host not found)",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"unknown host\"",
	    NULL, NULL, NULL,
	    "Unknown host example.invalid",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"host not found\": Sendmail's name server answer",
	    NULL, NULL, NULL,
	    "Name server: example.invalid.: host not found",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"host or domain name not found\": Postfix, no usable record",
	    NULL, NULL, NULL,
	    "Host or domain name not found. Name service error for "
	    "name=mx.example.com type=AAAA: Host found but no data record of "
	    "requested type",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"illegal host/domain name\"",
	    NULL, NULL, "553",
	    "553 <jane@example..com>... Illegal host/domain name found",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"domain not found\"",
	    NULL, NULL, "550",
	    "550 jane@example.invalid: Domain not found",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"no such domain\"",
	    NULL, NULL, "550",
	    "550 No such domain at this location",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"indicated no smtp service\": Exim meets a null MX",
	    NULL, NULL, NULL,
	    "an MX or SRV record indicated no SMTP service",
	    LW_CLASS_HARD, "text-null-mx" },
};

/*
 * The order of classify.h, one rule per row, its name in the
 * description.  Inputs that are missing or malformed come first.
 */
static const struct classify_case order_cases[] = {
	/* nothing, and malformed statuses: treated as absent */
	{ "none: every member NULL, so nothing decides",
	    NULL, NULL, NULL, NULL, LW_CLASS_UNKNOWN, "none" },
	{ "none: every member empty is every member absent",
	    "", "", "", "", LW_CLASS_UNKNOWN, "none" },
	{ "malformed \"5.1\" (no detail) is no status: the text decides",
	    NULL, "5.1", "550", "550 <jane@example.com>... User unknown",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "malformed \"6.1.1\" (no such class) is no status",
	    NULL, "6.1.1", "550", "550 <jane@example.com>... User unknown",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "malformed \"5.1.1234\" (a four-digit detail) is no status",
	    NULL, "5.1.1234", "550", "550 <jane@example.com>... User unknown",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "malformed \"5.x.1\" (a letter) is no status",
	    NULL, "5.x.1", "550", "550 <jane@example.com>... User unknown",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "an empty status is no status",
	    NULL, "", "550", "550 <jane@example.com>... User unknown",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "NULL members: a text alone decides",
	    NULL, NULL, NULL, "550 <jane@example.com>... User unknown",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "a type the table does not name (SendGrid's dropped) says nothing",
	    "dropped", NULL, NULL, NULL, LW_CLASS_UNKNOWN, "none" },
	{ "\"failed\" is not decisive: Mailgun's failed alone is unknown",
	    "failed", NULL, NULL, NULL, LW_CLASS_UNKNOWN, "none" },

	/* 1. an explicit type */
	{ "type beats codes: a feed that says hard about a full mailbox",
	    "hard", "4.2.2", "452",
	    "452-4.2.2 The email account that you tried to reach is over "
	    "quota.", LW_CLASS_HARD, "type" },
	{ "type beats a 2.x.x: a complaint about a delivered message",
	    "complaint", "2.0.0", "250", "250 2.0.0 OK",
	    LW_CLASS_COMPLAINT, "type" },
	{ "type ignores case: DELIVERED",
	    "DELIVERED", NULL, NULL, NULL, LW_CLASS_DELIVERED, "type" },
	{ "\"bounce\" alone falls back to hard (SES's Bounce, any case)",
	    "Bounce", NULL, NULL, NULL, LW_CLASS_HARD, "type-bounce" },
	{ "\"bounce\" with a bare 550 still falls back to hard",
	    "bounce", NULL, "550", "550 Administrative prohibition",
	    LW_CLASS_HARD, "type-bounce" },
	{ "\"bounce\" with codes: the text decides (SendGrid, Gmail quota)",
	    "bounce", "4.2.2", "452",
	    "452-4.2.2 The email account that you tried to reach is over "
	    "quota.", LW_CLASS_SOFT, "text-over-quota" },
	{ "\"bounce\" with a 4.0.0: the class digit decides first",
	    "bounce", "4.0.0", NULL, NULL,
	    LW_CLASS_TECHNICAL, "status-4.0-temporary" },
	{ "\"failed\" with codes: the status decides (Mailgun, Gmail)",
	    "failed", "5.1.1", "550",
	    "550 5.1.1 The email account that you tried to reach does not "
	    "exist.", LW_CLASS_HARD, "status-5.1-bad-address" },
	{ "\"blocked\" with codes: the status decides (SendGrid, S3150)",
	    "blocked", "5.7.1", "550",
	    "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't "
	    "sent. Please contact your Internet service provider since part "
	    "of their network is on our block list (S3150).",
	    LW_CLASS_POLICY, "status-5.7-policy" },

	/* 2. a 2.x.x status is a delivery */
	{ "2.x.x is delivered: Gmail's 250 2.0.0",
	    NULL, "2.0.0", "250",
	    "250 2.0.0 OK  1700000000 a1b2c3d4e5f6-gsmtp",
	    LW_CLASS_DELIVERED, "status-2-success" },
	{ "2.x.x is delivered: Exchange queued it",
	    NULL, "2.6.0", "250",
	    "250 2.6.0 <abc@mail.example.org> [InternalId=1234] Queued mail "
	    "for delivery", LW_CLASS_DELIVERED, "status-2-success" },

	/* 3. a specific status, unless a strong phrase or X.Y.0 */
	{ "a specific status beats a non-strong phrase: 5.7.1 \"user "
	    "unknown\" stays policy",
	    NULL, "5.7.1", "550",
	    "550 5.7.1 <jane@example.com>: Recipient address rejected: User "
	    "unknown", LW_CLASS_POLICY, "status-5.7-policy" },
	{ "the most specific row: Office 365's 5.1.10 is the 5.1 row",
	    NULL, "5.1.10", "550",
	    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found "
	    "by SMTP address lookup", LW_CLASS_HARD, "status-5.1-bad-address" },
	{ "a three-digit detail: Office 365's 5.7.606 is the 5.7 row",
	    NULL, "5.7.606", "550",
	    "550 5.7.606 Access denied, banned sending IP [192.0.2.1].",
	    LW_CLASS_POLICY, "status-5.7-policy" },
	{ "a strong phrase beats the status: 5.1.1 \"mailbox full\" is soft",
	    NULL, "5.1.1", "550",
	    "550 5.1.1 <jane@example.com>: mailbox full",
	    LW_CLASS_SOFT, "text-mailbox-full" },
	{ "a strong phrase beats the status: Gmail's 5.2.1 rate limit",
	    NULL, "5.2.1", "550",
	    "550-5.2.1 The user you are trying to contact is receiving mail "
	    "at a rate that prevents additional messages from being "
	    "delivered. Please resend your message at a later time.",
	    LW_CLASS_TECHNICAL, "text-rate-limited" },
	{ "a strong phrase beats the status: 5.1.3 blocked using Spamhaus",
	    NULL, "5.1.3", "550",
	    "550 5.1.3 Client host [192.0.2.1] blocked using "
	    "zen.spamhaus.org", LW_CLASS_POLICY, "text-blocklisted" },
	{ "a strong phrase beats the status: 4.7.1 greylisting",
	    NULL, "4.7.1", "451",
	    "451 4.7.1 Greylisted, please try again later",
	    LW_CLASS_TECHNICAL, "text-greylisted" },
	{ "a strong phrase beats the status: Postfix's 5.4.4 no such domain",
	    NULL, "5.4.4", NULL,
	    "Host or domain name not found. Name service error for "
	    "name=example.invalid type=MX: Host not found",
	    LW_CLASS_HARD, "text-domain-not-found" },
	{ "\"Host not found, try again\" is temporary and weak: 4.4.3 decides",
	    NULL, "4.4.3", NULL,
	    "Host or domain name not found. Name service error for "
	    "name=example.com type=MX: Host not found, try again",
	    LW_CLASS_TECHNICAL, "status-4.4-routing" },
	{ "X.Y.0 lets the text decide: 5.3.0 \"no such user\" is hard",
	    NULL, "5.3.0", "550",
	    "550 5.3.0 <jane@example.com>... No such user",
	    LW_CLASS_HARD, "text-user-unknown" },
	{ "X.Y.0 lets the text decide: Outlook.com's 5.5.0",
	    NULL, "5.5.0", "550",
	    "550 5.5.0 Requested action not taken: mailbox unavailable",
	    LW_CLASS_HARD, "text-mailbox-unavailable" },
	{ "X.Y.0 without a phrase: the subject row decides",
	    NULL, "5.1.0", "550",
	    "550 5.1.0 <jane@example.com> Address rejected",
	    LW_CLASS_HARD, "status-5.1-bad-address" },
	{ "X.0.0 is no specific status: Postfix's 5.0.0 over a phrase",
	    NULL, "5.0.0", "550",
	    "550 <jane@example.com>... User unknown",
	    LW_CLASS_HARD, "text-user-unknown" },

	/* a temporary failure is never hard */
	{ "temporary, never hard: 4.1.1 \"user unknown\" is its soft row",
	    NULL, "4.1.1", "450",
	    "450 4.1.1 <jane@example.com>: Recipient address rejected: User "
	    "unknown in local recipient table",
	    LW_CLASS_SOFT, "status-4.1-address-temporary" },
	{ "temporary, never hard: a 450 reply makes a 5.1.1 soft",
	    NULL, "5.1.1", "450",
	    "450 5.1.1 <jane@example.com>: Recipient address rejected: User "
	    "unknown in local recipient table",
	    LW_CLASS_SOFT, "status-4-never-hard" },
	{ "temporary, never hard: 450 \"user unknown\" is soft",
	    NULL, NULL, "450",
	    "450 <jane@example.com>: User unknown in local recipient table",
	    LW_CLASS_SOFT, "text-temporary-never-hard" },
	{ "temporary, never hard: 4.0.0 \"user unknown\" is soft",
	    NULL, "4.0.0", NULL,
	    "<jane@example.com>: User unknown in local recipient table",
	    LW_CLASS_SOFT, "text-temporary-never-hard" },

	/* 4. the text, before the reply */
	{ "a phrase beats the reply: a 552 saying mailbox not found is hard",
	    NULL, NULL, "552",
	    "552 1 Requested mail action aborted, mailbox not found",
	    LW_CLASS_HARD, "text-mailbox-not-found" },
	{ "phrases ignore case: USER UNKNOWN",
	    NULL, NULL, "550", "550 USER UNKNOWN",
	    LW_CLASS_HARD, "text-user-unknown" },

	/* 5. the reply code, or the status's class digit */
	{ "no phrase: the reply decides, 554 over a 5.0.0",
	    NULL, "5.0.0", "554", "554 Transaction failed",
	    LW_CLASS_POLICY, "reply-554-transaction-failed" },
	{ "a bare 550 decides nothing: Exim's administrative prohibition",
	    NULL, NULL, "550", "550 Administrative prohibition",
	    LW_CLASS_UNKNOWN, "none" },
	{ "a 2xx reply the table does not list is a delivery",
	    NULL, NULL, "250", "250 OK", LW_CLASS_DELIVERED,
	    "reply-2xx-success" },
	{ "a 4xx reply the table does not list is soft",
	    NULL, NULL, "454", "454 TLS not available due to local problem",
	    LW_CLASS_SOFT, "reply-4xx-temporary" },
	{ "a 5xx reply the table does not list decides nothing",
	    NULL, NULL, "555", "555 MAIL FROM parameters not recognized",
	    LW_CLASS_UNKNOWN, "none" },
	{ "500 to 504: the sending side's SMTP went wrong, technical",
	    NULL, NULL, "500", "500 Syntax error, command unrecognized",
	    LW_CLASS_TECHNICAL, "reply-50x-protocol" },
	{ "504 with its words alone",
	    NULL, NULL, "504", "504 Command parameter not implemented",
	    LW_CLASS_TECHNICAL, "reply-50x-protocol" },
	{ "4.0.0 without text or reply: the class digit, technical",
	    NULL, "4.0.0", NULL, NULL,
	    LW_CLASS_TECHNICAL, "status-4.0-temporary" },
	{ "5.0.0 without text or reply decides nothing",
	    NULL, "5.0.0", NULL, NULL, LW_CLASS_UNKNOWN, "none" },
	{ "a temporary status with a hard reply code and no known row or "
	    "phrase: never hard (found by fuzz_classify)",
	    NULL, "4.9.0", "551", NULL, LW_CLASS_SOFT,
	    "reply-temporary-never-hard" },
};

/*
 * Real wordings that once read wrongly, each now decided by a row made
 * for its cause: the sender's own address echoed back (a callout, a
 * refused MAIL FROM, its domain's DNS), Office 365's edge blocking, a
 * phrase inside an echoed address.  The rule is left open (NULL): the
 * class is what matters.
 */
static const struct classify_case wording_cases[] = {
	{ "Office 365's directory-based edge blocking: \"Access denied\" "
	    "under 5.4.1 is Microsoft's no-such-recipient, so hard",
	    NULL, "5.4.1", "550",
	    "550 5.4.1 Recipient address rejected: Access denied. "
	    "AS(201806281) [BN8NAM12FT052.eop-nam12.prod.protection."
	    "outlook.com]", LW_CLASS_HARD, NULL },
	{ "Yahoo's and AOL's dead address, no status, a 554: hard",
	    NULL, NULL, "554",
	    "554 delivery error: dd This user doesn't have a yahoo.com "
	    "account (jane@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com",
	    LW_CLASS_HARD, NULL },
	{ "qmail's dead address, relayed by Postfix with its 5.0.0: hard",
	    NULL, "5.0.0", "550",
	    "550 sorry, no mailbox here by that name. (#5.1.1)",
	    LW_CLASS_HARD, NULL },
	{ "Exim's sender callout failed: our address, not the recipient's, "
	    "is unrouteable, so policy",
	    NULL, NULL, "550",
	    "550-Verification failed for <bounces@lists.example.org>\n"
	    "550-Unrouteable address\n"
	    "550 Sender verify failed",
	    LW_CLASS_POLICY, NULL },
	{ "Postfix refuses our sender's domain (5.1.8): the sender's fault, "
	    "not a dead recipient, so policy",
	    NULL, "5.1.8", "550",
	    "550 5.1.8 <bounces@lists.example.org>: Sender address rejected: "
	    "Domain not found", LW_CLASS_POLICY, NULL },
	{ "GMX and web.de refuse our sender domain's DNS: policy",
	    NULL, NULL, "550",
	    "550-Requested action not taken: mailbox unavailable\n"
	    "550 invalid DNS MX or A/AAAA resource record",
	    LW_CLASS_POLICY, NULL },
	{ "qmail's badmailfrom, in reply to MAIL FROM (a Postfix log): "
	    "policy",
	    NULL, "5.0.0", "553",
	    "host mx.example.net[192.0.2.1] said: 553 sorry, your envelope "
	    "sender is in my badmailfrom list (#5.7.1) (in reply to MAIL "
	    "FROM command)", LW_CLASS_POLICY, NULL },
	{ "a phrase inside the echoed address: <nospam@...> User unknown "
	    "is a dead address, not spam",
	    NULL, NULL, "550",
	    "550 <nospam@example.com>... User unknown",
	    LW_CLASS_HARD, NULL },
};

/* check - classify one case; print it and return 0 when it disagrees */
static int
check(const struct classify_case *c)
{
	struct lw_classify_in in;
	struct lw_classification out;

	in.type = c->type;
	in.status = c->status;
	in.reply = c->reply;
	in.text = c->text;
	out.cls = LW_CLASS_COUNT;	/* neither may be left unwritten */
	out.rule = NULL;
	lw_classify(&in, &out);
	if (out.rule == NULL || *out.rule == '\0') {
		print_error("FAIL %s: %s with no rule\n", c->desc,
		    lw_class_name(out.cls));
		return 0;
	}
	if (out.cls != c->cls ||
	    (c->rule != NULL && strcmp(out.rule, c->rule) != 0)) {
		print_error("FAIL %s: %s by %s, want %s by %s\n", c->desc,
		    lw_class_name(out.cls), out.rule, lw_class_name(c->cls),
		    c->rule != NULL ? c->rule : "any rule");
		return 0;
	}
	return 1;
}

/* run - check every case of one table, and fail once after them all */
static void
run(const struct classify_case *cases, size_t n, const char *table)
{
	size_t i, failed = 0;

	for (i = 0; i < n; i++)
		if (!check(&cases[i]))
			failed++;
	if (failed != 0)
		fail_msg("%zu of %zu %s cases failed", failed, n, table);
}

/* test_types - every explicit type decides its class */
static void
test_types(void **state)
{
	(void)state;
	run(type_cases, NCASES(type_cases), "type");
}

/* test_statuses - every status row decides, with its own rule */
static void
test_statuses(void **state)
{
	(void)state;
	run(status_cases, NCASES(status_cases), "status");
}

/* test_replies - every reply row decides when nothing else does */
static void
test_replies(void **state)
{
	(void)state;
	run(reply_cases, NCASES(reply_cases), "reply");
}

/* test_phrases - every phrase row decides a wording that holds it */
static void
test_phrases(void **state)
{
	(void)state;
	run(phrase_cases, NCASES(phrase_cases), "phrase");
}

/* test_order - the tables are read in the order classify.h gives */
static void
test_order(void **state)
{
	(void)state;
	run(order_cases, NCASES(order_cases), "order");
}

/* test_wordings - real wordings whose causes have rows of their own */
static void
test_wordings(void **state)
{
	(void)state;
	run(wording_cases, NCASES(wording_cases), "wording");
}

/* test_class_names - each class's name parses back to it */
static void
test_class_names(void **state)
{
	static const char *const names[LW_CLASS_COUNT] = {
		"unknown", "hard", "soft", "technical", "policy", "complaint",
		"unsubscribe", "delivered", "auto-reply",
	};
	int c;

	(void)state;
	for (c = 0; c < LW_CLASS_COUNT; c++) {
		assert_string_equal(lw_class_name((enum lw_class)c), names[c]);
		assert_int_equal(lw_class_parse(names[c]), c);
		assert_int_equal(lw_class_parse(lw_class_name(
		    (enum lw_class)c)), c);
	}
	/* Names are matched ignoring case, as types and phrases are. */
	assert_int_equal(lw_class_parse("Hard"), LW_CLASS_HARD);
	assert_int_equal(lw_class_parse("DELIVERED"), LW_CLASS_DELIVERED);
}

/* test_type_known - the types a reader may pass, decisive or not */
static void
test_type_known(void **state)
{
	static const char *const known[] = {
		"hard", "HardBounce", "soft", "Transient", "complaint",
		"spamreport", "unsubscribe", "delivered", "technical", "policy",
		"bounce", "Bounced", "failed", "blocked", "dropped", "unknown",
		"", NULL,
	};
	static const char *const unknown[] = {
		"frobnicated", "open", "click", "hard bounce", "bounce ",
		"processed",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!lw_classify_type_known(known[i]))
			fail_msg("'%s' should be known", known[i]);
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		if (lw_classify_type_known(unknown[i]))
			fail_msg("'%s' should not be known", unknown[i]);
}

/* test_class_errors - unknown names and out-of-range classes */
static void
test_class_errors(void **state)
{
	(void)state;
	assert_int_equal(lw_class_parse("bounce"), -1);
	assert_int_equal(lw_class_parse("not-a-bounce"), -1);
	assert_int_equal(lw_class_parse("hardbounce"), -1);
	assert_int_equal(lw_class_parse(""), -1);
	assert_string_equal(lw_class_name(LW_CLASS_COUNT), "unknown");
	assert_string_equal(lw_class_name((enum lw_class)99), "unknown");
	assert_string_equal(lw_class_name((enum lw_class)-1), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_errors),
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_type_known),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_phrases),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_wordings),
	};

	return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}
