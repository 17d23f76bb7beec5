"""Eligibility conditions as data: the fields a condition may test, its operators, checks.

A condition is `{"field": "region", "op": "in", "value": ["330825"]}`. `FIELDS` is the
catalogue of what the registry can answer (registry fields, chains, tags, the 亩均 grade,
monthly aggregates, payout history); `validate()` refuses an unknown field, an operator the
field does not take or a value of the wrong kind with a Chinese message, and returns the
conditions in canonical form (tag labels become codes, numbers become numbers).
`sentence()` reads a condition as Chinese, the way the form shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from wulian.core.models import CITY_CODE, Region
from wulian.enterprises.choices import MujunGrade, TagKind

MAX_CONDITIONS = 20

OP_LABELS = {
    "in": gettext_lazy("属于"),
    "not_in": gettext_lazy("不属于"),
    "has": gettext_lazy("具有"),
    "not_has": gettext_lazy("不具有"),
    "=": gettext_lazy("等于"),
    "!=": gettext_lazy("不等于"),
    ">": gettext_lazy("大于"),
    ">=": gettext_lazy("不低于"),
    "<": gettext_lazy("小于"),
    "<=": gettext_lazy("不高于"),
}
SET_OPS = ("in", "not_in")
TAG_OPS = ("has", "not_has")
NUMBER_OPS = (">=", ">", "<=", "<", "=", "!=")
BOOL_OPS = ("=",)


def _counties() -> list[tuple[str, str]]:
    return list(Region.objects.filter(parent_id=CITY_CODE).values_list("code", "name"))


def _chains() -> list[tuple[str, str]]:
    from wulian.chains.models import Chain

    return list(Chain.objects.order_by("sort", "code").values_list("code", "name"))


def _grades() -> list[tuple[str, str]]:
    return [(g.value, str(g.label)) for g in MujunGrade]


def _tags() -> list[tuple[str, str]]:
    return [(t.value, str(t.label)) for t in TagKind]


@dataclass(frozen=True)
class FieldSpec:
    """One field a condition may test: its kind decides the operators and the value's shape.

    kinds: `choice` (one value per enterprise; value a list), `multi` (a set per enterprise:
    `in` = any of the listed, `not_in` = none of them), `tag` (a set; value one tag),
    `number` (value a number, in `unit`), `bool` (value true or false).
    """

    key: str
    label: Any
    kind: str
    group: Any
    unit: str = ""
    choices: Callable[[], list[tuple[str, str]]] | None = None
    help: Any = ""
    ops: tuple[str, ...] = field(default=())

    @property
    def operators(self) -> tuple[str, ...]:
        if self.ops:
            return self.ops
        return {
            "choice": SET_OPS,
            "multi": SET_OPS,
            "tag": TAG_OPS,
            "number": NUMBER_OPS,
            "bool": BOOL_OPS,
        }[self.kind]


REGISTRY = gettext_lazy("企业库")
MONTHS = gettext_lazy("月度数据（近12个月）")
_F = FieldSpec
FIELDS: dict[str, FieldSpec] = {
    f.key: f
    for f in (
        _F("region", gettext_lazy("所属区县"), "choice", REGISTRY, choices=_counties),
        _F(
            "chain",
            gettext_lazy("所在产业链"),
            "multi",
            REGISTRY,
            choices=_chains,
            help=gettext_lazy("企业在该产业链任一环节上（主营或配套）"),
        ),
        _F(
            "main_chain",
            gettext_lazy("主产业链"),
            "choice",
            REGISTRY,
            choices=_chains,
        ),
        _F("tag", gettext_lazy("企业标签"), "tag", REGISTRY, choices=_tags),
        _F(
            "mujun_grade",
            gettext_lazy("亩均评价类别"),
            "choice",
            REGISTRY,
            choices=_grades,
            help=gettext_lazy("最近一个评价年度的结果"),
        ),
        _F("is_above_scale", gettext_lazy("规上企业"), "bool", REGISTRY),
        _F("is_listed", gettext_lazy("上市企业"), "bool", REGISTRY),
        _F("employees", gettext_lazy("从业人数"), "number", REGISTRY, unit="人"),
        _F("output_wan", gettext_lazy("年产值"), "number", REGISTRY, unit="万元"),
        _F("tax_wan", gettext_lazy("年税收"), "number", REGISTRY, unit="万元"),
        _F("land_area_mu", gettext_lazy("用地面积"), "number", REGISTRY, unit="亩"),
        _F("founded_years", gettext_lazy("成立年限"), "number", REGISTRY, unit="年"),
        _F("months.output_sum", gettext_lazy("工业总产值合计"), "number", MONTHS, unit="万元"),
        _F("months.output_yoy", gettext_lazy("工业总产值同比增长"), "number", MONTHS, unit="%"),
        _F("months.revenue_sum", gettext_lazy("营业收入合计"), "number", MONTHS, unit="万元"),
        _F("months.revenue_yoy", gettext_lazy("营业收入同比增长"), "number", MONTHS, unit="%"),
        _F("months.tax_sum", gettext_lazy("税收合计"), "number", MONTHS, unit="万元"),
        _F("months.tax_yoy", gettext_lazy("税收同比增长"), "number", MONTHS, unit="%"),
        _F("months.rd_sum", gettext_lazy("研发费用合计"), "number", MONTHS, unit="万元"),
        _F(
            "months.rd_ratio",
            gettext_lazy("研发费用占营业收入比重"),
            "number",
            MONTHS,
            unit="%",
        ),
        _F(
            "history.paid_wan",
            gettext_lazy("本年度已兑现政策资金"),
            "number",
            gettext_lazy("政策兑现记录"),
            unit="万元",
        ),
    )
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(Decimal(value.strip()))
        except (InvalidOperation, ValueError):
            return None
    return None


def _choice_list(spec: FieldSpec, value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ValidationError(_("%(w)s：“%(f)s”的值应为非空列表") % {"w": where, "f": spec.label})
    known = spec.choices() if spec.choices else []
    by_label = {label: code for code, label in known}
    codes = {code for code, _label in known}
    out = []
    for item in value:
        text = str(item).strip()
        code = text if text in codes else by_label.get(text)
        if code is None:
            allowed = "、".join(f"{c}（{label}）" for c, label in known) or _("（尚无可选值）")
            raise ValidationError(
                _("%(w)s：“%(f)s”没有“%(v)s”这个值，可选：%(a)s")
                % {"w": where, "f": spec.label, "v": text, "a": allowed}
            )
        if code not in out:
            out.append(code)
    return out


def _clean_value(spec: FieldSpec, op: str, value: Any, where: str) -> Any:
    if spec.kind in ("choice", "multi"):
        return _choice_list(spec, value, where)
    if spec.kind == "tag":
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if not isinstance(value, str):
            raise ValidationError(_("%(w)s：标签条件的值应为一个标签") % {"w": where})
        return _choice_list(spec, [value], where)[0]
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "是"):
            return True
        if text in ("false", "0", "否"):
            return False
        raise ValidationError(
            _("%(w)s：“%(f)s”的值应为 true 或 false") % {"w": where, "f": spec.label}
        )
    number = _number(value)
    if number is None:
        raise ValidationError(_("%(w)s：“%(f)s”的值应为数字") % {"w": where, "f": spec.label})
    return int(number) if number == int(number) else number


def validate(conditions: Any) -> list[dict[str, Any]]:
    """Check conditions and return them in canonical form; ValidationError in Chinese."""
    if not isinstance(conditions, list):
        raise ValidationError(_("适用条件应为列表，每项形如 {field, op, value}。"))
    if not conditions:
        raise ValidationError(_("请至少设置一个适用条件。"))
    if len(conditions) > MAX_CONDITIONS:
        raise ValidationError(_("适用条件不能超过 %(n)d 个。") % {"n": MAX_CONDITIONS})
    clean = []
    for number, item in enumerate(conditions, start=1):
        where = _("第%(n)d个条件") % {"n": number}
        if not isinstance(item, dict) or set(item) != {"field", "op", "value"}:
            raise ValidationError(_("%(w)s：应恰好包含 field、op、value 三项") % {"w": where})
        spec = FIELDS.get(item["field"]) if isinstance(item["field"], str) else None
        if spec is None:
            raise ValidationError(
                _("%(w)s：未知字段“%(f)s”，可用字段：%(a)s")
                % {"w": where, "f": item["field"], "a": "、".join(FIELDS)}
            )
        op = item["op"]
        if op not in spec.operators:
            raise ValidationError(
                _("%(w)s：“%(f)s”不能使用运算符“%(o)s”，可用：%(a)s")
                % {"w": where, "f": spec.label, "o": op, "a": "、".join(spec.operators)}
            )
        value = _clean_value(spec, op, item["value"], where)
        clean.append({"field": spec.key, "op": op, "value": value})
    return clean


def labels_of(spec: FieldSpec, cache: dict | None = None) -> dict[str, str]:
    """Code → label of a field's values (one query per field and `cache`)."""
    if cache is not None and spec.key in cache:
        return cache[spec.key]
    labels = dict(spec.choices()) if spec.choices else {}
    if cache is not None:
        cache[spec.key] = labels
    return labels


