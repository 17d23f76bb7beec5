"""企呼我应 pages: my requests, inbox, dispatch board, rules, detail with steps, stats, export."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.choices import Role
from wulian.core.exports import XlsxWorkbook, stamp
from wulian.core.models import Department
from wulian.core.permissions import ALL_ROLES, RoleRequiredMixin

from . import services, stats
from .choices import Action, Dimension, Escalation, RequestStatus
from .deadlines import CLOCK_STATUSES, ServiceCalendar, clock_for
from .filtersets import ServiceRequestFilterSet
from .forms import FileRequestForm, MaterialForm, RoutingRuleForm, StepForm
from .models import RoutingRule, ServiceAttachment, ServiceRequest
from .permissions import (
    BOARD_ROLES,
    GOV_ROLES,
    STATS_ROLES,
    is_dispatcher,
    is_requester,
    sees_city_stats,
    sees_every_request,
    sees_stats,
    stats_scope,
)
from .workflow import IllegalTransition, available_actions, dispatch, transition

PAGE_SIZE = 50


def _with_clocks(requests, cal=None):
    cal = cal or ServiceCalendar()
    now = timezone.now()
    prefix = reverse("service:detail", args=[0])[: -len("0/")]
    for obj in requests:
        obj.clock = clock_for(obj, cal, now)
        obj.detail_url = f"{prefix}{obj.pk}/"
    return requests


def _page(request, queryset):
    """One page of `queryset` (ordered), fetched in two steps.

    First the page's ids alone (the ordering then runs on an index, without joins), then
    those rows with their related names. At 100,000 requests this is what keeps the inbox
    fast: sorting the joined rows cost ~20 times more (bench/service.py).
    """
    page = Paginator(queryset.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = list(page.object_list)
    rows = (
        ServiceRequest.objects.filter(pk__in=ids)
        .for_list()
        .defer("description", "answer", "rating_comment")
        .in_bulk()
    )
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    _with_clocks(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


class ServiceHomeView(RoleRequiredMixin, View):
    """Sends each role to its own page of the loop."""

    allowed_roles = ALL_ROLES

    def get(self, request):
        user = request.user
        if is_requester(user):
            return redirect("service:mine")
        if is_dispatcher(user):
            return redirect("service:board")
        if sees_every_request(user):
            return redirect("service:overview")
        return redirect("service:inbox")


class MyRequestsView(RoleRequiredMixin, View):
    """The enterprise's own requests, and the form to file a new one."""

    allowed_roles = frozenset({Role.ENTERPRISE})

    def _render(self, request, form, status=200):
        qs = (
            ServiceRequest.objects.visible_to(request.user)
            .for_list()
            .order_by("-submitted_at", "-id")
        )
        page, query = _page(request, qs)
        context = {"form": form, "page": page, "query": query, "once": uuid.uuid4().hex}
        return render(request, "service/mine.html", context, status=status)

    def get(self, request):
        return self._render(request, FileRequestForm())

    def post(self, request):
        token = request.POST.get("once", "")[:40]
        filed = request.session.get("filed_once", {})
        if token and token in filed:
            # the same form sent twice (a double click, a resent page): one request, shown again
            text = _("该诉求已提交（#%(id)d），未重复提交。") % {"id": filed[token]}
            messages.info(request, text)
            return redirect(get_object_or_404(ServiceRequest, pk=filed[token]))
        form = FileRequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("photos", "files")}
            files = request.FILES.getlist("photos") + request.FILES.getlist("files")
            try:
                obj = services.submit_request(actor=request.user, files=files, **data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if token:
                    filed = dict(list(filed.items())[-19:]) | {token: obj.pk}
                    request.session["filed_once"] = filed
                messages.success(request, _("诉求已提交，编号 #%(id)d。") % {"id": obj.pk})
                return redirect(obj)
        return self._render(request, form, status=400)


def filtered_requests(request):
    base = ServiceRequest.objects.visible_to(request.user)
    filterset = ServiceRequestFilterSet(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, qs


def _escalation_notice(user):
    """What has escalated to this user's level: 链办 see their chain's, departments their own."""
    if sees_city_stats(user):
        return None
    level = Escalation.CHAIN_OFFICE if user.role == Role.CHAIN else Escalation.DEPARTMENT_HEAD
    count = ServiceRequest.objects.visible_to(user).escalated(level).count()
    if not count:
        return None
    return {"count": count, "level": int(level), "label": Escalation(level).label}


INBOX_FILTERS = ("q", "status", "overdue", "due", "escalation")


def _remembered_filters(request):
    """The inbox's filters: those in the URL, remembered for the user's next visit (in the
    session); a visit without any gets the remembered ones; ?reset=1 forgets them."""
    params = request.GET.copy()
    if params.get("reset"):
        request.session.pop("inbox_filters", None)
        return params.__class__(mutable=True)
    chosen = {k: params[k] for k in INBOX_FILTERS if params.get(k)}
    if any(k in params for k in INBOX_FILTERS):
        request.session["inbox_filters"] = chosen
    elif "page" not in params:
        for key, value in request.session.get("inbox_filters", {}).items():
            params[key] = value
    return params


class InboxView(RoleRequiredMixin, View):
    """The requests a government user may see: open ones first, by deadline."""

    allowed_roles = GOV_ROLES

    def get(self, request):
        params = _remembered_filters(request)
        if "status" not in params:
            params["status"] = "open"
        request.GET = params
        filterset, qs = filtered_requests(request)
        if params.get("status") in ("open", *CLOCK_STATUSES) or params.get("overdue") == "true":
            # what is on the clock: the nearest deadline first (every open request has one)
            qs = qs.order_by("due_at", "id")
        else:
            qs = qs.order_by("-submitted_at", "-id")
        page, query = _page(request, qs)
        context = {
            "filterset": filterset,
            "page": page,
            "query": query,
            "escalation_notice": _escalation_notice(request.user),
            "statuses": [("open", _("未办结")), *RequestStatus.choices],
            "escalations": Escalation.choices[1:],
            "dues": ServiceRequestFilterSet.base_filters["due"].extra["choices"],
            "filters": params,
            "is_dispatcher": is_dispatcher(request.user),
            "sees_stats": sees_stats(request.user),
        }
        template = "service/partials/request_table.html" if request.htmx else "service/inbox.html"
        return render(request, template, context)


class DispatchBoardView(RoleRequiredMixin, View):
    """营商办: new requests to accept and route, counts by state, what has escalated."""

    allowed_roles = BOARD_ROLES

    def get(self, request):
        if not is_dispatcher(request.user):
            # other departments work from their inbox
            return redirect("service:inbox")
        cal = ServiceCalendar()
        counts = dict(
            ServiceRequest.objects.values_list("status").order_by().annotate(n=Count("id"))
        )
        waiting = list(
            ServiceRequest.objects.filter(
                status__in=[RequestStatus.SUBMITTED, RequestStatus.ACCEPTED]
            )
            .for_list()
            .order_by("due_at", "id")[:PAGE_SIZE]
        )
        escalated = list(
            ServiceRequest.objects.escalated(Escalation.DEPARTMENT_HEAD, calendar=cal)
            .for_list()
            .order_by("due_at", "id")[:20]
        )
        context = {
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in RequestStatus.choices
            ],
            "waiting": _with_clocks(waiting, cal),
            "escalated": _with_clocks(escalated, cal),
            "overdue": ServiceRequest.objects.overdue().count(),
            "departments": services.departments(),
        }
        return render(request, "service/board.html", context)

    def post(self, request):
        """Accept and route in one step the selected requests, to one department or each by its
        rule; all or none."""
        if not is_dispatcher(request.user):
            raise PermissionDenied(_("只有营商办可以派单。"))
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        chosen = request.POST.get("department") or ""
        department = get_object_or_404(Department, code=chosen) if chosen else None
        selected = list(
            ServiceRequest.objects.visible_to(request.user).filter(pk__in=ids).order_by("id")
        )
        try:
            done = dispatch(actor=request.user, requests=selected, department=department)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                _("已受理并派单 %(n)d 件：%(d)s。")
                % {
                    "n": len(done),
                    "d": "、".join(sorted({str(r.department) for r in done})),
                },
            )
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect("service:board")


