#!/bin/sh
# deps.sh - install the Debian packages listwarden needs, or say how
#
# usage: sh contrib/deps.sh PACKAGE...
#
# Packages already installed are left alone.  When some are missing and
# we are root on Debian, they are installed with apt-get; otherwise the
# exact command to run is printed and the script fails.
set -eu

missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) || status=""
	[ "$status" = "installed" ] || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
	exit 0
fi
echo "deps: missing Debian packages:$missing" >&2
echo "deps: run as root:  apt-get install$missing" >&2
exit 1
