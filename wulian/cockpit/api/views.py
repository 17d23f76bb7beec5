from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..permissions import COCKPIT_ROLES
from ..services import cockpit_data
from .serializers import CockpitSerializer


class CockpitAPIView(APIView):
    """Every tile of the cockpit as data: headlines (value, YoY, CAGR, target progress, rank
    and grade), trends, monthly chain output, county map layers, chains, fusion scores,
    企呼我应 and the project pipeline."""

    allowed_roles = COCKPIT_ROLES

    @extend_schema(responses=CockpitSerializer)
    def get(self, request):
        return Response(CockpitSerializer(cockpit_data()).data)
