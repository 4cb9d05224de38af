import datetime

import pytest
from django.utils import timezone

from .factories import (
    DepartmentFactory,
    ServiceItemFactory,
    UserFactory,
    department_staff,
    district_department,
    hall,
    make_resident_id,
    point_staff,
)


class World:
    """A small Qingdao: a district department (Shinan), halls in Shinan, Laoshan and Yantai,
    their staff, and a citizen."""


@pytest.fixture
def world(db):
    w = World()
    w.shinan_dept = district_department("370202")
    w.city_dept = DepartmentFactory(code="CITY-MARKET", name="青岛市市场监督管理局")
    w.shinan_hall = hall("370202")
    w.laoshan_hall = hall("370212")
    w.yantai_hall = hall("370600", "烟台市政务服务中心")
    w.rizhao_hall = hall("371100", "日照市政务服务中心")
    w.shinan_staff = point_staff(w.shinan_hall, "shinan_hall_staff")
    w.laoshan_staff = point_staff(w.laoshan_hall, "laoshan_hall_staff")
    w.yantai_staff = point_staff(w.yantai_hall, "yantai_staff")
    w.dept_staff = department_staff(w.shinan_dept, "shinan_reviewer")
    w.city_staff = department_staff(w.city_dept, "city_reviewer")
    w.item = ServiceItemFactory(
        code="ITEM-SHINAN", name="食品经营许可", department=w.shinan_dept, promised_limit_days=5
    )
    w.citizen = UserFactory(username="citizen", real_name="王小明", resident_id=make_resident_id(1))
    w.other_citizen = UserFactory(username="other")
    return w


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today is ``day`` (Beijing time) for the services."""

    def set_day(day: datetime.date):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: day)

    return set_day
