/*
 * store_events.c - recording events and folding them into states
 *
 * NAME
 *	store_events - ingest, reevaluate, and the config
 *
 * DESCRIPTION
 *	Ingest.  lw_ingest_add() gives each event its id (the feed's, or a
 *	hash of its content) and hands it to an external sorter, keyed by
 *	subject.  lw_ingest_commit() first records the events of domain
 *	rules, in one transaction, and reloads the rules; then takes the
 *	address events in subject order, a batch of subjects per write
 *	transaction.  For each subject it reads the events it has, drops
 *	the new ones whose id it has already (or that repeat one another),
 *	writes the rest, folds them all (listwarden/policy.h, without the
 *	expiry, which is applied when a state is read) together with the
 *	allow and disallow events of the domain rules matching it, and
 *	writes the state when it changed.  Subjects come in key order, so
 *	the reads and the writes both move forward through the trees.
 *
 *	A kill between two transactions leaves some subjects with their new
 *	events and state and the others untouched; running the same ingest
 *	again skips what was recorded and converges to the same states.
 *
 *	A new allow or disallow of a domain refolds the addresses at that
 *	domain that have a state, like lw_store_reevaluate() does for all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listwarden/error.h"
#include "sorter.h"
#include "store_int.h"

#define SORT_MEMORY	((size_t)64 << 20)
#define BATCH_SUBJECTS	65536
#define BATCH_BYTES	((size_t)32 << 20)

struct lw_ingest {
	struct lw_store *s;
	struct lw_sorter *sorter;	/* address events */
	struct lw_sorter *rules;	/* domain rule events */
	uint64_t seq, nrules;
	struct lw_buf val, ev;
	struct lw_ingest_stats st;
	int64_t recorded;
};

/* One queued event, as the sorter keeps it. */
struct queued {
	const char *subject;
	size_t subject_len;
	int64_t time;
	unsigned flags;
	uint64_t idhash;
	const uint8_t *val;		/* an events value */
	size_t val_len;
};

/* A batch of subjects' queued events, copied out of the sorter. */
struct batch {
	struct lw_store *s;
	const struct lw_policy *pol;
	const struct lw_rules *rules;
	MDB_dbi dbi;			/* states, or domain_rules */
	struct lw_buf arena;
	size_t *off;			/* offset of each record in arena */
	size_t n, cap;
	size_t subjects;
	struct lw_ingest_stats st;	/* this batch's, adopted on commit */
	/* scratch of one subject's fold */
	struct item *items;
	size_t nitems, capitems;
	struct lw_event *ev;
	size_t nev, capev;
	struct lw_buf ids, key, out;
	/* reevaluate: the key to start after, and where it got */
	int refold_only;
	const char *only_rule;		/* refold only keys this rule matches */
	size_t only_rule_len;
	struct lw_buf last, next;
	int done;
	/* domain rules whose allow or disallow events grew */
	struct lw_buf shield_changed;
	/* verify: compare each fold with the stored state, write nothing */
	int verify;
	uint64_t mismatched;
	void (*bad)(void *arg, const char *subject, size_t len,
	    const char *why);
	void *bad_arg;
};

/* An event of the subject being folded: stored, or new. */
struct item {
	int64_t time;
	unsigned kind;
	size_t id_off, id_len;
	uint64_t idhash;
	int is_new, dup;
	const struct queued *q;
	struct queued qcopy;
};

/* content_hash - the id of an event its feed gave none: its content's hash */
static uint64_t
content_hash(const struct lw_log_event *e, int undated)
{
	const char *f[] = { e->status, e->source, e->diagnostic, e->feedback };
	uint64_t h = LW_HASH64_INIT;
	uint8_t b[12];
	size_t i;

	h = lw_hash64(e->subject, e->subject_len, h);
	lw_key_u64(b, undated ? 0 : (uint64_t)e->time);
	b[8] = (uint8_t)e->kind;
	b[9] = (uint8_t)(e->reply >> 8);
	b[10] = (uint8_t)e->reply;
	b[11] = 0;
	h = lw_hash64(b, sizeof(b), h);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		h = lw_hash64(f[i] ? f[i] : "", f[i] ? strlen(f[i]) + 1 : 1,
		    h);
	return h;
}

/* lw_store_config - the policy the store holds */
int
lw_store_config(struct lw_store *s, struct lw_policy *p)
{
	MDB_txn *txn;
	int err;

	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	err = lw_config_read(s, txn, p);
	mdb_txn_abort(txn);
	return err;
}

