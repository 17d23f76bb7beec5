"""Accounts: create, change, deactivate and reset staff and enterprise accounts, audited.

An account's scope follows its role: a department user has a department, a county user a
county, a chain user a chain, an enterprise user one or more enterprises (by USCC). Every
change is checked as a whole before anything is written, and recorded in the audit trail
(never the password itself). A password set or reset by an administrator must be changed by
its owner at the next sign-in; a reset or deactivation ends the account's API tokens at once,
and its page sessions end with it (Django checks each session against the password hash and
the active flag on every request).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wulian.chains.models import Chain
from wulian.core import audit
from wulian.core.choices import AuditAction, RegionLevel, Role
from wulian.core.models import CITY_CODE, Department, Region, User
from wulian.core.tokens import revoke_tokens
from wulian.core.validators import normalize_text
from wulian.enterprises.models import Enterprise

# Fields recorded in the audit trail (the password hash never is).
AUDITED = (
    "username",
    "display_name",
    "role",
    "department",
    "region",
    "chain_code",
    "title",
    "is_active",
    "must_change_password",
)
SCOPE_FIELDS = ("department", "region", "chain_code", "enterprises")


def _snapshot(user: User, usccs: Iterable[str] | None = None) -> dict[str, Any]:
    data = audit.snapshot(user, AUDITED)
    if usccs is not None:
        data["enterprises"] = ", ".join(sorted(usccs))
    return data


def _usccs(user: User) -> list[str]:
    if user.pk is None:
        return []
    return sorted(Enterprise.objects.filter(accounts=user).values_list("uscc", flat=True))


def _resolve_scope(values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """Codes to objects: department and region by code, chain by code, enterprises by USCC."""
    scope: dict[str, Any] = {}
    code = normalize_text(values.get("department") or "")
    scope["department"] = Department.objects.filter(code=code).first() if code else None
    if code and scope["department"] is None:
        errors.setdefault("department", []).append(_("部门代码“%(c)s”不存在") % {"c": code})
    code = normalize_text(values.get("region") or "")
    scope["region"] = Region.objects.filter(code=code).first() if code else None
    if code and scope["region"] is None:
        errors.setdefault("region", []).append(_("行政区划代码“%(c)s”不存在") % {"c": code})
    code = normalize_text(values.get("chain_code") or "")
    if code and not Chain.objects.filter(code=code).exists():
        errors.setdefault("chain_code", []).append(_("产业链代码“%(c)s”不存在") % {"c": code})
    scope["chain_code"] = code
    wanted = sorted({normalize_text(u).upper() for u in values.get("enterprises") or [] if u})
    found = dict(Enterprise.objects.filter(uscc__in=wanted).values_list("uscc", "pk"))
    missing = [u for u in wanted if u not in found]
    if missing:
        errors.setdefault("enterprises", []).append(
            _("企业库中没有统一社会信用代码为 %(c)s 的企业") % {"c": "、".join(missing)}
        )
    scope["enterprises"] = [found[u] for u in wanted if u in found]
    scope["usccs"] = [u for u in wanted if u in found]
    return scope


def _check_role(role: str, scope: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Each role needs its scope: a department, a county, a chain or enterprises."""
    if role not in Role.values:
        errors.setdefault("role", []).append(_("角色“%(r)s”不存在") % {"r": role})
        return
    if role == Role.DEPARTMENT and scope["department"] is None:
        errors.setdefault("department", []).append(_("部门人员须指定所属部门"))
    if role == Role.COUNTY:
        region = scope["region"]
        if region is None:
            errors.setdefault("region", []).append(_("区县人员须指定所属区县"))
        elif region.level != RegionLevel.COUNTY or region.parent_id != CITY_CODE:
            errors.setdefault("region", []).append(_("“%(r)s”不是本市的区县") % {"r": region.name})
    if role == Role.CHAIN and not scope["chain_code"]:
        errors.setdefault("chain_code", []).append(_("链长/链办人员须指定所负责的产业链"))
    if role == Role.ENTERPRISE and not scope["enterprises"]:
        errors.setdefault("enterprises", []).append(_("企业用户须关联至少一家企业"))
    if role != Role.ENTERPRISE and scope["enterprises"]:
        errors.setdefault("enterprises", []).append(_("只有企业用户才能关联企业"))


def _check_password(password: str, user: User, errors: dict[str, list[str]]) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)


