"""Key work pages: my tasks, everything late by department, a task, the meetings."""

from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.exports import attachment, stamp, xlsx_response
from wulian.core.models import Department
from wulian.core.permissions import RoleRequiredMixin

from . import briefing, rag, services
from .choices import Rag
from .filtersets import TaskFilterSet
from .forms import (
    CloseForm,
    DecisionForm,
    FourFixesForm,
    HoldForm,
    ReportForm,
    ScheduleForm,
    TaskForm,
)
from .models import Decision, Meeting, MeetingSeries, Milestone, Task, WorkItem
from .permissions import (
    CREATE_ROLES,
    LEADER_ROLES,
    MEETING_ROLES,
    TASK_ROLES,
    can_close,
    can_manage_meeting,
    can_report,
    sees_tasks,
)

PAGE_SIZE = 50
CO_DEPARTMENTS = Prefetch("co_departments", queryset=Department.objects.only("name", "code"))
LATE_PER_DEPARTMENT = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def task_rows(user, params=None, today=None):
    """Visible tasks, filtered, annotated and with their RAG; `rag` filters after derivation."""
    today = today or timezone.localdate()
    base = (
        Task.objects.visible_to(user)
        .with_progress(today)
        .select_related("lead_department", "work_item")
        .order_by("deadline", "id")
    )
    filterset = TaskFilterSet(params or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    tasks = rag.attach(queryset, today)
    wanted = (params or {}).get("rag")
    if wanted in Rag.values:
        tasks = [t for t in tasks if t.rag.rag == wanted]
    return tasks


class MyTasksView(RoleRequiredMixin, View):
    """The tasks of my department (lead or co-department); leaders see all."""

    allowed_roles = TASK_ROLES

    def get(self, request):
        tasks = task_rows(request.user, request.GET)
        counts = {r: sum(1 for t in tasks if t.rag.rag == r) for r in Rag.values}
        by_item: OrderedDict[int, dict] = OrderedDict()
        for item in WorkItem.objects.all():
            by_item[item.pk] = {"item": item, **dict.fromkeys(Rag.values, 0), "total": 0}
        for task in tasks:
            row = by_item[task.work_item_id]
            row[task.rag.rag] += 1
            row["total"] += 1
        page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
        # Co-departments only for the rows shown, not for every task counted.
        prefetch_related_objects(page.object_list, CO_DEPARTMENTS)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "tasks": page,
            "page": page,
            "counts": counts,
            "by_item": [row for row in by_item.values() if row["total"]],
            "work_items": WorkItem.objects.all(),
            "rags": Rag.choices,
            "query": query.urlencode(),
        }
        template = "keywork/partials/task_table.html" if request.htmx else "keywork/my_tasks.html"
        return render(request, template, context)


class TaskExportView(RoleRequiredMixin, View):
    """The (filtered) task list as xlsx."""

    allowed_roles = TASK_ROLES

    def get(self, request):
        tasks = task_rows(request.user, request.GET)
        prefetch_related_objects(tasks, CO_DEPARTMENTS)
        return xlsx_response(briefing.tasks_xlsx(tasks), f"tasks-{stamp()}.xlsx")


class LateByDepartmentView(RoleRequiredMixin, View):
    """For leaders: every late (red) and at-risk (amber) open task, grouped by department."""

    allowed_roles = LEADER_ROLES

    def get(self, request):
        tasks = [
            t
            for t in task_rows(request.user, {"status": "open"})
            if t.rag.rag in (Rag.RED, Rag.AMBER)
        ]
        groups: OrderedDict[str, dict] = OrderedDict()
        for task in sorted(tasks, key=lambda t: (t.lead_department.name, t.rag.rag != Rag.RED)):
            group = groups.setdefault(
                task.lead_department.name, {"red": 0, "amber": 0, "tasks": []}
            )
            group[task.rag.rag] += 1
            group["code"] = task.lead_department.code
            # The worst first; the rest are one click away in the filtered task list.
            if len(group["tasks"]) < LATE_PER_DEPARTMENT:
                group["tasks"].append(task)
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1]["red"], -kv[1]["amber"]))
        return render(
            request,
            "keywork/late.html",
            {"groups": ordered, "total": len(tasks)},
        )


class TaskCreateView(RoleRequiredMixin, View):
    """A new task with its 四定 (leaders for any department, staff for their own)."""

    allowed_roles = CREATE_ROLES

    def get(self, request):
        initial = {"cadence": "monthly", "lead_department": request.user.department_id}
        return render(request, "keywork/task_form.html", {"form": TaskForm(initial=initial)})

    def post(self, request):
        form = TaskForm(request.POST)
        if form.is_valid():
            try:
                task = services.create_task(actor=request.user, **form.four_fixes())
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("任务已布置。"))
                return redirect(task)
        return render(request, "keywork/task_form.html", {"form": form}, status=400)


