"""The staff-accounts dataset: round trip (passwords never exported), bad rows write nothing."""

import pytest

from wulian.core.datasets import registry
from wulian.core.models import User
from wulian.core.tests.roundtrip import fill_template, round_trip
from wulian.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Quzhou-2025-wl"


def test_round_trip_without_passwords(base_config, users):
    from wulian.chains.models import Chain

    Chain.objects.create(code="xcl", name="新材料")
    enterprise = EnterpriseFactory()
    rows = [
        ["li_si", "李四", "部门", "jxj", None, None, None, "科员", PASSWORD, "是"],
        ["wang_wu", "王五", "区县", None, "龙游县", None, None, None, PASSWORD, "否"],
        ["zhao_liu", "赵六", "企业", None, None, None, enterprise.uscc, None, PASSWORD, "是"],
        ["qian_qi", "钱七", "链长/链办", None, None, "xcl", None, None, PASSWORD, "是"],
    ]
    dataset = registry.get("staff-accounts")
    wanted, exported = round_trip(dataset, rows, users["admin"])
    mine = [r for r in exported if r[0] in {"li_si", "wang_wu", "zhao_liu", "qian_qi"}]
    assert mine == sorted([[*r[:8], None, r[9]] for r in wanted], key=lambda r: [str(v) for v in r])
    li = User.objects.get(username="li_si")
    assert li.check_password(PASSWORD) and li.must_change_password
    assert not User.objects.get(username="wang_wu").is_active
    # an update keeps the password when the column is empty
    again = [["li_si", "李四", "部门", "swj", None, None, None, "副科长", None, "是"]]
    report = dataset.run(actor=users["admin"], data=fill_template(dataset, again))
    assert report.ok and report.updated == 1
    li.refresh_from_db()
    assert li.department.code == "swj" and li.check_password(PASSWORD)


def test_bad_rows_write_nothing(base_config, users):
    dataset = registry.get("staff-accounts")
    rows = [
        ["a_new", "甲", "部门", "jxj", None, None, None, None, PASSWORD, "是"],
        ["b_new", "乙", "部门", None, None, None, None, None, PASSWORD, "是"],
        ["c_new", "丙", "区县", None, "龙游县", None, None, None, "123", "是"],
        ["leader", "重名", "市领导", None, None, None, None, None, None, "是"],
    ]
    before = User.objects.count()
    report = dataset.run(actor=users["admin"], data=fill_template(dataset, rows))
    found = {(e.row, e.column) for e in report.errors}
    assert (3, "部门") in found and (4, "初始密码") in found
    assert not any(row == 5 for row, _c in found)  # an existing account is updated, not refused
    assert User.objects.count() == before
    assert not registry.get("staff-accounts").import_roles  # administrators only


def test_only_administrators_import_accounts(base_config, users, client):
    client.force_login(users["leader"])
    assert client.get("/data/staff-accounts/import/").status_code == 403
    client.force_login(users["admin"])
    assert client.get("/data/staff-accounts/import/").status_code == 200
