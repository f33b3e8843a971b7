"""The API boundary: what the public functions accept, turned into the frames the stages use.

Public functions take a ValidationReport, an Export, a DataFrame or, for history, path(s) to
exports. Reading and validating paths happens here, once, before a stage runs, so that the
stages themselves (e.g. the projection) work on DataFrames only and never read files.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._absorption import as_frame
from ._io import read_export
from ._validate import validate_export

__all__ = ["as_current", "as_history", "is_paths"]


def is_paths(data: Any) -> bool:
    """Whether ``data`` is a path, or a non-empty list or tuple of paths (not frames).

    Examples
    --------
    >>> is_paths("data_samples/history"), is_paths(["a.csv", "b.xlsx"]), is_paths([])
    (True, True, False)
    """
    if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__"):
        return True
    return bool(isinstance(data, (list, tuple)) and data
                and all(isinstance(d, str) or hasattr(d, "__fspath__") for d in data))


def as_history(history: Any) -> pd.DataFrame | None:
    """The valid rows of a history given as a ValidationReport, Export, DataFrame or path(s).

    Paths are read with :func:`~dak_monitor.read_export` and checked with
    :func:`~dak_monitor.validate_export` (default rules); only the valid rows are kept.
    ``None`` stays ``None`` (no history).

    Examples
    --------
    >>> as_history(None) is None
    True
    >>> from dak_monitor.datasets import make_export
    >>> len(as_history(make_export("nonfisik", year=2023, months=[12], seed=0))) > 0
    True
    """
    if history is None:
        return None
    if is_paths(history):
        return validate_export(read_export(history)).valid
    return as_frame(history)


def file_problems(data: Any) -> pd.DataFrame | None:
    """The files of a folder that were not read (``Export.file_problems``), from an Export or
    a ValidationReport; None for a plain frame."""
    fp = getattr(data, "file_problems", None)
    if fp is None:
        fp = getattr(getattr(data, "export", None), "file_problems", None)
    return fp if isinstance(fp, pd.DataFrame) else None


def failed_regions(data: Any) -> set[tuple[str, str]]:
    """(kode_wilayah, jenis_dak) of the OPDs whose figures sit in a file that was not read.

    Examples
    --------
    >>> failed_regions(pd.DataFrame())
    set()
    """
    fp = file_problems(data)
    if fp is None or fp.empty:
        return set()
    return {(code, kind) for regions, kind in zip(fp["wilayah"], fp["jenis_dak"], strict=True)
            if isinstance(kind, str) for code in regions}


def as_current(data: Any) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(valid rows, quarantine or None) of a ValidationReport, Export or DataFrame.

    Examples
    --------
    >>> from dak_monitor.datasets import make_export
    >>> frame, quarantine = as_current(make_export("nonfisik", year=2024, months=[1], seed=0))
    >>> quarantine is None
    True
    """
    frame = as_frame(data)
    quarantine = getattr(data, "quarantine", None)
    return frame, quarantine if isinstance(quarantine, pd.DataFrame) else None
