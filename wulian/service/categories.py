"""Request categories and their deadlines in working days, kept by 营商办 and administrators.

A changed deadline applies to the steps that start after the change: a request already
accepted keeps the deadline it was given (the enterprise was told it), as a calendar change
does not move closed requests. Every change is audited; the code never changes (requests,
routing rules, Open311 and the API refer to it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.core.validators import normalize_text, reject_nul

from .models import ServiceCategory
from .permissions import is_dispatcher

FIELDS = ("code", "name", "description", "accept_days", "answer_days", "sort", "is_active")


@transaction.atomic
def save_category(*, actor, category: ServiceCategory | None = None, **values) -> ServiceCategory:
    """Create a category or change its name, deadlines, order or active flag (audited)."""
    if not is_dispatcher(actor):
        raise PermissionDenied(_("只有营商办或系统管理员可以维护诉求类别和办理时限。"))
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({k: [_("该字段不可修改")] for k in sorted(unknown)})
    creating = category is None
    if creating:
        category = ServiceCategory(code=normalize_text(str(values.pop("code", "") or "")).lower())
        if ServiceCategory.objects.filter(code=category.code).exists():
            raise ValidationError({"code": [_("类别代码“%(c)s”已存在") % {"c": category.code}]})
    else:
        category = ServiceCategory.objects.select_for_update().get(pk=category.pk)
        code = values.pop("code", category.code)
        if code != category.code:
            raise ValidationError({"code": [_("类别代码创建后不能修改")]})
    before = None if creating else audit.snapshot(category, FIELDS)
    for name, value in values.items():
        if isinstance(value, str):
            value = normalize_text(value)
            reject_nul(value)
        setattr(category, name, value)
    category.full_clean()
    category.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        instance=category,
        before=before,
        after=audit.snapshot(category, FIELDS),
        note=_("新增诉求类别") if creating else _("修改诉求类别或时限"),
    )
    return category
