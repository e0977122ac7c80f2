/*
 * sorter.c - sort more records than memory holds
 *
 * NAME
 *	sorter - buffer, sort, spill runs, k-way merge
 *
 * DESCRIPTION
 *	Records are packed into one buffer: a fixed header (key length,
 *	value length, line, row) then the key and the value.  When the
 *	buffer reaches the limit its records are sorted through an array of
 *	offsets and written to a run file in that order.  lw_sorter_finish()
 *	sorts what is left in memory, which becomes the last run without
 *	touching the disk; lw_sorter_next() then merges all runs with a
 *	binary heap.  Order is by key bytes, then by line, so equal keys come
 *	out in input order: the first occurrence of a key comes first.
 *
 *	Run files are tmpfile(3): created 0600 and already unlinked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden/error.h"
#include "sorter.h"

struct hdr {
	uint16_t key_len, val_len;
	uint64_t line, row;
};

struct run {
	FILE *fp;			/* NULL: the in-memory run */
	size_t next;			/* in-memory: the next offset index */
	struct hdr h;
	char *rec;			/* the current record: key then val */
	size_t rec_cap;
	int valid;
};

/* A buffered record's place, with its key's first 16 octets to sort on. */
struct ent {
	uint64_t p0, p1;
	size_t off;
};

struct lw_sorter {
	size_t limit;
	char *buf;
	size_t len, cap;
	struct ent *offs;
	size_t noffs, offs_cap;
	struct run *runs;
	size_t nruns;
	size_t *heap;			/* run indexes */
	size_t nheap;
	int finished;
};

/* lw_sorter_new - an empty sorter using about mem_limit octets */
int
lw_sorter_new(struct lw_sorter **sp, size_t mem_limit)
{
	struct lw_sorter *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return LW_ENOMEM;
	s->limit = mem_limit;
	*sp = s;
	return LW_OK;
}

/* lw_sorter_free - release the sorter and close its runs */
void
lw_sorter_free(struct lw_sorter *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nruns; i++) {
		if (s->runs[i].fp == NULL)
			continue;	/* the in-memory run points into buf */
		fclose(s->runs[i].fp);
		free(s->runs[i].rec);
	}
	free(s->runs);
	free(s->heap);
	free(s->buf);
	free(s->offs);
	free(s);
}

/* rec_at - the header of the buffered record at off */
static const struct hdr *
rec_at(const struct lw_sorter *s, size_t off)
{
	return (const struct hdr *)(const void *)(s->buf + off);
}

/* cmp_parts - order by key bytes, then line */
static int
cmp_parts(const char *ka, size_t na, uint64_t la, const char *kb, size_t nb,
    uint64_t lb)
{
	int c = memcmp(ka, kb, na < nb ? na : nb);

	if (c != 0)
		return c;
	if (na != nb)
		return na < nb ? -1 : 1;
	return la < lb ? -1 : la > lb;
}

/*
 * ent_less - the key prefixes decide nearly every comparison without
 * touching the records; the records decide the rest
 */
static inline int
ent_less(const struct lw_sorter *s, const struct ent *a, const struct ent *b)
{
	const struct hdr *x, *y;

	if (a->p0 != b->p0)
		return a->p0 < b->p0;
	if (a->p1 != b->p1)
		return a->p1 < b->p1;
	x = rec_at(s, a->off);
	y = rec_at(s, b->off);
	return cmp_parts((const char *)(x + 1), x->key_len, x->line,
	    (const char *)(y + 1), y->key_len, y->line) < 0;
}

/* prefix - 8 octets of a key from at, as a big-endian integer */
static uint64_t
prefix(const char *key, size_t n, size_t at)
{
	uint64_t v = 0;
	size_t i;

	for (i = at; i < at + 8; i++)
		v = v << 8 | (i < n ? (unsigned char)key[i] : 0);
	return v;
}

/* swap - exchange two entries */
static inline void
swap(struct ent *a, struct ent *b)
{
	struct ent t = *a;

	*a = *b;
	*b = t;
}

/*
 * sort_ents - quicksort (median of three, insertion sort below 16,
 * recursing into the smaller side) with the comparison inlined: qsort's
 * indirect calls and copies cost more than the comparisons themselves
 */