static int
config_set_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct lw_buf b = { 0 };
	MDB_val k = { 6, "config" }, v;
	int err;

	if ((err = lw_config_encode(&b, arg)) == LW_OK) {
		v.mv_data = b.p;
		v.mv_size = b.len;
		err = lw_store_err(mdb_put(txn, s->meta, &k, &v, 0));
	}
	lw_buf_free(&b);
	return err;
}

/* lw_store_config_set - replace the policy */
int
lw_store_config_set(struct lw_store *s, const struct lw_policy *p)
{
	return lw_store_write(s, config_set_fn, (void *)p);
}

/* lw_ingest_begin - an empty ingest */
int
lw_ingest_begin(struct lw_store *s, struct lw_ingest **out)
{
	struct lw_ingest *ing;

	if ((ing = calloc(1, sizeof(*ing))) == NULL)
		return LW_ENOMEM;
	ing->s = s;
	ing->recorded = (int64_t)time(NULL);
	if (lw_sorter_new(&ing->sorter, SORT_MEMORY) != LW_OK ||
	    lw_sorter_new(&ing->rules, (size_t)1 << 20) != LW_OK) {
		lw_ingest_abort(ing);
		return LW_ENOMEM;
	}
	*out = ing;
	return LW_OK;
}

/* lw_ingest_abort - drop it all */
void
lw_ingest_abort(struct lw_ingest *ing)
{
	if (ing == NULL)
		return;
	lw_sorter_free(ing->sorter);
	lw_sorter_free(ing->rules);
	lw_buf_free(&ing->val);
	lw_buf_free(&ing->ev);
	free(ing);
}

/* lw_ingest_add - give the event its id and queue it */
int
lw_ingest_add(struct lw_ingest *ing, const struct lw_log_event *ev,
    unsigned flags)
{
	struct lw_log_event e = *ev;
	struct lw_sorted rec;
	char hex[24];
	uint64_t h;
	int err, rule;

	if (e.subject_len == 0 || e.subject_len > LW_SUBJECT_MAX ||
	    memchr(e.subject, 0, e.subject_len) != NULL ||
	    (unsigned)e.kind >= LW_EVENT_KIND_COUNT || e.time < 0)
		return LW_EINVAL;
	if (e.event_id == NULL || e.event_id[0] == '\0') {
		snprintf(hex, sizeof(hex), "h:%016llx",
		    (unsigned long long)content_hash(&e,
		    (flags & LW_EVENT_UNDATED) != 0));
		e.event_id = hex;
	}
	h = lw_hash64(e.event_id, strlen(e.event_id), LW_HASH64_INIT);
	e.recorded = ing->recorded;
	lw_buf_reset(&ing->val);
	lw_buf_u64(&ing->val, (uint64_t)e.time);
	lw_buf_u8(&ing->val, (uint8_t)flags);
	lw_buf_u64(&ing->val, h);
	/* The events value follows that header. */
	if ((err = lw_event_encode(&ing->ev, &e)) != LW_OK)
		return err;
	lw_buf_raw(&ing->val, ing->ev.p, ing->ev.len);
	if (ing->val.err)
		return ing->val.err;
	rule = lw_subject_is_rule(e.subject, e.subject_len);
	rec.key = e.subject;
	rec.key_len = e.subject_len;
	rec.line = ing->seq++;
	rec.row = 0;
	rec.val = ing->val.p;
	rec.val_len = ing->val.len;
	if (rec.val_len > UINT16_MAX)
		return LW_ETOOBIG;
	if ((err = lw_sorter_add(rule ? ing->rules : ing->sorter, &rec)) !=
	    LW_OK)
		return err;
	ing->nrules += rule;
	ing->st.events++;
	return LW_OK;
}

/* batch_reset - empty the batch, keeping its memory */
static void
batch_reset(struct batch *b)
{
	lw_buf_reset(&b->arena);
	b->n = 0;
	b->subjects = 0;
}

static void
batch_free(struct batch *b)
{
	lw_buf_free(&b->arena);
	lw_buf_free(&b->ids);
	lw_buf_free(&b->key);
	lw_buf_free(&b->out);
	lw_buf_free(&b->last);
	lw_buf_free(&b->next);
	lw_buf_free(&b->shield_changed);
	free(b->off);
	free(b->items);
	free(b->ev);
}

