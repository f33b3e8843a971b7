"""The projection methods, as a registry: each method is one class, registered once.

A method (a subclass of :class:`Method`) has

``name`` and ``description``
    Its ``method=`` value and one line saying what it does.
``kinds``
    The jenis DAK it applies to (``fisik-items``: DAK fisik only).
``fit(history_panel, history_items, shared) -> params``
    What it learns from history beyond the :class:`~.shared.SharedFit` (which holds what
    several methods learn in common). Called with ``None`` panels when there is no history;
    by default the params are the shared fit itself.
``predict(cut, items_cut, params, kind, month) -> array``
    The year-end absorption of each region of ``cut`` (the region panel at the cut-off
    ``month``; ``items_cut`` its items). :func:`predict` clips it to [absorption to date, what
    can still be spent] and gives the actual absorption once December is reached.
``fallback(n_years) -> name``
    The method used instead for a jenis DAK outside ``kinds``.

Adding a method: write a subclass and decorate it with :func:`register`; ``project_absorption``
and ``backtest_projection`` (and ``auto``) then use it. The registry order is :data:`METHODS`.
How ``method="auto"`` chooses among the methods is :data:`AUTO`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final, TypeVar

import numpy as np
import pandas as pd

from .._vocab import columns as C
from ..exceptions import ConfigError
from .shared import (
    MIN_SHARE,
    SharedFit,
    cap,
    default_shared,
    fit_shared,
    profile_ratio,
    region_means,
    training_cuts,
    year_ratio,
)

__all__ = [
    "AUTO",
    "METHODS",
    "AutoRule",
    "Fitted",
    "Method",
    "choices",
    "fit",
    "get",
    "names",
    "predict",
    "register",
    "resolve",
    "unregister",
]


# ================================================================================ registry
class Method:
    """One projection method: subclass, set the class attributes, decorate with register."""

    name: ClassVar[str]
    description: ClassVar[str]
    kinds: ClassVar[tuple[str, ...]] = C.KINDS

    def fit(self, panel: pd.DataFrame | None, items: pd.DataFrame | None,
            shared: SharedFit) -> Any:
        """What the method learns from history (``panel`` is None without history)."""
        return shared

    def predict(self, cut: pd.DataFrame, items_cut: pd.DataFrame | None, params: Any,
                kind: str, month: int) -> np.ndarray:
        """Year-end absorption of each region of ``cut`` (clipped by :func:`predict`)."""
        raise NotImplementedError

    def fallback(self, n_years: int) -> str | None:
        """The method to use for a jenis DAK outside ``kinds`` (None: there is none)."""
        return None


_REGISTRY: dict[str, Method] = {}
_M = TypeVar("_M", bound=type[Method])


def register(cls: _M) -> _M:
    """Class decorator: add a method to the registry (after those already there)."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name or name == "auto" or name in _REGISTRY:
        msg = f"cannot register a projection method named {name!r}"
        raise ConfigError(msg)
    if not getattr(cls, "description", "") or not set(cls.kinds) <= set(C.KINDS):
        msg = f"projection method {name!r} needs a description and kinds from {C.KINDS}"
        raise ConfigError(msg)
    _REGISTRY[name] = cls()
    return cls


def unregister(name: str) -> None:
    """Remove a method added with :func:`register` (the built-in ones stay)."""
    if name in METHODS or name not in _REGISTRY:
        msg = f"cannot unregister projection method {name!r}"
        raise ConfigError(msg)
    del _REGISTRY[name]


def names() -> tuple[str, ...]:
    """The registered methods, in registry order."""
    return tuple(_REGISTRY)


def choices() -> tuple[str, ...]:
    """What ``method=`` accepts: the registered methods and ``"auto"``."""
    return (*names(), "auto")


def get(name: str) -> Method:
    """The registered method called ``name``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        msg = f"unknown method {name!r}; choose from {choices()}"
        raise ConfigError(msg) from None


def resolve(name: str, kind: str, n_years: int) -> str:
    """``name``, or its fallback (and so on) where it does not apply to ``kind``."""
    seen = [name]
    while kind not in get(name).kinds:
        nxt = get(name).fallback(n_years)
        if nxt is None or nxt in seen:
            msg = f"projection method {seen[0]!r} does not apply to {kind} and has no fallback"
            raise ConfigError(msg)
        name = nxt
        seen.append(name)
    return name


@dataclass(frozen=True, slots=True)
class Fitted:
    """What was learned from one history: the shared fit and each method's params."""

    shared: SharedFit
    params: dict[str, Any]

    @property
    def n_years(self) -> int:
        """Complete years of history (0: defaults)."""
        return self.shared.n_years


def fit(panel: pd.DataFrame | None, items: pd.DataFrame | None,
        methods: Sequence[str] | None = None) -> Fitted:
    """Fit the shared parts, then each method (default: all registered); None: no history."""
    shared = default_shared() if panel is None or items is None else fit_shared(panel, items)
    return Fitted(shared, {m: get(m).fit(panel, items, shared)
                           for m in (names() if methods is None else methods)})


