"""``dm.monitor``: the whole pipeline in one call (``dak_monitor._monitor``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import dak_monitor as dm

ROOT = Path(__file__).resolve().parents[1]
CURRENT = ROOT / "data_samples" / "current"
KEY = ["kode_wilayah", "jenis_dak"]


# ================================================================================== fields
def test_result_fields_have_their_types(monitor_result: dm.MonitorResult) -> None:
    """Every stage's output is there, with its documented type."""
    r = monitor_result
    assert isinstance(r, dm.MonitorResult)
    assert isinstance(r.export, dm.Export)
    assert isinstance(r.validation, dm.ValidationReport)
    assert isinstance(r.absorption, pd.DataFrame)
    assert isinstance(r.projection, dm.Projection)
    assert isinstance(r.first_semester, dm.FirstSemesterFlags)
    assert isinstance(r.flags, pd.DataFrame)
    assert isinstance(r.history, dm.ValidationReport)
    assert r.rules == dm.Rules()


def test_result_is_frozen(monitor_result: dm.MonitorResult) -> None:
    """A result cannot be changed in place (copies are made with dataclasses.replace)."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        monitor_result.rules = dm.Rules(threshold=0.5)  # type: ignore[misc]


def test_samples_are_june_2024_for_27_offices(monitor_result: dm.MonitorResult) -> None:
    """The samples run to June 2024: as_of is its month end; 27 OPDs × 2 kinds are projected."""
    r = monitor_result
    assert r.as_of == pd.Timestamp("2024-06-30")
    t = r.projection.table
    assert len(t) == 54
    assert not t.duplicated(KEY).any()
    assert set(t["jenis_dak"]) == {"nonfisik", "fisik"}
    assert t["kode_wilayah"].str.startswith("32.").all()  # Jawa Barat
    assert r.validation.ok
    assert sorted(set(r.history.valid["tahun"].astype(int))) == [2021, 2022, 2023]


def test_stages_agree_on_offices(monitor_result: dm.MonitorResult) -> None:
    """Absorption and projection cover the same OPD × kind with the same pagu and realisasi;
    flags are about projected OPDs only."""
    r = monitor_result
    a = r.absorption.set_index(KEY).sort_index()
    p = r.projection.table.set_index(KEY).sort_index()
    assert a.index.equals(p.index)
    for col in ("pagu", "realisasi"):
        pd.testing.assert_series_equal(a[col], p[col], check_dtype=False, check_index_type=False)
    flagged = set(zip(r.flags["kode_wilayah"], r.flags["jenis_dak"], strict=True))
    assert flagged <= set(p.index)


def test_absorption_is_the_sum_of_the_latest_rows(monitor_result: dm.MonitorResult) -> None:
    """Absorption to date = realisasi / pagu of the current year's June rows, per OPD × kind."""
    v = monitor_result.validation.valid
    june = v[(v["periode"] == monitor_result.as_of) & (v["tahun"] == 2024)]
    sums = june.groupby(KEY)[["pagu", "realisasi"]].sum()
    a = monitor_result.absorption.set_index(KEY).loc[sums.index]
    pd.testing.assert_series_equal(a["pagu"], sums["pagu"], check_dtype=False, check_names=False)
    pd.testing.assert_series_equal(a["realisasi"], sums["realisasi"], check_dtype=False,
                                   check_names=False)
    pd.testing.assert_series_equal(a["serapan"], sums["realisasi"] / sums["pagu"],
                                   check_dtype=False, check_names=False)


def test_inputs_recorded_as_given(monitor_result: dm.MonitorResult) -> None:
    """The paths given are recorded as strings (the report checks it never overwrites them)."""
    assert monitor_result.inputs == (str(CURRENT),)


