"""The datasets fusion imports: platforms, talent demand and supply, funds, financing events and
peer-city link output. Registered by FusionConfig.ready(); every write refreshes the scorecard
in the same transaction, so the five-chain scores follow the import at once."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.chains.linkref import LinkLookup
from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.datasets import Column
from wulian.core.models import Region
from wulian.core.rowimport import RowImporter
from wulian.core.tabular import ValueProblem
from wulian.enterprises.models import Enterprise

from .choices import FinancingKind, PlatformKind, PlatformLevel, TalentLevel, TalentSupplyKind
from .models import FinancingEvent, Fund, PeerLinkOutput, Platform, TalentDemand, TalentSupply
from .permissions import IMPORT_ROLES
from .querysets import links_outside


def _choices(cls) -> tuple[tuple[str, str], ...]:
    return tuple((v, str(label)) for v, label in cls.choices)


LINK = gettext_lazy("产业链名·环节名，如 新材料·含氟聚合物")
LINKS = gettext_lazy("产业链名·环节名，多个用“、”分隔")
USCC_HINT = gettext_lazy("18位统一社会信用代码，须已在企业库中")


def _link(field="link", header="环节", required=True, many=False) -> Column:
    return Column(
        field,
        header,
        gettext_lazy("服务或所属的产业链环节"),
        required=required,
        allowed=LINKS if many else LINK,
        example="新材料·含氟聚合物",
    )


class FusionDataset(RowImporter):
    """Shared lookups (links, enterprises), upsert by key, audit, scorecard refresh."""

    model: type[models.Model]
    import_roles = IMPORT_ROLES
    list_url = "fusion:scorecard"
    fields: tuple[str, ...] = ()  # model fields written from the row
    link_fields: tuple[str, ...] = ()  # columns naming one link
    many_links: str = ""  # column naming several links (M2M "links")

    def prepare(self, rows):
        self.lookup = LinkLookup()
        codes = sorted({r["uscc"] for r in rows if r.get("uscc")})
        self.enterprises = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "id"))

    def resolve(self, values, problem):
        for field in self.link_fields:
            if values.get(field):
                try:
                    values[f"{field}_id"] = self.lookup.one(values[field])
                except ValueProblem as exc:
                    problem(field, str(exc))
            else:
                values[f"{field}_id"] = None
        if self.many_links and self.many_links in values:
            try:
                values["link_ids"] = self.lookup.many(values.get(self.many_links) or "")
            except ValueProblem as exc:
                problem(self.many_links, str(exc))
        self._check_scope(values, problem)
        if "uscc" in values:
            if values["uscc"] and values["uscc"] not in self.enterprises:
                problem("uscc", _("企业库中没有该统一社会信用代码"))
            values["enterprise_id"] = self.enterprises.get(values["uscc"])

    def _check_scope(self, values, problem) -> None:
        """A chain office writes only rows on its own chain's links."""
        if self.actor is None:
            return
        named = [(f, [values.get(f"{f}_id")]) for f in self.link_fields]
        if self.many_links:
            named.append((self.many_links, values.get("link_ids") or []))
        for field, ids in named:
            outside = links_outside(self.actor, ids)
            if outside:
                problem(
                    field,
                    _("您只能维护本人负责的产业链环节的数据：%(l)s 不在其中")
                    % {"l": "、".join(self.lookup.label(pk) for pk in outside)},
                )

    def lookup_key(self, obj) -> tuple:
        raise NotImplementedError

    def key_of(self, values):
        """The key with links as their canonical label, however the file wrote them."""
        lookup = getattr(self, "lookup", None) or LinkLookup()
        self.lookup = lookup
        return tuple(
            lookup.label(values.get(f"{f}_id")) if f in self.link_fields else values.get(f)
            for f in self.key
        )

    def existing(self, keys):
        wanted = set(keys)
        self.lookup = getattr(self, "lookup", None) or LinkLookup()
        return {k: o for o in self.stored() if (k := self.lookup_key(o)) in wanted}

    def stored(self):
        return self.model.objects.all()

    def field_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {f: values[f] for f in self.fields if f in values}

    def write(self, rows, *, actor):
        stored = self.existing([self.key_of(r) for r in rows])
        created, updated, changes = 0, 0, []
        for row in rows:
            obj = stored.get(self.key_of(row))
            before = None if obj is None else audit.snapshot(obj)
            obj = obj or self.model()
            for field, value in self.field_values(row).items():
                if value is None and not self.model._meta.get_field(field.removesuffix("_id")).null:
                    value = ""
                setattr(obj, field, value)
            obj.full_clean(exclude=["links"] if self.many_links else None)
            obj.save()
            if self.many_links and "link_ids" in row:
                obj.links.set(row["link_ids"])
            after = audit.snapshot(obj)
            if before is None:
                created += 1
                changes.append((AuditAction.CREATE, obj, None, after))
            elif before != after or self.many_links:
                updated += 1
                changes.append((AuditAction.UPDATE, obj, before, after))
        audit.record_many(actor=actor, changes=changes, note=_("%(l)s导入") % {"l": self.label})
        from .services import refresh_scores

        refresh_scores()
        return created, updated

    def save_record(self, values, *, actor):
        self.write([values], actor=actor)
        return self.existing([self.key_of(values)])[self.key_of(values)]

    def export_objects(self, user):
        """The stored records on links (and of enterprises) the user may see."""
        self.lookup = LinkLookup()
        return self.stored().visible_to(user).order_by("pk")


