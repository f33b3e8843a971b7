"""pandera schemas of the canonical export frames, and the catalogue of checks.

:class:`NonfisikExport` and :class:`FisikExport` are the public contract of what
:func:`dak_monitor.read_export` produces for each kind. Every domain check lives here, next to
the columns it guards, with a stable kebab-case code, a severity (``error`` quarantines the
row, ``warning`` keeps it) and a message in Indonesian and English: see :data:`CHECKS`.

The schemas can be used on their own (``FisikExport.validate(frame, lazy=True)``); the row-
spanning and cross-column checks there use the default :class:`~dak_monitor.Rules`.
:func:`dak_monitor.validate_export` runs the same checks with the rules you pass and turns
their failures into one readable problem per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Optional

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._vocab import columns as C
from ._config import Rules
from ._regions import code_aliases, known_codes, region_name_candidates
from ._text import tidy_blob

__all__ = [
    "CHECKS",
    "CheckInfo",
    "FisikExport",
    "NonfisikExport",
    "item_keys",
    "schema_for",
]

# Column-name constants, public here for users who build frames by hand.
TAHUN, PERIODE, KODE_WILAYAH, NAMA_WILAYAH = C.TAHUN, C.PERIODE, C.KODE_WILAYAH, C.NAMA_WILAYAH
MENU, RINCIAN, PAGU, REALISASI = C.MENU, C.RINCIAN, C.PAGU, C.REALISASI

ERROR: Final = "error"
WARNING: Final = "warning"


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """One check of the catalogue.

    ``find(frame, rules)`` returns a boolean Series, True where a row FAILS (row-level
    checks); ``context(frame, failing_index, rules)`` returns the values the message templates
    use. Templates are :meth:`str.format` strings over ``value`` (the offending value) and
    the context's columns.
    """

    code: str
    severity: str
    column: str | None
    title_id: str
    title_en: str
    pesan: str
    message: str
    kinds: tuple[str, ...] = C.KINDS
    find: Callable[[pd.DataFrame, Rules], pd.Series] | None = None
    context: Callable[[pd.DataFrame, pd.Index, Rules], pd.DataFrame] | None = None


# =================================================================================== helpers
def _fold_texts(texts: list[str]) -> list[str]:
    """Case-fold and collapse white space; one C-speed pass when the texts are tidy."""
    blob = tidy_blob(texts)
    if blob is not None:
        folded = blob.casefold().split("\n")
        if len(folded) == len(texts):
            return folded
    return [" ".join(t.casefold().split()) for t in texts]


def _fold(s: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    folded = np.array([*_fold_texts([str(u) for u in uniques]), ""], dtype=object)
    return pd.Series(folded[codes], index=s.index)


def _dense_rank(texts: list[str]) -> tuple[int, np.ndarray]:
    """Number of distinct texts and each text's rank among them in sorted order."""
    order = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
    ordered = np.array(texts, dtype=object)[order]
    new = np.ones(len(texts), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    rank = np.empty(len(texts), dtype=np.int64)
    rank[order] = np.cumsum(new) - 1
    return int(new.sum()), rank


def item_keys(frame: pd.DataFrame) -> pd.Series:
    """Integer id of each row's item: (tahun, kode_wilayah, jenis_dak, menu, rincian).

    Text parts are compared after folding case and spaces, as ``EXPORT_FORMAT.md`` says.

    Examples
    --------
    >>> f = pd.DataFrame({"tahun": [2024, 2024, 2024], "kode_wilayah": ["32.05"] * 3,
    ...                   "jenis_dak": ["nonfisik"] * 3, "menu": ["Operasional BKB",
    ...                   "operasional  bkb", "Lain"], "rincian": [None, None, None]})
    >>> item_keys(f).tolist()
    [1, 1, 0]
    """
    if "_kunci_item" in frame:
        return frame["_kunci_item"]
    # Each part's text ranked (sorted distinct values; missing is ""), the ranks combined into
    # one integer: the ids of a sorted groupby over the parts as text, without building and
    # hashing a frame of strings.
    combined = np.zeros(len(frame), dtype=np.int64)
    bound = 1
    for c in (C.TAHUN, C.KODE_WILAYAH, C.JENIS_DAK, C.MENU, C.RINCIAN):
        if c not in frame:
            continue
        codes, uniques = pd.factorize(frame[c], use_na_sentinel=True)
        texts = [str(u) for u in uniques]
        if c in (C.MENU, C.RINCIAN):
            texts = _fold_texts(texts)
        n_distinct, rank = _dense_rank([*texts, ""])
        if bound * n_distinct >= 2**62:  # keep the combined number in int64
            _, combined = np.unique(combined, return_inverse=True)
            combined = combined.reshape(-1)
            bound = int(combined.max()) + 1 if len(combined) else 1
        combined = combined * n_distinct + rank[codes]  # code -1 takes ""
        bound *= n_distinct
    ids, _ = pd.factorize(combined, sort=True)  # dense ids in sorted order (hash, then sort
    # only the distinct values)
    return pd.Series(ids.reshape(-1).astype(np.int64), index=frame.index)


def _previous_period(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """For each row: the same item's value of ``column`` in the latest earlier period, and the
    position (index label) of the row it came from (first occurrence in that period)."""
    n = len(frame)
    key = item_keys(frame).to_numpy(dtype=np.int64)
    per = pd.to_datetime(frame[C.PERIODE]).to_numpy(dtype="datetime64[ns]").view(np.int64)
    ok = ~pd.isna(frame[C.PERIODE]).to_numpy()
    rows = np.flatnonzero(ok)
    # Rows sorted by item, period, position: the first row of each (item, period) pair is its
    # representative; a pair's previous pair is the one before it within the same item.
    order = rows[np.lexsort((rows, per[rows], key[rows]))]
    k, p = key[order], per[order]
    new_pair = np.ones(len(order), dtype=bool)
    new_pair[1:] = (k[1:] != k[:-1]) | (p[1:] != p[:-1])
    pair_of = np.cumsum(new_pair) - 1  # pair number of each sorted row
    first_pos = order[new_pair]  # representative row of each pair
    pair_k = k[new_pair]
    prev_pair_pos = np.full(len(first_pos), -1, dtype=np.int64)
    same_item = np.zeros(len(first_pos), dtype=bool)
    same_item[1:] = pair_k[1:] == pair_k[:-1]
    prev_pair_pos[1:][same_item[1:]] = first_pos[:-1][same_item[1:]]
    prev_pos = np.full(n, -1, dtype=np.int64)
    prev_pos[order] = prev_pair_pos[pair_of]
    has = prev_pos >= 0
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float,
                                                                    na_value=np.nan)
    prev_v = np.where(has, values[np.clip(prev_pos, 0, None)], np.nan)
    numeric = pd.api.types.is_numeric_dtype(frame.index.dtype)
    labels = frame.index.to_numpy(dtype=float if numeric else object)
    prev_i = np.where(has, labels[np.clip(prev_pos, 0, None)], np.nan if numeric else None)
    return pd.Series(prev_v, index=frame.index), pd.Series(prev_i, index=frame.index)


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    if col in frame:
        return pd.to_numeric(frame[col], errors="coerce")
    return pd.Series(np.nan, index=frame.index)


def _has_contract(frame: pd.DataFrame) -> pd.Series:
    out = pd.Series(False, index=frame.index)
    for col in (C.NOMOR_KONTRAK, C.TANGGAL_KONTRAK, C.NILAI_KONTRAK):
        if col in frame:
            v = frame[col]
            out |= v.notna() & (v != 0) if col == C.NILAI_KONTRAK else v.notna()
    return out


def _is_swakelola(frame: pd.DataFrame) -> pd.Series:
    if C.METODE_PENGADAAN not in frame:
        return pd.Series(False, index=frame.index)
    return _fold(frame[C.METODE_PENGADAAN]).str.contains("swakelola", regex=False)


def _printed_precision(p: pd.Series) -> pd.Series:
    """Half a unit of the last printed decimal, inferred from the value (45 -> 0.5)."""
    a = p.abs()
    return pd.Series(np.select([np.isclose(a, a.round(0)), np.isclose(a, a.round(1))],
                               [0.5, 0.05], default=0.005), index=p.index)


def rp(v: object) -> str:
    """Format Rupiah the Indonesian way for messages: ``Rp 1.234.567``."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)
    if np.isnan(f):
        return "(kosong)"
    s = f"{abs(f):,.0f}".replace(",", ".")
    return ("-Rp " if f < 0 else "Rp ") + s


def _ctx(**cols: Callable[[pd.DataFrame], pd.Series]) -> Callable[
        [pd.DataFrame, pd.Index, Rules], pd.DataFrame]:
    def build(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
        sub = frame.loc[idx]
        return pd.DataFrame({k: f(sub) for k, f in cols.items()}, index=idx)
    return build


def _money(col: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda f: f[col].map(rp) if col in f else pd.Series("", index=f.index)


# =========================================================================== row-level checks
def _realisasi_above_pagu(f: pd.DataFrame, r: Rules) -> pd.Series:
    return _num(f, C.REALISASI) > _num(f, C.PAGU) + r.money_tolerance


def _penyaluran_above_pagu(f: pd.DataFrame, r: Rules) -> pd.Series:
    return _num(f, C.PENYALURAN) > _num(f, C.PAGU) + r.money_tolerance


def _kontrak_above_pagu(f: pd.DataFrame, r: Rules) -> pd.Series:
    return _num(f, C.NILAI_KONTRAK) > _num(f, C.PAGU) + r.money_tolerance


def _computed_percent(f: pd.DataFrame) -> pd.Series:
    pagu = _num(f, C.PAGU)
    return 100 * _num(f, C.REALISASI) / pagu.where(pagu > 0)


def _persen_mismatch(f: pd.DataFrame, r: Rules) -> pd.Series:
    printed = _num(f, C.PERSEN_REALISASI)
    computed = _computed_percent(f)
    zero_pagu = (_num(f, C.PAGU) == 0) & (printed.abs() > r.percent_tolerance)
    diff = (printed - computed).abs()
    return (diff > _printed_precision(printed) + r.percent_tolerance).fillna(False) | zero_pagu


def _realisasi_decreased(f: pd.DataFrame, r: Rules) -> pd.Series:
    prev, _ = _previous_period(f, C.REALISASI)
    return (_num(f, C.REALISASI) < prev - r.money_tolerance).fillna(False)


def _pagu_changed(f: pd.DataFrame, r: Rules) -> pd.Series:
    prev, _ = _previous_period(f, C.PAGU)
    return ((_num(f, C.PAGU) - prev).abs() > r.money_tolerance).fillna(False)


def _duplicate_row(f: pd.DataFrame, r: Rules) -> pd.Series:
    key = pd.DataFrame({"k": item_keys(f), "p": f[C.PERIODE]})
    return key.duplicated(keep="first")


def _magnitude_outlier(f: pd.DataFrame, r: Rules) -> pd.Series:
    pagu = _num(f, C.PAGU)
    big = pd.Series(False, index=f.index)
    for col in (C.REALISASI, C.PENYALURAN, C.NILAI_KONTRAK):
        big |= (_num(f, col) >= r.outlier_factor * pagu.where(pagu > 0)).fillna(False)
    prev, _ = _previous_period(f, C.PAGU)
    ratio = pagu / prev.where(prev > 0)
    jump = ((ratio >= r.history_factor) | (ratio <= 1 / r.history_factor)).fillna(False)
    return big | jump


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


def _region_name_unknown(f: pd.DataFrame, r: Rules) -> pd.Series:
    if C.NAMA_WILAYAH not in f:
        return pd.Series(False, index=f.index)
    names = f[C.NAMA_WILAYAH]
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    unknown = np.array([not region_name_candidates(u) for u in uniques] + [False], dtype=bool)
    # An unknown code is already an error (unknown-region); only warn when the code is known.
    return pd.Series(unknown[codes], index=f.index) & f[C.KODE_WILAYAH].isin(_REGION_CODES)


def _province_mismatch(f: pd.DataFrame, r: Rules) -> pd.Series:
    if C.KODE_PROVINSI not in f:
        return pd.Series(False, index=f.index)
    pair, (kodes, provs) = _pairs(f[C.KODE_WILAYAH], f[C.KODE_PROVINSI])
    bad_u = np.array([k is not None and p is not None and str(k)[:2] != str(p)
                      for k, p in zip(kodes, provs, strict=True)], dtype=bool)
    return pd.Series(bad_u[pair], index=f.index)


def _periode_outside_tahun(f: pd.DataFrame, r: Rules) -> pd.Series:
    per = pd.to_datetime(f[C.PERIODE], errors="coerce")
    tahun = _num(f, C.TAHUN)
    return (per.dt.year != tahun) & per.notna() & tahun.notna()


def _contract_outside_year(f: pd.DataFrame, r: Rules) -> pd.Series:
    d = pd.to_datetime(f[C.TANGGAL_KONTRAK], errors="coerce")
    tahun = _num(f, C.TAHUN)
    return (d.dt.year != tahun) & d.notna() & tahun.notna()


def _contract_after_period(f: pd.DataFrame, r: Rules) -> pd.Series:
    d = pd.to_datetime(f[C.TANGGAL_KONTRAK], errors="coerce")
    per = pd.to_datetime(f[C.PERIODE], errors="coerce")
    inside = (d.dt.year == _num(f, C.TAHUN)).fillna(False)
    return ((d > per) & inside).fillna(False)


def _spending_without_contract(f: pd.DataFrame, r: Rules) -> pd.Series:
    spent = (_num(f, C.REALISASI) > r.money_tolerance).fillna(False)
    return spent & ~_has_contract(f) & ~_is_swakelola(f)


_STATUS_NONE = ("belum",)
_STATUS_CONTRACTED = ("kontrak", "selesai", "bast", "pelaksanaan pekerjaan")


def _status_inconsistent(f: pd.DataFrame, r: Rules) -> pd.Series:
    if C.STATUS_PENGADAAN not in f:
        return pd.Series(False, index=f.index)
    st = _fold(f[C.STATUS_PENGADAAN])
    has = _has_contract(f)
    spent = (_num(f, C.REALISASI) > r.money_tolerance).fillna(False)
    swa = _is_swakelola(f)
    not_started = st.str.startswith(_STATUS_NONE)
    contracted = st.str.contains("|".join(_STATUS_CONTRACTED)) & ~st.str.contains("swakelola")
    swa_status = st.str.contains("swakelola", regex=False)
    method_known = f[C.METODE_PENGADAAN].notna() if C.METODE_PENGADAAN in f else False
    return ((not_started & (has | spent)) | (contracted & ~has & ~swa)
            | (swa_status & ~swa & method_known))


def _ctx_previous(col: str) -> Callable[[pd.DataFrame, pd.Index, Rules], pd.DataFrame]:
    def build(frame: pd.DataFrame, idx: pd.Index, rules: Rules) -> pd.DataFrame:
        prev, prev_i = _previous_period(frame, col)
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
    prev, _ = _previous_period(frame, C.PAGU)
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
    has = _has_contract(sub).map({True: "ada / present", False: "tidak ada / none"})
    return pd.DataFrame({
        "status": sub[C.STATUS_PENGADAAN].astype(str) if C.STATUS_PENGADAAN in sub else "",
        "metode": sub[C.METODE_PENGADAAN].astype(str) if C.METODE_PENGADAAN in sub else "",
        "kontrak": has, "realisasi": _money(C.REALISASI)(sub)}, index=idx)


_MONEY_CTX = _ctx(realisasi=_money(C.REALISASI), pagu=_money(C.PAGU),
                  penyaluran=_money(C.PENYALURAN), nilai_kontrak=_money(C.NILAI_KONTRAK))

# ==================================================================================== catalogue
_CATALOGUE: tuple[CheckInfo, ...] = (
    # --- cells -----------------------------------------------------------------------------
    CheckInfo("unparseable-number", ERROR, None, "Angka tidak terbaca", "Unreadable number",
              "Kolom {column}: '{value}' bukan angka yang sah (contoh 1.234.567 atau 1.234,50).",
              "Column {column}: '{value}' is not a valid number (e.g. 1.234.567 or 1.234,50)."),
    CheckInfo("unparseable-date", ERROR, C.TANGGAL_KONTRAK, "Tanggal tidak terbaca",
              "Unreadable date",
              "Kolom {column}: '{value}' bukan tanggal yang sah (dd/mm/yyyy atau 12 Maret 2024).",
              "Column {column}: '{value}' is not a valid date (dd/mm/yyyy or 12 Maret 2024)."),
    CheckInfo("unparseable-periode", ERROR, C.PERIODE, "Periode tidak terbaca",
              "Unreadable period",
              "Periode '{value}' tidak dikenali (contoh 'Juni 2024', '06/2024', 'TW II').",
              "Period '{value}' is not recognised (e.g. 'Juni 2024', '06/2024', 'TW II')."),
    CheckInfo("unparseable-tahun", ERROR, C.TAHUN, "Tahun tidak terbaca", "Unreadable year",
              "Tahun '{value}' tidak dikenali (contoh 2024).",
              "Year '{value}' is not recognised (e.g. 2024)."),
    CheckInfo("unparseable-region-code", ERROR, C.KODE_WILAYAH, "Kode wilayah tidak terbaca",
              "Unreadable region code",
              "Kolom {column}: '{value}' bukan kode wilayah (contoh 32.04).",
              "Column {column}: '{value}' is not a region code (e.g. 32.04)."),
    CheckInfo("missing-value", ERROR, None, "Nilai wajib kosong", "Required value missing",
              "Kolom wajib {column} kosong.", "Required column {column} is empty."),
    CheckInfo("negative-value", ERROR, None, "Nilai negatif", "Negative value",
              "Kolom {column} bernilai negatif ({value}).",
              "Column {column} is negative ({value})."),
    CheckInfo("percent-out-of-range", ERROR, None, "Persen di luar 0–100",
              "Percent outside 0–100",
              "Kolom {column} bernilai {value}, di luar 0–100.",
              "Column {column} is {value}, outside 0–100."),
    CheckInfo("realisasi-fisik-out-of-range", ERROR, C.PERSEN_REALISASI_FISIK,
              "Realisasi fisik di luar 0–100", "Physical progress outside 0–100",
              "Realisasi fisik {value}% di luar 0–100%.",
              "Physical progress {value}% is outside 0–100%.", kinds=(C.FISIK,)),
    # --- regions ---------------------------------------------------------------------------
    CheckInfo("unknown-region", ERROR, C.KODE_WILAYAH, "Kode wilayah tidak ada",
              "Region code does not exist",
              "Kode wilayah {value} tidak ada dalam daftar Kemendagri.",
              "Region code {value} is not in the Kemendagri list."),
    CheckInfo("region-name-mismatch", ERROR, C.KODE_WILAYAH, "Kode dan nama wilayah berbeda",
              "Region code and name disagree",
              "Kode {kode} tidak cocok dengan nama '{nama}' (nama itu berkode {kode_nama}).",
              "Code {kode} does not match the name '{nama}' (that name has code {kode_nama}).",
              find=_region_name_mismatch, context=_ctx_region),
    CheckInfo("region-name-unknown", WARNING, C.NAMA_WILAYAH, "Nama wilayah tidak dikenal",
              "Unknown region name",
              "Nama wilayah '{nama}' tidak dikenal; kode {kode} dipakai.",
              "Region name '{nama}' is not recognised; code {kode} is used.",
              find=_region_name_unknown, context=_ctx_region),
    CheckInfo("province-mismatch", ERROR, C.KODE_PROVINSI, "Kode provinsi tidak cocok",
              "Province code does not match",
              "Kode provinsi {kode_provinsi} tidak cocok dengan kode wilayah {kode}.",
              "Province code {kode_provinsi} does not match region code {kode}.",
              find=_province_mismatch, context=_ctx_region),
    # --- periods and money -------------------------------------------------------------------
    CheckInfo("periode-outside-tahun", ERROR, C.PERIODE, "Periode di luar tahun anggaran",
              "Period outside the fiscal year",
              "Periode {periode} tidak berada di tahun anggaran {tahun}.",
              "Period {periode} is not in fiscal year {tahun}.",
              find=_periode_outside_tahun, context=_ctx_dates),
    CheckInfo("realisasi-above-pagu", ERROR, C.REALISASI, "Realisasi melebihi pagu",
              "Realisasi above pagu",
              "Realisasi {realisasi} melebihi pagu {pagu}.",
              "Realisasi {realisasi} is above pagu {pagu}.",
              find=_realisasi_above_pagu, context=_MONEY_CTX),
    CheckInfo("penyaluran-above-pagu", ERROR, C.PENYALURAN, "Penyaluran melebihi pagu",
              "Transfers above pagu",
              "Penyaluran {penyaluran} melebihi pagu {pagu}.",
              "Transfers received {penyaluran} are above pagu {pagu}.",
              find=_penyaluran_above_pagu, context=_MONEY_CTX),
    CheckInfo("persen-mismatch", ERROR, C.PERSEN_REALISASI, "Persen tidak sesuai angka",
              "Printed percent disagrees",
              "Persen tercetak {tercetak}% tidak sama dengan realisasi/pagu = {hitung}%.",
              "Printed percent {tercetak}% differs from realisasi/pagu = {hitung}%.",
              find=_persen_mismatch, context=_ctx_percent),
    CheckInfo("realisasi-decreased", ERROR, C.REALISASI, "Realisasi kumulatif turun",
              "Cumulative realisasi fell",
              "Realisasi kumulatif turun dari {sebelumnya} ({baris_sebelumnya}) menjadi {nilai}.",
              "Cumulative realisasi fell from {sebelumnya} ({baris_sebelumnya}) to {nilai}.",
              find=_realisasi_decreased, context=_ctx_previous(C.REALISASI)),
    CheckInfo("pagu-changed", WARNING, C.PAGU, "Pagu berubah", "Pagu changed",
              "Pagu berubah dari {sebelumnya} ({baris_sebelumnya}) menjadi {nilai}; pastikan "
              "ada dasar perubahan (APBD-P).",
              "Pagu changed from {sebelumnya} ({baris_sebelumnya}) to {nilai}; check that a "
              "budget revision (APBD-P) explains it.",
              find=_pagu_changed, context=_ctx_previous(C.PAGU)),
    CheckInfo("duplicate-row", ERROR, None, "Baris ganda", "Duplicate row",
              "Item dan periode yang sama sudah dilaporkan di {baris_pertama}.",
              "The same item and period were already reported at {baris_pertama}.",
              find=_duplicate_row, context=_ctx_first_occurrence),
    CheckInfo("magnitude-outlier", ERROR, C.PAGU, "Besaran tidak wajar", "Absurd magnitude",
              "Besaran tidak wajar: nilai {nilai} terhadap pagu {pagu} (pagu sebelumnya "
              "{pagu_sebelumnya}); kemungkinan salah ketik (nol berlebih).",
              "Absurd magnitude: value {nilai} against pagu {pagu} (earlier pagu "
              "{pagu_sebelumnya}); probably a typing error (an extra zero).",
              find=_magnitude_outlier, context=_ctx_outlier),
    CheckInfo("total-mismatch", WARNING, None, "Baris total tidak sesuai",
              "Totals row does not add up",
              "Baris {label}: {column} {value} tidak sama dengan jumlah {jumlah} dari {n} baris.",
              "Row {label}: {column} {value} differs from the sum {jumlah} of {n} rows."),
    # --- DAK fisik ---------------------------------------------------------------------------
    CheckInfo("kontrak-above-pagu", ERROR, C.NILAI_KONTRAK, "Nilai kontrak melebihi pagu",
              "Contract value above pagu",
              "Nilai kontrak {nilai_kontrak} melebihi pagu {pagu}.",
              "Contract value {nilai_kontrak} is above pagu {pagu}.", kinds=(C.FISIK,),
              find=_kontrak_above_pagu, context=_MONEY_CTX),
    CheckInfo("contract-date-outside-year", ERROR, C.TANGGAL_KONTRAK,
              "Tanggal kontrak di luar tahun anggaran", "Contract date outside the fiscal year",
              "Tanggal kontrak {tanggal} di luar tahun anggaran {tahun}.",
              "Contract date {tanggal} is outside fiscal year {tahun}.", kinds=(C.FISIK,),
              find=_contract_outside_year, context=_ctx_dates),
    CheckInfo("contract-date-after-period", ERROR, C.TANGGAL_KONTRAK,
              "Tanggal kontrak setelah periode laporan", "Contract dated after the report",
              "Tanggal kontrak {tanggal} lebih akhir dari periode laporan {periode}.",
              "Contract date {tanggal} is after the report period {periode}.",
              kinds=(C.FISIK,), find=_contract_after_period, context=_ctx_dates),
    CheckInfo("spending-without-contract", ERROR, C.REALISASI, "Belanja tanpa kontrak",
              "Spending without a contract",
              "Realisasi {realisasi} pada item non-swakelola tanpa data kontrak.",
              "Realisasi {realisasi} on a non-swakelola item with no contract data.",
              kinds=(C.FISIK,), find=_spending_without_contract, context=_MONEY_CTX),
    CheckInfo("status-inconsistent", WARNING, C.STATUS_PENGADAAN,
              "Status pengadaan tidak konsisten", "Procurement status inconsistent",
              "Status '{status}' (metode {metode}) tidak sesuai data kontrak ({kontrak}) dan "
              "realisasi {realisasi}.",
              "Status '{status}' (method {metode}) does not fit the contract data ({kontrak}) "
              "and realisasi {realisasi}.", kinds=(C.FISIK,),
              find=_status_inconsistent, context=_ctx_status),
)

#: The catalogue of checks: code -> :class:`CheckInfo` (stable codes; see the README table).
CHECKS: Final[dict[str, CheckInfo]] = {c.code: c for c in _CATALOGUE}

_REGION_CODES = known_codes()


def _default_rules() -> Rules:
    return Rules()


def _frame_check(code: str) -> Callable[[pd.DataFrame], pd.Series]:
    info = CHECKS[code]
    assert info.find is not None

    def check(df: pd.DataFrame) -> pd.Series:
        return ~info.find(df, _default_rules()).astype(bool)
    return check


# ===================================================================================== models
class _CommonExport(pa.DataFrameModel):
    """Columns and checks both kinds share."""

    tahun: Series[pd.Int64Dtype] = pa.Field(nullable=False, coerce=True)
    periode: Series[pa.DateTime] = pa.Field(nullable=False)
    kode_provinsi: Series[str] = pa.Field(nullable=True)
    kode_wilayah: Series[str] = pa.Field(nullable=False)
    nama_wilayah: Series[str] = pa.Field(nullable=True)
    opd: Optional[Series[str]] = pa.Field(nullable=True)
    menu: Series[str] = pa.Field(nullable=False)
    pagu: Series[float] = pa.Field(nullable=False)
    penyaluran: Optional[Series[float]] = pa.Field(nullable=True)
    realisasi: Series[float] = pa.Field(nullable=False)
    persen_realisasi: Optional[Series[float]] = pa.Field(nullable=True)
    keterangan: Optional[Series[str]] = pa.Field(nullable=True)

    class Config:
        strict = False  #: extra columns (provenance, the other kind's) are allowed
        coerce = False  #: read_export already produced the types



# Column checks: (code, columns, passes(series) -> bool Series), per kind.
_COLUMN_CHECKS: dict[str, tuple[tuple[str, tuple[str, ...], Callable[[pd.Series], pd.Series]],
                                ...]] = {
    C.NONFISIK: (
        ("negative-value", (C.PAGU, C.REALISASI, C.PENYALURAN), lambda s: s.isna() | (s >= 0)),
        ("unknown-region", (C.KODE_WILAYAH,), lambda s: s.isna() | s.isin(_REGION_CODES)),
        ("percent-out-of-range", (C.PERSEN_CAPAIAN_OUTPUT,),
         lambda s: s.isna() | s.between(0, 100)),
    ),
    C.FISIK: (
        ("negative-value", (C.PAGU, C.REALISASI, C.PENYALURAN, C.NILAI_KONTRAK),
         lambda s: s.isna() | (s >= 0)),
        ("unknown-region", (C.KODE_WILAYAH,), lambda s: s.isna() | s.isin(_REGION_CODES)),
        ("realisasi-fisik-out-of-range", (C.PERSEN_REALISASI_FISIK,),
         lambda s: s.isna() | s.between(0, 100)),
    ),
}


def _checks_for(kind: str) -> dict[str, object]:
    """Fresh pandera check methods for one model class.

    Each class gets its own objects because pandera pops ``name`` from a check's kwargs when
    it first builds a schema, so checks inherited by two models would lose their codes in the
    second one.
    """
    out: dict[str, object] = {}
    for code, columns, passes in _COLUMN_CHECKS[kind]:
        def col_fn(cls: type, s: pd.Series, _p: Callable[[pd.Series], pd.Series] = passes
                   ) -> pd.Series:
            return _p(s)
        col_fn.__name__ = f"_col_{code.replace('-', '_')}"
        out[col_fn.__name__] = pa.check(*columns, name=code)(classmethod(col_fn))
    for info in _CATALOGUE:
        if info.find is None or kind not in info.kinds:
            continue
        def df_fn(cls: type, df: pd.DataFrame, _code: str = info.code) -> pd.Series:
            return _frame_check(_code)(df)
        df_fn.__name__ = f"_row_{info.code.replace('-', '_')}"
        out[df_fn.__name__] = pa.dataframe_check(
            name=info.code, raise_warning=info.severity == WARNING)(classmethod(df_fn))
    return out


class NonfisikExport(_CommonExport):
    """Canonical frame of a DAK nonfisik (BOKB) export: one row per region × menu × period.

    Examples
    --------
    >>> import dak_monitor as dm
    >>> frame = pd.DataFrame({"tahun": [2024], "periode": [pd.Timestamp("2024-06-30")],
    ...     "kode_provinsi": ["32"], "kode_wilayah": ["32.05"], "nama_wilayah": ["Kab. Garut"],
    ...     "menu": ["Operasional BKB"], "pagu": [1000.0], "realisasi": [1200.0]})
    >>> try:
    ...     NonfisikExport.validate(frame, lazy=True)
    ... except pa.errors.SchemaErrors as err:
    ...     print(sorted(set(err.failure_cases["check"])))
    ['realisasi-above-pagu']
    """

    rincian: Optional[Series[str]] = pa.Field(nullable=True)
    persen_capaian_output: Optional[Series[float]] = pa.Field(nullable=True)

    locals().update(_checks_for(C.NONFISIK))


class FisikExport(_CommonExport):
    """Canonical frame of a DAK fisik (subbidang KB) export: one row per region × item × period.

    Examples
    --------
    >>> frame = pd.DataFrame({"tahun": [2024], "periode": [pd.Timestamp("2024-06-30")],
    ...     "kode_provinsi": ["32"], "kode_wilayah": ["32.05"], "nama_wilayah": ["Kab. Garut"],
    ...     "menu": ["Sarana"], "rincian": ["Obgyn Bed"], "pagu": [1000.0], "realisasi": [0.0],
    ...     "nilai_kontrak": [1500.0], "tanggal_kontrak": [pd.Timestamp("2024-03-01")]})
    >>> try:
    ...     FisikExport.validate(frame, lazy=True)
    ... except pa.errors.SchemaErrors as err:
    ...     print(sorted(set(err.failure_cases["check"])))
    ['kontrak-above-pagu']
    """

    rincian: Series[str] = pa.Field(nullable=False)
    subbidang: Optional[Series[str]] = pa.Field(nullable=True)
    volume: Optional[Series[float]] = pa.Field(nullable=True)
    satuan: Optional[Series[str]] = pa.Field(nullable=True)
    metode_pengadaan: Optional[Series[str]] = pa.Field(nullable=True)
    status_pengadaan: Optional[Series[str]] = pa.Field(nullable=True)
    nomor_kontrak: Optional[Series[str]] = pa.Field(nullable=True)
    tanggal_kontrak: Optional[Series[pa.DateTime]] = pa.Field(nullable=True)
    nilai_kontrak: Optional[Series[float]] = pa.Field(nullable=True)
    persen_realisasi_fisik: Optional[Series[float]] = pa.Field(nullable=True)
    volume_realisasi: Optional[Series[float]] = pa.Field(nullable=True)

    locals().update(_checks_for(C.FISIK))


def schema_for(kind: str) -> type[_CommonExport]:
    """The schema model of an export kind.

    Examples
    --------
    >>> schema_for("fisik").__name__
    'FisikExport'
    """
    return {C.NONFISIK: NonfisikExport, C.FISIK: FisikExport}[kind]
