#!/bin/sh
# demo.sh - what 'make demo' shows: listwarden on the bundled sample data
#
# usage: sh contrib/demo.sh BINARY WORKDIR
#
# Validates the sample CRM export contrib/samples/list.csv (its email
# column) and the plain list contrib/samples/addresses.txt, shows how
# many people remain once addresses that differ only in case or in the
# spelling of an IDN domain are counted once, then imports the CRM
# export into a fresh store in WORKDIR and exports the cleaned list.
# Then the campaign's bounces come back: ingests contrib/samples/
# bounces.csv, checks a few addresses, exports the list again without
# the addresses that must not be mailed, and writes the suppression list
# for Amazon SES and for a Postfix access table; in between, the report
# of what came back and one error explained.
set -u
bin=$1
work=${2:-build}
samples=$(dirname "$0")/samples
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# run - show a command, run it, accept exit status 0 or 1 (some invalid)
run() {
	echo "\$ listwarden $*"
	"$bin" "$@" 2>"$err"
	rc=$?
	cat "$err"
	if [ $rc -gt 1 ]; then
		echo "demo: listwarden $1 failed with exit status $rc" >&2
		exit 1
	fi
	echo "(exit status $rc: $( [ $rc -eq 0 ] && echo 'every address is valid' || echo 'some addresses are not valid'))"
	echo
}

echo "== 1. A CRM export, before a campaign: which rows can be mailed?"
echo
run validate --column email "$samples/list.csv"

echo "== 2. The same list as JSON lines, for scripts (first three rows)"
echo
echo "\$ listwarden validate --json --column email $samples/list.csv | head -n 3"
"$bin" validate --json --column email "$samples/list.csv" 2>/dev/null | head -n 3
echo

echo "== 3. A plain list, one address per line"
echo
"$bin" validate --json "$samples/addresses.txt" >"$out" 2>/dev/null
run validate "$samples/addresses.txt"

valid=$(grep -c '"valid":true' "$out")
people=$(grep '"valid":true' "$out" | sed 's/.*"key":"\([^"]*\)".*/\1/' |
    sort -u | wc -l)
echo "$valid valid addresses in $samples/addresses.txt are $people distinct"
echo "people: John.Doe@Example.COM is john.doe@example.com, and"
echo "user@bücher.de is user@xn--bcher-kva.de (the key column of --json)."
echo

echo "== 4. Import the CRM export into a store, keeping what was rejected"
echo
db=$work/demo.db
rejects=$work/rejects.csv
cleaned=$work/customers-clean.csv
rm -f "$db" "$db-lock"
"$bin" --db "$db" init
echo
echo "\$ listwarden import --rejects rejects.csv customers $samples/list.csv"
"$bin" --db "$db" import --rejects "$rejects" customers "$samples/list.csv"
rc=$?
[ $rc -le 1 ] || { echo "demo: import failed ($rc)" >&2; exit 1; }
echo
echo "\$ cat rejects.csv     # each rejected row, with its line and reason"
cat "$rejects"
echo

echo "== 5. Hand the cleaned list on: the same columns, one row per person"
echo
echo "\$ listwarden export -o customers-clean.csv customers"
"$bin" --db "$db" export -o "$cleaned" customers || exit 1
echo "\$ head -n 6 customers-clean.csv"
head -n 6 "$cleaned"
echo "..."
echo
"$bin" --db "$db" lists
echo

echo "== 6. After the send: feed back the bounces, complaints, unsubscribes"
echo
echo "\$ listwarden ingest $samples/bounces.csv"
"$bin" --db "$db" ingest "$samples/bounces.csv"
rc=$?
[ $rc -le 1 ] || { echo "demo: ingest failed ($rc)" >&2; exit 1; }
echo "(the row of line 15 has a timestamp nobody can read; the repeated"
echo " event evt-0001 counts once; ingesting the file again changes nothing)"
echo
echo "\$ listwarden ingest $samples/bounces.mbox     # the bounce mailbox"
"$bin" --db "$db" ingest "$samples/bounces.mbox"
rc=$?
[ $rc -le 1 ] || { echo "demo: ingest of the mailbox failed ($rc)" >&2; exit 1; }
echo "(a Postfix DSN, an Exim bounce in words, an out-of-office reply and an"
echo " ARF complaint: hard, soft, recorded only, complaint)"
echo

echo "== 7. Who may be mailed, and why not"
echo
echo "\$ listwarden check dave.smith@northwind-traders.com carol.white@example.co.uk tom.becker@bluepeak-consulting.com john.doe@example.com priya.sharma@harborview-dental.com francois.dubois@example.fr"
"$bin" --db "$db" check dave.smith@northwind-traders.com \
    carol.white@example.co.uk tom.becker@bluepeak-consulting.com \
    john.doe@example.com priya.sharma@harborview-dental.com \
    francois.dubois@example.fr 2>&1
echo "(exit status $?: 1 when some are suppressed)"
echo
echo "\$ listwarden suppress --reason 'asked by phone' @fabrikam-design.net"
"$bin" --db "$db" suppress --reason 'asked by phone' @fabrikam-design.net ||
    exit 1
echo

echo "== 8. The list for the next campaign, and what was left out"
echo
removed=$work/customers-removed.csv
echo "\$ listwarden export -o customers-clean.csv --removed removed.csv customers"
"$bin" --db "$db" export -o "$cleaned" --removed "$removed" customers ||
    exit 1
echo "\$ cat removed.csv"
cat "$removed"
echo
"$bin" --db "$db" stats
echo

echo "== 9. What came back, and what to fix on the sending side"
echo
echo "\$ listwarden report --since 2025-06-01 --html report.html"
"$bin" --db "$db" report --since 2025-06-01 --html "$work/report.html" ||
    exit 1
echo "(report.html: the same as one page with bar charts)"
echo
echo "\$ listwarden explain 550 5.7.1 Service unavailable, Client host blocked using Spamhaus"
"$bin" explain 550 5.7.1 Service unavailable, Client host blocked using \
    Spamhaus || exit 1
echo

echo "== 10. The suppression list, for the ESP and the MTA"
echo
echo "\$ listwarden suppressions --format ses"
"$bin" --db "$db" suppressions --format ses || exit 1
echo "\$ listwarden suppressions --format postfix"
"$bin" --db "$db" suppressions --format postfix || exit 1
exit 0
