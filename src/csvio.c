/*
 * csvio.c - a pull reader of CSV over libcsv's push parser
 *
 * NAME
 *	csvio - records one at a time, each with the line it starts on
 *
 * DESCRIPTION
 *	libcsv calls back for every field and record as bytes are pushed in.
 *	The reader pushes one physical line at a time, so it always knows
 *	the line a record begins on, and queues the records that complete
 *	until lw_csv_next() hands them out.  Fields of the queued records
 *	live in one byte arena that is emptied whenever the queue runs dry.
 *	A line is read only up to the limit on a record's bytes
 *	(LW_CSV_FIELD_MAX, a byte order mark apart), so a line of any
 *	length costs no more memory than that.
 *
 *	The parser runs in strict mode: a quote inside an unquoted field or
 *	text after a closing quote is an error, and so is a quoted field
 *	still open at the end of the input.
 *
 * DIAGNOSTICS
 *	LW_ECSV, LW_ETOOBIG, LW_EIO, LW_ENOMEM; lw_csv_error_line() says where.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "listwarden/csvio.h"
#include "listwarden/error.h"

struct span {
	size_t off, len;
};

struct queued {
	size_t first, nfields;	/* into fields[] */
	unsigned long line;
	size_t raw_off, raw_len;	/* into arena */
};

struct lw_csv_reader {
	FILE *fp;
	struct csv_parser parser;
	int delimiter;
	int failed;		/* a sticky lw_err */
	int at_eof;

	char *line;		/* the physical line being pushed */
	size_t line_cap;
	unsigned long lineno;
	unsigned long error_line;
	int in_record;
	unsigned long record_line;
	char *raw;		/* lines of the record being parsed */
	size_t raw_len, raw_cap;

	char *arena;		/* bytes of queued fields, each NUL-ended */
	size_t arena_len, arena_cap;
	struct span *fields;
	size_t nfields, fields_cap;
	size_t record_first;	/* first field of the record being built */
	struct queued *queue;
	size_t queue_len, queue_cap, queue_head;

	struct lw_csv_field *view;	/* what lw_csv_next() hands out */
	size_t view_cap;
	struct lw_csv_record record;
};

/* grow - make room for want elements of size sz in *buf of *cap */
static int
grow(void **buf, size_t *cap, size_t want, size_t sz)
{
	size_t ncap = *cap ? *cap : 16;
	void *p;

	if (want <= *cap)
		return LW_OK;
	while (ncap < want)
		ncap *= 2;
	if ((p = realloc(*buf, ncap * sz)) == NULL)
		return LW_ENOMEM;
	*buf = p;
	*cap = ncap;
	return LW_OK;
}

/* on_field - libcsv's callback at the end of each field */
static void
on_field(void *data, size_t len, void *arg)
{
	struct lw_csv_reader *r = arg;
	int err;

	if (r->failed)
		return;
	if (len > LW_CSV_FIELD_MAX ||
	    r->nfields - r->record_first >= LW_CSV_FIELDS_MAX) {
		r->failed = LW_ETOOBIG;
		return;
	}
	if ((err = grow((void **)&r->arena, &r->arena_cap, r->arena_len +
	    len + 1, 1)) != LW_OK ||
	    (err = grow((void **)&r->fields, &r->fields_cap, r->nfields + 1,
	    sizeof(*r->fields))) != LW_OK) {
		r->failed = err;
		return;
	}
	if (len > 0)
		memcpy(r->arena + r->arena_len, data, len);
	r->arena[r->arena_len + len] = '\0';
	r->fields[r->nfields].off = r->arena_len;
	r->fields[r->nfields].len = len;
	r->nfields++;
	r->arena_len += len + 1;
}

