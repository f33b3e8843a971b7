"""The Markdown summary and the CSV tables of a monitoring report, and ``write_report``."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from ._compare import as_comparison
from ._excel import write_excel_report
from ._report_html import write_html_report
from ._reader import FILE_PROBLEMS
from ._report_data import (
    as_text,
    basis,
    changes_for_people,
    files_read,
    for_people,
    ranking,
    refuse_inputs,
)
from ._text import fmt_month, fmt_number, fmt_pct, neutralise_frame, say
from ._vocab import COMPARE_TEXT, KINDS, MARKS, ON_TRACK, STATUSES, UNCHANGED, check_lang
from ._vocab import columns as C
from ._vocab.report import COLUMN_KINDS, REPORT_COLUMNS
from .exceptions import ConfigError, OutputError

__all__ = ["write_csv_tables", "write_report", "write_summary"]


def _md_cell(v: object) -> str:
    s = "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
    return s.replace("|", "\\|").replace("\n", " ")


def _md_table(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "---|" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines)


def _people_table(frame: pd.DataFrame, lang: str) -> str:
    """A report table (see :func:`for_people`) as Markdown in ``lang``."""
    return _md_table(as_text(frame, lang))


def summary_markdown(result: Any, *, lang: str = "id",
                     figures: Mapping[str, str | os.PathLike[str]] | None = None,
                     figure_base: Path | None = None, comparison: Any = None) -> str:
    """The report as Markdown text in one language (see :func:`write_summary`); with a
    :class:`~dak_monitor.Comparison`, a section of what changed since last month."""
    proj = result.projection
    t = proj.table
    en = lang == "en"
    month = fmt_month(proj.as_of, lang)
    lines = [f"# {'DAK absorption monitoring' if en else 'Pemantauan serapan DAK'} — {month}",
             ""]
    lines.append("## " + ("Headline" if en else "Ringkasan"))
    lines.append("")
    for kind, g in t.groupby(C.JENIS_DAK, sort=False):
        pagu, real = float(g[C.PAGU].sum()), float(g[C.REALISASI].sum())
        c = g["status"].value_counts()
        label = KINDS.label(str(kind), lang)
        counts = ", ".join(f"{STATUSES.label(code, lang)} {c.get(code, 0)}" for code in STATUSES)
        at = proj.as_of_by_kind.get(str(kind), proj.as_of)
        when = (f" {'as of' if en else 'posisi'} {fmt_month(at, lang)} "
                f"({'its latest report' if en else 'laporan terakhirnya'})"
                if at != proj.as_of else "")
        lines.append(
            f"- **{label}**{when}: {'absorption' if en else 'serapan'} "
            f"{fmt_pct(real / pagu if pagu else 0, lang)} ({len(g)} OPD); {counts}.")
    unread = result.export.file_problems
    if len(unread):
        lines.append(f"- **{len(unread)} {'file(s) of the folder not read' if en else 'berkas tidak dibaca'}**"
                     f" ({'see' if en else 'lihat'} *{'Data problems' if en else 'Masalah data'}*): "
                     + ", ".join(f"`{_md_cell(Path(f).name)}`" for f in unread["sumber_file"]))
    stale = proj.stale
    if len(stale):
        what = (f"No report for {month}, projected from the latest" if en else
                f"Tanpa laporan {month}, diproyeksikan dari laporan terakhir")
        lines.append(f"- {what}: " + ", ".join(
            f"{n} ({KINDS.label(str(k), lang)}, {fmt_month(p, lang)})" for n, k, p in
            sorted(zip(stale["nama_wilayah"].astype(str), stale[C.JENIS_DAK],
                       stale["periode"], strict=True))) + " (*)")
    incomplete = t[~t["data_lengkap"]]
    if len(incomplete):
        lines.append(f"- {'Data incomplete (quarantined rows, or a file not read)' if en else 'Data tidak lengkap (baris dikarantina, atau berkas tidak dibaca)'}: "
                     + ", ".join(sorted(set(incomplete["nama_wilayah"].astype(str)))) + " (*)")
    lines += ["", "## " + ("At risk, by projected year-end absorption" if en else
                           "OPD berisiko, menurut proyeksi akhir tahun"), ""]
    rank = ranking(result, lang)
    risky = rank[rank["status"] != ON_TRACK]
    if len(risky):
        lines.append(_people_table(for_people(risky[[
            "jenis_dak", "nama", "serapan", "proyeksi", "batas_bawah", "batas_atas",
            "p_di_bawah_ambang", "status", "alasan"]], lang), lang))
    else:
        lines.append(MARKS.label("none", lang).capitalize() + ".")
    if comparison is not None:
        lines += ["", *_changes_markdown(comparison, lang)]
    fl = result.flags
    lines += ["", "## " + ("Flags" if en else "Flag"), ""]
    if len(fl):
        counts = fl.groupby(["title_id", "title_en", "severity", "code"], sort=False).size(
        ).reset_index(name="n")
        lines.append(_people_table(for_people(counts[["title_id", "title_en", "severity", "n",
                                                       "code"]], lang), lang))
    else:
        lines.append(MARKS.label("none", lang).capitalize() + ".")
    probs = result.validation.problems
    v = result.validation.totals()
    num = functools.partial(fmt_number, lang=lang)
    lines += ["", "## " + ("Data problems" if en else "Masalah data"), "",
              (f"{num(v['rows_read'])} rows read = {num(v['rows_valid'])} valid + "
               f"{num(v['rows_quarantined'])} quarantined + {num(v['rows_skipped'])} skipped; "
               f"{num(result.validation.n_errors)} errors, "
               f"{num(result.validation.n_warnings)} warnings." if en else
               f"{num(v['rows_read'])} baris dibaca = {num(v['rows_valid'])} valid + "
               f"{num(v['rows_quarantined'])} dikarantina + {num(v['rows_skipped'])} "
               f"dilewati; {num(result.validation.n_errors)} error, "
               f"{num(result.validation.n_warnings)} peringatan.")]
    if len(probs):
        counts = probs.groupby(["severity", "code"], sort=False).size().reset_index(name="n")
        lines += ["", _people_table(for_people(counts, lang), lang)]
    if len(unread):
        lines += ["", f"{'Files not read' if en else 'Berkas tidak dibaca'}:", ""]
        for rec in unread.itertuples(index=False):
            why = FILE_PROBLEMS[rec.masalah].split(" / ")[1 if en else 0]
            where = rec.sumber_file + (f" [{rec.sumber_sheet}]" if rec.sumber_sheet else "")
            lines.append(f"- `{_md_cell(where)}`: {why}. {_md_cell(rec.keterangan)}")
    read = files_read(result)
    inferred = read[read["catatan"] != ""]
    lines += ["", "## " + ("Files read and what the reader inferred" if en else
                           "Berkas dibaca dan yang disimpulkan pembaca"), "",
              (f"{len(read)} file/sheet(s) read; {len(inferred)} with notes (period, units, "
               f"region, layout or rows passed over), listed here; all in the workbook's "
               f"Berkas sheet." if en else
               f"{len(read)} berkas/lembar dibaca; {len(inferred)} dengan catatan (periode, "
               f"satuan, wilayah, tata letak atau baris yang dilewati), di bawah ini; "
               f"semuanya di lembar Berkas pada workbook.")]
    if len(inferred):
        lines.append("")
        for rec in inferred.itertuples(index=False):
            where = rec.sumber_file + (f" [{rec.sumber_sheet}]" if rec.sumber_sheet else "")
            lines.append(f"- `{_md_cell(where)}`: {_md_cell(rec.catatan)}")
    lines += ["", "## " + ("What this report rests on" if en else "Dasar laporan"), ""]
    lines += [f"- **{k}**: {_md_cell(num(v) if isinstance(v, int) else v)}"
              for k, v in basis(result, lang)]
    if figures:
        lines += ["", "## " + ("Figures" if en else "Grafik"), ""]
        for name, png in figures.items():
            rel = Path(png)
            if figure_base is not None:
                try:
                    rel = Path(os.path.relpath(png, figure_base))
                except ValueError:
                    pass
            lines.append(f"![{name}]({rel.as_posix()})")
    return "\n".join(lines) + "\n"


#: Item changes listed in summary.md (all of them are in the workbook's Perubahan sheet).
CHANGE_ITEMS_SHOWN: Final = 20


def _changes_markdown(comparison: Any, lang: str) -> list[str]:
    """The summary's section on what changed since last month: the counts, the OPD × kinds
    that changed in the order to act on them, the first item changes."""
    text = COMPARE_TEXT.labels(lang)
    lines = ["## " + say(text["title"], lang, lalu=comparison.previous_as_of,
                         kini=comparison.as_of), ""]
    summary = comparison.summary(lang, max_rows=0).splitlines()
    lines.append(summary[1])
    table, items = changes_for_people(comparison, lang)
    changed = table[comparison.table["perubahan"].to_numpy() != UNCHANGED]
    if len(changed):
        lines += ["", _people_table(changed[[
            "perubahan", "perubahan_lain", C.NAMA_WILAYAH, C.JENIS_DAK, "status_lalu", "status",
            "serapan_lalu", "serapan", "proyeksi_lalu", "proyeksi", "flag_baru",
            "flag_selesai"]], lang)]
    if len(items):
        lines += ["", summary[-1] + ".", "", _people_table(items.head(CHANGE_ITEMS_SHOWN)[[
            "perubahan", C.NAMA_WILAYAH, C.JENIS_DAK, C.MENU, C.RINCIAN, C.PERIODE, "kolom",
            "lama", "baru"]], lang)]
        if len(items) > CHANGE_ITEMS_SHOWN:
            lines += ["", say(text["more"], lang, n=len(items) - CHANGE_ITEMS_SHOWN)
                      + " (" + ("the Perubahan sheet" if lang == "en" else "lembar Perubahan")
                      + ")."]
    return lines


def write_summary(result: Any, path: str | os.PathLike[str], *, lang: str = "id",
                  figures: Mapping[str, str | os.PathLike[str]] | None = None,
                  previous: Any = None) -> Path:
    """Write the Markdown summary (headline, at-risk OPDs, what changed since last month
    when ``previous`` is given — last month's :class:`MonitorResult` or a
    :class:`~dak_monitor.Comparison` —, flags, data problems, basis).

    Examples
    --------
    >>> import dak_monitor as dm, tempfile, pathlib  # doctest: +SKIP
    >>> result = dm.monitor("data_samples/current", history="data_samples/history")  # doctest: +SKIP
    >>> dm.write_summary(result, pathlib.Path(tempfile.mkdtemp()) / "summary.md")  # doctest: +SKIP
    """
    out = Path(path)
    refuse_inputs(out, result.inputs)
    _write_text(out, summary_markdown(result, lang=lang, figures=figures,
                                      figure_base=out.parent,
                                      comparison=as_comparison(previous, result, lang)))
    return out


def _write_text(out: Path, text: str) -> None:
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        msg = f"{out}: cannot write ({exc.strerror or exc})"
        raise OutputError(msg) from exc


#: The CSV styles: ``excel`` for people, ``machine`` for tools (see :func:`write_csv_tables`).
CSV_STYLES: Final = ("excel", "machine")


def _csv_cell(v: object, kind: str | None, lang: str) -> object:
    """One value of a CSV for people: numbers without grouping in the language's decimal
    style (so Excel reads them as numbers), shares as percents, dates as ISO dates."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return ""
    if kind in ("date", "month"):
        ts = pd.to_datetime(v, errors="coerce")
        return "" if pd.isna(ts) else f"{ts:%Y-%m-%d}"
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        f = float(v)
        if kind == "pct":
            text = f"{100 * f:.2f}%"
        elif f.is_integer():
            return str(int(f))
        else:
            text = f"{f:.2f}"
        return text.replace(".", ",") if lang == "id" else text
    return v


