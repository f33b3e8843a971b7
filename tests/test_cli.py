"""Tests of the ``dak-monitor`` command line: exit codes, error lines, JSON/JUnit output, report.

Most tests call :func:`dak_monitor.cli.main` in-process; a few run a subprocess to check the
module entry point, the console script and a console that cannot print non-ASCII text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

import dak_monitor as dm
from dak_monitor.cli import main
from dak_monitor.schemas import CHECKS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
CURRENT = str(SAMPLES / "current")
FAULTY = str(SAMPLES / "faulty")
HISTORY = str(SAMPLES / "history")
CLEAN_FILE = str(SAMPLES / "history" / "fisik_jabar_2021.csv")
PROBLEM_KEYS = {"file", "sheet", "row", "column", "code", "severity", "value", "pesan",
                "message"}
COUNTS = ("rows_read", "rows_valid", "rows_quarantined", "rows_skipped")
BIN = Path(sys.executable).parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _warn_only(tmp_path: Path) -> Path:
    """A file whose only problem is a pagu change: a warning on line 3."""
    path = tmp_path / "warn.csv"
    path.write_text("Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi\n"
                    "2024;Mei 2024;32.05;Kab. Garut;Operasional BKB;1.000;100\n"
                    "2024;Juni 2024;32.05;Kab. Garut;Operasional BKB;1.100;200\n",
                    encoding="utf-8")
    return path


def _junk_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"this is not a zip archive \x00\x01\x02")
    return path


def assert_one_error_line(err: str) -> None:
    """stderr is one line 'dak-monitor: error: ...' and no traceback."""
    assert "Traceback" not in err
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dak-monitor: error:"), err


# ================================================================================ exit codes
def test_validate_current_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """The clean current samples validate with exit 0."""
    code, out, err = run(capsys, "validate", CURRENT)
    assert code == 0, err
    assert "Traceback" not in err
    assert "fisik_jabar_2024_06.csv" in out


def test_validate_faulty_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """The faulty samples fail validation with exit 1 and list the problems on stdout."""
    code, out, err = run(capsys, "validate", FAULTY)
    assert code == 1
    assert err == ""
    assert "realisasi-above-pagu" in out and "duplicate-row" in out


def test_warnings_only_exit_0_and_strict_1(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings alone exit 0; with --strict they exit 1."""
    path = str(_warn_only(tmp_path))
    code, out, _ = run(capsys, "validate", path)
    assert code == 0
    assert "pagu-changed" in out
    code, out, _ = run(capsys, "validate", path, "--strict")
    assert code == 1
    assert "pagu-changed" in out


