# mail.sh - command-line cases of bounce messages: every message of
# ../mail/messages read by ingest's dry run, an mbox, a Maildir, standard
# input, VERP, messages that are no bounce, and one real ingest
# Sourced by run.sh after store.sh, which defines sgolden() and same().
#
# Every message has a Date, so the dry runs' output is the same on any
# day.  ../mail/expected.jsonl says, one line per event, what each must
# give; the golden files hold the whole output.

# --- every message, as AUTO finds it -----------------------------------------

for f in ../mail/messages/*.eml; do
	n=$(basename "$f" .eml)
	case $n in
	verp-hidden)
		golden "mail-$n" 0 /dev/null ingest --dry-run --json \
		    --verp 'bounces+%l=%d@lists.example.com' "$f" ;;
	*)
		golden "mail-$n" 0 /dev/null ingest --dry-run --json "$f" ;;
	esac
done

# Without --verp the hidden recipient is not found: the message is
# reported as no event, and nothing else happens.
golden mail-verp-missing 0 /dev/null ingest --dry-run \
    ../mail/messages/verp-hidden.eml
# A pattern without both fields is a usage error.
golden mail-verp-bad 2 /dev/null ingest --dry-run --verp 'bounces@%d' \
    ../mail/messages/verp-hidden.eml

# --- containers ---------------------------------------------------------------

# An mbox: each message's records at its "From " line, the same events as
# its messages alone.
golden mail-mbox 0 /dev/null ingest --dry-run --json ../mail/sample.mbox
golden mail-mbox-forced 0 /dev/null ingest --dry-run --json --format mbox \
    ../mail/sample.mbox
# A message on standard input, as an MTA pipes it.
golden mail-stdin 0 ../mail/messages/dsn-postfix.eml ingest --dry-run \
    --json -
# The summary: rows by class, and the messages that are no bounce.
golden mail-summary 0 /dev/null ingest --dry-run \
    ../mail/messages/dsn-multi-recipient.eml \
    ../mail/messages/not-bounce-plain.eml \
    ../mail/messages/autoreply-rfc3834.eml

# A Maildir: cur/ then new/, each by name; tmp/ is not read.
md=$work/Maildir
mkdir -p "$md/cur" "$md/new" "$md/tmp"
cp ../mail/messages/text-qmail.eml "$md/cur/1700000001.M1P1.mx:2,S"
cp ../mail/messages/arf-complaint.eml "$md/cur/1700000002.M2P2.mx:2,S"
cp ../mail/messages/dsn-delayed.eml "$md/new/1700000003.M3P3.mx"
cp ../mail/messages/dsn-postfix.eml "$md/tmp/1700000004.M4P4.mx"
sgolden mail-maildir 0 /dev/null ingest --dry-run --json "$md"
sgolden mail-maildir-forced 0 /dev/null ingest --dry-run --json \
    --format maildir "$md"
# A directory that is no Maildir is a data error, named.
mkdir -p "$work/not-a-maildir"
sgolden mail-not-maildir 3 /dev/null ingest --dry-run "$work/not-a-maildir"

# Bytes that are no message at all are no bounce, not a crash.
printf 'From: \001\002\n\n\377\376 garbage' >"$work/garbage.eml"
sgolden mail-garbage 0 /dev/null ingest --dry-run --json --format mail \
    "$work/garbage.eml"

# --- a real ingest ------------------------------------------------------------

# The mbox recorded: the hard bounce suppresses, the complaint too, the
# auto-reply is recorded and suppresses nothing.  Read again, every
# event is a repeat (each has the bounce's Message-ID and recipient).
mdb=$work/mail.db
"$bin" --db "$mdb" init >/dev/null
golden mail-ingest 0 /dev/null --db "$mdb" ingest --json ../mail/sample.mbox
golden mail-ingest-again 0 /dev/null --db "$mdb" ingest --json \
    ../mail/sample.mbox
golden mail-check 1 /dev/null --db "$mdb" check --history 1 \
    bob@example.net carol@example.net
# The history keeps the returned message's Message-ID and list tag.
golden mail-check-json 1 /dev/null --db "$mdb" check --json --history 1 \
    bob@example.net