def _csv_tables(result: Any, style: str, lang: str) -> dict[str, pd.DataFrame]:
    if style == "machine":
        return {"projection.csv": result.projection.table, "flags.csv": result.flags,
                "problems.csv": result.validation.problems,
                "first_semester.csv": result.first_semester.items}
    tables = {
        "projection.csv": result.projection.table.drop(columns=["tahun", "bulan"]),
        "flags.csv": result.flags[["kode_wilayah", "nama_wilayah", "jenis_dak", "title_id",
                                   "title_en", "severity", "pesan", "message", "n_item",
                                   "pagu_terdampak", "share_pagu", "periode", "code"]],
        "problems.csv": result.validation.problems[
            ["file", "sheet", "row", "column", "severity", "value", "pesan", "message",
             "code"]],
        "first_semester.csv": result.first_semester.items,
    }
    out = {}
    for name, frame in tables.items():
        people = for_people(frame, lang)
        shown = pd.DataFrame({REPORT_COLUMNS.label(c, lang): [
            _csv_cell(v, COLUMN_KINDS.get(c), lang) for v in people[c]] for c in people.columns},
            columns=[REPORT_COLUMNS.label(c, lang) for c in people.columns])
        out[name] = shown
    return out


def write_csv_tables(result: Any, folder: str | os.PathLike[str], *, style: str = "excel",
                     lang: str = "id") -> dict[str, Path]:
    """Write ``projection.csv``, ``flags.csv``, ``problems.csv`` and ``first_semester.csv``.

    Two styles, the same four files:

    * ``"excel"`` (the default: the report folder is for people) — the tables as the workbook
      shows them, opened by a double click: headers and labels in ``lang``; for ``"id"`` a
      ``;`` separator and decimal comma (``72,14%``), as Indonesian Excel expects, for
      ``"en"`` a ``,`` and a decimal point; Rupiah as plain whole numbers, shares as percents,
      dates as ``YYYY-MM-DD`` (read as dates in every locale); UTF-8 with a byte-order mark,
      which Excel detects. The codes stay in the trailing ``…_kode`` columns.
    * ``"machine"`` — for tools: the result's own frames under their documented column names
      (``p_di_bawah_ambang``, ``status`` codes), ``,`` separator, decimal point, ISO dates,
      UTF-8 without a byte-order mark.

    Text that could run as a formula is neutralised in both.

    Examples
    --------
    >>> import dak_monitor as dm, tempfile  # doctest: +SKIP
    >>> result = dm.monitor("data_samples/current")  # doctest: +SKIP
    >>> sorted(dm.write_csv_tables(result, tempfile.mkdtemp(), style="machine"))  # doctest: +SKIP
    ['first_semester.csv', 'flags.csv', 'problems.csv', 'projection.csv']
    """
    if style not in CSV_STYLES:
        msg = f"style must be one of {', '.join(CSV_STYLES)}, not {style!r}"
        raise ConfigError(msg)
    check_lang(lang)
    folder = Path(folder)
    out = {}
    for name, frame in _csv_tables(result, style, lang).items():
        path = folder / name
        refuse_inputs(path, result.inputs)
        try:
            if style == "machine":
                neutralise_frame(frame).to_csv(path, index=False, encoding="utf-8",
                                               date_format="%Y-%m-%d")
            else:
                neutralise_frame(frame).to_csv(path, index=False, encoding="utf-8-sig",
                                               sep=";" if lang == "id" else ",")
        except OSError as exc:
            msg = f"{path}: cannot write ({exc.strerror or exc}). Is it open in Excel?"
            raise OutputError(msg) from exc
        out[name] = path
    return out


