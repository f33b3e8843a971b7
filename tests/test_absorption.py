"""Tests of dak_monitor.absorption (and the item/month state behind projections).

Expected numbers are derived from the hand-built inputs (sums worked out in comments, or by a
plain-Python oracle over the generated items), never copied from the code's output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor._absorption import _report_state, item_months, month_panel
from dak_monitor._vocab import columns as C
from dak_monitor.schemas import item_keys

NF, FI = "nonfisik", "fisik"


def month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)


def frame(records: list[dict]) -> pd.DataFrame:
    """A canonical frame from short records (defaults: 2024, nonfisik, no rincian)."""
    rows = []
    for i, r in enumerate(records):
        year = r.get("tahun", 2024)
        kode = r.get("kode", "32.05")
        rows.append({
            "tahun": year, "periode": month_end(year, r["bulan"]),
            "kode_provinsi": kode.split(".")[0], "kode_wilayah": kode,
            "nama_wilayah": r.get("nama"), "menu": r.get("menu", "A"),
            "rincian": r.get("rincian"), "pagu": float(r["pagu"]),
            "penyaluran": float(r.get("penyaluran", np.nan)),
            "realisasi": float(r["realisasi"]), "jenis_dak": r.get("jenis", NF),
            "sumber_file": r.get("file", "a.csv"), "sumber_sheet": "",
            "sumber_baris": r.get("baris", i + 2),
        })
    return pd.DataFrame(rows)


def by_key(out: pd.DataFrame, keys: list[str]) -> dict:
    return {tuple(rec[k] for k in keys): rec for rec in out.to_dict("records")}


# ================================================================ hand-built frames: sums
@pytest.fixture
def two_regions() -> pd.DataFrame:
    """Two provinces, three regions, both kinds, June 2024 (one report per item)."""
    return frame([
        # 32.05 nonfisik: pagu 100 + 300 = 400, realisasi 20 + 150 = 170, penyaluran 50 + 200
        {"kode": "32.05", "menu": "A", "pagu": 100, "realisasi": 20, "penyaluran": 50, "bulan": 6},
        {"kode": "32.05", "menu": "B", "pagu": 300, "realisasi": 150, "penyaluran": 200,
         "bulan": 6},
        # 32.05 fisik: pagu 1000, realisasi 250 (two rincian under one menu)
        {"kode": "32.05", "jenis": FI, "menu": "K", "rincian": "x", "pagu": 600,
         "realisasi": 150, "penyaluran": 300, "bulan": 6},
        {"kode": "32.05", "jenis": FI, "menu": "K", "rincian": "y", "pagu": 400,
         "realisasi": 100, "penyaluran": 100, "bulan": 6},
        # 32.79 nonfisik: pagu 200, realisasi 180
        {"kode": "32.79", "menu": "A", "pagu": 200, "realisasi": 180, "penyaluran": 200,
         "bulan": 6},
        # 33.01 (another province) nonfisik: pagu 500, realisasi 100
        {"kode": "33.01", "menu": "A", "pagu": 500, "realisasi": 100, "penyaluran": 250,
         "bulan": 6},
    ])


def test_default_grouping_sums_and_serapan(two_regions: pd.DataFrame) -> None:
    """Per kode_wilayah × jenis_dak: pagu, realisasi, penyaluran summed; serapan = realisasi/pagu."""
    out = dm.absorption(two_regions)
    assert list(out.columns[:2]) == ["kode_wilayah", "jenis_dak"]
    got = by_key(out, ["kode_wilayah", "jenis_dak"])
    expected = {  # (pagu, realisasi, penyaluran, n_item)
        ("32.05", NF): (400, 170, 250, 2), ("32.05", FI): (1000, 250, 400, 2),
        ("32.79", NF): (200, 180, 200, 1), ("33.01", NF): (500, 100, 250, 1),
    }
    assert set(got) == set(expected)
    for key, (pagu, real, pen, n) in expected.items():
        rec = got[key]
        assert rec["pagu"] == pagu
        assert rec["realisasi"] == real
        assert rec["penyaluran"] == pen
        assert rec["n_item"] == n
        assert rec["serapan"] == pytest.approx(real / pagu)
        assert rec["serapan_penyaluran"] == pytest.approx(real / pen)
        assert rec["sisa"] == pagu - real
        assert rec["periode"] == pd.Timestamp("2024-06-30")


@pytest.mark.parametrize("by", ["kode_provinsi", "provinsi", ("kode_provinsi",)])
def test_grouping_by_province(two_regions: pd.DataFrame, by: object) -> None:
    """By province (column name or alias): 32 = 400+1000+200 pagu, 33 = 500 pagu."""
    got = by_key(dm.absorption(two_regions, by=by), ["kode_provinsi"])
    assert set(got) == {("32",), ("33",)}
    assert got[("32",)]["pagu"] == 1600
    assert got[("32",)]["realisasi"] == 170 + 250 + 180
    assert got[("32",)]["serapan"] == pytest.approx(600 / 1600)
    assert got[("33",)]["serapan"] == pytest.approx(100 / 500)
    assert got[("32",)]["n_item"] == 5


def test_grouping_by_kind(two_regions: pd.DataFrame) -> None:
    """By jenis_dak: nonfisik 400+200+500 pagu, fisik 1000."""
    got = by_key(dm.absorption(two_regions, by="jenis_dak"), ["jenis_dak"])
    assert got[(NF,)]["pagu"] == 1100
    assert got[(NF,)]["realisasi"] == 170 + 180 + 100
    assert got[(NF,)]["serapan"] == pytest.approx(450 / 1100)
    assert got[(FI,)]["serapan"] == pytest.approx(250 / 1000)


def test_grouping_by_region_and_menu(two_regions: pd.DataFrame) -> None:
    """By (kode_wilayah, menu): the fisik menu K sums its two rincian."""
    got = by_key(dm.absorption(two_regions, by=("kode_wilayah", "menu")), ["kode_wilayah", "menu"])
    assert set(got) == {("32.05", "A"), ("32.05", "B"), ("32.05", "K"), ("32.79", "A"),
                        ("33.01", "A")}
    assert got[("32.05", "K")]["pagu"] == 1000
    assert got[("32.05", "K")]["n_item"] == 2
    assert got[("32.05", "B")]["serapan"] == pytest.approx(150 / 300)


def test_grand_total(two_regions: pd.DataFrame) -> None:
    """by=None: one row with every item's money."""
    out = dm.absorption(two_regions, by=None)
    assert len(out) == 1
    rec = out.iloc[0]
    assert rec["pagu"] == 400 + 1000 + 200 + 500
    assert rec["realisasi"] == 170 + 250 + 180 + 100
    assert rec["serapan"] == pytest.approx(700 / 2100)
    assert rec["n_item"] == 6


