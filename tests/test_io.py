"""Tests of read_export/read_table: one test per real-world decoration, errors, accounting."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm

HEADER = "Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu (Rp);Realisasi (Rp);% Realisasi"


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]],
               merges: dict[str, list[tuple[int, int, int, int, object]]] | None = None) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    pct_fmt = wb.add_format({"num_format": "0.0%"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, (dt.date, dt.datetime)):
                    ws.write_datetime(r, c, v, date_fmt)
                elif isinstance(v, tuple) and v[0] == "pct":
                    ws.write_number(r, c, v[1], pct_fmt)
                elif isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write(r, c, v)
        for r0, c0, r1, c1, v in (merges or {}).get(name, []):
            ws.merge_range(r0, c0, r1, c1, v)
    wb.close()
    return path


def accounting_holds(ex: dm.Export) -> None:
    """Every physical row up to the last non-empty one is data or skipped, exactly once."""
    for rec in ex.files.itertuples(index=False):
        d = ex.data[(ex.data.sumber_file == rec.sumber_file)
                    & (ex.data.sumber_sheet == rec.sumber_sheet)].sumber_baris
        s = ex.skipped[(ex.skipped.sumber_file == rec.sumber_file)
                       & (ex.skipped.sumber_sheet == rec.sumber_sheet)].sumber_baris
        rows = sorted([*d.tolist(), *s.tolist()])
        assert rows == list(range(1, rec.baris_dibaca + 1)), (rec.sumber_file, rec.sumber_sheet)
        assert rec.baris_data + rec.baris_dilewati == rec.baris_dibaca


# ------------------------------------------------------------------------ decorations
def test_title_block_gives_tahun_and_periode(tmp_path: Path) -> None:
    """tahun/periode come from the title block when the columns are absent."""
    f = write_csv(tmp_path / "a.csv", [
        "LAPORAN REALISASI DAK NONFISIK BOKB", "TAHUN ANGGARAN 2024",
        "Periode s.d. 30 Juni 2024", "PROVINSI JAWA BARAT", "",
        "Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi",
        "32.05;Kab. Garut;Operasional BKB;1.000;500",
    ])
    ex = dm.read_export(f)
    assert ex.data["tahun"].tolist() == [2024]
    assert ex.data["periode"].tolist() == [pd.Timestamp("2024-06-30")]
    assert ex.skipped["alasan"].tolist() == ["title"] * 4 + ["blank", "header"]
    accounting_holds(ex)


def test_title_month_only_periode(tmp_path: Path) -> None:
    """A title 'Keadaan s.d. Bulan Maret' takes the year from 'TA 2023'."""
    f = write_csv(tmp_path / "a.csv", [
        "REALISASI BOKB TA 2023 keadaan s.d. Maret",
        "Kode Wilayah;Menu;Pagu;Realisasi", "3205;A;1.000;10"])
    ex = dm.read_export(f)
    assert ex.data["periode"].iloc[0] == pd.Timestamp("2023-03-31")


def test_header_aliases_case_linebreaks_rp(tmp_path: Path) -> None:
    """Header spellings vary in case, spaces, line breaks and '(Rp)'."""
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [
        ["TAHUN ANGGARAN", "Bulan", "KODE\nKAB/KOTA", "Nama  Daerah", "Menu Kegiatan",
         "Pagu Alokasi\n(Rp)", "Realisasi  Penyerapan (Rp)", "Persentase"],
        [2024, "Mei 2024", "32.05", "Kab. Garut", "Operasional BKB", 2_000_000, 500_000, 25],
    ]})
    ex = dm.read_export(path)
    row = ex.data.iloc[0]
    assert (row.tahun, row.kode_wilayah, row.menu, row.pagu, row.realisasi) == (
        2024, "32.05", "Operasional BKB", 2_000_000.0, 500_000.0)
    assert row.persen_realisasi == 25.0
    assert row.periode == pd.Timestamp("2024-05-31")


def test_two_row_merged_header_xlsx(tmp_path: Path) -> None:
    """'Realisasi' merged over 'Rp' and '%' reads as realisasi and persen_realisasi."""
    rows = [
        ["Tahun", "Periode", "Kode Wilayah", "Menu", "Pagu", None, None],
        [None, None, None, None, None, "Rp", "%"],
        [2024, "Juni 2024", "32.05", "Operasional BKB", 1000, 450, 45],
    ]
    merges = {"S": [(0, 5, 0, 6, "Realisasi"), (0, 0, 1, 0, "Tahun"), (0, 1, 1, 1, "Periode"),
                    (0, 2, 1, 2, "Kode Wilayah"), (0, 3, 1, 3, "Menu"), (0, 4, 1, 4, "Pagu")]}
    ex = dm.read_export(write_xlsx(tmp_path / "a.xlsx", {"S": rows}, merges))
    row = ex.data.iloc[0]
    assert (row.realisasi, row.persen_realisasi, row.pagu) == (450.0, 45.0, 1000.0)
    assert ex.skipped["alasan"].tolist() == ["header", "header"]
    assert ex.data["sumber_baris"].tolist() == [3]


def test_two_row_header_csv(tmp_path: Path) -> None:
    """In CSV the group label stands over the first of its sub-labels."""
    f = write_csv(tmp_path / "a.csv", [
        "Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi;",
        ";;;;;Rp;%",
        "2024;Juni 2024;32.05;BKB;1.000;450;45,0",
    ])
    row = dm.read_export(f).data.iloc[0]
    assert (row.realisasi, row.persen_realisasi) == (450.0, 45.0)


def test_numbering_row_skipped(tmp_path: Path) -> None:
    """The '1 2 3 …' row under the header is skipped as numbering."""
    f = write_csv(tmp_path / "a.csv", [HEADER, "1;2;3;4;5;6;7;8",
                                       "2024;Juni 2024;32.05;Kab. Garut;BKB;1.000;500;50"])
    ex = dm.read_export(f)
    assert ex.skipped["alasan"].tolist() == ["header", "numbering"]
    assert ex.data["sumber_baris"].tolist() == [3]


def test_indonesian_numbers_rp_negatives_dash_blank(tmp_path: Path) -> None:
    """Money cells in every Indonesian form parse; '-' is zero and blank is missing."""
    f = write_csv(tmp_path / "a.csv", [
        "Tahun;Periode;Kode Wilayah;Menu;Pagu;Penyaluran;Realisasi",
        "2024;Juni 2024;32.05;A;Rp 1.234.567;(1.000);Rp.1.000,-",
        "2024;Juni 2024;32.05;B;1.234.567,89;-;",
    ])
    d = dm.read_export(f).data
    assert d["pagu"].tolist() == [1234567.0, 1234567.89]
    assert d["penyaluran"].tolist() == [-1000.0, 0.0]
    assert d["realisasi"].iloc[0] == 1000.0
    assert np.isnan(d["realisasi"].iloc[1])


def test_numbers_stored_as_text_in_excel(tmp_path: Path) -> None:
    """Excel cells holding '1.234.567' as text parse like numbers."""
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [
        ["Tahun", "Periode", "Kode Wilayah", "Menu", "Pagu", "Realisasi"],
        [2024, "Juni 2024", "32.05", "A", "1.234.567", 1000.0],
    ]})
    assert dm.read_export(path).data["pagu"].iloc[0] == 1234567.0


@pytest.mark.parametrize(
    ("cells", "fmt"),
    [(["93,5%", "1%"], "csv"), (["93,5", "1"], "csv"), ([("pct", 0.935), ("pct", 0.01)], "xlsx")],
)
def test_percent_forms(tmp_path: Path, cells: list[object], fmt: str) -> None:
    """Percents as '93,5%', '93,5' or an Excel 0.935 all read as 93.5."""
    rows = [["Tahun", "Periode", "Kode Wilayah", "Menu", "Pagu", "Realisasi", "%"],
            [2024, "Juni 2024", "32.05", "A", 1000, 935, cells[0]],
            [2024, "Juni 2024", "32.05", "B", 1000, 10, cells[1]]]
    if fmt == "csv":
        path = write_csv(tmp_path / "a.csv", [";".join(str(c) for c in r) for r in rows])
    else:
        path = write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    assert dm.read_export(path).data["persen_realisasi"].tolist() == pytest.approx([93.5, 1.0])


def test_dates_indonesian_and_serial(tmp_path: Path) -> None:
    """Contract dates as dd/mm/yyyy, dd-mm-yyyy, '12 Maret 2024', serials and date cells."""
    head = ["Tahun", "Periode", "Kode Wilayah", "Menu", "Rincian", "Pagu", "Realisasi",
            "Tanggal Kontrak", "Nilai Kontrak"]
    values = ["12/03/2024", "12-03-2024", "12 Maret 2024", 45363, dt.datetime(2024, 3, 12)]
    rows = [head] + [[2024, "Juni 2024", "32.05", "A", f"item {i}", 1000, 0, v, 900]
                     for i, v in enumerate(values)]
    ex = dm.read_export(write_xlsx(tmp_path / "a.xlsx", {"S": rows}))
    assert ex.kind == "fisik"
    assert ex.data["tanggal_kontrak"].tolist() == [pd.Timestamp("2024-03-12")] * 5


def test_units_in_thousands(tmp_path: Path) -> None:
    """'(dalam ribuan rupiah)' in the title multiplies money columns by 1,000."""
    f = write_csv(tmp_path / "a.csv", [
        "REALISASI DAK NONFISIK BOKB TAHUN ANGGARAN 2024", "(dalam ribuan rupiah)",
        "Periode;Kode Wilayah;Menu;Pagu;Realisasi;%",
        "Juni 2024;32.05;A;1.234,5;617,25;50,0",
    ])
    ex = dm.read_export(f)
    assert ex.data[["pagu", "realisasi"]].iloc[0].tolist() == [1234500.0, 617250.0]
    assert ex.data["persen_realisasi"].iloc[0] == 50.0  # percents are not scaled
    assert "pagu in ribu (from the title)" in ex.files["catatan"].iloc[0]


@pytest.mark.parametrize("code", ["32.04", "3204", "32.04.", "32 04"])
def test_region_code_spellings(tmp_path: Path, code: str) -> None:
    """Region codes in any spelling normalise to NN.NN and give kode_provinsi."""
    f = write_csv(tmp_path / "a.csv", [HEADER.replace(";% Realisasi", ""),
                                       f"2024;Juni 2024;{code};Kab. Bandung;A;1.000;1"])
    d = dm.read_export(f).data
    assert d["kode_wilayah"].iloc[0] == "32.04"
    assert d["kode_provinsi"].iloc[0] == "32"


def test_region_code_excel_number_pads_right(tmp_path: Path) -> None:
    """An Excel number 32.1 is Kabupaten Majalengka 32.10, not 32.01."""
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [
        ["Tahun", "Periode", "Kode Wilayah", "Menu", "Pagu", "Realisasi"],
        [2024, "Juni 2024", 32.1, "A", 1000, 1], [2024, "Juni 2024", 32.01, "A", 1000, 1]]})
    assert dm.read_export(path).data["kode_wilayah"].tolist() == ["32.10", "32.01"]


@pytest.mark.parametrize(("name", "code"), [("Kab. Bandung", "32.04"), ("KAB BANDUNG", "32.04"),
                                            ("Kabupaten Bandung", "32.04"),
                                            ("KOTA BANDUNG", "32.73"), ("Kota Banjar", "32.79")])
def test_region_names_give_codes(tmp_path: Path, name: str, code: str) -> None:
    """Without a code column, names in any spelling give the code."""
    f = write_csv(tmp_path / "a.csv", ["Tahun;Periode;Kabupaten/Kota;Menu;Pagu;Realisasi",
                                       f"2024;Juni 2024;{name};A;1.000;1"])
    d = dm.read_export(f).data
    assert d["kode_wilayah"].iloc[0] == code
    assert d["nama_wilayah"].iloc[0] == name  # the name stays as typed, for validation


def test_ambiguous_bare_name_leaves_code_missing(tmp_path: Path) -> None:
    """'Bandung' alone could be the kabupaten or the kota: no code is guessed."""
    f = write_csv(tmp_path / "a.csv", ["Tahun;Periode;Kabupaten/Kota;Menu;Pagu;Realisasi",
                                       "2024;Juni 2024;Bandung;A;1.000;1"])
    assert pd.isna(dm.read_export(f).data["kode_wilayah"].iloc[0])


def test_non_data_rows_classified(tmp_path: Path) -> None:
    """Blank, group header, subtotal, total and signature rows are skipped with reasons."""
    f = write_csv(tmp_path / "a.csv", [
        HEADER,
        "KABUPATEN GARUT",
        "2024;Juni 2024;32.05;Kab. Garut;A;1.000;500;50",
        "2024;Juni 2024;32.05;Kab. Garut;B;1.000;500;50",
        ";;;Jumlah Kab. Garut;;2.000;1.000;50",
        "",
        "KOTA BANJAR",
        "2024;Juni 2024;32.79;Kota Banjar;A;1.000;500;50",
        ";;;Jumlah Kota Banjar;;1.000;500;50",
        "TOTAL;;;;;3.000;1.500;50",
        "",
        "Sumber: Aplikasi Morena",
        ";;;;Bandung, 5 Juli 2024",
        ";;;;Mengetahui,",
        ";;;;Kepala Dinas;",
        ";;;;Dr. H. Asep Sutisna, M.Si",
        ";;;;NIP. 19700101 199503 1 001",
    ])
    ex = dm.read_export(f)
    reasons = dict(zip(ex.skipped.sumber_baris, ex.skipped.alasan, strict=True))
    assert reasons == {1: "header", 2: "group", 5: "subtotal", 6: "blank", 7: "group",
                       9: "subtotal", 10: "total", 11: "blank", 12: "note", 13: "note",
                       14: "note", 15: "note", 16: "note", 17: "note"}
    assert ex.data["sumber_baris"].tolist() == [3, 4, 8]
    assert ex.totals["alasan"].tolist() == ["subtotal", "subtotal", "total"]
    assert ex.totals["pagu"].tolist() == [2000.0, 1000.0, 3000.0]
    accounting_holds(ex)


def test_group_header_gives_region(tmp_path: Path) -> None:
    """When rows carry no region, the group header above them (a kabupaten name) gives it."""
    f = write_csv(tmp_path / "a.csv", [
        "Tahun;Periode;Menu;Pagu;Realisasi", "KABUPATEN GARUT", "2024;Juni 2024;A;1.000;1",
        "KOTA BANJAR", "2024;Juni 2024;A;1.000;1"])
    assert dm.read_export(f).data["kode_wilayah"].tolist() == ["32.05", "32.79"]


def test_repeated_header_row_skipped(tmp_path: Path) -> None:
    """A header repeated further down (page breaks) is skipped as a header."""
    f = write_csv(tmp_path / "a.csv", [HEADER, "2024;Juni 2024;32.05;Kab. Garut;A;1.000;500;50",
                                       HEADER, "2024;Juni 2024;32.05;Kab. Garut;B;1.000;500;50"])
    ex = dm.read_export(f)
    assert ex.skipped["alasan"].tolist() == ["header", "header"]
    assert len(ex.data) == 2


@pytest.mark.parametrize(("sep", "encoding", "bom"), [(";", "utf-8", False), (",", "utf-8", True),
                                                      (";", "cp1252", False)])
def test_csv_separators_and_encodings(tmp_path: Path, sep: str, encoding: str, bom: bool) -> None:
    """CSV with ';' or ',', UTF-8 with or without BOM, or Windows-1252 reads the same."""
    lines = ["Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi;Keterangan",
             '2024;Juni 2024;32.05;Operasional BKB;"1.000";"500";Café é']
    text = "\n".join(line.replace(";", sep) for line in lines) + "\n"
    data = text.encode(encoding)
    (tmp_path / "a.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    d = dm.read_export(tmp_path / "a.csv").data
    assert d["keterangan"].iloc[0] == "Café é"
    assert d["pagu"].iloc[0] == 1000.0
    assert d["tahun"].iloc[0] == 2024


def test_quoted_line_break_keeps_row_numbers(tmp_path: Path) -> None:
    """A quoted cell with a line break: the next record's row is the line it starts on."""
    f = write_csv(tmp_path / "a.csv", [
        "Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi;Keterangan",
        '2024;Juni 2024;32.05;A;1.000;1;"baris satu', 'baris dua"',
        "2024;Juni 2024;32.05;B;1.000;1;ok"])
    d = dm.read_export(f).data
    assert d["sumber_baris"].tolist() == [2, 4]
    assert d["keterangan"].iloc[0] == "baris satu baris dua"


