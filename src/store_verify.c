/*
 * store_verify.c - check every invariant of a store
 *
 * NAME
 *	verify - lw_store_verify()
 *
 * DESCRIPTION
 *	From one read snapshot, so that a writer may go on meanwhile:
 *
 *	  meta          the schema is this program's; next_gen and the
 *	                config decode
 *	  generations   every record decodes; a live one is some list's
 *	                generation (the list named in it); a staging one
 *	                whose process is gone is an orphan the next writer
 *	                deletes (counted, not a problem)
 *	  lists         every record decodes; its generation is live and
 *	                names it; it has as many rows as its header says;
 *	                each row decodes and is found again by its key in
 *	                list_keys, pointing back at it; each key has an
 *	                address record
 *	  rows,         every entry belongs to a generation that exists;
 *	  list_keys     every list_keys entry points at a row with its key
 *	  addresses     every record decodes
 *	  events        every key and value decodes
 *	  states,       every subject with events has a state equal to the
 *	  domain_rules  fold of its events under the config stored now, and
 *	                every state has events (lw_verify_folds())
 *
 *	Each problem is handed to fn as one line.  A store that cannot be
 *	read at all is an error return; what is wrong inside it is a
 *	problem, counted in the report.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden/error.h"
#include "store_int.h"

struct verify {
	struct lw_store *s;
	MDB_txn *txn;
	void (*fn)(void *arg, const char *problem);
	void *arg;
	struct lw_verify_report *rep;
};

/* problem - report one, formatted */
static void __attribute__((format(printf, 2, 3)))
problem(struct verify *v, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	v->rep->problems++;
	v->fn(v->arg, buf);
}

/* printable - n octets of s as shown in a problem: cut, controls as '?' */
static const char *
printable(const void *p, size_t n, char *buf, size_t size)
{
	const unsigned char *s = p;
	size_t i;

	if (n > size - 4)
		n = size - 4;
	for (i = 0; i < n; i++)
		buf[i] = s[i] < 0x20 || s[i] == 0x7f ? '?' : (char)s[i];
	buf[i] = '\0';
	return buf;
}

/* fold_bad - a fold that differs (lw_verify_folds()'s callback) */
static void
fold_bad(void *arg, const char *subject, size_t len, const char *why)
{
	struct verify *v = arg;
	char b[128];

	problem(v, "subject %s: %s", printable(subject, len, b, sizeof(b)),
	    why);
}

/* check_meta - the schema, the generation counter, the config */
static int
check_meta(struct verify *v)
{
	MDB_val k = { 8, "next_gen" }, val;
	struct lw_policy pol;
	unsigned version;
	int err, rc;

	if ((err = lw_meta_schema(v->s, v->txn, &version)) != LW_OK)
		return err;
	if (version != lw_migrate_latest())
		problem(v, "meta: schema %u, this program's is %u", version,
		    lw_migrate_latest());
	if ((rc = mdb_get(v->txn, v->s->meta, &k, &val)) != 0)
		problem(v, "meta: next_gen is missing");
	else if (val.mv_size != 8)
		problem(v, "meta: next_gen is damaged");
	else
		v->rep->next_gen = lw_get_u64(val.mv_data);
	if ((err = lw_config_read(v->s, v->txn, &pol)) == LW_ECORRUPT)
		problem(v, "meta: the config is damaged");
	else if (err != LW_OK && err != LW_ENOENT)
		return err;
	return LW_OK;
}

/* gen_of - the generation record of gen; 1 found, 0 not, -1 damaged */
static int
gen_of(struct verify *v, uint64_t gen, struct lw_gen_rec *g)
{
	uint8_t key[8];
	MDB_val k = { 8, key }, val;

	lw_key_u64(key, gen);
	if (mdb_get(v->txn, v->s->generations, &k, &val) != 0)
		return 0;
	return lw_gen_decode(val.mv_data, val.mv_size, g) == LW_OK ? 1 : -1;
}

/* check_generations - each decodes; live ones are their list's */
static int
check_generations(struct verify *v)
{
	MDB_cursor *cur;
	MDB_val k, val, lk, lv;
	MDB_cursor_op op;
	struct lw_gen_rec g;
	struct lw_list *l;
	uint64_t gen;
	int rc;

	if ((rc = mdb_cursor_open(v->txn, v->s->generations, &cur)) != 0)
		return lw_store_err(rc);
	for (op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &val, op)) == 0;
	    op = MDB_NEXT) {
		v->rep->generations++;
		if (k.mv_size != 8 || lw_gen_decode(val.mv_data, val.mv_size,
		    &g) != LW_OK) {
			problem(v, "generations: a record is damaged");
			continue;
		}
		gen = lw_get_u64(k.mv_data);
		if (g.state == GEN_STAGING) {
			/* A running import's, or an orphan's. */
			if (g.pid != 0 && kill((pid_t)g.pid, 0) != 0 &&
			    errno == ESRCH)
				v->rep->orphans++;
			continue;
		}
		if (g.state == GEN_GARBAGE) {
			v->rep->orphans++;
			continue;
		}
		if (g.state != GEN_LIVE) {
			problem(v, "generations: %llu has state %u",
			    (unsigned long long)gen, g.state);
			continue;
		}
		lk.mv_data = g.name;
		lk.mv_size = strlen(g.name);
		if (lk.mv_size == 0 || mdb_get(v->txn, v->s->lists, &lk,
		    &lv) != 0 || lw_list_decode(g.name, lk.mv_size, lv.mv_data,
		    lv.mv_size, &l) != LW_OK) {
			/* Superseded by a commit: the next writer drops it. */
			v->rep->orphans++;
			continue;
		}
		if (l->gen != gen)
			v->rep->orphans++;
		lw_list_free(l);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? LW_OK : lw_store_err(rc);
}

