"""In a real browser: move a project on the board with its button, then hold a meeting and
turn one of its decisions into a task with its 四定."""

import pytest

from conftest import browser_login, confirm_dialog, submit_form
from wulian.investment.tests.factories import ProjectFactory
from wulian.keywork.models import Decision, Task

from .factories import days, meeting, work_item

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_board_then_meeting_decision_to_task(page, live_server, base_config):
    project = ProjectFactory(name="浏览器测试项目", stage="lead")
    work_item()
    sitting = meeting(on=days(0), title="浏览器测试例会")
    browser_login(page, live_server, "leader")

    # the board: press the card's button, the card moves to 洽谈
    page.goto(f"{live_server.url}/investment/")
    page.click(f"[data-testid=advance-{project.pk}]")
    confirm_dialog(page, "从“线索”推进至“洽谈”")
    page.locator("[data-testid=column-negotiating]").get_by_text("浏览器测试项目").wait_for()
    project.refresh_from_db()
    assert project.stage == "negotiating"

    # the meeting: hold it, record a decision, turn it into a task; each step waits for the
    # page its form leads to (and says which message was there instead)
    page.goto(f"{live_server.url}/keywork/meetings/{sitting.pk}/")
    submit_form(page, "[data-testid=hold]", "会议已召开", confirm="标记为已召开")
    assert page.locator("[data-testid=meeting-status]").inner_text() == "已召开"
    page.fill("#decision-form textarea", "限期解决项目用地指标")
    submit_form(page, "#decision-form button[type=submit]", "决定事项已记录")
    decision = Decision.objects.get(meeting=sitting)
    prefix = f"#id_d{decision.pk}-"
    page.click(f"[data-testid=to-task-{decision.pk}]")
    page.select_option(prefix + "work_item", label="“五链”融合")
    page.fill(prefix + "target_text", "两周内落实用地指标")
    page.select_option(prefix + "lead_department", label="市自然资源和规划局")
    page.fill(prefix + "responsible_person", "李四")
    page.fill(prefix + "deadline", str(days(14)))
    page.fill(prefix + "done_standard", "指标落实到项目并完成供地")
    submit_form(
        page, f"[data-testid=task-form-{decision.pk}] button[type=submit]", "决定事项已形成任务"
    )
    page.locator("[data-testid=decision-task-link]").wait_for()
    task = Task.objects.get(source_meeting=sitting)
    assert task.lead_department.code == "zrzy" and task.responsible_person == "李四"
    assert task.title == "限期解决项目用地指标"