class PlatformDataset(FusionDataset):
    list_url = "fusion:platforms"
    name = "platforms"
    label = gettext_lazy("创新平台")
    unit = gettext_lazy("个")
    model = Platform
    key = ("name",)
    many_links = "links"
    fields = ("name", "kind", "level", "host", "enterprise_id", "rd_spend_wan", "source")
    columns = (
        Column(
            "name",
            "名称",
            gettext_lazy("平台名称；已存在则更新"),
            required=True,
            max_length=100,
            example="衢州氟硅新材料研究院",
        ),
        Column(
            "kind",
            "类型",
            gettext_lazy("平台类型"),
            kind="choice",
            required=True,
            choices=_choices(PlatformKind),
        ),
        Column(
            "level",
            "级别",
            gettext_lazy("认定级别；不填按市级计分"),
            kind="choice",
            choices=_choices(PlatformLevel),
        ),
        _link("links", "服务环节", required=False, many=True),
        Column(
            "host",
            "依托单位",
            gettext_lazy("依托的高校、院所或企业"),
            max_length=100,
            example="浙江大学衢州研究院",
        ),
        Column(
            "uscc",
            "依托企业统一社会信用代码",
            gettext_lazy("依托企业（可空）"),
            kind="uscc",
            allowed=USCC_HINT,
            example="",
        ),
        Column(
            "rd_spend_wan",
            "年研发投入（万元）",
            gettext_lazy("最近年度研发投入"),
            kind="amount",
            unit=gettext_lazy("万元"),
        ),
        Column("source", "来源", gettext_lazy("真实数据的出处"), example=""),
    )

    def lookup_key(self, obj):
        return (obj.name,)

    def stored(self):
        return Platform.objects.select_related("enterprise").prefetch_related("links")

    def export_values(self, obj):
        return {
            **{
                f: getattr(obj, f)
                for f in ("name", "kind", "level", "host", "rd_spend_wan", "source")
            },
            "links": self.lookup.join(link.pk for link in obj.links.all()),
            "uscc": obj.enterprise.uscc if obj.enterprise_id else None,
        }


