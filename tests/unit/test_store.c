/*
 * test_store.c - unit tests of the LMDB store
 *
 * NAME
 *	test_store - encoding, opening, the schema gate, migrations, map
 *	growth, imports, staging cleanup and damaged records
 *
 * DESCRIPTION
 *	Each test runs in a fresh directory under /tmp (made by mkdtemp in
 *	the setup and removed with everything in it by the teardown), and
 *	each case of a table gets stores of its own there.  Case rows carry
 *	a description that a failure prints, errors first.
 *
 *	The tests reach the store's internals through store_int.h: the
 *	codec, lw_store_write() to plant or damage records, the database
 *	handles to walk generations, rows and list_keys, and lw_migrate_run()
 *	with migration tables of their own.  Dead importers are real
 *	processes: a child begins an import and _exit()s without committing,
 *	so its pid is truly gone when the parent reopens the store.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <lmdb.h>

#include "listwarden.h"
#include "store_int.h"

/* The real first migration, for tables of our own. */
int lw_migration_0001_initial(struct lw_store *s, MDB_txn *txn);

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* List names of 255 and 256 octets. */
#define A16	"aaaaaaaaaaaaaaaa"
#define A64	A16 A16 A16 A16
#define A240	A64 A64 A64 A16 A16 A16
#define A255	A240 "aaaaaaaaaaaaaaa"
#define A256	A240 A16

/* Fixture. */

struct fx {
	char dir[64];
	char path[256];
	struct lw_address_ctx *ctx;
};

/* fx_setup - a fresh temporary directory and an address context */
static int
fx_setup(void **state)
{
	struct fx *fx;

	if ((fx = calloc(1, sizeof(*fx))) == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/lw-test-store-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	if (lw_address_ctx_new(&fx->ctx, 0) != LW_OK) {
		rmdir(fx->dir);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

/* rm_entry - nftw callback: remove one file or (emptied) directory */
static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* fx_teardown - remove the directory and all in it */
static int
fx_teardown(void **state)
{
	struct fx *fx = *state;
	int rc;

	rc = nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	lw_address_ctx_free(fx->ctx);
	free(fx);
	return rc == 0 ? 0 : -1;
}

/* fx_path - DIR/NAMEn, in the fixture's buffer (valid until the next) */
static const char *
fx_path(struct fx *fx, const char *name, size_t n)
{
	snprintf(fx->path, sizeof(fx->path), "%s/%s%zu", fx->dir, name, n);
	return fx->path;
}

/* Failures that name their case. */

/* expect_err - got is the lw_err wanted, or the case fails by name */
static void
expect_err(const char *desc, const char *what, int got, int want)
{
	if (got != want) {
		print_error("case '%s': %s returned %d (%s), "
		    "expected %d (%s)\n", desc, what, got, lw_strerror(got),
		    want, lw_strerror(want));
		fail();
	}
}

/* expect_u64 - got is the number wanted */
static void
expect_u64(const char *desc, const char *what, uint64_t got, uint64_t want)
{
	if (got != want) {
		print_error("case '%s': %s is %llu, expected %llu\n", desc,
		    what, (unsigned long long)got, (unsigned long long)want);
		fail();
	}
}

/* expect_str - got is the text wanted */
static void
expect_str(const char *desc, const char *what, const char *got,
    const char *want)
{
	if (strcmp(got, want) != 0) {
		print_error("case '%s': %s is\n---\n%s---\n"
		    "expected\n---\n%s---\n", desc, what, got, want);
		fail();
	}
}

/* Stores. */

/* open_ok - open a store that must open */
static struct lw_store *
open_ok(const char *path, unsigned flags)
{
	struct lw_store *s = NULL;

	assert_int_equal(lw_store_open(&s, path, flags, 0), LW_OK);
	assert_non_null(s);
	return s;
}

struct raw_op {
	MDB_dbi dbi;
	const void *k, *v;
	size_t kn, vn;
	int del;
};

/* raw_fn - one put or delete, under lw_store_write() */
static int
raw_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct raw_op *op = arg;
	MDB_val k = { op->kn, (void *)op->k }, v = { op->vn, (void *)op->v };

	(void)s;
	if (op->del)
		return lw_store_err(mdb_del(txn, op->dbi, &k, NULL));
	return lw_store_err(mdb_put(txn, op->dbi, &k, &v, 0));
}

/* raw_put - write one record as is */
static int
raw_put(struct lw_store *s, MDB_dbi dbi, const void *k, size_t kn,
    const void *v, size_t vn)
{
	struct raw_op op = { dbi, k, v, kn, vn, 0 };

	return lw_store_write(s, raw_fn, &op);
}

/* raw_del - delete one record */
static int
raw_del(struct lw_store *s, MDB_dbi dbi, const void *k, size_t kn)
{
	struct raw_op op = { dbi, k, NULL, kn, 0, 1 };

	return lw_store_write(s, raw_fn, &op);
}

/* set_schema_fn - record a schema version, under lw_store_write() */
static int
set_schema_fn(struct lw_store *s, MDB_txn *txn, void *arg)
{
	return lw_meta_set_schema(s, txn, *(const unsigned *)arg);
}

/* count_gen - entries of dbi whose key starts with gen */
static size_t
count_gen(struct lw_store *s, MDB_dbi dbi, uint64_t gen)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	uint8_t prefix[8];
	size_t n = 0;
	int rc;

	assert_int_equal(lw_store_read_begin(s, &txn), LW_OK);
	assert_int_equal(mdb_cursor_open(txn, dbi, &cur), 0);
	lw_key_u64(prefix, gen);
	k.mv_data = prefix;
	k.mv_size = 8;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < 8 || memcmp(k.mv_data, prefix, 8) != 0)
			break;
		n++;
	}
	assert_int_equal(rc == 0 || rc == MDB_NOTFOUND, 1);
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return n;
}

struct gen_ent {
	uint64_t gen;
	struct lw_gen_rec rec;
};

/* walk_gens - the generations database, in order; returns the count */
static size_t
walk_gens(struct lw_store *s, struct gen_ent *out, size_t max)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0;
	int rc;

	assert_int_equal(lw_store_read_begin(s, &txn), LW_OK);
	assert_int_equal(mdb_cursor_open(txn, s->generations, &cur), 0);
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		assert_int_equal(k.mv_size, 8);
		assert_true(n < max);
		out[n].gen = lw_get_u64(k.mv_data);
		assert_int_equal(lw_gen_decode(v.mv_data, v.mv_size,
		    &out[n].rec), LW_OK);
		n++;
	}
	assert_int_equal(rc, MDB_NOTFOUND);
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return n;
}

struct live_check {
	uint64_t gen[16];
	char name[16][LW_LIST_NAME_MAX + 1];
	size_t n;
};

/* live_fn - note each list's generation (no nested read transaction) */
static int
live_fn(void *arg, const struct lw_list *l)
{
	struct live_check *lc = arg;

	assert_true(lc->n < NELEM(lc->gen));
	lc->gen[lc->n] = l->gen;
	strcpy(lc->name[lc->n++], l->name);
	return 0;
}

/*
 * expect_only_live - the generations database holds exactly one live
 * generation per list, named for it, and nothing else
 */
static void
expect_only_live(struct lw_store *s, const char *desc)
{
	struct live_check lc = { .n = 0 };
	struct gen_ent g[16];
	size_t i, j, n;

	assert_int_equal(lw_store_lists(s, live_fn, &lc), LW_OK);
	n = walk_gens(s, g, NELEM(g));
	for (i = 0; i < n; i++)
		if (g[i].rec.state != GEN_LIVE) {
			print_error("case '%s': generation %llu of '%s' is in "
			    "state %u, expected only live ones\n", desc,
			    (unsigned long long)g[i].gen, g[i].rec.name,
			    g[i].rec.state);
			fail();
		}
	for (i = 0; i < lc.n; i++) {
		for (j = 0; j < n && g[j].gen != lc.gen[i]; j++)
			;
		if (j == n || strcmp(g[j].rec.name, lc.name[i]) != 0) {
			print_error("case '%s': list '%s' at generation %llu "
			    "has no live generation record\n", desc,
			    lc.name[i], (unsigned long long)lc.gen[i]);
			fail();
		}
	}
	expect_u64(desc, "number of generations", n, lc.n);
}

/* Imports. */

struct rejects {
	char buf[2048];
	size_t len;
	int stop;		/* what each call returns */
};

/* on_reject - record "line:reason:raw" lines */
static int
on_reject(void *arg, unsigned long line, const char *raw, size_t raw_len,
    const char *reason)
{
	struct rejects *rj = arg;
	size_t room = sizeof(rj->buf) - rj->len;
	int n;

	n = snprintf(rj->buf + rj->len, room, "%lu:%s:%.*s\n", line, reason,
	    (int)raw_len, raw);
	assert_true(n > 0 && (size_t)n < room);
	rj->len += (size_t)n;
	return rj->stop;
}

/* add_row - parse the first field of text and queue the row */
static int
add_row(struct fx *fx, struct lw_import *imp, unsigned long line,
    const char *text, int delim)
{
	struct lw_address a;
	struct lw_import_row row;
	const char *end = strchr(text, delim);
	size_t alen = end ? (size_t)(end - text) : strcspn(text, "\r\n");
	int err;

	if ((err = lw_address_parse(fx->ctx, text, alen, &a)) != LW_OK)
		return err;
	row.line = line;
	row.raw = text;
	row.raw_len = strlen(text);
	row.addr = a.reason == LW_REASON_NONE ? &a : NULL;
	row.reason = lw_address_reason_name(a.reason);
	return lw_import_add(imp, &row);
}

/* import_rows - begin, add rows (lines 2, 3 ...), commit */
static int
import_rows(struct fx *fx, struct lw_store *s, const char *name,
    unsigned flags, const char *header, int delim, const char *const *rows,
    size_t nrows, struct rejects *rj, struct lw_import_stats *st)
{
	struct lw_import *imp;
	size_t i;
	int err;

	if ((err = lw_import_begin(s, name, flags, header, strlen(header),
	    delim, on_reject, rj, &imp)) != LW_OK)
		return err;
	for (i = 0; i < nrows && rows[i] != NULL; i++)
		if ((err = add_row(fx, imp, i + 2, rows[i], delim)) != LW_OK) {
			lw_import_abort(imp);
			return err;
		}
	return lw_import_commit(imp, st);
}

struct dump {
	char buf[4096];
	size_t len;
	int list_calls;		/* calls with key NULL */
	int misordered;		/* a row before the list call */
	uint64_t rows;		/* the list's count */
	size_t nrows;		/* rows seen */
	int crlf, delimiter;
	char header[128];
};

