#!/bin/sh
# hostile.sh - inputs chosen to hurt, fed to the real binary
#
# usage: sh tests/hostile.sh BINARY
#
# Each case runs one command of the real CLI on an input made to hurt
# it: a 100 MB CSV field (and line), a million columns, 16 million
# empty fields, MIME nested 100000 deep, a million parts, three million
# header fields, 60 MB of base64, a message over the 64 MiB limit, a
# 10 MB header line, JSON nested 100000 deep, random bytes, NULs, an
# mbox of 100000 messages, a 5 MB log line.  A case passes when the
# command ends with an error or a result:
#
#   - its exit status is one the case allows (0 ok, 1 rows rejected,
#     3 data error; 4, a system error such as ENOMEM, is allowed by no
#     case), and no signal ended it;
#   - it took less than 60 s (timeout(1): status 124 is a failure);
#   - its peak resident set, as /usr/bin/time -f %M says, is within the
#     case's bound, while virtual memory is capped at 1 GiB (ulimit -v)
#     so that going past it fails an allocation rather than the machine;
#   - what it printed is not obviously wrong (the error names the file
#     and line, the record that should come out does);
#   - a store it used still opens (lists) and holds nothing but s.db
#     and s.db-lock beside it.
#
# Then the files' safety: init makes the store and its lock 0600; export
# -o and suppressions -o make OUT 0600 and leave no temporary file; an
# OUT that is a symbolic link is refused (src/cli/outfile.c), the file it
# names untouched, and nothing is ever made where a dangling link
# points.  (The cases accept a write through the link too, checked for
# safety, should that choice ever change.)
#
# An AddressSanitizer build (__asan_init is in the binary) runs
# without the virtual memory cap, which its shadow memory would break,
# with a looser bound on the peak (2 x bound + 512 MB: the quarantine
# and the shadow are no leak) that ASan itself enforces
# (hard_rss_limit_mb), and a sanitizer's report fails the case whatever
# the status.  Without /usr/bin/time (Debian's "time") the peak is not
# measured and the cap alone bounds memory.
#
# Prints a line per case, "hostile: NAME: exit 3 in 0.8 s, peak 21 MB",
# with the reasons of a failure after it, then "hostile: N passed, N
# failed"; exits 0 only when every case passed.  Inputs are made with
# awk, printf, head, tr, yes, sed, fold and base64 (no python) in a
# temporary directory removed at exit.  A run takes about 15 s on two
# busy cores, 45 s under ASan; the largest input is 100 MB on disk.
set -u
LC_ALL=C
export LC_ALL
umask 022

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: sh tests/hostile.sh BINARY" >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
passed=0
failed=0

tlimit=60			# seconds
vcap_kb=1048576			# 1 GiB of virtual memory
timer=/usr/bin/time
[ -x "$timer" ] || timer=""
asan=0
grep -q __asan_init "$bin" 2>/dev/null && asan=1
vcap=1
# shellcheck disable=SC3045  # ulimit -v: dash, bash and busybox have it
if [ "$asan" = 1 ] || ! (ulimit -v "$vcap_kb") 2>/dev/null; then
	vcap=0
fi
timeout=timeout
command -v timeout >/dev/null 2>&1 || timeout=""

note="peak resident set measured, virtual memory capped at 1 GiB"
[ "$vcap" = 0 ] && note="peak resident set measured, no virtual memory cap"
[ -z "$timer" ] && note="/usr/bin/time missing: peak not measured"
[ -z "$timer" ] && [ "$vcap" = 1 ] && note="$note, virtual memory capped at 1 GiB"
[ "$asan" = 1 ] && note="$note (ASan build: bounds loosened)"
[ -z "$timeout" ] && note="$note; timeout(1) missing: no time bound"
echo "hostile: $bin: $note"

# now - seconds since the epoch, with a fraction where date(1) gives one
now() {
	date +%s.%N
}

