/*
 * kinds.c - the catalogue of error kinds: what a bounce means, and what
 * the sender should do
 *
 * NAME
 *	kinds - kind -> class, what listwarden does, advice; and the maps
 *	from classify's rules, statuses and reply codes to kinds
 *
 * DESCRIPTION
 *	A class says what listwarden does with an address; a kind says why
 *	the mail came back, so that a sender can fix their side.  The
 *	catalogue below is one table, readable on its own: each kind with
 *	the signals that identify it, the class it implies, what listwarden
 *	does and the advice, in the project's own words.
 *
 *	The wordings are not copied here: a diagnostic's kind comes first
 *	from the row of classify's phrase table it matches (src/classify.c,
 *	the same table that decides classes, and that the bounce message
 *	reader's text goes through), mapped by its rule below; else from
 *	its enhanced status code; else from its reply code; else from the
 *	class the event was given (a complaint, an auto-reply...); else it
 *	is unknown, and the diagnostic is kept so that the rule can be
 *	added.
 */
#include <string.h>
#include <strings.h>

#include "listwarden/classify.h"
#include "classify_int.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The catalogue.  signals: the status codes and wordings that identify
 * the kind (the wordings are classify's phrase rows of the rules mapped
 * to it below); class: what it implies (the event's own class is what
 * classify decided from all it had).
 */
