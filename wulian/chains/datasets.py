"""The datasets chains imports: target companies (招商目标). Registered by ChainsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from wulian.core.datasets import Column, FileDataset

from .linkref import LinkLookup
from .models import TargetCompany
from .permissions import IMPORT_ROLES
from .targets import import_target_companies

TARGET_COLUMNS = (
    Column(
        "name",
        "企业名称",
        gettext_lazy("目标企业名称；已存在则更新"),
        required=True,
        example="示例氟材料股份有限公司",
    ),
    Column(
        "uscc",
        "统一社会信用代码",
        gettext_lazy("目标企业的信用代码（可空）"),
        kind="uscc",
        example="",
    ),
    Column("headquarters", "总部所在地", gettext_lazy("城市"), example="上海"),
    Column(
        "revenue_wan",
        "营业收入（万元）",
        gettext_lazy("最近年度营业收入"),
        kind="amount",
        unit=gettext_lazy("万元"),
    ),
    Column(
        "links",
        "可填补环节",
        gettext_lazy("可填补或加强的环节，多个用“、”分隔"),
        required=True,
        allowed=gettext_lazy("产业链名·环节名，如 新材料·含氟聚合物"),
        example="新材料·含氟聚合物",
    ),
    Column(
        "partners",
        "本地关联企业",
        gettext_lazy("已有合作的本地企业，多个用“、”分隔"),
        allowed=gettext_lazy("企业名称或统一社会信用代码，须在企业库中"),
        example="",
    ),
    Column("note", "备注", gettext_lazy("补充说明"), example=""),
)


def export_targets(user):
    """Target companies on links the user may see (as the API lists them)."""
    from .models import Link

    links = LinkLookup()
    rows = (
        TargetCompany.objects.filter(links__in=Link.objects.visible_to(user))
        .distinct()
        .prefetch_related("links", "partners")
        .order_by("name")
    )
    for company in rows:
        yield [
            company.name,
            company.uscc or None,
            company.headquarters or None,
            company.revenue_wan,
            links.join(link.pk for link in company.links.all()),
            "、".join(sorted(p.uscc for p in company.partners.all())) or None,
            company.note or None,
        ]


target_dataset = FileDataset(
    name="target-companies",
    label=gettext_lazy("招商目标企业"),
    columns=TARGET_COLUMNS,
    runner=import_target_companies,
    exporter=export_targets,
    import_roles=IMPORT_ROLES,
    unit=gettext_lazy("家"),
    notes=(gettext_lazy("企业名称已存在的行更新该目标企业，其可填补环节按文件重设。"),),
    list_url="chains:targets",
)


def register() -> None:
    from wulian.core.datasets import register as add

    add(target_dataset)
