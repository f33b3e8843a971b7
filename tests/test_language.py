"""One language per output: every text a person reads in the report, scanned for the other
language's words and number formats.

Scanned, for ``--lang id`` and ``--lang en``: summary.md, report.html, every workbook cell,
the CSV headers and the ``report`` command's stdout and stderr. Left out, as the issue says:
the machine-code columns (``Kode …`` / ``… code``) and text quoted from the exports (OPD,
menu, rincian, file and sheet names, which are Indonesian in any report). Also left out, and
named here because they are not translated yet: the reader's notes (the ``Berkas`` sheet's
"Catatan pembaca" column and summary.md's files section), which are English in both reports.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import lxml.html
import openpyxl
import pytest

import dak_monitor as dm
from dak_monitor.cli import main

ROOT = Path(__file__).resolve().parents[1]
CURRENT = ROOT / "data_samples" / "current"
HISTORY = ROOT / "data_samples" / "history"

#: English words and number styles that must not appear in an Indonesian output.
NOT_ID = re.compile(r"\b(rows?|warnings?|skipped|quarantined|threshold|absorption|none|"
                    r"incomplete|latest|reported|January|February|March|May|June|July|August|"
                    r"October|December|on track|at risk|will miss)\b|\d,\d{3}\b")
#: Indonesian words and number styles that must not appear in an English output.
NOT_EN = re.compile(r"\b(baris|peringatan|dilewati|dikarantina|ambang|serapan|tidak|dan|"
                    r"laporan|Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober|Desember|"
                    r"sesuai target|berisiko|diproyeksi meleset)\b|\d\.\d{3}\b")
_CODE_HEADER = re.compile(r"^Kode (status|tingkat|jenis DAK|flag|tingkat terberat)$|"
                          r"^(Status|Severity|DAK kind|Worst severity) code$|^Flag codes$|"
                          r"^(Kode|Code)$")


@pytest.fixture(scope="module")
def reports(monitor_result: dm.MonitorResult, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, tuple[Path, str]]:
    """The samples' report in each language, through the CLI: folder and what it printed."""
    out = {}
    for lang in ("id", "en"):
        folder = tmp_path_factory.mktemp(f"lang_{lang}") / "laporan"
        buf_out, buf_err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(buf_out), contextlib.redirect_stderr(buf_err):
            assert main(["report", str(CURRENT), "--history", str(HISTORY), "--out",
                         str(folder), "--lang", lang]) == 0
        out[lang] = (folder, buf_out.getvalue() + buf_err.getvalue())
    return out


def _quoted(result: dm.MonitorResult) -> list[str]:
    """Text the outputs quote from the exports, longest first (removed before scanning)."""
    valid = result.validation.valid
    texts: set[str] = set()
    for col in ("menu", "rincian", "nama_wilayah", "sumber_file", "sumber_sheet"):
        if col in valid:
            texts |= {str(v) for v in valid[col].dropna().unique()}
    texts |= {str(v) for v in result.projection.table["nama_wilayah"].dropna()}
    texts |= {Path(t).name for t in list(texts)}
    return sorted((t for t in texts if len(t) > 2), key=len, reverse=True)


#: Machine codes are kebab-case (``low-s1-absorption``): keys, not words, in any language.
_CODES = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")


def _scrub(text: str, quoted: list[str]) -> str:
    for q in quoted:
        text = text.replace(q, " ")
    return _CODES.sub(" ", text)


def _hits(text: str, lang: str) -> list[str]:
    rx = NOT_ID if lang == "id" else NOT_EN
    return sorted({m.group(0) for m in rx.finditer(text)})


@pytest.mark.parametrize("lang", ["id", "en"])
def test_summary_md_is_in_one_language(reports: dict[str, tuple[Path, str]],
                                       monitor_result: dm.MonitorResult, lang: str) -> None:
    text = (reports[lang][0] / "summary.md").read_text(encoding="utf-8")
    # The files section quotes the reader's notes, English for now (see the module's doc).
    text = re.sub(r"\n## (Berkas dibaca|Files read)[^\n]*\n.*?(?=\n## )", "\n", text,
                  flags=re.S)
    assert _hits(_scrub(text, _quoted(monitor_result)), lang) == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_html_is_in_one_language(reports: dict[str, tuple[Path, str]],
                                        monitor_result: dm.MonitorResult, lang: str) -> None:
    doc = lxml.html.fromstring((reports[lang][0] / "report.html").read_text(encoding="utf-8"))
    for style in doc.xpath("//style"):
        style.getparent().remove(style)
    # The reader's notes (files table) and the machine codes are left out.
    for table in doc.xpath("//h2[starts-with(., 'Berkas') or starts-with(., 'Files')]"
                           "/following-sibling::table[1]"):
        table.getparent().remove(table)
    for td in doc.xpath("//td[@data-label='Kode' or @data-label='Code']"):
        td.getparent().remove(td)
    text = _scrub(doc.text_content(), _quoted(monitor_result))
    assert _hits(text, lang) == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_workbook_is_in_one_language(reports: dict[str, tuple[Path, str]],
                                     monitor_result: dm.MonitorResult, lang: str) -> None:
    wb = openpyxl.load_workbook(reports[lang][0] / "report.xlsx")
    quoted = _quoted(monitor_result)
    found: dict[str, list[str]] = {}
    for ws in wb.worksheets:
        skip_cols: set[int] = set()
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if _CODE_HEADER.match(value) or value in ("Catatan pembaca",
                                                          "What the reader inferred"):
                    skip_cols.add(cell.column)
                    continue
                if cell.column in skip_cols:
                    continue
                hits = _hits(_scrub(value, quoted), lang)
                if hits:
                    found.setdefault(f"{ws.title}!{cell.coordinate}", hits)
    assert found == {}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_csv_headers_and_cli_output_are_in_one_language(
        reports: dict[str, tuple[Path, str]], monitor_result: dm.MonitorResult,
        lang: str) -> None:
    folder, printed = reports[lang]
    sep = ";" if lang == "id" else ","
    for name in ("projection.csv", "flags.csv", "problems.csv", "first_semester.csv"):
        with (folder / name).open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh, delimiter=sep))
        assert _hits(" | ".join(h for h in header if not _CODE_HEADER.match(h)), lang) == [], name
    # stdout and stderr of `report`, the result's names quoted from the exports aside (and
    # the output folder the user named)
    assert _hits(_scrub(printed.replace(str(folder), " "), _quoted(monitor_result)),
                 lang) == []


def test_the_scan_catches_the_other_language() -> None:
    """The patterns find what they are for (a test that cannot fail protects nothing)."""
    assert set(_hits("4,428 rows read; June 2024; 0 warnings", "id")) == {
        "4,428", "June", "rows", "warnings"}
    assert set(_hits("4.428 baris dibaca; Juni 2024; 0 peringatan", "en")) == {
        "4.428", "Juni", "baris", "peringatan"}
    assert _hits("32.01 Kab. Garut 25,93% 30/06/2024", "en") == []
