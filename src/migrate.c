/*
 * migrate.c - the schema version gate's other half: applying migrations
 *
 * NAME
 *	migrate - the ordered list of migrations/NNNN_*.c, and their runner
 *
 * DESCRIPTION
 *	meta "schema" holds the version of the newest migration applied.
 *	Each migration runs in one write transaction that also records its
 *	version, so a store is always at exactly one version: a crash
 *	leaves it before or after a migration, never inside one.  A
 *	migration is therefore replayable (the transaction may be run again
 *	after the map grows) and must not assume anything of the store but
 *	the previous version.
 *
 *	A fresh store is created by running every migration from version 0.
 */
#include <string.h>

#include "listwarden/error.h"
#include "store_int.h"

int lw_migration_0001_initial(struct lw_store *s, MDB_txn *txn);
int lw_migration_0002_events(struct lw_store *s, MDB_txn *txn);

static const struct lw_migration builtin[] = {
	{ 1, "initial", lw_migration_0001_initial },
	{ 2, "events", lw_migration_0002_events },
};

#define NBUILTIN	(sizeof(builtin) / sizeof(builtin[0]))

struct step {
	const struct lw_migration *m;
	int applied;
};

/* lw_migrate_latest - the version this program's migrations reach */
unsigned
lw_migrate_latest(void)
{
	return builtin[NBUILTIN - 1].version;
}

/* lw_store_migration_name - the name of migration v, or NULL */
const char *
lw_store_migration_name(unsigned v)
{
	size_t i;

	for (i = 0; i < NBUILTIN; i++)
		if (builtin[i].version == v)
			return builtin[i].name;
	return NULL;
}

/* lw_meta_schema - the recorded version; LW_ENOTSTORE when there is none */
int
lw_meta_schema(struct lw_store *s, MDB_txn *txn, unsigned *version)
{
	MDB_val k = { 6, "schema" }, v;
	struct lw_rd r;
	int rc;

	if ((rc = mdb_get(txn, s->meta, &k, &v)) != 0)
		return rc == MDB_NOTFOUND ? LW_ENOTSTORE : lw_store_err(rc);
	lw_rd_init(&r, v.mv_data, v.mv_size);
	*version = lw_rd_u32(&r);
	return r.err;
}

/* lw_meta_set_schema - record the version */
int
lw_meta_set_schema(struct lw_store *s, MDB_txn *txn, unsigned version)
{
	uint8_t buf[4] = { (uint8_t)(version >> 24), (uint8_t)(version >> 16),
	    (uint8_t)(version >> 8), (uint8_t)version };
	MDB_val k = { 6, "schema" }, v = { 4, buf };

	return lw_store_err(mdb_put(txn, s->meta, &k, &v, 0));
}

/* apply_one - one migration in the transaction, unless it is applied */
static int
apply_one(struct lw_store *s, MDB_txn *txn, void *arg)
{
	struct step *st = arg;
	unsigned have = 0;
	int err, rc;

	st->applied = 0;
	if ((rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &s->meta)) != 0)
		return lw_store_err(rc);
	err = lw_meta_schema(s, txn, &have);
	if (err == LW_ENOTSTORE)
		have = 0;
	else if (err != LW_OK)
		return err;
	if (have >= st->m->version)
		return LW_OK;
	if (have != st->m->version - 1)
		return LW_ECORRUPT;	/* a gap in the migrations */
	if ((err = st->m->up(s, txn)) != LW_OK)
		return err;
	if ((err = lw_meta_set_schema(s, txn, st->m->version)) != LW_OK)
		return err;
	st->applied = 1;
	return LW_OK;
}

/*
 * lw_migrate_run - apply list (the built-in migrations when NULL) in order
 *
 * Returns how many were applied.  The store's handles are reopened at the
 * end, since a migration may have created databases.
 */
int
lw_migrate_run(struct lw_store *s, const struct lw_migration *list, size_t n)
{
	struct step st;
	MDB_txn *txn;
	size_t i;
	int err, applied = 0;

	if (list == NULL) {
		list = builtin;
		n = NBUILTIN;
	}
	for (i = 0; i < n; i++) {
		st.m = &list[i];
		if ((err = lw_store_write(s, apply_one, &st)) != LW_OK)
			return err;
		applied += st.applied;
	}
	s->dbis_open = 0;
	if ((err = lw_store_read_begin(s, &txn)) != LW_OK)
		return err;
	if ((err = lw_store_open_dbis(s, txn, 0, lw_migrate_latest())) !=
	    LW_OK) {
		mdb_txn_abort(txn);
		return err;
	}
	if (mdb_txn_commit(txn) != 0)
		return LW_EIO;
	return applied;
}

/* lw_store_migrate - apply what is pending; a newer store is refused */
int
lw_store_migrate(struct lw_store *s)
{
	unsigned have, latest;
	int err;

	if ((err = lw_store_schema(s, &have, &latest)) != LW_OK)
		return err;
	if (have > latest)
		return LW_ESCHEMA_NEW;
	return lw_migrate_run(s, NULL, 0);
}
