"""Writing an export frame as a Morena-style CSV or XLSX file: :func:`write_export`."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeAlias

import numpy as np
import pandas as pd

from .._vocab import columns as C
from .headers import header_rows
from .options import _only, resolve_options
from .simulate import (
    _BULAN,
    _check_kind,
    _check_seed,
    _reference,
    _region_name_forms,
)

__all__ = ["write_export"]

_MONEY: Final = frozenset(C.MONEY_COLUMNS)
_PERCENT: Final = frozenset(C.PERCENT_COLUMNS)
_QUANTITY: Final = frozenset(C.QUANTITY_COLUMNS)

_REPORT_TITLE: Final = {C.NONFISIK: "LAPORAN REALISASI DAK NONFISIK BOKB",
                        C.FISIK: "LAPORAN REALISASI DAK FISIK SUBBIDANG KB"}

@dataclass(frozen=True, slots=True)
class _Num:
    """An Excel number cell with a number format."""

    value: float
    fmt: str


@dataclass(frozen=True, slots=True)
class _Date:
    """An Excel date cell."""

    value: pd.Timestamp
    fmt: str


Cell: TypeAlias = str | _Num | _Date | None


@dataclass(slots=True)
class _Row:
    cells: list[Cell]
    role: str  # title, blank, header, numbering, group, data, subtotal, total, note
    pos: int | None = None  # position of the frame row for data rows
    label: str = ""


@dataclass(slots=True)
class _SheetOut:
    name: str
    rows: list[_Row] = field(default_factory=list)
    merges: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # 0-based


def _frame_kind(frame: pd.DataFrame) -> str:
    if C.JENIS_DAK in frame.columns and len(frame):
        kinds = set(frame[C.JENIS_DAK].dropna().astype(str))
        if len(kinds) == 1:
            return _check_kind(kinds.pop())
        if len(kinds) > 1:
            msg = f"frame holds several kinds of DAK ({sorted(kinds)}); write one kind per file"
            raise ValueError(msg)
    return C.FISIK if any(c in frame.columns for c in C.FISIK_MARKERS) else C.NONFISIK


# --- formatting of single values ------------------------------------------------------
def _missing(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and np.isnan(v)


def _id_number(x: float, decimals: int) -> str:
    """Indonesian number text: '1.234.567' or '1.234.567,891' (trailing zeros dropped)."""
    neg = x < 0
    x = abs(x)
    if decimals == 0 or float(x).is_integer():
        s = f"{round(x):,}".replace(",", ".")
    else:
        s = f"{x:,.{decimals}f}".rstrip("0").rstrip(".")
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"-{s}" if neg else s


def _id_decimal(x: float, decimals: int = 2) -> str:
    """Indonesian decimal without thousands separator: '93,5', '100', '0,25'."""
    s = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def _fmt_date_text(ts: pd.Timestamp, form: str) -> str:
    if form == "dd-mm-yyyy":
        return ts.strftime("%d-%m-%Y")
    if form == "d mmmm yyyy":
        return f"{ts.day} {_BULAN[ts.month - 1]} {ts.year}"
    return ts.strftime("%d/%m/%Y")


def _fmt_periode(ts: pd.Timestamp, form: str) -> str:
    if form == "sd_month_year":
        return f"s.d. {_BULAN[ts.month - 1]} {ts.year}"
    if form == "mm/yyyy":
        return f"{ts.month:02d}/{ts.year}"
    if form == "month_end":
        return ts.strftime("%d/%m/%Y")
    return f"{_BULAN[ts.month - 1]} {ts.year}"


_CODE_RX: Final = re.compile(r"^(\d{2})\.(\d{2})$")


def _fmt_code(code: str, form: str, xlsx: bool) -> Cell:
    m = _CODE_RX.match(code)
    if not m:
        return code
    a, b = m.groups()
    if form == "compact":
        return a + b
    if form == "trailing_dot":
        return f"{a}.{b}."
    if form == "spaced":
        return f"{a} {b}"
    if form == "number" and xlsx:
        return _Num(float(f"{a}.{b}"), "General")
    return code


def _fmt_name(name: str, form: str) -> str:
    if not (name.startswith("Kabupaten ") or name.startswith("Kota ")):
        return name
    return _region_name_forms(name)[form]


class _Formatter:
    """Turns frame values into cells (text for CSV; text, numbers or dates for XLSX)."""

    def __init__(self, opts: Mapping[str, Any], xlsx: bool):
        self.o = opts
        self.xlsx = xlsx
        self.as_text = (not xlsx) or bool(opts["numbers_as_text"])
        self.scale = 1000.0 if opts["units"] == "ribuan" else 1.0
        self.decimals = 3 if opts["units"] == "ribuan" else 2

    def money(self, v: object) -> Cell:
        if isinstance(v, str):
            return v
        if _missing(v):
            return None
        x = float(v)  # type: ignore[arg-type]
        o = self.o
        if not self.as_text:
            base = "#,##0.000" if self.scale != 1 else "#,##0"
            if o["money_prefix"]:
                base = f'"Rp "{base}'
            fmt = f'{base};-{base};"-"' if o["zero_as_dash"] else base
            return _Num(x / self.scale, fmt)
        if x == 0 and o["zero_as_dash"]:
            return "-"
        scaled = x / self.scale
        s = _id_number(scaled, self.decimals)
        suffix = o["money_suffix"] if "," not in s else ""
        return f"{o['money_prefix']}{s}{suffix}"

    def quantity(self, v: object) -> Cell:
        if isinstance(v, str):
            return v
        if _missing(v):
            return None
        x = float(v)  # type: ignore[arg-type]
        if not self.as_text:
            return _Num(x, "#,##0" if x.is_integer() else "#,##0.00")
        return _id_number(x, 2)

    def percent(self, v: object, column: str) -> Cell:
        if isinstance(v, str):
            return v
        if _missing(v):
            return None
        x = float(v)  # type: ignore[arg-type]
        form = self.o["percent_form"][column]
        if form == "fraction":
            return _Num(x / 100.0, "0.00%")
        if form == "number":
            return _Num(x, "0.00")
        return _id_decimal(x) + ("%" if form == "text_pct" else "")

    def date(self, v: object) -> Cell:
        if isinstance(v, str):
            return v
        if _missing(v):
            return None
        ts = pd.Timestamp(v)  # type: ignore[arg-type]
        form = self.o["date_form"]
        if form == "date_cell":
            return _Date(ts, "dd/mm/yyyy")
        if form == "serial":
            return _Num(float((ts.normalize() - pd.Timestamp(1899, 12, 30)).days), "0")
        return _fmt_date_text(ts, form)

    def column(self, col: str, values: Sequence[Any]) -> list[Cell]:
        if col in _MONEY:
            return [self.money(v) for v in values]
        if col in _PERCENT:
            return [self.percent(v, col) for v in values]
        if col in _QUANTITY:
            return [self.quantity(v) for v in values]
        if col in C.DATE_COLUMNS:
            return [self.date(v) for v in values]
        if col == C.PERIODE:
            return [v if isinstance(v, str) else (None if _missing(v) else _fmt_periode(
                pd.Timestamp(v), self.o["periode_form"])) for v in values]
        if col == C.TAHUN:
            if self.as_text:
                return [None if _missing(v) else str(v) if isinstance(v, str) else str(int(v))
                        for v in values]
            return [None if _missing(v) else v if isinstance(v, str) else _Num(float(v), "0")
                    for v in values]
        if col == C.KODE_WILAYAH:
            return [None if _missing(v) else _fmt_code(str(v), self.o["code_form"], self.xlsx)
                    for v in values]
        if col == C.NAMA_WILAYAH:
            return [None if _missing(v) else _fmt_name(str(v), self.o["name_form"])
                    for v in values]
        return [None if _missing(v) else str(v) for v in values]


# --- layout -------------------------------------------------------------------------------
def _title_lines(kind: str, frame: pd.DataFrame, opts: Mapping[str, Any],
                 region_label: str | None) -> list[str]:
    lines = [_REPORT_TITLE[kind]]
    if region_label:
        lines.append(region_label)
    years = sorted(set(frame[C.TAHUN].dropna().astype(int))) if C.TAHUN in frame else []
    if len(years) == 1:
        lines.append(f"TAHUN ANGGARAN {years[0]}")
    if opts["_single"] and len(frame):
        p = pd.Timestamp(frame[C.PERIODE].iloc[0])
        lines.append(f"Periode s.d. {p.day} {_BULAN[p.month - 1]} {p.year}")
    provs = sorted(set(frame[C.KODE_WILAYAH].dropna().astype(str).str[:2])) \
        if C.KODE_WILAYAH in frame else []
    if len(provs) == 1:
        ref = _reference()
        name = ref.loc[ref["kode_provinsi"] == provs[0], "nama_provinsi"]
        if len(name):
            lines.append(f"PROVINSI {str(name.iloc[0]).upper()}")
    if opts["units"] == "ribuan":
        lines.append("(dalam ribuan rupiah)")
    if opts["_download"] is not None and C.PERIODE in frame and len(frame):
        days, minutes = opts["_download"]
        stamp = pd.Timestamp(frame[C.PERIODE].max()) + pd.Timedelta(days=days, minutes=minutes)
        lines.append(f"Diunduh: {stamp.strftime('%d/%m/%Y %H:%M')}")
    return lines


def _footer_rows(ncol: int, frame: pd.DataFrame, opts: Mapping[str, Any]) -> list[_Row]:
    days, signer = opts["_signature"]
    last = pd.Timestamp(frame[C.PERIODE].max()) if C.PERIODE in frame and len(frame) else \
        pd.Timestamp(2024, 6, 30)
    day = last + pd.Timedelta(days=days)
    col = max(0, ncol - 4)

    def at(j: int, text: str, role: str = "note") -> _Row:
        cells: list[Cell] = [None] * ncol
        cells[j] = text
        return _Row(cells, role)

    blank = _Row([None] * ncol, "blank")
    return [
        blank,
        at(0, "Sumber: Aplikasi Morena, diolah"),
        at(0, "Catatan: angka sementara, dapat berubah setelah rekonsiliasi"),
        _Row([None] * ncol, "blank"),
        at(col, f"Bandung, {day.day} {_BULAN[day.month - 1]} {day.year}"),
        at(col, "Mengetahui,"),
        at(col, "Kepala Dinas"),
        _Row([None] * ncol, "blank"),
        _Row([None] * ncol, "blank"),
        at(col, signer),
        at(col, "NIP. 19700101 199503 1 001"),
    ]


def _total_row(label: str, part: pd.DataFrame, columns: list[str], fmt: _Formatter,
               role: str, adjust: Mapping[str, float] | None = None) -> _Row:
    sums: dict[str, float] = {}
    for c in columns:
        if c in _MONEY:
            vals = pd.to_numeric(part[c].map(lambda v: np.nan if isinstance(v, str) else v),
                                 errors="coerce")
            sums[c] = float(vals.sum()) + float((adjust or {}).get(c, 0.0))
    cells: list[Cell] = [None] * len(columns)
    for j, c in enumerate(columns):
        if c in sums:
            cells[j] = fmt.money(sums[c])
        elif c == C.PERSEN_REALISASI and sums.get(C.PAGU):
            cells[j] = fmt.percent(round(100 * sums.get(C.REALISASI, 0.0) / sums[C.PAGU], 2), c)
    cells[0] = label
    return _Row(cells, role, label=label)


def _layout_sheet(name: str, kind: str, part: pd.DataFrame, positions: np.ndarray,
                  columns: list[str], opts: Mapping[str, Any], fmt: _Formatter,
                  region_label: str | None, grand_total: bool) -> _SheetOut:
    sheet = _SheetOut(name)
    ncol = len(columns)
    rows = sheet.rows
    if opts["title"]:
        for line in _title_lines(kind, part, opts, region_label):
            cells: list[Cell] = [None] * ncol
            cells[0] = line
            rows.append(_Row(cells, "title"))
        rows.append(_Row([None] * ncol, "blank"))
    header = header_rows(kind, columns, opts)
    first_header = len(rows)
    for labels in header:
        rows.append(_Row(list(labels), "header"))
    if len(header) == 2:
        upper, lower = header
        j = 0
        while j < ncol:
            if lower[j] == "":
                sheet.merges.append((first_header, j, first_header + 1, j, upper[j]))
                j += 1
                continue
            k = j + 1
            while k < ncol and upper[k] == "" and lower[k] != "":
                k += 1
            if k - j > 1:
                sheet.merges.append((first_header, j, first_header, k - 1, upper[j]))
            j = k
    if opts["numbering_row"]:
        rows.append(_Row([str(i + 1) if fmt.as_text else _Num(float(i + 1), "0")
                          for i in range(ncol)], "numbering"))
    rendered = {c: fmt.column(c, part[c].tolist()) for c in columns}
    codes = part[C.KODE_WILAYAH].astype(object).tolist() if C.KODE_WILAYAH in part else \
        [None] * len(part)
    names = part[C.NAMA_WILAYAH].astype(object).tolist() if C.NAMA_WILAYAH in part else \
        [None] * len(part)
    groups: list[list[int]] = []
    for i in range(len(part)):
        if not groups or codes[i] != codes[groups[-1][0]]:
            groups.append([])
        groups[-1].append(i)
    grouped = opts["group_headers"] or opts["subtotals"] or opts["blank_rows"]
    for g, members in enumerate(groups if grouped else [list(range(len(part)))]):
        first = members[0] if members else None
        nm = names[first] if first is not None else None
        if opts["group_headers"] and first is not None and not _missing(nm):
            cells = [None] * ncol
            cells[0] = _fmt_name(str(nm), "upper_full")
            rows.append(_Row(cells, "group"))
        for i in members:
            rows.append(_Row([rendered[c][i] for c in columns], "data", pos=int(positions[i])))
        if opts["subtotals"] and first is not None:
            label = f"Jumlah {_fmt_name(str(nm), 'kab_dot')}" if not _missing(nm) else "Jumlah"
            rows.append(_total_row(label, part.iloc[members], columns, fmt, "subtotal"))
        if opts["blank_rows"] and g < len(groups) - 1:
            rows.append(_Row([None] * ncol, "blank"))
    if grand_total:
        rows.append(_total_row(opts["total_label"], part, columns, fmt, "total",
                               opts["total_adjust"]))
    if opts["footer"]:
        rows.extend(_footer_rows(ncol, part, opts))
    if opts["title"]:
        # title lines merged across the table width (xlsx only; ignored in CSV)
        for r, row in enumerate(rows[:first_header]):
            if row.role == "title" and ncol > 1:
                sheet.merges.append((r, 0, r, min(ncol, 8) - 1, str(row.cells[0])))
    return sheet


def _sheet_title(name: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    out, k = clean, 2
    while out.lower() in used:
        suffix = f" ({k})"
        out, k = clean[: 31 - len(suffix)] + suffix, k + 1
    used.add(out.lower())
    return out


def _write_csv(sheet: _SheetOut, path: Path, opts: Mapping[str, Any]) -> list[int]:
    """Write one sheet as CSV; return the 1-based line where each row starts."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=opts["sep"], lineterminator=opts["line_terminator"],
                        quoting=csv.QUOTE_MINIMAL)
    lines: list[int] = []
    line = 1
    for row in sheet.rows:
        start = buf.tell()
        writer.writerow(["" if c is None else str(c) for c in row.cells])
        lines.append(line)
        buf.seek(start)
        line += buf.read().count("\n")
    text = buf.getvalue()
    try:
        data = text.encode(opts["encoding"])
    except UnicodeEncodeError as exc:
        bad = text[exc.start:exc.end]
        msg = (f"write_export: {path.name}: the text {bad!r} cannot be written in "
               f"{opts['encoding']}; use encoding='utf-8' or 'utf-8-sig'")
        raise ValueError(msg) from exc
    path.write_bytes(data)
    return lines


