#!/bin/sh
# demo.sh - what 'make demo' shows: listwarden on the bundled sample data
#
# usage: sh contrib/demo.sh BINARY
#
# Validates the sample CRM export contrib/samples/list.csv (its email
# column) and the plain list contrib/samples/addresses.txt, and shows
# how many people remain once addresses that differ only in case or in
# the spelling of an IDN domain are counted once.
set -u
bin=$1
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
