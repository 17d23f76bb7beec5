"""The notification centre, the bell, my settings and the robots: API and pages."""

import pytest

from wulian.core.models import AuditEvent, Department
from wulian.notifications.choices import Kind
from wulian.notifications.models import Notification, Preference, Robot
from wulian.notifications.services import notify


def tell(users, who="econ", n=1, url="/service/inbox/"):
    for i in range(n):
        notify(kind=Kind.ROUTED, recipients=[users[who]], title=f"新派单 {i}", body="正文", url=url)


def test_list_has_the_contract_fields_newest_first_and_only_mine(api_client, users):
    tell(users, n=2)
    tell(users, who="leader")
    api_client.force_authenticate(users["econ"])
    body = api_client.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    first = body["results"][0]
    assert {"id", "kind", "title", "body", "url", "created_at", "read_at"} <= set(first)
    assert first["title"] == "新派单 1" and first["kind"] == "routed" and first["read_at"] is None
    other = Notification.objects.get(recipient=users["leader"])
    assert api_client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404


def test_read_one_then_all(api_client, users):
    tell(users, n=3)
    api_client.force_authenticate(users["econ"])
    one = Notification.objects.filter(recipient=users["econ"]).first()
    answer = api_client.post(f"/api/v1/notifications/{one.pk}/read/").json()
    assert answer["read_at"] is not None
    assert api_client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    assert api_client.get("/api/v1/notifications/?unread=true").json()["count"] == 2
    assert api_client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert api_client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_anonymous_is_refused(api_client):
    assert api_client.get("/api/v1/notifications/").status_code in (401, 403)


def test_settings_round_trip_and_chinese_errors(api_client, users):
    api_client.force_authenticate(users["econ"])
    got = api_client.get("/api/v1/notification-settings/").json()
    assert got["channels"]["routed"] == {"email": True, "sms": False}
    assert got["daily_digest"] is False
    body = {
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "phone": "13900000000",
        "channels": {"routed": {"email": False, "sms": True}},
    }
    saved = api_client.put("/api/v1/notification-settings/", body, format="json").json()
    assert saved["quiet_start"] == "22:00" and saved["channels"]["routed"]["sms"] is True
    assert Preference.objects.get(user=users["econ"], kind="routed").sms is True
    assert AuditEvent.objects.filter(model="notifications.notifysettings").exists()
    bad = api_client.put(
        "/api/v1/notification-settings/",
        {"quiet_start": "22:00", "channels": {"routed": {"sms": True}}},
        format="json",
    )
    assert bad.status_code == 400 and "免打扰" in bad.content.decode()
    unknown = api_client.put(
        "/api/v1/notification-settings/", {"channels": {"nope": {}}}, format="json"
    )
    assert unknown.status_code == 400 and "未知的通知类型" in unknown.content.decode()


def test_department_staff_manage_their_own_robots_only(api_client, users):
    api_client.force_authenticate(users["econ"])
    made = api_client.post(
        "/api/v1/notification-robots/",
        {
            "name": "经信局群",
            "kind": "dingtalk",
            "url": "https://robot.example/send?access_token=1",
            "secret": "SEC1",
            "department": "jxj",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert "secret" not in made.json() and made.json()["signed"] is True
    other = api_client.post(
        "/api/v1/notification-robots/",
        {
            "name": "发改委群",
            "kind": "dingtalk",
            "url": "https://robot.example/x",
            "department": "fgw",
        },
        format="json",
    )
    assert other.status_code == 403
    Robot.objects.create(
        name="发改委群",
        url="https://robot.example/y",
        department=Department.objects.get(code="fgw"),
    )
    assert [
        r["name"] for r in api_client.get("/api/v1/notification-robots/").json()["results"]
    ] == ["经信局群"]
    api_client.force_authenticate(users["admin"])
    assert api_client.get("/api/v1/notification-robots/").json()["count"] == 2
    api_client.force_authenticate(users["leader"])
    assert api_client.get("/api/v1/notification-robots/").status_code == 403


def test_bell_shows_the_unread_count_and_the_centre_opens_the_work(client, users):
    tell(users, n=2, url="/service/inbox/")
    client.force_login(users["econ"])
    page = client.get("/notifications/").content.decode()
    assert 'data-testid="unread-count">2<' in page and "新派单 1" in page
    first = Notification.objects.filter(recipient=users["econ"]).first()
    opened = client.post(f"/notifications/{first.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == "/service/inbox/"
    assert 'data-testid="unread-count">1<' in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert 'data-testid="unread-count"' not in client.get("/notifications/").content.decode()


def test_an_outside_link_is_never_followed(client, users):
    tell(users, url="https://evil.example/")
    client.force_login(users["econ"])
    first = Notification.objects.get(recipient=users["econ"])
    assert client.post(f"/notifications/{first.pk}/open/")["Location"] == "/notifications/"


def test_settings_page_saves_and_says_what_is_wrong(client, users):
    client.force_login(users["econ"])
    assert client.get("/notifications/settings/").status_code == 200
    bad = client.post("/notifications/settings/", {"routed-sms": "on"})
    assert bad.status_code == 400 and "请填写手机号" in bad.content.decode()
    good = client.post(
        "/notifications/settings/",
        {"routed-sms": "on", "phone": "13900000000", "quiet_start": "21:00", "quiet_end": "08:00"},
    )
    assert good.status_code == 302
    assert Preference.objects.get(user=users["econ"], kind="routed").email is False


@pytest.mark.parametrize("username", ["econ", "admin"])
def test_channels_page_adds_a_robot(client, users, username):
    client.force_login(users[username])
    response = client.post(
        "/notifications/channels/",
        {
            "name": "经信局群",
            "kind": "wecom",
            "url": "https://robot.example/send",
            "department": Department.objects.get(code="jxj").pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Robot.objects.get().kind == "wecom"


def test_enterprise_cannot_open_the_channels_page(client, users):
    client.force_login(users["ent_demo"])
    assert client.get("/notifications/channels/").status_code == 403
