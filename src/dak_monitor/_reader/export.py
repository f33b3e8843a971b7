"""``read_export``: DAK exports into one ``Export``, with the options for what a file does not say
and the folder rule for files that cannot be read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import pandas as pd

from .._parse import (
    parse_numbers,
    parse_periode,
    parse_tahun,
)
from .._regions import (
    normalize_region_code,
    official_name,
    region_name_candidates,
    region_name_expansions,
    resolve_region_names,
)
from .._html import card, table
from .._text import fmt_number
from .._units import UNITS, parse_units, scale
from .._vocab import check_lang
from .._vocab import columns as C
from ..exceptions import (
    ConfigError,
    DakMonitorError,
    MissingColumnError,
)
from .canonical import (
    _canonicalise,
    _check_soft_required,
    _column_units,
    _drop_other_funding,
    _empty_canonical,
    _group_regions,
    _looks_like_data,
    _outline_items,
    _regions_in,
    _supersede,
    _unit_doubt,
    _units_by_percent,
)
from .files import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CELL_CHARS,
    DEFAULT_MAX_COLUMNS,
    DEFAULT_MAX_ROWS,
    HEADER_SEARCH_ROWS,
    Limits,
    _display,
)
from .header import (
    _alias_lookup,
    _locate_header,
    _merge_aliases,
    _required_for_header,
    _union_aliases,
)
from .layout import Layout, layout_for, load_layouts
from .loading import _load_all
from .rows import _SKIPPED_COLUMNS, _funding_kind, _row_text, _skipped_frame
from .table import _concat, _raise_no_header, _read_sheet, _sheet_record, _trim
from .title import _detect_kind, _parse_title, _region_in_title, _TitleInfo, kind_reason

#: Why a file of a folder was not read (``Export.file_problems["masalah"]``); validation
#: reports each as the check ``file-not-read``.
FILE_PROBLEMS: Final = {
    "unreadable": "berkas tidak dapat dibuka / the file cannot be opened",
    "empty": "berkas kosong / the file is empty",
    "not-an-export": "bukan ekspor DAK (tidak ada judul kolom yang dikenali) / not a DAK export "
                     "(no recognisable header row)",
    "columns-missing": "kolom wajib tidak ada / required columns missing",
}
FILE_PROBLEM_COLUMNS: Final = (C.SUMBER_FILE, C.SUMBER_SHEET, "masalah", C.JENIS_DAK,
                               "wilayah", "keterangan")


@dataclass(frozen=True, slots=True)
class Export:
    """A Morena-style export read into one canonical frame.

    Attributes
    ----------
    data : DataFrame
        Canonical columns (see ``EXPORT_FORMAT.md``): money as float64 Rupiah, percents as
        printed (0–100), ``periode`` as the month-end date, ``kode_wilayah`` as ``NN.NN``, then
        ``jenis_dak`` and the provenance columns ``sumber_file``, ``sumber_sheet``,
        ``sumber_baris`` (the row a person sees in Excel or a text editor).
    skipped : DataFrame
        Every non-data row: provenance, ``alasan`` and ``isi``.
    unparsed : DataFrame
        Cells that were not empty but could not be parsed: provenance, ``kolom``, ``nilai``
        (the text as typed) and ``diharapkan`` (what was expected). Their value in ``data`` is
        missing; validation reports them quoting ``nilai``.
    totals : DataFrame
        Total and subtotal rows with parsed money columns, for checking.
    files : DataFrame
        One row per file and sheet: kind, header row, rows read / data / skipped, title
        values, units, notes.
    kind : str
        ``"nonfisik"``, ``"fisik"``, or ``"mixed"`` when both kinds were read.
    file_problems : DataFrame
        The files (and sheets) of a folder that were not read: ``masalah`` (a key of
        :data:`FILE_PROBLEMS`), ``jenis_dak`` and ``wilayah`` (the region codes in its rows,
        when they could be told) and ``keterangan`` (the reason, naming the file). A file
        given by name is never skipped: it raises instead.
    """

    data: pd.DataFrame
    skipped: pd.DataFrame
    unparsed: pd.DataFrame
    totals: pd.DataFrame
    files: pd.DataFrame
    kind: str
    file_problems: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(FILE_PROBLEM_COLUMNS)))

    @property
    def rows_read(self) -> int:
        """Physical rows read (up to the last non-empty row of each sheet)."""
        return int(self.files["baris_dibaca"].sum()) if len(self.files) else 0

    @property
    def n_files(self) -> int:
        """Files read or tried (a workbook of several sheets counts once)."""
        return int(self.files[C.SUMBER_FILE].nunique()) if len(self.files) else 0

    def summary(self, *, lang: str = "id") -> str:
        """A short, human-readable account of what was read, in ``lang`` (``"id"`` or
        ``"en"``; another value is a :class:`~dak_monitor.ConfigError`).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "x.csv").write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
        ...                              "2024;Juni 2024;32.04;BKB;100.000;50.000\\n\\n"
        ...                              "TOTAL;;;;100.000;50.000\\n")
        >>> print(read_export(d / "x.csv").summary(lang="en"))  # doctest: +ELLIPSIS
        Export nonfisik: 1 data rows, 3 skipped, 4 read from 1 file(s), 1 sheet(s).
          .../x.csv: nonfisik, header row 1, 4 read = 1 data + 3 skipped
          skipped by reason: header 1, blank 1, total 1
        >>> print(read_export(d / "x.csv").summary())  # doctest: +ELLIPSIS
        Ekspor nonfisik: 1 baris data, 3 dilewati, 4 dibaca dari 1 berkas, 1 sheet.
          .../x.csv: nonfisik, baris judul kolom 1, 4 dibaca = 1 data + 3 dilewati
          dilewati menurut alasan: header 1, blank 1, total 1
        """
        check_lang(lang)
        en = lang == "en"
        lines = [
            f"Export {self.kind}: {len(self.data):,} data rows, {len(self.skipped):,} skipped, "
            f"{self.rows_read:,} read from {self.n_files} file(s), {len(self.files)} sheet(s)."
            if en else
            f"Ekspor {self.kind}: {fmt_number(len(self.data))} baris data, "
            f"{fmt_number(len(self.skipped))} dilewati, {fmt_number(self.rows_read)} dibaca dari "
            f"{self.n_files} berkas, {len(self.files)} sheet."
        ]
        for rec in self.files.itertuples(index=False):
            where = rec.sumber_file + (f" [{rec.sumber_sheet}]" if rec.sumber_sheet else "")
            lines.append(
                f"  {where}: {_or_dash(rec.jenis_dak)}, header row {_or_dash(rec.baris_header)}, "
                f"{rec.baris_dibaca} read = {rec.baris_data} data + {rec.baris_dilewati} skipped"
                if en else
                f"  {where}: {_or_dash(rec.jenis_dak)}, baris judul kolom "
                f"{_or_dash(rec.baris_header)}, {rec.baris_dibaca} dibaca = {rec.baris_data} "
                f"data + {rec.baris_dilewati} dilewati"
            )
            if rec.catatan:
                lines.extend(f"    ! {note}" for note in rec.catatan.split(" | "))
        if len(self.skipped):
            counts = self.skipped["alasan"].value_counts()
            lines.append(("  skipped by reason: " if en else "  dilewati menurut alasan: ")
                         + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if len(self.unparsed):
            lines.append(f"  {len(self.unparsed)} cell(s) could not be parsed (kept for "
                         f"validation)" if en else
                         f"  {len(self.unparsed)} sel tidak dapat dibaca (disimpan untuk "
                         f"validasi)")
        for rec in self.file_problems.itertuples(index=False):
            lines.append(f"  {'NOT READ' if en else 'TIDAK DIBACA'}: {rec.keterangan}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """What was read, as plain data: the JSON of ``dak-monitor read --format json``.

        Keys: ``kind``, ``rows_read``, ``rows_data``, ``rows_skipped``, ``cells_unparsed`` and
        ``files`` (per file and sheet: kind, rows read = data + skipped, notes).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "x.csv").write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
        ...                              "2024;Juni 2024;32.04;BKB;100.000;50.000\\n")
        >>> doc = read_export(d / "x.csv").to_dict()
        >>> doc["kind"], doc["rows_read"], doc["rows_data"], doc["files"][0]["rows_skipped"]
        ('nonfisik', 2, 1, 1)
        """
        return {
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_data": len(self.data),
            "rows_skipped": len(self.skipped),
            "cells_unparsed": len(self.unparsed),
            "files": [
                {"file": r.sumber_file, "sheet": r.sumber_sheet, "kind": r.jenis_dak,
                 "rows_read": int(r.baris_dibaca), "rows_data": int(r.baris_data),
                 "rows_skipped": int(r.baris_dilewati),
                 "years": [int(y) for y in str(getattr(r, "tahun_data", "") or "").split(", ")
                           if y],
                 "notes": [n for n in (r.catatan or "").split(" | ") if n]}
                for r in self.files.itertuples(index=False)
            ],
            "files_not_read": [
                {"file": r.sumber_file, "sheet": r.sumber_sheet, "problem": r.masalah,
                 "kind": r.jenis_dak, "regions": list(r.wilayah), "reason": r.keterangan}
                for r in self.file_problems.itertuples(index=False)
            ],
        }

    def __repr__(self) -> str:
        return (f"Export(kind={self.kind!r}, rows={len(self.data)}, "
                f"skipped={len(self.skipped)}, unparsed={len(self.unparsed)}, "
                f"files={self.n_files}, sheets={len(self.files)}, "
                f"not_read={len(self.file_problems)})")

    def _repr_html_(self) -> str:
        """Compact HTML for notebooks: counts, the files and sheets, what was skipped."""
        facts = [f"{self.rows_read:,} baris dibaca / rows read",
                 f"{len(self.data):,} data", f"{len(self.skipped):,} dilewati / skipped",
                 f"{len(self.unparsed):,} sel tak terbaca / cells unparsed",
                 f"{self.n_files} berkas / files, {len(self.files)} sheet"]
        if len(self.file_problems):
            facts.append(f"{len(self.file_problems)} TIDAK DIBACA / NOT READ")
        sheets = self.files.reindex(columns=[C.SUMBER_FILE, C.SUMBER_SHEET, C.JENIS_DAK,
                                             "baris_header", "baris_dibaca", "baris_data",
                                             "baris_dilewati"])
        sections = [("berkas / files", table(sheets))]
        if len(self.skipped):
            sections.append(("dilewati menurut alasan / skipped by reason", table(
                self.skipped["alasan"].value_counts().rename_axis("alasan").reset_index())))
        if len(self.file_problems):
            sections.append(("tidak dibaca / not read", table(
                self.file_problems[[C.SUMBER_FILE, "masalah", "keterangan"]])))
        return card(f"Export {self.kind}", facts, sections)


# ============================================================================ discovery
def _or_dash(value: object) -> object:
    """A missing value (None, NaN, "") shown as "-" in summaries."""
    return "-" if value is None or value != value or value == "" else value


@dataclass(frozen=True, slots=True)
class _Given:
    """What the caller says a file does not (``tahun=``, ``periode=``, ``wilayah=``)."""

    tahun: int | None = None
    periode: pd.Timestamp | None = None
    wilayah: str | None = None
    said: str = "periode="  # where the period was given, for the notes

    @classmethod
    def of(cls, tahun: object, periode: object, wilayah: object) -> _Given:
        year = None
        if tahun is not None:
            p = parse_tahun(pd.Series([tahun]))
            if p.bad.iloc[0] or pd.isna(p.values.iloc[0]):
                msg = f"tahun must be a fiscal year such as 2024, not {tahun!r}"
                raise ConfigError(msg)
            year = int(p.values.iloc[0])
        per = None
        if periode is not None:
            p = parse_periode(pd.Series([str(periode)]), tahun=year)
            if p.bad.iloc[0] or pd.isna(p.values.iloc[0]):
                msg = (f"periode must be a period such as '2024-06', 'Juni 2024' or 'TW II 2024', "
                       f"not {periode!r}")
                raise ConfigError(msg)
            per = pd.Timestamp(p.values.iloc[0])
        code = None
        if wilayah is not None:
            codes, bad = normalize_region_code(pd.Series([str(wilayah)], dtype=object))
            code = codes.iloc[0] if not bad.iloc[0] and isinstance(codes.iloc[0], str) else \
                resolve_region_names(pd.Series([str(wilayah)])).iloc[0]
            if not isinstance(code, str):
                cands = region_name_candidates(wilayah)
                said = (f": it may be {', '.join(f'{k} ({official_name(k)})' for k in cands)}"
                        if len(cands) > 1 else " (no region has that name)")
                msg = (f"wilayah must be a region code such as '32.05' or an unambiguous name "
                       f"such as 'Kab. Garut', not {wilayah!r}{said}")
                raise ConfigError(msg)
        return cls(year, per, code)

    def apply(self, title: _TitleInfo) -> _TitleInfo:
        """The title's facts with the given ones in their place."""
        out = title
        if self.periode is not None:
            out = replace(out, periode=self.periode, tahun=self.tahun or self.periode.year,
                          periode_from=self.said)
        if self.tahun is not None:
            out = replace(out, tahun=self.tahun)
        return out