/* dump_fn - "key|raw" lines, after one call with the list */
static int
dump_fn(void *arg, const struct lw_list *l, const char *key, size_t key_len,
    const char *raw, size_t raw_len)
{
	struct dump *d = arg;
	size_t room = sizeof(d->buf) - d->len;
	int n;

	if (key == NULL) {
		if (d->list_calls++ != 0 || d->nrows != 0)
			d->misordered = 1;
		d->rows = l->rows;
		d->crlf = l->crlf;
		d->delimiter = l->delimiter;
		snprintf(d->header, sizeof(d->header), "%.*s",
		    (int)l->header_len, l->header);
		return 0;
	}
	if (d->list_calls == 0)
		d->misordered = 1;
	d->nrows++;
	n = snprintf(d->buf + d->len, room, "%.*s|%.*s\n", (int)key_len, key,
	    (int)raw_len, raw);
	assert_true(n > 0 && (size_t)n < room);
	d->len += (size_t)n;
	return 0;
}

/* dump_list - lw_store_rows into d, checking what every walk must give */
static int
dump_list(struct lw_store *s, const char *name, struct dump *d,
    const char *desc)
{
	int err;

	memset(d, 0, sizeof(*d));
	if ((err = lw_store_rows(s, name, dump_fn, d)) != LW_OK)
		return err;
	if (d->list_calls != 1 || d->misordered) {
		print_error("case '%s': the list came %d times, %s\n", desc,
		    d->list_calls, d->misordered ? "not first" : "first");
		fail();
	}
	expect_u64(desc, "the list's row count", d->rows, d->nrows);
	return LW_OK;
}

/* ==== 1. Encoding ==== */

struct int_case {
	const char *desc;
	int width;		/* octets */
	uint64_t v;
	uint8_t bytes[8];
};

