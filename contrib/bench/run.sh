#!/usr/bin/env bash
#
# run.sh - time listwarden against the tools people use instead
#
# NAME
#	run.sh - the body of `make bench`
#
# SYNOPSIS
#	run.sh BINARY BUILD_DIR [N]
#
# DESCRIPTION
#	Builds BUILD_DIR/genaddr from genaddr.c (with ${CC:-cc} -O2) when it
#	is missing or older than its source.  N (default: $BENCH_ROWS, else
#	1000000) is the size of every input.  Inputs are generated with seed
#	1 and kept: BUILD_DIR/bench-addresses.txt (N addresses),
#	BUILD_DIR/bench-list.csv (a header and N rows, `genaddr --csv`),
#	BUILD_DIR/bench-store-list.csv (the same rows and more, L in all,
#	to hold N distinct valid addresses: `genaddr --store-list`),
#	BUILD_DIR/bench-events.csv ($BENCH_EVENTS, else N, events over the
#	store list's addresses: `genaddr --events`) and
#	BUILD_DIR/bench-lookups.txt (N addresses, ~90% of them on the store
#	list: `genaddr --lookups`), each with a .stamp naming the
#	generator's checksum, its arguments and the size, so the next run
#	reuses them while those are unchanged, and what genaddr said of it
#	(a summary of the mix, for events and lookups).
#
#	validate.  Times `BINARY validate FILE > /dev/null`, best of 3 runs
#	by wall clock.  Exit status 1 from it means some addresses were
#	invalid, which they are; anything above 1 is a failure.  Then runs
#	baseline.py, which validates the same file with
#	python-email-validator under /usr/bin/python3, once.  Prints a table
#	of times, rates and ratio.  Standard error of each validate run goes
#	to BUILD_DIR/bench-validate.err.
#
#	import.  On bench-list.csv: `BINARY import` into a fresh store (a
#	new `init` before each run, not timed; exit status 0 or 1 is
#	success); the shell user's de-duplication (the email column cut out,
#	CSV quotes taken off, `LC_ALL=C sort -u -f`); and sqlite3's .import
#	into a fresh database (schema created before each run, not timed)
#	whose table has a UNIQUE index on email COLLATE NOCASE, which makes
#	sqlite3 skip, and report on standard error, each duplicate row.
#	sqlite3 runs with its default pragmas.  The exact commands are
#	printed under the table.
#
#	export.  `BINARY export -o OUT` of the list just imported, and
#	sqlite3 writing its table as CSV with a header, in rowid order.
#
#	ingest.  A store is made once, not timed: `init`, then `import` of
#	bench-store-list.csv, so it holds at least N addresses.  Each run
#	starts from a copy of it (cp --sparse=always, then sync, not timed)
#	and times `BINARY --db STORE ingest bench-events.csv` (exit status 0
#	or 1 is success), which also keeps the event log.  Against it,
#	sqlite3 with its default pragmas, from a copy of a database made
#	once of the same list's addresses (a table addresses: email PRIMARY
#	KEY COLLATE NOCASE, soft_count, suppressed), `.import`s the events
#	into a temporary table and applies them with one INSERT ... SELECT
#	... ON CONFLICT DO UPDATE, an UPSERT per event in file order, in one
#	transaction: soft bounces (4.2.x) bump soft_count, and 5.1.x, a
#	complaint, an unsubscribe or a third soft bounce set suppressed.  It
#	keeps no event log.  The goal is 2x sqlite3.  Without an ingest
#	command (`BINARY help ingest` fails) only sqlite3 is measured.
#
#	suppressions.  A store of N hard bounces to N distinct addresses
#	(made once, not timed); `BINARY suppressions -o OUT` (the native CSV)
#	against sqlite3 writing the same rows as CSV from a table, and
#	`BINARY suppressions --format sha256 -o OUT` against a python3
#	hashlib loop over the same keys (whose digests must match).
#
#	check.  `BINARY --db STORE check - < bench-lookups.txt > /dev/null`
#	on the store as ingest left it (exit status 0 or 1 is success),
#	against sqlite3 `.import`ing the same addresses into a temporary
#	table and writing each with its suppressed flag, by a LEFT JOIN on
#	its database as its ingest left it, to /dev/null.  Without a check
#	command only sqlite3 is measured.  The exact commands and SQL of
#	both sections are printed under their tables.
#
#	bounce messages.  An mbox of $BENCH_MESSAGES (default 10000)
#	generated bounces (contrib/bench/genbounces.py: DSNs of Postfix,
#	Sendmail and Exchange, Exim and qmail bounces in words, ARF
#	complaints, auto-replies; made once and kept, with the events it
#	holds in BUILD_DIR/bench-bounces.expect), read by `BINARY ingest
#	--dry-run --json --format mbox`, against Sisimai (Debian
#	libsisimai-perl) parsing the same mbox; listwarden's records must
#	be the generator's events.  Then, when $BENCH_SHARED/data/bounces
#	(default ../shared) is there, its files.txt read $BENCH_PASSES
#	times (default 10) in one process each by both.  The goal is 20x.
#
#	Each measurement is the best of 3 runs by wall clock, or 1 run when
#	the first takes longer than $BENCH_SLOW seconds (default 20); the
#	table says which.  Peak RSS comes from GNU time (/usr/bin/time, %M:
#	for a pipeline, the largest process in it); without it RSS is
#	skipped.  Peak RSS of import and export is also kept in
#	BUILD_DIR/bench-rss-N.txt, and those of other list sizes are
#	printed beside it, to show whether memory grows with the list.
#
#	Single-threaded commands are pinned to CPU $BENCH_CPU (default 0)
#	with taskset when it is there and allowed.  `BINARY import` reads on
#	one thread while it stores on another, and the sort baseline is a
#	pipeline of three processes, so both run unpinned, on all cores,
#	unless $BENCH_PIN_IMPORT is 1 (then both are pinned).  `BINARY
#	ingest` works on one thread, and is pinned.
#	Temporary files of sort and sqlite3 go to BUILD_DIR/bench-tmp
#	(TMPDIR, SQLITE_TMPDIR).  Stores, databases and outputs are
#	BUILD_DIR/bench-*, removed at the end unless $BENCH_KEEP is 1.
#
# ENVIRONMENT
#	BENCH_ROWS, BENCH_EVENTS, BENCH_SLOW, BENCH_CPU, BENCH_PIN_IMPORT,
#	BENCH_KEEP, BENCH_MESSAGES, BENCH_SHARED, BENCH_PASSES, CC
#
# EXIT STATUS
#	0 on success; 1 when a step fails or the python baseline is missing
#	(a missing sqlite3 or /usr/bin/time, or a BINARY without ingest or
#	check, is reported and skipped);
#	2 on bad usage.

set -eu

usage() {
	echo "usage: run.sh BINARY BUILD_DIR [N]" >&2
	exit 2
}

die() {
	echo "bench: $*" >&2
	exit 1
}

# now - wall-clock seconds with a fraction, '.' as the decimal point
now() {
	if [ -n "${EPOCHREALTIME-}" ]; then
		local t=$EPOCHREALTIME
		echo "${t/,/.}"
	else
		date +%s.%N
	fi
}

