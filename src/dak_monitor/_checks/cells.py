"""Cell checks: one column's values on their own (run through pandera by the schemas).

Each function is True where a value FAILS. The parse checks come first: their cells are the
ones the reader could not parse (``Export.unparsed``); ``columns`` says whose cells each
reports.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from .._regions import known_codes
from .._vocab import columns as C
from . import ERROR, register_check

#: Every region code the Kemendagri lists know (current and historical).
REGION_CODES: Final = known_codes()

# --------------------------------------------------------------------- cells not parsed
register_check(
    "unparseable-number", ERROR, "cell",
    columns=(*C.MONEY_COLUMNS, *C.PERCENT_COLUMNS, *C.QUANTITY_COLUMNS),
    title=("Angka tidak terbaca", "Unreadable number"),
    pesan="Kolom {column}: '{value}' bukan angka yang sah (contoh 1.234.567 atau 1.234,50).",
    message="Column {column}: '{value}' is not a valid number (e.g. 1.234.567 or 1.234,50).",
    pandera_names=("dtype",), parsed_by_reader=True)(None)
register_check(
    "cell-beyond-header", ERROR, "cell", column=C.BEYOND_HEADER, columns=(C.BEYOND_HEADER,),
    title=("Sel di luar judul kolom", "Cell beyond the header"),
    pesan="Baris ini lebih lebar dari judul kolomnya: '{value}' di kanan kolom terakhir (tanda "
          "';' dalam teks?). Isinya mungkin bergeser kolom; perbaiki baris ini.",
    message="This row is wider than its header: '{value}' right of the last column (a ';' "
            "typed in a text?). Its cells may have shifted; fix the row.",
    parsed_by_reader=True)(None)
register_check(
    "unparseable-date", ERROR, "cell", column=C.TANGGAL_KONTRAK, columns=C.DATE_COLUMNS,
    title=("Tanggal tidak terbaca", "Unreadable date"),
    pesan="Kolom {column}: '{value}' bukan tanggal yang sah (dd/mm/yyyy atau 12 Maret 2024).",
    message="Column {column}: '{value}' is not a valid date (dd/mm/yyyy or 12 Maret 2024).",
    parsed_by_reader=True)(None)
register_check(
    "unparseable-periode", ERROR, "cell", column=C.PERIODE, columns=(C.PERIODE,),
    title=("Periode tidak terbaca", "Unreadable period"),
    pesan="Periode '{value}' tidak dikenali (contoh 'Juni 2024', '06/2024', 'TW II').",
    message="Period '{value}' is not recognised (e.g. 'Juni 2024', '06/2024', 'TW II').",
    parsed_by_reader=True)(None)
register_check(
    "unparseable-tahun", ERROR, "cell", column=C.TAHUN, columns=(C.TAHUN,),
    title=("Tahun tidak terbaca", "Unreadable year"),
    pesan="Tahun '{value}' tidak dikenali (contoh 2024).",
    message="Year '{value}' is not recognised (e.g. 2024).", parsed_by_reader=True)(None)
register_check(
    "unparseable-region-code", ERROR, "cell", column=C.KODE_WILAYAH,
    columns=(C.KODE_WILAYAH, C.KODE_PROVINSI),
    title=("Kode wilayah tidak terbaca", "Unreadable region code"),
    pesan="Kolom {column}: '{value}' bukan kode wilayah (contoh 32.04).",
    message="Column {column}: '{value}' is not a region code (e.g. 32.04).",
    parsed_by_reader=True)(None)

# ------------------------------------------------------------------------ column values
register_check(
    "missing-value", ERROR, "cell",
    title=("Nilai wajib kosong", "Required value missing"),
    pesan="Kolom wajib {column} kosong.", message="Required column {column} is empty.",
    pandera_names=("not_nullable",))(None)


@register_check("negative-value", ERROR, "cell",
                columns=(C.PAGU, C.REALISASI, C.PENYALURAN, C.NILAI_KONTRAK),
                title=("Nilai negatif", "Negative value"),
                pesan="Kolom {column} bernilai negatif ({value}).",
                message="Column {column} is negative ({value}).")
def _negative(s: pd.Series) -> pd.Series:
    return s < 0


#: The error values a spreadsheet shows in a cell whose formula failed.
EXCEL_ERRORS: Final = frozenset(("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!",
                                 "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"))


@register_check("spreadsheet-error-value", ERROR, "cell",
                columns=(C.MENU, C.RINCIAN, C.SUBBIDANG),
                title=("Nilai galat spreadsheet", "Spreadsheet error value"),
                pesan="Kolom {column} berisi nilai galat spreadsheet {value}: rumus di berkas "
                      "asal gagal, bukan nama item.",
                message="Column {column} holds the spreadsheet error value {value}: a formula "
                        "failed in the source file; it is not an item's name.")
def _spreadsheet_error(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.upper().isin(EXCEL_ERRORS).fillna(False)


@register_check("percent-out-of-range", ERROR, "cell", columns=(C.PERSEN_CAPAIAN_OUTPUT,),
                kinds=(C.NONFISIK,),
                title=("Persen di luar 0–100", "Percent outside 0–100"),
                pesan="Kolom {column} bernilai {value}, di luar 0–100.",
                message="Column {column} is {value}, outside 0–100.")
def _percent_out_of_range(s: pd.Series) -> pd.Series:
    return s.notna() & ~s.between(0, 100)


@register_check("realisasi-fisik-out-of-range", ERROR, "cell", column=C.PERSEN_REALISASI_FISIK,
                columns=(C.PERSEN_REALISASI_FISIK,), kinds=(C.FISIK,),
                title=("Realisasi fisik di luar 0–100", "Physical progress outside 0–100"),
                pesan="Realisasi fisik {value}% di luar 0–100%.",
                message="Physical progress {value}% is outside 0–100%.")
def _fisik_out_of_range(s: pd.Series) -> pd.Series:
    return s.notna() & ~s.between(0, 100)


@register_check("unknown-region", ERROR, "cell", column=C.KODE_WILAYAH,
                columns=(C.KODE_WILAYAH,),
                title=("Kode wilayah tidak ada", "Region code does not exist"),
                pesan="Kode wilayah {value} tidak ada dalam daftar Kemendagri.",
                message="Region code {value} is not in the Kemendagri list.")
def _unknown_region(s: pd.Series) -> pd.Series:
    return s.notna() & ~s.isin(REGION_CODES)
