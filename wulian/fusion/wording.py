"""The sentences of the fusion analysis, written in the reader's language when it is read.

The stored analysis (ChainScore.detail) holds keys and numbers only — which component, which
reason, which link, the RCA; `render_detail()` returns a copy with labels, formulas, notes,
reasons and plain explanations of RCA, 关联密度 and 机会增益 in Chinese or English, so the
gap findings and score evidence follow the interface language.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from wulian.core.templatetags.wulian import amount_wan

from .choices import Dimension

# key: (label, unit, formula)
COMPONENTS = {
    "output": (gettext_lazy("主营产值"), gettext_lazy("万元"), gettext_lazy("s(产值, 200000)")),
    "main": (gettext_lazy("主营企业数"), gettext_lazy("家"), gettext_lazy("s(企业数, 5)")),
    "leader": (gettext_lazy("龙头企业（产值≥10亿元或上市）"), "", gettext_lazy("是=1，否=0")),
    "platforms": (
        gettext_lazy("创新平台分（国家级3/省级2/市级1）"),
        gettext_lazy("分"),
        gettext_lazy("s(平台分, 3)"),
    ),
    "rd": (
        gettext_lazy("平台研发投入（按服务环节均摊）"),
        gettext_lazy("万元"),
        gettext_lazy("s(研发投入, 5000)"),
    ),
    "coverage": (
        gettext_lazy("人才供需匹配（供给/需求，封顶1）"),
        gettext_lazy("人"),
        gettext_lazy("min(1, 供给/需求)"),
    ),
    "supply": (gettext_lazy("人才供给"), gettext_lazy("人"), gettext_lazy("s(供给, 50)")),
    "fund": (
        gettext_lazy("产业基金（按投资环节均摊）"),
        gettext_lazy("万元"),
        gettext_lazy("s(基金, 100000)"),
    ),
    "financing": (
        gettext_lazy("融资事件金额"),
        gettext_lazy("万元"),
        gettext_lazy("s(融资, 20000)"),
    ),
    "listed": (gettext_lazy("上市企业"), gettext_lazy("家"), gettext_lazy("s(上市, 1)")),
    "projects": (
        gettext_lazy("招商项目计划投资"),
        gettext_lazy("万元"),
        gettext_lazy("s(计划投资, 100000)"),
    ),
    "closed": (gettext_lazy("诉求办结率"), gettext_lazy("件"), gettext_lazy("办结/受理")),
    "on_time": (gettext_lazy("按期办结率"), gettext_lazy("件"), gettext_lazy("按期/办结")),
    "satisfaction": (
        gettext_lazy("企业满意度（1–5）"),
        gettext_lazy("分"),
        gettext_lazy("满意度/5"),
    ),
}
KIND_LABELS = {
    "fill": gettext_lazy("补链"),
    "extend": gettext_lazy("延链"),
    "strengthen": gettext_lazy("强链"),
}
MISSING = {
    "no_links": gettext_lazy("本链尚无环节"),
    "no_requests": gettext_lazy("本链暂无企业诉求，服务链不计分，总分按其余四链计"),
}


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _list(items: list[str]) -> str:
    return ", ".join(items) if _english() else "、".join(items)


def _names(names: list[str]) -> str:
    return _list([f"“{n}”" if _english() else f"「{n}」" for n in names])


def _sentences(parts: list[str]) -> str:
    return "; ".join(parts) if _english() else "；".join(parts)


def _pct(share: float) -> str:
    return f"{share:.1%}"


def _note(note: dict | None) -> str:
    if not note:
        return ""
    params = note["params"]
    if note["key"] == "names":
        return _list(params["names"])
    if note["key"] == "financings":
        return _("%(n)s 笔") % params
    if note["key"] == "projects":
        return _("%(n)s 个项目") % params
    return _("本环节暂无企业诉求")


def render_component(c: dict) -> dict:
    label, unit, formula = COMPONENTS[c["key"]]
    value = c["value"]
    if c["key"] == "leader":
        value = _("是") if value else _("否")
    return {
        **c,
        "value": value,
        "label": str(label),
        "unit": str(unit),
        "formula": str(formula),
        "note": _note(c["note"]),
    }


def _have(p: dict) -> str:
    text = _("本地主营企业 %(main)s 家（低于 %(min_main)s 家）") % p
    if p["support"]:
        text += _("，另有配套企业 %(support)s 家") % p
    return text + _("，主营产值 %(output)s（占本链 %(share)s）") % {
        "output": amount_wan(p["output_wan"], 1),
        "share": _pct(p["share"]),
    }


def _fill_context(links: dict) -> str:
    preds, succs = links.get("strong_preds") or [], links.get("strong_succs") or []
    if preds and succs:
        return _("；其上游%(preds)s和下游%(succs)s本地较强，缺口使产业链在此断开") % {
            "preds": _names(preds),
            "succs": _names(succs),
        }
    if preds:
        return _("；其上游%(names)s本地较强，缺口使产业链在此断开") % {"names": _names(preds)}
    if succs:
        return _("；其下游%(names)s本地较强，缺口使产业链在此断开") % {"names": _names(succs)}
    return ""


def _sign(sign: dict) -> str:
    if sign["key"] == "small_share":
        return _("产值占本链仅 %(share)s（低于 %(limit)s）") % {
            "share": _pct(sign["share"]),
            "limit": f"{sign['limit']:.0%}",
        }
    if sign["key"] == "no_leader":
        return _("无龙头企业（最大企业产值 %(top)s，无上市企业）") % {
            "top": amount_wan(sign["top_wan"], 1)
        }
    return _("融合总分 %(total)s（低于 %(limit)s），最弱为%(dim)s %(score)s 分") % {
        "total": f"{sign['total']:.1f}",
        "limit": f"{sign['limit']:.0f}",
        "dim": Dimension(sign["weakest"]).label,
        "score": f"{sign['weakest_score']:.1f}",
    }


def why(finding: dict) -> str:
    """The reason for a finding as one sentence, with the numbers behind it."""
    reason = finding["reason"]
    key, p, link = reason["key"], reason["params"], finding["link"]
    if key == "extend_down":
        return _(
            "「%(link)s」是本市较强环节%(names)s的下游延伸，%(have)s。"
            "向下游延链可把本地产能转化为终端产品。"
        ) % {"link": link, "names": _names(reason["links"]["strong_preds"]), "have": _have(p)}
    if key == "extend_up":
        return _(
            "「%(link)s」是本市较强环节%(names)s的上游来源，%(have)s。"
            "向上游延链可稳住原料与关键部件供应。"
        ) % {"link": link, "names": _names(reason["links"]["strong_succs"]), "have": _have(p)}
    if key == "fill":
        return _("「%(link)s」%(have)s%(context)s。") % {
            "link": link,
            "have": _have(p),
            "context": _fill_context(reason["links"]),
        }
    return _("「%(link)s」本地已有主营企业 %(main)s 家、产值 %(output)s，但%(signs)s。") % {
        "link": link,
        "main": p["main"],
        "output": amount_wan(p["output_wan"], 1),
        "signs": _sentences([_sign(s) for s in p["signs"]]),
    }


def explain(finding: dict) -> list[str]:
    """RCA, 关联密度 and 机会增益 of a finding, each in one plain sentence with its number."""
    lines = []
    if finding.get("rca") is not None:
        lines.append(
            _(
                "RCA %(v)s：衢州该环节产值在本市产业中的比重，是全省同一环节平均比重的 %(v)s 倍；"
                "不低于 1 即算本地的比较优势环节。"
            )
            % {"v": f"{finding['rca']:.2f}"}
        )
    if finding.get("density") is not None:
        lines.append(
            _(
                "关联密度 %(v)s：在全省各市，该环节常与衢州已有的优势环节同城兴旺的程度（0–1）；"
                "越高，在衢州发展起来越现实。"
            )
            % {"v": f"{finding['density']:.2f}"}
        )
    if finding.get("opportunity") is not None:
        lines.append(
            _("机会增益 %(v)s：把该环节做强后，衢州离其他尚缺环节会近多少；越高，带动面越广。")
            % {"v": f"{finding['opportunity']:.2f}"}
        )
    return lines


def target_why(target: dict) -> str:
    r = target["reason"]
    reasons = [_("可填补「%(link)s」") % {"link": r["link"]}]
    if r["other_gaps"]:
        reasons.append(_("另可填补本链 %(n)s 个缺口环节") % {"n": r["other_gaps"]})
    reasons.append(_("营收 %(v)s") % {"v": amount_wan(r["revenue_wan"], 1)})
    if r["ties"]:
        reasons.append(_("与上下游本地企业已有 %(n)s 处关联") % {"n": r["ties"]})
    elif r["chain_ties"]:
        reasons.append(_("与本链本地企业有 %(n)s 处关联") % {"n": r["chain_ties"]})
    return ", ".join(reasons) if _english() else "，".join(reasons)


def _render_finding(finding: dict) -> dict:
    lines = explain(finding)
    return {
        **finding,
        "kind_label": str(KIND_LABELS[finding["kind"]]),
        "why": why(finding),
        "explain": lines,
        "illustrative": " ".join(lines),
        "targets": [{**t, "why": target_why(t)} for t in finding["targets"]],
    }


def render_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """A copy of a chain's stored analysis with every sentence in the active language."""
    out = copy.deepcopy(detail)
    for row in out["link_scores"]:
        for score in row["scores"].values():
            score["components"] = [render_component(c) for c in score["components"]]
    out["findings"] = [_render_finding(f) for f in out["findings"]]
    out["missing"] = [str(MISSING[m]) for m in out["missing"]]
    if out["service_evidence"].get("no_requests"):
        out["service_evidence"]["note"] = _("本链暂无企业诉求")
    out["illustrative_note"] = (
        _("关联密度与RCA基于对标城市环节产值计算；演示环境中对标城市数据为合成数据，结论仅作示意。")
        if out.get("has_peers")
        else _("无对标城市数据，未计算关联密度。")
    )
    return out