static const struct int_case int_cases[] = {
	{ "u8 zero", 1, 0, { 0 } },
	{ "u8 max", 1, 0xff, { 0xff } },
	{ "u16 is big-endian", 2, 0x0102, { 0x01, 0x02 } },
	{ "u16 max", 2, 0xffff, { 0xff, 0xff } },
	{ "u32 is big-endian", 4, 0x01020304, { 1, 2, 3, 4 } },
	{ "u32 max", 4, 0xffffffff, { 0xff, 0xff, 0xff, 0xff } },
	{ "u64 zero", 8, 0, { 0 } },
	{ "u64 is big-endian", 8, 0x0102030405060708ULL,
	    { 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ "u64 high bit", 8, 0x8000000000000001ULL,
	    { 0x80, 0, 0, 0, 0, 0, 0, 1 } },
	{ "u64 max", 8, UINT64_MAX,
	    { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
};

/* put_int - lw_buf_uN by width */
static void
put_int(struct lw_buf *b, int width, uint64_t v)
{
	switch (width) {
	case 1: lw_buf_u8(b, (uint8_t)v); break;
	case 2: lw_buf_u16(b, (uint16_t)v); break;
	case 4: lw_buf_u32(b, (uint32_t)v); break;
	default: lw_buf_u64(b, v); break;
	}
}

/* get_int - lw_rd_uN by width */
static uint64_t
get_int(struct lw_rd *r, int width)
{
	switch (width) {
	case 1: return lw_rd_u8(r);
	case 2: return lw_rd_u16(r);
	case 4: return lw_rd_u32(r);
	default: return lw_rd_u64(r);
	}
}

/* test_integers - exact bytes, round trip, short input is an error */
static void
test_integers(void **state)
{
	struct lw_buf b = { 0 };
	struct lw_rd r;
	size_t i;
	uint8_t *copy;

	(void)state;
	for (i = 0; i < NELEM(int_cases); i++) {
		const struct int_case *c = &int_cases[i];
		size_t w = (size_t)c->width;

		lw_buf_reset(&b);
		put_int(&b, c->width, c->v);
		expect_err(c->desc, "lw_buf", b.err, LW_OK);
		expect_u64(c->desc, "encoded length", b.len, w);
		if (memcmp(b.p, c->bytes, w) != 0) {
			print_error("case '%s': wrong bytes\n", c->desc);
			fail();
		}
		/* Read a copy of exactly w octets: ASan sees overruns. */
		copy = malloc(w);
		assert_non_null(copy);
		memcpy(copy, b.p, w);
		lw_rd_init(&r, copy, w);
		expect_u64(c->desc, "decoded value", get_int(&r, c->width),
		    c->v);
		expect_err(c->desc, "read", r.err, LW_OK);
		/* Nothing is left: one more octet is an error that sticks. */
		expect_u64(c->desc, "read past the end", lw_rd_u8(&r), 0);
		expect_err(c->desc, "read past the end", r.err, LW_ECORRUPT);
		lw_rd_init(&r, copy, w - 1);
		expect_u64(c->desc, "short read", get_int(&r, c->width), 0);
		expect_err(c->desc, "short read", r.err, LW_ECORRUPT);
		free(copy);
	}
	/* Fixed keys use the same order of bytes. */
	{
		uint8_t k[8];

		lw_key_u64(k, 0x0102030405060708ULL);
		assert_memory_equal(k, int_cases[7].bytes, 8);
		assert_true(lw_get_u64(k) == 0x0102030405060708ULL);
	}
	lw_buf_free(&b);
}

struct lenpfx_case {
	const char *desc;
	int is_str;		/* str (u16 length) or bytes (u32 length) */
	const char *data;
	size_t n;
	const char *want;	/* the encoding */
	size_t want_len;
};

static const struct lenpfx_case lenpfx_cases[] = {
	{ "an empty str is a zero u16", 1, "", 0, "\0\0", 2 },
	{ "a str is a u16 length and its bytes", 1, "abc", 3,
	    "\0\3abc", 5 },
	{ "an empty bytes is a zero u32", 0, "", 0, "\0\0\0\0", 4 },
	{ "bytes keep NULs", 0, "a\0b", 3, "\0\0\0\3a\0b", 7 },
};

/* test_str_bytes - length-prefixed fields, and lengths past the end */
static void
test_str_bytes(void **state)
{
	struct lw_buf b = { 0 };
	struct lw_rd r;
	const void *p;
	char *big;
	size_t i, n;

	(void)state;
	for (i = 0; i < NELEM(lenpfx_cases); i++) {
		const struct lenpfx_case *c = &lenpfx_cases[i];

		lw_buf_reset(&b);
		if (c->is_str)
			lw_buf_str(&b, c->data, c->n);
		else
			lw_buf_bytes(&b, c->data, c->n);
		expect_err(c->desc, "lw_buf", b.err, LW_OK);
		expect_u64(c->desc, "encoded length", b.len, c->want_len);
		assert_memory_equal(b.p, c->want, c->want_len);
		lw_rd_init(&r, b.p, b.len);
		p = c->is_str ? lw_rd_str(&r, &n) : lw_rd_bytes(&r, &n);
		expect_err(c->desc, "read", r.err, LW_OK);
		expect_u64(c->desc, "decoded length", n, c->n);
		assert_memory_equal(p, c->data, c->n);
		/* A length one more than what follows is an error. */
		lw_rd_init(&r, b.p, b.len - (c->n > 0 ? 1 : 0));
		if (c->n > 0) {
			p = c->is_str ? lw_rd_str(&r, &n) : lw_rd_bytes(&r, &n);
			assert_null(p);
			expect_err(c->desc, "short read", r.err, LW_ECORRUPT);
		}
	}

	/* A str holds at most 65535 octets; more is refused, not cut. */
	big = calloc(1, 65536);
	assert_non_null(big);
	lw_buf_reset(&b);
	lw_buf_str(&b, big, 65535);
	assert_int_equal(b.err, LW_OK);
	assert_int_equal(b.len, 2 + 65535);
	assert_int_equal(b.p[0], 0xff);
	assert_int_equal(b.p[1], 0xff);
	lw_buf_reset(&b);
	lw_buf_str(&b, big, 65536);
	assert_int_equal(b.err, LW_ETOOBIG);
	/* ... and the error sticks. */
	lw_buf_u8(&b, 1);
	assert_int_equal(b.err, LW_ETOOBIG);
	free(big);

	/* A bytes length of 4 GiB - 1 with nothing after it. */
	lw_rd_init(&r, "\xff\xff\xff\xff", 4);
	assert_null(lw_rd_bytes(&r, &n));
	assert_int_equal(r.err, LW_ECORRUPT);
	lw_buf_free(&b);
}

struct list_rt_case {
	const char *desc;
	const char *name;
	struct lw_list l;
	int want_crlf;
};

static const struct list_rt_case list_rt_cases[] = {
	{ "an empty header", "a", { .gen = 1, .rows = 0, .delimiter = ',',
	    .header = "", .header_len = 0 }, 0 },
	{ "a header with NUL and high bytes", "customers",
	    { .gen = 7, .rows = 3, .created = 1700000000,
	    .updated = 1700000001, .delimiter = ';', .crlf = 1,
	    .header = "em\0ail;\xc3\xa9", .header_len = 9 }, 1 },
	{ "largest integers", A255, { .gen = UINT64_MAX,
	    .rows = UINT64_MAX, .created = UINT64_MAX,
	    .updated = UINT64_MAX, .delimiter = '\t', .crlf = 0,
	    .header = "email", .header_len = 5 }, 0 },
	{ "crlf is stored as a flag", "b", { .gen = 2, .delimiter = '|',
	    .crlf = 5, .header = "x", .header_len = 1 }, 1 },
};

struct gen_rt_case {
	const char *desc;
	struct lw_gen_rec g;
};

static const struct gen_rt_case gen_rt_cases[] = {
	{ "staging, pid 0, an empty name", { GEN_STAGING, 0, 0, "" } },
	{ "live", { GEN_LIVE, 12345, 1700000000, "customers" } },
	{ "garbage with the largest pid and time",
	    { GEN_GARBAGE, UINT32_MAX, UINT64_MAX, "x" } },
	{ "a 255-octet name", { GEN_STAGING, 1, 2, A255 } },
};

struct row_rt_case {
	const char *desc;
	const char *key;
	size_t key_len;
	const char *raw;
	size_t raw_len;
};

static const struct row_rt_case row_rt_cases[] = {
	{ "empty key and row", "", 0, "", 0 },
	{ "a key and a row with NUL", "a@example.com", 13,
	    "a@example.com,x\0y", 17 },
};

/* encoded - one encoded value of any kind, with what it came from */
struct encoded {
	const char *desc;
	int kind;		/* 'l', 'g', 'r' */
	const char *name;	/* for lists */
	uint8_t *p;
	size_t n;
};

/* decode_any - decode a value of kind; returns the error */
static int
decode_any(const struct encoded *e, const void *p, size_t n)
{
	struct lw_list *l;
	struct lw_gen_rec g;
	const char *key, *raw;
	size_t kn, rn;
	int err;

	switch (e->kind) {
	case 'l':
		err = lw_list_decode(e->name, strlen(e->name), p, n, &l);
		if (err == LW_OK)
			lw_list_free(l);
		return err;
	case 'g':
		return lw_gen_decode(p, n, &g);
	default:
		return lw_row_decode(p, n, &key, &kn, &raw, &rn);
	}
}

/* encode_all - every round-trip case, encoded and checked on the way */
static size_t
encode_all(struct encoded *out, size_t max)
{
	struct lw_buf b = { 0 };
	size_t i, n = 0;

	for (i = 0; i < NELEM(list_rt_cases); i++) {
		const struct list_rt_case *c = &list_rt_cases[i];
		struct lw_list *l;

		assert_int_equal(lw_list_encode(&b, &c->l), LW_OK);
		expect_err(c->desc, "lw_list_decode", lw_list_decode(c->name,
		    strlen(c->name), b.p, b.len, &l), LW_OK);
		expect_str(c->desc, "name", l->name, c->name);
		expect_u64(c->desc, "gen", l->gen, c->l.gen);
		expect_u64(c->desc, "rows", l->rows, c->l.rows);
		expect_u64(c->desc, "created", l->created, c->l.created);
		expect_u64(c->desc, "updated", l->updated, c->l.updated);
		expect_u64(c->desc, "delimiter", (uint64_t)l->delimiter,
		    (uint64_t)c->l.delimiter);
		expect_u64(c->desc, "crlf", (uint64_t)l->crlf,
		    (uint64_t)c->want_crlf);
		expect_u64(c->desc, "header_len", l->header_len,
		    c->l.header_len);
		assert_memory_equal(l->header, c->l.header, c->l.header_len);
		assert_int_equal(l->header[l->header_len], '\0');
		lw_list_free(l);
		assert_true(n < max);
		out[n] = (struct encoded){ c->desc, 'l', c->name,
		    malloc(b.len), b.len };
		assert_non_null(out[n].p);
		memcpy(out[n++].p, b.p, b.len);
	}
	for (i = 0; i < NELEM(gen_rt_cases); i++) {
		const struct gen_rt_case *c = &gen_rt_cases[i];
		struct lw_gen_rec g;

		memset(&g, 0x55, sizeof(g));
		assert_int_equal(lw_gen_encode(&b, &c->g), LW_OK);
		expect_err(c->desc, "lw_gen_decode", lw_gen_decode(b.p, b.len,
		    &g), LW_OK);
		expect_u64(c->desc, "state", g.state, c->g.state);
		expect_u64(c->desc, "pid", g.pid, c->g.pid);
		expect_u64(c->desc, "started", g.started, c->g.started);
		expect_str(c->desc, "name", g.name, c->g.name);
		assert_true(n < max);
		out[n] = (struct encoded){ c->desc, 'g', NULL, malloc(b.len),
		    b.len };
		assert_non_null(out[n].p);
		memcpy(out[n++].p, b.p, b.len);
	}
	for (i = 0; i < NELEM(row_rt_cases); i++) {
		const struct row_rt_case *c = &row_rt_cases[i];
		const char *key, *raw;
		size_t kn, rn;

		assert_int_equal(lw_row_encode(&b, c->key, c->key_len, c->raw,
		    c->raw_len), LW_OK);
		expect_err(c->desc, "lw_row_decode", lw_row_decode(b.p, b.len,
		    &key, &kn, &raw, &rn), LW_OK);
		expect_u64(c->desc, "key length", kn, c->key_len);
		expect_u64(c->desc, "row length", rn, c->raw_len);
		assert_memory_equal(key, c->key, kn);
		assert_memory_equal(raw, c->raw, rn);
		assert_true(n < max);
		out[n] = (struct encoded){ c->desc, 'r', NULL, malloc(b.len),
		    b.len };
		assert_non_null(out[n].p);
		memcpy(out[n++].p, b.p, b.len);
	}
	lw_buf_free(&b);
	return n;
}

/*
 * test_records - lists, generations and rows round-trip; every prefix of
 * a valid value, and any other version byte, is LW_ECORRUPT
 */
static void
test_records(void **state)
{
	static const uint8_t bad_versions[] = { 0, 2, 0xff };
	struct encoded enc[16];
	size_t n, i, len, j;
	uint8_t *copy;

	(void)state;
	n = encode_all(enc, NELEM(enc));
	for (i = 0; i < n; i++) {
		const struct encoded *e = &enc[i];

		expect_u64(e->desc, "version byte", e->p[0], LW_VALUE_VERSION);
		for (len = 0; len < e->n; len++) {
			/* A copy of exactly len octets: ASan sees overreads. */
			copy = malloc(len ? len : 1);
			assert_non_null(copy);
			memcpy(copy, e->p, len);
			if (decode_any(e, copy, len) != LW_ECORRUPT) {
				print_error("case '%s': a %zu-octet prefix of "
				    "%zu is not LW_ECORRUPT\n", e->desc, len,
				    e->n);
				fail();
			}
			free(copy);
		}
		for (j = 0; j < NELEM(bad_versions); j++) {
			copy = malloc(e->n);
			assert_non_null(copy);
			memcpy(copy, e->p, e->n);
			copy[0] = bad_versions[j];
			if (decode_any(e, copy, e->n) != LW_ECORRUPT) {
				print_error("case '%s': version byte %u is "
				    "accepted\n", e->desc, bad_versions[j]);
				fail();
			}
			free(copy);
		}
		free(e->p);
	}
}

/* test_record_limits - names out of range are damage, not overflows */
static void
test_record_limits(void **state)
{
	struct lw_buf b = { 0 };
	struct lw_list l = { .gen = 1, .header = "e", .header_len = 1 };
	struct lw_list *out = NULL;
	struct lw_gen_rec g;
	char name[300];

	(void)state;
	assert_int_equal(lw_list_encode(&b, &l), LW_OK);
	assert_int_equal(lw_list_decode("", 0, b.p, b.len, &out),
	    LW_ECORRUPT);
	assert_int_equal(lw_list_decode(A256, 256, b.p, b.len, &out),
	    LW_ECORRUPT);
	assert_null(out);

	/* A generation whose name is longer than a list name may be. */
	memset(name, 'n', 256);
	lw_buf_reset(&b);
	lw_buf_u8(&b, LW_VALUE_VERSION);
	lw_buf_u8(&b, GEN_STAGING);
	lw_buf_u32(&b, 1);
	lw_buf_u64(&b, 2);
	lw_buf_str(&b, name, 256);
	assert_int_equal(b.err, LW_OK);
	assert_int_equal(lw_gen_decode(b.p, b.len, &g), LW_ECORRUPT);
	lw_buf_free(&b);
}

/* test_key_order - rows keys sort as (generation, row) numbers do */
static void
test_key_order(void **state)
{
	static const uint64_t pairs[][2] = {
		{ 0, 0 }, { 0, 1 }, { 0, 255 }, { 0, 256 }, { 0, UINT64_MAX },
		{ 1, 0 }, { 1, 0xff00 }, { 1, 0x10000 }, { 255, 7 },
		{ 256, 0 }, { 0x0100000000ULL, 0 }, { UINT64_MAX - 1, 9 },
		{ UINT64_MAX, 0 }, { UINT64_MAX, UINT64_MAX },
	};
	static const uint8_t want[16] = {
		1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0x01, 0x09,
	};
	uint8_t a[16], b[16];
	size_t i, j;
	int c;

	(void)state;
	lw_key_gen_row(a, 0x0102030405060708ULL, 0x109);
	assert_memory_equal(a, want, 16);
	for (i = 0; i < NELEM(pairs); i++)
		for (j = 0; j < NELEM(pairs); j++) {
			lw_key_gen_row(a, pairs[i][0], pairs[i][1]);
			lw_key_gen_row(b, pairs[j][0], pairs[j][1]);
			c = memcmp(a, b, 16);
			if ((c < 0) != (i < j) || (c == 0) != (i == j)) {
				print_error("(%llu,%llu) vs (%llu,%llu): "
				    "memcmp %d\n",
				    (unsigned long long)pairs[i][0],
				    (unsigned long long)pairs[i][1],
				    (unsigned long long)pairs[j][0],
				    (unsigned long long)pairs[j][1], c);
				fail();
			}
		}
}

/* ==== 2. Open ==== */

/* make_lmdb - a plain LMDB file at path with one record */
static int
make_lmdb(const char *path, const char *dbname, const char *key,
    const void *val, size_t vn)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { strlen(key), (void *)key }, v = { vn, (void *)val };
	int rc;

	if ((rc = mdb_env_create(&env)) != 0)
		return rc;
	mdb_env_set_maxdbs(env, 4);
	if ((rc = mdb_env_open(env, path, MDB_NOSUBDIR, 0600)) == 0 &&
	    (rc = mdb_txn_begin(env, NULL, 0, &txn)) == 0) {
		if ((rc = mdb_dbi_open(txn, dbname, dbname ? MDB_CREATE : 0,
		    &dbi)) == 0 && (rc = mdb_put(txn, dbi, &k, &v, 0)) == 0)
			rc = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
	}
	mdb_env_close(env);
	return rc;
}

/* write_file - path holds exactly n bytes of p */
static int
write_file(const char *path, const char *p, size_t n)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		return -1;
	if (n > 0 && fwrite(p, 1, n, fp) != n) {
		fclose(fp);
		return -1;
	}
	return fclose(fp);
}

/* make_nothing - nothing at path */
static int
make_nothing(const char *path)
{
	(void)path;
	return 0;
}

/* make_short_text - a small CSV file */
static int
make_short_text(const char *path)
{
	static const char t[] = "email,name\na@example.com,Al\n";

	return write_file(path, t, sizeof(t) - 1);
}

/* make_long_text - text longer than LMDB's two meta pages */
static int
make_long_text(const char *path)
{
	char t[20000];
	size_t i;

	for (i = 0; i < sizeof(t); i++)
		t[i] = i % 40 == 39 ? '\n' : (char)('a' + i % 26);
	return write_file(path, t, sizeof(t));
}

/* make_empty - an empty file */
static int
make_empty(const char *path)
{
	return write_file(path, "", 0);
}

/* make_dir - a directory */
static int
make_dir(const char *path)
{
	return mkdir(path, 0700);
}

/* make_plain_lmdb - an LMDB file with one record in its unnamed database */
static int
make_plain_lmdb(const char *path)
{
	return make_lmdb(path, NULL, "hello", "world", 5);
}

/* make_meta_record - the main database has a plain record named meta */
static int
make_meta_record(const char *path)
{
	return make_lmdb(path, NULL, "meta", "x", 1);
}

/* make_meta_no_schema - a named database "meta" without "schema" */
static int
make_meta_no_schema(const char *path)
{
	return make_lmdb(path, "meta", "other", "x", 1);
}

/* make_meta_only - a current schema, but none of the other databases */
static int
make_meta_only(const char *path)
{
	unsigned v = lw_migrate_latest();
	char be[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8),
	    (char)v };

	return make_lmdb(path, "meta", "schema", be, 4);
}

/* make_store_no_schema - a listwarden store whose schema record is gone */
static int
make_store_no_schema(const char *path)
{
	struct lw_store *s;
	int err;

	if ((err = lw_store_open(&s, path, LW_STORE_CREATE, 0)) != LW_OK)
		return err;
	err = raw_del(s, s->meta, "schema", 6);
	lw_store_close(s);
	return err;
}

struct open_case {
	const char *desc;
	int (*make)(const char *path);
	unsigned flags;
	int want;
	int created;		/* lw_store_created() when it opens */
};

