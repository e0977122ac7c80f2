# help.sh - command-line cases of 'listwarden help' and the global options
# Sourced by run.sh, which defines golden() and result().

golden help-list 0 /dev/null help
golden help-validate 0 /dev/null help validate
golden help-reasons 0 /dev/null help reasons
golden help-unknown 2 /dev/null help frobnicate
golden unknown-command 2 /dev/null frobnicate
golden unknown-global-option 2 /dev/null --frobnicate validate
golden no-command 2 /dev/null
golden version 0 /dev/null --version

# Every reason the program can give is documented in the man page.
why=""
for reason in $("$bin" help reasons | cut -d' ' -f1); do
	grep -q "^\.B $reason\$" ../../doc/listwarden.1 ||
	    why="${why:+$why, }$reason"
done
result man-page-documents-every-reason "${why:+not in doc/listwarden.1: $why}"