# ================================================================================= summary
def test_summary_names_the_offices_at_risk_lowest_first(monitor_result: dm.MonitorResult
                                                        ) -> None:
    """summary() has the validation line, the projection, the flag count and, lowest projection
    first, every OPD that is not on track (and none that is)."""
    r = monitor_result
    text = r.summary(lang="en")
    lines = text.splitlines()
    assert lines[0] == r.validation.summary(lang="en", max_rows=5).splitlines()[0]
    assert r.projection.summary(lang="en") in text
    assert f"Flags: {len(r.flags)} " in text
    t = r.projection.table
    below = t[t["status"] != "on-track"]
    assert len(below)  # the samples have laggards
    risk_line = next(ln for ln in lines if ln.startswith("At risk"))
    positions = []
    for row in below.itertuples(index=False):
        needle = f"{row.nama_wilayah} ({ {'fisik': 'DAK fisik', 'nonfisik': 'BOKB'}[row.jenis_dak]}, "
        assert needle in risk_line, needle
        positions.append((risk_line.index(needle), row.proyeksi))
    ordered = [p for _, p in sorted(positions)]
    assert ordered == sorted(ordered)
    for row in t[t["status"] == "on-track"].itertuples(index=False):
        assert f"{row.nama_wilayah} ({row.jenis_dak}, " not in risk_line


# ===================================================================== options pass through
@pytest.fixture(scope="module")
def small_march(small_dir: Path) -> dm.MonitorResult:
    """The small synthetic year as of March, with a 50 % threshold."""
    return dm.monitor(small_dir, as_of="2024-03", threshold=0.5)


@pytest.fixture(scope="module")
def small_june(small_dir: Path) -> dm.MonitorResult:
    """The small synthetic year, latest period (June), default rules."""
    return dm.monitor(small_dir)


def test_as_of_passes_to_every_stage(small_march: dm.MonitorResult,
                                     small_june: dm.MonitorResult) -> None:
    """as_of='2024-03' reports on March in every stage, not on the latest data (June)."""
    march = pd.Timestamp("2024-03-31")
    assert small_june.as_of == pd.Timestamp("2024-06-30")
    assert small_march.as_of == march
    assert (small_march.projection.table["bulan"] == 3).all()
    assert (small_march.absorption["periode"] <= march).all()
    assert small_march.first_semester.as_of == march
    a3 = small_march.absorption.set_index(KEY)["realisasi"]
    a6 = small_june.absorption.set_index(KEY)["realisasi"].loc[a3.index]
    assert (a3 <= a6).all()
    assert (a3 < a6).any()  # cumulative spending grew after March


@pytest.mark.parametrize("as_of", [dt.date(2024, 3, 15), pd.Timestamp("2024-03-01"), "2024-03"])
def test_as_of_forms(small_dir: Path, as_of: object) -> None:
    """A date, a Timestamp or 'YYYY-MM' in March all mean the end of March."""
    r = dm.monitor(small_dir / "nonfisik_2024.csv", as_of=as_of)
    assert r.as_of == pd.Timestamp("2024-03-31")


def test_threshold_passes_through(small_march: dm.MonitorResult) -> None:
    """threshold= sets the rules' and the projection's threshold."""
    assert small_march.rules.threshold == 0.5
    assert small_march.projection.threshold == 0.5
    assert small_march.rules == dataclasses.replace(dm.Rules(), threshold=0.5)


def test_lower_threshold_lowers_the_risk(small_dir: Path) -> None:
    """The same data against a lower threshold: P(below threshold) never rises."""
    high = dm.monitor(small_dir, threshold=0.95).projection.table.set_index(KEY)
    low = dm.monitor(small_dir, threshold=0.4).projection.table.set_index(KEY).loc[high.index]
    assert (low["p_di_bawah_ambang"] <= high["p_di_bawah_ambang"] + 1e-12).all()
    assert (low["proyeksi"] - high["proyeksi"]).abs().max() < 1e-9  # the projection is the same


def test_threshold_overrides_rules_and_keeps_the_rest(small_dir: Path) -> None:
    """rules= is used, with threshold= taking precedence over rules.threshold."""
    rules = dm.Rules(threshold=0.8, money_tolerance=5.0, deadline_warning_days=10)
    r = dm.monitor(small_dir / "fisik_2024.csv", rules=rules, threshold=0.9)
    assert r.rules == dataclasses.replace(rules, threshold=0.9)
    assert dm.monitor(small_dir / "fisik_2024.csv", rules=rules).rules == rules


