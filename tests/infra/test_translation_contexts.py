"""Words that mean different things in different apps carry a translation context: Django merges
the apps' catalogues and the first app's translation of a bare word would win everywhere."""

from django.utils import translation

from approvals.proactive.models import Offer, ShipmentStatus
from portal.notifications.models import Status as NotificationStatus
from portal.ratings.models import FollowUpStatus


def test_each_app_keeps_its_own_meaning():
    with translation.override("zh-hans"):
        assert str(Offer._meta.get_field("opened_at").verbose_name) == "查看时间"
        assert str(ShipmentStatus.FAILED.label) == "派送失败"
        assert str(NotificationStatus.FAILED.label) == "发送失败"
        assert str(FollowUpStatus.OPEN.label) == "待整改"