static void
sort_ents(const struct lw_sorter *s, struct ent *a, size_t n)
{
	size_t i, j, mid;
	struct ent pivot;

	while (n > 16) {
		mid = n / 2;
		if (ent_less(s, &a[mid], &a[0]))
			swap(&a[mid], &a[0]);
		if (ent_less(s, &a[n - 1], &a[0]))
			swap(&a[n - 1], &a[0]);
		if (ent_less(s, &a[n - 1], &a[mid]))
			swap(&a[n - 1], &a[mid]);
		pivot = a[mid];
		i = 0;
		j = n - 1;
		for (;;) {
			while (ent_less(s, &a[i], &pivot))
				i++;
			while (ent_less(s, &pivot, &a[j]))
				j--;
			if (i >= j)
				break;
			swap(&a[i], &a[j]);
			i++;
			j--;
		}
		if (j + 1 < n - j - 1) {
			sort_ents(s, a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			sort_ents(s, a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && ent_less(s, &a[j], &a[j - 1]); j--)
			swap(&a[j], &a[j - 1]);
}

/* add_run - one more run slot */
static struct run *
add_run(struct lw_sorter *s)
{
	struct run *nr;

	if ((nr = realloc(s->runs, (s->nruns + 1) * sizeof(*nr))) == NULL)
		return NULL;
	s->runs = nr;
	memset(&nr[s->nruns], 0, sizeof(*nr));
	return &nr[s->nruns++];
}

/* spill - sort the buffer and write it out as a run */
static int
spill(struct lw_sorter *s)
{
	struct run *r;
	const struct hdr *h;
	size_t i;

	sort_ents(s, s->offs, s->noffs);
	if ((r = add_run(s)) == NULL)
		return LW_ENOMEM;
	if ((r->fp = tmpfile()) == NULL)
		return LW_EIO;
	for (i = 0; i < s->noffs; i++) {
		h = rec_at(s, s->offs[i].off);
		fwrite(h, 1, sizeof(*h) + h->key_len + h->val_len, r->fp);
	}
	if (fflush(r->fp) != 0 || ferror(r->fp))
		return LW_EIO;
	rewind(r->fp);
	s->len = 0;
	s->noffs = 0;
	return LW_OK;
}

/* lw_sorter_add - copy one record into the buffer, spilling when full */
int
lw_sorter_add(struct lw_sorter *s, const struct lw_sorted *rec)
{
	size_t need, cap, align = _Alignof(struct hdr);
	struct ent *no;
	struct hdr h;
	char *nb;
	int err;

	if (rec->key_len > UINT16_MAX || rec->val_len > UINT16_MAX)
		return LW_ETOOBIG;
	need = (sizeof(h) + rec->key_len + rec->val_len + align - 1) &
	    ~(align - 1);
	if (s->len > 0 && s->len + need > s->limit &&
	    (err = spill(s)) != LW_OK)
		return err;
	if (s->len + need > s->cap) {
		cap = s->cap ? s->cap : 1 << 20;
		while (cap < s->len + need)
			cap *= 2;
		/* Doubling past the limit would waste up to half of it. */
		if (cap > s->limit + need && s->limit + need >= s->len + need)
			cap = s->limit + need;
		if ((nb = realloc(s->buf, cap)) == NULL)
			return LW_ENOMEM;
		s->buf = nb;
		s->cap = cap;
	}
	if (s->noffs == s->offs_cap) {
		cap = s->offs_cap ? s->offs_cap * 2 : 4096;
		if ((no = realloc(s->offs, cap * sizeof(*no))) == NULL)
			return LW_ENOMEM;
		s->offs = no;
		s->offs_cap = cap;
	}
	h.key_len = (uint16_t)rec->key_len;
	h.val_len = (uint16_t)rec->val_len;
	h.line = rec->line;
	h.row = rec->row;
	memcpy(s->buf + s->len, &h, sizeof(h));
	memcpy(s->buf + s->len + sizeof(h), rec->key, rec->key_len);
	if (rec->val_len > 0)
		memcpy(s->buf + s->len + sizeof(h) + rec->key_len, rec->val,
		    rec->val_len);
	s->offs[s->noffs].p0 = prefix(rec->key, rec->key_len, 0);
	s->offs[s->noffs].p1 = prefix(rec->key, rec->key_len, 8);
	s->offs[s->noffs++].off = s->len;
	s->len += need;
	return LW_OK;
}

/* run_load - read a run's next record into its slot */
static int
run_load(struct lw_sorter *s, struct run *r)
{
	const struct hdr *h;
	size_t n;
	char *nr;

	r->valid = 0;
	if (r->fp == NULL) {
		if (r->next >= s->noffs)
			return LW_OK;
		h = rec_at(s, s->offs[r->next++].off);
		r->h = *h;
		r->rec = (char *)(uintptr_t)(h + 1);	/* in the buffer */
		r->valid = 1;
		return LW_OK;
	}
	if (fread(&r->h, sizeof(r->h), 1, r->fp) != 1)
		return ferror(r->fp) ? LW_EIO : LW_OK;
	n = (size_t)r->h.key_len + r->h.val_len;
	if (n > r->rec_cap) {
		if ((nr = realloc(r->rec, n)) == NULL)
			return LW_ENOMEM;
		r->rec = nr;
		r->rec_cap = n;
	}
	if (n > 0 && fread(r->rec, 1, n, r->fp) != n)
		return LW_EIO;
	r->valid = 1;
	return LW_OK;
}

/* run_less - whether run a's record comes before run b's */
static int
run_less(const struct lw_sorter *s, size_t a, size_t b)
{
	const struct run *x = &s->runs[a], *y = &s->runs[b];

	return cmp_parts(x->rec, x->h.key_len, x->h.line, y->rec,
	    y->h.key_len, y->h.line) < 0;
}

/* sift_down - restore the heap from position i */
static void
sift_down(struct lw_sorter *s, size_t i)
{
	size_t l, m, t;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < s->nheap && run_less(s, s->heap[l], s->heap[m]))
			m = l;
		if (l + 1 < s->nheap && run_less(s, s->heap[l + 1], s->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

/* lw_sorter_finish - sort the buffer in place as the last run; heap up */
int
lw_sorter_finish(struct lw_sorter *s)
{
	struct run *r;
	size_t i;
	int err;

	sort_ents(s, s->offs, s->noffs);
	if ((r = add_run(s)) == NULL)
		return LW_ENOMEM;
	if ((s->heap = calloc(s->nruns, sizeof(*s->heap))) == NULL)
		return LW_ENOMEM;
	for (i = 0; i < s->nruns; i++) {
		if ((err = run_load(s, &s->runs[i])) != LW_OK)
			return err;
		if (s->runs[i].valid)
			s->heap[s->nheap++] = i;
	}
	for (i = s->nheap; i-- > 0;)
		sift_down(s, i);
	s->finished = 1;
	return LW_OK;
}

/*
 * lw_sorter_next - the smallest record left
 *
 * The record returned stays valid until the next call: its run is only
 * advanced then.
 */
int
lw_sorter_next(struct lw_sorter *s, struct lw_sorted *rec)
{
	struct run *r;
	int err;

	if (s->nheap == 0)
		return 0;
	r = &s->runs[s->heap[0]];
	if (r->valid == 2) {		/* handed out last time: advance */
		if ((err = run_load(s, r)) != LW_OK)
			return err;
		if (!r->valid)
			s->heap[0] = s->heap[--s->nheap];
		if (s->nheap == 0)
			return 0;
		sift_down(s, 0);
		r = &s->runs[s->heap[0]];
	}
	r->valid = 2;
	rec->key = r->rec;
	rec->key_len = r->h.key_len;
	rec->line = r->h.line;
	rec->row = r->h.row;
	rec->val = r->rec + r->h.key_len;
	rec->val_len = r->h.val_len;
	return 1;
}

/* lw_sorter_runs - the number of runs spilled to disk */
size_t
lw_sorter_runs(const struct lw_sorter *s)
{
	return s->finished ? s->nruns - 1 : s->nruns;
}
