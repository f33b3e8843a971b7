"""Sample exports and a seeded generator of realistic synthetic Morena-style exports.

Everything here is **synthetic**: the figures imitate the shapes described in the project's
domain notes (``GLOSSARY.md``) but describe no real office.

* :func:`region_archetypes` gives each kabupaten/kota a stable behaviour ("early", "typical",
  "late", "stalled", "never-contracts"), the same in every fiscal year for a given ``seed``.
* :func:`make_export` builds a tidy, canonical export frame (one row per region × item × period,
  cumulative figures as of each month end) for DAK nonfisik BOKB or DAK fisik subbidang KB.
* :func:`write_export` writes such a frame as a CSV or XLSX file, cleanly or with the
  decorations real exports carry (title blocks, two-row headers, subtotals, thousands, ...),
  and returns a *row map* saying on which sheet and row every frame row was written.
* :func:`load_sample_export`, :func:`sample_export_path` and :data:`SAMPLE_EXPORTS` give access
  to a few tiny packaged sample files.

Words used: *pagu* is the allocation, *realisasi* the cumulative spending, *penyaluran* the
money transferred to the region so far, *OPD* the regional KB office that reports.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import numpy as np
import pandas as pd

from ._vocab import columns as C

if TYPE_CHECKING:
    from ._io import Export

__all__ = [
    "ARCHETYPES",
    "SAMPLE_EXPORTS",
    "load_sample_export",
    "make_export",
    "region_archetypes",
    "sample_export_path",
    "write_export",
]

#: Behaviours a regional KB office (OPD) can have, from best to worst.
ARCHETYPES: Final = ("early", "typical", "late", "stalled", "never-contracts")

#: Names of the packaged sample exports (see :func:`load_sample_export`).
SAMPLE_EXPORTS: Final = ("fisik_messy_csv", "nonfisik_clean_csv", "nonfisik_messy_xlsx")

_SAMPLE_FILES: Final = {
    "fisik_messy_csv": "fisik_3kab_2024_06_messy.csv",
    "nonfisik_clean_csv": "nonfisik_3kab_2024_clean.csv",
    "nonfisik_messy_xlsx": "nonfisik_3kab_2024_06_messy.xlsx",
}

_JAWA_BARAT: Final = "32"

_BULAN: Final = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                 "September", "Oktober", "November", "Desember")

# Number of kecamatan per Jawa Barat kabupaten/kota (627 in all): drives the BOKB size.
_KECAMATAN_JABAR: Final = {
    "32.01": 40, "32.02": 47, "32.03": 32, "32.04": 31, "32.05": 42, "32.06": 39, "32.07": 27,
    "32.08": 32, "32.09": 40, "32.10": 26, "32.11": 26, "32.12": 31, "32.13": 30, "32.14": 17,
    "32.15": 30, "32.16": 23, "32.17": 16, "32.18": 10, "32.71": 6, "32.72": 7, "32.73": 30,
    "32.74": 5, "32.75": 12, "32.76": 11, "32.77": 3, "32.78": 10, "32.79": 4,
}

# Contract-registration deadline for DAK fisik (month, day) per fiscal year; default 21 July.
_CONTRACT_DEADLINE: Final = {2022: (7, 21), 2023: (7, 31), 2024: (7, 22)}

# Relative size of the BOKB envelope per fiscal year (2024 = 1).
_BOKB_YEAR_SCALE: Final = {2016: 0.13, 2017: 0.15, 2018: 0.2, 2019: 0.3, 2020: 0.4, 2021: 0.65,
                           2022: 0.8, 2023: 0.9, 2024: 1.0}


# ============================================================================ reference
@cache
def _reference() -> pd.DataFrame:
    """Kabupaten/kota rows of the packaged ``reference/regions.csv`` (code, name, province)."""
    ref = resources.files("dak_monitor").joinpath("reference", "regions.csv")
    with ref.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    table = table[table["tingkat"] != "provinsi"].reset_index(drop=True)
    return table[["kode", "nama", "tingkat", "kode_provinsi", "nama_provinsi"]]


@cache
def _reference_index() -> dict[str, int]:
    return {k: i for i, k in enumerate(_reference()["kode"])}


def _default_regions() -> list[str]:
    ref = _reference()
    return ref.loc[ref["kode_provinsi"] == _JAWA_BARAT, "kode"].tolist()


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        msg = f"seed must be a non-negative int, got {seed!r}"
        raise ValueError(msg)
    return int(seed)


def _check_regions(regions: Sequence[str] | None) -> list[str]:
    if regions is None:
        return _default_regions()
    if isinstance(regions, str):
        regions = [regions]
    codes = [str(r).strip() for r in regions]
    index = _reference_index()
    unknown = [c for c in codes if c not in index]
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        msg = (f"unknown kode_wilayah {shown}{more}: expected kabupaten/kota codes 'NN.NN' "
               f"from reference/regions.csv, e.g. '32.04'")
        raise ValueError(msg)
    if len(set(codes)) != len(codes):
        msg = "regions contains duplicated codes"
        raise ValueError(msg)
    return codes


def _code_int(code: str) -> int:
    return int(code.replace(".", ""))


def _short_name(official: str) -> tuple[str, bool]:
    """('Bandung', is_kota) from 'Kabupaten Bandung' / 'Kota Bandung'."""
    if official.startswith("Kota "):
        return official[5:], True
    if official.startswith("Kabupaten "):
        return official[10:], False
    return official, False


# ============================================================================ archetypes
_ARCHETYPE_SHARES: Final = (0.22, 0.48, 0.15, 0.075, 0.075)


@cache
def _archetype_array(seed: int) -> tuple[str, ...]:
    """Archetype of every kabupaten/kota of the reference, for one seed.

    Within each province the regions are put in a seeded random order and given archetypes by
    quota (22 % early, 48 % typical, 15 % late, 7.5 % stalled, 7.5 % never-contracts), so a
    province of 27 regions always has every archetype at least twice.
    """
    ref = _reference()
    u = np.random.default_rng([seed, 0xA4C]).random(len(ref))
    cum = np.cumsum(_ARCHETYPE_SHARES)
    out = np.empty(len(ref), dtype=object)
    for _, idx in ref.groupby("kode_provinsi", sort=False).indices.items():
        order = idx[np.argsort(u[idx], kind="stable")]
        pos = (np.arange(len(order)) + 0.5) / len(order)
        out[order] = np.asarray(ARCHETYPES, dtype=object)[np.searchsorted(cum, pos, side="right")]
    return tuple(out)


def region_archetypes(*, seed: int = 0, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the behaviour ("archetype") of each region's KB office.

    The archetype is fixed per region for a given ``seed`` (it does not depend on the fiscal
    year nor on which other regions are asked for), so the same offices lag year after year:

    * ``early``: procures and spends ahead of the usual calendar, ends high;
    * ``typical``: follows the usual curve, ends around 93–97 %;
    * ``late``: a month or two behind, ends somewhat lower;
    * ``stalled``: starts, then spending stops (failed contracts, work that stops), ends low;
    * ``never-contracts``: signs no DAK fisik contract before the deadline (so loses that money)
      and spends BOKB late and partly.

    Within each province regions are assigned by quota in a seeded random order (about 22 %
    early, 48 % typical, 15 % late, 7.5 % stalled, 7.5 % never-contracts).

    Parameters
    ----------
    seed : int, default 0
        Non-negative seed.
    regions : sequence of str, optional
        Kabupaten/kota codes ``"NN.NN"``; default the 27 of Jawa Barat (``32.01``–``32.18``,
        ``32.71``–``32.79``).

    Returns
    -------
    DataFrame
        Columns ``kode_wilayah``, ``nama_wilayah`` (official name) and ``archetype``, one row
        per region in the order given.

    Raises
    ------
    ValueError
        If a code is not a kabupaten/kota of ``reference/regions.csv``.

    Examples
    --------
    >>> from dak_monitor.datasets import region_archetypes
    >>> arch = region_archetypes(seed=0)
    >>> len(arch), list(arch.columns)
    (27, ['kode_wilayah', 'nama_wilayah', 'archetype'])
    >>> sorted(arch["archetype"].unique())
    ['early', 'late', 'never-contracts', 'stalled', 'typical']
    >>> one = region_archetypes(seed=0, regions=["32.04"])
    >>> one["archetype"].iloc[0] == arch.set_index("kode_wilayah").loc["32.04", "archetype"]
    True
    """
    seed = _check_seed(seed)
    codes = _check_regions(regions)
    ref = _reference()
    index = _reference_index()
    arche = _archetype_array(seed)
    pos = [index[c] for c in codes]
    return pd.DataFrame({
        C.KODE_WILAYAH: pd.array(codes, dtype="str"),
        C.NAMA_WILAYAH: pd.array(ref["nama"].to_numpy()[pos].tolist(), dtype="str"),
        "archetype": pd.array([arche[i] for i in pos], dtype="str"),
    })


# ================================================================================ shapes
# Cumulative BOKB absorption at month ends 0..12 as a share of the year-end level (before the
# per-office timing shift): ~17 % March, ~47 % June, ~70 % September, December spike.
_BOKB_CURVE: Final = np.array([0.0, 0.025, 0.085, 0.18, 0.28, 0.385, 0.49, 0.57, 0.65, 0.73,
                               0.79, 0.85, 1.0])

# Per-archetype parameters.
#   shift: timing shift in months (positive = later); level: usual year-end share (BOKB);
#   slow: factor on DAK fisik durations; stall: probability that a DAK fisik contract stalls.
@dataclass(frozen=True, slots=True)
class _Behaviour:
    shift: float
    level: float
    slow: float
    stall: float


_BEHAVIOUR: Final = {
    "early": _Behaviour(shift=-0.8, level=0.975, slow=0.85, stall=0.0),
    "typical": _Behaviour(shift=0.0, level=0.957, slow=1.0, stall=0.0),
    "late": _Behaviour(shift=1.1, level=0.925, slow=1.25, stall=0.05),
    "stalled": _Behaviour(shift=0.4, level=0.9, slow=1.3, stall=0.85),
    "never-contracts": _Behaviour(shift=1.8, level=0.8, slow=1.4, stall=0.0),
}


@dataclass(frozen=True, slots=True)
class _YearShock:
    timing: float  # months; positive = a late year
    level: float   # additive change of year-end share; a late year is a weaker year


@cache
def _year_shock(seed: int, year: int) -> _YearShock:
    rng = np.random.default_rng([seed, 0x5EA, year])
    z = float(np.clip(rng.normal(), -1.6, 1.6))
    timing = 0.25 * z
    level = -0.012 * z + float(rng.normal(0.0, 0.005))
    return _YearShock(timing, level)


