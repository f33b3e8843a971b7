"""Region reference data and name handling (``dak_monitor._regions``)."""

from __future__ import annotations

import re
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dak_monitor._regions import (
    code_aliases,
    load_regions,
    normalize_region_code,
    region_name_candidates,
    resolve_region_names,
    short_name,
)

CODE = re.compile(r"[0-9]{2}\.[0-9]{2}")  # ASCII digits: \d would take any script


def _reference_csv(name: str) -> pd.DataFrame:
    """A packaged reference file read directly (the oracle for load_regions)."""
    ref = resources.files("dak_monitor") / "reference" / name
    with ref.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


CURRENT_CSV = _reference_csv("regions.csv")
HISTORIC_CSV = _reference_csv("regions_historis.csv")
KABKOTA = CURRENT_CSV[CURRENT_CSV["tingkat"] != "provinsi"]


# ============================================================================= load_regions
def test_load_regions_counts_as_documented() -> None:
    """38 provinces and 514 current kabupaten/kota, then one row per historical entry."""
    r = load_regions()
    cur = r[~r["historis"]]
    assert (cur["tingkat"] == "provinsi").sum() == 38
    assert cur["tingkat"].isin(["kabupaten", "kota"]).sum() == 514
    assert r["historis"].sum() == len(HISTORIC_CSV)
    assert len(r) == len(CURRENT_CSV) + len(HISTORIC_CSV)
    assert {"kode", "nama", "tingkat", "kode_provinsi", "nama_provinsi", "historis",
            "kode_sekarang"} <= set(r.columns)


def test_load_regions_is_consistent() -> None:
    """Codes are NN / NN.NN, current codes unique, every kabupaten/kota in a known province."""
    r = load_regions()
    prov = r[r["tingkat"] == "provinsi"].set_index("kode")["nama"]
    kk = r[r["tingkat"] != "provinsi"]
    assert prov.index.str.fullmatch(r"\d{2}").all()
    assert kk["kode"].str.fullmatch(CODE.pattern).all()
    assert not r.loc[~r["historis"], "kode"].duplicated().any()
    assert (kk["kode_provinsi"] == kk["kode"].str[:2]).all()
    assert kk["kode_provinsi"].isin(prov.index).all()
    assert (kk["nama_provinsi"] == kk["kode_provinsi"].map(prov)).all()
    assert (kk["tingkat"] == "kota").eq(kk["nama"].str.startswith("Kota")).all()
    cur = r[~r["historis"]]
    assert (cur["kode_sekarang"] == cur["kode"]).all()


def test_historical_entries_point_to_todays_code() -> None:
    """A historical row's kode_sekarang is the CSV's, or its own code where the CSV has none."""
    r = load_regions()
    old = r[r["historis"]].reset_index(drop=True)
    want = HISTORIC_CSV["kode_sekarang"].where(HISTORIC_CSV["kode_sekarang"] != "",
                                               HISTORIC_CSV["kode"])
    assert old["kode"].tolist() == HISTORIC_CSV["kode"].tolist()
    assert old["kode_sekarang"].tolist() == want.tolist()
    assert old.set_index("kode").loc["91.01", "kode_sekarang"] == "93.01"  # Merauke, 2022 split


# ============================================================================== code_aliases
def test_code_aliases_identity_for_current_codes() -> None:
    """Every current kabupaten/kota code maps to itself."""
    aliases = code_aliases()
    for kode in KABKOTA["kode"]:
        assert aliases[kode] == kode


def test_code_aliases_send_old_codes_to_current_ones() -> None:
    """Every alias target is a current code; the Papua split codes move to the new provinces."""
    aliases = code_aliases()
    current = set(KABKOTA["kode"])
    assert set(aliases.values()) <= current
    for kode, now in zip(HISTORIC_CSV["kode"], HISTORIC_CSV["kode_sekarang"], strict=True):
        assert aliases[kode] == (now or kode)
    assert aliases["91.02"] == "95.01"  # Jayawijaya: Papua -> Papua Pegunungan
    assert not any(CODE.fullmatch(k) is None for k in aliases)
    assert not set(aliases) & set(CURRENT_CSV.loc[CURRENT_CSV["tingkat"] == "provinsi", "kode"])


# ===================================================================== normalize_region_code
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("32.04", "32.04"), ("3204", "32.04"), ("32.04.", "32.04"), ("32 04", "32.04"),
     (32.04, "32.04"), (32.1, "32.10"), (3210, "32.10"), ("32.1", "32.10"), ("91.01", "91.01")],
)
def test_normalize_region_code(raw: object, expected: str) -> None:
    """Region codes in every spelling normalise to NN.NN (32.1 is 32.10, not 32.01)."""
    codes, bad = normalize_region_code(pd.Series([raw], dtype=object))
    assert codes.iloc[0] == expected
    assert not bad.iloc[0]


