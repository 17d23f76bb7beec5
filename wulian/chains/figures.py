"""The report's published figures about the chains, quoted from `wulian.core.seed`.

They are not stored here: the seed module is the one place the report's numbers are written
(the indicators load the same figures as observations), so the chain pages, the chain report
and /api/v1/chain-figures/ can never disagree with the indicators page.
"""

from __future__ import annotations

from typing import TypedDict

from wulian.core import seed

# indicator code, the chain it is about ("" = the six chains together)
CHAIN_FIGURES = (
    ("chain_output", ""),
    ("chain_share", ""),
    ("xcl_output", "xcl"),
    ("fund_cluster", ""),
    ("listed_companies", ""),
)


class ChainFigureRow(TypedDict):
    key: str
    chain: str | None
    label: str
    value: float
    display: str
    unit: str
    year: int
    qualifier: str
    source: str
    is_preliminary: bool


def chain_figures(
    chain_code: str | None = None, keys: tuple[str, ...] = ()
) -> list[ChainFigureRow]:
    """The report's chain figures, oldest first per key; those of one chain when
    `chain_code` is given, only `keys` when given."""
    rows: list[ChainFigureRow] = []
    for key, chain in CHAIN_FIGURES:
        if chain_code is not None and chain != chain_code:
            continue
        if keys and key not in keys:
            continue
        for figure in seed.figures(key):
            rows.append(
                ChainFigureRow(
                    key=key,
                    chain=chain or None,
                    label=figure.label,
                    value=float(figure.value),
                    display=figure.display,
                    unit=figure.unit,
                    year=figure.year,
                    qualifier=figure.qualifier,
                    source=figure.source,
                    is_preliminary=figure.preliminary,
                )
            )
    return rows
