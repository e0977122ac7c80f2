/*
 * store_int.h - what the store's files and the migrations share (internal)
 *
 * The store is src/store.c (environment, transactions, map growth,
 * lists, reads), src/store_codec.c (the key and value encoding),
 * src/store_import.c (staged imports, garbage collection) and
 * src/migrate.c with migrations/NNNN_*.c.  These are the only files
 * that include lmdb.h.
 */
#ifndef LW_STORE_INT_H
#define LW_STORE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <lmdb.h>

#include "listwarden/store.h"

#define LW_VALUE_VERSION	1

/* generations: state byte */
#define GEN_STAGING		1
#define GEN_LIVE		2
#define GEN_GARBAGE		3

struct lw_store {
	MDB_env *env;
	dev_t dev;		/* of the data file, to find its mapping */
	ino_t ino;
	unsigned flags;
	int created;
	int dbis_open;
	MDB_dbi meta, lists, generations, rows, list_keys, addresses;
	MDB_dbi events, states, domain_rules;	/* schema 2 */
	char path[];
};

/* store.c */
int lw_store_err(int rc);
/* lw_store_open_dbis - open the databases of schema version (and before) */
int lw_store_open_dbis(struct lw_store *s, MDB_txn *txn, unsigned flags,
    unsigned version);
int lw_store_read_begin(struct lw_store *s, MDB_txn **txn);
/*
 * lw_store_write - run fn in a write transaction and commit it
 *
 * A full map is grown and fn run again from the start, in a new
 * transaction; so is a map another process grew.  fn must therefore
 * keep its effects inside the transaction until it commits.
 */
int lw_store_write(struct lw_store *s,
    int (*fn)(struct lw_store *s, MDB_txn *txn, void *arg), void *arg);
int lw_store_gc(struct lw_store *s);
int lw_rows_walk(struct lw_store *s, MDB_txn *txn, const char *name,
    int (*fn)(void *arg, const struct lw_list *l, const char *key,
    size_t key_len, const char *raw, size_t raw_len), void *arg);
void lw_store_shed(struct lw_store *s);
int lw_store_drop_gen(struct lw_store *s, uint64_t gen);

/* migrate.c */
struct lw_migration {
	unsigned version;
	const char *name;
	int (*up)(struct lw_store *s, MDB_txn *txn);
};
unsigned lw_migrate_latest(void);
int lw_migrate_run(struct lw_store *s, const struct lw_migration *list,
    size_t n);
int lw_meta_schema(struct lw_store *s, MDB_txn *txn, unsigned *version);
int lw_meta_set_schema(struct lw_store *s, MDB_txn *txn, unsigned version);

/* store_codec.c: values are built in a growing buffer ... */
struct lw_buf {
	uint8_t *p;
	size_t len, cap;
	int err;		/* LW_ENOMEM, sticky */
};

void lw_buf_reset(struct lw_buf *b);
void lw_buf_free(struct lw_buf *b);
void lw_buf_u8(struct lw_buf *b, uint8_t v);
void lw_buf_u16(struct lw_buf *b, uint16_t v);
void lw_buf_u32(struct lw_buf *b, uint32_t v);
void lw_buf_u64(struct lw_buf *b, uint64_t v);
void lw_buf_raw(struct lw_buf *b, const void *p, size_t n);
void lw_buf_str(struct lw_buf *b, const void *p, size_t n);	/* u16 len */
void lw_buf_bytes(struct lw_buf *b, const void *p, size_t n);	/* u32 len */

/* ... and read back with a cursor that turns any overrun into an error. */
struct lw_rd {
	const uint8_t *p, *end;
	int err;		/* LW_ECORRUPT, sticky */
};

void lw_rd_init(struct lw_rd *r, const void *p, size_t n);
uint8_t lw_rd_u8(struct lw_rd *r);
uint16_t lw_rd_u16(struct lw_rd *r);
uint32_t lw_rd_u32(struct lw_rd *r);
uint64_t lw_rd_u64(struct lw_rd *r);
const void *lw_rd_str(struct lw_rd *r, size_t *n);
const void *lw_rd_bytes(struct lw_rd *r, size_t *n);
int lw_rd_version(struct lw_rd *r);	/* reads and checks the version byte */