def _file_problem(file: str, sheet: str, masalah: str, kind: str | None,
                  regions: tuple[str, ...], exc: DakMonitorError) -> dict[str, Any]:
    return {C.SUMBER_FILE: file, C.SUMBER_SHEET: sheet, "masalah": masalah,
            C.JENIS_DAK: kind, "wilayah": regions, "keterangan": str(exc)}


def _refused_record(file: str, sheet: str, kind: str | None, rows: int,
                    masalah: str) -> dict[str, Any]:
    """The ``Export.files`` row of a file or sheet that was not read: its rows (if it could be
    opened) are skipped as ``refused``."""
    return {C.SUMBER_FILE: file, C.SUMBER_SHEET: sheet, C.JENIS_DAK: kind,
            "baris_header": None, "baris_dibaca": rows, "baris_data": 0,
            "baris_dilewati": rows, "judul": "",
            "catatan": f"NOT READ: {FILE_PROBLEMS[masalah].split(' / ')[1]}",
            "encoding": None, "separator": None, "tahun_judul": None, "periode_judul": None,
            "satuan_rupiah": 1.0, "satuan": "", "satuan_ragu": "", "kumulatif": True}


def read_export(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | pd.DataFrame | Any,
    kind: str | None = None,
    *,
    aliases: Mapping[str, Any] | None = None,
    sheets: Sequence[str] | None = None,
    supersede: bool = False,
    encoding: str | None = None,
    sep: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
    strict_files: bool = False,
    units: str | int | None = None,
    tahun: int | None = None,
    periode: object = None,
    wilayah: str | None = None,
    layout: Layout | str | os.PathLike[str] | Mapping[str, Any] | None = None,
    name: str | None = None,
) -> Export:
    """Read Morena-style DAK exports (CSV/XLSX) into one canonical frame.

    Parameters
    ----------
    paths : path, list of paths, folder, or an export in memory
        ``.csv``/``.xlsx``/``.xls`` files; a folder means every such file in it (not its
        subfolders; Excel lock files ``~$…`` are ignored). Or one export already in memory,
        read exactly as the file it came from, without a temporary file: a pandas
        DataFrame (its column names are the header row, canonical names such as ``pagu``
        or the export's own such as ``Pagu (Rp)``; its rows are rows 2, 3, … as in the CSV
        ``df.to_csv(index=False)`` writes; a frame read with ``header=None`` is the sheet
        itself), a file-like object opened for reading (bytes: CSV, XLSX, XLS or HTML;
        text: CSV), or an Arrow table (``pyarrow.Table``, ``polars.DataFrame``: anything
        with ``__arrow_c_stream__``). Anything else raises
        :class:`~dak_monitor.UnsupportedInputError` naming what is accepted.
    kind : {"nonfisik", "fisik"}, optional
        Export kind; detected per sheet from the headers (contract/procurement columns mean
        fisik) and the title when not given. A folder may hold both kinds.
    aliases : mapping, optional
        Extra header spellings: ``{"pagu": ["Pagu Final"]}`` for both kinds, or
        ``{"fisik": {...}, "nonfisik": {...}}``.
    sheets : sequence of str, optional
        Only these sheets of each workbook.
    supersede : bool
        When the same item and period come in several files, keep the last file's rows (files
        are read in the order given, a folder's files by name) and skip the earlier ones as
        ``superseded``. By default both are kept and validation reports the duplicate.
    encoding, sep : str, optional
        Force the CSV encoding or separator.
    max_bytes, max_rows, max_columns, max_cell_chars : int
        Safety limits: a CSV's size or an XLSX's unpacked size (default 2 GiB); the rows of
        one file or sheet (default 10,000,000; a sheet's used range is also held to
        ``5 * max_rows`` cells); the cells of a CSV line or columns of a sheet (default
        16,384, Excel's); the characters of one CSV cell or workbook shared string (default
        32,767, Excel's). A file above any is refused with
        :class:`~dak_monitor.LimitExceededError` before it is parsed; a value that is not a
        whole number above 0 is a :class:`~dak_monitor.ConfigError`.
    units : str or int, optional
        The unit every money column is written in (``"rupiah"``, ``"ribu"``, ``"juta"``,
        ``"miliar"``, or 1000…), when the file does not say or says it wrongly. Otherwise
        each money column's unit comes from its header (``Pagu (Rp Miliar)``), else from the
        title or a unit row above the header (``(dalam ribuan rupiah)``), else Rupiah; amounts
        are scaled exactly. With no unit stated anywhere and a median pagu too small to be
        Rupiah, the sheet is marked (``export.files["satuan_ragu"]``), validation warns
        ``units-unstated`` and its offices are marked data incomplete: nothing is ranked as
        if the amounts were surely Rupiah.
    tahun, periode : optional
        The fiscal year and the period (``"2024-06"``, ``"Juni 2024"``, ``"TW II"``) of files
        that do not say (no column, nothing in the title, the sheet or the file name) or say
        it wrongly: they replace what the title says and fill a column's empty cells.
    wilayah : str, optional
        The region (``"32.05"`` or an unambiguous name, ``"Kab. Garut"``) of single-office
        files whose rows, sheets and title do not name it.
    layout : Layout, path or mapping, optional
        A template's reading instructions (:class:`~dak_monitor.Layout`; a ``.toml`` file as
        ``dak-monitor inspect --write-layout`` writes it, or a folder of them, each file read
        with the one whose ``files`` patterns match its name): kind, units per column,
        period, region, header rows, the pagu column, rows to skip, header texts. What the
        caller passes beside it wins.
    name : str, optional
        The ``sumber_file`` of an export in memory (default: a file object's own name,
        else ``<DataFrame>``, ``<BytesIO>``, … its type); only for data from memory.
    strict_files : bool
        A folder is forgiving by default: a file in it that cannot be read, is not an export
        or lacks required columns is recorded in :attr:`Export.file_problems` (and reported
        by validation as ``file-not-read``) and the other files are read. With
        ``strict_files=True`` such a file raises, as a file named on its own always does.

    Returns
    -------
    Export

    Raises
    ------
    UnreadableFileError
        A file cannot be opened or decoded (names the file).
    LimitExceededError
        A file is above a safety limit (a subclass of ``UnreadableFileError``).
    HeaderNotFoundError, MissingColumnError
        No header, or a required column is missing (names file, sheet, row, and close matches).
    ExportFormatError
        A folder holds no export files, or a named sheet does not exist.
    UnsupportedInputError
        ``paths`` is none of the accepted objects.
    ConfigError
        An option is invalid (``kind``, ``units``, ``tahun``, ``periode``, ``wilayah``,
        ``layout``, ``encoding``, a limit, ``aliases``, ``name``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "bokb.csv").write_text(
    ...     "LAPORAN REALISASI DAK NONFISIK BOKB\\nTAHUN ANGGARAN 2024\\nPeriode s.d. 30 Juni 2024\\n"
    ...     "Kode Wilayah;Kabupaten/Kota;Menu;Pagu (Rp);Realisasi (Rp);%\\n"
    ...     "3204;KAB BANDUNG;Operasional BKB;Rp 1.000.000;450.000;45,0%\\n"
    ...     ";TOTAL;;1.000.000;450.000;45,0%\\n")
    >>> ex = read_export(d / "bokb.csv")
    >>> ex.kind
    'nonfisik'
    >>> ex.data[["tahun", "periode", "kode_wilayah", "pagu", "realisasi", "persen_realisasi",
    ...          "sumber_baris"]]
       tahun    periode kode_wilayah       pagu  realisasi  persen_realisasi  sumber_baris
    0   2024 2024-06-30        32.04  1000000.0   450000.0              45.0             5
    >>> ex.skipped["alasan"].tolist()
    ['title', 'title', 'title', 'header', 'total']
    """
    return _read_export(paths, kind, aliases=aliases, sheets=sheets, supersede=supersede,
                        encoding=encoding, sep=sep, max_bytes=max_bytes, max_rows=max_rows,
                        max_columns=max_columns, max_cell_chars=max_cell_chars,
                        strict_files=strict_files, units=units, tahun=tahun, periode=periode,
                        wilayah=wilayah, layout=layout, name=name)


