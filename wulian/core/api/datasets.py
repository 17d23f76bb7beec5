"""Create and update endpoints that validate exactly as a dataset's import does.

A viewset sets `dataset` (a `core.rowimport.RowImporter`) and mixes in `DatasetWriteMixin`:
POST takes the dataset's columns by their English field names, PATCH a subset of them; both
go through `dataset.clean_record` (the same parsing, lookups and checks as a file row) and
`dataset.save_record` (the same write, audit included). Only users who may import the
dataset may write; the record must be one they can see.

`POST /api/v1/imports/{dataset}/` takes a whole file (multipart `file`, optional `dry_run`)
and answers the import report.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..datasets import Column, can_import, registry
from ..imports import check_upload_size
from ..permissions import GOVERNMENT_ROLES
from ..tabular import ImportReport, RowProblem
from .schema import VALIDATION_ERROR

_FIELDS = {
    "amount": lambda c, kw: serializers.DecimalField(
        max_digits=18, decimal_places=2, coerce_to_string=False, **kw
    ),
    "decimal": lambda c, kw: serializers.DecimalField(
        max_digits=18, decimal_places=4, coerce_to_string=False, **kw
    ),
    "int": lambda c, kw: serializers.IntegerField(min_value=0, **kw),
    "year": lambda c, kw: serializers.IntegerField(min_value=1900, max_value=2200, **kw),
    "date": lambda c, kw: serializers.DateField(**kw),
    "bool": lambda c, kw: serializers.BooleanField(**kw),
    "choice": lambda c, kw: serializers.ChoiceField(choices=list(c.choices), **kw),
}


def _field(column: Column) -> serializers.Field:
    # Options go to the constructor: DRF rebuilds fields from their arguments when it copies them.
    kw = {
        "required": column.required,
        "allow_null": not column.required,
        "help_text": f"{column.header}：{column.meaning}",
        "label": column.header,
    }
    make = _FIELDS.get(column.kind)
    if make:
        return make(column, kw)
    return serializers.CharField(allow_blank=not column.required, **kw)


def input_serializer(dataset, name: str) -> type[serializers.Serializer]:
    """A serializer class with one field per column (for validation of types and the schema)."""
    attrs = {c.field: _field(c) for c in dataset.columns}
    return type(name, (serializers.Serializer,), attrs)


class DatasetWriteMixin:
    """create / partial_update through the dataset's own validation and write."""

    dataset = None  # a RowImporter
    input_serializer_class: type[serializers.Serializer] | None = None

    def _check_write(self, request) -> None:
        if not can_import(request.user, self.dataset):
            raise PermissionDenied(_("您没有维护该数据的权限。"))

    def _clean(self, data: dict, partial_of: dict | None = None) -> dict:
        try:
            return self.dataset.clean_record(data, partial_of=partial_of, actor=self.request.user)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc

    def _input(self, request, partial: bool) -> dict:
        serializer = self.input_serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        self._check_write(request)
        values = self._clean(self._input(request, partial=False))
        obj = self.dataset.save_record(values, actor=request.user)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        self._check_write(request)
        obj = self.get_object()
        stored = self.dataset.record_values(obj)
        changes = self._input(request, partial=True)
        values = self._clean({**stored, **changes})
        before = self._clean(stored)
        moved = [f for f in self.dataset.key if f in changes and values.get(f) != before.get(f)]
        if moved:
            raise ValidationError({f: [_("不能修改标识字段；请新建一条记录。")] for f in moved})
        obj = self.dataset.save_record(values, actor=request.user)
        return Response(self.get_serializer(obj).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


ReportSerializer = inline_serializer(
    name="ImportReport",
    fields={
        "ok": serializers.BooleanField(),
        "dry_run": serializers.BooleanField(),
        "total_rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "warnings": serializers.ListField(child=serializers.CharField()),
        "errors": serializers.ListField(
            child=inline_serializer(
                name="ImportProblem",
                fields={
                    "row": serializers.IntegerField(),
                    "column": serializers.CharField(),
                    "message": serializers.CharField(),
                    "value": serializers.CharField(),
                },
            )
        ),
    },
)


class ImportFileView(APIView):
    """Import a file into a dataset: every row or none; the report lists problems by cell."""

    allowed_roles = GOVERNMENT_ROLES
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer(
            name="ImportUpload",
            fields={
                "file": serializers.FileField(),
                "dry_run": serializers.BooleanField(required=False),
            },
        ),
        responses={
            200: ReportSerializer,
            400: OpenApiResponse(
                {"anyOf": [{"$ref": "#/components/schemas/ImportReport"}, VALIDATION_ERROR]},
                description="文件未通过检查（报告按行列出问题），或请求本身不合法",
            ),
        },
    )
    def post(self, request, name: str):
        dataset = registry.get(name)
        if dataset is None:
            raise NotFound(_("未知数据集“%(n)s”。") % {"n": name})
        if not can_import(request.user, dataset):
            raise PermissionDenied(_("您没有导入该数据的权限。"))
        dry_run = str(request.data.get("dry_run", "")).lower() in ("1", "true", "yes", "on")
        upload = request.FILES.get("file")
        if upload is None:
            return _refused(_("请上传 .xlsx 或 .csv 文件。"), dry_run)
        try:
            check_upload_size(upload)
            report = dataset.run(actor=request.user, data=upload.read(), dry_run=dry_run)
        except DjangoValidationError as exc:
            return _refused("；".join(exc.messages), dry_run)
        except OperationalError:
            return _refused(_("数据库连接中断，未写入任何数据，请稍后重试。"), dry_run)
        return Response(report.to_dict(), status=200 if report.ok else 400)


