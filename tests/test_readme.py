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


def _blocks(lang: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def test_readme_refers_to_nothing_outside_the_checkout() -> None:
    """A fresh clone has every file the README names: no `../` paths, and each `docs/…`,
    `src/…`, `notebooks/…`, `scripts/…` or `data_samples/…` path (backticks or a link)
    exists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../" not in text
    for name in ("GLOSSARY.md", "REAL_TEMPLATES.md", "EXPORT_FORMAT.md", "STAGE_RULES.md"):
        assert name not in text
    paths = set(re.findall(r"[`(]((?:docs|src|notebooks|scripts|data_samples|benchmarks)"
                           r"/[\w./-]*\w)[`)]", text))
    assert {"docs/glossary.md", "docs/templates.md", "notebooks/walkthrough.ipynb"} <= paths
    for rel in paths:
        if "*" not in rel:
            assert (ROOT / rel).exists(), rel


def test_the_two_commands_check_the_python_version_and_are_the_same_in_powershell() -> None:
    """Both bash commands stop on a Python older than 3.11 before creating the venv, and the
    PowerShell blocks run the same installs and the same command, per shell."""
    bash = [b.strip() for b in _blocks("bash")[:2]]
    check = "python3 -c 'import sys; sys.exit(sys.version_info < (3, 11) and "
    assert all(b.startswith(check) and " && python3 -m venv .venv && " in b for b in bash)
    ps = [b.strip() for b in _blocks("powershell")[:2]]
    assert len(ps) == 2
    for b, p in zip(bash, ps, strict=True):
        steps = b.split(" && ")[2:]  # after the check and the venv
        converted = [s.replace(".venv/bin/", ".venv\\Scripts\\").replace(
            "data_samples/", "data_samples\\") for s in steps]
        assert p == "; ".join(["py -3.11 -m venv .venv", *converted])
