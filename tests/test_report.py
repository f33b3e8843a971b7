"""Tests of the meeting report: workbook, summary, CSV tables, write_report and the CLI."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import dak_monitor as dm
from dak_monitor._text import FORMULA_PREFIXES
from dak_monitor.cli import main

ROOT = Path(__file__).resolve().parents[1]
CURRENT = ROOT / "data_samples" / "current"
HISTORY = ROOT / "data_samples" / "history"
FAULTY = ROOT / "data_samples" / "faulty"


@pytest.fixture(scope="module")
def result() -> dm.MonitorResult:
    """The monitoring result of the shipped samples (computed once)."""
    return dm.monitor(CURRENT, history=HISTORY)


@pytest.fixture(scope="module")
def workbook(result: dm.MonitorResult, tmp_path_factory: pytest.TempPathFactory
             ) -> openpyxl.Workbook:
    """The workbook written for the samples, re-read with openpyxl."""
    path = tmp_path_factory.mktemp("wb") / "report.xlsx"
    dm.write_excel_report(result, path)
    return openpyxl.load_workbook(path)


def _header_row(ws: openpyxl.worksheet.worksheet.Worksheet, first: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no header starting with {first!r}")


def test_workbook_sheets(workbook: openpyxl.Workbook) -> None:
    """The workbook has the sheets the meeting needs, in order."""
    assert workbook.sheetnames[:5] == ["Ringkasan", "Proyeksi", "Flag", "Semester I",
                                       "Masalah Data"]


def test_ringkasan_states_its_basis(workbook: openpyxl.Workbook, result: dm.MonitorResult
                                    ) -> None:
    """Ringkasan states as-of, threshold, version, input files and row counts."""
    ws = workbook["Ringkasan"]
    values = {r[0]: r[1] for r in ws.iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}
    assert "2024" in values["Posisi data / as of"]
    assert values["Ambang serapan / threshold"] == "93%"
    assert values["Versi dak_monitor"] == dm.__version__
    files = values["File masukan / input files"]
    assert all(Path(f).name in files for f in result.export.files["sumber_file"])
    totals = result.validation.totals()
    assert values["Baris dibaca / rows read"] == totals["rows_read"]
    assert values["Dikarantina / quarantined"] == totals["rows_quarantined"]


def test_ranking_is_sorted_and_formatted(workbook: openpyxl.Workbook,
                                         result: dm.MonitorResult) -> None:
    """The ranking lists every OPD × kind, lowest projection first, as percents."""
    ws = workbook["Ringkasan"]
    head = _header_row(ws, "Jenis DAK")
    headers = [c.value for c in ws[head]]
    rows = list(ws.iter_rows(min_row=head + 1, max_row=head + len(result.projection.table),
                             values_only=True))
    frame = pd.DataFrame(rows, columns=headers[:len(rows[0])])
    assert len(frame) == len(result.projection.table)
    for _kind, g in frame.groupby("Jenis DAK"):
        assert g["Proyeksi akhir tahun"].is_monotonic_increasing
    col = headers.index("Proyeksi akhir tahun") + 1
    assert ws.cell(head + 1, col).number_format == "0.0%"
    assert ws.cell(head + 1, headers.index("Pagu (Rp)") + 1).number_format == "#,##0"


def test_status_conditional_colours(workbook: openpyxl.Workbook) -> None:
    """Statuses and severities are coloured by real conditional formats."""
    for name in ("Ringkasan", "Proyeksi", "Flag"):
        rules = [r for cf in workbook[name].conditional_formatting for r in cf.rules]
        formulas = " ".join(" ".join(r.formula) for r in rules)
        assert rules, name
        assert ("will-miss" in formulas) or ("error" in formulas)


def test_frozen_headers_and_filters(workbook: openpyxl.Workbook) -> None:
    """Data sheets freeze their header row and have filters."""
    for name in ("Proyeksi", "Flag", "Masalah Data"):
        ws = workbook[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref


def test_no_formula_cells(workbook: openpyxl.Workbook) -> None:
    """No cell of the workbook is a formula."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export whose text cells try formula injection, and one bad row to quarantine."""
    d = tmp_path_factory.mktemp("hostile")
    (d / "x.csv").write_text(
        "Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Rincian;Pagu;Realisasi;Keterangan\n"
        '2024;Juni 2024;32.05;Kab. Garut;=HYPERLINK("http://evil");+cmd;1.000;0;@SUM(1)\n'
        "2024;Juni 2024;32.05;Kab. Garut;-2+3;\tx;1.000;=1+1;ok\n"
        "2024;Juni 2024;32.79;Kota Banjar;BKB;;1.000;500;ok\n", encoding="utf-8")
    return d


