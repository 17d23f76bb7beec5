"""Agenda drafting, decisions becoming tasks, holding, closing and the briefing."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wulian.core.models import Department
from wulian.investment import stats as investment_stats
from wulian.keywork import briefing, services
from wulian.keywork.models import Decision, Milestone, ProgressReport, Task
from wulian.service import stats as service_stats

from .factories import chain_series, city_series, days, make_task, meeting, work_item


def test_agenda_opens_with_follow_up_then_late_at_risk_escalated_and_outside_items(
    users, monkeypatch
):
    # given a held meeting whose decision became a task, and the state of work since
    past = meeting(on=days(-30), status="held", title="上次")
    decided = make_task(title="上次决定的任务", source_meeting=past)
    Decision.objects.create(meeting=past, text="抓紧落实用地", task=decided)
    Decision.objects.create(meeting=past, text="尚未布置的决定")
    make_task(title="逾期任务", deadline=days(-5))
    silent = make_task(title="久未报送", start_on=days(-90), deadline=days(200))
    escalated = make_task(title="需协调任务")
    ProgressReport.objects.create(
        task=escalated,
        reported_on=days(-2),
        progress_pct=40,
        summary="推进中",
        problems="缺用地指标",
        escalate=True,
    )
    monkeypatch.setattr(
        service_stats,
        "overdue_requests",
        lambda limit=20: [
            {
                "id": 7,
                "title": "用电报装",
                "enterprise": "甲公司",
                "department": "市发改委",
                "overdue_workdays": 4,
                "escalation_label": "市领导关注",
                "url": "/service/7/",
            }
        ],
    )
    monkeypatch.setattr(
        investment_stats,
        "stalled_projects",
        lambda limit=20, chain_code="": [
            {
                "id": 3,
                "name": "停滞项目甲",
                "stage_label": "签约",
                "days": 120,
                "region": "龙游县",
                "lead_department": "市商务局",
                "url": "/investment/projects/3/",
            }
        ],
    )
    upcoming = meeting(on=days(1), title="本次")
    # when its agenda is drafted
    items = services.draft_agenda(actor=users["leader"], meeting=upcoming)
    kinds = [i.kind for i in items]
    titles = [i.title for i in items]
    # then the follow-up of the last decisions comes first, in order, with the task's state
    assert kinds[:2] == ["follow_up", "follow_up"]
    assert titles[:2] == ["抓紧落实用地", "尚未布置的决定"]
    assert "市经信局" in items[0].detail and "尚未形成任务" in items[1].detail
    assert "逾期任务" in [i.title for i in items if i.kind == "late_task"]
    assert silent.title in [i.title for i in items if i.kind == "at_risk"]
    assert [i.title for i in items if i.kind == "escalated"] == ["需协调任务"]
    assert [i.ref for i in items if i.kind == "request"] == ["request:7"]
    assert [i.ref for i in items if i.kind == "project"] == ["project:3"]
    assert kinds == sorted(
        kinds, key=["follow_up", "late_task", "at_risk", "escalated", "request", "project"].index
    )


def test_agenda_lists_real_overdue_requests_and_the_series_chains_stalled_projects(users):
    # given an overdue request, and stalled projects on the 新材料 chain and on no chain
    from django.utils import timezone

    from wulian.chains.tests.helpers import build_chain
    from wulian.investment.tests.factories import ProjectFactory
    from wulian.service.models import ServiceRequest
    from wulian.service.tests.factories import ROUTED, file_request, setup_loop, walk

    setup_loop(users)
    late = walk(file_request(users, title="迟办诉求"), users, ROUTED)
    ServiceRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=9))
    _chain, links = build_chain("xcl", "新材料", [("a", "甲", "up")])
    long_ago = days(-400)
    ProjectFactory(name="链上停滞", stage="signed", stage_entered_on=long_ago, links=[links["a"]])
    ProjectFactory(name="链外停滞", stage="signed", stage_entered_on=long_ago)
    # when the 新材料 chain's weekly meeting has its agenda drafted
    upcoming = meeting(on=days(1), series=chain_series("xcl"))
    items = services.draft_agenda(actor=users["leader"], meeting=upcoming)
    # then
    requests = [i for i in items if i.kind == "request"]
    assert [i.ref for i in requests] == [f"request:{late.pk}"]
    assert "迟办诉求（演示企业）" == requests[0].title and "市经信局" in requests[0].detail
    assert [i.title for i in items if i.kind == "project"] == ["链上停滞"]


def test_agenda_redraft_replaces_the_draft_only_for_managers(users):
    upcoming = meeting(on=days(1))
    make_task(title="逾期任务", deadline=days(-5))
    services.draft_agenda(actor=users["leader"], meeting=upcoming)
    services.draft_agenda(actor=users["leader"], meeting=upcoming)
    assert upcoming.agenda.count() == 1
    with pytest.raises(PermissionDenied):
        services.draft_agenda(actor=users["econ"], meeting=upcoming)  # fgw organises
    chain = meeting(
        series=__import__(
            "wulian.keywork.tests.factories", fromlist=["chain_series"]
        ).chain_series(),
        on=days(1),
    )
    services.draft_agenda(actor=users["chief_xcl"], meeting=chain)


def test_decision_becomes_a_task_with_its_four_fixes(users):
    held = meeting(on=days(0))
    with pytest.raises(ValidationError):
        services.record_decision(actor=users["leader"], meeting=held, text="未召开不能记录")
    services.hold_meeting(actor=users["leader"], meeting=held, minutes="纪要")
    decision = services.record_decision(actor=users["leader"], meeting=held, text="推进用地")
    # missing 四定 are all named at once, in Chinese, and nothing is written
    with pytest.raises(ValidationError) as exc:
        services.decision_to_task(
            actor=users["leader"],
            decision=decision,
            work_item=work_item(),
            target_text="",
            lead_department=None,
            responsible_person="",
            deadline=None,
            done_standard="",
        )
    text = "；".join(exc.value.messages)
    for word in ("定目标", "定责任", "定时限", "定标准"):
        assert word in text
    assert Task.objects.count() == 0
    task = services.decision_to_task(
        actor=users["leader"],
        decision=decision,
        work_item=work_item(),
        target_text="两周内落实用地指标",
        lead_department=Department.objects.get(code="zrzy"),
        co_departments=[Department.objects.get(code="fgw")],
        responsible_person="李四",
        deadline=days(14),
        done_standard="指标落实到项目",
        cadence="weekly",
    )
    decision.refresh_from_db()
    assert decision.task_id == task.pk and task.source_meeting_id == held.pk
    assert task.title == "推进用地"
    assert list(task.co_departments.values_list("code", flat=True)) == ["fgw"]
    with pytest.raises(ValidationError):
        services.decision_to_task(
            actor=users["leader"],
            decision=decision,
            work_item=work_item(),
            target_text="x",
            lead_department=Department.objects.get(code="zrzy"),
            responsible_person="x",
            deadline=days(3),
            done_standard="x",
        )


def test_holding_twice_or_early_is_refused(users):
    future = meeting(on=days(3))
    with pytest.raises(ValidationError):
        services.hold_meeting(actor=users["leader"], meeting=future)
    today = meeting(on=days(0))
    services.hold_meeting(actor=users["leader"], meeting=today)
    with pytest.raises(ValidationError):
        services.hold_meeting(actor=users["leader"], meeting=today)
    assert today.events.count() == 1


def test_closing_is_checked_against_the_standard(users):
    task = make_task()
    Milestone.objects.create(task=task, name="方案", due_on=days(5))
    with pytest.raises(ValidationError) as exc:
        services.close_task(actor=users["econ"], task=task, standard_met=False, evidence="")
    text = "；".join(exc.value.messages)
    assert "验收通过" in text and "依据" in text and "方案" in text
    Milestone.objects.filter(task=task).update(done_on=days(0))
    with pytest.raises(PermissionDenied):
        services.close_task(actor=users["dispatcher"], task=task, standard_met=True, evidence="x")
    services.close_task(actor=users["econ"], task=task, standard_met=True, evidence="验收单已归档")
    task.refresh_from_db()
    assert task.status == "done" and task.events.get().to_status == "done"


def test_reports_only_from_lead_or_co_departments(users):
    task = make_task(co=["ysb"])
    services.submit_report(actor=users["dispatcher"], task=task, progress_pct=30, summary="配合")
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=users["chief_xcl"], task=task, progress_pct=30, summary="x")
    with pytest.raises(ValidationError) as exc:
        services.submit_report(
            actor=users["econ"], task=task, progress_pct=130, summary="", escalate=True
        )
    assert len(exc.value.messages) == 3


def test_briefing_docx_opens_with_the_expected_sections_and_a_chart(users):
    from docx import Document

    past = meeting(on=days(-30), status="held", title="上次")
    Decision.objects.create(meeting=past, text="上次的决定")
    make_task(title="逾期任务", deadline=days(-5))
    make_task(title="正常任务", dept="fgw")
    upcoming = meeting(on=days(1), title="十二月例会")
    services.draft_agenda(actor=users["leader"], meeting=upcoming)
    data = briefing.briefing_docx(upcoming, users["leader"])
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for section in briefing.SECTIONS:
        assert section in headings
    body = "\n".join(p.text for p in document.paragraphs)
    assert "十二月例会" in body and "上次的决定" in body and "逾期任务" in body
    assert "纳入调度任务2项：滞后1项" in body
    assert len(document.inline_shapes) == 1  # the chart
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["牵头部门", "滞后", "预警", "正常", "已办结"]


def test_briefing_is_a_gongwen_on_a4_with_a_chinese_file_name(client, users):
    import zipfile

    from docx import Document
    from docx.oxml.ns import qn

    upcoming = meeting(on=days(1), title="十二月例会")
    assert client.login(username="leader", password="wulian-demo")
    response = client.get(f"/keywork/meetings/{upcoming.pk}/briefing.docx")

    # the file is saved under its Chinese name (RFC 5987)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "%E4%BC%9A%E8%AE%AE%E6%9D%90%E6%96%99" in disposition  # 会议材料

    # A4 with GB/T 9704 margins, 仿宋_GB2312 body on a 28 pt line, 方正小标宋 title
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == 28
    title = document.paragraphs[0]
    assert title.text == "十二月例会 会议材料"
    assert title.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    # where those fonts are missing, Word is told what to use instead
    fonts = zipfile.ZipFile(io.BytesIO(response.content)).read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts


def test_task_list_xlsx(client, users):
    make_task(title="导出任务")
    assert client.login(username="leader", password="wulian-demo")
    response = client.get("/keywork/tasks.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B1"].value == "任务" and sheet["B2"].value == "导出任务"


def test_series_helper(users):
    assert city_series().organiser.code == "fgw"


def test_topics_added_by_hand_survive_a_redraft(users):
    upcoming = meeting(on=days(1))
    services.add_agenda_item(actor=users["leader"], meeting=upcoming, title="专题：用电保障")
    make_task(title="逾期任务", deadline=days(-5))
    items = services.draft_agenda(actor=users["leader"], meeting=upcoming)
    assert [i.title for i in items] == ["逾期任务", "专题：用电保障"]
    with pytest.raises(PermissionDenied):
        services.add_agenda_item(actor=users["econ"], meeting=upcoming, title="x")
