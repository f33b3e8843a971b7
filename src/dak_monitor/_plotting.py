"""Slide-ready charts of absorption, projections and first-semester contracting.

Every ``plot_*`` function takes the data first, draws on ``ax=`` (or ``fig=`` for small
multiples) when given and otherwise on a new 16:9 figure (13 × 7.3 in), labels in Indonesian
(``lang="id"``, the default) or English (``lang="en"``), returns the Axes (or the Figure) and
never calls ``plt.show()``. Styling is applied inside :func:`matplotlib.pyplot.rc_context` and
with explicit sizes on the artists, so the global ``rcParams`` are left as they were.

Colours are fixed and colour-blind friendly (:data:`STATUS_COLORS`): on-track green, at-risk
orange, will-miss dark red. An OPD whose rows were quarantined by validation
(``data_lengkap`` False) is marked in every chart: grey hatching (``////``), a `` *`` after its
name and a legend entry "data tidak lengkap" / "data incomplete".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from ._absorption import as_frame, month_panel, resolve_as_of
from ._config import Rules
from ._items import item_state
from ._projection import DEFAULT_PROFILE, Projection
from ._regions import load_regions, short_name
from ._vocab import (
    AT_RISK_STATUSES,
    KINDS,
    MARKS,
    PALETTE,
    REPORTED,
    REPORTING_STATUSES,
    S1_CATEGORIES,
    STATUSES,
    check_lang,
    month_name,
)
from ._vocab import columns as C
from .exceptions import ConfigError, OutputError, ProjectionError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "STATUS_COLORS",
    "format_persen",
    "format_rupiah",
    "plot_absorption_curves",
    "plot_absorption_heatmap",
    "plot_first_semester",
    "plot_projection_ranking",
    "plot_reporting_status",
    "save_figures",
]

# ================================================================================== style
#: Fill colour per projection status (ColorBrewer Dark2 green/orange and a dark red that
#: stays distinct from the orange in lightness for red-green colour blindness).
STATUS_COLORS: Final = STATUSES.lines()
INCOMPLETE_COLOR: Final = MARKS["incomplete"].line
INCOMPLETE_HATCH: Final = "////"
_HATCH_COLOR: Final = PALETTE["hatch"]
_NEUTRAL: Final = PALETTE["neutral"]  # curves without a projection status
_PROFILE_COLOR: Final = PALETTE["profile"]
_INK: Final = PALETTE["ink"]

#: First-semester categories: key -> colour (left to right in the stacked bar).
_S1_COLORS: Final = {k: S1_CATEGORIES[k].line for k in
                     ("kontrak_s1", "kontrak_susulan", "swakelola", "tanpa_kontrak")}

_FIGSIZE: Final = (13.0, 7.3)
_VALUE_X: Final = 1.015  # x of the value column right of the 0–100 % bars
_FONT: Final = 12.0
_SMALL: Final = 11.0
_TITLE: Final = 15.0
_SUPTITLE: Final = 16.0

_RC: Final = {
    "font.size": _FONT, "axes.titlesize": _TITLE, "axes.labelsize": _FONT,
    "xtick.labelsize": _SMALL + 0.5, "ytick.labelsize": _SMALL + 0.5,
    "legend.fontsize": _SMALL + 0.5, "figure.titlesize": _SUPTITLE,
    "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100,
    "hatch.linewidth": 0.8, "axes.titlelocation": "left",
}

_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "rank_title": "Proyeksi serapan akhir tahun {kind} — posisi {period}",
        "rank_x": "Serapan (% pagu)",
        "to_date": "serapan s.d. {month}",
        "behind": "(bb/tttt) laporan terakhir OPD",
        "interval": "rentang proyeksi {p}",
        "threshold": "ambang {p}",
        "proj_col": "proyeksi",
        "curve_title": "Serapan kumulatif {kind} per bulan — posisi {period}",
        "curve_one": "{name}: serapan kumulatif {kind} — posisi {period}",
        "curve_y": "Serapan kumulatif (% pagu)",
        "curve_x": "Bulan",
        "actual": "serapan",
        "profile": "profil tipikal",
        "projected": "proyeksi Des.",
        "projected_iv": "proyeksi Des. (rentang {p})",
        "heat_title": "Serapan kumulatif {kind} per OPD dan bulan — posisi {period}",
        "heat_x": "Bulan (abu-abu: belum ada laporan)",
        "heat_cbar": "Serapan kumulatif (% pagu)",
        "rep_title": "Pelaporan {kind} per OPD dan bulan — posisi {period}",
        "rep_x": "Bulan (abu-abu: tidak diharapkan; warna: status laporan)",
        "s1_title": "Kontrak DAK fisik per OPD — batas semester I {cutoff}",
        "s1_sub": "% pagu DAK fisik · posisi {period} · batas kontrak {deadline}",
        "s1_x": "Bagian pagu DAK fisik (%)",
        "pagu_col": "pagu",
    },
    "en": {
        "rank_title": "Projected year-end absorption, {kind} — as of {period}",
        "rank_x": "Absorption (% of pagu)",
        "to_date": "absorbed to {month}",
        "behind": "(mm/yyyy) the OPD's latest report",
        "interval": "projection interval {p}",
        "threshold": "threshold {p}",
        "proj_col": "projected",
        "curve_title": "Cumulative {kind} absorption by month — as of {period}",
        "curve_one": "{name}: cumulative {kind} absorption — as of {period}",
        "curve_y": "Cumulative absorption (% of pagu)",
        "curve_x": "Month",
        "actual": "absorption",
        "profile": "typical profile",
        "projected": "projected Dec.",
        "projected_iv": "projected Dec. ({p} interval)",
        "heat_title": "Cumulative {kind} absorption by OPD and month — as of {period}",
        "heat_x": "Month (grey: not reported yet)",
        "heat_cbar": "Cumulative absorption (% of pagu)",
        "rep_title": "{kind} reporting by OPD and month — as of {period}",
        "rep_x": "Month (grey: not expected; colour: report status)",
        "s1_title": "DAK fisik contracting by OPD — semester I cut-off {cutoff}",
        "s1_sub": "% of DAK fisik pagu · as of {period} · contract deadline {deadline}",
        "s1_x": "Share of DAK fisik pagu (%)",
        "pagu_col": "pagu",
    },
}


for _lang, _txt in _TEXT.items():  # the vocabulary's words, declared once in _vocab
    _txt.update({**KINDS.labels(_lang, short=True), **STATUSES.labels(_lang),
                 "incomplete": "* " + MARKS.label("incomplete", _lang),
                 **S1_CATEGORIES.labels(_lang),
                 "tanpa_kontrak_open": S1_CATEGORIES.label("tanpa_kontrak", _lang),
                 "tanpa_kontrak_lost": S1_CATEGORIES.label("tanpa_kontrak_lost", _lang)})


def _t(lang: str) -> dict[str, str]:
    return _TEXT[check_lang(lang)]


def _check_kind(jenis_dak: str) -> str:
    if jenis_dak not in C.KINDS:
        msg = f"jenis_dak must be one of {C.KINDS}, not {jenis_dak!r}"
        raise ConfigError(msg)
    return jenis_dak


@contextmanager
def _style() -> Iterator[None]:
    """Slide style in a scope; global rcParams are restored afterwards."""
    import matplotlib.pyplot as plt

    with plt.rc_context(_RC):
        yield


def _new_axes() -> Axes:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=_FIGSIZE, layout="constrained")
    return fig.add_subplot()


def _darker(color: str, factor: float = 0.55) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r * factor, g * factor, b * factor)


def _hatch(patch: Any, color: str = _HATCH_COLOR) -> Any:
    """Hatch a patch with ``////`` in ``color`` (matplotlib < 3.10: the edge colour)."""
    patch.set_hatch(INCOMPLETE_HATCH)
    if hasattr(patch, "set_hatchcolor"):
        patch.set_hatchcolor(color)
    else:  # pragma: no cover - older matplotlib draws hatches in the edge colour
        patch.set_edgecolor(color)
    return patch


