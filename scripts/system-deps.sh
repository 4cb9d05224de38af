#!/usr/bin/env bash
# Checks the system packages the portal needs and installs the missing ones when it can
# (root on Debian/Ubuntu); otherwise prints the exact command and fails. Never silent.
#   scripts/system-deps.sh pdf      WeasyPrint's Pango + HarfBuzz subsetting, CJK fonts, gettext
#   scripts/system-deps.sh browser  the above plus what the tests use: Chromium, poppler-utils
#   scripts/system-deps.sh bench    the above (pdf) plus wrk, the load generator of `make bench-web`
#   scripts/system-deps.sh cluster  the above (pdf) plus what `make cluster` runs: HAProxy,
#                                   PgBouncer, PostgreSQL's server binaries, Redis
set -euo pipefail
want=${1:-pdf}
missing=()

# ldconfig lives in /sbin, which is not on a normal user's PATH on Debian.
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
libs=$("$LDCONFIG" -p 2>/dev/null || true)
# (no `grep -q` after a pipe: with pipefail, an early exit makes the writer fail with SIGPIPE)
have_lib() { grep -F "$1" >/dev/null <<<"$libs"; }
have_cjk_font() {
  command -v fc-list >/dev/null || return 1
  grep -F 'Noto Sans CJK' >/dev/null <<<"$(fc-list :lang=zh family 2>/dev/null || true)"
}
have_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ]; else command -v chromium >/dev/null; fi
}

have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
have_cjk_font || missing+=(fonts-noto-cjk)
command -v msgfmt >/dev/null || missing+=(gettext)
if [ "$want" = browser ]; then
  have_chromium || missing+=(chromium)
  # the test suite reads the fonts embedded in the PDFs with pdffonts
  command -v pdffonts >/dev/null || missing+=(poppler-utils)
fi
if [ "$want" = bench ]; then
  command -v wrk >/dev/null || missing+=(wrk)
fi
if [ "$want" = cluster ]; then
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
  compgen -G '/usr/lib/postgresql/*/bin/pg_basebackup' >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
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
  if command -v apt-get >/dev/null; then
    echo "Install them with:  sudo $cmd" >&2
  else
    echo "This is not a Debian/Ubuntu system: install the equivalents of those Debian packages," \
      "or on Debian/Ubuntu run:  sudo $cmd" >&2
  fi
  exit 1
fi
