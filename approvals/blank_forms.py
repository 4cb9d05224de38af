"""Blank forms (空白表格) the applicant downloads, fills in and uploads: for each material of the
catalogue that is a form (申请表, 申请书, 授权委托书 ...), a PDF made from the item's data, so that
no material asks for a form the portal does not offer (ADR 0103).

A form is known by the material's name; its rows are data here, not a file kept per item, so a
new item gets its forms the day it is in the catalogue. The documents are Chinese, as the
catalogue's materials are."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.catalogue.models import Material, MaterialSource, ServiceItem

DECLARATION = "本人（单位）承诺所填写的内容和提交的材料真实、有效，如有虚假，愿承担相应的法律责任。"


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[str, ...] = ()  # one labelled blank line each
    tall: tuple[str, ...] = ()  # labelled boxes for a few lines of text
    text: str = ""  # a paragraph printed as it is
    columns: tuple[str, ...] = ()  # a table with blank rows
    blank_rows: int = 0

    @property
    def blank_rows_range(self) -> range:
        return range(self.blank_rows)


@dataclass(frozen=True)
class BlankForm:
    title: str
    sections: tuple[Section, ...]
    signatures: tuple[str, ...] = field(default=("申请人（签字或盖章）",))


APPLICANT = Section(
    "申请人信息",
    rows=(
        "申请人姓名或单位名称",
        "公民身份号码或统一社会信用代码",
        "法定代表人（单位申请时填写）",
        "联系电话",
        "通讯地址",
        "邮政编码",
    ),
)
PROMISE = Section("申请人承诺", text=DECLARATION)

FORMS: dict[str, BlankForm] = {
    "申请表": BlankForm(
        "申请表",
        (APPLICANT, Section("申请内容", tall=("申请事项的具体内容",)), PROMISE),
    ),
    "申请书": BlankForm(
        "申请书",
        (APPLICANT, Section("申请事项及理由", tall=("申请事项", "事实与理由")), PROMISE),
    ),
    "授权委托书": BlankForm(
        "授权委托书",
        (
            Section(
                "委托人",
                rows=("姓名或单位名称", "公民身份号码或统一社会信用代码", "联系电话"),
            ),
            Section(
                "受托人",
                rows=("姓名", "公民身份号码", "工作单位", "联系电话"),
            ),
            Section(
                "委托事项",
                text="现委托上述受托人代为办理本表所列事项的申请、材料提交、补正和结果领取。",
                rows=("委托期限（自何日至何日）",),
                tall=("委托权限（如有特别限制，请写明）",),
            ),
        ),
        signatures=("委托人（签字或盖章）", "受托人（签字）"),
    ),
    "法定代表人身份证明": BlankForm(
        "法定代表人身份证明书",
        (
            Section(
                "单位及法定代表人",
                rows=(
                    "单位名称",
                    "统一社会信用代码",
                    "法定代表人姓名",
                    "性别",
                    "职务",
                    "公民身份号码",
                ),
            ),
            Section("证明", text="兹证明上述人员系我单位的法定代表人。特此证明。"),
        ),
        signatures=("单位（盖章）",),
    ),
    "设施设备清单": BlankForm(
        "设施设备清单",
        (
            Section(
                "设施设备",
                columns=("序号", "设施设备名称", "规格型号", "数量", "存放或使用地点", "备注"),
                blank_rows=14,
            ),
            PROMISE,
        ),
    ),
}


def blank_form(material: Material) -> BlankForm | None:
    """The blank form of ``material`` when it is a form the applicant fills in."""
    if material.source != MaterialSource.APPLICANT:
        return None
    return FORMS.get(material.name.strip())


def context(item: ServiceItem, material: Material, form: BlankForm) -> dict:
    return {"item": item, "material": material, "form": form}
