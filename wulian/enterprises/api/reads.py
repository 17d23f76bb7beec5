"""The enterprise API's reads in plain SQL (core.sqlread): the registry's most read endpoints.

The rows are read by id, after `Enterprise.objects.visible_to(user)` has decided which ids the
user may see (the list's page of ids from the filtered, scoped ORM queryset; the detail's id
through `in_scope`). They are handed to the same serializers as before, as plain rows instead
of model instances, so the JSON is the serializers' own (tests compare it with the model
path).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import SimpleNamespace

from django.utils import timezone

from wulian.core.api.reading import RowPlan, model_columns
from wulian.core.choices import labels_in_language
from wulian.core.models import Region
from wulian.core.sqlread import Columns, placeholders, select

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
    )
    width = len(e.names)
    found = {}
    for row in e.convert_rows(rows):
        item = SimpleNamespace(**dict(zip(e.names, row[:width], strict=True)))
        item.region = SimpleNamespace(name=row[width])
        found[item.id] = item
    return [found[pk] for pk in ids if pk in found]


def _tags(enterprise_id: int) -> list[dict]:
    t = _TAG
    rows = select(
        f"SELECT {t.sql} FROM {t.table} WHERE {t.ref('enterprise_id')} = %s"
        f" ORDER BY {t.ref('kind')}, {t.ref('id')}",
        [enterprise_id],
    )
    labels = labels_in_language(EnterpriseTag._meta.get_field("kind"))
    today = timezone.localdate()
    tags = []
    for tag in t.dicts(rows):
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


def detail_data(enterprise_id: int) -> dict | None:
    """One enterprise as EnterpriseDetailSerializer answers it, or None when there is none."""
    rows = enterprise_rows([enterprise_id])
    if not rows:
        return None
    data = _row_data(rows)[0]
    data["tags"] = _tags(enterprise_id)
    data["chains"] = _chains(enterprise_id)
    return data