static const struct lw_kind_info catalogue[LW_KIND_COUNT] = {
	[LW_KIND_UNKNOWN] = { "unknown", LW_CLASS_UNKNOWN,
	    "nothing listwarden knows matched",
	    "by its class, from the codes; the diagnostic is kept",
	    "listwarden keeps the diagnostic: if this error is common, the "
	    "wording can be added to the catalogue" },
	[LW_KIND_USER_UNKNOWN] = { "user-unknown", LW_CLASS_HARD,
	    "5.1.1, 5.1.10, 550/551 with \"user unknown\", \"no such user\", "
	    "\"mailbox not found\", \"recipient not found\", \"address "
	    "couldn't be found\"",
	    "suppressed at the first one",
	    "the address does not exist: it is removed from your sends "
	    "(done automatically); if it came from a sign-up form, confirm "
	    "addresses before mailing them" },
	[LW_KIND_DOMAIN_NOT_FOUND] = { "domain-not-found", LW_CLASS_HARD,
	    "5.1.2, 5.4.4, NXDOMAIN, \"host not found\", \"no such "
	    "domain\", \"no MX\", a null MX",
	    "suppressed at the first one (a temporary DNS failure is only "
	    "counted)",
	    "the domain does not exist or receives no mail: check the "
	    "address for a typo (gmial.com, hotmial.com) and correct it at "
	    "the source" },
	[LW_KIND_INVALID_ADDRESS] = { "invalid-address", LW_CLASS_HARD,
	    "5.1.3, 553, \"bad address syntax\", \"mailbox name not "
	    "allowed\"",
	    "suppressed at the first one",
	    "the address is malformed: fix it where it was collected, and "
	    "validate addresses on entry" },
	[LW_KIND_MAILBOX_FULL] = { "mailbox-full", LW_CLASS_SOFT,
	    "4.2.2, 5.2.2, 452, 552, \"mailbox full\", \"quota exceeded\", "
	    "\"out of storage space\"",
	    "counted; suppressed at the soft threshold (3 within 30 days)",
	    "temporary: the owner may make room; nothing to do, listwarden "
	    "stops mailing after the threshold" },
	[LW_KIND_MAILBOX_DISABLED] = { "mailbox-disabled", LW_CLASS_HARD,
	    "5.2.1, \"account disabled\", \"mailbox disabled\", \"inactive\"",
	    "hard under a permanent status (providers disable abandoned "
	    "accounts for good); counted under a temporary one",
	    "the account was closed or suspended: mailing it again hurts "
	    "your reputation; it is suppressed" },
	[LW_KIND_MAILBOX_UNAVAILABLE] = { "mailbox-unavailable",
	    LW_CLASS_SOFT,
	    "4.1.x, 4.2.x, 5.2.0, 450, \"temporarily unavailable\"",
	    "counted; suppressed at the soft threshold",
	    "the mailbox cannot take mail for now: nothing to do; repeated "
	    "failures suppress it" },
	[LW_KIND_FILTERED] = { "filtered", LW_CLASS_SOFT,
	    "\"user unknown\" in reply to DATA, after the recipient was "
	    "accepted",
	    "counted; suppressed at the soft threshold",
	    "the server took the address, then refused the message: "
	    "usually the recipient's own filter; check content and "
	    "reputation, and ask the recipient to allow your address" },
	[LW_KIND_RELAY_DENIED] = { "relay-denied", LW_CLASS_POLICY,
	    "5.7.1 \"relaying denied\", 5.4.1, \"relay access denied\", "
	    "\"access denied\", \"authentication required\"",
	    "recorded, never suppressed: the fault is the sender's",
	    "the receiving server refused the message: check that you send "
	    "through your authenticated server, that SPF, DKIM and DMARC "
	    "pass, and that the sending IP is not listed" },
	[LW_KIND_PTR_MISSING] = { "ptr-missing", LW_CLASS_POLICY,
	    "5.7.25, \"PTR\", \"reverse DNS\", \"rDNS\", \"reverse lookup\"",
	    "recorded, never suppressed",
	    "ask your hosting provider for a PTR record for the sending IP "
	    "that names the mail host, and a matching A record" },
	[LW_KIND_DKIM_FAILED] = { "dkim-failed", LW_CLASS_POLICY,
	    "5.7.20 to 5.7.22, 5.7.x with \"DKIM\"",
	    "recorded, never suppressed",
	    "the DKIM DNS record must hold the public key of the service "
	    "that signs your mail, under the selector it signs with" },
	[LW_KIND_SPF_FAILED] = { "spf-failed", LW_CLASS_POLICY,
	    "5.7.23, 5.7.24, 5.7.x with \"SPF\"",
	    "recorded, never suppressed",
	    "fix the SPF record of your sending domain: it must name every "
	    "server and service that sends for it (include:...), within 10 "
	    "DNS lookups" },
	[LW_KIND_DMARC_FAILED] = { "dmarc-failed", LW_CLASS_POLICY,
	    "5.7.26, 5.7.x with \"DMARC\"",
	    "recorded, never suppressed",
	    "align your From domain with the SPF or DKIM domain, so that "
	    "DMARC passes; send from a domain you sign for" },
	[LW_KIND_BLOCKLISTED] = { "blocklisted", LW_CLASS_POLICY,
	    "\"Spamhaus\", \"SpamCop\", \"blocked\", \"listed\", "
	    "\"blacklist\", \"DNSBL\"",
	    "recorded, never suppressed",
	    "check the sending IP and domain against the lists named, find "
	    "out why (a compromised account, old addresses), fix it, then "
	    "ask for delisting" },
	[LW_KIND_BAD_REPUTATION] = { "bad-reputation", LW_CLASS_POLICY,
	    "\"reputation\", \"user complaints\", Yahoo's TSS04",
	    "recorded, never suppressed",
	    "your IP or domain has a poor reputation with this provider: "
	    "send only to people who asked, remove inactive addresses, fix "
	    "authentication, and warm up slowly" },
	[LW_KIND_RATE_LIMITED] = { "rate-limited", LW_CLASS_TECHNICAL,
	    "421, 4.7.x, \"too many connections\", \"rate limit\", "
	    "\"temporarily deferred\"",
	    "counted like a soft bounce; the message is usually retried",
	    "send more slowly to this provider: fewer connections and "
	    "messages per minute, spread over time" },
	[LW_KIND_CONTENT_REJECTED] = { "content-rejected", LW_CLASS_POLICY,
	    "5.6.x, 5.7.x with \"spam\", \"content\", \"virus\"",
	    "recorded, never suppressed",
	    "review the content: links to poorly rated domains, URL "
	    "shorteners, attachments, spammy wording, a missing text part" },
	[LW_KIND_MESSAGE_TOO_LARGE] = { "message-too-large",
	    LW_CLASS_POLICY,
	    "5.3.4, 5.2.3, 552 with \"size\", \"message too large\"",
	    "recorded, never suppressed",
	    "the message is too big for the recipient's server: link to "
	    "large files rather than attaching them" },
	[LW_KIND_DNS_FAILURE] = { "dns-failure", LW_CLASS_TECHNICAL,
	    "4.4.3, \"host not found, try again\", \"name service error\"",
	    "counted like a soft bounce",
	    "often temporary: the recipient domain's DNS did not answer; if "
	    "it lasts, check the domain" },
	[LW_KIND_ROUTING_ERROR] = { "routing-error", LW_CLASS_TECHNICAL,
	    "4.4.x, 5.4.x, \"connection refused\", \"timed out\", \"no route "
	    "to host\", \"unreachable\", \"mail loop\", expired in the queue",
	    "counted like a soft bounce",
	    "often temporary: the recipient's server could not be reached; "
	    "if it lasts, check the recipient domain" },
	[LW_KIND_GREYLISTED] = { "greylisted", LW_CLASS_TECHNICAL,
	    "4.7.x or 451 with \"greylist\", \"try again later\"",
	    "counted like a soft bounce",
	    "temporary: the retry will be accepted; make sure your server "
	    "retries from the same IP" },
	[LW_KIND_PROTOCOL_ERROR] = { "protocol-error", LW_CLASS_TECHNICAL,
	    "5.5.x, 4.5.x, 500 to 504",
	    "counted like a soft bounce",
	    "the conversation with the recipient's server went wrong: check "
	    "your MTA's version and settings (pipelining, line lengths, "
	    "8-bit and SMTPUTF8 support)" },
	[LW_KIND_SENDER_REJECTED] = { "sender-rejected", LW_CLASS_POLICY,
	    "5.1.7, 5.1.8, 5.7.27, \"sender address rejected\", \"sender "
	    "verify failed\", refused after MAIL FROM or HELO",
	    "recorded, never suppressed",
	    "your envelope sender or HELO name was refused: use a return "
	    "path on a domain that exists, has MX and accepts bounces, and a "
	    "HELO name that resolves to the sending IP" },
	[LW_KIND_NOT_PERMITTED] = { "not-permitted", LW_CLASS_POLICY,
	    "\"not a member\", \"not authorized\", \"permission to post\"",
	    "recorded, never suppressed",
	    "the recipient (a group, a restricted mailbox) takes mail only "
	    "from allowed senders: ask to be allowed, or stop mailing it" },
	[LW_KIND_POLICY_REJECTED] = { "policy-rejected", LW_CLASS_POLICY,
	    "5.7.x and 554 without a more specific wording, \"policy\"",
	    "recorded, never suppressed",
	    "the receiving server refused the message by its policy; the "
	    "diagnostic says which: check authentication, reputation and "
	    "content" },
	[LW_KIND_AUTO_REPLY] = { "auto-reply", LW_CLASS_AUTO_REPLY,
	    "RFC 3834 Auto-Submitted, X-Autoreply, out-of-office subjects",
	    "recorded, never a bounce",
	    "nothing to do: the mailbox exists and answered" },
	[LW_KIND_COMPLAINT] = { "complaint", LW_CLASS_COMPLAINT,
	    "ARF feedback reports (RFC 5965), ESP complaint events",
	    "suppressed at once",
	    "the recipient marked your mail as spam: they are suppressed; "
	    "make unsubscribing easy (List-Unsubscribe) and mail only those "
	    "who asked" },
	[LW_KIND_UNSUBSCRIBE] = { "unsubscribe", LW_CLASS_UNSUBSCRIBE,
	    "List-Unsubscribe, opt-out reports, ESP unsubscribe events",
	    "suppressed at once",
	    "the recipient asked to stop: they are suppressed" },
	[LW_KIND_DELIVERED] = { "delivered", LW_CLASS_DELIVERED,
	    "2.x.x, 250, DSN Action delivered",
	    "resets the soft count",
	    "nothing to do" },
};

