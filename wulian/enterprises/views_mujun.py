"""亩均论英雄 pages: results by county and chain with each enterprise's why; settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.models import CITY_CODE, Region
from wulian.core.permissions import GOVERNMENT_ROLES, RoleRequiredMixin

from .choices import MujunGrade
from .forms import MujunSettingsForm
from .models import MujunResult, MujunSettings
from .mujun import (
    INDICATORS,
    ResultsByCounty,
    evaluate_mujun,
    explain,
    grade_counts,
    result_years,
    save_mujun_settings,
)
from .permissions import MUJUN_EDIT_ROLES, can_edit_mujun
from .profile import chain_choices


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class MujunView(RoleRequiredMixin, View):
    """Grades by county (chart and counts), then every enterprise's score and why."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request):
        years = result_years()
        year = _int(request.GET.get("year"), years[0] if years else None)
        region = request.GET.get("region") or ""
        chain = request.GET.get("chain") or ""
        grade = request.GET.get("grade") or ""
        base = MujunResult.objects.visible_to(request.user).for_filters(
            year=year, region=region, chain=chain
        )
        counts = grade_counts(year, base) if year else {}
        names = dict(Region.objects.values_list("code", "name"))
        chains = dict(chain_choices())
        grade = grade if grade in MujunGrade.values else ""
        order = dict(Region.objects.values_list("code", "sort"))
        sizes = [
            (code, per[grade] if grade else sum(per.values()))
            for code, per in sorted(counts.items(), key=lambda c: (order.get(c[0], 0), c[0]))
        ]
        rows = ResultsByCounty(
            base.for_filters(grade=grade or None).select_related("enterprise", "region"), sizes
        )
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        for result in page:
            result.why = explain(result)
            result.chain_name = chains.get(result.enterprise.chain_code, "")
        query = request.GET.copy()
        query.pop("page", None)
        totals = dict.fromkeys(MujunGrade.values, 0)
        for per in counts.values():
            for g, n in per.items():
                totals[g] += n
        context = {
            "years": years,
            "year": year,
            "region": region,
            "chain": chain,
            "grade": grade,
            "counties": list(
                Region.objects.filter(parent_id=CITY_CODE).values_list("code", "name")
            ),
            "chains": chain_choices(),
            "grades": MujunGrade.choices,
            "counts": [(names.get(code, code), per) for code, per in sorted(counts.items())],
            "totals": totals,
            "chart": {
                "counties": [names.get(code, code) for code in sorted(counts)],
                "series": {g: [counts[c][g] for c in sorted(counts)] for g in MujunGrade.values},
            },
            "page": page,
            "query": query.urlencode(),
            "settings": MujunSettings.current(),
            "indicators": INDICATORS,
            "can_edit": can_edit_mujun(request.user),
        }
        template = (
            "enterprises/partials/mujun_results.html" if request.htmx else "enterprises/mujun.html"
        )
        return render(request, template, context)

    def post(self, request):
        if not can_edit_mujun(request.user):
            return render(request, "403.html", status=403)
        year = _int(request.POST.get("year"))
        if year is None or not 2000 <= year <= 2100:
            messages.error(request, _("请填写有效的评价年度。"))
            return redirect("enterprises:mujun")
        counts = evaluate_mujun(actor=request.user, year=year)
        if sum(counts.values()):
            messages.success(
                request,
                _("%(y)d 年度评价完成：") % {"y": year}
                + "，".join(f"{g}类 {n} 家" for g, n in counts.items()),
            )
        else:
            messages.error(
                request,
                _("%(y)d 年没有可评价的企业（需规上工业、用地面积和足够的月报）。") % {"y": year},
            )
        return redirect(f"{request.path}?year={year}")


class MujunSettingsView(RoleRequiredMixin, View):
    """Weights, cap and how scores become grades; changing them is audited."""

    allowed_roles = MUJUN_EDIT_ROLES

    def get(self, request):
        form = MujunSettingsForm(instance=MujunSettings.current())
        return render(request, "enterprises/mujun_settings.html", {"form": form})

    def post(self, request):
        form = MujunSettingsForm(request.POST, instance=MujunSettings.current())
        if not form.is_valid():
            return render(request, "enterprises/mujun_settings.html", {"form": form}, status=400)
        save_mujun_settings(
            actor=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields}
        )
        messages.success(request, _("已保存。重新评价后按新设置计分。"))
        return redirect("enterprises:mujun")
