"""The decorations a written export can carry, and how the messy layout draws them.

Each decoration is one :class:`Decoration` of :data:`DECORATIONS`: its name (the keyword
option of :func:`~dak_monitor.datasets.write_export`), the values it may take, its value in
the clean layout and how the messy layout draws it. Every draw comes from a random stream of
its own, keyed by the seed and the decoration's *name* (:func:`stream`): adding a
decoration, changing the values or odds of one, or forcing one changes the draws of that
decoration only. The header spellings (:mod:`dak_monitor.datasets.headers`), the download
stamp of the title block and the signature of the footer have named streams of their own too.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from .._vocab import columns as C
from .simulate import _BULAN

__all__ = ["DECORATIONS", "Context", "Decoration", "resolve_options", "stream"]

#: Mixed into every stream key, so that decoration streams differ from the simulator's.
_STREAM_KEY: Final = 0x3E55

_DROPPABLE: Final = (C.KODE_PROVINSI, C.OPD, C.SUBBIDANG, C.PERSEN_CAPAIAN_OUTPUT, C.KETERANGAN)

_SIGNERS: Final = ("Drs. H. Asep Sunandar, M.Si.", "Dra. Hj. Euis Rahmawati, M.M.",
                   "Dr. Dedi Supriadi, S.Sos., M.Si.", "René Kurniawan, S.E., M.Ak.")


def stream(seed: int, name: str) -> np.random.Generator:
    """Return the random stream of one named decoration for ``seed``.

    The stream is seeded by ``seed`` and a stable hash (CRC-32) of ``name``, so it depends on
    nothing else: not on the other decorations, their order, or how many draws they take.

    Parameters
    ----------
    seed : int
        Non-negative layout seed (the ``seed`` of ``write_export``).
    name : str
        Name of the decoration, e.g. ``"title"`` or ``"header:pagu"``.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> from dak_monitor.datasets.options import stream
    >>> stream(3, "title").random() == stream(3, "title").random()
    True
    >>> stream(3, "title").random() == stream(3, "footer").random()
    False
    """
    return np.random.default_rng([int(seed), _STREAM_KEY, zlib.crc32(name.encode("utf-8"))])


@dataclass(frozen=True, slots=True)
class Context:
    """What a decoration's clean value and messy draw may depend on."""

    xlsx: bool  #: the file is an XLSX workbook (else a CSV file)
    single: bool  #: the frame holds a single tahun and periode
    n_regions: int  #: number of regions in the frame


@dataclass(frozen=True, slots=True)
class Decoration:
    """One decoration (layout option) of a written export.

    Examples
    --------
    >>> import numpy as np
    >>> from dak_monitor.datasets.options import Context, Decoration
    >>> footer = Decoration("footer", (False, True), clean=lambda ctx: False,
    ...                     draw=lambda rng, ctx: bool(rng.random() < 0.6))
    >>> footer.clean(Context(xlsx=False, single=True, n_regions=3))
    False
    """

    #: Option name (keyword of ``write_export``).
    name: str
    #: Values a forced option may take; ``None`` for a free value checked elsewhere.
    values: tuple[Any, ...] | None
    #: Value in the clean layout.
    clean: Callable[[Context], Any]
    #: Draw of the messy layout from the decoration's own stream; ``None`` keeps ``clean``.
    draw: Callable[[np.random.Generator, Context], Any] | None = None
    #: ``"csv"`` or ``"xlsx"`` when the option applies to that file type only.
    only: str | None = None
    #: Values only possible in an XLSX workbook.
    xlsx_values: tuple[Any, ...] = ()


def _is(value: Any) -> Callable[[Context], Any]:
    def clean(ctx: Context) -> Any:
        return dict(value) if isinstance(value, dict) else value
    return clean


def _coin(p: float, when: Callable[[Context], bool] = lambda ctx: True,
          ) -> Callable[[np.random.Generator, Context], bool]:
    def draw(rng: np.random.Generator, ctx: Context) -> bool:
        return bool(when(ctx) and rng.random() < p)
    return draw


def _pick(values: Sequence[Any], csv: Sequence[Any] | None = None,
          ) -> Callable[[np.random.Generator, Context], Any]:
    """Uniform pick from ``values`` (from ``csv`` in a CSV file when given); repeats weigh."""
    def draw(rng: np.random.Generator, ctx: Context) -> Any:
        vals = values if ctx.xlsx or csv is None else csv
        return vals[int(rng.integers(len(vals)))]
    return draw


_PERCENT_FORMS: Final = ("text", "text_pct", "number", "fraction")
_DATE_FORMS: Final = ("dd/mm/yyyy", "dd-mm-yyyy", "d mmmm yyyy", "date_cell", "serial")
_CODE_FORMS: Final = ("dotted", "compact", "trailing_dot", "spaced", "number")


