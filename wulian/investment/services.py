"""Writes to the investment pipeline: projects, stage transitions, documents, investment.

Every write is atomic and audited. A stage changes only through `transition_project`, which
locks the row, checks the TRANSITIONS table and the checklist of the stage being entered, and
writes a ProjectEvent. Reaching 投产/达产 hands the project's company over to the enterprise
registry on the chain links the project fills.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.chains.models import Link, TargetCompany
from wulian.chains.services import place_on_links
from wulian.core import audit
from wulian.core.choices import AuditAction, Role
from wulian.core.models import CITY_CODE, Department, Region
from wulian.core.permissions import role_allowed
from wulian.core.validators import reject_nul, uscc_problem
from wulian.enterprises.models import Enterprise
from wulian.enterprises.services import register_enterprise

from .choices import PIPELINE, DocumentKind, ProjectStage
from .models import MonthlyInvestment, Project, ProjectDocument, ProjectEvent
from .permissions import EDIT_ROLES, can_edit_project

S = ProjectStage
GOV = EDIT_ROLES
LEAD_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})

# Who may move a project from which stage to which. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], frozenset] = {
    **{(a, b): GOV for a, b in zip(PIPELINE, PIPELINE[1:], strict=False)},
    # A lead may be lost before construction starts; after that it is finished, not lost.
    **{(stage, S.LOST): GOV for stage in (S.LEAD, S.NEGOTIATING, S.SIGNED, S.LAND)},
    (S.LOST, S.LEAD): LEAD_ROLES,
}
# 回退: a stage change taken back one step, with a reason. Not out of 投产/达产 (its company has
# been handed over to the registry) nor out of 已流失 (that is reopened as a lead).
REVERTS: dict[tuple[str, str], frozenset] = {
    (b, a): GOV for a, b in zip(PIPELINE[:-2], PIPELINE[1:-1], strict=True)
}

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Magic numbers of the accepted document types: the file's bytes decide, not its name.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True)
class Check:
    """One thing that must be true before a project may enter a stage."""

    code: str
    label: str
    test: Callable[[Project, set], bool]


def _has_doc(kind: str) -> Callable[[Project, set], bool]:
    return lambda project, kinds: kind in kinds


CHECKLISTS: dict[str, tuple[Check, ...]] = {
    S.NEGOTIATING: (
        Check("investor", "已明确投资方", lambda p, k: bool(p.investor_id or p.investor_name)),
        Check("planned", "已填写计划总投资", lambda p, k: (p.planned_wan or 0) > 0),
        Check("department", "已明确牵头部门", lambda p, k: bool(p.lead_department_id)),
    ),
    S.SIGNED: (
        Check("agreement", "已上传签署的投资协议", _has_doc(DocumentKind.AGREEMENT)),
        Check("links", "已明确填补的产业链环节", lambda p, k: p.links.exists()),
        Check("leader", "已明确责任领导", lambda p, k: bool(p.responsible_leader)),
        Check("county", "已明确落地区县", lambda p, k: p.region_id != CITY_CODE),
    ),
    S.LAND: (Check("land", "已上传供地文件（土地出让合同）", _has_doc(DocumentKind.LAND)),),
    S.STARTED: (Check("permit", "已上传施工许可证", _has_doc(DocumentKind.PERMIT)),),
    S.COMPLETED: (
        Check(
            "investment",
            "已填报完成投资",
            lambda p, k: p.monthly.filter(amount_wan__gt=0).exists(),
        ),
    ),
    S.PRODUCING: (
        Check(
            "uscc",
            "已填写有效的项目公司统一社会信用代码",
            lambda p, k: bool(p.uscc) and uscc_problem(p.uscc) is None,
        ),
    ),
}


def checklist(project: Project, stage: str | None = None) -> list[tuple[Check, bool]]:
    """The checks for entering `stage` (default: the next stage), each with whether it holds."""
    stage = stage or project.next_stage
    checks = CHECKLISTS.get(stage, ())
    if not checks:
        return []
    kinds = set(project.documents.values_list("kind", flat=True))
    return [(check, bool(check.test(project, kinds))) for check in checks]


def can_transition(project: Project, to_stage: str, user) -> bool:
    """Whether the table allows the move and the user's role may make it."""
    roles = TRANSITIONS.get((project.stage, to_stage))
    if roles is None or not user or not user.is_authenticated:
        return False
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        return False
    return role_allowed(user, roles)