/* batch_add - copy one sorted record in */
static int
batch_add(struct batch *b, const struct lw_sorted *rec)
{
	size_t *no;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		if ((no = realloc(b->off, b->cap * sizeof(*no))) == NULL)
			return LW_ENOMEM;
		b->off = no;
	}
	b->off[b->n++] = b->arena.len;
	lw_buf_u16(&b->arena, (uint16_t)rec->key_len);
	lw_buf_raw(&b->arena, rec->key, rec->key_len);
	lw_buf_u16(&b->arena, (uint16_t)rec->val_len);
	lw_buf_raw(&b->arena, rec->val, rec->val_len);
	return b->arena.err;
}

/* batch_get - record i of the batch */
static int
batch_get(const struct batch *b, size_t i, struct queued *q)
{
	struct lw_rd r, h;
	const void *key, *val;
	size_t klen, vlen;

	lw_rd_init(&r, b->arena.p + b->off[i], b->arena.len - b->off[i]);
	key = lw_rd_str(&r, &klen);
	val = lw_rd_str(&r, &vlen);
	if (r.err)
		return r.err;
	lw_rd_init(&h, val, vlen);
	q->subject = key;
	q->subject_len = klen;
	q->time = (int64_t)lw_rd_u64(&h);
	q->flags = lw_rd_u8(&h);
	q->idhash = lw_rd_u64(&h);
	q->val = h.p;
	q->val_len = (size_t)(h.end - h.p);
	return h.err;
}

/* value_kind_id - the kind and the id in an events value */
static int
value_kind_id(const void *p, size_t n, unsigned *kind, const char **id,
    size_t *id_len)
{
	struct lw_rd r;
	size_t len;

	lw_rd_init(&r, p, n);
	if (lw_rd_version(&r) != LW_OK)
		return r.err;
	*kind = lw_rd_u8(&r);
	(void)lw_rd_u16(&r);
	(void)lw_rd_str(&r, &len);		/* status */
	*id = lw_rd_str(&r, id_len);
	if (r.err == LW_OK && *kind >= LW_EVENT_KIND_COUNT)
		r.err = LW_ECORRUPT;
	return r.err;
}

/* item_push - room for one more item */
static struct item *
item_push(struct batch *b)
{
	struct item *ni;

	if (b->nitems == b->capitems) {
		b->capitems = b->capitems ? b->capitems * 2 : 64;
		if ((ni = realloc(b->items, b->capitems * sizeof(*ni))) ==
		    NULL)
			return NULL;
		b->items = ni;
	}
	memset(&b->items[b->nitems], 0, sizeof(b->items[0]));
	return &b->items[b->nitems++];
}

/* cmp_item_id - by id, stored before new, new in arrival order */
static int
cmp_item_id(const void *pa, const void *pb, void *arg)
{
	const struct item *a = pa, *b = pb;
	const char *ids = arg;
	size_t n = a->id_len < b->id_len ? a->id_len : b->id_len;
	int c;

	if (a->idhash != b->idhash)
		return a->idhash < b->idhash ? -1 : 1;
	if ((c = memcmp(ids + a->id_off, ids + b->id_off, n)) != 0)
		return c;
	if (a->id_len != b->id_len)
		return a->id_len < b->id_len ? -1 : 1;
	if (a->is_new != b->is_new)
		return a->is_new - b->is_new;
	return a < b ? -1 : a > b;
}

/* count_change - a stored state went from old to new */
static void
count_change(struct lw_ingest_stats *st, const struct lw_state_rec *old,
    const struct lw_state_rec *nw)
{
	int was = old != NULL && old->st.state == LW_STATE_SUPPRESSED;
	int is = nw->st.state == LW_STATE_SUPPRESSED;

	if (is && !was)
		st->suppressed[nw->st.reason]++;
	else if (was && !is)
		st->lifted[old->st.reason]++;
	else if (was && is && old->st.reason != nw->st.reason) {
		st->lifted[old->st.reason]++;
		st->suppressed[nw->st.reason]++;
	}
}

/*
 * fold_subject - record the new events q[0..nq) of subject (none when
 * refolding) and refold it
 */