class RoutingRulesView(RoleRequiredMixin, View):
    """派单规则: 营商办 edits them; other departments may read."""

    allowed_roles = BOARD_ROLES | frozenset({Role.LEADER})

    def _render(self, request, form, status=200):
        rules = RoutingRule.objects.select_related(
            "category", "link__chain", "region", "department"
        ).order_by("-is_active", "priority", "id")
        context = {"rules": rules, "form": form, "can_edit": is_dispatcher(request.user)}
        return render(request, "service/rules.html", context, status=status)

    def get(self, request):
        return self._render(request, RoutingRuleForm())

    def post(self, request):
        for key, active, done in (
            ("retire", False, _("派单规则已停用，可随时恢复。")),
            ("restore", True, _("派单规则已恢复。")),
        ):
            if request.POST.get(key):
                rule = get_object_or_404(RoutingRule, pk=request.POST[key])
                services.retire_routing_rule(actor=request.user, rule=rule, active=active)
                messages.success(request, done)
                return redirect("service:rules")
        form = RoutingRuleForm(request.POST)
        if form.is_valid():
            try:
                services.save_routing_rule(
                    actor=request.user, rule=RoutingRule(), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, "；".join(exc.messages))
            else:
                messages.success(request, _("派单规则已保存。"))
                return redirect("service:rules")
        return self._render(request, form, status=400)


