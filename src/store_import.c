/*
 * store_import.c - staged, all-or-nothing imports
 *
 * NAME
 *	store_import - write a list as a new generation, then publish it
 *
 * DESCRIPTION
 *	An import allocates a generation number G, newer than any, and
 *	records it in generations as staging with the importing process's
 *	pid.  Nothing under G is visible until it is published.
 *
 *	Begin.  Merging into a list at generation O first copies O's rows to
 *	G, keeping their numbers.  G's keys sort after every other
 *	generation's, so the copy appends.
 *
 *	Reading (lw_import_add).  Each valid row gets the next row number in
 *	file order and is appended to G's rows, a batch of rows per write
 *	transaction.  Its (identity key, line, row, address record) goes to
 *	an external sorter; invalid rows go to a temporary file.
 *
 *	Merging (lw_import_commit).  The sorter gives the keys in order, each
 *	key's rows in line order, and O's list keys are walked beside them,
 *	so G's list keys are written in key order (appended) and addresses
 *	are inserted in key order, a chunk of keys per write transaction:
 *
 *	  - the first row of a key new to the list is added where it is;
 *	  - the first row of a key already on the list replaces O's row in
 *	    place (its content moves to O's row number);
 *	  - later rows of a key are duplicates: the first row wins;
 *	  - a key of O that the file lacks stays, as it was.
 *
 *	Then replaced rows move into place, in the order of the rows they
 *	fill; the rejected rows (invalid and duplicate) are handed back in
 *	line order; the staged copies of duplicates and moved rows are
 *	deleted, in row order; and G is published in
 *	one small transaction that points the list at G and marks O garbage,
 *	after checking that no other import published meanwhile.  A failure
 *	or a kill at any point before leaves the list at O; G is an orphan
 *	for lw_store_gc().
 *
 *	Every step that writes runs through lw_store_write() and may be
 *	replayed after the map grows, so each keeps the state it advances
 *	apart ("next") and the caller adopts it only once the transaction
 *	committed.  Memory is bounded whatever the list's size: by the row
 *	batch, the chunks, and the sorters' buffers (the duplicates, moves
 *	and deletions go through sorters of their own and spill to disk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "listwarden/error.h"
#include "sorter.h"
#include "store_int.h"

#define BATCH_ROWS	65536
#define BATCH_BYTES	((size_t)32 << 20)
#define SORT_MEMORY	((size_t)48 << 20)
#define AUX_MEMORY	((size_t)8 << 20)	/* each of the three below */
#define CHUNK		65536	/* keys merged, or entries copied, a txn */
#define ROW_SPAN	131072	/* rows a moving or deleting txn may span */
#define KEY_MAX		(8 + LW_ADDRESS_KEY_MAX)

/* A row waiting in the batch for its append to G's rows. */
struct staged {
	uint64_t row;
	size_t key_off, key_len, raw_off, raw_len;
};

/* A sorted record taken into a merge chunk, copied out of the sorter. */
struct merged {
	size_t key_off, key_len, val_off, val_len;
	uint64_t line, row;
};

struct dup {
	uint64_t line, row;
};

/* A replaced row: the staged row's content goes to the old row's number. */
struct move {
	uint64_t from, to;
};

struct lw_import {
	struct lw_store *s;
	char name[LW_LIST_NAME_MAX + 1];
	uint64_t gen, old_gen;
	int had_list;		/* the list existed: O is superseded */
	int merge;		/* ... and is merged into, not replaced */
	uint64_t created, old_rows;
	uint64_t started;	/* first seen, for the addresses it adds */
	char *header;
	size_t header_len;
	int delimiter, crlf;
	uint64_t next_row;
	lw_import_reject_fn reject;
	void *arg;

	struct staged *batch;		/* rows to append */
	size_t nbatch, batch_cap;
	char *arena;			/* their bytes; and a chunk's */
	size_t arena_len, arena_cap;
	struct lw_sorter *sorter;
	FILE *invalid;			/* line, reason, raw of invalid rows */
	/*
	 * What the merge leaves to do, in sorters so that memory stays
	 * bounded however many there are: duplicates by line (for the
	 * rejects), moves by the row they fill, staged rows to delete by
	 * row.  Each record's key is a big-endian u64.
	 */
	struct lw_sorter *dups, *moves, *drops;
	uint64_t ndups;
	struct lw_buf buf;
	struct lw_import_stats st;
};

/* now - Unix seconds */
static uint64_t
now(void)
{
	return (uint64_t)time(NULL);
}

/* body_len - the length of a CSV line without its CR and LF */
static size_t
body_len(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n;
}

/* put - mdb_put; a failed append (the key is not last) is a plain put */
static int
put(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kn, const void *v,
    size_t vn, unsigned flags)
{
	MDB_val key = { kn, (void *)k }, val = { vn, (void *)v };
	int rc;

	rc = mdb_put(txn, dbi, &key, &val, flags);
	if (rc == MDB_KEYEXIST && (flags & MDB_APPEND))
		rc = mdb_put(txn, dbi, &key, &val, flags & ~MDB_APPEND);
	return lw_store_err(rc);
}

