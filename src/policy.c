/*
 * policy.c - fold an address's events into its state
 *
 * NAME
 *	policy - the suppression rules, as one pure function
 *
 * DESCRIPTION
 *	lw_policy_fold() sorts a copy of the events by (time, kind, id),
 *	skips an event whose id repeats the one before (the same event
 *	ingested twice), and applies the rules listwarden/policy.h lists.
 *	Nothing here reads the clock but the expiry check, which takes "now"
 *	from the caller, so the same events fold to the same state whenever
 *	they are folded.
 */
#include <stdlib.h>
#include <string.h>

#include "listwarden/error.h"
#include "listwarden/policy.h"

#define DAY	86400

static const char *const kind_names[LW_EVENT_KIND_COUNT] = {
	[LW_EVENT_DELIVERED] = "delivered",
	[LW_EVENT_SOFT] = "soft",
	[LW_EVENT_TECHNICAL] = "technical",
	[LW_EVENT_POLICY] = "policy",
	[LW_EVENT_UNKNOWN] = "unknown",
	[LW_EVENT_HARD] = "hard",
	[LW_EVENT_COMPLAINT] = "complaint",
	[LW_EVENT_UNSUBSCRIBE] = "unsubscribe",
	[LW_EVENT_ALLOW] = "allow",
	[LW_EVENT_DISALLOW] = "disallow",
	[LW_EVENT_SUPPRESS] = "suppress",
	[LW_EVENT_UNSUPPRESS] = "unsuppress",
	[LW_EVENT_SOFT_LIMIT] = "soft-limit",
	[LW_EVENT_AUTO_REPLY] = "auto-reply",
};

static const char *const reason_names[LW_SUPPRESS_REASON_COUNT] = {
	[LW_SUPPRESS_NONE] = "",
	[LW_SUPPRESS_HARD] = "hard",
	[LW_SUPPRESS_SOFT] = "soft",
	[LW_SUPPRESS_COMPLAINT] = "complaint",
	[LW_SUPPRESS_UNSUBSCRIBE] = "unsubscribe",
	[LW_SUPPRESS_MANUAL] = "manual",
};

/* lw_policy_defaults - three soft counts in 30 days, one a day */
void
lw_policy_defaults(struct lw_policy *p)
{
	p->soft_threshold = 3;
	p->window_days = 30;
	p->per_day = 1;
	p->delivery_resets = 1;
	p->expiry_days = 0;
}

/* lw_event_kind_name - a kind's name */
const char *
lw_event_kind_name(enum lw_event_kind kind)
{
	return (unsigned)kind < LW_EVENT_KIND_COUNT ? kind_names[kind] :
	    "unknown";
}

/* lw_suppress_reason_name - a reason's name, "" for none */
const char *
lw_suppress_reason_name(enum lw_suppress_reason reason)
{
	return (unsigned)reason < LW_SUPPRESS_REASON_COUNT ?
	    reason_names[reason] : "";
}

/* lw_event_kind_of - the event kind of a class */
enum lw_event_kind
lw_event_kind_of(enum lw_class cls)
{
	switch (cls) {
	case LW_CLASS_HARD:
		return LW_EVENT_HARD;
	case LW_CLASS_SOFT:
		return LW_EVENT_SOFT;
	case LW_CLASS_TECHNICAL:
		return LW_EVENT_TECHNICAL;
	case LW_CLASS_POLICY:
		return LW_EVENT_POLICY;
	case LW_CLASS_COMPLAINT:
		return LW_EVENT_COMPLAINT;
	case LW_CLASS_UNSUBSCRIBE:
		return LW_EVENT_UNSUBSCRIBE;
	case LW_CLASS_DELIVERED:
		return LW_EVENT_DELIVERED;
	case LW_CLASS_AUTO_REPLY:
		return LW_EVENT_AUTO_REPLY;
	default:
		return LW_EVENT_UNKNOWN;
	}
}

/* same_id - two ids equal, NULL equal only to NULL */
static int
same_id(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* cmp_events - by time, then kind, then id (NULL first) */
static int
cmp_events(const void *pa, const void *pb)
{
	const struct lw_event *a = pa, *b = pb;

	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->id == NULL || b->id == NULL)
		return (a->id != NULL) - (b->id != NULL);
	return strcmp(a->id, b->id);
}

