"""The ``dak-monitor`` command line: argument parsing and exit codes only.

Every subcommand is one call of the public API. Exit status: 0 success, 1 the data failed
a check the user asked for, 2 usage errors or unreadable input (one-line message, no traceback),
3 a bug of ours. With ``--format json`` or ``--format junit`` every exit writes a well-formed
document to stdout, an error document included. Text from the exports reaches the terminal
escaped (``\x1b`` stays four characters), never as raw control characters.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

from . import __getattr__ as _pkg_getattr
from ._config import Rules
from ._reader import read_export
from ._text import printable
from ._validate import validate_export
from .exceptions import DakMonitorError

__all__ = ["error_document", "main"]

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_BUG = 3


class UsageError(Exception):
    """A command-line usage error (reported on one line, exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors on one line instead of printing the usage block."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _number(kind: type, *, low: float, high: float = math.inf, low_open: bool = True,
            hint: str = "") -> Callable[[str], Any]:
    """An argparse type: a finite number of ``kind`` in (low, high] (or [low, high])."""
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            value = None
        ok = value is not None and math.isfinite(value) and value <= high and (
            value > low if low_open else value >= low)
        if not ok:
            bound = f"above {low:g}" if low_open else f"at least {low:g}"
            upto = f" and at most {high:g}" if math.isfinite(high) else ""
            word = "a whole number" if kind is int else "a number"
            msg = f"{printable(text)!r} is not {word} {bound}{upto}{hint}"
            raise argparse.ArgumentTypeError(msg)
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


def _unit_name(text: str) -> str:
    """An argparse type: a money unit name (rupiah, ribu, juta, miliar)."""
    from ._units import parse_units

    try:
        return parse_units(text)
    except DakMonitorError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


_POSITIVE_MB = _number(float, low=0, high=1e9)  # 1e9 MB: a petabyte, beyond any machine
_POSITIVE_INT = _number(int, low=0)
_COUNT = _number(int, low=0, low_open=False)
_FRACTION = _number(float, low=0, high=1, hint=" (a fraction: 0.93 for 93 %)")


def _safe_console() -> None:
    """Never crash on a console that cannot print Indonesian or box-drawing characters."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # pragma: no cover - exotic streams
                pass


def _say(text: str) -> None:
    """Print text meant for a person: export text in it is shown escaped, never run."""
    print(printable(text, newlines=True))


def _load_aliases(path: str | None) -> dict[str, Any] | None:
    if not path:
        return None
    from ._config import load_mapping_file

    return load_mapping_file(path)


def _cmd_read(args: argparse.Namespace) -> int:
    export = read_export(args.paths, kind=args.kind, aliases=_load_aliases(args.aliases),
                         supersede=args.supersede, **_read_options(args))
    if args.format == "json":
        print(json.dumps(export.to_dict(), ensure_ascii=False, indent=2))
    else:
        _say(export.summary())
    return EXIT_OK


def _cmd_inspect(args: argparse.Namespace) -> int:
    from ._reader import inspect_export

    found = inspect_export(args.paths, kind=args.kind, aliases=_load_aliases(args.aliases),
                           **_read_options(args))
    if args.write_layout:
        written = found.write_layout(args.write_layout)
        _say(f"tata letak ditulis / layout written: {written}")
    if args.format == "json":
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        _say(found.summary())
    return EXIT_OK if found.ok else EXIT_DATA


def _load_rules(path: str | None) -> Rules | None:
    return Rules.from_file(path) if path else None


def _cmd_validate(args: argparse.Namespace) -> int:
    rules = _load_rules(args.rules)  # a bad rules file is refused before any data is read
    export = read_export(args.paths, kind=args.kind, aliases=_load_aliases(args.aliases),
                         supersede=args.supersede, **_read_options(args))
    report = validate_export(export, rules=rules, strict=args.strict)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "junit":
        print(report.to_junit())
    else:
        _say(report.summary(lang=args.lang, max_rows=args.max_rows))
    return EXIT_OK if report.ok else EXIT_DATA


def _progress_in(lang: str) -> Any:
    """A progress printer in ``lang``: the library says each step as ``"Indonesian /
    English"``; a person reads one of the two."""
    def progress(msg: str) -> None:
        parts = msg.split(" / ", 1)
        text = parts[1 if lang == "en" and len(parts) == 2 else 0]
        print(f"dak-monitor: {printable(text)} …", file=sys.stderr, flush=True)
    return progress


def _monitor(args: argparse.Namespace, *, progress: bool = False) -> Any:
    from ._monitor import monitor

    return monitor(args.paths, history=args.history, rules=_load_rules(args.rules),
                   as_of=args.as_of, threshold=args.threshold,
                   aliases=_load_aliases(args.aliases), supersede=args.supersede, **_read_options(args),
                   progress=_progress_in(args.lang) if progress else None)