def _refused(message: str, dry_run: bool) -> Response:
    report = ImportReport(dry_run=dry_run, errors=[RowProblem(0, "", message)])
    return Response(report.to_dict(), status=400)


class FileDatasetWriteMixin:
    """create / partial_update for datasets with their own file importer (`FileDataset`).

    The record is written as a one-row file through the dataset's own importer, so the API
    runs exactly the import's parsing, checks, write and audit. `record_for(values)` finds the
    stored object afterwards; `current_values(obj)` gives the key columns a PATCH starts from
    (only the columns sent, besides the key, change).
    """

    dataset = None  # a FileDataset
    input_serializer_class: type[serializers.Serializer] | None = None
    key_fields: tuple[str, ...] = ()

    def record_for(self, values: dict):
        raise NotImplementedError

    def current_values(self, obj) -> dict:
        raise NotImplementedError

    def _check_write(self, request) -> None:
        if not can_import(request.user, self.dataset):
            raise PermissionDenied(_("您没有维护该数据的权限。"))

    def _write(self, request, values: dict):
        from ..exports import csv_bytes

        columns = [c for c in self.dataset.columns if c.field in values]
        row = ["" if values[c.field] is None else values[c.field] for c in columns]
        data = csv_bytes([c.header for c in columns], [row])
        report = self.dataset.run(actor=request.user, data=data)
        if not report.ok:
            by_header = {c.header: c.field for c in self.dataset.columns}
            errors: dict[str, list[str]] = {}
            for e in report.errors:
                errors.setdefault(by_header.get(e.column, "non_field_errors"), []).append(e.message)
            raise ValidationError(errors)
        return self.record_for(values)

    def _input(self, request, partial: bool) -> dict:
        serializer = self.input_serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        self._check_write(request)
        obj = self._write(request, self._input(request, partial=False))
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        self._check_write(request)
        obj = self.get_object()
        current = self.current_values(obj)
        changes = self._input(request, partial=True)
        moved = [f for f in self.key_fields if f in changes and str(changes[f]) != str(current[f])]
        if moved:
            raise ValidationError({f: [_("不能修改标识字段；请新建一条记录。")] for f in moved})
        obj = self._write(request, {**current, **changes})
        return Response(self.get_serializer(obj).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)
