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
