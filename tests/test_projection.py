"""Tests of project_absorption, backtest_projection and flag_threshold_risk.

Expected values come from the inputs: hand-built frames whose true year-end is known, sums of
the generated December rows, the documented rules (threshold, status cut-offs, contract
deadline) — never from the output of the code under test. Projections with history cost about
half a second each, so they are computed once per (method, month) and shared.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor._inputs import as_history
from dak_monitor._projection import methods as registry
from dak_monitor._projection.shared import DEFAULT_PROFILE, month_state
from dak_monitor.datasets import make_export, write_export

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
NF, FI = "nonfisik", "fisik"
KINDS = (NF, FI)
METHODS = ("run-rate", "profile", "regression", "fisik-items")
ALL_METHODS = (*METHODS, "auto")
# typical, early, late, never-contracts, stalled, early (region_archetypes(seed=0))
REGIONS = ["32.01", "32.02", "32.11", "32.14", "32.16", "32.73"]
HIST_YEARS = (2021, 2022, 2023)
KEY = ["kode_wilayah", "jenis_dak"]
EPS = 1e-9


def month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)


def both_kinds(year: int, months: range | list[int] = range(1, 13)) -> pd.DataFrame:
    return pd.concat([make_export(k, year=year, months=months, regions=REGIONS, seed=0)
                      for k in KINDS], ignore_index=True)


def upto(frame: pd.DataFrame, month: int) -> pd.DataFrame:
    return frame[frame["periode"].dt.month <= month].reset_index(drop=True)


def indexed(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index(KEY).sort_index()


def expected_status(p: np.ndarray, rules: dm.Rules) -> np.ndarray:
    """Status from the documented cut-offs: will-miss at p ≥ 0.8, at-risk at p ≥ 0.3."""
    return np.where(p >= rules.will_miss_probability, "will-miss",
                    np.where(p >= rules.at_risk_probability, "at-risk", "on-track"))


# =================================================================================== fixtures
@pytest.fixture(scope="module")
def hist() -> pd.DataFrame:
    """Three complete years (2021–2023) of both kinds for six regions."""
    return pd.concat([both_kinds(y) for y in HIST_YEARS], ignore_index=True)


@pytest.fixture(scope="module")
def cur_full() -> pd.DataFrame:
    """All twelve months of 2024 for the same regions (sliced to a cut-off by tests)."""
    return both_kinds(2024)


class _Cache:
    """Projections with the module's history, computed once per (method, month)."""

    def __init__(self, hist: pd.DataFrame, cur: pd.DataFrame) -> None:
        self.hist, self.cur, self._done = hist, cur, {}

    def __call__(self, method: str, month: int) -> dm.Projection:
        if (method, month) not in self._done:
            self._done[(method, month)] = dm.project_absorption(
                upto(self.cur, month), history=self.hist, method=method)
        return self._done[(method, month)]


@pytest.fixture(scope="module")
def projected(hist: pd.DataFrame, cur_full: pd.DataFrame) -> _Cache:
    return _Cache(hist, cur_full)


# ======================================================================= bounds of proyeksi
CUTS = (3, 8)


def _check_within_todate_and_cap(t: pd.DataFrame) -> None:
    assert t["proyeksi"].notna().all()
    assert (t["proyeksi"] >= t["serapan"] - EPS).all()
    assert (t["proyeksi"] <= 1 + EPS).all()
    assert (t["batas_bawah"] >= t["serapan"] - EPS).all()
    assert (t["batas_atas"] <= 1 + EPS).all()
    assert (t["batas_bawah"] <= t["batas_atas"] + EPS).all()
    assert t["p_di_bawah_ambang"].between(0, 1).all()


@pytest.mark.parametrize("month", CUTS)
@pytest.mark.parametrize("method", ALL_METHODS)
def test_projection_between_todate_and_one(projected: _Cache, method: str, month: int) -> None:
    """With history: serapan ≤ batas_bawah ≤ batas_atas ≤ 1 and serapan ≤ proyeksi ≤ 1."""
    _check_within_todate_and_cap(projected(method, month).table)


@pytest.mark.parametrize(("method", "month"), [
    ("run-rate", 3), ("run-rate", 8),
    *[(m, c) for m in ("profile", "regression", "fisik-items", "auto") for c in CUTS]])
def test_projection_inside_its_interval(projected: _Cache, method: str, month: int) -> None:
    """With history: batas_bawah ≤ proyeksi ≤ batas_atas for every OPD."""
    t = projected(method, month).table
    outside = t[(t["proyeksi"] < t["batas_bawah"] - EPS) | (t["proyeksi"] > t["batas_atas"] + EPS)]
    assert outside.empty, outside[[*KEY, "serapan", "proyeksi", "batas_bawah", "batas_atas"]]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(ALL_METHODS), month=st.integers(1, 11))
def test_projection_bounds_without_history(cur_full: pd.DataFrame, method: str,
                                           month: int) -> None:
    """No history: the same bounds hold, and the point lies inside the (default) interval."""
    t = dm.project_absorption(upto(cur_full, month), method=method).table
    _check_within_todate_and_cap(t)
    assert (t["proyeksi"] >= t["batas_bawah"] - EPS).all()
    assert (t["proyeksi"] <= t["batas_atas"] + EPS).all()


# ============================================================================ row order
def _same_projection(a: pd.DataFrame, b: pd.DataFrame) -> None:
    cols = ["serapan", "proyeksi", "batas_bawah", "batas_atas", "p_di_bawah_ambang",
            "pagu", "realisasi", "pagu_hilang"]
    a, b = indexed(a), indexed(b)
    pd.testing.assert_frame_equal(a[cols], b[cols], check_exact=False, rtol=1e-9, atol=1e-12)
    assert (a["status"] == b["status"]).all()
    assert (a["metode"] == b["metode"]).all()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), method=st.sampled_from(ALL_METHODS),
       month=st.integers(1, 11))
