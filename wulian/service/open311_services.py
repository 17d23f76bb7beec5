"""Writes for Open311 integrations: issuing and revoking api_keys, filing a request with one.

An integration (a 12345 hotline, a 浙里办 connector) files on behalf of an enterprise named by
its USCC. The request goes through `services.file_request`, the function behind the
platform's own filing: the same checks, deadlines, event, audit and rollup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction
from wulian.enterprises.models import Enterprise

from . import attributes as category_attributes
from .models import Open311Key, ServiceCategory, ServiceRequest
from .services import file_request

TITLE_LENGTH = 30


def hash_key(raw: str) -> str:
    """The stored form of a key. Keys are 240 random bits, so a plain SHA-256 suffices."""
    return hashlib.sha256(raw.encode()).hexdigest()


def active_key(raw: str) -> Open311Key | None:
    """The active key matching `raw`, or None (unknown or revoked)."""
    if not raw or len(raw) > 200:
        return None
    return Open311Key.objects.filter(key_hash=hash_key(raw), revoked_at__isnull=True).first()


@transaction.atomic
def issue_open311_key(*, actor, name: str) -> tuple[Open311Key, str]:
    """Issue a key to the integration `name`; returns the row and the key, shown only now."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写接入方名称。")})
    if len(name) > 60:
        raise ValidationError({"name": _("接入方名称不能超过 60 字。")})
    raw = secrets.token_urlsafe(30)
    key = Open311Key.objects.create(
        name=name,
        prefix=raw[:8],
        key_hash=hash_key(raw),
        created_at=timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=key,
        after=audit.snapshot(key, ["name", "prefix", "created_at"]),
        note=_("签发 Open311 接入密钥"),
    )
    return key, raw


@transaction.atomic
def revoke_open311_key(*, actor, key: Open311Key) -> Open311Key:
    """Revoke a key at once; a revoked key files nothing. Revoking twice changes nothing."""
    key = Open311Key.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.revoked_by = actor if getattr(actor, "pk", None) else None
    key.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=key,
        before={"revoked_at": None},
        after={"revoked_at": key.revoked_at.isoformat()},
        note=_("停用 Open311 接入密钥"),
    )
    return key


@dataclass
class Contact:
    """Who called, as the GeoReport v2 fields give it (all optional)."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def lines(self) -> list[str]:
        name = f"{self.last_name}{self.first_name}".strip()
        rows = [
            (_("联系人"), name),
            (_("电话"), self.phone),
            (_("邮箱"), self.email),
            (_("地址"), self.address),
        ]
        return [f"{label}：{value.strip()}" for label, value in rows if value and value.strip()]


@dataclass
class Open311Filing:
    """A request as an integration sends it, before it is checked."""

    service_code: str
    account_id: str
    description: str
    attributes: dict[str, list[str]] = field(default_factory=dict)
    contact: Contact = field(default_factory=Contact)


def _category(code: str) -> ServiceCategory:
    code = (code or "").strip()
    if not code:
        raise ValidationError({"service_code": _("请提供 service_code（诉求类别代码）。")})
    category = ServiceCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise ValidationError(
            {"service_code": _("未知或已停用的诉求类别：%(c)s。") % {"c": code[:30]}}
        )
    return category


def _enterprise(uscc: str) -> Enterprise:
    uscc = (uscc or "").strip().upper()
    if not uscc:
        raise ValidationError({"account_id": _("请在 account_id 中提供企业的统一社会信用代码。")})
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        raise ValidationError(
            {"account_id": _("企业库中没有统一社会信用代码为 %(u)s 的企业。") % {"u": uscc[:18]}}
        )
    return enterprise


def _title(description: str) -> str:
    first = description.strip().splitlines()[0].strip() if description.strip() else ""
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1] + "…"


def _full_description(filing: Open311Filing, answers: list[tuple[str, str]]) -> str:
    parts = [filing.description.strip()]
    if answers:
        parts.append("\n".join([_("【补充信息】")] + [f"{k}：{v}" for k, v in answers]))
    contact = filing.contact.lines()
    if contact:
        parts.append("\n".join([_("【来电/来件人】")] + contact))
    return "\n\n".join(parts)


@transaction.atomic
def file_open311_request(
    *, key: Open311Key, filing: Open311Filing, now: dt.datetime | None = None
) -> ServiceRequest:
    """File `filing` for the enterprise it names, as the integration holding `key`.

    Checks the category, the enterprise and the category's extra questions, then calls
    `services.file_request` with no acting user (the integration is not a person); the key's
    name goes into the request's first event and the audit note. Atomic: on any error
    nothing is written, the key's counters included.
    """
    category = _category(filing.service_code)
    enterprise = _enterprise(filing.account_id)
    if not (filing.description or "").strip():
        raise ValidationError({"description": _("请填写诉求内容（description）。")})
    answers = category_attributes.answers(category.attributes or [], filing.attributes)
    via = _("经 Open311 接入「%(n)s」提交") % {"n": key.name}
    request = file_request(
        actor=None,
        enterprise=enterprise,
        category=category,
        title=_title(filing.description),
        description=_full_description(filing, answers),
        now=now,
        reason=via,
        audit_note=via,
    )
    Open311Key.objects.filter(pk=key.pk).update(
        last_used_at=request.submitted_at, use_count=F("use_count") + 1
    )
    return request
