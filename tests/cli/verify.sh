# verify.sh - command-line cases of verify: a store that holds, and one
# whose list header lies about its rows
# Sourced by run.sh after store.sh, which defines sgolden().

vdb=$work/verify.db
"$bin" --db "$vdb" init >/dev/null
"$bin" --db "$vdb" import customers data/store-valid.csv >/dev/null 2>&1
"$bin" --db "$vdb" ingest data/report-events.csv ../mail/sample.mbox \
    >/dev/null 2>&1
"$bin" --db "$vdb" suppress @example.org >/dev/null 2>&1
sgolden verify-ok 0 /dev/null --db "$vdb" verify
sgolden verify-json 0 /dev/null --db "$vdb" verify --json
sgolden verify-missing 5 /dev/null --db "$work/no-such.db" verify
sgolden verify-usage 2 /dev/null --db "$vdb" verify extra

# Damage: the list's header says one row more than it has (mdb_dump and
# mdb_load, of lmdb-utils, rewrite the value's row count).
if command -v mdb_dump >/dev/null && command -v mdb_load >/dev/null; then
	mdb_dump -n -s lists "$vdb" | awk '
	    # A value: 01, u64 generation, u64 rows, ... in hex.
	    /^ 01/ && !done {
		n = substr($1, 19, 16)
		v = 0
		for (i = 1; i <= 16; i++)
			v = v * 16 + index("0123456789abcdef",
			    substr(n, i, 1)) - 1
		print " " substr($1, 1, 18) sprintf("%016x", v + 1) \
		    substr($1, 35)
		done = 1
		next
	    }
	    { print }' >"$work/lists.dump"
	# (mdb_load warns of a keyword of newer dumps: not ours to show.)
	mdb_load -n -s lists -f "$work/lists.dump" "$vdb" 2>/dev/null
	sgolden verify-bad-rows 1 /dev/null --db "$vdb" verify
else
	result verify-bad-rows "mdb_dump or mdb_load (lmdb-utils) is missing"
fi
