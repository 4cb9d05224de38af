"""The search document of an item (ADR 0108): its words, computed once when the item changes
rather than at every search.

Three columns of space-separated tokens, each with a space at both ends (`` 社保 shebao sb ``):

- ``search_name_tokens``: the name's words (jieba, search mode), every pair of neighbouring
  characters (结婚登记 → 结婚, 婚登, 登记: two characters of a name are always enough), the pinyin
  of its words and the initials of the whole name, the English name's words;
- ``search_keyword_tokens``: the keywords and their words, pinyin and initials, and the
  department's name;
- ``search_tokens``: all of the above plus the code (and its parts) and the materials' words.

The search shows the same service of eleven districts once by grouping on the basic service
(ADR 0121; it grouped on the name before there was a basic catalogue)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from portal.catalogue.search import lexicon

if TYPE_CHECKING:
    from portal.catalogue.models import ServiceItem

DOCUMENT_FIELDS = ("search_tokens", "search_name_tokens", "search_keyword_tokens")


def _join(tokens: Iterable[str]) -> str:
    unique = [t for t in dict.fromkeys(tokens) if t and " " not in t]
    return f" {' '.join(unique)} " if unique else ""


def _with_pinyin(words: Iterable[str], whole: str, initials: bool) -> list[str]:
    """The words with their pinyin; the initials of the whole run, and of each word when
    ``initials`` (keywords: citizens type sb for 社保, rarely the initials of a word inside a long
    name, where 设备 would answer sb before 社保)."""
    out = []
    for word in words:
        out.append(word)
        if len(word) >= 2 and lexicon.is_han(word):
            full, letters = lexicon.pinyin(word)
            out.append(full)
            if initials or word == whole:
                out.append(letters)
    return out


def text_tokens(text: str, *, pairs: bool, pinyin: bool, initials: bool = False) -> list[str]:
    return list(_text_tokens(text, pairs, pinyin, initials))


@lru_cache(maxsize=20000)  # names, keywords, departments and materials repeat across items
def _text_tokens(text: str, pairs: bool, pinyin: bool, initials: bool) -> tuple[str, ...]:
    """The tokens of a text: for each Chinese run its words (search mode) and the run itself,
    with its character pairs (``pairs``) and the pinyin and initials of the words and the run
    (``pinyin``); for each Latin run its tokens (English words, code parts)."""
    tokens: list[str] = []
    for han, run in lexicon.chunks(text):
        if not han:
            tokens += [t for t in lexicon.latin_tokens(run) if t not in lexicon.ENGLISH_STOPWORDS]
            continue
        words = [w for w in lexicon.cut_for_search(run) if len(w) >= 2]
        if len(run) >= 2:
            words.append(run)
        tokens += _with_pinyin(words, run, initials) if pinyin else words
        if pairs:
            tokens += lexicon.bigrams(run)
    return tuple(tokens)


def document(
    *,
    code: str,
    name: str,
    name_en: str,
    keywords: str,
    department: str,
    materials: Iterable[str] = (),
) -> dict[str, str]:
    """The document's columns for an item's texts."""
    name_tokens = text_tokens(name, pairs=True, pinyin=True) + text_tokens(
        name_en, pairs=False, pinyin=False
    )
    keyword_tokens = text_tokens(keywords, pairs=True, pinyin=True, initials=True) + text_tokens(
        department, pairs=True, pinyin=False
    )
    other = text_tokens(code, pairs=False, pinyin=False)
    for material in materials:
        other += text_tokens(material, pairs=False, pinyin=False)
    return {
        "search_name_tokens": _join(name_tokens),
        "search_keyword_tokens": _join(keyword_tokens),
        "search_tokens": _join([*name_tokens, *keyword_tokens, *other]),
    }


def fill_document(item: ServiceItem, department_name: str | None = None) -> None:
    """Set ``item``'s document columns from its fields, its department's name and, for a stored
    item, its materials (one query; none for a new item)."""
    if department_name is None:
        department_name = item.department.name if item.department_id else ""
    materials: list[str] = []
    if item.pk:
        materials = list(item.materials.values_list("name", flat=True))
    for field, value in document(
        code=f"{item.code} {item.former_code}",  # an old code still finds it (ADR 0121)
        name=item.name,
        name_en=item.name_en,
        keywords=item.keywords,
        department=department_name,
        materials=materials,
    ).items():
        setattr(item, field, value)
