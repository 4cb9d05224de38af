"""Demo conditions for the items with smart approval (ADR 0117): which items are smart is
reference data (``portal/catalogue/reference/items.csv``, by the rule the ADR states); their
conditions are each department's to keep, so the demo gives every smart item the same sample:
a mobile number to reach the applicant, an identity number or credit code of Qingdao, and for
a company, in business and registered in Qingdao by the company register. Checks on a register
apply only to applicants it keeps (:func:`approvals.services.smart.applies`).

Idempotent: items that already have checks keep them."""

from __future__ import annotations

from portal.catalogue.models import ServiceItem

from .models import SmartCheck, SmartField, SmartOperator

QINGDAO = "3702"

# (applicant kinds, field, operator, value, message, English message)
SAMPLE = (
    (
        ("person", "company", "both"),
        SmartField.APPLICANT_MOBILE,
        SmartOperator.PRESENT,
        "",
        "留有申请人联系手机",
        "A mobile number to reach the applicant is given",
    ),
    (
        ("company", "both"),
        SmartField.COMPANY_STATUS,
        SmartOperator.EQUALS,
        "active",
        "企业登记状态为存续",
        "The company is registered as in business",
    ),
    (
        ("company", "both"),
        SmartField.COMPANY_REGION,
        SmartOperator.STARTS_WITH,
        QINGDAO,
        "企业登记地在青岛市",
        "The company is registered in Qingdao",
    ),
    (
        ("person", "company", "both"),
        SmartField.APPLICANT_REGION,
        SmartOperator.STARTS_WITH,
        QINGDAO,
        "申请人户籍或登记机关在青岛市（据身份证号码或统一社会信用代码）",
        "The applicant is registered in Qingdao (from the identity number or credit code)",
    ),
)


def load_smart_checks(stdout=None) -> int:
    items = list(
        ServiceItem.objects.filter(smart_approval=True, smart_checks__isnull=True)
        .distinct()
        .values_list("id", "applicant_kind")
    )
    rows = [
        SmartCheck(
            item_id=item_id,
            position=position,
            field=field,
            operator=operator,
            value=value,
            message=message,
            message_en=message_en,
        )
        for item_id, applicant_kind in items
        for position, (kinds, field, operator, value, message, message_en) in enumerate(SAMPLE)
        if applicant_kind in kinds
    ]
    SmartCheck.objects.bulk_create(rows, batch_size=1000)
    if stdout is not None:
        stdout.write(f"  cases: {len(rows)} smart-approval checks for {len(items)} items")
    return len(rows)
