"""Read paths for policies, matches and payouts; `visible_to` is the one place that scopes them."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from wulian.core.choices import Role
from wulian.core.permissions import is_administrator, is_government_user

from .permissions import is_department_staff, sees_every_match


def _active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


class PolicyQuerySet(models.QuerySet):
    def visible_to(self, user) -> PolicyQuerySet:
        """The catalogue is public to every signed-in government user; enterprises see the
        policies in force (有效). Anyone else sees nothing."""
        if not _active_user(user):
            return self.none()
        if is_government_user(user):
            return self
        return self.filter(is_active=True)

    def editable_by(self, user) -> PolicyQuerySet:
        """Policies the user may change: administrators all, department staff their own
        department's."""
        if not _active_user(user):
            return self.none()
        if is_administrator(user):
            return self
        if user.role == Role.DEPARTMENT and user.department_id:
            return self.filter(issuer_id=user.department_id)
        return self.none()

    def matched_for(self, user) -> PolicyQuerySet:
        """Policies in force that an enterprise user's enterprises qualify for."""
        return self.filter(
            is_active=True, matches__is_near=False, matches__enterprise__accounts=user
        ).distinct()


def _enterprise_rows(qs, user, prefix: str = "enterprise__"):
    if not _active_user(user):
        return qs.none()
    if sees_every_match(user):
        return qs
    if user.role == Role.CHAIN:
        if not user.chain_code:
            return qs.none()
        return qs.filter(**{f"{prefix}chain_code": user.chain_code})
    if user.role == Role.COUNTY:
        return qs.filter(**{f"{prefix}region_id": user.region_id}) if user.region_id else qs.none()
    if user.role == Role.ENTERPRISE:
        return qs.filter(**{f"{prefix}accounts": user})
    return qs.none()


class PolicyMatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> PolicyMatchQuerySet:
        """Leaders and departments see every match; a chain office its chain's enterprises
        (by main chain); county staff their county's; an enterprise only its own."""
        return _enterprise_rows(self, user)

    def qualified(self) -> PolicyMatchQuerySet:
        return self.filter(is_near=False)

    def near(self) -> PolicyMatchQuerySet:
        return self.filter(is_near=True)


class PayoutQuerySet(models.QuerySet):
    def visible_to(self, user) -> PayoutQuerySet:
        """Leaders see every payout; department staff those of their department's policies;
        a chain office its chain's enterprises; county staff their county's; an enterprise
        only its own."""
        if is_department_staff(user):
            if not user.department_id:
                return self.none()
            return self.filter(policy__issuer_id=user.department_id)
        return _enterprise_rows(self, user)

    def open(self) -> PayoutQuerySet:
        from .choices import OPEN_PAYOUT

        return self.filter(status__in=OPEN_PAYOUT)

    def on_the_clock(self) -> PayoutQuerySet:
        from .choices import CLOCK_PAYOUT

        return self.filter(status__in=CLOCK_PAYOUT)

    def overdue(self, now: dt.datetime | None = None) -> PayoutQuerySet:
        return self.on_the_clock().filter(due_at__lt=now or timezone.now())

    def for_list(self) -> PayoutQuerySet:
        return self.select_related("policy", "policy__issuer", "enterprise", "enterprise__region")
