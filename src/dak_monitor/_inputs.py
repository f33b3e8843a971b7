"""The API boundary: what the public functions accept, turned into the frames the stages use.

Public functions take a ValidationReport, an Export, a DataFrame or, for history, path(s) to
exports. Reading and validating paths happens here, once, before a stage runs, so that the
stages themselves (e.g. the projection) work on DataFrames only and never read files. The
public :func:`validate_export` is here for that reason: it reads what is not yet an
:class:`~dak_monitor.Export` (paths, or an export in memory) and hands the Export to the
validation stage.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._absorption import as_frame
from ._config import Rules
from ._reader import Export, read_export
from ._validate import ValidationReport
from ._validate import validate_export as validate_stage
from ._vocab import columns as C
from .exceptions import ConfigError

__all__ = ["as_current", "as_history", "is_paths", "validate_export"]


def validate_export(export: Any, *, rules: Rules | None = None, strict: bool = False,
                    name: str | None = None, **read_options: Any) -> ValidationReport:
    """Check every row of an export; return valid rows, quarantined rows and the problems.

    Parameters
    ----------
    export : Export, or what read_export reads
        From :func:`~dak_monitor.read_export`; or anything it accepts (a path, a folder, a
        list of paths, a pandas DataFrame, a file-like object, an Arrow table), which is read
        first with ``read_options`` and ``name`` (see :func:`~dak_monitor.read_export`).
    rules : Rules, optional
        Tolerances and factors (defaults: :class:`~dak_monitor.Rules`).
    strict : bool
        Warnings count as errors: their rows are quarantined too and
        :attr:`~dak_monitor.ValidationReport.ok` is False.
    name : str, optional
        The ``sumber_file`` of an export in memory (see :func:`~dak_monitor.read_export`).
    **read_options
        Options of :func:`~dak_monitor.read_export` (``kind``, ``units``, ``tahun``, …) for
        an export that is read here.

    Returns
    -------
    ValidationReport
        ``valid`` and ``quarantine`` rows, ``problems`` (one per row and check: ``file``,
        ``sheet``, ``row``, ``column``, ``code``, ``severity``, ``value``, ``pesan``,
        ``message``), the row account per file (``files``). Problems are data, not
        exceptions: call :meth:`~dak_monitor.ValidationReport.raise_if_invalid` to raise.

    Raises
    ------
    UnsupportedInputError
        ``export`` is none of the accepted objects.
    ExportFormatError, UnreadableFileError, HeaderNotFoundError, MissingColumnError
        The export given as a path or from memory cannot be read (see
        :func:`~dak_monitor.read_export`).
    ConfigError
        A read option is invalid, or ``name``/``read_options`` were given with an Export.

    Examples
    --------
    >>> import io, pandas as pd, dak_monitor as dm
    >>> df = pd.DataFrame({"tahun": [2024, 2024], "periode": ["Juni 2024", "Juni 2024"],
    ...                    "kode_wilayah": ["32.05", "32.79"],
    ...                    "nama_wilayah": ["Kab. Garut", "Kota Banjar"],
    ...                    "menu": ["BKB", "BKB"], "pagu": [1000, 1000],
    ...                    "realisasi": [400, 1200]})
    >>> report = dm.validate_export(df)
    >>> report.problems[["file", "row", "code"]]
              file  row                 code
    0  <DataFrame>    3  realisasi-above-pagu
    >>> csv = io.StringIO("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
    ...                   "2024;Juni 2024;32.05;BKB;1.000;400\\n")
    >>> len(dm.validate_export(csv, name="upload.csv").valid)
    1
    """
    if isinstance(export, Export):
        if name is not None or read_options:
            msg = (f"name= and read options ({', '.join(read_options) or 'name'}) apply to an "
                   f"export that is read here, not to an Export already read")
            raise ConfigError(msg)
    else:
        export = read_export(export, name=name, **read_options)
    return validate_stage(export, rules=rules, strict=strict)


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
