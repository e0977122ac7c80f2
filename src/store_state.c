/*
 * store_state.c - reading suppression state: domain rules, verdicts, views
 *
 * NAME
 *	store_state - what the store says of an address, and why
 *
 * DESCRIPTION
 *	An address's stored state is the fold of its events (store_events.c
 *	writes it).  What a reader is told, its verdict, adds two things
 *	that cannot be stored with it: the expiry of a soft suppression,
 *	which depends on the clock, and the domain rules, which apply to
 *	addresses present and future.  A domain rule is a subject of its
 *	own, "@example.com" (that domain) or "*.example.com" (any domain
 *	below it, not example.com itself); the rules are few and are held
 *	in memory, sorted, while a view or an ingest is open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden/error.h"
#include "store_int.h"

#define DAY	86400

struct rule {
	char *subject;			/* NUL-terminated */
	size_t len;
	struct lw_state_rec rec;
	struct lw_event *shield;	/* its allow and disallow events */
	size_t nshield;
};

struct lw_rules {
	struct rule *v;
	size_t n;
	char **ids;			/* the shield events' ids */
	size_t nids;
};

struct lw_view {
	struct lw_store *s;
	MDB_txn *txn;
	struct lw_policy pol;
	struct lw_rules *rules;
	int64_t now;
	int nothing;			/* no state and no rule at all */
	struct lw_buf addr;		/* an address record's address */
	MDB_cursor *ecur;		/* on events, kept for the walk */
	uint64_t lookups;		/* to shed the map's pages now and then */
	struct lw_buf strs;
	struct lw_buf key;
};

/* lw_config_read - the config in meta */
int
lw_config_read(struct lw_store *s, MDB_txn *txn, struct lw_policy *p)
{
	MDB_val k = { 6, "config" }, v;
	int rc;

	if ((rc = mdb_get(txn, s->meta, &k, &v)) != 0)
		return rc == MDB_NOTFOUND ? LW_ECORRUPT : lw_store_err(rc);
	return lw_config_decode(v.mv_data, v.mv_size, p);
}

/* lw_subject_is_rule - "@domain" or "*.domain" */
int
lw_subject_is_rule(const char *subject, size_t len)
{
	return (len > 1 && subject[0] == '@') ||
	    (len > 2 && subject[0] == '*' && subject[1] == '.');
}

/* key_domain - the domain of an identity key (after its last '@') */
static const char *
key_domain(const char *key, size_t len, size_t *dlen)
{
	const char *at = memrchr(key, '@', len);

	if (at == NULL)
		return NULL;
	*dlen = len - (size_t)(at + 1 - key);
	return at + 1;
}

/* lw_rule_matches - whether the rule applies to key's domain */
int
lw_rule_matches(const char *rule, size_t rule_len, const char *key,
    size_t key_len)
{
	const char *d;
	size_t dlen, rlen;

	if ((d = key_domain(key, key_len, &dlen)) == NULL)
		return 0;
	if (rule[0] == '@')
		return rule_len - 1 == dlen && memcmp(rule + 1, d, dlen) == 0;
	/* "*.example.com": the key's domain ends in ".example.com". */
	rlen = rule_len - 1;
	return dlen > rlen && memcmp(d + dlen - rlen, rule + 1, rlen) == 0;
}

/* cmp_rule - rules sorted by subject, as LMDB sorts keys */
static int
cmp_subject(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c != 0 ? c : (alen > blen) - (alen < blen);
}

