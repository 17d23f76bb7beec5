"""The outbox: written with the change, delivered by the worker, retried, given up, quiet hours."""

import base64
import datetime as dt
import hashlib
import hmac
import logging

import pytest
from django.core import mail
from django.db import transaction

from wulian.core.models import Department
from wulian.notifications import delivery
from wulian.notifications.choices import Channel, DeliveryStatus, Kind
from wulian.notifications.models import (
    ChannelHealth,
    Delivery,
    Message,
    Notification,
    NotifySettings,
    Preference,
    Robot,
)
from wulian.service.tests.factories import aware, file_request, walk

ACCEPTED = [("accept", "dispatcher", {})]
WHEN = aware(2025, 11, 4, 10, 0)  # a Tuesday


def routed(users, when=WHEN):
    request = walk(file_request(users, when=when), users, ACCEPTED, when=when)
    return walk(request, users, [("route", "dispatcher", {})], when=when)


def test_routing_writes_in_app_entries_and_outbox_rows_with_the_change(loop, users, settings):
    settings.NOTIFY_WEBHOOK_URL = ["http://127.0.0.1:9/robot?access_token=a"]
    request = routed(users)
    message = Message.objects.get(kind=Kind.ROUTED)
    assert message.url == f"/service/requests/{request.pk}/"
    assert message.department.code == "jxj"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["econ"]
    rows = sorted(Delivery.objects.values_list("channel", "target", "status"))
    assert rows == [
        (Channel.DINGTALK, "http://127.0.0.1:9/robot?access_token=a", DeliveryStatus.PENDING),
        (Channel.EMAIL, "econ@example.gov.cn", DeliveryStatus.PENDING),
    ]


def test_a_change_rolled_back_leaves_no_notification(loop, users):
    request = walk(file_request(users, when=WHEN), users, ACCEPTED, when=WHEN)
    with pytest.raises(RuntimeError), transaction.atomic():
        walk(request, users, [("route", "dispatcher", {})], when=WHEN)
        raise RuntimeError("the change fails after routing")
    assert not Message.objects.exists() and not Delivery.objects.exists()


def test_the_commit_queues_delivery_and_the_worker_posts_dingtalk_markdown_signed(
    loop, users, settings, robot, django_capture_on_commit_callbacks
):
    settings.NOTIFY_WEBHOOK_URL = [robot.url]
    settings.NOTIFY_WEBHOOK_SECRET = "SECexample"
    with django_capture_on_commit_callbacks(execute=True):
        request = routed(users)
    # the queue runs in-process in tests: the commit's task has already delivered
    assert len(robot.received) == 1
    got = robot.received[0]
    assert got.path == "/robot/send" and got.query["access_token"] == "test-token"
    assert got.payload["msgtype"] == "markdown"
    assert set(got.payload["markdown"]) == {"title", "text"}
    assert got.payload["markdown"]["title"] == f"新派单：#{request.pk} 政策兑现咨询"
    assert (
        f"http://127.0.0.1:8000/service/requests/{request.pk}/" in got.payload["markdown"]["text"]
    )
    expected = base64.b64encode(
        hmac.new(
            b"SECexample",
            f"{got.query['timestamp']}\nSECexample".encode(),
            hashlib.sha256,
        ).digest()
    ).decode()
    assert got.query["sign"] == expected
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["econ@example.gov.cn"]
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2


def test_no_secret_no_signature(loop, users, settings, robot):
    settings.NOTIFY_WEBHOOK_URL = [robot.url]
    settings.NOTIFY_WEBHOOK_SECRET = ""
    routed(users)
    delivery.deliver_due()
    assert "sign" not in robot.received[0].query and "timestamp" not in robot.received[0].query


def test_a_department_robot_in_wecom_format_gets_its_own_department_only(loop, users, robot):
    Robot.objects.create(
        name="经信局群",
        kind=Channel.WECOM,
        url=robot.url,
        department=Department.objects.get(code="jxj"),
    )
    Robot.objects.create(
        name="发改委群",
        kind=Channel.DINGTALK,
        url=robot.url + "x",
        department=Department.objects.get(code="fgw"),
    )
    routed(users)
    delivery.deliver_due()
    assert len(robot.received) == 1
    payload = robot.received[0].payload
    assert payload["msgtype"] == "markdown" and "新派单" in payload["markdown"]["content"]


def test_personal_kinds_never_go_to_group_robots(loop, users, settings, robot):
    settings.NOTIFY_WEBHOOK_URL = [robot.url]
    request = routed(users)
    walk(request, users, [("request_material", "econ", {"reason": "请补充营业执照"})], when=WHEN)
    delivery.deliver_due()
    kinds = [r.payload["markdown"]["title"][:3] for r in robot.received]
    assert kinds == ["新派单"]  # 要求补充材料 goes to the enterprise alone


