"""Factories of the proactive approvals app's models."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from approvals.proactive.models import (
    Certificate,
    CertificateType,
    Company,
    ContactPerson,
    ContactRole,
    ProactiveRule,
)
from tests.factories import ServiceItemFactory, make_uscc, region


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("uscc",)

    uscc = factory.Sequence(lambda n: make_uscc(100_000 + n))
    name = factory.Sequence(lambda n: f"青岛测试{n}建设工程有限公司")
    legal_representative = "王建国"
    address = factory.Sequence(lambda n: f"青岛市市南区香港中路{n + 1}号")
    district = factory.LazyFunction(lambda: region("370200"))


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    company = factory.SubFactory(CompanyFactory)
    role = ContactRole.LEGAL_REPRESENTATIVE
    name = factory.SelfAttribute("company.legal_representative")
    mobile = factory.Sequence(lambda n: f"137{n:08d}")
    wechat_id = factory.Sequence(lambda n: f"wx{n}")


class CertificateTypeFactory(DjangoModelFactory):
    class Meta:
        model = CertificateType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CT{n:03d}")
    name = "建筑业企业资质证书"
    item = factory.SubFactory(
        ServiceItemFactory, name="建筑企业资质简单变更", proactive=True, applicant_kind="company"
    )
    validity_years = 5
    grades = "一级,二级,三级"


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    type = factory.SubFactory(CertificateTypeFactory)
    number = factory.Sequence(lambda n: f"D2370{n:06d}")
    grade = "三级"
    company = factory.SubFactory(CompanyFactory)
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=900))
    particulars = factory.LazyAttribute(
        lambda o: {
            "name": o.company.name,
            "legal_representative": o.company.legal_representative,
            "address": o.company.address,
            "shareholders": [],
        }
    )


def make_rule(
    ctype: CertificateType,
    *,
    trigger="licence_change",
    fields=("legal_representative", "address", "shareholders", "name"),
    days=None,
    regions=("370200",),
    active=True,
    **extra,
) -> ProactiveRule:
    rule = ProactiveRule.objects.create(
        name=f"{ctype.item.name} rule {trigger}",
        item=ctype.item,
        trigger=trigger,
        fields=list(fields) if trigger == "licence_change" else [],
        days=days if trigger == "licence_change" else (days or 60),
        valid_from=datetime.date(2020, 8, 1),
        message="{company}：您的{certificate}需办理{item}，请于{deadline}前确认：{link}",
        active=active,
        **extra,
    )
    rule.certificate_types.set([ctype])
    rule.regions.set(list(regions))
    return rule
