"""Year-end absorption projections against the threshold, with intervals and a backtest.

Methods (``method=``):

``run-rate``
    Absorption to date × 12 / month: the naive linear baseline every other method must beat.
``profile``
    Absorption to date ÷ the typical share of the year's spending reached by that month
    (learned per jenis DAK from history, or :data:`DEFAULT_PROFILE` from ``GLOSSARY.md``).
    Noisy early in the year, when the typical share is small.
``regression``
    Learns from history, per jenis DAK and cut-off month, how year-end absorption relates to
    what is known then: absorption to date relative to the profile, the region's own past
    year-end absorption, the share of pagu that is stalled (BOKB items with no spending, DAK
    fisik items with no contract), and how the whole province is doing this year relative to
    the profile (late years tend to be weak years). A ridge fit shrunk toward the credibility
    blend ``share × profile estimate + (1 − share) × own past``, so short histories give
    simple answers.
``fisik-items``
    DAK fisik only: item by item, what has been spent plus what each item is still expected to
    spend given its state (contracted: its contract value; no contract yet: how often such items
    were contracted and spent in past years at that month; no contract after the deadline:
    nothing — lost; swakelola), learned from history. Bounded by what can still be spent.
``auto``
    Per jenis DAK and month, the method with the lowest backtest error on history.

Every projection is clipped to [absorption to date, what can still be spent]. Intervals and the
probability of ending below the threshold come from the method's own errors on past years
(leave-one-year-out backtest), scaled by how much of the pagu is still unspent — not from an
assumed normal distribution. Without history, the default profile is used and the interval is
wide and labelled not calibrated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from ._vocab import columns as C
from ._absorption import item_months, month_panel, resolve_as_of
from ._config import Rules
from ._inputs import as_current, as_history
from .exceptions import ConfigError, ProjectionError

__all__ = [
    "DEFAULT_PROFILE",
    "METHODS",
    "Backtest",
    "Projection",
    "backtest_projection",
    "flag_threshold_risk",
    "project_absorption",
]

METHODS: Final = ("run-rate", "profile", "regression", "fisik-items")

#: Typical cumulative absorption of pagu at the end of each month (Jan..Dec), from the ranges
#: in ``GLOSSARY.md`` (midpoints): BOKB 10–25 % by March, 40–55 % by June, 65–75 % by
#: September, 90–100 % in December; DAK fisik 0–2 % by March, 5–15 % by June, 25–35 % by July,
#: ~50 % by September, 88–98 % in December. Used when there is no history.
DEFAULT_PROFILE: Final = {
    C.NONFISIK: (0.04, 0.10, 0.17, 0.25, 0.35, 0.47, 0.55, 0.62, 0.70, 0.78, 0.86, 0.95),
    C.FISIK: (0.0, 0.005, 0.01, 0.03, 0.06, 0.10, 0.30, 0.40, 0.50, 0.62, 0.75, 0.93),
}
_MIN_SHARE: Final = 0.02  # below this typical share, dividing by it is meaningless
_RIDGE: Final = 2.0  # pseudo-observations pulling the regression toward the simple blend
_MIN_RESIDUALS: Final = 12
_NO_HISTORY_SPREAD: Final = 0.35


# ================================================================================== inputs
def _deadlines(rules: Rules, years: Iterable[int]) -> dict[int, pd.Timestamp]:
    return {int(y): pd.Timestamp(rules.contract_deadline(int(y))) for y in years}


# =================================================================================== model
@dataclass(slots=True)
class _Model:
    """What is learned from history (or the defaults without it)."""

    share: dict[str, np.ndarray]  # kind -> typical share of the year's spending, months 1..12
    mean_year_end: dict[str, float]
    region_mean: dict[tuple[str, str], float]
    coefs: dict[tuple[str, int], np.ndarray]
    item_ratio: dict[tuple[int, str], float]  # (month, status) -> final / base
    year_ratio_median: dict[tuple[str, int], float]
    n_years: int


def _outcomes(panel: pd.DataFrame) -> pd.DataFrame:
    """Year-end absorption per region-year, where December was reached."""
    dec = panel[panel["bulan"] == 12]
    last = panel[panel["dilaporkan"]].groupby(["tahun", C.KODE_WILAYAH, C.JENIS_DAK])[
        "bulan"].max()
    dec = dec.set_index(["tahun", C.KODE_WILAYAH, C.JENIS_DAK])
    dec = dec[last.reindex(dec.index).fillna(0) >= 12]
    return dec["serapan"].rename("akhir").reset_index().dropna()


def _default_share(kind: str) -> np.ndarray:
    prof = np.asarray(DEFAULT_PROFILE[kind], dtype=float)
    return prof / prof[-1]


def _learn_share(panel: pd.DataFrame, outcomes: pd.DataFrame, kind: str) -> np.ndarray:
    o = outcomes[(outcomes[C.JENIS_DAK] == kind) & (outcomes["akhir"] > 0.2)]
    if o.empty:
        return _default_share(kind)
    p = panel[panel[C.JENIS_DAK] == kind].merge(o, on=["tahun", C.KODE_WILAYAH, C.JENIS_DAK])
    ratio = (p["serapan"] / p["akhir"]).clip(0, 1)
    med = ratio.groupby(p["bulan"]).median().reindex(range(1, 13))
    share = med.fillna(pd.Series(_default_share(kind), index=range(1, 13))).to_numpy()
    share = np.maximum.accumulate(np.clip(share, 0, 1))
    share[-1] = 1.0
    return share


def _features(cut: pd.DataFrame, model: _Model, kind: str, month: int,
              region_mean: pd.Series | None = None, items_cut: pd.DataFrame | None = None
              ) -> np.ndarray:
    """Design matrix [1, profile estimate, own past, stalled share, year ratio(, items)].

    For DAK fisik a sixth column is the item-level estimate (``fisik-items``), so the
    regression learns how much to trust the contracts signed so far.
    """
    s = model.share[kind][month - 1]
    a = cut["serapan"].to_numpy(dtype=float)
    f1 = np.clip(a / max(s, _MIN_SHARE), 0, 1.5)
    own = (region_mean if region_mean is not None else
           cut[C.KODE_WILAYAH].map(lambda k: model.region_mean.get((kind, k), np.nan)))
    f2 = pd.to_numeric(own, errors="coerce").fillna(model.mean_year_end[kind]).to_numpy()
    f3 = cut["macet"].fillna(0).to_numpy(dtype=float)
    yr = pd.Series(f1, index=cut.index).groupby(cut["tahun"].to_numpy()).transform("median")
    n_year = cut.groupby("tahun")[C.KODE_WILAYAH].transform("size").to_numpy()
    fallback = model.year_ratio_median.get((kind, month), 1.0)
    f4 = np.where(n_year >= 5, yr.to_numpy(), fallback)
    cols = [np.ones(len(cut)), f1, f2, f3, f4]
    if kind == C.FISIK:
        f5 = _items_estimate(cut, items_cut, model, month)
        cols.append(np.where(np.isnan(f5), f2, f5))
    return np.column_stack(cols)


def _fit_ridge(x: np.ndarray, y: np.ndarray, prior: np.ndarray, n_years: int) -> np.ndarray:
    lam = np.full(x.shape[1], _RIDGE)
    lam[0] = _RIDGE * 0.1
    # The year ratio is one value per year: with few years it is a year dummy that would
    # learn the noise of those years, so it is held near zero until there are many.
    lam[4] = _RIDGE * (50.0 if n_years < 3 else 4.0)
    coef = prior.copy()
    free = np.ones(x.shape[1], dtype=bool)
    for _ in range(3):  # profile estimate, own past and year ratio may not count negatively
        xs, ps, ls = x[:, free], prior[free], lam[free]
        a = xs.T @ xs + np.diag(ls)
        b = xs.T @ y + ls * ps
        sol = np.linalg.solve(a, b)
        coef = np.zeros(x.shape[1])
        coef[free] = sol
        neg = [j for j in (1, 2, 4, 5) if j < x.shape[1] and free[j] and coef[j] < 0]
        # A larger stalled share may not raise the projection (monotone in spending).
        pos = [3] if free[3] and coef[3] > 0 else []
        if not neg and not pos:
            break
        free[neg + pos] = False
    return coef


def _region_means(outcomes: pd.DataFrame, kind: str, leave_out: bool) -> pd.Series:
    """Each region's mean year-end; with leave_out, over the *other* years (index by row)."""
    o = outcomes[outcomes[C.JENIS_DAK] == kind]
    if not leave_out:
        return o.groupby(C.KODE_WILAYAH)["akhir"].mean()
    tot = o.groupby(C.KODE_WILAYAH)["akhir"].transform("sum")
    cnt = o.groupby(C.KODE_WILAYAH)["akhir"].transform("count")
    loo = (tot - o["akhir"]) / (cnt - 1).where(cnt > 1)
    return pd.Series(loo.to_numpy(), index=pd.MultiIndex.from_frame(o[["tahun",
                                                                      C.KODE_WILAYAH]]))


