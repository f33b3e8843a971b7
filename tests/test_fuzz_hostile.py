"""A generator per hostile class of issue #13, so the next such file is found here first.

``test_hostile.py`` holds the catalogue: one file per case, found by hand. Here each class
is a hypothesis strategy that varies the case (where the bomb sits, how big it is, which
part is missing, which encoding), every input written by the independent writers of
``hostile_files`` (the csv module, plain zip parts), and each example states the answer
the library must give, computed from how the file was made, never from the library. The
limits are set small so that every example stays tiny: the rule is the same at any size.

Small in CI (the ``ci`` profile); ``HYPOTHESIS_PROFILE=large`` runs many more examples.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor.cli import main
from hostile_files import HEADER, good_rows, sheet_xml, write_csv, write_xlsx

pytestmark = pytest.mark.timeout(max(600, 3 * settings().max_examples))
_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                           HealthCheck.too_slow])
ROOT = Path(__file__).resolve().parents[1]
_COLUMNS = {"rincian": ["rincian"], "pagu": ["pagu"]}


def _fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


# =================================================== native crashes, unbounded memory (A)
@_SETTINGS
@given(length=st.integers(1, 4_000), refs=st.integers(1, 300), limit=st.integers(14, 4_000))
def test_shared_string_bombs(tmp_path_factory: pytest.TempPathFactory, length: int, refs: int,
                             limit: int) -> None:
    """One shared string referenced ``refs`` times: refused iff longer than the limit."""
    d = _fresh(tmp_path_factory)
    rows = [HEADER, *good_rows(3)]
    far = "".join(f'<row r="{r}"><c r="J{r}" t="s"><v>0</v></c></row>'
                  for r in range(10, 10 + refs))
    part = sheet_xml(rows).replace("</sheetData>", far + "</sheetData>").encode()
    path = write_xlsx(d / "x.xlsx", rows, sheet_part=part, shared=["A" * length])
    if length > limit:
        with pytest.raises(dm.LimitExceededError, match=f"above the limit of {limit:,} char"):
            dm.read_export(path, max_cell_chars=limit)
    else:
        ex = dm.read_export(path, max_cell_chars=limit)
        assert ex.rows_read == 9 + refs  # rows 1-4, five blank rows, the referencing rows


@_SETTINGS
@given(row=st.integers(5, 3_000), col=st.integers(1, 200), understate=st.booleans(),
       attrs=st.sampled_from(["", ' s="0"', ' t="inlineStr" s="1"']))
def test_stray_cells_and_understated_dimensions(tmp_path_factory: pytest.TempPathFactory,
                                                row: int, col: int, understate: bool,
                                                attrs: str) -> None:
    """A stray value at (row, col), perhaps hidden by a ``<dimension>`` that understates the
    range or by attributes before ``r=``: the used range (5 x max_rows cells at most) is
    measured from the cells, so it is refused when clearly above and read when clearly
    below (columns up to 26 may be counted as 26)."""
    d = _fresh(tmp_path_factory)
    rows = [HEADER, *good_rows(3)]
    ref = f"{_col_letters(col)}{row}"
    stray = f'<row r="{row}"><c{attrs} r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    xml = sheet_xml(rows).replace("</sheetData>", stray + "</sheetData>")
    if understate:
        xml = xml.replace("<sheetData>", '<dimension ref="A1:H4"/><sheetData>')
    path = write_xlsx(d / "x.xlsx", rows, sheet_part=xml.encode())
    max_rows = 2_000
    cap = 5 * max_rows
    if row * max(col, 8) > cap or row > max_rows:
        with pytest.raises(dm.LimitExceededError):
            dm.read_export(path, max_rows=max_rows)
    elif row * max(col, 26) <= cap:
        assert dm.read_export(path, max_rows=max_rows).rows_read >= 4


@_SETTINGS
@given(col=st.integers(16_385, 10**7), row=st.integers(1, 10**6))
def test_cells_beyond_xfd(tmp_path_factory: pytest.TempPathFactory, col: int, row: int) -> None:
    d = _fresh(tmp_path_factory)
    rows = [HEADER, *good_rows(3)]
    stray = (f'<row r="{row + 4}"><c r="{_col_letters(col)}{row + 4}" t="inlineStr"><is><t>x'
             f'</t></is></c></row>')
    part = sheet_xml(rows).replace("</sheetData>", stray + "</sheetData>").encode()
    path = write_xlsx(d / "x.xlsx", rows, sheet_part=part)
    with pytest.raises(dm.LimitExceededError, match="beyond Excel's last column XFD"):
        dm.read_export(path)


@_SETTINGS
@given(n_rows=st.integers(2, 400), at=st.data(), cells=st.integers(1, 3_000),
       limit=st.integers(8, 2_000), sep=st.sampled_from([";", ","]))
def test_lines_of_stray_separators(tmp_path_factory: pytest.TempPathFactory, n_rows: int,
                                   at: st.DataObject, cells: int, limit: int,
                                   sep: str) -> None:
    """One line of ``cells`` cells anywhere (early, or past the lines the reader samples):
    refused naming that line iff wider than the limit."""
    line = at.draw(st.integers(2, n_rows + 1), label="line")
    d = _fresh(tmp_path_factory)
    lines = [sep.join(HEADER)] + [sep.join(r) for r in good_rows(n_rows)]
    lines[line - 1] = sep * (cells - 1) if cells > 8 else lines[line - 1]
    path = d / "x.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    width = max(cells, 8)
    if width > limit:
        with pytest.raises(dm.LimitExceededError,
                           match=f"line {line:,} has more than {limit:,} cells"):
            dm.read_table(path, _COLUMNS, max_columns=limit)
    else:
        t = dm.read_table(path, _COLUMNS, max_columns=limit)
        # a line of separators only is blank: at the very end it is past the last row read
        trailing_blank = cells > 8 and line == n_rows + 1
        assert len(t.data) + len(t.skipped) == n_rows + 1 - trailing_blank


@_SETTINGS
@given(copies=st.integers(1, 3_000), ref=st.sampled_from(["A6:B6", "C7:D8", "A9:H9"]))
def test_repeated_merged_ranges_count_once(tmp_path_factory: pytest.TempPathFactory,
                                           copies: int, ref: str) -> None:
    """Any number of copies of one merged range reads exactly as one copy."""
    d = _fresh(tmp_path_factory)
    rows = [HEADER, *good_rows(8)]

    def with_merges(n: int) -> bytes:
        merges = (f'<mergeCells count="{n}">' + f'<mergeCell ref="{ref}"/>' * n
                  + "</mergeCells>")
        return sheet_xml(rows).replace("</sheetData>", "</sheetData>" + merges).encode()

    once = dm.read_export(write_xlsx(d / "once.xlsx", rows, sheet_part=with_merges(1)))
    many = dm.read_export(write_xlsx(d / "many.xlsx", rows, sheet_part=with_merges(copies)))
    cols = ["menu", "rincian", "pagu", "realisasi", "sumber_baris"]
    assert once.data[cols].equals(many.data[cols])


# ================================================================ reader panics (B)
REAL_XLS = (ROOT.parent / "shared" / "real_data" / "prp2_toba_2022" / "lra_xlsx"
            / "LRA_Toba_2022.xls")


def _bounded_cli(path: Path) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, 4 * 1024**3))

    return subprocess.run([sys.executable, "-m", "dak_monitor", "read", str(path), "--format",
                           "json"], env={**os.environ, "RUST_BACKTRACE": "0"},
                          capture_output=True, text=True, timeout=120, preexec_fn=limit,
                          check=False)


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limit: Linux")
@settings(deadline=None, max_examples=max(6, settings().max_examples // 10),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(source=st.sampled_from(["xls", "xlsx"]), cut=st.floats(0.0, 1.0),
       flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=3))
def test_damaged_workbooks_are_answered_in_a_bounded_process(
        tmp_path_factory: pytest.TempPathFactory, source: str, cut: float,
        flips: list[tuple[float, int]]) -> None:
    """Truncated or byte-flipped workbooks (the real Crystal Reports .xls, or a hand-written
    .xlsx), read by the CLI in a process with 4 GB and 120 s: exit 0 or 2 with a JSON
    document, never a panic's traceback, an abort or exit 3."""
    d = _fresh(tmp_path_factory)
    if source == "xls":
        assume(REAL_XLS.exists())
        data = bytearray(REAL_XLS.read_bytes())
    else:
        data = bytearray(write_xlsx(d / "base.xlsx", [HEADER, *good_rows(30)]).read_bytes())
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    data = data[: max(1, int(cut * len(data)))] if cut < 1.0 else data
    path = d / f"damaged.{source}"
    path.write_bytes(bytes(data))
    proc = _bounded_cli(path)
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    if proc.returncode == 2:
        assert doc["ok"] is False
        assert doc["error"]["file"] == str(path)


