"""Every flag, declared once: code, severity, level, stage, messages and the rule that raises it.

A flag is one :class:`Flag`, registered with :func:`register_flag` right above its rule, the
way checks are (``dak_monitor._checks``). Flags are raised at three stages:

``first-semester``
    Procurement, spending and reporting by the semester cut-off and the contract deadline,
    from the valid rows (:func:`flag_first_semester`); the rule gets a :class:`SemesterContext`.
``projection``
    The risk of ending the year below the threshold, from a :class:`~dak_monitor.Projection`
    (:func:`flag_threshold_risk`); the rule gets the projection.
``validation``
    What an OPD's figures rest on: quarantined rows (``data-incomplete``), no report for the
    report's period (``report-missing``), a file of a folder that was not read
    (``unread-file``), money in an unstated unit (``units-unstated``); the rule gets the
    quarantine, the valid rows, the report's period and the Export (or None).
``reporting``
    Who reported what and when, as of the report's period: a partial, late or revised report,
    red reporting coverage, stalled realisasi; the rule gets a
    :class:`~dak_monitor.ReportingStatus` (``reporting.py``).

:func:`flag_offices` gathers all four into the one catalogue per OPD. A rule returns
:class:`Hit` objects: the row's evidence and the fields of its message templates.

Adding a flag: write its rule in ``semester.py``, ``threshold.py`` or ``data.py`` under an
``@register_flag(...)``; ``docs/flags.md`` is generated from the registry
(:func:`flag_table_markdown`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from .._registry import Registry
from .._text import say
from .._vocab import SEVERITY_RANK

__all__ = [
    "FLAGS",
    "STAGES",
    "FirstSemesterFlags",
    "Flag",
    "FlagInfo",
    "Hit",
    "flag_first_semester",
    "flag_offices",
    "flag_table_markdown",
    "flag_threshold_risk",
    "register_flag",
]

STAGES: Final = ("first-semester", "projection", "validation", "reporting")
_F = TypeVar("_F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Flag:
    """One flag code of the catalogue."""

    code: str
    severity: str
    level: str  #: "item" (one row per item) or "opd"
    stage: str
    title_id: str
    title_en: str
    description: str  #: when it fires (English; the docs table)
    pesan: str  #: Indonesian message template
    message: str  #: English message template
    find: Callable[..., list[Hit]] | None = None


#: The name this catalogue's entries have always had.
FlagInfo = Flag


@dataclass(slots=True)
class Hit:
    """One raised flag: the evidence row and the fields of its message. Numbers and dates
    stay values and the template formats them (``{serapan:.1%}``, ``{pagu:rp}``,
    ``{periode:month}``), each language in its own style (:func:`dak_monitor._text.say`);
    ``ctx_en`` only where the English text needs other words."""

    rec: dict[str, Any]
    ctx: dict[str, Any]
    ctx_en: dict[str, Any] | None = field(default=None)


class _Flags(Registry[Flag]):
    """The flags by code, in the order they were registered."""

    def at(self, stage: str) -> list[Flag]:
        """The flags of one stage, in registration order."""
        return [f for f in self.values() if f.stage == stage]


def _well_formed(flag: Flag) -> str | None:
    if flag.severity not in SEVERITY_RANK or flag.stage not in STAGES or \
            flag.level not in ("item", "opd"):
        return "bad severity, stage or level"
    return None


#: The catalogue of flag codes: code -> :class:`Flag`.
FLAGS: Final = _Flags("flag", check=_well_formed)


def register_flag(code: str, severity: str, level: str, stage: str, *,
                  title: tuple[str, str], description: str, pesan: str, message: str
                  ) -> Callable[[_F], _F]:
    """Register a flag; use as a decorator on its rule.

    Examples
    --------
    >>> from dak_monitor._vocab import WARNING
    >>> from dak_monitor._vocab import WARNING
    >>> @register_flag("demo-flag", WARNING, "opd", "validation", title=("Contoh", "Example"),
    ...                description="never", pesan="{n} baris", message="{n} rows")
    ... def _demo(quarantine, valid, when):
    ...     return []
    >>> FLAGS["demo-flag"].level, FLAGS["demo-flag"].find(None, None, None)
    ('opd', [])
    >>> FLAGS.remove("demo-flag")
    """
    def decorate(fn: _F) -> _F:
        FLAGS.add(Flag(code=code, severity=severity, level=level, stage=stage,
                       title_id=title[0], title_en=title[1], description=description,
                       pesan=pesan, message=message, find=fn))
        return fn
    return decorate


def flag_rows(code: str, hits: list[Hit]) -> list[dict[str, Any]]:
    """The hits of one flag as rows: evidence, code, severity, titles and both messages."""
    info = FLAGS[code]
    return [{**h.rec, "code": code, "severity": info.severity, "title_id": info.title_id,
             "title_en": info.title_en, "pesan": say(info.pesan, "id", **h.ctx),
             "message": say(info.message, "en",
                            **(h.ctx_en if h.ctx_en is not None else h.ctx))}
            for h in hits]


def flag_table_markdown(flags: Mapping[str, Flag] = FLAGS) -> str:
    """The catalogue as a Markdown table (used for ``docs/flags.md``)."""
    lines = ["| code | severity | level | title (id / en) | fires when |",
             "|---|---|---|---|---|"]
    for f in flags.values():
        lines.append(f"| `{f.code}` | {f.severity} | {f.level} | {f.title_id} / {f.title_en} "
                     f"| {f.description} |")
    return "\n".join(lines)


# The flags register themselves on import, in the catalogue's order: first semester,
# projection, validation, reporting.
for _stage_module in ("semester", "threshold", "data", "reporting"):
    importlib.import_module(f"{__name__}.{_stage_module}")

from .offices import flag_offices  # noqa: E402
from .semester import FirstSemesterFlags, flag_first_semester  # noqa: E402
from .threshold import flag_threshold_risk  # noqa: E402
