from wulian.enterprises.services import import_enterprises
from wulian.enterprises.tests.helpers import xlsx_bytes
from wulian.enterprises.tests.test_import import good_rows


def test_audit_page_only_for_admins(client, users):
    for username in ["leader", "econ", "ent_demo"]:
        client.force_login(users[username])
        assert client.get("/audit/").status_code == 403
    client.force_login(users["admin"])
    assert client.get("/audit/").status_code == 200


def test_bulk_import_is_audited_and_filterable(client, api_client, users):
    # given: a bulk import by econ (bulk_create paths that signal-based audit would miss)
    rows = good_rows()
    import_enterprises(actor=users["econ"], data=xlsx_bytes(rows))
    # when: the admin filters the audit log by actor and type
    client.force_login(users["admin"])
    body = client.get("/audit/?actor=econ&model=enterprises.enterprise").content.decode()
    # then: each imported enterprise shows, with the values written
    for row in rows:
        assert row[1] in body
    api_client.force_authenticate(users["admin"])
    data = api_client.get("/api/v1/audit-events/?actor=econ&action=create").json()
    assert data["count"] == 3
    assert {e["after"]["name"] for e in data["results"]} == {r[1] for r in rows}
    api_client.force_authenticate(users["leader"])
    assert api_client.get("/api/v1/audit-events/").status_code == 403


def audited_change(client, users, name, action, before=None, after=None) -> str:
    """Audit a change to a new enterprise by econ; the admin's audit page for it, as HTML."""
    from wulian.core import audit
    from wulian.enterprises.tests.factories import EnterpriseFactory

    firm = EnterpriseFactory(name=name)
    audit.record(actor=users["econ"], action=action, instance=firm, before=before, after=after)
    client.force_login(users["admin"])
    page = client.get(f"/audit/?q={name}").content.decode()
    return page.split('data-testid="audit-table"')[1]


def test_changes_read_in_the_fields_own_names(client, users):
    from wulian.core.choices import AuditAction

    table = audited_change(
        client,
        users,
        "审计测试企业",
        AuditAction.UPDATE,
        before={"name": "旧名称", "output_wan": "100", "region": "330802", "listing_board": ""},
        after={
            "name": "审计测试企业",
            "output_wan": "100",
            "region": "330825",
            "listing_board": "star",
        },
    )
    # the type and the fields by the names users know, each change as before → after; fields
    # that did not change are left out; a choice by its label, a related record by its name
    assert ">企业 #" in table
    assert "企业名称</span> 旧名称 → 审计测试企业" in table
    assert "所属区县</span> 柯城区 → 龙游县" in table
    assert "上市板块</span> — → 科创板" in table
    assert "年产值（万元）" not in table


def test_a_new_record_shows_its_values_without_arrows(client, users):
    from wulian.core.choices import AuditAction

    table = audited_change(
        client,
        users,
        "新登记企业",
        AuditAction.CREATE,
        after={
            "name": "新登记企业",
            "is_listed": False,
            "listing_board": "",
            "created_at": "2026-11-26T17:36:25.458820+00:00",
        },
    )
    cell = table.split('data-testid="audit-changes"')[1].split("</td>")[0]
    assert "企业名称</span> 新登记企业" in cell
    assert "上市企业</span> 否" in cell
    assert "2026-11-27 01:36:25" in cell  # stored in UTC, shown in the city's time
    assert "→" not in cell


def test_a_related_record_since_deleted_keeps_its_stored_key(client, users):
    from wulian.core.choices import AuditAction

    table = audited_change(
        client,
        users,
        "已注销区县企业",
        AuditAction.UPDATE,
        before={"region": "339999"},
        after={"region": "330825"},
    )
    assert "所属区县</span> #339999 → 龙游县" in table
