"""Year-end absorption projections against the threshold, with intervals and a backtest.

Methods (``method=``), in the order of the registry in :mod:`.methods`:

``run-rate``
    Absorption to date × 12 / month: the naive linear baseline every other method must beat.
``profile``
    Absorption to date ÷ the typical share of the year's spending reached by that month
    (learned per jenis DAK from history, or :data:`DEFAULT_PROFILE` from ``docs/glossary.md``).
    Noisy early in the year, when the typical share is small.
``regression``
    Learns from history, per jenis DAK and cut-off month, how year-end absorption relates to
    what is known then: absorption to date relative to the profile, the region's own past
    year-end absorption, the share of pagu that is stalled (BOKB items with no spending, DAK
    fisik items with no contract), and how the whole province is doing this year relative to
    the profile (late years tend to be weak years). A ridge fit shrunk toward the credibility
    blend ``share × profile estimate + (1 − share) × own past``, so short histories give
    simple answers.
``fisik-items``
    DAK fisik only: item by item, what has been spent plus what each item is still expected to
    spend given its state (contracted: its contract value; no contract yet: how often such items
    were contracted and spent in past years at that month; no contract after the deadline:
    nothing — lost; swakelola), learned from history. Bounded by what can still be spent.
``auto``
    Per jenis DAK and month, the method with the lowest backtest error on history (the
    regression unless another beats it by 10 %: :data:`~.methods.AUTO`).

Every projection is clipped to [absorption to date, what can still be spent]. Intervals and the
probability of ending below the threshold come from the method's own errors on past years
(leave-one-year-out backtest), scaled by how much of the pagu is still unspent — not from an
assumed normal distribution. Without history, the default profile is used and the interval is
wide and labelled not calibrated.

Modules: :mod:`.methods` (the registry of methods, their fits and the ``auto`` rule),
:mod:`.shared` (what several methods learn in common, the month state with the deadlines of
:class:`Rules`), :mod:`.backtest` (leave-one-year-out predictions, errors, scores),
:mod:`.intervals` (intervals and status). The threshold flags read a projection and live
with the other flags (:mod:`dak_monitor._flags`). History given as paths is
read at the API boundary (:mod:`dak_monitor._inputs`), never inside the stage.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._absorption import latest_periods, refuse_as_of_beyond, resolve_as_of
from .._config import Rules
from .._inputs import as_current, as_history, incomplete_regions
from .._regions import load_regions
from .._html import card, table
from .._text import fmt_month, fmt_number, fmt_pct
from .._vocab import KINDS, STATUSES, check_lang
from .._vocab import columns as C
from ..exceptions import ConfigError, ProjectionError
from .backtest import Backtest, backtest_projection, best_methods, loyo_predictions, residuals
from .intervals import empirical_interval, status
from .methods import AUTO, METHODS, Fitted, choices, fit, names, predict, resolve
from .shared import DEFAULT_PROFILE, cap, month_state, outcomes

__all__ = [
    "DEFAULT_PROFILE",
    "METHODS",
    "Backtest",
    "Projection",
    "backtest_projection",
    "project_absorption",
]


@dataclass(frozen=True, slots=True)
class Projection:
    """Year-end absorption projections per OPD × jenis DAK.

    Attributes
    ----------
    table : DataFrame
        One row per ``kode_wilayah`` × ``jenis_dak``: ``nama_wilayah``, ``tahun``,
        ``periode`` and ``bulan`` (the period its figures stand at: its own latest report up
        to the report's period), ``pagu``, ``realisasi``, ``serapan`` (to date),
        ``proyeksi`` (projected year-end absorption), ``batas_bawah``/``batas_atas`` (the
        interval), ``p_di_bawah_ambang`` (probability of ending below the threshold),
        ``status`` (``on-track``, ``at-risk``, ``will-miss``), ``metode``, ``terkalibrasi``
        (interval from past errors, or not), ``pagu_hilang`` (DAK fisik pagu with no contract
        after the deadline: lost, still in the denominator), ``pagu_tanpa_kontrak`` (no
        contract yet, deadline ahead), ``baris_karantina`` and ``pagu_karantina`` (rows and
        pagu quarantined by validation), ``data_lengkap`` (False when any row was
        quarantined: the projection rests on part of the money) and ``dilaporkan`` (the OPD
        reported for the report's period ``as_of`` itself; when False, its row is projected
        from its latest report, flagged ``report-missing`` and marked in every ranking).
    as_of : Timestamp
        The report's period: ``as_of`` if given, else the latest period in the data.
    as_of_by_kind : dict
        Each jenis DAK's own period: the latest of its OPDs' reports up to ``as_of``. Each kind
        is projected there, never at a later period it has no reports for.
    profile : DataFrame
        Typical cumulative absorption of pagu at the end of each month (index ``bulan``
        1–12, a column per jenis DAK): learned from history, or :data:`DEFAULT_PROFILE`.
    notes : list of str
        What the projection rests on (e.g. no history: default profile, not calibrated), in
        English; :meth:`notes_in` gives them in either language.
    notes_id : list of str
        The same notes in Indonesian, in the same order.
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    threshold: float
    interval: float
    method: str
    rules: Rules
    profile: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    as_of_by_kind: dict[str, pd.Timestamp] = field(default_factory=dict)
    notes_id: list[str] = field(default_factory=list)

    def notes_in(self, lang: str = "id") -> list[str]:
        """The notes in ``lang`` (``"id"`` or ``"en"``)."""
        check_lang(lang)
        return list(self.notes_id) if lang == "id" and len(self.notes_id) == len(
            self.notes) else list(self.notes)

    @property
    def stale(self) -> pd.DataFrame:
        """The rows projected from a report older than :attr:`as_of` (``dilaporkan`` False)."""
        return self.table[~self.table["dilaporkan"].astype(bool)]

    def summary(self, *, lang: str = "id") -> str:
        """A few lines in ``lang`` (``"id"`` or ``"en"``): as-of, threshold, counts per
        status, notes."""
        check_lang(lang)
        en = lang == "en"
        t = self.table
        counts = t["status"].value_counts().to_dict()
        pct = functools.partial(fmt_pct, lang=lang, decimals=0)
        lines = [(f"Year-end absorption projection as of {fmt_month(self.as_of, lang)} "
                  f"(threshold " if en else
                  f"Proyeksi serapan akhir tahun per {fmt_month(self.as_of, lang)} (ambang ")
                 + f"{pct(self.threshold)}, interval {pct(self.interval)}, "
                 + ("method" if en else "metode") + f" {self.method}): "
                 + ", ".join(f"{STATUSES.label(k, lang)} {counts.get(k, 0)}"
                             for k in STATUSES)]
        for kind, when in self.as_of_by_kind.items():
            if when != self.as_of:
                lines.append(f"  {KINDS.label(kind, lang)}: "
                             + (f"as of {fmt_month(when, lang)}, its latest report" if en else
                                f"per {fmt_month(when, lang)}, laporan terakhirnya"))
        incomplete = int((~t["data_lengkap"]).sum()) if len(t) else 0
        if incomplete:
            lines.append(f"  {incomplete} OPD × DAK kind with quarantined rows or a file not "
                         f"read: data incomplete" if en else
                         f"  {incomplete} OPD × jenis DAK dengan baris dikarantina atau berkas "
                         f"tidak dibaca: data tidak lengkap")
        lines.extend(f"  {'note' if en else 'catatan'}: {n}" for n in self.notes_in(lang))
        return "\n".join(lines)

    def _ranking_html(self, lang: str = "id") -> str:
        """The OPDs lowest projection first, as a person reads them (percents, the status
        label in ``lang``, the row in its status colour), as a notebook table."""
        check_lang(lang)
        t = self.table.sort_values(["proyeksi", "kode_wilayah"], kind="stable")
        view = pd.DataFrame({
            "wilayah": t["nama_wilayah"].astype(str) + " (" + t["kode_wilayah"].astype(str)
                       + ")",
            "jenis_dak": t["jenis_dak"].map(lambda k: KINDS.label(k, lang, short=True)),
            "serapan": t["serapan"].map(_pct),
            "proyeksi": t["proyeksi"].map(_pct),
            "interval": [f"{_pct(lo)}–{_pct(hi)}" for lo, hi in
                         zip(t["batas_bawah"], t["batas_atas"], strict=True)],
            "status": t["status"].map(lambda s: STATUSES.label(s, lang)),
        })
        fills = STATUSES.fills()
        return table(view, fills={i: fills[s] for i, s in enumerate(t["status"]) if s in fills})

    def __repr__(self) -> str:
        counts = self.table["status"].value_counts()
        by = ", ".join(f"{s} {int(counts.get(s, 0))}" for s in STATUSES)
        return (f"Projection(as_of={self.as_of:%Y-%m}, method={self.method!r}, "
                f"threshold={self.threshold:.0%}, opd={len(self.table)}, {by})")

    def _repr_html_(self) -> str:
        """Compact HTML for notebooks: the counts per status, then the ranking (lowest
        projection first, rows in their status colour)."""
        counts = self.table["status"].value_counts()
        facts = [f"per {self.as_of:%Y-%m}", f"ambang / threshold {self.threshold:.0%}",
                 f"metode / method {self.method}",
                 *(f"{STATUSES.label(s)}: {int(counts.get(s, 0))}" for s in STATUSES)]
        sections = [("peringkat, terendah dulu / ranking, lowest first", self._ranking_html())]
        if self.notes:
            sections.append(("catatan / notes", table(pd.DataFrame({"catatan": self.notes}))))
        return card("Projection", facts, sections)


def _pct(value: object) -> str:
    """A fraction as a percent for people (``0.931`` -> ``93.1 %``); missing is ``-``."""
    return "-" if value is None or pd.isna(value) else f"{float(value):.1%}".replace("%", " %")


def project_absorption(frame: Any, *, history: Any = None, method: str = "auto",
                       rules: Rules | None = None, threshold: float | None = None,
                       as_of: object = None, interval: float = 0.8) -> Projection:
    """Project each OPD's year-end absorption and the chance it ends below the threshold.

    Parameters
    ----------
    frame : ValidationReport, Export or DataFrame
        The current year's data; a ValidationReport's valid rows are used and its quarantine
        marks OPDs whose data are incomplete. Rows of earlier years in ``frame`` are used as
        history too.
    history : ValidationReport, Export, DataFrame or path(s), optional
        Earlier complete years (January–December) to learn profiles, models and errors from.
    method : {"auto", "run-rate", "profile", "regression", "fisik-items"}
        Or any method added to the registry (:func:`~.methods.register`).
    rules : Rules, optional
        Threshold (0.93), status cut-offs, contract deadlines.
    threshold : float, optional
        Overrides ``rules.threshold``.
    as_of : str or date, optional
        The report's period (default: the latest in ``frame``; never the clock). Each OPD ×
        jenis DAK is projected from its own latest report up to it, so a kind exported to
        June beside another exported to July is projected at June, exactly as on its own;
        those without a report for ``as_of`` are marked (``dilaporkan`` False). A period
        later than every report is refused (:class:`ProjectionError`).
    interval : float
        Coverage of the interval (0.8: an 80 % interval).

    Returns
    -------
    Projection

    Raises
    ------
    ConfigError
        ``method`` is not one of the methods, ``interval`` is not between 0 and 1, or
        ``threshold``/``rules`` are invalid.
    ProjectionError
        ``as_of`` is later than every report, or the data hold nothing to project.
    ExportFormatError
        ``history`` given as paths cannot be read (see :func:`~dak_monitor.read_export`).

    Examples
    --------
    >>> from dak_monitor.datasets import make_export
    >>> cur = make_export("nonfisik", year=2024, months=range(1, 7), seed=0)
    >>> proj = project_absorption(cur)          # no history: default profile, not calibrated
    >>> proj.table[["kode_wilayah", "serapan", "proyeksi", "status"]].head(2)  # doctest: +SKIP
    >>> proj.notes[0]
    'no history: the built-in typical profile (docs/glossary.md) is used and the intervals are wide and not calibrated'
    >>> proj.notes_in("id")[0]
    'tanpa riwayat: profil tipikal bawaan (docs/glossary.md) dipakai; interval lebar dan tidak terkalibrasi'
    """  # noqa: E501
    rules = rules or Rules()
    if threshold is not None:
        rules = dataclasses.replace(rules, threshold=float(threshold))
    if not 0 < interval < 1:
        msg = f"interval must be between 0 and 1 (e.g. 0.8), not {interval!r}"
        raise ConfigError(msg)
    if method not in choices():
        msg = f"unknown method {method!r}; choose from {choices()}"
        raise ConfigError(msg)
    # The API boundary: reports, exports and history paths become frames here.
    current, quarantine = as_current(frame)
    return _project(current, quarantine, as_history(history), method=method, rules=rules,
                    as_of=as_of, interval=interval, failed=incomplete_regions(frame))


def _project(current: pd.DataFrame, quarantine: pd.DataFrame | None,
             hist: pd.DataFrame | None, *, method: str, rules: Rules, as_of: object,
             interval: float, failed: set[tuple[str, str]] | None = None) -> Projection:
    """The projection stage, on frames: current rows, their quarantine, history rows."""
    when = resolve_as_of(current, as_of)
    if as_of is not None:
        refuse_as_of_beyond(current, when)
    year = when.year
    earlier = current[current[C.TAHUN].astype("Float64") < year]
    hist = pd.concat([h for h in (hist, earlier) if h is not None and len(h)],
                     ignore_index=True) if (hist is not None or len(earlier)) else None
    if hist is not None:
        hist = hist[hist[C.TAHUN].astype("Float64") < year]
    cur = current[current[C.TAHUN].astype("Float64") == year]
    cur = cur[pd.to_datetime(cur[C.PERIODE]) <= when]
    if cur.empty:
        msg = f"no rows of fiscal year {year} up to {when:%Y-%m} to project from"
        raise ProjectionError(msg)
    # Each OPD x kind stands at its own latest report: a kind exported to June beside one
    # exported to July is projected at June (never with June's figures read as July's).
    own = latest_periods(cur, when)
    by_kind = {kind: pd.Timestamp(own.xs(kind, level=1).max())
               for kind in C.KINDS if kind in own.index.get_level_values(1)}
    own_month = own.dt.month.rename("_own").reset_index()
    items_cur, panel_cur = month_state(cur, rules)
    months = sorted(set(own_month["_own"].astype(int)))
    notes: list[str] = []
    resid: dict[tuple[str, int, str], np.ndarray] = {}
    best: dict[tuple[str, int], str] = {}
    fitted: Fitted = fit(None, None)
    if hist is not None and len(hist):
        items_h, panel_h = month_state(hist, rules)
        n_years = int(outcomes(panel_h)["tahun"].nunique())
        if n_years >= 1:
            fitted = fit(panel_h, items_h)
        if n_years >= 2:
            preds = loyo_predictions(panel_h, items_h, names(),
                                     sorted({m if m < 12 else 11 for m in months}))
            resid = residuals(preds)
            best = best_methods(preds)
        else:
            notes.append((f"history has {n_years} complete year(s): intervals need two or "
                          f"more to be calibrated; the default spread is used",
                          f"riwayat hanya {n_years} tahun lengkap: interval perlu dua tahun atau "
                          f"lebih untuk dikalibrasi; sebaran bawaan dipakai"))
    else:
        notes.append(("no history: the built-in typical profile (docs/glossary.md) is used "
                      "and the intervals are wide and not calibrated",
                      "tanpa riwayat: profil tipikal bawaan (docs/glossary.md) dipakai; "
                      "interval lebar dan tidak terkalibrasi"))
    notes.extend(_as_of_notes(own, by_kind, when))
    if len(earlier):
        files = sorted(set(earlier[C.SUMBER_FILE].astype(str))) if C.SUMBER_FILE in earlier else []
        years = sorted({int(y) for y in earlier[C.TAHUN].dropna()})
        where = f" ({', '.join(files[:5])}{' …' if len(files) > 5 else ''})" if files else ""
        ys = ", ".join(map(str, years))
        notes.append((f"{fmt_number(len(earlier), 'en')} rows of fiscal year(s) {ys} in the "
                      f"current exports are used as history, not as {year}{where}",
                      f"{fmt_number(len(earlier), 'id')} baris tahun anggaran {ys} dalam ekspor "
                      f"saat ini dipakai sebagai riwayat, bukan sebagai {year}{where}"))
    later = current[(current[C.TAHUN].astype("Float64") == year).fillna(False)
                    & (pd.to_datetime(current[C.PERIODE]) > when)]
    if len(later):
        notes.append((f"{fmt_number(len(later), 'en')} rows after {when:%Y-%m} are not used "
                      f"(as_of {when:%Y-%m})",
                      f"{fmt_number(len(later), 'id')} baris setelah {when:%Y-%m} tidak dipakai "
                      f"(posisi {when:%Y-%m})"))
    parts = []
    for kind in C.KINDS:
        own_k = own_month[own_month[C.JENIS_DAK] == kind]
        for month in sorted(set(own_k["_own"].astype(int))):
            # The kind's whole state at that month, so an OPD standing at May is projected
            # exactly as it would be in a May report of everyone (the province's signal
            # included); only the OPDs whose own month it is are kept.
            c = panel_cur[(panel_cur[C.JENIS_DAK] == kind)
                          & (panel_cur["bulan"] == month)].reset_index(drop=True)
            mine = c[C.KODE_WILAYAH].isin(own_k.loc[own_k["_own"] == month, C.KODE_WILAYAH])
            chosen = method
            if method == "auto":
                chosen = best.get((kind, month), AUTO.without_backtest(fitted.n_years))
            chosen = resolve(chosen, kind, fitted.n_years)
            ic = items_cur[(items_cur[C.JENIS_DAK] == kind) & (items_cur["bulan"] == month)]
            pred = predict(chosen, c, ic, fitted, kind, month)
            serapan = c["serapan"].fillna(0).to_numpy(dtype=float)
            if month >= 12:
                lo, hi, p = serapan, serapan, (serapan < rules.threshold).astype(float)
                calibrated = True
            else:
                lo, hi, p, calibrated = empirical_interval(
                    pred, serapan, cap(c), resid.get((kind, month, chosen)), interval,
                    rules.threshold)
            parts.append(c.assign(proyeksi=pred, batas_bawah=lo, batas_atas=hi,
                                  p_di_bawah_ambang=p, metode=chosen,
                                  terkalibrasi=calibrated)[mine.to_numpy()])
    table = pd.concat(parts, ignore_index=True)
    table["status"] = status(table["p_di_bawah_ambang"].to_numpy(), rules)
    table = _decorate(table, cur, quarantine, when, failed or set())
    shared = fitted.shared
    profile = pd.DataFrame({k: v * shared.mean_year_end[k] for k, v in shared.share.items()},
                           index=range(1, 13))
    profile.index.name = "bulan"
    return Projection(table=table, as_of=when, threshold=rules.threshold, interval=interval,
                      method=method, rules=rules, profile=profile,
                      notes=[en for en, _ in notes], notes_id=[id_ for _, id_ in notes],
                      as_of_by_kind=by_kind)


def _as_of_notes(own: pd.Series, by_kind: dict[str, pd.Timestamp],
                 when: pd.Timestamp) -> list[tuple[str, str]]:
    """What the as-of rests on, said whenever a kind or an OPD stands before ``when``: each
    note in English and Indonesian."""
    notes = []
    for kind, at in by_kind.items():
        if at < when:
            notes.append((f"{KINDS.label(kind, 'en')}: latest report {at:%Y-%m}, before the "
                          f"report's period {when:%Y-%m}: projected as of {at:%Y-%m}; its "
                          f"{when:%Y-%m} reports are missing",
                          f"{KINDS.label(kind)}: laporan terakhir {at:%Y-%m}, sebelum periode "
                          f"laporan {when:%Y-%m}: diproyeksikan per {at:%Y-%m}; laporan "
                          f"{when:%Y-%m}-nya tidak ada"))
    lagging = own[(own < when) & own.index.get_level_values(1).map(
        lambda k: by_kind.get(k) == when)]
    if len(lagging):
        def names(lang: str) -> str:
            return ", ".join(f"{kode} ({KINDS.label(kind, lang)}, {at:%Y-%m})"
                             for (kode, kind), at in lagging.head(10).items())
        n_more = len(lagging) - 10
        notes.append((f"{len(lagging)} OPD × DAK kind have no report for {when:%Y-%m} and are "
                      f"projected from their latest: {names('en')}"
                      + (f" and {n_more} more" if n_more > 0 else ""),
                      f"{len(lagging)} OPD × jenis DAK tidak punya laporan {when:%Y-%m} dan "
                      f"diproyeksikan dari laporan terakhirnya: {names('id')}"
                      + (f" dan {n_more} lainnya" if n_more > 0 else "")))
    return notes


def _quarantine_stats(quarantine: pd.DataFrame | None, year: int) -> pd.DataFrame:
    cols = [C.KODE_WILAYAH, C.JENIS_DAK, "baris_karantina", "pagu_karantina"]
    if quarantine is None or quarantine.empty:
        return pd.DataFrame(columns=cols)
    q = quarantine
    if C.TAHUN in q:
        q = q[(q[C.TAHUN].astype("Float64") == year).fillna(True)]
    g = q.groupby([C.KODE_WILAYAH, C.JENIS_DAK], dropna=False).agg(
        baris_karantina=(C.SUMBER_BARIS, "size"),
        pagu_karantina=(C.PAGU, lambda s: float(pd.to_numeric(s, errors="coerce").sum())))
    return g.reset_index()


def _decorate(table: pd.DataFrame, cur: pd.DataFrame, quarantine: pd.DataFrame | None,
              when: pd.Timestamp, failed: set[tuple[str, str]]) -> pd.DataFrame:
    given = (cur.dropna(subset=[C.NAMA_WILAYAH]).drop_duplicates(C.KODE_WILAYAH, keep="last")
             .set_index(C.KODE_WILAYAH)[C.NAMA_WILAYAH])
    ref = load_regions()
    official = ref.drop_duplicates("kode").set_index("kode")["nama"]
    table["nama_wilayah"] = table[C.KODE_WILAYAH].map(official).fillna(
        table[C.KODE_WILAYAH].map(given))
    q = _quarantine_stats(quarantine, when.year)
    for frame in (q, table):  # quarantined rows may have no code at all (all NaN: float)
        for key in (C.KODE_WILAYAH, C.JENIS_DAK):
            frame[key] = frame[key].astype(object)
    table = table.merge(q, on=[C.KODE_WILAYAH, C.JENIS_DAK], how="left")
    table["baris_karantina"] = table["baris_karantina"].fillna(0).astype(int)
    table["pagu_karantina"] = table["pagu_karantina"].fillna(0.0)
    # Incomplete: rows quarantined, a file with this OPD's figures not read, or its money in
    # an unstated unit too small to be Rupiah.
    in_failed = [(k, j) in failed for k, j in zip(table[C.KODE_WILAYAH], table[C.JENIS_DAK],
                                                    strict=True)]
    table["data_lengkap"] = (table["baris_karantina"] == 0) & ~np.array(in_failed, dtype=bool)
    table["periode"] = [pd.Timestamp(int(y), int(m), 1) + pd.offsets.MonthEnd(0)
                        for y, m in zip(table["tahun"], table["bulan"], strict=True)]
    table["dilaporkan"] = table["periode"] == when
    table = table.rename(columns={"hilang": "pagu_hilang", "tanpa_kontrak": "pagu_tanpa_kontrak"})
    cols = [C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, "tahun", "periode", "bulan", C.PAGU,
            C.REALISASI, "serapan", "proyeksi", "batas_bawah", "batas_atas",
            "p_di_bawah_ambang", "status", "metode", "terkalibrasi", "pagu_hilang",
            "pagu_tanpa_kontrak", "macet", "baris_karantina", "pagu_karantina", "data_lengkap",
            "dilaporkan"]
    return table[cols].sort_values([C.JENIS_DAK, C.KODE_WILAYAH]).reset_index(drop=True)