def _fail_status(result: Any, fail_on: str | None) -> int:
    report = result.validation
    if fail_on == "error" and report.n_errors:
        return EXIT_DATA
    if fail_on == "warning" and (report.n_errors or report.n_warnings):
        return EXIT_DATA
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from ._outdir import check_output_folder
    from ._summary import write_report

    inputs = args.paths + (args.history or []) + (args.previous or [])
    # Refuse a wrong --out (an input beside it, a workbook open in Excel) before the work.
    check_output_folder(args.out, inputs, allow_other_files=args.allow_other_files)
    result = _monitor(args, progress=not args.quiet)
    changes = None
    if args.previous:
        from ._compare import compare_reports

        # Last month's exports, monitored with the same options and history, as of their own
        # latest period.
        if not args.quiet:
            _progress_in(args.lang)("membaca laporan bulan lalu / reading last month's report")
        previous = _monitor(argparse.Namespace(**{**vars(args), "paths": args.previous,
                                                  "as_of": None}))
        changes = compare_reports(previous, result, lang=args.lang)
    written = write_report(result, args.out, lang=args.lang, figures=not args.no_figures,
                           progress=None if args.quiet else _progress_in(args.lang),
                           inputs=inputs,
                           allow_other_files=args.allow_other_files,
                           csv_style=args.csv_style, previous=changes)
    _say(result.summary(lang=args.lang))
    if changes is not None:
        _say("\n" + changes.summary(lang=args.lang, max_rows=5))
    _say(f"\n{'Report written to' if args.lang == 'en' else 'Laporan ditulis ke'} "
         f"{printable(args.out)}:")
    for name in sorted(written):
        _say(f"  {printable(name)}")
    return _fail_status(result, args.fail_on)


def _print_table(frame: Any, fmt: str) -> None:
    from ._text import neutralise_frame

    if fmt == "json":
        print(frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(neutralise_frame(frame).to_csv(index=False, date_format="%Y-%m-%d"))
    else:
        import pandas as pd

        with pd.option_context("display.width", 200, "display.max_rows", 500,
                               "display.max_columns", 20, "display.max_colwidth", 60):
            _say(frame.to_string(index=False))


def _people_text(frame: Any, lang: str) -> Any:
    """A report table as a person reads it on a terminal in ``lang`` (the machine-code
    columns are in ``--format csv|json``)."""
    from ._report_data import as_text, for_people

    return as_text(for_people(frame, lang), lang)


def _cmd_project(args: argparse.Namespace) -> int:
    result = _monitor(args)
    t = result.projection.table
    if args.format == "text":
        _say(result.projection.summary(lang=args.lang))
        cols = ["kode_wilayah", "nama_wilayah", "jenis_dak", "serapan", "proyeksi",
                "batas_bawah", "batas_atas", "p_di_bawah_ambang", "status", "data_lengkap"]
        _print_table(_people_text(t[cols].sort_values(["jenis_dak", "proyeksi"]), args.lang),
                     "text")
    else:
        _print_table(t, args.format)
    return _fail_status(result, args.fail_on)


def _cmd_flags(args: argparse.Namespace) -> int:
    result = _monitor(args)
    fl = result.flags
    if args.format == "text":
        _print_table(_people_text(fl[["kode_wilayah", "nama_wilayah", "jenis_dak", "code",
                                      "severity", "pesan", "message"]], args.lang), "text")
    else:
        _print_table(fl, args.format)
    return _fail_status(result, args.fail_on)


def _add_limit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit-mb", type=_POSITIVE_MB, default=None, metavar="MB",
                   help="refuse a CSV (or an XLSX's unpacked parts) above this size "
                        "(default 2048)")
    p.add_argument("--limit-rows", type=_POSITIVE_INT, default=None, metavar="N",
                   help="refuse a file or sheet with more rows (default 10,000,000)")
    p.add_argument("--units", type=_unit_name, default=None, metavar="UNIT",
                   help="the unit money is written in when a file does not say: rupiah, ribu, "
                        "juta or miliar (overrides what the files say)")
    p.add_argument("--tahun", default=None, metavar="YYYY",
                   help="the fiscal year of files that do not say")
    p.add_argument("--periode", default=None, metavar="PERIOD",
                   help="the period of files that do not say (2024-06, 'Juni 2024', 'TW II')")
    p.add_argument("--wilayah", default=None, metavar="REGION",
                   help="the region of single-office files that do not name it (32.05 or "
                        "'Kab. Garut')")
    p.add_argument("--layout", default=None, metavar="FILE",
                   help="a template's layout (TOML, as 'inspect --write-layout' writes it) or "
                        "a folder of layouts, each file read with the one matching its name")
    p.add_argument("--strict-files", action="store_true",
                   help="a file in a folder that cannot be read or is not an export stops the "
                        "run (exit 2) instead of being listed as a problem")
    p.add_argument("--limit-columns", type=_POSITIVE_INT, default=None, metavar="N",
                   help="refuse a CSV line with more cells, or a sheet with more columns "
                        "(default 16,384)")
    p.add_argument("--limit-cell-chars", type=_POSITIVE_INT, default=None, metavar="N",
                   help="refuse a CSV cell or workbook shared string with more characters "
                        "(default 32,767)")


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    """The reading keywords of read_export / monitor from the options: limits, strict files."""
    out: dict[str, Any] = {"strict_files": bool(getattr(args, "strict_files", False))}
    for option in ("units", "tahun", "periode", "wilayah", "layout"):
        if getattr(args, option, None) is not None:
            out[option] = getattr(args, option)
    if getattr(args, "limit_mb", None) is not None:
        out["max_bytes"] = max(1, round(args.limit_mb * 1024**2))
    for option, keyword in (("limit_rows", "max_rows"), ("limit_columns", "max_columns"),
                            ("limit_cell_chars", "max_cell_chars")):
        if getattr(args, option, None) is not None:
            out[keyword] = int(getattr(args, option))
    return out


