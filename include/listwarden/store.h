/*
 * listwarden/store.h - the LMDB store: lists, their rows, and addresses
 *
 * NAME
 *	store - the one place listwarden keeps what it knows
 *
 * DESCRIPTION
 *	One LMDB environment in a single file (MDB_NOSUBDIR) and its lock
 *	file PATH-lock, both created mode 0600.  Only this module and the
 *	migrations include lmdb.h; LMDB's codes are translated to lw_err.
 *
 *	Named databases, keys and values.  Integers are big-endian; strings
 *	have no trailing NUL; every value starts with a version byte (1).
 *
 *	  meta         "schema" -> u32 version
 *	               "next_gen" -> u64, the next generation number
 *	  lists        list name -> v, u64 gen, u64 rows, u64 created,
 *	               u64 updated, u8 delimiter, u8 crlf, bytes header
 *	  generations  u64 gen -> v, u8 state (1 staging, 2 live, 3 garbage),
 *	               u32 pid, u64 started, str list name
 *	  rows         u64 gen, u64 row -> v, str key, bytes row
 *	  list_keys    u64 gen, key -> v, u64 row
 *	  addresses    key -> v, u8 flags, u64 first seen, str address,
 *	               str display, u8 state, u64 state since (suppression
 *	               state: 0 mailable; the suppression issue fills it)
 *
 *	"str" is a u16 length and the bytes; "bytes" a u32 length and the
 *	bytes.  A row and a header are kept as the CSV bytes they were read
 *	as, without their line end, so an export gives back the sender's own
 *	columns, quoting and delimiter untouched.
 *
 *	A list's rows belong to a generation.  An import writes a new
 *	generation in batches of short write transactions (staging), then
 *	makes it the list's generation in one small transaction: readers see
 *	the old rows or the new ones, never a mixture, and a failed or killed
 *	import leaves the list as it was.  Superseded and orphaned
 *	generations (staging whose process is gone) are deleted by the next
 *	writer.  Which lists an address is on is answered by list_keys (the
 *	lists are few), so an import never rewrites address records of
 *	unchanged people.
 *
 *	Writes are batched and sorted by key before they are written.  A full
 *	map grows and the batch is replayed; a caller never sees
 *	MDB_MAP_FULL.
 *
 * OWNERSHIP
 *	lw_store_open() returns a handle freed by lw_store_close() (NULL is a
 *	no-op).  Structures returned through out-parameters are owned by the
 *	caller and freed with their _free function; those handed to callbacks
 *	are borrowed for the call.  A callback of lw_store_lists() or
 *	lw_store_rows() runs inside a read transaction and must not call
 *	another store function: LMDB gives a thread one at a time.
 *
 * DIAGNOSTICS
 *	LW_ENOTSTORE (not a listwarden store), LW_ECORRUPT (a damaged
 *	record), LW_EHEADER (a merge with other columns), LW_ESCHEMA_OLD (run "listwarden migrate"), LW_ESCHEMA_NEW (a
 *	newer program made it), LW_ENOENT (no such store or list), LW_EEXIST,
 *	LW_ECONFLICT (the list changed under an import), LW_EBUSY, and
 *	negated errno values (LW_EACCES, LW_ENOSPC, LW_EIO ...).
 */
#ifndef LISTWARDEN_STORE_H
#define LISTWARDEN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <listwarden/address.h>

#define LW_STORE_DEFAULT_PATH	"./listwarden.db"
#define LW_LIST_NAME_MAX	255

/* lw_store_open() flags */
#define LW_STORE_RDONLY		0x1	/* read-only: many may, while one writes */
#define LW_STORE_CREATE		0x2	/* create and migrate a missing store */
#define LW_STORE_ANY_SCHEMA	0x4	/* skip the version gate (migrate) */

/* lw_import_begin() flags */
#define LW_IMPORT_REPLACE	0x1	/* the list becomes exactly the file */

struct lw_store;
struct lw_import;

struct lw_list {
	char name[LW_LIST_NAME_MAX + 1];
	uint64_t gen;
	uint64_t rows;
	uint64_t created;	/* Unix seconds */
	uint64_t updated;
	int delimiter;
	int crlf;		/* the file's lines ended in CR LF */
	size_t header_len;
	char *header;		/* the header row's bytes, no line end */
};

struct lw_store_stats {
	unsigned schema;
	uint64_t addresses;
	uint64_t lists;
	uint64_t rows;
	uint64_t file_size;	/* octets on disk */
	uint64_t map_size;
};

struct lw_import_stats {
	uint64_t read;		/* rows handed to lw_import_add() */
	uint64_t accepted;	/* valid and not duplicated */
	uint64_t added;		/* of those, new to the list */
	uint64_t replaced;	/* of those, replacing the list's row */
	uint64_t invalid;
	uint64_t duplicates;	/* a key already seen in this file */
	uint64_t new_addresses;	/* keys the store had never seen */
	uint64_t rows;		/* rows of the list afterwards */
};

