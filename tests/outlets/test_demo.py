"""The demo data: the seeds' 550 outlets by kind and operator, terminals, varied lists, managers;
loading twice changes nothing."""

from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count
from django.test import RequestFactory

from outlets import demo
from outlets.models import ItemListEntry, ItemListVersion, Outlet, Terminal
from portal.catalogue.models import ItemKind, ServiceItem
from portal.catalogue.selectors import qingdao_district_codes
from tests.factories import DepartmentFactory, bulk_basic_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    department = DepartmentFactory()
    convenience = bulk_basic_services(81, ItemKind.CONVENIENCE)
    licences = bulk_basic_services(800, ItemKind.LICENCE)
    ServiceItem.objects.bulk_create(
        [ServiceItem(code="CERT", name="社会保险参保证明打印", kind=ItemKind.CONVENIENCE,
                     domain="social_insurance", department=department, self_service=True,
                     basic=convenience[80])]
        + [
            ServiceItem(code=f"DEMO-C{n:03d}", name=f"便民服务{n}", kind=ItemKind.CONVENIENCE,
                        domain="tax", department=department, self_service=True,
                        basic=convenience[n])
            for n in range(80)
        ]
        + [
            ServiceItem(code=f"DEMO-A{n:03d}", name=f"审批事项{n}", kind=ItemKind.LICENCE,
                        domain="administrative_approval", department=department,
                        self_service=True, basic=licences[n])
            for n in range(800)
        ]
    )  # fmt: skip
    demo.load()


def test_counts_by_operator_and_kind_match_the_seeds(loaded):
    operators = Counter(Outlet.objects.values_list("operator", flat=True))
    assert operators == {"government": 107, "icbc": 22, "ccb": 123, "rcb": 298}
    assert Outlet.objects.count() == 550
    kinds = Counter(Outlet.objects.filter(operator="government").values_list("kind", flat=True))
    assert kinds["service_hall"] == 11 and sum(kinds.values()) == 107
    assert set(Outlet.objects.exclude(operator="government").values_list("kind", flat=True)) == {
        "bank_branch"
    }
    assert set(Outlet.objects.values_list("district_id", flat=True)) == set(
        qingdao_district_codes()
    )


def check_terminals_and_lists():
    per_outlet = Outlet.objects.annotate(n=Count("terminals")).values_list("n", flat=True)
    assert min(per_outlet) >= 1 and max(per_outlet) <= 4
    assert not Outlet.objects.filter(versions__isnull=True).exists()


def check_lists_differ():
    lists = {}
    for version_id, item_id in ItemListEntry.objects.filter(version__number=1).values_list(
        "version_id", "item_id"
    ):
        lists.setdefault(version_id, set()).add(item_id)
    assert len({frozenset(s) for s in lists.values()}) > 500
    assert ItemListEntry.terminals.through.objects.exists()
    sizes = sorted(len(s) for s in lists.values())
    assert sizes[len(sizes) // 2] >= 100


def check_history():
    assert ItemListVersion.objects.filter(number=2).count() >= 50


def test_loading_twice_changes_nothing(loaded):
    before = (
        Outlet.objects.count(),
        Terminal.objects.count(),
        ItemListVersion.objects.count(),
        ItemListEntry.objects.count(),
    )
    demo.load()
    after = (
        Outlet.objects.count(),
        Terminal.objects.count(),
        ItemListVersion.objects.count(),
        ItemListEntry.objects.count(),
    )
    assert before == after


def check_manager():
    user = authenticate(
        RequestFactory().post("/"), username="outlet_manager", password=demo.DEMO_PASSWORD
    )
    assert user is not None and user.role == "outlet_manager"
    assert set(user.managed_outlets.values_list("code", flat=True)) == {"QD-GOV-001", "QD-RCB-001"}


def test_terminals_lists_history_and_managers(loaded):
    check_terminals_and_lists()
    check_lists_differ()
    check_history()
    check_manager()
