# suppress.sh - command-line cases of suppression: ingest, check, suppress,
# unsuppress, allow, disallow, config, reevaluate; what import, export,
# clean and stats say of suppressed addresses; bad input; a kill
# Sourced by run.sh after store.sh, which defines sgolden(), same() and the
# lw-wrap wrapper.
#
# Manual actions are dated now: nwgolden() writes today's (and, for the
# events dated an hour from now, tomorrow's) RFC 3339 times as NOW; the
# event fixtures are dated 2025, so nothing else matches.

# nwgolden NAME RC STDIN ARGS... - sgolden(), with today's times as NOW
today=$(date -u +%Y-%m-%d)
tomorrow=$(date -u +%Y-%m-%d -d tomorrow)
export today tomorrow
cat >"$work/lw-wrap-now" <<'EOF'
#!/bin/sh
"$LW_REAL" "$@" >"$LW_WORK/wrap.out" 2>"$LW_WORK/wrap.err"
rc=$?
sed -e "s|$LW_WORK|\$WORK|g" -e "s/\(${today}\|${tomorrow}\)T[0-9:]*Z/NOW/g" \
    "$LW_WORK/wrap.out"
sed -e "s|$LW_WORK|\$WORK|g" -e "s/\(${today}\|${tomorrow}\)T[0-9:]*Z/NOW/g" \
    "$LW_WORK/wrap.err" >&2
exit $rc
EOF
chmod +x "$work/lw-wrap-now"
nwgolden() {
	bin=$work/lw-wrap-now
	golden "$@"
	bin=$LW_REAL
}

sdb=$work/supp.db
"$bin" --db "$sdb" init >/dev/null
sgolden supp-import 0 /dev/null --db "$sdb" import news data/supp-list.csv

# --- ingest ---------------------------------------------------------------

# The dry run's JSON is the contract every event source follows; bad rows
# are named by file and line, and nothing is recorded.
sgolden supp-ingest-dry-json 1 /dev/null --db "$sdb" ingest --dry-run \
    --json data/supp-events.csv
sgolden supp-ingest-dry 1 /dev/null --db "$sdb" ingest --dry-run \
    data/supp-events.csv
sgolden supp-ingest-strict 3 /dev/null --db "$sdb" ingest --strict \
    data/supp-events.csv
sgolden supp-check-before-ingest 0 /dev/null --db "$sdb" check \
    --history 0 bob@example.com carol@example.net

sgolden supp-ingest 1 /dev/null --db "$sdb" ingest data/supp-events.csv
# The same events again change nothing.
sgolden supp-ingest-again 1 /dev/null --db "$sdb" ingest data/supp-events.csv
sgolden supp-ingest-jsonl 1 /dev/null --db "$sdb" ingest data/supp-events.jsonl
sgolden supp-ingest-json-summary 1 /dev/null --db "$sdb" ingest --json \
    data/supp-events.jsonl
sgolden supp-ingest-stdin 1 data/supp-events.csv --db "$sdb" ingest \
    --format csv -
sgolden supp-ingest-format 2 /dev/null --db "$sdb" ingest --format xml \
    data/supp-events.csv
sgolden supp-ingest-nofile 4 /dev/null --db "$sdb" ingest data/missing.csv
sgolden supp-ingest-nocolumn 3 /dev/null --db "$sdb" ingest \
    data/nocolumn.csv

# A 10 MB diagnostic: that row is reported, the next one recorded.
{
	echo "email,status,diagnostic,event_id"
	printf 'hugo@example.com,550 5.1.1,'
	head -c 10485760 /dev/zero | tr '\0' 'x'
	printf ',big-1\nhugo@example.com,550 5.1.1,user unknown,big-2\n'
} >"$work/big-diag.csv"
"$bin" --db "$sdb" ingest "$work/big-diag.csv" >"$work/out" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 1 ] || why="exit status $rc, expected 1"
grep -q "big-diag.csv:2: too-long" "$work/err" ||
    why="${why:+$why; }no too-long error on line 2: $(head -c 300 "$work/err")"
grep -q "^ingest: 1 recorded" "$work/err" ||
    why="${why:+$why; }the next row was not recorded: $(tail -n 3 "$work/err")"
