/*
 * test_postfix_log.c - unit tests of the Postfix log reader
 *
 * Stream cases give a log, the format asked for, and every record
 * expected, each written as the line it starts on, the recipient, then
 * the members that are set (absent ones must be NULL):
 *
 *	"3:a@example.net type=soft rule=... status=4.4.1 reply=450
 *	 diag=[...] time=1795920904 id=... action=deferred error=..."
 *
 * A record with no type leaves the class to lw_classify().  The cases
 * use ISO 8601 times, so that they hold in any year; classic syslog
 * times, whose year is the reader's guess, have cases of their own, as
 * have detection and the line limit.
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
#include "events/events_int.h"
#include "events_support.h"

/* 2026-11-29T02:55:04Z, the time most cases use. */
#define X	1795920904
#define XS	"1795920904"
#define T	"2026-11-29T02:55:04+00:00"

/* The syslog part of a line of program p at T. */
#define AT(p)	T " mx1 " p ": "
#define SMTP	AT("postfix/smtp[12345]")

#define MAX_RECS	12

struct stream_case {
	const char *desc;
	const char *in;
	enum lw_events_format format;	/* asked for */
	const char *recs[MAX_RECS];
};

static const struct stream_case cases[] = {
	{ "bounced, deferred and sent among lines that give nothing",
	    AT("postfix/smtpd[100]") "connect from client.example.net"
	    "[192.0.2.50]\n"
	    AT("postfix/qmgr[101]") "4F3A21C0123: from=<list@example.com>, "
	    "size=1234, nrcpt=3 (queue active)\n"
	    SMTP "4F3A21C0123: to=<alice@example.net>, "
	    "relay=mx.example.net[192.0.2.1]:25, delay=1.2, "
	    "delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host "
	    "mx.example.net[192.0.2.1] said: 550 5.1.1 <alice@example.net>: "
	    "Recipient address rejected: User unknown (in reply to RCPT TO "
	    "command))\n"
	    AT("dovecot[5]") "imap-login: Login: user=<x>, "
	    "status=ok, to=<y@example.net>\n"
	    "2026-11-29T02:55:04.123456+00:00 mx1 postfix/smtp[123]: "
	    "4F3A21C0123: to=<bob@example.org>, "
	    "orig_to=<bob@alias.example.org>, relay=none, delay=0.01, "
	    "delays=0/0/0/0.01, dsn=4.4.1, status=deferred (connect to "
	    "mx.example.org[192.0.2.7]:25: Connection timed out)\n"
	    SMTP "4F3A21C0123: to=<c@example.com>, "
	    "relay=mx.example.com[192.0.2.9]:25, delay=0.5, "
	    "delays=0/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 OK "
	    "1700000000 abc - gsmtp)\n"
	    AT("postfix/qmgr[101]") "4F3A21C0123: removed\n", LW_EVENTS_AUTO,
	    { "3:alice@example.net status=5.1.1 reply=550 diag=[host "
	      "mx.example.net[192.0.2.1] said: 550 5.1.1 <alice@example.net>:"
	      " Recipient address rejected: User unknown (in reply to RCPT "
	      "TO command)] time=" XS " id=4F3A21C0123:alice@example.net:"
	      "bounced:" T " action=bounced",
	      "5:bob@example.org type=technical rule=status-4.4-routing "
	      "status=4.4.1 diag=[connect to mx.example.org[192.0.2.7]:25: "
	      "Connection timed out] time=" XS " id=4F3A21C0123:"
	      "bob@example.org:deferred:2026-11-29T02:55:04.123456+00:00 "
	      "action=deferred",
	      "6:c@example.com type=delivered rule=postfix-status-sent "
	      "status=2.0.0 reply=250 diag=[250 2.0.0 OK 1700000000 abc - "
	      "gsmtp] time=" XS " id=4F3A21C0123:c@example.com:sent:" T
	      " action=sent" } },
	{ "every delivery agent, instance names, long and no queue IDs",
	    AT("postfix/lmtp[1]") "4X2d3q0Pf3z9tNk: to=<a@example.net>, "
	    "relay=mail.example.net[private/dovecot-lmtp], delay=0.1, "
	    "delays=0/0/0/0.1, dsn=5.1.1, status=bounced (host "
	    "mail.example.net[private/dovecot-lmtp] said: 550 5.1.1 "
	    "<a@example.net> User doesn't exist: a@example.net (in reply to "
	    "RCPT TO command))\n"
	    AT("postfix/local[2]") "ABCDEF012: to=<b@example.net>, "
	    "relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent "
	    "(delivered to mailbox)\n"
	    AT("postfix/virtual[3]") "ABCDEF013: to=<c@example.net>, "
	    "relay=virtual, delay=0, delays=0/0/0/0, dsn=5.2.2, "
	    "status=bounced (mailbox full)\n"
	    AT("postfix/pipe[4]") "ABCDEF014: to=<d@example.net>, "
	    "relay=dovecot, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent "
	    "(delivered via dovecot service)\n"
	    AT("postfix-out/error[5]") "ABCDEF015: to=<e@example.org>, "
	    "relay=none, delay=0, delays=0/0/0/0, dsn=5.4.4, status=bounced "
	    "(Host or domain name not found. Name service error for "
	    "name=example.org type=A: Host not found)\n"
	    AT("postfix/submission/smtp") "to=<f@example.org>, relay=none, "
	    "dsn=4.4.3, status=deferred (Host or domain name not found. Name "
	    "service error for name=example.org type=MX: Host not found, try "
	    "again)\n", LW_EVENTS_POSTFIX_LOG,
	    { "1:a@example.net status=5.1.1 reply=550 diag=[host "
	      "mail.example.net[private/dovecot-lmtp] said: 550 5.1.1 "
	      "<a@example.net> User doesn't exist: a@example.net (in reply to "
	      "RCPT TO command)] time=" XS " id=4X2d3q0Pf3z9tNk:a@example.net:"
	      "bounced:" T " action=bounced",
	      "2:b@example.net type=delivered rule=postfix-status-sent "
	      "status=2.0.0 diag=[delivered to mailbox] time=" XS
	      " id=ABCDEF012:b@example.net:sent:" T " action=sent",
	      "3:c@example.net status=5.2.2 diag=[mailbox full] time=" XS
	      " id=ABCDEF013:c@example.net:bounced:" T " action=bounced",
	      "4:d@example.net type=delivered rule=postfix-status-sent "
	      "status=2.0.0 diag=[delivered via dovecot service] time=" XS
	      " id=ABCDEF014:d@example.net:sent:" T " action=sent",
	      "5:e@example.org status=5.4.4 diag=[Host or domain name not "
	      "found. Name service error for name=example.org type=A: Host not "
	      "found] time=" XS " id=ABCDEF015:e@example.org:bounced:" T
	      " action=bounced",
	      "6:f@example.org type=technical rule=status-4.4-routing "
	      "status=4.4.3 diag=[Host or domain name not found. Name "
	      "service error for name=example.org type=MX: Host not found, "
	      "try again] time=" XS " id=:f@example.org:deferred:" T
	      " action=deferred" } },
	{ "a deferral is never hard, whatever its codes and text",
	    SMTP "A1: to=<a@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=5.1.1, status=deferred (host mx.example.net[192.0.2.1] said: "
	    "550 5.1.1 User unknown (in reply to RCPT TO command))\n"
	    SMTP "A2: to=<b@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "status=deferred (host mx.example.net[192.0.2.1] said: 550 no "
	    "such user here (in reply to RCPT TO command))\n"
	    SMTP "A3: to=<c@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=4.2.2, status=deferred (host mx.example.net[192.0.2.1] said: "
	    "452 4.2.2 Mailbox full (in reply to RCPT TO command))\n"
	    SMTP "A4: to=<d@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=4.1.1, status=SOFTBOUNCE (host mx.example.net[192.0.2.1] "
	    "said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n"
	    SMTP "A5: to=<e@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=2.0.0, status=deferred (250 2.0.0 OK)\n"
	    SMTP "A6: to=<f@example.net>, relay=none, dsn=5.0.0, "
	    "status=softbounce (unknown)\n",
	    LW_EVENTS_POSTFIX_LOG,
	    { "1:a@example.net type=soft rule=postfix-status-deferred "
	      "status=5.1.1 reply=550 diag=[host mx.example.net[192.0.2.1] "
	      "said: 550 5.1.1 User unknown (in reply to RCPT TO command)] "
	      "time=" XS " id=A1:a@example.net:deferred:" T " action=deferred",
	      "2:b@example.net type=soft rule=postfix-status-deferred "
	      "reply=550 diag=[host mx.example.net[192.0.2.1] said: 550 no "
	      "such user here (in reply to RCPT TO command)] time=" XS
	      " id=A2:b@example.net:deferred:" T " action=deferred",
	      "3:c@example.net type=soft rule=text-mailbox-full "
	      "status=4.2.2 reply=452 diag=[host mx.example.net[192.0.2.1] "
	      "said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)] "
	      "time=" XS " id=A3:c@example.net:deferred:" T " action=deferred",
	      "4:d@example.net type=soft rule=status-4.1-address-temporary "
	      "status=4.1.1 reply=550 diag=[host mx.example.net[192.0.2.1] "
	      "said: 550 5.1.1 User unknown (in reply to RCPT TO command)] "
	      "time=" XS " id=A4:d@example.net:SOFTBOUNCE:" T
	      " action=softbounce",
	      "5:e@example.net type=soft rule=postfix-status-deferred "
	      "status=2.0.0 reply=250 diag=[250 2.0.0 OK] time=" XS
	      " id=A5:e@example.net:deferred:" T " action=deferred",
	      "6:f@example.net type=soft rule=postfix-status-softbounce "
	      "status=5.0.0 diag=[unknown] time=" XS
	      " id=A6:f@example.net:softbounce:" T " action=softbounce" } },
	{ "the other status words",
	    SMTP "B1: to=<a@example.net>, relay=none, dsn=4.4.7, "
	    "status=expired (delivery temporarily suspended: connect to "
	    "mx.example.net[192.0.2.1]:25: Connection refused)\n"
	    SMTP "B2: to=<b@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=5.1.1, status=undeliverable (host mx.example.net[192.0.2.1] "
	    "said: 550 5.1.1 unknown user (in reply to RCPT TO command))\n"
	    SMTP "B3: to=<c@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=2.1.5, status=deliverable (250 2.1.5 Ok)\n"
	    SMTP "B4: to=<d@example.net>, relay=none, dsn=5.7.1, "
	    "status=quarantined (held for review)\n"
	    SMTP "B5: to=<e@example.net>, relay=none, dsn=5.1.1, "
	    "status=bounced, returned to sender\n"
	    SMTP "B6: to=<f@example.net>, relay=none, dsn=5.1.1, "
	    "status=bounced\n", LW_EVENTS_POSTFIX_LOG,
	    { "1:a@example.net status=4.4.7 diag=[delivery temporarily "
	      "suspended: connect to mx.example.net[192.0.2.1]:25: Connection "
	      "refused] time=" XS " id=B1:a@example.net:expired:" T
	      " action=expired",
	      "2:b@example.net status=5.1.1 reply=550 diag=[host "
	      "mx.example.net[192.0.2.1] said: 550 5.1.1 unknown user (in "
	      "reply to RCPT TO command)] time=" XS
	      " id=B2:b@example.net:undeliverable:" T " action=undeliverable",
	      "3:c@example.net type=delivered rule=postfix-status-deliverable "
	      "status=2.1.5 reply=250 diag=[250 2.1.5 Ok] time=" XS
	      " id=B3:c@example.net:deliverable:" T " action=deliverable",
	      "4:d@example.net type=unknown rule=postfix-status-unknown "
	      "status=5.7.1 diag=[held for review] time=" XS
	      " id=B4:d@example.net:quarantined:" T " action=quarantined",
	      "5:e@example.net status=5.1.1 diag=[returned to sender] time=" XS
	      " id=B5:e@example.net:bounced:" T " action=bounced",
	      "6:f@example.net status=5.1.1 time=" XS
	      " id=B6:f@example.net:bounced:" T " action=bounced" } },
	{ "malformed delivery lines are records with an error",
	    SMTP "C1: relay=mx.example.net[192.0.2.1]:25, dsn=5.1.1, "
	    "status=bounced (host mx.example.net[192.0.2.1] said: 550 5.1.1 "
	    "User unknown (in reply to RCPT TO command))\n"
	    SMTP "C2: to=<>, relay=none, dsn=5.1.1, status=bounced (gone)\n"
	    SMTP "C3: to=<a@example.net, relay=none, dsn=5.1.1, "
	    "status=bounced (gone)\n"
	    SMTP "C4: to=<b@example.net>, relay=none, dsn=9.9.9, "
	    "status=bounced (gone)\n"
	    SMTP "C5: to=<c@example.net>, relay=none, dsn=5.1.1, "
	    "status= (gone)\n"
	    "2026-13-01T00:00:00Z mx1 postfix/smtp[1]: C6: to=<d@example.net>, "
	    "relay=none, dsn=5.1.1, status=bounced (gone)\n"
	    SMTP "C7: to=<e\xff@example.net>, relay=none, dsn=5.1.1, "
	    "status=bounced (gone)\n"
	    SMTP "C8: to=<f@example.net>, relay=none, dsn=5.1.1, "
	    "status=bounced (host said: 550 5.1.1 caf\xe9)\n",
	    LW_EVENTS_POSTFIX_LOG,
	    { "1: status=5.1.1 reply=550 diag=[host mx.example.net[192.0.2.1] "
	      "said: 550 5.1.1 User unknown (in reply to RCPT TO command)] "
	      "time=" XS " id=C1::bounced:" T " action=bounced "
	      "error=no-recipient",
	      "2: status=5.1.1 diag=[gone] time=" XS " id=C2::bounced:" T
	      " action=bounced error=no-recipient",
	      "3: status=5.1.1 diag=[gone] time=" XS " id=C3::bounced:" T
	      " action=bounced error=no-recipient",
	      "4:b@example.net diag=[gone] time=" XS
	      " id=C4:b@example.net:bounced:" T " action=bounced "
	      "error=bad-status",
	      "5:c@example.net status=5.1.1 diag=[gone] time=" XS
	      " id=C5:c@example.net::" T " error=bad-status",
	      "6:d@example.net status=5.1.1 diag=[gone] "
	      "id=C6:d@example.net:bounced:2026-13-01T00:00:00Z "
	      "action=bounced error=bad-timestamp",
	      "7: status=5.1.1 diag=[gone] time=" XS
	      " action=bounced error=bad-utf8",
	      "8:f@example.net status=5.1.1 reply=550 diag=[host said: 550 "
	      "5.1.1 caf\xef\xbf\xbd] time=" XS " id=C8:f@example.net:bounced:"
	      T " action=bounced" } },
	{ "status lines that name no recipient, and other lines, give nothing",
	    "\n"
	    AT("postfix/qmgr[1]") "D1: from=<list@example.com>, "
	    "status=expired, returned to sender\n"
	    AT("postfix/qmgr[1]") "D2: status=deferred (bounce failed)\n"
	    AT("postfix/smtpd[2]") "NOQUEUE: reject: RCPT from "
	    "client.example.net[192.0.2.50]: 550 5.1.1 <x@example.net>: "
	    "Recipient address rejected: User unknown; from=<s@example.org> "
	    "to=<x@example.net> proto=ESMTP helo=<client.example.net>\n"
	    AT("postfix/cleanup[3]") "D3: message-id=<m@example.com>\n"
	    AT("postfix/bounce[4]") "D3: sender non-delivery notification: D4\n"
	    AT("postfix/smtp[5]") "warning: status=bounced to=<y@example.net>\n"
	    AT("postfix/smtp[5]") "connect to mx.example.net[192.0.2.1]:25: "
	    "Connection refused\n"
	    AT("sendmail[6]") "D5: to=<z@example.net>, dsn=5.1.1, "
	    "status=bounced (gone)\n"
	    AT("mypostfix/smtp[7]") "D6: to=<z@example.net>, dsn=5.1.1, "
	    "status=bounced (gone)\n"
	    AT("postfix[8]") "D7: to=<z@example.net>, dsn=5.1.1, "
	    "status=bounced (gone)\n"
	    "email,status\n"
	    "{\"email\":\"z@example.net\",\"status\":\"5.1.1\"}\n"
	    "Nov 29 02:55:04 mx1 kernel: status=bounced to=<z@example.net>\n"
	    "   \t\n", LW_EVENTS_POSTFIX_LOG, { NULL } },
	{ "a reply code only where the remote server's reply is",
	    SMTP "E1: to=<a@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=5.7.1, status=bounced (host mx.example.net[192.0.2.1] refused "
	    "to talk to me: 554 5.7.1 Service unavailable; blocked)\n"
	    SMTP "E2: to=<b@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=5.0.0, status=bounced (host mx.example.net[192.0.2.1] said: "
	    "650 nonsense (in reply to end of DATA command))\n"
	    SMTP "E3: to=<c@example.net>, relay=none, dsn=5.0.0, "
	    "status=bounced (12 recipients rejected :-( sorry)\n"
	    SMTP "E4: to=<d@example.net>, relay=mx.example.net[192.0.2.1]:25, "
	    "dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.1] said: "
	    "550-5.1.1 The email account that you tried to reach does not "
	    "exist. (in reply to RCPT TO command))\n",
	    LW_EVENTS_POSTFIX_LOG,
	    { "1:a@example.net status=5.7.1 reply=554 diag=[host "
	      "mx.example.net[192.0.2.1] refused to talk to me: 554 5.7.1 "
	      "Service unavailable; blocked] time=" XS
	      " id=E1:a@example.net:bounced:" T " action=bounced",
	      "2:b@example.net status=5.0.0 diag=[host mx.example.net"
	      "[192.0.2.1] said: 650 nonsense (in reply to end of DATA "
	      "command)] time=" XS " id=E2:b@example.net:bounced:" T
	      " action=bounced",
	      "3:c@example.net status=5.0.0 diag=[12 recipients rejected :-( "
	      "sorry] time=" XS " id=E3:c@example.net:bounced:" T
	      " action=bounced",
	      "4:d@example.net status=5.1.1 reply=550 diag=[host "
	      "mx.example.net[192.0.2.1] said: 550-5.1.1 The email account "
	      "that you tried to reach does not exist. (in reply to RCPT TO "
	      "command)] time=" XS " id=E4:d@example.net:bounced:" T
	      " action=bounced" } },
	{ "CRLF line ends, a byte order mark, a journalctl time, no host",
	    "\xef\xbb\xbf"
	    "2026-11-29T02:55:04+0000 mx1 postfix/smtp[1]: F1: "
	    "to=<a@example.net>, relay=none, dsn=5.1.1, status=bounced "
	    "(gone)\r\n\r\n"
	    "2026-11-29T03:55:04+01:00 postfix/smtp[1]: F2: "
	    "to=<b@example.net>, relay=none, dsn=5.1.1, status=bounced "
	    "(gone)\r\n", LW_EVENTS_AUTO,
	    { "1:a@example.net status=5.1.1 diag=[gone] time=" XS
	      " id=F1:a@example.net:bounced:2026-11-29T02:55:04+0000 "
	      "action=bounced",
	      "3:b@example.net status=5.1.1 diag=[gone] time=" XS
	      " id=F2:b@example.net:bounced:2026-11-29T03:55:04+01:00 "
	      "action=bounced" } },
	{ "each retry is its own event; the same line is the same event",
	    SMTP "G1: to=<a@example.net>, relay=none, dsn=4.4.1, "
	    "status=deferred (connect to mx.example.net[192.0.2.1]:25: "
	    "Connection timed out)\n"
	    "2026-11-29T03:05:04+00:00 mx1 postfix/smtp[2]: G1: "
	    "to=<a@example.net>, relay=none, dsn=4.4.1, "
	    "status=deferred (connect to mx.example.net[192.0.2.1]:25: "
	    "Connection timed out)\n"
	    SMTP "G1: to=<a@example.net>, relay=none, dsn=4.4.1, "
	    "status=deferred (connect to mx.example.net[192.0.2.1]:25: "
	    "Connection timed out)\n", LW_EVENTS_POSTFIX_LOG,
	    { "1:a@example.net type=technical rule=status-4.4-routing "
	      "status=4.4.1 diag=[connect to mx.example.net[192.0.2.1]:25: "
	      "Connection timed out] time=" XS " id=G1:a@example.net:deferred:"
	      T " action=deferred",
	      "2:a@example.net type=technical rule=status-4.4-routing "
	      "status=4.4.1 diag=[connect to mx.example.net[192.0.2.1]:25: "
	      "Connection timed out] time=1795921504 "
	      "id=G1:a@example.net:deferred:2026-11-29T03:05:04+00:00 "
	      "action=deferred",
	      "3:a@example.net type=technical rule=status-4.4-routing "
	      "status=4.4.1 diag=[connect to mx.example.net[192.0.2.1]:25: "
	      "Connection timed out] time=" XS " id=G1:a@example.net:deferred:"
	      T " action=deferred" } },
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
	if (r->rule)
		add(buf, size, &n, " rule=%s", r->rule);
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
	if (r->action)
		add(buf, size, &n, " action=%s", r->action);
	if (r->error)
		add(buf, size, &n, " error=%s", r->error);
	/* What a Postfix log never sets. */
	if (r->source || r->feedback || r->suppressed || r->message_id ||
	    r->list || r->how || r->ignored || r->item)
		add(buf, size, &n, " (a member that should be unset is set)");
}

/* open_text - a stream over the string s */
static FILE *
open_text(const char *s)
{
	FILE *fp;

	fp = fmemopen((void *)s, strlen(s), "r");
	assert_non_null(fp);
	return fp;
}

/* expect - the next record of r, shown, is want */
static void
expect(struct lw_events *r, const char *want)
{
	struct lw_event_rec rec;
	char buf[2048];

	assert_int_equal(lw_events_next(r, &rec), 1);
	show(&rec, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* test_streams - every row of the stream table */
static void
test_streams(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct stream_case *c = &cases[i];
		struct lw_event_rec rec;
		struct lw_events *r;
		char buf[2048];
		FILE *fp;
		int got;

		fp = open_text(c->in);
		assert_int_equal(lw_events_open(&r, fp, "maillog", c->format),
		    LW_OK);
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
		assert_int_equal(got, 0);
		assert_int_equal(lw_events_format(r), LW_EVENTS_POSTFIX_LOG);
		/* The end stays. */
		assert_int_equal(lw_events_next(r, &rec), 0);
		lw_events_close(r);
		fclose(fp);
	}
}

/* A first content line, and whether it is a Postfix log's. */
static const struct {
	const char *line;
	int postfix;
} detections[] = {
	{ "Nov 29 05:15:18 mx1 postfix/smtp[12345]: 4F3A21C0123: "
	  "to=<alice@example.net>, relay=none, dsn=5.1.1, status=bounced "
	  "(gone)\n", 1 },
	{ "Nov  9 05:15:18 mx1 postfix/qmgr[1]: 4F3A21C0123: removed", 1 },
	{ "Nov 09 05:15:18 mx1.example.net postfix/smtpd[1]: connect from "
	  "x[192.0.2.1]\r\n", 1 },
	{ "2026-11-29T05:15:18.123456+00:00 mx1 postfix/smtp[123]: x", 1 },
	{ "2026-11-29T05:15:18+0000 mx1 postfix-out/smtp[123]: x", 1 },
	{ "2026-11-29T05:15:18Z mx1 postfix/submission/smtpd[1]: x", 1 },
	{ "Nov 29 05:15:18 mx1 postfix/postfix-script: starting", 1 },
	{ "Nov 29 05:15:18 postfix/smtp[1]: no host", 1 },
	{ "email,status,diagnostic\n", 0 },
	{ "recipient;type;timestamp\r\n", 0 },
	{ "2026-11-29T05:15:18Z,a@example.net,5.1.1\n", 0 },
	{ "{\"email\":\"a@example.net\",\"status\":\"5.1.1\"}\n", 0 },
	{ "[{\"event\":\"bounce\"}]\n", 0 },
	{ "Received: from mx.example.net (mx.example.net [192.0.2.1])\n", 0 },
	{ "Return-Path: <>\n", 0 },
	{ "From MAILER-DAEMON Sun Nov 29 05:15:18 2026\n", 0 },
	{ "Nov 29 05:15:18 mx1 sshd[123]: Accepted publickey for x\n", 0 },
	{ "Nov 29 05:15:18 mx1 postfix[123]: no slash\n", 0 },
	{ "Nov 29 05:15:18 mx1 mypostfix/smtp[123]: x\n", 0 },
	{ "Nov 29 05:15:18 mx1 postfix/smtp[12a]: x\n", 0 },
	{ "Nov 29 05:15:18 mx1 postfix/smtp[123] x\n", 0 },
	{ "Nov 29 05:15:18 mx1 postfix/[123]: x\n", 0 },
	{ "Nov 29 05:15:18 mx1\n", 0 },
	{ "Foo 29 05:15:18 mx1 postfix/smtp[1]: x\n", 0 },
	{ "Nov 29 5:15:18 mx1 postfix/smtp[1]: x\n", 0 },
	{ "2026-11-29 05:15:18 mx1 postfix/smtp[1]: x\n", 0 },
	{ "", 0 },
};

/* test_detect - ev_maillog_detect(), and what AUTO reads */
static void
test_detect(void **state)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	size_t i;
	FILE *fp;

	(void)state;
	for (i = 0; i < sizeof(detections) / sizeof(detections[0]); i++) {
		const char *s = detections[i].line;

		if (ev_maillog_detect(s, strlen(s)) != detections[i].postfix) {
			print_error("'%s': detected %d, expected %d\n", s,
			    !detections[i].postfix, detections[i].postfix);
			fail();
		}
		if (*s == '\0')
			continue;
		fp = open_text(s);
		assert_int_equal(lw_events_open(&r, fp, "f", LW_EVENTS_AUTO),
		    LW_OK);
		(void)lw_events_next(r, &rec);
		if ((lw_events_format(r) == LW_EVENTS_POSTFIX_LOG) !=
		    detections[i].postfix) {
			print_error("'%s': AUTO read it as format %d\n", s,
			    lw_events_format(r));
			fail();
		}
		lw_events_close(r);
		fclose(fp);
	}
	/* The length is the line's: what follows it is not looked at. */
	assert_int_equal(ev_maillog_detect("Nov 29 05:15:18 mx1 postfix/smtp"
	    "[1]: x", 20), 0);
	assert_int_equal(ev_maillog_detect("Nov 29 05:15:18 mx1 postfix/smtp"
	    "[1]: x", 37), 1);
}

static const char *const mon[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

/*
 * classic_line - into buf, a bounce line whose time is t in classic
 * syslog form ("Nov  9 05:15:18"), and into *tm t's fields
 */
static void
classic_line(time_t t, struct tm *tm, char *buf, size_t size)
{
	assert_non_null(gmtime_r(&t, tm));
	snprintf(buf, size, "%s %2d %02d:%02d:%02d mx1 postfix/smtp[1]: "
	    "Q1: to=<a@example.net>, relay=none, dsn=5.1.1, status=bounced "
	    "(gone)\n", mon[tm->tm_mon], tm->tm_mday, tm->tm_hour, tm->tm_min,
	    tm->tm_sec);
}

/* read_time - the record of the one line in buf: its time */
static int64_t
read_time(const char *buf, const char *want_id_ts)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	char id[128];
	int64_t t;
	FILE *fp;

	fp = open_text(buf);
	assert_int_equal(lw_events_open(&r, fp, "f", LW_EVENTS_AUTO), LW_OK);
	assert_int_equal(lw_events_next(r, &rec), 1);
	assert_int_equal(lw_events_format(r), LW_EVENTS_POSTFIX_LOG);
	assert_null(rec.error);
	assert_true(rec.has_time);
	snprintf(id, sizeof(id), "Q1:a@example.net:bounced:%s", want_id_ts);
	assert_string_equal(rec.event_id, id);
	t = rec.time;
	assert_int_equal(lw_events_next(r, &rec), 0);
	lw_events_close(r);
	fclose(fp);
	return t;
}

/*
 * test_classic_year - a classic time is in this year, unless that is
 * more than a day ahead: then in the year before
 */
static void
test_classic_year(void **state)
{
	/* An hour ago, an hour ahead, three days and 300 days ahead. */
	static const long offsets[] = { -3600, 3600, 3 * 86400, 300 * 86400,
	    -200 * 86400 };
	char buf[256], ts[16];
	struct tm tm, now_tm;
	time_t now, t, want;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		now = time(NULL);
		assert_non_null(gmtime_r(&now, &now_tm));
		t = now + offsets[i];
		classic_line(t, &tm, buf, sizeof(buf));
		/* A Feb 29 moved to another year is no test of this. */
		if (tm.tm_mon == 1 && tm.tm_mday == 29)
			continue;
		memcpy(ts, buf, 15);
		ts[15] = '\0';
		/* The same month, day and time in this year, or the last. */
		tm.tm_year = now_tm.tm_year;
		want = timegm(&tm);
		if (want > now + 86400) {
			tm.tm_year--;
			want = timegm(&tm);
		}
		if (offsets[i] == -3600)
			assert_int_equal(want, t);	/* as it was */
		assert_int_equal(read_time(buf, ts), want);
	}
}

