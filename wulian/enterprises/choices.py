from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingBoard(models.TextChoices):
    """Where a listed company's shares trade."""

    SH_MAIN = "sh_main", _("上交所主板")
    SZ_MAIN = "sz_main", _("深交所主板")
    CHINEXT = "chinext", _("创业板")
    STAR = "star", _("科创板")
    BSE = "bse", _("北交所")
    HK = "hk", _("港交所")
    OVERSEAS = "overseas", _("境外")
    NEEQ = "neeq", _("新三板")


class MonthMetric(models.TextChoices):
    """The figures of an enterprise's monthly report (规上企业月报), by field name."""

    OUTPUT = "output_wan", _("工业总产值")
    REVENUE = "revenue_wan", _("营业收入")
    TAX = "tax_wan", _("税收")
    ELECTRICITY = "electricity_wkwh", _("用电量")
    EMPLOYEES = "employees", _("从业人员")
    RD = "rd_wan", _("研发费用")


METRIC_UNITS = {
    "output_wan": _("万元"),
    "revenue_wan": _("万元"),
    "tax_wan": _("万元"),
    "electricity_wkwh": _("万千瓦时"),
    "employees": _("人"),
    "rd_wan": _("万元"),
}


class ChangeSource(models.TextChoices):
    """Where a change to a monthly figure came from."""

    IMPORT = "import", _("文件导入")
    API = "api", _("接口")
    FORM = "form", _("页面填报")


class TagKind(models.TextChoices):
    """Labels a city gives its enterprises (each with its source and validity)."""

    CHAIN_LEADER = "chain_leader", _("链主企业")
    SPECIALIZED = "specialized", _("专精特新")
    LITTLE_GIANT = "little_giant", _("专精特新“小巨人”")
    CHAMPION = "champion", _("单项冠军")
    HIGH_TECH = "high_tech", _("高新技术企业")
    LISTED = "listed", _("上市企业")
    LISTING_RESERVE = "listing_reserve", _("上市后备（凤凰行动）")
    ABOVE_SCALE = "above_scale", _("规上企业")


class MujunGrade(models.TextChoices):
    """亩均论英雄 classes (A best)."""

    A = "A", _("A类（优先发展）")
    B = "B", _("B类（提升发展）")
    C = "C", _("C类（倒逼转型）")
    D = "D", _("D类（整治提升）")


class MujunMethod(models.TextChoices):
    """How scores become grades."""

    SHARE = "share", _("按县内得分排名比例")
    CUTOFF = "cutoff", _("按得分分数线")


class WarningMetric(models.TextChoices):
    """The monthly figures early warning watches."""

    OUTPUT = "output_wan", _("工业总产值")
    TAX = "tax_wan", _("税收")
    ELECTRICITY = "electricity_wkwh", _("用电量")
    EMPLOYEES = "employees", _("从业人员")


class WarningKind(models.TextChoices):
    """What counts as a fall."""

    YOY = "yoy", _("连续N个月同比下降")
    DROP = "drop", _("较N个月前下降")


class FlagStatus(models.TextChoices):
    """Where an early-warning flag stands; acting on it records what was done."""

    OPEN = "open", _("待处置")
    VISIT = "visit", _("已安排走访")
    REQUEST = "request", _("已代企业发起诉求")
    DISMISSED = "dismissed", _("已核实排除")
    CLEARED = "cleared", _("已消除")
