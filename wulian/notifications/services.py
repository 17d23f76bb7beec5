"""Writes for notifications: telling people (the outbox), reading, preferences, robots.

`notify()` is called by other apps' services inside their own transaction, so a notification
exists exactly when the change that caused it was committed. It writes the in-app entries and
the outbox rows and asks the worker to deliver once the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.choices import AuditAction, Role
from wulian.core.validators import reject_nul
from wulian.worker.queue import enqueue_on_commit

from .choices import GROUP_KINDS, Channel, Kind
from .models import Delivery, Message, Notification, NotifySettings, Preference, Robot
from .permissions import can_manage_robot
from .tasks import deliver_outbox


def env_robots() -> list[tuple[str, str]]:
    """(channel, url) of the city-wide robots named in the environment."""
    robots = [(Channel.DINGTALK, u) for u in settings.NOTIFY_WEBHOOK_URL]
    robots += [(Channel.WECOM, u) for u in settings.NOTIFY_WECOM_WEBHOOK_URL]
    return robots


def in_quiet_hours(moment: dt.time, start: dt.time | None, end: dt.time | None) -> bool:
    """Whether a local time of day falls in [start, end), windows may pass midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def release_time(prefs: NotifySettings | None, now: dt.datetime) -> dt.datetime:
    """When a personal delivery may go out: now, or the end of the person's quiet hours."""
    if prefs is None or not in_quiet_hours(
        timezone.localtime(now).time(), prefs.quiet_start, prefs.quiet_end
    ):
        return now
    local = timezone.localtime(now)
    end = local.replace(
        hour=prefs.quiet_end.hour, minute=prefs.quiet_end.minute, second=0, microsecond=0
    )
    return end if end > local else end + dt.timedelta(days=1)


def _personal_deliveries(message: Message, people: list, now: dt.datetime) -> list[Delivery]:
    ids = [p.pk for p in people]
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids, kind=message.kind)}
    extra = {s.user_id: s for s in NotifySettings.objects.filter(user_id__in=ids)}
    rows = []
    for person in people:
        pref, mine = prefs.get(person.pk), extra.get(person.pk)
        when = release_time(mine, now)
        wants_email = pref.email if pref else True
        wants_sms = pref.sms if pref else False
        if wants_email and person.email:
            rows.append((Channel.EMAIL, person.email, person, None, when))
        if wants_sms and mine is not None and mine.phone:
            rows.append((Channel.SMS, mine.phone, person, None, when))
    return [
        Delivery(
            message=message,
            channel=channel,
            target=target,
            recipient=person,
            robot=robot,
            next_attempt_at=when,
            created_at=now,
        )
        for channel, target, person, robot, when in rows
    ]


def _robot_deliveries(message: Message, now: dt.datetime) -> list[Delivery]:
    if message.kind not in GROUP_KINDS:
        return []
    robots = Robot.objects.filter(is_active=True)
    robots = robots.filter(department__isnull=True) | robots.filter(
        department_id=message.department_id
    )
    targets = [(r.kind, r.url, r) for r in robots.order_by("id")]
    targets += [(channel, url, None) for channel, url in env_robots()]
    rows, seen = [], set()
    for channel, url, robot in targets:
        if (channel, url) in seen:  # the same robot configured twice gets one message
            continue
        seen.add((channel, url))
        rows.append(
            Delivery(
                message=message,
                channel=channel,
                target=url,
                robot=robot,
                next_attempt_at=now,
                created_at=now,
            )
        )
    return rows


def notify(
    *,
    kind: str,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    department=None,
    dedupe_key: str = "",
    exclude=None,
    now: dt.datetime | None = None,
) -> Message | None:
    """Tell `recipients` (and the group robots, for team kinds) that something happened.

    Written in the caller's transaction: the in-app entries at once, outside channels as
    outbox rows that the worker sends after commit. With a `dedupe_key` that was used before
    nothing is written and None is returned (time-driven events fire once).
    """
    now = now or timezone.now()
    people = {u.pk: u for u in recipients if u.is_active}
    if exclude is not None:
        people.pop(getattr(exclude, "pk", None), None)
    if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            message = Message.objects.create(
                kind=kind,
                title=title[:200],
                body=body[:4000],
                url=url[:300],
                department=department,
                dedupe_key=dedupe_key[:200],
                created_at=now,
            )
    except IntegrityError:
        return None  # another process wrote the same time-driven event a moment ago
    people_list = list(people.values())
    Notification.objects.bulk_create(
        Notification(message=message, recipient=person) for person in people_list
    )
    deliveries = _personal_deliveries(message, people_list, now) + _robot_deliveries(message, now)
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        enqueue_on_commit(deliver_outbox)
    return message


def sent_keys(keys: list[str]) -> set[str]:
    """Which of these dedupe keys have been used (to skip time-driven events in bulk)."""
    return set(Message.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))