def _fit(panel: pd.DataFrame, items: pd.DataFrame) -> _Model:
    outcomes = _outcomes(panel)
    kinds = C.KINDS
    model = _Model(share={}, mean_year_end={}, region_mean={}, coefs={}, item_ratio={},
                   year_ratio_median={}, n_years=int(outcomes["tahun"].nunique()))
    # Item-level: what items in each state at month m went on to spend, relative to base.
    fis = items[items[C.JENIS_DAK] == C.FISIK]
    if not fis.empty:
        final = fis[fis["bulan"] == 12].set_index("_item")[C.REALISASI]
        fis = fis[fis["bulan"] < 12].assign(_final=lambda d: d["_item"].map(final))
        fis = fis[fis["_final"].notna() & (fis["tahun"].isin(outcomes["tahun"]))]
        base = np.where(fis["status"] == "kontrak", fis["kontrak"], fis[C.PAGU])
        fis = fis.assign(_base=base)
        agg = fis.groupby(["bulan", "status"])[["_final", "_base"]].sum()
        for (month, status), row in agg.iterrows():
            if row["_base"] > 0:
                model.item_ratio[(int(month), str(status))] = float(row["_final"] / row["_base"])
    for kind in kinds:
        model.share[kind] = _learn_share(panel, outcomes, kind)
        o = outcomes[outcomes[C.JENIS_DAK] == kind]
        model.mean_year_end[kind] = float(o["akhir"].mean()) if len(o) else \
            float(DEFAULT_PROFILE[kind][-1])
        for k, v in _region_means(outcomes, kind, leave_out=False).items():
            model.region_mean[(kind, str(k))] = float(v)
        if o.empty:
            continue
        loo = _region_means(outcomes, kind, leave_out=True)
        p = panel[panel[C.JENIS_DAK] == kind].merge(o, on=["tahun", C.KODE_WILAYAH,
                                                           C.JENIS_DAK])
        for month in range(1, 12):
            cut = p[p["bulan"] == month].reset_index(drop=True)
            if len(cut) < 3:
                continue
            own = loo.reindex(pd.MultiIndex.from_frame(cut[["tahun", C.KODE_WILAYAH]]))
            ic = items[(items[C.JENIS_DAK] == kind) & (items["bulan"] == month)]
            x = _features(cut, model, kind, month, pd.Series(own.to_numpy(), index=cut.index),
                          items_cut=ic)
            model.year_ratio_median[(kind, month)] = float(np.median(x[:, 4]))
            s = model.share[kind][month - 1]
            if x.shape[1] > 5:  # fisik: the item-level estimate plays the profile's part
                w = max(s, 0.5) if month >= 6 else s
                prior = np.array([0.0, 0.0, 1.0 - w, 0.0, 0.0, w])
            else:
                prior = np.array([0.0, s, 1.0 - s, 0.0, 0.0])
            model.coefs[(kind, month)] = _fit_ridge(x, cut["akhir"].to_numpy(), prior,
                                                    model.n_years)
    return model


