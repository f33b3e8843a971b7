"""The README's quick start runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quickstart() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start in Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_quickstart_runs_and_matches_its_comments(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Running the quick start prints the summary lines shown as comments in the README."""
    code = quickstart()
    expected = [ln[2:] for ln in code.splitlines() if ln.startswith("# ")]
    monkeypatch.chdir(ROOT)
    code = code.replace('dm.write_report(result, "report")',
                        f'dm.write_report(result, {str(tmp_path / "report")!r}, figures=False)')
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    printed = out.getvalue().splitlines()
    for line in expected:
        assert line in printed, line
    assert (tmp_path / "report" / "report.xlsx").exists()
    assert os.getcwd() == str(ROOT)


def test_data_from_memory_section_runs_and_matches_its_comments() -> None:
    """The "For tool authors: data from memory" example prints what its comments show."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## For tool authors: data from memory", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    expected = [ln[2:] for ln in code.splitlines() if ln.startswith("# ")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    printed = out.getvalue().splitlines()
    assert expected and all(line in printed for line in expected), printed
