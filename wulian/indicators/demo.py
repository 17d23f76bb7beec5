"""The indicators demo: the catalogue, the seed's published figures (real, with their source
sentence), and a deterministic synthetic fill (other years, counties, the province's other
cities, targets) marked is_synthetic so that no invented figure passes for a real one.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from wulian.core import seed
from wulian.core.demo import CITIES, COUNTIES
from wulian.core.models import CITY_CODE, Department

from .catalogue import INDICATORS
from .choices import RankBasis, TargetKind
from .models import Indicator, Observation, Target

SEED = 20251126
SYNTHETIC_SOURCE = "合成演示数据（确定性生成，非真实统计）"
YEARS = range(2020, 2026)
# Relative size of each city against Quzhou, for the synthetic peer values.
PEER_SCALE = {
    "330100": 9.5, "330200": 8.2, "330300": 4.4, "330400": 3.4, "330500": 1.9,
    "330600": 3.8, "330700": 3.0, "330900": 1.0, "331000": 3.0, "331100": 0.9,
}  # fmt: skip
COUNTY_SHARE = {
    "330802": 0.22, "330803": 0.17, "330881": 0.21, "330825": 0.17, "330822": 0.12,
    "330824": 0.11,
}  # fmt: skip


def load_catalogue() -> dict[str, Indicator]:
    """Create or update every indicator of the catalogue (formulas after their parts)."""
    departments = dict(Department.objects.values_list("code", "pk"))
    by_code: dict[str, Indicator] = {}
    for sort, row in enumerate(INDICATORS):
        code, name, unit, kind, freq, direction, category, dept, extra = row
        indicator, _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "frequency": freq,
                "direction": direction,
                "category": category,
                "department_id": departments.get(dept),
                "is_headline": extra.get("headline", False),
                "value_min": extra.get("min"),
                "value_max": extra.get("max"),
                "sort": sort,
            },
        )
        by_code[code] = indicator
    for code, *_rest, extra in INDICATORS:
        indicator = by_code[code]
        if "formula" in extra:
            num, den, factor = extra["formula"]
            indicator.numerator = by_code[num]
            indicator.denominator = by_code[den]
            indicator.factor = Decimal(factor)
        if "part_of" in extra:
            indicator.part_of = by_code[extra["part_of"]]
        indicator.save()
    return by_code


def load_seed_figures(by_code: dict[str, Indicator]) -> int:
    """Every figure the seed publishes (wulian.core.seed), as real observations of the city."""
    for figure in seed.FIGURES:
        Observation.objects.update_or_create(
            indicator=by_code[figure.code],
            region_id=CITY_CODE,
            period=figure.period,
            cumulative=figure.cumulative,
            defaults={
                "value": figure.value,
                "qualifier": figure.qualifier,
                "source": figure.source,
                "is_synthetic": False,
                "is_preliminary": figure.preliminary,
                "is_revised": False,
                "yoy_pct": figure.yoy,
                "published_rank": figure.rank,
                "published_rank_basis": figure.rank_basis,
                "note": figure.note,
            },
        )
    return len(seed.FIGURES)


def _q(value: float, places: int = 2) -> Decimal:
    return Decimal(str(round(value, places)))


class _Synth:
    """Collects synthetic observations, never overwriting a real one."""

    def __init__(self, by_code, real_keys):
        self.by_code = by_code
        self.real = real_keys
        self.rows: list[Observation] = []

    def add(self, code, region, period, value, cumulative=False, places=2):
        key = (code, region, period, cumulative)
        if key in self.real:
            return
        self.real.add(key)
        self.rows.append(
            Observation(
                indicator=self.by_code[code],
                region_id=region,
                period=period,
                cumulative=cumulative,
                value=_q(value, places),
                source=SYNTHETIC_SOURCE,
                is_synthetic=True,
            )
        )


def _city_series(rng: random.Random) -> dict[str, dict[int, float]]:
    """Quzhou's synthetic years, interpolated between the real figures the seed gives."""
    gdp = {2020: 1620.0}
    for year in range(2021, 2025):
        gdp[year] = gdp[year - 1] * (1.078 + rng.uniform(-0.006, 0.006))
    trade = {2020: 358.4}
    step = (785.6 / 358.4) ** 0.25
    for year in range(2021, 2024):
        trade[year] = trade[year - 1] * step * rng.uniform(0.97, 1.03)
    exports = {2023: 539 / 1.187}
    for year in (2022, 2021, 2020):
        exports[year] = exports[year + 1] / rng.uniform(1.10, 1.16)
    industrial = {2024: 3000.0}
    for year in (2023, 2022, 2021, 2020):
        industrial[year] = industrial[year + 1] / rng.uniform(1.07, 1.11)
    chain = {2021: industrial[2021] * 0.49, 2022: industrial[2022] * 0.56}
    chain[2023] = industrial[2023] * 0.63
    return {
        "gdp": gdp,
        "trade": trade,
        "exports": exports,
        "industrial_output": industrial,
        "chain_output": chain,
        "tourists": {2023: 3932.4 / 1.166, 2022: 3932.4 / 1.166 / 1.21},
        "tourism_revenue": {2023: 429 / 1.177, 2022: 429 / 1.177 / 1.23},
        "urban_income": {y: 52000 * 1.055 ** (y - 2020) for y in range(2020, 2025)},
        "rural_income": {
            y: 52000 * 1.055 ** (y - 2020) / (1.86 - 0.025 * (y - 2020)) for y in range(2020, 2025)
        },
        "urbanization": {y: 58.5 + 1.1 * (y - 2020) for y in range(2020, 2025)},
        "rd_intensity": {y: 2.05 + 0.12 * (y - 2020) for y in range(2020, 2025)},
        "regional_gap": {y: 2.05 - 0.05 * (y - 2020) for y in range(2020, 2025)},
        "income_gap": {y: 3.2 - 0.06 * (y - 2020) for y in range(2020, 2025)},
        "listed_companies": {2021: 9, 2022: 13, 2023: 17, 2024: 20},
        "income_ratio": {y: 1.86 - 0.025 * (y - 2020) for y in range(2020, 2024)},
    }


