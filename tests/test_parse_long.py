"""Long columns take whole-column fast paths (joined text, factorised cells): they must give
exactly what the cell-by-cell paths give on the same cells.

``LONG_COLUMN`` (the length from which the fast paths are taken) is patched so that the tests
stay small: a huge value forces the cell-by-cell paths, a tiny one the fast paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dak_monitor import _parse
from dak_monitor._parse import (
    _LINE_OK,
    _blob_check,
    parse_dates,
    parse_numbers,
    parse_percents,
    parse_periode,
    parse_tahun,
    parse_text,
)
from dak_monitor._regions import normalize_region_code

# Cells as they come out of a CSV grid (str) or an XLSX (numbers, None), messy on purpose.
_NUMBER_CELLS = st.one_of(
    st.sampled_from(["1.234.567", "1.234.567,50", "Rp 1.234", "Rp.5.000,-", "(2.000)", "-",
                     "\u2013", "--", " 12 ", "12,5%", "1.234.56", "abc", "", " ", "   ",
                     "1,234,567", "12.75", "0", "-7", "1.2.3", "\t5", "5\t", "1 234", None,
                     "=1+1", "1e5", "NaN", "9" * 30]),
    st.integers(-10**12, 10**12).map(lambda v: f"{v:,}".replace(",", ".")),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet="0123456789.,-( )Rp%", max_size=12),
)
_TEXT_CELLS = st.one_of(
    st.sampled_from(["Kab. Garut", " Kab. Garut", "Kab.  Garut ", "Kota\tBandung", "", " ",
                     None, "Juni 2024", "TW II", "06/2024", "2024", "TA 2024", "32.04", "3204",
                     "32.1", "12/03/2024", "45363", "x", "Menu\u00a0A", "a\nb"]),
    st.text(max_size=8),
)

_LONG = 240  # with LONG_COLUMN = 2, above every fast-path threshold


@contextmanager
def _careful() -> Iterator[None]:
    """Cell by cell: no joined-column number parsing, no whole-column shortcuts."""
    with mock.patch.object(_parse, "LONG_COLUMN", 10**9), \
            mock.patch.object(_parse, "_parse_text_fast", return_value=None):
        yield


@contextmanager
def _fast() -> Iterator[None]:
    with mock.patch.object(_parse, "LONG_COLUMN", 2):
        yield


def _both(fn: Callable[[pd.Series], Any], cells: list[object]) -> tuple[Any, Any, int]:
    """``fn`` on the cells by the careful path, and on them tiled by the fast paths."""
    reps = -(-_LONG // len(cells))
    with _careful():
        short = fn(pd.Series(cells, dtype=object))
    with _fast():
        long = fn(pd.Series(cells * reps, dtype=object))
    return short, long, reps


def _same(a: pd.Series, b: pd.Series) -> None:
    pd.testing.assert_series_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                   check_dtype=False)


@given(st.lists(_NUMBER_CELLS, min_size=1, max_size=12))
def test_parse_numbers_long_equals_short(cells: list[object]) -> None:
    """A long column parses each cell exactly as a short column of the same cells."""
    short, long, reps = _both(parse_numbers, cells)
    _same(long.values, pd.concat([short.values] * reps))
    _same(long.bad, pd.concat([short.bad] * reps))


def _money(v: int, cents: int, deco: str) -> str:
    text = f"{abs(v):,}".replace(",", ".") + (f",{cents:02d}" if cents else "")
    if v < 0:
        text = f"({text})" if deco == "paren" else f"-{text}"
    return {"rp": f"Rp {text}", "suffix": f"{text},-", "pct": f"{text}%"}.get(deco, text)


# Well-formed CSV money cells: every cell str, so the joined-text path is taken.
_MONEY_TEXT = st.one_of(
    st.builds(_money, st.integers(-10**12, 10**12), st.integers(0, 99),
              st.sampled_from(["", "rp", "suffix", "paren", "pct"])),
    st.sampled_from(["-", "", "–"]),
)


@given(st.lists(_MONEY_TEXT, min_size=1, max_size=12))
def test_parse_numbers_long_text_equals_short(cells: list[object]) -> None:
    """Well-formed money text takes the joined-column path; it parses like the careful one."""
    short, long, reps = _both(parse_numbers, cells)
    assert not short.bad.any()
    _same(long.values, pd.concat([short.values] * reps))
    _same(long.bad, pd.concat([short.bad] * reps))


@given(st.lists(_NUMBER_CELLS, min_size=1, max_size=12))
def test_parse_percents_long_equals_short(cells: list[object]) -> None:
    """Percents are factorised on long columns; values and bad cells do not change."""
    short, long, reps = _both(parse_percents, cells)
    _same(long.values, pd.concat([short.values] * reps))
    _same(long.bad, pd.concat([short.bad] * reps))


@given(st.lists(_TEXT_CELLS, min_size=1, max_size=12))
def test_text_parsers_long_equal_short(cells: list[object]) -> None:
    """periode, tahun, dates, region codes and text cleaning agree on long and short columns."""
    for fn in (parse_periode, parse_tahun, parse_dates):
        short, long, reps = _both(fn, cells)
        _same(long.values, pd.concat([short.values] * reps))
        _same(long.bad, pd.concat([short.bad] * reps))
    (sc, sb), (lc, lb), reps = _both(normalize_region_code, cells)
    _same(lc, pd.concat([sc] * reps))
    _same(lb, pd.concat([sb] * reps))
    short, long, reps = _both(parse_text, cells)
    _same(long, pd.concat([short] * reps))


def testparse_text_mostly_distinct_column() -> None:
    """A column of mostly distinct values (rincian) skips factorising but cleans the same."""
    base = [f"Rincian {i:06d}" for i in range(30_000)]
    messy = base.copy()
    messy[7], messy[29_999] = " Rincian  000007 ", "Rincian\t029999"
    assert parse_text(pd.Series(base, dtype=object)).tolist() == base
    out = parse_text(pd.Series(messy, dtype=object)).tolist()
    assert out[7] == "Rincian 000007"
    assert out[29_999] == "Rincian 029999"
    assert out[:7] == base[:7]


def test_line_grammar_is_the_indonesian_number_grammar() -> None:
    """The per-cell grammar accepts exactly well-formed Indonesian numbers (or nothing)."""
    good = ["1.234.567", "1.234,5", "12", "-7", "0,25", " 12 ", "", "1.000.000,00"]
    bad = ["1.234.56", "1234.567", "1.2", ".5", "5.", "1,2,3", "1,234.5", "--1", "1 234", "a"]
    for cell in good:
        assert _LINE_OK.fullmatch(cell), cell
    for cell in bad:
        assert not _LINE_OK.fullmatch(cell), cell


def test_parse_numbers_long_column_flags_one_bad_cell() -> None:
    """One malformed cell among a million-like column falls back and is reported, not guessed."""
    cells = [f"{i:,}".replace(",", ".") for i in range(1, 30_001)]
    cells[12_345] = "1.234.56"
    p = parse_numbers(pd.Series(cells, dtype=object))
    assert bool(p.bad.iloc[12_345])
    assert np.isnan(p.values.iloc[12_345])
    assert int(p.bad.sum()) == 1
    assert p.values.iloc[12_346] == 12_347.0


@given(st.integers(310, 2000), st.booleans())
def test_numbers_too_large_for_a_float_are_unparseable(digits: int, long: bool) -> None:
    """400 nines read as infinity by a float parser: reported as bad, never kept as inf."""
    cells = ["1.234", "9" * digits, "-" + "9" * digits, "5"]
    raw = pd.Series(cells * (600 if long else 1), dtype=object)
    p = parse_numbers(raw)
    assert np.isfinite(p.values.dropna()).all()
    assert p.bad.tolist() == [False, True, True, False] * (600 if long else 1)


def test_dates_outside_pandas_range_are_unparseable() -> None:
    """31/12/9999 placeholders and typo'd years are bad dates, never a crash (fuzz finding)."""
    import datetime as dt

    from dak_monitor._parse import parse_dates, parse_periode

    per = parse_periode(pd.Series(["Juni 9999", "01/2263", "31/01/2263", "Juni 2024",
                                   dt.datetime(9999, 12, 31)], dtype=object))
    assert per.bad.tolist() == [True, True, True, False, True]
    dates = parse_dates(pd.Series(["31/12/9999", "1/1/1000", "12 Maret 9999",
                                   dt.datetime(9999, 12, 31), "12/03/2024"], dtype=object))
    assert dates.bad.tolist() == [True, True, True, True, False]
    assert str(dates.values.iloc[4].date()) == "2024-03-12"


