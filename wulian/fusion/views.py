"""Fusion pages: the scorecard of the six chains, one chain's link scores with the evidence
behind each score (htmx), the gap analysis with ranked target companies, platforms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from wulian.chains.figures import chain_figures
from wulian.chains.models import Chain
from wulian.core.exports import stamp, xlsx_response
from wulian.core.permissions import GOVERNMENT_ROLES, RoleRequiredMixin

from .api.views import ranked_targets
from .models import Platform, ScoreWeights
from .permissions import can_weigh
from .reports import export_analysis_xlsx
from .scoring import DIMENSION_LABELS, DIMENSIONS, K
from .services import chain_analysis, chain_scorecards, set_weights
from .wording import KIND_LABELS


def _visible_chain(user, code) -> Chain:
    return get_object_or_404(Chain.objects.visible_to(user), code=code)


def _dims():
    return [(d, DIMENSION_LABELS[d]) for d in DIMENSIONS]


class ScorecardView(RoleRequiredMixin, View):
    """The six chains' five-dimension scores side by side; leaders can change the weights."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request):
        visible = set(Chain.objects.visible_to(request.user).values_list("code", flat=True))
        cards = [c for c in chain_scorecards() if c["code"] in visible]
        for card in cards:
            card["cells"] = [(d, card[d]) for d in DIMENSIONS]
        weights = ScoreWeights.current()
        context = {
            "cards": cards,
            "dims": _dims(),
            "weights": weights,
            "weight_rows": [(d, label, getattr(weights, d)) for d, label in _dims()],
            "can_weigh": can_weigh(request.user),
            "figures": chain_figures(keys=("fund_cluster", "listed_companies", "chain_share")),
            "constants": K,
        }
        return render(request, "fusion/scorecard.html", context)

    def post(self, request):
        try:
            set_weights(actor=request.user, **{d: request.POST.get(d) for d in DIMENSIONS})
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已更新权重并重新计算评分。")
        return redirect("fusion:scorecard")


class ChainFusionView(RoleRequiredMixin, View):
    """One chain: every link's five scores; clicking a score opens its numbers."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, code):
        chain = _visible_chain(request.user, code)
        detail = chain_analysis(chain)
        rows = [
            {**row, "cells": [(d, row["scores"][d]["score"]) for d in DIMENSIONS]}
            for row in detail["link_scores"]
        ]
        context = {
            "chain": chain,
            "detail": detail,
            "rows": rows,
            "dims": _dims(),
            "chain_cells": [(d, detail[d]) for d in DIMENSIONS],
        }
        return render(request, "fusion/chain.html", context)


class EvidenceView(RoleRequiredMixin, View):
    """The numbers behind one score (a link's dimension, or a chain's dimension)."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, code, dim, link_id=None):
        chain = _visible_chain(request.user, code)
        if dim not in DIMENSIONS:
            raise Http404
        detail = chain_analysis(chain)
        context = {"chain": chain, "dim": dim, "dim_label": DIMENSION_LABELS[dim], "detail": detail}
        if link_id is None:
            context["links"] = [
                (row["name"], row["scores"][dim]["score"]) for row in detail["link_scores"]
            ]
            context["score"] = detail[dim]
        else:
            row = next((r for r in detail["link_scores"] if r["id"] == link_id), None)
            if row is None:
                raise Http404
            context.update(
                link=row,
                score=row["scores"][dim]["score"],
                components=row["scores"][dim]["components"],
            )
        return render(request, "fusion/partials/evidence.html", context)


class GapsView(RoleRequiredMixin, View):
    """延链补链强链 for one chain: findings with reasons, and the ranked target companies."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, code):
        chain = _visible_chain(request.user, code)
        detail = chain_analysis(chain)
        groups = [
            (kind, label, [f for f in detail["findings"] if f["kind"] == kind])
            for kind, label in KIND_LABELS.items()
        ]
        context = {
            "chain": chain,
            "detail": detail,
            "groups": groups,
            "targets": ranked_targets(detail)[:15],
        }
        return render(request, "fusion/gaps.html", context)


class GapsExportView(RoleRequiredMixin, View):
    """The chain's scores, findings and ranked targets as xlsx."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, code):
        chain = _visible_chain(request.user, code)
        detail = chain_analysis(chain)
        data = export_analysis_xlsx(detail, ranked_targets(detail))
        return xlsx_response(data, f"fusion-{chain.code}-{stamp('%Y%m%d')}.xlsx")


class PlatformListView(RoleRequiredMixin, View):
    """Innovation platforms and the links they serve."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request):
        platforms = (
            Platform.objects.visible_to(request.user)
            .prefetch_related("links__chain")
            .order_by("is_synthetic", "level", "kind", "name")
        )
        return render(request, "fusion/platforms.html", {"platforms": platforms})
