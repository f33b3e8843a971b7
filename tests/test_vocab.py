"""The one vocabulary (``dak_monitor._vocab``): words, labels and colours declared once."""

from __future__ import annotations

import re

import pytest
from matplotlib.colors import to_rgb

import dak_monitor as dm
from dak_monitor._vocab import (
    AT_RISK_STATUSES,
    ITEM_STATES,
    KINDS,
    LANGS,
    MARKS,
    MONTHS,
    PALETTE,
    S1_CATEGORIES,
    SEVERITIES,
    SEVERITY_RANK,
    STATUSES,
    Term,
    Terms,
    check_lang,
    month_name,
)
from dak_monitor._vocab import columns as C

ALL_TERMS = {"kinds": KINDS, "statuses": STATUSES, "severities": SEVERITIES, "months": MONTHS,
             "item_states": ITEM_STATES, "s1": S1_CATEGORIES, "marks": MARKS}
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("name", ALL_TERMS)
def test_every_term_has_both_labels(name: str) -> None:
    """Each code has a non-empty Indonesian and English label; codes are unique."""
    terms = ALL_TERMS[name]
    assert len(set(terms.codes)) == len(terms)
    for lang in LANGS:
        labels = terms.labels(lang)
        assert set(labels) == set(terms.codes)
        assert all(isinstance(v, str) and v.strip() for v in labels.values())


def test_the_codes_are_the_ones_the_frames_carry() -> None:
    """Kinds are the canonical jenis_dak values; statuses and severities their known codes."""
    assert KINDS.codes == C.KINDS
    assert STATUSES.codes == ("on-track", "at-risk", "will-miss")
    assert set(AT_RISK_STATUSES) == {"at-risk", "will-miss"}
    assert SEVERITIES.codes == ("error", "warning", "info")
    assert sorted(SEVERITY_RANK, key=SEVERITY_RANK.get, reverse=True) == list(SEVERITIES.codes)


@pytest.mark.parametrize("terms", [STATUSES, SEVERITIES])
def test_drawn_terms_have_a_fill_and_a_line_colour(terms: Terms) -> None:
    """Statuses and severities are drawn in cells and figures: both colours, valid hex."""
    assert set(terms.fills()) == set(terms.codes) == set(terms.lines())
    for colour in [*terms.fills().values(), *terms.lines().values()]:
        assert HEX.match(colour), colour


def test_will_miss_stands_out_in_lightness_for_colour_blind_readers() -> None:
    """The will-miss colour is told apart from the other two by lightness alone (red-green
    colour blindness), in figures and in cells. (On-track green and at-risk orange are close
    in lightness; their labels tell them apart.)"""
    for palette in (STATUSES.lines(), STATUSES.fills()):
        lum = {k: _luminance(c) for k, c in palette.items()}
        assert lum["will-miss"] < min(lum["on-track"], lum["at-risk"]) - 0.1, lum


def test_palette_colours_are_valid() -> None:
    assert all(HEX.match(c) for c in PALETTE.values())


def test_labels_per_language_and_short_forms() -> None:
    assert STATUSES.label("will-miss", "id") == "diproyeksi meleset"
    assert STATUSES.label("will-miss", "en") == "will miss"
    assert KINDS.label("nonfisik", short=True) == "BOKB"
    assert KINDS["nonfisik"].label("en") == "BOKB (nonfisik)"
    assert STATUSES.label("no-such-code") == "no-such-code"  # unknown codes shown as they are


@pytest.mark.parametrize("lang", ["fr", "ID", ""])
def test_unknown_language_is_a_config_error(lang: str) -> None:
    with pytest.raises(dm.ConfigError, match="lang must be"):
        check_lang(lang)
    with pytest.raises(dm.ConfigError):
        STATUSES["on-track"].label(lang)


def test_months_long_short_and_every_spelling_the_reader_accepts() -> None:
    """Twelve months in order; every alias parses to its month through the reader's table."""
    from dak_monitor._parse import MONTHS_ID

    assert [month_name(m) for m in (1, 8, 12)] == ["Januari", "Agustus", "Desember"]
    assert [month_name(m, "en", short=True) for m in (5, 10)] == ["May", "Oct"]
    assert MONTHS.codes == tuple(str(m) for m in range(1, 13))
    for code, term in MONTHS.items():
        assert term.id.casefold() in term.aliases
        for alias in term.aliases:
            assert MONTHS_ID[alias] == int(code)
    assert len(MONTHS_ID) == sum(len(t.aliases) for t in MONTHS.values()), "an alias twice"


def test_terms_refuse_a_duplicate_code() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Terms(Term("a", "A", "A"), Term("a", "B", "B"))


def test_reporting_statuses_and_coverage_grades_are_drawn_words() -> None:
    """Each reporting status and coverage grade has both labels, a fill and a line colour;
    the statuses are listed in the order one is chosen (missing first)."""
    from dak_monitor._vocab import COVERAGE_GRADES, REPORTING_STATUSES

    assert list(REPORTING_STATUSES) == ["missing", "partial", "late", "revised", "reported"]
    assert list(COVERAGE_GRADES) == ["green", "yellow", "red"]
    for terms in (REPORTING_STATUSES, COVERAGE_GRADES):
        assert set(terms.fills()) == set(terms) == set(terms.lines())
        for code in terms:
            assert terms.label(code, "id") and terms.label(code, "en")
    assert REPORTING_STATUSES.label("missing") == "tidak ada laporan"
