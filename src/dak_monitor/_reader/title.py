"""What a title block says: year, period, kind, region and the words that only look like a period
(a transfer stage).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from .. import _parse
from .._parse import (
    parse_periode,
)
from .._regions import resolve_region_names
from .._units import unit_in
from .._vocab import columns as C
from .files import _Sheet
from .header import _Header

# ===================================================================== Morena-style exports
_TITLE_TAHUN: Final = re.compile(
    r"(?i)\b(?:tahun\s+anggaran|t\.?\s?a\.?|tahun)\s*:?\s*(\d{4})\b")
_MONTHS: Final = "|".join(sorted(_parse.MONTHS_ID, key=len, reverse=True))
_TITLE_RANGE: Final = re.compile(
    rf"(?i)\b(\d{{1,2}})\s+({_MONTHS})\.?\s*(\d{{4}})?\s*(?:s\.?\s*[/d]\.?|sampai\s+dengan|-)"
    rf"\s*(\d{{1,2}})\s+({_MONTHS})\.?\s*(\d{{4}})?")
_TITLE_PERIODE: Final = re.compile(
    rf"(?i)(?:s\.?\s*[/d]\.?\s*|sampai\s+dengan\s+|periode\s*:?\s*|posisi\s*:?\s*|bulan\s*:?\s*|"
    rf"keadaan\s*:?\s*)(?:tanggal\s+)?(?:\d{{1,2}}\s+)?({_MONTHS})\.?\s*(\d{{4}})?")
_TITLE_PERIODE_TW: Final = re.compile(
    r"(?i)\b((?:triwulan|tw|semester)\s*[-.:]?\s*(?:iv|iii|ii|i|[1-4]))\b\s*(\d{4})?")
#: "(April - Juni)", "Januari s.d. Juni 2024": a span of months; the report stands at its end.
_TITLE_MONTH_SPAN: Final = re.compile(
    rf"(?i)(?<![a-z])({_MONTHS})\.?\s*(?:-|–|s\.?\s*[/d]\.?|sampai\s+dengan)\s*({_MONTHS})"
    rf"(?![a-z])\.?\s*(\d{{4}})?")
#: "Juni 2024" alone (a sheet or file name), and "..._2024_06" in a file name.
_BARE_MONTH: Final = re.compile(rf"(?i)(?<![a-z])({_MONTHS})(?![a-z])[\s_.-]*(\d{{4}})")
_FILE_YEAR_MONTH: Final = re.compile(r"(?<!\d)(20\d\d)[_\-. ](0[1-9]|1[0-2])(?!\d)")
_TITLE_STAGE: Final = re.compile(r"(?i)\btahap\s*[-.:]?\s*(\d|i{1,3}|iv)\b")
_KIND_FISIK_TITLE: Final = re.compile(r"(?i)\bdak\s*fisik\b|\bfisik\s+(sub\s*)?bidang")
_KIND_NONFISIK_TITLE: Final = re.compile(r"(?i)non\s*-?\s*fisik|\bbokb\b")


@dataclass(frozen=True, slots=True)
class _TitleInfo:
    tahun: int | None
    periode: pd.Timestamp | None
    unit: str | None  # stated in the title or a unit row (a key of UNITS), or None
    cumulative: bool
    kind: str | None
    periode_from: str = "the title"  # where periode came from, said when no column has it


def _parse_title(lines: Sequence[str], names: Sequence[str] = ()) -> _TitleInfo:
    """What the rows above the header say (and, for the period only, as a last resort the
    sheet and file ``names``: ``Juni 2024``, ``..._2024_06.xlsx``)."""
    text = " ".join(lines)
    tahun = None
    m = _TITLE_TAHUN.search(text)
    if m:
        tahun = int(m.group(1))
    periode = None
    cumulative = True
    rng = _TITLE_RANGE.search(text)
    if rng:
        d0, m0, _y0, _d1, m1, y1 = rng.groups()
        p = parse_periode(pd.Series([f"{m1} {y1 or tahun or ''}".strip()]), tahun=tahun)
        periode = p.values.iloc[0] if pd.notna(p.values.iloc[0]) else None
        start = parse_periode(pd.Series([m0]), tahun=tahun or 2000).values.iloc[0]
        if periode is not None and pd.notna(start) and start.month != 1 and start.month == \
                periode.month and int(d0) == 1:
            cumulative = False
    if periode is None:
        span = _TITLE_MONTH_SPAN.search(text)
        if span:
            periode = _period_of(span.group(2), span.group(3), tahun)
    if periode is None:
        for rx in (_TITLE_PERIODE, _TITLE_PERIODE_TW):
            m = rx.search(text)
            if m:
                periode = _period_of(m.group(1), m.group(2), tahun)
                if periode is not None:
                    break
    periode_from = "the title"
    if periode is None:
        periode = _period_in_names(names, tahun)
        periode_from = "the sheet or file name"
    if tahun is None and periode is not None:
        tahun = periode.year
    unit = unit_in(text)
    kind = None
    if _KIND_NONFISIK_TITLE.search(text):
        kind = C.NONFISIK
    elif _KIND_FISIK_TITLE.search(text):
        kind = C.FISIK
    return _TitleInfo(tahun, periode, unit, cumulative, kind, periode_from)


def _period_of(when: str, year: str | None, tahun: int | None) -> pd.Timestamp | None:
    """The month end a title's period words name (``Juni``, ``TW II``), in ``year`` or else
    the fiscal year; None when they name none."""
    y = year or (str(tahun) if tahun else "")
    p = parse_periode(pd.Series([f"{when} {y}".strip()]), tahun=tahun)
    return p.values.iloc[0] if pd.notna(p.values.iloc[0]) else None


def _period_in_names(names: Sequence[str], tahun: int | None) -> pd.Timestamp | None:
    """A period in a sheet or file name: ``Juni 2024``, ``laporan_2024_06``."""
    for name in names:
        m = _BARE_MONTH.search(name)
        if m:
            found = _period_of(m.group(1), m.group(2), tahun)
            if found is not None:
                return found
        m = _FILE_YEAR_MONTH.search(name)
        if m:
            return pd.Timestamp(int(m.group(1)), int(m.group(2)), 1) + pd.offsets.MonthEnd(0)
    return None


def _detect_kind(header: _Header, title: _TitleInfo) -> str:
    if any(m in header.columns for m in C.FISIK_MARKERS):
        return C.FISIK
    if title.kind:
        return title.kind
    return C.NONFISIK


def kind_reason(given: str | None, funding: str | None, header: _Header | None,
                title: _TitleInfo, kind: str) -> str:
    """Why a sheet is read as ``kind``, for errors and notes: the option, the ``Sumber Dana``
    cells, a DAK fisik column, the title, or nothing (the default)."""
    if given:
        return f"read as DAK {kind} (kind=)"
    if funding:
        return f"read as DAK {kind} from its Sumber Dana cells"
    if header is not None and kind == C.FISIK and any(
            m in header.columns for m in C.FISIK_MARKERS):
        marks = [m for m in C.FISIK_MARKERS if m in header.columns]
        return f"read as DAK fisik from its {', '.join(marks)} column(s)"
    if title.kind == kind:
        return f"read as DAK {kind} from the title"
    return f"read as DAK {kind}, as nothing in the file names the kind"


_TITLE_REGION: Final = re.compile(
    r"(?i)\b((?:kabupaten|kab\.?|kota)\s+[a-z][a-z .'-]{2,40}?)(?=\s*(?:$|\n|,|;|\(|\d|"
    r"provinsi|tahun|bulan|periode|triwulan|semester))")


def _region_in_title(lines: Sequence[str], sheet: _Sheet, label: str) -> str | None:
    """The one region a title names (``Dinas PPKB Kabupaten Garut``), for sheets with no region
    column; None when it names none, or more than one."""
    found = set()
    for line in lines:
        for m in _TITLE_REGION.finditer(str(line)):
            code = resolve_region_names(pd.Series([m.group(1).strip()])).iloc[0]
            if isinstance(code, str):
                found.add((code, m.group(1).strip()))
    if len({c for c, _ in found}) != 1:
        return None
    code, name = next(iter(found))
    sheet.notes.append(f"{label}: region {name} ({code}) from the title, for rows that name "
                       f"none")
    return code
