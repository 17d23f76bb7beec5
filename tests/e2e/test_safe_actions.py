"""Weighty steps ask first, naming what will happen; 取消 does nothing; a double click does a
step once; a stage change can be taken back with 回退."""

import re

import pytest
from playwright.sync_api import expect

from conftest import browser_login, confirm_dialog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_board_advance_asks_and_a_double_click_moves_once(page, live_server, base_config):
    from wulian.investment.models import Project, ProjectEvent
    from wulian.investment.tests.factories import ProjectFactory

    project = ProjectFactory(name="百亿级氟材料项目", stage="lead", planned_wan=1230000)
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/investment/")

    # 取消 leaves the project where it was
    page.click(f"[data-testid=advance-{project.pk}]")
    dialog = page.locator("[data-testid=confirm-dialog]")
    expect(dialog).to_contain_text("将把项目“百亿级氟材料项目”从“线索”推进至“洽谈”")
    dialog.locator("[data-testid=confirm-cancel]").click()
    expect(dialog).to_be_hidden()
    assert Project.objects.get(pk=project.pk).stage == "lead"

    # confirmed, it moves one stage
    page.click(f"[data-testid=advance-{project.pk}]")
    confirm_dialog(page)
    expect(page.locator("[data-testid=column-negotiating]")).to_contain_text("百亿级氟材料项目")
    assert Project.objects.get(pk=project.pk).stage == "negotiating"

    # on its page, a double click on a confirmed 推进 sends one request: one stage, not two
    page.goto(f"{live_server.url}/investment/projects/{project.pk}/")
    page.fill("#revert-reason", "投资方要求重新洽谈用地条件")
    page.click("#revert-form button[type=submit]")
    confirm_dialog(page, "从“洽谈”回退至“线索”")
    expect(page.locator(".alert-success")).to_contain_text("已回退至“线索”")
    expect(page.locator("[data-testid=revert-event]")).to_contain_text(
        "回退：投资方要求重新洽谈用地条件"
    )
    page.click("[data-testid=advance]")
    page.locator("[data-testid=confirm-ok]").dblclick()
    expect(page.locator(".alert-success")).to_contain_text("已推进至“洽谈”")
    assert Project.objects.get(pk=project.pk).stage == "negotiating"
    assert ProjectEvent.objects.filter(project=project, to_stage="negotiating").count() == 2


def test_removing_an_enterprise_from_a_link_asks_first(page, live_server, base_config):
    from wulian.chains.models import EnterpriseLink
    from wulian.chains.tests.helpers import SMALL, build_chain

    _chain, links = build_chain(
        "xcl",
        "新材料",
        SMALL["links"],
        SMALL["edges"],
        firms=[("acid", 50000, "main", "330825", {"name": "龙游氟酸科技有限公司"})],
    )
    placed = EnterpriseLink.objects.get(link=links["acid"])
    browser_login(page, live_server, "chief_xcl")
    page.goto(f"{live_server.url}/chains/xcl/")
    page.locator("[data-testid=link-table]").get_by_text("酸", exact=True).click()
    page.click(f"[data-testid=unplace-{placed.pk}]")
    dialog = page.locator("[data-testid=confirm-dialog]")
    expect(dialog).to_contain_text("将把“龙游氟酸科技有限公司”移出环节“酸”")
    dialog.locator("[data-testid=confirm-cancel]").click()
    expect(dialog).to_be_hidden()
    assert EnterpriseLink.objects.filter(pk=placed.pk).exists()

    page.click(f"[data-testid=unplace-{placed.pk}]")
    confirm_dialog(page)
    expect(page.locator("[data-testid=link-enterprises]")).not_to_contain_text("龙游氟酸科技")
    assert not EnterpriseLink.objects.filter(pk=placed.pk).exists()