def test_unknown_group_column_raises(two_regions: pd.DataFrame) -> None:
    """Grouping by a column that does not exist is a KeyError naming it."""
    with pytest.raises(KeyError, match="nope"):
        dm.absorption(two_regions, by="nope")


# ======================================================================= as_of, years
@pytest.fixture
def lagging() -> pd.DataFrame:
    """Item A reports May and June; item B only May; item C only April."""
    return frame([
        {"menu": "A", "pagu": 100, "realisasi": 30, "bulan": 5},
        {"menu": "A", "pagu": 100, "realisasi": 60, "bulan": 6},
        {"menu": "B", "pagu": 200, "realisasi": 50, "bulan": 5},
        {"kode": "32.79", "menu": "C", "pagu": 400, "realisasi": 40, "bulan": 4},
        {"kode": "32.79", "menu": "D", "pagu": 100, "realisasi": 10, "bulan": 6},
    ])


def test_as_of_uses_latest_report_on_or_before(lagging: pd.DataFrame) -> None:
    """June: A counts with June (60), B with May (50); periode_data_min says May."""
    got = by_key(dm.absorption(lagging, as_of="2024-06"), ["kode_wilayah"])
    rec = got[("32.05",)]
    assert rec["pagu"] == 300
    assert rec["realisasi"] == 60 + 50
    assert rec["periode"] == pd.Timestamp("2024-06-30")
    assert rec["periode_data_min"] == pd.Timestamp("2024-05-31")
    assert got[("32.79",)]["realisasi"] == 40 + 10
    assert got[("32.79",)]["periode_data_min"] == pd.Timestamp("2024-04-30")