province = st.integers(11, 99)
regency = st.integers(0, 99)


@given(province, regency)
def test_every_spelling_of_a_code_normalises_to_it(head: int, tail: int) -> None:
    """'32.04', '3204', '32.04.', '32 04', ' 32.04 ', 3204 and the Excel number 32.04 all give
    '32.04'."""
    want = f"{head:02d}.{tail:02d}"
    cells = [want, f"{head:02d}{tail:02d}", f"{want}.", f"{head:02d} {tail:02d}", f" {want} ",
             head * 100 + tail, np.int64(head * 100 + tail), float(head * 100 + tail),
             float(want)]
    codes, bad = normalize_region_code(pd.Series(cells, dtype=object))
    assert codes.tolist() == [want] * len(cells)
    assert not bad.any()


ascii_text = st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=8)


@given(st.lists(st.one_of(st.none(), st.just(np.nan), ascii_text,
                          st.integers(-10**6, 10**6),
                          st.floats(allow_nan=False, allow_infinity=False,
                                    min_value=-1e6, max_value=99.99)),
                max_size=20))
def test_codes_are_nn_nn_or_missing_and_bad_marks_only_non_blank(cells: list[object]) -> None:
    """Whatever the cells, each result is an 'NN.NN' code or missing; 'bad' is set exactly for
    non-blank cells that gave no code; the index is kept."""
    raw = pd.Series(cells, index=[i * 3 + 7 for i in range(len(cells))], dtype=object)
    codes, bad = normalize_region_code(raw)
    assert codes.index.equals(raw.index)
    assert bad.index.equals(raw.index)
    for cell, code, is_bad in zip(cells, codes, bad, strict=True):
        blank = cell is None or (isinstance(cell, float) and np.isnan(cell)) or (
            isinstance(cell, str) and not cell.strip())
        if isinstance(code, str):
            assert CODE.fullmatch(code), (cell, code)
            assert not is_bad
        else:
            assert pd.isna(code)
            assert is_bad == (not blank), cell


@pytest.mark.parametrize("cell", ["", "   ", None, np.nan])
def test_blank_cells_are_missing_not_bad(cell: object) -> None:
    """An empty cell has no code and is not reported as a malformed code."""
    codes, bad = normalize_region_code(pd.Series([cell], dtype=object))
    assert pd.isna(codes.iloc[0])
    assert not bad.iloc[0]


@pytest.mark.parametrize("cell", ["x", "32", "321", "32 1", "32.04.05", "3204a", "Kab. Garut",
                                  True, 12345, 5.5])
def test_non_codes_are_bad(cell: object) -> None:
    """Text or numbers that are not a kabupaten/kota code are flagged (no guessing)."""
    codes, bad = normalize_region_code(pd.Series([cell], dtype=object))
    assert pd.isna(codes.iloc[0])
    assert bad.iloc[0]


@pytest.mark.parametrize("cell", [99.999, 32.999, 32.996])
def test_long_decimal_numbers_do_not_round_into_another_code(cell: float) -> None:
    """A number like 32.999 is not a code: it must not become NN.NN of province 33 (or 100)."""
    codes, _ = normalize_region_code(pd.Series([cell], dtype=object))
    got = codes.iloc[0]
    assert pd.isna(got) or (CODE.fullmatch(got) and got[:2] == f"{int(cell):02d}")


@pytest.mark.parametrize("cell", ["３２.０４", "٣٢٠٤"], ids=["fullwidth", "arabic-indic"])
def test_non_ascii_digits_are_not_returned_as_codes(cell: str) -> None:
    """Digits of another script give either the ASCII code or no code, never themselves."""
    codes, _ = normalize_region_code(pd.Series([cell], dtype=object))
    got = codes.iloc[0]
    assert pd.isna(got) or got == "32.04"


# ================================================================ names: resolve, candidates
@pytest.mark.parametrize(
    ("name", "expected"),
    [("Kab. Bandung", "32.04"), ("KAB BANDUNG", "32.04"), ("Kabupaten Bandung", "32.04"),
     ("KOTA BANDUNG", "32.73"), ("Kota Banjar", "32.79"), ("Bandung", None),
     ("Kabupaten Toba Samosir", "12.12"), ("Kota Tanjung Balai", "12.74"),
     ("Kabupaten Bandung Barat", "32.17"), ("Garut", "32.05")],
)
def test_resolve_region_names(name: str, expected: str | None) -> None:
    """Region names in common spellings resolve; an ambiguous bare name does not."""
    got = resolve_region_names(pd.Series([name])).iloc[0]
    if expected is None:
        assert not isinstance(got, str)
    else:
        assert got == expected


