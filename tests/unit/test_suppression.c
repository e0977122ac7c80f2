/*
 * test_suppression.c - events through the store: ingest, fold, verdicts
 *
 * What a user relies on once bounces come back: every policy rule as the
 * store applies it (threshold, window, per-day, reset on delivery,
 * expiry, allowlist against complaint, unsuppress then a new hard bounce,
 * domain rules, out-of-order events), idempotence and order-independence
 * over random event sets ingested shuffled, split and repeated, the
 * config and reevaluate, and migration 0002 keeping a version 1 store's
 * lists.
 */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <lmdb.h>

#include "listwarden.h"
#include "store_int.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define DAY		86400
#define T0		1780000000	/* 2026-05-28T20:26:40Z */

struct fx {
	char dir[64];
	char path[256];
	int n;
};

static int
fx_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/lw-test-supp-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
fx_teardown(void **state)
{
	struct fx *fx = *state;
	int rc = nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);

	free(fx);
	return rc == 0 ? 0 : -1;
}

/* fresh - a new store in the fixture's directory */
static struct lw_store *
fresh(struct fx *fx)
{
	struct lw_store *s = NULL;

	snprintf(fx->path, sizeof(fx->path), "%s/s%d.db", fx->dir, fx->n++);
	assert_int_equal(lw_store_open(&s, fx->path, LW_STORE_CREATE, 0),
	    LW_OK);
	return s;
}

/* One event of a table: subject, day offset (seconds), kind, id. */
struct ev {
	const char *subject;
	int64_t t;
	enum lw_event_kind kind;
	const char *id;
};

/* ingest - the events, in the order given, in one ingest */
static struct lw_ingest_stats
ingest(struct lw_store *s, const struct ev *evs, size_t n)
{
	struct lw_ingest *ing;
	struct lw_ingest_stats st;
	struct lw_log_event e;
	size_t i;

	assert_int_equal(lw_ingest_begin(s, &ing), LW_OK);
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.subject = evs[i].subject;
		e.subject_len = strlen(evs[i].subject);
		e.time = T0 + evs[i].t;
		e.kind = evs[i].kind;
		e.event_id = evs[i].id;
		e.source = "test";
		e.diagnostic = "diag";
		assert_int_equal(lw_ingest_add(ing, &e, 0), LW_OK);
	}
	assert_int_equal(lw_ingest_commit(ing, &st), LW_OK);
	return st;
}

/* verdict - key's verdict at now */
static int
verdict(struct lw_store *s, const char *key, int64_t now,
    struct lw_verdict *vd, char *rule, size_t rule_size)
{
	struct lw_view *v;
	int got;

	assert_int_equal(lw_view_begin(s, now, &v), LW_OK);
	got = lw_view_verdict(v, key, strlen(key), vd);
	assert_true(got >= 0);
	snprintf(rule, rule_size, "%s", vd->rule ? vd->rule : "");
	lw_view_end(v);
	return got;
}

/* ==== The rules, as the store applies them ==== */

#define A	"a@example.com"
#define B	"b@example.com"

struct rule_case {
	const char *desc;
	struct ev ev[8];
	const char *config;	/* "key=value" of struct lw_policy, or NULL */
	int64_t now;		/* after T0 */
	const char *check;
	enum lw_state_kind state;
	enum lw_suppress_reason reason;
	int64_t since;		/* after T0 */
	unsigned soft;
	const char *rule;
};

#define E(s, t, k, id)	{ s, t, LW_EVENT_ ## k, id }

