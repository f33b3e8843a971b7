"""What changed since the previous report: two monthly :class:`MonitorResult` side by side.

Per OPD (``kode_wilayah``) × jenis DAK: absorption and projection then and now, the status
change, the flags new and resolved (by code); per item: the periods a later export revised
(the one revision rule, :func:`~dak_monitor._reporting.revisions`), the items added or removed
and the pagu changes (the ``pagu-changed`` check of the catalogue, applied to last month's and
this month's figure of each item). The table is ordered by what an analyst must act on first:
the order of :data:`~dak_monitor._vocab.CHANGES`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from ._checks import CHECKS
from ._config import Rules
from ._items import item_keys
from ._monitor import MonitorResult
from ._reporting import in_year, revisions
from ._text import say
from ._vocab import (
    AT_RISK,
    CHANGES,
    COMPARE_TEXT,
    ERROR,
    FLAGS_RESOLVED,
    ITEM_ADDED,
    ITEM_CHANGES,
    ITEM_REMOVED,
    ITEM_REVISED,
    ITEMS_ADDED,
    ITEMS_REMOVED,
    KINDS,
    NEW_ERROR_FLAG,
    NEW_FLAG,
    NEWLY_AT_RISK,
    NEWLY_REPORTED,
    NEWLY_WILL_MISS,
    NO_LONGER_REPORTED,
    PAGU_CHANGED,
    REVISED_PAST,
    STATUS_IMPROVED,
    STATUSES,
    UNCHANGED,
    WILL_MISS,
    check_lang,
)
from ._vocab import columns as C
from .exceptions import ConfigError, UnsupportedInputError

__all__ = ["Comparison", "as_comparison", "compare_reports"]

_UNIT: Final = [C.KODE_WILAYAH, C.JENIS_DAK]
TABLE_COLUMNS: Final = (
    "urutan", "perubahan", "perubahan_lain", C.KODE_WILAYAH, C.NAMA_WILAYAH, C.JENIS_DAK,
    "status_lalu", "status", "serapan_lalu", "serapan", "proyeksi_lalu", "proyeksi",
    "flag_baru", "flag_selesai", "n_periode_direvisi", "n_pagu_berubah", "n_item_hilang",
    "n_item_baru",
)
ITEM_COLUMNS: Final = (
    "perubahan", C.KODE_WILAYAH, C.NAMA_WILAYAH, C.JENIS_DAK, C.MENU, C.RINCIAN, C.PERIODE,
    "kolom", "lama", "baru", "file_lama", "file_baru",
)
#: How many OPD × kinds :meth:`Comparison.summary` names one by one.
SUMMARY_ROWS: Final = 10


@dataclass(frozen=True, slots=True)
class Comparison:
    """What changed between two monthly reports, from :func:`compare_reports`.

    Attributes
    ----------
    table : DataFrame
        One row per OPD × jenis DAK in either report, ordered by what to act on first:
        ``urutan`` (the rank of its main change in :data:`~dak_monitor._vocab.CHANGES`:
        ``newly-will-miss``, ``newly-at-risk``, ``new-error-flag``, ``no-longer-reported``,
        ``revised-past``, ``pagu-changed``, ``items-removed``, ``new-flag``, ``newly-reported``,
        ``items-added``, ``status-improved``, ``flags-resolved``, ``unchanged``), then the
        lowest projection. ``perubahan`` (the main change), ``perubahan_lain`` (the others,
        comma-separated), ``status_lalu`` / ``status``, ``serapan_lalu`` / ``serapan``,
        ``proyeksi_lalu`` / ``proyeksi`` (then and now; missing where the OPD × kind is in one
        report only), ``flag_baru`` / ``flag_selesai`` (flag codes new and resolved,
        comma-separated), and the counts of item changes.
    items : DataFrame
        One row per item change: ``perubahan`` (:data:`~dak_monitor._vocab.ITEM_CHANGES`:
        ``item-removed``, ``pagu-changed``, ``revised``, ``item-added``), the item, the
        ``periode`` concerned, ``kolom``, ``lama`` / ``baru`` values and the files they come
        from; in the order of :attr:`table`.
    previous_as_of, as_of : Timestamp
        The periods of the two reports.
    lang : str
        The default language of :meth:`summary`.
    notes : tuple of str
        What the comparison rests on.
    """

    table: pd.DataFrame
    items: pd.DataFrame
    previous_as_of: pd.Timestamp
    as_of: pd.Timestamp
    lang: str
    notes: tuple[str, ...]

    def counts(self) -> dict[str, int]:
        """How many OPD × kinds have each main change, in the order of priority."""
        c = self.table["perubahan"].value_counts()
        return {code: int(c[code]) for code in CHANGES if code in c}

    def summary(self, lang: str | None = None, *, max_rows: int = SUMMARY_ROWS) -> str:
        """The changes in ``lang`` (default :attr:`lang`): a title, the counts by main change,
        the first ``max_rows`` OPD × kinds to act on, and the item changes counted.

        Examples
        --------
        >>> import dak_monitor as dm  # doctest: +SKIP
        >>> print(dm.compare_reports(june, july).summary("en"))  # doctest: +SKIP
        """
        lang = check_lang(lang or self.lang)
        text = COMPARE_TEXT.labels(lang)
        lines = [say(text["title"], lang, lalu=self.previous_as_of, kini=self.as_of)]
        counts = self.counts()
        acted = {k: v for k, v in counts.items() if k != UNCHANGED}
        parts = ", ".join(f"{CHANGES.label(k, lang)} {v}" for k, v in counts.items())
        lines.append(say(text["counts"], lang, n=len(self.table), bagian=parts)
                     if acted else text["nothing"])
        shown = self.table[self.table["perubahan"] != UNCHANGED]
        absent = text["absent"]
        for r in shown.head(max_rows).itertuples(index=False):
            lines.append("- " + say(
                text["row"], lang, nama=r.nama_wilayah if isinstance(r.nama_wilayah, str)
                else r.kode_wilayah, jenis=KINDS.label(r.jenis_dak, lang, short=True),
                utama=", ".join(CHANGES.label(c, lang) for c in
                                [r.perubahan, *_split(r.perubahan_lain)]),
                s0=STATUSES.label(r.status_lalu, lang) if isinstance(r.status_lalu, str)
                else absent,
                s1=STATUSES.label(r.status, lang) if isinstance(r.status, str) else absent,
                p0=_num(r.proyeksi_lalu), p1=_num(r.proyeksi), a0=_num(r.serapan_lalu),
                a1=_num(r.serapan)))
        if len(shown) > max_rows:
            lines.append("- " + say(text["more"], lang, n=len(shown) - max_rows))
        if len(self.items):
            c = self.items["perubahan"].value_counts()
            lines.append(say(text["items"], lang, bagian=", ".join(
                f"{ITEM_CHANGES.label(k, lang)} {int(c[k])}" for k in ITEM_CHANGES if k in c)))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain JSON-ready data: periods, counts, both tables, notes.

        Missing values are ``None``, periods ISO dates.
        """
        return {"previous_as_of": self.previous_as_of.date().isoformat(),
                "as_of": self.as_of.date().isoformat(), "counts": self.counts(),
                "table": _records(self.table), "items": _records(self.items),
                "notes": list(self.notes)}

    def __repr__(self) -> str:
        acted = int((self.table["perubahan"] != UNCHANGED).sum())
        return (f"Comparison({self.previous_as_of:%Y-%m} -> {self.as_of:%Y-%m}, "
                f"opd_kinds={len(self.table)}, changed={acted}, item_changes={len(self.items)})")


