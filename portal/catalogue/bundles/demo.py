"""The demo's one-thing bundles (一事全办): thirteen life and business events of Qingdao's
"一件事" lists (a child's birth, marriage, a new job, losing a job, retirement, a death in the
family, buying a home, disability support; opening a restaurant, starting a company, closing it,
opening a private school, starting construction), each made of real items of the reference
catalogue, Shinan District's (市南区) where the item is handled in the districts, the city's
otherwise, and only items that can be applied for online.

Idempotent: running it twice changes nothing; a bundle's items are brought back to these."""

from __future__ import annotations

from django.db import transaction

from portal.catalogue.models import ServiceItem

from .models import Bundle, BundleItem, EventKind

LIFE, BUSINESS = EventKind.LIFE, EventKind.BUSINESS

# (code, name, English name, event, description, English description, item codes in order)
BUNDLES: list[tuple[str, str, str, str, str, str, tuple[str, ...]]] = [
    (
        "YS-BIRTH", "新生儿出生一件事", "A child is born", LIFE,
        "孩子出生后，出生医学证明、户口登记、医保参保、生育登记和生育津贴一次申请，材料只交一次。",
        "After a birth: the birth certificate, household registration, the baby's medical "
        "insurance, the birth registration and the maternity allowance, applied for at once.",
        ("11370202002277097DGG00064000", "11370200001773486WQR00161000",
         "11370200009426454CQR00066000", "11370202002277097DGG00065000",
         "11370200009426454CJF00031000"),
    ),
    (
        "YS-MARRIAGE", "结婚一件事", "Getting married", LIFE,
        "结婚登记、户口迁入和生育登记一次申请。",
        "Marriage registration, moving the household registration and the birth registration, "
        "applied for at once.",
        ("11370202009040236UQR00162000", "11370200001773486WQR00159000",
         "11370202002277097DGG00065000"),
    ),
    (
        "YS-NEWJOB", "就业参保一件事", "Starting a job", LIFE,
        "入职后的就业登记、养老、医疗、失业保险参保和住房公积金开户一次申请。",
        "Employment registration, pension, medical and unemployment insurance and a housing "
        "fund account when you start a job, applied for at once.",
        ("11370200004012762AGG00019000", "11370200004012762AQR00001000",
         "11370202004823346EQR00040000", "113702020076770220QR00013000",
         "113702020067473402QR00129000"),
    ),
    (
        "YS-JOBLOSS", "失业一件事", "Losing a job", LIFE,
        "失业登记、失业保险金申领、就业创业证和住房公积金提取一次申请。",
        "Unemployment registration, unemployment benefit, the employment and entrepreneurship "
        "certificate and the housing fund withdrawal, applied for at once.",
        ("11370200004012762AGG00018000", "11370200004012762AJF00005000",
         "113702020076770220GG00017000", "113702020067473402GG00045000"),
    ),
    (
        "YS-RETIRE", "退休一件事", "Retiring", LIFE,
        "养老金申领、住房公积金退休提取和医保信息变更一次申请。",
        "The pension, the housing fund withdrawal on retirement and the medical insurance "
        "change, applied for at once.",
        ("11370200004012762AJF00001000", "113702020067473402GG00039000",
         "11370202004823346EQR00041000"),
    ),
    (
        "YS-DEATH", "身后一件事", "After a death in the family", LIFE,
        "丧葬补助金和抚恤金、养老保险个人账户余额和住房公积金提取一次申请。",
        "The funeral grant and survivors' pension, the pension account's balance and the "
        "housing fund withdrawal, applied for at once.",
        ("11370200004012762AJF00018000", "11370200004012762AJF00002000",
         "113702020067473402GG00044000"),
    ),
    (
        "YS-HOME", "购房一件事", "Buying a home", LIFE,
        "不动产转移登记、契税申报、住房公积金提取和公积金贷款一次申请。",
        "The property transfer registration, the deed tax return, the housing fund withdrawal "
        "and the housing fund loan, applied for at once.",
        ("11370202007647288WQR00076000", "11370202001486292QQT00017000",
         "113702020067473402GG00036000", "11370200001115205NGG00031000"),
    ),
    (
        "YS-DISABILITY", "残疾人服务一件事", "Support for a person with a disability", LIFE,
        "残疾人证、困难残疾人生活补贴、重度残疾人护理补贴和辅助器具适配一次申请。",
        "The disability card, the living allowance, the care allowance and assistive devices, "
        "applied for at once.",
        ("113702000095429652GG00075000", "113702000095429652JF00051000",
         "113702000095429652JF00052000", "113702000095429652GG00077000"),
    ),
    (
        "YS-RESTAURANT", "开饭店一件事", "Opening a restaurant", BUSINESS,
        "个体工商户登记、食品经营许可、公共场所卫生许可和发票领用一次申请，一张表单、材料只交一次。",
        "Registration of the business, the food business licence, the public-place hygiene "
        "licence and invoices, applied for at once with one form.",
        ("11370202004983112LXK00114000", "11370202004983112LXK00009000",
         "11370202004983112LXK00029000", "11370200005648957CGG00048000"),
    ),
    (
        "YS-COMPANY", "开办企业一件事", "Starting a company", BUSINESS,
        "公司设立登记、发票领用和增值税专用发票限额审批一次申请。",
        "Company registration, invoices and the VAT special invoice limit, applied for at once.",
        ("113702000067372659XK00099000", "11370200005648957CGG00048000",
         "11370200005648957CXK00008000"),
    ),
    (
        "YS-CLOSE", "企业注销一件事", "Closing a company", BUSINESS,
        "公司注销登记、清税注销和相关许可证注销一次申请。",
        "Deregistration of the company, tax clearance and cancelling its licences, applied for "
        "at once.",
        ("11370202004983112LXK00101000", "11370200005648957CQR00150000",
         "11370200009974557GXK00012000", "11370200009974557GXK00032000"),
    ),
    (
        "YS-SCHOOL", "开办民办学校一件事", "Opening a private school", BUSINESS,
        "民办学校办学许可、公共场所卫生许可和发票领用一次申请。",
        "The private school licence, the public-place hygiene licence and invoices, applied for "
        "at once.",
        ("11370200009974557GXK00069000", "11370202004983112LXK00029000",
         "11370200005648957CGG00048000"),
    ),
    (
        "YS-BUILD", "工程建设开工一件事", "Starting construction work", BUSINESS,
        "施工许可、消防设计审查和排污许可一次申请。",
        "The construction permit, the fire-safety design review and the pollutant discharge "
        "permit, applied for at once.",
        ("113702000051708854XK00007000", "11370200009974557GXK00089000",
         "11370200009974557GXK00064000"),
    ),
]  # fmt: skip


@transaction.atomic
def load(stdout=None) -> None:
    codes = {code for *_, items in BUNDLES for code in items}
    item_ids = dict(ServiceItem.objects.filter(code__in=codes).values_list("code", "id"))
    made = 0
    for position, (code, name, name_en, kind, text, text_en, items) in enumerate(BUNDLES):
        bundle, created = Bundle.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "name_en": name_en, "event_kind": kind, "description": text,
                "description_en": text_en, "position": position,
            },
        )  # fmt: skip
        made += created
        wanted = [(item_ids[c], i) for i, c in enumerate(items) if c in item_ids]
        have = list(bundle.entries.order_by("position", "id").values_list("item_id", "position"))
        if have != wanted:
            bundle.entries.all().delete()
            BundleItem.objects.bulk_create(
                BundleItem(bundle=bundle, item_id=item_id, position=i) for item_id, i in wanted
            )
    if stdout is not None:
        stdout.write(f"  bundles: {made} one-thing bundles added ({len(BUNDLES)} in the demo)")
