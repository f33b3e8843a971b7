"""Peak memory of reading, as a multiple of what the safety limits bound (issue #13).

Every input is written here by an independent writer (the csv module; openpyxl's write-only
workbook), never by ``dak_monitor.datasets``, and read by ``dak_monitor.read_export`` in a
fresh process; the peak is that process's ``VmHWM`` minus its peak after importing the
library and reading a tiny file (so interpreter and libraries are not counted).

    python benchmarks/bench_memory.py                 # the default sizes (~2 minutes)
    python benchmarks/bench_memory.py --rows 1000000  # a larger CSV/XLSX

The cases: a plain CSV of N rows (the multiple of the file's size); a CSV whose every line
is at the column limit; a CSV whose cells are at the cell-character limit; a workbook of N
rows (bytes per cell of the used range); a workbook whose used range is stretched by one
stray cell to just under the ``5 x max_rows`` cell cap.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HEADER = ["Tahun", "Periode", "Kode Wilayah", "Kabupaten/Kota", "Menu", "Rincian", "Pagu",
          "Realisasi"]

CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import dak_monitor as dm

    def hwm():
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return 0

    warm = Path(sys.argv[1])
    dm.read_export(warm)
    base = hwm()
    kwargs = json.loads(sys.argv[3])
    try:
        ex = dm.read_export(Path(sys.argv[2]), **kwargs)
        outcome = f"{ex.rows_read:,} rows read"
    except dm.DakMonitorError as exc:
        outcome = f"refused: {type(exc).__name__}"
    print(json.dumps({"peak": hwm() - base, "outcome": outcome}))
""")


def _row(i: int) -> list[str]:
    return ["2024", "Juni 2024", "32.05", "Kab. Garut", "Operasional BKB", f"Kegiatan {i}",
            f"{1_000_000 + i:,}".replace(",", "."), f"{500_000 + i:,}".replace(",", ".")]


def write_csv(path: Path, rows: int, *, extra_cells: int = 0, cell: str | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER + [f"x{k}" for k in range(extra_cells)])
        for i in range(rows):
            r = _row(i)
            if cell is not None:
                r[5] = cell
            w.writerow(r + [""] * extra_cells)
    return path


def write_xlsx(path: Path, rows: int, *, stray: tuple[int, int] | None = None) -> Path:
    from openpyxl import Workbook  # noqa: PLC0415

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Juni")
    ws.append(HEADER)
    for i in range(rows):
        r: list[object] = _row(i)
        r[6], r[7] = 1_000_000 + i, 500_000 + i
        ws.append(r)
    if stray is not None:  # one value far away: the used range becomes rows x cols
        at_row, at_col = stray
        for _ in range(rows + 2, at_row):
            ws.append([])
        ws.append([None] * (at_col - 1) + ["x"])
    wb.save(path)
    return path


def measure(warm: Path, path: Path, **kwargs: int) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(warm), str(path), json.dumps(kwargs)],
                         capture_output=True, text=True, check=True, timeout=1800)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=200_000, help="rows of the plain CSV/XLSX")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        warm = write_csv(d / "warm.csv", 3)
        n = args.rows
        cap_rows = 40_000  # the stray-cell case's max_rows: a cap of 200,000 cells
        cases = [
            ("plain CSV", write_csv(d / "plain.csv", n), {}, "file"),
            ("CSV, every line at 16,384 cells", write_csv(d / "wide.csv", 300,
                                                          extra_cells=16_384 - 8), {}, "file"),
            ("CSV, cells at 32,767 characters", write_csv(d / "long.csv", 2_000,
                                                          cell="z" * 32_767), {}, "file"),
            ("plain XLSX", write_xlsx(d / "plain.xlsx", n // 4), {}, (n // 4 + 1) * 8),
            ("XLSX, stray cell under the cap", write_xlsx(d / "stray.xlsx", 10,
                                                          stray=(7_000, 24)),
             {"max_rows": cap_rows}, 7_000 * 24),
        ]
        for name, path, kwargs, per in cases:
            size = path.stat().st_size
            m = measure(warm, path, **kwargs)
            peak = int(m["peak"])
            if per == "file":
                ratio, unit = peak / size, "x file size"
            else:
                ratio, unit = peak / per, f"bytes per cell of the used range ({per:,} cells)"
            results.append({"case": name, "file_bytes": size, "peak_bytes": peak,
                            "ratio": round(ratio, 2), "unit": unit, "outcome": m["outcome"],
                            **kwargs})
            print(f"{name:34s} {size / 2**20:8.1f} MiB file  peak +{peak / 2**20:8.1f} MiB  "
                  f"{ratio:8.2f} {unit}  ({m['outcome']})", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
