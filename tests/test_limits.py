"""Safety limits: size and row limits, zip bombs, XML entity expansion, no network, no stray
writes. Each hostile input is refused with a DakMonitorError that names the file."""

from __future__ import annotations

import socket
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor.cli import main
from dak_monitor.datasets import make_export, write_export
from hostile_files import HEADER, good_rows, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return make_export("nonfisik", year=2024, months=[5, 6], regions=["32.05", "32.79"], seed=3)


@pytest.fixture
def csv_file(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "export.csv"
    write_export(frame, path, layout="messy", seed=3)
    return path


@pytest.fixture
def xlsx_file(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "export.xlsx"
    write_export(frame, path, layout="messy", seed=3)
    return path


def _lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def test_csv_row_limit(csv_file: Path) -> None:
    """One row above the limit is refused, naming file and limit; at the limit it is read."""
    n = _lines(csv_file)
    assert 0 < dm.read_export(csv_file, max_rows=n).rows_read <= n  # trailing blanks uncounted
    with pytest.raises(dm.LimitExceededError) as err:
        dm.read_export(csv_file, max_rows=n - 1)
    assert str(csv_file) in str(err.value)
    assert f"{n - 1:,}" in str(err.value)
    assert err.value.file == str(csv_file)


def test_csv_size_limit(csv_file: Path) -> None:
    size = csv_file.stat().st_size
    assert len(dm.read_export(csv_file, max_bytes=size).data)
    with pytest.raises(dm.LimitExceededError, match="above the limit"):
        dm.read_export(csv_file, max_bytes=size - 1)


def test_limit_is_an_unreadable_file_error(csv_file: Path) -> None:
    """Callers catching the broader error types still catch a limit."""
    with pytest.raises(dm.UnreadableFileError):
        dm.read_table(csv_file, {"pagu": ["pagu"], "menu": ["menu"]}, max_rows=2)


def test_xlsx_row_limit_names_the_sheet(xlsx_file: Path) -> None:
    with pytest.raises(dm.LimitExceededError) as err:
        dm.read_export(xlsx_file, max_rows=5)
    assert err.value.sheet is not None
    assert f"[{err.value.sheet}]" in str(err.value)


def _add_member(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)


def test_zip_bomb_refused_before_unpacking(xlsx_file: Path) -> None:
    """A part that unpacks far beyond the limit is refused from the zip directory alone."""
    _add_member(xlsx_file, "xl/media/padding.bin", b"\0" * (64 * 1024**2))
    assert xlsx_file.stat().st_size < 2 * 1024**2  # tiny on disk
    start = time.perf_counter()
    with pytest.raises(dm.LimitExceededError, match="unpacks to"):
        dm.read_export(xlsx_file, max_bytes=16 * 1024**2)
    assert time.perf_counter() - start < 30  # safety net only: it must not inflate 64 MiB
    # Under the default limit the same workbook is read normally.
    assert len(dm.read_export(xlsx_file).data)


_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                        else b"&lol;") * 10)
                      for i in range(1, 10))
           + b']>\n')


def _with_dtd(src: Path, dst: Path) -> None:
    """Copy a workbook, putting a billion-laughs DTD in front of its first worksheet."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        done = False
        for info in zin.infolist():
            data = zin.read(info)
            if not done and info.filename.startswith("xl/worksheets/"):
                body = data.split(b"?>", 1)[-1] if data.startswith(b"<?xml") else data
                data = _LAUGHS + body.replace(b"<sheetData>", b"<sheetData>&lol9;", 1)
                done = True
            zout.writestr(info, data)
    assert done


def test_xml_entity_expansion_refused(xlsx_file: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.xlsx"
    _with_dtd(xlsx_file, bomb)
    with pytest.raises(dm.UnreadableFileError, match="DOCTYPE") as err:
        dm.read_export(bomb)
    assert str(bomb) in str(err.value)


def test_cli_limits_exit_2_with_one_line(csv_file: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["read", str(csv_file), "--limit-rows", "3"])
    _out, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1
    assert "above the limit of 3 rows" in err
    assert "Traceback" not in err
    code = main(["validate", str(csv_file), "--limit-mb", "0.001"])
    assert code == 2
    assert "MiB" in capsys.readouterr().err


def test_no_network_and_no_stray_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole report runs with sockets forbidden, and writes only into --out."""
    def refuse(*_a: object, **_k: object) -> None:
        msg = "network access attempted"
        raise AssertionError(msg)

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    inputs = sorted(p for p in (SAMPLES / "current").rglob("*") if p.is_file())
    before = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in inputs}
    out = tmp_path / "out"
    code = main(["report", str(SAMPLES / "current"), "--history", str(SAMPLES / "history"),
                 "--out", str(out), "--no-figures", "--quiet"])
    assert code == 0
    assert list(work.iterdir()) == []  # nothing in the working directory
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in inputs} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd", "out"]
    assert any(out.iterdir())


