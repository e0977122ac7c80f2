#!/bin/sh
# run.sh - command-line tests: drive the real binary, compare with golden files
#
# usage: sh tests/cli/run.sh BINARY
#        UPDATE=1 sh tests/cli/run.sh BINARY   (rewrite the golden files)
#
# Each case runs the binary in tests/cli/ with the arguments given, its
# standard input from a file or /dev/null, and compares its standard
# output with expected/NAME.out, its standard error with expected/NAME.err
# and its exit status with the number given.  Ends with
# "cli: N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
cd "$here" || exit 1

# result - count one case and say why it failed
result() {
	if [ -z "$2" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "cli: FAIL $1: $2"
	fi
}

# golden NAME RC STDIN ARGS... - run and compare with expected/NAME.*
golden() {
	name=$1 want=$2 input=$3
	shift 3
	"$bin" "$@" <"$input" >"$work/out" 2>"$work/err"
	rc=$?
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$work/out" "expected/$name.out"
		cp "$work/err" "expected/$name.err"
	fi
	why=""
	[ "$rc" -eq "$want" ] || why="exit status $rc, expected $want"
	if ! cmp -s "$work/out" "expected/$name.out"; then
		diff -u "expected/$name.out" "$work/out" | head -n 20
		why="${why:+$why; }standard output differs"
	fi
	if ! cmp -s "$work/err" "expected/$name.err"; then
		diff -u "expected/$name.err" "$work/err" | head -n 20
		why="${why:+$why; }standard error differs"
	fi
	result "$name" "$why"
}

. "$here/help.sh"
. "$here/validate.sh"
. "$here/store.sh"
. "$here/suppress.sh"
. "$here/suppressions.sh"
. "$here/esp.sh"
. "$here/mail.sh"
. "$here/postfix_log.sh"
. "$here/diagnose.sh"
. "$here/verify.sh"
. "$here/files.sh"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
