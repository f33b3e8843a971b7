"""Layouts: a template's reading instructions, kept in a small TOML file.

A layout fixes what the reader would otherwise infer (kind, units, period, region, header rows,
the pagu column, rows to skip, header spellings). ``dak-monitor inspect FILE --write-layout
L.toml`` writes one with everything the reader decided; the analyst edits what is wrong and
passes it back with ``--layout L.toml`` (``layout=`` in Python). A folder of layouts serves
many templates: each file is read with the layout whose ``files`` patterns match its name.
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

from .._units import parse_units
from .._vocab import columns as C
from ..exceptions import ConfigError, DakMonitorError

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
        for key in ("files", "sheets", "skip_matching"):
            if key in data:
                v = data[key]
                if isinstance(v, str):
                    v = [v]
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    fail(key, "must be a list of text")
                out[key] = tuple(v)
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
        """Whether this layout is for the file (any ``files`` pattern matches its name, case
        folded; a layout without patterns is for every file)."""
        name = Path(path).name.lower()
        return not self.files or any(fnmatch.fnmatch(name, p.lower()) for p in self.files)

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
    def to_toml(self) -> str:
        """The layout as a commented TOML file, every key explained."""
        def q(s: str) -> str:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

        def lst(v: Iterable[object]) -> str:
            return "[" + ", ".join(q(x) if isinstance(x, str) else str(x) for x in v) + "]"

        lines = [
            "# dak_monitor layout: how to read one template (README, \"Your office's template\").",
            "# Edit what is wrong and pass it back: dak-monitor report FILES --layout THIS.toml",
            "# Every key is optional; a key left out (or commented out) is found by the reader.",
            "",
            "# which files this layout is for, in a folder of layouts (patterns on the name)",
            f"files = {lst(self.files)}",
            "# \"nonfisik\" (BOKB) or \"fisik\" (DAK fisik subbidang KB)",
            f"kind = {q(self.kind)}" if self.kind else "# kind = \"fisik\"",
            "# the fiscal year and the period the file reports (YYYY-MM)",
            f"tahun = {self.tahun}" if self.tahun else "# tahun = 2024",
            f"periode = {q(self.periode)}" if self.periode else "# periode = \"2024-06\"",
            "# the region of a one-office file (a code or an unambiguous name)",
            f"wilayah = {q(self.wilayah)}" if self.wilayah else "# wilayah = \"32.05\"",
            "# only these sheets of a workbook",
            f"sheets = {lst(self.sheets)}",
            "# the rows of the header (one to three, as inspect numbers the rows)",
            f"header_rows = {lst(self.header_rows)}" if self.header_rows
            else "header_rows = []  # e.g. [4], or [4, 5] for a header on two rows",
            "# the header of the pagu column, when two budget columns compete",
            f"pagu = {q(self.pagu)}" if self.pagu else "# pagu = \"dpa simda\"",
            "# rows that are not data: by number, or by a regular expression on their text",
            f"skip_rows = {lst(self.skip_rows)}",
            f"skip_matching = {lst(self.skip_matching)}",
            "",
            "# money units per column: rupiah, ribu, juta, miliar (\"*\" for every column)",
            "[units]",
            *[f"{q(c) if c == '*' else c} = {q(u)}" for c, u in self.units.items()],
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


def layout_for(layouts: tuple[Layout, ...], path: str | os.PathLike[str]) -> Layout | None:
    """The layout for a file: the first whose ``files`` patterns match its name, else the
    first without patterns (a layout for every file), else None."""
    return next((lay for lay in layouts if lay.files and lay.matches(path)), None) or next(
        (lay for lay in layouts if not lay.files), None)
