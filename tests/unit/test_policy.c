/*
 * test_policy.c - unit tests of the policy fold
 *
 * One table row per rule of listwarden/policy.h: the events (times in
 * days and seconds after a fixed start), the config, and the state that
 * must come out.  Then a property test: random event sets fold to the
 * same state shuffled, and with every event given twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "listwarden.h"

#define T0	1700000000	/* 2023-11-14T22:13:20Z */
#define DAY	86400
#define MAXEV	8

enum cfg { DEFAULTS, NO_PER_DAY, NO_RESET, EXPIRY_10, THRESHOLD_1 };

struct ev {
	int64_t at;		/* seconds after T0 */
	enum lw_event_kind kind;
};

struct policy_case {
	const char *desc;
	enum cfg cfg;
	struct ev ev[MAXEV];
	size_t n;
	int64_t now;		/* seconds after T0 */
	enum lw_state_kind state;
	enum lw_suppress_reason reason;
	int64_t since;		/* seconds after T0, when suppressed */
	unsigned soft_count;
};

#define D(days)	((int64_t)(days) * DAY)

static const struct policy_case cases[] = {
	{ "no events: active, nothing counted", DEFAULTS, { { 0, 0 } }, 0,
	  0, LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0 },
	{ "the first hard bounce suppresses", DEFAULTS,
	  { { 0, LW_EVENT_HARD } }, 1, 0,
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0 },
	{ "two soft bounces on two days: counted, not suppressed", DEFAULTS,
	  { { 0, LW_EVENT_SOFT }, { D(1), LW_EVENT_SOFT } }, 2, D(1),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 2 },
	{ "the third soft bounce in the window suppresses", DEFAULTS,
	  { { 0, LW_EVENT_SOFT }, { D(1), LW_EVENT_SOFT },
	    { D(2), LW_EVENT_SOFT } }, 3, D(2),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, D(2), 3 },
	{ "technical counts like soft", DEFAULTS,
	  { { 0, LW_EVENT_TECHNICAL }, { D(1), LW_EVENT_SOFT },
	    { D(2), LW_EVENT_TECHNICAL } }, 3, D(2),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, D(2), 3 },
	/* T0 is 22:13 UTC: these three are before midnight */
	{ "retries of one UTC day count once", DEFAULTS,
	  { { 60, LW_EVENT_SOFT }, { 1800, LW_EVENT_SOFT },
	    { 3000, LW_EVENT_SOFT } }, 3, 3000,
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 1 },
	{ "without the per-day rule, retries of one day count", NO_PER_DAY,
	  { { 60, LW_EVENT_SOFT }, { 1800, LW_EVENT_SOFT },
	    { 3000, LW_EVENT_SOFT } }, 3, 3000,
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, 3000, 3 },
	{ "the day is the UTC day: 22:14 and 00:13 are two days", DEFAULTS,
	  { { 60, LW_EVENT_SOFT }, { 7200, LW_EVENT_SOFT } }, 2, 7200,
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 2 },
	{ "a count more than 30 days after the last starts again at 1",
	  DEFAULTS,
	  { { 0, LW_EVENT_SOFT }, { D(1), LW_EVENT_SOFT },
	    { D(32), LW_EVENT_SOFT } }, 3, D(32),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 1 },
	{ "the window is between events: 29 days apart, still counting",
	  DEFAULTS,
	  { { 0, LW_EVENT_SOFT }, { D(29), LW_EVENT_SOFT },
	    { D(58), LW_EVENT_SOFT } }, 3, D(400),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, D(58), 3 },
	{ "a delivery resets the count", DEFAULTS,
	  { { 0, LW_EVENT_SOFT }, { D(1), LW_EVENT_SOFT },
	    { D(2), LW_EVENT_DELIVERED }, { D(3), LW_EVENT_SOFT } }, 4, D(3),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 1 },
	{ "without reset, a delivery changes nothing", NO_RESET,
	  { { 0, LW_EVENT_SOFT }, { D(1), LW_EVENT_SOFT },
	    { D(2), LW_EVENT_DELIVERED }, { D(3), LW_EVENT_SOFT } }, 4, D(3),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, D(3), 3 },
	{ "a delivery does not lift a suppression", DEFAULTS,
	  { { 0, LW_EVENT_HARD }, { D(1), LW_EVENT_DELIVERED } }, 2, D(1),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0 },
	{ "policy bounces never suppress the recipient", DEFAULTS,
	  { { 0, LW_EVENT_POLICY }, { D(1), LW_EVENT_POLICY },
	    { D(2), LW_EVENT_POLICY }, { D(3), LW_EVENT_POLICY } }, 4, D(3),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0 },
	{ "unknown outcomes are recorded only", DEFAULTS,
	  { { 0, LW_EVENT_UNKNOWN }, { D(1), LW_EVENT_UNKNOWN } }, 2, D(1),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0 },
	{ "a complaint suppresses at once", DEFAULTS,
	  { { D(5), LW_EVENT_COMPLAINT } }, 1, D(5),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_COMPLAINT, D(5), 0 },
	{ "an unsubscribe suppresses at once", DEFAULTS,
	  { { D(5), LW_EVENT_UNSUBSCRIBE } }, 1, D(5),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_UNSUBSCRIBE, D(5), 0 },
	{ "the first reason and time stay: hard, then a complaint", DEFAULTS,
	  { { 0, LW_EVENT_HARD }, { D(1), LW_EVENT_COMPLAINT } }, 2, D(1),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0 },
	{ "an allowlist shields from a hard bounce", DEFAULTS,
	  { { 0, LW_EVENT_ALLOW }, { D(1), LW_EVENT_HARD } }, 2, D(1),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0 },
	{ "an allowlist shields from soft counts", DEFAULTS,
	  { { 0, LW_EVENT_ALLOW }, { D(1), LW_EVENT_SOFT },
	    { D(2), LW_EVENT_SOFT }, { D(3), LW_EVENT_SOFT } }, 4, D(3),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0 },
	{ "a complaint wins over the allowlist", DEFAULTS,
	  { { 0, LW_EVENT_ALLOW }, { D(1), LW_EVENT_COMPLAINT } }, 2, D(1),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_COMPLAINT, D(1), 0 },
	{ "an unsubscribe wins over the allowlist", DEFAULTS,
	  { { 0, LW_EVENT_ALLOW }, { D(1), LW_EVENT_UNSUBSCRIBE } }, 2, D(1),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_UNSUBSCRIBE, D(1), 0 },
	{ "disallow ends the shield: the next hard bounce suppresses",
	  DEFAULTS,
	  { { 0, LW_EVENT_ALLOW }, { D(1), LW_EVENT_HARD },
	    { D(2), LW_EVENT_DISALLOW }, { D(3), LW_EVENT_HARD } }, 4, D(3),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, D(3), 0 },
	{ "an allowlist given after the suppression does not lift it",
	  DEFAULTS,
	  { { 0, LW_EVENT_HARD }, { D(1), LW_EVENT_ALLOW } }, 2, D(1),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0 },
	{ "a manual suppression", DEFAULTS,
	  { { D(2), LW_EVENT_SUPPRESS } }, 1, D(2),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_MANUAL, D(2), 0 },
	{ "a soft limit carried from another list suppresses, count at 3",
	  DEFAULTS,
	  { { 0, LW_EVENT_SOFT }, { D(2), LW_EVENT_SOFT_LIMIT } }, 2, D(2),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, D(2), 3 },
	{ "a soft limit does not pass the allowlist", DEFAULTS,
	  { { 0, LW_EVENT_ALLOW }, { D(2), LW_EVENT_SOFT_LIMIT } }, 2, D(2),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0 },
	{ "unsuppress clears the suppression and the counts", DEFAULTS,
	  { { 0, LW_EVENT_SOFT }, { D(1), LW_EVENT_SOFT },
	    { D(2), LW_EVENT_SOFT }, { D(3), LW_EVENT_UNSUPPRESS },
	    { D(4), LW_EVENT_SOFT } }, 5, D(4),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 1 },
	{ "unsuppress, then a new hard bounce suppresses again", DEFAULTS,
	  { { 0, LW_EVENT_HARD }, { D(1), LW_EVENT_UNSUPPRESS },
	    { D(2), LW_EVENT_HARD } }, 3, D(2),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, D(2), 0 },
	{ "events out of order fold in time order", DEFAULTS,
	  { { D(2), LW_EVENT_HARD }, { D(1), LW_EVENT_UNSUPPRESS },
	    { 0, LW_EVENT_HARD } }, 3, D(2),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, D(2), 0 },
	{ "same second: the delivery before the soft bounce", DEFAULTS,
	  { { D(1), LW_EVENT_SOFT }, { 0, LW_EVENT_SOFT },
	    { D(1), LW_EVENT_DELIVERED } }, 3, D(1),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 1 },
	{ "same second: the unsuppress after the hard bounce", DEFAULTS,
	  { { D(1), LW_EVENT_UNSUPPRESS }, { D(1), LW_EVENT_HARD } }, 2,
	  D(1), LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0 },
	{ "expiry lifts a soft suppression older than 10 days", EXPIRY_10,
	  { { 0, LW_EVENT_SOFT }, { D(1), LW_EVENT_SOFT },
	    { D(2), LW_EVENT_SOFT } }, 3, D(12),
	  LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0 },
	{ "expiry: not yet at 9 days", EXPIRY_10,
	  { { 0, LW_EVENT_SOFT }, { D(1), LW_EVENT_SOFT },
	    { D(2), LW_EVENT_SOFT } }, 3, D(11),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, D(2), 3 },
	{ "expiry never lifts a hard suppression", EXPIRY_10,
	  { { 0, LW_EVENT_HARD } }, 1, D(400),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0 },
	{ "expiry never lifts a complaint", EXPIRY_10,
	  { { 0, LW_EVENT_COMPLAINT } }, 1, D(400),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_COMPLAINT, 0, 0 },
	{ "a threshold of 1 suppresses on the first soft bounce",
	  THRESHOLD_1, { { D(1), LW_EVENT_SOFT } }, 1, D(1),
	  LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, D(1), 1 },
};