def _default_model() -> _Model:
    return _Model(share={k: _default_share(k) for k in C.KINDS},
                  mean_year_end={k: float(DEFAULT_PROFILE[k][-1]) for k in C.KINDS},
                  region_mean={}, coefs={}, item_ratio={}, year_ratio_median={}, n_years=0)


# ============================================================================ predictions
_DEFAULT_ITEM_RATIO: Final = {"kontrak": 0.97, "proses": 0.6, "tanpa-kontrak": 0.4, "hilang": 0.0,
                              "swakelola": 0.9}


def _cap(cut: pd.DataFrame) -> np.ndarray:
    """What can still be spent, as a share of pagu (fisik pagu lost at the deadline is out)."""
    pagu = cut[C.PAGU].where(cut[C.PAGU] > 0)
    hilang = cut["hilang"].fillna(0) if "hilang" in cut else 0.0
    cap = ((pagu - hilang) / pagu).fillna(1.0).to_numpy(dtype=float)
    return np.maximum(cap, cut["serapan"].fillna(0).to_numpy(dtype=float))


def _items_estimate(cut: pd.DataFrame, items_cut: pd.DataFrame | None, model: _Model,
                    month: int) -> np.ndarray:
    """Item-level expected year-end absorption of DAK fisik regions (NaN without items)."""
    if items_cut is None or items_cut.empty:
        return np.full(len(cut), np.nan)
    ic = items_cut[items_cut["tahun"].isin(cut["tahun"].unique())]
    ratio = ic["status"].map(lambda st: model.item_ratio.get(
        (month, st), _DEFAULT_ITEM_RATIO.get(st, 0.9))).astype(float).to_numpy()
    base = np.where(ic["status"] == "kontrak", ic["kontrak"], ic[C.PAGU])
    real = ic[C.REALISASI].to_numpy(dtype=float)
    expected = np.minimum(np.maximum(real, ratio * base), ic[C.PAGU].to_numpy(dtype=float))
    expected = np.where(ic["status"] == "hilang", real, expected)
    key = list(zip(ic["tahun"], ic[C.KODE_WILAYAH], strict=True))
    total = pd.Series(expected, index=pd.MultiIndex.from_tuples(key)).groupby(level=[0, 1]).sum()
    idx = pd.MultiIndex.from_arrays([cut["tahun"], cut[C.KODE_WILAYAH]])
    pagu = cut[C.PAGU].to_numpy(dtype=float)
    got = total.reindex(idx).to_numpy()
    return np.where(pagu > 0, got / np.where(pagu > 0, pagu, 1), np.nan)


def _predict(method: str, cut: pd.DataFrame, items_cut: pd.DataFrame | None, model: _Model,
             kind: str, month: int) -> np.ndarray:
    a = cut["serapan"].fillna(0).to_numpy(dtype=float)
    if month >= 12:
        return a
    s = model.share[kind][month - 1]
    if method == "run-rate":
        pred = a * 12 / month
    elif method == "profile":
        pred = a / s if s >= _MIN_SHARE else np.full(len(a), model.mean_year_end[kind])
    elif method == "regression":
        coef = model.coefs.get((kind, month))
        if coef is None:
            own = cut[C.KODE_WILAYAH].map(lambda k: model.region_mean.get((kind, k), np.nan))
            own = pd.to_numeric(own).fillna(model.mean_year_end[kind]).to_numpy()
            prof = a / max(s, _MIN_SHARE)
            pred = s * np.clip(prof, 0, 1.5) + (1 - s) * own
        else:
            pred = _features(cut, model, kind, month, items_cut=items_cut) @ coef
    elif method == "fisik-items":
        if kind != C.FISIK or items_cut is None:
            return np.full(len(a), np.nan)
        pred = _items_estimate(cut, items_cut, model, month)
    else:
        msg = f"unknown method {method!r}; choose from {(*METHODS, 'auto')}"
        raise ConfigError(msg)
    return np.clip(pred, a, _cap(cut))


