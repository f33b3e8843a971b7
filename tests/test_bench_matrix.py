"""Smoke test of the benchmark matrix's independent writer (``benchmarks/bench_matrix.py``).

Every shape is written at a tiny size and read by the library: the row account must add up
(rows read = valid + quarantined + skipped, and = the lines written), with the kind and the
six periods the writer wrote. No timing here: speed lives in the benchmark itself.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import dak_monitor as dm

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_matrix.py"
ROWS = 600  # 100 items × 6 months
PERIODS = {pd.Timestamp(f"2024-{m:02d}-01") + pd.offsets.MonthEnd(0) for m in range(1, 7)}


@pytest.fixture(scope="module")
def bm() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_matrix", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_money_and_percent_text_is_written_the_indonesian_way(bm: ModuleType) -> None:
    got = bm.idr([972_000_000, 0, 999, 1_000, 1_234_567_890, -1_234]).tolist()
    assert got == ["972.000.000", "0", "999", "1.000", "1.234.567.890", "1.234"]
    assert bm.pct_text([430, 0, 10_000, 5]).tolist() == ["4,30", "0,00", "100,00", "0,05"]


def test_the_writer_imports_no_library_code(tmp_path: Path) -> None:
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import bench_matrix as b, pathlib;"
            "[b.write_shape(s, 60, pathlib.Path(sys.argv[2]) / f'{s}.{b.suffix(s)}')"
            " for s in b.SHAPE_NAMES];"
            "print(sorted(m for m in sys.modules if m.startswith('dak_monitor')))")
    out = subprocess.run([sys.executable, "-c", code, str(BENCH.parent), str(tmp_path)],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("shape", ["morena9", "fisik23", "cp1252", "malformed", "xlsx"])
def test_the_library_reads_every_shape_with_the_rows_accounted_for(
        bm: ModuleType, tmp_path: Path, shape: str) -> None:
    rows = 6_000 if shape == "cp1252" else ROWS  # 0.1 % negatives: a few at 6,000 rows
    path = tmp_path / f"{shape}.{bm.suffix(shape)}"
    facts = bm.write_shape(shape, rows, path)
    assert facts["rows"] == rows
    ex = dm.read_export(path)
    rep = dm.validate_export(ex)
    t = rep.totals()
    # every line written (title block, header, data) is read and accounted for
    assert ex.rows_read == facts["header_line"] + 1 + rows
    assert t["rows_read"] == ex.rows_read
    assert t["rows_read"] == t["rows_valid"] + t["rows_quarantined"] + t["rows_skipped"]
    assert len(ex.data) == rows
    assert ex.kind == facts["kind"]
    assert set(ex.data["periode"].dropna()) == PERIODS
    if shape in ("morena9", "fisik23", "xlsx"):  # consistent data: nothing to quarantine
        assert t["rows_quarantined"] == 0, rep.problems[["code", "message"]].head()
        assert ex.data["pagu"].sum() == facts["pagu_sum"]
    if shape == "cp1252":  # each (1.234.000) correction is a negative realisasi, quarantined
        assert facts["negative_cells"] > 0
        assert facts["negative_cells"] == (ex.data["realisasi"] < 0).sum()
        assert ex.data["pagu"].sum() == facts["pagu_sum"]
        assert (rep.problems["code"] == "negative-value").sum() == facts["negative_cells"]
        assert len(ex.unparsed) == 0
    if shape == "malformed":  # 1 % of 5,400 cells: 54, of which about a ninth per column
        assert facts["malformed_cells"] == 54
        assert 0 < len(ex.unparsed) < facts["malformed_cells"]
        assert 0 < t["rows_quarantined"] <= facts["malformed_rows"]