/* gen_key - a list_keys key: generation, then identity key */
static size_t
gen_key(uint8_t *out, uint64_t gen, const char *key, size_t key_len)
{
	lw_key_u64(out, gen);
	memcpy(out + 8, key, key_len);
	return 8 + key_len;
}

/* arena_add - copy n bytes into the arena; returns the offset */
static int
arena_add(struct lw_import *imp, const void *p, size_t n, size_t *off)
{
	size_t cap;
	char *na;

	if (imp->arena_len + n > imp->arena_cap) {
		cap = imp->arena_cap ? imp->arena_cap : 1 << 20;
		while (cap < imp->arena_len + n)
			cap *= 2;
		if ((na = realloc(imp->arena, cap)) == NULL)
			return LW_ENOMEM;
		imp->arena = na;
		imp->arena_cap = cap;
	}
	if (n > 0)
		memcpy(imp->arena + imp->arena_len, p, n);
	*off = imp->arena_len;
	imp->arena_len += n;
	return LW_OK;
}

/* set_gen - write a generations entry */
static int
set_gen(struct lw_store *s, MDB_txn *txn, uint64_t gen, uint8_t state,
    const char *name, struct lw_buf *b)
{
	struct lw_gen_rec g = { .state = state, .pid = (uint32_t)getpid(),
	    .started = now() };
	uint8_t k[8];
	int err;

	strcpy(g.name, name);
	if ((err = lw_gen_encode(b, &g)) != LW_OK)
		return err;
	lw_key_u64(k, gen);
	return put(txn, s->generations, k, 8, b->p, b->len, 0);
}

/* Begin. */

struct begin_txn {
	struct lw_import *imp;
	unsigned flags;
	const char *header;
	size_t header_len;
	/* what the transaction found and allocated */
	int had_list;
	uint64_t gen, old_gen, created, rows;
	int delimiter, crlf;
};

/* begin_fn - look the list up and allocate the new generation */
static int
begin_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct begin_txn *b = arg;
	struct lw_import *imp = b->imp;
	MDB_val k = { strlen(imp->name), imp->name }, v;
	MDB_val nk = { 8, "next_gen" }, nv;
	struct lw_list *l;
	uint8_t next[8];
	int err, rc;

	b->had_list = 0;
	rc = mdb_get(txn, s->lists, &k, &v);
	if (rc == 0) {
		if ((err = lw_list_decode(imp->name, k.mv_size, v.mv_data,
		    v.mv_size, &l)) != LW_OK)
			return err;
		b->had_list = 1;
		b->old_gen = l->gen;
		b->created = l->created;
		b->delimiter = l->delimiter;
		b->crlf = l->crlf;
		b->rows = l->rows;
		err = !(b->flags & LW_IMPORT_REPLACE) &&
		    (l->header_len != b->header_len ||
		    memcmp(l->header, b->header, b->header_len) != 0) ?
		    LW_EHEADER : LW_OK;
		lw_list_free(l);
		if (err != LW_OK)
			return err;
	} else if (rc != MDB_NOTFOUND) {
		return lw_store_err(rc);
	}
	if ((rc = mdb_get(txn, s->meta, &nk, &nv)) != 0)
		return rc == MDB_NOTFOUND ? LW_ECORRUPT : lw_store_err(rc);
	if (nv.mv_size != 8)
		return LW_ECORRUPT;
	b->gen = lw_get_u64(nv.mv_data);
	lw_key_u64(next, b->gen + 1);
	if ((err = put(txn, s->meta, "next_gen", 8, next, 8, 0)) != LW_OK)
		return err;
	return set_gen(s, txn, b->gen, GEN_STAGING, imp->name, &imp->buf);
}

struct copy_txn {
	struct lw_import *imp;
	uint64_t base;			/* the next old row to copy */
	uint64_t next, n, last_row;	/* what the chunk did */
	int done;
};

/* copy_fn - copy up to CHUNK of the old generation's rows to the new */
static int
copy_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct copy_txn *c = arg;
	struct lw_import *imp = c->imp;
	MDB_cursor *cur;
	MDB_val k, v;
	uint8_t start[16], nk[16];
	int rc, err = LW_OK;

	c->n = 0;
	c->done = 0;
	c->next = c->base;
	if ((rc = mdb_cursor_open(txn, s->rows, &cur)) != 0)
		return lw_store_err(rc);
	lw_key_gen_row(start, imp->old_gen, c->base);
	k.mv_data = start;
	k.mv_size = 16;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	    rc == 0 && c->n < CHUNK;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 16 || lw_get_u64(k.mv_data) != imp->old_gen)
			break;
		c->last_row = lw_get_u64((uint8_t *)k.mv_data + 8);
		lw_key_gen_row(nk, imp->gen, c->last_row);
		if ((err = put(txn, s->rows, nk, 16, v.mv_data, v.mv_size,
		    MDB_APPEND)) != LW_OK)
			break;
		c->next = c->last_row + 1;
		c->n++;
	}
	mdb_cursor_close(cur);
	if (err != LW_OK)
		return err;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return lw_store_err(rc);
	c->done = c->n < CHUNK;
	return LW_OK;
}