def test_an_over_long_title_is_refused_not_cut_and_a_big_file_not_sent(page, live_server, users):
    from wulian.service.models import ServiceRequest
    from wulian.service.tests.factories import setup_loop

    setup_loop(users)
    browser_login(page, live_server, "ent_demo")
    page.goto(f"{live_server.url}/service/mine/")

    # a pasted title of 120 characters stays whole, the counter turns red, nothing is sent
    title = "关于" + "厂区道路积水" * 19 + "的诉求。"
    assert len(title) == 120
    page.select_option("#id_category", "policy")
    page.fill("#id_title", title)
    page.fill("#id_description", "请协调。")
    assert page.input_value("#id_title") == title
    counter = page.locator("#id_title ~ [data-testid=counter]")
    expect(counter).to_have_text("120 / 100")
    expect(counter).to_have_class(re.compile("text-danger"))
    page.click("#file-form button[type=submit]")
    page.wait_for_timeout(300)
    assert page.url.endswith("/service/mine/")
    assert not ServiceRequest.objects.exists()

    # a photo over the limit is refused in the browser before the form is sent
    limit = int(page.get_attribute("#id_photos", "data-max-bytes"))
    big = {"name": "大图.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" + b"0" * limit}
    page.set_input_files("#id_photos", files=[big])
    expect(page.locator("[data-testid=file-error]")).to_contain_text("文件过大：大图.jpg")
    assert page.evaluate("document.querySelector('#id_photos').files.length") == 0


def test_a_download_shows_progress_and_keeps_its_chinese_name(page, live_server, base_config):
    from wulian.keywork.tests.factories import days, meeting

    sitting = meeting(on=days(1), title="十二月例会")
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/keywork/meetings/{sitting.pk}/")
    link = page.locator("[data-testid=briefing]")
    # the response is held back a little so the waiting state can be seen
    page.route(
        "**/briefing.docx",
        lambda route: (page.wait_for_timeout(1500), route.continue_()),
    )
    with page.expect_download() as download:
        link.click()
        expect(link).to_contain_text("正在生成")
        expect(link).to_have_attribute("aria-busy", "true")
    assert download.value.suggested_filename == f"十二月例会-会议材料-{days(1):%Y%m%d}.docx"
    expect(link).to_have_text("下载会议材料（Word）")


def test_deactivating_an_account_and_deleting_a_robot_ask_first(page, live_server, users):
    from wulian.notifications.models import Robot

    robot = Robot.objects.create(name="经信局工作群", url="https://example.invalid/robot/send")
    account = users["econ"]
    browser_login(page, live_server, "admin")
    dialog = page.locator("[data-testid=confirm-dialog]")

    # 停用账号 names the account; 取消 leaves it active
    page.goto(f"{live_server.url}/accounts/users/{account.pk}/")
    page.click("[data-testid=deactivate]")
    expect(dialog).to_contain_text(f"将停用账号“{account}”")
    dialog.locator("[data-testid=confirm-cancel]").click()
    expect(dialog).to_be_hidden()
    account.refresh_from_db()
    assert account.is_active

    # 删除 of a group robot names the robot; confirmed, it goes
    page.goto(f"{live_server.url}/notifications/channels/")
    page.locator("[data-testid=robots]").get_by_role("button", name="删除").click()
    expect(dialog).to_contain_text("将删除群机器人“经信局工作群”")
    dialog.locator("[data-testid=confirm-cancel]").click()
    assert Robot.objects.filter(pk=robot.pk).exists()
    page.locator("[data-testid=robots]").get_by_role("button", name="删除").click()
    confirm_dialog(page)
    expect(page.locator("[data-testid=robots]")).not_to_contain_text("经信局工作群")
    assert not Robot.objects.filter(pk=robot.pk).exists()


@pytest.mark.parametrize("button", ["confirm-cancel", "confirm-ok"])
def test_a_click_while_the_dialog_still_fades_in_is_not_lost(
    page, live_server, base_config, button
):
    # Bootstrap ignores hide() during the show transition: the click is carried out once the
    # dialog is shown, so it never stays up; 取消 runs nothing, 确定 runs the step once.
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/investment/")
    page.evaluate(
        """(button) => {
            window.ran = 0;
            wlConfirm("测试", function () { window.ran += 1; });
            document.querySelector(`[data-testid=${button}]`).click();
        }""",
        button,
    )
    page.wait_for_timeout(1000)  # past the fade-in, which alone would hide it at first
    expect(page.locator("[data-testid=confirm-dialog]")).to_be_hidden()
    assert page.evaluate("window.ran") == (1 if button == "confirm-ok" else 0)
