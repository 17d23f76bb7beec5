"""The projects dataset: round trip, stage untouched, a bad file writes nothing."""

import pytest

from wulian.chains.models import Chain, Link
from wulian.core.datasets import registry
from wulian.core.tests.roundtrip import fill_template, round_trip
from wulian.enterprises.tests.factories import make_uscc
from wulian.investment.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(base_config):
    chain = Chain.objects.create(code="xcl", name="新材料", sort=1)
    Link.objects.create(chain=chain, code="ptfe", name="含氟聚合物", segment="mid")
    Link.objects.create(chain=chain, code="hf", name="氢氟酸", segment="up")


def test_round_trip_and_update_keeps_the_stage(links, users):
    code = make_uscc("330825")
    rows = [
        [
            "含氟新材料项目",
            "示例氟材料股份有限公司",
            "衢州示例氟材料有限公司",
            code,
            "龙游县",
            150000,
            "新材料·含氟聚合物、新材料·氢氟酸",
            "swj",
            "李四",
            "重点",
        ],
        ["纸基新材料项目", "示例纸业", None, None, "柯城区", 20000, None, None, None, None],
    ]
    dataset = registry.get("projects")
    wanted, exported = round_trip(dataset, rows, users["leader"])
    assert exported == wanted
    project = Project.objects.get(name="含氟新材料项目")
    assert project.stage == "lead" and project.lead_department.code == "swj"
    Project.objects.filter(pk=project.pk).update(stage="signed")
    again = [
        [
            "含氟新材料项目",
            "示例氟材料股份有限公司",
            None,
            code,
            "龙游县",
            180000,
            None,
            "swj",
            "李四",
            None,
        ]
    ]
    report = dataset.run(actor=users["leader"], data=fill_template(dataset, again))
    assert report.ok and (report.created, report.updated) == (0, 1)
    project.refresh_from_db()
    assert project.stage == "signed" and project.planned_wan == 180000


def test_bad_file_writes_nothing(links, users):
    dataset = registry.get("projects")
    rows = [
        ["A", "投资方", None, None, "龙游县", 1, None, None, None, None],
        ["B", "投资方", None, None, "上海", 1, None, None, None, None],
        ["C", "投资方", None, None, "龙游县", 1, "新材料·石墨烯", "no-dept", None, None],
    ]
    report = dataset.run(actor=users["leader"], data=fill_template(dataset, rows))
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "落地区县"),
        (4, "填补环节"),
        (4, "牵头部门"),
    }
    assert not Project.objects.exists()
