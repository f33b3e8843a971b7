"""The Excel workbook an analyst brings to a meeting (written with xlsxwriter).

Sheets: ``Ringkasan`` (one printed page: headline figures, the OPDs on the agenda, what the
report rests on), ``Peringkat`` (the full ranking), ``Proyeksi``, ``Flag``, ``Semester I``,
``Masalah Data``, ``Berkas`` (the files read and what the reader inferred) and ``Grafik`` (the
figures, one a page). One language per workbook: headers from
:data:`~dak_monitor._vocab.report.REPORT_COLUMNS`, statuses and severities as labels, their
codes kept in trailing ``…_kode`` columns. Every sheet prints on A4 landscape, fitted to the
page width, its header row repeated. Real conditional formats colour statuses and
severities; number formats are Excel's own (``#,##0``, ``0.0%``), so Excel shows them with
the reader's locale separators (``1.234.567`` on an Indonesian system). Every text cell that
could be read as a formula is neutralised.
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

from ._compare import as_comparison
from ._report_data import (
    basis,
    changes_for_people,
    files_read,
    for_people,
    ranking,
    refuse_inputs,
    row_marks,
)
from ._text import col_letter, fmt_month, neutralise, say
from ._vocab import (
    CHANGES,
    COMPARE_TEXT,
    COVERAGE_GRADES,
    KINDS,
    MARKS,
    ON_TRACK,
    PALETTE,
    REPORTING_STATUSES,
    SEVERITIES,
    STATUSES,
    month_name,
)
from ._vocab.report import CODE_SUFFIX, COLUMN_KINDS, REPORT_COLUMNS
from .exceptions import OutputError

__all__ = ["write_excel_report"]

STATUS_COLOURS: Final = STATUSES.fills()
SEVERITY_COLOURS: Final = SEVERITIES.fills()


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
            "int": add({"num_format": "#,##0", "valign": "top"}),
            "money": add({"num_format": "#,##0", "valign": "top"}),
            "pct": add({"num_format": "0.0%", "valign": "top"}),
            "date": add({"num_format": "dd/mm/yyyy", "valign": "top"}),
            "month": add({"num_format": "mmm yyyy", "valign": "top"}),
            "bold": add({"bold": True}),
            "note": add({"italic": True, "font_color": PALETTE["note"]}),
            "dec": add({"num_format": "0.00"}),
        }
        self.colour = {k: add({"bg_color": v}) for k, v in
                       {**STATUS_COLOURS, **SEVERITY_COLOURS, "grey": MARKS["incomplete"].fill}.items()}

    def write_cell(self, ws: Any, r: int, c: int, v: Any, fmt: Any = None,
                   lang: str = "id") -> None:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT or (
                not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
            ws.write_blank(r, c, None, fmt)
        elif isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
            ws.write_datetime(r, c, pd.Timestamp(v).to_pydatetime(), fmt or self.f["date"])
        elif isinstance(v, (bool, np.bool_)):
            ws.write_string(r, c, MARKS.label("yes" if v else "no", lang), fmt)
        elif isinstance(v, (int, float, np.integer, np.floating)):
            ws.write_number(r, c, float(v), fmt)
        else:
            ws.write_string(r, c, str(neutralise(str(v))), fmt)

    def table(self, ws: Any, frame: pd.DataFrame, first_row: int, lang: str, *,
              widths: Mapping[str, float] | None = None, status_col: str | None = None,
              severity_col: str | None = None, freeze: bool = True,
              wrap: Sequence[str] = (), print_upto: str | None = None) -> int:
        """Write a report table (column codes as in :func:`for_people`) with its headers in
        ``lang``, Excel number formats by column kind, a filter, colours by status or
        severity label, and the header repeated on every printed page; returns the next
        free row. The print area ends before the machine-code columns, or at ``print_upto``
        (the columns after it — provenance, codes — are for filters, not for paper)."""
        cols = list(frame.columns)
        for j, col in enumerate(cols):
            ws.write_string(first_row, j, REPORT_COLUMNS.label(col, lang), self.f["header"])
            width = (widths or {}).get(col)
            if width is None:
                sample = frame[col].head(200).astype(str)
                longest = sample.str.len().max() if len(sample) else 0
                head = len(REPORT_COLUMNS.label(col, lang))
                width = min(max(min(head, 18), int(0 if pd.isna(longest) else longest)) + 2,
                            60)
            ws.set_column(j, j, width, self.f["wrap"] if col in wrap else None)
        col_width = {col: (widths or {}).get(col) or 0 for col in cols}
        head_lines = max((_lines(REPORT_COLUMNS.label(c, lang), col_width[c] or 18)
                          for c in cols), default=1)
        if head_lines > 1:
            ws.set_row(first_row, 15 * head_lines)
        for i, row in enumerate(frame.itertuples(index=False), start=first_row + 1):
            lines = 1
            for j, v in enumerate(row):
                kind = COLUMN_KINDS.get(cols[j])
                fmt = self.f.get(kind) if kind else (self.f["wrap"] if cols[j] in wrap
                                                     else self.f["text"])
                self.write_cell(ws, i, j, v, fmt, lang)
                if cols[j] in wrap and isinstance(v, str) and col_width[cols[j]]:
                    lines = max(lines, _lines(v, col_width[cols[j]]))
            if lines > 1:  # neither LibreOffice nor print preview grows a row by itself
                ws.set_row(i, 15 * lines)
        last = first_row + len(frame)
        if len(cols):
            ws.autofilter(first_row, 0, max(last, first_row), len(cols) - 1)
            # The machine-code columns at the end are for filters and tools, not for print.
            shown = (cols.index(print_upto) + 1 if print_upto in cols else
                     len([c for c in cols if not c.endswith(CODE_SUFFIX)]) or len(cols))
            ws.print_area(0, 0, max(last, first_row), shown - 1)
        if freeze:
            ws.freeze_panes(first_row + 1, 0)
        ws.repeat_rows(first_row)
        for col_name, terms in ((status_col, STATUSES), (severity_col, SEVERITIES)):
            if col_name and col_name in cols and len(frame):
                j = cols.index(col_name)
                for code in terms.fills():
                    label = terms.label(code, lang)
                    ws.conditional_format(first_row + 1, 0, last, len(cols) - 1, {
                        "type": "formula",
                        "criteria": f'=${col_letter(j)}{first_row + 2}="{label}"',
                        "format": self.colour[code]})
        return last + 2


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a slight
    overestimate: a word is never split)."""
    per_line = max(int(width * 1.1) - 1, 8)
    n, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            n, used = n + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return n