def compare_reports(previous: MonitorResult, current: MonitorResult, *, lang: str = "id"
                    ) -> Comparison:
    """What changed since the previous report, ordered by what to act on first.

    Per OPD × jenis DAK: absorption and projection then and now, the status change, flags new
    and resolved (by code). Per item (its latest report in each result, valid rows only):

    * ``revised``: a period both reports carry whose pagu, realisasi or penyaluran the current
      export changed — the one revision rule of :func:`reporting_status` (the later figure
      stands);
    * ``item-added`` / ``item-removed``: in the OPD × kind's latest report now and not then,
      or then and not now;
    * ``pagu-changed``: the ``pagu-changed`` check of the catalogue run on each item's figure
      last month followed by its figure now (same tolerance, ``Rules.money_tolerance``).

    The main change of an OPD × kind is the first that applies in the order of
    :data:`~dak_monitor._vocab.CHANGES`; the table is sorted by it (``urutan``), then by the
    lowest projection.

    Parameters
    ----------
    previous, current : MonitorResult
        Last month's and this month's :func:`monitor` results (same options and history).
    lang : {"id", "en"}
        The default language of :meth:`Comparison.summary`.

    Returns
    -------
    Comparison

    Raises
    ------
    UnsupportedInputError
        ``previous`` or ``current`` is not a :class:`MonitorResult`.
    ConfigError
        ``previous`` is about a later period than ``current`` (swapped?), or ``lang``.

    Examples
    --------
    >>> import pandas as pd, dak_monitor as dm
    >>> f = pd.DataFrame({"tahun": 2024, "periode": ["05/2024", "06/2024"],
    ...     "kode_wilayah": "32.05", "jenis_dak": "nonfisik", "menu": "BKB",
    ...     "pagu": [100e6, 120e6], "realisasi": [40e6, 50e6]})
    >>> may, june = dm.monitor(f.iloc[:1]), dm.monitor(f)
    >>> c = dm.compare_reports(may, june, lang="en")
    >>> c.items[["perubahan", "kolom", "lama", "baru"]].values.tolist()
    [['pagu-changed', 'pagu', 100000000.0, 120000000.0]]
    >>> print(c.summary().splitlines()[0])
    Changes since May 2024 (report of June 2024)

    On the samples: last month's folder, then this month's (see the README).

    >>> june = dm.monitor("data_samples/current")  # doctest: +SKIP
    >>> july = dm.monitor("data_samples/july")  # doctest: +SKIP
    >>> dm.compare_reports(june, july).table.head()  # doctest: +SKIP
    """
    check_lang(lang)
    for name, r in (("previous", previous), ("current", current)):
        if not isinstance(r, MonitorResult):
            msg = (f"compare_reports: {name} must be a MonitorResult (dm.monitor(...)), not "
                   f"{type(r).__name__}")
            raise UnsupportedInputError(msg)
    t0, t1 = previous.as_of, current.as_of
    if t0 > t1:
        msg = (f"compare_reports: previous is about {t0:%Y-%m}, later than current "
               f"({t1:%Y-%m}); give last month's result first")
        raise ConfigError(msg)
    rules = current.rules
    notes = [f"previous report: {t0:%Y-%m} ({len(previous.inputs)} input(s)); current: "
             f"{t1:%Y-%m} ({len(current.inputs)} input(s))"]
    if t0.year != t1.year:
        notes.append(f"the reports are of different years ({t0.year}, {t1.year}): no item "
                     "or period is in both, so every item is added or removed")
    old = _rows(previous)
    new = _rows(current)
    items = _item_changes(old, new, t0, t1, rules)
    if t0 == t1:
        notes.append("both reports are about the same period: pagu changes are the current "
                     "figure against the previous one of the same period")
    table = _table(previous, current, items)
    rank = table.set_index(_UNIT)["urutan"]
    if len(items):
        order = pd.MultiIndex.from_frame(items[_UNIT]).map(rank.to_dict().get)
        items = items.assign(_u=np.asarray(order, dtype=float), _c=items["perubahan"].map(
            {c: i for i, c in enumerate(ITEM_CHANGES)}))
        items = items.sort_values(["_u", C.KODE_WILAYAH, C.JENIS_DAK, "_c", C.MENU,
                                   C.PERIODE], kind="stable").drop(columns=["_u", "_c"])
    notes.append(f"revisions: {int((items['perubahan'] == ITEM_REVISED).sum())} figure(s) of "
                 "the previous export changed by the current one (the current figure is used)")
    notes.append("order: " + ", ".join(CHANGES.label(c, "en") for c in CHANGES))
    return Comparison(table=table, items=items.reset_index(drop=True)[list(ITEM_COLUMNS)],
                      previous_as_of=t0, as_of=t1, lang=lang, notes=tuple(notes))


