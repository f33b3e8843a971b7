"""Reading CSV/XLSX exports into tidy frames that remember where every row came from.

Two layers:

* :func:`read_table` finds the header of any table-shaped sheet (below title blocks and logos,
  on one or two merged rows), maps header spellings to column names through an alias table,
  and classifies every physical row as data or as a skipped non-data row with a reason. It
  keeps the cells as they were (text or Excel values) and is not tied to Morena's layout.
* :func:`read_export` uses it for Morena-style DAK exports: it detects the kind (nonfisik or
  fisik), reads ``tahun``/``periode``/units from the title block, parses Indonesian numbers,
  percents, dates and region codes, and returns an :class:`Export`.

Accounting invariant: for every file and sheet, every physical row up to the last non-empty one
is either in ``data`` or in ``skipped`` with a reason.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import html
import io
import os
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from . import _parse
from ._parse import (
    is_blank,
    parse_dates,
    parse_numbers,
    parse_percents,
    parse_periode,
    parse_tahun,
)
from ._regions import load_regions, normalize_region_code, resolve_region_names
from ._text import col_letter
from ._units import UNITS, implausible_unit, parse_units, scale, strip_unit, unit_in
from ._vocab import columns as C
from .exceptions import (
    ConfigError,
    DakMonitorError,
    ExportFormatError,
    HeaderNotFoundError,
    LimitExceededError,
    MissingColumnError,
    UnreadableFileError,
)

__all__ = ["SKIP_REASONS", "Export", "Table", "read_export", "read_table"]

#: Reasons a physical row is not data (values of ``skipped["alasan"]``).
SKIP_REASONS: Final[dict[str, str]] = {
    "title": "judul / title block above the header",
    "blank": "baris kosong / blank row",
    "header": "baris judul kolom / header row",
    "numbering": "baris penomoran kolom / column-numbering row (1 2 3 …)",
    "group": "judul kelompok / group header (e.g. a kabupaten name alone on a row)",
    "subtotal": "subtotal (Jumlah …)",
    "total": "total / grand total",
    "note": "catatan atau tanda tangan / note or signature block",
    "no-header": "lembar tanpa judul kolom / sheet without a header row",
    "refused": "lembar tidak dibaca, lihat masalah berkasnya / sheet not read, see its file problem",
    "other-funding": "sumber dana lain (bukan DAK ini) / another funding source (not this DAK)",
    "superseded": "digantikan file yang lebih baru / superseded by a later file",
}

SUPPORTED_SUFFIXES: Final = (".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".html", ".htm")
#: Safety limits (see the README, "Limits, safety and speed"): a CSV's size or an XLSX's
#: unpacked size, and the rows of one file or sheet. A zip-bomb workbook or a multi-gigabyte
#: CSV is refused with :class:`LimitExceededError` before it is parsed.
DEFAULT_MAX_BYTES: Final = 2 * 1024**3
DEFAULT_MAX_ROWS: Final = 10_000_000
#: Cells of a CSV line (and columns of a sheet): Excel's own maximum (XFD). A line of 200,000
#: separators once asked the parser for 200,000 columns per row and exhausted memory.
DEFAULT_MAX_COLUMNS: Final = 16_384
#: Characters of one cell: Excel's own maximum. The reader copies a workbook's shared string
#: into every cell that uses it, so 5,000 references to one 1 MB string once exhausted memory.
DEFAULT_MAX_CELL_CHARS: Final = 32_767


@dataclass(frozen=True, slots=True)
class Limits:
    """The safety limits of one read; every public reader takes them as keyword arguments.

    Examples
    --------
    >>> Limits(max_rows=20_000_000).max_columns
    16384
    >>> Limits(max_cell_chars=0)
    Traceback (most recent call last):
    dak_monitor.exceptions.ConfigError: max_cell_chars must be a whole number above 0, not 0
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if (isinstance(value, bool) or not isinstance(value, (int, np.integer))
                    or not 0 < value < 2**62):
                msg = f"{f.name} must be a whole number above 0, not {value!r}"
                raise ConfigError(msg)


_CSV_LIMIT_LOCK: Final = threading.Lock()


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """The csv module's field limit set to ``limit`` while reading (the module keeps one
    process-wide limit; it is restored afterwards)."""
    with _CSV_LIMIT_LOCK:
        before = csv.field_size_limit(limit)
        try:
            yield
        finally:
            csv.field_size_limit(before)
HEADER_SEARCH_ROWS: Final = 60

_SKIPPED_COLUMNS: Final = (*C.PROVENANCE, "alasan", "isi")

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


# =============================================================================== results
@dataclass(frozen=True, slots=True)
class Table:
    """Result of :func:`read_table`.

    Attributes
    ----------
    data : DataFrame
        One row per data row: the mapped columns with the cells as found (text, or Excel
        numbers/dates; empty cells are ``None``), then ``sumber_file``, ``sumber_sheet``,
        ``sumber_baris``.
    skipped : DataFrame
        One row per non-data row: provenance, ``alasan`` (a key of :data:`SKIP_REASONS`) and
        ``isi`` (the row's text, shortened).
    totals : DataFrame
        The total/subtotal rows again, with their mapped cells, so they can be checked against
        the rows they sum.
    sheets : DataFrame
        One row per file and sheet read: header rows, title lines, counts, notes.
    """

    data: pd.DataFrame
    skipped: pd.DataFrame
    totals: pd.DataFrame
    sheets: pd.DataFrame


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

    def summary(self) -> str:
        """A short, human-readable account of what was read.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "x.csv").write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
        ...                              "2024;Juni 2024;32.04;BKB;100.000;50.000\\n\\n"
        ...                              "TOTAL;;;;100.000;50.000\\n")
        >>> print(read_export(d / "x.csv").summary())  # doctest: +ELLIPSIS
        Export nonfisik: 1 baris data / data rows, 3 dilewati / skipped, 4 dibaca / read from 1 file(s).
          .../x.csv: nonfisik, header row 1, 4 read = 1 data + 3 skipped
          skipped by reason: header 1, blank 1, total 1
        """
        lines = [
            f"Export {self.kind}: {len(self.data):,} baris data / data rows, "
            f"{len(self.skipped):,} dilewati / skipped, {self.rows_read:,} dibaca / read "
            f"from {self.files['sumber_file'].nunique() if len(self.files) else 0} file(s)."
        ]
        for rec in self.files.itertuples(index=False):
            where = rec.sumber_file + (f" [{rec.sumber_sheet}]" if rec.sumber_sheet else "")
            lines.append(
                f"  {where}: {_or_dash(rec.jenis_dak)}, header row {_or_dash(rec.baris_header)}, "
                f"{rec.baris_dibaca} read = {rec.baris_data} data + {rec.baris_dilewati} skipped"
            )
            if rec.catatan:
                lines.extend(f"    ! {note}" for note in rec.catatan.split(" | "))
        if len(self.skipped):
            counts = self.skipped["alasan"].value_counts()
            lines.append("  skipped by reason: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if len(self.unparsed):
            lines.append(f"  {len(self.unparsed)} cell(s) could not be parsed (kept for validation)")
        for rec in self.file_problems.itertuples(index=False):
            lines.append(f"  NOT READ / TIDAK DIBACA: {rec.keterangan}")
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
        return (f"Export(kind={self.kind!r}, rows={len(self.data)}, skipped={len(self.skipped)}, "
                f"unparsed={len(self.unparsed)}, files={len(self.files)})")


# ============================================================================ discovery
def _or_dash(value: object) -> object:
    """A missing value (None, NaN, "") shown as "-" in summaries."""
    return "-" if value is None or value != value or value == "" else value


def _discover(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
              ) -> list[tuple[Path, bool, int]]:
    """Files to read, each with whether it was found by scanning a folder and how many times
    it was given (a file given twice is read once)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: list[tuple[Path, bool]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files = sorted(
                f for f in path.iterdir()
                if not f.is_dir() and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not f.name.startswith(("~$", ".~lock", "."))
            )
            if not files:
                msg = (f"{path}: folder holds no export files (looked for "
                       f"{', '.join(SUPPORTED_SUFFIXES)}; Excel lock files ~$… are ignored)")
                raise ExportFormatError(msg, file=str(path))
            found.extend((f, True) for f in files)
        elif path.is_file():
            if path.name.startswith("~$"):
                msg = f"{path}: this is an Excel lock file (~$…), not an export; open the real file"
                raise UnreadableFileError(msg, file=str(path))
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                msg = (f"{path}: unsupported file type {path.suffix!r}; expected one of "
                       f"{', '.join(SUPPORTED_SUFFIXES)}")
                raise UnreadableFileError(msg, file=str(path))
            found.append((path, False))
        elif path.exists():
            msg = f"{path}: not a regular file or folder (a device, pipe or socket is never read)"
            raise UnreadableFileError(msg, file=str(path))
        else:
            msg = f"{path}: no such file or folder"
            raise UnreadableFileError(msg, file=str(path))
    if not found:
        msg = "no paths given"
        raise ExportFormatError(msg)
    # The same file named twice (or named and also found in a folder) is read once: reading
    # it twice would count its rows twice. The count is kept for the file's note.
    times: dict[Path, int] = {}
    first: dict[Path, tuple[Path, bool]] = {}
    for path, in_folder in found:
        key = path.resolve()
        times[key] = times.get(key, 0) + 1
        first.setdefault(key, (path, in_folder))
    return [(path, in_folder, times[key]) for key, (path, in_folder) in first.items()]


# ================================================================================ loading
@dataclass(slots=True)
class _Sheet:
    file: str
    sheet: str
    grid: pd.DataFrame  # cells; index = physical 1-based row number; columns 0..n-1
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    ne: np.ndarray | None = None  # non-empty cells of grid (rows x columns), once trimmed


def _display(path: Path) -> str:
    return path.as_posix()


def _check_size(path: Path, max_bytes: int) -> int:
    size = path.stat().st_size
    if size > max_bytes:
        msg = (f"{path}: file is {size / 1024**2:,.0f} MiB, above the limit of "
               f"{max_bytes / 1024**2:,.0f} MiB (pass max_bytes= / --limit-mb to raise it)")
        raise LimitExceededError(msg, file=str(path))
    return size


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, never more than ``max_bytes`` (a special file may claim size 0).

    Read as large as the file says it is, then in chunks: ``read(n)`` reserves ``n`` bytes
    up front, so asking for the limit itself would reserve gigabytes for a small file.
    """
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            parts = [fh.read(min(size, max_bytes) + 1)]
            got = len(parts[0])
            while parts[-1] and got <= max_bytes:
                parts.append(fh.read(min(1 << 24, max_bytes + 1 - got)))
                got += len(parts[-1])
            data = parts[0] if len(parts) <= 2 and not parts[-1] else b"".join(parts)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        msg = f"{path}: cannot be read ({reason})"
        raise UnreadableFileError(msg, file=str(path)) from exc
    if len(data) > max_bytes:
        msg = (f"{path}: more than {max_bytes / 1024**2:,.0f} MiB, the limit "
               f"(pass max_bytes= / --limit-mb to raise it)")
        raise LimitExceededError(msg, file=str(path))
    return data


def _csv_records(lines: Iterable[str], sep: str, path: Path, limits: Limits,
                 first_line: int = 1) -> Iterator[tuple[int, list[str]]]:
    """Records of CSV text with the line each starts on; a malformed file is refused by line.

    A cell longer than ``limits.max_cell_chars`` raises :class:`_CellTooLong` with the line
    its record starts on (the caller tells an unclosed quote from a long cell); the csv
    module's other errors are an :class:`UnreadableFileError` naming the line.
    """
    with _csv_field_limit(limits.max_cell_chars):
        reader = csv.reader(lines, delimiter=sep, strict=False)
        prev = 0
        rec: list[str] = []
        while True:
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = first_line + reader.line_num - 1
                if "field larger than field limit" in str(exc):
                    raise _CellTooLong(first_line + prev) from exc
                msg = f"{path}: line {line:,}: cannot be read as CSV ({exc})"
                raise UnreadableFileError(msg, file=str(path)) from exc
            yield first_line + prev, rec
            prev = reader.line_num


class _CellTooLong(Exception):  # noqa: N818 - internal signal, never leaves this module
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _refuse_long_cell(path: Path, line: int, limits: Limits) -> None:
    msg = (f"{path}: line {line:,}: a cell longer than {limits.max_cell_chars:,} characters, "
           f"the limit (no DAK export has such cells; pass max_cell_chars= / "
           f"--limit-cell-chars to raise it)")
    raise LimitExceededError(msg, file=str(path))


def _check_cell_chars(data: bytes | str, grid: pd.DataFrame, path: Path,
                      limits: Limits) -> None:
    """Refuse a cell above ``limits.max_cell_chars`` in a grid read line for line.

    A cell is never longer than its line, and a line longer than the limit holds a whole
    aligned block of half the limit without a line break: only such blocks are looked at
    (a ``find`` per block, so a clean file costs a few thousand calls).
    """
    limit = limits.max_cell_chars
    nl: Any = b"\n" if isinstance(data, bytes) else "\n"
    block = max(1, (limit + 1) // 2)
    counted, line, done = 0, 1, 0  # line breaks counted up to ``counted``; last line looked at
    for at in range(0, len(data) - block + 1, block):
        if data.find(nl, at, at + block) >= 0:
            continue
        first = data.rfind(nl, 0, at) + 1
        line += data.count(nl, counted, first)  # candidates only move forward: linear overall
        counted = first
        if line == done or line not in grid.index:
            continue
        done = line
        if max(map(len, grid.loc[line].tolist())) > limit:
            _refuse_long_cell(path, line, limits)


def _refuse_unclosed_quote(text: str, start_line: int, sep: str, path: Path) -> None:
    """Refuse a file whose last record opens a quote that never closes."""
    lines = text.split("\n")
    tail = "\n".join(lines[start_line - 1:])
    try:
        with _csv_field_limit(max(len(tail), 1)):
            for _rec in csv.reader(io.StringIO(tail), delimiter=sep, strict=True):
                pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
        n = len(lines) - start_line + (0 if text.endswith("\n") else 1)
        msg = (f"{path}: line {start_line:,}: a quote (\") opens a cell that never closes, so "
               f"the {n:,} lines from there to the end would be read as one cell; close the "
               f"quote or remove it")
        raise UnreadableFileError(msg, file=str(path)) from exc


def _check_columns(path: Path, line: int, n: int, limits: Limits) -> None:
    if n > limits.max_columns:
        msg = (f"{path}: line {line:,} has more than {limits.max_columns:,} cells, the limit "
               f"(a line of stray separators? pass max_columns= / --limit-columns to raise "
               f"it)")
        raise LimitExceededError(msg, file=str(path))


def _check_rows(path: Path, sheet: str | None, rows: int, max_rows: int) -> None:
    if rows > max_rows:
        where = f"{path}" + (f" [{sheet}]" if sheet else "")
        msg = (f"{where}: {rows:,} rows, above the limit of {max_rows:,} rows "
               f"(pass max_rows= / --limit-rows to raise it)")
        raise LimitExceededError(msg, file=str(path), sheet=sheet)


_DTD: Final = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_ENCODING: Final = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_WIDE_BOMS: Final = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                     codecs.BOM_UTF16_BE)


_TAG: Final = re.compile(rb"<[^>]*>")
_ENTITY: Final = re.compile(rb"&(?:#x?[0-9A-Fa-f]+|\w+);")


def _text_chars(xml: bytes) -> int:
    """Characters of the text in an XML fragment (tags removed, an entity counts once)."""
    text = _ENTITY.sub(b"_", _TAG.sub(b"", xml))
    return len(text.decode("utf-8", "replace"))


def _check_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path,
                          max_chars: int) -> None:
    """Refuse a shared string above ``max_chars``, streaming the part (bounded memory).

    The reader copies a shared string into every cell that references it, so one huge string
    referenced many times is a memory bomb in a tiny file.
    """
    def refuse(n: int | None) -> None:
        size = f"of {n:,} characters" if n is not None else f"of more than {cap:,} bytes"
        msg = (f"{path}: part {info.filename!r} holds a text {size}, above the limit of "
               f"{max_chars:,} characters per cell; the file is refused (copied into every "
               f"cell that uses it, it could exhaust memory; pass max_cell_chars= / "
               f"--limit-cell-chars to raise it).")
        raise LimitExceededError(msg, file=str(path))

    cap = max(8 << 20, 4 * max_chars)  # bytes of one unfinished <si>: 4 per character at most
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            pieces = (tail + chunk).split(b"</si>")
            tail = pieces.pop() if chunk else b""
            for si in pieces:
                if len(si) > max_chars:
                    n = _text_chars(si[si.rfind(b"<si"):] if b"<si" in si else si)
                    if n > max_chars:
                        refuse(n)
            if len(tail) > cap:
                refuse(None)
            if not chunk:
                return