/* One input row for lw_import_add(); everything is borrowed for the call. */
struct lw_import_row {
	unsigned long line;
	const char *raw;		/* the row as read; a line end is dropped */
	size_t raw_len;
	const struct lw_address *addr;	/* NULL when the address is invalid */
	const char *reason;		/* why, when addr is NULL */
};

/*
 * A rejected row, in line order, as the batch holding it is written:
 * invalid rows with their address reason, and "duplicate".  A non-zero
 * return stops the import with that value.
 */
typedef int (*lw_import_reject_fn)(void *arg, unsigned long line,
    const char *raw, size_t raw_len, const char *reason);

/*
 * lw_store_open - open the store at path
 *
 * Without LW_STORE_CREATE a missing file is LW_ENOENT.  Unless
 * LW_STORE_ANY_SCHEMA is given, a store whose schema is older than this
 * program's is LW_ESCHEMA_OLD and a newer one LW_ESCHEMA_NEW.  A writer
 * (no LW_STORE_RDONLY) also deletes superseded and orphaned generations.
 * map_size is the initial map size in octets, 0 for the default; the map
 * grows as needed.
 */
int lw_store_open(struct lw_store **sp, const char *path, unsigned flags,
    size_t map_size);

/* lw_store_close - close the store; NULL is a no-op */
void lw_store_close(struct lw_store *s);

/* lw_store_created - whether lw_store_open() created the file */
int lw_store_created(const struct lw_store *s);

/* lw_store_schema - the store's schema version, and this program's */
int lw_store_schema(struct lw_store *s, unsigned *have, unsigned *latest);

/*
 * lw_store_migrate - apply the pending migrations in order
 *
 * Each runs in one write transaction that also records its version.
 * Returns how many were applied, or a negative lw_err.
 */
int lw_store_migrate(struct lw_store *s);

/* lw_store_migration_name - the name of migration version v, or NULL */
const char *lw_store_migration_name(unsigned v);

/* lw_store_stats - counts and sizes */
int lw_store_stats(struct lw_store *s, struct lw_store_stats *st);

/*
 * lw_store_list_get - the list named name, or LW_ENOENT
 *
 * *out is the caller's, freed with lw_list_free().
 */
int lw_store_list_get(struct lw_store *s, const char *name,
    struct lw_list **out);

/* lw_list_free - release a list from lw_store_list_get(); NULL is a no-op */
void lw_list_free(struct lw_list *l);

/*
 * lw_store_lists - call fn for each list, in name order
 *
 * The list is borrowed for the call.  A non-zero return from fn stops
 * the walk and is returned.
 */
int lw_store_lists(struct lw_store *s,
    int (*fn)(void *arg, const struct lw_list *l), void *arg);

/*
 * lw_store_rows - call fn for each row of a list, in the list's order
 *
 * fn is called first with key NULL and the list, before any row.  All
 * rows come from one snapshot: an import that commits meanwhile is
 * not seen.  Everything passed to fn is borrowed for the call; a non-zero
 * return stops the walk and is returned.  LW_ENOENT when there is no
 * such list.
 */
int lw_store_rows(struct lw_store *s, const char *name,
    int (*fn)(void *arg, const struct lw_list *l, const char *key,
    size_t key_len, const char *raw, size_t raw_len), void *arg);

/*
 * lw_import_begin - start importing rows into the list name
 *
 * A new list is created; an existing one is merged into (new addresses
 * added, a row for an address already on the list replaced in place) or,
 * with LW_IMPORT_REPLACE, replaced.  Nothing is visible to others before
 * lw_import_commit().  header is the file's header row as read: its line
 * end (CR LF or LF) becomes the list's.  delimiter is the file's.
 * Merging needs the same header as the list's, or LW_EHEADER, and keeps
 * the list's delimiter and line ends.
 */
int lw_import_begin(struct lw_store *s, const char *name, unsigned flags,
    const char *header, size_t header_len, int delimiter,
    lw_import_reject_fn reject, void *arg, struct lw_import **out);

/* lw_import_add - queue one row; a full batch is written */
int lw_import_add(struct lw_import *imp, const struct lw_import_row *row);

/* lw_import_stats - the counts so far (rows of a pending batch included) */
void lw_import_stats(const struct lw_import *imp, struct lw_import_stats *st);

/*
 * lw_import_commit - write the last batch and make the list visible
 *
 * Frees imp whatever the outcome; on failure the list is as it was.
 */
int lw_import_commit(struct lw_import *imp, struct lw_import_stats *st);

/* lw_import_abort - drop the import and its staged rows; NULL is a no-op */
void lw_import_abort(struct lw_import *imp);

#endif /* LISTWARDEN_STORE_H */
