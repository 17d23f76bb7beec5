"""The dataset indicators imports: statistics values (long layout). Registered in ready().

The importer (indicators.importing) also reads the wide layout (one column per period); the
template and the export use the long one, one row per value, which round-trips.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from wulian.core.datasets import Column, FileDataset

from .choices import Qualifier
from .importing import import_observations
from .models import Observation
from .periods import Period
from .permissions import EDIT_ROLES

COLUMNS = (
    Column(
        "indicator",
        "指标",
        gettext_lazy("指标代码或名称"),
        required=True,
        allowed=gettext_lazy("指标库中的代码或名称，如 gdp 或 地区生产总值"),
        example="gdp",
    ),
    Column(
        "region",
        "区划",
        gettext_lazy("行政区划"),
        required=True,
        allowed=gettext_lazy("名称或行政区划代码，如 衢州市、龙游县 或 330825"),
        example="330800",
    ),
    Column(
        "period",
        "期间",
        gettext_lazy("统计期间"),
        required=True,
        allowed=gettext_lazy("2024年、2024年三季度、2024年11月、2024年1-11月"),
        example="2024年",
    ),
    Column(
        "value",
        "数值",
        gettext_lazy("按指标单位填写；可写 超1000、1600多、预计2420"),
        required=True,
        example=2418.0,
    ),
    Column("source", "来源", gettext_lazy("出处；不填记为“统计报表导入”"), example="衢州市统计局"),
    Column("preliminary", "预计", gettext_lazy("是否预计数"), kind="bool"),
    Column("revised", "修订", gettext_lazy("是否修订数"), kind="bool"),
    Column("yoy", "同比", gettext_lazy("公布的同比增速"), kind="decimal", unit="%", example=""),
    Column("note", "备注", gettext_lazy("补充说明"), example=""),
)
QUALIFIED = {
    Qualifier.MORE: "{v}多",
    Qualifier.OVER: "超过{v}",
    Qualifier.AT_LEAST: "迈上{v}",
    Qualifier.UNDER: "不足{v}",
    Qualifier.NEARLY: "近{v}",
}


def _value(obs: Observation):
    value = obs.value.normalize()
    pattern = QUALIFIED.get(obs.qualifier)
    return pattern.format(v=f"{value:f}") if pattern else value


def export_observations(user):
    rows = (
        Observation.objects.visible_to(user)
        .select_related("indicator")
        .order_by("indicator__code", "region_id", "period", "cumulative")
    )
    for obs in rows.iterator(chunk_size=2000):
        yield [
            obs.indicator.code,
            obs.region_id,
            Period.parse(obs.period).label(obs.cumulative),
            _value(obs),
            obs.source or None,
            "是" if obs.is_preliminary else "否",
            "是" if obs.is_revised else "否",
            obs.yoy_pct.normalize() if obs.yoy_pct is not None else None,
            obs.note or None,
        ]


observation_dataset = FileDataset(
    name="indicators",
    label=gettext_lazy("指标数据"),
    columns=COLUMNS,
    runner=import_observations,
    exporter=export_observations,
    import_roles=EDIT_ROLES,
    unit=gettext_lazy("条"),
    notes=(
        gettext_lazy("同一指标、区划、期间再次导入即更新原值（真实数据被改动时标记为修订）。"),
        gettext_lazy("也可按“宽表”导入：每行一个指标和区划，每列一个期间（如 2023年、2024年）。"),
    ),
    list_url="indicators:list",
)


def register() -> None:
    from wulian.core.datasets import register as add

    add(observation_dataset)