def _foreign_xml_encoding(head: bytes) -> str | None:
    """The encoding of an XML part whose bytes are not ASCII-compatible (UTF-16, UTF-32,
    EBCDIC…), or None. Such a part is refused: the reader reads it as empty, and no byte
    search (for a DTD, a dimension) can see inside it."""
    if head.startswith(_WIDE_BOMS) or b"\x00" in head[:4]:
        return "UTF-16/UTF-32"
    m = _XML_ENCODING.match(head)
    if m is None:
        return None
    name = m.group(1).decode("ascii")
    try:
        ascii_compatible = "<?xml =\"'>".encode(name) == b"<?xml =\"'>"
    except (LookupError, UnicodeError):
        return name
    return None if ascii_compatible else name


def _worksheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (``xl/worksheets/sheet1.xml``) -> sheet name, from the workbook XML."""
    try:
        wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - unusual package: names are only for messages
        return {}
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        rid = re.search(r'\bId="([^"]+)"', rel.group(0))
        tgt = re.search(r'\bTarget="([^"]+)"', rel.group(0))
        if rid and tgt:
            t = tgt.group(1).lstrip("/")
            targets[rid.group(1)] = t if t.startswith("xl/") else f"xl/{t}"
    out = {}
    for sh in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb):
        name = re.search(r'\bname="([^"]*)"', sh.group(0))
        rid = re.search(r'\br:id="([^"]+)"', sh.group(0))
        if name and rid and rid.group(1) in targets:
            out[targets[rid.group(1)]] = html.unescape(name.group(1))
    return out


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


_DIMENSION: Final = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


# The form every writer uses (``r`` first, no namespace prefix), searched fast; any other form
# in a chunk sends that chunk through the general patterns.
_ROW_NUMBER_FAST: Final = re.compile(rb'<row r="(\d+)"')
_WIDE_CELL_FAST: Final = re.compile(rb'<c r="([A-Z]{2,})\d')
_ROW_NUMBER: Final = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_WIDE_CELL: Final = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{2,})\d')
_EXCEL_COLUMNS: Final = 16_384  # XFD


def _sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Rows and columns a sheet part really spans, from its cells (streamed, bounded memory).

    Never from ``<dimension>`` alone: a file can understate it and hide a stray cell at
    ``XFD1048576``. Rows: the largest row number, or the number of rows if larger. Columns:
    the widest cell reference of two or more letters, else 26; and at least what
    ``<dimension>`` says.
    """
    rows = n_rows = cols = 0
    carry = b""
    with zf.open(info) as fh:
        first = True
        while True:
            chunk = fh.read(1 << 20)
            buf = carry + chunk
            cut = buf.rfind(b"<") if chunk else len(buf)
            if cut <= 0 or len(buf) - cut > 1 << 16:
                cut = len(buf)
            work, carry = buf[:cut], buf[cut:]
            if first:
                first = False
                m = _DIMENSION.search(work[:8192])
                if m:
                    c1, r1, c2, r2 = m.groups()
                    rows, cols = int(r2 or r1), _col_number(c2 or c1)
            n_row_tags = work.count(b"<row ")
            plain = (n_row_tags == work.count(b'<row r="')
                     and work.count(b"<c ") == work.count(b'<c r="')
                     and b":row" not in work and b":c " not in work)
            row_rx, cell_rx = ((_ROW_NUMBER_FAST, _WIDE_CELL_FAST) if plain
                               else (_ROW_NUMBER, _WIDE_CELL))
            numbers = row_rx.findall(work)
            if numbers:
                rows = max(rows, max(map(int, numbers)))
            n_rows += n_row_tags + work.count(b":row ")
            letters = set(cell_rx.findall(work))
            if letters:
                cols = max(cols, max(_col_number(w) for w in letters))
            if not chunk:
                break
    return max(rows, n_rows), max(cols, 26)


def _refuse_wide_sheet(where: str, cols: int, limits: Limits, path: Path,
                       sheet: str | None) -> None:
    msg = (f"{where}: a cell lies in column {cols:,}, above the limit of "
           f"{limits.max_columns:,} columns (pass max_columns= / --limit-columns to raise it).")
    raise LimitExceededError(msg, file=str(path), sheet=sheet)


def _check_sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path,
                        sheet: str | None, limits: Limits) -> None:
    """Refuse a sheet whose used range is absurdly large before the reader allocates it.

    The workbook reader holds a sheet as one dense block from its first to its last used
    cell, so a single stray value at ``XFD1048576`` (a Ctrl+End accident) would ask for 17
    billion cells. The extent comes from the cells themselves (:func:`_sheet_extent`); a
    column beyond ``XFD`` is refused outright.
    """
    try:
        rows, cols = _sheet_extent(zf, info)
    except Exception:  # noqa: BLE001 - a damaged part: the reader decides
        return
    where = f"{path}" + (f" [{sheet}]" if sheet else f" ({info.filename})")
    if cols > _EXCEL_COLUMNS:
        msg = (f"{where}: a cell lies in column {cols:,}, beyond Excel's last column XFD "
               f"({_EXCEL_COLUMNS:,}); no spreadsheet writes that, so the file is refused.")
        raise LimitExceededError(msg, file=str(path), sheet=sheet)
    if cols > max(limits.max_columns, 26):  # narrower: measured once read (_check_width)
        _refuse_wide_sheet(where, cols, limits, path, sheet)
    max_cells = 5 * limits.max_rows
    if rows * cols > max_cells:
        msg = (f"{where}: the sheet's used range spans {rows:,} rows x {cols:,} columns "
               f"({rows * cols:,} cells), above the limit of {max_cells:,} cells. Usually a "
               f"stray value far from the table: in Excel press Ctrl+End to find it, delete "
               f"those rows/columns and save (or pass a larger max_rows=).")
        raise LimitExceededError(msg, file=str(path), sheet=sheet)


def _check_workbook_container(path: Path, limits: Limits) -> None:
    """Refuse a zip bomb (unpacked size above ``max_bytes``) and XML with a DTD.

    An .xlsx is a zip of XML parts. Excel never writes a document type declaration, and one
    is how entity-expansion ("billion laughs") attacks are carried, so any part that has one
    is refused (python-calamine does not expand custom entities either: two safeguards).
    Files that are not zips (.xls, junk) are left to the workbook reader.
    """
    try:
        zf = zipfile.ZipFile(path)
    except Exception:  # noqa: BLE001 - not a (supported) zip: the workbook reader decides
        return
    with zf:
        try:
            infos = zf.infolist()
        except Exception:  # noqa: BLE001 - a damaged directory: the reader will refuse it
            return
        unpacked = sum(max(i.file_size, 0) for i in infos)
        max_bytes = limits.max_bytes
        if unpacked > max_bytes:
            msg = (f"{path}: the workbook unpacks to {unpacked / 1024**2:,.0f} MiB, above the "
                   f"limit of {max_bytes / 1024**2:,.0f} MiB (a zip bomb, or a huge sheet; "
                   f"pass max_bytes= / --limit-mb to raise it)")
            raise LimitExceededError(msg, file=str(path))
        sheet_names = _worksheet_names(zf)
        for info in infos:
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                _check_sheet_extent(zf, info, path, sheet_names.get(info.filename), limits)
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with zf.open(info) as fh:
                    head = fh.read(4096)
            except Exception:  # noqa: BLE001, S112 - unreadable part: the reader decides
                continue
            foreign = _foreign_xml_encoding(head)
            if foreign is not None:
                sheet = sheet_names.get(info.filename)
                where = f" (sheet {sheet!r})" if sheet else ""
                msg = (f"{path}: part {info.filename!r}{where} is encoded in {foreign}, which "
                       f"the workbook reader cannot read (it would read as empty); the file "
                       f"is refused. Re-save it from Excel or export it as CSV.")
                raise UnreadableFileError(msg, file=str(path), sheet=sheet)
            if _DTD.search(head):
                msg = (f"{path}: part {info.filename!r} contains an XML document type "
                       f"declaration (<!DOCTYPE/<!ENTITY>), which Excel never writes and "
                       f"which can hide an entity-expansion bomb; the file is refused. "
                       f"Re-save it from Excel or export it as CSV.")
                raise UnreadableFileError(msg, file=str(path))
            if re.fullmatch(r"xl/sharedStrings\d*\.xml", info.filename, re.IGNORECASE):
                try:
                    _check_shared_strings(zf, info, path, limits.max_cell_chars)
                except LimitExceededError:
                    raise
                except Exception:  # noqa: BLE001, S112 - a damaged part: the reader decides
                    continue


