"""The enterprise API's reads in plain SQL (core.sqlread): the registry's most read endpoints.

The rows are read by id, after `Enterprise.objects.visible_to(user)` has decided which ids the
user may see (the list's page of ids from the filtered, scoped ORM queryset; the detail's id
through `scope_test`, tested in the statement that reads it). They are handed to the same
serializers as before, as plain rows instead of model instances, so the JSON is the
serializers' own (tests compare it with the model path).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import SimpleNamespace

from django.utils import timezone

from wulian.core.api.reading import RowPlan, model_columns
from wulian.core.choices import labels_in_language
from wulian.core.models import Region
from wulian.core.sqlread import Columns, placeholders, scope_column, select

from ..models import Enterprise, EnterpriseTag
from ..profile import chains_of
from .serializers import EnterpriseSerializer, group_chains

# The columns EnterpriseSerializer names (RowPlan formats them as its fields do).
_ENTERPRISE = Columns(Enterprise, model_columns(EnterpriseSerializer), alias="e")
_TAG = Columns(
    EnterpriseTag,
    ["enterprise_id", "kind", "level", "source", "valid_from", "valid_until", "is_synthetic"],
    alias="t",
)


_REGION = Columns(Region, ["name"], alias="r")


def enterprise_rows(ids: Sequence[int]) -> list[SimpleNamespace]:
    """The enterprises with these ids, in this order, each with `region.name`."""
    if not ids:
        return []
    e, r = _ENTERPRISE, _REGION
    rows = select(
        f"SELECT {e.sql}, {r.sql} FROM {e.table}"
        f" INNER JOIN {r.table} ON {r.ref('code')} = {e.ref('region_id')}"
        f" WHERE {e.ref('id')} IN ({placeholders(len(ids))})",
        list(ids),
        binary=True,
    )
    width = len(e.names)
    found = {}
    for row in e.convert_rows(rows):
        item = SimpleNamespace(**dict(zip(e.names, row[:width], strict=True)))
        item.region = SimpleNamespace(name=row[width])
        found[item.id] = item
    return [found[pk] for pk in ids if pk in found]


def _tags(rows) -> list[dict]:
    """The tags of the detail statement's rows (each row's values from the tag's columns on;
    an enterprise without tags has one row, without a tag)."""
    t = _TAG
    labels = labels_in_language(EnterpriseTag._meta.get_field("kind"))
    today = timezone.localdate()
    tags = []
    for tag in t.dicts(row for row in rows if row[0] is not None):
        start, end = tag["valid_from"], tag["valid_until"]
        tags.append(
            {
                "kind": tag["kind"],
                "label": labels.get(tag["kind"], tag["kind"]),
                "level": tag["level"],
                "source": tag["source"],
                "valid_from": start.isoformat() if start else None,
                "valid_until": end.isoformat() if end else None,
                "current": (start is None or start <= today) and (end is None or end >= today),
                "is_synthetic": tag["is_synthetic"],
            }
        )
    return tags


def _chains(enterprise_id: int) -> list[dict]:
    """As ChainMembershipSerializer answers the enterprise's chains (a test compares)."""
    return [
        {
            "code": chain["code"],
            "name": chain["name"],
            "links": [
                {
                    "id": p["link_id"],
                    "name": p["link_name"],
                    "segment": p["segment"],
                    "segment_display": p["segment_display"],
                    "role": p["role"],
                    "role_display": p["role_display"],
                }
                for p in chain["links"]
            ],
        }
        for chain in group_chains(chains_of([enterprise_id])[enterprise_id])
    ]


class _Formats(threading.local):
    """One bound serializer per thread and its plan (core.api.reading.RowPlan)."""

    def __init__(self):
        self.row = RowPlan(EnterpriseSerializer())


_formats = _Formats()


def _row_data(rows: Sequence[SimpleNamespace]) -> list[dict]:
    plan, page = _formats.row, {}
    return [plan(row, page) for row in rows]


def list_data(ids: Sequence[int]) -> list[dict]:
    """The list's rows for this page of ids, as EnterpriseSerializer answers them."""
    return _row_data(enterprise_rows(ids))


def _detail_sql() -> str:
    e, r, t = _ENTERPRISE, _REGION, _TAG
    return (
        f"SELECT {{visible}}, {e.sql}, {r.sql}, {t.sql} FROM {e.table}"
        f" INNER JOIN {r.table} ON {r.ref('code')} = {e.ref('region_id')}"
        f" LEFT OUTER JOIN {t.table} ON {t.ref('enterprise_id')} = {e.ref('id')}"
        f" WHERE {e.ref('id')} = %s ORDER BY {t.ref('kind')}, {t.ref('id')}"
    )


def detail_data(enterprise_id: int, test: bool | tuple[str, list] = True) -> dict | None:
    """One enterprise as EnterpriseDetailSerializer answers it, or None when there is none or
    it fails `test` (core.sqlread.scope_test: the user's scope, tested in the statement that
    reads the enterprise with its tags)."""
    if test is False:
        return None
    global _detail
    if _detail is None:
        _detail = _detail_sql()
    visible, params = scope_column(test)
    rows = select(_detail.format(visible=visible), [*params, enterprise_id], binary=True)
    if not rows or not rows[0][0]:
        return None
    e = _ENTERPRISE
    width = len(e.names)
    values = e.convert(rows[0][1 : width + 1])
    item = SimpleNamespace(**dict(zip(e.names, values, strict=True)))
    item.region = SimpleNamespace(name=rows[0][width + 1])
    data = _row_data([item])[0]
    data["tags"] = _tags([row[width + 2 :] for row in rows])
    data["chains"] = _chains(enterprise_id)
    return data


_detail: str | None = None  # the detail statement, written once per process
