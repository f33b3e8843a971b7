"""The state of each item (a menu or rincian of one region, kind and year), declared once.

Exports report *cumulative* figures per item and period. Everything that asks "what is this
item's situation?" — absorption, projection, flags, figures — takes it from here:

* :func:`item_keys` — which rows are the same item (text folded for case and spaces);
* :func:`latest_reports` — each item's latest report up to a period;
* :func:`is_swakelola`, :func:`contract_dates`, :func:`has_contract` — the one definition of
  self-managed items, of a contract's date and of "has a contract";
* :func:`item_state` — one row per item as of a period: its latest report, the first contract
  date it reported (and when), swakelola, has-contract and procurement status;
* :func:`item_months` — the item × month state of whole years, for projections;
* :func:`previous_period` — the same item's value in its previous report.

Contract deadlines always come from :class:`~dak_monitor.Rules`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._config import Rules
from ._text import tidy_blob
from ._vocab import columns as C

__all__ = [
    "contract_dates",
    "contract_deadline",
    "fold",
    "has_contract",
    "is_swakelola",
    "item_keys",
    "item_months",
    "item_state",
    "latest_reports",
    "previous_period",
    "report_state",
]

#: Procurement states of an item (labels: ``_vocab.ITEM_STATES``).
NONFISIK, SWAKELOLA, KONTRAK, PROSES, TANPA_KONTRAK, HILANG = (
    "nonfisik", "swakelola", "kontrak", "proses", "tanpa-kontrak", "hilang")


def fold_texts(texts: list[str]) -> list[str]:
    """Case-fold and collapse white space; one C-speed pass when the texts are tidy."""
    blob = tidy_blob(texts)
    if blob is not None:
        folded = blob.casefold().split("\n")
        if len(folded) == len(texts):
            return folded
    return [" ".join(t.casefold().split()) for t in texts]


def fold(s: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    folded = np.array([*fold_texts([str(u) for u in uniques]), ""], dtype=object)
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
            texts = fold_texts(texts)
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


def latest_reports(frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each item's latest report on or before ``as_of`` within as_of's fiscal year, with its
    item id in ``_item``; reports of one period keep their file order (the later row wins)."""
    f = frame[(pd.to_datetime(frame[C.PERIODE]) <= as_of)
              & (frame[C.TAHUN].astype("Float64") == as_of.year)]
    if f.empty:
        return f.assign(_item=pd.Series(dtype="int64"))
    f = f.assign(_item=item_keys(f).to_numpy())
    f = f.sort_values([C.PERIODE, C.SUMBER_BARIS] if C.SUMBER_BARIS in f else [C.PERIODE],
                      kind="stable")
    return f.drop_duplicates("_item", keep="last")