/*
 * Classify's rules (its phrase rows, and its status and reply rows) and
 * the kinds they mean.  A rule not listed here says nothing of the kind.
 */
static const struct {
	const char *rule;
	enum lw_kind kind;
} rule_kinds[] = {
	{ "text-mailbox-full", LW_KIND_MAILBOX_FULL },
	{ "text-over-quota", LW_KIND_MAILBOX_FULL },
	{ "text-bad-reputation", LW_KIND_BAD_REPUTATION },
	{ "text-greylisted", LW_KIND_GREYLISTED },
	{ "text-try-again-later", LW_KIND_GREYLISTED },
	{ "text-dns-temporary", LW_KIND_DNS_FAILURE },
	{ "text-deferred", LW_KIND_RATE_LIMITED },
	{ "text-rate-limited", LW_KIND_RATE_LIMITED },
	{ "text-timeout", LW_KIND_ROUTING_ERROR },
	{ "text-expired", LW_KIND_ROUTING_ERROR },
	{ "text-unreachable", LW_KIND_ROUTING_ERROR },
	{ "text-cannot-connect", LW_KIND_ROUTING_ERROR },
	{ "text-connection-refused", LW_KIND_ROUTING_ERROR },
	{ "text-no-route", LW_KIND_ROUTING_ERROR },
	{ "text-network-error", LW_KIND_ROUTING_ERROR },
	{ "text-mail-loop", LW_KIND_ROUTING_ERROR },
	{ "text-temporary-failure", LW_KIND_ROUTING_ERROR },
	{ "text-no-mx", LW_KIND_DOMAIN_NOT_FOUND },
	{ "text-null-mx", LW_KIND_DOMAIN_NOT_FOUND },
	{ "text-temporarily-unavailable", LW_KIND_MAILBOX_UNAVAILABLE },
	{ "text-blocklisted", LW_KIND_BLOCKLISTED },
	{ "text-blocked", LW_KIND_BLOCKLISTED },
	{ "text-dmarc", LW_KIND_DMARC_FAILED },
	{ "text-dkim", LW_KIND_DKIM_FAILED },
	{ "text-spf", LW_KIND_SPF_FAILED },
	{ "text-ptr-missing", LW_KIND_PTR_MISSING },
	{ "text-relay-denied", LW_KIND_RELAY_DENIED },
	{ "text-access-denied", LW_KIND_RELAY_DENIED },
	{ "text-auth-required", LW_KIND_RELAY_DENIED },
	{ "text-recipient-not-in-directory", LW_KIND_USER_UNKNOWN },
	{ "text-not-authorized", LW_KIND_NOT_PERMITTED },
	{ "text-not-a-member", LW_KIND_NOT_PERMITTED },
	{ "text-sender-rejected", LW_KIND_SENDER_REJECTED },
	{ "text-spam", LW_KIND_CONTENT_REJECTED },
	{ "text-content-rejected", LW_KIND_CONTENT_REJECTED },
	{ "text-message-too-large", LW_KIND_MESSAGE_TOO_LARGE },
	{ "text-policy", LW_KIND_POLICY_REJECTED },
	{ "text-user-unknown", LW_KIND_USER_UNKNOWN },
	{ "text-mailbox-not-found", LW_KIND_USER_UNKNOWN },
	{ "text-mailbox-unavailable", LW_KIND_USER_UNKNOWN },
	{ "text-address-not-found", LW_KIND_USER_UNKNOWN },
	{ "text-does-not-exist", LW_KIND_USER_UNKNOWN },
	{ "text-recipient-unknown", LW_KIND_USER_UNKNOWN },
	{ "text-recipient-rejected", LW_KIND_USER_UNKNOWN },
	{ "text-account-disabled", LW_KIND_MAILBOX_DISABLED },
	{ "text-domain-not-found", LW_KIND_DOMAIN_NOT_FOUND },
	{ "text-invalid-address", LW_KIND_INVALID_ADDRESS },
	{ "text-protocol-error", LW_KIND_PROTOCOL_ERROR },
	/* the bounce message reader's own rules */
	{ "mail-unknown-user-after-data", LW_KIND_FILTERED },
};