def _check_encoding(encoding: str | None) -> None:
    if encoding is None:
        return
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        msg = f"unknown encoding {encoding!r} (e.g. 'utf-8', 'cp1252', 'latin-1')"
        raise ConfigError(msg) from exc


def _decode(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            msg = f"{path}: cannot decode as {encoding}: {exc}"
            raise UnreadableFileError(msg, file=str(path)) from exc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff_sep(head: list[str]) -> str:
    semi = sum(line.count(";") for line in head)
    comma_lines = [line for line in head if line.count(",") >= 2]
    if semi >= max(2, len(head) // 4):
        return ";"
    if any(line.count("\t") >= 2 for line in head) and not comma_lines:
        return "\t"
    return ","


def _load_csv(path: Path, *, encoding: str | None, sep: str | None, limits: Limits) -> _Sheet:
    _check_size(path, limits.max_bytes)
    data = _read_bytes(path, limits.max_bytes)
    if b"\x00" in data[:65536]:
        msg = (f"{path}: not a text CSV (it contains binary data); if it is an Excel file, "
               f"give it an .xlsx/.xls name")
        raise UnreadableFileError(msg, file=str(path))
    if encoding is None and data.isascii():
        # ASCII is valid UTF-8 (and cp1252): no need to decode the whole file up front.
        text: str | None = None
        enc = "utf-8"
        head_text = data[:200_000].decode("ascii")
    else:
        text, enc = _decode(data, path, encoding)  # validates the encoding of the whole file
        head_text = text[:200_000]
    lone_cr = b"\r" in data and data.count(b"\r") != data.count(b"\r\n")
    if lone_cr:
        text = (text if text is not None else data.decode("ascii"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        head_text = text[:200_000]
    head = head_text.replace("\r\n", "\n").split("\n")[:300]
    sep = sep or _sniff_sep(head)
    width = 1
    try:
        for line, rec in _csv_records(head, sep, path, limits):
            _check_columns(path, line, len(rec), limits)
            width = max(width, len(rec))
    except _CellTooLong:
        pass  # the whole file's parse below names the line, or the quote that never closes
    if lone_cr:
        assert text is not None
        n_lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    else:
        n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    _check_rows(path, None, n_lines, limits.max_rows)
    grid: pd.DataFrame | None = None
    py_enc = {"utf-8": "utf-8-sig"}.get(enc, enc)
    # As wide as the widest of the first lines (every extra column costs a million empty
    # strings); a wider line further down makes the C parser stop, naming its width: then
    # the file is read again that wide (rarely more than once).
    for _attempt in range(3):
        # The C parser reads the bytes and decodes them itself (much faster than from a str);
        # old-Mac lone CR line ends go through the decoded text instead.
        source: Any = io.StringIO(text) if lone_cr else io.BytesIO(data)
        try:
            grid = pd.read_csv(source, sep=sep, header=None, names=range(width),
                               dtype=object, keep_default_na=False, na_filter=False,
                               skip_blank_lines=False, engine="c", quotechar='"',
                               encoding=None if lone_cr else py_enc)
            break
        except pd.errors.ParserError as exc:
            wider = re.search(r"Expected \d+ fields in line (\d+), saw (\d+)", str(exc))
            if wider is None or int(wider.group(2)) <= width:
                break
            _check_columns(path, int(wider.group(1)), int(wider.group(2)), limits)
            width = int(wider.group(2)) + 2  # room for a few more without another read
        except (ValueError, UnicodeDecodeError):
            break
    if grid is None or len(grid) != n_lines:
        # Slow path: more fields further down, or quoted line breaks. csv tells where each
        # record starts, so row numbers stay the lines a person sees in an editor.
        if text is None:
            text = data.decode("ascii")
        rows, starts = [], []
        try:
            for start, rec in _csv_records(io.StringIO(text), sep, path, limits):
                _check_columns(path, start, len(rec), limits)
                starts.append(start)
                rows.append(rec)
        except _CellTooLong as exc:
            _refuse_unclosed_quote(text, exc.line, sep, path)
            _refuse_long_cell(path, exc.line, limits)
        if starts:
            _refuse_unclosed_quote(text, starts[-1], sep, path)
        width = max((len(r) for r in rows), default=1)
        rows = [r + [""] * (width - len(r)) for r in rows]  # ragged rows: pad, never guess
        grid = pd.DataFrame(rows, dtype=object)
        grid.index = pd.Index(starts, dtype="int64")
    else:
        grid.index = pd.RangeIndex(1, len(grid) + 1)
        _check_cell_chars(text if text is not None else data, grid, path, limits)
    grid.columns = range(grid.shape[1])
    sheet = _Sheet(_display(path), "", grid)
    sheet.meta.update(encoding=enc, separator=sep, text=True)  # every cell is a str
    return sheet


def _is_reader_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is the workbook reader failing on a file (to report, not to crash on).

    Besides its own errors, the native reader panics on some damaged files; pyo3 turns the
    panic into ``pyo3_runtime.PanicException``, a ``BaseException`` that ``except Exception``
    lets through (an interrupt or exit is never swallowed).
    """
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _load_excel(path: Path, *, sheets: Sequence[str] | None, limits: Limits) -> list[_Sheet]:
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 (import cost only when needed)

    _check_size(path, limits.max_bytes)
    _check_workbook_container(path, limits)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # calamine's own error types, or a panic on a damaged file
        if not _is_reader_failure(exc):
            raise
        kind = "a binary .xls" if path.suffix.lower() == ".xls" else "an Excel"
        msg = (f"{path}: cannot be opened as {kind} workbook ({type(exc).__name__}: {exc}). "
               f"Is it really a spreadsheet? Re-save it from Excel as .xlsx or export it as CSV.")
        raise UnreadableFileError(msg, file=str(path)) from exc
    names = list(wb.sheet_names)
    if not names:
        msg = (f"{path}: the workbook lists no sheets (its part xl/workbook.xml is missing, "
               f"damaged or empty); nothing can be read. Re-save it from Excel or export it as "
               f"CSV.")
        raise UnreadableFileError(msg, file=str(path))
    if sheets is not None:
        missing = [s for s in sheets if s not in names]
        if missing:
            msg = f"{path}: no sheet named {missing}; the workbook has {names}"
            raise ExportFormatError(msg, file=str(path))
        names = [s for s in names if s in sheets]
    out = []
    for name in names:
        try:
            sh = wb.get_sheet_by_name(name)
            _check_rows(path, name, int(sh.height), limits.max_rows)
            rows = sh.to_python(skip_empty_area=False)
            if rows and len(rows[0]) > limits.max_columns:
                _refuse_wide_sheet(f"{path} [{name}]", len(rows[0]), limits, path, name)
            merged = list(sh.merged_cell_ranges or [])
        except LimitExceededError:
            raise
        except BaseException as exc:
            if not _is_reader_failure(exc):
                raise
            msg = f"{path} [{name}]: the sheet cannot be read ({type(exc).__name__}: {exc})"
            raise UnreadableFileError(msg, file=str(path), sheet=name) from exc
        grid = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
        grid.index = pd.RangeIndex(1, len(grid) + 1)
        grid.columns = range(grid.shape[1])
        out.append(_Sheet(_display(path), name, grid, merged))
    return out


def _looks_like_html(path: Path) -> bool:
    """Whether a file is an HTML table whatever its name: web applications serve their
    reports as ``<table>`` pages named ``.xls`` (Excel opens them without complaint)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    text = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head",
                            b"<?xml")) and (b"<table" in head.lower() or b"<html" in head.lower())


def _cell_text(cell: Any) -> str:
    """A table cell's text as a person sees it: ``<br>`` as a line break, spaces folded."""
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = "".join(cell.itertext())
    lines = [re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


#: Cells that ``rowspan``/``colspan`` may cover in one table: far beyond any report, and a
#: bound on what a hostile page can make the reader hold.
MAX_HTML_SPANNED: Final = 1_000_000


def _span(value: object) -> int:
    """A ``rowspan``/``colspan`` value as a count (junk or below 1 counts as 1)."""
    m = re.match(r"\s*(\d{1,7})", str(value or ""))
    return max(int(m.group(1)), 1) if m else 1


def _load_html(path: Path, *, limits: Limits) -> list[_Sheet]:
    """Each ``<table>`` of an HTML file as a sheet (``tabel 1``, …): merged cells
    (``colspan``/``rowspan``) become merged ranges, as in a workbook."""
    from lxml import etree, html  # noqa: PLC0415 (import cost only when needed)

    _check_size(path, limits.max_bytes)
    data = _read_bytes(path, limits.max_bytes)
    try:
        doc = html.document_fromstring(data, parser=html.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, huge_tree=False))
    except (etree.ParserError, ValueError) as exc:
        msg = f"{path}: cannot be read as an HTML table ({exc})"
        raise UnreadableFileError(msg, file=str(path)) from exc
    tables = [t for t in doc.iter("table") if t.find(".//table") is None]  # innermost
    if not tables:
        msg = f"{path}: an HTML page without a table; nothing can be read"
        raise UnreadableFileError(msg, file=str(path))
    out = []
    for k, table in enumerate(tables, start=1):
        name = f"tabel {k}" if len(tables) > 1 else ""
        rows: list[list[str]] = []
        merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        pending: dict[tuple[int, int], str] = {}  # cells covered by a rowspan from above
        spanned = 0
        for r, tr in enumerate(table.iter("tr")):
            row: list[str] = []
            c = 0
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in pending:
                    row.append(pending.pop((r, c)))
                    c += 1
                span_c = _span(cell.get("colspan"))
                span_r = _span(cell.get("rowspan"))
                spanned += span_c * span_r
                if spanned > MAX_HTML_SPANNED:
                    msg = (f"{path}: the table's merged cells (rowspan/colspan) cover more than "
                           f"{MAX_HTML_SPANNED:,} cells; no report does, so the file is refused")
                    raise LimitExceededError(msg, file=str(path))
                row.append(_cell_text(cell))
                row.extend([""] * (span_c - 1))
                if span_c > 1 or span_r > 1:
                    merged.append(((r, c), (r + span_r - 1, c + span_c - 1)))
                for dr in range(1, span_r):
                    for dc in range(span_c):
                        pending[(r + dr, c + dc)] = ""
                c += span_c
                _check_columns(path, r + 1, c, limits)
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            rows.append(row)
            _check_rows(path, name or None, len(rows), limits.max_rows)
        width = max((len(r) for r in rows), default=0)
        grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
        grid = grid.replace("", None)
        grid.index = pd.RangeIndex(1, len(grid) + 1)
        grid.columns = range(grid.shape[1])
        sheet = _Sheet(_display(path), name, grid, merged)
        sheet.notes.append(f"{_display(path)}{f' [{name}]' if name else ''}: an HTML table "
                           f"(saved with the name {path.name!r}); read as a sheet")
        out.append(sheet)
    return out


def _load(path: Path, *, sheets: Sequence[str] | None, encoding: str | None, sep: str | None,
          limits: Limits) -> list[_Sheet]:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm") or (suffix != ".csv" and _looks_like_html(path)):
        return _load_html(path, limits=limits)
    if suffix == ".csv":
        return [_load_csv(path, encoding=encoding, sep=sep, limits=limits)]
    return _load_excel(path, sheets=sheets, limits=limits)


def _load_all(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
              sheets: Sequence[str] | None, encoding: str | None, sep: str | None,
              limits: Limits, forgiving: bool = False
              ) -> Iterator[tuple[Path, bool, list[_Sheet] | DakMonitorError]]:
    """Each file to read (once, however often it was given), with its loaded sheets.

    ``forgiving``: a file found in a folder that cannot be loaded comes with its error
    instead of its sheets (a file named on its own always raises).
    """
    _check_encoding(encoding)
    for path, in_folder, times in _discover(paths):
        try:
            if not path.is_file():
                msg = (f"{path}: not a regular file (a device, pipe, socket or broken link is "
                       f"never read)")
                raise UnreadableFileError(msg, file=str(path))
            loaded = _load(path, sheets=sheets, encoding=encoding, sep=sep, limits=limits)
        except DakMonitorError as exc:
            if not (forgiving and in_folder):
                raise
            yield path, in_folder, exc
            continue
        if times > 1:
            for sheet in loaded:
                sheet.notes.append(f"{sheet.file}: given {times} times; read once")
        yield path, in_folder, loaded


# ================================================================================ headers
def _norm_label(value: object) -> str:
    """Fold a header cell: case, line breaks, spaces, dots, ``(Rp)``, ``(%)`` and unit words
    (``(Rp. Dalam Ribuan)``, ``(Juta Rp)``: the unit is read separately, per column)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    t = strip_unit(str(value).replace("\u00a0", " ")).lower()
    t = re.sub(r"[\r\n\t]+", " ", t)
    t = re.sub(r"\(\s*%\s*\)", " % ", t)
    t = re.sub(r"\(\s*rp\.?\s*\)|\brp\b\.?", " ", t)
    t = t.replace(".", " ").replace("_", " ")
    t = re.sub(r"\s*/\s*", "/", t)
    t = re.sub(r"\s+", " ", t).strip(" :-*")
    return t


def _alias_lookup(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for canon, spellings in aliases.items():
        if isinstance(spellings, str):
            spellings = [spellings]
        for s in (canon.replace("_", " "), *spellings):
            key = _norm_label(s)
            if not key:
                continue
            if lookup.get(key, canon) != canon:
                msg = (f"header alias {s!r} is given for both {lookup[key]!r} and {canon!r}; "
                       f"each spelling must map to one column")
                raise ConfigError(msg)
            lookup[key] = canon
    return lookup


@dataclass(slots=True)
class _Header:
    rows: list[int]  # physical row numbers of the header rows
    columns: dict[str, list[int]]  # canonical -> grid column positions (left to right)
    labels: dict[int, str]  # grid column -> header text (joined rows)
    score: tuple[int, int]
    raw: dict[int, set[str]] = field(default_factory=dict)  # column -> header cell texts
    budget_codes: list[int] = field(default_factory=list)  # a budget "Kode" spread (hierarchy)


def _fill_merged(top: pd.DataFrame, merged: Sequence[Any], first_row: int,
                 sheet: _Sheet | None = None) -> pd.DataFrame:
    """Copy the value of each merged range into all of its cells (header area only).

    Each range is applied once (a file may repeat one range 400,000 times) and the work is
    bounded: valid merged ranges never overlap, so ranges covering more cells than the area
    holds are refused rather than filled cell by cell.
    """
    if not merged:
        return top
    last_row = first_row + len(top) - 1
    ncols = top.shape[1]
    jobs = []
    area = 0
    for (r0, c0), (r1, c1) in dict.fromkeys((tuple(a), tuple(b)) for a, b in merged):
        # calamine ranges are 0-based (row, col); grid rows are 1-based.
        if r0 + 1 > last_row or r1 + 1 < first_row or c0 >= ncols or r1 < r0 or c1 < c0:
            continue
        lo, hi, right = max(r0 + 1, first_row), min(r1 + 1, last_row), min(c1, ncols - 1)
        area += (hi - lo + 1) * (right - c0 + 1)
        if area > 2 * top.size:
            where = f"{sheet.file} [{sheet.sheet}]" if sheet is not None else "the sheet"
            msg = (f"{where}: its merged cell ranges overlap (they cover the header rows "
                   f"more than once), which Excel never writes; the file is refused. "
                   f"Re-save it from Excel or export it as CSV.")
            raise UnreadableFileError(msg, file=sheet.file if sheet else None,
                                      sheet=(sheet.sheet or None) if sheet else None)
        jobs.append((r0 + 1, lo, hi, c0, right))
    if not jobs:
        return top
    arr = top.to_numpy(dtype=object, copy=True)
    for r_first, lo, hi, c0, right in jobs:
        if r_first < first_row:
            continue  # the value sits above the area
        value = arr[r_first - first_row, c0]
        if value is None or value == "":
            continue
        arr[lo - first_row:hi - first_row + 1, c0:right + 1] = value
    return pd.DataFrame(arr, index=top.index, columns=top.columns)


def _row_labels(top: pd.DataFrame) -> np.ndarray:
    cache: dict[object, str] = {}
    arr = top.to_numpy(dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for (i, j), v in np.ndenumerate(arr):
        key = v if isinstance(v, (str, int, float)) else repr(v)
        lab = cache.get(key)
        if lab is None:
            lab = cache[key] = _norm_label(v)
        out[i, j] = lab
    return out


def _match_row(labels: Sequence[str], lookup: Mapping[str, str]) -> dict[str, list[int]]:
    cols: dict[str, list[int]] = {}
    for j, lab in enumerate(labels):
        canon = lookup.get(lab)
        if canon:
            cols.setdefault(canon, []).append(j)
    return cols


def _match_two_rows(upper: Sequence[str], lower: Sequence[str],
                    lookup: Mapping[str, str]) -> dict[str, list[int]]:
    # A group label in the upper row spans the empty cells to its right that have a sub-label
    # below (CSV has no merge information; merged cells were filled already).
    up = list(upper)
    for j in range(1, len(up)):
        if not up[j] and lower[j] and up[j - 1] and (lower[j - 1] or j >= 2):
            up[j] = up[j - 1]
    cols: dict[str, list[int]] = {}
    claimed: set[int] = set()
    for pass_ in ("joined", "lower", "upper"):
        for j, (u, lo) in enumerate(zip(up, lower, strict=True)):
            if j in claimed:
                continue
            joined = u if u == lo else f"{u} {lo}".strip()  # a cell merged down both rows
            lab = {"joined": joined, "lower": lo, "upper": u}[pass_]
            if pass_ == "upper" and lo:
                continue  # a sub-labelled column is not its group label
            canon = lookup.get(lab)
            if canon and (pass_ == "joined" or canon not in cols):
                cols.setdefault(canon, []).append(j)
                claimed.add(j)
    return cols


def _score(cols: Mapping[str, list[int]], required: Sequence[str]) -> tuple[int, int]:
    return (sum(1 for r in required if r in cols), len(cols))


def _locate_header(sheet: _Sheet, lookup: Mapping[str, str], required: Sequence[str],
                   search_rows: int) -> _Header | None:
    grid = sheet.grid
    if grid.empty:
        return None
    cached = sheet.meta.get("top")
    if cached is None or cached[0] != search_rows:
        top = grid.iloc[:search_rows]
        top = _fill_merged(top, sheet.merged, int(top.index[0]), sheet)
        sheet.meta["top"] = cached = (search_rows, top, _row_labels(top))
    _, top, labels = cached
    best: _Header | None = None
    for i in range(len(top)):
        row = labels[i]
        if sum(1 for v in row if v) < 2:
            continue
        cands = [([int(top.index[i])], _match_row(row, lookup), row)]
        if i + 1 < len(top) and not _context_row(row, labels[i + 1]):
            two = _match_two_rows(row, labels[i + 1], lookup)
            joined = [a if a == b else f"{a} {b}".strip()
                      for a, b in zip(row, labels[i + 1], strict=True)]
            cands.append(([int(top.index[i]), int(top.index[i + 1])], two, joined))
        for rows, cols, joined_labels in cands:
            sc = _score(cols, required)
            if sc[1] < 2:
                continue
            if best is None or sc > best.score:
                best = _Header(rows, cols, {j: str(v) for j, v in enumerate(joined_labels) if v},
                               sc)
    if best is not None:
        cells = top.loc[best.rows]
        for j in cells.columns:
            texts = {str(v).strip().lower() for v in cells[j] if v is not None and str(v).strip()}
            if texts:
                best.raw[int(j)] = texts
    return best


def _context_row(upper: Sequence[str], lower: Sequence[str]) -> bool:
    """Whether ``upper`` is a context line merged over the whole table (``Unit Organisasi :
    …``) rather than a header level: one value over every column the row below fills. Such a
    line is title information, never glued into the header names below it."""
    below = [j for j, v in enumerate(lower) if v]
    if len(below) < 3:
        return False
    values = {upper[j] for j in below if j < len(upper)}
    return len(values) == 1 and "" not in values


def _close_matches(missing: Sequence[str], header: _Header,
                   aliases: Mapping[str, Sequence[str]]) -> str:
    used = {j for cols in header.columns.values() for j in cols}
    free = [lab for j, lab in header.labels.items() if j not in used]
    hints = []
    for canon in missing:
        spellings = [_norm_label(s) for s in (canon, *aliases.get(canon, ()))]
        for lab in free:
            if difflib.get_close_matches(lab, spellings, n=1, cutoff=0.75):
                hints.append(f"{lab!r} looks like {canon!r}")
    return ("; close matches: " + ", ".join(hints)) if hints else ""


# ====================================================================== row classification
_TOTAL_RX: Final = re.compile(
    r"(?i)^\s*(grand\s*total|total(\s+(keseluruhan|seluruhnya|akhir|umum))?|"
    r"jumlah(\s+(total|keseluruhan|seluruhnya|umum|akhir))?|jml|total\s+provinsi.*|"
    r"jumlah\s+provinsi.*|total\s+dan\s+catatan.*)\s*:?\s*$")
_SUBTOTAL_RX: Final = re.compile(r"(?i)^\s*(sub\s*-?\s*total|jumlah|total|jml)\b")
_NOTE_RX: Final = re.compile(
    r"(?i)^\s*(sumber\s*(data)?\s*:|sumber\b|catatan\s*:|keterangan\s*:|ket\s*:|mengetahui|"
    r"nip\b|nip\.|kepala\b|plt\.?\b|dicetak|diunduh|tanggal cetak|dibuat oleh|disetujui|"
    r"diperiksa|an\.\s|a\.n\.|[A-Z][a-z]+,\s*\d{1,2}\s+\w+\s+\d{4}$)")
_NUMERIC_RX: Final = re.compile(r"^\s*\(?-?(rp\.?\s*)?[\d.,]+\)?%?\s*$", re.IGNORECASE)


def _nonempty(col: pd.Series, *, text: bool = False) -> np.ndarray:
    """Non-empty cells of one column (not missing, not blank text).

    ``text=True`` (a CSV grid: every cell is a ``str``): empty or a single space is empty. A
    longer run of spaces counts as content there; checking every cell for it would cost a pass
    over the column, and such a row still cannot slip through: validation reports its missing
    values.
    """
    arr = col.to_numpy(dtype=object)
    if text:
        return (arr != "") & (arr != " ")
    return np.fromiter(
        ((v.strip() != "") if type(v) is str else not (v is None or v != v) for v in arr),
        dtype=bool, count=len(arr))


def _ne_matrix(grid: pd.DataFrame, *, text: bool = False) -> np.ndarray:
    """Non-empty cells, rows x columns; column-major, as it is mostly read a column at a time."""
    out = np.zeros(grid.shape, dtype=bool, order="F")
    for j, c in enumerate(grid.columns):
        out[:, j] = _nonempty(grid[c], text=text)
    return out


def _first_text(body: pd.DataFrame, ne: np.ndarray) -> pd.Series:
    """The first non-empty cell of each row, as text ("" for blank rows)."""
    first = np.full(len(body), "", dtype=object)
    pending = np.ones(len(body), dtype=bool)
    for j in range(body.shape[1]):
        take = pending & ne[:, j]
        if take.any():
            first[take] = body.iloc[:, j].to_numpy(dtype=object)[take]
            pending &= ~take
        if not pending.any():
            break
    return pd.Series(first, index=body.index, dtype=object)


def _choose_columns(grid: pd.DataFrame, header: _Header, notes: list[str], label: str) -> None:
    """Columns chosen as an analyst would, each choice stated in the notes.

    A bare ``Kode`` whose cells are not region codes (``2``, ``14``, ``03``: a budget code
    spread over several columns, as SIPD prints it) is the hierarchy's code, never the region.
    Of two budget columns (``RKA SIPD`` and ``DPA SIMDA``, or one label twice), ``pagu`` is the
    authorised one: DPA, else the second.
    """
    body = grid.loc[header.rows[-1] + 1:]
    kode = header.columns.get(C.KODE_WILAYAH, [])
    if kode and _norm_label(header.labels.get(kode[0], "")) == "kode" and len(body):
        cells = body.iloc[:, kode[0]]
        cells = cells[cells.notna() & (cells.astype(str).str.strip() != "")]
        codes, bad = normalize_region_code(cells.astype(object))
        if len(cells) and codes.notna().sum() < 0.5 * len(cells):
            used = {j for cols in header.columns.values() for j in cols}
            spread = sorted(kode)  # "Kode" merged over its columns labels each of them
            for j in range(spread[-1] + 1, min(spread[-1] + 8, grid.shape[1])):
                if j in used or header.labels.get(j):
                    break
                spread.append(j)
            del header.columns[C.KODE_WILAYAH]
            header.budget_codes = spread
            notes.append(f"{label}: the 'Kode' column{'s' if len(spread) > 1 else ''} "
                         f"{col_letter(spread[0])}" + (f"-{col_letter(spread[-1])}"
                                                       if len(spread) > 1 else "")
                         + " hold budget codes (urusan, program, kegiatan…), not region codes; "
                           "the rows with fewer code cells are levels of the hierarchy")
    pagu = header.columns.get(C.PAGU, [])
    if len(pagu) > 1:
        labs = [_norm_label(header.labels.get(j, "")) for j in pagu]
        if any("dpa" in lab or "rka" in lab for lab in labs):
            pick = next((j for j, lab in zip(pagu, labs, strict=True) if "dpa" in lab), pagu[-1])
            others = [header.labels.get(j, "") for j in pagu if j != pick]
            header.columns[C.PAGU] = [pick]
            notes.append(f"{label}: pagu is {header.labels.get(pick)!r} (column "
                         f"{col_letter(pick)}), the authorised budget; "
                         f"{', '.join(repr(o) for o in others)} not used")


_FUNDING_RX: Final = {
    C.NONFISIK: re.compile(r"(?i)dak\s*non\s*-?\s*fisik|bantuan\s+operasional\s+keluarga|\bbokb\b"),
    C.FISIK: re.compile(r"(?i)dak\s*fisik|dana\s+alokasi\s+khusus\s+fisik"),
}


def _funding_column(header: _Header) -> int | None:
    """The ``Sumber Dana`` column of a header (not a canonical column: it filters rows)."""
    return next((j for j, lab in header.labels.items()
                 if _norm_label(lab) in ("sumber dana", "sumber pendanaan")), None)


def _funding_kind(grid: pd.DataFrame, header: _Header) -> str | None:
    """The DAK a sheet's ``Sumber Dana`` cells name (BOKB beats a title's "Realisasi Fisik")."""
    j = _funding_column(header)
    if j is None:
        return None
    text = " ".join(str(v) for v in grid.loc[header.rows[-1] + 1:].iloc[:, j].dropna())
    for kind in (C.NONFISIK, C.FISIK):
        if _FUNDING_RX[kind].search(text):
            return kind
    return None


def _is_numbering(values: Sequence[object]) -> bool:
    nums = []
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        # "10 = (9 / 8) * 100": a numbered column with its formula
        s = re.sub(r"\s*=.*$", "", str(v).strip()).strip().strip("()")
        try:
            f = float(s)
        except ValueError:
            return False
        if not f.is_integer():
            return False
        nums.append(int(f))
    return len(nums) >= 3 and nums[0] in (0, 1) and all(b == a + 1 for a, b in zip(nums, nums[1:]))


def _classify(body: pd.DataFrame, nonempty: np.ndarray, header: _Header,
              value_cols: Sequence[int]) -> pd.Series:
    """Label each body row: data, blank, numbering, header, group, subtotal, total or note."""
    n = len(body)
    if n == 0:
        return pd.Series(np.empty(0, dtype=object), index=body.index)
    # Small integer codes while classifying (a million "data" strings are slow to compare).
    DATA, BLANK, HEADER, NUMBERING, TOTAL, SUBTOTAL, NOTE, GROUP = range(8)
    names = np.array(["data", "blank", "header", "numbering", "total", "subtotal", "note",
                      "group"], dtype=object)
    reason = np.zeros(n, dtype=np.int8)
    count = nonempty.sum(axis=1)
    reason[count == 0] = BLANK
    first = _first_text(body, nonempty)
    # Each distinct first cell is examined once (data rows mostly start with the same year).
    codes, uniques = pd.factorize(first, use_na_sentinel=False)
    u = pd.Series([str(x) for x in uniques], dtype=object)
    total = u.str.match(_TOTAL_RX).to_numpy(dtype=bool)[codes]
    sub = u.str.match(_SUBTOTAL_RX).to_numpy(dtype=bool)[codes] & ~total
    note = u.str.match(_NOTE_RX).to_numpy(dtype=bool)[codes]
    numeric_first = u.str.match(_NUMERIC_RX).to_numpy(dtype=bool)[codes]
    live = count > 0
    # Repeated header rows (page breaks) repeat the header cells' text; only rows whose
    # first cell is a header text can be one.
    mapped = sorted({j for cols in header.columns.values() for j in cols})
    all_texts = set().union(*header.raw.values()) if header.raw else set()
    u_low = u.str.strip().str.lower().isin(all_texts).to_numpy(dtype=bool)
    cand = np.flatnonzero(u_low[codes] & live)
    if mapped and len(cand):
        hits = np.zeros(len(cand), dtype=int)
        for j in mapped:
            texts = header.raw.get(j)
            if not texts or j not in body.columns:
                continue
            col = body[j].iloc[cand].astype(object)
            cell = pd.Series([str(v).strip().lower() if v is not None else "" for v in col])
            hits += cell.isin(texts).to_numpy(dtype=bool)
        reason[cand[hits >= max(2, len(mapped) // 2)]] = HEADER
    # Column-numbering rows directly under the header.
    for k in range(min(2, n)):
        if reason[k] == DATA and _is_numbering(body.iloc[k].tolist()):
            reason[k] = NUMBERING
    still = reason == DATA
    reason[still & total] = TOTAL
    reason[still & sub] = SUBTOTAL
    reason[still & note & ~total & ~sub] = NOTE
    single = still & (count == 1) & ~numeric_first & ~total & ~sub & ~note
    reason[single] = GROUP
    if header.budget_codes:
        # SIPD prints its hierarchy in how many code cells a row fills: urusan, bidang,
        # program, kegiatan carry subtotals with no "Jumlah" word; the fullest rows are data.
        filled = nonempty[:, header.budget_codes].sum(axis=1)
        deepest = int(filled.max()) if len(filled) else 0
        level = (reason == DATA) & (filled > 0) & (filled < deepest)
        reason[level] = GROUP
    # Everything below the last row that carries a value is notes/signature.
    if value_cols:
        has_value = np.zeros(n, dtype=bool)
        for j in value_cols:
            has_value |= nonempty[:, j]
    else:
        has_value = count >= 2
    data_like = (reason == DATA) & has_value
    valued = np.flatnonzero(data_like | (reason == TOTAL) | (reason == SUBTOTAL))
    last = valued[-1] if len(valued) else -1
    tail = reason[last + 1:]
    tail[tail != BLANK] = NOTE
    return pd.Series(names[reason], index=body.index)


def _realign(body: pd.DataFrame, nonempty: np.ndarray, header: _Header, data_rows: np.ndarray,
             notes: list[str], sheet_label: str) -> None:
    """Fix a header that stands one column right of its values (seen in real LRA templates).

    When every data cell under a mapped header is empty, and the column just left of it holds
    values but belongs to another header's (merged) span that has values in another column too,
    that column is read for this header instead.
    """
    def has_data(j: int) -> bool:
        return 0 <= j < nonempty.shape[1] and bool((nonempty[:, j] & data_rows).any())

    owner = {j: canon for canon, cols in header.columns.items() for j in cols}
    for canon, cols in list(header.columns.items()):
        if any(has_data(j) for j in cols):
            continue
        left = min(cols) - 1
        other = owner.get(left)
        if other is None or other == canon:
            continue
        rest = [j for j in header.columns[other] if j != left]
        if rest and any(has_data(j) for j in rest):
            header.columns[other] = rest
            header.columns[canon] = [left]
            owner[left] = canon
            notes.append(
                f"{sheet_label}: header {header.labels.get(min(cols), canon)!r} "
                f"(column {col_letter(min(cols))}) has no values below it; its values are "
                f"read from column {col_letter(left)}, one column to the left")


def _coalesce(body: pd.DataFrame, nonempty: np.ndarray, cols: Sequence[int],
              rows: np.ndarray) -> np.ndarray:
    """First non-empty cell across a header's columns, for the rows in mask ``rows``.

    None when all are empty. Works column by column on the unsliced body (no frame copy).
    """
    out: np.ndarray | None = None
    pending: np.ndarray | None = None
    every = bool(rows.all())
    for j in cols:
        col = body.iloc[:, j].to_numpy(dtype=object)
        arr = col if every else col[rows]  # a boolean index copies
        ne = nonempty[:, j] if every else nonempty[:, j][rows]
        if out is None:
            out = arr.copy() if every else arr
            pending = ~ne
            if pending.any():
                out[pending] = None
            continue
        assert pending is not None
        take = pending & ne
        if take.any():
            out[take] = arr[take]
            pending &= ~take
    return out if out is not None else np.full(int(rows.sum()), None, dtype=object)


def _row_text(frame: pd.DataFrame, limit: int = 120) -> pd.Series:
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    texts = []
    for row in frame.to_numpy(dtype=object):
        parts = [str(v).strip() for v in row if v is not None and v == v and str(v).strip()]
        texts.append(" | ".join(parts)[:limit])
    return pd.Series(texts, index=frame.index, dtype=object)


def _skipped_frame(sheet: _Sheet, grid_rows: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({
        C.SUMBER_FILE: sheet.file,
        C.SUMBER_SHEET: sheet.sheet,
        C.SUMBER_BARIS: reasons.index.astype("int64"),
        "alasan": reasons.to_numpy(dtype=object),
        "isi": _row_text(grid_rows).to_numpy(dtype=object),
    })


@dataclass(slots=True)
class _SheetTable:
    sheet: _Sheet
    header: _Header | None
    data: pd.DataFrame
    skipped: pd.DataFrame
    totals: pd.DataFrame
    title: list[str]
    rows_read: int


def _trim(sheet: _Sheet) -> None:
    """Drop the rows after the last non-empty one (they are not counted); cache non-empty cells."""
    if sheet.ne is not None:
        return
    ne = _ne_matrix(sheet.grid, text=bool(sheet.meta.get("text")))
    live = ne.any(axis=1) if ne.size else np.zeros(len(sheet.grid), dtype=bool)
    last = np.flatnonzero(live)[-1] + 1 if live.any() else 0
    sheet.grid = sheet.grid.iloc[:last]
    sheet.ne = ne[:last]


def _read_sheet(sheet: _Sheet, lookup: Mapping[str, str], aliases: Mapping[str, Sequence[str]],
                *, required: Sequence[str], value_columns: Sequence[str], search_rows: int,
                header: _Header | None = None) -> _SheetTable:
    _trim(sheet)
    grid = sheet.grid
    assert sheet.ne is not None
    ne_all = sheet.ne
    label = sheet.file + (f" [{sheet.sheet}]" if sheet.sheet else "")
    empty_skipped = pd.DataFrame(columns=list(_SKIPPED_COLUMNS))
    if grid.empty:
        return _SheetTable(sheet, None, pd.DataFrame(), empty_skipped, pd.DataFrame(), [], 0)
    header = header or _locate_header(sheet, lookup, required, search_rows)
    if header is None:
        return _SheetTable(sheet, None, pd.DataFrame(), _skipped_frame(
            sheet, grid, pd.Series("no-header", index=grid.index)), pd.DataFrame(), [], len(grid))
    _choose_columns(grid, header, sheet.notes, label)
    missing = [r for r in required if r not in header.columns]
    if missing:
        found = list(dict.fromkeys(header.labels[j] for j in sorted(header.labels)))
        expected = "; ".join(
            f"{m} (e.g. {', '.join(repr(a) for a in list(aliases.get(m, ()))[:3])})"
            for m in missing)
        msg = (f"{label}: the header at row {header.rows[0]} lacks required column(s) {expected}. "
               f"Found headers: {found}{_close_matches(missing, header, aliases)}. Add the "
               f"spelling with aliases={{{missing[0]!r}: [...]}} if the column is there "
               f"under another name.")
        raise MissingColumnError(msg, file=sheet.file, sheet=sheet.sheet or None)
    h_last = header.rows[-1]
    pos0 = grid.index.get_loc(header.rows[0])
    pos1 = grid.index.get_loc(h_last) + 1
    above = grid.iloc[:pos0]
    head_rows = grid.iloc[pos0:pos1]
    body = grid.iloc[pos1:]
    ne = ne_all[pos1:]
    above_blank = pd.Series(
        np.where(ne_all[:pos0].any(axis=1), "title", "blank"), index=above.index, dtype=object)
    title = [t for t in _row_text(above, limit=500).tolist() if t]
    # Provisional classification, realignment (needs the data rows), final classification.
    value_pos = [j for c in value_columns for j in header.columns.get(c, [])]
    reasons = _classify(body, ne, header, value_pos)
    n_notes = len(sheet.notes)
    _realign(body, ne, header, (reasons == "data").to_numpy(), sheet.notes, label)
    if len(sheet.notes) != n_notes:  # the mapping changed: classify again
        value_pos = [j for c in value_columns for j in header.columns.get(c, [])]
        reasons = _classify(body, ne, header, value_pos)
    is_data = (reasons == "data").to_numpy()
    # dtype=object: pandas would otherwise infer (and validate) a string dtype per column;
    # copy=False: the arrays are new, one block each (consolidating them is a needless copy).
    data = pd.DataFrame({canon: _coalesce(body, ne, cols, is_data)
                         for canon, cols in header.columns.items()}, index=body.index[is_data],
                        dtype=object, copy=False)
    used = {j for cols in header.columns.values() for j in cols}
    ignored = list(dict.fromkeys(header.labels[j] for j in sorted(header.labels)
                                 if j not in used and header.labels[j] not in lookup))
    if ignored:
        sheet.notes.append(f"{label}: columns not used (no known header): {ignored}")
    tot_mask = reasons.isin(["total", "subtotal"]).to_numpy()
    tot_body = body[tot_mask]
    totals = pd.DataFrame({canon: _coalesce(body, ne, cols, tot_mask)
                           for canon, cols in header.columns.items()}, index=tot_body.index,
                          dtype=object)
    totals.insert(0, "alasan", reasons[tot_mask].to_numpy())
    totals.insert(1, "label", _first_text(tot_body, ne[tot_mask]).to_numpy())
    skipped_reasons = pd.concat([
        above_blank,
        pd.Series("header", index=head_rows.index, dtype=object),
        reasons[~is_data],
    ])
    skipped = _skipped_frame(sheet, grid.loc[skipped_reasons.index], skipped_reasons)
    for frame in (data, totals):
        frame[C.SUMBER_FILE] = sheet.file
        frame[C.SUMBER_SHEET] = sheet.sheet
        frame[C.SUMBER_BARIS] = frame.index.astype("int64")
    return _SheetTable(sheet, header, data.reset_index(drop=True), skipped,
                       totals.reset_index(drop=True), title, len(grid))


def _sheet_record(st: _SheetTable, kind: str | None) -> dict[str, Any]:
    return {
        C.SUMBER_FILE: st.sheet.file,
        C.SUMBER_SHEET: st.sheet.sheet,
        C.JENIS_DAK: kind,
        "baris_header": (", ".join(str(r) for r in st.header.rows) if st.header else None),
        "baris_dibaca": st.rows_read,
        "baris_data": len(st.data),
        "baris_dilewati": len(st.skipped),
        "judul": " / ".join(st.title)[:500],
        "catatan": " | ".join(st.sheet.notes),
        **{k: st.sheet.meta.get(k) for k in ("encoding", "separator")},
    }


def read_table(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    columns: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str] = (),
    numbers: Sequence[str] = (),
    sheets: Sequence[str] | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    header_search_rows: int = HEADER_SEARCH_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
) -> Table:
    """Read any table-shaped CSV/XLSX sheet, finding its header and skipping non-data rows.

    Parameters
    ----------
    paths : path, list of paths, or folder
        Files to read (``.csv``, ``.xlsx``, ``.xls``); a folder means its export files.
    columns : mapping
        Output column name -> header spellings. Headers are compared after folding case, line
        breaks, spaces, dots and a ``(Rp)``; two-row headers are joined (``Realisasi`` over
        ``%`` reads as ``realisasi %``).
    required : sequence of str
        Columns that must be found; otherwise :class:`MissingColumnError` (with close matches).
    numbers : sequence of str
        Columns parsed as Indonesian numbers (``1.234.567,89``, ``Rp``, ``(…)``) in ``data``;
        other columns keep their cells as found. The rows that hold a value in one of these
        columns mark where the data ends (what follows is notes/signature).
    sheets : sequence of str, optional
        Sheet names to read from workbooks (default: all).
    encoding, sep : str, optional
        Force the CSV encoding/separator (default: UTF-8 with or without BOM, else
        Windows-1252; ``;`` or ``,`` sniffed).
    max_bytes, max_rows, max_columns, max_cell_chars : int
        Safety limits, as in :func:`read_export`.

    Returns
    -------
    Table

    Raises
    ------
    UnreadableFileError, HeaderNotFoundError, MissingColumnError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "lra.csv").write_text(
    ...     "LAPORAN REALISASI ANGGARAN\\n\\nUraian;Anggaran;Realisasi\\n"
    ...     "Belanja Operasi;1.000.000;250.000,50\\nJumlah;1.000.000;250.000,50\\n")
    >>> t = read_table(d / "lra.csv", {"uraian": ["uraian"], "anggaran": ["anggaran"],
    ...                                "realisasi": ["realisasi"]},
    ...                numbers=["anggaran", "realisasi"])
    >>> t.data[["uraian", "anggaran", "realisasi", "sumber_baris"]]
                uraian   anggaran  realisasi  sumber_baris
    0  Belanja Operasi  1000000.0   250000.5             4
    >>> t.skipped[["sumber_baris", "alasan"]].values.tolist()
    [[1, 'title'], [2, 'blank'], [3, 'header'], [5, 'total']]
    """
    limits = Limits(max_bytes=max_bytes, max_rows=max_rows, max_columns=max_columns,
                    max_cell_chars=max_cell_chars)
    lookup = _alias_lookup(columns)
    tables: list[_SheetTable] = []
    for path, _in_folder, loaded in _load_all(paths, sheets=sheets, encoding=encoding, sep=sep,
                                              limits=limits):
        assert not isinstance(loaded, DakMonitorError)  # not forgiving: it raised
        found_any = False
        for sheet in loaded:
            st = _read_sheet(sheet, lookup, columns, required=required, value_columns=numbers,
                             search_rows=header_search_rows)
            found_any |= st.header is not None
            tables.append(st)
        if not found_any and any(not s.grid.empty for s in loaded):
            _raise_no_header(loaded, columns)
    data = _concat([t.data for t in tables])
    for col in numbers:
        if col in data:
            data[col] = parse_numbers(data[col]).values
    return Table(
        data=data,
        skipped=_concat([t.skipped for t in tables], columns=_SKIPPED_COLUMNS),
        totals=_concat([t.totals for t in tables]),
        sheets=pd.DataFrame([_sheet_record(t, None) for t in tables]),
    )


def _concat(frames: Sequence[pd.DataFrame], columns: Sequence[str] | None = None) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(columns) if columns else [])
    return pd.concat(frames, ignore_index=True)


def _raise_no_header(loaded: Sequence[_Sheet], aliases: Mapping[str, Sequence[str]]) -> None:
    sheet = loaded[0]
    preview = _row_text(sheet.grid.head(8), limit=80).tolist()
    wanted = ", ".join(repr(a[0]) for a in list(aliases.values())[:8] if a)
    where = sheet.file + (f" [{sheet.sheet}]" if len(loaded) == 1 and sheet.sheet else "")
    msg = (f"{where}: no header row found in the first {HEADER_SEARCH_ROWS} rows of any sheet; "
           f"expected at least two known column headers such as {wanted}. The first rows "
           f"read: {preview}")
    raise HeaderNotFoundError(msg, file=sheet.file, sheet=sheet.sheet or None)


# ===================================================================== Morena-style exports
_TITLE_TAHUN: Final = re.compile(
    r"(?i)\b(?:tahun\s+anggaran|t\.?\s?a\.?|tahun)\s*:?\s*(\d{4})\b")
_MONTHS: Final = "|".join(sorted(_parse.MONTHS_ID, key=len, reverse=True))
_TITLE_RANGE: Final = re.compile(
    rf"(?i)\b(\d{{1,2}})\s+({_MONTHS})\.?\s*(\d{{4}})?\s*(?:s\.?\s*[/d]\.?|sampai\s+dengan|-)"
    rf"\s*(\d{{1,2}})\s+({_MONTHS})\.?\s*(\d{{4}})?")
_TITLE_PERIODE: Final = re.compile(
    rf"(?i)(?:s\.?\s*[/d]\.?\s*|sampai\s+dengan\s+|periode\s*:?\s*|posisi\s*:?\s*|bulan\s*:?\s*|"
    rf"keadaan\s*:?\s*)(?:tanggal\s+)?(?:\d{{1,2}}\s+)?({_MONTHS})\.?\s*(\d{{4}})?")
_TITLE_PERIODE_TW: Final = re.compile(
    r"(?i)\b((?:triwulan|tw|semester)\s*[-.:]?\s*(?:iv|iii|ii|i|[1-4]))\b\s*(\d{4})?")
#: "(April - Juni)", "Januari s.d. Juni 2024": a span of months; the report stands at its end.
_TITLE_MONTH_SPAN: Final = re.compile(
    rf"(?i)(?<![a-z])({_MONTHS})\.?\s*(?:-|–|s\.?\s*[/d]\.?|sampai\s+dengan)\s*({_MONTHS})"
    rf"(?![a-z])\.?\s*(\d{{4}})?")
#: "Juni 2024" alone (a sheet or file name), and "..._2024_06" in a file name.
_BARE_MONTH: Final = re.compile(rf"(?i)(?<![a-z])({_MONTHS})(?![a-z])[\s_.-]*(\d{{4}})")
_FILE_YEAR_MONTH: Final = re.compile(r"(?<!\d)(20\d\d)[_\-. ](0[1-9]|1[0-2])(?!\d)")
_TITLE_STAGE: Final = re.compile(r"(?i)\btahap\s*[-.:]?\s*(\d|i{1,3}|iv)\b")
_KIND_FISIK_TITLE: Final = re.compile(r"(?i)\bdak\s*fisik\b|\bfisik\s+(sub\s*)?bidang")
_KIND_NONFISIK_TITLE: Final = re.compile(r"(?i)non\s*-?\s*fisik|\bbokb\b")


@dataclass(frozen=True, slots=True)
class _TitleInfo:
    tahun: int | None
    periode: pd.Timestamp | None
    unit: str | None  # stated in the title or a unit row (a key of UNITS), or None
    cumulative: bool
    kind: str | None
    periode_from: str = "the title"  # where periode came from, said when no column has it


def _parse_title(lines: Sequence[str], names: Sequence[str] = ()) -> _TitleInfo:
    """What the rows above the header say (and, for the period only, as a last resort the
    sheet and file ``names``: ``Juni 2024``, ``..._2024_06.xlsx``)."""
    text = " ".join(lines)
    tahun = None
    m = _TITLE_TAHUN.search(text)
    if m:
        tahun = int(m.group(1))
    periode = None
    cumulative = True
    rng = _TITLE_RANGE.search(text)
    if rng:
        d0, m0, _y0, _d1, m1, y1 = rng.groups()
        p = parse_periode(pd.Series([f"{m1} {y1 or tahun or ''}".strip()]), tahun=tahun)
        periode = p.values.iloc[0] if pd.notna(p.values.iloc[0]) else None
        start = parse_periode(pd.Series([m0]), tahun=tahun or 2000).values.iloc[0]
        if periode is not None and pd.notna(start) and start.month != 1 and start.month == \
                periode.month and int(d0) == 1:
            cumulative = False
    if periode is None:
        span = _TITLE_MONTH_SPAN.search(text)
        if span:
            periode = _period_of(span.group(2), span.group(3), tahun)
    if periode is None:
        for rx in (_TITLE_PERIODE, _TITLE_PERIODE_TW):
            m = rx.search(text)
            if m:
                periode = _period_of(m.group(1), m.group(2), tahun)
                if periode is not None:
                    break
    periode_from = "the title"
    if periode is None:
        periode = _period_in_names(names, tahun)
        periode_from = "the sheet or file name"
    if tahun is None and periode is not None:
        tahun = periode.year
    unit = unit_in(text)
    kind = None
    if _KIND_NONFISIK_TITLE.search(text):
        kind = C.NONFISIK
    elif _KIND_FISIK_TITLE.search(text):
        kind = C.FISIK
    return _TitleInfo(tahun, periode, unit, cumulative, kind, periode_from)


def _period_of(when: str, year: str | None, tahun: int | None) -> pd.Timestamp | None:
    """The month end a title's period words name (``Juni``, ``TW II``), in ``year`` or else
    the fiscal year; None when they name none."""
    y = year or (str(tahun) if tahun else "")
    p = parse_periode(pd.Series([f"{when} {y}".strip()]), tahun=tahun)
    return p.values.iloc[0] if pd.notna(p.values.iloc[0]) else None


def _period_in_names(names: Sequence[str], tahun: int | None) -> pd.Timestamp | None:
    """A period in a sheet or file name: ``Juni 2024``, ``laporan_2024_06``."""
    for name in names:
        m = _BARE_MONTH.search(name)
        if m:
            found = _period_of(m.group(1), m.group(2), tahun)
            if found is not None:
                return found
        m = _FILE_YEAR_MONTH.search(name)
        if m:
            return pd.Timestamp(int(m.group(1)), int(m.group(2)), 1) + pd.offsets.MonthEnd(0)
    return None


def _union_aliases(aliases: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, list[str]]:
    union: dict[str, list[str]] = {}
    for per_kind in aliases.values():
        for canon, spellings in per_kind.items():
            union.setdefault(canon, [])
            union[canon].extend(s for s in spellings if s not in union[canon])
    return union


def _merge_aliases(extra: Mapping[str, Any] | None) -> dict[str, dict[str, list[str]]]:
    """Default aliases per kind, extended by the user's (flat or per kind)."""
    merged = {k: {c: list(v) for c, v in C.DEFAULT_ALIASES[k].items()} for k in C.KINDS}
    if not extra:
        return merged
    per_kind = all(k in C.KINDS for k in extra)
    items = extra.items() if per_kind else ((k, extra) for k in C.KINDS)
    known = set(C.CANONICAL_COLUMNS)
    for kind, mapping in items:
        if not isinstance(mapping, Mapping):
            msg = f"aliases for {kind!r} must be a mapping of column -> list of header spellings"
            raise ConfigError(msg)
        for canon, spellings in mapping.items():
            if canon not in known:
                close = difflib.get_close_matches(canon, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                msg = f"aliases: unknown column {canon!r}{hint}; known: {sorted(known)}"
                raise ConfigError(msg)
            if isinstance(spellings, str):
                spellings = [spellings]
            merged[kind].setdefault(canon, [])
            merged[kind][canon] = [*spellings, *merged[kind][canon]]
    return merged


def _required_for_header(kind: str) -> tuple[str, ...]:
    """Columns a header must have. ``menu``/``rincian`` are not among them: a header without
    both is a recap, one row per OPD (see :data:`~._vocab.columns.RECAP_MENU`)."""
    soft = {C.TAHUN, C.PERIODE, C.KODE_WILAYAH, C.NAMA_WILAYAH, C.MENU, C.RINCIAN}
    return tuple(c for c in C.REQUIRED[kind] if c not in soft)


def _detect_kind(header: _Header, title: _TitleInfo) -> str:
    if any(m in header.columns for m in C.FISIK_MARKERS):
        return C.FISIK
    if title.kind:
        return title.kind
    return C.NONFISIK


def _unparsed(frame: pd.DataFrame, column: str, bad: pd.Series, raw: pd.Series,
              expected: str) -> pd.DataFrame | None:
    mask = bad.to_numpy()
    if not mask.any():
        return None
    return pd.DataFrame({
        C.SUMBER_FILE: frame[C.SUMBER_FILE].to_numpy()[mask],
        C.SUMBER_SHEET: frame[C.SUMBER_SHEET].to_numpy()[mask],
        C.SUMBER_BARIS: frame[C.SUMBER_BARIS].to_numpy()[mask],
        "kolom": column,
        "nilai": raw[mask].astype(str).to_numpy(),
        "diharapkan": expected,
    })


def _canonicalise(raw: pd.DataFrame, kind: str, title: _TitleInfo, sheet_name: str,
                  group_regions: pd.Series | None, units: Mapping[str, str] | None = None,
                  wilayah: str | None = None) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Parse the raw cells of one sheet into the canonical frame; collect unparsed cells."""
    n = len(raw)
    out = pd.DataFrame(index=raw.index)
    bad: list[pd.DataFrame] = []

    def note(col: str, p_bad: pd.Series, expected: str) -> None:
        frame = _unparsed(raw, col, p_bad, raw[col], expected)
        if frame is not None:
            bad.append(frame)

    # tahun
    if C.TAHUN in raw:
        p = parse_tahun(raw[C.TAHUN])
        note(C.TAHUN, p.bad, "tahun (e.g. 2024)")
        tahun = p.values
        if title.tahun is not None:
            tahun = tahun.fillna(title.tahun).where(~p.bad, pd.NA)
    else:
        tahun = pd.Series(title.tahun, index=raw.index, dtype="Int64")
    out[C.TAHUN] = tahun.astype("Int64")
    # periode
    if C.PERIODE in raw:
        p = parse_periode(raw[C.PERIODE], tahun=out[C.TAHUN].astype("Float64")
                          .to_numpy(dtype=float, na_value=np.nan))
        note(C.PERIODE, p.bad, "periode (e.g. 'Juni 2024', '06/2024', 'TW II')")
        per = p.values
        if title.periode is not None:
            per = per.where(p.bad | per.notna(), title.periode)
    else:
        per = pd.Series(title.periode if title.periode is not None else pd.NaT,
                        index=raw.index, dtype="datetime64[ns]")
    out[C.PERIODE] = per.astype("datetime64[ns]")
    # regions
    if C.KODE_WILAYAH in raw:
        codes, cbad = normalize_region_code(raw[C.KODE_WILAYAH])
        note(C.KODE_WILAYAH, cbad, "kode wilayah (e.g. 32.04)")
    else:
        codes = pd.Series(np.nan, index=raw.index, dtype=object)
    names = _parse.parse_text(raw[C.NAMA_WILAYAH]) if C.NAMA_WILAYAH in raw else \
        pd.Series(None, index=raw.index, dtype=object)
    if group_regions is not None:
        codes = codes.where(codes.notna() | names.notna(), group_regions)
    if sheet_name and codes.isna().all() and names.isna().all():
        from_sheet = resolve_region_names(pd.Series([sheet_name])).iloc[0]
        if isinstance(from_sheet, str):
            codes = pd.Series(from_sheet, index=raw.index, dtype=object)
    if wilayah is not None and codes.isna().all() and names.isna().all():
        codes = pd.Series(wilayah, index=raw.index, dtype=object)
    need = codes.isna() & names.notna()
    if need.any():
        codes = codes.where(~need, resolve_region_names(names.where(need)))
    if names.isna().any():
        ref = load_regions()
        official = dict(zip(ref.loc[~ref["historis"], "kode"], ref.loc[~ref["historis"], "nama"],
                            strict=True))
        names = names.where(names.notna(), codes.map(official))
    if C.KODE_PROVINSI in raw:
        prov_raw = raw[C.KODE_PROVINSI].astype(object)
        prov = prov_raw.map(_prov_code, na_action="ignore")
        pbad = prov.isna() & ~is_blank(prov_raw)
        note(C.KODE_PROVINSI, pbad, "kode provinsi (e.g. 32)")
        prov = prov.where(prov.notna(), _province_of(codes))
    else:
        prov = _province_of(codes)
    out[C.KODE_PROVINSI] = prov.astype(object)
    out[C.KODE_WILAYAH] = codes.astype(object)
    out[C.NAMA_WILAYAH] = names.astype(object)
    for col in C.TEXT_COLUMNS:
        if col == C.NAMA_WILAYAH:
            continue
        out[col] = _parse.parse_text(raw[col]) if col in raw else None
    if C.MENU not in raw and C.RINCIAN not in raw:  # a recap: the OPD is its one item
        out[C.MENU] = C.RECAP_MENU
        out[C.RINCIAN] = C.RECAP_MENU if kind == C.FISIK else None
    # money and quantities
    for col in C.MONEY_COLUMNS:
        if col in raw:
            p = parse_numbers(raw[col])
            note(col, p.bad, "angka rupiah (e.g. 1.234.567)")
            out[col] = scale(p.values, (units or {}).get(col, "rupiah"))
        else:
            out[col] = np.nan
    for col in C.QUANTITY_COLUMNS:
        if col in raw:
            p = parse_numbers(raw[col])
            note(col, p.bad, "angka (e.g. 12)")
            out[col] = p.values
        else:
            out[col] = np.nan
    expected = 100 * out[C.REALISASI] / out[C.PAGU].where(out[C.PAGU] > 0)
    for col in C.PERCENT_COLUMNS:
        if col in raw:
            p = parse_percents(raw[col], expected=expected if col == C.PERSEN_REALISASI else None)
            note(col, p.bad, "persen (e.g. 93,5%)")
            out[col] = p.values
        else:
            out[col] = np.nan
    for col in C.DATE_COLUMNS:
        if col in raw:
            p = parse_dates(raw[col])
            note(col, p.bad, "tanggal (dd/mm/yyyy or '12 Maret 2024')")
            out[col] = p.values
        else:
            out[col] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    out[C.JENIS_DAK] = kind
    for col in C.PROVENANCE:
        out[col] = raw[col].to_numpy()
    assert len(out) == n
    return out, bad


def _province_of(codes: pd.Series) -> pd.Series:
    """The province part (``32``) of ``NN.NN`` codes, each distinct code once."""
    k, uniques = pd.factorize(codes.astype(object), use_na_sentinel=True)
    lookup = np.array([str(u)[:2] for u in uniques] + [np.nan], dtype=object)
    return pd.Series(lookup[k], index=codes.index, dtype=object)


def _prov_code(v: object) -> object:
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        f = float(v)
        return f"{int(f):02d}" if f.is_integer() and 11 <= f <= 99 else np.nan
    m = re.fullmatch(r"\s*(\d{2})\.?\s*", str(v))
    return m.group(1) if m else np.nan


def _group_regions(st: _SheetTable) -> pd.Series | None:
    """Region codes carried down from group-header rows (a kabupaten name alone on a row)."""
    groups = st.skipped[st.skipped["alasan"] == "group"]
    if groups.empty or st.data.empty:
        return None
    codes = resolve_region_names(groups["isi"])
    known = groups.assign(kode=codes.to_numpy()).dropna(subset=["kode"])
    if known.empty:
        return None
    rows = st.data[C.SUMBER_BARIS].to_numpy()
    marks = known[C.SUMBER_BARIS].to_numpy()
    pos = np.searchsorted(marks, rows, side="right") - 1
    vals = np.where(pos >= 0, known["kode"].to_numpy()[np.clip(pos, 0, None)], None)
    return pd.Series(vals, index=st.data.index, dtype=object)


def _supersede(data: pd.DataFrame, skipped: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep an item-period from the last file that reports it; skip earlier files' rows."""
    keys = [C.TAHUN, C.KODE_WILAYAH, C.JENIS_DAK, C.MENU, C.RINCIAN, C.PERIODE]
    file_codes = pd.factorize(data[C.SUMBER_FILE])[0]
    if not len(file_codes) or file_codes.max() == 0:  # one file: nothing to supersede
        return data, skipped
    folded = data[keys].copy()
    for k in (C.MENU, C.RINCIAN):
        codes, uniques = pd.factorize(folded[k].astype(object), use_na_sentinel=True)
        lookup = np.array([re.sub(r"\s+", " ", str(u).casefold()) for u in uniques] + [None],
                          dtype=object)
        folded[k] = lookup[codes]
    order = pd.Series(file_codes, index=data.index)
    last_file = order.groupby([folded[k] for k in keys], dropna=False).transform("max")
    old = order < last_file
    if not old.any():
        return data, skipped
    moved = pd.DataFrame({
        C.SUMBER_FILE: data.loc[old, C.SUMBER_FILE], C.SUMBER_SHEET: data.loc[old, C.SUMBER_SHEET],
        C.SUMBER_BARIS: data.loc[old, C.SUMBER_BARIS], "alasan": "superseded",
        "isi": data.loc[old, C.MENU].astype(str) + " / " + data.loc[old, C.KODE_WILAYAH].astype(str),
    })
    return data[~old].reset_index(drop=True), pd.concat([skipped, moved], ignore_index=True)


_TITLE_REGION: Final = re.compile(
    r"(?i)\b((?:kabupaten|kab\.?|kota)\s+[a-z][a-z .'-]{2,40}?)(?=\s*(?:$|\n|,|;|\(|\d|"
    r"provinsi|tahun|bulan|periode|triwulan|semester))")


def _region_in_title(lines: Sequence[str], sheet: _Sheet, label: str) -> str | None:
    """The one region a title names (``Dinas PPKB Kabupaten Garut``), for sheets with no region
    column; None when it names none, or more than one."""
    found = set()
    for line in lines:
        for m in _TITLE_REGION.finditer(str(line)):
            code = resolve_region_names(pd.Series([m.group(1).strip()])).iloc[0]
            if isinstance(code, str):
                found.add((code, m.group(1).strip()))
    if len({c for c, _ in found}) != 1:
        return None
    code, name = next(iter(found))
    sheet.notes.append(f"{label}: region {name} ({code}) from the title, for rows that name "
                       f"none")
    return code


def _drop_other_funding(st: _SheetTable, kind: str, label: str) -> None:
    """Rows of another funding source (``Sumber Dana`` = DAU, APBD…) are skipped as
    ``other-funding``; the sheet's totals, which add up every source, are then not checked."""
    if st.header is None or not len(st.data):
        return
    j = _funding_column(st.header)
    if j is None:
        return
    grid = st.sheet.grid
    rows = st.data[C.SUMBER_BARIS].to_numpy()
    cells = grid.loc[rows].iloc[:, j]
    text = cells.astype("string").fillna("").str.strip()
    other = ((text != "") & ~text.str.contains(_FUNDING_RX[kind])).to_numpy(dtype=bool)
    if not other.any():
        return
    moved = grid.loc[rows[other]]
    st.skipped = _concat([st.skipped, _skipped_frame(
        st.sheet, moved, pd.Series("other-funding", index=moved.index))],
        columns=_SKIPPED_COLUMNS).sort_values(C.SUMBER_BARIS, kind="stable").reset_index(
        drop=True)
    st.data = st.data[~other].reset_index(drop=True)
    st.totals = st.totals.iloc[:0]
    st.sheet.notes.append(
        f"{label}: {int(other.sum())} row(s) of another funding source (Sumber Dana) skipped "
        f"as other-funding; the totals rows add up every source and are not checked")


@dataclass(frozen=True, slots=True)
class _Given:
    """What the caller says a file does not (``tahun=``, ``periode=``, ``wilayah=``)."""

    tahun: int | None = None
    periode: pd.Timestamp | None = None
    wilayah: str | None = None

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
                msg = (f"wilayah must be a region code such as '32.05' or an unambiguous name "
                       f"such as 'Kab. Garut', not {wilayah!r}")
                raise ConfigError(msg)
        return cls(year, per, code)

    def apply(self, title: _TitleInfo) -> _TitleInfo:
        """The title's facts with the given ones in their place."""
        out = title
        if self.periode is not None:
            out = replace(out, periode=self.periode,
                                      tahun=self.tahun or self.periode.year,
                                      periode_from="periode=")
        if self.tahun is not None:
            out = replace(out, tahun=self.tahun)
        return out


def _column_units(header: _Header | None, title: _TitleInfo, forced: str | None
                  ) -> tuple[dict[str, str], str, set[str]]:
    """Each money column's unit, a note saying where any unit other than Rupiah came from,
    and the columns whose unit is stated somewhere.

    The option wins; then a multiplier in the column's header (``Pagu (Rp Miliar)``); then
    the title or a unit row (``dalam ribuan rupiah``); then a plain ``(Rp)`` in the header;
    else Rupiah, unstated.
    """
    if header is None:
        return {}, "", set()
    out: dict[str, str] = {}
    said: list[str] = []
    stated: set[str] = set()
    for col in C.MONEY_COLUMNS:
        if col not in header.columns:
            continue
        j = header.columns[col][0]
        in_header = next((u for u in map(unit_in, sorted(header.raw.get(j, ()))) if u), None)
        if forced is not None:
            unit, source = forced, "units="
        elif in_header not in (None, "rupiah"):
            unit, source = in_header, "its header"
        elif title.unit is not None:
            unit, source = title.unit, "the title"
        else:
            unit, source = "rupiah", "its header" if in_header else ""
        out[col] = unit
        if source:
            stated.add(col)
        if unit != "rupiah":
            said.append(f"{col} in {unit} (from {source})")
    note = ("money " + "; ".join(said) + ": multiplied exactly to Rupiah") if said else ""
    return out, note, stated


def _unit_doubt(canon: pd.DataFrame, stated: set[str]) -> str:
    """The likely units ("juta or miliar") when no unit is stated for pagu anywhere and its
    amounts are too small to be Rupiah; else ""."""
    if C.PAGU in stated or C.PAGU not in canon:
        return ""
    fits = implausible_unit(canon[C.PAGU].to_numpy(dtype=float))
    return " or ".join(fits)


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


def _regions_in(sheet: _Sheet, header: _Header | None) -> tuple[str, ...]:
    """The region codes in a refused sheet's rows, from its code or name column (empty when
    neither was found): the OPDs whose figures it would have carried."""
    if header is None:
        return ()
    body = sheet.grid.loc[header.rows[-1] + 1:]
    if C.KODE_WILAYAH in header.columns:
        codes, _bad = normalize_region_code(body.iloc[:, header.columns[C.KODE_WILAYAH][0]])
    elif C.NAMA_WILAYAH in header.columns:
        codes = resolve_region_names(body.iloc[:, header.columns[C.NAMA_WILAYAH][0]])
    else:
        return ()
    return tuple(sorted({c for c in codes.dropna() if isinstance(c, str)}))


def read_export(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
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
) -> Export:
    """Read Morena-style DAK exports (CSV/XLSX) into one canonical frame.

    Parameters
    ----------
    paths : path, list of paths, or folder
        ``.csv``/``.xlsx``/``.xls`` files; a folder means every such file in it (not its
        subfolders; Excel lock files ``~$…`` are ignored).
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
    HeaderNotFoundError, MissingColumnError
        No header, or a required column is missing (names file, sheet, row, and close matches).

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
    if kind is not None and kind not in C.KINDS:
        msg = f"kind must be one of {C.KINDS} or None (detect), not {kind!r}"
        raise ConfigError(msg)
    limits = Limits(max_bytes=max_bytes, max_rows=max_rows, max_columns=max_columns,
                    max_cell_chars=max_cell_chars)
    forced_unit = parse_units(units) if units is not None else None
    _given = _Given.of(tahun, periode, wilayah)
    alias_map = _merge_aliases(aliases)
    lookups = {k: _alias_lookup(alias_map[k]) for k in C.KINDS}
    union = _union_aliases(alias_map)
    union_lookup = _alias_lookup(union)
    frames: list[pd.DataFrame] = []
    skipped: list[pd.DataFrame] = []
    totals: list[pd.DataFrame] = []
    unparsed: list[pd.DataFrame] = []
    records: list[dict[str, Any]] = []
    file_problems: list[dict[str, Any]] = []
    for path, in_folder, loaded in _load_all(paths, sheets=sheets, encoding=encoding, sep=sep,
                                             limits=limits, forgiving=not strict_files):
        if isinstance(loaded, DakMonitorError):  # a folder's file that cannot be loaded
            file_problems.append(_file_problem(_display(path), "", "unreadable", None, (),
                                               loaded))
            records.append(_refused_record(_display(path), "", None, 0, "unreadable"))
            continue
        found_any = refused_any = False
        first_record = len(records)
        forgive = in_folder and not strict_files
        for sheet in loaded:
            _trim(sheet)
            probe_required = _required_for_header(kind or C.NONFISIK)
            probe = _locate_header(sheet, lookups[kind] if kind else union_lookup,
                                   probe_required, HEADER_SEARCH_ROWS)
            title_lines = []
            if probe is not None:
                above = sheet.grid.loc[: probe.rows[0] - 1]
                title_lines = [t for t in _row_text(above, limit=500).tolist() if t]
            title = _given.apply(_parse_title(title_lines + [sheet.sheet],
                                              names=[sheet.sheet, Path(sheet.file).stem]))
            this_kind = kind or (probe is not None and _funding_kind(sheet.grid, probe)) or (
                _detect_kind(probe, title) if probe else C.NONFISIK)
            header = _locate_header(sheet, lookups[this_kind], _required_for_header(this_kind),
                                    HEADER_SEARCH_ROWS) if probe is not None else None
            if probe is None and not forgive and _looks_like_data(sheet.grid):
                _raise_no_header([sheet], alias_map[this_kind])
            label = sheet.file + (f" [{sheet.sheet}]" if sheet.sheet else "")
            region = _given.wilayah or _region_in_title(title_lines, sheet, label)
            try:
                st = _read_sheet(sheet, lookups[this_kind], alias_map[this_kind],
                                 required=_required_for_header(this_kind),
                                 value_columns=(C.PAGU, C.REALISASI, C.PENYALURAN,
                                                C.NILAI_KONTRAK),
                                 search_rows=HEADER_SEARCH_ROWS, header=header)
                if st.header is not None:
                    _check_soft_required(st, title, this_kind, label, region)
            except MissingColumnError as exc:
                if not forgive:
                    raise
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
            col_units, unit_note, stated = _column_units(st.header, title, forced_unit)
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
                    canon, bad = _canonicalise(st.data, this_kind, title, sheet.sheet,
                                               _group_regions(st), col_units, region)
                    doubt = _unit_doubt(canon, stated)
                    if doubt:
                        sheet.notes.append(
                            f"{label}: no unit is stated and the amounts are too small to be "
                            f"Rupiah (median pagu {canon[C.PAGU].median():,.2f}): likely "
                            f"{doubt}. Its offices are marked data incomplete "
                            f"(units-unstated); pass units= / --units")
                    frames.append(canon)
                    unparsed.extend(bad)
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


def _empty_canonical() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in C.CANONICAL_COLUMNS})


def _looks_like_data(grid: pd.DataFrame) -> bool:
    """A sheet with many numbers but no header is an error; a text-only sheet is not."""
    if grid.empty:
        return False
    sample = grid.iloc[:200]
    numeric = 0
    for c in sample.columns:
        p = parse_numbers(sample[c])
        numeric += int(p.values.notna().sum())
    return numeric >= 6


def _check_soft_required(st: _SheetTable, title: _TitleInfo, kind: str, label: str,
                         wilayah: str | None = None) -> None:
    """tahun/periode may come from the title or the options; one of kode/nama wilayah (or the
    ``wilayah=`` option) suffices."""
    assert st.header is not None
    cols = st.header.columns
    missing = []
    if C.TAHUN not in cols and title.tahun is None and C.PERIODE not in cols:
        missing.append("tahun (a 'Tahun' column, 'TAHUN ANGGARAN 2024' in the title, or pass "
                       "tahun= / --tahun)")
    if C.PERIODE not in cols and title.periode is None:
        stage = _TITLE_STAGE.search(" ".join(st.title))
        said = (f" The title names a transfer stage ({stage.group(0)}), which is not a date."
                if stage else "")
        missing.append(f"periode (a 'Periode'/'Bulan' column, 'Periode s.d. 30 Juni 2024' or "
                       f"'Triwulan II (April - Juni)' in the title, or a month in the sheet or "
                       f"file name).{said} Pass periode= / --periode (e.g. 2024-06)")
    if C.RINCIAN in C.REQUIRED[kind] and C.MENU in cols and C.RINCIAN not in cols:
        missing.append("rincian (e.g. 'Rincian', 'Rincian Menu Kegiatan', 'Sub Komponen'); "
                       "a DAK fisik export names each item")
    if C.RINCIAN in cols and C.MENU not in cols:
        missing.append("menu (e.g. 'Menu', 'Menu Kegiatan', 'Komponen'); a recap without "
                       "menu and rincian is read as one row per OPD")
    recap = C.MENU not in cols and C.RINCIAN not in cols
    if recap and C.KODE_WILAYAH not in cols and C.NAMA_WILAYAH not in cols:
        missing.append("kode_wilayah or nama_wilayah: a file with neither menu nor rincian is "
                       "a recap, one row per OPD, and must name each row's OPD (e.g. 'Kode "
                       "Wilayah', 'Kabupaten/Kota', 'Pemda')")
    elif C.KODE_WILAYAH not in cols and C.NAMA_WILAYAH not in cols and wilayah is None:
        sheet_region = resolve_region_names(pd.Series([st.sheet.sheet])).iloc[0] \
            if st.sheet.sheet else None
        has_groups = bool((st.skipped["alasan"] == "group").any())
        if not isinstance(sheet_region, str) and not has_groups:
            missing.append("kode_wilayah or nama_wilayah (e.g. 'Kode Wilayah', 'Kabupaten/Kota'; "
                           "for one office's file pass wilayah= / --wilayah)")
    if missing:
        found = list(dict.fromkeys(st.header.labels[j] for j in sorted(st.header.labels)))
        msg = (f"{label}: the {kind} export's header at row {st.header.rows[0]} lacks "
               f"{'; '.join(missing)}. Found headers: {found}")
        raise MissingColumnError(msg, file=st.sheet.file, sheet=st.sheet.sheet or None)