def _page_setup(ws: Any, title: str, *, one_page: bool = False) -> None:
    """A4 landscape, fitted to the page width (and to one page for ``one_page``), narrow
    margins, the sheet's title and page numbers in the header and footer."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.center_horizontally()
    ws.set_header("&L&8" + title.replace("&", "&&"))
    ws.set_footer("&R&8&P / &N")


def write_excel_report(result: Any, path: str | os.PathLike[str], *, lang: str = "id",
                       figures: Mapping[str, str | os.PathLike[str]] | None = None,
                       inputs: Sequence[str | os.PathLike[str]] = (),
                       previous: Any = None) -> Path:
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
    previous : MonitorResult or Comparison, optional
        Last month's result (or its :func:`compare_reports` with this one): adds the sheet
        ``Perubahan``, what changed since, ordered by what to act on first.

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
    comparison = as_comparison(previous, result, lang)
    tmp = out.with_name(out.name + ".tmp.xlsx")
    try:
        book = _Book(tmp)
        _write_sheets(book, result, lang, figures or {}, comparison=comparison)
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


def _png_size(path: str | os.PathLike[str]) -> tuple[int, int]:
    """Width and height in pixels of a PNG (from its IHDR chunk)."""
    with open(path, "rb") as fh:
        head = fh.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


#: Ringkasan's columns: its agenda table's, which the headline and basis above and below
#: fit into (the money of the headline in B and C), all on one A4 page.
_RINGKASAN_WIDTHS: Final = {"jenis_dak": 16, "nama": 24, "serapan": 18, "proyeksi": 14,
                            "p_di_bawah_ambang": 14, "status": 18, "alasan": 72}

#: Printed width of an A4 landscape page inside the margins, in the pixels xlsxwriter places
#: images by (96 per inch): 29.7 cm less 2 × 0.4 in.
_A4_WIDTH_PX: Final = 1040
_A4_HEIGHT_PX: Final = 640


def _write_sheets(book: _Book, result: Any, lang: str, figures: Mapping[str, Any], *,
                  comparison: Any = None) -> None:
    en = lang == "en"
    proj = result.projection
    t = proj.table
    month = fmt_month(proj.as_of, lang)
    # ------------------------------------------------------------------------ Ringkasan
    # One A4 page: the headline, the OPDs on the agenda (not on track) and what the report
    # rests on. The full ranking has its own sheet.
    ws = book.wb.add_worksheet("Ringkasan")
    title = ("DAK Bangga Kencana absorption monitoring report" if en
             else "Laporan Pemantauan Serapan DAK Bangga Kencana")
    _page_setup(ws, f"{title} — {month}", one_page=True)
    ws.write_string(0, 0, f"{title} — {month}", book.f["title"])
    r = 2
    ws.write_string(r, 0, "Headline figures" if en else "Angka utama", book.f["h2"])
    r += 1
    heads = ["jenis_dak", "pagu", "realisasi", "serapan"]
    for j, col in enumerate(heads):
        ws.write_string(r, j, REPORT_COLUMNS.label(col, lang), book.f["header"])
    for k, code in enumerate(STATUSES, start=len(heads)):
        ws.write_string(r, k, STATUSES.label(code, lang), book.f["header"])
    ws.set_row(r, 30)  # two lines: "Serapan s.d. periode" / "Absorption to date"
    r += 1
    behind = []
    for kind, g in t.groupby("jenis_dak", sort=False):
        pagu, real = float(g["pagu"].sum()), float(g["realisasi"].sum())
        counts = g["status"].value_counts()
        ws.write_string(r, 0, KINDS.label(str(kind), lang), book.f["bold"])
        ws.write_number(r, 1, pagu, book.f["money"])
        ws.write_number(r, 2, real, book.f["money"])
        ws.write_number(r, 3, real / pagu if pagu else 0, book.f["pct"])
        for k, code in enumerate(STATUSES, start=len(heads)):
            ws.write_number(r, k, int(counts.get(code, 0)), book.f["int"])
        at = proj.as_of_by_kind.get(str(kind), proj.as_of)
        if at != proj.as_of:
            behind.append(f"{KINDS.label(str(kind), lang)}: " + (
                f"as of {fmt_month(at, lang)}, its latest report" if en else
                f"posisi {fmt_month(at, lang)}, laporan terakhirnya"))
        r += 1
    for text in behind:
        ws.write_string(r, 0, text, book.f["note"])
        r += 1
    incomplete = int((~t["data_lengkap"]).sum())
    ws.merge_range(r, 0, r, 1, ("OPDs with incomplete data (*)" if en
                                else "OPD dengan data tidak lengkap (*)"), book.f["bold"])
    ws.write_number(r, 2, incomplete, book.f["int"])
    stale = int((~t["dilaporkan"].astype(bool)).sum())
    if stale:
        r += 1
        ws.merge_range(r, 0, r, 1, (f"OPDs without a {month} report (*)" if en
                                    else f"OPD tanpa laporan {month} (*)"), book.f["bold"])
        ws.write_number(r, 2, stale, book.f["int"])
    unread = result.export.file_problems
    if len(unread):
        r += 1
        ws.merge_range(r, 0, r, 1, ("Files not read (see Masalah Data)" if en
                                    else "Berkas tidak dibaca (lihat Masalah Data)"),
                       book.f["bold"])
        ws.write_number(r, 2, len(unread), book.f["int"])
        book.write_cell(ws, r, 3, ", ".join(Path(f).name for f in unread["sumber_file"]),
                        book.f["text"], lang)
    r += 2
    rank = ranking(result, lang)
    agenda = rank[rank["status"] != ON_TRACK].sort_values("proyeksi")
    ws.write_string(r, 0, (f"On the agenda: {len(agenda)} OPD × DAK kind not on track, "
                           f"lowest projection first (full ranking: sheet Peringkat)" if en else
                           f"Agenda: {len(agenda)} OPD × jenis DAK tidak sesuai target, "
                           f"proyeksi terendah di atas (peringkat lengkap: lembar Peringkat)"),
                    book.f["h2"])
    r += 1
    short = for_people(agenda[["jenis_dak", "nama", "serapan", "proyeksi",
                               "p_di_bawah_ambang", "status", "alasan"]], lang)
    r = book.table(ws, short.drop(columns=[c for c in short if c.endswith(CODE_SUFFIX)]), r,
                   lang, status_col="status", freeze=False, wrap=("alasan",),
                   widths=_RINGKASAN_WIDTHS)
    ws.write_string(r - 1, 0, ("(*) see the Data column of Peringkat: incomplete data or an "
                               "older report" if en else
                               "(*) lihat kolom Data di lembar Peringkat: data tidak lengkap "
                               "atau laporan lama"), book.f["note"])
    r += 1
    ws.write_string(r, 0, "What this report rests on" if en else "Dasar laporan",
                    book.f["h2"])
    r += 1
    for key, value in basis(result, lang):
        ws.merge_range(r, 0, r, 1, key, book.f["bold"])
        if isinstance(value, int):
            ws.write_number(r, 2, value, book.f["int"])
        else:  # across the page, wrapped
            text = str(neutralise(str(value)))
            ws.merge_range(r, 2, r, len(_RINGKASAN_WIDTHS) - 1, text, book.f["wrap"])
            lines = _lines(text, sum(list(_RINGKASAN_WIDTHS.values())[2:]))
            if lines > 1:
                ws.set_row(r, 15 * lines)
        r += 1
    ws.print_area(0, 0, r, len(_RINGKASAN_WIDTHS) - 1)
    ws.freeze_panes(1, 0)
    # ------------------------------------------------------------------------ Peringkat
    ws = book.wb.add_worksheet("Peringkat")
    _page_setup(ws, f"{'Ranking' if en else 'Peringkat'} — {month}")
    book.table(ws, for_people(rank, lang), 0, lang, status_col="status", wrap=("alasan",),
               widths={"alasan": 70, "nama": 24, "jenis_dak": 14})
    # ------------------------------------------------------------------------ Proyeksi
    ws = book.wb.add_worksheet("Proyeksi")
    _page_setup(ws, f"{'Projection' if en else 'Proyeksi'} — {month}")
    pt = t.drop(columns=["tahun", "bulan"]).copy()
    marks = row_marks(pt, proj.as_of, lang)
    pt["nama_wilayah"] = pt["nama_wilayah"] + np.where(marks == "", "", " *")
    book.table(ws, for_people(pt, lang), 0, lang, status_col="status")
    # ------------------------------------------------------------------------ Flag
    ws = book.wb.add_worksheet("Flag")
    _page_setup(ws, "Flag")
    keep = ["kode_wilayah", "nama_wilayah", "jenis_dak", "title_id", "title_en", "severity",
            "pesan", "message", "n_item", "pagu_terdampak", "share_pagu", "periode", "code"]
    book.table(ws, for_people(result.flags[keep], lang), 0, lang, severity_col="severity",
               wrap=("pesan",), widths={"pesan": 80, "judul": 30})
    # ------------------------------------------------------------------------ Semester I
    ws = book.wb.add_worksheet("Semester I")
    fs = result.first_semester
    _page_setup(ws, "Semester I")
    ws.write_string(0, 0, (f"First-semester procurement — cut-off {fs.cutoff:%d/%m/%Y}, DAK "
                           f"fisik contract deadline {fs.deadline:%d/%m/%Y}, as of "
                           f"{fmt_month(fs.as_of, lang)}" if en else
                           f"Pengadaan semester I — batas {fs.cutoff:%d/%m/%Y}, batas kontrak "
                           f"DAK fisik {fs.deadline:%d/%m/%Y}, posisi "
                           f"{fmt_month(fs.as_of, lang)}"), book.f["h2"])
    opd_cols = ["kode_wilayah", "nama_wilayah", "jenis_dak", "n_item", "pagu_flagged",
                "share_pagu", "worst", "alasan", "reason", "codes"]
    nxt = book.table(ws, for_people(fs.opd[opd_cols], lang), 1, lang, severity_col="worst",
                     freeze=False, wrap=("alasan", "codes"),
                     widths={"alasan": 80, "codes": 40})
    # People's columns first (printed); where each came from and the codes after them.
    item_cols = ["kode_wilayah", "nama_wilayah", "jenis_dak", "title_id", "title_en",
                 "severity", "pesan", "message", "pagu", "realisasi", "metode_pengadaan",
                 "tanggal_kontrak", "menu", "rincian", "nomor_kontrak",
                 "periode_kontrak_dilaporkan", "periode_dipakai", "sumber_file", "sumber_sheet",
                 "sumber_baris", "code"]
    ws.write_string(nxt, 0, "By item" if en else "Rincian per item", book.f["h2"])
    book.table(ws, for_people(fs.items[item_cols], lang), nxt + 1, lang,
               severity_col="severity", freeze=False, wrap=("pesan",),
               widths={"pesan": 80, "nama_wilayah": 22, "judul": 26},
               print_upto="tanggal_kontrak")
    ws.freeze_panes(1, 0)
    # ------------------------------------------------------------------------ Masalah Data
    ws = book.wb.add_worksheet("Masalah Data")
    _page_setup(ws, "Data problems" if en else "Masalah Data")
    probs = result.validation.problems
    book.table(ws, for_people(probs[["file", "sheet", "row", "column", "severity", "value",
                                     "pesan", "message", "code"]], lang), 0, lang,
               severity_col="severity", wrap=("pesan",), widths={"pesan": 90, "file": 40})
    # ------------------------------------------------------------------------ Berkas
    ws = book.wb.add_worksheet("Berkas")
    _page_setup(ws, "Files read" if en else "Berkas dibaca")
    ws.write_string(0, 0, ("Files read and what the reader inferred (period, units, region, "
                           "layout)" if en else
                           "Berkas dibaca dan yang disimpulkan pembaca (periode, satuan, "
                           "wilayah, tata letak)"), book.f["h2"])
    book.table(ws, for_people(files_read(result), lang), 1, lang, freeze=False,
               wrap=("catatan",), widths={"catatan": 100, "sumber_file": 40})
    ws.freeze_panes(2, 0)
    # ------------------------------------------------------------------------ Pelaporan
    if getattr(result, "reporting", None) is not None:
        _reporting_sheet(book, result.reporting, lang)
    # ------------------------------------------------------------------------ Perubahan
    if comparison is not None:
        _changes_sheet(book, comparison, lang)
    # ------------------------------------------------------------------------ Grafik
    if figures:
        # One figure a page, at the printed page's width.
        ws = book.wb.add_worksheet("Grafik")
        _page_setup(ws, "Figures" if en else "Grafik")
        ws.fit_to_pages(0, 0)
        ws.set_print_scale(100)
        row, breaks = 0, []
        for name, png in figures.items():
            w, h = _png_size(png)
            scale = min(_A4_WIDTH_PX / w, _A4_HEIGHT_PX / (h + 30)) if w and h else 0.6
            if row:
                breaks.append(row)
            ws.write_string(row, 0, str(name), book.f["h2"])
            ws.insert_image(row + 1, 0, str(png), {"x_scale": scale, "y_scale": scale,
                                                   "object_position": 1})
            row += int(h * scale / 20) + 3  # default row height: 20 px
        ws.set_h_pagebreaks(breaks)


def _reporting_sheet(book: _Book, rs: Any, lang: str) -> None:
    """``Pelaporan``: coverage per OPD × month (cells coloured green / yellow / red, the
    share in each), then the status of every OPD × jenis DAK × period (coloured by status),
    and what it rests on."""
    ws = book.wb.add_worksheet("Pelaporan")
    _page_setup(ws, "Pelaporan" if lang == "id" else "Reporting")
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
    nxt = book.table(ws, t, first, lang, freeze=False)
    labels = {code: REPORTING_STATUSES.label(code, lang) for code in REPORTING_STATUSES}
    j = list(t.columns).index("status")
    for code, label in labels.items():
        ws.conditional_format(first + 1, j, max(first + len(t), first + 1), j, {
            "type": "cell", "criteria": "==", "value": f'"{label}"',
            "format": book.wb.add_format({"bg_color": REPORTING_STATUSES[code].fill})})
    if len(rs.revisions):
        ws.write_string(nxt, 0, "Revisi / revisions", book.f["h2"])
        book.table(ws, rs.revisions, nxt + 1, lang, freeze=False)
    ws.freeze_panes(2, 2)


def _changes_sheet(book: _Book, comparison: Any, lang: str) -> None:
    """``Perubahan``: what changed since the previous report per OPD × jenis DAK, ordered by
    what to act on first (coloured by this month's status), then each item's change, then
    what the comparison rests on."""
    ws = book.wb.add_worksheet("Perubahan")
    text = COMPARE_TEXT.labels(lang)
    heading = say(text["title"], lang, lalu=comparison.previous_as_of, kini=comparison.as_of)
    _page_setup(ws, heading)
    ws.write_string(0, 0, heading, book.f["h2"])
    table, items = changes_for_people(comparison, lang)
    order = ", ".join(f"{i}. {CHANGES.label(c, lang)}" for i, c in enumerate(CHANGES, 1))
    ws.write_string(1, 0, str(neutralise(order)), book.f["note"])
    nxt = book.table(ws, table, 2, lang, status_col="status", freeze=False,
                     widths={"perubahan_lain": 40, "flag_baru": 40, "flag_selesai": 40},
                     wrap=("perubahan_lain", "flag_baru", "flag_selesai"))
    ws.freeze_panes(3, 0)
    if len(items):
        ws.write_string(nxt, 0, "Perubahan per item" if lang == "id" else "Changes per item",
                        book.f["h2"])
        nxt = book.table(ws, items, nxt + 1, lang, freeze=False)
    for note in comparison.notes:
        ws.write_string(nxt, 0, str(neutralise(note)), book.f["note"])
        nxt += 1
