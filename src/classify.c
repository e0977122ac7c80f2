/*
 * classify.c - the classification tables, and the order they are read in
 *
 * NAME
 *	classify - explicit types, RFC 3463 statuses, reply codes, phrases
 *
 * DESCRIPTION
 *	Four tables, each a reader can audit on its own, and lw_classify(),
 *	which consults them in the order listwarden/classify.h gives.
 *	Matching of types and phrases ignores ASCII case; a phrase matches
 *	where a word of the diagnostic starts.
 *
 *	Where a decision is not obvious the row says why.  The guiding cost:
 *	calling a live address hard loses a subscriber for good, calling a
 *	dead one soft costs a few more bounces before the threshold; so a
 *	temporary failure is never hard, and a policy rejection (the sender's
 *	fault) never suppresses the recipient.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "listwarden/classify.h"
#include "classify_int.h"

static const char *const class_names[LW_CLASS_COUNT] = {
	[LW_CLASS_UNKNOWN] = "unknown",
	[LW_CLASS_HARD] = "hard",
	[LW_CLASS_SOFT] = "soft",
	[LW_CLASS_TECHNICAL] = "technical",
	[LW_CLASS_POLICY] = "policy",
	[LW_CLASS_COMPLAINT] = "complaint",
	[LW_CLASS_UNSUBSCRIBE] = "unsubscribe",
	[LW_CLASS_DELIVERED] = "delivered",
	[LW_CLASS_AUTO_REPLY] = "auto-reply",
};

/* Explicit event types, as ESPs and feeds name them. */
static const struct {
	const char *type;
	enum lw_class cls;
} types[] = {
	{ "hard", LW_CLASS_HARD },
	{ "hardbounce", LW_CLASS_HARD },
	{ "hard_bounce", LW_CLASS_HARD },
	{ "hard-bounce", LW_CLASS_HARD },
	{ "permanent", LW_CLASS_HARD },
	{ "soft", LW_CLASS_SOFT },
	{ "softbounce", LW_CLASS_SOFT },
	{ "soft_bounce", LW_CLASS_SOFT },
	{ "soft-bounce", LW_CLASS_SOFT },
	{ "transient", LW_CLASS_SOFT },
	{ "temporary", LW_CLASS_SOFT },
	{ "deferred", LW_CLASS_SOFT },
	{ "complaint", LW_CLASS_COMPLAINT },
	{ "complained", LW_CLASS_COMPLAINT },
	{ "spam", LW_CLASS_COMPLAINT },
	{ "spam_complaint", LW_CLASS_COMPLAINT },
	{ "spamreport", LW_CLASS_COMPLAINT },
	{ "spam_report", LW_CLASS_COMPLAINT },
	{ "spamcomplaint", LW_CLASS_COMPLAINT },
	{ "abuse", LW_CLASS_COMPLAINT },
	{ "fbl", LW_CLASS_COMPLAINT },
	{ "unsubscribe", LW_CLASS_UNSUBSCRIBE },
	{ "unsubscribed", LW_CLASS_UNSUBSCRIBE },
	{ "unsub", LW_CLASS_UNSUBSCRIBE },
	{ "list_unsubscribe", LW_CLASS_UNSUBSCRIBE },
	{ "opt-out", LW_CLASS_UNSUBSCRIBE },
	{ "optout", LW_CLASS_UNSUBSCRIBE },
	{ "list-unsubscribe", LW_CLASS_UNSUBSCRIBE },
	{ "delivered", LW_CLASS_DELIVERED },
	{ "delivery", LW_CLASS_DELIVERED },
	{ "sent", LW_CLASS_DELIVERED },
	{ "technical", LW_CLASS_TECHNICAL },
	{ "policy", LW_CLASS_POLICY },
	{ "auto-reply", LW_CLASS_AUTO_REPLY },
	{ "autoreply", LW_CLASS_AUTO_REPLY },
	{ "auto_reply", LW_CLASS_AUTO_REPLY },
	{ "vacation", LW_CLASS_AUTO_REPLY },
	{ "out-of-office", LW_CLASS_AUTO_REPLY },
	/*
	 * "bounce", "failed" and "blocked" are not decisive: ESPs use them
	 * for hard and soft alike, so the codes and the text decide, and
	 * "bounce" alone falls back to hard below.
	 */
};

/* Types that are known but decide nothing: the codes and text do. */
static const char *const open_types[] = {
	"bounce", "bounced", "failed", "failure", "blocked", "dropped",
	"rejected", "undeliverable", "unknown",
};

