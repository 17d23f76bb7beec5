"""Pure arithmetic of 评价体系: growth, CAGR, progress, needed growth, ranks and grades.

No database here, so every rule can be tested against hand-computed numbers.

Every judgement of a number goes through `better()`: ranks by level and by change, the arrows
and their colours, grades, target progress and the RAG of tasks read from an indicator. The
unit a change is stated in follows from the indicator's kind (`change_unit()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .choices import ChangeUnit, Direction, Grade, Kind, Verdict

HUNDRED = Decimal(100)
# Ranks compare what the table shows: values and changes rounded to this many places, so two
# cities that read the same share the rank.
RANK_PLACES = 2
GROWTH_KINDS = (Kind.AMOUNT, Kind.COUNT)


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


def better(direction: str, a, b) -> bool:
    """Whether `a` is better than `b` for an indicator with this direction of good.

    The one place that decides it: a larger GDP is better, a smaller 倍差 or 位次 is better.
    A change is judged the same way against 0 (a 倍差 that falls has improved).
    """
    a, b = _d(a), _d(b)
    if a is None or b is None:
        return False
    return a < b if direction == Direction.LOWER else a > b


def verdict(direction: str, change) -> str:
    """A change judged by the direction of good: better, worse, same ("" when unknown)."""
    change = _d(change)
    if change is None:
        return ""
    if better(direction, change, 0):
        return Verdict.BETTER
    if better(direction, 0, change):
        return Verdict.WORSE
    return Verdict.SAME


def change_unit(kind: str) -> str:
    """Amounts and counts grow in %, shares move in percentage points, ratios and ranks by
    their difference (a rank in places)."""
    if kind in GROWTH_KINDS:
        return ChangeUnit.PERCENT
    if kind == Kind.SHARE:
        return ChangeUnit.POINTS
    if kind == Kind.RANK:
        return ChangeUnit.PLACES
    return ChangeUnit.ABSOLUTE


def change(kind: str, current, previous) -> Decimal | None:
    """The change from `previous` to `current` in the unit the kind calls for."""
    if kind in GROWTH_KINDS:
        return growth_pct(current, previous)
    current, previous = _d(current), _d(previous)
    if current is None or previous is None:
        return None
    return current - previous


def round_half_up(value, places: int = RANK_PLACES) -> Decimal | None:
    value = _d(value)
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Change:
    """A change of an indicator, in the unit its kind calls for, judged by its direction.

    `synthetic` when either end is synthetic; `published` when the source stated it.
    """

    value: Decimal | None
    unit: str
    direction: str
    measure: str = ""
    synthetic: bool = False
    published: bool = False

    @property
    def verdict(self) -> str:
        return verdict(self.direction, self.value)

    @property
    def pct(self) -> Decimal | None:
        """The change as a growth rate, only where the kind grows in %."""
        return self.value if self.unit == ChangeUnit.PERCENT else None

    def text(self, places: int | None = None) -> str:
        """The change as a statistician writes it: +8.6%, +19.4个百分点, −0.03倍, 上升3位."""
        if self.value is None:
            return "—"
        if self.unit == ChangeUnit.PLACES:
            places_moved = abs(int(self.value))
            if places_moved == 0:
                return _("位次持平")
            if self.verdict == Verdict.BETTER:
                return _("上升%(n)d位") % {"n": places_moved}
            return _("下降%(n)d位") % {"n": places_moved}
        digits = places if places is not None else (1 if self.unit != ChangeUnit.ABSOLUTE else 2)
        number = round_half_up(self.value, digits)
        sign = "+" if number > 0 else ("−" if number < 0 else "")
        body = f"{sign}{abs(number):,.{digits}f}"
        if self.unit == ChangeUnit.PERCENT:
            return f"{body}%"
        if self.unit == ChangeUnit.POINTS:
            return _("%(n)s个百分点") % {"n": body}
        return f"{body}{self.measure}"

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "unit": self.unit,
            "text": self.text(),
            "verdict": self.verdict,
            "synthetic": self.synthetic,
            "published": self.published,
        }


def progress_pct(value, target, direction: str = Direction.HIGHER, base=None) -> Decimal | None:
    """Completion of a target in percent, following the direction of good.

    Higher is better: value ÷ target (the usual 完成率). Lower is better (a 倍差 to bring
    down to a target): the share of the way from the base value to the target that has been
    covered, (base − value) ÷ (base − target); without a base, target ÷ value. A value that
    has moved the wrong way makes no progress (0).
    """
    value, target, base = _d(value), _d(target), _d(base)
    if value is None or target is None:
        return None
    if direction != Direction.LOWER:
        return None if target == 0 else value / target * HUNDRED
    if base is not None and better(direction, target, base):
        return max(Decimal(0), (base - value) / (base - target) * HUNDRED)
    return None if value == 0 else target / value * HUNDRED


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


def competition_ranks(
    values: dict[str, Decimal | None], direction: str, places: int | None = RANK_PLACES
) -> dict[str, int]:
    """Ranks 1..n, best first by the direction of good; missing values unranked.

    Values are compared as shown (rounded to `places`), so cities that read the same share
    the better rank (1, 2, 2, 4).
    """
    shown = {
        k: (round_half_up(v, places) if places is not None else _d(v))
        for k, v in values.items()
        if v is not None
    }
    ranks: dict[str, int] = {}
    for key, value in shown.items():
        ranks[key] = 1 + sum(1 for other in shown.values() if better(direction, other, value))
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
    result = verdict(Direction.LOWER, rank - previous_rank)
    return {Verdict.BETTER: "up", Verdict.WORSE: "down"}.get(result, "flat")


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