def test_independent_of_row_order_without_history(cur_full: pd.DataFrame, seed: int,
                                                  method: str, month: int) -> None:
    """Shuffling the current rows does not change any projection."""
    cur = upto(cur_full, month)
    a = dm.project_absorption(cur, method=method).table
    b = dm.project_absorption(cur.sample(frac=1, random_state=seed), method=method).table
    _same_projection(a, b)


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 2))  # seed + 1 below must stay a valid seed
def test_independent_of_row_order_with_history(projected: _Cache, seed: int) -> None:
    """Shuffling the current rows and the history rows does not change the auto projection."""
    cur = upto(projected.cur, 8).sample(frac=1, random_state=seed)
    hist = projected.hist.sample(frac=1, random_state=seed + 1)
    b = dm.project_absorption(cur, history=hist).table
    _same_projection(projected("auto", 8).table, b)


# ====================================================================== a finished year
@pytest.mark.parametrize("method", ALL_METHODS)
def test_finished_year_projects_its_actual_absorption(projected: _Cache, method: str) -> None:
    """As of December the projection is the year's actual absorption, with a zero-width interval."""
    cur = projected.cur
    dec = cur[cur["periode"] == month_end(2024, 12)].groupby(KEY)[["pagu", "realisasi"]].sum()
    actual = dec["realisasi"] / dec["pagu"]
    proj = projected(method, 12)
    t = indexed(proj.table)
    assert set(t.index) == set(actual.index)
    for col in ("serapan", "proyeksi", "batas_bawah", "batas_atas"):
        np.testing.assert_allclose(t[col], actual.reindex(t.index), rtol=1e-12)
    below = actual.reindex(t.index) < proj.threshold
    assert (t["p_di_bawah_ambang"] == below.astype(float)).all()
    assert (t["status"] == np.where(below, "will-miss", "on-track")).all()


# ========================================================================= monotonicity
def _bump(cur: pd.DataFrame, month: int, region: str, kind: str, which: int,
          frac: float) -> pd.DataFrame | None:
    """Raise one item's realisasi in the cut-off month by frac of what is left of its pagu."""
    rows = cur.index[(cur["periode"] == month_end(2024, month)) & (cur["kode_wilayah"] == region)
                     & (cur["jenis_dak"] == kind) & (cur["realisasi"] < cur["pagu"])]
    if rows.empty:
        return None
    i = rows[which % len(rows)]
    out = cur.copy()
    out.loc[i, "realisasi"] += max(1.0, np.floor(frac * (out.loc[i, "pagu"] - out.loc[i,
                                                                                    "realisasi"])))
    out.loc[i, "realisasi"] = min(out.loc[i, "realisasi"], out.loc[i, "pagu"])
    return out


def _assert_not_lower(before: pd.DataFrame, after: pd.DataFrame, region: str, kind: str) -> None:
    b, a = indexed(before), indexed(after)
    assert a.loc[(region, kind), "serapan"] > b.loc[(region, kind), "serapan"]
    assert a.loc[(region, kind), "proyeksi"] >= b.loc[(region, kind), "proyeksi"] - 1e-12


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(METHODS), month=st.integers(1, 11),
       region=st.sampled_from(REGIONS), kind=st.sampled_from(KINDS),
       which=st.integers(0, 100), frac=st.floats(0.0, 1.0))
def test_monotone_in_realisasi_without_history(cur_full: pd.DataFrame, method: str, month: int,
                                               region: str, kind: str, which: int,
                                               frac: float) -> None:
    """No history: raising one OPD's realisasi in the cut-off month never lowers its projection."""
    cur = upto(cur_full, month)
    bumped = _bump(cur, month, region, kind, which, frac)
    if bumped is None:
        return
    before = dm.project_absorption(cur, method=method).table
    after = dm.project_absorption(bumped, method=method).table
    _assert_not_lower(before, after, region, kind)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(METHODS), month=st.sampled_from(CUTS),
       region=st.sampled_from(REGIONS), kind=st.sampled_from(KINDS),
       which=st.integers(0, 100), frac=st.floats(0.0, 1.0))
def test_monotone_in_realisasi_with_history(projected: _Cache, method: str, month: int,
                                            region: str, kind: str, which: int,
                                            frac: float) -> None:
    """With history (months 3 and 8): raising one OPD's realisasi never lowers its projection."""
    cur = upto(projected.cur, month)
    bumped = _bump(cur, month, region, kind, which, frac)
    if bumped is None:
        return
    after = dm.project_absorption(bumped, history=projected.hist, method=method).table
    _assert_not_lower(projected(method, month).table, after, region, kind)


def test_regression_monotone_when_an_idle_item_starts_spending(hist: pd.DataFrame) -> None:
    """February: one Rp 1,000 payment on a never-contracts OPD's idle BOKB item does not lower it."""
    cur = make_export(NF, year=2024, months=[1, 2], regions=REGIONS, seed=0)
    feb = cur[(cur["periode"] == month_end(2024, 2)) & (cur["kode_wilayah"] == "32.14")
              & (cur["realisasi"] == 0)]
    assert len(feb)  # the generator's never-contracts OPD has idle BOKB items in February
    bumped = cur.copy()
    bumped.loc[feb.index[0], "realisasi"] = 1000.0
    before = dm.project_absorption(cur, history=hist, method="regression").table
    after = dm.project_absorption(bumped, history=hist, method="regression").table
    _assert_not_lower(before, after, "32.14", NF)


