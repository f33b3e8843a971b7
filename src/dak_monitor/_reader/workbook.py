"""Workbooks (.xlsx/.xlsm/.xls/.ods): the container pre-scan that refuses bombs before a parser
sees them, and the read through python-calamine.
"""

from __future__ import annotations

import codecs
import html
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pandas as pd

from ..exceptions import (
    ExportFormatError,
    LimitExceededError,
    UnreadableFileError,
)
from .files import Limits, _check_rows, _check_size, _display, _Sheet

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
    except Exception:
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
    except Exception:
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


def _check_workbook_container(path: Path, limits: Limits, data: bytes | None = None) -> None:
    """Refuse a zip bomb (unpacked size above ``max_bytes``) and XML with a DTD.

    An .xlsx is a zip of XML parts. Excel never writes a document type declaration, and one
    is how entity-expansion ("billion laughs") attacks are carried, so any part that has one
    is refused (python-calamine does not expand custom entities either: two safeguards).
    Files that are not zips (.xls, junk) are left to the workbook reader. ``data``: the
    bytes, when they are already in memory.
    """
    try:
        zf = zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except Exception:
        return
    with zf:
        try:
            infos = zf.infolist()
        except Exception:
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
            except Exception:
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
                except Exception:
                    continue


def _is_reader_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is the workbook reader failing on a file (to report, not to crash on).

    Besides its own errors, the native reader panics on some damaged files; pyo3 turns the
    panic into ``pyo3_runtime.PanicException``, a ``BaseException`` that ``except Exception``
    lets through (an interrupt or exit is never swallowed).
    """
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _load_excel(path: Path, *, sheets: Sequence[str] | None, limits: Limits,
                data: bytes | None = None) -> list[_Sheet]:
    """Each sheet of a workbook; ``data``: its bytes, when they are already in memory
    (``path`` then only names them)."""
    from python_calamine import CalamineWorkbook

    if data is None:
        _check_size(path, limits.max_bytes)
    _check_workbook_container(path, limits, data)
    try:
        wb = (CalamineWorkbook.from_path(str(path)) if data is None
              else CalamineWorkbook.from_filelike(io.BytesIO(data)))
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
