"""The API boundary: what the public functions accept, turned into the frames the stages use.

Public functions take a ValidationReport, an Export, a DataFrame or, for history, path(s) to
exports. Reading and validating paths happens here, once, before a stage runs, so that the
stages themselves (e.g. the projection) work on DataFrames only and never read files.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._absorption import as_frame
from ._reader import read_export
from ._validate import validate_export
from ._vocab import columns as C

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


def export_of(data: Any) -> Any:
    """The Export behind a ValidationReport (or the Export itself); None for a plain frame."""
    if hasattr(data, "file_problems") and hasattr(data, "files"):
        return data
    return getattr(data, "export", None)


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


def unit_doubt_regions(data: Any) -> dict[tuple[str, str], str]:
    """(kode_wilayah, jenis_dak) -> the sheet, for OPDs whose rows sit in a sheet that states
    no money unit and whose amounts are too small to be Rupiah (``satuan_ragu``)."""
    export = export_of(data)
    files = getattr(export, "files", None)
    if files is None or "satuan_ragu" not in files or not files["satuan_ragu"].astype(bool).any():
        return {}
    doubtful = files[files["satuan_ragu"].astype(bool)]
    keys = set(zip(doubtful[C.SUMBER_FILE], doubtful[C.SUMBER_SHEET], strict=True))
    d = export.data
    # vectorised: the rows of a doubtful sheet, without a Python loop over every data row
    mine = pd.MultiIndex.from_arrays([d[C.SUMBER_FILE], d[C.SUMBER_SHEET]]).isin(list(keys))
    rows = d.loc[mine, [C.KODE_WILAYAH, C.JENIS_DAK, C.SUMBER_FILE, C.SUMBER_SHEET]]
    out: dict[tuple[str, str], str] = {}
    for kode, kind, file, sheet in rows.drop_duplicates([C.KODE_WILAYAH, C.JENIS_DAK]
                                                        ).itertuples(index=False):
        if isinstance(kode, str):
            out[(kode, kind)] = file + (f" [{sheet}]" if sheet else "")
    return out


def incomplete_regions(data: Any) -> set[tuple[str, str]]:
    """The OPDs whose figures are incomplete or uncertain for a reason other than quarantined
    rows: a file not read, or money in an unstated, implausible unit."""
    return failed_regions(data) | set(unit_doubt_regions(data))


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
