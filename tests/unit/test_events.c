/*
 * test_events.c - unit tests of the event readers
 *
 * Stream cases give an input, the format asked for, and every record
 * expected, each written as the line it starts on, the recipient, then
 * the members that are set (absent ones must be NULL):
 *
 *	"2:a@example.com type=hard status=5.1.1 reply=550 diag=[...]
 *	 time=1795920904 id=... source=... feedback=... error=..."
 *
 * then how the stream ends (0, or an lw_err at a line) and the format
 * it was read as.  The tables of lw_status_parse() and lw_time_parse()
 * come after them, then the cases that need big or built inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "listwarden.h"
#include "listwarden/events.h"
#include "events_support.h"

/* 2026-11-29T02:55:04Z, the time most cases use. */
#define X	1795920904
#define XS	"1795920904"

#define MAX_RECS	10

struct stream_case {
	const char *desc;
	const char *in;
	size_t len;			/* 0: strlen(in) */
	enum lw_events_format format;	/* asked for */
	int err;			/* how it ends: 0 or an lw_err */
	unsigned long err_line;
	enum lw_events_format want_format;
	const char *recs[MAX_RECS];
};

static const struct stream_case cases[] = {
	/* Fatal errors first. */
	{ "a CSV header without a recipient column is LW_ENOHEADER",
	    "\n\nname,status,diagnostic\nAl,5.1.1,gone\n", 0,
	    LW_EVENTS_AUTO, LW_ENOHEADER, 3, LW_EVENTS_CSV, { NULL } },
	{ "a header naming only look-alikes has no recipient column",
	    "e-mail,emails,recipient_name\na@example.com,,\n", 0,
	    LW_EVENTS_CSV, LW_ENOHEADER, 1, LW_EVENTS_CSV, { NULL } },
	{ "a quote never closed is LW_ECSV where it opened, after good rows",
	    "email,diagnostic\n"
	    "a@example.com,550 user unknown\n"
	    "b@example.com,\"never closed\n"
	    "c@example.com,x\n", 0,
	    LW_EVENTS_CSV, LW_ECSV, 3, LW_EVENTS_CSV,
	    { "2:a@example.com diag=[550 user unknown]" } },
	{ "text after a closing quote is LW_ECSV on its line",
	    "email,status\n\n\na@example.com,\"5.1.1\"x\n", 0,
	    LW_EVENTS_AUTO, LW_ECSV, 4, LW_EVENTS_CSV, { NULL } },
	{ "JSON read as CSV stops at its quotes",
	    "{\"email\":\"a@example.com\"}\n", 0,
	    LW_EVENTS_CSV, LW_ECSV, 1, LW_EVENTS_CSV, { NULL } },

	/* Bad rows: each reason on its line, reading goes on. */
	{ "each CSV row reason with its line, then a good row",
	    "email,type,status,timestamp\n"
	    ",hard,5.1.1,2026-11-29T02:55:04Z\n"
	    "   ,hard,5.1.1,\n"
	    "b@example.com,bogus,5.1.1,\n"
	    "c@example.com,bounce,9.9.9,\n"
	    "d@example.com,bounce,650,\n"
	    "e@example.com,bounce,5.1,\n"
	    "f@example.com,bounce,5.1.1,2026-13-01\n"
	    "g@example.com,hard,5.1.1,2026-11-29T02:55:04Z\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2: type=hard status=5.1.1 time=" XS " error=no-recipient",
	      "3: type=hard status=5.1.1 error=no-recipient",
	      "4:b@example.com type=bogus status=5.1.1 error=unknown-type",
	      "5:c@example.com type=bounce error=bad-status",
	      "6:d@example.com type=bounce error=bad-status",
	      "7:e@example.com type=bounce error=bad-status",
	      "8:f@example.com type=bounce status=5.1.1 error=bad-timestamp",
	      "9:g@example.com type=hard status=5.1.1 time=" XS } },
	{ "each JSON line reason with its line, then a good line",
	    "{\"email\":\"a@example.com\",\"status\":\"5.1.1\"}\n"
	    "not json at all\n"
	    "[\"a@example.com\"]\n"
	    "{\"email\":\"b@example.com\"\n"
	    "{\"email\":\"c@example.com\"} {}\n"
	    "\"a string\"\n"
	    "{\"status\":\"5.1.1\"}\n"
	    "{\"email\":\"d@example.com\",\"type\":\"Exploded\"}\n"
	    "{\"email\":\"e@example.com\",\"status\":\"55\"}\n"
	    "{\"email\":\"f@example.com\",\"time\":\"yesterday\"}\n", 0,
	    LW_EVENTS_JSONL, 0, 0, LW_EVENTS_JSONL,
	    { "1:a@example.com status=5.1.1",
	      "2: error=bad-json",
	      "3: error=bad-json",
	      "4: error=bad-json",
	      "5: error=bad-json",
	      "6: error=bad-json",
	      "7: status=5.1.1 error=no-recipient",
	      "8:d@example.com type=Exploded error=unknown-type",
	      "9:e@example.com error=bad-status",
	      "10:f@example.com error=bad-timestamp" } },
	{ "the first reason of several is given",
	    "email,type,status,time\n"
	    ",bogus,650,never\n"
	    "a@example.com,bogus,650,never\n"
	    "a@example.com,hard,650,never\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2: type=bogus error=no-recipient",
	      "3:a@example.com type=bogus error=unknown-type",
	      "4:a@example.com type=hard error=bad-status" } },
	{ "a reply column needs a code; a malformed one is bad-status",
	    "email,reply_code\n"
	    "a@example.com,mailbox full\n"
	    "b@example.com,650\n"
	    "c@example.com,5.1.1\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com error=bad-status",
	      "3:b@example.com error=bad-status",
	      "4:c@example.com status=5.1.1" } },
	{ "invalid UTF-8 outside the diagnostic is bad-utf8",
	    "email,type,diagnostic\n"
	    "caf\xe9@example.com,hard,gone\n"
	    "a@example.com,h\xc3rd,gone\n"
	    "b@example.com,hard,Empf\xe4nger unbekannt\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2: type=hard diag=[gone] error=bad-utf8",
	      "3:a@example.com diag=[gone] error=bad-utf8",
	      "4:b@example.com type=hard "
	      "diag=[Empf\xef\xbf\xbdnger unbekannt]" } },
	{ "a JSON line that is not UTF-8 is bad-utf8; \\u0000 as in CSV",
	    "{\"email\":\"caf\xe9@example.com\"}\n"
	    "{\"email\":\"a\\u0000b@example.com\"}\n"
	    "{\"email\":\"c@example.com\",\"reason\":\"x\\u0000y\"}\n", 0,
	    LW_EVENTS_JSONL, 0, 0, LW_EVENTS_JSONL,
	    { "1: error=bad-utf8",
	      "2: error=bad-utf8",
	      "3:c@example.com diag=[x\xef\xbf\xbdy]" } },

	/* CSV. */
	{ "empty input has no records and no format",
	    "", 0, LW_EVENTS_AUTO, 0, 0, LW_EVENTS_AUTO, { NULL } },
	{ "blank lines alone have no records",
	    "\n\r\n  \n\t\n", 0, LW_EVENTS_AUTO, 0, 0, LW_EVENTS_AUTO,
	    { NULL } },
	{ "a header alone has no records",
	    "email,status\n", 0, LW_EVENTS_AUTO, 0, 0, LW_EVENTS_CSV,
	    { NULL } },
	{ "a bounce export with the usual columns",
	    "email,type,status,diagnostic,timestamp,event_id,source\n"
	    "alice@example.com,hard,5.1.1,550 5.1.1 user unknown,"
	    "2026-11-29T02:55:04Z,ev-1,mta-1\n"
	    "bob@example.org,soft,4.2.2,mailbox full,1795920904,ev-2,mta-1\n",
	    0, LW_EVENTS_AUTO, 0, 0, LW_EVENTS_CSV,
	    { "2:alice@example.com type=hard status=5.1.1 "
	      "diag=[550 5.1.1 user unknown] time=" XS " id=ev-1 source=mta-1",
	      "3:bob@example.org type=soft status=4.2.2 diag=[mailbox full] "
	      "time=" XS " id=ev-2 source=mta-1" } },
	{ "header names ignore case and surrounding blanks",
	    "EMAIL, Status ,Diagnostic_Code,Event_Type\n"
	    "a@example.com,5.1.1,no such user,HARD\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com type=HARD status=5.1.1 diag=[no such user]" } },
	{ "the preferred synonym wins, wherever its column is",
	    "address,id,email,event_id,reason,diagnostic\n"
	    "1 Main St,7,a@example.com,ev-9,short,long text\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com diag=[long text] id=ev-9" } },
	{ "of two equal names the first column wins",
	    "email,email\na@example.com,b@example.com\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV, { "2:a@example.com" } },
	{ "a quoted diagnostic keeps its commas and quotes",
	    "email,status,diagnostic\n"
	    "a@example.com,5.1.1,\"550 5.1.1 <a@example.com>: Recipient "
	    "address rejected: User unknown, \"\"local\"\" table\"\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com status=5.1.1 diag=[550 5.1.1 <a@example.com>: "
	      "Recipient address rejected: User unknown, \"local\" table]" } },
	{ "a diagnostic over several lines; the next row's line is true",
	    "email,diagnostic\n"
	    "a@example.com,\"550-5.1.1 The email account that you tried\n"
	    "550-5.1.1 to reach does not exist.\"\n"
	    "b@example.com,ok\n", 0, LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com diag=[550-5.1.1 The email account that you "
	      "tried\n550-5.1.1 to reach does not exist.]",
	      "4:b@example.com diag=[ok]" } },
	{ "CR LF line ends",
	    "email,status\r\na@example.com,5.1.1\r\nb@example.com,4.2.2\r\n",
	    0, LW_EVENTS_AUTO, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com status=5.1.1",
	      "3:b@example.com status=4.2.2" } },
	{ "a byte order mark, then blank lines, then the header",
	    "\xef\xbb\xbf\n\r\nemail,status\n\na@example.com,5.1.1\n", 0,
	    LW_EVENTS_AUTO, 0, 0, LW_EVENTS_CSV,
	    { "5:a@example.com status=5.1.1" } },
	{ "blank rows and rows of empty fields are skipped",
	    "email,status\n\n,\n , \na@example.com,5.1.1\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "5:a@example.com status=5.1.1" } },
	{ "missing trailing fields are empty, extra ones ignored",
	    "email,status,diagnostic\n"
	    "a@example.com\n"
	    "b@example.com,5.1.1\n"
	    "c@example.com,5.1.1,gone,extra,more\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com", "3:b@example.com status=5.1.1",
	      "4:c@example.com status=5.1.1 diag=[gone]" } },
	{ "a semicolon-separated export",
	    "Email;Status;Time\n"
	    "a@example.com;5.1.1;Sun, 29 Nov 2026 02:55:04 +0000\n", 0,
	    LW_EVENTS_AUTO, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com status=5.1.1 time=" XS } },
	{ "values are trimmed; a display name is left to the caller",
	    "email,type,status\n"
	    "  a@example.com\t, hard ,  5.1.1 \n"
	    "Al <al@example.com>,,\n", 0, LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com type=hard status=5.1.1",
	      "3:Al <al@example.com>" } },

	/* Status, reply and diagnostic. */
	{ "a whole reply in the status column, no diagnostic column",
	    "email,status\n"
	    "a@example.com,550 5.1.1 <a@example.com>: user unknown\n"
	    "b@example.com,smtp; 550-5.1.1 The email account does not exist\n"
	    "c@example.com,5.1.1 (user unknown)\n"
	    "d@example.com,550\n"
	    "e@example.com,mailbox full\n"
	    "f@example.com,x-postfix; host mx.example.com said: over quota\n"
	    "g@example.com,smtp;\n", 0, LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com status=5.1.1 reply=550 "
	      "diag=[550 5.1.1 <a@example.com>: user unknown]",
	      "3:b@example.com status=5.1.1 reply=550 "
	      "diag=[smtp; 550-5.1.1 The email account does not exist]",
	      "4:c@example.com status=5.1.1 diag=[5.1.1 (user unknown)]",
	      "5:d@example.com reply=550",
	      "6:e@example.com diag=[mailbox full]",
	      "7:f@example.com "
	      "diag=[x-postfix; host mx.example.com said: over quota]",
	      "8:g@example.com" } },
	{ "an empty diagnostic column lets the status give it",
	    "email,status,diagnostic\n"
	    "a@example.com,550 5.1.1 user unknown,\n"
	    "b@example.com,550 5.1.1 user unknown,No such mailbox\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com status=5.1.1 reply=550 "
	      "diag=[550 5.1.1 user unknown]",
	      "3:b@example.com status=5.1.1 reply=550 "
	      "diag=[No such mailbox]" } },
	{ "a reply column gives the reply code; disagreeing classes are kept",
	    "email,status,smtp_code\n"
	    "a@example.com,4.2.2,550\n"
	    "b@example.com,550 5.1.1 gone,551\n"
	    "c@example.com,,452 4.2.2 mailbox full\n"
	    "d@example.com,5.1.1,550 4.2.2 full\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com status=4.2.2 reply=550",
	      "3:b@example.com status=5.1.1 reply=551 diag=[550 5.1.1 gone]",
	      "4:c@example.com status=4.2.2 reply=452 "
	      "diag=[452 4.2.2 mailbox full]",
	      "5:d@example.com status=5.1.1 reply=550 "
	      "diag=[550 4.2.2 full]" } },

	/* Timestamps in a feed, each with its exact value. */
	{ "every timestamp form",
	    "email,timestamp\n"
	    "a@example.com,2026-11-29T02:55:04Z\n"
	    "a@example.com,2026-11-29T03:55:04+01:00\n"
	    "a@example.com,2026-11-29T02:55:04.123456Z\n"
	    "a@example.com,2026-11-29 02:55:04\n"
	    "a@example.com,2026-11-29\n"
	    "a@example.com,\"Sun, 29 Nov 2026 02:55:04 +0000\"\n"
	    "a@example.com,28 Nov 2026 18:55:04 PST\n"
	    "a@example.com,1795920904\n"
	    "a@example.com,1795920904123\n"
	    "a@example.com,1521233195.375624\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com time=" XS, "3:a@example.com time=" XS,
	      "4:a@example.com time=" XS, "5:a@example.com time=" XS,
	      "6:a@example.com time=1795910400", "7:a@example.com time=" XS,
	      "8:a@example.com time=" XS, "9:a@example.com time=" XS,
	      "10:a@example.com time=" XS,
	      "11:a@example.com time=1521233195" } },
	{ "complaints carry their feedback type",
	    "rcpt,event,feedback_type,message_id,source\n"
	    "a@example.com,complaint,abuse,<m1@example.net>,fbl.example\n", 0,
	    LW_EVENTS_CSV, 0, 0, LW_EVENTS_CSV,
	    { "2:a@example.com type=complaint id=<m1@example.net> "
	      "source=fbl.example feedback=abuse" } },

	/* JSON lines. */
	{ "JSON lines: strings, numbers and nested objects",
	    "{\"email\":\"a@example.com\",\"event\":\"bounce\","
	    "\"status\":\"5.1.1\",\"code\":550,\"timestamp\":1795920904}\n"
	    "{\"recipient\":\"b@example.com\",\"time\":1795920904123,"
	    "\"reply\":\"550\"}\n"
	    "{\"rcpt\":\"c@example.com\",\"date\":1521233195.375624}\n"
	    "{\"email\":\"d@example.com\",\"timestamp\":\"1795920904\","
	    "\"delivery-status\":{\"code\":421,\"message\":\"later\"},"
	    "\"tags\":[\"x\"],\"flag\":true,\"reason\":null}\n"
	    "{\"email\":{\"address\":\"e@example.com\"},"
	    "\"address\":\"f@example.com\"}\n"
	    "{\"email\":{\"address\":\"g@example.com\"}}\n"
	    "{\"email\":\"h@example.com\",\"id\":12345,\"status\":550.0}\n",
	    0, LW_EVENTS_AUTO, 0, 0, LW_EVENTS_JSONL,
	    { "1:a@example.com type=bounce status=5.1.1 reply=550 time=" XS,
	      "2:b@example.com reply=550 time=" XS,
	      "3:c@example.com time=1521233195",
	      "4:d@example.com time=" XS,
	      "5:f@example.com",
	      "6: error=no-recipient",
	      "7:h@example.com reply=550 id=12345" } },
	{ "JSON member names ignore case; the preferred synonym wins",
	    "{\"Address\":\"x@example.com\",\"EMAIL\":\"a@example.com\","
	    "\"Error\":\"e\",\"Diagnostic\":\"550 5.1.1 user unknown\","
	    "\"Status_Code\":\"5.1.1\"}\n", 0,
	    LW_EVENTS_JSONL, 0, 0, LW_EVENTS_JSONL,
	    { "1:a@example.com status=5.1.1 diag=[550 5.1.1 user unknown]" } },
	{ "JSON lines with a BOM, CR LF and blank lines; AUTO finds them",
	    "\xef\xbb\xbf\r\n  \r\n  {\"email\":\"a@example.com\"}\r\n"
	    "\r\n\t\n{\"email\":\"b@example.com\",\"status\":"
	    "\"smtp; 550 5.1.1 user unknown\"}\r\n", 0,
	    LW_EVENTS_AUTO, 0, 0, LW_EVENTS_JSONL,
	    { "3:a@example.com",
	      "6:b@example.com status=5.1.1 reply=550 "
	      "diag=[smtp; 550 5.1.1 user unknown]" } },
	{ "no newline at the end of the last JSON line",
	    "{\"email\":\"a@example.com\"}\n{\"email\":\"b@example.com\"}", 0,
	    LW_EVENTS_AUTO, 0, 0, LW_EVENTS_JSONL,
	    { "1:a@example.com", "2:b@example.com" } },
	{ "CSV read as JSON lines is bad-json line by line",
	    "email\na@example.com\n", 0, LW_EVENTS_JSONL, 0, 0,
	    LW_EVENTS_JSONL, { "1: error=bad-json", "2: error=bad-json" } },
	{ "a complaint as a JSON line",
	    "{\"email\":\"a@example.com\",\"type\":\"complaint\","
	    "\"complaint_type\":\"abuse\",\"message_id\":\"<m@x>\","
	    "\"created_at\":\"2026-11-29T02:55:04Z\"}\n", 0,
	    LW_EVENTS_AUTO, 0, 0, LW_EVENTS_JSONL,
	    { "1:a@example.com type=complaint time=" XS " id=<m@x> "
	      "feedback=abuse" } },
};

