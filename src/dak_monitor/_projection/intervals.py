"""Intervals and the probability of ending below the threshold, from scaled empirical errors.

A method's errors on past years (leave-one-year-out, :mod:`.backtest`) are divided by how
much of the pagu was still unspent (:func:`scale`), so that one set of errors serves OPDs far
from and close to the end. Without enough errors the spread is a wide default and the
interval is labelled not calibrated. The status follows the probability and :class:`Rules`.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from .._config import Rules
from .._vocab import AT_RISK, ON_TRACK, WILL_MISS

__all__ = ["empirical_interval", "scale", "status"]

_MIN_RESIDUALS: Final = 12
_NO_HISTORY_SPREAD: Final = 0.35


def scale(serapan: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Errors scale with how much is still unspent (a finished OPD cannot move much)."""
    return np.maximum(cap - serapan, 0) + 0.05


def empirical_interval(pred: np.ndarray, serapan: np.ndarray, cap: np.ndarray,
                       z: np.ndarray | None, interval: float, threshold: float
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Lower, upper, P(year-end < threshold) and calibrated, from scaled empirical errors ``z``."""
    sc = scale(serapan, cap)
    if z is None or len(z) < _MIN_RESIDUALS:
        half = _NO_HISTORY_SPREAD * sc
        lo, hi = np.clip(pred - half, serapan, cap), np.clip(pred + half, serapan, cap)
        # Uncalibrated: a flat distribution over [pred - half, pred + half], then what can
        # actually happen (absorption to date, what can still be spent) decides.
        p = np.clip((threshold - (pred - half)) / np.maximum(2 * half, 1e-9), 0, 1)
        p = np.where(cap < threshold, 1.0, np.where(serapan >= threshold, 0.0, p))
        return lo, hi, p, False
    q_lo, q_hi = np.quantile(z, [(1 - interval) / 2, (1 + interval) / 2])
    # A biased method's errors can all lie on one side; the interval still contains the point.
    lo = np.minimum(np.clip(pred + q_lo * sc, serapan, cap), pred)
    hi = np.maximum(np.clip(pred + q_hi * sc, serapan, cap), pred)
    sims = np.clip(pred[:, None] + z[None, :] * sc[:, None], serapan[:, None], cap[:, None])
    p = (sims < threshold).mean(axis=1)
    return lo, hi, p, True


def status(p: np.ndarray, rules: Rules) -> np.ndarray:
    """``will-miss``, ``at-risk`` or ``on-track`` from P(below threshold) and the rules."""
    return np.select([p >= rules.will_miss_probability, p >= rules.at_risk_probability],
                     [WILL_MISS, AT_RISK], default=ON_TRACK).astype(object)
