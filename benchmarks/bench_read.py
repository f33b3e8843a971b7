#!/usr/bin/env python
"""Benchmark reading a large, messy Morena-style DAK nonfisik CSV export.

Usage::

    python benchmarks/bench_read.py --rows 100000 --rows 1000000 [--profile]

For each ``--rows N`` it generates (once, cached under ``benchmarks/_data/``) a seeded export of N
data rows with a title block, a numbering row, a subtotal every 500 rows, a grand total and a
note/signature block, then times in the same run, side by side:

* ``baseline``: plain ``pandas.read_csv(sep=";", thousands=".", decimal=",", skiprows=4)`` (the
  header line given by hand; it mis-reads region codes and keeps the total/note rows as data,
  it is only a speed reference);
* ``read_export``: ``dak_monitor.read_export(path)``;
* ``read_table``: ``dak_monitor.read_table(path, <alias map>, numbers=[money columns])``.

After one warm-up each, the readers are timed in 5 interleaved rounds (each round runs every
reader once, so baseline and read_export meet the same machine conditions); the table gives
the best and median time and the per-round ratio to the baseline (median, min–max). Peak
memory is measured in a fresh subprocess per reader: the peak RSS (``VmHWM`` from /proc, reset
after importing pandas and dak_monitor; ``ru_maxrss`` where /proc is missing, which Linux would
inherit from the parent across fork+exec) and its rise over the RSS after the imports
("delta"). It prints a markdown table, a PASS/FAIL line checking
``read_export``'s result against what the generator wrote, and with ``--profile`` a cProfile
top-25 (cumulative) of ``read_export`` on the largest file.

This file is named ``bench_*.py`` so pytest's default collection (``test_*.py``) ignores it.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "_data"
GENERATOR_VERSION = 1
SEED = 20240630
GROUP_SIZE = 500
HEADER_LINE_INDEX = 4  # 0-based index of the header line (3 title lines, 1 blank line)

TITLE = ["LAPORAN REALISASI DAK NONFISIK BOKB", "TAHUN ANGGARAN 2024", "Periode s.d. 30 Juni 2024"]
HEADER = ("Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Rincian;Pagu (Rp);Penyaluran (Rp);"
          "Realisasi (Rp);% Realisasi;Capaian Output (%);Keterangan")
N_COLS = 12
NOTES = ["Sumber: Aplikasi Morena", "Mengetahui,", "NIP. 19700101 199503 1 001"]
MENUS = np.array([
    "Operasional Balai Penyuluhan KB", "Operasional dan Pemeliharaan Gudang Alokon",
    "Distribusi Alat dan Obat Kontrasepsi", "Pelayanan KB Bergerak", "Operasional BKB",
    "Operasional BKR", "Operasional BKL", "Operasional PIK-R", "Kampung KB",
    "Pendampingan Keluarga Berisiko Stunting",
], dtype=object)
KETERANGAN = np.array(["", "Sudah lapor", "Revisi RKA", "Menunggu SP2D"], dtype=object)

READ_TABLE_ALIASES = {
    "tahun": ["tahun"], "periode": ["periode"], "kode_wilayah": ["kode wilayah"],
    "nama_wilayah": ["kabupaten/kota"], "menu": ["menu"], "rincian": ["rincian"],
    "pagu": ["pagu (rp)"], "penyaluran": ["penyaluran (rp)"], "realisasi": ["realisasi (rp)"],
    "persen_realisasi": ["% realisasi"], "persen_capaian_output": ["capaian output (%)"],
    "keterangan": ["keterangan"],
}
READ_TABLE_NUMBERS = ["pagu", "penyaluran", "realisasi"]
MONEY = ("pagu", "penyaluran", "realisasi")


# ================================================================================ generator
def _regions() -> tuple[np.ndarray, np.ndarray]:
    """Current kabupaten/kota codes and names written the way exports do (``Kab. Bandung``)."""
    from importlib import resources  # noqa: PLC0415

    with (resources.files("dak_monitor") / "reference" / "regions.csv").open(encoding="utf-8") as f:
        ref = pd.read_csv(f, dtype=str, keep_default_na=False)
    ref = ref[ref["tingkat"] != "provinsi"]
    names = ref["nama"].str.replace(r"^Kabupaten\s+", "Kab. ", regex=True)
    return ref["kode"].to_numpy(dtype=object), names.to_numpy(dtype=object)


def _id_int(values: np.ndarray) -> pd.Series:
    """Integers written the Indonesian way: ``1234567`` -> ``1.234.567``."""
    s = pd.Series(values.astype(np.int64)).astype(str)
    return s.str.replace(r"\B(?=(\d{3})+(?!\d))", ".", regex=True)


def _id_money(cents: np.ndarray) -> pd.Series:
    """Rupiah amounts in cents, written ``1.234.567`` or ``1.234.567,50`` when not whole."""
    whole = _id_int(cents // 100)
    frac = cents % 100
    has_frac = frac != 0
    out = whole.copy()
    out[has_frac] = whole[has_frac] + "," + pd.Series(frac[has_frac]).astype(str).str.zfill(2).values
    return out


def _id_pct(hundredths: np.ndarray) -> pd.Series:
    """Percent in hundredths, written ``45,25``."""
    h = hundredths.astype(np.int64)
    return (pd.Series(h // 100).astype(str) + ","
            + pd.Series(h % 100).astype(str).str.zfill(2))


def _pct_of(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.rint(np.divide(num * 10_000.0, den, out=np.zeros(len(num)), where=den > 0))


def generate(n: int, path: Path) -> dict[str, Any]:
    """Write an export of ``n`` data rows to ``path``; return what a reader should find."""
    rng = np.random.default_rng(SEED + n)
    codes, names = _regions()
    i = np.arange(n)
    group = i // GROUP_SIZE
    n_groups = int(group[-1]) + 1 if n else 0
    reg = (np.arange(n_groups) * 7) % len(codes)  # a kabupaten per group of rows
    row_reg = reg[group]

    pagu_rp = rng.integers(10_000_000, 2_000_000_000, size=n)
    pagu_c = pagu_rp * 100 + np.where(rng.random(n) < 0.10, 50, 0)
    peny_c = (pagu_rp * rng.uniform(0.3, 1.0, size=n)).astype(np.int64) * 100
    real_c = (peny_c // 100 * rng.uniform(0.0, 1.0, size=n)).astype(np.int64) * 100
    real_c = real_c + np.where(rng.random(n) < 0.05, 50, 0)
    dash = rng.random(n) < 0.01  # nil realisasi written "-"
    real_c[dash] = 0

    body = pd.DataFrame({
        0: "2024",
        1: "Juni 2024",
        2: codes[row_reg],
        3: names[row_reg],
        4: MENUS[i % len(MENUS)],
        5: "Rincian " + pd.Series(i + 1).astype(str).str.zfill(7),
        6: _id_money(pagu_c),
        7: _id_money(peny_c),
        8: _id_money(real_c),
        9: _id_pct(_pct_of(real_c, pagu_c)),
        10: _id_pct(rng.integers(0, 10_001, size=n)),
        11: KETERANGAN[np.where(rng.random(n) < 0.9, 0, rng.integers(1, len(KETERANGAN), size=n))],
    })
    body.loc[dash, 8] = "-"

    sums = {k: np.bincount(group, weights=v, minlength=n_groups).astype(np.int64)
            for k, v in (("pagu", pagu_c), ("penyaluran", peny_c), ("realisasi", real_c))}
    sub = pd.DataFrame({c: "" for c in range(N_COLS)}, index=range(n_groups))
    sub[3] = "Jumlah " + pd.Series(names[reg]).astype(str)
    sub[6] = _id_money(sums["pagu"]).to_numpy()
    sub[7] = _id_money(sums["penyaluran"]).to_numpy()
    sub[8] = _id_money(sums["realisasi"]).to_numpy()
    sub[9] = _id_pct(_pct_of(sums["realisasi"], sums["pagu"])).to_numpy()

    key = np.concatenate([group * 2, np.arange(n_groups) * 2 + 1])
    rows = pd.concat([body, sub], ignore_index=True).iloc[np.argsort(key, kind="stable")]
    totals_c = {k: int(pagu.sum()) for k, pagu in
                (("pagu", pagu_c), ("penyaluran", peny_c), ("realisasi", real_c))}
    total = [""] * N_COLS
    total[0] = "TOTAL"
    for col, k in ((6, "pagu"), (7, "penyaluran"), (8, "realisasi")):
        total[col] = _id_money(np.array([totals_c[k]]))[0]
    total[9] = _id_pct(_pct_of(np.array([totals_c["realisasi"]]),
                               np.array([totals_c["pagu"]])))[0]

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join([*TITLE, "", HEADER, ";".join(str(k) for k in range(1, N_COLS + 1))]))
        fh.write("\n")
        rows.to_csv(fh, sep=";", header=False, index=False, lineterminator="\n")
        fh.write(";".join(total) + "\n")
        fh.write("\n".join(NOTES) + "\n")
    tmp.replace(path)
    return {
        "rows": n, "subtotals": n_groups, "totals": 1, "notes": len(NOTES),
        "lines": len(TITLE) + 1 + 1 + 1 + n + n_groups + 1 + len(NOTES),
        "sum_rupiah": {k: v / 100 for k, v in totals_c.items()},
        "generator_version": GENERATOR_VERSION, "seed": SEED,
    }


def dataset(n: int) -> tuple[Path, dict[str, Any]]:
    """The cached export of ``n`` rows (generated when missing or out of date)."""
    path = DATA_DIR / f"morena_nonfisik_{n}.csv"
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("generator_version") == GENERATOR_VERSION and meta.get("seed") == SEED:
            return path, meta
    t0 = time.perf_counter()
    meta = generate(n, path)
    meta_path.write_text(json.dumps(meta, indent=1))
    print(f"generated {path.name} ({path.stat().st_size / 2**20:,.1f} MiB) in "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return path, meta


# ================================================================================== readers
def run(which: str, path: Path) -> Any:
    if which == "baseline":
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # mixed Tahun column: expected
        return pd.read_csv(path, sep=";", thousands=".", decimal=",", skiprows=HEADER_LINE_INDEX,
                           header=0, on_bad_lines="skip")
    import dak_monitor as dm  # noqa: PLC0415

    if which == "read_export":
        return dm.read_export(path)
    if which == "read_table":
        return dm.read_table(path, READ_TABLE_ALIASES, numbers=READ_TABLE_NUMBERS)
    raise ValueError(which)


READERS = ("baseline", "read_export", "read_table")


def interleaved_times(path: Path, repeats: int) -> dict[str, list[float]]:
    """Each reader timed ``repeats`` times, in rounds that run every reader once.

    This VM's speed drifts by up to 2x over minutes; timing the readers in alternation puts
    the baseline and ``read_export`` of one round under the same conditions, so the per-round
    ratio is steadier than a ratio of two separately timed blocks.
    """
    for w in READERS:
        run(w, path)  # warm-up
    times: dict[str, list[float]] = {w: [] for w in READERS}
    for _ in range(repeats):
        for w in READERS:
            gc.collect()
            t0 = time.perf_counter()
            result = run(w, path)
            times[w].append(time.perf_counter() - t0)
            del result
    return times


def _rss_mib(field: str) -> float | None:
    """``VmRSS``/``VmHWM`` of this process from /proc (Linux), in MiB."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def _reset_peak() -> bool:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _measure_memory_child(which: str, path: Path) -> None:
    # Linux keeps ru_maxrss across fork+exec, so getrusage() in a child started by a big parent
    # reports the parent's peak. Use /proc's VmHWM (reset after the imports) where available.
    import dak_monitor  # noqa: F401, PLC0415 (count the import in the base, not the read)

    if which != "baseline":
        import dak_monitor._reader  # noqa: F401, PLC0415

    gc.collect()
    if _reset_peak() and (base := _rss_mib("VmRSS")) is not None:
        run(which, path)
        peak = _rss_mib("VmHWM")
        method = "VmHWM"
    else:
        import resource  # noqa: PLC0415 (POSIX only)

        scale = 2**20 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux KiB
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
        run(which, path)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
        method = "ru_maxrss"
    print(json.dumps({"base_mib": base, "peak_mib": peak, "method": method}))


