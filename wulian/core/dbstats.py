"""Planner statistics after bulk loads.

PostgreSQL plans from the statistics its autovacuum gathers after a table changes; a table filled
in the same transaction that then queries it (the demo loader, a test) still has the statistics
of its empty past, and the planner, believing it holds one row, chooses plans that cost minutes
over 180,000 monthly rows. `analyze()` refreshes them at once (ANALYZE may run inside a
transaction and counts the transaction's own rows). Other databases need nothing.
"""

from __future__ import annotations

from django.db import connection


def analyze(*models) -> None:
    """ANALYZE the tables of `models` (every table when none) on PostgreSQL."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}" if tables else "ANALYZE")
