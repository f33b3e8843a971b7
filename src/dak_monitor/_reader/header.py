"""Headers: where a table's header is (below title blocks, on one to three merged rows), and which
header cell is which canonical column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from .._regions import normalize_region_code
from .._text import col_letter
from .._units import strip_unit
from .._vocab import columns as C
from ..exceptions import (
    ConfigError,
    HeaderNotFoundError,
    MissingColumnError,
    UnreadableFileError,
)
from .files import _Sheet


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
                    lookup: Mapping[str, str],
                    below: Sequence[bool] | None = None) -> dict[str, list[int]]:
    # A group label in the upper row spans the empty cells to its right that have a sub-label
    # below (CSV has no merge information; merged cells were filled already). ``below``: which
    # lower cells hold anything (a bare "Rp." is a sub-label whose normalised text is empty).
    up = list(upper)
    has = list(below) if below is not None else [bool(v) for v in lower]
    for j in range(1, len(up)):
        if not up[j] and has[j] and up[j - 1] and (has[j - 1] or j >= 2):
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


def _join_lower(middle: Sequence[str], lower: Sequence[str], below: Sequence[bool]
                ) -> list[str]:
    """The two lower rows of a three-row header as one row of labels: a middle label spans the
    empty cells to its right that have a sub-label below (``Keuangan`` over ``Rp. | %``)."""
    mid = list(middle)
    for j in range(1, len(mid)):
        if not mid[j] and below[j] and mid[j - 1] and below[j - 1]:
            mid[j] = mid[j - 1]
    return [m if m == lo else f"{m} {lo}".strip() for m, lo in zip(mid, lower, strict=True)]


def _score(cols: Mapping[str, list[int]], required: Sequence[str]) -> tuple[int, int]:
    return (sum(1 for r in required if r in cols), len(cols))


def _top_labels(sheet: _Sheet, search_rows: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The sheet's first ``search_rows`` rows (merged cells filled) and their folded labels
    (:func:`_norm_label`), computed once per sheet. The sheet must not be empty."""
    cached = sheet.meta.get("top")
    if cached is None or cached[0] != search_rows:
        top = sheet.grid.iloc[:search_rows]
        top = _fill_merged(top, sheet.merged, int(top.index[0]), sheet)
        sheet.meta["top"] = cached = (search_rows, top, _row_labels(top))
    return cached[1], cached[2]


def _locate_header(sheet: _Sheet, lookup: Mapping[str, str], required: Sequence[str],
                   search_rows: int) -> _Header | None:
    if sheet.grid.empty:
        return None
    top, labels = _top_labels(sheet, search_rows)
    present = top.map(lambda v: v is not None and str(v).strip() != "").to_numpy(dtype=bool)
    forced = sheet.meta.get("header_rows")
    if forced:  # a layout names the header rows
        return _header_at(sheet, top, labels, present, list(forced), lookup, required)
    best: _Header | None = None
    for i in range(len(top)):
        row = labels[i]
        if sum(1 for v in row if v) < 2:
            continue
        cands = [([int(top.index[i])], _match_row(row, lookup), row)]
        if i + 1 < len(top) and not _context_row(row, labels[i + 1]):
            two = _match_two_rows(row, labels[i + 1], lookup, present[i + 1])
            joined = [a if a == b else f"{a} {b}".strip()
                      for a, b in zip(row, labels[i + 1], strict=True)]
            cands.append(([int(top.index[i]), int(top.index[i + 1])], two, joined))
        if i + 2 < len(top) and not _context_row(row, labels[i + 1]):
            # Three rows (Lampiran III saved as CSV: "PERENCANAAN KEGIATAN" over "Pagu DAK
            # Fisik", "Keuangan" over "Rp. | %"), taken only when they name more than either
            # pair of rows does.
            lower = _join_lower(labels[i + 1], labels[i + 2], present[i + 2])
            three = _match_two_rows(row, lower, lookup, present[i + 1] | present[i + 2])
            pairs = (_score(cands[-1][1], required),
                     _score(_match_two_rows(labels[i + 1], labels[i + 2], lookup,
                                            present[i + 2]), required))
            if _score(three, required) > max(pairs):
                joined3 = [a if a == b else f"{a} {b}".strip()
                           for a, b in zip(row, lower, strict=True)]
                cands.append(([int(top.index[i]), int(top.index[i + 1]), int(top.index[i + 2])],
                              three, joined3))
        for rows, cols, joined_labels in cands:
            sc = _score(cols, required)
            if sc[1] < 2:
                continue
            if best is None or sc > best.score:
                best = _Header(rows, cols, {j: str(v) for j, v in enumerate(joined_labels) if v},
                               sc)
    if best is not None and len(best.rows) == 2:
        # A third, outer header row (Lampiran III's "PERENCANAAN KEGIATAN" over D:G above
        # "Volume | … | Pagu DAK Fisik"): cells merged down from it into the two rows found.
        pos = top.index.get_loc(best.rows[0])
        if pos > 0:
            upper, first = top.iloc[pos - 1].tolist(), top.iloc[pos].tolist()
            same = sum(1 for a, b in zip(upper, first, strict=True)
                       if a is not None and str(a).strip() and a == b)
            if same >= 2 and not _context_row(labels[pos - 1], labels[pos]):
                best.rows.insert(0, int(top.index[pos - 1]))
    if best is not None:
        cells = top.loc[best.rows]
        for j in cells.columns:
            texts = {str(v).strip().lower() for v in cells[j] if v is not None and str(v).strip()}
            if texts:
                best.raw[int(j)] = texts
    return best


