from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformKind(models.TextChoices):
    INSTITUTE = "institute", _("研究院")
    PILOT = "pilot", _("中试平台")
    LAB = "lab", _("重点实验室")
    RD_CENTER = "rd_center", _("企业研发中心")


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")


class TalentLevel(models.TextChoices):
    DOCTOR = "doctor", _("博士")
    MASTER = "master", _("硕士")
    BACHELOR = "bachelor", _("本科")
    SKILLED = "skilled", _("技能人才")


class TalentSupplyKind(models.TextChoices):
    INTRODUCED = "introduced", _("引进人才")
    GRADUATES = "graduates", _("高校专业毕业生")
    TRAINING = "training", _("技能培训")


class FinancingKind(models.TextChoices):
    LOAN = "loan", _("贷款")
    EQUITY = "equity", _("股权融资")
    BOND = "bond", _("债券")
    IPO = "ipo", _("上市融资")


class Dimension(models.TextChoices):
    """The five fusion dimensions, in display order."""

    INDUSTRY = "industry", _("产业链")
    INNOVATION = "innovation", _("创新链")
    TALENT = "talent", _("人才链")
    CAPITAL = "capital", _("资金链")
    SERVICE = "service", _("服务链")