def test_export_text_is_neutralised(hostile: Path, tmp_path: Path) -> None:
    """Text from exports cannot run as a formula in the workbook or the CSV tables."""
    res = dm.monitor(hostile)
    dm.write_report(res, tmp_path / "out", figures=False)
    wb = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not v.startswith(FORMULA_PREFIXES), (ws.title, v)
                    seen += "HYPERLINK" in v or "=1+1" in v
    assert seen  # the hostile text is there, neutralised
    for name in ("projection.csv", "flags.csv", "problems.csv", "first_semester.csv"):
        with (tmp_path / "out" / name).open(encoding="utf-8-sig", newline="") as fh:
            for rec in csv.reader(fh):
                for field in rec:
                    assert not field.startswith(FORMULA_PREFIXES), (name, field)


def test_quarantined_opd_marked_incomplete(hostile: Path, tmp_path: Path) -> None:
    """An OPD with quarantined rows is marked data-incomplete in the ranking and flags."""
    res = dm.monitor(hostile)
    garut = res.projection.table[res.projection.table.kode_wilayah == "32.05"]
    assert not garut["data_lengkap"].any()
    assert ((res.flags.code == "data-incomplete") & (res.flags.kode_wilayah == "32.05")).any()
    path = dm.write_excel_report(res, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["Ringkasan"]
    names = [r for r in ws.iter_rows(values_only=True) if r and r[2] == "32.05"]
    assert names and names[0][3].endswith(" *")
    assert "data tidak lengkap" in names[0]


def test_csv_tables_have_bom(result: dm.MonitorResult, tmp_path: Path) -> None:
    """CSV tables start with a UTF-8 byte-order mark and re-read to the same shape."""
    paths = dm.write_csv_tables(result, tmp_path)
    for name, path in paths.items():
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf", name
    proj = pd.read_csv(paths["projection.csv"], encoding="utf-8-sig", dtype={"kode_wilayah": str})
    assert len(proj) == len(result.projection.table)
    assert set(proj["kode_wilayah"]) == set(result.projection.table["kode_wilayah"])


def test_summary_markdown(result: dm.MonitorResult, tmp_path: Path) -> None:
    """summary.md names every at-risk OPD and states what it rests on, in both languages."""
    path = dm.write_summary(result, tmp_path / "s.md")
    text = path.read_text(encoding="utf-8")
    risky = result.projection.table[result.projection.table.status != "on-track"]
    for name in risky["nama_wilayah"].str.replace("Kabupaten ", "Kab. "):
        assert name in text
    assert "Dasar laporan" in text and "93%" in text
    en = dm.write_summary(result, tmp_path / "e.md", lang="en").read_text(encoding="utf-8")
    assert "What this report rests on" in en


def test_write_report_refuses_input_folder(result: dm.MonitorResult) -> None:
    """The output folder may not be an input folder."""
    with pytest.raises(dm.OutputError, match="input"):
        dm.write_report(result, CURRENT, figures=False)


def test_write_report_folder_is_a_file(result: dm.MonitorResult, tmp_path: Path) -> None:
    """An output 'folder' that is a file gives OutputError, not a traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(dm.OutputError):
        dm.write_report(result, blocker / "sub", figures=False)


def test_workbook_locked_gives_clear_error(result: dm.MonitorResult, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook that cannot be replaced (open in Excel) gives a clear OutputError."""
    def locked(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(dm.OutputError, match="open in Excel"):
        dm.write_excel_report(result, tmp_path / "report.xlsx")
    assert not list(tmp_path.glob("*.tmp.xlsx"))


# -------------------------------------------------------------------------------- CLI
def test_cli_report_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`dak-monitor report` writes every file and exits 0 on the clean samples."""
    out = tmp_path / "rep"
    code = main(["report", str(CURRENT), "--history", str(HISTORY), "--out", str(out),
                 "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    for name in ("report.xlsx", "summary.md", "projection.csv", "flags.csv", "problems.csv"):
        assert (out / name).stat().st_size > 0, name
    pngs = list((out / "figures").glob("*.png"))
    assert pngs
    assert "report.xlsx" in captured.out


def test_cli_report_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--fail-on error exits 1 when the data have errors; without it the report exits 0."""
    args = ["report", str(FAULTY), "--out", str(tmp_path / "o"), "--quiet", "--no-figures"]
    assert main(args) == 0
    assert main([*args, "--fail-on", "error"]) == 1
    capsys.readouterr()


def test_cli_report_refuses_to_overwrite_input(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Pointing --out at the input folder is refused with exit 2 and one line."""
    code = main(["report", str(CURRENT), "--out", str(CURRENT), "--quiet", "--no-figures"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("dak-monitor: error:") and "Traceback" not in err


@pytest.mark.parametrize("command", ["project", "flags"])
def test_cli_tables_json(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`project` and `flags` print JSON records a tool can parse."""
    assert main([command, str(CURRENT), "--history", str(HISTORY), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert isinstance(doc, list) and doc
    assert "kode_wilayah" in doc[0]


def test_cli_report_on_ascii_console(tmp_path: Path) -> None:
    """The report command does not crash on a console that cannot print non-ASCII."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", "dak_monitor", "report", str(CURRENT), "--out",
         str(tmp_path / "o"), "--no-figures"], capture_output=True, env=env, timeout=300,
        check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert b"Traceback" not in proc.stderr