# ============================================== answers instead of internal errors (C)
_OTHER_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: not "0" <= c <= "9")


@_SETTINGS
@given(digits=st.lists(_OTHER_DIGITS, min_size=1, max_size=9))
def test_digits_other_than_ascii_are_never_money(tmp_path_factory: pytest.TempPathFactory,
                                                 digits: list[str]) -> None:
    """Any Unicode decimal digit that is not 0-9, in a money cell: the row is quarantined
    naming the column, never read as a number and never an internal error."""
    d = _fresh(tmp_path_factory)
    rows = good_rows(3)
    rows[1][6] = "".join(digits)
    assert all(unicodedata.category(c) == "Nd" for c in rows[1][6])
    report = dm.validate_export(dm.read_export(write_csv(d / "x.csv", rows)))
    bad = report.problems[(report.problems["row"] == 3) & (report.problems["column"] == "pagu")]
    assert len(bad) >= 1
    t = report.totals()
    assert t["rows_read"] == t["rows_valid"] + t["rows_quarantined"] + t["rows_skipped"]


@_SETTINGS
@given(depth=st.integers(1, 5_000), fmt=st.sampled_from(["json", "toml"]))
def test_nested_configuration(tmp_path_factory: pytest.TempPathFactory, depth: int,
                              fmt: str) -> None:
    """Nested any depth: a ConfigError (exit 2) saying so when deeper than 32, never a
    RecursionError or exit 3."""
    d = _fresh(tmp_path_factory)
    data = write_csv(d / "x.csv", good_rows(2))
    if fmt == "json":
        (d / "rules.json").write_text('{"threshold": ' + "[" * depth + "]" * depth + "}")
        argv = ["validate", "--rules", str(d / "rules.json"), str(data)]
    else:
        (d / "aliases.toml").write_text("pagu = " + "[" * depth + "]" * depth + "\n")
        argv = ["read", "--aliases", str(d / "aliases.toml"), str(data)]
    code, _, err = _cli(*argv)
    if depth > 32:
        assert code == 2, err
        assert "levels deep" in err or "nested too deeply" in err
    else:  # a configuration error about the values (or none: an empty alias list is fine)
        assert code in (0, 2), err
    if code == 2:
        assert len(err.strip().splitlines()) == 1