/* test_classic_times - classic days padded either way, and bad ones */
static void
test_classic_times(void **state)
{
	static const char *const bad[] = {
		"Nov 31 00:00:00", "Nov  0 00:00:00", "Nov 29 24:00:00",
		"Nov 29 23:60:00",
	};
	struct lw_event_rec rec;
	struct lw_events *r;
	char buf[256];
	int64_t a, b;
	size_t i;
	FILE *fp;

	(void)state;
	/* "Jan  5" and "Jan 05" are one day. */
	a = read_time("Jan  5 01:02:03 mx1 postfix/smtp[1]: Q1: "
	    "to=<a@example.net>, relay=none, dsn=5.1.1, status=bounced (x)\n",
	    "Jan  5 01:02:03");
	b = read_time("Jan 05 01:02:03 mx1 postfix/smtp[1]: Q1: "
	    "to=<a@example.net>, relay=none, dsn=5.1.1, status=bounced (x)\n",
	    "Jan 05 01:02:03");
	assert_int_equal(a, b);
	assert_int_equal(a % 86400, 3723);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s mx1 postfix/smtp[1]: Q1: "
		    "to=<a@example.net>, relay=none, dsn=5.1.1, "
		    "status=bounced (x)\n", bad[i]);
		fp = open_text(buf);
		assert_int_equal(lw_events_open(&r, fp, "f",
		    LW_EVENTS_POSTFIX_LOG), LW_OK);
		assert_int_equal(lw_events_next(r, &rec), 1);
		assert_string_equal(rec.error, "bad-timestamp");
		assert_false(rec.has_time);
		assert_string_equal(rec.recipient, "a@example.net");
		assert_int_equal(lw_events_next(r, &rec), 0);
		lw_events_close(r);
		fclose(fp);
	}
}