# Lines of a joined money column: well-formed numbers and near-misses, made of the characters
# the array check handles (no spaces, so the array path is the one taken).
_BLOB_LINES = st.one_of(
    st.integers(-10**13, 10**13).map(lambda v: f"{v:,}".replace(",", ".")),
    st.builds(lambda v, c: f"{v:,}".replace(",", ".") + f",{c}", st.integers(0, 10**9),
              st.integers(0, 999)),
    st.text(alphabet="0123456789.,-", max_size=10),
    st.sampled_from(["", "-", "1234.567", "1.2345", "12.34", ".5", "5.", "5,", ",5", "1,2,3",
                     "1,234.5", "--1", "1-2", "-1.234,5", "0.000", "000.000", "1..2"]),
)


def _line_ok(line: str) -> bool:
    """The definition: a well-formed Indonesian number (or empty), not starting with space."""
    return _LINE_OK.fullmatch(line) is not None and not line[:1].isspace()


@given(st.lists(_BLOB_LINES, min_size=1, max_size=8), st.sampled_from(["", " ", "é"]))
def test_blob_check_finds_exactly_the_malformed_lines(lines: list[str], deco: str) -> None:
    """The array check (ASCII, no spaces) and the line-by-line regex (otherwise) mark exactly
    the lines that break the grammar, and zero only those lines in the bytes they return."""
    lines = [f"{deco}{x}" if deco and i == 0 else x for i, x in enumerate(lines)]
    blob = "\n".join(lines)
    data, redo = _blob_check(blob)
    assert redo.tolist() == [i for i, t in enumerate(lines) if not _line_ok(t)], blob
    out = data.decode("ascii").split("\n")
    assert len(out) == len(lines)
    for i, (got, line) in enumerate(zip(out, lines, strict=True)):
        assert got == line if i not in set(redo.tolist()) else set(got) == {"0"}, (i, got)


