"""Rows: every physical row below the header classified as data or as a skipped non-data row with
its reason (title, total, group, numbering, note, other funding, ...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from .._text import col_letter
from .._vocab import columns as C
from .files import _Sheet
from .header import _Header, _norm_label

#: Reasons a physical row is not data (values of ``skipped["alasan"]``).
SKIP_REASONS: Final[dict[str, str]] = {
    "title": "judul / title block above the header",
    "summary": "ringkasan di atas tabel / summary block above the table (a label and an amount)",
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
    "layout": "dilewati menurut tata letak / skipped as the layout says (skip_rows, "
              "skip_matching)",
    "superseded": "digantikan file yang lebih baru / superseded by a later file",
}

_SKIPPED_COLUMNS: Final = (*C.PROVENANCE, "alasan", "isi")


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
#: An outline number as templates print their hierarchy: ``1``, ``1.``, ``1.1``, ``a.``,
#: ``1)``, ``(1)``, ``(a)``, ``I.``, ``A.`` (Perpres 123/2016 Lampiran III: ``1`` / ``a.`` /
#: ``1)`` / ``1``). Each style is one level of the outline.
_OUTLINE: Final = {
    "dotted": re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$"),
    "number": re.compile(r"^\d{1,3}\.?$"),
    "paren": re.compile(r"^\(?\d{1,3}\)$"),
    "roman": re.compile(r"^(?=[IVXL])[IVXL]{1,6}\.?$"),
    "upper": re.compile(r"^[A-Z][.)]$"),
    "letter": re.compile(r"^\(?[a-z][.)]$"),
}
#: Where a template's data rows take their item names from the outline rows above them.
LEVELS: Final = "_tingkat"


def outline_style(value: object) -> str | None:
    """The outline style of a cell (``"number"``, ``"letter"``, …), None if it is not one.

    >>> [outline_style(v) for v in ["1", "1.2", "a.", "1)", "IV.", "32.05.01", "Honor", 2]]
    ['number', 'dotted', 'letter', 'paren', 'roman', 'dotted', None, 'number']
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "number" if float(value).is_integer() and 0 <= value < 1000 else None
    text = str(value).strip()
    if not text or len(text) > 12:
        return None
    return next((name for name, rx in _OUTLINE.items() if rx.match(text)), None)


#: An amount as a summary block prints it (``390.000.000,00``, ``0,00``, ``Rp 1.250``), not
#: a year or a small count.
_AMOUNT_RX: Final = re.compile(
    r"^\s*(rp\.?\s*)?-?(\d{1,3}([.,]\d{3})+([.,]\d+)?|\d+[.,]\d+|\d{5,})\s*$",
    re.IGNORECASE)


def above_header(rows: pd.DataFrame, nonempty: np.ndarray) -> np.ndarray:
    """The reason of each row above the header: ``blank``, ``summary`` (a label and an
    amount, template C's ``Tahap-1 | 390.000.000,00`` block) or ``title``."""
    out = np.where(nonempty.any(axis=1), "title", "blank").astype(object)
    for i in np.flatnonzero(nonempty.sum(axis=1) >= 2):
        cells = [rows.iat[i, j] for j in np.flatnonzero(nonempty[i])]
        last = cells[-1]
        if isinstance(last, (int, float)) and not isinstance(last, bool):
            money = abs(last) >= 10_000 or not float(last).is_integer()
        else:
            money = bool(_AMOUNT_RX.match(str(last)))
        if money and not any(_AMOUNT_RX.match(str(v)) for v in cells[:-1]):
            out[i] = "summary"
    # A sub-heading of the block ("PENERIMAAN DARI RKUN" above "Tahap-1 | …").
    amounts = np.flatnonzero(out == "summary")
    heads = amounts[amounts > 0] - 1
    out[heads[out[heads] == "title"]] = "summary"
    return out


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
    if value_cols:
        # An outline row (Lampiran III's "1 | SUB BIDANG …", "a. | <kegiatan>"): an outline
        # number and a name, no amount, only in the number and name columns. A data row that
        # lacks its amounts has cells in other columns (a region, a period): it stays data
        # and is quarantined.
        named = {j for c in (C.MENU, C.RINCIAN, C.SUBBIDANG) for j in header.columns.get(c, [])}
        owned = {j for cols in header.columns.values() for j in cols}
        other = np.array([j in owned and j not in named for j in range(nonempty.shape[1])])
        rows = np.flatnonzero((reason == DATA) & ~has_value & (count == 2)
                              & ~(nonempty & other).any(axis=1))
        if len(rows):  # each distinct cell text is examined once (no loop over the rows)
            ne = nonempty[rows]
            j1 = ne.argmax(axis=1)
            ne[np.arange(len(rows)), j1] = False
            j2 = ne.argmax(axis=1)
            cells = body.iloc[rows].to_numpy(dtype=object)  # these rows only, not the body
            at = np.arange(len(rows))
            styled = []
            for j in (j1, j2):
                codes, uniques = pd.factorize(pd.Series(cells[at, j], dtype=object),
                                              use_na_sentinel=False)
                styled.append(np.array([outline_style(u) is not None for u in uniques],
                                       dtype=bool)[codes])
            reason[rows[styled[0] & ~styled[1]]] = GROUP
    data_like = (reason == DATA) & has_value
    valued = np.flatnonzero(data_like | (reason == TOTAL) | (reason == SUBTOTAL))
    last = valued[-1] if len(valued) else -1
    tail = reason[last + 1:]
    tail[tail != BLANK] = NOTE
    return pd.Series(names[reason], index=body.index)