def test_as_of_earlier_period_ignores_later_reports(lagging: pd.DataFrame) -> None:
    """May: A counts with May (30), not June; 32.79 has only C (April)."""
    got = by_key(dm.absorption(lagging, as_of="2024-05"), ["kode_wilayah"])
    assert got[("32.05",)]["realisasi"] == 30 + 50
    assert got[("32.05",)]["periode_data_min"] == pd.Timestamp("2024-05-31")
    assert got[("32.79",)]["pagu"] == 400
    assert got[("32.79",)]["n_item"] == 1


@pytest.mark.parametrize("as_of", ["2024-06", "2024-06-15", dt.date(2024, 6, 1),
                                   pd.Timestamp("2024-06-30")])
def test_as_of_forms(lagging: pd.DataFrame, as_of: object) -> None:
    """Any date inside June means the June month end; the default is the latest period."""
    out = dm.absorption(lagging, as_of=as_of)
    pd.testing.assert_frame_equal(out, dm.absorption(lagging))
    assert (out["periode"] == pd.Timestamp("2024-06-30")).all()


def test_other_fiscal_years_are_ignored() -> None:
    """Rows of 2025 do not count as of December 2024, nor 2024's as of January 2025."""
    f = frame([
        {"menu": "A", "pagu": 100, "realisasi": 90, "bulan": 12},
        {"menu": "B", "pagu": 300, "realisasi": 270, "bulan": 12},
        {"tahun": 2025, "menu": "A", "pagu": 1000, "realisasi": 10, "bulan": 1},
    ])
    dec = dm.absorption(f, as_of="2024-12").iloc[0]
    assert (dec["pagu"], dec["realisasi"], dec["n_item"]) == (400, 360, 2)
    jan = dm.absorption(f, as_of="2025-01").iloc[0]  # B did not report in 2025: not carried
    assert (jan["pagu"], jan["realisasi"], jan["n_item"]) == (1000, 10, 1)
    assert dm.absorption(f).iloc[0]["periode"] == pd.Timestamp("2025-01-31")


def test_zero_pagu_gives_nan_not_inf() -> None:
    """A group whose pagu is 0 has NaN serapan (and NaN serapan_penyaluran with no money)."""
    f = frame([
        {"kode": "32.05", "pagu": 0, "realisasi": 0, "penyaluran": 0, "bulan": 6},
        {"kode": "32.79", "pagu": 0, "realisasi": 5, "penyaluran": 0, "bulan": 6},
        {"kode": "32.01", "pagu": 10, "realisasi": 5, "penyaluran": 5, "bulan": 6},
    ])
    got = by_key(dm.absorption(f), ["kode_wilayah"])
    for k in ("32.05", "32.79"):
        assert np.isnan(got[(k,)]["serapan"])
        assert np.isnan(got[(k,)]["serapan_penyaluran"])
    assert got[("32.01",)]["serapan"] == 0.5
    out = dm.absorption(f)
    assert not np.isinf(out[["serapan", "serapan_penyaluran"]].to_numpy()).any()