def _label(stage: str) -> str:
    return str(ProjectStage(stage).label)


def allowed_targets(stage: str) -> list[str]:
    return [b for (a, b) in TRANSITIONS if a == stage]


def transition_project(
    *,
    actor,
    project: Project,
    to_stage: str,
    on: dt.date | None = None,
    note: str = "",
    reason: str = "",
    expected_stage: str | None = None,
) -> Project:
    """Move a project to `to_stage` on date `on` (default today), or refuse in Chinese.

    Entering 投产/达产 hands its company over to the enterprise registry (see
    `hand_over_to_registry`); entering 已流失 needs a reason. With `expected_stage` (the stage
    the user saw), a repeated request — a double click — is refused instead of moving twice.
    """
    today = timezone.localdate()
    on = on or today
    with transaction.atomic():
        # Lock the row: two people pressing the button at once must not both move it.
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _check_expected(locked, expected_stage)
        if to_stage not in ProjectStage.values:
            raise ValidationError(_("未知阶段“%(s)s”。") % {"s": to_stage})
        if (locked.stage, to_stage) not in TRANSITIONS:
            options = "、".join(_label(s) for s in allowed_targets(locked.stage)) or _("无")
            raise ValidationError(
                _("不能从“%(a)s”转为“%(b)s”；当前可转为：%(opts)s。")
                % {"a": _label(locked.stage), "b": _label(to_stage), "opts": options}
            )
        if not can_transition(locked, to_stage, actor):
            raise PermissionDenied(_("您无权推进该项目的阶段。"))
        if on > today:
            raise ValidationError(_("阶段日期不能晚于今天。"))
        if on < locked.stage_entered_on:
            raise ValidationError(
                _("阶段日期不能早于进入“%(s)s”的日期（%(d)s）。")
                % {"s": _label(locked.stage), "d": locked.stage_entered_on}
            )
        reason = (reason or "").strip()
        if to_stage == S.LOST and not reason:
            raise ValidationError(_("标记流失须填写流失原因。"))
        _check_length(reason, 300, _("原因"))
        missing = [check.label for check, ok in checklist(locked, to_stage) if not ok]
        if missing:
            raise ValidationError(
                _("进入“%(s)s”阶段前须满足：%(items)s。")
                % {"s": _label(to_stage), "items": "；".join(missing)}
            )
        before = audit.snapshot(locked, ["stage", "stage_entered_on", "lost_reason"])
        from_stage = locked.stage
        locked.stage = to_stage
        locked.stage_entered_on = on
        locked.lost_reason = reason if to_stage == S.LOST else ""
        fields = ["stage", "stage_entered_on", "lost_reason", "updated_at"]
        if to_stage == S.PRODUCING:
            locked.enterprise = hand_over_to_registry(actor=actor, project=locked)
            fields.append("enterprise")
        locked.save(update_fields=fields)
        ProjectEvent.objects.create(
            project=locked,
            from_stage=from_stage,
            to_stage=to_stage,
            on=on,
            actor=actor if getattr(actor, "pk", None) else None,
            note=(reason or note or "")[:300],
        )
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            instance=locked,
            before=before,
            after=audit.snapshot(locked, ["stage", "stage_entered_on", "lost_reason"]),
            note=f"{_label(from_stage)}→{_label(to_stage)}",
        )
    return locked


def advance_project(
    *, actor, project: Project, on: dt.date | None = None, expected_stage: str | None = None
) -> Project:
    """Move a project to the next stage of the pipeline (the board's button).

    `expected_stage` is the stage the button was shown for: a second click of the same button
    finds the project already moved and is refused, so it never advances two stages.
    """
    if expected_stage in ProjectStage.values:
        nxt = _next_of(expected_stage)
    else:
        nxt = project.next_stage
    if nxt is None:
        raise ValidationError(
            _("“%(s)s”已是最后阶段，不能继续推进。") % {"s": _label(project.stage)}
        )
    return transition_project(
        actor=actor, project=project, to_stage=nxt, on=on, expected_stage=expected_stage
    )