# ================================================================ threshold and status
def test_threshold_changes_status_and_p_not_projection(projected: _Cache) -> None:
    """threshold= moves p_di_bawah_ambang (monotonically) and status, never proyeksi or bounds."""
    cur = upto(projected.cur, 8)
    base = projected("auto", 8)
    low = dm.project_absorption(cur, history=projected.hist, threshold=0.80)
    high = dm.project_absorption(cur, history=projected.hist, threshold=0.99)
    assert (base.threshold, low.threshold, high.threshold) == (0.93, 0.80, 0.99)
    t0, tl, th = indexed(base.table), indexed(low.table), indexed(high.table)
    for col in ("proyeksi", "batas_bawah", "batas_atas", "serapan"):
        np.testing.assert_array_equal(tl[col], t0[col])
        np.testing.assert_array_equal(th[col], t0[col])
    assert (tl["p_di_bawah_ambang"] <= t0["p_di_bawah_ambang"] + EPS).all()
    assert (t0["p_di_bawah_ambang"] <= th["p_di_bawah_ambang"] + EPS).all()
    assert (tl["p_di_bawah_ambang"] < th["p_di_bawah_ambang"]).any()
    assert (tl["status"] != th["status"]).any()


@pytest.mark.parametrize(("method", "month"), [("auto", 8), ("auto", 3), ("regression", 3),
                                               ("profile", 8), ("auto", 12)])
def test_status_follows_probability_and_rules(projected: _Cache, method: str, month: int) -> None:
    """status is will-miss at p ≥ 0.8, at-risk at p ≥ 0.3, else on-track (Rules defaults)."""
    t = projected(method, month).table
    assert set(t["status"]) <= {"on-track", "at-risk", "will-miss"}
    np.testing.assert_array_equal(t["status"], expected_status(t["p_di_bawah_ambang"].to_numpy(),
                                                               dm.Rules()))


@settings(max_examples=25, deadline=None)
@given(at_risk=st.floats(0.05, 0.95), gap=st.floats(0.0, 0.5), month=st.integers(1, 11))
def test_status_follows_custom_rules(cur_full: pd.DataFrame, at_risk: float, gap: float,
                                     month: int) -> None:
    """With custom Rules cut-offs the status follows them exactly."""
    rules = dm.Rules(at_risk_probability=at_risk, will_miss_probability=min(1.0, at_risk + gap))
    proj = dm.project_absorption(upto(cur_full, month), rules=rules)
    t = proj.table
    np.testing.assert_array_equal(t["status"],
                                  expected_status(t["p_di_bawah_ambang"].to_numpy(), rules))


@pytest.mark.parametrize("with_history", [True, False])
def test_flag_threshold_risk_returns_exactly_the_risky_rows(projected: _Cache,
                                                            with_history: bool) -> None:
    """One flag per at-risk / will-miss row, coded at-risk-threshold / will-miss-threshold."""
    proj = (projected("auto", 8) if with_history
            else dm.project_absorption(upto(projected.cur, 6)))
    t = proj.table
    flags = dm.flag_threshold_risk(proj)
    risky = t[t["status"].isin(["at-risk", "will-miss"])]
    assert len(risky) and len(risky) < len(t)  # the check below is not vacuous
    want = {(r.kode_wilayah, r.jenis_dak): f"{r.status}-threshold" for r in risky.itertuples()}
    got = {(r.kode_wilayah, r.jenis_dak): r.code for r in flags.itertuples()}
    assert len(flags) == len(want)
    assert got == want
    merged = flags.merge(t, on=KEY, suffixes=("", "_t"))
    np.testing.assert_array_equal(merged["proyeksi"], merged["proyeksi_t"])
    assert set(flags["severity"]) <= {"error", "warning"}


def test_flag_threshold_risk_empty_when_all_on_track(cur_full: pd.DataFrame) -> None:
    """A finished year whose every OPD ended above the threshold raises no flag."""
    nf = cur_full[cur_full["jenis_dak"] == NF]
    dec = nf[nf["periode"].dt.month == 12].groupby("kode_wilayah")[["pagu", "realisasi"]].sum()
    lowest = float((dec["realisasi"] / dec["pagu"]).min())
    assert lowest > 0.3
    proj = dm.project_absorption(nf, threshold=0.9 * lowest)
    assert (proj.table["status"] == "on-track").all()
    assert dm.flag_threshold_risk(proj).empty


# ==================================================================== history and calibration
def test_no_history_uses_default_profile(cur_full: pd.DataFrame) -> None:
    """Without history, auto uses the profile, the notes say so and nothing is calibrated."""
    proj = dm.project_absorption(upto(cur_full, 6))
    t = proj.table
    assert (t["metode"] == "profile").all()
    assert not t["terkalibrasi"].any()
    assert any("no history" in n and "typical profile" in n for n in proj.notes)
    assert any(n.startswith("tanpa riwayat") for n in proj.notes_in("id"))
    assert len(proj.notes_in("id")) == len(proj.notes)


@pytest.mark.parametrize("years", [(2022, 2023), HIST_YEARS])
def test_two_or_more_full_years_calibrate(projected: _Cache, years: tuple[int, ...]) -> None:
    """With two or more complete years of history every interval is calibrated."""
    if years == HIST_YEARS:
        proj = projected("auto", 8)
    else:
        h = projected.hist[projected.hist["tahun"].isin(years)]
        proj = dm.project_absorption(upto(projected.cur, 8), history=h)
    assert proj.table["terkalibrasi"].all()
    assert not any("no history" in n for n in proj.notes)