# is_count VALUE - VALUE is a whole number
is_count() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
}

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	usage
fi
bin=$1
build=$2
n=${3:-${BENCH_ROWS:-1000000}}
is_count "$n" || usage
[ "$n" -gt 0 ] || usage
nev=${BENCH_EVENTS:-$n}
if ! is_count "$nev" || [ "$nev" -eq 0 ]; then
	die "BENCH_EVENTS must be a whole number above 0"
fi
slow=${BENCH_SLOW:-20}
is_count "$slow" || die "BENCH_SLOW must be a whole number of seconds"
cpu=${BENCH_CPU:-0}
is_count "$cpu" || die "BENCH_CPU must be a CPU number"
pin_import=${BENCH_PIN_IMPORT:-0}
keep=${BENCH_KEEP:-0}

here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
gnutime=/usr/bin/time

[ -x "$bin" ] || die "$bin: no such executable (run make first)"
if ! "$python" -c 'import email_validator' 2>/dev/null; then
	echo "bench: baseline missing: $python cannot import email_validator;" \
	    "install it with: apt-get install python3-email-validator" >&2
	exit 1
fi

mkdir -p "$build"
gen=$build/genaddr
addrs=$build/bench-addresses.txt
errs=$build/bench-validate.err
csv=$build/bench-list.csv

if [ ! -x "$gen" ] || [ "$here/genaddr.c" -nt "$gen" ]; then
	${CC:-cc} -O2 -o "$gen" "$here/genaddr.c" ||
	    die "cannot build $gen"
fi

# gen_input FILE ARGS... - FILE from `genaddr ARGS`, unless the one there
# came from the same generator and arguments and was not changed since;
# what genaddr says on standard error (a summary of the mix, for some
# modes) is shown, and kept in FILE.stamp after its first line
gen_input() {
	local file=$1 sum want size
	shift
	sum=$(cksum < "$gen")
	want="genaddr $* ${sum%% *}"
	if [ -f "$file" ] && [ -f "$file.stamp" ]; then
		size=$(wc -c < "$file")
		if [ "$(head -n 1 "$file.stamp")" = "$want ${size// /}" ]; then
			return 0
		fi
	fi
	rm -f "$file.stamp"
	"$gen" "$@" > "$file.part" 2> "$file.said" || {
		cat "$file.said" >&2
		rm -f "$file.said"
		die "$gen $* failed"
	}
	sed 's/^/bench: /' "$file.said" >&2
	mv -f "$file.part" "$file"
	size=$(wc -c < "$file")
	{
		printf '%s %s\n' "$want" "${size// /}"
		cat "$file.said"
	} > "$file.stamp"
	rm -f "$file.said"
}

gen_input "$addrs" "$n" 1
gen_input "$csv" --csv "$n" 1
# For ingest and check: a list whose first rows are bench-list.csv's, long
# enough for N distinct valid addresses (the list of N rows holds fewer:
# genaddr's names repeat), and events and lookups over its addresses.
slist=$build/bench-store-list.csv
events=$build/bench-events.csv
lookups=$build/bench-lookups.txt
gen_input "$slist" --store-list "$n" 1
srows=$(( $(wc -l < "$slist") - 1 ))
gen_input "$events" --events "$nev" 1 "$srows"
gen_input "$lookups" --lookups "$n" 1 "$srows"

pin=()
where="one core"
if command -v taskset >/dev/null 2>&1 && taskset -c "$cpu" true 2>/dev/null
then
	pin=(taskset -c "$cpu")
else
	where="not pinned (no taskset)"
fi

# ---- validate, against python-email-validator ---------------------------

best=
for run in 1 2 3; do
	rc=0
	t0=$(now)
	${pin[@]+"${pin[@]}"} "$bin" validate "$addrs" > /dev/null 2> "$errs" ||
	    rc=$?
	t1=$(now)
	if [ "$rc" -gt 1 ]; then
		tail -n 5 "$errs" >&2
		die "run $run: $bin validate exited with status $rc"
	fi
	best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN {
		t = b - a
		if (best != "" && best + 0 < t)
			t = best
		printf "%.6f\n", t
	}')
done

line=$(${pin[@]+"${pin[@]}"} "$python" "$here/baseline.py" "$addrs") ||
    die "baseline.py failed"
# baseline: N addresses in S.SSS s, R addresses/s (V valid)
base=$(echo "$line" | awk '$1 == "baseline:" && $4 == "in" { print $5 }')
[ -n "$base" ] || die "cannot read the baseline's output: $line"

# (Parentheses keep awk from reading a ">" in printf as a redirection.)
awk -v n="$n" -v lw="$best" -v py="$base" -v where="$where" 'BEGIN {
	printf "bench: validate, %d addresses (5%% IDN, ~3%% invalid), %s\n",
	    n, where
	printf "  %-24s %7.3f s   %.0f addr/s\n", "listwarden validate",
	    lw, (lw > 0 ? n / lw : 0)
	printf "  %-24s %7.3f s   %.0f addr/s\n", "python-email-validator",
	    py, (py > 0 ? n / py : 0)
	if (lw > 0)
		printf "  %-24s %7.1fx\n", "ratio", py / lw
	else
		printf "  %-24s %7s\n", "ratio", "n/a"
}'

# ---- import and export, against sort -u and sqlite3 ---------------------

store=$build/bench-store.lmdb
sqdb=$build/bench-sqlite.db
tmp=$build/bench-tmp
sorted=$build/bench-sorted.txt
lw_out=$build/bench-export-listwarden.csv
sq_out=$build/bench-export-sqlite.csv
rss_file=$build/bench-rss-$n.txt
list=bench
ing_store=$build/bench-ingest.lmdb
ing_pristine=$build/bench-ingest-pristine.lmdb
ing_db=$build/bench-ingest.db
ing_db_pristine=$build/bench-ingest-pristine.db

cleanup() {
	[ "$keep" = 1 ] && return 0
	rm -rf "$tmp"
	rm -f "$store" "$store-lock" "$sqdb" "$sqdb-journal" "$sorted" \
	    "$lw_out" "$sq_out" "$build"/bench-run-*
	rm -f "$ing_store" "$ing_store-lock" "$ing_pristine" \
	    "$ing_pristine-lock" "$ing_db" "$ing_db-journal" \
	    "$ing_db_pristine" "$ing_db_pristine-journal"
}
trap cleanup EXIT
cleanup
mkdir -p "$tmp"
export TMPDIR=$tmp SQLITE_TMPDIR=$tmp

timer=()
if [ -x "$gnutime" ] && "$gnutime" -f '%M' -o /dev/null true 2>/dev/null
then
	timer=("$gnutime" -f '%M %U %S' -o "$build/bench-run-time")
else
	echo "bench: no GNU time at $gnutime, so no peak RSS; install it" \
	    "with: apt-get install time" >&2
fi