/* show - a record as the tables write it */
static void
show(const struct lw_event_rec *r, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	add(buf, size, &n, "%lu:%s", r->line, r->recipient);
	if (r->type)
		add(buf, size, &n, " type=%s", r->type);
	if (r->status)
		add(buf, size, &n, " status=%s", r->status);
	if (r->reply)
		add(buf, size, &n, " reply=%s", r->reply);
	if (r->diagnostic)
		add(buf, size, &n, " diag=[%s]", r->diagnostic);
	if (r->has_time)
		add(buf, size, &n, " time=%lld", (long long)r->time);
	if (r->event_id)
		add(buf, size, &n, " id=%s", r->event_id);
	if (r->source)
		add(buf, size, &n, " source=%s", r->source);
	if (r->feedback)
		add(buf, size, &n, " feedback=%s", r->feedback);
	if (r->error)
		add(buf, size, &n, " error=%s", r->error);
}

/* open_text - a stream over len bytes of s (fmemopen refuses 0) */
static FILE *
open_text(const char *s, size_t len)
{
	FILE *fp;

	fp = len ? fmemopen((void *)s, len, "r") : fopen("/dev/null", "r");
	assert_non_null(fp);
	return fp;
}

/* test_streams - every row of the stream table */
static void
test_streams(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct stream_case *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->in);
		struct lw_event_rec rec;
		struct lw_events *r;
		char buf[1024];
		FILE *fp;
		int got;

		fp = open_text(c->in, len);
		assert_int_equal(lw_events_open(&r, fp, "case.txt", c->format),
		    LW_OK);
		assert_int_equal(lw_events_format(r), c->format);
		for (j = 0; (got = lw_events_next(r, &rec)) == 1; j++) {
			show(&rec, buf, sizeof(buf));
			if (j >= MAX_RECS || c->recs[j] == NULL ||
			    strcmp(buf, c->recs[j]) != 0) {
				print_error("case '%s': record %zu is\n  '%s',"
				    " expected\n  '%s'\n", c->desc, j, buf,
				    j < MAX_RECS && c->recs[j] ? c->recs[j] :
				    "(none)");
				fail();
			}
		}
		if (j < MAX_RECS && c->recs[j] != NULL) {
			print_error("case '%s': missing record '%s' (got %d)\n",
			    c->desc, c->recs[j], got);
			fail();
		}
		if (got != c->err || lw_events_error_line(r) != c->err_line) {
			print_error("case '%s': ended with %d at line %lu, "
			    "expected %d at line %lu\n", c->desc, got,
			    lw_events_error_line(r), c->err, c->err_line);
			fail();
		}
		if (lw_events_format(r) != c->want_format) {
			print_error("case '%s': format %d, expected %d\n",
			    c->desc, lw_events_format(r), c->want_format);
			fail();
		}
		/* The end, or an error, stays. */
		assert_int_equal(lw_events_next(r, &rec), c->err);
		lw_events_close(r);
		fclose(fp);
	}
}

