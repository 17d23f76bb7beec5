"""运行监测预警 pages: flags by county and chain with their evidence, and acting on them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.models import CITY_CODE, Region
from wulian.core.permissions import RoleRequiredMixin

from .choices import FlagStatus, WarningMetric
from .early_warning import can_act, dismiss_flag, plan_visit_for_flag
from .forms import DismissFlagForm, PlanVisitForm, WarningRuleForm
from .models import WarningFlag, WarningRule
from .permissions import VISIT_ROLES, can_edit_mujun
from .profile import chain_choices, flag_actions


def filtered_flags(request):
    """The user's flags narrowed by county, chain, metric and status (live by default)."""
    params = request.GET
    qs = WarningFlag.objects.visible_to(request.user).select_related(
        "enterprise", "region", "rule", "acted_by"
    )
    region = params.get("region")
    if region and region != CITY_CODE:
        qs = qs.filter(region_id=region)
    if params.get("chain"):
        qs = qs.filter(chain_code=params["chain"])
    if params.get("metric") in WarningMetric.values:
        qs = qs.filter(rule__metric=params["metric"])
    status = params.get("status", "live")
    if status == "live":
        qs = qs.live()
    elif status in FlagStatus.values:
        qs = qs.filter(status=status)
    return qs


class WarningListView(RoleRequiredMixin, View):
    """Flags by county and chain, each with the months that raised it and what was done."""

    allowed_roles = VISIT_ROLES

    def get(self, request):
        flags = filtered_flags(request)
        names = dict(Region.objects.values_list("code", "name"))
        chains = dict(chain_choices())
        # Counted on the flag's own copies of county and chain: no join to the registry.
        by_county = flags.values("region_id").annotate(n=Count("id")).order_by("-n")
        by_chain = flags.values("chain_code").annotate(n=Count("id")).order_by("-n")
        page = Paginator(flags.order_by("-month", "change_pct", "id"), 30).get_page(
            request.GET.get("page")
        )
        for flag in page:
            flag.chain_name = chains.get(flag.chain_code, "")
            flag.actionable = flag.status in (FlagStatus.OPEN, FlagStatus.VISIT)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "page": page,
            "query": query.urlencode(),
            "by_county": [(names.get(r["region_id"], "—"), r["n"]) for r in by_county],
            "by_chain": [
                (chains.get(r["chain_code"], _("其他规上工业")), r["n"]) for r in by_chain
            ],
            "counties": list(
                Region.objects.filter(parent_id=CITY_CODE).values_list("code", "name")
            ),
            "chains": chain_choices(),
            "metrics": WarningMetric.choices,
            "statuses": [("live", _("未消除")), *FlagStatus.choices, ("all", _("全部"))],
            "status": request.GET.get("status", "live"),
            "actions": flag_actions(),
            "today": timezone.localdate(),
            "can_edit_rules": can_edit_mujun(request.user),
        }
        return render(request, "enterprises/warnings.html", context)


class FlagActionView(RoleRequiredMixin, View):
    """POST: plan a visit for a flag, or dismiss it with a reason."""

    allowed_roles = VISIT_ROLES

    def post(self, request, pk, action):
        if action not in ("visit", "dismiss"):
            raise Http404
        flag = get_object_or_404(WarningFlag.objects.visible_to(request.user), pk=pk)
        if not can_act(request.user, flag):
            raise PermissionDenied
        form = (PlanVisitForm if action == "visit" else DismissFlagForm)(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _("请填写完整：")
                + "；".join(str(e) for errors in form.errors.values() for e in errors),
            )
            return redirect(request.POST.get("next") or reverse("enterprises:warnings"))
        try:
            if action == "visit":
                plan_visit_for_flag(
                    actor=request.user,
                    flag=flag,
                    planned_for=form.cleaned_data["planned_for"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("已安排走访，并记入该企业的走访记录。"))
            else:
                dismiss_flag(actor=request.user, flag=flag, reason=form.cleaned_data["reason"])
                messages.success(request, _("已核实排除。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(request.POST.get("next") or reverse("enterprises:warnings"))


class WarningRuleView(RoleRequiredMixin, View):
    """The rules (which figure, how far, over how many months); leaders and departments edit."""

    allowed_roles = VISIT_ROLES

    def get(self, request):
        return render(request, "enterprises/warning_rules.html", self._context(request))

    def post(self, request):
        from .early_warning import save_warning_rule

        if not can_edit_mujun(request.user):
            raise PermissionDenied
        rule = None
        if request.POST.get("rule"):
            rule = get_object_or_404(WarningRule, pk=request.POST["rule"])
        form = WarningRuleForm(request.POST, instance=rule)
        if not form.is_valid():
            context = self._context(request, form=form)
            return render(request, "enterprises/warning_rules.html", context, status=400)
        save_warning_rule(actor=request.user, rule=rule, **form.cleaned_data)
        messages.success(request, _("规则已保存，并已按新规则重新检查。"))
        return redirect("enterprises:warning-rules")

    def _context(self, request, form=None):
        return {
            "rules": WarningRule.objects.annotate(n=Count("flags")).order_by("metric", "id"),
            "form": form or WarningRuleForm(),
            "can_edit": can_edit_mujun(request.user),
        }