have_sqlite=1
if ! command -v sqlite3 >/dev/null 2>&1; then
	have_sqlite=0
	echo "bench: no sqlite3, so no sqlite3 baseline; install it with:" \
	    "apt-get install sqlite3" >&2
fi

# The shell user's de-duplication: the email column is the first and holds
# no comma, so cut finds it; sed drops the header and undoes CSV quoting
# (quotes around the field, doubled quotes inside).  $1 FILE, $2 OUT.
sort_cmd=$(cat <<'EOF'
cut -d, -f1 "$1" | sed -e 1d -e 's/^"\(.*\)"$/\1/' -e 's/""/"/g' | sort -u -f > "$2"
EOF
)
sq_schema='CREATE TABLE tbl(email TEXT, first_name TEXT, last_name TEXT,'
sq_schema="$sq_schema signup_date TEXT, id TEXT);"
sq_schema="$sq_schema CREATE UNIQUE INDEX tbl_email ON tbl(email COLLATE NOCASE);"
expect_header='email,first_name,last_name,signup_date,id'
[ "$(head -n 1 "$csv")" = "$expect_header" ] ||
    die "$csv: the header is not '$expect_header'"

# shellcheck disable=SC2317  # called through measure
fresh_store() {
	rm -f "$store" "$store-lock"
	"$bin" --db "$store" init > /dev/null ||
	    die "$bin --db $store init failed"
}

# shellcheck disable=SC2317  # called through measure
fresh_sqlite() {
	rm -f "$sqdb" "$sqdb-journal"
	sqlite3 "$sqdb" "$sq_schema" || die "cannot create $sqdb"
}

# measure NAME OKRC SETUP PIN CMD... - run CMD (after SETUP, if not "")
# up to 3 times, pinned when PIN is 1; an exit status not in the
# comma-separated list OKRC is a failure.  Sets m_time (best wall seconds),
# m_rss (largest peak RSS, KiB, or ""), m_cpu (user+sys seconds of the
# best run), m_runs.  Standard output and error of the last run are left
# in BUILD_DIR/bench-run-NAME.out and .err; when m_out is set (as in
# `m_out=/dev/null measure ...`) standard output goes there instead, and
# when m_in is set, standard input comes from it.
measure() {
	local name=$1 okrc=$2 setup=$3 pinned=$4 run rc t0 t1 t r
	local out=${m_out:-$build/bench-run-$name.out}
	local err=$build/bench-run-$name.err
	local -a p=()
	shift 4
	[ "$pinned" = 1 ] && p=(${pin[@]+"${pin[@]}"})
	m_time='' m_rss='' m_cpu='' m_runs=0
	for run in 1 2 3; do
		[ -z "$setup" ] || "$setup"
		rm -f "$build/bench-run-time"
		rc=0
		t0=$(now)
		if [ -n "${m_in-}" ]; then
			${p[@]+"${p[@]}"} ${timer[@]+"${timer[@]}"} "$@" \
			    < "$m_in" > "$out" 2> "$err" || rc=$?
		else
			${p[@]+"${p[@]}"} ${timer[@]+"${timer[@]}"} "$@" \
			    > "$out" 2> "$err" || rc=$?
		fi
		t1=$(now)
		case ,$okrc, in
		*,"$rc",*) ;;
		*)
			tail -n 5 "$err" >&2
			die "$name, run $run: exit status $rc from: $*"
			;;
		esac
		m_runs=$run
		t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
		if [ -z "$m_time" ] || awk -v t="$t" -v b="$m_time" \
		    'BEGIN { exit !(t < b) }'; then
			m_time=$t
			m_cpu=''
		fi
		if [ -s "$build/bench-run-time" ]; then
			# GNU time says "Command exited with non-zero
			# status" first when it did; the figures are last.
			r=$(tail -n 1 "$build/bench-run-time")
			if [ -z "$m_rss" ] || [ "${r%% *}" -gt "$m_rss" ]; then
				m_rss=${r%% *}
			fi
			[ -n "$m_cpu" ] || [ "$m_time" != "$t" ] ||
			    m_cpu=$(echo "$r" | awk '{ print $2 + $3 }')
		fi
		if awk -v t="$t" -v s="$slow" 'BEGIN { exit !(t > s) }'; then
			break
		fi
	done
}

# sample_mem PIN CMD... - run CMD once more, untimed (pinned when PIN is
# 1), reading its /proc/PID/status every 10 ms; sets s_anon and s_file to
# the largest RssAnon (heap, stacks) and RssFile (mapped files: for
# listwarden, the pages of the store it touched) seen, in KiB, or "" when
# there is no /proc.  Sampled: a peak shorter than 10 ms may be missed.
sample_mem() {
	local pinned=$1 pid k v a=0 f=0 rc=0
	local -a p=()
	shift
	s_anon='' s_file=''
	grep -q '^RssAnon:' /proc/self/status 2>/dev/null || return 0
	[ "$pinned" = 1 ] && p=(${pin[@]+"${pin[@]}"})
	${p[@]+"${p[@]}"} "$@" > "$build/bench-run-sample.out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		{
			while read -r k v _; do
				case $k in
				RssAnon:) [ "$v" -le "$a" ] || a=$v ;;
				RssFile:) [ "$v" -le "$f" ] || f=$v ;;
				esac
			done < "/proc/$pid/status"
		} 2>/dev/null || true
		sleep 0.01
	done
	wait "$pid" || rc=$?
	[ "$rc" -le 1 ] || die "exit status $rc from: $*"
	s_anon=$a s_file=$f
}

# row LABEL SECONDS ROWS RSS_KIB KEPT RUNS [UNIT] - one line of a table;
# UNIT (default "rows") names what ROWS counts
row() {
	awk -v label="$1" -v t="$2" -v rows="$3" -v rss="$4" -v kept="$5" \
	    -v runs="$6" -v unit="${7:-rows}" 'BEGIN {
		printf "  %-34s %8.3f s %10.0f %s/s", label, t,
		    (t > 0 ? rows / t : 0), unit
		if (rss != "")
			printf "   peak RSS %5.0f MB", rss / 1024
		else
			printf "   peak RSS    n/a"
		printf "   %-13s %s\n", kept,
		    (runs == 1 ? "1 run (slow)" : "best of " runs)
	}'
}

# ratio LABEL A B GOAL - A/B as "Z.Zx   (goal >= GOAL)", or n/a; no goal
# is shown when GOAL is ""
ratio() {
	awk -v label="$1" -v a="$2" -v b="$3" -v goal="$4" 'BEGIN {
		g = goal != "" ? "   (goal >= " goal ")" : ""
		if (a != "" && b != "" && b > 0)
			printf "  %-34s %7.1fx%s\n", label, a / b, g
		else
			printf "  %-34s %8s%s\n", label, "n/a", g
	}'
}

rate() {
	awk -v rows="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.3f", rows / t }'
}

# listwarden import
import_pin=0
[ "$pin_import" = 1 ] && import_pin=1
measure lw-import 0,1 fresh_store "$import_pin" \
    "$bin" --db "$store" import "$list" "$csv"