@pytest.mark.parametrize("extra", [1, 2, 7])
def test_wider_line_far_below_the_head(tmp_path: Path, extra: int) -> None:
    """A line wider than the first 300 (extra cells typed beside a data row at line 400) is
    read with its cells: nothing is cut off, the rows keep their numbers, accounting holds."""
    rows = [f"2024;Juni 2024;32.05;Kab. Bogor;Menu {i};1.000;500;50%" for i in range(600)]
    rows[398] += ";" * extra + "catatan di luar tabel"
    f = write_csv(tmp_path / "a.csv", [HEADER, *rows])
    with mock.patch("dak_monitor._reader.csvfile.csv.reader", wraps=csv.reader) as reader:
        ex = dm.read_export(f)
    assert reader.call_count == 1  # the head only: the C parser re-read it, no slow path
    assert len(ex.data) == 600
    assert ex.data["sumber_baris"].tolist() == list(range(2, 602))
    assert ex.data["pagu"].eq(1000).all()
    accounting_holds(ex)


def test_xlsx_sheet_per_region_and_selection(tmp_path: Path) -> None:
    """One sheet per kabupaten: the region comes from the sheet name; sheets= selects."""
    head = ["Tahun", "Periode", "Menu", "Pagu", "Realisasi"]
    path = write_xlsx(tmp_path / "a.xlsx", {
        "Kab. Garut": [head, [2024, "Juni 2024", "A", 1000, 1]],
        "Kota Banjar": [head, [2024, "Juni 2024", "A", 1000, 1]],
        "Catatan": [["Data diunduh dari Morena"]],
    })
    ex = dm.read_export(path)
    assert ex.data["kode_wilayah"].tolist() == ["32.05", "32.79"]
    assert ex.data["sumber_sheet"].tolist() == ["Kab. Garut", "Kota Banjar"]
    assert ex.skipped.loc[ex.skipped.sumber_sheet == "Catatan", "alasan"].tolist() == ["no-header"]
    only = dm.read_export(path, sheets=["Kota Banjar"])
    assert only.data["kode_wilayah"].tolist() == ["32.79"]
    accounting_holds(ex)


