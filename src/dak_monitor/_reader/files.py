"""Files and limits: which paths a folder holds, the bounded read of a file's bytes, and every
limit on an untrusted file (``Limits``: bytes, rows, columns, cell characters).
"""

from __future__ import annotations

import csv
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from ..exceptions import (
    ConfigError,
    ExportFormatError,
    LimitExceededError,
    UnreadableFileError,
)

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


class _CellTooLong(Exception):
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
