"""The `policies` dataset: template → filled → import → export returns what went in; a bad
row is reported by row and column in Chinese and nothing is written."""

import datetime as dt

import pytest
from django.core.management import call_command

from wulian.core.datasets import registry
from wulian.core.tests.roundtrip import fill_template, round_trip
from wulian.policies.models import Policy, PolicyMatch

from .helpers import build_registry

pytestmark = pytest.mark.django_db

CONDITIONS = '[{"field": "region", "op": "in", "value": ["330825"]}]'
RULE = '{"kind": "fixed", "amount_wan": 30}'


def _row(title="龙游县企业导入奖励", **extra):
    row = {
        "title": title,
        "doc_number": "衢示〔2025〕88号",
        "issued_on": dt.date(2025, 3, 1),
        "issuer": "jxj",
        "valid_from": dt.date(2025, 3, 1),
        "valid_until": dt.date(2026, 12, 31),
        "chains": "新材料",
        "stages": "成长壮大、技改",
        "mode": "快申快享",
        "materials": "申请表、营业执照",
        "conditions": CONDITIONS,
        "amount_rule": RULE,
        "payout_workdays": 45,
        "summary": "导入的政策",
    }
    row.update(extra)
    return list(row.values())


def test_round_trip_and_matching(users):
    build_registry()
    dataset = registry.get("policies")
    wanted, exported = round_trip(dataset, [_row()], users["econ"])
    # the mode is exported as its label like every choice column
    assert exported == wanted
    policy = Policy.objects.get()
    assert policy.stages == ["growth", "upgrade"] and policy.payout_workdays == 45
    assert policy.matched == PolicyMatch.objects.filter(policy=policy, is_near=False).count() > 0


def test_bad_rows_are_reported_and_nothing_is_written(users):
    build_registry(n=5)
    dataset = registry.get("policies")
    rows = [
        _row(),
        _row(title="坏条件", conditions='[{"field": "colour", "op": "in", "value": [1]}]'),
        _row(title="坏 JSON", amount_rule="{fixed"),
        _row(title="他部门", issuer="kjj"),
    ]
    report = dataset.run(actor=users["econ"], data=fill_template(dataset, rows))
    assert not report.ok and not Policy.objects.exists()
    found = {(e.row, e.column) for e in report.errors}
    assert (3, "适用条件") in found and (4, "兑现金额规则") in found and (5, "发文部门") in found
    messages = " ".join(e.message for e in report.errors)
    assert "未知字段“colour”" in messages and "只能导入本部门发布的政策" in messages


def test_import_data_command(users, tmp_path):
    build_registry(n=5)
    dataset = registry.get("policies")
    path = tmp_path / "policies.xlsx"
    path.write_bytes(fill_template(dataset, [_row()]))
    call_command("import_data", "policies", str(path), "--dry-run")
    assert not Policy.objects.exists()
    call_command("import_data", "policies", str(path))
    assert Policy.objects.count() == 1