/* test_long_lines - a Postfix line over the limit is too long; others go */
static void
test_long_lines(void **state)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;

	(void)state;
	fp = big_file(SMTP "H1: to=<a@example.net>, relay=none, dsn=5.1.1, "
	    "status=bounced (", 2u << 20, 'x', ")\n"
	    SMTP "H2: to=<b@example.net>, relay=none, dsn=5.1.1, "
	    "status=bounced (gone)\n");
	assert_int_equal(lw_events_open(&r, fp, "big.log", LW_EVENTS_AUTO),
	    LW_OK);
	expect(r, "1: error=too-long");
	expect(r, "2:b@example.net status=5.1.1 diag=[gone] time=" XS
	    " id=H2:b@example.net:bounced:" T " action=bounced");
	assert_int_equal(lw_events_next(r, &rec), 0);
	assert_int_equal(lw_events_format(r), LW_EVENTS_POSTFIX_LOG);
	lw_events_close(r);
	fclose(fp);

	/* Another program's long line is skipped like its short ones. */
	fp = big_file(SMTP "H0: to=<z@example.net>, relay=none, dsn=2.0.0, "
	    "status=sent (ok)\n" AT("dovecot[1]") "imap: ", 2u << 20, 'y',
	    "\n" SMTP "H2: to=<b@example.net>, relay=none, dsn=5.1.1, "
	    "status=bounced (gone)\n");
	assert_int_equal(lw_events_open(&r, fp, "big.log",
	    LW_EVENTS_POSTFIX_LOG), LW_OK);
	expect(r, "1:z@example.net type=delivered rule=postfix-status-sent "
	    "status=2.0.0 diag=[ok] time=" XS " id=H0:z@example.net:sent:" T
	    " action=sent");
	expect(r, "3:b@example.net status=5.1.1 diag=[gone] time=" XS
	    " id=H2:b@example.net:bounced:" T " action=bounced");
	assert_int_equal(lw_events_next(r, &rec), 0);
	lw_events_close(r);
	fclose(fp);
}

