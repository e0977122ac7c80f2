/*
 * 0002_events.c - schema version 2: the event log and suppression state
 *
 * Creates events, states and domain_rules (listwarden/store.h lists
 * their keys and values) and writes the default config into meta.  A
 * store of version 1 keeps its lists, rows and addresses as they are:
 * no address has events yet, so every one is mailable.
 */
#include "listwarden/error.h"
#include "listwarden/policy.h"
#include "../src/store_int.h"

int lw_migration_0002_events(struct lw_store *s, MDB_txn *txn);

/* lw_migration_0002_events - create version 2 */
int
lw_migration_0002_events(struct lw_store *s, MDB_txn *txn)
{
	struct lw_policy p;
	struct lw_buf b = { 0 };
	MDB_val k = { 6, "config" }, v;
	int err, rc;

	if ((rc = mdb_dbi_open(txn, "events", MDB_CREATE, &s->events)) != 0 ||
	    (rc = mdb_dbi_open(txn, "states", MDB_CREATE, &s->states)) != 0 ||
	    (rc = mdb_dbi_open(txn, "domain_rules", MDB_CREATE,
	    &s->domain_rules)) != 0)
		return lw_store_err(rc);
	s->dbis_open = 0;	/* the handles are only good if this commits */
	lw_policy_defaults(&p);
	if ((err = lw_config_encode(&b, &p)) != LW_OK)
		goto out;
	v.mv_data = b.p;
	v.mv_size = b.len;
	err = lw_store_err(mdb_put(txn, s->meta, &k, &v, 0));
out:
	lw_buf_free(&b);
	return err;
}
