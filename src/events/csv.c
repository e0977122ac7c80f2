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
#include <strings.h>

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

/* The suppression lists a header gives away (events.h, SUPPRESSION LISTS). */
enum {
	SUPP_NONE,
	SUPP_LISTWARDEN,
	SUPP_MAILGUN_BOUNCES,
	SUPP_MAILGUN_UNSUBSCRIBES,
	SUPP_MAILGUN_COMPLAINTS,
	SUPP_SENDGRID,
	SUPP_POSTMARK,
	SUPP_SES,			/* no header: email,BOUNCE */
	SUPP_POSTFIX,			/* an access(5) table: KEY REJECT ... */
	SUPP_LISTMONK			/* forced: every row manual */
};

static const struct {
	int supp;
	const char *header;		/* the columns, in order */
	const char *reason;		/* every row's, or NULL: a column's */
	const char *reason_col, *origin_col;
} supplists[] = {
	{ SUPP_MAILGUN_BOUNCES, "address,code,error,created_at", "hard",
	    NULL, NULL },
	{ SUPP_MAILGUN_UNSUBSCRIBES, "address,tag,created_at", "unsubscribe",
	    NULL, NULL },
	{ SUPP_MAILGUN_COMPLAINTS, "address,created_at", "complaint", NULL,
	    NULL },
	{ SUPP_SENDGRID, "email,created,reason,status", "hard", NULL, NULL },
	{ SUPP_POSTMARK, "EmailAddress,SuppressionReason,Origin,CreatedAt",
	    NULL, "SuppressionReason", "Origin" },
	{ SUPP_LISTWARDEN, "email,reason,class,status,diagnostic,"
	    "suppressed_at,first_event_at,soft_count,source", NULL, "reason",
	    NULL },
};

/* The reasons a suppression list may name, as listwarden names them. */
static const char *const reasons[] = {
	"hard", "soft", "complaint", "unsubscribe", "manual",
};

/*
 * our_reason - the reason the n octets at p name (any case), or NULL;
 * unless whole, a reason may be followed by more ("hard, ...")
 */
static const char *
our_reason(const char *p, size_t n, int whole)
{
	size_t i, len;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		len = strlen(reasons[i]);
		if ((whole ? len == n : len <= n) &&
		    strncasecmp(p, reasons[i], len) == 0)
			return reasons[i];
	}
	return NULL;
}