# ================================================================================ backtest
def _loyo_predictions(panel: pd.DataFrame, items: pd.DataFrame, methods: Sequence[str],
                      cutoffs: Sequence[int]) -> pd.DataFrame:
    """Leave-one-year-out predictions for every history year, method and cut-off month."""
    outcomes = _outcomes(panel)
    years = sorted(outcomes["tahun"].unique())
    rows = []
    for year in years:
        train_years = [y for y in years if y != year]
        if not train_years:
            continue
        model = _fit(panel[panel["tahun"].isin(train_years)],
                     items[items["tahun"].isin(train_years)])
        test = panel[panel["tahun"] == year]
        test_items = items[items["tahun"] == year]
        for kind in C.KINDS:
            o = outcomes[(outcomes["tahun"] == year) & (outcomes[C.JENIS_DAK] == kind)]
            if o.empty:
                continue
            for month in cutoffs:
                cut = test[(test[C.JENIS_DAK] == kind) & (test["bulan"] == month)]
                cut = cut.merge(o, on=["tahun", C.KODE_WILAYAH, C.JENIS_DAK]).reset_index(
                    drop=True)
                if cut.empty:
                    continue
                ic = test_items[(test_items[C.JENIS_DAK] == kind)
                                & (test_items["bulan"] == month)]
                for method in methods:
                    pred = _predict(method, cut, ic, model, kind, month)
                    if np.isnan(pred).all():
                        continue
                    rows.append(pd.DataFrame({
                        "tahun": year, C.KODE_WILAYAH: cut[C.KODE_WILAYAH], C.JENIS_DAK: kind,
                        "bulan": month, "metode": method, "serapan": cut["serapan"],
                        "proyeksi": pred, "akhir": cut["akhir"], "_cap": _cap(cut),
                    }))
    if not rows:
        return pd.DataFrame(columns=["tahun", C.KODE_WILAYAH, C.JENIS_DAK, "bulan", "metode",
                                     "serapan", "proyeksi", "akhir", "_cap"])
    return pd.concat(rows, ignore_index=True)


