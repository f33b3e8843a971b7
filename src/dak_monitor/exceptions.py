"""Exceptions raised by dak_monitor.

Every error the library raises on purpose is a :class:`DakMonitorError`, so a
caller can catch one type::

    DakMonitorError
    ├── ExportFormatError        an export cannot be read or understood
    │   ├── UnreadableFileError  not a CSV/XLSX we can open (corrupt, binary, encrypted, too big)
    │   ├── HeaderNotFoundError  no row looks like the header of an export
    │   └── MissingColumnError   the header lacks a required column
    ├── SchemaValidationError    validation found errors (``ValidationReport.raise_if_invalid``)
    ├── ProjectionError          a projection cannot be computed from the data given
    ├── OutputError              a report cannot be written where asked (open in Excel, no
    │                            permission, would overwrite an input file)
    └── ConfigError              rules, aliases or options are invalid
        └── UnsupportedInputError  an object given as an export is not one the readers
                                   accept (paths, a DataFrame, a file-like, an Arrow table)

Messages name the file, sheet, row and column where that applies, say what was
expected and what was found.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DakMonitorError",
    "ExportFormatError",
    "HeaderNotFoundError",
    "MissingColumnError",
    "OutputError",
    "ProjectionError",
    "SchemaValidationError",
    "UnreadableFileError",
    "UnsupportedInputError",
]


class DakMonitorError(Exception):
    """Base class of every error raised by dak_monitor."""


class ExportFormatError(DakMonitorError):
    """Raised when an export file cannot be read or its layout is not understood.

    Attributes
    ----------
    file, sheet : str or None
        Where the problem is (``sheet`` is ``None`` for CSV files).
    """

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None):
        super().__init__(message)
        self.file = file
        self.sheet = sheet


class UnreadableFileError(ExportFormatError):
    """Raised when a file is not a readable CSV/XLSX (corrupt, binary junk, wrong type, too big)."""


class LimitExceededError(UnreadableFileError):
    """Raised when a file exceeds a safety limit (``max_bytes``: a CSV's size or an XLSX's
    unpacked size; ``max_rows``: rows of a file or sheet). Raise the limit to read it."""


class HeaderNotFoundError(ExportFormatError):
    """Raised when no row of a sheet looks like the header row of an export."""


class MissingColumnError(ExportFormatError):
    """Raised when the header row lacks a required column (with close matches in the message)."""


class SchemaValidationError(DakMonitorError):
    """Raised by ``ValidationReport.raise_if_invalid()`` when rows failed validation."""


class ProjectionError(DakMonitorError):
    """Raised when a projection cannot be computed from the data given."""


class OutputError(DakMonitorError):
    """Raised when a report file cannot be written (open elsewhere, no permission, or it
    would overwrite an input file)."""


class ConfigError(DakMonitorError):
    """Raised when rules, column aliases or options are invalid."""


class UnsupportedInputError(ConfigError, TypeError):
    """Raised when an object given as an export is none of what the readers accept: a path,
    a folder or a list of paths; a pandas DataFrame; a file-like object opened for reading
    (bytes or text); an Arrow table (``pyarrow.Table``, ``polars.DataFrame``: any object with
    ``__arrow_c_stream__``). The message names the object's type and what is accepted."""
