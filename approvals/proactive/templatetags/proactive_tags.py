from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``row|get:"item__name"``: a dict value whose key has double underscores."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.inclusion_tag("proactive/_case_panel.html", takes_context=True)
def proactive_case_panel(context, case):
    """On a proactive case's page: the certificates with their verification codes, and the
    parcel's tracking with the steps the viewer may take (a new attempt, a pick-up)."""
    from portal.workflow import available_steps

    from .. import selectors

    request = context.get("request")
    user = getattr(request, "user", None)
    offer = selectors.offer_of_case(case)
    if offer is None:
        return {"offer": None}
    shipment = selectors.shipment_of(offer)
    steps = []
    if shipment is not None and user is not None:
        steps = [
            s for s in available_steps("shipment", shipment, user) if s.name in ("retry", "pickup")
        ]
    return {
        "offer": offer,
        "case": case,
        "shipment": shipment,
        "tracking": selectors.tracking(shipment) if shipment else [],
        "documents": selectors.case_documents(offer),
        "steps": steps,
        "csrf_token": context.get("csrf_token"),
        "is_applicant": context.get("is_applicant"),
    }