def test_folder_both_kinds_and_lock_files(tmp_path: Path) -> None:
    """A folder with both kinds reads each with its own aliases; lock and other files are ignored."""
    write_csv(tmp_path / "bokb.csv", ["Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi",
                                      "2024;Juni 2024;32.05;A;1.000;1"])
    write_csv(tmp_path / "fisik.csv", [
        "Tahun;Periode;Kode Wilayah;Menu;Rincian;Pagu;Metode Pengadaan;Realisasi Keuangan",
        "2024;Juni 2024;32.05;Sarana;Obgyn Bed;2.000;e-Purchasing;0"])
    (tmp_path / "~$bokb.csv").write_bytes(b"\x00junk")
    (tmp_path / "notes.txt").write_text("not an export")
    ex = dm.read_export(tmp_path)
    assert ex.kind == "mixed"
    assert sorted(ex.data["jenis_dak"]) == ["fisik", "nonfisik"]
    fis = ex.data[ex.data.jenis_dak == "fisik"].iloc[0]
    assert (fis.realisasi, fis.metode_pengadaan, fis.rincian) == (0.0, "e-Purchasing", "Obgyn Bed")
    assert set(ex.files["sumber_file"].str.rsplit("/", n=1).str[-1]) == {"bokb.csv", "fisik.csv"}


