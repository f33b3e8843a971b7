"""A folder that one bad file cannot stop (issue #16): unrelated, empty, broken and
misspelled-header files beside the shipped samples are each named with their reason, and the
report is written on the rest; ``strict_files`` makes any of them fatal; a file named on its
own still is."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

import dak_monitor as dm
from dak_monitor.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
CURRENT, HISTORY = SAMPLES / "current", SAMPLES / "history"
JUNE_FISIK = "fisik_jabar_2024_06.csv"
LAGGING = "32.01"  # its June DAK fisik rows go to a file with a misspelled header


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The current samples, with one office's June DAK fisik rows moved to a file whose
    header misspells Realisasi, plus a contact list, an empty file and a broken workbook."""
    d = tmp_path_factory.mktemp("mixed") / "exports"
    shutil.copytree(CURRENT, d)
    # The June file is a Windows-1252 CSV: split it with the csv module, by the code column.
    with (d / JUNE_FISIK).open(encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    head = next(i for i, r in enumerate(rows) if r and r[0].startswith("KODE"))
    mine = [r for r in rows[head + 1:] if r and r[0] == LAGGING]
    assert mine, "the sample has rows of the office"
    rest = [r for r in rows if r not in mine]
    with (d / JUNE_FISIK).open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rest)
    bad_head = [c.replace("Realisasi", "Realsasi") for c in rows[head]]
    with (d / "fisik_3201_juni.csv").open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([bad_head, *mine])
    (d / "kontak_opd.csv").write_text("No;Nama;Jabatan;Telepon\n1;Budi;Kepala Bidang;0812\n",
                                      encoding="utf-8")
    (d / "kosong.csv").write_bytes(b"")
    workbook = next(CURRENT.glob("*.xlsx")).read_bytes()
    (d / "rusak.xlsx").write_bytes(workbook[: len(workbook) // 3])  # a cut-off download
    return d


@pytest.fixture(scope="module")
def result(folder: Path) -> dm.MonitorResult:
    return dm.monitor(folder, history=HISTORY)


def test_each_bad_file_is_named_with_its_reason(result: dm.MonitorResult) -> None:
    fp = result.export.file_problems
    got = {Path(f).name: m for f, m in zip(fp["sumber_file"], fp["masalah"], strict=True)}
    assert got == {"kontak_opd.csv": "not-an-export", "kosong.csv": "empty",
                   "rusak.xlsx": "unreadable", "fisik_3201_juni.csv": "columns-missing"}
    misspelled = fp[fp["masalah"] == "columns-missing"].iloc[0]
    assert misspelled["jenis_dak"] == "fisik"
    assert misspelled["wilayah"] == (LAGGING,)
    assert "realisasi" in misspelled["keterangan"]
    problems = result.validation.problems
    unread = problems[problems["code"] == "file-not-read"]
    assert sorted(Path(f).name for f in unread["file"]) == sorted(got)
    assert (unread["severity"] == "error").all()
    assert unread["row"].isna().all()
    by_file = dict(zip(unread["file"].map(lambda f: Path(f).name), unread["message"],
                       strict=True))
    assert "not a DAK export" in by_file["kontak_opd.csv"]
    assert "the file is empty" in by_file["kosong.csv"]
    assert "cannot be opened" in by_file["rusak.xlsx"]
    assert f"OPDs whose figures it carries: {LAGGING}" in by_file["fisik_3201_juni.csv"]


def test_the_good_files_are_read_and_every_row_is_accounted_for(
        result: dm.MonitorResult) -> None:
    alone = dm.read_export(CURRENT)
    t = result.validation.totals()
    assert t["rows_read"] == t["rows_valid"] + t["rows_quarantined"] + t["rows_skipped"]
    ex = result.export
    assert ex.rows_read == len(ex.data) + len(ex.skipped)
    refused = ex.skipped[ex.skipped["alasan"] == "refused"]
    assert set(refused["sumber_file"].map(lambda f: Path(f).name)) == {"fisik_3201_juni.csv"}
    # Nothing else of the good files was lost: the same rows as the samples, less the office's
    # June DAK fisik rows that sit in the refused file.
    assert len(ex.data) == len(alone.data) - len(refused) + 1  # its header row was skipped too
    ranked = set(result.projection.table["kode_wilayah"])
    assert ranked == set(alone.data["kode_wilayah"])


def test_the_office_of_the_misspelled_file_is_marked_incomplete(
        result: dm.MonitorResult) -> None:
    t = result.projection.table.set_index(["kode_wilayah", "jenis_dak"])
    assert not t.loc[(LAGGING, "fisik"), "data_lengkap"]
    assert t.loc[(LAGGING, "fisik"), "periode"] == pd.Timestamp("2024-05-31")  # its May report
    assert t.drop(index=[(LAGGING, "fisik")])["data_lengkap"].sum() >= len(t) - 1 - int(
        (t["baris_karantina"] > 0).sum())
    fl = result.flags
    mine = set(fl.loc[(fl["kode_wilayah"] == LAGGING) & (fl["jenis_dak"] == "fisik"), "code"])
    assert {"unread-file", "report-missing"} <= mine
    from dak_monitor._report_data import ranking

    row = ranking(result, "en").set_index(["kode_wilayah", "jenis_dak"]).loc[(LAGGING, "fisik")]
    assert row["nama"].endswith(" *")
    assert "data incomplete" in row["data"]


def test_the_cli_writes_the_report_on_the_rest(folder: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["report", str(folder), "--history", str(HISTORY), "--out", str(out),
                 "--no-figures", "--quiet", "--lang", "en"]) == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "**4 file(s) of the folder not read**" in summary
    for name in ("kontak_opd.csv", "kosong.csv", "rusak.xlsx", "fisik_3201_juni.csv"):
        assert name in summary
    assert "Files not read:" in summary
    incomplete = next(line for line in summary.splitlines()
                      if line.startswith("- Data incomplete (quarantined rows, or a file not read)"))
    assert "Kabupaten Bogor" in incomplete  # 32.01, whose June DAK fisik file was not read
    capsys.readouterr()
    assert main(["report", str(folder), "--history", str(HISTORY), "--out", str(out),
                 "--no-figures", "--quiet", "--fail-on", "error"]) == 1
    assert main(["validate", str(folder)]) == 1
    capsys.readouterr()


def test_strict_files_makes_a_bad_file_fatal(folder: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(dm.DakMonitorError):
        dm.read_export(folder, strict_files=True)
    out = tmp_path / "out"
    code = main(["report", str(folder), "--out", str(out), "--quiet", "--strict-files"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("dak-monitor: error: ")
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("name", ["kontak_opd.csv", "rusak.xlsx", "fisik_3201_juni.csv"])
def test_a_file_named_on_its_own_still_stops(folder: Path, name: str) -> None:
    with pytest.raises(dm.ExportFormatError) as err:
        dm.read_export(folder / name)
    assert name in str(err.value)


def test_a_history_folder_is_forgiving_too(tmp_path: Path) -> None:
    hist = tmp_path / "history"
    shutil.copytree(HISTORY, hist)
    (hist / "catatan.csv").write_text("Catatan\nRiwayat 2021-2023\n", encoding="utf-8")
    result = dm.monitor(CURRENT, history=hist)
    assert result.history is not None
    assert [Path(f).name for f in result.history.export.file_problems["sumber_file"]] == [
        "catatan.csv"]


def test_a_file_of_another_year_goes_to_the_history_and_says_so(tmp_path: Path) -> None:
    d = tmp_path / "exports"
    shutil.copytree(CURRENT, d)
    shutil.copy(HISTORY / "fisik_jabar_2023.xlsx", d)
    result = dm.monitor(d)
    files = result.export.files.assign(name=result.export.files["sumber_file"].map(
        lambda f: Path(f).name))
    assert set(files.loc[files["name"] == "fisik_jabar_2023.xlsx", "tahun_data"]) == {"2023"}
    assert set(files.loc[files["name"] != "fisik_jabar_2023.xlsx", "tahun_data"]) == {"2024"}
    assert result.projection.as_of == pd.Timestamp("2024-06-30")
    assert any("fiscal year(s) 2023 in the current exports are used as history" in n
               and "fisik_jabar_2023.xlsx" in n for n in result.projection.notes)
    doc = result.export.to_dict()
    assert {tuple(f["years"]) for f in doc["files"]} == {(2023,), (2024,)}
