"""Small builders shared by the test modules (imported as ``from helpers import ...``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

NF, FI = "nonfisik", "fisik"


def month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)


def frame(records: list[dict]) -> pd.DataFrame:
    """A canonical frame from short records (defaults: 2024, nonfisik, no rincian)."""
    rows = []
    for i, r in enumerate(records):
        year = r.get("tahun", 2024)
        kode = r.get("kode", "32.05")
        rows.append({
            "tahun": year, "periode": month_end(year, r["bulan"]),
            "kode_provinsi": kode.split(".")[0], "kode_wilayah": kode,
            "nama_wilayah": r.get("nama"), "menu": r.get("menu", "A"),
            "rincian": r.get("rincian"), "pagu": float(r["pagu"]),
            "penyaluran": float(r.get("penyaluran", np.nan)),
            "realisasi": float(r["realisasi"]), "jenis_dak": r.get("jenis", NF),
            "sumber_file": r.get("file", "a.csv"), "sumber_sheet": "",
            "sumber_baris": r.get("baris", i + 2),
        })
    return pd.DataFrame(rows)