def _to_date(cut: pd.DataFrame) -> np.ndarray:
    return cut["serapan"].fillna(0).to_numpy(dtype=float)


def predict(name: str, cut: pd.DataFrame, items_cut: pd.DataFrame | None, fitted: Fitted,
            kind: str, month: int) -> np.ndarray:
    """Method ``name``'s projection, within [absorption to date, what can still be spent].

    From December on, the absorption to date; NaN where the method does not apply to ``kind``.
    """
    method = get(name)
    a = _to_date(cut)
    if month >= 12:
        return a
    if kind not in method.kinds:
        return np.full(len(a), np.nan)
    pred = method.predict(cut, items_cut, fitted.params[name], kind, month)
    return np.clip(pred, a, cap(cut))


# ================================================================================== auto
@dataclass(frozen=True, slots=True)
class AutoRule:
    """How ``method="auto"`` chooses, per jenis DAK and cut-off month, from backtest errors.

    ``default`` is the choice unless the method with the lowest error beats it by more than
    ``margin`` (so that a short history's noise does not flip the choice month by month).
    Without backtest errors: ``default`` with ``min_years`` complete years, else ``fallback``.
    """

    default: str = "regression"
    margin: float = 0.10
    min_years: int = 2
    fallback: str = "profile"

    def choose(self, mae: Mapping[str, float]) -> str:
        """The method for one (kind, month), from each method's mean absolute error."""
        choice = self.default if self.default in mae else min(mae, key=lambda m: mae[m])
        lowest = min(mae, key=lambda m: mae[m])
        if lowest != choice and mae[lowest] < (1 - self.margin) * mae[choice]:
            choice = lowest
        return choice

    def without_backtest(self, n_years: int) -> str:
        """The method when there are no backtest errors for a (kind, month)."""
        return self.default if n_years >= self.min_years else self.fallback


#: The rule of ``method="auto"``: the regression, unless another method beats it by 10 %.
AUTO: Final = AutoRule()


# =============================================================================== methods
@register
class RunRate(Method):
    """Absorption to date × 12 / month: the naive linear baseline every other method must beat."""

    name = "run-rate"
    description = "absorption to date × 12 / month: the naive linear baseline"

    def predict(self, cut: pd.DataFrame, items_cut: pd.DataFrame | None, params: Any,
                kind: str, month: int) -> np.ndarray:
        return _to_date(cut) * 12 / month


@register
class Profile(Method):
    """Absorption to date ÷ the typical share of the year's spending reached by that month.

    The share is learned per jenis DAK from history (the shared fit), or
    :data:`~.shared.DEFAULT_PROFILE` from ``docs/glossary.md``. Noisy early in the year, when the
    typical share is small; below 2 % the mean year-end is used. Params: the shared fit.
    """

    name = "profile"
    description = "absorption to date ÷ the typical share of the year's spending reached by then"

    def predict(self, cut: pd.DataFrame, items_cut: pd.DataFrame | None, params: SharedFit,
                kind: str, month: int) -> np.ndarray:
        a = _to_date(cut)
        s = params.share[kind][month - 1]
        return a / s if s >= MIN_SHARE else np.full(len(a), params.mean_year_end[kind])


_RIDGE: Final = 2.0  # pseudo-observations pulling the regression toward the simple blend


@dataclass(frozen=True, slots=True)
class RegressionParams:
    """The regression's coefficients per (kind, cut-off month), with the shared fit."""

    shared: SharedFit
    coefs: dict[tuple[str, int], np.ndarray]