def test_stray_cell_far_away_is_refused_by_name(tmp_path: Path, frame: pd.DataFrame) -> None:
    """A stray value at XFD1048576 would make the reader allocate 17 billion cells: refused
    from the sheet's dimension, naming the sheet and how to fix it."""
    import xlsxwriter

    path = tmp_path / "stray.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Kab Garut")
    for i, row in enumerate([list(frame.columns), *frame.astype(str).to_numpy().tolist()]):
        ws.write_row(i, 0, [str(v) for v in row])
    ws.write(1_048_575, 16_383, 1)
    wb.close()
    start = time.perf_counter()
    with pytest.raises(dm.LimitExceededError, match="Ctrl\\+End") as err:
        dm.read_export(path)
    assert err.value.sheet == "Kab Garut"
    assert "[Kab Garut]" in str(err.value)
    assert time.perf_counter() - start < 30  # safety net: nothing was allocated


def test_workbook_without_dimension_still_guarded(tmp_path: Path, xlsx_file: Path) -> None:
    """Without a <dimension> element the extent is taken from the cells themselves."""
    import re

    out = tmp_path / "nodim.xlsx"
    with zipfile.ZipFile(xlsx_file) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
                data = data.replace(b"</sheetData>",
                                    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                    b"</sheetData>", 1)
            z.writestr(info, data)
    with pytest.raises(dm.LimitExceededError, match="cells"):
        dm.read_export(out)


def test_file_given_twice_is_read_once(csv_file: Path) -> None:
    """Naming a file twice (or a file and its folder) must not count its rows twice."""
    once = dm.read_export(csv_file)
    twice = dm.read_export([csv_file, csv_file.parent, str(csv_file)])
    assert len(twice.data) == len(once.data)
    assert twice.rows_read == once.rows_read
    assert "given 3 times; read once" in twice.files["catatan"].iloc[0]
    report = dm.validate_export(twice)
    t = report.totals()
    assert t["rows_read"] == t["rows_valid"] + t["rows_quarantined"] + t["rows_skipped"]


@pytest.mark.parametrize("content", [b"", b"a;b\n"])
def test_unknown_encoding_is_a_config_error(tmp_path: Path, content: bytes) -> None:
    """Even for an empty file (which decodes under any name) a bad codec name is reported."""
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(dm.ConfigError, match="unknown encoding"):
        dm.read_export(path, encoding="no-such-codec")
    with pytest.raises(dm.ConfigError):
        dm.read_table(path, {"a": ["a"]}, encoding="no-such-codec")


def test_zip_of_unsupported_version_is_refused_cleanly(xlsx_file: Path) -> None:
    """A damaged zip directory that Python's zipfile rejects with NotImplementedError (a
    'version needed to extract' of 6.4) is refused as unreadable, not a traceback (fuzz
    finding in the safety check itself)."""
    data = bytearray(xlsx_file.read_bytes())
    at = data.find(b"PK\x01\x02")
    assert at >= 0
    data[at + 6] = 64  # version needed to extract, in the first central directory header
    xlsx_file.write_bytes(bytes(data))
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(xlsx_file)
    try:
        dm.read_export(xlsx_file)
    except dm.DakMonitorError as err:
        assert str(xlsx_file) in str(err)


# ----------------------------------------------------- columns and cell characters, as options
def _wide_csv(path: Path, width: int, at_line: int) -> Path:
    rows = good_rows(6)
    rows[at_line - 2] = rows[at_line - 2] + ["x"] * (width - len(HEADER))
    return write_csv(path, rows)


@pytest.mark.parametrize("at_line", [2, 6])
def test_max_columns_refuses_a_wider_line_and_reads_at_the_limit(tmp_path: Path,
                                                                 at_line: int) -> None:
    path = _wide_csv(tmp_path / "wide.csv", 30, at_line)
    assert dm.read_table(path, {"pagu": ["pagu"], "menu": ["menu"]}, max_columns=30).data.shape[0] == 6
    with pytest.raises(dm.LimitExceededError) as err:
        dm.read_table(path, {"pagu": ["pagu"], "menu": ["menu"]}, max_columns=29)
    assert f"line {at_line} has more than 29 cells" in str(err.value)
    assert "max_columns=" in str(err.value)
    assert err.value.file == str(path)


