/*
 * export.c - suppression files in the formats other tools read
 *
 * NAME
 *	export - the format table of listwarden/export.h, and its writers
 *
 * DESCRIPTION
 *	One writer per format, each a few lines, so that what a target
 *	receives can be read off here and checked against its
 *	documentation.  Times are written by hand from gmtime_r(), so no
 *	locale or time zone changes a file.  Digests come from nettle.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <nettle/md5.h>
#include <nettle/sha2.h>

#include "listwarden/error.h"
#include "listwarden/export.h"

static const char *const format_names[LW_SUPP_FORMAT_COUNT] = {
	[LW_SUPP_CSV] = "csv",
	[LW_SUPP_SES] = "ses",
	[LW_SUPP_SES_JSONL] = "ses-jsonl",
	[LW_SUPP_MAILGUN_BOUNCES] = "mailgun-bounces",
	[LW_SUPP_MAILGUN_UNSUBSCRIBES] = "mailgun-unsubscribes",
	[LW_SUPP_MAILGUN_COMPLAINTS] = "mailgun-complaints",
	[LW_SUPP_SENDGRID] = "sendgrid",
	[LW_SUPP_POSTMARK] = "postmark",
	[LW_SUPP_LISTMONK] = "listmonk",
	[LW_SUPP_POSTFIX] = "postfix",
	[LW_SUPP_SHA256] = "sha256",
	[LW_SUPP_MD5] = "md5",
};

static const char *const headers[LW_SUPP_FORMAT_COUNT] = {
	[LW_SUPP_CSV] = "email,reason,class,status,diagnostic,suppressed_at,"
	    "first_event_at,soft_count,source",
	[LW_SUPP_MAILGUN_BOUNCES] = "address,code,error,created_at",
	[LW_SUPP_MAILGUN_UNSUBSCRIBES] = "address,tag,created_at",
	[LW_SUPP_MAILGUN_COMPLAINTS] = "address,created_at",
	[LW_SUPP_SENDGRID] = "email,created,reason,status",
	[LW_SUPP_POSTMARK] = "EmailAddress,SuppressionReason,Origin,CreatedAt",
	[LW_SUPP_LISTMONK] = "email,name",
};

/* lw_supp_format_parse - a format by name */
int
lw_supp_format_parse(const char *name)
{
	int f;

	for (f = 0; f < LW_SUPP_FORMAT_COUNT; f++)
		if (strcmp(name, format_names[f]) == 0)
			return f;
	return -1;
}

/* lw_supp_format_name - a format's name */
const char *
lw_supp_format_name(enum lw_supp_format f)
{
	return (unsigned)f < LW_SUPP_FORMAT_COUNT ? format_names[f] : "";
}

/* written - LW_OK, or why writing fp failed */
static int
written(FILE *fp)
{
	if (!ferror(fp))
		return LW_OK;
	return errno > 0 ? -errno : LW_EIO;
}

/* lw_supp_header - the header line of the formats that have one */
int
lw_supp_header(FILE *fp, enum lw_supp_format f)
{
	if (headers[f] != NULL)
		fprintf(fp, "%s\n", headers[f]);
	return written(fp);
}

/* lw_supp_carries - what each format keeps */
int
lw_supp_carries(enum lw_supp_format f, const struct lw_suppression *sp)
{
	if (sp->is_rule)
		return f == LW_SUPP_CSV || f == LW_SUPP_POSTFIX;
	switch (f) {
	case LW_SUPP_MAILGUN_BOUNCES:
		return sp->reason == LW_SUPPRESS_HARD ||
		    sp->reason == LW_SUPPRESS_SOFT ||
		    sp->reason == LW_SUPPRESS_MANUAL;
	case LW_SUPP_MAILGUN_UNSUBSCRIBES:
		return sp->reason == LW_SUPPRESS_UNSUBSCRIBE;
	case LW_SUPP_MAILGUN_COMPLAINTS:
		return sp->reason == LW_SUPPRESS_COMPLAINT;
	default:
		return 1;
	}
}

/* lw_supp_needs - digests and Postfix keys need the key alone */
unsigned
lw_supp_needs(enum lw_supp_format f)
{
	switch (f) {
	case LW_SUPP_SHA256:
	case LW_SUPP_MD5:
	case LW_SUPP_POSTFIX:
		return 0;
	case LW_SUPP_SES:
	case LW_SUPP_SES_JSONL:
	case LW_SUPP_MAILGUN_UNSUBSCRIBES:
	case LW_SUPP_MAILGUN_COMPLAINTS:
	case LW_SUPP_POSTMARK:
	case LW_SUPP_LISTMONK:
		return LW_SUPP_ADDRESS;
	default:
		return LW_SUPP_CAUSE | LW_SUPP_ADDRESS;
	}
}

