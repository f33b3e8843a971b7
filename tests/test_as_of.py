"""Each kind at its own as-of (issue #16): a kind exported to June beside one exported to July
is projected at June, exactly as on its own; an OPD without a report for the report's period
stands at its latest, flagged and marked; an as-of beyond every report is refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import dak_monitor as dm
from dak_monitor.cli import main
from dak_monitor.datasets import make_export, write_export

REGIONS = ["32.01", "32.02", "32.03", "32.04", "32.05", "32.06", "32.07", "32.08"]
NF, FI = "nonfisik", "fisik"
COMPARED = ["kode_wilayah", "jenis_dak", "periode", "bulan", "pagu", "realisasi", "serapan",
            "proyeksi", "batas_bawah", "batas_atas", "p_di_bawah_ambang", "status", "metode"]


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return pd.concat([make_export(k, year=y, regions=REGIONS, seed=5)
                      for y in (2021, 2022, 2023) for k in (NF, FI)], ignore_index=True)


@pytest.fixture(scope="module")
def bokb_june() -> pd.DataFrame:
    return make_export(NF, year=2024, months=range(1, 7), regions=REGIONS, seed=5)


@pytest.fixture(scope="module")
def fisik_july() -> pd.DataFrame:
    return make_export(FI, year=2024, months=range(1, 8), regions=REGIONS, seed=5)


def _rows(proj: dm.Projection, kind: str) -> pd.DataFrame:
    t = proj.table
    return t.loc[t["jenis_dak"] == kind, COMPARED].reset_index(drop=True)


def test_each_kind_is_projected_at_its_own_latest_month(history: pd.DataFrame,
                                                        bokb_june: pd.DataFrame,
                                                        fisik_july: pd.DataFrame) -> None:
    mixed = dm.project_absorption(pd.concat([bokb_june, fisik_july], ignore_index=True),
                                  history=history)
    alone_nf = dm.project_absorption(bokb_june, history=history)
    alone_fi = dm.project_absorption(fisik_july, history=history)
    assert mixed.as_of == pd.Timestamp("2024-07-31")
    assert mixed.as_of_by_kind == {NF: pd.Timestamp("2024-06-30"),
                                   FI: pd.Timestamp("2024-07-31")}
    pd.testing.assert_frame_equal(_rows(mixed, NF), _rows(alone_nf, NF))
    pd.testing.assert_frame_equal(_rows(mixed, FI), _rows(alone_fi, FI))
    # Read as July (the old behaviour), June's BOKB figures would look a month behind.
    as_july = mixed.table[mixed.table["jenis_dak"] == NF]
    assert (as_july["bulan"] == 6).all()
    assert not as_july["dilaporkan"].any()  # no July BOKB report: every BOKB row marked
    assert mixed.table.loc[mixed.table["jenis_dak"] == FI, "dilaporkan"].all()
    assert any("BOKB" in n and "2024-06" in n and "2024-07" in n for n in mixed.notes)


def test_the_gap_is_flagged_and_marked_in_the_report(tmp_path: Path, history: pd.DataFrame,
                                                     bokb_june: pd.DataFrame,
                                                     fisik_july: pd.DataFrame) -> None:
    """End to end on files: a folder of a June BOKB export and a July DAK fisik one."""
    folder, hist = tmp_path / "exports", tmp_path / "history"
    folder.mkdir()
    hist.mkdir()
    write_export(bokb_june, folder / "bokb_juni.csv")
    write_export(fisik_july, folder / "fisik_juli.xlsx")
    for (year, kind), g in history.groupby(["tahun", "jenis_dak"]):
        write_export(g, hist / f"riwayat_{kind}_{year}.csv")
    result = dm.monitor(folder, history=hist)
    fl = result.flags
    missing = fl[fl["code"] == "report-missing"]
    assert set(zip(missing["kode_wilayah"], missing["jenis_dak"], strict=True)) == {
        (r, NF) for r in REGIONS}
    assert missing["message"].str.contains("No BOKB (nonfisik) report for 07/2024",
                                       regex=False).all()
    from dak_monitor._report_data import basis, ranking

    rank = ranking(result, "en")
    bokb = rank[rank["jenis_dak"] == NF]
    assert bokb["nama"].str.endswith(" *").all()
    assert bokb["data"].str.contains("latest report 06/2024").all()
    assert not rank.loc[rank["jenis_dak"] == FI, "data"].str.contains("latest report").any()
    lines = dict(basis(result, "en"))
    assert "BOKB (nonfisik) June 2024" in lines["As of, by DAK kind"]
    assert "DAK fisik July 2024" in lines["As of, by DAK kind"]
    out = tmp_path / "out"
    assert main(["report", str(folder), "--history", str(hist), "--out", str(out),
                 "--no-figures", "--quiet", "--lang", "en"]) == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "**BOKB (nonfisik)** as of June 2024 (its latest report)" in summary
    assert "No report for July 2024, projected from the latest" in summary


def test_an_opd_behind_stands_at_its_own_latest_report(history: pd.DataFrame,
                                                       bokb_june: pd.DataFrame) -> None:
    """32.03 did not send June: it is projected from May exactly as in a May report of
    everyone, flagged report-missing (not also s1-report-missing: June is the cut-off)."""
    lag = bokb_june[~((bokb_june["kode_wilayah"] == "32.03")
                      & (bokb_june["periode"] == pd.Timestamp("2024-06-30")))]
    proj = dm.project_absorption(lag, history=history)
    may = dm.project_absorption(lag, history=history, as_of="2024-05")
    row = proj.table.set_index("kode_wilayah").loc["32.03"]
    assert row["periode"] == pd.Timestamp("2024-05-31")
    assert not row["dilaporkan"]
    for col in ("proyeksi", "batas_bawah", "batas_atas", "p_di_bawah_ambang", "serapan"):
        assert row[col] == pytest.approx(may.table.set_index("kode_wilayah").loc["32.03", col])
    assert proj.table.set_index("kode_wilayah").drop(index="32.03")["dilaporkan"].all()
    assert list(proj.stale["kode_wilayah"]) == ["32.03"]
    flags = dm.flag_offices(lag, projection=proj)
    mine = set(flags.loc[flags["kode_wilayah"] == "32.03", "code"])
    assert "report-missing" in mine
    assert "s1-report-missing" not in mine  # one flag for one missing June report
    assert set(flags.loc[flags["code"] == "report-missing", "kode_wilayah"]) == {"32.03"}


def test_after_the_cut_off_both_missing_reports_are_named(history: pd.DataFrame) -> None:
    """Reports to August, 32.03 stopped after May: June (the cut-off) and August are missing."""
    f = make_export(NF, year=2024, months=range(1, 9), regions=REGIONS, seed=5)
    f = f[~((f["kode_wilayah"] == "32.03") & (f["periode"] > pd.Timestamp("2024-05-31")))]
    result = dm.flag_offices(f, projection=dm.project_absorption(f, history=history))
    mine = result[result["kode_wilayah"] == "32.03"].set_index("code")
    assert {"report-missing", "s1-report-missing"} <= set(mine.index)
    assert "08/2024" in mine.loc["report-missing", "message"]
    assert "05/2024" in mine.loc["report-missing", "message"]


def test_an_as_of_beyond_every_report_is_refused(tmp_path: Path, bokb_june: pd.DataFrame,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(dm.ProjectionError, match="the latest is 2024-06"):
        dm.project_absorption(bokb_june, as_of="2024-09")
    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(bokb_june, folder / "bokb.csv")
    out = tmp_path / "out"
    code = main(["report", str(folder), "--as-of", "2024-09", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "2024-09" in err and "the latest is 2024-06" in err
    assert not out.exists() or not any(out.iterdir())


def test_an_earlier_as_of_puts_every_kind_there(history: pd.DataFrame, bokb_june: pd.DataFrame,
                                                fisik_july: pd.DataFrame) -> None:
    mixed = dm.project_absorption(pd.concat([bokb_june, fisik_july], ignore_index=True),
                                  history=history, as_of="2024-05")
    assert mixed.as_of_by_kind == {NF: pd.Timestamp("2024-05-31"),
                                   FI: pd.Timestamp("2024-05-31")}
    assert mixed.table["dilaporkan"].all()
    assert mixed.stale.empty


def test_the_ranking_chart_stands_each_kind_at_its_own_period(history: pd.DataFrame,
                                                              bokb_june: pd.DataFrame) -> None:
    """The chart's title is the kind's own period; an OPD behind shows when its figures are
    from, and the legend says what that means."""
    import matplotlib.pyplot as plt

    lag = bokb_june[~((bokb_june["kode_wilayah"] == "32.03")
                      & (bokb_june["periode"] == pd.Timestamp("2024-06-30")))]
    proj = dm.project_absorption(lag, history=history)
    ax = dm.plot_projection_ranking(proj, jenis_dak=NF, lang="en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sum("(05/2024)" in lab for lab in labels) == 1
    assert "June 2024" in ax.get_title(loc="left")
    assert "(mm/yyyy) the OPD's latest report" in [t.get_text()
                                                   for t in ax.get_legend().get_texts()]
    plt.close(ax.figure)