def peak_memory(which: str, path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--_memory", which, str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ================================================================================== checking
def check_export(path: Path, meta: dict[str, Any]) -> tuple[bool, list[str]]:
    """Does read_export find exactly the rows, skips and sums the generator wrote?"""
    ex = run("read_export", path)
    problems = []
    if len(ex.data) != meta["rows"]:
        problems.append(f"data rows {len(ex.data):,} != generated {meta['rows']:,}")
    counts = ex.skipped["alasan"].value_counts().to_dict()
    want = {"title": len(TITLE), "blank": 1, "header": 1, "numbering": 1,
            "subtotal": meta["subtotals"], "total": meta["totals"], "note": meta["notes"]}
    if counts != want:
        problems.append(f"skipped reasons {counts} != expected {want}")
    if ex.rows_read != meta["lines"]:
        problems.append(f"rows read {ex.rows_read:,} != lines written {meta['lines']:,}")
    for k in MONEY:
        got = float(ex.data[k].sum())
        exp = meta["sum_rupiah"][k]
        if not np.isclose(got, exp, rtol=1e-12, atol=0.01):
            problems.append(f"sum({k}) {got:,.2f} != generated {exp:,.2f}")
        if ex.data[k].isna().any():
            problems.append(f"{k}: {int(ex.data[k].isna().sum())} missing values")
    if len(ex.unparsed):
        problems.append(f"{len(ex.unparsed)} unparsed cells, e.g. "
                        f"{ex.unparsed.head(3).to_dict('records')}")
    bad_codes = ~ex.data["kode_wilayah"].astype(str).str.fullmatch(r"\d{2}\.\d{2}")
    if bad_codes.any():
        problems.append(f"{int(bad_codes.sum())} region codes not NN.NN")
    if (ex.data["periode"] != pd.Timestamp("2024-06-30")).any():
        problems.append("periode is not 2024-06-30 on every row")
    return not problems, problems


def profile(path: Path, top: int = 25) -> str:
    run("read_export", path)  # warm-up (imports, caches)
    prof = cProfile.Profile()
    prof.enable()
    run("read_export", path)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    buf.write("\n--- by own time (tottime) ---\n")
    stats.sort_stats("tottime").print_stats(15)
    return buf.getvalue()


# ===================================================================================== main
def machine() -> str:
    try:
        import pyarrow  # noqa: PLC0415

        arrow = f"pyarrow {pyarrow.__version__} (pandas keeps the baseline's text in Arrow)"
    except ImportError:
        arrow = "no pyarrow (as this project installs pandas)"
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
            f"{arrow}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, action="append",
                    help="data rows to generate (repeatable; default 100000)")
    ap.add_argument("--repeats", type=int, default=5,
                    help="timed rounds, each running every reader once (default 5)")
    ap.add_argument("--profile", action="store_true",
                    help="cProfile read_export on the largest file (top 25, cumulative)")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    ap.add_argument("--_memory", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._memory:
        _measure_memory_child(args._memory[0], Path(args._memory[1]))
        return 0
    sizes = sorted(set(args.rows or [100_000]))
    print(f"machine: {machine()}")
    print("command: python benchmarks/bench_read.py "
          + " ".join(f"--rows {n}" for n in sizes) + f" --repeats {args.repeats}"
          + (" --profile" if args.profile else "") + (" --no-memory" if args.no_memory else ""))
    lines = [f"| rows | file MiB | reader | best of {args.repeats} (s) | median (s) | × baseline, "
             "per round: median (min–max) | peak RSS (MiB) | RSS delta over imports (MiB) |",
             "|---:|---:|---|---:|---:|---|---:|---:|"]
    verdicts = []
    for n in sizes:
        path, meta = dataset(n)
        mib = path.stat().st_size / 2**20
        times = interleaved_times(path, args.repeats)
        ratios = {w: np.array(times[w]) / np.array(times["baseline"]) for w in READERS}
        for w in READERS:
            mem = {"peak_mib": float("nan"), "base_mib": float("nan")} if args.no_memory \
                else peak_memory(w, path)
            r = ratios[w]
            lines.append(f"| {n:,} | {mib:,.1f} | {w} | {min(times[w]):.3f} | "
                         f"{np.median(times[w]):.3f} | {np.median(r):.2f} ({r.min():.2f}–"
                         f"{r.max():.2f}) | {mem['peak_mib']:,.0f} | "
                         f"{mem['peak_mib'] - mem['base_mib']:,.0f} |")
        ok, problems = check_export(path, meta)
        ratio = float(np.median(ratios["read_export"]))
        verdicts.append(f"{'PASS' if ok else 'FAIL'} {n:,} rows: read_export result "
                        f"{'matches the generator' if ok else '; '.join(problems)}; "
                        f"read_export/baseline = {ratio:.2f}x, median of {args.repeats} "
                        f"rounds (worst {ratios['read_export'].max():.2f}x; "
                        + (f"target <= 4x: {'met' if ratio <= 4 else 'NOT met'})"
                           if n >= 1_000_000 else "the <= 4x target is set at 1,000,000 rows)"))
    print()
    print("\n".join(lines))
    print()
    print("\n".join(verdicts))
    if args.profile:
        path, _ = dataset(sizes[-1])
        print(f"\ncProfile of read_export on {sizes[-1]:,} rows:\n")
        print(profile(path))
    return 0 if all(v.startswith("PASS") for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
