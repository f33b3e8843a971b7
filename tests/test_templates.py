"""What real templates print (issue #14, ``../shared/domain/REAL_TEMPLATES.md``): periods in
every form offices write, options for what a file does not say, and HTML tables saved as
``.xls``. Every file here is written by the csv module or by hand as HTML, never by the
library."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import dak_monitor as dm
from dak_monitor.cli import main
from hostile_files import write_table

HEAD = ["Kode Wilayah", "Menu", "Pagu", "Realisasi"]
ROWS = [["32.05", "Operasional BKB", "1.000.000", "400.000"],
        ["32.79", "Operasional BKB", "2.000.000", "900.000"]]


def _csv(path: Path, title: list[str], head: list[str] = HEAD,
         rows: list[list[str]] = ROWS) -> Path:
    return write_table(path, title, head, rows)


@pytest.mark.parametrize(("title", "name", "month"), [
    # template B: the triwulan line of the merged A3/D3 cells
    (["LAPORAN KEMAJUAN PELAKSANAAN KEGIATAN DAK NONFISIK BOKB TAHUN ANGGARAN 2024",
      "PROVINSI KABUPATEN/KOTA TRIWULAN : JAWA BARAT : KAB GARUT : II (April - Juni)"],
     "x.csv", 6),
    (["Realisasi BOKB Triwulan III (Juli - September) Tahun Anggaran 2024"], "x.csv", 9),
    # template A: "Bulan <Juni> Tahun <2024>"
    (["Realisasi Fisik dan Keuangan (RFK)", "Bulan Juni Tahun 2024"], "x.csv", 6),
    (["LAPORAN BOKB TAHUN ANGGARAN 2024", "Periode Januari s.d. Mei 2024"], "x.csv", 5),
    (["LAPORAN BOKB TAHUN ANGGARAN 2024"], "bokb_kab_2024_07.csv", 7),
    (["LAPORAN BOKB"], "laporan bokb Agustus 2024.csv", 8),
])
def test_periods_offices_write(tmp_path: Path, title: list[str], name: str, month: int) -> None:
    ex = dm.read_export(_csv(tmp_path / name, title))
    assert set(ex.data["periode"]) == {pd.Timestamp(2024, month, 1) + pd.offsets.MonthEnd(0)}
    assert set(ex.data["tahun"]) == {2024}
    if name != "x.csv":  # an inference from the name is stated
        assert f"period {month:02d}/2024 from the sheet or file name" in ex.files["catatan"].iloc[0]


def test_a_transfer_stage_is_not_a_period(tmp_path: Path) -> None:
    """Template C says only "SAMPAI DENGAN TAHAP-2": the error says so and asks for the
    period; --periode alone is then enough."""
    path = _csv(tmp_path / "kendali.csv", ["KARTU KENDALI DAK NONFISIK BOKB",
                                           "TAHUN ANGGARAN 2019", "SAMPAI DENGAN TAHAP-2"],
                rows=[["16.06", "Operasional BKB", "1.000.000", "400.000"]])
    with pytest.raises(dm.MissingColumnError) as err:
        dm.read_export(path)
    assert "transfer stage (TAHAP-2)" in str(err.value)
    assert "periode=" in str(err.value)
    ex = dm.read_export(path, periode="2019-06")
    assert ex.data["periode"].tolist() == [pd.Timestamp("2019-06-30")]


def test_the_options_say_what_a_file_does_not(tmp_path: Path) -> None:
    """A single office's file with no region, year or period anywhere."""
    path = _csv(tmp_path / "laporan.csv", ["LAPORAN REALISASI BOKB"], head=["Menu", "Pagu",
                                                                          "Realisasi"],
                rows=[["Operasional BKB", "1.000.000", "400.000"]])
    with pytest.raises(dm.MissingColumnError, match="wilayah= / --wilayah"):
        dm.read_export(path)
    ex = dm.read_export(path, tahun=2024, periode="Juni 2024", wilayah="Kab. Garut")
    row = ex.data.iloc[0]
    assert (row["tahun"], row["periode"], row["kode_wilayah"]) == (
        2024, pd.Timestamp("2024-06-30"), "32.05")
    for bad in ({"periode": "kemarin"}, {"tahun": "dua ribu"}, {"wilayah": "Bandung"}):
        with pytest.raises(dm.ConfigError):
            dm.read_export(path, **bad)


def test_periode_option_replaces_the_title(tmp_path: Path) -> None:
    path = _csv(tmp_path / "x.csv", ["BOKB TAHUN ANGGARAN 2024", "Periode s.d. Mei 2024"])
    ex = dm.read_export(path, periode="2024-06")
    assert set(ex.data["periode"]) == {pd.Timestamp("2024-06-30")}
    assert "period 06/2024 from periode=" in ex.files["catatan"].iloc[0]


