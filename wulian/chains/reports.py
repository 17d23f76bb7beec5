"""The chain report as an xlsx workbook (links, enterprises on links, supply edges, sources)."""

from __future__ import annotations

from wulian.core.exports import XlsxWorkbook
from wulian.enterprises.models import Enterprise

from .figures import chain_figures
from .models import Chain, EnterpriseLink
from .services import chain_graph


def export_chain_report_xlsx(chain: Chain, user) -> bytes:
    """One chain's report; the enterprise sheet holds only enterprises the user may see."""
    graph = chain_graph(chain)
    names = {link["id"]: link["name"] for link in graph["links"]}
    workbook = XlsxWorkbook()
    sheet = workbook.sheet(
        "环节",
        header=[
            "环节",
            "上中下游",
            "企业数",
            "主营企业数",
            "上市企业数",
            "主营产值（万元）",
            "占本链产值比重",
            "强弱",
        ],
    )
    for link in graph["links"]:
        sheet.append(
            [
                link["name"],
                link["segment_label"],
                link["enterprises"],
                link["main_enterprises"],
                link["listed"],
                link["output_wan"],
                link["output_share"],
                link["strength_label"],
            ]
        )
    edges = workbook.sheet("供应关系", header=["供应环节", "被供应环节"])
    for edge in graph["edges"]:
        edges.append([names[edge["source"]], names[edge["target"]]])
    firms = workbook.sheet(
        "环节企业",
        header=[
            "环节",
            "角色",
            "企业名称",
            "统一社会信用代码",
            "区县",
            "年产值（万元）",
            "数据性质",
        ],
    )
    rows = (
        EnterpriseLink.objects.filter(
            link__chain=chain, enterprise__in=Enterprise.objects.visible_to(user)
        )
        .order_by("link__sort", "-enterprise__output_wan")
        .values_list(
            "link__name",
            "role",
            "enterprise__name",
            "enterprise__uscc",
            "enterprise__region__name",
            "enterprise__output_wan",
            "enterprise__is_synthetic",
        )
    )
    roles = {"main": "主营", "support": "配套"}
    for link, role, name, uscc, region, output, synthetic in rows.iterator(chunk_size=2000):
        firms.append(
            [
                link,
                roles.get(role, role),
                name,
                uscc,
                region,
                output,
                "合成（演示）" if synthetic else "真实",
            ]
        )
    sources = workbook.sheet("数据来源", header=["指标", "年份", "数值", "单位", "说明", "来源"])
    for figure in chain_figures(chain.code):
        sources.append(
            [
                figure["label"],
                figure["year"],
                figure["display"],
                figure["unit"],
                "预计" if figure["is_preliminary"] else "",
                figure["source"],
            ]
        )
    return workbook.to_bytes()
