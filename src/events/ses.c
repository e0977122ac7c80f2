/*
 * ses.c - events from Amazon SES notifications
 *
 * NAME
 *	ses - bounce, complaint and delivery notifications of Amazon SES
 *
 * DESCRIPTION
 *	A notification is an object with "notificationType" (SNS topics
 *	set on an identity) or "eventType" (configuration-set event
 *	publishing) and an object named for its kind, as AWS documents
 *	them ("Amazon SES notification contents", "Contents of event data
 *	that Amazon SES publishes to Amazon SNS"):
 *
 *	  Bounce     bounce.bounceType, bounce.bounceSubType, and
 *	             bounce.bouncedRecipients[], each with emailAddress,
 *	             status, action and diagnosticCode
 *	  Complaint  complaint.complainedRecipients[], each with
 *	             emailAddress, and complaint.complaintFeedbackType
 *	  Delivery   delivery.recipients[] (strings) and
 *	             delivery.smtpResponse
 *
 *	It may come as it is, or in an SNS envelope: an object with "Type"
 *	and "Message", the notification as a JSON string.  An envelope
 *	whose Type is not "Notification" (a SubscriptionConfirmation, an
 *	UnsubscribeConfirmation) gives no record, nor do the kinds that say
 *	nothing of a recipient's mailbox (see the table).
 *
 *	One notification gives one record per recipient.  Its time is the
 *	kind's timestamp, else mail.timestamp; its event id bounce.feedbackId
 *	or complaint.feedbackId, or mail.messageId for a delivery, with ":"
 *	and the recipient after it when the notification has several
 *	recipients, so that each has an id of its own.  A bounce's status is
 *	the recipient's "status", its diagnostic "diagnosticCode" (whose
 *	reply code, "smtp; 550 ...", becomes the record's); a delivery's
 *	diagnostic is "smtpResponse".
 *
 *	A notification that is not an object, or that has no kind, is a
 *	"bad-element"; a kind, or a bounce type, the table does not know is
 *	"unknown-type" (the type given is the kind, or the bounceType).
 *
 * DIAGNOSTICS
 *	LW_ENOMEM, and what ev_doc_finish() returns.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "listwarden/classify.h"
#include "listwarden/error.h"
#include "listwarden/events.h"
#include "events_int.h"

/*
 * The SES table: the first row that matches decides.  A NULL column
 * matches anything; status is the recipient's enhanced status code.
 * For a complaint, sub is the complaintFeedbackType (RFC 5965's
 * feedback types: abuse, auth-failure, fraud, not-spam, other, virus).
 */