static int
fold_subject(struct batch *b, MDB_txn *txn, const char *subject,
    size_t subject_len, const struct queued *q, size_t nq)
{
	struct lw_store *s = b->s;
	struct lw_policy pol = *b->pol;
	struct lw_state_rec old, rec;
	struct lw_state folded;
	MDB_cursor *cur;
	MDB_val k, v;
	struct item *it;
	const char *id;
	size_t i, id_len;
	int64_t latest = -1;
	unsigned kind;
	int err = LW_OK, rc, have_old, is_rule;
	MDB_cursor_op op = MDB_SET_RANGE;

	b->nitems = 0;
	b->nev = 0;
	lw_buf_reset(&b->ids);
	is_rule = lw_subject_is_rule(subject, subject_len);
	/* What the subject has. */
	lw_buf_reset(&b->key);
	lw_buf_raw(&b->key, subject, subject_len);
	lw_buf_u8(&b->key, 0);
	if (b->key.err)
		return b->key.err;
	if ((rc = mdb_cursor_open(txn, s->events, &cur)) != 0)
		return lw_store_err(rc);
	k.mv_data = b->key.p;
	k.mv_size = b->key.len;
	while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != subject_len + 17 ||
		    memcmp(k.mv_data, b->key.p, subject_len + 1) != 0)
			break;
		if ((err = value_kind_id(v.mv_data, v.mv_size, &kind, &id,
		    &id_len)) != LW_OK)
			break;
		if ((it = item_push(b)) == NULL) {
			err = LW_ENOMEM;
			break;
		}
		it->time = (int64_t)lw_get_u64((const uint8_t *)k.mv_data +
		    subject_len + 1);
		it->kind = kind;
		it->idhash = lw_hash64(id, id_len, LW_HASH64_INIT);
		it->id_off = b->ids.len;
		it->id_len = id_len;
		lw_buf_raw(&b->ids, id, id_len);
		lw_buf_u8(&b->ids, 0);
		if (it->time > latest)
			latest = it->time;
	}
	mdb_cursor_close(cur);
	if (err == LW_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	if (err != LW_OK)
		return err;
	/* What is new. */
	for (i = 0; i < nq; i++) {
		if ((err = value_kind_id(q[i].val, q[i].val_len, &kind, &id,
		    &id_len)) != LW_OK)
			return err;
		if ((it = item_push(b)) == NULL)
			return LW_ENOMEM;
		it->qcopy = q[i];
		it->time = q[i].time;
		if ((q[i].flags & LW_EVENT_AFTER_ALL) && it->time <= latest)
			it->time = latest + 1;
		it->kind = kind;
		it->idhash = q[i].idhash;
		it->id_off = b->ids.len;
		it->id_len = id_len;
		it->is_new = 1;
		lw_buf_raw(&b->ids, id, id_len);
		lw_buf_u8(&b->ids, 0);
	}
	if (b->ids.err)
		return b->ids.err;
	/* Repeated ids: the stored event, or the first to arrive, stays. */
	if (nq > 0) {
		qsort_r(b->items, b->nitems, sizeof(*b->items), cmp_item_id,
		    b->ids.p);
		for (i = 1; i < b->nitems; i++)
			if (b->items[i].idhash == b->items[i - 1].idhash &&
			    b->items[i].id_len == b->items[i - 1].id_len &&
			    memcmp(b->ids.p + b->items[i].id_off,
			    b->ids.p + b->items[i - 1].id_off,
			    b->items[i].id_len) == 0)
				b->items[i].dup = 1;
	}
	/* Write the new ones. */
	for (i = 0; i < b->nitems; i++) {
		it = &b->items[i];
		if (!it->is_new)
			continue;
		if (it->dup) {
			b->st.duplicates++;
			continue;
		}
		for (uint64_t h = it->idhash;; h++) {
			if ((err = lw_event_key(&b->out, subject, subject_len,
			    it->time, h)) != LW_OK)
				return err;
			k.mv_data = b->out.p;
			k.mv_size = b->out.len;
			v.mv_data = (void *)it->qcopy.val;
			v.mv_size = it->qcopy.val_len;
			rc = mdb_put(txn, s->events, &k, &v, MDB_NOOVERWRITE);
			if (rc != MDB_KEYEXIST)
				break;	/* two ids of one hash, one second */
		}
		if (rc != 0)
			return rc == MDB_MAP_FULL ? LW_ENOSPC : lw_store_err(rc);
		b->st.recorded++;
		/* A replayed transaction may list a rule twice: harmless. */
		if (is_rule && (it->kind == LW_EVENT_ALLOW ||
		    it->kind == LW_EVENT_DISALLOW)) {
			lw_buf_u16(&b->shield_changed, (uint16_t)subject_len);
			lw_buf_raw(&b->shield_changed, subject, subject_len);
			if (b->shield_changed.err)
				return b->shield_changed.err;
		}
	}
	/* Fold. */
	memset(&rec, 0, sizeof(rec));
	for (i = 0; i < b->nitems; i++) {
		it = &b->items[i];
		if (it->dup)
			continue;
		if (b->nev == b->capev) {
			struct lw_event *ne;

			b->capev = b->capev ? b->capev * 2 : 64;
			if ((ne = realloc(b->ev, b->capev * sizeof(*ne))) ==
			    NULL)
				return LW_ENOMEM;
			b->ev = ne;
		}
		b->ev[b->nev].time = it->time;
		b->ev[b->nev].kind = it->kind;
		b->ev[b->nev].id = (const char *)b->ids.p + it->id_off;
		b->nev++;
		if (it->kind == LW_EVENT_POLICY)
			rec.policy_events++;
		if (rec.first_event == 0 || it->time < rec.first_event)
			rec.first_event = it->time;
		if (it->time > rec.last_event)
			rec.last_event = it->time;
	}
	if (!is_rule && (err = lw_rules_shield_events(b->rules, subject,
	    subject_len, &b->ev, &b->nev, &b->capev)) != LW_OK)
		return err;
	pol.expiry_days = 0;		/* applied when the state is read */
	if ((err = lw_policy_fold(&pol, b->ev, b->nev, 0, &folded)) != LW_OK)
		return err;
	rec.st = folded;
	/* Write the state when it changed. */
	k.mv_data = (void *)subject;
	k.mv_size = subject_len;
	rc = mdb_get(txn, b->dbi, &k, &v);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return lw_store_err(rc);
	have_old = rc == 0;
	if (have_old && (err = lw_state_decode(v.mv_data, v.mv_size, &old)) !=
	    LW_OK)
		return err;
	if (b->nev == 0 && !have_old)
		return LW_OK;
	if ((err = lw_state_encode(&b->out, &rec)) != LW_OK)
		return err;
	if (have_old && v.mv_size == b->out.len &&
	    memcmp(v.mv_data, b->out.p, b->out.len) == 0)
		return LW_OK;
	if (b->verify) {
		b->mismatched++;
		b->bad(b->bad_arg, subject, subject_len, !have_old ?
		    "has events but no state" : b->nev == 0 ?
		    "has a state but no events" :
		    "its state is not the fold of its events");
		return LW_OK;
	}
	count_change(&b->st, have_old ? &old : NULL, &rec);
	v.mv_data = b->out.p;
	v.mv_size = b->out.len;
	if ((rc = mdb_put(txn, b->dbi, &k, &v, 0)) != 0)
		return rc == MDB_MAP_FULL ? LW_ENOSPC : lw_store_err(rc);
	return LW_OK;
}