lw_imp_t=$m_time lw_imp_rss=$m_rss lw_imp_runs=$m_runs lw_imp_cpu=$m_cpu
lw_kept=$(awk '$1 == "import:" && $4 == "read," { print $5 }' \
    "$build/bench-run-lw-import.out")
[ -n "$lw_kept" ] || die "cannot read the import summary in" \
    "$build/bench-run-lw-import.out"

# cut | sort -u -f
measure sort 0 "" "$import_pin" env LC_ALL=C bash -o pipefail -c \
    "$sort_cmd" sort \
    "$csv" "$sorted"
so_t=$m_time so_rss=$m_rss so_runs=$m_runs
so_kept=$(wc -l < "$sorted")

# sqlite3 .import
if [ "$have_sqlite" = 1 ]; then
	# sqlite3 exits with 19 (SQLITE_CONSTRAINT) when the last row was
	# a duplicate: the status of the last INSERT.
	measure sqlite-import 0,19 fresh_sqlite 1 \
	    sqlite3 "$sqdb" ".import --csv --skip 1 $csv tbl"
	sq_imp_t=$m_time sq_imp_rss=$m_rss sq_imp_runs=$m_runs
	sq_kept=$(sqlite3 "$sqdb" 'SELECT count(*) FROM tbl;')
	sq_dups=$(grep -c 'UNIQUE constraint failed' \
	    "$build/bench-run-sqlite-import.err" || true)
	sq_other=$(grep -vc 'UNIQUE constraint failed' \
	    "$build/bench-run-sqlite-import.err" || true)
fi

# exports
measure lw-export 0 "" 1 "$bin" --db "$store" export -o "$lw_out" "$list"
lw_exp_t=$m_time lw_exp_rss=$m_rss lw_exp_runs=$m_runs
# The same to standard output, redirected to a file: no temporary file and
# no fsync, as sqlite3's .output writes.
measure lw-export-stdout 0 "" 1 "$bin" --db "$store" export "$list"
lw_exps_t=$m_time lw_exps_rss=$m_rss lw_exps_runs=$m_runs
lw_written=$(( $(wc -l < "$lw_out") - 1 ))
if [ "$have_sqlite" = 1 ]; then
	measure sqlite-export 0 "" 1 sqlite3 "$sqdb" ".mode csv" \
	    ".headers on" ".output $sq_out" "SELECT * FROM tbl ORDER BY rowid;"
	sq_exp_t=$m_time sq_exp_rss=$m_rss sq_exp_runs=$m_runs
	sq_written=$(( $(wc -l < "$sq_out") - 1 ))
fi

# Where listwarden's memory goes: one more run of each, sampled.
fresh_store
sample_mem "$import_pin" "$bin" --db "$store" import "$list" "$csv"
lw_imp_anon=$s_anon lw_imp_file=$s_file
sample_mem 1 "$bin" --db "$store" export -o "$lw_out" "$list"
lw_exp_anon=$s_anon lw_exp_file=$s_file
store_kib=$(du -k "$store" | awk '{ print $1 }')

import_where=$where
if [ "$import_pin" != 1 ] && [ ${#pin[@]} -gt 0 ]; then
	import_where="import and the sort pipeline on all cores, sqlite3 on one"
fi
echo "bench: import, $n rows ($lw_kept accepted), $import_where"
row "listwarden import" "$lw_imp_t" "$n" "$lw_imp_rss" "kept $lw_kept" \
    "$lw_imp_runs"
row "cut | LC_ALL=C sort -u -f" "$so_t" "$n" "$so_rss" "kept $so_kept" \
    "$so_runs"
if [ "$have_sqlite" = 1 ]; then
	row "sqlite3 .import (UNIQUE NOCASE)" "$sq_imp_t" "$n" \
	    "$sq_imp_rss" "kept $sq_kept" "$sq_imp_runs"
fi
lw_rate=$(rate "$n" "$lw_imp_t")
ratio "ratio vs sort -u" "$lw_rate" "$(rate "$n" "$so_t")" 1.0
ratio "ratio vs sqlite3" "$lw_rate" \
    "$( [ "$have_sqlite" = 1 ] && rate "$n" "$sq_imp_t")" 4
if [ "$import_pin" != 1 ] && [ -n "$lw_imp_cpu" ]; then
	awk -v c="$lw_imp_cpu" -v t="$lw_imp_t" 'BEGIN {
		printf "  (listwarden import used %.0f%% of one CPU, not pinned)\n",
		    (t > 0 ? 100 * c / t : 0)
	}'
fi

echo "bench: export, $n-row list, $where"
row "listwarden export -o (fsync)" "$lw_exp_t" "$lw_written" "$lw_exp_rss" \
    "wrote $lw_written" "$lw_exp_runs"
row "listwarden export > OUT" "$lw_exps_t" "$lw_written" "$lw_exps_rss" \
    "wrote $lw_written" "$lw_exps_runs"
if [ "$have_sqlite" = 1 ]; then
	row "sqlite3 SELECT * ORDER BY rowid" "$sq_exp_t" "$sq_written" \
	    "$sq_exp_rss" "wrote $sq_written" "$sq_exp_runs"
	ratio "ratio, -o vs sqlite3 (rows/s)" \
	    "$(rate "$lw_written" "$lw_exp_t")" \
	    "$(rate "$sq_written" "$sq_exp_t")" 5
	ratio "ratio, > OUT vs sqlite3 (rows/s)" \
	    "$(rate "$lw_written" "$lw_exps_t")" \
	    "$(rate "$sq_written" "$sq_exp_t")" 5
	echo "  (-o writes a temporary file, fsyncs it and renames it into" \
	    "place; sqlite3's .output, like > OUT, does neither)"
else
	ratio "ratio vs sqlite3 (rows/s)" "" "" 5
fi

# Peak RSS against list size, from this run and earlier ones.
if [ -n "$lw_imp_rss" ] || [ -n "$lw_imp_anon" ]; then
	echo "$n ${lw_imp_rss:-0} ${lw_exp_rss:-0} ${lw_imp_anon:-0}" \
	    "${lw_imp_file:-0} ${lw_exp_anon:-0} ${lw_exp_file:-0}" \
	    "$store_kib" > "$rss_file"
	echo "bench: listwarden memory by list size (MB; this and earlier" \
	    "runs; anon/file: sampled RssAnon/RssFile)"
	echo "        rows   import peak (anon/file)  export peak (anon/file)" \
	    "  store"
	for f in "$build"/bench-rss-*.txt; do
		cat "$f"
	done | sort -n | awk -v n="$n" '
	function mb(k) { return k > 0 ? sprintf("%.0f", k / 1024) : "n/a" }
	{
		printf "  %10d   %6s (%5s/%5s)     %6s (%5s/%5s)     %5s%s\n",
		    $1, mb($2), mb($4), mb($5), mb($3), mb($6), mb($7),
		    mb($8), ($1 == n ? "   this run" : "")
		if (NR == 1) { r0 = $1; i0 = $2; a0 = $4; e0 = $3; x0 = $6 }
		rN = $1; iN = $2; aN = $4; eN = $3; xN = $6
	} END {
		if (NR > 1 && i0 > 0 && e0 > 0 && a0 > 0 && x0 > 0)
			printf "  %.0fx the rows: import peak %.2fx (anon %.2fx), " \
			    "export peak %.2fx (anon %.2fx)\n", rN / r0,
			    iN / i0, aN / a0, eN / e0, xN / x0
		else
			printf "  (run with another BENCH_ROWS to compare)\n"
	}'
fi

echo "bench: how (in $build; FILE = bench-list.csv, $(wc -c < "$csv" |
    awk '{ printf "%.0f MB", $1 / 1048576 }'), generated by genaddr --csv $n 1)"
