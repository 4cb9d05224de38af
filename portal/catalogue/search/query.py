"""A citizen's query as terms the documents can answer (ADR 0108), and the SQL that matches and
ranks them.

A query is cut into terms (jieba with the portal's dictionary and the staff's phrases; words that
say nothing, 我想办 or 怎么申请, are dropped). Every term must be found; a term is found through
one of its variants, each a set of tokens the document must all hold:

- the term itself as a word (社保, shebao, marriage), or all its character pairs (公积金 → 公积,
  积金: a part of a name is found as the old substring search found it);
- each expansion of the staff's synonyms (营业执照 → 设立登记, 变更登记, 注销登记), optionally
  only within one domain.

The score of an item is, per term, where the term was found: in the name (6, or 5 through a
synonym), in the keywords or the department (4 / 3), elsewhere, i.e. the materials or the code
(2 / 1); plus 1 when the name holds both the word and a synonym's expansion, plus 3 when the name
holds the whole query."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import add, or_
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from portal.catalogue.search import lexicon

MAX_TERMS = 8
FTS = "catalogue_search_fts"  # SQLite's full-text table over search_tokens (sqlite_index.py)
MAX_QUERY = 100


@dataclass(frozen=True)
class Variant:
    tokens: tuple[str, ...]  # all must be in the document
    direct: bool  # the citizen's own word, not a synonym's
    domain: str = ""  # only items of this domain (a synonym's restriction)


@dataclass
class Term:
    text: str
    variants: tuple[Variant, ...] = ()
    substring: str = ""  # a single character: matched in the plain search text
    synonym: bool = False


@dataclass
class Synonyms:
    """The staff's synonyms: phrase → [(expansion's tokens, domain)]."""

    expansions: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    #: a phrase of several words (social security) found by its own words too
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows) -> Synonyms:
        expansions: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        phrases: dict[str, tuple[str, ...]] = {}
        for phrase, text, domain in rows:
            key = "".join(lexicon.normalise(phrase).split())
            if len(lexicon.normalise(phrase).split()) > 1:
                phrases[key] = expansion_tokens(phrase)
            for expansion in split_expansions(text):
                tokens = expansion_tokens(expansion)
                if key and tokens:
                    expansions.setdefault(key, []).append((tokens, domain or ""))
        return cls(expansions, phrases)

    def __contains__(self, phrase: str) -> bool:
        return phrase in self.expansions


def split_expansions(text: str) -> list[str]:
    for mark in ("、", "，", ";", "；", "\n"):
        text = text.replace(mark, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def piece_variants(piece: str) -> list[tuple[str, ...]]:
    """The ways a document holds a word: as a token, or (three characters and more) by all its
    character pairs."""
    if lexicon.is_han(piece):
        if len(piece) < 2:
            return []
        if len(piece) == 2:
            return [(piece,)]
        return [(piece,), tuple(dict.fromkeys(lexicon.bigrams(piece)))]
    return [(token,) for token in lexicon.latin_tokens(piece)[:1]]


def expansion_tokens(expansion: str) -> tuple[str, ...]:
    """The tokens of a synonym's expansion, every word required (公司 变更 → 公司, 变更)."""
    tokens: list[str] = []
    for _han, run in lexicon.chunks(expansion):
        variants = piece_variants(run)
        if variants:
            tokens += variants[-1]  # the character pairs of a long word: found wherever it is
    return tuple(dict.fromkeys(tokens))


def _term(text: str, synonyms: Synonyms) -> Term:
    own = [synonyms.phrases[text]] if text in synonyms.phrases else piece_variants(text)
    variants = [Variant(tokens, True) for tokens in own if tokens]
    variants += [
        Variant(tokens, False, domain) for tokens, domain in synonyms.expansions.get(text, ())
    ]
    return Term(text, tuple(variants), synonym=text in synonyms)


def _pieces(run: str, synonyms: Synonyms) -> list[str]:
    """The words of a Chinese run, stop words dropped (我想办营业执照 → 营业执照). A run that leaves
    a single character of its own (旧名称局, 社宝卡) stays whole: it is found by its character
    pairs, like a part of a name, or corrected as a whole."""
    if run in synonyms or len(run) <= 2:
        return [run]
    lexicon.add_words(synonyms.expansions)
    words = [w for w in lexicon.cut(run) if w not in lexicon.CHINESE_STOPWORDS]
    if any(len(w) == 1 for w in words):
        return ["".join(words)]
    return words


def parse(query: str, synonyms: Synonyms) -> list[Term]:
    """The terms of ``query`` (at most eight), each with the variants that find it."""
    text = lexicon.normalise(query)[:MAX_QUERY]
    compact = "".join(text.split())
    if compact in synonyms:
        return [_term(compact, synonyms)]
    terms: list[Term] = []
    for part in text.split():
        if part in synonyms:
            terms.append(_term(part, synonyms))
            continue
        for han, run in lexicon.chunks(part):
            if not han:
                if run not in lexicon.ENGLISH_STOPWORDS:
                    terms.append(_term(run, synonyms))
                continue
            for piece in _pieces(run, synonyms):
                if piece in lexicon.CHINESE_STOPWORDS:
                    continue
                terms.append(_term(piece, synonyms) if len(piece) > 1 else Term(piece, (), piece))
    if not terms:
        # only stop words or signs: search for the whole as typed (我要 → 我要)
        letters = [run for _han, run in lexicon.chunks(text)]
        if letters:
            word = "".join(letters)
            terms = [_term(word, synonyms) if len(word) > 1 else Term(word, (), word)]
    # A single character next to other terms says little (去 市南区 办): it is left out.
    if len(terms) > 1:
        terms = [t for t in terms if not t.substring] or terms[:1]
    return terms[:MAX_TERMS]


