"""Who reported (``dak_monitor._reporting``): status per OPD × kind × period, coverage,
revisions, lateness and stalled realisasi, on small hand-built years."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from helpers import FI, NF, frame, month_end
from hypothesis import given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor._reporting import reporting_status, revisions

GARUT, BOGOR, CIANJUR = "32.05", "32.01", "32.03"


def _year() -> pd.DataFrame:
    """Jan–Jun 2024, BOKB, two menus of pagu 100 each:
    Garut reports every month in full; Bogor skips March, sends only menu A in April (partial),
    then both again; Cianjur reports every month in full."""
    recs = []
    for m in range(1, 7):
        for menu in ("A", "B"):
            recs.append({"kode": GARUT, "bulan": m, "menu": menu, "pagu": 100,
                         "realisasi": 10 * m})
            recs.append({"kode": CIANJUR, "bulan": m, "menu": menu, "pagu": 100,
                         "realisasi": 10 * m})
            if m == 3 or (m == 4 and menu == "B"):
                continue
            recs.append({"kode": BOGOR, "bulan": m, "menu": menu, "pagu": 100,
                         "realisasi": 5 * m})
    return frame(recs)


def _cell(rs: object, kode: str, month: int, col: str = "status", kind: str = NF) -> object:
    t = rs.table  # type: ignore[attr-defined]
    row = t[(t["kode_wilayah"] == kode) & (t["jenis_dak"] == kind)
            & (t["periode"] == month_end(2024, month))]
    assert len(row) == 1, (kode, month)
    return row[col].iloc[0]


def test_skips_and_partial_reports() -> None:
    """Bogor: March missing, April partial (1 item, pagu 100 against 2 items, 200 before),
    the other months reported; Garut and Cianjur reported every month."""
    rs = reporting_status(_year())
    assert [_cell(rs, BOGOR, m) for m in range(1, 7)] == [
        "reported", "reported", "missing", "partial", "reported", "reported"]
    for kode in (GARUT, CIANJUR):
        assert {_cell(rs, kode, m) for m in range(1, 7)} == {"reported"}
    assert _cell(rs, BOGOR, 4, "n_item") == 1 and _cell(rs, BOGOR, 4, "n_item_sebelumnya") == 2
    assert _cell(rs, BOGOR, 4, "pagu_sebelumnya") == 200.0
    # May compares with April (its previous report): more items, not partial
    assert not _cell(rs, BOGOR, 5, "parsial")
    assert len(rs.table) == 3 * 6


def test_coverage_scores_by_the_rules_thresholds() -> None:
    """Bogor March: nothing in, 0 % red; April: half the items and half the pagu, 50 %
    yellow (red is below 50 %); every other OPD-month 100 % green."""
    rs = reporting_status(_year())
    cov = rs.coverage.set_index(["kode_wilayah", "periode"])
    march, april = cov.loc[(BOGOR, month_end(2024, 3))], cov.loc[(BOGOR, month_end(2024, 4))]
    assert (march["cakupan"], march["warna"]) == (0.0, "red")
    assert (march["pagu_diharapkan"], march["pagu_dilaporkan"]) == (200.0, 0.0)
    assert (april["cakupan_laporan"], april["cakupan_pagu"], april["warna"]) == (
        0.5, 0.5, "yellow")
    others = cov.drop([(BOGOR, month_end(2024, 3)), (BOGOR, month_end(2024, 4))])
    assert (others["cakupan"] == 1.0).all() and (others["warna"] == "green").all()
    stricter = dataclasses.replace(dm.Rules(), coverage_red=0.6, coverage_yellow=0.9)
    cov2 = reporting_status(_year(), rules=stricter).coverage.set_index(
        ["kode_wilayah", "periode"])
    assert cov2.loc[(BOGOR, month_end(2024, 4)), "warna"] == "red"


def test_late_is_not_guessed_without_an_upload_date() -> None:
    """No tanggal_lapor anywhere: lateness is left empty and the notes say why."""
    rs = reporting_status(_year())
    assert not rs.late_assessed
    assert rs.table["terlambat"].isna().all()
    assert any("late cannot be assessed: no tanggal_lapor" in n for n in rs.notes)
    assert "late" not in set(rs.table["status"])


def test_late_after_the_tenth_of_the_next_month() -> None:
    """Cianjur's June uploaded 11 July: late; Garut's June on 10 July: on time; a report with
    no date of its own stays unassessed."""
    f = _year()
    tgl = [pd.NaT] * len(f)
    for i, (kode, per) in enumerate(zip(f["kode_wilayah"], f["periode"], strict=True)):
        if per == month_end(2024, 6) and kode == CIANJUR:
            tgl[i] = pd.Timestamp(2024, 7, 11)
        elif per == month_end(2024, 6) and kode == GARUT:
            tgl[i] = pd.Timestamp(2024, 7, 10)
        elif per == month_end(2024, 5):
            tgl[i] = pd.Timestamp(2024, 6, 3)
    rs = reporting_status(f.assign(tanggal_lapor=tgl))
    assert rs.late_assessed
    assert _cell(rs, CIANJUR, 6) == "late" and _cell(rs, CIANJUR, 6, "terlambat")
    assert _cell(rs, GARUT, 6) == "reported" and not _cell(rs, GARUT, 6, "terlambat")
    assert _cell(rs, GARUT, 6, "batas_lapor") == pd.Timestamp(2024, 7, 10)
    assert pd.isna(_cell(rs, BOGOR, 6, "terlambat"))  # no date of its own
    assert not _cell(rs, BOGOR, 5, "terlambat")
    # a deadline on the 15th makes Cianjur on time
    later = dataclasses.replace(dm.Rules(), reporting_deadline_day={NF: 15, FI: 15})
    assert _cell(reporting_status(f.assign(tanggal_lapor=tgl), rules=later), CIANJUR, 6) == \
        "reported"


def test_revisions_against_the_previous_export() -> None:
    """Last month's export (Jan–May) against this month's (Jan–Jun): Cianjur's May realisasi
    changed from 50 to 55 in menu A; everything else repeats. The revision names both values
    and both files; the current figure is used and the period is 'revised'."""
    current = _year().assign(sumber_file="juni.csv")
    previous = current[current["periode"] <= month_end(2024, 5)].assign(sumber_file="mei.csv")
    fix = (current["kode_wilayah"] == CIANJUR) & (current["periode"] == month_end(2024, 5)) \
        & (current["menu"] == "A")
    current.loc[fix, "realisasi"] = 55.0
    rs = reporting_status(current, history=previous)
    got = rs.revisions[["kode_wilayah", "menu", "periode", "kolom", "lama", "baru", "file_lama",
                        "file_baru"]].values.tolist()
    assert got == [[CIANJUR, "A", month_end(2024, 5), "realisasi", 50.0, 55.0, "mei.csv",
                    "juni.csv"]]
    assert _cell(rs, CIANJUR, 5) == "revised" and _cell(rs, CIANJUR, 5, "realisasi") == 105.0
    assert _cell(rs, CIANJUR, 4) == "reported"
    assert reporting_status(current).revisions.empty  # nothing to compare with


def test_a_period_only_the_previous_export_has_still_counts_as_reported() -> None:
    """Bogor's March is in last month's export only: reported, not missing (the later export
    wins where it has the item and period, the earlier one fills the rest)."""
    current = _year()
    march = frame([{"kode": BOGOR, "bulan": 3, "menu": mn, "pagu": 100, "realisasi": 15}
                   for mn in ("A", "B")])
    rs = reporting_status(current, history=march)
    assert _cell(rs, BOGOR, 3) == "reported"


def test_revisions_rule_is_one_item_key() -> None:
    """Menu text differing in case and spaces is the same item; penyaluran is compared only
    where both give it; a change within the money tolerance is no revision."""
    old = frame([{"menu": "Operasional BKB", "bulan": 5, "pagu": 100, "realisasi": 40,
                  "penyaluran": 50}])
    new = frame([{"menu": "operasional  bkb", "bulan": 5, "pagu": 100.5, "realisasi": 40}])
    assert revisions(old, new).empty
    new2 = frame([{"menu": "OPERASIONAL BKB", "bulan": 5, "pagu": 120, "realisasi": 40,
                   "penyaluran": 80}])
    got = revisions(old, new2)[["kolom", "lama", "baru"]].values.tolist()
    assert got == [["pagu", 100.0, 120.0], ["penyaluran", 50.0, 80.0]]


def test_expected_from_the_earliest_period_and_by_schedule() -> None:
    """A June-only export expects June only; DAK fisik per triwulan expects March and June."""
    june = _year()[lambda f: f["periode"] == month_end(2024, 6)]
    rs = reporting_status(june)
    assert set(rs.table["periode"]) == {month_end(2024, 6)}
    fis = frame([{"kode": GARUT, "bulan": m, "menu": "Sarana", "rincian": "Bed", "pagu": 100,
                  "realisasi": 0, "jenis": FI} for m in (1, 2, 4, 5, 6)])
    quarterly = dataclasses.replace(dm.Rules(), reporting_schedule={NF: "monthly",
                                                                    FI: "quarterly"})
    t = reporting_status(fis, rules=quarterly).table
    assert t["periode"].dt.month.tolist() == [3, 6]
    assert t["status"].tolist() == ["missing", "reported"]
    monthly = reporting_status(fis).table
    assert monthly["status"].tolist() == ["reported", "reported", "missing", "reported",
                                          "reported", "reported"]


def test_as_of_limits_the_year() -> None:
    """As of April: May and June are not looked at; beyond the data is refused."""
    rs = reporting_status(_year(), as_of="2024-04")
    assert rs.table["periode"].max() == month_end(2024, 4)
    with pytest.raises(dm.ProjectionError):
        reporting_status(_year(), as_of="2024-09")


def test_coverage_across_kinds_weights_pagu() -> None:
    """Garut June: BOKB (pagu 200) in, DAK fisik (pagu 800) missing: 1 of 2 reports, 20 % of
    the pagu — red."""
    f = pd.concat([frame([{"kode": GARUT, "bulan": m, "menu": mn, "pagu": 100,
                           "realisasi": 10} for m in (5, 6) for mn in ("A", "B")]),
                   frame([{"kode": GARUT, "bulan": 5, "menu": "S", "rincian": "Bed",
                           "pagu": 800, "realisasi": 0, "jenis": FI}])], ignore_index=True)
    cov = reporting_status(f).coverage
    june = cov[cov["periode"] == month_end(2024, 6)].iloc[0]
    assert (june["laporan_diharapkan"], june["laporan_masuk"]) == (2, 1)
    assert june["cakupan_laporan"] == 0.5 and june["cakupan_pagu"] == pytest.approx(0.2)
    assert june["warna"] == "red"


def test_stalled_realisasi_below_the_profile() -> None:
    """Garut's realisasi stands at 50 from March to June (3 months) with pagu 1000 — 5 %,
    below the typical 47 % by June: stalled since March, Rp 950 not absorbed. Cianjur moves
    every month; with stalled_months 4 Garut is not stalled either."""
    recs = [{"kode": GARUT, "bulan": m, "pagu": 1000, "realisasi": 20 if m < 3 else 50,
             "penyaluran": 300} for m in range(1, 7)]
    recs += [{"kode": CIANJUR, "bulan": m, "pagu": 1000, "realisasi": 10 * m}
             for m in range(1, 7)]
    f = frame(recs)
    st_ = reporting_status(f).stalled
    assert st_[["kode_wilayah", "bulan_diam", "sisa", "dana_mengendap"]].values.tolist() == [
        [GARUT, 3, 950.0, 250.0]]
    assert st_["sejak"].iloc[0] == month_end(2024, 3)
    assert st_["serapan_tipikal"].iloc[0] == pytest.approx(0.47)
    four = dataclasses.replace(dm.Rules(), stalled_months=4)
    assert reporting_status(f, rules=four).stalled.empty
    # an OPD already above its profile is not stalled, however still
    high = frame([{"kode": GARUT, "bulan": m, "pagu": 1000, "realisasi": 900}
                  for m in range(1, 7)])
    assert reporting_status(high).stalled.empty


def test_spending_not_yet_begun_is_not_stalled() -> None:
    """Realisasi still at Rp 0 in June has not started (the first-semester flags say so);
    stalled is spending that began and stopped: Rp 0 for six months is not stalled, Rp 10
    from January on is."""
    zero = frame([{"kode": GARUT, "bulan": m, "pagu": 1000, "realisasi": 0}
                  for m in range(1, 7)])
    assert reporting_status(zero).stalled.empty
    began = frame([{"kode": GARUT, "bulan": m, "pagu": 1000, "realisasi": 10}
                   for m in range(1, 7)])
    assert reporting_status(began).stalled["bulan_diam"].tolist() == [5]


def test_inputs_are_not_modified() -> None:
    f = _year()
    before = f.copy()
    reporting_status(f, history=f.iloc[:5])
    pd.testing.assert_frame_equal(f, before)


def test_through_read_and_validate(tmp_path: object) -> None:
    """From a file with an upload-date column: the validated rows carry tanggal_lapor."""
    from pathlib import Path

    d = Path(str(tmp_path))
    (d / "x.csv").write_text(
        "Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi;Tgl Upload\n"
        "2024;Mei 2024;32.05;BKB;1.000;100;05/06/2024\n"
        "2024;Juni 2024;32.05;BKB;1.000;200;20/07/2024\n", encoding="utf-8")
    rs = dm.reporting_status(dm.validate_export(dm.read_export(d / "x.csv")))
    assert rs.table["status"].tolist() == ["reported", "late"]


# ================================================================================ property
@st.composite
def _years(draw: st.DrawFn) -> pd.DataFrame:
    """OPDs reporting a random subset of months with a random subset of two menus."""
    recs = []
    for kode in draw(st.lists(st.sampled_from([GARUT, BOGOR, CIANJUR]), min_size=1,
                              max_size=3, unique=True)):
        kinds = draw(st.lists(st.sampled_from([NF, FI]), min_size=1, max_size=2, unique=True))
        for kind in kinds:
            for m in range(1, 7):
                for menu in draw(st.lists(st.sampled_from(["A", "B"]), max_size=2,
                                          unique=True)):
                    recs.append({"kode": kode, "bulan": m, "menu": menu, "rincian": "r",
                                 "jenis": kind, "realisasi": 0,
                                 "pagu": draw(st.sampled_from([0, 50, 100]))})
    if not recs:
        recs.append({"kode": GARUT, "bulan": 6, "pagu": 100, "realisasi": 0})
    return frame(recs)


@settings(max_examples=60, deadline=None)
@given(_years())
def test_coverage_is_full_exactly_when_nothing_is_missing_or_partial(f: pd.DataFrame) -> None:
    """Per OPD and month: coverage 100 % if and only if none of its expected reports is
    missing or partial; always between 0 and 1."""
    rs = reporting_status(f)
    bad = rs.table.assign(_bad=~rs.table["dilaporkan"] | rs.table["parsial"]).groupby(
        ["kode_wilayah", "periode"])["_bad"].any()
    cov = rs.coverage.set_index(["kode_wilayah", "periode"])
    assert set(cov.index) == set(bad.index)
    full = cov["cakupan"] == 1.0
    assert (full == ~bad.reindex(cov.index)).all()
    assert cov["cakupan"].between(0, 1).all()
    assert (np.asarray(cov["laporan_masuk"]) <= np.asarray(cov["laporan_diharapkan"])).all()


# ---------------------------------------------------------- data_samples/reporting
REPORTING = __import__("pathlib").Path(__file__).resolve().parents[1] / "data_samples" / \
    "reporting"


def _grid(rs: object) -> dict[str, list[str]]:
    t = rs.table  # type: ignore[attr-defined]
    return {k: g.sort_values("periode")["status"].tolist()
            for k, g in t.groupby("kode_wilayah")}


def test_reporting_samples_skip_resubmit_revise_late() -> None:
    """The sample year of data_samples/reporting, checked by hand against its two CSVs
    (``grep`` of the Periode, Kode Wilayah and Tgl Upload columns): at the end of June
    Sukabumi (32.02) has no March rows and uploaded April on 20/05 (deadline 10/05), Cianjur
    (32.03) sent April without its first menu; at the end of July Sukabumi's March is in,
    uploaded 15/07 (late), Bogor (32.01) has no July rows and Bandung's (32.04) May
    realisasi of "Pertemuan Pokja Kampung KB" went from 169.857.263 to 195.641.263."""
    juni = dm.validate_export(REPORTING / "juni")
    juli = dm.validate_export(REPORTING / "juli")
    rs = reporting_status(juni)
    assert rs.late_assessed
    assert _grid(rs) == {
        "32.01": ["reported"] * 6,
        "32.02": ["reported", "reported", "missing", "late", "reported", "reported"],
        "32.03": ["reported", "reported", "reported", "partial", "reported", "reported"],
        "32.04": ["reported"] * 6,
    }
    rs = reporting_status(juli, history=juni)
    assert _grid(rs) == {
        "32.01": ["reported"] * 6 + ["missing"],
        "32.02": ["reported", "reported", "late", "late", "reported", "reported", "reported"],
        "32.03": ["reported", "reported", "reported", "partial", "reported", "reported",
                  "reported"],
        "32.04": ["reported"] * 4 + ["revised", "reported", "reported"],
    }
    assert rs.revisions[["kode_wilayah", "rincian", "kolom", "lama", "baru"]].values.tolist(
        ) == [["32.04", "Pertemuan Pokja Kampung KB", "realisasi", 169_857_263.0,
               195_641_263.0]]
    late = rs.table[(rs.table["kode_wilayah"] == "32.02") & rs.table["terlambat"].fillna(
        False).astype(bool)]
    assert [f"{d:%d/%m/%Y}" for d in late["tanggal_lapor"]] == ["15/07/2024", "20/05/2024"]
    # coverage: Bogor's July is red (nothing in), everyone else's July is complete
    cov = rs.coverage[rs.coverage["periode"] == pd.Timestamp("2024-07-31")]
    assert dict(zip(cov["kode_wilayah"], cov["warna"], strict=True)) == {
        "32.01": "red", "32.02": "green", "32.03": "green", "32.04": "green"}
