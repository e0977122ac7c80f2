/*
 * store.c - the LMDB environment, its transactions, and the read side
 *
 * NAME
 *	store - open, gate, grow, read
 *
 * DESCRIPTION
 *	lw_store_open() opens (or, for init, creates) the environment as a
 *	single file with MDB_NOSUBDIR, mode 0600, and checks the schema
 *	version recorded in meta against the migrations this program knows.
 *	A file that LMDB does not recognize, or an LMDB file without
 *	listwarden's meta, is LW_ENOTSTORE.
 *
 *	lw_store_write() is the only way to write: it runs a function in a
 *	write transaction and, when the map is full, aborts, doubles the
 *	map and runs the function again, so a caller never sees
 *	MDB_MAP_FULL.  When another process has grown the map, LMDB says
 *	MDB_MAP_RESIZED and the new size is adopted the same way.
 *
 *	The read side (lists, rows, stats) uses one read-only transaction
 *	per call: a snapshot, so a walk over a list's rows sees one
 *	generation whatever writers do meanwhile.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "listwarden/error.h"
#include "store_int.h"

#define DEFAULT_MAP_SIZE	((size_t)256 << 20)
#define MAX_DBS			16

/* lw_store_err - translate an LMDB or errno code into the lw_err domain */
int
lw_store_err(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return LW_OK;
	case MDB_NOTFOUND:
		return LW_ENOENT;
	case MDB_KEYEXIST:
		return LW_EEXIST;
	case MDB_MAP_FULL:
		return LW_ENOSPC;
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
		return LW_ENOTSTORE;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_BAD_TXN:
	case MDB_BAD_VALSIZE:
		return LW_ECORRUPT;
	case MDB_READERS_FULL:
	case MDB_DBS_FULL:
	case MDB_TXN_FULL:
		return LW_EBUSY;
	default:
		if (rc > 0 && rc < 1000)
			return -rc;
		return LW_EIO;
	}
}

/*
 * lw_store_open_dbis - open the named databases once per environment
 *
 * Those of schema version and before: a migration creates its own with
 * MDB_CREATE, and an older store opened to be migrated has no others.
 */
int
lw_store_open_dbis(struct lw_store *s, MDB_txn *txn, unsigned flags,
    unsigned version)
{
	static const struct {
		const char *name;
		unsigned version;
		size_t off;
	} dbs[] = {
		{ "meta", 1, offsetof(struct lw_store, meta) },
		{ "lists", 1, offsetof(struct lw_store, lists) },
		{ "generations", 1, offsetof(struct lw_store, generations) },
		{ "rows", 1, offsetof(struct lw_store, rows) },
		{ "list_keys", 1, offsetof(struct lw_store, list_keys) },
		{ "addresses", 1, offsetof(struct lw_store, addresses) },
		{ "events", 2, offsetof(struct lw_store, events) },
		{ "states", 2, offsetof(struct lw_store, states) },
		{ "domain_rules", 2, offsetof(struct lw_store, domain_rules) },
	};
	size_t i;
	int rc;

	if (s->dbis_open)
		return LW_OK;
	for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		if (dbs[i].version > version)
			continue;
		rc = mdb_dbi_open(txn, dbs[i].name, flags,
		    (MDB_dbi *)((char *)s + dbs[i].off));
		if (rc != 0)
			return rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE ?
			    LW_ENOTSTORE : lw_store_err(rc);
	}
	s->dbis_open = 1;
	return LW_OK;
}

/* txn_begin - begin a transaction, adopting a map another process grew */
static int
txn_begin(struct lw_store *s, unsigned flags, MDB_txn **txn)
{
	int rc;

	rc = mdb_txn_begin(s->env, NULL, flags, txn);
	if (rc == MDB_MAP_RESIZED) {
		if ((rc = mdb_env_set_mapsize(s->env, 0)) == 0)
			rc = mdb_txn_begin(s->env, NULL, flags, txn);
	}
	return lw_store_err(rc);
}

/* lw_store_read_begin - a read-only snapshot; the caller aborts it */
int
lw_store_read_begin(struct lw_store *s, MDB_txn **txn)
{
	return txn_begin(s, MDB_RDONLY, txn);
}

/*
 * lw_store_shed - let the pages of the map go from this process's memory
 *
 * LMDB reads through a shared read-only mapping of the file, and every
 * page a bulk import or an export touches stays resident in the process
 * (RSS) though it is only page cache.  Long walks call this every so
 * often, so a process's memory stays bounded by what it holds itself,
 * whatever the size of the store.  It is safe at any time: pointers into
 * the map stay valid and fault the same bytes back from the page cache,
 * since LMDB never changes a page a reader may see.
 */
