"""HTML tables, also when an application serves one under a workbook's name (``kendali.xls``), read
with lxml under the same limits as any sheet.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any, Final

import pandas as pd

from ..exceptions import (
    LimitExceededError,
    UnreadableFileError,
)
from .files import Limits, _check_columns, _check_rows, _check_size, _display, _read_bytes, _Sheet


def _looks_like_html(path: Path | bytes) -> bool:
    """Whether a file (or bytes in memory) is an HTML table whatever its name: web
    applications serve their reports as ``<table>`` pages named ``.xls`` (Excel opens them
    without complaint)."""
    if isinstance(path, bytes):
        head = path[:2048]
    else:
        try:
            with path.open("rb") as fh:
                head = fh.read(2048)
        except OSError:
            return False
    text = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head",
                            b"<?xml")) and (b"<table" in head.lower() or b"<html" in head.lower())


def _cell_text(cell: Any) -> str:
    """A table cell's text as a person sees it: ``<br>`` as a line break, spaces folded."""
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = "".join(cell.itertext())
    lines = [re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


#: Cells that ``rowspan``/``colspan`` may cover in one table: far beyond any report, and a
#: bound on what a hostile page can make the reader hold.
MAX_HTML_SPANNED: Final = 1_000_000


def _span(value: object) -> int:
    """A ``rowspan``/``colspan`` value as a count (junk or below 1 counts as 1)."""
    m = re.match(r"\s*(\d{1,7})", str(value or ""))
    return max(int(m.group(1)), 1) if m else 1


def _load_html(path: Path, *, limits: Limits, data: bytes | None = None) -> list[_Sheet]:
    """Each ``<table>`` of an HTML file as a sheet (``tabel 1``, …): merged cells
    (``colspan``/``rowspan``) become merged ranges, as in a workbook. ``data``: the bytes,
    when they are already in memory (``path`` then only names them)."""
    from lxml import etree, html

    if data is None:
        _check_size(path, limits.max_bytes)
        data = _read_bytes(path, limits.max_bytes)
    try:
        doc = html.document_fromstring(data, parser=html.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, huge_tree=False))
    except (etree.ParserError, ValueError) as exc:
        msg = f"{path}: cannot be read as an HTML table ({exc})"
        raise UnreadableFileError(msg, file=str(path)) from exc
    tables = [t for t in doc.iter("table") if t.find(".//table") is None]  # innermost
    if not tables:
        msg = f"{path}: an HTML page without a table; nothing can be read"
        raise UnreadableFileError(msg, file=str(path))
    out = []
    for k, table in enumerate(tables, start=1):
        name = f"tabel {k}" if len(tables) > 1 else ""
        rows: list[list[str]] = []
        merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        pending: dict[tuple[int, int], str] = {}  # cells covered by a rowspan from above
        spanned = 0
        for r, tr in enumerate(table.iter("tr")):
            row: list[str] = []
            c = 0
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in pending:
                    row.append(pending.pop((r, c)))
                    c += 1
                span_c = _span(cell.get("colspan"))
                span_r = _span(cell.get("rowspan"))
                spanned += span_c * span_r
                if spanned > MAX_HTML_SPANNED:
                    msg = (f"{path}: the table's merged cells (rowspan/colspan) cover more than "
                           f"{MAX_HTML_SPANNED:,} cells; no report does, so the file is refused")
                    raise LimitExceededError(msg, file=str(path))
                row.append(_cell_text(cell))
                row.extend([""] * (span_c - 1))
                if span_c > 1 or span_r > 1:
                    merged.append(((r, c), (r + span_r - 1, c + span_c - 1)))
                for dr in range(1, span_r):
                    for dc in range(span_c):
                        pending[(r + dr, c + dc)] = ""
                c += span_c
                _check_columns(path, r + 1, c, limits)
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            rows.append(row)
            _check_rows(path, name or None, len(rows), limits.max_rows)
        width = max((len(r) for r in rows), default=0)
        grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
        grid = grid.replace("", None)
        grid.index = pd.RangeIndex(1, len(grid) + 1)
        grid.columns = range(grid.shape[1])
        sheet = _Sheet(_display(path), name, grid, merged)
        sheet.notes.append(f"{_display(path)}{f' [{name}]' if name else ''}: an HTML table "
                           f"(saved with the name {path.name!r}); read as a sheet")
        out.append(sheet)
    return out