def _draw_percent_form(rng: np.random.Generator, ctx: Context) -> dict[str, str]:
    forms = _PERCENT_FORMS if ctx.xlsx else _PERCENT_FORMS[:2]
    return {c: forms[int(rng.integers(len(forms)))] for c in C.PERCENT_COLUMNS}


#: The decorations, in the order of ``attrs["options"]`` of the row map. Documented one by
#: one under *Options* in :func:`~dak_monitor.datasets.write_export`.
DECORATIONS: tuple[Decoration, ...] = (
    Decoration("title", (False, True), _is(False), _coin(0.8)),
    Decoration("period_columns", (True, False), _is(True),
               lambda rng, ctx: not (ctx.single and rng.random() < 0.4)),
    Decoration("two_row_header", (False, True), _is(False), _coin(0.5)),
    Decoration("header_style", ("standard", "varied"), _is("standard"),
               lambda rng, ctx: "varied"),
    Decoration("numbering_row", (False, True), _is(False), _coin(0.4)),
    Decoration("units", ("rupiah", "ribuan"), _is("rupiah"),
               lambda rng, ctx: "ribuan" if rng.random() < 0.25 else "rupiah"),
    Decoration("money_prefix", ("", "Rp ", "Rp."), _is(""), _pick(("", "", "Rp ", "Rp."))),
    Decoration("money_suffix", ("", ",-"), _is(""), _pick(("", "", ",-"))),
    Decoration("zero_as_dash", (False, True), _is(False), _coin(0.6)),
    Decoration("percent_form", _PERCENT_FORMS,
               lambda ctx: "number" if ctx.xlsx else "text", _draw_percent_form,
               xlsx_values=("number", "fraction")),
    Decoration("date_form", _DATE_FORMS, lambda ctx: "date_cell" if ctx.xlsx else "dd/mm/yyyy",
               _pick(_DATE_FORMS, csv=_DATE_FORMS[:3]), xlsx_values=("date_cell", "serial")),
    Decoration("periode_form", ("month_year", "sd_month_year", "mm/yyyy", "month_end"),
               _is("month_year"), _pick(("month_year", "sd_month_year", "mm/yyyy", "month_end"))),
    Decoration("code_form", _CODE_FORMS, _is("dotted"), _pick(_CODE_FORMS, csv=_CODE_FORMS[:4]),
               xlsx_values=("number",)),
    Decoration("name_form", ("official", "kab_dot", "upper", "upper_full", "bare"),
               _is("official"), _pick(("official", "kab_dot", "upper", "upper_full", "bare"))),
    Decoration("numbers_as_text", (False, True), _is(False),
               _coin(0.4, when=lambda ctx: ctx.xlsx), only="xlsx"),
    Decoration("subtotals", (False, True), _is(False), _coin(0.5, when=lambda ctx: ctx.single)),
    Decoration("grand_total", (False, True), _is(False),
               _coin(0.6, when=lambda ctx: ctx.single)),
    Decoration("total_label", ("TOTAL", "JUMLAH", "Grand Total"), _is("TOTAL"),
               _pick(("TOTAL", "JUMLAH", "Grand Total"))),
    Decoration("group_headers", (False, True), _is(False), _coin(0.4)),
    Decoration("blank_rows", (False, True), _is(False), _coin(0.4)),
    Decoration("footer", (False, True), _is(False), _coin(0.6)),
    Decoration("sep", (";", ","), _is(";"), lambda rng, ctx: ";" if rng.random() < 0.7 else ",",
               only="csv"),
    Decoration("encoding", ("utf-8", "utf-8-sig", "cp1252"), _is("utf-8"),
               _pick(("utf-8", "utf-8-sig", "cp1252")), only="csv"),
    Decoration("line_terminator", ("\n", "\r\n"), _is("\n"), _pick(("\n", "\r\n")), only="csv"),
    Decoration("sheet_per_region", (False, True), _is(False),
               _coin(0.35, when=lambda ctx: ctx.xlsx and ctx.n_regions > 1), only="xlsx"),
    Decoration("sheet_name", None, _is("Laporan"),
               _pick(("Laporan", "Sheet1", "Realisasi", "Data")), only="xlsx"),
    Decoration("drop_columns", None, _is(()),
               lambda rng, ctx: (C.KODE_PROVINSI,) if rng.random() < 0.5 else ()),
    Decoration("total_adjust", None, _is({})),
)


def _only(fmt: str) -> tuple[str, ...]:
    """Names of the options that apply to ``fmt`` files only."""
    return tuple(d.name for d in DECORATIONS if d.only == fmt)


