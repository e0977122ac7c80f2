/*
 * mailgun.c - events from Mailgun's webhooks and events API
 *
 * NAME
 *	mailgun - event-data objects, webhook payloads, events API pages
 *
 * DESCRIPTION
 *	Mailgun describes an event with an "event-data" object, as its
 *	"Events" and "Webhooks" documentation gives it: "event", "id",
 *	"timestamp" (Unix seconds with a fraction), "recipient", and for a
 *	failure "severity" (permanent or temporary), "reason" (bounce,
 *	generic, old, espblock, suppress-bounce ...) and "delivery-status"
 *	with "code" (the SMTP reply code, or Mailgun's own 605 to 607),
 *	"enhanced-code", "message" (the server's reply) and "description".
 *
 *	It comes three ways, all read: a webhook payload, an object with
 *	"signature" and "event-data"; the event-data object alone; and an
 *	events API page, an object whose "items" array holds event-data
 *	objects (json.c reads those as a page).
 *
 *	The record's diagnostic is delivery-status.message, else its
 *	description; its status delivery-status.enhanced-code (else the
 *	one the message starts with); its reply code delivery-status.code
 *	when that is an SMTP reply code, else the one the message starts
 *	with.  Its event id is "id".
 *
 *	Events that say nothing of the recipient's mailbox (accepted,
 *	opened, clicked, stored, rejected) give no record.  An object with
 *	no "event" is a "bad-element"; an event the table does not know is
 *	"unknown-type".
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
 * The Mailgun table: the first row that matches decides.  A NULL
 * severity or reason matches anything, absent included.
 */
static const struct {
	const char *event;
	const char *severity;
	const char *reason;
	struct ev_rule r;
} rules[] = {
	/*
	 * No recipient outcome: taken from the sender, opened, clicked,
	 * stored for retrieval, or refused from the sender by Mailgun.
	 */
	{ "accepted", NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "opened", NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "clicked", NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "stored", NULL, NULL, { EV_SKIP, 0, NULL } },
	{ "rejected", NULL, NULL, { EV_SKIP, 0, NULL } },

	{ "delivered", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_DELIVERED, "mailgun-delivered" } },
	{ "complained", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_COMPLAINT, "mailgun-complained" } },
	{ "unsubscribed", NULL, NULL,
	  { EV_DECIDE, LW_CLASS_UNSUBSCRIBE, "mailgun-unsubscribed" } },

	/*
	 * Mailgun did not send: the address is on the domain's bounce,
	 * unsubscribe or complaint list, so the earlier outcome stands.
	 */
	{ "failed", NULL, "suppress-bounce",
	  { EV_DECIDE, LW_CLASS_HARD, "mailgun-suppress-bounce" } },
	{ "failed", NULL, "suppress-unsubscribe",
	  { EV_DECIDE, LW_CLASS_UNSUBSCRIBE, "mailgun-suppress-unsubscribe" } },
	{ "failed", NULL, "suppress-complaint",
	  { EV_DECIDE, LW_CLASS_COMPLAINT, "mailgun-suppress-complaint" } },
	/* the receiving provider blocked the sending IPs: the sender's side */
	{ "failed", NULL, "espblock",
	  { EV_DECIDE, LW_CLASS_POLICY, "mailgun-espblock-policy" } },
	/*
	 * "old": Mailgun gave up after retrying temporary failures for
	 * hours.  Permanent in name, the cause was temporary: never hard.
	 */
	{ "failed", "permanent", "old",
	  { EV_TEMPORARY, LW_CLASS_SOFT, "mailgun-permanent-old" } },
	/*
	 * A permanent failure ("bounce", "generic"): the codes and text
	 * decide, a policy rejection among them; hard when they say
	 * nothing.
	 */
	{ "failed", "permanent", NULL,
	  { EV_CODES, LW_CLASS_HARD, "mailgun-permanent" } },
	/* Mailgun retries: never hard, soft when the codes say nothing */
	{ "failed", "temporary", NULL,
	  { EV_TEMPORARY, LW_CLASS_SOFT, "mailgun-temporary" } },
	/* no severity (or one not documented): the codes alone */
	{ "failed", NULL, NULL,
	  { EV_CODES, LW_CLASS_UNKNOWN, "mailgun-failed" } },
};

/* matches - a row's column: NULL matches anything */
static int
matches(const char *want, const char *have)
{
	return want == NULL || (have != NULL && strcasecmp(want, have) == 0);
}

/* lookup - the first row that matches, or NULL */
static const struct ev_rule *
lookup(const char *event, const char *severity, const char *reason)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcasecmp(rules[i].event, event) == 0 &&
		    matches(rules[i].severity, severity) &&
		    matches(rules[i].reason, reason))
			return &rules[i].r;
	return NULL;
}

/* mailgun_next - the record of one event */
static int
mailgun_next(struct lw_events *r, struct ev_doc *d,
    struct lw_event_rec *rec)
{
	const struct ev_rule *rule;
	json_t *ev = d->ev, *data, *ds, *diag;
	const char *event;
	struct ev_row row;

	if (d->started)
		return 0;
	d->started = 1;
	/* A webhook payload holds the event in "event-data". */
	if ((data = ev_json_member(ev, "event-data")) != NULL) {
		if (!json_is_object(data))
			return ev_doc_error(r, d, "bad-element", NULL, rec);
		ev = data;
	}
	if ((event = ev_json_str(ev, "event")) == NULL)
		return ev_doc_error(r, d, "bad-element", NULL, rec);
	if ((rule = lookup(event, ev_json_str(ev, "severity"),
	    ev_json_str(ev, "reason"))) == NULL)
		return ev_doc_error(r, d, "unknown-type",
		    ev_json_member(ev, "event"), rec);
	if (rule->how == EV_SKIP)
		return 0;

	ev_row_clear(&row);
	ds = ev_json_member(ev, "delivery-status");
	ev_doc_set(d, &row, EV_RECIPIENT, ev_json_member(ev, "recipient"));
	/* (json_is_string() is a macro: no assignment inside it.) */
	diag = ev_json_member(ds, "message");
	if (!json_is_string(diag) || json_string_length(diag) == 0)
		diag = ev_json_member(ds, "description");
	ev_doc_set(d, &row, EV_DIAGNOSTIC, diag);
	ev_doc_reply(d, &row, ev_json_member(ds, "code"));
	ev_doc_codes(d, &row, ev_json_member(ds, "enhanced-code"),
	    json_is_string(diag) ? json_string_value(diag) : NULL);
	ev_doc_set(d, &row, EV_TIMESTAMP, ev_json_member(ev, "timestamp"));
	if (ev_doc_id(d, &row, ev_json_member(ev, "id"), NULL, 0) != LW_OK)
		return ev_fail(r, LW_ENOMEM, d->ev_line);
	return ev_doc_finish(r, d, &row, rule, rec);
}

const struct ev_esp ev_esp_mailgun = {
	LW_EVENTS_MAILGUN, "items", mailgun_next,
};
