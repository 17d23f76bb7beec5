"""Fusion API: the chain list with scores, one chain's scorecard, its gap analysis, ranked
target companies, platforms. Scoped like the chains (wulian.chains.querysets)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.chains.models import Chain
from wulian.chains.services import chain_summaries
from wulian.core.permissions import ALL_ROLES, GOVERNMENT_ROLES

from ..analysis import DIMENSIONS
from ..permissions import sees_scores
from ..services import chain_analysis, chain_scorecards
from .serializers import (
    ChainFusionSerializer,
    ChainGapsSerializer,
    ChainScoreListSerializer,
    RankedTargetSerializer,
)


class ChainListView(generics.ListAPIView):
    """The chains the caller may see: code, name, links, enterprises, output, fusion score.

    Enterprise users see only the chains their enterprise sits on, without scores.
    """

    allowed_roles = ALL_ROLES
    serializer_class = ChainScoreListSerializer
    filter_backends: list = []

    @extend_schema(responses=ChainScoreListSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return []
        visible = set(Chain.objects.visible_to(self.request.user).values_list("code", flat=True))
        scores = {}
        if sees_scores(self.request.user):
            scores = {card["code"]: card for card in chain_scorecards()}
        rows = []
        for summary in chain_summaries():
            if summary["code"] not in visible:
                continue
            card = scores.get(summary["code"], {})
            rows.append(
                {
                    **summary,
                    "fusion_score": card.get("total"),
                    **{d: card.get(d) for d in DIMENSIONS},
                }
            )
        return rows


def _visible_chain(request, code) -> Chain:
    return get_object_or_404(Chain.objects.visible_to(request.user), code=code)


class ChainFusionView(APIView):
    """One chain's five-dimension scorecard, with every link's scores and their evidence."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = ChainFusionSerializer

    @extend_schema(responses=ChainFusionSerializer)
    def get(self, request, code):
        detail = chain_analysis(_visible_chain(request, code))
        return Response(ChainFusionSerializer(detail).data)


class ChainGapsView(APIView):
    """延链补链强链 findings for one chain, each with its reason and ranked target companies."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = ChainGapsSerializer

    @extend_schema(responses=ChainGapsSerializer)
    def get(self, request, code):
        detail = chain_analysis(_visible_chain(request, code))
        return Response(ChainGapsSerializer(detail).data)


def ranked_targets(detail: dict) -> list[dict]:
    """Target companies over all of a chain's findings, best fit first (each once)."""
    best: dict[int, dict] = {}
    for finding in detail["findings"]:
        for target in finding["targets"]:
            entry = {
                **target,
                "why": _("%(k)s：%(w)s") % {"k": finding["kind_label"], "w": target["why"]},
            }
            if target["id"] not in best or best[target["id"]]["fit"] < target["fit"]:
                best[target["id"]] = entry
    return sorted(best.values(), key=lambda t: (-t["fit"], -t["revenue_wan"], t["id"]))


class ChainTargetsView(generics.ListAPIView):
    """招商目标 for one chain, ranked by fit to its gaps."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = RankedTargetSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
        responses=RankedTargetSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return []
        return ranked_targets(chain_analysis(_visible_chain(self.request, self.kwargs["code"])))
