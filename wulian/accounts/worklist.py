"""What account work waits for one person (read by the workbench): enterprise account
claims to review, for administrators and for the staff of the enterprises' county."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.worklist import ITEMS_PER_SECTION, Todo, TodoSection

from .models import AccountClaim
from .permissions import may_review_claims


def sections_for(user) -> list[TodoSection]:
    """Claims under review that `user` may decide (none for anyone else)."""
    if not may_review_claims(user):
        return []
    pending = AccountClaim.objects.visible_to(user).pending()
    count = pending.count()
    if not count:
        return []
    rows = pending.select_related("enterprise").order_by("created_at", "id")[:ITEMS_PER_SECTION]
    items = [
        Todo(
            title=c.enterprise.name,
            url=reverse("accounts:claim-detail", args=[c.pk]),
            detail=_("联系人 %(n)s · 用户名 %(u)s · %(t)s 提交")
            % {
                "n": c.contact_name,
                "u": c.username,
                "t": timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
            },
            status=c.get_status_display(),
        )
        for c in rows
    ]
    section = TodoSection(
        key="accounts.claims",
        label=_("待审核的企业账号认领"),
        url=reverse("accounts:claims"),
        count=count,
        overdue=0,
        items=items,
    )
    return [section]