/* find_rule - the rule named subject, or NULL */
static const struct rule *
find_rule(const struct lw_rules *r, const char *subject, size_t len)
{
	size_t lo = 0, hi = r->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp_subject(subject, len, r->v[mid].subject, r->v[mid].len);
		if (c == 0)
			return &r->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * each_match - call fn for each rule matching key: "@domain", then
 * "*.parent" from the nearest parent up; a non-zero return stops
 */
static int
each_match(const struct lw_rules *r, const char *key, size_t key_len,
    int (*fn)(void *arg, const struct rule *ru), void *arg)
{
	char cand[LW_SUBJECT_MAX + 3];
	const struct rule *ru;
	const char *d, *dot;
	size_t dlen, rest;
	int stop;

	if (r == NULL || r->n == 0 ||
	    (d = key_domain(key, key_len, &dlen)) == NULL ||
	    dlen + 2 > sizeof(cand))
		return 0;
	cand[0] = '@';
	memcpy(cand + 1, d, dlen);
	if ((ru = find_rule(r, cand, dlen + 1)) != NULL &&
	    (stop = fn(arg, ru)) != 0)
		return stop;
	rest = dlen;
	while ((dot = memchr(d, '.', rest)) != NULL) {
		rest -= (size_t)(dot + 1 - d);
		d = dot + 1;
		cand[0] = '*';
		cand[1] = '.';
		memcpy(cand + 2, d, rest);
		if ((ru = find_rule(r, cand, rest + 2)) != NULL &&
		    (stop = fn(arg, ru)) != 0)
			return stop;
	}
	return 0;
}

struct suppressing {
	const struct rule *found;
};

static int
suppressing_fn(void *arg, const struct rule *ru)
{
	struct suppressing *s = arg;

	if (ru->rec.st.state != LW_STATE_SUPPRESSED)
		return 0;
	s->found = ru;
	return 1;
}

/* lw_rules_suppressing - the first suppressing rule matching key */
const char *
lw_rules_suppressing(const struct lw_rules *r, const char *key,
    size_t key_len, const struct lw_state_rec **st)
{
	struct suppressing s = { NULL };

	each_match(r, key, key_len, suppressing_fn, &s);
	if (s.found == NULL)
		return NULL;
	if (st != NULL)
		*st = &s.found->rec;
	return s.found->subject;
}

struct shield {
	struct lw_event **ev;
	size_t *n, *cap;
};

static int
shield_fn(void *arg, const struct rule *ru)
{
	struct shield *sh = arg;
	struct lw_event *nv;
	size_t i;

	for (i = 0; i < ru->nshield; i++) {
		if (*sh->n == *sh->cap) {
			*sh->cap = *sh->cap ? *sh->cap * 2 : 16;
			if ((nv = realloc(*sh->ev, *sh->cap * sizeof(*nv))) ==
			    NULL)
				return LW_ENOMEM;
			*sh->ev = nv;
		}
		(*sh->ev)[(*sh->n)++] = ru->shield[i];
	}
	return 0;
}

/* lw_rules_shield_events - append the allow/disallow events matching key */
int
lw_rules_shield_events(const struct lw_rules *r, const char *key,
    size_t key_len, struct lw_event **ev, size_t *n, size_t *cap)
{
	struct shield sh = { ev, n, cap };

	return each_match(r, key, key_len, shield_fn, &sh);
}

/* lw_rules_free - NULL is a no-op */
void
lw_rules_free(struct lw_rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].subject);
		free(r->v[i].shield);
	}
	for (i = 0; i < r->nids; i++)
		free(r->ids[i]);
	free(r->ids);
	free(r->v);
	free(r);
}

/* load_shield - the allow and disallow events of one rule */
static int
load_shield(struct lw_store *s, MDB_txn *txn, struct lw_rules *r,
    struct rule *ru)
{
	struct lw_buf strs = { 0 };
	struct lw_log_event e;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t cap = 0, idcap = r->nids;
	char **nids;
	void *nv;
	int err = LW_OK, rc;
	MDB_cursor_op op = MDB_SET_RANGE;