def resolve_options(layout: str, seed: int, fmt: str, frame: pd.DataFrame,
                    options: Mapping[str, Any]) -> dict[str, Any]:
    """Return every decoration's value for one written file: drawn, forced, made consistent.

    ``layout="clean"`` takes each decoration's clean value, ``"messy"`` draws each one that
    is not forced from its own stream (:func:`stream`); forced ``options`` then win, and the
    result is made consistent (e.g. ``units="ribuan"`` needs a title block). Keys starting
    with ``_`` are for the writer: ``_single``, ``_seed``, ``_download`` (days and minutes
    after the last period end of the title's download stamp, or None) and ``_signature``
    (days after the last period end of the footer's date, and the signer).

    Parameters
    ----------
    layout : {"clean", "messy"}
    seed : int
        Non-negative layout seed.
    fmt : {"csv", "xlsx"}
    frame : DataFrame
        The frame to write (periods, regions and text decide what is possible).
    options : mapping
        Forced decorations (keyword options of ``write_export``).

    Returns
    -------
    dict

    Raises
    ------
    TypeError
        For an unknown option name.
    ValueError
        For an unknown layout or option value, or options that cannot go together.

    Examples
    --------
    >>> import pandas as pd
    >>> from dak_monitor.datasets.options import resolve_options
    >>> frame = pd.DataFrame({"tahun": [2024], "periode": [pd.Timestamp("2024-06-30")],
    ...                       "kode_wilayah": ["32.04"]})
    >>> opts = resolve_options("messy", 3, "csv", frame, {"units": "ribuan"})
    >>> opts["units"], opts["title"]
    ('ribuan', True)
    >>> resolve_options("messy", 3, "csv", frame, {})["sep"] == opts["sep"]
    True
    """
    table = {d.name: d for d in DECORATIONS}
    unknown = [k for k in options if k not in table]
    if unknown:
        msg = f"write_export: unknown option(s) {unknown}; known options: {sorted(table)}"
        raise TypeError(msg)
    bad = [k for k in options if table[k].only not in (None, fmt)]
    if bad:
        msg = f"write_export: option(s) {bad} do not apply to .{fmt} files"
        raise ValueError(msg)
    for key, value in options.items():
        dec = table[key]
        if dec.values is None or (key == "percent_form" and not isinstance(value, str)):
            continue  # free values, and per-column percent forms, are checked below
        if value not in dec.values:
            msg = f"write_export: {key}={value!r} is not one of {list(dec.values)}"
            raise ValueError(msg)
        if fmt == "csv" and value in dec.xlsx_values:
            msg = f"write_export: {key}={value!r} is only possible in .xlsx files"
            raise ValueError(msg)
    if layout not in ("clean", "messy"):
        msg = f"write_export: layout must be 'clean' or 'messy', got {layout!r}"
        raise ValueError(msg)
    periods = frame[[c for c in (C.TAHUN, C.PERIODE) if c in frame.columns]].drop_duplicates()
    single = len(periods) <= 1 and C.PERIODE in frame.columns
    n_regions = frame[C.KODE_WILAYAH].nunique() if C.KODE_WILAYAH in frame.columns else 0
    xlsx = fmt == "xlsx"
    ctx = Context(xlsx=xlsx, single=single, n_regions=int(n_regions))
    opts: dict[str, Any] = {}
    for dec in DECORATIONS:
        if layout == "messy" and dec.draw is not None and dec.name not in options:
            opts[dec.name] = dec.draw(stream(seed, dec.name), ctx)
        else:
            opts[dec.name] = dec.clean(ctx)
    if "encoding" not in options and opts["encoding"] == "cp1252" and not _encodable(
            frame, "cp1252"):
        opts["encoding"] = "utf-8-sig"
    opts.update(options)
    # --- consistency
    percent = table["percent_form"]
    if isinstance(opts["percent_form"], str):
        opts["percent_form"] = dict.fromkeys(C.PERCENT_COLUMNS, opts["percent_form"])
    else:
        forms = dict(opts["percent_form"])
        for c in C.PERCENT_COLUMNS:
            forms.setdefault(c, percent.clean(ctx))
        opts["percent_form"] = forms
    for c, form in opts["percent_form"].items():
        if form not in _PERCENT_FORMS or (not xlsx and form in percent.xlsx_values):
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
    opts["_seed"] = seed
    opts["_download"] = _download_stamp(seed)
    opts["_signature"] = _signature(seed)
    return opts


def _download_stamp(seed: int) -> tuple[int, int] | None:
    """(days, minutes) after the last period end of the title's ``Diunduh:`` line, or None."""
    rng = stream(seed, "download_stamp")
    if rng.random() >= 0.8:
        return None
    return int(rng.integers(3, 11)), int(rng.integers(7 * 60, 17 * 60))


def _signature(seed: int) -> tuple[int, str]:
    """(days after the last period end, signer) of the footer's signature block."""
    rng = stream(seed, "signature")
    return int(rng.integers(3, 11)), _SIGNERS[int(rng.integers(len(_SIGNERS)))]


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