def _tidy(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=_SMALL + 0.5, colors=_INK)


# ============================================================================= formatting
def _group_decimal(text: str) -> str:
    """'1,234.5' (Python) -> '1.234,5' (Indonesian)."""
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_persen(x: object, decimals: int = 1) -> str:
    """Format a fraction as an Indonesian percentage: decimal comma, a space before ``%``.

    Parameters
    ----------
    x : float
        A fraction (0.935 is 93.5 %).
    decimals : int, default 1
        Digits after the comma.

    Returns
    -------
    str
        ``"–"`` for a missing value.

    Examples
    --------
    >>> format_persen(0.935), format_persen(0.93, 0), format_persen(1.0), format_persen(None)
    ('93,5 %', '93 %', '100,0 %', '–')
    """
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    return _group_decimal(f"{100 * v:,.{int(decimals)}f}") + " %"


_RP_UNITS: Final = ((1e12, "T"), (1e9, "M"), (1e6, "jt"), (1e3, "rb"), (1.0, ""))


def _short_number(x: float) -> str:
    decimals = 0 if x >= 100 else 1
    s = f"{x:,.{decimals}f}"
    if s.endswith(".0"):
        s = s[:-2]
    return _group_decimal(s)


def format_rupiah(value: object) -> str:
    """Format Rupiah the short Indonesian way: ``Rp 1,2 M``, ``Rp 450 jt``, ``Rp 12 rb``.

    Units: ``T`` triliun (≥ 10¹²), ``M`` miliar (≥ 10⁹), ``jt`` juta (≥ 10⁶), ``rb``
    ribu (≥ 10³). One decimal (decimal comma) below 100 units, none from 100 up; a
    trailing ``,0`` is dropped. A value that rounds up to 1.000 of a unit moves to the next unit.

    Parameters
    ----------
    value : number

    Returns
    -------
    str
        ``"–"`` for a missing value.

    Examples
    --------
    >>> [format_rupiah(v) for v in (1_234_000_000, 450_000_000, 12_000, 2e9, -3_450_000)]
    ['Rp 1,2 M', 'Rp 450 jt', 'Rp 12 rb', 'Rp 2 M', '-Rp 3,5 jt']
    >>> format_rupiah(999_990_000), format_rupiah(750), format_rupiah(float("nan"))
    ('Rp 1 M', 'Rp 750', '–')
    """
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    sign = "-" if v < 0 else ""
    a = abs(v)
    idx = next((i for i, (size, _u) in enumerate(_RP_UNITS) if a >= size), len(_RP_UNITS) - 1)
    size, unit = _RP_UNITS[idx]
    x = a / size
    if idx > 0 and round(x, 0 if x >= 100 else 1) >= 1000:  # 999,99 jt -> 1 M
        size, unit = _RP_UNITS[idx - 1]
        x = a / size
    text = _short_number(x) if unit else _group_decimal(f"{a:,.0f}")
    return f"{sign}Rp {text}" + (f" {unit}" if unit else "")


def _period(ts: pd.Timestamp, lang: str) -> str:
    return f"{month_name(ts.month, lang)} {ts.year}"


def _date(d: object, lang: str) -> str:
    ts = pd.Timestamp(d)  # type: ignore[arg-type]
    return f"{ts.day} {month_name(ts.month, lang)} {ts.year}"


def _day_month(d: object, lang: str) -> str:
    ts = pd.Timestamp(d)  # type: ignore[arg-type]
    return f"{ts.day} {month_name(ts.month, lang, short=True)}"


def _threshold_text(threshold: float) -> str:
    whole = abs(round(100 * threshold, 1) - round(100 * threshold)) < 1e-9
    return format_persen(threshold, 0 if whole else 1)


