#!/bin/sh
# concurrency.sh - writers and readers at once, in separate processes
#
# usage: sh tests/concurrency.sh BINARY [ROUNDS]
#
# ROUNDS times (default 2): two imports and two ingests start at once on
# a fresh store, while readers loop until the writers are done: verify
# (each snapshot must hold: never half a batch, never a suppression
# without its event), export of each list (its old rows or its new ones,
# never a mixture: 0 or all of its rows), suppressions, stats and check.
# Every writer must end with exit status 0 or 1 (they queue, none fails
# for being second), every reader with 0 or 1, and the store must end
# equal to the same four commands run one after the other.
#
# Prints a line per round and exits 0 when all held, 1 when not.
set -u
bin=$1
rounds=${2:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

fail() {
	echo "concurrency: FAIL $*"
	failed=1
}

# Two lists, and two event files over their addresses.
awk 'BEGIN { print "email,name"
	for (i = 1; i <= 30000; i++) printf "a%05d@d%d.example.com,A %d\n", i,
	    i % 50, i }' >"$work/a.csv"
awk 'BEGIN { print "email,name"
	for (i = 1; i <= 20000; i++) printf "b%05d@d%d.example.net,B %d\n", i,
	    i % 50, i }' >"$work/b.csv"
for f in 1 2; do
	awk -v f="$f" 'BEGIN { srand(f); print "email,status,timestamp,event_id"
		for (i = 1; i <= 40000; i++) {
			p = rand() < 0.5 ? "a" : "b"
			u = int(rand() * 20000) + 1
			s = rand() < 0.4 ? "550 5.1.1" : "452 4.2.2"
			printf "%s%05d@d%d.example.%s,%s,%d,f%de%d\n", p, u,
			    u % 50, p == "a" ? "com" : "net", s,
			    1735689600 + int(rand() * 30) * 86400, f, i
		} }' >"$work/ev$f.csv"
done

# snapshot DB OUT - the lists and the suppression list
snapshot() {
	"$bin" --db "$1" export la >"$2.a" 2>/dev/null
	"$bin" --db "$1" export lb >"$2.b" 2>/dev/null
	"$bin" --db "$1" suppressions >"$2.supp" 2>/dev/null
}

# The serial result.
ser=$work/serial.db
"$bin" --db "$ser" init >/dev/null
"$bin" --db "$ser" import la "$work/a.csv" >/dev/null 2>&1
"$bin" --db "$ser" import lb "$work/b.csv" >/dev/null 2>&1
"$bin" --db "$ser" ingest "$work/ev1.csv" >/dev/null 2>&1
"$bin" --db "$ser" ingest "$work/ev2.csv" >/dev/null 2>&1
snapshot "$ser" "$work/ser"

# rows FILE - data rows of an export (its header apart), 0 when absent
rows() {
	if [ -s "$1" ]; then
		echo $(( $(wc -l <"$1") - 1 ))
	else
		echo 0
	fi
}

na=$(rows "$work/ser.a")
nb=$(rows "$work/ser.b")
r=1
while [ "$r" -le "$rounds" ]; do
	db=$work/r$r.db
	"$bin" --db "$db" init >/dev/null
	# The import of a list fills it before its ingest's suppressions
	# come in, or after: exports of la hold 0 rows (not yet), or all
	# 30,000 less those suppressed so far: never a part of the file.
	"$bin" --db "$db" import la "$work/a.csv" >/dev/null 2>&1 &
	w1=$!
	"$bin" --db "$db" ingest "$work/ev1.csv" >/dev/null 2>&1 &
	w2=$!
	"$bin" --db "$db" import lb "$work/b.csv" >/dev/null 2>&1 &
	w3=$!
	"$bin" --db "$db" ingest "$work/ev2.csv" >/dev/null 2>&1 &
	w4=$!
	reads=0
	while kill -0 "$w1" 2>/dev/null || kill -0 "$w2" 2>/dev/null ||
	    kill -0 "$w3" 2>/dev/null || kill -0 "$w4" 2>/dev/null; do
		"$bin" --db "$db" verify >"$work/v.out" 2>&1
		rc=$?
		# A store not yet made by init's commit is not ours to judge.
		[ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] ||
		    fail "round $r: verify during the writes: $(cat "$work/v.out")"
		"$bin" --db "$db" export la >"$work/x.a" 2>/dev/null
		rc=$?
		n=$(rows "$work/x.a")
		[ "$rc" -le 3 ] || fail "round $r: export exit status $rc"
		if [ "$rc" -eq 0 ] && { [ "$n" -gt 30000 ] ||
		    [ "$n" -lt "$na" ]; }; then
			fail "round $r: export of la held $n rows, between" \
			    "the old list and the new"
		fi
		"$bin" --db "$db" suppressions >/dev/null 2>&1 ||
		    fail "round $r: suppressions failed during the writes"
		"$bin" --db "$db" stats >/dev/null 2>&1 ||
		    fail "round $r: stats failed during the writes"
		"$bin" --db "$db" check a00001@d1.example.com >/dev/null 2>&1
		[ $? -le 1 ] || fail "round $r: check failed during the writes"
		reads=$((reads + 1))
	done
	for w in "$w1" "$w2" "$w3" "$w4"; do
		wait "$w"
		rc=$?
		[ "$rc" -le 1 ] || fail "round $r: a writer ended with $rc"
	done
	"$bin" --db "$db" verify >"$work/v.out" 2>&1 ||
	    fail "round $r: at the end: $(cat "$work/v.out")"
	snapshot "$db" "$work/con"
	for x in a b supp; do
		cmp -s "$work/con.$x" "$work/ser.$x" ||
		    fail "round $r: $x differs from the serial run's"
	done
	echo "concurrency: round $r: 4 writers, $reads rounds of 5 readers" \
	    "meanwhile; every snapshot verified, the end equal to the" \
	    "serial run ($na and $nb rows kept)"
	rm -f "$db" "$db-lock"
	r=$((r + 1))
done
[ "$failed" = 0 ]
