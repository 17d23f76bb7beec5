"""政策体系 pages: catalogue, policy with matches and 潜在对象, the form that reads as
sentences, 兑现清单, payouts with their steps, statistics. Views parse and call services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.choices import Role
from wulian.core.permissions import RoleRequiredMixin, is_enterprise_user
from wulian.core.workdays import WorkdayCalendar
from wulian.enterprises.models import Enterprise

from . import services, stats, workflow
from .choices import BatchStatus, Mode, PayoutAction, Stage
from .conditions import field_catalogue, sentence
from .deadlines import clock_for
from .filtersets import PayoutFilterSet, PolicyFilterSet, PolicyMatchFilterSet
from .forms import ApplyForm, PolicyForm, StepForm
from .matching import explain, rule_text
from .models import Payout, PayoutBatch, Policy, PolicyMatch
from .permissions import (
    CATALOGUE_ROLES,
    EDIT_ROLES,
    PAYOUT_ROLES,
    STATS_ROLES,
    can_issue_policies,
    enterprise_ids_of,
    handles,
)

PAGE_SIZE = 30


def _page(request, queryset, size=PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _clocks(payouts):
    cal, now = WorkdayCalendar(), timezone.now()
    for p in payouts:
        p.clock = clock_for(p, cal, now)
    return payouts


def _decorate(policies):
    stage_labels = dict(Stage.choices)
    for p in policies:
        p.stage_labels = [stage_labels.get(s, s) for s in p.stages]
        p.condition_texts = [sentence(c) for c in p.conditions]
        p.amount_text = rule_text(p.amount_rule)
    return policies


class PolicyListView(RoleRequiredMixin, View):
    """The catalogue; an enterprise sees first the policies its enterprise qualifies for."""

    allowed_roles = CATALOGUE_ROLES

    def get(self, request):
        base = (
            Policy.objects.visible_to(request.user)
            .select_related("issuer")
            .prefetch_related("chains")
        )
        filterset = PolicyFilterSet(request.GET, queryset=base, request=request)
        page, query = _page(request, filterset.qs.order_by("-issued_on", "-id"))
        _decorate(page.object_list)
        mine = []
        if is_enterprise_user(request.user):
            mine = _decorate(list(base.matched_for(request.user).order_by("-issued_on")))
        context = {
            "page": page,
            "query": query,
            "filter": filterset,
            "mine": mine,
            "is_enterprise": is_enterprise_user(request.user),
            "can_create": can_issue_policies(request.user),
            "modes": Mode.choices,
            "stages": Stage.choices,
        }
        return render(request, "policies/list.html", context)


class PolicyDetailView(RoleRequiredMixin, View):
    """One policy: its conditions as sentences, who qualifies and why, near misses, its
    兑现清单 and payouts (government); the enterprise's own match and payout (enterprise)."""

    allowed_roles = CATALOGUE_ROLES

    def get(self, request, pk):
        policy = get_object_or_404(
            Policy.objects.visible_to(request.user).select_related("issuer"), pk=pk
        )
        _decorate([policy])
        user = request.user
        matches = PolicyMatch.objects.visible_to(user).filter(policy=policy)
        context = {"policy": policy, "is_enterprise": is_enterprise_user(user)}
        cache: dict = {}
        if is_enterprise_user(user):
            context["my_matches"] = list(matches.filter(is_near=False).select_related("enterprise"))
            for m in context["my_matches"]:
                m.explained = explain(policy, m.reasons, cache)
            context["my_payouts"] = _clocks(
                list(
                    Payout.objects.visible_to(user)
                    .filter(policy=policy)
                    .select_related("enterprise")
                )
            )
            applied = {p.enterprise_id for p in context["my_payouts"]}
            context["can_apply"] = (
                [
                    e
                    for e in Enterprise.objects.filter(pk__in=enterprise_ids_of(user))
                    if e.pk not in applied
                ]
                if policy.mode == Mode.APPLICATION and policy.is_active
                else []
            )
            context["apply_form"] = ApplyForm(policy=policy)
            return render(request, "policies/detail.html", context)
        near = request.GET.get("near") == "1"
        qs = PolicyMatchFilterSet(
            request.GET, queryset=matches.filter(is_near=near), request=request
        ).qs
        page, query = _page(
            request,
            qs.select_related("enterprise", "enterprise__region").order_by(
                "-amount_wan", "enterprise_id"
            ),
        )
        for m in page.object_list:
            m.explained = explain(policy, m.reasons, cache)
        context.update(
            near=near,
            page=page,
            query=query,
            counts={
                "matched": matches.filter(is_near=False).count(),
                "near": matches.filter(is_near=True).count(),
            },
            handles=handles(user, policy),
            batches=policy.batches.annotate(
                lines=Count("payouts", filter=~Q(payouts__status="removed")),
                amount=Sum("payouts__amount_wan", filter=~Q(payouts__status="removed")),
            ),
            payout_stats=stats.stats(
                "policy",
                payouts=Payout.objects.visible_to(user).filter(policy=policy),
                matches=matches,
            ),
        )
        template = "policies/partials/matches.html" if request.htmx else "policies/detail.html"
        return render(request, template, context)