result supp-ingest-huge-diagnostic "$why"

# --- check ----------------------------------------------------------------

sgolden supp-check 1 /dev/null --db "$sdb" check bob@example.com \
    carol@example.net erin@example.net zoe@other.example Ann@Example.com \
    frank@bücher.de nobody@example.com not-an-address
sgolden supp-check-json 1 /dev/null --db "$sdb" check --json \
    --history 2 carol@example.net ann@example.com
sgolden supp-check-mailable 0 /dev/null --db "$sdb" check \
    ann@example.com nobody@example.com
printf 'ann@example.com\r\nbob@example.com\n\nzoe@other.example\n' \
    >"$work/addrs"
sgolden supp-check-stdin 1 "$work/addrs" --db "$sdb" check --history 0 -
sgolden supp-check-usage 2 /dev/null --db "$sdb" check
sgolden supp-check-history 2 /dev/null --db "$sdb" check --history x a@b.c

# --- manual actions and domain rules --------------------------------------

nwgolden supp-suppress 0 /dev/null --db "$sdb" suppress --reason \
    "asked by phone" ann@example.com
nwgolden supp-check-suppressed 1 /dev/null --db "$sdb" check ann@example.com
nwgolden supp-unsuppress 0 /dev/null --db "$sdb" unsuppress bob@example.com
nwgolden supp-check-unsuppressed 0 /dev/null --db "$sdb" check --history 1 \
    bob@example.com
nwgolden supp-suppress-domain 0 /dev/null --db "$sdb" suppress \
    @example.org '*.example.net'
nwgolden supp-check-domain 1 /dev/null --db "$sdb" check --history 0 \
    dave@example.org dave@mail.example.org x@a.example.net \
    carol@example.net @example.org
nwgolden supp-unsuppress-by-rule 0 /dev/null --db "$sdb" unsuppress \
    dave@example.org
nwgolden supp-unsuppress-domain 0 /dev/null --db "$sdb" unsuppress \
    '*.example.net'
nwgolden supp-allow 0 /dev/null --db "$sdb" allow @example.com
# A hard bounce after the allow does not suppress; a complaint does.
printf 'email,status,type,timestamp,event_id\nbob@example.com,550 5.1.1,,%s,al-1\nnew@example.com,,complaint,%s,al-2\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ -d '+1 hour')" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ -d '+1 hour')" >"$work/after-allow.csv"
"$bin" --db "$sdb" ingest "$work/after-allow.csv" >/dev/null 2>&1
nwgolden supp-check-allowed 1 /dev/null --db "$sdb" check --history 0 \
    bob@example.com new@example.com
nwgolden supp-disallow 0 /dev/null --db "$sdb" disallow @example.com
nwgolden supp-suppress-bad 3 /dev/null --db "$sdb" suppress \
    ann@example.com not-an-address @
nwgolden supp-suppress-usage 2 /dev/null --db "$sdb" suppress
printf 'x1@example.com\n@spam.example\n' >"$work/manual"
nwgolden supp-suppress-stdin 0 "$work/manual" --db "$sdb" suppress -

# --- what the other commands make of it -----------------------------------

sgolden supp-import-again 0 /dev/null --db "$sdb" import news \
    data/supp-list.csv
sgolden supp-export 0 /dev/null --db "$sdb" export \
    --removed "$work/removed.csv" news
sed "s|$work|\$WORK|g" "$work/removed.csv" >"$work/removed.out"
same supp-export-removed "$work/removed.out" expected/supp-export-removed.csv
sgolden supp-clean 1 data/supp-list.csv --db "$sdb" clean \
    --removed "$work/clean-removed.csv" -
same supp-clean-removed "$work/clean-removed.csv" \
    expected/supp-clean-removed.csv
"$bin" --db "$sdb" stats >"$work/out" 2>"$work/err"
sed 's/^store size .*/store size N/' "$work/out" >"$work/stats"
same supp-stats "$work/stats" expected/supp-stats.out
"$bin" --db "$sdb" stats --json 2>&1 |
    sed 's/"file_size":[0-9]*/"file_size":N/' >"$work/stats"
