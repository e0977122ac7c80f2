# diagnose.sh - command-line cases of explain and report: what an error
# means, and what came back in a period
# Sourced by run.sh after store.sh, which defines sgolden() and same().

# --- explain ------------------------------------------------------------------

# The three kinds of 5.7.1: a relay denial, a DMARC rejection, a user
# unknown; and the advice each gets.
golden explain-relay 0 /dev/null explain 554 5.7.1 Relay access denied
golden explain-dmarc 0 /dev/null explain "550 5.7.1 Unauthenticated email" \
    "from example.com is not accepted due to domain's DMARC policy"
golden explain-user-unknown 0 /dev/null explain --json \
    "550 5.7.1 <jane@example.com>... User unknown"
# Codes inside the words are found: "... said: 550 5.1.1 ...".
golden explain-said 0 /dev/null explain "host mx.example.net[192.0.2.1]" \
    "said: 550 5.1.1 <a@example.net>: Recipient address rejected"
# Nothing known: the kind is unknown, exit status 1.
golden explain-unknown 1 /dev/null explain the frobnicator said no
# Standard input: a diagnostic a line, or a whole bounce message.
printf '421 4.7.0 [TSS04] temporarily deferred due to user complaints\n\n451 4.7.1 Greylisted, please try again later\n' \
    >"$work/diags.txt"
golden explain-lines 0 "$work/diags.txt" explain --json -
golden explain-message 0 ../mail/messages/dsn-multi-recipient.eml \
    explain -
golden explain-not-bounce 1 ../mail/messages/not-bounce-plain.eml \
    explain --json -
golden explain-usage 2 /dev/null explain
golden explain-empty 3 /dev/null explain -

# Every event of the project's own bounce messages has a kind.
"$bin" ingest --dry-run --json ../mail/messages/*.eml >"$work/kinds.out" \
    2>/dev/null
why=""
grep -q '"kind":"unknown"' "$work/kinds.out" &&
    why="an event of ../mail/messages has kind unknown: $(grep -o \
    '"file":"[^"]*"' "$work/kinds.out" | head -n 1)"
[ "$(grep -c '"kind":' "$work/kinds.out")" -gt 40 ] ||
    why="${why:+$why; }too few events with a kind"
result mail-kinds-known "$why"

# --- report -------------------------------------------------------------------

rdb=$work/report.db
"$bin" --db "$rdb" init >/dev/null
"$bin" --db "$rdb" ingest data/report-events.csv ../mail/sample.mbox \
    2>/dev/null
sgolden report-all 0 /dev/null --db "$rdb" report
sgolden report-json 0 /dev/null --db "$rdb" report --json
# The period: --until excluded, --since included.
sgolden report-period 0 /dev/null --db "$rdb" report --since 2025-05-01 \
    --until 2025-05-05
sgolden report-empty 0 /dev/null --db "$rdb" report --since 2030-01-01
sgolden report-bad-period 2 /dev/null --db "$rdb" report --since \
    2025-05-05 --until 2025-05-01
sgolden report-bad-time 2 /dev/null --db "$rdb" report --since yesterday

# The report's numbers are the events': its counts by class are those
# of a dry run over the same files, class by class.
"$bin" ingest --dry-run --json data/report-events.csv ../mail/sample.mbox \
    2>/dev/null >"$work/report-dry.out"
"$bin" --db "$rdb" report --json >"$work/report.json"
why=""
for c in hard soft technical policy complaint unsubscribe delivered \
    auto-reply; do
	want=$(grep -c "\"class\":\"$c\"" "$work/report-dry.out")
	got=$(sed -n "s/.*\"by_class\":{[^}]*\"$c\":\\([0-9]*\\).*/\\1/p" \
	    "$work/report.json")
	[ "$want" = "$got" ] || why="${why:+$why; }$c: report $got, events $want"
done
want=$(grep -c '"kind":"dmarc-failed"' "$work/report-dry.out")
got=$(grep -o '"kind":"dmarc-failed","class":"policy","count":[0-9]*' \
    "$work/report.json" | sed 's/.*://')
[ "$want" = "$got" ] || why="${why:+$why; }dmarc-failed: report $got, events $want"
result report-counts "$why"

# --html: one page, written atomically and 0600, with no script and
# nothing fetched from elsewhere, a chart per kind and per domain.
sgolden report-html 0 /dev/null --db "$rdb" report --html \
    "$work/report.html"
why=""
[ "$(mode "$work/report.html")" = 600 ] || why="mode $(mode "$work/report.html")"
grep -qi '<script\|src=\|href=\|@import\|url(' "$work/report.html" &&
    why="${why:+$why; }it loads or runs something"
for id in chart-classes chart-kinds chart-domains-dmarc-failed chart-soft; do
	grep -q "id=\"$id\"" "$work/report.html" ||
	    why="${why:+$why; }no $id"
done
grep -q '<h1>What came back</h1>' "$work/report.html" ||
    why="${why:+$why; }no heading"
result report-html-page "$why"
