#!/usr/bin/env bash
# Extract the translatable strings into the Chinese catalogues: `make messages`, and the test that
# the catalogues hold every string of the source (tests/infra/test_translations.py).
# Sources are English; the portal core and the shared templates write to locale/, each app with
# strings of its own to its <app>/locale/. Usage: scripts/messages.sh [django-admin]
set -euo pipefail
DJANGO_ADMIN="$(realpath "${1:-.venv/bin/django-admin}")"
cd "$(dirname "$0")/.."
APPS=(portal/catalogue portal/accounts portal/notifications portal/ratings portal/signing
      outlets approvals approvals/proactive legal_aid)
"$DJANGO_ADMIN" makemessages -l zh_Hans --no-obsolete --ignore='.venv/*' --ignore='tests/*' \
  --ignore='staticfiles/*' --ignore='portal/catalogue/*' --ignore='portal/accounts/*' \
  --ignore='portal/notifications/*' --ignore='portal/ratings/*' --ignore='portal/signing/*' \
  --ignore='outlets/*' --ignore='approvals/*' --ignore='legal_aid/*'
for app in "${APPS[@]}"; do
  skip=()
  if [ "$app" = approvals ]; then skip=(--ignore=proactive); fi
  (cd "$app" && "$DJANGO_ADMIN" makemessages -l zh_Hans --no-obsolete "${skip[@]}")
done