def test_one_full_year_is_not_calibrated(projected: _Cache) -> None:
    """One complete year (plus one without December) is not enough to calibrate."""
    h = projected.hist
    h = h[(h["tahun"] == 2023) | ((h["tahun"] == 2022) & (h["periode"].dt.month < 12))]
    proj = dm.project_absorption(upto(projected.cur, 8), history=h)
    assert not proj.table["terkalibrasi"].any()
    assert any("1 complete year" in n for n in proj.notes)


def test_bad_arguments(cur_full: pd.DataFrame) -> None:
    """Unknown method or interval outside (0, 1) are ConfigErrors; an empty year a ProjectionError."""
    cur = upto(cur_full, 6)
    with pytest.raises(dm.ConfigError):
        dm.project_absorption(cur, method="crystal-ball")
    with pytest.raises(dm.ConfigError):
        dm.project_absorption(cur, interval=1.5)
    with pytest.raises(dm.ProjectionError):
        dm.project_absorption(cur, as_of="2025-03")


# ======================================================= synthetic history, known curve
# Every region follows exactly the same cumulative shape every year: realisasi at the end of
# month m = Y_region × W[kind][m] × pagu. Both shapes are back-loaded (fisik strongly).
W = {NF: np.array([0.01, 0.02, 0.04, 0.06, 0.09, 0.13, 0.18, 0.25, 0.35, 0.50, 0.70, 1.0]),
     FI: np.array([0.0, 0.0, 0.02, 0.03, 0.05, 0.10, 0.30, 0.40, 0.50, 0.62, 0.75, 1.0])}
Y = {"32.01": 0.70, "32.02": 0.78, "32.03": 0.85, "32.04": 0.90, "32.05": 0.95, "32.06": 0.99}
PAGU = {k: 1e9 * (i + 1) for i, k in enumerate(Y)}
# DAK fisik items are contracted in January at their full pagu, so no pagu is ever lost and
# the item-level estimate's pooled ratio (year-end spending / contract value) is the
# pagu-weighted mean year-end.
Y_BAR = sum(Y[k] * PAGU[k] for k in Y) / sum(PAGU.values())


def shaped(years: range | list[int], months: range = range(1, 13)) -> pd.DataFrame:
    rows = []
    for year in years:
        for kind, w in W.items():
            for kode, ye in Y.items():
                for m in months:
                    r = {"tahun": year, "periode": month_end(year, m), "kode_provinsi": "32",
                         "kode_wilayah": kode, "nama_wilayah": None, "menu": "M",
                         "rincian": "R" if kind == FI else None, "pagu": PAGU[kode],
                         "realisasi": ye * w[m - 1] * PAGU[kode], "jenis_dak": kind}
                    if kind == FI:
                        r |= {"metode_pengadaan": "e-Purchasing", "status_pengadaan": "Kontrak",
                              "nomor_kontrak": f"K/{kode}/{year}",
                              "tanggal_kontrak": pd.Timestamp(year, 1, 15),
                              "nilai_kontrak": PAGU[kode]}
                    rows.append(r)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def shaped_backtest() -> dm.Backtest:
    """Leave-one-year-out backtest on three identical years (each year fitted on the others)."""
    return dm.backtest_projection(shaped(range(2021, 2024)), methods=METHODS,
                                  cutoffs=range(3, 12))


@pytest.fixture(scope="module")
def shaped_projections() -> dict[str, pd.DataFrame]:
    """2024 as of June, projected from 2021–2023 by each method."""
    hist, cur = shaped(range(2021, 2024)), shaped([2024], months=range(1, 7))
    return {m: indexed(dm.project_absorption(cur, history=hist, method=m).table)
            for m in (*METHODS, "auto")}


def test_profile_recovers_year_end_from_march(shaped_backtest: dm.Backtest) -> None:
    """Profile: to-date / share = Y × W[m] / W[m] = Y exactly once the share is ≥ 2 % (March on).

    The learned share is the median of (to date / year end) = W[m] for every region-year, so
    only floating-point error remains: bound 1e-9.
    """
    p = shaped_backtest.predictions
    p = p[p["metode"] == "profile"]
    assert set(p["bulan"]) == set(range(3, 12)) and set(p["jenis_dak"]) == set(KINDS)
    assert len(p) == 2 * 9 * 3 * len(Y)
    np.testing.assert_allclose(p["proyeksi"], p["kode_wilayah"].map(Y), atol=1e-9)


def test_regression_recovers_year_end(shaped_backtest: dm.Backtest) -> None:
    """Regression: exact for BOKB; for DAK fisik no worse (RMS) than the item-level estimate.

    BOKB: the ridge is shrunk toward share × profile estimate + (1 − share) × own past, and both
    are Y exactly, so the prior fits every training point with zero error and zero penalty: it
    is the optimum; bound 1e-9. DAK fisik: the prior blends own past (= Y) with the item-level
    estimate max(Y·W[m], Ȳ); the penalised fit's training squared error cannot exceed the
    prior's, which is at most that of the item-level estimate alone, and the test year is a
    copy of each training year: RMS error ≤ RMS(max(Y·W[m], Ȳ) − Y) (about 11 pp here).
    """
    p = shaped_backtest.predictions
    p = p[p["metode"] == "regression"]
    truth = p["kode_wilayah"].map(Y)
    nf = p["jenis_dak"] == NF
    np.testing.assert_allclose(p.loc[nf, "proyeksi"], truth[nf], atol=1e-9)
    for month, g in p[~nf].groupby("bulan"):
        y = g["kode_wilayah"].map(Y)
        items = np.maximum(y * W[FI][month - 1], Y_BAR)
        bound = np.sqrt(np.mean((items - y) ** 2))
        rms = np.sqrt(np.mean((g["proyeksi"] - y) ** 2))
        assert rms <= bound + 1e-9, (month, rms, bound)


