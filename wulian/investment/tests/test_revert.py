"""回退: a stage change taken back one step with a reason (audited, on the timeline), within the
pipeline's rules; and a repeated 推进 (a double click) that never moves a project twice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wulian.core.models import AuditEvent
from wulian.investment import services
from wulian.investment.models import Project, ProjectEvent

from .factories import ProjectFactory, days_ago


@pytest.fixture
def negotiating(base_config):
    """A project moved 线索 → 洽谈 ten days ago, having become a lead forty days ago."""
    project = ProjectFactory(stage="negotiating", stage_entered_on=days_ago(10))
    ProjectEvent.objects.create(project=project, from_stage="", to_stage="lead", on=days_ago(40))
    ProjectEvent.objects.create(
        project=project, from_stage="lead", to_stage="negotiating", on=days_ago(10)
    )
    return project


def test_revert_moves_back_one_stage_with_the_reason_on_the_timeline(users, negotiating):
    # when the leader takes the move to 洽谈 back
    services.revert_project(
        actor=users["leader"], project=negotiating, reason="投资方撤回意向，重新接触"
    )

    # then the project is a lead again, dated from when it first became one (stalling shows)
    negotiating.refresh_from_db()
    assert negotiating.stage == "lead"
    assert negotiating.stage_entered_on == days_ago(40)
    event = negotiating.events.order_by("-id").first()
    assert (event.from_stage, event.to_stage, event.is_revert) == ("negotiating", "lead", True)
    assert event.note == "回退：投资方撤回意向，重新接触"
    audit = AuditEvent.objects.get(model="investment.project", action="transition")
    assert audit.note == "回退 洽谈→线索：投资方撤回意向，重新接触"
    assert audit.before["stage"] == "negotiating" and audit.after["stage"] == "lead"


def test_revert_needs_a_reason_and_stays_within_the_pipeline(users, negotiating):
    with pytest.raises(ValidationError) as exc:
        services.revert_project(actor=users["leader"], project=negotiating, reason="  ")
    assert "回退须填写原因" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.revert_project(actor=users["leader"], project=negotiating, reason="长" * 201)
    assert "不能超过 200 字" in exc.value.messages[0]

    for stage, message in [
        ("lead", "第一个阶段"),
        ("producing", "已投产并移交企业库"),
        ("lost", "重新激活为线索"),
    ]:
        project = ProjectFactory(stage=stage)
        with pytest.raises(ValidationError) as exc:
            services.revert_project(actor=users["leader"], project=project, reason="误操作")
        assert message in exc.value.messages[0]
        project.refresh_from_db()
        assert project.stage == stage
    negotiating.refresh_from_db()
    assert negotiating.stage == "negotiating"
    assert not AuditEvent.objects.exists()


def test_revert_is_refused_to_those_who_may_not_move_the_project(users, negotiating):
    with pytest.raises(PermissionDenied):
        services.revert_project(actor=users["ent_demo"], project=negotiating, reason="误操作")
    assert Project.objects.get(pk=negotiating.pk).stage == "negotiating"


def test_a_repeated_advance_or_revert_does_nothing_twice(users, negotiating):
    # the board's button was shown for 洽谈; pressing it twice sends two requests
    services.revert_project(
        actor=users["leader"], project=negotiating, reason="重新洽谈", expected_stage="negotiating"
    )
    with pytest.raises(ValidationError) as exc:
        services.revert_project(
            actor=users["leader"],
            project=negotiating,
            reason="重新洽谈",
            expected_stage="negotiating",
        )
    assert "未重复操作" in exc.value.messages[0]

    lead = Project.objects.get(pk=negotiating.pk)
    services.advance_project(actor=users["leader"], project=lead, expected_stage="lead")
    with pytest.raises(ValidationError) as exc:
        services.advance_project(actor=users["leader"], project=lead, expected_stage="lead")
    assert "未重复操作" in exc.value.messages[0]
    assert Project.objects.get(pk=negotiating.pk).stage == "negotiating"
    assert negotiating.events.count() == 4  # lead, negotiating, the 回退, the new 推进


def test_api_revert_and_page(api_client, client, users, negotiating):
    # the API takes it back with a reason
    api_client.force_authenticate(users["leader"])
    url = f"/api/v1/projects/{negotiating.pk}/revert/"
    response = api_client.post(url, {"reason": ""}, format="json")
    assert response.status_code == 400
    response = api_client.post(url, {"reason": "协议条款需重谈", "from_stage": "negotiating"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stage"] == "lead"
    assert body["events"][-1]["is_revert"] is True
    assert body["events"][-1]["note"] == "回退：协议条款需重谈"
    # a repeat of the same request moves nothing
    again = api_client.post(url, {"reason": "协议条款需重谈", "from_stage": "negotiating"})
    assert again.status_code == 400
    assert Project.objects.get(pk=negotiating.pk).stage == "lead"

    # the page shows the 回退 on the timeline and offers the next one where allowed
    client.force_login(users["leader"])
    services.advance_project(actor=users["leader"], project=negotiating, expected_stage="lead")
    page = client.get(f"/investment/projects/{negotiating.pk}/").content.decode()
    assert 'data-testid="revert-event"' in page and "回退：协议条款需重谈" in page
    assert 'data-testid="revert-card"' in page and "回退至“线索”" in page
    assert "将把项目" in page  # the advance and the 回退 ask first

    response = client.post(
        f"/investment/projects/{negotiating.pk}/revert/",
        {"reason": "再次回退", "from_stage": "negotiating"},
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=negotiating.pk).stage == "lead"
    page = client.get(f"/investment/projects/{negotiating.pk}/").content.decode()
    assert 'data-testid="revert-card"' not in page  # 线索 has nothing to go back to


def test_an_over_long_name_is_refused_not_cut(users):
    from wulian.keywork.services import _text

    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=users["leader"], name="项" * 201, region="330825")
    assert "不能超过 200 字" in exc.value.messages[0]
    assert not Project.objects.exists()
    with pytest.raises(ValidationError):
        _text("任" * 201, 200)
    assert _text("  任务  ", 200) == "任务"
