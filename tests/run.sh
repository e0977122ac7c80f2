#!/bin/sh
# run.sh - run every test of one build and write the tally
#
# usage: sh tests/run.sh BUILD TALLY
#
# Runs each cmocka unit test in BUILD/tests, the fuzz corpus replays,
# the command-line tests against BUILD/listwarden and the Postfix pipe
# test (contrib/postfix/test-pipe.sh), the crash-safety, concurrency and
# hostile-input tests (tests/crash.sh, tests/concurrency.sh,
# tests/hostile.sh) and the HTML report in
# headless Chromium (tests/report_html.sh), prints a line per
# suite and writes "PASSED FAILED" to TALLY.  Exits 1 when anything
# failed.
set -u
build=$1
tally=$2
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# count_cmocka - the passed and failed counts of one cmocka run
count_cmocka() {
	# cmocka writes to stdout and stderr, so the lines may interleave.
	p=$(grep -o '\[  PASSED  \] [0-9]*' "$log" | tail -n 1 | sed 's/.* //')
	f=$(grep -o '\[  FAILED  \] [0-9]*' "$log" | tail -n 1 | sed 's/.* //')
	echo "${p:-0} ${f:-0}"
}

for t in "$build"/tests/test_*; do
	case $t in *.d) continue ;; esac
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	rc=$?
	set -- $(count_cmocka)
	p=$1 f=$2
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# it crashed or a sanitizer stopped it
	fi
	if [ "$f" -ne 0 ]; then
		cat "$log"
	fi
	echo "unit   $(basename "$t"): $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
done

for t in "$build"/tests/replay_*; do
	case $t in *.d) continue ;; esac
	[ -x "$t" ] || continue
	name=${t##*/replay_}
	# The message target's seeds are the project's own test messages too.
	extra=""
	[ "$name" = mail ] && extra="tests/mail/messages tests/mail/sample.mbox"
	# shellcheck disable=SC2086  # extra is a list of paths
	if "$t" tests/fuzz/corpus/"$name" $extra >"$log" 2>&1; then
		n=$(sed -n 's/^replay: \([0-9]*\) inputs.*/\1/p' "$log")
		echo "fuzz   $name corpus replay: ${n:-0} inputs, no crash"
		passed=$((passed + 1))
	else
		cat "$log"
		echo "fuzz   $name corpus replay: FAILED"
		failed=$((failed + 1))
	fi
done

sh tests/cli/run.sh "$build/listwarden" >"$log" 2>&1
rc=$?
cat "$log"
p=$(sed -n 's/^cli: \([0-9]*\) passed.*/\1/p' "$log")
f=$(sed -n 's/^cli: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$log")
if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
	f=1
fi
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))

# The Postfix path: a bounce piped in as pipe(8) would, then checked.
if sh contrib/postfix/test-pipe.sh "$build/listwarden" >"$log" 2>&1; then
	echo "postfix pipe: $(tail -n 1 "$log")"
	passed=$((passed + 1))
else
	cat "$log"
	echo "postfix pipe: FAILED"
	failed=$((failed + 1))
fi

# Faults: kills at random points and a full disk, writers and readers at
# once, inputs chosen to hurt.  STRESS_TRIALS and STRESS_ROUNDS raise
# the counts (make stress).
for t in "crash ${STRESS_TRIALS:-5}" "concurrency ${STRESS_ROUNDS:-2}" \
    "hostile -"; do
	name=${t%% *}
	n=${t#* }
	[ "$n" = - ] && n=""
	# shellcheck disable=SC2086  # n is a count, or nothing
	if sh "tests/$name.sh" "$build/listwarden" $n >"$log" 2>&1; then
		# hostile prints a line per case: its tally is enough here.
		if [ "$name" = hostile ]; then
			tail -n 1 "$log"
		else
			sed "s/^/$name: /; s/^$name: $name: /$name: /" "$log"
		fi
		passed=$((passed + 1))
	else
		cat "$log"
		echo "$name: FAILED"
		failed=$((failed + 1))
	fi
done

# The HTML report in headless Chromium (77: chromium is not installed).
sh tests/report_html.sh "$build/listwarden" "$build/report-shot.png" \
    >"$log" 2>&1
case $? in
0)	echo "report html: $(tail -n 1 "$log")"
	passed=$((passed + 1)) ;;
77)	echo "report html: $(tail -n 1 "$log")" ;;
*)	cat "$log"
	echo "report html: FAILED"
	failed=$((failed + 1)) ;;
esac

echo "$passed $failed" >"$tally"
echo "$build: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