/* copy_old_rows - the merged list's rows, into the new generation */
static int
copy_old_rows(struct lw_import *imp)
{
	struct copy_txn c = { .imp = imp };
	int err;

	do {
		if ((err = lw_store_write(imp->s, copy_fn, &c)) != LW_OK)
			return err;
		lw_store_shed(imp->s);
		c.base = c.next;
	} while (!c.done);
	imp->next_row = c.base;
	return LW_OK;
}

/* valid_list_name - 1 to 255 octets, no control characters */
static int
valid_list_name(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > LW_LIST_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

/* import_free - release the import's memory */
static void
import_free(struct lw_import *imp)
{
	lw_buf_free(&imp->buf);
	lw_sorter_free(imp->sorter);
	if (imp->invalid != NULL)
		fclose(imp->invalid);
	free(imp->batch);
	free(imp->arena);
	lw_sorter_free(imp->dups);
	lw_sorter_free(imp->moves);
	lw_sorter_free(imp->drops);
	free(imp->header);
	free(imp);
}

/* lw_import_begin - allocate a generation; copy the list when merging */
int
lw_import_begin(struct lw_store *s, const char *name, unsigned flags,
    const char *header, size_t header_len, int delimiter,
    lw_import_reject_fn reject, void *arg, struct lw_import **out)
{
	struct lw_import *imp;
	struct begin_txn b = { .flags = flags, .header = header };
	int err, crlf;

	if (!valid_list_name(name))
		return LW_EINVAL;
	/* The header's own line end says what the list's lines end in. */
	crlf = header_len >= 2 && header[header_len - 2] == '\r' &&
	    header[header_len - 1] == '\n';
	header_len = body_len(header, header_len);
	b.header_len = header_len;
	if ((imp = calloc(1, sizeof(*imp))) == NULL)
		return LW_ENOMEM;
	imp->s = s;
	imp->started = now();
	strcpy(imp->name, name);
	imp->reject = reject;
	imp->arg = arg;
	err = LW_ENOMEM;
	if ((imp->header = malloc(header_len + 1)) == NULL ||
	    lw_sorter_new(&imp->sorter, SORT_MEMORY) != LW_OK ||
	    lw_sorter_new(&imp->dups, AUX_MEMORY) != LW_OK ||
	    lw_sorter_new(&imp->moves, AUX_MEMORY) != LW_OK ||
	    lw_sorter_new(&imp->drops, AUX_MEMORY) != LW_OK ||
	    (err = LW_EIO, imp->invalid = tmpfile()) == NULL) {
		import_free(imp);
		return err;
	}
	memcpy(imp->header, header, header_len);
	imp->header_len = header_len;
	b.imp = imp;
	if ((err = lw_store_write(s, begin_fn, &b)) != LW_OK) {
		import_free(imp);
		return err;
	}
	imp->gen = b.gen;
	imp->had_list = b.had_list;
	imp->old_gen = b.old_gen;
	imp->created = b.had_list ? b.created : now();
	imp->delimiter = delimiter;
	imp->crlf = crlf;
	if (b.had_list && !(flags & LW_IMPORT_REPLACE)) {
		/* A merge keeps the list, its delimiter and its line ends. */
		imp->delimiter = b.delimiter;
		imp->crlf = b.crlf;
		imp->old_rows = b.rows;
		if ((err = copy_old_rows(imp)) != LW_OK) {
			lw_import_abort(imp);
			return err;
		}
	}
	imp->st.rows = imp->old_rows;
	imp->merge = b.had_list && !(flags & LW_IMPORT_REPLACE);
	*out = imp;
	return LW_OK;
}

/* Reading. */

/* append_fn - append the batch's rows to the new generation */
static int
append_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct lw_import *imp = arg;
	const struct staged *r;
	uint8_t k[16];
	size_t i;
	int err;

	for (i = 0; i < imp->nbatch; i++) {
		r = &imp->batch[i];
		lw_key_gen_row(k, imp->gen, r->row);
		if ((err = lw_row_encode(&imp->buf, imp->arena + r->key_off,
		    r->key_len, imp->arena + r->raw_off, r->raw_len)) != 0 ||
		    (err = put(txn, s->rows, k, 16, imp->buf.p, imp->buf.len,
		    MDB_APPEND)) != LW_OK)
			return err;
	}
	return LW_OK;
}

/* flush_rows - write the batch of rows */
static int
flush_rows(struct lw_import *imp)
{
	int err;

	if (imp->nbatch == 0)
		return LW_OK;
	if ((err = lw_store_write(imp->s, append_fn, imp)) != LW_OK)
		return err;
	lw_store_shed(imp->s);
	imp->nbatch = 0;
	imp->arena_len = 0;
	return LW_OK;
}

/* save_invalid - keep an invalid row for the rejects, in line order */
static int
save_invalid(struct lw_import *imp, const struct lw_import_row *row,
    size_t raw_len)
{
	uint64_t line = row->line;
	size_t reason_len = strlen(row->reason);
	uint32_t rl = (uint32_t)reason_len, n = (uint32_t)raw_len;

	if (reason_len > UINT32_MAX || raw_len > UINT32_MAX)
		return LW_ETOOBIG;
	if (fwrite(&line, sizeof(line), 1, imp->invalid) != 1 ||
	    fwrite(&rl, sizeof(rl), 1, imp->invalid) != 1 ||
	    fwrite(&n, sizeof(n), 1, imp->invalid) != 1 ||
	    fwrite(row->reason, 1, rl, imp->invalid) != rl ||
	    fwrite(row->raw, 1, raw_len, imp->invalid) != raw_len)
		return LW_EIO;
	return LW_OK;
}

