"""Write real xlsx and csv files as Chinese offices do, for the import tests."""

import csv
import io

import openpyxl

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "国民经济行业分类",
    "规上企业",
    "上市企业",
    "上市板块",
    "成立日期",
    "年产值（万元）",
    "年税收（万元）",
    "从业人数",
]


def xlsx_bytes(rows, header=HEADER, sheet_title="企业") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
