# validate.sh - command-line cases of 'listwarden validate'
# Sourced by run.sh, which defines golden() and result().

golden validate-default 1 /dev/null validate data/mixed.txt
golden validate-json 1 /dev/null validate --json data/mixed.txt
golden validate-all-valid 0 /dev/null validate data/good.txt
golden validate-stdin-dash 1 data/mixed.txt validate -
golden validate-stdin-implicit 0 data/good.txt validate
golden validate-empty-file 0 /dev/null validate data/empty.txt
golden validate-crlf 0 /dev/null validate data/crlf.txt
golden validate-nul-bytes 1 /dev/null validate data/nul.txt
golden validate-nul-bytes-json 1 /dev/null validate --json data/nul.txt
golden validate-bad-utf8 1 /dev/null validate data/latin1.txt
golden validate-bad-utf8-json 1 /dev/null validate --json data/latin1.txt
golden validate-column 1 /dev/null validate --column email data/list.csv
golden validate-column-json 1 /dev/null validate --json --column email data/list.csv
golden validate-column-semicolon 0 /dev/null validate --column e-mail data/semicolon.csv
golden validate-column-pipe 0 /dev/null validate --column EMAIL --delimiter '|' data/pipe.csv
golden validate-column-missing 3 /dev/null validate --column email data/nocolumn.csv
golden validate-csv-unterminated 3 /dev/null validate --column email data/unterminated.csv
golden validate-csv-stray-quote 3 /dev/null validate --column email data/strayquote.csv
golden validate-csv-empty 3 /dev/null validate --column email data/empty.txt
golden validate-missing-file 4 /dev/null validate data/no-such-file.txt
golden validate-unknown-option 2 /dev/null validate --frobnicate data/good.txt
golden validate-two-files 2 /dev/null validate data/good.txt data/mixed.txt
golden validate-column-needs-arg 2 /dev/null validate --column
golden validate-bad-delimiter 2 /dev/null validate --column email --delimiter x data/list.csv

# A 1 MB line: rejected, echoed escaped on one line, nothing else.
awk 'BEGIN { s = "a"; while (length(s) < 1048576) s = s s; print s "@example.com" }' \
    >"$work/big.txt"
"$bin" validate "$work/big.txt" >"$work/out" 2>"$work/err"
rc=$?
why=""
[ "$rc" -eq 1 ] || why="exit status $rc, expected 1"
[ "$(wc -l <"$work/out")" -eq 1 ] || why="${why:+$why; }not one output line"
[ "$(cut -f1,3 "$work/out")" = "$(printf 'bad\tlocal-too-long')" ] ||
    why="${why:+$why; }verdict is not bad/local-too-long"
[ "$(cut -f2 "$work/out" | wc -c)" -eq 1048589 ] ||
    why="${why:+$why; }the input was not echoed whole"
result validate-1mb-line "$why"