def test_kind_forced(tmp_path: Path) -> None:
    """kind='fisik' requires fisik's columns (rincian) even without contract columns."""
    f = write_csv(tmp_path / "a.csv", ["Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi",
                                       "2024;Juni 2024;32.05;A;1.000;1"])
    with pytest.raises(dm.MissingColumnError, match="rincian"):
        dm.read_export(f, kind="fisik")


def test_non_cumulative_title_is_reported(tmp_path: Path) -> None:
    """A monthly (not cumulative) report is detected from its title and said so."""
    f = write_csv(tmp_path / "a.csv", ["LAPORAN REALISASI periode 01 Maret s.d 31 Maret 2022",
                                       "Kode Wilayah;Menu;Pagu;Realisasi", "32.05;A;1.000;1"])
    ex = dm.read_export(f)
    assert not bool(ex.files["kumulatif"].iloc[0])
    assert "single month" in ex.files["catatan"].iloc[0]
    assert ex.data["periode"].iloc[0] == pd.Timestamp("2022-03-31")


def test_supersede_keeps_later_file(tmp_path: Path) -> None:
    """With supersede=True a later file replaces the same item-period; rows stay accounted."""
    for name, value in (("a_juni.csv", "100"), ("b_juni_koreksi.csv", "150")):
        write_csv(tmp_path / name, ["Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi",
                                    f"2024;Juni 2024;32.05;A;1.000;{value}"])
    both = dm.read_export(tmp_path)
    assert len(both.data) == 2
    ex = dm.read_export(tmp_path, supersede=True)
    assert ex.data["realisasi"].tolist() == [150.0]
    assert ex.skipped["alasan"].tolist().count("superseded") == 1
    accounting_holds(ex)