def _scale(serapan: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Errors scale with how much is still unspent (a finished OPD cannot move much)."""
    return np.maximum(cap - serapan, 0) + 0.05


def _best_methods(preds: pd.DataFrame) -> dict[tuple[str, int], str]:
    """Per (kind, month): the method with the lowest mean absolute error (ties: simpler)."""
    if preds.empty:
        return {}
    err = (preds["proyeksi"] - preds["akhir"]).abs()
    mae = err.groupby([preds[C.JENIS_DAK], preds["bulan"], preds["metode"]]).mean()
    best: dict[tuple[str, int], str] = {}
    for (kind, month), grp in mae.groupby(level=[0, 1]):
        by_method = {idx[2]: float(v) for idx, v in grp.items()}
        # The regression is the default; another method must beat it clearly (by 10 %), so
        # that a short history's noise does not flip the choice month by month.
        choice = "regression" if "regression" in by_method else min(by_method,
                                                                      key=by_method.get)
        for m, v in sorted(by_method.items(), key=lambda kv: kv[1]):
            if m != choice and v < 0.9 * by_method[choice]:
                choice = m
            break
        best[(str(kind), int(month))] = choice
    return best


def _residuals(preds: pd.DataFrame) -> dict[tuple[str, int, str], np.ndarray]:
    out: dict[tuple[str, int, str], np.ndarray] = {}
    if preds.empty:
        return out
    z = (preds["akhir"] - preds["proyeksi"]) / _scale(preds["serapan"].to_numpy(),
                                                      preds["_cap"].to_numpy())
    for key, grp in z.groupby([preds[C.JENIS_DAK], preds["bulan"], preds["metode"]]):
        out[(str(key[0]), int(key[1]), str(key[2]))] = grp.to_numpy()
    return out


def _interval(pred: np.ndarray, serapan: np.ndarray, cap: np.ndarray,
              z: np.ndarray | None, interval: float, threshold: float
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Lower, upper and P(year-end < threshold) from scaled empirical errors."""
    scale = _scale(serapan, cap)
    if z is None or len(z) < _MIN_RESIDUALS:
        half = _NO_HISTORY_SPREAD * scale
        lo, hi = np.clip(pred - half, serapan, cap), np.clip(pred + half, serapan, cap)
        # Uncalibrated: a flat distribution over [pred - half, pred + half], then what can
        # actually happen (absorption to date, what can still be spent) decides.
        p = np.clip((threshold - (pred - half)) / np.maximum(2 * half, 1e-9), 0, 1)
        p = np.where(cap < threshold, 1.0, np.where(serapan >= threshold, 0.0, p))
        return lo, hi, p, False
    q_lo, q_hi = np.quantile(z, [(1 - interval) / 2, (1 + interval) / 2])
    # A biased method's errors can all lie on one side; the interval still contains the point.
    lo = np.minimum(np.clip(pred + q_lo * scale, serapan, cap), pred)
    hi = np.maximum(np.clip(pred + q_hi * scale, serapan, cap), pred)
    sims = np.clip(pred[:, None] + z[None, :] * scale[:, None], serapan[:, None], cap[:, None])
    p = (sims < threshold).mean(axis=1)
    return lo, hi, p, True


def _status(p: np.ndarray, rules: Rules) -> np.ndarray:
    return np.select([p >= rules.will_miss_probability, p >= rules.at_risk_probability],
                     ["will-miss", "at-risk"], default="on-track").astype(object)


@dataclass(frozen=True, slots=True)
class Backtest:
    """Accuracy of the projection methods on past years (leave-one-year-out).

    Attributes
    ----------
    table : DataFrame
        Per ``metode``, ``jenis_dak`` and cut-off ``bulan``: ``n`` (region-years),
        ``mae_pp`` (mean absolute error, percentage points), ``bias_pp`` (mean of projected −
        actual), ``coverage`` (share of actual outcomes inside the interval), ``precision`` and
        ``recall`` of the ``at-risk`` + ``will-miss`` statuses against the OPDs that actually
        ended below the threshold, and ``n_below`` (how many did).
    predictions : DataFrame
        Every backtest projection: year, region, kind, month, method, projected, interval,
        actual.
    """

    table: pd.DataFrame
    predictions: pd.DataFrame
    threshold: float
    interval: float

    def summary(self, *, jenis_dak: str | None = None) -> pd.DataFrame:
        """MAE (pp) per cut-off month (rows) and method (columns)."""
        t = self.table if jenis_dak is None else self.table[self.table[C.JENIS_DAK] == jenis_dak]
        return t.pivot_table(index=[C.JENIS_DAK, "bulan"], columns="metode", values="mae_pp")


def backtest_projection(history: Any, *, methods: Sequence[str] = (*METHODS, "auto"),
                        cutoffs: Iterable[int] = range(1, 12), interval: float = 0.8,
                        rules: Rules | None = None, threshold: float | None = None) -> Backtest:
    """Project each past year from its data up to each cut-off month; compare with the outcome.

    For each year in ``history``, every method is fitted on the *other* years only, so the
    errors are those a user would have seen. ``auto`` chooses its method on the training
    years alone (nested), and every interval comes from the training years' own errors.

    Parameters
    ----------
    history : DataFrame, Export, ValidationReport, or path(s)
        Two or more complete fiscal years (January–December).
    methods : sequence of str
        From ``("run-rate", "profile", "regression", "fisik-items", "auto")``.
    cutoffs : iterable of int
        Cut-off months (1–11).

    Returns
    -------
    Backtest

    Examples
    --------
    >>> from dak_monitor.datasets import make_export
    >>> hist = pd.concat([make_export("nonfisik", year=y, seed=3) for y in (2021, 2022, 2023)])
    >>> bt = backtest_projection(hist, methods=["run-rate", "regression"], cutoffs=[6])
    >>> bt.table[["metode", "jenis_dak", "bulan", "n"]]   # 27 regions x 3 years each
           metode jenis_dak  bulan   n
    0  regression  nonfisik      6  81
    1    run-rate  nonfisik      6  81
    """
    rules = rules or Rules()
    threshold = rules.threshold if threshold is None else threshold
    frame = as_history(history)
    if frame is None or frame.empty:
        msg = "backtest_projection needs history: two or more complete fiscal years"
        raise ProjectionError(msg)
    cutoffs = [int(m) for m in cutoffs]
    bad = [m for m in methods if m not in (*METHODS, "auto")]
    if bad:
        msg = f"unknown method(s) {bad}; choose from {(*METHODS, 'auto')}"
        raise ConfigError(msg)
    items = item_months(frame, deadlines=_deadlines(rules, frame[C.TAHUN].dropna().unique()))
    panel = month_panel(frame, items=items)
    years = sorted(_outcomes(panel)["tahun"].unique())
    if len(years) < 2:
        msg = (f"backtest_projection needs two or more complete fiscal years; found "
               f"{years or 'none'} (a year counts when its December is reported)")
        raise ProjectionError(msg)
    base = [m for m in METHODS if m in methods or "auto" in methods]
    # Each year projected by models fitted on all the other years (computed once).
    all_outer = _loyo_predictions(panel, items, base, cutoffs)
    out = []
    for year in years:
        train = [y for y in years if y != year]
        tr_panel, tr_items = panel[panel["tahun"].isin(train)], items[items["tahun"].isin(train)]
        inner = _loyo_predictions(tr_panel, tr_items, base, cutoffs)
        best = _best_methods(inner)
        resid = _residuals(inner)
        outer = all_outer[all_outer["tahun"] == year]
        if "auto" in methods and len(outer):
            chosen = pd.Series([best.get((k, int(m)), "profile") for k, m in
                                zip(outer[C.JENIS_DAK], outer["bulan"], strict=True)],
                               index=outer.index)
            auto = outer[outer["metode"] == chosen].assign(
                metode_dipilih=lambda d: d["metode"], metode="auto")
            outer = pd.concat([outer, auto], ignore_index=True)
        for (kind, month, method), grp in outer.groupby([C.JENIS_DAK, "bulan", "metode"]):
            src = grp["metode_dipilih"].iloc[0] if method == "auto" else method
            z = resid.get((str(kind), int(month), str(src)))
            lo, hi, p, _cal = _interval(grp["proyeksi"].to_numpy(), grp["serapan"].to_numpy(),
                                        grp["_cap"].to_numpy(), z, interval, threshold)
            out.append(grp.assign(batas_bawah=lo, batas_atas=hi, p_di_bawah=p,
                                  status=_status(p, rules)))
    preds = pd.concat(out, ignore_index=True)
    preds = preds[preds["metode"].isin(methods)]
    table = _score(preds, threshold)
    return Backtest(table=table, predictions=preds.drop(columns=["_cap"]).reset_index(drop=True),
                    threshold=threshold, interval=interval)


def _score(preds: pd.DataFrame, threshold: float) -> pd.DataFrame:
    rows = []
    for (method, kind, month), g in preds.groupby(["metode", C.JENIS_DAK, "bulan"]):
        err = g["proyeksi"] - g["akhir"]
        below = g["akhir"] < threshold
        flagged = g["status"].isin(["at-risk", "will-miss"])
        tp = int((below & flagged).sum())
        rows.append({
            "metode": method, C.JENIS_DAK: kind, "bulan": int(month), "n": len(g),
            "mae_pp": 100 * float(err.abs().mean()), "bias_pp": 100 * float(err.mean()),
            "coverage": float(((g["akhir"] >= g["batas_bawah"] - 1e-9)
                               & (g["akhir"] <= g["batas_atas"] + 1e-9)).mean()),
            "precision": tp / int(flagged.sum()) if flagged.any() else np.nan,
            "recall": tp / int(below.sum()) if below.any() else np.nan,
            "n_below": int(below.sum()),
        })
    return pd.DataFrame(rows)


# ============================================================================== projection
@dataclass(frozen=True, slots=True)
class Projection:
    """Year-end absorption projections per OPD × jenis DAK.

    Attributes
    ----------
    table : DataFrame
        One row per ``kode_wilayah`` × ``jenis_dak``: ``nama_wilayah``, ``tahun``,
        ``periode`` (as of), ``bulan``, ``pagu``, ``realisasi``, ``serapan`` (to date),
        ``proyeksi`` (projected year-end absorption), ``batas_bawah``/``batas_atas`` (the
        interval), ``p_di_bawah_ambang`` (probability of ending below the threshold),
        ``status`` (``on-track``, ``at-risk``, ``will-miss``), ``metode``, ``terkalibrasi``
        (interval from past errors, or not), ``pagu_hilang`` (DAK fisik pagu with no contract
        after the deadline: lost, still in the denominator), ``pagu_tanpa_kontrak`` (no
        contract yet, deadline ahead), ``baris_karantina`` and ``pagu_karantina`` (rows and
        pagu quarantined by validation), ``data_lengkap`` (False when any row was
        quarantined: the projection rests on part of the money) and ``dilaporkan`` (the OPD
        reported in the as-of month itself).
    profile : DataFrame
        Typical cumulative absorption of pagu at the end of each month (index ``bulan``
        1–12, a column per jenis DAK): learned from history, or :data:`DEFAULT_PROFILE`.
    notes : list of str
        What the projection rests on (e.g. no history: default profile, not calibrated).
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    threshold: float
    interval: float
    method: str
    rules: Rules
    profile: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines: as-of, threshold, counts per status, notes."""
        t = self.table
        counts = t["status"].value_counts().to_dict()
        lines = [f"Proyeksi serapan akhir tahun per {self.as_of:%Y-%m} (ambang "
                 f"{self.threshold:.0%}, interval {self.interval:.0%}, metode {self.method}): "
                 + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))]
        incomplete = int((~t["data_lengkap"]).sum()) if len(t) else 0
        if incomplete:
            lines.append(f"  {incomplete} OPD × jenis DAK with quarantined rows: data incomplete")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def _quarantine_stats(quarantine: pd.DataFrame | None, year: int) -> pd.DataFrame:
    cols = [C.KODE_WILAYAH, C.JENIS_DAK, "baris_karantina", "pagu_karantina"]
    if quarantine is None or quarantine.empty:
        return pd.DataFrame(columns=cols)
    q = quarantine
    if C.TAHUN in q:
        q = q[(q[C.TAHUN].astype("Float64") == year).fillna(True)]
    g = q.groupby([C.KODE_WILAYAH, C.JENIS_DAK], dropna=False).agg(
        baris_karantina=(C.SUMBER_BARIS, "size"),
        pagu_karantina=(C.PAGU, lambda s: float(pd.to_numeric(s, errors="coerce").sum())))
    return g.reset_index()


