"""Serializers for the read paths, without work that DRF repeats per request and per row.

Profiling the uncached API reads (docs/performance.md) showed most of their time in DRF's
generic machinery rather than in our code:

- a `ModelSerializer` introspects its model and builds every field again for each request;
  `ReadModelSerializer` builds them once per class and hands each instance copies;
- for every field of every row, `Field.get_attribute` walks the source, tests whether the value
  is a callable (`inspect.signature` for methods) and wraps it all in exception handling;
  `ReadModelSerializer.to_representation` reads a model column with one `getattr` and a
  foreign key's id from its column, and keeps DRF's path for every other field;
- DRF's DateTimeField reads the current time zone (a context-local) for every value; the
  zone is read once per row here;
- `get_<field>_display()` rebuilds a dict of the field's choices, hashing every lazy label
  (one translation each), for every row; `ChoiceLabelField` maps the value through the labels
  translated once per language (`core.choices.labels_in_language`).

The output is the same, key for key: each field's own `to_representation` formats the value.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
from operator import attrgetter

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from wulian.core.choices import labels_in_language

_COLUMN, _FK_ID, _METHOD, _GENERIC, _MOMENT = range(5)


class ChoiceLabelField(serializers.CharField):
    """The label of a model field's choice, as `get_<field>_display()` answers it (read-only).

    `ChoiceLabelField(Model, "status")` reads `status` and answers its label in the active
    language (a value outside the choices is answered as itself, like Django).
    """

    def __init__(self, model, field_name: str, **kwargs):
        kwargs.setdefault("source", field_name)
        kwargs["read_only"] = True
        self.choice_field = model._meta.get_field(field_name)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(labels_in_language(self.choice_field).get(value, value))


def _copy(field):
    nested = isinstance(field, serializers.BaseSerializer) or hasattr(field, "child")
    if nested or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    return copy.copy(field)


def _plain_moment(field) -> bool:
    """A DateTimeField answering ISO 8601 in the current time zone (DRF's default)."""
    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        type(field) is serializers.DateTimeField
        and settings.USE_TZ
        and not hasattr(field, "timezone")
        and isinstance(output, str)
        and output.lower() == ISO_8601
    )


def _iso(value: dt.datetime, zone) -> str:
    """What DRF's DateTimeField answers for an aware datetime, the zone read once per row
    instead of once per field (each read goes through a context-local)."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def model_columns(serializer_class) -> list[str]:
    """The model's columns a ModelSerializer's `Meta.fields` name, as attnames (a foreign key
    by its id column), the primary key first: what a plain read must select for `RowPlan`."""
    meta = serializer_class.Meta
    attnames = {f.name: f.attname for f in meta.model._meta.concrete_fields}
    pk = meta.model._meta.pk.attname
    return [pk, *(attnames[name] for name in meta.fields if attnames.get(name, pk) != pk)]


def _column_plan(serializer) -> list[tuple]:
    """How each readable field of this bound serializer gets its value from an instance."""
    model = serializer.Meta.model
    columns = {f.attname: f for f in model._meta.concrete_fields}
    foreign = {f.name: f.attname for f in model._meta.concrete_fields if f.is_relation}
    plan = []
    for field in serializer._readable_fields:
        attrs = field.source_attrs
        name = field.field_name
        if isinstance(field, serializers.SerializerMethodField):
            plan.append((name, _METHOD, getattr(serializer, field.method_name)))
        elif isinstance(field, serializers.PrimaryKeyRelatedField) and (
            len(attrs) == 1 and attrs[0] in foreign and field.pk_field is None
        ):
            plan.append((name, _FK_ID, foreign[attrs[0]]))
        elif len(attrs) == 1 and attrs[0] in columns and not columns[attrs[0]].is_relation:
            if _plain_moment(field):
                plan.append((name, _MOMENT, (attrs[0], field.to_representation)))
            else:
                plan.append((name, _COLUMN, (attrs[0], field.to_representation)))
        else:
            plan.append((name, _GENERIC, field))
    return plan


class ReadModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields are built once per class and whose rows are read
    without DRF's per-field generic path where a plain column suffices (see the module).

    Subclasses must not make `get_fields()` depend on the instance (context, request).
    """

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            cls._built_fields = built
        # A field is bound to one serializer (bind() sets its name, parent and source on the
        # copy): a shallow copy is enough for that. A nested serializer, or a field holding a
        # child field bound to it, is copied whole, so that it and its children reach this
        # serializer (its context) rather than the template.
        return {name: _copy(field) for name, field in built.items()}

    def to_representation(self, instance):
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = _column_plan(self)
        out = {}
        zone = None
        for name, kind, how in plan:
            if kind == _MOMENT:
                value = getattr(instance, how[0])
                if value is None:
                    out[name] = None
                elif isinstance(value, dt.datetime) and value.utcoffset() is not None:
                    zone = zone or timezone.get_current_timezone()
                    out[name] = _iso(value, zone)
                else:
                    out[name] = how[1](value)
            elif kind == _COLUMN:
                value = getattr(instance, how[0])
                out[name] = None if value is None else how[1](value)
            elif kind == _FK_ID:
                out[name] = getattr(instance, how)
            elif kind == _METHOD:
                out[name] = how(instance)
            else:
                try:
                    value = how.get_attribute(instance)
                except SkipField:
                    continue
                check = value.pk if isinstance(value, PKOnlyObject) else value
                out[name] = None if check is None else how.to_representation(value)
        return out


