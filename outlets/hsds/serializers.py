"""HSDS objects (ADR 0115): the records mapped to plain dicts by the ``*_data`` builders, and the
serializers that emit them and describe them in the OpenAPI schema. A field an HSDS object may
leave out (``required=False``) is left out when the record has no value: HSDS types such fields as
strings, so a null would not validate."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from rest_framework import serializers

from ..models import OpeningHours, Outlet, OutletStatus
from . import ids

if TYPE_CHECKING:
    from rest_framework.request import Request

    from portal.catalogue.models import Department, ServiceItem

    from ..models import ItemListEntry

#: Qingdao keeps China Standard Time all year (no daylight saving): opening hours are local.
UTC_OFFSET = "+08:00"
UTC_OFFSET_HOURS = 8
#: RFC 5545 weekday codes by the portal's weekday numbers (0 = Monday).
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PROVINCE = "山东省"
COUNTRY = "CN"
OUTLET_CODE_SCHEME = "qingdao-outlet-code"

#: The operators of outlets as organizations: their names are data (Chinese, then English).
OPERATOR_NAMES = {
    "government": ("青岛市人民政府", "Qingdao Municipal People's Government"),
    "icbc": ("中国工商银行", "Industrial and Commercial Bank of China"),
    "ccb": ("中国建设银行", "China Construction Bank"),
    "rcb": ("青岛农村商业银行", "Qingdao Rural Commercial Bank"),
}

UUID_HELP = "A UUIDv5 derived from the portal's key (stable; ADR 0115)."


# --- builders ------


def language_data(owner: str, pk: int, owner_id: str) -> dict:
    return {
        "id": ids.language(owner, pk, "zh"),
        f"{owner}_id": owner_id,
        "name": _("Chinese"),
        "code": "zh",
    }


def phone_data(owner: str, pk: int, owner_id: str, number: str) -> list[dict]:
    if not number:
        return []
    phone_id = ids.phone(owner, pk)
    return [
        {
            "id": phone_id,
            f"{owner}_id": owner_id,
            "number": number,
            "type": "voice",
            "languages": [
                {
                    "id": ids.language("phone", pk, "zh"),
                    "phone_id": phone_id,
                    "name": _("Chinese"),
                    "code": "zh",
                }
            ],
        }
    ]


def operator_data(code: str) -> dict:
    name, name_en = OPERATOR_NAMES[code]
    if code == "government":
        description = _(
            "Runs the government service halls, town and street convenience centres and village "
            "and community stations with self-service terminals."
        )
    else:
        description = _("Runs bank branches with the government's self-service terminals.")
    return {
        "id": ids.operator(code),
        "name": name,
        "alternate_name": name_en,
        "description": description,
    }


def department_data(department: Department, detail: bool = False) -> dict:
    data = {
        "id": ids.department(department.pk),
        "name": department.name,
        "description": _("Competent department of services offered at the self-service outlets."),
    }
    if department.name_en:
        data["alternate_name"] = department.name_en
    if detail:
        data["phones"] = phone_data("organization", department.pk, data["id"], department.phone)
    return data


def location_basic_data(outlet: Outlet) -> dict:
    description = str(outlet.get_kind_display())
    if outlet.status != OutletStatus.OPEN:
        description = f"{description} · {outlet.get_status_display()}"
    return {
        "id": ids.location(outlet.pk),
        "location_type": "physical",
        "organization_id": ids.operator(outlet.operator),
        "name": outlet.name,
        "description": description,
        "latitude": outlet.latitude,
        "longitude": outlet.longitude,
        "external_identifier": outlet.code,
        "external_identifier_type": OUTLET_CODE_SCHEME,
    }


def _calendar_note(outlet: Outlet) -> str | None:
    if outlet.calendar == "working_days":
        return _(
            "Open on official working days only: closed on public holidays, and open on an "
            "adjusted working day at a weekend with Monday's hours."
        )
    if outlet.closed_on_holidays:
        return _("Closed on public holidays.")
    return None


def schedule_data(outlet: Outlet, hours: OpeningHours, location_id: str) -> dict:
    data = {
        "id": ids.schedule(hours.pk),
        "location_id": location_id,
        "freq": "WEEKLY",
        "interval": 1,
        "wkst": "MO",
        "byday": WEEKDAYS[hours.weekday],
        "opens_at": f"{hours.opens:%H:%M}{UTC_OFFSET}",
        "closes_at": f"{hours.closes:%H:%M}{UTC_OFFSET}",
        "timezone": UTC_OFFSET_HOURS,
        "description": str(hours),
    }
    note = _calendar_note(outlet)
    if note:
        data["notes"] = note
    return data


def location_data(outlet: Outlet) -> dict:
    """A location with its address, phone, language and opening hours (``opening_hours``
    prefetched, ``district__parent`` selected)."""
    data = location_basic_data(outlet)
    location_id = data["id"]
    district = outlet.district
    city = district.parent.name if district.parent_id else district.name
    data["languages"] = [language_data("location", outlet.pk, location_id)]
    data["addresses"] = [
        {
            "id": ids.address(outlet.pk),
            "location_id": location_id,
            "address_1": outlet.address,
            "city": city,
            "region": district.name,
            "state_province": PROVINCE,
            "postal_code": "",
            "country": COUNTRY,
            "address_type": "physical",
        }
    ]
    data["phones"] = phone_data("location", outlet.pk, location_id, outlet.phone)
    data["accessibility"] = (
        [
            {
                "id": ids.accessibility(outlet.pk),
                "location_id": location_id,
                "description": outlet.accessibility,
            }
        ]
        if outlet.accessibility.strip()
        else []
    )
    data["schedules"] = [
        schedule_data(outlet, hours, location_id) for hours in outlet.opening_hours.all()
    ]
    return data


def _fees(item: ServiceItem) -> str:
    if item.fee_note:
        return item.fee_note
    if not item.fee:
        return _("Free of charge.")
    return _("%(amount)s yuan.") % {"amount": item.fee.quantize(Decimal("0.01"))}


def service_basic_data(item: ServiceItem, request: Request) -> dict:
    data = {
        "id": ids.service(item.pk),
        "organization_id": ids.department(item.department_id),
        "name": item.name,
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "status": "active" if item.is_active else "inactive",
        "fees_description": _fees(item),
        "last_modified": item.updated_at.isoformat(timespec="milliseconds"),
        "organization": department_data(item.department),
    }
    if item.name_en:
        data["alternate_name"] = item.name_en
    if item.description:
        data["description"] = item.description
    return data


def _terminals_text(entry: ItemListEntry) -> str:
    codes = [terminal.code for terminal in entry.terminals.all()]
    if not codes:
        return _("Offered at every self-service terminal of the outlet.")
    return _("Offered at the self-service terminals %(terminals)s.") % {
        "terminals": "、".join(codes)
    }


def service_at_location_data(entry: ItemListEntry, request: Request, detail: bool = False) -> dict:
    outlet = entry.version.outlet
    data = {
        "id": ids.service_at_location(outlet.pk, entry.item_id),
        "service_id": ids.service(entry.item_id),
        "location_id": ids.location(outlet.pk),
        "description": _terminals_text(entry),
        "service": service_basic_data(entry.item, request),
        "location": location_data(outlet) if detail else location_basic_data(outlet),
    }
    return data


def service_data(item: ServiceItem, entries: list[ItemListEntry], request: Request) -> dict:
    data = service_basic_data(item, request)
    data["languages"] = [language_data("service", item.pk, data["id"])]
    data["service_at_locations"] = [
        {
            "id": ids.service_at_location(entry.version.outlet.pk, item.pk),
            "service_id": data["id"],
            "location_id": ids.location(entry.version.outlet.pk),
            "description": _terminals_text(entry),
            "location": location_data(entry.version.outlet),
        }
        for entry in entries
    ]
    return data


# --- serializers (emit the builders' dicts; describe them in the OpenAPI schema) ------


class HsdsLanguageSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    service_id = serializers.UUIDField(required=False)
    location_id = serializers.UUIDField(required=False)
    phone_id = serializers.UUIDField(required=False)
    name = serializers.CharField()
    code = serializers.CharField(help_text="ISO 639-1: `zh`.")


class HsdsPhoneSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    location_id = serializers.UUIDField(required=False)
    organization_id = serializers.UUIDField(required=False)
    number = serializers.CharField()
    type = serializers.CharField(help_text="RFC 6350 type: `voice`.")
    languages = HsdsLanguageSerializer(many=True)


class HsdsScheduleSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    location_id = serializers.UUIDField()
    freq = serializers.CharField(help_text="RFC 5545: `WEEKLY`.")
    interval = serializers.IntegerField()
    wkst = serializers.CharField(help_text="RFC 5545: `MO`.")
    byday = serializers.CharField(help_text="RFC 5545 weekday: `MO` … `SU`.")
    opens_at = serializers.CharField(help_text="HH:MM with the UTC offset, e.g. `09:00+08:00`.")
    closes_at = serializers.CharField(help_text="HH:MM with the UTC offset.")
    timezone = serializers.IntegerField(help_text="UTC offset in hours: 8.")
    description = serializers.CharField()
    notes = serializers.CharField(
        required=False, help_text="The outlet's calendar: working days only, or public holidays."
    )


class HsdsAddressSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    location_id = serializers.UUIDField()
    address_1 = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField(help_text="The district.")
    state_province = serializers.CharField()
    postal_code = serializers.CharField(
        allow_blank=True, help_text="Empty: the portal does not keep postal codes."
    )
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2: `CN`.")
    address_type = serializers.CharField(help_text="`physical`.")


class HsdsAccessibilitySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    location_id = serializers.UUIDField()
    description = serializers.CharField(help_text="The outlet's accessibility notes.")


class HsdsLocationSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    location_type = serializers.CharField(help_text="`physical`.")
    organization_id = serializers.UUIDField(help_text="The operator running the outlet.")
    name = serializers.CharField()
    description = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    external_identifier = serializers.CharField(help_text="The outlet's code.")
    external_identifier_type = serializers.CharField(help_text=f"`{OUTLET_CODE_SCHEME}`.")


class HsdsLocationSerializer(HsdsLocationSummarySerializer):
    languages = HsdsLanguageSerializer(many=True)
    addresses = HsdsAddressSerializer(many=True)
    phones = HsdsPhoneSerializer(many=True)
    schedules = HsdsScheduleSerializer(many=True)
    accessibility = HsdsAccessibilitySerializer(many=True)


class HsdsOrganizationSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    name = serializers.CharField()
    alternate_name = serializers.CharField(required=False, help_text="The English name.")
    description = serializers.CharField()


class HsdsOrganizationSerializer(HsdsOrganizationSummarySerializer):
    phones = HsdsPhoneSerializer(many=True)


class HsdsServiceSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    organization_id = serializers.UUIDField(help_text="The competent department.")
    name = serializers.CharField()
    alternate_name = serializers.CharField(required=False, help_text="The English name.")
    description = serializers.CharField(required=False)
    url = serializers.URLField(help_text="The item's page on the portal.")
    status = serializers.CharField(help_text="`active` or `inactive`.")
    fees_description = serializers.CharField()
    last_modified = serializers.CharField(help_text="ISO 8601 date-time, milliseconds.")
    organization = HsdsOrganizationSummarySerializer()


class HsdsServiceAtLocationSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    service_id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    description = serializers.CharField(help_text="Which terminals of the outlet offer it.")
    service = HsdsServiceSummarySerializer()
    location = HsdsLocationSummarySerializer()


class HsdsServiceAtLocationSerializer(HsdsServiceAtLocationSummarySerializer):
    location = HsdsLocationSerializer()


class HsdsServiceLocationSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=UUID_HELP)
    service_id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    description = serializers.CharField()
    location = HsdsLocationSerializer()


class HsdsServiceSerializer(HsdsServiceSummarySerializer):
    languages = HsdsLanguageSerializer(many=True)
    service_at_locations = HsdsServiceLocationSerializer(many=True)


def page_serializer(name: str, item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The HSDS API's paged answer with ``item`` as its contents (for the OpenAPI schema)."""
    fields = {
        "total_items": serializers.IntegerField(),
        "total_pages": serializers.IntegerField(),
        "page_number": serializers.IntegerField(),
        "size": serializers.IntegerField(help_text="The number of entities in this page."),
        "first_page": serializers.BooleanField(),
        "last_page": serializers.BooleanField(),
        "empty": serializers.BooleanField(help_text="True when this page has no entities."),
        "contents": item(many=True),
    }
    return type(name, (serializers.Serializer,), fields)


HsdsServicePageSerializer = page_serializer(
    "HsdsServicePageSerializer", HsdsServiceSummarySerializer
)
HsdsServiceAtLocationPageSerializer = page_serializer(
    "HsdsServiceAtLocationPageSerializer", HsdsServiceAtLocationSummarySerializer
)
HsdsOrganizationPageSerializer = page_serializer(
    "HsdsOrganizationPageSerializer", HsdsOrganizationSummarySerializer
)


class HsdsAboutSerializer(serializers.Serializer):
    version = serializers.CharField(help_text="The HSDS version of this API.")
    profile = serializers.URLField()
    openapi_url = serializers.URLField()
    description = serializers.CharField()
