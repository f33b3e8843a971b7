"""The meeting workbook (``dak_monitor._excel.write_excel_report``), read back with openpyxl."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import dak_monitor as dm

ROOT = Path(__file__).resolve().parents[1]
CURRENT = ROOT / "data_samples" / "current"
FAULTY = ROOT / "data_samples" / "faulty"
#: Leading characters that make a spreadsheet read text as a formula (README, "The meeting
#: report": ``=``, ``+``, ``-``, ``@``, tab, CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def result(monitor_result: dm.MonitorResult) -> dm.MonitorResult:
    """The monitoring result of the shipped samples (the session's, computed once)."""
    return monitor_result


@pytest.fixture(scope="module")
def workbook(result: dm.MonitorResult, tmp_path_factory: pytest.TempPathFactory
             ) -> openpyxl.Workbook:
    """The workbook written for the samples, re-read with openpyxl."""
    path = tmp_path_factory.mktemp("wb") / "report.xlsx"
    dm.write_excel_report(result, path)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def workbook_en(result: dm.MonitorResult, tmp_path_factory: pytest.TempPathFactory
                ) -> openpyxl.Workbook:
    """The same workbook in English."""
    path = tmp_path_factory.mktemp("wb_en") / "report.xlsx"
    dm.write_excel_report(result, path, lang="en")
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def hostile_workbook(hostile_result: dm.MonitorResult,
                     tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    """The workbook of the formula-injection export."""
    path = tmp_path_factory.mktemp("wb_hostile") / "report.xlsx"
    dm.write_excel_report(hostile_result, path)
    return openpyxl.load_workbook(path)


def _header_row(ws: openpyxl.worksheet.worksheet.Worksheet, first: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        if row[0].value == first:
            return row[0].row
    pytest.fail(f"no header starting with {first!r}")


def _sheet_frame(ws: openpyxl.worksheet.worksheet.Worksheet, header_row: int = 1,
                 n: int | None = None) -> pd.DataFrame:
    """The table whose header is on ``header_row`` (``n`` rows, default: to the end)."""
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    head = [h for h in rows[0] if h is not None]
    body = [r[:len(head)] for r in rows[1:(n + 1 if n is not None else None)]]
    return pd.DataFrame(body, columns=head)


# ==================================================================== moved from test_report
def test_workbook_sheets(workbook: openpyxl.Workbook) -> None:
    """The workbook has the sheets the meeting needs, in order."""
    assert workbook.sheetnames[:7] == ["Ringkasan", "Peringkat", "Proyeksi", "Flag",
                                       "Semester I", "Masalah Data", "Berkas"]


def test_ringkasan_states_its_basis(workbook: openpyxl.Workbook, result: dm.MonitorResult
                                    ) -> None:
    """Ringkasan states as-of, threshold, version, input files and row counts."""
    ws = workbook["Ringkasan"]
    values = {r[0]: r[2] for r in ws.iter_rows(min_col=1, max_col=3, values_only=True) if r[0]}
    assert values["Posisi data"] == "Juni 2024 (30/06/2024)"
    assert values["Ambang serapan"] == "93%"
    assert values["Versi dak_monitor"] == dm.__version__
    files = values["Berkas masukan"]
    assert all(Path(f).name in files for f in result.export.files["sumber_file"])
    totals = result.validation.totals()
    assert values["Baris dibaca"] == totals["rows_read"]
    assert values["Dikarantina"] == totals["rows_quarantined"]


def test_ranking_is_sorted_and_formatted(workbook: openpyxl.Workbook,
                                         result: dm.MonitorResult) -> None:
    """The ranking lists every OPD × kind, lowest projection first, as percents."""
    ws = workbook["Peringkat"]
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
        assert ("diproyeksi meleset" in formulas) or ("error" in formulas)


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


def test_quarantined_opd_marked_incomplete(hostile_result: dm.MonitorResult,
                                           tmp_path: Path) -> None:
    """An OPD with quarantined rows is marked data-incomplete in the ranking and flags."""
    res = hostile_result
    garut = res.projection.table[res.projection.table.kode_wilayah == "32.05"]
    assert not garut["data_lengkap"].any()
    assert ((res.flags.code == "data-incomplete") & (res.flags.kode_wilayah == "32.05")).any()
    path = dm.write_excel_report(res, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["Peringkat"]
    names = [r for r in ws.iter_rows(values_only=True) if r and r[2] == "32.05"]
    assert names
    assert names[0][3].endswith(" *")
    assert "data tidak lengkap" in names[0]


def test_workbook_locked_gives_clear_error(result: dm.MonitorResult, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook that cannot be replaced (open in Excel) gives a clear OutputError."""
    def locked(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(dm.OutputError, match="open in Excel"):
        dm.write_excel_report(result, tmp_path / "report.xlsx")
    assert not list(tmp_path.glob("*.tmp.xlsx"))


# ======================================================================== sheets and headers
def test_no_grafik_sheet_without_figures(workbook: openpyxl.Workbook) -> None:
    """Without figures there is no empty Grafik sheet."""
    assert workbook.sheetnames == ["Ringkasan", "Peringkat", "Proyeksi", "Flag", "Semester I",
                                   "Masalah Data", "Berkas", "Pelaporan"]


def test_grafik_sheet_embeds_every_figure(report_dir: Path) -> None:
    """With figures (write_report), the Grafik sheet comes last and every PNG is embedded."""
    path = report_dir / "report.xlsx"
    assert openpyxl.load_workbook(path).sheetnames[-1] == "Grafik"
    pngs = sorted((report_dir / "figures").glob("*.png"))
    assert pngs
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        embedded = sorted(z.read(n) for n in media)
    assert embedded == sorted(p.read_bytes() for p in pngs)
    titles = {c for row in openpyxl.load_workbook(path)["Grafik"].iter_rows(values_only=True)
              for c in row if c}
    assert {p.stem for p in pngs} <= titles


_STATUS_ID = {"on-track": "sesuai target", "at-risk": "berisiko",
              "will-miss": "diproyeksi meleset"}


def test_proyeksi_sheet_is_the_projection_table(workbook: openpyxl.Workbook,
                                                result: dm.MonitorResult) -> None:
    """Proyeksi has the projection table's rows, in order, under headers for people; the
    status reads as its label, its code kept in the last column for filters and tools."""
    t = result.projection.table
    frame = _sheet_frame(workbook["Proyeksi"])
    assert len(frame) == len(t)
    assert frame["Kode wilayah"].tolist() == t["kode_wilayah"].tolist()
    assert frame["Status"].tolist() == [_STATUS_ID[c] for c in t["status"]]
    assert frame["Kode status"].tolist() == t["status"].tolist()
    assert frame["Proyeksi akhir tahun"].astype(float).tolist() == pytest.approx(
        t["proyeksi"].tolist())
    assert frame["Pagu (Rp)"].astype(float).tolist() == pytest.approx(t["pagu"].tolist())
    assert set(frame["Data lengkap"]) <= {"ya", "tidak"}
    marked = frame["OPD (kabupaten/kota)"].str.endswith(" *")
    assert marked.tolist() == (~t["data_lengkap"]).tolist()
    assert not [c for c in frame.columns if "_" in c]  # no raw column name left


def test_flag_and_problem_headers(workbook: openpyxl.Workbook, workbook_en: openpyxl.Workbook,
                                  result: dm.MonitorResult) -> None:
    """Flag and Masalah Data carry OPD, code, severity and the message in the report's
    language; problems keep file/sheet/row."""
    flag_id = [c.value for c in workbook["Flag"][1]]
    flag_en = [c.value for c in workbook_en["Flag"][1]]
    assert flag_id[:7] == ["Kode wilayah", "OPD (kabupaten/kota)", "Jenis DAK", "Flag",
                           "Tingkat", "Pesan", "Jumlah item"]
    assert flag_en[:7] == ["Region code", "OPD (district)", "DAK kind", "Flag", "Severity",
                           "Message", "Items"]
    assert flag_id[-3:] == ["Kode", "Kode tingkat", "Kode jenis DAK"]
    assert workbook["Flag"].max_row == len(result.flags) + 1
    messages = {c.value for c in workbook["Flag"]["F"][1:]}
    assert messages == set(result.flags["pesan"])
    assert {c.value for c in workbook_en["Flag"]["F"][1:]} == set(result.flags["message"])
    probs = [c.value for c in workbook["Masalah Data"][1]]
    assert probs[:6] == ["Berkas", "Lembar", "Baris", "Kolom", "Tingkat", "Nilai tertulis"]


def test_english_ranking_and_title(workbook_en: openpyxl.Workbook) -> None:
    """lang='en': English title and ranking headers, the same sheet names."""
    ws = workbook_en["Ringkasan"]
    assert "monitoring report" in ws["A1"].value
    assert ws["A1"].value.endswith("June 2024")
    ws = workbook_en["Peringkat"]
    head = _header_row(ws, "DAK kind")
    headers = [c.value for c in ws[head] if c.value]
    assert {"Rank", "Projected year end", "Status", "Main reason"} <= set(headers)
    assert "Peringkat" not in headers


def test_masalah_data_lists_every_problem(tmp_path: Path) -> None:
    """The faulty samples: one row per validation problem, with its file, row and code."""
    res = dm.monitor(FAULTY)
    probs = res.validation.problems
    assert len(probs)
    path = dm.write_excel_report(res, tmp_path / "r.xlsx", lang="en")
    frame = _sheet_frame(openpyxl.load_workbook(path)["Masalah Data"])
    assert len(frame) == len(probs)
    got = sorted(zip(frame["File"], frame["Row"].fillna(-1).astype(int), frame["Code"],
                     strict=True))
    want = sorted(zip(probs["file"], probs["row"].fillna(-1).astype(int), probs["code"],
                      strict=True))
    assert got == want


# ===================================================================== conditional formats
_RULE = re.compile(r'^\$([A-Z]+)(\d+)="([^"]+)"$')


def _rgb(colour: str) -> tuple[int, int, int]:
    h = colour[-6:]
    return int(h[:2], 16), int(h[2:4], 16), int(h[4:], 16)


def _applied(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, tuple[str, set[int]]]:
    """Evaluate the sheet's 'column = key' conditional formats: key -> (fill, rows coloured)."""
    out: dict[str, tuple[str, set[int]]] = {}
    for cf in ws.conditional_formatting:
        (min_col, min_row, max_col, max_row), = [r.bounds for r in cf.sqref.ranges]
        assert min_col == 1
        assert max_col == ws.max_column  # the whole row is coloured
        for rule in cf.rules:
            m = _RULE.match(rule.formula[0])
            assert m, rule.formula
            letter, row, key = m.groups()
            assert int(row) == min_row  # relative to the first coloured row
            col = openpyxl.utils.column_index_from_string(letter)
            rows = {r for r in range(min_row, max_row + 1) if ws.cell(r, col).value == key}
            assert key not in out
            out[key] = (rule.dxf.fill.bgColor.rgb, rows)
    return out


def test_status_colours_follow_the_status_cell(workbook: openpyxl.Workbook) -> None:
    """On Proyeksi, a row is coloured by its own status cell: green on track, amber at risk,
    red-orange will miss; every row gets exactly one status colour."""
    ws = workbook["Proyeksi"]
    status_col = [c.value for c in ws[1]].index("Status") + 1
    applied = _applied(ws)
    statuses = {ws.cell(r, status_col).value for r in range(2, ws.max_row + 1)}
    assert statuses == set(_STATUS_ID.values())
    assert set(applied) == statuses
    for key, (_fill, rows) in applied.items():
        assert rows == {r for r in range(2, ws.max_row + 1)
                        if ws.cell(r, status_col).value == key}
    assert len({fill for fill, _ in applied.values()}) == 3
    on, risk, miss = (applied[_STATUS_ID[c]][0] for c in ("on-track", "at-risk", "will-miss"))
    r, g, b = _rgb(on)
    assert g > max(r, b)
    r, g, b = _rgb(miss)
    assert r > g > b
    r, g, b = _rgb(risk)
    assert min(r, g) > b
    assert _rgb(risk)[1] > _rgb(miss)[1]  # yellower


def test_severity_colours_on_flags(workbook: openpyxl.Workbook) -> None:
    """On Flag, rows are coloured by severity; errors red-orange, warnings yellower."""
    ws = workbook["Flag"]
    sev_col = [c.value for c in ws[1]].index("Tingkat") + 1
    applied = _applied(ws)
    present = {ws.cell(r, sev_col).value for r in range(2, ws.max_row + 1)}
    assert {"error", "peringatan"} <= present <= set(applied)
    for key in present:
        assert applied[key][1] == {r for r in range(2, ws.max_row + 1)
                                   if ws.cell(r, sev_col).value == key}
    assert applied["error"][0] != applied["peringatan"][0]
    r, g, b = _rgb(applied["error"][0])
    assert r > g > b


def test_ranking_colours_start_below_its_header(workbook: openpyxl.Workbook) -> None:
    """The agenda table in Ringkasan is coloured from its first data row, by its Status
    column; only OPDs not on track are on it."""
    ws = workbook["Ringkasan"]
    head = next(r[0].row for r in ws.iter_rows() if r[0].value == "Jenis DAK"
                and "Status" in [c.value for c in r])
    status_col = [c.value for c in ws[head]].index("Status") + 1
    assert {ws.cell(r, status_col).value for r in range(head + 1, head + 4)} <= {
        "berisiko", "diproyeksi meleset"}
    applied = _applied(ws)
    assert not applied.pop("sesuai target")[1]  # on track: not on the agenda
    for key, (_fill, rows) in applied.items():
        assert rows
        assert min(rows) > head
        assert all(ws.cell(r, status_col).value == key for r in rows)


# ===================================================================== formula neutralising
@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+cmd", "=1+1"])
def test_formula_text_is_prefixed_with_an_apostrophe(hostile_workbook: openpyxl.Workbook,
                                                     text: str) -> None:
    """Export text that starts like a formula is stored as text with a leading apostrophe."""
    cells = [(ws.title, c) for ws in hostile_workbook.worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, str)]
    assert any(c.value == "'" + text for _, c in cells), text
    for title, c in cells:
        assert c.data_type == "s"
        assert not c.value.startswith(FORMULA_START), (title, c.coordinate, c.value)


# ============================================================================ input safety
def test_refuses_to_overwrite_an_input_file(tmp_path: Path) -> None:
    """The path of an input file (given to monitor or as inputs=) is refused; it stays intact."""
    src = tmp_path / "fisik_jabar_2024_06.csv"
    shutil.copy(CURRENT / src.name, src)
    before = src.read_bytes()
    res = dm.monitor(src)
    with pytest.raises(dm.OutputError, match="input"):
        dm.write_excel_report(res, src)
    other = tmp_path / "lain.xlsx"
    other.write_bytes(b"keep me")
    with pytest.raises(dm.OutputError):
        dm.write_excel_report(res, tmp_path / "." / "lain.xlsx", inputs=[other])
    assert src.read_bytes() == before
    assert other.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fisik_jabar_2024_06.csv", "lain.xlsx"]


def test_refuses_to_overwrite_a_file_read_from_an_input_folder(tmp_path: Path) -> None:
    """monitor(folder) then writing over one of the folder's exports is refused."""
    folder = tmp_path / "masuk"
    folder.mkdir()
    src = folder / "fisik_jabar_2024_01.xlsx"
    shutil.copy(CURRENT / src.name, src)
    before = src.read_bytes()
    res = dm.monitor(folder)
    try:
        with pytest.raises(dm.OutputError):
            dm.write_excel_report(res, src)
    finally:
        assert src.read_bytes() == before


# ============================================================================ atomic writing
def test_written_atomically_no_temporary_left(result: dm.MonitorResult, tmp_path: Path) -> None:
    """Writing (and re-writing) leaves exactly the workbook; it replaces an older file whole."""
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"old report")
    assert dm.write_excel_report(result, out) == out
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    assert zipfile.is_zipfile(out)
    assert dm.write_excel_report(result, out) == out
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    assert openpyxl.load_workbook(out).sheetnames[0] == "Ringkasan"


def test_failed_replace_keeps_the_old_file(result: dm.MonitorResult, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails (disk full), the previous workbook is untouched, no temporary
    file is left, and the error is an OutputError naming the file."""
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"previous report")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(dm.OutputError, match=r"report\.xlsx"):
        dm.write_excel_report(result, out)
    assert out.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


# ===================================================================== unwritable folders
@pytest.mark.parametrize("case", ["missing-folder", "parent-is-a-file"])
def test_unwritable_folder_is_an_output_error(result: dm.MonitorResult, tmp_path: Path,
                                              case: str) -> None:
    """A folder that does not exist, or a 'folder' that is a file: OutputError, nothing left."""
    if case == "missing-folder":
        out = tmp_path / "tidak_ada" / "report.xlsx"
    else:
        (tmp_path / "berkas").write_text("x")
        out = tmp_path / "berkas" / "report.xlsx"
    with pytest.raises(dm.OutputError):
        dm.write_excel_report(result, out)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions and a non-root user")
def test_read_only_folder_is_an_output_error(result: dm.MonitorResult, tmp_path: Path) -> None:
    """A folder without write permission: OutputError."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(dm.OutputError):
            dm.write_excel_report(result, ro / "report.xlsx")
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_header_is_for_people(result: dm.MonitorResult, tmp_path: Path,
                                    lang: str) -> None:
    """Every table header on every sheet is a label of the report's columns in the
    workbook's language, never a raw column name (``p_di_bawah_ambang``, ``worst``)."""
    from dak_monitor._vocab.report import REPORT_COLUMNS

    labels = set(REPORT_COLUMNS.labels(lang).values())
    path = dm.write_excel_report(result, tmp_path / "r.xlsx", lang=lang)
    wb = openpyxl.load_workbook(path)
    seen = 0
    for ws in wb.worksheets:
        header_fill = {c.coordinate for row in ws.iter_rows() for c in row
                       if c.fill.fgColor.rgb and str(c.fill.fgColor.rgb).endswith("1F4E79")}
        for coord in header_fill:
            value = ws[coord].value
            if ws.title == "Ringkasan" and value in {"sesuai target", "berisiko",
                                                     "diproyeksi meleset", "on track",
                                                     "at risk", "will miss"}:
                continue  # the headline's status counts
            if ws.title == "Pelaporan" and ws[coord].row == 2:
                continue  # the coverage grid: code, OPD and the months
            assert value in labels, (ws.title, coord, value)
            seen += 1
    assert seen > 50

def test_pelaporan_sheet(workbook: openpyxl.Workbook, result: dm.MonitorResult) -> None:
    """Pelaporan: a coverage grid (one row per OPD, one column per month, the share in each
    cell) and the status of every OPD x jenis DAK x period in Indonesian, with the notes."""
    ws = workbook["Pelaporan"]
    head = [c.value for c in ws[2]]
    assert head[:8] == ["Kode", "OPD", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun"]
    n_opd = result.reporting.coverage["kode_wilayah"].nunique()
    grid = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=2 + n_opd)]
    assert all(isinstance(v, (int, float)) and 0 <= v <= 1 for r in grid for v in r[2:8])
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any("tanggal_lapor" in t for t in texts)  # lateness not assessed, said
    first = _header_row(ws, "Kode wilayah")
    table = _sheet_frame(ws, first, n=len(result.reporting.table))
    assert len(table) == len(result.reporting.table)
    assert set(table["Status"]) <= {"dilaporkan", "tidak ada laporan", "laporan sebagian",
                                    "terlambat", "direvisi"}