echo "  listwarden: $bin --db STORE init (not timed), then"
echo "    $bin --db STORE import $list FILE"
echo "    $bin --db STORE export -o OUT $list"
sort_shown=${sort_cmd//\"\$1\"/FILE}
sort_shown=${sort_shown//\"\$2\"/OUT}
echo "  sort (LC_ALL=C, in bash -o pipefail; sort reads a pipe, so it"
echo "  sorts in small runs spilled to TMPDIR and merges them):"
echo "    $sort_shown"
if [ "$have_sqlite" = 1 ]; then
	echo "  sqlite3 $(sqlite3 --version | awk '{ print $1 }'), default" \
	    "pragmas (journal_mode=$(sqlite3 "$sqdb" 'PRAGMA journal_mode;')," \
	    "synchronous=$(sqlite3 "$sqdb" 'PRAGMA synchronous;' |
	    awk '{ split("off normal full extra", m); print m[$1 + 1] }')," \
	    "cache_size=$(sqlite3 "$sqdb" 'PRAGMA cache_size;'))," \
	    "a new DB each import run:"
	echo "    sqlite3 DB '$sq_schema'   (not timed)"
	echo "    sqlite3 DB '.import --csv --skip 1 FILE tbl'" \
	    "  ($sq_dups duplicates reported on stderr and skipped)"
	if [ "${sq_other:-0}" -gt 0 ]; then
		echo "    ($sq_other other lines on its stderr: see" \
		    "$build/bench-run-sqlite-import.err)"
	fi
	echo "    sqlite3 DB '.mode csv' '.headers on' '.output OUT'" \
	    "'SELECT * FROM tbl ORDER BY rowid;'"