# indicator: how a peer's value relates to Quzhou's (scaled, or an absolute range)
PEER_RULES = {
    "gdp": "scale",
    "industrial_output": "scale",
    "trade": "scale",
    "exports": "scale",
    "tourists": "scale",
    "tourism_revenue": "scale",
    "listed_companies": "scale",
    "income_ratio": (1.55, 1.95),
    "urbanization": (60.0, 84.0),
    "rd_intensity": (2.0, 3.9),
}
# Published 增速全省第一: peers' synthetic growth stays below Quzhou's.
GROWTH_CAP = {"exports": 1.175, "tourists": 1.155, "tourism_revenue": 1.165}


def _peer_values(rng, city, code, rule):
    out: dict[str, dict[int, float]] = {}
    years = sorted(city.get(code, {}))
    for region, scale in PEER_SCALE.items():
        series: dict[int, float] = {}
        if rule == "scale":
            base = city[code][years[0]] * scale * rng.uniform(0.85, 1.15)
            series[years[0]] = base
            for year in years[1:]:
                growth = rng.uniform(1.02, 1.12)
                if code in GROWTH_CAP:
                    growth = min(growth, GROWTH_CAP[code] - rng.uniform(0, 0.03))
                series[year] = series[year - 1] * growth
        else:
            lo, hi = rule
            start = rng.uniform(lo, hi)
            drift = (hi - lo) * 0.015 * (-1 if code == "income_ratio" else 1)
            for i, year in enumerate(range(2020, 2025)):
                series[year] = start + drift * i
        out[region] = series
    return out


def _exports_within_trade(peers) -> None:
    """A peer's exports are part of its trade: a steady share of it (55–85%), each year moving
    with trade, so growth stays under the published cap. Drawn from a generator of its own so
    the rest of the synthetic data stays as it was."""
    rng = random.Random(SEED + 1)
    for region, trade in peers["trade"].items():
        share = rng.uniform(0.55, 0.85)
        peers["exports"][region] = {
            year: value * share * rng.uniform(0.99, 1.01) for year, value in trade.items()
        }


def _urbanization_second(city, peers) -> None:
    """The seed: 常住人口城镇化率增幅全省第二. One peer (the least urbanised, with the most room
    to grow) gains a little more in 2024 than Quzhou; every other peer gains less."""
    gain = city["urbanization"][2024] - city["urbanization"][2023]
    by_region = peers["urbanization"]
    region = min(by_region, key=lambda r: by_region[r][2024])
    by_region[region][2024] = by_region[region][2023] + gain + 0.2