def _add_monitor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="current exports (files/folders)")
    p.add_argument("--history", nargs="+", metavar="PATH",
                   help="earlier complete years' exports (for profiles and calibrated intervals)")
    p.add_argument("--as-of", metavar="YYYY-MM", help="period to report on (default: latest)")
    p.add_argument("--lang", choices=["id", "en"], default="id")
    p.add_argument("--rules", metavar="FILE", help="rules (TOML/JSON/YAML)")
    p.add_argument("--aliases", metavar="FILE", help="extra header spellings (TOML/JSON/YAML)")
    p.add_argument("--threshold", type=_FRACTION, metavar="X",
                   help="year-end absorption threshold as a fraction (default 0.93)")
    p.add_argument("--supersede", action="store_true",
                   help="a later file replaces earlier rows of the same item and period")
    p.add_argument("--fail-on", choices=["error", "warning"], default=None,
                   help="exit 1 when validation found errors (or warnings too)")
    _add_limit_args(p)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``dak-monitor`` (exposed for documentation and tests)."""
    version = _pkg_getattr("__version__")
    parser = _Parser(
        prog="dak-monitor",
        description="Read, validate and monitor DAK (BOKB nonfisik, DAK fisik KB) exports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("read", help="read exports and summarise what was found (rows, skipped "
                                    "rows, files)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="export files or folders")
    p.add_argument("--kind", choices=["nonfisik", "fisik"], default=None,
                   help="export kind (default: detected per sheet)")
    p.add_argument("--aliases", metavar="FILE", help="extra header spellings (TOML/JSON/YAML)")
    p.add_argument("--supersede", action="store_true",
                   help="a later file replaces earlier rows of the same item and period")
    p.add_argument("--format", choices=["text", "json"], default="text")
    _add_limit_args(p)
    p.set_defaults(func=_cmd_read)

    p = sub.add_parser("inspect", help="show what the reader understood of each file and sheet "
                                       "(kind and why, header mapping, units, period, region, "
                                       "row classes) and what to pass for what is missing; "
                                       "exit 1 when a sheet cannot be read as it is")
    p.add_argument("paths", nargs="+", metavar="PATH", help="export files or folders")
    p.add_argument("--kind", choices=["nonfisik", "fisik"], default=None,
                   help="export kind (default: detected per sheet)")
    p.add_argument("--aliases", metavar="FILE", help="extra header spellings (TOML/JSON/YAML)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--write-layout", metavar="FILE", default=None,
                   help="write what the reader decided for the first sheet as a commented "
                        "TOML layout, to edit and pass back with --layout")
    _add_limit_args(p)
    p.set_defaults(func=_cmd_inspect)

    p = sub.add_parser("validate", help="check exports; exit 1 when any row has an error")
    p.add_argument("paths", nargs="+", metavar="PATH", help="export files or folders")
    p.add_argument("--kind", choices=["nonfisik", "fisik"], default=None)
    p.add_argument("--format", choices=["text", "json", "junit"], default="text")
    p.add_argument("--strict", action="store_true", help="warnings count as errors")
    p.add_argument("--rules", metavar="FILE", help="rules (TOML/JSON/YAML), see README")
    p.add_argument("--aliases", metavar="FILE", help="extra header spellings (TOML/JSON/YAML)")
    p.add_argument("--supersede", action="store_true",
                   help="a later file replaces earlier rows of the same item and period")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="message language (text)")
    p.add_argument("--max-rows", type=_COUNT, default=20, metavar="N",
                   help="problems listed per file and code in text output (default 20)")
    _add_limit_args(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("report", help="write the full monitoring report (xlsx, summary.md, "
                                      "figures, CSV)")
    _add_monitor_args(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created)")
    p.add_argument("--no-figures", action="store_true",
                   help="skip the PNG figures (figures of an earlier report are removed)")
    p.add_argument("--allow-other-files", action="store_true",
                   help="write into a folder that also holds other export files")
    p.add_argument("--csv-style", choices=("excel", "machine"), default="excel",
                   help="CSV tables for people (excel, the default: opens by double click, "
                        "';' and decimal comma with --lang id) or for tools (machine: column "
                        "codes, ',' and decimal point)")
    p.add_argument("--previous", nargs="+", metavar="PATH",
                   help="last month's exports (files/folders), monitored with the same "
                        "options and history: adds what changed since (sheet Perubahan, a "
                        "section of summary.md)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("project", help="print the year-end projection table")
    _add_monitor_args(p)
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.set_defaults(func=_cmd_project)

    p = sub.add_parser("flags", help="print the flag catalogue per OPD")
    _add_monitor_args(p)
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.set_defaults(func=_cmd_flags)
    return parser


def _requested_format(argv: Sequence[str]) -> str | None:
    """The ``--format`` asked for, read from the raw arguments (usage errors included)."""
    fmt = None
    for i, arg in enumerate(argv):
        if arg == "--format" and i + 1 < len(argv):
            fmt = argv[i + 1]
        elif arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
    return fmt if fmt in {"json", "junit"} else None


def error_document(exc: BaseException, status: int, fmt: str) -> str:
    """The document ``--format json|junit`` writes to stdout when a command fails.

    JSON: ``{"ok": false, "exit_code": 2, "error": {"type", "message", "file", "sheet"}}``;
    JUnit: one test suite with one failing test case carrying the message. Control
    characters in the message are escaped, so the document is always well-formed.

    Examples
    --------
    >>> from dak_monitor.exceptions import UnreadableFileError
    >>> doc = error_document(UnreadableFileError("a.csv: cannot be read", file="a.csv"), 2, "json")
    >>> json.loads(doc)["error"]["file"]
    'a.csv'
    """
    message = printable(str(exc))
    file = getattr(exc, "file", None)
    sheet = getattr(exc, "sheet", None)
    kind = type(exc).__name__
    if fmt == "junit":
        suite = ET.Element("testsuite", name="dak-monitor", tests="1", failures="1", errors="0")
        name = printable(file) if file else "dak-monitor"
        case = ET.SubElement(suite, "testcase", classname="dak_monitor.cli", name=name)
        fail = ET.SubElement(case, "failure", message=message, type=kind)
        fail.text = f"exit code {status}: {message}"
        return ET.tostring(suite, encoding="unicode", xml_declaration=True)
    error = {"type": kind, "message": message,
             "file": printable(file) if file else None,
             "sheet": printable(sheet) if sheet else None}
    return json.dumps({"ok": False, "exit_code": status, "error": error},
                      ensure_ascii=False, indent=2)


def _fail(exc: BaseException, status: int, fmt: str | None, line: str) -> int:
    print(f"dak-monitor: {line}", file=sys.stderr)
    if fmt is not None:
        print(error_document(exc, status, fmt))
    return status


def _private_matplotlib_cache() -> str | None:
    """Point matplotlib's cache at a folder of this run (never the user's home folder)."""
    if os.environ.get("MPLCONFIGDIR"):
        return None
    folder = tempfile.mkdtemp(prefix="dak-monitor-mpl-")
    os.environ["MPLCONFIGDIR"] = folder
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["read", "no/such/folder"])  # doctest: +SKIP
    dak-monitor: error: no/such/folder: no such file or folder
    2
    """
    _safe_console()
    argv = list(sys.argv[1:] if argv is None else argv)
    fmt = _requested_format(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return _fail(exc, EXIT_USAGE, fmt, f"error: {printable(exc)}")
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    cache = _private_matplotlib_cache()
    try:
        return int(args.func(args))
    except DakMonitorError as exc:
        return _fail(exc, EXIT_USAGE, fmt, f"error: {printable(exc)}")
    except KeyboardInterrupt:
        print("dak-monitor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (MemoryError, RecursionError, Exception) as exc:  # a bug of ours: still one line
        if os.environ.get("DAK_DEBUG"):
            raise
        line = (f"internal error: {type(exc).__name__}: {printable(exc)} (this is a bug in "
                f"dak_monitor; run again with DAK_DEBUG=1 for the traceback and report it)")
        return _fail(exc, EXIT_BUG, fmt, line)
    finally:
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
            del os.environ["MPLCONFIGDIR"]


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
