from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStage(models.TextChoices):
    """Where a project stands in the pipeline (线索 → … → 投产/达产), or lost (已流失)."""

    LEAD = "lead", _("线索")
    NEGOTIATING = "negotiating", _("洽谈")
    SIGNED = "signed", _("签约")
    LAND = "land", _("供地")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产/达产")
    LOST = "lost", _("已流失")


# The pipeline in order (lost is not a step of it).
PIPELINE = [
    ProjectStage.LEAD,
    ProjectStage.NEGOTIATING,
    ProjectStage.SIGNED,
    ProjectStage.LAND,
    ProjectStage.STARTED,
    ProjectStage.COMPLETED,
    ProjectStage.PRODUCING,
]
# Stages a project can no longer stall in: it is finished or gone.
FINAL_STAGES = frozenset({ProjectStage.PRODUCING, ProjectStage.LOST})


class DocumentKind(models.TextChoices):
    """Documents a stage checklist may ask for."""

    AGREEMENT = "agreement", _("投资协议（已签署）")
    LAND = "land", _("供地文件（土地出让合同）")
    PERMIT = "permit", _("施工许可证")
    OTHER = "other", _("其他材料")