def _percent_axis(axis: Any, step: float = 0.2, top: float = 1.0) -> None:
    """Ticks 0 %, step, …, top (fixed, so a wider limit leaves room for a value column)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    axis.set_major_locator(FixedLocator(np.round(np.arange(0, top + step / 2, step), 6)))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_persen(v, 0)))


def _value_column(ax: Axes, y: np.ndarray, texts: Sequence[str], header: str, *,
                  size: float) -> None:
    """A column of values right of 100 % (inside the axes, so layouts keep it)."""
    from matplotlib.transforms import blended_transform_factory

    ax.set_xlim(0, _VALUE_X + 0.085)
    ax.spines["bottom"].set_bounds(0, 1)
    for yi, text in zip(y, texts, strict=True):
        ax.text(_VALUE_X, yi, text, ha="left", va="center", fontsize=size, color=_INK,
                gid="nilai")
    ax.text(_VALUE_X, 1.005, header, transform=blended_transform_factory(
        ax.transData, ax.transAxes), ha="left", va="bottom", fontsize=_SMALL,
        style="italic", color=_INK)


def _legend_rows(rows: Sequence[Sequence[Any]]) -> tuple[list[Any], int]:
    """Handles ordered so a column-filled legend reads row by row; (handles, ncol)."""
    from matplotlib.patches import Patch

    ncol = max(len(r) for r in rows)
    blank = Patch(visible=False, label=" ")
    padded = [[*r, *[blank] * (ncol - len(r))] for r in rows]
    return [padded[i][j] for j in range(ncol) for i in range(len(rows))], ncol


# ================================================================================== names
def _region_names(codes: Sequence[str], fallback: pd.Series | None = None) -> dict[str, str]:
    """Short names per code: the reference name, else the name in the data, else the code."""
    ref = load_regions().drop_duplicates("kode").set_index("kode")["nama"]
    out = {}
    for code in codes:
        name = ref.get(code)
        if (name is None or name == "") and fallback is not None:
            name = fallback.get(code)
        out[code] = short_name(name) if isinstance(name, str) and name else str(code)
    return out


# ================================================================================= inputs
class _Source:
    """What the chart functions need from a MonitorResult, ValidationReport or frame."""

    def __init__(self, data: Any) -> None:
        self.projection: Projection | None = None
        self.quarantine: pd.DataFrame | None = None
        self.rules = Rules()
        self.cutoff: dt.date | None = None
        self.deadline: dt.date | None = None
        if isinstance(data, Projection):
            msg = ("a Projection has no monthly data: pass the MonitorResult "
                   "(dm.monitor(...)), the ValidationReport or the frame")
            raise TypeError(msg)
        if hasattr(data, "validation") and hasattr(data, "projection"):  # MonitorResult
            self.projection = data.projection
            self.rules = getattr(data, "rules", None) or self.rules
            fs = getattr(data, "first_semester", None)
            if fs is not None:
                self.cutoff, self.deadline = fs.cutoff, fs.deadline
            data = data.validation
        q = getattr(data, "quarantine", None)
        self.quarantine = q if isinstance(q, pd.DataFrame) else None
        frame = as_frame(data)
        self.as_of = (self.projection.as_of if self.projection is not None
                      else resolve_as_of(frame))
        year = self.as_of.year
        self.frame = frame[(frame[C.TAHUN].astype("Float64") == year).fillna(False)
                           & (pd.to_datetime(frame[C.PERIODE]) <= self.as_of)]
        if self.cutoff is None:
            self.cutoff = self.rules.semester_cutoff(year)
        if self.deadline is None:
            self.deadline = self.rules.contract_deadline(year)

    def kind_as_of(self, kind: str) -> pd.Timestamp:
        """This jenis DAK's own period: its latest report up to ``as_of``."""
        if self.projection is not None and kind in self.projection.as_of_by_kind:
            return self.projection.as_of_by_kind[kind]
        per = pd.to_datetime(self.frame.loc[self.frame[C.JENIS_DAK] == kind, C.PERIODE])
        return (pd.Timestamp(per.max()) + pd.offsets.MonthEnd(0)) if len(per) else self.as_of

    def incomplete(self, kind: str) -> set[str]:
        """Codes of OPDs with quarantined rows of this jenis DAK."""
        out: set[str] = set()
        if self.projection is not None:
            t = self.projection.table
            t = t[(t[C.JENIS_DAK] == kind) & ~t["data_lengkap"].astype(bool)]
            out |= set(t[C.KODE_WILAYAH].astype(str))
        q = self.quarantine
        if q is not None and len(q) and C.KODE_WILAYAH in q:
            sel = q[C.JENIS_DAK] == kind if C.JENIS_DAK in q else pd.Series(True, index=q.index)
            if C.TAHUN in q:
                sel &= (q[C.TAHUN].astype("Float64") == self.as_of.year).fillna(True)
            out |= set(q.loc[sel, C.KODE_WILAYAH].dropna().astype(str))
        return out

    def status(self, kind: str) -> dict[str, str]:
        if self.projection is None:
            return {}
        t = self.projection.table
        t = t[t[C.JENIS_DAK] == kind]
        return dict(zip(t[C.KODE_WILAYAH].astype(str), t["status"].astype(str), strict=True))

    def names(self, codes: Sequence[str]) -> dict[str, str]:
        fb = None
        if C.NAMA_WILAYAH in self.frame:
            fb = self.frame.drop_duplicates(C.KODE_WILAYAH).set_index(C.KODE_WILAYAH)[
                C.NAMA_WILAYAH]
        return _region_names(codes, fb)

    def panel(self, kind: str) -> pd.DataFrame:
        """Cumulative absorption, OPD (rows) × month 1–12 (columns); NaN after the kind's own
        period (:meth:`kind_as_of`)."""
        f = self.frame[self.frame[C.JENIS_DAK] == kind]
        if f.empty:
            msg = f"no {kind} rows of {self.as_of.year} up to {self.as_of:%Y-%m} to plot"
            raise ProjectionError(msg)
        p = month_panel(f)
        wide = p.pivot_table(index=C.KODE_WILAYAH, columns="bulan", values="serapan",
                             aggfunc="first", dropna=False)
        wide = wide.reindex(columns=range(1, 13)).astype(float)
        last = self.kind_as_of(kind).month
        wide.loc[:, [m for m in range(1, 13) if m > last]] = np.nan
        wide.index = wide.index.astype(str)
        return wide


def _projection_of(data: Any) -> Projection:
    proj = data if isinstance(data, Projection) else getattr(data, "projection", None)
    if not isinstance(proj, Projection):
        msg = f"expected a Projection or a MonitorResult, not {type(data).__name__}"
        raise TypeError(msg)
    return proj


def _incomplete_patch(lang: str) -> Any:
    from matplotlib.patches import Patch

    return _hatch(Patch(facecolor=INCOMPLETE_COLOR, edgecolor=_HATCH_COLOR, linewidth=0.6,
                        label=_t(lang)["incomplete"]))


def _status_patches(lang: str) -> list[Any]:
    from matplotlib.patches import Patch

    return [Patch(facecolor=c, label=_t(lang)[s]) for s, c in STATUS_COLORS.items()]


