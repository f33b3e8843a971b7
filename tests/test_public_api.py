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