def project_absorption(frame: Any, *, history: Any = None, method: str = "auto",
                       rules: Rules | None = None, threshold: float | None = None,
                       as_of: object = None, interval: float = 0.8) -> Projection:
    """Project each OPD's year-end absorption and the chance it ends below the threshold.

    Parameters
    ----------
    frame : ValidationReport, Export or DataFrame
        The current year's data; a ValidationReport's valid rows are used and its quarantine
        marks OPDs whose data are incomplete. Rows of earlier years in ``frame`` are used as
        history too.
    history : ValidationReport, Export, DataFrame or path(s), optional
        Earlier complete years (January–December) to learn profiles, models and errors from.
    method : {"auto", "run-rate", "profile", "regression", "fisik-items"}
    rules : Rules, optional
        Threshold (0.93), status cut-offs, contract deadlines.
    threshold : float, optional
        Overrides ``rules.threshold``.
    as_of : str or date, optional
        Period to project from (default: the latest in ``frame``; never the clock).
    interval : float
        Coverage of the interval (0.8: an 80 % interval).

    Returns
    -------
    Projection

    Examples
    --------
    >>> from dak_monitor.datasets import make_export
    >>> cur = make_export("nonfisik", year=2024, months=range(1, 7), seed=0)
    >>> proj = project_absorption(cur)          # no history: default profile, not calibrated
    >>> proj.table[["kode_wilayah", "serapan", "proyeksi", "status"]].head(2)  # doctest: +SKIP
    >>> proj.notes[0]
    'no history: the default profile from GLOSSARY.md is used and the intervals are wide and not calibrated'
    """
    rules = rules or Rules()
    if threshold is not None:
        rules = dataclasses.replace(rules, threshold=float(threshold))
    if not 0 < interval < 1:
        msg = f"interval must be between 0 and 1 (e.g. 0.8), not {interval!r}"
        raise ConfigError(msg)
    if method not in (*METHODS, "auto"):
        msg = f"unknown method {method!r}; choose from {(*METHODS, 'auto')}"
        raise ConfigError(msg)
    current, quarantine = as_current(frame)
    when = resolve_as_of(current, as_of)
    year, month = when.year, when.month
    hist = as_history(history)
    earlier = current[current[C.TAHUN].astype("Float64") < year]
    hist = pd.concat([h for h in (hist, earlier) if h is not None and len(h)],
                     ignore_index=True) if (hist is not None or len(earlier)) else None
    if hist is not None:
        hist = hist[hist[C.TAHUN].astype("Float64") < year]
    cur = current[current[C.TAHUN].astype("Float64") == year]
    cur = cur[pd.to_datetime(cur[C.PERIODE]) <= when]
    if cur.empty:
        msg = f"no rows of fiscal year {year} up to {when:%Y-%m} to project from"
        raise ProjectionError(msg)
    all_years = set(cur[C.TAHUN].dropna().astype(int)) | (
        set(hist[C.TAHUN].dropna().astype(int)) if hist is not None else set())
    dl = _deadlines(rules, all_years)
    items_cur = item_months(cur, deadlines=dl)
    panel_cur = month_panel(cur, items=items_cur)
    cut = panel_cur[panel_cur["bulan"] == month].reset_index(drop=True)
    ic_all = items_cur[items_cur["bulan"] == month]
    notes: list[str] = []
    resid: dict[tuple[str, int, str], np.ndarray] = {}
    best: dict[tuple[str, int], str] = {}
    model = _default_model()
    if hist is not None and len(hist):
        items_h = item_months(hist, deadlines=dl)
        panel_h = month_panel(hist, items=items_h)
        n_years = int(_outcomes(panel_h)["tahun"].nunique())
        if n_years >= 1:
            model = _fit(panel_h, items_h)
        if n_years >= 2:
            preds = _loyo_predictions(panel_h, items_h, list(METHODS), [month] if month < 12
                                      else [11])
            resid = _residuals(preds)
            best = _best_methods(preds)
        else:
            notes.append(f"history has {n_years} complete year(s): intervals need two or more "
                         f"to be calibrated; the default spread is used")
    else:
        notes.append("no history: the default profile from GLOSSARY.md is used and the "
                     "intervals are wide and not calibrated")
    parts = []
    for kind in C.KINDS:
        c = cut[cut[C.JENIS_DAK] == kind].reset_index(drop=True)
        if c.empty:
            continue
        chosen = method
        if method == "auto":
            chosen = best.get((kind, month), "regression" if model.n_years >= 2 else "profile")
        if chosen == "fisik-items" and kind != C.FISIK:
            chosen = "regression" if model.n_years >= 1 else "profile"
        ic = ic_all[ic_all[C.JENIS_DAK] == kind]
        pred = _predict(chosen, c, ic, model, kind, month)
        serapan = c["serapan"].fillna(0).to_numpy(dtype=float)
        cap = _cap(c)
        if month >= 12:
            lo, hi, p = serapan, serapan, (serapan < rules.threshold).astype(float)
            calibrated = True
        else:
            lo, hi, p, calibrated = _interval(pred, serapan, cap, resid.get((kind, month,
                                                                                chosen)),
                                              interval, rules.threshold)
        parts.append(c.assign(proyeksi=pred, batas_bawah=lo, batas_atas=hi,
                              p_di_bawah_ambang=p, metode=chosen, terkalibrasi=calibrated))
    table = pd.concat(parts, ignore_index=True)
    table["status"] = _status(table["p_di_bawah_ambang"].to_numpy(), rules)
    table = _decorate(table, cur, quarantine, when)
    profile = pd.DataFrame({k: v * model.mean_year_end[k] for k, v in model.share.items()},
                           index=range(1, 13))
    profile.index.name = "bulan"
    return Projection(table=table, as_of=when, threshold=rules.threshold, interval=interval,
                      method=method, rules=rules, profile=profile, notes=notes)


