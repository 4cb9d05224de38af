"""``check --deploy``: every configured signing key loads, none is a development key, and the
published CA chain is there (production refuses to start without them: settings/production)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_signing_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from . import keys

    options = keys.conf()
    errors: list[Error] = []
    if options["DEVELOPMENT_KEYS"]:
        errors.append(
            Error(
                "Development signing keys are on.",
                hint="Set SIGNING_DEVELOPMENT_KEYS=0 (the production profile does).",
                id="signing.E001",
            )
        )
    if not options["AUTHORITIES"]:
        errors.append(
            Error(
                "No signing key is configured.", hint="Set SIGNING_AUTHORITIES.", id="signing.E002"
            )
        )
    missing = [str(p) for p in options["TRUST_ROOTS"] if not p.exists()]
    if not options["TRUST_ROOTS"] or missing:
        errors.append(
            Error(
                "The CA chain of the signing keys is missing: " + ", ".join(missing),
                hint="Set SIGNING_TRUST_ROOTS to existing PEM files.",
                id="signing.E003",
            )
        )
    for code in options["AUTHORITIES"]:
        try:
            key = keys.configured_key(code)
        except Exception as exc:  # noqa: BLE001  (any failure to load is reported, not raised)
            errors.append(
                Error(f"The signing key of {code} does not load: {exc}", id="signing.E004")
            )
            continue
        if key is not None and key.development:
            errors.append(
                Error(
                    f"The signing key of {code} is a development key (DEVELOPMENT KEY).",
                    id="signing.E005",
                )
            )
    return errors
