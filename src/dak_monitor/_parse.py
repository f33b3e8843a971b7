"""Vectorised parsers for the cells of Indonesian budget exports.

Every parser takes a :class:`pandas.Series` of raw cells (text from a CSV, or the typed values
python-calamine returns for an XLSX: ``float``, ``int``, ``str``, ``datetime`` …) and returns a
:class:`Parsed` pair: the parsed values and a boolean mask of the cells that were *not empty*
but could not be parsed. Callers keep the raw text of those cells so validation can quote it.

Conventions (documented in the README):

* ``""``/whitespace is *missing* (NaN); a lone ``-`` (or en/em dash) is *zero* — the accounting
  convention for "nil" in Indonesian reports.
* Numbers are Indonesian by default (``1.234.567,89``); a column is read as English
  (``1,234,567.89``) only when its cells show English grouping and none shows Indonesian.
  ``1.5`` or ``12.75`` (one dot, not followed by exactly three digits) is a decimal point in
  either style; ``1.234`` is one thousand two hundred and thirty-four.
* ``Rp``/``IDR`` prefixes, ``,-`` suffixes, spaces and ``(…)``/leading ``-`` negatives are
  understood.
* Dates are day-first (``dd/mm/yyyy``, ``dd-mm-yyyy``, ``12 Maret 2024``), ISO, Excel serials
  or real date cells; ``mm/dd`` is never guessed.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from ._text import tidy_blob
from ._vocab import MONTHS

__all__ = [
    "MONTHS_ID",
    "Parsed",
    "is_blank",
    "parse_dates",
    "parse_numbers",
    "parse_percents",
    "parse_periode",
    "parse_tahun",
    "parse_text",
]

#: Indonesian (and common English/short) month names -> month number (from the vocabulary).
MONTHS_ID: Final[dict[str, int]] = {a: int(t.code) for t in MONTHS.values() for a in t.aliases}
_MONTH_RE: Final = "|".join(sorted(MONTHS_ID, key=len, reverse=True))

#: Columns longer than this take the whole-column fast paths (one join, factorised cells);
#: shorter ones go cell by cell. Both give the same result (tests/test_parse_long.py).
LONG_COLUMN = 1000

_EXCEL_EPOCH: Final = pd.Timestamp("1899-12-30")
_SERIAL_MIN, _SERIAL_MAX = 20_000, 80_000  # 1954-10-03 .. 2119-01-10: plausible report dates


@dataclass(frozen=True, slots=True)
class Parsed:
    """Parsed values and the mask of non-empty cells that could not be parsed."""

    values: pd.Series
    bad: pd.Series


def _as_object(raw: pd.Series) -> pd.Series:
    return raw if raw.dtype == object else raw.astype(object)


def is_blank(raw: pd.Series) -> pd.Series:
    """Return a mask of cells that are empty: missing, ``""`` or only whitespace.

    Examples
    --------
    >>> is_blank(pd.Series(["", "  ", None, "x", 0.0])).tolist()
    [True, True, True, False, False]
    """
    if pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object:
        return raw.isna() | (raw.str.strip() == "")
    arr = _as_object(raw).to_numpy()
    out = pd.isna(arr)
    out |= (arr == "") | (arr == " ")
    # Longer white-space-only text: look only at the (few) text cells starting with space.
    cand = np.flatnonzero(~out)
    if len(cand) > LONG_COLUMN and not _any_leading_space(arr[cand]):
        return pd.Series(out, index=raw.index)
    if len(cand):
        lead = np.fromiter((type(v) is str and v[:1].isspace() for v in arr[cand]),
                           dtype=bool, count=len(cand))
        for i in cand[lead]:
            out[i] = not arr[i].strip()
    return pd.Series(out, index=raw.index)


_LEAD_WS: Final = re.compile(r"\n[^\S\n]")  # a literal first character: sre scans fast


def _any_leading_space(values: np.ndarray) -> bool:
    """True unless every value is a ``str`` that does not start with white space (one pass).

    Joining the cells is a C-speed way to test them all at once; a cell with a line break
    inside may give a false True, never a false False.
    """
    try:
        blob = "\n".join(values)
    except TypeError:
        return True
    return blob[:1].isspace() or _LEAD_WS.search(blob) is not None


def _factorize_cells(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes, distinct values and blank mask of a column; blank cells get code -1.

    Export columns repeat a few values a million times, so parsers work on the distinct
    values; blanks are tested on those too.
    """
    codes, uniques = pd.factorize(_as_object(raw), use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    ublank = is_blank(pd.Series(uniques, dtype=object)).to_numpy()
    if ublank.any():
        codes = np.where(codes >= 0, np.where(ublank, -1, np.arange(len(uniques)))[
            np.clip(codes, 0, None)], -1)
    return codes, uniques, codes < 0


def _str_mask(obj: pd.Series) -> np.ndarray:
    """Boolean array: which cells are Python ``str`` (vs numbers, dates, None)."""
    if obj.dtype != object:
        return np.full(len(obj), pd.api.types.is_string_dtype(obj.dtype), dtype=bool)
    arr = obj.to_numpy()
    return np.fromiter((type(v) is str for v in arr), dtype=bool, count=len(arr))


def _split_types(raw: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """Split a column by cell type, positionally.

    Returns (stripped non-empty text cells with a RangeIndex, their positions, the other
    non-missing cells as an object array, their positions).
    """
    n = len(raw)
    if pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object:
        # Not stripped here (a pass over every cell): the fast path allows surrounding
        # spaces, and the careful path strips what it handles.
        s = raw.reset_index(drop=True)
        keep = ~(s.isna() | (s == "") | (s == " ")).to_numpy()
        pos = np.flatnonzero(keep)
        return s[keep].reset_index(drop=True), pos, np.empty(0, dtype=object), np.empty(0, int)
    arr = _as_object(raw).to_numpy()
    na = pd.isna(arr)
    if n > LONG_COLUMN:
        pos = np.flatnonzero(~na)
        vals = arr[pos]
        if not _any_leading_space(vals):  # all text, none blank but ""
            keep = vals != ""
            return (pd.Series(vals[keep], dtype=object), pos[keep], np.empty(0, dtype=object),
                    np.empty(0, int))
    strs = _str_mask(pd.Series(arr, dtype=object))
    s = pd.Series(arr[strs], dtype=object)
    keep = ~is_blank(s).to_numpy()
    text_pos = np.flatnonzero(strs)[keep]
    other_pos = np.flatnonzero(~strs & ~na)
    return s[keep].reset_index(drop=True), text_pos, arr[other_pos], other_pos


# ----------------------------------------------------------------------------- numbers
_ID_GROUPED: Final = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?"
_ID_PLAIN: Final = r"\d+(?:,\d+)?"
_DOT_DECIMAL: Final = r"\d+\.(?:\d{1,2}|\d{4,})"
_EN_GROUPED: Final = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_EN_PLAIN: Final = r"\d+(?:\.\d+)?"
_FAST_ID: Final = re.compile(rf"^-?(?:{_ID_GROUPED}|{_ID_PLAIN})$")
_CLEAN_ID: Final = re.compile(rf"^(?:{_ID_GROUPED}|{_ID_PLAIN}|{_DOT_DECIMAL})$")
_CLEAN_EN: Final = re.compile(rf"^(?:{_EN_GROUPED}|{_EN_PLAIN})$")
_JUNK: Final = re.compile(r"(?i)\s+|\u00a0|rp\.?|idr|%")


_ID_ONLY: Final = re.compile(
    r"^(?:\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d{1,3}(?:\.\d{3})+,\d+|\d+,(?:\d{1,2}|\d{4,}))$")
_EN_SIGNAL: Final = re.compile(r"^(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?)$")


def _detect_style(text: pd.Series) -> str:
    """``"en"`` when the column shows English grouping and no Indonesian-only form, else ``"id"``.

    ``1.234.567``, ``1.234,5`` and ``12,5`` are Indonesian-only; ``1,234,567`` / ``1,234.5``
    (and ``2,000`` when nothing Indonesian-only is present) are English.
    """
    if text.empty:
        return "id"
    if len(text) > 5000:
        pick = np.random.default_rng(0).choice(len(text), 5000, replace=False)
        sample = text.iloc[np.sort(pick)]
    else:
        sample = text
    sample = sample.str.replace(_JUNK, "", regex=True).str.strip("()-")
    en = sample.str.match(_EN_SIGNAL).to_numpy(dtype=bool, na_value=False)
    id_only = sample.str.match(_ID_ONLY).to_numpy(dtype=bool, na_value=False)
    return "en" if en.any() and not id_only.any() else "id"


def _to_float(clean: pd.Series, style: str) -> pd.Series:
    if style == "en":
        return pd.to_numeric(clean.str.replace(",", "", regex=False), errors="coerce")
    # One dot not followed by exactly three digits is a decimal point in either style.
    is_dot_dec = clean.str.fullmatch(_DOT_DECIMAL)
    num = clean.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    if bool(is_dot_dec.any()):
        num = num.where(~is_dot_dec, clean)
    return pd.to_numeric(num, errors="coerce")


# One cell of a joined money column: a well-formed Indonesian number. Possessive quantifiers:
# no backtracking.
_BLOB_LINE: Final = r"[ ]*+-?+(?:\d{1,3}+(?:\.\d{3})++(?!\d)|\d++)(?:,\d++)?+[ ]*+"
# (one-character gate, substrings of which one must be present, pattern, replacement); the
# one-character test is a memchr over the text, so an absent decoration costs almost nothing.
_BLOB_FIXES: Final = (
    ("RrI", ("Rp", "RP", "rp", "IDR"), re.compile(r"(?im)^[ ]*(?:rp|idr)\.?[ ]*"), ""),
    ("-", (",-", ".-"), re.compile(r"(?m)[,.]-+[ ]*$"), ""),               # 1.234,- suffix
    ("(", ("(",), re.compile(r"(?m)^[ ]*\((.*)\)[ ]*$"), r"-\1"),          # (1.234) negatives
    ("-\u2013\u2014", ("\n--", "\n- ", "\n -", "\n\u2013", "\n \u2013", "\n\u2014", "\n -",
                      "\n -"),
     re.compile(r"(?m)^[ ]*[-\u2013\u2014]{1,2}[ ]*$"), "0"),         # a lone dash is zero
    ("%", ("%",), re.compile(r"(?m)[ ]*%[ ]*$"), ""),                      # 93,5% (percents)
)


_LINE_OK: Final = re.compile(rf"(?:{_BLOB_LINE})?+", re.ASCII)  # \d: ASCII digits only
_NO_LINES: Final = np.empty(0, dtype=np.int64)


def _blob_check(blob: str) -> tuple[bytes, np.ndarray]:
    """The lines of ``blob`` that are not well-formed Indonesian numbers, and the blob as
    ASCII bytes with each of those lines replaced by zeros (for the C parser; the caller
    parses those cells carefully).

    A line is well-formed when it matches ``_BLOB_LINE`` (or is empty) and does not start
    with white space. An ASCII blob without spaces is checked with array operations on its
    bytes (about 0.07 s per million cells, where a regular expression over every character
    takes 0.24 s): only digits, ``.``, ``,``, ``-`` and line breaks; a dot has a digit before
    it, exactly three after it, and not four digits before it (``1234.567``); a comma has
    digits on both sides and only digits after it on its line; a minus sign starts its line
    and is followed by a digit. Each rule looks only within its line, so a violation marks
    exactly its own line. Other blobs (spaces, non-ASCII) are checked line by line with the
    regular expression. ``tests/test_parse_long.py`` checks both against ``_BLOB_LINE``.
    """
    if blob.isascii() and " " not in blob:
        data = blob.encode("ascii")
        # Four line breaks on both sides: every neighbour looked at below exists.
        b = np.frombuffer(b"\n\n\n\n" + data + b"\n\n\n\n", dtype=np.uint8)
        dig = (b - np.uint8(48)) <= 9  # wraps around below "0": digits only
        n = len(b) - 4

        def near(k: int) -> np.ndarray:  # is-digit of the character k places away
            return dig[4 + k:n + k]

        mid = b[4:n]
        dot, dash, comma = mid == ord("."), mid == ord("-"), mid == ord(",")
        bad = dot & ~(near(-1) & near(1) & near(2) & near(3) & ~near(4)
                      & ~(near(-4) & near(-3) & near(-2)))
        bad |= dash & ~((b[3:n - 1] == 10) & near(1))
        bad |= comma & ~(near(-1) & near(1))
        if data.translate(None, b"0123456789.,-\n"):  # another character
            bad |= ~(near(0) | dot | dash | comma | (mid == 10))
        where = np.flatnonzero(bad)
        if comma.any():
            # After a comma only digits until the line break: in the sequence of the other
            # characters, a comma is followed by a line break or by nothing.
            mark_at = np.flatnonzero(~near(0))
            marks = mid[mark_at]
            after = (marks[:-1] == ord(",")) & (marks[1:] != 10)
            if after.any():
                where = np.concatenate([where, mark_at[:-1][after]])
        if not len(where):
            return data, _NO_LINES
        breaks = np.flatnonzero(mid == 10)
        redo = np.unique(np.searchsorted(breaks, where))  # line number of each violation
        starts = np.concatenate([[0], breaks + 1])[redo]
        lengths = np.concatenate([breaks, [len(mid)]])[redo] - starts
        zeroed = mid.copy()
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths,
                                                               lengths)
        zeroed[np.repeat(starts, lengths) + offsets] = ord("0")
        return zeroed.tobytes(), redo.astype(np.int64)
    lines = blob.split("\n")
    ok = [_LINE_OK.fullmatch(t) is not None and not t[:1].isspace() for t in lines]
    redo = np.flatnonzero(~np.array(ok, dtype=bool))
    for i in redo:
        lines[i] = "0"
    # What is left matches the grammar, which allows ASCII characters only.
    return "\n".join(lines).encode("ascii"), redo.astype(np.int64)


def _parse_text_fast(text: pd.Series) -> np.ndarray | None:
    """Whole-column fast path for Indonesian text numbers (CSV columns).

    The column is joined into one text; a few regular-expression substitutions remove
    ``Rp``, ``,-``, parentheses and dashes; a strict check makes sure that every line is a
    well-formed Indonesian number (the C CSV parser alone would accept ``1.234.56``); then
    pandas' C parser converts it. Returns None when any cell needs the careful path.
    """
    values = text.to_numpy(dtype=object)
    if not len(values):
        return np.empty(0)
    try:
        blob = "\n".join(values)
    except TypeError:
        return None
    parsed = _parse_blob(blob, len(values))
    if parsed is None or len(parsed[1]):
        return None
    return parsed[0]


def _parse_blob(blob: str, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Cells joined with line breaks (``n`` of them) as numbers, and the positions of the
    cells to parse carefully instead (their values here are meaningless); None when the
    whole column needs the careful path."""
    if "\r" in blob or '"' in blob:
        return None
    blob = "\n" + blob + "\n"  # so that every cell is between two line breaks
    if "\n-\n" in blob:  # the common lone dash (zero), without a regular expression
        blob = blob.replace("\n-\n", "\n0\n").replace("\n-\n", "\n0\n")
    for gate, needles, rx, rep in _BLOB_FIXES:
        if any(c in blob for c in gate) and any(n in blob for n in needles):
            blob = rx.sub(rep, blob)
    data, redo = _blob_check(blob[1:-1])
    # From bytes: the C parser reads them as they are (from a str it encodes them first).
    parsed = pd.read_csv(io.BytesIO(data + b"\n"), header=None, names=["v"], sep="\x1f",
                         thousands=".", decimal=",", dtype={"v": "float64"},
                         skip_blank_lines=False, engine="c")["v"].to_numpy()
    return (parsed, redo) if len(parsed) == n else None


def parse_numbers(raw: pd.Series, *, style: str = "auto") -> Parsed:
    """Parse money/number cells written the Indonesian way.

    Parameters
    ----------
    raw : Series
        Raw cells (text and/or numbers).
    style : {"auto", "id", "en"}
        Decimal convention of the text cells; ``"auto"`` decides once for the whole column.

    Returns
    -------
    Parsed
        ``values`` as float64 (NaN for empty cells; ``-`` is 0) and ``bad`` for cells that are
        not empty but are not numbers.

    Examples
    --------
    >>> p = parse_numbers(pd.Series(["1.234.567", "Rp 1.234.567,50", "(2.000)", "-", "",
    ...                              "Rp.5.000,-", "1.234.56"]))
    >>> p.values.tolist()
    [1234567.0, 1234567.5, -2000.0, 0.0, nan, 5000.0, nan]
    >>> p.bad.tolist()
    [False, False, False, False, False, False, True]
    """
    n = len(raw)
    values = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    if n > LONG_COLUMN and raw.dtype == object and style in ("auto", "id"):
        # A long column of text (a CSV column): joined once, checked and parsed as one text.
        arr = raw.to_numpy()
        pos = np.flatnonzero(~pd.isna(arr))
        cells = arr[pos]
        try:
            blob: str | None = "\n".join(cells)
        except TypeError:
            blob = None
        if (blob is not None
                and (style == "id" or "," not in blob  # English grouping needs a comma
                     or _detect_style(pd.Series(cells, dtype=object)) == "id")):
            fast = _parse_blob(blob, len(cells))
            if fast is not None:
                parsed, redo = fast
                values[pos] = parsed
                bad[pos] = np.isnan(parsed) & (cells != "")
                if len(redo):  # a few malformed cells: only those take the careful path
                    careful = _parse_numbers_careful(pd.Series(cells[redo], dtype=object),
                                                     "id")
                    values[pos[redo]] = careful.values.to_numpy()
                    bad[pos[redo]] = careful.bad.to_numpy()
                return _finite(values, bad, raw.index)
    return _parse_numbers_careful(raw, style)


def _parse_numbers_careful(raw: pd.Series, style: str) -> Parsed:
    """:func:`parse_numbers` without the joined-column path for long columns: cells by kind
    (numbers, text), text through a few vectorised string steps."""
    n = len(raw)
    values = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    text, text_pos, other, other_pos = _split_types(raw)
    if len(other):
        is_num = np.fromiter(
            (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
             for v in other), dtype=bool, count=len(other))
        num = np.full(len(other), np.nan)
        if is_num.any():
            num[is_num] = other[is_num].astype(float)
        values[other_pos] = num
        bad[other_pos] = np.isnan(num)
    if len(text) and style in ("auto", "id") and (style == "id" or
                                                  _detect_style(text) == "id"):
        fast = _parse_text_fast(text)
        if fast is not None:
            values[text_pos] = fast
            bad[text_pos] = np.isnan(fast)
            text = text[:0]
    if len(text):
        text = text.str.strip()
        out = np.full(len(text), np.nan)
        if style == "auto":
            style = _detect_style(text)
        dash = text.isin(["-", "\u2013", "\u2014", "--"]).to_numpy()
        out[dash] = 0.0
        rest = ~dash
        if style == "id":
            fast = text.str.match(_FAST_ID).to_numpy(dtype=bool, na_value=False) & rest
            if fast.any():
                t = text[fast]
                out[fast] = pd.to_numeric(
                    t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
                    errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            rest &= ~fast
        if rest.any():
            t = text[rest].str.replace(_JUNK, "", regex=True)
            t = t.str.replace(r"[,.]-+$", "", regex=True)
            paren = t.str.fullmatch(r"\(.*\)").to_numpy(dtype=bool, na_value=False)
            t = t.str.strip("()")
            minus = t.str.match(r"-\d").to_numpy(dtype=bool, na_value=False)
            t = t.str.replace(r"^-(?=\d)", "", regex=True)
            gate = _CLEAN_EN if style == "en" else _CLEAN_ID
            okg = t.str.fullmatch(gate).to_numpy(dtype=bool, na_value=False)
            vals = np.full(len(t), np.nan)
            if okg.any():
                vals[okg] = _to_float(t[okg], style).to_numpy(dtype=float, na_value=np.nan)
            sign = np.where(paren ^ minus, -1.0, 1.0)
            out[rest] = vals * sign
        values[text_pos] = out
        bad[text_pos] = np.isnan(out)
    return _finite(values, bad, raw.index)


def _finite(values: np.ndarray, bad: np.ndarray, index: pd.Index) -> Parsed:
    """Numbers too large for a float (``9`` × 400 digits reads as infinity) are not numbers:
    they are reported as unparseable, never kept as an infinite pagu."""
    inf = np.isinf(values)
    if inf.any():
        values[inf] = np.nan
        bad |= inf
    return Parsed(pd.Series(values, index=index, dtype="float64"), pd.Series(bad, index=index))


def parse_percents(raw: pd.Series, *, expected: pd.Series | None = None) -> Parsed:
    """Parse a percent column to the printed 0–100 scale, deciding the scale once per column.

    Text with a ``%`` sign is read as printed. Other cells (text without ``%``, or Excel numbers
    such as ``0.935`` from a cell formatted as percent) are read either as printed or as a
    fraction; the choice is made for the whole column, never per cell: by comparing with
    ``expected`` (e.g. ``100 * realisasi / pagu``) when given, else fractions when every such
    cell is an Excel number in [-1, 1], else as printed.

    Examples
    --------
    >>> parse_percents(pd.Series(["93,5%", "0,5", "12"])).values.tolist()
    [93.5, 0.5, 12.0]
    >>> parse_percents(pd.Series([0.935, 0.05], dtype=object)).values.tolist()
    [93.5, 5.0]
    """
    codes: np.ndarray | None = None
    if len(raw) > 20 * LONG_COLUMN:  # a long column repeats its few thousand distinct percents
        codes, uniques = pd.factorize(_as_object(raw), use_na_sentinel=True)
        if 4 * len(uniques) > len(raw):
            codes = None
    if codes is not None:
        cells = _percent_cells(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
        vals, bad, has_pct, strs = (np.append(a, fill)[codes] for a, fill in
                                    zip(cells, (np.nan, False, False, False), strict=True))
    else:
        vals, bad, has_pct, strs = _percent_cells(raw)
    free = ~has_pct & ~np.isnan(vals)
    if free.any():
        v = vals[free]
        scale = 1.0
        if expected is not None:
            exp = pd.to_numeric(expected, errors="coerce").to_numpy(dtype=float)[free]
            # Rows where the two readings differ tell them apart (0 is 0 on both scales).
            ok = ~np.isnan(exp) & ((np.abs(v) > 1e-12) | (np.abs(exp) > 1e-9))
            if ok.any():
                err_printed = np.median(np.abs(v[ok] - exp[ok]))
                err_fraction = np.median(np.abs(100 * v[ok] - exp[ok]))
                scale = 100.0 if err_fraction < err_printed else 1.0
            elif not strs[free].any() and np.nanmax(np.abs(v)) <= 1.0:
                scale = 100.0
        elif not strs[free].any() and np.nanmax(np.abs(v)) <= 1.0:
            scale = 100.0
        vals[free] = v * scale
    return Parsed(pd.Series(vals, index=raw.index, dtype="float64"),
                  pd.Series(bad, index=raw.index, dtype=bool))


def _percent_cells(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-cell part of :func:`parse_percents`: values, bad, has a ``%`` sign, is text."""
    if pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object:  # CSV text
        strs = raw.notna().to_numpy()
        has_pct = raw.str.contains("%", regex=False).to_numpy(dtype=bool, na_value=False)
        parsed = parse_numbers(raw)
    else:
        obj = _as_object(raw)
        arr = obj.to_numpy()
        strs = _str_mask(obj)
        has_pct = np.zeros(len(obj), dtype=bool)
        if strs.any():
            has_pct[strs] = np.fromiter(("%" in v for v in arr[strs]), dtype=bool,
                                        count=int(strs.sum()))
        parsed = parse_numbers(obj)
    return (parsed.values.to_numpy(dtype=float, copy=True), parsed.bad.to_numpy(dtype=bool),
            has_pct, strs)


# ------------------------------------------------------------------------------- dates
_DMY: Final = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD: Final = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_D_MONTH_Y: Final = re.compile(rf"(?i)^(\d{{1,2}})[\s\-]+({_MONTH_RE})\.?[\s\-,]+(\d{{4}})$")


# pandas' nanosecond timestamps span 1677-09-22 .. 2262-04-11; a date outside (31/12/9999 as a
# placeholder, a typo'd year) is reported as an unparseable date, never allowed to crash.
_YEAR_MIN, _YEAR_MAX = 1678, 2261


def _in_range(ts: pd.Timestamp | None) -> pd.Timestamp | None:
    return ts if ts is not None and _YEAR_MIN <= ts.year <= _YEAR_MAX else None


def _date_from_text(s: str) -> pd.Timestamp | None:
    return _in_range(_date_from_text_any(s))


def _date_from_text_any(s: str) -> pd.Timestamp | None:
    for rx, order in ((_DMY, "dmy"), (_YMD, "ymd"), (_D_MONTH_Y, "dMy")):
        m = rx.match(s)
        if not m:
            continue
        a, b, c = m.groups()
        try:
            if order == "dmy":
                return pd.Timestamp(int(c), int(b), int(a))
            if order == "ymd":
                return pd.Timestamp(int(a), int(b), int(c))
            return pd.Timestamp(int(c), MONTHS_ID[b.lower()], int(a))
        except ValueError:
            return None
    if re.fullmatch(r"\d{5}(?:\.0+)?", s):
        return _from_serial(float(s))
    return None


def _from_serial(v: float) -> pd.Timestamp | None:
    if _SERIAL_MIN <= v <= _SERIAL_MAX:
        return _EXCEL_EPOCH + pd.Timedelta(days=int(v))
    return None


def _date_from_cell(v: object) -> pd.Timestamp | None:
    if isinstance(v, str):
        return _date_from_text(v.strip())
    if isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp, np.datetime64)):
        try:
            return _in_range(pd.Timestamp(v).normalize())
        except (ValueError, OverflowError):
            return None
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return _from_serial(float(v))
    return None