# fail - add a reason to the case's failure
fail() {
	why="${why:+$why; }$1"
}

# run BOUND_MB CODES ARGS... - run the binary, its input /dev/null, under
# the caps: peak BOUND_MB, an exit status in CODES; set rc, what, why
run() {
	bound=$1 codes=$2
	shift 2
	why=""
	rm -f "$work/time"
	lim=$bound
	[ "$asan" = 1 ] && lim=$((bound * 2 + 512))
	t0=$(now)
	(
		# shellcheck disable=SC3045
		[ "$vcap" = 1 ] && ulimit -v "$vcap_kb"
		if [ "$asan" = 1 ]; then
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$lim"
			export ASAN_OPTIONS
		fi
		if [ -n "$timer" ]; then
			exec "$timer" -f '%M %e' -o "$work/time" \
			    $timeout ${timeout:+-k 5 $tlimit} "$bin" "$@"
		fi
		exec $timeout ${timeout:+-k 5 $tlimit} "$bin" "$@"
	) </dev/null >"$work/out" 2>"$work/err"
	rc=$?
	t1=$(now)
	kb="" secs=""
	if [ -n "$timer" ] && [ -s "$work/time" ]; then
		# Its last line; a line before says how the command ended.
		kb=$(awk 'END { print $1 }' "$work/time")
		secs=$(awk 'END { print $2 }' "$work/time")
	fi
	[ -n "$secs" ] || secs=$(awk -v a="$t0" -v b="$t1" \
	    'BEGIN { printf "%.1f", b - a }')
	if [ "$rc" -eq 124 ] && [ -n "$timeout" ]; then
		what="timed out"
		fail "took more than $tlimit s"
	elif [ "$rc" -gt 128 ]; then
		what="signal $((rc - 128))"
		fail "killed by signal $((rc - 128))"
	else
		what="exit $rc"
		case " $codes " in
		*" $rc "*) ;;
		*)	fail "exit status $rc, expected $(echo "$codes" |
			    sed 's/ / or /g')" ;;
		esac
	fi
	what="$what in $secs s"
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
	    -e 'runtime error:' -e 'rss limit exhausted' "$work/err"; then
		fail "sanitizer report: $(grep -m 1 -e ERROR: -e 'runtime error:' \
		    -e 'rss limit exhausted' "$work/err")"
	fi
	if [ -n "$kb" ]; then
		mb=$(( (kb + 1023) / 1024 ))
		what="$what, peak $mb MB"
		[ "$mb" -le "$lim" ] || fail "peak $mb MB over the $lim MB bound"
	fi
	if grep -q -e 'Cannot allocate memory' -e 'out of memory' \
	    "$work/err"; then
		fail "ran out of memory: $(grep -m 1 -e 'Cannot allocate' \
		    -e 'out of memory' "$work/err")"
	fi
}

# need_err TEXT / need_out TEXT - standard error (output) holds TEXT
need_err() {
	grep -q -F -e "$1" "$work/err" || fail "no '$1' on standard error"
}
need_out() {
	grep -q -F -e "$1" "$work/out" || fail "no '$1' on standard output"
}

# others DIR NAME... - the names in DIR other than NAME..., on one line
others() {
	dir=$1
	shift
	list=""
	for p in "$dir"/* "$dir"/.[!.]* "$dir"/..?*; do
		[ -e "$p" ] || [ -L "$p" ] || continue
		case " $* " in
		*" ${p##*/} "*) ;;
		*)	list="$list ${p##*/}" ;;
		esac
	done
	echo "${list# }"
}

# need_store DIR - the store in DIR opens, with nothing left beside it
need_store() {
	"$bin" --db "$1/s.db" lists >"$work/lists" 2>"$work/lists.err"
	lrc=$?
	[ "$lrc" -eq 0 ] || fail "the store no longer opens (lists: exit $lrc:" \
	    "$(head -n 1 "$work/lists.err"))"
	left=$(others "$1" s.db s.db-lock)
	[ -z "$left" ] || fail "left beside the store: $left"
}

