"""The report's columns: the header a person reads (Indonesian, English) and the kind of value.

Every table the report shows — workbook sheets, ``report.html``, the CSV files for Excel —
takes its headers from :data:`REPORT_COLUMNS` and its number formats from
:data:`COLUMN_KINDS`. The column *codes* (``p_di_bawah_ambang``) stay as they are in frames,
JSON and the machine CSV form; the labels are for people and may change.

Examples
--------
>>> REPORT_COLUMNS.label("p_di_bawah_ambang", "id"), REPORT_COLUMNS.label("serapan", "en")
('Peluang di bawah ambang', 'Absorption to date')
>>> COLUMN_KINDS["pagu"], COLUMN_KINDS["serapan"]
('money', 'pct')
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from . import Term, Terms

__all__ = ["CODE_SUFFIX", "COLUMN_KINDS", "REPORT_COLUMNS"]

#: A column that keeps the machine code beside its label column: ``status`` → ``status_kode``.
CODE_SUFFIX: Final = "_kode"

_T = Term
#: Report column code -> its header in each language. One entry per column any report table
#: shows; a test checks that every shown column has one.
REPORT_COLUMNS: Final = Terms(
    # who
    _T("jenis_dak", "Jenis DAK", "DAK kind"),
    _T("peringkat", "Peringkat", "Rank"),
    _T("kode_wilayah", "Kode wilayah", "Region code"),
    _T("nama_wilayah", "OPD (kabupaten/kota)", "OPD (district)"),
    _T("nama", "OPD", "OPD"),
    _T("tahun", "Tahun", "Year"),
    _T("periode", "Periode", "Period"),
    _T("bulan", "Bulan ke-", "Month no."),
    # money and absorption
    _T("pagu", "Pagu (Rp)", "Pagu (Rp)"),
    _T("realisasi", "Realisasi (Rp)", "Realisasi (Rp)"),
    _T("serapan", "Serapan s.d. periode", "Absorption to date"),
    _T("proyeksi", "Proyeksi akhir tahun", "Projected year end"),
    _T("batas_bawah", "Batas bawah interval", "Interval, lower"),
    _T("batas_atas", "Batas atas interval", "Interval, upper"),
    _T("p_di_bawah_ambang", "Peluang di bawah ambang", "Chance of ending below threshold"),
    _T("status", "Status", "Status"),
    _T("metode", "Metode proyeksi", "Projection method"),
    _T("terkalibrasi", "Interval terkalibrasi", "Interval calibrated"),
    _T("pagu_hilang", "Pagu hilang: tanpa kontrak s.d. batas (Rp)",
       "Pagu lost: no contract by the deadline (Rp)"),
    _T("pagu_tanpa_kontrak", "Pagu belum kontrak (Rp)", "Pagu not yet contracted (Rp)"),
    _T("macet", "Porsi pagu macet", "Share of pagu stalled"),
    _T("baris_karantina", "Baris dikarantina", "Rows quarantined"),
    _T("pagu_karantina", "Pagu di baris karantina (Rp)", "Pagu in quarantined rows (Rp)"),
    _T("data_lengkap", "Data lengkap", "Data complete"),
    _T("dilaporkan", "Melapor untuk periode ini", "Reported for this period"),
    _T("data", "Tanda data (*)", "Data mark (*)"),
    _T("alasan", "Alasan utama", "Main reason"),
    # flags and problems
    _T("judul", "Flag", "Flag"),
    _T("code", "Kode", "Code"),
    _T("severity", "Tingkat", "Severity"),
    _T("pesan", "Pesan", "Message"),
    _T("n_item", "Jumlah item", "Items"),
    _T("n", "Jumlah", "Count"),
    _T("pagu_terdampak", "Pagu terdampak (Rp)", "Pagu concerned (Rp)"),
    _T("share_pagu", "Porsi pagu", "Share of pagu"),
    _T("pagu_flagged", "Pagu bermasalah (Rp)", "Pagu flagged (Rp)"),
    _T("worst", "Tingkat terberat", "Worst severity"),
    _T("codes", "Flag", "Flags"),
    _T("file", "Berkas", "File"),
    _T("sheet", "Lembar", "Sheet"),
    _T("row", "Baris", "Row"),
    _T("column", "Kolom", "Column"),
    _T("value", "Nilai tertulis", "Value as written"),
    # items
    _T("menu", "Menu", "Menu"),
    _T("rincian", "Rincian", "Rincian (item)"),
    _T("metode_pengadaan", "Metode pengadaan", "Procurement method"),
    _T("nomor_kontrak", "Nomor kontrak", "Contract number"),
    _T("tanggal_kontrak", "Tanggal kontrak", "Contract date"),
    _T("periode_kontrak_dilaporkan", "Periode kontrak dilaporkan", "Contract reported in"),
    _T("periode_dipakai", "Periode dipakai", "Period used"),
    _T("batas_semester", "Batas semester I", "First-semester cut-off"),
    _T("batas_kontrak", "Batas kontrak", "Contract deadline"),
    # provenance and files
    _T("sumber_file", "Berkas", "File"),
    _T("sumber_sheet", "Lembar", "Sheet"),
    _T("sumber_baris", "Baris", "Row"),
    _T("baris_header", "Baris judul kolom", "Header rows"),
    _T("baris_dibaca", "Baris dibaca", "Rows read"),
    _T("baris_data", "Baris data", "Data rows"),
    _T("baris_dilewati", "Baris dilewati", "Rows skipped"),
    _T("catatan", "Catatan pembaca", "What the reader inferred"),
    # reporting (``reporting_status``)
    _T("parsial", "Parsial", "Partial"),
    _T("terlambat", "Terlambat", "Late"),
    _T("direvisi", "Direvisi", "Revised"),
    _T("n_item_sebelumnya", "Jumlah item laporan sebelumnya", "Items in the previous report"),
    _T("pagu_sebelumnya", "Pagu laporan sebelumnya (Rp)", "Pagu in the previous report (Rp)"),
    _T("pagu_diharapkan", "Pagu diharapkan (Rp)", "Pagu expected (Rp)"),
    _T("pagu_dilaporkan", "Pagu dilaporkan (Rp)", "Pagu reported (Rp)"),
    _T("tanggal_lapor", "Tanggal lapor", "Report date"),
    _T("batas_lapor", "Batas lapor", "Reporting deadline"),
    _T("kolom", "Kolom", "Column"),
    _T("lama", "Nilai lama", "Old value"),
    _T("baru", "Nilai baru", "New value"),
    _T("file_lama", "Berkas lama", "Old file"),
    _T("baris_lama", "Baris lama", "Old row"),
    _T("file_baru", "Berkas baru", "New file"),
    _T("baris_baru", "Baris baru", "New row"),
    # what changed since the previous report (``compare_reports``)
    _T("urutan", "Urutan tindak lanjut", "Act-on order"),
    _T("perubahan", "Perubahan utama", "Main change"),
    _T("perubahan_lain", "Perubahan lain", "Other changes"),
    _T("status_lalu", "Status bulan lalu", "Status last month"),
    _T("serapan_lalu", "Serapan bulan lalu", "Absorption last month"),
    _T("proyeksi_lalu", "Proyeksi bulan lalu", "Projection last month"),
    _T("flag_baru", "Flag baru", "New flags"),
    _T("flag_selesai", "Flag selesai", "Flags resolved"),
    _T("n_periode_direvisi", "Periode direvisi", "Periods revised"),
    _T("n_pagu_berubah", "Item pagu berubah", "Items with pagu changed"),
    _T("n_item_hilang", "Item hilang", "Items removed"),
    _T("n_item_baru", "Item baru", "Items added"),
    # machine codes kept beside their labels
    _T("status_kode", "Kode status", "Status code"),
    _T("severity_kode", "Kode tingkat", "Severity code"),
    _T("worst_kode", "Kode tingkat terberat", "Worst severity code"),
    _T("jenis_dak_kode", "Kode jenis DAK", "DAK kind code"),
    _T("codes_kode", "Kode flag", "Flag codes"),
    _T("perubahan_kode", "Kode perubahan", "Change code"),
    _T("perubahan_lain_kode", "Kode perubahan lain", "Other change codes"),
    _T("status_lalu_kode", "Kode status bulan lalu", "Status code last month"),
)

#: Report column code -> the kind of its values: ``money`` (whole Rupiah), ``pct`` (a share,
#: shown as a percent), ``int``, ``dec`` (a number with decimals), ``date``, ``month``; a
#: column not listed is text.
COLUMN_KINDS: Final = MappingProxyType({
    **dict.fromkeys(("pagu", "realisasi", "pagu_hilang", "pagu_tanpa_kontrak",
                     "pagu_karantina", "pagu_terdampak", "pagu_flagged", "pagu_sebelumnya",
                     "pagu_diharapkan", "pagu_dilaporkan", "lama", "baru"), "money"),
    **dict.fromkeys(("serapan", "proyeksi", "batas_bawah", "batas_atas", "p_di_bawah_ambang",
                     "macet", "share_pagu", "serapan_lalu", "proyeksi_lalu"), "pct"),
    **dict.fromkeys(("peringkat", "bulan", "tahun", "baris_karantina", "n_item", "n", "row",
                     "sumber_baris", "baris_dibaca", "baris_data", "baris_dilewati",
                     "n_item_sebelumnya", "baris_lama", "baris_baru", "urutan",
                     "n_periode_direvisi", "n_pagu_berubah", "n_item_hilang", "n_item_baru"),
                    "int"),
    **dict.fromkeys(("tanggal_kontrak", "batas_semester", "batas_kontrak", "tanggal_lapor",
                     "batas_lapor"), "date"),
    **dict.fromkeys(("periode", "periode_kontrak_dilaporkan", "periode_dipakai"), "month"),
})
