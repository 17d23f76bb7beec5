"""The tasks dataset: round trip with the 四定, a missing 定 writes nothing."""

import datetime as dt

import pytest

from wulian.core.datasets import registry
from wulian.core.models import Department
from wulian.core.tests.roundtrip import fill_template, round_trip
from wulian.keywork.models import Task, WorkItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(base_config):
    return WorkItem.objects.create(
        code="chains",
        name="六大标志性产业链培育",
        lead_department=Department.objects.get(code="jxj"),
    )


def test_round_trip(work, users):
    rows = [
        [
            work.name,
            "新材料新增规上企业",
            "年内新增30家",
            30,
            "家",
            None,
            "jxj",
            "张三",
            "swj、tjj",
            dt.date(2025, 1, 1),
            dt.date(2025, 12, 31),
            "统计局确认名单",
            "每月",
        ],
        [
            work.name,
            "特种纸技改",
            "完成技改10项",
            None,
            None,
            None,
            "jxj",
            "李四",
            None,
            dt.date(2025, 3, 1),
            dt.date(2025, 11, 30),
            "验收报告",
            "每周",
        ],
    ]
    wanted, exported = round_trip(registry.get("tasks"), rows, users["leader"])
    assert exported == wanted
    assert Task.objects.get(title="新材料新增规上企业").co_departments.count() == 2


def test_missing_four_fixes_write_nothing(work, users):
    dataset = registry.get("tasks")
    rows = [
        [
            work.name,
            "A",
            "目标",
            None,
            None,
            None,
            "jxj",
            "张三",
            None,
            None,
            dt.date(2025, 12, 31),
            "标准",
            None,
        ],
        [
            work.name,
            "B",
            "目标",
            None,
            None,
            None,
            "jxj",
            None,
            None,
            None,
            dt.date(2025, 12, 31),
            "标准",
            None,
        ],
        [
            work.name,
            "C",
            "目标",
            None,
            None,
            None,
            "jxj",
            "王五",
            None,
            dt.date(2025, 6, 1),
            dt.date(2025, 1, 1),
            "标准",
            None,
        ],
    ]
    report = dataset.run(actor=users["leader"], data=fill_template(dataset, rows))
    assert {(e.row, e.column) for e in report.errors} == {(3, "责任人"), (4, "完成时限")}
    assert not Task.objects.exists()
