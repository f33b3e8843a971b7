"""read_table on real LRA spreadsheets (Laporan Realisasi Anggaran) uploaded by Kabupaten Toba OPDs.

The files are public data copied from github.com/putributarbutar53/prp2_toba (see
``shared/real_data/SOURCE.md``). They are not Morena exports: they test that the generic reader
copes with a real template (logo + title block, merged two-row headers, a header standing one
column right of its values) and with real mistakes (totals of another entity, absurd realisation).

The folder is looked up at ``<repo>/../shared/real_data/prp2_toba_2022/lra_xlsx``; set
``DAK_REAL_DATA`` to a ``real_data`` folder (holding ``prp2_toba_2022/``), to a
``prp2_toba_2022`` folder, or to the ``lra_xlsx`` folder itself to use another copy. The module
is skipped when the folder is absent.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pandas as pd
import pytest

import dak_monitor as dm


def _find_lra_dir() -> Path | None:
    candidates: list[Path] = []
    env = os.environ.get("DAK_REAL_DATA")
    if env:
        root = Path(env)
        candidates += [root / "prp2_toba_2022" / "lra_xlsx", root / "lra_xlsx", root]
    candidates.append(
        Path(__file__).resolve().parents[2] / "shared" / "real_data" / "prp2_toba_2022" / "lra_xlsx"
    )
    for c in candidates:
        if c.is_dir() and any(c.glob("*.xlsx")):
            return c
    return None


LRA_DIR = _find_lra_dir()
if LRA_DIR is None:
    pytest.skip("real LRA spreadsheets not found (set DAK_REAL_DATA)", allow_module_level=True)
assert LRA_DIR is not None

SUMMARY_CSV = LRA_DIR.parent / "lra_xlsx_summary_DERIVED.csv"
XLSX_FILES = sorted(p.name for p in LRA_DIR.glob("*.xlsx") if not p.name.startswith("~$"))
CRYSTAL_XLS = "1_lra_20221130-004519.xls"

ALIASES = {
    "kode_rekening": ["kode rekening"],
    "uraian": ["uraian"],
    "anggaran": ["anggaran"],
    "realisasi": ["realisasi"],
}
NUMBERS = ["anggaran", "realisasi"]

# The Dinas Pendidikan variant of the template puts "REALISASI" (merged S13:S16) and
# "SERAPAN OPD" (T13:T16) on row 13, above "KODE REKENING | URAIAN | ANGGARAN" on row 14, so its
# header is read from rows 13 and 14. Every other file has the whole header on row 14.
HEADER_ROWS = {"1_lra_20221130-012723.xlsx": "13, 14"}
# The LRA account tree's first two levels, as every file shows them (rows 18-26).
ACCOUNT_CODES = ["4", "4.1", "4.2", "4.3", "5", "5.1", "5.2", "5.3", "5.4"]
COL_R, COL_S = 17, 18  # 0-based column positions of Excel columns R and S


@functools.cache
def _read(name: str) -> dm.Table:
    return dm.read_table(LRA_DIR / name, ALIASES, numbers=NUMBERS)


@functools.cache
def _summary() -> pd.DataFrame:
    return pd.read_csv(SUMMARY_CSV).set_index("file")


@functools.cache
def _cells(name: str, sheet: str) -> tuple[tuple[object, ...], ...]:
    """The sheet's rows as openpyxl sees them (independent of the library's calamine reader)."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(LRA_DIR / name, read_only=True, data_only=True)
    try:
        return tuple(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def _cell(rows: tuple[tuple[object, ...], ...], row: int, col: int) -> object:
    """Cell at a 1-based row and 0-based column (None beyond the stored area)."""
    if row - 1 >= len(rows):
        return None
    values = rows[row - 1]
    return values[col] if col < len(values) else None


def _belanja_daerah(table: dm.Table) -> pd.Series:
    rows = table.data[table.data["uraian"].astype(str).str.strip().str.upper() == "BELANJA DAERAH"]
    assert len(rows) == 1, rows
    return rows.iloc[0]


per_file = pytest.mark.parametrize("name", XLSX_FILES, ids=XLSX_FILES)


@per_file
def test_header_found_below_title_block(name: str) -> None:
    """The header is found on row 14 (as Excel numbers it), below the logo and title block."""
    t = _read(name)
    assert len(t.sheets) == 1
    assert t.sheets["baris_header"].iloc[0] == HEADER_ROWS.get(name, "14")
    header_rows = t.skipped.loc[t.skipped["alasan"] == "header", "sumber_baris"].tolist()
    assert 14 in header_rows
    above = t.skipped[t.skipped["sumber_baris"] < min(header_rows)]
    assert set(above["alasan"]) <= {"title", "blank"}


@per_file
def test_account_rows_extracted(name: str) -> None:
    """The nine account rows (kode rekening, uraian, anggaran, realisasi) are the data rows."""
    d = _read(name).data
    assert {"kode_rekening", "uraian", "anggaran", "realisasi"} <= set(d.columns)
    assert d["kode_rekening"].astype(str).str.strip().tolist() == ACCOUNT_CODES
    assert d["sumber_baris"].tolist() == list(range(18, 27))
    assert d["uraian"].str.strip().iloc[[0, 4]].tolist() == ["PENDAPATAN DAERAH", "BELANJA DAERAH"]
    assert d["anggaran"].dtype.kind == "f"
    assert d["realisasi"].dtype.kind == "f"
    assert d[["anggaran", "realisasi"]].notna().all().all()


@per_file
def test_belanja_daerah_matches_summary(name: str) -> None:
    """The BELANJA DAERAH roll-up row is kept as data with the summary's anggaran/realisasi."""
    summary = _summary()
    if name not in summary.index:
        pytest.skip(f"{name} is not listed in {SUMMARY_CSV.name}")
    row = _belanja_daerah(_read(name))
    assert row["kode_rekening"] == "5"
    assert row["anggaran"] == summary.at[name, "belanja_daerah_anggaran_colQ"]
    assert row["realisasi"] == summary.at[name, "belanja_daerah_realisasi_colR"]


def test_summary_lists_every_xlsx() -> None:
    """Every xlsx file in the folder is listed in the derived summary (so no file goes unchecked)."""
    assert set(XLSX_FILES) == set(_summary().index)


@per_file
def test_realisasi_header_one_column_right(name: str) -> None:
    """The REALISASI header stands in column S, the values in column R: the note says so."""
    t = _read(name)
    note = t.sheets["catatan"].iloc[0]
    assert "realisasi" in note.lower()
    assert "(column S) has no values below it" in note
    assert "read from column R" in note
    sheet = t.data["sumber_sheet"].iloc[0]
    rows = _cells(name, sheet)
    header_cells = [_cell(rows, r, COL_S) for r in (13, 14)]
    assert "REALISASI" in [str(v).strip().upper() for v in header_cells if v is not None]
    for rec in t.data.itertuples(index=False):
        raw_r = _cell(rows, rec.sumber_baris, COL_R)
        assert isinstance(raw_r, (int, float)), (rec.sumber_baris, raw_r)
        assert rec.realisasi == float(raw_r)
        assert _cell(rows, rec.sumber_baris, COL_S) in (None, "")


@per_file
def test_accounting_invariant(name: str) -> None:
    """Every physical row 1..baris_dibaca is exactly once in data or in skipped, per sheet."""
    t = _read(name)
    for rec in t.sheets.itertuples(index=False):
        in_data = t.data[(t.data["sumber_file"] == rec.sumber_file)
                         & (t.data["sumber_sheet"] == rec.sumber_sheet)]
        in_skipped = t.skipped[(t.skipped["sumber_file"] == rec.sumber_file)
                               & (t.skipped["sumber_sheet"] == rec.sumber_sheet)]
        assert rec.baris_dibaca == rec.baris_data + rec.baris_dilewati
        assert rec.baris_data == len(in_data)
        assert rec.baris_dilewati == len(in_skipped)
        rows = [*in_data["sumber_baris"].tolist(), *in_skipped["sumber_baris"].tolist()]
        assert len(rows) == len(set(rows))
        assert sorted(rows) == list(range(1, rec.baris_dibaca + 1))


@per_file
def test_title_rows_skipped_as_title(name: str) -> None:
    """The title block (government, report name, periode, organisation lines) is skipped as title."""
    s = _read(name).skipped.set_index("sumber_baris")
    for r in (3, 4, 5, 8, 9, 10):
        assert s.at[r, "alasan"] == "title", (r, s.at[r, "isi"])
    assert s.at[3, "isi"].startswith("PEMERINTAH ")
    assert s.at[4, "isi"] == "LAPORAN REALISASI ANGGARAN PENDAPATAN DAN BELANJA DAERAH"
    assert s.at[5, "isi"].startswith("periode")
    assert s.at[9, "isi"].startswith("Unit Organisasi")
    if name.startswith(("32_", "17_")):
        assert s.at[3, "isi"] == "PEMERINTAH KABUPATEN TOBA"


@pytest.mark.parametrize(
    ("name", "anggaran", "realisasi"),
    [
        # Dinas Pendidikan's upload: titled "s.d 30 Juni 2022", totals of another entity (3.69 T).
        ("1_lra_20221130-012723.xlsx", 3_686_857_110_906, 838_948_580_079),
        # Bappelitbangda's upload: realisasi 168x the pagu.
        ("32_lra_20221130-120950.xlsx", 4_991_740_113, 838_948_580_079),
    ],
    ids=["1_lra_20221130-012723", "32_lra_20221130-120950"],
)
def test_wrong_uploads_are_still_read(name: str, anggaran: int, realisasi: int) -> None:
    """Implausible uploads are read as printed: reading is not validation."""
    row = _belanja_daerah(_read(name))
    assert row["anggaran"] == anggaran
    assert row["realisasi"] == realisasi


def test_crystal_reports_xls_read_or_refused_cleanly() -> None:
    """The binary Crystal Reports .xls is either read or refused with a DakMonitorError naming it."""
    path = LRA_DIR / CRYSTAL_XLS
    if not path.exists():
        pytest.skip(f"{CRYSTAL_XLS} not in {LRA_DIR}")
    # Observed (python-calamine 0.9.1): it is READ. calamine opens the OLE2/BIFF8 workbook
    # (sheet "JUNI"); it holds the same figures as 1_lra_20221130-012723.xlsx (header rows 13-14,
    # BELANJA DAERAH 3,686,857,110,906 / 838,948,580,079).
    refused: dm.DakMonitorError | None = None
    try:
        t = dm.read_table(path, ALIASES, numbers=NUMBERS)
    except dm.DakMonitorError as exc:  # any other exception type fails the test
        refused = exc
    if refused is not None:
        assert CRYSTAL_XLS in str(refused)
        return
    assert len(t.data) > 0
    rec = t.sheets.iloc[0]
    assert rec.baris_dibaca == rec.baris_data + rec.baris_dilewati
    row = _belanja_daerah(t)
    assert row["anggaran"] == 3_686_857_110_906
    assert row["realisasi"] == 838_948_580_079


def test_binary_junk_named_xlsx_is_unreadable(tmp_path: Path) -> None:
    """Random bytes saved as .xlsx raise UnreadableFileError naming the file."""
    junk = tmp_path / "laporan_junk.xlsx"
    junk.write_bytes(bytes(range(256)) * 16 + b"\x00\xff" * 500)
    with pytest.raises(dm.UnreadableFileError, match=re.escape("laporan_junk.xlsx")) as info:
        dm.read_table(junk, ALIASES, numbers=NUMBERS)
    assert info.value.file is not None
    assert info.value.file.endswith("laporan_junk.xlsx")


def test_read_export_refuses_lra_as_dak_export() -> None:
    """read_export on an LRA file raises MissingColumnError naming the file and the sheet."""
    name = "32_lra_20221208-111855.xlsx"
    with pytest.raises(dm.MissingColumnError) as info:
        dm.read_export(LRA_DIR / name)
    msg = str(info.value)
    assert name in msg
    assert "[Sheet1]" in msg
    assert "kode_wilayah or nama_wilayah" in msg  # no region column: not a DAK export
    assert info.value.sheet == "Sheet1"
