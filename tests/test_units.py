"""Money units (issue #14): amounts in ribuan, juta or miliar, stated in the title, a unit row,
a header or the ``units=`` option, read back exactly to the Rupiah; amounts with no stated unit
that are too small to be Rupiah are never read as if they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor._units import UNITS, unit_in
from dak_monitor.cli import main
from hostile_files import write_table as _write

FACTOR = {"ribu": 1_000, "juta": 1_000_000, "miliar": 1_000_000_000}
TITLE = {"ribu": ["(dalam ribuan rupiah)", "Dalam Ribuan Rupiah", "(Rp 000)"],
         "juta": ["(dalam jutaan rupiah)", "Juta Rupiah"],
         "miliar": ["(dalam miliar rupiah)", "Rp Miliar", "miliaran rupiah"]}
HEADER = {"ribu": ["Pagu (Rp. Dalam Ribuan)", "Pagu (Ribu Rp)", "PAGU DAK (Rp 000)"],
          "juta": ["Pagu (Juta Rp)", "Pagu (Rp Juta)", "PAGU (JUTAAN)"],
          "miliar": ["Pagu (Rp Miliar)", "Pagu (Miliar)", "PAGU (MILYAR RP)"]}


def _written(mantissa: int, decimals: int, style: str) -> str:
    """``mantissa / 10**decimals`` as an office would type it."""
    whole, frac = divmod(mantissa, 10**decimals)
    if style == "id":  # 1.234,56
        text = f"{whole:,}".replace(",", ".")
        return text + (f",{frac:0{decimals}d}" if decimals else "")
    if style == "en":  # 1,234.56 (the whole column in English grouping)
        return f"{whole:,}" + (f".{frac:0{decimals}d}" if decimals else "")
    return f"{whole}" + (f".{frac:0{decimals}d}" if decimals else "")  # plain dot decimal


AMOUNTS = st.lists(st.tuples(st.integers(1, 999_999), st.integers(0, 2)), min_size=3,
                   max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(unit=st.sampled_from(list(FACTOR)), where=st.sampled_from(["title", "header", "option"]),
       amounts=AMOUNTS, style=st.sampled_from(["id", "en", "dot"]), pick=st.integers(0, 2))
def test_any_amount_in_any_unit_reads_back_exactly(
        tmp_path_factory: pytest.TempPathFactory, unit: str, where: str,
        amounts: list[tuple[int, int]], style: str, pick: int) -> None:
    if style == "dot":  # 17.04: a dot decimal is told from grouping by its 1-2 decimals
        amounts = [(m, d if d else 1) for m, d in amounts]
        amounts = [(m if m >= 10**d else m + 10**d, d) for m, d in amounts]
        amounts = [(m, d) for m, d in amounts if m // 10**d < 1000] or [(1704, 2)] * 3
    title = ["REKAP REALISASI DAK NONFISIK BOKB", "TAHUN ANGGARAN 2024",
             "Periode s.d. 30 Juni 2024"]
    pagu_head, kwargs = "Pagu", {}
    if where == "title":
        title.append(TITLE[unit][pick % len(TITLE[unit])])
    elif where == "header":
        pagu_head = HEADER[unit][pick % len(HEADER[unit])]
    else:
        kwargs = {"units": unit}
    rows = [[f"32.{5 + i:02d}", "BKB", _written(m, d, style), "0"]
            for i, (m, d) in enumerate(amounts)]
    path = _write(tmp_path_factory.mktemp("units") / "rekap.csv", title,
                  ["Kode Wilayah", "Menu", pagu_head, "Realisasi"], rows)
    ex = dm.read_export(path, **kwargs)
    expected = [m * FACTOR[unit] / 10**d for m, d in amounts]
    assert ex.data["pagu"].tolist() == expected  # exact: no float drift
    assert ex.files["satuan_rupiah"].iloc[0] == UNITS[unit]
    assert f"pagu in {unit}" in ex.files["catatan"].iloc[0]
    assert not ex.files["satuan_ragu"].iloc[0]


def test_190_08_miliar_is_190_080_000_000_rupiah(tmp_path: Path) -> None:
    """Template D: a recap per pemda in miliar with a dot decimal, the unit in the title."""
    path = _write(tmp_path / "rekap.csv",
                  ["REALISASI DAK NONFISIK BOKB PER PEMDA TAHUN ANGGARAN 2024 (dalam miliar "
                   "rupiah)", "Posisi s.d. Juni 2024"],
                  ["No", "Pemda", "Pagu", "Realisasi", "%"],
                  [["1", "KAB GARUT", "190.08", "95.04", "50%"],
                   ["2", "KOTA BANJAR", "17.04", "-", "0%"]])
    ex = dm.read_export(path)
    assert ex.data["pagu"].tolist() == [190_080_000_000.0, 17_040_000_000.0]
    assert ex.data["realisasi"].tolist() == [95_040_000_000.0, 0.0]
    assert ex.data["kode_wilayah"].tolist() == ["32.05", "32.79"]


@pytest.mark.parametrize(("title", "header", "unit"), [
    ("(dalam ribuan rupiah)", "Pagu (Juta Rp)", "juta"),   # a header multiplier beats the title
    ("(dalam ribuan rupiah)", "Pagu (Rp)", "ribu"),        # a plain (Rp) does not
    ("", "Pagu (Rp.)", "rupiah"),
])
def test_which_unit_wins(tmp_path: Path, title: str, header: str, unit: str) -> None:
    path = _write(tmp_path / "x.csv", [t for t in ["BOKB TAHUN ANGGARAN 2024", title] if t],
                  ["Periode", "Kode Wilayah", "Menu", header, "Realisasi (Rp)"],
                  [["Juni 2024", "32.05", "BKB", "1.500", "500"]])
    ex = dm.read_export(path)
    assert ex.data["pagu"].iloc[0] == 1_500 * UNITS[unit]


def test_the_option_beats_what_the_file_says(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", ["BOKB TAHUN ANGGARAN 2024", "(dalam ribuan rupiah)"],
                  ["Periode", "Kode Wilayah", "Menu", "Pagu", "Realisasi"],
                  [["Juni 2024", "32.05", "BKB", "1.500", "500"]])
    ex = dm.read_export(path, units="juta")
    assert ex.data[["pagu", "realisasi"]].iloc[0].tolist() == [1.5e9, 5e8]
    assert "(from units=)" in ex.files["catatan"].iloc[0]
    with pytest.raises(dm.ConfigError, match="units must be one of"):
        dm.read_export(path, units="sen")


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(cents=st.lists(st.integers(1, 99_999), min_size=2, max_size=6))
def test_unitless_implausible_amounts_are_always_marked(
        tmp_path_factory: pytest.TempPathFactory, cents: list[int]) -> None:
    """Property: amounts with no unit anywhere and a median pagu below Rp 1.000 (as 17,04
    miliar typed without its unit) give the units-unstated warning, the flag and the
    data-incomplete mark on every office of the sheet."""
    import statistics

    values = [c / 100 for c in cents]
    if statistics.median(values) >= 1000:  # pragma: no cover - the strategy keeps it below
        return
    rows = [[f"32.{5 + i:02d}", "BKB", f"{v:.2f}".replace(".", ","), "0"]
            for i, v in enumerate(values)]
    path = _write(tmp_path_factory.mktemp("doubt") / "x.csv",
                  ["REKAP BOKB TAHUN ANGGARAN 2024", "Posisi s.d. Juni 2024"],
                  ["Kode Wilayah", "Menu", "Pagu", "Realisasi"], rows)
    report = dm.validate_export(dm.read_export(path))
    assert "units-unstated" in set(report.problems["code"])
    msg = report.problems.loc[report.problems["code"] == "units-unstated", "message"].iloc[0]
    assert "likely" in msg and "units=" in msg
    proj = dm.project_absorption(report)
    assert not proj.table["data_lengkap"].any()
    flags = dm.flag_offices(report, projection=proj)
    marked = set(flags.loc[flags["code"] == "units-unstated", "kode_wilayah"])
    assert marked == {r[0] for r in rows}


def test_plausible_rupiah_is_never_doubted(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", ["REKAP BOKB TAHUN ANGGARAN 2024", "s.d. Juni 2024"],
                  ["Kode Wilayah", "Menu", "Pagu", "Realisasi"],
                  [["32.05", "BKB", "250.000.000", "1"], ["32.79", "BKB", "1.250.000", "0"]])
    report = dm.validate_export(dm.read_export(path))
    assert "units-unstated" not in set(report.problems["code"])


def test_cli_units_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "x.csv", ["BOKB TAHUN ANGGARAN 2024"],
                  ["Periode", "Kode Wilayah", "Menu", "Pagu", "Realisasi"],
                  [["Juni 2024", "32.05", "BKB", "17,04", "1"]])
    assert main(["validate", str(path), "--format", "json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in doc["problems"]] == ["units-unstated"]
    assert main(["validate", str(path), "--units", "miliar", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["problems"] == []
    assert main(["read", str(path), "--units", "sen"]) == 2
    assert "--units" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "unit"), [
    ("(Rp. Dalam Ribuan)", "ribu"), ("Rp Miliar", "miliar"), ("(Juta Rp)", "juta"),
    ("Realisasi Keuangan (Rp.)", "rupiah"), ("Jumlah Realisasi", None),
    ("Pemilik rumah", None), ("Ketenagakerjaan", None)])
def test_unit_words(text: str, unit: str | None) -> None:
    assert unit_in(text) == unit


def test_a_fisik_recap_is_read_at_opd_level_without_item_findings(tmp_path: Path) -> None:
    """One row per pemda, no menu or rincian (template D): read, projected and flagged at OPD
    level; checks and flags that need items (contracts) pass it over, and the file says so."""
    path = _write(tmp_path / "rekap_fisik.csv",
                  ["REKAPITULASI REALISASI DAK FISIK SUBBIDANG KB TAHUN ANGGARAN 2024",
                   "Posisi s.d. 31 Juli 2024", "(dalam juta rupiah)"],
                  ["No", "Pemda", "Pagu", "Realisasi", "%"],
                  [["1", "KAB GARUT", "2.350,5", "940,2", "40%"],
                   ["2", "KOTA BANJAR", "812", "-", "0%"]])
    ex = dm.read_export(path)
    assert ex.kind == "fisik"
    assert ex.data["menu"].tolist() == ["(rekap OPD)"] * 2
    assert ex.data["pagu"].tolist() == [2_350_500_000.0, 812_000_000.0]
    assert "a recap, one row per OPD" in ex.files["catatan"].iloc[0]
    report = dm.validate_export(ex)
    assert "spending-without-contract" not in set(report.problems["code"])
    assert len(report.valid) == 2
    proj = dm.project_absorption(report)
    assert set(proj.table["kode_wilayah"]) == {"32.05", "32.79"}
    fs = dm.flag_first_semester(report, year=2024)
    assert fs.items.empty or not fs.items["code"].isin(
        ["no-contract-by-s1", "contract-deadline-missed", "contract-deadline-at-risk"]).any()


@given(pagu=st.integers(10**8, 10**11), fraction=st.floats(0.01, 1.0),
       unit=st.sampled_from(["rupiah", "ribu", "juta"]))
def test_the_printed_percent_pins_the_realisasi_unit(pagu: int, fraction: float,
                                                     unit: str) -> None:
    """Realisasi written in any unit next to a pagu in Rupiah: the printed % (to 2 decimals,
    as templates print it) names that unit."""
    from dak_monitor._units import unit_from_percent

    realisasi = round(pagu * fraction / UNITS[unit], 2)
    persen = round(realisasi * UNITS[unit] / pagu * 100, 2)
    assert unit_from_percent([float(pagu)], [realisasi], [persen]) == unit