def test_without_penyaluran_column() -> None:
    """No penyaluran column: penyaluran and serapan_penyaluran are NaN, serapan still computed."""
    f = frame([{"pagu": 100, "realisasi": 25, "bulan": 3}]).drop(columns="penyaluran")
    rec = dm.absorption(f).iloc[0]
    assert np.isnan(rec["penyaluran"]) and np.isnan(rec["serapan_penyaluran"])
    assert rec["serapan"] == 0.25


# ============================================================== Export and ValidationReport
CSV = """Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi;Penyaluran
2024;Mei 2024;32.05;Kab. Garut;BKB;1.000;400;500
2024;Juni 2024;32.05;Kab. Garut;BKB;1.000;600;1.000
2024;Juni 2024;32.05;Kab. Garut;PIK;2.000;500;1.000
2024;Juni 2024;32.79;Kota Banjar;BKB;1.000;1.500;1.000
2024;Juni 2024;32.79;Kota Banjar;PIK;3.000;300;1.000
"""


@pytest.fixture
def csv_report(tmp_path: Path) -> dm.ValidationReport:
    p = tmp_path / "bokb.csv"
    p.write_text(CSV, encoding="utf-8")
    return dm.validate_export(dm.read_export(p))


def test_accepts_export(csv_report: dm.ValidationReport) -> None:
    """An Export counts all its rows (32.79: 1000+3000 pagu, 1500+300 realisasi)."""
    got = by_key(dm.absorption(csv_report.export), ["kode_wilayah"])
    assert (got[("32.05",)]["pagu"], got[("32.05",)]["realisasi"]) == (3000, 600 + 500)
    assert (got[("32.79",)]["pagu"], got[("32.79",)]["realisasi"]) == (4000, 1800)
    pd.testing.assert_frame_equal(dm.absorption(csv_report.export),
                                  dm.absorption(csv_report.export.data))


def test_accepts_validation_report_and_uses_valid_rows(
        csv_report: dm.ValidationReport) -> None:
    """A ValidationReport counts only its valid rows: 32.79's BKB (realisasi > pagu) is out."""
    assert len(csv_report.quarantine) == 1
    got = by_key(dm.absorption(csv_report), ["kode_wilayah"])
    assert (got[("32.05",)]["pagu"], got[("32.05",)]["realisasi"]) == (3000, 1100)
    assert (got[("32.79",)]["pagu"], got[("32.79",)]["realisasi"]) == (3000, 300)
    pd.testing.assert_frame_equal(dm.absorption(csv_report), dm.absorption(csv_report.valid))


def test_rejects_other_objects() -> None:
    """Anything that is not a frame, Export or report is a TypeError."""
    with pytest.raises(TypeError):
        dm.absorption([1, 2, 3])


# ============================================================================ properties
REGIONS = ("32.01", "32.05", "33.02")
MENUS = ("A", "B", "C")
RINCIAN = (None, "x", "y")


@st.composite
def item_histories(draw: st.DrawFn) -> tuple[pd.DataFrame, dict]:
    """Random items, each with a pagu, some reported months and cumulative realisasi ≤ pagu."""
    keys = draw(st.lists(st.tuples(st.sampled_from(REGIONS), st.sampled_from((NF, FI)),
                                   st.sampled_from(MENUS), st.sampled_from(RINCIAN)),
                         min_size=1, max_size=8, unique=True))
    records, items = [], {}
    for kode, jenis, menu, rinc in keys:
        pagu = draw(st.one_of(st.just(0), st.integers(1, 10**9)))
        months = sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=5)))
        fracs = sorted(draw(st.lists(st.floats(0, 1), min_size=len(months),
                                     max_size=len(months))))
        reals = [int(f * pagu) for f in fracs]
        items[(kode, jenis, menu, rinc)] = (pagu, dict(zip(months, reals, strict=True)))
        records += [{"kode": kode, "jenis": jenis, "menu": menu, "rincian": rinc,
                     "pagu": pagu, "realisasi": r, "bulan": m}
                    for m, r in zip(months, reals, strict=True)]
    return frame(records), items