void
lw_store_shed(struct lw_store *s)
{
	unsigned long start, end, ino;
	unsigned major, minor;
	char line[512];
	FILE *fp;

	/*
	 * LMDB does not tell where it mapped the file (mdb_env_info gives
	 * the MDB_FIXEDMAP address only), so find the mapping by inode.
	 */
	if ((fp = fopen("/proc/self/maps", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%lx-%lx %*s %*s %x:%x %lu", &start, &end,
		    &major, &minor, &ino) != 5)
			continue;
		if (ino == (unsigned long)s->ino &&
		    makedev(major, minor) == s->dev)
			(void)madvise((void *)start, end - start,
			    MADV_DONTNEED);
	}
	fclose(fp);
}

/* grow_map - double the map size (no transaction may be open) */
static int
grow_map(struct lw_store *s)
{
	MDB_envinfo info;
	int rc;

	if ((rc = mdb_env_info(s->env, &info)) != 0)
		return lw_store_err(rc);
	if (info.me_mapsize > SIZE_MAX / 2)
		return LW_ENOSPC;
	return lw_store_err(mdb_env_set_mapsize(s->env,
	    info.me_mapsize * 2));
}

/* lw_store_write - run fn in a write transaction, replayed on a full map */
int
lw_store_write(struct lw_store *s,
    int (*fn)(struct lw_store *s, MDB_txn *txn, void *arg), void *arg)
{
	MDB_txn *txn;
	int err, rc;

	if (s->flags & LW_STORE_RDONLY)
		return LW_EACCES;
	for (;;) {
		if ((err = txn_begin(s, 0, &txn)) != LW_OK)
			return err;
		err = fn(s, txn, arg);
		if (err == LW_OK) {
			rc = mdb_txn_commit(txn);
			err = rc == MDB_MAP_FULL ? LW_ENOSPC : lw_store_err(rc);
			if (rc == MDB_MAP_FULL && (err = grow_map(s)) == LW_OK)
				continue;
			return err;
		}
		mdb_txn_abort(txn);
		/* fn reports MDB_MAP_FULL from a put as LW_ENOSPC. */
		if (err != LW_ENOSPC || (err = grow_map(s)) != LW_OK)
			return err;
	}
}

/*
 * schema_gate - compare the recorded schema with the program's
 *
 * Opens meta, reads the version, and when it is current opens the other
 * databases too; their handles outlive the read transaction, which is
 * committed for that.
 */
static int
schema_gate(struct lw_store *s)
{
	MDB_txn *txn;
	unsigned have;
	int err, rc;

	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	rc = mdb_dbi_open(txn, "meta", 0, &s->meta);
	if (rc != 0) {
		mdb_txn_abort(txn);
		return rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE ?
		    LW_ENOTSTORE : lw_store_err(rc);
	}
	err = lw_meta_schema(s, txn, &have);
	if (err == LW_OK && have == lw_migrate_latest())
		err = lw_store_open_dbis(s, txn, 0, have);
	if (err != LW_OK) {
		mdb_txn_abort(txn);
		s->dbis_open = 0;
		return err == LW_ENOENT ? LW_ENOTSTORE : err;
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return lw_store_err(rc);
	if (s->flags & LW_STORE_ANY_SCHEMA)
		return LW_OK;
	if (have < lw_migrate_latest())
		return LW_ESCHEMA_OLD;
	if (have > lw_migrate_latest())
		return LW_ESCHEMA_NEW;
	return LW_OK;
}

/*
 * lmdb_magic - whether the file starts like an LMDB data file
 *
 * Checked before mdb_env_open(), which would leave a lock file beside a
 * user's text file given by mistake.  The first page is a meta page: a
 * page header, then the magic number 0xBEEFC0DE in host byte order.
 */
static int
lmdb_magic(const char *path)
{
	unsigned char buf[16 + 4];
	uint32_t magic;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n != (ssize_t)sizeof(buf))
		return 0;
	memcpy(&magic, buf + 16, sizeof(magic));
	return magic == 0xBEEFC0DEu;
}

/* env_empty - whether the environment holds no database at all */
static int
env_empty(struct lw_store *s)
{
	MDB_txn *txn;
	MDB_dbi main;
	MDB_stat st;
	int empty = 0;

	if (lw_store_read_begin(s, &txn) != LW_OK)
		return 0;
	if (mdb_dbi_open(txn, NULL, 0, &main) == 0 &&
	    mdb_stat(txn, main, &st) == 0)
		empty = st.ms_entries == 0;
	mdb_txn_abort(txn);
	return empty;
}