/* test_field_limit - a diagnostic over LW_EVENT_FIELD_MAX is too long */
static void
test_field_limit(void **state)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;

	(void)state;
	fp = big_file(SMTP "I1: to=<a@example.net>, relay=none, dsn=5.1.1, "
	    "status=bounced (", LW_EVENT_FIELD_MAX + 1, 'x', ")\n");
	assert_int_equal(lw_events_open(&r, fp, "f", LW_EVENTS_POSTFIX_LOG),
	    LW_OK);
	assert_int_equal(lw_events_next(r, &rec), 1);
	assert_string_equal(rec.error, "too-long");
	assert_string_equal(rec.recipient, "a@example.net");
	assert_int_equal(lw_events_next(r, &rec), 0);
	lw_events_close(r);
	fclose(fp);
}

/* test_empty - nothing, or blank lines only, gives no record */
static void
test_empty(void **state)
{
	struct lw_event_rec rec;
	struct lw_events *r;
	FILE *fp;

	(void)state;
	fp = open_text("\n \n\t\n");
	assert_int_equal(lw_events_open(&r, fp, "f", LW_EVENTS_POSTFIX_LOG),
	    LW_OK);
	assert_int_equal(lw_events_next(r, &rec), 0);
	assert_int_equal(lw_events_next(r, &rec), 0);
	lw_events_close(r);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_classic_year),
		cmocka_unit_test(test_classic_times),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