static const struct open_case open_cases[] = {
	{ "a missing store without LW_STORE_CREATE is LW_ENOENT",
	    make_nothing, 0, LW_ENOENT, 0 },
	{ "a missing store, read-only, is LW_ENOENT",
	    make_nothing, LW_STORE_RDONLY, LW_ENOENT, 0 },
	{ "read-only wins over LW_STORE_CREATE: LW_ENOENT",
	    make_nothing, LW_STORE_RDONLY | LW_STORE_CREATE, LW_ENOENT, 0 },
	{ "a short text file is not a store",
	    make_short_text, 0, LW_ENOTSTORE, 0 },
	{ "a long text file is not a store",
	    make_long_text, 0, LW_ENOTSTORE, 0 },
	{ "a text file is not a store, read-only either",
	    make_long_text, LW_STORE_RDONLY, LW_ENOTSTORE, 0 },
	{ "a text file is not a store, even with LW_STORE_CREATE",
	    make_short_text, LW_STORE_CREATE, LW_ENOTSTORE, 0 },
	{ "an empty file is not a store",
	    make_empty, 0, LW_ENOTSTORE, 0 },
	{ "an empty file is not a store, read-only",
	    make_empty, LW_STORE_RDONLY, LW_ENOTSTORE, 0 },
	{ "a directory is not a store",
	    make_dir, 0, LW_ENOTSTORE, 0 },
	{ "a directory is not a store, even with LW_STORE_CREATE",
	    make_dir, LW_STORE_CREATE, LW_ENOTSTORE, 0 },
	{ "a plain LMDB file with one unnamed record is not a store",
	    make_plain_lmdb, 0, LW_ENOTSTORE, 0 },
	{ "a plain LMDB file is not a store, read-only",
	    make_plain_lmdb, LW_STORE_RDONLY, LW_ENOTSTORE, 0 },
	{ "an LMDB file whose main database has a record 'meta' is not a "
	    "store", make_meta_record, 0, LW_ENOTSTORE, 0 },
	{ "an LMDB file with a meta database but no schema is not a store",
	    make_meta_no_schema, 0, LW_ENOTSTORE, 0 },
	{ "a current schema without the other databases is not a store",
	    make_meta_only, 0, LW_ENOTSTORE, 0 },
	{ "a listwarden store that lost its schema record is not a store",
	    make_store_no_schema, 0, LW_ENOTSTORE, 0 },

	{ "LW_STORE_CREATE on a missing path creates a store",
	    make_nothing, LW_STORE_CREATE, LW_OK, 1 },
	{ "LW_STORE_CREATE makes an empty file a store",
	    make_empty, LW_STORE_CREATE, LW_OK, 1 },
};

/* slurp - the bytes of a regular file, or NULL (n = 0) */
static char *
slurp(const char *path, size_t *n)
{
	struct stat st;
	char *p;
	FILE *fp;

	*n = 0;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	fp = fopen(path, "r");
	assert_non_null(fp);
	p = malloc((size_t)st.st_size + 1);
	assert_non_null(p);
	*n = fread(p, 1, (size_t)st.st_size, fp);
	fclose(fp);
	return p;
}

/* test_open - what opens, and how the rest is refused, untouched */
static void
test_open(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s;
	struct stat st;
	char *before, *after;
	size_t i, nb, na;
	int err;

	for (i = 0; i < NELEM(open_cases); i++) {
		const struct open_case *c = &open_cases[i];
		const char *path = fx_path(fx, "open", i);

		expect_err(c->desc, "making the file", c->make(path), 0);
		before = slurp(path, &nb);
		s = NULL;
		err = lw_store_open(&s, path, c->flags, 0);
		expect_err(c->desc, "lw_store_open", err, c->want);
		if (err != LW_OK) {
			assert_null(s);
			/* A refused file is left as it was. */
			after = slurp(path, &na);
			if (nb != na || (nb > 0 && memcmp(before, after,
			    nb) != 0)) {
				print_error("case '%s': the file changed\n",
				    c->desc);
				fail();
			}
			if (c->make == make_nothing && stat(path, &st) == 0) {
				print_error("case '%s': a file was created\n",
				    c->desc);
				fail();
			}
			free(after);
		} else {
			expect_u64(c->desc, "lw_store_created",
			    (uint64_t)lw_store_created(s),
			    (uint64_t)c->created);
			lw_store_close(s);
		}
		free(before);
	}
	lw_store_close(NULL);
}

/* test_create - a new store: 0600, current schema, created once */
static void
test_create(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_store_stats st;
	struct stat fst;
	char path[256], lock[300];
	unsigned have = 0, latest = 0;
	mode_t old;

	strcpy(path, fx_path(fx, "create", 0));
	snprintf(lock, sizeof(lock), "%s-lock", path);

	/* With no umask to help, the store itself must ask for 0600. */
	old = umask(0);
	s = open_ok(path, LW_STORE_CREATE);
	umask(old);
	assert_int_equal(lw_store_created(s), 1);
	assert_int_equal(lw_store_schema(s, &have, &latest), LW_OK);
	assert_int_equal(latest, lw_migrate_latest());
	assert_int_equal(have, latest);
	assert_int_equal(lw_store_stats(s, &st), LW_OK);
	assert_int_equal(st.schema, latest);
	assert_int_equal(st.lists, 0);
	assert_int_equal(st.rows, 0);
	assert_int_equal(st.addresses, 0);
	assert_true(st.file_size > 0);
	assert_true(st.map_size > 0);
	lw_store_close(s);

	assert_int_equal(stat(path, &fst), 0);
	assert_true(S_ISREG(fst.st_mode));
	assert_int_equal(fst.st_mode & 07777, 0600);
	assert_int_equal(stat(lock, &fst), 0);
	assert_int_equal(fst.st_mode & 07777, 0600);

	/* Opened again, with or without LW_STORE_CREATE, it is not new. */
	s = open_ok(path, 0);
	assert_int_equal(lw_store_created(s), 0);
	lw_store_close(s);
	s = open_ok(path, LW_STORE_CREATE);
	assert_int_equal(lw_store_created(s), 0);
	lw_store_close(s);
	s = open_ok(path, LW_STORE_RDONLY);
	assert_int_equal(lw_store_created(s), 0);
	assert_int_equal(lw_store_schema(s, &have, &latest), LW_OK);
	assert_int_equal(have, latest);
	lw_store_close(s);

	assert_string_equal(lw_store_migration_name(1), "initial");
	assert_null(lw_store_migration_name(0));
	assert_null(lw_store_migration_name(lw_migrate_latest() + 1));
}

/* ==== 3. Schema gate and migrations ==== */

struct gate_case {
	const char *desc;
	int delta;		/* the store's schema is latest + delta */
	unsigned flags;
	int want_open;
	int want_migrate;	/* when it opened */
	int want_reopen;	/* a plain open afterwards */
};

static const struct gate_case gate_cases[] = {
	{ "a newer store is LW_ESCHEMA_NEW", 1, 0, LW_ESCHEMA_NEW, 0,
	    LW_ESCHEMA_NEW },
	{ "a newer store is LW_ESCHEMA_NEW read-only too", 1,
	    LW_STORE_RDONLY, LW_ESCHEMA_NEW, 0, LW_ESCHEMA_NEW },
	{ "a newer store opens past the gate, but migrate refuses it", 1,
	    LW_STORE_ANY_SCHEMA, LW_OK, LW_ESCHEMA_NEW, LW_ESCHEMA_NEW },
	{ "an older schema is LW_ESCHEMA_OLD", -1, 0,
	    LW_ESCHEMA_OLD, 0, LW_ESCHEMA_OLD },
	{ "an older schema is LW_ESCHEMA_OLD read-only too", -1,
	    LW_STORE_RDONLY, LW_ESCHEMA_OLD, 0, LW_ESCHEMA_OLD },
	{ "an older schema migrates to the latest, and then opens", -1,
	    LW_STORE_ANY_SCHEMA, LW_OK, 1, LW_OK },
	{ "a current store has nothing to migrate", 0, LW_STORE_ANY_SCHEMA,
	    LW_OK, 0, LW_OK },
};

/* test_schema_gate - older and newer stores, and migrating them */
static void
test_schema_gate(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s;
	unsigned v, have, latest = lw_migrate_latest();
	size_t i;
	int err;

	/* The cases below need a version before the latest. */
	assert_true(latest >= 1);
	for (i = 0; i < NELEM(gate_cases); i++) {
		const struct gate_case *c = &gate_cases[i];
		const char *path = fx_path(fx, "gate", i);

		s = open_ok(path, LW_STORE_CREATE);
		v = (unsigned)((int)latest + c->delta);
		assert_int_equal(lw_store_write(s, set_schema_fn, &v), LW_OK);
		lw_store_close(s);

		s = NULL;
		err = lw_store_open(&s, path, c->flags, 0);
		expect_err(c->desc, "lw_store_open", err, c->want_open);
		if (err == LW_OK) {
			assert_int_equal(lw_store_schema(s, &have, &latest),
			    LW_OK);
			expect_u64(c->desc, "schema seen", have, v);
			expect_err(c->desc, "lw_store_migrate",
			    lw_store_migrate(s), c->want_migrate);
			lw_store_close(s);
		}
		s = NULL;
		err = lw_store_open(&s, path, 0, 0);
		expect_err(c->desc, "reopening", err, c->want_reopen);
		if (err == LW_OK) {
			assert_int_equal(lw_store_schema(s, &have, &latest),
			    LW_OK);
			expect_u64(c->desc, "schema after", have, latest);
			lw_store_close(s);
		}
	}
}

/* meta_bump - add one to meta's "runs" counter */
static int
meta_bump(struct lw_store *s, MDB_txn *txn)
{
	MDB_val k = { 4, "runs" }, v;
	uint8_t buf[4] = { 0 };
	const uint8_t *p;
	uint32_t n = 0;

	if (mdb_get(txn, s->meta, &k, &v) == 0 && v.mv_size == 4) {
		p = v.mv_data;
		n = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	}
	n++;
	buf[0] = (uint8_t)(n >> 24);
	buf[1] = (uint8_t)(n >> 16);
	buf[2] = (uint8_t)(n >> 8);
	buf[3] = (uint8_t)n;
	v.mv_size = 4;
	v.mv_data = buf;
	return lw_store_err(mdb_put(txn, s->meta, &k, &v, 0));
}

/*
 * fake_mark - a migration that writes "markN" = the version it found,
 * where N is the version it makes: the marks show the order and that
 * each step's version was recorded before the next began
 */
static int
fake_mark(struct lw_store *s, MDB_txn *txn)
{
	char key[16], val[16];
	MDB_val k, v;
	unsigned have;
	int err;

	if ((err = lw_meta_schema(s, txn, &have)) != LW_OK)
		return err;
	snprintf(key, sizeof(key), "mark%u", have + 1);
	snprintf(val, sizeof(val), "%u", have);
	k.mv_size = strlen(key);
	k.mv_data = key;
	v.mv_size = strlen(val);
	v.mv_data = val;
	if ((err = lw_store_err(mdb_put(txn, s->meta, &k, &v, 0))) != LW_OK)
		return err;
	return meta_bump(s, txn);
}