static const struct rule_case rule_cases[] = {
	{ "a hard bounce suppresses at once",
	    { E(A, 0, HARD, "1") }, NULL, 0, A,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0, "" },
	{ "two soft bounces on two days are counted, not suppressed",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2") }, NULL, 0, A,
	    LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 2, "" },
	{ "the third soft bounce on a third day suppresses",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 2 * DAY, TECHNICAL, "3") }, NULL, 0, A,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, 2 * DAY, 3, "" },
	{ "retries of one UTC day count once",
	    { E(A, 0, SOFT, "1"), E(A, 60, SOFT, "2"), E(A, 120, SOFT, "3") },
	    NULL, 0, A, LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 1, "" },
	{ "with per_day off, retries count each",
	    { E(A, 0, SOFT, "1"), E(A, 60, SOFT, "2"), E(A, 120, SOFT, "3") },
	    "per_day=0", 0, A, LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, 120, 3,
	    "" },
	{ "a soft bounce over 30 days after the last counted starts at 1",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 32 * DAY, SOFT, "3") }, NULL, 0, A, LW_STATE_ACTIVE,
	    LW_SUPPRESS_NONE, 0, 1, "" },
	{ "a delivery resets the count",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 2 * DAY, DELIVERED, "3"), E(A, 3 * DAY, SOFT, "4") }, NULL,
	    0, A, LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 1, "" },
	{ "with delivery_resets off, a delivery does not",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 2 * DAY, DELIVERED, "3"), E(A, 3 * DAY, SOFT, "4") },
	    "delivery_resets=0", 0, A, LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT,
	    3 * DAY, 3, "" },
	{ "policy bounces never suppress",
	    { E(A, 0, POLICY, "1"), E(A, DAY, POLICY, "2"),
	    E(A, 2 * DAY, POLICY, "3"), E(A, 3 * DAY, UNKNOWN, "4") }, NULL,
	    0, A, LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "a soft suppression expires after expiry_days, at read time",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 2 * DAY, SOFT, "3") }, "expiry_days=10", 12 * DAY, A,
	    LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "... but not before",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 2 * DAY, SOFT, "3") }, "expiry_days=10", 11 * DAY, A,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_SOFT, 2 * DAY, 3, "" },
	{ "a hard suppression never expires",
	    { E(A, 0, HARD, "1") }, "expiry_days=1", 400 * DAY, A,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0, "" },
	{ "an allowed address is shielded from a hard bounce",
	    { E(A, 0, ALLOW, "1"), E(A, DAY, HARD, "2") }, NULL, 0, A,
	    LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "... and from soft bounces",
	    { E(A, 0, ALLOW, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 2 * DAY, SOFT, "3"), E(A, 3 * DAY, SOFT, "4") }, NULL, 0, A,
	    LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "... never from a complaint",
	    { E(A, 0, ALLOW, "1"), E(A, DAY, COMPLAINT, "2") }, NULL, 0, A,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_COMPLAINT, DAY, 0, "" },
	{ "... nor from an unsubscribe",
	    { E(A, 0, ALLOW, "1"), E(A, DAY, UNSUBSCRIBE, "2") }, NULL, 0, A,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_UNSUBSCRIBE, DAY, 0, "" },
	{ "a hard bounce before the allow still suppressed",
	    { E(A, 0, HARD, "1"), E(A, DAY, ALLOW, "2") }, NULL, 0, A,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0, "" },
	{ "disallow ends the shield",
	    { E(A, 0, ALLOW, "1"), E(A, DAY, DISALLOW, "2"),
	    E(A, 2 * DAY, HARD, "3") }, NULL, 0, A, LW_STATE_SUPPRESSED,
	    LW_SUPPRESS_HARD, 2 * DAY, 0, "" },
	{ "unsuppress lifts a hard suppression",
	    { E(A, 0, HARD, "1"), E(A, DAY, UNSUPPRESS, "2") }, NULL, 0, A,
	    LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "unsuppress, then a new hard bounce suppresses again",
	    { E(A, 0, HARD, "1"), E(A, DAY, UNSUPPRESS, "2"),
	    E(A, 2 * DAY, HARD, "3") }, NULL, 0, A, LW_STATE_SUPPRESSED,
	    LW_SUPPRESS_HARD, 2 * DAY, 0, "" },
	{ "unsuppress clears the soft count so far",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 2 * DAY, UNSUPPRESS, "3"), E(A, 3 * DAY, SOFT, "4") }, NULL,
	    0, A, LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 1, "" },
	{ "a manual suppression",
	    { E(A, 0, SUPPRESS, "1") }, NULL, 0, A, LW_STATE_SUPPRESSED,
	    LW_SUPPRESS_MANUAL, 0, 0, "" },
	{ "the first reason stays: hard, then complaint",
	    { E(A, 0, HARD, "1"), E(A, DAY, COMPLAINT, "2") }, NULL, 0, A,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_HARD, 0, 0, "" },
	{ "out of order: a hard bounce ingested before older soft ones",
	    { E(A, 5 * DAY, HARD, "9"), E(A, 0, SOFT, "1"),
	    E(A, DAY, SOFT, "2") }, NULL, 0, A, LW_STATE_SUPPRESSED,
	    LW_SUPPRESS_HARD, 5 * DAY, 2, "" },
	{ "@example.com suppresses every address at the domain",
	    { E("@example.com", 0, SUPPRESS, "1") }, NULL, 0, B,
	    LW_STATE_SUPPRESSED, LW_SUPPRESS_MANUAL, 0, 0, "@example.com" },
	{ "... even one with events of its own",
	    { E("@example.com", DAY, SUPPRESS, "1"), E(B, 0, SOFT, "2") },
	    NULL, 0, B, LW_STATE_SUPPRESSED, LW_SUPPRESS_MANUAL, DAY, 1,
	    "@example.com" },
	{ "... but not a subdomain",
	    { E("@example.com", 0, SUPPRESS, "1") }, NULL, 0,
	    "x@mail.example.com", LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0,
	    "" },
	{ "*.example.com suppresses the subdomains",
	    { E("*.example.com", 0, SUPPRESS, "1") }, NULL, 0,
	    "x@a.mail.example.com", LW_STATE_SUPPRESSED, LW_SUPPRESS_MANUAL,
	    0, 0, "*.example.com" },
	{ "... and not example.com itself",
	    { E("*.example.com", 0, SUPPRESS, "1") }, NULL, 0, A,
	    LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "... nor notexample.com",
	    { E("*.example.com", 0, SUPPRESS, "1") }, NULL, 0,
	    "x@notexample.com", LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "an unsuppressed domain rule suppresses nothing",
	    { E("@example.com", 0, SUPPRESS, "1"),
	    E("@example.com", DAY, UNSUPPRESS, "2") }, NULL, 0, B,
	    LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "allow @example.com shields its addresses from a hard bounce",
	    { E("@example.com", 0, ALLOW, "1"), E(B, DAY, HARD, "2") }, NULL,
	    0, B, LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 0, "" },
	{ "... not from a complaint",
	    { E("@example.com", 0, ALLOW, "1"), E(B, DAY, COMPLAINT, "2") },
	    NULL, 0, B, LW_STATE_SUPPRESSED, LW_SUPPRESS_COMPLAINT, DAY, 0,
	    "" },
	{ "an address with no events is active",
	    { E(A, 0, HARD, "1") }, NULL, 0, B, LW_STATE_ACTIVE,
	    LW_SUPPRESS_NONE, 0, 0, "" },
	{ "a threshold of 0 never suppresses on soft bounces",
	    { E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
	    E(A, 2 * DAY, SOFT, "3"), E(A, 3 * DAY, SOFT, "4") },
	    "soft_threshold=0", 0, A, LW_STATE_ACTIVE, LW_SUPPRESS_NONE, 0, 4,
	    "" },
};

