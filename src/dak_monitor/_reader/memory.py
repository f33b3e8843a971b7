"""Exports already in memory: a pandas DataFrame, a file-like object (bytes or text) or an Arrow
table (pyarrow, polars: anything with ``__arrow_c_stream__``) as the sheets a file would give.

A frame becomes one grid of cells whose first row is its header (its column names) and whose
rows follow as a file's would (the first data row is row 2): header finding, row classes,
units and checks then run unchanged, so an export from memory is read exactly like the file
it came from. Bytes and text go through the same loaders as a file's bytes. No temporary file
is written.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from .._vocab import columns as C
from ..exceptions import ConfigError, LimitExceededError, UnreadableFileError, UnsupportedInputError
from .csvfile import _csv_sheet
from .files import Limits, _check_rows, _display, _Sheet
from .htmltable import _load_html, _looks_like_html
from .workbook import _load_excel

#: What ``read_export`` (and ``validate_export``, ``monitor``) accept as an export.
ACCEPTED: Final = (
    "a path, a folder or a list of paths; a pandas DataFrame (canonical column names or the "
    "export's own headers); a file-like object opened for reading (bytes or text, e.g. "
    "io.BytesIO, io.StringIO, open(path, 'rb')); or an Arrow table (pyarrow.Table, "
    "polars.DataFrame: any object with __arrow_c_stream__)")

_ZIP: Final = b"PK\x03\x04"  # .xlsx, .xlsm, .ods
_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # binary .xls
#: The values a workbook cell holds (the reader's own cells); other objects are read as text.
_CELL_TYPES: Final = (str, bool, int, float, dt.datetime, dt.date, dt.time)
#: The name pandas gives a header cell that was empty (``Unnamed: 3``, ``Unnamed: 3_level_1``).
_UNNAMED: Final = re.compile(r"Unnamed: \d+(_level_\d+)?")


def is_memory_export(obj: object) -> bool:
    """Whether ``obj`` is an export in memory (not a path or a list of paths)."""
    return (isinstance(obj, pd.DataFrame) or hasattr(obj, "__arrow_c_stream__")
            or callable(getattr(obj, "read", None)))


def _refuse(obj: object, why: str = "") -> UnsupportedInputError:
    return UnsupportedInputError(
        f"cannot read an export from {type(obj).__module__}.{type(obj).__qualname__}"
        f"{why}; give {ACCEPTED}")


def paths_or_refuse(paths: object) -> str | os.PathLike[str] | list[str | os.PathLike[str]]:
    """``paths`` as a path or a list of paths, or :class:`UnsupportedInputError` naming what
    is accepted (a DataFrame is never iterated as if its column names were paths)."""
    if isinstance(paths, (str, os.PathLike)):
        return paths
    if isinstance(paths, (bytes, bytearray, memoryview)):
        raise _refuse(paths, " (bytes: wrap them as io.BytesIO(data), with name=)")
    if not isinstance(paths, Iterable) or isinstance(paths, (pd.Series, np.ndarray, dict)):
        raise _refuse(paths)
    items = list(paths)
    bad = [p for p in items if not isinstance(p, (str, os.PathLike))]
    if bad:
        raise _refuse(bad[0], " in the list (a list holds paths only; read an export in "
                              "memory on its own)")
    return items


def _name_of(obj: object, name: str | None) -> str:
    """The ``sumber_file`` of an export in memory: the given name, a file object's own
    name, else ``<DataFrame>``, ``<BytesIO>``, … (the object's type)."""
    if name is not None:
        if isinstance(name, os.PathLike):
            name = os.fspath(name)
        if not isinstance(name, str) or not name.strip():
            msg = f"name must be a non-empty text naming the data, not {name!r}"
            raise ConfigError(msg)
        return _display(Path(name))
    own = getattr(obj, "name", None)
    if isinstance(own, str) and own and not isinstance(obj, pd.DataFrame) and \
            callable(getattr(obj, "read", None)):
        return _display(Path(own))
    return f"<{type(obj).__name__}>"


def _load_memory(obj: object, name: str | None, *, sheets: Any, encoding: str | None,
                 sep: str | None, limits: Limits) -> tuple[Path, list[_Sheet]]:
    """An export in memory as its sheets, under the name its rows are provenanced with."""
    label = _name_of(obj, name)
    path = Path(label)
    if isinstance(obj, (pd.Series, pd.Index)):
        raise _refuse(obj, " (one column; give the whole table, or series.to_frame())")
    if isinstance(obj, pd.DataFrame):
        return path, _by_kind(_frame_sheet(obj, label, limits), obj)
    if hasattr(obj, "__arrow_c_stream__"):
        frame = _from_arrow(obj, label)
        sheet = _frame_sheet(frame, label, limits)
        sheet.notes.append(f"{label}: an Arrow table ({type(obj).__module__}."
                           f"{type(obj).__qualname__}) read as a sheet")
        return path, _by_kind(sheet, frame)
    data = _read_stream(obj, label, limits)
    if isinstance(data, str):
        sheet = _csv_sheet(data.encode("utf-8"), path, encoding="utf-8", sep=sep,
                           limits=limits)
        sheet.meta["encoding"] = None  # text: nothing was decoded
        return path, [sheet]
    if data.startswith((_ZIP, _OLE)):
        return path, _load_excel(path, sheets=sheets, limits=limits, data=data)
    if _looks_like_html(data):
        return path, _load_html(path, limits=limits, data=data)
    return path, [_csv_sheet(data, path, encoding=encoding, sep=sep, limits=limits)]


def _read_stream(obj: Any, label: str, limits: Limits) -> bytes | str:
    """A file-like object's content, never more than ``limits.max_bytes``."""
    try:
        data = obj.read(limits.max_bytes + 1)
    except (OSError, ValueError, io.UnsupportedOperation) as exc:
        msg = f"{label}: cannot be read ({type(exc).__name__}: {exc})"
        raise UnreadableFileError(msg, file=label) from exc
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, (bytes, str)):
        raise _refuse(obj, f" (its read() gave {type(data).__name__}, not bytes or text)")
    if len(data) > limits.max_bytes:
        msg = (f"{label}: more than {limits.max_bytes / 1024**2:,.0f} MiB, the limit "
               f"(pass max_bytes= to raise it)")
        raise LimitExceededError(msg, file=label)
    return data


