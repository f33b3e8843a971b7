"""``report.html``: the meeting report as one self-contained page, for a phone and for print.

One file to forward: the headline, the OPDs on the agenda with their reasons, the flags, the
data problems, the files read and what the reader inferred, what the report rests on, and the
figures embedded as data (no network, no script, no external font or style sheet). On a
narrow screen each table row becomes a card; printed from a browser it fits A4 landscape,
table headers repeated, a figure never split. One language, from the same report data as the
workbook and ``summary.md`` (``_report_data``); every text from an export is escaped.
"""

from __future__ import annotations

import base64
import functools
import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pandas as pd

from ._report_data import basis, cell_text, files_read, for_people, ranking, refuse_inputs
from ._text import fmt_month, fmt_number, printable
from ._vocab import KINDS, MARKS, ON_TRACK, PALETTE, SEVERITIES, STATUSES, check_lang
from ._vocab.report import CODE_SUFFIX, COLUMN_KINDS, REPORT_COLUMNS
from .exceptions import OutputError

__all__ = ["report_html", "write_html_report"]

_CSS: Final = """
:root { --ink: %(ink)s; --head: %(neutral)s; --muted: %(caption)s; --grid: %(grid)s; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: var(--ink); margin: 0 auto; padding: 12px; max-width: 1100px; font-size: 15px;
       line-height: 1.4; }
h1 { font-size: 1.45em; margin: 0.2em 0 0.6em; }
h2 { font-size: 1.15em; color: var(--head); border-bottom: 2px solid var(--head);
     margin-top: 1.6em; padding-bottom: 0.15em; }
p.note, figcaption, .muted { color: var(--muted); font-size: 0.9em; }
table { border-collapse: collapse; width: 100%%; margin: 0.5em 0; font-size: 0.92em; }
th { background: var(--head); color: #fff; text-align: left; vertical-align: bottom; }
th, td { padding: 4px 6px; border: 1px solid var(--grid); vertical-align: top;
         overflow-wrap: break-word; }
td.path { word-break: break-all; }
td.num { text-align: right; white-space: nowrap; }
dl.basis { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
dl.basis dt { font-weight: 600; }
dl.basis dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%%; height: auto; display: block; }
@media (max-width: 700px) {
  body { font-size: 14px; padding: 8px; }
  table.cards thead { display: none; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%%; }
  table.cards tr { border: 1px solid var(--grid); border-radius: 6px; margin: 0 0 8px;
                   padding: 4px 6px; }
  table.cards td { border: none; padding: 2px 0; text-align: left; white-space: normal; }
  table.cards td::before { content: attr(data-label) ": "; font-weight: 600; }
  dl.basis { grid-template-columns: 1fr; }
  dl.basis dd { margin-bottom: 4px; }
}
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  figure { break-before: page; page-break-before: always; }
}
"""


