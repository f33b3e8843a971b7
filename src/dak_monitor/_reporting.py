"""Who reported, who did not, and what changed: each OPD's reporting, period by period.

The DAK analogue of SIGA's reporting score: for every OPD (``kode_wilayah``) × jenis DAK ×
period the schedule asks for, whether its report is in (``reported``), absent (``missing``),
smaller than its previous one (``partial``), in after the deadline (``late``) or changed by a
later export (``revised``); the coverage per OPD and month, scored green / yellow / red; the
revisions themselves; and the OPDs whose realisasi has stood still (``stalled``). Schedules,
deadlines, thresholds and the number of months are :class:`~dak_monitor.Rules`; words and
colours are :data:`~dak_monitor._vocab.REPORTING_STATUSES` and ``COVERAGE_GRADES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from ._absorption import absorption, as_frame, refuse_as_of_beyond, resolve_as_of
from ._config import Rules
from ._inputs import as_history
from ._items import item_keys
from ._projection import DEFAULT_PROFILE
from ._vocab import (
    GREEN,
    KINDS,
    LATE,
    MARKS,
    MISSING,
    PARTIAL,
    RED,
    REPORTED,
    REPORTING_STATUSES,
    REVISED,
    YELLOW,
)
from ._vocab import columns as C

__all__ = ["ReportingStatus", "in_year", "reporting_status", "revisions"]

#: The money a revision is looked for in (pagu and realisasi always; penyaluran when both
#: exports give it).
REVISION_COLUMNS: Final = (C.PAGU, C.REALISASI, C.PENYALURAN)
_UNIT: Final = [C.KODE_WILAYAH, C.JENIS_DAK]
TABLE_COLUMNS: Final = (
    C.KODE_WILAYAH, C.NAMA_WILAYAH, C.JENIS_DAK, C.PERIODE, "status", "dilaporkan", "parsial",
    "terlambat", "direvisi", "n_item", "n_item_sebelumnya", C.PAGU, "pagu_sebelumnya",
    "pagu_diharapkan", C.REALISASI, C.TANGGAL_LAPOR, "batas_lapor",
)
COVERAGE_COLUMNS: Final = (
    C.KODE_WILAYAH, C.NAMA_WILAYAH, C.PERIODE, "laporan_diharapkan", "laporan_masuk",
    "laporan_lengkap", "pagu_diharapkan", "pagu_dilaporkan", "cakupan_laporan",
    "cakupan_pagu", "cakupan", "warna",
)
REVISION_COLUMNS_OUT: Final = (
    C.KODE_WILAYAH, C.NAMA_WILAYAH, C.JENIS_DAK, C.MENU, C.RINCIAN, C.PERIODE, "kolom", "lama",
    "baru", "file_lama", "baris_lama", "file_baru", "baris_baru",
)
STALLED_COLUMNS: Final = (
    C.KODE_WILAYAH, C.NAMA_WILAYAH, C.JENIS_DAK, "sejak", C.PERIODE, "bulan_diam", C.PAGU,
    C.REALISASI, "serapan", "serapan_tipikal", "sisa", "dana_mengendap",
)


@dataclass(frozen=True, slots=True)
class ReportingStatus:
    """Each OPD's reporting in the as-of year, from :func:`reporting_status`.

    Attributes
    ----------
    table : DataFrame
        One row per ``kode_wilayah`` × ``jenis_dak`` × expected ``periode``: ``status`` (the
        first that applies of ``missing``, ``partial``, ``late``, ``revised``, ``reported``),
        each on its own (``dilaporkan``, ``parsial``, ``terlambat`` — missing where it cannot
        be told — and ``direvisi``), ``n_item`` / ``pagu`` / ``realisasi`` of the report and
        ``n_item_sebelumnya`` / ``pagu_sebelumnya`` of the previous one, ``pagu_diharapkan``,
        ``tanggal_lapor`` (the last upload date of its rows) and ``batas_lapor`` (deadline).
    coverage : DataFrame
        One row per ``kode_wilayah`` × ``periode`` (month) with a report expected: reports
        expected / in / complete, pagu expected / reported, ``cakupan_laporan`` (reports in
        ÷ expected, a partial one counted as the smaller of its share of the previous
        report's items and pagu), ``cakupan_pagu`` (pagu reported ÷ expected), ``cakupan`` (the
        lower) and ``warna`` (``green`` / ``yellow`` / ``red`` by ``Rules.coverage_red`` and
        ``coverage_yellow``).
    revisions : DataFrame
        One row per item × period × money column a later export changed: ``lama`` and
        ``baru`` values, and the file and row of each.
    stalled : DataFrame
        OPD × jenis DAK whose realisasi has not moved for ``Rules.stalled_months`` months or
        more up to its latest report while its absorption is below the typical profile:
        ``sejak`` (the first month of the standstill), ``bulan_diam``, ``serapan`` and
        ``serapan_tipikal``, ``sisa`` (pagu not absorbed) and ``dana_mengendap`` (money
        received and not spent, where penyaluran is given).
    as_of : Timestamp
    rules : Rules
    late_assessed : bool
        Whether any report carries an upload date (``tanggal_lapor``); without one lateness is
        not assessed, and :attr:`notes` says so.
    notes : tuple of str
        What the result rests on: the span expected, the schedule, what could not be told.
    """

    table: pd.DataFrame
    coverage: pd.DataFrame
    revisions: pd.DataFrame
    stalled: pd.DataFrame
    as_of: pd.Timestamp
    rules: Rules
    late_assessed: bool
    notes: tuple[str, ...]

    def summary(self, lang: str = "en") -> str:
        """Counts of each status in the as-of period, the red OPDs, and the notes.

        Examples
        --------
        >>> import pandas as pd
        >>> f = pd.DataFrame({"tahun": [2024] * 3, "periode": pd.to_datetime(
        ...     ["2024-05-31", "2024-06-30", "2024-05-31"]), "kode_wilayah": ["32.05",
        ...     "32.05", "32.79"], "jenis_dak": ["nonfisik"] * 3, "menu": ["A"] * 3,
        ...     "pagu": [100.0] * 3, "realisasi": [10.0, 20.0, 30.0]})
        >>> print(reporting_status(f).summary().splitlines()[0])
        Reporting 2024-06: reported 1, missing 1
        """
        at = self.table[self.table[C.PERIODE] == self.as_of]
        counts = at["status"].value_counts()
        parts = [f"{REPORTING_STATUSES.label(code, lang)} {int(counts[code])}"
                 for code in reversed(list(REPORTING_STATUSES)) if code in counts]
        lines = [f"Reporting {self.as_of:%Y-%m}: " + (", ".join(parts) or "nothing expected")]
        cov = self.coverage[self.coverage[C.PERIODE] == self.as_of]
        red = cov[cov["warna"] == RED]
        if len(red):
            lines.append("Coverage red: " + ", ".join(
                f"{n if isinstance(n, str) else k} ({c:.0%})" for k, n, c in
                zip(red[C.KODE_WILAYAH], red[C.NAMA_WILAYAH], red["cakupan"], strict=True)))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def reporting_status(report: Any, *, history: Any = None, rules: Rules | None = None,
                     as_of: object = None, profile: Any = None) -> ReportingStatus:
    """Who reported, who did not, who reported late or less, what a later export revised, and
    whose realisasi stands still — per OPD × jenis DAK × period of the as-of year.

    *Expected* is decided from the data and the schedule: every OPD × jenis DAK with a valid
    row in the as-of year is expected to report for each period its kind's schedule asks for
    (``Rules.reporting_schedule``: monthly, or March/June/September/December), from the first
    such period on or after the earliest period of that kind in the data (an export of June
    alone expects June; a folder of January to June expects every month) up to the as-of.
    Rows quarantined by validation do not count as a report (as for ``report-missing``).

    * ``partial``: fewer items, or less pagu (by more than ``Rules.money_tolerance``), than
      the OPD's previous report of that kind;
    * ``late``: the report's last upload date (``tanggal_lapor``) is after the deadline
      (``Rules.reporting_deadline``: the 10th of the next month by default). Without any
      ``tanggal_lapor`` lateness is not assessed — ``terlambat`` is left empty and the notes
      say so; it is never guessed;
    * ``revised``: an earlier export (``history``) gave the same item and period a different
      pagu, realisasi or penyaluran; the later export's figure is the one used (one rule, the
      one ``supersede`` applies inside a read; without ``supersede`` two files of one read
      reporting the same item and period stay a ``duplicate-row``).

    Coverage per OPD and month: ``cakupan`` is the lower of the share of expected reports in
    (a partial one counted as the smaller of its share of the previous report's items and
    pagu) and the share of the expected pagu reported (a missing report's
    expected pagu is its nearest report's), so it is 100 % exactly when nothing is missing or
    partial.

    Parameters
    ----------
    report : ValidationReport, Export or DataFrame
        The current exports (a report's valid rows are used).
    history : ValidationReport, Export, DataFrame or path(s), optional
        An earlier export of the same year (e.g. last month's folder): its periods count as
        reported, and its figures that the current export changes are revisions. Paths are
        read and validated first.
    rules : Rules, optional
    as_of : str or date, optional
        Default: the latest period in the data (never the clock).
    profile : DataFrame or Projection, optional
        Typical cumulative absorption by month (``Projection.profile``) for ``stalled``;
        default the typical profile of ``docs/glossary.md``.

    Returns
    -------
    ReportingStatus

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"tahun": [2024] * 5, "periode": pd.to_datetime(
    ...     ["2024-04-30", "2024-05-31", "2024-06-30", "2024-04-30", "2024-06-30"]),
    ...     "kode_wilayah": ["32.05"] * 3 + ["32.79"] * 2, "jenis_dak": ["nonfisik"] * 5,
    ...     "menu": ["A"] * 5, "pagu": [100.0] * 5, "realisasi": [10, 20, 30, 5, 9.0]})
    >>> rs = reporting_status(f)
    >>> t = rs.table.assign(bulan=rs.table["periode"].dt.month)
    >>> t.pivot(index="kode_wilayah", columns="bulan", values="status").to_dict("index")
    {'32.05': {4: 'reported', 5: 'reported', 6: 'reported'}, '32.79': {4: 'reported', 5: 'missing', 6: 'reported'}}
    >>> cov = rs.coverage
    >>> cov.loc[cov["kode_wilayah"] == "32.79", ["cakupan", "warna"]].values.tolist()
    [[1.0, 'green'], [0.0, 'red'], [1.0, 'green']]
    """
    rules = rules or Rules()
    current = as_frame(report)
    if not len(current):
        from .exceptions import ProjectionError  # noqa: PLC0415

        msg = "no valid rows: nothing to tell who reported; check the validation problems"
        raise ProjectionError(msg)
    when = resolve_as_of(current, as_of)
    refuse_as_of_beyond(current, when)
    earlier = as_history(history)
    later = in_year(current, when)
    before = in_year(earlier, when) if earlier is not None else later.iloc[:0]
    revs = revisions(before, later, rules=rules)
    rows = _later_wins(before, later)
    table, late_assessed, notes = _status_table(rows, revs, when, rules)
    coverage = _coverage(table, rules)
    stalled = _stalled(rows, when, rules, profile)
    if earlier is None:
        notes.append("revisions: no earlier export given (history=), none looked for")
    else:
        notes.append(f"revisions: {len(revs)} figure(s) of the earlier export changed by the "
                     f"current one (the current figure is used)")
    return ReportingStatus(table=table, coverage=coverage, revisions=revs, stalled=stalled,
                           as_of=when, rules=rules, late_assessed=late_assessed,
                           notes=tuple(notes))


def in_year(frame: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """The rows of ``when``'s fiscal year up to ``when``."""
    per = pd.to_datetime(frame[C.PERIODE], errors="coerce")
    keep = ((frame[C.TAHUN].astype("Float64") == when.year).fillna(False).to_numpy(dtype=bool)
            & (per <= when).fillna(False).to_numpy(dtype=bool))
    out = frame.loc[keep].copy()
    out[C.PERIODE] = per[keep] + pd.offsets.MonthEnd(0)
    return out.reset_index(drop=True)


def _keyed(earlier: pd.DataFrame, later: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both frames with one item id (``_item``) shared between them; each item-period's last
    row in file order only."""
    both = pd.concat([earlier.assign(_src=0), later.assign(_src=1)], ignore_index=True)
    both = both.drop(columns="_kunci_item", errors="ignore")
    both["_item"] = item_keys(both).to_numpy()
    both = both.drop_duplicates(["_src", "_item", C.PERIODE], keep="last")
    return (both[both["_src"] == 0].drop(columns="_src"),
            both[both["_src"] == 1].drop(columns="_src"))


def _later_wins(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """Every item-period once: the later export's row where it has one, else the earlier's."""
    old, new = _keyed(earlier, later)
    seen = pd.MultiIndex.from_frame(new[["_item", C.PERIODE]])
    kept = old[~pd.MultiIndex.from_frame(old[["_item", C.PERIODE]]).isin(seen)]
    return pd.concat([kept, new], ignore_index=True)


def revisions(earlier: pd.DataFrame, later: pd.DataFrame, *, rules: Rules | None = None
              ) -> pd.DataFrame:
    """The figures a later export changed for an item and period an earlier one reported.

    One rule: for the same item (region, jenis DAK, menu, rincian; text folded as
    ``EXPORT_FORMAT.md`` says) and period, the later export's figure stands; each pagu,
    realisasi or penyaluran (when both give it) that differs by more than
    ``Rules.money_tolerance`` is a revision.

    Examples
    --------
    >>> import pandas as pd
    >>> old = pd.DataFrame({"tahun": [2024], "periode": pd.to_datetime(["2024-05-31"]),
    ...     "kode_wilayah": ["32.05"], "jenis_dak": ["nonfisik"], "menu": ["BKB"],
    ...     "pagu": [100.0], "realisasi": [40.0], "sumber_file": ["mei.csv"],
    ...     "sumber_baris": [2]})
    >>> new = old.assign(realisasi=[45.0], sumber_file=["juni.csv"], menu=["bkb "])
    >>> revisions(old, new)[["kolom", "lama", "baru", "file_lama", "file_baru"]].values.tolist()
    [['realisasi', 40.0, 45.0, 'mei.csv', 'juni.csv']]
    """
    rules = rules or Rules()
    if not len(earlier) or not len(later):
        return pd.DataFrame(columns=list(REVISION_COLUMNS_OUT))
    old, new = _keyed(earlier, later)
    m = new.merge(old, on=["_item", C.PERIODE], suffixes=("", "_lama"))
    out = []
    for col in REVISION_COLUMNS:
        if col not in m or f"{col}_lama" not in m:
            continue
        a = pd.to_numeric(m[f"{col}_lama"], errors="coerce").astype(float)
        b = pd.to_numeric(m[col], errors="coerce").astype(float)
        both = a.notna() & b.notna()
        changed = (both & ((b - a).abs() > rules.money_tolerance)) | (
            (a.isna() != b.isna()) & (col != C.PENYALURAN))
        if not changed.any():
            continue
        sub = m[changed]
        out.append(pd.DataFrame({
            C.KODE_WILAYAH: sub[C.KODE_WILAYAH].to_numpy(),
            C.NAMA_WILAYAH: sub.get(C.NAMA_WILAYAH, pd.Series(None, index=sub.index)).to_numpy(),
            C.JENIS_DAK: sub[C.JENIS_DAK].to_numpy(), C.MENU: sub[C.MENU].to_numpy(),
            C.RINCIAN: sub.get(C.RINCIAN, pd.Series(None, index=sub.index)).to_numpy(),
            C.PERIODE: sub[C.PERIODE].to_numpy(), "kolom": col,
            "lama": a[changed].to_numpy(), "baru": b[changed].to_numpy(),
            "file_lama": _col(sub, f"{C.SUMBER_FILE}_lama"),
            "baris_lama": _col(sub, f"{C.SUMBER_BARIS}_lama"),
            "file_baru": _col(sub, C.SUMBER_FILE), "baris_baru": _col(sub, C.SUMBER_BARIS),
        }))
    if not out:
        return pd.DataFrame(columns=list(REVISION_COLUMNS_OUT))
    res = pd.concat(out, ignore_index=True)
    return res.sort_values([C.KODE_WILAYAH, C.JENIS_DAK, C.PERIODE, C.MENU, "kolom"],
                           kind="stable").reset_index(drop=True)[list(REVISION_COLUMNS_OUT)]


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy() if name in frame else np.full(len(frame), None, dtype=object)


def _expected(rows: pd.DataFrame, when: pd.Timestamp, rules: Rules
              ) -> tuple[pd.DataFrame, list[str]]:
    """OPD × jenis DAK × period expected (see :func:`reporting_status`), and what it rests on."""
    grid, notes = [], []
    for kind in KINDS:
        sub = rows[rows[C.JENIS_DAK] == kind]
        if not len(sub):
            continue
        first = int(sub[C.PERIODE].min().month)
        months = [m for m in rules.reporting_months(kind) if first <= m <= when.month]
        units = sub[C.KODE_WILAYAH].dropna().unique()
        periods = [pd.Timestamp(when.year, m, 1) + pd.offsets.MonthEnd(0) for m in months]
        if periods:
            grid.append(pd.MultiIndex.from_product(
                [sorted(units), [kind], periods], names=[*_UNIT, C.PERIODE]).to_frame(
                index=False))
        sched = rules.reporting_schedule[kind]
        span = (f"{periods[0]:%m/%Y} to {periods[-1]:%m/%Y}" if periods else "no period")
        notes.append(
            f"{KINDS.label(kind, 'en', short=True)}: {len(units)} OPD(s) expected {sched} from "
            f"{span} (the earliest period of this kind in the data is {first:02d}/{when.year}); "
            f"due by day {rules.reporting_deadline_day[kind]} of the next month (Rules "
            f"defaults to adjust)")
    if not grid:
        return pd.DataFrame(columns=[*_UNIT, C.PERIODE]), notes
    return pd.concat(grid, ignore_index=True), notes


def _status_table(rows: pd.DataFrame, revs: pd.DataFrame, when: pd.Timestamp, rules: Rules
                  ) -> tuple[pd.DataFrame, bool, list[str]]:
    grid, notes = _expected(rows, when, rules)
    tgl = (pd.to_datetime(rows[C.TANGGAL_LAPOR], errors="coerce") if C.TANGGAL_LAPOR in rows
           else pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]"))
    late_assessed = bool(tgl.notna().any())
    if not late_assessed:
        notes.append(MARKS["late-unknown"].en)
    per = rows.assign(_tgl=tgl).groupby([*_UNIT, C.PERIODE], sort=True).agg(
        n_item=("_item", "nunique"), pagu=(C.PAGU, "sum"), realisasi=(C.REALISASI, "sum"),
        tanggal_lapor=("_tgl", "max")).reset_index()
    # Each report's previous report of the same OPD and kind (any period, expected or not).
    prev = per.groupby(_UNIT, sort=False)[["n_item", C.PAGU]].shift(1)
    per["n_item_sebelumnya"] = prev["n_item"]
    per["pagu_sebelumnya"] = prev[C.PAGU]
    t = grid.merge(per, on=[*_UNIT, C.PERIODE], how="left")
    names = (rows.dropna(subset=[C.NAMA_WILAYAH]).drop_duplicates(C.KODE_WILAYAH, keep="last")
             .set_index(C.KODE_WILAYAH)[C.NAMA_WILAYAH] if C.NAMA_WILAYAH in rows
             else pd.Series(dtype=object))
    t[C.NAMA_WILAYAH] = t[C.KODE_WILAYAH].map(names)
    t["dilaporkan"] = t["n_item"].notna()
    tol = rules.money_tolerance
    t["parsial"] = t["dilaporkan"] & t["n_item_sebelumnya"].notna() & (
        (t["n_item"] < t["n_item_sebelumnya"]) | (t[C.PAGU] < t["pagu_sebelumnya"] - tol))
    t["batas_lapor"] = pd.to_datetime(pd.Series(
        [rules.reporting_deadline(k, p.date()) for k, p in
         zip(t[C.JENIS_DAK], t[C.PERIODE], strict=True)], index=t.index, dtype=object))
    late = pd.Series(pd.NA, index=t.index, dtype="boolean")
    dated = t["dilaporkan"] & t[C.TANGGAL_LAPOR].notna()
    late[dated] = (t.loc[dated, C.TANGGAL_LAPOR] > t.loc[dated, "batas_lapor"]).to_numpy()
    t["terlambat"] = late
    if len(revs):
        revised = pd.MultiIndex.from_frame(revs[[*_UNIT, C.PERIODE]].drop_duplicates())
        t["direvisi"] = pd.MultiIndex.from_frame(t[[*_UNIT, C.PERIODE]]).isin(revised)
    else:
        t["direvisi"] = False
    t["n_item"] = t["n_item"].astype("Int64")
    t["n_item_sebelumnya"] = t["n_item_sebelumnya"].astype("Int64")
    t["pagu_diharapkan"] = _expected_pagu(t)
    t["status"] = np.select(
        [~t["dilaporkan"], t["parsial"], t["terlambat"].fillna(False).to_numpy(dtype=bool),
         t["direvisi"]], [MISSING, PARTIAL, LATE, REVISED], default=REPORTED)
    return (t[list(TABLE_COLUMNS)].sort_values([*_UNIT, C.PERIODE], kind="stable")
            .reset_index(drop=True), late_assessed, notes)


def _expected_pagu(t: pd.DataFrame) -> pd.Series:
    """The pagu a period's report should cover: its own, or its previous report's when that
    was larger (partial); a missing report's is its nearest report's (earlier, else later)."""
    own = t[C.PAGU].where(~t["parsial"], np.fmax(t[C.PAGU], t["pagu_sebelumnya"]))
    t = t.assign(_own=own).sort_values([*_UNIT, C.PERIODE], kind="stable")
    near = t.groupby(_UNIT, sort=False)["_own"].transform(lambda s: s.ffill().bfill())
    return near.sort_index().astype(float).fillna(0.0)


def _coverage(table: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    if not len(table):
        return pd.DataFrame(columns=list(COVERAGE_COLUMNS))
    lengkap = table["dilaporkan"] & ~table["parsial"]
    # A partial report counts as the smaller of its share of the previous report's items and
    # pagu (below 1, as it is partial); a complete one as 1, a missing one as 0.
    share = np.fmin(table["n_item"].astype(float) / table["n_item_sebelumnya"].astype(float),
                    table[C.PAGU] / table["pagu_sebelumnya"].where(table["pagu_sebelumnya"] > 0))
    credit = np.where(lengkap, 1.0, np.where(table["parsial"], np.fmin(share, 1.0), 0.0))
    t = table.assign(_lengkap=lengkap, _kredit=np.nan_to_num(credit, nan=0.0),
                     _pagu_in=table[C.PAGU].where(table["dilaporkan"], 0.0))
    g = t.groupby([C.KODE_WILAYAH, C.PERIODE], sort=True).agg(
        nama_wilayah=(C.NAMA_WILAYAH, "first"), laporan_diharapkan=("status", "size"),
        laporan_masuk=("dilaporkan", "sum"), laporan_lengkap=("_lengkap", "sum"),
        pagu_diharapkan=("pagu_diharapkan", "sum"), pagu_dilaporkan=("_pagu_in", "sum"),
        _kredit=("_kredit", "sum")).reset_index()
    g["cakupan_laporan"] = g["_kredit"] / g["laporan_diharapkan"]
    g["cakupan_pagu"] = (g["pagu_dilaporkan"] / g["pagu_diharapkan"].where(
        g["pagu_diharapkan"] > 0)).clip(upper=1.0)
    g["cakupan"] = np.fmin(g["cakupan_laporan"], g["cakupan_pagu"])
    g["warna"] = np.select([g["cakupan"] < rules.coverage_red,
                            g["cakupan"] < rules.coverage_yellow], [RED, YELLOW], default=GREEN)
    for c in ("laporan_masuk", "laporan_lengkap"):
        g[c] = g[c].astype(int)
    return g[list(COVERAGE_COLUMNS)]


def _typical(profile: Any, kind: str, month: int) -> float:
    prof = getattr(profile, "profile", profile)
    if isinstance(prof, pd.DataFrame) and kind in prof and month in prof.index:
        return float(prof.loc[month, kind])
    return float(DEFAULT_PROFILE[kind][month - 1])


def _stalled(rows: pd.DataFrame, when: pd.Timestamp, rules: Rules, profile: Any
             ) -> pd.DataFrame:
    """OPD × kind whose realisasi, once begun, stood still for ``stalled_months`` or more up
    to its latest report while below the typical absorption (each month's figures: every
    item's latest report by then). Realisasi still at zero is not stalled: it has not
    started, which the first-semester flags say."""
    if not len(rows):
        return pd.DataFrame(columns=list(STALLED_COLUMNS))
    frame = rows.drop(columns=["_item"])
    by_month = []
    for m in range(1, when.month + 1):
        end = pd.Timestamp(when.year, m, 1) + pd.offsets.MonthEnd(0)
        if not (frame[C.PERIODE] <= end).any():
            continue
        a = absorption(frame, as_of=end)
        by_month.append(a.assign(bulan=m))
    panel = pd.concat(by_month, ignore_index=True)
    latest = rows.groupby(_UNIT)[C.PERIODE].agg(["min", "max"])
    names = (rows.dropna(subset=[C.NAMA_WILAYAH]).drop_duplicates(C.KODE_WILAYAH, keep="last")
             .set_index(C.KODE_WILAYAH)[C.NAMA_WILAYAH] if C.NAMA_WILAYAH in rows
             else pd.Series(dtype=object))
    out = []
    for (kode, kind), g in panel.groupby(_UNIT, sort=True):
        first, last = latest.loc[(kode, kind)]
        g = g[(g["bulan"] >= first.month) & (g["bulan"] <= last.month)].set_index("bulan")
        if last.month not in g.index:
            continue
        now = g.loc[last.month]
        real = g[C.REALISASI]
        moved = (real - now[C.REALISASI]).abs() > rules.money_tolerance
        since = int(moved[moved].index.max()) + 1 if moved.any() else first.month
        idle = last.month - since
        typical = _typical(profile, kind, last.month)
        serapan = float(now["serapan"]) if pd.notna(now["serapan"]) else np.nan
        # Stalled means spending began and then stopped: an OPD that has spent nothing yet
        # has not started, which the first-semester flags (no-spending-by-s1,
        # low-s1-absorption) already say; naming it twice would only add noise.
        if idle < rules.stalled_months or not serapan < typical or \
                not now[C.REALISASI] > rules.money_tolerance:
            continue
        pen = float(now[C.PENYALURAN])
        out.append({
            C.KODE_WILAYAH: kode, C.NAMA_WILAYAH: names.get(kode), C.JENIS_DAK: kind,
            "sejak": pd.Timestamp(when.year, since, 1) + pd.offsets.MonthEnd(0),
            C.PERIODE: last, "bulan_diam": idle, C.PAGU: float(now[C.PAGU]),
            C.REALISASI: float(now[C.REALISASI]), "serapan": serapan,
            "serapan_tipikal": typical, "sisa": float(now["sisa"]),
            "dana_mengendap": pen - float(now[C.REALISASI]) if pen == pen else np.nan})
    return pd.DataFrame(out, columns=list(STALLED_COLUMNS))