def parse_dates(raw: pd.Series) -> Parsed:
    """Parse day-first dates, Indonesian month names, ISO dates, Excel serials and date cells.

    Values repeat a lot in exports, so each distinct cell is parsed once.

    Examples
    --------
    >>> p = parse_dates(pd.Series(["12/03/2024", "12-03-2024", "12 Maret 2024", "45363",
    ...                            "31/02/2024", ""]))
    >>> [str(v.date()) if pd.notna(v) else None for v in p.values]
    ['2024-03-12', '2024-03-12', '2024-03-12', '2024-03-12', None, None]
    >>> p.bad.tolist()
    [False, False, False, False, True, False]
    """
    codes, uniques, blank = _factorize_cells(raw)
    parsed = [_date_from_cell(u) for u in uniques]
    lookup = pd.array([p if p is not None else pd.NaT for p in parsed] + [pd.NaT],
                      dtype="datetime64[ns]")
    vals = lookup[codes]  # code -1 picks the trailing NaT
    out = pd.Series(vals, index=raw.index, dtype="datetime64[ns]")
    return Parsed(out, pd.Series(out.isna().to_numpy() & ~blank, index=raw.index))


# ------------------------------------------------------------------------ tahun/periode
_TW: Final = {"i": 3, "1": 3, "ii": 6, "2": 6, "iii": 9, "3": 9, "iv": 12, "4": 12}
_SEM: Final = {"i": 6, "1": 6, "ii": 12, "2": 12}