class PolicyFormView(RoleRequiredMixin, View):
    """Create or change a policy; conditions are edited as sentences (field · operator · value)."""

    allowed_roles = EDIT_ROLES

    def _policy(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(Policy.objects.editable_by(request.user), pk=pk)

    def _render(self, request, form, policy):
        return render(
            request,
            "policies/form.html",
            {"form": form, "policy": policy, "fields_catalogue": field_catalogue()},
        )

    def get(self, request, pk=None):
        policy = self._policy(request, pk)
        initial = (
            PolicyForm.initial_for(policy)
            if policy
            else {
                "issuer": getattr(request.user.department, "code", None),
                "conditions": "[]",
                "mode": Mode.NO_APPLICATION,
            }
        )
        return self._render(request, PolicyForm(initial=initial, user=request.user), policy)

    def post(self, request, pk=None):
        policy = self._policy(request, pk)
        form = PolicyForm(request.POST, user=request.user)
        if form.is_valid():
            values, chains = form.values()
            try:
                if policy is None:
                    policy = services.create_policy(
                        actor=request.user, values=values, chains=chains
                    )
                else:
                    policy = services.update_policy(
                        actor=request.user, policy=policy, values=values, chains=chains
                    )
            except ValidationError as exc:
                for key, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    target = key if key in form.fields else None
                    if key == "amount_rule":
                        target = "amount_kind"
                    for error in errors:
                        form.add_error(target, error)
            else:
                messages.success(
                    request,
                    _("已保存。符合条件企业 %(m)d 家，潜在对象 %(n)d 家。")
                    % {"m": policy.matched, "n": policy.near},
                )
                return redirect(policy)
        return self._render(request, form, policy)


class PolicyActionView(RoleRequiredMixin, View):
    """Department actions on a policy: re-match, generate a 兑现清单, delete."""

    allowed_roles = EDIT_ROLES

    def post(self, request, pk, action):
        policy = get_object_or_404(Policy.objects.visible_to(request.user), pk=pk)
        try:
            if action == "rematch":
                if not handles(request.user, policy):
                    raise PermissionDenied
                report = services.refresh_matches(policy=policy)
                messages.success(
                    request,
                    _("已重新匹配：符合条件 %(m)d 家，新增 %(n)d 家。")
                    % {"m": report.matched, "n": report.new},
                )
            elif action == "batch":
                batch = workflow.generate_batch(actor=request.user, policy=policy)
                messages.success(request, _("已生成兑现清单，请审核。"))
                return redirect(batch)
            elif action == "delete":
                services.delete_policy(actor=request.user, policy=policy)
                messages.success(request, _("已删除。"))
                return redirect("policies:list")
            else:
                raise PermissionDenied
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(policy)


class ApplyView(RoleRequiredMixin, View):
    """快申快享: the enterprise applies with the checklist."""

    allowed_roles = frozenset({Role.ENTERPRISE})

    def post(self, request, pk):
        policy = get_object_or_404(Policy.objects.visible_to(request.user), pk=pk)
        form = ApplyForm(request.POST, policy=policy)
        enterprise = get_object_or_404(
            Enterprise.objects.filter(pk__in=enterprise_ids_of(request.user)),
            pk=request.POST.get("enterprise"),
        )
        materials = request.POST.getlist("materials")
        form.is_valid()
        try:
            payout = workflow.apply_for_policy(
                actor=request.user,
                policy=policy,
                enterprise=enterprise,
                materials=materials,
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(policy)
        messages.success(
            request,
            _("申请已提交，部门将在 %(n)d 个工作日内完成兑现。") % {"n": policy.payout_workdays},
        )
        return redirect(payout)


class BatchView(RoleRequiredMixin, View):
    """A 兑现清单: its lines, removals with reasons, approval."""

    allowed_roles = STATS_ROLES

    def get(self, request, pk):
        visible = Payout.objects.visible_to(request.user)
        batch = get_object_or_404(
            PayoutBatch.objects.select_related("policy", "policy__issuer").filter(
                pk__in=visible.values("batch_id")
            ),
            pk=pk,
        )
        lines = visible.filter(batch=batch).for_list().order_by("status", "-amount_wan")
        page, query = _page(request, lines, 50)
        _clocks(page.object_list)
        totals = lines.exclude(status="removed").aggregate(n=Count("id"), s=Sum("amount_wan"))
        return render(
            request,
            "policies/batch.html",
            {
                "batch": batch,
                "page": page,
                "query": query,
                "totals": totals,
                "handles": handles(request.user, batch.policy),
                "draft": batch.status == BatchStatus.DRAFT,
            },
        )

    def post(self, request, pk):
        batch = get_object_or_404(PayoutBatch, pk=pk)
        try:
            workflow.approve_batch(actor=request.user, batch=batch)
            messages.success(request, _("兑现清单已审核通过。"))
        except (ValidationError, workflow.IllegalTransition) as exc:
            messages.error(request, str(getattr(exc, "messages", [exc])[0]))
        return redirect(batch)


class PayoutListView(RoleRequiredMixin, View):
    """政策兑现: every payout the user may see, overdue first when asked."""

    allowed_roles = PAYOUT_ROLES

    def get(self, request):
        base = Payout.objects.visible_to(request.user).for_list()
        filterset = PayoutFilterSet(request.GET, queryset=base, request=request)
        page, query = _page(request, filterset.qs.order_by("-started_at", "-id"))
        _clocks(page.object_list)
        return render(
            request,
            "policies/payouts.html",
            {
                "page": page,
                "query": query,
                "filter": filterset,
                "is_enterprise": is_enterprise_user(request.user),
            },
        )


class PayoutDetailView(RoleRequiredMixin, View):
    """One payout: its clock, materials, history and the steps the user may take."""

    allowed_roles = PAYOUT_ROLES

    def get(self, request, pk):
        payout = get_object_or_404(Payout.objects.visible_to(request.user).for_list(), pk=pk)
        _clocks([payout])
        actions = workflow.available_actions(payout, request.user)
        return render(
            request,
            "policies/payout.html",
            {
                "payout": payout,
                "events": payout.events.select_related("actor"),
                "actions": [(a, PayoutAction(a).label) for a in actions],
                "form": StepForm(materials=payout.policy.materials),
                "handles": handles(request.user, payout.policy),
            },
        )


class PayoutStepView(RoleRequiredMixin, View):
    """POST one step (approve, request_material, supply_material, reject, remove, pay)."""

    allowed_roles = PAYOUT_ROLES

    def post(self, request, pk, action):
        payout = get_object_or_404(
            Payout.objects.visible_to(request.user).select_related("policy"), pk=pk
        )
        if action == "link-request":
            try:
                workflow.link_service_request(
                    actor=request.user,
                    payout=payout,
                    request_id=int(request.POST.get("service_request") or 0),
                )
                messages.success(request, _("已关联企呼我应诉求。"))
            except (ValidationError, ValueError) as exc:
                messages.error(
                    request, "；".join(getattr(exc, "messages", [_("请填写诉求编号。")]))
                )
            return redirect(payout)
        if action not in PayoutAction.values:
            raise PermissionDenied
        form = StepForm(request.POST, materials=payout.policy.materials)
        if not form.is_valid():
            messages.error(request, _("输入有误：%(e)s") % {"e": form.errors.as_text()})
            return redirect(payout)
        data = form.cleaned_data
        try:
            workflow.transition(
                payout=payout,
                action=action,
                actor=request.user,
                reason=data["reason"],
                amount_wan=data["amount_wan"],
                paid_wan=data["paid_wan"],
                payment_ref=data["payment_ref"],
                materials=data["materials"] if action == PayoutAction.SUPPLY_MATERIAL else None,
            )
            messages.success(request, _("已%(a)s。") % {"a": PayoutAction(action).label})
        except (ValidationError, workflow.IllegalTransition) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        back = request.POST.get("next")
        if back and back.startswith("/policies/"):
            return redirect(back)
        return redirect(payout)


class StatsView(RoleRequiredMixin, View):
    """Statistics per policy, department, chain and county."""

    allowed_roles = STATS_ROLES

    def get(self, request):
        by = request.GET.get("by", "policy")
        if by not in stats.DIMENSIONS:
            by = "policy"
        rows = stats.stats(
            by,
            payouts=Payout.objects.visible_to(request.user),
            matches=PolicyMatch.objects.visible_to(request.user),
        )
        labels = {
            "policy": _("按政策"),
            "department": _("按部门"),
            "chain": _("按产业链"),
            "county": _("按区县"),
        }
        return render(
            request,
            "policies/stats.html",
            {
                "rows": rows,
                "by": by,
                "labels": labels,
                "overview": stats.overview(payouts=Payout.objects.visible_to(request.user)),
            },
        )