/* A synonym, the header it is tried under and the record it gives. */
struct synonym_case {
	const char *name;
	const char *value;
	const char *want;	/* "2:..." for CSV; the JSON line is 1 */
};

static const struct synonym_case synonyms[] = {
	{ "email", "a@example.com", "a@example.com" },
	{ "recipient", "a@example.com", "a@example.com" },
	{ "address", "a@example.com", "a@example.com" },
	{ "email_address", "a@example.com", "a@example.com" },
	{ "rcpt", "a@example.com", "a@example.com" },
	{ "status", "5.1.1", "r@example.com status=5.1.1" },
	{ "enhanced_status", "5.1.1", "r@example.com status=5.1.1" },
	{ "status_code", "5.1.1", "r@example.com status=5.1.1" },
	{ "reply", "550", "r@example.com reply=550" },
	{ "reply_code", "550", "r@example.com reply=550" },
	{ "smtp_code", "550", "r@example.com reply=550" },
	{ "code", "550", "r@example.com reply=550" },
	{ "type", "hard", "r@example.com type=hard" },
	{ "event", "hard", "r@example.com type=hard" },
	{ "class", "hard", "r@example.com type=hard" },
	{ "event_type", "hard", "r@example.com type=hard" },
	{ "bounce_type", "hard", "r@example.com type=hard" },
	{ "timestamp", "1795920904", "r@example.com time=" XS },
	{ "time", "1795920904", "r@example.com time=" XS },
	{ "date", "1795920904", "r@example.com time=" XS },
	{ "created", "1795920904", "r@example.com time=" XS },
	{ "created_at", "1795920904", "r@example.com time=" XS },
	{ "diagnostic", "gone", "r@example.com diag=[gone]" },
	{ "reason", "gone", "r@example.com diag=[gone]" },
	{ "message", "gone", "r@example.com diag=[gone]" },
	{ "diagnostic_code", "gone", "r@example.com diag=[gone]" },
	{ "response", "gone", "r@example.com diag=[gone]" },
	{ "error", "gone", "r@example.com diag=[gone]" },
	{ "event_id", "e1", "r@example.com id=e1" },
	{ "id", "e1", "r@example.com id=e1" },
	{ "message_id", "e1", "r@example.com id=e1" },
	{ "source", "s1", "r@example.com source=s1" },
	{ "feedback_type", "abuse", "r@example.com feedback=abuse" },
	{ "complaint_type", "abuse", "r@example.com feedback=abuse" },
	{ "ignored_column", "x", "r@example.com" },
};

