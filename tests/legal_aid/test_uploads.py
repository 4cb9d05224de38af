"""Evidence uploads: type judged by content and name, size at most 10 MB."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.uploads import MAX_UPLOAD_BYTES, check_upload

from . import factories as f


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.pdf", f.PDF_BYTES, "application/pdf"),
        ("a.PNG", f.PNG_BYTES, "image/png"),
        ("a.jpg", f.JPG_BYTES, "image/jpeg"),
        ("a.jpeg", f.JPG_BYTES, "image/jpeg"),
    ],
)
def test_pdf_jpg_png_are_accepted(name, content, expected):
    assert check_upload(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.exe", b"MZ\x90\x00"),
        ("a.pdf", b"MZ\x90\x00"),
        ("a.png", f.PDF_BYTES),
        ("a.docx", b"PK\x03\x04"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(name, content):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content))
    assert name in str(error.value.messages[0]) or name in str(error.value)


def test_a_file_over_10_mb_is_refused():
    big = SimpleUploadedFile("big.pdf", f.PDF_BYTES + b"0" * MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError) as error:
        check_upload(big)
    assert error.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("a.pdf", b""))


@pytest.mark.django_db
def test_stored_names_are_not_guessable_and_the_original_is_kept(citizen):
    from legal_aid.services import add_evidence, draft_for

    draft = draft_for(citizen)
    one = add_evidence(
        upload=f.pdf_upload("身份证.pdf"), description="身份证", user=citizen, draft=draft
    )
    two = add_evidence(
        upload=f.pdf_upload("身份证.pdf"), description="身份证", user=citizen, draft=draft
    )
    assert one.original_name == "身份证.pdf"
    assert "身份证" not in one.file.name and one.file.name.endswith(".pdf")
    assert one.file.name != two.file.name


def test_materials_are_uploaded_only_while_the_centre_waits_for_them(client, citizen, laixi_staff):
    from django.urls import reverse

    from legal_aid.models import Evidence
    from legal_aid.services import add_requested_material, take
    from portal.workflow import NotAllowed, Refused

    app = f.submit(citizen)
    take(app.reference, "start_review", laixi_staff)
    url = reverse("legal_aid:upload_materials", args=[app.reference])
    client.force_login(citizen)
    response = client.post(url, {"description": "劳动合同", "file": f.pdf_upload()})
    assert response.status_code == 302
    assert response.url == reverse("legal_aid:application", args=[app.reference])
    with pytest.raises(Refused):
        add_requested_material(app.reference, user=citizen, upload=f.pdf_upload())
    assert not Evidence.objects.filter(application=app).exists()

    take(app.reference, "request_materials", laixi_staff, items=["劳动合同"])
    with pytest.raises(NotAllowed):
        add_requested_material(app.reference, user=laixi_staff, upload=f.pdf_upload())
    assert client.post(url, {"description": "劳动合同"}).status_code == 400  # no file chosen
    assert client.post(url, {"description": "劳动合同", "file": f.pdf_upload()}).status_code == 302
    assert list(Evidence.objects.filter(application=app).values_list("for_materials_request")) == [
        (True,)
    ]
