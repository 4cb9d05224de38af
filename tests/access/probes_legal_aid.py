"""Probes for legal aid: the application (pages, API, admin), its evidence and PDFs, the 12348
consultations, the statistics, the staff bindings and the centres (issue 11: a legal-aid staff
user listed and edited other centres' applications in the admin, and bound itself to any centre,
the bureau included).

The records, made by the legal-aid demo for the portal's demo citizen (``citizen``):

- her online application before the Qingdao intermediate court: the Qingdao centre is competent,
  so ``qingdao_legal_aid`` (laqd) and ``qingdao_bureau`` (labu) read it and ``laixi_legal_aid``
  (lalx) does not; it has an uploaded PDF;
- her 12348 call ``ZXDEMOPORTAL``, answered by ``qingdao_legal_aid``.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from legal_aid.models import Centre, Consultation, LegalAidApplication, StaffMembership
from portal.accounts.models import User

from .probes import admin_list, answered, probe

CALL = "ZXDEMOPORTAL"
QINGDAO = "LA370200"


def citizen_application(world) -> LegalAidApplication:
    def find():
        return (
            LegalAidApplication.objects.select_related("competent_centre")
            .filter(applicant__username="citizen", competent_centre__code=QINGDAO)
            .order_by("pk")
            .first()
        )

    app = world.record("la_application", find)
    assert app is not None, "the demo has no Qingdao legal-aid application of the citizen"
    return app


def _follow_once(client, response):
    """A page that redirects (the applicant's page sends staff to the staff page): follow one
    redirect unless it is the sign-in page."""
    location = response.get("Location", "")
    if response.status_code == 302 and "/login/" not in location:
        return client.get(location)
    return response


# ----- the application -----------------------------------------------------------------------


@probe("la_application", "page")
def application_page(world, actor):
    app = citizen_application(world)
    client = world.client(actor)
    response = _follow_once(client, client.get(f"/legal-aid/my/{app.reference}/"))
    return answered(response) and app.reference in response.content.decode()


@probe("la_application", "api")
def application_api(world, actor):
    app = citizen_application(world)
    response = world.client(actor).get(f"/api/v1/legal-aid/applications/{app.reference}/")
    return answered(response) and response.json()["reference"] == app.reference


@probe("la_application", "admin_list")
def application_admin_list(world, actor):
    """The finding: a legal-aid staff user listed other centres' applications."""
    app = citizen_application(world)
    row = f"/admin/legal_aid/legalaidapplication/{app.pk}/change/"
    return admin_list(world, actor, f"/admin/legal_aid/legalaidapplication/?q={app.reference}", row)


def _value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _form_data(form, data: dict) -> None:
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            if hasattr(value, "tzinfo") and value is not None and timezone.is_aware(value):
                value = timezone.localtime(value)
            for i, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{i}"] = _value(part)
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = _value(value)


def admin_form_data(response) -> dict:
    """What the admin's change form would post back unchanged (fields and inline formsets)."""
    data: dict = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _form_data(formset.management_form, data)
        for form in formset.forms:
            _form_data(form, data)
    return data


@probe("la_application", "admin_change")
def application_admin_change(world, actor):
    """The finding: a legal-aid staff user edited an application in the admin. A workflow
    record: only superusers change it by hand."""
    app = citizen_application(world)
    url = f"/admin/legal_aid/legalaidapplication/{app.pk}/change/"
    client = world.client(actor)
    form = client.get(url)
    if form.status_code == 200 and app.resident_id in form.content.decode():
        # the full identity number: the handling (competent) centre's staff and superusers
        assert actor in ("laqd", "supr"), f"{actor} was shown the full identity number"
    data = admin_form_data(form) if form.status_code == 200 else {}
    data["opposing_party"] = "改过的对方当事人"
    response = client.post(url, data)
    changed = LegalAidApplication.objects.get(pk=app.pk).opposing_party == "改过的对方当事人"
    if not changed:
        if response.status_code == 200 and actor == "supr":
            errors = response.context["adminform"].form.errors
            raise AssertionError(f"the superuser's change was refused: {errors}")
        answered(response, allowed=(200,))
    return changed


# ----- evidence and documents -----------------------------------------------------------------


@probe("la_evidence", "download")
def evidence_download(world, actor):
    app = citizen_application(world)
    evidence = app.evidence.order_by("pk").first()
    assert evidence is not None, "the demo citizen's application has no evidence"
    response = world.client(actor).get(f"/legal-aid/evidence/{evidence.pk}/")
    return answered(response) and response.get("Content-Disposition", "").startswith("attachment")


@probe("la_document_pdf", "pdf")
def document_pdf(world, actor):
    """The receipt (受理回执), which every application has."""
    app = citizen_application(world)
    response = world.client(actor).get(f"/legal-aid/documents/{app.reference}/receipt.pdf")
    return answered(response) and response["Content-Type"] == "application/pdf"


# ----- the 12348 hotline -----------------------------------------------------------------------


@probe("consultation", "page")
def consultation_page(world, actor):
    """The centre's list of consultations (staff) or the caller's own page for the call."""
    assert Consultation.objects.filter(reference=CALL).exists(), f"the demo has no {CALL}"
    client = world.client(actor)
    listing = client.get("/legal-aid/staff/consultations/")
    in_list = answered(listing) and CALL in listing.content.decode()
    own = client.get(f"/legal-aid/consultations/{CALL}/apply/")
    return in_list or (answered(own) and CALL in own.content.decode())


@probe("consultation", "admin_list")
def consultation_admin_list(world, actor):
    call = Consultation.objects.get(reference=CALL)
    row = f"/admin/legal_aid/consultation/{call.pk}/change/"
    return admin_list(world, actor, f"/admin/legal_aid/consultation/?q={CALL}", row)


# ----- statistics ------------------------------------------------------------------------------


@probe("la_statistics", "page")
def statistics_page(world, actor):
    """The Qingdao centre's figures (its staff, its bureau, administrators)."""
    response = world.client(actor).get("/legal-aid/statistics/")
    if not answered(response):
        return False
    return any(
        row["competent_centre__code"] == QINGDAO for row in response.context["stats"]["by_centre"]
    )


@probe("la_statistics", "export")
def statistics_export(world, actor):
    response = world.client(actor).get("/legal-aid/statistics/export.csv")
    return answered(response) and f"centre,{QINGDAO}," in response.content.decode("utf-8-sig")


# ----- staff bindings and centres ---------------------------------------------------------------


@probe("staff_membership", "admin_add")
def membership_admin_add(world, actor):
    """The finding: a legal-aid staff user bound a user (itself included) to any centre, the
    bureau included. Here: bind the demo citizen's account to the Qingdao bureau."""
    target = User.objects.get(username="citizen")
    centre = Centre.objects.get(code=QINGDAO)
    response = world.client(actor).post(
        "/admin/legal_aid/staffmembership/add/",
        {"user": target.pk, "centre": centre.pk, "role": "bureau"},
    )
    if StaffMembership.objects.filter(user=target).exists():
        return True
    answered(response, allowed=(200,))
    return False


@probe("staff_membership", "admin_change")
def membership_admin_change(world, actor):
    """Move ``laixi_legal_aid``'s binding to the Qingdao bureau (for lalx: its own)."""
    binding = StaffMembership.objects.get(user__username="laixi_legal_aid")
    before = (binding.centre_id, binding.role)
    centre = Centre.objects.get(code=QINGDAO)
    response = world.client(actor).post(
        f"/admin/legal_aid/staffmembership/{binding.pk}/change/",
        {"user": binding.user_id, "centre": centre.pk, "role": "bureau"},
    )
    binding.refresh_from_db()
    if (binding.centre_id, binding.role) != before:
        return True
    answered(response, allowed=(200,))
    return False


@probe("centre", "admin_change")
def centre_admin_change(world, actor):
    centre = Centre.objects.get(code=QINGDAO)
    response = world.client(actor).post(
        f"/admin/legal_aid/centre/{centre.pk}/change/",
        {
            "code": centre.code,
            "name": centre.name,
            "name_en": centre.name_en,
            "kind": centre.kind,
            "region": centre.region_id,
            "parent": centre.parent_id or "",
            "host": centre.host,
            "justice_bureau": centre.justice_bureau,
            "department": centre.department_id or "",
            "address": centre.address,
            "phone": "0532-99999999",
        },
    )
    if Centre.objects.get(pk=centre.pk).phone == "0532-99999999":
        return True
    answered(response, allowed=(200,))
    return False