/* fake_fail - a migration that writes its mark, then fails */
static int
fake_fail(struct lw_store *s, MDB_txn *txn)
{
	int err;

	if ((err = fake_mark(s, txn)) != LW_OK)
		return err;
	return LW_EIO;
}

static const struct lw_migration mig_123[] = {
	{ 1, "initial", lw_migration_0001_initial },
	{ 2, "two", fake_mark },
	{ 3, "three", fake_mark },
};
static const struct lw_migration mig_13[] = {
	{ 1, "initial", lw_migration_0001_initial },
	{ 3, "three", fake_mark },
};
static const struct lw_migration mig_1f3[] = {
	{ 1, "initial", lw_migration_0001_initial },
	{ 2, "fails", fake_fail },
	{ 3, "three", fake_mark },
};

struct mig_case {
	const char *desc;
	unsigned start;			/* the store's schema before */
	const struct lw_migration *table;
	size_t n;
	int want;			/* lw_migrate_run, the first time */
	int want_again;			/* and the second */
	unsigned want_schema;
	const char *want_meta;		/* the marks and the run count */
	int want_reopen;
};

static const struct mig_case mig_cases[] = {
	{ "a gap (1 then 3) fails and the store stays at 1", 1, mig_13,
	    NELEM(mig_13), LW_ECORRUPT, LW_ECORRUPT, 1, "", LW_ESCHEMA_OLD },
	{ "from 0, a gap applies 1, then fails and stays at 1", 0, mig_13,
	    NELEM(mig_13), LW_ECORRUPT, LW_ECORRUPT, 1, "", LW_ESCHEMA_OLD },
	{ "a failing migration leaves the version before it, and none of "
	    "its writes", 1, mig_1f3, NELEM(mig_1f3), LW_EIO, LW_EIO, 1, "",
	    LW_ESCHEMA_OLD },
	{ "from 0 every migration runs, in order, each recorded", 0,
	    mig_123, NELEM(mig_123), 3, 0, 3, "mark2=1 mark3=2 runs=2 ",
	    LW_ESCHEMA_NEW },
	{ "from 1 only the newer ones run", 1, mig_123, NELEM(mig_123), 2, 0,
	    3, "mark2=1 mark3=2 runs=2 ", LW_ESCHEMA_NEW },
	{ "from 2 only the last runs", 2, mig_123, NELEM(mig_123), 1, 0, 3,
	    "mark3=2 runs=1 ", LW_ESCHEMA_NEW },
	{ "at 3 nothing runs", 3, mig_123, NELEM(mig_123), 0, 0, 3, "",
	    LW_ESCHEMA_NEW },
};

/* meta_marks - "key=value " for meta's mark* and runs records */
static void
meta_marks(struct lw_store *s, char *out, size_t size)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t len = 0;
	int rc;

	out[0] = '\0';
	assert_int_equal(lw_store_read_begin(s, &txn), LW_OK);
	assert_int_equal(mdb_cursor_open(txn, s->meta, &cur), 0);
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		if (k.mv_size >= 4 && memcmp(k.mv_data, "mark", 4) == 0)
			len += (size_t)snprintf(out + len, size - len,
			    "%.*s=%.*s ", (int)k.mv_size, (char *)k.mv_data,
			    (int)v.mv_size, (char *)v.mv_data);
		else if (k.mv_size == 4 && memcmp(k.mv_data, "runs", 4) == 0)
			len += (size_t)snprintf(out + len, size - len,
			    "runs=%u ", ((uint8_t *)v.mv_data)[3]);
		assert_true(len < size);
	}
	assert_int_equal(rc, MDB_NOTFOUND);
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
}

/* test_migrations - lw_migrate_run with tables of fake migrations */
static void
test_migrations(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s;
	unsigned have, latest;
	char marks[256];
	size_t i;
	int err;

	for (i = 0; i < NELEM(mig_cases); i++) {
		const struct mig_case *c = &mig_cases[i];
		const char *path = fx_path(fx, "mig", i);

		s = open_ok(path, LW_STORE_CREATE);
		assert_int_equal(lw_store_write(s, set_schema_fn,
		    (void *)&c->start), LW_OK);
		expect_err(c->desc, "lw_migrate_run",
		    lw_migrate_run(s, c->table, c->n), c->want);
		expect_err(c->desc, "lw_migrate_run again",
		    lw_migrate_run(s, c->table, c->n), c->want_again);
		assert_int_equal(lw_store_schema(s, &have, &latest), LW_OK);
		expect_u64(c->desc, "schema", have, c->want_schema);
		meta_marks(s, marks, sizeof(marks));
		expect_str(c->desc, "meta", marks, c->want_meta);
		lw_store_close(s);

		s = NULL;
		err = lw_store_open(&s, path, 0, 0);
		expect_err(c->desc, "reopening", err, c->want_reopen);
		lw_store_close(s);
	}
}

/* ==== 4. Map growth ==== */

#define GROW_ROWS	20000

/* grow_raw - row i of the big list */
static int
grow_raw(char *buf, size_t size, unsigned i)
{
	return snprintf(buf, size, "user%05u@example.com,User %u,%u", i, i,
	    i * 7);
}

struct grow_walk {
	unsigned next;
	uint64_t list_rows;
	int bad;
};

/* grow_fn - every row in order, with its key and bytes */
static int
grow_fn(void *arg, const struct lw_list *l, const char *key, size_t key_len,
    const char *raw, size_t raw_len)
{
	struct grow_walk *w = arg;
	char want[96], wkey[32];
	int n;

	if (key == NULL) {
		w->list_rows = l->rows;
		return 0;
	}
	n = grow_raw(want, sizeof(want), w->next);
	snprintf(wkey, sizeof(wkey), "user%05u@example.com", w->next);
	if (raw_len != (size_t)n || memcmp(raw, want, raw_len) != 0 ||
	    key_len != strlen(wkey) || memcmp(key, wkey, key_len) != 0) {
		print_error("row %u: '%.*s' '%.*s', expected '%s' '%s'\n",
		    w->next, (int)key_len, key, (int)raw_len, raw, wkey, want);
		w->bad = 1;
		return LW_ECORRUPT;
	}
	w->next++;
	return 0;
}

struct grow_case {
	const char *desc;
	size_t map_size;
};

static const struct grow_case grow_cases[] = {
	{ "a 64 KiB map", (size_t)64 << 10 },
	{ "a 1-octet map (LMDB raises it to its minimum)", 1 },
};

/* test_map_growth - 20,000 rows into a tiny map, twice */
static void
test_map_growth(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_import *imp;
	struct lw_import_stats ist;
	struct lw_store_stats st;
	struct grow_walk w;
	char raw[96];
	size_t i, pass;
	unsigned r;
	int err;

	for (i = 0; i < NELEM(grow_cases); i++) {
		const struct grow_case *c = &grow_cases[i];
		const char *path = fx_path(fx, "grow", i);

		s = NULL;
		err = lw_store_open(&s, path, LW_STORE_CREATE, c->map_size);
		expect_err(c->desc, "lw_store_open", err, LW_OK);
		assert_int_equal(lw_store_stats(s, &st), LW_OK);
		if (c->map_size > 4096 && st.map_size > c->map_size * 4) {
			print_error("case '%s': the map started at %llu\n",
			    c->desc, (unsigned long long)st.map_size);
			fail();
		}
		/* A new list, then the same rows merged in: all replaced. */
		for (pass = 0; pass < 2; pass++) {
			assert_int_equal(lw_import_begin(s, "big", 0,
			    "email,name,n\n", 13, ',', NULL, NULL, &imp),
			    LW_OK);
			for (r = 0; r < GROW_ROWS; r++) {
				grow_raw(raw, sizeof(raw), r);
				err = add_row(fx, imp, r + 2, raw, ',');
				if (err != LW_OK)
					expect_err(c->desc, "lw_import_add",
					    err, LW_OK);
			}
			expect_err(c->desc, "lw_import_commit",
			    lw_import_commit(imp, &ist), LW_OK);
			expect_u64(c->desc, "read", ist.read, GROW_ROWS);
			expect_u64(c->desc, "accepted", ist.accepted,
			    GROW_ROWS);
			expect_u64(c->desc, "added", ist.added,
			    pass ? 0 : GROW_ROWS);
			expect_u64(c->desc, "replaced", ist.replaced,
			    pass ? GROW_ROWS : 0);
			expect_u64(c->desc, "new addresses", ist.new_addresses,
			    pass ? 0 : GROW_ROWS);
			expect_u64(c->desc, "rows", ist.rows, GROW_ROWS);

			assert_int_equal(lw_store_stats(s, &st), LW_OK);
			expect_u64(c->desc, "stats lists", st.lists, 1);
			expect_u64(c->desc, "stats rows", st.rows, GROW_ROWS);
			expect_u64(c->desc, "stats addresses", st.addresses,
			    GROW_ROWS);
			if (st.map_size <= (c->map_size > 4096 ?
			    c->map_size : 65536)) {
				print_error("case '%s': the map did not grow "
				    "(%llu)\n", c->desc,
				    (unsigned long long)st.map_size);
				fail();
			}
			memset(&w, 0, sizeof(w));
			expect_err(c->desc, "lw_store_rows",
			    lw_store_rows(s, "big", grow_fn, &w), LW_OK);
			expect_u64(c->desc, "rows walked", w.next, GROW_ROWS);
			expect_u64(c->desc, "list rows", w.list_rows,
			    GROW_ROWS);
			expect_only_live(s, c->desc);
		}
		lw_store_close(s);

		/* What was written survives a reopen with a tiny map again. */
		s = NULL;
		err = lw_store_open(&s, path, LW_STORE_RDONLY, c->map_size);
		expect_err(c->desc, "reopening", err, LW_OK);
		memset(&w, 0, sizeof(w));
		expect_err(c->desc, "lw_store_rows after reopening",
		    lw_store_rows(s, "big", grow_fn, &w), LW_OK);
		expect_u64(c->desc, "rows after reopening", w.next, GROW_ROWS);
		lw_store_close(s);
	}
}

/* ==== 5. Import semantics ==== */

struct import_step {
	unsigned flags;
	const char *header;	/* NULL: no more steps */
	const char *rows[8];
	int err;
};

struct import_case {
	const char *desc;
	const char *name;
	struct import_step steps[3];
	int stop;			/* the reject callback's return */
	const char *want_rows;		/* NULL: the list does not exist */
	const char *want_header;
	int want_crlf;
	const char *want_rejects;	/* of the last step */
	struct lw_import_stats want;	/* of the last step, when it worked */
};

