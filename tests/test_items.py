"""The one item state (``dak_monitor._items``): item keys, previous reports, contracts,
the item x month grid and the item state as of a period.

Oracles are straightforward pandas formulations or hand-worked expectations, never copied
from the code under test.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dak_monitor import Rules
from dak_monitor._items import (
    has_contract,
    item_keys,
    item_months,
    item_state,
    previous_period,
    report_state,
)
from dak_monitor._vocab import columns as C
from helpers import FI, NF, frame, month_end


def _reference_previous(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """The plain pandas formulation: first row per (item, period), shifted within the item."""
    key = item_keys(frame)
    base = pd.DataFrame({"k": key, "p": frame["periode"], "v": frame[column], "i": frame.index},
                        index=frame.index)
    first = base.dropna(subset=["p"]).drop_duplicates(["k", "p"]).sort_values(["k", "p"])
    first["prev_v"] = first.groupby("k")["v"].shift()
    first["prev_i"] = first.groupby("k")["i"].shift()
    merged = base[["k", "p"]].merge(first[["k", "p", "prev_v", "prev_i"]], on=["k", "p"],
                                    how="left")
    merged.index = frame.index
    return merged["prev_v"].astype(float), merged["prev_i"].astype(float)


_ROWS = st.lists(st.tuples(st.sampled_from(["32.05", "32.79", None]),
                           st.sampled_from(["Menu A", "menu  a", "Menu B"]),
                           st.one_of(st.none(), st.integers(1, 6)),
                           st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False))),
                 min_size=1, max_size=40)


@given(_ROWS, st.booleans())
def test_previous_period_matches_reference(rows: list[tuple[object, ...]], shuffle: bool) -> None:
    frame = pd.DataFrame(rows, columns=["kode_wilayah", "menu", "bulan", "realisasi"])
    frame.insert(0, "tahun", 2024)
    frame["jenis_dak"] = "nonfisik"
    frame["rincian"] = None
    frame["periode"] = pd.to_datetime(
        {"year": 2024, "month": frame["bulan"].fillna(1), "day": 1}) + pd.offsets.MonthEnd(0)
    frame.loc[frame["bulan"].isna(), "periode"] = pd.NaT
    frame.index = np.arange(len(frame)) * 3 + 7  # labels are not positions
    if shuffle:
        frame = frame.iloc[::-1]
    got_v, got_i = previous_period(frame, "realisasi")
    want_v, want_i = _reference_previous(frame, "realisasi")
    pd.testing.assert_series_equal(got_v, want_v, check_names=False)
    pd.testing.assert_series_equal(got_i, want_i, check_names=False)


@given(_ROWS)
def test_item_keys_are_a_sorted_grouping(rows: list[tuple[object, ...]]) -> None:
    """Same ids as a sorted groupby over the key parts as folded text."""
    frame = pd.DataFrame(rows, columns=["kode_wilayah", "menu", "bulan", "realisasi"])
    frame["tahun"] = pd.array([2024, None] * (len(frame) // 2) + [2024] * (len(frame) % 2),
                              dtype="Int64")
    frame["jenis_dak"] = "nonfisik"
    frame["rincian"] = None
    text = pd.DataFrame({
        "t": frame["tahun"].astype(object).where(frame["tahun"].notna(), "").astype(str),
        "k": frame["kode_wilayah"].fillna("").astype(str),
        "j": frame["jenis_dak"].astype(str),
        "m": frame["menu"].map(lambda v: " ".join(str(v).casefold().split())),
        "r": "",
    })
    want = text.groupby(list(text.columns), sort=True).ngroup()
    assert item_keys(frame).tolist() == want.tolist()


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
    pagu, real, kontrak, status, tgl = report_state(f)
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
    dl = years.map({int(y): deadlines.get(int(y), pd.Timestamp(Rules().contract_deadline(int(y))))
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



# ======================================================================= contracts and state
@pytest.mark.parametrize(("tanggal", "nomor", "nilai", "by_period", "expected"), [
    ("2024-05-02", None, np.nan, True, True),    # dated before the report's month end
    ("2024-06-30", None, np.nan, True, True),    # dated on the month end
    ("2024-07-01", None, np.nan, True, False),   # dated after the report: not yet
    ("2024-07-01", None, np.nan, False, True),   # ... unless the period is not asked about
    (None, "SPK-7", np.nan, True, True),         # no date: a number is evidence
    (None, None, 5e6, True, True),               # no date: a positive value is evidence
    (None, None, 0.0, True, False),              # a zero value is not
    (None, None, -1.0, True, False),             # nor a negative one
    (None, None, np.nan, True, False),
])
def test_has_contract_is_one_definition(tanggal: str | None, nomor: str | None, nilai: float,
                                        by_period: bool, expected: bool) -> None:
    """A contract counts by its date (up to the report's month end), else by number or value."""
    f = pd.DataFrame({"periode": [pd.Timestamp("2024-06-30")],
                      "tanggal_kontrak": [pd.Timestamp(tanggal) if tanggal else pd.NaT],
                      "nomor_kontrak": [nomor], "nilai_kontrak": [nilai]})
    assert has_contract(f, by_period=by_period).tolist() == [expected]


def _fisik(rows: list[dict]) -> pd.DataFrame:
    base = {"tahun": 2024, "kode_wilayah": "32.05", "jenis_dak": FI, "menu": "Sarana",
            "pagu": 100.0, "realisasi": 0.0, "metode_pengadaan": "e-Purchasing",
            "tanggal_kontrak": pd.NaT, "nomor_kontrak": None, "sumber_baris": 0}
    out = pd.DataFrame([{**base, **r} for r in rows])
    out["periode"] = [month_end(2024, m) for m in out.pop("bulan")]
    out["tanggal_kontrak"] = pd.to_datetime(out["tanggal_kontrak"])
    return out


def test_item_state_as_of_a_period() -> None:
    """Latest report, first reported contract date and the procurement status, per item."""
    f = _fisik([
        # Bed: contract dated 2 May first reported in May; June's report drops the date
        {"rincian": "Bed", "bulan": 5, "tanggal_kontrak": "2024-05-02", "realisasi": 10.0},
        {"rincian": "Bed", "bulan": 6, "realisasi": 40.0},
        # Kit: never contracted
        {"rincian": "Kit", "bulan": 5}, {"rincian": "Kit", "bulan": 6},
        # Van: contract dated 1 August (after the 2024 deadline of 22 July), reported in August
        {"rincian": "Van", "bulan": 6}, {"rincian": "Van", "bulan": 8,
                                         "tanggal_kontrak": "2024-08-01"},
        # Swa: swakelola needs no contract
        {"rincian": "Swa", "bulan": 6, "metode_pengadaan": "Swakelola"},
    ])
    june = item_state(f, as_of=month_end(2024, 6)).set_index("rincian")
    assert june.loc["Bed", "realisasi"] == 40.0  # the latest report
    assert june.loc["Bed", "tanggal_kontrak_pertama"] == pd.Timestamp("2024-05-02")
    assert june.loc["Bed", "periode_kontrak_pertama"] == month_end(2024, 5)
    assert june["status"].to_dict() == {"Bed": "tanpa-kontrak", "Kit": "tanpa-kontrak",
                                        "Van": "tanpa-kontrak", "Swa": "swakelola"}
    assert june["swakelola"].to_dict() == {"Bed": False, "Kit": False, "Van": False,
                                           "Swa": True}
    # Bed's June report shows no contract of its own; its first contract date is kept apart.
    assert not june.loc["Bed", "punya_kontrak"]
    august = item_state(f, as_of=month_end(2024, 8)).set_index("rincian")
    assert august.loc["Kit", "status"] == "hilang"  # deadline 22 July passed, no contract
    assert august.loc["Van", "status"] == "hilang"  # contracted, but after the deadline
    assert august.loc["Swa", "status"] == "swakelola"
    assert (august["batas_kontrak"] == pd.Timestamp("2024-07-22")).all()
    later = Rules(contract_deadlines={2024: dt.date(2024, 8, 15)})
    assert item_state(f, as_of=month_end(2024, 8), rules=later).set_index(
        "rincian").loc["Van", "status"] == "kontrak"


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "a ", "B"]), st.integers(1, 8),
                          st.one_of(st.none(), st.integers(1, 8)), st.integers(0, 9)),
                min_size=1, max_size=25))
