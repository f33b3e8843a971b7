"""CSV: decoding, the separator, and the bounded parse of a text export into a grid of cells."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import (
    ConfigError,
    UnreadableFileError,
)
from .files import (
    Limits,
    _CellTooLong,
    _check_cell_chars,
    _check_columns,
    _check_rows,
    _check_size,
    _csv_field_limit,
    _display,
    _read_bytes,
    _refuse_long_cell,
    _Sheet,
)


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
    return _csv_sheet(data, path, encoding=encoding, sep=sep, limits=limits)


def _csv_sheet(data: bytes, path: Path, *, encoding: str | None, sep: str | None,
               limits: Limits) -> _Sheet:
    """A CSV's bytes as a sheet of text cells; ``path`` names them in messages and
    provenance (a file's path, or the name of bytes given from memory)."""
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
