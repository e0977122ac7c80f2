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
 *	               str display, u8 state, u64 state since (both unused,
 *	               0: the state is in states)
 *
 *	Schema 2 (migrations/0002_events.c) adds the event log and the
 *	suppression state.  A subject is an identity key, or a domain rule:
 *	"@example.com" (that domain) or "*.example.com" (its subdomains).
 *
 *	  meta         "config" -> v, u32 soft threshold, u32 window days,
 *	               u8 per day, u8 delivery resets, u32 expiry days
 *	  events       subject, 0x00, u64 time, u64 id hash -> v, u8 kind,
 *	               u16 reply, str status, str event id, str source,
 *	               str diagnostic, str rule, str feedback, u64 recorded
 *	  states       key -> the state record of an address with events
 *	  domain_rules subject -> the state record of a domain rule
 *
 *	A state record is v, u8 state, u8 reason, u8 allowed, u32 soft
 *	count, u64 since, u64 last counted, u64 events, u64 policy events,
 *	u64 first event, u64 last event: the fold (listwarden/policy.h) of
 *	the subject's events, written with them in one transaction.  An
 *	address's fold also takes in the allow and disallow events of the
 *	domain rules that match it; a suppressing domain rule applies when
 *	the state is read, to every address at the domain, present and
 *	future.  The optional expiry of soft suppressions is applied when a
 *	state is read, since it alone depends on the clock.
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
#include <listwarden/policy.h>

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
	uint64_t events;	/* in the log */
	uint64_t states;	/* addresses with events */
	uint64_t domain_rules;
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

/* What lw_store_verify() looked at, and found. */
struct lw_verify_report {
	uint64_t lists, rows, list_keys, addresses, generations;
	uint64_t orphans;	/* staging or superseded generations the next
				   writer deletes: not a problem */
	uint64_t events, subjects, states, rules;
	uint64_t next_gen;
	uint64_t problems;	/* each handed to fn */
};

/*
 * lw_store_verify - check every invariant of the store, from one read
 * snapshot: every value decodes; each list's live generation, its row
 * count, each row's key in list_keys pointing back at it and its
 * address record; no row or key of a generation that does not exist;
 * every subject's state equal to the fold of its events under the
 * config stored now, and no state without events.  fn gets each problem
 * as one line; rep the figures.  Returns LW_OK (problems or not) or the
 * lw_err that stopped the reading.
 */
int lw_store_verify(struct lw_store *s, void (*fn)(void *arg,
    const char *problem), void *arg, struct lw_verify_report *rep);

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

/* ---- Events and suppression (schema 2) ---- */

#define LW_SUBJECT_MAX		LW_ADDRESS_KEY_MAX

/* One event of a subject, handed in or read back. */
struct lw_log_event {
	const char *subject;		/* identity key or domain rule */
	size_t subject_len;
	int64_t time;			/* Unix seconds, UTC */
	enum lw_event_kind kind;
	unsigned reply;			/* SMTP reply code, 0 when none */
	const char *status;		/* the rest: NUL-terminated, or NULL */
	const char *event_id;		/* NULL in: a hash of the content */
	const char *source;
	const char *diagnostic;
	const char *rule;		/* the classification rule */
	const char *feedback;
	int64_t recorded;		/* out: when it was stored */
	/*
	 * A bounce message's: the returned message's Message-ID and list
	 * tag (List-Id); "" out when the event has none (written after the
	 * rest, so that events stored before have none)
	 */
	const char *message_id;
	const char *list;
	/* why it came back: a kind's name (classify.h), "" out when none */
	const char *error_kind;
};

/* A manual action is dated after every event the subject has. */
#define LW_EVENT_AFTER_ALL	0x1
/*
 * The event's source gave no time (it is dated now): without an id, its
 * content's hash leaves the time out, so ingesting it again is a repeat
 */
#define LW_EVENT_UNDATED	0x2

struct lw_ingest_stats {
	uint64_t events;		/* handed in */
	uint64_t recorded;		/* new to the log */
	uint64_t duplicates;		/* in the log already, or repeated */
	uint64_t subjects;		/* addresses and rules folded */
	uint64_t suppressed[LW_SUPPRESS_REASON_COUNT];	/* newly, by reason */
	uint64_t lifted[LW_SUPPRESS_REASON_COUNT];	/* no longer, by reason */
	uint64_t refolded;		/* addresses refolded for a domain allow */
};

/* What a reader needs to know of a subject: its fold, and a domain rule. */
struct lw_verdict {
	struct lw_state st;		/* state, reason, since, soft count ... */
	uint64_t policy_events;
	int64_t first_event, last_event;	/* 0 when there are none */
	const char *rule;		/* the suppressing domain rule, or NULL */
};

struct lw_ingest;
struct lw_view;

/* lw_store_config - the policy in the store */
int lw_store_config(struct lw_store *s, struct lw_policy *p);

/* lw_store_config_set - replace it; states are not refolded (reevaluate) */
int lw_store_config_set(struct lw_store *s, const struct lw_policy *p);

/*
 * lw_ingest_begin - start recording events
 *
 * Events are kept (sorted, spilled to disk when many) until
 * lw_ingest_commit(), which writes them in subject order, a batch of
 * subjects per write transaction, each subject's new events and its
 * refolded state together: a kill leaves every subject consistent, and
 * ingesting the same events again converges to the same states.
 */