def _from_arrow(obj: object, label: str) -> pd.DataFrame:
    """An Arrow table as a pandas frame, through the Arrow PyCapsule stream interface:
    pandas' own import where it has one, else pyarrow's (no copy through a file)."""
    try:
        if hasattr(pd.DataFrame, "from_arrow"):
            return pd.DataFrame.from_arrow(obj)
        try:
            import pyarrow as pa
        except ImportError:
            msg = (f"{label}: this pandas ({pd.__version__}) cannot import an Arrow table "
                   f"without pyarrow; install it (pip install 'dak-monitor[arrow]') or pass "
                   f"the table's .to_pandas()")
            raise UnsupportedInputError(msg) from None
        return pa.table(obj).to_pandas()
    except UnsupportedInputError:
        raise
    except Exception as exc:  # the producer's own error types
        msg = f"{label}: the Arrow table cannot be read ({type(exc).__name__}: {exc})"
        raise UnreadableFileError(msg, file=label) from exc


def _by_kind(sheet: _Sheet, df: pd.DataFrame) -> list[_Sheet]:
    """A frame whose ``jenis_dak`` column holds both kinds, and only them (``Export.data`` of
    a folder with both) as one sheet per kind, named for it, without the other kind's own
    columns: a sheet is read as one kind. Each row keeps its row number."""
    if C.JENIS_DAK not in df.columns or df.columns.nlevels != 1:
        return [sheet]
    kinds = df[C.JENIS_DAK].astype(object).to_numpy()
    if set(kinds) != set(C.KINDS):  # one kind, or a row of neither: one sheet, as it is
        return [sheet]
    head = df.columns.nlevels
    header = sheet.grid.iloc[:head]
    out = []
    names = [str(c) for c in df.columns]
    for kind in C.KINDS:
        # the other kind's own columns are left out, so that the sheet reads as this kind
        own = set(C.FISIK_COLUMNS if kind == C.FISIK else C.NONFISIK_COLUMNS)
        other = (set(C.NONFISIK_COLUMNS) | set(C.FISIK_COLUMNS)) - own
        keep = [j for j, n in enumerate(names) if n not in other]
        rows = sheet.grid.iloc[head:][kinds == kind]
        grid = pd.concat([header, rows]).iloc[:, keep]
        grid.columns = range(grid.shape[1])
        part = _Sheet(sheet.file, kind, grid, notes=list(sheet.notes))
        part.meta.update(sheet.meta)
        part.notes.append(f"{sheet.file}: rows of both kinds (jenis_dak); its {kind} rows "
                          f"read as the sheet {kind!r}, each with its own row number")
        out.append(part)
    return out


def _header_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value)
    return "" if _UNNAMED.fullmatch(text) else text


def _cells(col: pd.Series) -> np.ndarray:
    """A column's cells as a workbook's would be: text, numbers, dates; missing is ``""``."""
    missing = col.isna().to_numpy()
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        col = col.dt.tz_localize(None)
    out = col.astype(object).to_numpy(dtype=object, copy=True)
    out[missing] = ""
    if col.dtype == object or not isinstance(col.dtype, np.dtype):
        # what a workbook cell can hold stays; anything else (a list, a Decimal, a Period)
        # is read as its text, as it would be written to a file
        odd = [i for i, v in enumerate(out) if not isinstance(v, _CELL_TYPES)]
        for i in odd:
            out[i] = str(out[i])
    return out


def _frame_sheet(df: pd.DataFrame, label: str, limits: Limits) -> _Sheet:
    """A frame as one sheet: its column names as the header row (one row per level), then
    its rows; a frame without column names (``header=None``) is the sheet itself."""
    notes = []
    if any(n is not None for n in df.index.names):
        df = df.reset_index()
        notes.append(f"{label}: the frame's index ({', '.join(map(str, df.columns[:1]))}…) "
                     f"read as its first column(s)")
    _check_rows(Path(label), None, len(df) + df.columns.nlevels, limits.max_rows)
    if df.shape[1] > limits.max_columns:
        msg = (f"{label}: {df.shape[1]:,} columns, above the limit of {limits.max_columns:,} "
               f"(pass max_columns= to raise it)")
        raise LimitExceededError(msg, file=label)
    cols = df.columns
    plain = isinstance(cols, pd.RangeIndex) and cols.start == 0 and cols.step == 1
    if plain:
        header: list[list[str]] = []
    elif isinstance(cols, pd.MultiIndex):
        header = [[_header_text(c[i]) for c in cols] for i in range(cols.nlevels)]
    else:
        header = [[_header_text(c) for c in cols]]
    body = np.empty((len(df), df.shape[1]), dtype=object)
    for j in range(df.shape[1]):
        body[:, j] = _cells(df.iloc[:, j])
    rows = np.array(header, dtype=object).reshape(len(header), df.shape[1])
    grid = pd.DataFrame(np.vstack([rows, body]) if len(header) else body, dtype=object)
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    grid.columns = range(grid.shape[1])
    sheet = _Sheet(label, "", grid, notes=notes)
    sheet.meta.update(encoding=None, separator=None)
    return sheet
