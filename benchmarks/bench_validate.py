"""Benchmark: validate_export vs. the plain pandera validate(lazy=True) of the same schemas.

    python benchmarks/bench_validate.py --rows 1000000 --bad 0.01

Builds a canonical nonfisik frame of N rows (item x month, cumulative, realistic sizes) in
which a fraction of rows carries a mistake (realisasi above pagu, a cumulative fall, a wrong
printed percent), then times, in the same process and run, best of 3 after a warm-up:

* ``pandera``: ``NonfisikExport.validate(frame, lazy=True)`` — the plain pandera run of the
  same schema, catching ``SchemaErrors`` (its failure cases are counted: frame-wide checks
  are reported once per column of the frame);
* ``validate_export``: the library's report (problems, quarantine, messages in two languages).

Target (issue #3): validate_export <= 1.5x pandera on 1,000,000 rows with 1 % bad rows.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import pandera.pandas as pa

from dak_monitor._reader import Export
from dak_monitor._validate import validate_export
from dak_monitor._vocab import columns as C
from dak_monitor.schemas import NonfisikExport

REGIONS = [f"32.{i:02d}" for i in range(1, 19)] + [f"32.{i}" for i in range(71, 80)]


def make_frame(rows: int, bad: float, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = 12
    items = max(rows // months, 1)
    rows = items * months
    item = np.repeat(np.arange(items), months)[:rows]
    month = np.tile(np.arange(1, months + 1), items)[:rows]
    region = np.array(REGIONS)[item % len(REGIONS)]
    pagu = np.round(rng.uniform(5e7, 8e8, items), -3)[item]
    share = np.clip(month / 12 + rng.normal(0, 0.02, rows), 0, 1)
    share = np.maximum.accumulate(share.reshape(-1, months), axis=1).ravel()
    realisasi = np.round(pagu * share * 0.95)
    n = rows
    frame = pd.DataFrame({
        C.TAHUN: pd.array(np.full(n, 2024), dtype="Int64"),
        C.PERIODE: (pd.to_datetime({"year": np.full(n, 2024), "month": month, "day": 1})
                    + pd.offsets.MonthEnd(0)).astype("datetime64[ns]"),
        C.KODE_PROVINSI: "32",
        C.KODE_WILAYAH: region.astype(object),
        C.NAMA_WILAYAH: None,
        C.OPD: None,
        C.MENU: pd.Series([f"Menu {i % 40}" for i in range(items)], dtype=object)
        .to_numpy()[item],
        C.RINCIAN: pd.Series([f"Rincian {i}" for i in range(items)], dtype=object)
        .to_numpy()[item],
        C.PAGU: pagu,
        C.PENYALURAN: np.nan,
        C.REALISASI: realisasi,
        C.PERSEN_REALISASI: np.round(100 * realisasi / pagu, 2),
        C.PERSEN_CAPAIAN_OUTPUT: np.nan,
        C.KETERANGAN: None,
        C.JENIS_DAK: C.NONFISIK,
        C.SUMBER_FILE: "bench.csv",
        C.SUMBER_SHEET: "",
        C.SUMBER_BARIS: np.arange(2, n + 2),
    })
    n_bad = int(bad * n)
    idx = rng.choice(n, n_bad, replace=False)
    kind = rng.integers(0, 3, n_bad)
    r = frame[C.REALISASI].to_numpy(copy=True)
    p = frame[C.PERSEN_REALISASI].to_numpy(copy=True)
    above = idx[kind == 0]
    r[above] = frame[C.PAGU].to_numpy()[above] * 1.2
    p[above] = np.round(100 * r[above] / frame[C.PAGU].to_numpy()[above], 2)
    fall = idx[(kind == 1) & (month[idx] == 12)]
    r[fall] = r[fall] * 0.5
    p[fall] = np.round(100 * r[fall] / frame[C.PAGU].to_numpy()[fall], 2)
    pct = idx[kind == 2]
    p[pct] = p[pct] + 10
    frame[C.REALISASI] = r
    frame[C.PERSEN_REALISASI] = p
    return frame


def as_export(frame: pd.DataFrame) -> Export:
    data = frame.reindex(columns=list(C.CANONICAL_COLUMNS))
    files = pd.DataFrame([{C.SUMBER_FILE: "bench.csv", C.SUMBER_SHEET: "",
                           C.JENIS_DAK: C.NONFISIK, "baris_dibaca": len(frame) + 1,
                           "baris_data": len(frame), "baris_dilewati": 1}])
    skipped = pd.DataFrame({C.SUMBER_FILE: ["bench.csv"], C.SUMBER_SHEET: [""],
                            C.SUMBER_BARIS: [1], "alasan": ["header"], "isi": [""]})
    empty = pd.DataFrame(columns=[*C.PROVENANCE, "kolom", "nilai", "diharapkan"])
    return Export(data=data, skipped=skipped, unparsed=empty, totals=pd.DataFrame(),
                  files=files, kind=C.NONFISIK)


def best_of(fn, repeats: int = 3) -> tuple[float, object]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, action="append")
    ap.add_argument("--bad", type=float, default=0.01)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print("| rows | bad rows | pandera validate(lazy) s | pandera failure cases | "
          "validate_export s | problems | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for rows in args.rows or [100_000, 1_000_000]:
        frame = make_frame(rows, args.bad)
        export = as_export(frame)

        def plain() -> int:
            try:
                NonfisikExport.validate(frame, lazy=True)
                return 0
            except pa.errors.SchemaErrors as err:
                return len(err.failure_cases)

        def ours() -> int:
            return len(validate_export(export).problems)

        t_plain, n_fc = best_of(plain, args.repeats)
        t_ours, n_probs = best_of(ours, args.repeats)
        print(f"| {rows:,} | {int(args.bad * rows):,} | {t_plain:.2f} | {n_fc:,} | "
              f"{t_ours:.2f} | {n_probs:,} | {t_ours / t_plain:.2f} |")


if __name__ == "__main__":
    main()