@transaction.atomic
def load(stdout=None) -> None:
    """Catalogue, seed figures, synthetic fill and targets; idempotent and deterministic."""
    by_code = load_catalogue()
    count = load_seed_figures(by_code)
    Observation.objects.filter(is_synthetic=True).delete()
    Target.objects.filter(is_synthetic=True).delete()
    real = set(
        Observation.objects.values_list("indicator__code", "region_id", "period", "cumulative")
    )
    rng = random.Random(SEED)
    synth = _Synth(by_code, real)
    city = _city_series(rng)
    # Quzhou's other years; 2024 values from the seed anchor them.
    city["trade"][2024] = 785.6
    city["exports"][2024] = 539.0
    city["tourists"][2024] = 3932.4
    city["tourism_revenue"][2024] = 429.0
    city["listed_companies"][2020] = 6
    city["income_ratio"][2024] = 1.76
    city["gdp"][2025] = 2400.0
    for code, values in city.items():
        for year, value in values.items():
            places = 0 if code in ("urban_income", "rural_income", "listed_companies") else 2
            synth.add(code, CITY_CODE, str(year), value, places=places)
    # The province's other cities (synthetic) for ranking.
    peers = {code: _peer_values(rng, city, code, rule) for code, rule in PEER_RULES.items()}
    _exports_within_trade(peers)
    _urbanization_second(city, peers)
    for code, by_region in peers.items():
        for region, series in by_region.items():
            for year, value in series.items():
                places = 0 if code == "listed_companies" else 2
                synth.add(code, region, str(year), value, places=places)
    # Monthly 1–N月 cumulative 规上工业总产值 for 2024 (adds up to the year) and 2025 to date.
    weights = [rng.uniform(0.9, 1.1) * (0.7 if m == 2 else 1.0) for m in range(12)]
    total = sum(weights)
    running = 0.0
    monthly_2024 = []
    for month in range(1, 13):
        running += 3000.0 * weights[month - 1] / total
        monthly_2024.append(running)
        synth.add("industrial_output", CITY_CODE, f"2024-{month:02d}", running, cumulative=True)
    for month in range(1, 11):
        value = monthly_2024[month - 1] * rng.uniform(1.065, 1.085)
        synth.add("industrial_output", CITY_CODE, f"2025-{month:02d}", value, cumulative=True)
    # Counties (synthetic), for the map and county comparisons.
    for county, share in COUNTY_SHARE.items():
        for year in (2023, 2024):
            jitter = rng.uniform(0.95, 1.05)
            synth.add("gdp", county, str(year), city["gdp"][year] * share * jitter)
            synth.add(
                "industrial_output",
                county,
                str(year),
                3000 * share * jitter * 0.97 ** (2024 - year),
            )
            synth.add("urbanization", county, str(year), rng.uniform(45, 72))
            synth.add("urban_income", county, str(year), rng.uniform(48000, 62000), places=0)
            synth.add("rural_income", county, str(year), rng.uniform(27000, 36000), places=0)
            synth.add("tourists", county, str(year), 3932.4 * share * jitter)
    Observation.objects.bulk_create(synth.rows, batch_size=1000)
    targets = [
        ("gdp", "2025", TargetKind.ANNUAL, "2420", ""),
        ("gdp", "2025", TargetKind.PLAN, "2300", "2020"),
        ("industrial_output", "2025", TargetKind.ANNUAL, "3300", ""),
        ("chain_share", "2025", TargetKind.PLAN, "70", "2020"),
        ("trade", "2025", TargetKind.ANNUAL, "860", ""),
        ("exports", "2025", TargetKind.ANNUAL, "600", ""),
        ("tourists", "2025", TargetKind.ANNUAL, "4300", ""),
        ("listed_companies", "2025", TargetKind.PLAN, "20", "2020"),
        ("income_ratio", "2025", TargetKind.ANNUAL, "1.74", ""),
        ("urbanization", "2025", TargetKind.PLAN, "64", "2020"),
    ]
    Target.objects.bulk_create(
        [
            Target(
                indicator=by_code[code],
                region_id=CITY_CODE,
                period=period,
                kind=kind,
                value=Decimal(value),
                base_period=base,
                source=SYNTHETIC_SOURCE,
                is_synthetic=True,
            )
            for code, period, kind, value, base in targets
        ]
    )
    if stdout is not None:
        stdout.write(
            f"indicators: {len(by_code)} 项指标，种子文本数字 {count} 条（真实），"
            f"合成数据 {len(synth.rows)} 条，合成目标 {len(targets)} 条"
        )


__all__ = ["CITIES", "COUNTIES", "RankBasis", "load"]