def _value_text(spec: FieldSpec, value: Any, cache: dict | None = None) -> str:
    if spec.kind in ("choice", "multi", "tag"):
        labels = labels_of(spec, cache)
        items = value if isinstance(value, list) else [value]
        return _("、").join(labels.get(v, v) for v in items)
    if spec.kind == "bool":
        return _("是") if value else _("否")
    if not spec.unit or spec.unit == "%":
        return f"{value}{spec.unit}"
    # the unit stays Chinese in the spec (rules compare it); the reader sees it in their words
    unit = pgettext("a unit after a number", "年") if spec.unit == "年" else _(spec.unit)
    return _("%(v)s%(u)s") % {"v": value, "u": unit}


def sentence(condition: dict[str, Any], cache: dict | None = None) -> str:
    """A condition read as Chinese: 所属区县 属于 龙游县、江山市."""
    spec = FIELDS[condition["field"]]
    op = condition["op"]
    value = _value_text(spec, condition["value"], cache)
    if spec.kind == "tag":
        return _("%(o)s“%(v)s”标签") % {"o": OP_LABELS[op], "v": value}
    if spec.kind == "bool":
        template = _("是%(f)s") if condition["value"] else _("不是%(f)s")
        return template % {"f": spec.label}
    return f"{spec.label} {OP_LABELS[op]} {value}"


def field_catalogue() -> list[dict[str, Any]]:
    """Every field with its operators and allowed values (for the form and the API docs)."""
    return [
        {
            "field": spec.key,
            "label": str(spec.label),
            "group": str(spec.group),
            "kind": spec.kind,
            "unit": spec.unit,
            "help": str(spec.help),
            "ops": [{"op": op, "label": str(OP_LABELS[op])} for op in spec.operators],
            "choices": [{"value": c, "label": label} for c, label in spec.choices()]
            if spec.choices
            else [],
        }
        for spec in FIELDS.values()
    ]
