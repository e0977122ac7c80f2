#!/bin/sh
# report_html.sh - the HTML report, opened in headless Chromium
#
# usage: sh tests/report_html.sh BINARY [SHOT]
#
# Makes a store from the project's own events and messages, writes
# `report --html`, and has Chromium (Debian chromium) render it: the
# screenshot must be a PNG of the window's size with more than a blank
# page in it, the DOM Chromium built must hold every bar of every chart,
# and nothing may have been fetched or failed while loading.  The
# screenshot is left at SHOT when given.  Exits 0 when all holds, 1 when
# not, 77 when chromium is not installed.
set -u
bin=$1
shot_keep=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chromium=$(command -v chromium || command -v chromium-browser) || {
	echo "report-html: chromium is not installed; not run"
	exit 77
}
failed=0

# fail - say what did not hold
fail() {
	echo "report-html: FAIL $*"
	failed=1
}

"$bin" --db "$work/s.db" init >/dev/null &&
    "$bin" --db "$work/s.db" ingest tests/cli/data/report-events.csv \
    tests/mail/sample.mbox >/dev/null 2>&1 &&
    "$bin" --db "$work/s.db" report --html "$work/report.html" >/dev/null || {
	echo "report-html: FAIL could not write the report"
	exit 1
}
# Chromium as root needs --no-sandbox; HOME keeps its profile here.
run_chromium() {
	HOME=$work timeout 180 "$chromium" --headless --no-sandbox \
	    --disable-gpu --hide-scrollbars --no-first-run \
	    --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log"
}
run_chromium --window-size=1000,1400 --screenshot="$work/shot.png" \
    "file://$work/report.html" >/dev/null ||
    fail "chromium could not take the screenshot"
if [ -s "$work/shot.png" ]; then
	# The PNG signature, and IHDR's width and height (big-endian).
	sig=$(od -An -tx1 -N8 "$work/shot.png" | tr -d ' \n')
	[ "$sig" = 89504e470d0a1a0a ] || fail "the screenshot is no PNG"
	size=$(od -An -tu1 -j16 -N8 "$work/shot.png" |
	    awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 "x" \
	    $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')
	[ "$size" = 1000x1400 ] || fail "the screenshot is $size, not 1000x1400"
	# A blank page compresses to a few kilobytes; charts and text do not.
	[ "$(wc -c < "$work/shot.png")" -gt 20000 ] ||
	    fail "the screenshot is nearly empty"
	[ -z "$shot_keep" ] || cp "$work/shot.png" "$shot_keep"
else
	fail "no screenshot"
fi
run_chromium --dump-dom "file://$work/report.html" >"$work/dom.html" ||
    fail "chromium could not load the page"
bars_page=$(grep -o '<rect class="bar"' "$work/report.html" | wc -l)
bars_dom=$(grep -o '<rect class="bar"' "$work/dom.html" | wc -l)
[ "$bars_page" -gt 5 ] || fail "only $bars_page bars in the page"
[ "$bars_dom" = "$bars_page" ] ||
    fail "Chromium built $bars_dom bars of the page's $bars_page"
grep -q '<h1>What came back</h1>' "$work/dom.html" ||
    fail "the page's heading is not in the DOM"
# Nothing fetched, nothing failed while loading the page.
if grep -i 'Failed to load\|net::ERR\|Uncaught\|Refused to' \
    "$work/chromium.log"; then
	fail "errors while loading the page"
fi
[ "$failed" = 0 ] || exit 1
echo "report-html: rendered by $("$chromium" --version 2>/dev/null |
    head -n 1); $bars_dom bars, screenshot $size"