/* config - the config a case names */
static void
config(enum cfg c, struct lw_policy *p)
{
	lw_policy_defaults(p);
	switch (c) {
	case NO_PER_DAY:
		p->per_day = 0;
		break;
	case NO_RESET:
		p->delivery_resets = 0;
		break;
	case EXPIRY_10:
		p->expiry_days = 10;
		break;
	case THRESHOLD_1:
		p->soft_threshold = 1;
		break;
	default:
		break;
	}
}

/* test_defaults - the documented default config */
static void
test_defaults(void **state)
{
	struct lw_policy p;

	(void)state;
	lw_policy_defaults(&p);
	assert_int_equal(p.soft_threshold, 3);
	assert_int_equal(p.window_days, 30);
	assert_int_equal(p.per_day, 1);
	assert_int_equal(p.delivery_resets, 1);
	assert_int_equal(p.expiry_days, 0);
}

/* test_rules - every rule, one row each */
static void
test_rules(void **state)
{
	struct lw_event ev[MAXEV];
	struct lw_policy p;
	struct lw_state s;
	char ids[MAXEV][24];
	size_t i, j, failed = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct policy_case *c = &cases[i];

		config(c->cfg, &p);
		for (j = 0; j < c->n; j++) {
			snprintf(ids[j], sizeof(ids[j]), "e%zu", j);
			ev[j].time = T0 + c->ev[j].at;
			ev[j].kind = c->ev[j].kind;
			ev[j].id = ids[j];
		}
		assert_int_equal(lw_policy_fold(&p, ev, c->n, T0 + c->now, &s),
		    LW_OK);
		if (s.state != c->state || s.reason != c->reason ||
		    s.soft_count != c->soft_count ||
		    (c->state == LW_STATE_SUPPRESSED && s.since != T0 +
		    c->since) || s.events != c->n) {
			print_error("FAIL %s: state %d reason %s since %+lld "
			    "count %u events %zu\n", c->desc, s.state,
			    lw_suppress_reason_name(s.reason),
			    (long long)(s.since - T0), s.soft_count,
			    s.events);
			failed++;
		}
	}
	if (failed)
		fail_msg("%zu of %zu rule cases failed", failed, i);
}