def previous_period(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
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


def report_state(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                             np.ndarray]:
    """Per report row: pagu, realisasi (missing is 0), contract value (capped at pagu, once
    contracted), status (see :func:`item_months`) and contract date."""
    is_fisik = (f[C.JENIS_DAK] == C.FISIK).to_numpy()
    swa = is_swakelola(f)
    tgl = contract_dates(f).astype("datetime64[ns]").to_numpy()
    contracted = has_contract(f)
    pagu = pd.to_numeric(f[C.PAGU], errors="coerce").fillna(0).to_numpy(dtype=float)
    real = pd.to_numeric(f[C.REALISASI], errors="coerce").fillna(0).to_numpy(dtype=float)
    nilai_k = (pd.to_numeric(f[C.NILAI_KONTRAK], errors="coerce").fillna(0).to_numpy(dtype=float)
               if C.NILAI_KONTRAK in f else np.zeros(len(f)))
    in_process = np.zeros(len(f), dtype=bool)
    if C.STATUS_PENGADAAN in f:
        st = f[C.STATUS_PENGADAAN].astype("string").str.casefold()
        in_process = (st.str.contains(r"proses|tender|lelang|pemilihan|pengadaan", regex=True)
                      & ~st.str.contains("belum", regex=False)).fillna(False).to_numpy(dtype=bool)
    status = np.select([~is_fisik, swa, contracted, in_process],
                       ["nonfisik", "swakelola", "kontrak", "proses"],
                       default="tanpa-kontrak").astype(object)
    kontrak = np.where(status == "kontrak",
                       np.minimum(np.where(nilai_k > 0, nilai_k, pagu), pagu), 0.0)
    return pagu, real, kontrak, status, tgl


def item_months(frame: pd.DataFrame, *, rules: Rules | None = None,
                deadlines: Mapping[int, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Item × month state of every fiscal year in ``frame`` (months 1–12, carried forward).

    Each item counts in month m with its latest report on or before m. Columns: ``_item``,
    ``tahun``, ``kode_wilayah``, ``jenis_dak``, ``bulan``, ``pagu``, ``realisasi``,
    ``kontrak`` (contract value capped at pagu, once contracted), ``status`` (``"kontrak"``,
    ``"proses"`` (no contract, procurement under way), ``"tanpa-kontrak"``, ``"hilang"`` (no
    contract once the deadline has passed),
    ``"swakelola"``, or ``"nonfisik"``) and ``dilaporkan`` (reported in that month itself).
    The contract deadline of each year is ``deadlines[year]`` if given, else
    ``rules.contract_deadline(year)`` (default :class:`~dak_monitor.Rules`).
    """
    f = frame[frame[C.PERIODE].notna() & frame[C.TAHUN].notna()].reset_index(drop=True)
    cols = ["_item", "tahun", C.KODE_WILAYAH, C.JENIS_DAK, "bulan", C.PAGU, C.REALISASI,
            "kontrak", "status", "dilaporkan"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    item = item_keys(f).to_numpy(dtype=np.int64)
    bulan = pd.to_datetime(f[C.PERIODE]).dt.month.to_numpy(dtype=np.int64)
    # Sorted by item and month (stable: of two reports of one item-month, the later row wins).
    order = np.lexsort((bulan, item))
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (item[order][1:] != item[order][:-1]) | (bulan[order][1:] != bulan[order][:-1])
    used = [c for c in (C.TAHUN, C.PERIODE, C.KODE_WILAYAH, C.JENIS_DAK, C.PAGU, C.REALISASI,
                        C.METODE_PENGADAAN, C.TANGGAL_KONTRAK, C.NOMOR_KONTRAK, C.NILAI_KONTRAK,
                        C.STATUS_PENGADAAN) if c in f]
    recap = is_recap(f)[order[last]] if C.MENU in f else np.zeros(int(last.sum()), dtype=bool)
    f = f[used].take(order[last]).reset_index(drop=True)
    item, bulan = item[order[last]], bulan[order[last]]
    pagu, real, kontrak, status, tgl = report_state(f)
    # The item x month grid, one row of 12 months per item: each cell takes the item's latest
    # report on or before that month (reports are sorted, so the latest is the largest row
    # number so far: a running maximum); the contract date is carried on its own, from the
    # latest report that has one.
    first = np.ones(len(item), dtype=bool)
    first[1:] = item[1:] != item[:-1]
    slot = np.cumsum(first) - 1  # the item's row in the grid
    n_items = int(slot[-1]) + 1
    cell = slot * 12 + (bulan - 1)
    src = np.full(n_items * 12, -1, dtype=np.int64)
    src[cell] = np.arange(len(item))
    reported = src >= 0
    src = np.maximum.accumulate(src.reshape(n_items, 12), axis=1).ravel()
    src_tgl = np.full(n_items * 12, -1, dtype=np.int64)
    has_tgl = ~np.isnat(tgl)
    src_tgl[cell[has_tgl]] = np.flatnonzero(has_tgl)
    src_tgl = np.maximum.accumulate(src_tgl.reshape(n_items, 12), axis=1).ravel()
    keep = src >= 0  # months before an item's first report are not in the panel
    src, src_tgl = src[keep], src_tgl[keep]
    grid_item = np.repeat(np.arange(n_items), 12)[keep]
    heads = np.flatnonzero(first)[grid_item]  # each item's first report: its fixed parts
    months = np.tile(np.arange(1, 13, dtype=np.int64), n_items)[keep]
    tahun = f[C.TAHUN].to_numpy()[heads].astype(int)
    full = pd.DataFrame({
        "_item": item[heads], "tahun": tahun,
        # take keeps the columns' dtypes; object arrays would be re-inferred cell by cell
        C.KODE_WILAYAH: f[C.KODE_WILAYAH].take(heads).reset_index(drop=True),
        C.JENIS_DAK: f[C.JENIS_DAK].take(heads).reset_index(drop=True),
        "bulan": months, C.PAGU: pagu[src], C.REALISASI: real[src], "kontrak": kontrak[src],
        "status": pd.Series(status[src], dtype=object), "dilaporkan": reported[keep],
    }, copy=False)
    tgl_full = np.where(src_tgl >= 0, tgl[np.clip(src_tgl, 0, None)], np.datetime64("NaT"))
    # Each distinct year once (a per-row lambda costs seconds on a million rows); the deadline
    # of a year not in ``deadlines`` comes from the rules, never from a date written here.
    years = np.unique(tahun)
    dl_year = np.array([np.datetime64(contract_deadline(int(y), rules, deadlines), "ns")
                        for y in years])
    dl = dl_year[np.searchsorted(years, tahun)]
    # The last day of each month: the first of the next month, minus one day.
    next_month = ((tahun - 1970) * 12 + months).astype("datetime64[M]")
    m_end = next_month.astype("datetime64[ns]") - np.timedelta64(1, "D")
    passed = m_end >= dl
    st_full = full["status"].to_numpy()
    # No contract by the deadline: lost — including a contract signed after the deadline.
    lost = passed & (np.isin(st_full, ["tanpa-kontrak", "proses"])
                     | ((st_full == "kontrak") & (tgl_full > dl)))
    lost &= ~recap[heads]  # a recap row (one per OPD) says nothing of contracts
    if lost.any():
        st_full = st_full.copy()
        st_full[lost] = "hilang"
        full["status"] = st_full
    return full[cols]


def contract_deadline(year: int, rules: Rules | None = None,
                      deadlines: Mapping[int, pd.Timestamp] | None = None) -> pd.Timestamp:
    """The DAK fisik contract deadline of ``year``: ``deadlines[year]``, else the rules'.

    Examples
    --------
    >>> contract_deadline(2023), contract_deadline(2030, Rules(default_contract_deadline=(8, 1)))
    (Timestamp('2023-07-31 00:00:00'), Timestamp('2030-08-01 00:00:00'))
    """
    if deadlines and year in deadlines:
        return pd.Timestamp(deadlines[year])
    return pd.Timestamp((rules or Rules()).contract_deadline(int(year)))


def is_recap(frame: pd.DataFrame) -> np.ndarray:
    """True where a row is a recap of a whole OPD (``menu`` is :data:`~._vocab.columns.RECAP_MENU`),
    not a real item: item checks and flags pass it over.

    Examples
    --------
    >>> is_recap(pd.DataFrame({"menu": ["(rekap OPD)", "BKB"]}))
    array([ True, False])
    """
    if C.MENU not in frame:
        return np.zeros(len(frame), dtype=bool)
    return (frame[C.MENU] == C.RECAP_MENU).fillna(False).to_numpy(dtype=bool)


def is_swakelola(frame: pd.DataFrame) -> np.ndarray:
    """True where the procurement method says swakelola (self-managed: needs no contract).

    Examples
    --------
    >>> is_swakelola(pd.DataFrame({"metode_pengadaan": ["Swakelola", "e-Purchasing", None]}))
    array([ True, False, False])
    """
    if C.METODE_PENGADAAN not in frame:
        return np.zeros(len(frame), dtype=bool)
    return fold(frame[C.METODE_PENGADAAN]).str.contains("swakelola", regex=False).to_numpy(
        dtype=bool)


def contract_dates(frame: pd.DataFrame) -> pd.Series:
    """Each row's contract date (NaT where none or unreadable)."""
    if C.TANGGAL_KONTRAK not in frame:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[C.TANGGAL_KONTRAK], errors="coerce")


def has_contract(frame: pd.DataFrame, *, by_period: bool = True) -> np.ndarray:
    """The one definition of "this report shows a contract".

    A contract date (on or before the end of the report's month, with ``by_period``), or — no
    date given — a contract number or a contract value above zero.

    Examples
    --------
    >>> f = pd.DataFrame({"periode": pd.to_datetime(["2024-06-30"] * 4),
    ...     "tanggal_kontrak": pd.to_datetime(["2024-05-02", "2024-08-01", None, None]),
    ...     "nomor_kontrak": [None, None, "SPK-1", None], "nilai_kontrak": [0, 0, 0, 0]})
    >>> has_contract(f), has_contract(f, by_period=False)
    (array([ True, False,  True, False]), array([ True,  True,  True, False]))
    """
    n = len(frame)
    d = contract_dates(frame)
    dated = d.notna().to_numpy()
    if by_period and C.PERIODE in frame:
        month_end = pd.to_datetime(frame[C.PERIODE]) + pd.offsets.MonthEnd(0)
        dated = (d <= month_end).fillna(False).to_numpy(dtype=bool)
    nomor = (frame[C.NOMOR_KONTRAK].notna().to_numpy() if C.NOMOR_KONTRAK in frame
             else np.zeros(n, dtype=bool))
    nilai = ((pd.to_numeric(frame[C.NILAI_KONTRAK], errors="coerce") > 0).to_numpy(dtype=bool)
             if C.NILAI_KONTRAK in frame else np.zeros(n, dtype=bool))
    return dated | (d.isna().to_numpy() & (nomor | nilai))


def item_state(frame: pd.DataFrame, *, as_of: pd.Timestamp, rules: Rules | None = None,
               year: int | None = None) -> pd.DataFrame:
    """One row per item as of ``as_of`` (within fiscal year ``year``, default as_of's).

    Columns: the item's latest report (all its columns), ``baris_terakhir`` and
    ``baris_kontrak_pertama`` (the index labels, in ``frame``, of the latest report and of the
    first report that gave a contract date), ``swakelola``, ``punya_kontrak``
    (:func:`has_contract` on the latest report), ``tanggal_kontrak_pertama`` (the contract
    date in the first report that gave one — undated contracts have none),
    ``periode_kontrak_pertama`` (that report's period), ``status`` (procurement state:
    ``nonfisik``, ``swakelola``, ``kontrak``, ``proses``, ``tanpa-kontrak``, or ``hilang`` once
    the contract deadline of :class:`~dak_monitor.Rules` has passed without a contract dated
    by it) and ``batas_kontrak``.

    Examples
    --------
    >>> f = pd.DataFrame({"tahun": [2024] * 3, "periode": pd.to_datetime(
    ...     ["2024-05-31", "2024-06-30", "2024-06-30"]), "kode_wilayah": ["32.05"] * 3,
    ...     "jenis_dak": ["fisik"] * 3, "menu": ["Sarana"] * 3, "rincian": ["Bed", "Bed", "Kit"],
    ...     "pagu": [500.0, 500.0, 300.0], "realisasi": [0.0, 100.0, 0.0],
    ...     "tanggal_kontrak": pd.to_datetime(["2024-05-02", "2024-05-02", None])})
    >>> item_state(f, as_of=pd.Timestamp("2024-06-30"))[["rincian", "status",
    ...     "tanggal_kontrak_pertama"]].to_numpy().tolist()
    [['Bed', 'kontrak', Timestamp('2024-05-02 00:00:00')], ['Kit', 'tanpa-kontrak', NaT]]
    """
    year = as_of.year if year is None else year
    f = frame[(pd.to_datetime(frame[C.PERIODE]) <= as_of)
              & (frame[C.TAHUN].astype("Float64") == year)]
    f = f.assign(_item=item_keys(f).to_numpy(), _tgl=contract_dates(f).to_numpy(),
                 _baris=f.index.to_numpy())
    f = f.sort_values([C.PERIODE, C.SUMBER_BARIS] if C.SUMBER_BARIS in f else [C.PERIODE],
                      kind="stable")
    latest = f.drop_duplicates("_item", keep="last").set_index("_item", drop=False)
    dated = f[f["_tgl"].notna()].drop_duplicates("_item", keep="first").set_index("_item")
    out = latest.drop(columns=["_tgl", "_baris"])
    out["baris_terakhir"] = latest["_baris"]
    out["baris_kontrak_pertama"] = dated["_baris"].reindex(out.index)
    out["tanggal_kontrak_pertama"] = dated["_tgl"].reindex(out.index)
    out["periode_kontrak_pertama"] = pd.to_datetime(dated[C.PERIODE]).reindex(out.index)
    out["swakelola"] = is_swakelola(out)
    out["punya_kontrak"] = has_contract(out)
    _, _, _, status, _ = report_state(out)
    dl = contract_deadline(year, rules)
    out["batas_kontrak"] = dl
    lost = (as_of >= dl) & (np.isin(status, [TANPA_KONTRAK, PROSES])
                            | ((status == KONTRAK)
                               & (out["tanggal_kontrak_pertama"] > dl).to_numpy(dtype=bool)))
    # A recap row (one per OPD) says nothing of contracts: its pagu is never counted lost.
    lost &= ~is_recap(out)
    out["status"] = np.where(lost, HILANG, status).astype(object)
    out.index.name = None
    return out