	if ((rc = mdb_cursor_open(txn, s->events, &cur)) != 0)
		return lw_store_err(rc);
	k.mv_data = ru->subject;
	k.mv_size = ru->len + 1;	/* the subject and its 0x00 */
	while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != ru->len + 17 ||
		    memcmp(k.mv_data, ru->subject, ru->len + 1) != 0)
			break;
		if ((err = lw_event_decode(k.mv_data, k.mv_size, v.mv_data,
		    v.mv_size, &strs, &e)) != LW_OK)
			goto out;
		if (e.kind != LW_EVENT_ALLOW && e.kind != LW_EVENT_DISALLOW)
			continue;
		if (ru->nshield == cap) {
			cap = cap ? cap * 2 : 4;
			if ((nv = realloc(ru->shield, cap *
			    sizeof(*ru->shield))) == NULL)
				goto nomem;
			ru->shield = nv;
		}
		if (r->nids == idcap) {
			idcap = idcap ? idcap * 2 : 16;
			if ((nids = realloc(r->ids, idcap * sizeof(*nids))) ==
			    NULL)
				goto nomem;
			r->ids = nids;
		}
		if ((r->ids[r->nids] = strdup(e.event_id)) == NULL)
			goto nomem;
		ru->shield[ru->nshield].time = e.time;
		ru->shield[ru->nshield].kind = e.kind;
		ru->shield[ru->nshield].id = r->ids[r->nids++];
		ru->nshield++;
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	goto out;
nomem:
	err = LW_ENOMEM;
out:
	mdb_cursor_close(cur);
	lw_buf_free(&strs);
	return err;
}

/* lw_rules_load - every domain rule, in subject order */
int
lw_rules_load(struct lw_store *s, MDB_txn *txn, struct lw_rules **out)
{
	struct lw_rules *r;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t cap = 0;
	void *nv;
	int err = LW_OK, rc;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return LW_ENOMEM;
	if ((rc = mdb_cursor_open(txn, s->domain_rules, &cur)) != 0) {
		free(r);
		return lw_store_err(rc);
	}
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		if (k.mv_size == 0 || k.mv_size > LW_SUBJECT_MAX) {
			err = LW_ECORRUPT;
			break;
		}
		if (r->n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(r->v, cap * sizeof(*r->v))) == NULL) {
				err = LW_ENOMEM;
				break;
			}
			r->v = nv;
		}
		memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
		if ((r->v[r->n].subject = strndup(k.mv_data, k.mv_size)) ==
		    NULL) {
			err = LW_ENOMEM;
			break;
		}
		r->v[r->n].len = k.mv_size;
		r->n++;
		if ((err = lw_state_decode(v.mv_data, v.mv_size,
		    &r->v[r->n - 1].rec)) != LW_OK)
			break;
	}
	if (err == LW_OK && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	mdb_cursor_close(cur);
	for (size_t i = 0; err == LW_OK && i < r->n; i++)
		err = load_shield(s, txn, r, &r->v[i]);
	if (err != LW_OK) {
		lw_rules_free(r);
		return err;
	}
	*out = r;
	return LW_OK;
}

/* lw_verdict_make - stored state, then the expiry, then the domain rules */
int
lw_verdict_make(const struct lw_policy *p, const struct lw_rules *r,
    int64_t now, const char *key, size_t key_len,
    const struct lw_state_rec *rec, struct lw_verdict *out)
{
	const struct lw_state_rec *rs;
	const char *rule;

	memset(out, 0, sizeof(*out));
	out->st.state = LW_STATE_ACTIVE;
	if (rec != NULL) {
		out->st = rec->st;
		out->policy_events = rec->policy_events;
		out->first_event = rec->first_event;
		out->last_event = rec->last_event;
	}
	if (p->expiry_days > 0 && out->st.state == LW_STATE_SUPPRESSED &&
	    out->st.reason == LW_SUPPRESS_SOFT &&
	    now - out->st.since >= (int64_t)p->expiry_days * DAY) {
		out->st.state = LW_STATE_ACTIVE;
		out->st.reason = LW_SUPPRESS_NONE;
		out->st.since = 0;
		out->st.soft_count = 0;
		out->st.last_counted = 0;
	}
	if (out->st.state != LW_STATE_SUPPRESSED &&
	    !lw_subject_is_rule(key, key_len) &&
	    (rule = lw_rules_suppressing(r, key, key_len, &rs)) != NULL) {
		out->st.state = LW_STATE_SUPPRESSED;
		out->st.reason = LW_SUPPRESS_MANUAL;
		out->st.since = rs->st.since;
		out->rule = rule;
	}
	return rec != NULL || out->rule != NULL;
}

