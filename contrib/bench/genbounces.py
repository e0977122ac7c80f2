#!/usr/bin/env python3
"""genbounces.py - a mailbox of synthetic bounces, for `make bench`

NAME
    genbounces.py - write an mbox of bounce messages and what they report

SYNOPSIS
    python3 genbounces.py [-n N] [--seed S] [-o FILE] [--expect FILE]

DESCRIPTION
    Writes N messages (default 10000) in mboxo format to standard output,
    or to FILE with -o: each message starts with a line "From
    MAILER-DAEMON <asctime date>", a body line that begins "From " is
    written ">From ", and a blank line follows each message.  The same
    seed (default 1) and N give the same bytes.

    The messages come from templates written for this generator, in the
    shapes real mail systems send:

      postfix-failed   Postfix DSN, multipart/report, Action: failed,
                       5.1.1 (our relay refused by the remote host, or a
                       remote Postfix without the local user)
      postfix-full     Postfix DSN, 5.2.2 mailbox full
      postfix-delayed  Postfix "Delayed Mail (still being retried)"
                       warning, Action: delayed, 4.4.1
      sendmail         Sendmail DSN with its session transcript: 5.1.1,
                       5.2.2, or 5.7.1 blocked by a DNSBL
      exim             Exim text bounce, no MIME: "The following
                       address(es) failed:", X-Failed-Recipients
      qmail            qmail text bounce: "Hi. This is the qmail-send
                       program", (#5.x.x) codes
      exchange         Exchange / Office 365 NDR: multipart/alternative
                       (text and quoted-printable HTML) and a DSN part;
                       5.1.10, 5.4.1 access denied, 5.2.2 quota
      arf              ARF complaint (RFC 5965): message/feedback-report
                       and the message complained of; some without
                       Original-Rcpt-To, the recipient then only in the
                       attached message's To:
      auto-reply       RFC 3834 auto-reply (out of office) quoting the
                       original, some 8bit UTF-8, some quoted-printable,
                       some marked only by X-Autoreply and Precedence

    Some DSNs report 2 or 3 recipients (postfix-failed, sendmail, exim,
    qmail, exchange; each recipient its own failure); some have their
    delivery-status part base64-encoded (which MTAs do, though RFC 3464
    asks for 7bit: Python's email package then reports header defects in
    that part); some carry the original message as message/rfc822 with a
    few KB of body (plain text or multipart/alternative), the others only
    its headers (text/rfc822-headers).  Single-recipient bounces are sent,
    some of the time, to a VERP address:
    bounces+user00042=domain007.example@lists.example.com.  Recipients are
    drawn from a synthetic population, user%05d@domain%03d.example (100000
    users, 1000 domains).  Messages are 2 to 12 KB.  Everything is
    invented: hosts and domains under .example, addresses of RFC 5737.

    A one-line summary of the mix (messages per template, events, size,
    and how many have several recipients, a base64 DSN part, the original
    attached, a VERP address) goes to standard error.

    --expect FILE writes one line per event the mailbox holds, in message
    order, "recipient<TAB>class": a recipient a DSN reports (each of the
    2 or 3 of a multi-recipient DSN), the one an ARF report complains of,
    the author of an auto-reply.  The class is listwarden's: hard, soft,
    technical, policy, complaint or auto-reply; a delayed DSN (4.4.1,
    timed out or refused) is technical.  A parser that finds every event
    writes as many (recipient, class) pairs.

EXIT STATUS
    0 on success, 2 on bad usage or a file that cannot be written.
"""

import argparse
import base64
import binascii
import os
import random
import sys
import time

USERS = 100000
DOMAINS = 1000
LIST_HOST = "lists.example.com"
BOUNCE_ADDR = "bounces@" + LIST_HOST
OUR_IP = "203.0.113.10"
START = 1748736000          # 2025-06-01T00:00:00Z
MIN_SIZE = 2048
MAX_SIZE = 12288
MARK = "\x00BODY\x00"       # where the original's body goes

# name, weight
TEMPLATES = [
    ("postfix-failed", 20),
    ("postfix-full", 8),
    ("postfix-delayed", 7),
    ("sendmail", 10),
    ("exim", 12),
    ("qmail", 8),
    ("exchange", 15),
    ("arf", 8),
    ("auto-reply", 12),
]

ZONES = [("+0000", 0), ("+0200", 7200), ("-0400", -14400),
         ("+0100", 3600), ("-0700", -25200), ("+0900", 32400)]

WORDS = """
account action actually address again almost already always answer april
around article autumn before better between board bring budget build
calendar campaign change chapter city clear closing coffee community
company conference content course customer daily data deadline delivery
design details digest discount early edition editor energy event every
example family feature field finally first follow forward friday garden
general group growth guide happy help highlights holiday idea important
inside issue journal july june keep kitchen launch learn letter library
light limited local march market meeting member month morning network
never news next notes number offer office online open order other
partner people picture plan please podcast policy popular practice price
product program project quarter question quick reading recipe record
region release report research review river road sale school season
second series service share simple small spring staff start story
strategy street summer support survey team thanks through today together
tools travel update useful video visit volunteer webinar week weekend
welcome winter workshop world writing year
""".split()

SUBJECTS = [
    "What's new in June", "Your weekly digest", "Summer sale: 20% off",
    "Community news, issue %d", "Invitation: webinar on Thursday",
    "Release notes for version 4.%d", "The editor's picks",
    "Last chance to register", "Monthly report: highlights",
    "Tips for the weekend",
]