# need_list DIR NAME ROWS - lists shows NAME with ROWS rows
need_list() {
	awk -F '\t' -v n="$2" -v r="$3" '$1 == n && $2 == r { f = 1 }
	    END { exit !f }' "$work/lists" ||
	    fail "list '$2' has not $3 rows: $(tr '\n\t' '  ' <"$work/lists")"
}

# lack_list NAME - lists (after need_store) does not show NAME
lack_list() {
	! awk -F '\t' -v n="$1" '$1 == n { f = 1 } END { exit !f }' \
	    "$work/lists" || fail "list '$1' was stored"
}

# verdict NAME - print the case's line and count it
verdict() {
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "hostile: $1: $what"
	else
		failed=$((failed + 1))
		echo "hostile: $1: $what: FAILED: $why"
		if [ -s "$work/err" ]; then
			head -c 600 "$work/err" | head -n 4 | sed 's/^/    | /'
		fi
	fi
}

# check NAME REASON - a case without a run: passes when REASON is empty
check() {
	why=$2
	what=${3:-ok}
	verdict "$1"
}

# newstore DIR - a fresh store in DIR
newstore() {
	rm -rf "$1"
	mkdir -p "$1"
	"$bin" --db "$1/s.db" init >/dev/null 2>&1
}

# random N - N pseudo-random octets, the same each run on one awk
random() {
	awk -v n="$1" 'BEGIN { srand(20261129)
	    for (i = 0; i < n; i++) printf "%c", int(rand() * 256) }'
}

d=$work/db
in=$work/in
newstore "$d"

# ---- 1. a CSV field of 100 MB (csvio's limit: LW_CSV_FIELD_MAX, 16 MiB)
{
	printf 'email,name\n"a@example.com","'
	head -c 104857600 /dev/zero | tr '\0' x
	printf '"\nb@example.com,bob\n'
} >"$in.field.csv"
run 64 3 validate --column email "$in.field.csv"
need_err "field.csv:2:"
verdict csv-field-100mb
run 64 "1 3" --db "$d/s.db" import big "$in.field.csv"
need_err "field.csv:2:"
need_store "$d"
lack_list big
verdict csv-field-100mb-import
run 64 "1 3" ingest --dry-run "$in.field.csv"
need_err "field.csv:2:"
verdict csv-field-100mb-ingest
rm -f "$in.field.csv"

# The same length on one line, unquoted, where one address per line is
# read: a line is no record, and need not be held whole either.
{
	head -c 104857600 /dev/zero | tr '\0' x
	printf '\na@example.com\n'
} >"$in.line.txt"
run 64 "1 3" validate "$in.line.txt"
verdict line-100mb-validate
rm -f "$in.line.txt"

# ---- 2. a header of a million columns, and a row of as many fields
awk 'BEGIN { printf "email"
	for (i = 1; i < 1000000; i++) printf ",c%d", i
	printf "\na@example.com"
	for (i = 1; i < 1000000; i++) printf ","
	printf "\n" }' >"$in.wide.csv"
run 256 0 validate --column email "$in.wide.csv"
need_out "a@example.com"
verdict csv-header-1m-columns
run 256 0 --db "$d/s.db" import wide "$in.wide.csv"
need_store "$d"
need_list "$d" wide 1
verdict csv-header-1m-columns-import
rm -f "$in.wide.csv"

# 16 million empty fields in one 16 MiB record: over LW_CSV_FIELDS_MAX
# (a million and some), a data error naming the line, in bounded memory.
{
	printf 'email'
	head -c 16777200 /dev/zero | tr '\0' ,
	printf '\na@example.com\n'
} >"$in.empty.csv"
run 128 3 validate --column email "$in.empty.csv"
need_err "empty.csv:1:"
verdict csv-16m-empty-fields
rm -f "$in.empty.csv"

