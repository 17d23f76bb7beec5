"""Plausibility rules for indicator values; they warn, they never block.

- range: a share stays within its indicator's bounds (0–100 for a %);
- part ≤ whole: a part (出口) never exceeds its whole (外贸进出口总额) for the same region
  and period;
- outliers: a value whose z-score among the province's cities for the same period exceeds
  Z_LIMIT.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from . import calc
from .models import Indicator, Observation

Z_LIMIT = 2.5

Key = tuple[str, str, bool]  # region, period, cumulative


def check_values(
    indicator: Indicator,
    values: dict[Key, Decimal],
    labels: dict[Key, str] | None = None,
    pending: dict[str, dict[Key, Decimal]] | None = None,
) -> list[str]:
    """Warnings for proposed values of one indicator (merged with what is stored).

    `pending` holds the other indicators' values of the same import, by code, so that a part
    and its whole arriving in one file are checked against each other.
    """
    pending = pending or {}
    labels = labels or {}
    warnings: list[str] = []
    stored: dict[Key, Decimal] = {
        (o.region_id, o.period, o.cumulative): o.value
        for o in Observation.objects.filter(indicator=indicator)
    }
    merged = {**stored, **values}
    for key, value in values.items():
        where = labels.get(key) or f"{key[0]} {key[1]}"
        if indicator.value_min is not None and value < indicator.value_min:
            warnings.append(
                _("%(w)s：%(n)s 为 %(v)s，低于合理下限 %(m)s")
                % {"w": where, "n": indicator.name, "v": value, "m": indicator.value_min}
            )
        if indicator.value_max is not None and value > indicator.value_max:
            warnings.append(
                _("%(w)s：%(n)s 为 %(v)s，超过合理上限 %(m)s")
                % {"w": where, "n": indicator.name, "v": value, "m": indicator.value_max}
            )
    if indicator.part_of_id:
        whole = {
            (o.region_id, o.period, o.cumulative): o.value
            for o in Observation.objects.filter(indicator_id=indicator.part_of_id)
        }
        whole.update(pending.get(indicator.part_of.code, {}))
        for key, value in values.items():
            if key in whole and value > whole[key]:
                warnings.append(
                    _("%(w)s：%(n)s（%(v)s）大于其总量“%(t)s”（%(x)s）")
                    % {
                        "w": labels.get(key) or f"{key[0]} {key[1]}",
                        "n": indicator.name,
                        "v": value,
                        "t": indicator.part_of.name,
                        "x": whole[key],
                    }
                )
    for part in indicator.parts.all():
        stored_part = {
            (o.region_id, o.period, o.cumulative): o.value
            for o in Observation.objects.filter(indicator=part)
        }
        stored_part.update(pending.get(part.code, {}))
        for key, value in values.items():
            if key in stored_part and stored_part[key] > value:
                warnings.append(
                    _("%(w)s：%(n)s（%(v)s）小于其组成部分“%(p)s”（%(x)s）")
                    % {
                        "w": labels.get(key) or f"{key[0]} {key[1]}",
                        "n": indicator.name,
                        "v": value,
                        "p": part.name,
                        "x": stored_part[key],
                    }
                )
    from wulian.core.models import Region

    peers = set(Region.objects.filter(is_peer_city=True).values_list("code", flat=True))
    by_period: dict[tuple[str, bool], dict[str, Decimal]] = defaultdict(dict)
    for (region, period, cumulative), value in merged.items():
        if region in peers:
            by_period[(period, cumulative)][region] = value
    for key, value in values.items():
        if key[0] not in peers:
            continue
        scores = calc.zscores(by_period[(key[1], key[2])])
        z = scores.get(key[0])
        if z is not None and abs(z) > Z_LIMIT:
            warnings.append(
                _("%(w)s：%(n)s 为 %(v)s，明显偏离全省各市同期水平（z = %(z).1f），请核实")
                % {
                    "w": labels.get(key) or f"{key[0]} {key[1]}",
                    "n": indicator.name,
                    "v": value,
                    "z": z,
                }
            )
    return warnings


def stored_warnings(indicator: Indicator) -> list[str]:
    """The same rules over what is stored now (shown on the indicator's page)."""
    values = {
        (o.region_id, o.period, o.cumulative): o.value
        for o in Observation.objects.filter(indicator=indicator)
    }
    return check_values(indicator, values)
