"""The output folder rule (``dak_monitor._outdir``, through ``write_report`` and the CLI).

The report writes only the files it owns, never through a link, never beside its inputs or
other exports (unless asked), all or nothing, one run at a time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import dak_monitor as dm
from dak_monitor import _outdir
from dak_monitor._outdir import LOCK_NAME, OWNED_FILES, _lock, check_output_folder, owned_files
from dak_monitor.cli import main

pytestmark = pytest.mark.skipif(os.name == "nt", reason="links and flock: POSIX")


@pytest.fixture(scope="module")
def result(small_dir: Path) -> dm.MonitorResult:
    return dm.monitor(small_dir)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links not followed) with the hash of its bytes."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "link -> " + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_the_report_writes_only_owned_files(result: dm.MonitorResult, tmp_path: Path) -> None:
    written = dm.write_report(result, tmp_path / "out")
    on_disk = set(snapshot(tmp_path / "out"))
    assert on_disk == set(written)
    assert on_disk <= set(owned_files())
    assert set(OWNED_FILES) <= on_disk


def test_a_link_in_out_is_replaced_not_followed(result: dm.MonitorResult,
                                                tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("do not touch")
    out = tmp_path / "out"
    out.mkdir()
    (out / "projection.csv").symlink_to(victim)
    (out / "report.xlsx").symlink_to(tmp_path / "elsewhere" / "new.xlsx")  # dangling
    dm.write_report(result, out, figures=False, csv_style="machine")  # the frames' columns
    assert victim.read_text() == "do not touch"
    assert not (tmp_path / "elsewhere" / "new.xlsx").exists()
    assert not (out / "projection.csv").is_symlink()
    assert (out / "projection.csv").read_text(encoding="utf-8-sig").startswith("kode_wilayah,")


def test_a_linked_figures_folder_is_replaced_not_followed(result: dm.MonitorResult,
                                                          tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    dm.write_report(result, out)
    assert list(elsewhere.iterdir()) == []
    assert (out / "figures").is_dir()
    assert not (out / "figures").is_symlink()
    assert any((out / "figures").glob("*.png"))


def test_an_out_folder_holding_an_input_file_is_refused(tmp_path: Path, small_dir: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    data = tmp_path / "data"
    data.mkdir()
    export = next(small_dir.glob("*.csv"))
    (data / export.name).write_bytes(export.read_bytes())
    (data / "flags.csv").write_text("a neighbouring export\n")
    before = snapshot(data)
    code = main(["report", str(data / export.name), "--out", str(data), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"holds the input file {export.name}" in err
    assert snapshot(data) == before


def test_other_export_files_are_refused_unless_allowed(result: dm.MonitorResult,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "juli.xlsx").write_bytes(b"someone else's export")
    with pytest.raises(dm.OutputError, match=r"juli\.xlsx.*--allow-other-files"):
        dm.write_report(result, out, figures=False)
    assert sorted(p.name for p in out.iterdir()) == ["juli.xlsx"]
    dm.write_report(result, out, figures=False, allow_other_files=True)
    assert (out / "report.xlsx").exists()
    assert (out / "juli.xlsx").read_bytes() == b"someone else's export"


def test_a_failure_leaves_the_previous_report_byte_identical(
        result: dm.MonitorResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    dm.write_report(result, out)
    before = snapshot(out)

    def fail(*_a: object, **_k: object) -> None:
        msg = "report.xlsx: cannot write the workbook (Permission denied). Is it open in Excel?"
        raise dm.OutputError(msg)

    import dak_monitor._summary as summary

    monkeypatch.setattr(summary, "write_excel_report", fail)
    with pytest.raises(dm.OutputError, match="open in Excel"):
        dm.write_report(result, out, lang="en", figures=False)
    assert snapshot(out) == before  # no file rewritten, no figure removed, no temporary left


def test_no_figures_removes_the_old_figures_only(result: dm.MonitorResult,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    dm.write_report(result, out)
    (out / "figures" / "my_own_chart.png").write_bytes(b"mine")
    (out / "notes.txt").write_text("mine")
    written = dm.write_report(result, out, figures=False)
    assert not any(name.startswith("figures/") for name in written)
    assert [p.name for p in (out / "figures").iterdir()] == ["my_own_chart.png"]
    assert (out / "notes.txt").read_text() == "mine"
    assert "figures/" not in (out / "summary.md").read_text(encoding="utf-8")


def test_a_second_run_waits_for_nobody_it_is_refused(result: dm.MonitorResult,
                                                     tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out"
    out.mkdir()
    held = os.open(out, os.O_RDONLY)  # what a running report holds
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(dm.OutputError, match="another dak-monitor run"):
            dm.write_report(result, out, figures=False)
    finally:
        os.close(held)
    assert list(out.iterdir()) == []
    dm.write_report(result, out, figures=False)  # released: the next run writes
    assert (out / "report.xlsx").exists()


def test_a_folder_where_a_report_file_goes_is_refused_before_writing(
        result: dm.MonitorResult, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "report.xlsx").mkdir(parents=True)
    with pytest.raises(dm.OutputError, match="a folder stands where"):
        dm.write_report(result, out, figures=False)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["report.xlsx"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can write a read-only file")
def test_a_workbook_that_cannot_be_replaced_is_refused_before_the_work(
        tmp_path: Path, small_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.xlsx").write_bytes(b"old")
    (out / "report.xlsx").chmod(0o444)
    code = main(["report", str(small_dir), "--out", str(out), "--quiet"])
    assert code == 2
    assert "Is it open in Excel?" in capsys.readouterr().err


def test_check_output_folder_accepts_a_new_or_report_only_folder(
        result: dm.MonitorResult, tmp_path: Path) -> None:
    check_output_folder(tmp_path / "new")  # nothing there yet
    dm.write_report(result, tmp_path / "rep", figures=False)
    check_output_folder(tmp_path / "rep")  # only the report's own files


def test_an_out_that_is_a_file_is_refused(result: dm.MonitorResult, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(dm.OutputError, match="is a file"):
        dm.write_report(result, tmp_path / "out")


def test_no_figures_removes_an_emptied_figures_folder(result: dm.MonitorResult,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    dm.write_report(result, out)
    dm.write_report(result, out, figures=False)
    assert sorted(p.name for p in out.iterdir()) == sorted(OWNED_FILES)


class _FakeMsvcrt:
    """Windows' ``msvcrt.locking`` acted out with ``flock`` (one lock per open file, as on
    Windows), so the Windows branch of the lock runs here."""

    LK_UNLCK, LK_NBLCK = 0, 2

    @staticmethod
    def locking(fd: int, mode: int, nbytes: int) -> None:
        import fcntl  # noqa: PLC0415 - POSIX, like this whole module's tests

        fcntl.flock(fd, fcntl.LOCK_UN if mode == 0 else fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_the_windows_lock_file_refuses_a_second_run_and_is_removed_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows the folder is held by ``.dak-monitor.lock``: a second run is refused and
    leaves the first run's lock file in place; the file is gone when the first run ends."""
    out = tmp_path / "Laporan Juni 2024"
    out.mkdir()
    monkeypatch.setitem(__import__("sys").modules, "msvcrt", _FakeMsvcrt)
    monkeypatch.setattr(_outdir.os, "name", "nt")
    with _lock(out):
        assert (out / LOCK_NAME).is_file()
        with pytest.raises(dm.OutputError, match="another dak-monitor run"), _lock(out):
            pass
        assert (out / LOCK_NAME).is_file()  # still the first run's
        with pytest.raises(dm.OutputError, match="another dak-monitor run"), _lock(out):
            pass
    assert not (out / LOCK_NAME).exists()
    with _lock(out):  # released: the next run holds it
        pass
    assert list(out.iterdir()) == []


def test_a_folder_with_spaces_and_a_backslash_in_its_name_gets_the_report(
        result: dm.MonitorResult, tmp_path: Path) -> None:
    """Windows-style names (spaces; a backslash, which is an ordinary character here) are
    used as given: the report lands inside that folder and nowhere else."""
    out = tmp_path / "Laporan DAK" / "Juni 2024\\final"
    written = dm.write_report(result, out, figures=False)
    assert (out / "report.xlsx").is_file()
    assert all(out in p.parents for p in written.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Laporan DAK"]
    assert [p.name for p in (tmp_path / "Laporan DAK").iterdir()] == ["Juni 2024\\final"]
