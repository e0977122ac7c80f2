/*
 * rowpipe.c - read and validate a list on a second thread
 *
 * NAME
 *	rowpipe - parse CSV and judge addresses while the caller stores
 *
 * DESCRIPTION
 *	An import does two kinds of work: reading (libcsv, the address
 *	module) and storing (LMDB, sorting).  They are independent, so the
 *	reader runs on a thread of its own and hands rows over in batches:
 *	each batch packs a few thousand rows (line, raw bytes, and the
 *	address's forms or reason) into one buffer.  A handful of batches
 *	circulate between a free queue and a full queue, which bounds memory
 *	and lets the slower side set the pace.
 *
 *	The reader owns the list input and its own address context while it
 *	runs; errors it meets (malformed CSV, a ragged row) are reported
 *	there, and rowpipe_next() returns the exit status once the rows
 *	before the error are consumed.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

#define NBATCHES	4
#define BATCH_ROWS	4096
#define BATCH_BYTES	((size_t)1 << 20)

struct rhdr {
	uint64_t line;
	uint32_t raw_len;
	uint16_t key_len, addr_len, disp_len;
	uint8_t valid, flags, reason;
};

struct batch {
	char *buf;
	size_t len, cap, pos;
};

struct rowpipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct list_input *in;
	struct batch batches[NBATCHES];
	struct batch *free_q[NBATCHES], *full_q[NBATCHES];
	size_t nfree, full_head, nfull;
	struct batch *cur;		/* being read by the consumer */
	int done, status, stop;
};

/* pack - append one judged row to a batch */
static int
pack(struct batch *b, const struct lw_csv_record *rec,
    const struct lw_address *a)
{
	struct rhdr h = { .line = rec->line, .raw_len = (uint32_t)rec->raw_len,
	    .valid = a->reason == LW_REASON_NONE, .flags = (uint8_t)a->flags,
	    .reason = (uint8_t)a->reason };
	size_t need, cap;
	char *nb, *p;

	if (h.valid) {
		h.key_len = (uint16_t)strlen(a->key);
		h.addr_len = (uint16_t)strlen(a->address);
		h.disp_len = (uint16_t)strlen(a->display);
	}
	need = (sizeof(h) + rec->raw_len + h.key_len + h.addr_len +
	    h.disp_len + 7) & ~(size_t)7;
	if (b->len + need > b->cap) {
		cap = b->cap ? b->cap : BATCH_BYTES;
		while (cap < b->len + need)
			cap *= 2;
		if ((nb = realloc(b->buf, cap)) == NULL)
			return LW_ENOMEM;
		b->buf = nb;
		b->cap = cap;
	}
	p = b->buf + b->len;
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	memcpy(p, rec->raw, rec->raw_len);
	p += rec->raw_len;
	if (h.valid) {
		memcpy(p, a->key, h.key_len);
		memcpy(p + h.key_len, a->address, h.addr_len);
		memcpy(p + h.key_len + h.addr_len, a->display, h.disp_len);
	}
	b->len += need;
	return LW_OK;
}

/* reader - the thread: fill free batches with judged rows */
static void *
reader(void *arg)
{
	struct rowpipe *p = arg;
	struct lw_address_ctx *ctx = NULL;
	const struct lw_csv_record *rec;
	const struct lw_csv_field *f;
	struct lw_address a;
	struct batch *b;
	int got = 0, status = LW_EXIT_OK, rows;

	if (lw_address_ctx_new(&ctx, 0) != LW_OK) {
		cli_error(p->in->cli, "%s", lw_strerror(LW_ENOMEM));
		status = -LW_EXIT_SYSTEM;
	}
	while (status == LW_EXIT_OK) {
		pthread_mutex_lock(&p->mu);
		while (p->nfree == 0 && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		b = p->stop ? NULL : p->free_q[--p->nfree];
		pthread_mutex_unlock(&p->mu);
		if (b == NULL)
			break;
		b->len = b->pos = 0;
		for (rows = 0; rows < BATCH_ROWS && b->len < BATCH_BYTES;
		    rows++) {
			if ((got = list_input_next(p->in, &rec)) <= 0)
				break;
			f = &rec->fields[p->in->column];
			if (lw_address_parse(ctx, f->data, f->len, &a) != 0 ||
			    pack(b, rec, &a) != LW_OK) {
				cli_error(p->in->cli, "%s:%lu: %s", p->in->name,
				    rec->line, lw_strerror(LW_ENOMEM));
				got = -LW_EXIT_SYSTEM;
				break;
			}
		}
		if (got < 0)
			status = got;
		pthread_mutex_lock(&p->mu);
		p->full_q[(p->full_head + p->nfull++) % NBATCHES] = b;
		if (got <= 0) {
			p->done = 1;
			p->status = status;
		}
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (got <= 0)
			break;
	}
	if (status != LW_EXIT_OK || p->stop) {
		pthread_mutex_lock(&p->mu);
		p->done = 1;
		if (p->status == LW_EXIT_OK)
			p->status = status;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	lw_address_ctx_free(ctx);
	return NULL;
}

/* rowpipe_start - start reading in from a thread of its own */
int
rowpipe_start(struct rowpipe **pp, struct list_input *in)
{
	struct rowpipe *p;
	int i;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return LW_ENOMEM;
	p->in = in;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (i = 0; i < NBATCHES; i++)
		p->free_q[p->nfree++] = &p->batches[i];
	if (pthread_create(&p->thread, NULL, reader, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return LW_ENOMEM;
	}
	*pp = p;
	return LW_OK;
}

/*
 * rowpipe_next - the next row, borrowed until the next call
 *
 * Returns 1, 0 at the end of the input, or -(exit status) after an error
 * the reader has reported.
 */
int
rowpipe_next(struct rowpipe *p, struct piped_row *row)
{
	struct rhdr h;
	const char *s;
	int status;

	while (p->cur == NULL || p->cur->pos >= p->cur->len) {
		pthread_mutex_lock(&p->mu);
		if (p->cur != NULL) {
			p->free_q[p->nfree++] = p->cur;
			p->cur = NULL;
			pthread_cond_broadcast(&p->cv);
		}
		while (p->nfull == 0 && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->nfull == 0) {
			status = p->status;
			pthread_mutex_unlock(&p->mu);
			return status;
		}
		p->cur = p->full_q[p->full_head];
		p->full_head = (p->full_head + 1) % NBATCHES;
		p->nfull--;
		pthread_mutex_unlock(&p->mu);
	}
	s = p->cur->buf + p->cur->pos;
	memcpy(&h, s, sizeof(h));
	s += sizeof(h);
	row->line = (unsigned long)h.line;
	row->raw = s;
	row->raw_len = h.raw_len;
	s += h.raw_len;
	row->valid = h.valid;
	row->flags = h.flags;
	row->reason = (enum lw_address_reason)h.reason;
	row->key = s;
	row->key_len = h.key_len;
	row->address = s + h.key_len;
	row->address_len = h.addr_len;
	row->display = s + h.key_len + h.addr_len;
	row->display_len = h.disp_len;
	p->cur->pos += (sizeof(h) + h.raw_len + h.key_len + h.addr_len +
	    h.disp_len + 7) & ~(size_t)7;
	return 1;
}

/* rowpipe_stop - stop the reader, wait for it, and free the pipe */
void
rowpipe_stop(struct rowpipe *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	for (i = 0; i < NBATCHES; i++)
		free(p->batches[i].buf);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