/*
 * RFC 3463 enhanced status codes: the most specific row wins (a subject
 * and detail row over a subject row over a class row).  detail -1 is any.
 */
static const struct {
	int cls, subject, detail;
	enum lw_class result;
	const char *rule;
} statuses[] = {
	/* X.1 addressing */
	{ 5, 1, -1, LW_CLASS_HARD, "status-5.1-bad-address" },
	/* "destination address valid": says nothing of a failure, so the
	 * row decides nothing and the steps after it do */
	{ 5, 1, 5, LW_CLASS_UNKNOWN, "status-5.1.5-address-valid" },
	/* the sender's own address, not the recipient's */
	{ 5, 1, 7, LW_CLASS_POLICY, "status-5.1.7-bad-sender-syntax" },
	{ 5, 1, 8, LW_CLASS_POLICY, "status-5.1.8-bad-sender-domain" },
	/* temporary address failures are no proof of a dead mailbox */
	{ 4, 1, -1, LW_CLASS_SOFT, "status-4.1-address-temporary" },
	/* X.2 mailbox */
	{ 5, 2, -1, LW_CLASS_SOFT, "status-5.2-mailbox" },
	/*
	 * A disabled mailbox under a permanent code is an account closed or
	 * suspended for good in practice (Yahoo, AOL, GMX say so of old
	 * accounts); mailing it again hurts the sender, so hard.
	 */
	{ 5, 2, 1, LW_CLASS_HARD, "status-5.2.1-mailbox-disabled" },
	/* full: the owner may make room, so soft even with a 5 */
	{ 5, 2, 2, LW_CLASS_SOFT, "status-5.2.2-mailbox-full" },
	/* too large for the mailbox: the sender's message to fix */
	{ 5, 2, 3, LW_CLASS_POLICY, "status-5.2.3-message-too-large" },
	{ 5, 2, 4, LW_CLASS_TECHNICAL, "status-5.2.4-list-expansion" },
	{ 4, 2, -1, LW_CLASS_SOFT, "status-4.2-mailbox-temporary" },
	/* X.3 mail system */
	{ 5, 3, -1, LW_CLASS_TECHNICAL, "status-5.3-mail-system" },
	{ 5, 3, 4, LW_CLASS_POLICY, "status-5.3.4-message-too-large" },
	{ 4, 3, -1, LW_CLASS_TECHNICAL, "status-4.3-mail-system" },
	/* X.4 network and routing: DNS, no MX, timeouts, loops */
	{ 5, 4, -1, LW_CLASS_TECHNICAL, "status-5.4-routing" },
	{ 4, 4, -1, LW_CLASS_TECHNICAL, "status-4.4-routing" },
	/* X.5 protocol: what the sending side did wrong */
	{ 5, 5, -1, LW_CLASS_TECHNICAL, "status-5.5-protocol" },
	{ 4, 5, -1, LW_CLASS_TECHNICAL, "status-4.5-protocol" },
	/* X.6 content and media */
	{ 5, 6, -1, LW_CLASS_POLICY, "status-5.6-content" },
	{ 4, 6, -1, LW_CLASS_TECHNICAL, "status-4.6-conversion" },
	/* X.7 security and policy: authentication, reputation, content */
	{ 5, 7, -1, LW_CLASS_POLICY, "status-5.7-policy" },
	{ 4, 7, -1, LW_CLASS_POLICY, "status-4.7-policy" },
};

/* SMTP reply codes, consulted when nothing more specific decided. */
static const struct {
	int code;
	enum lw_class cls;
	const char *rule;
} replies[] = {
	/* the sending side's SMTP went wrong (RFC 5321 4.2.3) */
	{ 500, LW_CLASS_TECHNICAL, "reply-50x-protocol" },
	{ 501, LW_CLASS_TECHNICAL, "reply-50x-protocol" },
	{ 502, LW_CLASS_TECHNICAL, "reply-50x-protocol" },
	{ 503, LW_CLASS_TECHNICAL, "reply-50x-protocol" },
	{ 504, LW_CLASS_TECHNICAL, "reply-50x-protocol" },
	{ 421, LW_CLASS_TECHNICAL, "reply-421-service-unavailable" },
	{ 450, LW_CLASS_SOFT, "reply-450-mailbox-unavailable" },
	{ 451, LW_CLASS_TECHNICAL, "reply-451-local-error" },
	{ 452, LW_CLASS_SOFT, "reply-452-insufficient-storage" },
	/*
	 * No row for 550: servers send it for everything from a dead
	 * mailbox to a blocked sender, so without a phrase or a status it
	 * decides nothing, and a bare 550 is unknown rather than hard.
	 */
	{ 551, LW_CLASS_HARD, "reply-551-user-not-local" },
	{ 552, LW_CLASS_SOFT, "reply-552-storage-exceeded" },
	{ 553, LW_CLASS_HARD, "reply-553-mailbox-name-invalid" },
	{ 554, LW_CLASS_POLICY, "reply-554-transaction-failed" },
};

