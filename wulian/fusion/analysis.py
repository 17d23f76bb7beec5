"""The fusion analysis of every chain: the scorecard (`scoring`) and the 延链补链强链 findings
(`gaps`) over one read of the data (`dataset`). Formulas: docs/fusion-scoring.md.

`analyse()` is pure Python over `load_dataset()`, so tests and the benchmark can check it on
hand-built data. What it returns is stored as ChainScore.detail: keys and numbers only;
`wording.render_detail()` writes the sentences in the reader's language when it is read.
"""

from __future__ import annotations

from wulian.core.models import CITY_CODE

from .complexity import complexity
from .dataset import load_dataset
from .gaps import find_gaps
from .scoring import DIMENSION_LABELS, DIMENSIONS, K, chain_card, sat, total_score

__all__ = [
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "K",
    "analyse",
    "load_dataset",
    "sat",
    "total_score",
]


def analyse(data: dict, weights: dict[str, float]) -> dict[str, dict]:
    """Per chain: dimension scores, total, per-link scores with evidence, and findings."""
    links = data["links"]
    matrix = {region: dict(row) for region, row in data["peers"].items()}
    if matrix:
        matrix[CITY_CODE] = {i: link["output_wan"] for i, link in links.items()}
    ec = complexity(matrix, CITY_CODE) if matrix else {}
    result = {}
    for code in data["chains"]:
        card = chain_card(code, data, weights)
        rows = {row["id"]: row for row in card["link_scores"]}
        card["findings"] = find_gaps(code, rows, data, ec)
        card["has_peers"] = bool(ec)
        result[code] = card
    return result