def _periode_from_text(s: str) -> tuple[int | None, int] | None:
    """(year or None, month) of a period label, or None when it is not one."""
    t = re.sub(r"\s+", " ", s.strip().lower())
    t = re.sub(r"^(periode|posisi|bulan|keadaan|s\s*[./]?\s*d\s*\.?|sampai dengan)\b[\s:.]*",
               "", t)
    t = re.sub(r"^(s\s*[./]?\s*d\s*\.?|sampai dengan)\s*", "", t).strip(" .:")
    m = re.fullmatch(r"(?:tw|triwulan|trw|q)\s*[-.]?\s*(iv|iii|ii|i|[1-4])(?:\s+(\d{4}))?", t)
    if m:
        return (int(m.group(2)) if m.group(2) else None, _TW[m.group(1)])
    m = re.fullmatch(r"(?:semester|smt|sem)\s*[-.]?\s*(ii|i|[12])(?:\s+(\d{4}))?", t)
    if m:
        return (int(m.group(2)) if m.group(2) else None, _SEM[m.group(1)])
    m = re.fullmatch(rf"(?:\d{{1,2}}\s+)?({_MONTH_RE})\.?(?:\s+(\d{{4}}))?", t)
    if m:
        return (int(m.group(2)) if m.group(2) else None, MONTHS_ID[m.group(1)])
    m = re.fullmatch(r"(\d{1,2})\s*[/\-.]\s*(\d{4})", t)
    if m and 1 <= int(m.group(1)) <= 12:
        return (int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(\d{4})\s*[/\-.]\s*(\d{1,2})", t)
    if m and 1 <= int(m.group(2)) <= 12:
        return (int(m.group(1)), int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2})(?:\.0+)?", t)
    if m and 1 <= int(m.group(1)) <= 12:
        return (None, int(m.group(1)))
    d = _date_from_text(t)
    if d is not None:
        return (d.year, d.month)
    return None


