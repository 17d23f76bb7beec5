"""Read paths for accounts: the account list (administrators) and account claims."""

from django.db import models
from django.db.models import Prefetch

from wulian.core.models import User
from wulian.enterprises.models import Enterprise

from .choices import ClaimStatus
from .permissions import may_review_claims, sees_every_claim


def accounts():
    """Every account with what its list and detail show, in two queries."""
    return (
        User.objects.select_related("department", "region")
        .prefetch_related(Prefetch("enterprises", queryset=Enterprise.objects.only("id", "uscc")))
        .order_by("username")
    )


class AccountClaimQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AccountClaimQuerySet":
        """Administrators see every claim; county staff those for their county's enterprises;
        anyone else none."""
        if not may_review_claims(user):
            return self.none()
        if sees_every_claim(user):
            return self
        return self.filter(enterprise__region_id=user.region_id)

    def pending(self) -> "AccountClaimQuerySet":
        return self.filter(status=ClaimStatus.PENDING)

    def for_list(self) -> "AccountClaimQuerySet":
        return self.select_related("enterprise__region", "decided_by", "account")