@cache
def _region_effects(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stable (every-year) timing and level effects of each reference region: persistence."""
    rng = np.random.default_rng([seed, 0xE77])
    n = len(_reference())
    return rng.normal(0.0, 0.25, n), rng.normal(0.0, 0.012, n)


def _kecamatan(code: str, seed: int) -> int:
    if code in _KECAMATAN_JABAR:
        return _KECAMATAN_JABAR[code]
    rng = np.random.default_rng([seed, 0xCEC, _code_int(code)])
    kota = int(code[3:5]) >= 71
    return int(rng.integers(4, 16) if kota else rng.integers(14, 40))


def _bokb_year_scale(year: int) -> float:
    if year in _BOKB_YEAR_SCALE:
        return _BOKB_YEAR_SCALE[year]
    return _BOKB_YEAR_SCALE[2016] if year < 2016 else 1.0


def _month_ends(year: int) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-31", periods=12, freq="ME")


def _t_to_date(year: int, t: np.ndarray) -> np.ndarray:
    """Dates (datetime64[D]) of times ``t`` in months since 1 January (t=m is end of month m)."""
    t = np.clip(np.asarray(t, dtype=float), 0.0, 11.999)
    mi = np.floor(t).astype(int)
    starts = np.array([np.datetime64(f"{year}-{m:02d}-01") for m in range(1, 13)])
    dim = np.array([pd.Timestamp(year, m, 1).days_in_month for m in range(1, 13)])
    day = np.floor((t - mi) * dim[mi]).astype(int)
    return starts[mi] + day.astype("timedelta64[D]")


def _region_name_forms(official: str) -> dict[str, str]:
    short, kota = _short_name(official)
    return {
        "official": official,
        "kab_dot": ("Kota " if kota else "Kab. ") + short,
        "upper": ("KOTA " if kota else "KAB ") + short.upper(),
        "upper_full": official.upper(),
        "bare": short,
    }


_OPD_FORMS: Final = ("Dinas Pengendalian Penduduk dan KB", "DP2KBP3A", "DPPKB", "DP3AKB",
                     "DinsosP3AKB", "Dinas PPKB")


def _opd_name(code: str, official: str, seed: int) -> str:
    rng = np.random.default_rng([seed, 0x0BD, _code_int(code)])
    form = _OPD_FORMS[int(rng.integers(len(_OPD_FORMS)))]
    return f"{form} {_region_name_forms(official)['kab_dot']}"


# ================================================================== DAK nonfisik (BOKB)
# (menu, weight in the envelope, rincian, always present)
_BOKB_MENUS: Final = (
    ("Dukungan Operasional Penyuluh KB/PLKB", 0.20,
     ("Dukungan Operasional PKB/PLKB", "Dukungan Operasional Sub-PPKBD"), True),
    ("Operasional Balai Penyuluhan KB", 0.16,
     ("Biaya Operasional Balai Penyuluhan KB", "Pemeliharaan Sarana Balai Penyuluhan KB",
      "Langganan Daya dan Jasa Balai Penyuluhan KB"), True),
    ("Operasional TPK", 0.14,
     ("Pendampingan Keluarga Berisiko Stunting", "Orientasi Tim Pendamping Keluarga"), True),
    ("Distribusi Alat dan Obat Kontrasepsi", 0.07,
     ("Distribusi Alokon ke Fasilitas Kesehatan", "Distribusi Alokon ke Balai Penyuluhan KB"),
     True),
    ("Operasional Kampung KB", 0.08, ("Operasional Kampung KB", "Pertemuan Pokja Kampung KB"),
     True),
    ("Pelayanan KB Bergerak", 0.06,
     ("Pelayanan KB Bergerak di Wilayah Khusus", "Penggerakan Pelayanan KB"), False),
    ("Mini Lokakarya", 0.05,
     ("Mini Lokakarya Tingkat Kecamatan", "Mini Lokakarya Tingkat Desa/Kelurahan"), False),
    ("Operasional Pendataan Keluarga", 0.06,
     ("Pemutakhiran Data Keluarga", "Verifikasi dan Validasi Data Keluarga"), False),
    ("Operasional Sekretariat TPPS", 0.04,
     ("Rapat Koordinasi TPPS", "Penyusunan Laporan TPPS"), False),
    ("Audit Kasus Stunting", 0.03,
     ("Pelaksanaan Audit Kasus Stunting", "Diseminasi Hasil Audit Kasus Stunting"), False),
    ("Operasional Dapur Sehat Atasi Stunting (DASHAT)", 0.03, ("Operasional DASHAT",), False),
    ("Pembinaan Kelompok Kegiatan (BKB/BKR/BKL)", 0.04,
     ("Pembinaan BKB", "Pembinaan BKR", "Pembinaan BKL"), False),
    ("Operasional PIK Remaja", 0.03, ("Pembinaan PIK Remaja",), False),
    ("Manajemen BOKB", 0.02, ("Pengelolaan Administrasi BOKB",), False),
    ("Pelayanan KB Pasca Persalinan", 0.03, ("Penggerakan KB Pasca Persalinan",), False),
)

_NONFISIK_NOTES: Final = ("Proses SPJ", "Menunggu pencairan tahap II", "Sudah SP2D",
                          "Kegiatan dilaksanakan triwulan III", "Revisi DPA",
                          "Laporan menyusul")


@dataclass(slots=True)
class _Block:
    """Items of one region: item-level values and item × 12-month matrices."""

    items: dict[str, list[Any]] = field(default_factory=dict)
    months: dict[str, np.ndarray] = field(default_factory=dict)


def _nonfisik_region(code: str, official: str, year: int, seed: int, arch: str,
                     shock: _YearShock, eff_t: float, eff_l: float) -> _Block:
    rng = np.random.default_rng([seed, year, 1, _code_int(code)])
    beh = _BEHAVIOUR[arch]
    # --- the items and their pagu
    kec = _kecamatan(code, seed)
    envelope = (1.6e9 + 0.09e9 * kec) * _bokb_year_scale(year) * rng.uniform(0.92, 1.08)
    optional = [i for i, m in enumerate(_BOKB_MENUS) if not m[3]]
    n_opt = int(rng.integers(3, 8))
    chosen = sorted([i for i, m in enumerate(_BOKB_MENUS) if m[3]]
                    + rng.choice(optional, size=n_opt, replace=False).tolist())
    weights = np.array([_BOKB_MENUS[i][1] for i in chosen]) * rng.gamma(8.0, 1 / 8.0, len(chosen))
    weights /= weights.sum()
    menus: list[str] = []
    rincian: list[str | None] = []
    pagu: list[float] = []
    for i, w in zip(chosen, weights, strict=True):
        menu, _, names, _ = _BOKB_MENUS[i]
        k = int(rng.integers(1, len(names) + 1)) if len(names) > 1 else 1
        picked = sorted(rng.choice(len(names), size=k, replace=False).tolist())
        split = rng.dirichlet(np.full(k, 4.0)) if k > 1 else np.ones(1)
        for j, s in zip(picked, split, strict=True):
            menus.append(menu)
            rincian.append(None if (k == 1 and rng.random() < 0.5) else names[j])
            pagu.append(max(1000.0, round(envelope * w * s / 1000.0) * 1000.0))
    n = len(menus)
    p = np.asarray(pagu)
    # --- cumulative absorption at month ends 1..12
    level = np.clip(beh.level + eff_l + shock.level, 0.3, 0.995)
    lvl = np.clip(level + rng.normal(0.0, 0.025, n), 0.2, 1.0)
    lvl[lvl > 0.985] = 1.0
    shift = beh.shift + eff_t + shock.timing + rng.normal(0.0, 0.35, n)
    m = np.arange(1, 12, dtype=float)
    base = np.interp(m[None, :] - shift[:, None], np.arange(13.0), _BOKB_CURVE)
    if arch == "stalled":
        stop = rng.integers(6, 10, n)[:, None]
        base = np.where(m[None, :] > stop, np.take_along_axis(base, stop - 1, axis=1), base)
    inc = np.diff(np.concatenate([np.zeros((n, 1)), base], axis=1), axis=1)
    inc *= rng.lognormal(0.0, 0.3, inc.shape)
    cum11 = np.cumsum(inc, axis=1)
    target11 = base[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(cum11[:, -1] > 0, target11 / cum11[:, -1], 0.0)
    cum = np.concatenate([cum11 * scale[:, None], np.ones((n, 1))], axis=1) * lvl[:, None]
    if arch == "stalled":
        # spending stopped: only a small December catch-up
        last = cum[:, 10]
        cum[:, 11] = last + (lvl - last).clip(0) * rng.uniform(0.1, 0.35, n)
    cum = np.maximum.accumulate(np.clip(cum, 0.0, 1.0), axis=1)
    realisasi = np.minimum(np.round(cum * p[:, None]), p[:, None])
    realisasi = np.maximum.accumulate(realisasi, axis=1)
    # --- transfers (penyaluran): stages of 30 %, 75 %, 100 % of pagu, at least what was spent
    months = np.arange(1, 13)
    t1 = 2 + (shock.timing + beh.shift * 0.5 > 0.4)
    stage_time = np.where(months >= t1, 0.3, 0.0)
    stage_time = np.where(months >= 7 + (beh.shift > 1.0), 0.75, stage_time)
    stage_time = np.where(months >= 10 + (beh.shift > 1.0), 1.0, stage_time)
    levels = np.array([0.3, 0.75, 1.0])
    share = realisasi / p[:, None]
    needed = levels[np.minimum(np.searchsorted(levels, share - 1e-12), 2)]
    needed = np.where(share > 0, needed, 0.0)
    penyaluran = np.round(np.maximum(needed, stage_time[None, :]) * p[:, None])
    penyaluran = np.maximum(penyaluran, realisasi)
    # --- output attainment
    factor = rng.uniform(0.95, 1.06, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(lvl[:, None] > 0, 100 * cum / lvl[:, None] * factor[:, None], 0.0)
    capaian = np.round(np.maximum.accumulate(np.clip(out, 0, 100), axis=1), 2)
    # --- remarks
    notes = np.full((n, 12), None, dtype=object)
    pick = rng.random((n, 12)) < 0.05
    choice = rng.integers(0, len(_NONFISIK_NOTES), (n, 12))
    notes[pick] = np.asarray(_NONFISIK_NOTES, dtype=object)[choice[pick]]
    none_yet = (realisasi == 0) & (rng.random((n, 12)) < 0.5)
    notes[none_yet] = "Belum ada realisasi"
    return _Block(
        items={C.MENU: menus, C.RINCIAN: rincian, C.PAGU: pagu},
        months={C.PENYALURAN: penyaluran, C.REALISASI: realisasi,
                C.PERSEN_CAPAIAN_OUTPUT: capaian, C.KETERANGAN: notes},
    )


# ===================================================================== DAK fisik (KB)
@dataclass(frozen=True, slots=True)
class _FisikItem:
    menu: str
    rincian: str
    satuan: str
    price: tuple[float, float]  # unit price range, million Rupiah
    methods: tuple[tuple[str, float], ...]
    max_volume: int = 1
    big: bool = False
    works: bool = False  # construction-like: progress over months, termin payments


_EP, _TENDER, _PL, _SWA = "e-Purchasing", "Tender", "Pengadaan Langsung", "Swakelola"

_FISIK_CATALOGUE: Final = (
    _FisikItem("Pengadaan Sarana Prasarana Balai Penyuluhan KB", "Meubelair Balai Penyuluhan KB",
               "paket", (35, 55), ((_EP, 0.8), (_PL, 0.2)), max_volume=30),
    _FisikItem("Pengadaan Sarana Prasarana Balai Penyuluhan KB",
               "Laptop dan Printer Balai Penyuluhan KB", "paket", (18, 26), ((_EP, 1.0),),
               max_volume=40),
    _FisikItem("Pengadaan Sarana Prasarana Balai Penyuluhan KB", "Public Address System", "unit",
               (12, 20), ((_EP, 0.6), (_PL, 0.4)), max_volume=30),
    _FisikItem("Pengadaan Sarana Prasarana Balai Penyuluhan KB", "Renovasi Balai Penyuluhan KB",
               "unit", (120, 190), ((_PL, 0.35), (_TENDER, 0.25), (_SWA, 0.4)), works=True,
               max_volume=4),
    _FisikItem("Pengadaan Sarana Prasarana Balai Penyuluhan KB", "KIE Kit", "paket", (9, 14),
               ((_EP, 0.7), (_PL, 0.3)), max_volume=60),
    _FisikItem("Pengadaan Obgyn Bed", "Obgyn Bed", "unit", (85, 135), ((_EP, 1.0),), max_volume=8),
    _FisikItem("Pengadaan IUD Kit", "IUD Kit", "set", (5, 8), ((_EP, 1.0),), max_volume=80),
    _FisikItem("Pengadaan Implant Removal Kit", "Implant Removal Kit", "set", (3.5, 5.5),
               ((_EP, 1.0),), max_volume=80),
    _FisikItem("Pengadaan Sarana Pelayanan KB", "Sterilisator Pelayanan KB", "unit", (6, 12),
               ((_EP, 0.8), (_PL, 0.2)), max_volume=40),
    _FisikItem("Pengadaan Sarana Bina Keluarga Balita", "BKB Kit", "paket", (7, 11),
               ((_EP, 0.7), (_PL, 0.3)), max_volume=60),
    _FisikItem("Pengadaan Sarana Penyuluhan KB", "Sepeda Motor Operasional PKB/PLKB", "unit",
               (22, 28), ((_EP, 1.0),), max_volume=30),
    _FisikItem("Pengadaan Mobil Pelayanan KB", "Mobil Unit Pelayanan KB (MUYAN)", "unit",
               (780, 950), ((_EP, 0.6), (_TENDER, 0.4)), big=True),
    _FisikItem("Pengadaan Sarana Penyuluhan KB", "Mobil Penerangan KB (MUPEN)", "unit",
               (520, 680), ((_EP, 1.0),), big=True),
    _FisikItem("Pembangunan Gudang Alokon", "Pembangunan Gudang Alokon Kabupaten/Kota", "paket",
               (650, 1150), ((_TENDER, 1.0),), big=True, works=True),
)

_STATUS: Final = ("Belum Proses", "Proses Pengadaan", "Kontrak", "Pelaksanaan Swakelola",
                  "Selesai (BAST)")

_FISIK_NOTES: Final = ("Menunggu pencairan tahap II", "Barang sudah diterima",
                       "Proses pemeriksaan barang", "Menunggu BAST", "Pembayaran termin")


# Share of DAK fisik payments made by each month end 0..12 for a typical office: little before
# July (contracts first), a jump in July, steady after, a December spike.
_FISIK_PAYMENT_CDF: Final = np.array([0.0, 0.0005, 0.002, 0.008, 0.022, 0.045, 0.085, 0.28, 0.34,
                                      0.41, 0.54, 0.72, 1.0])


def _fisik_payment_times(u: np.ndarray) -> np.ndarray:
    return np.interp(u, _FISIK_PAYMENT_CDF, np.arange(13.0))


def _contract_deadline(year: int) -> pd.Timestamp:
    mth, day = _CONTRACT_DEADLINE.get(year, (7, 21))
    return pd.Timestamp(year, mth, day)


def _fisik_region(code: str, official: str, year: int, seed: int, arch: str,
                  shock: _YearShock, eff_t: float, eff_l: float) -> _Block:
    rng = np.random.default_rng([seed, year, 2, _code_int(code)])
    beh = _BEHAVIOUR[arch]
    kec = _kecamatan(code, seed)
    year_scale = float(np.random.default_rng([seed, 0xF15, year]).uniform(0.85, 1.05))
    envelope = rng.uniform(1.0, 2.4) * (0.8 + 0.4 * min(kec, 45) / 45) * 1e9 * year_scale
    envelope = float(np.clip(envelope, 0.9e9, 3.0e9))
    # --- items: at most one big-ticket item, then small ones
    small = [i for i, it in enumerate(_FISIK_CATALOGUE) if not it.big]
    big = [i for i, it in enumerate(_FISIK_CATALOGUE) if it.big]
    chosen: list[int] = []
    if rng.random() < 0.6:
        chosen.append(int(rng.choice(big)))
    n_small = int(rng.integers(4, 10)) - len(chosen)
    chosen += rng.choice(small, size=max(n_small, 3), replace=False).tolist()
    chosen.sort()
    items = [_FISIK_CATALOGUE[i] for i in chosen]
    n = len(items)
    price = np.array([round(rng.uniform(*it.price) * 1e6 / 1000) * 1000 for it in items])
    big_pagu = sum(pr for it, pr in zip(items, price, strict=True) if it.big)
    rest = max(envelope - big_pagu, 0.35e9)
    w = rng.dirichlet(np.full(n, 2.0))
    w = np.where([it.big for it in items], 0.0, w)
    w = w / w.sum()
    cap = np.array([it.max_volume for it in items], dtype=float)
    volume = np.clip(np.round(rest * w / price), 1.0, cap)
    pagu = volume * price
    methods = []
    for it in items:
        names = [m for m, _ in it.methods]
        probs = np.array([p for _, p in it.methods])
        methods.append(names[int(rng.choice(len(names), p=probs / probs.sum()))])
    swa = np.array([m == _SWA for m in methods])
    is_ep = np.array([m == _EP for m in methods])
    is_tender = np.array([m == _TENDER for m in methods])
    works = np.array([it.works for it in items])
    # --- timeline in months since 1 January (t = m is the end of month m)
    timing = beh.shift + eff_t + 0.5 * shock.timing  # procurement calendars vary less by year
    start_base = np.where(is_tender, 3.4, np.where(is_ep, 4.0, 4.1))
    proc_start = np.clip(start_base + timing + rng.normal(0.0, 0.45, n), 0.6, 30.0)
    proc_dur = np.where(is_tender, rng.uniform(1.1, 2.1, n),
                        np.where(is_ep, rng.uniform(0.3, 1.1, n), rng.uniform(0.2, 0.8, n)))
    contract = np.maximum(proc_start + proc_dur, 1.0)
    deadline = _contract_deadline(year)
    c_date = _t_to_date(year, contract)
    contracted = ~swa & (c_date <= np.datetime64(deadline.date())) & (contract < 11.9)
    if arch == "never-contracts":
        contracted[:] = False
    ratio = np.where(is_tender, rng.uniform(0.86, 0.97, n),
                     np.where(is_ep, rng.uniform(0.92, 0.995, n), rng.uniform(0.9, 0.99, n)))
    nilai = np.round(pagu * ratio / 1000) * 1000
    # swakelola: no contract, own execution
    swa_start = np.clip(3.6 + timing + rng.normal(0.0, 0.5, n), 1.0, 11.0)
    swa_end = swa_start + rng.uniform(3.5, 6.5, n) * beh.slow
    swa_value = np.round(pagu * rng.uniform(0.9, 0.99, n))
    # payments: up to three tranches (time, share of value) per item. Payment times follow the
    # back-loaded DAK fisik calendar (_FISIK_PAYMENT_CDF), shifted by the office's timing, and
    # never come before the goods can be delivered or the works done. Goods are bought in one
    # to three batches; works get an advance (half of them), a progress payment and the final
    # payment after completion; direct purchases (Pengadaan Langsung) are paid soon.
    slow = beh.slow
    stalled = contracted & (rng.random(n) < beh.stall)
    q = np.sort(_fisik_payment_times(rng.random((n, 3))), axis=1) + timing \
        + rng.normal(0.0, 0.3, (n, 1))
    is_pl = np.array([m == _PL for m in methods])
    goods = contracted & ~works
    wk = contracted & works
    batches = np.where(rng.random(n) < 0.3, 1, np.where(rng.random(n) < 0.5, 2, 3))
    batches = np.where(is_pl, 1, batches)
    g_share = rng.dirichlet(np.full(3, 2.0), n) * (np.arange(3)[None, :] < batches[:, None])
    g_share /= g_share.sum(axis=1, keepdims=True)
    g_time = np.maximum(q, (contract + rng.uniform(0.6, 1.5, n) * slow)[:, None])
    g_time = np.maximum.accumulate(g_time, axis=1)
    g_time[:, 0] = np.where(is_pl, contract + rng.uniform(0.8, 2.2, n) * slow, g_time[:, 0])
    g_deliv = np.maximum(contract[:, None] + 0.3, g_time - rng.uniform(0.3, 1.0, (n, 1)))
    advance = wk & (rng.random(n) < 0.5)
    final = np.maximum(q[:, 2], contract + rng.uniform(3.0, 4.5, n) * slow)
    termin = np.clip(q[:, 1], contract + 1.2, final - 0.5)
    w_time = np.column_stack([contract + rng.uniform(0.4, 1.0, n), termin, final])
    w_share = np.column_stack([np.where(advance, 0.2, 0.0), np.where(advance, 0.3, 0.5),
                               np.full(n, 0.5)])
    pay_t = np.where(goods[:, None], g_time, np.where(wk[:, None], w_time, np.inf))
    pay_s = np.where(goods[:, None], g_share, np.where(wk[:, None], w_share, 0.0))
    pay_t = np.where(pay_s > 0, pay_t, np.inf)
    dur = np.maximum(final - rng.uniform(0.2, 0.6, n) - contract, 1.0)
    # stalled contracts: the later payments never come, progress stops part-way
    stall_at = rng.uniform(0.2, 0.7, n)
    keep = np.where(rng.random(n) < 0.5, 0, 1)
    pay_t = np.where(stalled[:, None] & (np.arange(3)[None, :] > keep[:, None]), np.inf, pay_t)
    # December rush: payments due after 30 December mostly squeezed into December
    late = np.isfinite(pay_t) & (pay_t >= 11.97)
    rush = late & (rng.random((n, 3)) < 0.75)
    pay_t = np.where(rush, rng.uniform(11.3, 11.95, (n, 3)), pay_t)
    pay_t = np.where(late & ~rush, np.inf, pay_t)
    # --- monthly matrices
    tm = np.arange(1, 13, dtype=float)[None, :]
    value = np.where(swa, swa_value, nilai)
    paid_share = (pay_s[:, :, None] * (pay_t[:, :, None] < tm[:, None, :])).sum(axis=1)
    swa_share = np.clip((tm - swa_start[:, None]) / (swa_end - swa_start)[:, None], 0, 1)
    swa_share = np.floor(swa_share * 10) / 10  # monthly claims in tenths
    swa_share[:, -1] = np.where(swa_end <= 12.5, 1.0, swa_share[:, -1])
    if arch == "stalled":
        swa_share = np.minimum(swa_share, 0.5)
    share = np.where(swa[:, None], swa_share, paid_share)
    realisasi = np.minimum(np.round(share * value[:, None]), pagu[:, None])
    realisasi = np.maximum.accumulate(realisasi, axis=1)
    # progress (realisasi fisik %): goods by batches delivered, works linearly to completion
    deliv_share = (g_share[:, :, None] * (g_deliv[:, :, None] < tm[:, None, :])).sum(axis=1)
    prog_works = np.clip((tm - contract[:, None]) / dur[:, None], 0, 1)
    prog_swa = np.clip((tm - swa_start[:, None]) / (swa_end - swa_start)[:, None], 0, 1)
    prog = np.where(goods[:, None], deliv_share,
                    np.where(wk[:, None], prog_works, np.where(swa[:, None], prog_swa, 0.0)))
    prog = np.where(stalled[:, None], np.minimum(prog, stall_at[:, None]), prog)
    if arch == "stalled":
        prog = np.where(swa[:, None], np.minimum(prog, 0.55), prog)
    prog = np.maximum.accumulate(np.round(100 * prog, 2), axis=1)
    vol_real = np.floor(volume[:, None] * prog / 100 + 1e-9)
    # status
    has_contract = contracted[:, None] & (contract[:, None] < tm)
    finished = (prog >= 100) & (realisasi > 0)
    status = np.zeros((n, 12), dtype=int)
    status = np.where(~swa[:, None] & (proc_start[:, None] < tm), 1, status)
    status = np.where(has_contract, 2, status)
    status = np.where(swa[:, None] & (swa_start[:, None] < tm), 3, status)
    status = np.where((has_contract | swa[:, None]) & finished, 4, status)
    # transfers: tahap I 25 % after the contract, then 70 %, then the rest of the need
    lvl1 = 0.25 * pagu
    lvl2 = 0.70 * pagu
    lvl3 = np.maximum(lvl2, value)
    t1 = np.where(swa, swa_start, contract) + rng.uniform(0.3, 1.0, n)
    base_t = np.where((contracted | swa)[:, None] & (t1[:, None] < tm), lvl1[:, None], 0.0)
    need = np.where(realisasi > lvl2[:, None], lvl3[:, None],
                    np.where(realisasi > lvl1[:, None], lvl2[:, None],
                             np.where(realisasi > 0, lvl1[:, None], 0.0)))
    penyaluran = np.round(np.maximum(base_t, need))
    penyaluran = np.maximum.accumulate(np.minimum(penyaluran, pagu[:, None]), axis=1)
    # contract fields per period
    serial = rng.integers(100, 999, n)
    nomor = [f"027/{s:03d}/SPK-{'EP' if m == _EP else 'KB'}/{year}" for s, m in
             zip(serial, methods, strict=True)]
    # remarks
    notes = np.full((n, 12), None, dtype=object)
    pick = (rng.random((n, 12)) < 0.05) & (realisasi > 0)
    choice = rng.integers(0, len(_FISIK_NOTES), (n, 12))
    notes[pick] = np.asarray(_FISIK_NOTES, dtype=object)[choice[pick]]
    lost = ~swa & ~contracted
    dl_t = (deadline.month - 1) + deadline.day / deadline.days_in_month
    lost_note = (f"Tidak terkontrak s.d. batas waktu {deadline.day} "
                 f"{_BULAN[deadline.month - 1]} {year}")
    notes = np.where(lost[:, None] & (tm > dl_t), lost_note, notes)
    retender = is_tender & (proc_dur > 1.8)
    notes = np.where((retender[:, None] & (status == 1)), "Tender ulang", notes)
    return _Block(
        items={
            C.MENU: [it.menu for it in items], C.RINCIAN: [it.rincian for it in items],
            C.VOLUME: volume.tolist(), C.SATUAN: [it.satuan for it in items],
            C.PAGU: pagu.tolist(), C.METODE_PENGADAAN: methods,
            C.NOMOR_KONTRAK: nomor,
            C.TANGGAL_KONTRAK: c_date.tolist(), C.NILAI_KONTRAK: nilai.tolist(),
        },
        months={"_contract": has_contract, "_status": status, C.PENYALURAN: penyaluran,
                C.REALISASI: realisasi, C.PERSEN_REALISASI_FISIK: prog,
                C.VOLUME_REALISASI: vol_real, C.KETERANGAN: notes},
    )


# ===================================================================== make_export
_AWKWARD_NOTES: Final = (
    "=SUM(A1:A3) ditulis operator, bukan rumus",
    "+ tambahan volume sesuai APBD-P",
    "- belum ada SP2D",
    "@PPK mohon dicek kembali",
    "Pembayaran termin II—menunggu BAST “final” dari penyedia",
    "Rapat koordinasi ½ hari di aula Dinas (±40 peserta)",
    "Catatan:\nSP2D terbit tanggal 28, input Morena menyusul",
    "Narasumber: Drs. René Sétiawan; konsumsi dari Café Sékar",
    ("Kegiatan pendampingan keluarga berisiko stunting oleh Tim Pendamping Keluarga (TPK) "
     "dilaksanakan di seluruh desa/kelurahan, namun pencairan dana tertunda karena menunggu "
     "penetapan petunjuk teknis, revisi DPA, verifikasi dokumen SPJ oleh BPKAD, serta "
     "sinkronisasi data sasaran dengan hasil pemutakhiran Pendataan Keluarga; laporan lengkap "
     "akan disampaikan pada periode berikutnya setelah seluruh bukti pertanggungjawaban "
     "diterima dari kecamatan."),
)


def _check_kind(kind: str) -> str:
    k = str(kind).strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    if k in ("nonfisik", "bokb", "daknonfisik"):
        return C.NONFISIK
    if k in ("fisik", "dakfisik"):
        return C.FISIK
    msg = f"kind must be 'nonfisik' (BOKB) or 'fisik' (DAK fisik subbidang KB), got {kind!r}"
    raise ValueError(msg)


def _check_months(months: Iterable[int]) -> list[int]:
    ms = sorted({int(m) for m in months})
    if not ms or ms[0] < 1 or ms[-1] > 12:
        msg = f"months must be a non-empty selection of 1..12, got {list(months)!r}"
        raise ValueError(msg)
    return ms


def make_export(kind: str, *, year: int, months: Iterable[int] = range(1, 13),
                regions: Sequence[str] | None = None, seed: int = 0,
                messy: bool = False) -> pd.DataFrame:
    """Make a realistic synthetic export in the canonical (already clean) form.

    One row per region × item × period, with **cumulative** figures as of the end of each
    month in ``months``. An item is a BOKB menu (and, for most menus, a *rincian*) for
    ``kind="nonfisik"``, or a DAK fisik *rincian menu* (a concrete good or building) for
    ``kind="fisik"``. The numbers follow the shapes of ``GLOSSARY.md``: BOKB spends smoothly
    (about 10–25 % of pagu by March, 40–55 % by June, 65–75 % by September, 90–100 % in
    December with a December spike); DAK fisik is back-loaded (about 0–2 % by March, 5–15 % by
    June, 25–35 % by July, ~50 % by September, 88–98 % in December). Each office's timing and
    level follow its archetype (:func:`region_archetypes`) plus a stable office effect (offices that
    end low tend to end low again), a shock shared by all offices in a year (a late year is a
    weaker year) and item noise. DAK fisik items with no contract by the contract deadline of
    the year (21 July; 31 July in 2023, 22 July in 2024) are lost: they never spend, their pagu
    stays. Swakelola items have no contract but spend.

    The result is deterministic given (``seed``, ``year``, ``kind``, region); a region's rows
    do not depend on which other regions or months are asked for.

    Parameters
    ----------
    kind : {"nonfisik", "fisik"}
        DAK nonfisik BOKB or DAK fisik subbidang KB.
    year : int
        Fiscal year (sizes scale with it; 2024 BOKB is about Rp 4–5 bn per kabupaten).
    months : iterable of int, default 1..12
        Month numbers whose month-end positions to include.
    regions : sequence of str, optional
        Kabupaten/kota codes ``"NN.NN"``; default the 27 of Jawa Barat.
    seed : int, default 0
        Non-negative seed.
    messy : bool, default False
        If True, a few rows get awkward free text in ``keterangan`` (leading ``=``, ``+``,
        ``-``, ``@``, a line break, long text, characters such as "é", "½", "—"); the data
        themselves stay correct.

    Returns
    -------
    DataFrame
        Columns ``NONFISIK_COLUMNS`` or ``FISIK_COLUMNS`` (in that order) then ``jenis_dak``.
        ``periode`` month-end datetime64[ns]; ``tahun`` int64; codes and text as str (missing
        as NA); money float64 whole Rupiah; ``persen_*`` 0–100 rounded to 2 decimals with
        ``persen_realisasi == round(100 * realisasi / pagu, 2)``; ``tanggal_kontrak``
        datetime64[ns] or NaT. Rows are ordered by period, region (as given), then item.

    Raises
    ------
    ValueError
        For an unknown kind, region code, month or a negative seed.

    See Also
    --------
    write_export : write the frame as a clean or messy CSV/XLSX export.
    region_archetypes : the behaviour of each office.

    Examples
    --------
    >>> from dak_monitor.datasets import make_export
    >>> df = make_export("nonfisik", year=2024, months=[6], regions=["32.04", "32.73"])
    >>> df[["kode_wilayah", "nama_wilayah"]].drop_duplicates().values.tolist()
    [['32.04', 'Kabupaten Bandung'], ['32.73', 'Kota Bandung']]
    >>> bool((df["realisasi"] <= df["pagu"]).all()), str(df["periode"].iloc[0].date())
    (True, '2024-06-30')
    >>> fisik = make_export("fisik", year=2024, months=[12], regions=["32.04"])
    >>> sorted(fisik["status_pengadaan"].unique())  # doctest: +SKIP
    ['Kontrak', 'Selesai (BAST)']
    """
    kind = _check_kind(kind)
    ms = _check_months(months)
    codes = _check_regions(regions)
    seed = _check_seed(seed)
    year = int(year)
    ref = _reference()
    index = _reference_index()
    arche = _archetype_array(seed)
    eff_t, eff_l = _region_effects(seed)
    shock = _year_shock(seed, year)
    build = _nonfisik_region if kind == C.NONFISIK else _fisik_region
    blocks: list[_Block] = []
    meta: list[tuple[str, str, int]] = []
    for code in codes:
        i = index[code]
        official = str(ref.at[i, "nama"])
        blk = build(code, official, year, seed, arche[i], shock, float(eff_t[i]),
                    float(eff_l[i]))
        blocks.append(blk)
        meta.append((code, official, len(blk.items[C.MENU])))
    columns = C.NONFISIK_COLUMNS if kind == C.NONFISIK else C.FISIK_COLUMNS
    frame = _assemble(kind, year, ms, blocks, meta, seed, columns)
    if messy:
        frame = _make_awkward(frame, seed, year, kind)
    return frame


def _assemble(kind: str, year: int, ms: list[int], blocks: list[_Block],
              meta: list[tuple[str, str, int]], seed: int,
              columns: Sequence[str]) -> pd.DataFrame:
    n_items = sum(m[2] for m in meta)
    n_p = len(ms)
    sel = np.asarray(ms) - 1
    codes = np.concatenate([np.full(m[2], m[0], dtype=object) for m in meta]) if meta else \
        np.array([], dtype=object)
    names = np.concatenate([np.full(m[2], m[1], dtype=object) for m in meta]) if meta else \
        np.array([], dtype=object)
    opds = np.concatenate([np.full(m[2], _opd_name(m[0], m[1], seed), dtype=object)
                           for m in meta]) if meta else np.array([], dtype=object)

    def items(key: str) -> np.ndarray:
        vals: list[Any] = []
        for b in blocks:
            vals.extend(b.items[key])
        return np.asarray(vals, dtype=object)

    def monthly(key: str) -> np.ndarray:
        if not blocks:
            return np.empty(0)
        mat = np.concatenate([b.months[key] for b in blocks], axis=0)[:, sel]
        return mat.T.reshape(-1)  # period-major

    def tile(a: np.ndarray) -> np.ndarray:
        return np.tile(a, n_p)

    periode = np.repeat(_month_ends(year)[sel].to_numpy(), n_items)
    out: dict[str, Any] = {
        C.TAHUN: np.full(n_items * n_p, year, dtype="int64"),
        C.PERIODE: pd.DatetimeIndex(periode).as_unit("ns"),
        C.KODE_PROVINSI: tile(np.array([c[:2] for c in codes], dtype=object)),
        C.KODE_WILAYAH: tile(codes),
        C.NAMA_WILAYAH: tile(names),
        C.OPD: tile(opds),
    }
    pagu = tile(items(C.PAGU).astype(float))
    realisasi = monthly(C.REALISASI).astype(float)
    out[C.MENU] = tile(items(C.MENU))
    out[C.RINCIAN] = tile(items(C.RINCIAN))
    out[C.PAGU] = pagu
    out[C.PENYALURAN] = monthly(C.PENYALURAN).astype(float)
    out[C.REALISASI] = realisasi
    with np.errstate(invalid="ignore", divide="ignore"):
        out[C.PERSEN_REALISASI] = np.round(100 * realisasi / pagu, 2)
    out[C.KETERANGAN] = monthly(C.KETERANGAN)
    if kind == C.NONFISIK:
        out[C.PERSEN_CAPAIAN_OUTPUT] = monthly(C.PERSEN_CAPAIAN_OUTPUT).astype(float)
    else:
        has_c = monthly("_contract").astype(bool)
        status = np.asarray(_STATUS, dtype=object)[monthly("_status").astype(int)]
        out[C.SUBBIDANG] = np.full(n_items * n_p, "KB", dtype=object)
        out[C.VOLUME] = tile(items(C.VOLUME).astype(float))
        out[C.SATUAN] = tile(items(C.SATUAN))
        out[C.METODE_PENGADAAN] = tile(items(C.METODE_PENGADAAN))
        out[C.STATUS_PENGADAAN] = status
        out[C.NOMOR_KONTRAK] = np.where(has_c, tile(items(C.NOMOR_KONTRAK)), None)
        dates = tile(np.asarray(items(C.TANGGAL_KONTRAK).tolist(), dtype="datetime64[ns]")
                     if n_items else np.array([], dtype="datetime64[ns]"))
        out[C.TANGGAL_KONTRAK] = pd.DatetimeIndex(
            np.where(has_c, dates, np.datetime64("NaT", "ns"))).as_unit("ns")
        out[C.NILAI_KONTRAK] = np.where(has_c, tile(items(C.NILAI_KONTRAK).astype(float)),
                                        np.nan)
        out[C.PERSEN_REALISASI_FISIK] = monthly(C.PERSEN_REALISASI_FISIK).astype(float)
        out[C.VOLUME_REALISASI] = monthly(C.VOLUME_REALISASI).astype(float)
    frame = pd.DataFrame({c: out[c] for c in columns})
    for c in columns:
        if c in C.TEXT_COLUMNS or c in (C.KODE_WILAYAH, C.KODE_PROVINSI):
            frame[c] = pd.array(frame[c].tolist(), dtype="str")
    frame[C.JENIS_DAK] = pd.array([kind] * len(frame), dtype="str")
    return frame


def _make_awkward(frame: pd.DataFrame, seed: int, year: int, kind: str) -> pd.DataFrame:
    rng = np.random.default_rng([seed, year, 0xA3C, 1 if kind == C.NONFISIK else 2])
    n = len(frame)
    if n == 0:
        return frame
    k = min(n, max(len(_AWKWARD_NOTES), n // 60))
    rows = rng.choice(n, size=k, replace=False)
    notes = [_AWKWARD_NOTES[i % len(_AWKWARD_NOTES)] for i in range(k)]
    frame = frame.copy()
    ket = frame[C.KETERANGAN].astype(object).to_numpy(copy=True)
    ket[rows] = notes
    frame[C.KETERANGAN] = pd.array(ket.tolist(), dtype="str")
    return frame


# ================================================================================ writer
_MONEY: Final = frozenset(C.MONEY_COLUMNS)
_PERCENT: Final = frozenset(C.PERCENT_COLUMNS)
_QUANTITY: Final = frozenset(C.QUANTITY_COLUMNS)
_DROPPABLE: Final = (C.KODE_PROVINSI, C.OPD, C.SUBBIDANG, C.PERSEN_CAPAIAN_OUTPUT, C.KETERANGAN)

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

_REPORT_TITLE: Final = {C.NONFISIK: "LAPORAN REALISASI DAK NONFISIK BOKB",
                        C.FISIK: "LAPORAN REALISASI DAK FISIK SUBBIDANG KB"}

_SIGNERS: Final = ("Drs. H. Asep Sunandar, M.Si.", "Dra. Hj. Euis Rahmawati, M.M.",
                   "Dr. Dedi Supriadi, S.Sos., M.Si.", "René Kurniawan, S.E., M.Ak.")

_CHOICES: Final[dict[str, tuple[Any, ...]]] = {
    "title": (False, True),
    "period_columns": (True, False),
    "two_row_header": (False, True),
    "header_style": ("standard", "varied"),
    "numbering_row": (False, True),
    "units": ("rupiah", "ribuan"),
    "money_prefix": ("", "Rp ", "Rp."),
    "money_suffix": ("", ",-"),
    "zero_as_dash": (False, True),
    "percent_form": ("text", "text_pct", "number", "fraction"),
    "date_form": ("dd/mm/yyyy", "dd-mm-yyyy", "d mmmm yyyy", "date_cell", "serial"),
    "periode_form": ("month_year", "sd_month_year", "mm/yyyy", "month_end"),
    "code_form": ("dotted", "compact", "trailing_dot", "spaced", "number"),
    "name_form": ("official", "kab_dot", "upper", "upper_full", "bare"),
    "numbers_as_text": (False, True),
    "subtotals": (False, True),
    "grand_total": (False, True),
    "total_label": ("TOTAL", "JUMLAH", "Grand Total"),
    "group_headers": (False, True),
    "blank_rows": (False, True),
    "footer": (False, True),
    "sep": (";", ","),
    "encoding": ("utf-8", "utf-8-sig", "cp1252"),
    "line_terminator": ("\n", "\r\n"),
    "sheet_per_region": (False, True),
}
_FREE_OPTIONS: Final = ("sheet_name", "drop_columns", "total_adjust")
_XLSX_ONLY: Final = {"percent_form": ("number", "fraction"), "date_form": ("date_cell", "serial"),
                     "code_form": ("number",)}
_CSV_ONLY_OPTIONS: Final = ("sep", "encoding", "line_terminator")
_XLSX_ONLY_OPTIONS: Final = ("numbers_as_text", "sheet_per_region", "sheet_name")


@dataclass(frozen=True, slots=True)
class _Num:
    """An Excel number cell with a number format."""

    value: float
    fmt: str


@dataclass(frozen=True, slots=True)
class _Date:
    """An Excel date cell."""

    value: pd.Timestamp
    fmt: str


Cell: TypeAlias = str | _Num | _Date | None


@dataclass(slots=True)
class _Row:
    cells: list[Cell]
    role: str  # title, blank, header, numbering, group, data, subtotal, total, note
    pos: int | None = None  # position of the frame row for data rows
    label: str = ""


@dataclass(slots=True)
class _SheetOut:
    name: str
    rows: list[_Row] = field(default_factory=list)
    merges: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # 0-based


def _frame_kind(frame: pd.DataFrame) -> str:
    if C.JENIS_DAK in frame.columns and len(frame):
        kinds = set(frame[C.JENIS_DAK].dropna().astype(str))
        if len(kinds) == 1:
            return _check_kind(kinds.pop())
        if len(kinds) > 1:
            msg = f"frame holds several kinds of DAK ({sorted(kinds)}); write one kind per file"
            raise ValueError(msg)
    return C.FISIK if any(c in frame.columns for c in C.FISIK_MARKERS) else C.NONFISIK


def _resolve_options(layout: str, seed: int, fmt: str, frame: pd.DataFrame, kind: str,
                     columns: list[str], options: Mapping[str, Any]) -> dict[str, Any]:
    unknown = [k for k in options if k not in _CHOICES and k not in _FREE_OPTIONS]
    if unknown:
        msg = (f"write_export: unknown option(s) {unknown}; known options: "
               f"{sorted([*_CHOICES, *_FREE_OPTIONS])}")
        raise TypeError(msg)
    if fmt == "xlsx":
        bad = [k for k in _CSV_ONLY_OPTIONS if k in options]
    else:
        bad = [k for k in _XLSX_ONLY_OPTIONS if k in options]
    if bad:
        msg = f"write_export: option(s) {bad} do not apply to .{fmt} files"
        raise ValueError(msg)
    for key, value in options.items():
        if key in _CHOICES and key != "percent_form" and value not in _CHOICES[key]:
            msg = f"write_export: {key}={value!r} is not one of {list(_CHOICES[key])}"
            raise ValueError(msg)
        if fmt == "csv" and key in _XLSX_ONLY and value in _XLSX_ONLY[key]:
            msg = f"write_export: {key}={value!r} is only possible in .xlsx files"
            raise ValueError(msg)
    periods = frame[[c for c in (C.TAHUN, C.PERIODE) if c in frame.columns]].drop_duplicates()
    single = len(periods) <= 1 and C.PERIODE in frame.columns
    n_regions = frame[C.KODE_WILAYAH].nunique() if C.KODE_WILAYAH in frame.columns else 0
    xlsx = fmt == "xlsx"
    opts: dict[str, Any] = {
        "title": False, "period_columns": True, "two_row_header": False,
        "header_style": "standard", "numbering_row": False, "units": "rupiah",
        "money_prefix": "", "money_suffix": "", "zero_as_dash": False,
        "percent_form": "number" if xlsx else "text", "date_form":
        "date_cell" if xlsx else "dd/mm/yyyy", "periode_form": "month_year",
        "code_form": "dotted", "name_form": "official", "numbers_as_text": False,
        "subtotals": False, "grand_total": False, "total_label": "TOTAL",
        "group_headers": False, "blank_rows": False, "footer": False, "sep": ";",
        "encoding": "utf-8", "line_terminator": "\n", "sheet_per_region": False,
        "sheet_name": "Laporan", "drop_columns": (), "total_adjust": {},
    }
    rng = np.random.default_rng([seed, 0x3E55])
    if layout == "messy":
        # Draw every decoration in a fixed order, then let explicit options override, so
        # forcing one option does not change the others.
        def pick(values: Sequence[Any]) -> Any:
            return values[int(rng.integers(len(values)))]

        def coin(p: float) -> bool:
            return bool(rng.random() < p)

        draw: dict[str, Any] = {
            "title": coin(0.8),
            "period_columns": not (single and coin(0.4)),
            "two_row_header": coin(0.5),
            "header_style": "varied",
            "numbering_row": coin(0.4),
            "units": "ribuan" if coin(0.25) else "rupiah",
            "money_prefix": pick(("", "", "Rp ", "Rp.")),
            "money_suffix": pick(("", "", ",-")),
            "zero_as_dash": coin(0.6),
            "percent_form": {c: pick(("text", "text_pct", "number", "fraction") if xlsx
                                     else ("text", "text_pct"))
                             for c in C.PERCENT_COLUMNS},
            "date_form": pick(_CHOICES["date_form"] if xlsx else _CHOICES["date_form"][:3]),
            "periode_form": pick(_CHOICES["periode_form"]),
            "code_form": pick(_CHOICES["code_form"] if xlsx else _CHOICES["code_form"][:4]),
            "name_form": pick(("official", "kab_dot", "upper", "upper_full", "bare")),
            "numbers_as_text": xlsx and coin(0.4),
            "subtotals": single and coin(0.5),
            "grand_total": single and coin(0.6),
            "total_label": pick(_CHOICES["total_label"]),
            "group_headers": coin(0.4),
            "blank_rows": coin(0.4),
            "footer": coin(0.6),
            "sep": ";" if coin(0.7) else ",",
            "encoding": pick(_CHOICES["encoding"]),
            "line_terminator": pick(_CHOICES["line_terminator"]),
            "sheet_per_region": xlsx and n_regions > 1 and coin(0.35),
            "sheet_name": pick(("Laporan", "Sheet1", "Realisasi", "Data")),
            "drop_columns": (C.KODE_PROVINSI,) if coin(0.5) else (),
        }
        opts.update(draw)
        if opts["encoding"] == "cp1252" and not _encodable(frame, "cp1252"):
            opts["encoding"] = "utf-8-sig"
    elif layout != "clean":
        msg = f"write_export: layout must be 'clean' or 'messy', got {layout!r}"
        raise ValueError(msg)
    opts.update(options)
    # --- consistency
    if isinstance(opts["percent_form"], str):
        opts["percent_form"] = dict.fromkeys(C.PERCENT_COLUMNS, opts["percent_form"])
    else:
        forms = dict(opts["percent_form"])
        for c in C.PERCENT_COLUMNS:
            forms.setdefault(c, "number" if xlsx else "text")
        opts["percent_form"] = forms
    for c, form in opts["percent_form"].items():
        if form not in _CHOICES["percent_form"] or (not xlsx and form in _XLSX_ONLY[
                "percent_form"]):
            msg = f"write_export: percent_form {form!r} for {c!r} is not possible in .{fmt}"
            raise ValueError(msg)
    drop = tuple(opts["drop_columns"])
    bad_drop = [c for c in drop if c not in _DROPPABLE]
    if bad_drop:
        msg = f"write_export: drop_columns may only name {list(_DROPPABLE)}, got {bad_drop}"
        raise ValueError(msg)
    opts["drop_columns"] = drop
    if not opts["period_columns"] and not single:
        if "period_columns" in options:
            msg = ("write_export: period_columns=False needs a frame with a single tahun and "
                   "periode (they then live only in the title block)")
            raise ValueError(msg)
        opts["period_columns"] = True
    for key in ("subtotals", "grand_total"):
        if opts[key] and not single:
            if key in options:
                msg = (f"write_export: {key}=True needs a frame with a single periode "
                       f"(cumulative figures of several months cannot be added up)")
                raise ValueError(msg)
            opts[key] = False
    needs_title = opts["units"] == "ribuan" or not opts["period_columns"]
    if needs_title and not opts["title"]:
        if options.get("title") is False:
            msg = ("write_export: title=False is impossible with units='ribuan' or "
                   "period_columns=False (the title block must say it)")
            raise ValueError(msg)
        opts["title"] = True
    if opts["total_adjust"] and not opts["grand_total"]:
        msg = "write_export: total_adjust needs grand_total=True"
        raise ValueError(msg)
    opts["sheet_per_region"] = bool(xlsx and opts["sheet_per_region"])
    opts["_single"] = single
    opts["_header_rng"] = int(rng.integers(2**31))
    opts["_stamp"] = int(rng.integers(2**31))
    return opts


def _encodable(frame: pd.DataFrame, encoding: str) -> bool:
    for c in frame.columns:
        if frame[c].dtype.kind in "biufcmM":
            continue
        text = "\n".join(str(v) for v in frame[c].dropna().unique())
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            return False
    for s in (*_SIGNERS, *_BULAN):
        try:
            s.encode(encoding)
        except UnicodeEncodeError:  # pragma: no cover - constants are cp1252-safe
            return False
    return True


# --- formatting of single values ------------------------------------------------------
def _missing(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and np.isnan(v)


def _id_number(x: float, decimals: int) -> str:
    """Indonesian number text: '1.234.567' or '1.234.567,891' (trailing zeros dropped)."""
    neg = x < 0
    x = abs(x)
    if decimals == 0 or float(x).is_integer():
        s = f"{round(x):,}".replace(",", ".")
    else:
        s = f"{x:,.{decimals}f}".rstrip("0").rstrip(".")
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"-{s}" if neg else s


def _id_decimal(x: float, decimals: int = 2) -> str:
    """Indonesian decimal without thousands separator: '93,5', '100', '0,25'."""
    s = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def _fmt_date_text(ts: pd.Timestamp, form: str) -> str:
    if form == "dd-mm-yyyy":
        return ts.strftime("%d-%m-%Y")
    if form == "d mmmm yyyy":
        return f"{ts.day} {_BULAN[ts.month - 1]} {ts.year}"
    return ts.strftime("%d/%m/%Y")


def _fmt_periode(ts: pd.Timestamp, form: str) -> str:
    if form == "sd_month_year":
        return f"s.d. {_BULAN[ts.month - 1]} {ts.year}"
    if form == "mm/yyyy":
        return f"{ts.month:02d}/{ts.year}"
    if form == "month_end":
        return ts.strftime("%d/%m/%Y")
    return f"{_BULAN[ts.month - 1]} {ts.year}"


_CODE_RX: Final = re.compile(r"^(\d{2})\.(\d{2})$")


def _fmt_code(code: str, form: str, xlsx: bool) -> Cell:
    m = _CODE_RX.match(code)
    if not m:
        return code
    a, b = m.groups()
    if form == "compact":
        return a + b
    if form == "trailing_dot":
        return f"{a}.{b}."
    if form == "spaced":
        return f"{a} {b}"
    if form == "number" and xlsx:
        return _Num(float(f"{a}.{b}"), "General")
    return code


def _fmt_name(name: str, form: str) -> str:
    if not (name.startswith("Kabupaten ") or name.startswith("Kota ")):
        return name
    return _region_name_forms(name)[form]


class _Formatter:
    """Turns frame values into cells (text for CSV; text, numbers or dates for XLSX)."""

    def __init__(self, opts: Mapping[str, Any], xlsx: bool):
        self.o = opts
        self.xlsx = xlsx
        self.as_text = (not xlsx) or bool(opts["numbers_as_text"])
        self.scale = 1000.0 if opts["units"] == "ribuan" else 1.0
        self.decimals = 3 if opts["units"] == "ribuan" else 2

    def money(self, v: object) -> Cell:
        if isinstance(v, str):
            return v
        if _missing(v):
            return None
        x = float(v)  # type: ignore[arg-type]
        o = self.o
        if not self.as_text:
            base = "#,##0.000" if self.scale != 1 else "#,##0"
            if o["money_prefix"]:
                base = f'"Rp "{base}'
            fmt = f'{base};-{base};"-"' if o["zero_as_dash"] else base
            return _Num(x / self.scale, fmt)
        if x == 0 and o["zero_as_dash"]:
            return "-"
        scaled = x / self.scale
        s = _id_number(scaled, self.decimals)
        suffix = o["money_suffix"] if "," not in s else ""
        return f"{o['money_prefix']}{s}{suffix}"

    def quantity(self, v: object) -> Cell:
        if isinstance(v, str):
            return v
        if _missing(v):
            return None
        x = float(v)  # type: ignore[arg-type]
        if not self.as_text:
            return _Num(x, "#,##0" if x.is_integer() else "#,##0.00")
        return _id_number(x, 2)

    def percent(self, v: object, column: str) -> Cell:
        if isinstance(v, str):
            return v
        if _missing(v):
            return None
        x = float(v)  # type: ignore[arg-type]
        form = self.o["percent_form"][column]
        if form == "fraction":
            return _Num(x / 100.0, "0.00%")
        if form == "number":
            return _Num(x, "0.00")
        return _id_decimal(x) + ("%" if form == "text_pct" else "")

    def date(self, v: object) -> Cell:
        if isinstance(v, str):
            return v
        if _missing(v):
            return None
        ts = pd.Timestamp(v)  # type: ignore[arg-type]
        form = self.o["date_form"]
        if form == "date_cell":
            return _Date(ts, "dd/mm/yyyy")
        if form == "serial":
            return _Num(float((ts.normalize() - pd.Timestamp(1899, 12, 30)).days), "0")
        return _fmt_date_text(ts, form)

    def column(self, col: str, values: Sequence[Any]) -> list[Cell]:
        if col in _MONEY:
            return [self.money(v) for v in values]
        if col in _PERCENT:
            return [self.percent(v, col) for v in values]
        if col in _QUANTITY:
            return [self.quantity(v) for v in values]
        if col in C.DATE_COLUMNS:
            return [self.date(v) for v in values]
        if col == C.PERIODE:
            return [v if isinstance(v, str) else (None if _missing(v) else _fmt_periode(
                pd.Timestamp(v), self.o["periode_form"])) for v in values]
        if col == C.TAHUN:
            if self.as_text:
                return [None if _missing(v) else str(v) if isinstance(v, str) else str(int(v))
                        for v in values]
            return [None if _missing(v) else v if isinstance(v, str) else _Num(float(v), "0")
                    for v in values]
        if col == C.KODE_WILAYAH:
            return [None if _missing(v) else _fmt_code(str(v), self.o["code_form"], self.xlsx)
                    for v in values]
        if col == C.NAMA_WILAYAH:
            return [None if _missing(v) else _fmt_name(str(v), self.o["name_form"])
                    for v in values]
        return [None if _missing(v) else str(v) for v in values]


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


# --- layout -------------------------------------------------------------------------------
def _title_lines(kind: str, frame: pd.DataFrame, opts: Mapping[str, Any],
                 region_label: str | None) -> list[str]:
    lines = [_REPORT_TITLE[kind]]
    if region_label:
        lines.append(region_label)
    years = sorted(set(frame[C.TAHUN].dropna().astype(int))) if C.TAHUN in frame else []
    if len(years) == 1:
        lines.append(f"TAHUN ANGGARAN {years[0]}")
    if opts["_single"] and len(frame):
        p = pd.Timestamp(frame[C.PERIODE].iloc[0])
        lines.append(f"Periode s.d. {p.day} {_BULAN[p.month - 1]} {p.year}")
    provs = sorted(set(frame[C.KODE_WILAYAH].dropna().astype(str).str[:2])) \
        if C.KODE_WILAYAH in frame else []
    if len(provs) == 1:
        ref = _reference()
        name = ref.loc[ref["kode_provinsi"] == provs[0], "nama_provinsi"]
        if len(name):
            lines.append(f"PROVINSI {str(name.iloc[0]).upper()}")
    if opts["units"] == "ribuan":
        lines.append("(dalam ribuan rupiah)")
    rng = np.random.default_rng([opts["_stamp"], 1])
    if rng.random() < 0.8 and C.PERIODE in frame and len(frame):
        last = pd.Timestamp(frame[C.PERIODE].max())
        stamp = last + pd.Timedelta(days=int(rng.integers(3, 11)),
                                    minutes=int(rng.integers(7 * 60, 17 * 60)))
        lines.append(f"Diunduh: {stamp.strftime('%d/%m/%Y %H:%M')}")
    return lines


def _footer_rows(ncol: int, frame: pd.DataFrame, opts: Mapping[str, Any]) -> list[_Row]:
    rng = np.random.default_rng([opts["_stamp"], 2])
    last = pd.Timestamp(frame[C.PERIODE].max()) if C.PERIODE in frame and len(frame) else \
        pd.Timestamp(2024, 6, 30)
    day = last + pd.Timedelta(days=int(rng.integers(3, 11)))
    col = max(0, ncol - 4)
    signer = _SIGNERS[int(rng.integers(len(_SIGNERS)))]

    def at(j: int, text: str, role: str = "note") -> _Row:
        cells: list[Cell] = [None] * ncol
        cells[j] = text
        return _Row(cells, role)

    blank = _Row([None] * ncol, "blank")
    return [
        blank,
        at(0, "Sumber: Aplikasi Morena, diolah"),
        at(0, "Catatan: angka sementara, dapat berubah setelah rekonsiliasi"),
        _Row([None] * ncol, "blank"),
        at(col, f"Bandung, {day.day} {_BULAN[day.month - 1]} {day.year}"),
        at(col, "Mengetahui,"),
        at(col, "Kepala Dinas"),
        _Row([None] * ncol, "blank"),
        _Row([None] * ncol, "blank"),
        at(col, signer),
        at(col, "NIP. 19700101 199503 1 001"),
    ]


def _total_row(label: str, part: pd.DataFrame, columns: list[str], fmt: _Formatter,
               role: str, adjust: Mapping[str, float] | None = None) -> _Row:
    sums: dict[str, float] = {}
    for c in columns:
        if c in _MONEY:
            vals = pd.to_numeric(part[c].map(lambda v: np.nan if isinstance(v, str) else v),
                                 errors="coerce")
            sums[c] = float(vals.sum()) + float((adjust or {}).get(c, 0.0))
    cells: list[Cell] = [None] * len(columns)
    for j, c in enumerate(columns):
        if c in sums:
            cells[j] = fmt.money(sums[c])
        elif c == C.PERSEN_REALISASI and sums.get(C.PAGU):
            cells[j] = fmt.percent(round(100 * sums.get(C.REALISASI, 0.0) / sums[C.PAGU], 2), c)
    cells[0] = label
    return _Row(cells, role, label=label)


def _layout_sheet(name: str, kind: str, part: pd.DataFrame, positions: np.ndarray,
                  columns: list[str], opts: Mapping[str, Any], fmt: _Formatter,
                  region_label: str | None, grand_total: bool) -> _SheetOut:
    sheet = _SheetOut(name)
    ncol = len(columns)
    rows = sheet.rows
    if opts["title"]:
        for line in _title_lines(kind, part, opts, region_label):
            cells: list[Cell] = [None] * ncol
            cells[0] = line
            rows.append(_Row(cells, "title"))
        rows.append(_Row([None] * ncol, "blank"))
    header = _headers(kind, columns, opts)
    first_header = len(rows)
    for labels in header:
        rows.append(_Row(list(labels), "header"))
    if len(header) == 2:
        upper, lower = header
        j = 0
        while j < ncol:
            if lower[j] == "":
                sheet.merges.append((first_header, j, first_header + 1, j, upper[j]))
                j += 1
                continue
            k = j + 1
            while k < ncol and upper[k] == "" and lower[k] != "":
                k += 1
            if k - j > 1:
                sheet.merges.append((first_header, j, first_header, k - 1, upper[j]))
            j = k
    if opts["numbering_row"]:
        rows.append(_Row([str(i + 1) if fmt.as_text else _Num(float(i + 1), "0")
                          for i in range(ncol)], "numbering"))
    rendered = {c: fmt.column(c, part[c].tolist()) for c in columns}
    codes = part[C.KODE_WILAYAH].astype(object).tolist() if C.KODE_WILAYAH in part else \
        [None] * len(part)
    names = part[C.NAMA_WILAYAH].astype(object).tolist() if C.NAMA_WILAYAH in part else \
        [None] * len(part)
    groups: list[list[int]] = []
    for i in range(len(part)):
        if not groups or codes[i] != codes[groups[-1][0]]:
            groups.append([])
        groups[-1].append(i)
    grouped = opts["group_headers"] or opts["subtotals"] or opts["blank_rows"]
    for g, members in enumerate(groups if grouped else [list(range(len(part)))]):
        first = members[0] if members else None
        nm = names[first] if first is not None else None
        if opts["group_headers"] and first is not None and not _missing(nm):
            cells = [None] * ncol
            cells[0] = _fmt_name(str(nm), "upper_full")
            rows.append(_Row(cells, "group"))
        for i in members:
            rows.append(_Row([rendered[c][i] for c in columns], "data", pos=int(positions[i])))
        if opts["subtotals"] and first is not None:
            label = f"Jumlah {_fmt_name(str(nm), 'kab_dot')}" if not _missing(nm) else "Jumlah"
            rows.append(_total_row(label, part.iloc[members], columns, fmt, "subtotal"))
        if opts["blank_rows"] and g < len(groups) - 1:
            rows.append(_Row([None] * ncol, "blank"))
    if grand_total:
        rows.append(_total_row(opts["total_label"], part, columns, fmt, "total",
                               opts["total_adjust"]))
    if opts["footer"]:
        rows.extend(_footer_rows(ncol, part, opts))
    if opts["title"]:
        # title lines merged across the table width (xlsx only; ignored in CSV)
        for r, row in enumerate(rows[:first_header]):
            if row.role == "title" and ncol > 1:
                sheet.merges.append((r, 0, r, min(ncol, 8) - 1, str(row.cells[0])))
    return sheet


def _sheet_title(name: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    out, k = clean, 2
    while out.lower() in used:
        suffix = f" ({k})"
        out, k = clean[: 31 - len(suffix)] + suffix, k + 1
    used.add(out.lower())
    return out


def _write_csv(sheet: _SheetOut, path: Path, opts: Mapping[str, Any]) -> list[int]:
    """Write one sheet as CSV; return the 1-based line where each row starts."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=opts["sep"], lineterminator=opts["line_terminator"],
                        quoting=csv.QUOTE_MINIMAL)
    lines: list[int] = []
    line = 1
    for row in sheet.rows:
        start = buf.tell()
        writer.writerow(["" if c is None else str(c) for c in row.cells])
        lines.append(line)
        buf.seek(start)
        line += buf.read().count("\n")
    text = buf.getvalue()
    try:
        data = text.encode(opts["encoding"])
    except UnicodeEncodeError as exc:
        bad = text[exc.start:exc.end]
        msg = (f"write_export: {path.name}: the text {bad!r} cannot be written in "
               f"{opts['encoding']}; use encoding='utf-8' or 'utf-8-sig'")
        raise ValueError(msg) from exc
    path.write_bytes(data)
    return lines