# ================================================================================ ranking
def plot_projection_ranking(projection: Any, *, jenis_dak: str = "nonfisik",
                            ax: Axes | None = None, lang: str = "id") -> Axes:
    """Rank OPDs by projected year-end absorption: bars by status against the threshold.

    One horizontal bar per OPD (kabupaten/kota) of the projected year-end absorption
    (``proyeksi``), coloured by status, with a darker inner bar for absorption to date,
    error bars for the projection interval, a dashed line at the threshold and the projected
    value in a column at the right. OPDs with quarantined rows are hatched and get a ``*``.

    The **lowest projection is at the top**: a meeting reads a slide from the top, and the OPDs
    to discuss (will-miss, at-risk) are the ones with the lowest projections, so they come
    first and the on-track OPDs trail at the bottom.

    Parameters
    ----------
    projection : Projection or MonitorResult
        ``result.projection`` (or the result itself).
    jenis_dak : {"nonfisik", "fisik"}
    ax : matplotlib Axes, optional
        Draw here; default a new 13 × 7.3 in figure.
    lang : {"id", "en"}
        Label language.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from dak_monitor import project_absorption
    >>> from dak_monitor.datasets import make_export
    >>> cur = make_export("nonfisik", year=2024, months=range(1, 7),
    ...                   regions=["32.05", "32.79", "32.14"])
    >>> ax = plot_projection_ranking(project_absorption(cur))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Kab. Purwakarta', 'Kota Banjar', 'Kab. Garut']
    >>> plt.close(ax.figure)
    """
    txt = _t(lang)
    kind = _check_kind(jenis_dak)
    proj = _projection_of(projection)
    t = proj.table[proj.table[C.JENIS_DAK] == kind]
    if t.empty:
        msg = f"the projection has no {kind} rows to rank"
        raise ProjectionError(msg)
    t = t.assign(_k=t[C.KODE_WILAYAH].astype(str)).sort_values(
        ["proyeksi", "serapan", "_k"], na_position="last", kind="stable").reset_index(drop=True)
    names = _region_names(list(t["_k"]), t.set_index("_k")[C.NAMA_WILAYAH]
                          if C.NAMA_WILAYAH in t else None)
    incomplete = ~t["data_lengkap"].astype(bool).to_numpy()
    at = proj.as_of_by_kind.get(kind, proj.as_of)
    # An OPD standing before its kind's period shows when its figures are from.
    behind = [f" ({per:%m/%Y})" if pd.Timestamp(per) < at else ""
              for per in t[C.PERIODE]]
    labels = [names[k] + (" *" if inc else "") + b
              for k, inc, b in zip(t["_k"], incomplete, behind, strict=True)]
    status = t["status"].astype(str).to_numpy()
    colors = [STATUS_COLORS.get(s, INCOMPLETE_COLOR) for s in status]
    y = np.arange(len(t))
    p = t["proyeksi"].to_numpy(dtype=float)
    lo = t["batas_bawah"].to_numpy(dtype=float)
    hi = t["batas_atas"].to_numpy(dtype=float)
    month = month_name(at.month, lang)
    with _style():
        ax = ax if ax is not None else _new_axes()
        from matplotlib.lines import Line2D
        from matplotlib.transforms import blended_transform_factory

        bars = ax.barh(y, p, height=0.74, color=colors, edgecolor="white", linewidth=0.5,
                       label="_proyeksi", zorder=2)
        for patch, inc in zip(bars.patches, incomplete, strict=True):
            patch.set_gid("proyeksi")
            if inc:
                _hatch(patch)
        inner = ax.barh(y, t["serapan"].to_numpy(dtype=float), height=0.3,
                        color=[_darker(c) for c in colors], label="_serapan", zorder=3)
        for patch in inner.patches:
            patch.set_gid("serapan")
        err = np.vstack([np.clip(p - lo, 0, None), np.clip(hi - p, 0, None)])
        eb = ax.errorbar(np.nan_to_num(p), y, xerr=np.nan_to_num(err), fmt="none",
                         ecolor=_INK, elinewidth=1.3, capsize=3.5, zorder=4, label="_interval")
        eb.lines[2][0].set_gid("interval")
        line = ax.axvline(proj.threshold, color=_INK, linestyle="--", linewidth=1.6, zorder=5)
        line.set_gid("ambang")
        ax.set_yticks(y, labels)
        ax.set_ylim(len(t) - 0.5, -0.5)
        _percent_axis(ax.xaxis, 0.1)
        ax.grid(axis="x", color=PALETTE["grid"], linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        ax.set_xlabel(txt["rank_x"], fontsize=_FONT)
        size = _SMALL if len(t) > 20 else _FONT
        ax.tick_params(axis="y", labelsize=size, length=0)
        _value_column(ax, y, [format_persen(v, 1) for v in p], txt["proj_col"], size=size)
        ax.text(proj.threshold, 1.005, txt["threshold"].format(
            p=_threshold_text(proj.threshold)) + " ", transform=blended_transform_factory(
            ax.transData, ax.transAxes), ha="right", va="bottom", fontsize=_SMALL,
            color=_INK, fontweight="bold")
        ax.set_title(txt["rank_title"].format(kind=txt[kind], period=_period(at, lang)),
                     fontsize=_TITLE, loc="left", pad=24, fontweight="bold")
        from matplotlib.patches import Patch

        row1 = _status_patches(lang)
        if incomplete.any():
            row1.append(_incomplete_patch(lang))
        if any(behind):
            row1.append(Patch(facecolor="none", edgecolor="none", label=txt["behind"]))
        row2 = [Patch(facecolor=PALETTE["to_date"], label=txt["to_date"].format(month=month)),
                Line2D([], [], color=_INK, marker="|", markersize=10, linewidth=1.3,
                       label=txt["interval"].format(p=format_persen(proj.interval, 0))),
                Line2D([], [], color=_INK, linestyle="--", linewidth=1.6,
                       label=txt["threshold"].format(p=_threshold_text(proj.threshold)))]
        handles, ncol = _legend_rows([row1, row2])
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.07),
                  ncol=ncol, frameon=False, fontsize=_SMALL + 0.5)
        _tidy(ax)
        ax.tick_params(axis="y", labelsize=size, length=0)
    return ax


# ================================================================================= curves
def _profile_values(profile: Any, src: _Source, kind: str) -> np.ndarray:
    if profile is None and src.projection is not None:
        profile = src.projection.profile
    if profile is None:
        return np.asarray(DEFAULT_PROFILE[kind], dtype=float)
    if isinstance(profile, pd.DataFrame):
        if kind not in profile:
            return np.asarray(DEFAULT_PROFILE[kind], dtype=float)
        return profile[kind].reindex(range(1, 13)).to_numpy(dtype=float)
    if isinstance(profile, pd.Series):
        return profile.reindex(range(1, 13)).to_numpy(dtype=float)
    arr = np.asarray(profile, dtype=float)
    if arr.shape != (12,):
        msg = "profile must give 12 monthly values (Jan..Dec), a Series or Projection.profile"
        raise ConfigError(msg)
    return arr


def _draw_curve(ax: Axes, months: np.ndarray, values: np.ndarray, prof: np.ndarray,
                threshold: float, color: str, proj_row: pd.Series | None, *, lw: float,
                marker_size: float) -> None:
    ax.plot(np.arange(1, 13), prof, color=_PROFILE_COLOR, linestyle="--", linewidth=lw * 0.8,
            zorder=2, gid="profil")
    ax.axhline(threshold, color=_INK, linestyle=":", linewidth=1.0, zorder=1, gid="ambang")
    ax.plot([11.6, 12.4], [threshold, threshold], color=_INK, linewidth=2.2, zorder=3,
            solid_capstyle="butt", gid="ambang_des")
    ax.plot(months, values, color=color, linewidth=lw, marker="o", markersize=marker_size,
            zorder=4, gid="serapan")
    if proj_row is not None and len(months) and months[-1] < 12:
        pv = float(proj_row["proyeksi"])
        ax.plot([months[-1], 12], [values[-1], pv], color=color, linestyle=(0, (1, 1.5)),
                linewidth=lw * 0.8, zorder=3, gid="proyeksi")
        lo, hi = float(proj_row["batas_bawah"]), float(proj_row["batas_atas"])
        ax.errorbar([12], [pv], yerr=[[max(pv - lo, 0)], [max(hi - pv, 0)]], fmt="D",
                    color=color, markersize=marker_size + 1, capsize=3, elinewidth=1.2,
                    zorder=5)


