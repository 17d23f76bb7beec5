"""Pure arithmetic of 评价体系: growth, CAGR, progress, needed growth, ranks and grades.

No database here, so every rule can be tested against hand-computed numbers.
"""

from __future__ import annotations

from decimal import Decimal

from .choices import Grade

HUNDRED = Decimal(100)


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def growth_pct(current, previous) -> Decimal | None:
    """Growth of `current` over `previous` in percent; None when the base is missing or 0."""
    current, previous = _d(current), _d(previous)
    if current is None or previous is None or previous == 0:
        return None
    return (current / previous - 1) * HUNDRED


def cagr_pct(first, last, years: int) -> Decimal | None:
    """Compound annual growth rate in percent over `years` years (年均增长)."""
    first, last = _d(first), _d(last)
    if first is None or last is None or years <= 0 or first <= 0 or last < 0:
        return None
    ratio = float(last / first) ** (1 / years)
    return (Decimal(str(ratio)) - 1) * HUNDRED


def progress_pct(value, target, lower_is_better: bool = False) -> Decimal | None:
    """Completion of a target in percent; for a lower-is-better target, target ÷ value."""
    value, target = _d(value), _d(target)
    if value is None or target is None:
        return None
    if lower_is_better:
        return None if value == 0 else target / value * HUNDRED
    return None if target == 0 else value / target * HUNDRED


def share_pct(part, whole) -> Decimal | None:
    part, whole = _d(part), _d(whole)
    if part is None or whole is None or whole == 0:
        return None
    return part / whole * HUNDRED


def needed_growth_pct(target, done, last_year_total, last_year_done) -> Decimal | None:
    """Growth the rest of the year must show over the same months last year to hit `target`.

    With a 1–N月 value `done` this year, an annual target, and last year's full-year value and
    its own 1–N月 value: what remains (target − done) over what last year's remaining months
    brought (last_year_total − last_year_done), minus one.
    """
    target, done = _d(target), _d(done)
    last_total, last_done = _d(last_year_total), _d(last_year_done)
    if None in (target, done, last_total, last_done):
        return None
    base = last_total - last_done
    if base <= 0:
        return None
    return ((target - done) / base - 1) * HUNDRED


def competition_ranks(values: dict[str, Decimal | None], lower_is_better: bool) -> dict[str, int]:
    """Ranks 1..n with ties sharing the better rank (1, 2, 2, 4); missing values unranked."""
    present = [(k, v) for k, v in values.items() if v is not None]
    present.sort(key=lambda kv: kv[1], reverse=not lower_is_better)
    ranks: dict[str, int] = {}
    previous = None
    for position, (key, value) in enumerate(present, start=1):
        if previous is not None and value == previous[1]:
            ranks[key] = ranks[previous[0]]
        else:
            ranks[key] = position
        previous = (key, value)
    return ranks


def grade_for(rank: int | None) -> str | None:
    """保五争三拼第一: 1 → 第一, 2–3 → 前三, 4–5 → 前五, else 其后."""
    if rank is None:
        return None
    if rank == 1:
        return Grade.FIRST
    if rank <= 3:
        return Grade.TOP3
    if rank <= 5:
        return Grade.TOP5
    return Grade.BELOW


def arrow_for(rank: int | None, previous_rank: int | None) -> str:
    """'up' when the rank improved since last period, 'down' when it fell, 'flat', or ''."""
    if rank is None or previous_rank is None:
        return ""
    if rank < previous_rank:
        return "up"
    if rank > previous_rank:
        return "down"
    return "flat"


def zscores(values: dict[str, Decimal]) -> dict[str, float]:
    """Standard scores of a set of values (population standard deviation)."""
    numbers = {k: float(v) for k, v in values.items() if v is not None}
    if len(numbers) < 3:
        return {}
    mean = sum(numbers.values()) / len(numbers)
    var = sum((x - mean) ** 2 for x in numbers.values()) / len(numbers)
    if var == 0:
        return dict.fromkeys(numbers, 0.0)
    sd = var**0.5
    return {k: (x - mean) / sd for k, x in numbers.items()}
