"""Matching: which enterprises satisfy every condition of a policy, and which miss by one.

For each condition the set of enterprises that satisfy it is computed once over the facts;
an enterprise's count of satisfied conditions then decides: all of them → it qualifies, all
but one → 潜在对象 (near the line). Reasons are built only for those rows: per condition, the
value the registry holds and whether the condition held.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .conditions import FIELDS, labels_of, sentence
from .facts import Facts, load_facts

COMPARE = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "=": operator.eq,
    "!=": operator.ne,
}


def holds(condition: dict[str, Any], actual: Any) -> bool:
    """Whether one enterprise's value satisfies one (validated) condition."""
    spec, op, value = FIELDS[condition["field"]], condition["op"], condition["value"]
    if spec.kind == "multi":
        found = bool(set(actual or ()) & set(value))
        return found if op == "in" else not found
    if spec.kind == "tag":
        found = value in (actual or ())
        return found if op == "has" else not found
    if actual is None:
        return False  # what the registry does not know never qualifies
    if spec.kind == "choice":
        return (actual in value) if op == "in" else (actual not in value)
    if spec.kind == "bool":
        return bool(actual) == bool(value)
    return COMPARE[op](float(actual), float(value))


def passing(condition: dict[str, Any], facts: Facts) -> Iterable[int]:
    """The ids of the enterprises that satisfy `condition`."""
    spec = FIELDS[condition["field"]]
    values = facts.values.get(spec.key, {})
    if spec.kind in ("multi", "tag"):
        return (pk for pk in facts.ids if holds(condition, values.get(pk)))
    return (pk for pk, actual in values.items() if holds(condition, actual))


@dataclass
class MatchResult:
    """Enterprise ids that qualify, and near misses as (id, index of the failed condition)."""

    matched: list[int]
    near: list[tuple[int, int]]


def match(conditions: list[dict[str, Any]], facts: Facts, near: bool = True) -> MatchResult:
    """Qualifying enterprises and (with `near`) those one condition short."""
    counts: Counter = Counter()
    sets = []
    for condition in conditions:
        ok = set(passing(condition, facts))
        sets.append(ok)
        counts.update(ok)
    n = len(conditions)
    matched = sorted(pk for pk, c in counts.items() if c == n)
    misses: list[tuple[int, int]] = []
    if near and n:
        candidates = facts.ids if n == 1 else (pk for pk, c in counts.items() if c == n - 1)
        for pk in candidates:
            if counts.get(pk, 0) != n - 1:
                continue
            missed = next(i for i, s in enumerate(sets) if pk not in s)
            misses.append((pk, missed))
        misses.sort()
    return MatchResult(matched=matched, near=misses)


def _actual_text(spec, actual: Any, facts: Facts) -> str:
    if spec.kind in ("multi", "tag"):
        labels = labels_of(spec, facts.labels)
        items = sorted(actual or ())
        return "、".join(labels.get(v, v) for v in items) or _("无")
    if actual is None:
        return _("无数据")
    if spec.kind == "choice":
        labels = labels_of(spec, facts.labels)
        text = labels.get(actual, actual)
        if spec.key == "mujun_grade" and facts.mujun_year:
            text = _("%(g)s（%(y)d年度）") % {"g": text, "y": facts.mujun_year}
        return text
    if spec.kind == "bool":
        return _("是") if actual else _("否")
    shown = f"{actual:,.2f}".rstrip("0").rstrip(".") if isinstance(actual, float) else actual
    return f"{shown}{spec.unit}"


def reasons_for(conditions: list[dict[str, Any]], facts: Facts, pk: int) -> list[dict]:
    """Per condition, the value the registry holds for the enterprise and whether it held.

    Stored with each match in this compact form; `explain()` adds the Chinese texts."""
    out = []
    for condition in conditions:
        actual = facts.get(condition["field"], pk)
        if isinstance(actual, frozenset):
            actual = sorted(actual)
        out.append({"actual": actual, "held": holds(condition, actual)})
    return out


def explain(policy, stored: list[dict], cache: dict | None = None) -> list[dict]:
    """Stored reasons in full: field, the condition as a sentence, the value and its text.

    `cache` (a dict kept for one page or response) holds value labels and each policy's
    sentences, so explaining many rows costs no more queries than explaining one."""
    cache = {} if cache is None else cache
    key = ("sentences", policy.pk)
    if key not in cache:
        cache[key] = [sentence(c, cache) for c in policy.conditions]
    facts = cache.get("facts")
    if facts is None:
        facts = cache["facts"] = Facts(ids=[], labels=cache)
        from wulian.enterprises.mujun import latest_year

        facts.mujun_year = latest_year()
    out = []
    for condition, text, reason in zip(policy.conditions, cache[key], stored, strict=False):
        spec = FIELDS[condition["field"]]
        out.append(
            {
                "field": spec.key,
                "condition": text,
                "actual": reason["actual"],
                "text": f"{spec.label}：{_actual_text(spec, reason['actual'], facts)}",
                "held": reason["held"],
            }
        )
    return out