/* is_control - a C0 control or DEL */
static int
is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* lw_csv_cell - one cell, quoted when it must be */
void
lw_csv_cell(FILE *fp, const char *s, size_t n, int untrusted)
{
	size_t i, run, lead = 0;
	int quote = 0;

	if (s == NULL)
		return;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r' || (i == 0 && s[i] == ' ') ||
		    (i == n - 1 && s[i] == ' '))
			quote = 1;
	if (quote)
		putc('"', fp);
	if (untrusted) {
		/* The first octet kept: a formula, or behind a TAB or CR. */
		while (lead < n && is_control((unsigned char)s[lead]))
			lead++;
		if ((n > 0 && (s[0] == '\t' || s[0] == '\r')) ||
		    (lead < n && s[lead] != '\0' &&
		    strchr("=+-@", s[lead]) != NULL))
			putc('\'', fp);
	}
	/* Runs of plain octets at once; a quote doubled, a control dropped. */
	for (i = 0, run = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '"' && !(untrusted && is_control(c)))
			continue;
		fwrite(s + run, 1, i - run, fp);
		if (c == '"')
			fputs("\"\"", fp);
		run = i + 1;
	}
	fwrite(s + run, 1, n - run, fp);
	if (quote)
		putc('"', fp);
}

/* cell - a NUL-terminated string (NULL as empty) as a cell */
static void
cell(FILE *fp, const char *s, int untrusted)
{
	if (s != NULL)
		lw_csv_cell(fp, s, strlen(s), untrusted);
}

static const char *const days[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec",
};

/* two - v (0 to 99) as two digits */
static void
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* rfc3339 - "2025-06-02T09:14:03Z"; "" for 0 */
static void
rfc3339(FILE *fp, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	char b[21];
	int y;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return;
	y = tm.tm_year + 1900;
	b[0] = (char)('0' + y / 1000);
	b[1] = (char)('0' + y / 100 % 10);
	b[2] = (char)('0' + y / 10 % 10);
	b[3] = (char)('0' + y % 10);
	b[4] = '-';
	two(b + 5, tm.tm_mon + 1);
	b[7] = '-';
	two(b + 8, tm.tm_mday);
	b[10] = 'T';
	two(b + 11, tm.tm_hour);
	b[13] = ':';
	two(b + 14, tm.tm_min);
	b[16] = ':';
	two(b + 17, tm.tm_sec);
	b[19] = 'Z';
	fwrite(b, 1, 20, fp);
}

/* rfc2822 - "Mon, 02 Jun 2025 09:14:03 +0000" as a cell: it holds a comma */
static void
rfc2822(FILE *fp, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[64];

	if (gmtime_r(&tt, &tm) == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	cell(fp, buf, 0);
}

/* class_of - the class of the event that suppressed, by name */
static const char *
class_of(const struct lw_suppression *sp)
{
	switch (sp->kind) {
	case LW_EVENT_HARD:
	case LW_EVENT_SOFT:
	case LW_EVENT_TECHNICAL:
	case LW_EVENT_COMPLAINT:
	case LW_EVENT_UNSUBSCRIBE:
		return lw_event_kind_name(sp->kind);
	case LW_EVENT_SUPPRESS:
		return "manual";
	case LW_EVENT_SOFT_LIMIT:
		return "soft";
	default:
		return lw_suppress_reason_name(sp->reason);
	}
}

/* why - the diagnostic, or else the reason's name */
static const char *
why(const struct lw_suppression *sp)
{
	if (sp->diagnostic != NULL && sp->diagnostic[0] != '\0')
		return sp->diagnostic;
	return lw_suppress_reason_name(sp->reason);
}

/* hex - a digest in lower-case hexadecimal, and a line end */
static void
hex(FILE *fp, const uint8_t *d, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char line[2 * SHA256_DIGEST_SIZE + 1];
	size_t i;

	for (i = 0; i < n; i++) {
		line[2 * i] = digits[d[i] >> 4];
		line[2 * i + 1] = digits[d[i] & 0xf];
	}
	line[2 * n] = '\n';
	fwrite(line, 1, 2 * n + 1, fp);
}

/* json_string - s as a JSON string (addresses: UTF-8, no controls) */
static void
json_string(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putc('\\', fp);
		if (is_control((unsigned char)*s))
			fprintf(fp, "\\u%04x", (unsigned char)*s);
		else
			putc(*s, fp);
	}
	putc('"', fp);
}