/* apply_config - "key=value" onto p */
static void
apply_config(struct lw_policy *p, const char *kv)
{
	unsigned v;

	if (kv == NULL)
		return;
	v = (unsigned)atoi(strchr(kv, '=') + 1);
	if (strncmp(kv, "per_day=", 8) == 0)
		p->per_day = (int)v;
	else if (strncmp(kv, "delivery_resets=", 16) == 0)
		p->delivery_resets = (int)v;
	else if (strncmp(kv, "expiry_days=", 12) == 0)
		p->expiry_days = v;
	else if (strncmp(kv, "soft_threshold=", 15) == 0)
		p->soft_threshold = v;
	else
		fail_msg("unknown config %s", kv);
}

/* test_rules - each case in a store of its own, in one ingest */
static void
test_rules(void **state)
{
	struct fx *fx = *state;
	struct lw_verdict vd;
	struct lw_policy p;
	char rule[300];
	size_t i, n;

	for (i = 0; i < NELEM(rule_cases); i++) {
		const struct rule_case *c = &rule_cases[i];
		struct lw_store *s = fresh(fx);

		for (n = 0; n < NELEM(c->ev) && c->ev[n].subject; n++)
			;
		assert_int_equal(lw_store_config(s, &p), LW_OK);
		apply_config(&p, c->config);
		assert_int_equal(lw_store_config_set(s, &p), LW_OK);
		ingest(s, c->ev, n);
		verdict(s, c->check, T0 + c->now, &vd, rule, sizeof(rule));
		if (vd.st.state != c->state || vd.st.reason != c->reason ||
		    (c->state == LW_STATE_SUPPRESSED &&
		    vd.st.since != T0 + c->since) ||
		    vd.st.soft_count != c->soft || strcmp(rule, c->rule) != 0)
			fail_msg("case '%s': state %d reason %s since %+lld "
			    "soft %u rule '%s'", c->desc, vd.st.state,
			    lw_suppress_reason_name(vd.st.reason),
			    (long long)(vd.st.since - T0), vd.st.soft_count,
			    rule);
		lw_store_close(s);
	}
}

/* ==== Idempotence and order-independence ==== */

