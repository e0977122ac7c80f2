#!/bin/sh
# test-pipe.sh - prove the Postfix path: a bounce piped in suppresses
#
# usage: sh contrib/postfix/test-pipe.sh BINARY
#
# Runs contrib/postfix/listwarden-pipe (next to this script) the way
# Postfix's pipe(8) does: the message on standard input, standard output
# and error together, an empty environment but for PATH (and SENDER and
# RECIPIENT, which local(8) exports for an alias; pipe(8) passes them as
# ${sender} and ${recipient} on the command line instead), in a working
# directory that is not the store's (/), the program executed directly.
# BINARY is found through PATH, as `listwarden`, by a symbolic link in
# the temporary directory.
#
# Steps, one line each:
#   1. a Postfix DSN (multipart/report, 5.1.1) for alice@example.net is
#      accepted with exit 0, then `check alice@example.net` exits 1 and
#      says "suppressed";
#   2. a plain message from bob@example.org, no bounce, is accepted with
#      exit 0, and `check bob@example.org` exits 0: not suppressed;
#   3. a store that is not there (--db in a directory that does not
#      exist) and a file that is not a store both give 75, EX_TEMPFAIL,
#      so Postfix keeps the message for later;
#   and every run of the wrapper prints at most one line.
#
# Every step runs; the script exits 1 when any failed, 2 on a usage or
# setup error, 0 when all passed.
set -u

prog=test-pipe