def oracle(items: dict, as_of_month: int) -> dict:
    """(kode_wilayah, jenis_dak) -> [pagu, realisasi, n, oldest month] from the raw items."""
    out: dict = {}
    for (kode, jenis, _m, _r), (pagu, reports) in items.items():
        seen = [m for m in reports if m <= as_of_month]
        if not seen:
            continue
        last = max(seen)
        acc = out.setdefault((kode, jenis), [0, 0, 0, 12])
        acc[0] += pagu
        acc[1] += reports[last]
        acc[2] += 1
        acc[3] = min(acc[3], last)
    return out


@settings(max_examples=60, deadline=None)
@given(data=item_histories(), as_of_month=st.integers(1, 12))
def test_matches_plain_python_oracle(data: tuple[pd.DataFrame, dict], as_of_month: int) -> None:
    """Every group's sums, serapan and oldest report equal a plain-Python recomputation."""
    f, items = data
    expected = oracle(items, as_of_month)
    assume(expected)
    got = by_key(dm.absorption(f, as_of=f"2024-{as_of_month:02d}"), ["kode_wilayah", "jenis_dak"])
    assert set(got) == set(expected)
    for key, (pagu, real, n, oldest) in expected.items():
        rec = got[key]
        assert rec["pagu"] == pagu and rec["realisasi"] == real and rec["n_item"] == n
        assert rec["periode_data_min"] == month_end(2024, oldest)
        if pagu > 0:
            assert rec["serapan"] == pytest.approx(real / pagu, rel=1e-12)
        else:
            assert np.isnan(rec["serapan"])


@settings(max_examples=60, deadline=None)
@given(data=item_histories(), as_of_month=st.integers(1, 12),
       by=st.sampled_from([None, "kode_provinsi", "jenis_dak", ("kode_wilayah", "menu")]))
def test_absorption_in_unit_interval(data: tuple[pd.DataFrame, dict], as_of_month: int,
                                     by: object) -> None:
    """With realisasi ≤ pagu on every item, serapan is in [0, 1] (or NaN when pagu is 0)."""
    f, items = data
    assume(oracle(items, as_of_month))
    out = dm.absorption(f, by=by, as_of=f"2024-{as_of_month:02d}")
    s = out["serapan"]
    assert ((s >= 0) & (s <= 1) | (s.isna() & (out["pagu"] == 0))).all()
    assert (out["sisa"] >= 0).all()


def _canon(out: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return out.sort_values(keys).reset_index(drop=True) if keys else out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=item_histories(), seed=st.integers(0, 2**32 - 1),
       by=st.sampled_from([None, "kode_provinsi", ("kode_wilayah", "jenis_dak"),
                           ("kode_wilayah", "menu", "rincian")]))
def test_independent_of_row_order(data: tuple[pd.DataFrame, dict], seed: int,
                                  by: object) -> None:
    """Shuffling the rows (provenance kept with each row) gives the same result."""
    f, _ = data
    shuffled = f.sample(frac=1, random_state=seed % 2**32)
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    a = _canon(dm.absorption(f, by=by), keys)
    b = _canon(dm.absorption(shuffled, by=by), keys)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_independent_of_file_split(data: st.DataObject) -> None:
    """Splitting the rows over several files (own row numbers per file) changes nothing."""
    f, _ = data.draw(item_histories())
    files = data.draw(st.lists(st.sampled_from(["jan.csv", "feb.xlsx", "z.csv"]),
                               min_size=len(f), max_size=len(f)))
    split = f.assign(sumber_file=files)
    split["sumber_baris"] = split.groupby("sumber_file").cumcount() + 2
    pd.testing.assert_frame_equal(dm.absorption(f), dm.absorption(split))


