"""Create and update endpoints for the fusion datasets, validating exactly as their imports."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets

from wulian.chains.models import Link
from wulian.core.api.datasets import DatasetWriteMixin, input_serializer
from wulian.core.permissions import GOVERNMENT_ROLES

from ..datasets import (
    FinancingDataset,
    FundDataset,
    PeerOutputDataset,
    PlatformDataset,
    TalentDemandDataset,
    TalentSupplyDataset,
)
from ..models import FinancingEvent, Fund, PeerLinkOutput, Platform, TalentDemand, TalentSupply
from .serializers import PlatformSerializer


def _model_serializer(model):
    fields = [f.name for f in model._meta.concrete_fields]
    if any(f.name == "links" for f in model._meta.many_to_many):
        fields.append("links")
    meta = type("Meta", (), {"model": model, "fields": fields, "read_only_fields": fields})
    return type(f"{model.__name__}RecordSerializer", (serializers.ModelSerializer,), {"Meta": meta})


def dataset_viewset(dataset, model, read_serializer=None, queryset=None, doc=""):
    """A list/retrieve/create/partial-update viewset for one dataset."""
    serializer = read_serializer or _model_serializer(model)
    write = input_serializer(dataset, f"{model.__name__}Input")

    class ViewSet(
        DatasetWriteMixin,
        mixins.CreateModelMixin,
        mixins.UpdateModelMixin,
        viewsets.ReadOnlyModelViewSet,
    ):
        allowed_roles = GOVERNMENT_ROLES
        serializer_class = serializer
        input_serializer_class = write
        http_method_names = ["get", "post", "patch", "head", "options"]

        def get_queryset(self):
            if queryset:
                qs = queryset(self.request)
            else:
                qs = model.objects.visible_to(self.request.user)
            return qs.order_by("id")

        @extend_schema(request=write, responses={201: serializer})
        def create(self, request, *args, **kwargs):
            return super().create(request, *args, **kwargs)

        @extend_schema(request=write, responses=serializer)
        def partial_update(self, request, *args, **kwargs):
            return super().partial_update(request, *args, **kwargs)

    ViewSet.dataset = dataset
    ViewSet.__name__ = ViewSet.__qualname__ = f"{model.__name__}ViewSet"
    ViewSet.__doc__ = doc
    return ViewSet


def _platforms(request):
    links = Link.objects.visible_to(request.user).select_related("chain")
    return Platform.objects.visible_to(request.user).prefetch_related(
        Prefetch("links", queryset=links)
    )


PlatformViewSet = dataset_viewset(
    PlatformDataset(),
    Platform,
    PlatformSerializer,
    _platforms,
    "Innovation platforms and the links they serve; create and update as the import does.",
)
TalentDemandViewSet = dataset_viewset(
    TalentDemandDataset(), TalentDemand, doc="Talent demand by link (岗位, 人数, 层次, 年份)."
)
TalentSupplyViewSet = dataset_viewset(
    TalentSupplyDataset(), TalentSupply, doc="Talent supply by link and source."
)
FundViewSet = dataset_viewset(
    FundDataset(), Fund, doc="Industry funds and the links they invest in."
)
FinancingViewSet = dataset_viewset(
    FinancingDataset(), FinancingEvent, doc="Financing events of enterprises."
)
PeerOutputViewSet = dataset_viewset(
    PeerOutputDataset(), PeerLinkOutput, doc="Peer cities' output by link and year."
)
