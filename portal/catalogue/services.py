"""Commands that change the catalogue. ``import_items`` reads implementations (实施清单事项) from a
CSV or XLSX file: all or nothing (one transaction), with every bad row reported by line number and
field. Each row names its basic service (基本目录) by basic code, and its code must be the
department's credit code followed by that basic code (ADR 0121): a wrong code is a row error that
names what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal import pagecache
from portal.catalogue import codes
from portal.catalogue.models import (
    ApplicantKind,
    BasicService,
    Department,
    Domain,
    ItemKind,
    ServiceItem,
)
from portal.catalogue.search.documents import DOCUMENT_FIELDS
from portal.catalogue.search.services import fill_documents
from portal.history import record_baseline
from portal.tables import UnreadableTable, read_table

REQUIRED_COLUMNS = (
    "code", "basic", "name", "domain", "kind", "department", "legal_limit_days",
    "promised_limit_days",
)  # fmt: skip
TEXT_COLUMNS = {
    "name_en": 300, "description": 5000, "keywords": 300, "fee_note": 200, "fee_note_en": 300,
    "former_code": 40,
}  # fmt: skip
BOOLEAN_COLUMNS = (
    "online", "service_hall", "self_service", "mobile", "smart_approval",
    "missing_materials_allowed", "commitment", "proactive", "is_active",
)  # fmt: skip
COLUMNS = (
    *REQUIRED_COLUMNS, "applicant_kind", *TEXT_COLUMNS, "fee", "visits_required", *BOOLEAN_COLUMNS,
)  # fmt: skip
# Chinese column headings staff may use instead of the field names.
HEADER_ALIASES = {
    "事项编码": "code", "编码": "code", "实施编码": "code", "基本编码": "basic",
    "原编码": "former_code", "事项名称": "name", "名称": "name", "英文收费依据": "fee_note_en",
    "英文名称": "name_en", "领域": "domain", "事项类型": "kind", "类型": "kind",
    "实施部门编码": "department", "部门编码": "department", "法定时限": "legal_limit_days",
    "承诺时限": "promised_limit_days", "服务对象": "applicant_kind", "描述": "description",
    "关键词": "keywords", "收费标准": "fee", "收费依据": "fee_note", "跑动次数": "visits_required",
    "网上办理": "online", "窗口办理": "service_hall", "自助办理": "self_service",
    "移动端办理": "mobile", "智能审批": "smart_approval", "容缺受理": "missing_materials_allowed",
    "告知承诺": "commitment", "无感审批": "proactive", "在用": "is_active",
}  # fmt: skip
TRUE_WORDS = {"1", "true", "yes", "y", "t", "on", "是", "√"}
FALSE_WORDS = {"0", "false", "no", "n", "f", "off", "否", "×"}
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    line: int  # line of the file (the heading is line 1)
    field: str
    message: str
    code: str = ""  # what is wrong, for a code: the ValidationError's code (``basic_type`` …)

    def __str__(self) -> str:
        return _("Line %(line)s, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a choice's value, or its label in Chinese or English."""
    lookup = {value.lower(): value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            lookup.update({str(label).lower(): value for value, label in choices.choices})
    return lookup


def read_rows(file: IO | Path | str, name: str = "") -> list[list[Any]]:
    """The file's rows (heading first) as lists of cells; CSV (UTF-8, with or without BOM, or
    GB18030) or XLSX, told apart by the name or the content. The file is read as it is parsed and
    refused at the first row or byte over the limits, never loaded whole."""
    if isinstance(file, str | Path):
        with open(file, "rb") as handle:
            return read_rows(handle, name or str(file))
    name = name or getattr(file, "name", "") or ""
    try:
        # one row over the limit is enough to refuse the file with the row count's message
        return read_table(file, name, max_rows=MAX_ROWS + 2)
    except UnreadableTable as exc:
        if exc.reason == "encoding":
            raise ValueError(_("The file is neither UTF-8 nor GB18030 text.")) from exc
        raise


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_items(file: IO | Path | str, name: str = "", *, user=None) -> ImportResult:
    """Create or update (by code) the items of ``file``. Nothing is stored unless every row is
    valid; the result lists every problem by line and field. The items' history records the
    import, by ``user``."""
    result = ImportResult()
    rows = _readable_rows(file, name, result)
    if result.errors:
        return result
    valid = _valid_rows(rows, result)
    if result.errors:
        return result
    result.created, result.updated = _save_items(valid, user)
    return result


def _readable_rows(file: IO | Path | str, name: str, result: ImportResult) -> list[list[Any]]:
    """The file's rows when it can be read and its heading names the columns; else the problems
    are in ``result.errors``."""
    try:
        rows = read_rows(file, name)
    except Exception as exc:  # noqa: BLE001  (any unreadable file is the uploader's error, said)
        result.errors.append(RowError(1, _("file"), _("Cannot read the file: %s") % exc))
        return []
    if not rows or not any(_cell(c) for c in rows[0]):
        result.errors.append(RowError(1, _("file"), _("The file is empty.")))
        return []
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append(
            RowError(1, _("file"), _("At most %(max)d rows at once.") % {"max": MAX_ROWS})
        )
        return []
    heading = [HEADER_ALIASES.get(_cell(c), _cell(c).lower()) for c in rows[0]]
    for column in REQUIRED_COLUMNS:
        if column not in heading:
            result.errors.append(RowError(1, column, _("This column is missing.")))
    for column in heading:
        if column and column not in COLUMNS:
            result.errors.append(RowError(1, column, _("Unknown column.")))
    return [heading, *rows[1:]]


def _valid_rows(rows: list[list[Any]], result: ImportResult) -> list[dict[str, Any]]:
    """Each data row as model values; every problem by line and column in ``result.errors``."""
    heading = rows[0]
    data_rows = [
        (line, dict(zip(heading, (_cell(c) for c in row), strict=False)))
        for line, row in enumerate(rows[1:], start=2)
        if any(_cell(c) for c in row)
    ]
    if not data_rows:
        result.errors.append(RowError(2, _("file"), _("The file has no items.")))
        return []
    department_codes = {row.get("department", "") for _line, row in data_rows}
    departments = {
        code: (pk, credit_code)
        for code, pk, credit_code in Department.objects.filter(
            code__in=department_codes
        ).values_list("code", "id", "credit_code")
    }
    basic_codes = {row.get("basic", "") for _line, row in data_rows}
    basics = dict(
        BasicService.objects.filter(basic_code__in=basic_codes).values_list("basic_code", "id")
    )
    lookups = {
        "domain": _choice_lookup(Domain),
        "kind": _choice_lookup(ItemKind),
        "applicant_kind": _choice_lookup(ApplicantKind),
    }
    seen: dict[str, int] = {}
    valid: list[dict[str, Any]] = []
    for line, row in data_rows:
        values, errors = _validate_row(line, row, departments, basics, lookups, seen)
        result.errors += errors
        if not errors:
            valid.append(values)
    return valid


def _save_items(valid: list[dict[str, Any]], user) -> tuple[int, int]:
    """Create or update the items in one transaction, with their history; (created, updated)."""
    with transaction.atomic():
        existing = {
            item.code: item
            for item in ServiceItem.objects.select_for_update().filter(
                code__in=[v["code"] for v in valid]
            )
        }
        names = dict(
            Department.objects.filter(id__in={v["department_id"] for v in valid}).values_list(
                "id", "name"
            )
        )
        to_create, to_update = [], []
        for values in valid:
            item = existing.get(values["code"])
            if item is None:
                item = ServiceItem(**values)
                to_create.append(item)
            else:
                for key, value in values.items():
                    setattr(item, key, value)
                to_update.append(item)
            item.search_text = item.build_search_text(names[item.department_id])
        fill_documents([*to_create, *to_update], names)
        if to_create:
            bulk_create_with_history(
                to_create, ServiceItem, batch_size=500, default_user=user,
                default_change_reason="import",
            )  # fmt: skip
        if to_update:
            record_baseline(to_update)
            fields = sorted(set().union(*(v.keys() for v in valid)) - {"code"})
            bulk_update_with_history(
                to_update, ServiceItem, [*fields, "search_text", *DOCUMENT_FIELDS], batch_size=500,
                default_user=user, default_change_reason="import",
            )  # fmt: skip
    if to_create or to_update:
        pagecache.changed("catalogue")  # bulk writes send no signals
    return len(to_create), len(to_update)


Error = Callable[..., None]  # (column, message[, code])


def _validate_row(
    line: int,
    row: dict[str, str],
    departments: dict[str, tuple[int, str]],
    basics: dict[str, int],
    lookups: dict[str, dict[str, str]],
    seen: dict[str, int],
) -> tuple[dict[str, Any], list[RowError]]:
    """The row's model values and its problems: one check per group of columns, in order."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def error(column: str, message: str, code: str = "") -> None:
        errors.append(RowError(line, column, message, code))

    _check_code(line, row, values, error, seen)
    _check_texts(row, values, error)
    _check_choices(row, values, error, lookups)
    department = row.get("department", "")
    if department not in departments:
        error(
            "department",
            _("Unknown department code “%(code)s”.") % {"code": department}
            if department
            else _("The department code is required."),
        )
    values["department_id"], credit_code = departments.get(department, (None, None))
    basic_code = _check_basic(row, values, error, basics)
    if values["code"] and not any(e.field == "code" for e in errors):
        _check_code_structure(values["code"], credit_code, basic_code, error)
    _check_limits(row, values, error)
    _check_fee(row, values, error)
    _check_booleans(row, values, error)
    return values, errors


def _check_code(line: int, row, values, error: Error, seen: dict[str, int]) -> None:
    code = row.get("code", "")
    if not code:
        error("code", _("The item code is required."))
    elif len(code) > 40 or any(ch.isspace() for ch in code):
        error("code", _("An item code has at most 40 characters and no spaces."))
    elif code in seen:
        error("code", _("Duplicate code: also on line %(line)d.") % {"line": seen[code]})
    else:
        seen[code] = line
    values["code"] = code


def _check_basic(row, values, error: Error, basics: dict[str, int]) -> str | None:
    """The row's basic code when it names a stored basic service (its id in ``values``)."""
    basic_code = row.get("basic", "")
    try:
        codes.validate_basic_code(basic_code)
    except ValidationError as exc:
        error("basic", " ".join(exc.messages), exc.code or "")
        return None
    if basic_code not in basics:
        error(
            "basic",
            _("No basic service has the code “%(code)s”.") % {"code": basic_code},
            "basic_unknown",
        )
        return None
    values["basic_id"] = basics[basic_code]
    return basic_code


def _check_code_structure(
    code: str, credit_code: str | None, basic_code: str | None, error: Error
) -> None:
    """The code is an implementation code whose parts are the row's department's credit code
    and its basic service's code (each part checked only when the row names a known one)."""
    if credit_code == "":
        error(
            "code",
            _("The department has no credit code yet: enter it on the department first."),
            "implementation_department",
        )
        return
    try:
        codes.validate_implementation_code(code, credit_code, basic_code)
    except ValidationError as exc:
        error("code", " ".join(exc.messages), exc.code or "")


def _check_texts(row, values, error: Error) -> None:
    name = row.get("name", "")
    if not name:
        error("name", _("The name is required."))
    elif len(name) > 200:
        error("name", _("At most 200 characters."))
    values["name"] = name
    for column, limit in TEXT_COLUMNS.items():
        if column in row:
            if len(row[column]) > limit:
                error(column, _("At most %(limit)d characters.") % {"limit": limit})
            values[column] = row[column]


def _check_choices(row, values, error: Error, lookups: dict[str, dict[str, str]]) -> None:
    for column in ("domain", "kind", "applicant_kind"):
        if column not in row:
            continue
        raw = row[column]
        if not raw and column == "applicant_kind":
            values[column] = ApplicantKind.BOTH
            continue
        value = lookups[column].get(raw.lower())
        if value is None:
            error(column, _("Unknown value “%(value)s”.") % {"value": raw})
        values[column] = value


def _check_limits(row, values, error: Error) -> None:
    limits = {}
    for column in ("legal_limit_days", "promised_limit_days", "visits_required"):
        if column not in row or (column == "visits_required" and not row[column]):
            continue
        raw = row[column]
        if not raw.isdigit() or int(raw) > 3650:
            error(column, _("A whole number of days between 0 and 3650 is expected."))
            continue
        limits[column] = values[column] = int(raw)
    legal, promised = limits.get("legal_limit_days"), limits.get("promised_limit_days")
    if legal is not None and promised is not None and promised > legal:
        error(
            "promised_limit_days",
            _("The promised time limit (%(promised)d) exceeds the legal one (%(legal)d).")
            % {"promised": promised, "legal": legal},
        )


def _check_fee(row, values, error: Error) -> None:
    if not row.get("fee"):
        return
    try:
        fee = Decimal(row["fee"])
        exponent = fee.as_tuple().exponent  # a letter for NaN and infinity
        if fee < 0 or fee >= Decimal("100000000") or not isinstance(exponent, int):
            raise InvalidOperation
        if exponent < -2:  # more than two decimals
            raise InvalidOperation
        values["fee"] = fee
    except InvalidOperation:
        error("fee", _("A fee in yuan, at least 0, with at most two decimals, is expected."))


def _check_booleans(row, values, error: Error) -> None:
    for column in BOOLEAN_COLUMNS:
        raw = row.get(column, "").lower()
        if not raw:
            continue
        if raw in TRUE_WORDS:
            values[column] = True
        elif raw in FALSE_WORDS:
            values[column] = False
        else:
            error(column, _("Yes or no (1/0, true/false, 是/否) is expected."))
