"""Absorption arithmetic: pagu, realisasi, penyaluran and shares, for any grouping and period.

Exports report *cumulative* figures per item and period. Absorption "as of" a period takes each
item's latest report on or before that period in the same fiscal year (reports lag; an item
that did not report in June still counts with its May figures, and says so in
``periode_data_min``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._vocab import columns as C
from .schemas import item_keys

__all__ = ["absorption", "as_frame", "item_months", "month_panel", "resolve_as_of"]

_GROUP_ALIASES = {"provinsi": C.KODE_PROVINSI, "opd": C.KODE_WILAYAH, "wilayah": C.KODE_WILAYAH,
                  "item": C.RINCIAN}


def as_frame(data: Any) -> pd.DataFrame:
    """The canonical frame behind an Export, a ValidationReport (its valid rows) or a frame."""
    if isinstance(data, pd.DataFrame):
        return data
    valid = getattr(data, "valid", None)
    if isinstance(valid, pd.DataFrame):
        return valid
    frame = getattr(data, "data", None)
    if isinstance(frame, pd.DataFrame):
        return frame
    msg = f"expected a DataFrame, an Export or a ValidationReport, not {type(data).__name__}"
    raise TypeError(msg)


def resolve_as_of(frame: pd.DataFrame, as_of: object = None) -> pd.Timestamp:
    """The month-end period to report on: given (``"2024-06"``, a date) or the latest present.

    Never the computer's clock.

    Examples
    --------
    >>> f = pd.DataFrame({"periode": pd.to_datetime(["2024-05-31", "2024-06-30"])})
    >>> resolve_as_of(f), resolve_as_of(f, "2024-05")
    (Timestamp('2024-06-30 00:00:00'), Timestamp('2024-05-31 00:00:00'))
    """
    if as_of is None:
        per = pd.to_datetime(frame[C.PERIODE], errors="coerce").dropna()
        if per.empty:
            from .exceptions import ProjectionError  # noqa: PLC0415

            msg = "no dated rows: cannot tell which period to report on; pass as_of="
            raise ProjectionError(msg)
        return pd.Timestamp(per.max()) + pd.offsets.MonthEnd(0)
    try:
        ts = pd.Timestamp(str(as_of)) if not isinstance(as_of, pd.Timestamp) else as_of
    except ValueError as exc:
        from .exceptions import ConfigError  # noqa: PLC0415

        msg = f"as_of must be a period like '2024-06', not {as_of!r}"
        raise ConfigError(msg) from exc
    return (ts + pd.offsets.MonthEnd(0)).normalize()


def _latest_per_item(frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each item's latest report on or before ``as_of`` within as_of's fiscal year."""
    f = frame[(pd.to_datetime(frame[C.PERIODE]) <= as_of)
              & (frame[C.TAHUN].astype("Float64") == as_of.year)]
    if f.empty:
        return f.assign(_item=pd.Series(dtype="int64"))
    f = f.assign(_item=item_keys(f).to_numpy())
    f = f.sort_values([C.PERIODE, C.SUMBER_BARIS] if C.SUMBER_BARIS in f else [C.PERIODE],
                      kind="stable")
    return f.drop_duplicates("_item", keep="last")


