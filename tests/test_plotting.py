"""Tests of the slide charts: the data behind each plot, labels, markers, style hygiene, files."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import dak_monitor as dm  # noqa: E402
from dak_monitor._absorption import month_panel  # noqa: E402
from dak_monitor._plotting import (  # noqa: E402
    STATUS_COLORS,
    format_persen,
    format_rupiah,
    plot_absorption_curves,
    plot_absorption_heatmap,
    plot_first_semester,
    plot_projection_ranking,
    save_figures,
)
from dak_monitor.exceptions import ConfigError  # noqa: E402


@pytest.fixture(scope="module")
def result(monitor_result: dm.MonitorResult) -> dm.MonitorResult:
    """The monitoring result of the shipped samples (the session's, computed once)."""
    return monitor_result


@pytest.fixture(scope="module")
def incomplete_result(result: dm.MonitorResult) -> dm.MonitorResult:
    """The samples with Kab. Garut (32.05) marked data-incomplete for both kinds."""
    t = result.projection.table.copy()
    t.loc[t["kode_wilayah"] == "32.05", "data_lengkap"] = False
    proj = dataclasses.replace(result.projection, table=t)
    return dataclasses.replace(result, projection=proj)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Every test starts and ends without open figures."""
    plt.close("all")
    yield
    plt.close("all")


def _patches(ax: Any, gid: str) -> list[Any]:
    return [p for p in ax.patches if p.get_gid() == gid]


def _ytick_texts(ax: Any) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def _ranked(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    t = table[table["jenis_dak"] == kind]
    return t.sort_values(["proyeksi", "serapan", "kode_wilayah"], kind="stable")


def _short(name: str) -> str:
    return name.replace("Kabupaten ", "Kab. ")


# ================================================================================ ranking
@pytest.mark.parametrize("kind", ["nonfisik", "fisik"])
def test_ranking_bars_are_projections_in_ranking_order(result: dm.MonitorResult,
                                                       kind: str) -> None:
    """Bar widths equal the projections, lowest first (at the top), names in the same order."""
    ax = plot_projection_ranking(result.projection, jenis_dak=kind)
    expected = _ranked(result.projection.table, kind)
    bars = _patches(ax, "proyeksi")
    assert len(bars) == len(expected) == 27
    widths = np.array([b.get_width() for b in bars])
    np.testing.assert_allclose(widths, expected["proyeksi"].to_numpy())
    ys = np.array([b.get_y() + b.get_height() / 2 for b in bars])
    assert np.all(np.diff(ys) > 0)
    bottom, top = ax.get_ylim()
    assert bottom > top  # inverted: the first (lowest) bar is at the top
    assert _ytick_texts(ax) == [_short(n) for n in expected["nama_wilayah"]]
    assert np.all(np.diff(widths) >= 0)


def test_ranking_inner_bars_and_interval(result: dm.MonitorResult) -> None:
    """Inner bars are absorption to date; error bars span [batas_bawah, batas_atas]."""
    ax = plot_projection_ranking(result, jenis_dak="nonfisik")  # a MonitorResult works too
    expected = _ranked(result.projection.table, "nonfisik")
    inner = [b.get_width() for b in _patches(ax, "serapan")]
    np.testing.assert_allclose(inner, expected["serapan"].to_numpy())
    seg = next(c for c in ax.collections if c.get_gid() == "interval").get_segments()
    np.testing.assert_allclose([s[0][0] for s in seg], expected["batas_bawah"].to_numpy())
    np.testing.assert_allclose([s[1][0] for s in seg], expected["batas_atas"].to_numpy())


def test_ranking_colours_match_status(result: dm.MonitorResult) -> None:
    """Each bar's fill is the fixed colour of its OPD's status; all three statuses occur."""
    ax = plot_projection_ranking(result.projection, jenis_dak="fisik")
    expected = _ranked(result.projection.table, "fisik")
    colours = [to_hex(b.get_facecolor()) for b in _patches(ax, "proyeksi")]
    assert colours == [STATUS_COLORS[s] for s in expected["status"]]
    assert set(expected["status"]) == set(STATUS_COLORS)
    assert STATUS_COLORS["on-track"] == "#1b9e77" and STATUS_COLORS["at-risk"] == "#d95f02"


def test_threshold_line_default_and_custom(result: dm.MonitorResult) -> None:
    """The dashed threshold line sits at 0.93, or at the projection's own threshold."""
    ax = plot_projection_ranking(result.projection)
    line = next(ln for ln in ax.lines if ln.get_gid() == "ambang")
    assert line.get_xdata()[0] == pytest.approx(0.93)
    assert line.get_linestyle() == "--"
    assert any(t.get_text().strip() == "ambang 93 %" for t in ax.texts)
    custom = dataclasses.replace(result.projection, threshold=0.9)
    ax2 = plot_projection_ranking(custom)
    line2 = next(ln for ln in ax2.lines if ln.get_gid() == "ambang")
    assert line2.get_xdata()[0] == pytest.approx(0.9)
    assert any(t.get_text().strip() == "ambang 90 %" for t in ax2.texts)
    ax3 = plot_absorption_curves(result, kode_wilayah="32.05", threshold=0.85)
    assert next(ln for ln in ax3.lines if ln.get_gid() == "ambang").get_ydata()[0] == \
        pytest.approx(0.85)


def test_labels_indonesian_by_default_english_on_request(result: dm.MonitorResult) -> None:
    """Titles, axis labels and month names are Indonesian unless lang='en'."""
    ax = plot_projection_ranking(result.projection)
    assert ax.get_title(loc="left") == "Proyeksi serapan akhir tahun BOKB — posisi Juni 2024"
    assert ax.get_xlabel() == "Serapan (% pagu)"
    assert [t.get_text() for t in ax.get_legend().get_texts()][:1] == ["sesuai target"]
    ax_en = plot_projection_ranking(result.projection, jenis_dak="fisik", lang="en")
    assert ax_en.get_title(loc="left") == \
        "Projected year-end absorption, DAK fisik — as of June 2024"
    assert "on track" in [t.get_text() for t in ax_en.get_legend().get_texts()]
    months_id = [t.get_text() for t in plot_absorption_heatmap(result).get_xticklabels()]
    months_en = [t.get_text() for t in
                 plot_absorption_heatmap(result, lang="en").get_xticklabels()]
    assert months_id == ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt",
                         "Nov", "Des"]
    assert months_en[4::3] == ["May", "Aug", "Nov"] and months_en[-1] == "Dec"
    with pytest.raises(ConfigError, match="lang"):
        plot_projection_ranking(result.projection, lang="fr")


