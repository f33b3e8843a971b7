"""The sample exports shipped with the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .._io import Export

__all__ = ["SAMPLE_EXPORTS", "load_sample_export", "sample_export_path"]

#: Names of the packaged sample exports (see :func:`load_sample_export`).
SAMPLE_EXPORTS: Final = ("fisik_messy_csv", "nonfisik_clean_csv", "nonfisik_messy_xlsx")

_SAMPLE_FILES: Final = {
    "fisik_messy_csv": "fisik_3kab_2024_06_messy.csv",
    "nonfisik_clean_csv": "nonfisik_3kab_2024_clean.csv",
    "nonfisik_messy_xlsx": "nonfisik_3kab_2024_06_messy.xlsx",
}

# ============================================================================ samples
def sample_export_path(name: str) -> Path:
    """Return the path of a packaged sample export.

    Parameters
    ----------
    name : str
        One of :data:`SAMPLE_EXPORTS`: ``"nonfisik_clean_csv"`` (3 regions, January–June 2024,
        clean CSV), ``"nonfisik_messy_xlsx"`` (3 regions, June 2024, title block, two-row
        header, subtotals, totals, signature) or ``"fisik_messy_csv"`` (3 regions, June 2024,
        ``;`` Windows-1252 CSV with a title block and values in thousands).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For an unknown name.

    Examples
    --------
    >>> from dak_monitor.datasets import SAMPLE_EXPORTS, sample_export_path
    >>> [sample_export_path(n).suffix for n in SAMPLE_EXPORTS]
    ['.csv', '.csv', '.xlsx']
    """
    if name not in _SAMPLE_FILES:
        msg = f"unknown sample export {name!r}; available: {list(SAMPLE_EXPORTS)}"
        raise ValueError(msg)
    return Path(str(resources.files("dak_monitor").joinpath("data", _SAMPLE_FILES[name])))


def load_sample_export(name: str) -> Export:
    """Read a packaged sample export with :func:`dak_monitor.read_export`.

    The samples are synthetic (made by ``scripts/make_samples.py`` with :func:`make_export`
    and :func:`write_export`); see :func:`sample_export_path` for what each holds.

    Parameters
    ----------
    name : str
        One of :data:`SAMPLE_EXPORTS`.

    Returns
    -------
    Export
        What :func:`dak_monitor.read_export` returns for the file.

    Examples
    --------
    >>> from dak_monitor.datasets import load_sample_export
    >>> export = load_sample_export("nonfisik_clean_csv")  # doctest: +SKIP
    >>> export.data["kode_wilayah"].nunique()  # doctest: +SKIP
    3
    """
    from .._io import read_export

    return read_export(sample_export_path(name))