# ---- 3. MIME nested 100000 deep (mail.h: LW_MAIL_DEPTH_MAX is 32)
bounce_head='From: MAILER-DAEMON@example.com
To: bounces@example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0'
awk -v n=100000 -v h="$bounce_head" 'BEGIN {
	printf "%s\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n", h
	for (i = 1; i < n; i++)
		printf "--b%d\nContent-Type: multipart/mixed; " \
		    "boundary=\"b%d\"\n\n", i - 1, i
	printf "--b%d\nContent-Type: text/plain\n\n" \
	    "<u@example.org>: 550 5.1.1 user unknown\n", n - 1
	for (i = n - 1; i >= 0; i--) printf "--b%d--\n", i }' >"$in.nest.eml"
run 256 "0 1" ingest --dry-run --json "$in.nest.eml"
need_out '{"file":'
verdict mime-nested-100k
rm -f "$in.nest.eml"

# ---- 4. a million small parts (LW_MAIL_PARTS_MAX is 1000)
awk -v n=1000000 -v h="$bounce_head" 'BEGIN {
	printf "%s\nContent-Type: multipart/mixed; boundary=\"b\"\n\n", h
	printf "--b\nContent-Type: text/plain\n\n" \
	    "<u@example.org>: 550 5.1.1 user unknown\n"
	for (i = 1; i < n; i++) printf "--b\n\nx\n"
	printf "--b--\n" }' >"$in.parts.eml"
run 512 "0 1" ingest --dry-run --json "$in.parts.eml"
need_out '{"file":'
verdict mime-parts-1m
# The same with CR line ends, which are lines to GMime too: the bound
# must count them as lines.
tr '\n' '\r' <"$in.parts.eml" >"$in.parts-cr.eml"
run 512 "0 1" ingest --dry-run --json "$in.parts-cr.eml"
need_out '{"file":'
verdict mime-parts-1m-cr
rm -f "$in.parts.eml" "$in.parts-cr.eml"

# Three million header fields ("A:"), 9 MB: each is an object to GMime,
# so the message is cut at LW_MAIL_FIELDS_MAX (100,000) such lines
# before GMime sees it (mail.h, LIMITS): what follows is not read.
awk 'BEGIN { printf "From: MAILER-DAEMON@example.com\n"
	for (i = 0; i < 3000000; i++) printf "A:\n"
	printf "\n<u@example.org>: 550 5.1.1 user unknown\n" }' >"$in.fields.eml"
run 512 0 ingest --dry-run --json "$in.fields.eml"
need_out '"class":"not-a-bounce"'
verdict mail-header-fields-3m
rm -f "$in.fields.eml"

# ---- 5. a delivery-status part of 60 MB of base64 (45 MB decoded), and
# a message just over the 64 MiB limit (LW_EVENT_DOC_MAX)
{
	printf '%s\nContent-Type: multipart/report; ' "$bounce_head"
	printf 'report-type=delivery-status; boundary="b"\n\n'
	printf -- '--b\nContent-Type: text/plain\n\nDelivery failed.\n\n'
	printf -- '--b\nContent-Type: message/delivery-status\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	{
		printf 'Reporting-MTA: dns; mx.example.com\n\n'
		printf 'Final-Recipient: rfc822; user@example.org\n'
		printf 'Action: failed\nStatus: 5.1.1\n'
		printf 'Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n'
		yes 'X-Padding: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' |
		    head -c 45000000
	} | base64 -w 76
	printf -- '\n--b--\n'
} >"$in.b64.eml"
run 512 0 ingest --dry-run --json "$in.b64.eml"
need_out '"recipient":"user@example.org"'
verdict mail-base64-60mb
rm -f "$in.b64.eml"

{
	printf '%s\n\n' "$bounce_head"
	yes 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' |
	    head -c 67108864
} >"$in.big.eml"
run 256 1 ingest --dry-run --json "$in.big.eml"
need_err "big.eml:1: too-long"
verdict mail-over-64mib
rm -f "$in.big.eml"