def test_fisik_items_expects_contracts_at_the_learned_ratio(shaped_backtest: dm.Backtest) -> None:
    """fisik-items: contracted items end at the learned year-end/contract ratio Ȳ (or spent so far)."""
    p = shaped_backtest.predictions
    p = p[p["metode"] == "fisik-items"]
    assert set(p["jenis_dak"]) == {FI}  # no item-level estimate for BOKB
    y = p["kode_wilayah"].map(Y)
    w = p["bulan"].map(lambda m: W[FI][m - 1])
    np.testing.assert_allclose(p["proyeksi"], np.maximum(y * w, Y_BAR), atol=1e-9)


def test_run_rate_is_clearly_worse_on_a_back_loaded_shape(shaped_backtest: dm.Backtest) -> None:
    """Run-rate projects Y·W[m]·12/m; for these shapes W[m]·12/m ≤ 0.77, so error ≥ 0.23·0.70.

    Its MAE is above 15 pp at every month from March, while the profile's is ~0.
    """
    p = shaped_backtest.predictions
    p = p[p["metode"] == "run-rate"]
    y = p["kode_wilayah"].map(Y)
    w = np.array([W[k][m - 1] for k, m in zip(p["jenis_dak"], p["bulan"], strict=True)])
    np.testing.assert_allclose(p["proyeksi"], y * w * 12 / p["bulan"], atol=1e-9)
    t = shaped_backtest.table.set_index(["metode", "jenis_dak", "bulan"])["mae_pp"]
    for kind in KINDS:
        for month in range(3, 12):
            assert t[("run-rate", kind, month)] > 15
            assert t[("profile", kind, month)] < 1e-6
            assert t[("run-rate", kind, month)] > 100 * t[("profile", kind, month)]


def test_current_year_projection_on_known_curve(shaped_projections: dict) -> None:
    """2024 as of June: profile and auto recover Y exactly; run-rate gives Y·W[6]·2; all capped."""
    truth = pd.Series({(k, kind): Y[k] for k in Y for kind in KINDS})
    for method in ("profile", "auto"):
        t = shaped_projections[method]
        np.testing.assert_allclose(t["proyeksi"], truth.reindex(t.index), atol=1e-9)
    reg = shaped_projections["regression"].xs(NF, level="jenis_dak")
    np.testing.assert_allclose(reg["proyeksi"], pd.Series(Y).reindex(reg.index), atol=1e-9)
    rr = shaped_projections["run-rate"]
    w6 = np.array([W[kind][5] for _k, kind in rr.index])
    np.testing.assert_allclose(rr["proyeksi"], truth.reindex(rr.index) * w6 * 2, atol=1e-9)
    for t in shaped_projections.values():
        assert t["terkalibrasi"].all()


# =============================================================== DAK fisik: lost pagu
def fisik_frame(late_contract: bool = False) -> pd.DataFrame:
    """One OPD, June and July 2024, four items (pagu 1000 + 2000 + 500 + 500 = 4000).

    A: contracted in March (900), realisasi 300 → 500. B: not procured. C: procurement under
    way, never contracted. D: swakelola, realisasi 100 → 200. With ``late_contract`` B gets a
    contract dated 28 July, after the 22 July 2024 deadline.
    """
    rows = []
    for m in (6, 7):
        rows += [
            {"menu": "A", "pagu": 1000.0, "realisasi": 300.0 if m == 6 else 500.0,
             "metode_pengadaan": "e-Purchasing", "status_pengadaan": "Kontrak",
             "nomor_kontrak": "K1", "tanggal_kontrak": pd.Timestamp(2024, 3, 1),
             "nilai_kontrak": 900.0},
            {"menu": "B", "pagu": 2000.0, "realisasi": 0.0, "metode_pengadaan": "Tender",
             "status_pengadaan": "Belum Proses", "nomor_kontrak": None,
             "tanggal_kontrak": pd.NaT, "nilai_kontrak": np.nan},
            {"menu": "C", "pagu": 500.0, "realisasi": 0.0, "metode_pengadaan": "Tender",
             "status_pengadaan": "Proses Pengadaan", "nomor_kontrak": None,
             "tanggal_kontrak": pd.NaT, "nilai_kontrak": np.nan},
            {"menu": "D", "pagu": 500.0, "realisasi": 100.0 if m == 6 else 200.0,
             "metode_pengadaan": "Swakelola", "status_pengadaan": "Pelaksanaan Swakelola",
             "nomor_kontrak": None, "tanggal_kontrak": pd.NaT, "nilai_kontrak": np.nan},
        ]
        for r in rows[-4:]:
            r["periode"] = month_end(2024, m)
    f = pd.DataFrame(rows).assign(tahun=2024, kode_provinsi="32", kode_wilayah="32.05",
                                  nama_wilayah="Kab. Garut", jenis_dak=FI, rincian=None)
    if late_contract:
        b = (f["menu"] == "B") & (f["periode"] == month_end(2024, 7))
        f.loc[b, ["status_pengadaan", "nomor_kontrak"]] = ["Kontrak", "K2"]
        f.loc[b, "tanggal_kontrak"] = pd.Timestamp(2024, 7, 28)
        f.loc[b, "nilai_kontrak"] = 1800.0
    return f