/* read_one - the one record of in, shown, and the end after it */
static void
read_one(const char *in, enum lw_events_format format, char *buf,
    size_t size)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;

	fp = open_text(in, strlen(in));
	assert_int_equal(lw_events_open(&r, fp, NULL, format), LW_OK);
	assert_string_equal(lw_events_name(r), "-");
	assert_int_equal(lw_events_next(r, &rec), 1);
	show(&rec, buf, size);
	assert_int_equal(lw_events_next(r, &rec), 0);
	lw_events_close(r);
	fclose(fp);
}

/* upper - name in capitals, its first letter only when first is set */
static void
upper(const char *name, char *out, int first)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		out[i] = (!first || i == 0) && name[i] >= 'a' &&
		    name[i] <= 'z' ? (char)(name[i] - 'a' + 'A') : name[i];
	out[i] = '\0';
}

/* test_synonyms - each synonym, in three cases, in CSV and JSON */
static void
test_synonyms(void **state)
{
	char in[256], want[256], got[1024], name[64];
	size_t i;
	int v;

	(void)state;
	for (i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++) {
		const struct synonym_case *c = &synonyms[i];
		int recipient = strcmp(c->value, "a@example.com") == 0;

		for (v = 0; v < 3; v++) {
			if (v == 0)
				snprintf(name, sizeof(name), "%s", c->name);
			else
				upper(c->name, name, v == 2);
			if (recipient)
				snprintf(in, sizeof(in), "%s\n%s\n", name,
				    c->value);
			else
				snprintf(in, sizeof(in), "email,%s\n"
				    "r@example.com,%s\n", name, c->value);
			snprintf(want, sizeof(want), "2:%s", c->want);
			read_one(in, LW_EVENTS_CSV, got, sizeof(got));
			if (strcmp(got, want) != 0) {
				print_error("CSV '%s': '%s', expected '%s'\n",
				    name, got, want);
				fail();
			}
			if (recipient)
				snprintf(in, sizeof(in), "{\"%s\":\"%s\"}\n",
				    name, c->value);
			else
				snprintf(in, sizeof(in), "{\"email\":"
				    "\"r@example.com\",\"%s\":\"%s\"}\n", name,
				    c->value);
			snprintf(want, sizeof(want), "1:%s", c->want);
			read_one(in, LW_EVENTS_AUTO, got, sizeof(got));
			if (strcmp(got, want) != 0) {
				print_error("JSON '%s': '%s', expected '%s'\n",
				    name, got, want);
				fail();
			}
		}
	}
}

