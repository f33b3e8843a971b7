"""Tests of the cell parsers: tables of messy values and hypothesis round trips."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dak_monitor._parse import (
    parse_dates,
    parse_numbers,
    parse_percents,
    parse_periode,
    parse_tahun,
)

NAN = float("nan")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234.567.890", 1234567890.0),
        ("1.234.567,89", 1234567.89),
        ("Rp 1.234.567", 1234567.0),
        ("Rp.1.234.567,-", 1234567.0),
        ("Rp1.234.567,00", 1234567.0),
        ("RP. 5.000", 5000.0),
        ("IDR 5.000", 5000.0),
        ("(1.234.567)", -1234567.0),
        ("-1.234.567", -1234567.0),
        ("(Rp 2.500)", -2500.0),
        ("-", 0.0),
        ("\u2013", 0.0),
        ("", NAN),
        ("   ", NAN),
        ("0", 0.0),
        ("1234567", 1234567.0),
        ("1234567,5", 1234567.5),
        ("1.234", 1234.0),  # one dot and three digits: thousands, the Indonesian way
        ("12.75", 12.75),  # one dot not followed by three digits: a decimal point
        (" 1.000.000 ", 1000000.0),
        ("1 234 567", 1234567.0),
        ("1.000.000\u00a0", 1000000.0),
    ],
)
def test_parse_numbers_table(raw: str, expected: float) -> None:
    """Each messy Indonesian money cell parses to the intended Rupiah amount."""
    p = parse_numbers(pd.Series([raw], dtype=object))
    got = p.values.iloc[0]
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)
    assert not p.bad.iloc[0]


@pytest.mark.parametrize("raw", ["1.234.56", "12a.000", "1,2,3", "Rp", "abc", "1.23.456",
                                 "--5", "1.234,56,7"])
def test_parse_numbers_rejects_garbage(raw: str) -> None:
    """Cells that are not numbers are flagged bad, not silently turned into a value."""
    p = parse_numbers(pd.Series([raw, "1.000"], dtype=object))
    assert p.bad.tolist() == [True, False]
    assert math.isnan(p.values.iloc[0])


def test_parse_numbers_excel_typed_cells() -> None:
    """Numbers from Excel cells pass through; booleans and dates are not amounts."""
    raw = pd.Series([1234.5, 7, None, True, dt.datetime(2024, 1, 1), "2.000"], dtype=object)
    p = parse_numbers(raw)
    assert p.values.iloc[:2].tolist() == [1234.5, 7.0]
    assert math.isnan(p.values.iloc[2])
    assert p.bad.tolist() == [False, False, False, True, True, False]
    assert p.values.iloc[5] == 2000.0


def test_parse_numbers_english_column() -> None:
    """A column written the English way is detected as a whole and read correctly."""
    p = parse_numbers(pd.Series(["1,234,567.50", "2,000", "15.5"]))
    assert p.values.tolist() == [1234567.5, 2000.0, 15.5]


def test_parse_numbers_string_dtype() -> None:
    """pandas' string dtype (what CSV reading gives) parses like object text."""
    s = pd.Series(["1.234", "", "-", "x"], dtype="string")
    p = parse_numbers(s)
    assert p.values.iloc[0] == 1234.0
    assert math.isnan(p.values.iloc[1])
    assert p.values.iloc[2] == 0.0
    assert p.bad.tolist() == [False, False, False, True]


def _fmt_id(value: int, cents: int, *, rp: bool, neg_style: str) -> str:
    body = f"{value:,}".replace(",", ".")
    if cents:
        body += f",{cents:02d}"
    if rp:
        body = "Rp " + body
    if neg_style == "paren":
        return f"({body})"
    if neg_style == "minus":
        return "-" + body
    return body


@given(
    st.integers(min_value=0, max_value=10**13),
    st.integers(min_value=0, max_value=99),
    st.booleans(),
    st.sampled_from(["none", "paren", "minus"]),
)
def test_parse_numbers_roundtrip(value: int, cents: int, rp: bool, neg_style: str) -> None:
    """Any amount written the Indonesian way (Rp, cents, negatives) reads back exactly."""
    text = _fmt_id(value, cents, rp=rp, neg_style=neg_style)
    got = parse_numbers(pd.Series([text], dtype=object)).values.iloc[0]
    expected = (value + cents / 100) * (-1 if neg_style != "none" else 1)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-6)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["93,5%", "12%"], [93.5, 12.0]),
        (["93,5", "0,5"], [93.5, 0.5]),  # text without % is read as printed, never x100
        ([0.935, 0.005], [93.5, 0.5]),  # Excel numbers formatted as percent
        (["93.5 %", "-"], [93.5, 0.0]),
    ],
)
def test_parse_percents_forms(raw: list[object], expected: list[float]) -> None:
    """The three percent forms all come out on the printed 0–100 scale."""
    got = parse_percents(pd.Series(raw, dtype=object)).values.tolist()
    assert got == pytest.approx(expected)


