/*
 * listwarden/policy.h - an address's state from its events
 *
 * NAME
 *	policy - fold events, in time order, under a config, into a state
 *
 * DESCRIPTION
 *	A pure function.  The state of an address is a function of its
 *	events and the config, never of the order in which they arrived:
 *	lw_policy_fold() sorts the events it is given by (time, kind, id)
 *	and skips repeats of an id, so shuffled or repeated events give the
 *	same state.  The rules, for events in that order:
 *
 *	  hard          suppress (reason hard), unless allowed
 *	  soft,         count, unless allowed: at most one count per UTC day
 *	  technical     (when per_day is set); a count more than window_days
 *	                after the previous counted one starts again at 1
 *	                (the window is measured between events, never against
 *	                the clock); suppress (reason soft) at soft_threshold
 *	  delivered     reset the count (when delivery_resets is set)
 *	  policy,       recorded, never suppress the recipient: the sender
 *	  unknown       must fix what they report
 *	  complaint     suppress (reason complaint), allowed or not
 *	  unsubscribe   suppress (reason unsubscribe), allowed or not
 *	  suppress      suppress (reason manual)
 *	  unsuppress    clear the suppression and the count
 *	  allow         shield from bounce rules (hard, soft, technical)
 *	  disallow      end the shield
 *	  soft-limit    a suppression for soft bounces carried over from
 *	                another tool's list: suppress (reason soft) with the
 *	                count at the threshold, unless allowed
 *
 *	An address already suppressed keeps its first reason and time.
 *	Events of the same second are taken in the order of enum
 *	lw_event_kind (a delivery first, then bounces, complaints, the
 *	shield, manual actions, an unsuppress last), then by id.  Only the
 *	optional expiry looks at the clock: a soft suppression older than
 *	expiry_days (0: never) at "now" is lifted.
 *
 * DIAGNOSTICS
 *	lw_policy_fold() returns LW_OK or LW_ENOMEM (it sorts a copy).
 */
#ifndef LISTWARDEN_POLICY_H
#define LISTWARDEN_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include <listwarden/classify.h>

/* What happened: the classes of lw_classify(), and manual actions. */
enum lw_event_kind {
	LW_EVENT_DELIVERED,
	LW_EVENT_SOFT,
	LW_EVENT_TECHNICAL,
	LW_EVENT_POLICY,
	LW_EVENT_UNKNOWN,
	LW_EVENT_HARD,
	LW_EVENT_COMPLAINT,
	LW_EVENT_UNSUBSCRIBE,
	LW_EVENT_ALLOW,
	LW_EVENT_DISALLOW,
	LW_EVENT_SUPPRESS,
	LW_EVENT_UNSUPPRESS,
	LW_EVENT_SOFT_LIMIT,	/* appended: stored kinds keep their values */
	LW_EVENT_AUTO_REPLY,	/* recorded only: the mailbox answered */
	LW_EVENT_KIND_COUNT
};

struct lw_event {
	int64_t time;			/* Unix seconds, UTC */
	enum lw_event_kind kind;
	const char *id;			/* the event id, for ties and repeats */
};

struct lw_policy {
	unsigned soft_threshold;	/* suppress at this many counts: 3 */
	unsigned window_days;		/* between counted events: 30 */
	int per_day;			/* at most one count a UTC day: 1 */
	int delivery_resets;		/* a delivery resets the count: 1 */
	unsigned expiry_days;		/* lift soft suppressions: 0, never */
};

enum lw_state_kind {
	LW_STATE_ACTIVE,
	LW_STATE_SUPPRESSED
};

enum lw_suppress_reason {
	LW_SUPPRESS_NONE,
	LW_SUPPRESS_HARD,
	LW_SUPPRESS_SOFT,
	LW_SUPPRESS_COMPLAINT,
	LW_SUPPRESS_UNSUBSCRIBE,
	LW_SUPPRESS_MANUAL,
	LW_SUPPRESS_REASON_COUNT
};

struct lw_state {
	enum lw_state_kind state;
	enum lw_suppress_reason reason;	/* LW_SUPPRESS_NONE when active */
	int64_t since;			/* when suppressed; 0 when active */
	unsigned soft_count;		/* counts in the current window */
	int64_t last_counted;		/* the last counted soft event, or 0 */
	int allowed;			/* shielded from bounce rules */
	size_t events;			/* distinct events folded */
};

/* lw_policy_defaults - the default config */
void lw_policy_defaults(struct lw_policy *p);

/*
 * lw_policy_fold - the state after events[0..n) under p, at time now
 *
 * events need not be sorted; neither they nor their ids are kept.
 */
int lw_policy_fold(const struct lw_policy *p, const struct lw_event *events,
    size_t n, int64_t now, struct lw_state *out);

/* lw_event_kind_of - the event kind of a class */
enum lw_event_kind lw_event_kind_of(enum lw_class cls);

/* lw_event_kind_name, lw_suppress_reason_name - stable names */
const char *lw_event_kind_name(enum lw_event_kind kind);
const char *lw_suppress_reason_name(enum lw_suppress_reason reason);

#endif /* LISTWARDEN_POLICY_H */