static const struct {
	const char *kind;	/* notificationType or eventType */
	const char *type;	/* bounce.bounceType */
	const char *sub;	/* bounceSubType, or complaintFeedbackType */
	const char *status;	/* the recipient's enhanced status */
	struct ev_rule r;
} rules[] = {
	/*
	 * Event publishing's kinds that are no recipient outcome: a send
	 * accepted, an open, a click, a template that failed to render, a
	 * message SES refused for a virus (the sender's, no recipient's),
	 * and a delivery delay (SES goes on trying; the bounce, if it
	 * comes, is the outcome).  SNS's own greeting is no event either.
	 */
	{ "Send", NULL, NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "Open", NULL, NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "Click", NULL, NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "Rendering Failure", NULL, NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "Reject", NULL, NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "DeliveryDelay", NULL, NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "AmazonSnsSubscriptionSucceeded", NULL, NULL, NULL,
	  { EV_SKIP, 0, NULL } },

	/*
	 * SES files a domain that does not resolve (no MX, no A) under
	 * Transient, since DNS may come back; with the permanent 5.4.4
	 * ("unable to route") the remote side has no mail service at all,
	 * and it does not come back: hard, or the list keeps mailing a
	 * dead domain at the soft threshold's pace.
	 */
	{ "Bounce", "Transient", NULL, "5.4.4",
	  { EV_DECIDE, LW_CLASS_HARD, "ses-transient-5.4.4-dead-domain" } },
	/* full: the owner may make room */
	{ "Bounce", "Transient", "MailboxFull", NULL,
	  { EV_DECIDE, LW_CLASS_SOFT, "ses-transient-mailboxfull" } },
	/* the sender's message to fix, not the recipient's address */
	{ "Bounce", "Transient", "MessageTooLarge", NULL,
	  { EV_DECIDE, LW_CLASS_POLICY,
	    "ses-transient-messagetoolarge-policy" } },
	{ "Bounce", "Transient", "ContentRejected", NULL,
	  { EV_DECIDE, LW_CLASS_POLICY,
	    "ses-transient-contentrejected-policy" } },
	{ "Bounce", "Transient", "AttachmentRejected", NULL,
	  { EV_DECIDE, LW_CLASS_POLICY,
	    "ses-transient-attachmentrejected-policy" } },
	/*
	 * General, and any subtype SES adds later: the codes tell a full
	 * mailbox from a greylisting server, but a temporary failure is
	 * never hard, and soft when they say nothing.
	 */
	{ "Bounce", "Transient", NULL, NULL,
	  { EV_TEMPORARY, LW_CLASS_SOFT, "ses-transient-general" } },
	/* SES read the reply as "no such address" */
	{ "Bounce", "Permanent", "NoEmail", NULL,
	  { EV_DECIDE, LW_CLASS_HARD, "ses-permanent-noemail" } },
	/*
	 * SES's own suppression lists: the global one holds addresses that
	 * recently bounced hard for any SES sender; the account's holds
	 * what bounced or complained for this one.  Either way SES will
	 * not send there, and neither should the list.
	 */
	{ "Bounce", "Permanent", "Suppressed", NULL,
	  { EV_DECIDE, LW_CLASS_HARD, "ses-permanent-suppressed" } },
	{ "Bounce", "Permanent", "OnAccountSuppressionList", NULL,
	  { EV_DECIDE, LW_CLASS_HARD,
	    "ses-permanent-onaccountsuppressionlist" } },
	/*
	 * General: SES files every other permanent failure here, a
	 * blocklisted sender or a rejected content among them, so the
	 * codes and text decide (a 5.7.1 is policy, not a dead address);
	 * hard when they say nothing, as SES's "remove the recipient"
	 * advice for this type reads.
	 */
	{ "Bounce", "Permanent", NULL, NULL,
	  { EV_CODES, LW_CLASS_HARD, "ses-permanent-general" } },
	/* SES could not tell: the codes may; unknown when they cannot */
	{ "Bounce", "Undetermined", NULL, NULL,
	  { EV_CODES, LW_CLASS_UNKNOWN, "ses-undetermined" } },

	/*
	 * "not-spam": the recipient moved the message out of the spam
	 * folder, which says it arrived and was wanted.
	 */
	{ "Complaint", NULL, "not-spam", NULL,
	  { EV_DECIDE, LW_CLASS_DELIVERED, "ses-complaint-not-spam" } },
	/*
	 * Reports about the message, not the recipient's wish: an
	 * authentication failure (SPF, DKIM) and a virus found in it are
	 * the sender's to fix.
	 */
	{ "Complaint", NULL, "auth-failure", NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "ses-complaint-auth-failure-policy" } },
	{ "Complaint", NULL, "virus", NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "ses-complaint-virus-policy" } },
	/* abuse, fraud, other, or none given (most mailbox providers) */
	{ "Complaint", NULL, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_COMPLAINT, "ses-complaint" } },

	{ "Delivery", NULL, NULL, NULL,
	  { EV_DECIDE, LW_CLASS_DELIVERED, "ses-delivery" } },
};

/* What setup() returns to say the records follow. */
#define GO_ON	2

/* The kinds that name recipients, and where. */
enum { BOUNCE, COMPLAINT, DELIVERY, NKINDS };
static const struct {
	const char *kind;
	const char *member;	/* the object of the kind */
	const char *list;	/* its recipients */
} kinds[NKINDS] = {
	[BOUNCE] = { "Bounce", "bounce", "bouncedRecipients" },
	[COMPLAINT] = { "Complaint", "complaint", "complainedRecipients" },
	[DELIVERY] = { "Delivery", "delivery", "recipients" },
};