@pytest.mark.parametrize("case", ["missing-path", "junk-xlsx"])
def test_unreadable_input_exits_2_with_one_line(case: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A missing path or a file that is no workbook: exit 2, one error line naming it."""
    target = str(tmp_path / "tidak_ada") if case == "missing-path" else str(_junk_xlsx(tmp_path))
    code, out, err = run(capsys, "validate", target)
    assert code == 2
    assert out == ""
    assert_one_error_line(err)
    assert Path(target).name in err


USAGE_ERRORS = {
    "bad-format": ["validate", CURRENT, "--format", "xml"],
    "unknown-kind": ["validate", CURRENT, "--kind", "bokb"],
    "no-paths": ["validate"],
    "no-command": [],
}


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_usage_errors_exit_2(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad --format, an unknown --kind, missing arguments: exit 2, no traceback."""
    code, out, err = run(capsys, *USAGE_ERRORS[case])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert "error:" in err


@pytest.mark.parametrize("case", ["bad-format", "unknown-kind"])
def test_usage_errors_are_one_line(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad --format or --kind gives one line 'dak-monitor: error: ...' on stderr."""
    code, _, err = run(capsys, *USAGE_ERRORS[case])
    assert code == 2
    assert_one_error_line(err)


def test_bad_rules_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown rule in --rules is a usage error with one line."""
    rules = tmp_path / "rules.toml"
    rules.write_text("money_tolerence = 5\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(_warn_only(tmp_path)), "--rules", str(rules))
    assert code == 2 and out == ""
    assert_one_error_line(err)
    assert "money_tolerence" in err


def test_rules_file_changes_the_outcome(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """--rules with a large money tolerance turns an above-pagu error into a pass."""
    path = tmp_path / "x.csv"
    path.write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\n"
                    "2024;Juni 2024;32.05;BKB;1.000;1.500\n", encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text("money_tolerance = 1000\n", encoding="utf-8")
    assert run(capsys, "validate", str(path))[0] == 1
    assert run(capsys, "validate", str(path), "--rules", str(rules))[0] == 0


# ====================================================================================== JSON
def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert "Traceback" not in err
    return code, json.loads(out)


def test_json_document_faulty(capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON document has integer counts that add up, files and problems with all keys."""
    code, doc = _json(capsys, "validate", FAULTY)
    assert code == 1
    assert isinstance(doc, dict)
    for k in COUNTS:
        assert type(doc[k]) is int, k
    assert doc["rows_read"] == doc["rows_valid"] + doc["rows_quarantined"] + doc["rows_skipped"]
    files = doc["files"]
    assert isinstance(files, list) and files
    for f in files:
        assert {"file", *COUNTS} <= set(f)
        assert all(type(f[k]) is int for k in COUNTS)
        assert f["rows_read"] == f["rows_valid"] + f["rows_quarantined"] + f["rows_skipped"]
    for k in COUNTS:
        assert doc[k] == sum(f[k] for f in files), k
    problems = doc["problems"]
    assert isinstance(problems, list)
    for p in problems:
        assert set(p) >= PROBLEM_KEYS, p
        assert p["severity"] in ("error", "warning")
        assert p["row"] is None or type(p["row"]) is int
    # the same facts as planted.csv, and planted.csv itself, a file of the folder that is not
    # an export, named once as not read
    planted = pd.read_csv(SAMPLES / "faulty" / "planted.csv", dtype=str, keep_default_na=False)
    unread = [p for p in problems if p["code"] == "file-not-read"]
    assert [(Path(p["file"]).name, p["row"]) for p in unread] == [("planted.csv", None)]
    problems = [p for p in problems if p["code"] != "file-not-read"]
    assert {(Path(p["file"]).name, p["sheet"], p["row"], p["code"]) for p in problems} == {
        (Path(f).name, s, int(r), c) for f, s, r, c in
        zip(planted["file"], planted["sheet"], planted["row"], planted["code"], strict=True)}
    n_err = sum(p["severity"] == "error" for p in problems)
    assert n_err > 0
    assert doc.get("ok") is False


def test_json_document_clean(capsys: pytest.CaptureFixture[str]) -> None:
    """The clean samples give an empty problem list and a quarantine of zero."""
    code, doc = _json(capsys, "validate", CURRENT)
    assert code == 0
    assert doc["problems"] == []
    assert doc["rows_quarantined"] == 0
    assert doc["rows_valid"] == doc["rows_read"] - doc["rows_skipped"]


def test_read_format_json(capsys: pytest.CaptureFixture[str]) -> None:
    """read --format json describes the files and the row counts."""
    path = str(SAMPLES / "faulty" / "nonfisik_2024_apr-jun.csv")
    code, doc = _json(capsys, "read", path)
    assert code == 0
    ex = dm.read_export(path)
    assert doc["kind"] == "nonfisik"
    assert doc["rows_read"] == ex.rows_read
    assert doc["rows_data"] == len(ex.data)
    assert doc["rows_skipped"] == len(ex.skipped)
    assert doc["rows_read"] == doc["rows_data"] + doc["rows_skipped"]
    assert doc["cells_unparsed"] == 1  # realisasi '137.730.10' on line 113 (planted.csv)
    assert [Path(f["file"]).name for f in doc["files"]] == ["nonfisik_2024_apr-jun.csv"]


# ===================================================================================== JUnit
def test_junit_output(capsys: pytest.CaptureFixture[str]) -> None:
    """The JUnit XML has one testcase per file/sheet and one failure per file with errors."""
    code, out, _ = run(capsys, "validate", FAULTY, "--format", "junit")
    assert code == 1
    root = ET.fromstring(out.strip().encode("utf-8"))
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    report = dm.validate_export(dm.read_export(FAULTY))
    n_cases = len(report.files)  # 3 files + 2 more sheets of the workbook + planted.csv
    assert n_cases == 6
    planted = pd.read_csv(SAMPLES / "faulty" / "planted.csv", dtype=str, keep_default_na=False)
    errors = planted[planted["code"].map(lambda c: CHECKS[c].severity) == "error"]
    with_errors = set(zip(errors["file"], errors["sheet"], strict=True))
    assert len(with_errors) == 4
    with_errors.add(("planted.csv", ""))  # not an export: file-not-read, an error
    assert int(suite.get("tests", "-1")) == n_cases
    assert int(suite.get("failures", "-1")) == len(with_errors)
    cases = suite.findall("testcase")
    assert len(cases) == n_cases
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == len(with_errors)
    # a warning-only file (the wrong total) is a passing test case
    total = [c for c in cases if "total_salah" in (c.get("name") or "")]
    assert len(total) == 1 and total[0].find("failure") is None


def test_junit_clean_and_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings are failures in JUnit only with --strict."""
    path = str(_warn_only(tmp_path))
    code, out, _ = run(capsys, "validate", path, "--format", "junit")
    suite = ET.fromstring(out.strip().encode("utf-8"))
    assert code == 0 and (suite.get("tests"), suite.get("failures")) == ("1", "0")
    code, out, _ = run(capsys, "validate", path, "--format", "junit", "--strict")
    suite = ET.fromstring(out.strip().encode("utf-8"))
    assert code == 1 and (suite.get("tests"), suite.get("failures")) == ("1", "1")


# ==================================================================================== text
def test_lang_en_gives_english(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang en prints the English summary and messages; the default is Indonesian."""
    _, out_en, _ = run(capsys, "validate", FAULTY, "--lang", "en")
    _, out_id, _ = run(capsys, "validate", FAULTY)
    assert out_en.startswith("Validation:") and "rows read" in out_en
    assert "Realisasi above pagu" in out_en and "is above pagu" in out_en
    assert "melebihi" not in out_en
    assert out_id.startswith("Validasi:") and "baris dibaca" in out_id
    assert "melebihi pagu" in out_id


def test_max_rows_caps_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--max-rows caps the problems listed per file and code."""
    path = tmp_path / "many.csv"
    path.write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\n" + "".join(
        f"2024;Juni 2024;32.05;Menu {i};1.000;2.000\n" for i in range(12)), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path), "--max-rows", "4", "--lang", "en")
    assert code == 1
    assert len([ln for ln in out.splitlines() if ln.strip().startswith("row ")]) == 4
    assert "8 more" in out


# ============================================================================== subprocesses
def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONIO")}
    env.update(extra)
    return env


def test_module_version_subprocess() -> None:
    """python -m dak_monitor --version prints the version and exits 0."""
    proc = subprocess.run([sys.executable, "-m", "dak_monitor", "--version"],
                          capture_output=True, text=True, timeout=120, env=_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"dak-monitor {dm.__version__}"


def test_console_script_subprocess() -> None:
    """The dak-monitor console script of the venv runs (skipped when not installed)."""
    script = BIN / ("dak-monitor.exe" if os.name == "nt" else "dak-monitor")
    if not script.exists():
        pytest.skip("console script dak-monitor not installed next to the interpreter")
    proc = subprocess.run([str(script), "validate", CLEAN_FILE], capture_output=True,
                          text=True, timeout=120, env=_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    proc = subprocess.run([str(script), "validate", "tidak/ada/folder"], capture_output=True,
                          text=True, timeout=120, env=_env(), check=False)
    assert proc.returncode == 2
    assert_one_error_line(proc.stderr)


def test_ascii_console_does_not_crash() -> None:
    """On an ASCII-only console the faulty samples still print, exit 1, and no traceback."""
    proc = subprocess.run([sys.executable, "-m", "dak_monitor", "validate", FAULTY],
                          capture_output=True, timeout=120, env=_env(PYTHONIOENCODING="ascii"),
                          check=False)
    err = proc.stderr.decode("ascii", errors="replace")
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    out = proc.stdout.decode("ascii")  # only ASCII was written
    assert "contract-date-after-period" in out
    assert out.startswith("Validasi:")


# ============================================================ report, project, flags
def test_cli_report_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`dak-monitor report` writes every file and exits 0 on the clean samples."""
    out = tmp_path / "rep"
    code = main(["report", str(CURRENT), "--history", str(HISTORY), "--out", str(out),
                 "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    for name in ("report.xlsx", "summary.md", "projection.csv", "flags.csv", "problems.csv"):
        assert (out / name).stat().st_size > 0, name
    pngs = list((out / "figures").glob("*.png"))
    assert pngs
    assert "report.xlsx" in captured.out


def test_cli_report_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--fail-on error exits 1 when the data have errors; without it the report exits 0."""
    args = ["report", str(FAULTY), "--out", str(tmp_path / "o"), "--quiet", "--no-figures"]
    assert main(args) == 0
    assert main([*args, "--fail-on", "error"]) == 1
    capsys.readouterr()


def test_cli_report_refuses_to_overwrite_input(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Pointing --out at the input folder is refused with exit 2 and one line."""
    code = main(["report", str(CURRENT), "--out", str(CURRENT), "--quiet", "--no-figures"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("dak-monitor: error:")
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["project", "flags"])
def test_cli_tables_json(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`project` and `flags` print JSON records a tool can parse."""
    assert main([command, str(CURRENT), "--history", str(HISTORY), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert isinstance(doc, list)
    assert doc
    assert "kode_wilayah" in doc[0]


def test_cli_report_on_ascii_console(tmp_path: Path) -> None:
    """The report command does not crash on a console that cannot print non-ASCII."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", "dak_monitor", "report", str(CURRENT), "--out",
         str(tmp_path / "o"), "--no-figures"], capture_output=True, env=env, timeout=300,
        check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert b"Traceback" not in proc.stderr
