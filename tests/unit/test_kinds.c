/*
 * test_kinds.c - the catalogue of error kinds: a real-world wording for
 * every kind, the tricky ones among them, and the catalogue's own rows
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "listwarden.h"

struct kcase {
	const char *what;
	const char *type, *status, *reply, *text;
	const char *kind;
};

/* One wording per kind, as servers and ESPs write them. */
static const struct kcase cases[] = {
	{ "Gmail: no such account", NULL, "5.1.1", "550",
	    "550-5.1.1 The email account that you tried to reach does not "
	    "exist.", "user-unknown" },
	{ "Postfix: local recipient table", NULL, "5.1.1", "550",
	    "550 5.1.1 <a@example.com>: Recipient address rejected: User "
	    "unknown in local recipient table", "user-unknown" },
	{ "Office 365: RecipientNotFound", NULL, "5.1.10", "550",
	    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found "
	    "by SMTP address lookup", "user-unknown" },
	{ "a 5.7.1 that says user unknown", NULL, "5.7.1", "550",
	    "550 5.7.1 <jane@example.com>... User unknown", "user-unknown" },
	{ "Postfix: the domain does not resolve", NULL, "5.4.4", NULL,
	    "Host or domain name not found. Name service error for "
	    "name=exmaple.com type=MX: Host not found", "domain-not-found" },
	{ "5.1.2 alone", NULL, "5.1.2", "550", "550 5.1.2 bad destination "
	    "system address", "domain-not-found" },
	{ "a null MX (RFC 7505)", NULL, "5.1.10", "556", "556 5.1.10 "
	    "Recipient address rejected: Domain example.com does not accept "
	    "mail (nullMX)", "domain-not-found" },
	{ "Gmail: DNS error, null MX", NULL, "4.0.0", NULL, "DNS Error: DNS "
	    "type 'mx' lookup of example.org responded with code NOERROR The "
	    "domain example.org doesn't receive email according to the "
	    "administrator: returned Null MX", "domain-not-found" },
	{ "5.1.3 bad syntax", NULL, "5.1.3", "553", "553 5.1.3 Bad "
	    "recipient address syntax", "invalid-address" },
	{ "Exim: malformed address", NULL, NULL, NULL, "malformed address: "
	    "<a@b.example> may not follow a@example.com", "invalid-address" },
	{ "Gmail: out of storage", NULL, "4.2.2", "452", "452-4.2.2 The "
	    "recipient's inbox is out of storage space.", "mailbox-full" },
	{ "quota exceeded under 5.2.2", NULL, "5.2.2", "552", "552 5.2.2 "
	    "Quota exceeded", "mailbox-full" },
	{ "Gmail: account disabled", NULL, "5.2.1", "550", "550-5.2.1 The "
	    "email account that you tried to reach is disabled.",
	    "mailbox-disabled" },
	{ "Yahoo: account disabled or discontinued", NULL, NULL, "554",
	    "554 delivery error: dd Sorry your message to a@example.com cannot "
	    "be delivered. This account has been disabled or discontinued",
	    "mailbox-disabled" },
	{ "temporarily unavailable mailbox", NULL, NULL, "450", "450 "
	    "Requested mail action not taken: mailbox temporarily "
	    "unavailable", "mailbox-unavailable" },
	{ "a 5.7.1 that is a relay denial", NULL, "5.7.1", "554", "554 "
	    "5.7.1 <a@example.com>: Relay access denied", "relay-denied" },
	{ "5.4.1 access denied (Office 365 tenant)", NULL, "5.4.1", "550",
	    "550 5.4.1 Relay Access Denied", "relay-denied" },
	{ "Postfix: no reverse DNS", NULL, "5.7.25", "550", "550 5.7.25 "
	    "Client host rejected: cannot find your reverse hostname",
	    "ptr-missing" },
	{ "Gmail: PTR record", NULL, "5.7.1", "550", "550-5.7.1 The IP "
	    "address sending this message does not have a PTR record setup",
	    "ptr-missing" },
	{ "DKIM failure", NULL, "5.7.1", "550", "550 5.7.1 Email rejected "
	    "because DKIM signature verification failed", "dkim-failed" },
	{ "SPF failure", NULL, "5.7.1", "550", "550 5.7.1 SPF check failed: "
	    "192.0.2.1 is not allowed to send for example.com",
	    "spf-failed" },
	{ "a 5.7.1 that is a DMARC rejection", NULL, "5.7.1", "550", "550 "
	    "5.7.1 Unauthenticated email from example.com is not accepted due "
	    "to domain's DMARC policy", "dmarc-failed" },
	{ "Gmail: 5.7.26 alone", NULL, "5.7.26", "550", "550 5.7.26 This "
	    "mail has been blocked because the sender is unauthenticated",
	    "dmarc-failed" },
	{ "Spamhaus listing", NULL, "5.7.1", "554", "554 5.7.1 Service "
	    "unavailable; Client host [192.0.2.1] blocked using "
	    "zen.spamhaus.org", "blocklisted" },
	{ "Outlook: on our block list", NULL, "5.7.1", "550", "550 5.7.1 "
	    "Unfortunately, messages from [192.0.2.1] weren't sent. Part of "
	    "their network is on our block list (S3150)", "blocklisted" },
	{ "Yahoo TSS04: user complaints", NULL, "4.7.0", "421", "421 4.7.0 "
	    "[TSS04] Messages from 192.0.2.1 temporarily deferred due to "
	    "unexpected volume or user complaints", "bad-reputation" },
	{ "Gmail: rate limited", NULL, "4.7.28", "421", "421-4.7.28 Our "
	    "system has detected an unusual rate of unsolicited mail",
	    "rate-limited" },
	{ "too many connections", NULL, NULL, "421", "421 Too many "
	    "connections from your IP", "rate-limited" },
	{ "spam content", NULL, "5.7.1", "554", "554 5.7.1 Message "
	    "rejected as spam by Content Filtering", "content-rejected" },
	{ "5.6.0 content", NULL, "5.6.0", "554", "554 5.6.0 Message "
	    "contained unsafe content", "content-rejected" },
	{ "message too large", NULL, "5.3.4", "552", "552 5.3.4 Message "
	    "size exceeds fixed limit", "message-too-large" },
	{ "DNS failure, temporary", NULL, "4.4.3", "451", "451 4.4.3 Host "
	    "not found, try again", "dns-failure" },
	{ "connection timed out", NULL, "4.4.1", NULL, "connect to "
	    "mx.example.com[192.0.2.5]:25: Connection timed out",
	    "routing-error" },
	{ "greylisting", NULL, "4.7.1", "451", "451 4.7.1 Greylisting in "
	    "action, please come back later", "greylisted" },
	{ "500 command unrecognized", NULL, NULL, "500", "500 Syntax error, "
	    "command unrecognized", "protocol-error" },
	{ "our sender address", NULL, "5.1.8", "553", "553 5.1.8 <bounce@"
	    "example.com>: Sender address rejected: Domain not found",
	    "sender-rejected" },
	{ "a group that takes members only", NULL, NULL, NULL, "You may not "
	    "have permission to post messages to the group",
	    "not-permitted" },
	{ "a bare 5.7.1", NULL, "5.7.1", "550", "550 5.7.1 Delivery not "
	    "authorized", "not-permitted" },
	{ "554 alone", NULL, NULL, "554", "554 Transaction failed",
	    "policy-rejected" },
	{ "an auto-reply", "auto-reply", NULL, NULL, "Out of office",
	    "auto-reply" },
	{ "a complaint", "complaint", NULL, NULL, NULL, "complaint" },
	{ "an unsubscribe", "unsubscribe", NULL, NULL, NULL, "unsubscribe" },
	{ "a delivery", NULL, "2.0.0", "250", "250 2.0.0 OK", "delivered" },
	{ "words nobody knows", NULL, NULL, NULL, "the frobnicator said no",
	    "unknown" },
};

