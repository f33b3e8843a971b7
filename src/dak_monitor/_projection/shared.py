"""What the projection methods learn from history in common: the shared fit.

:class:`SharedFit` holds everything that more than one method uses — the typical share of
the year's spending reached by each month (per jenis DAK), the mean year-end absorption, each
region's mean year-end, the median year ratio per cut-off month, the item-level ratios of DAK
fisik items (used by ``fisik-items`` and, as a feature, by ``regression``) — learned once per
history by :func:`fit_shared`, or the defaults of :func:`default_shared` without history.

Also here: the item and region state of a frame with the contract deadlines of :class:`Rules`
for every year in it (:func:`month_state`), the year-end outcomes of a panel, and what can
still be spent (:func:`cap`), the bound of every projection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from .._absorption import month_panel
from .._config import Rules
from .._items import item_months
from .._vocab import columns as C

__all__ = [
    "DEFAULT_PROFILE",
    "MIN_SHARE",
    "SharedFit",
    "cap",
    "default_shared",
    "fit_shared",
    "month_state",
    "outcomes",
    "profile_ratio",
    "region_means",
    "training_cuts",
    "year_ratio",
]

#: Typical cumulative absorption of pagu at the end of each month (Jan..Dec), from the ranges
#: in ``docs/glossary.md`` (midpoints): BOKB 10–25 % by March, 40–55 % by June, 65–75 % by
#: September, 90–100 % in December; DAK fisik 0–2 % by March, 5–15 % by June, 25–35 % by July,
#: ~50 % by September, 88–98 % in December. Used when there is no history.
DEFAULT_PROFILE: Final = {
    C.NONFISIK: (0.04, 0.10, 0.17, 0.25, 0.35, 0.47, 0.55, 0.62, 0.70, 0.78, 0.86, 0.95),
    C.FISIK: (0.0, 0.005, 0.01, 0.03, 0.06, 0.10, 0.30, 0.40, 0.50, 0.62, 0.75, 0.93),
}
MIN_SHARE: Final = 0.02  # below this typical share, dividing by it is meaningless
_OUTCOME_COLUMNS: Final = ["tahun", C.KODE_WILAYAH, C.JENIS_DAK, "akhir"]


# ================================================================================== state
def month_state(frame: pd.DataFrame, rules: Rules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(item × month, region × month) state of ``frame``, deadlines from ``rules``.

    Every fiscal year's contract deadline comes from ``rules``
    (:func:`~dak_monitor._items.item_months`).
    """
    items = item_months(frame, rules=rules)
    return items, month_panel(frame, items=items)


def outcomes(panel: pd.DataFrame) -> pd.DataFrame:
    """Year-end absorption (``akhir``) per region-year, where December was reached."""
    dec = panel[panel["bulan"] == 12]
    last = panel[panel["dilaporkan"]].groupby(["tahun", C.KODE_WILAYAH, C.JENIS_DAK])[
        "bulan"].max()
    dec = dec.set_index(["tahun", C.KODE_WILAYAH, C.JENIS_DAK])
    dec = dec[last.reindex(dec.index).fillna(0) >= 12]
    return dec["serapan"].rename("akhir").reset_index().dropna()


def cap(cut: pd.DataFrame) -> np.ndarray:
    """What can still be spent, as a share of pagu (fisik pagu lost at the deadline is out)."""
    pagu = cut[C.PAGU].where(cut[C.PAGU] > 0)
    hilang = cut["hilang"].fillna(0) if "hilang" in cut else 0.0
    out = ((pagu - hilang) / pagu).fillna(1.0).to_numpy(dtype=float)
    return np.maximum(out, cut["serapan"].fillna(0).to_numpy(dtype=float))


# ============================================================================ shared fit
@dataclass(frozen=True, slots=True)
class SharedFit:
    """What several methods learn from history in common (or the defaults without it)."""

    share: dict[str, np.ndarray]  # kind -> typical share of the year's spending, months 1..12
    mean_year_end: dict[str, float]  # kind -> mean year-end absorption
    region_mean: dict[tuple[str, str], float]  # (kind, kode_wilayah) -> mean year-end
    year_ratio_median: dict[tuple[str, int], float]  # (kind, month) -> median year ratio
    item_ratio: dict[tuple[int, str], float]  # (month, item status) -> final / base
    outcomes: pd.DataFrame  # year-end absorption per region-year of the history
    n_years: int  # complete years of history


def default_share(kind: str) -> np.ndarray:
    """:data:`DEFAULT_PROFILE` of ``kind`` as a share of its December value."""
    prof = np.asarray(DEFAULT_PROFILE[kind], dtype=float)
    return prof / prof[-1]


def default_shared() -> SharedFit:
    """The shared fit without history: :data:`DEFAULT_PROFILE` and nothing learned."""
    return SharedFit(share={k: default_share(k) for k in C.KINDS},
                     mean_year_end={k: float(DEFAULT_PROFILE[k][-1]) for k in C.KINDS},
                     region_mean={}, year_ratio_median={}, item_ratio={},
                     outcomes=pd.DataFrame(columns=_OUTCOME_COLUMNS), n_years=0)


