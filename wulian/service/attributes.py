"""A category's extra questions (Open311 service attributes) and the answers to them.

A category may ask for more than a description: 用地 the area, 用工 the number of workers.
They are declared on `ServiceCategory.attributes` in the GeoReport v2 shape, published in the
service definition (`/open311/v2/services/{code}.json`), and answered by an integration as
`attribute[code]=value` when it files a request. The answers are checked here and written
into the request's description, where the department reads them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_TYPES = ("singlevaluelist", "multivaluelist")
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,29}$")
MAX_ANSWER = 500


def _check_one(index: int, item) -> None:
    where = _("第 %(n)d 项") % {"n": index}
    if not isinstance(item, dict):
        raise ValidationError(_("%(w)s应为对象。") % {"w": where})
    code = item.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        raise ValidationError(_("%(w)s的 code 应为字母开头的字母、数字或下划线。") % {"w": where})
    if not isinstance(item.get("description"), str) or not item["description"].strip():
        raise ValidationError(_("%(w)s（%(c)s）缺少 description。") % {"w": where, "c": code})
    if item.get("datatype") not in DATATYPES:
        raise ValidationError(
            _("%(w)s（%(c)s）的 datatype 应为 %(t)s 之一。")
            % {"w": where, "c": code, "t": "、".join(DATATYPES)}
        )
    if not isinstance(item.get("required", False), bool):
        raise ValidationError(
            _("%(w)s（%(c)s）的 required 应为 true 或 false。") % {"w": where, "c": code}
        )
    values = item.get("values", [])
    if item["datatype"] in LIST_TYPES:
        ok = isinstance(values, list) and values
        ok = ok and all(isinstance(v, dict) and {"key", "name"} <= set(v) for v in values)
        if not ok:
            raise ValidationError(
                _('%(w)s（%(c)s）是选择题，values 应为 [{"key", "name"}] 列表。')
                % {"w": where, "c": code}
            )


def validate_attributes(value) -> None:
    """Model validator: a list of GeoReport v2 attribute definitions with distinct codes."""
    if not isinstance(value, list):
        raise ValidationError(_("补充信息项应为列表。"))
    seen = set()
    for index, item in enumerate(value, start=1):
        _check_one(index, item)
        if item["code"] in seen:
            raise ValidationError(_("补充信息项 code 重复：%(c)s") % {"c": item["code"]})
        seen.add(item["code"])


def definition(attributes: list[dict]) -> list[dict]:
    """The attributes as a GeoReport v2 service definition lists them."""
    rows = []
    for order, item in enumerate(attributes, start=1):
        rows.append(
            {
                "variable": True,
                "code": item["code"],
                "datatype": item["datatype"],
                "required": bool(item.get("required", False)),
                "datatype_description": item.get("datatype_description", ""),
                "order": order,
                "description": item["description"],
                "values": [
                    {"key": str(v["key"]), "name": str(v["name"])} for v in item.get("values", [])
                ],
            }
        )
    return rows


def _answer(item: dict, raw: list[str]) -> str:
    """One checked answer as the department reads it; ValidationError in Chinese if wrong."""
    label = item["description"]
    kind = item["datatype"]
    if kind in LIST_TYPES:
        names = {str(v["key"]): str(v["name"]) for v in item["values"]}
        if kind == "singlevaluelist" and len(raw) > 1:
            raise ValidationError({item["code"]: _("%(l)s只能选一项。") % {"l": label}})
        unknown = [v for v in raw if v not in names]
        if unknown:
            raise ValidationError(
                {
                    item["code"]: _("%(l)s的取值“%(v)s”不在可选项（%(k)s）中。")
                    % {"l": label, "v": unknown[0], "k": "、".join(names)}
                }
            )
        return "、".join(names[v] for v in raw)
    value = raw[-1].strip()
    if kind == "number":
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError({item["code"]: _("%(l)s应为数字。") % {"l": label}})
    elif kind == "datetime" and parse_datetime(value) is None and parse_date(value) is None:
        raise ValidationError(
            {item["code"]: _("%(l)s应为日期时间，如 2026-01-01T09:00:00+08:00。") % {"l": label}}
        )
    if len(value) > MAX_ANSWER:
        raise ValidationError(
            {item["code"]: _("%(l)s不能超过 %(n)d 字。") % {"l": label, "n": MAX_ANSWER}}
        )
    return value


def answers(attributes: list[dict], given: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(label, answer) for each answered attribute, in the category's order.

    `given` maps an attribute code to the values sent for it. A required attribute without a
    value, a value of the wrong type, an option not offered or an attribute the category does
    not ask for is an error; nothing is filed then.
    """
    known = {item["code"] for item in attributes}
    extra = sorted(set(given) - known)
    if extra:
        raise ValidationError({extra[0]: _("该诉求类别没有补充信息项“%(c)s”。") % {"c": extra[0]}})
    rows = []
    for item in attributes:
        raw = [v for v in given.get(item["code"], []) if v.strip()]
        if not raw:
            if item.get("required"):
                raise ValidationError(
                    {item["code"]: _("请填写%(l)s。") % {"l": item["description"]}}
                )
            continue
        rows.append((item["description"], _answer(item, raw)))
    return rows
