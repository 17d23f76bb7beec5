"""Organisation: the city's departments and counties, kept by administrators, audited.

A department's and a county's code is its identity elsewhere (accounts, imports, API filters,
routing rules): it is set once, when the record is created, and never changed; the name, the
department's county and its dispatcher flag may change. The city keeps at least one
dispatching department (营商办), or nobody would accept and route enterprise requests.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .choices import AuditAction, RegionLevel
from .models import CITY_CODE, Department, Region
from .permissions import is_administrator
from .validators import normalize_text, reject_nul

DEPARTMENT_CODE = re.compile(r"^[a-z][a-z0-9-]{1,29}$")
DEPARTMENT_FIELDS = ("code", "name", "region", "is_dispatcher")
COUNTY_FIELDS = ("code", "name", "short_name", "sort")


def _require_admin(actor) -> None:
    if not is_administrator(actor):
        raise PermissionDenied(_("只有系统管理员可以维护部门和区县。"))


def _text(values: dict, key: str, label: str, limit: int, errors: dict, required=True) -> str:
    value = normalize_text(str(values.get(key) or ""))
    reject_nul(value)
    if required and not value:
        errors.setdefault(key, []).append(_("请填写%(f)s") % {"f": label})
    elif len(value) > limit:
        errors.setdefault(key, []).append(_("%(f)s不能超过 %(n)d 个字") % {"f": label, "n": limit})
    return value


def city_counties():
    """The city's counties (县、市、区), in their order."""
    return Region.objects.filter(level=RegionLevel.COUNTY, parent_id=CITY_CODE)


def _department_region(code: str, errors: dict) -> Region | None:
    code = normalize_text(code or "") or CITY_CODE
    if code == CITY_CODE:
        return Region.objects.get(pk=CITY_CODE)
    region = city_counties().filter(pk=code).first()
    if region is None:
        errors.setdefault("region", []).append(
            _("所属区划“%(c)s”不是本市或本市的区县") % {"c": code}
        )
    return region


@transaction.atomic
def save_department(*, actor, department: Department | None = None, **values) -> Department:
    """Create a department (code, name, region, is_dispatcher) or change one (name, region,
    is_dispatcher; the code never changes). Administrators only; audited."""
    _require_admin(actor)
    unknown = set(values) - set(DEPARTMENT_FIELDS)
    if unknown:
        raise ValidationError({k: [_("该字段不可修改")] for k in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    creating = department is None
    if creating:
        department = Department()
        code = normalize_text(str(values.get("code") or "")).lower()
        if not DEPARTMENT_CODE.match(code):
            errors.setdefault("code", []).append(
                _("部门代码须为 2–30 位小写字母、数字或“-”，以字母开头，如 jxj")
            )
        elif Department.objects.filter(code=code).exists():
            errors.setdefault("code", []).append(_("部门代码“%(c)s”已存在") % {"c": code})
        department.code = code
    else:
        department = Department.objects.select_for_update().get(pk=department.pk)
        if "code" in values and values["code"] != department.code:
            errors.setdefault("code", []).append(_("部门代码创建后不能修改"))
    before = None if creating else audit.snapshot(department, DEPARTMENT_FIELDS)
    if creating or "name" in values:
        department.name = _text(values, "name", _("部门名称"), 60, errors)
        same = Department.objects.filter(name=department.name).exclude(pk=department.pk)
        if department.name and same.exists():
            errors.setdefault("name", []).append(
                _("已有名为“%(n)s”的部门") % {"n": department.name}
            )
    if creating or "region" in values:
        department.region = _department_region(values.get("region"), errors)
    if creating or "is_dispatcher" in values:
        department.is_dispatcher = bool(values.get("is_dispatcher"))
        others = Department.objects.filter(is_dispatcher=True).exclude(pk=department.pk)
        if not creating and not department.is_dispatcher and not others.exists():
            errors.setdefault("is_dispatcher", []).append(
                _("至少要保留一个受理派单部门，否则企业诉求无人受理")
            )
    if errors:
        raise ValidationError(errors)
    department.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        instance=department,
        before=before,
        after=audit.snapshot(department, DEPARTMENT_FIELDS),
        note=_("新增部门") if creating else _("修改部门"),
    )
    return department


@transaction.atomic
def save_county(*, actor, county: Region | None = None, **values) -> Region:
    """Create one of the city's counties (GB/T 2260 code, name, short name, order) or rename
    one (the code never changes). Administrators only; audited."""
    _require_admin(actor)
    unknown = set(values) - set(COUNTY_FIELDS)
    if unknown:
        raise ValidationError({k: [_("该字段不可修改")] for k in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    creating = county is None
    if creating:
        code = normalize_text(str(values.get("code") or ""))
        if not (code.isdigit() and len(code) == 6 and code[:4] == CITY_CODE[:4]):
            errors.setdefault("code", []).append(
                _("区县代码须为本市的 6 位行政区划代码（以 %(p)s 开头），如 330825")
                % {"p": CITY_CODE[:4]}
            )
        elif code == CITY_CODE or Region.objects.filter(pk=code).exists():
            errors.setdefault("code", []).append(_("行政区划代码“%(c)s”已存在") % {"c": code})
        county = Region(code=code, level=RegionLevel.COUNTY, parent_id=CITY_CODE)
    else:
        county = Region.objects.select_for_update().get(pk=county.pk)
        if county.level != RegionLevel.COUNTY or county.parent_id != CITY_CODE:
            raise ValidationError({"code": [_("“%(n)s”不是本市的区县") % {"n": county.name}]})
        if "code" in values and values["code"] != county.code:
            errors.setdefault("code", []).append(_("行政区划代码创建后不能修改"))
    before = None if creating else audit.snapshot(county, COUNTY_FIELDS)
    if creating or "name" in values:
        county.name = _text(values, "name", _("区县名称"), 50, errors)
        same = city_counties().filter(name=county.name).exclude(pk=county.pk)
        if county.name and same.exists():
            errors.setdefault("name", []).append(_("已有名为“%(n)s”的区县") % {"n": county.name})
    if creating or "short_name" in values:
        county.short_name = _text(values, "short_name", _("简称"), 20, errors, required=False)
    if "sort" in values:
        try:
            sort = int(values["sort"] or 0)
        except (TypeError, ValueError):
            sort = -1
        if not 0 <= sort <= 32767:
            errors.setdefault("sort", []).append(_("排序须为 0–32767 之间的整数"))
        county.sort = max(sort, 0)
    if errors:
        raise ValidationError(errors)
    county.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        instance=county,
        before=before,
        after=audit.snapshot(county, COUNTY_FIELDS),
        note=_("新增区县") if creating else _("修改区县"),
    )
    return county
