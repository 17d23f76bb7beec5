"""Choices for indicators, observations and targets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    YEAR = "year", _("年")
    QUARTER = "quarter", _("季")
    MONTH = "month", _("月")


class Direction(models.TextChoices):
    """Whether a larger value is better (GDP) or a smaller one (城乡居民收入倍差)."""

    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Kind(models.TextChoices):
    """What sort of number an indicator is; it decides how its change is worded.

    An amount or a count grows in % (and has a CAGR); a share or rate (%) changes in
    percentage points; a ratio (倍差) by its difference; a rank (位次) by places.
    """

    AMOUNT = "amount", _("总量")
    COUNT = "count", _("个数")
    SHARE = "share", _("比重或比率")
    RATIO = "ratio", _("倍数")
    RANK = "rank", _("位次")


class ChangeUnit(models.TextChoices):
    """The unit a change of an indicator is stated in (follows from its kind)."""

    PERCENT = "pct", _("%")
    POINTS = "pp", _("个百分点")
    ABSOLUTE = "abs", _("差值")
    PLACES = "places", _("位")


class Verdict(models.TextChoices):
    """A change judged by the indicator's direction of good."""

    BETTER = "better", _("向好")
    WORSE = "worse", _("变差")
    SAME = "same", _("持平")


class Category(models.TextChoices):
    ECONOMY = "economy", _("经济总量")
    INDUSTRY = "industry", _("产业发展")
    OPENNESS = "openness", _("开放与交通")
    INNOVATION = "innovation", _("科技创新与人才")
    CAPITAL = "capital", _("资本与企业")
    PROSPERITY = "prosperity", _("共同富裕（三大差距）")
    CULTURE = "culture", _("文旅与民生")


class Qualifier(models.TextChoices):
    """How exact a published figure is: 1600多亿 is not 1600亿."""

    EXACT = "", _("精确")
    MORE = "more", _("多（略多于）")
    OVER = "over", _("超（突破）")
    AT_LEAST = "at_least", _("迈上（不低于）")
    UNDER = "under", _("不足（低于）")
    NEARLY = "nearly", _("近（接近）")


# How a qualified number reads (%(n)s is the number), in the reader's language: 超1000 / over 1,000.
QUALIFIED_NUMBER = {
    Qualifier.MORE: _("%(n)s多"),
    Qualifier.OVER: _("超%(n)s"),
    Qualifier.AT_LEAST: "≥%(n)s",
    Qualifier.UNDER: _("不足%(n)s"),
    Qualifier.NEARLY: _("近%(n)s"),
}


class RankBasis(models.TextChoices):
    LEVEL = "level", _("按总量")
    GROWTH = "growth", _("按增速")


class TargetKind(models.TextChoices):
    ANNUAL = "annual", _("年度目标")
    PLAN = "plan", _("五年规划目标")


class Grade(models.TextChoices):
    """保五争三拼第一: keep top five, strive for top three, fight for first."""

    FIRST = "first", _("第一")
    TOP3 = "top3", _("前三")
    TOP5 = "top5", _("前五")
    BELOW = "below", _("其后")
