"""What the meeting report says, computed once and drawn by every writer (workbook, summary).

Compute, then draw: :func:`ranking` and :func:`basis` are plain data; ``_excel`` and
``_summary`` only lay them out. :func:`refuse_inputs` is the output rule every writer obeys:
never overwrite an input file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._flags import FLAGS
from ._regions import short_name
from ._vocab import KINDS, MARKS, SEVERITY_RANK
from ._vocab import columns as C
from .exceptions import OutputError

__all__ = ["basis", "files_read", "ranking", "refuse_inputs", "row_marks"]


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
            top[(kode, kind)] = msgs.iloc[0] + (f" (+{len(g) - 1})" if len(g) > 1 else "")
    t["alasan"] = [top.get((k, j), "") for k, j in zip(t["kode_wilayah"], t["jenis_dak"],
                                                        strict=True)]
    t["data"] = row_marks(t, result.projection.as_of, lang)
    t["nama"] = t["nama_wilayah"].map(short_name) + np.where(t["data"] == "", "", " *")
    t = t.sort_values(["jenis_dak", "proyeksi"], ascending=[False, True])
    t.insert(0, "peringkat", t.groupby("jenis_dak").cumcount() + 1)
    return t[["jenis_dak", "peringkat", "kode_wilayah", "nama", "pagu", "realisasi", "serapan",
              "proyeksi", "batas_bawah", "batas_atas", "p_di_bawah_ambang", "status", "data",
              "alasan"]]


def basis(result: Any) -> list[tuple[str, str]]:
    """What a report rests on: as-of, threshold, cut-offs, method, history, inputs, counts."""
    from . import __getattr__ as pkg

    v = result.validation.totals()
    proj = result.projection
    hist = result.history
    hist_years = (sorted(set(hist.valid[C.TAHUN].dropna().astype(int))) if hist is not None
                  and len(hist.valid) else [])
    rules = result.rules
    by_kind = "; ".join(f"{KINDS.label(k)} {w:%m/%Y}" for k, w in proj.as_of_by_kind.items())
    return [
        ("Posisi data / as of", f"{proj.as_of:%B %Y} ({proj.as_of:%d/%m/%Y})"),
        ("Posisi per jenis DAK / as of by kind", by_kind or "-"),
        ("Ambang serapan / threshold", f"{rules.threshold:.0%}"),
        ("Batas semester I / cut-off", f"{rules.semester_cutoff(proj.as_of.year):%d/%m/%Y}"),
        ("Batas kontrak DAK fisik / contract deadline",
         f"{rules.contract_deadline(proj.as_of.year):%d/%m/%Y}"),
        ("Status", f"will-miss: P(< ambang) ≥ {rules.will_miss_probability:.0%}; at-risk: ≥ "
                   f"{rules.at_risk_probability:.0%}"),
        ("Metode proyeksi / method", f"{proj.method} (interval {proj.interval:.0%}; "
                                     f"{'terkalibrasi' if proj.table['terkalibrasi'].all() else 'tidak terkalibrasi / not calibrated'})"),
        ("Riwayat / history years", ", ".join(map(str, hist_years)) or "tidak ada / none"),
        ("Versi dak_monitor", str(pkg("__version__"))),
        ("File masukan / input files", "; ".join(sorted(set(result.export.files["sumber_file"])))),
        ("Baris dibaca / rows read", v["rows_read"]),
        ("Valid / valid", v["rows_valid"]),
        ("Dikarantina / quarantined", v["rows_quarantined"]),
        ("Dilewati (judul, total, catatan) / skipped", v["rows_skipped"]),
        ("Catatan / notes", " | ".join(proj.notes) or "tidak ada / none"),
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