def absorption(frame: Any, *, by: Sequence[str] | str | None = (C.KODE_WILAYAH, C.JENIS_DAK),
               as_of: object = None) -> pd.DataFrame:
    """Pagu, realisasi, penyaluran and absorption for any grouping, as of a period.

    Parameters
    ----------
    frame : DataFrame, Export or ValidationReport
        Canonical rows (a report's valid rows are used).
    by : column name(s), optional
        Grouping: ``("kode_wilayah", "jenis_dak")`` (OPD × jenis DAK, the default),
        ``"kode_provinsi"`` (or ``"provinsi"``), ``"jenis_dak"``, ``("kode_wilayah", "menu")``,
        ``("kode_wilayah", "menu", "rincian")`` (item), or ``None`` for the grand total.
    as_of : str or date, optional
        Period (``"2024-06"``); default the latest period in the data. Each item counts with
        its latest report on or before it, in that fiscal year.

    Returns
    -------
    DataFrame
        The group columns, ``pagu``, ``realisasi``, ``penyaluran``, ``serapan``
        (realisasi / pagu, a fraction), ``serapan_penyaluran`` (realisasi / money received),
        ``sisa`` (pagu − realisasi), ``n_item``, ``periode`` (as of) and
        ``periode_data_min`` (the oldest report used: older than ``periode`` means some item
        has not reported since).

    Examples
    --------
    >>> f = pd.DataFrame({"tahun": [2024] * 3, "periode": pd.to_datetime(
    ...     ["2024-05-31", "2024-06-30", "2024-06-30"]), "kode_wilayah": ["32.05"] * 3,
    ...     "jenis_dak": ["nonfisik"] * 3, "menu": ["A", "A", "B"], "rincian": [None] * 3,
    ...     "pagu": [100.0, 100.0, 300.0], "realisasi": [20.0, 50.0, 150.0],
    ...     "penyaluran": [50.0, 100.0, 200.0]})
    >>> absorption(f)[["kode_wilayah", "pagu", "realisasi", "serapan", "serapan_penyaluran"]]
      kode_wilayah   pagu  realisasi  serapan  serapan_penyaluran
    0        32.05  400.0      200.0      0.5          0.666667
    """
    data = as_frame(frame)
    when = resolve_as_of(data, as_of)
    if isinstance(by, str):
        by = (by,)
    keys = [_GROUP_ALIASES.get(b, b) for b in (by or ())]
    latest = _latest_per_item(data, when)
    for k in keys:
        if k not in latest:
            msg = f"cannot group by {k!r}: no such column"
            raise KeyError(msg)
    cols = {C.PAGU: "sum", C.REALISASI: "sum", "_item": "count", C.PERIODE: "min"}
    has_pen = C.PENYALURAN in latest and latest[C.PENYALURAN].notna().any()
    if has_pen:
        cols[C.PENYALURAN] = "sum"
    if keys:
        g = latest.groupby(keys, dropna=False).agg(cols).reset_index()
    else:
        g = latest.agg(cols).to_frame().T
    out = g.rename(columns={"_item": "n_item", C.PERIODE: "periode_data_min"})
    if not has_pen:
        out[C.PENYALURAN] = np.nan
    for c in (C.PAGU, C.REALISASI, C.PENYALURAN):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    pagu = out[C.PAGU].where(out[C.PAGU] > 0)
    out["serapan"] = out[C.REALISASI] / pagu
    pen = out[C.PENYALURAN].where(out[C.PENYALURAN] > 0)
    out["serapan_penyaluran"] = out[C.REALISASI] / pen
    out["sisa"] = out[C.PAGU] - out[C.REALISASI]
    out["n_item"] = out["n_item"].astype(int)
    out[C.PERIODE] = when
    out["periode_data_min"] = pd.to_datetime(out["periode_data_min"])
    order = [*keys, C.PAGU, C.REALISASI, C.PENYALURAN, "serapan", "serapan_penyaluran", "sisa",
             "n_item", C.PERIODE, "periode_data_min"]
    return out[order].reset_index(drop=True)


def _report_state(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                             np.ndarray]:
    """Per report row: pagu, realisasi (missing is 0), contract value (capped at pagu, once
    contracted), status (see :func:`item_months`) and contract date."""
    is_fisik = (f[C.JENIS_DAK] == C.FISIK).to_numpy()
    swa = np.zeros(len(f), dtype=bool)
    if C.METODE_PENGADAAN in f:
        swa = f[C.METODE_PENGADAAN].astype("string").str.casefold().str.contains(
            "swakelola", regex=False).fillna(False).to_numpy(dtype=bool)
    month_end = pd.to_datetime(f[C.PERIODE]) + pd.offsets.MonthEnd(0)
    has_contract = np.zeros(len(f), dtype=bool)
    tgl = np.full(len(f), np.datetime64("NaT"), dtype="datetime64[ns]")
    if C.TANGGAL_KONTRAK in f:
        d = pd.to_datetime(f[C.TANGGAL_KONTRAK], errors="coerce")
        tgl = d.astype("datetime64[ns]").to_numpy()
        has_contract = (d.notna() & (d <= month_end)).to_numpy(copy=True)
        nomor = f[C.NOMOR_KONTRAK].notna() if C.NOMOR_KONTRAK in f else False
        nilai = (f[C.NILAI_KONTRAK].fillna(0) > 0) if C.NILAI_KONTRAK in f else False
        has_contract |= (d.isna() & (nomor | nilai)).to_numpy(dtype=bool)
    pagu = pd.to_numeric(f[C.PAGU], errors="coerce").fillna(0).to_numpy(dtype=float)
    real = pd.to_numeric(f[C.REALISASI], errors="coerce").fillna(0).to_numpy(dtype=float)
    nilai_k = (pd.to_numeric(f[C.NILAI_KONTRAK], errors="coerce").fillna(0).to_numpy(dtype=float)
               if C.NILAI_KONTRAK in f else np.zeros(len(f)))
    in_process = np.zeros(len(f), dtype=bool)
    if C.STATUS_PENGADAAN in f:
        st = f[C.STATUS_PENGADAAN].astype("string").str.casefold()
        in_process = (st.str.contains(r"proses|tender|lelang|pemilihan|pengadaan", regex=True)
                      & ~st.str.contains("belum", regex=False)).fillna(False).to_numpy(dtype=bool)
    status = np.select([~is_fisik, swa, has_contract, in_process],
                       ["nonfisik", "swakelola", "kontrak", "proses"],
                       default="tanpa-kontrak").astype(object)
    kontrak = np.where(status == "kontrak",
                       np.minimum(np.where(nilai_k > 0, nilai_k, pagu), pagu), 0.0)
    return pagu, real, kontrak, status, tgl


