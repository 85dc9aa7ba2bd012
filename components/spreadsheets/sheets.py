"""Reading and writing spreadsheets: .xlsx with openpyxl, .csv with the
standard library.

openpyxl rather than tablib or django-import-export: it is the maintained
library that the other two use underneath for .xlsx, and it gives what they
hide and this needs: streaming writes and reads (write-only and read-only
workbooks, so 5,000 rows stay cheap), the cell's own type (a formula is
refused on import, not evaluated), and the cell's address for an error
("C7"). Our column mapping and preview are our own either way.

Formulas are neutralised on export: in CSV with the quote that SafeWriter
puts before a cell starting with =, +, -, @, tab or CR (OWASP's advice); in
XLSX such a cell is written as a string cell marked "quote prefix", so no
spreadsheet program runs it, and the text is kept exactly.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..exports import FORMULA_STARTS, SafeWriter

XLSX = "xlsx"
CSV = "csv"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What one upload may hold: enough for a whole catalogue, small enough to keep.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 40


class SheetError(ValueError):
    """The file cannot be read as a spreadsheet at all, in one sentence."""


class Cell:
    """A cell's value, its address ("C7") and whether it holds a formula."""

    __slots__ = ("formula", "letter", "number", "value")

    def __init__(self, value, letter="", number=0, formula=False):
        self.value, self.letter, self.number, self.formula = value, letter, number, formula

    @property
    def ref(self) -> str:
        return f"{self.letter}{self.number}" if self.letter else ""


LETTERS = [get_column_letter(index + 1) for index in range(MAX_COLUMNS)]


@dataclass
class SheetRow:
    number: int  # the row's number in the spreadsheet (the header is row 1)
    cells: dict  # column name → Cell


# --- writing ------------------------------------------------------------------


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # Text, not a formula: openpyxl would take "=..." for one.
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def write_workbook(sheets) -> bytes:
    """An .xlsx of one sheet per (title, columns, rows): a header of column
    names, then the rows."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([_xlsx_cell(sheet, name) for name in columns])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsx(columns, rows, title) -> bytes:
    """An .xlsx of one sheet."""
    return write_workbook([(title, columns, rows)])


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(columns, rows) -> bytes:
    """A UTF-8 CSV (with a byte-order mark, so Excel reads it as UTF-8)."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- reading ------------------------------------------------------------------


def format_of(filename) -> str:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return XLSX
    if name.endswith(".csv"):
        return CSV
    raise SheetError(_("Upload an .xlsx or a .csv file."))


def _header(values):
    names = []
    for value in values:
        name = str(value or "").strip()
        names.append(name[:100])
    return names


def _rows_from(header, raw_rows):
    """SheetRows from (row number, [Cell]) pairs; rows without any value are skipped."""
    columns = [(index, name) for index, name in enumerate(header) if name]
    for number, cells in raw_rows:
        if all(cell.value in (None, "") for cell in cells):
            continue
        yield SheetRow(
            number=number,
            cells={
                name: cells[index] if index < len(cells) else Cell(None) for index, name in columns
            },
        )


def _unquote(text):
    """The CSV export's neutralising quote taken off again, so a round trip keeps the text."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _too_many(number):
    if number - 1 > MAX_ROWS:
        raise SheetError(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})


def _read_csv(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(_("The CSV file is not UTF-8 text.")) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = _header(next(reader, []))
        raw = []
        for number, values in enumerate(reader, start=2):
            _too_many(number)
            raw.append(
                (
                    number,
                    [
                        Cell(_unquote(value), LETTERS[index], number)
                        for index, value in enumerate(values[:MAX_COLUMNS])
                    ],
                )
            )
    except csv.Error as exc:
        raise SheetError(_("The CSV file cannot be read: %(e)s") % {"e": exc}) from None
    return [("", header, raw)]


def _read_xlsx(content):
    """(title, header, raw rows) of each sheet; at most MAX_ROWS rows in all."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError, EOFError):
        raise SheetError(_("The file is not a readable .xlsx workbook.")) from None
    except Exception:  # a broken zip or XML inside it: whatever openpyxl raises
        raise SheetError(_("The file is not a readable .xlsx workbook.")) from None
    try:
        if not workbook.worksheets:
            raise SheetError(_("The workbook has no sheet."))
        found, counted = [], 0
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(max_col=MAX_COLUMNS)
            header_cells = next(rows, ())
            header = _header(cell.value for cell in header_cells)
            raw = []
            for number, row in enumerate(rows, start=2):
                _too_many(counted + number)
                raw.append(
                    (
                        number,
                        [
                            Cell(cell.value, LETTERS[index], number, cell.data_type == "f")
                            for index, cell in enumerate(row)
                        ],
                    )
                )
            counted += len(raw)
            found.append((sheet.title, header, raw))
    except SheetError:
        raise
    except Exception:
        raise SheetError(_("The file is not a readable .xlsx workbook.")) from None
    finally:
        workbook.close()
    return found


@dataclass
class Sheet:
    title: str  # "" for a CSV file
    header: list  # the column names as written
    rows: list  # SheetRows with a value


def read_book(content, filename) -> list[Sheet]:
    """Every sheet of the file (a CSV file is one, without a title)."""
    if len(content) > MAX_BYTES:
        raise SheetError(_("The file is larger than 5 MB."))
    kind = format_of(filename)
    found = _read_xlsx(content) if kind == XLSX else _read_csv(content)
    return [Sheet(title, header, list(_rows_from(header, raw))) for title, header, raw in found]


def read(content, filename) -> tuple[list[str], list[SheetRow]]:
    """The first sheet's header (column names as written) and its rows with a value."""
    first = read_book(content, filename)[0]
    if not any(first.header):
        raise SheetError(_("The first row must name the columns."))
    return first.header, first.rows
