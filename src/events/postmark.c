/*
 * postmark.c - events from Postmark's webhooks and bounce API
 *
 * NAME
 *	postmark - bounce, spam complaint, delivery and subscription
 *	change records
 *
 * DESCRIPTION
 *	Postmark's webhooks post one object with "RecordType" (Bounce,
 *	SpamComplaint, Delivery, SubscriptionChange, Open, Click); its
 *	bounce API returns records without one, alone (GET /bounces/{id})
 *	or as a page, an object whose "Bounces" array holds them (json.c
 *	reads those as a page).  As Postmark's "Webhooks" and "Bounce API"
 *	documentation gives them:
 *
 *	  Bounce, SpamComplaint  "Type" and "TypeCode" (see the table),
 *	                         "Email", "BouncedAt", "Details" (the
 *	                         server's reply), "ID", "MessageID"
 *	  Delivery               "Recipient", "DeliveredAt", "Details",
 *	                         "MessageID"
 *	  SubscriptionChange     "Recipient", "ChangedAt", "SuppressSending",
 *	                         "SuppressionReason" (HardBounce,
 *	                         SpamComplaint, ManualSuppression), "Origin"
 *	                         (Recipient, Customer, Admin)
 *
 *	A bounce's type is looked up by "Type" or by "TypeCode" (a row
 *	matches by either); a subscription change's by its
 *	SuppressionReason.  The record's recipient is "Email", else
 *	"Recipient"; its time the first of BouncedAt, DeliveredAt and
 *	ChangedAt; its diagnostic "Details" (Postmark's "Description" is
 *	the type's generic wording, not what a server said), whose codes
 *	("smtp;550 5.1.1 ...") become the record's.  Its event id is "ID"
 *	for a bounce or a complaint, "MessageID" for a delivery; a
 *	subscription change has none of its own (its MessageID is the
 *	message's, which a delivery record of the same message carries
 *	too), so the store gives it a hash of its content.
 *
 *	Records that say nothing of the recipient's mailbox give no record
 *	(see the table).  An object with none of RecordType, Type and
 *	TypeCode is a "bad-element"; a record type or bounce type the table
 *	does not know is "unknown-type".
 *
 * DIAGNOSTICS
 *	LW_ENOMEM, and what ev_doc_finish() returns.
 */
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "listwarden/classify.h"
#include "listwarden/error.h"
#include "listwarden/events.h"
#include "events_int.h"

/*
 * The Postmark table: the first row that matches decides.  For a bounce
 * (a webhook's or the API's), type and code are Postmark's "Bounce
 * types" names and codes; for a subscription change, type is the
 * SuppressionReason.  NULL, and a code of -1, match anything; a row with
 * a member also needs that member to hold its value (ignoring case).
 */