class TaskDetailView(RoleRequiredMixin, View):
    """One task with its 四定, milestones, reports; report and close forms for those allowed."""

    allowed_roles = TASK_ROLES

    def get(self, request, pk):
        today = timezone.localdate()
        queryset = (
            Task.objects.visible_to(request.user)
            .with_progress(today)
            .select_related("lead_department", "work_item", "source_meeting")
        )
        task = rag.attach([get_object_or_404(queryset, pk=pk)], today)[0]
        context = {
            "task": task,
            "co_departments": task.co_departments.all(),
            "milestones": task.milestones.all(),
            "reports": task.reports.select_related("author")[:50],
            "events": task.events.select_related("actor"),
            "can_report": task.status == "open" and can_report(request.user, task),
            "can_close": task.status == "open" and can_close(request.user, task),
            "report_form": ReportForm(),
            "close_form": CloseForm(),
            "today": today,
        }
        return render(request, "keywork/task_detail.html", context)


class _TaskActionView(RoleRequiredMixin, View):
    allowed_roles = TASK_ROLES

    def task(self, request, pk) -> Task:
        return get_object_or_404(Task.objects.visible_to(request.user), pk=pk)

    def done(self, request, task, error="", success=""):
        if error:
            messages.error(request, error)
        elif success:
            messages.success(request, success)
        return redirect(task)


