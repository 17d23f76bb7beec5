"""Reading the other modules through the functions agreed with them, never their models.

Each adapter returns {"ok": bool, "data": ...}. A module that is not built yet (ImportError)
or whose function is missing or shaped differently (AttributeError, KeyError, TypeError) makes
its tile say “模块建设中/数据缺失” instead of failing the page.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

MISSING = {"ok": False, "data": None}


def _call(module: str, function: str, shape: Callable[[Any], Any] = lambda x: x) -> dict:
    try:
        func = getattr(importlib.import_module(module), function)
        return {"ok": True, "data": shape(func())}
    except (ImportError, AttributeError, KeyError, TypeError, ValueError) as exc:
        logger.info("cockpit: %s.%s unavailable: %s", module, function, exc)
        return dict(MISSING)


def _chains(rows):
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "links": r.get("links"),
            "enterprises": r.get("enterprises"),
            "output_yi": float(r.get("output_wan") or 0) / 10000,
        }
        for r in rows
    ]


def _scorecards(rows):
    dims = ("industry", "innovation", "talent", "capital", "service")
    out = []
    for r in rows:
        scores = r.get("scores") or r.get("dimensions") or {}
        row = {"code": r["code"], "name": r["name"], "total": r.get("total")}
        for dim in dims:
            row[dim] = r.get(dim, scores.get(dim) if isinstance(scores, dict) else None)
        out.append(row)
    return out


def _pct(value):
    if value is None:
        return None
    value = float(value)
    return value * 100 if value <= 1 else value


def _service(data):
    return {
        "total": data["total"],
        "open": data["open"],
        "overdue": data["overdue"],
        "closed_rate": _pct(data.get("closed_rate")),
        "on_time_rate": _pct(data.get("on_time_rate")),
        "satisfaction": data.get("satisfaction"),
    }


def _pipeline(data):
    stages = [
        {
            "stage": s["stage"],
            "label": s["label"],
            "count": s["count"],
            "planned_yi": float(s.get("planned_wan") or 0) / 10000,
            "completed_yi": float(s.get("completed_wan") or 0) / 10000,
        }
        for s in data["stages"]
    ]
    total = data.get("total") or {}
    return {
        "stages": stages,
        "count": total.get("count", sum(s["count"] for s in stages)),
        "planned_yi": float(total.get("planned_wan") or 0) / 10000,
        "completed_yi": float(total.get("completed_wan") or 0) / 10000,
        "stalled": data.get("stalled"),
        "major": data.get("major"),
    }


def chain_summaries() -> dict:
    return _call("wulian.chains.services", "chain_summaries", _chains)


def chain_scorecards() -> dict:
    return _call("wulian.fusion.services", "chain_scorecards", _scorecards)


def service_overview() -> dict:
    return _call("wulian.service.stats", "overview", _service)


def pipeline_overview() -> dict:
    return _call("wulian.investment.stats", "pipeline_overview", _pipeline)
