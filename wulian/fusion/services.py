"""The fusion scorecard and gap analysis as a rollup (ChainScore), and the writes of fusion.

`chain_scorecards()` is read by the cockpit on every view: it reads the six ChainScore rows
(two small queries) and recomputes only when the rollup is stale — when links' statistics
changed after it was computed (chains services touch LinkStat on every change), when a
chain has no row, or after FRESH_SECONDS (service requests and projects change elsewhere).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.chains.models import Chain, LinkStat
from wulian.core import audit
from wulian.core.choices import AuditAction

from .analysis import analyse
from .dataset import load_dataset
from .models import ChainScore, ScoreWeights
from .permissions import can_weigh
from .scoring import DETAIL_VERSION, DIMENSIONS
from .wording import render_detail

FRESH_SECONDS = 300
SCORE_FIELDS = ["total", *DIMENSIONS]


class ChainScorecard(TypedDict):
    """One chain's fusion scores, each 0–100 or None (a dimension with nothing to score)."""

    code: str
    name: str
    output_wan: float
    total: float | None
    industry: float | None
    innovation: float | None
    talent: float | None
    capital: float | None
    service: float | None
    computed_at: dt.datetime
    is_synthetic: bool  # the scores rest on synthetic records: illustrative (示意)


def refresh_scores() -> dict[str, dict]:
    """Recompute every chain's scorecard and findings and store them (ChainScore)."""
    weights = ScoreWeights.current().as_dict()
    result = analyse(load_dataset(), weights)
    now = timezone.now()
    chain_ids = dict(Chain.objects.values_list("code", "id"))
    try:
        _store(result, chain_ids, now)
    except IntegrityError:
        # Another process stored the same rollup at the same moment; its figures are as good.
        pass
    return result


def _store(result: dict[str, dict], chain_ids: dict[str, int], now) -> None:
    with transaction.atomic():
        for code, card in result.items():
            ChainScore.objects.update_or_create(
                chain_id=chain_ids[code],
                defaults={
                    **{f: card[f] for f in SCORE_FIELDS},
                    "output_wan": card["output_wan"],
                    "is_synthetic": card["is_synthetic"],
                    "detail": card,
                    "computed_at": now,
                },
            )
        ChainScore.objects.exclude(chain_id__in=chain_ids.values()).delete()


def _is_stale() -> bool:
    rows = ChainScore.objects.count()
    if not rows or rows != Chain.objects.count():
        return True
    if ChainScore.objects.exclude(detail__version=DETAIL_VERSION).exists():
        return True  # stored in an older layout
    first = ChainScore.objects.order_by("computed_at").values_list("computed_at", flat=True)[0]
    if first < timezone.now() - dt.timedelta(seconds=FRESH_SECONDS):
        return True
    newest_stat = LinkStat.objects.aggregate(t=Max("computed_at"))["t"]
    return bool(newest_stat and newest_stat > first)


def ensure_fresh() -> None:
    if _is_stale():
        refresh_scores()


def chain_scorecards() -> list[ChainScorecard]:
    """Per chain, in chain order: total and the five dimension scores (service None when the
    chain has no 企业诉求 yet), its output and when the scores were computed.

    For the cockpit: reads the rollup, recomputing only when stale. Not scoped by user.
    """
    ensure_fresh()
    rows = ChainScore.objects.select_related("chain").order_by("chain__sort", "chain__code")
    return [
        ChainScorecard(
            code=row.chain.code,
            name=row.chain.name,
            output_wan=row.output_wan,
            total=row.total,
            industry=row.industry,
            innovation=row.innovation,
            talent=row.talent,
            capital=row.capital,
            service=row.service,
            computed_at=row.computed_at,
            is_synthetic=row.is_synthetic,
        )
        for row in rows.defer("detail")
    ]


def chain_analysis(chain: Chain) -> dict[str, Any]:
    """The full scorecard of one chain: link scores with evidence, findings, targets — the
    sentences written in the active language."""
    ensure_fresh()
    return render_detail(ChainScore.objects.get(chain=chain).detail)


@transaction.atomic
def set_weights(*, actor, **values) -> ScoreWeights:
    """Change the dimension weights (leaders only); each must be 0–1 and they must sum to 1."""
    if not can_weigh(actor):
        raise PermissionDenied(_("只有市领导可以调整融合评分权重。"))
    weights = ScoreWeights.objects.select_for_update().get(pk=ScoreWeights.current().pk)
    before = audit.snapshot(weights)
    errors = []
    parsed = {}
    for key in DIMENSIONS:
        raw = values.get(key)
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError):
            errors.append(_("%(d)s权重“%(v)s”不是数字。") % {"d": key, "v": raw})
            continue
        if not 0 <= value <= 1:
            errors.append(_("权重应在 0 到 1 之间。"))
        parsed[key] = value
    if not errors and sum(parsed.values()) != Decimal("1.00"):
        errors.append(_("五项权重之和应为 1，现为 %(s)s。") % {"s": sum(parsed.values())})
    if errors:
        raise ValidationError(errors)
    for key, value in parsed.items():
        setattr(weights, key, value)
    weights.updated_by = actor
    weights.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=weights,
        before=before,
        after=audit.snapshot(weights),
    )
    transaction.on_commit(refresh_scores)
    return weights