/* test_wordings - each wording's kind */
static void
test_wordings(void **state)
{
	struct lw_classify_in in;
	struct lw_classification c;
	const char *got;
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		in.type = cases[i].type;
		in.status = cases[i].status;
		in.reply = cases[i].reply;
		in.text = cases[i].text;
		lw_classify(&in, &c);
		got = lw_kind_name(lw_kind_of(&in, c.cls, c.rule));
		if (strcmp(got, cases[i].kind) != 0) {
			printf("FAIL %s: %s (class %s by %s), want %s\n",
			    cases[i].what, got, lw_class_name(c.cls), c.rule,
			    cases[i].kind);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* test_every_kind - each kind has a wording above, and a whole row */
static void
test_every_kind(void **state)
{
	const struct lw_kind_info *k;
	size_t i;
	int kind, seen;

	(void)state;
	for (kind = 0; kind < LW_KIND_COUNT; kind++) {
		k = lw_kind_info((enum lw_kind)kind);
		assert_non_null(k->name);
		assert_true(strlen(k->signals) > 0);
		assert_true(strlen(k->action) > 0);
		assert_true(strlen(k->advice) > 0);
		assert_int_equal(lw_kind_parse(k->name), kind);
		assert_string_equal(lw_kind_name((enum lw_kind)kind), k->name);
		for (i = seen = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			seen |= strcmp(cases[i].kind, k->name) == 0;
		if (!seen && kind != LW_KIND_FILTERED)
			printf("no wording for kind %s\n", k->name);
		assert_true(seen || kind == LW_KIND_FILTERED);
	}
	assert_int_equal(lw_kind_parse("User-Unknown"), LW_KIND_USER_UNKNOWN);
	assert_int_equal(lw_kind_parse("nonsense"), -1);
	assert_int_equal(lw_kind_parse(NULL), -1);
	assert_string_equal(lw_kind_info(LW_KIND_COUNT)->name, "unknown");
}

/* test_filtered - the bounce reader's "user unknown" after DATA */
static void
test_filtered(void **state)
{
	struct lw_classify_in in = { NULL, NULL, "550", "550 Unknown user" };

	(void)state;
	assert_int_equal(lw_kind_of(&in, LW_CLASS_SOFT,
	    "mail-unknown-user-after-data"), LW_KIND_FILTERED);
	/* A class the codes cannot change wins over the words. */
	assert_int_equal(lw_kind_of(&in, LW_CLASS_COMPLAINT, "type"),
	    LW_KIND_COMPLAINT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wordings),
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_filtered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
