"""Applications made in person (a hall's counter, a self-service terminal) are recorded by staff
of the point, at their own point — on the page and over the API alike."""

from django.urls import reverse

from approvals.models import Case

from .test_api import create


def test_walk_in_page_is_for_point_staff_only(world, client):
    for user in (world.citizen, world.dept_staff):
        client.force_login(user)
        assert client.get(reverse("approvals:walk_in")).status_code == 403
    client.force_login(world.shinan_staff)
    page = client.get(reverse("approvals:walk_in"))
    assert page.status_code == 200 and page.context["point"] == world.shinan_hall


def test_self_service_over_the_api_is_refused_to_others_with_a_reason(world, client):
    client.force_login(world.dept_staff)
    response = create(client, world, channel="self_service")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有受理点工作人员可以登记窗口申请。"
    client.force_login(world.shinan_staff)
    response = create(
        client, world, channel="service_hall", accepting_point=world.laoshan_hall.code
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "只能登记本受理点的申请。"
    assert not Case.objects.exists()