class ReportView(_TaskActionView):
    def post(self, request, pk):
        task = self.task(request, pk)
        form = ReportForm(request.POST)
        if not form.is_valid():
            return self.done(request, task, _("请填写0–100的进度和进展情况。"))
        try:
            services.submit_report(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            return self.done(request, task, _errors(exc))
        except PermissionDenied as exc:
            return self.done(request, task, str(exc))
        return self.done(request, task, success=_("进展已报送。"))


class CloseView(_TaskActionView):
    def post(self, request, pk):
        task = self.task(request, pk)
        form = CloseForm(request.POST)
        form.is_valid()
        try:
            services.close_task(
                actor=request.user,
                task=task,
                standard_met=form.cleaned_data.get("standard_met", False),
                evidence=form.cleaned_data.get("evidence", ""),
            )
        except ValidationError as exc:
            return self.done(request, task, _errors(exc))
        except PermissionDenied as exc:
            return self.done(request, task, str(exc))
        return self.done(request, task, success=_("任务已办结。"))


class MilestoneDoneView(_TaskActionView):
    def post(self, request, pk):
        milestone = get_object_or_404(
            Milestone.objects.filter(task__in=Task.objects.visible_to(request.user).values("pk")),
            pk=pk,
        )
        try:
            services.complete_milestone(actor=request.user, milestone=milestone)
        except (ValidationError, PermissionDenied) as exc:
            message = _errors(exc) if isinstance(exc, ValidationError) else str(exc)
            return self.done(request, milestone.task, message)
        return self.done(request, milestone.task, success=_("节点已完成。"))


class MeetingListView(RoleRequiredMixin, View):
    """The meeting series and their sittings; schedule the next one."""

    allowed_roles = MEETING_ROLES

    def get(self, request):
        meetings = Meeting.objects.visible_to(request.user).select_related("series")
        series = {}
        for meeting in meetings.order_by("-scheduled_on", "-id"):
            series.setdefault(meeting.series, []).append(meeting)
        visible_series = MeetingSeries.objects.filter(
            pk__in=Meeting.objects.visible_to(request.user).values("series")
        ) | MeetingSeries.objects.filter(chain_code__in=["", request.user.chain_code or "-"])
        rows = [
            {
                "series": s,
                "meetings": series.get(s, []),
                "can_manage": can_manage_meeting(request.user, s),
            }
            for s in visible_series.distinct().select_related("organiser")
        ]
        # County staff see meetings but not the task list: no link to a page they cannot open.
        context = {
            "rows": rows,
            "schedule_form": ScheduleForm(),
            "sees_tasks": sees_tasks(request.user),
        }
        return render(request, "keywork/meetings.html", context)


class ScheduleView(RoleRequiredMixin, View):
    allowed_roles = MEETING_ROLES

    def post(self, request, pk):
        series = get_object_or_404(MeetingSeries, pk=pk)
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写会议日期。"))
            return redirect("keywork:meetings")
        try:
            meeting = services.schedule_meeting(
                actor=request.user, series=series, on=form.cleaned_data["on"]
            )
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("keywork:meetings")
        return redirect(meeting)


def visible_decisions(meeting: Meeting, user) -> list[Decision]:
    """The meeting's decisions; `visible_task` is the task each became, if the user may see it
    (the decision itself belongs to the meeting record)."""
    decisions = list(
        meeting.decisions.select_related("task", "task__lead_department").order_by("id")
    )
    visible = set(
        Task.objects.visible_to(user)
        .filter(pk__in=[d.task_id for d in decisions if d.task_id])
        .values_list("pk", flat=True)
    )
    for decision in decisions:
        decision.visible_task = decision.task if decision.task_id in visible else None
    return decisions


def meeting_context(request, meeting: Meeting) -> dict:
    """What the meeting page shows: only agenda lines and tasks the reader may see."""
    decisions = visible_decisions(meeting, request.user)
    previous = services.previous_meeting(meeting)
    initial = {"cadence": "monthly"}
    return {
        "meeting": meeting,
        "agenda": list(meeting.agenda.visible_to(request.user)),
        "decisions": decisions,
        "previous": previous,
        "can_manage": can_manage_meeting(request.user, meeting),
        "can_export_tasks": sees_tasks(request.user),
        "hold_form": HoldForm(),
        "decision_form": DecisionForm(),
        "task_forms": {
            d.pk: FourFixesForm(initial={**initial, "title": d.text[:200]}, prefix=f"d{d.pk}")
            for d in decisions
            if not d.task_id
        },
    }


class MeetingView(RoleRequiredMixin, View):
    """The meeting page: agenda (drafted from the data), hold, decisions → tasks, briefing."""

    allowed_roles = MEETING_ROLES

    def get(self, request, pk):
        meeting = get_object_or_404(
            Meeting.objects.visible_to(request.user).select_related("series"), pk=pk
        )
        context = meeting_context(request, meeting)
        context["decision_rows"] = [
            (d, context["task_forms"].get(d.pk)) for d in context["decisions"]
        ]
        return render(request, "keywork/meeting.html", context)


class _MeetingActionView(RoleRequiredMixin, View):
    allowed_roles = MEETING_ROLES

    def meeting(self, request, pk) -> Meeting:
        return get_object_or_404(
            Meeting.objects.visible_to(request.user).select_related("series"), pk=pk
        )

    def run(self, request, meeting, action, success):
        try:
            action()
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            messages.success(request, success)
        return redirect(meeting)


class DraftAgendaView(_MeetingActionView):
    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        return self.run(
            request,
            meeting,
            lambda: services.draft_agenda(actor=request.user, meeting=meeting),
            _("议程已根据最新数据生成。"),
        )


class AgendaItemView(_MeetingActionView):
    """Add a topic to a meeting's agenda by hand."""

    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        title = request.POST.get("title", "")
        detail = request.POST.get("detail", "")
        return self.run(
            request,
            meeting,
            lambda: services.add_agenda_item(
                actor=request.user, meeting=meeting, title=title, detail=detail
            ),
            _("议题已添加。"),
        )


class HoldView(_MeetingActionView):
    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        form = HoldForm(request.POST)
        form.is_valid()
        minutes = form.cleaned_data.get("minutes", "")
        return self.run(
            request,
            meeting,
            lambda: services.hold_meeting(actor=request.user, meeting=meeting, minutes=minutes),
            _("会议已召开，可以记录决定事项。"),
        )


class DecisionView(_MeetingActionView):
    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        form = DecisionForm(request.POST)
        text = request.POST.get("text", "") if not form.is_valid() else form.cleaned_data["text"]
        return self.run(
            request,
            meeting,
            lambda: services.record_decision(actor=request.user, meeting=meeting, text=text),
            _("决定事项已记录。"),
        )


class DecisionTaskView(_MeetingActionView):
    """Turn a decision into a task with its 四定."""

    def post(self, request, pk):
        decision = get_object_or_404(
            Decision.objects.filter(
                meeting__in=Meeting.objects.visible_to(request.user).values("pk")
            ).select_related("meeting", "meeting__series"),
            pk=pk,
        )
        meeting = decision.meeting
        form = FourFixesForm(request.POST, prefix=f"d{decision.pk}")
        if not form.is_valid():
            problems = "；".join(
                f"{form.fields[name].label}：{'，'.join(errors)}"
                for name, errors in form.errors.items()
                if name in form.fields
            )
            messages.error(request, _("四定不完整：%(p)s") % {"p": problems})
            return redirect(meeting)
        return self.run(
            request,
            meeting,
            lambda: services.decision_to_task(
                actor=request.user, decision=decision, **form.four_fixes()
            ),
            _("决定事项已形成任务。"),
        )


class BriefingView(_MeetingActionView):
    """The meeting briefing as .docx, with what the reader may see (numbers, chart, agenda
    sections, decisions)."""

    def get(self, request, pk):
        meeting = self.meeting(request, pk)
        data = briefing.briefing_docx(meeting, request.user)
        name = f"{meeting.title}-会议材料-{meeting.scheduled_on:%Y%m%d}.docx"
        return attachment(data, DOCX, name)


class MeetingTasksExportView(_MeetingActionView):
    """The tasks the meeting follows that the reader may see, as xlsx (roles that see no
    tasks at all are refused, as at the task list)."""

    allowed_roles = TASK_ROLES

    def get(self, request, pk):
        meeting = self.meeting(request, pk)
        today = timezone.localdate()
        tasks = rag.attach(
            services.scoped_tasks(meeting.series)
            .visible_to(request.user)
            .with_progress(today)
            .select_related("lead_department", "work_item")
            .prefetch_related("co_departments")
            .order_by("deadline", "id"),
            today,
        )
        return xlsx_response(
            briefing.tasks_xlsx(tasks), f"tasks-{meeting.scheduled_on:%Y%m%d}.xlsx"
        )
