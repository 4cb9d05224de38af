"""A record's state as a badge, from its workflow table: ``{% state_badge case %}``."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from portal.workflow.registry import for_object

register = template.Library()


@register.simple_tag
def state_badge(obj) -> str:
    workflow = for_object(obj)
    if workflow is None:
        return ""
    value = getattr(obj, workflow.field)
    state = workflow.state(value)
    tone = state.tone if state else "warn"
    label = state.label if state else value
    return format_html('<span class="badge badge-{}">{}</span>', tone, label)
