"""Tests of the first-semester procurement flags and the flag catalogue."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm

ROOT = Path(__file__).resolve().parents[1]


def fisik_rows(items: list[dict[str, object]], months: list[int], year: int = 2024
               ) -> pd.DataFrame:
    """Canonical fisik rows: each item dict gives its contract (date, reported from month)."""
    rows = []
    for it in items:
        for m in months:
            date = it.get("tanggal")
            seen = it.get("seen_from", 1)
            has = date is not None and m >= seen
            rows.append({
                "tahun": year,
                "periode": pd.Timestamp(year, m, 1) + pd.offsets.MonthEnd(0),
                "kode_wilayah": it.get("kode", "32.05"), "jenis_dak": "fisik",
                "menu": "Sarana", "rincian": it["rincian"], "pagu": it.get("pagu", 100.0),
                "realisasi": it.get("realisasi", 0.0),
                "metode_pengadaan": it.get("metode", "e-Purchasing"),
                "nomor_kontrak": f"SPK/{it['rincian']}" if has else None,
                "tanggal_kontrak": pd.Timestamp(date) if has else pd.NaT,
                "sumber_file": "f.csv", "sumber_sheet": "", "sumber_baris": len(rows) + 2,
            })
    return pd.DataFrame(rows)


def codes_of(flags: dm.FirstSemesterFlags, rincian: str) -> set[str]:
    items = flags.items
    return set(items.loc[items["rincian"] == rincian, "code"])


# ------------------------------------------------------------------------ scenarios
@pytest.mark.parametrize(
    ("item", "as_of", "expected"),
    [
        # a contract on the cut-off day counts for semester I
        ({"rincian": "a", "tanggal": "2024-06-30"}, "2024-06", set()),
        # one day later: a contract after semester I, not a missing one
        ({"rincian": "a", "tanggal": "2024-07-01", "seen_from": 7}, "2024-07",
         {"contract-after-s1"}),
        # none at all, June report: missing in S1 and the 22 July deadline is 22 days away
        ({"rincian": "a"}, "2024-06", {"no-contract-by-s1", "contract-deadline-at-risk"}),
        # none by the deadline, August report: missed (and missing in S1)
        ({"rincian": "a"}, "2024-08", {"no-contract-by-s1", "contract-deadline-missed"}),
        # swakelola needs no contract
        ({"rincian": "a", "metode": "Swakelola"}, "2024-08", set()),
        # dated in May but first reported in July: contracted in S1, reported late
        ({"rincian": "a", "tanggal": "2024-05-15", "seen_from": 7}, "2024-07",
         {"contract-reported-late"}),
        # signed after the deadline: after S1, and the deadline was missed
        ({"rincian": "a", "tanggal": "2024-07-25", "seen_from": 8}, "2024-08",
         {"contract-after-s1", "contract-deadline-missed"}),
    ],
)
def test_fisik_scenarios(item: dict[str, object], as_of: str, expected: set[str]) -> None:
    """Each procurement scenario gives exactly the flags its dates call for."""
    months = list(range(1, pd.Timestamp(as_of).month + 1))
    frame = fisik_rows([item, {"rincian": "ok", "tanggal": "2024-03-01", "realisasi": 50.0}],
                       months)
    flags = dm.flag_first_semester(frame, year=2024, as_of=as_of)
    assert codes_of(flags, "a") == expected
    assert codes_of(flags, "ok") == set()


def test_late_report_before_it_arrives_is_missing() -> None:
    """As of June, a contract that only shows up in July is (still) missing in semester I."""
    frame = fisik_rows([{"rincian": "a", "tanggal": "2024-05-15", "seen_from": 7}],
                       list(range(1, 8)))
    june = dm.flag_first_semester(frame, year=2024, as_of="2024-06")
    assert "no-contract-by-s1" in codes_of(june, "a")


def test_deadline_per_year_and_warning_days() -> None:
    """The deadline comes from Rules per year; the warning window is configurable."""
    frame = fisik_rows([{"rincian": "a"}], list(range(1, 7)), year=2023)
    # 2023: extended deadline 31 July; 30 June is 31 days before it -> outside 30 days
    f30 = dm.flag_first_semester(frame, year=2023, as_of="2023-06")
    assert "contract-deadline-at-risk" not in codes_of(f30, "a")
    f45 = dm.flag_first_semester(frame, year=2023, as_of="2023-06",
                                 rules=dm.Rules(deadline_warning_days=45))
    assert "contract-deadline-at-risk" in codes_of(f45, "a")
    assert f45.deadline == pd.Timestamp("2023-07-31").date()


def test_missing_june_report_and_before_cutoff() -> None:
    """No June report gives s1-report-missing; before June no semester-I flag is given."""
    frame = fisik_rows([{"rincian": "a", "tanggal": "2024-03-01", "realisasi": 60.0}],
                       [1, 2, 3, 4, 5, 7])
    flags = dm.flag_first_semester(frame, year=2024, as_of="2024-07")
    assert "s1-report-missing" in set(flags.items["code"])
    early = dm.flag_first_semester(frame, year=2024, as_of="2024-05")
    assert early.items.empty
    assert early.notes and "not over" in early.notes[0]


def nonfisik_rows(menus: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """June rows of BOKB menus: name -> (pagu, realisasi)."""
    return pd.DataFrame([{
        "tahun": 2024, "periode": pd.Timestamp("2024-06-30"), "kode_wilayah": "32.05",
        "jenis_dak": "nonfisik", "menu": name, "rincian": None, "pagu": p, "realisasi": r,
        "sumber_file": "n.csv", "sumber_sheet": "", "sumber_baris": i + 2}
        for i, (name, (p, r)) in enumerate(menus.items())])


def test_bokb_menus_zero_spending_and_zero_pagu() -> None:
    """A BOKB menu with zero realisasi is flagged; one with pagu 0 is not."""
    flags = dm.flag_first_semester(nonfisik_rows({"A": (100.0, 0.0), "B": (0.0, 0.0),
                                                  "C": (100.0, 60.0)}), year=2024)
    zero = flags.items[flags.items.code == "no-spending-by-s1"]
    assert zero["menu"].tolist() == ["A"]


def test_low_s1_absorption_uses_profile() -> None:
    """low-s1-absorption compares with low_s1_factor × the typical June absorption."""
    frame = nonfisik_rows({"A": (100.0, 20.0)})  # 20 % by June
    profile = pd.DataFrame({"nonfisik": np.linspace(0.05, 0.95, 12), "fisik": 0.5},
                           index=range(1, 13))
    typical_june = float(profile.loc[6, "nonfisik"])
    flags = dm.flag_first_semester(frame, year=2024, profile=profile)
    assert ("low-s1-absorption" in set(flags.items.code)) == (0.2 < 0.5 * typical_june)
    lenient = dm.flag_first_semester(frame, year=2024, profile=profile,
                                     rules=dm.Rules(low_s1_factor=0.1))
    assert "low-s1-absorption" not in set(lenient.items.code)


def test_opd_summary() -> None:
    """The OPD summary counts flagged items, their pagu share and the worst severity."""
    frame = fisik_rows([{"rincian": "a", "pagu": 300.0}, {"rincian": "b", "pagu": 100.0,
                                                          "tanggal": "2024-02-01",
                                                          "realisasi": 50.0}],
                       list(range(1, 9)))
    fs = dm.flag_first_semester(frame, year=2024)
    row = fs.opd.iloc[0]
    assert row.n_item == 1
    assert row.share_pagu == pytest.approx(300 / 400)
    assert row.worst == "error"  # the deadline was missed
    assert "contract-deadline-missed" in row.codes


# ---------------------------------------------------------------------- properties
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n_files=st.integers(1, 4))
def test_flags_independent_of_order_and_files(seed: int, n_files: int) -> None:
    """Flags do not depend on row order or on how the rows are split into files."""
    rng = np.random.default_rng(seed)
    items = [{"rincian": f"i{k}",
              "tanggal": rng.choice([None, "2024-03-01", "2024-06-30", "2024-07-10"]),
              "seen_from": int(rng.integers(1, 9)), "metode": rng.choice(
                  ["Tender", "Swakelola", "e-Purchasing"]),
              "kode": rng.choice(["32.05", "32.79"])} for k in range(6)]
    frame = fisik_rows(items, list(range(1, 9)))
    base = dm.flag_first_semester(frame, year=2024).items
    shuffled = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    shuffled["sumber_file"] = [f"f{i % n_files}.csv" for i in range(len(shuffled))]
    other = dm.flag_first_semester(shuffled, year=2024).items
    key = ["kode_wilayah", "rincian", "code"]
    assert sorted(map(tuple, base[key].fillna("").astype(str).values)) == sorted(
        map(tuple, other[key].fillna("").astype(str).values))


# ------------------------------------------------------------------------- samples
@pytest.fixture(scope="module")
def sample_result(monitor_result: dm.MonitorResult) -> dm.MonitorResult:
    """The monitoring result of the shipped samples (the session's, computed once)."""
    return monitor_result


def test_samples_laggards_flagged_and_early_ones_clean(sample_result: dm.MonitorResult) -> None:
    """Late, stalled and never-contracting sample OPDs are flagged; early ones are not."""
    arch = pd.read_csv(ROOT / "data_samples" / "archetypes.csv", dtype=str)
    by = dict(zip(arch.kode_wilayah, arch.archetype, strict=True))
    flags = sample_result.flags
    flagged = set(flags.kode_wilayah)
    for kode, kind in by.items():
        if kind in ("late", "stalled", "never-contracts"):
            assert kode in flagged, (kode, kind)
        if kind == "early":
            assert kode not in flagged, (kode, kind)
    never = [k for k, a in by.items() if a == "never-contracts"]
    fis = flags[(flags.jenis_dak == "fisik") & flags.kode_wilayah.isin(never)]
    for kode in never:
        codes = set(fis.loc[fis.kode_wilayah == kode, "code"])
        assert {"no-contract-by-s1", "will-miss-threshold"} <= codes, kode


def test_catalogue_is_documented(sample_result: dm.MonitorResult) -> None:
    """Every code in the catalogue has a title in both languages and a row in docs/flags.md."""
    doc = (ROOT / "docs" / "flags.md").read_text(encoding="utf-8")
    for code, info in dm.FLAGS.items():
        assert f"`{code}`" in doc
        assert info.title_id and info.title_en
    assert set(sample_result.flags["code"]) <= set(dm.FLAGS)
    cols = {"kode_wilayah", "nama_wilayah", "code", "severity", "title_id", "title_en",
            "pesan", "message"}
    assert cols <= set(sample_result.flags.columns)


def test_a_flag_added_in_one_place_is_raised_and_gathered() -> None:
    """Registering a flag is all it takes: its stage raises it, flag_offices gathers it with
    its severity and both messages, and the catalogue table lists it."""
    from dak_monitor._flags import FLAGS, Hit, flag_table_markdown, register_flag

    @register_flag("demo-big-pagu", "info", "opd", "validation",
                   title=("Pagu besar", "Large pagu"), description="demo",
                   pesan="{kode}: pagu di atas {batas}", message="{kode}: pagu above {batas}")
    def _big(quarantine: object, valid: pd.DataFrame, when: pd.Timestamp,
             export: object) -> list[Hit]:
        big = valid[valid["pagu"] > 1500]
        return [Hit({"kode_wilayah": k, "jenis_dak": "nonfisik", "periode": when},
                    {"kode": k, "batas": "1.500"}) for k in big["kode_wilayah"].unique()]

    try:
        f = pd.DataFrame({"tahun": [2024] * 2, "periode": pd.to_datetime(["2024-06-30"] * 2),
                          "kode_wilayah": ["32.05", "32.79"], "jenis_dak": ["nonfisik"] * 2,
                          "menu": ["BKB"] * 2, "rincian": [None] * 2, "pagu": [1000.0, 2000.0],
                          "realisasi": [600.0, 1200.0]})
        flags = dm.flag_offices(f)
        mine = flags[flags["code"] == "demo-big-pagu"]
        assert mine[["kode_wilayah", "severity", "pesan", "message"]].values.tolist() == [
            ["32.79", "info", "32.79: pagu di atas 1.500", "32.79: pagu above 1.500"]]
        assert "| `demo-big-pagu` | info | opd |" in flag_table_markdown()
    finally:
        FLAGS.remove("demo-big-pagu")
    assert "demo-big-pagu" not in set(dm.flag_offices(f)["code"])
