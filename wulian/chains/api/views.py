from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.core.api.datasets import FileDatasetWriteMixin, input_serializer
from wulian.core.permissions import ALL_ROLES, GOVERNMENT_ROLES
from wulian.enterprises import months

from ..datasets import target_dataset
from ..figures import chain_figures
from ..filtersets import TargetCompanyFilterSet
from ..linkref import LinkLookup
from ..models import Chain, Link, TargetCompany
from ..services import chain_graph, chain_month_figures
from .serializers import (
    ChainFigureSerializer,
    ChainGraphSerializer,
    ChainMonthsSerializer,
    TargetCompanySerializer,
)


class ChainGraphView(APIView):
    """One chain as a graph: its links (with local statistics) and supply edges.

    Answers `{"links": [{"id", "name", "segment", ...}], "edges": [{"source", "target"}]}`.
    404 when the chain does not exist or the caller may not see it.
    """

    allowed_roles = ALL_ROLES
    serializer_class = ChainGraphSerializer

    @extend_schema(responses=ChainGraphSerializer)
    def get(self, request, code):
        chain = get_object_or_404(Chain.objects.visible_to(request.user), code=code)
        return Response(chain_graph(chain))


class ChainMonthsView(APIView):
    """A chain's output and tax by month from its enterprises' monthly reports (the rollup),
    current as soon as a monthly import commits; with the year to date and its change."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = ChainMonthsSerializer

    @extend_schema(responses=ChainMonthsSerializer)
    def get(self, request, code):
        chain = get_object_or_404(Chain.objects.visible_to(request.user), code=code)
        figures = chain_month_figures(chain.code)
        rows = months.month_totals(by="chain_code", chain_code=chain.code)
        return Response(
            {
                "latest": figures["latest"] if figures else None,
                "ytd_label": figures["ytd_label"] if figures else None,
                "ytd_output_wan": figures["ytd_output_wan"] if figures else None,
                "ytd_yoy_pct": figures["ytd_yoy_pct"] if figures else None,
                "is_synthetic": bool(figures and figures["is_synthetic"]),
                "months": [
                    {
                        "month": f"{r['month']:%Y-%m}",
                        "enterprises": r["enterprises"],
                        "output_wan": float(r["output_wan"]),
                        "tax_wan": float(r["tax_wan"]),
                    }
                    for r in rows
                ],
            }
        )


class ChainFigureListView(generics.ListAPIView):
    """The report's published chain figures (real, each with its source sentence), quoted
    from the one place the report's numbers are kept."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = ChainFigureSerializer
    filter_backends = []  # a short list of quoted figures: nothing to filter

    def get_queryset(self):
        return chain_figures()


_TARGET_INPUT = input_serializer(target_dataset, "TargetCompanyInput")


@extend_schema(
    parameters=[OpenApiParameter("chain", str, description="产业链代码，如 xcl")],
)
class TargetCompanyViewSet(
    FileDatasetWriteMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """招商目标企业 (outside companies), with the links they could fill. POST (upsert by name)
    and PATCH write through the target-company import, with its validation and audit."""

    allowed_roles = GOVERNMENT_ROLES
    serializer_class = TargetCompanySerializer
    dataset = target_dataset
    input_serializer_class = _TARGET_INPUT
    key_fields = ("name",)
    filterset_class = TargetCompanyFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def record_for(self, values):
        return TargetCompany.objects.prefetch_related("links", "partners").get(
            name=str(values["name"]).strip()
        )

    def current_values(self, obj):
        lookup = LinkLookup()
        return {"name": obj.name, "links": lookup.join(link.pk for link in obj.links.all())}

    @extend_schema(request=_TARGET_INPUT, responses={201: TargetCompanySerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=_TARGET_INPUT, responses=TargetCompanySerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def get_queryset(self):
        links = Link.objects.visible_to(self.request.user).select_related("chain")
        queryset = (
            TargetCompany.objects.filter(links__in=links)
            .distinct()
            .prefetch_related(Prefetch("links", queryset=links), "partners")
            .order_by("-revenue_wan", "id")
        )
        return queryset