/* on_record - libcsv's callback at the end of each record */
static void
on_record(int term, void *arg)
{
	struct lw_csv_reader *r = arg;
	struct queued *q;
	int err;

	(void)term;
	if (r->failed)
		return;
	if ((err = grow((void **)&r->queue, &r->queue_cap, r->queue_len + 1,
	    sizeof(*r->queue))) != LW_OK) {
		r->failed = err;
		return;
	}
	if ((err = grow((void **)&r->arena, &r->arena_cap, r->arena_len +
	    r->raw_len + 1, 1)) != LW_OK) {
		r->failed = err;
		return;
	}
	q = &r->queue[r->queue_len++];
	q->first = r->record_first;
	q->nfields = r->nfields - r->record_first;
	q->line = r->record_line;
	q->raw_off = r->arena_len;
	q->raw_len = r->raw_len;
	if (r->raw_len > 0)
		memcpy(r->arena + r->arena_len, r->raw, r->raw_len);
	r->arena[r->arena_len + r->raw_len] = '\0';
	r->arena_len += r->raw_len + 1;
	r->raw_len = 0;
	r->record_first = r->nfields;
	r->in_record = 0;
}

/* lw_csv_reader_new - a reader over fp; delimiter 0 detects it */
int
lw_csv_reader_new(struct lw_csv_reader **rp, FILE *fp, int delimiter)
{
	struct lw_csv_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return LW_ENOMEM;
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_APPEND_NULL) != 0) {
		free(r);
		return LW_ENOMEM;
	}
	/*
	 * libcsv grows a field's buffer by this much at a time (128 octets
	 * by default): a long field would be copied over and over.
	 */
	csv_set_blk_size(&r->parser, 64 * 1024);
	r->fp = fp;
	r->delimiter = delimiter;
	*rp = r;
	return LW_OK;
}

/* lw_csv_reader_free - release a reader; NULL is a no-op */
void
lw_csv_reader_free(struct lw_csv_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->parser);
	free(r->line);
	free(r->raw);
	free(r->arena);
	free(r->fields);
	free(r->queue);
	free(r->view);
	free(r);
}

/* detect_delimiter - the candidate seen most often outside quotes */
static int
detect_delimiter(const char *s, size_t n)
{
	static const char cand[] = { ',', ';', '\t', '|' };
	size_t counts[sizeof(cand)] = { 0 }, i, j, best = 0;
	int quoted = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		for (j = 0; j < sizeof(cand); j++)
			if (s[i] == cand[j])
				counts[j]++;
	}
	for (j = 1; j < sizeof(cand); j++)
		if (counts[j] > counts[best])
			best = j;
	return cand[best];
}

/* is_blank - a line of nothing but its line ending */
static int
is_blank(const char *s, size_t n)
{
	return n == 0 || (n == 1 && (s[0] == '\n' || s[0] == '\r')) ||
	    (n == 2 && s[0] == '\r' && s[1] == '\n');
}

/* fail - remember err, and the line it was met on */
static int
fail(struct lw_csv_reader *r, int err)
{
	r->failed = err;
	r->error_line = r->lineno;
	return err;
}

/*
 * Longest physical line read whole: a longer one cannot fit a record
 * (push_line() refuses a record of more than LW_CSV_FIELD_MAX octets, a
 * byte order mark apart), so reading stops one octet past it.
 */
#define CSV_LINE_MAX	(LW_CSV_FIELD_MAX + 3)

/*
 * read_line - the next physical line into r->line, its '\n' kept: its
 * length, at most CSV_LINE_MAX + 1 (a line cut there), or -1 at the end
 * of input, on a read error or with errno ENOMEM.  Unlike getdelim(),
 * it never holds more than that of a line, however long.
 */
static ssize_t
read_line(struct lw_csv_reader *r)
{
	size_t n = 0;
	int c;

	for (;;) {
		if (n + 2 > r->line_cap && grow((void **)&r->line,
		    &r->line_cap, n + 2, 1) != LW_OK) {
			errno = ENOMEM;
			return -1;
		}
		if ((c = getc_unlocked(r->fp)) == EOF)
			break;
		r->line[n++] = (char)c;
		if (c == '\n' || n > CSV_LINE_MAX)
			break;
	}
	if (n == 0)
		return -1;
	r->line[n] = '\0';
	return (ssize_t)n;
}

