"""What the meeting report says, computed once and drawn by every writer (workbook, summary).

Compute, then draw: :func:`ranking` and :func:`basis` are plain data; ``_excel`` and
``_summary`` only lay them out. :func:`refuse_inputs` is the output rule every writer obeys:
never overwrite an input file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._flags import FLAGS
from ._regions import short_name
from ._text import fmt_month, fmt_number, fmt_pct
from ._vocab import (
    AT_RISK,
    CHANGES,
    ITEM_CHANGES,
    KINDS,
    MARKS,
    SEVERITIES,
    SEVERITY_RANK,
    STATUSES,
    WILL_MISS,
)
from ._vocab import columns as C
from ._vocab.report import CODE_SUFFIX, COLUMN_KINDS, REPORT_COLUMNS
from .exceptions import OutputError

__all__ = ["as_text", "basis", "cell_text", "changes_for_people", "files_read", "for_people",
           "ranking", "refuse_inputs", "row_marks"]


#: Columns whose values are codes shown to people as labels: column -> the labels' terms.
_LABELLED: dict[str, Any] = {"status": STATUSES, "severity": SEVERITIES, "worst": SEVERITIES,
                             C.JENIS_DAK: KINDS}


def for_people(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A report table as people read it in ``lang``, its codes kept for machines.

    Codes become labels (``status``, ``severity``, ``worst``, ``jenis_dak``; the flag codes
    of ``codes`` become their titles), each code column kept at the end as ``<column>_kode``;
    the message and title of the other language are dropped (``pesan``/``message`` →
    ``pesan``, ``title_id``/``title_en`` → ``judul``); true/false read ``ya``/``tidak``. The
    headers stay column codes: :data:`~dak_monitor._vocab.report.REPORT_COLUMNS` labels them.

    Examples
    --------
    >>> t = pd.DataFrame({"status": ["will-miss"], "pesan": ["x"], "message": ["y"],
    ...                   "data_lengkap": [True]})
    >>> for_people(t, "en").to_dict("records")
    [{'status': 'will miss', 'pesan': 'y', 'data_lengkap': 'yes', 'status_kode': 'will-miss'}]
    """
    out = frame.copy()
    if "message" in out:
        if lang == "en":
            out["pesan"] = out["message"]
        out = out.drop(columns="message")
    if "reason" in out:
        if lang == "en":
            out["alasan"] = out["reason"]
        out = out.drop(columns="reason")
    if "title_id" in out:
        out.insert(list(out.columns).index("title_id"), "judul",
                   out["title_id" if lang == "id" else "title_en"])
        out = out.drop(columns=["title_id", "title_en"])
    codes = {}
    for col, terms in _LABELLED.items():
        if col in out:
            codes[col + CODE_SUFFIX] = out[col]
            out[col] = out[col].map(lambda v, t=terms: t.label(v, lang) if isinstance(v, str)
                                    else v)
    if "codes" in out:
        codes["codes" + CODE_SUFFIX] = out["codes"]
        out["codes"] = out["codes"].map(lambda v: _flag_titles(v, lang))
    yes, no = MARKS.label("yes", lang), MARKS.label("no", lang)
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: yes, False: no})
    for col, values in codes.items():
        out[col] = values
    return out