class RequestDetailView(RoleRequiredMixin, View):
    """One request with its deadline, history, material and the steps the user may take."""

    allowed_roles = ALL_ROLES

    def get(self, request, pk):
        obj = get_object_or_404(
            ServiceRequest.objects.visible_to(request.user)
            .for_list()
            .select_related("link__chain"),
            pk=pk,
        )
        if obj.status == RequestStatus.ANSWERED:
            obj.refresh_from_db()
        obj.clock = clock_for(obj, ServiceCalendar())
        actions = available_actions(obj, request.user)
        context = {
            "obj": obj,
            "events": obj.events.select_related("actor", "department"),
            "attachments": obj.attachments.all(),
            "actions": actions,
            "step_form": StepForm(),
            "material_form": MaterialForm(),
            "can_attach": obj.is_open and services.can_attach(request.user, obj),
            "suggested": services.resolve_department(obj)
            if Action.ROUTE in actions or Action.ACCEPT in actions
            else None,
            "departments": services.departments(),
            "max_attachment_bytes": services.max_attachment_bytes(),
            "A": {a.name: a.value for a in Action},
        }
        return render(request, "service/detail.html", context)


class RequestStepView(RoleRequiredMixin, View):
    """POST one step (accept, route, answer …) from the detail page."""

    allowed_roles = ALL_ROLES

    def post(self, request, pk, action):
        obj = get_object_or_404(ServiceRequest.objects.visible_to(request.user), pk=pk)
        action = action.replace("-", "_")
        try:
            if action == Action.SUPPLY_MATERIAL or action == "attach":
                form = MaterialForm(request.POST, request.FILES)
                form.is_valid()
                files = request.FILES.getlist("files")
                note = form.cleaned_data.get("reason", "")
                if action == "attach":
                    services.attach_material(actor=request.user, request=obj, files=files)
                    messages.success(request, _("材料已上传。"))
                else:
                    services.supply_material(
                        actor=request.user, request=obj, note=note, files=files
                    )
                    messages.success(request, _("材料已补充，计时恢复。"))
                return redirect(obj)
            if action not in Action.values:
                raise Http404
            form = StepForm(request.POST)
            if not form.is_valid():
                raise ValidationError("；".join(e for errs in form.errors.values() for e in errs))
            values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            obj = transition(request=obj, action=action, actor=request.user, **values)
        except IllegalTransition as exc:
            messages.error(request, str(exc))
        except (ValidationError, PermissionDenied) as exc:
            text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text or _("操作未完成。"))
        else:
            messages.success(
                request,
                _("已%(a)s，当前状态：%(s)s。")
                % {"a": Action(action).label, "s": obj.get_status_display()},
            )
        return redirect(obj)