# ---- 6. a header line of 10 MB
{
	printf 'From: MAILER-DAEMON@example.com\nTo: bounces@example.com\n'
	printf 'Subject: '
	head -c 10485760 /dev/zero | tr '\0' x
	printf '\nMIME-Version: 1.0\n\n<u@example.org>: 550 5.1.1 user unknown\n'
} >"$in.hdr.eml"
run 256 0 ingest --dry-run --json "$in.hdr.eml"
need_out '"recipient":"u@example.org"'
verdict mail-header-10mb
rm -f "$in.hdr.eml"

# ---- 7. JSON nested 100000 deep
awk 'BEGIN { n = 100000
	printf "{\"notificationType\":\"Bounce\",\"x\":"
	for (i = 0; i < n; i++) printf "{\"a\":"
	printf "1"
	for (i = 0; i < n; i++) printf "}"
	printf "}\n{\"email\":\"u@example.org\",\"type\":\"bounce\"}\n" }' \
    >"$in.deep.json"
run 64 1 ingest --dry-run --format ses "$in.deep.json"
need_err "deep.json:1:"
verdict json-nested-100k-ses
run 64 1 ingest --dry-run --json --format jsonl "$in.deep.json"
need_err "deep.json:1: bad-json"
need_out '"recipient":"u@example.org"'
verdict json-nested-100k-jsonl
# A top-level array opened 100000 times, one per line, never closed.
awk 'BEGIN { for (i = 0; i < 100000; i++) print "[" }' >"$in.open.json"
run 64 1 ingest --dry-run --format ses "$in.open.json"
verdict json-array-100k-open-ses
rm -f "$in.deep.json" "$in.open.json"

# ---- 8. invalid UTF-8 everywhere: a megabyte of random bytes
random 1000000 >"$in.rnd"
# As a CSV of addresses (quotes and commas gone, so every row is read),
# with one good row at the end.
{
	printf 'email,name\n'
	tr -d '",\r\000' <"$in.rnd" | sed 's/$/,n/'
	printf '\ngood@example.com,n\n'
} >"$in.rnd.csv"
# As a message's body, and as JSON lines' strings.
{
	printf '%s\n\n' "$bounce_head"
	cat "$in.rnd"
} >"$in.rnd.eml"
tr -d '"\\\r\n\000' <"$in.rnd" | fold -b -w 200 |
    sed 's/.*/{"email":"&@example.org","type":"bounce","diagnostic":"&"}/' \
    >"$in.rnd.jsonl"

run 64 "1 3" validate "$in.rnd"
verdict utf8-random-validate
run 64 1 validate --column email "$in.rnd.csv"
need_out "good@example.com"
verdict utf8-random-validate-csv
run 64 "1 3" --db "$d/s.db" ingest "$in.rnd"
need_store "$d"
verdict utf8-random-ingest
run 64 "0 1" --db "$d/s.db" ingest --format mail "$in.rnd"
need_store "$d"
verdict utf8-random-ingest-mail
run 64 "0 1" --db "$d/s.db" ingest "$in.rnd.eml"
need_store "$d"
verdict utf8-random-ingest-message
run 64 1 --db "$d/s.db" ingest "$in.rnd.jsonl"
need_store "$d"
verdict utf8-random-ingest-jsonl
run 64 "1 3" --db "$d/s.db" import rndraw "$in.rnd"
need_store "$d"
lack_list rndraw
verdict utf8-random-import
run 64 1 --db "$d/s.db" import rnd "$in.rnd.csv"
need_store "$d"
need_list "$d" rnd 1
verdict utf8-random-import-csv
rm -f "$in.rnd" "$in.rnd.csv" "$in.rnd.eml" "$in.rnd.jsonl"