@pytest.mark.parametrize("method", ALL_METHODS)
def test_lost_pagu_after_deadline(method: str) -> None:
    """July (after 22 July): B and C (2500) are lost, stay in the denominator and cap proyeksi."""
    assert dm.Rules().contract_deadline(2024) == dt.date(2024, 7, 22)
    f = fisik_frame()
    jul = dm.project_absorption(f, method=method, as_of="2024-07").table.iloc[0]
    assert jul["pagu"] == 4000 and jul["pagu_hilang"] == 2500 and jul["pagu_tanpa_kontrak"] == 0
    assert jul["serapan"] == pytest.approx((500 + 200) / 4000)
    cap = 1 - 2500 / 4000
    assert jul["serapan"] - EPS <= jul["proyeksi"] <= cap + EPS
    assert jul["batas_atas"] <= cap + EPS
    jun = dm.project_absorption(f, method=method, as_of="2024-06").table.iloc[0]
    assert jun["pagu_hilang"] == 0 and jun["pagu_tanpa_kontrak"] == 2500
    assert jun["serapan"] == pytest.approx((300 + 100) / 4000)


def test_later_deadline_in_rules_keeps_pagu() -> None:
    """Rules with a 15 August 2024 deadline: nothing is lost in July, the projection may exceed 0.375."""
    rules = dm.Rules.from_mapping({"contract_deadlines": {"2024": "2024-08-15"}})
    t = dm.project_absorption(fisik_frame(), rules=rules, as_of="2024-07").table.iloc[0]
    assert t["pagu_hilang"] == 0 and t["pagu_tanpa_kontrak"] == 2500
    assert t["batas_atas"] > 1 - 2500 / 4000


def test_contract_signed_after_deadline_is_lost() -> None:
    """B's contract of 28 July comes after the 22 July deadline: B's 2000 is still lost."""
    t = dm.project_absorption(fisik_frame(late_contract=True), as_of="2024-07").table.iloc[0]
    assert t["pagu_hilang"] == 2500


@pytest.mark.parametrize("method", ALL_METHODS)
def test_lost_pagu_caps_projection_with_history(projected: _Cache, method: str) -> None:
    """August (generated data): proyeksi and batas_atas ≤ 1 − pagu_hilang / pagu for every OPD."""
    t = projected(method, 8).table
    assert (t.loc[t["jenis_dak"] == FI, "pagu_hilang"] > 0).any()  # never-contracts loses money
    assert (t.loc[t["jenis_dak"] == NF, "pagu_hilang"] == 0).all()
    cap = 1 - t["pagu_hilang"] / t["pagu"]
    assert (t["proyeksi"] <= cap + EPS).all()
    assert (t["batas_atas"] <= cap + EPS).all()


# ====================================================================== data completeness
def test_quarantined_rows_mark_data_incomplete(tmp_path: Path) -> None:
    """An OPD with quarantined rows is data_lengkap False with their count and pagu; others True."""
    f = make_export(NF, year=2024, months=range(1, 7), regions=["32.01", "32.05", "32.79"],
                    seed=0)
    bad = f.index[(f["kode_wilayah"] == "32.05") & (f["periode"] == month_end(2024, 6))][:2]
    f.loc[bad, "realisasi"] = 2 * f.loc[bad, "pagu"]  # realisasi above pagu: an error
    f.loc[bad, "persen_realisasi"] = 200.0
    write_export(f, tmp_path / "bokb.csv", layout="clean")
    report = dm.validate_export(dm.read_export(tmp_path / "bokb.csv"))
    assert len(report.quarantine) == 2
    t = dm.project_absorption(report).table.set_index("kode_wilayah")
    assert not t.loc["32.05", "data_lengkap"]
    assert t.loc["32.05", "baris_karantina"] == 2
    assert t.loc["32.05", "pagu_karantina"] == pytest.approx(f.loc[bad, "pagu"].sum())
    for k in ("32.01", "32.79"):
        assert t.loc[k, "data_lengkap"] and t.loc[k, "baris_karantina"] == 0


# ================================================================================ backtest
BT_CUTS = (3, 6, 9)


@pytest.fixture(scope="module")
def backtest(hist: pd.DataFrame) -> dm.Backtest:
    return dm.backtest_projection(hist, cutoffs=BT_CUTS)


def test_backtest_table_shape(backtest: dm.Backtest) -> None:
    """One row per method × kind × cut-off (fisik-items for DAK fisik only); n = regions × years."""
    t = backtest.table
    want = {(m, k, c) for m in ALL_METHODS for k in KINDS for c in BT_CUTS
            if not (m == "fisik-items" and k == NF)}
    got = set(zip(t["metode"], t["jenis_dak"], t["bulan"], strict=True))
    assert got == want and len(t) == len(want)
    assert (t["n"] == len(REGIONS) * len(HIST_YEARS)).all()


def test_backtest_scores_are_consistent(backtest: dm.Backtest, hist: pd.DataFrame) -> None:
    """coverage, precision, recall in [0, 1]; n_below and MAE agree with the raw data."""
    t = backtest.table
    assert t["coverage"].between(0, 1).all()
    for col in ("precision", "recall"):
        assert (t[col].isna() | t[col].between(0, 1)).all()
    assert (t["mae_pp"] >= t["bias_pp"].abs() - 1e-9).all()
    dec = hist[hist["periode"].dt.month == 12].groupby(["tahun", *KEY])[["pagu", "realisasi"]].sum()
    below = (dec["realisasi"] / dec["pagu"] < 0.93).groupby(level="jenis_dak").sum()
    for kind in KINDS:
        assert (t.loc[t["jenis_dak"] == kind, "n_below"] == below[kind]).all()
    p = backtest.predictions
    mae = 100 * (p["proyeksi"] - p["akhir"]).abs().groupby(
        [p["metode"], p["jenis_dak"], p["bulan"]]).mean()
    s = t.set_index(["metode", "jenis_dak", "bulan"])["mae_pp"]
    np.testing.assert_allclose(s.sort_index(), mae.reindex(s.sort_index().index), rtol=1e-9)