def _table(frame: pd.DataFrame, lang: str, *, status_col: str | None = None,
           severity_col: str | None = None) -> str:
    """A report table (see :func:`for_people`) as HTML: headers for people, numbers in the
    language's style, rows coloured by status or severity; the code columns left out."""
    cols = [c for c in frame.columns if not c.endswith(CODE_SUFFIX)]
    fills = {STATUSES.label(c, lang): t.fill for c, t in STATUSES.items()}
    fills.update({SEVERITIES.label(c, lang): t.fill for c, t in SEVERITIES.items()})
    head = "".join(f"<th>{html.escape(REPORT_COLUMNS.label(c, lang))}</th>" for c in cols)
    rows = []
    for rec in frame.to_dict("records"):
        key = rec.get(status_col or severity_col or "", None)
        style = f' style="background:{fills[key]}"' if key in fills else ""
        cells = "".join(
            f'<td{" class=num" if COLUMN_KINDS.get(c) in ("pct", "money", "int") else ""}'
            f'{" class=path" if c in ("sumber_file", "file") else ""}'
            f' data-label="{html.escape(REPORT_COLUMNS.label(c, lang))}">'
            f"{html.escape(printable(cell_text(rec[c], c, lang)))}</td>" for c in cols)
        rows.append(f"<tr{style}>{cells}</tr>")
    return (f'<table class="cards"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _png(path: str | os.PathLike[str]) -> str:
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def report_html(result: Any, *, lang: str = "id",
                figures: Mapping[str, str | os.PathLike[str]] | None = None) -> str:
    """The report as one self-contained HTML page in ``lang`` (see :func:`write_html_report`).

    Examples
    --------
    >>> import dak_monitor as dm  # doctest: +SKIP
    >>> page = report_html(dm.monitor("data_samples/current"), lang="en")  # doctest: +SKIP
    >>> page.startswith("<!DOCTYPE html>")  # doctest: +SKIP
    True
    """
    check_lang(lang)
    en = lang == "en"
    proj = result.projection
    t = proj.table
    month = fmt_month(proj.as_of, lang)
    title = ("DAK Bangga Kencana absorption monitoring" if en
             else "Pemantauan Serapan DAK Bangga Kencana")
    esc = functools.partial(html.escape, quote=True)
    out = [f"<h1>{esc(title)} — {esc(month)}</h1>"]
    # headline
    out.append(f"<h2>{'Headline' if en else 'Angka utama'}</h2>")
    head = pd.DataFrame([{
        "jenis_dak": KINDS.label(str(kind), lang), "pagu": float(g["pagu"].sum()),
        "realisasi": float(g["realisasi"].sum()),
        "serapan": float(g["realisasi"].sum()) / float(g["pagu"].sum())
        if float(g["pagu"].sum()) else 0.0,
        **{STATUSES.label(c, lang): int((g["status"] == c).sum()) for c in STATUSES}}
        for kind, g in t.groupby("jenis_dak", sort=False)])
    if len(head):
        cols = ["jenis_dak", "pagu", "realisasi", "serapan"]
        hdr = "".join(f"<th>{esc(REPORT_COLUMNS.label(c, lang))}</th>" for c in cols) + "".join(
            f"<th>{esc(STATUSES.label(c, lang))}</th>" for c in STATUSES)
        body = "".join(
            "<tr>" + "".join(
                f'<td data-label="{esc(REPORT_COLUMNS.label(c, lang))}"'
                f'{" class=num" if c != "jenis_dak" else ""}>'
                f"{esc(cell_text(r[c], c, lang))}</td>" for c in cols) + "".join(
                f'<td class=num data-label="{esc(STATUSES.label(c, lang))}">'
                f"{r[STATUSES.label(c, lang)]}</td>" for c in STATUSES) + "</tr>"
            for r in head.to_dict("records"))
        out.append(f'<table class="cards"><thead><tr>{hdr}</tr></thead><tbody>{body}</tbody>'
                   f"</table>")
    incomplete = int((~t["data_lengkap"]).sum()) if len(t) else 0
    if incomplete:
        out.append(f"<p class=note>{incomplete} " + (
            "OPD × DAK kind with incomplete data (*)" if en else
            "OPD × jenis DAK dengan data tidak lengkap (*)") + "</p>")
    unread = result.export.file_problems
    if len(unread):
        names = ", ".join(esc(printable(Path(f).name)) for f in unread["sumber_file"])
        out.append(f"<p class=note>{'Files not read' if en else 'Berkas tidak dibaca'}: "
                   f"{names}</p>")
    # agenda
    rank = ranking(result, lang)
    agenda = rank[rank["status"] != ON_TRACK].sort_values("proyeksi")
    out.append(f"<h2>{'On the agenda: not on track, lowest projection first' if en else 'Agenda: tidak sesuai target, proyeksi terendah di atas'}"
               f" ({len(agenda)})</h2>")
    if len(agenda):
        out.append(_table(for_people(agenda[["jenis_dak", "nama", "serapan", "proyeksi",
                                             "batas_bawah", "batas_atas", "p_di_bawah_ambang",
                                             "status", "alasan"]], lang), lang,
                          status_col="status"))
        out.append("<p class=note>(*) " + (
            "incomplete data or an older report: see the workbook's Peringkat sheet" if en
            else "data tidak lengkap atau laporan lama: lihat lembar Peringkat di workbook")
            + "</p>")
    else:
        out.append(f"<p>{esc(MARKS.label('none', lang).capitalize())}.</p>")
    # flags
    out.append(f"<h2>{'Flags' if en else 'Flag'}</h2>")
    fl = result.flags
    if len(fl):
        counts = fl.groupby(["title_id", "title_en", "severity", "code"], sort=False).size(
        ).reset_index(name="n")
        out.append(_table(for_people(counts, lang), lang, severity_col="severity"))
    else:
        out.append(f"<p>{esc(MARKS.label('none', lang).capitalize())}.</p>")
    # data problems
    v = result.validation.totals()
    num = functools.partial(fmt_number, lang=lang)
    out.append(f"<h2>{'Data problems' if en else 'Masalah data'}</h2>")
    out.append("<p>" + esc(
        f"{num(v['rows_read'])} rows read = {num(v['rows_valid'])} valid + "
        f"{num(v['rows_quarantined'])} quarantined + {num(v['rows_skipped'])} skipped; "
        f"{num(result.validation.n_errors)} errors, {num(result.validation.n_warnings)} "
        f"warnings." if en else
        f"{num(v['rows_read'])} baris dibaca = {num(v['rows_valid'])} valid + "
        f"{num(v['rows_quarantined'])} dikarantina + {num(v['rows_skipped'])} dilewati; "
        f"{num(result.validation.n_errors)} error, {num(result.validation.n_warnings)} "
        f"peringatan.") + "</p>")
    probs = result.validation.problems
    if len(probs):
        counts = probs.groupby(["severity", "code"], sort=False).size().reset_index(name="n")
        out.append(_table(for_people(counts, lang), lang, severity_col="severity"))
    # files read
    read = files_read(result)
    inferred = read[read["catatan"] != ""]
    out.append(f"<h2>{'Files read and what the reader inferred' if en else 'Berkas dibaca dan yang disimpulkan pembaca'}</h2>")
    out.append("<p class=note>" + esc(
        f"{len(read)} file/sheet(s) read; {len(inferred)} with notes." if en else
        f"{len(read)} berkas/lembar dibaca; {len(inferred)} dengan catatan.") + "</p>")
    if len(inferred):
        out.append(_table(for_people(inferred[["sumber_file", "sumber_sheet", "catatan"]],
                                     lang), lang))
    # basis
    out.append(f"<h2>{'What this report rests on' if en else 'Dasar laporan'}</h2>")
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(printable(num(v) if isinstance(v, int) else v))}"
                    f"</dd>" for k, v in basis(result, lang))
    out.append(f'<dl class="basis">{items}</dl>')
    # figures
    if figures:
        out.append(f"<h2>{'Figures' if en else 'Grafik'}</h2>")
        for name, png in figures.items():
            out.append(f'<figure><img src="{_png(png)}" alt="{esc(str(name))}">'
                       f"<figcaption>{esc(str(name))}</figcaption></figure>")
    css = _CSS % {k: PALETTE[k] for k in ("ink", "neutral", "caption", "grid")}
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} — {esc(month)}</title>\n<style>{css}</style>\n</head>\n"
            f"<body>\n" + "\n".join(out) + "\n</body>\n</html>\n")


def write_html_report(result: Any, path: str | os.PathLike[str], *, lang: str = "id",
                      figures: Mapping[str, str | os.PathLike[str]] | None = None,
                      inputs: Sequence[str | os.PathLike[str]] = ()) -> Path:
    """Write ``report.html``: the report as one self-contained page to forward, read on a
    phone or print to A4 from a browser (figures embedded; no network, no script).

    Raises
    ------
    OutputError
        ``path`` is an input file, or it cannot be written.

    Examples
    --------
    >>> import dak_monitor as dm, tempfile, pathlib  # doctest: +SKIP
    >>> result = dm.monitor("data_samples/current", history="data_samples/history")  # doctest: +SKIP
    >>> dm.write_html_report(result, pathlib.Path(tempfile.mkdtemp()) / "report.html")  # doctest: +SKIP
    """
    out = Path(path)
    refuse_inputs(out, [*inputs, *result.inputs])
    text = report_html(result, lang=lang, figures=figures)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        msg = f"{out}: cannot write the page ({exc.strerror or exc})"
        raise OutputError(msg) from exc
    return out
