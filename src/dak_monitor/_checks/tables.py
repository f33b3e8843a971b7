"""Table checks: the export as a whole (totals rows against the rows they sum).

Each function takes the :class:`~dak_monitor.Export` and the rules and returns one row per
problem: ``file``, ``sheet``, ``row``, ``column``, ``value`` and its messages' fields.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._config import Rules
from .._text import rp
from .._vocab import columns as C
from . import ERROR, WARNING, register_check

_PROBLEM_FIELDS = ("file", "sheet", "row", "column", "value")


@register_check("total-mismatch", WARNING, "table",
                title=("Baris total tidak sesuai", "Totals row does not add up"),
                pesan="Baris {label}: {column} {value} tidak sama dengan jumlah {jumlah} dari "
                      "{n} baris.",
                message="Row {label}: {column} {value} differs from the sum {jumlah} of {n} "
                        "rows.")
def _total_mismatch(export: Any, rules: Rules) -> pd.DataFrame:
    """Totals rows that do not equal the sum of their rows: a warning at the totals row.

    A subtotal covers the data rows since the previous subtotal or total of the same sheet; a
    total covers every data row of the sheet above it; a group row that carries amounts
    (``tingkat`` L: SIPD's urusan > program > kegiatan, with no "Jumlah" word) covers the rows
    below it up to the next group row of level L or above, or the next (sub)total. Lines of
    another funding source, skipped as data, still count in the sums (``alasan`` =
    ``other-funding`` in ``export.totals``).
    """
    fields = [*_PROBLEM_FIELDS, "jumlah", "n", "label"]
    tot = export.totals
    if tot.empty:
        return pd.DataFrame(columns=fields)
    data = export.data
    rows = []
    by_sheet = dict(tuple(data.groupby([C.SUMBER_FILE, C.SUMBER_SHEET], sort=False)))
    cols = [c for c in (C.PAGU, C.REALISASI, C.PENYALURAN, C.NILAI_KONTRAK) if c in data]
    for (file, sheet), t in tot.groupby([C.SUMBER_FILE, C.SUMBER_SHEET], sort=False):
        alasan = t["alasan"].to_numpy(dtype=object)
        counted = pd.concat([by_sheet.get((file, sheet), data.iloc[:0]),
                             t[alasan == "other-funding"]], ignore_index=True)
        d = counted.sort_values(C.SUMBER_BARIS)
        baris = d[C.SUMBER_BARIS].to_numpy(dtype=np.int64)
        # Running sums: the rows a (sub)total covers are a contiguous run, so its sum is a
        # difference of two running sums (linear in the rows, however many subtotals).
        run = {c: np.concatenate([[0.0], np.cumsum(
            pd.to_numeric(d[c], errors="coerce").fillna(0).to_numpy(dtype=float))])
            for c in cols if c in d}
        t = t[alasan != "other-funding"].sort_values(C.SUMBER_BARIS)
        marks = t[C.SUMBER_BARIS].to_numpy(dtype=np.int64)
        kinds = t["alasan"].to_numpy(dtype=object)
        levels = (pd.to_numeric(t["tingkat"], errors="coerce").fillna(0).to_numpy(dtype=int)
                  if "tingkat" in t else np.zeros(len(t), dtype=int))
        for k, rec in enumerate(t.itertuples(index=False)):
            if kinds[k] == "group":  # the rows below, to the next group of its level or above
                start = marks[k]
                after = [m for m, kd, lv in zip(marks[k + 1:], kinds[k + 1:], levels[k + 1:],
                                                strict=True)
                         if kd != "group" or lv <= levels[k]]
                end = after[0] if after else np.iinfo(np.int64).max
            else:
                before = [m for m, kd in zip(marks[:k], kinds[:k], strict=True)
                          if kd != "group"]
                start = before[-1] if kinds[k] == "subtotal" and before else 0
                end = marks[k]
            lo = int(np.searchsorted(baris, start, side="right"))
            hi = int(np.searchsorted(baris, end, side="left"))
            n = hi - lo
            if n <= 0:
                continue
            for col in run:
                v = getattr(rec, col, np.nan)
                if v is None or pd.isna(v):
                    continue
                s = float(run[col][hi] - run[col][lo])
                tol = rules.money_tolerance * n + rules.total_tolerance * abs(s)
                if abs(float(v) - s) > tol:
                    rows.append({"file": file, "sheet": sheet, "row": int(marks[k]),
                                 "column": col, "value": rp(v), "jumlah": rp(s), "n": n,
                                 "label": str(rec.label)[:60]})
    return pd.DataFrame(rows, columns=fields)


@register_check("file-not-read", ERROR, "table",
                title=("Berkas tidak dibaca", "File not read"),
                pesan="Berkas ini tidak dibaca ({masalah_id}).{opd_id} {keterangan}",
                message="This file was not read ({masalah_en}).{opd_en} {keterangan}")
def _file_not_read(export: Any, rules: Rules) -> pd.DataFrame:
    """A file (or sheet) of a folder that could not be read, is not an export or lacks
    required columns: the other files are read, and this one is named (``read_export``'s
    ``file_problems``; ``strict_files=True`` makes it fatal instead)."""
    from .._reader import FILE_PROBLEMS

    fields = [*_PROBLEM_FIELDS, "masalah_id", "masalah_en", "opd_id", "opd_en", "keterangan"]
    fp = getattr(export, "file_problems", None)
    if fp is None or fp.empty:
        return pd.DataFrame(columns=fields)
    rows = []
    for rec in fp.itertuples(index=False):
        reason_id, reason_en = FILE_PROBLEMS[rec.masalah].split(" / ")
        regions = ", ".join(rec.wilayah)
        opd_id = opd_en = ""
        if rec.masalah in ("unreadable", "columns-missing"):  # say whose figures are out
            opd_id = f" OPD yang datanya ada di berkas ini: {regions or 'tidak diketahui'}."
            opd_en = f" OPDs whose figures it carries: {regions or 'unknown'}."
        rows.append({"file": rec.sumber_file, "sheet": rec.sumber_sheet, "row": np.nan,
                     "column": None, "value": rec.masalah, "masalah_id": reason_id,
                     "masalah_en": reason_en, "opd_id": opd_id, "opd_en": opd_en,
                     "keterangan": rec.keterangan})
    return pd.DataFrame(rows, columns=fields)


@register_check("units-unstated", WARNING, "table", column=C.PAGU,
                title=("Satuan uang tidak disebut", "Money unit not stated"),
                pesan="Satuan uang tidak disebut di judul, baris satuan atau judul kolom, dan "
                      "angkanya terlalu kecil untuk Rupiah (median pagu {value}): kemungkinan "
                      "{satuan_id}. OPD lembar ini ditandai data tidak lengkap; beri units= / "
                      "--units.",
                message="No money unit is stated in the title, a unit row or the headers, and "
                        "the amounts are too small to be Rupiah (median pagu {value}): likely "
                        "{satuan_en}. The sheet's OPDs are marked data incomplete; pass units= "
                        "/ --units.")
def _units_unstated(export: Any, rules: Rules) -> pd.DataFrame:
    """A sheet that states no unit and whose median pagu is too small to be Rupiah (the
    reader's ``satuan_ragu``): named once, its offices marked incomplete, never ranked as if
    the amounts were Rupiah."""
    fields = [*_PROBLEM_FIELDS, "satuan_id", "satuan_en"]
    files = export.files
    if files.empty or "satuan_ragu" not in files:
        return pd.DataFrame(columns=fields)
    data = export.data
    rows = []
    for rec in files[files["satuan_ragu"].fillna("").astype(bool)].itertuples(index=False):
        mine = data[(data[C.SUMBER_FILE] == rec.sumber_file)
                    & (data[C.SUMBER_SHEET] == rec.sumber_sheet)]
        median = float(pd.to_numeric(mine[C.PAGU], errors="coerce").median())
        rows.append({"file": rec.sumber_file, "sheet": rec.sumber_sheet, "row": np.nan,
                     "column": C.PAGU, "value": f"{median:,.2f}",
                     "satuan_id": rec.satuan_ragu.replace(" or ", " atau "),
                     "satuan_en": rec.satuan_ragu})
    return pd.DataFrame(rows, columns=fields)
