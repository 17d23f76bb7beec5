"""Working calendar API (administrators): the days they set, upserted by date."""

import datetime as dt

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from .. import calendar_service
from ..models import CalendarOverride
from .serializers import CalendarDaySerializer


class CalendarDayViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Days set by administrators above the national schedule (放假 or 调休上班).

    POST upserts by date; DELETE removes the day's setting. Open requests' deadlines move with
    every change."""

    allowed_roles = frozenset()  # superusers only
    serializer_class = CalendarDaySerializer
    lookup_field = "date"

    def get_queryset(self):
        queryset = CalendarOverride.objects.order_by("date")
        year = self.request.query_params.get("year", "")
        if year.isdigit() and len(year) == 4:
            queryset = queryset.filter(date__year=int(year))
        return queryset

    def get_object(self):
        try:
            day = dt.date.fromisoformat(self.kwargs["date"])
        except ValueError as exc:
            from rest_framework.exceptions import NotFound

            raise NotFound("日期格式应为 YYYY-MM-DD。") from exc
        return get_object_or_404(CalendarOverride, date=day)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="只列出该年的调整")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=CalendarDaySerializer,
        responses={200: CalendarDaySerializer, 201: CalendarDaySerializer},
    )
    def create(self, request, *args, **kwargs):
        data = CalendarDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row, created = calendar_service.set_calendar_day(actor=request.user, **data.validated_data)
        return Response(
            CalendarDaySerializer(row).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def perform_destroy(self, instance):
        calendar_service.delete_calendar_day(actor=self.request.user, date=instance.date)
