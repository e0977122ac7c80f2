# suppressions.sh - command-line cases of 'listwarden suppressions': every
# format byte for byte, the filters, untrusted text, the output file
# Sourced by run.sh after store.sh and suppress.sh, which define sgolden(),
# nwgolden() and same().

fdb=$work/fmt.db
"$bin" --db "$fdb" init >/dev/null
"$bin" --db "$fdb" import people data/fmt-list.csv >/dev/null
"$bin" --db "$fdb" ingest data/fmt-events.csv >/dev/null 2>&1

# Every format, byte for byte.
for f in csv ses ses-jsonl mailgun-bounces mailgun-unsubscribes \
    mailgun-complaints sendgrid postmark listmonk postfix sha256 md5; do
	sgolden "supp-format-$f" 0 /dev/null --db "$fdb" suppressions \
	    --format "$f"
done

# Filters: reasons, a time, ASCII only.
sgolden supp-format-reason 0 /dev/null --db "$fdb" suppressions \
    --reason hard,complaint
sgolden supp-format-since 0 /dev/null --db "$fdb" suppressions \
    --format ses --since 2025-04-03T00:00:00Z
sgolden supp-format-ascii 0 /dev/null --db "$fdb" suppressions \
    --format ses --ascii-only
sgolden supp-format-bad 2 /dev/null --db "$fdb" suppressions --format xls
sgolden supp-format-bad-reason 2 /dev/null --db "$fdb" suppressions \
    --reason hard,bounced
sgolden supp-format-bad-since 2 /dev/null --db "$fdb" suppressions \
    --since yesterday
sgolden supp-format-nostore 5 /dev/null --db "$work/none.db" suppressions

# The CSV opens as CSV, and a diagnostic a spreadsheet would run as a
# formula is neutralized: read back by listwarden's own CSV reader, as the
# suppression list it is.
"$bin" --db "$fdb" suppressions >"$work/supp.csv" 2>/dev/null
sgolden supp-format-csv-reads-back 0 /dev/null ingest --dry-run --json \
    "$work/supp.csv"

# -o: written whole, mode 0600, and an earlier file kept on failure.
"$bin" --db "$fdb" suppressions --format postfix -o "$work/access" \
    >"$work/out" 2>&1
why=""
[ "$(mode "$work/access")" = 600 ] ||
    why="mode $(mode "$work/access"), expected 600"
[ "$(wc -l <"$work/access")" -eq 6 ] ||
    why="${why:+$why; }$(wc -l <"$work/access") lines, expected 6"
result supp-format-output-file "$why"

# --- suppression lists back in: each format ingest reads ------------------

# Exported, ingested into a fresh store, exported again: the same file,
# but for the native CSV's first_event_at (the list holds one event) and
# the case of local parts (kept for the addresses of imported lists only:
# the fresh store has none).
"$bin" --db "$fdb" suppress @spam.example >/dev/null 2>&1
"$bin" --db "$fdb" suppress --reason "asked by phone" x@manual.example \
    >/dev/null 2>&1
for f in csv ses ses-jsonl mailgun-bounces mailgun-unsubscribes \
    mailgun-complaints sendgrid postmark postfix listmonk; do
	rm -f "$work/rt.db" "$work/rt.db-lock"
	"$bin" --db "$work/rt.db" init >/dev/null
	"$bin" --db "$fdb" suppressions --format "$f" -o "$work/rt-$f" \
	    2>/dev/null
	why=""
	# listmonk's header is any list's: its format must be named.
	set -- "$work/rt-$f"
	[ "$f" = listmonk ] && set -- --format listmonk "$work/rt-$f"
	"$bin" --db "$work/rt.db" ingest "$@" >/dev/null \
	    2>"$work/err" || why="ingest: $(cat "$work/err")"
	"$bin" --db "$work/rt.db" suppressions --format "$f" \
	    >"$work/rt-$f.again" 2>/dev/null
	t='[0-9T:Z-]\{20\}'
	sed "s/\(,$t\),$t,/\1,,/" "$work/rt-$f" | tr A-Z a-z >"$work/a"
	sed "s/\(,$t\),$t,/\1,,/" "$work/rt-$f.again" | tr A-Z a-z >"$work/b"
	cmp -s "$work/a" "$work/b" ||
	    why="${why:+$why; }the second export differs: $(diff "$work/a" "$work/b" | head -n 4)"
	result "supp-roundtrip-$f" "$why"
done

# What each list's rows become; a reason a list does not know is reported.
sgolden supp-list-postmark 1 /dev/null ingest --dry-run --json \
    data/supplist-postmark.csv
# An export whose columns come in another order is the same list.
sgolden supp-list-reordered 0 /dev/null ingest --dry-run --json \
    data/supplist-postmark-reordered.csv
# A Postfix access table: a comment is skipped, a key no listwarden rule
# can stand for ("user@") and a line that is no REJECT are reported.
printf '%s\n' 'a@example.com REJECT 5.1.1 suppressed: complaint' \
    '# kept by hand' '.example.org REJECT' 'example.net REJECT spam source' \
    'user@ REJECT' 'b@example.com OK' >"$work/access.txt"
nwgolden supp-list-postfix 1 /dev/null ingest --dry-run --json \
    "$work/access.txt"
# SES's import has no header: a first row "address,BOUNCE" says what it is.
nwgolden supp-list-ses 1 /dev/null ingest --dry-run --json \
    data/supplist-ses.csv
# Forced as a listmonk blocklist, the same file has no header: it is no
# blocklist, not an SES list read as one (found by fuzz_events).
nwgolden supp-list-listmonk-no-header 3 /dev/null ingest --dry-run \
    --format listmonk data/supplist-ses.csv

# An event with no time is dated now, and its id (its content's hash)
# leaves the time out: the same file again a second later is a repeat.
printf 'email,status\nundated@example.com,452 4.2.2\n' >"$work/undated.csv"
"$bin" --db "$work/rt.db" ingest "$work/undated.csv" >/dev/null 2>&1
sleep 1
"$bin" --db "$work/rt.db" ingest "$work/undated.csv" >/dev/null \
    2>"$work/err"
why=""
grep -q '^ingest: 0 recorded, 1 duplicates skipped' "$work/err" ||
    why="the second ingest said: $(cat "$work/err")"
result supp-undated-repeat "$why"