_FORMAT, _VALUE, _LABEL, _NESTED = range(10, 14)


def _decimal_text(field):
    """DRF's DecimalField.to_representation for the common case (a string with the field's
    decimal places), with the exponent and the context made once instead of per value."""
    if not (
        type(field) is serializers.DecimalField
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not field.localize
        and not field.normalize_output
        and field.decimal_places is not None
    ):
        return None
    exponent = decimal.Decimal(".1") ** field.decimal_places
    context = decimal.getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    rounding, slow = field.rounding, field.to_representation

    def text(value):
        if type(value) is not decimal.Decimal:
            return slow(value)
        return f"{value.quantize(exponent, rounding=rounding, context=context):f}"

    return text


class RowPlan:
    """How a bound serializer's fields read and format a plain row object (not a model
    instance), worked out once: the plain-SQL reads (core.sqlread) hand their rows to it.

    Each field formats its value with its own `to_representation`, after reading its source on
    the row (a dotted source through attributes; nothing is None-formatted). A foreign key's id
    is read from its column, as ReadModelSerializer does; a nested list of rows is formatted by
    its child serializer's plan; a choice's label is formatted once per value and page (the
    language is the request's); a datetime in the current time zone is formatted with the
    zone read once per page.

    One plan per bound serializer, the serializer made once (per thread) by the caller: its
    fields must not depend on the request (no context)."""

    def __init__(self, serializer):
        model = serializer.Meta.model
        foreign = {f.name: f.attname for f in model._meta.concrete_fields if f.is_relation}
        self.steps = []
        for field in serializer._readable_fields:
            source = field.source
            if isinstance(field, serializers.ListSerializer):
                step = (field.field_name, _NESTED, attrgetter(source), RowPlan(field.child))
            elif isinstance(field, serializers.PrimaryKeyRelatedField) and source in foreign:
                step = (field.field_name, _VALUE, attrgetter(foreign[source]), None)
            elif isinstance(field, ChoiceLabelField):
                step = (field.field_name, _LABEL, attrgetter(source), field.to_representation)
            elif _plain_moment(field):
                step = (field.field_name, _MOMENT, attrgetter(source), field.to_representation)
            else:
                how = _decimal_text(field) or field.to_representation
                step = (field.field_name, _FORMAT, attrgetter(source), how)
            self.steps.append(step)

    def __call__(self, row, page: dict) -> dict:
        """`row` formatted; `page` is a dict shared by the rows of one response."""
        out = {}
        for name, kind, read, how in self.steps:
            value = read(row)
            if value is None:
                out[name] = None  # as DRF answers any field whose value is None
            elif kind == _FORMAT:
                out[name] = how(value)
            elif kind == _VALUE:
                out[name] = value
            elif kind == _LABEL:
                key = (name, value)
                if key not in page:
                    page[key] = how(value)
                out[name] = page[key]
            elif kind == _MOMENT:
                zone = page.get(_MOMENT)
                if zone is None:
                    zone = page[_MOMENT] = timezone.get_current_timezone()
                out[name] = _iso(value, zone) if value.utcoffset() is not None else how(value)
            else:
                out[name] = [how(item, page) for item in value]
        return out
