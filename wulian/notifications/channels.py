"""How a delivery leaves: email, SMS (behind a provider), DingTalk and WeCom group robots.

Each sender raises `DeliveryError` with a short reason when the channel refused or could not
be reached; the outbox records it and tries again later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .choices import Channel

logger = logging.getLogger("wulian.notifications")


class DeliveryError(Exception):
    """The channel did not take the message; the text says why (kept as the last error)."""


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def plain_text(message) -> str:
    link = absolute(message.url)
    return "\n\n".join(part for part in (message.title, message.body, link) if part)


def markdown_text(message) -> str:
    """The robot message: a heading, the body, and a link to where the work is done."""
    parts = [f"#### {message.title}"]
    if message.body:
        parts.append(message.body)
    if message.url:
        parts.append(f"[查看详情]({absolute(message.url)})")
    return "\n\n".join(parts)


def dingtalk_payload(message) -> dict:
    """DingTalk / 浙政钉 custom robot, markdown message."""
    return {
        "msgtype": "markdown",
        "markdown": {"title": message.title, "text": markdown_text(message)},
    }


def wecom_payload(message) -> dict:
    """WeCom (企业微信) group robot, markdown message."""
    return {"msgtype": "markdown", "markdown": {"content": markdown_text(message)}}


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The robot URL with DingTalk's signature: HMAC-SHA256 of "timestamp\\nsecret", base64."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(
        secret.encode(), f"{timestamp}\n{secret}".encode(), digestmod=hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def post_json(url: str, payload: dict, *, key: str) -> None:
    """POST `payload`; success is a 2xx answer whose JSON (if any) has no non-zero errcode."""
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "X-Wulian-Delivery": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_HTTP_TIMEOUT) as response:
            body = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise DeliveryError(str(exc.reason)[:300]) from exc
    except (OSError, ValueError) as exc:  # timeouts, resets, a malformed URL
        raise DeliveryError(str(exc)[:300] or type(exc).__name__) from exc
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return  # a receiver that answers 2xx without JSON took the message
    if isinstance(answer, dict) and answer.get("errcode", 0) not in (0, "0"):
        raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:300])


def _robot_secret(delivery) -> str:
    if delivery.robot_id:
        return delivery.robot.secret
    return settings.NOTIFY_WEBHOOK_SECRET  # the city-wide robots of NOTIFY_WEBHOOK_URL


def send_dingtalk(delivery) -> None:
    secret = _robot_secret(delivery)
    url = signed_url(delivery.target, secret) if secret else delivery.target
    post_json(url, dingtalk_payload(delivery.message), key=str(delivery.key))


def send_wecom(delivery) -> None:
    post_json(delivery.target, wecom_payload(delivery.message), key=str(delivery.key))


def send_email(delivery) -> None:
    message = delivery.message
    try:
        send_mail(
            subject=f"[五链] {message.title}",
            message=plain_text(message),
            from_email=None,
            recipient_list=[delivery.target],
            fail_silently=False,
        )
    except Exception as exc:  # noqa: BLE001 - SMTP errors, refused connections, bad addresses
        raise DeliveryError(f"{type(exc).__name__}: {exc}"[:300]) from exc


class SmsProvider:
    """An SMS gateway. Subclass with the city's provider and name it in NOTIFY_SMS_PROVIDER."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsProvider(SmsProvider):
    """The default: writes the SMS to the log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_provider() -> SmsProvider:
    return import_string(settings.NOTIFY_SMS_PROVIDER)()


def send_sms(delivery) -> None:
    message = delivery.message
    text = f"【五链】{message.title}" + (f" {absolute(message.url)}" if message.url else "")
    try:
        sms_provider().send(delivery.target, text[:300])
    except DeliveryError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the provider's client raises
        raise DeliveryError(f"{type(exc).__name__}: {exc}"[:300]) from exc


SENDERS = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_sms,
    Channel.DINGTALK: send_dingtalk,
    Channel.WECOM: send_wecom,
}


def send(delivery) -> None:
    SENDERS[delivery.channel](delivery)
