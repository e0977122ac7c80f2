# postfix_log.sh - command-line cases of Postfix logs (--format postfix-log):
# the dry run's JSON, what AUTO decides, bad lines, and a real ingest read
# twice
# Sourced by run.sh, which defines golden(), result(), $bin and $work.
#
# data/postfix.log and data/postfix-bad.log have ISO 8601 times of 2025,
# so their output is the same on any day.  data/postfix-classic.log has
# classic syslog times, which carry no year: the reader takes this year's
# or last year's, so ygolden() writes the year of its times as YYYY.

# ygolden NAME RC STDIN ARGS... - golden(), with years of times as YYYY
PFX_REAL=$bin
PFX_WORK=$work
export PFX_REAL PFX_WORK
cat >"$work/lw-wrap-year" <<'EOF'
#!/bin/sh
# lw-wrap-year - run the program, then print what it printed with the
# year of each RFC 3339 time written as YYYY
"$PFX_REAL" "$@" >"$PFX_WORK/ywrap.out" 2>"$PFX_WORK/ywrap.err"
rc=$?
sed 's/[0-9]\{4\}\(-[0-9][0-9]-[0-9][0-9]T[0-9:]*Z\)/YYYY\1/g' \
    "$PFX_WORK/ywrap.out"
sed 's/[0-9]\{4\}\(-[0-9][0-9]-[0-9][0-9]T[0-9:]*Z\)/YYYY\1/g' \
    "$PFX_WORK/ywrap.err" >&2
exit $rc
EOF
chmod +x "$work/lw-wrap-year"
ygolden() {
	bin=$work/lw-wrap-year
	golden "$@"
	bin=$PFX_REAL
}

# --- dry runs ----------------------------------------------------------------

# Asked for by name: one record per delivery line (bounced, deferred,
# sent, SOFTBOUNCE; smtp, lmtp, error, a second instance), each retry of
# a deferral its own event, orig_to ignored; qmgr, smtpd, cleanup and
# bounce lines and another program's give nothing.
golden pfx-format 0 /dev/null ingest --dry-run --json --format postfix-log \
    data/postfix.log
# Found by AUTO from its first line (smtpd's, no delivery); the summary.
golden pfx-auto 0 /dev/null ingest --dry-run data/postfix.log
# Classic syslog times, from standard input, found by AUTO.
ygolden pfx-classic-stdin 0 data/postfix-classic.log ingest --dry-run \
    --json -
# Bad delivery lines: no to=, a bad dsn=, a bad time, a bad address, no
# status word; each named by its line, the good lines taken.
golden pfx-bad 1 /dev/null ingest --dry-run --json --format postfix-log \
    data/postfix-bad.log
golden pfx-bad-strict 3 /dev/null ingest --dry-run --strict \
    --format postfix-log data/postfix-bad.log
# Not a log: nothing in it is a Postfix line, and that is no error.
golden pfx-not-a-log 0 /dev/null ingest --dry-run --json \
    --format postfix-log data/supp-events.csv

# --- a real ingest -----------------------------------------------------------

# Recorded once: the same log again is all duplicates.  The hard bounces
# are suppressed; a deferral, a SOFTBOUNCE or a full mailbox is not.
pfdb=$work/postfix.db
"$bin" --db "$pfdb" init >/dev/null
golden pfx-ingest 0 /dev/null --db "$pfdb" ingest --json data/postfix.log
golden pfx-ingest-again 0 /dev/null --db "$pfdb" ingest --json \
    data/postfix.log
golden pfx-check 1 /dev/null --db "$pfdb" check --history 0 \
    alice@example.net ivan@example.org gina@example.net frank@example.com \
    carol@example.com
# Both tries of bob's deferred message are in his history.
golden pfx-check-history 0 /dev/null --db "$pfdb" check bob@example.org