/*
 * sort_value - what the sorter keeps of an address besides its key: the
 * flags, then the address and the display form only where they differ
 * from the key and the address (rarely: a capital in the local part, an
 * IDN domain).  Small records keep a million rows in one run.
 */
static int
sort_value(struct lw_buf *b, const struct lw_address *a)
{
	size_t al = strlen(a->address), dl = strlen(a->display);
	uint8_t mask = 0;

	if (strcmp(a->address, a->key) != 0)
		mask |= 1;
	if (dl != al || memcmp(a->display, a->address, al) != 0)
		mask |= 2;
	lw_buf_reset(b);
	lw_buf_u8(b, (uint8_t)a->flags);
	lw_buf_u8(b, mask);
	if (mask & 1)
		lw_buf_str(b, a->address, al);
	if (mask & 2)
		lw_buf_str(b, a->display, dl);
	return b->err;
}

/* address_value - the addresses value from a key and its sort value */
static int
address_value(struct lw_import *imp, const char *key, size_t key_len,
    const void *val, size_t val_len)
{
	const char *address = key, *display;
	size_t address_len = key_len, display_len;
	struct lw_rd r;
	unsigned flags, mask;

	lw_rd_init(&r, val, val_len);
	flags = lw_rd_u8(&r);
	mask = lw_rd_u8(&r);
	if (mask & 1)
		address = lw_rd_str(&r, &address_len);
	display = address;
	display_len = address_len;
	if (mask & 2)
		display = lw_rd_str(&r, &display_len);
	if (r.err != LW_OK)
		return r.err;
	return lw_addr_encode(&imp->buf, flags, address, address_len,
	    display, display_len, imp->started);
}

/* lw_import_add - stage one row */
int
lw_import_add(struct lw_import *imp, const struct lw_import_row *row)
{
	struct lw_sorted rec;
	struct staged *r, *nb;
	size_t cap, raw_len = row->raw_len;
	int err;

	/* The row is kept without its line end: export adds the list's. */
	raw_len = body_len(row->raw, raw_len);
	imp->st.read++;
	if (row->addr == NULL) {
		imp->st.invalid++;
		return save_invalid(imp, row, raw_len);
	}
	if (imp->nbatch == imp->batch_cap) {
		cap = imp->batch_cap ? imp->batch_cap * 2 : 1024;
		if ((nb = realloc(imp->batch, cap * sizeof(*nb))) == NULL)
			return LW_ENOMEM;
		imp->batch = nb;
		imp->batch_cap = cap;
	}
	r = &imp->batch[imp->nbatch];
	r->row = imp->next_row;
	r->key_len = strlen(row->addr->key);
	r->raw_len = raw_len;
	if ((err = arena_add(imp, row->addr->key, r->key_len,
	    &r->key_off)) != LW_OK ||
	    (err = arena_add(imp, row->raw, raw_len, &r->raw_off)) != LW_OK ||
	    (err = sort_value(&imp->buf, row->addr)) != LW_OK)
		return err;
	rec.key = row->addr->key;
	rec.key_len = r->key_len;
	rec.line = row->line;
	rec.row = r->row;
	rec.val = imp->buf.p;
	rec.val_len = imp->buf.len;
	if ((err = lw_sorter_add(imp->sorter, &rec)) != LW_OK)
		return err;
	imp->nbatch++;
	imp->next_row++;
	if (imp->nbatch >= BATCH_ROWS || imp->arena_len >= BATCH_BYTES)
		return flush_rows(imp);
	return LW_OK;
}

/* lw_import_stats - the counts so far */
void
lw_import_stats(const struct lw_import *imp, struct lw_import_stats *st)
{
	*st = imp->st;
}

/* Merging. */

struct merge_txn {
	struct lw_import *imp;
	struct merged *recs;		/* the chunk, in key order */
	size_t nrecs;
	int last;			/* the sorter is empty: finish O */
	/* where the walk stands; "base" at the start of the chunk */
	uint8_t base_prev[KEY_MAX], base_old[KEY_MAX];
	size_t base_prev_len, base_old_len;
	int base_old_done;
	/* and after it, adopted once the chunk committed */
	uint8_t prev[KEY_MAX], old[KEY_MAX];
	size_t prev_len, old_len;
	int old_done;
	uint64_t added, replaced, new_addresses;
	struct dup *dups;
	size_t ndups;
	struct move *moves;
	size_t nmoves;
	int more_old;			/* O keys left after a last chunk */
	int replaced_now;
};

/* cmp_bytes - order two byte strings */
static int
cmp_bytes(const void *a, size_t an, const void *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c != 0 ? c : an < bn ? -1 : an > bn;
}

/* key_val - a list_keys value: version, row */
static void
key_val(uint8_t out[9], uint64_t row)
{
	out[0] = LW_VALUE_VERSION;
	lw_key_u64(out + 1, row);
}