def test_parse_percents_scale_per_column_with_crosscheck() -> None:
    """Scale is decided per column from realisasi/pagu: an early-year 0,5 stays half a percent."""
    expected = pd.Series([0.5, 0.2, 1.0])
    got = parse_percents(pd.Series(["0,5", "0,2", "1"]), expected=expected).values
    assert got.tolist() == pytest.approx([0.5, 0.2, 1.0])
    frac = parse_percents(pd.Series([0.005, 0.002, 0.01], dtype=object), expected=expected)
    assert frac.values.tolist() == pytest.approx([0.5, 0.2, 1.0])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12/03/2024", "2024-03-12"),
        ("12-03-2024", "2024-03-12"),
        ("12.03.2024", "2024-03-12"),
        ("12 Maret 2024", "2024-03-12"),
        ("1 Agt 2024", "2024-08-01"),
        ("1 Agu 2024", "2024-08-01"),
        ("5 Okt 2024", "2024-10-05"),
        ("24 Des 2024", "2024-12-24"),
        ("2024-03-12", "2024-03-12"),
        ("45363", "2024-03-12"),
        (45363.0, "2024-03-12"),
        (dt.datetime(2024, 3, 12, 10, 30), "2024-03-12"),
        (dt.date(2024, 3, 12), "2024-03-12"),
    ],
)
def test_parse_dates_table(raw: object, expected: str) -> None:
    """Every date form of real exports parses day-first to the same day."""
    p = parse_dates(pd.Series([raw], dtype=object))
    assert str(p.values.iloc[0].date()) == expected
    assert not p.bad.iloc[0]


@pytest.mark.parametrize("raw", ["31/02/2024", "13/13/2024", "kemarin", "12 Foo 2024", "3"])
def test_parse_dates_rejects(raw: str) -> None:
    """Impossible or unknown dates are bad, never guessed (no mm/dd swap)."""
    p = parse_dates(pd.Series([raw], dtype=object))
    assert p.bad.iloc[0]
    assert pd.isna(p.values.iloc[0])


def test_parse_dates_never_month_first() -> None:
    """03/12/2024 is the 3rd of December, not March 12th."""
    assert parse_dates(pd.Series(["03/12/2024"])).values.iloc[0] == pd.Timestamp("2024-12-03")


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["dmy/", "dmy-", "dMy", "iso", "serial"]))
def test_parse_dates_roundtrip(day: dt.date, form: str) -> None:
    """Any date written in any supported form reads back as that date."""
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember"]
    text = {
        "dmy/": f"{day.day:02d}/{day.month:02d}/{day.year}",
        "dmy-": f"{day.day}-{day.month}-{day.year}",
        "dMy": f"{day.day} {months[day.month - 1]} {day.year}",
        "iso": day.isoformat(),
        "serial": str((pd.Timestamp(day) - pd.Timestamp("1899-12-30")).days),
    }[form]
    got = parse_dates(pd.Series([text])).values.iloc[0]
    assert got == pd.Timestamp(day)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Juni 2024", "2024-06-30"),
        ("JUNI 2024", "2024-06-30"),
        ("s.d. Juni 2024", "2024-06-30"),
        ("s/d Juni", "2024-06-30"),
        ("06/2024", "2024-06-30"),
        ("2024-06", "2024-06-30"),
        ("30/06/2024", "2024-06-30"),
        ("TW II", "2024-06-30"),
        ("Triwulan III 2024", "2024-09-30"),
        ("Semester I", "2024-06-30"),
        ("Semester II", "2024-12-31"),
        ("Februari", "2024-02-29"),
        (6, "2024-06-30"),
        (dt.datetime(2024, 6, 30), "2024-06-30"),
    ],
)
def test_parse_periode_table(raw: object, expected: str) -> None:
    """Every period label form gives the month end it runs up to."""
    p = parse_periode(pd.Series([raw], dtype=object), tahun=2024)
    assert str(p.values.iloc[0].date()) == expected


def test_parse_periode_needs_a_year() -> None:
    """A month without a year and without tahun is bad, not silently dated."""
    p = parse_periode(pd.Series(["Juni", "bulan ke-13", "Juni 2023"]))
    assert p.bad.tolist() == [True, True, False]


def test_parse_tahun_forms() -> None:
    """Fiscal years in several spellings parse; nonsense does not."""
    p = parse_tahun(pd.Series(["2024", 2023.0, "TA 2022", "TA. 2021", "1800", ""], dtype=object))
    assert p.values.tolist()[:4] == [2024, 2023, 2022, 2021]
    assert p.bad.tolist() == [False, False, False, False, True, False]


def test_parsers_keep_index() -> None:
    """Parsers return values aligned with the input's index, whatever it is."""
    s = pd.Series(["1.000", "2.000"], index=[10, 5], dtype=object)
    assert parse_numbers(s).values.index.tolist() == [10, 5]
    assert np.array_equal(parse_numbers(s).values.to_numpy(), [1000.0, 2000.0])
