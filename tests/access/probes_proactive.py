"""Probes for proactive approvals: certificates (the public verification page, the register API,
the admin: the forged-grade finding), the certificate PDF (the code asked for but never
verified), offers, the company register, licence events (only the register feed's key), the
courier's webhook (its key and a valid signature), the staff dashboard and the rules."""

from __future__ import annotations

import datetime
import json
import time

from django.db import models
from django.utils import timezone

from .probes import admin_list, answered, probe

DEMO_COMPANY = "青岛海岳建设工程有限公司"  # company_rep's company (approvals.proactive.demo)
FORGED_CERTIFICATE = "AQSC-2020-00040"  # the certificate of the finding
REVIEWED_ITEM = "建筑企业资质简单变更"


def _certificate(world):
    from approvals.proactive.models import Certificate

    return world.record(
        "proactive.certificate",
        lambda: Certificate.objects.select_related("company").get(number=FORGED_CERTIFICATE),
    )


def _company(world):
    from approvals.proactive.models import Company

    return world.record("proactive.company", lambda: Company.objects.get(name=DEMO_COMPANY))


def _offer(world):
    """The demo representative's open offer (its item is reviewed by housing_staff)."""
    from approvals.proactive.models import Offer

    return world.record(
        "proactive.offer",
        lambda: Offer.objects.select_related("certificate").get(
            company=_company(world), item__name=REVIEWED_ITEM
        ),
    )