def _write_xlsx(sheets: list[_SheetOut], path: Path, opts: Mapping[str, Any]) -> None:
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": "Laporan realisasi DAK (data sintetis)",
                       "author": "dak_monitor.datasets", "created": dt.datetime(2024, 1, 1)})
    formats: dict[tuple[str, bool], Any] = {}

    def fmt(num_format: str, bold: bool = False) -> Any:
        key = (num_format, bold)
        if key not in formats:
            props: dict[str, Any] = {"num_format": num_format} if num_format else {}
            if bold:
                props.update({"bold": True, "text_wrap": True, "valign": "vcenter",
                              "align": "center", "border": 1})
            formats[key] = wb.add_format(props)
        return formats[key]

    title_fmt = wb.add_format({"bold": True})
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        merged_cells = set()
        for r0, c0, r1, c1, text in sheet.merges:
            role = sheet.rows[r0].role
            ws.merge_range(r0, c0, r1, c1, text, fmt("", True) if role == "header" else title_fmt)
            merged_cells.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        ncol = max((len(r.cells) for r in sheet.rows), default=0)
        for r, row in enumerate(sheet.rows):
            bold = row.role in ("header", "numbering", "subtotal", "total", "group")
            for c, cell in enumerate(row.cells):
                if cell is None or (r, c) in merged_cells:
                    continue
                if isinstance(cell, _Num):
                    ws.write_number(r, c, cell.value, fmt(cell.fmt, row.role == "header"))
                elif isinstance(cell, _Date):
                    ws.write_datetime(r, c, cell.value.to_pydatetime(), fmt(cell.fmt))
                elif row.role == "header":
                    ws.write_string(r, c, str(cell), fmt("", True))
                elif row.role == "title":
                    ws.write_string(r, c, str(cell), title_fmt)
                else:
                    ws.write_string(r, c, str(cell), title_fmt if bold else None)
        ws.set_column(0, max(ncol - 1, 0), 16)
    wb.close()


