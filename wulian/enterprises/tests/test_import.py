import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from wulian.core.models import AuditEvent
from wulian.enterprises.models import Enterprise
from wulian.enterprises.services import import_enterprises

from .factories import EnterpriseFactory, make_uscc
from .helpers import HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("base_config")


def good_rows():
    return [
        [
            make_uscc("330802"),
            "衢州甲新材料有限公司",
            "柯城区",
            "C2614",
            "是",
            "否",
            "",
            "2021-03-05",
            "1,234.5",
            "56",
            "320",
        ],
        [
            make_uscc("330825"),
            "龙游乙纸业有限公司",
            "龙游县",
            "2221",
            "否",
            "是",
            "创业板",
            "2021/3/5",
            "1.2亿元",
            "300万元",
            "1,200人",
        ],
        [
            make_uscc("330881"),
            "江山丙装备有限公司",
            "330881",
            "C3451",
            "是",
            "否",
            "",
            "2021年3月5日",
            "800万",
            "",
            "",
        ],
    ]


def test_xlsx_import_writes_all_rows_with_normalised_values():
    rows = good_rows()
    report = import_enterprises(actor=None, data=xlsx_bytes(rows))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.total_rows) == (3, 0, 3)
    first = Enterprise.objects.get(uscc=rows[0][0])
    assert first.output_wan == Decimal("1234.50") and first.employees == 320
    assert first.founded_on == dt.date(2021, 3, 5)
    second = Enterprise.objects.get(uscc=rows[1][0])
    assert second.output_wan == Decimal("12000.00")  # 1.2亿元 in 万元
    assert second.tax_wan == Decimal("300.00")
    assert second.industry_code == "C2221" and second.listing_board == "chinext"
    assert second.is_listed and not second.is_above_scale and second.employees == 1200
    third = Enterprise.objects.get(uscc=rows[2][0])
    assert third.region_id == "330881" and third.founded_on == dt.date(2021, 3, 5)
    assert AuditEvent.objects.filter(model="enterprises.enterprise", action="create").count() == 3


def test_excel_dates_and_numbers_as_cells():
    code = make_uscc()
    row = [
        code,
        "甲",
        "柯城区",
        "C2614",
        True,
        False,
        None,
        dt.datetime(2020, 1, 2),
        1500,
        12.5,
        88,
    ]
    report = import_enterprises(actor=None, data=xlsx_bytes([row]))
    assert report.ok, report.errors
    enterprise = Enterprise.objects.get(uscc=code)
    assert enterprise.founded_on == dt.date(2020, 1, 2) and enterprise.output_wan == 1500


def test_full_width_and_spaces_and_lowercase():
    code = make_uscc()
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())  # full-width lower case
    row = [
        f"  {wide} ",
        " 全角企业 ",
        " 柯城 ",
        "ｃ２６１４",
        " 是 ",
        "否",
        "",
        "２０２１－０３－０５",
        "１，０００",
        "",
        "１２",
    ]
    report = import_enterprises(actor=None, data=xlsx_bytes([row]))
    assert report.ok, report.errors
    enterprise = Enterprise.objects.get(uscc=code)
    assert enterprise.name == "全角企业" and enterprise.output_wan == 1000
    assert enterprise.industry_code == "C2614" and enterprise.employees == 12


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_chinese_excel_writes(encoding):
    rows = good_rows()
    report = import_enterprises(actor=None, data=csv_bytes(rows, encoding=encoding))
    assert report.ok, report.errors
    assert set(Enterprise.objects.values_list("name", flat=True)) == {r[1] for r in rows}


def test_english_headers():
    header = ["uscc", "name", "region", "industry_code", "output_wan"]
    code = make_uscc()
    report = import_enterprises(
        actor=None, data=csv_bytes([[code, "甲", "330802", "C2614", "10"]], header=header)
    )
    assert report.ok, report.errors
    assert Enterprise.objects.get(uscc=code).output_wan == 10


def test_a_chinese_file_imports_for_a_user_reading_english():
    from django.utils import translation

    with translation.override("en"):
        report = import_enterprises(actor=None, data=xlsx_bytes(good_rows()))
    assert report.ok, report.errors
    assert Enterprise.objects.get(name="龙游乙纸业有限公司").listing_board == "chinext"