def _push_run(base: list[tuple[object, str]], run: list[tuple[object, str]]
              ) -> list[tuple[object, str]]:
    """The outline after a run of group rows: each row takes the place of the level with its
    style (``1`` / ``a.`` / ``1)``); rows of one style throughout replace as many levels as
    the run is long (a new kegiatan and its rincian after the last paket)."""
    styles = [sig for sig, _ in base]
    distinct = len(set(styles)) == len(styles) and len({sig for sig, _ in run}) == len(run)
    if base and distinct and run[0][0] in styles:
        stack = list(base)
        for sig, name in run:
            at = [k for k, (s, _) in enumerate(stack) if s == sig]
            stack = stack[:at[0]] if at else stack
            stack.append((sig, name))
        return stack
    return [*base[:max(0, len(base) - len(run))], *run]


def outline_levels(body: pd.DataFrame, nonempty: np.ndarray, reasons: pd.Series
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    """For each row, the names of the group rows above it, outermost first (a tuple), and
    each group row's depth in the outline (1 outermost; 0 for other rows); None when the sheet
    has no group rows. Only the group and total rows are looked at in Python (a total ends
    the outline); data rows take the outline of the last one above them."""
    r = reasons.to_numpy(dtype=object)
    events = np.flatnonzero((r == "group") | (r == "total"))
    if not (r[events] == "group").any():
        return None
    depth = np.zeros(len(r), dtype=np.int64)
    data_seen = np.cumsum(r == "data")
    stack: list[tuple[object, str]] = []
    base: list[tuple[object, str]] = []
    run: list[tuple[object, str]] = []
    after: list[tuple[str, ...]] = []
    last_data = -1
    for i in events:
        if r[i] == "total":
            stack, base, run = [], [], []
        else:
            if data_seen[i] != last_data:  # data rows since the last group row: a new run
                base, run = stack, []
            last_data = data_seen[i]
            cols = np.flatnonzero(nonempty[i])
            cells = [body.iat[i, j] for j in cols]
            style = outline_style(cells[0]) if len(cells) > 1 else None
            raw = str(next((v for v in cells if outline_style(v) is None), cells[-1]))
            name = raw.strip()
            at = next((int(j) for j, v in zip(cols, cells, strict=True)
                       if outline_style(v) is None), int(cols[-1]))
            indent = len(raw) - len(raw.lstrip())  # levels told apart by leading spaces
            run.append(((style, at, indent), name))
            stack = _push_run(base, run)
            depth[i] = len(stack)
        after.append(tuple(name for _, name in stack))
    which = np.searchsorted(events, np.arange(len(r)), side="right") - 1
    table = np.empty(len(after) + 1, dtype=object)
    table[0] = ()
    for k, chain in enumerate(after, start=1):
        table[k] = chain
    return table[which + 1], depth


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


def _name_cells(body: pd.DataFrame, nonempty: np.ndarray, cols: Sequence[int],
                rows: np.ndarray) -> np.ndarray:
    """A name header merged over several columns (``SUB BIDANG / TEMATIK /KEGIATAN`` over
    B:C, the paket's number in B and its name in C): the rightmost cell that is not an outline
    number, else the first non-empty one."""
    out = _coalesce(body, nonempty, cols, rows)
    idx = np.flatnonzero(rows)
    for j in cols:  # left to right: the rightmost name wins
        col = body.iloc[:, j].to_numpy(dtype=object)[idx]
        for k in np.flatnonzero(nonempty[idx, j]):
            if outline_style(col[k]) is None:
                out[k] = col[k]
    return out


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
