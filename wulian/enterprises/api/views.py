from rest_framework import viewsets

from wulian.core.permissions import ALL_ROLES
from wulian.core.readcache import CachedReadMixin

from ..filtersets import EnterpriseFilterSet
from ..models import Enterprise
from .serializers import EnterpriseSerializer


class EnterpriseViewSet(CachedReadMixin, viewsets.ReadOnlyModelViewSet):
    """The enterprise registry, scoped to what the caller may see (see EnterpriseQuerySet)."""

    allowed_roles = ALL_ROLES
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet

    def get_queryset(self):
        return (
            Enterprise.objects.visible_to(self.request.user)
            .select_related("region")
            .order_by("-output_wan", "id")
        )