def test_cli_periode_and_wilayah(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path / "laporan.csv", ["LAPORAN REALISASI BOKB TAHUN ANGGARAN 2024"],
                head=["Menu", "Pagu", "Realisasi"],
                rows=[["Operasional BKB", "1.000.000", "400.000"]])
    assert main(["read", str(path)]) == 2
    capsys.readouterr()
    assert main(["read", str(path), "--periode", "2024-06", "--wilayah", "32.05"]) == 0
    assert "1 baris data" in capsys.readouterr().out
    assert main(["read", str(path), "--periode", "nanti", "--wilayah", "32.05"]) == 2
    assert "periode must be" in capsys.readouterr().err


# ----------------------------------------------------------------- HTML tables named .xls
_HTML = """<html><head><meta http-equiv="Content-Type" content="application/vnd.ms-excel;
charset=utf-8"></head><body><table border="1">
<tr><td colspan="5">LAPORAN REALISASI DAK NONFISIK BOKB<br>TAHUN ANGGARAN 2024<br>
Periode s.d. 30 Juni 2024</td></tr>
<tr><th rowspan="2">Kode Wilayah</th><th rowspan="2">Kabupaten/Kota</th>
<th rowspan="2">Menu</th><th colspan="2">Anggaran</th></tr>
<tr><th>Pagu (Rp.)</th><th>Realisasi (Rp.)</th></tr>
<tr><td>32.05</td><td>KAB. GARUT</td><td>Operasional BKB</td><td>1.234.567,00</td>
<td>617.283,50</td></tr>
<tr><td>32.79</td><td>KOTA BANJAR</td><td>Operasional&nbsp;KB</td><td>2.000.000,00</td>
<td>-</td></tr>
<tr><td colspan="3">JUMLAH</td><td>3.234.567,00</td><td>617.283,50</td></tr>
</table></body></html>
"""


@pytest.mark.parametrize("name", ["kendali.xls", "laporan.xlsx", "laporan.html"])
def test_an_html_table_saved_as_a_workbook_is_read(tmp_path: Path, name: str) -> None:
    """Web applications serve reports as an HTML table named .xls (template C's kendali.xls):
    read as a sheet, merged header cells and all, with every row accounted for."""
    path = tmp_path / name
    path.write_text(_HTML, encoding="utf-8")
    ex = dm.read_export(path)
    assert ex.data[["kode_wilayah", "menu", "pagu", "realisasi"]].values.tolist() == [
        ["32.05", "Operasional BKB", 1234567.0, 617283.5],
        ["32.79", "Operasional KB", 2000000.0, 0.0]]
    assert set(ex.data["periode"]) == {pd.Timestamp("2024-06-30")}
    assert ex.rows_read == len(ex.data) + len(ex.skipped)
    assert "an HTML table" in ex.files["catatan"].iloc[0]
    assert (ex.skipped["alasan"] == "total").sum() == 1


def test_html_bombs_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bom.xls"
    path.write_text('<html><table><tr><td rowspan="9999999" colspan="9999">x</td></tr>'
                    "</table></html>", encoding="utf-8")
    with pytest.raises(dm.LimitExceededError, match="merged cells"):
        dm.read_export(path)
    empty = tmp_path / "kosong.xls"
    empty.write_text("<html><body><p>no table</p></body></html>", encoding="utf-8")
    with pytest.raises(dm.UnreadableFileError, match="without a table"):
        dm.read_export(empty)


# ------------------------------------------------ template A: SIPD "Realisasi Fisik dan Keuangan"
_BOKB = "DAK Non Fisik-Bantuan Operasional Keluarga Berencana"
_RFK_HEAD = ["Kode", "", "", "", "", "Urusan/ Bidang Urusan Pemerintahan Daerah Dan Program/ "
             "Kegiatan", "RKA SIPD (Rp.)", "DPA SIMDA (Rp.)", "Realisasi Keuangan (Rp.)",
             "Capaian ( % )", "RAK ( % )", "Deviasi ( % )", "Realisasi Fisik ( % )",
             "Nilai Realisasi Fisik ( Rp )", "Sumber Dana", "Keterangan / Permasalahan",
             "Catatan Verifikator"]
_RFK_NUMBERS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10 = (9 / 8) * 100", "11",
                "12 = ((11-10)/11) * 100", "13 = (14 / 8) * 100", "14 = (8 * 13) / 100", "15",
                "16", "17"]


