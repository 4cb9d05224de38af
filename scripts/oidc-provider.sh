#!/bin/sh
# Installs the test OpenID Connect provider (tests/servers/oidc/: the npm package oidc-provider at
# the version package-lock.json pins) when it is missing or the lock changed. Needs Node.js 20.19
# or newer and npm (Debian/Ubuntu: apt-get install nodejs npm). Used by `make test` and by the
# test fixture (tests/servers/identity_platform.py) on first use.
set -eu
dir="$(cd "$(dirname "$0")/../tests/servers/oidc" && pwd)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "the test OpenID Connect provider needs Node.js and npm: sudo apt-get install -y nodejs npm" >&2
    exit 1
fi
stamp="$dir/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
fi
