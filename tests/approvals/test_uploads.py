"""Materials: uploads checked for type, content and size; commitments need a tick; shared data is
fetched without the applicant doing anything."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.models import Case, CaseMaterial
from portal.uploads import MAX_UPLOAD_BYTES

from .factories import make_resident_id, material

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def post(client, world, files, **extra):
    data = {
        "applicant_kind": "person",
        "applicant_name": "王小明",
        "applicant_id_number": make_resident_id(1),
        "accepting_point": world.shinan_hall.pk,
        **files,
        **extra,
    }
    return client.post(reverse("approvals:apply", args=[world.item.code]), data)


@pytest.fixture
def licence(world):
    return material(world.item, "营业执照复印件")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("合同.docx", b"PK\x03\x04", "PDF"),
        ("伪装.pdf", b"MZ\x90\x00 not a pdf", "PDF"),
        ("空.pdf", b"", ""),
    ],
)
def test_bad_uploads_are_refused_on_the_field(world, client, licence, name, content, message):
    client.force_login(world.citizen)
    response = post(client, world, {f"material_{licence.pk}": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["form"].errors.get(f"material_{licence.pk}")
    assert not Case.objects.exists()


def test_too_large_upload_is_refused(world, client, licence, settings):
    client.force_login(world.citizen)
    big = SimpleUploadedFile("大.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES + 1))
    response = post(client, world, {f"material_{licence.pk}": big})
    errors = response.context["form"].errors[f"material_{licence.pk}"]
    assert "10.0 MB" in errors[0] or "10.0" in errors[0]
    assert not Case.objects.exists()


def test_good_png_is_stored_with_type_and_size(world, client, licence):
    client.force_login(world.citizen)
    response = post(client, world, {f"material_{licence.pk}": SimpleUploadedFile("照片.PNG", PNG)})
    assert response.status_code == 302
    stored = CaseMaterial.objects.get(kind="file")
    assert stored.content_type == "image/png" and stored.size == len(PNG)
    assert stored.original_name == "照片.PNG"
    download = client.get(
        reverse("approvals:material_file", args=[stored.case.reference, stored.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    client.force_login(world.other_citizen)
    assert (
        client.get(
            reverse("approvals:material_file", args=[stored.case.reference, stored.pk])
        ).status_code
        == 404
    )


def test_required_material_missing_is_an_error_unless_missing_materials_allowed(
    world, client, licence
):
    client.force_login(world.citizen)
    response = post(client, world, {})
    assert f"material_{licence.pk}" in response.context["form"].errors
    world.item.missing_materials_allowed = True
    world.item.save()
    assert post(client, world, {}).status_code == 302


def test_commitment_needs_the_tick_and_keeps_the_text(world, client):
    promise = material(
        world.item,
        "无违法记录承诺",
        source="commitment",
        commitment_text="本人承诺近三年无食品安全违法记录。",
    )
    client.force_login(world.citizen)
    response = post(client, world, {})
    assert f"material_{promise.pk}" in response.context["form"].errors
    assert post(client, world, {f"material_{promise.pk}": "on"}).status_code == 302
    stored = CaseMaterial.objects.get(kind="commitment")
    assert stored.commitment_text == "本人承诺近三年无食品安全违法记录。"
    assert stored.committed_at is not None


def test_shared_materials_are_fetched_automatically(world, client):
    material(world.item, "户口簿", source="shared")
    client.force_login(world.citizen)
    page = client.get(reverse("approvals:apply", args=[world.item.code])).content.decode()
    assert "户口簿" in page and 'name="material_' not in page
    assert post(client, world, {}).status_code == 302
    assert CaseMaterial.objects.get().kind == "shared"


def test_invalid_identity_number_is_a_field_error(world, client):
    client.force_login(world.citizen)
    response = post(client, world, {}, applicant_id_number="370202198503120000")
    assert "applicant_id_number" in response.context["form"].errors


def test_item_not_online_cannot_be_applied_for_online(world, client):
    world.item.online = False
    world.item.save()
    client.force_login(world.citizen)
    response = client.get(reverse("approvals:apply", args=[world.item.code]))
    assert response.status_code == 302
