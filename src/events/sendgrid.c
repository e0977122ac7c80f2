/*
 * sendgrid.c - events from SendGrid's event webhook
 *
 * NAME
 *	sendgrid - the event webhook's batches
 *
 * DESCRIPTION
 *	SendGrid posts a JSON array of event objects, as its "Event
 *	Webhook Reference" documents them: each has "event", "email",
 *	"timestamp" (Unix seconds) and "sg_event_id", and, by event,
 *	"status" ("5.0.0"), "reason" (the server's reply, or why SendGrid
 *	dropped the message), "response" (a delivery's or a deferral's
 *	reply), "type" ("bounce" or "blocked", within a bounce event) and
 *	"bounce_classification".  Arrays are read an element at a time
 *	(json.c), and an object on its own is taken too.
 *
 *	The record's diagnostic is "reason", else "response"; its reply
 *	code is the one that text starts with, and its status "status",
 *	unless that is the unspecific "5.0.0" SendGrid gives most bounces
 *	and the text holds a specific one.  Its event id is "sg_event_id".
 *
 *	Events that say nothing of the recipient's mailbox (processed,
 *	open, click, group_resubscribe) give no record and count nothing.
 *	An element that is not an object or has no "event" is a
 *	"bad-element"; an event the table does not know is "unknown-type".
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
 * The SendGrid table: the first row that matches decides.  A row with
 * a member also needs that member to hold its value (ignoring case).
 */
static const struct {
	const char *event;
	const char *member;	/* a member the row also needs, or NULL */
	const char *value;	/* its value */
	struct ev_rule r;
} rules[] = {
	/* No recipient outcome: the message was accepted, read, clicked. */
	{ "processed", NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "open", NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "click", NULL, NULL, { EV_SKIP, 0, NULL } },
	/*
	 * A recipient back in a group: lifting a suppression is a decision
	 * listwarden leaves to its own commands, never to a feed.
	 */
	{ "group_resubscribe", NULL, NULL, { EV_SKIP, 0, NULL } },

	{ "delivered", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_DELIVERED, "sendgrid-delivered" } },
	/*
	 * SendGrid retries a deferral for up to 72 hours: a temporary
	 * failure, never hard; the codes may say technical or policy.
	 */
	{ "deferred", NULL, NULL,
	  { EV_TEMPORARY, LW_CLASS_SOFT, "sendgrid-deferred" } },
	/*
	 * A block is SendGrid's name for a server refusing the sender (an
	 * IP or domain's reputation, a blocklist, the content), whatever
	 * code it came with: the sender's fault, and the address says
	 * nothing.  Older payloads send it as a bounce of type "blocked".
	 */
	{ "bounce", "type", "blocked",
	  { EV_DECIDE, LW_CLASS_POLICY, "sendgrid-blocked-policy" } },
	{ "blocked", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "sendgrid-blocked-policy" } },
	/* SendGrid's own reading of the reply, where it is decisive. */
	{ "bounce", "bounce_classification", "Invalid Address",
	  { EV_DECIDE, LW_CLASS_HARD, "sendgrid-bounce-invalid-address" } },
	{ "bounce", "bounce_classification", "Technical",
	  { EV_DECIDE, LW_CLASS_TECHNICAL, "sendgrid-bounce-technical" } },
	{ "bounce", "bounce_classification", "Content",
	  { EV_DECIDE, LW_CLASS_POLICY, "sendgrid-bounce-content-policy" } },
	{ "bounce", "bounce_classification", "Reputation",
	  { EV_DECIDE, LW_CLASS_POLICY,
	    "sendgrid-bounce-reputation-policy" } },
	/* rate limits: the way there, for now */
	{ "bounce", "bounce_classification", "Frequency or Volume",
	  { EV_DECIDE, LW_CLASS_TECHNICAL,
	    "sendgrid-bounce-frequency-technical" } },
	/*
	 * "Mailbox Unavailable" (full, disabled, inactive), "Unclassified"
	 * or none: the codes and the text decide; a bounce is a permanent
	 * refusal (a temporary one is "deferred"), so hard when they say
	 * nothing.
	 */
	{ "bounce", NULL, NULL,
	  { EV_CODES, LW_CLASS_HARD, "sendgrid-bounce" } },
	/*
	 * Dropped: SendGrid did not send, and "reason" says why.  Its
	 * suppression lists name the earlier outcome, which stands.
	 */
	{ "dropped", "reason", "Bounced Address",
	  { EV_DECIDE, LW_CLASS_HARD, "sendgrid-dropped-bounced-address" } },
	{ "dropped", "reason", "Unsubscribed Address",
	  { EV_DECIDE, LW_CLASS_UNSUBSCRIBE,
	    "sendgrid-dropped-unsubscribed-address" } },
	{ "dropped", "reason", "Spam Reporting Address",
	  { EV_DECIDE, LW_CLASS_COMPLAINT,
	    "sendgrid-dropped-spam-reporting-address" } },
	/* the address itself is malformed */
	{ "dropped", "reason", "Invalid",
	  { EV_DECIDE, LW_CLASS_HARD, "sendgrid-dropped-invalid" } },
	/* spam content, an invalid SMTPAPI header, over the plan's quota */
	{ "dropped", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_POLICY, "sendgrid-dropped-policy" } },

	{ "spamreport", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_COMPLAINT, "sendgrid-spamreport" } },
	{ "unsubscribe", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_UNSUBSCRIBE, "sendgrid-unsubscribe" } },
	/*
	 * Out of one unsubscribe group only; listwarden knows no groups,
	 * and mailing someone who asked to stop costs more than missing
	 * one who did not.
	 */
	{ "group_unsubscribe", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_UNSUBSCRIBE, "sendgrid-group-unsubscribe" } },
};