/* lcg - a small deterministic generator */
static uint32_t
lcg(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

#define PROP_SUBJECTS	6
#define PROP_EVENTS	40

static const char *const prop_subjects[PROP_SUBJECTS] = {
	"a@one.example", "b@one.example", "c@two.example", "d@two.example",
	"@two.example", "e@three.example",
};

/* states - "key state reason since soft;" for every subject */
static void
states(struct lw_store *s, char *out, size_t size)
{
	struct lw_verdict vd;
	char rule[300];
	size_t i, len = 0;

	for (i = 0; i < PROP_SUBJECTS; i++) {
		verdict(s, prop_subjects[i], T0 + 500 * DAY, &vd, rule,
		    sizeof(rule));
		len += (size_t)snprintf(out + len, size - len,
		    "%s %d %d %lld %u %d %s;", prop_subjects[i], vd.st.state,
		    vd.st.reason, (long long)vd.st.since, vd.st.soft_count,
		    vd.st.allowed, rule);
		assert_true(len < size);
	}
}

/*
 * test_order_independence - random event sets, ingested sorted in one
 * go, then shuffled in several ingests with repeats, give the same
 * states; and the states are lw_policy_fold()'s
 */
static void
test_order_independence(void **state)
{
	static const enum lw_event_kind kinds[] = {
		LW_EVENT_SOFT, LW_EVENT_SOFT, LW_EVENT_SOFT, LW_EVENT_TECHNICAL,
		LW_EVENT_HARD, LW_EVENT_DELIVERED, LW_EVENT_POLICY,
		LW_EVENT_COMPLAINT, LW_EVENT_UNSUBSCRIBE, LW_EVENT_ALLOW,
		LW_EVENT_DISALLOW, LW_EVENT_SUPPRESS, LW_EVENT_UNSUPPRESS,
		LW_EVENT_SOFT_LIMIT,
	};
	struct fx *fx = *state;
	struct ev evs[PROP_EVENTS], shuffled[PROP_EVENTS], tmp;
	char ids[PROP_EVENTS][16], want[2048], got[2048];
	uint32_t seed = 20261129;
	size_t round, i, j, start, len;

	for (round = 0; round < 30; round++) {
		struct lw_store *s1 = fresh(fx), *s2 = fresh(fx);

		for (i = 0; i < PROP_EVENTS; i++) {
			snprintf(ids[i], sizeof(ids[i]), "r%zu-%zu", round, i);
			evs[i].subject = prop_subjects[lcg(&seed) %
			    PROP_SUBJECTS];
			/* Few distinct times, so ties happen too. */
			evs[i].t = (int64_t)(lcg(&seed) % 12) * 7 * DAY / 3;
			evs[i].kind = kinds[lcg(&seed) % NELEM(kinds)];
			if (evs[i].subject[0] == '@')
				evs[i].kind = lcg(&seed) % 2 ?
				    LW_EVENT_ALLOW : LW_EVENT_SUPPRESS;
			evs[i].id = ids[i];
		}
		ingest(s1, evs, PROP_EVENTS);
		states(s1, want, sizeof(want));

		memcpy(shuffled, evs, sizeof(evs));
		for (i = PROP_EVENTS - 1; i > 0; i--) {
			j = lcg(&seed) % (i + 1);
			tmp = shuffled[i];
			shuffled[i] = shuffled[j];
			shuffled[j] = tmp;
		}
		/* In three or so ingests of random sizes, then all again. */
		for (start = 0; start < PROP_EVENTS; start += len) {
			len = 1 + lcg(&seed) % (PROP_EVENTS / 2);
			if (start + len > PROP_EVENTS)
				len = PROP_EVENTS - start;
			ingest(s2, shuffled + start, len);
		}
		struct lw_ingest_stats st = ingest(s2, shuffled, PROP_EVENTS);
		assert_int_equal(st.recorded, 0);
		assert_int_equal(st.duplicates, PROP_EVENTS);
		states(s2, got, sizeof(got));
		if (strcmp(want, got) != 0)
			fail_msg("round %zu: one ingest gave\n%s\nshuffled, "
			    "split and repeated gave\n%s", round, want, got);

		/* An address's state is the pure fold of its events. */
		for (i = 0; i < PROP_SUBJECTS; i++) {
			struct lw_event fe[PROP_EVENTS * 2];
			struct lw_state fs;
			struct lw_verdict vd;
			struct lw_policy p;
			char rule[300];
			size_t n = 0;

			if (prop_subjects[i][0] == '@')
				continue;
			for (j = 0; j < PROP_EVENTS; j++) {
				const char *d = strchr(prop_subjects[i], '@');

				if (strcmp(evs[j].subject, prop_subjects[i]) !=
				    0 && !(strcmp(evs[j].subject, d) == 0 &&
				    (evs[j].kind == LW_EVENT_ALLOW ||
				    evs[j].kind == LW_EVENT_DISALLOW)))
					continue;
				fe[n].time = T0 + evs[j].t;
				fe[n].kind = evs[j].kind;
				fe[n].id = evs[j].id;
				n++;
			}
			lw_policy_defaults(&p);
			assert_int_equal(lw_policy_fold(&p, fe, n, 0, &fs),
			    LW_OK);
			verdict(s1, prop_subjects[i], T0, &vd, rule,
			    sizeof(rule));
			if (rule[0] == '\0' && (vd.st.state != fs.state ||
			    vd.st.reason != fs.reason ||
			    vd.st.soft_count != fs.soft_count))
				fail_msg("round %zu, %s: the store says %d/%d/"
				    "%u, the fold %d/%d/%u", round,
				    prop_subjects[i], vd.st.state,
				    vd.st.reason, vd.st.soft_count, fs.state,
				    fs.reason, fs.soft_count);
		}
		lw_store_close(s1);
		lw_store_close(s2);
	}
}

/* ==== Ids: the feed's, or the content's hash ==== */

static void
test_ids(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s = fresh(fx);
	struct lw_ingest *ing;
	struct lw_ingest_stats st;
	struct lw_log_event e;
	int i;

	/* No id: the same content twice is one event, other content two. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(lw_ingest_begin(s, &ing), LW_OK);
		memset(&e, 0, sizeof(e));
		e.subject = A;
		e.subject_len = strlen(A);
		e.time = T0;
		e.kind = LW_EVENT_SOFT;
		e.diagnostic = "mailbox full";
		assert_int_equal(lw_ingest_add(ing, &e, 0), LW_OK);
		assert_int_equal(lw_ingest_add(ing, &e, 0), LW_OK);
		e.diagnostic = "over quota";
		assert_int_equal(lw_ingest_add(ing, &e, 0), LW_OK);
		assert_int_equal(lw_ingest_commit(ing, &st), LW_OK);
		assert_int_equal(st.recorded, i == 0 ? 2 : 0);
		assert_int_equal(st.duplicates, i == 0 ? 1 : 3);
	}
	/* A bad subject or kind is refused. */
	assert_int_equal(lw_ingest_begin(s, &ing), LW_OK);
	e.subject_len = 0;
	assert_int_equal(lw_ingest_add(ing, &e, 0), LW_EINVAL);
	e.subject_len = strlen(A);
	e.kind = LW_EVENT_KIND_COUNT;
	assert_int_equal(lw_ingest_add(ing, &e, 0), LW_EINVAL);
	lw_ingest_abort(ing);
	lw_store_close(s);
}

/* ==== History ==== */

struct hist {
	char buf[512];
	size_t len;
};

static int
hist_fn(void *arg, const struct lw_log_event *e)
{
	struct hist *h = arg;

	h->len += (size_t)snprintf(h->buf + h->len, sizeof(h->buf) - h->len,
	    "%lld %s %s %s;", (long long)(e->time - T0),
	    lw_event_kind_name(e->kind), e->event_id, e->source);
	return 0;
}

static void
test_history(void **state)
{
	static const struct ev evs[] = {
		E(A, 2 * DAY, HARD, "c"), E(A, 0, SOFT, "a"),
		E(A, DAY, DELIVERED, "b"), E(B, 0, SOFT, "x"),
		E("a@example.co", 0, SOFT, "y"),
	};
	struct fx *fx = *state;
	struct lw_store *s = fresh(fx);
	struct lw_view *v;
	struct hist h;

	ingest(s, evs, NELEM(evs));
	assert_int_equal(lw_view_begin(s, T0, &v), LW_OK);
	memset(&h, 0, sizeof(h));
	assert_int_equal(lw_view_events(v, A, strlen(A), 0, hist_fn, &h),
	    LW_OK);
	assert_string_equal(h.buf, "0 soft a test;86400 delivered b test;"
	    "172800 hard c test;");
	memset(&h, 0, sizeof(h));
	assert_int_equal(lw_view_events(v, A, strlen(A), 2, hist_fn, &h),
	    LW_OK);
	assert_string_equal(h.buf, "86400 delivered b test;172800 hard c "
	    "test;");
	memset(&h, 0, sizeof(h));
	assert_int_equal(lw_view_events(v, "z@example.com", 13, 0, hist_fn,
	    &h), LW_OK);
	assert_string_equal(h.buf, "");
	lw_view_end(v);
	lw_store_close(s);
}

/* ==== Config and reevaluate ==== */

static void
test_reevaluate(void **state)
{
	static const struct ev evs[] = {
		E(A, 0, SOFT, "1"), E(A, DAY, SOFT, "2"),
		E(B, 0, SOFT, "3"), E(B, DAY, SOFT, "4"),
		E(B, 2 * DAY, SOFT, "5"), E("c@example.com", 0, HARD, "6"),
	};
	struct fx *fx = *state;
	struct lw_store *s = fresh(fx);
	struct lw_ingest_stats st;
	struct lw_verdict vd;
	struct lw_policy p, q;
	char rule[300];

	lw_policy_defaults(&q);
	assert_int_equal(lw_store_config(s, &p), LW_OK);
	assert_memory_equal(&p, &q, sizeof(p));
	st = ingest(s, evs, NELEM(evs));
	assert_int_equal(st.suppressed[LW_SUPPRESS_SOFT], 1);
	assert_int_equal(st.suppressed[LW_SUPPRESS_HARD], 1);

	/* A new threshold changes nothing until reevaluate. */
	p.soft_threshold = 2;
	assert_int_equal(lw_store_config_set(s, &p), LW_OK);
	verdict(s, A, T0, &vd, rule, sizeof(rule));
	assert_int_equal(vd.st.state, LW_STATE_ACTIVE);
	assert_int_equal(lw_store_reevaluate(s, &st), LW_OK);
	assert_int_equal(st.subjects, 3);
	assert_int_equal(st.suppressed[LW_SUPPRESS_SOFT], 1);
	assert_int_equal(st.lifted[LW_SUPPRESS_SOFT], 0);
	verdict(s, A, T0, &vd, rule, sizeof(rule));
	assert_int_equal(vd.st.state, LW_STATE_SUPPRESSED);
	assert_int_equal(vd.st.since, T0 + DAY);
	/* B was suppressed at its second soft bounce now, not its third. */
	verdict(s, B, T0, &vd, rule, sizeof(rule));
	assert_int_equal(vd.st.since, T0 + DAY);

	/* Back to 5: both lifted, the hard bounce stays. */
	p.soft_threshold = 5;
	assert_int_equal(lw_store_config_set(s, &p), LW_OK);
	assert_int_equal(lw_store_reevaluate(s, &st), LW_OK);
	assert_int_equal(st.lifted[LW_SUPPRESS_SOFT], 2);
	assert_int_equal(st.lifted[LW_SUPPRESS_HARD], 0);
	assert_int_equal(lw_store_reevaluate(s, &st), LW_OK);
	assert_int_equal(st.lifted[LW_SUPPRESS_SOFT], 0);
	assert_int_equal(st.suppressed[LW_SUPPRESS_SOFT], 0);
	lw_store_close(s);
}

/* ==== Many subjects: batches and refolds across transactions ==== */

static void
test_many(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s = fresh(fx);
	struct lw_ingest *ing;
	struct lw_ingest_stats st;
	struct lw_log_event e;
	struct lw_verdict vd;
	char key[64], id[32], rule[300];
	int i, j;

	assert_int_equal(lw_ingest_begin(s, &ing), LW_OK);
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < 3; j++) {
			memset(&e, 0, sizeof(e));
			snprintf(key, sizeof(key), "u%05d@d%d.example", i,
			    i % 7);
			snprintf(id, sizeof(id), "%d-%d", i, j);
			e.subject = key;
			e.subject_len = strlen(key);
			e.time = T0 + j * DAY;
			e.kind = i % 3 == 0 ? LW_EVENT_SOFT : LW_EVENT_POLICY;
			e.event_id = id;
			assert_int_equal(lw_ingest_add(ing, &e, 0), LW_OK);
		}
	}
	assert_int_equal(lw_ingest_commit(ing, &st), LW_OK);
	assert_int_equal(st.recorded, 60000);
	assert_int_equal(st.subjects, 20000);
	assert_int_equal(st.suppressed[LW_SUPPRESS_SOFT], 6667);

	/* Allowing a domain refolds its addresses: 2858 of them at d0. */
	{
		static const struct ev allow[] = {
			E("@d0.example", 10 * DAY, ALLOW, "al"),
		};

		st = ingest(s, allow, 1);
		assert_int_equal(st.refolded, 2858);
		assert_int_equal(st.lifted[LW_SUPPRESS_SOFT], 0);
	}
	verdict(s, "u00000@d0.example", T0, &vd, rule, sizeof(rule));
	assert_int_equal(vd.st.state, LW_STATE_SUPPRESSED);
	assert_true(vd.st.allowed);
	lw_store_close(s);
}