@_SETTINGS
@example(text="100000", option="--limit-mb")  # read(limit) once reserved 98 GiB up front
@example(text="1e+308", option="--limit-mb")  # once an OverflowError (exit 3)
@example(text="1e-07", option="--limit-mb")  # a limit below one byte: every file is above it
@given(text=st.one_of(st.text(max_size=12), st.floats(allow_nan=True).map(repr),
                      st.integers(-10**20, 10**20).map(str)),
       option=st.sampled_from(["--limit-mb", "--limit-rows", "--limit-columns",
                               "--limit-cell-chars"]))
def test_limit_option_values(tmp_path_factory: pytest.TempPathFactory, text: str,
                             option: str) -> None:
    """Any text as a limit: accepted iff a finite number above 0 (whole, except --limit-mb);
    otherwise exit 2 with one line naming the option. Never exit 3."""
    assume(not text.startswith("-") or text[1:2].isdigit())  # "-x" would read as an option
    d = _fresh(tmp_path_factory)
    data = write_csv(d / "x.csv", good_rows(2))
    code, _, err = _cli("read", f"{option}={text}", str(data))
    try:
        value = float(text) if option == "--limit-mb" else int(text)
        valid = 0 < value < float("inf") and value == value
    except ValueError:
        valid = False
    if valid and value * (1024**2 if option == "--limit-mb" else 1) >= 2**62:
        valid = False  # beyond any machine: refused as a configuration error
    if valid and option == "--limit-mb" and value > 1e9:
        valid = False  # more than a petabyte: refused when the command line is read
    if valid and option == "--limit-mb" and int(value * 1024**2) < data.stat().st_size:
        assert code == 2 and "above the limit" in err, err
    elif valid and option == "--limit-cell-chars" and int(value) < 14:
        assert code == 2 and "a cell longer than" in err, err
    elif valid and option == "--limit-columns" and int(value) < 8:
        assert code == 2 and "cells" in err, err
    elif valid:
        assert code == 0, err
    else:
        assert code == 2, err
        assert len(err.strip().splitlines()) == 1


# ============================================================== silent data loss (D)
@_SETTINGS
@given(n_rows=st.integers(3, 600), at=st.data())
def test_unclosed_quotes_anywhere(tmp_path_factory: pytest.TempPathFactory, n_rows: int,
                                  at: st.DataObject) -> None:
    """A quote opened on any line and never closed: refused naming that line, never read as
    the rows before it."""
    line = at.draw(st.integers(2, n_rows + 1), label="line")
    d = _fresh(tmp_path_factory)
    lines = [";".join(HEADER)] + [";".join(r) for r in good_rows(n_rows)]
    lines[line - 1] = lines[line - 1].replace("Kab. Garut", '"Kab. Garut')
    path = d / "x.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(dm.UnreadableFileError, match=f"line {line:,}: a quote"):
        dm.read_export(path)


_PARTS = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
          "xl/worksheets/sheet1.xml"]


