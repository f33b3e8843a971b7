"""Validation flags: quarantined rows behind an OPD's figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._items import item_keys
from .._text import rp
from .._vocab import KINDS, WARNING
from .._vocab import columns as C
from . import Hit, register_flag
from .semester import region_names


@register_flag(
    "data-incomplete", WARNING, "opd", "validation",
    title=("Data tidak lengkap", "Data incomplete"),
    description="Rows of this OPD were quarantined by validation: its figures rest on part of "
                "its money; the message says how much pagu is affected.",
    pesan="{n} baris {jenis} dikarantina ({pagu} pagu, {share} dari pagu): angka OPD ini tidak "
          "lengkap.",
    message="{n} {jenis} rows quarantined ({pagu} of pagu, {share}): this OPD's figures are "
            "incomplete.")
def _data_incomplete(quarantine: pd.DataFrame | None, valid: pd.DataFrame,
                     when: pd.Timestamp) -> list[Hit]:
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
            {"n": str(len(g)), "jenis": KINDS.label(kind), "pagu": rp(pagu),
             "share": "-" if np.isnan(share) else f"{share:.0%}"}))
    return hits
