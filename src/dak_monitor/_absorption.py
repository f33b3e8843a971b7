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

from ._config import Rules
from ._items import item_months, latest_reports
from ._vocab import columns as C

__all__ = ["absorption", "as_frame", "latest_periods", "month_panel", "refuse_as_of_beyond",
           "resolve_as_of"]

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
            from .exceptions import ProjectionError

            msg = "no dated rows: cannot tell which period to report on; pass as_of="
            raise ProjectionError(msg)
        return pd.Timestamp(per.max()) + pd.offsets.MonthEnd(0)
    try:
        ts = pd.Timestamp(str(as_of)) if not isinstance(as_of, pd.Timestamp) else as_of
    except ValueError as exc:
        from .exceptions import ConfigError

        msg = f"as_of must be a period like '2024-06', not {as_of!r}"
        raise ConfigError(msg) from exc
    return (ts + pd.offsets.MonthEnd(0)).normalize()


def refuse_as_of_beyond(frame: pd.DataFrame, when: pd.Timestamp) -> None:
    """Refuse a period later than every report in ``frame``: nothing is known about it.

    Examples
    --------
    >>> f = pd.DataFrame({"periode": pd.to_datetime(["2024-06-30"])})
    >>> refuse_as_of_beyond(f, pd.Timestamp("2024-09-30"))
    Traceback (most recent call last):
    dak_monitor.exceptions.ProjectionError: as_of 2024-09 is later than every report in the data (the latest is 2024-06): nothing is known about 2024-09; pass an as_of up to 2024-06
    """
    per = pd.to_datetime(frame[C.PERIODE], errors="coerce").dropna()
    if per.empty:
        return
    latest = pd.Timestamp(per.max()) + pd.offsets.MonthEnd(0)
    if when > latest:
        from .exceptions import ProjectionError

        msg = (f"as_of {when:%Y-%m} is later than every report in the data (the latest is "
               f"{latest:%Y-%m}): nothing is known about {when:%Y-%m}; pass an as_of up to "
               f"{latest:%Y-%m}")
        raise ProjectionError(msg)


def latest_periods(frame: pd.DataFrame, when: pd.Timestamp) -> pd.Series:
    """Each OPD × jenis DAK's latest reported period (month end) in ``when``'s fiscal year, up
    to ``when``: where each one's figures really stand.

    An OPD whose latest period is before ``when`` has not reported for ``when``; a jenis DAK's
    own as-of is the latest of its OPDs'.

    Examples
    --------
    >>> f = pd.DataFrame({"tahun": [2024] * 3, "kode_wilayah": ["32.05", "32.05", "32.79"],
    ...     "jenis_dak": ["nonfisik"] * 3,
    ...     "periode": pd.to_datetime(["2024-05-31", "2024-06-30", "2024-05-31"])})
    >>> latest_periods(f, pd.Timestamp("2024-06-30")).dt.strftime("%Y-%m").to_dict()
    {('32.05', 'nonfisik'): '2024-06', ('32.79', 'nonfisik'): '2024-05'}
    """
    per = pd.to_datetime(frame[C.PERIODE], errors="coerce")
    keep = (frame[C.TAHUN].astype("Float64") == when.year).fillna(False).to_numpy() & (
        per <= when).fillna(False).to_numpy()
    f = frame.loc[keep, [C.KODE_WILAYAH, C.JENIS_DAK]].assign(_p=per[keep])
    out = f.groupby([C.KODE_WILAYAH, C.JENIS_DAK], sort=True)["_p"].max()
    return (out + pd.offsets.MonthEnd(0)).rename(C.PERIODE)


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
    latest = latest_reports(data, when)
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


def month_panel(frame: pd.DataFrame, *, rules: Rules | None = None,
                deadlines: dict[int, pd.Timestamp] | None = None,
                items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Region × jenis DAK × month state of every fiscal year in ``frame`` (months 1–12).

    Aggregates :func:`dak_monitor._items.item_months` (deadlines from ``rules``).
    Columns: ``tahun``, ``kode_wilayah``, ``jenis_dak``,
    ``bulan``, ``pagu``, ``realisasi``, ``serapan``, ``macet`` (share of pagu that is stalled:
    BOKB items with no spending; DAK fisik non-swakelola items with no contract),
    ``kontrak`` (contract value, capped at pagu), ``tanpa_kontrak`` (pagu of fisik items with
    no contract yet, deadline not passed), ``hilang`` (pagu of fisik items with no contract
    once the deadline has passed: lost for the year), ``swakelola``, ``dilaporkan`` (the
    region reported in that month itself) and ``n_item``.
    """
    im = items if items is not None else item_months(frame, rules=rules, deadlines=deadlines)
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