def test_unparseable_cells_keep_raw_text(tmp_path: Path) -> None:
    """Cells that cannot be parsed are missing in data and quoted in unparsed."""
    f = write_csv(tmp_path / "a.csv", ["Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi",
                                       "2024;Juni 2024;32.05;A;1.234.56;12a.000",
                                       "2024;Bulan 13;32.05;B;1.000;1"])
    ex = dm.read_export(f)
    assert np.isnan(ex.data["pagu"].iloc[0])
    got = set(zip(ex.unparsed.sumber_baris, ex.unparsed.kolom, ex.unparsed.nilai, strict=True))
    assert got == {(2, "pagu", "1.234.56"), (2, "realisasi", "12a.000"),
                   (3, "periode", "Bulan 13")}


# ------------------------------------------------------------------------------ errors
def test_missing_column_names_file_and_close_match(tmp_path: Path) -> None:
    """A misspelled required header: the error names file, row and the close match."""
    f = write_csv(tmp_path / "a.csv", ["Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasii",
                                       "2024;Juni 2024;32.05;A;1.000;1"])
    with pytest.raises(dm.MissingColumnError) as err:
        dm.read_export(f)
    msg = str(err.value)
    assert "a.csv" in msg and "row 1" in msg and "realisasi" in msg
    assert "'realisasii' looks like 'realisasi'" in msg