/* check_list - one list: its generation, rows, keys and addresses */
static int
check_list(struct verify *v, const struct lw_list *l)
{
	uint8_t gk[16];
	MDB_cursor *cur;
	MDB_val k, val, kk, kv, ak, av;
	struct lw_gen_rec g;
	const char *key, *raw;
	size_t key_len, raw_len;
	uint64_t rows = 0, row;
	struct lw_buf buf = { 0 };
	int rc, found;

	if ((found = gen_of(v, l->gen, &g)) <= 0 || g.state != GEN_LIVE ||
	    strcmp(g.name, l->name) != 0) {
		problem(v, "list %s: its generation %llu is %s", l->name,
		    (unsigned long long)l->gen, found < 0 ? "damaged" :
		    found == 0 ? "missing" : "not live, or another list's");
		return LW_OK;
	}
	if ((rc = mdb_cursor_open(v->txn, v->s->rows, &cur)) != 0)
		return lw_store_err(rc);
	lw_key_gen_row(gk, l->gen, 0);
	k.mv_data = gk;
	k.mv_size = 16;
	for (rc = mdb_cursor_get(cur, &k, &val, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
		if (k.mv_size != 16 || memcmp(k.mv_data, gk, 8) != 0)
			break;
		rows++;
		row = lw_get_u64((const uint8_t *)k.mv_data + 8);
		if (lw_row_decode(val.mv_data, val.mv_size, &key, &key_len,
		    &raw, &raw_len) != LW_OK) {
			problem(v, "list %s: row %llu is damaged", l->name,
			    (unsigned long long)row);
			continue;
		}
		/* The key finds the row again, and has an address. */
		lw_buf_reset(&buf);
		lw_buf_raw(&buf, gk, 8);
		lw_buf_raw(&buf, key, key_len);
		if (buf.err) {
			rc = 0;
			break;
		}
		kk.mv_data = buf.p;
		kk.mv_size = buf.len;
		if (mdb_get(v->txn, v->s->list_keys, &kk, &kv) != 0)
			problem(v, "list %s: row %llu's key is not in "
			    "list_keys", l->name, (unsigned long long)row);
		else if (kv.mv_size != 9 ||
		    lw_get_u64((const uint8_t *)kv.mv_data + 1) != row)
			problem(v, "list %s: row %llu's key points at another "
			    "row", l->name, (unsigned long long)row);
		ak.mv_data = (void *)key;
		ak.mv_size = key_len;
		if (mdb_get(v->txn, v->s->addresses, &ak, &av) != 0)
			problem(v, "list %s: row %llu's address has no record",
			    l->name, (unsigned long long)row);
	}
	mdb_cursor_close(cur);
	lw_buf_free(&buf);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return lw_store_err(rc);
	v->rep->rows += rows;
	if (rows != l->rows)
		problem(v, "list %s: the header says %llu rows, the list has "
		    "%llu", l->name, (unsigned long long)l->rows,
		    (unsigned long long)rows);
	return LW_OK;
}

/* check_lists - every list */
static int
check_lists(struct verify *v)
{
	MDB_cursor *cur;
	MDB_val k, val;
	MDB_cursor_op op;
	struct lw_list *l;
	char name[LW_LIST_NAME_MAX + 1];
	int rc, err = LW_OK;

	if ((rc = mdb_cursor_open(v->txn, v->s->lists, &cur)) != 0)
		return lw_store_err(rc);
	for (op = MDB_FIRST; err == LW_OK &&
	    (rc = mdb_cursor_get(cur, &k, &val, op)) == 0; op = MDB_NEXT) {
		v->rep->lists++;
		if (k.mv_size == 0 || k.mv_size > LW_LIST_NAME_MAX ||
		    lw_list_decode(k.mv_data, k.mv_size, val.mv_data,
		    val.mv_size, &l) != LW_OK) {
			problem(v, "list %s: its record is damaged",
			    printable(k.mv_data, k.mv_size, name,
			    sizeof(name)));
			continue;
		}
		err = check_list(v, l);
		lw_list_free(l);
	}
	mdb_cursor_close(cur);
	if (err != LW_OK)
		return err;
	return rc == MDB_NOTFOUND ? LW_OK : lw_store_err(rc);
}

/* check_entries - rows and list_keys of generations that exist */
static int
check_entries(struct verify *v, MDB_dbi dbi, const char *what)
{
	MDB_cursor *cur;
	MDB_val k, val;
	MDB_cursor_op op;
	struct lw_gen_rec g;
	uint64_t gen, last = 0, bad = 0;
	int rc, have = 0, known = 0;

	if ((rc = mdb_cursor_open(v->txn, dbi, &cur)) != 0)
		return lw_store_err(rc);
	for (op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &val, op)) == 0;
	    op = MDB_NEXT) {
		if (k.mv_size < 8) {
			bad++;
			continue;
		}
		if (dbi == v->s->list_keys)
			v->rep->list_keys++;
		gen = lw_get_u64(k.mv_data);
		if (!have || gen != last) {
			have = 1;
			last = gen;
			known = gen_of(v, gen, &g) > 0;
		}
		if (!known)
			bad++;
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return lw_store_err(rc);
	if (bad > 0)
		problem(v, "%s: %llu entries of generations that do not exist",
		    what, (unsigned long long)bad);
	return LW_OK;
}

