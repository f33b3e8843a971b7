"""Projection flags: the risk of ending the year below the absorption threshold."""

from __future__ import annotations

from typing import Any, Final

import pandas as pd

from .._projection import Projection
from .._vocab import AT_RISK, ERROR, KINDS, WARNING, WILL_MISS
from .._vocab import columns as C
from . import FLAGS, Hit, flag_rows, register_flag

THRESHOLD_COLUMNS: Final = (
    C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, "code", "severity", "title_id", "title_en",
    "pesan", "message", "serapan", "proyeksi", "batas_bawah", "batas_atas",
    "p_di_bawah_ambang", "periode", "data_lengkap")


def _hits(projection: Projection, status: str) -> list[Hit]:
    """One hit per OPD × jenis DAK whose projection status is ``status``."""
    t = projection.table
    hits = []
    for rec in t[t["status"] == status].to_dict("records"):
        ctx = {"jenis": KINDS.label(rec[C.JENIS_DAK]), "proyeksi": float(rec["proyeksi"]),
               "bawah": float(rec["batas_bawah"]), "atas": float(rec["batas_atas"]),
               "ambang": float(projection.threshold), "p": float(rec["p_di_bawah_ambang"])}
        ctx_id = dict(ctx)
        calibrated = rec.get("terkalibrasi", True)
        ctx_id["kalibrasi"] = "" if calibrated else " (interval tidak terkalibrasi)"
        ctx["kalibrasi"] = "" if calibrated else " (interval not calibrated)"
        evidence = {k: rec[k] for k in ("serapan", "proyeksi", "batas_bawah", "batas_atas",
                                        "p_di_bawah_ambang", "periode", "data_lengkap")}
        hits.append(Hit({C.KODE_WILAYAH: rec[C.KODE_WILAYAH],
                         "nama_wilayah": rec["nama_wilayah"], C.JENIS_DAK: rec[C.JENIS_DAK],
                         **evidence}, ctx_id, ctx))
    return hits


@register_flag(
    "will-miss-threshold", ERROR, "opd", "projection",
    title=("Diproyeksikan di bawah ambang", "Projected to miss the threshold"),
    description="Probability of ending the year below the threshold (93 %) ≥ "
                "`will_miss_probability` (0.8).",
    pesan="Serapan {jenis} diproyeksikan {proyeksi:.1%} (interval {bawah:.1%}–{atas:.1%}) di bawah ambang "
          "{ambang:.0%}; peluang di bawah ambang {p:.0%}.{kalibrasi}",
    message="{jenis} absorption is projected at {proyeksi:.1%} (interval {bawah:.1%}–{atas:.1%}), below "
            "the {ambang:.0%} threshold; probability below it {p:.0%}.{kalibrasi}")
def _will_miss(projection: Projection) -> list[Hit]:
    return _hits(projection, WILL_MISS)


@register_flag(
    "at-risk-threshold", WARNING, "opd", "projection",
    title=("Berisiko di bawah ambang", "At risk of missing the threshold"),
    description="Probability of ending below the threshold ≥ `at_risk_probability` (0.3).",
    pesan="Serapan {jenis} diproyeksikan {proyeksi:.1%} (interval {bawah:.1%}–{atas:.1%}); peluang di "
          "bawah ambang {ambang:.0%} adalah {p:.0%}.{kalibrasi}",
    message="{jenis} absorption is projected at {proyeksi:.1%} (interval {bawah:.1%}–{atas:.1%}); "
            "probability of ending below the {ambang:.0%} threshold is {p:.0%}.{kalibrasi}")
def _at_risk(projection: Projection) -> list[Hit]:
    return _hits(projection, AT_RISK)


def flag_threshold_risk(projection: Projection) -> pd.DataFrame:
    """Flags ``will-miss-threshold`` / ``at-risk-threshold`` for the flag catalogue.

    Returns one row per flagged OPD × jenis DAK: ``kode_wilayah``, ``nama_wilayah``,
    ``jenis_dak``, ``code``, ``severity``, ``title_id``, ``title_en``, ``pesan``, ``message``
    and the evidence (``serapan``, ``proyeksi``, bounds, probability, ``periode``).

    Examples
    --------
    >>> import dak_monitor as dm
    >>> from dak_monitor.datasets import make_export
    >>> proj = dm.project_absorption(make_export("fisik", year=2024, months=range(1, 7), seed=0))
    >>> set(flag_threshold_risk(proj)["code"]) <= {"will-miss-threshold", "at-risk-threshold"}
    True
    """
    rows: list[dict[str, Any]] = []
    for flag in FLAGS.at("projection"):
        assert flag.find is not None
        rows += flag_rows(flag.code, flag.find(projection))
    out = pd.DataFrame(rows, columns=list(THRESHOLD_COLUMNS))
    # In the projection table's order (by kind, then region), as the flags always were.
    order = {(k, j): i for i, (k, j) in enumerate(zip(
        projection.table[C.KODE_WILAYAH], projection.table[C.JENIS_DAK], strict=True))}
    pos = [order[(k, j)] for k, j in zip(out[C.KODE_WILAYAH], out[C.JENIS_DAK], strict=True)]
    return out.iloc[sorted(range(len(out)), key=pos.__getitem__)].reset_index(drop=True)
