"""The kernel itself, on a toy table over an existing model (the rating follow-up's status):
row lock and state check, who, condition, inputs, effect, the shared log, notices and the signal
after commit, the refusal types and their one API mapping, the badge and the diagram."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from rest_framework.test import APIRequestFactory

from portal import workflow
from portal.accounts.models import Role
from portal.api.exceptions import problem_exception_handler
from portal.ratings import services as ratings
from portal.ratings.models import FollowUp
from portal.workflow.diagrams import render
from portal.workflow.models import WorkflowLog
from portal.workflow.templatetags.workflow import state_badge
from tests.factories import ServiceItemFactory, UserFactory

pytestmark = pytest.mark.django_db

SEEN_NOTICES: list[tuple[int, str]] = []


def _staff(user, obj) -> bool:
    return bool(user and user.role == Role.DEPARTMENT_STAFF)


def _needs_note(obj, ctx) -> None:
    if not ctx.note:
        raise ctx.invalid("note", "Say why.")
    obj.resolution_note = ctx.note
    ctx.log_data["len"] = len(ctx.note)


TOY = workflow.Workflow(
    name="toy",
    model="ratings.FollowUp",
    states=(
        workflow.State("open", "Open"),
        workflow.State("resolved", "Resolved", tone="ok", final=True),
    ),
    steps=(
        workflow.Step(
            "resolve",
            ("open",),
            "resolved",
            who=_staff,
            label="Resolve",
            condition=lambda obj, data: None if data.get("ok", True) else "Not ok.",
            inputs=("ok",),
            effect=_needs_note,
            notice=lambda obj, log: SEEN_NOTICES.append((obj.pk, log.step)),
        ),
        workflow.Step("reopen", ("resolved",), "open", who=_staff, label="Reopen"),
    ),
    role_of=lambda user, obj: "staff" if user else "system",
    subject=lambda obj: f"Follow-up {obj.pk}",
)


@pytest.fixture
def follow_up() -> FollowUp:
    item = ServiceItemFactory()
    rating = ratings.rate(subject=item, user=UserFactory(), score=1, department=item.department)
    return rating.follow_up


@pytest.fixture
def staff(follow_up):
    return UserFactory(role=Role.DEPARTMENT_STAFF, department=follow_up.department)


def test_run_takes_the_step_logs_it_and_notifies_after_commit(
    follow_up, staff, django_capture_on_commit_callbacks
):
    SEEN_NOTICES.clear()
    received = []

    def listener(sender, **kw):
        received.append((sender, kw["step"]))

    workflow.step_done.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            done = workflow.run(TOY, follow_up.pk, "resolve", user=staff, note="called back")
            assert SEEN_NOTICES == []  # not before commit
    finally:
        workflow.step_done.disconnect(listener)
    assert len(callbacks) == 1
    assert done.status == "resolved" and done.resolution_note == "called back"
    follow_up.refresh_from_db()
    assert follow_up.status == "resolved"
    log = WorkflowLog.objects.get()
    assert (log.workflow, log.step, log.source, log.target, log.by, log.by_role, log.note) == (
        "toy",
        "resolve",
        "open",
        "resolved",
        staff,
        "staff",
        "called back",
    )
    assert log.content_type == ContentType.objects.get_for_model(FollowUp)
    assert log.object_id == follow_up.pk and log.record == follow_up
    assert log.data == {"len": 11}
    assert SEEN_NOTICES[:] == [(follow_up.pk, "resolve")]
    assert received == [(FollowUp, "resolve")]


def test_refusals_change_nothing(follow_up, staff):
    outsider = UserFactory(role=Role.CITIZEN)
    with pytest.raises(workflow.NotAllowed) as exc:
        workflow.run(TOY, follow_up, "resolve", user=outsider, note="x")
    assert exc.value.code == "forbidden" and exc.value.status == 403
    assert "Follow-up" in exc.value.message
    with pytest.raises(workflow.NotNow) as exc:
        workflow.run(TOY, follow_up, "reopen", user=staff)
    assert exc.value.code == "not_allowed_now" and exc.value.step == "reopen"
    with pytest.raises(workflow.NotNow) as exc:
        workflow.run(TOY, follow_up, "resolve", user=staff, note="x", ok=False)
    assert (exc.value.code, exc.value.message) == ("condition", "Not ok.")
    with pytest.raises(workflow.Invalid) as exc:
        workflow.run(TOY, follow_up, "resolve", user=staff)
    assert exc.value.errors == {"note": ["Say why."]}
    with pytest.raises(workflow.NotFound):
        workflow.run(TOY, follow_up, "fly", user=staff)
    with pytest.raises(workflow.NotFound):
        workflow.run(TOY, 10**9, "resolve", user=staff)
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    assert not WorkflowLog.objects.exists()


def test_inputs_not_declared_are_ignored_and_available_steps_follow_the_table(follow_up, staff):
    assert [s.name for s in workflow.available_steps(TOY, follow_up, staff)] == ["resolve"]
    assert workflow.available_steps(TOY, follow_up, None) == []
    workflow.run(TOY, follow_up, "resolve", user=staff, note="n", surprise="ignored")
    assert "surprise" not in WorkflowLog.objects.get().data


@pytest.mark.parametrize(
    ("refusal", "status", "code"),
    [
        (workflow.NotAllowed("no", step="s"), 403, "forbidden"),
        (workflow.NotFound("gone"), 404, "not_found"),
        (workflow.Invalid("bad", {"reasons": ["bad"]}), 400, None),
        (workflow.NotNow("moved on"), 409, "not_allowed_now"),
        (
            workflow.NotNow("missing", "materials_missing", extra={"missing_materials": ["A"]}),
            409,
            "materials_missing",
        ),
    ],
)
def test_the_api_maps_every_refusal_once_to_a_problem(refusal, status, code):
    request = APIRequestFactory().post("/")
    response = problem_exception_handler(refusal, {"request": request, "view": None})
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert response.data["status"] == status
    if code:
        assert response.data["code"] == code
        assert response.data["detail"] == refusal.message
    else:
        assert response.data["errors"] == {"reasons": ["bad"]}
    for key, value in refusal.extra.items():
        assert response.data[key] == value


def test_status_badge_and_diagram_come_from_the_table(follow_up, monkeypatch):
    monkeypatch.setitem(workflow.registry._WORKFLOWS, "toy", TOY)
    monkeypatch.delitem(workflow.registry._WORKFLOWS, "follow_up", raising=False)
    with translation.override("en"):
        assert state_badge(follow_up) == '<span class="badge badge-warn">Open</span>'
        text = render(TOY)
    assert "stateDiagram-v2" in text
    assert "    open --> resolved: resolve" in text
    assert "    resolved --> [*]" in text


def test_a_table_naming_an_undeclared_state_is_refused():
    with pytest.raises(ValueError, match="names 'lost'"):
        workflow.Workflow(
            name="bad",
            model="ratings.FollowUp",
            states=(workflow.State("open", "Open"),),
            steps=(workflow.Step("x", ("open",), "lost", who=_staff, label="X"),),
        )


def test_the_portals_own_note_is_logged_in_each_language_and_read_in_the_readers(follow_up, staff):
    from django.utils.translation import gettext

    from portal.languages import in_each_language

    with translation.override("en"):  # the staff member's page is in English
        note = in_each_language(lambda: gettext("Closed on delivery."))
        workflow.run(TOY, follow_up.pk, "resolve", user=staff, note=note)
    log = WorkflowLog.objects.get()
    assert log.note == "送达后办结。"  # the record's text: the portal's language
    assert log.note_translations == {"en": "Closed on delivery."}
    with translation.override("en"):
        assert log.note_text == "Closed on delivery."
    with translation.override("zh-hans"):
        assert log.note_text == "送达后办结。"

    workflow.run(TOY, follow_up.pk, "reopen", user=staff, note="客户来电")  # typed: as typed
    typed = WorkflowLog.objects.get(step="reopen")
    assert typed.note_translations == {}
    with translation.override("en"):
        assert typed.note_text == "客户来电"

    workflow.write_log_bulk(
        TOY, FollowUp, [follow_up.pk], "reopen", source="resolved", target="open", note=note
    )
    [bulk] = WorkflowLog.objects.filter(step="reopen", by_role="system")
    assert (bulk.note, bulk.note_translations) == (log.note, log.note_translations)
