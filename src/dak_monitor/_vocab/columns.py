"""Canonical column names of the export frames, and the header aliases that map onto them.

The names are the Indonesian words analysts use (``pagu``, ``realisasi``, ``opd``); see
``EXPORT_FORMAT.md``. Every module refers to columns through these constants.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

# --- identifying columns -------------------------------------------------------------
TAHUN: Final = "tahun"
PERIODE: Final = "periode"
KODE_PROVINSI: Final = "kode_provinsi"
KODE_WILAYAH: Final = "kode_wilayah"
NAMA_WILAYAH: Final = "nama_wilayah"
OPD: Final = "opd"
MENU: Final = "menu"
RINCIAN: Final = "rincian"
SUBBIDANG: Final = "subbidang"
# --- money and progress ----------------------------------------------------------------
PAGU: Final = "pagu"
PENYALURAN: Final = "penyaluran"
REALISASI: Final = "realisasi"
PERSEN_REALISASI: Final = "persen_realisasi"
PERSEN_CAPAIAN_OUTPUT: Final = "persen_capaian_output"
VOLUME: Final = "volume"
SATUAN: Final = "satuan"
METODE_PENGADAAN: Final = "metode_pengadaan"
STATUS_PENGADAAN: Final = "status_pengadaan"
NOMOR_KONTRAK: Final = "nomor_kontrak"
TANGGAL_KONTRAK: Final = "tanggal_kontrak"
NILAI_KONTRAK: Final = "nilai_kontrak"
PERSEN_REALISASI_FISIK: Final = "persen_realisasi_fisik"
VOLUME_REALISASI: Final = "volume_realisasi"
KETERANGAN: Final = "keterangan"
#: When the report was entered or uploaded (optional; ``Tanggal Input``, ``Tgl Upload``): the
#: only evidence of a late report.
TANGGAL_LAPOR: Final = "tanggal_lapor"
# --- added by the reader -------------------------------------------------------------
JENIS_DAK: Final = "jenis_dak"
SUMBER_FILE: Final = "sumber_file"
SUMBER_SHEET: Final = "sumber_sheet"
SUMBER_BARIS: Final = "sumber_baris"

NONFISIK: Final = "nonfisik"
FISIK: Final = "fisik"
KINDS: Final = (NONFISIK, FISIK)

PROVENANCE: Final = (SUMBER_FILE, SUMBER_SHEET, SUMBER_BARIS)
#: Not a column: the name under which a data row's cells right of its header are reported
#: (``Export.unparsed``, the check ``cell-beyond-header``).
BEYOND_HEADER: Final = "di_luar_judul_kolom"

#: Canonical columns of a DAK nonfisik (BOKB) export, in order.
NONFISIK_COLUMNS: Final = (
    TAHUN, PERIODE, KODE_PROVINSI, KODE_WILAYAH, NAMA_WILAYAH, OPD, MENU, RINCIAN,
    PAGU, PENYALURAN, REALISASI, PERSEN_REALISASI, PERSEN_CAPAIAN_OUTPUT, KETERANGAN,
)
#: Canonical columns of a DAK fisik (subbidang KB) export, in order.
FISIK_COLUMNS: Final = (
    TAHUN, PERIODE, KODE_PROVINSI, KODE_WILAYAH, NAMA_WILAYAH, OPD, SUBBIDANG, MENU, RINCIAN,
    VOLUME, SATUAN, PAGU, METODE_PENGADAAN, STATUS_PENGADAAN, NOMOR_KONTRAK, TANGGAL_KONTRAK,
    NILAI_KONTRAK, PENYALURAN, REALISASI, PERSEN_REALISASI, PERSEN_REALISASI_FISIK,
    VOLUME_REALISASI, KETERANGAN,
)
#: Columns of ``Export.data``: the union of both kinds, then ``jenis_dak`` and provenance.
CANONICAL_COLUMNS: Final = (
    *FISIK_COLUMNS[:6], SUBBIDANG, MENU, RINCIAN, VOLUME, SATUAN, PAGU,
    METODE_PENGADAAN, STATUS_PENGADAAN, NOMOR_KONTRAK, TANGGAL_KONTRAK, NILAI_KONTRAK,
    PENYALURAN, REALISASI, PERSEN_REALISASI, PERSEN_CAPAIAN_OUTPUT, PERSEN_REALISASI_FISIK,
    VOLUME_REALISASI, KETERANGAN, TANGGAL_LAPOR, JENIS_DAK, *PROVENANCE,
)

#: Required columns per kind (``tahun``/``periode`` may instead come from the title block;
#: ``kode_wilayah`` may be derived from an unambiguous ``nama_wilayah`` and vice versa).
REQUIRED: Final = MappingProxyType({
    NONFISIK: (TAHUN, PERIODE, KODE_WILAYAH, NAMA_WILAYAH, MENU, PAGU, REALISASI),
    FISIK: (TAHUN, PERIODE, KODE_WILAYAH, NAMA_WILAYAH, MENU, RINCIAN, PAGU, REALISASI),
})

#: The ``menu`` (and, for DAK fisik, ``rincian``) of a recap row (one row per OPD, no menu or
#: rincian: a pemda recap): such a row is the OPD's one "item"; checks and flags that need
#: real items pass it over.
RECAP_MENU: Final = "(rekap OPD)"

MONEY_COLUMNS: Final = (PAGU, PENYALURAN, REALISASI, NILAI_KONTRAK)
PERCENT_COLUMNS: Final = (PERSEN_REALISASI, PERSEN_CAPAIAN_OUTPUT, PERSEN_REALISASI_FISIK)
QUANTITY_COLUMNS: Final = (VOLUME, VOLUME_REALISASI)
DATE_COLUMNS: Final = (TANGGAL_KONTRAK, TANGGAL_LAPOR)
TEXT_COLUMNS: Final = (
    NAMA_WILAYAH, OPD, SUBBIDANG, MENU, RINCIAN, SATUAN, METODE_PENGADAAN, STATUS_PENGADAAN,
    NOMOR_KONTRAK, KETERANGAN,
)

_COMMON_ALIASES: dict[str, tuple[str, ...]] = {
    TAHUN: ("tahun", "tahun anggaran", "ta", "thn", "tahun anggaran ta"),
    PERIODE: ("periode", "bulan", "s.d. bulan", "sd bulan", "s/d bulan", "posisi", "posisi bulan",
              "periode laporan", "bulan laporan"),
    KODE_PROVINSI: ("kode provinsi", "kd prov", "kode prov", "kd provinsi"),
    KODE_WILAYAH: ("kode kab/kota", "kode wilayah", "kode pemda", "kd kab", "kode kabupaten/kota",
                   "kd kab/kota", "kode daerah", "kode kab", "kode"),
    NAMA_WILAYAH: ("kabupaten/kota", "kab/kota", "pemda", "nama daerah", "nama wilayah",
                   "kabupaten / kota", "nama kab/kota", "wilayah", "daerah", "nama pemda"),
    OPD: ("opd", "nama opd", "perangkat daerah", "skpd", "opd kb", "opd-kb", "nama skpd"),
    MENU: ("menu", "menu kegiatan", "komponen", "nama menu", "sub kegiatan",
           "nama sub kegiatan",
           # SIPD's RFK report: the name column of its urusan > program > kegiatan hierarchy
           "urusan/bidang urusan pemerintahan daerah dan program/kegiatan"),
    RINCIAN: ("rincian", "rincian kegiatan", "sub komponen", "subkomponen", "rincian menu",
              "item", "rincian menu kegiatan"),
    PAGU: ("pagu", "pagu alokasi", "alokasi", "anggaran", "pagu dak", "alokasi dak",
           "pagu anggaran",
           # budget documents: with two, the reader takes DPA (the authorised one)
           "dpa", "dpa simda", "dpa sipd", "dpa skpd", "rka sipd", "rka simda", "rka fmis",
           # Perpres 123/2016 Lampiran III
           "pagu dak fisik", "pagu dak nonfisik", "pagu dak non fisik"),
    PENYALURAN: ("penyaluran", "dana diterima", "diterima di rkud", "dana masuk rkud",
                 "penyaluran kumulatif", "distribusi penyaluran",
                 "realisasi penyaluran dari kppn ke-rkud", "realisasi penyaluran"),
    REALISASI: ("realisasi", "penyerapan", "realisasi penyerapan", "realisasi anggaran",
                "realisasi kumulatif", "realisasi keuangan",
                # LRPD-CO: "Realisasi Pembayaran dari RKUD melalui SP2D Daerah" over three
                # columns, of which the cumulative one is the realisasi
                "kumulatif s.d. triwulan ini", "kumulatif s/d triwulan ini",
                "realisasi pembayaran dari rkud melalui sp2d daerah kumulatif s.d. triwulan ini",
                "realisasi penyerapan dari rkud"),
    PERSEN_REALISASI: ("%", "% realisasi", "persentase", "persen", "realisasi %", "% penyerapan",
                       "persentase realisasi", "persen realisasi", "% serapan",
                       "realisasi keuangan %"),
    KETERANGAN: ("keterangan", "ket.", "ket", "catatan", "keterangan/permasalahan",
                 "kodefikasi keterangan/permasalahan", "permasalahan"),
    # Optional: when the row was entered or uploaded (a report's lateness rests on it)
    TANGGAL_LAPOR: ("tanggal lapor", "tanggal laporan", "tgl laporan", "tgl. laporan",
                    "tanggal input", "tgl input", "tgl. input", "tanggal upload", "tgl upload",
                    "tgl. upload", "tanggal unggah", "tgl unggah", "waktu unggah",
                    "waktu upload", "waktu input", "tanggal entri", "tanggal pelaporan"),
}

_NONFISIK_ALIASES: dict[str, tuple[str, ...]] = {
    **_COMMON_ALIASES,
    PERSEN_CAPAIAN_OUTPUT: ("capaian output %", "capaian %", "capaian output", "capaian",
                            "% capaian output", "persen capaian output"),
}

_FISIK_ALIASES: dict[str, tuple[str, ...]] = {
    **_COMMON_ALIASES,
    SUBBIDANG: ("subbidang", "sub bidang",
                # LRPD-CO Kartu Kendali: one row per sub bidang of the card's bidang
                "bidang/sub bidang", "jenis/bidang/sub bidang"),
    # Lampiran III names its outline column for its levels; each paket row's sub bidang, menu
    # and rincian come from the outline rows above it (the reader's ``rows.outline_levels``).
    MENU: (*_COMMON_ALIASES[MENU], "sub bidang/tematik/kegiatan", "sub bidang/kegiatan",
           "uraian kegiatan", "uraian kegiatan/paket"),
    VOLUME: ("volume", "vol", "volume rk", "target volume"),
    SATUAN: ("satuan", "sat", "sat."),
    PAGU: (*_COMMON_ALIASES[PAGU], "nilai rk", "pagu rk"),
    METODE_PENGADAAN: ("metode pengadaan", "cara pengadaan", "metode", "mekanisme pengadaan"),
    STATUS_PENGADAAN: ("status", "status pengadaan", "tahapan", "tahapan pengadaan"),
    NOMOR_KONTRAK: ("no. kontrak", "nomor kontrak", "nomor spk", "no kontrak", "no. spk",
                    "no spk", "kontrak nomor"),
    TANGGAL_KONTRAK: ("tanggal kontrak", "tgl kontrak", "tgl. kontrak", "kontrak tanggal",
                      "tanggal spk"),
    NILAI_KONTRAK: ("nilai kontrak", "kontrak nilai", "nilai spk",
                    # Lampiran III: "Mekanisme Pelaksanaan: Kontraktual (Volume, Rp.)"
                    "kontraktual", "mekanisme pelaksanaan kontraktual"),
    PENYALURAN: (*_COMMON_ALIASES[PENYALURAN], "dana tahap i+ii+iii", "penyaluran tahap i+ii+iii"),
    REALISASI: (*_COMMON_ALIASES[REALISASI], "sp2d", "realisasi keuangan rp", "keuangan"),
    PERSEN_REALISASI: (*_COMMON_ALIASES[PERSEN_REALISASI], "keuangan %"),
    PERSEN_REALISASI_FISIK: ("realisasi fisik %", "realisasi fisik", "progres fisik",
                             "progres fisik %", "fisik %", "% fisik", "capaian fisik",
                             "persentase capaian output %", "persentase capaian output"),
    VOLUME_REALISASI: ("volume realisasi", "output", "realisasi volume", "fisik volume"),
}

#: Default header aliases per kind: canonical column -> header spellings (compared after
#: folding case, line breaks, spaces and a trailing ``(Rp)``).
DEFAULT_ALIASES: Final = MappingProxyType({
    NONFISIK: MappingProxyType(_NONFISIK_ALIASES),
    FISIK: MappingProxyType(_FISIK_ALIASES),
})

#: Headers that only a DAK fisik export has (used to detect the kind).
FISIK_MARKERS: Final = (
    TANGGAL_KONTRAK, NILAI_KONTRAK, NOMOR_KONTRAK, METODE_PENGADAAN, STATUS_PENGADAAN,
    PERSEN_REALISASI_FISIK,
)
