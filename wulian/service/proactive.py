"""我呼企应: a government user files a request on an enterprise's behalf from a warning flag.

The request enters the normal closed loop (routing, deadlines, the enterprise's rating); the
flag records what was done through the registry's own service (enterprises.early_warning).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from wulian.enterprises.early_warning import check_can_act, record_flag_action
from wulian.enterprises.models import WarningFlag

from .models import ServiceCategory, ServiceRequest
from .services import file_request


def draft_for(flag: WarningFlag) -> dict[str, str]:
    """A title and description built from the flag's evidence, for the user to edit."""
    lines = [
        _("%(m)s：%(v)s，对比期 %(bm)s：%(b)s，变化 %(c)s%%")
        % {
            "m": e["month"],
            "v": f"{e['value']:,.2f}",
            "bm": e["base_month"],
            "b": f"{e['base']:,.2f}",
            "c": f"{e['change_pct']:.1f}",
        }
        for e in flag.evidence
    ]
    return {
        "title": (_("运行监测预警：") + str(flag.rule))[:100],
        "description": _("根据企业月报，%(r)s。\n%(l)s\n请了解企业经营困难并协调解决。")
        % {"r": flag.rule, "l": "\n".join(lines)},
    }


@transaction.atomic
def file_proactive_request(
    *, actor, flag: WarningFlag, category: ServiceCategory, title: str, description: str
) -> ServiceRequest:
    """File the request for the flagged enterprise and record it on the flag (atomic)."""
    flag = check_can_act(actor, flag)
    request = file_request(
        actor=actor,
        enterprise=flag.enterprise,
        category=category,
        title=title,
        description=description,
        reason=_("我呼企应：由运行监测预警主动发起（%(r)s）") % {"r": flag.rule},
    )
    record_flag_action(
        actor=actor,
        flag=flag,
        note=_("已代企业发起诉求 #%(id)d") % {"id": request.pk},
        url=request.get_absolute_url(),
    )
    return request