/* check_addresses - every record decodes */
static int
check_addresses(struct verify *v)
{
	MDB_cursor *cur;
	MDB_val k, val;
	MDB_cursor_op op;
	struct lw_rd rd;
	size_t n;
	char name[128];
	int rc;

	if ((rc = mdb_cursor_open(v->txn, v->s->addresses, &cur)) != 0)
		return lw_store_err(rc);
	for (op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &val, op)) == 0;
	    op = MDB_NEXT) {
		v->rep->addresses++;
		lw_rd_init(&rd, val.mv_data, val.mv_size);
		(void)lw_rd_version(&rd);
		(void)lw_rd_u8(&rd);
		(void)lw_rd_u64(&rd);
		(void)lw_rd_str(&rd, &n);
		(void)lw_rd_str(&rd, &n);
		(void)lw_rd_u8(&rd);
		(void)lw_rd_u64(&rd);
		if (rd.err != LW_OK || rd.p != rd.end || k.mv_size == 0)
			problem(v, "address %s: its record is damaged",
			    printable(k.mv_data, k.mv_size, name,
			    sizeof(name)));
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? LW_OK : lw_store_err(rc);
}

/* check_events - every key and value decodes */
static int
check_events(struct verify *v)
{
	struct lw_buf strs = { 0 };
	struct lw_log_event e;
	MDB_cursor *cur;
	MDB_val k, val;
	MDB_cursor_op op;
	char name[128];
	int rc;

	if ((rc = mdb_cursor_open(v->txn, v->s->events, &cur)) != 0)
		return lw_store_err(rc);
	for (op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &val, op)) == 0;
	    op = MDB_NEXT) {
		v->rep->events++;
		if (lw_event_decode(k.mv_data, k.mv_size, val.mv_data,
		    val.mv_size, &strs, &e) != LW_OK)
			problem(v, "event of %s: damaged",
			    printable(k.mv_data, k.mv_size > 17 ?
			    k.mv_size - 17 : k.mv_size, name, sizeof(name)));
	}
	mdb_cursor_close(cur);
	lw_buf_free(&strs);
	return rc == MDB_NOTFOUND ? LW_OK : lw_store_err(rc);
}

/* lw_store_verify - every invariant, from one snapshot */
int
lw_store_verify(struct lw_store *s, void (*fn)(void *arg,
    const char *problem), void *arg, struct lw_verify_report *rep)
{
	struct verify v;
	MDB_stat st;
	uint64_t mismatched = 0;
	int err;

	memset(rep, 0, sizeof(*rep));
	memset(&v, 0, sizeof(v));
	v.s = s;
	v.fn = fn;
	v.arg = arg;
	v.rep = rep;
	if ((err = lw_store_read_begin(s, &v.txn)) != LW_OK)
		return err;
	if ((err = check_meta(&v)) == LW_OK &&
	    (err = check_generations(&v)) == LW_OK &&
	    (err = check_lists(&v)) == LW_OK &&
	    (err = check_entries(&v, s->rows, "rows")) == LW_OK &&
	    (err = check_entries(&v, s->list_keys, "list_keys")) == LW_OK &&
	    (err = check_addresses(&v)) == LW_OK &&
	    (err = check_events(&v)) == LW_OK)
		err = lw_verify_folds(s, v.txn, fold_bad, &v, &rep->subjects,
		    &mismatched);
	if (err == LW_OK && mdb_stat(v.txn, s->states, &st) == 0)
		rep->states = st.ms_entries;
	if (err == LW_OK && mdb_stat(v.txn, s->domain_rules, &st) == 0)
		rep->rules = st.ms_entries;
	mdb_txn_abort(v.txn);
	return err;
}
