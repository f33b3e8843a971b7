"""Small text helpers shared by the report writers: formula neutralisation, formatting."""

from __future__ import annotations

from typing import Final

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralise", "neutralise_frame"]

#: Leading characters that make a spreadsheet treat text as a formula (CSV/formula injection).
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make text safe to put in a spreadsheet: prefix formula-like text with an apostrophe.

    Non-text values are returned unchanged.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("Kab. Garut"), neutralise(12)
    ('\\'=HYPERLINK("http://x")', 'Kab. Garut', 12)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (see :func:`neutralise`)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(neutralise).astype(object)
    return out
