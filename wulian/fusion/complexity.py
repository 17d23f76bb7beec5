"""Economic complexity over a city × link output matrix (Hidalgo et al. 2007, “The product
space”; the Growth Lab's ecomplexity package implements the same formulas).

- RCA[c, p] = (x[c,p] / Σ_p x[c,p]) / (Σ_c x[c,p] / Σ_{c,p} x);  M[c, p] = 1 where RCA ≥ 1
- proximity φ[p, q] = Σ_c M[c,p]·M[c,q] / max(Σ_c M[c,p], Σ_c M[c,q])
- density ω[c, p] = Σ_{q≠p} M[c,q]·φ[p,q] / Σ_{q≠p} φ[p,q]
- opportunity gain (unweighted COG) of a missing p: Σ_{q∉M, q≠p} (φ[p,q] / Σ_r φ[q,r])·(1 − ω[c,q])
  — how much being strong in p would bring the city closer to the other links it lacks (the
  Growth Lab's COG also weighs each q by its complexity, which a dozen links cannot estimate)

Plain Python over sets: a province (11 cities × ~90 links) takes a few milliseconds.
"""

from __future__ import annotations


def complexity(matrix: dict[str, dict[int, float]], city: str) -> dict[int, dict[str, float]]:
    """For `city`: {link: {"rca", "m", "density", "peers_strong", "opportunity"}}."""
    links = sorted({p for row in matrix.values() for p in row})
    total = sum(v for row in matrix.values() for v in row.values())
    if not links or total <= 0:
        return {}
    city_totals = {c: sum(row.values()) for c, row in matrix.items()}
    link_totals = {p: sum(row.get(p, 0.0) for row in matrix.values()) for p in links}
    strong: dict[int, set[str]] = {p: set() for p in links}
    rca_of: dict[tuple[str, int], float] = {}
    for c, row in matrix.items():
        for p in links:
            x = row.get(p, 0.0)
            if x <= 0 or city_totals[c] <= 0 or link_totals[p] <= 0:
                rca = 0.0
            else:
                rca = (x / city_totals[c]) / (link_totals[p] / total)
            rca_of[(c, p)] = rca
            if rca >= 1:
                strong[p].add(c)
    mine = {p for p in links if city in strong[p]}

    cache: dict[tuple[int, int], float] = {}

    def phi(p: int, q: int) -> float:
        key = (p, q) if p < q else (q, p)
        if key not in cache:
            biggest = max(len(strong[p]), len(strong[q]))
            cache[key] = len(strong[p] & strong[q]) / biggest if biggest else 0.0
        return cache[key]

    result = {}
    for p in links:
        num = den = 0.0
        for q in links:
            if q == p:
                continue
            value = phi(p, q)
            den += value
            if q in mine:
                num += value
        result[p] = {
            "rca": round(rca_of.get((city, p), 0.0), 3),
            "m": 1 if p in mine else 0,
            "density": round(num / den, 3) if den else 0.0,
            "peers_strong": len(strong[p] - {city}),
        }
    row_sums = {q: sum(phi(q, r) for r in links if r != q) for q in links}
    for p in links:
        gain = 0.0
        if p not in mine:
            for q in links:
                if q != p and q not in mine and row_sums[q]:
                    gain += phi(p, q) / row_sums[q] * (1 - result[q]["density"])
        result[p]["opportunity"] = round(gain, 3)
    return result
