"""``inspect_export``: what the reader understood of each file and sheet, and what would fix
what it did not (the option, or the layout entry), for a terminal and as JSON."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .._text import col_letter, printable
from .._vocab import columns as C
from ..exceptions import ConfigError, OutputError
from .export import Export, _read_export
from .header import _alias_lookup, _Header, _merge_aliases, _norm_label
from .layout import Layout, fingerprint
from .rows import LEVELS, SKIP_REASONS

#: Row classes shown, in this order, with two examples each.
_CLASSES = ("data", *SKIP_REASONS)
_EXAMPLES = 2


@dataclass(frozen=True)
class Inspection:
    """What :func:`inspect_export` found: one entry per file and sheet (``sheets``, plain
    values that serialise to JSON) and the :class:`~dak_monitor.Export` it read.

    ``str(inspection)`` is the terminal form; :meth:`to_dict` the machine form.
    """

    sheets: tuple[dict[str, Any], ...]
    export: Export
    _seen: tuple[Mapping[str, Any], ...] = field(default=(), repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when every sheet that has a header was read (nothing missing)."""
        return not any(s.get("missing") or s.get("problem") for s in self.sheets)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: ``{"ok": …, "sheets": [...]}``."""
        return {"ok": self.ok, "sheets": [dict(s) for s in self.sheets]}

    def summary(self) -> str:
        """The terminal form: per sheet the kind and why, the header mapping, units, period,
        region, row classes with examples, and what to pass for what is missing."""
        return "\n\n".join(_sheet_text(s) for s in self.sheets) or "(no files)"

    def __str__(self) -> str:
        return self.summary()

    def layout(self, index: int | None = None) -> Layout:
        """What the reader decided for one sheet (the first read with a header, by default)
        as a :class:`~dak_monitor.Layout`: reading the file with it gives the same rows.

        Raises :class:`~dak_monitor.ConfigError` when no sheet had a header.
        """
        cands = [k for k, s in enumerate(self.sheets) if "header_rows" in s]
        if index is None:
            index = cands[0] if cands else next(
                (k for k, s in enumerate(self.sheets) if "kind" in s), None)
            if index is None:
                msg = "no sheet could be opened: there is no layout to write"
                raise ConfigError(msg)
        s = self.sheets[index]
        if "header_rows" not in s:  # a skeleton: the header's rows and names are the user's
            return Layout.from_mapping({"kind": s["kind"], **(
                {"sheets": [s["sheet"]]} if s.get("sheet") else {})})
        return _layout_of(s, self._seen[index])[0]

    def layout_toml(self, index: int | None = None) -> str:
        """:meth:`layout` as the commented TOML that :meth:`write_layout` writes: what the
        reader found in this file but a layout should not pin (the period, the region, the
        header's rows) is shown in commented lines, ready to uncomment."""
        lay = self.layout(index)
        cands = [k for k, s in enumerate(self.sheets) if "header_rows" in s]
        at = index if index is not None else (cands[0] if cands else None)
        found = _layout_of(self.sheets[at], self._seen[at])[1] if at is not None and \
            "header_rows" in self.sheets[at] else {}
        return lay.to_toml(found=found)

    def write_layout(self, path: str | os.PathLike[str], index: int | None = None) -> Path:
        """Write :meth:`layout` as a commented TOML file and return its path. An existing file
        is replaced only when it is a layout itself (written by this method)."""
        out = Path(path)
        if out.exists() and (not out.is_file() or not out.read_bytes().startswith(
                _LAYOUT_MARK.encode())):
            msg = (f"{out}: exists and is not a dak_monitor layout; choose another name (it is "
                   f"never overwritten)")
            raise OutputError(msg)
        text = self.layout_toml(index)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
        return out

    def __repr__(self) -> str:
        n = len(self.sheets)
        return f"<Inspection of {n} sheet(s), {'ok' if self.ok else 'something missing'}>"


def inspect_export(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    kind: str | None = None,
    **options: Any,
) -> Inspection:
    """Show what the reader understands of each file and sheet, and what would fix the rest.

    Takes the options of :func:`~dak_monitor.read_export`. Unlike it, a file that cannot be
    read does not raise: its entry says why, and which option would supply what is missing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "kendali.csv").write_text(
    ...     "KARTU KENDALI DAK NONFISIK BOKB\\nTAHUN ANGGARAN 2024\\nSAMPAI DENGAN TAHAP-2\\n"
    ...     "Kode Wilayah;Menu;Pagu;Realisasi\\n32.05;Operasional BKB;1.000.000;400.000\\n")
    >>> ins = inspect_export(d / "kendali.csv")
    >>> ins.ok, ins.sheets[0]["suggest"][0]["option"]
    (False, '--periode YYYY-MM')
    >>> inspect_export(d / "kendali.csv", periode="2024-06").ok
    True
    """
    trace: list[dict[str, Any]] = []
    export = _read_export(paths, kind, trace=trace, **options)
    aliases = _merge_aliases(options.get("aliases"))
    return Inspection(tuple(_describe(t, export, aliases) for t in trace), export,
                      tuple(trace))


_LAYOUT_MARK = "# dak_monitor layout"


def _layout_of(s: Mapping[str, Any], seen: Mapping[str, Any]
               ) -> tuple[Layout, dict[str, Any]]:
    """A sheet's decisions as a layout, and what the reader found in this one file.

    The template's own facts are set: kind, units, aliases, the pagu column, the sheet, its
    header texts. What changes from file to file — the year, period and region from a title
    or a name, the header's rows (another office's title may be a line longer) — is set only
    when the caller or a layout said it; otherwise it is returned as *found*, which
    :meth:`Layout.to_toml` writes as commented lines, so a layout kept for a template never
    pins one month's period on the next month's file. The sheet's name is shown, not
    pinned, for the same reason.
    """
    header: _Header = seen["header"]
    given = seen.get("given", {})
    data: dict[str, Any] = {"kind": s["kind"]}
    found: dict[str, Any] = {}
    if seen.get("sheet"):  # another office's workbook may name its sheet otherwise
        found["sheets"] = [seen["sheet"]]
    (data if given.get("header_rows") else found)["header_rows"] = list(s["header_rows"])
    for key, value in (("tahun", s["tahun"]["value"]), ("periode", s["periode"]["value"]),
                       ("wilayah", s["region"]["value"])):
        if value is not None and s["region" if key == "wilayah" else key]["from"] != \
                "its column":
            (data if given.get(key) else found)[key] = value
    # A unit the user gave is pinned; one the file states is shown (a pinned unit would
    # override next month's title if it changed: 1,000 times off, silently); an assumed one
    # is neither.
    units = s.get("units", {})
    data["units"] = {c: u["unit"] for c, u in units.items()
                     if u["from"] in ("the layout", "units=")}
    found["units"] = {c: (u["unit"], u["from"]) for c, u in units.items()
                      if u["from"] not in ("the layout", "units=") and
                      not u["from"].startswith("nothing stated")}
    aliases: dict[str, list[str]] = {}
    for j in sorted(header.labels):
        for canon, cols in header.columns.items():
            if j in cols:
                aliases.setdefault(canon, [])
                if header.labels[j] not in aliases[canon]:
                    aliases[canon].append(header.labels[j])
    data["aliases"] = aliases
    data["headers"] = fingerprint(
        _norm_label(t) for j in sorted(header.raw) for t in sorted(header.raw[j]))
    pagu = header.columns.get(C.PAGU, [])
    if len(pagu) == 1 and list(header.labels.values()).count(header.labels[pagu[0]]) == 1:
        data["pagu"] = header.labels[pagu[0]]
    return Layout.from_mapping(data), found


# ------------------------------------------------------------------------------ one sheet
def _describe(seen: Mapping[str, Any], export: Export,
              aliases: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, Any]:
    out: dict[str, Any] = {"file": seen["file"], "sheet": seen["sheet"]}
    if "problem" in seen:
        out["problem"] = seen["problem"]
        return out
    kind = seen["kind"]
    header: _Header | None = seen.get("header")
    title = seen["title"]
    out.update(kind=kind, kind_why=seen["kind_why"])
    if header is None:
        preview = seen["grid"].head(8)
        out["problem"] = ("no header row with the columns of a DAK export in its first rows; "
                          "pass aliases= (or a layout's [aliases]) for its header names")
        out["preview"] = [f"{r}: " + _grid_text(seen["grid"], int(r)) for r in preview.index]
        return out
    out["header_rows"] = [int(r) for r in header.rows]
    mapped = {j: canon for canon, cols in header.columns.items() for j in cols}
    lookup = _alias_lookup(aliases[kind])
    out["columns"] = [{"column": col_letter(j), "header": header.labels[j],
                       "maps_to": mapped.get(j)} for j in sorted(header.labels)]
    # A header that is a known spelling yet not mapped was passed over on purpose (budget
    # codes, the RKA column beside the DPA): the notes say why; it is no near-miss.
    out["unmapped"] = [{"column": col_letter(j), "header": header.labels[j],
                        "known_as": lookup.get(_norm_label(header.labels[j])),
                        "close_match": None if _norm_label(header.labels[j]) in lookup
                        else _close(header.labels[j], lookup, set(header.columns))}
                       for j in sorted(header.labels) if j not in mapped]
    if header.budget_codes:
        out["budget_codes"] = [col_letter(j) for j in header.budget_codes]
    units, unit_from = seen.get("units", {}), seen.get("unit_from", {})
    out["units"] = {c: {"unit": u, "from": unit_from.get(c, "")} for c, u in units.items()}
    given = seen.get("given", {})
    out["tahun"] = {"value": title.tahun, "from": "its column" if C.TAHUN in header.columns
                    else None if title.tahun is None
                    else "the options or layout" if given.get("tahun") or given.get("periode")
                    else "the title or a name"}
    per = title.periode
    out["periode"] = {"value": None if per is None else f"{per:%Y-%m}",
                      "from": "its column" if C.PERIODE in header.columns
                      else (title.periode_from if per is not None else None)}
    has_region_col = C.KODE_WILAYAH in header.columns or C.NAMA_WILAYAH in header.columns
    out["region"] = {"value": None if has_region_col else seen.get("region"),
                     "from": "its column" if has_region_col
                     else None if not seen.get("region")
                     else "the options or layout" if given.get("wilayah")
                     else "the title or the sheet's name"}
    out["notes"] = [printable(n) for n in seen.get("notes", [])]
    if "missing" in seen:
        out["missing"] = seen["missing"]
        out["suggest"] = _suggest(seen, header, out)
        return out
    out["rows"] = _row_classes(seen, export)
    st = seen.get("table")
    if st is not None:  # how deep the outline above the data rows goes
        depth = [int(st.data[LEVELS].map(len).max())] if LEVELS in st.data and len(st.data) \
            else []
        if "tingkat" in st.totals and len(st.totals):
            depth.append(int(pd.to_numeric(st.totals["tingkat"], errors="coerce").max()))
        out["outline_levels"] = max(depth, default=0)
    return out


def _close(label: str, lookup: Mapping[str, str], found: set[str]) -> dict[str, str] | None:
    """The known spelling a header nearly is, for a column the sheet still lacks (one found
    already is no near-miss: ``Triwulan ini`` beside the cumulative realisasi)."""
    free = [k for k, canon in lookup.items() if canon not in found]
    hit = difflib.get_close_matches(_norm_label(label), free, n=1, cutoff=0.88)
    return {"alias": hit[0], "column": lookup[hit[0]]} if hit else None


def _suggest(seen: Mapping[str, Any], header: _Header, out: Mapping[str, Any]
             ) -> list[dict[str, str]]:
    """The option (and the layout entry) that supplies each thing the sheet lacks."""
    msg = seen["missing"]
    tips: list[dict[str, str]] = []
    if out["periode"]["value"] is None and C.PERIODE not in header.columns:
        tips.append({"what": "periode", "option": "--periode YYYY-MM",
                     "layout": 'periode = "YYYY-MM"'})
    if out["tahun"]["value"] is None and C.TAHUN not in header.columns:
        tips.append({"what": "tahun", "option": "--tahun YYYY", "layout": "tahun = YYYY"})
    if out["region"]["value"] is None and out["region"]["from"] is None:
        tips.append({"what": "wilayah", "option": "--wilayah 32.05",
                     "layout": 'wilayah = "32.05"'})
    required = [c for c in C.REQUIRED[seen["kind"]] if c not in header.columns and
                c not in (C.TAHUN, C.PERIODE, C.KODE_WILAYAH, C.NAMA_WILAYAH)]
    for col in required:
        if f" {col} " not in f" {msg} ".replace("(", " ").replace(",", " "):
            continue
        near = [u for u in out["unmapped"] if u["close_match"] and
                u["close_match"]["column"] == col]
        name = near[0]["header"] if near else "<its header text>"
        tips.append({"what": col, "option": f'--aliases FILE with {col} = ["{name}"]',
                     "layout": f'[aliases] {col} = ["{name}"]'})
    other = C.FISIK if seen["kind"] == C.NONFISIK else C.NONFISIK
    tips.append({"what": "kind", "option": f"--kind {other} (if it is DAK {other})",
                 "layout": f'kind = "{other}"'})
    return tips


def _row_classes(seen: Mapping[str, Any], export: Export) -> dict[str, Any]:
    file, sheet = seen["file"], seen["sheet"]
    skipped = export.skipped
    mine = skipped[(skipped[C.SUMBER_FILE] == file) & (skipped[C.SUMBER_SHEET] == sheet)]
    data = export.data
    rows = data[(data[C.SUMBER_FILE] == file) & (data[C.SUMBER_SHEET] == sheet)]
    grid = seen["grid"]
    classes: dict[str, Any] = {}
    if len(rows):
        first = rows[C.SUMBER_BARIS].head(_EXAMPLES).tolist()
        classes["data"] = {"count": len(rows), "examples": [
            {"row": int(r), "text": _grid_text(grid, int(r))} for r in first]}
    for reason, group in mine.groupby("alasan", sort=False):
        classes[str(reason)] = {"count": len(group), "examples": [
            {"row": int(r), "text": _flat(str(t))}
            for r, t in zip(group[C.SUMBER_BARIS].head(_EXAMPLES),
                            group["isi"].head(_EXAMPLES), strict=True)]}
    ordered = {k: classes[k] for k in _CLASSES if k in classes}
    ordered.update({k: v for k, v in classes.items() if k not in ordered})
    return {"read": len(rows) + len(mine), "classes": ordered}


def _grid_text(grid: pd.DataFrame, row: int) -> str:
    if row not in grid.index:
        return ""
    cells = [str(v).strip() for v in grid.loc[row].tolist() if v is not None and str(v).strip()]
    return _flat(" | ".join(cells))


def _flat(text: str) -> str:
    """A cell's text on one line, escaped for a terminal, at most 120 characters."""
    return printable(" ".join(text.split()))[:120]


# ----------------------------------------------------------------------------- the text
def _sheet_text(s: Mapping[str, Any]) -> str:
    where = printable(s["file"]) + (f" [{printable(s['sheet'])}]" if s.get("sheet") else "")
    lines = [where]
    if "kind" in s:
        lines.append(f"  jenis / kind: {s['kind']} — {s['kind_why']}")
    if s.get("problem") and "header_rows" not in s:
        lines.append(f"  TIDAK DIBACA / NOT READ: {printable(s['problem'])}")
        lines += [f"    {printable(p)}" for p in s.get("preview", []) if p]
        return "\n".join(lines)
    lines.append(f"  baris judul kolom / header rows: {', '.join(map(str, s['header_rows']))}")
    known = {u["column"]: u["known_as"] for u in s["unmapped"] if u.get("known_as")}
    for c in s["columns"]:
        target = c["maps_to"] or (f"— ({known[c['column']]} passed over: see the notes)"
                                  if c["column"] in known else "—")
        lines.append(f"    {c['column']:>3}  {printable(c['header'])[:60]:<60} -> {target}")
    near = [u for u in s["unmapped"] if u["close_match"]]
    for u in near:
        m = u["close_match"]
        lines.append(f"    {u['column']:>3}  '{printable(u['header'])}' looks like "
                     f"'{m['alias']}' ({m['column']}): add it with aliases")
    if s.get("budget_codes"):
        lines.append(f"  kode anggaran / budget codes: {', '.join(s['budget_codes'])}")
    if s["units"]:
        lines.append("  satuan / units: " + "; ".join(
            f"{c} {u['unit']} ({u['from']})" for c, u in s["units"].items()))
    for key in ("tahun", "periode", "region"):
        v = s[key]
        lines.append(f"  {key}: {v['value'] if v['value'] is not None else '—'}"
                     + (f" (from {v['from']})" if v["from"] else " (not found)"))
    if "rows" in s:
        lines.append(f"  baris / rows: {s['rows']['read']} dibaca / read")
        for name, c in s["rows"]["classes"].items():
            ex = "; ".join(f"{e['row']}: {e['text'][:50]}" for e in c["examples"])
            lines.append(f"    {name:<14} {c['count']:>6}   {ex}")
        if s.get("outline_levels"):
            lines.append(f"  tingkat / outline levels: {s['outline_levels']}")
    for n in s.get("notes", []):
        lines.append(f"  catatan / note: {n}")
    if s.get("missing"):
        lines.append(f"  KURANG / MISSING: {printable(s['missing'])}")
        for t in s.get("suggest", []):
            lines.append(f"    {t['what']}: {t['option']}   (layout: {t['layout']})")
    return "\n".join(lines)
