"""The decorations a written export can carry, and how a messy layout draws them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from .._vocab import columns as C
from .simulate import _BULAN

_DROPPABLE: Final = (C.KODE_PROVINSI, C.OPD, C.SUBBIDANG, C.PERSEN_CAPAIAN_OUTPUT, C.KETERANGAN)

_SIGNERS: Final = ("Drs. H. Asep Sunandar, M.Si.", "Dra. Hj. Euis Rahmawati, M.M.",
                   "Dr. Dedi Supriadi, S.Sos., M.Si.", "René Kurniawan, S.E., M.Ak.")

_CHOICES: Final[dict[str, tuple[Any, ...]]] = {
    "title": (False, True),
    "period_columns": (True, False),
    "two_row_header": (False, True),
    "header_style": ("standard", "varied"),
    "numbering_row": (False, True),
    "units": ("rupiah", "ribuan"),
    "money_prefix": ("", "Rp ", "Rp."),
    "money_suffix": ("", ",-"),
    "zero_as_dash": (False, True),
    "percent_form": ("text", "text_pct", "number", "fraction"),
    "date_form": ("dd/mm/yyyy", "dd-mm-yyyy", "d mmmm yyyy", "date_cell", "serial"),
    "periode_form": ("month_year", "sd_month_year", "mm/yyyy", "month_end"),
    "code_form": ("dotted", "compact", "trailing_dot", "spaced", "number"),
    "name_form": ("official", "kab_dot", "upper", "upper_full", "bare"),
    "numbers_as_text": (False, True),
    "subtotals": (False, True),
    "grand_total": (False, True),
    "total_label": ("TOTAL", "JUMLAH", "Grand Total"),
    "group_headers": (False, True),
    "blank_rows": (False, True),
    "footer": (False, True),
    "sep": (";", ","),
    "encoding": ("utf-8", "utf-8-sig", "cp1252"),
    "line_terminator": ("\n", "\r\n"),
    "sheet_per_region": (False, True),
}
_FREE_OPTIONS: Final = ("sheet_name", "drop_columns", "total_adjust")
_XLSX_ONLY: Final = {"percent_form": ("number", "fraction"), "date_form": ("date_cell", "serial"),
                     "code_form": ("number",)}
_CSV_ONLY_OPTIONS: Final = ("sep", "encoding", "line_terminator")
_XLSX_ONLY_OPTIONS: Final = ("numbers_as_text", "sheet_per_region", "sheet_name")

def _resolve_options(layout: str, seed: int, fmt: str, frame: pd.DataFrame, kind: str,
                     columns: list[str], options: Mapping[str, Any]) -> dict[str, Any]:
    unknown = [k for k in options if k not in _CHOICES and k not in _FREE_OPTIONS]
    if unknown:
        msg = (f"write_export: unknown option(s) {unknown}; known options: "
               f"{sorted([*_CHOICES, *_FREE_OPTIONS])}")
        raise TypeError(msg)
    if fmt == "xlsx":
        bad = [k for k in _CSV_ONLY_OPTIONS if k in options]
    else:
        bad = [k for k in _XLSX_ONLY_OPTIONS if k in options]
    if bad:
        msg = f"write_export: option(s) {bad} do not apply to .{fmt} files"
        raise ValueError(msg)
    for key, value in options.items():
        if key in _CHOICES and key != "percent_form" and value not in _CHOICES[key]:
            msg = f"write_export: {key}={value!r} is not one of {list(_CHOICES[key])}"
            raise ValueError(msg)
        if fmt == "csv" and key in _XLSX_ONLY and value in _XLSX_ONLY[key]:
            msg = f"write_export: {key}={value!r} is only possible in .xlsx files"
            raise ValueError(msg)
    periods = frame[[c for c in (C.TAHUN, C.PERIODE) if c in frame.columns]].drop_duplicates()
    single = len(periods) <= 1 and C.PERIODE in frame.columns
    n_regions = frame[C.KODE_WILAYAH].nunique() if C.KODE_WILAYAH in frame.columns else 0
    xlsx = fmt == "xlsx"
    opts: dict[str, Any] = {
        "title": False, "period_columns": True, "two_row_header": False,
        "header_style": "standard", "numbering_row": False, "units": "rupiah",
        "money_prefix": "", "money_suffix": "", "zero_as_dash": False,
        "percent_form": "number" if xlsx else "text", "date_form":
        "date_cell" if xlsx else "dd/mm/yyyy", "periode_form": "month_year",
        "code_form": "dotted", "name_form": "official", "numbers_as_text": False,
        "subtotals": False, "grand_total": False, "total_label": "TOTAL",
        "group_headers": False, "blank_rows": False, "footer": False, "sep": ";",
        "encoding": "utf-8", "line_terminator": "\n", "sheet_per_region": False,
        "sheet_name": "Laporan", "drop_columns": (), "total_adjust": {},
    }
    rng = np.random.default_rng([seed, 0x3E55])
    if layout == "messy":
        # Draw every decoration in a fixed order, then let explicit options override, so
        # forcing one option does not change the others.
        def pick(values: Sequence[Any]) -> Any:
            return values[int(rng.integers(len(values)))]

        def coin(p: float) -> bool:
            return bool(rng.random() < p)

        draw: dict[str, Any] = {
            "title": coin(0.8),
            "period_columns": not (single and coin(0.4)),
            "two_row_header": coin(0.5),
            "header_style": "varied",
            "numbering_row": coin(0.4),
            "units": "ribuan" if coin(0.25) else "rupiah",
            "money_prefix": pick(("", "", "Rp ", "Rp.")),
            "money_suffix": pick(("", "", ",-")),
            "zero_as_dash": coin(0.6),
            "percent_form": {c: pick(("text", "text_pct", "number", "fraction") if xlsx
                                     else ("text", "text_pct"))
                             for c in C.PERCENT_COLUMNS},
            "date_form": pick(_CHOICES["date_form"] if xlsx else _CHOICES["date_form"][:3]),
            "periode_form": pick(_CHOICES["periode_form"]),
            "code_form": pick(_CHOICES["code_form"] if xlsx else _CHOICES["code_form"][:4]),
            "name_form": pick(("official", "kab_dot", "upper", "upper_full", "bare")),
            "numbers_as_text": xlsx and coin(0.4),
            "subtotals": single and coin(0.5),
            "grand_total": single and coin(0.6),
            "total_label": pick(_CHOICES["total_label"]),
            "group_headers": coin(0.4),
            "blank_rows": coin(0.4),
            "footer": coin(0.6),
            "sep": ";" if coin(0.7) else ",",
            "encoding": pick(_CHOICES["encoding"]),
            "line_terminator": pick(_CHOICES["line_terminator"]),
            "sheet_per_region": xlsx and n_regions > 1 and coin(0.35),
            "sheet_name": pick(("Laporan", "Sheet1", "Realisasi", "Data")),
            "drop_columns": (C.KODE_PROVINSI,) if coin(0.5) else (),
        }
        opts.update(draw)
        if opts["encoding"] == "cp1252" and not _encodable(frame, "cp1252"):
            opts["encoding"] = "utf-8-sig"
    elif layout != "clean":
        msg = f"write_export: layout must be 'clean' or 'messy', got {layout!r}"
        raise ValueError(msg)
    opts.update(options)
    # --- consistency
    if isinstance(opts["percent_form"], str):
        opts["percent_form"] = dict.fromkeys(C.PERCENT_COLUMNS, opts["percent_form"])
    else:
        forms = dict(opts["percent_form"])
        for c in C.PERCENT_COLUMNS:
            forms.setdefault(c, "number" if xlsx else "text")
        opts["percent_form"] = forms
    for c, form in opts["percent_form"].items():
        if form not in _CHOICES["percent_form"] or (not xlsx and form in _XLSX_ONLY[
                "percent_form"]):
            msg = f"write_export: percent_form {form!r} for {c!r} is not possible in .{fmt}"
            raise ValueError(msg)
    drop = tuple(opts["drop_columns"])
    bad_drop = [c for c in drop if c not in _DROPPABLE]
    if bad_drop:
        msg = f"write_export: drop_columns may only name {list(_DROPPABLE)}, got {bad_drop}"
        raise ValueError(msg)
    opts["drop_columns"] = drop
    if not opts["period_columns"] and not single:
        if "period_columns" in options:
            msg = ("write_export: period_columns=False needs a frame with a single tahun and "
                   "periode (they then live only in the title block)")
            raise ValueError(msg)
        opts["period_columns"] = True
    for key in ("subtotals", "grand_total"):
        if opts[key] and not single:
            if key in options:
                msg = (f"write_export: {key}=True needs a frame with a single periode "
                       f"(cumulative figures of several months cannot be added up)")
                raise ValueError(msg)
            opts[key] = False
    needs_title = opts["units"] == "ribuan" or not opts["period_columns"]
    if needs_title and not opts["title"]:
        if options.get("title") is False:
            msg = ("write_export: title=False is impossible with units='ribuan' or "
                   "period_columns=False (the title block must say it)")
            raise ValueError(msg)
        opts["title"] = True
    if opts["total_adjust"] and not opts["grand_total"]:
        msg = "write_export: total_adjust needs grand_total=True"
        raise ValueError(msg)
    opts["sheet_per_region"] = bool(xlsx and opts["sheet_per_region"])
    opts["_single"] = single
    opts["_header_rng"] = int(rng.integers(2**31))
    opts["_stamp"] = int(rng.integers(2**31))
    return opts


def _encodable(frame: pd.DataFrame, encoding: str) -> bool:
    for c in frame.columns:
        if frame[c].dtype.kind in "biufcmM":
            continue
        text = "\n".join(str(v) for v in frame[c].dropna().unique())
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            return False
    for s in (*_SIGNERS, *_BULAN):
        try:
            s.encode(encoding)
        except UnicodeEncodeError:  # pragma: no cover - constants are cp1252-safe
            return False
    return True