/* Fixed keys. */
void lw_key_u64(uint8_t out[8], uint64_t v);
uint64_t lw_get_u64(const uint8_t in[8]);
void lw_key_gen_row(uint8_t out[16], uint64_t gen, uint64_t row);

/* Records. */
struct lw_gen_rec {
	uint8_t state;
	uint32_t pid;
	uint64_t started;
	char name[LW_LIST_NAME_MAX + 1];
};

int lw_list_encode(struct lw_buf *b, const struct lw_list *l);
int lw_list_decode(const char *name, size_t name_len, const void *p,
    size_t n, struct lw_list **out);
int lw_gen_encode(struct lw_buf *b, const struct lw_gen_rec *g);
int lw_gen_decode(const void *p, size_t n, struct lw_gen_rec *g);
int lw_row_encode(struct lw_buf *b, const char *key, size_t key_len,
    const char *raw, size_t raw_len);
int lw_row_decode(const void *p, size_t n, const char **key,
    size_t *key_len, const char **raw, size_t *raw_len);
int lw_addr_encode(struct lw_buf *b, unsigned flags, const char *address,
    size_t address_len, const char *display, size_t display_len,
    uint64_t first_seen);

/* Schema 2: state records, events, the config. */
struct lw_state_rec {
	struct lw_state st;
	uint64_t policy_events;
	int64_t first_event, last_event;
};

int lw_state_encode(struct lw_buf *b, const struct lw_state_rec *r);
int lw_state_decode(const void *p, size_t n, struct lw_state_rec *r);
/* The key of an event: subject, 0x00, time, id hash. */
int lw_event_key(struct lw_buf *b, const char *subject, size_t len,
    int64_t time, uint64_t idhash);
int lw_event_encode(struct lw_buf *b, const struct lw_log_event *e);
/* Decodes into e, its strings copied NUL-terminated into strs. */
int lw_event_decode(const void *k, size_t klen, const void *p, size_t n,
    struct lw_buf *strs, struct lw_log_event *e);
int lw_config_encode(struct lw_buf *b, const struct lw_policy *p);
int lw_config_decode(const void *p, size_t n, struct lw_policy *pol);
int lw_config_read(struct lw_store *s, MDB_txn *txn, struct lw_policy *p);
uint64_t lw_hash64(const void *p, size_t n, uint64_t h);
#define LW_HASH64_INIT	0xcbf29ce484222325ULL

/* store_state.c: the domain rules, held in memory for folds and reads. */
struct lw_rules;
int lw_rules_load(struct lw_store *s, MDB_txn *txn, struct lw_rules **out);
void lw_rules_free(struct lw_rules *r);
/* The first rule matching key's domain whose state is suppressed, or NULL. */
const char *lw_rules_suppressing(const struct lw_rules *r, const char *key,
    size_t key_len, const struct lw_state_rec **st);
/* Appends to *ev the allow and disallow events of the rules matching key. */
int lw_rules_shield_events(const struct lw_rules *r, const char *key,
    size_t key_len, struct lw_event **ev, size_t *n, size_t *cap);
/* Whether a subject is a domain rule ("@d", "*.d"), and whether key matches it. */
int lw_subject_is_rule(const char *subject, size_t len);
int lw_rule_matches(const char *rule, size_t rule_len, const char *key,
    size_t key_len);
/* The verdict from a stored state (NULL: none), the rules and now. */
int lw_verdict_make(const struct lw_policy *p, const struct lw_rules *r,
    int64_t now, const char *key, size_t key_len,
    const struct lw_state_rec *rec, struct lw_verdict *out);

/* store_events.c: the folds of every subject, compared (verify). */
int lw_verify_folds(struct lw_store *s, MDB_txn *txn, void (*bad)(void *arg,
    const char *subject, size_t len, const char *why), void *arg,
    uint64_t *subjects, uint64_t *mismatched);

#endif /* LW_STORE_INT_H */
