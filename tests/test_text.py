"""``dak_monitor._text``: formula neutralisation, Rupiah text, column letters, tidy blobs."""

from __future__ import annotations

import re
import string
import unicodedata
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dak_monitor._text import (
    FORMULA_PREFIXES,
    col_letter,
    neutralise,
    neutralise_frame,
    printable,
    rp,
    tidy_blob,
)

#: What a spreadsheet reads as the start of a formula (written out here, not imported).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    """The test's own oracle for :func:`neutralise`."""
    if isinstance(value, str) and value[:1] in DANGEROUS:
        return "'" + value
    return value


# ------------------------------------------------------------------------------ neutralise


def test_the_prefixes_are_the_formula_starters() -> None:
    assert set(FORMULA_PREFIXES) == set(DANGEROUS)


@pytest.mark.parametrize(("value", "expected"), [
    ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
    ("+cmd", "'+cmd"),
    ("-2+3", "'-2+3"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("=", "'="),
    ("Kab. Garut", "Kab. Garut"),
    ("a=b", "a=b"),
    (" =1+1", " =1+1"),
    ("'=1", "'=1"),
    ("", ""),
])
def test_neutralise_examples(value: str, expected: str) -> None:
    assert neutralise(value) == expected


@given(st.sampled_from(DANGEROUS), st.text())
def test_formula_like_text_gets_an_apostrophe(prefix: str, text: str) -> None:
    assert neutralise(prefix + text) == "'" + prefix + text


@given(st.text().filter(lambda s: not s.startswith(DANGEROUS)))
def test_other_text_is_unchanged(text: str) -> None:
    assert neutralise(text) is text


@given(st.text())
def test_neutralise_is_idempotent(text: str) -> None:
    once = neutralise(text)
    assert neutralise(once) == once
    assert once in (text, "'" + text)


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                 st.binary(), st.lists(st.text(), max_size=3), st.just(b"=cmd"),
                 st.just(["=cmd"])))
def test_non_text_is_returned_unchanged(value: object) -> None:
    assert neutralise(value) is value


# ------------------------------------------------------------------------ neutralise_frame


def _hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "teks": ["=1+1", "Kab. Garut", None, "-5", "@x"],
        "angka": [1, -2, 3, -4, 5],
        "desimal": [-1.5, 0.0, np.nan, 2.25, -0.5],
        "campur": pd.Series(["+cmd", 7, np.nan, "ok", -3], index=range(10, 15), dtype=object),
        "periode": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30",
                                   "2024-05-31"]),
    }, index=[10, 11, 12, 13, 14])


def test_neutralise_frame_changes_only_text_cells() -> None:
    out = neutralise_frame(_hostile_frame())
    assert out["teks"].tolist()[:2] == ["'=1+1", "Kab. Garut"]
    assert pd.isna(out["teks"].iloc[2])
    assert out["teks"].tolist()[3:] == ["'-5", "'@x"]
    assert out["angka"].tolist() == [1, -2, 3, -4, 5]
    assert out["angka"].dtype == np.int64
    np.testing.assert_array_equal(out["desimal"].to_numpy(), [-1.5, 0.0, np.nan, 2.25, -0.5])
    assert out["campur"].iloc[0] == "'+cmd"
    assert out["campur"].iloc[1] == 7
    assert pd.isna(out["campur"].iloc[2])
    assert out["campur"].tolist()[3:] == ["ok", -3]
    pd.testing.assert_series_equal(out["periode"], _hostile_frame()["periode"])
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert out.columns.tolist() == ["teks", "angka", "desimal", "campur", "periode"]


def test_neutralise_frame_leaves_its_input_alone() -> None:
    frame = _hostile_frame()
    before = frame.copy(deep=True)
    out = neutralise_frame(frame)
    assert out is not frame
    pd.testing.assert_frame_equal(frame, before)
    assert frame.loc[10, "teks"] == "=1+1"


def test_neutralise_frame_handles_string_dtype() -> None:
    frame = pd.DataFrame({"s": pd.array(["=a", "b", None, "+c"], dtype="string")})
    out = neutralise_frame(frame)
    assert out["s"].iloc[0] == "'=a"
    assert out["s"].iloc[1] == "b"
    assert pd.isna(out["s"].iloc[2])
    assert out["s"].iloc[3] == "'+c"
    assert frame["s"].iloc[0] == "=a"


