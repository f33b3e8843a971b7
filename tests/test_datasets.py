"""Tests of dak_monitor.datasets: the synthetic export generator, the writer and the samples."""

from __future__ import annotations

import csv
import io
import re
import time
from importlib import resources
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dak_monitor import datasets as ds
from dak_monitor._vocab import columns as C
from dak_monitor.datasets import headers as dsh
from dak_monitor.datasets import options as dso

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
JABAR = [f"32.{i:02d}" for i in range(1, 19)] + [f"32.{i}" for i in range(71, 80)]
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")
# Facts from docs/glossary.md (not from the code): contract deadline 2024, absorption ranges (%).
DEADLINE_2024 = pd.Timestamp(2024, 7, 22)
RANGES = {
    C.NONFISIK: {3: (10, 25), 6: (40, 55), 9: (65, 75), 12: (90, 100)},
    C.FISIK: {3: (0, 2), 6: (5, 15), 7: (25, 35), 9: (40, 60), 12: (88, 98)},
}
PLANTED_CODES = {
    "realisasi-above-pagu", "persen-mismatch", "realisasi-decreased", "duplicate-row",
    "unknown-region", "region-name-mismatch", "pagu-changed", "total-mismatch",
    "magnitude-outlier", "unparseable-number", "unparseable-date", "kontrak-above-pagu",
    "contract-date-outside-year", "contract-date-after-period", "spending-without-contract",
    "status-inconsistent", "realisasi-fisik-out-of-range", "penyaluran-above-pagu",
}


