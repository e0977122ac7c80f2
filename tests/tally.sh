#!/bin/sh
# tally.sh - add up the tallies of the plain and sanitizer runs
#
# usage: sh tests/tally.sh TALLY...
# Prints the closing line of 'make check' and fails when anything did.
set -u
passed=0
failed=0
for t in "$@"; do
	read -r p f <"$t" || { echo "check: no tally in $t"; exit 1; }
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