def test_no_header_found(tmp_path: Path) -> None:
    """A table without any known header raises HeaderNotFoundError naming the file."""
    f = write_csv(tmp_path / "a.csv", ["a;b;c", "1;2;3", "4;5;6", "7;8;9"])
    with pytest.raises(dm.HeaderNotFoundError, match=r"a\.csv"):
        dm.read_export(f)


@pytest.mark.parametrize("content", [b"\x00\x01\x02garbage" * 50, b"PK\x03\x04broken zip"])
def test_binary_junk_xlsx(tmp_path: Path, content: bytes) -> None:
    """Binary junk with an .xlsx name raises UnreadableFileError naming the file."""
    f = tmp_path / "rusak.xlsx"
    f.write_bytes(content)
    with pytest.raises(dm.UnreadableFileError, match=r"rusak\.xlsx"):
        dm.read_export(f)


def test_binary_in_csv(tmp_path: Path) -> None:
    """An Excel file saved with a .csv name is refused with a hint, not mis-read."""
    f = tmp_path / "a.csv"
    f.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(dm.UnreadableFileError, match="binary"):
        dm.read_export(f)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    """A missing path and a folder without exports raise clear DakMonitorErrors."""
    with pytest.raises(dm.UnreadableFileError, match="no such file"):
        dm.read_export(tmp_path / "nope.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(dm.ExportFormatError, match="no export files"):
        dm.read_export(tmp_path / "empty")


def test_bad_aliases_and_kind_raise_config_error(tmp_path: Path) -> None:
    """Unknown alias columns and kinds are configuration errors with a suggestion."""
    f = write_csv(tmp_path / "a.csv", ["Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi"])
    with pytest.raises(dm.ConfigError, match="did you mean 'pagu'"):
        dm.read_export(f, aliases={"pagus": ["x"]})
    with pytest.raises(dm.ConfigError):
        dm.read_export(f, kind="fisikk")


def test_user_aliases_extend_defaults(tmp_path: Path) -> None:
    """aliases= adds header spellings for columns."""
    f = write_csv(tmp_path / "a.csv", ["Tahun;Periode;Kode Wilayah;Menu;Pagu Final;Realisasi",
                                       "2024;Juni 2024;32.05;A;1.000;1"])
    assert dm.read_export(f, aliases={"pagu": ["Pagu Final"]}).data["pagu"].iloc[0] == 1000.0


def test_input_files_not_modified(tmp_path: Path) -> None:
    """Reading never changes the input file."""
    f = write_csv(tmp_path / "a.csv", ["Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi",
                                       "2024;Juni 2024;32.05;A;1.000;1"])
    before = (f.read_bytes(), f.stat().st_mtime_ns)
    dm.read_export(f)
    assert (f.read_bytes(), f.stat().st_mtime_ns) == before


# ----------------------------------------------------------------- accounting property
_ROW_KINDS = st.sampled_from(["data", "blank", "subtotal", "group", "data", "data"])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(kinds=st.lists(_ROW_KINDS, min_size=1, max_size=25), title=st.integers(0, 4),
       notes=st.integers(0, 3), fmt=st.sampled_from(["csv", "xlsx"]))
def test_accounting_invariant_property(tmp_path: Path, kinds: list[str], title: int, notes: int,
                                       fmt: str) -> None:
    """Whatever mix of rows, data + skipped = rows read, and data rows are exactly the data."""
    rows: list[list[object]] = [[f"JUDUL {i}"] for i in range(title)]
    rows.append(["Tahun", "Periode", "Kode Wilayah", "Menu", "Pagu", "Realisasi"])
    expected_data = []
    for i, k in enumerate(kinds):
        if k == "data":
            rows.append([2024, "Juni 2024", "32.05", f"menu {i}", 1000 + i, i])
            expected_data.append(len(rows))
        elif k == "blank":
            rows.append([])
        elif k == "subtotal":
            rows.append([None, None, None, "Jumlah Kab. Garut", 1000, 5])
        else:
            rows.append(["KABUPATEN GARUT"])
    rows.extend([["Catatan: data sementara"], [None, None, None, "Mengetahui,"]][:notes])
    if not expected_data:
        rows.append([2024, "Juni 2024", "32.05", "menu x", 1, 0])
        expected_data.append(len(rows))
    path = tmp_path / f"p.{fmt}"
    if fmt == "csv":
        write_csv(path, [";".join("" if v is None else str(v) for v in r) for r in rows])
    else:
        write_xlsx(path, {"S": rows})
    ex = dm.read_export(path)
    accounting_holds(ex)
    assert ex.data["sumber_baris"].tolist() == expected_data


def test_summary_shows_dash_for_a_sheet_without_header(tmp_path: Path) -> None:
    """A notes-only sheet in a workbook has no kind and no header row: shown as '-', not nan."""
    import xlsxwriter

    path = tmp_path / "two.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    data = wb.add_worksheet("Data")
    rows = [["Tahun", "Periode", "Kode Wilayah", "Menu", "Pagu", "Realisasi"],
            [2024, "Juni 2024", "32.04", "BKB", 100, 50]]
    for i, row in enumerate(rows):
        data.write_row(i, 0, row)
    notes = wb.add_worksheet("Catatan")
    notes.write(0, 0, "Catatan: laporan ini belum final")
    wb.close()
    text = dm.read_export(path).summary(lang="en")
    assert "nan" not in text
    assert "[Catatan]: -, header row -" in text


@pytest.mark.parametrize("header", ["Tanggal Input", "Tgl Upload", "Tanggal Laporan",
                                    "Waktu Unggah"])
def test_report_date_column_is_read_as_a_date(tmp_path: Path, header: str) -> None:
    """The upload date (``tanggal_lapor``) under its usual headers is a date; an unreadable one
    is an ``unparseable-date`` problem naming the column, as for contract dates."""
    path = write_csv(tmp_path / "x.csv", [
        f"Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi;{header}",
        "2024;Juni 2024;32.05;BKB;1.000;500;08/07/2024",
        "2024;Juni 2024;32.79;BKB;1.000;500;2024-07-15 14:33",
        "2024;Juni 2024;32.73;BKB;1.000;500;besok",
    ])
    export = dm.read_export(path)
    assert export.data["tanggal_lapor"].tolist()[:2] == [pd.Timestamp(2024, 7, 8),
                                                         pd.Timestamp(2024, 7, 15)]
    assert pd.isna(export.data["tanggal_lapor"].iloc[2])
    problems = dm.validate_export(export).problems
    bad = problems[problems["code"] == "unparseable-date"]
    assert bad[["row", "column", "value"]].values.tolist() == [[4, "tanggal_lapor", "besok"]]


def test_report_date_column_is_optional(tmp_path: Path) -> None:
    """Without an upload-date column the canonical frame still has ``tanggal_lapor``, empty."""
    path = write_csv(tmp_path / "x.csv", [HEADER, "2024;Juni 2024;32.05;Garut;BKB;1.000;500;50"])
    data = dm.read_export(path).data
    assert "tanggal_lapor" in data and data["tanggal_lapor"].isna().all()
