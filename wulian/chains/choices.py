from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    """Where a link sits in its chain."""

    UPSTREAM = "up", _("上游")
    MIDSTREAM = "mid", _("中游")
    DOWNSTREAM = "down", _("下游")


class LinkRole(models.TextChoices):
    """How an enterprise takes part in a link."""

    MAIN = "main", _("主营")
    SUPPORT = "support", _("配套")