/* lookup - the first row of the table that matches, or NULL */
static const struct ev_rule *
lookup(const char *kind, const char *type, const char *sub,
    const char *status)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (strcasecmp(rules[i].kind, kind) != 0)
			continue;
		if (rules[i].type != NULL &&
		    (type == NULL || strcasecmp(rules[i].type, type) != 0))
			continue;
		if (rules[i].sub != NULL &&
		    (sub == NULL || strcasecmp(rules[i].sub, sub) != 0))
			continue;
		if (rules[i].status != NULL &&
		    (status == NULL || strcmp(rules[i].status, status) != 0))
			continue;
		return &rules[i].r;
	}
	return NULL;
}

/* kind_of - the notification's kind, its index in kinds, or -1 */
static int
kind_of(json_t *n, const char **kind)
{
	int k;

	if ((*kind = ev_json_str(n, "notificationType")) == NULL &&
	    (*kind = ev_json_str(n, "eventType")) == NULL)
		return -1;
	for (k = 0; k < NKINDS; k++)
		if (strcasecmp(*kind, kinds[k].kind) == 0)
			return k;
	return -1;
}

/*
 * setup - unwrap the notification, find its kind and its recipients:
 * GO_ON to go on to the records, 0 for no record, 1 with an error's
 * record, or an lw_err
 */
static int
setup(struct lw_events *r, struct ev_doc *d, struct lw_event_rec *rec)
{
	json_error_t jerr;
	json_t *n = d->ev, *msg;
	const struct ev_rule *rule;
	const char *type, *kind;
	int k;

	d->started = 1;
	if (!json_is_object(n))
		return ev_doc_error(r, d, "bad-element", NULL, rec);
	type = ev_json_str(n, "Type");
	msg = ev_json_member(n, "Message");
	if (type != NULL && msg != NULL) {
		/* An SNS envelope. */
		if (strcasecmp(type, "Notification") != 0)
			return 0;
		if (!json_is_string(msg))
			return ev_doc_error(r, d, "bad-element", NULL, rec);
		d->aux = json_loadb(json_string_value(msg),
		    json_string_length(msg), JSON_ALLOW_NUL, &jerr);
		if (d->aux == NULL &&
		    json_error_code(&jerr) == json_error_out_of_memory)
			return ev_fail(r, LW_ENOMEM, d->ev_line);
		if (!json_is_object(d->aux))
			return ev_doc_error(r, d, "bad-element", NULL, rec);
		n = d->aux;
	}
	d->obj = n;
	if ((k = kind_of(n, &kind)) < 0) {
		if (kind == NULL)
			return ev_doc_error(r, d, "bad-element", NULL, rec);
		if ((rule = lookup(kind, NULL, NULL, NULL)) != NULL &&
		    rule->how == EV_SKIP)
			return 0;
		return ev_doc_error(r, d, "unknown-type",
		    ev_json_member(n, json_is_string(ev_json_member(n,
		    "notificationType")) ? "notificationType" : "eventType"),
		    rec);
	}
	d->rcpts = ev_json_path(n, kinds[k].member, kinds[k].list);
	d->nsub = json_is_array(d->rcpts) ? json_array_size(d->rcpts) : 0;
	/* No recipient named: one record, to say so. */
	if (d->nsub == 0)
		d->nsub = 1;
	return GO_ON;
}

/*
 * listed - an entry of SES's suppression list, as its API and the AWS
 * command line give it ({"SuppressedDestinationSummaries": [{
 * "EmailAddress", "Reason": BOUNCE|COMPLAINT, "LastUpdateTime"}]}): a
 * suppression already, hard or complaint
 */