/* ses_reason - "BOUNCE" hard, "COMPLAINT" complaint, else NULL */
static const char *
ses_reason(const char *p, size_t n)
{
	while (n > 0 && ev_is_space((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n > 0 && ev_is_space((unsigned char)p[n - 1]))
		n--;
	if (n == 6 && strncasecmp(p, "BOUNCE", 6) == 0)
		return "hard";
	if (n == 9 && strncasecmp(p, "COMPLAINT", 9) == 0)
		return "complaint";
	return NULL;
}

/*
 * header_is - whether the header's columns are cols, in any order (an
 * ESP's export may put them in another)
 */
static int
header_is(const struct lw_csv_record *hdr, const char *cols)
{
	size_t i, n, count = 0;
	const char *c = cols, *comma;
	int found;

	for (;;) {
		comma = strchr(c, ',');
		n = comma != NULL ? (size_t)(comma - c) : strlen(c);
		found = 0;
		for (i = 0; i < hdr->nfields; i++)
			if (hdr->fields[i].len == n &&
			    strncasecmp(hdr->fields[i].data, c, n) == 0)
				found = 1;
		if (!found)
			return 0;
		count++;
		if (comma == NULL)
			break;
		c = comma + 1;
	}
	return count == hdr->nfields;
}

/* column_of - the index of the header's column named name, or -1 */
static int
column_of(const struct lw_csv_record *hdr, const char *name)
{
	size_t i;

	for (i = 0; i < hdr->nfields && i <= (size_t)INT_MAX; i++)
		if (hdr->fields[i].len == strlen(name) &&
		    strncasecmp(hdr->fields[i].data, name,
		    hdr->fields[i].len) == 0)
			return (int)i;
	return -1;
}

/* supplist_detect - a suppression list's header, and its columns */
static void
supplist_detect(struct lw_events *r, const struct lw_csv_record *hdr)
{
	size_t i;

	r->supp = SUPP_NONE;
	for (i = 0; i < sizeof(supplists) / sizeof(supplists[0]); i++) {
		if (!header_is(hdr, supplists[i].header))
			continue;
		r->supp = supplists[i].supp;
		r->supp_col = supplists[i].reason_col != NULL ?
		    column_of(hdr, supplists[i].reason_col) : -1;
		r->supp_col2 = supplists[i].origin_col != NULL ?
		    column_of(hdr, supplists[i].origin_col) : -1;
		/* Where the columns are not the events' own names. */
		if (r->supp == SUPP_LISTWARDEN) {
			r->col[EV_TYPE] = -1;	/* "class": manual is none */
			r->col[EV_TIMESTAMP] = column_of(hdr,
			    "suppressed_at");
		} else if (r->supp == SUPP_POSTMARK) {
			r->col[EV_RECIPIENT] = column_of(hdr, "EmailAddress");
			r->col[EV_TIMESTAMP] = column_of(hdr, "CreatedAt");
		}
		return;
	}
}

/* field - the value of column c of in, trimmed, in buf (n octets) */
static const char *
field(const struct lw_csv_record *in, int c, char *buf, size_t n)
{
	const struct lw_csv_field *f;
	size_t len;

	if (c < 0 || (size_t)c >= in->nfields)
		return "";
	f = &in->fields[c];
	len = f->len < n - 1 ? f->len : n - 1;
	memcpy(buf, f->data, len);
	buf[len] = '\0';
	while (len > 0 && ev_is_space((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	return buf + strspn(buf, " \t");
}

/* supplist_reason - a row's reason, by its list's rules; NULL: unknown */
static const char *
supplist_reason(const struct lw_events *r, const struct lw_csv_record *in)
{
	char a[32], b[32];
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(supplists) / sizeof(supplists[0]); i++)
		if (supplists[i].supp == r->supp && supplists[i].reason)
			return supplists[i].reason;
	if (r->supp == SUPP_LISTMONK)
		return "manual";
	v = field(in, r->supp_col, a, sizeof(a));
	if (r->supp == SUPP_SES)
		return ses_reason(v, strlen(v));
	if (r->supp == SUPP_POSTMARK) {
		if (strcasecmp(v, "HardBounce") == 0)
			return "hard";
		if (strcasecmp(v, "SpamComplaint") == 0)
			return "complaint";
		if (strcasecmp(v, "ManualSuppression") == 0)
			return strcasecmp(field(in, r->supp_col2, b,
			    sizeof(b)), "Recipient") == 0 ? "unsubscribe" :
			    "manual";
		return NULL;
	}
	return our_reason(v, strlen(v), 1);
}

/*
 * ses_first_row - Amazon SES's suppression list import has no header:
 * a first row "address,BOUNCE" makes the file one, and is its first
 * record (kept until ev_csv_next hands it out); 1, 0 when it is not
 * one, or an lw_err
 */
static int
ses_first_row(struct lw_events *r, const struct lw_csv_record *hdr)
{
	if (hdr->nfields != 2 ||
	    memchr(hdr->fields[0].data, '@', hdr->fields[0].len) == NULL ||
	    ses_reason(hdr->fields[1].data, hdr->fields[1].len) == NULL)
		return 0;
	r->supp = SUPP_SES;
	r->col[EV_RECIPIENT] = 0;
	r->supp_col = 1;
	r->supp_col2 = -1;
	if (ev_buf_set(&r->ses_first[0], hdr->fields[0].data,
	    hdr->fields[0].len) != LW_OK ||
	    ev_buf_set(&r->ses_first[1], hdr->fields[1].data,
	    hdr->fields[1].len) != LW_OK)
		return ev_fail(r, LW_ENOMEM, hdr->line);
	r->ses_first_line = hdr->line + r->line_offset;
	r->ses_pending = 1;
	return 1;
}

/* postfix_line - the n octets at p are "KEY REJECT ...": 1, else 0 */
static int
postfix_line(const char *p, size_t n)
{
	size_t i = 0, k;

	while (i < n && ev_is_space((unsigned char)p[i]))
		i++;
	k = i;
	while (i < n && !ev_is_space((unsigned char)p[i]))
		i++;
	if (i == k || i == n)
		return 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return n - i >= 6 && strncasecmp(p + i, "REJECT", 6) == 0 &&
	    (n - i == 6 || ev_is_space((unsigned char)p[i + 6]));
}

/*
 * postfix_row - one line of a Postfix access table that listwarden
 * suppressions wrote (or a sender keeps): "ADDRESS REJECT text",
 * "example.com REJECT" (the domain) or ".example.com REJECT" (below
 * it); the reason is the text's "suppressed: REASON", else manual.  A
 * line that is no REJECT, or a "user@" key, is unknown-reason; a
 * comment gives nothing (0).
 */
static int
postfix_row(struct lw_events *r, const char *p, size_t n,
    unsigned long line, struct lw_event_rec *rec)
{
	char key[LW_EVENT_FIELD_MAX / 16];
	const char *k, *text, *s, *reason = NULL;
	size_t klen, tlen, i, len;
	struct ev_row row;
	int err;

	ev_row_clear(&row);
	while (n > 0 && ev_is_space((unsigned char)p[n - 1]))
		n--;
	for (i = 0; i < n && ev_is_space((unsigned char)p[i]); i++)
		;
	if (i == n || p[i] == '#')
		return 0;		/* a blank line or a comment */
	k = p + i;
	for (klen = 0; i < n && !ev_is_space((unsigned char)p[i]); i++)
		klen++;
	while (i < n && ev_is_space((unsigned char)p[i]))
		i++;
	text = p + i;
	tlen = n - i;
	if (klen + 2 > sizeof(key) || !postfix_line(p, n)) {
		row.error = "unknown-reason";
	} else if (memchr(k, '@', klen) != NULL) {
		memcpy(key, k, klen);	/* an address; "user@" is none */
		key[klen] = '\0';
		if (k[klen - 1] == '@')
			row.error = "unknown-reason";
	} else if (k[0] == '.') {
		key[0] = '*';		/* ".example.com": below the domain */
		memcpy(key + 1, k, klen);
		key[klen + 1] = '\0';
	} else {
		key[0] = '@';		/* "example.com": the domain */
		memcpy(key + 1, k, klen);
		key[klen + 1] = '\0';
	}
	if (row.error == NULL) {
		ev_row_set(&row, EV_RECIPIENT, 0, key, strlen(key));
		/* The text after REJECT is what the table says. */
		if (tlen > 6) {
			ev_row_set(&row, EV_DIAGNOSTIC, 0, text + 6, tlen - 6);
		}
		reason = "manual";
		if ((s = memmem(text, tlen, "suppressed: ", 12)) != NULL) {
			s += 12;
			len = tlen - (size_t)(s - text);
			if ((s = our_reason(s, len, 0)) != NULL)
				reason = s;
		}
	}
	if ((err = ev_row_finish(r, &row, line, rec)) != LW_OK)
		return err;
	rec->suppressed = row.error == NULL ? reason : NULL;
	return 1;
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
	supplist_detect(r, hdr);
	if (r->listmonk) {
		r->supp = SUPP_LISTMONK;
		r->col[EV_TYPE] = r->col[EV_STATUS] = r->col[EV_REPLY] = -1;
	}
	/* A blocklist forced as listmonk's has its header, or is none. */
	if (r->listmonk && r->col[EV_RECIPIENT] < 0)
		return ev_fail(r, LW_ENOHEADER, hdr->line + r->line_offset);
	if (r->col[EV_RECIPIENT] < 0 && (got = ses_first_row(r, hdr)) != 0)
		return got;
	if (r->col[EV_RECIPIENT] < 0 && postfix_line(hdr->raw, hdr->raw_len)) {
		/* A Postfix access table: its first line is its first row. */
		r->supp = SUPP_POSTFIX;
		if (ev_buf_set(&r->ses_first[0], hdr->raw, hdr->raw_len) !=
		    LW_OK)
			return ev_fail(r, LW_ENOMEM, hdr->line);
		r->ses_first_line = hdr->line + r->line_offset;
		r->ses_pending = 1;
		return 1;
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

	if (r->ses_pending && r->supp == SUPP_POSTFIX) {
		r->ses_pending = 0;
		if ((got = postfix_row(r, r->ses_first[0].data,
		    r->ses_first[0].len, r->ses_first_line, rec)) != 0)
			return got;
	}
	if (r->ses_pending) {
		/* SES's first row, read as the header. */
		r->ses_pending = 0;
		ev_row_clear(&row);
		ev_row_set(&row, EV_RECIPIENT, 0, r->ses_first[0].data,
		    r->ses_first[0].len);
		if ((got = ev_row_finish(r, &row, r->ses_first_line, rec)) !=
		    LW_OK)
			return got;
		rec->suppressed = ses_reason(r->ses_first[1].data,
		    r->ses_first[1].len);
		return 1;
	}
	for (;;) {
		if ((got = lw_csv_next(r->csv, &in)) < 0)
			return csv_fail(r, got);
		if (got == 0)
			return 0;
		if (all_blank(in))
			continue;
		if (r->supp != SUPP_POSTFIX)
			break;
		/* A table's line, read whole; a comment gives nothing. */
		if ((got = postfix_row(r, in->raw, in->raw_len,
		    in->line + r->line_offset, rec)) != 0)
			return got;
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
	if (r->supp != SUPP_NONE) {
		rec->type = NULL;
		if ((rec->suppressed = supplist_reason(r, in)) == NULL &&
		    rec->error == NULL)
			rec->error = "unknown-reason";
	}
	return 1;
}

/* ev_csv_close - csvio, its stream and the first line */
void
ev_csv_close(struct lw_events *r)
{
	free(r->ses_first[0].data);
	free(r->ses_first[1].data);
	r->ses_first[0].data = r->ses_first[1].data = NULL;
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