/*
 * Phrases of the diagnostic, the wordings of the big providers and MTAs.
 * The first group that matches decides, in this order: a full mailbox
 * (the plainest signal, whatever else the server says), a temporary
 * condition of the way there (a greylisting server often adds "user"
 * words), the sender's fault (a block names the recipient in passing:
 * "recipient address rejected: access denied"), then a dead address.
 *
 * A strong phrase decides even over a specific enhanced status: servers
 * report a full mailbox, a rate limit, a blocklisting or a domain that
 * does not resolve under whatever code they like (Gmail's 5.2.1
 * "receiving mail at a rate", a 5.1.x "blocked using Spamhaus", Postfix's
 * 5.4.4 "Host or domain name not found"), while the phrase means one
 * thing only.  (A domain that does not resolve is hard on a permanent
 * failure, the architecture's "technical" being for routing that may
 * recover; "Host not found, try again" is caught first as temporary.)
 */
static const struct {
	const char *phrase;
	enum lw_class cls;
	int strong;
	const char *rule;
} phrases[] = {
	/* a full mailbox */
	{ "mailbox full", LW_CLASS_SOFT, 1, "text-mailbox-full" },
	{ "mailbox is full", LW_CLASS_SOFT, 1, "text-mailbox-full" },
	{ "mailfolder is full", LW_CLASS_SOFT, 1, "text-mailbox-full" },
	{ "inbox is full", LW_CLASS_SOFT, 1, "text-mailbox-full" },
	{ "mailbox exceeds", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "quota exceeded", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "exceeded quota", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "exceeds quota", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "over quota", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "overquota", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "over the quota", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "exceeded storage", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "storage allocation", LW_CLASS_SOFT, 1, "text-over-quota" },
	{ "insufficient storage", LW_CLASS_SOFT, 0, "text-over-quota" },
	{ "mailbox size limit", LW_CLASS_SOFT, 1, "text-over-quota" },
	/*
	 * Refused for the sending IP's standing, whatever temporary words
	 * come with it (Yahoo's TSS04 "temporarily deferred due to ... user
	 * complaints", Outlook's "rate limited due to IP reputation"): the
	 * sender has to act, so this comes before the temporary group.
	 */
	{ "user complaints", LW_CLASS_POLICY, 1, "text-bad-reputation" },
	/*
	 * A null MX (RFC 7505) says for good that the domain takes no mail,
	 * whatever DNS words come with it ("DNS Error: ... returned Null
	 * MX"): before the temporary group.
	 */
	{ "null mx", LW_CLASS_HARD, 1, "text-null-mx" },
	{ "nullmx", LW_CLASS_HARD, 1, "text-null-mx" },
	{ "doesn't receive email", LW_CLASS_HARD, 0, "text-null-mx" },
	{ "ip reputation", LW_CLASS_POLICY, 1, "text-bad-reputation" },
	/* Outlook.com's SC-00x: "too many unwanted messages ... from IP" */
	{ "unwanted messages", LW_CLASS_POLICY, 0, "text-bad-reputation" },
	/* temporary conditions of the way there */
	{ "greylist", LW_CLASS_TECHNICAL, 1, "text-greylisted" },
	{ "graylist", LW_CLASS_TECHNICAL, 1, "text-greylisted" },
	{ "try again later", LW_CLASS_TECHNICAL, 0, "text-try-again-later" },
	{ "please try again", LW_CLASS_TECHNICAL, 0, "text-try-again-later" },
	{ "host not found, try again", LW_CLASS_TECHNICAL, 0,
	  "text-dns-temporary" },
	{ "dns error", LW_CLASS_TECHNICAL, 0, "text-dns-temporary" },
	{ "will be retried", LW_CLASS_TECHNICAL, 0, "text-expired" },
	{ "protocol violation", LW_CLASS_TECHNICAL, 0, "text-protocol-error" },
	{ "temporarily deferred", LW_CLASS_TECHNICAL, 0, "text-deferred" },
	{ "rate limit", LW_CLASS_TECHNICAL, 1, "text-rate-limited" },
	{ "receiving mail at a rate", LW_CLASS_TECHNICAL, 1,
	  "text-rate-limited" },
	{ "too many connections", LW_CLASS_TECHNICAL, 1, "text-rate-limited" },
	{ "too many messages", LW_CLASS_TECHNICAL, 1, "text-rate-limited" },
	{ "timed out", LW_CLASS_TECHNICAL, 0, "text-timeout" },
	{ "timeout", LW_CLASS_TECHNICAL, 0, "text-timeout" },
	{ "envelope expired", LW_CLASS_TECHNICAL, 0, "text-expired" },
	{ "delivery time expired", LW_CLASS_TECHNICAL, 0, "text-expired" },
	{ "not delivered within", LW_CLASS_TECHNICAL, 0, "text-expired" },
	{ "giving up", LW_CLASS_TECHNICAL, 0, "text-expired" },
	{ "not reachable", LW_CLASS_TECHNICAL, 0, "text-unreachable" },
	{ "unreachable", LW_CLASS_TECHNICAL, 0, "text-unreachable" },
	{ "could not connect", LW_CLASS_TECHNICAL, 0, "text-cannot-connect" },
	{ "unable to connect", LW_CLASS_TECHNICAL, 0, "text-cannot-connect" },
	{ "couldn't connect", LW_CLASS_TECHNICAL, 0, "text-cannot-connect" },
	{ "requests to connect", LW_CLASS_TECHNICAL, 0, "text-cannot-connect" },
	{ "establish an smtp connection", LW_CLASS_TECHNICAL, 0,
	  "text-cannot-connect" },
	{ "connection refused", LW_CLASS_TECHNICAL, 0,
	  "text-connection-refused" },
	{ "no route to host", LW_CLASS_TECHNICAL, 0, "text-no-route" },
	{ "network error", LW_CLASS_TECHNICAL, 0, "text-network-error" },
	/* the architecture's class for DNS and routing: may be temporary */
	{ "no mx", LW_CLASS_TECHNICAL, 0, "text-no-mx" },
	{ "mail loop", LW_CLASS_TECHNICAL, 0, "text-mail-loop" },
	{ "loops back to myself", LW_CLASS_TECHNICAL, 0, "text-mail-loop" },
	{ "hop count exceeded", LW_CLASS_TECHNICAL, 0, "text-mail-loop" },
	{ "temporary failure", LW_CLASS_TECHNICAL, 0,
	  "text-temporary-failure" },
	{ "temporarily unavailable", LW_CLASS_SOFT, 0,
	  "text-temporarily-unavailable" },
	/* the sender's fault: reputation, authentication, content */
	{ "spamhaus", LW_CLASS_POLICY, 1, "text-blocklisted" },
	{ "spamcop", LW_CLASS_POLICY, 1, "text-blocklisted" },
	{ "barracuda", LW_CLASS_POLICY, 1, "text-blocklisted" },
	{ "blacklist", LW_CLASS_POLICY, 1, "text-blocklisted" },
	{ "block list", LW_CLASS_POLICY, 0, "text-blocklisted" },
	{ "blocklist", LW_CLASS_POLICY, 1, "text-blocklisted" },
	{ "dnsbl", LW_CLASS_POLICY, 1, "text-blocklisted" },
	{ "is listed", LW_CLASS_POLICY, 0, "text-blocklisted" },
	/*
	 * Authentication names its cause: before a passing "blocked"
	 * ("blocked because the sender is unauthenticated", Gmail 5.7.26).
	 */
	{ "dmarc", LW_CLASS_POLICY, 0, "text-dmarc" },
	{ "unauthenticated", LW_CLASS_POLICY, 0, "text-dmarc" },
	{ "dkim", LW_CLASS_POLICY, 0, "text-dkim" },
	{ "spf", LW_CLASS_POLICY, 0, "text-spf" },
	{ "reverse dns", LW_CLASS_POLICY, 0, "text-ptr-missing" },
	{ "reverse hostname", LW_CLASS_POLICY, 0, "text-ptr-missing" },
	{ "reverse lookup", LW_CLASS_POLICY, 0, "text-ptr-missing" },
	{ "ptr record", LW_CLASS_POLICY, 0, "text-ptr-missing" },
	{ "rdns", LW_CLASS_POLICY, 0, "text-ptr-missing" },
	{ "blocked", LW_CLASS_POLICY, 0, "text-blocked" },
	{ "refused to talk to me", LW_CLASS_POLICY, 0, "text-blocked" },
	{ "reputation", LW_CLASS_POLICY, 0, "text-bad-reputation" },
	{ "relay access denied", LW_CLASS_POLICY, 0, "text-relay-denied" },
	{ "relaying denied", LW_CLASS_POLICY, 0, "text-relay-denied" },
	{ "unable to relay", LW_CLASS_POLICY, 0, "text-relay-denied" },
	{ "relay not permitted", LW_CLASS_POLICY, 0, "text-relay-denied" },
	{ "not permitted to relay", LW_CLASS_POLICY, 0, "text-relay-denied" },
	/*
	 * Office 365's directory-based edge blocking answers a recipient
	 * the tenant does not have with this, under 5.4.1: a dead address.
	 */
	{ "recipient address rejected: access denied", LW_CLASS_HARD, 1,
	  "text-recipient-not-in-directory" },
	{ "access denied", LW_CLASS_POLICY, 0, "text-access-denied" },
	{ "authentication required", LW_CLASS_POLICY, 0, "text-auth-required" },
	{ "not authorized", LW_CLASS_POLICY, 0, "text-not-authorized" },
	{ "not a member", LW_CLASS_POLICY, 0, "text-not-a-member" },
	{ "permission to post", LW_CLASS_POLICY, 0, "text-not-a-member" },
	/* Google Groups' refusal, in every language, links its help */
	{ "groups.google.com/support", LW_CLASS_POLICY, 0,
	  "text-not-a-member" },
	/*
	 * Refused for the sender, at MAIL FROM or HELO or by a callout to
	 * the sender's address: these echo "domain not found" or
	 * "unrouteable address" of *our* address, so they come first.
	 */
	{ "sender verify failed", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	{ "verification failed for", LW_CLASS_POLICY, 0,
	  "text-sender-rejected" },
	{ "sender rejected", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	/* Gmail: the "Send mail as" address of the sender is misconfigured */
	{ "send mail as", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	/* our HELO name refused ("my name was rejected", qmail) */
	{ "name was rejected", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	{ "sender address rejected", LW_CLASS_POLICY, 0,
	  "text-sender-rejected" },
	{ "envelope sender", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	{ "in reply to mail from", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	{ "invalid dns mx", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	{ "after mail from", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	{ "after ehlo", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	{ "after helo", LW_CLASS_POLICY, 0, "text-sender-rejected" },
	{ "spam", LW_CLASS_POLICY, 0, "text-spam" },
	{ "virus", LW_CLASS_POLICY, 0, "text-content-rejected" },
	{ "malware", LW_CLASS_POLICY, 0, "text-content-rejected" },
	{ "content rejected", LW_CLASS_POLICY, 0, "text-content-rejected" },
	{ "message too large", LW_CLASS_POLICY, 0, "text-message-too-large" },
	{ "message size exceeds", LW_CLASS_POLICY, 0,
	  "text-message-too-large" },
	{ "message is too big", LW_CLASS_POLICY, 0, "text-message-too-large" },
	{ "policy", LW_CLASS_POLICY, 0, "text-policy" },
	/* a dead address */
	{ "user unknown", LW_CLASS_HARD, 0, "text-user-unknown" },
	{ "unknown user", LW_CLASS_HARD, 0, "text-user-unknown" },
	{ "no such user", LW_CLASS_HARD, 0, "text-user-unknown" },
	{ "user not found", LW_CLASS_HARD, 0, "text-user-unknown" },
	{ "user not listed", LW_CLASS_HARD, 0, "text-user-unknown" },
	{ "user does not exist", LW_CLASS_HARD, 0, "text-user-unknown" },
	{ "user doesn't have a", LW_CLASS_HARD, 0, "text-user-unknown" },
	/* iMail */
	{ "invalid final delivery userid", LW_CLASS_HARD, 0,
	  "text-user-unknown" },
	/* Trend Micro InterScan */
	{ "check if address is correct", LW_CLASS_HARD, 0,
	  "text-recipient-unknown" },
	/* Lotus Notes and Domino */
	{ "not listed in domino directory", LW_CLASS_HARD, 0,
	  "text-user-unknown" },
	{ "not listed in public name & address book", LW_CLASS_HARD, 0,
	  "text-user-unknown" },
	/* ... and their Japanese wordings ("not found in the directory",
	 * "not on the directory's list") */
	{ "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83"
	  "\x88\xe3\x83\xaa\xe3\x81\xab\xe3\x81\xaf\xe8\xa6\x8b\xe3"
	  "\x81\xa4\xe3\x81\x8b\xe3\x82\x8a\xe3\x81\xbe\xe3\x81\x9b"
	  "\xe3\x82\x93", LW_CLASS_HARD, 0, "text-user-unknown" },
	{ "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83"
	  "\x88\xe3\x83\xaa\xe3\x81\xae\xe3\x83\xaa\xe3\x82\xb9\xe3"
	  "\x83\x88\xe3\x81\xab\xe3\x81\x82\xe3\x82\x8a\xe3\x81\xbe"
	  "\xe3\x81\x9b\xe3\x82\x93", LW_CLASS_HARD, 0,
	  "text-user-unknown" },
	{ "no mailbox here", LW_CLASS_HARD, 0, "text-mailbox-not-found" },
	{ "no such mailbox", LW_CLASS_HARD, 0, "text-mailbox-not-found" },
	{ "mailbox not found", LW_CLASS_HARD, 0, "text-mailbox-not-found" },
	{ "mailbox unavailable", LW_CLASS_HARD, 0, "text-mailbox-unavailable" },
	{ "address not found", LW_CLASS_HARD, 0, "text-address-not-found" },
	{ "address couldn't be found", LW_CLASS_HARD, 0,
	  "text-address-not-found" },
	{ "does not exist", LW_CLASS_HARD, 0, "text-does-not-exist" },
	{ "doesn't exist", LW_CLASS_HARD, 0, "text-does-not-exist" },
	{ "no such recipient", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "unknown recipient", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "recipient unknown", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "recipient not found", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "no valid recipients", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "invalid recipient", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "invalid mailbox", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "addressee unknown", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "address unknown", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "not a valid mailbox", LW_CLASS_HARD, 0, "text-recipient-unknown" },
	{ "recipient address rejected", LW_CLASS_HARD, 0,
	  "text-recipient-rejected" },
	{ "recipient rejected", LW_CLASS_HARD, 0, "text-recipient-rejected" },
	{ "account is disabled", LW_CLASS_HARD, 0, "text-account-disabled" },
	{ "account disabled", LW_CLASS_HARD, 0, "text-account-disabled" },
	{ "account has been disabled", LW_CLASS_HARD, 0,
	  "text-account-disabled" },
	{ "mailbox is disabled", LW_CLASS_HARD, 0, "text-account-disabled" },
	{ "mailbox disabled", LW_CLASS_HARD, 0, "text-account-disabled" },
	{ "unrouteable address", LW_CLASS_HARD, 0, "text-domain-not-found" },
	{ "unroutable address", LW_CLASS_HARD, 0, "text-domain-not-found" },
	{ "host unknown", LW_CLASS_HARD, 1, "text-domain-not-found" },
	{ "unknown host", LW_CLASS_HARD, 1, "text-domain-not-found" },
	{ "host not found", LW_CLASS_HARD, 1, "text-domain-not-found" },
	{ "host or domain name not found", LW_CLASS_HARD, 1,
	  "text-domain-not-found" },
	{ "illegal host/domain name", LW_CLASS_HARD, 1,
	  "text-domain-not-found" },
	{ "domain not found", LW_CLASS_HARD, 1, "text-domain-not-found" },
	{ "no such domain", LW_CLASS_HARD, 1, "text-domain-not-found" },
	{ "indicated no smtp service", LW_CLASS_HARD, 0, "text-null-mx" },
	/* the address's own syntax (Exim) */
	{ "malformed address", LW_CLASS_HARD, 0, "text-invalid-address" },
};

/* lw_class_name - a class's name */
const char *
lw_class_name(enum lw_class cls)
{
	if ((unsigned)cls >= LW_CLASS_COUNT)
		return "unknown";
	return class_names[cls];
}

/* lw_class_parse - the class named name, or -1 */
int
lw_class_parse(const char *name)
{
	int c;

	for (c = 0; c < LW_CLASS_COUNT; c++)
		if (strcasecmp(name, class_names[c]) == 0)
			return c;
	return -1;
}

/* empty - NULL or "" */
static int
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/*
 * parse_status - "5.1.1" (RFC 3463: class 2, 4 or 5, subject and detail
 * of 1 to 3 digits), anywhere a code is given; 0 when it is not one
 */
static int
parse_status(const char *s, int *cls, int *subject, int *detail)
{
	char *end;
	long a, b, c;

	if (empty(s) || (s[0] != '2' && s[0] != '4' && s[0] != '5') ||
	    s[1] != '.')
		return 0;
	a = s[0] - '0';
	b = strtol(s + 2, &end, 10);
	if (end == s + 2 || end - (s + 2) > 3 || *end != '.')
		return 0;
	s = end + 1;
	c = strtol(s, &end, 10);
	if (end == s || end - s > 3 || *end != '\0')
		return 0;
	*cls = (int)a;
	*subject = (int)b;
	*detail = (int)c;
	return 1;
}

/* status_class - the most specific status row, or unknown */
static enum lw_class
status_class(int cls, int subject, int detail, const char **rule)
{
	size_t i;
	int best = -1, score, best_score = -1;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		if (statuses[i].cls != cls || statuses[i].subject != subject)
			continue;
		if (statuses[i].detail != -1 && statuses[i].detail != detail)
			continue;
		score = statuses[i].detail == -1 ? 1 : 2;
		if (score > best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	if (best < 0)
		return LW_CLASS_UNKNOWN;
	*rule = statuses[best].rule;
	return statuses[best].result;
}

/* is_alnum - an ASCII letter or digit */
static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* lower - an ASCII letter in lower case; other bytes as they are */
static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * contains - whether hay (already in lower case, n octets) holds needle
 * at the start of a word, ignoring ASCII case: "spam" must not match the
 * address <nospam@example.com> a server echoes, while "greylist" still
 * matches "greylisted".  The text is lowered once for all the phrases,
 * and each phrase found by its first octet: the phrase table is long and
 * the texts short, so this beats a general substring search.
 */
static int
contains(const unsigned char *hay, size_t n, const char *needle)
{
	const unsigned char *p = hay, *end = hay + n, *nd;
	unsigned char first = lower((unsigned char)needle[0]);
	size_t len = strlen(needle), i;

	while (len > 0 && (size_t)(end - p) >= len &&
	    (p = memchr(p, first, (size_t)(end - p) - len + 1)) != NULL) {
		nd = (const unsigned char *)needle;
		for (i = 1; i < len && p[i] == lower(nd[i]); i++)
			;
		if (i == len && (p == hay || !is_alnum((char)p[-1])))
			return 1;
		p++;
	}
	return 0;
}

/* text_class - the first phrase the text holds, or unknown */
static enum lw_class
text_class(const char *text, const char **rule, int *strong)
{
	unsigned char small[1024], *lc = small;
	enum lw_class cls = LW_CLASS_UNKNOWN;
	size_t i, n;

	*strong = 0;
	if (empty(text))
		return LW_CLASS_UNKNOWN;
	n = strlen(text);
	if (n > sizeof(small) && (lc = malloc(n)) == NULL) {
		lc = small;		/* no memory: judge the start */
		n = sizeof(small);
	}
	for (i = 0; i < n; i++)
		lc[i] = lower((unsigned char)text[i]);
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (contains(lc, n, phrases[i].phrase)) {
			*rule = phrases[i].rule;
			*strong = phrases[i].strong;
			cls = phrases[i].cls;
			break;
		}
	if (lc != small)
		free(lc);
	return cls;
}

/* reply_class - the reply code's row, or the class of its first digit */
static enum lw_class
reply_class(const char *reply, const char **rule)
{
	size_t i;
	int code;

	if (empty(reply) || strlen(reply) != 3 || reply[0] < '2' ||
	    reply[0] > '5')
		return LW_CLASS_UNKNOWN;
	code = atoi(reply);
	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++)
		if (replies[i].code == code) {
			*rule = replies[i].rule;
			return replies[i].cls;
		}
	switch (reply[0]) {
	case '2':
		*rule = "reply-2xx-success";
		return LW_CLASS_DELIVERED;
	case '4':
		*rule = "reply-4xx-temporary";
		return LW_CLASS_SOFT;
	default:
		return LW_CLASS_UNKNOWN;
	}
}

/* decide - fill the answer */
static void
decide(struct lw_classification *out, enum lw_class cls, const char *rule)
{
	out->cls = cls;
	out->rule = rule;
}

/* lw_classify - the class of one outcome, by the tables in order */
void
lw_classify(const struct lw_classify_in *in, struct lw_classification *out)
{
	const char *rule = NULL, *trule = NULL;
	enum lw_class c, t;
	int scls = 0, subject = 0, detail = 0, has_status, temporary, strong;
	size_t i;

	/* 1. An explicit type that names a class. */
	if (!empty(in->type)) {
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(in->type, types[i].type) == 0) {
				decide(out, types[i].cls, "type");
				return;
			}
	}
	has_status = parse_status(in->status, &scls, &subject, &detail);
	temporary = (has_status && scls == 4) ||
	    (!empty(in->reply) && in->reply[0] == '4');
	t = text_class(in->text, &trule, &strong);

	/* 2. A delivery. */
	if (has_status && scls == 2) {
		decide(out, LW_CLASS_DELIVERED, "status-2-success");
		return;
	}
	/*
	 * 3. A specific status.  A strong phrase overrides it; and X.Y.0,
	 * "other or undefined" within its subject, lets any phrase decide.
	 */
	if (has_status && subject != 0 &&
	    (c = status_class(scls, subject, detail, &rule)) !=
	    LW_CLASS_UNKNOWN && !(t != LW_CLASS_UNKNOWN &&
	    (strong || detail == 0))) {
		if (temporary && c == LW_CLASS_HARD)
			decide(out, LW_CLASS_SOFT, "status-4-never-hard");
		else
			decide(out, c, rule);
		return;
	}
	/*
	 * 4. The text; a temporary failure is never hard: soft, or
	 * technical when the words are of the domain (DNS, the way there).
	 */
	if (t != LW_CLASS_UNKNOWN) {
		if (temporary && t == LW_CLASS_HARD)
			decide(out, strcmp(trule, "text-domain-not-found") == 0 ||
			    strcmp(trule, "text-null-mx") == 0 ?
			    LW_CLASS_TECHNICAL : LW_CLASS_SOFT,
			    "text-temporary-never-hard");
		else
			decide(out, t, trule);
		return;
	}
	/* 5. The reply code, or the status's class digit; never hard on a
	 * temporary status, whatever the reply ("4.9.0" with "551"). */
	if ((c = reply_class(in->reply, &rule)) != LW_CLASS_UNKNOWN) {
		if (temporary && c == LW_CLASS_HARD)
			decide(out, LW_CLASS_SOFT, "reply-temporary-never-hard");
		else
			decide(out, c, rule);
		return;
	}
	if (has_status && scls == 4) {
		decide(out, LW_CLASS_TECHNICAL, "status-4.0-temporary");
		return;
	}
	if (!empty(in->type) && strcasecmp(in->type, "bounce") == 0) {
		decide(out, LW_CLASS_HARD, "type-bounce");
		return;
	}
	/* 6. Nothing decided. */
	decide(out, LW_CLASS_UNKNOWN, "none");
}

/* lw_classify_type_known - whether type is one lw_classify() knows */
int
lw_classify_type_known(const char *type)
{
	size_t i;

	if (empty(type))
		return 1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(type, types[i].type) == 0)
			return 1;
	for (i = 0; i < sizeof(open_types) / sizeof(open_types[0]); i++)
		if (strcasecmp(type, open_types[i]) == 0)
			return 1;
	return 0;
}

/* lw_kind_of - why the outcome came back, by the order classify.h gives */
enum lw_kind
lw_kind_of(const struct lw_classify_in *in, enum lw_class cls,
    const char *rule)
{
	enum lw_kind k, ks = LW_KIND_UNKNOWN, kw;
	const char *trule = NULL;
	int scls = 0, subject = 0, detail = 0, strong;

	if ((k = kind_of_class(cls)) != LW_KIND_UNKNOWN)
		return k;
	/* The rule that decided: a phrase row, or a reader's own rule. */
	if (rule != NULL && (strncmp(rule, "mail-", 5) == 0 ||
	    strncmp(rule, "text-", 5) == 0) &&
	    (k = kind_of_rule(rule)) != LW_KIND_UNKNOWN)
		return k;
	if (parse_status(in->status, &scls, &subject, &detail))
		ks = kind_of_status(scls, subject, detail);
	(void)text_class(in->text, &trule, &strong);
	kw = kind_of_rule(trule);
	/*
	 * The words name the cause ("5.7.1 relaying denied", "5.7.1 ...
	 * user unknown"), but a passing temporary wording ("giving up")
	 * does not outweigh a status of a permanent failure.
	 */
	if (kw != LW_KIND_UNKNOWN && kw != LW_KIND_POLICY_REJECTED &&
	    !(ks != LW_KIND_UNKNOWN && (lw_kind_info(kw)->cls ==
	    LW_CLASS_TECHNICAL || lw_kind_info(kw)->cls == LW_CLASS_SOFT) &&
	    (cls == LW_CLASS_HARD || cls == LW_CLASS_POLICY)))
		return kw;
	if (ks != LW_KIND_UNKNOWN)
		return ks;
	if (kw == LW_KIND_POLICY_REJECTED && cls == LW_CLASS_POLICY)
		return kw;
	if (!empty(in->reply) && strlen(in->reply) == 3 &&
	    (k = kind_of_reply(atoi(in->reply))) != LW_KIND_UNKNOWN)
		return k;
	return kw;
}