def _periode_from_cell(v: object) -> tuple[int | None, int] | None:
    if isinstance(v, str):
        return _periode_from_text(v)
    if isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(v)
        return (ts.year, ts.month)
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        f = float(v)
        if f.is_integer() and 1 <= f <= 12:
            return (None, int(f))
        d = _from_serial(f)
        return (d.year, d.month) if d is not None else None
    return None


def parse_periode(raw: pd.Series, *, tahun: pd.Series | int | None = None) -> Parsed:
    """Parse report periods to the month-end date they run up to.

    Understands ``Juni 2024``, ``s.d. Juni 2024``, ``06/2024``, ``2024-06``, ``30/06/2024``,
    ``TW II`` (June), ``Semester I`` (June), a month number, and date cells. A label without
    a year takes it from ``tahun`` (a column or one fiscal year); without one it is bad.

    Examples
    --------
    >>> p = parse_periode(pd.Series(["Juni 2024", "s.d. Juni", "TW II", "06/2024", "bulan 13"]),
    ...                   tahun=2024)
    >>> [str(v.date()) if pd.notna(v) else None for v in p.values]
    ['2024-06-30', '2024-06-30', '2024-06-30', '2024-06-30', None]
    """
    codes, uniques, blank = _factorize_cells(raw)
    parsed = [_periode_from_cell(u) for u in uniques]
    year_u = np.array([np.nan if p is None or p[0] is None else p[0] for p in parsed] + [np.nan])
    month_u = np.array([np.nan if p is None else p[1] for p in parsed] + [np.nan])
    year = year_u[codes]
    month = month_u[codes]
    if tahun is not None:
        t = (np.full(len(raw), float(tahun)) if isinstance(tahun, (int, np.integer))
             else pd.to_numeric(pd.Series(tahun), errors="coerce").to_numpy(dtype=float))
        year = np.where(np.isnan(year), t, year)
    ok = ~np.isnan(year) & ~np.isnan(month) & (year >= _YEAR_MIN) & (year <= _YEAR_MAX)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if ok.any():
        start = pd.to_datetime(pd.DataFrame({"year": year[ok].astype(int),
                                             "month": month[ok].astype(int), "day": 1}),
                               errors="coerce")
        out.iloc[np.flatnonzero(ok)] = (start + pd.offsets.MonthEnd(0)).to_numpy()
    return Parsed(out, pd.Series(out.isna().to_numpy() & ~blank, index=raw.index))