# ---- 9. NUL bytes in CSV fields, JSON lines and messages
printf 'email,name\na\000b@example.com,x\ngood@example.com,y\n"c@example.com\000",z\n' \
    >"$in.nul.csv"
{
	printf '{"email":"a@example.com","type":"bounce","status":"5.1.1"}\n'
	printf '{"email":"b\000@example.com","type":"bounce","status":"5.1.1"}\n'
	printf '{"email":"c@example.com","type":"bounce","status":"5.1.1"}\000\n'
	printf '{"email":"d@example.com","type":"bounce","diagnostic":"550\\u0000 x"}\n'
} >"$in.nul.jsonl"
{
	printf 'From: MAILER-DAEMON@example.com\nTo: bounces@exa\000mple.com\n'
	printf 'Subject: Undelivered Mail\000 Returned to Sender\n\n'
	printf '<u@example.org>: 550 5.1.1 user unknown\n'
	printf '<v\000@example.org>: 550 5.1.1 user\000 unknown\n'
} >"$in.nul.eml"
run 64 1 validate --column email "$in.nul.csv"
need_out "good@example.com"
verdict nul-csv-validate
run 64 "1 3" --db "$d/s.db" import nul "$in.nul.csv"
need_err "nul.csv:2:"
need_store "$d"
verdict nul-csv-import
run 64 1 --db "$d/s.db" ingest "$in.nul.jsonl"
need_err "2 recorded"
need_store "$d"
verdict nul-jsonl-ingest
run 64 "0 1" --db "$d/s.db" ingest "$in.nul.eml"
need_err "1 recorded"
need_store "$d"
verdict nul-message-ingest
rm -f "$in.nul.csv" "$in.nul.jsonl" "$in.nul.eml"

# ---- 10. an mbox of 100000 tiny bounces, into a store
awk 'BEGIN { for (i = 0; i < 100000; i++)
	printf "From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" \
	    "From: MAILER-DAEMON@example.com\n" \
	    "Subject: Undelivered Mail Returned to Sender\n" \
	    "Message-ID: <m%d@example.com>\n\n" \
	    "<u%d@example.org>: 550 5.1.1 user unknown\n\n", i, i }' \
    >"$in.tiny.mbox"
newstore "$d"
run 256 0 --db "$d/s.db" ingest "$in.tiny.mbox"
need_err "100000 recorded"
need_store "$d"
verdict mbox-100k
rm -f "$in.tiny.mbox"

# ---- 11. a Postfix log line of 5 MB, then a good one
pf='2025-06-02T08:00:02.118734+00:00 mx1 postfix/smtp[2207]: 3B9F21C0A1: to=<alice@example.net>, relay=mx.example.net[192.0.2.21]:25, delay=0.72, delays=0.02/0.01/0.31/0.38, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.21] said: 550 5.1.1 user unknown'
{
	printf '%s ' "$pf"
	head -c 5242880 /dev/zero | tr '\0' x
	printf ')\n%s)\n' "$pf"
} >"$in.long.log"
run 64 1 ingest --dry-run --json --format postfix-log "$in.long.log"
need_err "long.log:1: too-long"
need_out '"recipient":"alice@example.net"'
verdict postfix-log-5mb
rm -f "$in.long.log"

# ---- files: modes, temporary files, symbolic links
f=$work/files
newstore "$f"
mkdir -p "$f.out" "$f.target"
why=""
for x in s.db s.db-lock; do
	m=$(stat -c %a "$f/$x" 2>/dev/null)
	[ "$m" = 600 ] || fail "$x is ${m:-missing}, not 600"
done
check init-modes "$why" \
    "s.db $(stat -c %a "$f/s.db"), s.db-lock $(stat -c %a "$f/s.db-lock")"
printf 'email\na@example.com\nb@example.com\n' >"$in.list.csv"
"$bin" --db "$f/s.db" import L "$in.list.csv" >/dev/null 2>&1
"$bin" --db "$f/s.db" suppress b@example.com >/dev/null 2>&1