def _check_username(username: str, errors: dict[str, list[str]], exclude: int | None) -> str:
    username = normalize_text(username or "")
    if not username:
        errors.setdefault("username", []).append(_("请填写用户名"))
        return username
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        errors.setdefault("username", []).append(_("用户名只能包含字母、数字和 @/./+/-/_ 字符"))
    taken = User.objects.filter(username__iexact=username).exclude(pk=exclude).exists()
    if taken:
        errors.setdefault("username", []).append(_("用户名“%(u)s”已被使用") % {"u": username})
    return username


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    name: str,
    password: str,
    role: str,
    department: str = "",
    region: str = "",
    chain_code: str = "",
    enterprises: Iterable[str] = (),
    title: str = "",
) -> User:
    """Create an account with its role and scope; its owner must change the password first."""
    errors: dict[str, list[str]] = {}
    username = _check_username(username, errors, exclude=None)
    name = normalize_text(name or "")
    if not name:
        errors.setdefault("name", []).append(_("请填写姓名"))
    values = {
        "department": department,
        "region": region,
        "chain_code": chain_code,
        "enterprises": enterprises,
    }
    scope = _resolve_scope(values, errors)
    _check_role(role, scope, errors)
    user = User(
        username=username,
        display_name=name,
        title=normalize_text(title or ""),
        role=role,
        department=scope["department"],
        region=scope["region"],
        chain_code=scope["chain_code"],
        must_change_password=True,
    )
    _check_password(password or "", user, errors)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    if scope["enterprises"]:
        user.enterprises.set(scope["enterprises"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=user,
        after=_snapshot(user, scope["usccs"]),
        note=_("新建账号"),
    )
    return user


UPDATABLE = {"name", "title", "role", "is_active", "password", *SCOPE_FIELDS}


def _apply_scope(user: User, changes: dict[str, Any], errors) -> list[int] | None:
    """Resolve the account's scope after the change; None when enterprises stay as they are."""
    current = {
        "department": user.department.code if user.department_id else "",
        "region": user.region_id or "",
        "chain_code": user.chain_code,
        "enterprises": _usccs(user),
    }
    current.update({k: changes[k] for k in SCOPE_FIELDS if k in changes})
    scope = _resolve_scope(current, errors)
    role = changes.get("role", user.role)
    _check_role(role, scope, errors)
    user.role = role
    user.department = scope["department"]
    user.region = scope["region"]
    user.chain_code = scope["chain_code"]
    return scope["enterprises"] if "enterprises" in changes or role != Role.ENTERPRISE else None


@transaction.atomic
def update_user(*, actor, user: User, **changes: Any) -> User:
    """Change any of name, title, role and scope, active flag and password, as one change.

    Deactivating an account or setting its password ends its tokens and sessions at once; a
    password set here must be changed by its owner at the next sign-in.
    """
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationError({k: [_("该字段不可修改")] for k in sorted(unknown)})
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _snapshot(user, _usccs(user))
    errors: dict[str, list[str]] = {}
    if "name" in changes:
        user.display_name = normalize_text(changes["name"] or "")
        if not user.display_name:
            errors.setdefault("name", []).append(_("请填写姓名"))
    if "title" in changes:
        user.title = normalize_text(changes["title"] or "")
    enterprises = _apply_scope(user, changes, errors)
    deactivating = changes.get("is_active") is False and user.is_active
    if deactivating and actor is not None and actor.pk == user.pk:
        errors.setdefault("is_active", []).append(_("不能停用自己的账号"))
    if "is_active" in changes:
        user.is_active = bool(changes["is_active"])
    password = changes.get("password")
    if password is not None:
        _check_password(password, user, errors)
    if errors:
        raise ValidationError(errors)
    if password is not None:
        user.set_password(password)
        user.must_change_password = actor is None or actor.pk != user.pk
    user.save()
    if enterprises is not None:
        user.enterprises.set(enterprises)
    after = _snapshot(user, _usccs(user))
    if password is not None:
        before["password"], after["password"] = "******", _("已重置")
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=user,
        before=before,
        after=after,
        note=_("修改账号"),
    )
    if deactivating or password is not None:
        revoke_tokens(actor=actor, user=user, note=_("账号停用") if deactivating else _("密码重置"))
    return user


@transaction.atomic
def change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    """The owner changes their password: the old one is checked, the new one validated.

    Other sessions and every API token end; the caller keeps its own session with
    `update_session_auth_hash`.
    """
    errors: dict[str, list[str]] = {}
    if not user.check_password(old_password or ""):
        errors["old_password"] = [_("原密码不正确")]
    if new_password and new_password == old_password:
        errors.setdefault("new_password", []).append(_("新密码不能与原密码相同"))
    try:
        validate_password(new_password or "", user)
    except ValidationError as exc:
        errors.setdefault("new_password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    was_forced = user.must_change_password
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(
        actor=user,
        action=AuditAction.UPDATE,
        instance=user,
        before={"password": "******", "must_change_password": was_forced},
        after={"password": _("已修改"), "must_change_password": False},
        note=_("本人修改密码"),
    )
    revoke_tokens(actor=user, user=user, note=_("本人修改密码"))
    return user
