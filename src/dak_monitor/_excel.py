"""The Excel workbook an analyst brings to a meeting (written with xlsxwriter).

Sheets: ``Ringkasan`` (headline figures, what the report rests on, the ranking), ``Proyeksi``,
``Flag``, ``Semester I``, ``Masalah Data`` and ``Grafik`` (the figures). Real conditional
formats colour statuses and severities; number formats are Excel's own (``#,##0``,
``0.0%``), so Excel shows them with the reader's locale separators (``1.234.567`` on an
Indonesian system). Every text cell that could be read as a formula is neutralised.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
from xlsxwriter.exceptions import FileCreateError

from ._report_data import basis, ranking, refuse_inputs, row_marks
from ._text import col_letter, neutralise
from ._vocab import (
    COVERAGE_GRADES,
    KINDS,
    LANGS,
    MARKS,
    PALETTE,
    REPORTING_STATUSES,
    SEVERITIES,
    STATUSES,
    month_name,
)
from ._vocab import columns as C
from .exceptions import OutputError

__all__ = ["write_excel_report"]

STATUS_COLOURS: Final = STATUSES.fills()
SEVERITY_COLOURS: Final = SEVERITIES.fills()
_LABELS: Final = {lang: {**STATUSES.labels(lang), **MARKS.labels(lang)} for lang in LANGS}


class _Book:
    """Thin helper around an xlsxwriter workbook with the report's formats."""

    def __init__(self, path: Path) -> None:
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True,
                                                  "strings_to_formulas": False,
                                                  "strings_to_urls": False})
        add = self.wb.add_format
        self.f: dict[str, Any] = {
            "title": add({"bold": True, "font_size": 16}),
            "h2": add({"bold": True, "font_size": 12, "font_color": PALETTE["neutral"]}),
            "header": add({"bold": True, "bg_color": PALETTE["neutral"], "font_color": "white",
                           "text_wrap": True, "valign": "top", "border": 1}),
            "text": add({"valign": "top"}),
            "wrap": add({"valign": "top", "text_wrap": True}),
            "int": add({"num_format": "#,##0"}),
            "money": add({"num_format": "#,##0"}),
            "pct": add({"num_format": "0.0%"}),
            "date": add({"num_format": "dd/mm/yyyy"}),
            "month": add({"num_format": "mmm yyyy"}),
            "bold": add({"bold": True}),
            "note": add({"italic": True, "font_color": PALETTE["note"]}),
            "dec": add({"num_format": "0.00"}),
        }
        self.colour = {k: add({"bg_color": v}) for k, v in
                       {**STATUS_COLOURS, **SEVERITY_COLOURS, "grey": MARKS["incomplete"].fill}.items()}

    def write_cell(self, ws: Any, r: int, c: int, v: Any, fmt: Any = None) -> None:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT or (
                not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
            ws.write_blank(r, c, None, fmt)
        elif isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
            ws.write_datetime(r, c, pd.Timestamp(v).to_pydatetime(), fmt or self.f["date"])
        elif isinstance(v, (bool, np.bool_)):
            ws.write_string(r, c, "ya" if v else "tidak", fmt)
        elif isinstance(v, (int, float, np.integer, np.floating)):
            ws.write_number(r, c, float(v), fmt)
        else:
            ws.write_string(r, c, str(neutralise(str(v))), fmt)

    def table(self, ws: Any, frame: pd.DataFrame, first_row: int, *,
              formats: Mapping[str, str] | None = None, widths: Mapping[str, float] | None = None,
              headers: Mapping[str, str] | None = None, status_col: str | None = None,
              severity_col: str | None = None, freeze: bool = True) -> int:
        """Write a frame as a filtered table with frozen header; returns the next free row."""
        formats = formats or {}
        cols = list(frame.columns)
        for j, col in enumerate(cols):
            ws.write_string(first_row, j, (headers or {}).get(col, col), self.f["header"])
            width = (widths or {}).get(col)
            if width is None:
                sample = frame[col].head(200).astype(str)
                longest = sample.str.len().max() if len(sample) else 0
                width = min(max(len(str(col)), int(0 if pd.isna(longest) else longest)) + 2, 60)
            ws.set_column(j, j, width)
        for i, row in enumerate(frame.itertuples(index=False), start=first_row + 1):
            for j, v in enumerate(row):
                key = formats.get(cols[j])
                self.write_cell(ws, i, j, v, self.f.get(key) if key else None)
        last = first_row + len(frame)
        if len(cols):
            ws.autofilter(first_row, 0, max(last, first_row), len(cols) - 1)
        if freeze:
            ws.freeze_panes(first_row + 1, 0)
        for col_name, palette in ((status_col, STATUS_COLOURS), (severity_col, SEVERITY_COLOURS)):
            if col_name and col_name in cols and len(frame):
                j = cols.index(col_name)
                for key in palette:
                    ws.conditional_format(first_row + 1, 0, last, len(cols) - 1, {
                        "type": "formula",
                        "criteria": f'=${col_letter(j)}{first_row + 2}="{key}"',
                        "format": self.colour[key]})
        return last + 2


_HEAD_ID: Final = {
    "jenis_dak": "Jenis DAK", "peringkat": "Peringkat", "kode_wilayah": "Kode", "nama": "OPD",
    "pagu": "Pagu (Rp)", "realisasi": "Realisasi (Rp)", "serapan": "Serapan s.d. periode",
    "proyeksi": "Proyeksi akhir tahun", "batas_bawah": "Batas bawah", "batas_atas": "Batas atas",
    "p_di_bawah_ambang": "Peluang < ambang", "status": "Status", "data": "Data",
    "alasan": "Alasan utama",
}
_HEAD_EN: Final = {
    "jenis_dak": "DAK kind", "peringkat": "Rank", "kode_wilayah": "Code", "nama": "OPD",
    "pagu": "Pagu (Rp)", "realisasi": "Realisasi (Rp)", "serapan": "Absorption to date",
    "proyeksi": "Projected year end", "batas_bawah": "Lower", "batas_atas": "Upper",
    "p_di_bawah_ambang": "P(below threshold)", "status": "Status", "data": "Data",
    "alasan": "Main reason",
}
_FMT: Final = {"pagu": "money", "realisasi": "money", "serapan": "pct", "proyeksi": "pct",
               "batas_bawah": "pct", "batas_atas": "pct", "p_di_bawah_ambang": "pct",
               "share_pagu": "pct", "pagu_terdampak": "money", "pagu_hilang": "money",
               "pagu_tanpa_kontrak": "money", "pagu_karantina": "money", "macet": "pct",
               "periode": "month", "batas_semester": "date", "batas_kontrak": "date",
               "tanggal_kontrak": "date", "periode_dipakai": "month",
               "periode_kontrak_dilaporkan": "month", "pagu_flagged": "money", "n_item": "int",
               "baris_karantina": "int", "row": "int", "sumber_baris": "int"}


def write_excel_report(result: Any, path: str | os.PathLike[str], *, lang: str = "id",
                       figures: Mapping[str, str | os.PathLike[str]] | None = None,
                       inputs: Sequence[str | os.PathLike[str]] = ()) -> Path:
    """Write the meeting workbook for a :class:`MonitorResult`.

    Parameters
    ----------
    result : MonitorResult
        From :func:`dak_monitor.monitor`.
    path : path
        The ``.xlsx`` to write (its folder must exist).
    lang : {"id", "en"}
        Language of headers and messages.
    figures : mapping name -> PNG path, optional
        Figures to embed in the ``Grafik`` sheet (e.g. from ``save_figures``).
    inputs : sequence of paths
        Input files that must never be overwritten (the result's own inputs are always
        checked).

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        The file is open in Excel, the folder is not writable, or ``path`` is an input file.

    Examples
    --------
    >>> import dak_monitor as dm, tempfile, pathlib  # doctest: +SKIP
    >>> result = dm.monitor("data_samples/current", history="data_samples/history")  # doctest: +SKIP
    >>> dm.write_excel_report(result, pathlib.Path(tempfile.mkdtemp()) / "report.xlsx")  # doctest: +SKIP
    """
    out = Path(path)
    refuse_inputs(out, [*inputs, *result.inputs])
    tmp = out.with_name(out.name + ".tmp.xlsx")
    try:
        book = _Book(tmp)
        _write_sheets(book, result, lang, figures or {})
        book.wb.close()
        os.replace(tmp, out)
    except PermissionError as exc:
        _cleanup(tmp)
        msg = (f"{out}: cannot write the workbook ({exc.strerror}). Is it open in Excel? "
               f"Close it, or choose another --out folder.")
        raise OutputError(msg) from exc
    except FileCreateError as exc:  # xlsxwriter's wrapper of the OSError it met
        _cleanup(tmp)
        cause = exc.__context__ if isinstance(exc.__context__, OSError) else None
        why = (cause.strerror if cause is not None and cause.strerror else str(exc))
        hint = (" Is it open in Excel? Close it, or choose another --out folder."
                if isinstance(cause, PermissionError) else
                " Does the folder exist? Choose an existing --out folder.")
        msg = f"{out}: cannot write the workbook ({why}).{hint}"
        raise OutputError(msg) from exc
    except OSError as exc:
        _cleanup(tmp)
        msg = f"{out}: cannot write the workbook ({exc.strerror or exc})"
        raise OutputError(msg) from exc
    return out


def _cleanup(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def _write_sheets(book: _Book, result: Any, lang: str, figures: Mapping[str, Any]) -> None:
    heads = _HEAD_ID if lang == "id" else _HEAD_EN
    proj = result.projection
    msg_col = "pesan" if lang == "id" else "message"
    # ------------------------------------------------------------------------ Ringkasan
    ws = book.wb.add_worksheet("Ringkasan")
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    title = ("Laporan Pemantauan Serapan DAK Bangga Kencana" if lang == "id"
             else "DAK Bangga Kencana absorption monitoring report")
    ws.write_string(0, 0, f"{title} — {proj.as_of:%m/%Y}", book.f["title"])
    r = 2
    ws.write_string(r, 0, "Angka utama / headline" if lang == "id" else "Headline figures",
                    book.f["h2"])
    r += 1
    t = proj.table
    for kind, g in t.groupby("jenis_dak", sort=False):
        pagu, real = float(g["pagu"].sum()), float(g["realisasi"].sum())
        counts = g["status"].value_counts()
        label = "BOKB (nonfisik)" if kind == C.NONFISIK else "DAK fisik"
        ws.write_string(r, 0, label, book.f["bold"])
        ws.write_string(r, 1, "pagu")
        ws.write_number(r, 2, pagu, book.f["money"])
        ws.write_string(r, 3, "realisasi")
        ws.write_number(r, 4, real, book.f["money"])
        ws.write_string(r, 5, "serapan" if lang == "id" else "absorption")
        ws.write_number(r, 6, real / pagu if pagu else 0, book.f["pct"])
        ws.write_string(r, 7, ", ".join(f"{_LABELS[lang].get(k, k)}: {counts.get(k, 0)}"
                                        for k in STATUSES))
        at = proj.as_of_by_kind.get(str(kind), proj.as_of)
        if at != proj.as_of:
            ws.write_string(r, 8, (f"posisi {at:%m/%Y} (laporan terakhir)" if lang == "id"
                                   else f"as of {at:%m/%Y} (latest report)"))
        r += 1
    incomplete = int((~t["data_lengkap"]).sum())
    ws.write_string(r, 0, ("OPD dengan data tidak lengkap (*)" if lang == "id"
                           else "OPDs with incomplete data (*)"), book.f["bold"])
    ws.write_number(r, 2, incomplete, book.f["int"])
    stale = int((~t["dilaporkan"].astype(bool)).sum())
    if stale:
        r += 1
        ws.write_string(r, 0, (f"OPD tanpa laporan {proj.as_of:%m/%Y} (*)" if lang == "id"
                               else f"OPDs without a {proj.as_of:%m/%Y} report (*)"),
                        book.f["bold"])
        ws.write_number(r, 2, stale, book.f["int"])
    unread = result.export.file_problems
    if len(unread):
        r += 1
        ws.write_string(r, 0, ("Berkas tidak dibaca (lihat Masalah Data)" if lang == "id"
                               else "Files not read (see Masalah Data)"), book.f["bold"])
        ws.write_number(r, 2, len(unread), book.f["int"])
        book.write_cell(ws, r, 3, ", ".join(Path(f).name for f in unread["sumber_file"]),
                        book.f["text"])
    r += 2
    ws.write_string(r, 0, "Dasar laporan / what this report rests on", book.f["h2"])
    r += 1
    for key, value in basis(result):
        ws.write_string(r, 0, key, book.f["bold"])
        # Not wrapped: the text runs on over the empty cells to its right, readable in
        # Excel and in print (column B is narrow: it is the ranking's "Peringkat" column).
        book.write_cell(ws, r, 1, value, book.f["int"] if isinstance(value, int)
                        else book.f["text"])
        r += 1
    r += 1
    ws.write_string(r, 0, "Peringkat (proyeksi terendah di atas) / ranking, lowest projection "
                          "first", book.f["h2"])
    r += 1
    rank = ranking(result, lang)
    book.table(ws, rank, r, formats=_FMT, headers=heads, status_col="status", freeze=False,
               widths={"alasan": 70, "nama": 26, "jenis_dak": 10})
    ws.set_column(0, 0, 46)
    ws.freeze_panes(1, 0)
    # ------------------------------------------------------------------------ Proyeksi
    ws = book.wb.add_worksheet("Proyeksi")
    pt = proj.table.copy()
    marks = row_marks(pt, proj.as_of, lang)
    pt["nama_wilayah"] = pt["nama_wilayah"] + np.where(marks == "", "", " *")
    book.table(ws, pt, 0, formats=_FMT, status_col="status")
    # ------------------------------------------------------------------------ Flag
    ws = book.wb.add_worksheet("Flag")
    fl = result.flags.copy()
    keep = ["kode_wilayah", "nama_wilayah", "jenis_dak", "code", "severity",
            "title_id" if lang == "id" else "title_en", msg_col, "n_item", "pagu_terdampak",
            "share_pagu", "periode"]
    book.table(ws, fl[keep] if len(fl) else pd.DataFrame(columns=keep), 0, formats=_FMT,
               severity_col="severity", widths={msg_col: 90})
    # ------------------------------------------------------------------------ Semester I
    ws = book.wb.add_worksheet("Semester I")
    fs = result.first_semester
    ws.write_string(0, 0, (f"Pengadaan semester I — batas {fs.cutoff:%d/%m/%Y}, batas kontrak "
                           f"DAK fisik {fs.deadline:%d/%m/%Y}, posisi {fs.as_of:%m/%Y}"),
                    book.f["h2"])
    opd = fs.opd.copy()
    opd_cols = ["kode_wilayah", "nama_wilayah", "jenis_dak", "n_item", "pagu_flagged",
                "share_pagu", "worst", "codes", "alasan" if lang == "id" else "reason"]
    nxt = book.table(ws, opd[opd_cols] if len(opd) else pd.DataFrame(columns=opd_cols), 1,
                     formats=_FMT, severity_col="worst", freeze=False, widths={"alasan": 80,
                                                                               "reason": 80})
    items = fs.items
    item_cols = ["kode_wilayah", "nama_wilayah", "jenis_dak", "menu", "rincian", "code",
                 "severity", msg_col, "metode_pengadaan", "pagu", "realisasi", "nomor_kontrak",
                 "tanggal_kontrak", "periode_kontrak_dilaporkan", "periode_dipakai",
                 "sumber_file", "sumber_sheet", "sumber_baris"]
    ws.write_string(nxt, 0, "Rincian per item / by item", book.f["h2"])
    book.table(ws, items[item_cols] if len(items) else pd.DataFrame(columns=item_cols),
               nxt + 1, formats=_FMT, severity_col="severity", freeze=False,
               widths={msg_col: 80})
    ws.freeze_panes(1, 0)
    # ------------------------------------------------------------------------ Masalah Data
    ws = book.wb.add_worksheet("Masalah Data")
    probs = result.validation.problems
    cols = ["file", "sheet", "row", "column", "code", "severity", "value", msg_col]
    book.table(ws, probs[cols] if len(probs) else pd.DataFrame(columns=cols), 0, formats=_FMT,
               severity_col="severity", widths={msg_col: 90, "file": 40})
    # ------------------------------------------------------------------------ Pelaporan
    if getattr(result, "reporting", None) is not None:
        _reporting_sheet(book, result.reporting, lang)
    # ------------------------------------------------------------------------ Grafik
    if figures:
        ws = book.wb.add_worksheet("Grafik")
        row = 0
        for name, png in figures.items():
            ws.write_string(row, 0, str(name), book.f["h2"])
            ws.insert_image(row + 1, 0, str(png), {"x_scale": 0.6, "y_scale": 0.6,
                                                   "object_position": 1})
            row += 42


_REPORTING_FMT: Final = {**_FMT, "pagu_sebelumnya": "money", "pagu_diharapkan": "money",
                         "tanggal_lapor": "date", "batas_lapor": "date",
                         "n_item_sebelumnya": "int"}


def _reporting_sheet(book: _Book, rs: Any, lang: str) -> None:
    """``Pelaporan``: coverage per OPD × month (cells coloured green / yellow / red, the
    share in each), then the status of every OPD × jenis DAK × period (coloured by status),
    and what it rests on."""
    ws = book.wb.add_worksheet("Pelaporan")
    title = ("Pelaporan OPD — cakupan per bulan (laporan dan pagu masuk), posisi "
             if lang == "id" else "OPD reporting — coverage per month (reports and pagu in), as "
             "of ")
    ws.write_string(0, 0, title + f"{rs.as_of:%m/%Y}", book.f["h2"])
    fills = {code: book.wb.add_format({"bg_color": t.fill, "num_format": "0%", "border": 1})
             for code, t in COVERAGE_GRADES.items()}
    cov = rs.coverage
    months = sorted(set(cov["periode"]))
    ws.write_string(1, 0, "Kode" if lang == "id" else "Code", book.f["header"])
    ws.write_string(1, 1, "OPD", book.f["header"])
    for j, per in enumerate(months, start=2):
        ws.write_string(1, j, month_name(per.month, lang, short=True), book.f["header"])
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 28)
    row = 2
    for kode, g in cov.groupby("kode_wilayah", sort=True):
        book.write_cell(ws, row, 0, kode)
        name = g["nama_wilayah"].dropna()
        book.write_cell(ws, row, 1, name.iloc[0] if len(name) else kode)
        for rec in g.itertuples(index=False):
            ws.write_number(row, 2 + months.index(rec.periode), float(rec.cakupan),
                            fills[rec.warna])
        row += 1
    legend = ", ".join(f"{COVERAGE_GRADES.label(c, lang)}: {w}" for c, w in zip(
        COVERAGE_GRADES, (f">= {rs.rules.coverage_yellow:.0%}",
                          f">= {rs.rules.coverage_red:.0%}",
                          f"< {rs.rules.coverage_red:.0%}"), strict=True))
    ws.write_string(row, 0, legend, book.f["note"])
    for note in rs.notes:
        row += 1
        ws.write_string(row, 0, str(neutralise(note)), book.f["note"])
    row += 2
    ws.write_string(row, 0, "Status per OPD, jenis DAK dan periode" if lang == "id"
                    else "Status per OPD, DAK kind and period", book.f["h2"])
    t = rs.table.copy()
    t["status"] = t["status"].map(lambda c: REPORTING_STATUSES.label(c, lang))
    t["jenis_dak"] = t["jenis_dak"].map(lambda k: KINDS.label(k, lang, short=True))
    first = row + 1
    nxt = book.table(ws, t, first, formats=_REPORTING_FMT, freeze=False)
    labels = {code: REPORTING_STATUSES.label(code, lang) for code in REPORTING_STATUSES}
    j = list(t.columns).index("status")
    for code, label in labels.items():
        ws.conditional_format(first + 1, j, max(first + len(t), first + 1), j, {
            "type": "cell", "criteria": "==", "value": f'"{label}"',
            "format": book.wb.add_format({"bg_color": REPORTING_STATUSES[code].fill})})
    if len(rs.revisions):
        ws.write_string(nxt, 0, "Revisi / revisions", book.f["h2"])
        book.table(ws, rs.revisions, nxt + 1, formats=_REPORTING_FMT, freeze=False)
    ws.freeze_panes(2, 2)