def test_item_state_is_the_latest_report_and_first_dated_one(rows: list[tuple]) -> None:
    """item_state = the plain groupby: last report per item up to as-of; first dated report."""
    f = _fisik([{"rincian": r, "bulan": m, "realisasi": float(v), "sumber_baris": i,
                 "tanggal_kontrak": None if d is None else f"2024-{d:02d}-15"}
                for i, (r, m, d, v) in enumerate(rows)])
    as_of = month_end(2024, 6)
    got = item_state(f, as_of=as_of)
    upto = f[f["periode"] <= as_of].assign(_k=lambda d: d["rincian"].str.strip().str.casefold())
    upto = upto.sort_values(["periode", "sumber_baris"], kind="stable")
    want_last = upto.groupby("_k")["realisasi"].last()
    want_first = upto.dropna(subset=["tanggal_kontrak"]).groupby("_k")["tanggal_kontrak"].first()
    keyed = got.assign(_k=got["rincian"].str.strip().str.casefold()).set_index("_k")
    assert sorted(keyed.index) == sorted(want_last.index)
    assert keyed["realisasi"].sort_index().tolist() == want_last.sort_index().tolist()
    assert keyed["tanggal_kontrak_pertama"].dropna().sort_index().to_dict() == \
        want_first.sort_index().to_dict()


def test_a_recap_row_is_never_counted_lost() -> None:
    """A DAK fisik recap (one row per OPD, as the Kartu Kendali prints it) says nothing of
    contracts: after the contract deadline its pagu is not "hilang" in either item view."""
    from dak_monitor._items import item_months, item_state

    f = pd.DataFrame({"tahun": [2019], "periode": pd.to_datetime(["2019-09-30"]),
                      "kode_wilayah": ["16.06"], "jenis_dak": ["fisik"],
                      "menu": ["(rekap OPD)"], "rincian": ["(rekap OPD)"],
                      "pagu": [1_300_000_000.0], "realisasi": [712_500_000.0],
                      "sumber_baris": [15]})
    assert item_state(f, as_of=pd.Timestamp("2019-09-30"))["status"].tolist() != ["hilang"]
    assert "hilang" not in set(item_months(f)["status"])
    item = f.assign(menu="Balai Penyuluhan KB", rincian="Kec. Cibatu")  # an item: it is lost
    assert item_state(item, as_of=pd.Timestamp("2019-09-30"))["status"].tolist() == ["hilang"]
    assert "hilang" in set(item_months(item)["status"])
