# store.sh - command-line cases of the store: init, import, export, clean,
# lists, stats and migrate; bad inputs; a full disk, a kill, two processes
# Sourced by run.sh, which defines golden(), result(), $bin and $work.
#
# Every command names a store in $work with --db.  Messages name that
# path, so sgolden() writes it as $WORK before comparing; outputs that
# hold times (lists) or sizes (stats) are checked by hand.

# sgolden NAME RC STDIN ARGS... - golden(), with $work written as $WORK
sgolden() {
	bin=$work/lw-wrap
	golden "$@"
	bin=$LW_REAL
}
LW_REAL=$bin
LW_WORK=$work
export LW_REAL LW_WORK
cat >"$work/lw-wrap" <<'EOF'
#!/bin/sh
# lw-wrap - run the program, then print what it printed with the scratch
# folder's path written as $WORK
"$LW_REAL" "$@" >"$LW_WORK/wrap.out" 2>"$LW_WORK/wrap.err"
rc=$?
sed "s|$LW_WORK|\$WORK|g" "$LW_WORK/wrap.out"
sed "s|$LW_WORK|\$WORK|g" "$LW_WORK/wrap.err" >&2
exit $rc
EOF
chmod +x "$work/lw-wrap"

# same NAME FILE WANT - the case passes when FILE's bytes are WANT's (with
# UPDATE=1, a WANT under expected/ is rewritten first)
same() {
	case "${UPDATE:-}:$3" in
	1:expected/*) cp "$2" "$3" ;;
	esac
	if cmp -s "$2" "$3"; then
		result "$1" ""
	else
		diff -u "$3" "$2" | head -n 20
		result "$1" "$(basename "$2") differs from what was expected"
	fi
}

# mode FILE - its permission bits, as 600
mode() {
	stat -c %a "$1" 2>/dev/null
}

db=$work/s.db
H='email,first_name,last_name,company'

# --- init -----------------------------------------------------------------

# No store: a reader and a writer both say to run init, and create nothing.
sgolden store-missing-lists 5 /dev/null --db "$work/missing.db" lists
sgolden store-missing-import 5 /dev/null --db "$work/missing.db" \
    import news data/store-valid.csv
why=""
for f in "$work/missing.db" "$work/missing.db-lock"; do
	[ ! -e "$f" ] || why="${why:+$why, }$(basename "$f") was created"
done
result store-missing-creates-nothing "$why"

sgolden store-init 0 /dev/null --db "$db" init
why=""
[ "$(mode "$db")" = 600 ] || why="the store is mode $(mode "$db"), not 600"
[ "$(mode "$db-lock")" = 600 ] ||
    why="${why:+$why; }the lock file is mode $(mode "$db-lock"), not 600"
result store-init-mode-0600 "$why"
sgolden store-init-again 0 /dev/null --db "$db" init

# An init killed before its first commit leaves an LMDB file with nothing
# in it: not a store for the other commands, and init finishes the job.
printf 'VERSION=3\nformat=bytevalue\ntype=btree\nHEADER=END\nDATA=END\n' |
    mdb_load -n -f /dev/stdin "$work/halfinit.db"
"$bin" --db "$work/halfinit.db" lists >/dev/null 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 5 ] || why="lists on an empty LMDB file: exit $rc, expected 5"
"$bin" --db "$work/halfinit.db" init >"$work/out" 2>&1 ||
    why="${why:+$why; }init failed: $(cat "$work/out")"
grep -q "^init: created" "$work/out" ||
    why="${why:+$why; }init said: $(cat "$work/out")"
"$bin" --db "$work/halfinit.db" lists >/dev/null 2>&1 ||
    why="${why:+$why; }lists fails after init"
result store-init-after-killed-init "$why"

# --- import ---------------------------------------------------------------

# Valid, invalid (multiple-at, single-label domain, empty, whitespace) and
# duplicate rows (a case variant, and a wrapped address given again bare).
sgolden store-import 1 /dev/null --db "$db" \
    import --rejects "$work/rejects.csv" news data/store-contacts.csv
printf '%s\n' "$H,line,reason" \
    'carol@@example.net,Carol,White,,4,multiple-at' \
    'dave@example,Dave,Brown,Initech,5,domain-single-label' \
    'ALICE.MARTIN@EXAMPLE.COM,Alice,Martin,Acme (second form),6,duplicate' \
    ',Frank,Nobody,,8,empty' \
    'bob.stone@example.org,Robert,Stone,Stone & Sons,11,duplicate' \
    'heidi @example.com,Heidi,Klum,,12,whitespace' >"$work/want"
same store-import-rejects-file "$work/rejects.csv" "$work/want"
why=""
[ "$(mode "$work/rejects.csv")" = 600 ] ||
    why="the rejects file is mode $(mode "$work/rejects.csv"), not 600"
result store-import-rejects-mode-0600 "$why"

sgolden store-import-all-valid 0 /dev/null --db "$db" \
    import valid data/store-valid.csv
sgolden store-import-stdin 0 data/store-valid.csv --db "$db" \
    import fromstdin -
sgolden store-import-column 1 /dev/null --db "$db" \
    import --column contact contact data/store-column.csv
sgolden store-export-column 0 /dev/null --db "$db" export contact

# The delimiter is detected (;), quoting and all kept.
sgolden store-import-semicolon 0 /dev/null --db "$db" \
    import semi data/store-semicolon.csv
"$bin" --db "$db" export semi >"$work/semi.csv" 2>/dev/null
same store-export-semicolon "$work/semi.csv" data/store-semicolon.csv

# A header with more commas than semicolons: detection picks ',', which
# finds no email column; --delimiter says otherwise.
sgolden store-import-delimiter-detected 3 /dev/null --db "$db" \
    import delim data/store-delimiter.csv
sgolden store-import-delimiter 0 /dev/null --db "$db" \
    import --delimiter ';' delim data/store-delimiter.csv
"$bin" --db "$db" export delim >"$work/delim.csv" 2>/dev/null
same store-export-delimiter "$work/delim.csv" data/store-delimiter.csv

# CR LF lines (one inside a quoted field) come back as CR LF; a merge from
# a file with LF lines keeps the list's CR LF.
sgolden store-import-crlf 0 /dev/null --db "$db" \
    import crlf data/store-crlf.csv
"$bin" --db "$db" export crlf >"$work/crlf.csv" 2>/dev/null
same store-export-crlf "$work/crlf.csv" data/store-crlf.csv
sgolden store-import-crlf-merge-lf 0 /dev/null --db "$db" \
    import crlf data/store-crlf-merge.csv
"$bin" --db "$db" export crlf >"$work/crlf.csv" 2>/dev/null
printf 'email,name\r\nYVES@example.com,Yves (LF file)\r\n"zoe@example.org","Zoe, Z."\r\nanna@example.net,"two\r\nlines"\r\nbeth@example.com,Beth (LF file)\r\n' \
    >"$work/want"
same store-export-crlf-after-lf-merge "$work/crlf.csv" "$work/want"

# A CR LF file with rejects: import then export gives what clean gives.
sgolden store-import-crlf-rejects 1 /dev/null --db "$db" \
    import --rejects "$work/crlf-rejects.csv" cleaned data/store-clean.csv
"$bin" --db "$db" export cleaned >"$work/cleaned.csv" 2>/dev/null
same store-export-crlf-equals-clean "$work/cleaned.csv" expected/store-clean.out
# The rejects file of a CR LF file ends its lines in CR LF, like the rows
# it copies, and like clean --removed and export --removed.
printf '"E-Mail";Name;Note;line;reason\r\nbad.address;Bad;x;5;no-at\r\n"OLGA@example.com";Olga again;dup;6;duplicate\r\nroot@localhost;Root;special;9;domain-single-label\r\n' \
    >"$work/want"
same store-import-crlf-rejects-file "$work/crlf-rejects.csv" "$work/want"

# A byte order mark is dropped; the rest comes back as it was.
sgolden store-import-bom 0 /dev/null --db "$db" import bom data/store-bom.csv
"$bin" --db "$db" export bom >"$work/bom.csv" 2>/dev/null
tail -c +4 data/store-bom.csv >"$work/want"
same store-export-bom "$work/bom.csv" "$work/want"

# Quoted fields holding delimiters, doubled quotes, newlines, spaces:
# export gives the file back byte for byte.
sgolden store-import-quoted 0 /dev/null --db "$db" \
    import quoted data/store-quoted.csv
"$bin" --db "$db" export quoted >"$work/quoted.csv" 2>/dev/null
same store-export-quoted "$work/quoted.csv" data/store-quoted.csv

# --- merge and replace ----------------------------------------------------

# New addresses are added at the end in file order; a row for an address
# already on the list replaces it in place; the first row of a key wins.
sgolden store-merge 1 /dev/null --db "$db" import news data/store-merge.csv
sgolden store-export-news 0 /dev/null --db "$db" export news

# --replace: the list becomes exactly the file, whatever its columns.
"$bin" --db "$db" import r data/store-contacts.csv >/dev/null 2>&1
sgolden store-replace 0 /dev/null --db "$db" \
    import --replace r data/store-other-header.csv
"$bin" --db "$db" export r >"$work/r.csv" 2>/dev/null
same store-replace-export "$work/r.csv" data/store-other-header.csv

# Merging a file with other columns: refused, the list unchanged.
"$bin" --db "$db" export news >"$work/news.before" 2>/dev/null
sgolden store-merge-other-header 3 /dev/null --db "$db" \
    import news data/store-other-header.csv
"$bin" --db "$db" export news >"$work/news.after" 2>/dev/null
same store-merge-other-header-unchanged "$work/news.after" "$work/news.before"

# A merge larger than a write transaction's chunk (65,536 keys): 70,000
# rows, half of them on the list already, in reverse order, with invalid
# rows and duplicates among them.
ldb=$work/large.db
"$bin" --db "$ldb" init >/dev/null
awk 'BEGIN { print "email,name"
	for (i = 1; i <= 70000; i++) printf "user%d@example.com,old %d\n", i, i }' \
    >"$work/large-old.csv"
awk -v rej="$work/large-want-rejects.csv" 'BEGIN {
	print "email,name"
	print "email,name,line,reason" >rej
	line = 1
	for (i = 105000; i > 35000; i--) {
		line++
		if (i % 1000 == 0) {
			printf "user%d@@example.com,bad %d\n", i, i
			printf "user%d@@example.com,bad %d,%d,multiple-at\n", i, i,
			    line >rej
		} else {
			printf "User%d@example.com,new %d\n", i, i
		}
		if (i % 777 == 0) {
			line++
			printf "USER%d@example.com,dup %d\n", i, i
			printf "USER%d@example.com,dup %d,%d,duplicate\n", i, i,
			    line >rej
		}
	}
}' >"$work/large-new.csv"
awk 'BEGIN {
	print "email,name"
	for (i = 1; i <= 70000; i++)
		if (i <= 35000 || i % 1000 == 0)
			printf "user%d@example.com,old %d\n", i, i
		else
			printf "User%d@example.com,new %d\n", i, i
	for (i = 105000; i > 70000; i--)
		if (i % 1000 != 0)
			printf "User%d@example.com,new %d\n", i, i
}' >"$work/large-want.csv"
"$bin" --db "$ldb" import big "$work/large-old.csv" >/dev/null
sgolden store-merge-large 1 /dev/null --db "$ldb" \
    import --rejects "$work/large-rejects.csv" big "$work/large-new.csv"
"$bin" --db "$ldb" export big >"$work/large.csv" 2>/dev/null
same store-merge-large-export "$work/large.csv" "$work/large-want.csv"
same store-merge-large-rejects "$work/large-rejects.csv" \
    "$work/large-want-rejects.csv"
rm -f "$work"/large*.csv

# --- export ---------------------------------------------------------------

"$bin" --db "$db" export -o "$work/news.csv" --removed "$work/removed.csv" \
    news >"$work/out" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, expected 0"
[ ! -s "$work/out" ] || why="${why:+$why; }it wrote to standard output"
[ "$(cat "$work/err")" = "export: list 'news': 7 rows written, 0 left out (suppressed)" ] ||
    why="${why:+$why; }standard error: $(cat "$work/err")"
result store-export-files "$why"
same store-export-o-content "$work/news.csv" expected/store-export-news.out
printf '%s\n' "$H,reason" >"$work/want"
same store-export-removed-content "$work/removed.csv" "$work/want"
why=""
for f in news.csv removed.csv; do
	[ "$(mode "$work/$f")" = 600 ] ||
	    why="${why:+$why; }$f is mode $(mode "$work/$f"), not 600"
done
[ -z "$(ls "$work" | grep -E '^(news|removed)\.csv\.')" ] ||
    why="${why:+$why; }temporary files were left"
result store-export-files-mode-0600 "$why"
sgolden store-export-unknown-list 3 /dev/null --db "$db" export nosuch

# --- clean ----------------------------------------------------------------

# No store is needed, and none is made.
sgolden store-clean 1 /dev/null --db "$work/nostore.db" clean data/store-clean.csv
sgolden store-clean-stdin 1 data/store-clean.csv --db "$work/nostore.db" \
    clean -
sgolden store-clean-all-valid 0 /dev/null --db "$work/nostore.db" \
    clean data/store-valid.csv
"$bin" --db "$work/nostore.db" clean -o "$work/clean.csv" \
    --removed "$work/clean-removed.csv" data/store-clean.csv \
    >"$work/out" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 1 ] || why="exit status $rc, expected 1"
[ ! -s "$work/out" ] || why="${why:+$why; }it wrote to standard output"
for f in clean.csv clean-removed.csv; do
	[ "$(mode "$work/$f")" = 600 ] ||
	    why="${why:+$why; }$f is mode $(mode "$work/$f"), not 600"
done
result store-clean-files "$why"
same store-clean-o-content "$work/clean.csv" expected/store-clean.out
printf '"E-Mail";Name;Note;reason\r\nbad.address;Bad;x;no-at\r\n"OLGA@example.com";Olga again;dup;duplicate\r\nroot@localhost;Root;special;domain-single-label\r\n' \
    >"$work/want"
same store-clean-removed-content "$work/clean-removed.csv" "$work/want"
why=""
for f in "$work/nostore.db" "$work/nostore.db-lock" listwarden.db; do
	[ ! -e "$f" ] || why="${why:+$why, }$(basename "$f") was created"
done
result store-clean-makes-no-store "$why"

# --- lists, stats, migrate ------------------------------------------------

"$bin" --db "$db" lists >"$work/lists" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, expected 0"
[ ! -s "$work/err" ] || why="${why:+$why; }standard error: $(cat "$work/err")"
[ "$(head -n 1 "$work/lists")" = "$(printf 'name\trows\tcreated\tupdated')" ] ||
    why="${why:+$why; }the header is $(head -n 1 "$work/lists")"
printf 'bom\t2\ncleaned\t3\ncontact\t2\ncrlf\t4\ndelim\t2\nfromstdin\t3\nnews\t7\nquoted\t4\nr\t2\nsemi\t3\nvalid\t3\n' \
    >"$work/want"
tail -n +2 "$work/lists" | cut -f1,2 | cmp -s - "$work/want" ||
    why="${why:+$why; }names and rows: $(tail -n +2 "$work/lists" | cut -f1,2 | tr '\t\n' ': ')"
t='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
[ "$(tail -n +2 "$work/lists" | grep -Evc "^[^	]+	[0-9]+	$t	$t\$")" -eq 0 ] ||
    why="${why:+$why; }a line is not name, rows, created, updated"
result store-lists "$why"

# 35 rows in 11 lists; 32 addresses (valid and fromstdin hold the same 3,
# and r's old rows' addresses stay known).
"$bin" --db "$db" stats >"$work/stats" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, expected 0"
[ ! -s "$work/err" ] || why="${why:+$why; }standard error: $(cat "$work/err")"
printf 'schema version  2\naddresses       32\nlists           11\nrows            35\nevents          0\nsuppressed      0\ndomain rules    0 (0 suppressing)\n' \
    >"$work/want"
head -n 7 "$work/stats" | cmp -s - "$work/want" ||
    why="${why:+$why; }counts: $(head -n 7 "$work/stats" | tr -s ' \n' ' ')"
tail -n +8 "$work/stats" | grep -Eqx 'store size      [1-9][0-9]* octets on disk' ||
    why="${why:+$why; }no size line: $(tail -n +8 "$work/stats")"
result store-stats "$why"

"$bin" --db "$db" stats --json >"$work/stats" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc, expected 0"
[ ! -s "$work/err" ] || why="${why:+$why; }standard error: $(cat "$work/err")"
[ "$(sed 's/"file_size":[1-9][0-9]*}$/"file_size":N}/' "$work/stats")" = \
    '{"schema":2,"addresses":32,"lists":11,"rows":35,"events":0,"suppressed":0,"suppressed_by_reason":{},"domain_rules":0,"policy_domains":[],"file_size":N}' ] ||
    why="${why:+$why; }it printed $(cat "$work/stats")"
result store-stats-json "$why"

sgolden store-migrate-status 0 /dev/null --db "$db" migrate --status
sgolden store-migrate-current 0 /dev/null --db "$db" migrate
"$bin" --db "$db" export news >"$work/news.after" 2>/dev/null
same store-migrate-current-keeps-lists "$work/news.after" "$work/news.before"

# --- bad input ------------------------------------------------------------

# snapshot - the list news and every list's name and rows
snapshot() {
	"$bin" --db "$db" export news 2>&1
	"$bin" --db "$db" lists 2>&1 | cut -f1,2
}
snapshot >"$work/snap.before"

# bad NAME RC STDIN ARGS... - sgolden, then the store must be as it was
bad() {
	sgolden "$@"
	snapshot >"$work/snap.after"
	why=""
	if ! cmp -s "$work/snap.before" "$work/snap.after"; then
		diff -u "$work/snap.before" "$work/snap.after" | head -n 20
		why="the store changed"
	fi
	result "$1-store-unchanged" "$why"
}

bad store-bad-unterminated 3 /dev/null --db "$db" \
    import news data/store-unterminated.csv
bad store-bad-unterminated-new-list 3 /dev/null --db "$db" \
    import fresh data/store-unterminated.csv
bad store-bad-unterminated-stdin 3 data/store-unterminated.csv --db "$db" \
    import news -
bad store-bad-more-fields 3 /dev/null --db "$db" \
    import news data/store-more-fields.csv
bad store-bad-fewer-fields 3 /dev/null --db "$db" \
    import news data/store-fewer-fields.csv
bad store-bad-no-email-column 3 /dev/null --db "$db" \
    import news data/store-no-email.csv
bad store-bad-binary 3 /dev/null --db "$db" import news data/store-binary.csv
bad store-bad-nul-in-row 3 /dev/null --db "$db" \
    import news data/store-nul-row.csv
bad store-bad-empty-file 3 /dev/null --db "$db" import news data/empty.txt
bad store-bad-header-only 3 /dev/null --db "$db" \
    import news data/store-header-only.csv
bad store-bad-missing-file 4 /dev/null --db "$db" \
    import news data/store-no-such-file.csv
bad store-bad-list-name-empty 3 /dev/null --db "$db" \
    import '' data/store-valid.csv
bad store-bad-list-name-newline 3 /dev/null --db "$db" \
    import "$(printf 'new\nlist')" data/store-valid.csv
bad store-bad-list-name-too-long 3 /dev/null --db "$db" \
    import "$(printf '%0256d' 0)" data/store-valid.csv
echo "a regular file" >"$work/afile"
bad store-bad-rejects-path 4 /dev/null --db "$db" \
    import --rejects "$work/afile/rejects.csv" news data/store-merge.csv

# One 100 MB line: a field beyond the 16 MiB limit, at line 1.
head -c 104857600 /dev/zero | tr '\0' a >"$work/100mb.csv"
bad store-bad-100mb-line 3 /dev/null --db "$db" import news "$work/100mb.csv"
rm -f "$work/100mb.csv"

# A directory as the file: exit 4, a read error naming the directory and
# saying it is one, and no line number (nothing was read).
mkdir "$work/adir"
"$bin" --db "$db" import news "$work/adir" >"$work/out" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 4 ] || why="exit status $rc, expected 4"
[ ! -s "$work/out" ] || why="${why:+$why; }it wrote to standard output"
grep -q "^listwarden import: $work/adir" "$work/err" ||
    why="${why:+$why; }the message does not name the directory"
! grep -q ":0:" "$work/err" || why="${why:+$why; }the message names line 0"
grep -qi "directory" "$work/err" ||
    why="${why:+$why; }the message does not say it is a directory"
[ -z "$why" ] || why="$why: $(head -n 1 "$work/err")"
result store-bad-directory "$why"
snapshot >"$work/snap.after"
why=""
cmp -s "$work/snap.before" "$work/snap.after" || why="the store changed"
result store-bad-directory-store-unchanged "$why"

# A store path under a regular file: no store can be there.
sgolden store-bad-db-under-file-init 4 /dev/null --db "$work/afile/x.db" init
sgolden store-bad-db-under-file-import 4 /dev/null --db "$work/afile/x.db" \
    import news data/store-valid.csv

# A text file as the store: refused by readers and writers, and left as it
# was.
cp data/store-valid.csv "$work/text.db"
sgolden store-bad-not-a-store-lists 5 /dev/null --db "$work/text.db" lists
sgolden store-bad-not-a-store-import 5 /dev/null --db "$work/text.db" \
    import news data/store-valid.csv
sgolden store-bad-not-a-store-init 5 /dev/null --db "$work/text.db" init
same store-bad-not-a-store-unchanged "$work/text.db" data/store-valid.csv

# --- a full disk during export --------------------------------------------

# Under a file size limit (dash counts 512-octet blocks, bash 1024) the
# export fails; the earlier file stays and no temporary file is left.
fdb=$work/full.db
"$bin" --db "$fdb" init >/dev/null
awk 'BEGIN { print "email,name"
	for (i = 1; i <= 2000; i++) printf "user%d@example.com,User %d\n", i, i }' \
    >"$work/2000.csv"
"$bin" --db "$fdb" import big "$work/2000.csv" >/dev/null
echo "an earlier export" >"$work/full.csv"
cp "$work/full.csv" "$work/full.saved"
(trap '' XFSZ; ulimit -f 1; exec "$bin" --db "$fdb" export -o "$work/full.csv" big) \
    >"$work/out" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 4 ] || why="exit status $rc, expected 4"
[ ! -s "$work/out" ] || why="${why:+$why; }it wrote to standard output"
[ "$(wc -l <"$work/err")" -eq 1 ] && grep -q "^listwarden export: $work/full.csv: " "$work/err" ||
    why="${why:+$why; }the message is not one line naming the file: $(cat "$work/err")"
cmp -s "$work/full.csv" "$work/full.saved" ||
    why="${why:+$why; }the earlier file changed"
[ -z "$(ls "$work" | grep '^full\.csv\.')" ] ||
    why="${why:+$why; }temporary files were left: $(ls "$work" | grep '^full\.csv\.')"
result store-export-full-disk "$why"
# The message says why (EFBIG here, ENOSPC on a full disk), so a user can
# tell a full disk from a broken one.
why=""
grep -q "File too large" "$work/err" ||
    why="the message does not say why: $(cat "$work/err")"
result store-export-full-disk-says-why "$why"

# --- SIGKILL during an import ---------------------------------------------

# A merge of 300,000 rows into a 5,000-row list, killed after a random
# 0.05-0.3 s: the list is the old one.  When the kill came after the
# commit the list is the merged one: that trial does not count, the list
# is put back and the next trials wait half as long.
kdb=$work/kill.db
"$bin" --db "$kdb" init >/dev/null
awk 'BEGIN { print "email,name"
	for (i = 1; i <= 5000; i++) printf "user%d@example.com,User %d\n", i, i }' \
    >"$work/5000.csv"
awk 'BEGIN { print "email,name"
	for (i = 1; i <= 300000; i++)
		printf "person%d@example.org,Person %d\n", i, i }' >"$work/300k.csv"
"$bin" --db "$kdb" import big "$work/5000.csv" >/dev/null
"$bin" --db "$kdb" export big >"$work/kref.csv" 2>/dev/null
ref=$(cksum <"$work/kref.csv")
merged=$({ cat "$work/kref.csv"; tail -n +2 "$work/300k.csv"; } | cksum)
killed=0
lo=0.05
hi=0.30
why=""
[ "$(wc -l <"$work/kref.csv")" -eq 5001 ] ||
    why="the 5,000-row list could not be made"
for trial in 1 2 3 4 5; do
	[ -z "$why" ] && [ "$killed" -lt 3 ] || break
	pause=$(awk -v seed="$$$trial" -v lo="$lo" -v hi="$hi" \
	    'BEGIN { srand(seed); printf "%.3f\n", lo + rand() * (hi - lo) }')
	"$bin" --db "$kdb" import big "$work/300k.csv" >/dev/null 2>&1 &
	pid=$!
	sleep "$pause"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	now=$("$bin" --db "$kdb" export big 2>/dev/null | cksum)
	if [ "$rc" -eq 137 ] && [ "$now" = "$ref" ]; then
		killed=$((killed + 1))
	elif [ "$now" = "$merged" ]; then
		"$bin" --db "$kdb" import --replace big "$work/5000.csv" \
		    >/dev/null 2>&1
		lo=$(awk -v x="$lo" 'BEGIN { print x / 2 }')
		hi=$(awk -v x="$hi" 'BEGIN { print x / 2 }')
	else
		why="trial $trial (exit status $rc after ${pause} s): list big is neither the old nor the merged one"
		break
	fi
done
[ -n "$why" ] || [ "$killed" -ge 1 ] ||
    why="no trial killed the import before it committed"
result store-kill-import-list-intact "$why"
"$bin" --db "$kdb" lists 2>&1 | cut -f1,2 >"$work/out"
printf 'name\trows\nbig\t5000\n' >"$work/want"
same store-kill-import-lists "$work/out" "$work/want"

# The store is usable: an import, stats, another import, the list intact.
why=""
"$bin" --db "$kdb" import other data/store-valid.csv >/dev/null 2>"$work/err" ||
    why="an import into another list failed: $(cat "$work/err")"
"$bin" --db "$kdb" stats >"$work/out" 2>"$work/err" ||
    why="${why:+$why; }stats failed: $(cat "$work/err")"
[ "$(sed -n 's/^rows  *//p' "$work/out")" = 5003 ] ||
    why="${why:+$why; }stats: $(tr -s ' \n' ' ' <"$work/out")"
"$bin" --db "$kdb" import other2 data/store-valid.csv >/dev/null 2>"$work/err" ||
    why="${why:+$why; }a second import failed: $(cat "$work/err")"
[ "$("$bin" --db "$kdb" export big 2>/dev/null | cksum)" = "$ref" ] ||
    why="${why:+$why; }list big changed"
result store-kill-import-store-usable "$why"

# Orphaned generations were deleted by the next writer: only the lists'
# own generations, rows and keys are left (read with mdb_stat, when the
# LMDB tools are installed).
if command -v mdb_stat >/dev/null 2>&1; then
	why=""
	for d in generations:3 rows:5006 list_keys:5006; do
		n=$(mdb_stat -n -s "${d%%:*}" "$kdb" |
		    sed -n 's/^ *Entries: //p')
		[ "$n" = "${d#*:}" ] ||
		    why="${why:+$why; }${d%%:*} has $n entries, not ${d#*:}"
	done
	result store-kill-import-orphans-deleted "$why"
fi

# --- two processes --------------------------------------------------------

# While an import replaces big, every export sees the old list or the new
# one, whole.
rm -f "$work/cc.rc"
: >"$work/cc.sums"
("$bin" --db "$kdb" import --replace big "$work/300k.csv" >"$work/cc.import" 2>&1
 echo $? >"$work/cc.rc") &
during=0
n=0
why=""
while [ "$n" -lt 3000 ]; do
	n=$((n + 1))
	finished=0
	[ ! -e "$work/cc.rc" ] || finished=1
	if ! "$bin" --db "$kdb" export big >"$work/cc.csv" 2>"$work/err"; then
		why="an export failed: $(cat "$work/err")"
		break
	fi
	cksum <"$work/cc.csv" >>"$work/cc.sums"
	[ "$finished" -eq 0 ] || break
	during=$((during + 1))
done
wait
[ "$(cat "$work/cc.rc" 2>/dev/null)" = 0 ] ||
    why="${why:+$why; }the import failed: $(cat "$work/cc.import")"
new=$("$bin" --db "$kdb" export big 2>/dev/null | cksum)
[ "$new" = "$(cksum <"$work/300k.csv")" ] ||
    why="${why:+$why; }after the import, big is not the file"
others=$(grep -cvxF -e "$ref" -e "$new" "$work/cc.sums")
[ "$others" -eq 0 ] ||
    why="${why:+$why; }$others of $n exports were neither the old list nor the new"
[ "$during" -ge 2 ] ||
    why="${why:+$why; }only $during exports ran during the import"
result store-two-processes "$why"
rm -f "$work/300k.csv" "$work/cc.csv"

# Two imports into one list at once: the second waits its turn rather than
# failing, and the list ends as the two imports run one after the other.
awk 'BEGIN { print "email,n"; for (i = 0; i < 60000; i++)
    printf "q%d@example.com,a%d\n", i, i }' >"$work/qa.csv"
