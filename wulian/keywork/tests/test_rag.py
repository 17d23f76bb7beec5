"""Red/amber/green is derived from deadline, milestones and reports — never typed."""

import datetime as dt

import pytest

from wulian.keywork import rag
from wulian.keywork.models import Milestone, ProgressReport, Task

from .factories import days, make_task

TODAY = dt.date(2026, 6, 15)


def derive(**overrides):
    values = {
        "status": "open",
        "today": TODAY,
        "start_on": dt.date(2026, 1, 1),
        "deadline": dt.date(2026, 12, 31),
        "cadence": "monthly",
        "last_report_on": dt.date(2026, 6, 1),
        "progress": 50,
        "overdue_milestones": 0,
        "milestones_due_soon": 0,
    }
    values.update(overrides)
    return rag.derive_rag(**values)


def test_on_track_is_green():
    assert derive().rag == "green"


def test_past_deadline_is_red():
    result = derive(deadline=dt.date(2026, 6, 1))
    assert result.rag == "red" and "已超过完成时限14天" in result.reasons


def test_overdue_milestone_is_red():
    assert derive(overdue_milestones=1).rag == "red"


def test_far_behind_schedule_is_red_and_a_little_behind_is_amber():
    assert derive(progress=0).rag == "red"  # 45% of the time gone, nothing done
    result = derive(progress=20)
    assert result.rag == "amber" and "进度落后时序25个百分点" in result.reasons


def test_missing_report_for_the_cadence_is_amber():
    assert derive(cadence="weekly", last_report_on=dt.date(2026, 6, 1)).rag == "amber"
    assert derive(cadence="monthly", last_report_on=dt.date(2026, 6, 1)).rag == "green"
    assert derive(cadence="monthly", last_report_on=dt.date(2026, 5, 1)).rag == "amber"


def test_deadline_close_with_little_progress_is_amber():
    result = derive(deadline=dt.date(2026, 6, 25), progress=70, start_on=dt.date(2026, 6, 1))
    assert result.rag in ("amber", "red")
    assert any("距完成时限" in r for r in result.reasons)


def test_closed_task_is_done():
    assert derive(status="done", deadline=dt.date(2020, 1, 1)).rag == "done"


@pytest.mark.django_db
def test_queryset_annotations_feed_the_derivation(base_config):
    green = make_task(title="正常")
    ProgressReport.objects.create(task=green, reported_on=days(-3), progress_pct=40, summary="x")
    late = make_task(title="节点逾期")
    Milestone.objects.create(task=late, name="方案", due_on=days(-2))
    ProgressReport.objects.create(task=late, reported_on=days(-3), progress_pct=40, summary="x")
    silent = make_task(title="未报送", start_on=days(-60), deadline=days(120))
    tasks = {t.title: t for t in rag.attach(Task.objects.with_progress(), days(0))}
    assert tasks["正常"].rag.rag == "green"
    assert tasks["节点逾期"].rag.rag == "red"
    assert tasks["未报送"].rag.rag == "amber"
    assert silent.pk in {t.pk for t in tasks.values()}


def _indicator(code, direction, values):
    from wulian.indicators.models import Indicator, Observation

    indicator = Indicator.objects.create(code=code, name=code, direction=direction)
    for period, value in values.items():
        Observation.objects.create(indicator=indicator, period=period, value=value)


@pytest.mark.django_db
def test_progress_is_read_from_the_tied_indicator(base_config):
    from decimal import Decimal

    _indicator("share", "higher", {"2024": Decimal("63")})
    task = make_task(title="占比", indicator_code="share", target_value=Decimal("70"))
    ProgressReport.objects.create(task=task, reported_on=days(-1), progress_pct=10, summary="x")
    [attached] = rag.attach(Task.objects.with_progress(), days(0))
    assert attached.indicator_pct == 90 and attached.effective_progress == 90
    # An indicator without data: the report decides.
    task.indicator_code = "no_such_indicator"
    task.save(update_fields=["indicator_code"])
    [attached] = rag.attach(Task.objects.with_progress(), days(0))
    assert attached.indicator_pct is None and attached.effective_progress == 10


@pytest.mark.django_db
def test_a_target_to_bring_a_ratio_down_is_judged_by_its_direction(base_config):
    """降至1.70 from 1.86 when the task started, now 1.76: 62% done — not 1.76 ÷ 1.70 = 100%."""
    from decimal import Decimal

    year = days(0).year
    _indicator("gap", "lower", {str(year - 1): Decimal("1.86"), str(year): Decimal("1.76")})
    start = dt.date(year, 1, 1)
    task = make_task(
        title="倍差", indicator_code="gap", target_value=Decimal("1.70"), start_on=start
    )
    ProgressReport.objects.create(task=task, reported_on=days(-1), progress_pct=95, summary="x")
    [attached] = rag.attach(Task.objects.with_progress(), days(0))
    assert attached.indicator_pct == 62
    # a ratio that rose since the task began made no progress (not "over 100%")
    _indicator("gap_up", "lower", {str(year - 1): Decimal("1.86"), str(year): Decimal("1.90")})
    task.indicator_code = "gap_up"
    task.save(update_fields=["indicator_code"])
    [attached] = rag.attach(Task.objects.with_progress(), days(0))
    assert attached.indicator_pct == 0 and attached.rag.rag in ("red", "amber")
    # no value since the task began: nothing to judge by, the report decides
    _indicator("gap_old", "lower", {str(year - 1): Decimal("1.86")})
    task.indicator_code = "gap_old"
    task.save(update_fields=["indicator_code"])
    [attached] = rag.attach(Task.objects.with_progress(), days(0))
    assert attached.indicator_pct is None and attached.effective_progress == 95
