"""Scores and gaps on a hand-built chain where the right answers are known in advance."""

import pytest

from wulian.chains.models import Chain
from wulian.fusion.analysis import analyse, load_dataset, sat, total_score
from wulian.fusion.complexity import complexity
from wulian.fusion.wording import render_detail

from .helpers import build_known_chain, link_summaries

pytestmark = pytest.mark.django_db
WEIGHTS = {"industry": 0.3, "innovation": 0.2, "talent": 0.15, "capital": 0.2, "service": 0.15}


def link_row(card, name):
    return next(row for row in card["link_scores"] if row["name"] == name)


def test_link_scores_follow_the_documented_formulas(known):
    card = render_detail(analyse(load_dataset(), WEIGHTS)["xcl"])
    acid = link_row(card, "氢氟酸")["scores"]
    # 产业: 0.5·s(420000, 200000) + 0.3·s(5, 5) + 0.2·1 (a 10亿元 enterprise)
    expected = 100 * (0.5 * sat(420000, 200000) + 0.3 * 0.5 + 0.2)
    assert acid["industry"]["score"] == round(expected, 1)
    # 创新: one national platform serving two links: 3 points → s(3,3) = 0.5; no R&D figure
    assert acid["innovation"]["score"] == round(100 * 0.6 * 0.5, 1)
    # 人才: supply 10 / demand 10 → 1; s(10, 50)
    assert acid["talent"]["score"] == round(100 * (0.6 + 0.4 * sat(10, 50)), 1)
    # 资金: fund 10亿 over two links = 5亿 → s(50000, 100000); no financing, listing or project
    assert acid["capital"]["score"] == round(100 * 0.35 * sat(50000, 100000), 1)
    projects = next(c for c in acid["capital"]["components"] if c["key"] == "projects")
    assert projects["part"] == 0 and projects["note"] == "0 个项目"
    # an empty link scores 0 on 产业
    assert link_row(card, "矿石")["scores"]["industry"]["score"] == 0.0


def test_a_chain_without_requests_is_scored_on_the_other_four(known):
    card = render_detail(analyse(load_dataset(), WEIGHTS)["xcl"])
    assert card["service"] is None
    assert any("本链暂无企业诉求" in m for m in card["missing"])
    dims = {d: card[d] for d in ("industry", "innovation", "talent", "capital")}
    expected = sum(dims[d] * WEIGHTS[d] for d in dims) / 0.85
    assert card["total"] == round(expected, 1)


def test_service_scores_from_pooled_requests(users, monkeypatch):
    chain, links = build_known_chain()
    service = {
        links["acid"].pk: {"total": 10, "closed": 8, "on_time": 6, "satisfaction": 4.5},
        links["resin"].pk: {"total": 10, "closed": 10, "on_time": 10, "satisfaction": None},
    }
    link_summaries(monkeypatch, service=service)
    card = render_detail(analyse(load_dataset(), WEIGHTS)["xcl"])
    acid = link_row(card, "氢氟酸")["scores"]["service"]["score"]
    assert acid == round(100 * (0.4 * 0.8 + 0.3 * 0.75 + 0.3 * 0.9), 1)
    # pooled: 18/20 closed, 16/18 on time, satisfaction 4.5 over the 8 rated closures
    assert card["service"] == round(100 * (0.4 * 0.9 + 0.3 * 16 / 18 + 0.3 * 0.9), 1)
    assert link_row(card, "矿石")["scores"]["service"]["score"] is None
    assert card["missing"] == []


def test_gaps_are_the_known_ones(known):
    card = render_detail(analyse(load_dataset(), WEIGHTS)["xcl"])
    kinds = {f["link"]: f["kind"] for f in card["findings"]}
    assert kinds == {"矿石": "extend", "薄膜": "extend", "中间体": "fill", "小环节": "strengthen"}
    gap = next(f for f in card["findings"] if f["link"] == "中间体")
    assert "本地主营企业 1 家（低于 3 家）" in gap["why"]
    assert "上游「氢氟酸」" in gap["why"] and "下游「树脂」" in gap["why"]
    film = next(f for f in card["findings"] if f["link"] == "薄膜")
    assert "「树脂」的下游延伸" in film["why"]
    assert [t["name"] for t in film["targets"]] == ["大目标", "小目标"]
    assert film["targets"][0]["local_ties"] == 1
    tiny = next(f for f in card["findings"] if f["link"] == "小环节")
    assert "产值占本链仅 0.4%" in tiny["why"] and "无龙头企业" in tiny["why"]


