"""Commands of the search: write the items' search documents (ADR 0108), and seed the synonyms.

``ServiceItem.save()`` fills an item's own document; these are for the paths that write many rows
at once (the import, the reference data, a department's rename, materials) and for
``manage.py rebuild_search``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from portal import pagecache
from portal.catalogue.models import Material, SearchSynonym, ServiceItem
from portal.catalogue.search.documents import DOCUMENT_FIELDS, document

BATCH = 1000


def fill_documents(items: list[ServiceItem], department_names: dict[int, str]) -> None:
    """Set the document columns of ``items`` (not saved), with their materials read in one
    query; ``department_names`` by department id."""
    materials: dict[int, list[str]] = defaultdict(list)
    ids = [item.pk for item in items if item.pk]
    if ids:
        for item_id, name in (
            Material.objects.filter(item_id__in=ids)
            .order_by("item_id", "position", "id")
            .values_list("item_id", "name")
        ):
            materials[item_id].append(name)
    for item in items:
        values = document(
            code=f"{item.code} {item.former_code}",  # an old code still finds it (ADR 0121)
            name=item.name,
            name_en=item.name_en,
            keywords=item.keywords,
            department=department_names.get(item.department_id, ""),
            materials=materials.get(item.pk, ()),
        )
        for field, value in values.items():
            setattr(item, field, value)


def rebuild_documents(item_ids: Iterable[int] | None = None) -> int:
    """Write the search documents of the items ``item_ids`` (every item when ``None``) again, in
    batches; returns the number of documents that changed."""
    qs = ServiceItem.objects.select_related("department").only(
        "code",
        "former_code",
        "name",
        "name_en",
        "keywords",
        "department__name",
        *DOCUMENT_FIELDS,
    )
    if item_ids is not None:
        qs = qs.filter(pk__in=list(item_ids))
    changed = 0
    with transaction.atomic():
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            batch = list(qs.filter(pk__in=ids[start : start + BATCH]).order_by("pk"))
            before = {item.pk: [getattr(item, f) for f in DOCUMENT_FIELDS] for item in batch}
            fill_documents(batch, {item.department_id: item.department.name for item in batch})
            dirty = [i for i in batch if [getattr(i, f) for f in DOCUMENT_FIELDS] != before[i.pk]]
            _write(dirty)
            changed += len(dirty)
    if changed:
        pagecache.changed("catalogue")  # bulk writes send no signals
    return changed


def _write(items: list[ServiceItem]) -> None:
    """One ``UPDATE ... WHERE id = %s`` per item, sent as a batch: ``bulk_update`` writes one
    CASE over the whole batch per column, which SQLite evaluates for every row (quadratic)."""
    if not items:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(field)} = %s" for field in DOCUMENT_FIELDS)
    sql = f"UPDATE {quote(ServiceItem._meta.db_table)} SET {columns} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [[*(getattr(item, f) for f in DOCUMENT_FIELDS), item.pk] for item in items]
        )


def seed_synonyms(rows: Iterable[tuple[str, str, str]]) -> int:
    """Add the synonyms (phrase, expansions, domain) whose phrase is not stored yet; staff's edits
    of the stored ones stay. Returns the number added."""
    stored = set(SearchSynonym.objects.values_list("phrase", flat=True))
    new = []
    for phrase, expansions, domain in rows:
        if phrase not in stored:
            stored.add(phrase)
            new.append(SearchSynonym(phrase=phrase, expansions=expansions, domain=domain))
    if new:
        bulk_create_with_history(new, SearchSynonym, default_change_reason="reference data")
    if new:
        pagecache.changed("catalogue")
    return len(new)
