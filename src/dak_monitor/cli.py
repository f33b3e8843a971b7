"""The ``dak-monitor`` command line: argument parsing and exit codes only.

Every subcommand is one call of the public API. Exit status: 0 success, 1 the data failed
a check the user asked for, 2 usage errors or unreadable input (one-line message, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from . import __getattr__ as _pkg_getattr
from ._config import Rules
from ._io import read_export
from ._validate import validate_export
from .exceptions import DakMonitorError

__all__ = ["main"]

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


class _UsageError(Exception):
    """A command-line usage error (reported on one line, exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors on one line instead of printing the usage block."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _safe_console() -> None:
    """Never crash on a console that cannot print Indonesian or box-drawing characters."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # pragma: no cover - exotic streams
                pass


def _load_aliases(path: str | None) -> dict[str, Any] | None:
    if not path:
        return None
    from ._config import load_mapping_file

    return load_mapping_file(path)


def _cmd_read(args: argparse.Namespace) -> int:
    export = read_export(args.paths, kind=args.kind, aliases=_load_aliases(args.aliases),
                         supersede=args.supersede, **_limits(args))
    if args.format == "json":
        print(json.dumps(export.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(export.summary())
    return EXIT_OK


def _load_rules(path: str | None) -> Rules | None:
    return Rules.from_file(path) if path else None


def _cmd_validate(args: argparse.Namespace) -> int:
    export = read_export(args.paths, kind=args.kind, aliases=_load_aliases(args.aliases),
                         supersede=args.supersede, **_limits(args))
    report = validate_export(export, rules=_load_rules(args.rules), strict=args.strict)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "junit":
        print(report.to_junit())
    else:
        print(report.summary(lang=args.lang, max_rows=args.max_rows))
    return EXIT_OK if report.ok else EXIT_DATA


def _progress(msg: str) -> None:
    print(f"dak-monitor: {msg} …", file=sys.stderr, flush=True)


def _monitor(args: argparse.Namespace, *, progress: bool = False) -> Any:
    from ._monitor import monitor

    return monitor(args.paths, history=args.history, rules=_load_rules(args.rules),
                   as_of=args.as_of, threshold=args.threshold,
                   aliases=_load_aliases(args.aliases), supersede=args.supersede, **_limits(args),
                   progress=_progress if progress else None)


def _fail_status(result: Any, fail_on: str | None) -> int:
    report = result.validation
    if fail_on == "error" and report.n_errors:
        return EXIT_DATA
    if fail_on == "warning" and (report.n_errors or report.n_warnings):
        return EXIT_DATA
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from ._summary import write_report

    result = _monitor(args, progress=not args.quiet)
    written = write_report(result, args.out, lang=args.lang, figures=not args.no_figures,
                           progress=None if args.quiet else _progress, inputs=args.paths
                           + (args.history or []))
    print(result.summary())
    print(f"\nLaporan ditulis / report written to {args.out}:")
    for name in sorted(written):
        print(f"  {name}")
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
            print(frame.to_string(index=False))


def _cmd_project(args: argparse.Namespace) -> int:
    result = _monitor(args)
    t = result.projection.table
    if args.format == "text":
        print(result.projection.summary())
        cols = ["kode_wilayah", "nama_wilayah", "jenis_dak", "serapan", "proyeksi",
                "batas_bawah", "batas_atas", "p_di_bawah_ambang", "status", "data_lengkap"]
        view = t[cols].copy()
        for c in ("serapan", "proyeksi", "batas_bawah", "batas_atas", "p_di_bawah_ambang"):
            view[c] = (100 * view[c]).round(1)
        _print_table(view.sort_values(["jenis_dak", "proyeksi"]), "text")
    else:
        _print_table(t, args.format)
    return _fail_status(result, args.fail_on)


def _cmd_flags(args: argparse.Namespace) -> int:
    result = _monitor(args)
    fl = result.flags
    if args.format == "text":
        msg = "pesan" if args.lang == "id" else "message"
        _print_table(fl[["kode_wilayah", "nama_wilayah", "jenis_dak", "code", "severity", msg]],
                     "text")
    else:
        _print_table(fl, args.format)
    return _fail_status(result, args.fail_on)


def _add_limit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit-mb", type=float, default=None, metavar="MB",
                   help="refuse a CSV (or an XLSX's unpacked parts) above this size "
                        "(default 2048)")
    p.add_argument("--limit-rows", type=int, default=None, metavar="N",
                   help="refuse a file or sheet with more rows (default 10,000,000)")


def _limits(args: argparse.Namespace) -> dict[str, int]:
    out = {}
    if getattr(args, "limit_mb", None) is not None:
        out["max_bytes"] = int(args.limit_mb * 1024**2)
    if getattr(args, "limit_rows", None) is not None:
        out["max_rows"] = int(args.limit_rows)
    return out


def _add_monitor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="current exports (files/folders)")
    p.add_argument("--history", nargs="+", metavar="PATH",
                   help="earlier complete years' exports (for profiles and calibrated intervals)")
    p.add_argument("--as-of", metavar="YYYY-MM", help="period to report on (default: latest)")
    p.add_argument("--lang", choices=["id", "en"], default="id")
    p.add_argument("--rules", metavar="FILE", help="rules (TOML/JSON/YAML)")
    p.add_argument("--aliases", metavar="FILE", help="extra header spellings (TOML/JSON/YAML)")
    p.add_argument("--threshold", type=float, metavar="X",
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
    p.add_argument("--max-rows", type=int, default=20, metavar="N",
                   help="problems listed per file and code in text output (default 20)")
    _add_limit_args(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("report", help="write the full monitoring report (xlsx, summary.md, "
                                      "figures, CSV)")
    _add_monitor_args(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created)")
    p.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["read", "no/such/folder"])  # doctest: +SKIP
    dak-monitor: error: no/such/folder: no such file or folder
    2
    """
    _safe_console()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(f"dak-monitor: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except DakMonitorError as exc:
        print(f"dak-monitor: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("dak-monitor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (MemoryError, RecursionError, Exception) as exc:  # a bug of ours: still one line
        import os

        if os.environ.get("DAK_DEBUG"):
            raise
        print(f"dak-monitor: internal error: {type(exc).__name__}: {exc} (this is a bug in "
              f"dak_monitor; run again with DAK_DEBUG=1 for the traceback and report it)",
              file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