def _learn_share(panel: pd.DataFrame, outcomes: pd.DataFrame, kind: str) -> np.ndarray:
    o = outcomes[(outcomes[C.JENIS_DAK] == kind) & (outcomes["akhir"] > 0.2)]
    if o.empty:
        return default_share(kind)
    p = panel[panel[C.JENIS_DAK] == kind].merge(o, on=["tahun", C.KODE_WILAYAH, C.JENIS_DAK])
    ratio = (p["serapan"] / p["akhir"]).clip(0, 1)
    med = ratio.groupby(p["bulan"]).median().reindex(range(1, 13))
    share = med.fillna(pd.Series(default_share(kind), index=range(1, 13))).to_numpy()
    share = np.maximum.accumulate(np.clip(share, 0, 1))
    share[-1] = 1.0
    return share


def _learn_item_ratio(items: pd.DataFrame, outcomes: pd.DataFrame
                      ) -> dict[tuple[int, str], float]:
    """What DAK fisik items in each state at month m went on to spend, relative to base."""
    out: dict[tuple[int, str], float] = {}
    fis = items[items[C.JENIS_DAK] == C.FISIK]
    if fis.empty:
        return out
    final = fis[fis["bulan"] == 12].set_index("_item")[C.REALISASI]
    fis = fis[fis["bulan"] < 12].assign(_final=lambda d: d["_item"].map(final))
    fis = fis[fis["_final"].notna() & (fis["tahun"].isin(outcomes["tahun"]))]
    base = np.where(fis["status"] == "kontrak", fis["kontrak"], fis[C.PAGU])
    fis = fis.assign(_base=base)
    agg = fis.groupby(["bulan", "status"])[["_final", "_base"]].sum()
    for (month, status), row in agg.iterrows():
        if row["_base"] > 0:
            out[(int(month), str(status))] = float(row["_final"] / row["_base"])
    return out


def region_means(outcomes: pd.DataFrame, kind: str, leave_out: bool) -> pd.Series:
    """Each region's mean year-end; with leave_out, over the *other* years (index by row)."""
    o = outcomes[outcomes[C.JENIS_DAK] == kind]
    if not leave_out:
        return o.groupby(C.KODE_WILAYAH)["akhir"].mean()
    tot = o.groupby(C.KODE_WILAYAH)["akhir"].transform("sum")
    cnt = o.groupby(C.KODE_WILAYAH)["akhir"].transform("count")
    loo = (tot - o["akhir"]) / (cnt - 1).where(cnt > 1)
    return pd.Series(loo.to_numpy(), index=pd.MultiIndex.from_frame(o[["tahun",
                                                                      C.KODE_WILAYAH]]))


def training_cuts(panel: pd.DataFrame, outcomes: pd.DataFrame, kind: str
                  ) -> Iterable[tuple[int, pd.DataFrame]]:
    """(month, region-years of ``kind`` at that month with their outcome) for months 1–11.

    Months with fewer than three region-years are skipped: nothing is learned from them.
    """
    o = outcomes[outcomes[C.JENIS_DAK] == kind]
    if o.empty:
        return
    p = panel[panel[C.JENIS_DAK] == kind].merge(o, on=["tahun", C.KODE_WILAYAH, C.JENIS_DAK])
    for month in range(1, 12):
        cut = p[p["bulan"] == month].reset_index(drop=True)
        if len(cut) >= 3:
            yield month, cut


def profile_ratio(cut: pd.DataFrame, share: float) -> np.ndarray:
    """Absorption to date ÷ the typical share reached by then (the profile estimate), ≤ 1.5."""
    a = cut["serapan"].to_numpy(dtype=float)
    return np.clip(a / max(share, MIN_SHARE), 0, 1.5)


def year_ratio(cut: pd.DataFrame, ratio: np.ndarray, fallback: float) -> np.ndarray:
    """How the whole province is doing this year: the median profile estimate of its year.

    Years with fewer than five regions take ``fallback`` instead.
    """
    yr = pd.Series(ratio, index=cut.index).groupby(cut["tahun"].to_numpy()).transform("median")
    n_year = cut.groupby("tahun")[C.KODE_WILAYAH].transform("size").to_numpy()
    return np.where(n_year >= 5, yr.to_numpy(), fallback)


def fit_shared(panel: pd.DataFrame, items: pd.DataFrame) -> SharedFit:
    """Learn the shared fit from a history's region and item panels."""
    out = outcomes(panel)
    share: dict[str, np.ndarray] = {}
    mean_year_end: dict[str, float] = {}
    region_mean: dict[tuple[str, str], float] = {}
    year_ratio_median: dict[tuple[str, int], float] = {}
    for kind in C.KINDS:
        share[kind] = _learn_share(panel, out, kind)
        o = out[out[C.JENIS_DAK] == kind]
        mean_year_end[kind] = float(o["akhir"].mean()) if len(o) else \
            float(DEFAULT_PROFILE[kind][-1])
        for k, v in region_means(out, kind, leave_out=False).items():
            region_mean[(kind, str(k))] = float(v)
        for month, cut in training_cuts(panel, out, kind):
            # In training, a year with fewer than five regions has no year ratio (1.0).
            ratio = year_ratio(cut, profile_ratio(cut, share[kind][month - 1]), 1.0)
            year_ratio_median[(kind, month)] = float(np.median(ratio))
    return SharedFit(share=share, mean_year_end=mean_year_end, region_mean=region_mean,
                     year_ratio_median=year_ratio_median,
                     item_ratio=_learn_item_ratio(items, out), outcomes=out,
                     n_years=int(out["tahun"].nunique()))