def _write_xlsx(sheets: list[_SheetOut], path: Path, opts: Mapping[str, Any]) -> None:
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": "Laporan realisasi DAK (data sintetis)",
                       "author": "dak_monitor.datasets", "created": dt.datetime(2024, 1, 1)})
    formats: dict[tuple[str, bool], Any] = {}

    def fmt(num_format: str, bold: bool = False) -> Any:
        key = (num_format, bold)
        if key not in formats:
            props: dict[str, Any] = {"num_format": num_format} if num_format else {}
            if bold:
                props.update({"bold": True, "text_wrap": True, "valign": "vcenter",
                              "align": "center", "border": 1})
            formats[key] = wb.add_format(props)
        return formats[key]

    title_fmt = wb.add_format({"bold": True})
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        merged_cells = set()
        for r0, c0, r1, c1, text in sheet.merges:
            role = sheet.rows[r0].role
            ws.merge_range(r0, c0, r1, c1, text, fmt("", True) if role == "header" else title_fmt)
            merged_cells.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        ncol = max((len(r.cells) for r in sheet.rows), default=0)
        for r, row in enumerate(sheet.rows):
            bold = row.role in ("header", "numbering", "subtotal", "total", "group")
            for c, cell in enumerate(row.cells):
                if cell is None or (r, c) in merged_cells:
                    continue
                if isinstance(cell, _Num):
                    ws.write_number(r, c, cell.value, fmt(cell.fmt, row.role == "header"))
                elif isinstance(cell, _Date):
                    ws.write_datetime(r, c, cell.value.to_pydatetime(), fmt(cell.fmt))
                elif row.role == "header":
                    ws.write_string(r, c, str(cell), fmt("", True))
                elif row.role == "title":
                    ws.write_string(r, c, str(cell), title_fmt)
                else:
                    ws.write_string(r, c, str(cell), title_fmt if bold else None)
        ws.set_column(0, max(ncol - 1, 0), 16)
    wb.close()


