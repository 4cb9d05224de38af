"""On PostgreSQL the item search can be answered from a trigram index (ADR 0013)."""

from __future__ import annotations

import pytest
from django.db import connection

from portal.catalogue.selectors import item_queryset, search_items
from tests.factories import ServiceItemFactory

INDEX = "catalogue_item_search_trgm"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the trigram index (pg_trgm, GIN) exists on PostgreSQL only; SQLite scans",
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


def test_migrations_create_the_trigram_index_on_search_text():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        row = cursor.fetchone()
    assert row is not None, f"{INDEX} missing after migrate"
    assert "USING gin (search_text gin_trgm_ops)" in row[0]


def test_search_of_three_characters_uses_the_index():
    item = ServiceItemFactory(name="营业执照变更登记", keywords="")
    qs = search_items(item_queryset(), "营业执照")
    assert INDEX in plan(qs)
    assert list(qs) == [item]


def test_a_term_and_each_of_its_synonyms_use_the_index():
    """公积金 also looks for 住房公积金: one index scan per variant, or none at all."""
    by_name = ServiceItemFactory(name="住房公积金提取", keywords="")
    by_keyword = ServiceItemFactory(name="贷款提前还款", keywords="公积金")
    qs = search_items(item_queryset(), "公积金")
    assert plan(qs).count(f"Bitmap Index Scan on {INDEX}") == 2
    assert set(qs) == {by_name, by_keyword}
