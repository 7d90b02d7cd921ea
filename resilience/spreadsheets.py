"""The programme and the weighing as the spreadsheets municipalities live in (CSV for Dutch
Excel, XLSX), and measures read back from such a sheet.

The column names are Dutch and fixed, like a file format: an exported programme imports back.
Reading gives the rows as cells under their column names; ``services.measures_check`` says
what each row would become and what is wrong with it, ``services.measures_import`` saves.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from crisisroom.models import Organisation

from .models import Measure, ProgressNote, RiskTheme
from .selectors import framework_current, measures_of, ranking, scenarios_of

Cell = str | int | Decimal | date | None

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# A sheet may hold blank rows between the measures; past this many rows, stop reading.
MAX_SCANNED_ROWS = 20 * MAX_ROWS
MAX_COLUMNS = 60
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PROGRAMME_COLUMNS = (
    "nummer",
    "titel",
    "omschrijving",
    "thema",
    "fase",
    "scenario's",
    "eigenaar",
    "functie eigenaar",
    "partner eigenaar",
    "partners",
    "middelen",
    "budget",
    "start",
    "deadline",
    "status",
    "te laat",
    "laatste voortgang",
)
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Table:
    """One sheet: a header row and the rows under it."""

    title: str
    header: list[str]
    rows: list[list[Cell]]


# -- export ---------------------------------------------------------------------------------------


def latest_progress(*, measures: Sequence[Measure]) -> dict[int, ProgressNote]:
    """The newest progress note of each measure, in one query."""
    latest: dict[int, ProgressNote] = {}
    notes = ProgressNote.objects.filter(measure__in=[m.pk for m in measures]).order_by(
        "measure_id", "-on", "-written_at", "-pk"
    )
    for note in notes:
        latest.setdefault(note.measure_id, note)
    return latest


def programme_table(*, organisation: Organisation, today: date | None = None) -> Table:
    """One row per measure, with the column names an import reads back."""
    today = today or timezone.localdate()
    measures = list(measures_of(organisation=organisation, today=today))
    progress = latest_progress(measures=measures)
    rows: list[list[Cell]] = []
    with translation.override("nl"):
        for m in measures:
            note = progress.get(m.pk)
            rows.append(
                [
                    m.number,
                    m.title,
                    m.description,
                    str(m.get_theme_display()),
                    str(m.get_phase_display()),
                    LIST_SEPARATOR.join(s.title for s in m.scenarios.all()),
                    m.owner.username if m.owner else "",
                    m.owner_function,
                    m.owner_partner.name if m.owner_partner else "",
                    LIST_SEPARATOR.join(p.name for p in m.partners.all()),
                    m.means,
                    m.budget,
                    m.starts_on,
                    m.due_on,
                    str(m.get_status_display()),
                    "ja" if m.is_overdue(today) else "nee",
                    f"{note.on.strftime('%d-%m-%Y')}: {note.text}" if note else "",
                ]
            )
    return Table(title="Programmaplan", header=list(PROGRAMME_COLUMNS), rows=rows)


def weighing_table(*, organisation: Organisation) -> Table:
    """One row per scenario in ranked order, with its class on every criterion."""
    framework = framework_current(organisation=organisation)
    criteria = list(framework.criteria.all()) if framework is not None else []
    with translation.override("nl"):
        ranked = ranking(framework=framework, scenarios=scenarios_of(organisation=organisation))
        themes = dict(RiskTheme.choices)
        rows: list[list[Cell]] = [
            [
                row.rank,
                row.scenario.title,
                str(themes.get(row.scenario.theme, row.scenario.theme)),
                row.impact,
                row.likelihood,
                row.risk,
                *[row.scores[c.code].value if c.code in row.scores else None for c in criteria],
                LIST_SEPARATOR.join(row.missing),
            ]
            for row in ranked
        ]
    header = [
        "rang",
        "scenario",
        "thema",
        "impact",
        "waarschijnlijkheid",
        "risico",
        *[c.name for c in criteria],
        "ontbrekend",
    ]
    return Table(title="Afweging", header=header, rows=rows)


def _neutralised(text: str) -> str:
    """A text a spreadsheet program shows rather than runs (CSV formula injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _restored(value: Cell) -> Cell:
    """A text as it was before ``_neutralised``: the exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")  # Dutch Excel reads a comma as the decimal mark
    if isinstance(value, int):
        return str(value)
    return _neutralised(value)


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte order mark and semicolons: what Dutch Excel opens without a wizard."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(name) for name in table.header])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    """A workbook with one sheet: a bold, frozen header row, dates as dates, amounts as
    numbers, text always as text (never a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has a sheet  # nosec B101
    sheet.title = table.title
    widths = [len(name) for name in table.header]
    for column, name in enumerate(table.header, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", name)
        cell.data_type = "s"
        cell.font = Font(bold=True)
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # "=…" stays text: openpyxl would write a formula
                shown = max((len(line) for line in value.splitlines()), default=0)
            else:
                cell.value = value
                shown = 10 if value is not None else 0
                if isinstance(value, date):
                    cell.number_format = "dd-mm-yyyy"
                elif isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"
            widths[column - 1] = max(widths[column - 1], shown)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- import: reading a file -----------------------------------------------------------------------


def _header_key(name: object) -> str:
    text = str(name or "").strip().lower().replace("\u2019", "'").replace("\ufeff", "")
    return {"scenarios": "scenario's", "nr": "nummer"}.get(text, text)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Excel's "CSV (gescheiden door lijstscheidingsteken)" is Windows-1252; binary garbage
    # decodes too, but has control characters no typed text has.
    text = content.decode("cp1252", errors="replace")
    if "\ufffd" in text or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise ValidationError(
            _(
                "This file is not a readable CSV file: its characters are not UTF-8 text. "
                "Save it from your spreadsheet program as CSV UTF-8 or as an Excel workbook "
                "(.xlsx)."
            )
        )
    return text


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    text = _decode(content)
    if "\x00" in text:
        raise ValidationError(_("This file is not a readable CSV file."))
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, list(row[:MAX_COLUMNS])
    except csv.Error as error:
        raise ValidationError(
            _("This file is not a readable CSV file (%(problem)s).") % {"problem": error}
        ) from None


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    if not content.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _(
                "This file is not an Excel workbook (.xlsx). Save it from your spreadsheet "
                "program as .xlsx or as CSV UTF-8."
            )
        )
    try:
        # A small workbook can unpack to gigabytes (a zip bomb): look before reading.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        unpacked = 0  # not a zip after all: openpyxl below says so in its own way
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(_("This Excel workbook is too large to read. Save it as CSV UTF-8."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    # A broken workbook fails anywhere in the zip, XML or openpyxl layers, with any error.
    except Exception:
        raise ValidationError(
            _("This Excel workbook cannot be read. Save it again as .xlsx or as CSV UTF-8.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            yield number, [_xlsx_cell(value) for value in row]
    except Exception as error:  # as above: any layer of a broken workbook
        raise ValidationError(
            _("This Excel workbook cannot be read. Save it again as .xlsx or as CSV UTF-8.")
        ) from error
    finally:
        workbook.close()


def _xlsx_cell(value: object) -> Cell:
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, (str, int, Decimal, date)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(str(value))
    return str(value)


def _blank(row: Sequence[Cell]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def read_rows(*, name: str, content: bytes) -> list[tuple[int, dict[str, Cell]]]:
    """The rows of a .csv or .xlsx file under the file's own column names (lower case), each
    with its row number as the spreadsheet program shows it. Blank rows are left out."""
    if len(content) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "csv":
        source: Iterable[tuple[int, list[Cell]]] = _csv_rows(content)
    elif suffix == "xlsx":
        source = _xlsx_rows(content)
    else:
        raise ValidationError(_("Choose a .csv or .xlsx file."))
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, Cell]]] = []
    for number, row in source:
        if number > MAX_SCANNED_ROWS:
            break
        if _blank(row):
            continue
        if header is None:
            header = [_header_key(value) for value in row]
            if "titel" not in header:
                raise ValidationError(
                    _(
                        "The first row of the file does not name the columns. It needs at least "
                        "the columns titel, thema and fase, as in the exported programme plan."
                    )
                )
            continue
        if len(rows) == MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)s measures: split it up.") % {"max": "2.000"}
            )
        cells: dict[str, Cell] = {}
        for key, value in zip(header, row, strict=False):
            if key and key not in cells:
                cells[key] = _restored(value)
        rows.append((number, cells))
    if header is None:
        raise ValidationError(_("The file is empty."))
    missing = [c for c in ("titel", "thema", "fase") if c not in header]
    if missing:
        raise ValidationError(
            _("The file misses the column(s) %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return rows