def write_export(frame: pd.DataFrame, path: str | os.PathLike[str], *, layout: str = "clean",
                 seed: int = 0, **options: Any) -> pd.DataFrame:
    """Write an export frame as a Morena-style CSV or XLSX file and say where each row went.

    The file type follows the suffix (``.csv`` or ``.xlsx``). Columns are written in canonical
    order for the frame's kind (``jenis_dak``, else detected from the columns); columns that
    are not canonical are left out. A cell that holds a *string* in a numeric or date column
    is written verbatim (that is how a test plants ``"1.234.56"`` or ``"31/02/2024"``).
    Formulas are never written: totals are values.

    ``layout="clean"``: one header row (``Tahun``, ``Periode``, ``Kode Wilayah``,
    ``Kabupaten/Kota``, ``Pagu``, ...), official region names, codes ``32.04``. CSV: ``;``
    separator, UTF-8, Indonesian numbers (``1.234.567``, ``1.234.567,89``), percents ``93,5``,
    dates ``dd/mm/yyyy``, periode ``Juni 2024``. XLSX: numbers, percents (0–100) and dates as
    Excel numbers/dates.

    ``layout="messy"``: a seeded random mix of the decorations listed below (each can be forced
    with a keyword option). Each decoration is drawn from a random stream of its own, keyed by
    ``seed`` and the decoration's name (:mod:`dak_monitor.datasets.options`), and so is each
    column's header spelling: forcing a decoration, or adding one or a spelling, never changes
    the others' draws. Subtotals and totals are only drawn for a single-period frame;
    ``cp1252`` only when the text fits.

    Options
    -------
    title : bool
        Title block above the header: report name, ``TAHUN ANGGARAN 2024``, ``Periode s.d. 30
        Juni 2024`` (single-period frames only), ``PROVINSI JAWA BARAT`` (single province),
        ``(dalam ribuan rupiah)`` (with ``units="ribuan"``), often ``Diunduh: 05/07/2024
        10:12``; then a blank row. In XLSX the title cells are merged across the table.
    period_columns : bool
        False leaves out ``tahun`` and ``periode`` (single-period frames only; the title then
        carries them).
    two_row_header : bool
        Group labels over sub-labels: nonfisik ``Realisasi`` over ``(Rp)`` and ``%``; fisik
        ``Kontrak`` over ``Nomor``/``Tanggal``/``Nilai`` and ``Realisasi`` over
        ``Keuangan``/``Keuangan %``/``Fisik %``/``Volume``. XLSX merges the group cell and the
        single columns vertically; CSV puts the group label on the first header line (first
        column of the group only) and the sub-labels on the second.
    header_style : {"standard", "varied"}
        "varied" picks for every column one of the writer's spellings of the kind
        (:data:`~dak_monitor.datasets.headers.HEADER_SPELLINGS`), with random case,
        sometimes a line break or a double space, and (rupiah money columns) sometimes a
        trailing ``(Rp)``.
    numbering_row : bool
        A row ``1 2 3 …`` under the header.
    units : {"rupiah", "ribuan"}
        "ribuan" writes money / 1000 with up to three decimals (``1.234.567,891``, exact) and
        adds ``(dalam ribuan rupiah)`` to the (forced) title block.
    money_prefix : {"", "Rp ", "Rp."}; money_suffix : {"", ",-"}
        Text money as ``Rp 1.234.567`` / ``Rp.1.234.567,-`` (the suffix only on whole numbers).
        In XLSX number cells the prefix becomes a number format.
    zero_as_dash : bool
        Zero money as ``-`` (a blank cell always means missing, e.g. no contract yet).
    percent_form : {"text", "text_pct", "number", "fraction"} or mapping column -> form
        ``93,5`` / ``93,5%`` / (XLSX) the number 93.5 / (XLSX) 0.935 in a ``0.00%`` cell.
        One form per column per file.
    date_form : {"dd/mm/yyyy", "dd-mm-yyyy", "d mmmm yyyy", "date_cell", "serial"}
        ``12/03/2024``, ``12-03-2024``, ``12 Maret 2024``, (XLSX) a date cell or an Excel
        serial number (e.g. 45363).
    periode_form : {"month_year", "sd_month_year", "mm/yyyy", "month_end"}
        ``Juni 2024``, ``s.d. Juni 2024``, ``06/2024``, ``30/06/2024``.
    code_form : {"dotted", "compact", "trailing_dot", "spaced", "number"}
        ``32.04``, ``3204``, ``32.04.``, ``32 04``, (XLSX) the number 32.04 (``32.10`` is stored
        as 32.1).
    name_form : {"official", "kab_dot", "upper", "upper_full", "bare"}
        ``Kabupaten Bandung``, ``Kab. Bandung``, ``KAB BANDUNG``, ``KABUPATEN BANDUNG``,
        ``Bandung`` (ambiguous with Kota Bandung, but the code column is always written).
    numbers_as_text : bool
        (XLSX) money, quantities and percents stored as Indonesian text instead of numbers.
    subtotals : bool
        After each region's rows, ``Jumlah Kab. Garut`` (label in the first column) with the
        sums of the money columns and the % of the sums. Single-period frames only.
    grand_total : bool; total_label : {"TOTAL", "JUMLAH", "Grand Total"}
        A final totals row over all data rows (not written with ``sheet_per_region``).
    total_adjust : mapping column -> amount
        Added to the grand total (plants a ``total-mismatch``); needs ``grand_total=True``.
    group_headers : bool
        Before each region's rows, its name alone in the first column (``KABUPATEN GARUT``).
    blank_rows : bool
        A blank row between regions.
    footer : bool
        Notes and a signature block: ``Sumber: Aplikasi Morena, diolah``, ``Catatan: …``,
        place and date, ``Mengetahui,``, ``Kepala Dinas``, a name, ``NIP. 19700101 199503 1
        001``.
    drop_columns : tuple of str
        Optional columns to leave out: ``kode_provinsi``, ``opd``, ``subbidang``,
        ``persen_capaian_output``, ``keterangan``.
    sep : {";", ","}; encoding : {"utf-8", "utf-8-sig", "cp1252"}; line_terminator : {"\\n",
    "\\r\\n"}
        (CSV) separator, encoding (UTF-8, UTF-8 with BOM, Windows-1252) and line ends. Lines
        are padded with separators to the table width, as Excel saves them.
    sheet_per_region : bool; sheet_name : str
        (XLSX) one sheet per region (named ``Kab. Garut``, with the region in the title) or
        one sheet called ``sheet_name``.

    Parameters
    ----------
    frame : DataFrame
        An export in canonical columns, e.g. from :func:`make_export`. Rows of a region should
        be contiguous for the grouped decorations; they are grouped (stable) by
        ``kode_wilayah`` when any is on.
    path : str or path-like
        Target ``.csv`` or ``.xlsx`` file (the folder must exist).
    layout : {"clean", "messy"}, default "clean"
    seed : int, default 0
        Seed of the layout: the decoration draws and header spellings (not the data).
    **options
        Force any single decoration, see *Options*.

    Returns
    -------
    DataFrame
        The row map: one row per frame row with ``index`` (the frame's label),
        ``sumber_file`` (file name), ``sumber_sheet`` (sheet name; ``""`` for CSV) and
        ``sumber_baris`` (1-based row as Excel shows it, or the 1-based line where the record
        starts in a text editor). ``attrs["options"]`` holds the decorations used (percent
        forms of the written columns only; no ``date_form`` without a date column),
        ``attrs["total_rows"]`` the (sheet, row, label, level) of subtotal and total rows and
        ``attrs["header_rows"]`` the (sheet, row) of header rows.

    Raises
    ------
    ValueError
        For an unknown suffix, layout or option value, or options that cannot go together
        (e.g. subtotals of a multi-period frame, cp1252 text that does not fit).
    TypeError
        For an unknown option name.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from dak_monitor.datasets import make_export, write_export
    >>> df = make_export("nonfisik", year=2024, months=[6], regions=["32.04"])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bokb_juni.csv"
    >>> rowmap = write_export(df, path)
    >>> rowmap.columns.tolist()
    ['index', 'sumber_file', 'sumber_sheet', 'sumber_baris']
    >>> int(rowmap["sumber_baris"].iloc[0]), rowmap["sumber_file"].iloc[0]
    (2, 'bokb_juni.csv')
    >>> path.read_text(encoding="utf-8").splitlines()[0][:45]
    'Tahun;Periode;Kode Provinsi;Kode Wilayah;Kabu'
    >>> messy = write_export(df, path.with_suffix(".xlsx"), layout="messy", seed=3,
    ...                      title=True, units="ribuan")
    >>> messy.attrs["options"]["units"], int(messy["sumber_baris"].min()) > 5
    ('ribuan', True)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        msg = f"write_export: {path.name}: the file must end in .csv or .xlsx"
        raise ValueError(msg)
    fmt_name = suffix[1:]
    seed = _check_seed(seed)
    kind = _frame_kind(frame)
    canonical = C.NONFISIK_COLUMNS if kind == C.NONFISIK else C.FISIK_COLUMNS
    missing = [c for c in C.REQUIRED[kind] if c not in frame.columns]
    if missing:
        msg = f"write_export: the frame lacks required {kind} column(s) {missing}"
        raise ValueError(msg)
    opts = resolve_options(layout, seed, fmt_name, frame, options)
    # The upload date (optional, not in every export) comes last, as portals append it.
    columns = [c for c in (*canonical, C.TANGGAL_LAPOR)
               if c in frame.columns and c not in opts["drop_columns"]]
    if not opts["period_columns"]:
        columns = [c for c in columns if c not in (C.TAHUN, C.PERIODE)]
    xlsx = fmt_name == "xlsx"
    formatter = _Formatter(opts, xlsx)
    positions = np.arange(len(frame))
    grouped = (opts["group_headers"] or opts["subtotals"] or opts["blank_rows"]
               or opts["sheet_per_region"])
    if grouped and C.KODE_WILAYAH in frame.columns and len(frame):
        codes = frame[C.KODE_WILAYAH].astype(object).fillna("").astype(str)
        first_seen = pd.Series(codes.factorize()[0], index=frame.index)
        positions = np.argsort(first_seen.to_numpy(), kind="stable")
    ordered = frame.iloc[positions]
    sheets: list[_SheetOut] = []
    if opts["sheet_per_region"]:
        used: set[str] = set()
        codes_o = ordered[C.KODE_WILAYAH].astype(object).fillna("").astype(str).to_numpy()
        start = 0
        while start < len(ordered):
            stop = start
            while stop < len(ordered) and codes_o[stop] == codes_o[start]:
                stop += 1
            part = ordered.iloc[start:stop]
            nm = part[C.NAMA_WILAYAH].iloc[0]
            label = str(nm) if not _missing(nm) else codes_o[start]
            sheets.append(_layout_sheet(
                _sheet_title(_fmt_name(label, "kab_dot"), used), kind, part,
                positions[start:stop], columns, opts, formatter, label.upper(), False))
            start = stop
        if not sheets:
            sheets.append(_layout_sheet(opts["sheet_name"], kind, ordered, positions, columns,
                                        opts, formatter, None, False))
    else:
        sheets.append(_layout_sheet(opts["sheet_name"] if xlsx else "", kind, ordered,
                                    positions, columns, opts, formatter, None,
                                    opts["grand_total"]))
    where_sheet = np.empty(len(frame), dtype=object)
    where_row = np.zeros(len(frame), dtype="int64")
    totals: list[dict[str, Any]] = []
    headers: list[dict[str, Any]] = []
    for sheet in sheets:
        # XLSX rows are numbered as Excel shows them; a CSV is written now, line by line
        numbers = list(range(1, len(sheet.rows) + 1)) if xlsx else _write_csv(sheet, path, opts)
        for row, number in zip(sheet.rows, numbers, strict=True):
            if row.role == "data" and row.pos is not None:
                where_sheet[row.pos] = sheet.name
                where_row[row.pos] = number
            elif row.role in ("subtotal", "total"):
                totals.append({"sheet": sheet.name, "row": number, "label": row.label,
                               "level": row.role})
            elif row.role == "header":
                headers.append({"sheet": sheet.name, "row": number})
    if xlsx:
        _write_xlsx(sheets, path, opts)
    rowmap = pd.DataFrame({
        "index": frame.index.to_numpy(),
        C.SUMBER_FILE: pd.array([path.name] * len(frame), dtype="str"),
        C.SUMBER_SHEET: pd.array(where_sheet.tolist() if len(frame) else [], dtype="str"),
        C.SUMBER_BARIS: where_row,
    })
    public = {k: v for k, v in opts.items() if not k.startswith("_")}
    public["percent_form"] = {c: f for c, f in opts["percent_form"].items() if c in columns}
    if not any(c in columns for c in C.DATE_COLUMNS):
        public.pop("date_form")
    if not xlsx:
        for k in _only("xlsx"):
            public.pop(k, None)
    else:
        for k in _only("csv"):
            public.pop(k, None)
    rowmap.attrs["options"] = public
    rowmap.attrs["total_rows"] = totals
    rowmap.attrs["header_rows"] = headers
    return rowmap