def _read_export(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | Any,
    kind: str | None = None,
    *,
    aliases: Mapping[str, Any] | None = None,
    sheets: Sequence[str] | None = None,
    supersede: bool = False,
    encoding: str | None = None,
    sep: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
    strict_files: bool = False,
    units: str | int | None = None,
    tahun: int | None = None,
    periode: object = None,
    wilayah: str | None = None,
    layout: Any = None,
    trace: list[dict[str, Any]] | None = None,
    name: str | None = None,
) -> Export:
    """:func:`read_export`; with ``trace``, every sheet's decisions are appended to it (what
    :func:`~dak_monitor.inspect_export` shows) and a named file that cannot be read is
    recorded as a folder's file would be, never raised."""
    if kind is not None and kind not in C.KINDS:
        msg = f"kind must be one of {C.KINDS} or None (detect), not {kind!r}"
        raise ConfigError(msg)
    limits = Limits(max_bytes=max_bytes, max_rows=max_rows, max_columns=max_columns,
                    max_cell_chars=max_cell_chars)
    forced_unit: str | Mapping[str, str] | None = (
        parse_units(units) if units is not None else None)
    _given = _Given.of(tahun, periode, wilayah)
    alias_map = _merge_aliases(aliases)
    lookups = {k: _alias_lookup(alias_map[k]) for k in C.KINDS}
    union = _union_aliases(alias_map)
    union_lookup = _alias_lookup(union)
    layouts = load_layouts(layout)
    base = (kind, forced_unit, _given, alias_map, lookups, union_lookup)
    given_kw = {"tahun": tahun, "periode": periode, "wilayah": wilayah}
    frames: list[pd.DataFrame] = []
    skipped: list[pd.DataFrame] = []
    totals: list[pd.DataFrame] = []
    unparsed: list[pd.DataFrame] = []
    records: list[dict[str, Any]] = []
    file_problems: list[dict[str, Any]] = []
    for path, in_folder, loaded in _load_all(paths, sheets=sheets, encoding=encoding, sep=sep,
                                             limits=limits, forgiving=not strict_files,
                                             name=name):
        if isinstance(loaded, DakMonitorError):  # a folder's file that cannot be loaded
            file_problems.append(_file_problem(_display(path), "", "unreadable", None, (),
                                               loaded))
            records.append(_refused_record(_display(path), "", None, 0, "unreadable"))
            if trace is not None:
                trace.append({"file": _display(path), "sheet": "", "problem": str(loaded)})
            continue
        found_any = refused_any = False
        first_record = len(records)
        forgive = (in_folder or trace is not None) and not strict_files
        lay, lay_why = None, ""
        if layouts:
            for sh in loaded:
                _trim(sh)
            lay, lay_why = layout_for(layouts, path, loaded)
            if lay is None:
                for sh in loaded:
                    label = sh.file + (f" [{sh.sheet}]" if sh.sheet else "")
                    sh.notes.append(f"{label}: {lay_why}")
        kind, forced_unit, _given, alias_map, lookups, union_lookup = base
        if lay is not None:  # the layout fills in what the caller did not say
            kind = kind if kind is not None else lay.kind
            if forced_unit is None and lay.units:
                forced_unit = dict(lay.units)
            _given = replace(
                _Given.of(*(given_kw[k] if given_kw[k] is not None else getattr(lay, k)
                            for k in ("tahun", "periode", "wilayah"))),
                said="periode=" if periode is not None else "the layout")
            if lay.aliases:
                alias_map = _merge_aliases({k: {c: [*alias_map[k].get(c, []), *v]
                                                for c, v in lay.aliases.items()}
                                            for k in C.KINDS})
                lookups = {k: _alias_lookup(alias_map[k]) for k in C.KINDS}
                union_lookup = _alias_lookup(_union_aliases(alias_map))
            if lay.sheets:
                loaded = [sh for sh in loaded if sh.sheet in lay.sheets or not sh.sheet]
            for sh in loaded:
                sh.meta.update(header_rows=lay.header_rows, pagu=lay.pagu,
                               skip_rows=lay.skip_rows, skip_matching=lay.skip_matching)
                label = sh.file + (f" [{sh.sheet}]" if sh.sheet else "")
                sh.notes.append(f"{label}: read with the layout "
                                f"{lay.source or '(given in Python)'} ({lay_why})")
        for sheet in loaded:
            _trim(sheet)
            seen: dict[str, Any] = {"file": sheet.file, "sheet": sheet.sheet}
            if trace is not None:
                trace.append(seen)
            probe_required = _required_for_header(kind or C.NONFISIK)
            probe = _locate_header(sheet, lookups[kind] if kind else union_lookup,
                                   probe_required, HEADER_SEARCH_ROWS)
            title_lines = []
            if probe is not None:
                above = sheet.grid.loc[: probe.rows[0] - 1]
                title_lines = [t for t in _row_text(above, limit=500).tolist() if t]
            title = _given.apply(_parse_title(title_lines + [sheet.sheet],
                                              names=[sheet.sheet, Path(sheet.file).stem]))
            funding = _funding_kind(sheet.grid, probe) if probe is not None else None
            this_kind = kind or funding or (
                _detect_kind(probe, title) if probe else C.NONFISIK)
            why = kind_reason(kind, funding, probe, title, this_kind)
            header = _locate_header(sheet, lookups[this_kind], _required_for_header(this_kind),
                                    HEADER_SEARCH_ROWS) if probe is not None else None
            seen.update(kind=this_kind, kind_why=why, title=title, header=header,
                        grid=sheet.grid, notes=sheet.notes,
                        given={k: getattr(_given, k) is not None
                               for k in ("tahun", "periode", "wilayah")}
                        | {"header_rows": bool(sheet.meta.get("header_rows"))})
            if probe is None and not forgive and _looks_like_data(sheet.grid):
                _raise_no_header([sheet], alias_map[this_kind],
                                 f". Layouts: {lay_why}" if layouts and lay is None else "")
            label = sheet.file + (f" [{sheet.sheet}]" if sheet.sheet else "")
            region = _given.wilayah or _region_in_title(title_lines, sheet, label)
            try:
                st = _read_sheet(sheet, lookups[this_kind], alias_map[this_kind],
                                 required=_required_for_header(this_kind),
                                 value_columns=(C.PAGU, C.REALISASI, C.PENYALURAN,
                                                C.NILAI_KONTRAK),
                                 search_rows=HEADER_SEARCH_ROWS, header=header,
                                 list_headers=False)
                if st.header is not None:
                    _check_soft_required(st, title, this_kind, label, region,
                                         given_wilayah=_given.wilayah)
                    if _given.wilayah and C.KODE_WILAYAH not in st.header.columns and \
                            C.NAMA_WILAYAH not in st.header.columns:
                        said = "the layout" if lay is not None and wilayah is None else \
                            "wilayah="
                        sheet.notes.append(f"{label}: region {_given.wilayah} from {said}, "
                                           f"for rows that name none")
            except MissingColumnError as exc:
                other = C.FISIK if this_kind == C.NONFISIK else C.NONFISIK
                exc = MissingColumnError(
                    f"{exc} (The sheet was {why}; if it is DAK {other}, pass kind='{other}' / "
                    f"--kind {other}.) To see what the reader understood and write a layout "
                    f"that fixes it: dak-monitor inspect \"{sheet.file}\" --write-layout "
                    f"layout.toml" + (f". Layouts: {lay_why}" if layouts and lay is None
                                      else ""), file=exc.file, sheet=exc.sheet)
                if not forgive:
                    raise exc from None
                seen["missing"] = str(exc)
                # Nothing of the sheet was kept yet: its rows are skipped as refused, and
                # the regions it covers (when they can be told) are marked incomplete.
                refused_any = True
                skipped.append(_skipped_frame(sheet, sheet.grid, pd.Series(
                    "refused", index=sheet.grid.index)))
                file_problems.append(_file_problem(
                    sheet.file, sheet.sheet, "columns-missing", this_kind,
                    _regions_in(sheet, header), exc))
                records.append(_refused_record(sheet.file, sheet.sheet, this_kind,
                                               len(sheet.grid), "columns-missing"))
                continue
            found_any |= st.header is not None
            if st.header is not None:
                if not title.cumulative:
                    sheet.notes.append(
                        f"{label}: the title describes a single month, not a cumulative "
                        f"report (s.d.); figures are read as printed, not added up")
            unit_from: dict[str, str] = {}
            col_units, unit_note, stated = _column_units(st.header, title, forced_unit,
                                                         unit_from)
            seen.update(table=st, units=col_units, unit_from=unit_from, region=region)
            doubt = ""
            if st.header is not None:
                if unit_note:
                    sheet.notes.append(f"{label}: {unit_note}")
                if C.PERIODE not in st.header.columns and title.periode is not None and \
                        title.periode_from != "the title":
                    sheet.notes.append(f"{label}: period {title.periode:%m/%Y} from "
                                       f"{title.periode_from}")
                if C.MENU not in st.header.columns and C.RINCIAN not in st.header.columns:
                    sheet.notes.append(
                        f"{label}: a recap, one row per OPD (no menu or rincian columns): "
                        f"checks and flags that need items pass its rows over")
                if len(st.data):
                    _drop_other_funding(st, this_kind, label)
                    _outline_items(st, this_kind, label)
                    canon, bad = _canonicalise(st.data, this_kind, title, sheet.sheet,
                                               _group_regions(st), col_units, region)
                    if C.NAMA_WILAYAH in st.header.columns and \
                            C.KODE_WILAYAH not in st.header.columns:
                        short = region_name_expansions(st.data[C.NAMA_WILAYAH])
                        if short:
                            listed = "; ".join(f"{k!r} = {v}" for k, v in
                                               list(short.items())[:5])
                            more = f" and {len(short) - 5} more" if len(short) > 5 else ""
                            sheet.notes.append(f"{label}: region names printed short, read "
                                               f"as the one region they begin: {listed}{more}")
                    canon, by_percent = _units_by_percent(canon, col_units,
                                                          forced_unit is not None)
                    if by_percent:
                        sheet.notes.append(f"{label}: {by_percent}")
                    doubt = _unit_doubt(canon, stated)
                    if doubt:
                        sheet.notes.append(
                            f"{label}: no unit is stated and the amounts are too small to be "
                            f"Rupiah (median pagu {canon[C.PAGU].median():,.2f}): likely "
                            f"{doubt}. Its offices are marked data incomplete "
                            f"(units-unstated); pass units= / --units")
                    frames.append(canon)
                    unparsed.extend(bad)
                    if len(st.beyond):  # cells right of the header: the row is not trusted
                        unparsed.append(st.beyond.assign(
                            kolom=C.BEYOND_HEADER, diharapkan="nothing right of the header"))
                        sheet.notes.append(
                            f"{label}: {len(st.beyond)} data row(s) have cells right of the "
                            f"header's last column (a ';' typed in a text?): quarantined as "
                            f"cell-beyond-header, never cut in silence")
                if len(st.totals):
                    tot = st.totals.copy()
                    for col in C.MONEY_COLUMNS:
                        if col in tot:
                            tot[col] = scale(parse_numbers(tot[col]).values,
                                             col_units.get(col, "rupiah"))
                    tot[C.JENIS_DAK] = this_kind
                    totals.append(tot)
            skipped.append(st.skipped)
            rec = _sheet_record(st, this_kind if st.header is not None else None)
            rec.update(tahun_judul=title.tahun, periode_judul=title.periode,
                       satuan_rupiah=float(UNITS[col_units.get(C.PAGU, "rupiah")]),
                       satuan=", ".join(f"{c} {u}" for c, u in col_units.items()),
                       satuan_ragu=doubt, kumulatif=title.cumulative)
            records.append(rec)
        if forgive and all(s.grid.empty for s in loaded):
            file_problems.append({
                C.SUMBER_FILE: _display(path), C.SUMBER_SHEET: "", "masalah": "empty",
                C.JENIS_DAK: None, "wilayah": (),
                "keterangan": f"{_display(path)}: the file holds no cells at all"})
        if not found_any and not refused_any and any(not s.grid.empty for s in loaded):
            if not forgive:
                _raise_no_header(loaded, alias_map[kind or C.NONFISIK])
            for rec in records[first_record:]:
                note = (f"{rec[C.SUMBER_FILE]}: not read as an export (no header row found); "
                        f"its {rec['baris_dibaca']} rows are skipped")
                rec["catatan"] = " | ".join(filter(None, [rec["catatan"], note]))
            file_problems.append({
                C.SUMBER_FILE: _display(path), C.SUMBER_SHEET: "", "masalah": "not-an-export",
                C.JENIS_DAK: None, "wilayah": (),
                "keterangan": f"{_display(path)}: not read as an export: no sheet has a header "
                              f"row with the columns of a DAK export in its first "
                              f"{HEADER_SEARCH_ROWS} rows (its rows are skipped)"})
    data = _concat(frames)
    if data.empty:
        data = _empty_canonical()
    else:
        data = data.reindex(columns=list(C.CANONICAL_COLUMNS))
        data[C.SUMBER_BARIS] = data[C.SUMBER_BARIS].astype("int64")
        data[C.TAHUN] = data[C.TAHUN].astype("Int64")
    skipped_df = _concat(skipped, columns=_SKIPPED_COLUMNS)
    if supersede and len(data):
        data, skipped_df = _supersede(data, skipped_df)
        if len(skipped_df):
            counts = skipped_df[skipped_df["alasan"] == "superseded"].groupby(
                [C.SUMBER_FILE, C.SUMBER_SHEET]).size()
            for rec in records:
                k = (rec[C.SUMBER_FILE], rec[C.SUMBER_SHEET])
                moved = int(counts.get(k, 0))
                rec["baris_data"] -= moved
                rec["baris_dilewati"] += moved
    kinds = sorted(str(k) for k in data[C.JENIS_DAK].dropna().unique()) if len(data) else []
    files = pd.DataFrame(records)
    if len(files):
        # The fiscal years each file's rows hold: a file of another year in a folder goes to
        # the history (or is the current year), and this says which.
        years = (data.dropna(subset=[C.TAHUN]).groupby([C.SUMBER_FILE, C.SUMBER_SHEET])[C.TAHUN]
                 .agg(lambda y: ", ".join(str(int(v)) for v in sorted(set(y)))).to_dict()
                 if len(data) else {})
        files["tahun_data"] = [years.get((f, sh), "") for f, sh in
                               zip(files[C.SUMBER_FILE], files[C.SUMBER_SHEET], strict=True)]
    if not kinds:
        kinds = sorted({r[C.JENIS_DAK] for r in records if r[C.JENIS_DAK]}) or [kind or C.NONFISIK]
    export_kind = kinds[0] if len(kinds) == 1 else "mixed"
    return Export(
        file_problems=pd.DataFrame(file_problems, columns=list(FILE_PROBLEM_COLUMNS)),
        data=data.reset_index(drop=True),
        skipped=skipped_df.reset_index(drop=True),
        unparsed=_concat(unparsed, columns=(*C.PROVENANCE, "kolom", "nilai", "diharapkan")),
        totals=_concat(totals),
        files=files,
        kind=export_kind,
    )