static const struct {
	const char *record;	/* RecordType; "Bounce" for API records */
	const char *type;
	long code;
	const char *member;	/* a member the row also needs, or NULL */
	const char *value;	/* its value */
	struct ev_rule r;
} rules[] = {
	/* No recipient outcome. */
	{ "Open", NULL, -1, NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "Click", NULL, -1, NULL, NULL, { EV_SKIP, 0, NULL } },

	{ "Delivery", NULL, -1, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_DELIVERED, "postmark-delivery" } },
	{ "SpamComplaint", NULL, -1, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_COMPLAINT, "postmark-spamcomplaint" } },

	/*
	 * A subscription change.  Sending allowed again: lifting a
	 * suppression is left to listwarden's own commands.
	 */
	{ "SubscriptionChange", NULL, -1, "SuppressSending", "false",
	  { EV_SKIP, 0, NULL } },
	{ "SubscriptionChange", "HardBounce", -1, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_HARD,
	    "postmark-subscriptionchange-hardbounce" } },
	{ "SubscriptionChange", "SpamComplaint", -1, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_COMPLAINT,
	    "postmark-subscriptionchange-spamcomplaint" } },
	/* the recipient's own unsubscribe link */
	{ "SubscriptionChange", "ManualSuppression", -1, "Origin",
	  "Recipient",
	  { EV_DECIDE, LW_CLASS_UNSUBSCRIBE,
	    "postmark-subscriptionchange-unsubscribe" } },
	/*
	 * The sender's own hand (Origin Customer or Admin): a decision to
	 * report, which listwarden's suppress command makes for good.
	 */
	{ "SubscriptionChange", "ManualSuppression", -1, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY,
	    "postmark-subscriptionchange-manual-policy" } },

	/*
	 * Bounces.  HardBounce is Postmark's bin for every permanent
	 * failure it did not sort elsewhere: the codes and text decide (a
	 * policy block is no dead address), hard when they say nothing.
	 */
	{ "Bounce", "HardBounce", 1, NULL, NULL,
	  { EV_CODES, LW_CLASS_HARD, "postmark-hardbounce" } },
	/* "message delayed": temporary, never hard */
	{ "Bounce", "Transient", 2, NULL, NULL,
	  { EV_TEMPORARY, LW_CLASS_SOFT, "postmark-transient" } },
	/* an "unsubscribe or remove" request answered to the message */
	{ "Bounce", "Unsubscribe", 16, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_UNSUBSCRIBE, "postmark-unsubscribe" } },
	/* someone asking to be added: no outcome of this message */
	{ "Bounce", "Subscribe", 32, NULL, NULL, { EV_SKIP, 0, NULL } },
	/*
	 * An out-of-office reply, or an NDR Postmark could not read: it
	 * may be either, so it is recorded and decides nothing.
	 */
	{ "Bounce", "AutoResponder", 64, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_UNKNOWN, "postmark-autoresponder" } },
	/* "the recipient has requested an address change": a human reads it */
	{ "Bounce", "AddressChange", 128, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_UNKNOWN, "postmark-addresschange" } },
	/* "a temporary DNS error": the way there */
	{ "Bounce", "DnsError", 256, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_TECHNICAL, "postmark-dnserror-technical" } },
	/*
	 * Delivered, then blocked by a filter, filed as spam or bulk, or
	 * its content rejected: the message's fault, and the recipient
	 * did not complain.
	 */
	{ "Bounce", "SpamNotification", 512, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "postmark-spamnotification-policy" } },
	/* a probe of whether the server relays: no outcome at all */
	{ "Bounce", "OpenRelayTest", 1024, NULL, NULL, { EV_SKIP, 0, NULL } },
	/* Postmark could not classify it: the codes may */
	{ "Bounce", "Unknown", 2048, NULL, NULL,
	  { EV_CODES, LW_CLASS_UNKNOWN, "postmark-unknown" } },
	/* full, over quota, out of disk: temporary, never hard */
	{ "Bounce", "SoftBounce", 4096, NULL, NULL,
	  { EV_TEMPORARY, LW_CLASS_SOFT, "postmark-softbounce" } },
	/* a virus warning about the message: the sender's to fix */
	{ "Bounce", "VirusNotification", 8192, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "postmark-virusnotification-policy" } },
	/*
	 * A challenge-response filter holds the message until the sender
	 * proves it is human: the sender's move, the address is live.
	 */
	{ "Bounce", "ChallengeVerification", 16384, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY,
	    "postmark-challengeverification-policy" } },
	/* "the address is not a valid email address" */
	{ "Bounce", "BadEmailAddress", 100000, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_HARD, "postmark-bademailaddress" } },
	{ "Bounce", "SpamComplaint", 100001, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_COMPLAINT, "postmark-spamcomplaint" } },
	/*
	 * Deactivated by hand in Postmark: the sender's decision, not the
	 * recipient's; reported, and left to listwarden's suppress command.
	 */
	{ "Bounce", "ManuallyDeactivated", 100002, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY,
	    "postmark-manuallydeactivated-policy" } },
	/* a registration never confirmed: says nothing of the mailbox */
	{ "Bounce", "Unconfirmed", 100003, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_UNKNOWN, "postmark-unconfirmed" } },
	/* an ISP block for content or a blocklisting: the sender's fault */
	{ "Bounce", "Blocked", 100006, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "postmark-blocked-policy" } },
	/* the sender's own request failed at Postmark */
	{ "Bounce", "SMTPApiError", 100007, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "postmark-smtpapierror-policy" } },
	/* inbound processing: no outgoing recipient involved */
	{ "Bounce", "InboundError", 100008, NULL, NULL, { EV_SKIP, 0, NULL } },
	/* rejected for the sender domain's DMARC policy */
	{ "Bounce", "DMARCPolicy", 100009, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "postmark-dmarcpolicy-policy" } },
	{ "Bounce", "TemplateRenderingFailed", 100010, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY,
	    "postmark-templaterenderingfailed-policy" } },
};

