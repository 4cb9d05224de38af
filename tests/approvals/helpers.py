from approvals import services
from approvals.models import Channel

from .factories import make_resident_id


def apply(world, item=None, point=None, channel=Channel.ONLINE, user=None, materials=(), **kw):
    """A citizen's application (online by default)."""
    user = user if user is not None else world.citizen
    return services.submit_case(
        item=item or world.item,
        applicant_kind="person",
        applicant_id_number=make_resident_id(1),
        applicant_name="王小明",
        applicant_mobile="13900000001",
        applicant_user=user,
        channel=channel,
        accepting_point=point,
        materials=materials,
        by=user,
        **kw,
    )


def act(case, action, user, **data):
    return services.transition(case.pk, action, user=user, **data)