struct status_case {
	const char *in;
	int ret;
	const char *reply, *status, *text;	/* text NULL: s itself */
};

static const struct status_case status_cases[] = {
	/* Malformed codes first: the outputs stay untouched. */
	{ "9.9.9", -1, NULL, NULL, NULL },
	{ "650", -1, NULL, NULL, NULL },
	{ "55", -1, NULL, NULL, NULL },
	{ "5.1", -1, NULL, NULL, NULL },
	{ "5500 too many digits", -1, NULL, NULL, NULL },
	{ "599 second digit", -1, NULL, NULL, NULL },
	{ "160 first digit", -1, NULL, NULL, NULL },
	{ "3.1.1", -1, NULL, NULL, NULL },
	{ "55.1.1", -1, NULL, NULL, NULL },
	{ "5.1000.1", -1, NULL, NULL, NULL },
	{ "5.1.1000", -1, NULL, NULL, NULL },
	{ "5.1.1.1", -1, NULL, NULL, NULL },
	{ "5..1", -1, NULL, NULL, NULL },
	{ "550abc", -1, NULL, NULL, NULL },
	{ "5.1.1abc", -1, NULL, NULL, NULL },
	{ "550 5.1 user unknown", -1, NULL, NULL, NULL },
	{ "550 9.9.9 user unknown", -1, NULL, NULL, NULL },
	{ "550-5.1.1x", -1, NULL, NULL, NULL },
	{ "smtp; 650 5.1.1 user unknown", -1, NULL, NULL, NULL },
	{ "  4 hours later", -1, NULL, NULL, NULL },

	/* Good. */
	{ "5.1.1", 0, "", "5.1.1", "" },
	{ "4.2.2", 0, "", "4.2.2", "" },
	{ "2.0.0", 0, "", "2.0.0", "" },
	{ "5.999.999", 0, "", "5.999.999", "" },
	{ "550", 0, "550", "", "" },
	{ "250", 0, "250", "", "" },
	{ "550 5.1.1 <a@b>: user unknown", 0, "550", "5.1.1",
	  "<a@b>: user unknown" },
	{ "550-5.1.1 The email account that you tried to reach does not "
	  "exist.", 0, "550", "5.1.1", "The email account that you tried to "
	  "reach does not exist." },
	{ "smtp; 550 5.1.1 user unknown", 0, "550", "5.1.1", "user unknown" },
	{ "SMTP;550 5.1.1 user unknown", 0, "550", "5.1.1", "user unknown" },
	{ "x-postfix; host mx.example.com said: mailbox full", 0, "", "",
	  "host mx.example.com said: mailbox full" },
	{ "5.1.1 (user unknown)", 0, "", "5.1.1", "(user unknown)" },
	{ "5.1.1. User unknown", 0, "", "5.1.1", "User unknown" },
	{ "550 4.2.2 mailbox full", 0, "550", "4.2.2", "mailbox full" },
	{ "  421 4.7.0 Try again later\r\n", 0, "421", "4.7.0",
	  "Try again later\r\n" },
	{ "550 2 recipients rejected", 0, "550", "", "2 recipients rejected" },
	{ "550-Mailbox unavailable", 0, "550", "", "Mailbox unavailable" },
	{ "550:no", 0, "550", "", ":no" },
	{ "mailbox full", 0, "", "", NULL },
	{ "  user unknown", 0, "", "", NULL },
	{ "", 0, "", "", NULL },
};

/* test_status_parse - the lw_status_parse() table */
static void
test_status_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
		const struct status_case *c = &status_cases[i];
		char reply[4] = "R", status[16] = "S";
		const char *text = "T";
		int ret;

		ret = lw_status_parse(c->in, reply, status, &text);
		if (ret != c->ret) {
			print_error("'%s': %d, expected %d\n", c->in, ret,
			    c->ret);
			fail();
		}
		if (ret != 0) {
			assert_string_equal(reply, "R");
			assert_string_equal(status, "S");
			assert_string_equal(text, "T");
			continue;
		}
		if (strcmp(reply, c->reply) != 0 ||
		    strcmp(status, c->status) != 0 ||
		    (c->text ? strcmp(text, c->text) != 0 : text != c->in)) {
			print_error("'%s': '%s' '%s' '%s', expected '%s' '%s' "
			    "'%s'\n", c->in, reply, status, text, c->reply,
			    c->status, c->text ? c->text : c->in);
			fail();
		}
	}
	/* NULL reads as "". */
	{
		char reply[4], status[16];
		const char *text;

		assert_int_equal(lw_status_parse(NULL, reply, status, &text),
		    0);
		assert_string_equal(reply, "");
		assert_string_equal(status, "");
		assert_string_equal(text, "");
	}
}

struct time_case {
	const char *in;
	int ret;
	int64_t t;
};