def test_x_axis_in_percent_with_decimal_comma(result: dm.MonitorResult) -> None:
    """The x axis runs 0–100 % with Indonesian percent labels; values are listed at the right."""
    ax = plot_projection_ranking(result.projection)
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "0 %" and ticks[-1] == "100 %"
    values = [t.get_text() for t in ax.texts if t.get_gid() == "nilai"]
    first = _ranked(result.projection.table, "nonfisik")["proyeksi"].iloc[0]
    assert values[0] == format_persen(first) and "," in values[0]


# ========================================================================= incomplete data
def test_incomplete_opd_is_marked_in_every_chart(incomplete_result: dm.MonitorResult) -> None:
    """An OPD with quarantined rows is hatched, gets ' *' and a legend entry in every chart."""
    ax = plot_projection_ranking(incomplete_result.projection)
    labels = _ytick_texts(ax)
    bars = _patches(ax, "proyeksi")
    i = labels.index("Kab. Garut *")
    assert bars[i].get_hatch() == "////"
    assert all(b.get_hatch() in (None, "") for j, b in enumerate(bars) if j != i)
    assert sum(lab.endswith(" *") for lab in labels) == 1
    assert "* data tidak lengkap" in [t.get_text() for t in ax.get_legend().get_texts()]

    heat = plot_absorption_heatmap(incomplete_result, lang="en")
    assert "Kab. Garut *" in _ytick_texts(heat)
    assert [p.get_hatch() for p in _patches(heat, "data_tidak_lengkap")] == ["////"]
    assert "* data incomplete" in [t.get_text() for t in heat.get_legend().get_texts()]

    fig = plot_absorption_curves(incomplete_result, jenis_dak="fisik")
    garut = next(a for a in fig.axes if a.get_title(loc="left") == "Kab. Garut *")
    assert _patches(garut, "data_tidak_lengkap")
    assert "* data tidak lengkap" in [t.get_text() for t in fig.legends[0].get_texts()]

    s1 = plot_first_semester(incomplete_result)
    j = _ytick_texts(s1).index("Kab. Garut *")
    assert _patches(s1, "kontrak_s1")[j].get_hatch() == "////"
    assert "* data tidak lengkap" in [t.get_text() for t in s1.get_legend().get_texts()]