/* ==== Migration 0002 keeps a version 1 store's lists ==== */

static int
drop_v2_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	MDB_val k = { 6, "config" };
	int rc;

	(void)arg;
	if ((rc = mdb_drop(txn, s->events, 1)) != 0 ||
	    (rc = mdb_drop(txn, s->states, 1)) != 0 ||
	    (rc = mdb_drop(txn, s->domain_rules, 1)) != 0 ||
	    (rc = mdb_del(txn, s->meta, &k, NULL)) != 0)
		return lw_store_err(rc);
	return lw_meta_set_schema(s, txn, 1);
}

struct dump {
	char buf[4096];
	size_t len;
};

static int
dump_fn(void *arg, const struct lw_list *l, const char *key, size_t key_len,
    const char *raw, size_t raw_len)
{
	struct dump *d = arg;

	(void)l;
	(void)key_len;
	if (key != NULL)
		d->len += (size_t)snprintf(d->buf + d->len,
		    sizeof(d->buf) - d->len, "%.*s|", (int)raw_len, raw);
	return 0;
}

static void
test_migration_0002(void **state)
{
	static const char *const rows[] = {
		"a@example.com,A", "b@example.com,B", "c@example.org,C",
	};
	struct fx *fx = *state;
	struct lw_store *s = fresh(fx);
	struct lw_address_ctx *ctx;
	struct lw_import *imp;
	struct lw_import_row row;
	struct lw_address a;
	struct dump before, after;
	struct lw_verdict vd;
	struct lw_policy p, q;
	unsigned have, latest;
	char rule[300];
	size_t i;

	/* A list, then the store as version 1 had it. */
	assert_int_equal(lw_address_ctx_new(&ctx, 0), LW_OK);
	assert_int_equal(lw_import_begin(s, "news", 0, "email,name\n", 11,
	    ',', NULL, NULL, &imp), LW_OK);
	for (i = 0; i < NELEM(rows); i++) {
		assert_int_equal(lw_address_parse(ctx, rows[i],
		    strchr(rows[i], ',') - rows[i], &a), LW_OK);
		row.line = i + 2;
		row.raw = rows[i];
		row.raw_len = strlen(rows[i]);
		row.addr = &a;
		row.reason = NULL;
		assert_int_equal(lw_import_add(imp, &row), LW_OK);
	}
	assert_int_equal(lw_import_commit(imp, NULL), LW_OK);
	memset(&before, 0, sizeof(before));
	assert_int_equal(lw_store_rows(s, "news", dump_fn, &before), LW_OK);
	assert_int_equal(lw_store_write(s, drop_v2_fn, NULL), LW_OK);
	lw_store_close(s);

	/* It is refused until migrated. */
	s = NULL;
	assert_int_equal(lw_store_open(&s, fx->path, 0, 0), LW_ESCHEMA_OLD);
	assert_int_equal(lw_store_open(&s, fx->path, LW_STORE_ANY_SCHEMA, 0),
	    LW_OK);
	assert_int_equal(lw_store_schema(s, &have, &latest), LW_OK);
	assert_int_equal(have, 1);
	assert_int_equal(lw_store_migrate(s), 1);
	lw_store_close(s);

	/* Then it opens, keeps the list, and takes events. */
	assert_int_equal(lw_store_open(&s, fx->path, 0, 0), LW_OK);
	assert_int_equal(lw_store_schema(s, &have, &latest), LW_OK);
	assert_int_equal(have, 2);
	memset(&after, 0, sizeof(after));
	assert_int_equal(lw_store_rows(s, "news", dump_fn, &after), LW_OK);
	assert_string_equal(after.buf, before.buf);
	assert_string_equal(after.buf,
	    "a@example.com,A|b@example.com,B|c@example.org,C|");
	assert_int_equal(lw_store_config(s, &p), LW_OK);
	lw_policy_defaults(&q);
	assert_memory_equal(&p, &q, sizeof(p));
	{
		static const struct ev hard[] = { E(B, 0, HARD, "1") };

		ingest(s, hard, 1);
	}
	verdict(s, B, T0, &vd, rule, sizeof(rule));
	assert_int_equal(vd.st.state, LW_STATE_SUPPRESSED);
	lw_store_close(s);
	lw_address_ctx_free(ctx);
}

