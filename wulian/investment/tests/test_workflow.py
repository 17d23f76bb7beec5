"""Stage checklists, transitions, stalled detection and the hand-over to the registry."""

import datetime as dt
import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wulian.chains.models import EnterpriseLink, TargetCompany
from wulian.core.models import AuditEvent
from wulian.enterprises.models import Enterprise
from wulian.enterprises.tests.factories import make_uscc
from wulian.investment import services, stats
from wulian.investment.models import Project, ProjectEvent

from .factories import LinkFactory, ProjectFactory, days_ago, pdf_upload


@pytest.fixture
def link(base_config):
    return LinkFactory()


def test_signing_needs_the_signed_agreement_on_file(users, link):
    # given a project in 洽谈 with links and a leader but no agreement
    project = ProjectFactory(stage="negotiating", links=[link])
    # when it is moved to 签约 then it is refused, naming what is missing
    with pytest.raises(ValidationError) as exc:
        services.transition_project(actor=users["leader"], project=project, to_stage="signed")
    assert "投资协议" in exc.value.messages[0]
    project.refresh_from_db()
    assert project.stage == "negotiating"
    assert not ProjectEvent.objects.filter(project=project).exists()
    # once the agreement is uploaded it passes, with an event and an audit row
    services.upload_document(
        actor=users["leader"], project=project, kind="agreement", upload=pdf_upload()
    )
    services.transition_project(actor=users["leader"], project=project, to_stage="signed")
    project.refresh_from_db()
    assert project.stage == "signed"
    event = ProjectEvent.objects.get(project=project)
    assert (event.from_stage, event.to_stage) == ("negotiating", "signed")
    assert AuditEvent.objects.filter(model="investment.project", action="transition").exists()


def test_illegal_transition_is_refused_in_chinese(users, link):
    project = ProjectFactory(stage="lead")
    with pytest.raises(ValidationError) as exc:
        services.transition_project(actor=users["leader"], project=project, to_stage="started")
    assert "不能从“线索”转为“开工”" in exc.value.messages[0]
    started = ProjectFactory(stage="started")
    with pytest.raises(ValidationError):
        services.transition_project(
            actor=users["leader"], project=started, to_stage="lost", reason="x"
        )


def test_losing_needs_a_reason_and_keeps_it(users):
    project = ProjectFactory(stage="negotiating")
    with pytest.raises(ValidationError) as exc:
        services.transition_project(actor=users["leader"], project=project, to_stage="lost")
    assert "流失原因" in exc.value.messages[0]
    services.transition_project(
        actor=users["leader"], project=project, to_stage="lost", reason="用地未谈拢"
    )
    project.refresh_from_db()
    assert project.stage == "lost" and project.lost_reason == "用地未谈拢"


def test_document_type_is_checked_by_content_and_name_is_generated(users):
    project = ProjectFactory()
    with pytest.raises(ValidationError) as exc:
        services.upload_document(
            actor=users["leader"],
            project=project,
            kind="agreement",
            upload=pdf_upload(name="a.pdf", data=b"MZ\x90\x00 not a pdf"),
        )
    assert "仅接受" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.upload_document(
            actor=users["leader"],
            project=project,
            kind="agreement",
            upload=pdf_upload(name="a.pdf", content_type="text/html"),
        )
    doc = services.upload_document(
        actor=users["leader"],
        project=project,
        kind="agreement",
        upload=pdf_upload(name="../../etc/passwd.pdf"),
    )
    assert "passwd" not in doc.file.name and doc.file.name.endswith(".pdf")
    assert doc.original_name.endswith("passwd.pdf")


def test_stage_date_cannot_be_in_the_future_or_before_the_current_stage(users):
    project = ProjectFactory(stage="lead", stage_entered_on=days_ago(10))
    with pytest.raises(ValidationError):
        services.transition_project(
            actor=users["leader"],
            project=project,
            to_stage="negotiating",
            on=days_ago(-1),
        )
    with pytest.raises(ValidationError):
        services.transition_project(
            actor=users["leader"], project=project, to_stage="negotiating", on=days_ago(11)
        )


def test_stalled_is_derived_from_the_last_stage_date(users, settings):
    settings.INVESTMENT_STALLED_DAYS = 60
    old = ProjectFactory(name="久未推进", stage="signed", stage_entered_on=days_ago(61))
    ProjectFactory(name="刚推进", stage="signed", stage_entered_on=days_ago(59))
    ProjectFactory(name="已投产", stage="producing", stage_entered_on=days_ago(400))
    ProjectFactory(name="已流失", stage="lost", stage_entered_on=days_ago(400))
    assert list(Project.objects.stalled().values_list("name", flat=True)) == ["久未推进"]
    flags = dict(Project.objects.with_flags().values_list("name", "is_stalled"))
    assert flags == {"久未推进": True, "刚推进": False, "已投产": False, "已流失": False}
    rows = stats.stalled_projects(limit=5)
    assert [r["id"] for r in rows] == [old.pk] and rows[0]["days"] == 61
    settings.INVESTMENT_STALLED_DAYS = 30
    assert Project.objects.stalled().count() == 2
    assert stats.pipeline_overview()["stalled"] == 2


