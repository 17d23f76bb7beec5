"""What keywork reads from other modules, through adapters that tolerate their absence.

Indicators, 企呼我应 and the investment pipeline are built alongside this module; if one of
them is not installed (or does not offer the function yet) the adapter answers "nothing"
instead of failing, and the agenda or task page simply lacks that part.
"""

from __future__ import annotations

import importlib
import logging
from decimal import Decimal, InvalidOperation

from wulian.core.models import CITY_CODE

log = logging.getLogger(__name__)


def _function(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        log.debug("keywork: %s.%s is not available", module, name)
        return None


def indicator_latest(code: str, region: str = CITY_CODE) -> dict | None:
    """{"value": Decimal, "period": str, "unit": str, ...} or None when unknown/absent."""
    latest_value = _function("wulian.indicators.services", "latest_value")
    if latest_value is None or not code:
        return None
    result = latest_value(code, region=region)
    if not result or result.get("value") is None:
        return None
    try:
        result["value"] = Decimal(str(result["value"]))
    except (InvalidOperation, TypeError):
        return None
    return result


def overdue_requests(limit: int = 20) -> list[dict]:
    """The most overdue 企呼我应 requests (empty when the service module is absent)."""
    func = _function("wulian.service.stats", "overdue_requests")
    return list(func(limit=limit)) if func else []


def stalled_projects(limit: int = 20, chain_code: str = "") -> list[dict]:
    """The longest-stalled investment projects (empty when the module is absent)."""
    func = _function("wulian.investment.stats", "stalled_projects")
    if func is None:
        return []
    rows = list(func(limit=limit if not chain_code else limit * 5))
    if chain_code:
        ids = _chain_project_ids(chain_code)
        rows = [r for r in rows if r["id"] in ids][:limit]
    return rows


def _chain_project_ids(chain_code: str) -> set[int]:
    try:
        from wulian.investment.models import Project
    except ImportError:
        return set()
    through = Project.links.through
    return set(
        through.objects.filter(link__chain__code=chain_code).values_list("project_id", flat=True)
    )