/* batch_fn - record and fold every subject of the batch */
static int
batch_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct batch *b = arg;
	struct queued *q = NULL;
	size_t i, j, cap = 0;
	int err = LW_OK;

	(void)s;
	memset(&b->st, 0, sizeof(b->st));
	for (i = 0; i < b->n; i = j) {
		/* The run of records of one subject. */
		for (j = i; j < b->n; j++) {
			if (j - i == cap) {
				struct queued *nq;

				cap = cap ? cap * 2 : 16;
				if ((nq = realloc(q, cap * sizeof(*q))) ==
				    NULL) {
					err = LW_ENOMEM;
					goto out;
				}
				q = nq;
			}
			if ((err = batch_get(b, j, &q[j - i])) != LW_OK)
				goto out;
			if (j > i && (q[j - i].subject_len !=
			    q[0].subject_len || memcmp(q[j - i].subject,
			    q[0].subject, q[0].subject_len) != 0))
				break;
		}
		if ((err = fold_subject(b, txn, q[0].subject,
		    q[0].subject_len, q, j - i)) != LW_OK)
			goto out;
		b->st.subjects++;
	}
out:
	free(q);
	return err;
}

/* adopt - add a committed batch's counts */
static void
adopt(struct lw_ingest_stats *to, const struct lw_ingest_stats *from)
{
	size_t i;

	to->recorded += from->recorded;
	to->duplicates += from->duplicates;
	to->subjects += from->subjects;
	to->refolded += from->refolded;
	for (i = 0; i < LW_SUPPRESS_REASON_COUNT; i++) {
		to->suppressed[i] += from->suppressed[i];
		to->lifted[i] += from->lifted[i];
	}
}

