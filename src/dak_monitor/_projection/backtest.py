"""Leave-one-year-out backtest of the projection methods: predictions, errors, scores.

Each history year is projected by methods fitted on the *other* years only
(:func:`loyo_predictions`). The same predictions give each method's scaled errors
(:func:`residuals`, the intervals' raw material) and the ``auto`` choice
(:func:`best_methods`, by the rule :data:`~.methods.AUTO`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._config import Rules
from .._inputs import as_history
from .._vocab import AT_RISK_STATUSES
from .._vocab import columns as C
from ..exceptions import ConfigError, ProjectionError
from .intervals import empirical_interval, scale, status
from .methods import AUTO, choices, fit, names, predict
from .shared import cap, month_state, outcomes

__all__ = ["Backtest", "backtest_projection", "best_methods", "loyo_predictions", "residuals"]


def loyo_predictions(panel: pd.DataFrame, items: pd.DataFrame, methods: Sequence[str],
                     cutoffs: Sequence[int]) -> pd.DataFrame:
    """Leave-one-year-out predictions for every history year, method and cut-off month."""
    out = outcomes(panel)
    years = sorted(out["tahun"].unique())
    rows = []
    for year in years:
        train_years = [y for y in years if y != year]
        if not train_years:
            continue
        fitted = fit(panel[panel["tahun"].isin(train_years)],
                     items[items["tahun"].isin(train_years)], methods)
        test = panel[panel["tahun"] == year]
        test_items = items[items["tahun"] == year]
        for kind in C.KINDS:
            o = out[(out["tahun"] == year) & (out[C.JENIS_DAK] == kind)]
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
                    pred = predict(method, cut, ic, fitted, kind, month)
                    if np.isnan(pred).all():
                        continue
                    rows.append(pd.DataFrame({
                        "tahun": year, C.KODE_WILAYAH: cut[C.KODE_WILAYAH], C.JENIS_DAK: kind,
                        "bulan": month, "metode": method, "serapan": cut["serapan"],
                        "proyeksi": pred, "akhir": cut["akhir"], "_cap": cap(cut),
                    }))
    if not rows:
        return pd.DataFrame(columns=["tahun", C.KODE_WILAYAH, C.JENIS_DAK, "bulan", "metode",
                                     "serapan", "proyeksi", "akhir", "_cap"])
    return pd.concat(rows, ignore_index=True)


def best_methods(preds: pd.DataFrame) -> dict[tuple[str, int], str]:
    """Per (kind, month): the ``auto`` choice (:data:`~.methods.AUTO`) from the backtest MAE."""
    if preds.empty:
        return {}
    err = (preds["proyeksi"] - preds["akhir"]).abs()
    mae = err.groupby([preds[C.JENIS_DAK], preds["bulan"], preds["metode"]]).mean()
    best: dict[tuple[str, int], str] = {}
    for (kind, month), grp in mae.groupby(level=[0, 1]):
        best[(str(kind), int(month))] = AUTO.choose({idx[2]: float(v) for idx, v in grp.items()})
    return best


def residuals(preds: pd.DataFrame) -> dict[tuple[str, int, str], np.ndarray]:
    """Scaled errors (actual − projected) / :func:`~.intervals.scale` per (kind, month, method)."""
    out: dict[tuple[str, int, str], np.ndarray] = {}
    if preds.empty:
        return out
    z = (preds["akhir"] - preds["proyeksi"]) / scale(preds["serapan"].to_numpy(),
                                                     preds["_cap"].to_numpy())
    for key, grp in z.groupby([preds[C.JENIS_DAK], preds["bulan"], preds["metode"]]):
        out[(str(key[0]), int(key[1]), str(key[2]))] = grp.to_numpy()
    return out


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


def backtest_projection(history: Any, *, methods: Sequence[str] | None = None,
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
    methods : sequence of str, optional
        From ``("run-rate", "profile", "regression", "fisik-items", "auto")`` (default: all,
        with any registered method).
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
    methods = choices() if methods is None else methods
    bad = [m for m in methods if m not in choices()]
    if bad:
        msg = f"unknown method(s) {bad}; choose from {choices()}"
        raise ConfigError(msg)
    items, panel = month_state(frame, rules)
    years = sorted(outcomes(panel)["tahun"].unique())
    if len(years) < 2:
        msg = (f"backtest_projection needs two or more complete fiscal years; found "
               f"{years or 'none'} (a year counts when its December is reported)")
        raise ProjectionError(msg)
    base = [m for m in names() if m in methods or "auto" in methods]
    # Each year projected by models fitted on all the other years (computed once).
    all_outer = loyo_predictions(panel, items, base, cutoffs)
    out = []
    for year in years:
        train = [y for y in years if y != year]
        tr_panel, tr_items = panel[panel["tahun"].isin(train)], items[items["tahun"].isin(train)]
        inner = loyo_predictions(tr_panel, tr_items, base, cutoffs)
        best = best_methods(inner)
        resid = residuals(inner)
        outer = all_outer[all_outer["tahun"] == year]
        if "auto" in methods and len(outer):
            chosen = pd.Series([best.get((k, int(m)), AUTO.fallback) for k, m in
                                zip(outer[C.JENIS_DAK], outer["bulan"], strict=True)],
                               index=outer.index)
            auto = outer[outer["metode"] == chosen].assign(
                metode_dipilih=lambda d: d["metode"], metode="auto")
            outer = pd.concat([outer, auto], ignore_index=True)
        for (kind, month, method), grp in outer.groupby([C.JENIS_DAK, "bulan", "metode"]):
            src = grp["metode_dipilih"].iloc[0] if method == "auto" else method
            z = resid.get((str(kind), int(month), str(src)))
            lo, hi, p, _cal = empirical_interval(
                grp["proyeksi"].to_numpy(), grp["serapan"].to_numpy(), grp["_cap"].to_numpy(),
                z, interval, threshold)
            out.append(grp.assign(batas_bawah=lo, batas_atas=hi, p_di_bawah=p,
                                  status=status(p, rules)))
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
        flagged = g["status"].isin(AT_RISK_STATUSES)
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
