"""Header labels of a written export: standard spellings, varied spellings, two-row groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from .._vocab import columns as C

_MONEY: Final = frozenset(C.MONEY_COLUMNS)

#: Header spellings of the clean layout (all are spellings of ``DEFAULT_ALIASES``).
_STANDARD_HEADERS: Final = {
    C.TAHUN: "Tahun", C.PERIODE: "Periode", C.KODE_PROVINSI: "Kode Provinsi",
    C.KODE_WILAYAH: "Kode Wilayah", C.NAMA_WILAYAH: "Kabupaten/Kota", C.OPD: "OPD",
    C.SUBBIDANG: "Subbidang", C.MENU: "Menu", C.RINCIAN: "Rincian", C.VOLUME: "Volume",
    C.SATUAN: "Satuan", C.PAGU: "Pagu", C.METODE_PENGADAAN: "Metode Pengadaan",
    C.STATUS_PENGADAAN: "Status Pengadaan", C.NOMOR_KONTRAK: "Nomor Kontrak",
    C.TANGGAL_KONTRAK: "Tanggal Kontrak", C.NILAI_KONTRAK: "Nilai Kontrak",
    C.PENYALURAN: "Penyaluran", C.REALISASI: "Realisasi", C.PERSEN_REALISASI: "% Realisasi",
    C.PERSEN_CAPAIAN_OUTPUT: "Capaian Output %", C.PERSEN_REALISASI_FISIK: "Realisasi Fisik %",
    C.VOLUME_REALISASI: "Volume Realisasi", C.KETERANGAN: "Keterangan",
}

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

# --- headers --------------------------------------------------------------------------
def _vary(label: str, rng: np.random.Generator, *, money: bool, ribuan: bool,
          breaks: bool = True) -> str:
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


def _headers(kind: str, columns: list[str], opts: Mapping[str, Any]) -> list[list[str]]:
    """One or two header rows of labels for ``columns``."""
    rng = np.random.default_rng([opts["_header_rng"], 7])
    varied = opts["header_style"] == "varied"
    ribuan = opts["units"] == "ribuan"
    labels = []
    for c in columns:
        if varied:
            spellings = C.DEFAULT_ALIASES[kind][c]
            label = _vary(spellings[int(rng.integers(len(spellings)))], rng,
                          money=c in _MONEY, ribuan=ribuan)
        else:
            label = _STANDARD_HEADERS[c]
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
        glabel = _vary(group, rng, money=False, ribuan=ribuan, breaks=False) if varied else group
        for k, (j, sub) in enumerate(present):
            upper[j] = glabel if k == 0 else ""
            lower[j] = sub.upper() if varied and glabel.isupper() and sub != "(Rp)" else sub
    return [upper, lower]