static const struct time_case time_cases[] = {
	/* Refused. */
	{ "", -1, 0 },
	{ "   ", -1, 0 },
	{ "yesterday", -1, 0 },
	{ "2026-13-01", -1, 0 },
	{ "2026-00-01", -1, 0 },
	{ "2026-02-30", -1, 0 },
	{ "2025-02-29", -1, 0 },
	{ "2100-02-29", -1, 0 },
	{ "2026-11-31", -1, 0 },
	{ "2026-11-00", -1, 0 },
	{ "2026-1-29", -1, 0 },
	{ "2026-11-29T24:00:00Z", -1, 0 },
	{ "2026-11-29T23:60:00Z", -1, 0 },
	{ "2026-11-29T23:59:61Z", -1, 0 },
	{ "2026-11-29T", -1, 0 },
	{ "2026-11-29T02:55:04.Z", -1, 0 },
	{ "2026-11-29T02:55:04Zjunk", -1, 0 },
	{ "2026-11-29T02:55:04 junk", -1, 0 },
	{ "2026-11-29T02:55:04+24:00", -1, 0 },
	{ "2026-11-29T02:55:04+01:60", -1, 0 },
	{ "2026-11-29T02:55:04+1", -1, 0 },
	{ "2026-11-29X02:55:04Z", -1, 0 },
	{ "1969-12-31T23:59:59Z", -1, 0 },
	{ "1970-01-01T00:30:00+01:00", -1, 0 },
	{ "10000-01-01", -1, 0 },
	{ "Sun, 30 Feb 2026 02:55:04 +0000", -1, 0 },
	{ "Fun, 29 Nov 2026 02:55:04 +0000", -1, 0 },
	{ "Sun, 29 Nox 2026 02:55:04 +0000", -1, 0 },
	{ "Sun 29 Nov 2026 02:55:04 +0000", -1, 0 },
	{ "Sun, 29 Nov 2026 02:55:04 +00", -1, 0 },
	{ "Sun, 29 Nov 2026 02:55:04 +00:00", -1, 0 },
	{ "Sun, 29 Nov 2026 02:55:04 XYZ", -1, 0 },
	{ "Sun, 29 Nov 2026 02:55:04 J", -1, 0 },
	{ "Sun, 29 Nov 2026 02:55:04 +0000 (UTC", -1, 0 },
	{ "Sun, 29 Nov 2026 02:55:04 +0000 junk", -1, 0 },
	{ "Sun, 29 Nov 2026 24:55:04 +0000", -1, 0 },
	{ "Sun, 29 Nov 20266 02:55:04 +0000", -1, 0 },
	{ "29 Nov 1969 23:59:59 +0000", -1, 0 },
	{ "29 Nov 69 23:59:59 +0000", -1, 0 },
	{ "-1", -1, 0 },
	{ "+1795920904", -1, 0 },
	{ "1795920904.", -1, 0 },
	{ ".5", -1, 0 },
	{ "1.2.3", -1, 0 },
	{ "1e9", -1, 0 },
	{ "0x10", -1, 0 },
	{ "9999999999999999", -1, 0 },
	{ "12345678901234567", -1, 0 },

	/* RFC 3339 and ISO 8601. */
	{ "2026-11-29T02:55:04Z", 0, X },
	{ "2026-11-29t02:55:04z", 0, X },
	{ "2026-11-29T03:55:04+01:00", 0, X },
	{ "2026-11-29T01:55:04-01:00", 0, X },
	{ "2026-11-29T08:25:04+05:30", 0, X },
	{ "2026-11-29T03:55:04+0100", 0, X },
	{ "2026-11-29T03:55:04+01", 0, X },
	{ "2026-11-29T02:55:04.123456Z", 0, X },
	{ "2026-11-29T02:55:04,5Z", 0, X },
	{ "2026-11-29T02:55:04.999+00:00", 0, X },
	{ "2026-11-29 02:55:04", 0, X },
	{ "2026-11-29T02:55:04", 0, X },
	{ "2026-11-29 02:55:04 UTC", 0, X },
	{ "2026-11-29 02:55:04 +0000", 0, X },
	{ "2026-11-29T02:55Z", 0, X - 4 },
	{ "  2026-11-29T02:55:04Z \n", 0, X },
	{ "2026-11-29", 0, 1795910400 },
	{ "2024-02-29", 0, 1709164800 },
	{ "2000-02-29T12:00:00Z", 0, 951825600 },
	{ "2016-12-31T23:59:60Z", 0, 1483228800 },
	{ "1970-01-01T00:00:00Z", 0, 0 },
	{ "9999-12-31T23:59:59Z", 0, INT64_C(253402300799) },
	{ "1970-01-01T00:00:00-01:00", 0, 3600 },

	/* RFC 5322. */
	{ "Sun, 29 Nov 2026 02:55:04 +0000", 0, X },
	{ "29 Nov 2026 02:55:04 +0000", 0, X },
	{ "sun, 29 nov 2026 02:55:04 +0000", 0, X },
	{ "Sun,29 Nov 2026 02:55:04 +0000", 0, X },
	{ "Sun, 29  Nov  2026  02:55:04  +0000", 0, X },
	{ "Sun, 29 Nov 2026 02:55:04 -0800", 0, X + 8 * 3600 },
	{ "Sun, 29 Nov 2026 08:25:04 +0530", 0, X },
	{ "Sun, 29 Nov 2026 02:55:04 GMT", 0, X },
	{ "Sun, 29 Nov 2026 02:55:04 UT", 0, X },
	{ "Sun, 29 Nov 2026 02:55:04 Z", 0, X },
	{ "Sat, 28 Nov 2026 21:55:04 EST", 0, X },
	{ "Sat, 28 Nov 2026 22:55:04 EDT", 0, X },
	{ "Sat, 28 Nov 2026 20:55:04 CST", 0, X },
	{ "Sat, 28 Nov 2026 21:55:04 CDT", 0, X },
	{ "Sat, 28 Nov 2026 19:55:04 MST", 0, X },
	{ "Sat, 28 Nov 2026 20:55:04 MDT", 0, X },
	{ "Sat, 28 Nov 2026 18:55:04 PST", 0, X },
	{ "Sat, 28 Nov 2026 19:55:04 PDT", 0, X },
	{ "Sun, 29 Nov 2026 02:55:04 +0000 (UTC)", 0, X },
	{ "Sun, 29 Nov 2026 02:55:04", 0, X },
	{ "Sun, 29 Nov 2026 02:55 +0000", 0, X - 4 },
	{ "Sun, 29 Nov 2026 2:55:04 +0000", 0, X },
	{ "Sun, 29 Nov 26 02:55:04 +0000", 0, X },
	{ "Mon, 29 Nov 99 02:55:04 +0000", 0, 943844104 },
	{ "Mon, 29 Nov 1999 02:55:04 +0000", 0, 943844104 },
	{ "Sun, 29 Nov 126 02:55:04 +0000", 0, X },
	{ "Mon, 1 Jan 2024 00:00:00 +0000", 0, 1704067200 },

	/* Unix seconds and milliseconds. */
	{ "0", 0, 0 },
	{ "1795920904", 0, X },
	{ " 1795920904 ", 0, X },
	{ "1795920904123", 0, X },
	{ "1795920904999", 0, X },
	{ "1521233195.375624", 0, 1521233195 },
	{ "1795920904123.5", 0, X },
	{ "99999999999", 0, INT64_C(99999999999) },
	{ "100000000000", 0, 100000000 },
	{ "253402300799", 0, 253402300 },
};