/* ==== Domain rule subjects ==== */

static void
test_domain_rule(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "@example.com", "@example.com" },
		{ "@EXAMPLE.com", "@example.com" },
		{ "*.example.com", "*.example.com" },
		{ "@bücher.de", "@xn--bcher-kva.de" },
		{ "@", NULL },
		{ "*.", NULL },
		{ "example.com", NULL },
		{ "@exa mple.com", NULL },
		{ "@localhost", NULL },
		{ "*example.com", NULL },
	};
	struct lw_address_ctx *ctx;
	char out[LW_SUBJECT_MAX + 1];
	size_t i;
	int err;

	(void)state;
	assert_int_equal(lw_address_ctx_new(&ctx, 0), LW_OK);
	for (i = 0; i < NELEM(cases); i++) {
		err = lw_domain_rule(ctx, cases[i].in, out);
		if (cases[i].want == NULL) {
			if (err != LW_EINVAL)
				fail_msg("'%s': %d, want LW_EINVAL",
				    cases[i].in, err);
		} else if (err != LW_OK || strcmp(out, cases[i].want) != 0) {
			fail_msg("'%s': %d '%s', want '%s'", cases[i].in, err,
			    err == LW_OK ? out : "", cases[i].want);
		}
	}
	lw_address_ctx_free(ctx);
}