def _header_at(sheet: _Sheet, top: pd.DataFrame, labels: np.ndarray, present: np.ndarray,
               rows: list[int], lookup: Mapping[str, str], required: Sequence[str]) -> _Header:
    """The header on the rows a layout names (one to three consecutive rows)."""
    pos = [top.index.get_loc(r) for r in rows if r in top.index]
    if len(pos) != len(rows):
        msg = (f"{sheet.file}" + (f" [{sheet.sheet}]" if sheet.sheet else "") +
               f": the layout's header_rows {rows} are not among the sheet's first "
               f"{len(top)} rows")
        raise HeaderNotFoundError(msg, file=sheet.file, sheet=sheet.sheet or None)
    def pair(upper: Sequence[str], lower: Sequence[str], below: np.ndarray
             ) -> tuple[dict[str, list[int]], list[str]]:
        joined = [a if a == b else f"{a} {b}".strip() for a, b in zip(upper, lower, strict=True)]
        return _match_two_rows(upper, lower, lookup, below), joined

    first = labels[pos[0]]
    if len(pos) == 1:
        cols, joined = _match_row(first, lookup), list(first)
    elif len(pos) == 2:
        cols, joined = pair(first, labels[pos[1]], present[pos[1]])
    else:  # three rows: their labels, or the lower two's under an outer row, as names more
        cols, joined = pair(labels[pos[1]], labels[pos[2]], present[pos[2]])
        three = pair(first, _join_lower(labels[pos[1]], labels[pos[2]], present[pos[2]]),
                     present[pos[1]] | present[pos[2]])
        if _score(three[0], required) > _score(cols, required):
            cols, joined = three
    head = _Header(list(rows), cols, {j: str(v) for j, v in enumerate(joined) if v},
                   _score(cols, required))
    cells = top.loc[head.rows]
    for j in cells.columns:
        texts = {str(v).strip().lower() for v in cells[j] if v is not None and str(v).strip()}
        if texts:
            head.raw[int(j)] = texts
    return head


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


def _choose_columns(grid: pd.DataFrame, header: _Header, notes: list[str], label: str,
                    pagu_header: str | None = None) -> None:
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
    if pagu_header is not None:  # a layout names the pagu column by its header text
        want = _norm_label(pagu_header)
        pick = next((j for j, lab in sorted(header.labels.items())
                     if _norm_label(lab) == want), None)
        if pick is None:
            msg = (f"{label}: the layout's pagu = {pagu_header!r} is not a header of this "
                   f"sheet; its headers are {sorted(set(header.labels.values()))}")
            raise MissingColumnError(msg)
        for cols in header.columns.values():
            if pick in cols:
                cols.remove(pick)
        header.columns = {k: v for k, v in header.columns.items() if v}
        header.columns[C.PAGU] = [pick]
        notes.append(f"{label}: pagu is {header.labels[pick]!r} (column {col_letter(pick)}), "
                     f"as the layout says")
        pagu = [pick]
    if len(pagu) > 1:
        labs = [_norm_label(header.labels.get(j, "")) for j in pagu]
        if any("dpa" in lab or "rka" in lab for lab in labs):
            pick = next((j for j, lab in zip(pagu, labs, strict=True) if "dpa" in lab), pagu[-1])
            others = [header.labels.get(j, "") for j in pagu if j != pick]
            header.columns[C.PAGU] = [pick]
            notes.append(f"{label}: pagu is {header.labels.get(pick)!r} (column "
                         f"{col_letter(pick)}), the authorised budget; "
                         f"{', '.join(repr(o) for o in others)} not used")


    # A name header merged over several columns loses its merge in a CSV copy: unlabelled
    # columns right of it that hold names in the body belong to it (the paket's name beside
    # its number, Lampiran III's B:C).
    owned = {j for cols in header.columns.values() for j in cols}
    for canon in (C.MENU, C.RINCIAN, C.SUBBIDANG):
        cols = header.columns.get(canon)
        if not cols or len(cols) != 1 or not len(body):
            continue
        j = cols[0] + 1
        while j < grid.shape[1] and j not in owned and not header.labels.get(j):
            if not body.iloc[:, j].map(lambda v: isinstance(v, str) and bool(
                    _WORD.search(v))).any():
                break
            cols.append(j)
            owned.add(j)
            j += 1
        if len(cols) > 1:
            notes.append(f"{label}: " + (f"columns {col_letter(cols[1])}-"
                                          f"{col_letter(cols[-1])} have" if len(cols) > 2
                                          else f"column {col_letter(cols[1])} has") +
                         " no header of its own and holds names: read with "
                         f"{header.labels.get(cols[0])!r} (a merged header cell)")


_WORD: Final = re.compile(r"[A-Za-z]{3}")


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
