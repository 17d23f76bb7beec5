"""Indicator pages: catalogue with latest values, detail, province ranking, common prosperity,
import and xlsx export of every view (``?format=xlsx``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.exports import XlsxWorkbook, stamp
from wulian.core.forms import ImportUploadForm
from wulian.core.imports import commit_import, preview_from_request
from wulian.core.models import CITY_CODE, ImportJob, Region
from wulian.core.permissions import RoleRequiredMixin

from . import calc, services
from .choices import Category, RankBasis
from .filtersets import IndicatorFilterSet
from .forms import TargetForm
from .importing import import_observations
from .models import Indicator, Target
from .periods import Period, PeriodError
from .permissions import EDIT_ROLES, READ_ROLES, can_edit, checked_region
from .querysets import visible_region_filter
from .ranking import basis_label, change_label
from .validation import stored_warnings


def xlsx_response(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    """Any table of a page as an xlsx download."""
    workbook = XlsxWorkbook()
    sheet = workbook.sheet(name, header=header)
    for row in rows:
        sheet.append(row)
    return workbook.response(f"indicators-{stamp()}.xlsx")


def _flags(p) -> str:
    if p is None:
        return ""
    parts = []
    if p.is_synthetic:
        parts.append(_("合成"))
    if p.is_preliminary:
        parts.append(_("预计"))
    if p.is_revised:
        parts.append(_("修订"))
    if p.computed:
        parts.append(_("公式"))
    return "、".join(parts) or _("公开数据")


def _region_choices(user) -> list[tuple[str, str]]:
    """The city and the counties the user may pick (one query)."""
    regions = Region.objects.filter(code=CITY_CODE) | Region.objects.filter(parent_id=CITY_CODE)
    return [
        (r.code, r.name)
        for r in regions.order_by("sort")
        if r.code == CITY_CODE or visible_region_filter(user) is None or r.code == user.region_id
    ]


class IndicatorListView(RoleRequiredMixin, View):
    """The catalogue, grouped by category: latest value, YoY, target progress, rank grade."""

    allowed_roles = READ_ROLES

    def get(self, request):
        region = checked_region(request.user, request.GET.get("region"))
        filterset = IndicatorFilterSet(
            request.GET or None,
            queryset=Indicator.objects.select_related("numerator", "denominator"),
        )
        indicators = (
            filterset.qs if filterset.is_bound and filterset.is_valid() else (filterset.queryset)
        )
        rows = services.overview(indicators, region)
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                _("指标"),
                [
                    "指标代码",
                    "指标名称",
                    "单位",
                    "最新期间",
                    "最新值",
                    "同比变化",
                    "目标完成（%）",
                    "全省位次",
                    "等次",
                    "数据性质",
                    "来源",
                ],
                [
                    [
                        r["indicator"].code,
                        r["indicator"].name,
                        r["indicator"].unit,
                        r["latest"].period_label if r["latest"] else "",
                        r["latest"].display if r["latest"] else "",
                        r["change"].text() if r["change"] else "",
                        round(float(r["progress"]["progress_pct"]), 2)
                        if r["progress"] and r["progress"]["progress_pct"] is not None
                        else None,
                        r["rank_level"].rank if r["rank_level"] else None,
                        (
                            r["rank_level"].grade_label
                            + ("（示意）" if r["rank_level"].rank_synthetic else "")
                        )
                        if r["rank_level"]
                        else "",
                        _flags(r["latest"]),
                        r["latest"].source if r["latest"] else "",
                    ]
                    for r in rows
                ],
            )
        groups: dict[str, list] = {}
        labels = dict(Category.choices)
        for row in rows:
            groups.setdefault(labels[row["indicator"].category], []).append(row)
        query = request.GET.copy()
        query.pop("format", None)
        context = {
            "groups": groups,
            "filterset": filterset,
            "region": region,
            "regions": _region_choices(request.user),
            "categories": Category.choices,
            "query": query.urlencode(),
            "can_edit": can_edit(request.user),
        }
        template = "indicators/partials/list_table.html" if request.htmx else "indicators/list.html"
        return render(request, template, context)


def _period_param(value):
    if not value:
        return None
    try:
        return Period.parse(value).id
    except PeriodError:
        return None


class IndicatorDetailView(RoleRequiredMixin, View):
    """One indicator: trend, every value with its source and flags, targets, CAGR between
    any two years, the province ranking and data-quality warnings."""

    allowed_roles = READ_ROLES

    def get(self, request, code):
        indicator = get_object_or_404(
            Indicator.objects.select_related("numerator", "denominator", "part_of", "department"),
            code=code,
        )
        region = checked_region(request.user, request.GET.get("region"))
        start = _period_param(request.GET.get("from"))
        end = _period_param(request.GET.get("to"))
        result = services.summary(indicator, region, start, end)
        pts = services.series(indicator, region)
        history = {p.key: p for p in pts}
        table = [(p, services.change_for(indicator, p, history)) for p in reversed(pts)]
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                indicator.name[:30],
                [
                    "期间",
                    "数值",
                    f"单位：{indicator.unit}",
                    "同比变化",
                    "数据性质",
                    "来源",
                    "备注",
                ],
                [
                    [
                        p.period_label,
                        float(p.value),
                        p.display,
                        change.text() if change else "",
                        _flags(p) + ("（同比含合成数据）" if change and change.synthetic else ""),
                        p.source,
                        p.note,
                    ]
                    for p, change in table
                ],
            )
        rank_period = result["rank_period"]
        rankings = []
        if rank_period:
            rankings = [services.rank_table(indicator, rank_period, basis) for basis in RankBasis]
        annual = [p for p in pts if Period.parse(p.period).kind == "year"]
        chart = {
            "periods": [p.period_label for p in annual],
            "values": [round(float(p.value), 2) for p in annual],
            "synthetic": [p.is_synthetic for p in annual],
        }
        monthly = [p for p in pts if p.cumulative]
        years = sorted({Period.parse(p.period).year for p in annual})
        context = {
            "indicator": indicator,
            "region": region,
            "regions": _region_choices(request.user),
            "summary": result,
            "table": table,
            "rankings": rankings,
            "change_label": change_label(indicator),
            "grows_in_pct": indicator.kind in calc.GROWTH_KINDS,
            "rank_period": rank_period,
            "targets": Target.objects.filter(indicator=indicator, region_id=region),
            "warnings": stored_warnings(indicator),
            "chart_json": chart,
            "monthly_json": {
                "periods": [p.period_label for p in monthly],
                "values": [round(float(p.value), 2) for p in monthly],
            },
            "years": years,
            "can_edit": can_edit(request.user),
            "target_form": TargetForm(),
            "start": start,
            "end": end,
        }
        return render(request, "indicators/detail.html", context)


class RankingPageView(RoleRequiredMixin, View):
    """保五争三拼第一: the eleven cities for any indicator and period, by level or growth."""

    allowed_roles = READ_ROLES

    def get(self, request):
        indicators = list(Indicator.objects.select_related("numerator", "denominator"))
        code = request.GET.get("indicator") or "gdp"
        indicator = next((i for i in indicators if i.code == code), None)
        if indicator is None:
            raise Http404(_("未知指标"))
        period = _period_param(request.GET.get("period")) or "2024"
        basis = request.GET.get("basis") or RankBasis.LEVEL
        if basis not in RankBasis.values:
            basis = RankBasis.LEVEL
        table = services.rank_table(indicator, period, basis)
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                _("全省排名"),
                [
                    "位次",
                    "并列",
                    "城市",
                    f"数值（{indicator.unit}）",
                    f"同比{change_label(indicator)}",
                    "等次",
                    "上期位次",
                    "数值性质",
                    "位次性质",
                ],
                [
                    [
                        r.rank,
                        "并列" if r.tied else "",
                        r.region_name,
                        float(r.value) if r.value is not None else None,
                        r.change.text(calc.RANK_PLACES) if r.change else "",
                        r.grade_label,
                        r.previous_rank,
                        _("合成") if r.value_synthetic else _("公开数据"),
                        _("示意（比较对象含合成数据）") if r.rank_synthetic else "",
                    ]
                    for r in table.rows
                ],
            )
        query = request.GET.copy()
        query.pop("format", None)
        context = {
            "indicators": indicators,
            "indicator": indicator,
            "period": period,
            "basis": basis,
            "bases": [(b, basis_label(indicator, b)) for b in RankBasis.values],
            "table": table,
            "query": query.urlencode(),
            "change_label": change_label(indicator),
            "chart_json": _ranking_chart(table),
        }
        template = (
            "indicators/partials/ranking_table.html"
            if request.htmx
            else ("indicators/ranking.html")
        )
        return render(request, template, context)


def _ranking_chart(table) -> dict:
    """The ranked cities in rank order for the bar chart (value or change, as ranked)."""
    ranked = [r for r in table.rows if r.rank]
    growth = table.basis == RankBasis.GROWTH
    return {
        "names": [r.region_name for r in ranked],
        "values": [round(float(r.change.value if growth else r.value), 2) for r in ranked],
        "self": [r.region == CITY_CODE for r in ranked],
        "synthetic": table.is_synthetic,
    }


class ProsperityView(RoleRequiredMixin, View):
    """缩小“三大差距”: urban–rural, regional and income gaps, 共富搬迁, 城镇化率."""

    allowed_roles = READ_ROLES
    CODES = (
        "income_ratio",
        "income_ratio_calc",
        "regional_gap",
        "income_gap",
        "urbanization",
        "income_growth_rank",
        "urbanization_growth_rank",
        "relocation_people",
        "relocation_villages",
        "worker_citizenization",
        "workers_settled",
    )

    def get(self, request):
        indicators = Indicator.objects.filter(code__in=self.CODES).select_related(
            "numerator", "denominator"
        )
        rows = services.overview(indicators, CITY_CODE)
        by_code = {r["indicator"].code: r for r in rows}
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                _("共同富裕"),
                ["指标", "期间", "数值", "单位", "数据性质", "来源"],
                [
                    [
                        r["indicator"].name,
                        r["latest"].period_label,
                        r["latest"].display,
                        r["indicator"].unit,
                        _flags(r["latest"]),
                        r["latest"].source,
                    ]
                    for r in rows
                    if r["latest"]
                ],
            )
        ratio = by_code.get("income_ratio")
        trend = []
        if ratio:
            trend = services.series(ratio["indicator"], CITY_CODE)
        counties = []
        urban = Indicator.objects.filter(code="urban_income").first()
        rural = Indicator.objects.filter(code="rural_income").first()
        if urban and rural:
            county_codes = dict(
                Region.objects.filter(parent_id=CITY_CODE).values_list("code", "name")
            )
            data = services.DataSet(regions=county_codes)
            for code, name in county_codes.items():
                u = services.latest_point(urban, code, data=data)
                r = services.latest_point(rural, code, data=data)
                if u and r:
                    counties.append(
                        {"name": name, "urban": u, "rural": r, "ratio": u.value / r.value}
                    )
        context = {
            "rows": by_code,
            "trend_json": {
                "periods": [p.period_label for p in trend],
                "values": [round(float(p.value), 2) for p in trend],
                "synthetic": [p.is_synthetic for p in trend],
            },
            "counties": counties,
        }
        return render(request, "indicators/prosperity.html", context)


class ImportView(RoleRequiredMixin, View):
    """Upload a statistics table (indicator rows × period columns, or long format)."""

    allowed_roles = EDIT_ROLES

    def get(self, request):
        if request.GET.get("template"):
            indicators = Indicator.objects.filter(numerator__isnull=True).order_by("sort")
            return xlsx_response(
                _("统计表模板"),
                ["指标", "区划", "来源", "2023年", "2024年", "2025年1-10月"],
                [[i.name, "衢州市", "", None, None, None] for i in indicators],
            )
        return render(request, "indicators/import.html", {"form": ImportUploadForm()})

    def post(self, request):
        context = preview_from_request(request, kind="indicators", runner=import_observations)
        error = context["error"]
        template = (
            "indicators/partials/import_preview.html" if request.htmx else "indicators/import.html"
        )
        status = 400 if error and not request.htmx else 200
        return render(request, template, context, status=status)


class ImportCommitView(RoleRequiredMixin, View):
    """Confirm a previewed import: every value is written, or none."""

    allowed_roles = EDIT_ROLES

    def post(self, request, job_id):
        job = get_object_or_404(ImportJob, pk=job_id, kind="indicators")
        try:
            report = commit_import(actor=request.user, job=job, runner=import_observations)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("indicators:import")
        if report.ok:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 条，更新 %(u)d 条。")
                % {"c": report.created, "u": report.updated},
            )
            return redirect("indicators:list")
        context = {"form": ImportUploadForm(), "job": None, "report": report, "error": None}
        return render(request, "indicators/import.html", context, status=400)


class TargetSetView(RoleRequiredMixin, View):
    """Set or change a target from the indicator's page (leaders and departments)."""

    allowed_roles = EDIT_ROLES

    def post(self, request, code):
        indicator = get_object_or_404(Indicator, code=code)
        region = checked_region(request.user, request.POST.get("region"))
        form = TargetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.set_target(
                actor=request.user,
                indicator=indicator,
                period=data["period"],
                value=data["value"],
                region=region,
                kind=data["kind"],
                base_period=data["base_period"],
                source=_("由%(u)s设定") % {"u": request.user},
                is_synthetic=False,
            )
            messages.success(request, _("目标已保存。"))
        else:
            errors = "；".join(
                f"{form.fields[name].label}：{'，'.join(errs)}"
                for name, errs in form.errors.items()
            )
            messages.error(request, _("目标未保存：%(e)s") % {"e": errors})
        return redirect(f"{indicator.get_absolute_url()}?region={region}")