@pytest.mark.parametrize("form", ["str", "path", "list", "generator"])
def test_inputs_forms(small_dir: Path, form: str) -> None:
    """One path (str or Path), a list or any iterable: inputs are the paths as strings, in order."""
    a, b = small_dir / "nonfisik_2024.csv", small_dir / "fisik_2024.csv"
    given: Any = {"str": str(a), "path": a, "list": [a, b], "generator": (p for p in [b, a])}[form]
    want = {"str": (str(a),), "path": (str(a),), "list": (str(a), str(b)),
            "generator": (str(b), str(a))}[form]
    r = dm.monitor(given)
    assert r.inputs == want
    assert r.history is None
    kinds = {"str": {"nonfisik"}, "path": {"nonfisik"}}.get(form, {"nonfisik", "fisik"})
    assert set(r.projection.table["jenis_dak"]) == kinds


def test_aliases_pass_to_the_reader(tmp_path: Path) -> None:
    """aliases= reaches read_export: an unknown header spelling fails without, reads with."""
    path = tmp_path / "x.csv"
    path.write_text("Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu Final;Realisasi\n"
                    "2024;Juni 2024;32.05;Kab. Garut;BKB;1.000;250\n", encoding="utf-8")
    with pytest.raises(dm.MissingColumnError):
        dm.monitor(path)
    r = dm.monitor(path, aliases={"pagu": ["Pagu Final"]})
    row = r.projection.table.iloc[0]
    assert (row["pagu"], row["realisasi"], row["serapan"]) == (1000, 250, 0.25)


def test_progress_is_called_before_each_stage(small_dir: Path) -> None:
    """progress= gets one message per stage; history adds one."""
    without: list[str] = []
    dm.monitor(small_dir / "nonfisik_2024.csv", progress=without.append)
    with_history: list[str] = []
    dm.monitor(small_dir / "nonfisik_2024.csv", history=small_dir / "nonfisik_2024.csv",
               progress=with_history.append)
    assert len(without) >= 3
    assert all(isinstance(m, str) and m for m in without)
    assert len(with_history) == len(without) + 1


# =================================================================================== errors
def _junk(tmp_path: Path) -> Path:
    p = tmp_path / "rusak.xlsx"
    p.write_bytes(b"not a zip archive \x00\x01")
    return p


ERRORS: dict[str, tuple[type[dm.DakMonitorError], Any]] = {
    "missing-path": (dm.UnreadableFileError, lambda d, t: dict(paths=t / "tidak_ada")),
    "junk-xlsx": (dm.UnreadableFileError, lambda d, t: dict(paths=_junk(t))),
    "missing-history": (dm.UnreadableFileError,
                        lambda d, t: dict(paths=d / "nonfisik_2024.csv", history=t / "nope")),
    "too-many-rows": (dm.LimitExceededError,
                      lambda d, t: dict(paths=d / "nonfisik_2024.csv", max_rows=3)),
    "threshold-above-one": (dm.ConfigError,
                            lambda d, t: dict(paths=d / "nonfisik_2024.csv", threshold=1.5)),
    "unknown-method": (dm.ConfigError,
                       lambda d, t: dict(paths=d / "nonfisik_2024.csv", method="crystal-ball")),
    "as-of-not-a-period": (dm.ConfigError,
                           lambda d, t: dict(paths=d / "nonfisik_2024.csv", as_of="kemarin")),
    "as-of-without-data": (dm.ProjectionError,
                           lambda d, t: dict(paths=d / "nonfisik_2024.csv", as_of="2025-01")),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_are_dak_monitor_errors(case: str, small_dir: Path, tmp_path: Path) -> None:
    """Every failure is the documented DakMonitorError subclass, with a message."""
    kind, build = ERRORS[case]
    kw = build(small_dir, tmp_path)
    paths = kw.pop("paths")
    with pytest.raises(kind) as info:
        dm.monitor(paths, **kw)
    assert isinstance(info.value, dm.DakMonitorError)
    assert str(info.value)
