"""The dataset keywork imports: tasks with their 四定 (目标, 责任, 时限, 标准).

A new (重点工作, 任务) pair is created through `services.create_task` (every missing 定 is an
error); an existing one has its 四定 updated (audited). Registered in KeyworkConfig.ready().
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.core import audit
from wulian.core.choices import AuditAction, Role
from wulian.core.datasets import Column
from wulian.core.models import Department
from wulian.core.rowimport import RowImporter

from .choices import Cadence
from .models import Task, WorkItem
from .services import create_task

SPLIT = "、；;，,"
FIELDS = (
    "target_text",
    "target_value",
    "target_unit",
    "indicator_code",
    "lead_department_id",
    "responsible_person",
    "start_on",
    "deadline",
    "done_standard",
    "cadence",
)


def _split(text: str) -> list[str]:
    for sep in SPLIT[1:]:
        text = text.replace(sep, SPLIT[0])
    return [part.strip() for part in text.split(SPLIT[0]) if part.strip()]


class TaskDataset(RowImporter):
    """Tasks under the key work items, with their 四定; keyed by 重点工作 and 任务."""

    model = Task
    name = "tasks"
    label = gettext_lazy("重点任务")
    unit = gettext_lazy("项")
    import_roles = frozenset({Role.LEADER})
    list_url = "keywork:my-tasks"
    key = ("work_item", "title")
    notes = (
        gettext_lazy(
            "同一重点工作下任务名称已存在的行更新其目标、责任、时限与标准（不改变办结状态）。"
        ),
        gettext_lazy("四定缺一不可：目标、牵头部门与责任人、完成时限、完成标准。"),
    )
    columns = (
        Column(
            "work_item",
            "重点工作",
            gettext_lazy("所属重点工作"),
            required=True,
            allowed=gettext_lazy("重点工作的名称或代码"),
            example="六大标志性产业链培育",
        ),
        Column(
            "title",
            "任务",
            gettext_lazy("任务名称"),
            required=True,
            max_length=200,
            example="新材料产业链新增规上企业30家",
        ),
        Column(
            "target_text",
            "目标",
            gettext_lazy("定目标：可衡量的目标"),
            required=True,
            max_length=300,
            example="年内新增规上企业30家",
        ),
        Column(
            "target_value", "目标值", gettext_lazy("目标的数值（可空）"), kind="decimal", example=30
        ),
        Column("target_unit", "单位", gettext_lazy("目标值的单位"), max_length=20, example="家"),
        Column(
            "indicator_code",
            "指标代码",
            gettext_lazy("对应的指标代码（可空）"),
            max_length=60,
            example="",
        ),
        Column(
            "lead_department",
            "牵头部门",
            gettext_lazy("定责任：牵头部门"),
            required=True,
            allowed=gettext_lazy("部门名称或代码，如 市经信局 或 jxj"),
            example="jxj",
        ),
        Column(
            "responsible_person",
            "责任人",
            gettext_lazy("定责任：责任人"),
            required=True,
            max_length=50,
            example="张三",
        ),
        Column(
            "co_departments",
            "配合部门",
            gettext_lazy("配合部门，多个用“、”分隔"),
            allowed=gettext_lazy("部门名称或代码"),
            example="",
        ),
        Column("start_on", "开始日期", gettext_lazy("开始日期（默认今天）"), kind="date"),
        Column(
            "deadline", "完成时限", gettext_lazy("定时限：完成时限"), kind="date", required=True
        ),
        Column(
            "done_standard",
            "完成标准",
            gettext_lazy("定标准：怎样算完成"),
            required=True,
            example="统计部门确认新增规上企业名单",
        ),
        Column(
            "cadence",
            "报送频次",
            gettext_lazy("进展报送频次"),
            kind="choice",
            choices=tuple((v, str(label)) for v, label in Cadence.choices),
        ),
    )

    def prepare(self, rows):
        self.departments = {}
        for pk, code, name in Department.objects.values_list("id", "code", "name"):
            self.departments[code] = self.departments[name] = pk
        self.items = {}
        for pk, code, name in WorkItem.objects.values_list("id", "code", "name"):
            self.items[code] = self.items[name] = pk
        self.codes = dict(Department.objects.values_list("id", "code"))
        self.item_names = dict(WorkItem.objects.values_list("id", "name"))

    def resolve(self, values, problem):
        values["work_item_id"] = self.items.get(values.get("work_item"))
        if values.get("work_item") and values["work_item_id"] is None:
            problem("work_item", _("未知重点工作“%(w)s”") % {"w": values["work_item"]})
        if "lead_department" in values:
            values["lead_department_id"] = self.departments.get(values["lead_department"])
            if values["lead_department_id"] is None:
                problem("lead_department", _("未知部门“%(d)s”") % {"d": values["lead_department"]})
        if values.get("co_departments"):
            ids = []
            for name in _split(values["co_departments"]):
                if name not in self.departments:
                    problem("co_departments", _("未知部门“%(d)s”") % {"d": name})
                ids.append(self.departments.get(name))
            values["co_ids"] = ids
        start, deadline = values.get("start_on"), values.get("deadline")
        if start and deadline and deadline < start:
            problem("deadline", _("定时限：完成时限不能早于开始日期"))

    def key_of(self, values):
        item = values.get("work_item_id")
        return (self.item_names.get(item, values.get("work_item")), values.get("title"))

    def existing(self, keys):
        titles = [k[1] for k in keys]
        return {
            (t.work_item.name, t.title): t
            for t in Task.objects.select_related("work_item").filter(title__in=titles)
        }

    def write(self, rows, *, actor):
        stored = self.existing([self.key_of(r) for r in rows])
        created = updated = 0
        for row in rows:
            task = stored.get(self.key_of(row))
            co = list(Department.objects.filter(pk__in=row.get("co_ids") or []))
            if task is None:
                create_task(
                    actor=actor,
                    work_item=WorkItem.objects.get(pk=row["work_item_id"]),
                    title=row["title"],
                    target_text=row["target_text"],
                    target_value=row.get("target_value"),
                    target_unit=row.get("target_unit") or "",
                    indicator_code=row.get("indicator_code") or "",
                    lead_department=Department.objects.get(pk=row["lead_department_id"]),
                    responsible_person=row["responsible_person"],
                    co_departments=co,
                    start_on=row.get("start_on"),
                    deadline=row["deadline"],
                    done_standard=row["done_standard"],
                    cadence=row.get("cadence") or Cadence.MONTHLY,
                    check_rights=False,
                )
                created += 1
                continue
            with transaction.atomic():
                task = Task.objects.select_for_update().get(pk=task.pk)
                names = [f for f in FIELDS if f in row]
                before = audit.snapshot(task, names)
                for field in names:
                    value = row[field]
                    if value is None and field in ("target_unit", "indicator_code"):
                        value = ""
                    if value is None and field in ("start_on", "cadence"):
                        continue
                    setattr(task, field, value)
                task.full_clean(exclude=["co_departments"])
                task.save()
                if "co_ids" in row or "co_departments" in row:
                    task.co_departments.set(co)
                after = audit.snapshot(task, names)
                if after != before:
                    updated += 1
                    audit.record(
                        actor=actor,
                        action=AuditAction.UPDATE,
                        instance=task,
                        before=before,
                        after=after,
                        note=_("任务导入"),
                    )
        return created, updated

    def save_record(self, values, *, actor):
        self.write([values], actor=actor)
        return self.existing([self.key_of(values)])[self.key_of(values)]

    def export_objects(self, user):
        self.codes = dict(Department.objects.values_list("id", "code"))
        return (
            Task.objects.visible_to(user)
            .select_related("work_item")
            .prefetch_related("co_departments")
            .order_by("work_item__sort", "work_item_id", "id")
        )

    def export_values(self, obj):
        return {
            "work_item": obj.work_item.name,
            "title": obj.title,
            "target_text": obj.target_text,
            "target_value": obj.target_value.normalize() if obj.target_value is not None else None,
            "target_unit": obj.target_unit,
            "indicator_code": obj.indicator_code,
            "lead_department": self.codes.get(obj.lead_department_id),
            "responsible_person": obj.responsible_person,
            "co_departments": "、".join(sorted(d.code for d in obj.co_departments.all())) or None,
            "start_on": obj.start_on,
            "deadline": obj.deadline,
            "done_standard": obj.done_standard,
            "cadence": obj.cadence,
        }


task_dataset = TaskDataset()


def register() -> None:
    from wulian.core.datasets import register as add

    add(task_dataset)
