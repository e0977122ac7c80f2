/*
 * csv.c - events from CSV with a header row, through csvio
 *
 * NAME
 *	csv - the CSV event reader
 *
 * DESCRIPTION
 *	reader.c has already read the first line with content to decide the
 *	format.  That line is handed back to csvio through a stdio cookie
 *	stream that yields it first and the caller's stream after it, read
 *	a line at a time so that a pipe is not waited on beyond the line
 *	csvio asks for.  csvio numbers lines from that first line; the blank
 *	lines skipped before it are added back (line_offset).
 *
 *	The header row maps columns to fields by the name table; the first
 *	column of the preferred name wins.  Each later record becomes one
 *	event: a missing trailing field is empty, extra fields are ignored,
 *	and a record whose fields are all blank is skipped.
 *
 * DIAGNOSTICS
 *	LW_ENOHEADER when the header names no recipient column; csvio's
 *	LW_ECSV, LW_ETOOBIG, LW_EIO (or another negated errno) and
 *	LW_ENOMEM, at csvio's error line.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden/csvio.h"
#include "listwarden/error.h"
#include "listwarden/events.h"
#include "events_int.h"

/* The first line, replayed ahead of the rest of the stream. */
struct ev_prefix {
	char *data;
	size_t len, off;
	FILE *fp;
};

/* prefix_read - the cookie stream's read: the first line, then fp */
static ssize_t
prefix_read(void *cookie, char *buf, size_t size)
{
	struct ev_prefix *p = cookie;
	size_t n = 0;
	int c;

	if (p->off < p->len) {
		n = p->len - p->off < size ? p->len - p->off : size;
		memcpy(buf, p->data + p->off, n);
		p->off += n;
		if (p->off == p->len) {
			/* Handed out: the line is csvio's now. */
			free(p->data);
			p->data = NULL;
			p->len = p->off = 0;
		}
		return (ssize_t)n;
	}
	errno = 0;
	while (n < size) {
		if ((c = getc_unlocked(p->fp)) == EOF) {
			if (ferror(p->fp) && n == 0) {
				if (errno == 0)
					errno = EIO;
				return -1;
			}
			break;
		}
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	return (ssize_t)n;
}

/* all_blank - a record of blank fields only */
static int
all_blank(const struct lw_csv_record *rec)
{
	size_t i, j;

	for (i = 0; i < rec->nfields; i++)
		for (j = 0; j < rec->fields[i].len; j++)
			if (!ev_is_space((unsigned char)rec->fields[i].data[j]))
				return 0;
	return 1;
}

/* csv_fail - csvio's error, at its line */
static int
csv_fail(struct lw_events *r, int err)
{
	return ev_fail(r, err, lw_csv_error_line(r->csv) + r->line_offset);
}

/* ev_csv_start - csvio over the first line and the rest; the header */
int
ev_csv_start(struct lw_events *r)
{
	static const cookie_io_functions_t io = { .read = prefix_read };
	const struct lw_csv_record *hdr;
	struct ev_prefix *p;
	int best[EV_NFIELDS] = { 0 }, f, got, prio;
	size_t i;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return ev_fail(r, LW_ENOMEM, r->lineno);
	p->data = r->line;
	p->len = r->line_len;
	p->fp = r->fp;
	r->prefix = p;
	r->line = NULL;
	r->line_len = r->line_cap = 0;
	r->line_pending = 0;
	r->line_offset = r->lineno - 1;
	if ((r->csv_fp = fopencookie(p, "r", io)) == NULL)
		return ev_fail(r, LW_ENOMEM, r->lineno);
	if ((got = lw_csv_reader_new(&r->csv, r->csv_fp, 0)) != LW_OK)
		return ev_fail(r, got, r->lineno);

	if ((got = lw_csv_next(r->csv, &hdr)) < 0)
		return csv_fail(r, got);
	if (got == 0)
		return 0;
	for (f = 0; f < EV_NFIELDS; f++)
		r->col[f] = -1;
	for (i = 0; i < hdr->nfields && i <= (size_t)INT_MAX; i++) {
		f = ev_name_lookup(ev_names, ev_nnames, hdr->fields[i].data,
		    hdr->fields[i].len, &prio);
		if (f < 0 || (r->col[f] >= 0 && prio >= best[f]))
			continue;
		r->col[f] = (int)i;
		best[f] = prio;
	}
	if (r->col[EV_RECIPIENT] < 0)
		return ev_fail(r, LW_ENOHEADER, hdr->line + r->line_offset);
	return 1;
}

/* ev_csv_next - the next record that is not blank */
int
ev_csv_next(struct lw_events *r, struct lw_event_rec *rec)
{
	const struct lw_csv_record *in;
	struct ev_row row;
	size_t c;
	int f, got;

	for (;;) {
		if ((got = lw_csv_next(r->csv, &in)) < 0)
			return csv_fail(r, got);
		if (got == 0)
			return 0;
		if (!all_blank(in))
			break;
	}
	ev_row_clear(&row);
	for (f = 0; f < EV_NFIELDS; f++) {
		if (r->col[f] < 0)
			continue;
		c = (size_t)r->col[f];
		if (c < in->nfields)
			ev_row_set(&row, (enum ev_field)f, 0,
			    in->fields[c].data, in->fields[c].len);
	}
	if ((got = ev_row_finish(r, &row, in->line + r->line_offset, rec)) !=
	    LW_OK)
		return got;
	return 1;
}

/* ev_csv_close - csvio, its stream and the first line */
void
ev_csv_close(struct lw_events *r)
{
	lw_csv_reader_free(r->csv);
	r->csv = NULL;
	if (r->csv_fp != NULL)
		fclose(r->csv_fp);
	r->csv_fp = NULL;
	if (r->prefix != NULL)
		free(r->prefix->data);
	free(r->prefix);
	r->prefix = NULL;
}