def test_max_columns_holds_for_a_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [HEADER, *good_rows(3)])
    assert dm.read_export(path, max_columns=8).rows_read == 4
    with pytest.raises(dm.LimitExceededError, match="above the limit of 7 columns"):
        dm.read_export(path, max_columns=7)


def _long_cell_csv(path: Path, length: int, *, line: int, multiline: bool) -> Path:
    rows = good_rows(5)
    text = "z" * length
    if multiline:  # a quoted cell over two lines sends the file down the csv-module path
        text = text[: length // 2] + "\n" + text[length // 2 + 1:]
    rows[line - 2][5] = text
    return write_csv(path, rows)


#: The longest cell of the files below apart from the one under test ("Kabupaten/Kota").
OTHER_CELLS = max(len(c) for r in [HEADER, *good_rows(5)] for c in r)


@settings(max_examples=25, deadline=None)
@given(length=st.integers(1, 3_000), limit=st.integers(OTHER_CELLS, 3_000),
       line=st.integers(2, 6), multiline=st.booleans())
def test_a_cell_is_refused_exactly_when_longer_than_max_cell_chars(
        tmp_path_factory: pytest.TempPathFactory, length: int, limit: int, line: int,
        multiline: bool) -> None:
    """Property: refused (naming the line its record starts on) iff the cell has more
    characters than the limit; otherwise read whole."""
    length = max(length, 3) if multiline else length
    path = _long_cell_csv(tmp_path_factory.mktemp("cell") / "x.csv", length, line=line,
                          multiline=multiline)
    columns = {"rincian": ["rincian"], "pagu": ["pagu"]}
    if length > limit:
        with pytest.raises(dm.LimitExceededError) as err:
            dm.read_table(path, columns, max_cell_chars=limit)
        assert f"line {line}: a cell longer than {limit:,} characters" in str(err.value)
    else:
        data = dm.read_table(path, columns, max_cell_chars=limit).data
        assert len(data.loc[data["sumber_baris"] == line, "rincian"].item()) == length


def test_max_cell_chars_can_be_raised_past_the_csv_modules_own_limit(tmp_path: Path) -> None:
    """200,000 characters in a quoted multi-line cell: the csv module alone refuses above
    131,072; with the limit raised the cell is read, and the module's limit is restored."""
    import csv

    before = csv.field_size_limit()
    path = _long_cell_csv(tmp_path / "x.csv", 200_000, line=3, multiline=True)
    with pytest.raises(dm.LimitExceededError, match="line 3: a cell longer than 32,767"):
        dm.read_table(path, {"rincian": ["rincian"], "pagu": ["pagu"]})
    t = dm.read_table(path, {"rincian": ["rincian"], "pagu": ["pagu"]}, max_cell_chars=200_000)
    assert t.data["rincian"].str.len().max() == 200_000
    assert csv.field_size_limit() == before


def test_max_cell_chars_holds_for_shared_strings(tmp_path: Path) -> None:
    rows = [HEADER, *good_rows(3)]
    path = write_xlsx(tmp_path / "x.xlsx", rows, shared=["s" * 500])
    assert dm.read_export(path, max_cell_chars=500).rows_read == 4
    with pytest.raises(dm.LimitExceededError, match="above the limit of 499 characters"):
        dm.read_export(path, max_cell_chars=499)


@pytest.mark.parametrize("bad", [0, -1, True, 2.5, "10", 2**63])
@pytest.mark.parametrize("option", ["max_bytes", "max_rows", "max_columns", "max_cell_chars"])
def test_a_limit_that_is_not_a_positive_whole_number_is_a_config_error(
        csv_file: Path, option: str, bad: object) -> None:
    with pytest.raises(dm.ConfigError, match=option):
        dm.read_export(csv_file, **{option: bad})


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--limit-columns", "7", "line 1 has more than 7 cells"),
    ("--limit-cell-chars", "5", "line 1: a cell longer than 5 characters"),
])
def test_cli_limit_options(tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str,
                           value: str, says: str) -> None:
    path = write_csv(tmp_path / "x.csv", good_rows(2))
    assert main(["read", str(path)]) == 0
    capsys.readouterr()
    assert main(["read", str(path), option, value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0], err
    assert main(["read", str(path), option, "0"]) == 2
    assert option in capsys.readouterr().err
