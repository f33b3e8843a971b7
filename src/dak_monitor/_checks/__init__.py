"""Every validation check, declared once: code, severity, scope, columns, messages, function.

As pandera registers its built-in checks (``register_builtin_check``) and frictionless keeps
one class per error and per check, each check here is one :class:`Check`, registered with
:func:`register_check` right above the function that finds it. Everything else is built from
this registry: the pandera models of :mod:`dak_monitor.schemas`, the problems of
:func:`dak_monitor.validate_export`, the messages and ``docs/checks.md``.

Scopes:

``cell``
    One column's values on their own. ``find(series)`` is True where a value fails; the
    schemas run it through pandera on ``columns``. Two kinds of cell check have no function
    here: pandera's own nullability check (``missing-value``, named in ``pandera_names``),
    and the parse checks (``unparseable-*``, ``parsed_by_reader``): the reader records every
    cell it could not parse (``Export.unparsed``) and the check whose ``columns`` hold that
    cell's column reports it.
``row``
    A row, perhaps with the same item's other reports. ``find(frame, rules)`` is True where a
    row fails; ``context(frame, failing_index, rules)`` gives the values its messages use.
``table``
    The export as a whole (e.g. a totals row against the rows it sums).
    ``find(export, rules)`` returns one row per problem: ``file``, ``sheet``, ``row``,
    ``column``, ``value`` and the fields its messages use.

Adding a check: write its function in ``cells.py``, ``rows.py`` or ``tables.py`` under a
``@register_check(...)`` and give it a case in ``tests/test_schemas.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from .._registry import Registry
from .._vocab import ERROR, INFO, WARNING
from .._vocab import columns as C

__all__ = [
    "CHECKS",
    "ERROR",
    "SCOPES",
    "WARNING",
    "Check",
    "checks_for",
    "pandera_check",
    "register_check",
    "unparsed_check",
]

SCOPES: Final = ("cell", "row", "table")
_F = TypeVar("_F", bound=Callable[..., Any] | None)


@dataclass(frozen=True, slots=True)
class Check:
    """One check of the catalogue (see the module docstring for ``scope`` and ``find``).

    ``column`` is the column a problem is reported against (None: the cell's own column);
    ``columns`` the columns a cell check runs on. Messages are :meth:`str.format` templates
    over ``value``, ``column`` and the fields of ``context``.
    """

    code: str
    severity: str
    scope: str
    title_id: str
    title_en: str
    pesan: str
    message: str
    column: str | None = None
    columns: tuple[str, ...] = ()
    kinds: tuple[str, ...] = C.KINDS
    find: Callable[..., Any] | None = None
    context: Callable[..., Any] | None = None
    pandera_names: tuple[str, ...] = ()
    parsed_by_reader: bool = False


def _well_formed(check: Check) -> str | None:
    if check.severity not in (ERROR, WARNING, INFO) or check.scope not in SCOPES:
        return "bad severity or scope"
    return None


#: The catalogue: code -> :class:`Check` (stable codes; ``docs/checks.md``).
CHECKS: Final = Registry[Check]("check", check=_well_formed)


def register_check(code: str, severity: str, scope: str, *, title: tuple[str, str],
                   pesan: str, message: str, column: str | None = None,
                   columns: tuple[str, ...] = (), kinds: tuple[str, ...] = C.KINDS,
                   context: Callable[..., Any] | None = None,
                   pandera_names: tuple[str, ...] = (), parsed_by_reader: bool = False
                   ) -> Callable[[_F], _F]:
    """Register a check; use as a decorator on its ``find`` function (or call with None).

    Examples
    --------
    >>> import pandas as pd
    >>> @register_check("demo-negative", ERROR, "cell", columns=("pagu",),
    ...                 title=("Contoh", "Example"), pesan="{value} < 0", message="{value} < 0")
    ... def _demo(s: pd.Series) -> pd.Series:
    ...     return s < 0
    >>> CHECKS["demo-negative"].find(pd.Series([1.0, -2.0])).tolist()
    [False, True]
    >>> CHECKS.remove("demo-negative")
    """
    def decorate(fn: _F) -> _F:
        CHECKS.add(Check(code=code, severity=severity, scope=scope, title_id=title[0],
                         title_en=title[1], pesan=pesan, message=message, column=column,
                         columns=columns, kinds=kinds, find=fn, context=context,
                         pandera_names=pandera_names, parsed_by_reader=parsed_by_reader))
        return fn
    return decorate


def checks_for(kind: str | None = None, scope: str | None = None) -> list[Check]:
    """The registered checks of one kind and/or scope, in registration order."""
    return [c for c in CHECKS.values() if (kind is None or kind in c.kinds)
            and (scope is None or c.scope == scope)]


def unparsed_check(column: str) -> Check:
    """The parse check that reports an unparseable cell of ``column``.

    A column no parse check names is a number column: ``unparseable-number``.

    Examples
    --------
    >>> unparsed_check("periode").code, unparsed_check("pagu").code
    ('unparseable-periode', 'unparseable-number')
    """
    fallback = None
    for c in CHECKS.values():
        if c.parsed_by_reader and column in c.columns:
            return c
        if c.parsed_by_reader and c.code == "unparseable-number":
            fallback = c
    assert fallback is not None
    return fallback


def pandera_check(name: str) -> Check:
    """The check a pandera failure belongs to: by its code, or by a name pandera gives it.

    pandera names its own checks (``not_nullable``, ``dtype('float64')``); a name no check
    claims is a type failure: ``unparseable-number``.

    Examples
    --------
    >>> pandera_check("not_nullable").code, pandera_check("negative-value").code
    ('missing-value', 'negative-value')
    """
    if name in CHECKS:
        return CHECKS[name]
    for c in CHECKS.values():
        if any(name == p or name.startswith(p + "(") for p in c.pandera_names):
            return c
    if "null" in name:
        return CHECKS["missing-value"]
    return CHECKS["unparseable-number"]


# The checks register themselves on import (order: cells, rows, tables).
from . import cells, rows, tables  # noqa: E402, F401