def test_quarantine_alone_marks_an_opd(result: dm.MonitorResult) -> None:
    """Without a projection, quarantined rows in the ValidationReport mark the OPD."""
    v = result.validation
    fake = v.valid[(v.valid["kode_wilayah"] == "32.79")
                   & (v.valid["jenis_dak"] == "nonfisik")].head(1)
    report = dataclasses.replace(v, quarantine=fake)
    ax = plot_absorption_heatmap(report)
    assert "Kota Banjar *" in _ytick_texts(ax)
    assert sum(t.endswith("*") for t in _ytick_texts(ax)) == 1


# ================================================================================ heatmap
def test_heatmap_array_equals_month_panel(result: dm.MonitorResult) -> None:
    """The heatmap's cells are month_panel's cumulative absorption, lowest latest at the top."""
    ax = plot_absorption_heatmap(result, jenis_dak="nonfisik")
    arr = ax.images[0].get_array()
    v = result.validation.valid
    panel = month_panel(v[(v["tahun"] == 2024) & (v["jenis_dak"] == "nonfisik")])
    wide = panel.pivot(index="kode_wilayah", columns="bulan", values="serapan")
    wide = wide.reindex(columns=range(1, 13))
    order = wide.assign(_k=wide.index).sort_values([6, "_k"]).index
    wide = wide.loc[order]
    assert arr.shape == (27, 12)
    np.testing.assert_allclose(arr[:, :6].filled(np.nan), wide[list(range(1, 7))].to_numpy())
    assert arr.mask[:, 6:].all() and not arr.mask[:, :6].any()
    latest = arr[:, 5]
    assert np.all(np.diff(latest) >= 0)
    names = dict(zip(result.projection.table["kode_wilayah"],
                     result.projection.table["nama_wilayah"], strict=False))
    assert _ytick_texts(ax) == [_short(names[k]) for k in order]
    im = ax.images[0]
    assert im.norm.vmin == 0 and im.norm.vmax == 1
    assert len(ax.figure.axes) == 2  # the heatmap and its colour bar


# ================================================================================= curves
def test_small_multiples_one_panel_per_opd_with_highlights(result: dm.MonitorResult) -> None:
    """All OPDs get a panel with curve, profile and threshold; at-risk/will-miss are framed."""
    fig = plot_absorption_curves(result, jenis_dak="nonfisik")
    assert len(fig.axes) == 27
    t = result.projection.table
    t = t[t["jenis_dak"] == "nonfisik"].set_index("kode_wilayah")
    by_title = {a.get_title(loc="left"): a for a in fig.axes}
    for code, row in t.iterrows():
        a = by_title[_short(row["nama_wilayah"])]
        gids = {ln.get_gid() for ln in a.lines}
        assert {"serapan", "profil", "ambang"} <= gids, code
        curve = next(ln for ln in a.lines if ln.get_gid() == "serapan")
        assert curve.get_ydata()[-1] == pytest.approx(row["serapan"])
        framed = to_hex(a.spines["left"].get_edgecolor()) == STATUS_COLORS.get(row["status"])
        assert framed == (row["status"] in ("at-risk", "will-miss")), code
    prof = next(ln for ln in fig.axes[0].lines if ln.get_gid() == "profil")
    np.testing.assert_allclose(prof.get_ydata(), result.projection.profile["nonfisik"])
    assert prof.get_linestyle() == "--"
    given = plt.figure()
    assert plot_absorption_curves(result, fig=given) is given


def test_single_opd_curve_from_a_frame() -> None:
    """One OPD from a plain frame: an Axes with its months to date and the default profile."""
    from dak_monitor.datasets import make_export

    cur = make_export("nonfisik", year=2024, months=range(1, 5), regions=["32.05", "32.79"])
    ax = plot_absorption_curves(cur, kode_wilayah="32.79", lang="en")
    curve = next(ln for ln in ax.lines if ln.get_gid() == "serapan")
    assert list(curve.get_xdata()) == [1, 2, 3, 4]
    assert ax.get_title(loc="left").startswith("Kota Banjar: cumulative BOKB absorption")
    with pytest.raises(ConfigError):
        plot_absorption_curves(cur, ax=ax)


# ========================================================================= first semester
def _s1_widths(ax: Any) -> pd.DataFrame:
    labels = _ytick_texts(ax)
    return pd.DataFrame({c: [p.get_width() for p in _patches(ax, c)] for c in
                         ("kontrak_s1", "kontrak_susulan", "swakelola", "tanpa_kontrak")},
                        index=labels)