def reference() -> pd.DataFrame:
    with resources.files("dak_monitor").joinpath("reference", "regions.csv").open(
            encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def item_key(df: pd.DataFrame) -> pd.Series:
    return (df[C.KODE_WILAYAH].astype(str) + "|" + df[C.MENU].astype(str) + "|"
            + df[C.RINCIAN].astype(object).fillna("").astype(str))


def opd_absorption(df: pd.DataFrame) -> pd.DataFrame:
    """Percent of pagu spent per region (rows) and month (columns)."""
    g = df.groupby([C.KODE_WILAYAH, df[C.PERIODE].dt.month])[[C.PAGU, C.REALISASI]].sum()
    return (100 * g[C.REALISASI] / g[C.PAGU]).unstack()


def id_number(text: str) -> float:
    """Parse an Indonesian number like 'Rp 1.234.567,891' independently of the writer."""
    t = text.replace("Rp.", "").replace("Rp", "").replace(",-", "").strip()
    return float(t.replace(".", "").replace(",", "."))


def fold_header(label: str) -> str:
    t = re.sub(r"\s+", " ", str(label).replace("\n", " ")).strip().lower()
    return re.sub(r"\s*\(rp\)$", "", t)


def csv_records(path: Path, encoding: str, sep: str) -> dict[int, list[str]]:
    """Map the line where each CSV record starts to its fields (multi-line cells allowed)."""
    text = path.read_bytes().decode(encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    out: dict[int, list[str]] = {}
    start = 1
    for rec in reader:
        out[start] = rec
        start = reader.line_num + 1
    return out


def code_digits(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", "")
    return re.sub(r"\D", "", str(value))


@pytest.fixture(scope="module")
def year_frames() -> dict[tuple[str, int, int], pd.DataFrame]:
    """Full-year frames for the default 27 regions, 2021–2024, seeds 0–2, both kinds."""
    return {(kind, year, seed): ds.make_export(kind, year=year, seed=seed)
            for kind in C.KINDS for year in (2021, 2022, 2023, 2024) for seed in (0, 1, 2)}


# ================================================================ region_archetypes
class TestRegionArchetypes:
    def test_default_is_jawa_barat_with_reference_names(self) -> None:
        """The default regions are the 27 Jawa Barat codes with their regions.csv names."""
        arch = ds.region_archetypes()
        ref = reference().set_index("kode")["nama"]
        assert arch[C.KODE_WILAYAH].tolist() == JABAR
        assert arch[C.NAMA_WILAYAH].tolist() == [ref[c] for c in JABAR]

    @pytest.mark.parametrize("seed", [0, 1, 7, 123])
    def test_every_archetype_twice_and_a_clear_majority_on_time(self, seed: int) -> None:
        """Each archetype appears at least twice and early/typical are a clear majority."""
        counts = ds.region_archetypes(seed=seed)["archetype"].value_counts()
        assert set(counts.index) == set(ds.ARCHETYPES)
        assert counts.min() >= 2
        assert counts["early"] + counts["typical"] >= 0.6 * 27

    def test_assignment_is_stable_and_independent_of_the_region_list(self) -> None:
        """A region keeps its archetype whatever other regions are asked for."""
        full = ds.region_archetypes(seed=5).set_index(C.KODE_WILAYAH)["archetype"]
        some = ds.region_archetypes(seed=5, regions=["32.79", "32.04", "11.01"])
        assert some[C.KODE_WILAYAH].tolist() == ["32.79", "32.04", "11.01"]
        assert some["archetype"].iloc[0] == full["32.79"]
        assert some["archetype"].iloc[1] == full["32.04"]
        assert ds.region_archetypes(seed=5).equals(ds.region_archetypes(seed=5))

    def test_seed_changes_the_assignment(self) -> None:
        """Different seeds give different assignments."""
        a = ds.region_archetypes(seed=0)["archetype"].tolist()
        assert any(ds.region_archetypes(seed=s)["archetype"].tolist() != a for s in (1, 2, 3))

    def test_unknown_code_is_rejected(self) -> None:
        """A code that is not a kabupaten/kota raises ValueError naming it."""
        with pytest.raises(ValueError, match=r"32\.99"):
            ds.region_archetypes(regions=["32.99"])


# ======================================================================= make_export
class TestMakeExportShape:
    @pytest.mark.parametrize("kind", C.KINDS)
    def test_deterministic_and_seed_dependent(self, kind: str) -> None:
        """The same arguments give identical frames; another seed gives a different one."""
        a = ds.make_export(kind, year=2024, months=[3, 6], regions=JABAR[:4], seed=3)
        b = ds.make_export(kind, year=2024, months=[3, 6], regions=JABAR[:4], seed=3)
        c = ds.make_export(kind, year=2024, months=[3, 6], regions=JABAR[:4], seed=4)
        pd.testing.assert_frame_equal(a, b)
        assert not a.equals(c)

    @pytest.mark.parametrize("kind", C.KINDS)
    def test_region_rows_do_not_depend_on_other_regions_or_months(self, kind: str) -> None:
        """A region's June rows are the same alone or among others, with or without other months."""
        alone = ds.make_export(kind, year=2023, months=[6], regions=["32.10"])
        among = ds.make_export(kind, year=2023, months=range(1, 13), regions=["32.01", "32.10"])
        part = among[(among[C.KODE_WILAYAH] == "32.10") & (among[C.PERIODE].dt.month == 6)]
        pd.testing.assert_frame_equal(alone.reset_index(drop=True), part.reset_index(drop=True))

    @pytest.mark.parametrize("kind", C.KINDS)
    def test_schema(self, kind: str) -> None:
        """Columns, order and dtypes follow the canonical schema of the kind."""
        df = ds.make_export(kind, year=2024, months=[1, 6, 12], regions=["32.04", "32.73"])
        expected = C.NONFISIK_COLUMNS if kind == C.NONFISIK else C.FISIK_COLUMNS
        assert list(df.columns) == [*expected, C.JENIS_DAK]
        assert df[C.PERIODE].dtype == np.dtype("datetime64[ns]")
        assert (df[C.PERIODE] == df[C.PERIODE] + pd.offsets.MonthEnd(0)).all()
        assert df[C.TAHUN].dtype == np.dtype("int64")
        assert (df[C.TAHUN] == 2024).all()
        assert df[C.KODE_WILAYAH].str.fullmatch(r"\d{2}\.\d{2}").all()
        assert (df[C.KODE_PROVINSI] == df[C.KODE_WILAYAH].str[:2]).all()
        for col in expected:
            if col in C.MONEY_COLUMNS or col in C.PERCENT_COLUMNS or col in C.QUANTITY_COLUMNS:
                assert df[col].dtype == np.dtype("float64"), col
            elif col in C.TEXT_COLUMNS:
                assert pd.api.types.is_string_dtype(df[col]), col
        assert (df[C.PAGU] % 1 == 0).all()
        assert (df[C.REALISASI] % 1 == 0).all()
        assert (df[C.JENIS_DAK] == kind).all()
        if kind == C.FISIK:
            assert df[C.TANGGAL_KONTRAK].dtype == np.dtype("datetime64[ns]")
            assert set(df[C.METODE_PENGADAAN]) <= {"e-Purchasing", "Tender",
                                                   "Pengadaan Langsung", "Swakelola"}
            assert set(df[C.STATUS_PENGADAAN]) <= {"Belum Proses", "Proses Pengadaan", "Kontrak",
                                                   "Pelaksanaan Swakelola", "Selesai (BAST)"}

    def test_sizes_follow_the_glossary(self) -> None:
        """2024 BOKB is Rp 4–5 bn for a typical kabupaten and DAK fisik Rp 1–3 bn per region."""
        bokb = ds.make_export("nonfisik", year=2024, months=[12]).groupby(C.KODE_WILAYAH)[
            C.PAGU].sum() / 1e9
        kab = bokb[[c for c in bokb.index if int(c[3:]) < 71]]
        assert 3.5 <= kab.median() <= 5.5
        assert bokb.max() > 5.0  # populous regions are larger
        fisik = ds.make_export("fisik", year=2024, months=[12]).groupby(C.KODE_WILAYAH)[
            C.PAGU].sum() / 1e9
        assert fisik.between(0.8, 3.2).all()
        older = ds.make_export("nonfisik", year=2021, months=[12]).groupby(C.KODE_WILAYAH)[
            C.PAGU].sum() / 1e9
        assert older.median() < bokb.median()

    def test_items_per_region(self) -> None:
        """BOKB has 8–12 menus per region with 1–3 rincian; DAK fisik 4–10 items."""
        df = ds.make_export("nonfisik", year=2024, months=[6])
        menus = df.groupby(C.KODE_WILAYAH)[C.MENU].nunique()
        assert menus.between(8, 12).all()
        per_menu = df.groupby([C.KODE_WILAYAH, C.MENU]).size()
        assert per_menu.between(1, 3).all()
        assert df[C.RINCIAN].isna().any()
        assert df[C.RINCIAN].notna().any()
        fisik = ds.make_export("fisik", year=2024, months=[6])
        assert fisik.groupby(C.KODE_WILAYAH).size().between(3, 10).all()
        assert fisik[C.RINCIAN].notna().all()

    def test_bad_arguments_raise(self) -> None:
        """Unknown kind, month, region or a negative seed raise ValueError."""
        with pytest.raises(ValueError, match="kind"):
            ds.make_export("jalan", year=2024)
        with pytest.raises(ValueError, match="months"):
            ds.make_export("fisik", year=2024, months=[0, 13])
        with pytest.raises(ValueError, match="kode_wilayah"):
            ds.make_export("fisik", year=2024, regions=["99.99"])
        with pytest.raises(ValueError, match="seed"):
            ds.make_export("fisik", year=2024, seed=-1)

    @pytest.mark.parametrize("kind", C.KINDS)
    def test_messy_changes_only_free_text(self, kind: str) -> None:
        """messy=True changes a few keterangan cells (awkward text) and nothing else."""
        clean = ds.make_export(kind, year=2024, months=[5, 6])
        messy = ds.make_export(kind, year=2024, months=[5, 6], messy=True)
        pd.testing.assert_frame_equal(clean.drop(columns=C.KETERANGAN),
                                      messy.drop(columns=C.KETERANGAN))
        changed = messy[C.KETERANGAN].fillna("") != clean[C.KETERANGAN].fillna("")
        assert 0 < changed.sum() < 0.1 * len(messy)
        notes = messy.loc[changed, C.KETERANGAN].astype(str)
        assert {n[0] for n in notes} >= {"=", "+", "-", "@"}
        assert notes.str.contains("\n").any()
        assert (notes.str.len() > 200).any()

    def test_fast_for_all_kabupaten_kota(self) -> None:
        """514 regions × 12 months are generated well under 10 s for each kind."""
        codes = reference().query("tingkat != 'provinsi'")["kode"].tolist()
        assert len(codes) == 514
        for kind in C.KINDS:
            start = time.perf_counter()
            df = ds.make_export(kind, year=2024, regions=codes)
            assert time.perf_counter() - start < 10
            assert df[C.KODE_WILAYAH].nunique() == 514


def check_invariants(df: pd.DataFrame, year: int) -> None:
    key = item_key(df)
    assert not pd.concat([key, df[C.PERIODE]], axis=1).duplicated().any()
    ordered = df.assign(_k=key).sort_values(["_k", C.PERIODE])
    for col in (C.REALISASI, C.PENYALURAN):
        assert (ordered.groupby("_k")[col].diff().fillna(0) >= 0).all(), col
    assert (ordered.groupby("_k")[C.PAGU].nunique() == 1).all()
    assert (df[C.REALISASI] >= 0).all()
    assert (df[C.REALISASI] <= df[C.PAGU]).all()
    assert (df[C.PENYALURAN] <= df[C.PAGU]).all()
    np.testing.assert_array_equal(df[C.PERSEN_REALISASI],
                                  np.round(100 * df[C.REALISASI] / df[C.PAGU], 2))
    for col in C.PERCENT_COLUMNS:
        if col in df:
            assert df[col].between(0, 100).all(), col
    if C.NILAI_KONTRAK in df:
        has = df[C.NOMOR_KONTRAK].notna()
        assert (has == df[C.TANGGAL_KONTRAK].notna()).all()
        assert (has == df[C.NILAI_KONTRAK].notna()).all()
        assert (df.loc[has, C.NILAI_KONTRAK] <= df.loc[has, C.PAGU]).all()
        assert (df.loc[has, C.TANGGAL_KONTRAK] <= df.loc[has, C.PERIODE]).all()
        assert (df.loc[has, C.TANGGAL_KONTRAK].dt.year == year).all()
        swa = df[C.METODE_PENGADAAN] == "Swakelola"
        assert not (swa & has).any()
        assert not ((df[C.REALISASI] > 0) & ~has & ~swa).any()
        assert (df.loc[~has & ~swa, C.STATUS_PENGADAAN]
                .isin(["Belum Proses", "Proses Pengadaan"]).all())
        assert (df.loc[has, C.STATUS_PENGADAAN].isin(["Kontrak", "Selesai (BAST)"]).all())
        assert (df[C.VOLUME_REALISASI] <= df[C.VOLUME]).all()


class TestMakeExportInvariants:
    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(kind=st.sampled_from(C.KINDS), year=st.integers(2016, 2026),
           seed=st.integers(0, 2**31), regions=st.lists(st.sampled_from(JABAR), min_size=1,
                                                        max_size=4, unique=True),
           months=st.sets(st.integers(1, 12), min_size=1, max_size=12))
    def test_invariants_hold_for_any_arguments(self, kind: str, year: int, seed: int,
                                               regions: list[str], months: set[int]) -> None:
        """Cumulative series never fall; realisasi ≤ pagu; % = round(100·realisasi/pagu, 2)."""
        df = ds.make_export(kind, year=year, months=months, regions=regions, seed=seed)
        assert set(df[C.PERIODE].dt.month) == months
        check_invariants(df, year)

    def test_invariants_on_full_years(self,
                                      year_frames: dict[tuple[str, int, int], pd.DataFrame]
                                      ) -> None:
        """The invariants hold on every full-year frame of the default regions."""
        for (_, year, _), df in year_frames.items():
            check_invariants(df, year)

    def test_uncontracted_at_deadline_never_spend(self) -> None:
        """DAK fisik items with no contract by 22 July 2024 spend nothing by December."""
        df = ds.make_export("fisik", year=2024)
        assert (df[C.TANGGAL_KONTRAK].dropna() <= DEADLINE_2024).all()
        key = item_key(df)
        contracted = df.groupby(key)[C.NOMOR_KONTRAK].transform(lambda s: s.notna().any())
        dec = df[(df[C.PERIODE].dt.month == 12) & ~contracted.astype(bool)
                 & (df[C.METODE_PENGADAAN] != "Swakelola")]
        assert len(dec) > 0
        assert (dec[C.REALISASI] == 0).all()
        assert (dec[C.PAGU] > 0).all()

    def test_swakelola_spends_without_contract(self) -> None:
        """Some swakelola items spend although they never have a contract."""
        df = ds.make_export("fisik", year=2023, regions=reference().query(
            "kode_provinsi == '33' and tingkat != 'provinsi'")["kode"].tolist())
        swa = df[df[C.METODE_PENGADAAN] == "Swakelola"]
        assert swa[C.NOMOR_KONTRAK].isna().all()
        assert (swa[C.REALISASI] > 0).any()


# ================================================================== realism of curves
class TestCurves:
    @pytest.mark.parametrize("kind", C.KINDS)
    def test_medians_fall_in_the_glossary_ranges(
            self, kind: str, year_frames: dict[tuple[str, int, int], pd.DataFrame]) -> None:
        """Median OPD absorption in March, June, (July,) September and December fits
        docs/glossary.md."""
        pooled = pd.concat([opd_absorption(df) for (k, _, _), df in year_frames.items()
                            if k == kind])
        for month, (lo, hi) in RANGES[kind].items():
            assert lo <= pooled[month].median() <= hi, (month, pooled[month].median())

    def test_year_end_distribution(self,
                                   year_frames: dict[tuple[str, int, int], pd.DataFrame]) -> None:
        """Most OPDs end at 88–99 %, some below 93 %, laggard archetypes clearly lower."""
        for kind in C.KINDS:
            for seed in (0, 1, 2):
                arch = ds.region_archetypes(seed=seed).set_index(C.KODE_WILAYAH)["archetype"]
                dec = pd.concat([opd_absorption(year_frames[kind, y, seed])[12]
                                 for y in (2021, 2022, 2023, 2024)])
                on_time = dec[arch[dec.index].isin(["early", "typical"]).to_numpy()]
                assert on_time.between(88, 99.5).mean() >= 0.85
                assert (dec < 93).any()
                low = dec[arch[dec.index].isin(["stalled", "never-contracts"]).to_numpy()]
                assert low.median() < on_time.median() - 10

    def test_never_contracts_lose_dak_fisik(self) -> None:
        """Offices that never contract end DAK fisik near zero (only swakelola spends)."""
        arch = ds.region_archetypes(seed=0)
        codes = arch.loc[arch["archetype"] == "never-contracts", C.KODE_WILAYAH].tolist()
        df = ds.make_export("fisik", year=2024, months=[12], regions=codes)
        assert df[C.NOMOR_KONTRAK].isna().all()
        assert (opd_absorption(df)[12] < 35).all()

    def test_december_spike_in_bokb(
            self, year_frames: dict[tuple[str, int, int], pd.DataFrame]) -> None:
        """BOKB's December increment is larger than its typical July–November increment."""
        df = pd.concat([opd_absorption(d) for (k, _, _), d in year_frames.items()
                        if k == C.NONFISIK])
        inc = df.diff(axis=1)
        assert inc[12].median() > 1.5 * inc[[7, 8, 9, 10, 11]].stack().median()

    @pytest.mark.parametrize("kind", C.KINDS)
    def test_archetype_ordering(self, kind: str,
                                year_frames: dict[tuple[str, int, int], pd.DataFrame]) -> None:
        """Early OPDs are ahead in June of late and stalled ones, on average."""
        for seed in (0, 1, 2):
            arch = ds.region_archetypes(seed=seed).set_index(C.KODE_WILAYAH)["archetype"]
            june = pd.concat([opd_absorption(year_frames[kind, y, seed])[6]
                              for y in (2021, 2022, 2023, 2024)])
            a = arch[june.index].to_numpy()
            assert june[a == "early"].mean() > june[np.isin(a, ["late", "stalled"])].mean() + 5
            assert june[a == "early"].mean() > june[a == "typical"].mean()

    def test_low_enders_stay_low(self,
                                 year_frames: dict[tuple[str, int, int], pd.DataFrame]) -> None:
        """Year-end absorption of the same offices is correlated from one year to the next."""
        for kind in C.KINDS:
            ends = pd.DataFrame({y: opd_absorption(year_frames[kind, y, 0])[12]
                                 for y in (2021, 2022, 2023, 2024)})
            corr = ends.corr().to_numpy()
            assert corr[np.triu_indices(4, 1)].min() > 0.5
            lowest = [set(ends[y].nsmallest(5).index) for y in ends.columns]
            assert min(len(a & b) for a in lowest for b in lowest) >= 3

    def test_late_year_is_weaker_year(self) -> None:
        """Across many years, a later June (less spent) goes with a lower year end."""
        rows = []
        for year in range(1990, 2030):
            a = opd_absorption(ds.make_export("nonfisik", year=year, months=[6, 12],
                                              regions=JABAR[:12]))
            rows.append((a[6].median(), a[12].median()))
        june, dec = np.array(rows).T
        assert np.corrcoef(june, dec)[0, 1] > 0.3


# ======================================================================= write_export
def frame_for_writing(kind: str, months: list[int], messy: bool = True) -> pd.DataFrame:
    return ds.make_export(kind, year=2024, months=months, regions=["32.04", "32.73", "32.10"],
                          messy=messy)


class TestWriteClean:
    @pytest.mark.parametrize("kind", C.KINDS)
    def test_clean_csv_rows_hold_the_mapped_items(self, tmp_path: Path, kind: str) -> None:
        """Reading a clean CSV with plain pandas, each mapped line holds its frame row."""
        df = frame_for_writing(kind, [5, 6], messy=False)
        path = tmp_path / "export.csv"
        rowmap = ds.write_export(df, path)
        assert list(rowmap.columns) == ["index", C.SUMBER_FILE, C.SUMBER_SHEET, C.SUMBER_BARIS]
        assert (rowmap[C.SUMBER_FILE] == "export.csv").all()
        assert (rowmap[C.SUMBER_SHEET] == "").all()
        back = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
        assert back.columns[:4].tolist() == ["Tahun", "Periode", "Kode Provinsi", "Kode Wilayah"]
        for label, line in zip(rowmap["index"], rowmap[C.SUMBER_BARIS], strict=True):
            got = back.iloc[line - 2]  # line 1 is the header
            want = df.loc[label]
            assert got["Kode Wilayah"] == want[C.KODE_WILAYAH]
            assert got["Menu"] == want[C.MENU]
            assert got["Rincian"] == ("" if pd.isna(want[C.RINCIAN]) else want[C.RINCIAN])
            p = want[C.PERIODE]
            assert got["Periode"] == f"{BULAN[p.month - 1]} {p.year}"
            assert id_number(got["Pagu"]) == want[C.PAGU]
            assert id_number(got["Realisasi"]) == want[C.REALISASI]
            assert id_number(got["% Realisasi"]) == pytest.approx(want[C.PERSEN_REALISASI])

    def test_clean_xlsx_has_numbers_and_dates(self, tmp_path: Path) -> None:
        """A clean XLSX stores money as numbers and contract dates as date cells."""
        df = frame_for_writing("fisik", [7], messy=False)
        rowmap = ds.write_export(df, tmp_path / "f.xlsx")
        ws = openpyxl.load_workbook(tmp_path / "f.xlsx")["Laporan"]
        header = [c.value for c in ws[1]]
        col = {h: i for i, h in enumerate(header)}
        for label, row in zip(rowmap["index"], rowmap[C.SUMBER_BARIS], strict=True):
            cells = [c.value for c in ws[row]]
            assert cells[col["Pagu"]] == df.loc[label, C.PAGU]
            tgl = df.loc[label, C.TANGGAL_KONTRAK]
            if pd.notna(tgl):
                assert pd.Timestamp(cells[col["Tanggal Kontrak"]]) == tgl


class TestWriteMessy:
    @pytest.mark.parametrize("seed", range(6))
    @pytest.mark.parametrize("kind", C.KINDS)
    def test_messy_xlsx_rows_hold_region_and_menu(self, tmp_path: Path, kind: str,
                                                  seed: int) -> None:
        """In messy XLSX, each mapped sheet/row holds the frame row's region code and menu."""
        months = [6] if seed % 2 else [4, 5, 6]
        df = frame_for_writing(kind, months)
        path = tmp_path / "m.xlsx"
        rowmap = ds.write_export(df, path, layout="messy", seed=seed)
        wb = openpyxl.load_workbook(path)
        assert set(rowmap[C.SUMBER_SHEET]) <= set(wb.sheetnames)
        assert rowmap.set_index(["index"]).index.equals(df.index)
        for label, sheet, row in rowmap[["index", C.SUMBER_SHEET, C.SUMBER_BARIS]].itertuples(
                index=False):
            cells = [c.value for c in wb[sheet][row]]
            want = df.loc[label]
            assert want[C.MENU] in cells
            assert code_digits(want[C.KODE_WILAYAH]) in {code_digits(v) for v in cells
                                                         if v is not None}
            assert not any(c.data_type == "f" for c in wb[sheet][row])

    @pytest.mark.parametrize("seed", range(6))
    @pytest.mark.parametrize("kind", C.KINDS)
    def test_messy_csv_rows_start_at_mapped_lines(self, tmp_path: Path, kind: str,
                                                  seed: int) -> None:
        """In messy CSV, a record starts at each mapped line and holds the row's menu and code."""
        months = [6] if seed % 2 else [4, 5, 6]
        df = frame_for_writing(kind, months)
        path = tmp_path / "m.csv"
        rowmap = ds.write_export(df, path, layout="messy", seed=seed)
        opts = rowmap.attrs["options"]
        records = csv_records(path, opts["encoding"], opts["sep"])
        for label, line in zip(rowmap["index"], rowmap[C.SUMBER_BARIS], strict=True):
            fields = records[line]
            assert df.loc[label, C.MENU] in fields
            assert code_digits(df.loc[label, C.KODE_WILAYAH]) in {code_digits(f) for f in fields}

    @pytest.mark.parametrize("seed", range(8))
    @pytest.mark.parametrize("kind", C.KINDS)
    def test_headers_are_alias_spellings(self, tmp_path: Path, kind: str, seed: int) -> None:
        """Every header written (group and sub-label joined) is a DEFAULT_ALIASES spelling."""
        df = frame_for_writing(kind, [6])
        rowmap = ds.write_export(df, tmp_path / "h.csv", layout="messy", seed=seed)
        opts = rowmap.attrs["options"]
        records = csv_records(tmp_path / "h.csv", opts["encoding"], opts["sep"])
        rows = [h["row"] for h in rowmap.attrs["header_rows"]]
        n_header = 2 if opts["two_row_header"] else 1
        assert len(rows) == n_header
        assert max(rows) < rowmap[C.SUMBER_BARIS].min()
        header_rows = [records[r] for r in rows]
        allowed = {fold_header(a) for spellings in C.DEFAULT_ALIASES[kind].values()
                   for a in spellings} | {c.replace("_", " ") for c in C.DEFAULT_ALIASES[kind]}
        upper = header_rows[0]
        lower = header_rows[1] if n_header == 2 else [""] * len(upper)
        group = ""
        for up, lo in zip(upper, lower, strict=True):
            if lo and up:
                group = up
            label = f"{group if lo else up} {lo}".strip() if lo else up
            assert fold_header(label) in allowed, label

    def test_never_writes_formulas(self, tmp_path: Path) -> None:
        """Text such as '=SUM(…)' is written as a string cell, never as a formula."""
        df = frame_for_writing("nonfisik", [6])
        assert df[C.KETERANGAN].astype(str).str.startswith("=").any()
        ds.write_export(df, tmp_path / "f.xlsx", layout="messy", seed=1, subtotals=True,
                        grand_total=True)
        wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert not any(c.data_type == "f" for c in cells)
        assert any(isinstance(c.value, str) and c.value.startswith("=SUM") for c in cells)


class TestWriteOptions:
    def test_title_and_period_only_in_title(self, tmp_path: Path) -> None:
        """period_columns=False drops tahun/periode; the title carries year and period."""
        df = frame_for_writing("nonfisik", [6])
        rowmap = ds.write_export(df, tmp_path / "t.csv", layout="messy", seed=2,
                                 period_columns=False, header_style="standard")
        text = (tmp_path / "t.csv").read_bytes().decode(rowmap.attrs["options"]["encoding"])
        assert "LAPORAN REALISASI DAK NONFISIK BOKB" in text
        assert "TAHUN ANGGARAN 2024" in text
        assert "Periode s.d. 30 Juni 2024" in text
        assert "Tahun" not in text.split("Kode Wilayah")[0].split("Diunduh")[-1]
        assert "Juni 2024" not in text.split("Kode Wilayah", 1)[1]

    def test_ribuan_round_trips_exactly(self, tmp_path: Path) -> None:
        """units='ribuan' writes money/1000 with up to three decimals and says so in the title."""
        df = frame_for_writing("fisik", [6], messy=False)
        rowmap = ds.write_export(df, tmp_path / "r.csv", units="ribuan", header_style="standard")
        text = (tmp_path / "r.csv").read_text(encoding="utf-8")
        assert "(dalam ribuan rupiah)" in text
        records = csv_records(tmp_path / "r.csv", "utf-8", ";")
        header = next(r for r in records.values() if "Pagu" in r)
        at = header.index("Pagu")
        for label, line in zip(rowmap["index"], rowmap[C.SUMBER_BARIS], strict=True):
            assert round(id_number(records[line][at]) * 1000) == df.loc[label, C.PAGU]

    @pytest.mark.parametrize(("options", "check"), [
        ({"sep": ",", "encoding": "utf-8-sig"},
         lambda raw: raw.startswith(b"\xef\xbb\xbf") and b"Kode Wilayah," in raw),
        ({"encoding": "cp1252"}, lambda raw: b"\xe9" in raw and b"\xc3\xa9" not in raw),
        ({"line_terminator": "\r\n"}, lambda raw: raw.count(b"\r\n") > 10),
        ({"numbering_row": True}, lambda raw: b"\n1;2;3;4;5;" in raw),
        ({"two_row_header": True}, lambda raw: b";Kontrak;;;" in raw
         and b";Nomor;Tanggal;Nilai;" in raw),
        ({"code_form": "compact"}, lambda raw: b";3204;" in raw and b";32.04;" not in raw),
        ({"code_form": "trailing_dot"}, lambda raw: b";32.04.;" in raw),
        ({"code_form": "spaced"}, lambda raw: b";32 04;" in raw),
        ({"name_form": "kab_dot"}, lambda raw: b";Kab. Bandung;" in raw),
        ({"name_form": "upper"}, lambda raw: b";KAB BANDUNG;" in raw and b";KOTA BANDUNG;" in raw),
        ({"name_form": "bare"}, lambda raw: b";Bandung;32.04;" in raw or b";32.04;Bandung;" in raw),
        ({"money_prefix": "Rp.", "money_suffix": ",-"}, lambda raw: re.search(
            rb";Rp\.\d{1,3}(\.\d{3})+,-;", raw) is not None),
        ({"zero_as_dash": True}, lambda raw: b";-;" in raw),
        ({"percent_form": "text_pct"}, lambda raw: re.search(rb";\d+(,\d+)?%;", raw) is not None),
        ({"date_form": "d mmmm yyyy"}, lambda raw: re.search(
            rb";\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli) 2024;", raw) is not None),
        ({"date_form": "dd-mm-yyyy"}, lambda raw: re.search(rb";\d\d-\d\d-2024;", raw)
         is not None),
        ({"periode_form": "sd_month_year"}, lambda raw: b";s.d. Juli 2024;" in raw),
        ({"group_headers": True}, lambda raw: b"\nKABUPATEN BANDUNG;;" in raw),
        ({"blank_rows": True}, lambda raw: b"\n;;;;;;;;;;" in raw),
        ({"footer": True}, lambda raw: b"Mengetahui," in raw and b"NIP. 19700101" in raw),
        ({"drop_columns": ("kode_provinsi", "opd")}, lambda raw: b"Kode Provinsi" not in raw
         and b"DPPKB" not in raw),
    ])
    def test_single_decoration(self, tmp_path: Path, options: dict[str, object],
                               check: object) -> None:
        """Each forced option produces its decoration in an otherwise clean CSV."""
        df = frame_for_writing("fisik", [7])
        df[C.OPD] = df[C.OPD].str.replace(r"^\S+", "DPPKB", regex=True)
        ds.write_export(df, tmp_path / "o.csv", **options)
        assert check((tmp_path / "o.csv").read_bytes())  # type: ignore[operator]

    def test_subtotals_and_grand_total_add_up(self, tmp_path: Path) -> None:
        """Subtotal rows carry each region's sums; total_adjust shifts only the grand total."""
        df = frame_for_writing("nonfisik", [6], messy=False)
        rowmap = ds.write_export(df, tmp_path / "s.csv", subtotals=True, grand_total=True,
                                 total_label="JUMLAH", total_adjust={C.REALISASI: 5000.0})
        records = csv_records(tmp_path / "s.csv", "utf-8", ";")
        header = records[1]
        pagu, real = header.index("Pagu"), header.index("Realisasi")
        subs = {k: v for k, v in records.items() if v[0].startswith("Jumlah ")}
        assert len(subs) == df[C.KODE_WILAYAH].nunique()
        sums = df.groupby(C.KODE_WILAYAH, sort=False)[[C.PAGU, C.REALISASI]].sum()
        for (_, fields), (_, s) in zip(sorted(subs.items()), sums.iterrows(), strict=True):
            assert id_number(fields[pagu]) == s[C.PAGU]
            assert id_number(fields[real]) == s[C.REALISASI]
        total = [v for v in records.values() if v[0] == "JUMLAH"]
        assert len(total) == 1
        assert id_number(total[0][real]) == df[C.REALISASI].sum() + 5000
        levels = {t["level"] for t in rowmap.attrs["total_rows"]}
        assert levels == {"subtotal", "total"}
        for t in rowmap.attrs["total_rows"]:
            assert records[t["row"]][0] == t["label"]

    def test_xlsx_only_forms(self, tmp_path: Path) -> None:
        """Fraction percents, serial dates, numeric codes and text numbers in XLSX cells."""
        df = frame_for_writing("fisik", [7], messy=False)
        rowmap = ds.write_export(df, tmp_path / "x.xlsx", percent_form="fraction",
                                 date_form="serial", code_form="number")
        ws = openpyxl.load_workbook(tmp_path / "x.xlsx").active
        header = {c.value: i for i, c in enumerate(ws[1])}
        for label, row in zip(rowmap["index"], rowmap[C.SUMBER_BARIS], strict=True):
            cells = ws[row]
            pct = cells[header["% Realisasi"]]
            assert "%" in pct.number_format
            assert pct.value * 100 == pytest.approx(df.loc[label, C.PERSEN_REALISASI])
            code = cells[header["Kode Wilayah"]].value
            assert isinstance(code, float)
            assert f"{code:.2f}" == df.loc[label, C.KODE_WILAYAH]
            tgl = df.loc[label, C.TANGGAL_KONTRAK]
            if pd.notna(tgl):
                serial = cells[header["Tanggal Kontrak"]].value
                assert pd.Timestamp("1899-12-30") + pd.Timedelta(days=serial) == tgl
        ds.write_export(df, tmp_path / "t.xlsx", numbers_as_text=True)
        ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
        assert isinstance(ws.cell(2, [c.value for c in ws[1]].index("Pagu") + 1).value, str)

    def test_sheet_per_region(self, tmp_path: Path) -> None:
        """sheet_per_region puts each region's rows on its own sheet and maps them there."""
        df = frame_for_writing("nonfisik", [5, 6])
        rowmap = ds.write_export(df, tmp_path / "p.xlsx", sheet_per_region=True)
        wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
        assert len(wb.sheetnames) == df[C.KODE_WILAYAH].nunique()
        per_sheet = rowmap.assign(code=df.loc[rowmap["index"], C.KODE_WILAYAH].to_numpy())
        assert (per_sheet.groupby(C.SUMBER_SHEET)["code"].nunique() == 1).all()
        assert "Kota Bandung" in wb.sheetnames

    def test_planted_raw_text_is_written_verbatim(self, tmp_path: Path) -> None:
        """A string in a money or date column is written as typed."""
        df = frame_for_writing("fisik", [7], messy=False).astype(
            {C.REALISASI: object, C.TANGGAL_KONTRAK: object})
        df.loc[df.index[0], C.REALISASI] = "1.234.56"
        df.loc[df.index[1], C.TANGGAL_KONTRAK] = "31/02/2024"
        rowmap = ds.write_export(df, tmp_path / "raw.csv")
        records = csv_records(tmp_path / "raw.csv", "utf-8", ";")
        assert "1.234.56" in records[int(rowmap[C.SUMBER_BARIS].iloc[0])]
        assert "31/02/2024" in records[int(rowmap[C.SUMBER_BARIS].iloc[1])]

    def test_invalid_options_raise(self, tmp_path: Path) -> None:
        """Unknown options, impossible combinations and bad suffixes are refused."""
        df = frame_for_writing("nonfisik", [5, 6], messy=False)
        with pytest.raises(TypeError, match="unknown option"):
            ds.write_export(df, tmp_path / "a.csv", colour="red")
        with pytest.raises(ValueError, match="single periode"):
            ds.write_export(df, tmp_path / "a.csv", subtotals=True)
        with pytest.raises(ValueError, match="xlsx"):
            ds.write_export(df, tmp_path / "a.csv", percent_form="fraction")
        with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
            ds.write_export(df, tmp_path / "a.txt")
        with pytest.raises(ValueError, match="grand_total"):
            ds.write_export(df[df[C.PERIODE].dt.month == 6], tmp_path / "a.csv",
                            total_adjust={C.PAGU: 1.0})

    def test_messy_is_deterministic(self, tmp_path: Path) -> None:
        """The same seed writes byte-identical files; another seed changes the layout."""
        df = frame_for_writing("fisik", [6])
        for name in ("a", "b"):
            ds.write_export(df, tmp_path / f"{name}.xlsx", layout="messy", seed=9)
            ds.write_export(df, tmp_path / f"{name}.csv", layout="messy", seed=9)
        assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
        assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
        layouts = {str(ds.write_export(df, tmp_path / "c.csv", layout="messy",
                                       seed=s).attrs["options"]) for s in range(5)}
        assert len(layouts) > 1


# ========================================================== decoration random streams
def written(df: pd.DataFrame, path: Path, seed: int) -> tuple[dict[str, object], bytes]:
    """Options and bytes of a messy file written with ``seed``."""
    rowmap = ds.write_export(df, path, layout="messy", seed=seed)
    return rowmap.attrs["options"], path.read_bytes()


class TestDecorationStreams:
    """Each decoration draws from its own named stream: adding one changes no other draw."""

    SEEDS = range(12)

    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_new_decoration_leaves_every_other_draw_unchanged(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
        """A (hypothetical) decoration added first and last changes no other option, no byte."""
        df = frame_for_writing("fisik", [6])
        before = {s: written(df, tmp_path / f"a{s}{suffix}", s) for s in self.SEEDS}
        table = dso.DECORATIONS
        new = [dso.Decoration(name, (False, True), clean=lambda ctx: False,
                              draw=lambda rng, ctx: bool(rng.random() < 0.5))
               for name in ("watermark", "zz_stamp_colour")]
        monkeypatch.setattr(dso, "DECORATIONS", (new[0], *table, new[1]))
        drawn = set()
        for s in self.SEEDS:
            opts, raw = written(df, tmp_path / f"b{s}{suffix}", s)
            drawn.add((opts.pop("watermark"), opts.pop("zz_stamp_colour")))
            assert opts == before[s][0], s
            assert raw == before[s][1], s
        assert len(drawn) > 1  # the new decorations are drawn, and vary with the seed

    def test_changing_one_decoration_leaves_the_others_unchanged(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """New odds and values for one decoration change that decoration's draws only."""
        df = frame_for_writing("nonfisik", [6])
        before = {s: written(df, tmp_path / f"a{s}.csv", s)[0] for s in self.SEEDS}
        table = tuple(
            dso.Decoration(d.name, (*d.values, "JUMLAH TOTAL"), d.clean,
                           lambda rng, ctx: "JUMLAH TOTAL" if rng.random() < rng.random()
                           else "TOTAL")  # two draws where there was one
            if d.name == "total_label" else d for d in dso.DECORATIONS)
        monkeypatch.setattr(dso, "DECORATIONS", table)
        after = {s: written(df, tmp_path / f"b{s}.csv", s)[0] for s in self.SEEDS}
        for s in self.SEEDS:
            assert {k: v for k, v in after[s].items() if k != "total_label"} == \
                {k: v for k, v in before[s].items() if k != "total_label"}
        assert {o["total_label"] for o in after.values()} == {"JUMLAH TOTAL", "TOTAL"}

    @pytest.mark.parametrize("kind", C.KINDS)
    def test_extra_spelling_changes_only_that_columns_header(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
        """A spelling added for pagu leaves every other header label, option and record as is."""
        df = frame_for_writing(kind, [6])
        canonical = C.NONFISIK_COLUMNS if kind == C.NONFISIK else C.FISIK_COLUMNS

        def run(name: str, s: int) -> tuple[dict[str, object], list[list[str]], list[list[str]]]:
            path = tmp_path / f"{name}{s}.csv"
            rowmap = ds.write_export(df, path, layout="messy", seed=s)
            opts = rowmap.attrs["options"]
            records = csv_records(path, opts["encoding"], opts["sep"])
            rows = [int(h["row"]) for h in rowmap.attrs["header_rows"]]
            body = [fields for line, fields in records.items() if line > max(rows)]
            return opts, [records[r] for r in rows], body

        seeds = range(36)  # enough for the new spelling to be picked for both kinds
        before = {s: run("a", s) for s in seeds}
        spellings = {k: dict(v) for k, v in dsh.HEADER_SPELLINGS.items()}
        spellings[kind][C.PAGU] = (*spellings[kind][C.PAGU], "pagu dak tahun berjalan")
        monkeypatch.setattr(dsh, "HEADER_SPELLINGS", spellings)
        changed = 0
        for s in seeds:
            opts, headers, body = run("b", s)
            assert opts == before[s][0], s
            assert body == before[s][2], s  # every record below the header, cell by cell
            columns = [c for c in canonical if c not in opts["drop_columns"]
                       and (opts["period_columns"] or c not in (C.TAHUN, C.PERIODE))]
            at = columns.index(C.PAGU)
            assert len(headers) == len(before[s][1])
            for new_row, old_row in zip(headers, before[s][1], strict=True):
                assert new_row[:at] + new_row[at + 1:] == old_row[:at] + old_row[at + 1:], s
            changed += fold_header(headers[0][at]) == "pagu dak tahun berjalan"
        assert changed > 0  # the new spelling is written for some seeds

    @pytest.mark.parametrize("kind", C.KINDS)
    def test_writer_spellings_are_known_to_the_reader(self, kind: str) -> None:
        """Every spelling of the writer's own list, and every standard header, is a reader alias."""
        aliases = {c: {fold_header(a) for a in spellings}
                   for c, spellings in C.DEFAULT_ALIASES[kind].items()}
        columns = C.NONFISIK_COLUMNS if kind == C.NONFISIK else C.FISIK_COLUMNS
        # every column of the kind, and the optional upload date (``Tgl Upload``)
        assert set(dsh.HEADER_SPELLINGS[kind]) == {*columns, C.TANGGAL_LAPOR}
        for column, spellings in dsh.HEADER_SPELLINGS[kind].items():
            assert spellings, column
            for spelling in spellings:
                assert fold_header(spelling) in aliases[column], (column, spelling)
            assert fold_header(dsh.STANDARD_HEADERS[column]) in aliases[column], column

    def test_streams_are_keyed_by_name_only(self) -> None:
        """A decoration's stream depends on the seed and its name, nothing else."""
        a = dso.stream(5, "title").random(4)
        assert np.array_equal(a, dso.stream(5, "title").random(4))
        assert not np.array_equal(a, dso.stream(5, "footer").random(4))
        assert not np.array_equal(a, dso.stream(6, "title").random(4))


# ============================================================================= samples
class TestSamples:
    def test_packaged_samples_exist(self) -> None:
        """Every name in SAMPLE_EXPORTS points to an existing small packaged file."""
        assert len(ds.SAMPLE_EXPORTS) >= 2
        for name in ds.SAMPLE_EXPORTS:
            path = ds.sample_export_path(name)
            assert path.is_file()
            assert 0 < path.stat().st_size < 200_000
        with pytest.raises(ValueError, match="unknown sample"):
            ds.sample_export_path("nope")

    def test_data_samples_layout_and_size(self) -> None:
        """data_samples has current/history/faulty exports, a README and stays under 5 MB."""
        files = [p for p in SAMPLES.rglob("*") if p.is_file()]
        assert sum(p.stat().st_size for p in files) < 5_000_000
        readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
        assert "synthetic" in readme.lower()
        assert "scripts/make_samples.py" in readme
        exports = [p for p in files if p.suffix in (".csv", ".xlsx") and p.parent != SAMPLES
                   and p.name != "planted.csv"]
        for sub in ("current", "history", "faulty"):
            assert any(p.parent.name == sub for p in exports), sub
        for p in exports:
            assert p.relative_to(SAMPLES).as_posix() in readme, p
        history = " ".join(p.name for p in exports if p.parent.name == "history")
        for year in (2021, 2022, 2023):
            assert f"nonfisik_jabar_{year}" in history
            assert f"fisik_jabar_{year}" in history

    def test_readme_archetypes_match_the_generator(self) -> None:
        """The README's archetype table is region_archetypes(seed=0)."""
        readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
        for r in ds.region_archetypes(seed=0).itertuples(index=False):
            assert f"| {r.kode_wilayah} | {r.nama_wilayah} | {r.archetype} |" in readme

    def test_planted_mistakes_point_at_existing_rows(self) -> None:
        """planted.csv covers every code and each line names an existing file, sheet and row."""
        planted = pd.read_csv(SAMPLES / "faulty" / "planted.csv", dtype=str,
                              keep_default_na=False)
        assert planted.columns.tolist() == ["file", "sheet", "row", "column", "code",
                                            "description"]
        assert set(planted["code"]) == PLANTED_CODES
        assert 2 <= planted["file"].nunique() <= 4
        assert {Path(f).suffix for f in planted["file"]} == {".csv", ".xlsx"}
        for r in planted.itertuples(index=False):
            path = SAMPLES / r.file
            assert path.is_file(), r.file
            row = int(r.row)
            if path.suffix == ".xlsx":
                ws = openpyxl.load_workbook(path)[r.sheet]
                values = [c.value for c in ws[row] if c.value not in (None, "")]
            else:
                raw = path.read_bytes()
                enc = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "cp1252"
                try:
                    raw.decode("utf-8")
                    enc = "utf-8-sig"
                except UnicodeDecodeError:
                    pass
                sep = ";" if raw.split(b"\n")[0].count(b";") else ","
                values = [v for v in csv_records(path, enc, sep)[row] if v]
            assert len(values) >= 3, (r.file, row)
            if r.code == "total-mismatch":
                assert re.match(r"(?i)total|jumlah|grand total", str(values[0]))
            elif r.code == "unparseable-date":
                assert "31/02/2024" in values
            elif r.code == "unknown-region":
                assert any(code_digits(v) == "3219" for v in values)


def test_monthly_samples_are_what_the_generator_writes(tmp_path: Path) -> None:
    """data_samples/july and data_samples/reporting are write_monthly_samples' output, byte
    for byte, and the changes it reports are the ones the README describes (3 BOKB June and
    1 DAK fisik May realisasi revised and 1 July pagu raised in july/; one May realisasi of
    32.04 revised in reporting/juli)."""
    changes = ds.write_monthly_samples(tmp_path)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*"))
    assert written == ["july/fisik_jabar_2024_jan-jul.xlsx",
                       "july/nonfisik_jabar_2024_jan-jul.xlsx",
                       "reporting/juli/bokb_4kab_2024_jan-jul.csv",
                       "reporting/juni/bokb_4kab_2024_jan-jun.csv"]
    for rel in written:
        assert (tmp_path / rel).read_bytes() == (SAMPLES / rel).read_bytes(), rel
    by = changes.groupby(["file", "periode", "kolom"]).size().to_dict()
    assert by == {("july/nonfisik_jabar_2024_jan-jul.xlsx", "2024-06", "realisasi"): 3,
                  ("july/nonfisik_jabar_2024_jan-jul.xlsx", "2024-07", "pagu"): 1,
                  ("july/fisik_jabar_2024_jan-jul.xlsx", "2024-05", "realisasi"): 1,
                  ("reporting/juli/bokb_4kab_2024_jan-jul.csv", "2024-05", "realisasi"): 1}
    assert (changes["baru"] > changes["lama"]).all()