/* lw_store_open - open (or create) the store at path */
int
lw_store_open(struct lw_store **sp, const char *path, unsigned flags,
    size_t map_size)
{
	struct lw_store *s;
	struct stat st;
	unsigned env_flags = MDB_NOSUBDIR;
	int err, rc, fd;

	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return -errno;
		if (!(flags & LW_STORE_CREATE) || (flags & LW_STORE_RDONLY))
			return LW_ENOENT;
		/* Create it 0600 here, so no umask or race widens it. */
		if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW,
		    0600)) < 0)
			return -errno;
		close(fd);
	} else if (!S_ISREG(st.st_mode)) {
		return LW_ENOTSTORE;
	} else if (st.st_size == 0 && !(flags & LW_STORE_CREATE)) {
		return LW_ENOTSTORE;
	} else if (st.st_size > 0 && (err = lmdb_magic(path)) <= 0) {
		return err < 0 ? err : LW_ENOTSTORE;
	}
	if ((s = calloc(1, sizeof(*s) + strlen(path) + 1)) == NULL)
		return LW_ENOMEM;
	strcpy(s->path, path);
	s->flags = flags;
	s->created = stat(path, &st) == 0 && st.st_size == 0;
	if (flags & LW_STORE_RDONLY)
		env_flags |= MDB_RDONLY;
	if ((rc = mdb_env_create(&s->env)) != 0) {
		free(s);
		return lw_store_err(rc);
	}
	mdb_env_set_maxdbs(s->env, MAX_DBS);
	mdb_env_set_mapsize(s->env, map_size ? map_size : DEFAULT_MAP_SIZE);
	if ((rc = mdb_env_open(s->env, path, env_flags, 0600)) != 0) {
		err = lw_store_err(rc);
		goto fail;
	}
	if (stat(path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	/* An init killed before its first commit leaves an empty LMDB file. */
	if (!s->created && (flags & LW_STORE_CREATE) && env_empty(s))
		s->created = 1;
	if (s->created) {
		if ((err = lw_migrate_run(s, NULL, 0)) < 0)
			goto fail;
	}
	if ((err = schema_gate(s)) != LW_OK)
		goto fail;
	if (!(flags & LW_STORE_RDONLY) && !(flags & LW_STORE_ANY_SCHEMA) &&
	    (err = lw_store_gc(s)) != LW_OK)
		goto fail;
	*sp = s;
	return LW_OK;
fail:
	mdb_env_close(s->env);
	free(s);
	return err;
}

/* lw_store_close - close the environment; NULL is a no-op */
void
lw_store_close(struct lw_store *s)
{
	if (s == NULL)
		return;
	mdb_env_close(s->env);
	free(s);
}

/* lw_store_created - whether opening created the store */
int
lw_store_created(const struct lw_store *s)
{
	return s->created;
}

/* lw_store_schema - the recorded schema version and the newest known */
int
lw_store_schema(struct lw_store *s, unsigned *have, unsigned *latest)
{
	MDB_txn *txn;
	int err;

	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	err = lw_meta_schema(s, txn, have);
	mdb_txn_abort(txn);
	*latest = lw_migrate_latest();
	return err;
}

/* lw_store_stats - counts from the databases, sizes from the file */
int
lw_store_stats(struct lw_store *s, struct lw_store_stats *st)
{
	MDB_txn *txn;
	MDB_cursor *cur = NULL;
	MDB_stat ms;
	MDB_envinfo info;
	MDB_val k, v;
	struct stat fst;
	struct lw_rd r;
	int err, rc;

	memset(st, 0, sizeof(*st));
	if (!s->dbis_open)
		return LW_ESCHEMA_OLD;	/* opened for migrate, not migrated */
	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	if ((err = lw_meta_schema(s, txn, &st->schema)) != LW_OK)
		goto out;
	if ((rc = mdb_stat(txn, s->addresses, &ms)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	st->addresses = ms.ms_entries;
	if ((rc = mdb_stat(txn, s->events, &ms)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	st->events = ms.ms_entries;
	if ((rc = mdb_stat(txn, s->states, &ms)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	st->states = ms.ms_entries;
	if ((rc = mdb_stat(txn, s->domain_rules, &ms)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	st->domain_rules = ms.ms_entries;
	if ((rc = mdb_cursor_open(txn, s->lists, &cur)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		lw_rd_init(&r, v.mv_data, v.mv_size);
		lw_rd_version(&r);
		lw_rd_u64(&r);			/* gen */
		st->rows += lw_rd_u64(&r);
		if ((err = r.err) != LW_OK)
			goto out;
		st->lists++;
	}
	err = rc == MDB_NOTFOUND ? LW_OK : lw_store_err(rc);
	mdb_env_info(s->env, &info);
	st->map_size = info.me_mapsize;
	if (stat(s->path, &fst) == 0)
		st->file_size = (uint64_t)fst.st_size;
out:
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return err;
}

/* list_get - the list record for name inside txn */
static int
list_get(struct lw_store *s, MDB_txn *txn, const char *name,
    struct lw_list **out)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	int rc;

	if (k.mv_size == 0 || k.mv_size > LW_LIST_NAME_MAX)
		return LW_ENOENT;
	if (!s->dbis_open)
		return LW_ESCHEMA_OLD;	/* opened for migrate, not migrated */
	if ((rc = mdb_get(txn, s->lists, &k, &v)) != 0)
		return lw_store_err(rc);
	return lw_list_decode(name, k.mv_size, v.mv_data, v.mv_size, out);
}

/* lw_store_list_get - the list named name */
int
lw_store_list_get(struct lw_store *s, const char *name, struct lw_list **out)
{
	MDB_txn *txn;
	int err;

	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	err = list_get(s, txn, name, out);
	mdb_txn_abort(txn);
	return err;
}

/* lw_list_free - release a list; NULL is a no-op */
void
lw_list_free(struct lw_list *l)
{
	if (l == NULL)
		return;
	free(l->header);
	free(l);
}

/* lw_store_lists - each list, in name order */
int
lw_store_lists(struct lw_store *s,
    int (*fn)(void *arg, const struct lw_list *l), void *arg)
{
	MDB_txn *txn;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	struct lw_list *l;
	int err, rc;

	if (!s->dbis_open)
		return LW_ESCHEMA_OLD;	/* opened for migrate, not migrated */
	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	if ((rc = mdb_cursor_open(txn, s->lists, &cur)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		if ((err = lw_list_decode(k.mv_data, k.mv_size, v.mv_data,
		    v.mv_size, &l)) != LW_OK)
			goto out;
		err = fn(arg, l);
		lw_list_free(l);
		if (err != 0)
			goto out;
	}
	err = rc == MDB_NOTFOUND ? LW_OK : lw_store_err(rc);
out:
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return err;
}

/* lw_rows_walk - each row of a list in txn, in row order */
int
lw_rows_walk(struct lw_store *s, MDB_txn *txn, const char *name,
    int (*fn)(void *arg, const struct lw_list *l, const char *key,
    size_t key_len, const char *raw, size_t raw_len), void *arg)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	struct lw_list *l = NULL;
	uint8_t start[16];
	const char *key, *raw;
	size_t key_len, raw_len;
	int err, rc;
	uint64_t n = 0;
	MDB_cursor_op op = MDB_SET_RANGE;

	if ((err = list_get(s, txn, name, &l)) != LW_OK)
		goto out;
	if ((err = fn(arg, l, NULL, 0, NULL, 0)) != 0)
		goto out;
	if ((rc = mdb_cursor_open(txn, s->rows, &cur)) != 0) {
		err = lw_store_err(rc);
		goto out;
	}
	lw_key_gen_row(start, l->gen, 0);
	k.mv_data = start;
	k.mv_size = sizeof(start);
	while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != 16 || lw_get_u64(k.mv_data) != l->gen)
			break;
		if ((err = lw_row_decode(v.mv_data, v.mv_size, &key, &key_len,
		    &raw, &raw_len)) != LW_OK)
			goto out;
		if ((err = fn(arg, l, key, key_len, raw, raw_len)) != 0)
			goto out;
		if ((++n & 0xffff) == 0)
			lw_store_shed(s);
	}
	err = rc == 0 || rc == MDB_NOTFOUND ? LW_OK : lw_store_err(rc);
out:
	mdb_cursor_close(cur);
	lw_list_free(l);
	return err;
}

/* lw_store_rows - each row of a list from one snapshot, in row order */
int
lw_store_rows(struct lw_store *s, const char *name,
    int (*fn)(void *arg, const struct lw_list *l, const char *key,
    size_t key_len, const char *raw, size_t raw_len), void *arg)
{
	MDB_txn *txn;
	int err;

	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	err = lw_rows_walk(s, txn, name, fn, arg);
	mdb_txn_abort(txn);
	return err;
}