if [ $# -ne 1 ]; then
	echo "usage: sh contrib/postfix/test-pipe.sh BINARY" >&2
	exit 2
fi
case $1 in
/*) bin=$1 ;;
*) bin=$(pwd)/$1 ;;
esac
if [ ! -x "$bin" ]; then
	echo "$prog: $1: no executable listwarden there (run make first)" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
pipe=$here/listwarden-pipe
if [ ! -f "$pipe" ]; then
	echo "$prog: $pipe: missing" >&2
	exit 2
fi
if [ ! -x "$pipe" ]; then
	echo "$prog: $pipe: not executable; Postfix executes it directly" \
	    "(chmod +x it)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/listwarden-pipe.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

mkdir "$tmp/bin"
ln -s "$bin" "$tmp/bin/listwarden"
db=$tmp/store.db
failed=0

pass() {
	echo "$*"
}

fail() {
	echo "$prog: FAIL: $*" >&2
	failed=$((failed + 1))
}

# show - what a command printed, indented, for a failure message
show() {
	sed 's/^/    | /' "$1" >&2
}

# postfix_pipe SENDER DB MESSAGE - run the wrapper as pipe(8) would; the
# exit status in $rc, what it printed in $tmp/pipe.out
postfix_pipe() {
	(
		cd / &&
		    env -i PATH="$tmp/bin:/usr/bin:/bin" \
		    SENDER="$1" RECIPIENT=bounces@lists.example.com \
		    "$pipe" --db "$2" <"$3" >"$tmp/pipe.out" 2>&1
	)
	rc=$?
	lines=$(wc -l <"$tmp/pipe.out" | tr -d ' ')
	if [ "$lines" -gt 1 ]; then
		fail "listwarden-pipe printed $lines lines, at most 1 is allowed:"
		show "$tmp/pipe.out"
	fi
}

# check ADDRESS - `listwarden check`; exit status in $rc, output in
# $tmp/check.out
check() {
	"$bin" --db "$db" check "$1" >"$tmp/check.out" 2>&1
	rc=$?
}

# --- setup

if ! "$bin" --db "$db" init >"$tmp/init.out" 2>&1; then
	echo "$prog: listwarden init failed:" >&2
	show "$tmp/init.out"
	exit 2
fi
pass "setup: store created"

# --- a Postfix DSN for alice@example.net, as the list server gets it:
# pipe(8) with flags=R prepends Return-Path: <> (a bounce's null sender)

cat >"$tmp/bounce.eml" <<'EOF'
Return-Path: <>
Received: by mx.lists.example.com (Postfix)
	id 4QbW2n1XyzZ7; Tue,  3 Jun 2025 10:15:42 +0200 (CEST)
Date: Tue,  3 Jun 2025 10:15:42 +0200 (CEST)
From: MAILER-DAEMON@mx.lists.example.com (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@lists.example.com
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4QbW2n1XyzZ7.1748938542/mx.lists.example.com"
Content-Transfer-Encoding: 8bit
Message-Id: <20250603081542.4QbW2n1XyzZ7@mx.lists.example.com>

This is a MIME-encapsulated message.

--4QbW2n1XyzZ7.1748938542/mx.lists.example.com
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.lists.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<alice@example.net>: host mx1.example.net[192.0.2.25] said: 550 5.1.1
    <alice@example.net>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--4QbW2n1XyzZ7.1748938542/mx.lists.example.com
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.lists.example.com
X-Postfix-Queue-ID: 4QbW2n1XyzZ7
X-Postfix-Sender: rfc822; bounces@lists.example.com
Arrival-Date: Tue,  3 Jun 2025 10:15:40 +0200 (CEST)

Final-Recipient: rfc822; alice@example.net
Original-Recipient: rfc822;alice@example.net
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx1.example.net
Diagnostic-Code: smtp; 550 5.1.1 <alice@example.net>: Recipient address
    rejected: User unknown in virtual mailbox table

--4QbW2n1XyzZ7.1748938542/mx.lists.example.com
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <bounces@lists.example.com>
Received: by mx.lists.example.com (Postfix, from userid 1001)
	id 4QbW2n1XyzZ7; Tue,  3 Jun 2025 10:15:40 +0200 (CEST)
From: June Newsletter <news@lists.example.com>
To: alice@example.net
Subject: What's new in June
List-Unsubscribe: <mailto:unsubscribe@lists.example.com>
Message-Id: <20250603081540.4QbW2n1XyzZ7@lists.example.com>
Date: Tue,  3 Jun 2025 10:15:40 +0200 (CEST)

--4QbW2n1XyzZ7.1748938542/mx.lists.example.com--
EOF

postfix_pipe "" "$db" "$tmp/bounce.eml"
if [ "$rc" -eq 0 ]; then
	pass "pipe: bounce accepted (exit 0)"
else
	fail "pipe: bounce: exit $rc, expected 0:"
	show "$tmp/pipe.out"
fi

check alice@example.net
if [ "$rc" -eq 1 ] && grep -q suppressed "$tmp/check.out"; then
	pass "check: alice@example.net suppressed (exit 1)"
else
	fail "check alice@example.net: exit $rc, expected 1 and" \
	    "\"suppressed\" (is the bounce reader wired into ingest?):"
	show "$tmp/check.out"
fi

# --- a message that is no bounce: a reply from a person

cat >"$tmp/plain.eml" <<'EOF'
Return-Path: <bob@example.org>
Received: from mail.example.org (mail.example.org [198.51.100.7])
	by mx.lists.example.com (Postfix) with ESMTPS id 4QbW9c2KqrZ9
	for <bounces@lists.example.com>; Tue,  3 Jun 2025 11:02:10 +0200 (CEST)
From: Bob Example <bob@example.org>
To: bounces@lists.example.com
Subject: Re: What's new in June
Date: Tue, 3 Jun 2025 11:02:08 +0200
Message-Id: <f3a1c2d4-0b5e-4e77-9c1a-2d8e6b0a1c55@example.org>
In-Reply-To: <20250603081540.4QbW2n1XyzZ7@lists.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hello,

thanks for the newsletter. Could you send the next one to my work
address too? The mailbox full problem from last month is fixed.

Bob
EOF

postfix_pipe bob@example.org "$db" "$tmp/plain.eml"
if [ "$rc" -eq 0 ]; then
	pass "pipe: non-bounce accepted (exit 0)"
else
	fail "pipe: non-bounce: exit $rc, expected 0:"
	show "$tmp/pipe.out"
fi

check bob@example.org
if [ "$rc" -eq 0 ] && ! grep -q suppressed "$tmp/check.out"; then
	pass "check: bob@example.org not suppressed (exit 0)"
else
	fail "check bob@example.org: exit $rc, expected 0 and not" \
	    "\"suppressed\":"
	show "$tmp/check.out"
fi

# --- stores that cannot be used: Postfix must keep the message

postfix_pipe "" "$tmp/no-such-dir/store.db" "$tmp/bounce.eml"
if [ "$rc" -eq 75 ]; then
	pass "pipe: missing store deferred (exit 75)"
else
	fail "pipe: store in a directory that does not exist: exit $rc," \
	    "expected 75 (EX_TEMPFAIL):"
	show "$tmp/pipe.out"
fi

printf 'this is not an LMDB store\n' >"$tmp/not-a-store.db"
postfix_pipe "" "$tmp/not-a-store.db" "$tmp/bounce.eml"
if [ "$rc" -eq 75 ]; then
	pass "pipe: unusable store deferred (exit 75)"
else
	fail "pipe: a file that is not a store: exit $rc, expected 75" \
	    "(EX_TEMPFAIL):"
	show "$tmp/pipe.out"
fi

if [ "$failed" -gt 0 ]; then
	echo "$prog: $failed step(s) failed" >&2
	exit 1
fi
echo "$prog: all steps passed"
exit 0
