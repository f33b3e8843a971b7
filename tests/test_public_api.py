"""The public namespace: sorted, resolvable, documented, with examples."""

from __future__ import annotations

import inspect

import dak_monitor as dm


def test_all_is_sorted_and_resolves() -> None:
    """__all__ is sorted and every name in it exists."""
    assert dm.__all__ == sorted(dm.__all__)
    for name in dm.__all__:
        assert getattr(dm, name) is not None, name


def test_public_callables_are_documented() -> None:
    """Every public function and class has a docstring; functions show an example."""
    for name in dm.__all__:
        obj = getattr(dm, name)
        if name.startswith("__") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        doc = inspect.getdoc(obj) or ""
        assert doc.strip(), f"{name} has no docstring"
        if inspect.isfunction(obj):
            assert "Examples" in doc or ">>>" in doc, f"{name} has no example"


def test_version_is_a_string() -> None:
    """__version__ comes from the package metadata."""
    assert isinstance(dm.__version__, str) and dm.__version__[0].isdigit()


def test_errors_share_one_base() -> None:
    """Every exception the library raises on purpose is a DakMonitorError."""
    for name in ("ExportFormatError", "UnreadableFileError", "HeaderNotFoundError",
                 "MissingColumnError", "SchemaValidationError", "ProjectionError",
                 "ConfigError", "OutputError"):
        assert issubclass(getattr(dm, name), dm.DakMonitorError), name


def test_dir_lists_the_public_api_only() -> None:
    """dir(dm) is __all__: no names the package uses for itself (Any, annotations)."""
    assert dir(dm) == sorted(dm.__all__)


def test_entry_points_name_their_exceptions_and_values() -> None:
    """help() of each entry point says what it raises; monitor lists its method values."""
    for fn in (dm.read_export, dm.validate_export, dm.monitor, dm.project_absorption):
        doc = inspect.getdoc(fn) or ""
        assert "Raises\n------" in doc, fn.__name__
        assert "ConfigError" in doc, fn.__name__
    from dak_monitor._projection import METHODS  # the registry: every method, by name

    for fn in (dm.monitor, dm.project_absorption):
        doc = inspect.getdoc(fn) or ""
        for method in ("auto", *METHODS):
            assert f'"{method}"' in doc, (fn.__name__, method)
    assert "UnsupportedInputError" in (inspect.getdoc(dm.read_export) or "")