/* lw_view_begin - a snapshot, the config and the rules */
int
lw_view_begin(struct lw_store *s, int64_t now, struct lw_view **out)
{
	struct lw_view *v;
	MDB_stat ms;
	int err;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return LW_ENOMEM;
	v->s = s;
	v->now = now;
	if ((err = lw_store_read_begin(s, &v->txn)) != LW_OK) {
		free(v);
		return err;
	}
	if ((err = lw_config_read(s, v->txn, &v->pol)) != LW_OK ||
	    (err = lw_rules_load(s, v->txn, &v->rules)) != LW_OK) {
		lw_view_end(v);
		return err;
	}
	/* A store with no events answers every lookup without one. */
	if (mdb_stat(v->txn, s->states, &ms) == 0 && ms.ms_entries == 0 &&
	    v->rules->n == 0)
		v->nothing = 1;
	*out = v;
	return LW_OK;
}

/* lw_view_end - NULL is a no-op */
void
lw_view_end(struct lw_view *v)
{
	if (v == NULL)
		return;
	if (v->ecur != NULL)
		mdb_cursor_close(v->ecur);
	mdb_txn_abort(v->txn);
	lw_rules_free(v->rules);
	lw_buf_free(&v->strs);
	lw_buf_free(&v->key);
	lw_buf_free(&v->addr);
	free(v);
}

/* lw_view_verdict - a subject's verdict */
int
lw_view_verdict(struct lw_view *v, const char *key, size_t key_len,
    struct lw_verdict *out)
{
	struct lw_state_rec rec;
	MDB_val k = { key_len, (void *)key }, val;
	MDB_dbi dbi;
	int err, rc;

	dbi = lw_subject_is_rule(key, key_len) ? v->s->domain_rules :
	    v->s->states;
	if (key_len == 0 || key_len > LW_SUBJECT_MAX)
		return LW_EINVAL;
	if ((++v->lookups & 0xffff) == 0)
		lw_store_shed(v->s);
	rc = v->nothing ? MDB_NOTFOUND : mdb_get(v->txn, dbi, &k, &val);
	if (rc == MDB_NOTFOUND)
		return lw_verdict_make(&v->pol, v->rules, v->now, key, key_len,
		    NULL, out);
	if (rc != 0)
		return lw_store_err(rc);
	if ((err = lw_state_decode(val.mv_data, val.mv_size, &rec)) != LW_OK)
		return err;
	return lw_verdict_make(&v->pol, v->rules, v->now, key, key_len, &rec,
	    out);
}

/* lw_view_events - the last max events of key, oldest first */
int
lw_view_events(struct lw_view *v, const char *key, size_t key_len,
    size_t max, int (*fn)(void *arg, const struct lw_log_event *e),
    void *arg)
{
	struct lw_log_event e;
	MDB_cursor *cur;
	MDB_val k, val;
	size_t total = 0, seen = 0, pass;
	int err = LW_OK, rc = 0;
	MDB_cursor_op op;

	if (key_len == 0 || key_len > LW_SUBJECT_MAX)
		return LW_EINVAL;
	lw_buf_reset(&v->key);
	lw_buf_raw(&v->key, key, key_len);
	lw_buf_u8(&v->key, 0);
	if (v->key.err)
		return v->key.err;
	if ((rc = mdb_cursor_open(v->txn, v->s->events, &cur)) != 0)
		return lw_store_err(rc);
	/* Count, then skip all but the last max. */
	for (pass = 0; pass < 2 && err == LW_OK; pass++) {
		op = MDB_SET_RANGE;
		seen = 0;
		k.mv_data = v->key.p;
		k.mv_size = v->key.len;
		while ((rc = mdb_cursor_get(cur, &k, &val, op)) == 0) {
			op = MDB_NEXT;
			if (k.mv_size != key_len + 17 ||
			    memcmp(k.mv_data, v->key.p, key_len + 1) != 0)
				break;
			seen++;
			if (pass == 0 || (max > 0 && total - seen >= max))
				continue;
			if ((err = lw_event_decode(k.mv_data, k.mv_size,
			    val.mv_data, val.mv_size, &v->strs, &e)) != LW_OK ||
			    (err = fn(arg, &e)) != 0)
				break;
		}
		if (err == LW_OK && rc != 0 && rc != MDB_NOTFOUND)
			err = lw_store_err(rc);
		total = seen;
	}
	mdb_cursor_close(cur);
	return err;
}