/* lookup - the first row that matches the event object, or NULL */
static const struct ev_rule *
lookup(json_t *ev, const char *event)
{
	char num[EV_NUMBER_MAX];
	const char *v;
	size_t i, len;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (strcasecmp(rules[i].event, event) != 0)
			continue;
		if (rules[i].member != NULL &&
		    ((v = ev_json_text(ev_json_member(ev, rules[i].member),
		    num, &len)) == NULL || strlen(rules[i].value) != len ||
		    strncasecmp(v, rules[i].value, len) != 0))
			continue;
		return &rules[i].r;
	}
	return NULL;
}

/* sendgrid_next - the record of one event object */
static int
sendgrid_next(struct lw_events *r, struct ev_doc *d,
    struct lw_event_rec *rec)
{
	const struct ev_rule *rule;
	json_t *ev = d->ev, *diag;
	const char *event;
	struct ev_row row;

	if (d->started)
		return 0;
	d->started = 1;
	if ((event = ev_json_str(ev, "event")) == NULL)
		return ev_doc_error(r, d, "bad-element", NULL, rec);
	if ((rule = lookup(ev, event)) == NULL)
		return ev_doc_error(r, d, "unknown-type",
		    ev_json_member(ev, "event"), rec);
	if (rule->how == EV_SKIP)
		return 0;

	ev_row_clear(&row);
	ev_doc_set(d, &row, EV_RECIPIENT, ev_json_member(ev, "email"));
	diag = ev_json_member(ev, "reason");
	if (!json_is_string(diag) || json_string_length(diag) == 0)
		diag = ev_json_member(ev, "response");
	ev_doc_set(d, &row, EV_DIAGNOSTIC, diag);
	ev_doc_codes(d, &row, ev_json_member(ev, "status"),
	    json_is_string(diag) ? json_string_value(diag) : NULL);
	ev_doc_set(d, &row, EV_TIMESTAMP, ev_json_member(ev, "timestamp"));
	if (ev_doc_id(d, &row, ev_json_member(ev, "sg_event_id"), NULL, 0) !=
	    LW_OK)
		return ev_fail(r, LW_ENOMEM, d->ev_line);
	return ev_doc_finish(r, d, &row, rule, rec);
}

const struct ev_esp ev_esp_sendgrid = {
	LW_EVENTS_SENDGRID, NULL, sendgrid_next,
};
