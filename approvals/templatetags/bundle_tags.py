"""``{% my_bundle_applications %}``: the signed-in applicant's one-thing bundle applications, on
“My cases” (one query), each linking to its progress page."""

from __future__ import annotations

from django import template

from approvals.bundles.selectors import applications_for_applicant

register = template.Library()

SHOWN = 20


@register.inclusion_tag("approvals/bundles/my_applications.html", takes_context=True)
def my_bundle_applications(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"applications": list(applications_for_applicant(user)[:SHOWN])}


@register.simple_tag(takes_context=True)
def bundle_applications_of(context, bundle) -> list:
    """The signed-in user's own applications for ``bundle`` (none for visitors: the catalogue's
    cached public page shows the same to every visitor)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if bundle is None or not getattr(user, "is_authenticated", False):
        return []
    return list(applications_for_applicant(user).filter(bundle=bundle)[:SHOWN])


@register.simple_tag
def bundle_application_of(case):
    """The bundle application that opened ``case`` (one query), or None. Whoever may see the
    case may see the application (its policy follows the cases)."""
    from approvals.bundles.models import BundleCase

    if case is None:
        return None
    link = BundleCase.objects.filter(case=case).select_related("application__bundle").first()
    return link.application if link else None
