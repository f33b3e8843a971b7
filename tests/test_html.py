"""Results that show themselves (``_html.py`` and the results' ``__repr__``, ``_repr_html_``,
``summary(lang=…)``): short, compact, escaped, in both languages."""

from __future__ import annotations

import html

import pandas as pd
import pytest
from lxml import etree

import dak_monitor as dm
from dak_monitor._html import SHOW_ROWS, card, esc, table

EVIL = '<img src=x onerror="alert(1)">&'


def results(r: dm.MonitorResult) -> list[object]:
    return [r.export, r.validation, r.projection, r]


def well_formed(markup: str) -> etree._Element:
    """The HTML parses as XML: every tag closed, every ``<`` and ``&`` of text escaped."""
    return etree.fromstring(markup.encode())


# ================================================================================= helpers
def test_esc_escapes_markup_and_controls() -> None:
    assert esc(EVIL) == html.escape(EVIL, quote=True)
    assert "\x1b" not in esc("a\x1b[31mb")
    assert esc(pd.NA) == esc(None) == esc(float("nan")) == ""


def test_table_shows_at_most_the_head_and_says_how_many_more() -> None:
    frame = pd.DataFrame({"n": range(SHOW_ROWS + 7)})
    root = well_formed(table(frame))
    cells = [td.text for td in root.iter("td")]
    assert cells[:SHOW_ROWS] == [str(i) for i in range(SHOW_ROWS)]
    assert str(SHOW_ROWS) not in cells  # row SHOW_ROWS is not shown
    assert "7" in root.findtext(".//i")


def test_card_escapes_title_facts_and_section_names() -> None:
    markup = card(EVIL, [EVIL], [(EVIL, "<table></table>")])
    root = well_formed(markup)
    assert "<img" not in markup
    assert EVIL in root.itertext()


# ============================================================================ the results
def test_reprs_are_short(monitor_result: dm.MonitorResult) -> None:
    for obj in results(monitor_result):
        text = repr(obj)
        assert len(text) < 300 and text.count("\n") <= 2, (type(obj).__name__, text)
        assert text.startswith(type(obj).__name__ + "(")


def test_export_repr_counts_files_and_sheets(monitor_result: dm.MonitorResult) -> None:
    """7 files (6 CSV/XLSX of one sheet or several) are files=7, not file × sheet pairs."""
    ex = monitor_result.export
    text = repr(ex)
    assert "files=7," in text  # data_samples/current holds 7 files
    assert f"sheets={len(ex.files)}," in text and len(ex.files) > 7


def test_repr_html_is_compact_and_well_formed(monitor_result: dm.MonitorResult) -> None:
    for obj in results(monitor_result):
        markup = obj._repr_html_()
        root = well_formed(markup)
        assert len(markup) < 20_000, type(obj).__name__
        assert len(root.findall(".//tr")) <= 4 * (SHOW_ROWS + 2)


def test_projection_html_ranks_lowest_first_in_status_colours(
        monitor_result: dm.MonitorResult) -> None:
    p = monitor_result.projection
    root = well_formed(p._repr_html_())
    rows = root.find(".//table").findall("./tbody/tr")
    shown = [r.findall("td")[3].text for r in rows[:SHOW_ROWS]]
    lowest = p.table["proyeksi"].sort_values().head(SHOW_ROWS)
    assert shown == [f"{v:.1%}".replace("%", " %") for v in lowest]
    assert rows[0].get("style")  # the lowest is not on track: coloured


def test_export_text_is_escaped_in_html() -> None:
    """A name or cell text from an export never becomes markup."""
    df = pd.DataFrame({"tahun": [2024], "periode": ["Juni 2024"], "kode_wilayah": ["32.05"],
                       "menu": ["BKB"], "pagu": [1000], "realisasi": [2000]})
    report = dm.validate_export(df, name=EVIL)
    for obj in (report.export, report):
        markup = obj._repr_html_()
        assert "<img" not in markup
        assert EVIL in "".join(well_formed(markup).itertext())


def test_validation_html_lists_problems_per_check() -> None:
    df = pd.DataFrame({"tahun": [2024] * 3, "periode": ["Juni 2024"] * 3,
                       "kode_wilayah": ["32.05", "32.79", "32.04"], "menu": ["BKB"] * 3,
                       "pagu": [1000, 1000, 1000], "realisasi": [2000, 3000, 10]})
    root = well_formed(dm.validate_export(df)._repr_html_())
    first = root.find(".//table")
    cells = [td.text for td in first.find("./tbody/tr").findall("td")]
    assert cells[0] == "realisasi-above-pagu" and cells[2] == "2"
    assert cells[4] == "<DataFrame> baris/row 2"


# ================================================================================ summaries
def test_summaries_speak_both_languages(monitor_result: dm.MonitorResult) -> None:
    words = {dm.Export: ("dibaca", "read from"), dm.ValidationReport: ("Validasi", "Validation"),
             dm.Projection: ("Proyeksi", "projection"), dm.MonitorResult: ("Flag:", "Flags:")}
    for obj in results(monitor_result):
        id_word, en_word = words[type(obj)]
        assert id_word in obj.summary() and id_word in obj.summary(lang="id")
        assert en_word in obj.summary(lang="en") and id_word not in obj.summary(lang="en")
        with pytest.raises(dm.ConfigError, match="lang"):
            obj.summary(lang="fr")
