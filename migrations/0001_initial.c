/*
 * 0001_initial.c - schema version 1: lists, their rows, and addresses
 *
 * Creates the named databases listed in listwarden/store.h and the
 * generation counter.  Later versions are new files beside this one,
 * added to the table in src/migrate.c; this one never changes.
 */
#include "listwarden/error.h"
#include "../src/store_int.h"

int lw_migration_0001_initial(struct lw_store *s, MDB_txn *txn);

/* lw_migration_0001_initial - create version 1 */
int
lw_migration_0001_initial(struct lw_store *s, MDB_txn *txn)
{
	uint8_t one[8];
	MDB_val k = { 8, "next_gen" }, v = { sizeof(one), one };
	int err, rc;

	if ((err = lw_store_open_dbis(s, txn, MDB_CREATE, 1)) != LW_OK)
		return err;
	s->dbis_open = 0;	/* the handles are only good if this commits */
	lw_key_u64(one, 1);
	if ((rc = mdb_put(txn, s->meta, &k, &v, 0)) != 0)
		return lw_store_err(rc);
	return LW_OK;
}