@given(st.lists(st.text(), min_size=1, max_size=20))
def test_neutralise_frame_column_matches_the_oracle(values: list[str]) -> None:
    frame = pd.DataFrame({"t": pd.Series(values, dtype=object), "n": range(len(values))})
    out = neutralise_frame(frame)
    assert out["t"].tolist() == [_safe(v) for v in values]
    assert out["n"].tolist() == list(range(len(values)))
    assert frame["t"].tolist() == values


# ------------------------------------------------------------------------------------- rp


@pytest.mark.parametrize(("value", "expected"), [
    (1234567, "Rp 1.234.567"),
    (0, "Rp 0"),
    (999, "Rp 999"),
    (1000, "Rp 1.000"),
    (-5, "-Rp 5"),
    (-1234567, "-Rp 1.234.567"),
    (1234.4, "Rp 1.234"),
    (np.float64(2e9), "Rp 2.000.000.000"),
    (np.int64(-7000), "-Rp 7.000"),
    (float("nan"), "(kosong)"),
    (np.nan, "(kosong)"),
    ("x", "x"),
    ("Kab. Garut", "Kab. Garut"),
    ([1, 2], "[1, 2]"),
])
def test_rp_examples(value: object, expected: str) -> None:
    assert rp(value) == expected


_GROUPED = re.compile(r"^(-?)Rp ([1-9]\d{0,2}(?:\.\d{3})*|0)$")


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_rp_of_an_integer_parses_back(n: int) -> None:
    text = rp(n)
    match = _GROUPED.match(text)
    assert match, text
    assert (match.group(1) == "-") == (n < 0)
    digits = text.removeprefix("-Rp ").removeprefix("Rp ").replace(".", "")
    assert int(digits) == abs(n)


@given(st.text(alphabet=string.ascii_letters, min_size=1)
       .filter(lambda w: w.lower() not in {"nan", "inf", "infinity"}))  # float() reads these
def test_rp_of_a_word_is_the_word(word: str) -> None:
    assert rp(word) == word


# ----------------------------------------------------------------------------- col_letter


def _index(letters: str) -> int:
    """Spreadsheet letters to a 0-based column index (bijective base 26)."""
    n = 0
    for c in letters:
        n = n * 26 + (ord(c) - ord("A") + 1)
    return n - 1


@pytest.mark.parametrize(("j", "expected"), [
    (0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"),
    (701, "ZZ"), (702, "AAA"), (16383, "XFD"),
])
def test_col_letter_examples(j: int, expected: str) -> None:
    assert col_letter(j) == expected


def test_col_letter_is_inverted_by_the_letters_to_index_conversion() -> None:
    previous = ""
    for j in range(20001):
        letters = col_letter(j)
        assert letters, j
        assert set(letters) <= set(string.ascii_uppercase), (j, letters)
        assert _index(letters) == j
        assert (len(previous), previous) < (len(letters), letters)  # spreadsheet order
        previous = letters


# ------------------------------------------------------------------------------ tidy_blob


def test_tidy_blob_joins_clean_values() -> None:
    assert tidy_blob(["Kab. Garut", "Kota Bandung", "BKB"]) == "Kab. Garut\nKota Bandung\nBKB"


@pytest.mark.parametrize("values", [["Kab.  Garut"], ["Garut "], ["a\nb"], ["a\u00a0b"],
                                    ["ok", 3]])
def test_tidy_blob_refuses_values_that_need_cleaning(values: list[object]) -> None:
    assert tidy_blob(values) is None


# ------------------------------------------------------------------------------ printable
@given(st.text())
def test_printable_leaves_no_control_character(text: str) -> None:
    out = printable(text)
    assert not any(unicodedata.category(c) in {"Cc", "Cs"} for c in out)
    assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@given(st.text())
def test_printable_text_is_valid_in_xml(text: str) -> None:
    el = ET.Element("t", message=printable(text))
    el.text = printable(text)
    ET.fromstring(ET.tostring(el, encoding="unicode"))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"),
                                      blacklist_characters="\\\ufffe\uffff")))
def test_printable_text_is_unchanged(text: str) -> None:
    assert printable(text) == text


@pytest.mark.parametrize(("value", "expected"), [
    ("a\nb", "a\\nb"), ("\x1b[31m", "\\x1b[31m"), ("\x00", "\\x00"), ("\x9b", "\\x9b"),
    ("\t", "\\t"), ("\u202e", "\\u202e"), (12, "12"),
])
def test_printable_examples(value: object, expected: str) -> None:
    assert printable(value) == expected


def test_printable_keeps_line_breaks_when_asked() -> None:
    assert printable("a\nb\x1b", newlines=True) == "a\nb\\x1b"
    assert printable("a\r\nb", newlines=True) == "a\\r\nb"
