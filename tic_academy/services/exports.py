"""Exports of a cohort's progress for the city's reports: CSV and Excel, Indonesian headers.

An export contains exactly the rows its viewer may see on the dashboard: an
admin gets every OPD and trainee, an OPD head only their own OPD's.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Optional

from openpyxl import Workbook
from openpyxl.styles import Font

from ..clock import to_wib
from ..enums import EnrollmentStatus, PaceStatus, Role
from ..models import User
from ..models.program import Cohort
from . import dashboards

KINDS = ("peserta", "opd")
FORMATS = ("csv", "xlsx")

# Column headers are always Indonesian: the reports the city writes are in Indonesian.
TRAINEE_HEADERS = [
    "Nama",
    "Email",
    "OPD",
    "Mentor",
    "Status",
    "Tahap saat ini",
    "Tahap lolos",
    "Poin",
    "Kemajuan (%)",
    "Laju belajar",
    "Terakhir aktif (WIB)",
]
OPD_HEADERS = [
    "OPD",
    "Diusulkan",
    "Disetujui",
    "Aktif",
    "Sesuai jadwal (%)",
    "Rata-rata kemajuan (%)",
    "Tahap lolos",
    "Lulus program",
]
PACE_LABELS = {PaceStatus.ON_TRACK: "Sesuai jadwal", PaceStatus.BEHIND: "Tertinggal", PaceStatus.AHEAD: "Lebih cepat"}
STATUS_LABELS = {EnrollmentStatus.ACTIVE: "Aktif", EnrollmentStatus.GRADUATED: "Lulus", EnrollmentStatus.WITHDRAWN: "Mundur"}


def export_rows(cohort: Cohort, viewer: User, kind: str) -> tuple[list[str], list[list]]:
    """Headers and rows of an export, limited to what ``viewer`` may see."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    figures = dashboards.load_cohort(cohort)
    if viewer.role == Role.ADMIN:
        trainees = figures.trainees
        lines = dashboards.opd_lines(figures)
    elif viewer.role == Role.OPD_HEAD and viewer.opd_id is not None:
        trainees = figures.of_opd(viewer.opd_id)
        lines = [line for line in dashboards.opd_lines(figures) if line.opd_id == viewer.opd_id]
    else:
        trainees, lines = [], []
    if kind == "peserta":
        return TRAINEE_HEADERS, [_trainee_row(row) for row in trainees]
    return OPD_HEADERS, [_opd_row(line) for line in lines]


def _trainee_row(row: dashboards.TraineeRow) -> list:
    stage = row.current_stage
    return [
        row.name,
        row.email,
        row.opd_name,
        row.mentor_name or "",
        STATUS_LABELS.get(row.status, row.status),
        stage.title_id if stage else "Semua tahap lulus",
        row.passed_stages,
        row.points,
        round(100 * row.progress, 1),
        PACE_LABELS[row.pace.status],
        _wib(row.last_active),
    ]


#: How a moment is written in a CSV file and shown in an Excel cell (WIB clock time).
CSV_MOMENT = "%Y-%m-%d %H:%M"
EXCEL_MOMENT = "yyyy-mm-dd hh:mm"


def _wib(moment: Optional[datetime]) -> Optional[datetime]:
    """A moment on WIB clocks without a time zone (Excel cells cannot hold one), or None."""
    return to_wib(moment).replace(tzinfo=None) if moment is not None else None


def _opd_row(line: dashboards.OpdLine) -> list:
    s = line.summary
    return [
        line.name,
        line.nominated,
        line.approved,
        s.active,
        round(100 * s.on_track_share, 1),
        round(100 * s.average_progress, 1),
        s.passed_stages,
        s.graduated,
    ]


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs read the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    """An Excel workbook with one sheet, a bold header row and sensible column widths."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = EXCEL_MOMENT  # a real date and time the spreadsheet can sort and filter
    for column, header in zip(sheet.columns, headers):
        width = max([len(str(header))] + [len(_cell_text(c.value)) for c in column])
        sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 50)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(value) -> object:
    """A CSV cell: moments as WIB clock time, "" for none, text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(CSV_MOMENT)
    return _safe_cell(value)


def _cell_text(value) -> str:
    """The text an Excel cell shows, to size its column."""
    if isinstance(value, datetime):
        return value.strftime(CSV_MOMENT)
    return str(value if value is not None else "")


def _safe_cell(value):
    """Keep a spreadsheet from running text that looks like a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def filename(cohort: Cohort, kind: str, fmt: str, opd_code: Optional[str] = None) -> str:
    """E.g. "kemajuan-peserta-angkatan-1-diskominfo.xlsx"."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in cohort.name.lower()).strip("-")
    parts = [f"kemajuan-{kind}", slug] + ([opd_code.lower()] if opd_code else [])
    return "-".join(parts) + f".{fmt}"


def build(cohort: Cohort, viewer: User, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """The file's bytes, its name and its MIME type."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    headers, rows = export_rows(cohort, viewer, kind)
    opd_code = viewer.opd.code if viewer.role == Role.OPD_HEAD and viewer.opd else None
    name = filename(cohort, kind, fmt, opd_code)
    if fmt == "csv":
        return to_csv(headers, rows), name, "text/csv; charset=utf-8"
    sheet = "Peserta" if kind == "peserta" else "OPD"
    return (
        to_xlsx(headers, rows, sheet),
        name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
