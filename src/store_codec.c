/*
 * store_codec.c - the store's key and value encoding
 *
 * NAME
 *	store_codec - big-endian integers, length-prefixed bytes, versions
 *
 * DESCRIPTION
 *	Values are written through struct lw_buf, which grows as needed and
 *	remembers an allocation failure, and read through struct lw_rd,
 *	which turns any read past the end of a value into LW_ECORRUPT: a
 *	damaged record is an error, never a crash.  Every value starts with
 *	a version byte; lw_rd_version() refuses one it does not know.  The
 *	layouts are listed in listwarden/store.h.
 */
#include <stdlib.h>
#include <string.h>

#include "listwarden/error.h"
#include "store_int.h"

/* lw_buf_reset - empty the buffer, keeping its memory */
void
lw_buf_reset(struct lw_buf *b)
{
	b->len = 0;
	b->err = LW_OK;
}

/* lw_buf_free - release the buffer's memory */
void
lw_buf_free(struct lw_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* lw_buf_raw - append n bytes */
void
lw_buf_raw(struct lw_buf *b, const void *p, size_t n)
{
	size_t cap;
	uint8_t *np;

	if (b->err)
		return;
	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->err = LW_ENOMEM;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* lw_buf_u8 - append one byte */
void
lw_buf_u8(struct lw_buf *b, uint8_t v)
{
	lw_buf_raw(b, &v, 1);
}

/* lw_buf_u16 - append a big-endian 16-bit integer */
void
lw_buf_u16(struct lw_buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	lw_buf_raw(b, x, 2);
}

/* lw_buf_u32 - append a big-endian 32-bit integer */
void
lw_buf_u32(struct lw_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	lw_buf_raw(b, x, 4);
}

/* lw_buf_u64 - append a big-endian 64-bit integer */
void
lw_buf_u64(struct lw_buf *b, uint64_t v)
{
	uint8_t x[8];

	lw_key_u64(x, v);
	lw_buf_raw(b, x, 8);
}

/* lw_buf_str - append a u16 length and the bytes; longer is an error */
void
lw_buf_str(struct lw_buf *b, const void *p, size_t n)
{
	if (n > UINT16_MAX) {
		b->err = LW_ETOOBIG;
		return;
	}
	lw_buf_u16(b, (uint16_t)n);
	lw_buf_raw(b, p, n);
}

/* lw_buf_bytes - append a u32 length and the bytes */
void
lw_buf_bytes(struct lw_buf *b, const void *p, size_t n)
{
	if (n > UINT32_MAX) {
		b->err = LW_ETOOBIG;
		return;
	}
	lw_buf_u32(b, (uint32_t)n);
	lw_buf_raw(b, p, n);
}

/* lw_rd_init - read the n bytes at p */
void
lw_rd_init(struct lw_rd *r, const void *p, size_t n)
{
	r->p = p;
	r->end = r->p + n;
	r->err = LW_OK;
}

/* take - the next n bytes, or NULL (and the error set) past the end */
static const uint8_t *
take(struct lw_rd *r, size_t n)
{
	const uint8_t *p = r->p;

	if (r->err || (size_t)(r->end - r->p) < n) {
		r->err = LW_ECORRUPT;
		return NULL;
	}
	r->p += n;
	return p;
}

/* lw_rd_u8 - read one byte (0 after an error) */
uint8_t
lw_rd_u8(struct lw_rd *r)
{
	const uint8_t *p = take(r, 1);

	return p ? p[0] : 0;
}

/* lw_rd_u16 - read a big-endian 16-bit integer */
uint16_t
lw_rd_u16(struct lw_rd *r)
{
	const uint8_t *p = take(r, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

/* lw_rd_u32 - read a big-endian 32-bit integer */
uint32_t
lw_rd_u32(struct lw_rd *r)
{
	const uint8_t *p = take(r, 4);

	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3] : 0;
}

/* lw_rd_u64 - read a big-endian 64-bit integer */
uint64_t
lw_rd_u64(struct lw_rd *r)
{
	const uint8_t *p = take(r, 8);

	return p ? lw_get_u64(p) : 0;
}

/* lw_rd_str - bytes with a u16 length, borrowed from the value */
const void *
lw_rd_str(struct lw_rd *r, size_t *n)
{
	*n = lw_rd_u16(r);
	return take(r, *n);
}

/* lw_rd_bytes - bytes with a u32 length, borrowed from the value */
const void *
lw_rd_bytes(struct lw_rd *r, size_t *n)
{
	*n = lw_rd_u32(r);
	return take(r, *n);
}

/* lw_rd_version - read the version byte; LW_ECORRUPT unless it is known */
int
lw_rd_version(struct lw_rd *r)
{
	if (lw_rd_u8(r) != LW_VALUE_VERSION)
		r->err = LW_ECORRUPT;
	return r->err;
}

/* lw_key_u64 - v as 8 big-endian bytes */
void
lw_key_u64(uint8_t out[8], uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* lw_get_u64 - 8 big-endian bytes as an integer */
uint64_t
lw_get_u64(const uint8_t in[8])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | in[i];
	return v;
}

/* lw_key_gen_row - the rows key: generation, then row number */
void
lw_key_gen_row(uint8_t out[16], uint64_t gen, uint64_t row)
{
	lw_key_u64(out, gen);
	lw_key_u64(out + 8, row);
}

/* lw_list_encode - a lists value */
int
lw_list_encode(struct lw_buf *b, const struct lw_list *l)
{
	lw_buf_reset(b);
	lw_buf_u8(b, LW_VALUE_VERSION);
	lw_buf_u64(b, l->gen);
	lw_buf_u64(b, l->rows);
	lw_buf_u64(b, l->created);
	lw_buf_u64(b, l->updated);
	lw_buf_u8(b, (uint8_t)l->delimiter);
	lw_buf_u8(b, (uint8_t)(l->crlf != 0));
	lw_buf_bytes(b, l->header, l->header_len);
	return b->err;
}

/* lw_list_decode - a lists value into a new struct lw_list */
int
lw_list_decode(const char *name, size_t name_len, const void *p, size_t n,
    struct lw_list **out)
{
	struct lw_list *l;
	struct lw_rd r;
	const void *header;
	size_t header_len;

	if (name_len == 0 || name_len > LW_LIST_NAME_MAX)
		return LW_ECORRUPT;
	lw_rd_init(&r, p, n);
	if (lw_rd_version(&r) != LW_OK)
		return r.err;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return LW_ENOMEM;
	memcpy(l->name, name, name_len);
	l->gen = lw_rd_u64(&r);
	l->rows = lw_rd_u64(&r);
	l->created = lw_rd_u64(&r);
	l->updated = lw_rd_u64(&r);
	l->delimiter = lw_rd_u8(&r);
	l->crlf = lw_rd_u8(&r);
	header = lw_rd_bytes(&r, &header_len);
	if (r.err == LW_OK && (l->header = malloc(header_len + 1)) == NULL)
		r.err = LW_ENOMEM;
	if (r.err != LW_OK) {
		free(l);
		return r.err;
	}
	memcpy(l->header, header, header_len);
	l->header[header_len] = '\0';
	l->header_len = header_len;
	*out = l;
	return LW_OK;
}

/* lw_gen_encode - a generations value */
int
lw_gen_encode(struct lw_buf *b, const struct lw_gen_rec *g)
{
	lw_buf_reset(b);
	lw_buf_u8(b, LW_VALUE_VERSION);
	lw_buf_u8(b, g->state);
	lw_buf_u32(b, g->pid);
	lw_buf_u64(b, g->started);
	lw_buf_str(b, g->name, strlen(g->name));
	return b->err;
}

/* lw_gen_decode - a generations value */
int
lw_gen_decode(const void *p, size_t n, struct lw_gen_rec *g)
{
	struct lw_rd r;
	const void *name;
	size_t name_len;

	lw_rd_init(&r, p, n);
	if (lw_rd_version(&r) != LW_OK)
		return r.err;
	g->state = lw_rd_u8(&r);
	g->pid = lw_rd_u32(&r);
	g->started = lw_rd_u64(&r);
	name = lw_rd_str(&r, &name_len);
	if (r.err == LW_OK && name_len > LW_LIST_NAME_MAX)
		r.err = LW_ECORRUPT;
	if (r.err != LW_OK)
		return r.err;
	memcpy(g->name, name, name_len);
	g->name[name_len] = '\0';
	return LW_OK;
}

/* lw_row_encode - a rows value */
int
lw_row_encode(struct lw_buf *b, const char *key, size_t key_len,
    const char *raw, size_t raw_len)
{
	lw_buf_reset(b);
	lw_buf_u8(b, LW_VALUE_VERSION);
	lw_buf_str(b, key, key_len);
	lw_buf_bytes(b, raw, raw_len);
	return b->err;
}

/* lw_row_decode - a rows value; key and raw are borrowed from it */
int
lw_row_decode(const void *p, size_t n, const char **key, size_t *key_len,
    const char **raw, size_t *raw_len)
{
	struct lw_rd r;

	lw_rd_init(&r, p, n);
	if (lw_rd_version(&r) != LW_OK)
		return r.err;
	*key = lw_rd_str(&r, key_len);
	*raw = lw_rd_bytes(&r, raw_len);
	return r.err;
}

/* lw_addr_encode - an addresses value for a key seen for the first time */
int
lw_addr_encode(struct lw_buf *b, unsigned flags, const char *address,
    size_t address_len, const char *display, size_t display_len,
    uint64_t first_seen)
{
	lw_buf_reset(b);
	lw_buf_u8(b, LW_VALUE_VERSION);
	lw_buf_u8(b, (uint8_t)flags);
	lw_buf_u64(b, first_seen);
	lw_buf_str(b, address, address_len);
	lw_buf_str(b, display, display_len);
	lw_buf_u8(b, 0);		/* state: mailable */
	lw_buf_u64(b, 0);		/* state since */
	return b->err;
}

/* lw_state_encode - a state record */
int
lw_state_encode(struct lw_buf *b, const struct lw_state_rec *r)
{
	lw_buf_reset(b);
	lw_buf_u8(b, LW_VALUE_VERSION);
	lw_buf_u8(b, (uint8_t)r->st.state);
	lw_buf_u8(b, (uint8_t)r->st.reason);
	lw_buf_u8(b, (uint8_t)(r->st.allowed != 0));
	lw_buf_u32(b, r->st.soft_count);
	lw_buf_u64(b, (uint64_t)r->st.since);
	lw_buf_u64(b, (uint64_t)r->st.last_counted);
	lw_buf_u64(b, r->st.events);
	lw_buf_u64(b, r->policy_events);
	lw_buf_u64(b, (uint64_t)r->first_event);
	lw_buf_u64(b, (uint64_t)r->last_event);
	return b->err;
}

/* lw_state_decode - a state record; LW_ECORRUPT for a damaged one */
int
lw_state_decode(const void *p, size_t n, struct lw_state_rec *r)
{
	struct lw_rd rd;
	unsigned state, reason;

	memset(r, 0, sizeof(*r));
	lw_rd_init(&rd, p, n);
	if (lw_rd_version(&rd) != LW_OK)
		return rd.err;
	state = lw_rd_u8(&rd);
	reason = lw_rd_u8(&rd);
	r->st.allowed = lw_rd_u8(&rd);
	r->st.soft_count = lw_rd_u32(&rd);
	r->st.since = (int64_t)lw_rd_u64(&rd);
	r->st.last_counted = (int64_t)lw_rd_u64(&rd);
	r->st.events = lw_rd_u64(&rd);
	r->policy_events = lw_rd_u64(&rd);
	r->first_event = (int64_t)lw_rd_u64(&rd);
	r->last_event = (int64_t)lw_rd_u64(&rd);
	if (rd.err == LW_OK && (state > LW_STATE_SUPPRESSED ||
	    reason >= LW_SUPPRESS_REASON_COUNT || r->st.allowed > 1))
		rd.err = LW_ECORRUPT;
	r->st.state = state;
	r->st.reason = reason;
	return rd.err;
}

/* lw_event_key - subject, 0x00, big-endian time and id hash */
int
lw_event_key(struct lw_buf *b, const char *subject, size_t len,
    int64_t time, uint64_t idhash)
{
	lw_buf_reset(b);
	lw_buf_raw(b, subject, len);
	lw_buf_u8(b, 0);
	lw_buf_u64(b, (uint64_t)time);
	lw_buf_u64(b, idhash);
	return b->err;
}

/* put_cstr - a NUL-terminated string (NULL as empty) with a u16 length */
static void
put_cstr(struct lw_buf *b, const char *s)
{
	lw_buf_str(b, s ? s : "", s ? strlen(s) : 0);
}

/* lw_event_encode - an events value */
int
lw_event_encode(struct lw_buf *b, const struct lw_log_event *e)
{
	lw_buf_reset(b);
	lw_buf_u8(b, LW_VALUE_VERSION);
	lw_buf_u8(b, (uint8_t)e->kind);
	lw_buf_u16(b, (uint16_t)e->reply);
	put_cstr(b, e->status);
	put_cstr(b, e->event_id);
	put_cstr(b, e->source);
	put_cstr(b, e->diagnostic);
	put_cstr(b, e->rule);
	put_cstr(b, e->feedback);
	lw_buf_u64(b, (uint64_t)e->recorded);
	/* Optional, last: a value without them decodes as before. */
	if ((e->message_id != NULL && e->message_id[0] != '\0') ||
	    (e->list != NULL && e->list[0] != '\0') ||
	    (e->error_kind != NULL && e->error_kind[0] != '\0')) {
		put_cstr(b, e->message_id);
		put_cstr(b, e->list);
		put_cstr(b, e->error_kind);
	}
	return b->err;
}

/*
 * lw_event_decode - an event from its key and value
 *
 * The strings (and the subject) are copied into strs, each with a NUL,
 * and e points into it until strs is reset.
 */
int
lw_event_decode(const void *k, size_t klen, const void *p, size_t n,
    struct lw_buf *strs, struct lw_log_event *e)
{
	const char **fields[9] = { &e->status, &e->event_id, &e->source,
	    &e->diagnostic, &e->rule, &e->feedback, &e->message_id,
	    &e->list, &e->error_kind };
	size_t off[10], len, i;
	const uint8_t *key = k;
	const void *str;
	struct lw_rd rd;
	unsigned kind;

	memset(e, 0, sizeof(*e));
	if (klen < 17 || key[klen - 17] != 0)
		return LW_ECORRUPT;
	lw_buf_reset(strs);
	off[9] = 0;
	lw_buf_raw(strs, key, klen - 17);
	lw_buf_u8(strs, 0);
	e->subject_len = klen - 17;
	e->time = (int64_t)lw_get_u64(key + klen - 16);
	lw_rd_init(&rd, p, n);
	if (lw_rd_version(&rd) != LW_OK)
		return rd.err;
	kind = lw_rd_u8(&rd);
	e->reply = lw_rd_u16(&rd);
	for (i = 0; i < 6; i++) {
		str = lw_rd_str(&rd, &len);
		off[i] = strs->len;
		if (str != NULL)
			lw_buf_raw(strs, str, len);
		lw_buf_u8(strs, 0);
	}
	e->recorded = (int64_t)lw_rd_u64(&rd);
	/* The optional fields, when the value goes on. */
	for (i = 6; i < 9; i++) {
		str = rd.err == LW_OK && rd.p < rd.end ? lw_rd_str(&rd, &len) :
		    NULL;
		off[i] = strs->len;
		if (str != NULL)
			lw_buf_raw(strs, str, len);
		lw_buf_u8(strs, 0);
	}
	if (rd.err == LW_OK && rd.p != rd.end)
		rd.err = LW_ECORRUPT;
	if (rd.err == LW_OK && kind >= LW_EVENT_KIND_COUNT)
		rd.err = LW_ECORRUPT;
	if (rd.err != LW_OK || strs->err != LW_OK)
		return rd.err != LW_OK ? rd.err : strs->err;
	e->kind = kind;
	e->subject = (const char *)strs->p + off[9];
	for (i = 0; i < 9; i++)
		*fields[i] = (const char *)strs->p + off[i];
	return LW_OK;
}

/* lw_config_encode - the config value */
int
lw_config_encode(struct lw_buf *b, const struct lw_policy *p)
{
	lw_buf_reset(b);
	lw_buf_u8(b, LW_VALUE_VERSION);
	lw_buf_u32(b, p->soft_threshold);
	lw_buf_u32(b, p->window_days);
	lw_buf_u8(b, (uint8_t)(p->per_day != 0));
	lw_buf_u8(b, (uint8_t)(p->delivery_resets != 0));
	lw_buf_u32(b, p->expiry_days);
	return b->err;
}

/* lw_config_decode - the config value */
int
lw_config_decode(const void *p, size_t n, struct lw_policy *pol)
{
	struct lw_rd rd;

	lw_rd_init(&rd, p, n);
	if (lw_rd_version(&rd) != LW_OK)
		return rd.err;
	pol->soft_threshold = lw_rd_u32(&rd);
	pol->window_days = lw_rd_u32(&rd);
	pol->per_day = lw_rd_u8(&rd);
	pol->delivery_resets = lw_rd_u8(&rd);
	pol->expiry_days = lw_rd_u32(&rd);
	return rd.err;
}

/* lw_hash64 - FNV-1a over n bytes, continuing from h */
uint64_t
lw_hash64(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