def test_production_hands_the_company_to_the_registry_and_fills_the_gap(users):
    # given a chain link nobody occupies (a gap) and a project filling it
    gap = LinkFactory(name="电子特气")
    assert not EnterpriseLink.objects.filter(link=gap).exists()
    project = ProjectFactory(
        stage="completed", links=[gap], uscc="", company_name="衢州特气有限公司"
    )
    # then 投产 without a valid USCC is refused
    with pytest.raises(ValidationError) as exc:
        services.transition_project(actor=users["county_ly"], project=project, to_stage="producing")
    assert "统一社会信用代码" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.update_project_company(
            actor=users["leader"], project=project, company_name="x", uscc="91330825ABCDEFGH12"
        )
    uscc = make_uscc("330825")
    services.update_project_company(
        actor=users["leader"], project=project, company_name="衢州特气有限公司", uscc=uscc
    )
    # when it enters production
    project.refresh_from_db()
    services.transition_project(actor=users["county_ly"], project=project, to_stage="producing")
    # then the enterprise is registered and the gap link has an enterprise
    enterprise = Enterprise.objects.get(uscc=uscc)
    assert enterprise.name == "衢州特气有限公司" and enterprise.region_id == "330825"
    assert list(gap.enterprise_links.values_list("enterprise_id", flat=True)) == [enterprise.pk]
    project.refresh_from_db()
    assert project.enterprise_id == enterprise.pk
    # through the registry's and the chains' own services: audited, link statistics current
    gap.stat.refresh_from_db()
    assert gap.stat.main_enterprises == 1
    notes = set(AuditEvent.objects.filter(actor=users["county_ly"]).values_list("note", flat=True))
    assert {"重大项目投产纳入企业库", "项目投产落位产业链环节"} <= notes


def test_production_of_a_city_level_project_asks_for_its_county(users):
    gap = LinkFactory(name="电子特气")
    project = ProjectFactory(
        stage="completed", links=[gap], uscc=make_uscc("330800"), region_id="330800"
    )
    with pytest.raises(ValidationError) as exc:
        services.transition_project(actor=users["leader"], project=project, to_stage="producing")
    assert "须明确所属区县" in exc.value.messages[0]
    assert not Enterprise.objects.exists() and not gap.enterprise_links.exists()
    project.refresh_from_db()
    assert project.stage == "completed"


def test_open_lead_for_target_uses_its_links_and_is_not_duplicated(users):
    link = LinkFactory()
    target = TargetCompany.objects.create(name="远方新材料集团")
    target.links.add(link)
    project = services.open_lead_for_target(actor=users["chief_xcl"], target=target, links=None)
    assert project.stage == "lead" and project.investor_id == target.pk
    assert list(project.links.all()) == [link]
    again = services.open_lead_for_target(actor=users["chief_xcl"], target=target, links=[link])
    assert again.pk == project.pk


def test_transition_refused_for_a_user_who_cannot_see_the_project(users):
    project = ProjectFactory(stage="lead", region_id="330802", lead_department=None)
    with pytest.raises(PermissionDenied):
        services.transition_project(
            actor=users["county_ly"], project=project, to_stage="negotiating"
        )


def test_stats_for_other_modules(users):
    link = LinkFactory()
    ProjectFactory(stage="signed", links=[link], planned_wan=1_200_000)
    ProjectFactory(stage="lead", links=[link], planned_wan=1000)
    ProjectFactory(stage="lost", links=[link], planned_wan=5000)
    summary = stats.link_project_summary()
    assert summary[link.pk] == {"projects": 2, "planned_wan": 1_201_000.0}
    overview = stats.pipeline_overview()
    assert overview["major"] == 1 and overview["lost"] == 1
    assert overview["total"]["count"] == 2
    by_stage = {s["stage"]: s["count"] for s in overview["stages"]}
    assert by_stage["signed"] == 1 and by_stage["lost"] == 1


def test_monthly_investment_and_full_walk(users):
    link = LinkFactory()
    project = ProjectFactory(stage="lead", links=[link], stage_entered_on=days_ago(300))
    leader = users["leader"]
    for stage, kind in [
        ("negotiating", None),
        ("signed", "agreement"),
        ("land", "land"),
        ("started", "permit"),
    ]:
        if kind:
            services.upload_document(actor=leader, project=project, kind=kind, upload=pdf_upload())
        project = services.advance_project(actor=leader, project=project, on=days_ago(200))
        assert project.stage == stage
    with pytest.raises(ValidationError):
        services.advance_project(actor=leader, project=project)
    services.record_monthly_investment(
        actor=leader, project=project, month=dt.date(2026, 1, 15), amount_wan=1200
    )
    services.record_monthly_investment(
        actor=leader, project=project, month=dt.date(2026, 1, 1), amount_wan=1500
    )
    assert project.monthly.get().amount_wan == 1500
    project = services.advance_project(actor=leader, project=project)
    assert project.stage == "completed"


def test_stalled_days_from_the_environment(monkeypatch):
    import environ

    import wulian.settings as project_settings

    # given / when: settings.py read with the variable unset, then set
    monkeypatch.delenv("INVESTMENT_STALLED_DAYS", raising=False)
    monkeypatch.setattr(environ.Env, "read_env", lambda *args, **kwargs: None)
    assert importlib.reload(project_settings).INVESTMENT_STALLED_DAYS == 90
    monkeypatch.setenv("INVESTMENT_STALLED_DAYS", "45")
    assert importlib.reload(project_settings).INVESTMENT_STALLED_DAYS == 45


@pytest.mark.parametrize("amount", ["一千二", "1,200", "", "NaN", "-Infinity"])
def test_monthly_investment_that_is_not_a_number_is_refused_in_chinese(users, amount):
    project = ProjectFactory(stage="started")
    with pytest.raises(ValidationError) as refused:
        services.record_monthly_investment(
            actor=users["leader"], project=project, month=dt.date(2026, 1, 1), amount_wan=amount
        )
    assert refused.value.messages == ["完成投资应为数字（万元）。"]
    assert not project.monthly.exists()
