"""Money units: where an export says its amounts are in ribuan, juta or miliar, and the check
that amounts with no stated unit are plausible as Rupiah.

One home for the unit words, so the title, a header (``Pagu (Rp Miliar)``), a unit row
(``(dalam ribuan rupiah)``) and the ``units=`` option all mean the same. Scaling is exact to
the sen: ``190,08`` miliar is Rp 190.080.000.000, never ``190.079.999.999,99``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import numpy as np
import pandas as pd

from .exceptions import ConfigError

__all__ = ["UNITS", "implausible_unit", "parse_units", "scale", "strip_unit", "unit_in"]

#: Each unit by its name, in Rupiah.
UNITS: Final = {"rupiah": 1, "ribu": 1_000, "juta": 1_000_000, "miliar": 1_000_000_000}

_RP = r"(?:rp\.?|rupiah|idr)"
#: The ways a unit is written, each tied to a unit name. Order matters: the first found wins.
_WRITTEN: Final = (
    ("miliar", re.compile(rf"(?i)(?<![a-z])(?:{_RP}\s*)?(?:dalam\s+)?(?:{_RP}\s*)?mil[iy]ar(?:an)?"
                          rf"(?:\s+{_RP})?(?![a-z])")),
    ("juta", re.compile(rf"(?i)(?<![a-z])(?:{_RP}\s*)?(?:dalam\s+)?(?:{_RP}\s*)?juta(?:an)?(?:\s+{_RP})?"
                        rf"(?![a-z])")),
    ("ribu", re.compile(rf"(?i)(?<![a-z])(?:{_RP}\s*)?(?:dalam\s+)?(?:{_RP}\s*)?ribu(?:an)?(?:\s+{_RP})?"
                        rf"(?![a-z])|\(\s*(?:{_RP}\s*)?(?:000|1\.000)\s*\)|{_RP}\s*(?:000|1\.000)"
                        rf"(?![\d.,])")),
)
_RUPIAH: Final = re.compile(rf"(?i)\(\s*{_RP}\s*\)|(?<![a-z]){_RP}(?![a-z])")
_OPTION_NAMES: Final = {
    "rupiah": "rupiah", "rp": "rupiah", "1": "rupiah",
    "ribu": "ribu", "ribuan": "ribu", "rb": "ribu", "1000": "ribu", "1.000": "ribu",
    "juta": "juta", "jutaan": "juta", "jt": "juta", "1000000": "juta",
    "miliar": "miliar", "milyar": "miliar", "miliaran": "miliar", "m": "miliar",
    "1000000000": "miliar",
}


def unit_in(text: str) -> str | None:
    """The unit a piece of text states: ``"ribu"``, ``"juta"``, ``"miliar"``, ``"rupiah"``
    (a plain ``(Rp.)``) or None.

    Examples
    --------
    >>> [unit_in(t) for t in ["(Rp. Dalam Ribuan)", "Pagu (Juta Rp)", "Rp Miliar",
    ...                       "dalam ribuan rupiah", "Pagu (Rp.)", "Pagu DAK", "Rp 000"]]
    ['ribu', 'juta', 'miliar', 'ribu', 'rupiah', None, 'ribu']
    """
    for name, rx in _WRITTEN:
        if rx.search(text):
            return name
    return "rupiah" if _RUPIAH.search(text) else None


def strip_unit(label: str) -> str:
    """A header label without its unit words, so ``Pagu (Rp Miliar)`` is the column ``pagu``.

    Examples
    --------
    >>> strip_unit("PAGU DAK (Rp. Dalam Ribuan)"), strip_unit("Realisasi (Juta Rp)")
    ('PAGU DAK', 'Realisasi')
    """
    out = label
    for _name, rx in _WRITTEN:
        out = rx.sub(" ", out)
    out = re.sub(rf"(?i)\(\s*(?:{_RP}\s*)?\)", " ", out)
    return re.sub(r"\s+", " ", out).strip()


def parse_units(value: object) -> str:
    """The unit name of a ``units=`` value: a name (``"ribu"``, ``"juta"``, ``"miliar"``,
    ``"rupiah"``, Indonesian plurals too) or the factor (``1000``).

    Examples
    --------
    >>> parse_units("Ribuan"), parse_units(1_000_000), parse_units("miliar")
    ('ribu', 'juta', 'miliar')
    """
    key = str(int(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        and float(value).is_integer() else str(value).strip().lower()
    name = _OPTION_NAMES.get(key)
    if name is None:
        msg = (f"units must be one of {', '.join(UNITS)} (or 1000, 1000000, 1000000000), not "
               f"{value!r}")
        raise ConfigError(msg)
    return name


def scale(values: pd.Series | np.ndarray, unit: str) -> np.ndarray:
    """Amounts written in ``unit`` as Rupiah, exact to the sen.

    Examples
    --------
    >>> scale(np.array([190.08, 17.04, 0.1]), "miliar").tolist()
    [190080000000.0, 17040000000.0, 100000000.0]
    """
    arr = np.asarray(values, dtype=float)
    factor = UNITS[unit]
    if factor == 1:
        return arr
    return np.round(arr * factor, 2)


#: Below this, a typical (median) pagu cannot be Rupiah: an item's pagu is rarely below a
#: million, a kabupaten's yearly BOKB or DAK fisik KB pagu is billions (docs/glossary.md). Kept
#: low on purpose, so no real Rupiah export is doubted: amounts in miliar (``17.04``) and in
#: juta below a thousand juta are caught; larger juta amounts need their unit stated.
PLAUSIBLE_MEDIAN_PAGU: Final = 1_000.0


def implausible_unit(pagu: Iterable[float]) -> tuple[str, ...]:
    """When amounts with no stated unit look too small to be Rupiah (median pagu below
    :data:`PLAUSIBLE_MEDIAN_PAGU`), the units they may be in: those that put the median pagu
    between Rp 1 juta and Rp 1 triliun. Empty when the amounts are plausible as Rupiah.

    Examples
    --------
    >>> implausible_unit([17.04, 190.08, 3.5]), implausible_unit([250_000_000.0, 1e9])
    (('juta', 'miliar'), ())
    >>> implausible_unit([250.5, 980.0])
    ('juta', 'miliar')
    """
    arr = np.asarray([v for v in pagu if v is not None and np.isfinite(v) and v > 0],
                     dtype=float)
    if arr.size == 0:
        return ()
    median = float(np.median(arr))
    if median >= PLAUSIBLE_MEDIAN_PAGU:
        return ()
    fits = tuple(name for name in ("ribu", "juta", "miliar")
                 if 1e6 <= median * UNITS[name] <= 1e12)
    return fits or ("miliar",)


def unit_from_percent(pagu: Iterable[float], realisasi: Iterable[float],
                      persen: Iterable[float]) -> str | None:
    """The unit the realisasi must be in, relative to the (already scaled) pagu, for the
    printed percentages to hold: ``"rupiah"`` when they hold as read, ``"ribu"`` when
    realisasi × 1,000 / pagu is the printed %, …; None when the rows cannot tell (no row with
    all three above zero, or no unit makes the median row agree within 1 %).

    Examples
    --------
    >>> unit_from_percent([650_000_000.0], [320_000.0], [49.23])
    'ribu'
    >>> unit_from_percent([650_000_000.0], [320_000_000.0], [49.23])
    'rupiah'
    """
    p, r, q = (np.asarray(list(x), dtype=float) for x in (pagu, realisasi, persen))
    ok = np.isfinite(p) & np.isfinite(r) & np.isfinite(q) & (p > 0) & (r > 0) & (q > 0)
    if not ok.any():
        return None
    ratio = float(np.median(q[ok] / 100 * p[ok] / r[ok]))
    return next((name for name, factor in UNITS.items()
                 if abs(ratio / factor - 1) <= 0.01), None)