# SQL -------------------------------------------------------------------------------------------


class HasTokens(Func):
    """The document column holds every one of ``tokens``. With ``indexed`` on PostgreSQL as
    ``string_to_array(column, ' ') @> ARRAY[...]``, which the GIN index on ``search_tokens``
    answers (migration 0004); otherwise a search for `` token `` in the text (a scan, on the
    rows the index left, or everywhere on SQLite)."""

    output_field = BooleanField()

    def __init__(self, column: str, tokens: tuple[str, ...], indexed: bool = False):
        super().__init__(F(column))
        self.tokens = tokens
        self.indexed = indexed

    def as_sql(self, compiler, connection, **extra) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            if self.indexed:
                return f"string_to_array({column}, ' ') @> %s::text[]", [
                    *params,
                    list(self.tokens),
                ]
            template = "strpos({column}, %s) > 0"
        elif connection.vendor == "sqlite":
            template = "instr({column}, %s) > 0"
        else:  # pragma: no cover  (the portal runs on SQLite and PostgreSQL)
            template = "{column} LIKE '%%' || %s || '%%'"
        sql = " AND ".join(template.format(column=column) for _ in self.tokens)
        values: list[Any] = []
        for token in self.tokens:
            values += [*params, f" {token} "]
        return f"({sql})", values


def _variant_q(variant: Variant, column: str, indexed: bool = False) -> Q:
    condition = Q(HasTokens(column, variant.tokens, indexed))
    return condition & Q(domain=variant.domain) if variant.domain else condition


def _term_q(term: Term, indexed: bool) -> Q:
    return reduce(or_, (_variant_q(v, "search_tokens", indexed) for v in term.variants))


def _fts_variants(variants: list[Variant] | tuple[Variant, ...]) -> str:
    return " OR ".join(
        "(" + " AND ".join(f'"{token}"' for token in v.tokens) + ")" for v in variants
    )


def fts_query(terms: list[Term]) -> str:
    """The terms as an SQLite FTS5 query: every term, through any of its variants (domains are
    checked apart)."""
    return " AND ".join(f"({_fts_variants(t.variants)})" for t in terms if t.variants)


def _fts_rows(query: str, column: str = "") -> Q:
    """The items whose full-text row matches ``query`` (in ``column`` only, when given)."""
    if column:
        query = f"{{{column}}} : ({query})"
    # the table's name is a constant; the query is a parameter
    sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"  # noqa: S608
    return Q(pk__in=RawSQL(sql, [query]))  # noqa: S611


def match(terms: list[Term]) -> Q:
    """Every term found (through one of its variants). On PostgreSQL each variant is answered by
    the GIN index; on SQLite the full-text table ``catalogue_search_fts`` (``sqlite_index``)
    narrows the rows first."""
    if any(not term.substring and not term.variants for term in terms):
        return Q(pk__in=[])
    sqlite = connection.vendor == "sqlite"
    condition = Q()
    if sqlite and any(term.variants for term in terms):
        condition &= _fts_rows(fts_query(terms))
    for term in terms:
        if term.substring:
            condition &= Q(search_text__contains=term.substring)
        elif not sqlite or any(v.domain for v in term.variants):
            condition &= _term_q(term, indexed=not sqlite)
    return condition


def _any(variants: list[Variant], column: str) -> Q | None:
    """Any of ``variants`` in ``column``: on SQLite one full-text query (the domain-bound ones
    apart), evaluated once for the whole statement rather than per row."""
    if not variants:
        return None
    if connection.vendor != "sqlite":
        return reduce(or_, (_variant_q(v, column) for v in variants))
    free = [v for v in variants if not v.domain]
    parts = [_fts_rows(_fts_variants(free), column)] if free else []
    parts += [
        _fts_rows(_fts_variants([v]), column) & Q(domain=v.domain) for v in variants if v.domain
    ]
    return reduce(or_, parts)


def score(terms: list[Term], compact_query: str) -> Any:
    """How well an item matched (higher is better); see the module's docstring."""
    parts: list[Any] = []
    for term in terms:
        direct = [v for v in term.variants if v.direct]
        other = [v for v in term.variants if not v.direct]
        whens = []
        for column, points in (
            ("search_name_tokens", 6),
            ("search_keyword_tokens", 4),
            ("search_tokens", 2),
        ):
            for group, value in ((direct, points), (other, points - 1)):
                condition = _any(group, column)
                if condition is not None:
                    whens.append(When(condition, then=Value(value)))
        if term.substring:
            whens.append(When(Q(name__contains=term.substring), then=Value(6)))
        parts.append(Case(*whens, default=Value(1), output_field=IntegerField()))
        both = [_any(direct, "search_name_tokens"), _any(other, "search_name_tokens")]
        if both[0] is not None and both[1] is not None:
            # the name holds what was typed and what staff say it means (营业执照 自助打印)
            parts.append(
                Case(
                    When(both[0] & both[1], then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
    if compact_query:
        parts.append(
            Case(
                When(Q(name__contains=compact_query), then=Value(3)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    return reduce(add, parts) if parts else Value(0, output_field=IntegerField())
