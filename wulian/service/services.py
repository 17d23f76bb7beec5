"""Writes for 企呼我应: filing, routing rules, attachments, silence closing; all audited.

Status changes go through `workflow.transition`; these services prepare their input.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.permissions import is_administrator
from wulian.core.validators import reject_nul
from wulian.core.workdays import add_local_workdays as add_workdays
from wulian.enterprises.models import Enterprise

from . import notices, rollup
from .choices import Action, RequestStatus
from .deadlines import ServiceCalendar
from .models import RoutingRule, ServiceAttachment, ServiceCategory, ServiceEvent, ServiceRequest
from .permissions import is_dispatcher, may_file_request
from .workflow import IllegalTransition, can_transition, transition

# Content signatures of the file types an enterprise may attach: (magic, extension, MIME).
SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (
        b"PK\x03\x04",
        "zip",
        "application/zip",
    ),  # docx/xlsx are zip containers; refined below
)
OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def max_attachment_bytes() -> int:
    return settings.SERVICE_MAX_ATTACHMENT_BYTES


def _clean_text(value: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({label: _("不能为空。")})
    if len(value) > max_length:
        raise ValidationError({label: _("不能超过 %(n)d 字。") % {"n": max_length}})
    try:
        reject_nul(value)
    except ValidationError as exc:
        raise ValidationError({label: exc.messages}) from exc
    return value


def enterprise_for(actor, enterprise: Enterprise | None = None) -> Enterprise:
    """The enterprise an enterprise user files for: the one named, if it is theirs."""
    if not may_file_request(actor):
        raise PermissionDenied(_("只有企业用户可以提交诉求。"))
    if is_administrator(actor) and enterprise is not None:
        return enterprise
    own = Enterprise.objects.filter(accounts=actor).order_by("id")
    if enterprise is not None:
        if not own.filter(pk=enterprise.pk).exists():
            raise PermissionDenied(_("只能为本企业提交诉求。"))
        return enterprise
    first = own.first()
    if first is None:
        raise ValidationError(_("您的账号尚未关联企业，请联系管理员。"))
    return first


def _guess_link(enterprise: Enterprise):
    from wulian.chains.models import EnterpriseLink

    row = (
        EnterpriseLink.objects.filter(enterprise=enterprise)
        .order_by("role", "id")
        .values_list("link_id", flat=True)
        .first()
    )
    return row


@transaction.atomic
def submit_request(
    *,
    actor,
    category: ServiceCategory,
    title: str,
    description: str,
    enterprise: Enterprise | None = None,
    link=None,
    now: dt.datetime | None = None,
    files=(),
) -> ServiceRequest:
    """File a request for the actor's enterprise; it is due for acceptance in working days.

    `files` (photos from the phone's camera, documents) are stored with it in the same
    transaction: a file refused for its type or size leaves no request behind."""
    enterprise = enterprise_for(actor, enterprise)
    request = file_request(
        actor=actor,
        enterprise=enterprise,
        category=category,
        title=title,
        description=description,
        link=link,
        now=now,
    )
    for upload in files:
        add_attachment(actor=actor, request=request, upload=upload)
    return request


@transaction.atomic
def file_request(
    *,
    actor,
    enterprise: Enterprise,
    category: ServiceCategory,
    title: str,
    description: str,
    link=None,
    now: dt.datetime | None = None,
    reason: str = "",
    audit_note: str = "",
) -> ServiceRequest:
    """Create a submitted request for `enterprise` (the caller has checked who may); atomic.

    `submit_request` (an enterprise's own), the proactive 我呼企应 path and Open311
    integrations (`open311_services`, with no acting user) call it.
    """
    now = now or timezone.now()
    if not category.is_active:
        raise ValidationError({"category": _("该诉求类别已停用。")})
    title = _clean_text(title, "title", 100)
    description = _clean_text(description, "description", 5000)
    cal = ServiceCalendar()
    request = ServiceRequest(
        title=title,
        description=description,
        category=category,
        enterprise=enterprise,
        created_by=actor,
        region_id=enterprise.region_id,
        link_id=link.pk if link is not None else _guess_link(enterprise),
        status=RequestStatus.SUBMITTED,
        submitted_at=now,
        updated_at=now,
        due_at=add_workdays(cal, now, category.accept_days),
    )
    request.save()
    ServiceEvent.objects.create(
        request=request,
        at=now,
        actor=actor,
        action=Action.SUBMIT,
        from_status=RequestStatus.SUBMITTED,
        to_status=RequestStatus.SUBMITTED,
        reason=reason,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=request,
        after=audit.snapshot(request),
        note=audit_note,
    )
    rollup.apply(None, rollup.contribution_of(request))
    return request


def resolve_department(request: ServiceRequest):
    """The department the routing rules name for this request, or None.

    The most specific matching active rule wins (category, link and county each count);
    among equally specific rules, the lowest priority number, then the oldest rule.
    """
    rules = RoutingRule.objects.filter(is_active=True).select_related("department")
    best = None
    for rule in rules:
        if rule.category_id and rule.category_id != request.category_id:
            continue
        if rule.link_id and rule.link_id != request.link_id:
            continue
        if rule.region_id and rule.region_id != request.region_id:
            continue
        score = (-rule.specificity, rule.priority, rule.pk)
        if best is None or score < best[0]:
            best = (score, rule)
    return best[1].department if best else None


RULE_FIELDS = ("category", "link", "region", "department", "priority", "is_active", "note")


@transaction.atomic
def save_routing_rule(*, actor, rule: RoutingRule, **values) -> RoutingRule:
    """Create or change a routing rule (营商办 only)."""
    if not is_dispatcher(actor):
        raise PermissionDenied(_("只有营商办可以维护派单规则。"))
    before = audit.snapshot(rule) if rule.pk else None
    for name, value in values.items():
        if name not in RULE_FIELDS:
            raise ValueError(name)
        setattr(rule, name, value)
    if rule.department_id is None:
        raise ValidationError({"department": _("请选择承办部门。")})
    rule.full_clean()
    rule.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=rule,
        before=before,
        after=audit.snapshot(rule),
    )
    return rule


@transaction.atomic
def retire_routing_rule(*, actor, rule: RoutingRule, active: bool = False) -> RoutingRule:
    """Retire a routing rule (or bring it back with active=True): reference data is never
    deleted, so what routed past requests stays on record; a retired rule routes nothing."""
    if not is_dispatcher(actor):
        raise PermissionDenied(_("只有营商办可以维护派单规则。"))
    rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_active == active:
        return rule  # a repeated click changes nothing
    before = audit.snapshot(rule, ["is_active"])
    rule.is_active = active
    rule.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=rule,
        before=before,
        after=audit.snapshot(rule, ["is_active"]),
        note=_("恢复派单规则") if active else _("停用派单规则"),
    )
    return rule


def sniff_type(head: bytes) -> tuple[str, str]:
    """(extension, MIME type) decided by the file's content; ValidationError if not allowed."""
    for magic, ext, mime in SIGNATURES:
        if head.startswith(magic):
            return ext, mime
    raise ValidationError(
        _("附件类型不支持：仅接受 PDF、PNG、JPG、Word（docx）和 Excel（xlsx）文件。")
    )


def _refine_zip(upload) -> tuple[str, str]:
    import zipfile

    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("附件已损坏，无法识别。")) from exc
    finally:
        upload.seek(0)
    for prefix, kind in OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return kind
    raise ValidationError(
        _("附件类型不支持：仅接受 PDF、PNG、JPG、Word（docx）和 Excel（xlsx）文件。")
    )


def add_attachment(*, actor, request: ServiceRequest, upload) -> ServiceAttachment:
    """Store one file for `request` under a generated name, after checking type and size."""
    if upload.size > max_attachment_bytes():
        raise ValidationError(
            _("附件过大（%(got).1f MB），上限为 %(max)d MB。")
            % {"got": upload.size / 1048576, "max": max_attachment_bytes() // 1048576}
        )
    if upload.size == 0:
        raise ValidationError(_("附件为空文件。"))
    head = upload.read(16)
    upload.seek(0)
    ext, mime = sniff_type(head)
    if ext == "zip":
        ext, mime = _refine_zip(upload)
    name = str(getattr(upload, "name", "") or "").replace("\x00", "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:120]
    attachment = ServiceAttachment(
        request=request,
        uploaded_by=actor,
        original_name=name,
        extension=ext,
        content_type=mime,
        size=upload.size,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=attachment,
        after={"request": request.pk, "size": upload.size, "type": ext},
    )
    return attachment


@transaction.atomic
def supply_material(*, actor, request: ServiceRequest, note: str = "", files=()) -> ServiceRequest:
    """The enterprise sends the material asked for: files are stored and the clock resumes."""
    if not can_transition(request, Action.SUPPLY_MATERIAL, actor):
        # transition() gives the precise reason (state or ownership) before anything is stored.
        return transition(request=request, action=Action.SUPPLY_MATERIAL, actor=actor, reason=note)
    for upload in files:
        add_attachment(actor=actor, request=request, upload=upload)
    return transition(request=request, action=Action.SUPPLY_MATERIAL, actor=actor, reason=note)


def close_silent_requests(*, now: dt.datetime | None = None, limit: int | None = None) -> int:
    """Close answered requests whose enterprise stayed silent past the rating deadline.

    A scheduled job of the worker (`service.tasks`) and `manage.py service_sweep`; each is
    closed by the workflow as the system, recorded as 逾期未评价默认办结.
    """
    now = now or timezone.now()
    due = ServiceRequest.objects.filter(status=RequestStatus.ANSWERED, due_at__lt=now).order_by(
        "due_at"
    )
    if limit:
        due = due[:limit]
    closed = 0
    cal = None
    for request in due:
        cal = cal or ServiceCalendar()
        try:
            transition(
                request=request,
                action=Action.AUTO_CLOSE,
                actor=None,
                reason=_("企业逾期未评价，按默认满意办结。"),
                now=now,
                calendar=cal,
            )
        except IllegalTransition:
            continue  # someone rated it in the meantime
        closed += 1
    return closed


def can_attach(user, request: ServiceRequest) -> bool:
    """The filing enterprise may add material to its open request at any time."""
    from .choices import Actor
    from .workflow import actors_for

    return request.is_open and Actor.ENTERPRISE in actors_for(request, user)


@transaction.atomic
def attach_material(*, actor, request: ServiceRequest, files) -> list[ServiceAttachment]:
    """Add files to an open request without changing its state (补充材料 at any time)."""
    if not can_attach(actor, request):
        raise PermissionDenied(_("只有提交诉求的企业可以为未办结的诉求上传材料。"))
    if not files:
        raise ValidationError(_("请选择要上传的文件。"))
    stored = [add_attachment(actor=actor, request=request, upload=f) for f in files]
    notices.material_added(request=request, actor=actor, count=len(stored))
    return stored


def departments():
    from wulian.core.models import Department

    return Department.objects.order_by("code")
