"""Conditions are validated when saved: unknown field or operator → a Chinese error, nothing
written."""

import pytest

from wulian.policies.models import Policy

from .helpers import build_registry, policy_payload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([{"field": "colour", "op": "in", "value": ["red"]}], "未知字段“colour”"),
        ([{"field": "region", "op": ">=", "value": 3}], "不能使用运算符“>=”"),
        ([{"field": "region", "op": "in", "value": ["999999"]}], "没有“999999”这个值"),
        ([{"field": "employees", "op": ">=", "value": "很多"}], "的值应为数字"),
        ([{"field": "tag", "op": "has", "value": "不存在的标签"}], "没有“不存在的标签”这个值"),
        ([{"field": "region", "op": "in"}], "应恰好包含 field、op、value"),
        ([], "请至少设置一个适用条件"),
        ("region=330825", "适用条件应为列表"),
    ],
)
def test_bad_conditions_are_refused_in_chinese(users, api_client, conditions, message):
    build_registry(n=5)
    api_client.force_authenticate(users["econ"])
    answer = api_client.post(
        "/api/v1/policies/", policy_payload(conditions=conditions), format="json"
    )
    assert answer.status_code == 400
    assert message in str(answer.json()["conditions"])
    assert not Policy.objects.exists()


def test_bad_amount_rule_is_refused(users, api_client):
    api_client.force_authenticate(users["econ"])
    rule = {"kind": "ratio", "field": "employees", "rate": 0.1}
    answer = api_client.post("/api/v1/policies/", policy_payload(amount_rule=rule), format="json")
    assert answer.status_code == 400
    assert "按比例兑现须基于金额字段" in str(answer.json()["amount_rule"])


def test_application_mode_needs_a_material_checklist(users, api_client):
    api_client.force_authenticate(users["econ"])
    answer = api_client.post("/api/v1/policies/", policy_payload(mode="application"), format="json")
    assert answer.status_code == 400
    assert "材料清单" in str(answer.json())


def test_condition_field_catalogue_lists_fields_and_operators(users, api_client):
    api_client.force_authenticate(users["ent_demo"])
    rows = api_client.get("/api/v1/policy-fields/").json()
    fields = {r["field"]: r for r in rows}
    assert {"region", "chain", "mujun_grade", "tag", "months.output_yoy"} <= set(fields)
    assert [o["op"] for o in fields["tag"]["ops"]] == ["has", "not_has"]
