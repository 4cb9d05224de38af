"""On PostgreSQL every search word is answered from an index (ADR 0013, ADR 0108): the GIN index
over the search documents' tokens serves two Chinese characters (社保, 结婚) as well as longer
words, pinyin and English; the trigram index on ``search_text`` stays for single characters."""

from __future__ import annotations

import pytest
from django.db import connection

from portal.catalogue.models import SearchSynonym, ServiceItem
from portal.catalogue.selectors import item_queryset, search_items
from tests.factories import ServiceItemFactory

TRIGRAM = "catalogue_item_search_trgm"
TOKENS = "catalogue_item_search_tokens_gin"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="GIN indexes exist on PostgreSQL only; SQLite uses its full-text table",
    ),
]


def plan(qs) -> str:
    """The plan of ``qs`` as if the table were large: with sequential scans priced out, the
    planner takes the index whenever the query can use it at all."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    try:
        return qs.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")


def indexdef(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        row = cursor.fetchone()
    assert row is not None, f"{name} missing after migrate"
    return row[0]


def test_migrations_create_both_indexes():
    assert "USING gin (search_text gin_trgm_ops)" in indexdef(TRIGRAM)
    assert "USING gin (string_to_array(search_tokens, ' '::text))" in indexdef(TOKENS)


@pytest.mark.parametrize("query", ["社保", "结婚", "营业执照", "shebao", "marriage"])
def test_every_query_length_uses_the_token_index(query):
    item = ServiceItemFactory(
        name="内地居民结婚登记营业执照", name_en="Marriage", keywords="社保", department__name="局"
    )
    assert TOKENS in plan(search_items(ServiceItem.objects.all(), query))
    assert list(search_items(item_queryset(), query)) == [item]


def test_a_word_and_each_of_its_synonyms_use_the_index():
    SearchSynonym.objects.create(phrase="公积金", expansions="住房公积金")
    by_name = ServiceItemFactory(name="住房公积金提取", keywords="")
    by_keyword = ServiceItemFactory(name="贷款提前还款", keywords="公积金")
    assert (
        plan(search_items(ServiceItem.objects.all(), "公积金")).count(
            f"Bitmap Index Scan on {TOKENS}"
        )
        == 3
    )  # the word, its character pairs, the synonym's expansion
    assert set(search_items(item_queryset(), "公积金")) == {by_name, by_keyword}
