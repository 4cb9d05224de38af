"""Routing (Legal Aid Law article 38): litigation to the centre where the court or body sits,
non-litigation to where the dispute-handling body sits or the matter arose."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from legal_aid.selectors import route
from portal.catalogue.models import Region

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body_code", "centre_code"),
    [
        ("C370200", "LA370200"),  # intermediate court: the city centre
        ("CMAR370200", "LA370200"),  # maritime court: the city centre
        ("C370285", "LA370285"),  # Laixi court: the Laixi centre
        ("C370202", "LA370202"),
        ("C370211", "LA370211"),
        ("C370283", "LA370283"),
    ],
)
def test_litigation_goes_to_the_centre_where_the_court_sits(body_code, centre_code):
    assert route("litigation", body=f.body(body_code)).centre.code == centre_code


def test_every_basic_court_has_its_district_centre():
    from legal_aid.models import Body

    for court in Body.objects.filter(kind="basic_court").select_related("region"):
        routing = route("litigation", body=court)
        assert routing.centre.region_id == court.region_id
        assert routing.centre.kind == "centre"


def test_the_reason_names_the_court_the_rule_and_the_centre_in_both_languages():
    routing = route("litigation", body=f.body("C370285"))
    assert "莱西市人民法院" in routing.reason_zh
    assert "莱西市法律援助中心" in routing.reason_zh
    assert "第三十八条" in routing.reason_zh
    assert "Laixi People's Court" in routing.reason_en
    assert "article 38" in routing.reason_en
    with translation.override("en"):
        assert route("litigation", body=f.body("C370285")).reason == routing.reason_en


def test_non_litigation_goes_to_the_dispute_handling_body():
    routing = route("non_litigation", body=f.body("LAB370214"))
    assert routing.centre.code == "LA370214"
    assert "城阳区劳动人事争议仲裁委员会" in routing.reason_zh


def test_non_litigation_without_a_body_goes_where_the_matter_arose():
    routing = route("non_litigation", place=Region.objects.get(code="370281"))
    assert routing.centre.code == "LA370281"
    assert "胶州市" in routing.reason_zh


def test_a_city_level_arbitration_commission_goes_to_the_city_centre():
    assert route("non_litigation", body=f.body("ARB370200")).centre.code == "LA370200"


def test_a_body_beats_the_place_where_the_matter_arose():
    routing = route(
        "non_litigation", body=f.body("MED370213"), place=Region.objects.get(code="370285")
    )
    assert routing.centre.code == "LA370213"


def test_litigation_without_a_court_is_refused():
    with pytest.raises(ValidationError):
        route("litigation", place=Region.objects.get(code="370202"))


def test_neither_body_nor_place_is_refused():
    with pytest.raises(ValidationError):
        route("non_litigation")


def test_a_place_outside_qingdao_is_refused_with_advice():
    with pytest.raises(ValidationError) as error:
        route("non_litigation", place=Region.objects.get(code="370600"))
    assert "12348" in str(error.value)


def test_where_the_applicant_lives_does_not_matter(citizen):
    app = f.submit(citizen, residence=Region.objects.get(code="370202"))
    assert app.competent_centre.code == "LA370285"


def test_handing_in_at_another_centre_forwards_it_and_logs_it(citizen):
    app = f.submit(citizen, accepting_centre=f.centre("370202"))
    assert app.state == "forwarded"
    assert app.competent_centre.code == "LA370285"
    assert list(f.log(app).values_list("step", flat=True)) == ["submit", "forward"]


def test_handing_in_at_the_competent_centre_does_not_forward(citizen):
    app = f.submit(citizen, accepting_centre=f.centre("370285"))
    assert app.state == "submitted"


@pytest.mark.parametrize(
    ("matter_type", "body", "place"),
    [
        ("litigation", "C370285", None),
        ("litigation", "C370200", None),
        ("non_litigation", "LAB370214", None),
        ("non_litigation", None, "370281"),
    ],
)
def test_the_english_reason_is_english_throughout(matter_type, body, place):
    """Every rule's reason names the body, its region or the place and the centre in English."""
    import re

    routing = route(
        matter_type,
        body=f.body(body) if body else None,
        place=Region.objects.get(code=place) if place else None,
    )
    assert routing.centre.name_en in routing.reason_en
    assert "article 38" in routing.reason_en
    assert not re.search(r"[\u4e00-\u9fff]", routing.reason_en), routing.reason_en
    assert ", so the competent centre" in routing.reason_en