def item_months(frame: pd.DataFrame, *, deadlines: dict[int, pd.Timestamp] | None = None
                ) -> pd.DataFrame:
    """Item × month state of every fiscal year in ``frame`` (months 1–12, carried forward).

    Each item counts in month m with its latest report on or before m. Columns: ``_item``,
    ``tahun``, ``kode_wilayah``, ``jenis_dak``, ``bulan``, ``pagu``, ``realisasi``,
    ``kontrak`` (contract value capped at pagu, once contracted), ``status`` (``"kontrak"``,
    ``"proses"`` (no contract, procurement under way), ``"tanpa-kontrak"``, ``"hilang"`` — no contract once the deadline has passed,
    ``"swakelola"``, or ``"nonfisik"``) and ``dilaporkan`` (reported in that month itself).
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
    f = f[used].take(order[last]).reset_index(drop=True)
    item, bulan = item[order[last]], bulan[order[last]]
    pagu, real, kontrak, status, tgl = _report_state(f)
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
    deadlines = deadlines or {}
    # Each distinct year once (a per-row lambda costs seconds on a million rows).
    years = np.unique(tahun)
    dl_year = np.array([np.datetime64(deadlines.get(int(y), pd.Timestamp(int(y), 7, 21)), "ns")
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
    if lost.any():
        st_full = st_full.copy()
        st_full[lost] = "hilang"
        full["status"] = st_full
    return full[cols]


def month_panel(frame: pd.DataFrame, *, deadlines: dict[int, pd.Timestamp] | None = None,
                items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Region × jenis DAK × month state of every fiscal year in ``frame`` (months 1–12).

    Aggregates :func:`item_months`. Columns: ``tahun``, ``kode_wilayah``, ``jenis_dak``,
    ``bulan``, ``pagu``, ``realisasi``, ``serapan``, ``macet`` (share of pagu that is stalled:
    BOKB items with no spending; DAK fisik non-swakelola items with no contract),
    ``kontrak`` (contract value, capped at pagu), ``tanpa_kontrak`` (pagu of fisik items with
    no contract yet, deadline not passed), ``hilang`` (pagu of fisik items with no contract
    once the deadline has passed: lost for the year), ``swakelola``, ``dilaporkan`` (the
    region reported in that month itself) and ``n_item``.
    """
    im = items if items is not None else item_months(frame, deadlines=deadlines)
    keys = ["tahun", C.KODE_WILAYAH, C.JENIS_DAK, "bulan"]
    if im.empty:
        return pd.DataFrame(columns=[*keys, C.PAGU, C.REALISASI, "serapan"])
    st = im["status"]
    stalled = np.where(st == "nonfisik", im[C.REALISASI] <= 0,
                       st.isin(["tanpa-kontrak", "proses", "hilang"]))
    tmp = im.assign(
        _macet=stalled * im[C.PAGU],
        _tanpa=st.isin(["tanpa-kontrak", "proses"]) * im[C.PAGU],
        _hilang=(st == "hilang") * im[C.PAGU],
        _swa=(st == "swakelola") * im[C.PAGU],
    )
    panel = tmp.groupby(keys).agg(
        pagu=(C.PAGU, "sum"), realisasi=(C.REALISASI, "sum"), macet=("_macet", "sum"),
        kontrak=("kontrak", "sum"), tanpa_kontrak=("_tanpa", "sum"), hilang=("_hilang", "sum"),
        swakelola=("_swa", "sum"), dilaporkan=("dilaporkan", "max"),
        n_item=("_item", "count")).reset_index()
    pagu_pos = panel[C.PAGU].where(panel[C.PAGU] > 0)
    panel["serapan"] = panel[C.REALISASI] / pagu_pos
    panel["macet"] = panel["macet"] / pagu_pos
    return panel