/* new_subject - whether rec's subject is not the batch's last one */
static int
new_subject(const struct batch *b, const struct lw_sorted *rec)
{
	const uint8_t *p;
	size_t len;

	if (b->n == 0)
		return 1;
	/* batch_add() wrote the key first, after its u16 length. */
	p = b->arena.p + b->off[b->n - 1];
	len = (size_t)p[0] << 8 | p[1];
	return rec->key_len != len || memcmp(rec->key, p + 2, len) != 0;
}

/* run_sorter - every subject of so, a batch per transaction */
static int
run_sorter(struct batch *b, struct lw_sorter *so, struct lw_ingest_stats *st)
{
	struct lw_sorted rec;
	int got, err, fresh;

	if ((err = lw_sorter_finish(so)) != LW_OK)
		return err;
	batch_reset(b);
	for (;;) {
		if ((got = lw_sorter_next(so, &rec)) < 0)
			return got;
		fresh = got > 0 && new_subject(b, &rec);
		/* A batch ends between two subjects. */
		if (b->n > 0 && (got == 0 || (fresh &&
		    (b->subjects >= BATCH_SUBJECTS ||
		    b->arena.len >= BATCH_BYTES)))) {
			if ((err = lw_store_write(b->s, batch_fn, b)) != LW_OK)
				return err;
			adopt(st, &b->st);
			batch_reset(b);
			lw_store_shed(b->s);
		}
		if (got == 0)
			return LW_OK;
		b->subjects += fresh;
		if ((err = batch_add(b, &rec)) != LW_OK)
			return err;
	}
}

/* load_context - the config and the rules, from a snapshot */
static int
load_context(struct lw_store *s, struct lw_policy *pol, struct lw_rules **r)
{
	MDB_txn *txn;
	int err;

	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	err = lw_config_read(s, txn, pol);
	if (err == LW_OK)
		err = lw_rules_load(s, txn, r);
	mdb_txn_abort(txn);
	return err;
}

/*
 * refold_fn - refold the next batch of states (those matching only_rule,
 * when set) after the key in b->last
 */