def _next_of(stage: str) -> str | None:
    if stage not in PIPELINE or stage == PIPELINE[-1]:
        return None
    return PIPELINE[PIPELINE.index(stage) + 1]


def _check_expected(locked: Project, expected_stage: str | None) -> None:
    if expected_stage and expected_stage not in ProjectStage.values:
        raise ValidationError(_("未知阶段“%(s)s”。") % {"s": expected_stage})
    if expected_stage and locked.stage != expected_stage:
        raise ValidationError(
            _("项目已不在“%(e)s”阶段（现为“%(s)s”），未重复操作。")
            % {"e": _label(expected_stage), "s": _label(locked.stage)}
        )


def _check_length(value: str, limit: int, label: str) -> None:
    if len(value) > limit:
        raise ValidationError(
            _("%(f)s不能超过 %(n)d 字（现为 %(m)d 字）。")
            % {"f": label, "n": limit, "m": len(value)}
        )


def previous_stage(stage: str) -> str | None:
    """The stage a 回退 from `stage` returns to, or None where the pipeline allows none."""
    return next((to for (frm, to) in REVERTS if frm == stage), None)


def can_revert(project: Project, user) -> bool:
    """Whether the user may take the project's last stage change back (回退)."""
    back = previous_stage(project.stage)
    if back is None or not user or not user.is_authenticated:
        return False
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        return False
    return role_allowed(user, REVERTS[(project.stage, back)])


def revert_project(
    *, actor, project: Project, reason: str, expected_stage: str | None = None
) -> Project:
    """回退: move a project back one stage of the pipeline, with a reason (required).

    Audited and written to the timeline as an event from the later stage to the earlier one.
    The project's stage date becomes the day it had entered the earlier stage, so a 回退 and a
    new 推进 cannot hide how long a project has been stalled.
    """
    reason = (reason or "").strip()
    reject_nul(reason)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _check_expected(locked, expected_stage)
        back = previous_stage(locked.stage)
        if back is None:
            why = {
                S.LEAD: _("“线索”是第一个阶段，无可回退。"),
                S.PRODUCING: _("项目已投产并移交企业库，不能回退。"),
                S.LOST: _("已流失的项目请“重新激活为线索”，不能回退。"),
            }
            raise ValidationError(why.get(locked.stage, _("该阶段不能回退。")))
        if not can_revert(locked, actor):
            raise PermissionDenied(_("您无权回退该项目的阶段。"))
        if not reason:
            raise ValidationError(_("回退须填写原因。"))
        _check_length(reason, 200, _("回退原因"))
        entered = (
            locked.events.filter(to_stage=back).order_by("-on", "-id").values_list("on", flat=True)
        ).first()
        before = audit.snapshot(locked, ["stage", "stage_entered_on"])
        from_stage = locked.stage
        locked.stage = back
        locked.stage_entered_on = entered or timezone.localdate()
        locked.save(update_fields=["stage", "stage_entered_on", "updated_at"])
        ProjectEvent.objects.create(
            project=locked,
            from_stage=from_stage,
            to_stage=back,
            on=timezone.localdate(),
            actor=actor if getattr(actor, "pk", None) else None,
            note=_("回退：%(r)s") % {"r": reason},
        )
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            instance=locked,
            before=before,
            after=audit.snapshot(locked, ["stage", "stage_entered_on"]),
            note=_("回退 %(a)s→%(b)s：%(r)s")
            % {"a": _label(from_stage), "b": _label(back), "r": reason},
        )
    return locked


def hand_over_to_registry(*, actor, project: Project) -> Enterprise:
    """Put the project's company into the enterprise registry, on the links it fills.

    Called inside transition_project's transaction. An enterprise already registered under
    the same USCC is reused; the chain's link population gains it either way, so the
    chain's gaps change with it.
    """
    problem = uscc_problem(project.uscc or "")
    if problem:
        raise ValidationError(problem)
    enterprise = register_enterprise(
        actor=actor,
        uscc=project.uscc,
        name=project.company_display,
        region_id=project.region_id if project.region_id != CITY_CODE else "",
        is_synthetic=project.is_synthetic,
        note=_("重大项目投产纳入企业库"),
    )
    place_on_links(
        actor=actor,
        enterprise=enterprise,
        links=project.links.all(),
        note=_("项目投产落位产业链环节"),
    )
    return enterprise


