"""Regenerate ``data_samples/`` and the packaged samples in ``src/dak_monitor/data/``.

    python scripts/make_samples.py

Runs :func:`dak_monitor.datasets.write_samples` (see there, and ``data_samples/README.md``
which it writes). Everything written is synthetic and deterministic: run it twice and the
files are byte-identical.

* ``data_samples/current/``  fiscal year 2024, January–June, both kinds, messy layouts, no
  data mistakes.
* ``data_samples/history/``  2021–2023, full years, both kinds, one file per year and kind.
* ``data_samples/faulty/``   small exports with data mistakes planted at known rows, listed in
  ``faulty/planted.csv`` (file, sheet, row, column, code, description).
* ``data_samples/archetypes.csv`` and ``data_samples/README.md``.
* ``data_samples/july/`` and ``data_samples/reporting/``: the monthly-workflow samples
  (:func:`dak_monitor.datasets.write_monthly_samples`): the same year one month later with
  revisions, and four offices that skip, resubmit, revise and report late.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dak_monitor.datasets import write_monthly_samples, write_samples  # noqa: E402

OUT = ROOT / "data_samples"
PKG = ROOT / "src" / "dak_monitor" / "data"
#: data_samples/ must stay well under this size (bytes).
MAX_BYTES = 5_000_000


def main() -> None:
    manifest = write_samples(OUT, package=PKG)
    write_monthly_samples(OUT)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {len(manifest)} exports, {len(manifest.attrs['planted'])} planted mistakes, "
          f"{total / 1e6:.2f} MB in {OUT.relative_to(ROOT)}/")
    if total >= MAX_BYTES:
        msg = f"data_samples must stay well under {MAX_BYTES / 1e6:.0f} MB"
        raise SystemExit(msg)


if __name__ == "__main__":
    main()