def _decorate(table: pd.DataFrame, cur: pd.DataFrame, quarantine: pd.DataFrame | None,
              when: pd.Timestamp) -> pd.DataFrame:
    names = (cur.dropna(subset=[C.NAMA_WILAYAH]).drop_duplicates(C.KODE_WILAYAH, keep="last")
             .set_index(C.KODE_WILAYAH)[C.NAMA_WILAYAH])
    from ._regions import load_regions  # noqa: PLC0415

    ref = load_regions()
    official = ref.drop_duplicates("kode").set_index("kode")["nama"]
    table["nama_wilayah"] = table[C.KODE_WILAYAH].map(official).fillna(
        table[C.KODE_WILAYAH].map(names))
    q = _quarantine_stats(quarantine, when.year)
    for frame in (q, table):  # quarantined rows may have no code at all (all NaN: float)
        for key in (C.KODE_WILAYAH, C.JENIS_DAK):
            frame[key] = frame[key].astype(object)
    table = table.merge(q, on=[C.KODE_WILAYAH, C.JENIS_DAK], how="left")
    table["baris_karantina"] = table["baris_karantina"].fillna(0).astype(int)
    table["pagu_karantina"] = table["pagu_karantina"].fillna(0.0)
    table["data_lengkap"] = table["baris_karantina"] == 0
    table["periode"] = when
    table = table.rename(columns={"hilang": "pagu_hilang", "tanpa_kontrak": "pagu_tanpa_kontrak"})
    cols = [C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, "tahun", "periode", "bulan", C.PAGU,
            C.REALISASI, "serapan", "proyeksi", "batas_bawah", "batas_atas",
            "p_di_bawah_ambang", "status", "metode", "terkalibrasi", "pagu_hilang",
            "pagu_tanpa_kontrak", "macet", "baris_karantina", "pagu_karantina", "data_lengkap",
            "dilaporkan"]
    return table[cols].sort_values([C.JENIS_DAK, C.KODE_WILAYAH]).reset_index(drop=True)