static int
listed(struct lw_events *r, struct ev_doc *d, struct lw_event_rec *rec)
{
	const char *reason = ev_json_str(d->ev, "Reason"), *as = NULL;
	struct ev_row row;
	int got;

	d->started = 1;
	d->sub = d->nsub = 1;
	ev_row_clear(&row);
	ev_doc_set(d, &row, EV_RECIPIENT, ev_json_member(d->ev,
	    "EmailAddress"));
	ev_doc_set(d, &row, EV_TIMESTAMP, ev_json_member(d->ev,
	    "LastUpdateTime"));
	if (reason != NULL && strcasecmp(reason, "BOUNCE") == 0)
		as = "hard";
	else if (reason != NULL && strcasecmp(reason, "COMPLAINT") == 0)
		as = "complaint";
	else
		row.error = "unknown-reason";
	if ((got = ev_doc_finish(r, d, &row, NULL, rec)) == 1)
		rec->suppressed = as;
	return got;
}

/* ses_next - the next recipient of a notification */
static int
ses_next(struct lw_events *r, struct ev_doc *d, struct lw_event_rec *rec)
{
	const struct ev_rule *rule;
	json_t *kobj, *rc, *who, *status = NULL, *mail, *tv, *diag = NULL;
	const char *kind, *sub = NULL, *text = NULL;
	char st[16];
	struct ev_row row;
	int k, got;

	if (!d->started && json_is_object(d->ev) &&
	    ev_json_member(d->ev, "EmailAddress") != NULL &&
	    ev_json_member(d->ev, "Reason") != NULL)
		return listed(r, d, rec);
	if (!d->started && (got = setup(r, d, rec)) != GO_ON)
		return got;
	if (d->sub >= d->nsub)
		return 0;
	k = kind_of(d->obj, &kind);
	kobj = ev_json_member(d->obj, kinds[k].member);
	mail = ev_json_member(d->obj, "mail");
	rc = json_array_get(d->rcpts, d->sub);
	ev_row_clear(&row);

	who = k == DELIVERY ? rc : ev_json_member(rc, "emailAddress");
	ev_doc_set(d, &row, EV_RECIPIENT, who);
	switch (k) {
	case BOUNCE:
		status = ev_json_member(rc, "status");
		diag = ev_json_member(rc, "diagnosticCode");
		sub = ev_json_str(kobj, "bounceSubType");
		break;
	case COMPLAINT:
		sub = ev_json_str(kobj, "complaintFeedbackType");
		ev_doc_set(d, &row, EV_FEEDBACK,
		    ev_json_member(kobj, "complaintFeedbackType"));
		break;
	default:
		diag = ev_json_member(kobj, "smtpResponse");
		break;
	}
	text = json_is_string(diag) ? json_string_value(diag) : NULL;
	ev_doc_set(d, &row, EV_DIAGNOSTIC, diag);
	ev_doc_codes(d, &row, status, text);
	if ((tv = ev_json_member(kobj, "timestamp")) == NULL)
		tv = ev_json_member(mail, "timestamp");
	ev_doc_set(d, &row, EV_TIMESTAMP, tv);
	if (ev_doc_id(d, &row, k == DELIVERY ?
	    ev_json_member(mail, "messageId") :
	    ev_json_member(kobj, "feedbackId"), who, d->nsub > 1) != LW_OK)
		return ev_fail(r, LW_ENOMEM, d->ev_line);

	if (!ev_status_of(json_is_string(status) ? json_string_value(status) :
	    NULL, st) && !ev_status_of(text, st))
		st[0] = '\0';
	rule = lookup(kinds[k].kind, ev_json_str(kobj, "bounceType"), sub,
	    st[0] != '\0' ? st : NULL);
	if (rule == NULL) {
		/* A bounce type SES has not documented. */
		row.error = "unknown-type";
		ev_doc_set(d, &row, EV_TYPE,
		    ev_json_member(kobj, "bounceType"));
	}
	d->sub++;
	return ev_doc_finish(r, d, &row, rule, rec);
}

const struct ev_esp ev_esp_ses = {
	LW_EVENTS_SES, "SuppressedDestinationSummaries", ses_next,
};
