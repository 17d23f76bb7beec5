"""TargetCompanyFilterSet: the 招商目标企业 page and the API narrow by chain the same way,
within what the user may see."""

import re
from decimal import Decimal

import pytest

from wulian.chains.models import TargetCompany

from .helpers import build_chain


@pytest.fixture
def targets(users):
    _, xcl = build_chain("xcl", "新材料", [("acid", "氢氟酸", "up"), ("film", "膜材料", "down")])
    _, xny = build_chain("xny", "新能源", [("cell", "电芯", "mid")])
    made = {}
    for name, revenue, links in [
        ("甲氟化工", 900, [xcl["acid"]]),
        ("乙膜业", 800, [xcl["film"], xcl["acid"]]),  # two links of one chain: listed once
        ("丙电池", 700, [xny["cell"]]),
        ("丁材料", 600, [xcl["film"], xny["cell"]]),
    ]:
        made[name] = TargetCompany.objects.create(name=name, revenue_wan=Decimal(revenue))
        made[name].links.set(links)
    return made


def _page_names(client, user, query):
    client.force_login(user)
    html = client.get(f"/chains/targets/{query}").content.decode()
    return [n for n in ("甲氟化工", "乙膜业", "丙电池", "丁材料") if re.search(n, html)]


def _api_names(api_client, user, query):
    api_client.force_authenticate(user)
    body = api_client.get(f"/api/v1/target-companies/{query}").json()
    return [row["name"] for row in body["results"]]


@pytest.mark.parametrize(
    "username, query, expected",
    [
        ("leader", "", ["甲氟化工", "乙膜业", "丙电池", "丁材料"]),
        ("leader", "?chain=xcl", ["甲氟化工", "乙膜业", "丁材料"]),
        ("leader", "?chain=xny", ["丙电池", "丁材料"]),
        ("leader", "?chain=nope", []),
        ("chief_xcl", "", ["甲氟化工", "乙膜业", "丁材料"]),
        ("chief_xcl", "?chain=xny", ["丁材料"]),  # on one of the chief's links too
    ],
)
def test_page_and_api_filter_alike(client, api_client, users, targets, username, query, expected):
    user = users[username]
    assert _api_names(api_client, user, query) == expected
    assert _page_names(client, user, query) == expected