def test_backtest_needs_two_complete_years(hist: pd.DataFrame) -> None:
    """One complete year (the other lacks December) is a ProjectionError."""
    h = hist[(hist["tahun"] == 2023) | ((hist["tahun"] == 2022) & (hist["periode"].dt.month < 12))]
    with pytest.raises(dm.ProjectionError):
        dm.backtest_projection(h, cutoffs=[6])
    with pytest.raises(dm.ProjectionError):
        dm.backtest_projection(hist[hist["tahun"] == 2023], cutoffs=[6])
    with pytest.raises(dm.ProjectionError):
        dm.backtest_projection(hist.iloc[:0], cutoffs=[6])


def test_backtest_unknown_method(hist: pd.DataFrame) -> None:
    """An unknown method name is a ConfigError."""
    with pytest.raises(dm.ConfigError, match="crystal-ball"):
        dm.backtest_projection(hist, methods=["run-rate", "crystal-ball"], cutoffs=[6])


# ============================================================================ shipped samples
@pytest.fixture(scope="module")
def samples(monitor_result: dm.MonitorResult) -> dict:
    """The validated sample history and current year, their projection and backtest (once)."""
    history = monitor_result.history  # validate_export(read_export(...)) with default rules
    current = monitor_result.validation
    proj = dm.project_absorption(current, history=history, as_of="2024-06")
    bt = dm.backtest_projection(history, methods=["auto", "run-rate"], cutoffs=range(3, 12))
    arche = pd.read_csv(SAMPLES / "archetypes.csv", dtype=str)
    return {"proj": proj, "bt": bt,
            "arche": dict(zip(arche["kode_wilayah"], arche["archetype"], strict=True))}


@pytest.mark.slow
def test_samples_flag_weak_offices(samples: dict) -> None:
    """June 2024: never-contracts and stalled OPDs will miss both kinds; early ones are on track (BOKB)."""
    t = samples["proj"].table
    arche = t["kode_wilayah"].map(samples["arche"])
    assert arche.notna().all() and len(t) == 2 * 27
    weak = t[arche.isin(["never-contracts", "stalled"])]
    assert len(weak) == 2 * 4
    assert (weak["status"] == "will-miss").all(), weak[[*KEY, "proyeksi", "status"]]
    early_nf = t[(arche == "early") & (t["jenis_dak"] == NF)]
    assert len(early_nf) == 6
    assert (early_nf["status"] == "on-track").all(), early_nf[[*KEY, "proyeksi", "status"]]
    assert t["terkalibrasi"].all() and t["data_lengkap"].all()


@pytest.mark.slow
def test_samples_backtest_targets(samples: dict) -> None:
    """Backtest on the sample history: auto beats run-rate from March; June MAE ≤ 5 pp, coverage 70–90 %."""
    t = samples["bt"].table.set_index(["metode", "jenis_dak", "bulan"])
    for kind in KINDS:
        for month in range(3, 12):
            assert t.loc[("auto", kind, month), "mae_pp"] < t.loc[("run-rate", kind, month),
                                                                  "mae_pp"]
        june = t.loc[("auto", kind, 6)]
        assert june["n"] == 27 * 3
        assert june["mae_pp"] <= 5
        assert 0.7 <= june["coverage"] <= 0.9


# ======================================================= the method registry
class _FlatMean(registry.Method):
    """Test method: every OPD ends at the mean year-end absorption of the history."""

    name = "flat-mean"
    description = "every OPD at the mean year-end of the history (test only)"

    def predict(self, cut: pd.DataFrame, items_cut: pd.DataFrame | None, params: object,
                kind: str, month: int) -> np.ndarray:
        return np.full(len(cut), params.mean_year_end[kind])  # params: the shared fit


class _BokbOnly(registry.Method):
    """Test method: BOKB only, 0.5 for everyone; for DAK fisik the profile."""

    name = "bokb-half"
    description = "0.5 for every BOKB OPD (test only)"
    kinds = (NF,)

    def predict(self, cut: pd.DataFrame, items_cut: pd.DataFrame | None, params: object,
                kind: str, month: int) -> np.ndarray:
        return np.full(len(cut), 0.5)

    def fallback(self, n_years: int) -> str:
        return "profile"


@pytest.fixture
def flat_mean() -> object:
    """_FlatMean in the registry for the duration of one test."""
    registry.register(_FlatMean)
    try:
        yield _FlatMean
    finally:
        registry.unregister(_FlatMean.name)
    assert _FlatMean.name not in registry.choices()


def _year_ends(hist: pd.DataFrame) -> pd.Series:
    """Year-end absorption per (tahun, kode_wilayah, jenis_dak), from the December rows."""
    dec = hist[hist["periode"].dt.month == 12].groupby(["tahun", *KEY])[["pagu", "realisasi"]].sum()
    return dec["realisasi"] / dec["pagu"]