/* old_row - the row number in an O list_keys value */
static int
old_row(const MDB_val *v, uint64_t *row)
{
	if (v->mv_size != 9 || ((uint8_t *)v->mv_data)[0] != LW_VALUE_VERSION)
		return LW_ECORRUPT;
	*row = lw_get_u64((uint8_t *)v->mv_data + 1);
	return LW_OK;
}

/*
 * addresses_append - MDB_APPEND when the whole chunk sorts after the last
 * address stored (always, into an empty store), else 0
 *
 * Appending fills pages where ordinary inserts split them half full.
 */
static int
addresses_append(struct lw_store *s, MDB_txn *txn, const struct merge_txn *m,
    unsigned *append)
{
	MDB_cursor *cur;
	MDB_val k, v;
	const struct merged *first = &m->recs[0];
	int rc;

	*append = 0;
	if (m->nrecs == 0)
		return LW_OK;
	if ((rc = mdb_cursor_open(txn, s->addresses, &cur)) != 0)
		return lw_store_err(rc);
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == MDB_NOTFOUND || (rc == 0 && cmp_bytes(k.mv_data, k.mv_size,
	    m->imp->arena + first->key_off, first->key_len) < 0)) {
		*append = MDB_APPEND;
		rc = 0;
	}
	mdb_cursor_close(cur);
	return lw_store_err(rc);
}

/*
 * merge_fn - merge one chunk of sorted keys with O's keys, writing G's
 * keys and the addresses in key order
 */
static int
merge_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct merge_txn *m = arg;
	struct lw_import *imp = m->imp;
	struct merged *r;
	MDB_cursor *cur = NULL;
	MDB_val ok, ov;
	uint8_t k[KEY_MAX], v[9];
	uint64_t orow;
	size_t i, kn = 0, copied = 0;
	unsigned append;
	int rc = MDB_NOTFOUND, err = LW_OK, c;
	const char *key;

	memcpy(m->prev, m->base_prev, m->base_prev_len);
	m->prev_len = m->base_prev_len;
	memcpy(m->old, m->base_old, m->base_old_len);
	m->old_len = m->base_old_len;
	m->old_done = m->base_old_done || !imp->merge;
	m->added = m->replaced = m->new_addresses = 0;
	m->ndups = 0;
	m->nmoves = 0;
	m->more_old = 0;
	m->replaced_now = 0;
	if ((err = addresses_append(s, txn, m, &append)) != LW_OK)
		return err;

	if (!m->old_done) {
		if ((rc = mdb_cursor_open(txn, s->list_keys, &cur)) != 0)
			return lw_store_err(rc);
		if (m->old_len == 0) {
			lw_key_u64(k, imp->old_gen);
			ok.mv_size = 8;
		} else {
			kn = gen_key(k, imp->old_gen, (char *)m->old,
			    m->old_len);
			ok.mv_size = kn;
		}
		ok.mv_data = k;
		rc = mdb_cursor_get(cur, &ok, &ov, MDB_SET_RANGE);
		if (rc == 0 && m->old_len != 0 && ok.mv_size == kn &&
		    memcmp(ok.mv_data, k, kn) == 0)
			rc = mdb_cursor_get(cur, &ok, &ov, MDB_NEXT);
	}
#define OLD_VALID (rc == 0 && ok.mv_size >= 8 && \
	    lw_get_u64(ok.mv_data) == imp->old_gen)
