"""Password sign-in (Django's model backend) whose session user comes with their work bindings.

Every signed-in page asks where its viewer works (the header's work links, the worklist's
scope): an acceptance point, a legal-aid centre. Loading those one-to-one bindings with the user
(``portal.accounts.selectors.signed_in_user``) makes that one query per request instead of one
per binding (ADR 0124)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .selectors import signed_in_user


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