static const struct import_case import_cases[] = {
	{ .desc = "an empty list name is refused", .name = "",
	  .steps = { { 0, "email", { "a@example.com" }, LW_EINVAL } } },
	{ .desc = "a 256-octet list name is refused", .name = A256,
	  .steps = { { 0, "email", { "a@example.com" }, LW_EINVAL } } },
	{ .desc = "a list name with a newline is refused", .name = "a\nb",
	  .steps = { { 0, "email", { "a@example.com" }, LW_EINVAL } } },
	{ .desc = "a list name with a TAB is refused", .name = "a\tb",
	  .steps = { { 0, "email", { "a@example.com" }, LW_EINVAL } } },
	{ .desc = "a list name with DEL is refused", .name = "a\x7f" "b",
	  .steps = { { 0, "email", { "a@example.com" }, LW_EINVAL } } },
	{ .desc = "merging other columns is LW_EHEADER, the list as it was",
	  .name = "L",
	  .steps = {
	    { 0, "email,name", { "a@example.com,Al", "b@example.com,Bo" },
	      0 },
	    { 0, "email,city", { "c@example.com,Rome" }, LW_EHEADER } },
	  .want_rows = "a@example.com|a@example.com,Al\n"
	    "b@example.com|b@example.com,Bo\n",
	  .want_header = "email,name" },
	{ .desc = "a reject callback's non-zero return stops the import: "
	    "that value, and no list", .name = "L",
	  .steps = { { 0, "email", { "a@example.com", "nobody",
	    "b@example.com" }, LW_EIO } },
	  .stop = LW_EIO, .want_rejects = "3:no-at:nobody\n" },

	{ .desc = "a 255-octet list name is accepted", .name = A255,
	  .steps = { { 0, "email", { "a@example.com" }, 0 } },
	  .want_rows = "a@example.com|a@example.com\n", .want_header = "email",
	  .want = { .read = 1, .accepted = 1, .added = 1, .new_addresses = 1,
	    .rows = 1 } },
	{ .desc = "a new list keeps file order, rows without their line ends",
	  .name = "L",
	  .steps = { { 0, "email,name\n", { "b@example.com,Bo\n",
	    "a@example.com,Al\r\n", "c@example.com,\"C, x\"" }, 0 } },
	  .want_rows = "b@example.com|b@example.com,Bo\n"
	    "a@example.com|a@example.com,Al\n"
	    "c@example.com|c@example.com,\"C, x\"\n",
	  .want_header = "email,name",
	  .want = { .read = 3, .accepted = 3, .added = 3, .new_addresses = 3,
	    .rows = 3 } },
	{ .desc = "a CR LF header makes a CR LF list", .name = "L",
	  .steps = { { 0, "email\r\n", { "a@example.com\r\n" }, 0 } },
	  .want_rows = "a@example.com|a@example.com\n", .want_header = "email",
	  .want_crlf = 1,
	  .want = { .read = 1, .accepted = 1, .added = 1, .new_addresses = 1,
	    .rows = 1 } },
	{ .desc = "duplicates: the first row wins; rejects come in line order",
	  .name = "L",
	  .steps = { { 0, "email,n", { "a@example.com,first", "nobody,x",
	    "A@Example.COM,second", "b@example.com,b", "a@example.com,third",
	    "@example.com,y" }, 0 } },
	  .want_rows = "a@example.com|a@example.com,first\n"
	    "b@example.com|b@example.com,b\n",
	  .want_header = "email,n",
	  .want_rejects = "3:no-at:nobody,x\n"
	    "4:duplicate:A@Example.COM,second\n"
	    "6:duplicate:a@example.com,third\n"
	    "7:local-empty:@example.com,y\n",
	  .want = { .read = 6, .accepted = 2, .added = 2, .invalid = 2,
	    .duplicates = 2, .new_addresses = 2, .rows = 2 } },
	{ .desc = "a merge replaces in place, adds at the end, keeps the rest",
	  .name = "L",
	  .steps = {
	    { 0, "email,n", { "a@example.com,1", "b@example.com,1",
	      "c@example.com,1" }, 0 },
	    { 0, "email,n", { "d@example.com,2", "B@example.com,2",
	      "e@example.com,2" }, 0 } },
	  .want_rows = "a@example.com|a@example.com,1\n"
	    "b@example.com|B@example.com,2\n"
	    "c@example.com|c@example.com,1\n"
	    "d@example.com|d@example.com,2\n"
	    "e@example.com|e@example.com,2\n",
	  .want_header = "email,n",
	  .want = { .read = 3, .accepted = 3, .added = 2, .replaced = 1,
	    .new_addresses = 2, .rows = 5 } },
	{ .desc = "a merge's duplicate of a listed key: the first replaces",
	  .name = "L",
	  .steps = {
	    { 0, "email,n", { "a@example.com,1", "b@example.com,1" }, 0 },
	    { 0, "email,n", { "a@example.com,2", "a@example.com,3",
	      "bad@,3" }, 0 } },
	  .want_rows = "a@example.com|a@example.com,2\n"
	    "b@example.com|b@example.com,1\n",
	  .want_header = "email,n",
	  .want_rejects = "3:duplicate:a@example.com,3\n"
	    "4:domain-empty:bad@,3\n",
	  .want = { .read = 3, .accepted = 1, .replaced = 1, .invalid = 1,
	    .duplicates = 1, .rows = 2 } },
	{ .desc = "a merge keeps the list's line ends", .name = "L",
	  .steps = {
	    { 0, "email\r\n", { "a@example.com" }, 0 },
	    { 0, "email\n", { "b@example.com" }, 0 } },
	  .want_rows = "a@example.com|a@example.com\n"
	    "b@example.com|b@example.com\n",
	  .want_header = "email", .want_crlf = 1,
	  .want = { .read = 1, .accepted = 1, .added = 1, .new_addresses = 1,
	    .rows = 2 } },
	{ .desc = "LW_IMPORT_REPLACE makes the list exactly the file, with "
	    "its header and line ends", .name = "L",
	  .steps = {
	    { 0, "email,n\r\n", { "a@example.com,1", "b@example.com,1" }, 0 },
	    { LW_IMPORT_REPLACE, "email,city\n", { "c@example.com,Rome",
	      "a@example.com,Oslo" }, 0 } },
	  .want_rows = "c@example.com|c@example.com,Rome\n"
	    "a@example.com|a@example.com,Oslo\n",
	  .want_header = "email,city",
	  .want = { .read = 2, .accepted = 2, .added = 2, .new_addresses = 1,
	    .rows = 2 } },
	{ .desc = "LW_IMPORT_REPLACE on a new list just creates it",
	  .name = "L",
	  .steps = { { LW_IMPORT_REPLACE, "email", { "a@example.com" }, 0 } },
	  .want_rows = "a@example.com|a@example.com\n", .want_header = "email",
	  .want = { .read = 1, .accepted = 1, .added = 1, .new_addresses = 1,
	    .rows = 1 } },
	{ .desc = "a file of invalid rows only makes an empty list",
	  .name = "L",
	  .steps = { { 0, "email", { "x", "y@" }, 0 } },
	  .want_rows = "", .want_header = "email",
	  .want_rejects = "2:no-at:x\n3:domain-empty:y@\n",
	  .want = { .read = 2, .invalid = 2 } },
};

/* test_import - the table: each case on a store of its own */
static void
test_import(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_import_stats st;
	struct rejects rj;
	struct dump d;
	size_t i, j;
	int err;

	for (i = 0; i < NELEM(import_cases); i++) {
		const struct import_case *c = &import_cases[i];

		s = open_ok(fx_path(fx, "import", i), LW_STORE_CREATE);
		for (j = 0; j < NELEM(c->steps) && c->steps[j].header; j++) {
			const struct import_step *p = &c->steps[j];

			memset(&rj, 0, sizeof(rj));
			rj.stop = c->stop;
			memset(&st, 0xa5, sizeof(st));
			err = import_rows(fx, s, c->name, p->flags, p->header,
			    ',', p->rows, NELEM(p->rows), &rj, &st);
			expect_err(c->desc, "the import", err, p->err);
		}
		j--;
		expect_str(c->desc, "rejects", rj.buf, c->want_rejects ?
		    c->want_rejects : "");
		if (c->steps[j].err == LW_OK) {
			expect_u64(c->desc, "read", st.read, c->want.read);
			expect_u64(c->desc, "accepted", st.accepted,
			    c->want.accepted);
			expect_u64(c->desc, "added", st.added, c->want.added);
			expect_u64(c->desc, "replaced", st.replaced,
			    c->want.replaced);
			expect_u64(c->desc, "invalid", st.invalid,
			    c->want.invalid);
			expect_u64(c->desc, "duplicates", st.duplicates,
			    c->want.duplicates);
			expect_u64(c->desc, "new_addresses", st.new_addresses,
			    c->want.new_addresses);
			expect_u64(c->desc, "rows", st.rows, c->want.rows);
		}
		err = dump_list(s, c->name, &d, c->desc);
		if (c->want_rows == NULL) {
			expect_err(c->desc, "lw_store_rows", err, LW_ENOENT);
		} else {
			expect_err(c->desc, "lw_store_rows", err, LW_OK);
			expect_str(c->desc, "rows", d.buf, c->want_rows);
			expect_str(c->desc, "header", d.header, c->want_header);
			expect_u64(c->desc, "crlf", (uint64_t)d.crlf,
			    (uint64_t)c->want_crlf);
			expect_u64(c->desc, "delimiter", (uint64_t)d.delimiter,
			    ',');
		}
		/* Whatever happened, no generation but the live ones stays. */
		expect_only_live(s, c->desc);
		lw_store_close(s);
	}
}

/* test_import_long_reason - a caller's reason comes back whole */
static void
test_import_long_reason(void **state)
{
	static const char reason[] = "the address is on the internal "
	    "do-not-contact register kept by the compliance team";
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_import *imp;
	struct lw_import_row row = { 2, "x@example.com", 13, NULL, reason };
	struct rejects rj = { .len = 0 };
	char want[256];
	int err;

	s = open_ok(fx_path(fx, "reason", 0), LW_STORE_CREATE);
	assert_int_equal(lw_import_begin(s, "L", 0, "email", 5, ',',
	    on_reject, &rj, &imp), LW_OK);
	assert_int_equal(lw_import_add(imp, &row), LW_OK);
	assert_int_equal(add_row(fx, imp, 3, "y@example.com", ','), LW_OK);
	err = lw_import_commit(imp, NULL);
	lw_store_close(s);
	assert_int_equal(err, LW_OK);
	snprintf(want, sizeof(want), "2:%s:x@example.com\n", reason);
	assert_string_equal(rj.buf, want);
}

struct abort_case {
	const char *desc;
	int existing;		/* the list exists before the import */
	unsigned flags;
};

static const struct abort_case abort_cases[] = {
	{ "an aborted new list leaves no list and no generation", 0, 0 },
	{ "an aborted merge leaves the list and its copied rows go", 1, 0 },
	{ "an aborted replace leaves the list as it was", 1,
	    LW_IMPORT_REPLACE },
};

