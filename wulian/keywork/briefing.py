"""The meeting briefing as a Word document (python-docx) with a chart (matplotlib, rendered
on the server), and the task list as xlsx (core.exports).

The chart is drawn with the Agg backend into PNG bytes; Chinese labels use a CJK font when
one is installed (Noto CJK on our machines) and fall back to the default font otherwise.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from pathlib import Path

from django.utils import timezone

from wulian.core.exports import XlsxWorkbook

from . import rag
from .choices import Rag
from .models import Meeting, Task

CJK_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
RAG_COLOURS = {Rag.RED: "#d63939", Rag.AMBER: "#f59f00", Rag.GREEN: "#2fb344", Rag.DONE: "#adb5bd"}
SECTIONS = (
    "一、上次会议决定事项跟进",
    "二、重点任务总体情况",
    "三、滞后与预警任务",
    "四、新提请协调事项",
    "五、逾期企业诉求（企呼我应）",
    "六、停滞项目",
    "七、本次会议决定事项",
)


def task_numbers(tasks: list) -> dict:
    """Counts by RAG overall and by lead department (tasks carry .rag from rag.attach)."""
    overall = Counter(t.rag.rag for t in tasks)
    by_department: dict[str, Counter] = defaultdict(Counter)
    for task in tasks:
        by_department[task.lead_department.name][task.rag.rag] += 1
    return {
        "total": len(tasks),
        "overall": {r: overall.get(r, 0) for r in Rag.values},
        "by_department": {name: dict(c) for name, c in sorted(by_department.items())},
    }


def _cjk_font():
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
    return None


def rag_chart_png(numbers: dict) -> bytes:
    """A stacked horizontal bar chart: tasks by lead department and RAG status."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = _cjk_font()
    departments = list(numbers["by_department"]) or ["—"]
    figure = Figure(figsize=(7, 0.45 * len(departments) + 1.4), dpi=120)
    axes = figure.subplots()
    left = [0] * len(departments)
    for status in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.DONE):
        values = [numbers["by_department"].get(d, {}).get(status, 0) for d in departments]
        axes.barh(
            departments,
            values,
            left=left,
            color=RAG_COLOURS[status],
            label=str(Rag(status).label),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("任务数", fontproperties=font)
    for label in axes.get_yticklabels():
        if font is not None:
            label.set_fontproperties(font)
    axes.legend(prop=font, loc="lower right", fontsize=8)
    axes.set_title("各牵头部门任务状态", fontproperties=font)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


# 公文 layout (GB/T 9704-2012): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
# title in 方正小标宋简体 二号 (22 pt), level-1 headings in 黑体 三号, body in 仿宋_GB2312 三号
# (16 pt) on a 28 pt line. Each Chinese font is named with what Word substitutes where it is
# not installed (w:altName in the document's font table): 仿宋_GB2312 → 仿宋, 方正小标宋简体 →
# 宋体; Latin text and digits in Times New Roman.
GONGWEN_FONTS = {
    "title": ("方正小标宋简体", "宋体", 22),
    "heading": ("黑体", "SimHei", 16),
    "body": ("仿宋_GB2312", "仿宋", 16),
}
GONGWEN_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def _set_fonts(target, chinese: str, size_pt: int) -> None:
    """Latin and East Asian fonts of a style or run (python-docx sets only the Latin one)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.name = "Times New Roman"
    target.font.size = Pt(size_pt)
    r_pr = target.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), chinese)
    fonts.set(qn("w:hint"), "eastAsia")


def _font_table_fallbacks(document) -> None:
    """Name, in the font table, the font Word uses where a 公文 font is not installed."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    try:
        part = document.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    for chinese, fallback, _size in GONGWEN_FONTS.values():
        font = root.makeelement(qn("w:font"), {qn("w:name"): chinese})
        font.append(font.makeelement(qn("w:altName"), {qn("w:val"): fallback}))
        font.append(font.makeelement(qn("w:charset"), {qn("w:val"): "86"}))
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def gongwen_document():
    """An empty document laid out as a 公文: A4, GB/T 9704 margins, 公文 fonts."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(GONGWEN_MARGINS_MM["top"])
        section.bottom_margin = Mm(GONGWEN_MARGINS_MM["bottom"])
        section.left_margin = Mm(GONGWEN_MARGINS_MM["left"])
        section.right_margin = Mm(GONGWEN_MARGINS_MM["right"])
    body_font, _alt, body_size = GONGWEN_FONTS["body"]
    normal = document.styles["Normal"]
    _set_fonts(normal, body_font, body_size)
    normal.paragraph_format.line_spacing = Pt(28)
    title_font, _alt, title_size = GONGWEN_FONTS["title"]
    _set_fonts(document.styles["Title"], title_font, title_size)
    heading_font, _alt, heading_size = GONGWEN_FONTS["heading"]
    for name in ("Heading 1", "Heading 2"):
        style = document.styles[name]
        _set_fonts(style, heading_font, heading_size)
        style.font.bold = False
        style.font.color.rgb = None
    _font_table_fallbacks(document)
    return document


def briefing_docx(meeting: Meeting, reader, today: dt.date | None = None) -> bytes:
    """The briefing as `reader` may see it: meeting facts, each agenda section with its
    numbers, the chart, the decisions. Tasks, agenda lines and the tasks decisions became are
    limited to what the reader may see (`visible_to`). Sections appear even when empty
    (saying so), so readers find them."""
    from docx.shared import Cm

    from .services import scoped_tasks

    today = today or timezone.localdate()
    tasks = rag.attach(
        scoped_tasks(meeting.series)
        .visible_to(reader)
        .with_progress(today)
        .select_related("lead_department", "work_item"),
        today,
    )
    numbers = task_numbers(tasks)
    agenda = list(meeting.agenda.visible_to(reader))
    by_kind: dict[str, list] = defaultdict(list)
    for item in agenda:
        by_kind[item.kind].append(item)

    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = gongwen_document()
    title = document.add_heading(f"{meeting.title} 会议材料", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        f"例会：{meeting.series.name}　日期：{meeting.scheduled_on:%Y年%m月%d日}　"
        f"状态：{meeting.get_status_display()}　生成：{today:%Y-%m-%d}"
    )
    if meeting.is_synthetic:
        document.add_paragraph("注：本材料中的任务与会议为演示用合成数据。")

    def items_section(heading: str, kinds: tuple[str, ...]) -> None:
        document.add_heading(heading, level=1)
        rows = [item for kind in kinds for item in by_kind.get(kind, [])]
        if not rows:
            document.add_paragraph("无。")
            return
        # Numbered by hand: Word's list numbering would run on across sections.
        for number, item in enumerate(rows, start=1):
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{number}. {item.title}").bold = True
            if item.detail:
                paragraph.add_run(f"\n{item.detail}")

    items_section(SECTIONS[0], ("follow_up",))

    document.add_heading(SECTIONS[1], level=1)
    overall = numbers["overall"]
    document.add_paragraph(
        f"纳入调度任务{numbers['total']}项：滞后{overall[Rag.RED]}项，预警{overall[Rag.AMBER]}项，"
        f"正常{overall[Rag.GREEN]}项，已办结{overall[Rag.DONE]}项。"
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["牵头部门", "滞后", "预警", "正常", "已办结"], strict=True
    ):
        cell.text = text
    for name, counts in numbers["by_department"].items():
        cells = table.add_row().cells
        cells[0].text = name
        for cell, status in zip(cells[1:], (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.DONE), strict=True):
            cell.text = str(counts.get(status, 0))
    document.add_paragraph()
    document.add_picture(io.BytesIO(rag_chart_png(numbers)), width=Cm(15))

    items_section(SECTIONS[2], ("late_task", "at_risk"))
    items_section(SECTIONS[3], ("escalated",))
    items_section(SECTIONS[4], ("request",))
    items_section(SECTIONS[5], ("project",))

    document.add_heading(SECTIONS[6], level=1)
    visible = {t.pk for t in tasks}
    decisions = list(meeting.decisions.select_related("task", "task__lead_department"))
    if not decisions:
        document.add_paragraph("无。" if meeting.status == "held" else "会议尚未召开。")
    for number, decision in enumerate(decisions, start=1):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}. {decision.text}")
        if decision.task_id in visible:
            task = decision.task
            paragraph.add_run(
                f"\n任务：{task.title}；牵头：{task.lead_department.name}（{task.responsible_person}）；"
                f"时限：{task.deadline}；标准：{task.done_standard}"
            )
    if meeting.minutes:
        document.add_heading("会议纪要", level=1)
        document.add_paragraph(meeting.minutes)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


TASK_COLUMNS = [
    "重点工作",
    "任务",
    "目标",
    "牵头部门",
    "责任人",
    "配合部门",
    "开始日期",
    "完成时限",
    "完成标准",
    "报送频次",
    "最近报送",
    "进度（%）",
    "状态",
    "原因",
]
TASK_COLUMN_WIDTHS = [16, 30, 30, 14, 10, 20, 12, 12, 30, 8, 12, 8, 8, 40]


def tasks_xlsx(tasks: list[Task]) -> bytes:
    """The task list (annotated and attached, see rag.attach) as an xlsx sheet."""
    workbook = XlsxWorkbook()
    sheet = workbook.sheet("任务清单", header=TASK_COLUMNS, widths=TASK_COLUMN_WIDTHS)
    for task in tasks:
        sheet.append(
            [
                task.work_item.name,
                task.title,
                task.target_text,
                task.lead_department.name,
                task.responsible_person,
                "、".join(d.name for d in task.co_departments.all()),
                task.start_on,
                task.deadline,
                task.done_standard,
                task.get_cadence_display(),
                task.last_report_on,
                task.effective_progress,
                task.rag.label,
                "；".join(task.rag.reasons),
            ]
        )
    return workbook.to_bytes()
