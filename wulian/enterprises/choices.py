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