def plot_absorption_curves(result_or_frame: Any, *, kode_wilayah: str | None = None,
                           jenis_dak: str = "nonfisik", profile: Any = None,
                           threshold: float | None = None, fig: Figure | None = None,
                           ax: Axes | None = None, lang: str = "id") -> Figure | Axes:
    """Cumulative absorption by month against the typical profile and the threshold.

    Each OPD's curve to date (solid), the typical profile (dashed grey), the threshold (dotted,
    with a bar at December) and, when a projection is available, the projected December value
    with its interval (diamond). With ``kode_wilayah=None``: small multiples, one compact
    panel per OPD with shared axes, OPDs in code order; panels of at-risk and will-miss OPDs get
    a frame and title in their status colour; OPDs with quarantined rows are hatched and get a
    ``*``.

    Parameters
    ----------
    result_or_frame : MonitorResult, ValidationReport, Export or DataFrame
        A MonitorResult brings the projection (statuses, December projections, profile,
        threshold); rows of the as-of year up to the as-of period are used.
    kode_wilayah : str, optional
        One OPD: a single chart (returns Axes). Default: all OPDs (returns the Figure).
    jenis_dak : {"nonfisik", "fisik"}
    profile : DataFrame, Series or 12 numbers, optional
        Typical cumulative absorption per month; default ``projection.profile`` or
        :data:`~dak_monitor._projection.DEFAULT_PROFILE`.
    threshold : float, optional
        Default the projection's threshold, else 0.93.
    fig : Figure, optional
        Small multiples are drawn on this figure (cleared of nothing: pass an empty one).
    ax : Axes, optional
        For one OPD: draw here.
    lang : {"id", "en"}

    Returns
    -------
    Figure (all OPDs) or Axes (one OPD)

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from dak_monitor.datasets import make_export
    >>> cur = make_export("nonfisik", year=2024, months=range(1, 7),
    ...                   regions=["32.05", "32.79", "32.14"])
    >>> fig = plot_absorption_curves(cur)
    >>> [a.get_title(loc="left") for a in fig.axes]
    ['Kab. Garut', 'Kab. Purwakarta', 'Kota Banjar']
    >>> ax = plot_absorption_curves(cur, kode_wilayah="32.05", lang="en")
    >>> ax.get_ylabel()
    'Cumulative absorption (% of pagu)'
    >>> plt.close("all")
    """
    txt = _t(lang)
    kind = _check_kind(jenis_dak)
    src = _Source(result_or_frame)
    wide = src.panel(kind)
    prof = _profile_values(profile, src, kind)
    thr = float(threshold if threshold is not None else
                (src.projection.threshold if src.projection is not None else 0.93))
    status = src.status(kind)
    incomplete = src.incomplete(kind)
    proj_rows: dict[str, pd.Series] = {}
    if src.projection is not None:
        pt = src.projection.table
        for _, row in pt[pt[C.JENIS_DAK] == kind].iterrows():
            proj_rows[str(row[C.KODE_WILAYAH])] = row
    codes = sorted(wide.index)
    names = src.names(codes)
    period = _period(src.kind_as_of(kind), lang)
    month_labels = [month_name(m, lang, short=True) for m in range(1, 13)]

    def series(code: str) -> tuple[np.ndarray, np.ndarray]:
        row = wide.loc[code]
        ok = row.notna().to_numpy()
        return np.arange(1, 13)[ok], row.to_numpy(dtype=float)[ok]

    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FuncFormatter

    def hatch(axis: Axes) -> None:
        axis.add_patch(_hatch(Rectangle((0, 0), 1, 1, transform=axis.transAxes, fill=False,
                                        linewidth=0, zorder=0, gid="data_tidak_lengkap"),
                              PALETTE["muted_light"]))

    with _style():
        if kode_wilayah is not None:
            code = str(kode_wilayah)
            if code not in wide.index:
                msg = f"no {kind} rows for kode_wilayah {code!r}"
                raise ProjectionError(msg)
            if ax is None:
                if fig is not None:
                    ax = fig.add_subplot()
                else:
                    ax = _new_axes()
            st = status.get(code)
            color = STATUS_COLORS.get(st, _NEUTRAL) if st else _NEUTRAL
            m, v = series(code)
            _draw_curve(ax, m, v, prof, thr, color, proj_rows.get(code), lw=2.6, marker_size=6)
            inc = code in incomplete
            if inc:
                hatch(ax)
            ax.set_xlim(0.6, 12.4)
            ax.set_ylim(0, 1.05)
            ax.set_xticks(range(1, 13), month_labels)
            _percent_axis(ax.yaxis, 0.1)
            ax.grid(axis="y", color=PALETTE["grid_light"], linewidth=0.8)
            ax.set_xlabel(txt["curve_x"], fontsize=_FONT)
            ax.set_ylabel(txt["curve_y"], fontsize=_FONT)
            ax.text(11.45, thr + 0.012, txt["threshold"].format(p=_threshold_text(thr)),
                    fontsize=_SMALL, color=_INK, va="bottom", ha="right", fontweight="bold")
            title = txt["curve_one"].format(name=names[code] + (" *" if inc else ""),
                                            kind=txt[kind], period=period)
            ax.set_title(title, fontsize=_TITLE, loc="left", fontweight="bold",
                         color=color if st in AT_RISK_STATUSES else _INK)
            handles = [Line2D([], [], color=color, linewidth=2.6, marker="o",
                              label=txt["actual"] + (f" ({txt[st]})" if st else "")),
                       Line2D([], [], color=_PROFILE_COLOR, linestyle="--", linewidth=2,
                              label=txt["profile"])]
            if code in proj_rows and src.projection is not None:
                label = txt["projected_iv"].format(
                    p=format_persen(src.projection.interval, 0))
                handles.append(Line2D([], [], color=color, marker="D", linestyle=":",
                                      label=label))
            if inc:
                handles.append(_incomplete_patch(lang))
            ax.legend(handles=handles, loc="upper left", frameon=True, facecolor="white",
                      edgecolor="none", framealpha=1.0, fontsize=_SMALL + 0.5)
            _tidy(ax)
            return ax
        if ax is not None:
            msg = "small multiples (kode_wilayah=None) need a figure: pass fig=, not ax="
            raise ConfigError(msg)
        import matplotlib.pyplot as plt

        if fig is None:
            fig = plt.figure(figsize=_FIGSIZE, layout="constrained")
        n = len(codes)
        ncols = max(1, min(n, math.ceil(math.sqrt(n * 1.6))))
        nrows = math.ceil(n / ncols)
        grid = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True,
                                          squeeze=False)).ravel()
        small = _SMALL
        for i, code in enumerate(codes):
            a = grid[i]
            st = status.get(code)
            color = STATUS_COLORS.get(st, _NEUTRAL) if st else _NEUTRAL
            m, v = series(code)
            _draw_curve(a, m, v, prof, thr, color, proj_rows.get(code), lw=1.8,
                        marker_size=2.5)
            inc = code in incomplete
            if inc:
                hatch(a)
            warn = st in AT_RISK_STATUSES
            a.set_title(names[code] + (" *" if inc else ""), fontsize=small, loc="left",
                        pad=3, color=color if warn else _INK,
                        fontweight="bold" if warn else "normal")
            if warn:
                for sp in a.spines.values():
                    sp.set_visible(True)
                    sp.set_color(color)
                    sp.set_linewidth(2.4)
            else:
                a.spines[["top", "right"]].set_visible(False)
            a.tick_params(labelsize=small, length=2.5, pad=2)
            a.grid(axis="y", color=PALETTE["grid_faint"], linewidth=0.6)
        for a in grid[n:]:
            a.remove()
        for j in range(max(n - ncols, 0), n):  # panels above removed slots keep month ticks
            if j + ncols >= n:
                grid[j].xaxis.set_tick_params(labelbottom=True)
        first = grid[0]
        first.set_xlim(0.5, 12.5)
        first.set_ylim(0, 1.08)
        first.set_xticks([1, 4, 7, 10], [month_labels[k - 1] for k in (1, 4, 7, 10)])
        first.set_yticks([0, 0.5, 1.0])
        first.yaxis.set_major_formatter(FuncFormatter(lambda val, _pos: format_persen(val, 0)))
        fig.supylabel(txt["curve_y"], fontsize=_FONT)
        fig.suptitle(txt["curve_title"].format(kind=txt[kind], period=period),
                     fontsize=_SUPTITLE, fontweight="bold", x=0.01, ha="left")
        if status:  # curve colour = status; at-risk / will-miss panels also framed
            row1 = [Line2D([], [], color=c, linewidth=1.8, marker="o", markersize=3,
                           label=f"{txt['actual']}: {txt[s]}") for s, c in STATUS_COLORS.items()]
        else:
            row1 = [Line2D([], [], color=_NEUTRAL, linewidth=1.8, marker="o",
                           markersize=3, label=txt["actual"])]
        row2 = [Line2D([], [], color=_PROFILE_COLOR, linestyle="--", linewidth=1.6,
                       label=txt["profile"]),
                Line2D([], [], color=_INK, linestyle=":", linewidth=1.2,
                       label=txt["threshold"].format(p=_threshold_text(thr)))]
        if proj_rows:
            row2.append(Line2D([], [], color=_INK, marker="D", markersize=4,
                               linestyle=(0, (1, 1.5)), label=txt["projected"]))
        if incomplete & set(codes):
            row1.append(_incomplete_patch(lang))
        handles, ncol = _legend_rows([row1, row2] if status else [[*row1, *row2]])
        fig.legend(handles=handles, loc="outside lower center", ncol=ncol, frameon=False,
                   fontsize=_SMALL + 0.5)
    return fig