@register
class Regression(Method):
    """Ridge regression of year-end absorption on what is known at the cut-off month.

    Learns from history, per jenis DAK and cut-off month, how year-end absorption relates to
    absorption to date relative to the profile, the region's own past year-end absorption, the
    share of pagu that is stalled (BOKB items with no spending, DAK fisik items with no
    contract), and how the whole province is doing this year relative to the profile (late
    years tend to be weak years); for DAK fisik also the ``fisik-items`` estimate. The fit is
    shrunk toward the credibility blend ``share × profile estimate + (1 − share) × own past``,
    so short histories give simple answers; (kind, month) pairs without a fit use that blend.
    """

    name = "regression"
    description = ("ridge regression on to-date absorption, own past, stalled pagu and the "
                   "year, shrunk toward the profile/own-past blend")

    def fit(self, panel: pd.DataFrame | None, items: pd.DataFrame | None,
            shared: SharedFit) -> RegressionParams:
        coefs: dict[tuple[str, int], np.ndarray] = {}
        if panel is None or items is None:
            return RegressionParams(shared, coefs)
        out = shared.outcomes
        for kind in C.KINDS:
            if not (out[C.JENIS_DAK] == kind).any():
                continue
            loo = region_means(out, kind, leave_out=True)
            for month, cut in training_cuts(panel, out, kind):
                own = loo.reindex(pd.MultiIndex.from_frame(cut[["tahun", C.KODE_WILAYAH]]))
                ic = items[(items[C.JENIS_DAK] == kind) & (items["bulan"] == month)]
                # In training, a year with fewer than five regions has no year ratio (1.0).
                x = _features(cut, shared, kind, month, 1.0,
                              pd.Series(own.to_numpy(), index=cut.index), items_cut=ic)
                s = shared.share[kind][month - 1]
                if x.shape[1] > 5:  # fisik: the item-level estimate plays the profile's part
                    w = max(s, 0.5) if month >= 6 else s
                    prior = np.array([0.0, 0.0, 1.0 - w, 0.0, 0.0, w])
                else:
                    prior = np.array([0.0, s, 1.0 - s, 0.0, 0.0])
                coefs[(kind, month)] = _fit_ridge(x, cut["akhir"].to_numpy(), prior,
                                                  shared.n_years)
        return RegressionParams(shared, coefs)

    def predict(self, cut: pd.DataFrame, items_cut: pd.DataFrame | None,
                params: RegressionParams, kind: str, month: int) -> np.ndarray:
        sh = params.shared
        coef = params.coefs.get((kind, month))
        if coef is None:
            a = _to_date(cut)
            s = sh.share[kind][month - 1]
            own = cut[C.KODE_WILAYAH].map(lambda k: sh.region_mean.get((kind, k), np.nan))
            own = pd.to_numeric(own).fillna(sh.mean_year_end[kind]).to_numpy()
            prof = a / max(s, MIN_SHARE)
            return s * np.clip(prof, 0, 1.5) + (1 - s) * own
        return _features(cut, sh, kind, month, sh.year_ratio_median.get((kind, month), 1.0),
                         items_cut=items_cut) @ coef


def _features(cut: pd.DataFrame, shared: SharedFit, kind: str, month: int,
              year_fallback: float, region_mean: pd.Series | None = None,
              items_cut: pd.DataFrame | None = None) -> np.ndarray:
    """Design matrix [1, profile estimate, own past, stalled share, year ratio(, items)].

    For DAK fisik a sixth column is the item-level estimate (``fisik-items``), so the
    regression learns how much to trust the contracts signed so far. ``year_fallback`` is the
    year ratio of a year with fewer than five regions.
    """
    f1 = profile_ratio(cut, shared.share[kind][month - 1])
    own = (region_mean if region_mean is not None else
           cut[C.KODE_WILAYAH].map(lambda k: shared.region_mean.get((kind, k), np.nan)))
    f2 = pd.to_numeric(own, errors="coerce").fillna(shared.mean_year_end[kind]).to_numpy()
    f3 = cut["macet"].fillna(0).to_numpy(dtype=float)
    f4 = year_ratio(cut, f1, year_fallback)
    cols = [np.ones(len(cut)), f1, f2, f3, f4]
    if kind == C.FISIK:
        f5 = _items_estimate(cut, items_cut, shared.item_ratio, month)
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


@register
class FisikItems(Method):
    """DAK fisik only: item by item, what has been spent plus what each item is still expected
    to spend given its state.

    Contracted: its contract value; no contract yet: how often such items were contracted and
    spent in past years at that month; no contract after the deadline: nothing — lost;
    swakelola. The ratios (the shared fit's ``item_ratio``, also a regression feature) are
    learned from history, with defaults without it. Bounded by what can still be spent.
    Elsewhere (BOKB): the regression with a year of history, else the profile.
    """

    name = "fisik-items"
    description = "DAK fisik item by item: spent plus what each item's state is expected to add"
    kinds = (C.FISIK,)

    def predict(self, cut: pd.DataFrame, items_cut: pd.DataFrame | None, params: SharedFit,
                kind: str, month: int) -> np.ndarray:
        if items_cut is None:
            return np.full(len(cut), np.nan)
        return _items_estimate(cut, items_cut, params.item_ratio, month)

    def fallback(self, n_years: int) -> str:
        return "regression" if n_years >= 1 else "profile"


_DEFAULT_ITEM_RATIO: Final = {"kontrak": 0.97, "proses": 0.6, "tanpa-kontrak": 0.4, "hilang": 0.0,
                              "swakelola": 0.9}


def _items_estimate(cut: pd.DataFrame, items_cut: pd.DataFrame | None,
                    item_ratio: Mapping[tuple[int, str], float], month: int) -> np.ndarray:
    """Item-level expected year-end absorption of DAK fisik regions (NaN without items)."""
    if items_cut is None or items_cut.empty:
        return np.full(len(cut), np.nan)
    ic = items_cut[items_cut["tahun"].isin(cut["tahun"].unique())]
    ratio = ic["status"].map(lambda st: item_ratio.get(
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


#: The built-in methods, in registry order.
METHODS: Final = names()