BAD_CASES = [
    (0, "91330802MA2XXXXXX0", "统一社会信用代码", "校验位"),
    (1, "", "企业名称", "不能为空"),
    (2, "火星区", "所属区县", "未知区县"),
    (3, "Z9999", "国民经济行业分类", "格式"),
    (4, "也许", "规上企业", "“是”或“否”"),
    (7, "2021-13-45", "成立日期", "不是有效的日期"),
    (8, "-5", "年产值（万元）", "不能为负数"),
    (8, "12美元", "年产值（万元）", "金额单位"),
    (10, "3.5", "从业人数", "整数"),
]


@pytest.mark.parametrize(("index", "value", "column", "fragment"), BAD_CASES)
def test_each_bad_value_is_reported_and_nothing_written(index, value, column, fragment):
    rows = good_rows()
    rows[1][index] = value
    report = import_enterprises(actor=None, data=xlsx_bytes(rows))
    assert not report.ok
    problem = report.errors[0]
    assert problem.row == 3  # header is row 1, the bad row is the second data row
    assert problem.column == column
    assert fragment in problem.message
    assert Enterprise.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_duplicate_codes_in_file_point_at_first_row():
    rows = good_rows()
    rows[2][0] = rows[0][0]
    report = import_enterprises(actor=None, data=xlsx_bytes(rows))
    assert [(e.row, e.message) for e in report.errors] == [(4, "与第2行的统一社会信用代码重复")]
    assert Enterprise.objects.count() == 0


def test_existing_code_updates_only_given_columns_and_is_audited():
    existing = EnterpriseFactory(name="旧名", output_wan=5, employees=9)
    header = ["统一社会信用代码", "企业名称", "所属区县", "年产值（亿元）"]
    data = xlsx_bytes([[existing.uscc, "新名", "柯城区", "2"]], header=header)
    report = import_enterprises(actor=None, data=data)
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.name == "新名" and existing.output_wan == 20000 and existing.employees == 9
    event = AuditEvent.objects.get(action="update")
    assert event.before["name"] == "旧名" and event.after["name"] == "新名"


def test_dry_run_writes_nothing():
    report = import_enterprises(actor=None, data=xlsx_bytes(good_rows()), dry_run=True)
    assert report.ok and report.created == 3
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "文件为空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04garbage", "损坏"),
        ("统一社会信用代码,企业名称\n".encode(), "缺少必填列"),
        (csv_bytes([]), "没有数据行"),
        (b"\xff\xfe\xfa\xfb\x81\x30\x81", "编码"),
    ],
)
def test_whole_file_problems(data, fragment):
    report = import_enterprises(actor=None, data=data)
    assert not report.ok
    assert fragment in report.errors[0].message


def test_command_exits_nonzero_and_writes_nothing(tmp_path):
    rows = good_rows()
    rows[0][2] = "火星区"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_enterprises", str(path))
    assert Enterprise.objects.count() == 0


def test_command_dry_run_then_real(tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(good_rows(), encoding="gbk"))
    call_command("import_enterprises", str(path), "--dry-run")
    assert Enterprise.objects.count() == 0
    call_command("import_enterprises", str(path))
    assert Enterprise.objects.count() == 3


def test_header_ignores_unknown_columns_with_warning():
    header = ["序号", *HEADER]
    rows = [[1, *good_rows()[0]]]
    report = import_enterprises(actor=None, data=xlsx_bytes(rows, header=header))
    assert report.ok
    assert any("序号" in w for w in report.warnings)


def test_a_bug_in_reading_a_cell_fails_instead_of_becoming_a_cell_problem(monkeypatch):
    from wulian.enterprises import services

    def broken(*args, **kwargs):
        raise KeyError("a bug in the amount parser")

    monkeypatch.setattr(services, "parse_amount_wan", broken)
    with pytest.raises(KeyError, match="a bug in the amount parser"):
        import_enterprises(actor=None, data=xlsx_bytes(good_rows()))
    assert Enterprise.objects.count() == 0