def _clean_text(value: str, max_length: int) -> str:
    """Stripped text, refused (never cut) when longer than the field holds."""
    value = (value or "").strip()
    reject_nul(value)
    _check_length(value, max_length, _("文字"))
    return value


def create_project(
    *,
    actor,
    name: str,
    region: Region | str,
    investor: TargetCompany | None = None,
    investor_name: str = "",
    links: Iterable[Link] = (),
    planned_wan: Decimal | int | str = 0,
    lead_department: Department | None = None,
    responsible_leader: str = "",
    company_name: str = "",
    uscc: str = "",
    note: str = "",
    on: dt.date | None = None,
    is_synthetic: bool = False,
) -> Project:
    """Open a new lead (stage 线索) and record its first event."""
    name = _clean_text(name, 200)
    if not name:
        raise ValidationError(_("项目名称不能为空。"))
    if investor is None and not (investor_name or "").strip():
        raise ValidationError(_("请选择招商目标企业或填写投资方名称。"))
    uscc = (uscc or "").strip().upper()
    if uscc and uscc_problem(uscc):
        raise ValidationError(uscc_problem(uscc))
    if not uscc and investor is not None and investor.uscc and not uscc_problem(investor.uscc):
        uscc = investor.uscc
    on = on or timezone.localdate()
    if lead_department is None and getattr(actor, "role", None) == Role.DEPARTMENT:
        # Staff register leads for their own department unless they name another one.
        lead_department = actor.department
    with transaction.atomic():
        project = Project(
            name=name,
            investor=investor,
            investor_name=_clean_text(investor_name, 200),
            company_name=_clean_text(company_name, 200),
            uscc=uscc,
            region_id=region.pk if isinstance(region, Region) else region,
            planned_wan=Decimal(str(planned_wan or 0)),
            lead_department=lead_department,
            responsible_leader=_clean_text(responsible_leader, 50),
            note=_clean_text(note, 5000),
            stage=S.LEAD,
            stage_entered_on=on,
            is_synthetic=is_synthetic,
        )
        if project.planned_wan < 0:
            raise ValidationError(_("计划总投资不能为负数。"))
        project.save()
        project.links.set(list(links))
        ProjectEvent.objects.create(
            project=project, from_stage="", to_stage=S.LEAD, on=on, actor=_actor(actor)
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=project,
            after=audit.snapshot(project),
        )
    return project


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def open_lead_for_target(
    *,
    actor,
    target: TargetCompany,
    links: Iterable[Link] | None = None,
    region: str = CITY_CODE,
    lead_department: Department | None = None,
) -> Project:
    """Open a lead for a target company found by the chains' gap analysis (补链/延链).

    If the target already has a lead or project that is not lost, that one is returned
    instead of a duplicate. `links` default to the links the target can fill; the county is
    left as the city (待定) until the lead is placed.
    """
    existing = Project.objects.filter(investor=target).exclude(stage=S.LOST).order_by("id").first()
    if existing is not None:
        return existing
    if lead_department is None:
        lead_department = getattr(actor, "department", None) or (
            Department.objects.filter(code="swj").first()
        )
    return create_project(
        actor=actor,
        name=_("%(t)s招商项目") % {"t": target.name},
        investor=target,
        region=region,
        links=list(links) if links is not None else list(target.links.all()),
        lead_department=lead_department,
        note=_("由产业链补链/延链分析发起"),
        is_synthetic=target.is_synthetic,
    )


def sniff_content_type(data: bytes) -> str | None:
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def max_document_bytes() -> int:
    """The largest project document accepted, in bytes."""
    return min(MAX_DOCUMENT_BYTES, settings.MAX_UPLOAD_BYTES)