/*
 * Enhanced status codes and their kinds, the most specific row first
 * (detail -1: any).  Only where the code alone says what happened.
 */
static const struct {
	int cls, subject, detail;
	enum lw_kind kind;
} status_kinds[] = {
	{ -1, 1, 2, LW_KIND_DOMAIN_NOT_FOUND },
	{ -1, 1, 3, LW_KIND_INVALID_ADDRESS },
	{ -1, 1, 7, LW_KIND_SENDER_REJECTED },
	{ -1, 1, 8, LW_KIND_SENDER_REJECTED },
	{ 5, 1, -1, LW_KIND_USER_UNKNOWN },
	{ 4, 1, -1, LW_KIND_MAILBOX_UNAVAILABLE },
	{ 5, 2, 1, LW_KIND_MAILBOX_DISABLED },
	{ -1, 2, 2, LW_KIND_MAILBOX_FULL },
	{ -1, 2, 3, LW_KIND_MESSAGE_TOO_LARGE },
	{ -1, 2, 4, LW_KIND_ROUTING_ERROR },
	{ -1, 2, -1, LW_KIND_MAILBOX_UNAVAILABLE },
	{ -1, 3, 4, LW_KIND_MESSAGE_TOO_LARGE },
	{ -1, 3, -1, LW_KIND_ROUTING_ERROR },
	{ 5, 4, 1, LW_KIND_RELAY_DENIED },
	{ -1, 4, 3, LW_KIND_DNS_FAILURE },
	{ 5, 4, 4, LW_KIND_DOMAIN_NOT_FOUND },
	{ 4, 4, 4, LW_KIND_DNS_FAILURE },
	{ -1, 4, -1, LW_KIND_ROUTING_ERROR },
	{ -1, 5, -1, LW_KIND_PROTOCOL_ERROR },
	{ 5, 6, -1, LW_KIND_CONTENT_REJECTED },
	{ 4, 6, -1, LW_KIND_PROTOCOL_ERROR },
	{ -1, 7, 20, LW_KIND_DKIM_FAILED },
	{ -1, 7, 21, LW_KIND_DKIM_FAILED },
	{ -1, 7, 22, LW_KIND_DKIM_FAILED },
	{ -1, 7, 23, LW_KIND_SPF_FAILED },
	{ -1, 7, 24, LW_KIND_SPF_FAILED },
	{ -1, 7, 25, LW_KIND_PTR_MISSING },
	{ -1, 7, 26, LW_KIND_DMARC_FAILED },
	{ -1, 7, 27, LW_KIND_SENDER_REJECTED },
	{ 4, 7, -1, LW_KIND_RATE_LIMITED },
	{ 5, 7, -1, LW_KIND_POLICY_REJECTED },
};

