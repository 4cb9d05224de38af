"""Convert a stored catalogue to the basic catalogue and its implementations (ADR 0121).

From the reference data (portal/catalogue/reference/: ``departments.csv`` has each department's
credit code, ``basic_services.csv`` the basic catalogue, ``items.csv`` each implementation's new
code, its ``former_code`` and its basic code):

- departments named in the data get their credit code;
- the basic services are created;
- each stored item whose code is a former code gets its implementation code, keeps the old one
  as ``former_code`` (its old address redirects) and points at its basic service.

Items the reference data does not know (a deployment's own) join the basic service of their
name when the reference has one, else get a basic service of their own name each, numbered after the reference's in their type code, and keep their code unless their
department has a credit code (then: credit code + basic code): staff correct them in the admin.
A new database has no items, and the reference loader fills it in the new form.

The search documents still hold the old codes until ``load_reference`` (run at every
deployment) or ``rebuild_search`` rewrites them."""

from collections import Counter, defaultdict

from django.db import migrations

from portal.catalogue.codes import TYPE_CODES
from portal.catalogue.reference import read


def convert(apps, schema_editor):
    Department = apps.get_model("catalogue", "Department")
    BasicService = apps.get_model("catalogue", "BasicService")
    ServiceItem = apps.get_model("catalogue", "ServiceItem")
    if not ServiceItem.objects.exists() and not Department.objects.exists():
        return
    credit = {row["code"]: row["credit_code"] for row in read("departments.csv")}
    departments = list(Department.objects.filter(code__in=credit, credit_code=""))
    for department in departments:
        department.credit_code = credit[department.code]
    Department.objects.bulk_update(departments, ["credit_code"])

    basics = read("basic_services.csv")
    known = set(BasicService.objects.values_list("basic_code", flat=True))
    BasicService.objects.bulk_create(
        [BasicService(**row) for row in basics if row["basic_code"] not in known]
    )
    basic_ids = dict(BasicService.objects.values_list("basic_code", "id"))
    new_codes = {row["former_code"]: (row["code"], row["basic"]) for row in read("items.csv")}

    converted, unknown = [], defaultdict(list)
    for item in ServiceItem.objects.filter(basic__isnull=True).select_related("department"):
        if item.code in new_codes:
            item.former_code = item.code
            item.code, basic_code = new_codes[item.code]
            item.basic_id = basic_ids[basic_code]
            converted.append(item)
        else:
            unknown[item.name].append(item)

    used = Counter()
    for code in basic_ids:
        used[code[:2]] = max(used[code[:2]], int(code[2:7]))
    by_name = {row["name"]: row["basic_code"] for row in basics}
    for name, items in unknown.items():
        first = items[0]
        type_code = TYPE_CODES.get(first.kind, "QT")
        used[type_code] += 1
        basic = BasicService.objects.filter(basic_code=by_name.get(name)).first()
        basic = basic or BasicService.objects.create(
            basic_code=f"{type_code}{used[type_code]:05d}000",
            name=name,
            name_en=first.name_en,
            kind=first.kind,
            domain=first.domain,
            applicant_kind=first.applicant_kind,
            competent_levels=",".join(sorted({i.department.level for i in items})),
        )
        for item in items:
            item.basic_id = basic.id
            if item.department.credit_code:
                item.former_code = item.code
                item.code = item.department.credit_code + basic.basic_code
            converted.append(item)
    ServiceItem.objects.bulk_update(converted, ["code", "former_code", "basic"], batch_size=500)


def unconvert(apps, schema_editor):
    ServiceItem = apps.get_model("catalogue", "ServiceItem")
    items = list(ServiceItem.objects.exclude(former_code=""))
    for item in items:
        item.code, item.former_code = item.former_code, ""
    ServiceItem.objects.bulk_update(items, ["code", "former_code"], batch_size=500)
    ServiceItem.objects.update(basic=None)
    apps.get_model("catalogue", "BasicService").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0008_basic_catalogue")]

    operations = [migrations.RunPython(convert, unconvert)]
