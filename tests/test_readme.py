"""The README's quick start runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import json
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


NOTEBOOKS = ["walkthrough.ipynb", "walkthrough_en.ipynb"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_with_its_outputs_and_figures_inline(name: str) -> None:
    """The README says the notebooks read without running: every code cell ran, without error;
    each plotting cell holds its figure as an inline PNG; results show their HTML; no numbers in
    scientific notation and no Agg backend (which shows `<Figure size …>` instead of figures)."""
    nb = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    for cell in code:
        source = "".join(cell["source"])
        assert "matplotlib.use" not in source
        assert cell["execution_count"] is not None, source
        assert not [o for o in cell["outputs"] if o["output_type"] == "error"], source
        texts = ["".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/html", ""))
                 for o in cell["outputs"]]
        assert not any(re.search(r"\d\.\d+e[+-]\d\d", t) for t in texts), source
        if "dm.plot_" in source:
            assert any("image/png" in o.get("data", {}) for o in cell["outputs"]), source
    html = [c for c in code if any("dak-monitor" in "".join(o.get("data", {}).get("text/html", ""))
                                   for o in c["outputs"])]
    assert len(html) >= 5  # Export, two ValidationReports, Projection, MonitorResult