def upload_document(*, actor, project: Project, kind: str, upload) -> ProjectDocument:
    """Keep a document on file for a project; only PDF, JPG and PNG whose bytes say so."""
    if kind not in DocumentKind.values:
        raise ValidationError(_("未知材料类型。"))
    limit = max_document_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("文件过大（%(got).1f MB），上限为 %(max)d MB。")
            % {"got": upload.size / 1048576, "max": limit // 1048576}
        )
    data = upload.read()
    sniffed = sniff_content_type(data)
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if sniffed is None or (declared and declared not in (sniffed, "application/octet-stream")):
        raise ValidationError(_("文件类型不符：仅接受 PDF、JPG、PNG 格式的文件。"))
    with transaction.atomic():
        document = ProjectDocument(
            project=project,
            kind=kind,
            original_name=str(getattr(upload, "name", ""))[:255],
            content_type=sniffed,
            size=len(data),
            uploaded_by=_actor(actor),
        )
        document.file.save("upload", ContentFile(data), save=False)
        document.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=document,
            after=audit.snapshot(document, ["project", "kind", "original_name", "content_type"]),
        )
    return document


def record_monthly_investment(
    *, actor, project: Project, month: dt.date, amount_wan: Decimal | int | str
) -> MonthlyInvestment:
    """Record (or correct) the investment a project completed in a month."""
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError(_("不能填报未来月份的完成投资。"))
    try:
        amount = Decimal(str(amount_wan))
    except InvalidOperation as exc:
        raise ValidationError(_("完成投资应为数字（万元）。")) from exc
    if not amount.is_finite():
        raise ValidationError(_("完成投资应为数字（万元）。"))
    if amount < 0:
        raise ValidationError(_("完成投资不能为负数。"))
    if project.stage == S.LOST:
        raise ValidationError(_("已流失项目不能填报完成投资。"))
    with transaction.atomic():
        row = MonthlyInvestment.objects.filter(project=project, month=month).first()
        before = audit.snapshot(row) if row else None
        if row is None:
            row = MonthlyInvestment(project=project, month=month, amount_wan=amount)
        row.amount_wan = amount
        row.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=row,
            before=before,
            after=audit.snapshot(row),
        )
    return row


def update_project_company(*, actor, project: Project, company_name: str, uscc: str) -> Project:
    """Set the project company's name and USCC (needed before 投产/达产)."""
    uscc = (uscc or "").strip().upper()
    if uscc:
        problem = uscc_problem(uscc)
        if problem:
            raise ValidationError(problem)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        before = audit.snapshot(locked, ["company_name", "uscc"])
        locked.company_name = _clean_text(company_name, 200)
        locked.uscc = uscc
        locked.save(update_fields=["company_name", "uscc", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            before=before,
            after=audit.snapshot(locked, ["company_name", "uscc"]),
        )
    return locked


EDITABLE_FIELDS = (
    "name",
    "investor",
    "investor_name",
    "region",
    "planned_wan",
    "lead_department",
    "responsible_leader",
    "company_name",
    "uscc",
)


def update_project(*, actor, project: Project, links: Iterable[Link] | None = None, **fields):
    """Edit a project's facts (not its stage): what the checklists ask for is filled here."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不可修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    may_edit = can_edit_project(actor)
    if not (may_edit and Project.objects.visible_to(actor).filter(pk=project.pk).exists()):
        raise PermissionDenied(_("您无权修改该项目。"))
    problems = []
    if "name" in fields:
        fields["name"] = _clean_text(fields["name"], 200)
        if not fields["name"]:
            problems.append(_("项目名称不能为空"))
    for key, limit in (
        ("investor_name", 200),
        ("responsible_leader", 50),
        ("company_name", 200),
    ):
        if key in fields:
            fields[key] = _clean_text(fields[key], limit)
    if "uscc" in fields:
        fields["uscc"] = (fields["uscc"] or "").strip().upper()
        if fields["uscc"] and uscc_problem(fields["uscc"]):
            problems.append(uscc_problem(fields["uscc"]))
    if "planned_wan" in fields:
        fields["planned_wan"] = Decimal(str(fields["planned_wan"] or 0))
        if fields["planned_wan"] < 0:
            problems.append(_("计划总投资不能为负数"))
    investor = fields.get("investor", project.investor)
    investor_name = fields.get("investor_name", project.investor_name)
    if investor is None and not investor_name:
        problems.append(_("请选择招商目标企业或填写投资方名称"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        names = [f for f in fields if f != "region"] + (["region"] if "region" in fields else [])
        before = audit.snapshot(locked, names)
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.save(update_fields=[*names, "updated_at"])
        if links is not None:
            locked.links.set(list(links))
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            before=before,
            after=audit.snapshot(locked, names),
        )
    return locked