/* test_time_parse - the lw_time_parse() table */
static void
test_time_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		const struct time_case *c = &time_cases[i];
		int64_t t = -42;
		int ret;

		ret = lw_time_parse(c->in, &t);
		if (ret != c->ret || (ret == 0 && t != c->t) ||
		    (ret != 0 && t != -42)) {
			print_error("'%s': %d, %lld, expected %d, %lld\n",
			    c->in, ret, (long long)t, c->ret,
			    (long long)c->t);
			fail();
		}
	}
	assert_int_equal(lw_time_parse(NULL, &(int64_t){ 0 }), -1);
}

/*
 * test_time_round_trip - times across 1970-9999 written by gmtime_r(3)
 * in both grammars, and with an offset, read back to themselves
 */
static void
test_time_round_trip(void **state)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	char buf[128];
	int64_t t, got;
	time_t tt;
	struct tm tm;
	int n = 0;

	(void)state;
	for (t = 0; t <= INT64_C(253402300799); t += INT64_C(800009)) {
		tt = (time_t)t;
		assert_non_null(gmtime_r(&tt, &tm));
		snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		if (lw_time_parse(buf, &got) != 0 || got != t) {
			print_error("'%s' is not %lld\n", buf, (long long)t);
			fail();
		}
		snprintf(buf, sizeof(buf),
		    "%s, %d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
		    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
		    tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (lw_time_parse(buf, &got) != 0 || got != t) {
			print_error("'%s' is not %lld\n", buf, (long long)t);
			fail();
		}
		if (t >= 86400 && t <= INT64_C(253402300799) - 86400) {
			/* The same instant, written 23:59 west of UTC. */
			tt = (time_t)(t - 86340);
			assert_non_null(gmtime_r(&tt, &tm));
			snprintf(buf, sizeof(buf),
			    "%04d-%02d-%02dT%02d:%02d:%02d-23:59",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
			if (lw_time_parse(buf, &got) != 0 || got != t) {
				print_error("'%s' is not %lld\n", buf,
				    (long long)t);
				fail();
			}
		}
		n++;
	}
	assert_true(n > 300000);
}

/* test_format_parse - format names */
static void
test_format_parse(void **state)
{
	(void)state;
	assert_int_equal(lw_events_format_parse("csv"), LW_EVENTS_CSV);
	assert_int_equal(lw_events_format_parse("CSV"), LW_EVENTS_CSV);
	assert_int_equal(lw_events_format_parse("jsonl"), LW_EVENTS_JSONL);
	assert_int_equal(lw_events_format_parse("json"), LW_EVENTS_JSONL);
	assert_int_equal(lw_events_format_parse("JSONL"), LW_EVENTS_JSONL);
	assert_int_equal(lw_events_format_parse("auto"), LW_EVENTS_AUTO);
	assert_int_equal(lw_events_format_parse(""), -1);
	assert_int_equal(lw_events_format_parse("xml"), -1);
	assert_int_equal(lw_events_format_parse("csv "), -1);
	assert_int_equal(lw_events_format_parse("ndjsonl"), -1);
	assert_int_equal(lw_events_format_parse(NULL), -1);
}

/* test_open_errors - a format out of range; close of NULL */
static void
test_open_errors(void **state)
{
	struct lw_events *r = NULL;

	(void)state;
	assert_int_equal(lw_events_open(&r, stdin, "x",
	    (enum lw_events_format)(LW_EVENTS_POSTFIX_LOG + 1)), LW_EINVAL);
	assert_null(r);
	lw_events_close(NULL);
}

/* test_read_error - a read error stops the stream, and stays */
static void
test_read_error(void **state)
{
	static const enum lw_events_format formats[] = {
		LW_EVENTS_AUTO, LW_EVENTS_CSV, LW_EVENTS_JSONL
	};
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		/* Reading a directory fails with EISDIR. */
		fp = fopen("/", "r");
		assert_non_null(fp);
		assert_int_equal(lw_events_open(&r, fp, "/", formats[i]),
		    LW_OK);
		assert_int_equal(lw_events_next(r, &rec), -EISDIR);
		assert_int_equal(lw_events_error_line(r), 1);
		assert_int_equal(lw_events_next(r, &rec), -EISDIR);
		lw_events_close(r);
		fclose(fp);
	}
}

/* expect - the next record of r, shown, is want */
static void
expect(struct lw_events *r, const char *want)
{
	struct lw_event_rec rec;
	char buf[1024];

	assert_int_equal(lw_events_next(r, &rec), 1);
	show(&rec, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* test_read_error_midway - records before a read error, then the error */
static void
test_read_error_midway(void **state)
{
	static const cookie_io_functions_t io = { .read = failing_read };
	static const struct {
		const char *text;
		enum lw_events_format format;
		const char *want;
	} runs[] = {
		{ "email,status\na@example.com,5.1.1\n", LW_EVENTS_AUTO,
		  "2:a@example.com status=5.1.1" },
		{ "{\"email\":\"a@example.com\"}\n", LW_EVENTS_AUTO,
		  "1:a@example.com" },
	};
	struct lw_event_rec rec;
	struct lw_events *r;
	struct failing f;
	FILE *fp;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		f.text = runs[i].text;
		f.off = 0;
		fp = fopencookie(&f, "r", io);
		assert_non_null(fp);
		assert_int_equal(lw_events_open(&r, fp, "f", runs[i].format),
		    LW_OK);
		expect(r, runs[i].want);
		assert_int_equal(lw_events_next(r, &rec), LW_EIO);
		assert_int_equal(lw_events_next(r, &rec), LW_EIO);
		assert_true(lw_events_error_line(r) >= 1);
		lw_events_close(r);
		fclose(fp);
	}
}

/* test_huge_csv_diagnostic - 10 MB in one field is that row's fault */
static void
test_huge_csv_diagnostic(void **state)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;

	(void)state;
	fp = big_file("email,status,diagnostic\n"
	    "a@example.com,5.1.1,\"", 10u << 20, 'x',
	    "\"\nb@example.com,5.1.1,user unknown\n");
	assert_int_equal(lw_events_open(&r, fp, "big.csv", LW_EVENTS_AUTO),
	    LW_OK);
	expect(r, "2:a@example.com status=5.1.1 error=too-long");
	expect(r, "3:b@example.com status=5.1.1 diag=[user unknown]");
	assert_int_equal(lw_events_next(r, &rec), 0);
	lw_events_close(r);
	fclose(fp);
}

/* test_huge_json_line - 10 MB in one line is that line's fault */
static void
test_huge_json_line(void **state)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;

	(void)state;
	fp = big_file("{\"email\":\"a@example.com\",\"diagnostic\":\"",
	    10u << 20, 'x', "\"}\n\n{\"email\":\"b@example.com\"}\n");
	assert_int_equal(lw_events_open(&r, fp, "big.jsonl", LW_EVENTS_AUTO),
	    LW_OK);
	expect(r, "1: error=too-long");
	expect(r, "3:b@example.com");
	assert_int_equal(lw_events_next(r, &rec), 0);
	assert_int_equal(lw_events_format(r), LW_EVENTS_JSONL);
	lw_events_close(r);
	fclose(fp);
}