def test_blob_check_rejects_near_misses() -> None:
    """Each near-miss is marked inside an otherwise good column (the check can fail)."""
    for cell in ["1.234.56", "1234.567", "1.2", ".5", "5.", "1,2,3", "1,234.5", "--1", "1-2",
                 "5,", ",5", "1.2345", "1,5.000", "a", "1e5", "+5", " 5", "\t5"]:
        data, redo = _blob_check("\n".join(["1.000", cell, "2"]))
        assert redo.tolist() == [1], cell
    data, redo = _blob_check("1.000\n-1.234,56\n\n0,5\n12")
    assert data == b"1.000\n-1.234,56\n\n0,5\n12"
    assert len(redo) == 0


def test_long_money_column_with_a_few_typos_parses_the_rest_fast() -> None:
    """Typos in a long column: only those cells take the careful path (the rest keeps the
    joined-column path), and the result is the careful path's, cell for cell."""
    rng = np.random.default_rng(7)
    cells = [f"{v:,}".replace(",", ".") for v in rng.integers(0, 10**10, 5000)]
    typos = ["1.234.56", "Rp 1.234", " 12 ", "(2.000)", "1.2a", "   ", "12.5", "-", "1e5"]
    at = rng.choice(len(cells), len(typos), replace=False)
    for i, t in zip(at, typos, strict=True):
        cells[i] = t
    with mock.patch.object(_parse, "_parse_numbers_careful",
                           wraps=_parse._parse_numbers_careful) as careful:
        fast = parse_numbers(pd.Series(cells, dtype=object))
    assert careful.call_count == 1
    assert len(careful.call_args.args[0]) < len(typos)  # the others were fixed in the blob
    with _careful():
        slow = parse_numbers(pd.Series(cells, dtype=object))
    _same(fast.values, slow.values)
    _same(fast.bad, slow.bad)
    assert int(fast.bad.sum()) == 3  # 1.234.56, 1.2a and 1e5


@given(st.lists(st.text(alphabet=st.sampled_from(
    ["a", "B", " ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\u00a0", "\u2003", "é"]),
    max_size=6), min_size=1, max_size=5))
def test_tidy_blob_is_the_per_value_definition(values: list[str]) -> None:
    """tidy_blob's substring searches (ASCII) and regex (other text) say exactly: every value
    is one line, stripped, single-spaced, with no white space but plain spaces."""
    from dak_monitor._text import tidy_blob

    def tidy(v: str) -> bool:
        return ("\n" not in v and v == v.strip(" ") and "  " not in v
                and all(c == " " or not c.isspace() for c in v))

    expected = "\n".join(values) if all(tidy(v) for v in values) else None
    assert tidy_blob(values) == expected