#define OLD_KEY ((const char *)ok.mv_data + 8)
#define OLD_LEN (ok.mv_size - 8)

	for (i = 0; i < m->nrecs && err == LW_OK; i++) {
		r = &m->recs[i];
		key = imp->arena + r->key_off;
		if (m->prev_len == r->key_len &&
		    memcmp(m->prev, key, r->key_len) == 0) {
			m->dups[m->ndups].line = r->line;
			m->dups[m->ndups++].row = r->row;
			continue;
		}
		memcpy(m->prev, key, r->key_len);
		m->prev_len = r->key_len;
		/* O's keys before this one stay on the list. */
		c = 1;
		while (!m->old_done && OLD_VALID &&
		    (c = cmp_bytes(OLD_KEY, OLD_LEN, key, r->key_len)) < 0) {
			if ((err = old_row(&ov, &orow)) != LW_OK)
				break;
			kn = gen_key(k, imp->gen, OLD_KEY, OLD_LEN);
			key_val(v, orow);
			if ((err = put(txn, s->list_keys, k, kn, v, 9,
			    MDB_APPEND)) != LW_OK)
				break;
			memcpy(m->old, OLD_KEY, OLD_LEN);
			m->old_len = OLD_LEN;
			rc = mdb_cursor_get(cur, &ok, &ov, MDB_NEXT);
		}
		if (err != LW_OK)
			break;
		if (!m->old_done && !OLD_VALID)
			m->old_done = 1;
		kn = gen_key(k, imp->gen, key, r->key_len);
		if (!m->old_done && c == 0) {
			/* On the list already: the row replaces O's. */
			if ((err = old_row(&ov, &orow)) != LW_OK)
				break;
			m->moves[m->nmoves].from = r->row;
			m->moves[m->nmoves++].to = orow;
			key_val(v, orow);
			m->replaced++;
			m->replaced_now = 1;
			memcpy(m->old, OLD_KEY, OLD_LEN);
			m->old_len = OLD_LEN;
			rc = mdb_cursor_get(cur, &ok, &ov, MDB_NEXT);
			if (!OLD_VALID)
				m->old_done = 1;
		} else {
			key_val(v, r->row);
			m->added++;
		}
		if ((err = put(txn, s->list_keys, k, kn, v, 9, MDB_APPEND)) !=
		    LW_OK)
			break;
		if (m->replaced_now) {
			m->replaced_now = 0;
			continue;	/* its address has its record */
		}
		if ((err = address_value(imp, key, r->key_len, imp->arena +
		    r->val_off, r->val_len)) != LW_OK)
			break;
		err = put(txn, s->addresses, key, r->key_len, imp->buf.p,
		    imp->buf.len, MDB_NOOVERWRITE | append);
		if (err == LW_OK)
			m->new_addresses++;
		else if (err == LW_EEXIST)
			err = LW_OK;
	}
	/* After the last key of the file, the rest of O, a chunk a time. */
	while (err == LW_OK && m->last && !m->old_done && OLD_VALID) {
		if (copied == CHUNK) {
			m->more_old = 1;
			break;
		}
		if ((err = old_row(&ov, &orow)) != LW_OK)
			break;
		kn = gen_key(k, imp->gen, OLD_KEY, OLD_LEN);
		key_val(v, orow);
		if ((err = put(txn, s->list_keys, k, kn, v, 9, MDB_APPEND)) !=
		    LW_OK)
			break;
		memcpy(m->old, OLD_KEY, OLD_LEN);
		m->old_len = OLD_LEN;
		copied++;
		rc = mdb_cursor_get(cur, &ok, &ov, MDB_NEXT);
	}
	if (err == LW_OK && !m->old_done && !m->more_old && m->last)
		m->old_done = 1;
#undef OLD_VALID
#undef OLD_KEY
#undef OLD_LEN
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (err == LW_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = lw_store_err(rc);
	return err;
}

/* take_chunk - up to CHUNK sorted records, copied into the arena */
static int
take_chunk(struct lw_import *imp, struct merge_txn *m, size_t cap)
{
	struct lw_sorted rec;
	struct merged *r;
	int got = 0, err;

	m->nrecs = 0;
	imp->arena_len = 0;
	while (m->nrecs < cap && (got = lw_sorter_next(imp->sorter, &rec)) > 0) {
		r = &m->recs[m->nrecs++];
		r->key_len = rec.key_len;
		r->val_len = rec.val_len;
		r->line = rec.line;
		r->row = rec.row;
		if ((err = arena_add(imp, rec.key, rec.key_len,
		    &r->key_off)) != LW_OK ||
		    (err = arena_add(imp, rec.val, rec.val_len,
		    &r->val_off)) != LW_OK)
			return err;
	}
	if (got < 0)
		return got;
	m->last = m->nrecs < cap;
	return LW_OK;
}

/* aux_add - a record keyed by a big-endian u64 into an auxiliary sorter */
static int
aux_add(struct lw_sorter *so, uint64_t key, uint64_t line, uint64_t row)
{
	uint8_t k[8];
	struct lw_sorted rec = { .key = (const char *)k, .key_len = 8,
	    .line = line, .row = row };

	lw_key_u64(k, key);
	return lw_sorter_add(so, &rec);
}

/* keep_chunk - adopt a committed chunk's duplicates and moves */
static int
keep_chunk(struct lw_import *imp, const struct merge_txn *m)
{
	size_t i;
	int err = LW_OK;

	for (i = 0; i < m->ndups && err == LW_OK; i++)
		if ((err = aux_add(imp->dups, m->dups[i].line, m->dups[i].line,
		    m->dups[i].row)) == LW_OK)
			err = aux_add(imp->drops, m->dups[i].row, 0, 0);
	for (i = 0; i < m->nmoves && err == LW_OK; i++)
		if ((err = aux_add(imp->moves, m->moves[i].to, 0,
		    m->moves[i].from)) == LW_OK)
			err = aux_add(imp->drops, m->moves[i].from, 0, 0);
	imp->ndups += m->ndups;
	return err;
}

/* merge - the whole merge, chunk by chunk */
static int
merge(struct lw_import *imp)
{
	struct merge_txn *m;
	int err;

	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->recs = calloc(CHUNK, sizeof(*m->recs))) == NULL ||
	    (m->dups = calloc(CHUNK, sizeof(*m->dups))) == NULL ||
	    (m->moves = calloc(CHUNK, sizeof(*m->moves))) == NULL) {
		if (m != NULL) {
			free(m->recs);
			free(m->dups);
		}
		free(m);
		return LW_ENOMEM;
	}
	m->imp = imp;
	m->base_old_done = !imp->merge;
	do {
		if (!m->more_old && (err = take_chunk(imp, m, CHUNK)) != 0)
			break;
		if (m->more_old)
			m->nrecs = 0;
		if ((err = lw_store_write(imp->s, merge_fn, m)) != LW_OK ||
		    (err = keep_chunk(imp, m)) != LW_OK)
			break;
		lw_store_shed(imp->s);
		memcpy(m->base_prev, m->prev, m->prev_len);
		m->base_prev_len = m->prev_len;
		memcpy(m->base_old, m->old, m->old_len);
		m->base_old_len = m->old_len;
		m->base_old_done = m->old_done;
		imp->st.added += m->added;
		imp->st.replaced += m->replaced;
		imp->st.new_addresses += m->new_addresses;
	} while (!m->last || m->more_old);
	imp->arena_len = 0;
	free(m->recs);
	free(m->dups);
	free(m->moves);
	free(m);
	return err;
}