int lw_ingest_begin(struct lw_store *s, struct lw_ingest **out);

/* lw_ingest_add - queue one event; flags LW_EVENT_AFTER_ALL, _UNDATED */
int lw_ingest_add(struct lw_ingest *ing, const struct lw_log_event *ev,
    unsigned flags);

/*
 * lw_ingest_commit - record the events and refold their subjects
 *
 * An event whose id the subject has already is a duplicate and changes
 * nothing.  A new allow or disallow of a domain refolds the addresses
 * at that domain that have events.  Frees ing whatever the outcome.
 */
int lw_ingest_commit(struct lw_ingest *ing, struct lw_ingest_stats *st);

/* lw_ingest_abort - drop the queued events; NULL is a no-op */
void lw_ingest_abort(struct lw_ingest *ing);

/*
 * lw_store_reevaluate - refold every subject under the current config
 *
 * Counts, in st, the states that became suppressed (by new reason) and
 * those lifted (by old reason); st->subjects is how many were folded.
 */
int lw_store_reevaluate(struct lw_store *s, struct lw_ingest_stats *st);

/*
 * lw_view_begin - a read snapshot for looking many subjects up
 *
 * now is the time at which the expiry of soft suppressions is judged.
 * A view holds a read transaction: no other store function may be
 * called on its thread until lw_view_end().
 */
int lw_view_begin(struct lw_store *s, int64_t now, struct lw_view **out);
void lw_view_end(struct lw_view *v);

/*
 * lw_view_verdict - the state of key (an identity key or domain rule)
 *
 * Returns 1 when it has events or a domain rule suppresses it, else 0
 * (active, with no history); *out and its rule are borrowed until the
 * next call.
 */
int lw_view_verdict(struct lw_view *v, const char *key, size_t key_len,
    struct lw_verdict *out);

/*
 * lw_view_events - call fn for the last max events of key (0: all), in
 * time order; the record is borrowed for the call
 */
int lw_view_events(struct lw_view *v, const char *key, size_t key_len,
    size_t max, int (*fn)(void *arg, const struct lw_log_event *e),
    void *arg);

/*
 * lw_view_all_events - call fn for every event dated in [since, until),
 * in key order (subject, then time); the record is borrowed for the
 * call.  A non-zero return from fn stops the walk and is returned.
 */
int lw_view_all_events(struct lw_view *v, int64_t since, int64_t until,
    int (*fn)(void *arg, const struct lw_log_event *e), void *arg);

/*
 * lw_view_subjects - call fn for every subject with a state, addresses
 * (in key order) then domain rules, with its verdict
 */
int lw_view_subjects(struct lw_view *v, int (*fn)(void *arg,
    const char *key, size_t key_len, const struct lw_verdict *vd), void *arg);

/*
 * lw_view_addresses - call fn for every address of the lists (in key
 * order) with its verdict, NULL when it has no events and no domain
 * rule suppresses it
 */
int lw_view_addresses(struct lw_view *v, int (*fn)(void *arg,
    const char *key, size_t key_len, const struct lw_verdict *vd), void *arg);

/*
 * lw_view_rows - lw_store_rows() with each row's verdict (NULL when it
 * is active and has no events)
 */
int lw_view_rows(struct lw_view *v, const char *name,
    int (*fn)(void *arg, const struct lw_list *l, const char *key,
    size_t key_len, const char *raw, size_t raw_len,
    const struct lw_verdict *vd), void *arg);

/* One suppression, as lw_view_suppressions() hands it out. */
struct lw_suppression {
	const char *key;		/* identity key, or a domain rule */
	size_t key_len;
	const char *address;		/* as imported (local part's case kept),
					   else the key; NUL-terminated */
	int is_rule;			/* a domain rule, not an address */
	enum lw_suppress_reason reason;
	int64_t since;			/* when it was suppressed */
	int64_t first_event;		/* the subject's first event, or 0 */
	unsigned soft_count;
	const char *rule;		/* the domain rule that suppresses an
					   address, or NULL */
	/* The event that suppressed it (NULL or 0 when none is found). */
	enum lw_event_kind kind;
	const char *status;
	unsigned reply;
	const char *diagnostic;
	const char *source;
};

/* lw_view_suppressions() needs: what to look up beyond the state */
#define LW_SUPP_CAUSE		0x1	/* the event that suppressed */
#define LW_SUPP_ADDRESS		0x2	/* the address as imported */

/*
 * lw_view_suppressions - call fn for every suppressed subject, the
 * addresses in key order (those with events, and those of the lists a
 * domain rule suppresses), then the suppressing domain rules; all is
 * borrowed for the call.  Without LW_SUPP_CAUSE the event members are
 * empty; without LW_SUPP_ADDRESS, address is the key.
 */
int lw_view_suppressions(struct lw_view *v, unsigned needs,
    int (*fn)(void *arg, const struct lw_suppression *sp), void *arg);

/*
 * lw_domain_rule - the subject of a domain rule from "@example.com" or
 * "*.example.com" (an IDN is turned into its A-labels), into out
 * (LW_SUBJECT_MAX + 1); LW_EINVAL when it is neither
 */
int lw_domain_rule(struct lw_address_ctx *ctx, const char *in, char *out);

#endif /* LISTWARDEN_STORE_H */
