# esp.sh - command-line cases of the ESP event formats: each fixture of
# data/esp read by ingest's dry run, what AUTO decides, bad input, and
# one real ingest
# Sourced by run.sh, which defines golden(), result(), $bin and $work.
#
# The fixtures are dated 2025 and every event in them has its time, so
# the dry runs' output is the same on any day.

# --- every fixture, as AUTO finds it -----------------------------------------

# espgolden NAME RC FILE - the dry run's JSON of data/esp/FILE
espgolden() {
	golden "esp-$1" "$2" /dev/null ingest --dry-run --json --format auto \
	    "data/esp/$3"
}

espgolden ses-bounce-permanent 0 ses-bounce-permanent.json
espgolden ses-bounce-permanent-subtypes 0 ses-bounce-permanent-subtypes.jsonl
espgolden ses-bounce-transient 0 ses-bounce-transient.jsonl
espgolden ses-bounce-transient-sns 0 ses-bounce-transient-sns.json
espgolden ses-complaint-sns 0 ses-complaint-sns.json
espgolden ses-complaint-types 0 ses-complaint-types.json
espgolden ses-delivery 0 ses-delivery.json
espgolden ses-skipped 0 ses-skipped.json
espgolden ses-suppressed-destinations 1 ses-suppressed-destinations.json
espgolden sendgrid-bounce 0 sendgrid-bounce.json
espgolden sendgrid-blocked 0 sendgrid-blocked.json
espgolden sendgrid-deferred 0 sendgrid-deferred.json
espgolden sendgrid-delivered 0 sendgrid-delivered.json
espgolden sendgrid-dropped 0 sendgrid-dropped.json
espgolden sendgrid-spamreport 0 sendgrid-spamreport.json
espgolden sendgrid-unsubscribe 0 sendgrid-unsubscribe.json
espgolden mailgun-failed-permanent 0 mailgun-failed-permanent.json
espgolden mailgun-failed-temporary 0 mailgun-failed-temporary.json
espgolden mailgun-complained 0 mailgun-complained.json
espgolden mailgun-unsubscribed 0 mailgun-unsubscribed.json
espgolden mailgun-delivered 0 mailgun-delivered.json
espgolden mailgun-events-page 0 mailgun-events-page.json
espgolden postmark-bounce-hard 0 postmark-bounce-hard.json
espgolden postmark-bounce-soft 0 postmark-bounce-soft.json
espgolden postmark-bounces-api 0 postmark-bounces-api.json
espgolden postmark-spamcomplaint 0 postmark-spamcomplaint.json
espgolden postmark-delivery 0 postmark-delivery.json
espgolden postmark-subscriptionchange 0 postmark-subscriptionchange.jsonl

# Bad input: the good records are taken, each bad one reported once with
# its line and item, and the exit status says rows were rejected.
espgolden bad-sendgrid-batch 1 bad-sendgrid-batch.json
espgolden bad-ses-truncated 1 bad-ses-truncated.json
espgolden bad-postmark-unknown 1 bad-postmark-unknown.jsonl

# --- formats asked for -------------------------------------------------------

# Asked for by name, the same as found; the summary counts by class.
golden esp-format-mailgun 0 /dev/null ingest --dry-run --json \
    --format mailgun data/esp/mailgun-events-page.json
golden esp-summary 1 /dev/null ingest --dry-run --format sendgrid \
    data/esp/bad-sendgrid-batch.json
# A format that is not the input's: every element is no event of it.
golden esp-wrong-format 1 /dev/null ingest --dry-run --json \
    --format postmark data/esp/sendgrid-spamreport.json
# CSV read as SES: one error a line, not one a comma.
golden esp-csv-as-ses 1 /dev/null ingest --dry-run --json --format ses \
    data/supp-events.csv
# The generic formats are as they were under AUTO.
golden esp-auto-jsonl 1 /dev/null ingest --dry-run --json \
    data/supp-events.jsonl
golden esp-strict 3 /dev/null ingest --dry-run --json --strict \
    data/esp/bad-sendgrid-batch.json
# Standard input, several documents one after the other.
cat data/esp/ses-bounce-permanent.json data/esp/ses-delivery.json \
    >"$work/esp-two.json"
golden esp-stdin 0 "$work/esp-two.json" ingest --dry-run --json -
# A raw NUL is no JSON, though jansson reads it as a blank: the document
# is bad-json at the NUL's line, not events whose lines run backwards
# (found by fuzz_events).
sed '43s/,$/\x00,/' data/esp/postmark-bounces-api.json >"$work/esp-nul.json"
golden esp-nul 1 "$work/esp-nul.json" ingest --dry-run --json -
printf '{"email":"a@example.com","status":"5.1.1"}\000\n' >"$work/nul.jsonl"
golden esp-nul-jsonl 1 "$work/nul.jsonl" ingest --dry-run --json \
    --format jsonl -

# --- a real ingest -----------------------------------------------------------

# Recorded once: the same batch again is all duplicates.
esdb=$work/esp.db
"$bin" --db "$esdb" init >/dev/null
golden esp-ingest 0 /dev/null --db "$esdb" ingest --json \
    data/esp/sendgrid-bounce.json data/esp/sendgrid-dropped.json \
    data/esp/ses-complaint-types.json data/esp/postmark-bounces-api.json
golden esp-ingest-again 0 /dev/null --db "$esdb" ingest --json \
    data/esp/sendgrid-bounce.json
golden esp-check 1 /dev/null --db "$esdb" check --history 0 \
    nobody@example.com filtered@example.org one@example.com \
    fan@example.com