fi
if [ ${#pin[@]} -gt 0 ]; then
	if [ "$import_pin" = 1 ]; then
		echo "  each run pinned with: ${pin[*]}"
	else
		echo "  each run but listwarden import and the sort pipeline pinned with: ${pin[*]}"
	fi
fi
[ ${#timer[@]} -gt 0 ] && echo "  peak RSS: $gnutime -f %M (a pipeline:" \
    "its largest process)"
echo "  kept: sort -u and sqlite3 fold ASCII case of the raw field only;" \
    "listwarden also validates, unwraps, IDNA-normalizes"

# ---- ingest and check, against sqlite3 ----------------------------------

have_ingest=1 have_check=1
"$bin" help ingest > /dev/null 2>&1 || have_ingest=0
"$bin" help check > /dev/null 2>&1 || have_check=0

# Each timed ingest starts from a copy of a store made once (init, and
# import of the store list), not timed.  cp writes the copy through the
# page cache and sync writes it out, so that the fsync at the end of a
# timed run does not write the copy out too.
# shellcheck disable=SC2317  # called through measure
copy_store() {
	rm -f "$ing_store" "$ing_store-lock"
	{ cp --sparse=always "$ing_pristine" "$ing_store" &&
	    sync "$ing_store"; } || die "cannot copy $ing_pristine"
}

# shellcheck disable=SC2317  # called through measure
copy_sqlite() {
	rm -f "$ing_db" "$ing_db-journal"
	{ cp --sparse=always "$ing_db_pristine" "$ing_db" &&
	    sync "$ing_db"; } || die "cannot copy $ing_db_pristine"
}

# sqlite3's side: a table of the store list's addresses, made once; the
# events applied with one UPSERT per event, in file order, in one
# transaction.  An event counts as soft when its enhanced status is 4.2.x
# (mailbox full), and suppresses when it is 5.1.x (no such user), a
# complaint or an unsubscribe, or the third soft one.
sq_addr_schema='CREATE TABLE addresses(email TEXT PRIMARY KEY COLLATE NOCASE,'
sq_addr_schema="$sq_addr_schema soft_count INTEGER NOT NULL DEFAULT 0,"
sq_addr_schema="$sq_addr_schema suppressed INTEGER NOT NULL DEFAULT 0);"
sq_addr_load="INSERT OR IGNORE INTO addresses(email) SELECT CASE WHEN"
sq_addr_load="$sq_addr_load instr(email, '<') > 0 AND instr(email, '>') >"
sq_addr_load="$sq_addr_load instr(email, '<') THEN substr(email,"
sq_addr_load="$sq_addr_load instr(email, '<') + 1, instr(email, '>') -"
sq_addr_load="$sq_addr_load instr(email, '<') - 1) ELSE email END FROM temp.lst;"
sq_ev_table='CREATE TEMP TABLE ev(email TEXT, type TEXT, status TEXT,'
sq_ev_table="$sq_ev_table timestamp INTEGER, diagnostic TEXT, event_id TEXT);"
sq_upsert=$(cat <<'EOF'
INSERT INTO addresses(email, soft_count, suppressed)
  SELECT email, substr(status, 5, 4) = '4.2.',
         type IN ('complaint', 'unsubscribe') OR substr(status, 5, 4) = '5.1.'
  FROM temp.ev WHERE true ORDER BY rowid
  ON CONFLICT(email) DO UPDATE SET
    soft_count = soft_count + excluded.soft_count,
    suppressed = CASE WHEN excluded.suppressed
                        OR soft_count + excluded.soft_count >= 3
                      THEN 1 ELSE suppressed END;
EOF
)
sq_q_table='CREATE TEMP TABLE q(email TEXT);'
sq_lookup='SELECT q.email, coalesce(a.suppressed, 0) FROM temp.q'
sq_lookup="$sq_lookup LEFT JOIN addresses AS a ON a.email = q.email"
sq_lookup="$sq_lookup ORDER BY q.rowid;"

ing_addrs=''
if [ "$have_ingest" = 1 ] || [ "$have_check" = 1 ]; then
	rm -f "$ing_pristine" "$ing_pristine-lock"
	"$bin" --db "$ing_pristine" init > /dev/null ||
	    die "$bin --db $ing_pristine init failed"
	rc=0
	"$bin" --db "$ing_pristine" import "$list" "$slist" \
	    > "$build/bench-run-ingest-import.out" \
	    2> "$build/bench-run-ingest-import.err" || rc=$?
	if [ "$rc" -gt 1 ]; then
		tail -n 5 "$build/bench-run-ingest-import.err" >&2
		die "exit status $rc from: $bin --db $ing_pristine import" \
		    "$list $slist"
	fi
	rm -f "$ing_pristine-lock"
	ing_addrs=$(awk '$1 == "import:" && $4 == "has" { print $5 }' \
	    "$build/bench-run-ingest-import.out")
fi
if [ "$have_sqlite" = 1 ]; then
	rm -f "$ing_db_pristine" "$ing_db_pristine-journal"
	sqlite3 "$ing_db_pristine" "$sq_addr_schema" \
	    ".import --csv --schema temp $slist lst" "$sq_addr_load" ||
	    die "cannot create $ing_db_pristine"
	sq_addrs=$(sqlite3 "$ing_db_pristine" 'SELECT count(*) FROM addresses;')
fi

# listwarden ingest
if [ "$have_ingest" = 1 ]; then
	measure lw-ingest 0,1 copy_store 1 \
	    "$bin" --db "$ing_store" ingest "$events"
	lw_ing_t=$m_time lw_ing_rss=$m_rss lw_ing_runs=$m_runs
	lw_ing_cpu=$m_cpu
	# ingest: N recorded, D duplicates skipped; S newly suppressed
	lw_supp=$(awk '$1 == "ingest:" && / newly suppressed/ {
		for (i = 2; i < NF; i++)
			if ($(i + 1) == "newly")
				print $i
	}' "$build/bench-run-lw-ingest.out" "$build/bench-run-lw-ingest.err")
	# One more, sampled, to see where the memory goes; it leaves the
	# store as ingest left it, for check.
	copy_store
	sample_mem 1 "$bin" --db "$ing_store" ingest "$events"
	lw_ing_anon=$s_anon lw_ing_file=$s_file
else
	echo "bench: $bin has no ingest command ('$bin help ingest'" \
	    "failed), so listwarden ingest is not measured" >&2
fi

# sqlite3 applying the same events
if [ "$have_sqlite" = 1 ]; then
	measure sqlite-ingest 0 copy_sqlite 1 sqlite3 "$ing_db" \
	    "$sq_ev_table" "BEGIN;" \
	    ".import --csv --skip 1 --schema temp $events ev" \
	    "$sq_upsert" "COMMIT;"
	sq_ing_t=$m_time sq_ing_rss=$m_rss sq_ing_runs=$m_runs
	sq_supp=$(sqlite3 "$ing_db" 'SELECT sum(suppressed) FROM addresses;')
	sq_after=$(sqlite3 "$ing_db" 'SELECT count(*) FROM addresses;')
fi

# check, against the store and the database as the events left them
if [ "$have_check" = 1 ]; then
	[ "$have_ingest" = 1 ] || copy_store
	m_in=$lookups m_out=/dev/null measure lw-check 0,1 "" 1 \
	    "$bin" --db "$ing_store" check -
	lw_chk_t=$m_time lw_chk_rss=$m_rss lw_chk_runs=$m_runs
	# Once more, not timed, to keep what it said.
	rc=0
	"$bin" --db "$ing_store" check - < "$lookups" \
	    > "$build/bench-run-check.out" 2> "$build/bench-run-check.err" ||
	    rc=$?
	[ "$rc" -le 1 ] || die "exit status $rc from: $bin check -"
	# check: N checked, S suppressed, I invalid
	lw_chk_supp=$(awk '$1 == "check:" && $5 == "suppressed," { print $4 }' \
	    "$build/bench-run-check.err")
	lw_chk_lines=$(wc -l < "$build/bench-run-check.out")
	lw_chk_lines=${lw_chk_lines// /}
else
	echo "bench: $bin has no check command ('$bin help check'" \
	    "failed), so listwarden check is not measured" >&2
fi
if [ "$have_sqlite" = 1 ]; then
	measure sqlite-check 0 "" 1 sqlite3 "$ing_db" "$sq_q_table" \
	    ".import --csv --schema temp $lookups q" ".output /dev/null" \
	    "$sq_lookup"
	sq_chk_t=$m_time sq_chk_rss=$m_rss sq_chk_runs=$m_runs
	sq_chk=$(sqlite3 "$ing_db" "$sq_q_table" \
	    ".import --csv --schema temp $lookups q" \
	    "SELECT sum(a.email IS NOT NULL) || ' ' || sum(a.suppressed)
	     FROM temp.q LEFT JOIN addresses AS a ON a.email = q.email;")
fi

if [ -n "$ing_addrs" ]; then
	echo "bench: ingest, $nev events into a store of $ing_addrs" \
	    "addresses, $where"
else
	echo "bench: ingest, $nev events into the store list's addresses" \
	    "(${sq_addrs:-?} in sqlite3), $where"
fi
if [ "$have_ingest" = 1 ]; then
	row "listwarden ingest (+ event log)" "$lw_ing_t" "$nev" \
	    "$lw_ing_rss" "supp ${lw_supp:-?}" "$lw_ing_runs" events
else
	echo "  listwarden ingest                  (no ingest command)"
fi
if [ "$have_sqlite" = 1 ]; then
	row "sqlite3 .import + UPSERT" "$sq_ing_t" "$nev" "$sq_ing_rss" \
	    "supp $sq_supp" "$sq_ing_runs" events
fi
ratio "ratio vs sqlite3" \
    "$( [ "$have_ingest" = 1 ] && rate "$nev" "$lw_ing_t")" \
    "$( [ "$have_sqlite" = 1 ] && rate "$nev" "$sq_ing_t")" 2
if [ "$have_ingest" = 1 ] && [ -n "${lw_ing_anon:-}" ]; then
	awk -v a="$lw_ing_anon" -v f="$lw_ing_file" -v c="$lw_ing_cpu" \
	    -v t="$lw_ing_t" 'BEGIN {
		printf "  (listwarden ingest: sampled RssAnon %.0f MB," \
		    " RssFile %.0f MB", a / 1024, f / 1024
		if (c != "")
			printf "; user+sys %.0f%% of wall",
			    (t > 0 ? 100 * c / t : 0)
		printf ")\n"
	}'
fi

echo "bench: check, $n addresses (~10% not in the store), $where"
if [ "$have_check" = 1 ]; then
	row "listwarden check -" "$lw_chk_t" "$n" "$lw_chk_rss" \
	    "supp ${lw_chk_supp:-?}" "$lw_chk_runs" lookups
else
	echo "  listwarden check                   (no check command)"
fi
if [ "$have_sqlite" = 1 ]; then
	row "sqlite3 .import + LEFT JOIN" "$sq_chk_t" "$n" "$sq_chk_rss" \
	    "supp ${sq_chk##* }" "$sq_chk_runs" lookups
fi
ratio "ratio vs sqlite3" \
    "$( [ "$have_check" = 1 ] && rate "$n" "$lw_chk_t")" \
    "$( [ "$have_sqlite" = 1 ] && rate "$n" "$sq_chk_t")" ""

echo "bench: how (in $build; LIST = bench-store-list.csv, $srows rows," \
    "genaddr --store-list $n 1: bench-list.csv and more rows, to hold" \
    "$n distinct valid addresses)"
echo "  EVENTS = bench-events.csv ($(wc -c < "$events" |
    awk '{ printf "%.0f MB", $1 / 1048576 }'), genaddr --events $nev 1 $srows):"
tail -n +2 "$events.stamp" | sed 's/^genaddr: /    /'
echo "  ADDRS = bench-lookups.txt, genaddr --lookups $n 1 $srows"
echo "  listwarden: $bin --db STORE init, then ... import $list LIST (once," \
    "not timed); before each ingest run, STORE copied (cp --sparse=always," \
    "sync; not timed); then"
echo "    $bin --db STORE ingest EVENTS"
echo "    $bin --db STORE check - < ADDRS > /dev/null   (STORE as ingest" \
    "left it${lw_chk_lines:+; $lw_chk_lines lines of output, history included})"
if [ "$have_sqlite" = 1 ]; then
	echo "  sqlite3, default pragmas; DB made once, and copied before each" \
	    "ingest run (not timed):"
	echo "    sqlite3 DB '$sq_addr_schema'"
	echo "      '.import --csv --schema temp LIST lst'"
	echo "      \"$sq_addr_load\""
	echo "    ($sq_addrs addresses: the list's email column, unwrapped," \
	    "invalid ones kept)"
	echo "  ingest:"
	echo "    sqlite3 DB '$sq_ev_table' 'BEGIN;'"
	echo "      '.import --csv --skip 1 --schema temp EVENTS ev'"
	echo "$sq_upsert" |
	    sed -e "1s/^/\"/" -e "\$s/\$/\"/" -e 's/^/      /'
	echo "      'COMMIT;'"
	echo "    (then $sq_after addresses, $sq_supp suppressed; soft bounces" \
	    "counted in file order, timestamps not read, no event log)"
	echo "  check (DB as ingest left it):"
	echo "    sqlite3 DB '$sq_q_table' '.import --csv --schema temp ADDRS q'"
	echo "      '.output /dev/null' \"$sq_lookup\""
	echo "    (${sq_chk%% *} of $n found, ${sq_chk##* } of them suppressed)"
fi
if [ "$have_ingest" = 1 ]; then
	echo "  listwarden ingest said (last timed run; standard output, then" \
	    "error, $(cat "$build/bench-run-lw-ingest.out" \
	    "$build/bench-run-lw-ingest.err" | wc -l) lines, up to 40):"
	cat "$build/bench-run-lw-ingest.out" "$build/bench-run-lw-ingest.err" |
	    head -n 40 | sed 's/^/    /'
fi
if [ "$have_check" = 1 ] && [ -s "$build/bench-run-check.err" ]; then
	echo "  listwarden check said on standard error:"
	tail -n 5 "$build/bench-run-check.err" | sed 's/^/    /'
fi
# ---- suppressions, against sqlite3 and python3 hashlib ------------------

# A store of N suppressed addresses: N hard bounces to N distinct
# addresses (awk, seeded by their number), ingested once, not timed.
supp_events=$build/bench-supp-events.csv
supp_store=$build/bench-supp.lmdb
supp_db=$build/bench-supp.db
supp_lw=$build/bench-supp-lw.csv
supp_sq=$build/bench-supp-sqlite.csv
supp_keys=$build/bench-supp-keys.txt
awk -v n="$n" 'BEGIN {
	print "email,status,timestamp,diagnostic,event_id"
	for (i = 0; i < n; i++)
		printf "user%07d@d%d.example.com,550 5.1.1,%d,user unknown,s%d\n",
		    i, i % 1000, 1735689600 + i % 86400, i
}' > "$supp_events"
rm -f "$supp_store" "$supp_store-lock" "$supp_db"
"$bin" --db "$supp_store" init > /dev/null ||
    die "suppressions: init failed"
"$bin" --db "$supp_store" ingest "$supp_events" > /dev/null 2>&1 ||
    die "suppressions: the ingest of $n hard bounces failed"
measure lw-supp-csv 0 "" 1 "$bin" --db "$supp_store" suppressions \
    -o "$supp_lw"
lw_sc_t=$m_time lw_sc_rss=$m_rss lw_sc_runs=$m_runs
lw_sc_rows=$(( $(wc -l < "$supp_lw") - 1 ))
measure lw-supp-sha256 0 "" 1 "$bin" --db "$supp_store" suppressions \
    --format sha256 -o "$build/bench-supp-lw.sha256"
lw_sh_t=$m_time lw_sh_rss=$m_rss lw_sh_runs=$m_runs
# The keys, for the hashing baseline: the addresses are their own keys.
tail -n +2 "$supp_lw" | cut -d, -f1 > "$supp_keys"
if [ "$have_sqlite" = 1 ]; then
	# The same rows in a table (loaded from listwarden's CSV, not
	# timed), written out as CSV with a header, in key order.
	sqlite3 "$supp_db" ".import --csv $supp_lw supp" ||
	    die "suppressions: sqlite3 could not load $supp_lw"
	measure sqlite-supp 0 "" 1 sqlite3 "$supp_db" ".mode csv" \
	    ".headers on" ".output $supp_sq" "SELECT * FROM supp ORDER BY email;"
	sq_sc_t=$m_time sq_sc_rss=$m_rss sq_sc_runs=$m_runs
fi
py_hash='import hashlib, sys
out = sys.stdout
for line in open(sys.argv[1], "rb"):
    out.write(hashlib.sha256(line.rstrip(b"\n")).hexdigest() + "\n")'
m_out=/dev/null measure py-sha256 0 "" 1 "$python" -c "$py_hash" \
    "$supp_keys"
py_sh_t=$m_time py_sh_rss=$m_rss py_sh_runs=$m_runs
# Both hash the same keys the same way.
if ! "$python" -c "$py_hash" "$supp_keys" | sort |
    cmp -s - <(sort "$build/bench-supp-lw.sha256"); then
	die "suppressions: listwarden's sha256 digests differ from hashlib's"
fi

echo "bench: suppressions, $lw_sc_rows suppressed addresses, $where"
row "listwarden suppressions -o (csv)" "$lw_sc_t" "$lw_sc_rows" \
    "$lw_sc_rss" "" "$lw_sc_runs"
if [ "$have_sqlite" = 1 ]; then
	row "sqlite3 SELECT ... as CSV" "$sq_sc_t" "$lw_sc_rows" \
	    "$sq_sc_rss" "" "$sq_sc_runs"
fi
ratio "ratio vs sqlite3" "$(rate "$lw_sc_rows" "$lw_sc_t")" \
    "$( [ "$have_sqlite" = 1 ] && rate "$lw_sc_rows" "$sq_sc_t")" ""
row "listwarden suppressions sha256" "$lw_sh_t" "$lw_sc_rows" \
    "$lw_sh_rss" "" "$lw_sh_runs"
row "python3 hashlib.sha256 loop" "$py_sh_t" "$lw_sc_rows" "$py_sh_rss" \
    "" "$py_sh_runs"
ratio "ratio vs python3" "$(rate "$lw_sc_rows" "$lw_sh_t")" \
    "$(rate "$lw_sc_rows" "$py_sh_t")" ""
echo "  (listwarden reads each suppression's cause from the event log and" \
    "writes the file atomically, fsynced; the digests match hashlib's)"
[ "$keep" = 1 ] ||
    rm -f "$supp_events" "$supp_store" "$supp_store-lock" "$supp_db" \
	"$supp_lw" "$supp_sq" "$supp_keys" "$build/bench-supp-lw.sha256"
# ---- bounce messages, against Sisimai -----------------------------------

msgs=${BENCH_MESSAGES:-10000}
is_count "$msgs" || die "BENCH_MESSAGES: not a count: $msgs"
mbox=$build/bench-bounces.mbox
expect=$build/bench-bounces.expect
here_dir=$(cd "$(dirname "$0")" && pwd)
if [ ! -s "$mbox" ] || [ ! -s "$expect" ] ||
    [ "$(cat "$mbox.stamp" 2>/dev/null)" != "$msgs" ] ||
    [ "$here_dir/genbounces.py" -nt "$mbox" ]; then
	"$python" "$here_dir/genbounces.py" -n "$msgs" -o "$mbox" \
	    --expect "$expect" 2> "$build/bench-bounces.mix" ||
	    die "bounces: genbounces.py failed"
	echo "$msgs" > "$mbox.stamp"
fi
have_sisimai=1
perl -MSisimai -e 1 2>/dev/null || have_sisimai=0
# perl_start - seconds perl takes to load Sisimai and do nothing
perl_start() {
	local t0 t1
	t0=$(now)
	perl -MSisimai -e 1
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
# Sisimai's own loop: every message of each path, records counted.
sisimai_pl='use strict; use warnings; use Sisimai;
my ($passes, @paths) = @ARGV; my $n = 0;
for (1 .. $passes) { for my $p (@paths) {
	my $v = Sisimai->make($p, "delivered" => 1); $n += scalar @{ $v // [] };
} }
print "$n\n";'

m_out=$build/bench-bounces-lw.jsonl measure lw-bounces 0 "" 1 \
    "$bin" ingest --dry-run --json --format mbox "$mbox"
lw_bo_t=$m_time lw_bo_rss=$m_rss lw_bo_runs=$m_runs
# The records are the generator's events, recipient and class each.
"$python" - "$build/bench-bounces-lw.jsonl" "$expect" <<'PY' ||
import collections, json, sys
got = collections.Counter()
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("class") != "not-a-bounce":
        got[(r["recipient"], r["class"])] += 1
want = collections.Counter(tuple(l.rstrip("\n").split("\t"))
                           for l in open(sys.argv[2]))
if got != want:
    sys.exit("bounces: %d events missing, %d unexpected"
             % (sum((want - got).values()), sum((got - want).values())))
PY
    die "bounces: listwarden's records are not the generated events"
lw_bo_n=$(wc -l < "$expect")
if [ "$have_sisimai" = 1 ]; then
	printf '%s\n' "$sisimai_pl" > "$build/bench-sisimai.pl"
	measure sisimai-bounces 0 "" 1 perl "$build/bench-sisimai.pl" 1 "$mbox"
	si_bo_t=$m_time si_bo_rss=$m_rss si_bo_runs=$m_runs
	si_bo_n=$(cat "$build/bench-run-sisimai-bounces.out")
fi
echo "bench: bounce messages, $msgs generated ($(sed 's/^genbounces: //' \
    "$build/bench-bounces.mix" | cut -d: -f1)), $where"
row "listwarden ingest --dry-run (mbox)" "$lw_bo_t" "$msgs" "$lw_bo_rss" \
    "" "$lw_bo_runs" msgs
echo "  ($lw_bo_n records, the generator's events exactly)"
if [ "$have_sisimai" = 1 ]; then
	row "Sisimai->make (mbox)" "$si_bo_t" "$msgs" "$si_bo_rss" "" \
	    "$si_bo_runs" msgs
	echo "  ($si_bo_n records)"
	ratio "ratio vs Sisimai (messages/s)" "$(rate "$msgs" "$lw_bo_t")" \
	    "$(rate "$msgs" "$si_bo_t")" 20
else
	echo "  Sisimai: not installed (Debian libsisimai-perl); skipped"
fi

shared=${BENCH_SHARED:-../shared}
passes=${BENCH_PASSES:-10}
is_count "$passes" || die "BENCH_PASSES: not a count: $passes"
if [ -f "$shared/data/bounces/files.txt" ]; then
	# Each reads the files from messages/, the list repeated, from a
	# script of its own (the command line would be thousands of names).
	ref=$(cd "$shared/data/bounces/messages" && pwd)
	abs_bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
	list=$(cd "$build" && pwd)/bench-refbounces.list
	grep -v '^#' "$shared/data/bounces/files.txt" | grep . > "$list.one"
	nfiles=$(wc -l < "$list.one")
	: > "$list"
	for ((i = 0; i < passes; i++)); do
		cat "$list.one" >> "$list"
	done
	nref=$(( nfiles * passes ))
	printf '#!/bin/sh\ncd "%s" || exit 2\n# shellcheck disable=SC2046\nexec "%s" ingest --dry-run --json $(cat "%s")\n' \
	    "$ref" "$abs_bin" "$list" > "$build/bench-refbounces-lw.sh"
	m_out=/dev/null measure lw-refbounces 0,1 "" 1 \
	    sh "$build/bench-refbounces-lw.sh"
	lw_rb_t=$m_time lw_rb_runs=$m_runs
	if [ "$have_sisimai" = 1 ]; then
		printf '%s\n' "$sisimai_pl" > "$build/bench-sisimai.pl"
		printf '#!/bin/sh\ncd "%s" || exit 2\n# shellcheck disable=SC2046\nexec perl "%s" %s $(cat "%s")\n' \
		    "$ref" "$(cd "$build" && pwd)/bench-sisimai.pl" "$passes" \
		    "$list.one" \
		    > "$build/bench-refbounces-si.sh"
		m_out=/dev/null measure sisimai-refbounces 0 "" 1 \
		    sh "$build/bench-refbounces-si.sh"
		si_rb_t=$m_time si_rb_runs=$m_runs
	fi
	echo "bench: bounce messages, the reference corpus" \
	    "($shared/data/bounces, $nfiles files x $passes), $where"
	row "listwarden ingest --dry-run" "$lw_rb_t" "$nref" "" "" \
	    "$lw_rb_runs" msgs
	if [ "$have_sisimai" = 1 ]; then
		row "Sisimai->make" "$si_rb_t" "$nref" "" "" "$si_rb_runs" msgs
		ratio "ratio vs Sisimai (messages/s)" \
		    "$(rate "$nref" "$lw_rb_t")" "$(rate "$nref" "$si_rb_t")" 20
	fi
	echo "  (each one process for all $nref reads, its start included:" \
	    "perl loading Sisimai takes $(perl_start)s of its time)"
	rm -f "$list" "$list.one" "$build/bench-refbounces-lw.sh" \
	    "$build/bench-refbounces-si.sh"
else
	echo "bench: bounce messages, reference corpus: $shared/data/bounces" \
	    "is not here; skipped (BENCH_SHARED=DIR points at it)"
fi
[ "$keep" = 1 ] || rm -f "$build/bench-bounces-lw.jsonl"
exit 0