static int
refold_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct batch *b = arg;
	MDB_cursor *cur;
	MDB_val k, v;
	struct lw_buf keys = { 0 };
	size_t n = 0, i, off;
	int err = LW_OK, rc;
	MDB_cursor_op op = MDB_FIRST;

	memset(&b->st, 0, sizeof(b->st));
	b->done = 0;
	if ((rc = mdb_cursor_open(txn, b->dbi, &cur)) != 0)
		return lw_store_err(rc);
	if (b->last.len > 0) {
		k.mv_data = b->last.p;
		k.mv_size = b->last.len;
		op = MDB_SET_RANGE;
	}
	/* Collect the keys first: writes to the same tree move a cursor. */
	while (n < BATCH_SUBJECTS &&
	    (rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
		if (op == MDB_SET_RANGE && k.mv_size == b->last.len &&
		    memcmp(k.mv_data, b->last.p, b->last.len) == 0) {
			op = MDB_NEXT;
			continue;
		}
		op = MDB_NEXT;
		if (b->only_rule != NULL && !lw_rule_matches(b->only_rule,
		    b->only_rule_len, k.mv_data, k.mv_size))
			continue;
		lw_buf_u16(&keys, (uint16_t)k.mv_size);
		lw_buf_raw(&keys, k.mv_data, k.mv_size);
		n++;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	else if (rc == MDB_NOTFOUND)
		b->done = 1;
	if (err == LW_OK)
		err = keys.err;
	for (i = 0, off = 0; err == LW_OK && i < n; i++) {
		struct lw_rd r;
		const char *key;
		size_t len;

		lw_rd_init(&r, keys.p + off, keys.len - off);
		key = lw_rd_str(&r, &len);
		off = (size_t)(r.p - keys.p);
		if ((err = fold_subject(b, txn, key, len, NULL, 0)) != LW_OK)
			break;
		b->st.subjects++;
		if (i == n - 1) {
			lw_buf_reset(&b->next);
			lw_buf_raw(&b->next, key, len);
		}
	}
	(void)s;
	lw_buf_free(&keys);
	if (err == LW_OK && n == 0)
		b->done = 1;
	return err;
}

/* refold - refold the states of dbi, or those matching one rule */
static int
refold(struct batch *b, MDB_dbi dbi, const char *rule, size_t rule_len,
    struct lw_ingest_stats *st)
{
	int err;

	b->dbi = dbi;
	b->only_rule = rule;
	b->only_rule_len = rule_len;
	lw_buf_reset(&b->last);
	for (;;) {
		lw_buf_reset(&b->next);
		if ((err = lw_store_write(b->s, refold_fn, b)) != LW_OK)
			return err;
		adopt(st, &b->st);
		if (b->done || b->next.len == 0)
			return LW_OK;
		lw_buf_reset(&b->last);
		lw_buf_raw(&b->last, b->next.p, b->next.len);
		if (b->last.err)
			return b->last.err;
		lw_store_shed(b->s);
	}
}

/*
 * refold_shielded - refold the addresses of each domain rule whose allow
 * or disallow events grew
 */
static int
refold_shielded(struct batch *b, struct lw_ingest_stats *st)
{
	struct lw_ingest_stats rf;
	struct lw_buf list = b->shield_changed;
	struct lw_rd r;
	const char *subj;
	size_t len, i;
	int err = LW_OK;

	memset(&b->shield_changed, 0, sizeof(b->shield_changed));
	memset(&rf, 0, sizeof(rf));
	lw_rd_init(&r, list.p, list.len);
	while (err == LW_OK && r.p < r.end) {
		subj = lw_rd_str(&r, &len);
		if (r.err) {
			err = r.err;
			break;
		}
		err = refold(b, b->s->states, subj, len, &rf);
	}
	lw_buf_free(&list);
	st->refolded += rf.subjects;
	for (i = 0; i < LW_SUPPRESS_REASON_COUNT; i++) {
		st->suppressed[i] += rf.suppressed[i];
		st->lifted[i] += rf.lifted[i];
	}
	return err;
}

/* lw_ingest_commit - rules first, then addresses */
int
lw_ingest_commit(struct lw_ingest *ing, struct lw_ingest_stats *st)
{
	struct batch b;
	struct lw_policy pol;
	struct lw_rules *rules = NULL;
	int err;

	memset(&b, 0, sizeof(b));
	b.s = ing->s;
	b.pol = &pol;
	if ((err = load_context(ing->s, &pol, &rules)) != LW_OK)
		goto out;
	if (ing->nrules > 0) {
		b.dbi = ing->s->domain_rules;
		b.rules = NULL;
		if ((err = run_sorter(&b, ing->rules, &ing->st)) != LW_OK)
			goto out;
		lw_rules_free(rules);
		rules = NULL;
		if ((err = load_context(ing->s, &pol, &rules)) != LW_OK)
			goto out;
		b.rules = rules;
		/*
		 * A domain's new allow or disallow changes the folds of its
		 * addresses: refold those that have a state.
		 */
		if ((err = refold_shielded(&b, &ing->st)) != LW_OK)
			goto out;
	}
	b.dbi = ing->s->states;
	b.rules = rules;
	err = run_sorter(&b, ing->sorter, &ing->st);
out:
	if (st != NULL)
		*st = ing->st;
	batch_free(&b);
	lw_rules_free(rules);
	lw_ingest_abort(ing);
	return err;
}

/*
 * lw_verify_folds - fold every subject with events, or with a state, in
 * txn, and report each whose stored state differs; the count of subjects
 * folded in *subjects, of mismatches in *bad
 */
int
lw_verify_folds(struct lw_store *s, MDB_txn *txn, void (*bad)(void *arg,
    const char *subject, size_t len, const char *why), void *arg,
    uint64_t *subjects, uint64_t *mismatched)
{
	struct batch b;
	struct lw_policy pol;
	struct lw_rules *rules = NULL;
	struct lw_buf last = { 0 };
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	MDB_cursor_op op;
	const uint8_t *nul;
	int err, rc, pass;
	MDB_dbi dbi;

	memset(&b, 0, sizeof(b));
	*subjects = *mismatched = 0;
	b.s = s;
	b.pol = &pol;
	b.verify = 1;
	b.bad = bad;
	b.bad_arg = arg;
	if ((err = lw_config_read(s, txn, &pol)) != LW_OK ||
	    (err = lw_rules_load(s, txn, &rules)) != LW_OK)
		goto out;
	b.rules = rules;
	/* Each subject of the event log, once (its events are adjacent). */
	if ((rc = mdb_cursor_open(txn, s->events, &cur)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	for (op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
	    op = MDB_NEXT) {
		if (k.mv_size < 18 || (nul = memchr(k.mv_data, 0,
		    k.mv_size)) == NULL) {
			bad(arg, k.mv_data, k.mv_size, "an event key is "
			    "damaged");
			(*mismatched)++;
			continue;
		}
		if (last.len == (size_t)(nul - (const uint8_t *)k.mv_data) &&
		    memcmp(last.p, k.mv_data, last.len) == 0)
			continue;
		lw_buf_reset(&last);
		lw_buf_raw(&last, k.mv_data, (size_t)(nul -
		    (const uint8_t *)k.mv_data));
		if (last.err) {
			err = last.err;
			goto out;
		}
		b.dbi = lw_subject_is_rule((const char *)last.p, last.len) ?
		    s->domain_rules : s->states;
		(*subjects)++;
		err = fold_subject(&b, txn, (const char *)last.p, last.len,
		    NULL, 0);
		if (err == LW_ECORRUPT) {
			bad(arg, (const char *)last.p, last.len, "an event or "
			    "its state is damaged: it cannot be folded");
			(*mismatched)++;
			err = LW_OK;
		}
		if (err != LW_OK)
			goto out;
	}
	if (rc != MDB_NOTFOUND) {
		err = lw_store_err(rc);
		goto out;
	}
	mdb_cursor_close(cur);
	cur = NULL;
	/* States whose subject has no event at all. */
	for (pass = 0; pass < 2; pass++) {
		dbi = pass == 0 ? s->states : s->domain_rules;
		if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0) {
			err = lw_store_err(rc);
			goto out;
		}
		for (op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) ==
		    0; op = MDB_NEXT) {
			MDB_cursor *ec;
			MDB_val ek, ev;
			struct lw_state_rec st;

			if (lw_state_decode(v.mv_data, v.mv_size, &st) !=
			    LW_OK) {
				bad(arg, k.mv_data, k.mv_size, "its state "
				    "record is damaged");
				(*mismatched)++;
				continue;
			}
			lw_buf_reset(&last);
			lw_buf_raw(&last, k.mv_data, k.mv_size);
			lw_buf_u8(&last, 0);
			if (last.err || (rc = mdb_cursor_open(txn, s->events,
			    &ec)) != 0) {
				err = last.err ? last.err : lw_store_err(rc);
				goto out;
			}
			ek.mv_data = last.p;
			ek.mv_size = last.len;
			rc = mdb_cursor_get(ec, &ek, &ev, MDB_SET_RANGE);
			if (rc != 0 || ek.mv_size < last.len ||
			    memcmp(ek.mv_data, last.p, last.len) != 0) {
				bad(arg, k.mv_data, k.mv_size, "has a state "
				    "but no events");
				(*mismatched)++;
			}
			mdb_cursor_close(ec);
		}
		if (rc != MDB_NOTFOUND) {
			err = lw_store_err(rc);
			goto out;
		}
		mdb_cursor_close(cur);
		cur = NULL;
	}
	*mismatched += b.mismatched;
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	lw_buf_free(&last);
	batch_free(&b);
	lw_rules_free(rules);
	return err;
}

/* lw_store_reevaluate - refold everything under the current config */
int
lw_store_reevaluate(struct lw_store *s, struct lw_ingest_stats *st)
{
	struct batch b;
	struct lw_policy pol;
	struct lw_rules *rules = NULL;
	int err;

	memset(st, 0, sizeof(*st));
	memset(&b, 0, sizeof(b));
	b.s = s;
	b.pol = &pol;
	if ((err = load_context(s, &pol, &rules)) != LW_OK)
		goto out;
	if ((err = refold(&b, s->domain_rules, NULL, 0, st)) != LW_OK)
		goto out;
	lw_rules_free(rules);
	rules = NULL;
	if ((err = load_context(s, &pol, &rules)) != LW_OK)
		goto out;
	b.rules = rules;
	err = refold(&b, s->states, NULL, 0, st);
out:
	batch_free(&b);
	lw_rules_free(rules);
	return err;
}