/* local_part - the n octets of an address before its last '@' */
static size_t
local_part(const char *a)
{
	const char *at = strrchr(a, '@');

	return at != NULL ? (size_t)(at - a) : strlen(a);
}

/* lw_supp_write - one line of format f */
int
lw_supp_write(FILE *fp, enum lw_supp_format f,
    const struct lw_suppression *sp)
{
	const char *a = sp->address;
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx sha;
	struct md5_ctx md5;

	switch (f) {
	case LW_SUPP_CSV:
		cell(fp, a, 0);
		fprintf(fp, ",%s,%s,", lw_suppress_reason_name(sp->reason),
		    class_of(sp));
		if (sp->status != NULL && sp->status[0] != '\0')
			cell(fp, sp->status, 1);
		else if (sp->reply != 0)
			fprintf(fp, "%u", sp->reply);
		putc(',', fp);
		cell(fp, sp->diagnostic, 1);
		putc(',', fp);
		rfc3339(fp, sp->since);
		putc(',', fp);
		rfc3339(fp, sp->first_event);
		fprintf(fp, ",%u,", sp->soft_count);
		cell(fp, sp->source, 1);
		putc('\n', fp);
		break;
	case LW_SUPP_SES:
		cell(fp, a, 0);
		fprintf(fp, ",%s\n", sp->reason == LW_SUPPRESS_COMPLAINT ?
		    "COMPLAINT" : "BOUNCE");
		break;
	case LW_SUPP_SES_JSONL:
		fputs("{\"emailAddress\":", fp);
		json_string(fp, a);
		fprintf(fp, ",\"reason\":\"%s\"}\n",
		    sp->reason == LW_SUPPRESS_COMPLAINT ? "COMPLAINT" :
		    "BOUNCE");
		break;
	case LW_SUPP_MAILGUN_BOUNCES:
		cell(fp, a, 0);
		fprintf(fp, ",%u,", sp->reply != 0 ? sp->reply : 550);
		cell(fp, why(sp), 1);
		putc(',', fp);
		rfc2822(fp, sp->since);
		putc('\n', fp);
		break;
	case LW_SUPP_MAILGUN_UNSUBSCRIBES:
		cell(fp, a, 0);
		fputs(",*,", fp);
		rfc2822(fp, sp->since);
		putc('\n', fp);
		break;
	case LW_SUPP_MAILGUN_COMPLAINTS:
		cell(fp, a, 0);
		putc(',', fp);
		rfc2822(fp, sp->since);
		putc('\n', fp);
		break;
	case LW_SUPP_SENDGRID:
		cell(fp, a, 0);
		fprintf(fp, ",%lld,", (long long)sp->since);
		cell(fp, why(sp), 1);
		putc(',', fp);
		cell(fp, sp->status, 1);
		putc('\n', fp);
		break;
	case LW_SUPP_POSTMARK:
		cell(fp, a, 0);
		switch (sp->reason) {
		case LW_SUPPRESS_COMPLAINT:
			fputs(",SpamComplaint,Recipient,", fp);
			break;
		case LW_SUPPRESS_UNSUBSCRIBE:
			fputs(",ManualSuppression,Recipient,", fp);
			break;
		case LW_SUPPRESS_MANUAL:
			fputs(",ManualSuppression,Customer,", fp);
			break;
		default:
			fputs(",HardBounce,Recipient,", fp);
			break;
		}
		rfc3339(fp, sp->since);
		putc('\n', fp);
		break;
	case LW_SUPP_LISTMONK:
		cell(fp, a, 0);
		putc(',', fp);
		lw_csv_cell(fp, a, local_part(a), 0);
		putc('\n', fp);
		break;
	case LW_SUPP_POSTFIX:
		/* access(5): "example.com", ".example.com", or the address. */
		if (sp->is_rule)
			fprintf(fp, "%.*s", (int)(sp->key_len - 1),
			    sp->key + 1);
		else
			fprintf(fp, "%.*s", (int)sp->key_len, sp->key);
		fprintf(fp, " REJECT 5.1.1 suppressed: %s\n",
		    lw_suppress_reason_name(sp->reason));
		break;
	case LW_SUPP_SHA256:
		sha256_init(&sha);
		sha256_update(&sha, sp->key_len, (const uint8_t *)sp->key);
		sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
		hex(fp, digest, SHA256_DIGEST_SIZE);
		break;
	case LW_SUPP_MD5:
		md5_init(&md5);
		md5_update(&md5, sp->key_len, (const uint8_t *)sp->key);
		md5_digest(&md5, MD5_DIGEST_SIZE, digest);
		hex(fp, digest, MD5_DIGEST_SIZE);
		break;
	default:
		return LW_EINVAL;
	}
	return written(fp);
}
