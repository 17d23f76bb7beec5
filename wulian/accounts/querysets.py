"""Read paths for accounts (administrators see every account)."""

from django.db.models import Prefetch

from wulian.core.models import User
from wulian.enterprises.models import Enterprise


def accounts():
    """Every account with what its list and detail show, in two queries."""
    return (
        User.objects.select_related("department", "region")
        .prefetch_related(Prefetch("enterprises", queryset=Enterprise.objects.only("id", "uscc")))
        .order_by("username")
    )