def _rfk_row(codes: list[str], name: str, rka: str, dpa: str, real: str,
             fund: str = "") -> list[str]:
    return [*codes, *[""] * (5 - len(codes)), name, rka, dpa, real, "40,00", "45,00", "11,11",
            "40,00", real, fund, "", ""]


def _rfk_file(tmp_path: Path, fmt: str, program_04_dpa: str = "1.000.000.000") -> Path:
    """Template A as SIPD prints it (see the test below for its quirks)."""
    rows = [
        _rfk_row(["2"], "URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR",
                 "", "", ""),
        _rfk_row(["2", "14"], "URUSAN PEMERINTAHAN BIDANG PENGENDALIAN PENDUDUK DAN KB",
                 "3.000.000.000", "3.100.000.000", "1.240.000.000"),
        _rfk_row(["2", "14", "03"], "PROGRAM PEMBINAAN KELUARGA BERENCANA (KB)",
                 "2.000.000.000", "2.100.000.000", "840.000.000"),
        _rfk_row(["2", "14", "03", "2.01"], "Pengendalian Pendistribusian Alat dan Obat "
                 "Kontrasepsi", "2.000.000.000", "2.100.000.000", "840.000.000"),
        _rfk_row(["2", "14", "03", "2.01", "0010"], "Pengelolaan Operasional dan Sarana di "
                 "Balai Penyuluhan Bangga Kencana", "1.500.000.000", "1.600.000.000",
                 "640.000.000", _BOKB),
        _rfk_row(["2", "14", "03", "2.01", "0011"], "Penyediaan Sarana Pendukung Operasional "
                 "PKB/PLKB", "500.000.000", "500.000.000", "200.000.000", "DAU"),
        _rfk_row(["2", "14", "04"], "PROGRAM PEMBERDAYAAN DAN PENINGKATAN KELUARGA SEJAHTERA",
                 "1.000.000.000", program_04_dpa, "400.000.000"),
        _rfk_row(["2", "14", "04", "2.02"], "Pelaksanaan Pembangunan Keluarga",
                 "1.000.000.000", "1.000.000.000", "400.000.000"),
        _rfk_row(["2", "14", "04", "2.02", "0006"], "Pendampingan Keluarga Berisiko Stunting",
                 "1.000.000.000", "1.000.000.000", "400.000.000", _BOKB),
        ["TOTAL dan CATATAN KESIMPULAN KABAG ADBANG", "", "", "", "", "", "3.000.000.000",
         "3.100.000.000", "1.240.000.000", "40,00", "", "", "", "", "", "", ""],
    ]
    title = ["Realisasi Fisik dan Keuangan (RFK)\n2.14.0.00.0.00.01.0000 Dinas Pengendalian "
             "Penduduk dan Keluarga Berencana Kabupaten Garut\nBulan Juni Tahun 2024",
             "Unit Organisasi : 2.14.0.00.0.00.01.0000 Dinas PPKB\nSub Unit Organisasi : "
             "2.14.0.00.0.00.01.0000 Dinas PPKB"]
    if fmt == "csv":
        path = tmp_path / "rfk_juni.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter=";")
            for line in title:
                w.writerow([line])
            w.writerows([_RFK_HEAD, _RFK_NUMBERS, *rows])
    else:  # as the page is saved to Excel: merged title, unit row and "Kode" over A:E
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        for line in [*title, _RFK_HEAD, _RFK_NUMBERS, *rows]:
            ws.append([line] if isinstance(line, str) else line)
        ws.merge_cells("A1:Q1")
        ws.merge_cells("A2:Q2")
        ws.merge_cells("A3:E3")
        path = tmp_path / "rfk_juni.xlsx"
        wb.save(path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_a_rfk_reads_its_bokb_lines_exactly(tmp_path: Path, fmt: str) -> None:
    """Each quirk of template A: the one-cell title with the SKPD and "Bulan Juni Tahun 2024",
    the unit row, "Kode" over five columns (budget codes, not regions), RKA and DPA (pagu is
    DPA), the numbering row with formulas, the hierarchy's unlabelled subtotals, a DAU line
    beside the BOKB ones, and "TOTAL dan CATATAN …"."""
    path = _rfk_file(tmp_path, fmt)
    ex = dm.read_export(path)
    assert ex.kind == "nonfisik"  # from Sumber Dana, not from "Realisasi Fisik" in the title
    assert ex.data[["kode_wilayah", "menu", "pagu", "realisasi"]].values.tolist() == [
        ["32.05", "Pengelolaan Operasional dan Sarana di Balai Penyuluhan Bangga Kencana",
         1_600_000_000.0, 640_000_000.0],
        ["32.05", "Pendampingan Keluarga Berisiko Stunting", 1_000_000_000.0, 400_000_000.0]]
    assert set(ex.data["periode"]) == {pd.Timestamp("2024-06-30")}
    reasons = ex.skipped.set_index("sumber_baris")["alasan"]
    assert (reasons == "numbering").sum() == 1
    assert (reasons == "other-funding").sum() == 1
    assert (reasons == "group").sum() == 6  # urusan, bidang, 2 programs, 2 kegiatan
    assert (reasons == "total").sum() == 1
    assert ex.rows_read == len(ex.data) + len(ex.skipped)
    notes = ex.files["catatan"].iloc[0]
    for said in ("region Kabupaten Garut (32.05) from the title", "hold budget codes",
                 "pagu is 'dpa simda'", "other funding source"):
        assert said in notes, said
    report = dm.validate_export(ex)
    assert report.problems.empty, report.problems[["code", "message"]]


# ------------------------------------ template B: Perpres 123/2016 Lampiran III "Laporan Kemajuan"
_B_PAKETS = [  # under (kegiatan, rincian): no, name, volume, satuan, penerima, pagu, kontraktual
    #              Rp, metode, realisasi Rp, %, fisik volume, fisik %
    ("Pembangunan/Renovasi Balai Penyuluhan KB", "Pembangunan Balai Penyuluhan KB", [
        ("1", "Balai Penyuluhan KB Kec. Cibatu", 1, "Unit", "1 Kec", 650_000_000, 640_000_000,
         "Termin", 320_000_000, 49.23, 0.5, 50),
        ("2", "Balai Penyuluhan KB Kec. Leles", 1, "Unit", "1 Kec", 650_000_000, 645_000_000,
         "Termin", 0, 0, 0, 0)]),
    ("Pengadaan Sarana Prasarana Gudang Alat dan Obat Kontrasepsi",
     "Sarana Prasarana Gudang Alokon Kabupaten/Kota", [
         ("1", "Rak dan Pallet Gudang Alokon", 1, "Paket", "1 Gudang", 300_000_000,
          295_500_000, "LS", 295_500_000, 98.5, 1, 100)]),
]


def _template_b(path: Path, *, summed: bool = False, numbered: bool = True,
                ribuan: bool = False) -> Path:
    """Lampiran III as the Enrekang e-Monev exports it (PhpSpreadsheet): the title over A:Q,
    PROVINSI / KABUPATEN/KOTA / TRIWULAN in A3 and their values in D3, a three-row merged
    header, the outline sub bidang > Bukan Tematik > kegiatan > rincian > paket (paket number
    in B, name in C), TOTAL in a merged D:F cell with the Kontraktual Rp. taken from the last
    paket (``summed`` adds it up), and the signature block with NIP. ``ribuan``: the original
    Perpres form, ``PAGU DAK (Rp. Dalam Ribuan)`` and a numbering row ``(1)`` … ``(16)``."""
    from openpyxl import Workbook

    div = 1000 if ribuan else 1
    wb = Workbook()
    ws = wb.active
    ws.title = "Laporan Kemajuan"
    ws["A1"] = ("LAPORAN KEMAJUAN PELAKSANAAN KEGIATAN\nDANA ALOKASI KHUSUS (DAK) FISIK "
                "REGULER/PENUGASAN\nDINAS PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA\n "
                "TAHUN ANGGARAN 2024")
    ws.merge_cells("A1:Q1")
    ws["A3"] = "PROVINSI\nKABUPATEN/KOTA\nTRIWULAN"
    ws.merge_cells("A3:C3")
    ws["D3"] = ": JAWA BARAT\n: KAB GARUT\n: II (April - Juni)"
    ws.merge_cells("D3:Q3")
    for ref, text, span in [("A5", "No", "A5:A7"), ("B5", "SUB BIDANG / TEMATIK /KEGIATAN",
                                                    "B5:C7"),
                            ("D5", "PERENCANAAN KEGIATAN", "D5:G5"),
                            ("H5", "MEKANISME PELAKSANAAN", "H5:L5"), ("M5", "REALISASI", "M5:P5"),
                            ("Q5", "Kodefikasi Keterangan / Permasalahan", "Q5:Q7"),
                            ("D6", "Volume", "D6:D7"), ("E6", "Satuan", "E6:E7"),
                            ("F6", "Penerima manfaat", "F6:F7"),
                            ("G6", "PAGU DAK (Rp. Dalam Ribuan)" if ribuan else "Pagu DAK Fisik",
                             "G6:G7"),
                            ("H6", "Swakelola", "H6:I6"), ("J6", "Kontraktual", "J6:K6"),
                            ("L6", "Metode Pembayaran", "L6:L7"), ("M6", "Keuangan", "M6:N6"),
                            ("O6", "Fisik", "O6:P6")]:
        ws[ref] = text
        ws.merge_cells(span)
    for col, text in zip("HIJKMNOP", ["Volume", "Rp.", "Volume", "Rp.", "Rp.", "%", "Volume",
                                      "%"], strict=True):
        ws[f"{col}7"] = text
    r = 8
    if ribuan:
        for k, col in enumerate("ABCDEFGHIJKLMNOP", start=1):
            ws[f"{col}{r}"] = f"({k})"
        r += 1

    def put(values: list[object]) -> None:
        nonlocal r
        for col, v in zip("ABCDEFGHIJKLMNOPQ", values, strict=False):
            if v not in (None, ""):
                ws[f"{col}{r}"] = v
                if isinstance(v, int) and v > 1000:
                    ws[f"{col}{r}"].number_format = "#,##0"
        r += 1

    put(["1" if numbered else "", "SUBBIDANG KELUARGA BERENCANA"])
    put(["", "Bukan Tematik"])
    pakets = []
    for k, (kegiatan, rincian, rows) in enumerate(_B_PAKETS):
        put(["abc"[k] + "." if numbered else "", kegiatan])
        put(["1)" if numbered else "", rincian])
        for no, name, vol, sat, pen, pagu, kon, metode, real, pct, fvol, fpct in rows:
            put(["", no, name, vol, sat, pen, pagu // div, None, None, vol, kon // div, metode,
                 real // div, pct, fvol, fpct])
            pakets.append((pagu, kon, real))
    kontraktual = sum(p[1] for p in pakets) if summed else pakets[-1][1]
    ws[f"D{r}"] = "TOTAL"
    ws.merge_cells(f"D{r}:F{r}")
    ws[f"G{r}"] = sum(p[0] for p in pakets) // div
    ws[f"K{r}"] = kontraktual // div
    ws[f"M{r}"] = sum(p[2] for p in pakets) // div
    r += 2
    for line in ["Garut, 15 Juli 2024", "KEPALA DINAS PENGENDALIAN PENDUDUK DAN KB", "", "", "",
                 "Drs. H. ASEP SUPRIATNA, M.Si", "Pangkat/Golongan : Pembina Utama Muda / IV c",
                 "NIP : 19680312 199003 1 004"]:
        if line:
            ws[f"M{r}"] = line
        r += 1
    wb.save(path)
    return path


_B_EXPECTED = [
    ["SUBBIDANG KELUARGA BERENCANA", "Pembangunan/Renovasi Balai Penyuluhan KB",
     "Pembangunan Balai Penyuluhan KB / Balai Penyuluhan KB Kec. Cibatu",
     650_000_000.0, 320_000_000.0, 640_000_000.0],
    ["SUBBIDANG KELUARGA BERENCANA", "Pembangunan/Renovasi Balai Penyuluhan KB",
     "Pembangunan Balai Penyuluhan KB / Balai Penyuluhan KB Kec. Leles",
     650_000_000.0, 0.0, 645_000_000.0],
    ["SUBBIDANG KELUARGA BERENCANA",
     "Pengadaan Sarana Prasarana Gudang Alat dan Obat Kontrasepsi",
     "Sarana Prasarana Gudang Alokon Kabupaten/Kota / Rak dan Pallet Gudang Alokon",
     300_000_000.0, 295_500_000.0, 295_500_000.0],
]
_B_ITEM = ["subbidang", "menu", "rincian", "pagu", "realisasi", "nilai_kontrak"]


def _as_csv(xlsx: Path) -> Path:
    """The workbook saved as CSV (values only: every merge is lost), by openpyxl and csv."""
    from openpyxl import load_workbook

    out = xlsx.with_suffix(".csv")
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        for row in load_workbook(xlsx).active.iter_rows(values_only=True):
            w.writerow(["" if v is None else v for v in row])
    return out


@pytest.mark.parametrize(("numbered", "fmt"), [(True, "xlsx"), (False, "xlsx"), (True, "csv")])
def test_template_b_reads_every_paket_from_its_outline(tmp_path: Path, numbered: bool,
                                                       fmt: str) -> None:
    """Each quirk of template B: the three-row merged header (rows 5-7), sub bidang, kegiatan
    and rincian as outline rows with no "Jumlah" word (numbered 1 / a. / 1) or not at all),
    the paket's number and name in the merged B:C column, TRIWULAN II as the only period, the
    region in the D3 block, TOTAL in the merged D:F cell and the NIP signature below it. Saved
    as CSV, the merges are gone: the three header rows and the B:C name are found all the
    same."""
    path = _template_b(tmp_path / "kemajuan.xlsx", numbered=numbered)
    ex = dm.read_export(_as_csv(path) if fmt == "csv" else path)
    assert ex.kind == "fisik"
    assert ex.data[_B_ITEM].values.tolist() == _B_EXPECTED
    assert set(ex.data["kode_wilayah"]) == {"32.05"}
    assert set(ex.data["periode"]) == {pd.Timestamp("2024-06-30")}
    assert ex.data["persen_realisasi_fisik"].tolist() == [50.0, 0.0, 100.0]
    if fmt == "xlsx":  # (a CSV's lines: the title cells hold line breaks)
        assert ex.files["baris_header"].iloc[0] == "5, 6, 7"
    reasons = ex.skipped["alasan"].value_counts().to_dict()
    assert reasons["group"] == 6  # sub bidang, Bukan Tematik, 2 kegiatan, 2 rincian
    assert reasons["total"] == 1
    assert reasons["header"] == 3
    assert ex.rows_read == len(ex.data) + len(ex.skipped)
    nip = ex.skipped[ex.skipped["isi"].str.startswith("NIP")]
    assert nip["alasan"].tolist() == ["note"]


def test_template_b_kontraktual_total_is_a_true_finding(tmp_path: Path) -> None:
    """The application assigns the Kontraktual Rp. total from the last paket instead of
    summing: validation reports exactly that cell, and nothing when the total adds up."""
    report = dm.validate_export(dm.read_export(_template_b(tmp_path / "bug.xlsx")))
    found = report.problems[["code", "column", "row"]].values.tolist()
    total_row = int(dm.read_export(tmp_path / "bug.xlsx").skipped.query(
        "alasan == 'total'")["sumber_baris"].iloc[0])
    assert found == [["total-mismatch", "nilai_kontrak", total_row]]
    assert "1.580.500.000" in report.problems["message"].iloc[0]  # the true sum
    fixed = dm.validate_export(dm.read_export(_template_b(tmp_path / "ok.xlsx", summed=True)))
    assert fixed.problems.empty, fixed.problems[["code", "message"]]


def test_template_b_original_form_in_thousands(tmp_path: Path) -> None:
    """The Perpres form: PAGU DAK "(Rp. Dalam Ribuan)" and a numbering row (1) … (16): the
    pagu is scaled exactly to Rupiah, the numbering row is skipped as numbering."""
    ex = dm.read_export(_template_b(tmp_path / "lampiran3.xlsx", ribuan=True, summed=True))
    assert ex.data["pagu"].tolist() == [650_000_000.0, 650_000_000.0, 300_000_000.0]
    assert (ex.skipped["alasan"] == "numbering").sum() == 1
    assert ex.rows_read == len(ex.data) + len(ex.skipped)


def test_a_unit_over_the_pagu_only_is_checked_against_the_printed_percent(
        tmp_path: Path) -> None:
    """The Perpres form writes every amount in thousands but says so only over the pagu: the
    printed Keuangan % pins realisasi (and the Kontraktual Rp.) to thousands too, stated in
    the notes; the totals then add up."""
    path = _template_b(tmp_path / "lampiran3.xlsx", ribuan=True, summed=True)
    ex = dm.read_export(path)
    assert ex.data[_B_ITEM].values.tolist() == _B_EXPECTED
    assert "the printed % of the pagu says so" in ex.files["catatan"].iloc[0]
    assert dm.validate_export(ex).problems.empty


# ------------------------------------------- template C: LRPD-CO "Kartu Kendali" (kendali.xls)
def _kartu_kendali(path: Path, rows: list[tuple[str, str, str, str, str, str, str, str, str]]
                   ) -> Path:
    """The card as the Musi Banyuasin application serves it: an HTML table named .xls, the
    stage as its only period, a summary block (label over 8 columns, then a value) above a
    two-row header, a blank spacer row, money as ``1.234.567,00`` and JUMLAH in the second
    column."""
    summary = [("PENERIMAAN DARI RKUN", ""), ("Tahap-1", "390.000.000,00"),
               ("Tahap-2", "520.000.000,00"), ("Tahap-3", "0,00"), ("Jumlah", "910.000.000,00"),
               ("Realisasi Pembayaran ke Pihak Ketiga melalui SP2D Daerah", ""),
               ("Triwulan ini", "455.000.000,00"),
               ("Kumulatif s.d. Triwulan ini", "712.500.000,00"),
               ("Sisa Dana Alokasi Khusus Fisik di RKUD", "197.500.000,00")]
    body = "".join(f"<tr><td colspan='8'>{label}</td><td>{value}</td></tr>"
                   for label, value in summary)
    data = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
    pagu = sum(float(r[2].replace(".", "").replace(",", ".")) for r in rows if r[2])
    html = f"""<html><head><meta charset="utf-8"></head><body><table border="1">
<tr><td colspan="7"></td><td colspan="2">REGULER<br>TAHUN ANGGARAN 2019</td></tr>
<tr><td colspan="9">KARTU KENDALI<br>REALISASI PENYERAPAN DANA DAN CAPAIAN OUTPUT KEGIATAN<br>
DANA ALOKASI KHUSUS (DAK) FISIK<br>BIDANG KELUARGA BERENCANA<br>SAMPAI DENGAN TAHAP-2</td></tr>
{body}
<tr><th rowspan="2">No</th><th rowspan="2">Bidang / Sub Bidang</th><th rowspan="2">Pagu<br>(Rp.)</th>
<th rowspan="2">Distribusi<br>Penyaluran<br>(Rp.)</th>
<th colspan="3">Realisasi Pembayaran dari RKUD melalui SP2D Daerah</th>
<th rowspan="2">Sisa Dana di RKUD<br>(Rp.)</th><th rowspan="2">Persentase Capaian<br> Output<br>(%)</th></tr>
<tr><th>Triwulan sebelumnya<br>(Rp.)</th><th>Triwulan ini<br>(Rp.)</th>
<th>Kumulatif s.d. Triwulan ini<br>(Rp.)</th></tr>
<tr><td colspan="9">&nbsp;</td></tr>
{data}
<tr><td></td><td>JUMLAH</td><td>{pagu:,.2f}</td><td>910.000.000,00</td><td>257.500.000,00</td>
<td>455.000.000,00</td><td>712.500.000,00</td><td>197.500.000,00</td><td></td></tr>
</table></body></html>"""
    path.write_text(html.replace(f"{pagu:,.2f}", f"{pagu:,.2f}".replace(",", "#").replace(
        ".", ",").replace("#", ".")), encoding="utf-8")
    return path


_KENDALI_ROWS = [("1", "Keluarga Berencana", "1.300.000.000,00", "910.000.000,00",
                  "257.500.000,00", "455.000.000,00", "712.500.000,00", "197.500.000,00",
                  "54,81")]


def test_template_c_kartu_kendali_needs_only_the_period_and_the_region(tmp_path: Path) -> None:
    """The card says "SAMPAI DENGAN TAHAP-2" (a stage, not a date) and names no region: the
    error asks for the period, saying why; with --periode and --wilayah it reads its one row
    exactly (realisasi is the cumulative column), the summary block is skipped as summary rows
    and the JUMLAH row is a total that adds up."""
    path = _kartu_kendali(tmp_path / "kendali.xls", _KENDALI_ROWS)
    with pytest.raises(dm.MissingColumnError) as err:
        dm.read_export(path)
    assert "transfer stage (TAHAP-2)" in str(err.value)
    ex = dm.read_export(path, periode="2019-09", wilayah="16.06")
    assert ex.kind == "fisik"
    assert ex.data[["kode_wilayah", "subbidang", "pagu", "penyaluran", "realisasi",
                    "persen_realisasi_fisik"]].values.tolist() == [
        ["16.06", "Keluarga Berencana", 1_300_000_000.0, 910_000_000.0, 712_500_000.0, 54.81]]
    assert ex.data["tahun"].tolist() == [2019]
    reasons = ex.skipped["alasan"].value_counts().to_dict()
    assert reasons["summary"] == 9
    assert reasons["total"] == 1
    assert ex.rows_read == len(ex.data) + len(ex.skipped)
    assert dm.validate_export(ex).problems.empty


# ------------------------------------------------- template D: a recap per pemda, names short
def test_template_d_recap_with_names_printed_short(tmp_path: Path) -> None:
    """A treasury semester recap: ``No | Pemda | Pagu | Realisasi | %`` in miliar with a dot
    decimal (stated in the title), names truncated in print, ``-`` for none, ``51%``. Each
    short name is read as the one region it begins, and said so; the amounts are exact."""
    path = _csv(tmp_path / "rekap_kppn.csv",
                ["REALISASI DAK NONFISIK BOKB PER PEMDA SEMESTER I TAHUN 2024",
                 "(dalam miliar rupiah)"],
                head=["No", "Pemda", "Pagu", "Realisasi", "%"],
                rows=[["1", "KAB BENGKULU SEL", "17.04", "8.69", "51%"],
                      ["2", "KAB REJANG LEBONG", "2.5", "-", "0%"],
                      ["3", "KOTA BENGKULU", "190.08", "96.94", "51%"]])
    ex = dm.read_export(path)
    assert ex.data[["kode_wilayah", "menu", "pagu", "realisasi"]].values.tolist() == [
        ["17.01", "(rekap OPD)", 17_040_000_000.0, 8_690_000_000.0],
        ["17.02", "(rekap OPD)", 2_500_000_000.0, 0.0],
        ["17.71", "(rekap OPD)", 190_080_000_000.0, 96_940_000_000.0]]
    assert set(ex.data["periode"]) == {pd.Timestamp("2024-06-30")}
    assert "'KAB BENGKULU SEL' = Kabupaten Bengkulu Selatan" in ex.files["catatan"].iloc[0]
    assert dm.validate_export(ex).problems.empty


def test_an_ambiguous_region_name_names_its_candidates(tmp_path: Path) -> None:
    """"Bandung" is a kabupaten and a kota: the row is an error naming both, never a guess;
    the ``wilayah=`` option refuses it the same way."""
    path = _csv(tmp_path / "x.csv", ["LAPORAN BOKB TAHUN ANGGARAN 2024", "Periode s.d. Juni 2024"],
                head=["Kabupaten/Kota", "Menu", "Pagu", "Realisasi"],
                rows=[["Bandung", "Operasional BKB", "1.000.000", "400.000"],
                      ["Garut", "Operasional BKB", "1.000.000", "400.000"]])
    report = dm.validate_export(dm.read_export(path))
    ambiguous = report.problems[report.problems["code"] == "region-name-ambiguous"]
    assert ambiguous["row"].tolist() == [4]
    assert "32.04 Kabupaten Bandung, 32.73 Kota Bandung" in ambiguous["message"].iloc[0]
    assert "Bandung" not in set(report.valid["nama_wilayah"])
    with pytest.raises(dm.ConfigError, match=r"32\.04 \(Kabupaten Bandung\), 32\.73 \(Kota"):
        dm.read_export(_csv(tmp_path / "y.csv", ["LAPORAN BOKB 2024 Juni 2024"]),
                       wilayah="Bandung")


def test_template_a_unlabelled_subtotals_are_checked(tmp_path: Path) -> None:
    """SIPD's program and kegiatan rows carry subtotals with no "Jumlah" word: each is checked
    against the rows below it to the next row of its level (the DAU line counts, being in
    the sum). A program subtotal that does not add up is named at its row, nothing else."""
    ex = dm.read_export(_rfk_file(tmp_path, "csv", program_04_dpa="1.100.000.000"))
    report = dm.validate_export(ex)
    bad = report.problems
    assert bad[["code", "column"]].values.tolist() == [["total-mismatch", "pagu"]]
    assert "PROGRAM PEMBERDAYAAN" in bad["message"].iloc[0]
    assert "Rp 1.000.000.000" in bad["message"].iloc[0]  # the sum of the rows it covers


def test_outline_levels_told_apart_by_indentation(tmp_path: Path) -> None:
    """An office's own CSV with no outline numbers: sub bidang, kegiatan and rincian set apart
    only by leading spaces. A kegiatan with its pakets right below it (no rincian row) takes
    the kegiatan's place, not the last rincian's."""
    path = _csv(tmp_path / "fisik_garut.csv",
                ["LAPORAN DAK FISIK SUBBIDANG KB KAB GARUT TAHUN ANGGARAN 2024",
                 "Periode s.d. Juni 2024"],
                head=["Uraian Kegiatan", "Pagu", "Nilai Kontrak", "Realisasi"],
                rows=[["SUBBIDANG KELUARGA BERENCANA", "", "", ""],
                      ["  Pembangunan Balai Penyuluhan KB", "", "", ""],
                      ["    Balai Penyuluhan KB Tipe A", "", "", ""],
                      ["      Kec. Cibatu", "650.000.000", "640.000.000", "320.000.000"],
                      ["      Kec. Leles", "650.000.000", "645.000.000", "0"],
                      ["  Pengadaan Sarana Gudang Alokon", "", "", ""],
                      ["      Rak Gudang", "300.000.000", "295.500.000", "295.500.000"]])
    ex = dm.read_export(path)
    assert ex.data[["subbidang", "menu", "rincian"]].values.tolist() == [
        ["SUBBIDANG KELUARGA BERENCANA", "Pembangunan Balai Penyuluhan KB",
         "Balai Penyuluhan KB Tipe A / Kec. Cibatu"],
        ["SUBBIDANG KELUARGA BERENCANA", "Pembangunan Balai Penyuluhan KB",
         "Balai Penyuluhan KB Tipe A / Kec. Leles"],
        ["SUBBIDANG KELUARGA BERENCANA", "Pengadaan Sarana Gudang Alokon", "Rak Gudang"]]
    assert (ex.skipped["alasan"] == "group").sum() == 4
    assert dm.validate_export(ex).problems.empty