def test_failures_wait_longer_each_time_then_succeed(loop, users, settings, robot):
    settings.NOTIFY_WEBHOOK_URL = [robot.url]
    settings.NOTIFY_RETRY_SECONDS = 30
    routed(users)
    Delivery.objects.exclude(channel=Channel.DINGTALK).delete()
    robot.status = 500
    assert delivery.deliver_due(now=WHEN).failed == 1
    row = Delivery.objects.get()
    assert row.attempts == 1 and row.next_attempt_at == WHEN + dt.timedelta(seconds=30)
    assert "HTTP 500" in row.last_error
    assert delivery.deliver_due(now=WHEN + dt.timedelta(seconds=10)).failed == 0  # not due yet
    robot.status, robot.answer = 200, {"errcode": 310000, "errmsg": "sign not match"}
    delivery.deliver_due(now=WHEN + dt.timedelta(seconds=31))
    row.refresh_from_db()
    assert row.attempts == 2 and "310000" in row.last_error
    assert row.next_attempt_at == WHEN + dt.timedelta(seconds=31 + 60)
    robot.answer = {"errcode": 0, "errmsg": "ok"}
    assert delivery.deliver_due(now=WHEN + dt.timedelta(seconds=92)).sent == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 3 and len(robot.received) == 3
    health = ChannelHealth.objects.get()
    assert health.consecutive_failures == 0 and health.last_success_at is not None


def test_a_dead_webhook_is_given_up_and_shown_to_administrators(
    loop, users, settings, client, api_client
):
    settings.NOTIFY_WEBHOOK_URL = ["http://127.0.0.1:9/robot/send?access_token=secret-token"]
    settings.NOTIFY_MAX_ATTEMPTS = 3
    routed(users)
    Delivery.objects.exclude(channel=Channel.DINGTALK).delete()
    now = WHEN
    for _try in range(5):
        delivery.deliver_due(now=now)
        now += dt.timedelta(hours=2)
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.DEAD and row.attempts == 3
    health = ChannelHealth.objects.get()
    assert health.consecutive_failures == 3 and "refused" in health.last_error.lower()
    client.force_login(users["admin"])
    page = client.get("/notifications/channels/").content.decode()
    assert "secret-token" not in page and "access_token=…" in page
    assert health.last_error in page and 'data-testid="failing-channels"' in page
    api_client.force_authenticate(users["admin"])
    rows = api_client.get("/api/v1/notification-channels/").json()["results"]
    assert rows[0]["failing"] is True and rows[0]["last_error"] == health.last_error
    api_client.force_authenticate(users["econ"])
    assert api_client.get("/api/v1/notification-channels/").status_code == 403


def test_quiet_hours_hold_email_until_they_end_but_not_the_centre(loop, users, settings):
    NotifySettings.objects.create(
        user=users["econ"], quiet_start=dt.time(22, 0), quiet_end=dt.time(7, 30)
    )
    late = aware(2025, 11, 4, 23, 0)
    routed(users, when=late)
    assert Notification.objects.filter(recipient=users["econ"], read_at=None).count() == 1
    email = Delivery.objects.get(channel=Channel.EMAIL)
    assert email.next_attempt_at == aware(2025, 11, 5, 7, 30)
    delivery.deliver_due(now=aware(2025, 11, 5, 3, 0))
    assert mail.outbox == []
    delivery.deliver_due(now=aware(2025, 11, 5, 7, 31))
    assert len(mail.outbox) == 1


def test_quiet_hours_within_one_day(loop, users):
    from wulian.notifications.services import release_time

    prefs = NotifySettings(quiet_start=dt.time(12, 0), quiet_end=dt.time(14, 0))
    assert release_time(prefs, aware(2025, 11, 4, 12, 30)) == aware(2025, 11, 4, 14, 0)
    assert release_time(prefs, aware(2025, 11, 4, 14, 0)) == aware(2025, 11, 4, 14, 0)
    assert release_time(None, aware(2025, 11, 4, 3, 0)) == aware(2025, 11, 4, 3, 0)


def test_channel_choice_per_kind_and_sms_through_the_provider(loop, users, caplog):
    NotifySettings.objects.create(user=users["econ"], phone="13800000000")
    Preference.objects.create(user=users["econ"], kind=Kind.ROUTED, email=False, sms=True)
    routed(users)
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.SMS]
    with caplog.at_level(logging.INFO, logger="wulian.notifications"):
        assert delivery.deliver_due().sent == 1
    assert "13800000000" in caplog.text and "新派单" in caplog.text


def test_a_lease_keeps_other_workers_off_until_it_expires(loop, users, settings):
    settings.NOTIFY_LEASE_SECONDS = 60
    routed(users)
    first, token = delivery.claim_one(WHEN)
    assert delivery.claim_one(WHEN) is None  # the only due row is held
    again, new_token = delivery.claim_one(WHEN + dt.timedelta(seconds=61))  # the holder died
    assert again.pk == first.pk and again.attempts == 2
    # the first claimant's late result is not written over the second's
    assert delivery.attempt(first, token, WHEN + dt.timedelta(seconds=62)) == DeliveryStatus.SENT
    again.refresh_from_db()
    assert again.status == DeliveryStatus.PENDING and again.lease_token == new_token
    assert delivery.attempt(again, new_token, WHEN + dt.timedelta(seconds=63)) == "sent"
    again.refresh_from_db()
    assert again.status == DeliveryStatus.SENT


def test_the_same_robot_twice_gets_one_message(loop, users, settings, robot):
    settings.NOTIFY_WEBHOOK_URL = [robot.url, robot.url]
    Robot.objects.create(name="全市群", kind=Channel.DINGTALK, url=robot.url)
    routed(users)
    delivery.deliver_due()
    assert len(robot.received) == 1