/* member_is - whether obj's member holds value, ignoring case */
static int
member_is(json_t *obj, const char *member, const char *value)
{
	char num[EV_NUMBER_MAX];
	const char *v;
	size_t len;

	return (v = ev_json_text(ev_json_member(obj, member), num, &len)) !=
	    NULL && strlen(value) == len && strncasecmp(v, value, len) == 0;
}

/*
 * lookup - the first row that matches a record of kind record, of type
 * type (NULL for none) or of code (-1 for none); NULL when none
 */
static const struct ev_rule *
lookup(json_t *ev, const char *record, const char *type, long code)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (strcasecmp(rules[i].record, record) != 0)
			continue;
		/* By name, or by code: Postmark may rename, not renumber. */
		if (rules[i].type != NULL &&
		    (type == NULL || strcasecmp(rules[i].type, type) != 0) &&
		    (rules[i].code < 0 || rules[i].code != code))
			continue;
		if (rules[i].member != NULL &&
		    !member_is(ev, rules[i].member, rules[i].value))
			continue;
		return &rules[i].r;
	}
	return NULL;
}

/* first - the first of obj's members a and b that is there */
static json_t *
first(json_t *obj, const char *a, const char *b)
{
	json_t *v;

	return (v = ev_json_member(obj, a)) != NULL ? v :
	    ev_json_member(obj, b);
}

/* postmark_next - the record of one Postmark record */
static int
postmark_next(struct lw_events *r, struct ev_doc *d,
    struct lw_event_rec *rec)
{
	const struct ev_rule *rule;
	json_t *ev = d->ev, *tc, *diag, *id, *tv, *typev;
	const char *record, *type;
	struct ev_row row;
	long code = -1;

	if (d->started)
		return 0;
	d->started = 1;
	tc = ev_json_member(ev, "TypeCode");
	if (json_is_integer(tc))
		code = (long)json_integer_value(tc);
	if ((record = ev_json_str(ev, "RecordType")) == NULL) {
		/* A bounce API record. */
		if (ev_json_str(ev, "Type") == NULL && !json_is_integer(tc))
			return ev_doc_error(r, d, "bad-element", NULL, rec);
		record = "Bounce";
	}
	typev = ev_json_member(ev, strcasecmp(record, "SubscriptionChange") ==
	    0 ? "SuppressionReason" : "Type");
	type = json_is_string(typev) ? json_string_value(typev) : NULL;
	if ((rule = lookup(ev, record, type, code)) == NULL)
		return ev_doc_error(r, d, "unknown-type", type != NULL ? typev :
		    ev_json_member(ev, "RecordType"), rec);
	if (rule->how == EV_SKIP)
		return 0;

	ev_row_clear(&row);
	ev_doc_set(d, &row, EV_RECIPIENT, first(ev, "Email", "Recipient"));
	diag = ev_json_member(ev, "Details");
	ev_doc_set(d, &row, EV_DIAGNOSTIC, diag);
	ev_doc_codes(d, &row, NULL,
	    json_is_string(diag) ? json_string_value(diag) : NULL);
	if ((tv = first(ev, "BouncedAt", "DeliveredAt")) == NULL)
		tv = ev_json_member(ev, "ChangedAt");
	ev_doc_set(d, &row, EV_TIMESTAMP, tv);
	if (strcasecmp(record, "Delivery") == 0)
		id = ev_json_member(ev, "MessageID");
	else if (strcasecmp(record, "SubscriptionChange") == 0)
		id = NULL;
	else
		id = ev_json_member(ev, "ID");
	if (ev_doc_id(d, &row, id, NULL, 0) != LW_OK)
		return ev_fail(r, LW_ENOMEM, d->ev_line);
	return ev_doc_finish(r, d, &row, rule, rec);
}

const struct ev_esp ev_esp_postmark = {
	LW_EVENTS_POSTMARK, "Bounces", postmark_next,
};
