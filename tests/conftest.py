"""Shared, session-scoped fixtures: the shipped samples' monitoring result and its report.

``monitor()`` on the samples and ``write_report`` with figures are the expensive steps of the
suite; they run once here and every module reuses them. The fixtures are read-only: a test
that needs a changed result builds a copy (``dataclasses.replace``), never mutates these.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dak_monitor as dm
from dak_monitor.datasets import make_export, write_export

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
CURRENT = SAMPLES / "current"
HISTORY = SAMPLES / "history"

@pytest.fixture(scope="session")
def monitor_result() -> dm.MonitorResult:
    """``dm.monitor`` of the shipped current samples with their history (computed once)."""
    return dm.monitor(CURRENT, history=HISTORY)


@pytest.fixture(scope="session")
def report_dir(monitor_result: dm.MonitorResult,
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``dm.write_report(monitor_result, folder)`` (with figures), written once."""
    folder = tmp_path_factory.mktemp("report") / "laporan"
    dm.write_report(monitor_result, folder)
    return folder


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export whose text cells try formula injection, and one bad row to quarantine."""
    d = tmp_path_factory.mktemp("hostile")
    (d / "x.csv").write_text(
        "Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Rincian;Pagu;Realisasi;Keterangan\n"
        '2024;Juni 2024;32.05;Kab. Garut;=HYPERLINK("http://evil");+cmd;1.000;0;@SUM(1)\n'
        "2024;Juni 2024;32.05;Kab. Garut;-2+3;\tx;1.000;=1+1;ok\n"
        "2024;Juni 2024;32.79;Kota Banjar;BKB;;1.000;500;ok\n", encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def hostile_result(hostile_dir: Path) -> dm.MonitorResult:
    """``dm.monitor`` of :func:`hostile_dir` (no history)."""
    return dm.monitor(hostile_dir)


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic current year (2024, January–June, two offices, both kinds).

    Cheap to run ``monitor`` on, for tests that need their own options (as_of, threshold).
    """
    d = tmp_path_factory.mktemp("small")
    for kind in ("nonfisik", "fisik"):
        frame = make_export(kind, year=2024, months=range(1, 7), regions=["32.05", "32.79"],
                            seed=1)
        write_export(frame, d / f"{kind}_2024.csv")
    return d
