"""One chain's scorecard, findings and ranked target companies as an xlsx workbook."""

from __future__ import annotations

from wulian.core.exports import XlsxWorkbook

from .scoring import DIMENSION_LABELS, DIMENSIONS


def export_analysis_xlsx(detail: dict, targets: list[dict]) -> bytes:
    """Sheets: 五链评分 (per link), 延链补链强链 (findings), 招商目标 (ranked)."""
    workbook = XlsxWorkbook()
    scores = workbook.sheet(
        "五链评分", header=["环节", "融合总分", *[str(DIMENSION_LABELS[d]) for d in DIMENSIONS]]
    )
    scores.append(["全链", detail["total"], *[detail[d] for d in DIMENSIONS]])
    for row in detail["link_scores"]:
        scores.append([row["name"], row["total"], *[row["scores"][d]["score"] for d in DIMENSIONS]])
    for note in detail["missing"]:
        scores.append([note])
    findings = workbook.sheet(
        "延链补链强链",
        header=[
            "类型",
            "环节",
            "优先级",
            "主营企业",
            "主营产值（万元）",
            "占本链比重",
            "RCA",
            "关联密度",
            "原因",
            "说明",
        ],
    )
    for f in detail["findings"]:
        findings.append(
            [
                f["kind_label"],
                f["link"],
                f["priority"],
                f["main_enterprises"],
                f["output_wan"],
                f["output_share"],
                f["rca"],
                f["density"],
                f["why"],
                f["illustrative"],
            ]
        )
    sheet = workbook.sheet(
        "招商目标",
        header=["排名", "企业名称", "总部", "营业收入（万元）", "匹配度", "理由", "数据性质"],
    )
    for rank, t in enumerate(targets, start=1):
        sheet.append(
            [
                rank,
                t["name"],
                t["headquarters"],
                t["revenue_wan"],
                t["fit"],
                t["why"],
                "合成（演示）" if t["is_synthetic"] else "真实",
            ]
        )
    return workbook.to_bytes()
