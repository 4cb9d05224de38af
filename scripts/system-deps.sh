#!/usr/bin/env bash
# Checks the system packages the portal needs and installs the missing ones when it can
# (root on Debian/Ubuntu); otherwise prints the exact command and fails. Never silent.
#   scripts/system-deps.sh pdf      WeasyPrint's Pango + HarfBuzz subsetting, CJK fonts, gettext
#   scripts/system-deps.sh browser  the above plus Chromium for browser tests
set -euo pipefail
want=${1:-pdf}
missing=()

have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
{ command -v fc-list >/dev/null && fc-list :lang=zh family | grep -q 'Noto Sans CJK'; } || missing+=(fonts-noto-cjk)
command -v msgfmt >/dev/null || missing+=(gettext)
if [ "$want" = browser ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  $cmd
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo $cmd" >&2
  exit 1
fi
