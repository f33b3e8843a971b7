"""The output folder, one rule: the report writes only the files it owns, all or nothing.

``write_report`` writes every file under a unique temporary folder inside ``--out`` and moves
them into place only when all were written, so a failure (the workbook open in Excel, a full
disk) leaves the previous report exactly as it was. A link already in the folder is replaced,
never followed. Owned files the run did not write (old figures after ``--no-figures``) are
removed. A lock keeps two runs from interleaving. A folder that holds an input, or other
export files, is refused before any work is done.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final

from ._reader import SUPPORTED_SUFFIXES
from ._plotting import FIGURE_STEMS
from .exceptions import OutputError

__all__ = ["LOCK_NAME", "OWNED_FILES", "check_output_folder", "owned_files", "staged_report"]

#: The report's files at the top of the output folder.
OWNED_FILES: Final = ("report.xlsx", "report.html", "summary.md", "projection.csv",
                      "flags.csv", "problems.csv", "first_semester.csv")
LOCK_NAME: Final = ".dak-monitor.lock"  # Windows only; POSIX locks the folder itself
_STAGING_PREFIX: Final = ".dak-monitor-"


def owned_files() -> tuple[str, ...]:
    """Every path (relative to the output folder, ``/``-separated) the report may write.

    Examples
    --------
    >>> "report.xlsx" in owned_files(), "figures/kurva_fisik.png" in owned_files()
    (True, True)
    """
    return (*OWNED_FILES, *(f"figures/{stem}.png" for stem in FIGURE_STEMS))


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def check_output_folder(folder: str | os.PathLike[str],
                        inputs: Sequence[str | os.PathLike[str]] = (), *,
                        allow_other_files: bool = False) -> None:
    """Refuse an output folder the report must not write into, before any work is done.

    Refused: an input folder; a folder holding an input file; a folder holding export
    files the report does not own (unless ``allow_other_files``: a later run given the folder
    would read them together with the report's own CSVs); a report file that cannot be
    replaced (open in Excel, read-only).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "juni.csv").write_text("x")
    >>> check_output_folder(d)
    Traceback (most recent call last):
    ...
    dak_monitor.exceptions.OutputError: ... holds export files the report does not own ...
    """
    out = Path(folder)
    for p in inputs:
        q = Path(p)
        if _same(q, out) and q.is_dir():
            msg = f"{out}: the output folder is an input folder; choose another --out"
            raise OutputError(msg)
        if q.is_file() and _same(q.parent, out):
            msg = (f"{out}: the output folder holds the input file {q.name}; choose another "
                   f"--out (the report must never sit beside, or overwrite, its inputs)")
            raise OutputError(msg)
    if not out.exists():
        return
    if not out.is_dir():
        msg = f"{out}: the output folder is a file; choose a folder for --out"
        raise OutputError(msg)
    mine = set(OWNED_FILES)
    try:
        entries = sorted(out.iterdir())
    except OSError as exc:
        msg = f"{out}: cannot list the output folder ({exc.strerror or exc})"
        raise OutputError(msg) from exc
    foreign = [e.name for e in entries
               if e.suffix.lower() in SUPPORTED_SUFFIXES and e.name not in mine
               and not e.name.startswith((".", "~$"))]
    if foreign and not allow_other_files:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5
                                          else "")
        msg = (f"{out}: the output folder holds export files the report does not own "
               f"({shown}); choose an empty folder for --out, or pass --allow-other-files "
               f"(allow_other_files=True) to write beside them")
        raise OutputError(msg)
    for name in owned_files():
        target = out / name
        if target.is_dir() and not target.is_symlink():
            msg = f"{target}: a folder stands where the report writes a file; remove or rename it"
            raise OutputError(msg)
        if target.is_symlink() or not target.is_file():
            continue  # a link is replaced, never opened
        try:
            with target.open("r+b"):  # fails while Excel (on Windows) holds the file open
                pass
        except OSError as exc:
            msg = (f"{target}: cannot be replaced ({exc.strerror or exc}). Is it open in "
                   f"Excel? Close it, or choose another --out folder.")
            raise OutputError(msg) from exc


@contextlib.contextmanager
def _lock(folder: Path) -> Iterator[None]:
    """Hold the output folder for this run; a second run into it is refused, not interleaved.

    POSIX: an exclusive ``flock`` on the folder itself (nothing is left in it). Windows: a
    lock file, ``.dak-monitor.lock``, removed at the end.
    """
    busy = (f"{folder}: another dak-monitor run is writing its report here; wait for it to "
            f"finish, or choose another --out folder")
    if os.name == "nt":
        import msvcrt  # Windows; tests stand a fake in for it

        path = folder / LOCK_NAME
        try:
            fh = open(path, "a+b")  # noqa: SIM115 - held for the whole run
        except OSError as exc:
            raise OutputError(busy) from exc
        try:
            fh.seek(0)  # append mode opens at the end; every run locks the same first byte
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            fh.close()  # refused: the lock file is the other run's, left in place
            raise OutputError(busy) from exc
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
            fh.close()
            with contextlib.suppress(OSError):
                path.unlink()
        return
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise OutputError(busy) from exc
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def staged_report(folder: str | os.PathLike[str],
                  inputs: Sequence[str | os.PathLike[str]] = (), *,
                  allow_other_files: bool = False) -> Iterator[_Stage]:
    """Write a report all or nothing: yields a stage whose ``path`` is a fresh folder to write
    into; on success its files replace the report in ``folder``, on failure nothing changes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "laporan"
    >>> with staged_report(d) as stage:
    ...     _ = (stage.path / "summary.md").write_text("# Ringkasan")
    >>> sorted(p.name for p in d.iterdir())
    ['summary.md']
    """
    out = Path(folder)
    check_output_folder(out, inputs, allow_other_files=allow_other_files)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"{out}: cannot create the output folder ({exc.strerror or exc})"
        raise OutputError(msg) from exc
    if not os.access(out, os.W_OK):
        msg = f"{out}: the output folder is not writable"
        raise OutputError(msg)
    with _lock(out):
        check_output_folder(out, inputs, allow_other_files=allow_other_files)  # under the lock
        try:
            tmp = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=out))
        except OSError as exc:
            msg = f"{out}: cannot write into the output folder ({exc.strerror or exc})"
            raise OutputError(msg) from exc
        try:
            stage = _Stage(tmp)
            yield stage
            _publish(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class _Stage:
    """The temporary folder a report is written into before it is moved into place."""

    def __init__(self, path: Path) -> None:
        self.path = path


def _written(tmp: Path) -> list[str]:
    return [p.relative_to(tmp).as_posix() for p in sorted(tmp.rglob("*")) if p.is_file()]


def _publish(tmp: Path, out: Path) -> None:
    names = _written(tmp)
    unknown = sorted(set(names) - set(owned_files()))
    if unknown:  # a bug of ours: the list of owned files is the contract
        msg = f"internal: the report wrote files it does not own: {unknown}"
        raise AssertionError(msg)
    try:
        if any("/" in n for n in names):
            _real_folder(out / "figures")
        for name in names:
            target = out / name
            if target.is_dir() and not target.is_symlink():
                msg = f"{target}: a folder stands where the report writes a file; remove it"
                raise OutputError(msg)
        for name in names:
            os.replace(tmp / name, out / name)  # replaces a link itself, never its target
        stale = _stale(out, names)
        for name in stale:
            (out / name).unlink()
        figures = out / "figures"
        if figures.is_symlink() and not any("/" in n for n in names):
            figures.unlink()  # a link where the report keeps its figures: removed, not followed
        elif any("/" in n for n in stale) and not any(figures.iterdir()):
            figures.rmdir()  # emptied of the report's own figures: nothing left to show
    except OSError as exc:
        msg = f"{out}: cannot move the report into place ({exc.strerror or exc})"
        raise OutputError(msg) from exc


def _real_folder(path: Path) -> None:
    """``path`` as a real folder: a link there is removed (never followed)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    path.mkdir(exist_ok=True)


def _stale(out: Path, written: Iterable[str]) -> list[str]:
    keep = set(written)
    figures = out / "figures"
    figures_ok = figures.is_dir() and not figures.is_symlink()
    return [name for name in owned_files() if name not in keep
            and ("/" not in name or figures_ok)
            and ((out / name).is_symlink() or (out / name).is_file())]
