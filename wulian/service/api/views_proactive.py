"""我呼企应 API: file a request on a flagged enterprise's behalf."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.enterprises.models import WarningFlag
from wulian.enterprises.permissions import VISIT_ROLES

from ..models import ServiceCategory
from ..proactive import draft_for, file_proactive_request
from .serializers import ServiceRequestDetailSerializer


class ProactiveRequestSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceCategory.objects.filter(is_active=True)
    )
    title = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=5000, required=False)


class ProactiveRequestView(APIView):
    """POST: file a 企呼我应 request for the flag's enterprise (title and description drafted
    from the evidence unless given); the flag records it. 201 with the new request."""

    allowed_roles = VISIT_ROLES
    serializer_class = ProactiveRequestSerializer

    @extend_schema(
        request=ProactiveRequestSerializer, responses={201: ServiceRequestDetailSerializer}
    )
    def post(self, request, pk):
        flag = get_object_or_404(
            WarningFlag.objects.visible_to(request.user).select_related("enterprise", "rule"), pk=pk
        )
        body = ProactiveRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = {**draft_for(flag), **body.validated_data}
        try:
            filed = file_proactive_request(actor=request.user, flag=flag, **values)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        data = ServiceRequestDetailSerializer(filed, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)
