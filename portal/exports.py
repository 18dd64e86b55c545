"""The one way the portal writes spreadsheets that staff download (.xlsx).

Every string is written as a text cell, whatever it starts with. openpyxl stores a string
that starts with "=" as a formula, and spreadsheet programs treat "+", "-" and "@" at the
start of a typed cell as formulas too; a letter title such as ``=HYPERLINK(...)`` must reach
the official's screen as the words the writer typed, never as a live formula. Text cells are
also marked "quote prefix", so editing one in Excel or WPS keeps it text.

Numbers stay numbers, dates and times become real date cells (local time), so staff can sort
and sum. Rows may be any iterable (querysets are read with ``iterator()`` by the caller).
"""

import datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


class Spreadsheet:
    """A workbook written row by row (openpyxl's write-only mode: memory stays flat)."""

    def __init__(self):
        self._book = Workbook(write_only=True)

    def add_sheet(self, title, headings, widths=()):
        """A new sheet with a bold heading row; returns a function that appends one row."""
        sheet = self._book.create_sheet(_sheet_title(title))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        bold = Font(bold=True)
        sheet.append([_cell(sheet, heading, font=bold) for heading in headings])

        def append(values):
            sheet.append([_cell(sheet, value) for value in values])

        return append

    def to_bytes(self):
        buffer = BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def xlsx_bytes(title, headings, rows, widths=()):
    """One sheet as .xlsx bytes."""
    book = Spreadsheet()
    append = book.add_sheet(title, headings, widths)
    for row in rows:
        append(row)
    return book.to_bytes()


def xlsx_response(content, filename):
    """A download response; `filename` may be Chinese (RFC 6266 filename*, ASCII fallback)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    fallback = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    if not fallback.endswith(".xlsx"):
        fallback = "export.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def _sheet_title(title):
    # Excel refuses these characters in sheet names and cuts names at 31 characters.
    text = str(title)
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:31] or "Sheet"


def _cell(sheet, value, **style):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif value is None or isinstance(value, bool | int | float | Decimal):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        cell = _text_cell(sheet, str(value))
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _text_cell(sheet, text):
    cell = WriteOnlyCell(sheet)
    # Assigned directly: the value setter would take a leading "=" for a formula.
    cell._value = _printable(text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _printable(text):
    # XML 1.0 (the file format) forbids most control characters; openpyxl would refuse the row.
    return "".join(character for character in text if character in "\t\n\r" or ord(character) >= 0x20)
