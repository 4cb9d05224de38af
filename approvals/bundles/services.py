"""Submitting a bundle application: one transaction opens one case per item of the bundle, each
at its own competent department in its own normal workflow, with the materials given once copied
to every case that needs them (ADR 0118)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.catalogue.bundles.models import Bundle
from portal.catalogue.bundles.selectors import BundleMaterial, bundle_items, bundle_materials
from portal.catalogue.forms import local_name
from portal.languages import in_each_language
from portal.validators import validate_visible_text

from ..models import ApplicantKind, Case, Channel
from ..services import NotAcceptableHere, submit_case, validate_applicant
from .models import BundleApplication, BundleCase

REFERENCE_PREFIX = "YS"  # 一事


def check_applicant(bundle: Bundle, applicant_kind: str, id_number: str, name: str) -> None:
    """The applicant against the bundle's event and every item of it, all errors at once
    (ValidationError keyed by field). Also the form's check, before any file is sent on."""
    errors: dict[str, list] = {}
    if applicant_kind != bundle.applicant_kind:
        if bundle.applicant_kind == ApplicantKind.PERSON:
            errors["applicant_kind"] = [_("This bundle is for a person's life event.")]
        else:
            errors["applicant_kind"] = [_("This bundle is for a company's business event.")]
    else:
        for item in bundle_items(bundle):
            try:
                validate_applicant(item, applicant_kind, id_number)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        if message not in errors.get(key, []):
                            errors.setdefault(key, []).append(message)
    if not (name or "").strip():
        errors["applicant_name"] = [_("Enter the applicant's name.")]
    else:
        try:
            validate_visible_text(name)
        except ValidationError as exc:
            errors["applicant_name"] = exc.messages
    if errors:
        raise ValidationError(errors)


def _item_materials(group_of: dict[int, BundleMaterial], given: dict[int, dict], item) -> list:
    """What ``item``'s case receives: for each of its materials the entry given for its group
    (the same file is saved again for every case: each case keeps its own copy)."""
    entries = []
    for material in item.materials.all():
        group = group_of[material.pk]
        entry = given.get(group.pk)
        if entry:
            entry = {**entry, "material": material}
            if entry.get("file") is not None and hasattr(entry["file"], "seek"):
                entry["file"].seek(0)
            entries.append(entry)
    return entries


def _errors_by_group(exc: ValidationError, group_of: dict[int, BundleMaterial], item) -> dict:
    """A case's ValidationError as the bundle form's errors: ``material_<id>`` of the item's own
    material becomes that of its group; a message not about a field names the item."""
    errors: dict[str, list] = {}
    if not hasattr(exc, "error_dict"):
        return {"__all__": [f"{local_name(item)}: {m}" for m in exc.messages]}
    for key, messages in exc.message_dict.items():
        if key.startswith("material_") and key[9:].isdigit() and int(key[9:]) in group_of:
            key = f"material_{group_of[int(key[9:])].pk}"
        elif key in ("item", "channel", "accepting_point", "__all__", "materials"):
            key, messages = "__all__", [f"{local_name(item)}: {m}" for m in messages]
        errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))
    return errors


def submit_bundle(
    *,
    bundle: Bundle,
    applicant_kind: str,
    applicant_id_number: str,
    applicant_name: str,
    applicant_mobile: str = "",
    applicant_user: Any = None,
    materials: dict[int, dict] | None = None,
    note: str = "",
    submission_key: str | None = None,
) -> BundleApplication:
    """Apply online for every item of ``bundle`` at once.

    ``bundle`` comes with its entries, items and materials prefetched
    (:func:`portal.catalogue.bundles.selectors.get_bundle`). ``materials`` maps the id of each
    material the form asks for (:func:`bundle_materials`: one per kind and name) to what was
    given for it: ``{"file": upload}``, ``{"committed": True}``, ``{"shared_record": ...}``.

    In one transaction: the application, then one case per item through
    :func:`approvals.services.submit_case` (the portal chooses each item's accepting point; the
    case goes to the item's competent department and takes its normal workflow). Anything wrong
    with any item (ValidationError keyed by the form's fields) records nothing at all.
    ``submission_key`` found again returns the application made the first time
    (``resubmitted = True``)."""
    if submission_key:
        existing = BundleApplication.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            existing.resubmitted = True
            return existing
    if not bundle.is_active:
        raise ValidationError(_("This bundle is no longer offered."))
    applicant_id_number = (applicant_id_number or "").strip().upper()
    check_applicant(bundle, applicant_kind, applicant_id_number, applicant_name)
    groups = bundle_materials(bundle)
    group_of = {member.pk: group for group in groups for member in group.members}
    given = {int(key): value for key, value in (materials or {}).items()}
    unknown = sorted(set(given) - {group.pk for group in groups})
    if unknown:
        raise ValidationError(
            {
                f"material_{pk}": [_("This material does not belong to the bundle.")]
                for pk in unknown
            }
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            application = BundleApplication.objects.create(
                reference=uuid.uuid4().hex[:24],
                bundle=bundle,
                applicant_kind=applicant_kind,
                applicant_id_number=applicant_id_number,
                applicant_name=applicant_name.strip(),
                applicant_mobile=applicant_mobile or "",
                applicant_user=applicant_user,
                submitted_at=now,
                note=note,
                submission_key=submission_key or None,
            )
            day = timezone.localdate(now)
            application.reference = f"{REFERENCE_PREFIX}{day:%Y%m%d}-{application.pk:06d}"
            BundleApplication.objects.filter(pk=application.pk).update(
                reference=application.reference
            )
            links = []
            errors: dict[str, list] = {}
            for position, item in enumerate(bundle_items(bundle)):
                try:
                    case = submit_case(
                        item=item,
                        applicant_kind=applicant_kind,
                        applicant_id_number=applicant_id_number,
                        applicant_name=applicant_name,
                        applicant_mobile=applicant_mobile,
                        applicant_user=applicant_user,
                        channel=Channel.ONLINE,
                        materials=_item_materials(group_of, given, item),
                        by=applicant_user,
                        note=in_each_language(
                            lambda: (
                                _("One-thing bundle %(reference)s: %(bundle)s")
                                % {"reference": application.reference, "bundle": local_name(bundle)}
                                + (f"\n{note}" if note else "")
                            )
                        ),
                    )
                except NotAcceptableHere as exc:
                    errors.setdefault("__all__", []).append(
                        f"{local_name(item)}: {exc.decision.message}"
                    )
                    continue
                except ValidationError as exc:
                    for key, messages in _errors_by_group(exc, group_of, item).items():
                        errors.setdefault(key, []).extend(
                            m for m in messages if m not in errors.get(key, [])
                        )
                    continue
                links.append(BundleCase(application=application, case=case, position=position))
            if errors:
                # Nothing of it is kept: the transaction rolls back every case made so far.
                raise ValidationError(errors)
            BundleCase.objects.bulk_create(links)
    except IntegrityError:
        existing = (
            BundleApplication.objects.filter(submission_key=submission_key).first()
            if submission_key
            else None
        )
        if existing is None:
            raise
        existing.resubmitted = True
        return existing
    return application


def cases_of(application: BundleApplication) -> list[Case]:
    return [link.case for link in application.links.all()]