same supp-stats-json "$work/stats" expected/supp-stats-json.out

# --- config and reevaluate ------------------------------------------------

sgolden supp-config 0 /dev/null --db "$sdb" config
sgolden supp-config-get 0 /dev/null --db "$sdb" config window_days
sgolden supp-config-set 0 /dev/null --db "$sdb" config soft_threshold 5
sgolden supp-config-unknown 2 /dev/null --db "$sdb" config threshold 5
sgolden supp-config-bad 2 /dev/null --db "$sdb" config per_day maybe
sgolden supp-config-zero-window 2 /dev/null --db "$sdb" config window_days 0
# carol stays suppressed (4 counts) until reevaluate; a threshold of 5
# then lifts her, and 2 suppresses... nothing more: her counts are 3.
sgolden supp-check-before-reevaluate 1 /dev/null --db "$sdb" check \
    --history 0 carol@example.net
sgolden supp-reevaluate 0 /dev/null --db "$sdb" reevaluate
sgolden supp-check-after-reevaluate 0 /dev/null --db "$sdb" check \
    --history 0 carol@example.net
"$bin" --db "$sdb" config soft_threshold 3 2>/dev/null
sgolden supp-reevaluate-back 0 /dev/null --db "$sdb" reevaluate

# --- a kill during ingest ---------------------------------------------------

# 300,000 events over 150,000 addresses (three write batches), killed after
# a pause, then ingested again: the states are those of one clean
# ingest.  At least one trial must have been killed between two batches
# (the log neither empty nor whole): the pause is halved between the
# longest that came too early and the shortest that came too late.
awk 'BEGIN { print "email,status,timestamp,event_id"
	srand(7)
	for (i = 1; i <= 300000; i++) {
		a = int(rand() * 150000)
		s = rand() < 0.2 ? "550 5.1.1" : "452 4.2.2"
		printf "u%d@example.com,%s,%d,k%d\n", a, s,
		    1735689600 + int(rand() * 90) * 86400, i
	}
}' >"$work/300k.csv"
awk 'BEGIN { for (i = 0; i < 150000; i++) printf "u%d@example.com\n", i }' \
    >"$work/150k.txt"
"$bin" --db "$work/clean.db" init >/dev/null
"$bin" --db "$work/clean.db" ingest "$work/300k.csv" >/dev/null 2>&1
"$bin" --db "$work/clean.db" check --json --history 0 - <"$work/150k.txt" \
    >"$work/clean.states" 2>/dev/null
why=""
partial=0
lo=0.05
hi=3.0
for trial in 1 2 3 4 5 6 7 8; do
	[ -z "$why" ] && [ "$partial" -lt 2 ] || break
	rm -f "$work/k.db" "$work/k.db-lock"
	"$bin" --db "$work/k.db" init >/dev/null
	pause=$(awk -v lo="$lo" -v hi="$hi" \
	    'BEGIN { printf "%.3f\n", (lo + hi) / 2 }')
	"$bin" --db "$work/k.db" ingest "$work/300k.csv" >/dev/null 2>&1 &
	pid=$!
	sleep "$pause"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$("$bin" --db "$work/k.db" stats --json 2>/dev/null |
	    sed 's/.*"events":\([0-9]*\).*/\1/')
	# Too early (nothing written) or too late (all): narrow the range.
	case "$n" in
	0) lo=$pause ;;
	300000) hi=$pause ;;
	*) partial=$((partial + 1)) ;;
	esac
	"$bin" --db "$work/k.db" ingest "$work/300k.csv" >/dev/null \
	    2>"$work/err"
	rc=$?
	[ "$rc" -eq 0 ] || { why="trial $trial: the second ingest exited $rc: $(cat "$work/err")"; break; }
	"$bin" --db "$work/k.db" check --json --history 0 - <"$work/150k.txt" \
	    >"$work/k.states" 2>/dev/null
	cmp -s "$work/k.states" "$work/clean.states" ||
	    { why="trial $trial (killed after $pause s, $n events recorded): the states differ from one clean ingest"; break; }
done
[ -n "$why" ] || [ "$partial" -ge 1 ] ||
    why="no trial was killed between two batches"
result supp-kill-ingest-converges "$why"
