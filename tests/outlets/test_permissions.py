"""Every manager page and API endpoint: signed-out visitors are sent to sign in (401 in the API),
citizens and managers of other outlets are refused (403) and never see the draft or change it;
the outlet's own manager gets through."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from outlets import services
from outlets.models import ItemListEntry, ItemListVersion
from tests.factories import UserFactory

from .factories import (
    ManagerFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    bind,
    publish_items,
)

pytestmark = pytest.mark.django_db

SECRET = "草稿里的秘密事项"


@pytest.fixture
def world():
    mine = OutletFactory(code="MINE")
    theirs = OutletFactory(code="THEIRS")
    TerminalFactory(outlet=theirs, code="THEIRS-T1")
    TerminalFactory(outlet=theirs, code="THEIRS-T2")
    listed = SelfServiceItemFactory(code="LISTED")
    secret = SelfServiceItemFactory(code="SECRET", name=SECRET)
    extra = SelfServiceItemFactory(code="EXTRA")
    publish_items(theirs, [listed])
    their_manager = ManagerFactory(username="theirs")
    bind(their_manager, theirs)
    services.add_item(theirs, secret, user=their_manager)
    me = ManagerFactory(username="me")
    bind(me, mine)
    return {
        "theirs": theirs,
        "me": me,
        "their_manager": their_manager,
        "extra": extra,
        "secret": secret,
    }


def snapshot(outlet):
    return (
        sorted(
            ItemListEntry.objects.filter(version__outlet=outlet).values_list(
                "version_id", "item__code"
            )
        ),
        ItemListVersion.objects.filter(outlet=outlet).count(),
        sorted(
            ItemListEntry.terminals.through.objects.filter(
                itemlistentry__version__outlet=outlet
            ).values_list("itemlistentry_id", "terminal_id")
        ),
    )


def csv_upload():
    return SimpleUploadedFile("l.csv", b"EXTRA\n", content_type="text/csv")


PAGES = [
    ("get", "outlets:manage_draft", (), {}),
    ("get", "outlets:manage_import", (), {}),
    ("get", "outlets:manage_preview", (), {}),
    ("get", "outlets:manage_history", (), {}),
    ("get", "outlets:manage_compare", (), {"a": 1, "b": 1}),
    ("get", "outlets:manage_terminals", ("SECRET",), {}),
    ("post", "outlets:manage_add", (), {"item": "EXTRA"}),
    ("post", "outlets:manage_remove", (), {"item": "LISTED"}),
    ("post", "outlets:manage_terminals", ("SECRET",), {"terminals": ["THEIRS-T1"]}),
    ("post", "outlets:manage_import", (), {"replace": "1"}),
    ("post", "outlets:manage_preview", (), {"effective_date": "2030-01-01"}),
    ("post", "outlets:manage_discard", (), {}),
]

API = [
    ("get", "draft/", None),
    ("post", "draft/items/", {"item": "EXTRA"}),
    ("put", "draft/items/SECRET/", {"terminals": ["THEIRS-T1"]}),
    ("delete", "draft/items/SECRET/", None),
    ("post", "draft/import/", "file"),
    ("get", "draft/diff/", None),
    ("post", "publish/", {"effective_date": "2030-01-01"}),
    ("get", "versions/", None),
]


def page_request(client, method, name, args, data):
    url = reverse(name, args=["THEIRS", *args])
    if method == "get":
        return client.get(url, data)
    if name == "outlets:manage_import":
        data = {**data, "file": csv_upload()}
    return client.post(url, data)


def api_request(client, method, path, data):
    url = f"/api/v1/outlets/THEIRS/{path}"
    if data == "file":
        return client.post(url, {"file": csv_upload()}, format="multipart")
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.mark.parametrize(("method", "name", "args", "data"), PAGES)
def test_pages_send_signed_out_visitors_to_sign_in(client, world, method, name, args, data):
    before = snapshot(world["theirs"])
    response = page_request(client, method, name, args, data)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert snapshot(world["theirs"]) == before


@pytest.mark.parametrize("who", ["citizen", "other_manager"])
@pytest.mark.parametrize(("method", "name", "args", "data"), PAGES)
def test_pages_refuse_everyone_but_the_outlets_manager(
    client, world, who, method, name, args, data
):
    user = world["me"] if who == "other_manager" else UserFactory()
    client.force_login(user)
    before = snapshot(world["theirs"])
    response = page_request(client, method, name, args, data)
    assert response.status_code == 403
    assert SECRET not in response.content.decode()
    assert snapshot(world["theirs"]) == before


@pytest.mark.parametrize(("method", "name", "args", "data"), PAGES)
def test_pages_let_the_outlets_manager_in(client, world, method, name, args, data):
    client.force_login(world["their_manager"])
    response = page_request(client, method, name, args, data)
    assert response.status_code in (200, 302, 400)
    assert response.status_code != 403


def test_unknown_outlet_is_404_for_a_manager(client, world):
    client.force_login(world["me"])
    assert client.get(reverse("outlets:manage_draft", args=["NOWHERE"])).status_code == 404


def test_manager_index_lists_only_my_outlets(client, world):
    client.force_login(world["me"])
    text = client.get(reverse("outlets:manage_index")).content.decode()
    assert "MINE" in text and "THEIRS" not in text
    client.force_login(UserFactory())
    assert client.get(reverse("outlets:manage_index")).status_code == 403


def test_the_public_outlet_page_never_shows_the_draft(client, world):
    text = client.get(reverse("outlets:outlet_detail", args=["THEIRS"])).content.decode()
    assert "LISTED" in text and SECRET not in text


@pytest.mark.parametrize(("method", "path", "data"), API)
def test_api_refuses_signed_out_visitors(client, world, method, path, data):
    before = snapshot(world["theirs"])
    response = api_request(client, method, path, data)
    assert response.status_code in (401, 403)
    assert snapshot(world["theirs"]) == before


@pytest.mark.parametrize("who", ["citizen", "other_manager"])
@pytest.mark.parametrize(("method", "path", "data"), API)
def test_api_refuses_everyone_but_the_outlets_manager(client, world, who, method, path, data):
    client.force_login(world["me"] if who == "other_manager" else UserFactory())
    before = snapshot(world["theirs"])
    response = api_request(client, method, path, data)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert SECRET not in response.content.decode()
    assert snapshot(world["theirs"]) == before


@pytest.mark.parametrize(("method", "path", "data"), API)
def test_api_lets_the_outlets_manager_in(client, world, method, path, data):
    client.force_login(world["their_manager"])
    response = api_request(client, method, path, data)
    assert response.status_code in (200, 201, 204)


def test_api_manager_edits_and_publishes(client, world):
    client.force_login(world["their_manager"])
    base = "/api/v1/outlets/THEIRS/"
    draft = client.get(base + "draft/").json()
    assert {i["code"] for i in draft["items"]} == {"LISTED", "SECRET"}
    response = client.post(
        base + "draft/items/",
        {"item": "EXTRA", "terminals": ["THEIRS-T2"]},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["terminals"] == ["THEIRS-T2"]
    diff = client.get(base + "draft/diff/").json()
    assert {c["code"] for c in diff["added"]} == {"SECRET", "EXTRA"} and diff["against"] == 1
    past = client.post(
        base + "publish/", {"effective_date": "2000-01-01"}, content_type="application/json"
    )
    assert past.status_code == 400
    today = timezone.localdate().isoformat()
    response = client.post(
        base + "publish/", {"effective_date": today}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    again = client.post(
        base + "publish/", {"effective_date": today}, content_type="application/json"
    )
    assert again.status_code == 400
    assert [v["number"] for v in client.get(base + "versions/").json()] == [2, 1]