@_SETTINGS
@given(missing=st.sampled_from(_PARTS), n=st.integers(1, 20))
def test_missing_workbook_parts(tmp_path_factory: pytest.TempPathFactory, missing: str,
                                n: int) -> None:
    """Without any one part, the workbook is either refused by name or read whole: never
    fewer rows than it holds without a word."""
    d = _fresh(tmp_path_factory)
    path = write_xlsx(d / "x.xlsx", [HEADER, *good_rows(n)], without=missing)
    try:
        ex = dm.read_export(path)
    except dm.UnreadableFileError as err:
        assert str(path) in str(err)
    else:
        assert len(ex.data) == n


_ENCODINGS = [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
              ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32"), ("cp500", "cp500"),
              ("cp037", "cp037")]


@_SETTINGS
@given(enc=st.sampled_from(_ENCODINGS), dtd=st.booleans(), declared=st.booleans(),
       n=st.integers(1, 10))
def test_sheet_parts_in_foreign_encodings(tmp_path_factory: pytest.TempPathFactory,
                                          enc: tuple[str, str], dtd: bool, declared: bool,
                                          n: int) -> None:
    """A sheet part in an encoding that is not ASCII-compatible, with or without a BOM,
    declaration or DTD: refused naming the file, never read as an empty sheet."""
    codec, name = enc
    d = _fresh(tmp_path_factory)
    rows = [HEADER, *good_rows(n)]
    doctype = '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>\n' if dtd else ""
    xml = sheet_xml(rows, encoding=name, doctype=doctype)
    if not declared:
        xml = xml.split("\n", 1)[1]
    path = write_xlsx(d / "x.xlsx", rows, sheet_part=xml.encode(codec))
    with pytest.raises(dm.UnreadableFileError) as err:
        dm.read_export(path)
    assert str(path) in str(err.value)


# ============================================================== broken outputs (E)
_NAME = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]),
                min_size=1, max_size=30).filter(lambda s: s not in {".", ".."})


@_SETTINGS
@example(name="\xad", fmt="text")  # a soft hyphen once hid in a name
@example(name="a\u2028b", fmt="text")  # a line separator breaks the line in some terminals
@given(name=_NAME, fmt=st.sampled_from(["text", "json", "junit"]))
def test_any_file_name_keeps_the_error_on_one_escaped_line(
        tmp_path_factory: pytest.TempPathFactory, name: str, fmt: str) -> None:
    """A missing file with any name: one stderr line without raw control characters, and for
    json/junit a well-formed document on stdout."""
    d = _fresh(tmp_path_factory)
    code, out, err = _cli("validate", "--format", fmt, str(d / (name + ".csv")))
    assert code == 2
    lines = err.rstrip("\n").split("\n")
    assert len(lines) == 1, err
    hidden = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # the oracle: unicodedata, not the library
    assert not any(unicodedata.category(c) in hidden for c in lines[0]), ascii(lines[0])
    if fmt == "json":
        assert json.loads(out)["ok"] is False
    elif fmt == "junit":
        import xml.etree.ElementTree as ET

        assert ET.fromstring(out).find(".//failure") is not None


# ============================================================ the output folder (F)
_ENTRY = st.sampled_from(["link-to-victim", "plain-file", "foreign-export", "nothing"])


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
@settings(deadline=None, max_examples=max(5, settings().max_examples // 10),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example(entries={"figures": "link-to-victim"}, foreign=False)  # once left behind as a link
@given(entries=st.dictionaries(st.sampled_from(["projection.csv", "summary.md", "flags.csv",
                                                "report.xlsx", "figures"]), _ENTRY,
                               max_size=4),
       foreign=st.booleans())
def test_what_is_already_in_the_output_folder(tmp_path_factory: pytest.TempPathFactory,
                                              small_dir: Path, entries: dict[str, str],
                                              foreign: bool) -> None:
    """Links to a victim outside --out, plain files and other exports in --out, in any mix:
    the victim is never written; other exports make the run refuse before any work; else
    every owned file is a regular file inside --out."""
    d = _fresh(tmp_path_factory)
    out = d / "out"
    out.mkdir()
    victim = d / "victim.txt"
    victim.write_text("keep me")
    for name, entry in entries.items():
        if entry == "link-to-victim":
            (out / name).symlink_to(victim)
        elif entry == "plain-file" and name != "figures":
            (out / name).write_text("old")
    if foreign:
        (out / "laporan_kab.csv").write_text("a;b\n1;2\n")
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.is_symlink()}
    code, _, err = _cli("report", str(small_dir), "--out", str(out), "--no-figures", "--quiet")
    assert victim.read_text() == "keep me"
    if foreign:
        assert code == 2 and "laporan_kab.csv" in err, err
        after = {p.name: p.read_bytes() for p in out.iterdir()
                 if p.is_file() and not p.is_symlink()}
        assert after == before
    else:
        assert code in (0, 1), err
        for name in ("summary.md", "report.xlsx", "projection.csv"):
            assert (out / name).is_file() and not (out / name).is_symlink()
        assert not (out / "figures").exists() or not (out / "figures").is_symlink()
