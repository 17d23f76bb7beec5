"""Benchmark: the investment pipeline and the 四定 task list at a large city's scale.

Builds a throwaway SQLite database (or uses DATABASE_URL) with the base configuration,
6 chains × 10 links, N projects spread over every stage (with stage events and monthly
completed investment) and M tasks (with milestones and weekly/monthly reports), then prints
p50/p95 over --repeat runs of:
- full page requests as a leader (who sees everything): the board, the project table, the
  totals page, my tasks (every task, RAG derived for each), late-by-department, a meeting;
- the functions other modules call: pipeline_overview, link_project_summary,
  stalled_projects; and draft_agenda and the .docx briefing.

    .venv/bin/python bench/pipeline_keywork.py [--projects 5000] [--tasks 3000] [--repeat 10]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    tmp = tempfile.mkdtemp(prefix="wulian-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    os.environ.setdefault("MEDIA_ROOT", f"{tmp}/media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from wulian.core import demo

    demo.load_regions()
    demo.load_departments()
    demo.load_users()


def build(projects: int, tasks: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from wulian.chains.models import Chain, Link
    from wulian.core.models import Department
    from wulian.investment.choices import PIPELINE, ProjectStage
    from wulian.investment.models import MonthlyInvestment, Project, ProjectEvent
    from wulian.keywork.models import (
        Meeting,
        MeetingSeries,
        Milestone,
        ProgressReport,
        Task,
        WorkItem,
    )

    rng = random.Random(1)
    today = timezone.localdate()
    counties = ["330802", "330803", "330822", "330824", "330825", "330881"]
    departments = list(Department.objects.all())
    with transaction.atomic():
        links = []
        for c, code in enumerate(["xcl", "xny", "jcdl", "gdzb", "smjk", "tzz"]):
            chain = Chain.objects.create(code=code, name=code, sort=c)
            links += Link.objects.bulk_create(
                Link(chain=chain, code=f"l{i}", name=f"环节{i}", segment="mid", sort=i)
                for i in range(10)
            )
        rows = []
        for i in range(projects):
            stage = rng.choice([*PIPELINE, ProjectStage.LOST])
            planned = Decimal(rng.randrange(10_000, 2_000_000))
            rows.append(
                Project(
                    name=f"项目{i}",
                    investor_name="投资方",
                    region_id=rng.choice(counties),
                    planned_wan=planned,
                    is_major=planned >= 1_000_000,
                    stage=stage,
                    stage_entered_on=today - dt.timedelta(days=rng.randrange(0, 600)),
                    lead_department=rng.choice(departments),
                    is_synthetic=True,
                )
            )
        created = Project.objects.bulk_create(rows, batch_size=1000)
        through = Project.links.through
        through.objects.bulk_create(
            (through(project_id=p.pk, link_id=rng.choice(links).pk) for p in created),
            batch_size=2000,
        )
        ProjectEvent.objects.bulk_create(
            (
                ProjectEvent(project=p, from_stage="", to_stage=p.stage, on=p.stage_entered_on)
                for p in created
            ),
            batch_size=2000,
        )
        MonthlyInvestment.objects.bulk_create(
            (
                MonthlyInvestment(
                    project=p,
                    month=dt.date(2026, m, 1),
                    amount_wan=Decimal(rng.randrange(100, 9000)),
                )
                for p in created
                if p.stage in ("started", "completed", "producing")
                for m in range(1, 11)
            ),
            batch_size=5000,
        )
        item = WorkItem.objects.create(code="five_chains", name="“五链”融合")
        series = MeetingSeries.objects.create(name="市级月度例会", kind="monthly_city")
        Meeting.objects.create(series=series, title="本次", scheduled_on=today)
        task_rows = [
            Task(
                work_item=item,
                title=f"任务{i}",
                target_text="目标",
                lead_department=rng.choice(departments),
                responsible_person="某人",
                start_on=today - dt.timedelta(days=rng.randrange(30, 300)),
                deadline=today + dt.timedelta(days=rng.randrange(-30, 300)),
                done_standard="标准",
                cadence=rng.choice(["weekly", "monthly"]),
                is_synthetic=True,
            )
            for i in range(tasks)
        ]
        created_tasks = Task.objects.bulk_create(task_rows, batch_size=1000)
        Milestone.objects.bulk_create(
            (
                Milestone(task=t, name="节点", due_on=t.start_on + dt.timedelta(days=40))
                for t in created_tasks
            ),
            batch_size=2000,
        )
        ProgressReport.objects.bulk_create(
            (
                ProgressReport(
                    task=t,
                    reported_on=t.start_on + dt.timedelta(days=k * 14),
                    progress_pct=min(100, k * 8),
                    summary="进展",
                    escalate=k == 3 and t.pk % 7 == 0,
                )
                for t in created_tasks
                for k in range(1, 6)
                if t.start_on + dt.timedelta(days=k * 14) <= today
            ),
            batch_size=5000,
        )


def timed(func, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    setup()
    started = time.perf_counter()
    build(args.projects, args.tasks)
    took = time.perf_counter() - started
    print(f"built {args.projects} projects, {args.tasks} tasks in {took:.1f}s")

    from django.test import Client

    from wulian.core.models import User
    from wulian.investment import stats
    from wulian.keywork import briefing, services
    from wulian.keywork.models import Meeting

    client = Client()
    client.force_login(User.objects.get(username="leader"))
    leader = User.objects.get(username="leader")
    meeting = Meeting.objects.get()

    def page(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    cases = [
        ("page  /investment/ (board)", page("/investment/")),
        ("page  /investment/projects/?stage=signed", page("/investment/projects/?stage=signed")),
        ("page  /investment/totals/", page("/investment/totals/")),
        ("page  /keywork/tasks/ (all tasks, RAG)", page("/keywork/tasks/")),
        ("page  /keywork/late/", page("/keywork/late/")),
        ("page  /keywork/meetings/<id>/", page(f"/keywork/meetings/{meeting.pk}/")),
        ("api   /api/v1/projects/?page_size=100", page("/api/v1/projects/?page_size=100")),
        ("api   /api/v1/tasks/?page_size=100", page("/api/v1/tasks/?page_size=100")),
        ("func  stats.pipeline_overview()", stats.pipeline_overview),
        ("func  stats.link_project_summary()", stats.link_project_summary),
        ("func  stats.stalled_projects(20)", lambda: stats.stalled_projects(20)),
        (
            "func  services.draft_agenda()",
            lambda: services.draft_agenda(actor=leader, meeting=meeting),
        ),
        ("func  briefing.briefing_docx()", lambda: briefing.briefing_docx(meeting)),
    ]
    print(f"{'case':48} {'p50 ms':>9} {'p95 ms':>9}")
    for name, func in cases:
        p50, p95 = timed(func, args.repeat)
        print(f"{name:48} {p50:9.1f} {p95:9.1f}")


if __name__ == "__main__":
    main()
