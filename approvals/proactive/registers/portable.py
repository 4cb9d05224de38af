"""The portable path (SQLite and other databases): the checked rows are kept in memory, compared
with the register in Python and written with the ORM's bulk operations. The same outcome as the
PostgreSQL path (tests run both); meant for files of a few hundred thousand rows."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    Certificate,
    Company,
    ContactPerson,
    ContactRole,
    LicenceEvent,
    Shareholder,
)
from ..services.common import in_chunks
from .models import ImportMode, Register

KEY_INDEX = 0  # the key (USCC, certificate number) is the first value of a staged row


def _holders_text(rows) -> str:
    return ";".join(f"{name}:{'' if share is None else share}" for name, share in rows)


def _holders(company_ids) -> dict[int, str]:
    grouped: dict[int, list] = {}
    for chunk in in_chunks(list(company_ids)):
        for company_id, name, share in (
            Shareholder.objects.filter(company_id__in=chunk)
            .order_by("id")
            .values_list("company_id", "name", "share")
        ):
            grouped.setdefault(company_id, []).append((name, share))
    return {k: _holders_text(v) for k, v in grouped.items()}


class PortableStage:
    def __init__(self, register: str) -> None:
        self.register = register
        self.staged: list[tuple[int, tuple]] = []
        self.rows = 0

    def add(self, line: int, values: tuple) -> None:
        self.staged.append((line, values))
        self.rows += 1

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        pass

    def drop(self) -> None:
        self.staged = []

    def problems(
        self, limit: int, maybe_twice: bool = True
    ) -> tuple[list[tuple[int, str, str]], int]:
        found: list[tuple[int, str, str]] = []
        first: dict[str, int] = {}
        key = "uscc" if self.register == Register.COMPANIES else "number"
        for line, values in self.staged:
            value = values[KEY_INDEX]
            if value in first:
                found.append(
                    (
                        line,
                        key,
                        _("%(value)s appears again (first on line %(first)s).")
                        % {"value": value, "first": first[value]},
                    )
                )
            else:
                first[value] = line
        if self.register == Register.CERTIFICATES:
            holders = {values[2] for _line, values in self.staged}
            known = set()
            for chunk in in_chunks(list(holders)):
                known.update(Company.objects.filter(uscc__in=chunk).values_list("uscc", flat=True))
            found += [
                (
                    line,
                    "holder_uscc",
                    _("No company with this code is in the register: %(value)s.")
                    % {"value": values[2]},
                )
                for line, values in self.staged
                if values[2] not in known
            ]
        found.sort()
        return found[:limit], len(found)

    def merge(self, mode: str, import_id: int, today: datetime.date, now: datetime.datetime):
        if self.register == Register.COMPANIES:
            return self._merge_companies(mode, import_id, today, now)
        return self._merge_certificates(mode)

    def _merge_companies(self, mode, import_id, today, now) -> dict[str, Any]:
        rows = {values[0]: values for _line, values in self.staged}
        fields = (
            "name",
            "type",
            "legal_representative",
            "legal_representative_id_number",
            "address",
            "district_id",
            "established_on",
            "status",
        )
        existing: dict[str, Company] = {}
        for chunk in in_chunks(list(rows)):
            existing.update((c.uscc, c) for c in Company.objects.filter(uscc__in=chunk))
        before = {c.pk: (c.name, c.legal_representative, c.address) for c in existing.values()}
        old_holders = _holders([c.pk for c in existing.values()])
        new: list[Company] = []
        changed: list[Company] = []
        touched: set[str] = set()
        for uscc, v in rows.items():
            values = {
                "name": v[1],
                "type": v[2],
                "legal_representative": v[3],
                "legal_representative_id_number": v[4],
                "address": v[5],
                "district_id": v[6],
                "established_on": datetime.date.fromisoformat(v[7]) if v[7] else None,
                "status": v[8],
            }
            company = existing.get(uscc)
            if company is None:
                new.append(Company(uscc=uscc, **values))
            elif any(getattr(company, f) != values[f] for f in fields):
                for f, value in values.items():
                    setattr(company, f, value)
                company.updated_at = now
                changed.append(company)
                touched.add(uscc)
        Company.objects.bulk_create(new, batch_size=500)
        Company.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=500)
        inserted = {c.uscc for c in new}
        ids = {c.uscc: c.pk for c in [*existing.values(), *new]}
        touched |= _sync_contacts(rows, ids)
        touched |= _sync_holders(rows, ids, old_holders)
        deleted = 0
        if mode == ImportMode.FULL:
            gone = [
                pk
                for pk, uscc, status in Company.objects.values_list("pk", "uscc", "status")
                if uscc not in rows and status != "deregistered"
            ]
            for chunk in in_chunks(gone):
                deleted += Company.objects.filter(pk__in=chunk).update(
                    status="deregistered", updated_at=now
                )
        offers: list[int] = []
        if mode == ImportMode.INCREMENTAL:
            offers = self._licence_events(
                import_id, today, now, existing, before, old_holders, rows
            )
        return {
            "inserted": len(inserted),
            "updated": len(touched - inserted),
            "unchanged": len(rows) - len(touched | inserted),
            "deleted": deleted,
            "offers": offers,
        }

    def _licence_events(self, import_id, today, now, existing, before, old_holders, rows):
        from .. import detection

        batch = uuid.uuid4()
        events = []
        for uscc, company in existing.items():
            v = rows[uscc]
            old_name, old_rep, old_address = before[company.pk]
            changes: dict[str, Any] = {}
            mask = 0
            for bit, key, old, new in (
                (1, "name", old_name, v[1]),
                (2, "legal_representative", old_rep, v[3]),
                (4, "address", old_address, v[5]),
                (8, "shareholders", old_holders.get(company.pk, ""), v[9]),
            ):
                if old != new:
                    mask |= bit
                    changes[key] = {"old": old, "new": new}
            if mask:
                events.append(
                    LicenceEvent(
                        event_id=f"register-{import_id}-{uscc}",
                        uscc=uscc,
                        company_id=company.pk,
                        changed_on=today,
                        changes=json.loads(json.dumps(changes)),
                        fields_mask=mask,
                        new_name=v[1] if mask & 1 else None,
                        new_legal_representative=v[3] if mask & 2 else None,
                        new_address=v[5] if mask & 4 else None,
                        batch=batch,
                        received_at=now,
                    )
                )
        LicenceEvent.objects.bulk_create(events, batch_size=500, ignore_conflicts=True)
        return [row[0] for row in detection.detect_licence_changes(batch, today=today)]

    def _merge_certificates(self, mode) -> dict[str, Any]:
        rows = {values[0]: values for _line, values in self.staged}
        holders: dict[str, int] = {}
        for chunk in in_chunks(list({v[2] for v in rows.values()})):
            holders.update(Company.objects.filter(uscc__in=chunk).values_list("uscc", "pk"))
        existing: dict[str, Certificate] = {}
        for chunk in in_chunks(list(rows)):
            existing.update((c.number, c) for c in Certificate.objects.filter(number__in=chunk))
        fields = (
            "type_id",
            "grade",
            "company_id",
            "issued_on",
            "expires_on",
            "particulars",
            "status",
        )
        new, changed = [], []
        for number, v in rows.items():
            values = {
                "type_id": v[1],
                "grade": v[3],
                "company_id": holders[v[2]],
                "issued_on": datetime.date.fromisoformat(v[4]),
                "expires_on": datetime.date.fromisoformat(v[5]),
                "particulars": json.loads(v[7]),
                "status": v[6],
            }
            certificate = existing.get(number)
            if certificate is None:
                new.append(Certificate(number=number, **values))
            elif any(getattr(certificate, f) != values[f] for f in fields):
                for f, value in values.items():
                    setattr(certificate, f, value)
                changed.append(certificate)
        Certificate.objects.bulk_create(new, batch_size=500)
        Certificate.objects.bulk_update(changed, list(fields), batch_size=500)
        deleted = 0
        if mode == ImportMode.FULL:
            gone = [
                pk
                for pk, number in Certificate.objects.filter(
                    status="valid", case_reference=""
                ).values_list("pk", "number")
                if number not in rows
            ]
            for chunk in in_chunks(gone):
                deleted += Certificate.objects.filter(pk__in=chunk).update(status="revoked")
        return {
            "inserted": len(new),
            "updated": len(changed),
            "unchanged": len(rows) - len(new) - len(changed),
            "deleted": deleted,
            "offers": [],
        }


def _sync_contacts(rows: dict[str, tuple], ids: dict[str, int]) -> set[str]:
    """The legal representative's registered mobile: his or her contact, added or corrected.
    Returns the USCCs whose contact changed."""
    touched: set[str] = set()
    contacts: dict[tuple[int, str], ContactPerson] = {}
    for chunk in in_chunks(list(ids.values())):
        for contact in ContactPerson.objects.filter(
            company_id__in=chunk, role=ContactRole.LEGAL_REPRESENTATIVE
        ):
            contacts[(contact.company_id, contact.name)] = contact
    add_contacts, fix_contacts = [], []
    for uscc, v in rows.items():
        if not v[10]:
            continue
        contact = contacts.get((ids[uscc], v[3]))
        if contact is None:
            add_contacts.append(
                ContactPerson(
                    company_id=ids[uscc],
                    role=ContactRole.LEGAL_REPRESENTATIVE,
                    name=v[3],
                    mobile=v[10],
                )
            )
            touched.add(uscc)
        elif contact.mobile != v[10]:
            contact.mobile = v[10]
            fix_contacts.append(contact)
            touched.add(uscc)
    ContactPerson.objects.bulk_create(add_contacts, batch_size=500)
    ContactPerson.objects.bulk_update(fix_contacts, ["mobile"], batch_size=500)
    return touched


def _sync_holders(rows: dict[str, tuple], ids: dict[str, int], old: dict[int, str]) -> set[str]:
    """Shareholders replaced where the file's list differs. Returns the USCCs changed."""
    replace = {ids[uscc]: v[9] for uscc, v in rows.items() if old.get(ids[uscc], "") != v[9]}
    for chunk in in_chunks(list(replace)):
        Shareholder.objects.filter(company_id__in=chunk).delete()
    holders = []
    for company_id, text in replace.items():
        for part in text.split(";"):
            if part:
                name, _sep, share = part.partition(":")
                holders.append(
                    Shareholder(
                        company_id=company_id, name=name, share=Decimal(share) if share else None
                    )
                )
    Shareholder.objects.bulk_create(holders, batch_size=500)
    by_id = {pk: uscc for uscc, pk in ids.items()}
    return {by_id[pk] for pk in replace}