/* test_import_abort - nothing of an aborted import stays */
static void
test_import_abort(void **state)
{
	static const char *const before[] = { "a@example.com,1",
	    "b@example.com,1" };
	static const char *const more[] = { "c@example.com,2",
	    "a@example.com,2" };
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_import *imp;
	struct gen_ent g[8];
	struct dump d;
	uint64_t staged = 0;
	size_t i, j, n;

	for (i = 0; i < NELEM(abort_cases); i++) {
		const struct abort_case *c = &abort_cases[i];

		s = open_ok(fx_path(fx, "abort", i), LW_STORE_CREATE);
		if (c->existing)
			assert_int_equal(import_rows(fx, s, "L", 0, "email,n",
			    ',', before, NELEM(before), NULL, NULL), LW_OK);
		assert_int_equal(lw_import_begin(s, "L", c->flags, "email,n",
		    7, ',', NULL, NULL, &imp), LW_OK);
		for (j = 0; j < NELEM(more); j++)
			assert_int_equal(add_row(fx, imp, j + 2, more[j], ','),
			    LW_OK);
		/* The staging generation is there before the abort. */
		n = walk_gens(s, g, NELEM(g));
		for (j = 0; j < n; j++)
			if (g[j].rec.state == GEN_STAGING)
				staged = g[j].gen;
		expect_u64(c->desc, "staging generations",
		    (uint64_t)(n - (size_t)c->existing), 1);
		if (c->existing && !(c->flags & LW_IMPORT_REPLACE) &&
		    count_gen(s, s->rows, staged) == 0) {
			print_error("case '%s': a merge staged no rows\n",
			    c->desc);
			fail();
		}
		lw_import_abort(imp);

		expect_only_live(s, c->desc);
		expect_u64(c->desc, "staged rows left",
		    count_gen(s, s->rows, staged), 0);
		expect_u64(c->desc, "staged keys left",
		    count_gen(s, s->list_keys, staged), 0);
		if (c->existing) {
			expect_err(c->desc, "lw_store_rows",
			    dump_list(s, "L", &d, c->desc), LW_OK);
			expect_str(c->desc, "rows", d.buf,
			    "a@example.com|a@example.com,1\n"
			    "b@example.com|b@example.com,1\n");
		} else {
			expect_err(c->desc, "lw_store_rows",
			    dump_list(s, "L", &d, c->desc), LW_ENOENT);
		}
		lw_store_close(s);
	}
	lw_import_abort(NULL);
}

struct conflict_case {
	const char *desc;
	int existing;
	int later_commits_first;	/* B, begun second, commits first */
	const char *want_rows;
};

static const struct conflict_case conflict_cases[] = {
	{ "two imports of a new list: the second to commit conflicts", 0, 0,
	    "a@example.com|a@example.com,A\n" },
	{ "two merges into a list: the second to commit conflicts", 1, 0,
	    "x@example.com|x@example.com,old\n"
	    "a@example.com|a@example.com,A\n" },
	{ "the later-begun import committing first wins", 1, 1,
	    "x@example.com|x@example.com,old\n"
	    "b@example.com|b@example.com,B\n" },
};

/* test_import_conflict - an import that lost the race changes nothing */
static void
test_import_conflict(void **state)
{
	static const char *const old[] = { "x@example.com,old" };
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_import *imp[2];
	struct dump d;
	size_t i;
	int first, second;

	for (i = 0; i < NELEM(conflict_cases); i++) {
		const struct conflict_case *c = &conflict_cases[i];

		s = open_ok(fx_path(fx, "conflict", i), LW_STORE_CREATE);
		if (c->existing)
			assert_int_equal(import_rows(fx, s, "L", 0, "email,n",
			    ',', old, NELEM(old), NULL, NULL), LW_OK);
		assert_int_equal(lw_import_begin(s, "L", 0, "email,n", 7,
		    ',', NULL, NULL, &imp[0]), LW_OK);
		assert_int_equal(lw_import_begin(s, "L", 0, "email,n", 7,
		    ',', NULL, NULL, &imp[1]), LW_OK);
		assert_int_equal(add_row(fx, imp[0], 2, "a@example.com,A",
		    ','), LW_OK);
		assert_int_equal(add_row(fx, imp[1], 2, "b@example.com,B",
		    ','), LW_OK);
		first = c->later_commits_first;
		second = !first;
		expect_err(c->desc, "the first commit",
		    lw_import_commit(imp[first], NULL), LW_OK);
		expect_err(c->desc, "the second commit",
		    lw_import_commit(imp[second], NULL), LW_ECONFLICT);
		expect_err(c->desc, "lw_store_rows", dump_list(s, "L", &d,
		    c->desc), LW_OK);
		expect_str(c->desc, "rows", d.buf, c->want_rows);
		expect_only_live(s, c->desc);
		lw_store_close(s);
	}
}

/*
 * test_import_out_of_files - lw_import_begin when no file can be opened
 * for the invalid rows: an error, no crash, the store untouched.  Run in
 * a child, since the child gives up its spare file descriptors.
 */
static void
test_import_out_of_files(void **state)
{
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_import *imp = NULL;
	struct rlimit rl;
	struct dump d;
	char path[256];
	pid_t pid;
	int status, err;

	strcpy(path, fx_path(fx, "nofiles", 0));
	lw_store_close(open_ok(path, LW_STORE_CREATE));
	fflush(NULL);
	if ((pid = fork()) == 0) {
		if (lw_store_open(&s, path, 0, 0) != LW_OK)
			_exit(10);
		rl.rlim_cur = rl.rlim_max = 64;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			_exit(11);
		while (dup(2) >= 0)
			;
		if (errno != EMFILE)
			_exit(12);
		err = lw_import_begin(s, "L", 0, "email", 5, ',', NULL, NULL,
		    &imp);
		_exit(err < 0 && imp == NULL ? 0 : 13);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		print_error("the child %s %d (a sanitizer report above?)\n",
		    WIFEXITED(status) ? "exited with" : "died of signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		fail();
	}
	s = open_ok(path, 0);
	expect_only_live(s, "out of files");
	assert_int_equal(dump_list(s, "L", &d, "out of files"), LW_ENOENT);
	lw_store_close(s);
}

/* ==== 6. Staging cleanup ==== */

enum orphan_kind { ORPHAN_NEW, ORPHAN_MERGE, ORPHAN_IN_COMMIT };

struct orphan_case {
	const char *desc;
	enum orphan_kind kind;
	int has_rows, has_keys;		/* what the orphan left behind */
};

static const struct orphan_case orphan_cases[] = {
	{ "a process that began a new list and died", ORPHAN_NEW, 0, 0 },
	{ "a process that began a merge (rows copied) and died",
	    ORPHAN_MERGE, 1, 0 },
	{ "a process killed inside its commit (rows and keys written)",
	    ORPHAN_IN_COMMIT, 1, 1 },
};

/* die_on_reject - the importer dies while handing back rejects */
static int
die_on_reject(void *arg, unsigned long line, const char *raw, size_t raw_len,
    const char *reason)
{
	(void)arg;
	(void)line;
	(void)raw;
	(void)raw_len;
	(void)reason;
	_exit(0);
}

/* orphan_child - stage an import and die without finishing it */
static void
orphan_child(struct fx *fx, const char *path, enum orphan_kind kind)
{
	struct lw_store *s;
	struct lw_import *imp;

	if (lw_store_open(&s, path, 0, 0) != LW_OK)
		_exit(20);
	switch (kind) {
	case ORPHAN_NEW:
		if (lw_import_begin(s, "N", 0, "email,n", 7, ',', NULL, NULL,
		    &imp) != LW_OK ||
		    add_row(fx, imp, 2, "n@example.com,1", ',') != LW_OK ||
		    add_row(fx, imp, 3, "m@example.com,1", ',') != LW_OK)
			_exit(21);
		_exit(0);
	case ORPHAN_MERGE:
		if (lw_import_begin(s, "L", 0, "email,n", 7, ',', NULL, NULL,
		    &imp) != LW_OK ||
		    add_row(fx, imp, 2, "d@example.com,2", ',') != LW_OK)
			_exit(22);
		_exit(0);
	case ORPHAN_IN_COMMIT:
		if (lw_import_begin(s, "L", 0, "email,n", 7, ',', die_on_reject,
		    NULL, &imp) != LW_OK ||
		    add_row(fx, imp, 2, "d@example.com,2", ',') != LW_OK ||
		    add_row(fx, imp, 3, "d@example.com,3", ',') != LW_OK)
			_exit(23);
		(void)lw_import_commit(imp, NULL);
		_exit(24);	/* the reject callback did not run */
	}
	_exit(25);
}

static const char orphan_list[] = "a@example.com|a@example.com,1\n"
    "b@example.com|b@example.com,1\nc@example.com|c@example.com,1\n";

/* test_orphans - a dead importer's generation goes at the next writer */
static void
test_orphans(void **state)
{
	static const char *const rows[] = { "a@example.com,1",
	    "b@example.com,1", "c@example.com,1" };
	struct fx *fx = *state;
	struct lw_store *s;
	struct gen_ent g[8];
	struct dump d;
	char path[256];
	uint64_t orphan = 0;
	size_t i, j, n;
	pid_t pid;
	int status, found;

	for (i = 0; i < NELEM(orphan_cases); i++) {
		const struct orphan_case *c = &orphan_cases[i];

		strcpy(path, fx_path(fx, "orphan", i));
		s = open_ok(path, LW_STORE_CREATE);
		assert_int_equal(import_rows(fx, s, "L", 0, "email,n", ',',
		    rows, NELEM(rows), NULL, NULL), LW_OK);
		lw_store_close(s);

		fflush(NULL);
		if ((pid = fork()) == 0)
			orphan_child(fx, path, c->kind);
		assert_true(pid > 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			print_error("case '%s': the child ended with status "
			    "%#x\n", c->desc, status);
			fail();
		}

		/* A reader sees the orphan and leaves it alone. */
		s = open_ok(path, LW_STORE_RDONLY);
		n = walk_gens(s, g, NELEM(g));
		for (found = 0, j = 0; j < n; j++)
			if (g[j].rec.state == GEN_STAGING &&
			    g[j].rec.pid == (uint32_t)pid) {
				orphan = g[j].gen;
				found++;
			}
		expect_u64(c->desc, "orphans before", (uint64_t)found, 1);
		expect_u64(c->desc, "orphan has rows",
		    count_gen(s, s->rows, orphan) > 0, (uint64_t)c->has_rows);
		expect_u64(c->desc, "orphan has keys",
		    count_gen(s, s->list_keys, orphan) > 0,
		    (uint64_t)c->has_keys);
		assert_int_equal(dump_list(s, "L", &d, c->desc), LW_OK);
		expect_str(c->desc, "rows before", d.buf, orphan_list);
		lw_store_close(s);

		s = open_ok(path, LW_STORE_RDONLY);
		expect_u64(c->desc, "generations after a reader",
		    walk_gens(s, g, NELEM(g)), n);
		lw_store_close(s);

		/* A writer deletes it, rows, keys and all. */
		s = open_ok(path, 0);
		expect_only_live(s, c->desc);
		expect_u64(c->desc, "orphan rows left",
		    count_gen(s, s->rows, orphan), 0);
		expect_u64(c->desc, "orphan keys left",
		    count_gen(s, s->list_keys, orphan), 0);
		assert_int_equal(dump_list(s, "L", &d, c->desc), LW_OK);
		expect_str(c->desc, "rows after", d.buf, orphan_list);
		assert_int_equal(dump_list(s, "N", &d, c->desc), LW_ENOENT);
		lw_store_close(s);
	}
}

enum pid_kind { PID_SELF, PID_PARENT, PID_DEAD, PID_ZERO };

struct forged_case {
	const char *desc;
	uint8_t state;
	enum pid_kind pid;
	int kept;
};

static const struct forged_case forged_cases[] = {
	{ "staging, its process gone: deleted", GEN_STAGING, PID_DEAD, 0 },
	{ "staging with pid 0: deleted", GEN_STAGING, PID_ZERO, 0 },
	{ "garbage: deleted even if its process runs", GEN_GARBAGE,
	    PID_SELF, 0 },
	{ "staging by a running process (this one): kept", GEN_STAGING,
	    PID_SELF, 1 },
	{ "staging by another running process: kept", GEN_STAGING,
	    PID_PARENT, 1 },
	{ "live, its process gone: kept", GEN_LIVE, PID_DEAD, 1 },
};

#define FORGED_GEN	1000

/* dead_pid - the pid of a process that has ended and been reaped */
static pid_t
dead_pid(void)
{
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) == 0)
		_exit(0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);
	return pid;
}

