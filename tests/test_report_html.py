"""``dak_monitor._report_html``: report.html, one self-contained page for a phone and for print.

The browser tests open the page in a real headless Chromium (Debian's ``chromium`` and
``chromium-driver``; ``.ci/run`` installs them when missing). Outside CI, a machine without
them skips those tests; in CI (``CI`` set) they must run.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

import dak_monitor as dm
from dak_monitor._report_html import report_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
_no_browser = pytest.mark.skipif(
    not (CHROMIUM and DRIVER) and not os.environ.get("CI"),
    reason="Chromium and chromedriver not installed (.ci/run installs them)")


@pytest.fixture(scope="module")
def page_dir(monitor_result: dm.MonitorResult, tmp_path_factory: pytest.TempPathFactory
             ) -> Path:
    """The samples' full report (figures included), written once."""
    out = tmp_path_factory.mktemp("html") / "laporan"
    dm.write_report(monitor_result, out)
    return out


# ---------------------------------------------------------------------------- the page
def test_the_page_is_self_contained(page_dir: Path) -> None:
    """One file: no script, no external style sheet, font or image; every figure embedded."""
    text = (page_dir / "report.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(text)
    assert doc.get("lang") == "id"
    assert not doc.xpath("//script | //link | //iframe | //object | //embed")
    srcs = doc.xpath("//img/@src")
    assert len(srcs) == len(list((page_dir / "figures").glob("*.png"))) > 0
    assert all(s.startswith("data:image/png;base64,") for s in srcs)
    for src in srcs:
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not re.search(r"(?i)(src|href)\s*=\s*[\"']?(https?:|//)", text)
    assert "@import" not in text and "url(" not in text


def test_the_page_carries_the_report(page_dir: Path, monitor_result: dm.MonitorResult
                                     ) -> None:
    """Headline, agenda (every OPD not on track), flags, data problems, files, basis."""
    doc = lxml.html.fromstring((page_dir / "report.html").read_text(encoding="utf-8"))
    heads = [h.text_content() for h in doc.xpath("//h2")]
    for want in ("Angka utama", "Agenda", "Flag", "Masalah data", "Berkas dibaca",
                 "Dasar laporan", "Grafik"):
        assert any(h.startswith(want) for h in heads), want
    t = monitor_result.projection.table
    not_on_track = int((t["status"] != "on-track").sum())
    agenda = doc.xpath("//h2[starts-with(., 'Agenda')]/following-sibling::table[1]//tbody/tr")
    assert len(agenda) == not_on_track
    assert f"({not_on_track})" in heads[1]
    text = doc.text_content()
    v = monitor_result.validation.totals()
    assert f"{v['rows_read']:,} baris dibaca".replace(",", ".") in text


def test_export_text_is_escaped() -> None:
    """Text from an export never becomes markup or a control sequence: a menu named
    ``<img onerror=…>`` is shown as text in the table cell that holds it."""
    import pandas as pd

    from dak_monitor._report_html import _table

    evil = '<img src=x onerror="alert(1)">\x1b[31m'
    html = _table(pd.DataFrame({"nama": ["Kab. Garut"], "alasan": [evil]}), "id")
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//img | //*[@onerror]")
    cell = doc.xpath("//td")[1].text_content()
    assert cell.startswith('<img src=x onerror="alert(1)">')
    assert "\x1b" not in cell  # the escape is shown, not sent


def test_one_language_per_page(monitor_result: dm.MonitorResult) -> None:
    """The English page has no Indonesian report words, the Indonesian none of English."""
    id_text = lxml.html.fromstring(report_html(monitor_result)).text_content()
    en_text = lxml.html.fromstring(report_html(monitor_result, lang="en")).text_content()
    assert "Juni 2024" in id_text and "June 2024" in en_text
    for word in ("rows read", "warnings", "On the agenda", "June", "What this report"):
        assert word not in id_text, word
    for word in ("baris dibaca", "peringatan", "Agenda:", "Juni", "Dasar laporan"):
        assert word not in en_text, word


# ------------------------------------------------------------------------- in a browser
@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Headless Chromium driven by chromedriver, offline (no Selenium Manager download)."""
    if not (CHROMIUM and DRIVER):
        pytest.fail("CI must have Chromium and chromedriver: .ci/run installs them")
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: object, path: Path, width: int, height: int) -> None:
    driver.set_window_size(width, height)  # type: ignore[attr-defined]
    driver.get(path.resolve().as_uri())  # type: ignore[attr-defined]
    driver.execute_script("return document.readyState")  # type: ignore[attr-defined]


_IMAGES = """return Array.from(document.images).map(i => [i.complete, i.naturalWidth,
             i.getBoundingClientRect().right <= document.documentElement.clientWidth + 1]);"""
_OVERFLOW = """return [document.documentElement.scrollWidth, document.documentElement.clientWidth,
             Array.from(document.querySelectorAll('table, dl, figure, h1, h2, p'))
               .filter(e => e.getBoundingClientRect().right >
                            document.documentElement.clientWidth + 1)
               .map(e => e.tagName + ':' + e.textContent.slice(0, 40))];"""


@_no_browser
def test_on_a_phone_every_figure_loads_and_nothing_overflows(
        browser: object, page_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """390 × 844 CSS pixels (a common phone): every image loaded and within the screen, no
    element wider than the screen, nothing in the console; a screenshot is kept."""
    _open(browser, page_dir / "report.html", 390, 844)
    images = browser.execute_script(_IMAGES)  # type: ignore[attr-defined]
    assert len(images) == len(list((page_dir / "figures").glob("*.png")))
    assert all(done and width > 0 and inside for done, width, inside in images), images
    scroll, client, wide = browser.execute_script(_OVERFLOW)  # type: ignore[attr-defined]
    assert scroll <= client and not wide, (scroll, client, wide)
    logs = browser.get_log("browser")  # type: ignore[attr-defined]
    assert not [e for e in logs if e["level"] in ("SEVERE", "WARNING")], logs
    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    browser.set_window_size(390, 2400)  # type: ignore[attr-defined]
    assert browser.save_screenshot(str(shots / "report_phone.png"))  # type: ignore[attr-defined]
    print(f"screenshot: {shots / 'report_phone.png'}")


@_no_browser
def test_printed_on_a4_nothing_overflows(browser: object, page_dir: Path,
                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    """With the print style sheet at an A4 landscape page's width (297 mm less 2 × 12 mm
    margins ≈ 1032 CSS px), no table or figure is wider than the page; printed to PDF
    through the browser it is A4, a few pages, and kept beside the screenshot."""
    from selenium.webdriver.common.print_page_options import PrintOptions

    _open(browser, page_dir / "report.html", 1032, 1200)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",  # type: ignore[attr-defined]
                            {"media": "print"})
    try:
        scroll, client, wide = browser.execute_script(_OVERFLOW)  # type: ignore[attr-defined]
        assert scroll <= client and not wide, (scroll, client, wide)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia",  # type: ignore[attr-defined]
                                {"media": ""})
    opts = PrintOptions()
    opts.orientation = "landscape"
    opts.page_width, opts.page_height = 21.0, 29.7
    pdf = base64.b64decode(browser.print_page(opts))  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    figures = len(list((page_dir / "figures").glob("*.png")))
    assert figures < pages <= figures + 12, pages  # a figure a page, the tables before
    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    (shots / "report_a4.pdf").write_bytes(pdf)
