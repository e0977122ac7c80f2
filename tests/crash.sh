#!/bin/sh
# crash.sh - kill import and ingest at random points; fill the disk
#
# usage: sh tests/crash.sh BINARY [TRIALS]
#
# Crash safety.  A list of 40,000 rows and 60,000 dated events are
# imported and ingested once, uninterrupted: the reference.  Then, TRIALS
# times (default 5), into a fresh store: an import is started and killed
# with SIGKILL after a random pause within the time a whole import takes,
# `verify` must find the store sound, the import is run again to the end;
# the same for the ingest; and the store must verify and give the
# reference's export and suppression list, byte for byte.  A kill that
# came after the command ended does not count as a kill, and is said.
#
# A full disk.  With a file size limit (ulimit -f; listwarden ignores
# SIGXFSZ, so that a write fails with EFBIG as on a full disk) just above the
# store's size, an import, an ingest and an export each fail with exit
# status 4 and one message naming the file; the store still verifies
# and holds what it held; the earlier export file is intact and no
# temporary file is left beside it.
#
# An export stopped by SIGTERM or SIGHUP while its temporary file is open
# dies of the signal, leaves the earlier file intact and no temporary
# file: it is held open by a --removed FIFO that nobody reads yet.
#
# Prints a line per part and exits 0 when all held, 1 when not.
set -u
bin=$1
trials=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# fail - say what did not hold
fail() {
	echo "crash: FAIL $*"
	failed=1
}

# now_ms - milliseconds of the clock
now_ms() {
	date +%s%3N
}

awk 'BEGIN { print "email,name"
	for (i = 1; i <= 40000; i++) printf "user%05d@d%d.example.com,User %d\n",
	    i, i % 97, i }' >"$work/list.csv"
awk 'BEGIN { srand(7); print "email,status,diagnostic,timestamp,event_id"
	for (i = 1; i <= 60000; i++) {
		u = int(rand() * 50000) + 1
		r = rand()
		if (r < 0.3) s = "550 5.1.1,user unknown"
		else if (r < 0.8) s = "452 4.2.2,mailbox full"
		else s = "550 5.7.1,blocked using Spamhaus"
		printf "user%05d@d%d.example.com,%s,%d,e%d\n", u, u % 97, s,
		    1735689600 + int(rand() * 40) * 86400 + i, i
	} }' >"$work/events.csv"

# snapshot DB OUT - what the store holds, as a user sees it
snapshot() {
	"$bin" --db "$1" export big >"$2.export" 2>/dev/null &&
	    "$bin" --db "$1" suppressions >"$2.supp" 2>/dev/null
}

# The reference, and how long each command takes.
ref=$work/ref.db
"$bin" --db "$ref" init >/dev/null
t0=$(now_ms)
"$bin" --db "$ref" import big "$work/list.csv" >/dev/null 2>&1
t1=$(now_ms)
"$bin" --db "$ref" ingest "$work/events.csv" >/dev/null 2>&1
t2=$(now_ms)
snapshot "$ref" "$work/ref" || fail "the reference could not be made"
"$bin" --db "$ref" verify >/dev/null || fail "the reference does not verify"
timp=$((t1 - t0))
ting=$((t2 - t1))

# killrun DB SEED SPAN CMD... - start CMD, kill it after a pause of up to
# SPAN ms; sets killed to 1 when it was still running
killrun() {
	db=$1 seed=$2 span=$3
	shift 3
	pause=$(awk -v s="$seed" -v span="$span" \
	    'BEGIN { srand(s); printf "%.3f\n", rand() * span / 1000 }')
	"$bin" --db "$db" "$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$pause"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	killed=0
	[ "$rc" -eq 137 ] && killed=1
}

kimp=0
king=0
t=1
while [ "$t" -le "$trials" ]; do
	db=$work/t$t.db
	"$bin" --db "$db" init >/dev/null
	killrun "$db" "$$$t" "$timp" import big "$work/list.csv"
	kimp=$((kimp + killed))
	"$bin" --db "$db" verify >"$work/v.out" 2>&1 ||
	    fail "trial $t: after a kill during import: $(cat "$work/v.out")"
	"$bin" --db "$db" import big "$work/list.csv" >/dev/null 2>&1
	[ $? -le 1 ] || fail "trial $t: the import after the kill failed"
	killrun "$db" "$t$$" "$ting" ingest "$work/events.csv"
	king=$((king + killed))
	"$bin" --db "$db" verify >"$work/v.out" 2>&1 ||
	    fail "trial $t: after a kill during ingest: $(cat "$work/v.out")"
	"$bin" --db "$db" ingest "$work/events.csv" >/dev/null 2>&1
	[ $? -le 1 ] || fail "trial $t: the ingest after the kill failed"
	"$bin" --db "$db" verify >"$work/v.out" 2>&1 ||
	    fail "trial $t: at the end: $(cat "$work/v.out")"
	snapshot "$db" "$work/t"
	cmp -s "$work/t.export" "$work/ref.export" ||
	    fail "trial $t: the export differs from the uninterrupted run's"
	cmp -s "$work/t.supp" "$work/ref.supp" ||
	    fail "trial $t: the suppressions differ from the uninterrupted run's"
	rm -f "$db" "$db-lock"
	t=$((t + 1))