# ================================================================ item and month state
def test_item_months_carries_reports_forward() -> None:
    """An item reporting in March and June counts with March's figures in April and May."""
    f = frame([{"menu": "A", "pagu": 100, "realisasi": 10, "bulan": 3},
               {"menu": "A", "pagu": 100, "realisasi": 40, "bulan": 6}])
    im = item_months(f).set_index("bulan")
    assert list(im.index) == list(range(3, 13))  # nothing before the first report
    assert im.loc[[3, 4, 5], "realisasi"].tolist() == [10, 10, 10]
    assert im.loc[[6, 9, 12], "realisasi"].tolist() == [40, 40, 40]
    assert im["dilaporkan"].tolist() == [m in (3, 6) for m in range(3, 13)]
    assert set(im["status"]) == {"nonfisik"}


def test_month_panel_lost_fisik_pagu_after_deadline() -> None:
    """A fisik item with no contract turns 'hilang' from the month containing the deadline."""
    base = {"kode": "32.05", "jenis": FI, "pagu": 100, "realisasi": 0}
    f = frame([{**base, "menu": "K", "bulan": m} for m in (6, 7, 8)])
    f["tanggal_kontrak"] = pd.NaT
    deadlines = {2024: pd.Timestamp(2024, 7, 22)}
    panel = month_panel(f, deadlines=deadlines).set_index("bulan")
    assert panel.loc[6, "hilang"] == 0 and panel.loc[6, "tanpa_kontrak"] == 100
    assert panel.loc[7, "hilang"] == 100 and panel.loc[8, "hilang"] == 100
    assert panel.loc[7, "tanpa_kontrak"] == 0
    late = month_panel(f, deadlines={2024: pd.Timestamp(2024, 8, 5)}).set_index("bulan")
    assert late.loc[7, "hilang"] == 0 and late.loc[8, "hilang"] == 100