# ---- amounts --------------------------------------------------------------------------------

CENT = Decimal("0.01")


def validate_amount_rule(rule: Any) -> dict[str, Any]:
    """`{"kind": "fixed", "amount_wan": 50}` or `{"kind": "ratio", "field": "months.rd_sum",
    "rate": 0.1, "cap_wan": 200}`; ValidationError in Chinese otherwise."""
    if not isinstance(rule, dict) or rule.get("kind") not in ("fixed", "ratio"):
        raise ValidationError(
            _(
                '兑现金额规则应为 {"kind": "fixed", "amount_wan": 金额} 或 '
                '{"kind": "ratio", "field": 字段, "rate": 比例, "cap_wan": 上限}。'
            )
        )

    def number(key: str, *, required: bool = True) -> float | None:
        raw = rule.get(key)
        if raw is None and not required:
            return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw <= 0:
            raise ValidationError(_("兑现金额规则的“%(k)s”应为正数。") % {"k": key})
        return raw

    if rule["kind"] == "fixed":
        unknown = set(rule) - {"kind", "amount_wan"}
        if unknown:
            raise ValidationError(_("兑现金额规则含未知项：%(k)s") % {"k": "、".join(unknown)})
        return {"kind": "fixed", "amount_wan": number("amount_wan")}
    unknown = set(rule) - {"kind", "field", "rate", "cap_wan"}
    if unknown:
        raise ValidationError(_("兑现金额规则含未知项：%(k)s") % {"k": "、".join(unknown)})
    spec = FIELDS.get(rule.get("field"))
    if spec is None or spec.kind != "number" or spec.unit != "万元":
        allowed = "、".join(k for k, s in FIELDS.items() if s.kind == "number" and s.unit == "万元")
        raise ValidationError(_("按比例兑现须基于金额字段：%(a)s") % {"a": allowed})
    rate = number("rate")
    if rate > 1:
        raise ValidationError(_("兑现比例应在 0 到 1 之间，如 0.1 表示 10%。"))
    clean = {"kind": "ratio", "field": spec.key, "rate": rate}
    cap = number("cap_wan", required=False)
    if cap is not None:
        clean["cap_wan"] = cap
    return clean


def rule_fields(rule: dict[str, Any]) -> set[str]:
    return {rule["field"]} if rule.get("kind") == "ratio" else set()


def amount_for(rule: dict[str, Any], facts: Facts, pk: int) -> Decimal | None:
    """What the rule gives one enterprise, in 万元 (None when its base is unknown)."""
    if rule.get("kind") == "fixed":
        return Decimal(str(rule["amount_wan"])).quantize(CENT, ROUND_HALF_UP)
    if rule.get("kind") != "ratio":
        return None
    base = facts.get(rule["field"], pk)
    if base is None:
        return None
    amount = Decimal(str(base)) * Decimal(str(rule["rate"]))
    if rule.get("cap_wan") is not None:
        amount = min(amount, Decimal(str(rule["cap_wan"])))
    return max(amount, Decimal(0)).quantize(CENT, ROUND_HALF_UP)


def rule_text(rule: dict[str, Any]) -> str:
    if rule.get("kind") == "fixed":
        return _("每家 %(a)s 万元") % {"a": rule["amount_wan"]}
    if rule.get("kind") == "ratio":
        text = _("按%(f)s的 %(r)s%%") % {
            "f": FIELDS[rule["field"]].label,
            "r": f"{rule['rate'] * 100:g}",
        }
        if rule.get("cap_wan") is not None:
            text += _("，最高 %(c)s 万元") % {"c": rule["cap_wan"]}
        return text
    return "—"


def fields_of(conditions: list[dict[str, Any]], rule: dict[str, Any] | None = None) -> set[str]:
    return {c["field"] for c in conditions} | rule_fields(rule or {})


def match_policies(policies: list, enterprise_ids=None) -> tuple[Facts, dict[int, MatchResult]]:
    """Match several policies at once over one load of the facts they need."""
    names: set[str] = set()
    for policy in policies:
        names |= fields_of(policy.conditions, policy.amount_rule)
    facts = load_facts(names, enterprise_ids)
    return facts, {p.pk: match(p.conditions, facts) for p in policies}