/* push_line - read one physical line and push it through the parser */
static int
push_line(struct lw_csv_reader *r)
{
	ssize_t got;
	char *s;
	size_t n;
	int err;

	errno = 0;
	got = read_line(r);
	if (got < 0) {
		if (ferror(r->fp))	/* say why: EISDIR, EIO ... */
			return fail(r, errno > 0 ? -errno : LW_EIO);
		if (errno == ENOMEM)
			return fail(r, LW_ENOMEM);
		r->at_eof = 1;
		if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
			/* A quoted field still open: say where it began. */
			fail(r, LW_ECSV);
			r->error_line = r->record_line;
			return LW_ECSV;
		}
		return r->failed ? fail(r, r->failed) : LW_OK;
	}
	s = r->line;
	n = (size_t)got;
	r->lineno++;
	if (r->lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (r->delimiter == 0)
		r->delimiter = detect_delimiter(s, n);
	csv_set_delim(&r->parser, (unsigned char)r->delimiter);
	if (!r->in_record && !is_blank(s, n)) {
		r->in_record = 1;
		r->record_line = r->lineno;
	}
	if (r->in_record) {
		if (r->raw_len + n > LW_CSV_FIELD_MAX)
			return fail(r, LW_ETOOBIG);
		if ((err = grow((void **)&r->raw, &r->raw_cap, r->raw_len + n,
		    1)) != LW_OK)
			return fail(r, err);
		memcpy(r->raw + r->raw_len, s, n);
		r->raw_len += n;
	}
	if (csv_parse(&r->parser, s, n, on_field, on_record, r) != n)
		return fail(r, csv_error(&r->parser) == CSV_ENOMEM ?
		    LW_ENOMEM : LW_ECSV);
	if (r->failed)
		return fail(r, r->failed);
	return LW_OK;
}

/* lw_csv_next - hand out the next queued record, reading as needed */
int
lw_csv_next(struct lw_csv_reader *r, const struct lw_csv_record **rec)
{
	const struct queued *q;
	size_t i;
	int err;

	if (r->failed)
		return r->failed;
	if (r->queue_head == r->queue_len) {
		/* Everything handed out: start the arena afresh. */
		size_t partial = r->nfields - r->record_first;

		if (partial > 0)
			memmove(r->fields, r->fields + r->record_first,
			    partial * sizeof(*r->fields));
		else
			r->arena_len = 0;
		r->nfields = partial;
		r->record_first = 0;
		r->queue_len = r->queue_head = 0;
		while (r->queue_len == 0 && !r->at_eof)
			if ((err = push_line(r)) != LW_OK)
				return err;
		if (r->queue_len == 0)
			return 0;
	}
	q = &r->queue[r->queue_head++];
	if ((err = grow((void **)&r->view, &r->view_cap, q->nfields + 1,
	    sizeof(*r->view))) != LW_OK)
		return fail(r, err);
	for (i = 0; i < q->nfields; i++) {
		r->view[i].data = r->arena + r->fields[q->first + i].off;
		r->view[i].len = r->fields[q->first + i].len;
	}
	r->record.fields = r->view;
	r->record.nfields = q->nfields;
	r->record.line = q->line;
	r->record.raw = r->arena + q->raw_off;
	r->record.raw_len = q->raw_len;
	*rec = &r->record;
	return 1;
}

/* lw_csv_delimiter - the delimiter in use */
int
lw_csv_delimiter(const struct lw_csv_reader *r)
{
	return r->delimiter;
}

/* lw_csv_error_line - where the last error was met */
unsigned long
lw_csv_error_line(const struct lw_csv_reader *r)
{
	return r->error_line;
}

/* lw_csv_find_column - a header field by name, ASCII case ignored */
int
lw_csv_find_column(const struct lw_csv_record *header, const char *name)
{
	const char *s;
	size_t i, n, want = strlen(name);

	for (i = 0; i < header->nfields; i++) {
		s = header->fields[i].data;
		n = header->fields[i].len;
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == want && strncasecmp(s, name, n) == 0)
			return (int)i;
	}
	return LW_ENOENT;
}