/*
 * test_event_message_fields - a bounce message's Message-ID and list tag
 * are kept after the other fields, only when there are any: a value
 * without them (as stored before) decodes with both "", and a value
 * with bytes after them is damaged
 */
static void
test_event_message_fields(void **state)
{
	struct lw_buf k = { 0 }, v = { 0 }, strs = { 0 };
	struct lw_log_event e, d;
	size_t plain;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.subject = "a@example.com";
	e.subject_len = 13;
	e.time = 1767603600;
	e.kind = LW_EVENT_HARD;
	e.reply = 550;
	e.status = "5.1.1";
	e.event_id = "b1@mx.example.com:a@example.com";
	assert_int_equal(lw_event_key(&k, e.subject, e.subject_len, e.time,
	    7), LW_OK);
	assert_int_equal(lw_event_encode(&v, &e), LW_OK);
	plain = v.len;
	assert_int_equal(lw_event_decode(k.p, k.len, v.p, v.len, &strs, &d),
	    LW_OK);
	assert_string_equal(d.message_id, "");
	assert_string_equal(d.list, "");
	assert_string_equal(d.status, "5.1.1");

	e.message_id = "orig1@lists.example.com";
	e.list = "news.lists.example.com";
	assert_int_equal(lw_event_encode(&v, &e), LW_OK);
	assert_true(v.len > plain);
	assert_int_equal(lw_event_decode(k.p, k.len, v.p, v.len, &strs, &d),
	    LW_OK);
	assert_string_equal(d.message_id, "orig1@lists.example.com");
	assert_string_equal(d.list, "news.lists.example.com");
	assert_string_equal(d.event_id, "b1@mx.example.com:a@example.com");
	assert_int_equal(d.reply, 550);

	/* Cut inside the optional fields, or with bytes after: damaged. */
	assert_int_equal(lw_event_decode(k.p, k.len, v.p, v.len - 1, &strs,
	    &d), LW_ECORRUPT);
	lw_buf_u8(&v, 0);
	assert_int_equal(lw_event_decode(k.p, k.len, v.p, v.len, &strs, &d),
	    LW_ECORRUPT);
	lw_buf_free(&k);
	lw_buf_free(&v);
	lw_buf_free(&strs);
}