/* test_field_limit - LW_EVENT_FIELD_MAX octets pass, one more does not */
static void
test_field_limit(void **state)
{
	static const enum lw_events_format formats[] = {
		LW_EVENTS_CSV, LW_EVENTS_JSONL
	};
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		if (formats[i] == LW_EVENTS_CSV)
			fp = big_file("email,diagnostic\na@example.com,",
			    LW_EVENT_FIELD_MAX, 'y', "\nb@example.com,"
			    "  z\n");
		else
			fp = big_file("{\"email\":\"a@example.com\","
			    "\"diagnostic\":\"", LW_EVENT_FIELD_MAX, 'y',
			    "\"}\n{\"email\":\"b@example.com\",\"reason\":"
			    "\"  z\"}\n");
		assert_int_equal(lw_events_open(&r, fp, "f", formats[i]),
		    LW_OK);
		assert_int_equal(lw_events_next(r, &rec), 1);
		assert_null(rec.error);
		assert_non_null(rec.diagnostic);
		assert_int_equal(strlen(rec.diagnostic), LW_EVENT_FIELD_MAX);
		assert_int_equal(lw_events_next(r, &rec), 1);
		assert_string_equal(rec.diagnostic, "z");
		lw_events_close(r);
		fclose(fp);

		if (formats[i] == LW_EVENTS_CSV)
			fp = big_file("email,diagnostic\na@example.com,",
			    LW_EVENT_FIELD_MAX + 1, 'y', "\n");
		else
			fp = big_file("{\"email\":\"a@example.com\","
			    "\"diagnostic\":\"", LW_EVENT_FIELD_MAX + 1, 'y',
			    "\"}\n");
		assert_int_equal(lw_events_open(&r, fp, "f", formats[i]),
		    LW_OK);
		expect(r, formats[i] == LW_EVENTS_CSV ?
		    "2:a@example.com error=too-long" :
		    "1:a@example.com error=too-long");
		assert_int_equal(lw_events_next(r, &rec), 0);
		lw_events_close(r);
		fclose(fp);
	}
}

/* test_line_limit - a JSON line of LW_EVENT_LINE_MAX octets is read */
static void
test_line_limit(void **state)
{
	static const char head[] = "{\"email\":\"a@example.com\",\"pad\":\"";
	static const char tail[] = "\"}";
	size_t fill = LW_EVENT_LINE_MAX - (sizeof(head) - 1) -
	    (sizeof(tail) - 1);
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;

	(void)state;
	/* Exactly the limit, then CR LF: a record. */
	fp = big_file(head, fill, 'p', "\"}\r\n{\"email\":\"b@example.com\"}");
	assert_int_equal(lw_events_open(&r, fp, "f", LW_EVENTS_JSONL), LW_OK);
	expect(r, "1:a@example.com");
	expect(r, "2:b@example.com");
	assert_int_equal(lw_events_next(r, &rec), 0);
	lw_events_close(r);
	fclose(fp);

	/* One octet more: too long, and the next line is still line 2. */
	fp = big_file(head, fill + 1, 'p',
	    "\"}\r\n{\"email\":\"b@example.com\"}");
	assert_int_equal(lw_events_open(&r, fp, "f", LW_EVENTS_AUTO), LW_OK);
	expect(r, "1: error=too-long");
	expect(r, "2:b@example.com");
	assert_int_equal(lw_events_next(r, &rec), 0);
	lw_events_close(r);
	fclose(fp);
}

/* test_long_csv_header - a first line over the line limit still is CSV */
static void
test_long_csv_header(void **state)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;

	(void)state;
	/* The first line is replayed to csvio in part, the rest follows. */
	fp = big_file("status,", LW_EVENT_LINE_MAX + 100, 'h',
	    ",email\n5.1.1,,a@example.com\n");
	assert_int_equal(lw_events_open(&r, fp, "f", LW_EVENTS_AUTO), LW_OK);
	expect(r, "2:a@example.com status=5.1.1");
	assert_int_equal(lw_events_next(r, &rec), 0);
	assert_int_equal(lw_events_format(r), LW_EVENTS_CSV);
	lw_events_close(r);
	fclose(fp);
}

/* test_strings_borrowed - a record's strings are the reader's own copies */
static void
test_strings_borrowed(void **state)
{
	static const char in[] = "email,diagnostic\n"
	    "a@example.com,first\nb@example.com,second\n";
	struct lw_event_rec rec;
	struct lw_events *r;
	char first[64];
	FILE *fp;

	(void)state;
	fp = open_text(in, sizeof(in) - 1);
	assert_int_equal(lw_events_open(&r, fp, "s.csv", LW_EVENTS_CSV),
	    LW_OK);
	assert_string_equal(lw_events_name(r), "s.csv");
	assert_int_equal(lw_events_next(r, &rec), 1);
	snprintf(first, sizeof(first), "%s %s", rec.recipient,
	    rec.diagnostic);
	assert_string_equal(first, "a@example.com first");
	assert_int_equal(lw_events_next(r, &rec), 1);
	assert_string_equal(rec.recipient, "b@example.com");
	assert_string_equal(rec.diagnostic, "second");
	assert_int_equal(lw_events_error_line(r), 0);
	lw_events_close(r);
	fclose(fp);
}

/* test_nul_in_csv - a NUL in a CSV recipient is no silent truncation */
static void
test_nul_in_csv(void **state)
{
	static const char in[] = "email,diagnostic\n"
	    "a\0b@example.com,x\n"
	    "c@example.com,un\0known\n";
	struct lw_events *r;
	FILE *fp;

	(void)state;
	fp = open_text(in, sizeof(in) - 1);
	assert_int_equal(lw_events_open(&r, fp, "n.csv", LW_EVENTS_AUTO),
	    LW_OK);
	expect(r, "2: diag=[x] error=bad-utf8");
	expect(r, "3:c@example.com diag=[un\xef\xbf\xbdknown]");
	lw_events_close(r);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_read_error_midway),
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_synonyms),
		cmocka_unit_test(test_status_parse),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_round_trip),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_huge_csv_diagnostic),
		cmocka_unit_test(test_huge_json_line),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_long_csv_header),
		cmocka_unit_test(test_strings_borrowed),
		cmocka_unit_test(test_nul_in_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
