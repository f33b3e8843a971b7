"""Data flags: what an OPD's figures rest on (quarantined rows, a missing report)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._absorption import latest_periods
from .._inputs import file_problems, unit_doubt_regions
from .._items import item_keys
from .._vocab import KINDS, WARNING
from .._vocab import columns as C
from . import Hit, register_flag
from .semester import region_names


@register_flag(
    "data-incomplete", WARNING, "opd", "validation",
    title=("Data tidak lengkap", "Data incomplete"),
    description="Rows of this OPD were quarantined by validation: its figures rest on part of "
                "its money; the message says how much pagu is affected.",
    pesan="{n} baris {jenis} dikarantina ({pagu:rp} pagu, {share:.0%} dari pagu): angka OPD ini "
          "tidak lengkap.",
    message="{n} {jenis} rows quarantined ({pagu:rp} of pagu, {share:.0%}): this OPD's figures "
            "are incomplete.")
def _data_incomplete(quarantine: pd.DataFrame | None, valid: pd.DataFrame,
                     when: pd.Timestamp, export: Any) -> list[Hit]:
    if quarantine is None or quarantine.empty:
        return []
    q = quarantine
    if C.TAHUN in q:
        q = q[(q[C.TAHUN].astype("Float64") == when.year).fillna(True)]
    names = region_names()
    v = valid[valid[C.TAHUN].astype("Float64") == when.year]
    v = v.assign(_item=item_keys(v).to_numpy()).drop_duplicates("_item", keep="last")
    totals = v.groupby([C.KODE_WILAYAH, C.JENIS_DAK])[C.PAGU].sum()
    hits = []
    for (kode, kind), g in q.groupby([C.KODE_WILAYAH, C.JENIS_DAK], dropna=False, sort=True):
        pagu = float(pd.to_numeric(g[C.PAGU], errors="coerce").fillna(0).sum())
        tot = float(totals.get((kode, kind), 0.0)) + pagu
        share = pagu / tot if tot > 0 else np.nan
        kode_s = kode if isinstance(kode, str) else "(tanpa kode)"
        hits.append(Hit(
            {C.KODE_WILAYAH: kode_s, "nama_wilayah": names.get(kode_s), C.JENIS_DAK: kind,
             "n_item": len(g), "pagu_terdampak": pagu, "share_pagu": share, "periode": when},
            {"n": len(g), "jenis": KINDS.label(kind), "pagu": pagu, "share": share}))
    return hits


@register_flag(
    "report-missing", WARNING, "opd", "validation",
    title=("Laporan periode ini belum ada", "Report for the period missing"),
    description="The OPD has no report of this jenis DAK for the report's period (an earlier "
                "one only): its figures and projection stand at its latest report and are "
                "marked `*`; unknown is not current. (`s1-report-missing` is the semester-I "
                "cut-off's own case; when the report's period is the cut-off month, this flag "
                "alone is raised.)",
    pesan="Belum ada laporan {jenis} untuk {periode}; laporan terakhir {terakhir}: angka dan "
          "proyeksinya per {terakhir}.",
    message="No {jenis} report for {periode} yet; latest report {terakhir}: its figures and "
            "projection stand at {terakhir}.")
def _report_missing(quarantine: pd.DataFrame | None, valid: pd.DataFrame,
                    when: pd.Timestamp, export: Any) -> list[Hit]:
    if valid.empty:
        return []
    names = region_names()
    own = latest_periods(valid, when)
    return [Hit({C.KODE_WILAYAH: kode, "nama_wilayah": names.get(kode), C.JENIS_DAK: kind,
                 "periode": at},
                {"jenis": KINDS.label(kind), "periode": f"{when:%m/%Y}",
                 "terakhir": f"{at:%m/%Y}"})
            for (kode, kind), at in own[own < when].items()]


@register_flag(
    "unread-file", WARNING, "opd", "validation",
    title=("Berkas OPD tidak dibaca", "A file of this OPD was not read"),
    description="A file (or sheet) of the folder that carries this OPD's figures was not read "
                "(it lacks required columns; see the check `file-not-read`): the figures "
                "shown rest on its other files only and are marked incomplete.",
    pesan="Berkas {berkas} ({jenis}) tidak dibaca: angka OPD ini tanpa isi berkas itu, tidak "
          "lengkap.",
    message="File {berkas} ({jenis}) was not read: this OPD's figures leave it out and are "
            "incomplete.")
def _unread_file(quarantine: pd.DataFrame | None, valid: pd.DataFrame, when: pd.Timestamp,
                 export: Any) -> list[Hit]:
    unread = file_problems(export)
    if unread is None or unread.empty:
        return []
    names = region_names()
    hits = []
    for rec in unread.itertuples(index=False):
        if not isinstance(rec.jenis_dak, str):
            continue
        where = rec.sumber_file + (f" [{rec.sumber_sheet}]" if rec.sumber_sheet else "")
        for kode in rec.wilayah:
            hits.append(Hit({C.KODE_WILAYAH: kode, "nama_wilayah": names.get(kode),
                             C.JENIS_DAK: rec.jenis_dak, "periode": when},
                            {"berkas": where, "jenis": KINDS.label(rec.jenis_dak)}))
    return hits


@register_flag(
    "units-unstated", WARNING, "opd", "validation",
    title=("Satuan uang tidak disebut", "Money unit not stated"),
    description="The sheet with this OPD's figures states no money unit (title, unit row or "
                "header) and its amounts are too small to be Rupiah (check "
                "`units-unstated`): they may be in juta or miliar, so the figures are marked "
                "incomplete until `units=` / `--units` says.",
    pesan="Satuan uang di {berkas} tidak disebut dan angkanya terlalu kecil untuk Rupiah: "
          "angka {jenis} OPD ini belum pasti (beri units= / --units).",
    message="{berkas} states no money unit and its amounts are too small to be Rupiah: this "
            "OPD's {jenis} figures are uncertain (pass units= / --units).")
def _units_unstated(quarantine: pd.DataFrame | None, valid: pd.DataFrame, when: pd.Timestamp,
                    export: Any) -> list[Hit]:
    names = region_names()
    return [Hit({C.KODE_WILAYAH: kode, "nama_wilayah": names.get(kode), C.JENIS_DAK: kind,
                 "periode": when}, {"berkas": where, "jenis": KINDS.label(kind)})
            for (kode, kind), where in sorted(unit_doubt_regions(export).items())]
