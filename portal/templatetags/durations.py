"""``{{ seconds|call_duration }}``: a length of time as people say it, "5 分 30 秒" / "5 min 30 s"
(a call's length was shown as "330 s")."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def call_duration(seconds) -> str:
    try:
        total = int(seconds)
    except (TypeError, ValueError):
        return ""
    minutes, rest = divmod(max(total, 0), 60)
    if minutes and rest:
        return _("%(m)s min %(s)s s") % {"m": minutes, "s": rest}
    if minutes:
        return _("%(m)s min") % {"m": minutes}
    return _("%(s)s s") % {"s": rest}
