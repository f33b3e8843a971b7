"""The simulated province: regions, office archetypes, pagu and absorption paths.

:func:`make_export` builds the canonical frame of a synthetic export (one row per region ×
item × month end, cumulative figures) and :func:`region_archetypes` says how each office
behaves. Every draw comes from a generator seeded by ``(seed, year, kind, region)``, so a
region's rows do not depend on which other regions or months are asked for. Nothing here
writes a file: :mod:`dak_monitor.datasets.write` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

import numpy as np
import pandas as pd

from .._vocab import columns as C

__all__ = ["ARCHETYPES", "make_export", "region_archetypes"]

#: Behaviours a regional KB office (OPD) can have, from best to worst.
ARCHETYPES: Final = ("early", "typical", "late", "stalled", "never-contracts")

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
    ``kind="fisik"``. The numbers follow the shapes of ``docs/glossary.md``: BOKB spends smoothly
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