def as_comparison(previous: Any, result: MonitorResult, lang: str = "id") -> Comparison | None:
    """The comparison a writer's ``previous=`` asks for: None for None; last month's
    :class:`MonitorResult` compared with ``result``; a :class:`Comparison` already made, if it
    is about ``result``'s period. Anything else is an :class:`UnsupportedInputError`."""
    if previous is None:
        return None
    if isinstance(previous, Comparison):
        if previous.as_of != result.as_of:
            msg = (f"previous= is a comparison up to {previous.as_of:%Y-%m}, but the report is "
                   f"about {result.as_of:%Y-%m}; compare last month's result with this one")
            raise ConfigError(msg)
        return previous
    if isinstance(previous, MonitorResult):
        return compare_reports(previous, result, lang=lang)
    msg = (f"previous= must be last month's MonitorResult (dm.monitor(...)) or a Comparison "
           f"(dm.compare_reports(...)), not {type(previous).__name__}")
    raise UnsupportedInputError(msg)


# ------------------------------------------------------------------------------ items
def _rows(result: MonitorResult) -> pd.DataFrame:
    """A result's valid rows of its as-of year up to its as-of."""
    return in_year(result.validation.valid, result.as_of).drop(
        columns="_kunci_item", errors="ignore")


def _latest(rows: pd.DataFrame) -> pd.DataFrame:
    """Each item's row in its OPD × kind's latest report (the last such row in file order)."""
    if not len(rows):
        return rows
    last = rows.groupby(_UNIT)[C.PERIODE].transform("max")
    return rows[rows[C.PERIODE] == last].drop_duplicates("_item", keep="last")


