"""Flags ``will-miss-threshold`` / ``at-risk-threshold`` from a projection (for the catalogue).

Kept here, unchanged, until it moves to the flags module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from .._vocab import columns as C

if TYPE_CHECKING:
    from . import Projection

__all__ = ["flag_threshold_risk"]

_FLAG_TEXT: Final = {
    "will-miss-threshold": (
        "error", "Diproyeksikan di bawah ambang", "Projected to miss the threshold",
        "Serapan {jenis} diproyeksikan {proyeksi} (interval {bawah}–{atas}) di bawah ambang "
        "{ambang}; peluang di bawah ambang {p}.",
        "{jenis} absorption is projected at {proyeksi} (interval {bawah}–{atas}), below the "
        "{ambang} threshold; probability below it {p}."),
    "at-risk-threshold": (
        "warning", "Berisiko di bawah ambang", "At risk of missing the threshold",
        "Serapan {jenis} diproyeksikan {proyeksi} (interval {bawah}–{atas}); peluang di bawah "
        "ambang {ambang} adalah {p}.",
        "{jenis} absorption is projected at {proyeksi} (interval {bawah}–{atas}); probability "
        "of ending below the {ambang} threshold is {p}."),
}


def flag_threshold_risk(projection: Projection) -> pd.DataFrame:
    """Flags ``will-miss-threshold`` / ``at-risk-threshold`` for the flag catalogue.

    Returns one row per flagged OPD × jenis DAK: ``kode_wilayah``, ``nama_wilayah``,
    ``jenis_dak``, ``code``, ``severity``, ``title_id``, ``title_en``, ``pesan``, ``message``
    and the evidence (``serapan``, ``proyeksi``, bounds, probability, ``periode``).

    Examples
    --------
    >>> from dak_monitor import project_absorption
    >>> from dak_monitor.datasets import make_export
    >>> proj = project_absorption(make_export("fisik", year=2024, months=range(1, 7), seed=0))
    >>> set(flag_threshold_risk(proj)["code"]) <= {"will-miss-threshold", "at-risk-threshold"}
    True
    """
    t = projection.table
    sel = t[t["status"].isin(["will-miss", "at-risk"])].copy()
    code = np.where(sel["status"] == "will-miss", "will-miss-threshold", "at-risk-threshold")
    sel["code"] = code
    rows = []
    for rec, c in zip(sel.to_dict("records"), code, strict=True):
        sev, tid, ten, pid, pen = _FLAG_TEXT[c]
        ctx = {"jenis": "DAK fisik" if rec[C.JENIS_DAK] == C.FISIK else "BOKB (nonfisik)",
               "proyeksi": f"{rec['proyeksi']:.1%}", "bawah": f"{rec['batas_bawah']:.1%}",
               "atas": f"{rec['batas_atas']:.1%}", "ambang": f"{projection.threshold:.0%}",
               "p": f"{rec['p_di_bawah_ambang']:.0%}"}
        ctx_id = {k: v.replace(".", ",") if k != "jenis" else v for k, v in ctx.items()}
        if not rec.get("terkalibrasi", True):
            pid, pen = pid + " (interval tidak terkalibrasi)", pen + " (interval not calibrated)"
        rows.append({C.KODE_WILAYAH: rec[C.KODE_WILAYAH], "nama_wilayah": rec["nama_wilayah"],
                     C.JENIS_DAK: rec[C.JENIS_DAK], "code": c, "severity": sev,
                     "title_id": tid, "title_en": ten, "pesan": pid.format(**ctx_id),
                     "message": pen.format(**ctx), "serapan": rec["serapan"],
                     "proyeksi": rec["proyeksi"], "batas_bawah": rec["batas_bawah"],
                     "batas_atas": rec["batas_atas"],
                     "p_di_bawah_ambang": rec["p_di_bawah_ambang"],
                     "periode": rec["periode"], "data_lengkap": rec["data_lengkap"]})
    cols = [C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, "code", "severity", "title_id",
            "title_en", "pesan", "message", "serapan", "proyeksi", "batas_bawah", "batas_atas",
            "p_di_bawah_ambang", "periode", "data_lengkap"]
    return pd.DataFrame(rows, columns=cols)
