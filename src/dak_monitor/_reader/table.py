"""``read_table``: one table-shaped sheet read with its header, row classes and provenance, not
tied to any template.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from .._parse import (
    parse_numbers,
)
from .._vocab import columns as C
from ..exceptions import (
    DakMonitorError,
    HeaderNotFoundError,
    MissingColumnError,
)
from .files import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CELL_CHARS,
    DEFAULT_MAX_COLUMNS,
    DEFAULT_MAX_ROWS,
    HEADER_SEARCH_ROWS,
    Limits,
    _Sheet,
)
from .header import _alias_lookup, _choose_columns, _close_matches, _Header, _locate_header
from .loading import _load_all
from .rows import (
    _SKIPPED_COLUMNS,
    LEVELS,
    _classify,
    _coalesce,
    _first_text,
    _name_cells,
    _ne_matrix,
    _realign,
    _row_text,
    _skipped_frame,
    above_header,
    outline_levels,
)


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


@dataclass(slots=True)
class _SheetTable:
    sheet: _Sheet
    header: _Header | None
    data: pd.DataFrame
    skipped: pd.DataFrame
    totals: pd.DataFrame
    title: list[str]
    rows_read: int
    #: Data rows' cells right of the header's last column (provenance, ``nilai``): a row one
    #: cell wider than its header, e.g. a ``;`` typed in a text, may be shifted.
    beyond: pd.DataFrame = field(default_factory=pd.DataFrame)


_NAMES: Final = (C.MENU, C.RINCIAN, C.SUBBIDANG)
#: A group row's level in ``totals`` (1 outermost; 0 for totals and subtotals).
TINGKAT: Final = "tingkat"


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
                header: _Header | None = None, list_headers: bool = True) -> _SheetTable:
    """One sheet read into its table. A missing required column raises, naming the headers
    found (``list_headers``) or their count (the caller names the command that shows them)."""
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
    _choose_columns(grid, header, sheet.notes, label, sheet.meta.get("pagu"))
    missing = [r for r in required if r not in header.columns]
    if missing:
        found = list(dict.fromkeys(header.labels[j] for j in sorted(header.labels)))
        expected = "; ".join(
            f"{m} (e.g. {', '.join(repr(a) for a in list(aliases.get(m, ()))[:3])})"
            for m in missing)
        said = (f"Found headers: {found}" if list_headers else f"{len(found)} headers found")
        msg = (f"{label}: the header at row {header.rows[0]} lacks required column(s) {expected}. "
               f"{said}{_close_matches(missing, header, aliases)}. If the column is there "
               f"under another name, add its spelling (a layout's [aliases], or aliases= in "
               f"Python).")
        raise MissingColumnError(msg, file=sheet.file, sheet=sheet.sheet or None)
    h_last = header.rows[-1]
    pos0 = grid.index.get_loc(header.rows[0])
    pos1 = grid.index.get_loc(h_last) + 1
    above = grid.iloc[:pos0]
    head_rows = grid.iloc[pos0:pos1]
    body = grid.iloc[pos1:]
    ne = ne_all[pos1:]
    above_blank = pd.Series(above_header(above, ne_all[:pos0]), index=above.index, dtype=object)
    title = [t for t in _row_text(above, limit=500).tolist() if t]
    # Provisional classification, realignment (needs the data rows), final classification.
    value_pos = [j for c in value_columns for j in header.columns.get(c, [])]
    reasons = _classify(body, ne, header, value_pos)
    n_notes = len(sheet.notes)
    _realign(body, ne, header, (reasons == "data").to_numpy(), sheet.notes, label)
    if len(sheet.notes) != n_notes:  # the mapping changed: classify again
        value_pos = [j for c in value_columns for j in header.columns.get(c, [])]
        reasons = _classify(body, ne, header, value_pos)
    reasons = _layout_skips(sheet, body, reasons)
    is_data = (reasons == "data").to_numpy()
    # dtype=object: pandas would otherwise infer (and validate) a string dtype per column;
    # copy=False: the arrays are new, one block each (consolidating them is a needless copy).
    data = pd.DataFrame({canon: (_name_cells if canon in _NAMES and len(cols) > 1
                                 else _coalesce)(body, ne, cols, is_data)
                         for canon, cols in header.columns.items()}, index=body.index[is_data],
                        dtype=object, copy=False)
    outline = outline_levels(body, ne, reasons)
    if outline is not None:  # the outline above each data row (template B's menu and rincian)
        data[LEVELS] = outline[0][is_data]
    used = {j for cols in header.columns.values() for j in cols}
    ignored = list(dict.fromkeys(header.labels[j] for j in sorted(header.labels)
                                 if j not in used and header.labels[j] not in lookup))
    if ignored:
        sheet.notes.append(f"{label}: columns not used (no known header): {ignored}")
    # Totals, subtotals and the group rows that carry amounts (SIPD's urusan > program >
    # kegiatan, unlabelled): each is checked against the rows it covers.
    valued = ne[:, value_pos].any(axis=1) if value_pos else np.zeros(len(body), dtype=bool)
    is_group = (reasons == "group").to_numpy() & valued
    tot_mask = reasons.isin(["total", "subtotal"]).to_numpy() | is_group
    tot_body = body[tot_mask]
    totals = pd.DataFrame({canon: _coalesce(body, ne, cols, tot_mask)
                           for canon, cols in header.columns.items()}, index=tot_body.index,
                          dtype=object)
    totals.insert(0, "alasan", reasons[tot_mask].to_numpy())
    labels = _first_text(tot_body, ne[tot_mask]).to_numpy(dtype=object, copy=True)
    for k in np.flatnonzero(is_group[tot_mask]):  # a group row is named by its longest text
        texts = [str(v) for v in tot_body.iloc[k].tolist() if isinstance(v, str) and v.strip()]
        labels[k] = max(texts, key=len) if texts else labels[k]
    totals.insert(1, "label", labels)
    if header.budget_codes:  # the level is how many code cells the row fills
        level = ne[:, header.budget_codes].sum(axis=1)
    else:
        level = outline[1] if outline is not None else np.zeros(len(body), dtype=np.int64)
    totals.insert(2, TINGKAT, np.where(is_group, level, 0)[tot_mask])
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
                       totals.reset_index(drop=True), title, len(grid),
                       _beyond_header(sheet, body, ne, header, is_data))


def _beyond_header(sheet: _Sheet, body: pd.DataFrame, ne: np.ndarray, header: _Header,
                   is_data: np.ndarray) -> pd.DataFrame:
    """The data rows with cells right of the header's last column, their text joined: such a
    row is wider than its table (an unquoted ``;`` in a note, a shifted row), so none of its
    cells can be trusted to be in their column. Never dropped in silence."""
    last = max([*header.labels, *(j for cols in header.columns.values() for j in cols)],
               default=-1)
    if ne.ndim != 2 or last + 1 >= ne.shape[1]:
        return pd.DataFrame()
    extra = ne[:, last + 1:] & is_data[:, None]
    rows = np.flatnonzero(extra.any(axis=1))
    if not len(rows):
        return pd.DataFrame()
    cells = body.iloc[rows, last + 1:]
    text = [" ; ".join(str(v).strip() for v, on in zip(vals, mask, strict=True) if on)
            for vals, mask in zip(cells.to_numpy(dtype=object), extra[rows], strict=True)]
    return pd.DataFrame({C.SUMBER_FILE: sheet.file, C.SUMBER_SHEET: sheet.sheet,
                         C.SUMBER_BARIS: body.index[rows].astype("int64"), "nilai": text})


def _layout_skips(sheet: _Sheet, body: pd.DataFrame, reasons: pd.Series) -> pd.Series:
    """Rows a layout says are not data (``skip_rows``, ``skip_matching``), as ``layout``."""
    rows, patterns = sheet.meta.get("skip_rows", ()), sheet.meta.get("skip_matching", ())
    if not rows and not patterns:
        return reasons
    hit = reasons.index.isin(list(rows))
    if patterns:
        rx = re.compile("|".join(f"(?:{p})" for p in patterns))
        hit |= _row_text(body, limit=10_000).str.contains(rx).to_numpy(dtype=bool)
    out = reasons.copy()
    out[hit & (reasons.to_numpy() != "blank")] = "layout"
    return out


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
    data = _concat([t.data.drop(columns=LEVELS, errors="ignore") for t in tables])
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


def _raise_no_header(loaded: Sequence[_Sheet], aliases: Mapping[str, Sequence[str]],
                     said: str = "") -> None:
    """Raise the error for a sheet with no header; ``said`` ends it (why no layout applied)."""
    sheet = loaded[0]
    preview = _row_text(sheet.grid.head(8), limit=80).tolist()
    wanted = ", ".join(repr(a[0]) for a in list(aliases.values())[:8] if a)
    where = sheet.file + (f" [{sheet.sheet}]" if len(loaded) == 1 and sheet.sheet else "")
    msg = (f"{where}: no header row found in the first {HEADER_SEARCH_ROWS} rows of any sheet; "
           f"expected at least two known column headers such as {wanted}. The first rows "
           f"read: {preview}. To name its header rows and columns in a layout: dak-monitor "
           f"inspect \"{sheet.file}\" --write-layout layout.toml{said}")
    raise HeaderNotFoundError(msg, file=sheet.file, sheet=sheet.sheet or None)
