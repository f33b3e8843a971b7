"""Layouts: a template's reading instructions, kept in a small TOML file.

A layout fixes what the reader would otherwise infer (kind, units, period, region, header rows,
the pagu column, rows to skip, header spellings). ``dak-monitor inspect FILE --write-layout
L.toml`` writes one with everything the reader decided; the analyst edits what is wrong and
passes it back with ``--layout L.toml`` (``layout=`` in Python). A folder of layouts serves
many templates: each file is read with the layout that is for it — by its ``files`` patterns
on the file's name and its ``headers``, texts its header holds (the template's fingerprint).
Like a frictionless dialect, a layout is a frozen value, checked when it is loaded.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NoReturn

from .._parse import MONTHS_ID
from .._units import parse_units
from .._vocab import columns as C
from ..exceptions import ConfigError, DakMonitorError
from .files import HEADER_SEARCH_ROWS, _Sheet
from .header import _norm_label, _top_labels

#: The largest layout file read (a layout is a few hundred bytes).
MAX_LAYOUT_BYTES: Final = 1024**2
_CANONICAL: Final = frozenset(C.CANONICAL_COLUMNS) - frozenset(
    (C.JENIS_DAK, *C.PROVENANCE))


def _freeze(mapping: Mapping[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Layout:
    """How to read one template. Every field is optional: one left out is inferred.

    Examples
    --------
    >>> lay = Layout.from_mapping({"kind": "fisik", "periode": "2019-09", "wilayah": "16.06",
    ...                            "aliases": {"realisasi": ["kumulatif s.d. triwulan ini"]}})
    >>> lay.kind, lay.periode, lay.aliases["realisasi"]
    ('fisik', '2019-09', ('kumulatif s.d. triwulan ini',))
    >>> Layout.from_toml(lay.to_toml()) == lay
    True
    """

    #: File-name patterns (``*kendali*.xls``) this layout is for, in a folder of layouts.
    files: tuple[str, ...] = ()
    #: Header texts this template's header holds (its fingerprint, as ``inspect`` shows
    #: them): the layout is for a file whose first rows hold every one of them.
    headers: tuple[str, ...] = ()
    #: ``"nonfisik"`` (BOKB) or ``"fisik"``.
    kind: str | None = None
    tahun: int | None = None
    #: The period the file reports, ``YYYY-MM``.
    periode: str | None = None
    #: The region of a one-office file: a code (``"32.05"``) or an unambiguous name.
    wilayah: str | None = None
    #: Only these sheets of a workbook.
    sheets: tuple[str, ...] = ()
    #: The physical rows (1-based, as ``sumber_baris``) of the header.
    header_rows: tuple[int, ...] = ()
    #: The header text of the pagu column, when two budget columns compete.
    pagu: str | None = None
    #: Physical rows that are not data, skipped as ``layout``.
    skip_rows: tuple[int, ...] = ()
    #: Rows whose text (cells joined by " | ") matches any of these regular expressions are
    #: skipped as ``layout``.
    skip_matching: tuple[str, ...] = ()
    #: Money units per column (``{"pagu": "ribu"}``) or for all (``{"*": "juta"}``).
    units: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Header texts per canonical column, as ``inspect`` prints them.
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: Where the layout was loaded from (for messages), not part of its value.
    source: str = field(default="", compare=False)

    # ----------------------------------------------------------------------- loading
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "",
                     text: str = "") -> Layout:
        """A layout from a mapping (a parsed TOML file), every key and value checked; an
        error names the key (and its line when ``text`` is the file's text)."""
        where = source or "layout"

        def fail(key: str, why: str) -> NoReturn:
            line = _line_of(text, key)
            at = f" (line {line})" if line else ""
            msg = f"{where}: {key}{at}: {why}"
            raise ConfigError(msg) from None

        if not isinstance(data, Mapping):
            msg = f"{where}: a layout is a table of keys, not {type(data).__name__}"
            raise ConfigError(msg)
        known = {f.name for f in fields(cls)} - {"source"}
        unknown = sorted(set(data) - known)
        if unknown:
            fail(unknown[0], f"not a layout key; the keys are {', '.join(sorted(known))}")
        out: dict[str, Any] = {}
        for key in ("files", "headers", "sheets", "skip_matching"):
            if key in data:
                v = data[key]
                if isinstance(v, str):
                    v = [v]
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    fail(key, "must be a list of text")
                out[key] = tuple(v)
        if any(not _norm_label(h) for h in out.get("headers", ())):
            fail("headers", "holds an empty header text")
        for key in ("header_rows", "skip_rows"):
            if key in data:
                v = data[key]
                if isinstance(v, int) and not isinstance(v, bool):
                    v = [v]
                if not isinstance(v, list) or not all(
                        isinstance(x, int) and not isinstance(x, bool) and x >= 1 for x in v):
                    fail(key, "must be a list of row numbers (1, 2, …)")
                out[key] = tuple(v)
        if len(out.get("header_rows", ())) > 3 or (
                out.get("header_rows") and list(out["header_rows"]) != list(
                    range(out["header_rows"][0], out["header_rows"][0] +
                          len(out["header_rows"])))):
            fail("header_rows", "must be one to three consecutive rows")
        for pattern in out.get("skip_matching", ()):
            try:
                re.compile(pattern)
            except re.error as exc:
                fail("skip_matching", f"{pattern!r} is not a regular expression ({exc})")
        if "kind" in data:
            if data["kind"] not in C.KINDS:
                fail("kind", f"must be one of {', '.join(C.KINDS)}")
            out["kind"] = data["kind"]
        if "tahun" in data:
            v = data["tahun"]
            if not isinstance(v, int) or isinstance(v, bool) or not 1990 <= v <= 2100:
                fail("tahun", "must be a year such as 2024")
            out["tahun"] = v
        for key in ("periode", "wilayah", "pagu"):
            if key in data:
                if not isinstance(data[key], str) or not data[key].strip():
                    fail(key, "must be text")
                out[key] = data[key].strip()
        if "periode" in out and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", out["periode"]):
            fail("periode", "must be YYYY-MM, such as 2024-06")
        if "units" in data:
            v = data["units"]
            if isinstance(v, (str, int)) and not isinstance(v, bool):
                v = {"*": v}
            if not isinstance(v, Mapping):
                fail("units", "must be a unit (\"ribu\") or a table of column = unit")
            units = {}
            for col, unit in v.items():
                if col != "*" and col not in C.MONEY_COLUMNS:
                    fail("units", f"{col!r} is not a money column "
                                        f"({', '.join(C.MONEY_COLUMNS)}, or * for all)")
                try:
                    units[col] = parse_units(unit)
                except DakMonitorError as exc:
                    fail("units", str(exc))
            out["units"] = _freeze(units)
        if "aliases" in data:
            v = data["aliases"]
            if not isinstance(v, Mapping):
                fail("aliases", "must be a table of column = [header texts]")
            aliases = {}
            for col, spellings in v.items():
                if col not in _CANONICAL:
                    fail("aliases", f"{col!r} is not a canonical column")
                if isinstance(spellings, str):
                    spellings = [spellings]
                if not isinstance(spellings, list) or not all(
                        isinstance(x, str) for x in spellings):
                    fail("aliases", f"{col} must be a list of header texts")
                aliases[col] = tuple(spellings)
            out["aliases"] = _freeze(aliases)
        return cls(**out, source=source)

    @classmethod
    def from_toml(cls, text: str, *, source: str = "") -> Layout:
        """A layout from TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = f"{source or 'layout'}: not valid TOML ({exc})"
            raise ConfigError(msg) from None
        return cls.from_mapping(data, source=source, text=text)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Layout:
        """A layout from a ``.toml`` file."""
        p = Path(path)
        try:
            if p.stat().st_size > MAX_LAYOUT_BYTES:
                msg = f"{p}: a layout file is a few hundred bytes, not {p.stat().st_size:,}"
                raise ConfigError(msg)
            text = p.read_text(encoding="utf-8-sig")
        except OSError as exc:
            msg = f"{p}: cannot read the layout file ({exc.strerror or exc})"
            raise ConfigError(msg) from None
        except UnicodeDecodeError as exc:
            msg = f"{p}: the layout file is not UTF-8 text (byte {exc.start})"
            raise ConfigError(msg) from None
        return cls.from_toml(text, source=str(p))

    # ----------------------------------------------------------------------- using it
    def matches(self, path: str | os.PathLike[str]) -> bool:
        """Whether the file's name fits this layout (any ``files`` pattern matches it, case
        folded; a layout without patterns fits every name)."""
        name = Path(path).name.lower()
        return not self.files or any(fnmatch.fnmatch(name, p.lower()) for p in self.files)

    def headers_missing(self, sheets: Iterable[_Sheet]) -> tuple[str, ...]:
        """The ``headers`` texts that no sheet's first rows hold (folded as header cells are:
        case, spaces, dots, units). Empty when one sheet holds them all, or when the layout
        states no headers."""
        if not self.headers:
            return ()
        wanted = {_norm_label(h): h for h in self.headers}
        best: tuple[str, ...] | None = None
        for sheet in sheets:
            if sheet.grid.empty:
                continue
            _, labels = _top_labels(sheet, HEADER_SEARCH_ROWS)
            held = set(labels.ravel().tolist())
            missing = tuple(h for k, h in wanted.items() if k not in held)
            if best is None or len(missing) < len(best):
                best = missing
        return tuple(wanted.values()) if best is None else best

    def read_options(self) -> dict[str, Any]:
        """The :func:`~dak_monitor.read_export` options this layout gives."""
        out: dict[str, Any] = {}
        for key in ("kind", "tahun", "periode", "wilayah"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.sheets:
            out["sheets"] = list(self.sheets)
        if self.aliases:
            out["aliases"] = {k: list(v) for k, v in self.aliases.items()}
        return out

    # ----------------------------------------------------------------------- writing it
    def to_toml(self, found: Mapping[str, Any] | None = None) -> str:
        """The layout as a commented TOML file, every key explained. ``found`` holds values
        the reader found in one file that the layout leaves unset (``periode``, ``tahun``,
        ``wilayah``, ``header_rows``): they are written as commented lines to uncomment."""
        def q(s: str) -> str:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

        def lst(v: Iterable[object]) -> str:
            return "[" + ", ".join(q(x) if isinstance(x, str) else str(x) for x in v) + "]"

        seen = dict(found or {})

        def unset(key: str, example: str) -> str:
            if key not in seen:
                return f"# {key} = {example}"
            v = seen[key]
            text = lst(v) if isinstance(v, (list, tuple)) else q(v) if isinstance(v, str) \
                else str(v)
            return f"# {key} = {text}  # found in this file; uncomment to pin it"

        lines = [
            "# dak_monitor layout: how to read one template (README, \"Your office's template\").",
            "# Edit what is wrong and pass it back: dak-monitor report FILES --layout THIS.toml",
            "# Every key is optional; a key left out (or commented out) is found by the reader.",
            "",
            "# which files this layout is for, in a folder of layouts: patterns on the file's",
            "# name, and header texts its header holds (both must fit when both are given;",
            "# inspect leaves out header texts with a number or a month, which change monthly)",
            f"files = {lst(self.files)}",
            f"headers = {lst(self.headers)}",
            "# \"nonfisik\" (BOKB) or \"fisik\" (DAK fisik subbidang KB)",
            f"kind = {q(self.kind)}" if self.kind else "# kind = \"fisik\"",
            "# the fiscal year and the period the file reports (YYYY-MM). Set here, they hold",
            "# for EVERY file read with this layout: for a layout kept for many months, leave",
            "# them out and pass --periode each month when the file does not say it",
            f"tahun = {self.tahun}" if self.tahun else unset("tahun", "2024"),
            f"periode = {q(self.periode)}" if self.periode else unset("periode", '"2024-06"'),
            "# the region of a one-office file (a code or an unambiguous name); set here, it",
            "# holds for every file read with this layout",
            f"wilayah = {q(self.wilayah)}" if self.wilayah else unset("wilayah", '"32.05"'),
            "# only these sheets of a workbook (another office may name its sheet otherwise)",
            f"sheets = {lst(self.sheets)}" if self.sheets or "sheets" not in seen
            else unset("sheets", "[]"),
            "# the rows of the header (one to three, as inspect numbers the rows); another",
            "# office's title may be a line longer, so pin them only when the reader errs",
            f"header_rows = {lst(self.header_rows)}" if self.header_rows
            else unset("header_rows", "[4]") if "header_rows" in seen
            else "header_rows = []  # e.g. [4], or [4, 5] for a header on two rows",
            "# the header of the pagu column, when two budget columns compete",
            f"pagu = {q(self.pagu)}" if self.pagu else "# pagu = \"dpa simda\"",
            "# rows that are not data: by number, or by a regular expression on their text",
            f"skip_rows = {lst(self.skip_rows)}",
            f"skip_matching = {lst(self.skip_matching)}",
            "",
            "# money units per column: rupiah, ribu, juta, miliar (\"*\" for every column).",
            "# Set here, a unit holds even when a file's title or header says another.",
            "[units]",
            *[f"{q(c) if c == '*' else c} = {q(u)}" for c, u in self.units.items()],
            *[f"# {c} = {q(u)}  # found in this file ({where}); uncomment to pin it"
              for c, (u, where) in seen.get("units", {}).items() if c not in self.units],
            "",
            "# header texts per canonical column (as inspect shows them, lower case)",
            "[aliases]",
            *([f"{c} = {lst(v)}" for c, v in self.aliases.items()] or [
                f'# {c} = ["<its header text>"]'
                for c in C.REQUIRED[self.kind or C.NONFISIK]
                if c not in (C.TAHUN, C.PERIODE, C.NAMA_WILAYAH)]),
            "",
        ]
        return "\n".join(lines)


def _line_of(text: str, key: str) -> int | None:
    """The line of ``key = …`` (or ``[key]``) in a TOML text, None when not found."""
    if not text:
        return None
    rx = re.compile(rf"^\s*(\[{re.escape(key)}\]|{re.escape(key)}\s*=)", re.MULTILINE)
    m = rx.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def load_layouts(layout: Layout | str | os.PathLike[str] | Mapping[str, Any] | None
                 ) -> tuple[Layout, ...]:
    """The layouts ``layout=`` names: a :class:`Layout`, a mapping, a ``.toml`` file, or a
    folder of them (read in name order)."""
    if layout is None:
        return ()
    if isinstance(layout, Layout):
        return (layout,)
    if isinstance(layout, Mapping):
        return (Layout.from_mapping(layout),)
    p = Path(layout)
    if p.is_dir():
        found = sorted(q for q in p.iterdir() if q.suffix.lower() == ".toml" and q.is_file())
        if not found:
            msg = f"{p}: the layout folder holds no .toml layout"
            raise ConfigError(msg)
        return tuple(Layout.from_file(q) for q in found)
    return (Layout.from_file(p),)


def fingerprint(labels: Iterable[str]) -> list[str]:
    """The header texts that identify a template in every month: the non-empty ones, once
    each, without those holding a number or a month's name (``Realisasi s.d. Juni``).

    >>> fingerprint(["no", "menu", "pagu", "realisasi s/d juni", "realisasi 2024", "pagu"])
    ['no', 'menu', 'pagu']
    """
    out: list[str] = []
    for lab in labels:
        words = set(re.findall(r"[a-z]+", lab))
        if lab and lab not in out and not re.search(r"\d", lab) and not words & set(MONTHS_ID):
            out.append(lab)
    return out


def layout_for(layouts: tuple[Layout, ...], path: str | os.PathLike[str],
               sheets: Iterable[_Sheet] = ()) -> tuple[Layout | None, str]:
    """The layout for a file, and why, in words for the file's notes.

    A layout is for the file when each condition it states holds: a ``files`` pattern matches
    the name, and the first rows hold every ``headers`` text. The first such layout (in name
    order) is chosen; failing that, the first layout that states no condition (a layout for
    every file); failing that, none — and the reason names the closest layout and what did
    not fit, so a file read without its layout never passes unnoticed.
    """
    sheets = list(sheets)
    fits: list[tuple[Layout, str]] = []
    closest: tuple[int, str] | None = None
    for lay in layouts:
        if not (lay.files or lay.headers):
            continue
        name_ok = lay.matches(path)
        missing = lay.headers_missing(sheets) if name_ok else lay.headers
        if name_ok and not missing:
            how = " and ".join(w for w, on in (("its file-name pattern", lay.files),
                                               ("its header texts", lay.headers)) if on)
            fits.append((lay, how))
            continue
        if not name_ok:
            why = f"{lay.source or 'a layout'}: the name fits none of {list(lay.files)}"
            score = len(lay.headers) + 1
        else:
            why = (f"{lay.source or 'a layout'}: header texts not found: "
                   f"{', '.join(repr(m) for m in missing[:4])}"
                   + (f" (+{len(missing) - 4})" if len(missing) > 4 else ""))
            score = len(missing)
        if closest is None or score < closest[0]:
            closest = (score, why)
    if fits:
        lay, how = fits[0]
        also = [f.source or "a layout" for f, _ in fits[1:]]
        return lay, (f"chosen by {how}" +
                     (f"; also fitting, not used: {', '.join(also)}" if also else ""))
    catch_all = next((lay for lay in layouts if not (lay.files or lay.headers)), None)
    if catch_all is not None:
        return catch_all, "a layout for every file"
    return None, ("no layout given is for this file, read without one"
                  + (f" (closest — {closest[1]})" if closest else ""))
