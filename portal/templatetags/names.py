"""``{{ record|local_name }}``: a record's name in the page's language. English pages show the
``name_en`` a record has (regions, departments, items, acceptance points all carry one) and the
Chinese name only where no English one exists (issue 14 point 9: English pages showed Chinese
district, department and item names). ``{{ value|chinese_data }}`` marks what has no English."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_name(record: Any, field: str = "name") -> str:
    if record is None:
        return ""
    if (get_language() or "").startswith("en"):
        english = getattr(record, f"{field}_en", "")
        if english:
            return english
    return getattr(record, field, "") or ""


# Han ideographs, CJK punctuation and full-width forms: text a reader of English cannot read.
_HAN = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK = re.compile(_HAN)
# A run of Chinese: CJK characters, with the spaces and digits between two of them.
_CJK_RUN = re.compile(rf"{_HAN}(?:[\s\d]*{_HAN})*")


@register.filter(needs_autoescape=True)
def chinese_data(value: Any, autoescape: bool = True) -> str:
    """``{{ person.name|chinese_data }}``: data that has no English (a person's or a company's
    name, an address, a note as typed) marked ``lang="zh-CN"`` on a page in another language, so
    a screen reader reads it as Chinese rather than spelling it out in an English voice (WCAG
    3.1.2, language of parts) and the English pages' check can tell data from an untranslated
    label. Chinese pages and text without Chinese characters are left as they are."""
    text = "" if value is None else str(value)
    if not autoescape:  # plain text (a message, a CSV): no markup
        return text
    if not shows_chinese(text):
        return conditional_escape(text)
    return format_html('<span lang="zh-CN">{}</span>', text)


@register.filter
def chinese_parts(value: Any) -> SafeString:
    """``{{ message.text|chinese_parts }}``: text in the page's language that quotes Chinese data
    (an English message naming a company) with each Chinese run marked ``lang="zh-CN"``, and
    untranslated Chinese text the same, run by run. Escaped; Chinese pages are left as they are."""
    text = "" if value is None else str(value)
    if (get_language() or "").startswith("zh") or not _CJK.search(text):
        return SafeString(escape(text))
    parts, end = [], 0
    for run in _CJK_RUN.finditer(text):
        parts.append(escape(text[end : run.start()]))
        parts.append(format_html('<span lang="zh-CN">{}</span>', run.group()))
        end = run.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


@register.filter
def shows_chinese(value: Any) -> bool:
    """Whether ``value`` puts Chinese on a page in another language: for a block of data that
    carries the mark itself, ``<p{% if note|shows_chinese %} lang="zh-CN"{% endif %}>``."""
    text = "" if value is None else str(value)
    return not (get_language() or "").startswith("zh") and bool(_CJK.search(text))
