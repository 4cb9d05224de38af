"""The public eligibility check and the exemptions (articles 32 and 42): no account needed."""

import pytest
from django.urls import reverse

from legal_aid import services
from legal_aid.models import HARDSHIP_CHECK_WAIVED, NO_HARDSHIP_CONDITION, Exemption

from . import factories as f

pytestmark = pytest.mark.django_db


def _check(client, **params):
    base = {"matter_type": "litigation", "category": "labour", "body": "C370285"}
    return client.get(reverse("legal_aid:check"), {**base, **params})


@pytest.mark.parametrize(
    "exemption",
    ["hero_relative", "brave_act", "retrial_acquitted", "abuse_victim"],
)
def test_article_32_cases_need_no_hardship(exemption):
    result = services.eligibility(
        matter_type="litigation",
        category="other",
        exemption=exemption,
        hardship="no",
        body=f.body("C370202"),
        place=None,
    )
    assert result["eligible"] is True
    assert result["basis"] == "no_condition"


@pytest.mark.parametrize(
    "exemption", ["no_income_group", "assistance_recipient", "migrant_worker_wages"]
)
def test_article_42_groups_are_not_checked(exemption):
    result = services.eligibility(
        matter_type="litigation",
        category="labour",
        exemption=exemption,
        hardship="",
        body=f.body("C370202"),
        place=None,
    )
    assert result["eligible"] is True
    assert result["basis"] == "check_waived"


def test_the_exemption_lists_cover_every_choice():
    assert set(NO_HARDSHIP_CONDITION) | set(HARDSHIP_CHECK_WAIVED) == {
        e for e in Exemption.values if e
    }


def test_without_exemption_hardship_decides():
    yes = services.eligibility(
        matter_type="litigation",
        category="labour",
        exemption="",
        hardship="yes",
        body=f.body("C370202"),
        place=None,
    )
    no = services.eligibility(
        matter_type="litigation",
        category="labour",
        exemption="",
        hardship="no",
        body=f.body("C370202"),
        place=None,
    )
    assert yes["eligible"] and yes["basis"] == "statement"
    assert not no["eligible"]


def test_the_page_says_whether_and_where_without_an_account(client):
    response = _check(client, exemption="migrant_worker_wages")
    page = response.content.decode()
    assert response.status_code == 200
    assert "莱西市法律援助中心" in page
    assert "莱西市人民法院" in page  # the reason
    assert 'href="/legal-aid/apply/"' in page


def test_the_page_says_probably_not_plainly(client):
    page = _check(client, hardship="no").content.decode()
    assert "Probably not" in page or "可能不符合" in page


def test_a_litigation_matter_without_a_court_gets_a_field_error(client):
    response = _check(client, body="", hardship="yes")
    assert response.context["form"].errors["body"]


def test_the_check_flags_urgency_from_the_limitation_date(client):
    response = _check(client, hardship="yes", limitation_ends=str(f.days_ago(-3)))
    assert response.context["result"]["urgent"] is True