awk 'BEGIN { print "email,n"; for (i = 30000; i < 90000; i++)
    printf "q%d@example.com,b%d\n", i, i }' >"$work/qb.csv"
qdb=$work/queue.db
sdb=$work/serial.db
rdb=$work/serial-reversed.db
"$bin" --db "$qdb" init >/dev/null
"$bin" --db "$sdb" init >/dev/null
"$bin" --db "$rdb" init >/dev/null
"$bin" --db "$sdb" import q "$work/qa.csv" >/dev/null 2>&1
"$bin" --db "$sdb" import q "$work/qb.csv" >/dev/null 2>&1
"$bin" --db "$rdb" import q "$work/qb.csv" >/dev/null 2>&1
"$bin" --db "$rdb" import q "$work/qa.csv" >/dev/null 2>&1
("$bin" --db "$qdb" import q "$work/qa.csv" >"$work/qa.out" 2>&1
 echo $? >"$work/qa.rc") &
sleep 0.05
"$bin" --db "$qdb" import q "$work/qb.csv" >"$work/qb.out" 2>&1
echo $? >"$work/qb.rc"
wait
why=""
[ "$(cat "$work/qa.rc")" = 0 ] || why="the first import: $(cat "$work/qa.out")"
[ "$(cat "$work/qb.rc")" = 0 ] ||
    why="${why:+$why; }the second import: $(cat "$work/qb.out")"
# Either may have taken its turn first: the list must be one of the two
# serial results, the merge having replaced the overlap's rows in place.
"$bin" --db "$qdb" export q >"$work/q.csv" 2>/dev/null
"$bin" --db "$sdb" export q >"$work/s.csv" 2>/dev/null
"$bin" --db "$rdb" export q >"$work/r.csv" 2>/dev/null
cmp -s "$work/q.csv" "$work/s.csv" || cmp -s "$work/q.csv" "$work/r.csv" ||
    why="${why:+$why; }the list is neither serial result"
result store-two-imports-queue "$why"
rm -f "$work/qa.csv" "$work/qb.csv" "$work/q.csv" "$work/s.csv" \
    "$work/r.csv"
