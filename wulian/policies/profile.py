"""What the 政策体系 adds to an enterprise's profile (一企一档): its matched policies, its
near misses (潜在对象, government users only) and its payouts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wulian.core.permissions import is_enterprise_user
from wulian.enterprises.profile import ProfileSection

from .models import Payout, PolicyMatch


def policies_section(*, enterprise, user) -> dict | None:
    matches = (
        PolicyMatch.objects.visible_to(user)
        .filter(enterprise=enterprise, policy__is_active=True)
        .select_related("policy", "policy__issuer")
        .order_by("is_near", "-policy__issued_on")
    )
    if is_enterprise_user(user):
        matches = matches.filter(is_near=False)
    payouts = (
        Payout.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("policy")
        .order_by("-started_at")
    )
    return {"policy_matches": list(matches[:20]), "policy_payouts": list(payouts[:20])}


SECTION = ProfileSection(
    key="policies",
    title=_("惠企政策"),
    order=45,
    template="policies/partials/profile_policies.html",
    render=policies_section,
)