/*
 * test_forged_generations - generation records rewritten through
 * lw_gen_encode: which the next writer deletes, which it keeps
 */
static void
test_forged_generations(void **state)
{
	static const char *const rows[] = { "a@example.com,1" };
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_buf b = { 0 };
	struct lw_gen_rec g;
	struct gen_ent ge[8];
	struct dump d;
	uint8_t k[16], kk[64], kv[9] = { LW_VALUE_VERSION };
	char path[256];
	pid_t gone = dead_pid();
	size_t i, n;

	for (i = 0; i < NELEM(forged_cases); i++) {
		const struct forged_case *c = &forged_cases[i];

		strcpy(path, fx_path(fx, "forged", i));
		s = open_ok(path, LW_STORE_CREATE);
		assert_int_equal(import_rows(fx, s, "L", 0, "email,n", ',',
		    rows, NELEM(rows), NULL, NULL), LW_OK);
		memset(&g, 0, sizeof(g));
		g.state = c->state;
		g.pid = c->pid == PID_SELF ? (uint32_t)getpid() :
		    c->pid == PID_PARENT ? (uint32_t)getppid() :
		    c->pid == PID_DEAD ? (uint32_t)gone : 0;
		g.started = 1;
		strcpy(g.name, "F");
		assert_int_equal(lw_gen_encode(&b, &g), LW_OK);
		lw_key_u64(k, FORGED_GEN);
		assert_int_equal(raw_put(s, s->generations, k, 8, b.p, b.len),
		    LW_OK);
		lw_key_gen_row(k, FORGED_GEN, 0);
		assert_int_equal(lw_row_encode(&b, "f@example.com", 13,
		    "f@example.com,9", 15), LW_OK);
		assert_int_equal(raw_put(s, s->rows, k, 16, b.p, b.len),
		    LW_OK);
		lw_key_u64(kk, FORGED_GEN);
		memcpy(kk + 8, "f@example.com", 13);
		assert_int_equal(raw_put(s, s->list_keys, kk, 21, kv, 9),
		    LW_OK);
		lw_store_close(s);

		/* A reader never cleans. */
		s = open_ok(path, LW_STORE_RDONLY);
		expect_u64(c->desc, "generations to a reader",
		    walk_gens(s, ge, NELEM(ge)), 2);
		lw_store_close(s);

		s = open_ok(path, 0);
		n = walk_gens(s, ge, NELEM(ge));
		expect_u64(c->desc, "generations after a writer", n,
		    c->kept ? 2 : 1);
		expect_u64(c->desc, "rows left",
		    count_gen(s, s->rows, FORGED_GEN), c->kept ? 1 : 0);
		expect_u64(c->desc, "keys left",
		    count_gen(s, s->list_keys, FORGED_GEN), c->kept ? 1 : 0);
		assert_int_equal(dump_list(s, "L", &d, c->desc), LW_OK);
		expect_str(c->desc, "the list", d.buf,
		    "a@example.com|a@example.com,1\n");
		lw_store_close(s);
	}
	lw_buf_free(&b);
}

/* test_superseded - the generation an import replaced is gone after it */
static void
test_superseded(void **state)
{
	static const char *const one[] = { "a@example.com,1",
	    "b@example.com,1" };
	static const char *const two[] = { "b@example.com,2" };
	static const unsigned flags[] = { 0, LW_IMPORT_REPLACE };
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_list *l;
	uint64_t old;
	size_t i;

	for (i = 0; i < NELEM(flags); i++) {
		s = open_ok(fx_path(fx, "superseded", i), LW_STORE_CREATE);
		assert_int_equal(import_rows(fx, s, "L", 0, "email,n", ',', one,
		    NELEM(one), NULL, NULL), LW_OK);
		assert_int_equal(lw_store_list_get(s, "L", &l), LW_OK);
		old = l->gen;
		lw_list_free(l);
		assert_true(count_gen(s, s->rows, old) == 2);
		assert_true(count_gen(s, s->list_keys, old) == 2);

		assert_int_equal(import_rows(fx, s, "L", flags[i], "email,n",
		    ',', two, NELEM(two), NULL, NULL), LW_OK);
		assert_int_equal(lw_store_list_get(s, "L", &l), LW_OK);
		assert_true(l->gen != old);
		assert_int_equal(l->rows, flags[i] ? 1 : 2);
		lw_list_free(l);
		expect_only_live(s, flags[i] ? "replace" : "merge");
		assert_int_equal(count_gen(s, s->rows, old), 0);
		assert_int_equal(count_gen(s, s->list_keys, old), 0);
		lw_store_close(s);
	}
}

/* ==== 7. Corruption ==== */

enum corrupt_target { DAMAGE_LIST, DAMAGE_ROW };

struct corrupt_case {
	const char *desc;
	enum corrupt_target target;
	const char *val;
	size_t len;
	int stats_sees;		/* the damage is in what stats reads */
};

/* A lists value: version, gen 1, rows 1, two times, ',', crlf, header. */
#define LIST_HEAD(ver)	ver "\0\0\0\0\0\0\0\1" "\0\0\0\0\0\0\0\1" \
	"\0\0\0\0\0\0\0\0" "\0\0\0\0\0\0\0\0" ",\0"

static const struct corrupt_case corrupt_cases[] = {
	{ "an empty list record", DAMAGE_LIST, "", 0, 1 },
	{ "a list record of text", DAMAGE_LIST, "garbage!", 8, 1 },
	{ "a list record with version 2", DAMAGE_LIST,
	    LIST_HEAD("\2") "\0\0\0\1e", 40, 1 },
	{ "a list record cut after its version", DAMAGE_LIST, "\1", 1, 1 },
	{ "a list record cut inside its row count", DAMAGE_LIST,
	    LIST_HEAD("\1"), 12, 1 },
	{ "a list header longer than the record", DAMAGE_LIST,
	    LIST_HEAD("\1") "\0\0\x10\0e", 40, 0 },
	{ "a row record of text", DAMAGE_ROW, "garbage!", 8, 0 },
	{ "a row whose key runs past the record", DAMAGE_ROW,
	    "\1\0\x40" "a@example.com", 16, 0 },
};

/* count_list - lw_store_lists callback: count the lists */
static int
count_list(void *arg, const struct lw_list *l)
{
	(void)l;
	++*(int *)arg;
	return 0;
}

/* test_corrupt - damaged records are LW_ECORRUPT wherever they are read */
static void
test_corrupt(void **state)
{
	static const char *const rows[] = { "a@example.com,1",
	    "b@example.com,1" };
	struct fx *fx = *state;
	struct lw_store *s;
	struct lw_store_stats st;
	struct lw_list *l;
	struct lw_import *imp = NULL;
	struct dump d;
	uint8_t k[16];
	size_t i;
	int nlists;

	for (i = 0; i < NELEM(corrupt_cases); i++) {
		const struct corrupt_case *c = &corrupt_cases[i];

		s = open_ok(fx_path(fx, "corrupt", i), LW_STORE_CREATE);
		assert_int_equal(import_rows(fx, s, "a", 0, "email,n", ',',
		    rows, NELEM(rows), NULL, NULL), LW_OK);
		assert_int_equal(import_rows(fx, s, "b", 0, "email,n", ',',
		    rows, NELEM(rows), NULL, NULL), LW_OK);
		assert_int_equal(lw_store_list_get(s, "a", &l), LW_OK);
		if (c->target == DAMAGE_LIST) {
			assert_int_equal(raw_put(s, s->lists, "a", 1, c->val,
			    c->len), LW_OK);
		} else {
			lw_key_gen_row(k, l->gen, 1);
			assert_int_equal(raw_put(s, s->rows, k, 16, c->val,
			    c->len), LW_OK);
		}
		lw_list_free(l);

		l = NULL;
		if (c->target == DAMAGE_LIST) {
			expect_err(c->desc, "lw_store_list_get",
			    lw_store_list_get(s, "a", &l), LW_ECORRUPT);
			assert_null(l);
			nlists = 0;
			expect_err(c->desc, "lw_store_lists",
			    lw_store_lists(s, count_list, &nlists),
			    LW_ECORRUPT);
			expect_err(c->desc, "lw_import_begin",
			    lw_import_begin(s, "a", 0, "email,n", 7, ',', NULL,
			    NULL, &imp), LW_ECORRUPT);
			assert_null(imp);
			if (c->stats_sees)
				expect_err(c->desc, "lw_store_stats",
				    lw_store_stats(s, &st), LW_ECORRUPT);
		}
		expect_err(c->desc, "lw_store_rows", dump_list(s, "a", &d,
		    c->desc), LW_ECORRUPT);

		/* The other list is as it was. */
		expect_err(c->desc, "the other list", dump_list(s, "b", &d,
		    c->desc), LW_OK);
		expect_str(c->desc, "the other list", d.buf,
		    "a@example.com|a@example.com,1\n"
		    "b@example.com|b@example.com,1\n");
		lw_store_close(s);

		/* The store still opens for writing. */
		s = open_ok(fx_path(fx, "corrupt", i), 0);
		lw_store_close(s);
	}
}

int
main(void)
{
#define T(f)	cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_str_bytes),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_record_limits),
		cmocka_unit_test(test_key_order),
		T(test_open),
		T(test_create),
		T(test_schema_gate),
		T(test_migrations),
		T(test_map_growth),
		T(test_import),
		T(test_import_long_reason),
		T(test_import_abort),
		T(test_import_conflict),
		T(test_import_out_of_files),
		T(test_orphans),
		T(test_forged_generations),
		T(test_superseded),
		T(test_corrupt),
	};
#undef T

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