/* same_state - the members a user sees */
static int
same_state(const struct lw_state *a, const struct lw_state *b)
{
	return a->state == b->state && a->reason == b->reason &&
	    a->since == b->since && a->soft_count == b->soft_count &&
	    a->last_counted == b->last_counted && a->allowed == b->allowed &&
	    a->events == b->events;
}

/* rnd - xorshift64*, so a failure can be replayed from its seed */
static uint64_t
rnd(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ull;
}

/*
 * test_order_and_repeats - 2000 random event sets, each of up to 40
 * events over 90 days (several in one second, some on one day): the
 * state is the same for the events shuffled, and for every event given
 * twice (the same id), under every config
 */
static void
test_order_and_repeats(void **state)
{
	struct lw_event ev[80], sh[80], twice[160];
	char ids[40][12];
	struct lw_policy p;
	struct lw_state a, b, c;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t n, i, j, k;
	int cfg, round;

	(void)state;
	for (round = 0; round < 2000; round++) {
		n = rnd(&x) % 40;
		for (i = 0; i < n; i++) {
			snprintf(ids[i], sizeof(ids[i]), "id%zu", i);
			ev[i].id = ids[i];
			ev[i].kind = (enum lw_event_kind)(rnd(&x) %
			    LW_EVENT_KIND_COUNT);
			/* coarse times, so seconds and days collide */
			ev[i].time = T0 + (int64_t)(rnd(&x) % 90) * DAY +
			    (int64_t)(rnd(&x) % 3) * 3600;
		}
		memcpy(sh, ev, n * sizeof(*ev));
		for (i = n; i > 1; i--) {
			j = rnd(&x) % i;
			struct lw_event t = sh[i - 1];

			sh[i - 1] = sh[j];
			sh[j] = t;
		}
		for (i = 0, k = 0; i < n; i++) {
			twice[k++] = sh[i];
			twice[k++] = ev[i];
		}
		for (cfg = DEFAULTS; cfg <= THRESHOLD_1; cfg++) {
			config((enum cfg)cfg, &p);
			assert_int_equal(lw_policy_fold(&p, ev, n, T0 + 50 * DAY,
			    &a), LW_OK);
			assert_int_equal(lw_policy_fold(&p, sh, n, T0 + 50 * DAY,
			    &b), LW_OK);
			assert_int_equal(lw_policy_fold(&p, twice, 2 * n,
			    T0 + 50 * DAY, &c), LW_OK);
			if (!same_state(&a, &b) || !same_state(&a, &c))
				fail_msg("round %d config %d: %zu events fold "
				    "differently shuffled or repeated", round,
				    cfg, n);
		}
	}
}

