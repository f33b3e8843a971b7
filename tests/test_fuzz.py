"""Fuzzing: corrupted exports never escape as anything but DakMonitorError, and rows add up.

Small in CI (the ``ci`` hypothesis profile); ``HYPOTHESIS_PROFILE=large`` runs many more.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor.datasets import make_export, write_export



@functools.cache
def _frames() -> dict[str, pd.DataFrame]:
    return {
        "nonfisik": make_export("nonfisik", year=2024, months=[5, 6], regions=["32.05", "32.79"],
                                seed=1),
        "fisik": make_export("fisik", year=2024, months=[6], regions=["32.05"], seed=1),
    }


_OPS = st.sampled_from(["del", "dup", "shuffle", "garbage", "trunc", "long", "formula", "huge",
                        "blank", "sep"])


def _mutate_lines(lines: list[str], ops: list[tuple[str, int, str]]) -> list[str]:
    for op, k, junk in ops:
        if not lines:
            lines = [""]
        k %= len(lines)
        if op == "del":
            lines.pop(k)
        elif op == "dup":
            lines.insert(k, lines[k])
        elif op == "shuffle":
            lines[k] = ";".join(reversed(lines[k].split(";")))
        elif op == "garbage":
            lines[k] = junk
        elif op == "trunc":
            lines = lines[:k]
        elif op == "long":
            lines[k] += ";" + "x" * 3000
        elif op == "formula":
            lines[k] = "=1+1;" + lines[k]
        elif op == "huge":
            lines[k] = lines[k].replace("1", "9" * 40, 1)
        elif op == "blank":
            lines[k] = ";;;;"
        else:
            lines[k] = lines[k].replace(";", ",")
    return lines


def _pipeline(path: Path) -> None:
    """Read, validate, project and flag; check the accounting; allow only our errors."""
    try:
        export = dm.read_export(path)
        report = dm.validate_export(export)
    except dm.DakMonitorError:
        return
    t = report.totals()
    assert t["rows_read"] == t["rows_valid"] + t["rows_quarantined"] + t["rows_skipped"]
    for rec in export.files.itertuples(index=False):
        assert rec.baris_dibaca == rec.baris_data + rec.baris_dilewati
    if len(report.quarantine):
        bad = set(zip(report.quarantine.sumber_file, report.quarantine.sumber_baris,
                      strict=True))
        errs = report.problems[report.problems.severity == "error"]
        have = set(zip(errs.file, errs.row.astype(int), strict=True))
        assert bad <= have  # every quarantined row has a problem
    if len(report.valid):
        try:
            proj = dm.project_absorption(report)
            dm.flag_offices(report, projection=proj)
        except dm.DakMonitorError:
            pass


@settings(deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["nonfisik", "fisik"]), layout=st.sampled_from(["clean", "messy"]),
       seed=st.integers(0, 1000),
       ops=st.lists(st.tuples(_OPS, st.integers(0, 10_000),
                              st.text(string.printable, max_size=60)), max_size=6),
       encoding=st.sampled_from(["utf-8", "cp1252", "utf-16", "latin-1"]))
def test_corrupted_csv(tmp_path: Path, kind: str, layout: str, seed: int,
                       ops: list[tuple[str, int, str]], encoding: str) -> None:
    """A corrupted CSV export is read or refused with a DakMonitorError; rows add up."""
    path = tmp_path / f"x{seed}.csv"
    write_export(_frames()[kind], path, layout=layout, seed=seed)
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    text = "\n".join(_mutate_lines(lines, ops))
    path.write_bytes(text.encode(encoding, "replace"))
    _pipeline(path)


@settings(deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["nonfisik", "fisik"]), seed=st.integers(0, 1000),
       cut=st.floats(0.0, 1.0), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                               max_size=30))
def test_corrupted_xlsx(tmp_path: Path, kind: str, seed: int, cut: float,
                        flips: list[tuple[float, int]]) -> None:
    """A truncated or bit-flipped workbook is read or refused with a DakMonitorError."""
    path = tmp_path / f"x{seed}.xlsx"
    write_export(_frames()[kind], path, layout="messy", seed=seed)
    data = bytearray(path.read_bytes())
    for where, byte in flips:
        data[int(where * (len(data) - 1))] = byte
    if cut < 0.3:
        data = data[: int(len(data) * cut / 0.3)]
    path.write_bytes(bytes(data))
    _pipeline(path)


@given(junk=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".xlsx", ".xls"]))
@settings(deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_binary_junk(tmp_path: Path, junk: bytes, suffix: str) -> None:
    """Binary junk under any export name never escapes as another exception type."""
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(junk)
    _pipeline(path)