# mode_of FILE - its permission bits, or "missing"
mode_of() {
	stat -c %a "$1" 2>/dev/null || echo missing
}
# only_in DIR NAME... - DIR holds nothing but NAME...
only_in() {
	left=$(others "$@")
	[ -z "$left" ] || fail "left in $(basename "$1"): $left"
}

o=$f.out
run 64 0 --db "$f/s.db" export -o "$o/list.csv" L
[ "$(mode_of "$o/list.csv")" = 600 ] ||
    fail "OUT is $(mode_of "$o/list.csv"), not 600"
grep -q -x a@example.com "$o/list.csv" || fail "OUT lacks a@example.com"
only_in "$o" list.csv
verdict export-out-0600
run 64 0 --db "$f/s.db" suppressions -o "$o/supp.csv"
[ "$(mode_of "$o/supp.csv")" = 600 ] ||
    fail "OUT is $(mode_of "$o/supp.csv"), not 600"
grep -q b@example.com "$o/supp.csv" || fail "OUT lacks b@example.com"
only_in "$o" list.csv supp.csv
verdict suppressions-out-0600
# An OUT there already, 0644: replaced by a 0600 file.
rm -f "$o/list.csv"
echo old >"$o/list.csv"
chmod 644 "$o/list.csv"
run 64 0 --db "$f/s.db" export -o "$o/list.csv" L
[ "$(mode_of "$o/list.csv")" = 600 ] ||
    fail "OUT is $(mode_of "$o/list.csv"), not 600"
only_in "$o" list.csv supp.csv
verdict export-over-0644
# OUT a link to a file elsewhere.  Either is safe: written through (the
# file it names replaced, 0600, the link kept) or refused (an error
# naming OUT, the file untouched).  The line says which.
t=$f.target
echo old >"$t/named.csv"
chmod 644 "$t/named.csv"
ln -s ../"$(basename "$t")"/named.csv "$o/link.csv"

# through_or_refused WANT - judge a run whose OUT is $o/link.csv
through_or_refused() {
	[ -L "$o/link.csv" ] || fail "the link is gone"
	case $rc in
	0)	what="$what, written through"
		grep -q -e "$1" "$t/named.csv" ||
		    fail "the file it names was not written"
		m=$(mode_of "$t/named.csv")
		[ "$m" = 600 ] || fail "the file it names is $m, not 600" ;;
	*)	what="$what, refused"
		need_err "link.csv"
		if [ "$(cat "$t/named.csv")" != old ] ||
		    [ "$(mode_of "$t/named.csv")" != 644 ]; then
			fail "refused, yet the file it names was changed"
		fi ;;
	esac
	only_in "$o" list.csv supp.csv link.csv
	only_in "$t" named.csv
}
run 64 "0 2 3 4" --db "$f/s.db" export -o "$o/link.csv" L
through_or_refused a@example.com
verdict export-out-symlink
run 64 "0 2 3 4" --db "$f/s.db" suppressions -o "$o/link.csv"
through_or_refused b@example.com
verdict suppressions-out-symlink
# A dangling link: nothing may be made where it points.  The link is
# refused, or replaced by a 0600 file.
ln -s ../"$(basename "$t")"/absent.csv "$o/dangling.csv"
run 64 "0 2 3 4" --db "$f/s.db" export -o "$o/dangling.csv" L
[ ! -e "$t/absent.csv" ] || fail "the file a dangling link names was made"
if [ "$rc" -eq 0 ]; then
	what="$what, the link replaced"
	if [ -L "$o/dangling.csv" ] ||
	    [ "$(mode_of "$o/dangling.csv")" != 600 ]; then
		fail "OUT is no 0600 file"
	fi
else
	what="$what, refused"
	[ -L "$o/dangling.csv" ] || fail "refused, yet the link is gone"
fi
only_in "$o" list.csv supp.csv link.csv dangling.csv
only_in "$t" named.csv
verdict export-out-dangling-symlink

echo "hostile: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
