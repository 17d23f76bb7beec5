import datetime as dt

from django.utils import timezone

from wulian.core.models import Department
from wulian.keywork.models import Meeting, MeetingSeries, Task, WorkItem


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def work_item(code="five_chains", name="“五链”融合") -> WorkItem:
    return WorkItem.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_task(dept="jxj", co=(), **fields) -> Task:
    values = {
        "work_item": work_item(),
        "title": "测试任务",
        "target_text": "完成目标",
        "lead_department": Department.objects.get(code=dept),
        "responsible_person": "张三",
        "start_on": days(-30),
        "deadline": days(60),
        "done_standard": "验收通过",
        "cadence": "monthly",
    }
    values.update(fields)
    task = Task.objects.create(**values)
    task.co_departments.set(Department.objects.filter(code__in=co))
    return task


def city_series() -> MeetingSeries:
    return MeetingSeries.objects.get_or_create(
        name="市级月度例会",
        defaults={"kind": "monthly_city", "organiser": Department.objects.get(code="fgw")},
    )[0]


def chain_series(code="xcl") -> MeetingSeries:
    return MeetingSeries.objects.get_or_create(
        name=f"{code}周例会", defaults={"kind": "weekly_chain", "chain_code": code}
    )[0]


def meeting(series=None, on=None, status="draft", **fields) -> Meeting:
    series = series or city_series()
    return Meeting.objects.create(
        series=series,
        title=fields.pop("title", "例会"),
        scheduled_on=on or today(),
        status=status,
        **fields,
    )
