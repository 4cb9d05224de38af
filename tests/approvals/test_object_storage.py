"""Media in object storage (issue 19): a material one web node stored is read through another,
after the portal's own permission check, by a presigned URL that expires within a minute; the
object itself is private. moto's S3 server stands in for the city's object store."""

from __future__ import annotations

import urllib.request
from urllib.error import HTTPError

import pytest
from django.urls import reverse

from approvals.models import CaseMaterial
from tests.infra.conftest import run_manage
from tests.servers.s3 import s3_server  # noqa: F401 - fixture

from .helpers import apply

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"

NODE_A = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
print(default_storage.save("materials/2026/licence.pdf", ContentFile({content!r})))
"""


@pytest.fixture
def node_b(s3_server, settings, tmp_path):  # noqa: F811 - the fixture imported above
    """This process, as the second web node: the same object store, a disk of its own."""
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.settings()}
    settings.MEDIA_ROOT = str(tmp_path / "node-b-disk")
    yield s3_server
    # close the S3 client's pooled sockets now: left to the garbage collector, their
    # ResourceWarning failed whichever later test was running when it came (CI, once)
    from django.core.files.storage import storages

    storage = storages["default"]
    for local in ("_connections", "_unsigned_connections"):
        resource = getattr(getattr(storage, local, None), "connection", None)
        if resource is not None:
            resource.meta.client.close()


def test_a_material_stored_on_one_node_is_read_through_another(world, client, node_b, tmp_path):
    node_a_disk = tmp_path / "node-a-disk"
    stored_by_a = run_manage(
        "shell",
        "-c",
        NODE_A.format(content=PDF),
        env={**node_b.env(), "MEDIA_ROOT": str(node_a_disk)},
        timeout=120,
    )
    assert stored_by_a.returncode == 0, stored_by_a.stderr
    name = stored_by_a.stdout.strip().splitlines()[-1]
    assert not any(node_a_disk.rglob("*.pdf"))  # nothing on node A's disk

    case = apply(world)
    material = CaseMaterial.objects.create(
        case=case,
        name="营业执照复印件",
        kind="file",
        file=name,
        original_name="营业执照.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    url = reverse("approvals:material_file", args=[case.reference, material.pk])

    client.force_login(world.citizen)
    answer = client.get(url)
    assert answer.status_code == 302
    signed = answer["Location"]
    assert signed.startswith(node_b.url) and "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=60" in signed  # MEDIA_URL_SECONDS
    assert "no-store" in answer["Cache-Control"] and answer["Referrer-Policy"] == "no-referrer"
    with urllib.request.urlopen(signed, timeout=10) as download:
        assert download.read() == PDF
        assert "attachment" in download.headers["Content-Disposition"]
        assert download.headers["Content-Type"] == "application/pdf"
    assert not any((tmp_path / "node-b-disk").rglob("*.pdf"))  # nor on node B's

    # the object is private: without the portal's signature the store refuses
    with pytest.raises(HTTPError) as refused:
        urllib.request.urlopen(signed.split("?", 1)[0], timeout=10)
    assert refused.value.code == 403
    refused.value.close()

    # somebody the case does not belong to gets no URL at all
    client.force_login(world.other_citizen)
    assert client.get(url).status_code == 404