# =================================================================================== flags
_FLAG_TEXT: Final = {
    "will-miss-threshold": (
        "error", "Diproyeksikan di bawah ambang", "Projected to miss the threshold",
        "Serapan {jenis} diproyeksikan {proyeksi} (interval {bawah}–{atas}) di bawah ambang "
        "{ambang}; peluang di bawah ambang {p}.",
        "{jenis} absorption is projected at {proyeksi} (interval {bawah}–{atas}), below the "
        "{ambang} threshold; probability below it {p}."),
    "at-risk-threshold": (
        "warning", "Berisiko di bawah ambang", "At risk of missing the threshold",
        "Serapan {jenis} diproyeksikan {proyeksi} (interval {bawah}–{atas}); peluang di bawah "
        "ambang {ambang} adalah {p}.",
        "{jenis} absorption is projected at {proyeksi} (interval {bawah}–{atas}); probability "
        "of ending below the {ambang} threshold is {p}."),
}


def flag_threshold_risk(projection: Projection) -> pd.DataFrame:
    """Flags ``will-miss-threshold`` / ``at-risk-threshold`` for the flag catalogue.

    Returns one row per flagged OPD × jenis DAK: ``kode_wilayah``, ``nama_wilayah``,
    ``jenis_dak``, ``code``, ``severity``, ``title_id``, ``title_en``, ``pesan``, ``message``
    and the evidence (``serapan``, ``proyeksi``, bounds, probability, ``periode``).

    Examples
    --------
    >>> from dak_monitor.datasets import make_export
    >>> proj = project_absorption(make_export("fisik", year=2024, months=range(1, 7), seed=0))
    >>> set(flag_threshold_risk(proj)["code"]) <= {"will-miss-threshold", "at-risk-threshold"}
    True
    """
    t = projection.table
    sel = t[t["status"].isin(["will-miss", "at-risk"])].copy()
    code = np.where(sel["status"] == "will-miss", "will-miss-threshold", "at-risk-threshold")
    sel["code"] = code
    rows = []
    for rec, c in zip(sel.to_dict("records"), code, strict=True):
        sev, tid, ten, pid, pen = _FLAG_TEXT[c]
        ctx = {"jenis": "DAK fisik" if rec[C.JENIS_DAK] == C.FISIK else "BOKB (nonfisik)",
               "proyeksi": f"{rec['proyeksi']:.1%}", "bawah": f"{rec['batas_bawah']:.1%}",
               "atas": f"{rec['batas_atas']:.1%}", "ambang": f"{projection.threshold:.0%}",
               "p": f"{rec['p_di_bawah_ambang']:.0%}"}
        ctx_id = {k: v.replace(".", ",") if k != "jenis" else v for k, v in ctx.items()}
        if not rec.get("terkalibrasi", True):
            pid, pen = pid + " (interval tidak terkalibrasi)", pen + " (interval not calibrated)"
        rows.append({C.KODE_WILAYAH: rec[C.KODE_WILAYAH], "nama_wilayah": rec["nama_wilayah"],
                     C.JENIS_DAK: rec[C.JENIS_DAK], "code": c, "severity": sev,
                     "title_id": tid, "title_en": ten, "pesan": pid.format(**ctx_id),
                     "message": pen.format(**ctx), "serapan": rec["serapan"],
                     "proyeksi": rec["proyeksi"], "batas_bawah": rec["batas_bawah"],
                     "batas_atas": rec["batas_atas"],
                     "p_di_bawah_ambang": rec["p_di_bawah_ambang"],
                     "periode": rec["periode"], "data_lengkap": rec["data_lengkap"]})
    cols = [C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, "code", "severity", "title_id",
            "title_en", "pesan", "message", "serapan", "proyeksi", "batas_bawah", "batas_atas",
            "p_di_bawah_ambang", "periode", "data_lengkap"]
    return pd.DataFrame(rows, columns=cols)
