"""summary.md, the CSV tables and ``write_report`` (``dak_monitor._summary``)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import dak_monitor as dm

ROOT = Path(__file__).resolve().parents[1]
CURRENT = ROOT / "data_samples" / "current"
CSV_NAMES = ("projection.csv", "flags.csv", "problems.csv", "first_semester.csv")
#: Leading characters that make a spreadsheet read text as a formula (README, "The meeting
#: report": ``=``, ``+``, ``-``, ``@``, tab, CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def result(monitor_result: dm.MonitorResult) -> dm.MonitorResult:
    """The monitoring result of the shipped samples (the session's, computed once)."""
    return monitor_result


@pytest.fixture(scope="module")
def summary_text(report_dir: Path) -> str:
    """summary.md of the session's report."""
    return (report_dir / "summary.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> list[str]:
    """The lines of the Markdown section whose heading starts with ``heading``."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("## " + heading))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    return lines[start + 1:end]


def _md_table(lines: list[str]) -> pd.DataFrame:
    rows = [ln for ln in lines if ln.startswith("|")]
    split = [[c.strip() for c in re.split(r"(?<!\\)\|", r)[1:-1]] for r in rows]
    return pd.DataFrame(split[2:], columns=split[0])


def _short(name: str) -> str:
    return name.replace("Kabupaten ", "Kab. ")


# ==================================================================== moved from test_report
def test_export_text_is_neutralised(hostile_result: dm.MonitorResult, tmp_path: Path) -> None:
    """Text from exports cannot run as a formula in the workbook or the CSV tables."""
    res = hostile_result
    dm.write_report(res, tmp_path / "out", figures=False)
    wb = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not v.startswith(FORMULA_START), (ws.title, v)
                    seen += "HYPERLINK" in v or "=1+1" in v
    assert seen  # the hostile text is there, neutralised
    for name in CSV_NAMES:
        with (tmp_path / "out" / name).open(encoding="utf-8-sig", newline="") as fh:
            for rec in csv.reader(fh, delimiter=";"):
                for field in rec:
                    assert not field.startswith(FORMULA_START), (name, field)


def test_csv_tables_have_bom(result: dm.MonitorResult, tmp_path: Path) -> None:
    """CSVs for Excel start with a UTF-8 byte-order mark (Excel detects the encoding);
    those for tools do not."""
    (tmp_path / "x").mkdir()
    (tmp_path / "m").mkdir()
    for name, path in dm.write_csv_tables(result, tmp_path / "x").items():
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf", name
    for name, path in dm.write_csv_tables(result, tmp_path / "m", style="machine").items():
        assert path.read_bytes()[:3] != b"\xef\xbb\xbf", name


def test_summary_markdown(result: dm.MonitorResult, tmp_path: Path) -> None:
    """summary.md names every at-risk OPD and states what it rests on, in both languages."""
    path = dm.write_summary(result, tmp_path / "s.md")
    text = path.read_text(encoding="utf-8")
    risky = result.projection.table[result.projection.table.status != "on-track"]
    for name in risky["nama_wilayah"].str.replace("Kabupaten ", "Kab. "):
        assert name in text
    assert "Dasar laporan" in text
    assert "93%" in text
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


# ============================================================================ write_report
def test_report_folder_has_every_file(report_dir: Path) -> None:
    """write_report writes the workbook, the summary, four CSV tables and the figures — only."""
    top = sorted(p.name for p in report_dir.iterdir())
    assert top == sorted(["report.xlsx", "report.html", "summary.md", *CSV_NAMES, "figures"])
    pngs = list((report_dir / "figures").iterdir())
    assert pngs
    for p in pngs:
        assert p.suffix == ".png"
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for name in ("report.xlsx", "report.html", "summary.md", *CSV_NAMES):
        assert (report_dir / name).stat().st_size > 0, name


def test_write_report_returns_what_it_wrote(small_dir: Path, tmp_path: Path) -> None:
    """Without figures: the returned paths are exactly the files on disk, all inside the
    (new, nested) folder; nothing is written next to it."""
    res = dm.monitor(small_dir)
    folder = tmp_path / "a" / "b" / "laporan"
    written = dm.write_report(res, folder, figures=False)
    assert sorted(written) == sorted(["report.xlsx", "report.html", "summary.md", *CSV_NAMES])
    on_disk = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert {Path(p) for p in written.values()} == on_disk
    assert all(Path(p).parent == folder for p in written.values())
    assert not (folder / "figures").exists()


def test_write_report_progress(small_dir: Path, tmp_path: Path) -> None:
    """progress= is told about each output before it is written."""
    said: list[str] = []
    dm.write_report(dm.monitor(small_dir), tmp_path / "o", figures=False, progress=said.append)
    assert len(said) >= 3
    assert all(isinstance(m, str) and m for m in said)


def test_write_report_refuses_inputs_given(result: dm.MonitorResult, tmp_path: Path) -> None:
    """An extra input folder given with inputs= is refused as output folder; nothing written."""
    folder = tmp_path / "masuk"
    folder.mkdir()
    with pytest.raises(dm.OutputError):
        dm.write_report(result, folder, figures=False, inputs=[folder])
    assert list(folder.iterdir()) == []


# ================================================================================ summary.md
def test_summary_names_period_and_threshold(summary_text: str) -> None:
    """The title names the as-of month; the basis gives the as-of date and the 93 % threshold."""
    first = summary_text.splitlines()[0]
    assert first == "# Pemantauan serapan DAK — Juni 2024"
    basis = "\n".join(_section(summary_text, "Dasar laporan"))
    assert "- **Posisi data**: Juni 2024 (30/06/2024)" in basis
    assert "- **Ambang serapan**: 93%" in basis
    assert "- **Tahun riwayat**: 2021, 2022, 2023" in basis


def test_summary_at_risk_table_is_every_office_not_on_track(summary_text: str,
                                                            result: dm.MonitorResult) -> None:
    """The at-risk table lists exactly the OPD × kind not on track, lowest projection first."""
    table = _md_table(_section(summary_text, "OPD berisiko"))
    t = result.projection.table
    below = t[t["status"] != "on-track"]
    want = {(k, _short(n)) for k, n in zip(below["jenis_dak"], below["nama_wilayah"],
                                           strict=True)}
    kinds = {"BOKB (nonfisik)": "nonfisik", "DAK fisik": "fisik"}
    got = {(kinds[k], n.rstrip(" *")) for k, n in zip(table["Jenis DAK"], table["OPD"],
                                                      strict=True)}
    assert got == want
    assert len(table) == len(below)
    assert set(table["Status"]) <= {"berisiko", "diproyeksi meleset"}
    for _kind, g in table.groupby("Jenis DAK"):
        assert g["Proyeksi akhir tahun"].str.fullmatch(r"\d{1,3},\d%").all()
        proj = g["Proyeksi akhir tahun"].str.rstrip("%").str.replace(",", ".").astype(float)
        assert proj.is_monotonic_increasing


def test_summary_flag_counts(summary_text: str, result: dm.MonitorResult) -> None:
    """The flag table counts each code × severity of the flag catalogue."""
    table = _md_table(_section(summary_text, "Flag"))
    got = {c: int(n) for c, n in zip(table["Kode"], table["Jumlah"], strict=True)}
    want = result.flags.groupby("code").size().to_dict()
    assert got == want
    titles = dict(zip(table["Kode"], table["Flag"], strict=True))
    assert titles["will-miss-threshold"] == dm.FLAGS["will-miss-threshold"].title_id
    assert set(table["Tingkat"]) <= {"error", "peringatan", "info"}


def test_summary_row_counts(summary_text: str, result: dm.MonitorResult) -> None:
    """The data-problem section gives rows read = valid + quarantined + skipped."""
    v = result.validation.totals()
    text = " ".join(_section(summary_text, "Masalah data"))
    assert re.search(r"\d\.\d{3} baris dibaca = ", text)  # Indonesian thousands
    numbers = [int(x.replace(".", "")) for x in re.findall(r"\d[\d.]*\d|\d", text)[:4]]
    assert numbers == [v["rows_read"], v["rows_valid"], v["rows_quarantined"],
                       v["rows_skipped"]]
    assert numbers[0] == sum(numbers[1:])


def test_summary_figure_links_resolve(summary_text: str, report_dir: Path) -> None:
    """Figures are linked relative to summary.md, one link per PNG, each to an existing file."""
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", summary_text)
    pngs = sorted((report_dir / "figures").glob("*.png"))
    assert len(links) == len(pngs)
    for link in links:
        assert not Path(link).is_absolute()
        assert link.startswith("figures/")
        assert (report_dir / link).is_file()


def test_summary_with_nothing_at_risk(small_dir: Path, tmp_path: Path) -> None:
    """A 50 % threshold in March: the threshold shown is 50 %, and no OPD is listed at risk."""
    res = dm.monitor(small_dir, as_of="2024-03", threshold=0.5)
    assert (res.projection.table["status"] == "on-track").all()  # premise
    text = dm.write_summary(res, tmp_path / "s.md").read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith("Maret 2024")
    basis = "\n".join(_section(text, "Dasar laporan"))
    assert "- **Ambang serapan**: 50%" in basis
    risk = [ln for ln in _section(text, "OPD berisiko") if ln.strip()]
    assert not any(ln.startswith("|") for ln in risk)
    assert len(risk) == 1  # one line saying there is none


def test_summary_english(result: dm.MonitorResult, tmp_path: Path) -> None:
    """lang='en' gives English headings throughout and no Indonesian section names."""
    text = dm.write_summary(result, tmp_path / "e.md", lang="en").read_text(encoding="utf-8")
    heads = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert heads[0].startswith("# DAK absorption monitoring")
    assert "## Flags" in heads
    assert "## Data problems" in heads
    assert not any("Ringkasan" in h or "Masalah" in h for h in heads)


def test_write_summary_writes_only_its_file(result: dm.MonitorResult, tmp_path: Path) -> None:
    """write_summary writes the one file asked for and returns its path."""
    out = tmp_path / "ringkas.md"
    assert dm.write_summary(result, out) == out
    assert [p.name for p in tmp_path.iterdir()] == ["ringkas.md"]


def test_write_summary_refuses_an_input_file(tmp_path: Path) -> None:
    """write_summary over the export it summarises is an OutputError; the export is intact."""
    src = tmp_path / "data.csv"
    src.write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\n"
                   "2024;Juni 2024;32.05;BKB;1.000;500\n", encoding="utf-8")
    before = src.read_bytes()
    res = dm.monitor(src)
    with pytest.raises(dm.OutputError):
        dm.write_summary(res, src)
    assert src.read_bytes() == before


def test_write_summary_unwritable_is_output_error(result: dm.MonitorResult,
                                                  tmp_path: Path) -> None:
    """A summary path inside a 'folder' that is a file: OutputError naming it."""
    (tmp_path / "berkas").write_text("x")
    with pytest.raises(dm.OutputError, match="berkas"):
        dm.write_summary(result, tmp_path / "berkas" / "summary.md")


# ================================================================================ CSV tables
def test_csv_tables_are_the_result_tables(result: dm.MonitorResult, tmp_path: Path) -> None:
    """The machine style: each CSV has its table's columns and rows; dates are ISO; only the
    four files exist."""
    paths = dm.write_csv_tables(result, tmp_path, style="machine")
    assert sorted(paths) == sorted(CSV_NAMES)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(CSV_NAMES)
    tables = {"projection.csv": result.projection.table, "flags.csv": result.flags,
              "problems.csv": result.validation.problems,
              "first_semester.csv": result.first_semester.items}
    for name, frame in tables.items():
        back = pd.read_csv(paths[name], encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(back.columns) == list(frame.columns), name
        assert len(back) == len(frame), name
    proj = pd.read_csv(paths["projection.csv"], encoding="utf-8-sig", dtype=str)
    assert proj["periode"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert set(proj["periode"]) == {"2024-06-30"}
    assert proj["kode_wilayah"].tolist() == result.projection.table["kode_wilayah"].tolist()
    num = pd.read_csv(paths["projection.csv"])  # dot decimals, read as numbers
    assert num["proyeksi"].tolist() == pytest.approx(result.projection.table["proyeksi"])


@pytest.mark.parametrize(("lang", "sep", "decimal"), [("id", ";", ","), ("en", ",", ".")])
def test_csv_for_excel_reads_as_numbers(result: dm.MonitorResult, tmp_path: Path, lang: str,
                                        sep: str, decimal: str) -> None:
    """The Excel style, read as a spreadsheet in that locale reads it: Rupiah are whole
    numbers, shares percents with two decimals, dates ISO, headers for people, codes kept."""
    path = dm.write_csv_tables(result, tmp_path, lang=lang)["projection.csv"]
    t = result.projection.table
    back = pd.read_csv(path, sep=sep, decimal=decimal, encoding="utf-8-sig",
                       dtype={"Kode wilayah": str, "Region code": str})
    code = "Kode wilayah" if lang == "id" else "Region code"
    assert back[code].tolist() == t["kode_wilayah"].tolist()
    pagu = back["Pagu (Rp)"]
    assert pagu.dtype.kind in "if" and pagu.tolist() == pytest.approx(t["pagu"].tolist())
    proj = back["Proyeksi akhir tahun" if lang == "id" else "Projected year end"]
    pct = proj.str.rstrip("%").str.replace(decimal, ".", regex=False).astype(float) / 100
    assert pct.tolist() == pytest.approx(t["proyeksi"].tolist(), abs=5e-5)
    assert back["Kode status" if lang == "id" else "Status code"].tolist() == t["status"].tolist()
    assert back["Periode" if lang == "id" else "Period"].str.fullmatch(
        r"\d{4}-\d{2}-\d{2}").all()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_csv_for_excel_opens_as_numbers_in_an_indonesian_spreadsheet(
        result: dm.MonitorResult, tmp_path: Path) -> None:
    """Opened by LibreOffice with the Indonesian locale (as Excel opens a double-clicked
    CSV with the system's): money and shares are numbers, shares formatted as percents,
    dates are dates, region codes stay text."""
    path = dm.write_csv_tables(result, tmp_path)["projection.csv"]
    subprocess.run(["soffice", "--headless", "--infilter=CSV:59,34,76,1,,1057",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    ws = openpyxl.load_workbook(tmp_path / "projection.xlsx").active
    head = [c.value for c in ws[1]]
    row = [c for c in ws[2]]
    cell = dict(zip(head, row, strict=True))
    assert cell["Kode wilayah"].value == result.projection.table["kode_wilayah"].iloc[0]
    assert isinstance(cell["Pagu (Rp)"].value, (int, float))
    assert isinstance(cell["Proyeksi akhir tahun"].value, float)
    assert cell["Proyeksi akhir tahun"].number_format.endswith("%")
    assert cell["Periode"].is_date


@pytest.mark.parametrize(("name", "text"), [("first_semester.csv", '=HYPERLINK("http://evil")'),
                                            ("first_semester.csv", "+cmd"),
                                            ("problems.csv", "=1+1")])
def test_csv_formula_text_is_prefixed(hostile_result: dm.MonitorResult, tmp_path: Path,
                                      name: str, text: str) -> None:
    """Formula-looking export text is in the CSV with a leading apostrophe, never bare."""
    path = dm.write_csv_tables(hostile_result, tmp_path)[name]
    with path.open(encoding="utf-8-sig", newline="") as fh:
        fields = [f for rec in csv.reader(fh, delimiter=";") for f in rec]
    assert "'" + text in fields
    assert text not in fields


def test_csv_tables_unwritable_folder(result: dm.MonitorResult, tmp_path: Path) -> None:
    """A missing folder: OutputError (write_csv_tables does not create folders)."""
    with pytest.raises(dm.OutputError):
        dm.write_csv_tables(result, tmp_path / "tidak_ada")
    assert list(tmp_path.iterdir()) == []
