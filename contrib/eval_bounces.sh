#!/bin/sh
# eval_bounces.sh - score the bounce message reader against a reference
#
# SYNOPSIS
#	sh contrib/eval_bounces.sh LISTWARDEN BOUNCES_DIR OUT_DIR
#
# DESCRIPTION
#	BOUNCES_DIR is ../shared/data/bounces: messages/, files.txt,
#	expected.jsonl, contested.txt and score.py.  Every file of files.txt
#	is read by `listwarden ingest --dry-run --json`, from messages/, so
#	that each record's "file" is the path files.txt gives; the records
#	go to OUT_DIR/bounces.jsonl and score.py scores them twice, with the
#	contested files and without.  Rows listwarden rejects (an address
#	its list policy refuses) are reported on standard error and scored
#	as missed.  Then the share of recipients whose kind is unknown.
set -eu
prog=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
out=$3
mkdir -p "$out"
out=$(cd "$out" && pwd)
# shellcheck disable=SC2046  # one argument per file name, as listed
(cd "$dir/messages" && "$prog" ingest --dry-run --json \
    $(grep -v '^#' ../files.txt)) > "$out/bounces.jsonl" \
    2> "$out/bounces.err" || true
echo "eval: bounce messages, $(grep -vc '^#' "$dir/files.txt") files," \
    "records in $out/bounces.jsonl"
echo "--- all files"
python3 "$dir/score.py" "$out/bounces.jsonl"
echo "--- without the contested files ($dir/contested.txt)"
python3 "$dir/score.py" --skip "$dir/contested.txt" "$out/bounces.jsonl"
echo "--- kinds (issue: what each bounce means; goal: under 2% unknown)"
python3 - "$out/bounces.jsonl" <<'PY'
import collections, json, sys
kinds = collections.Counter()
unknown = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("class") in ("not-a-bounce", None):
        continue
    kinds[r.get("kind")] += 1
    if r.get("kind") == "unknown":
        unknown.append("%s %s: %s" % (r["file"], r["recipient"],
                                      (r.get("diagnostic") or "")[:70]))
n = sum(kinds.values())
print("recipients with a kind      %d" % n)
print("kind unknown               %5.1f%% (%d/%d)" % (
    100.0 * kinds["unknown"] / n if n else 0, kinds["unknown"], n))
print("by kind: " + ", ".join("%s %d" % kv for kv in kinds.most_common()))
for u in unknown:
    print("  unknown: " + u)
PY
