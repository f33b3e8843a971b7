"""Row checks: a row on its own or against the same item's other reports.

Each function is True where a row FAILS; its ``context`` gives the values the messages use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._config import Rules
from .._items import fold, has_contract, is_recap, is_swakelola, item_keys, previous_period
from .._regions import code_aliases, official_name, region_name_candidates
from .._text import rp
from .._vocab import columns as C
from . import ERROR, WARNING, register_check
from .cells import REGION_CODES as _REGION_CODES


# ====================================================================== helpers and contexts
def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    if col in frame:
        return pd.to_numeric(frame[col], errors="coerce")
    return pd.Series(np.nan, index=frame.index)


def _printed_precision(p: pd.Series) -> pd.Series:
    """Half a unit of the last printed decimal, inferred from the value (45 -> 0.5)."""
    a = p.abs()
    return pd.Series(np.select([np.isclose(a, a.round(0)), np.isclose(a, a.round(1))],
                               [0.5, 0.05], default=0.005), index=p.index)


def _ctx(**cols: Callable[[pd.DataFrame], pd.Series]) -> Callable[
        [pd.DataFrame, pd.Index, Rules], pd.DataFrame]:
    def build(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
        sub = frame.loc[idx]
        return pd.DataFrame({k: f(sub) for k, f in cols.items()}, index=idx)
    return build


def _money(col: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda f: f[col].map(rp) if col in f else pd.Series("", index=f.index)


def _computed_percent(f: pd.DataFrame) -> pd.Series:
    pagu = _num(f, C.PAGU)
    return 100 * _num(f, C.REALISASI) / pagu.where(pagu > 0)


def _pairs(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, tuple[list[Any], list[Any]]]:
    """Distinct (a, b) value pairs of two columns and each row's pair number (None = missing).

    Columns such as (kode_wilayah, nama_wilayah) repeat a few hundred pairs a million times;
    checks look at each pair once.
    """
    ca, ua = pd.factorize(a, use_na_sentinel=True)
    cb, ub = pd.factorize(b, use_na_sentinel=True)
    combined = (ca.astype(np.int64) + 1) * (len(ub) + 1) + (cb + 1)
    distinct, pair = np.unique(combined, return_inverse=True)
    va = [*list(ua), None]
    vb = [*list(ub), None]
    first = [va[i - 1] if i else None for i in (distinct // (len(ub) + 1)).tolist()]
    second = [vb[i - 1] if i else None for i in (distinct % (len(ub) + 1)).tolist()]
    return pair.reshape(-1), (first, second)


def _ctx_previous(col: str) -> Callable[[pd.DataFrame, pd.Index, Rules], pd.DataFrame]:
    def build(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
        prev, prev_i = previous_period(frame, col)
        pi = prev_i.loc[idx]
        valid = pi.notna()
        src = frame.loc[pi[valid].astype(int)]
        where = pd.Series("", index=idx, dtype=object)
        where[valid] = (src[C.SUMBER_FILE].astype(str) + _sheet_suffix(src) + " baris/row "
                        + src[C.SUMBER_BARIS].astype(str)).to_numpy()
        return pd.DataFrame({"sebelumnya": prev.loc[idx].map(rp), "baris_sebelumnya": where,
                             "nilai": frame.loc[idx, col].map(rp)}, index=idx)
    return build


def _sheet_suffix(src: pd.DataFrame) -> pd.Series:
    sheet = src[C.SUMBER_SHEET].fillna("").astype(str)
    return sheet.where(sheet == "", " [" + sheet + "]")


def _ctx_first_occurrence(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
    key = pd.DataFrame({"k": item_keys(frame), "p": frame[C.PERIODE]})
    first_pos = key.reset_index().groupby(["k", "p"], dropna=False)["index"].transform("first")
    first_pos.index = frame.index
    src = frame.loc[first_pos.loc[idx].to_numpy()]
    where = (src[C.SUMBER_FILE].astype(str) + _sheet_suffix(src) + " baris/row "
             + src[C.SUMBER_BARIS].astype(str))
    return pd.DataFrame({"baris_pertama": where.to_numpy()}, index=idx)


def _ctx_outlier(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
    sub = frame.loc[idx]
    pagu = _num(sub, C.PAGU)
    vals = pd.concat([_num(sub, c) for c in (C.REALISASI, C.PENYALURAN, C.NILAI_KONTRAK)],
                     axis=1).max(axis=1)
    prev, _ = previous_period(frame, C.PAGU)
    # Blame the column that is absurd: a money value far above pagu, else pagu itself.
    column = pd.Series(C.PAGU, index=idx, dtype=object)
    for col in (C.NILAI_KONTRAK, C.PENYALURAN, C.REALISASI):
        big = (_num(sub, col) >= rules.outlier_factor * pagu.where(pagu > 0)).fillna(False)
        column[big] = col
    value = [sub.at[i, c] for i, c in zip(idx, column, strict=True)]
    return pd.DataFrame({"pagu": pagu.map(rp), "nilai": vals.map(rp),
                         "pagu_sebelumnya": prev.loc[idx].map(rp),
                         "faktor": f"{rules.outlier_factor:g}",
                         "_column": column, "_value": value}, index=idx)


def _ctx_region(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
    sub = frame.loc[idx]
    names = sub[C.NAMA_WILAYAH] if C.NAMA_WILAYAH in sub else pd.Series("", index=idx)
    cands = names.map(lambda n: ", ".join(region_name_candidates(n)) or "?")
    return pd.DataFrame({"kode": sub[C.KODE_WILAYAH].astype(str), "nama": names.astype(str),
                         "kode_nama": cands,
                         "kode_provinsi": (sub[C.KODE_PROVINSI].astype(str)
                                           if C.KODE_PROVINSI in sub else "")}, index=idx)


def _ctx_dates(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
    sub = frame.loc[idx]
    def fmt(s: pd.Series) -> pd.Series:
        return pd.to_datetime(s, errors="coerce").dt.strftime("%d/%m/%Y").fillna("(kosong)")
    return pd.DataFrame({"tanggal": fmt(sub[C.TANGGAL_KONTRAK]) if C.TANGGAL_KONTRAK in sub
                         else "", "periode": fmt(sub[C.PERIODE]),
                         "tahun": sub[C.TAHUN].astype(str)}, index=idx)


def _ctx_percent(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
    sub = frame.loc[idx]
    return pd.DataFrame({"tercetak": _num(sub, C.PERSEN_REALISASI).map(lambda v: f"{v:.2f}"),
                         "hitung": _computed_percent(sub).map(lambda v: f"{v:.2f}")}, index=idx)


def _ctx_status(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
    sub = frame.loc[idx]
    has = pd.Series(has_contract(sub, by_period=False), index=sub.index).map(
        {True: "ada / present", False: "tidak ada / none"})
    return pd.DataFrame({
        "status": sub[C.STATUS_PENGADAAN].astype(str) if C.STATUS_PENGADAAN in sub else "",
        "metode": sub[C.METODE_PENGADAAN].astype(str) if C.METODE_PENGADAAN in sub else "",
        "kontrak": has, "realisasi": _money(C.REALISASI)(sub)}, index=idx)


_MONEY_CTX = _ctx(realisasi=_money(C.REALISASI), pagu=_money(C.PAGU),
                  penyaluran=_money(C.PENYALURAN), nilai_kontrak=_money(C.NILAI_KONTRAK))


_STATUS_NONE = ("belum",)


_STATUS_CONTRACTED = ("kontrak", "selesai", "bast", "pelaksanaan pekerjaan")


# ==================================================================== checks
# ---------------------------------------------------------------------- regions
@register_check("region-name-mismatch", ERROR, "row", column=C.KODE_WILAYAH,
                title=('Kode dan nama wilayah berbeda', 'Region code and name disagree'),
                pesan="Kode {kode} tidak cocok dengan nama '{nama}' (nama itu berkode "
                      '{kode_nama}).',
                message="Code {kode} does not match the name '{nama}' (that name has code "
                        '{kode_nama}).',
                context=_ctx_region)
def _region_name_mismatch(f: pd.DataFrame, r: Rules) -> pd.Series:
    if C.NAMA_WILAYAH not in f:
        return pd.Series(False, index=f.index)
    pair, (kodes, namas) = _pairs(f[C.KODE_WILAYAH], f[C.NAMA_WILAYAH])
    aliases = code_aliases()
    bad_u = []
    for kode, nama in zip(kodes, namas, strict=True):
        if kode is None or nama is None:
            bad_u.append(False)
            continue
        cands = region_name_candidates(nama)
        now = aliases.get(kode, kode)
        bad_u.append(bool(cands) and now not in cands and kode not in cands)
    return pd.Series(np.array(bad_u, dtype=bool)[pair], index=f.index)


@register_check("region-name-unknown", WARNING, "row", column=C.NAMA_WILAYAH,
                title=('Nama wilayah tidak dikenal', 'Unknown region name'),
                pesan="Nama wilayah '{nama}' tidak dikenal; kode {kode} dipakai.",
                message="Region name '{nama}' is not recognised; code {kode} is used.",
                context=_ctx_region)
def _region_name_unknown(f: pd.DataFrame, r: Rules) -> pd.Series:
    if C.NAMA_WILAYAH not in f:
        return pd.Series(False, index=f.index)
    names = f[C.NAMA_WILAYAH]
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    unknown = np.array([not region_name_candidates(u) for u in uniques] + [False], dtype=bool)
    # An unknown code is already an error (unknown-region); only warn when the code is known.
    return pd.Series(unknown[codes], index=f.index) & f[C.KODE_WILAYAH].isin(_REGION_CODES)


def _ctx_ambiguous(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
    names = frame.loc[idx, C.NAMA_WILAYAH]
    listed = {n: ", ".join(f"{k} {official_name(k)}" for k in region_name_candidates(n))
              for n in names.dropna().unique()}
    return pd.DataFrame({"nama": names.astype(str), "calon": names.map(listed)}, index=idx)


@register_check("region-name-ambiguous", ERROR, "row", column=C.NAMA_WILAYAH,
                title=("Nama wilayah ambigu", "Ambiguous region name"),
                pesan="Nama wilayah '{nama}' bisa berarti {calon}; tulis Kab./Kota atau "
                      "kodenya.",
                message="Region name '{nama}' may be {calon}; write Kab./Kota or its code.",
                context=_ctx_ambiguous)
def _region_name_ambiguous(f: pd.DataFrame, r: Rules) -> pd.Series:
    if C.NAMA_WILAYAH not in f:
        return pd.Series(False, index=f.index)
    names = f[C.NAMA_WILAYAH]
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    many = np.array([len(region_name_candidates(u)) > 1 for u in uniques] + [False], dtype=bool)
    return pd.Series(many[codes], index=f.index) & f[C.KODE_WILAYAH].isna()


@register_check("province-mismatch", ERROR, "row", column=C.KODE_PROVINSI,
                title=('Kode provinsi tidak cocok', 'Province code does not match'),
                pesan='Kode provinsi {kode_provinsi} tidak cocok dengan kode wilayah {kode}.',
                message='Province code {kode_provinsi} does not match region code {kode}.',
                context=_ctx_region)
def _province_mismatch(f: pd.DataFrame, r: Rules) -> pd.Series:
    if C.KODE_PROVINSI not in f:
        return pd.Series(False, index=f.index)
    pair, (kodes, provs) = _pairs(f[C.KODE_WILAYAH], f[C.KODE_PROVINSI])
    bad_u = np.array([k is not None and p is not None and str(k)[:2] != str(p)
                      for k, p in zip(kodes, provs, strict=True)], dtype=bool)
    return pd.Series(bad_u[pair], index=f.index)


# -------------------------------------------------------------- periods and money
@register_check("periode-outside-tahun", ERROR, "row", column=C.PERIODE,
                title=('Periode di luar tahun anggaran', 'Period outside the fiscal year'),
                pesan='Periode {periode} tidak berada di tahun anggaran {tahun}.',
                message='Period {periode} is not in fiscal year {tahun}.',
                context=_ctx_dates)
def _periode_outside_tahun(f: pd.DataFrame, r: Rules) -> pd.Series:
    per = pd.to_datetime(f[C.PERIODE], errors="coerce")
    tahun = _num(f, C.TAHUN)
    return (per.dt.year != tahun) & per.notna() & tahun.notna()


@register_check("realisasi-above-pagu", ERROR, "row", column=C.REALISASI,
                title=('Realisasi melebihi pagu', 'Realisasi above pagu'),
                pesan='Realisasi {realisasi} melebihi pagu {pagu}.',
                message='Realisasi {realisasi} is above pagu {pagu}.',
                context=_MONEY_CTX)
def _realisasi_above_pagu(f: pd.DataFrame, r: Rules) -> pd.Series:
    return _num(f, C.REALISASI) > _num(f, C.PAGU) + r.money_tolerance


@register_check("penyaluran-above-pagu", ERROR, "row", column=C.PENYALURAN,
                title=('Penyaluran melebihi pagu', 'Transfers above pagu'),
                pesan='Penyaluran {penyaluran} melebihi pagu {pagu}.',
                message='Transfers received {penyaluran} are above pagu {pagu}.',
                context=_MONEY_CTX)
def _penyaluran_above_pagu(f: pd.DataFrame, r: Rules) -> pd.Series:
    return _num(f, C.PENYALURAN) > _num(f, C.PAGU) + r.money_tolerance


@register_check("persen-mismatch", ERROR, "row", column=C.PERSEN_REALISASI,
                title=('Persen tidak sesuai angka', 'Printed percent disagrees'),
                pesan='Persen tercetak {tercetak}% tidak sama dengan realisasi/pagu = {hitung}%.',
                message='Printed percent {tercetak}% differs from realisasi/pagu = {hitung}%.',
                context=_ctx_percent)
def _persen_mismatch(f: pd.DataFrame, r: Rules) -> pd.Series:
    printed = _num(f, C.PERSEN_REALISASI)
    computed = _computed_percent(f)
    zero_pagu = (_num(f, C.PAGU) == 0) & (printed.abs() > r.percent_tolerance)
    diff = (printed - computed).abs()
    return (diff > _printed_precision(printed) + r.percent_tolerance).fillna(False) | zero_pagu


@register_check("realisasi-decreased", ERROR, "row", column=C.REALISASI,
                title=('Realisasi kumulatif turun', 'Cumulative realisasi fell'),
                pesan='Realisasi kumulatif turun dari {sebelumnya} ({baris_sebelumnya}) menjadi '
                      '{nilai}.',
                message='Cumulative realisasi fell from {sebelumnya} ({baris_sebelumnya}) to '
                        '{nilai}.',
                context=_ctx_previous(C.REALISASI))
def _realisasi_decreased(f: pd.DataFrame, r: Rules) -> pd.Series:
    prev, _ = previous_period(f, C.REALISASI)
    return (_num(f, C.REALISASI) < prev - r.money_tolerance).fillna(False)


@register_check("pagu-changed", WARNING, "row", column=C.PAGU,
                title=('Pagu berubah', 'Pagu changed'),
                pesan='Pagu berubah dari {sebelumnya} ({baris_sebelumnya}) menjadi {nilai}; '
                      'pastikan ada dasar perubahan (APBD-P).',
                message='Pagu changed from {sebelumnya} ({baris_sebelumnya}) to {nilai}; check '
                        'that a budget revision (APBD-P) explains it.',
                context=_ctx_previous(C.PAGU))
def _pagu_changed(f: pd.DataFrame, r: Rules) -> pd.Series:
    prev, _ = previous_period(f, C.PAGU)
    return ((_num(f, C.PAGU) - prev).abs() > r.money_tolerance).fillna(False)


@register_check("duplicate-row", ERROR, "row", column=None,
                title=('Baris ganda', 'Duplicate row'),
                pesan='Item dan periode yang sama sudah dilaporkan di {baris_pertama}.',
                message='The same item and period were already reported at {baris_pertama}.',
                context=_ctx_first_occurrence)
def _duplicate_row(f: pd.DataFrame, r: Rules) -> pd.Series:
    key = pd.DataFrame({"k": item_keys(f), "p": f[C.PERIODE]})
    return key.duplicated(keep="first")


@register_check("magnitude-outlier", ERROR, "row", column=C.PAGU,
                title=('Besaran tidak wajar', 'Absurd magnitude'),
                pesan='Besaran tidak wajar: nilai {nilai} terhadap pagu {pagu} (pagu sebelumnya '
                      '{pagu_sebelumnya}); kemungkinan salah ketik (nol berlebih).',
                message='Absurd magnitude: value {nilai} against pagu {pagu} (earlier pagu '
                        '{pagu_sebelumnya}); probably a typing error (an extra zero).',
                context=_ctx_outlier)
def _magnitude_outlier(f: pd.DataFrame, r: Rules) -> pd.Series:
    pagu = _num(f, C.PAGU)
    big = pd.Series(False, index=f.index)
    for col in (C.REALISASI, C.PENYALURAN, C.NILAI_KONTRAK):
        big |= (_num(f, col) >= r.outlier_factor * pagu.where(pagu > 0)).fillna(False)
    prev, _ = previous_period(f, C.PAGU)
    ratio = pagu / prev.where(prev > 0)
    jump = ((ratio >= r.history_factor) | (ratio <= 1 / r.history_factor)).fillna(False)
    return big | jump


# ---------------------------------------------------------------------- DAK fisik
@register_check("kontrak-above-pagu", ERROR, "row", column=C.NILAI_KONTRAK,
                kinds=(C.FISIK,),
                title=('Nilai kontrak melebihi pagu', 'Contract value above pagu'),
                pesan='Nilai kontrak {nilai_kontrak} melebihi pagu {pagu}.',
                message='Contract value {nilai_kontrak} is above pagu {pagu}.',
                context=_MONEY_CTX)
def _kontrak_above_pagu(f: pd.DataFrame, r: Rules) -> pd.Series:
    return _num(f, C.NILAI_KONTRAK) > _num(f, C.PAGU) + r.money_tolerance


@register_check("contract-date-outside-year", ERROR, "row", column=C.TANGGAL_KONTRAK,
                kinds=(C.FISIK,),
                title=('Tanggal kontrak di luar tahun anggaran',
                       'Contract date outside the fiscal year'),
                pesan='Tanggal kontrak {tanggal} di luar tahun anggaran {tahun}.',
                message='Contract date {tanggal} is outside fiscal year {tahun}.',
                context=_ctx_dates)
def _contract_outside_year(f: pd.DataFrame, r: Rules) -> pd.Series:
    d = pd.to_datetime(f[C.TANGGAL_KONTRAK], errors="coerce")
    tahun = _num(f, C.TAHUN)
    return (d.dt.year != tahun) & d.notna() & tahun.notna()


@register_check("contract-date-after-period", ERROR, "row", column=C.TANGGAL_KONTRAK,
                kinds=(C.FISIK,),
                title=('Tanggal kontrak setelah periode laporan',
                       'Contract dated after the report'),
                pesan='Tanggal kontrak {tanggal} lebih akhir dari periode laporan {periode}.',
                message='Contract date {tanggal} is after the report period {periode}.',
                context=_ctx_dates)
def _contract_after_period(f: pd.DataFrame, r: Rules) -> pd.Series:
    d = pd.to_datetime(f[C.TANGGAL_KONTRAK], errors="coerce")
    per = pd.to_datetime(f[C.PERIODE], errors="coerce")
    inside = (d.dt.year == _num(f, C.TAHUN)).fillna(False)
    return ((d > per) & inside).fillna(False)


@register_check("spending-without-contract", ERROR, "row", column=C.REALISASI,
                kinds=(C.FISIK,),
                title=('Belanja tanpa kontrak', 'Spending without a contract'),
                pesan='Realisasi {realisasi} pada item non-swakelola tanpa data kontrak.',
                message='Realisasi {realisasi} on a non-swakelola item with no contract data.',
                context=_MONEY_CTX)
def _spending_without_contract(f: pd.DataFrame, r: Rules) -> pd.Series:
    spent = (_num(f, C.REALISASI) > r.money_tolerance).fillna(False)
    return spent & ~has_contract(f, by_period=False) & ~is_swakelola(f) & ~is_recap(f)


@register_check("status-inconsistent", WARNING, "row", column=C.STATUS_PENGADAAN,
                kinds=(C.FISIK,),
                title=('Status pengadaan tidak konsisten', 'Procurement status inconsistent'),
                pesan="Status '{status}' (metode {metode}) tidak sesuai data kontrak ({kontrak}) "
                      'dan realisasi {realisasi}.',
                message="Status '{status}' (method {metode}) does not fit the contract data "
                        '({kontrak}) and realisasi {realisasi}.',
                context=_ctx_status)
def _status_inconsistent(f: pd.DataFrame, r: Rules) -> pd.Series:
    if C.STATUS_PENGADAAN not in f:
        return pd.Series(False, index=f.index)
    st = fold(f[C.STATUS_PENGADAAN])
    has = has_contract(f, by_period=False)
    spent = (_num(f, C.REALISASI) > r.money_tolerance).fillna(False)
    swa = is_swakelola(f)
    not_started = st.str.startswith(_STATUS_NONE)
    contracted = st.str.contains("|".join(_STATUS_CONTRACTED)) & ~st.str.contains("swakelola")
    swa_status = st.str.contains("swakelola", regex=False)
    method_known = f[C.METODE_PENGADAAN].notna() if C.METODE_PENGADAAN in f else False
    return ((not_started & (has | spent)) | (contracted & ~has & ~swa)
            | (swa_status & ~swa & method_known))
