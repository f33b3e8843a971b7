"""``monitor``: the whole pipeline in one call — read, validate, absorb, project, flag."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ._absorption import absorption
from ._config import Rules
from ._flags import FirstSemesterFlags, flag_first_semester, flag_offices
from ._projection import Projection, project_absorption
from ._reader import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CELL_CHARS,
    DEFAULT_MAX_COLUMNS,
    DEFAULT_MAX_ROWS,
    Export,
    is_memory_export,
    paths_or_refuse,
    read_export,
)
from ._reporting import ReportingStatus, reporting_status
from ._validate import ValidationReport, validate_export
from ._html import card, table
from ._text import fmt_pct
from ._vocab import KINDS, ON_TRACK, SEVERITIES, STATUSES, check_lang
from ._vocab import columns as C
from .exceptions import ConfigError

__all__ = ["MonitorResult", "monitor"]

PathLike = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class MonitorResult:
    """Everything the monitoring report rests on.

    Attributes
    ----------
    export : Export
        The current exports as read.
    validation : ValidationReport
        Their validation; ``validation.valid`` feeds every later stage.
    absorption : DataFrame
        Absorption to date per OPD (``kode_wilayah``) × ``jenis_dak``.
    projection : Projection
        Year-end projections with intervals and statuses.
    first_semester : FirstSemesterFlags
        Procurement flags by item and OPD.
    flags : DataFrame
        The one catalogue of flags per OPD (procurement, threshold risk, data quality).
    history : ValidationReport or None
        The validated history exports, when given.
    rules : Rules
    inputs : tuple of str
        The paths given.
    reporting : ReportingStatus or None
        Who reported, who did not, coverage and stalled realisasi as of the report's period
        (:func:`reporting_status` of the valid rows; None when there are none).
    """

    export: Export
    validation: ValidationReport
    absorption: pd.DataFrame
    projection: Projection
    first_semester: FirstSemesterFlags
    flags: pd.DataFrame
    history: ValidationReport | None
    rules: Rules
    inputs: tuple[str, ...]
    reporting: ReportingStatus | None = None

    @property
    def as_of(self) -> pd.Timestamp:
        """The period the report is about."""
        return self.projection.as_of

    def summary(self, *, lang: str = "id") -> str:
        """A short text summary in ``lang`` (``"id"`` or ``"en"``; the Markdown report is
        :func:`write_summary`): the validation line, the projection, the flags, the OPDs not
        on track, lowest projection first. Another ``lang`` is a
        :class:`~dak_monitor.ConfigError`."""
        check_lang(lang)
        en = lang == "en"
        t = self.projection.table
        counts = self.flags["severity"].value_counts()
        sev = ", ".join(f"{SEVERITIES.label(k, lang)} {int(counts[k])}" for k in SEVERITIES
                        if k in counts)
        lines = [self.validation.summary(lang=lang, max_rows=5).split("\n")[0],
                 self.projection.summary(lang=lang),
                 f"Flag{'s' if en else ''}: {len(self.flags)} ({sev})"]
        below = t[t["status"] != ON_TRACK]
        if len(below):
            lines.append(("At risk / will miss: " if en else "Berisiko / diproyeksi meleset: ")
                         + ", ".join(f"{r.nama_wilayah} ({KINDS.label(r.jenis_dak, lang, short=True)}, "
                                     f"{fmt_pct(r.proyeksi, lang, 0)})"
                                     for r in below.sort_values("proyeksi").itertuples(
                                         index=False)))
        return "\n".join(lines)

    def __repr__(self) -> str:
        v = self.validation.totals()
        counts = self.projection.table["status"].value_counts()
        by = ", ".join(f"{s} {int(counts.get(s, 0))}" for s in STATUSES)
        return (f"MonitorResult(as_of={self.as_of:%Y-%m}, rows_read={v['rows_read']}, "
                f"valid={v['rows_valid']}, problems={len(self.validation.problems)}, "
                f"opd={len(self.projection.table)} ({by}), flags={len(self.flags)}, "
                f"history={'yes' if self.history is not None else 'no'})")

    def _repr_html_(self) -> str:
        """Compact HTML for notebooks: counts, the ranking head, the top problems, flags."""
        v = self.validation.totals()
        counts = self.projection.table["status"].value_counts()
        facts = [f"per {self.as_of:%Y-%m}",
                 f"{v['rows_read']:,} baris dibaca / rows read, {v['rows_valid']:,} valid",
                 f"{len(self.validation.problems):,} masalah / problems",
                 *(f"{STATUSES.label(s)}: {int(counts.get(s, 0))}" for s in STATUSES),
                 f"{len(self.flags):,} tanda / flags",
                 "dengan riwayat / with history" if self.history is not None
                 else "tanpa riwayat / no history"]
        sections = [("peringkat, terendah dulu / ranking, lowest first",
                     self.projection._ranking_html())]
        if len(self.validation.problems):
            sections.append(("masalah per pemeriksaan / problems per check",
                             table(self.validation._top_problems())))
        if len(self.flags):
            per_code = (self.flags.groupby(["code", "severity"]).size().rename("jumlah")
                        .reset_index().sort_values("jumlah", ascending=False, kind="stable"))
            sections.append(("tanda per kode / flags per code", table(per_code)))
        return card("MonitorResult", facts, sections)


def monitor(paths: PathLike | Iterable[PathLike], *, history: PathLike | Iterable[PathLike] |
            None = None, rules: Rules | None = None, as_of: object = None,
            threshold: float | None = None, aliases: Mapping[str, Any] | None = None,
            supersede: bool = False, method: str = "auto",
            progress: Callable[[str], None] | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS,
            max_columns: int = DEFAULT_MAX_COLUMNS, max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
            strict_files: bool = False, units: str | int | None = None,
            tahun: int | None = None, periode: object = None, wilayah: str | None = None,
            layout: Any = None, name: str | None = None) -> MonitorResult:
    """Read, validate, compute absorption, project the year end and flag OPDs — in one call.

    Parameters
    ----------
    paths : path(s), folder(s), or an export in memory
        The current year's exports; or one export already in memory (a pandas DataFrame, a
        file-like object, an Arrow table), read as :func:`read_export` reads it.
    history : path(s), folder(s), or an export in memory, optional
        Earlier complete years' exports, for the projection's profiles, models and errors.
    rules : Rules, optional
        Threshold, dates, tolerances (defaults: :class:`Rules`).
    as_of : str or date, optional
        The period to report on (default: the latest in the data; never the clock).
    threshold : float, optional
        Overrides ``rules.threshold``.
    aliases : mapping, optional
        Extra header spellings (see :func:`read_export`).
    supersede : bool
        A later file replaces earlier rows of the same item and period.
    method : {"auto", "run-rate", "profile", "regression", "fisik-items"}
        Projection method (default ``"auto"``: per jenis DAK the method that backtests
        best, see :func:`project_absorption`), or any method added to the registry.
    progress : callable, optional
        Called with a short message before each stage (the CLI prints them).
    max_bytes, max_rows, max_columns, max_cell_chars : int
        Safety limits per file (see :func:`read_export`).
    strict_files : bool
        A file in a folder that cannot be read or is not an export raises instead of being
        listed in ``validation.problems`` as ``file-not-read`` (see :func:`read_export`).
    units : str or int, optional
        The money unit of the current exports when they do not say (see :func:`read_export`;
        the history is read with the units its files state).
    tahun, periode, wilayah : optional
        What the current exports do not say (see :func:`read_export`); history files say
        their own.
    layout : Layout, path or mapping, optional
        A template's reading instructions, or a folder of them (see :func:`read_export`),
        for the current exports and the history alike.
    name : str, optional
        The ``sumber_file`` of current exports given from memory (see :func:`read_export`).

    Returns
    -------
    MonitorResult
        Show it in a notebook as it is (a compact summary), print ``result.summary()``, or
        write the meeting report with :func:`write_report`.

    Raises
    ------
    UnsupportedInputError
        ``paths`` or ``history`` is none of the accepted objects (see :func:`read_export`).
    ExportFormatError
        An export cannot be read: :class:`UnreadableFileError` (and
        :class:`LimitExceededError`), :class:`HeaderNotFoundError`,
        :class:`MissingColumnError` for a file named on its own (a folder's file is listed
        in ``validation.problems`` as ``file-not-read`` instead, unless ``strict_files``).
    ConfigError
        An option is invalid: ``method``, ``threshold``, ``rules``, ``units``, ``tahun``,
        ``periode``, ``wilayah``, ``layout``, ``aliases``, a limit, ``name``.
    ProjectionError
        ``as_of`` is later than every report, or nothing can be projected.
    Validation problems are not raised: they are in ``result.validation`` (call
    ``result.validation.raise_if_invalid()`` to raise :class:`SchemaValidationError`).

    Examples
    --------
    >>> result = monitor("data_samples/current", history="data_samples/history")  # doctest: +SKIP
    >>> result.projection.table.head()  # doctest: +SKIP
    """
    rules = rules or Rules()
    if threshold is not None:
        rules = dataclasses.replace(rules, threshold=float(threshold))
    say = progress or (lambda _msg: None)
    say("membaca / reading exports")
    reading = {"max_bytes": max_bytes, "max_rows": max_rows, "max_columns": max_columns,
               "max_cell_chars": max_cell_chars, "strict_files": strict_files, "layout": layout}
    # tahun, periode and wilayah describe the current exports only; history files say theirs.
    given = {"aliases": aliases, "supersede": supersede, "units": units, "tahun": tahun,
             "periode": periode, "wilayah": wilayah, **reading}
    if is_memory_export(paths):
        export = read_export(paths, name=name, **given)
        inputs: tuple[str, ...] = tuple(dict.fromkeys(export.files[C.SUMBER_FILE]))
    elif name is not None:
        msg = "name= names an export given from memory; a file is named by its path"
        raise ConfigError(msg)
    else:
        given_paths = paths_or_refuse(paths)  # never a frame's column names taken as paths
        listed = [given_paths] if isinstance(given_paths, (str, os.PathLike)) else given_paths
        export = read_export(listed, **given)
        inputs = tuple(str(p) for p in listed)
    say("memvalidasi / validating")
    validation = validate_export(export, rules=rules)
    hist_report = None
    if history is not None:
        say("membaca riwayat / reading history")
        hist_paths = history if is_memory_export(history) else (
            [history] if isinstance(history, (str, os.PathLike)) else list(history))
        hist_report = validate_export(read_export(hist_paths, aliases=aliases,
                                                  supersede=supersede, **reading), rules=rules)
    say("memproyeksikan / projecting")
    projection = project_absorption(validation, history=hist_report, rules=rules, as_of=as_of,
                                    method=method)
    when = projection.as_of
    say("menandai / flagging")
    absorb = absorption(validation, as_of=when)
    fs = flag_first_semester(validation, year=when.year, rules=rules, as_of=when,
                             profile=projection)
    status = (reporting_status(validation, rules=rules, as_of=when, profile=projection)
              if len(validation.valid) else None)
    flags = flag_offices(validation, projection=projection, rules=rules, as_of=when,
                         first_semester=fs, reporting=status)
    return MonitorResult(export=export, validation=validation, absorption=absorb,
                         projection=projection, first_semester=fs, flags=flags,
                         history=hist_report, rules=rules, inputs=inputs, reporting=status)