def write_report(result: Any, folder: str | os.PathLike[str], *, lang: str = "id",
                 figures: bool = True, progress: Callable[[str], None] | None = None,
                 inputs: Sequence[str | os.PathLike[str]] = (),
                 allow_other_files: bool = False, csv_style: str = "excel",
                 previous: Any = None) -> dict[str, Path]:
    """Write the full report into ``folder``: workbook, summary, figures and CSV tables.

    ``previous``: last month's :class:`MonitorResult` (monitored with the same options and
    history), or the :class:`~dak_monitor.Comparison` already made of it with this one by
    :func:`compare_reports`: the workbook gets the sheet ``Perubahan`` and ``summary.md`` a
    section of what changed, ordered by what to act on first.

    Writes ``report.xlsx``, ``report.html``, ``summary.md``, ``figures/*.png``,
    ``projection.csv``,
    ``flags.csv``, ``problems.csv`` and ``first_semester.csv`` (the files it owns) and
    creates ``folder`` if needed. All or nothing: the files are written under a temporary
    folder and moved into place only when all succeeded, so on failure the previous report
    stays as it was. Links in ``folder`` are replaced, never followed; owned files not written
    this time (figures, with ``figures=False``) are removed; a lock keeps two runs apart.
    ``csv_style``: ``"excel"`` (for people) or ``"machine"`` (for tools), see
    :func:`write_csv_tables`.

    Raises
    ------
    OutputError
        ``folder`` is an input folder or holds an input file, holds other export files
        (unless ``allow_other_files``), or a file cannot be written (open in Excel).

    Examples
    --------
    >>> import dak_monitor as dm, tempfile  # doctest: +SKIP
    >>> result = dm.monitor("data_samples/current", history="data_samples/history")  # doctest: +SKIP
    >>> paths = dm.write_report(result, tempfile.mkdtemp())  # doctest: +SKIP
    """
    from ._outdir import staged_report

    say = progress or (lambda _m: None)
    folder = Path(folder)
    comparison = as_comparison(previous, result, lang)
    every_input = [*inputs, *result.inputs]
    with staged_report(folder, every_input, allow_other_files=allow_other_files) as stage:
        tmp = stage.path
        made: dict[str, Path] = {}
        pngs: dict[str, Path] = {}
        if figures:
            say("menggambar grafik / drawing figures")
            from ._plotting import save_figures

            try:
                pngs = save_figures(result, tmp / "figures", lang=lang)
            except OSError as exc:
                msg = f"{folder / 'figures'}: cannot write figures ({exc.strerror or exc})"
                raise OutputError(msg) from exc
            made.update({f"figures/{Path(p).name}": Path(p) for p in pngs.values()})
        say("menulis tabel / writing tables")
        made.update(write_csv_tables(result, tmp, style=csv_style, lang=lang))
        say("menulis ringkasan / writing summary.md")
        made["summary.md"] = write_summary(result, tmp / "summary.md", lang=lang, figures=pngs,
                                           previous=comparison)
        say("menulis workbook / writing report.xlsx")
        made["report.xlsx"] = write_excel_report(result, tmp / "report.xlsx", lang=lang,
                                                 figures=pngs, inputs=inputs,
                                                 previous=comparison)
        say("menulis halaman / writing report.html")
        made["report.html"] = write_html_report(result, tmp / "report.html", lang=lang,
                                                figures=pngs, inputs=inputs)
    return {name: folder / name for name in made}