# ================================================================================ heatmap
def plot_absorption_heatmap(result_or_frame: Any, *, jenis_dak: str = "nonfisik",
                            ax: Axes | None = None, lang: str = "id") -> Axes:
    """OPD × month heatmap of cumulative absorption (0–100 %), annotated with the values.

    OPDs are ordered by their latest absorption, lowest at the top (as in the ranking);
    months after the as-of period are grey. OPDs with quarantined rows are hatched and get a
    ``*``. The values are :func:`~dak_monitor._absorption.month_panel`'s ``serapan`` (each
    item's latest report carried forward).

    Parameters
    ----------
    result_or_frame : MonitorResult, ValidationReport, Export or DataFrame
    jenis_dak : {"nonfisik", "fisik"}
    ax : matplotlib Axes, optional
    lang : {"id", "en"}

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()`` holds the plotted fractions (masked after as-of).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from dak_monitor.datasets import make_export
    >>> cur = make_export("nonfisik", year=2024, months=range(1, 7), regions=["32.05", "32.79"])
    >>> ax = plot_absorption_heatmap(cur)
    >>> [t.get_text() for t in ax.get_xticklabels()][4:8]
    ['Mei', 'Jun', 'Jul', 'Agu']
    >>> ax.images[0].get_array().shape
    (2, 12)
    >>> plt.close(ax.figure)
    """
    txt = _t(lang)
    kind = _check_kind(jenis_dak)
    src = _Source(result_or_frame)
    wide = src.panel(kind)
    latest = wide.iloc[:, src.kind_as_of(kind).month - 1]
    order = (pd.DataFrame({"v": latest, "k": wide.index}).sort_values(
        ["v", "k"], na_position="first", kind="stable").index)
    wide = wide.loc[order]
    incomplete = src.incomplete(kind)
    names = src.names(list(wide.index))
    labels = [names[k] + (" *" if k in incomplete else "") for k in wide.index]
    values = np.ma.masked_invalid(wide.to_numpy(dtype=float))
    n = len(wide)
    import matplotlib as mpl
    from matplotlib.patches import Rectangle

    cmap = mpl.colormaps["YlGnBu"].with_extremes(bad=PALETTE["missing"])
    with _style():
        ax = ax if ax is not None else _new_axes()
        im = ax.imshow(values, cmap=cmap, vmin=0, vmax=1, aspect="auto",
                       interpolation="nearest")
        size = _SMALL if n > 16 else _FONT
        for i, k in enumerate(wide.index):
            inc = k in incomplete
            if inc:  # hatched row with an outline; values keep a white backing to stay legible
                ax.add_patch(_hatch(Rectangle((-0.5, i - 0.5), 12, 1, fill=False,
                                              edgecolor=_HATCH_COLOR, linewidth=1.4,
                                              zorder=3, gid="data_tidak_lengkap"),
                                    PALETTE["muted"]))
            for j in range(12):
                v = values[i, j]
                if v is np.ma.masked:
                    continue
                ax.text(j, i, format_persen(float(v), 0), ha="center", va="center",
                        fontsize=size, zorder=4,
                        color="white" if v > 0.55 and not inc else _INK,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.85} if inc else None)
        ax.set_xticks(range(12), [month_name(m, lang, short=True)
                                        for m in range(1, 13)])
        ax.set_yticks(range(n), labels)
        ax.set_xticks(np.arange(-0.5, 12), minor=True)
        ax.set_yticks(np.arange(-0.5, n), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.2)
        ax.tick_params(which="minor", length=0)
        ax.tick_params(which="major", length=0)
        for sp in ax.spines.values():
            sp.set_visible(False)
        ax.set_xlabel(txt["heat_x"], fontsize=_FONT)
        ax.set_title(txt["heat_title"].format(kind=txt[kind],
                                              period=_period(src.kind_as_of(kind), lang)),
                     fontsize=_TITLE, loc="left", fontweight="bold")
        cbar = ax.figure.colorbar(im, ax=ax, fraction=0.035, pad=0.015)
        _percent_axis(cbar.ax.yaxis, 0.2)
        cbar.ax.tick_params(labelsize=_SMALL)
        cbar.set_label(txt["heat_cbar"], fontsize=_FONT)
        cbar.outline.set_visible(False)
        if incomplete & set(wide.index):
            ax.legend(handles=[_incomplete_patch(lang)], loc="upper center",
                      bbox_to_anchor=(0.5, -0.08), frameon=False, fontsize=_SMALL + 0.5)
        ax.tick_params(axis="x", labelsize=_SMALL + 0.5)
        ax.tick_params(axis="y", labelsize=size)
    return ax


