"""Test data for 企呼我应: categories, enterprises with accounts, requests in a given state."""

import datetime as dt

from django.utils import timezone

from wulian.core.models import Department
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.service.demo import load_categories
from wulian.service.models import RoutingRule, ServiceCategory
from wulian.service.services import submit_request
from wulian.service.workflow import transition


def setup_loop(users):
    """Categories, one rule (policy → 经信局), and ent_demo's enterprise in 龙游县."""
    categories = load_categories()
    RoutingRule.objects.create(
        category=categories["policy"], department=Department.objects.get(code="jxj")
    )
    enterprise = EnterpriseFactory(name="演示企业", region_id="330825")
    enterprise.accounts.add(users["ent_demo"])
    return categories, enterprise


def file_request(users, category_code="policy", when=None, **kwargs):
    category = ServiceCategory.objects.get(code=category_code)
    return submit_request(
        actor=users["ent_demo"],
        category=category,
        title=kwargs.pop("title", "政策兑现咨询"),
        description=kwargs.pop("description", "请问亩均效益奖励何时兑现？"),
        now=when,
        **kwargs,
    )


def walk(request, users, steps, when=None):
    """Apply (action, username, kwargs) steps in order; returns the request."""
    for action, username, kwargs in steps:
        request = transition(
            request=request,
            action=action,
            actor=users[username] if username else None,
            now=when,
            **kwargs,
        )
    return request


ROUTED = [
    ("accept", "dispatcher", {}),
    ("route", "dispatcher", {}),
]
ANSWERED = [*ROUTED, ("start", "econ", {}), ("answer", "econ", {"answer": "已办理"})]


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))