def write_export(frame: pd.DataFrame, path: str | os.PathLike[str], *, layout: str = "clean",
                 seed: int = 0, **options: Any) -> pd.DataFrame:
    """Write an export frame as a Morena-style CSV or XLSX file and say where each row went.

    The file type follows the suffix (``.csv`` or ``.xlsx``). Columns are written in canonical
    order for the frame's kind (``jenis_dak``, else detected from the columns); columns that
    are not canonical are left out. A cell that holds a *string* in a numeric or date column
    is written verbatim (that is how a test plants ``"1.234.56"`` or ``"31/02/2024"``).
    Formulas are never written: totals are values.

    ``layout="clean"``: one header row (``Tahun``, ``Periode``, ``Kode Wilayah``,
    ``Kabupaten/Kota``, ``Pagu``, ...), official region names, codes ``32.04``. CSV: ``;``
    separator, UTF-8, Indonesian numbers (``1.234.567``, ``1.234.567,89``), percents ``93,5``,
    dates ``dd/mm/yyyy``, periode ``Juni 2024``. XLSX: numbers, percents (0–100) and dates as
    Excel numbers/dates.

    ``layout="messy"``: a seeded random mix of the decorations listed below (each can be forced
    with a keyword option; a forced option never changes the others' draws). Subtotals and
    totals are only drawn for a single-period frame; ``cp1252`` only when the text fits.

    Options
    -------
    title : bool
        Title block above the header: report name, ``TAHUN ANGGARAN 2024``, ``Periode s.d. 30
        Juni 2024`` (single-period frames only), ``PROVINSI JAWA BARAT`` (single province),
        ``(dalam ribuan rupiah)`` (with ``units="ribuan"``), often ``Diunduh: 05/07/2024
        10:12``; then a blank row. In XLSX the title cells are merged across the table.
    period_columns : bool
        False leaves out ``tahun`` and ``periode`` (single-period frames only; the title then
        carries them).
    two_row_header : bool
        Group labels over sub-labels: nonfisik ``Realisasi`` over ``(Rp)`` and ``%``; fisik
        ``Kontrak`` over ``Nomor``/``Tanggal``/``Nilai`` and ``Realisasi`` over
        ``Keuangan``/``Keuangan %``/``Fisik %``/``Volume``. XLSX merges the group cell and the
        single columns vertically; CSV puts the group label on the first header line (first
        column of the group only) and the sub-labels on the second.
    header_style : {"standard", "varied"}
        "varied" picks for every column a spelling of ``DEFAULT_ALIASES`` of the kind, with
        random case, sometimes a line break or a double space, and (rupiah money columns)
        sometimes a trailing ``(Rp)``.
    numbering_row : bool
        A row ``1 2 3 …`` under the header.
    units : {"rupiah", "ribuan"}
        "ribuan" writes money / 1000 with up to three decimals (``1.234.567,891``, exact) and
        adds ``(dalam ribuan rupiah)`` to the (forced) title block.
    money_prefix : {"", "Rp ", "Rp."}; money_suffix : {"", ",-"}
        Text money as ``Rp 1.234.567`` / ``Rp.1.234.567,-`` (the suffix only on whole numbers).
        In XLSX number cells the prefix becomes a number format.
    zero_as_dash : bool
        Zero money as ``-`` (a blank cell always means missing, e.g. no contract yet).
    percent_form : {"text", "text_pct", "number", "fraction"} or mapping column -> form
        ``93,5`` / ``93,5%`` / (XLSX) the number 93.5 / (XLSX) 0.935 in a ``0.00%`` cell.
        One form per column per file.
    date_form : {"dd/mm/yyyy", "dd-mm-yyyy", "d mmmm yyyy", "date_cell", "serial"}
        ``12/03/2024``, ``12-03-2024``, ``12 Maret 2024``, (XLSX) a date cell or an Excel
        serial number (e.g. 45363).
    periode_form : {"month_year", "sd_month_year", "mm/yyyy", "month_end"}
        ``Juni 2024``, ``s.d. Juni 2024``, ``06/2024``, ``30/06/2024``.
    code_form : {"dotted", "compact", "trailing_dot", "spaced", "number"}
        ``32.04``, ``3204``, ``32.04.``, ``32 04``, (XLSX) the number 32.04 (``32.10`` is stored
        as 32.1).
    name_form : {"official", "kab_dot", "upper", "upper_full", "bare"}
        ``Kabupaten Bandung``, ``Kab. Bandung``, ``KAB BANDUNG``, ``KABUPATEN BANDUNG``,
        ``Bandung`` (ambiguous with Kota Bandung, but the code column is always written).
    numbers_as_text : bool
        (XLSX) money, quantities and percents stored as Indonesian text instead of numbers.
    subtotals : bool
        After each region's rows, ``Jumlah Kab. Garut`` (label in the first column) with the
        sums of the money columns and the % of the sums. Single-period frames only.
    grand_total : bool; total_label : {"TOTAL", "JUMLAH", "Grand Total"}
        A final totals row over all data rows (not written with ``sheet_per_region``).
    total_adjust : mapping column -> amount
        Added to the grand total (plants a ``total-mismatch``); needs ``grand_total=True``.
    group_headers : bool
        Before each region's rows, its name alone in the first column (``KABUPATEN GARUT``).
    blank_rows : bool
        A blank row between regions.
    footer : bool
        Notes and a signature block: ``Sumber: Aplikasi Morena, diolah``, ``Catatan: …``,
        place and date, ``Mengetahui,``, ``Kepala Dinas``, a name, ``NIP. 19700101 199503 1
        001``.
    drop_columns : tuple of str
        Optional columns to leave out: ``kode_provinsi``, ``opd``, ``subbidang``,
        ``persen_capaian_output``, ``keterangan``.
    sep : {";", ","}; encoding : {"utf-8", "utf-8-sig", "cp1252"}; line_terminator : {"\\n",
    "\\r\\n"}
        (CSV) separator, encoding (UTF-8, UTF-8 with BOM, Windows-1252) and line ends. Lines
        are padded with separators to the table width, as Excel saves them.
    sheet_per_region : bool; sheet_name : str
        (XLSX) one sheet per region (named ``Kab. Garut``, with the region in the title) or
        one sheet called ``sheet_name``.

    Parameters
    ----------
    frame : DataFrame
        An export in canonical columns, e.g. from :func:`make_export`. Rows of a region should
        be contiguous for the grouped decorations; they are grouped (stable) by
        ``kode_wilayah`` when any is on.
    path : str or path-like
        Target ``.csv`` or ``.xlsx`` file (the folder must exist).
    layout : {"clean", "messy"}, default "clean"
    seed : int, default 0
        Seed of the decoration draws and header spellings.
    **options
        Force any single decoration, see *Options*.

    Returns
    -------
    DataFrame
        The row map: one row per frame row with ``index`` (the frame's label),
        ``sumber_file`` (file name), ``sumber_sheet`` (sheet name; ``""`` for CSV) and
        ``sumber_baris`` (1-based row as Excel shows it, or the 1-based line where the record
        starts in a text editor). ``attrs["options"]`` holds the decorations used (percent
        forms of the written columns only; no ``date_form`` without a date column),
        ``attrs["total_rows"]`` the (sheet, row, label, level) of subtotal and total rows and
        ``attrs["header_rows"]`` the (sheet, row) of header rows.

    Raises
    ------
    ValueError
        For an unknown suffix, layout or option value, or options that cannot go together
        (e.g. subtotals of a multi-period frame, cp1252 text that does not fit).
    TypeError
        For an unknown option name.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from dak_monitor.datasets import make_export, write_export
    >>> df = make_export("nonfisik", year=2024, months=[6], regions=["32.04"])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bokb_juni.csv"
    >>> rowmap = write_export(df, path)
    >>> rowmap.columns.tolist()
    ['index', 'sumber_file', 'sumber_sheet', 'sumber_baris']
    >>> int(rowmap["sumber_baris"].iloc[0]), rowmap["sumber_file"].iloc[0]
    (2, 'bokb_juni.csv')
    >>> path.read_text(encoding="utf-8").splitlines()[0][:45]
    'Tahun;Periode;Kode Provinsi;Kode Wilayah;Kabu'
    >>> messy = write_export(df, path.with_suffix(".xlsx"), layout="messy", seed=3,
    ...                      title=True, units="ribuan")
    >>> messy.attrs["options"]["units"], int(messy["sumber_baris"].min()) > 5
    ('ribuan', True)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        msg = f"write_export: {path.name}: the file must end in .csv or .xlsx"
        raise ValueError(msg)
    fmt_name = suffix[1:]
    seed = _check_seed(seed)
    kind = _frame_kind(frame)
    canonical = C.NONFISIK_COLUMNS if kind == C.NONFISIK else C.FISIK_COLUMNS
    missing = [c for c in C.REQUIRED[kind] if c not in frame.columns]
    if missing:
        msg = f"write_export: the frame lacks required {kind} column(s) {missing}"
        raise ValueError(msg)
    opts = _resolve_options(layout, seed, fmt_name, frame, kind, list(frame.columns), options)
    columns = [c for c in canonical if c in frame.columns and c not in opts["drop_columns"]]
    if not opts["period_columns"]:
        columns = [c for c in columns if c not in (C.TAHUN, C.PERIODE)]
    xlsx = fmt_name == "xlsx"
    formatter = _Formatter(opts, xlsx)
    positions = np.arange(len(frame))
    grouped = (opts["group_headers"] or opts["subtotals"] or opts["blank_rows"]
               or opts["sheet_per_region"])
    if grouped and C.KODE_WILAYAH in frame.columns and len(frame):
        codes = frame[C.KODE_WILAYAH].astype(object).fillna("").astype(str)
        first_seen = pd.Series(codes.factorize()[0], index=frame.index)
        positions = np.argsort(first_seen.to_numpy(), kind="stable")
    ordered = frame.iloc[positions]
    sheets: list[_SheetOut] = []
    if opts["sheet_per_region"]:
        used: set[str] = set()
        codes_o = ordered[C.KODE_WILAYAH].astype(object).fillna("").astype(str).to_numpy()
        start = 0
        while start < len(ordered):
            stop = start
            while stop < len(ordered) and codes_o[stop] == codes_o[start]:
                stop += 1
            part = ordered.iloc[start:stop]
            nm = part[C.NAMA_WILAYAH].iloc[0]
            label = str(nm) if not _missing(nm) else codes_o[start]
            sheets.append(_layout_sheet(
                _sheet_title(_fmt_name(label, "kab_dot"), used), kind, part,
                positions[start:stop], columns, opts, formatter, label.upper(), False))
            start = stop
        if not sheets:
            sheets.append(_layout_sheet(opts["sheet_name"], kind, ordered, positions, columns,
                                        opts, formatter, None, False))
    else:
        sheets.append(_layout_sheet(opts["sheet_name"] if xlsx else "", kind, ordered,
                                    positions, columns, opts, formatter, None,
                                    opts["grand_total"]))
    where_sheet = np.empty(len(frame), dtype=object)
    where_row = np.zeros(len(frame), dtype="int64")
    totals: list[dict[str, Any]] = []
    headers: list[dict[str, Any]] = []
    for sheet in sheets:
        if xlsx:
            numbers = list(range(1, len(sheet.rows) + 1))
        else:
            numbers = _write_csv(sheet, path, opts)
        for row, number in zip(sheet.rows, numbers, strict=True):
            if row.role == "data" and row.pos is not None:
                where_sheet[row.pos] = sheet.name
                where_row[row.pos] = number
            elif row.role in ("subtotal", "total"):
                totals.append({"sheet": sheet.name, "row": number, "label": row.label,
                               "level": row.role})
            elif row.role == "header":
                headers.append({"sheet": sheet.name, "row": number})
    if xlsx:
        _write_xlsx(sheets, path, opts)
    rowmap = pd.DataFrame({
        "index": frame.index.to_numpy(),
        C.SUMBER_FILE: pd.array([path.name] * len(frame), dtype="str"),
        C.SUMBER_SHEET: pd.array(where_sheet.tolist() if len(frame) else [], dtype="str"),
        C.SUMBER_BARIS: where_row,
    })
    public = {k: v for k, v in opts.items() if not k.startswith("_")}
    public["percent_form"] = {c: f for c, f in opts["percent_form"].items() if c in columns}
    if not any(c in columns for c in C.DATE_COLUMNS):
        public.pop("date_form")
    if not xlsx:
        for k in _XLSX_ONLY_OPTIONS:
            public.pop(k, None)
    else:
        for k in _CSV_ONLY_OPTIONS:
            public.pop(k, None)
    rowmap.attrs["options"] = public
    rowmap.attrs["total_rows"] = totals
    rowmap.attrs["header_rows"] = headers
    return rowmap


# ============================================================================ samples
def sample_export_path(name: str) -> Path:
    """Return the path of a packaged sample export.

    Parameters
    ----------
    name : str
        One of :data:`SAMPLE_EXPORTS`: ``"nonfisik_clean_csv"`` (3 regions, January–June 2024,
        clean CSV), ``"nonfisik_messy_xlsx"`` (3 regions, June 2024, title block, two-row
        header, subtotals, totals, signature) or ``"fisik_messy_csv"`` (3 regions, June 2024,
        ``;`` Windows-1252 CSV with a title block and values in thousands).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For an unknown name.

    Examples
    --------
    >>> from dak_monitor.datasets import SAMPLE_EXPORTS, sample_export_path
    >>> [sample_export_path(n).suffix for n in SAMPLE_EXPORTS]
    ['.csv', '.csv', '.xlsx']
    """
    if name not in _SAMPLE_FILES:
        msg = f"unknown sample export {name!r}; available: {list(SAMPLE_EXPORTS)}"
        raise ValueError(msg)
    return Path(str(resources.files("dak_monitor").joinpath("data", _SAMPLE_FILES[name])))


def load_sample_export(name: str) -> Export:
    """Read a packaged sample export with :func:`dak_monitor.read_export`.

    The samples are synthetic (made by ``scripts/make_samples.py`` with :func:`make_export`
    and :func:`write_export`); see :func:`sample_export_path` for what each holds.

    Parameters
    ----------
    name : str
        One of :data:`SAMPLE_EXPORTS`.

    Returns
    -------
    Export
        What :func:`dak_monitor.read_export` returns for the file.

    Examples
    --------
    >>> from dak_monitor.datasets import load_sample_export
    >>> export = load_sample_export("nonfisik_clean_csv")  # doctest: +SKIP
    >>> export.data["kode_wilayah"].nunique()  # doctest: +SKIP
    3
    """
    from ._io import read_export

    return read_export(sample_export_path(name))