class TalentDemandDataset(FusionDataset):
    name = "talent-demand"
    label = gettext_lazy("人才需求")
    unit = gettext_lazy("条")
    model = TalentDemand
    key = ("link", "uscc", "position", "level", "year")
    link_fields = ("link",)
    fields = ("link_id", "enterprise_id", "position", "count", "level", "year")
    columns = (
        _link(),
        Column(
            "uscc",
            "企业统一社会信用代码",
            gettext_lazy("提出需求的企业（可空）"),
            kind="uscc",
            allowed=USCC_HINT,
            example="",
        ),
        Column(
            "position",
            "岗位",
            gettext_lazy("岗位名称"),
            required=True,
            max_length=60,
            example="高分子材料工程师",
        ),
        Column(
            "count",
            "人数",
            gettext_lazy("需求人数"),
            kind="int",
            required=True,
            unit=gettext_lazy("人"),
            example=5,
        ),
        Column(
            "level",
            "层次",
            gettext_lazy("学历或技能层次"),
            kind="choice",
            required=True,
            choices=_choices(TalentLevel),
        ),
        Column("year", "年份", gettext_lazy("需求年份"), kind="year", required=True),
    )

    def lookup_key(self, obj):
        return (
            self.lookup.label(obj.link_id),
            obj.enterprise.uscc if obj.enterprise_id else None,
            obj.position,
            obj.level,
            obj.year,
        )

    def stored(self):
        return TalentDemand.objects.select_related("enterprise")

    def export_values(self, obj):
        link, uscc, position, level, year = self.lookup_key(obj)
        return {
            "link": link,
            "uscc": uscc,
            "position": position,
            "count": obj.count,
            "level": level,
            "year": year,
        }


class TalentSupplyDataset(FusionDataset):
    name = "talent-supply"
    label = gettext_lazy("人才供给")
    unit = gettext_lazy("条")
    model = TalentSupply
    key = ("link", "kind", "source_name", "level", "year")
    link_fields = ("link",)
    fields = ("link_id", "kind", "source_name", "count", "level", "year")
    columns = (
        _link(),
        Column(
            "kind",
            "来源类型",
            gettext_lazy("人才从哪里来"),
            kind="choice",
            required=True,
            choices=_choices(TalentSupplyKind),
        ),
        Column(
            "source_name",
            "来源",
            gettext_lazy("如 某高校·某专业"),
            required=True,
            max_length=100,
            example="衢州学院·化学工程与工艺",
        ),
        Column(
            "count",
            "人数",
            gettext_lazy("可供给人数"),
            kind="int",
            required=True,
            unit=gettext_lazy("人"),
            example=40,
        ),
        Column(
            "level",
            "层次",
            gettext_lazy("学历或技能层次"),
            kind="choice",
            required=True,
            choices=_choices(TalentLevel),
        ),
        Column("year", "年份", gettext_lazy("年份"), kind="year", required=True),
    )

    def lookup_key(self, obj):
        return (self.lookup.label(obj.link_id), obj.kind, obj.source_name, obj.level, obj.year)

    def export_values(self, obj):
        link, kind, source, level, year = self.lookup_key(obj)
        return {
            "link": link,
            "kind": kind,
            "source_name": source,
            "count": obj.count,
            "level": level,
            "year": year,
        }


class FundDataset(FusionDataset):
    name = "funds"
    label = gettext_lazy("产业基金")
    unit = gettext_lazy("支")
    model = Fund
    key = ("name",)
    many_links = "links"
    fields = ("name", "size_wan", "manager", "founded_year")
    columns = (
        Column(
            "name",
            "基金名称",
            gettext_lazy("基金名称；已存在则更新"),
            required=True,
            max_length=100,
            example="衢州新材料产业基金",
        ),
        Column(
            "size_wan",
            "规模（万元）",
            gettext_lazy("认缴规模"),
            kind="amount",
            required=True,
            unit=gettext_lazy("万元"),
            example=200000,
        ),
        Column("manager", "管理人", gettext_lazy("基金管理人"), max_length=100, example=""),
        _link("links", "投资环节", required=False, many=True),
        Column("founded_year", "设立年份", gettext_lazy("设立年份"), kind="year"),
    )

    def lookup_key(self, obj):
        return (obj.name,)

    def stored(self):
        return Fund.objects.prefetch_related("links")

    def export_values(self, obj):
        return {
            **{f: getattr(obj, f) for f in ("name", "size_wan", "manager", "founded_year")},
            "links": self.lookup.join(link.pk for link in obj.links.all()),
        }