def _item_changes(old: pd.DataFrame, new: pd.DataFrame, t0: pd.Timestamp, t1: pd.Timestamp,
                  rules: Rules) -> pd.DataFrame:
    revs = revisions(old, new, rules=rules)
    both = pd.concat([old.assign(_src=0), new.assign(_src=1)], ignore_index=True)
    both["_item"] = item_keys(both).to_numpy() if len(both) else []
    a = _latest(both[both["_src"] == 0])
    b = _latest(both[both["_src"] == 1])
    out = [revs.assign(perubahan=ITEM_REVISED)[[c for c in ITEM_COLUMNS
                                                if c in revs or c == "perubahan"]]]
    removed = a[~a["_item"].isin(b["_item"])]
    added = b[~b["_item"].isin(a["_item"])]
    out.append(_shaped(removed, ITEM_REMOVED, lama=removed[C.PAGU], baru=np.nan,
                       file_lama=removed.get(C.SUMBER_FILE), file_baru=None))
    out.append(_shaped(added, ITEM_ADDED, lama=np.nan, baru=added[C.PAGU], file_lama=None,
                       file_baru=added.get(C.SUMBER_FILE)))
    out.append(_pagu_changes(a[a["_item"].isin(b["_item"])], b[b["_item"].isin(a["_item"])],
                             t0, t1, rules))
    out = [o for o in out if len(o)]
    if not out:
        return pd.DataFrame(columns=list(ITEM_COLUMNS))
    res = pd.concat(out, ignore_index=True)
    for c in ITEM_COLUMNS:
        if c not in res:
            res[c] = None
    return res[list(ITEM_COLUMNS)]


def _shaped(rows: pd.DataFrame, change: str, **values: Any) -> pd.DataFrame:
    if not len(rows):
        return pd.DataFrame(columns=list(ITEM_COLUMNS))
    f = pd.DataFrame({c: rows[c].to_numpy() if c in rows else None
                      for c in (C.KODE_WILAYAH, C.NAMA_WILAYAH, C.JENIS_DAK, C.MENU,
                                C.RINCIAN, C.PERIODE)})
    f.insert(0, "perubahan", change)
    f["kolom"] = C.PAGU
    for k, v in values.items():
        f[k] = v.to_numpy() if isinstance(v, pd.Series) else v
    return f


def _pagu_changes(a: pd.DataFrame, b: pd.DataFrame, t0: pd.Timestamp, t1: pd.Timestamp,
                  rules: Rules) -> pd.DataFrame:
    """The ``pagu-changed`` check run on each item's figure last month (at ``t0``) followed by
    its figure now (at ``t1``; a day after ``t0`` when both reports are of one period)."""
    if not len(a):
        return pd.DataFrame(columns=list(ITEM_COLUMNS))
    later = t1 if t1 > t0 else t0 + pd.Timedelta(days=1)
    frame = pd.concat([a.assign(**{C.PERIODE: t0}), b.assign(**{C.PERIODE: later})],
                      ignore_index=True).drop(columns="_item")
    changed = CHECKS["pagu-changed"].find(frame, rules).to_numpy(dtype=bool)
    now = b.assign(_changed=changed[len(a):])
    hit = now[now["_changed"]]
    then = a.set_index("_item")
    return _shaped(hit, PAGU_CHANGED, lama=hit["_item"].map(then[C.PAGU]).astype(float),
                   baru=hit[C.PAGU].astype(float),
                   file_lama=hit["_item"].map(then[C.SUMBER_FILE]) if C.SUMBER_FILE in then
                   else None, file_baru=hit.get(C.SUMBER_FILE))


# ------------------------------------------------------------------------- OPD × kind
def _units(result: MonitorResult) -> pd.DataFrame:
    return result.projection.table[[*_UNIT, C.NAMA_WILAYAH, "status", "serapan", "proyeksi"]]


