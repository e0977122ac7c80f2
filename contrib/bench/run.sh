#!/usr/bin/env bash
#
# run.sh - time `listwarden validate` against python-email-validator
#
# NAME
#	run.sh - the body of `make bench`
#
# SYNOPSIS
#	run.sh BINARY BUILD_DIR [N]
#
# DESCRIPTION
#	Builds BUILD_DIR/genaddr from genaddr.c (with ${CC:-cc} -O2) when it
#	is missing or older than its source, writes N addresses (default
#	1000000, seed 1) to BUILD_DIR/bench-addresses.txt, and times
#	`BINARY validate FILE > /dev/null`, best of 3 runs by wall clock.
#	Exit status 1 from it means some addresses were invalid, which they
#	are; anything above 1 is a failure.  Then runs baseline.py, which
#	validates the same file with python-email-validator under
#	/usr/bin/python3, once.  Both are pinned to CPU 0 with taskset when
#	it is there and allowed.  Prints a table of times, rates and ratio.
#
#	Standard error of each validate run goes to
#	BUILD_DIR/bench-validate.err.
#
# EXIT STATUS
#	0 on success; 1 when a step fails or the baseline is missing;
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

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	usage
fi
bin=$1
build=$2
n=${3:-1000000}
case $n in
'' | *[!0-9]*) usage ;;
esac
[ "$n" -gt 0 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3

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

if [ ! -x "$gen" ] || [ "$here/genaddr.c" -nt "$gen" ]; then
	${CC:-cc} -O2 -o "$gen" "$here/genaddr.c" ||
	    die "cannot build $gen"
fi
"$gen" "$n" 1 > "$addrs" || die "$gen failed"

pin=()
where="one core"
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	pin=(taskset -c 0)
else
	where="not pinned (no taskset)"
fi

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