def test_first_semester_shares_sum_to_one_and_are_ranked(result: dm.MonitorResult) -> None:
    """Each OPD's stacked bar sums to 100 % of its DAK fisik pagu, lowest contracted on top."""
    ax = plot_first_semester(result)
    w = _s1_widths(ax)
    assert len(w) == 27
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert np.all(np.diff(w["kontrak_s1"].to_numpy()) >= 0)
    assert "30 Juni 2024" in ax.get_title(loc="left")
    lefts = [p.get_x() for p in _patches(ax, "tanpa_kontrak")]
    np.testing.assert_allclose(lefts, 1 - w["tanpa_kontrak"].to_numpy())


def test_first_semester_matches_hand_computation(result: dm.MonitorResult) -> None:
    """Kota Cimahi's shares equal a direct computation from its item rows."""
    v = result.validation.valid
    f = v[(v["kode_wilayah"] == "32.77") & (v["jenis_dak"] == "fisik")].sort_values("periode")
    items = f.groupby(["menu", "rincian"], dropna=False)
    latest = items.tail(1).set_index(["menu", "rincian"])
    first_date = f.dropna(subset=["tanggal_kontrak"]).groupby(["menu", "rincian"])[
        "tanggal_kontrak"].first()
    cut, dl = pd.Timestamp("2024-06-30"), pd.Timestamp(result.first_semester.deadline)
    share = {"kontrak_s1": 0.0, "kontrak_susulan": 0.0, "swakelola": 0.0, "tanpa_kontrak": 0.0}
    for key, row in latest.iterrows():
        d = first_date.get(key, pd.NaT)
        if "swakelola" in str(row["metode_pengadaan"]).lower():
            share["swakelola"] += row["pagu"]
        elif pd.notna(d) and d <= cut:
            share["kontrak_s1"] += row["pagu"]
        elif pd.notna(d) and d <= dl:
            share["kontrak_susulan"] += row["pagu"]
        else:
            share["tanpa_kontrak"] += row["pagu"]
    total = latest["pagu"].sum()
    w = _s1_widths(plot_first_semester(result)).loc["Kota Cimahi"]
    for cat, money in share.items():
        assert w[cat] == pytest.approx(money / total), cat
    assert 0 < w["kontrak_s1"] < 1 and w["tanpa_kontrak"] > 0


# ============================================================================= formatting
@pytest.mark.parametrize(("value", "text"), [
    (1_234_000_000, "Rp 1,2 M"), (450_000_000, "Rp 450 jt"), (12_000, "Rp 12 rb"),
    (2_000_000_000, "Rp 2 M"), (1_500_000, "Rp 1,5 jt"), (45_250_000, "Rp 45,2 jt"),
    (999_990_000, "Rp 1 M"), (3.2e12, "Rp 3,2 T"), (1_234e9, "Rp 1,2 T"), (750, "Rp 750"),
    (0, "Rp 0"), (-3_450_000, "-Rp 3,5 jt"), (float("nan"), "–"), (None, "–"),
])
def test_format_rupiah(value: object, text: str) -> None:
    """Rupiah in short Indonesian units with a decimal comma."""
    assert format_rupiah(value) == text


@pytest.mark.parametrize(("value", "kwargs", "text"), [
    (0.935, {}, "93,5 %"), (0.93, {"decimals": 0}, "93 %"), (1.0, {}, "100,0 %"),
    (0.0, {"decimals": 0}, "0 %"), (0.12345, {"decimals": 2}, "12,35 %"),
    (12.5, {}, "1.250,0 %"), (float("nan"), {}, "–"), ("x", {}, "–"),
])
def test_format_persen(value: object, kwargs: dict[str, int], text: str) -> None:
    """Percentages with a decimal comma, thousands dot and a space before %."""
    assert format_persen(value, **kwargs) == text




# ========================================================================= style hygiene
def _calls(result: dm.MonitorResult) -> dict[str, Callable[[Any], Any]]:
    return {
        "ranking": lambda ax: plot_projection_ranking(result.projection, ax=ax),
        "heatmap": lambda ax: plot_absorption_heatmap(result, jenis_dak="fisik", ax=ax),
        "first_semester": lambda ax: plot_first_semester(result, ax=ax, lang="en"),
        "curve": lambda ax: plot_absorption_curves(result, kode_wilayah="32.14", ax=ax),
    }