# The plain pandas formulation of item_months (its first implementation), kept as the oracle
# for the array version.
def _item_months_plain(frame: pd.DataFrame, *,
                       deadlines: dict[int, pd.Timestamp] | None = None) -> pd.DataFrame:
    """item_months as it was first written: sort, merge onto the item x month grid,
    groupby-ffill (a pandas operation per step). The array version must give exactly this."""
    f = frame[frame[C.PERIODE].notna() & frame[C.TAHUN].notna()].reset_index(drop=True)
    cols = ["_item", "tahun", C.KODE_WILAYAH, C.JENIS_DAK, "bulan", C.PAGU, C.REALISASI,
            "kontrak", "status", "dilaporkan"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    f["_item"] = item_keys(f).to_numpy()
    f["bulan"] = pd.to_datetime(f[C.PERIODE]).dt.month
    f = f.sort_values(["_item", "bulan"], kind="stable").drop_duplicates(["_item", "bulan"],
                                                                         keep="last")
    # The per-report state is shared with item_months (it did not change); what this oracle
    # checks is the sorting, de-duplication, carrying forward and the deadline.
    pagu, real, kontrak, status, tgl = _report_state(f)
    state = pd.DataFrame({
        "_item": f["_item"].to_numpy(), "bulan": f["bulan"].to_numpy(),
        C.PAGU: pagu, C.REALISASI: real, "kontrak": kontrak,
        "status": status, "dilaporkan": True, "_tgl": tgl,
    })
    items = f[["_item", C.TAHUN, C.KODE_WILAYAH, C.JENIS_DAK]].drop_duplicates("_item")
    items = items.rename(columns={C.TAHUN: "tahun"})
    items["tahun"] = items["tahun"].astype(int)
    grid = items.loc[items.index.repeat(12)].reset_index(drop=True)
    grid["bulan"] = np.tile(np.arange(1, 13), len(items))
    full = grid.merge(state, on=["_item", "bulan"], how="left")
    full["dilaporkan"] = full["dilaporkan"].astype("boolean").fillna(False).astype(bool)
    carry = [C.PAGU, C.REALISASI, "kontrak", "status", "_tgl"]
    full[carry] = full.groupby("_item")[carry].ffill()
    full = full[full[C.PAGU].notna()].reset_index(drop=True)
    deadlines = deadlines or {}
    # Each distinct year once (a per-row lambda costs seconds on a million rows).
    years = full["tahun"].astype(int)
    dl = years.map({int(y): deadlines.get(int(y), pd.Timestamp(int(y), 7, 21))
                    for y in years.unique()})
    m_end = pd.to_datetime(pd.DataFrame({"year": full["tahun"], "month": full["bulan"],
                                         "day": 1})) + pd.offsets.MonthEnd(0)
    passed = m_end >= pd.to_datetime(dl)
    # No contract by the deadline: lost — including a contract signed after the deadline.
    lost = passed & (full["status"].isin(["tanpa-kontrak", "proses"])
                     | ((full["status"] == "kontrak") & (full["_tgl"] > pd.to_datetime(dl))))
    full.loc[lost, "status"] = "hilang"
    return full[cols]


_STATUS_TEXT = st.sampled_from([None, "Belum proses", "Proses tender", "Selesai", "lelang"])


@st.composite
def _item_reports(draw: st.DrawFn) -> pd.DataFrame:
    """Reports of a few items over one or two years: months missing, some reported twice,
    fisik items with or without contract dates, numbers, methods and procurement status."""
    rows = []
    for i in range(draw(st.integers(1, 6))):
        jenis = draw(st.sampled_from([NF, FI]))
        year = draw(st.sampled_from([2023, 2024]))
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=6))
        for m in months:
            rows.append({
                "tahun": year, "periode": month_end(year, m), "kode_provinsi": "32",
                "kode_wilayah": draw(st.sampled_from(["32.05", "32.79"])) if i == 0 else
                ["32.05", "32.79", "32.01"][i % 3],
                "nama_wilayah": None, "menu": f"Menu {i % 3}", "rincian": f"R{i}",
                "pagu": float(draw(st.integers(0, 1000))),
                "realisasi": float(draw(st.integers(0, 1000))), "jenis_dak": jenis,
                "tanggal_kontrak": draw(st.one_of(st.none(), st.dates(
                    dt.date(year, 1, 1), dt.date(year, 12, 31)).map(pd.Timestamp))),
                "nomor_kontrak": draw(st.sampled_from([None, "K-1"])),
                "nilai_kontrak": draw(st.sampled_from([np.nan, 0.0, 500.0, 2000.0])),
                "status_pengadaan": draw(_STATUS_TEXT),
                "metode_pengadaan": draw(st.sampled_from([None, "Swakelola", "Kontraktual"])),
            })
    f = pd.DataFrame(rows)
    f["tahun"] = f["tahun"].astype("Int64")
    f["tanggal_kontrak"] = pd.to_datetime(f["tanggal_kontrak"])
    return f.sample(frac=1, random_state=draw(st.integers(0, 100))).reset_index(drop=True)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_item_reports(), st.booleans())
def test_item_months_equals_the_plain_pandas_formulation(f: pd.DataFrame, nonfisik_only: bool
                                                         ) -> None:
    """Sorting, deduplicating and carrying forward with arrays gives exactly the frame the
    merge + groupby-ffill formulation gives (columns, dtypes, order, statuses, lost pagu)."""
    if nonfisik_only:
        f = f[f["jenis_dak"] == NF][["tahun", "periode", "kode_provinsi", "kode_wilayah",
                                     "nama_wilayah", "menu", "rincian", "pagu", "realisasi",
                                     "jenis_dak"]]
    deadlines = {2024: pd.Timestamp(2024, 7, 22)}
    got = item_months(f, deadlines=deadlines)
    want = _item_months_plain(f, deadlines=deadlines)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                  check_dtype=False)
    assert got["status"].tolist() == want["status"].tolist()