/* A write of one key and value (or a delete, val NULL) into a database. */
struct poke {
	int which;			/* 0 states, 1 events */
	const void *key, *val;
	size_t key_len, val_len;
};

static int
poke_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct poke *p = arg;
	MDB_dbi dbi = p->which == 0 ? s->states : s->events;
	MDB_val k = { p->key_len, (void *)p->key }, v = { p->val_len,
	    (void *)p->val };

	if (p->val == NULL)
		return mdb_del(txn, dbi, &k, NULL) == 0 ? LW_OK : LW_ENOENT;
	return mdb_put(txn, dbi, &k, &v, 0) == 0 ? LW_OK : LW_EIO;
}

/* Problems lw_store_verify() reported, joined. */
struct seen {
	char text[2048];
	size_t n;
};

static void
seen_fn(void *arg, const char *problem)
{
	struct seen *s = arg;
	int k = snprintf(s->text + s->n, sizeof(s->text) - s->n, "%s\n",
	    problem);

	if (k > 0 && (size_t)k < sizeof(s->text) - s->n)
		s->n += (size_t)k;
}

/*
 * test_verify - a store as ingest leaves it verifies; a state that is not
 * its events' fold, a state without events, events without a state and
 * a damaged event are each found
 */
static void
test_verify(void **state)
{
	static const struct ev evs[] = {
		{ "a@example.com", 0, LW_EVENT_HARD, "1" },
		{ "b@example.com", 0, LW_EVENT_SOFT, "2" },
		{ "b@example.com", DAY, LW_EVENT_SOFT, "3" },
		{ "@example.org", 0, LW_EVENT_SUPPRESS, "4" },
	};
	struct lw_verify_report rep;
	struct lw_state_rec rec;
	struct lw_buf b = { 0 };
	struct seen seen;
	struct poke p;
	struct lw_store *s = fresh(*state);

	ingest(s, evs, NELEM(evs));
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(lw_store_verify(s, seen_fn, &seen, &rep), LW_OK);
	assert_string_equal(seen.text, "");
	assert_int_equal(rep.problems, 0);
	assert_int_equal(rep.events, 4);
	assert_int_equal(rep.subjects, 3);
	assert_int_equal(rep.states, 2);
	assert_int_equal(rep.rules, 1);

	/* b's state says suppressed: not what its two soft bounces fold to. */
	memset(&rec, 0, sizeof(rec));
	rec.st.state = LW_STATE_SUPPRESSED;
	rec.st.reason = LW_SUPPRESS_SOFT;
	assert_int_equal(lw_state_encode(&b, &rec), LW_OK);
	p.which = 0;
	p.key = "b@example.com";
	p.key_len = 13;
	p.val = b.p;
	p.val_len = b.len;
	assert_int_equal(lw_store_write(s, poke_fn, &p), LW_OK);
	/* c has a state and no events. */
	p.key = "c@example.com";
	assert_int_equal(lw_store_write(s, poke_fn, &p), LW_OK);
	/* a has events and no state. */
	p.key = "a@example.com";
	p.val = NULL;
	assert_int_equal(lw_store_write(s, poke_fn, &p), LW_OK);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(lw_store_verify(s, seen_fn, &seen, &rep), LW_OK);
	assert_string_equal(seen.text,
	    "subject a@example.com: has events but no state\n"
	    "subject b@example.com: its state is not the fold of its events\n"
	    "subject c@example.com: has a state but no events\n");
	assert_int_equal(rep.problems, 3);

	/*
	 * reevaluate refolds the states there are: b is repaired; a (no
	 * state to refold) and c (no events) are still reported.
	 */
	{
		struct lw_ingest_stats st;

		assert_int_equal(lw_store_reevaluate(s, &st), LW_OK);
	}
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(lw_store_verify(s, seen_fn, &seen, &rep), LW_OK);
	assert_string_equal(seen.text,
	    "subject a@example.com: has events but no state\n"
	    "subject c@example.com: has a state but no events\n");

	/* A damaged event value. */
	lw_buf_reset(&b);
	assert_int_equal(lw_event_key(&b, "a@example.com", 13, T0, 99),
	    LW_OK);
	p.which = 1;
	p.key = b.p;
	p.key_len = b.len;
	p.val = "\x01\x05";
	p.val_len = 2;
	assert_int_equal(lw_store_write(s, poke_fn, &p), LW_OK);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(lw_store_verify(s, seen_fn, &seen, &rep), LW_OK);
	assert_non_null(strstr(seen.text, "event of a@example.com: damaged"));
	lw_buf_free(&b);
	lw_store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_order_independence),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_reevaluate),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_migration_0002),
		cmocka_unit_test(test_domain_rule),
		cmocka_unit_test(test_event_message_fields),
		cmocka_unit_test_setup_teardown(test_verify, fx_setup,
		    fx_teardown),
	};

	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
