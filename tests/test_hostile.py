"""The catalogue of hostile inputs and their expected behaviour (hardening, round two).

Each case is a file (or an option) that once crashed the process, lost rows without a word
or broke a machine output, with what the command line must do with it now: the exit code and
a fragment of the one-line message. The files are written here with the standard ``csv``
module and plain bytes, never with ``dak_monitor.datasets``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor.cli import main
from hostile_files import HEADER, good_rows, sheet_xml, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------- the catalogue
@dataclass(frozen=True)
class Case:
    """A hostile input: how to make it, the command, and what must happen."""

    name: str
    make: Callable[[Path], list[str]]  # writes the input under a folder; returns the argv
    exit_code: int
    says: str  # a fragment of the one-line error (or of the output, for exit 0/1)


def _unclosed_quote(d: Path) -> list[str]:
    rows = good_rows(970)
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\n").writerows([HEADER, *rows])
    lines = text.getvalue().split("\n")
    lines[4] = lines[4].replace("Kab. Garut", '"Kab. Garut')  # line 5 opens a quote
    (d / "x.csv").write_text("\n".join(lines), encoding="utf-8")
    return ["validate", str(d / "x.csv")]


def _long_quoted_field(d: Path) -> list[str]:
    rows = good_rows(5)
    rows[2][5] = "x" * 200_000  # the csv writer quotes nothing here; force quotes below
    with (d / "x.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL).writerows([HEADER, *rows])
    return ["validate", str(d / "x.csv")]


def _long_unquoted_field(d: Path) -> list[str]:
    rows = good_rows(5)
    rows[1][5] = "y" * 5_000_000
    write_csv(d / "x.csv", rows)
    return ["validate", str(d / "x.csv")]


def _full_width_digits(d: Path) -> list[str]:
    rows = good_rows(5)
    rows[2][6] = "\uff11\uff10\uff10\uff10"  # "1000" in full-width digits
    write_csv(d / "x.csv", rows)
    return ["validate", str(d / "x.csv")]


def _separators(at: int, n_rows: int) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        lines = [";".join(HEADER), *(";".join(r) for r in good_rows(n_rows))]
        lines[at - 1] = ";" * 200_000  # 300 KB of nothing, 200,001 cells
        (d / "x.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return ["read", str(d / "x.csv")]
    return make


def _link_to_special_file(d: Path) -> list[str]:
    if not Path("/proc/self/mem").exists():
        pytest.skip("no /proc/self/mem here")
    (d / "in").mkdir()
    (d / "in" / "x.csv").symlink_to("/proc/self/mem")
    write_csv(d / "in" / "good.csv", good_rows(2))
    return ["validate", str(d / "in")]


def _link_to_special_file_strict(d: Path) -> list[str]:
    return [*_link_to_special_file(d), "--strict-files"]


def _a_device(d: Path) -> list[str]:
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null here")
    return ["read", "/dev/null"]


def _deep_json_rules(d: Path) -> list[str]:
    (d / "rules.json").write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return ["validate", "--rules", str(d / "rules.json"), str(write_csv(d / "x.csv",
                                                                        good_rows(2)))]


def _deep_toml_aliases(d: Path) -> list[str]:
    (d / "aliases.toml").write_text("pagu = " + "[" * 100_000 + "]" * 100_000 + "\n")
    return ["read", "--aliases", str(d / "aliases.toml"), str(write_csv(d / "x.csv",
                                                                        good_rows(2)))]


def _nested_json_rules(d: Path) -> list[str]:
    # Deep enough to be absurd for a rules file, shallow enough for the parser.
    (d / "rules.json").write_text('{"a": ' + "[" * 200 + "]" * 200 + "}")
    return ["validate", "--rules", str(d / "rules.json"), str(write_csv(d / "x.csv",
                                                                        good_rows(2)))]


def _option(*argv: str) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        return [argv[0], *argv[1:], str(write_csv(d / "x.csv", good_rows(2)))]
    return make


CASES = [
    Case("unclosed quote on line 5 of 971", _unclosed_quote, 2, "line 5: a quote"),
    Case("quoted cell above the csv module's limit", _long_quoted_field, 2, "line 4"),
    Case("5 MB unquoted cell", _long_unquoted_field, 2,
         "line 3: a cell longer than 32,767 characters"),
    Case("full-width digits in a money cell", _full_width_digits, 1, "pagu"),
    Case("200,000 separators on line 6", _separators(6, 20), 2,
         "line 6 has more than 16,384 cells"),
    Case("200,000 separators on line 351, past the first lines", _separators(351, 400), 2,
         "line 351 has more than 16,384 cells"),
    # In a folder the file is named as not read and the others are read (exit 1: an error);
    # --strict-files makes it fatal.
    Case("link in an input folder to /proc/self/mem", _link_to_special_file, 1,
         "cannot be read"),
    Case("link in an input folder to /proc/self/mem, --strict-files",
         _link_to_special_file_strict, 2, "cannot be read"),
    Case("a device given as a file", _a_device, 2, "not a regular file"),
    Case("rules JSON nested 100,000 deep", _deep_json_rules, 2, "nested too deeply"),
    Case("aliases TOML nested 100,000 deep", _deep_toml_aliases, 2, "nested too deeply"),
    Case("rules JSON nested 200 deep", _nested_json_rules, 2, "more than 32 levels"),
    Case("--limit-mb nan", _option("read", "--limit-mb", "nan"), 2, "--limit-mb: 'nan'"),
    Case("--limit-mb inf", _option("read", "--limit-mb", "inf"), 2, "--limit-mb: 'inf'"),
    Case("--limit-mb 0", _option("read", "--limit-mb", "0"), 2, "above 0"),
    Case("--limit-rows -5", _option("read", "--limit-rows", "-5"), 2, "--limit-rows"),
    Case("--threshold as a percentage", _option("project", "--threshold", "93"), 2,
         "a fraction"),
    Case("--max-rows nan", _option("validate", "--max-rows", "nan"), 2, "--max-rows"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = case.make(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == case.exit_code, err
    assert "Traceback" not in err
    assert "internal error" not in err
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("dak-monitor: error: ")
        assert case.says in lines[0]
    else:
        assert case.says in out


@pytest.mark.parametrize("case", [c for c in CASES if c.exit_code == 2],
                         ids=[c.name for c in CASES if c.exit_code == 2])
def test_hostile_case_as_json(case: Case, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """With --format json every failure still writes one JSON document to stdout."""
    argv = case.make(tmp_path)
    # --format goes before the paths: it must be recognised even when parsing fails.
    code, out, err = run(capsys, *argv[:1], "--format", "json", *argv[1:])
    assert code == 2, err
    doc = json.loads(out)
    assert doc["ok"] is False
    assert doc["exit_code"] == 2
    assert case.says in doc["error"]["message"]


def test_full_width_digits_are_quarantined_not_read(tmp_path: Path) -> None:
    """The fast path once took any Unicode digit for a digit, then failed to encode it."""
    rows = good_rows(5)
    rows[2][6] = "\uff11\uff10\uff10\uff10"
    report = dm.validate_export(dm.read_export(write_csv(tmp_path / "x.csv", rows)))
    bad = report.problems[report.problems["column"] == "pagu"]
    assert bad["row"].tolist() == [4]  # header on line 1: the third data row is line 4
    assert len(report.valid) == 4
    assert len(report.quarantine) == 1


def test_unclosed_quote_is_refused_not_truncated(tmp_path: Path) -> None:
    argv = _unclosed_quote(tmp_path)
    with pytest.raises(dm.UnreadableFileError, match="line 5") as info:
        dm.read_export(argv[-1])
    assert info.value.file == argv[-1]


def test_closed_quotes_over_lines_are_still_read(tmp_path: Path) -> None:
    """A cell with a line break inside quotes is legitimate: read, not refused."""
    rows = good_rows(3)
    rows[1][5] = "Kegiatan\ndua baris"
    with (tmp_path / "x.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([HEADER, *rows])
    export = dm.read_export(tmp_path / "x.csv")
    assert len(export.data) == 3
    assert "Kegiatan dua baris" in export.data["rincian"].tolist()  # whitespace tidied


# ------------------------------------------------------------------ machine outputs on failure
@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_unreadable_input_still_writes_a_document(fmt: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--format", fmt, str(tmp_path / "missing.csv"))
    assert code == 2
    assert "no such file" in err
    if fmt == "json":
        doc = json.loads(out)
        assert doc["error"]["type"] == "UnreadableFileError"
        assert doc["error"]["file"] == str(tmp_path / "missing.csv")
    else:
        suite = ET.fromstring(out)
        failure = suite.find("testcase/failure")
        assert failure is not None
        assert "no such file" in failure.get("message", "")
        assert suite.get("failures") == "1"


@pytest.mark.parametrize("argv", [["validate", "--format=junit", "--bogus", "x.csv"],
                                  ["validate", "--format", "junit"]])
def test_usage_error_still_writes_junit(argv: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("dak-monitor: error: ")
    ET.fromstring(out)  # well-formed


def test_usage_error_json_names_the_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "read", "--format", "json", "--limit-mb", "nan", "x.csv")
    assert code == 2
    assert json.loads(out)["error"]["type"] == "UsageError"


def test_text_format_writes_nothing_to_stdout_on_failure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(tmp_path / "missing.csv"))
    assert code == 2
    assert out == ""


# Arbitrary cell text, control characters included (CSV cannot carry NUL: see the next test).
cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                           blacklist_characters="\x00\r\n;\""),
                    min_size=1, max_size=30)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=cell_text)
def test_junit_is_well_formed_for_any_cell_text(name: str, tmp_path: Path) -> None:
    rows = good_rows(2)
    rows[0][3] = name  # the region name is echoed in a warning when unknown
    rows[1][6] = "x" + name  # an unparseable pagu is echoed in an error
    path = tmp_path / "x.csv"
    path.write_text(";".join(HEADER) + "\n" + "\n".join(";".join(r) for r in rows) + "\n",
                    encoding="utf-8")
    report = dm.validate_export(dm.read_export(path))
    assert not report.ok  # the pagu cell is never a number: there is something to write
    xml = report.to_junit()
    ET.fromstring(xml)  # raises on a control character XML 1.0 forbids
    assert not any(ord(c) < 0x20 and c not in "\n\t" for c in xml)


# ------------------------------------------------------------------ the terminal stays clean
def test_escape_sequences_from_cells_reach_the_terminal_escaped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = good_rows(2)
    rows[0][3] = "Kab.\x1b[2J\x1b]0;pwned\x07 Garut"
    rows[1][6] = "1.000\x1b[31m"
    code, out, _ = run(capsys, "validate", "--lang", "en",
                         str(write_csv(tmp_path / "x.csv", rows)))
    assert code == 1
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\\x1b[2J" in out


def test_a_line_break_in_a_file_name_keeps_the_error_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "we\nird\x1b[31m.csv"
    path.write_text("not;an;export\n1;2;3\n", encoding="utf-8")
    code, _, err = run(capsys, "read", str(path))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "we\\nird\\x1b[31m.csv" in err
    assert "\x1b" not in err


# ------------------------------------------------------------------------ the native reader
class PanicException(BaseException):
    """Stands in for ``pyo3_runtime.PanicException`` (not importable by name)."""


def test_a_reader_panic_is_an_unreadable_file(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    def panic(*_a: object, **_k: object) -> None:
        msg = "range end index 2 out of range for slice of length 0"
        raise PanicException(msg)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", panic)
    path = tmp_path / "x.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    with pytest.raises(dm.UnreadableFileError, match=r"x\.xls: cannot be opened as a binary \.xls"):
        dm.read_export(path)


def test_an_interrupt_inside_the_reader_is_not_swallowed(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    def interrupt(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", interrupt)
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(KeyboardInterrupt):
        dm.read_export(path)


REAL_XLS = (ROOT.parent / "shared" / "real_data" / "prp2_toba_2022" / "lra_xlsx"
            / "1_lra_20221130-004519.xls")


@pytest.mark.skipif(not REAL_XLS.exists(), reason="the real Crystal Reports .xls is not here")
def test_a_corrupted_real_xls_is_refused_by_name(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """One changed byte in a real .xls makes calamine 0.37 panic in its merge-cell parser."""
    data = bytearray(REAL_XLS.read_bytes())
    data[46998] = 0x49  # inside the MERGEDCELLS record (found by a byte-flip search)
    path = tmp_path / "lra.xls"
    path.write_bytes(bytes(data))
    code, _, err = run(capsys, "read", str(path))
    assert code == 2
    assert "lra.xls" in err.splitlines()[-1]
    assert "Traceback" not in err


# ------------------------------------------------------------------------ matplotlib's cache
def test_the_cli_keeps_matplotlib_out_of_the_home_folder(small_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in {"MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"}}
    env["HOME"] = str(home)
    proc = subprocess.run([sys.executable, "-m", "dak_monitor", "report", str(small_dir),
                           "--out", str(tmp_path / "out"), "--quiet"],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "summary.md").exists()
    assert list(home.rglob("*")) == []


def test_main_leaves_the_environment_as_it_found_it(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    run(capsys, "read", str(tmp_path / "missing.csv"))
    assert "MPLCONFIGDIR" not in os.environ


# --------------------------------------------------------------- workbooks written by hand
def _xlsx_case(**kw: object) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        rows = [HEADER, *good_rows(3)]
        part = kw.get("part")
        sheet_part = part(rows) if callable(part) else None
        return ["read", str(write_xlsx(d / "x.xlsx", rows, without=str(kw.get("without", "")),
                                       sheet_part=sheet_part))]
    return make


def _utf16(rows: list[list[str]]) -> bytes:
    return sheet_xml(rows, encoding="UTF-16").encode("utf-16")


def _utf16_with_dtd(rows: list[list[str]]) -> bytes:
    dtd = '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>\n'
    return sheet_xml(rows, encoding="UTF-16", doctype=dtd).encode("utf-16-le")


def _ebcdic(rows: list[list[str]]) -> bytes:
    return sheet_xml(rows, encoding="cp500").encode("cp500")


def _with_merges(refs: list[str]) -> Callable[[list[list[str]]], bytes]:
    def part(rows: list[list[str]]) -> bytes:
        merges = (f'<mergeCells count="{len(refs)}">'
                  + "".join(f'<mergeCell ref="{r}"/>' for r in refs) + "</mergeCells>")
        return sheet_xml(rows).replace("</sheetData>", "</sheetData>" + merges).encode()
    return part


def _referencing(index: int, times: int) -> Callable[[list[list[str]]], bytes]:
    def part(rows: list[list[str]]) -> bytes:
        far = "".join(f'<row r="{r}"><c r="J{r}" t="s"><v>{index}</v></c></row>'
                      for r in range(len(rows) + 5, len(rows) + 5 + times))
        return sheet_xml(rows).replace("</sheetData>", far + "</sheetData>").encode()
    return part


def _shared_string_bomb(d: Path) -> list[str]:
    rows = [HEADER, *good_rows(3)]
    # 28 KB on disk: 5,000 cells each referencing one string of 1,000,000 characters.
    path = write_xlsx(d / "x.xlsx", rows, sheet_part=_referencing(0, 5_000)(rows),
                      shared=["A" * 1_000_000])
    return ["read", str(path)]


def _stray_cell(ref: str, *, dimension: str = "", attrs: str = "") -> Callable[
        [list[list[str]]], bytes]:
    """A sheet with one stray value at ``ref`` (``attrs`` before ``r=`` hide it from a naive
    scan) and, optionally, a ``<dimension>`` that understates the used range."""
    def part(rows: list[list[str]]) -> bytes:
        row = int("".join(ch for ch in ref if ch.isdigit()))
        stray = f'<row r="{row}"><c{attrs} r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
        xml = sheet_xml(rows).replace("</sheetData>", stray + "</sheetData>")
        if dimension:
            xml = xml.replace("<sheetData>", f'<dimension ref="{dimension}"/><sheetData>')
        return xml.encode()
    return part


XLSX_CASES = [
    Case("understated <dimension>, stray cell at XFD1048576",
         _xlsx_case(part=_stray_cell("XFD1048576", dimension="A1:H4")), 2,
         "used range spans 1,048,576 rows x 16,384 columns"),
    Case("stray cell with its r= after another attribute",
         _xlsx_case(part=_stray_cell("XFD1048576", attrs=' s="0"')), 2, "used range spans"),
    Case("a cell beyond column XFD, no <dimension>",
         _xlsx_case(part=_stray_cell("ZZZZ5")), 2, "beyond Excel's last column XFD"),
    Case("5,000 references to one 1 MB shared string", _shared_string_bomb, 2,
         "above the limit of 32,767 characters per cell"),
    Case("merged ranges covering the header many times over",
         _xlsx_case(part=_with_merges([f"A1:H{n}" for n in range(4, 40)])), 2,
         "merged cell ranges overlap"),
    Case("workbook without xl/workbook.xml", _xlsx_case(without="xl/workbook.xml"), 2,
         "lists no sheets"),
    Case("sheet part in UTF-16", _xlsx_case(part=_utf16), 2, "encoded in UTF-16"),
    Case("UTF-16 sheet part with a DTD, no BOM", _xlsx_case(part=_utf16_with_dtd), 2,
         "encoded in UTF-16"),
    # Not ASCII-compatible, without a BOM: the reader itself refuses it, naming the sheet.
    Case("sheet part in EBCDIC", _xlsx_case(part=_ebcdic), 2, "x.xlsx [Juni]: the sheet cannot"),
]


def test_the_hand_written_workbook_is_read(tmp_path: Path) -> None:
    """The writer above makes a workbook the reader understands (else the cases prove nothing)."""
    export = dm.read_export(write_xlsx(tmp_path / "x.xlsx", [HEADER, *good_rows(3)]))
    assert len(export.data) == 3
    assert export.data["pagu"].tolist() == [1_000_000.0] * 3


@pytest.mark.parametrize("case", XLSX_CASES, ids=[c.name for c in XLSX_CASES])
def test_hostile_workbook(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *case.make(tmp_path))
    assert code == case.exit_code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert case.says in lines[0]
    assert "x.xlsx" in lines[0]


def test_a_repeated_merged_range_counts_once(tmp_path: Path) -> None:
    """400,000 copies of one range once took minutes; a copy changes nothing."""
    rows = [["Laporan Realisasi DAK Juni 2024"], HEADER, *good_rows(3)]
    once = write_xlsx(tmp_path / "once.xlsx", rows, sheet_part=_with_merges(["A1:H1"])(rows))
    many = write_xlsx(tmp_path / "many.xlsx", rows,
                      sheet_part=_with_merges(["A1:H1"] * 5_000)(rows))
    a, b = dm.read_export(once), dm.read_export(many)
    assert len(a.data) == len(b.data) == 3
    cols = ["pagu", "realisasi", "rincian", "sumber_baris"]
    assert a.data[cols].equals(b.data[cols])


def test_the_longest_possible_shared_string_is_still_read(tmp_path: Path) -> None:
    """32,767 characters, every one an entity (&amp;: 163 KB of XML), is a legal cell."""
    rows = [HEADER, *good_rows(3)]
    path = write_xlsx(tmp_path / "x.xlsx", rows, sheet_part=_referencing(0, 2)(rows),
                      shared=["&amp;" * 32_767])
    export = dm.read_export(path)
    assert len(export.data) == 3


def test_a_wide_but_real_sheet_is_read(tmp_path: Path) -> None:
    """Two-letter columns (AA…AD) and no <dimension>: the extent is measured, not guessed."""
    header = [*HEADER, *(f"Catatan {i}" for i in range(22))]  # 30 columns: up to AD
    rows = [header, *(r + [""] * 22 for r in good_rows(3))]
    export = dm.read_export(write_xlsx(tmp_path / "x.xlsx", rows,
                                       sheet_part=_stray_cell("AD2")(rows)))
    assert len(export.data) == 3


# ------------------------------------------------- the whole catalogue, each case bounded
#: Each case runs as its own process under these bounds, so a native crash, a runaway
#: allocation or a hang fails that case instead of taking the test run down with it.
CASE_SECONDS = 120
CASE_ADDRESS_SPACE = 4 * 1024**3


def _bounded() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CASE_ADDRESS_SPACE, CASE_ADDRESS_SPACE))


ALL_CASES = [*CASES, *XLSX_CASES]


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limit: Linux")
@pytest.mark.parametrize("case", ALL_CASES, ids=[c.name for c in ALL_CASES])
def test_hostile_case_in_a_bounded_process(case: Case, tmp_path: Path) -> None:
    """The catalogue as CI runs it: a process per case, 4 GB of address space, 120 s."""
    argv = case.make(tmp_path)
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    proc = subprocess.run([sys.executable, "-m", "dak_monitor", *argv], env=env,
                          capture_output=True, text=True, timeout=CASE_SECONDS,
                          preexec_fn=_bounded, check=False)
    assert proc.returncode == case.exit_code, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    if case.exit_code == 2:
        assert proc.stderr.strip().splitlines()[-1].startswith("dak-monitor: error: ")