def notify_import_finished(
    *, user, dataset: str, ok: bool, summary: str, url: str = ""
) -> Message | None:
    """Tell the person who started an import that it has finished (called by the importer)."""
    title = (
        _("数据导入完成：%(d)s") % {"d": dataset}
        if ok
        else _("数据导入未完成：%(d)s") % {"d": dataset}
    )
    with transaction.atomic():
        return notify(
            kind=Kind.IMPORT_FINISHED, recipients=[user], title=title, body=summary, url=url
        )


def import_job_finished(*, job, stage: str, ok: bool, label: str, summary: str, url: str):
    """A background import finished a stage: tell its uploader (registered with core).

    A passed check asks for the confirmation; a failure, or the write, ends the import."""
    if stage == "preview" and ok:
        notify(
            kind=Kind.IMPORT_FINISHED,
            recipients=[job.created_by],
            title=_("数据预检通过，待确认导入：%(d)s") % {"d": label},
            body=summary,
            url=url,
        )
        return
    notify_import_finished(user=job.created_by, dataset=label, ok=ok, summary=summary, url=url)


# ---------------------------------------------------------------- the reader's side


def mark_read(*, actor, notification: Notification, now: dt.datetime | None = None):
    """Mark one of the actor's own notifications read (personal state, not audited)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("只能标记自己的通知。"))
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, actor, now: dt.datetime | None = None) -> int:
    """Mark all of the actor's unread notifications read; returns how many."""
    return Notification.objects.visible_to(actor).unread().update(read_at=now or timezone.now())


def unread_count(user) -> int:
    return Notification.objects.visible_to(user).unread().count()


# ---------------------------------------------------------------- preferences


def digest_wanted(user, prefs: NotifySettings | None) -> bool:
    if prefs is not None and prefs.daily_digest is not None:
        return prefs.daily_digest
    return user.role == Role.LEADER


@transaction.atomic
def save_preferences(
    *,
    actor,
    channels: dict[str, dict[str, bool]],
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
    phone: str = "",
    daily_digest: bool | None = None,
) -> NotifySettings:
    """Save the actor's own channel choice per kind, quiet hours, SMS phone and digest."""
    phone = (phone or "").strip()
    reject_nul(phone)
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
        raise ValidationError({"phone": _("手机号应为 7–20 位数字。")})
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError({"quiet_end": _("免打扰时段须同时填写开始和结束时间。")})
    unknown = set(channels) - set(Kind.values)
    if unknown:
        raise ValidationError({"channels": _("未知的通知类型：%(k)s") % {"k": "、".join(unknown)}})
    if any(c.get("sms") for c in channels.values()) and not phone:
        raise ValidationError({"phone": _("选择短信通知时请填写手机号。")})
    mine, _created = NotifySettings.objects.get_or_create(user=actor)
    before = audit.snapshot(mine)
    mine.quiet_start, mine.quiet_end = quiet_start, quiet_end
    mine.phone, mine.daily_digest = phone, daily_digest
    mine.save()
    for kind, choice in channels.items():
        Preference.objects.update_or_create(
            user=actor,
            kind=kind,
            defaults={"email": bool(choice.get("email")), "sms": bool(choice.get("sms"))},
        )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=mine,
        before=before,
        after={**audit.snapshot(mine), "channels": channels},
    )
    return mine


def channel_choices(user) -> dict[str, dict[str, bool]]:
    """The user's channel choice for every kind (defaults where they chose nothing)."""
    saved = {p.kind: p for p in Preference.objects.filter(user=user)}
    return {
        kind: {
            "email": saved[kind].email if kind in saved else True,
            "sms": saved[kind].sms if kind in saved else False,
        }
        for kind in Kind.values
    }


# ---------------------------------------------------------------- robots


ROBOT_FIELDS = ("name", "kind", "url", "secret", "department", "is_active")


@transaction.atomic
def save_robot(*, actor, robot: Robot, **values) -> Robot:
    """Create or change a group robot (audited; the secret is never written to the audit)."""
    if robot.pk and not can_manage_robot(actor, robot.department):
        raise PermissionDenied(_("您无权修改该群机器人。"))
    before = audit.snapshot(robot, ["name", "kind", "url", "department", "is_active"])
    for name, value in values.items():
        if name not in ROBOT_FIELDS:
            raise ValueError(name)
        setattr(robot, name, value)
    if not can_manage_robot(actor, robot.department):
        raise PermissionDenied(_("只能为本部门配置群机器人。"))
    for name in ("name", "url", "secret"):
        reject_nul(getattr(robot, name))
    if robot.kind not in (Channel.DINGTALK, Channel.WECOM):
        raise ValidationError({"kind": _("群机器人类型应为钉钉或企业微信。")})
    robot.full_clean()
    created = robot.pk is None
    robot.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=robot,
        before=None if created else before,
        after=audit.snapshot(robot, ["name", "kind", "url", "department", "is_active"]),
    )
    return robot


@transaction.atomic
def delete_robot(*, actor, robot: Robot) -> None:
    if not can_manage_robot(actor, robot.department):
        raise PermissionDenied(_("您无权删除该群机器人。"))
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=robot,
        before=audit.snapshot(robot, ["name", "kind", "url", "department"]),
    )
    robot.delete()
