"""The case's words (issue 14 point 10): the decision document is titled by the item's kind (a
public-service item gets no "许可决定书"), the timeline never reads "已提交 → 已提交", and the
message after a step says what it did without repeating itself, in Chinese and English."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from approvals import services
from portal.catalogue.models import ItemKind

from .test_query_counts import make_cases

pytestmark = pytest.mark.django_db


def _decided(world, kind: str):
    world.item.kind = kind
    world.item.save(update_fields=["kind"])
    case = make_cases(world, 1)[0]
    for action in ("accept", "forward"):
        services.transition(case.pk, action, user=world.laoshan_staff)
    for action in ("receive", "approve"):
        services.transition(case.pk, action, user=world.dept_staff)
    return case


def _pdf_text(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize(
    ("kind", "title", "link", "not_said"),
    [
        (ItemKind.LICENCE, "准予行政许可决定书", "许可决定书（PDF）", "准予办理通知书"),
        (ItemKind.PUBLIC_SERVICE, "准予办理通知书", "办理结果通知书（PDF）", "许可决定书"),
    ],
)
def test_the_decision_is_titled_by_the_items_kind(world, client, kind, title, link, not_said):
    case = _decided(world, kind)
    client.force_login(world.citizen)
    page = client.get(case.get_absolute_url()).content.decode()
    assert link in page
    text = _pdf_text(client.get(reverse("approvals:decision", args=[case.reference])))
    assert title in text.replace(" ", "")
    assert not_said not in text.replace(" ", "")


def test_the_public_service_notice_in_english_names_no_licence(world, client):
    case = _decided(world, ItemKind.PUBLIC_SERVICE)
    client.force_login(world.citizen)
    page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Notice of the outcome (PDF)" in page and "Decision (PDF)" not in page


@pytest.mark.parametrize(
    ("language", "submitted", "approve"),
    [("zh-hans", "已提交", "准予许可"), ("en", "Submitted", "Approve")],
)
def test_the_timeline_never_shows_a_step_leading_to_itself(
    world, client, language, submitted, approve
):
    case = _decided(world, ItemKind.LICENCE)
    client.force_login(world.citizen)
    html = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert f"<strong>{submitted}</strong>" in timeline  # the step's label alone
    assert f"{submitted}</strong> →" not in timeline
    assert "</strong> →" in timeline  # real changes still read as changes


@pytest.mark.parametrize(
    ("language", "received", "approved"),
    [
        ("zh-hans", "已完成：接收并开始审查。办件当前状态为“审查中”。", "已完成：准予许可。<"),
        (
            "en",
            "Done: Receive and start review. The case is now “Under review”.",
            "Done: Approve. The case is now “Approved”.",
        ),
    ],
)
def test_the_message_after_a_step_says_it_once(world, client, language, received, approved):
    case = make_cases(world, 1)[0]
    services.transition(case.pk, "accept", user=world.laoshan_staff)
    services.transition(case.pk, "forward", user=world.laoshan_staff)
    client.force_login(world.dept_staff)
    client.cookies["django_language"] = language
    for action, expected in (("receive", received), ("approve", approved)):
        response = client.post(
            reverse("approvals:case_action", args=[case.reference, action]), follow=True
        )
        assert expected in response.content.decode()


def test_english_case_pages_name_item_department_and_districts_in_english(world, client):
    world.item.name_en = "Food business licence"
    world.item.save(update_fields=["name_en"])
    case = _decided(world, ItemKind.LICENCE)
    client.force_login(world.citizen)
    page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    summary = page[page.index('id="summary-heading"') : page.index("</dl>")]
    assert "Food business licence" in page
    # the districts in English (the test hall has no English name: its Chinese one stays)
    assert "(Laoshan District)" in summary and "(Shinan District)" in summary
    assert "(崂山区)" not in summary and "(市南区)" not in summary


@pytest.mark.parametrize(
    ("language", "name"), [("zh-hans", "食品经营许可"), ("en", "Food business licence")]
)
def test_the_worklist_names_the_item_in_the_pages_language(world, client, language, name):
    world.item.name_en = "Food business licence"
    world.item.save(update_fields=["name_en"])
    make_cases(world, 1)
    client.force_login(world.laoshan_staff)
    page = client.get(
        reverse("approvals:staff_cases"), {"scope": "point"}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert name in table
