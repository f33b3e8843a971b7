"""One entry point from a path to its sheets: the loader each file needs, and a folder's files one
by one; an export in memory (a DataFrame, bytes, an Arrow table) through ``memory``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..exceptions import (
    ConfigError,
    DakMonitorError,
    UnreadableFileError,
)
from .csvfile import _check_encoding, _load_csv
from .files import Limits, _discover, _Sheet
from .htmltable import _load_html, _looks_like_html
from .memory import _load_memory, is_memory_export, paths_or_refuse
from .workbook import _load_excel


def _load(path: Path, *, sheets: Sequence[str] | None, encoding: str | None, sep: str | None,
          limits: Limits) -> list[_Sheet]:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm") or (suffix != ".csv" and _looks_like_html(path)):
        return _load_html(path, limits=limits)
    if suffix == ".csv":
        return [_load_csv(path, encoding=encoding, sep=sep, limits=limits)]
    return _load_excel(path, sheets=sheets, limits=limits)


def _load_all(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | object, *,
              sheets: Sequence[str] | None, encoding: str | None, sep: str | None,
              limits: Limits, forgiving: bool = False, name: str | None = None
              ) -> Iterator[tuple[Path, bool, list[_Sheet] | DakMonitorError]]:
    """Each file to read (once, however often it was given), with its loaded sheets.

    ``forgiving``: a file found in a folder that cannot be loaded comes with its error
    instead of its sheets (a file named on its own always raises). An export in memory is
    one "file" named ``name`` (see :mod:`.memory`); it always raises.
    """
    _check_encoding(encoding)
    if is_memory_export(paths):
        path, loaded = _load_memory(paths, name, sheets=sheets, encoding=encoding, sep=sep,
                                    limits=limits)
        yield path, False, loaded
        return
    if name is not None:
        msg = "name= names an export given from memory; a file is named by its path"
        raise ConfigError(msg)
    for path, in_folder, times in _discover(paths_or_refuse(paths)):
        try:
            if not path.is_file():
                msg = (f"{path}: not a regular file (a device, pipe, socket or broken link is "
                       f"never read)")
                raise UnreadableFileError(msg, file=str(path))
            loaded = _load(path, sheets=sheets, encoding=encoding, sep=sep, limits=limits)
        except DakMonitorError as exc:
            if not (forgiving and in_folder):
                raise
            yield path, in_folder, exc
            continue
        if times > 1:
            for sheet in loaded:
                sheet.notes.append(f"{sheet.file}: given {times} times; read once")
        yield path, in_folder, loaded
