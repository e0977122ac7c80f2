/*
 * store_gc.c - delete generations nobody will read again
 *
 * NAME
 *	store_gc - superseded and orphaned generations, a chunk at a time
 *
 * DESCRIPTION
 *	A generation is garbage once an import replaced it, or when it is
 *	staging and the process that staged it is gone (killed, crashed).
 *	lw_store_gc() runs when a writer opens the store and after each
 *	import; it deletes such a generation's rows and keys CHUNK entries
 *	per write transaction, so it never holds the writer lock for long,
 *	and forgets the generation last.  Interrupted, it resumes next time.
 *
 *	A pid can be reused: an orphan whose pid now belongs to another
 *	process is kept until that process ends.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden/error.h"
#include "store_int.h"

#define CHUNK		100000	/* entries deleted per transaction */

/* pid_alive - whether the process that staged a generation still runs */
static int
pid_alive(uint32_t pid)
{
	if (pid == 0)
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

struct gc_chunk {
	MDB_dbi dbi;
	uint64_t gen;
	int done;
};

/* delete_chunk - delete up to CHUNK entries of one generation in dbi */
static int
delete_chunk(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct gc_chunk *c = arg;
	MDB_cursor *cur;
	MDB_val k, v;
	uint8_t prefix[8];
	int rc, n = 0;
	MDB_cursor_op op = MDB_SET_RANGE;

	(void)s;
	c->done = 0;
	if ((rc = mdb_cursor_open(txn, c->dbi, &cur)) != 0)
		return lw_store_err(rc);
	lw_key_u64(prefix, c->gen);
	k.mv_data = prefix;
	k.mv_size = 8;
	while (n < CHUNK && (rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
		op = MDB_NEXT;	/* after a delete, the next entry */
		if (k.mv_size < 8 || memcmp(k.mv_data, prefix, 8) != 0)
			break;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
		n++;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return lw_store_err(rc);
	c->done = n < CHUNK;
	return LW_OK;
}

/* forget_gen - delete the generations entry itself */
static int
forget_gen(struct lw_store *s, MDB_txn *txn, void *arg)
{
	uint8_t k[8];
	MDB_val key = { 8, k };
	int rc;

	lw_key_u64(k, *(uint64_t *)arg);
	rc = mdb_del(txn, s->generations, &key, NULL);
	return rc == MDB_NOTFOUND ? LW_OK : lw_store_err(rc);
}

/* lw_store_drop_gen - delete every row and key of a generation, then it */
int
lw_store_drop_gen(struct lw_store *s, uint64_t gen)
{
	MDB_dbi dbis[2] = { s->rows, s->list_keys };
	struct gc_chunk c;
	int i, err;

	for (i = 0; i < 2; i++) {
		c.dbi = dbis[i];
		c.gen = gen;
		do {
			if ((err = lw_store_write(s, delete_chunk, &c)) != 0)
				return err;
			lw_store_shed(s);
		} while (!c.done);
	}
	return lw_store_write(s, forget_gen, &gen);
}

/* lw_store_gc - delete garbage generations and orphaned staging ones */
int
lw_store_gc(struct lw_store *s)
{
	MDB_txn *txn;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	struct lw_gen_rec g;
	uint64_t *gens = NULL, *ng;
	size_t n = 0, cap = 0, i;
	int err = LW_OK, rc;

	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	if ((rc = mdb_cursor_open(txn, s->generations, &cur)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		if (k.mv_size != 8 ||
		    (err = lw_gen_decode(v.mv_data, v.mv_size, &g)) != LW_OK) {
			err = LW_ECORRUPT;
			goto out;
		}
		if (g.state == GEN_LIVE ||
		    (g.state == GEN_STAGING && pid_alive(g.pid)))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((ng = realloc(gens, cap * sizeof(*gens))) == NULL) {
				err = LW_ENOMEM;
				goto out;
			}
			gens = ng;
		}
		gens[n++] = lw_get_u64(k.mv_data);
	}
	if (rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
out:
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	for (i = 0; err == LW_OK && i < n; i++)
		err = lw_store_drop_gen(s, gens[i]);
	free(gens);
	return err;
}

