# files.sh - command-line cases of the files listwarden writes: a link
# is not followed, /dev/stdout is written, outputs are 0600
# Sourced by run.sh after store.sh and verify.sh (the store $vdb).

# An output path that is a symbolic link is refused: the file it names
# is not overwritten, and no temporary file is left beside the link.
echo "someone else's file" >"$work/victim.txt"
cp "$work/victim.txt" "$work/victim.saved"
ln -s victim.txt "$work/link.csv"
sgolden files-link-export 4 /dev/null --db "$vdb" export -o \
    "$work/link.csv" customers
sgolden files-link-suppressions 4 /dev/null --db "$vdb" suppressions -o \
    "$work/link.csv"
why=""
cmp -s "$work/victim.txt" "$work/victim.saved" || why="the linked file changed"
[ -L "$work/link.csv" ] || why="${why:+$why; }the link is gone"
[ -z "$(ls "$work" | grep '^link\.csv\.')" ] ||
    why="${why:+$why; }temporary files were left"
result files-link-not-followed "$why"

# /dev/stdout is written to, even when standard output is a file.
"$bin" --db "$vdb" export -o /dev/stdout customers >"$work/stdout.csv" \
    2>/dev/null
rc=$?
why=""
[ "$rc" -eq 0 ] || why="exit status $rc"
"$bin" --db "$vdb" export customers >"$work/plain.csv" 2>/dev/null
cmp -s "$work/stdout.csv" "$work/plain.csv" ||
    why="${why:+$why; }not what export writes to standard output"
result files-dev-stdout "$why"

# Outputs hold addresses: created 0600, whatever the umask.
(umask 022; "$bin" --db "$vdb" suppressions -o "$work/supp.csv" \
    >/dev/null 2>&1; "$bin" --db "$vdb" report --html "$work/r.html" \
    >/dev/null 2>&1)
why=""
for f in "$work/supp.csv" "$work/r.html" "$vdb" "$vdb-lock"; do
	[ "$(mode "$f")" = 600 ] || why="${why:+$why; }$(basename "$f") is $(mode "$f")"
done
result files-mode-600 "$why"
