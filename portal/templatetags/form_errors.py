"""The error summary of the GOV.UK pattern, one for every form of the portal (ADR 0103).

``{% error_summary form other_form %}`` renders ``includes/error_summary.html``: a box right
after the page's heading, focused when the page loads, with every error of the forms given, each
a link to its field. ``{% error_title_prefix form other_form %}`` gives "Error: " for the page's
``<title>`` when one of them has errors."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# A label longer than this (a commitment's whole text) is not repeated before its error.
LABEL_LIMIT = 30


def _forms(forms) -> list:
    return [f for f in forms if f is not None and hasattr(f, "errors") and f.is_bound]


def _generic_messages(field) -> set[str]:
    """Django's own messages for the field's class ("This field is required." ...), which do
    not say which field they are about; a form's own messages do."""
    messages: dict = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return {str(message) for message in messages.values()}


def summary_items(*forms) -> list[dict]:
    """(link, text) of every error: field errors link to the field's input; the form's own
    errors have no link. Django's generic messages get the field's label in front, as in the
    summary they stand away from their field; the forms' own messages say it already."""
    items: list[dict] = []
    for form in _forms(forms):
        for error in form.non_field_errors():
            items.append({"href": "", "text": error})
        for field in form:
            if not field.errors:
                continue
            label = str(field.label or "")
            # radio buttons and checkbox lists have no id for the whole: their first input
            target = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
            generic = _generic_messages(field.field)
            for error in field.errors:
                text = str(error)
                if text in generic and label and len(label) <= LABEL_LIMIT:
                    text = _("%(label)s: %(error)s") % {"label": label, "error": text}
                items.append({"href": f"#{target}" if target else "", "text": text})
    return items


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms) -> dict:
    return {"items": summary_items(*forms)}


@register.simple_tag
def error_title_prefix(*forms) -> str:
    if any(form.errors for form in _forms(forms)):
        return _("Error: ")
    return ""
