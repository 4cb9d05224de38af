"""The pre-filled application lists each material once, in the site's language or the reader's."""

from django.utils import translation

from approvals.proactive.models import Offer
from approvals.proactive.prefill import build_application
from portal.catalogue.models import Material

from .conftest import event
from .helpers import post_events


def test_the_business_licence_is_listed_once(world, market_client):
    Material.objects.create(item=world.item, name="营业执照", source="shared")
    Material.objects.create(item=world.item, name="安全生产管理人员名单", source="shared")
    post_events(market_client, [event(uscc=world.company.uscc)])
    offer = Offer.objects.get()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names = [m["name"] for m in build_application(offer)["materials"]]
        licence = "营业执照" if language == "zh-hans" else "Business licence"
        assert sum(licence in name for name in names) == 1, (language, names)
        assert not any("营业执照" in name for name in names) or language == "zh-hans", names
        assert "安全生产管理人员名单" in names
