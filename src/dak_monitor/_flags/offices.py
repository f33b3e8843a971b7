"""The one catalogue of flags per OPD: every stage's flags, one row per OPD × kind × code."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from .._absorption import as_frame, resolve_as_of
from .._config import Rules
from .._inputs import export_of
from .._items import item_keys
from .._projection import Projection
from .._reporting import ReportingStatus, reporting_status
from .._vocab import MARKS
from .._vocab import columns as C
from . import FLAGS, flag_rows
from .semester import FirstSemesterFlags, flag_first_semester
from .threshold import flag_threshold_risk

OFFICE_COLUMNS: Final = (
    C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, "code", "severity", "title_id", "title_en",
    "pesan", "message", "n_item", "pagu_terdampak", "share_pagu", "periode",
)


def flag_offices(validation: Any, *, projection: Projection | None = None,
                 rules: Rules | None = None, as_of: object = None,
                 first_semester: FirstSemesterFlags | None = None,
                 reporting: ReportingStatus | None = None) -> pd.DataFrame:
    """The one catalogue of flags per OPD: procurement, threshold risk and data quality.

    Parameters
    ----------
    validation : ValidationReport
        Its valid rows feed the first-semester flags; its quarantine gives ``data-incomplete``.
    projection : Projection, optional
        Adds ``will-miss-threshold`` / ``at-risk-threshold`` and supplies the typical profile.
    rules : Rules, optional
    as_of : str or date, optional
        Default: the latest period in the data (never the clock).
    first_semester : FirstSemesterFlags, optional
        Reuse an already computed :func:`flag_first_semester` result.
    reporting : ReportingStatus, optional
        Reuse an already computed :func:`~dak_monitor.reporting_status` (e.g. one given the
        previous export as ``history=``, so that ``report-revised`` can fire); by default it
        is computed from the valid rows alone (no revisions).

    Returns
    -------
    DataFrame
        One row per ``kode_wilayah`` × ``jenis_dak`` × ``code``: ``nama_wilayah``,
        ``severity``, ``title_id``, ``title_en``, ``pesan``, ``message``, ``n_item`` (items
        behind the flag), ``pagu_terdampak`` (pagu concerned), ``share_pagu`` and ``periode``.
        Codes are documented in :data:`FLAGS` and ``docs/flags.md``.

    Examples
    --------
    >>> import tempfile, pathlib, dak_monitor as dm
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "x.csv").write_text(
    ...     "Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
    ...     "2024;Juni 2024;32.05;BKB;1.000;0\\n2024;Juni 2024;32.79;BKB;1.000;600\\n"
    ...     "2024;Juni 2024;32.79;KB;1.000;1.500\\n")
    >>> flags = flag_offices(dm.validate_export(dm.read_export(d / "x.csv")))
    >>> flags[["kode_wilayah", "code", "severity"]].values.tolist()
    [['32.05', 'low-s1-absorption', 'warning'], ['32.05', 'no-spending-by-s1', 'warning'], ['32.79', 'data-incomplete', 'warning']]
    """
    rules = rules or (projection.rules if projection is not None else Rules())
    valid = as_frame(validation)
    quarantine = getattr(validation, "quarantine", None)
    source = valid if len(valid) else getattr(getattr(validation, "export", None), "data", valid)
    when = resolve_as_of(source, as_of if as_of is not None else
                         (projection.as_of if projection is not None else None))
    rows: list[dict[str, Any]] = []
    fs = first_semester or flag_first_semester(valid, year=when.year, rules=rules, as_of=when,
                                               profile=projection)
    rows += _per_office(fs.items, valid, when)
    if projection is not None:
        tr = flag_threshold_risk(projection)
        for rec in tr.to_dict("records"):
            rows.append({**{k: rec[k] for k in OFFICE_COLUMNS if k in rec}, "n_item": 0,
                         "pagu_terdampak": np.nan, "share_pagu": np.nan})
    export = export_of(validation)
    for flag in FLAGS.at("validation"):
        assert flag.find is not None
        rows += flag_rows(flag.code, flag.find(quarantine, valid, when, export))
    status = reporting if reporting is not None else (
        reporting_status(valid, rules=rules, as_of=when, profile=projection) if len(valid)
        else None)
    if status is not None:
        for flag in FLAGS.at("reporting"):
            assert flag.find is not None
            rows += flag_rows(flag.code, flag.find(status))
    out = pd.DataFrame(rows, columns=list(OFFICE_COLUMNS))
    if when.month == fs.cutoff.month and when.year == fs.cutoff.year:
        # At the cut-off month the semester-I report is the report itself: one flag says so.
        missing = set(zip(*(out.loc[out["code"] == "report-missing", k]
                            for k in (C.KODE_WILAYAH, C.JENIS_DAK)), strict=True))
        dup = (out["code"] == "s1-report-missing") & pd.Series(
            [key in missing for key in zip(out[C.KODE_WILAYAH], out[C.JENIS_DAK], strict=True)],
            index=out.index, dtype=bool)
        out = out[~dup]
    return out.sort_values([C.KODE_WILAYAH, C.JENIS_DAK, "code"], kind="stable").reset_index(
        drop=True)


def _per_office(items: pd.DataFrame, valid: pd.DataFrame, when: pd.Timestamp
                ) -> list[dict[str, Any]]:
    """First-semester item flags gathered per OPD × kind × code (the first message shown)."""
    if not len(items):
        return []
    latest = valid[valid[C.TAHUN].astype("Float64") == when.year]
    latest = latest[pd.to_datetime(latest[C.PERIODE]) <= when]
    latest = latest.assign(_item=item_keys(latest).to_numpy()).drop_duplicates(
        "_item", keep="last")
    totals = latest.groupby([C.KODE_WILAYAH, C.JENIS_DAK])[C.PAGU].sum()
    rows = []
    for (kode, kind, code), g in items.groupby([C.KODE_WILAYAH, C.JENIS_DAK, "code"],
                                               sort=True):
        is_item = FLAGS[code].level == "item"
        pagu = float(pd.to_numeric(g[C.PAGU], errors="coerce").sum())
        tot = float(totals.get((kode, kind), np.nan))
        n = len(g) if is_item else 0
        more = {lang: " " + MARKS.label("more-items", lang).format(n=len(g) - 1)
                if len(g) > 1 else "" for lang in ("id", "en")}
        pesan, message = g["pesan"].iloc[0] + more["id"], g["message"].iloc[0] + more["en"]
        rows.append({C.KODE_WILAYAH: kode, "nama_wilayah": g["nama_wilayah"].iloc[0],
                     C.JENIS_DAK: kind, "code": code, "severity": FLAGS[code].severity,
                     "title_id": FLAGS[code].title_id, "title_en": FLAGS[code].title_en,
                     "pesan": pesan, "message": message, "n_item": n,
                     "pagu_terdampak": pagu if is_item else np.nan,
                     "share_pagu": pagu / tot if is_item and tot > 0 else np.nan,
                     "periode": when})
    return rows
