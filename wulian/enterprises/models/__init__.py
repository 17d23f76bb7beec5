"""The enterprise registry (企业库) and the 一企一档 records around it."""

from .months import METRIC_FIELDS, EnterpriseMonth, EnterpriseMonthRevision, MonthRollup
from .mujun import MujunResult, MujunSettings
from .profile import EnterpriseTag, Visit
from .registry import Enterprise
from .warnings import WarningFlag, WarningRule

__all__ = [
    "METRIC_FIELDS",
    "Enterprise",
    "EnterpriseMonth",
    "EnterpriseMonthRevision",
    "EnterpriseTag",
    "MonthRollup",
    "MujunResult",
    "MujunSettings",
    "Visit",
    "WarningFlag",
    "WarningRule",
]