/* SMTP reply codes and their kinds, when nothing more specific spoke. */
static const struct {
	int code;
	enum lw_kind kind;
} reply_kinds[] = {
	{ 421, LW_KIND_RATE_LIMITED },
	{ 450, LW_KIND_MAILBOX_UNAVAILABLE },
	{ 451, LW_KIND_GREYLISTED },
	{ 452, LW_KIND_MAILBOX_FULL },
	{ 500, LW_KIND_PROTOCOL_ERROR },
	{ 501, LW_KIND_PROTOCOL_ERROR },
	{ 502, LW_KIND_PROTOCOL_ERROR },
	{ 503, LW_KIND_PROTOCOL_ERROR },
	{ 504, LW_KIND_PROTOCOL_ERROR },
	{ 551, LW_KIND_USER_UNKNOWN },
	{ 552, LW_KIND_MAILBOX_FULL },
	{ 553, LW_KIND_INVALID_ADDRESS },
	{ 554, LW_KIND_POLICY_REJECTED },
};

/* lw_kind_info - a kind's row of the catalogue */
const struct lw_kind_info *
lw_kind_info(enum lw_kind kind)
{
	return &catalogue[(unsigned)kind < LW_KIND_COUNT ? kind :
	    LW_KIND_UNKNOWN];
}

/* lw_kind_name - a kind's name */
const char *
lw_kind_name(enum lw_kind kind)
{
	return lw_kind_info(kind)->name;
}

/* lw_kind_parse - a kind by name, or -1 */
int
lw_kind_parse(const char *name)
{
	int k;

	if (name == NULL)
		return -1;
	for (k = 0; k < LW_KIND_COUNT; k++)
		if (strcasecmp(catalogue[k].name, name) == 0)
			return k;
	return -1;
}

/* kind_of_rule - the kind a rule of classify means, or UNKNOWN */
enum lw_kind
kind_of_rule(const char *rule)
{
	size_t i;

	for (i = 0; rule != NULL && i < NELEM(rule_kinds); i++)
		if (strcmp(rule_kinds[i].rule, rule) == 0)
			return rule_kinds[i].kind;
	return LW_KIND_UNKNOWN;
}

/* kind_of_status - the kind an enhanced status means, or UNKNOWN */
enum lw_kind
kind_of_status(int cls, int subject, int detail)
{
	size_t i;

	for (i = 0; i < NELEM(status_kinds); i++)
		if ((status_kinds[i].cls == -1 || status_kinds[i].cls == cls) &&
		    status_kinds[i].subject == subject &&
		    (status_kinds[i].detail == -1 ||
		    status_kinds[i].detail == detail))
			return status_kinds[i].kind;
	return LW_KIND_UNKNOWN;
}

/* kind_of_reply - the kind a reply code means, or UNKNOWN */
enum lw_kind
kind_of_reply(int code)
{
	size_t i;

	for (i = 0; i < NELEM(reply_kinds); i++)
		if (reply_kinds[i].code == code)
			return reply_kinds[i].kind;
	return LW_KIND_UNKNOWN;
}

/* kind_of_class - the kind a class alone implies, or UNKNOWN */
enum lw_kind
kind_of_class(enum lw_class cls)
{
	switch (cls) {
	case LW_CLASS_COMPLAINT:
		return LW_KIND_COMPLAINT;
	case LW_CLASS_UNSUBSCRIBE:
		return LW_KIND_UNSUBSCRIBE;
	case LW_CLASS_DELIVERED:
		return LW_KIND_DELIVERED;
	case LW_CLASS_AUTO_REPLY:
		return LW_KIND_AUTO_REPLY;
	default:
		return LW_KIND_UNKNOWN;
	}
}
