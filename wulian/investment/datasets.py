"""The dataset investment imports: projects (leads and their facts; never their stage).

A new name opens a lead (线索) through `services.create_project`; an existing one has its facts
updated (audited). Stages move only through the workflow. Registered in InvestmentConfig.ready().
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.chains.linkref import LinkLookup
from wulian.chains.models import TargetCompany
from wulian.core import audit
from wulian.core.choices import AuditAction, Role
from wulian.core.datasets import Column
from wulian.core.models import Department
from wulian.core.rowimport import RowImporter
from wulian.core.tabular import ValueProblem

from .models import Project
from .services import create_project

FIELDS = (
    "investor_name",
    "company_name",
    "uscc",
    "region_id",
    "planned_wan",
    "lead_department_id",
    "responsible_leader",
    "note",
)


class ProjectDataset(RowImporter):
    """Projects by name: 项目名称, 投资方, 落地区县, 计划总投资, 填补环节, 牵头部门 …"""

    model = Project
    name = "projects"
    label = gettext_lazy("招商项目")
    unit = gettext_lazy("个")
    import_roles = frozenset({Role.LEADER, Role.DEPARTMENT, Role.CHAIN, Role.COUNTY})
    list_url = "investment:board"
    key = ("name",)
    notes = (
        gettext_lazy("项目名称已存在的行更新该项目的信息（不改变项目阶段，阶段须在页面上推进）。"),
        gettext_lazy("新项目以“线索”阶段登记。"),
    )
    columns = (
        Column(
            "name",
            "项目名称",
            gettext_lazy("项目名称；已存在则更新"),
            required=True,
            max_length=200,
            example="年产5万吨含氟新材料项目",
        ),
        Column(
            "investor_name",
            "投资方",
            gettext_lazy("投资方名称（招商目标库中的企业会自动关联）"),
            required=True,
            max_length=200,
            example="示例氟材料股份有限公司",
        ),
        Column(
            "company_name",
            "项目公司名称",
            gettext_lazy("投产后纳入企业库的名称"),
            max_length=200,
            example="",
        ),
        Column(
            "uscc",
            "统一社会信用代码",
            gettext_lazy("项目公司信用代码（投产时必填）"),
            kind="uscc",
            example="",
        ),
        Column(
            "region",
            "落地区县",
            gettext_lazy("项目落地的县（市、区）"),
            kind="county",
            required=True,
        ),
        Column(
            "planned_wan",
            "计划总投资（万元）",
            gettext_lazy("计划总投资"),
            kind="amount",
            unit=gettext_lazy("万元"),
            example=150000,
        ),
        Column(
            "links",
            "填补环节",
            gettext_lazy("项目填补或加强的环节，多个用“、”分隔"),
            allowed=gettext_lazy("产业链名·环节名"),
            example="新材料·含氟聚合物",
        ),
        Column(
            "lead_department",
            "牵头部门",
            gettext_lazy("牵头部门"),
            allowed=gettext_lazy("部门名称或代码，如 市商务局 或 swj"),
            example="",
        ),
        Column(
            "responsible_leader",
            "责任领导",
            gettext_lazy("联系的市领导或县领导"),
            max_length=50,
            example="",
        ),
        Column("note", "备注", gettext_lazy("补充说明"), example=""),
    )

    def prepare(self, rows):
        self.lookup = LinkLookup()
        self.departments = {}
        for pk, code, name in Department.objects.values_list("id", "code", "name"):
            self.departments[code] = self.departments[name] = pk
        self.investors = dict(TargetCompany.objects.values_list("name", "id"))

    def resolve(self, values, problem):
        if "links" in values:
            try:
                values["link_ids"] = self.lookup.many(values["links"] or "")
            except ValueProblem as exc:
                problem("links", str(exc))
        if "region" in values:
            values["region_id"] = values["region"]
        if values.get("lead_department"):
            values["lead_department_id"] = self.departments.get(values["lead_department"])
            if values["lead_department_id"] is None:
                problem("lead_department", _("未知部门“%(d)s”") % {"d": values["lead_department"]})
        elif "lead_department" in values:
            values["lead_department_id"] = None
        values["investor_id"] = self.investors.get(values.get("investor_name"))

    def existing(self, keys):
        names = [k[0] for k in keys]
        return {(p.name,): p for p in Project.objects.filter(name__in=names)}

    def write(self, rows, *, actor):
        stored = self.existing([self.key_of(r) for r in rows])
        created = updated = 0
        for row in rows:
            project = stored.get(self.key_of(row))
            links = [link for link in self.lookup_links(row.get("link_ids"))]
            if project is None:
                project = create_project(
                    actor=actor,
                    name=row["name"],
                    region=row["region_id"],
                    investor=TargetCompany.objects.filter(pk=row["investor_id"]).first(),
                    investor_name=row.get("investor_name") or "",
                    links=links,
                    planned_wan=row.get("planned_wan") or Decimal(0),
                    lead_department=Department.objects.filter(
                        pk=row.get("lead_department_id")
                    ).first(),
                    responsible_leader=row.get("responsible_leader") or "",
                    company_name=row.get("company_name") or "",
                    uscc=row.get("uscc") or "",
                    note=row.get("note") or "",
                )
                created += 1
                continue
            with transaction.atomic():
                project = Project.objects.select_for_update().get(pk=project.pk)
                names = [f for f in FIELDS if f in row]
                before = audit.snapshot(project, names)
                for field in names:
                    value = row[field]
                    setattr(
                        project,
                        field,
                        ""
                        if value is None and field not in ("lead_department_id", "planned_wan")
                        else value,
                    )
                if project.planned_wan is None:
                    project.planned_wan = Decimal(0)
                project.investor_id = row.get("investor_id")
                project.save()
                if "link_ids" in row:
                    project.links.set(links)
                after = audit.snapshot(project, names)
                if after != before or "link_ids" in row:
                    updated += 1
                    audit.record(
                        actor=actor,
                        action=AuditAction.UPDATE,
                        instance=project,
                        before=before,
                        after=after,
                        note=_("项目导入"),
                    )
        return created, updated

    def lookup_links(self, ids):
        from wulian.chains.models import Link

        return list(Link.objects.filter(pk__in=ids or []))

    def save_record(self, values, *, actor):
        self.write([values], actor=actor)
        return Project.objects.get(name=values["name"])

    def export_objects(self, user):
        self.lookup = LinkLookup()
        return (
            Project.objects.visible_to(user)
            .select_related("lead_department")
            .prefetch_related("links")
            .order_by("name")
        )

    def export_values(self, obj):
        return {
            "name": obj.name,
            "investor_name": obj.investor_name or (obj.investor.name if obj.investor_id else None),
            "company_name": obj.company_name,
            "uscc": obj.uscc,
            "region": obj.region_id,
            "planned_wan": obj.planned_wan,
            "links": self.lookup.join(link.pk for link in obj.links.all()),
            "lead_department": obj.lead_department.code if obj.lead_department_id else None,
            "responsible_leader": obj.responsible_leader,
            "note": obj.note,
        }


project_dataset = ProjectDataset()


def register() -> None:
    from wulian.core.datasets import register as add

    add(project_dataset)