def _form_data(obj, **changes) -> dict:
    """An admin change form's POST for ``obj`` (every editable field as it is), with
    ``changes``."""
    data: dict = {}
    for field in obj._meta.get_fields():
        if not getattr(field, "editable", False) or field.auto_created or not field.concrete:
            continue
        if isinstance(field, models.ManyToManyField):
            data[field.name] = [o.pk for o in getattr(obj, field.name).all()]
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.DateTimeField):
            local = timezone.localtime(value) if value else None
            data[f"{field.name}_0"] = local.date().isoformat() if local else ""
            data[f"{field.name}_1"] = local.time().strftime("%H:%M:%S") if local else ""
        elif isinstance(field, models.JSONField):
            data[field.name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(field, models.BooleanField):
            if value:
                data[field.name] = "on"
        elif isinstance(field, models.FileField):
            continue
        else:
            data[field.name] = "" if value is None else str(value)
    data.update(changes)
    return data


def _admin_change(world, actor, obj, changed, **changes) -> bool:
    """POST ``changes`` through ``obj``'s admin change form; allowed when ``changed(fresh)``.
    A refused change must leave the row as it was."""
    model = type(obj)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
    before = model.objects.filter(pk=obj.pk).values().get()
    response = world.client(actor).post(url, _form_data(obj, **changes))
    fresh = model.objects.get(pk=obj.pk)
    if changed(fresh):
        return True
    assert model.objects.filter(pk=obj.pk).values().get() == before, "a refused change left a trace"
    if response.status_code == 200:
        raise AssertionError(f"{actor}: the form showed errors instead of saving or refusing")
    answered(response, allowed=())
    return False


# ---- certificates ---------------------------------------------------------------------------
@probe("certificate", "page")
def certificate_verify_page(world, actor):
    """The public verification page: anybody with the code."""
    certificate = _certificate(world)
    response = world.client(actor).get(f"/verify/{certificate.verification_code}/")
    return answered(response) and certificate.company.name in response.content.decode()


@probe("certificate", "api")
def certificate_api(world, actor):
    """The certificate in its holder's register entry."""
    certificate = _certificate(world)
    response = world.client(actor).get(f"/api/v1/approvals/companies/{certificate.company.uscc}/")
    if not answered(response):
        return False
    return certificate.number in [c["number"] for c in response.json()["certificates"]]


@probe("certificate", "admin_list")
def certificate_admin_list(world, actor):
    return admin_list(
        world,
        actor,
        f"/admin/proactive/certificate/?q={FORGED_CERTIFICATE}",
        f"/admin/proactive/certificate/{_certificate(world).pk}/change/",
    )


@probe("certificate", "admin_change")
def certificate_admin_change(world, actor):
    """Issue 11: yantai_staff set expires_on=2099-12-31 and grade 特级(伪造) in the admin, and the
    public page showed it. Only a superuser may change a certificate by hand."""
    from approvals.proactive.models import Certificate

    certificate = Certificate.objects.get(pk=_certificate(world).pk)
    return _admin_change(
        world,
        actor,
        certificate,
        lambda c: c.grade == "特级(伪造)" and c.expires_on == datetime.date(2099, 12, 31),
        grade="特级(伪造)",
        expires_on="2099-12-31",
    )


@probe("certificate_pdf", "pdf")
def certificate_pdf(world, actor):
    """Issue 11: ask for a code on the holder's offer link, never type it in, then ask for the
    PDF. Only those the policy lets see the certificate get it."""
    from django.core.cache import caches

    from approvals.proactive.models import ContactPerson
    from approvals.proactive.services import sign_link
    from portal import ratelimit

    offer = _offer(world)
    contact = ContactPerson.objects.filter(company=offer.company_id).exclude(mobile="").first()
    caches[ratelimit.CACHE_ALIAS].delete(f"otp-issue:{contact.mobile}")
    client = world.client(actor)
    started = client.post(
        f"/proactive/offers/{sign_link(offer, contact)}/",
        {"provider": "sms_code", "action": "start"},
    )
    assert started.status_code == 200, started.status_code
    response = client.get(f"/proactive/certificates/{offer.certificate.verification_code}.pdf")
    return answered(response) and response.content.startswith(b"%PDF")


# ---- offers ---------------------------------------------------------------------------------
@probe("offer", "page")
def offer_page(world, actor):
    """The offer's application (step 2) through its signed link: nobody, whatever their role,
    skips the identity step (a redirect back to it is a refusal)."""
    from approvals.proactive.models import ContactPerson
    from approvals.proactive.services import sign_link

    offer = _offer(world)
    contact = ContactPerson.objects.filter(company=offer.company_id).first()
    signed = sign_link(offer, contact)
    response = world.client(actor).get(f"/proactive/offers/{signed}/application/")
    if response.status_code == 302 and response["Location"].endswith(f"/offers/{signed}/"):
        return False
    return answered(response)


@probe("offer", "api")
def offer_api(world, actor):
    offer = _offer(world)
    response = world.client(actor).get(f"/api/v1/approvals/offers/?company={_company(world).uscc}")
    return answered(response) and offer.pk in [o["id"] for o in response.json()["results"]]


@probe("offer", "admin_list")
def offer_admin_list(world, actor):
    offer = _offer(world)
    return admin_list(
        world,
        actor,
        f"/admin/proactive/offer/?q={_company(world).uscc}",
        f"/admin/proactive/offer/{offer.pk}/change/",
    )


@probe("offer", "admin_change")
def offer_admin_change(world, actor):
    """Move the answer deadline by hand: a workflow record, superusers only."""
    from approvals.proactive.models import Offer

    offer = Offer.objects.get(pk=_offer(world).pk)
    return _admin_change(
        world,
        actor,
        offer,
        lambda o: o.deadline == datetime.date(2099, 12, 31),
        deadline="2099-12-31",
    )


# ---- the register ---------------------------------------------------------------------------
@probe("company", "api")
def company_api(world, actor):
    """Read a company's register entry (with its contacts) through the API."""
    company = _company(world)
    response = world.client(actor).get(f"/api/v1/approvals/companies/{company.uscc}/")
    return answered(response) and response.json()["uscc"] == company.uscc


@probe("company", "admin_list")
def company_admin_list(world, actor):
    company = _company(world)
    return admin_list(
        world,
        actor,
        f"/admin/proactive/company/?q={company.uscc}",
        f"/admin/proactive/company/{company.pk}/change/",
    )


@probe("licence_event", "api")
def licence_event_post(world, actor):
    """Issue 11: staff posted an event that rewrote the register (legal_representative: 攻击者).
    Only the register feed's key may post."""
    from approvals.proactive.models import Company, LicenceEvent

    company = _company(world)
    before = Company.objects.get(pk=company.pk).legal_representative
    event = {
        "event_id": f"MATRIX-{actor}",
        "uscc": company.uscc,
        "changed_on": "2026-11-20",
        "changes": {"legal_representative": {"old": before, "new": "攻击者"}},
    }
    response = world.client(actor).post(
        "/api/v1/approvals/licence-events/", {"events": [event]}, content_type="application/json"
    )
    stored = LicenceEvent.objects.filter(event_id=event["event_id"]).exists()
    rewritten = Company.objects.get(pk=company.pk).legal_representative == "攻击者"
    if answered(response, allowed=(201,)):
        assert stored and rewritten
        return True
    assert not stored and not rewritten, "a refused event left a trace"
    return False


@probe("courier_event", "api")
def courier_event_post(world, actor):
    """A correctly signed "collected" event: only with the courier's key."""
    from approvals.proactive.api import sign_courier_body
    from approvals.proactive.models import CourierEvent, Shipment

    offer = _offer(world)
    shipment, _ = Shipment.objects.get_or_create(
        offer=offer,
        defaults={
            "case_reference": "MATRIX",
            "tracking_number": "MATRIX-SF-1",
            "status": "ordered",  # the courier collects an order it took
            "recipient_name": "王建国",
            "recipient_mobile": "13953200001",
            "address": "青岛市市南区香港中路1号",
        },
    )
    body = json.dumps(
        {"event_id": f"MATRIX-{actor}", "tracking_number": "MATRIX-SF-1", "status": "collected"}
    ).encode()
    timestamp = str(int(time.time()))
    response = world.client(actor).post(
        "/api/v1/approvals/courier/webhook/",
        body,
        content_type="application/json",
        HTTP_X_COURIER_TIMESTAMP=timestamp,
        HTTP_X_COURIER_SIGNATURE=sign_courier_body(body, timestamp),
    )
    collected = Shipment.objects.get(pk=shipment.pk).status == "collected"
    if answered(response):
        assert collected
        return True
    assert not collected and not CourierEvent.objects.filter(shipment=shipment).exists()
    return False


# ---- the staff dashboard and the rules ------------------------------------------------------
@probe("proactive_dashboard", "page")
def proactive_dashboard(world, actor):
    """The funnel of the offers: allowed when it counts the demo representative's offer (its
    item's name is on the page)."""
    response = world.client(actor).get("/proactive/dashboard/")
    return answered(response) and REVIEWED_ITEM in response.content.decode()


@probe("rule", "admin_change")
def rule_admin_change(world, actor):
    """Rules are reference data: administrators change them; department staff only see their
    department's."""
    from approvals.proactive.models import ProactiveRule

    rule = ProactiveRule.objects.get(item__name=REVIEWED_ITEM)
    return _admin_change(
        world,
        actor,
        rule,
        lambda r: r.message == "MATRIX: changed",
        message="MATRIX: changed",
        fields=list(rule.fields),
    )