/* test_names - kinds and reasons have stable names; classes map to kinds */
static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(lw_event_kind_name(LW_EVENT_HARD), "hard");
	assert_string_equal(lw_event_kind_name(LW_EVENT_UNSUPPRESS),
	    "unsuppress");
	assert_string_equal(lw_event_kind_name(LW_EVENT_KIND_COUNT),
	    "unknown");
	assert_string_equal(lw_suppress_reason_name(LW_SUPPRESS_NONE), "");
	assert_string_equal(lw_suppress_reason_name(LW_SUPPRESS_SOFT), "soft");
	assert_string_equal(lw_suppress_reason_name(LW_SUPPRESS_MANUAL),
	    "manual");
	assert_int_equal(lw_event_kind_of(LW_CLASS_HARD), LW_EVENT_HARD);
	assert_int_equal(lw_event_kind_of(LW_CLASS_SOFT), LW_EVENT_SOFT);
	assert_int_equal(lw_event_kind_of(LW_CLASS_TECHNICAL),
	    LW_EVENT_TECHNICAL);
	assert_int_equal(lw_event_kind_of(LW_CLASS_POLICY), LW_EVENT_POLICY);
	assert_int_equal(lw_event_kind_of(LW_CLASS_COMPLAINT),
	    LW_EVENT_COMPLAINT);
	assert_int_equal(lw_event_kind_of(LW_CLASS_UNSUBSCRIBE),
	    LW_EVENT_UNSUBSCRIBE);
	assert_int_equal(lw_event_kind_of(LW_CLASS_DELIVERED),
	    LW_EVENT_DELIVERED);
	assert_int_equal(lw_event_kind_of(LW_CLASS_UNKNOWN), LW_EVENT_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_order_and_repeats),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