class FinancingDataset(FusionDataset):
    name = "financing"
    label = gettext_lazy("融资事件")
    unit = gettext_lazy("笔")
    model = FinancingEvent
    key = ("uscc", "kind", "date")
    link_fields = ("link",)
    fields = ("enterprise_id", "link_id", "kind", "amount_wan", "date", "fund_id")
    columns = (
        Column(
            "uscc",
            "企业统一社会信用代码",
            gettext_lazy("融资企业"),
            kind="uscc",
            required=True,
            allowed=USCC_HINT,
            example="91330825MA2B4QXC5D",
        ),
        _link(required=False),
        Column(
            "kind",
            "类型",
            gettext_lazy("融资类型"),
            kind="choice",
            required=True,
            choices=_choices(FinancingKind),
        ),
        Column(
            "amount_wan",
            "金额（万元）",
            gettext_lazy("融资金额"),
            kind="amount",
            required=True,
            unit=gettext_lazy("万元"),
            example=3000,
        ),
        Column("date", "日期", gettext_lazy("到账或公告日期"), kind="date", required=True),
        Column(
            "fund",
            "出资基金",
            gettext_lazy("出资的产业基金名称（可空），须已在基金库中"),
            example="",
        ),
    )

    def prepare(self, rows):
        super().prepare(rows)
        self.funds = dict(Fund.objects.values_list("name", "id"))

    def resolve(self, values, problem):
        super().resolve(values, problem)
        if values.get("fund") and values["fund"] not in self.funds:
            problem("fund", _("基金库中没有“%(f)s”") % {"f": values["fund"]})
        values["fund_id"] = self.funds.get(values.get("fund"))

    def lookup_key(self, obj):
        return (obj.enterprise.uscc, obj.kind, obj.date)

    def stored(self):
        return FinancingEvent.objects.select_related("enterprise", "fund")

    def export_values(self, obj):
        return {
            "uscc": obj.enterprise.uscc,
            "link": self.lookup.label(obj.link_id) or None,
            "kind": obj.kind,
            "amount_wan": obj.amount_wan,
            "date": obj.date,
            "fund": obj.fund.name if obj.fund_id else None,
        }


class PeerOutputDataset(FusionDataset):
    name = "peer-outputs"
    label = gettext_lazy("对标城市环节产值")
    unit = gettext_lazy("条")
    model = PeerLinkOutput
    key = ("region", "link", "year")
    link_fields = ("link",)
    fields = ("region_id", "link_id", "year", "output_wan")
    columns = (
        Column(
            "region",
            "城市",
            gettext_lazy("省内设区市"),
            required=True,
            allowed=gettext_lazy("城市名称或行政区划代码，如 宁波市 或 330200"),
            example="宁波市",
        ),
        _link(),
        Column("year", "年份", gettext_lazy("统计年份"), kind="year", required=True),
        Column(
            "output_wan",
            "产值（万元）",
            gettext_lazy("该市该环节的产值"),
            kind="amount",
            required=True,
            unit=gettext_lazy("万元"),
            example=1250000,
        ),
    )

    def prepare(self, rows):
        super().prepare(rows)
        self.cities = {}
        for code, name, short in Region.objects.filter(is_peer_city=True).values_list(
            "code", "name", "short_name"
        ):
            for key in (code, name, short):
                if key:
                    self.cities[key] = code

    def resolve(self, values, problem):
        super().resolve(values, problem)
        values["region_id"] = self.cities.get(values.get("region"))
        if values.get("region") and values["region_id"] is None:
            problem("region", _("“%(v)s”不是省内对标城市") % {"v": values["region"]})

    def lookup_key(self, obj):
        return (obj.region.name, self.lookup.label(obj.link_id), obj.year)

    def key_of(self, values):
        names = getattr(self, "_city_names", None)
        if names is None:
            names = self._city_names = dict(Region.objects.values_list("code", "name"))
        region = names.get(values.get("region_id"), values.get("region"))
        return (region, *super().key_of(values)[1:])

    def stored(self):
        return PeerLinkOutput.objects.select_related("region")

    def export_values(self, obj):
        region, link, year = self.lookup_key(obj)
        return {"region": region, "link": link, "year": year, "output_wan": obj.output_wan}


DATASETS = (
    PlatformDataset(),
    TalentDemandDataset(),
    TalentSupplyDataset(),
    FundDataset(),
    FinancingDataset(),
    PeerOutputDataset(),
)


def register() -> None:
    """Called by FusionConfig.ready()."""
    from wulian.core.datasets import register as add

    for dataset in DATASETS:
        add(dataset)