def cell_text(value: Any, column: str, lang: str) -> str:
    """One value of a report column as a person reads it in ``lang``, by the column's kind
    (:data:`~dak_monitor._vocab.report.COLUMN_KINDS`): ``72,1%``, ``1.234.567``, ``Juni
    2024``, ``30/06/2024``; missing is empty.

    Examples
    --------
    >>> cell_text(0.7214, "serapan", "id"), cell_text(1234567, "pagu", "en")
    ('72,1%', '1,234,567')
    """
    kind = COLUMN_KINDS.get(column)
    if kind == "pct":
        return fmt_pct(value, lang)
    if kind in ("money", "int"):
        return fmt_number(value, lang)
    if kind == "month":
        return fmt_month(value, lang)
    if kind == "date":
        ts = pd.to_datetime(value, errors="coerce")
        return "" if pd.isna(ts) else f"{ts:%d/%m/%Y}"
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def as_text(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table from :func:`for_people` as text for a page or a terminal: every value by
    :func:`cell_text`, headers labelled in ``lang``, the machine-code columns left out."""
    cols = [c for c in frame.columns if not c.endswith(CODE_SUFFIX)]
    return pd.DataFrame({REPORT_COLUMNS.label(c, lang): [cell_text(v, c, lang)
                                                         for v in frame[c]] for c in cols},
                        columns=[REPORT_COLUMNS.label(c, lang) for c in cols])


def _flag_titles(codes: object, lang: str) -> object:
    """``"no-contract-by-s1 ×8, low-s1-absorption ×1"`` with each code's title in ``lang``."""
    if not isinstance(codes, str):
        return codes
    out = []
    for part in codes.split(", "):
        code, sep, n = part.partition(" ×")
        flag = FLAGS.get(code)
        title = (flag.title_id if lang == "id" else flag.title_en) if flag else code
        out.append(title + sep + n)
    return ", ".join(out)


def changes_for_people(comparison: Any, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A :class:`~dak_monitor.Comparison`'s two tables as people read them in ``lang`` (the
    ``Perubahan`` sheet and the summary's section): changes, statuses and kinds as labels, the
    codes kept at the end (see :func:`for_people`); the flag codes new and resolved as their
    titles.

    Examples
    --------
    >>> t = pd.DataFrame({"perubahan": ["newly-at-risk"], "perubahan_lain": ["new-flag"],
    ...                   "status_lalu": ["on-track"], "status": ["at-risk"]})
    >>> i = pd.DataFrame({"perubahan": ["item-removed"]})
    >>> class C: table, items = t, i
    >>> a, b = changes_for_people(C, "en")
    >>> a.iloc[0, :4].tolist(), b["perubahan"].tolist()
    (['newly at risk', 'new flag', 'on track', 'at risk'], ['item removed'])
    """
    def labelled(frame: pd.DataFrame, columns: dict[str, Any]) -> pd.DataFrame:
        out = frame.copy()
        codes = {}
        for col, terms in columns.items():
            if col in out:
                codes[col + CODE_SUFFIX] = out[col]
                out[col] = out[col].map(lambda v, t=terms: ", ".join(
                    t.label(c, lang) for c in v.split(", ") if c) if isinstance(v, str)
                    else v)
        for col in ("flag_baru", "flag_selesai"):
            if col in out:
                out[col] = out[col].map(lambda v: _flag_titles(v, lang) if v else v)
        people = for_people(out, lang)
        for col, values in codes.items():
            people[col] = values
        return people

    table = labelled(comparison.table, {"perubahan": CHANGES, "perubahan_lain": CHANGES,
                                        "status_lalu": STATUSES})
    items = labelled(comparison.items, {"perubahan": ITEM_CHANGES})
    return table, items


def row_marks(table: pd.DataFrame, as_of: pd.Timestamp, lang: str) -> pd.Series:
    """Why each projection row is marked ``*`` (empty when it is not): quarantined rows
    behind its figures, or figures from a report older than the report's period ``as_of``.

    Examples
    --------
    >>> t = pd.DataFrame({"data_lengkap": [True, False, True],
    ...                   "periode": pd.to_datetime(["2024-07-31", "2024-07-31", "2024-06-30"])})
    >>> row_marks(t, pd.Timestamp("2024-07-31"), "en").tolist()
    ['', 'data incomplete', 'latest report 06/2024']
    """
    incomplete = MARKS.label("incomplete", lang)
    stale = MARKS.label("stale", lang)
    out = []
    for complete, per in zip(table["data_lengkap"].astype(bool), table["periode"],
                             strict=True):
        parts = [] if complete else [incomplete]
        if pd.notna(per) and pd.Timestamp(per) < as_of:
            parts.append(f"{stale} {pd.Timestamp(per):%m/%Y}")
        out.append("; ".join(parts))
    return pd.Series(out, index=table.index, dtype=object)


def ranking(result: Any, lang: str) -> pd.DataFrame:
    """The meeting's ranking per jenis DAK: lowest projection first, with the main reason
    (the most severe flag that explains it; threshold flags only when nothing else fired)."""
    t = result.projection.table.copy()
    flags = result.flags
    top = {}
    if len(flags):
        # The projection is in its own columns: the reason shown is the most severe flag that
        # explains it (procurement, data), threshold-risk flags only when nothing else fired.
        order = flags.assign(
            _o=-flags["severity"].map(SEVERITY_RANK),
            _t=flags["code"].isin([f.code for f in FLAGS.at("projection")]))
        for (kode, kind), g in order.sort_values(["_t", "_o"]).groupby(["kode_wilayah",
                                                                         "jenis_dak"]):
            msgs = g["pesan" if lang == "id" else "message"]
            top[(kode, kind)] = msgs.iloc[0] + (
                " " + MARKS.label("more-flags", lang).format(n=len(g) - 1) if len(g) > 1
                else "")
    t["alasan"] = [top.get((k, j), "") for k, j in zip(t["kode_wilayah"], t["jenis_dak"],
                                                        strict=True)]
    t["data"] = row_marks(t, result.projection.as_of, lang)
    t["nama"] = t["nama_wilayah"].map(short_name) + np.where(t["data"] == "", "", " *")
    t = t.sort_values(["jenis_dak", "proyeksi"], ascending=[False, True])
    t.insert(0, "peringkat", t.groupby("jenis_dak").cumcount() + 1)
    return t[["jenis_dak", "peringkat", "kode_wilayah", "nama", "pagu", "realisasi", "serapan",
              "proyeksi", "batas_bawah", "batas_atas", "p_di_bawah_ambang", "status", "data",
              "alasan"]]


def basis(result: Any, lang: str = "id") -> list[tuple[str, Any]]:
    """What a report rests on, in ``lang``: as-of, threshold, cut-offs, statuses, method,
    history, inputs, the row account, notes. Counts stay numbers; the rest is text.

    Examples
    --------
    >>> import dak_monitor as dm  # doctest: +SKIP
    >>> dict(basis(dm.monitor("data_samples/current"), "en"))["Threshold"]  # doctest: +SKIP
    '93%'
    """
    from . import __getattr__ as pkg

    en = lang == "en"
    v = result.validation.totals()
    proj = result.projection
    hist = result.history
    hist_years = (sorted(set(hist.valid[C.TAHUN].dropna().astype(int))) if hist is not None
                  and len(hist.valid) else [])
    rules = result.rules
    none = MARKS.label("none", lang)
    by_kind = "; ".join(f"{KINDS.label(k, lang)} {fmt_month(w, lang)}"
                        for k, w in proj.as_of_by_kind.items())
    calibrated = bool(proj.table["terkalibrasi"].all()) if len(proj.table) else False
    pct = functools.partial(fmt_pct, lang=lang, decimals=0)
    return [
        ("As of" if en else "Posisi data", f"{fmt_month(proj.as_of, lang)} "
                                            f"({proj.as_of:%d/%m/%Y})"),
        ("As of, by DAK kind" if en else "Posisi per jenis DAK", by_kind or "-"),
        ("Threshold" if en else "Ambang serapan", pct(rules.threshold)),
        ("First-semester cut-off" if en else "Batas semester I",
         f"{rules.semester_cutoff(proj.as_of.year):%d/%m/%Y}"),
        ("DAK fisik contract deadline" if en else "Batas kontrak DAK fisik",
         f"{rules.contract_deadline(proj.as_of.year):%d/%m/%Y}"),
        ("Statuses" if en else "Status",
         f"{STATUSES.label(WILL_MISS, lang)}: P(< {pct(rules.threshold)}) ≥ "
         f"{pct(rules.will_miss_probability)}; {STATUSES.label(AT_RISK, lang)}: ≥ "
         f"{pct(rules.at_risk_probability)}"),
        ("Projection method" if en else "Metode proyeksi",
         f"{proj.method} (interval {pct(proj.interval)}; " + (
             ("calibrated" if en else "terkalibrasi") if calibrated else
             ("not calibrated" if en else "tidak terkalibrasi")) + ")"),
        ("History years" if en else "Tahun riwayat", ", ".join(map(str, hist_years)) or none),
        ("dak_monitor version" if en else "Versi dak_monitor", str(pkg("__version__"))),
        ("Input files" if en else "Berkas masukan",
         "; ".join(sorted(set(result.export.files["sumber_file"])))),
        ("Rows read" if en else "Baris dibaca", v["rows_read"]),
        ("Valid" if en else "Valid", v["rows_valid"]),
        ("Quarantined" if en else "Dikarantina", v["rows_quarantined"]),
        ("Skipped (titles, totals, notes)" if en else "Dilewati (judul, total, catatan)",
         v["rows_skipped"]),
        ("Notes" if en else "Catatan", " | ".join(proj.notes_in(lang)) or none),
    ]


def files_read(result: Any) -> pd.DataFrame:
    """What the reader did with each file and sheet: its kind, header rows, the row account
    and every inference it made (period, units, region, kind, the layout that read it, rows
    passed over), so the report states them beside the figures that rest on them.

    A file that could not be read is listed too, with why. Notes lose their
    ``file [sheet]:`` prefix, which the row already names.
    """
    f = result.export.files
    if not len(f):
        return pd.DataFrame(columns=["sumber_file", "sumber_sheet", "jenis_dak", "baris_header",
                                     "baris_dibaca", "baris_data", "baris_dilewati", "catatan"])
    notes = []
    for file, sheet, text in zip(f["sumber_file"], f["sumber_sheet"], f["catatan"].fillna(""),
                                 strict=True):
        prefix = f"{file} [{sheet}]: " if sheet else f"{file}: "
        notes.append(" | ".join(n.removeprefix(prefix) for n in str(text).split(" | ") if n))
    out = f[["sumber_file", "sumber_sheet", "jenis_dak", "baris_header", "baris_dibaca",
             "baris_data", "baris_dilewati"]].copy()
    out["catatan"] = notes
    return out.reset_index(drop=True)


def refuse_inputs(out: Path, inputs: Sequence[str | os.PathLike[str]]) -> None:
    """Raise :class:`~dak_monitor.OutputError` if ``out`` is an input file, or a file that is
    already in an input folder (every export read from a folder is an input too)."""
    target = out.resolve()
    for p in inputs:
        q = Path(p).resolve()
        # An input file, or a file already in an input folder (an export read from it).
        if q == target or (q.is_dir() and target.parent == q and target.exists()):
            msg = f"{out}: refusing to overwrite an input file; choose another output folder"
            raise OutputError(msg)