def test_empty_chain_has_no_score_and_says_so(known):
    Chain.objects.create(code="empty", name="空链")
    card = render_detail(analyse(load_dataset(), WEIGHTS)["empty"])
    assert card["total"] is None and card["findings"] == [] and card["links"] == 0
    assert "本链尚无环节" in card["missing"]


def test_total_score_renormalises_weights():
    assert total_score({"a": 50, "b": None}, {"a": 0.5, "b": 0.5}) == 50
    assert total_score({"a": None}, {"a": 1}) is None


def test_complexity_on_a_matrix_worked_by_hand():
    matrix = {
        "A": {1: 10, 2: 0, 3: 0},
        "B": {1: 0, 2: 10, 3: 10},
        "C": {1: 10, 2: 10, 3: 0},
    }
    result = complexity(matrix, "A")
    assert result[1]["rca"] == 2.5 and result[1]["m"] == 1
    assert result[2]["density"] == 0.5  # φ(2,1)=0.5, φ(2,3)=0.5, A strong in 1 only
    assert result[3]["density"] == 0.0  # φ(3,1)=0
    assert result[2]["peers_strong"] == 2
    # opportunity of 2: φ(2,3)/Σφ(3,·)·(1−ω3) = 0.5/0.5·1; of 3: φ(3,2)/Σφ(2,·)·(1−ω2) = 0.5·0.5
    assert (result[1]["opportunity"], result[2]["opportunity"], result[3]["opportunity"]) == (
        0.0,
        1.0,
        0.25,
    )


def test_findings_are_stored_as_keys_and_read_in_the_readers_language(known):
    from django.utils import translation

    stored = analyse(load_dataset(), WEIGHTS)["xcl"]
    # stored: keys and numbers, no sentence (so it can be read in any language)
    gap = next(f for f in stored["findings"] if f["link"] == "中间体")
    assert "why" not in gap and gap["reason"]["key"] == "fill"
    assert gap["reason"]["params"]["main"] == 1
    acid = link_row(stored, "氢氟酸")["scores"]["industry"]["components"]
    assert "label" not in acid[0] and acid[0]["key"] == "output"
    with translation.override("en"):
        card = render_detail(stored)
    gap = next(f for f in card["findings"] if f["link"] == "中间体")
    assert gap["kind_label"] == "Fill"
    assert "1 local main enterprises (fewer than 3)" in gap["why"]
    assert "upstream “氢氟酸”" in gap["why"] and "本地" not in gap["why"]
    industry = link_row(card, "氢氟酸")["scores"]["industry"]["components"]
    assert industry[0]["label"] == "Output of main enterprises"
    assert all("主营" not in c["label"] for c in industry)
    with translation.override("zh-hans"):
        card = render_detail(stored)
    assert (
        "本地主营企业 1 家（低于 3 家）"
        in next(f for f in card["findings"] if f["link"] == "中间体")["why"]
    )


def test_rca_density_and_opportunity_each_get_one_plain_sentence_with_the_number():
    from django.utils import translation

    from wulian.fusion.wording import explain

    finding = {"rca": 0.8512, "density": 0.42, "opportunity": 1.3}
    with translation.override("zh-hans"):
        rca, density, opportunity = explain(finding)
    assert rca.startswith("RCA 0.85：") and "全省同一环节平均比重的 0.85 倍" in rca
    assert density.startswith("关联密度 0.42：") and "越高" in density
    assert opportunity.startswith("机会增益 1.30：")
    with translation.override("en"):
        rca, density, opportunity = explain(finding)
    assert rca.startswith("RCA 0.85:") and "0.85 times" in rca
    assert density.startswith("Relatedness density 0.42:")
    assert explain({"rca": None, "density": None, "opportunity": None}) == []
