"""Configuration as data: loading small TOML/JSON/YAML files of rules or header aliases.

The ``Rules`` object (thresholds, cut-off dates, tolerances per fiscal year) lives here too
once the validation and projection stages need it.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Final

from .exceptions import ConfigError

__all__ = ["Rules", "load_mapping_file"]


#: Bounds of a configuration file: a rules or aliases file is a few kilobytes, two or three
#: levels deep; anything far beyond is refused before it can exhaust the stack or memory.
MAX_CONFIG_BYTES: Final = 1024**2
MAX_CONFIG_DEPTH: Final = 32
MAX_CONFIG_VALUES: Final = 100_000


def _check_config_shape(data: Any, p: Path) -> None:
    """Refuse a configuration nested deeper than MAX_CONFIG_DEPTH or with more values than
    MAX_CONFIG_VALUES (YAML aliases can repeat one list exponentially)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if depth > MAX_CONFIG_DEPTH or seen > MAX_CONFIG_VALUES:
            what = (f"nested more than {MAX_CONFIG_DEPTH} levels deep" if depth > MAX_CONFIG_DEPTH
                    else f"more than {MAX_CONFIG_VALUES:,} values")
            msg = f"{p}: the configuration file is {what}; a rules or aliases file is far smaller"
            raise ConfigError(msg)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def load_mapping_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a mapping from a ``.toml``, ``.json`` or ``.yaml``/``.yml`` file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "aliases.toml"
    >>> _ = p.write_text('pagu = ["Pagu Final", "Pagu Setelah APBD-P"]\\n')
    >>> load_mapping_file(p)
    {'pagu': ['Pagu Final', 'Pagu Setelah APBD-P']}
    """
    p = Path(path)
    try:
        if p.is_file() and p.stat().st_size > MAX_CONFIG_BYTES:
            msg = (f"{p}: the configuration file is above {MAX_CONFIG_BYTES // 1024**2} MiB; a "
                   f"rules or aliases file is a few kilobytes")
            raise ConfigError(msg)
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        msg = f"{p}: cannot read configuration file ({exc.strerror or exc})"
        raise ConfigError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = (f"{p}: the configuration file is not UTF-8 text (byte {exc.start}); save it as "
               f"UTF-8 (in Notepad: Save As, Encoding UTF-8)")
        raise ConfigError(msg) from exc
    suffix = p.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text)
        elif suffix in {".yaml", ".yml"}:
            try:
                import yaml  # type: ignore[import-untyped]  # noqa: PLC0415
            except ImportError as exc:
                msg = f"{p}: reading YAML needs PyYAML (pip install pyyaml); or use TOML/JSON"
                raise ConfigError(msg) from exc
            data = yaml.safe_load(text)
        else:
            msg = f"{p}: unknown configuration format {suffix!r}; use .toml, .json or .yaml"
            raise ConfigError(msg)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        msg = f"{p}: not valid {suffix[1:].upper()}: {exc}"
        raise ConfigError(msg) from exc
    except RecursionError as exc:  # the parsers recurse once per nesting level
        msg = f"{p}: the configuration file is nested too deeply to read"
        raise ConfigError(msg) from exc
    except Exception as exc:  # PyYAML's errors (its parser is optional, so not named here)
        if type(exc).__module__.split(".")[0] != "yaml":
            raise
        msg = f"{p}: not valid YAML: {exc}"
        raise ConfigError(msg) from exc
    _check_config_shape(data, p)
    if not isinstance(data, dict):
        msg = f"{p}: expected a table/object at the top level, found {type(data).__name__}"
        raise ConfigError(msg)
    return data


# ------------------------------------------------------------------------------- Rules
import dataclasses  # noqa: E402
import datetime as _dt  # noqa: E402
from collections.abc import Mapping  # noqa: E402
from types import MappingProxyType  # noqa: E402

#: DAK fisik contract-registration deadlines that applied, per fiscal year (docs/glossary.md).
DEFAULT_CONTRACT_DEADLINES: Mapping[int, _dt.date] = MappingProxyType({
    2022: _dt.date(2022, 7, 21),
    2023: _dt.date(2023, 7, 31),  # extended; the original date is kept below
    2024: _dt.date(2024, 7, 22),
})
#: Deadlines as first announced, where they were later extended.
ORIGINAL_CONTRACT_DEADLINES: Mapping[int, _dt.date] = MappingProxyType({
    2023: _dt.date(2023, 7, 21),
})
#: Reporting schedules: the months of the year a report is due (``monthly``: every month;
#: ``quarterly``: March, June, September, December). ``bulanan`` / ``triwulan`` are read as
#: the same.
REPORTING_SCHEDULES: Mapping[str, tuple[int, ...]] = MappingProxyType({
    "monthly": tuple(range(1, 13)), "quarterly": (3, 6, 9, 12),
})
_SCHEDULE_WORDS: Final = {"monthly": "monthly", "bulanan": "monthly", "quarterly": "quarterly",
                          "triwulan": "quarterly", "triwulanan": "quarterly"}
#: Jenis DAK codes the per-kind rules are keyed by (``_vocab.columns.KINDS``; repeated here
#: because the vocabulary imports nothing from the rules).
_KIND_KEYS: Final = ("nonfisik", "fisik")


@dataclasses.dataclass(frozen=True, slots=True)
class Rules:
    """Every number the checks, projections and flags rest on, in one place.

    Pass ``rules=`` to any stage; build one with :meth:`Rules.from_file` or
    ``dataclasses.replace(Rules(), threshold=0.9)``.

    Attributes
    ----------
    threshold : float
        Year-end absorption every OPD should reach (0.93: the West Java commitment; a policy
        line, not a regulation).
    semester_cutoff_month, semester_cutoff_day : int
        End of the first semester (30 June).
    contract_deadlines : mapping of year -> date
        DAK fisik contract-registration deadline per fiscal year.
    default_contract_deadline : tuple (month, day)
        Deadline for years not listed (21 July).
    deadline_warning_days : int
        ``contract-deadline-at-risk`` fires this many days before the deadline (30).
    money_tolerance : float
        Rupiah of slack in ``realisasi <= pagu``-type checks (rounding), default 1.
    percent_tolerance : float
        Extra slack (percentage points) on top of the printed precision when a printed percent
        is compared with ``realisasi / pagu`` (default 0.011).
    outlier_factor : float
        A money value this many times its pagu is an absurd magnitude (100).
    history_factor : float
        A pagu this many times larger (or smaller) than the same item's pagu in an earlier
        period is a magnitude outlier — a typed extra zero (10).
    total_tolerance : float
        Relative slack when a totals row is compared with the sum of its rows (0.0005),
        on top of Rp 1 per row summed.
    at_risk_probability, will_miss_probability : float
        Projection status cut-offs on the probability of ending below ``threshold``:
        ``will-miss`` at 0.8 or more, ``at-risk`` at 0.3 or more, else ``on-track``.
    low_s1_factor : float
        ``low-s1-absorption`` fires when absorption at the semester cut-off is below this
        fraction of the typical absorption by then (0.5: half of what is usual by June).
    stage_gates : mapping
        DAK fisik transfer-stage conditions: ``tahap_ii_min_absorption`` (0.75 of money
        received), ``tahap_iii_min_absorption`` (0.90) and ``tahap_iii_min_output`` (0.70).
    reporting_schedule : mapping of jenis DAK -> ``"monthly"`` or ``"quarterly"``
        When an OPD's report of each kind is due: BOKB (``nonfisik``) and DAK fisik monthly
        by default (a default to adjust: set ``fisik = "quarterly"`` where DAK fisik reports
        per triwulan).
    reporting_deadline_day : mapping of jenis DAK -> day
        A period's report is due by this day of the next month (10 for both kinds: the 10th,
        a default to adjust); a day past a month's end is its last day.
    coverage_red, coverage_yellow : float
        Reporting coverage (share of the expected reports and pagu in) below ``coverage_red``
        (0.5) is red, below ``coverage_yellow`` (0.8) yellow, else green — as SIGA scores
        field workers' reporting.
    stalled_months : int
        ``stalled`` fires when an OPD's realisasi has not moved for this many months (3)
        while its absorption is below the typical profile.
    """

    threshold: float = 0.93
    semester_cutoff_month: int = 6
    semester_cutoff_day: int = 30
    contract_deadlines: Mapping[int, _dt.date] = dataclasses.field(
        default_factory=lambda: DEFAULT_CONTRACT_DEADLINES)
    original_contract_deadlines: Mapping[int, _dt.date] = dataclasses.field(
        default_factory=lambda: ORIGINAL_CONTRACT_DEADLINES)
    default_contract_deadline: tuple[int, int] = (7, 21)
    deadline_warning_days: int = 30
    money_tolerance: float = 1.0
    percent_tolerance: float = 0.011
    outlier_factor: float = 100.0
    history_factor: float = 10.0
    total_tolerance: float = 0.0005
    at_risk_probability: float = 0.3
    low_s1_factor: float = 0.5
    will_miss_probability: float = 0.8
    stage_gates: Mapping[str, float] = dataclasses.field(default_factory=lambda: MappingProxyType({
        "tahap_ii_min_absorption": 0.75,
        "tahap_iii_min_absorption": 0.90,
        "tahap_iii_min_output": 0.70,
    }))
    reporting_schedule: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: MappingProxyType({"nonfisik": "monthly", "fisik": "monthly"}))
    reporting_deadline_day: Mapping[str, int] = dataclasses.field(
        default_factory=lambda: MappingProxyType({"nonfisik": 10, "fisik": 10}))
    coverage_red: float = 0.5
    coverage_yellow: float = 0.8
    stalled_months: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            msg = f"threshold must be a fraction in (0, 1], e.g. 0.93, not {self.threshold!r}"
            raise ConfigError(msg)
        if not 0 < self.at_risk_probability <= self.will_miss_probability <= 1:
            msg = ("need 0 < at_risk_probability <= will_miss_probability <= 1, got "
                   f"{self.at_risk_probability} and {self.will_miss_probability}")
            raise ConfigError(msg)
        if self.outlier_factor <= 1 or self.history_factor <= 1:
            msg = "outlier_factor and history_factor must be greater than 1"
            raise ConfigError(msg)
        try:
            _dt.date(2024, self.semester_cutoff_month, self.semester_cutoff_day)
        except ValueError as exc:
            msg = f"invalid semester cut-off: {exc}"
            raise ConfigError(msg) from exc
        md = self.default_contract_deadline
        try:
            month, day = md
            _dt.date(2023, int(month), int(day))  # a year that is not a leap year
        except (TypeError, ValueError) as exc:
            msg = (f"default_contract_deadline must be (month, day) of a real date, e.g. "
                   f"(7, 21), not {md!r}")
            raise ConfigError(msg) from exc
        self._check_reporting()

    def _check_reporting(self) -> None:
        """The reporting rules: known kinds, known schedules, real days, ordered cut-offs."""
        for key in ("reporting_schedule", "reporting_deadline_day"):
            table = getattr(self, key)
            if not isinstance(table, Mapping) or set(table) != set(_KIND_KEYS):
                shown = dict(table) if isinstance(table, Mapping) else table
                msg = (f"{key} must be a table with one entry per jenis DAK "
                       f"({', '.join(_KIND_KEYS)}), not {shown!r}")
                raise ConfigError(msg)
        for kind, sched in self.reporting_schedule.items():
            if sched not in REPORTING_SCHEDULES:
                msg = (f"reporting_schedule.{kind} must be 'monthly' or 'quarterly' (bulanan / "
                       f"triwulan), not {sched!r}")
                raise ConfigError(msg)
        for kind, day in self.reporting_deadline_day.items():
            if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
                msg = f"reporting_deadline_day.{kind} must be a day 1-31, not {day!r}"
                raise ConfigError(msg)
        red, yellow = self.coverage_red, self.coverage_yellow
        if not (isinstance(red, (int, float)) and isinstance(yellow, (int, float))
                and 0 <= red <= yellow <= 1):
            msg = (f"need 0 <= coverage_red <= coverage_yellow <= 1 (e.g. 0.5 and 0.8), got "
                   f"coverage_red={red!r} and coverage_yellow={yellow!r}")
            raise ConfigError(msg)
        n = self.stalled_months
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 11:
            msg = f"stalled_months must be a whole number of months 1-11 (e.g. 3), not {n!r}"
            raise ConfigError(msg)

    def reporting_months(self, kind: str) -> tuple[int, ...]:
        """The months of the year a report of ``kind`` is due (``reporting_schedule``).

        Examples
        --------
        >>> r = Rules.from_mapping({"reporting_schedule": {"fisik": "triwulan"}})
        >>> r.reporting_months("fisik"), len(r.reporting_months("nonfisik"))
        ((3, 6, 9, 12), 12)
        """
        return REPORTING_SCHEDULES[self.reporting_schedule[kind]]

    def reporting_deadline(self, kind: str, periode: _dt.date) -> _dt.date:
        """The date by which the report of ``kind`` for ``periode``'s month is due: day
        ``reporting_deadline_day[kind]`` of the next month (its last day if shorter).

        Examples
        --------
        >>> Rules().reporting_deadline("nonfisik", _dt.date(2024, 6, 30))
        datetime.date(2024, 7, 10)
        >>> Rules().reporting_deadline("fisik", _dt.date(2024, 12, 31))
        datetime.date(2025, 1, 10)
        """
        import calendar  # noqa: PLC0415

        year, month = (periode.year + 1, 1) if periode.month == 12 else (periode.year,
                                                                          periode.month + 1)
        day = min(self.reporting_deadline_day[kind], calendar.monthrange(year, month)[1])
        return _dt.date(year, month, day)

    def semester_cutoff(self, year: int) -> _dt.date:
        """The first-semester cut-off date of ``year`` (30 June by default).

        Examples
        --------
        >>> Rules().semester_cutoff(2024)
        datetime.date(2024, 6, 30)
        """
        return _dt.date(year, self.semester_cutoff_month, self.semester_cutoff_day)

    def contract_deadline(self, year: int) -> _dt.date:
        """The DAK fisik contract deadline that applies in ``year``.

        Examples
        --------
        >>> Rules().contract_deadline(2023), Rules().contract_deadline(2030)
        (datetime.date(2023, 7, 31), datetime.date(2030, 7, 21))
        """
        if year in self.contract_deadlines:
            return self.contract_deadlines[year]
        month, day = self.default_contract_deadline
        return _dt.date(year, month, day)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Rules:
        """Build rules from a mapping (e.g. a parsed TOML file); unknown keys are errors.

        Examples
        --------
        >>> Rules.from_mapping({"threshold": 0.9, "contract_deadlines": {"2025": "2025-07-25"}}
        ...                    ).contract_deadline(2025)
        datetime.date(2025, 7, 25)
        """
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - fields)
        if unknown:
            msg = f"unknown rule(s) {unknown}; known: {sorted(fields)}"
            raise ConfigError(msg)
        kw: dict[str, object] = dict(data)
        try:
            for key in ("contract_deadlines", "original_contract_deadlines"):
                if key in kw:
                    given = kw[key]
                    if not isinstance(given, Mapping):
                        msg = f"{key} must be a table of year = date"
                        raise ConfigError(msg)
                    merged = dict(getattr(cls(), key))
                    merged.update({int(y): _as_date(d) for y, d in given.items()})
                    kw[key] = MappingProxyType(merged)
            if "default_contract_deadline" in kw:
                md = kw["default_contract_deadline"]
                kw["default_contract_deadline"] = tuple(int(x) for x in md)  # type: ignore[attr-defined]
            if "stage_gates" in kw:
                if not isinstance(kw["stage_gates"], Mapping):
                    msg = "stage_gates must be a table of gate = fraction"
                    raise ConfigError(msg)
                merged_g = dict(cls().stage_gates)
                merged_g.update({str(k): float(v) for k, v in kw["stage_gates"].items()})  # type: ignore[attr-defined]
                kw["stage_gates"] = MappingProxyType(merged_g)
            for key, convert in (("reporting_schedule", _schedule_word),
                                 ("reporting_deadline_day", _whole)):
                if key in kw:
                    given = kw[key]
                    if not isinstance(given, Mapping):
                        msg = f"{key} must be a table of jenis DAK = value (nonfisik, fisik)"
                        raise ConfigError(msg)
                    unknown_k = sorted(set(map(str, given)) - set(_KIND_KEYS))
                    if unknown_k:
                        msg = (f"{key}: unknown jenis DAK {unknown_k}; known: "
                               f"{list(_KIND_KEYS)}")
                        raise ConfigError(msg)
                    merged_r = dict(getattr(cls(), key))
                    merged_r.update({str(k): convert(key, str(k), v) for k, v in given.items()})
                    kw[key] = MappingProxyType(merged_r)
            return cls(**kw)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            msg = f"invalid rules: {exc}"
            raise ConfigError(msg) from exc

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Rules:
        """Load rules from a small TOML, JSON or YAML file (keys as the attributes).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "rules.toml"
        >>> _ = p.write_text('threshold = 0.9\\n[contract_deadlines]\\n2025 = 2025-07-25\\n')
        >>> Rules.from_file(p).threshold
        0.9
        """
        return cls.from_mapping(load_mapping_file(path))

    def to_dict(self) -> dict[str, object]:
        """The rules as plain data (for reports and JSON)."""
        out: dict[str, object] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Mapping):
                v = {str(k): (x.isoformat() if isinstance(x, _dt.date) else x)
                     for k, x in v.items()}
            out[f.name] = v
        return out


def _schedule_word(key: str, kind: str, value: object) -> str:
    word = _SCHEDULE_WORDS.get(str(value).strip().casefold())
    if word is None:
        msg = f"{key}.{kind} must be 'monthly' or 'quarterly' (bulanan / triwulan), not {value!r}"
        raise ConfigError(msg)
    return word


def _whole(key: str, kind: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not float(value).is_integer():
        msg = f"{key}.{kind} must be a whole number, not {value!r}"
        raise ConfigError(msg)
    return int(value)


def _as_date(value: object) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))