def test_registered_method_is_projected_and_backtested(flat_mean: object, hist: pd.DataFrame,
                                                       cur_full: pd.DataFrame) -> None:
    """A method registered in one place is a method= choice, projected and backtested."""
    assert registry.names() == (*METHODS, "flat-mean")
    assert dm._projection.METHODS == METHODS  # the built-in tuple does not change
    cur = upto(cur_full, 6)  # June: no contract deadline passed, what can be spent is all pagu
    mean = _year_ends(hist).groupby(level="jenis_dak").mean()
    t = dm.project_absorption(cur, history=hist, method="flat-mean").table
    assert (t["metode"] == "flat-mean").all()
    assert t["terkalibrasi"].all()
    assert (t["pagu_hilang"] == 0).all()
    np.testing.assert_allclose(t["proyeksi"], np.clip(t["jenis_dak"].map(mean), t["serapan"], 1),
                               rtol=1e-12)
    _check_within_todate_and_cap(t)
    # Without history its params are the defaults: the December value of DEFAULT_PROFILE.
    t0 = dm.project_absorption(cur, method="flat-mean").table
    default = t0["jenis_dak"].map({k: v[-1] for k, v in DEFAULT_PROFILE.items()})
    np.testing.assert_allclose(t0["proyeksi"], np.clip(default, t0["serapan"], 1), rtol=1e-12)
    # The backtest covers it by default: each year is projected from the other years' mean.
    bt = dm.backtest_projection(hist, cutoffs=[6])
    got = bt.table[bt.table["metode"] == "flat-mean"]
    assert set(got["jenis_dak"]) == set(KINDS)
    assert (got["n"] == len(REGIONS) * len(HIST_YEARS)).all()
    ends = _year_ends(hist)
    p = bt.predictions[bt.predictions["metode"] == "flat-mean"]
    for (year, kind), g in p.groupby(["tahun", "jenis_dak"]):
        other = ends[(ends.index.get_level_values("tahun") != year)
                     & (ends.index.get_level_values("jenis_dak") == kind)].mean()
        np.testing.assert_allclose(g["proyeksi"], np.clip(other, g["serapan"], 1), rtol=1e-12)


def test_registered_method_falls_back_outside_its_kinds(cur_full: pd.DataFrame) -> None:
    """A BOKB-only method projects BOKB itself and DAK fisik through its fallback."""
    registry.register(_BokbOnly)
    try:
        cur = upto(cur_full, 6)
        t = indexed(dm.project_absorption(cur, method="bokb-half").table)
        prof = indexed(dm.project_absorption(cur, method="profile").table)
    finally:
        registry.unregister(_BokbOnly.name)
    nf, fi = t.xs(NF, level="jenis_dak"), t.xs(FI, level="jenis_dak")
    assert (nf["metode"] == "bokb-half").all()
    assert (fi["metode"] == "profile").all()
    np.testing.assert_allclose(nf["proyeksi"], np.clip(0.5, nf["serapan"], 1), rtol=1e-12)
    np.testing.assert_array_equal(fi["proyeksi"], prof.xs(FI, level="jenis_dak")["proyeksi"])


def test_registry_refuses_bad_names() -> None:
    """auto, a taken name, or unregistering a built-in method is a ConfigError."""
    class Auto(_FlatMean):
        name = "auto"

    class Taken(_FlatMean):
        name = "profile"

    for cls in (Auto, Taken):
        with pytest.raises(dm.ConfigError):
            registry.register(cls)
    with pytest.raises(dm.ConfigError):
        registry.unregister("regression")
    assert registry.names() == METHODS


def test_auto_rule_regression_unless_beaten_by_ten_percent() -> None:
    """The auto rule: regression is kept unless the lowest error is below 90 % of its own."""
    rule = registry.AUTO
    assert (rule.default, rule.margin) == ("regression", 0.10)
    assert rule.choose({"profile": 0.091, "regression": 0.1, "run-rate": 0.3}) == "regression"
    assert rule.choose({"profile": 0.089, "regression": 0.1, "run-rate": 0.3}) == "profile"
    assert rule.choose({"profile": 0.2, "run-rate": 0.1}) == "run-rate"  # no regression
    assert rule.without_backtest(2) == "regression"
    assert rule.without_backtest(1) == "profile"


def test_projection_modules_do_not_read_files() -> None:
    """No module of the projection imports the reader (_reader) or the validator (_validate)."""
    import ast

    pkg = ROOT / "src" / "dak_monitor" / "_projection"
    files = sorted(pkg.glob("*.py"))
    assert {f.stem for f in files} >= {"__init__", "methods", "backtest", "intervals"}
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                mods = [node.module or ""] + [f"{node.module or ''}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            else:
                continue
            for mod in mods:
                parts = mod.split(".")
                assert "_reader" not in parts, (f.name, mod)
                assert "_validate" not in parts, (f.name, mod)


def test_history_paths_are_read_at_the_boundary(tmp_path: Path, hist: pd.DataFrame,
                                                cur_full: pd.DataFrame) -> None:
    """History as a folder of exports projects exactly as its validated valid rows."""
    for year in (2022, 2023):
        write_export(hist[(hist["tahun"] == year) & (hist["jenis_dak"] == NF)],
                     tmp_path / f"bokb_{year}.csv", layout="clean")
    report = dm.validate_export(dm.read_export(tmp_path))
    pd.testing.assert_frame_equal(as_history(tmp_path), report.valid)
    cur = upto(cur_full[cur_full["jenis_dak"] == NF], 5)
    a = dm.project_absorption(cur, history=tmp_path).table
    b = dm.project_absorption(cur, history=report).table
    pd.testing.assert_frame_equal(a, b)
    assert a["terkalibrasi"].all()


@pytest.mark.parametrize(("deadline", "lost"), [("2022-08-15", 0), ("2022-07-10", 2500)])
def test_history_years_take_their_deadline_from_rules(deadline: str, lost: float) -> None:
    """A history year's item state uses that year's deadline in Rules (never a built-in date)."""
    f = fisik_frame().assign(tahun=2022)
    for col in ("periode", "tanggal_kontrak"):
        f[col] = f[col] - pd.DateOffset(years=2)
    rules = dm.Rules.from_mapping({"contract_deadlines": {"2022": deadline}})
    items, panel = month_state(f, rules)
    jul = panel[panel["bulan"] == 7].iloc[0]
    assert jul["hilang"] == lost
    assert jul["tanpa_kontrak"] == 2500 - lost
    assert panel.loc[panel["bulan"] == 6, "hilang"].eq(0).all()
    assert set(items.loc[items["bulan"] == 7, "status"]) >= ({"hilang"} if lost else
                                                            {"tanpa-kontrak", "proses"})