/* Rejects. */

struct invalid_rec {
	uint64_t line;
	char *reason;		/* reason, NUL, then the raw row */
	char *raw;
	size_t raw_len, cap;
	int valid;
};

/* next_invalid - read the next saved invalid row */
static int
next_invalid(FILE *fp, struct invalid_rec *r)
{
	uint32_t rl, n;
	char *nr;

	r->valid = 0;
	if (fread(&r->line, sizeof(r->line), 1, fp) != 1)
		return ferror(fp) ? LW_EIO : LW_OK;
	if (fread(&rl, sizeof(rl), 1, fp) != 1 ||
	    fread(&n, sizeof(n), 1, fp) != 1)
		return LW_EIO;
	if ((size_t)rl + 1 + n > r->cap) {
		if ((nr = realloc(r->reason, (size_t)rl + 1 + n)) == NULL)
			return LW_ENOMEM;
		r->reason = nr;
		r->cap = (size_t)rl + 1 + n;
	}
	if (fread(r->reason, 1, rl, fp) != rl)
		return LW_EIO;
	r->reason[rl] = '\0';
	r->raw = r->reason + rl + 1;
	if (n > 0 && fread(r->raw, 1, n, fp) != n)
		return LW_EIO;
	r->raw_len = n;
	r->valid = 1;
	return LW_OK;
}

/* report_rejects - invalid and duplicate rows, merged in line order */
static int
report_rejects(struct lw_import *imp)
{
	struct invalid_rec inv = { 0 };
	struct lw_sorted dup;
	MDB_txn *txn = NULL;
	MDB_val k, v;
	uint8_t key[16];
	const char *rk, *raw;
	size_t rkn, raw_len;
	uint64_t n = 0;
	int err, rc, have_dup;

	if (imp->reject == NULL)
		return LW_OK;
	rewind(imp->invalid);
	if ((err = next_invalid(imp->invalid, &inv)) != LW_OK ||
	    (err = lw_sorter_finish(imp->dups)) != LW_OK ||
	    (have_dup = lw_sorter_next(imp->dups, &dup)) < 0)
		goto out;
	if (have_dup && (err = lw_store_read_begin(imp->s, &txn)) != 0)
		goto out;
	while (err == 0 && (inv.valid || have_dup > 0)) {
		if (inv.valid && (!have_dup || inv.line < dup.line)) {
			err = imp->reject(imp->arg, inv.line, inv.raw,
			    inv.raw_len, inv.reason);
			if (err == 0)
				err = next_invalid(imp->invalid, &inv);
			continue;
		}
		lw_key_gen_row(key, imp->gen, dup.row);
		k.mv_data = key;
		k.mv_size = 16;
		if ((rc = mdb_get(txn, imp->s->rows, &k, &v)) != 0) {
			err = lw_store_err(rc);
			break;
		}
		if ((err = lw_row_decode(v.mv_data, v.mv_size, &rk, &rkn,
		    &raw, &raw_len)) == LW_OK)
			err = imp->reject(imp->arg, dup.line, raw, raw_len,
			    "duplicate");
		if (err == 0 && (have_dup = lw_sorter_next(imp->dups,
		    &dup)) < 0)
			err = have_dup;
		if ((++n & 0xffff) == 0)
			lw_store_shed(imp->s);
	}
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	free(inv.reason);
	return err;
}

struct rows_txn {
	struct lw_import *imp;
	int moving;			/* moves, else deletions */
	uint64_t row[CHUNK];		/* the row filled, or deleted */
	uint64_t from[CHUNK];		/* moves: the staged row moved */
	size_t n;
};

/*
 * rows_fn - a chunk of moves (the staged row's content to the row it
 * replaces) or of deletions, in row order so the tree is walked once
 */
static int
rows_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct rows_txn *t = arg;
	struct lw_import *imp = t->imp;
	uint8_t fk[16], tk[16];
	MDB_val k = { 16, fk }, v;
	size_t i;
	int rc, err;

	for (i = 0; i < t->n; i++) {
		if (!t->moving) {
			lw_key_gen_row(fk, imp->gen, t->row[i]);
			rc = mdb_del(txn, s->rows, &k, NULL);
			if (rc != 0 && rc != MDB_NOTFOUND)
				return lw_store_err(rc);
			continue;
		}
		lw_key_gen_row(fk, imp->gen, t->from[i]);
		lw_key_gen_row(tk, imp->gen, t->row[i]);
		if ((rc = mdb_get(txn, s->rows, &k, &v)) != 0)
			return rc == MDB_NOTFOUND ? LW_ECORRUPT :
			    lw_store_err(rc);
		lw_buf_reset(&imp->buf);
		lw_buf_raw(&imp->buf, v.mv_data, v.mv_size);	/* off the map */
		if (imp->buf.err != LW_OK)
			return imp->buf.err;
		if ((err = put(txn, s->rows, tk, 16, imp->buf.p, imp->buf.len,
		    0)) != LW_OK)
			return err;
	}
	return LW_OK;
}

