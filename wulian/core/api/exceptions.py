"""API errors: DRF's handler, plus Django ValidationErrors from services as 400s."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, OperationalError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, (OverflowError, DataError)):
        # A number or value the database cannot hold (e.g. an id with 40 digits): bad input.
        return Response({"detail": "参数超出允许范围。"}, status=400)
    if isinstance(exc, OperationalError):
        # A lost connection or a lock timeout: the transaction was rolled back as a whole.
        return Response(
            {"detail": "数据库暂时不可用，本次操作未写入任何数据，请稍后重试。"}, status=503
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages})
    return drf_exception_handler(exc, context)
