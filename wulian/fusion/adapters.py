"""Reading the service (企呼我应) and investment (招商项目) modules, which may be absent.

They are separate apps built on the chains; fusion reads their per-link summaries. If one
is not installed or does not offer the function yet, its part of the score is reported as
“数据缺失” and the score uses what is there.
"""

from __future__ import annotations

import importlib
import logging

logger = logging.getLogger(__name__)

MISSING = "数据缺失"


def _call(module: str, function: str) -> tuple[dict[int, dict] | None, str]:
    try:
        summary = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        return None, f"{module}.{function} 不可用"
    try:
        return summary(), ""
    except Exception as exc:  # a module under construction must not take the scorecard down
        logger.warning("fusion: %s.%s failed: %s", module, function, exc)
        return None, f"{module}.{function} 读取失败"


def link_service_summary() -> tuple[dict[int, dict] | None, str]:
    """{link id: {"total", "closed", "on_time", "satisfaction"}} or (None, why)."""
    return _call("wulian.service.stats", "link_service_summary")


def link_project_summary() -> tuple[dict[int, dict] | None, str]:
    """{link id: {"projects", "planned_wan"}} or (None, why)."""
    return _call("wulian.investment.stats", "link_project_summary")