@pytest.mark.parametrize("name", ["ranking", "heatmap", "first_semester", "curve"])
def test_functions_draw_on_the_given_axes(result: dm.MonitorResult, name: str) -> None:
    """Given ax=, a function draws there, returns it and opens no other figure."""
    fig, ax = plt.subplots()
    before = plt.get_fignums()
    out = _calls(result)[name](ax)
    assert out is ax
    assert plt.get_fignums() == before
    assert ax.patches or ax.lines or ax.images


def test_rcparams_unchanged_and_no_show(result: dm.MonitorResult,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Styling is scoped: rcParams are identical after every call, and show() is never called."""
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() was called"))
    before = dict(mpl.rcParams)
    for call in _calls(result).values():
        call(None)
    plot_absorption_curves(result, jenis_dak="fisik")
    after = dict(mpl.rcParams)
    assert {k: v for k, v in after.items() if before.get(k) != v} == {}


def test_new_figures_are_slide_sized_with_large_fonts(result: dm.MonitorResult) -> None:
    """A new figure is 16:9 (13 × 7.3 in); ticks ≥ 11 pt and the title ≥ 14 pt."""
    ax = plot_projection_ranking(result.projection)
    w, h = ax.figure.get_size_inches()
    assert (w, h) == pytest.approx((13, 7.3))
    ax.figure.canvas.draw()
    title = ax.get_title(loc="left")
    sizes = [t.get_fontsize() for t in ax.findobj(Text) if t.get_text() == title]
    assert sizes and min(sizes) >= 14
    assert min(t.get_fontsize() for t in ax.get_yticklabels() + ax.get_xticklabels()) >= 11


# ================================================================================== files
def test_save_figures_writes_pngs_and_closes(result: dm.MonitorResult, tmp_path: Path) -> None:
    """save_figures writes every chart as a non-empty PNG in a new folder and closes them."""
    before = plt.get_fignums()
    paths = save_figures(result, tmp_path / "gambar", dpi=40)
    assert sorted(paths) == ["heatmap_fisik", "heatmap_nonfisik", "kurva_fisik",
                             "kurva_nonfisik", "peringkat_fisik", "peringkat_nonfisik",
                             "semester1_fisik"]
    for name, path in paths.items():
        assert path == tmp_path / "gambar" / f"{name}.png"
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000
    assert plt.get_fignums() == before


def test_save_figures_skips_an_absent_kind(result: dm.MonitorResult, tmp_path: Path) -> None:
    """With DAK nonfisik only, the fisik charts are skipped rather than failing."""
    v = result.validation
    only = dataclasses.replace(v, valid=v.valid[v.valid["jenis_dak"] == "nonfisik"])
    t = result.projection.table
    proj = dataclasses.replace(result.projection, table=t[t["jenis_dak"] == "nonfisik"])
    res = dataclasses.replace(result, validation=only, projection=proj)
    paths = save_figures(res, tmp_path, dpi=30, lang="en")
    assert sorted(paths) == ["heatmap_nonfisik", "kurva_nonfisik", "peringkat_nonfisik"]
    assert plt.get_fignums() == []


# ============================================================================== reporting
def test_reporting_heatmap_colours_each_status() -> None:
    """Garut (32.05) reports April–June; Bogor (32.01) skips May and sends one menu of two in
    June: the grid holds reported / missing / partial in place, months not expected masked;
    the legend names every status in Indonesian."""
    from helpers import frame

    recs = [{"kode": "32.05", "bulan": m, "menu": mn, "pagu": 100, "realisasi": 10}
            for m in (4, 5, 6) for mn in ("A", "B")]
    recs += [{"kode": "32.01", "bulan": 4, "menu": mn, "pagu": 100, "realisasi": 10}
             for mn in ("A", "B")]
    recs += [{"kode": "32.01", "bulan": 6, "menu": "A", "pagu": 100, "realisasi": 10}]
    ax = dm.plot_reporting_status(dm.reporting_status(frame(recs)))
    arr = ax.images[0].get_array()
    order = ["missing", "partial", "late", "revised", "reported"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Kab. Bogor", "Kab. Garut"]
    assert [order[int(v)] for v in arr[0, 3:6]] == ["reported", "missing", "partial"]
    assert [order[int(v)] for v in arr[1, 3:6]] == ["reported"] * 3
    assert arr.mask[:, :3].all() and arr.mask[:, 6:].all()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["tidak ada laporan", "laporan sebagian", "terlambat", "direvisi",
                      "dilaporkan"]
    plt.close(ax.figure)
    with pytest.raises(dm.ConfigError):
        dm.plot_reporting_status(frame(recs))