/* lw_view_all_events - every event dated in [since, until) */
int
lw_view_all_events(struct lw_view *v, int64_t since, int64_t until,
    int (*fn)(void *arg, const struct lw_log_event *e), void *arg)
{
	struct lw_log_event e;
	MDB_cursor *cur;
	MDB_val k, val;
	MDB_cursor_op op = MDB_FIRST;
	const uint8_t *key;
	int64_t t;
	int err = LW_OK, rc;

	if ((rc = mdb_cursor_open(v->txn, v->s->events, &cur)) != 0)
		return lw_store_err(rc);
	while ((rc = mdb_cursor_get(cur, &k, &val, op)) == 0) {
		op = MDB_NEXT;
		/* The time is in the key: only the events of the period are
		 * decoded. */
		key = k.mv_data;
		if (k.mv_size < 17) {
			err = LW_ECORRUPT;
			break;
		}
		t = (int64_t)lw_get_u64(key + k.mv_size - 16);
		if (t < since || t >= until)
			continue;
		if ((err = lw_event_decode(k.mv_data, k.mv_size, val.mv_data,
		    val.mv_size, &v->strs, &e)) != LW_OK ||
		    (err = fn(arg, &e)) != 0)
			break;
	}
	if (err == LW_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	mdb_cursor_close(cur);
	return err;
}

/* walk_states - each record of dbi, with its verdict */
static int
walk_states(struct lw_view *v, MDB_dbi dbi, int (*fn)(void *arg,
    const char *key, size_t key_len, const struct lw_verdict *vd), void *arg)
{
	struct lw_state_rec rec;
	struct lw_verdict vd;
	MDB_cursor *cur;
	MDB_val k, val;
	uint64_t n = 0;
	int err = LW_OK, rc;

	if ((rc = mdb_cursor_open(v->txn, dbi, &cur)) != 0)
		return lw_store_err(rc);
	while ((rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) == 0) {
		if ((err = lw_state_decode(val.mv_data, val.mv_size, &rec)) !=
		    LW_OK)
			break;
		lw_verdict_make(&v->pol, v->rules, v->now, k.mv_data,
		    k.mv_size, &rec, &vd);
		if ((err = fn(arg, k.mv_data, k.mv_size, &vd)) != 0)
			break;
		if ((++n & 0xffff) == 0)
			lw_store_shed(v->s);
	}
	if (err == LW_OK && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	mdb_cursor_close(cur);
	return err;
}

/* lw_view_subjects - addresses with a state, then the domain rules */
int
lw_view_subjects(struct lw_view *v, int (*fn)(void *arg, const char *key,
    size_t key_len, const struct lw_verdict *vd), void *arg)
{
	int err;

	if ((err = walk_states(v, v->s->states, fn, arg)) != 0)
		return err;
	return walk_states(v, v->s->domain_rules, fn, arg);
}

/* lw_view_addresses - the addresses of the lists, with their verdicts */
int
lw_view_addresses(struct lw_view *v, int (*fn)(void *arg, const char *key,
    size_t key_len, const struct lw_verdict *vd), void *arg)
{
	struct lw_verdict vd;
	MDB_cursor *cur;
	MDB_val k, val;
	uint64_t n = 0;
	int err = LW_OK, rc, got;

	if ((rc = mdb_cursor_open(v->txn, v->s->addresses, &cur)) != 0)
		return lw_store_err(rc);
	while ((rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) == 0) {
		if ((got = lw_view_verdict(v, k.mv_data, k.mv_size, &vd)) < 0) {
			err = got;
			break;
		}
		if ((err = fn(arg, k.mv_data, k.mv_size, got ? &vd : NULL)) !=
		    0)
			break;
		if ((++n & 0xffff) == 0)
			lw_store_shed(v->s);
	}
	if (err == LW_OK && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	mdb_cursor_close(cur);
	return err;
}

struct rows_arg {
	struct lw_view *v;
	int (*fn)(void *arg, const struct lw_list *l, const char *key,
	    size_t key_len, const char *raw, size_t raw_len,
	    const struct lw_verdict *vd);
	void *arg;
	struct lw_verdict vd;
};

static int
rows_fn(void *arg, const struct lw_list *l, const char *key, size_t key_len,
    const char *raw, size_t raw_len)
{
	struct rows_arg *a = arg;
	int got;

	if (key == NULL)
		return a->fn(a->arg, l, NULL, 0, NULL, 0, NULL);
	if ((got = lw_view_verdict(a->v, key, key_len, &a->vd)) < 0)
		return got;
	return a->fn(a->arg, l, key, key_len, raw, raw_len,
	    got ? &a->vd : NULL);
}

/* lw_view_rows - a list's rows from the view's snapshot, with verdicts */
int
lw_view_rows(struct lw_view *v, const char *name,
    int (*fn)(void *arg, const struct lw_list *l, const char *key,
    size_t key_len, const char *raw, size_t raw_len,
    const struct lw_verdict *vd), void *arg)
{
	struct rows_arg a;

	memset(&a, 0, sizeof(a));
	a.v = v;
	a.fn = fn;
	a.arg = arg;
	return lw_rows_walk(v->s, v->txn, name, rows_fn, &a);
}

/* caused - whether an event of kind k can be what suppressed for reason r */
static int
caused(enum lw_suppress_reason r, unsigned k)
{
	switch (r) {
	case LW_SUPPRESS_HARD:
		return k == LW_EVENT_HARD;
	case LW_SUPPRESS_SOFT:
		return k == LW_EVENT_SOFT || k == LW_EVENT_TECHNICAL ||
		    k == LW_EVENT_SOFT_LIMIT;
	case LW_SUPPRESS_COMPLAINT:
		return k == LW_EVENT_COMPLAINT;
	case LW_SUPPRESS_UNSUBSCRIBE:
		return k == LW_EVENT_UNSUBSCRIBE;
	case LW_SUPPRESS_MANUAL:
		return k == LW_EVENT_SUPPRESS;
	default:
		return 0;
	}
}

/*
 * find_cause - the event of subject, at time since, that suppressed it
 * for reason: its details into sp (left empty when there is none)
 */
static int
find_cause(struct lw_view *v, const char *subject, size_t len,
    enum lw_suppress_reason reason, int64_t since, struct lw_suppression *sp)
{
	struct lw_log_event e;
	MDB_cursor *cur;
	MDB_val k, val;
	int err = LW_OK, rc;
	MDB_cursor_op op = MDB_SET_RANGE;

	sp->kind = LW_EVENT_UNKNOWN;
	sp->status = sp->diagnostic = sp->source = NULL;
	sp->reply = 0;
	lw_buf_reset(&v->key);
	lw_buf_raw(&v->key, subject, len);
	lw_buf_u8(&v->key, 0);
	lw_buf_u64(&v->key, (uint64_t)since);
	if (v->key.err)
		return v->key.err;
	if (v->ecur == NULL &&
	    (rc = mdb_cursor_open(v->txn, v->s->events, &v->ecur)) != 0)
		return lw_store_err(rc);
	cur = v->ecur;
	k.mv_data = v->key.p;
	k.mv_size = v->key.len;
	while ((rc = mdb_cursor_get(cur, &k, &val, op)) == 0) {
		op = MDB_NEXT;
		/* Only the events of that second: subject, 0x00, time. */
		if (k.mv_size != len + 17 ||
		    memcmp(k.mv_data, v->key.p, len + 9) != 0)
			break;
		if ((err = lw_event_decode(k.mv_data, k.mv_size, val.mv_data,
		    val.mv_size, &v->strs, &e)) != LW_OK)
			break;
		if (!caused(reason, e.kind))
			continue;
		sp->kind = e.kind;
		sp->status = e.status;
		sp->reply = e.reply;
		sp->diagnostic = e.diagnostic;
		sp->source = e.source;
		break;
	}
	if (err == LW_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	return err;
}

/* address_of - the address an addresses record keeps for key, or the key */
static int
address_of(struct lw_view *v, const char *key, size_t len, const char **out)
{
	MDB_val k = { len, (void *)key }, val;
	struct lw_rd r;
	const void *a;
	size_t alen;
	int rc;

	lw_buf_reset(&v->addr);
	rc = mdb_get(v->txn, v->s->addresses, &k, &val);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return lw_store_err(rc);
	if (rc == 0) {
		lw_rd_init(&r, val.mv_data, val.mv_size);
		lw_rd_version(&r);
		(void)lw_rd_u8(&r);		/* flags */
		(void)lw_rd_u64(&r);		/* first seen */
		a = lw_rd_str(&r, &alen);
		if (r.err)
			return r.err;
		lw_buf_raw(&v->addr, a, alen);
	} else {
		lw_buf_raw(&v->addr, key, len);
	}
	lw_buf_u8(&v->addr, 0);
	if (v->addr.err)
		return v->addr.err;
	*out = (const char *)v->addr.p;
	return LW_OK;
}

/* emit_address - one address's suppression, if it is suppressed */
static int
emit_address(struct lw_view *v, unsigned needs, const char *key, size_t len,
    const struct lw_state_rec *rec, int (*fn)(void *arg,
    const struct lw_suppression *sp), void *arg)
{
	struct lw_suppression sp;
	struct lw_verdict vd;
	int err;

	lw_verdict_make(&v->pol, v->rules, v->now, key, len, rec, &vd);
	if (vd.st.state != LW_STATE_SUPPRESSED)
		return 0;
	memset(&sp, 0, sizeof(sp));
	sp.key = key;
	sp.key_len = len;
	sp.reason = vd.st.reason;
	sp.since = vd.st.since;
	sp.first_event = vd.first_event;
	sp.soft_count = vd.st.soft_count;
	sp.rule = vd.rule;
	/* An address a rule suppresses was suppressed by the rule's event. */
	err = LW_OK;
	if (!(needs & LW_SUPP_CAUSE))
		sp.kind = LW_EVENT_UNKNOWN;
	else if (vd.rule != NULL)
		err = find_cause(v, vd.rule, strlen(vd.rule), vd.st.reason,
		    vd.st.since, &sp);
	else
		err = find_cause(v, key, len, vd.st.reason, vd.st.since, &sp);
	if (err != LW_OK)
		return err;
	if (!(needs & LW_SUPP_ADDRESS)) {
		lw_buf_reset(&v->addr);
		lw_buf_raw(&v->addr, key, len);
		lw_buf_u8(&v->addr, 0);
		if (v->addr.err)
			return v->addr.err;
		sp.address = (const char *)v->addr.p;
	} else if ((err = address_of(v, key, len, &sp.address)) != LW_OK) {
		return err;
	}
	return fn(arg, &sp);
}

/* lw_view_suppressions - every suppressed address, then the rules */
int
lw_view_suppressions(struct lw_view *v, unsigned needs,
    int (*fn)(void *arg, const struct lw_suppression *sp), void *arg)
{
	struct lw_state_rec rec;
	struct lw_suppression sp;
	MDB_cursor *cs = NULL, *ca = NULL;
	MDB_val ks, vs, ka, va;
	size_t i;
	uint64_t n = 0;
	int err = LW_OK, rs, ra = MDB_NOTFOUND, c, any_rule = 0;

	for (i = 0; v->rules != NULL && i < v->rules->n; i++)
		any_rule |= v->rules->v[i].rec.st.state ==
		    LW_STATE_SUPPRESSED;
	if ((rs = mdb_cursor_open(v->txn, v->s->states, &cs)) != 0)
		return lw_store_err(rs);
	rs = mdb_cursor_get(cs, &ks, &vs, MDB_FIRST);
	/* The lists' addresses matter only where a rule may suppress. */
	if (any_rule) {
		if ((ra = mdb_cursor_open(v->txn, v->s->addresses, &ca)) !=
		    0) {
			err = lw_store_err(ra);
			goto out;
		}
		ra = mdb_cursor_get(ca, &ka, &va, MDB_FIRST);
	}
	while (err == LW_OK && (rs == 0 || ra == 0)) {
		c = rs != 0 ? 1 : ra != 0 ? -1 : cmp_subject(ks.mv_data,
		    ks.mv_size, ka.mv_data, ka.mv_size);
		if (c <= 0) {
			if ((err = lw_state_decode(vs.mv_data, vs.mv_size,
			    &rec)) != LW_OK)
				break;
			err = emit_address(v, needs, ks.mv_data, ks.mv_size,
			    &rec, fn, arg);
			rs = mdb_cursor_get(cs, &ks, &vs, MDB_NEXT);
			if (c == 0)
				ra = mdb_cursor_get(ca, &ka, &va, MDB_NEXT);
		} else {
			err = emit_address(v, needs, ka.mv_data, ka.mv_size,
			    NULL, fn, arg);
			ra = mdb_cursor_get(ca, &ka, &va, MDB_NEXT);
		}
		if ((++n & 0xffff) == 0)
			lw_store_shed(v->s);
	}
	if (err == LW_OK && ((rs != 0 && rs != MDB_NOTFOUND) ||
	    (ra != 0 && ra != MDB_NOTFOUND)))
		err = lw_store_err(rs != 0 && rs != MDB_NOTFOUND ? rs : ra);
	/* Then the rules that suppress. */
	for (i = 0; err == LW_OK && v->rules != NULL && i < v->rules->n; i++) {
		const struct rule *ru = &v->rules->v[i];

		if (ru->rec.st.state != LW_STATE_SUPPRESSED)
			continue;
		memset(&sp, 0, sizeof(sp));
		sp.key = sp.address = ru->subject;
		sp.key_len = ru->len;
		sp.is_rule = 1;
		sp.reason = ru->rec.st.reason;
		sp.since = ru->rec.st.since;
		sp.first_event = ru->rec.first_event;
		if (!(needs & LW_SUPP_CAUSE) || (err = find_cause(v,
		    ru->subject, ru->len, sp.reason, sp.since, &sp)) == LW_OK)
			err = fn(arg, &sp);
	}
out:
	mdb_cursor_close(cs);
	if (ca != NULL)
		mdb_cursor_close(ca);
	return err;
}

/* lw_domain_rule - "@d" or "*.d", with d as the key of an address spells it */
int
lw_domain_rule(struct lw_address_ctx *ctx, const char *in, char *out)
{
	struct lw_address a;
	char probe[LW_SUBJECT_MAX + 16];
	const char *d;
	size_t plen, dlen, skip;
	int err;

	if (in[0] == '@')
		skip = 1;
	else if (in[0] == '*' && in[1] == '.')
		skip = 2;
	else
		return LW_EINVAL;
	plen = (size_t)snprintf(probe, sizeof(probe), "postmaster@%s",
	    in + skip);
	if (plen >= sizeof(probe))
		return LW_EINVAL;
	if ((err = lw_address_parse(ctx, probe, plen, &a)) != LW_OK)
		return err;
	if (a.reason != LW_REASON_NONE ||
	    (d = key_domain(a.key, strlen(a.key), &dlen)) == NULL ||
	    dlen + skip > LW_SUBJECT_MAX)
		return LW_EINVAL;
	memcpy(out, in, skip);
	memcpy(out + skip, d, dlen);
	out[skip + dlen] = '\0';
	return LW_OK;
}
