"""Reading CSV/XLSX/ODS/HTML exports into tidy frames that remember where every row came from.

Two layers:

* :func:`read_table` finds the header of any table-shaped sheet (below title blocks and logos,
  on one to three merged rows), maps header spellings to column names through an alias table,
  and classifies every physical row as data or as a skipped non-data row with a reason. It
  keeps the cells as they were (text or Excel values) and is not tied to Morena's layout.
* :func:`read_export` uses it for DAK exports: it detects the kind (nonfisik or fisik), reads
  ``tahun``/``periode``/units/region from the title block, parses Indonesian numbers,
  percents, dates and region codes, and returns an :class:`Export`.

Accounting invariant: for every file and sheet, every physical row up to the last non-empty one
is either in ``data`` or in ``skipped`` with a reason.

One concept per module, in the order a file travels: ``files`` (paths and limits), ``csvfile``,
``workbook``, ``htmltable``, ``memory`` (a DataFrame, a file-like or an Arrow table as the sheets
a file would give) and ``loading`` (bytes to a grid of cells), ``header``, ``rows``
(row classes and hierarchy), ``table`` (:func:`read_table`), ``title``, ``canonical`` (cells
to DAK columns; units live in :mod:`dak_monitor._units`) and ``export`` (:func:`read_export`).
"""

from __future__ import annotations

from .export import FILE_PROBLEM_COLUMNS, FILE_PROBLEMS, Export, read_export
from .files import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CELL_CHARS,
    DEFAULT_MAX_COLUMNS,
    DEFAULT_MAX_ROWS,
    HEADER_SEARCH_ROWS,
    SUPPORTED_SUFFIXES,
    Limits,
)
from .inspection import Inspection, inspect_export
from .layout import Layout
from .memory import ACCEPTED, is_memory_export, paths_or_refuse
from .rows import SKIP_REASONS
from .table import Table, read_table

__all__ = [
    "ACCEPTED", "DEFAULT_MAX_BYTES", "DEFAULT_MAX_CELL_CHARS", "DEFAULT_MAX_COLUMNS", "DEFAULT_MAX_ROWS",
    "FILE_PROBLEMS", "FILE_PROBLEM_COLUMNS", "HEADER_SEARCH_ROWS", "SKIP_REASONS",
    "SUPPORTED_SUFFIXES", "Export", "Inspection", "Layout", "Limits", "Table", "inspect_export",
    "is_memory_export", "paths_or_refuse", "read_export", "read_table",
]