# ============================================================================== reporting
def plot_reporting_status(status: Any, *, jenis_dak: str = "nonfisik", ax: Axes | None = None,
                          lang: str = "id") -> Axes:
    """OPD × month heatmap of reporting status (reported, missing, partial, late, revised),
    coloured and labelled as :data:`~dak_monitor._vocab.REPORTING_STATUSES` says.

    Parameters
    ----------
    status : ReportingStatus or MonitorResult
        :func:`~dak_monitor.reporting_status`'s result (or a monitor result carrying one).
    jenis_dak : {"nonfisik", "fisik"}
    ax : matplotlib Axes, optional
    lang : {"id", "en"}

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()`` holds each cell's status as its position in
        ``REPORTING_STATUSES`` (masked where no report is expected).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dak_monitor as dm
    >>> f = pd.DataFrame({"tahun": [2024] * 3, "periode": pd.to_datetime(
    ...     ["2024-05-31", "2024-06-30", "2024-06-30"]), "kode_wilayah": ["32.05", "32.05",
    ...     "32.79"], "jenis_dak": ["nonfisik"] * 3, "menu": ["A"] * 3,
    ...     "pagu": [100.0] * 3, "realisasi": [10.0, 20.0, 30.0]})
    >>> ax = plot_reporting_status(dm.reporting_status(f))
    >>> ax.images[0].get_array().tolist()[1][4:6]  # 32.79: May missing, June reported
    [0.0, 4.0]
    >>> plt.close(ax.figure)
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    rs = getattr(status, "reporting", status)
    if rs is None or not hasattr(rs, "table"):
        msg = "plot_reporting_status needs a ReportingStatus (dm.reporting_status(...))"
        raise ConfigError(msg)
    txt = _t(lang)
    kind = _check_kind(jenis_dak)
    codes = list(REPORTING_STATUSES)
    t = rs.table[rs.table[C.JENIS_DAK] == kind]
    kodes = sorted(set(t[C.KODE_WILAYAH]))
    grid = np.full((len(kodes), 12), np.nan)
    row_of = {k: i for i, k in enumerate(kodes)}
    for kode, per, st in zip(t[C.KODE_WILAYAH], t[C.PERIODE], t["status"], strict=True):
        grid[row_of[kode], per.month - 1] = codes.index(st)
    names = _region_names(kodes, t.drop_duplicates(C.KODE_WILAYAH).set_index(
        C.KODE_WILAYAH)[C.NAMA_WILAYAH] if len(t) else None)
    cmap = ListedColormap([REPORTING_STATUSES[c].fill for c in codes]).with_extremes(
        bad=PALETTE["missing"])
    with _style():
        ax = ax if ax is not None else _new_axes()
        ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=-0.5, vmax=len(codes) - 0.5,
                  aspect="auto", interpolation="nearest")
        size = _SMALL if len(kodes) > 16 else _FONT
        for i in range(len(kodes)):
            for j in range(12):
                if not np.isnan(grid[i, j]) and codes[int(grid[i, j])] != REPORTED:
                    ax.text(j, i, REPORTING_STATUSES.label(codes[int(grid[i, j])], lang,
                                                           short=True),
                            ha="center", va="center", fontsize=size - 3, color=_INK)
        ax.set_xticks(range(12), [month_name(m, lang, short=True) for m in range(1, 13)])
        ax.set_yticks(range(len(kodes)), [names.get(k, k) for k in kodes])
        ax.set_xticks(np.arange(-0.5, 12), minor=True)
        ax.set_yticks(np.arange(-0.5, len(kodes)), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.2)
        ax.tick_params(which="both", length=0)
        for sp in ax.spines.values():
            sp.set_visible(False)
        ax.set_xlabel(txt["rep_x"], fontsize=_FONT)
        ax.set_title(txt["rep_title"].format(kind=txt[kind], period=_period(rs.as_of, lang)),
                     fontsize=_TITLE, loc="left", fontweight="bold")
        ax.legend(handles=[Patch(facecolor=REPORTING_STATUSES[c].fill,
                                 label=REPORTING_STATUSES.label(c, lang)) for c in codes],
                  loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(codes),
                  frameon=False, fontsize=_SMALL)
        ax.tick_params(axis="y", labelsize=size)
    return ax


# ========================================================================= first semester
def _first_semester_shares(src: _Source) -> pd.DataFrame:
    """Per OPD: share of DAK fisik pagu by contracting category, ``pagu`` and ``n_item``.

    Each item counts with its latest report up to as-of (pagu, method) and the contract date
    first reported for it: on or before the cut-off (``kontrak_s1``), after it but on or
    before the contract deadline (``kontrak_susulan``), ``swakelola`` (method), else
    ``tanpa_kontrak`` (no dated contract, or one after the deadline: lost or still open).
    Undated contracts count as not contracted, as in :func:`flag_first_semester`.
    """
    f = src.frame[src.frame[C.JENIS_DAK] == C.FISIK]
    cats = list(_S1_COLORS)
    if f.empty:
        return pd.DataFrame(columns=[*cats, C.PAGU, "n_item"])
    latest = item_state(f, as_of=src.as_of, rules=src.rules)
    tgl = latest["tanggal_kontrak_pertama"]
    swa = latest["swakelola"].to_numpy(dtype=bool)
    cut, dl = pd.Timestamp(src.cutoff), pd.Timestamp(src.deadline)  # type: ignore[arg-type]
    cat = np.select([swa, (tgl <= cut).to_numpy(dtype=bool), (tgl <= dl).to_numpy(dtype=bool)],
                    ["swakelola", "kontrak_s1", "kontrak_susulan"], default="tanpa_kontrak")
    items = pd.DataFrame({C.KODE_WILAYAH: latest[C.KODE_WILAYAH].astype(str).to_numpy(),
                          "cat": cat, C.PAGU: pd.to_numeric(latest[C.PAGU], errors="coerce")
                          .fillna(0).clip(lower=0).to_numpy(dtype=float)})
    money = items.pivot_table(index=C.KODE_WILAYAH, columns="cat", values=C.PAGU,
                              aggfunc="sum", fill_value=0.0).reindex(columns=cats,
                                                                     fill_value=0.0)
    total = money.sum(axis=1)
    out = money.div(total.where(total > 0), axis=0)
    out[C.PAGU] = total
    out["n_item"] = items.groupby(C.KODE_WILAYAH).size()
    out = out[total > 0]
    out.columns.name = None
    return out


def plot_first_semester(result: Any, *, ax: Axes | None = None, lang: str = "id") -> Axes:
    """First-semester contracting of DAK fisik per OPD, as shares of its DAK fisik pagu.

    A stacked horizontal bar per OPD: pagu contracted by the semester cut-off (green), contracted
    after it but by the contract deadline (yellow), swakelola (blue, needs no contract), and not
    contracted (red: still open before the deadline, lost after it). Ranked by the share
    contracted by the cut-off, **lowest at the top** (the OPDs to discuss first); the OPD's
    DAK fisik pagu is in a column at the right. Item-level: each item's latest report up to
    the as-of period, with the first contract date reported for it; undated contracts count
    as not contracted (as in :func:`~dak_monitor.flag_first_semester`).

    Parameters
    ----------
    result : MonitorResult, ValidationReport, Export or DataFrame
        A MonitorResult brings the cut-off and deadline (``result.first_semester``) and the
        data-incomplete marks; otherwise the default :class:`~dak_monitor.Rules` apply.
    ax : matplotlib Axes, optional
    lang : {"id", "en"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from dak_monitor.datasets import make_export
    >>> cur = make_export("fisik", year=2024, months=range(1, 7), regions=["32.05", "32.79"])
    >>> ax = plot_first_semester(cur, lang="en")
    >>> ax.get_title(loc="left")
    'DAK fisik contracting by OPD — semester I cut-off 30 June 2024'
    >>> plt.close(ax.figure)
    """
    txt = _t(lang)
    src = _Source(result)
    shares = _first_semester_shares(src)
    if shares.empty:
        msg = f"no DAK fisik rows of {src.as_of.year} up to {src.as_of:%Y-%m} to plot"
        raise ProjectionError(msg)
    shares = shares.assign(_k=shares.index).sort_values(
        ["kontrak_s1", "tanpa_kontrak", "_k"], ascending=[True, False, True], kind="stable")
    incomplete = src.incomplete(C.FISIK)
    names = src.names(list(shares.index))
    inc = np.array([k in incomplete for k in shares.index])
    labels = [names[k] + (" *" if i else "") for k, i in zip(shares.index, inc, strict=True)]
    lost = src.as_of >= pd.Timestamp(src.deadline)  # type: ignore[arg-type]
    legend_text = {
        "kontrak_s1": txt["kontrak_s1"].format(cutoff=_day_month(src.cutoff, lang)),
        "kontrak_susulan": txt["kontrak_susulan"].format(
            deadline=_day_month(src.deadline, lang)),
        "swakelola": txt["swakelola"],
        "tanpa_kontrak": txt["tanpa_kontrak_lost" if lost else "tanpa_kontrak_open"],
    }
    n = len(shares)
    y = np.arange(n)
    with _style():
        ax = ax if ax is not None else _new_axes()
        left = np.zeros(n)
        size = _SMALL if n > 20 else _FONT
        for cat, color in _S1_COLORS.items():
            w = shares[cat].to_numpy(dtype=float)
            bars = ax.barh(y, w, left=left, height=0.74, color=color, edgecolor="white",
                           linewidth=0.6, label=legend_text[cat])
            for patch, i in zip(bars.patches, inc, strict=True):
                patch.set_gid(cat)
                if i:
                    _hatch(patch)
            if cat == "kontrak_s1":
                for yi, wi, i in zip(y, w, inc, strict=True):
                    if wi >= 0.08:
                        ax.text(wi - 0.01, yi, format_persen(wi, 0), ha="right",
                                va="center", color=_INK if i else "white", fontsize=size,
                                fontweight="bold", zorder=4,
                                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                      "edgecolor": "none", "alpha": 0.85} if i else None)
            left = left + w
        ax.set_yticks(y, labels)
        ax.set_ylim(n - 0.5, -0.5)
        _percent_axis(ax.xaxis, 0.1)
        ax.set_xlabel(txt["s1_x"], fontsize=_FONT)
        _value_column(ax, y, [format_rupiah(v) for v in shares[C.PAGU]], txt["pagu_col"],
                      size=size)
        ax.set_title(txt["s1_title"].format(cutoff=_date(src.cutoff, lang)), fontsize=_TITLE,
                     loc="left", fontweight="bold", pad=24)
        ax.text(0, 1.005, txt["s1_sub"].format(period=_period(src.as_of, lang),
                                               deadline=_date(src.deadline, lang)),
                transform=ax.transAxes, ha="left", va="bottom", fontsize=_SMALL,
                color=PALETTE["caption"])
        from matplotlib.patches import Patch

        patches = [Patch(facecolor=c, label=legend_text[k]) for k, c in _S1_COLORS.items()]
        rows = [patches[:3], patches[3:]]
        if inc.any():
            rows[1].append(_incomplete_patch(lang))
        handles, ncol = _legend_rows(rows)
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.07),
                  ncol=ncol, frameon=False, fontsize=_SMALL + 0.5)
        _tidy(ax)
        ax.tick_params(axis="y", labelsize=size, length=0)
    return ax


# ================================================================================== files
#: Every figure ``save_figures`` can write (``<stem>.png``): the names the output folder owns.
FIGURE_STEMS: Final = (*(f"{chart}_{kind}" for kind in C.KINDS
                         for chart in ("peringkat", "kurva", "heatmap")), "semester1_fisik")


def save_figures(result: Any, folder: str | Path, *, lang: str = "id", dpi: int = 150
                 ) -> dict[str, Path]:
    """Render every chart of the report as PNG into ``folder`` and close the figures.

    Per jenis DAK present: ``peringkat_<jenis>.png`` (ranking), ``kurva_<jenis>.png`` (small
    multiples), ``heatmap_<jenis>.png``; and ``semester1_fisik.png`` when there are DAK fisik
    rows. A kind without data is skipped. Figures are 13 × 7.3 in (16:9).

    Parameters
    ----------
    result : MonitorResult
    folder : str or Path
        Created if missing; existing files of the same names are replaced.
    lang : {"id", "en"}
    dpi : int, default 150

    Returns
    -------
    dict of str to Path
        Name (``"peringkat_nonfisik"``, …) -> PNG path.

    Examples
    --------
    >>> import dak_monitor as dm
    >>> result = dm.monitor("data_samples/current",
    ...                     history="data_samples/history")  # doctest: +SKIP
    >>> sorted(save_figures(result, "laporan/gambar"))  # doctest: +SKIP
    ['heatmap_fisik', 'heatmap_nonfisik', 'kurva_fisik', 'kurva_nonfisik',
     'peringkat_fisik', 'peringkat_nonfisik', 'semester1_fisik']
    """
    import matplotlib.pyplot as plt

    _t(lang)
    out_dir = Path(folder)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the figure folder {out_dir}: {exc}"
        raise OutputError(msg) from exc
    proj = _projection_of(result)
    src = _Source(result)
    present = set(src.frame[C.JENIS_DAK].dropna().astype(str))
    projected = set(proj.table[C.JENIS_DAK].astype(str))
    jobs: list[tuple[str, Callable[[], Any]]] = []
    for kind in C.KINDS:
        if kind in projected:
            jobs.append((f"peringkat_{kind}", lambda k=kind: plot_projection_ranking(
                proj, jenis_dak=k, lang=lang)))
        if kind in present:
            jobs.append((f"kurva_{kind}", lambda k=kind: plot_absorption_curves(
                result, jenis_dak=k, lang=lang)))
            jobs.append((f"heatmap_{kind}", lambda k=kind: plot_absorption_heatmap(
                result, jenis_dak=k, lang=lang)))
    if C.FISIK in present:
        jobs.append(("semester1_fisik", lambda: plot_first_semester(result, lang=lang)))
    paths: dict[str, Path] = {}
    assert {name for name, _ in jobs} <= set(FIGURE_STEMS), "a figure missing from FIGURE_STEMS"
    for name, job in jobs:
        before = set(plt.get_fignums())
        try:
            drawn = job()
            fig = drawn if hasattr(drawn, "savefig") else drawn.figure
            path = out_dir / f"{name}.png"
            try:
                fig.savefig(path, dpi=dpi, facecolor="white")
            except OSError as exc:
                msg = f"cannot write {path}: {exc}"
                raise OutputError(msg) from exc
            paths[name] = path
        except ProjectionError:
            continue  # nothing of this kind to draw
        finally:
            for num in set(plt.get_fignums()) - before:
                plt.close(num)
    return paths
