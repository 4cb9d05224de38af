"""Who sees the register of issued documents in the admin: administrators only. Everyone else
checks a document by its code or an upload on the public verification pages, which show what
the document itself prints; the register's list (every code, subject and file) is not theirs.
Nobody changes it by hand: the services write it (``ReadOnly`` in the admin)."""

from __future__ import annotations

from portal.access import Policy, register

from .models import IssuedDocument


@register
class IssuedDocumentPolicy(Policy):
    model = IssuedDocument
    # Policy's defaults are the rule: administrators see, nobody else.