def test_every_official_name_resolves_to_its_code() -> None:
    """All 514 official names, their upper-case and their short forms resolve to their code."""
    names = KABKOTA["nama"]
    for variant in (names, names.str.upper(), names.map(short_name)):
        got = resolve_region_names(variant.reset_index(drop=True))
        assert got.tolist() == KABKOTA["kode"].tolist()


def test_historical_names_resolve_to_todays_code() -> None:
    """Old spellings resolve to today's code (Merauke's 2022 move to Papua Selatan included)."""
    old = HISTORIC_CSV
    want = old["kode_sekarang"].where(old["kode_sekarang"] != "", old["kode"])
    got = resolve_region_names(old["nama"])
    assert got.tolist() == want.tolist()


def test_resolve_keeps_index_and_missing() -> None:
    """The index is kept; missing and unknown names are NaN."""
    s = pd.Series(["Kota Bandung", None, np.nan, "Atlantis", "Kota Bandung"], index=[9, 3, 5, 1, 0])
    got = resolve_region_names(s)
    assert got.index.tolist() == [9, 3, 5, 1, 0]
    assert got[9] == got[0] == "32.73"
    assert got[[3, 5, 1]].isna().all()


def test_candidates_of_an_ambiguous_name() -> None:
    """A bare name shared by a kabupaten and a kota has both candidates; the word picks one."""
    assert set(region_name_candidates("Bandung")) == {"32.04", "32.73"}
    assert region_name_candidates("Kota Bandung") == ("32.73",)
    assert region_name_candidates("kab.  bandung") == ("32.04",)
    assert region_name_candidates("Atlantis") == ()


names = st.one_of(
    st.sampled_from(KABKOTA["nama"].tolist() + HISTORIC_CSV["nama"].tolist()),
    st.sampled_from(KABKOTA["nama"].str.replace(r"^(Kabupaten|Kota) ", "", regex=True).tolist()),
    st.text(max_size=15),
)


@given(st.lists(names, max_size=10))
def test_resolve_agrees_with_candidates(values: list[str]) -> None:
    """A name resolves exactly when it has one candidate, and then to that candidate."""
    got = resolve_region_names(pd.Series(values, dtype=object))
    for v, code in zip(values, got, strict=True):
        cands = region_name_candidates(v)
        if len(cands) == 1:
            assert code == cands[0], v
        else:
            assert pd.isna(code), (v, cands)
        assert all(c in set(KABKOTA["kode"]) for c in cands)


# ================================================================================ short_name
@pytest.mark.parametrize(("name", "short"), [
    ("Kabupaten Garut", "Kab. Garut"), ("KOTA BANJAR", "Kota Banjar"),
    ("Kab. Bandung Barat", "Kab. Bandung Barat"), ("Kota Adm. Jakarta Pusat", "Kota Jakarta Pusat"),
    (None, ""), (float("nan"), ""),
])
def test_short_names(name: object, short: str) -> None:
    """OPD names are shortened to 'Kab. X' / 'Kota Y' for tables and axes; missing is blank."""
    assert short_name(name) == short


@pytest.mark.parametrize(("name", "short"), [
    ("Kabupaten Administrasi Kepulauan Seribu", "Kab. Kepulauan Seribu"),
    ("Kabupaten Kotabaru", "Kab. Kotabaru"), ("Kotabaru", "Kotabaru"),
    ("  Kota   Bogor ", "Kota Bogor"), ("KAB. GARUT", "Kab. Garut"), ("Garut", "Garut"),
])
def test_short_names_more_forms(name: str, short: str) -> None:
    """Administrative prefixes go, spaces collapse, 'Kota' inside a name is not a prefix."""
    assert short_name(name) == short


def test_short_name_of_every_official_name() -> None:
    """Each official name shortens to 'Kab. ' / 'Kota ' + the rest of its name, and is stable."""
    for nama, tingkat in zip(KABKOTA["nama"], KABKOTA["tingkat"], strict=True):
        s = short_name(nama)
        assert s.startswith("Kab. " if tingkat == "kabupaten" else "Kota "), nama
        assert s.split(" ", 1)[1] in nama
        assert short_name(s) == s
        assert short_name(nama.upper()).lower() == s.lower()


@given(st.text(max_size=30))
def test_short_name_is_idempotent(name: str) -> None:
    """Shortening twice changes nothing, and never leaves double spaces."""
    s = short_name(name)
    assert short_name(s) == s
    assert "  " not in s
