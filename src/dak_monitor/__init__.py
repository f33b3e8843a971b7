"""dak_monitor: read, validate and monitor DAK family-planning absorption from Morena exports.

Use one namespace::

    import dak_monitor as dm
    export = dm.read_export("data_samples/current")
"""

from __future__ import annotations

from typing import Any

from ._absorption import absorption
from ._config import Rules
from ._excel import write_excel_report
from ._report_html import write_html_report
from ._flags import (
    FLAGS,
    FirstSemesterFlags,
    flag_first_semester,
    flag_offices,
    flag_threshold_risk,
)
from ._monitor import MonitorResult, monitor
from ._plotting import (
    format_persen,
    format_rupiah,
    plot_absorption_curves,
    plot_absorption_heatmap,
    plot_first_semester,
    plot_projection_ranking,
    plot_reporting_status,
    save_figures,
)
from ._projection import (
    Backtest,
    Projection,
    backtest_projection,
    project_absorption,
)
from ._reader import (
    Export,
    Inspection,
    Layout,
    Table,
    inspect_export,
    read_export,
    read_table,
)
from ._reporting import ReportingStatus, reporting_status
from ._compare import Comparison, compare_reports
from ._summary import write_csv_tables, write_report, write_summary
from ._inputs import validate_export
from ._validate import ValidationReport
from .exceptions import (
    ConfigError,
    DakMonitorError,
    ExportFormatError,
    HeaderNotFoundError,
    LimitExceededError,
    MissingColumnError,
    OutputError,
    ProjectionError,
    SchemaValidationError,
    UnreadableFileError,
    UnsupportedInputError,
)

__all__ = [
    "Backtest",
    "Comparison",
    "ConfigError",
    "DakMonitorError",
    "Export",
    "ExportFormatError",
    "FLAGS",
    "FirstSemesterFlags",
    "HeaderNotFoundError",
    "Inspection",
    "Layout",
    "LimitExceededError",
    "MissingColumnError",
    "MonitorResult",
    "OutputError",
    "Projection",
    "ProjectionError",
    "ReportingStatus",
    "Rules",
    "SchemaValidationError",
    "Table",
    "UnreadableFileError",
    "UnsupportedInputError",
    "ValidationReport",
    "__version__",
    "absorption",
    "backtest_projection",
    "compare_reports",
    "flag_first_semester",
    "flag_offices",
    "flag_threshold_risk",
    "format_persen",
    "format_rupiah",
    "inspect_export",
    "monitor",
    "plot_absorption_curves",
    "plot_absorption_heatmap",
    "plot_first_semester",
    "plot_projection_ranking",
    "plot_reporting_status",
    "project_absorption",
    "read_export",
    "read_table",
    "reporting_status",
    "save_figures",
    "validate_export",
    "write_csv_tables",
    "write_excel_report",
    "write_html_report",
    "write_report",
    "write_summary",
]


def __dir__() -> list[str]:
    """The public API only (``dir(dm)`` lists ``__all__``, not the names the package's own
    modules use, such as ``Any``)."""
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("dak-monitor")
        except PackageNotFoundError:  # running from a source tree that is not installed
            return "0+unknown"
    msg = f"module 'dak_monitor' has no attribute {name!r}"
    raise AttributeError(msg)
