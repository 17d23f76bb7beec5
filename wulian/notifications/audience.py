"""Who is told: the people behind a department, a chain office, the city's leaders."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from wulian.core.choices import Role


def _active() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def department_users(department) -> QuerySet:
    """The staff of one department (empty for no department)."""
    if department is None:
        return _active().none()
    pk = getattr(department, "pk", department)
    return _active().filter(role=Role.DEPARTMENT, department_id=pk)


def dispatchers() -> QuerySet:
    """The staff of the dispatching department(s) (营商办)."""
    return _active().filter(role=Role.DEPARTMENT, department__is_dispatcher=True)


def chain_office(chain_code: str) -> QuerySet:
    """The chain chief and chain office of one chain (链长/链办)."""
    if not chain_code:
        return _active().none()
    return _active().filter(role=Role.CHAIN, chain_code=chain_code)


def leaders() -> QuerySet:
    """The city's leaders (市领导)."""
    return _active().filter(role=Role.LEADER)