def parse_tahun(raw: pd.Series) -> Parsed:
    """Parse fiscal years (``2024``, ``2024.0``, ``TA 2024``, ``TA. 2024``) to ``Int64``.

    Examples
    --------
    >>> parse_tahun(pd.Series(["2024", 2023.0, "TA 2022", "dua ribu"])).values.tolist()
    [2024, 2023, 2022, <NA>]
    """
    codes, uniques, blank = _factorize_cells(raw)

    def one(v: object) -> float:
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            f = float(v)
            return f if f.is_integer() and 1990 <= f <= 2100 else np.nan
        m = re.fullmatch(r"(?i)\s*(?:t\.?a\.?|tahun(?: anggaran)?)?\s*(\d{4})(?:\.0+)?\s*",
                         str(v))
        if m and 1990 <= int(m.group(1)) <= 2100:
            return float(m.group(1))
        return np.nan

    lookup = np.array([one(u) for u in uniques] + [np.nan])
    vals = pd.array(lookup[codes], dtype="Float64").astype("Int64")
    out = pd.Series(vals, index=raw.index)
    return Parsed(out, pd.Series(out.isna().to_numpy() & ~blank, index=raw.index))


def _needs_cleaning(values: np.ndarray) -> bool:
    """False when every value is a non-empty ``str``, already stripped and single-spaced."""
    return tidy_blob(values) is None or bool((values == "").any())


def parse_text(s: pd.Series) -> pd.Series:
    """Text cells: strip and collapse white space (each distinct value once); empty -> None.

    Examples
    --------
    >>> parse_text(pd.Series(["  Kab.   Garut ", "", None, "BKB"])).tolist()
    ['Kab. Garut', None, None, 'BKB']
    """
    arr = s.to_numpy(dtype=object)
    if (len(arr) > 10 * LONG_COLUMN
            and 2 * len(set(arr[:2000].tolist())) > min(len(arr), 2000)):  # mostly distinct
        na = pd.isna(arr)
        if not _needs_cleaning(arr[~na]):
            return pd.Series(np.where(na, None, arr), index=s.index, dtype=object)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    if not _needs_cleaning(np.asarray(uniques, dtype=object)):
        return pd.Series(np.append(np.asarray(uniques, dtype=object), None)[codes],
                         index=s.index, dtype=object)
    cleaned = [(re.sub(r"\s+", " ", t).strip() if ("  " in t or "\n" in t or "\t" in t
                                                   or "\r" in t or "\u00a0" in t)
                else t.strip()) or None for t in map(str, uniques)]
    lookup = np.array([*cleaned, None], dtype=object)
    return pd.Series(lookup[codes], index=s.index, dtype=object)
