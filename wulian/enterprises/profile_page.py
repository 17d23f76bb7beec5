"""The 一企一档 profile page's data: identity, chains, monthly charts, tags, 亩均, visits."""

from __future__ import annotations

from django.utils import timezone

from .choices import METRIC_UNITS, MonthMetric
from .forms import VisitForm
from .models import EnterpriseMonthRevision, EnterpriseTag, MujunResult, Visit
from .months import month_series
from .mujun import explain
from .profile import chains_of, sections_for
from .visits import can_visit


def _chains(enterprise) -> list[dict]:
    grouped: dict[str, dict] = {}
    for p in chains_of([enterprise.pk])[enterprise.pk]:
        chain = grouped.setdefault(
            p["chain_code"], {"code": p["chain_code"], "name": p["chain_name"], "links": []}
        )
        chain["links"].append(p)
    return list(grouped.values())


def profile_context(request, enterprise, visit_form=None) -> dict:
    """Everything the profile template shows, scoped to the user."""
    user = request.user
    today = timezone.localdate()
    tags = list(EnterpriseTag.objects.filter(enterprise=enterprise).order_by("kind"))
    for tag in tags:
        tag.current = (tag.valid_from is None or tag.valid_from <= today) and (
            tag.valid_until is None or tag.valid_until >= today
        )
    series = month_series(enterprise)
    mujun = list(MujunResult.objects.filter(enterprise=enterprise).order_by("-year"))
    for result in mujun:
        result.why = explain(result)
    visits = (
        Visit.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("visitor", "department")
    )
    chains = _chains(enterprise)
    return {
        "enterprise": enterprise,
        "tags": tags,
        "chains": chains,
        "chart": {
            "months": [p["month"] for p in series],
            "metrics": [
                {
                    "key": key,
                    "label": str(label),
                    "unit": str(METRIC_UNITS[key]),
                    "values": [p["values"][key] for p in series],
                    "yoy": [p["yoy"][key] for p in series],
                }
                for key, label in MonthMetric.choices
            ],
            "chains": [
                {
                    "code": c["code"],
                    "name": c["name"],
                    "links": {str(p["link_id"]): p["role"] for p in c["links"]},
                }
                for c in chains
            ],
        },
        "latest": series[-1] if series else None,
        "synthetic_months": any(p["is_synthetic"] for p in series),
        "mujun": mujun,
        "visits": list(visits[:30]),
        "can_visit": can_visit(user, enterprise),
        "visit_form": visit_form or VisitForm(initial={"visited_on": today}),
        "revisions": list(
            EnterpriseMonthRevision.objects.filter(enterprise=enterprise)
            .select_related("changed_by")
            .order_by("-changed_at")[:10]
        ),
        "sections": sections_for(enterprise, user),
    }
