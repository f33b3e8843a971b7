"""Header labels of a written export: standard spellings, varied spellings, two-row groups.

The spellings are the writer's own (:data:`HEADER_SPELLINGS`), not the reader's alias table
``dak_monitor._vocab.columns.DEFAULT_ALIASES``: an independent writer must not be defined by
the reader it tests (``tests/test_datasets.py`` checks that every spelling written is one the
reader knows). Each column's varied label is drawn from a stream of its own
(``header:<column>``, see :func:`dak_monitor.datasets.options.stream`), so adding a spelling
to one column changes no other column's label.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import numpy as np

from .._vocab import columns as C
from .options import stream

__all__ = ["HEADER_SPELLINGS", "STANDARD_HEADERS", "header_rows"]

_MONEY: Final = frozenset(C.MONEY_COLUMNS)

#: Header spelling of each column in the clean layout (``header_style="standard"``).
STANDARD_HEADERS: Final = MappingProxyType({
    C.TAHUN: "Tahun", C.PERIODE: "Periode", C.KODE_PROVINSI: "Kode Provinsi",
    C.KODE_WILAYAH: "Kode Wilayah", C.NAMA_WILAYAH: "Kabupaten/Kota", C.OPD: "OPD",
    C.SUBBIDANG: "Subbidang", C.MENU: "Menu", C.RINCIAN: "Rincian", C.VOLUME: "Volume",
    C.SATUAN: "Satuan", C.PAGU: "Pagu", C.METODE_PENGADAAN: "Metode Pengadaan",
    C.STATUS_PENGADAAN: "Status Pengadaan", C.NOMOR_KONTRAK: "Nomor Kontrak",
    C.TANGGAL_KONTRAK: "Tanggal Kontrak", C.NILAI_KONTRAK: "Nilai Kontrak",
    C.PENYALURAN: "Penyaluran", C.REALISASI: "Realisasi", C.PERSEN_REALISASI: "% Realisasi",
    C.PERSEN_CAPAIAN_OUTPUT: "Capaian Output %", C.PERSEN_REALISASI_FISIK: "Realisasi Fisik %",
    C.VOLUME_REALISASI: "Volume Realisasi", C.KETERANGAN: "Keterangan",
    C.TANGGAL_LAPOR: "Tgl Upload",
})

# Spellings seen in exports of both kinds (lower case: the writer varies the case).
_COMMON: Final[dict[str, tuple[str, ...]]] = {
    C.TAHUN: ("tahun", "tahun anggaran", "ta", "thn", "tahun anggaran ta"),
    C.PERIODE: ("periode", "bulan", "s.d. bulan", "sd bulan", "s/d bulan", "posisi",
                "posisi bulan", "periode laporan", "bulan laporan"),
    C.KODE_PROVINSI: ("kode provinsi", "kd prov", "kode prov", "kd provinsi"),
    C.KODE_WILAYAH: ("kode kab/kota", "kode wilayah", "kode pemda", "kd kab",
                     "kode kabupaten/kota", "kd kab/kota", "kode daerah", "kode kab", "kode"),
    C.NAMA_WILAYAH: ("kabupaten/kota", "kab/kota", "pemda", "nama daerah", "nama wilayah",
                     "kabupaten / kota", "nama kab/kota", "wilayah", "daerah", "nama pemda"),
    C.OPD: ("opd", "nama opd", "perangkat daerah", "skpd", "opd kb", "opd-kb", "nama skpd"),
    C.MENU: ("menu", "menu kegiatan", "komponen", "nama menu"),
    C.TANGGAL_LAPOR: ("tgl upload", "tanggal input", "tanggal laporan", "waktu unggah"),
    C.RINCIAN: ("rincian", "rincian kegiatan", "sub komponen", "subkomponen", "rincian menu",
                "item", "rincian menu kegiatan"),
    C.PAGU: ("pagu", "pagu alokasi", "alokasi", "anggaran", "pagu dak", "alokasi dak",
             "pagu anggaran"),
    C.PENYALURAN: ("penyaluran", "dana diterima", "diterima di rkud", "dana masuk rkud",
                   "penyaluran kumulatif"),
    C.REALISASI: ("realisasi", "penyerapan", "realisasi penyerapan", "realisasi anggaran",
                  "realisasi kumulatif", "realisasi keuangan"),
    C.PERSEN_REALISASI: ("%", "% realisasi", "persentase", "persen", "realisasi %",
                         "% penyerapan", "persentase realisasi", "persen realisasi",
                         "% serapan", "realisasi keuangan %"),
    C.KETERANGAN: ("keterangan", "ket.", "ket", "catatan"),
}

#: Header spellings of the varied (messy) layout per kind: column -> spellings, lower case.
HEADER_SPELLINGS: Final = MappingProxyType({
    C.NONFISIK: MappingProxyType({
        **_COMMON,
        C.PERSEN_CAPAIAN_OUTPUT: ("capaian output %", "capaian %", "capaian output", "capaian",
                                  "% capaian output", "persen capaian output"),
    }),
    C.FISIK: MappingProxyType({
        **_COMMON,
        C.SUBBIDANG: ("subbidang", "sub bidang"),
        C.VOLUME: ("volume", "vol", "volume rk", "target volume"),
        C.SATUAN: ("satuan", "sat", "sat."),
        C.PAGU: (*_COMMON[C.PAGU], "nilai rk", "pagu rk"),
        C.METODE_PENGADAAN: ("metode pengadaan", "cara pengadaan", "metode",
                             "mekanisme pengadaan"),
        C.STATUS_PENGADAAN: ("status", "status pengadaan", "tahapan", "tahapan pengadaan"),
        C.NOMOR_KONTRAK: ("no. kontrak", "nomor kontrak", "nomor spk", "no kontrak", "no. spk",
                          "no spk", "kontrak nomor"),
        C.TANGGAL_KONTRAK: ("tanggal kontrak", "tgl kontrak", "tgl. kontrak", "kontrak tanggal",
                            "tanggal spk"),
        C.NILAI_KONTRAK: ("nilai kontrak", "kontrak nilai", "nilai spk"),
        C.PENYALURAN: (*_COMMON[C.PENYALURAN], "dana tahap i+ii+iii",
                       "penyaluran tahap i+ii+iii"),
        C.REALISASI: (*_COMMON[C.REALISASI], "sp2d", "realisasi keuangan rp", "keuangan"),
        C.PERSEN_REALISASI: (*_COMMON[C.PERSEN_REALISASI], "keuangan %"),
        C.PERSEN_REALISASI_FISIK: ("realisasi fisik %", "realisasi fisik", "progres fisik",
                                   "progres fisik %", "fisik %", "% fisik", "capaian fisik"),
        C.VOLUME_REALISASI: ("volume realisasi", "output", "realisasi volume"),
    }),
})

# Two-row headers: a group label over sub-labels; "group sub" is an alias of the column.
_HEADER_GROUPS: Final = {
    C.NONFISIK: (("Realisasi", ((C.REALISASI, "(Rp)"), (C.PERSEN_REALISASI, "%"))),),
    C.FISIK: (
        ("Kontrak", ((C.NOMOR_KONTRAK, "Nomor"), (C.TANGGAL_KONTRAK, "Tanggal"),
                     (C.NILAI_KONTRAK, "Nilai"))),
        ("Realisasi", ((C.REALISASI, "Keuangan"), (C.PERSEN_REALISASI, "Keuangan %"),
                       (C.PERSEN_REALISASI_FISIK, "Fisik %"), (C.VOLUME_REALISASI, "Volume"))),
    ),
}


def _vary(label: str, rng: np.random.Generator, *, money: bool, ribuan: bool,
          breaks: bool = True) -> str:
    """Random case, sometimes a line break or a double space, sometimes a trailing (Rp)."""
    style = int(rng.integers(3))
    if style == 0:
        label = " ".join(w[:1].upper() + w[1:] for w in label.split(" "))
    elif style == 1:
        label = label.upper()
    else:
        label = label[:1].upper() + label[1:]
    words = label.split(" ")
    if breaks and len(words) > 1 and rng.random() < 0.25:
        k = int(rng.integers(1, len(words)))
        label = " ".join(words[:k]) + "\n" + " ".join(words[k:])
    elif len(words) > 1 and rng.random() < 0.15:
        k = int(rng.integers(1, len(words)))
        label = " ".join(words[:k]) + "  " + " ".join(words[k:])
    if money and not ribuan and rng.random() < 0.35:
        label += " (Rp)"
    return label


def header_rows(kind: str, columns: list[str], opts: Mapping[str, Any]) -> list[list[str]]:
    """Return the one or two header rows of labels that a file with ``opts`` has.

    Parameters
    ----------
    kind : {"nonfisik", "fisik"}
    columns : list of str
        Canonical columns written, in order.
    opts : mapping
        Resolved options (:func:`dak_monitor.datasets.options.resolve_options`); uses
        ``header_style``, ``units``, ``two_row_header`` and ``_seed``.

    Returns
    -------
    list of list of str
        One row of labels, or two (group labels over sub-labels, ``""`` where a group cell
        spans or a single column spans both rows).

    Examples
    --------
    >>> from dak_monitor.datasets.headers import header_rows
    >>> opts = {"header_style": "standard", "units": "rupiah", "two_row_header": True,
    ...         "_seed": 0}
    >>> header_rows("nonfisik", ["menu", "pagu", "realisasi", "persen_realisasi"], opts)
    [['Menu', 'Pagu', 'Realisasi', ''], ['', '', '(Rp)', '%']]
    """
    varied = opts["header_style"] == "varied"
    ribuan = opts["units"] == "ribuan"
    seed = int(opts["_seed"])
    labels = []
    for c in columns:
        if varied:
            rng = stream(seed, f"header:{c}")
            spellings = HEADER_SPELLINGS[kind][c]
            label = _vary(spellings[int(rng.integers(len(spellings)))], rng,
                          money=c in _MONEY, ribuan=ribuan)
        else:
            label = STANDARD_HEADERS[c]
        labels.append(label)
    if not opts["two_row_header"]:
        return [labels]
    upper = list(labels)
    lower = [""] * len(columns)
    pos = {c: j for j, c in enumerate(columns)}
    for group, members in _HEADER_GROUPS[kind]:
        present = [(pos[c], sub) for c, sub in members if c in pos]
        if len(present) < 2:
            continue
        js = [j for j, _ in present]
        if js != list(range(js[0], js[0] + len(js))):
            continue
        glabel = (_vary(group, stream(seed, f"header_group:{group}"), money=False,
                        ribuan=ribuan, breaks=False) if varied else group)
        for k, (j, sub) in enumerate(present):
            upper[j] = glabel if k == 0 else ""
            lower[j] = sub.upper() if varied and glabel.isupper() and sub != "(Rp)" else sub
    return [upper, lower]
