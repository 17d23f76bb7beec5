"""Who may write the catalogue, and what an enterprise sees."""

import pytest

from wulian.policies.models import Policy

from .helpers import build_registry, policy_payload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["leader", "chief_xcl", "county_ly", "ent_demo"])
def test_only_departments_and_admins_create_policies(users, api_client, username):
    api_client.force_authenticate(users[username])
    answer = api_client.post("/api/v1/policies/", policy_payload(), format="json")
    assert answer.status_code == 403
    assert not Policy.objects.exists()


def test_department_issues_only_in_its_own_name(users, api_client):
    build_registry(n=5)
    api_client.force_authenticate(users["econ"])
    answer = api_client.post("/api/v1/policies/", policy_payload(issuer="kjj"), format="json")
    assert answer.status_code == 403
    api_client.force_authenticate(users["admin"])
    assert (
        api_client.post(
            "/api/v1/policies/", policy_payload(issuer="kjj"), format="json"
        ).status_code
        == 201
    )


def test_other_department_cannot_change_a_policy(users, api_client):
    build_registry(n=5)
    api_client.force_authenticate(users["econ"])
    pk = api_client.post("/api/v1/policies/", policy_payload(), format="json").json()["id"]
    api_client.force_authenticate(users["dispatcher"])
    answer = api_client.patch(f"/api/v1/policies/{pk}/", {"title": "改"}, format="json")
    assert answer.status_code == 403
    assert Policy.objects.get(pk=pk).title != "改"


def test_anonymous_is_refused(api_client, users):
    assert api_client.get("/api/v1/policies/").status_code in (401, 403)


def test_enterprise_sees_only_its_own_matches(users, api_client):
    ents = build_registry()
    api_client.force_authenticate(users["econ"])
    policy = api_client.post("/api/v1/policies/", policy_payload(), format="json").json()
    matched = [
        r["enterprise"]
        for r in api_client.get(f"/api/v1/policies/{policy['id']}/matches/?page_size=1000").json()[
            "results"
        ]
    ]
    assert len(matched) >= 2
    mine = next(e for e in ents if e.pk == matched[0])
    mine.accounts.add(users["ent_demo"])
    api_client.force_authenticate(users["ent_demo"])
    rows = api_client.get(f"/api/v1/policies/{policy['id']}/matches/").json()["results"]
    assert [r["enterprise"] for r in rows] == [mine.pk]
    assert api_client.get(f"/api/v1/policies/{policy['id']}/matches/?near=1").json()["results"] in (
        [],
        rows,
    )
    listed = api_client.get("/api/v1/policies/?matched=1").json()["results"]
    assert [p["id"] for p in listed] == [policy["id"]]


def test_enterprise_without_a_match_gets_an_empty_matched_list(users, api_client):
    build_registry(n=10)
    api_client.force_authenticate(users["econ"])
    api_client.post("/api/v1/policies/", policy_payload(), format="json")
    api_client.force_authenticate(users["ent_demo"])
    assert api_client.get("/api/v1/policies/?matched=1").json()["count"] == 0
    assert api_client.get("/api/v1/policies/").json()["count"] == 1