/* utc_day - the UTC day number of a time */
static int64_t
utc_day(int64_t t)
{
	return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

/* suppress - suppress for reason at t, unless suppressed already */
static void
suppress(struct lw_state *s, enum lw_suppress_reason reason, int64_t t)
{
	if (s->state == LW_STATE_SUPPRESSED)
		return;
	s->state = LW_STATE_SUPPRESSED;
	s->reason = reason;
	s->since = t;
}

/* count_soft - one soft or technical event, under the window and per-day */
static void
count_soft(const struct lw_policy *p, struct lw_state *s, int64_t t)
{
	if (s->soft_count > 0) {
		if (p->per_day && utc_day(t) == utc_day(s->last_counted))
			return;		/* retries of one day count once */
		if (t - s->last_counted > (int64_t)p->window_days * DAY)
			s->soft_count = 0;	/* the window starts again */
	}
	s->soft_count++;
	s->last_counted = t;
	if (p->soft_threshold > 0 && s->soft_count >= p->soft_threshold)
		suppress(s, LW_SUPPRESS_SOFT, t);
}

/* apply - one event */
static void
apply(const struct lw_policy *p, struct lw_state *s, const struct lw_event *e)
{
	switch (e->kind) {
	case LW_EVENT_HARD:
		if (!s->allowed)
			suppress(s, LW_SUPPRESS_HARD, e->time);
		break;
	case LW_EVENT_SOFT:
	case LW_EVENT_TECHNICAL:
		if (!s->allowed)
			count_soft(p, s, e->time);
		break;
	case LW_EVENT_DELIVERED:
		if (p->delivery_resets) {
			s->soft_count = 0;
			s->last_counted = 0;
		}
		break;
	case LW_EVENT_COMPLAINT:
		suppress(s, LW_SUPPRESS_COMPLAINT, e->time);
		break;
	case LW_EVENT_UNSUBSCRIBE:
		suppress(s, LW_SUPPRESS_UNSUBSCRIBE, e->time);
		break;
	case LW_EVENT_SUPPRESS:
		suppress(s, LW_SUPPRESS_MANUAL, e->time);
		break;
	case LW_EVENT_UNSUPPRESS:
		s->state = LW_STATE_ACTIVE;
		s->reason = LW_SUPPRESS_NONE;
		s->since = 0;
		s->soft_count = 0;
		s->last_counted = 0;
		break;
	case LW_EVENT_SOFT_LIMIT:
		if (s->allowed)
			break;
		if (s->soft_count < p->soft_threshold)
			s->soft_count = p->soft_threshold;
		s->last_counted = e->time;
		suppress(s, LW_SUPPRESS_SOFT, e->time);
		break;
	case LW_EVENT_ALLOW:
		s->allowed = 1;
		break;
	case LW_EVENT_DISALLOW:
		s->allowed = 0;
		break;
	default:	/* policy, unknown, auto-reply: recorded only */
		break;
	}
}

/* lw_policy_fold - the state after the events, at time now */
int
lw_policy_fold(const struct lw_policy *p, const struct lw_event *events,
    size_t n, int64_t now, struct lw_state *out)
{
	struct lw_event *ev = NULL;
	struct lw_state s = { .state = LW_STATE_ACTIVE };
	size_t i;

	if (n > 0) {
		if ((ev = malloc(n * sizeof(*ev))) == NULL)
			return LW_ENOMEM;
		memcpy(ev, events, n * sizeof(*ev));
		qsort(ev, n, sizeof(*ev), cmp_events);
	}
	for (i = 0; i < n; i++) {
		/* The same event twice (same id, time and kind) counts once. */
		if (i > 0 && ev[i].id != NULL && cmp_events(&ev[i],
		    &ev[i - 1]) == 0 && same_id(ev[i].id, ev[i - 1].id))
			continue;
		apply(p, &s, &ev[i]);
		s.events++;
	}
	if (p->expiry_days > 0 && s.state == LW_STATE_SUPPRESSED &&
	    s.reason == LW_SUPPRESS_SOFT &&
	    now - s.since >= (int64_t)p->expiry_days * DAY) {
		s.state = LW_STATE_ACTIVE;
		s.reason = LW_SUPPRESS_NONE;
		s.since = 0;
		s.soft_count = 0;
		s.last_counted = 0;
	}
	free(ev);
	*out = s;
	return LW_OK;
}
