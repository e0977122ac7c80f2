/*
 * listwarden/csvio.h - stream CSV records in, through libcsv
 *
 * NAME
 *	csvio - a pull reader of CSV files with a header row
 *
 * DESCRIPTION
 *	lw_csv_reader_new() wraps a stdio stream.  A UTF-8 byte order mark
 *	at the start is dropped.  The delimiter is given, or detected from
 *	the first record among comma, semicolon, TAB and '|' (whichever
 *	occurs most outside quotes; comma on a tie or when none occurs).
 *	Quoting follows RFC 4180; CR LF, LF and lone CR end records; blank
 *	lines are skipped.  Each record carries the number of the physical
 *	line it starts on, so a caller can name the file and line of a bad
 *	row.
 *
 *	lw_csv_next() hands out one record at a time, with its fields and its
 *	raw bytes (the physical lines it came from, byte for byte, so a
 *	filter can pass rows through untouched).  The record and its bytes
 *	are borrowed: they stay valid until the next call or until the reader
 *	is freed.  Field bytes are NUL-terminated for convenience but may also
 *	contain NUL; use the length.  Should a lone CR end two records inside
 *	one physical line, the first carries the line's raw bytes and the
 *	second none.
 *
 *	lw_csv_find_column() looks a header up by name, ignoring ASCII case
 *	and surrounding spaces.
 *
 * DIAGNOSTICS
 *	LW_ECSV for a quote that is never closed or stray text after a closing
 *	quote, LW_ETOOBIG for a field over the limit (16 MiB) or a record of
 *	more than LW_CSV_FIELDS_MAX fields (each costs a descriptor, so 16
 *	million empty fields would cost half a gigabyte), LW_EIO for a
 *	read error, LW_ENOMEM.  lw_csv_error_line() tells the line at which the
 *	reader stopped.
 */
#ifndef LISTWARDEN_CSVIO_H
#define LISTWARDEN_CSVIO_H

#include <stddef.h>
#include <stdio.h>

#define LW_CSV_FIELD_MAX	(16u << 20)
/* The most fields one record may have: more is LW_ETOOBIG. */
#define LW_CSV_FIELDS_MAX	(1u << 20)

struct lw_csv_field {
	const char *data;
	size_t len;
};

struct lw_csv_record {
	const struct lw_csv_field *fields;
	size_t nfields;
	unsigned long line;	/* 1-based physical line where it starts */
	const char *raw;	/* the record's bytes as read, line end included */
	size_t raw_len;
};

struct lw_csv_reader;

/*
 * lw_csv_reader_new - read CSV from fp; delimiter 0 means detect it
 *
 * The reader borrows fp, which the caller closes after
 * lw_csv_reader_free().  Returns LW_OK or LW_ENOMEM.
 */
int lw_csv_reader_new(struct lw_csv_reader **rp, FILE *fp, int delimiter);

/* lw_csv_reader_free - release the reader (not its stream); NULL is a no-op */
void lw_csv_reader_free(struct lw_csv_reader *r);

/*
 * lw_csv_next - the next record, borrowed until the next call
 *
 * Returns 1 with *rec set, 0 at the end of input, or a negative lw_err.
 */
int lw_csv_next(struct lw_csv_reader *r, const struct lw_csv_record **rec);

/* lw_csv_delimiter - the delimiter in use (known after the first record) */
int lw_csv_delimiter(const struct lw_csv_reader *r);

/* lw_csv_error_line - the physical line the last error was met on */
unsigned long lw_csv_error_line(const struct lw_csv_reader *r);

/*
 * lw_csv_find_column - the index of the header field named name
 *
 * Compares ignoring ASCII case and surrounding spaces.  Returns the index,
 * or LW_ENOENT.
 */
int lw_csv_find_column(const struct lw_csv_record *header, const char *name);

#endif /* LISTWARDEN_CSVIO_H */