FIRST_NAMES = ["Anna", "Ben", "Chloe", "David", "Elena", "Farid", "Grace",
               "Hugo", "Ines", "Jonas", "Kim", "Lena", "Marco", "Nora",
               "Oskar", "Priya", "Rafael", "Sofia", "Tariq", "Yuki"]
LAST_NAMES = ["Adler", "Brandt", "Costa", "Dubois", "Evans", "Fischer",
              "Garcia", "Hansen", "Ito", "Jensen", "Kowalski", "Larsen",
              "Moreau", "Nakamura", "Olsen", "Petrov", "Rossi", "Schmidt",
              "Tanaka", "Weber"]


class Msg:
    """Msg - what a template decided about one message"""
    full = b64 = verp = False
    sender = to = BOUNCE_ADDR


class Gen:
    """Gen - the state of one run: the random source and the clock"""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.now = START
        self.serial = 0
        self.paras = self.make_paragraphs(240)

    # --- small pieces

    def make_paragraphs(self, n):
        """make_paragraphs - a pool of wrapped text; some lines begin
        "From ", which the mbox must escape"""
        rng = self.rng
        out = []
        for i in range(n):
            sents = []
            for _ in range(rng.randint(3, 7)):
                w = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
                sents.append(" ".join(w).capitalize() + ".")
            lines = self.wrap(" ".join(sents))
            if i % 9 == 0:
                lines.insert(0, "From the editor's desk:")
            elif i % 13 == 0:
                lines.insert(0, "From time to time we ask for your view.")
            out.append("\n".join(lines))
        return out

    @staticmethod
    def wrap(text, width=70):
        """wrap - text in lines of at most width characters"""
        lines, line = [], ""
        for word in text.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = line + " " + word if line else word
        if line:
            lines.append(line)
        return lines

    def body(self, size, prefix=""):
        """body - at most size octets of paragraphs, each line with prefix"""
        rng = self.rng
        parts, total = [], 0
        while True:
            p = rng.choice(self.paras)
            if prefix:
                p = prefix + p.replace("\n", "\n" + prefix)
            if total + len(p) + 2 > size:
                break
            parts.append(p)
            total += len(p) + 2
        sep = "\n" + prefix.rstrip() + "\n" if prefix else "\n\n"
        return sep.join(parts) + "\n"

    def address(self):
        """address - one member of the synthetic population"""
        return "user%05d@domain%03d.example" % (
            self.rng.randrange(USERS), self.rng.randrange(DOMAINS))

    def addresses(self, n):
        """addresses - n distinct members"""
        out = []
        while len(out) < n:
            a = self.address()
            if a not in out:
                out.append(a)
        return out

    def verp(self, m, rcpts):
        """verp - some of the time, a single-recipient bounce goes back to
        the VERP address of its recipient instead of the bounce address"""
        if len(rcpts) == 1 and self.rng.random() < 0.3:
            local, dom = rcpts[0].split("@")
            m.sender = m.to = "bounces+%s=%s@%s" % (local, dom, LIST_HOST)
            m.verp = True

    def ip(self):
        """ip - an address of the documentation ranges"""
        net = self.rng.choice(("192.0.2", "198.51.100"))
        return "%s.%d" % (net, self.rng.randint(1, 254))

    def token(self, n):
        """token - n characters of A-Z and 2-7"""
        nbytes = (n * 5 + 7) // 8
        raw = self.rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big")
        return base64.b32encode(raw)[:n].decode("ascii")

    def b64(self, nbytes):
        """b64 - base64 of nbytes random octets, on one line"""
        raw = self.rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big")
        return base64.b64encode(raw).decode("ascii")

    def date(self, t=None):
        """date - an RFC 5322 date in one of a few zones"""
        t = self.now if t is None else t
        name, off = ZONES[self.serial % len(ZONES)]
        return time.strftime("%a, %d %b %Y %H:%M:%S ", time.gmtime(t + off)) \
            + name

    def name(self):
        """name - a person's display name"""
        return "%s %s" % (self.rng.choice(FIRST_NAMES),
                          self.rng.choice(LAST_NAMES))

    # --- the message that bounced

    def original(self, rcpts, full, sender, t):
        """original - the list mail that bounced: its headers, and with full
        its MIME body, whose text part holds MARK for the body"""
        rng = self.rng
        subj = rng.choice(SUBJECTS)
        if "%d" in subj:
            subj = subj % rng.randint(2, 99)
        msgid = "<%s.%s@%s>" % (self.token(12), self.token(6), LIST_HOST)
        to = rcpts[0] if len(rcpts) == 1 else "undisclosed-recipients:;"
        sig = self.b64(256)
        sig = "\n\t ".join(sig[i:i + 68] for i in range(0, len(sig), 68))
        h = [
            "Return-Path: <%s>" % sender,
            "Received: from %s (%s [%s])\n\tby out%d.%s (Postfix) with ESMTP "
            "id %s\n\tfor <%s>; %s" % (
                "app1." + LIST_HOST, "app1." + LIST_HOST, "203.0.113.21",
                rng.randint(1, 4), LIST_HOST, self.token(10), rcpts[0],
                self.date(t)),
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s;\n"
            "\ts=news2025; t=%d;\n\th=from:to:subject:date:message-id:"
            "list-unsubscribe:list-unsubscribe-post;\n\tbh=%s;\n\tb=%s" % (
                LIST_HOST, t, self.b64(32), sig),
            "From: Example Weekly <news@%s>" % LIST_HOST,
            "To: %s" % to,
            "Subject: %s" % subj,
            "Date: %s" % self.date(t),
            "Message-ID: %s" % msgid,
            "List-Id: Example Weekly <weekly.%s>" % LIST_HOST,
            "List-Unsubscribe: <mailto:unsubscribe+%s@%s>,\n\t"
            "<https://%s/u/%s>" % (self.token(16).lower(), LIST_HOST,
                                   LIST_HOST, self.token(24).lower()),
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "Precedence: bulk",
            "MIME-Version: 1.0",
        ]
        if not full:
            h.append("Content-Type: text/plain; charset=utf-8")
            h.append("Content-Transfer-Encoding: 7bit")
            return "\n".join(h) + "\n", subj, msgid
        if rng.random() < 0.4:
            b = "=_alt_%s" % self.token(20)
            h.append('Content-Type: multipart/alternative;\n\tboundary="%s"'
                     % b)
            text = ("\n--%s\nContent-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: 7bit\n\n%s\n--%s\n"
                    "Content-Type: text/html; charset=utf-8\n"
                    "Content-Transfer-Encoding: 7bit\n\n"
                    "<html><body><h1>%s</h1>\n<p>%s</p>\n</body></html>\n"
                    "\n--%s--\n") % (
                        b, MARK, b, subj.replace("'", "&#39;"),
                        "<br>\n".join(self.wrap(rng.choice(self.paras)
                                                .replace("\n", " "), 60)), b)
            return "\n".join(h) + "\n" + text, subj, msgid
        h.append("Content-Type: text/plain; charset=utf-8")
        h.append("Content-Transfer-Encoding: 7bit")
        return "\n".join(h) + "\n\n" + MARK, subj, msgid

    # --- templates: each returns (text with at most one MARK, events)

    def ds_part(self, fields, recips, b64):
        """ds_part - a message/delivery-status part body, maybe base64"""
        text = "\n".join(fields) + "\n\n" + "\n\n".join(
            "\n".join(r) for r in recips) + "\n"
        if not b64:
            return "Content-Type: message/delivery-status\n\n" + text
        enc = base64.encodebytes(text.encode("ascii")).decode("ascii")
        return ("Content-Type: message/delivery-status\n"
                "Content-Transfer-Encoding: base64\n\n" + enc)

    def attach(self, orig, full, desc=True):
        """attach - the original as a MIME part"""
        if full:
            d = "Content-Description: Undelivered Message\n" if desc else ""
            return (d + "Content-Type: message/rfc822\n"
                    "Content-Transfer-Encoding: 7bit\n\n" + orig)
        d = "Content-Description: Undelivered Message Headers\n" \
            if desc else ""
        return d + "Content-Type: text/rfc822-headers\n\n" + orig

    def postfix(self, m, kind):
        """postfix-failed, -full, -delayed"""
        rng = self.rng
        n = 1
        if kind == "failed" and rng.random() < 0.25:
            n = rng.randint(2, 3)
        rcpts = self.addresses(n)
        self.verp(m, rcpts)
        if kind == "delayed":
            m.full = False
        remote = rng.random() < 0.8        # our relay, the remote refused
        if kind == "delayed":
            remote = True
        if remote:
            host = "out%d.%s" % (rng.randint(1, 4), LIST_HOST)
        else:
            host = "mx%d.%s" % (rng.randint(1, 2), rcpts[0].split("@")[1])
        qid = self.token(12)
        t0 = self.now - rng.randint(2, 600)
        if kind == "delayed":
            t0 = self.now - 3600 * rng.choice((4, 4, 12, 24))
        orig, subj, msgid = self.original(rcpts, m.full, m.sender, t0)
        lines, recips, events = [], [], []
        for r in rcpts:
            user, dom = r.split("@")
            mx, ip = "mx%d.%s" % (rng.randint(1, 3), dom), self.ip()
            if kind == "failed":
                if remote:
                    diag = rng.choice((
                        "550 5.1.1 <%s>: Recipient address rejected: User "
                        "unknown in virtual mailbox table" % r,
                        "550 5.1.1 <%s>: Recipient address rejected: User "
                        "unknown in local recipient table" % r,
                        "550 5.1.1 The email account that you tried to reach "
                        "does not exist. Please try double-checking the "
                        "recipient's email address for typos",
                        "550 5.1.1 <%s>... User unknown" % r))
                    text = "host %s[%s] said: %s (in reply to RCPT TO " \
                        "command)" % (mx, ip, diag)
                    dcode, rmta = "smtp; " + diag, mx
                else:
                    text = 'unknown user: "%s"' % user
                    dcode, rmta = "X-Postfix; " + text, None
                status, action, cls = "5.1.1", "failed", "hard"
            elif kind == "full":
                if remote:
                    diag = rng.choice((
                        "552 5.2.2 <%s>: Mailbox full" % r,
                        "552 5.2.2 Quota exceeded (mailbox for user is "
                        "full)",
                        "552 5.2.2 The email account that you tried to reach "
                        "is over quota"))
                    text = "host %s[%s] said: %s (in reply to RCPT TO " \
                        "command)" % (mx, ip, diag)
                    dcode, rmta = "smtp; " + diag, mx
                else:
                    text = ("cannot update mailbox /var/mail/%s for user "
                            "%s. error writing message: File too large"
                            % (user, user))
                    dcode, rmta = "X-Postfix; " + text, None
                status, action, cls = "5.2.2", "failed", "soft"
            else:
                why = rng.choice(("Connection timed out",
                                  "Connection refused"))
                text = "connect to %s[%s]:25: %s" % (mx, ip, why)
                dcode, rmta = "X-Postfix; " + text, None
                status, action, cls = "4.4.1", "delayed", "technical"
            lines.append("<%s>: %s" % (r, text))
            rec = ["Final-Recipient: rfc822; %s" % r]
            if rng.random() < 0.7:
                rec.append("Original-Recipient: rfc822;%s" % r)
            rec += ["Action: " + action, "Status: " + status]
            if rmta:
                rec.append("Remote-MTA: dns; " + rmta)
            rec.append("Diagnostic-Code: " + dcode)
            if kind == "delayed":
                rec.append("Will-Retry-Until: " + self.date(t0 + 5 * 86400))
            recips.append(rec)
            events.append((r, cls))
        diag_text = "\n\n".join("\n    ".join(self.wrap(x, 72))
                                for x in lines)
        b = "%s.%d/%s" % (qid, self.now, host)
        if kind == "delayed":
            subject = "Delayed Mail (still being retried)"
            intro = (
                "This is the mail system at host %s.\n\n"
                "####################################################"
                "################\n"
                "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND "
                "YOUR MESSAGE. #\n"
                "####################################################"
                "################\n\n"
                "Your message could not be delivered for more than %d "
                "hour(s).\nIt will be retried until it is 5 day(s) old.\n\n"
                "For further assistance, please send mail to postmaster.\n\n"
                "If you do so, please include this problem report. You can\n"
                "delete your own text from the attached returned message.\n\n"
                "                   The mail system\n\n%s\n"
                % (host, (self.now - t0) // 3600, diag_text))
            desc = "Delayed Mail (still being retried)"
        else:
            subject = "Undelivered Mail Returned to Sender"
            intro = (
                "This is the mail system at host %s.\n\n"
                "I'm sorry to have to inform you that your message could "
                "not\nbe delivered to one or more recipients. It's attached "
                "below.\n\nFor further assistance, please send mail to "
                "postmaster.\n\nIf you do so, please include this problem "
                "report. You can\ndelete your own text from the attached "
                "returned message.\n\n                   The mail system\n\n"
                "%s\n" % (host, diag_text))
            desc = "Notification"
        fields = ["Reporting-MTA: dns; " + host,
                  "X-Postfix-Queue-ID: " + qid,
                  "X-Postfix-Sender: rfc822; " + m.sender,
                  "Arrival-Date: " + self.date(t0)]
        text = (
            "Return-Path: <>\n"
            "Delivered-To: %s\n"
            "Received: by %s (Postfix)\n\tid %s; %s\n"
            "Date: %s\n"
            "From: MAILER-DAEMON@%s (Mail Delivery System)\n"
            "Subject: %s\n"
            "To: %s\n"
            "Auto-Submitted: auto-replied\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            "\tboundary=\"%s\"\n"
            "Content-Transfer-Encoding: 8bit\n"
            "Message-Id: <%s.%s@%s>\n\n"
            "This is a MIME-encapsulated message.\n\n"
            "--%s\nContent-Description: %s\n"
            "Content-Type: text/plain; charset=us-ascii\n\n%s\n"
            "--%s\nContent-Description: Delivery report\n%s\n"
            "--%s\n%s\n"
            "--%s--\n") % (
                m.to, host, qid, self.date(), self.date(), host, subject,
                m.to, b, time.strftime("%Y%m%d%H%M%S",
                                       time.gmtime(self.now)), qid, host,
                b, desc, intro,
                b, self.ds_part(fields, recips, m.b64),
                b, self.attach(orig, m.full),
                b)
        return text, events

    def sendmail(self, m):
        """sendmail - a Sendmail DSN with its transcript"""
        rng = self.rng
        n = rng.randint(2, 3) if rng.random() < 0.25 else 1
        rcpts = self.addresses(n)
        self.verp(m, rcpts)
        host = "relay%d.%s" % (rng.randint(1, 3), LIST_HOST)
        qid = "5%s%s" % (self.token(7).lower(), "%06d" % rng.randrange(10**6))
        t0 = self.now - rng.randint(2, 900)
        orig, subj, msgid = self.original(rcpts, m.full, m.sender, t0)
        fatal, transcript, recips, events = [], [], [], []
        for r in rcpts:
            dom = r.split("@")[1]
            mx = "mx%d.%s" % (rng.randint(1, 3), dom)
            v = rng.random()
            if v < 0.6:
                reply, status, cls = ("550 5.1.1 <%s>... User unknown" % r,
                                      "5.1.1", "hard")
            elif v < 0.8:
                reply, status, cls = ("552 5.2.2 <%s>... Mailbox full" % r,
                                      "5.2.2", "soft")
            else:
                reply, status, cls = (
                    "550 5.7.1 Service unavailable; Client host [%s] "
                    "blocked using zen.spamhaus.org" % OUR_IP,
                    "5.7.1", "policy")
            final = reply if status != "5.7.1" else \
                "550 5.7.1 <%s>... Service unavailable" % r
            fatal.append("<%s>\n    (reason: %s)" % (r, reply))
            transcript.append("... while talking to %s.:\n>>> RCPT To:<%s>\n"
                              "<<< %s\n%s" % (mx, r, reply, final))
            recips.append(["Final-Recipient: RFC822; " + r,
                           "Action: failed",
                           "Status: " + status,
                           "Remote-MTA: DNS; " + mx,
                           "Diagnostic-Code: SMTP; " + reply,
                           "Last-Attempt-Date: " + self.date()])
            events.append((r, cls))
        b = "%s.%d/%s" % (qid, self.now, host)
        fields = ["Reporting-MTA: dns; " + host,
                  "Received-From-MTA: DNS; app1." + LIST_HOST,
                  "Arrival-Date: " + self.date(t0)]
        notice = (
            "The original message was received at %s\nfrom app1.%s "
            "[203.0.113.21]\n\n"
            "   ----- The following addresses had permanent fatal errors "
            "-----\n%s\n\n"
            "   ----- Transcript of session follows -----\n%s\n"
            % (self.date(t0), LIST_HOST, "\n".join(fatal),
               "\n".join(transcript)))
        text = (
            "Return-Path: <>\n"
            "Delivered-To: %s\n"
            "Received: from localhost (localhost)\n\tby %s (8.17.2/8.17.2) "
            "id %s;\n\t%s\n"
            "Date: %s\n"
            "From: Mail Delivery Subsystem <MAILER-DAEMON@%s>\n"
            "Message-Id: <%s.%s@%s>\n"
            "To: <%s>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            "\tboundary=\"%s\"\n"
            "Subject: Returned mail: see transcript for details\n"
            "Auto-Submitted: auto-generated (failure)\n\n"
            "This is a MIME-encapsulated message\n\n"
            "--%s\n\n%s\n"
            "--%s\n%s\n"
            "--%s\n%s\n"
            "--%s--\n\n") % (
                m.to, host, qid, self.date(), self.date(), host,
                time.strftime("%Y%m%d%H%M", time.gmtime(self.now)), qid,
                host, m.to, b,
                b, notice,
                b, self.ds_part(fields, recips, m.b64),
                b, self.attach(orig, m.full, desc=False),
                b)
        return text, events

    def exim(self, m):
        """exim - Exim's text bounce with the whole message inline"""
        rng = self.rng
        n = rng.randint(2, 3) if rng.random() < 0.2 else 1
        rcpts = self.addresses(n)
        self.verp(m, rcpts)
        host = "mail%d.%s" % (rng.randint(1, 3),
                              rng.choice((LIST_HOST,
                                          rcpts[0].split("@")[1])))
        t0 = self.now - rng.randint(2, 900)
        m.full, m.b64 = True, False
        orig, subj, msgid = self.original(rcpts, True, m.sender, t0)
        blocks, events = [], []
        for r in rcpts:
            dom = r.split("@")[1]
            v = rng.random()
            if v < 0.55:
                mx = "mx%d.%s" % (rng.randint(1, 3), dom)
                blocks.append(
                    "  %s\n    host %s [%s]\n    SMTP error from remote mail "
                    "server after RCPT TO:<%s>:\n    550 5.1.1 <%s>: "
                    "Recipient address rejected: User unknown in relay "
                    "recipient table" % (r, mx, self.ip(), r, r))
                events.append((r, "hard"))
            elif v < 0.8:
                blocks.append("  %s\n    Unrouteable address" % r)
                events.append((r, "hard"))
            else:
                mx = "mx%d.%s" % (rng.randint(1, 3), dom)
                blocks.append(
                    "  %s\n    host %s [%s]\n    SMTP error from remote mail "
                    "server after end of data:\n    552 5.2.2 Mailbox quota "
                    "exceeded" % (r, mx, self.ip()))
                events.append((r, "soft"))
        eid = "1u%s-%s-%s" % (self.token(4), self.token(6), self.token(2))
        text = (
            "Return-Path: <>\n"
            "Delivered-To: %s\n"
            "Received: from mail by %s with local (Exim 4.96)\n\tid %s\n\t"
            "for %s; %s\n"
            "X-Failed-Recipients: %s\n"
            "Auto-Submitted: auto-replied\n"
            "From: Mail Delivery System <Mailer-Daemon@%s>\n"
            "To: %s\n"
            "References: %s\n"
            "Content-Type: text/plain; charset=us-ascii\n"
            "Subject: Mail delivery failed: returning message to sender\n"
            "Message-Id: <E%s@%s>\n"
            "Date: %s\n\n"
            "This message was created automatically by mail delivery "
            "software.\n\n"
            "A message that you sent could not be delivered to one or more "
            "of its\nrecipients. This is a permanent error. The following "
            "address(es) failed:\n\n%s\n\n"
            "------ This is a copy of the message, including all the "
            "headers. ------\n\n%s") % (
                m.to, host, eid, m.to, self.date(), ", ".join(rcpts), host,
                m.to, msgid, eid, host, self.date(), "\n".join(blocks),
                orig)
        return text, events

    def qmail(self, m):
        """qmail - qmail-send's text bounce"""
        rng = self.rng
        n = rng.randint(2, 3) if rng.random() < 0.15 else 1
        rcpts = self.addresses(n)
        self.verp(m, rcpts)
        host = "mail%d.%s" % (rng.randint(1, 3), rcpts[0].split("@")[1])
        t0 = self.now - rng.randint(2, 900)
        m.full, m.b64 = True, False
        orig, subj, msgid = self.original(rcpts, True, m.sender, t0)
        blocks, events = [], []
        for r in rcpts:
            ip = self.ip()
            v = rng.random()
            if v < 0.4:
                blocks.append("<%s>:\nSorry, no mailbox here by that name. "
                              "(#5.1.1)" % r)
                events.append((r, "hard"))
            elif v < 0.75:
                blocks.append("<%s>:\n%s does not like recipient.\nRemote "
                              "host said: 550 5.1.1 <%s>... User unknown\n"
                              "Giving up on %s." % (r, ip, r, ip))
                events.append((r, "hard"))
            elif v < 0.85:
                blocks.append("<%s>:\nSorry, I couldn't find any host named "
                              "%s. (#5.1.2)" % (r, r.split("@")[1]))
                events.append((r, "hard"))
            else:
                blocks.append("<%s>:\n%s failed after I sent the message.\n"
                              "Remote host said: 552 5.2.2 Mailbox full\n"
                              % (r, ip))
                events.append((r, "soft"))
        text = (
            "Return-Path: <>\n"
            "Delivered-To: %s\n"
            "Received: (qmail %d invoked for bounce); %s\n"
            "Date: %s\n"
            "From: MAILER-DAEMON@%s\n"
            "To: %s\n"
            "Subject: failure notice\n\n"
            "Hi. This is the qmail-send program at %s.\n"
            "I'm afraid I wasn't able to deliver your message to the "
            "following addresses.\nThis is a permanent error; I've given "
            "up. Sorry it didn't work out.\n\n%s\n\n"
            "--- Below this line is a copy of the message.\n\n%s") % (
                m.to, rng.randint(1000, 99999), self.date(), self.date(),
                host, m.to, host, "\n\n".join(blocks), orig)
        return text, events

    def exchange(self, m):
        """exchange - an Exchange / Office 365 NDR"""
        rng = self.rng
        n = rng.randint(2, 3) if rng.random() < 0.2 else 1
        rcpts = self.addresses(n)
        self.verp(m, rcpts)
        dom0 = rcpts[0].split("@")[1]
        server = "%s%02dMB%04d.eurprd%02d.prod.outlook.example" % (
            rng.choice(("AM", "DB", "PA", "VI")), rng.randint(1, 9),
            rng.randrange(10000), rng.randint(1, 9))
        t0 = self.now - rng.randint(2, 300)
        orig, subj, msgid = self.original(rcpts, m.full, m.sender, t0)
        plain, html, recips, events = [], [], [], []
        for r in rcpts:
            user, dom = r.split("@")
            v = rng.random()
            if v < 0.6:
                reply = ("550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
                         "Recipient not found by SMTP address lookup")
                status, cls = "5.1.10", "hard"
                why = "%s wasn't found at %s." % (user, dom)
            elif v < 0.8:
                reply = ("550 5.4.1 Recipient address rejected: Access "
                         "denied. AS(201806281) [%s]" % server)
                status, cls = "5.4.1", "hard"
                why = "%s wasn't found at %s." % (user, dom)
            else:
                reply = ("554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:"
                         "QuotaExceededException.MapiExceptionShutoffQuota"
                         "Exceeded")
                status, cls = "5.2.2", "soft"
                why = "The recipient's mailbox is full and can't accept " \
                    "messages now."
            plain.append("%s\n%s\nRemote server returned '%s'" % (
                r, why, reply))
            html.append("<p><b>%s</b><br>%s<br>Remote server returned "
                        "'%s'</p>" % (r, why, reply))
            rec = ["Original-Recipient: rfc822;" + r,
                   "Final-Recipient: rfc822;" + r,
                   "Action: failed",
                   "Status: " + status,
                   "Diagnostic-Code: smtp;" + reply]
            if rng.random() < 0.5:
                rec.append("X-Display-Name: " + self.name())
            recips.append(rec)
            events.append((r, cls))
        plain_text = (
            "Your message couldn't be delivered to %s.\n\n%s\n\n"
            "Diagnostic information for administrators:\n\n"
            "Generating server: %s\n\n%s\n\nOriginal message headers "
            "are attached.\n" % (
                ", ".join(rcpts), "\n".join(e.split("\n")[1]
                                            for e in plain),
                server, "\n\n".join(plain)))
        html_text = (
            "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\""
            "text/html; charset=us-ascii\">\n<style>.body{font-family:"
            "'Segoe UI',sans-serif;font-size:14px;color:#333}</style>\n"
            "</head>\n<body>\n<div class=\"body\">\n<p>Your message to %s "
            "couldn't be delivered.</p>\n%s\n<p>Generating server: %s</p>\n"
            "</div>\n</body>\n</html>\n" % (
                ", ".join(rcpts), "\n".join(html), server))
        qp_plain = binascii.b2a_qp(plain_text.encode("ascii")).decode()
        qp_html = binascii.b2a_qp(html_text.encode("ascii")).decode()
        b = "_%s_" % self.token(30)
        b2 = "_%s_" % self.token(30)
        fields = ["Reporting-MTA: dns;" + server,
                  "Received-From-MTA: dns;out1." + LIST_HOST,
                  "Arrival-Date: " + self.date(t0)]
        text = (
            "Return-Path: <>\n"
            "Delivered-To: %s\n"
            "Received: from %s (2603:10a6:20b:%x::%x)\n\tby "
            "out1.%s with Microsoft SMTP Server (version=TLS1_2)\n\tid "
            "15.20.%d.%d; %s\n"
            "From: Microsoft Outlook <postmaster@%s>\n"
            "To: <%s>\n"
            "Date: %s\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            "\tboundary=\"%s\"\n"
            "X-MS-Exchange-Message-Is-Ndr:\n"
            "Content-Language: en-US\n"
            "Message-ID: <%s@%s>\n"
            "In-Reply-To: %s\n"
            "References: %s\n"
            "Subject: Undeliverable: %s\n"
            "Auto-Submitted: auto-replied\n"
            "MIME-Version: 1.0\n\n"
            "--%s\n"
            "Content-Type: multipart/alternative; differentiator=\"%s\";\n"
            "\tboundary=\"%s\"\n\n"
            "--%s\nContent-Type: text/plain; charset=\"us-ascii\"\n"
            "Content-Transfer-Encoding: quoted-printable\n\n%s\n"
            "--%s\nContent-Type: text/html; charset=\"us-ascii\"\n"
            "Content-Transfer-Encoding: quoted-printable\n\n%s\n"
            "--%s--\n\n"
            "--%s\n%s\n"
            "--%s\n%s\n"
            "--%s--\n") % (
                m.to, server, rng.randrange(65536), rng.randrange(65536),
                LIST_HOST, rng.randint(7000, 7999), rng.randint(10, 99),
                self.date(), dom0, m.to, self.date(), b,
                self.token(20), server, msgid, msgid, subj,
                b, self.token(32), b2,
                b2, qp_plain, b2, qp_html, b2,
                b, self.ds_part(fields, recips, m.b64),
                b, self.attach(orig, m.full, desc=False),
                b)
        return text, events

    def arf(self, m):
        """arf - an ARF abuse report from a feedback loop"""
        rng = self.rng
        r = self.address()
        fbl = "fbl.provider%d.example" % rng.randint(1, 6)
        t0 = self.now - rng.randint(600, 86400)
        m.full, m.b64 = True, False
        m.to = "fbl@" + LIST_HOST
        orig, subj, msgid = self.original([r], True, m.sender, t0)
        b = "----=_ARF_%s" % self.token(24)
        rcpt_to = "Original-Rcpt-To: <%s>\n" % r if rng.random() < 0.8 \
            else ""
        text = (
            "Return-Path: <>\n"
            "Delivered-To: %s\n"
            "From: Feedback Loop <feedback@%s>\n"
            "To: %s\n"
            "Subject: Abuse Report: %s\n"
            "Date: %s\n"
            "Message-ID: <%s@%s>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=feedback-report;\n"
            "\tboundary=\"%s\"\n\n"
            "This is a multi-part message in MIME format.\n\n"
            "--%s\n"
            "Content-Type: text/plain; charset=\"us-ascii\"\n"
            "Content-Transfer-Encoding: 7bit\n\n"
            "This is an email abuse report for an email message received "
            "from IP\n%s on %s.\nA user of this mailbox provider marked it "
            "as spam. The report is in\nthe Abuse Reporting Format of RFC "
            "5965.\n\n"
            "--%s\n"
            "Content-Type: message/feedback-report\n\n"
            "Feedback-Type: abuse\n"
            "User-Agent: ExampleFBL/2.1\n"
            "Version: 1\n"
            "Original-Mail-From: <%s>\n"
            "%s"
            "Arrival-Date: %s\n"
            "Reporting-MTA: dns; %s\n"
            "Source-IP: %s\n"
            "Reported-Domain: %s\n"
            "Authentication-Results: %s; dkim=pass header.d=%s;\n"
            "\tspf=pass smtp.mailfrom=%s\n\n"
            "--%s\n"
            "Content-Type: message/rfc822\n"
            "Content-Disposition: inline\n\n%s\n"
            "--%s--\n") % (
                m.to, fbl, m.to, subj, self.date(), self.token(16), fbl, b,
                b, OUR_IP, self.date(t0),
                b, m.sender, rcpt_to, self.date(t0), fbl, OUR_IP, LIST_HOST,
                fbl, LIST_HOST, LIST_HOST,
                b, orig, b)
        return text, [(r, "complaint")]

    def autoreply(self, m):
        """auto-reply - an out-of-office answer (RFC 3834)"""
        rng = self.rng
        r = self.address()
        self.verp(m, [r])
        m.full, m.b64 = False, False
        who = self.name()
        t0 = self.now - rng.randint(1, 120)
        subj = rng.choice(SUBJECTS)
        if "%d" in subj:
            subj = subj % rng.randint(2, 99)
        msgid = "<%s.%s@%s>" % (self.token(12), self.token(6), LIST_HOST)
        back = time.strftime("%B %d", time.gmtime(self.now + 86400 *
                                                  rng.randint(2, 20)))
        v = rng.random()
        if v < 0.2:
            # German, 8bit UTF-8
            subject = "=?utf-8?q?Abwesenheitsnotiz=3A?= %s" % subj
            cte = "8bit"
            text = ("Vielen Dank f\u00fcr Ihre Nachricht. Ich bin bis zum "
                    "%s nicht im B\u00fcro\nund habe nur eingeschr\u00e4nkt "
                    "Zugriff auf meine E-Mails.\n\nIn dringenden F\u00e4llen "
                    "wenden Sie sich bitte an office@%s.\n\n"
                    "Mit freundlichen Gr\u00fc\u00dfen\n%s\n"
                    % (back, r.split("@")[1], who))
        elif v < 0.45:
            subject = "Automatic reply: %s" % subj
            cte = "quoted-printable"
            raw = ("Thank you for your message. I am out of the office "
                   "until %s with limited access to e-mail. I will answer "
                   "when I am back; for urgent matters please write to "
                   "team@%s.\n\nBest regards,\n%s\n"
                   % (back, r.split("@")[1], who))
            text = binascii.b2a_qp(raw.encode("ascii")).decode()
        else:
            subject = rng.choice(("Out of Office: %s", "Auto: %s",
                                  "Re: %s [Auto-Reply]")) % subj
            cte = "7bit"
            text = ("Hello,\n\nI am away until %s and will read your "
                    "message when I return.\n\n%s\n" % (back, who))
        hdr = ["Return-Path: <>", "Delivered-To: " + m.to,
               "From: %s <%s>" % (who, r), "To: " + m.to,
               "Subject: " + subject, "Date: " + self.date(),
               "Message-ID: <%s@%s>" % (self.token(18), r.split("@")[1]),
               "In-Reply-To: " + msgid, "References: " + msgid]
        if rng.random() < 0.8:
            hdr.append(rng.choice(("Auto-Submitted: auto-replied",
                                   "Auto-Submitted: auto-replied (vacation)")))
        else:
            hdr.append("X-Autoreply: yes")
            hdr.append("Precedence: auto_reply")
        if rng.random() < 0.4:
            hdr.append("X-Auto-Response-Suppress: All")
        hdr += ["MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: " + cte]
        # the original quoted below, plain ASCII lines shorter than 76
        # characters without "=", so also valid quoted-printable
        if cte == "8bit":
            body = text + "\nAm %s schrieb\nExample Weekly <news@%s>:\n" % (
                self.date(t0), LIST_HOST)
        else:
            body = text + "\nOn %s,\nExample Weekly <news@%s> wrote:\n" % (
                self.date(t0), LIST_HOST)
        body += "\x00QUOTE\x00"
        return "\n".join(hdr) + "\n\n" + body, [(r, "auto-reply")]

    # --- one message

    def message(self, kind):
        """message - the text of one message of kind, and its events"""
        rng = self.rng
        self.serial += 1
        self.now += rng.randint(1, 40)

        m = Msg()
        m.full = rng.random() < 0.45
        m.b64 = rng.random() < 0.15
        target = rng.randint(MIN_SIZE, MAX_SIZE)

        if kind.startswith("postfix-"):
            text, events = self.postfix(m, kind[8:])
        elif kind == "sendmail":
            text, events = self.sendmail(m)
        elif kind == "exim":
            text, events = self.exim(m)
        elif kind == "qmail":
            text, events = self.qmail(m)
        elif kind == "exchange":
            text, events = self.exchange(m)
        elif kind == "arf":
            text, events = self.arf(m)
        else:
            text, events = self.autoreply(m)

        if "\x00QUOTE\x00" in text:
            room = max(0, target - len(text))
            text = text.replace("\x00QUOTE\x00", self.body(room, "> "))
        elif MARK in text:
            room = max(0, target - len(text))
            text = text.replace(MARK, self.body(room))
        if len(text) < MIN_SIZE:
            # a short one: it came over a few more hops
            extra = []
            while len(text) + sum(len(x) for x in extra) < MIN_SIZE:
                n = rng.randint(1, 9)
                extra.append(
                    "Received: from relay%d.mail.example (relay%d.mail."
                    "example [%s])\n\tby mx%d.%s (Postfix) with ESMTPS id "
                    "%s\n\tfor <%s>; %s\n" % (
                        n, n, self.ip(), rng.randint(1, 2), LIST_HOST,
                        self.token(10), m.to, self.date()))
            text = "".join(extra) + text
        return text, events, m


def escape_from(text):
    """escape_from - mboxo: a line beginning "From " becomes ">From " """
    if "\nFrom " in text:
        text = text.replace("\nFrom ", "\n>From ")
    return text


def pick(rng, table):
    """pick - a template name, by weight"""
    total = sum(w for _, w in table)
    x = rng.randrange(total)
    for name, w in table:
        if x < w:
            return name
        x -= w
    return table[-1][0]


def write(g, count, out, exp, counts, tally):
    """write - count messages to out in mboxo, their events to exp"""
    chunk, chunk_len = [], 0
    for _ in range(count):
        kind = pick(g.rng, TEMPLATES)
        text, events, m = g.message(kind)
        counts[kind] += 1
        tally["events"] += len(events)
        tally["multi"] += len(events) > 1
        tally["b64"] += m.b64
        tally["full"] += m.full
        tally["verp"] += m.verp
        text = escape_from(text)
        if not text.endswith("\n"):
            text += "\n"
        data = ("From MAILER-DAEMON %s\n%s\n" % (
            time.asctime(time.gmtime(g.now)), text)).encode("utf-8")
        tally["size"] += len(data)
        chunk.append(data)
        chunk_len += len(data)
        if chunk_len >= 1 << 20:
            out.write(b"".join(chunk))
            chunk, chunk_len = [], 0
        if exp:
            exp.write("".join("%s\t%s\n" % ev for ev in events))
    out.write(b"".join(chunk))


def main(argv):
    """main - parse the options, write the mailbox and the expectations"""
    ap = argparse.ArgumentParser(
        prog="genbounces.py",
        description="Write an mbox of synthetic bounce messages.")
    ap.add_argument("-n", "--count", type=int, default=10000,
                    help="number of messages (default 10000)")
    ap.add_argument("--seed", type=int, default=1,
                    help="random seed (default 1)")
    ap.add_argument("-o", "--output", metavar="FILE",
                    help="write the mbox to FILE (default: standard output)")
    ap.add_argument("--expect", metavar="FILE",
                    help="write one line per expected event, "
                    "recipient<TAB>class, to FILE")
    args = ap.parse_args(argv[1:])
    if args.count < 0:
        ap.error("-n must be 0 or more")

    try:
        out = open(args.output, "wb") if args.output else sys.stdout.buffer
        exp = open(args.expect, "w", encoding="ascii", newline="\n") \
            if args.expect else None
    except OSError as e:
        sys.stderr.write("genbounces: %s\n" % e)
        return 2

    g = Gen(args.seed)
    counts = {name: 0 for name, _ in TEMPLATES}
    tally = {"events": 0, "multi": 0, "b64": 0, "full": 0, "verp": 0,
             "size": 0}
    try:
        write(g, args.count, out, exp, counts, tally)
        out.flush()
        if args.output:
            out.close()
        if exp:
            exp.close()
    except BrokenPipeError:
        # the reader went away (| head): say nothing, fail
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 2
    except OSError as e:
        sys.stderr.write("genbounces: %s\n" % e)
        return 2

    sys.stderr.write(
        "genbounces: %d messages, %d events, %.1f MiB (seed %d): %s; "
        "multi-recipient %d, base64 DSN %d, original attached %d, VERP %d\n"
        % (args.count, tally["events"], tally["size"] / 1048576.0,
           args.seed,
           ", ".join("%s %d" % (k, counts[k]) for k, _ in TEMPLATES),
           tally["multi"], tally["b64"], tally["full"], tally["verp"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
