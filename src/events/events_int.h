/*
 * events_int.h - what the event readers share (internal)
 *
 * reader.c owns struct lw_events, the physical line reader and the
 * mapping of raw values to a record; csv.c and jsonl.c each turn their
 * format into a struct ev_row of raw values and hand it to
 * ev_row_finish().  A new format (an ESP's export) brings its own name
 * table and fills the same row.
 */
#ifndef LW_EVENTS_INT_H
#define LW_EVENTS_INT_H

#include <stddef.h>
#include <stdio.h>

#include "listwarden/events.h"

/* The fields of a record that come from the input. */
enum ev_field {
	EV_RECIPIENT,
	EV_STATUS,
	EV_REPLY,
	EV_TYPE,
	EV_TIMESTAMP,
	EV_DIAGNOSTIC,
	EV_EVENT_ID,
	EV_SOURCE,
	EV_FEEDBACK,
	EV_NFIELDS
};

/* A column or member name and the field it fills. */
struct ev_name {
	const char *name;
	enum ev_field field;
};

/* One row's raw values, borrowed from the format's own buffers. */
struct ev_row {
	const char *val[EV_NFIELDS];	/* NULL when absent */
	size_t len[EV_NFIELDS];
	int prio[EV_NFIELDS];		/* of the name that set it */
	const char *error;		/* a reason found before mapping */
};

/* A growing byte buffer. */
struct ev_buf {
	char *data;
	size_t len, cap;
};

struct ev_prefix;

struct lw_events {
	FILE *fp;
	char *name;
	enum lw_events_format format;
	int started;
	int at_end;			/* the input held no content */
	int failed;			/* a sticky lw_err */
	unsigned long error_line;

	/* The physical line reader (JSON lines, and the first CSV line). */
	char *line;
	size_t line_len, line_cap;
	int line_long;			/* more of the line is left unread */
	int line_pending;		/* read ahead, not yet handed out */
	unsigned long lineno;

	/* CSV: csvio over a stream that replays the first line. */
	struct lw_csv_reader *csv;
	FILE *csv_fp;
	struct ev_prefix *prefix;
	unsigned long line_offset;	/* blank lines skipped before it */
	int col[EV_NFIELDS];		/* column of each field, or -1 */

	/* What a record's strings point into. */
	struct ev_buf out[EV_NFIELDS];
	char reply[4], status[16];
};

/* The synonyms events.h lists, in order of preference within a field. */
extern const struct ev_name ev_names[];
extern const size_t ev_nnames;

/*
 * ev_name_lookup - the field named by the len octets at name in tab,
 * ignoring ASCII case and surrounding blanks, with its rank in *prio
 * (lower is preferred); -1 when none
 */
int ev_name_lookup(const struct ev_name *tab, size_t n, const char *name,
    size_t len, int *prio);

/* ev_row_clear - an empty row */
void ev_row_clear(struct ev_row *row);

/* ev_row_wants - whether a name of rank prio would set field f */
int ev_row_wants(const struct ev_row *row, enum ev_field f, int prio);

/* ev_row_set - give field f a value unless a preferred name gave one */
void ev_row_set(struct ev_row *row, enum ev_field f, int prio,
    const char *val, size_t len);

/*
 * ev_row_finish - check and copy a row's values into rec, which points
 * into r; LW_OK or LW_ENOMEM
 */
int ev_row_finish(struct lw_events *r, const struct ev_row *row,
    unsigned long line, struct lw_event_rec *rec);

/* ev_fail - make err sticky, met on line; returns err */
int ev_fail(struct lw_events *r, int err, unsigned long line);

/*
 * ev_read_line - read the next physical line into r->line, its line end
 * kept, at most LW_EVENT_LINE_MAX octets besides it; r->line_long is set
 * when more of the line is left unread.  1, 0 at the end, or an lw_err.
 */
int ev_read_line(struct lw_events *r);

/* ev_skip_line - read and drop the rest of a long line; LW_OK or lw_err */
int ev_skip_line(struct lw_events *r);

/* ev_is_space - an ASCII blank: space, TAB, CR, LF, VT or FF */
int ev_is_space(int c);

/* Each format: start after the first content line, and next record. */
int ev_csv_start(struct lw_events *r);
int ev_csv_next(struct lw_events *r, struct lw_event_rec *rec);
void ev_csv_close(struct lw_events *r);
int ev_jsonl_next(struct lw_events *r, struct lw_event_rec *rec);

#endif /* LW_EVENTS_INT_H */