def _flag_sets(flags: pd.DataFrame) -> dict[tuple[str, str], dict[str, str]]:
    """(kode_wilayah, jenis_dak) -> {flag code: severity}."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for k, j, code, sev in zip(flags[C.KODE_WILAYAH], flags[C.JENIS_DAK], flags["code"],
                               flags["severity"], strict=True):
        out.setdefault((str(k), str(j)), {})[str(code)] = str(sev)
    return out


def _table(previous: MonitorResult, current: MonitorResult, items: pd.DataFrame
           ) -> pd.DataFrame:
    then, now = _units(previous), _units(current)
    t = then.merge(now, on=_UNIT, how="outer", suffixes=("_lalu", ""), indicator="sisi")
    t[C.NAMA_WILAYAH] = t[C.NAMA_WILAYAH].fillna(t.pop(f"{C.NAMA_WILAYAH}_lalu"))
    f0, f1 = _flag_sets(previous.flags), _flag_sets(current.flags)
    rank = {code: i for i, code in enumerate(STATUSES)}
    rows = []
    for r in t.itertuples(index=False):
        key = (str(r.kode_wilayah), str(r.jenis_dak))
        old_f, new_f = f0.get(key, {}), f1.get(key, {})
        new_codes = [c for c in new_f if c not in old_f]
        gone_codes = [c for c in old_f if c not in new_f]
        counts = _item_counts(items, key) if len(items) else {}
        s0 = r.status_lalu if isinstance(r.status_lalu, str) else None
        s1 = r.status if isinstance(r.status, str) else None
        changes = []
        if s1 == WILL_MISS and s0 != WILL_MISS:
            changes.append(NEWLY_WILL_MISS)
        if s1 == AT_RISK and s0 not in (AT_RISK, WILL_MISS):
            changes.append(NEWLY_AT_RISK)
        if any(new_f[c] == ERROR for c in new_codes):
            changes.append(NEW_ERROR_FLAG)
        if r.sisi == "left_only":
            changes.append(NO_LONGER_REPORTED)
        if counts.get("n_periode_direvisi"):
            changes.append(REVISED_PAST)
        if counts.get("n_pagu_berubah"):
            changes.append(PAGU_CHANGED)
        if counts.get("n_item_hilang"):
            changes.append(ITEMS_REMOVED)
        if any(new_f[c] != ERROR for c in new_codes):
            changes.append(NEW_FLAG)
        if r.sisi == "right_only":
            changes.append(NEWLY_REPORTED)
        if counts.get("n_item_baru"):
            changes.append(ITEMS_ADDED)
        if s0 is not None and s1 is not None and rank[s1] < rank[s0]:
            changes.append(STATUS_IMPROVED)
        if gone_codes:
            changes.append(FLAGS_RESOLVED)
        changes = changes or [UNCHANGED]
        rows.append({
            "urutan": list(CHANGES).index(changes[0]) + 1, "perubahan": changes[0],
            "perubahan_lain": ", ".join(changes[1:]), C.KODE_WILAYAH: r.kode_wilayah,
            C.NAMA_WILAYAH: r.nama_wilayah, C.JENIS_DAK: r.jenis_dak, "status_lalu": s0,
            "status": s1, "serapan_lalu": r.serapan_lalu, "serapan": r.serapan,
            "proyeksi_lalu": r.proyeksi_lalu, "proyeksi": r.proyeksi,
            "flag_baru": ", ".join(new_codes), "flag_selesai": ", ".join(gone_codes),
            **{c: counts.get(c, 0) for c in ("n_periode_direvisi", "n_pagu_berubah",
                                              "n_item_hilang", "n_item_baru")}})
    out = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    for c in ("serapan_lalu", "serapan", "proyeksi_lalu", "proyeksi"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out.sort_values(["urutan", "proyeksi", C.KODE_WILAYAH, C.JENIS_DAK],
                           kind="stable", na_position="last").reset_index(drop=True)


def _item_counts(items: pd.DataFrame, key: tuple[str, str]) -> dict[str, int]:
    sub = items[(items[C.KODE_WILAYAH].astype(str) == key[0])
                & (items[C.JENIS_DAK].astype(str) == key[1])]
    ch = sub["perubahan"]
    rev = sub[ch == ITEM_REVISED]
    return {"n_periode_direvisi": len(rev.drop_duplicates([C.MENU, C.RINCIAN, C.PERIODE])),
            "n_pagu_berubah": int((ch == PAGU_CHANGED).sum()),
            "n_item_hilang": int((ch == ITEM_REMOVED).sum()),
            "n_item_baru": int((ch == ITEM_ADDED).sum())}


# ---------------------------------------------------------------------------- helpers
def _split(text: object) -> list[str]:
    return [p for p in str(text).split(", ") if p] if isinstance(text, str) else []


def _num(v: object) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in frame.to_dict("records"):
        row = {}
        for k, v in rec.items():
            if isinstance(v, pd.Timestamp):
                v = v.date().isoformat()
            elif isinstance(v, (np.integer,)):
                v = int(v)
            elif isinstance(v, (np.floating, float)):
                v = None if v != v else float(v)
            elif v is pd.NA or v is pd.NaT:
                v = None
            row[k] = v
        out.append(row)
    return out