class AttachmentView(RoleRequiredMixin, View):
    """Serve an attachment to those who may see its request, never inline."""

    allowed_roles = ALL_ROLES

    def get(self, request, uuid):
        attachment = get_object_or_404(
            ServiceAttachment.objects.select_related("request"),
            uuid=uuid,
            request__in=ServiceRequest.objects.visible_to(request.user).values("pk"),
        )
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=f"attachment-{attachment.request_id}-{attachment.pk}.{attachment.extension}",
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


EXPORT_COLUMNS = [
    (_("编号"), lambda r: r.pk),
    (_("标题"), lambda r: r.title),
    (_("类别"), lambda r: r.category.name),
    (_("企业"), lambda r: r.enterprise.name),
    (_("区县"), lambda r: r.region.name if r.region_id else ""),
    (_("承办部门"), lambda r: r.department.name if r.department_id else ""),
    (_("状态"), lambda r: r.get_status_display()),
    (_("提交时间"), lambda r: timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M")),
    (
        _("当前期限"),
        lambda r: timezone.localtime(r.due_at).strftime("%Y-%m-%d %H:%M") if r.due_at else "",
    ),
    (_("答复用时（工作日）"), lambda r: r.answer_workdays),
    (_("评分"), lambda r: r.rating),
    (_("退回/重办次数"), lambda r: r.reopen_count),
    (_("合成数据"), lambda r: _("是") if r.is_synthetic else ""),
]
EXPORT_MAX_ROWS = 100_000


class RequestExportView(RoleRequiredMixin, View):
    """The filtered requests as xlsx, scoped exactly like the list."""

    allowed_roles = GOV_ROLES

    def get(self, request):
        _filterset, qs = filtered_requests(request)
        workbook = XlsxWorkbook()
        sheet = workbook.sheet(_("企业诉求"), header=[label for label, _f in EXPORT_COLUMNS])
        rows = qs.for_list().order_by("-submitted_at", "-id")[:EXPORT_MAX_ROWS]
        for row in rows.iterator(chunk_size=2000):
            sheet.append([getter(row) for _label, getter in EXPORT_COLUMNS])
        return workbook.response(f"service-requests-{stamp()}.xlsx")


def _pct(value):
    return None if value is None else round(value * 100, 1)


def _year(request):
    return stats.parse_year(request.GET.get("year", ""))


def _month(request):
    value = request.GET.get("month", "")
    try:
        return dt.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


def _dimension(request):
    value = request.GET.get("dimension", Dimension.DEPARTMENT)
    if value not in Dimension.values or value == Dimension.ALL:
        return Dimension.DEPARTMENT
    return value


class _StatsAccess(RoleRequiredMixin):
    """Leaders and 营商办 see the whole city; other departments only their own row."""

    allowed_roles = STATS_ROLES

    def scope(self, request) -> set[str] | None:
        return stats_scope(request.user)


class OverviewView(_StatsAccess, View):
    """The leader's view: headline figures, monthly trend and the league table as charts."""

    def get(self, request):
        if self.scope(request) is not None:
            return redirect("service:stats")
        year = _year(request)
        months = stats.monthly(year=year)
        league = stats.league(year=year)
        cal = ServiceCalendar()
        leader_list = list(
            ServiceRequest.objects.escalated(Escalation.LEADER, calendar=cal)
            .for_list()
            .order_by("due_at", "id")[:20]
        )
        chart = {
            "months": [f"{m:%Y-%m}" for m, _r in months],
            "total": [r.total for _m, r in months],
            "closed": [r.closed for _m, r in months],
            "on_time": [_pct(r.on_time_rate) for _m, r in months],
            "satisfaction": [
                round(r.satisfaction, 2) if r.satisfaction else None for _m, r in months
            ],
            "league_names": [r.label for r in league][::-1],
            "league_on_time": [_pct(r.on_time_rate) for r in league][::-1],
            "league_satisfaction": [
                round(r.satisfaction, 2) if r.satisfaction else None for r in league
            ][::-1],
        }
        context = {
            "overview": stats.overview(),
            "league": league,
            "chart": chart,
            "leader_list": _with_clocks(leader_list, cal),
            "year": year,
        }
        return render(request, "service/overview.html", context)


class StatsView(_StatsAccess, View):
    """Rates per department, category, county or chain link (from the rollup)."""

    def get(self, request):
        scope = self.scope(request)
        dimension = _dimension(request) if scope is None else Dimension.DEPARTMENT
        year = _year(request)
        month = _month(request)
        rows = stats.table(dimension, year=None if month else year, month=month, keys=scope)
        dimensions = [(d, label) for d, label in Dimension.choices if d != Dimension.ALL]
        if scope is not None:
            dimensions = [(Dimension.DEPARTMENT.value, Dimension.DEPARTMENT.label)]
        context = {
            "rows": rows,
            "dimension": dimension,
            "month": f"{month:%Y-%m}" if month else "",
            "months": [f"{m:%Y-%m}" for m in stats.months_available()],
            "dimensions": dimensions,
            "scoped": scope is not None,
            "year": year,
            "years": _years(),
            "query": request.GET.urlencode(),
        }
        return render(request, "service/stats.html", context)


def _years():
    this = timezone.localdate().year
    return [this - 1, this]


STAT_COLUMNS = [
    (_("名称"), lambda r: r.label),
    (_("诉求数"), lambda r: r.total),
    (_("不予受理"), lambda r: r.rejected),
    (_("已办结"), lambda r: r.closed),
    (_("办结率（%）"), lambda r: _pct(r.closed_rate)),
    (_("按期办结"), lambda r: r.closed_on_time),
    (_("超期未办结"), lambda r: r.open_overdue),
    (_("按期办结率（%）"), lambda r: _pct(r.on_time_rate)),
    (_("平均答复用时（工作日）"), lambda r: round(r.mean_answer_days, 2) if r.answered else None),
    (_("答复用时P90（工作日）"), lambda r: r.p90_answer_days),
    (_("满意度（1–5）"), lambda r: round(r.satisfaction, 2) if r.satisfaction else None),
    (_("退回/重办率（%）"), lambda r: _pct(r.reopen_rate)),
]


class StatsExportView(_StatsAccess, View):
    """The statistics as xlsx: one sheet per dimension plus the month-by-month sheet."""

    def get(self, request):
        scope = self.scope(request)
        year = _year(request)
        workbook = XlsxWorkbook()
        header = [str(label) for label, _f in STAT_COLUMNS]
        filename = f"service-stats-{stamp()}.xlsx"
        for dimension, label in Dimension.choices:
            if dimension == Dimension.ALL:
                continue
            if scope is not None and dimension != Dimension.DEPARTMENT:
                continue
            sheet = workbook.sheet(label, header=header)
            for row in stats.table(dimension, year=year, keys=scope):
                sheet.append([getter(row) for _l, getter in STAT_COLUMNS])
        if scope is not None:
            return workbook.response(filename)
        sheet = workbook.sheet(_("按月"), header=[_("月份"), *header[1:]])
        for month, row in stats.monthly(year=year):
            sheet.append([f"{month:%Y-%m}", *[g(row) for _l, g in STAT_COLUMNS[1:]]])
        return workbook.response(filename)
