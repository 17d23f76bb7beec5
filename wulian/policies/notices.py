"""Who is told about payouts: the enterprise of each step, the department of applications,
and (from the scheduled job) the department and the leaders of overdue payouts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.workdays import WorkdayCalendar
from wulian.notifications import audience
from wulian.notifications.choices import Kind
from wulian.notifications.services import notify, sent_keys

from .choices import PayoutAction as A
from .deadlines import leader_cutoff


def _accounts(enterprise) -> list:
    return list(enterprise.accounts.filter(is_active=True))


TO_ENTERPRISE = {
    A.APPROVE: _("审核通过，待拨付"),
    A.REQUEST_MATERIAL: _("需要补充材料"),
    A.REJECT: _("不予兑现"),
    A.PAY: _("资金已拨付"),
}


def announce(payout, action: str, actor, now: dt.datetime) -> None:
    """Tell whoever must act next (in the caller's transaction)."""
    policy = payout.policy
    if action in (A.APPLY, A.SUPPLY_MATERIAL):
        what = _("提交了申请") if action == A.APPLY else _("补充了材料")
        notify(
            kind=Kind.PAYOUT_UPDATE,
            recipients=audience.department_users(policy.issuer_id),
            title=_("%(e)s%(w)s：%(p)s")
            % {"e": payout.enterprise.name, "w": what, "p": policy.title[:60]},
            body=payout.reason,
            url=payout.get_absolute_url(),
            department=policy.issuer,
            exclude=actor,
            now=now,
        )
    elif action in TO_ENTERPRISE:
        notify(
            kind=Kind.PAYOUT_UPDATE,
            recipients=_accounts(payout.enterprise),
            title=_("“%(p)s”兑现：%(w)s") % {"p": policy.title[:60], "w": TO_ENTERPRISE[action]},
            body=payout.reason,
            url=payout.get_absolute_url(),
            exclude=actor,
            now=now,
        )


def batch_approved(batch, lines: list, now: dt.datetime) -> None:
    """免申即享: each enterprise on an approved list learns it will be paid, without applying."""
    for payout in lines:
        people = _accounts(payout.enterprise)
        if people:
            notify(
                kind=Kind.PAYOUT_UPDATE,
                recipients=people,
                title=_("免申即享：“%(p)s”已核准 %(a)s 万元，待拨付")
                % {"p": batch.policy.title[:60], "a": payout.amount_wan},
                url=payout.get_absolute_url(),
                now=now,
            )


def remind_overdue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Overdue payouts: the issuing department once when overdue, the leaders once when the
    payout has been overdue long enough to reach 市领导关注."""
    from .models import Payout

    now = now or timezone.now()
    cal = WorkdayCalendar()
    late = list(
        Payout.objects.overdue(now).select_related("policy", "policy__issuer", "enterprise")
    )
    to_leaders = {p.pk for p in late if p.due_at < leader_cutoff(cal, now)}
    keys = [f"payout-overdue:{p.pk}" for p in late] + [f"payout-leader:{pk}" for pk in to_leaders]
    done = sent_keys(keys)
    told = {"overdue": 0, "leader": 0}
    for payout in late:
        key = f"payout-overdue:{payout.pk}"
        if key not in done:
            told["overdue"] += bool(
                notify(
                    kind=Kind.PAYOUT_OVERDUE,
                    recipients=audience.department_users(payout.policy.issuer_id),
                    title=_("政策兑现超期：%(e)s · %(p)s")
                    % {"e": payout.enterprise.name, "p": payout.policy.title[:60]},
                    url=payout.get_absolute_url(),
                    department=payout.policy.issuer,
                    dedupe_key=key,
                    now=now,
                )
            )
        key = f"payout-leader:{payout.pk}"
        if payout.pk in to_leaders and key not in done:
            told["leader"] += bool(
                notify(
                    kind=Kind.PAYOUT_OVERDUE,
                    recipients=audience.leaders(),
                    title=_("政策兑现严重超期（市领导关注）：%(e)s · %(p)s")
                    % {"e": payout.enterprise.name, "p": payout.policy.title[:60]},
                    url=payout.get_absolute_url(),
                    dedupe_key=key,
                    now=now,
                )
            )
    return told