done
echo "crash: $trials trials, $kimp imports and $king ingests killed" \
    "part-way (of ${timp} ms and ${ting} ms); each store verified and" \
    "ended equal to the uninterrupted run"
[ "$kimp" -gt 0 ] && [ "$king" -gt 0 ] ||
    echo "crash: (a kill that came after the command ended is no kill)"

# limited DB BLOCKS CMD... - CMD under a file size limit
limited() {
	db=$1 blocks=$2
	shift 2
	(ulimit -f "$blocks"; exec "$bin" --db "$db" "$@") \
	    >"$work/out" 2>"$work/err"
}

# blocks DB - the limit just above the store's size, in ulimit's units
# (dash counts 512-octet blocks)
blocks() {
	echo $(( $(stat -c %s "$1") / 512 + 16 ))
}

# full PART FILE - the failed command's status and message
full() {
	[ "$rc" -eq 4 ] || fail "$1: exit status $rc, expected 4"
	[ "$(wc -l <"$work/err")" -eq 1 ] && grep -q "$2" "$work/err" ||
	    fail "$1: not one message naming $2: $(cat "$work/err")"
}

fdb=$work/full.db
"$bin" --db "$fdb" init >/dev/null
awk 'NR <= 2001' "$work/list.csv" >"$work/small.csv"
"$bin" --db "$fdb" import big "$work/small.csv" >/dev/null 2>&1
"$bin" --db "$fdb" ingest "$work/events.csv" >/dev/null 2>&1
snapshot "$fdb" "$work/f0"
limited "$fdb" "$(blocks "$fdb")" import big "$work/list.csv"
rc=$?
full "import on a full disk" "$fdb"
awk -F, 'NR > 1 { printf "%s,550 5.1.1,user unknown,1767225600,x%d\n", $1,
	NR }' "$work/list.csv" | sed '1i email,status,diagnostic,timestamp,event_id' \
    >"$work/more.csv"
limited "$fdb" "$(blocks "$fdb")" ingest "$work/more.csv"
rc=$?
full "ingest on a full disk" "$fdb"
"$bin" --db "$fdb" verify >"$work/v.out" 2>&1 ||
    fail "after the full disk: $(cat "$work/v.out")"
snapshot "$fdb" "$work/f1"
cmp -s "$work/f0.export" "$work/f1.export" &&
    cmp -s "$work/f0.supp" "$work/f1.supp" ||
    fail "the store changed though its writes failed"
echo "an earlier export" >"$work/earlier.csv"
cp "$work/earlier.csv" "$work/earlier.saved"
(ulimit -f 1; exec "$bin" --db "$fdb" export -o \
    "$work/earlier.csv" big) >"$work/out" 2>"$work/err"
rc=$?
full "export on a full disk" "$work/earlier.csv"
cmp -s "$work/earlier.csv" "$work/earlier.saved" ||
    fail "the earlier export file changed"
[ -z "$(ls "$work" | grep '^earlier\.csv\.')" ] ||
    fail "temporary files were left: $(ls "$work" | grep '^earlier\.csv\.')"
[ "$failed" = 0 ] || exit 1
echo "crash: a full disk during import, ingest and export: exit 4 with" \
    "the file named, the store verified and unchanged, the earlier" \
    "export intact"

# An export interrupted while its temporary file is open.  (SIGINT is
# not tried: a shell starts background commands with it ignored, and
# listwarden leaves an ignored signal ignored.)
for sig in TERM:15 HUP:1; do
	num=${sig#*:}
	sig=${sig%:*}
	rm -f "$work/fifo"
	mkfifo "$work/fifo"
	"$bin" --db "$ref" export -o "$work/earlier.csv" \
	    --removed "$work/fifo" big >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ -z "$(ls "$work" | grep '^earlier\.csv\.')" ] &&
	    [ "$i" -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	[ "$i" -lt 500 ] || fail "SIG$sig: no temporary file appeared"
	kill -"$sig" "$pid"
	wait "$pid" 2>/dev/null
	rc=$?
	[ "$rc" -eq $((128 + num)) ] ||
	    fail "SIG$sig: exit status $rc, not death by the signal"
	cmp -s "$work/earlier.csv" "$work/earlier.saved" ||
	    fail "SIG$sig: the earlier export file changed"
	[ -z "$(ls "$work" | grep '^earlier\.csv\.')" ] ||
	    fail "SIG$sig: a temporary file was left"
done
rm -f "$work/fifo"
[ "$failed" = 0 ] || exit 1
echo "crash: an export stopped by SIGTERM and by SIGHUP left the earlier" \
    "file intact and no temporary file"
