"""load_scale: the demo grown N times inside PostgreSQL, copies pointing at copies."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from wulian.core.validators import uscc_check_char
from wulian.enterprises.models import Enterprise, EnterpriseMonth
from wulian.service.demo import load_categories
from wulian.service.models import ServiceRequest
from wulian.service.services import submit_request


@pytest.fixture
def small_demo(users):
    firms = []
    for n, region in enumerate(["330802", "330825"]):
        first17 = f"91{region}MA2D0000{n}"
        firm = Enterprise.objects.create(
            uscc=first17 + uscc_check_char(first17), name=f"样本企业{n}", region_id=region
        )
        for month in (1, 2, 3):
            EnterpriseMonth.objects.create(
                enterprise=firm, month=dt.date(2025, month, 1), output_wan=100 * (n + 1)
            )
        firms.append(firm)
    firms[0].accounts.add(users["ent_demo"])
    submit_request(
        actor=users["ent_demo"],
        category=load_categories()["policy"],
        title="样本诉求",
        description="规模测试",
    )
    return firms


@pytest.mark.django_db
def test_load_scale_grows_every_row_and_keeps_who_points_at_whom(small_demo):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("load_scale", "--factor", "3")
        return
    call_command("load_scale", "--factor", "3")
    assert Enterprise.objects.count() == 6
    assert EnterpriseMonth.objects.count() == 18
    assert ServiceRequest.objects.count() == 3
    copies = Enterprise.objects.filter(name__contains="（规模测试").order_by("id")
    assert copies.count() == 4 and all(e.is_synthetic for e in copies)
    for copy in copies:
        assert copy.uscc[17] == uscc_check_char(copy.uscc[:17])  # a valid code of its own
        original = Enterprise.objects.get(name=copy.name.split("（")[0])
        assert copy.region_id == original.region_id
        assert list(copy.months.values_list("month", "output_wan")) == list(
            original.months.values_list("month", "output_wan")
        )
    # each copy of the request belongs to a copy of its enterprise
    copied = ServiceRequest.objects.filter(enterprise__name__contains="（规模测试")
    assert sorted(r.enterprise.name for r in copied) == [
        "样本企业0（规模测试 1）",
        "样本企业0（规模测试 2）",
    ]
    # growing twice is refused: the command wants the demo as it was loaded
    with pytest.raises(CommandError, match="已扩容"):
        call_command("load_scale", "--factor", "2")
