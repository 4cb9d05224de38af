"""The staff worklist opens on the scope that has work and finds a case by number or name
(issue 14 point 4: the Yantai clerk's worklist opened on an empty department scope, and there
was no search box)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals.models import PointStaff

from .factories import put_on_list
from .helpers import apply

pytestmark = pytest.mark.django_db


def test_a_clerk_whose_department_has_no_open_case_opens_on_the_points_cases(world, client):
    put_on_list(world.item, "city_wide")
    received = apply(world, point=world.laoshan_hall, channel="service_hall")
    clerk = world.laoshan_staff
    clerk.department = world.city_dept  # a department with nothing open, as Yantai's is
    clerk.role = world.dept_staff.role
    clerk.save()
    assert PointStaff.objects.filter(user=clerk, point=world.laoshan_hall).exists()
    client.force_login(clerk)
    page = client.get(reverse("approvals:staff_cases")).content.decode()
    assert received.reference in page
    assert 'value="point" selected' in page  # the form says which worklist this is


def test_staff_find_a_case_by_number_or_applicants_name(world, client):
    put_on_list(world.item, "city_wide")
    cases = [apply(world, point=world.shinan_hall, channel="service_hall") for _ in range(3)]
    client.force_login(world.shinan_staff)
    url = reverse("approvals:staff_cases")
    page = client.get(url, {"scope": "point", "q": cases[1].reference.lower()}).content.decode()
    assert cases[1].reference in page
    assert cases[0].reference not in page and cases[2].reference not in page
    by_name = client.get(url, {"scope": "point", "q": "小明"}).content.decode()
    assert all(case.reference in by_name for case in cases)
    nobody = client.get(url, {"scope": "point", "q": "张三丰"}).content.decode()
    assert not any(case.reference in nobody for case in cases)
