import pytest

from legal_aid import reference
from tests.factories import DepartmentFactory

from . import factories as f


@pytest.fixture(autouse=True)
def centres(db):
    """The 21 centres and the bodies (reference data), with a department for ratings."""
    loaded = reference.load()
    department = DepartmentFactory(code="SFJ", name="青岛市司法局")
    from legal_aid.models import Centre

    Centre.objects.update(department=department)
    return loaded


@pytest.fixture
def citizen(db):
    return f.citizen()


@pytest.fixture
def laixi_staff(db):
    return f.staff_user("370285")


@pytest.fixture
def shinan_staff(db):
    return f.staff_user("370202")


@pytest.fixture
def laixi_lawyer(db):
    return f.lawyer("370285")


@pytest.fixture
def laixi_bureau(db):
    return f.staff_user("370285", role="bureau")