/*
 * rows_run - the moves or the deletions of a sorter, a chunk of rows a
 * transaction; a chunk spans at most ROW_SPAN rows, so each leaf page is
 * copied once and a transaction's dirty pages stay few
 */
static int
rows_run(struct lw_import *imp, struct lw_sorter *so, int moving)
{
	struct rows_txn *t;
	struct lw_sorted rec;
	uint64_t row, pend_row = 0, pend_from = 0;
	int got = 0, err = LW_OK, pending = 0;

	if ((err = lw_sorter_finish(so)) != LW_OK)
		return err;
	if ((t = malloc(sizeof(*t))) == NULL)
		return LW_ENOMEM;
	t->imp = imp;
	t->moving = moving;
	for (;;) {
		t->n = 0;
		if (pending) {
			t->row[0] = pend_row;
			t->from[0] = pend_from;
			t->n = 1;
			pending = 0;
		}
		while (t->n < CHUNK && (got = lw_sorter_next(so, &rec)) > 0) {
			row = lw_get_u64((const uint8_t *)rec.key);
			if (t->n > 0 && row - t->row[0] >= ROW_SPAN) {
				pend_row = row;
				pend_from = rec.row;
				pending = 1;
				break;
			}
			t->row[t->n] = row;
			t->from[t->n++] = rec.row;
		}
		if (got < 0) {
			err = got;
			break;
		}
		if (t->n == 0)
			break;
		if ((err = lw_store_write(imp->s, rows_fn, t)) != LW_OK)
			break;
		lw_store_shed(imp->s);
	}
	free(t);
	return err;
}

/* Publishing. */

struct publish_txn {
	struct lw_import *imp;
	uint64_t when;
};

/* publish_fn - point the list at the new generation, if nobody else did */
static int
publish_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct publish_txn *p = arg;
	struct lw_import *imp = p->imp;
	struct lw_list l = { .gen = imp->gen, .rows = imp->st.rows,
	    .created = imp->created, .updated = p->when,
	    .delimiter = imp->delimiter, .crlf = imp->crlf,
	    .header = imp->header, .header_len = imp->header_len };
	MDB_val k = { strlen(imp->name), imp->name }, v;
	struct lw_list *cur;
	int err, rc;

	rc = mdb_get(txn, s->lists, &k, &v);
	if (rc == 0) {
		if ((err = lw_list_decode(imp->name, k.mv_size, v.mv_data,
		    v.mv_size, &cur)) != LW_OK)
			return err;
		err = !imp->had_list || cur->gen != imp->old_gen ?
		    LW_ECONFLICT : LW_OK;
		lw_list_free(cur);
		if (err != LW_OK)
			return err;
	} else if (rc != MDB_NOTFOUND) {
		return lw_store_err(rc);
	} else if (imp->had_list) {
		return LW_ECONFLICT;
	}
	if ((err = lw_list_encode(&imp->buf, &l)) != LW_OK ||
	    (err = put(txn, s->lists, imp->name, k.mv_size, imp->buf.p,
	    imp->buf.len, 0)) != LW_OK ||
	    (err = set_gen(s, txn, imp->gen, GEN_LIVE, imp->name,
	    &imp->buf)) != LW_OK)
		return err;
	if (imp->had_list)
		return set_gen(s, txn, imp->old_gen, GEN_GARBAGE, imp->name,
		    &imp->buf);
	return LW_OK;
}

/* lw_import_commit - merge, report rejects, publish; frees imp */
int
lw_import_commit(struct lw_import *imp, struct lw_import_stats *st)
{
	struct publish_txn p = { .imp = imp, .when = now() };
	int err;

	if ((err = flush_rows(imp)) != LW_OK ||
	    (err = lw_sorter_finish(imp->sorter)) != LW_OK ||
	    (err = merge(imp)) != LW_OK)
		goto fail;
	imp->st.duplicates = imp->ndups;
	imp->st.accepted = imp->st.added + imp->st.replaced;
	imp->st.rows = imp->old_rows + imp->st.added;
	if ((err = rows_run(imp, imp->moves, 1)) != LW_OK ||
	    (err = report_rejects(imp)) != LW_OK ||
	    (err = rows_run(imp, imp->drops, 0)) != LW_OK ||
	    (err = lw_store_write(imp->s, publish_fn, &p)) != LW_OK)
		goto fail;
	if (st != NULL)
		*st = imp->st;
	/* The old generation is garbage now; a failure here is retried later. */
	(void)lw_store_gc(imp->s);
	import_free(imp);
	return LW_OK;
fail:
	lw_import_abort(imp);
	return err;
}

/* lw_import_abort - drop the import and its staged generation */
void
lw_import_abort(struct lw_import *imp)
{
	if (imp == NULL)
		return;
	if (imp->gen != 0)
		(void)lw_store_drop_gen(imp->s, imp->gen);
	import_free(imp);
}
