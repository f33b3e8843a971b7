"""Rules and configuration files (``dak_monitor._config``): defaults, validation, round trips."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor._config import load_mapping_file

# ================================================================================ defaults
# The documented defaults (Rules docstring, README "Validation", docs/glossary.md deadlines).
DOCUMENTED = {
    "threshold": 0.93, "semester_cutoff_month": 6, "semester_cutoff_day": 30,
    "default_contract_deadline": (7, 21), "deadline_warning_days": 30,
    "money_tolerance": 1.0, "percent_tolerance": 0.011, "outlier_factor": 100.0,
    "history_factor": 10.0, "total_tolerance": 0.0005, "at_risk_probability": 0.3,
    "will_miss_probability": 0.8, "low_s1_factor": 0.5,
    "coverage_red": 0.5, "coverage_yellow": 0.8, "stalled_months": 3,
}


@pytest.mark.parametrize(("name", "value"), sorted(DOCUMENTED.items()))
def test_documented_defaults(name: str, value: object) -> None:
    """Every number of Rules() is the documented default."""
    assert getattr(dm.Rules(), name) == value


def test_default_stage_gates_and_deadlines() -> None:
    """Stage gates 0.75/0.90/0.70; contract deadlines of 2022–2024 and 2023's original date."""
    r = dm.Rules()
    assert dict(r.stage_gates) == {"tahap_ii_min_absorption": 0.75,
                                   "tahap_iii_min_absorption": 0.90,
                                   "tahap_iii_min_output": 0.70}
    assert r.contract_deadline(2022) == dt.date(2022, 7, 21)
    assert r.contract_deadline(2023) == dt.date(2023, 7, 31)  # extended
    assert r.contract_deadline(2024) == dt.date(2024, 7, 22)
    assert r.original_contract_deadlines[2023] == dt.date(2023, 7, 21)
    assert r.semester_cutoff(2024) == dt.date(2024, 6, 30)


def test_rules_and_their_tables_are_immutable() -> None:
    """Rules are frozen, and the default deadline table cannot be changed through an instance."""
    r = dm.Rules()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.threshold = 0.5  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.contract_deadlines[2030] = dt.date(2030, 1, 1)  # type: ignore[index]
    with pytest.raises(TypeError):
        r.stage_gates["tahap_ii_min_absorption"] = 0.1  # type: ignore[index]
    assert 2030 not in dm.Rules().contract_deadlines


# ============================================================================== validation
BAD_RULES: dict[str, dict[str, Any]] = {
    "threshold-zero": {"threshold": 0},
    "threshold-negative": {"threshold": -0.5},
    "threshold-percent": {"threshold": 93},
    "threshold-above-one": {"threshold": 1.01},
    "threshold-nan": {"threshold": math.nan},
    "at-risk-above-will-miss": {"at_risk_probability": 0.9, "will_miss_probability": 0.5},
    "at-risk-zero": {"at_risk_probability": 0},
    "will-miss-above-one": {"will_miss_probability": 1.5},
    "outlier-factor-one": {"outlier_factor": 1},
    "history-factor-below-one": {"history_factor": 0.5},
    "cutoff-30-feb": {"semester_cutoff_month": 2, "semester_cutoff_day": 30},
    "cutoff-month-13": {"semester_cutoff_month": 13},
    "cutoff-31-june": {"semester_cutoff_day": 31},
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_invalid_rules_are_config_errors(case: str) -> None:
    """Out-of-range rules are refused as ConfigError, by the constructor and by from_mapping."""
    kw = BAD_RULES[case]
    with pytest.raises(dm.ConfigError):
        dm.Rules(**kw)
    with pytest.raises(dm.ConfigError):
        dm.Rules.from_mapping(kw)


def test_threshold_error_names_the_value() -> None:
    """The message says what was wrong: a fraction was expected, 87 was given."""
    with pytest.raises(dm.ConfigError, match="87") as info:
        dm.Rules(threshold=87)
    assert "fraction" in str(info.value)
    assert isinstance(info.value, dm.DakMonitorError)


BAD_MAPPINGS: dict[str, dict[str, Any]] = {
    "threshold-text": {"threshold": "hoch"},
    "deadlines-not-a-table": {"contract_deadlines": "2025-07-21"},
    "deadline-year-not-a-number": {"contract_deadlines": {"tahun": "2025-07-21"}},
    "deadline-not-iso": {"contract_deadlines": {"2025": "21/07/2025"}},
    "deadline-impossible-date": {"contract_deadlines": {"2025": "2025-02-30"}},
    "original-deadlines-not-a-table": {"original_contract_deadlines": 2023},
    "default-deadline-text": {"default_contract_deadline": "juli"},
    "default-deadline-number": {"default_contract_deadline": 7},
    "stage-gate-text": {"stage_gates": {"tahap_ii_min_absorption": "tinggi"}},
}


@pytest.mark.parametrize("case", sorted(BAD_MAPPINGS))
def test_malformed_mappings_are_config_errors(case: str) -> None:
    """Values of the wrong type or form in a rules mapping are ConfigError, not a traceback."""
    with pytest.raises(dm.ConfigError):
        dm.Rules.from_mapping(BAD_MAPPINGS[case])


def test_stage_gates_not_a_table_is_a_config_error() -> None:
    """``stage_gates = 0.5`` (not a table) is a ConfigError like the deadline tables."""
    with pytest.raises(dm.ConfigError):
        dm.Rules.from_mapping({"stage_gates": 0.5})


@pytest.mark.parametrize("md", [(2, 30), (13, 1), (7,)], ids=["30-feb", "month-13", "no-day"])
def test_invalid_default_contract_deadline_is_a_config_error(md: tuple[int, ...]) -> None:
    """An impossible default deadline is refused up front, as the semester cut-off is."""
    with pytest.raises(dm.ConfigError):
        dm.Rules.from_mapping({"default_contract_deadline": list(md)})


def test_unknown_keys_are_errors_naming_them() -> None:
    """A misspelt rule is refused; the message names it and lists the known ones."""
    with pytest.raises(dm.ConfigError) as info:
        dm.Rules.from_mapping({"threshold": 0.9, "money_tolerence": 5, "zzz": 1})
    msg = str(info.value)
    assert "money_tolerence" in msg
    assert "zzz" in msg
    assert "money_tolerance" in msg  # the known spelling is listed


# ======================================================================= contract deadline
@given(year=st.integers(1990, 2100))
def test_contract_deadline_is_listed_or_default(year: int) -> None:
    """A listed year gets its own date; any other year gets 21 July of that year."""
    expected = {2022: dt.date(2022, 7, 21), 2023: dt.date(2023, 7, 31),
                2024: dt.date(2024, 7, 22)}.get(year, dt.date(year, 7, 21))
    assert dm.Rules().contract_deadline(year) == expected


def test_contract_deadlines_from_mapping_merge_with_the_defaults() -> None:
    """A file's deadlines add to (or override) the built-in years; the default date moves too."""
    r = dm.Rules.from_mapping({"contract_deadlines": {"2025": "2025-07-25",
                                                      "2024": dt.date(2024, 8, 15)},
                               "default_contract_deadline": [8, 1]})
    assert r.contract_deadline(2025) == dt.date(2025, 7, 25)
    assert r.contract_deadline(2024) == dt.date(2024, 8, 15)  # overridden
    assert r.contract_deadline(2023) == dt.date(2023, 7, 31)  # kept from the defaults
    assert r.contract_deadline(2031) == dt.date(2031, 8, 1)
    assert r.default_contract_deadline == (8, 1)
    assert dm.Rules().contract_deadline(2024) == dt.date(2024, 7, 22)  # defaults untouched


def test_datetime_deadlines_become_dates() -> None:
    """A TOML datetime (or a datetime object) as deadline is taken as its date."""
    r = dm.Rules.from_mapping({"contract_deadlines": {2026: dt.datetime(2026, 7, 20, 17, 0)}})
    assert r.contract_deadline(2026) == dt.date(2026, 7, 20)
    assert type(r.contract_deadline(2026)) is dt.date


def test_stage_gates_merge() -> None:
    """Giving one stage gate keeps the other two at their defaults."""
    r = dm.Rules.from_mapping({"stage_gates": {"tahap_iii_min_output": 0.6}})
    assert dict(r.stage_gates) == {"tahap_ii_min_absorption": 0.75,
                                   "tahap_iii_min_absorption": 0.90,
                                   "tahap_iii_min_output": 0.6}


# ============================================================================== round trips
fraction = st.floats(0.01, 1.0, allow_nan=False)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))


@st.composite
def rule_mappings(draw: st.DrawFn) -> dict[str, object]:
    """A mapping of valid rules, as a parsed TOML/JSON file gives them (a random subset of keys)."""
    p1 = draw(fraction)
    p2 = draw(st.floats(p1, 1.0))
    cutoff = draw(st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))  # a leap year
    default_md = draw(st.dates(dt.date(2023, 1, 1), dt.date(2023, 12, 31)))  # not a leap year
    cov_red = draw(st.floats(0.0, 1.0))
    full: dict[str, object] = {
        "threshold": draw(fraction),
        "semester_cutoff_month": cutoff.month,
        "semester_cutoff_day": cutoff.day,
        "contract_deadlines": {str(k): v.isoformat() for k, v in draw(
            st.dictionaries(st.integers(2000, 2100), dates, max_size=4)).items()},
        "original_contract_deadlines": {str(k): v for k, v in draw(
            st.dictionaries(st.integers(2000, 2100), dates, max_size=2)).items()},
        "default_contract_deadline": [default_md.month, default_md.day],
        "deadline_warning_days": draw(st.integers(0, 365)),
        "money_tolerance": draw(st.floats(0, 1e6)),
        "percent_tolerance": draw(st.floats(0, 5)),
        "outlier_factor": draw(st.floats(1.001, 1e6)),
        "history_factor": draw(st.floats(1.001, 1e3)),
        "total_tolerance": draw(st.floats(0, 0.5)),
        "at_risk_probability": p1,
        "will_miss_probability": p2,
        "low_s1_factor": draw(fraction),
        "stage_gates": draw(st.dictionaries(
            st.sampled_from(["tahap_ii_min_absorption", "tahap_iii_min_absorption",
                             "tahap_iii_min_output"]), fraction)),
        "reporting_schedule": draw(st.dictionaries(
            st.sampled_from(["nonfisik", "fisik"]), st.sampled_from(["monthly", "quarterly"]))),
        "reporting_deadline_day": draw(st.dictionaries(
            st.sampled_from(["nonfisik", "fisik"]), st.integers(1, 31))),
        "coverage_red": cov_red,
        "coverage_yellow": draw(st.floats(cov_red, 1.0)),
        "stalled_months": draw(st.integers(1, 11)),
    }
    # Keys that are only valid together are drawn together (a day 31 alone needs its month).
    groups = [("semester_cutoff_month", "semester_cutoff_day"),
              ("at_risk_probability", "will_miss_probability"),
              ("coverage_red", "coverage_yellow")]
    grouped = {k for g in groups for k in g}
    groups += [(k,) for k in sorted(full) if k not in grouped]
    chosen = draw(st.lists(st.sampled_from(groups), unique=True))
    return {k: full[k] for g in chosen for k in g}


@given(rule_mappings())
def test_from_mapping_takes_every_given_value(data: dict[str, object]) -> None:
    """Each rule given is the rule in force; the others keep their defaults."""
    r = dm.Rules.from_mapping(data)
    for name, value in DOCUMENTED.items():
        if name not in data:
            assert getattr(r, name) == value, name
    for name in ("threshold", "money_tolerance", "at_risk_probability", "deadline_warning_days"):
        if name in data:
            assert getattr(r, name) == data[name]
    for year, when in dict(data.get("contract_deadlines", {})).items():  # type: ignore[call-overload]
        assert r.contract_deadline(int(year)) == dt.date.fromisoformat(when)
    if "semester_cutoff_month" in data and "semester_cutoff_day" in data:
        cut = r.semester_cutoff(2024)
        assert (cut.month, cut.day) == (data["semester_cutoff_month"], data["semester_cutoff_day"])


@given(rule_mappings())
def test_to_dict_round_trips_through_json(data: dict[str, object]) -> None:
    """from_mapping(to_dict()) gives the same rules, also after a JSON dump and load."""
    r = dm.Rules.from_mapping(data)
    plain = r.to_dict()
    assert dm.Rules.from_mapping(plain) == r
    assert dm.Rules.from_mapping(json.loads(json.dumps(plain))) == r


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v))  # a basic string


def _to_toml(plain: dict[str, object]) -> str:
    """A minimal TOML writer for Rules.to_dict() (scalars, arrays, one level of tables)."""
    top = [f"{k} = {_toml_value(v)}" for k, v in plain.items() if not isinstance(v, dict)]
    tables = [f"\n[{k}]\n" + "\n".join(f'"{kk}" = {_toml_value(vv)}' for kk, vv in v.items())
              for k, v in plain.items() if isinstance(v, dict)]
    return "\n".join(top) + "\n" + "\n".join(tables) + "\n"


@settings(max_examples=40)
@given(rule_mappings())
def test_to_dict_round_trips_through_files(data: dict[str, object]) -> None:
    """Rules written as TOML or JSON and read back with from_file are the same rules."""
    r = dm.Rules.from_mapping(data)
    with tempfile.TemporaryDirectory() as tmp:
        toml_path = Path(tmp) / "rules.toml"
        toml_path.write_text(_to_toml(r.to_dict()), encoding="utf-8")
        json_path = Path(tmp) / "rules.json"
        json_path.write_text(json.dumps(r.to_dict()), encoding="utf-8")
        assert dm.Rules.from_file(toml_path) == r
        assert dm.Rules.from_file(json_path) == r


def test_to_dict_is_plain_data() -> None:
    """to_dict gives JSON-ready data: string years, ISO dates, every field."""
    plain = dm.Rules().to_dict()
    assert set(plain) == {f.name for f in dataclasses.fields(dm.Rules)}
    assert plain["contract_deadlines"] == {"2022": "2022-07-21", "2023": "2023-07-31",
                                           "2024": "2024-07-22"}
    assert plain["threshold"] == 0.93
    json.dumps(plain)  # does not raise


# ===================================================================================== files
def test_from_file_toml_as_in_the_readme(tmp_path: Path) -> None:
    """The README's rules.toml (comments, a TOML date) loads as written."""
    path = tmp_path / "rules.toml"
    path.write_text('threshold = 0.93            # year-end absorption\n'
                    'money_tolerance = 1.0\n'
                    'outlier_factor = 100\n'
                    '[contract_deadlines]        # DAK fisik contract deadline per year\n'
                    '2025 = 2025-07-21\n', encoding="utf-8")
    r = dm.Rules.from_file(path)
    assert r.threshold == 0.93
    assert r.outlier_factor == 100
    assert r.contract_deadline(2025) == dt.date(2025, 7, 21)


def test_from_file_json_with_bom(tmp_path: Path) -> None:
    """A JSON rules file saved with a UTF-8 byte-order mark (Windows Notepad) loads."""
    path = tmp_path / "rules.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"threshold": 0.9,
                                                  "deadline_warning_days": 14}).encode())
    r = dm.Rules.from_file(path)
    assert (r.threshold, r.deadline_warning_days) == (0.9, 14)


def test_from_file_unknown_key(tmp_path: Path) -> None:
    """An unknown key in a file is a ConfigError naming it."""
    path = tmp_path / "rules.toml"
    path.write_text("ambang = 0.9\n", encoding="utf-8")
    with pytest.raises(dm.ConfigError, match="ambang"):
        dm.Rules.from_file(path)


def test_load_mapping_file_formats(tmp_path: Path) -> None:
    """TOML and JSON give the same mapping; the suffix is matched case-insensitively."""
    (tmp_path / "a.toml").write_text('pagu = ["Pagu Final", "Pagu Setelah APBD-P"]\n',
                                     encoding="utf-8")
    (tmp_path / "a.JSON").write_text('{"pagu": ["Pagu Final", "Pagu Setelah APBD-P"]}',
                                     encoding="utf-8")
    want = {"pagu": ["Pagu Final", "Pagu Setelah APBD-P"]}
    assert load_mapping_file(tmp_path / "a.toml") == want
    assert load_mapping_file(tmp_path / "a.JSON") == want


def test_load_mapping_file_yaml(tmp_path: Path) -> None:
    """YAML loads with PyYAML; without it the error says how to get it."""
    path = tmp_path / "a.yaml"
    path.write_text("pagu:\n  - Pagu Final\n", encoding="utf-8")
    try:
        import yaml  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        with pytest.raises(dm.ConfigError, match="PyYAML"):
            load_mapping_file(path)
    else:
        assert load_mapping_file(path) == {"pagu": ["Pagu Final"]}


BAD_FILES = {
    "invalid-toml": ("rules.toml", "threshold = = 0.9\n"),
    "invalid-json": ("rules.json", '{"threshold": 0.9,}'),
    "json-top-level-list": ("rules.json", "[0.9, 0.8]"),
    "json-top-level-number": ("rules.json", "0.9"),
    "unknown-suffix": ("rules.ini", "[rules]\nthreshold = 0.9\n"),
    "no-suffix": ("rules", "threshold = 0.9\n"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_load_mapping_file_errors_name_the_file(case: str, tmp_path: Path) -> None:
    """A malformed or unsupported file is a ConfigError whose message names the file."""
    name, text = BAD_FILES[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(dm.ConfigError) as info:
        load_mapping_file(path)
    assert name in str(info.value)


@pytest.mark.parametrize("case", ["missing", "folder"])
def test_load_mapping_file_unreadable(case: str, tmp_path: Path) -> None:
    """A missing file or a folder is a ConfigError naming it (not an OSError)."""
    path = tmp_path / "tidak_ada.toml"
    if case == "folder":
        path.mkdir()
    with pytest.raises(dm.ConfigError, match=r"tidak_ada\.toml"):
        load_mapping_file(path)
    with pytest.raises(dm.ConfigError):
        dm.Rules.from_file(path)


def test_load_mapping_file_not_utf8(tmp_path: Path) -> None:
    """An aliases file saved in Windows-1252 (``é``) is a ConfigError naming the file."""
    path = tmp_path / "aliases.toml"
    path.write_bytes('realisasi = ["Realisasi Keuangan (é)"]\n'.encode("cp1252"))
    with pytest.raises(dm.ConfigError, match=r"aliases\.toml"):
        load_mapping_file(path)


# ============================================================================== reporting
def test_reporting_defaults_are_the_documented_ones() -> None:
    """Both kinds monthly, due on the 10th of the next month (a December report in January)."""
    r = dm.Rules()
    assert r.reporting_months("nonfisik") == tuple(range(1, 13))
    assert r.reporting_months("fisik") == tuple(range(1, 13))
    assert r.reporting_deadline("nonfisik", dt.date(2024, 1, 31)) == dt.date(2024, 2, 10)
    assert r.reporting_deadline("fisik", dt.date(2024, 12, 31)) == dt.date(2025, 1, 10)


def test_reporting_rules_from_a_toml_file(tmp_path: Path) -> None:
    """DAK fisik per triwulan, due on the 31st (February's last day), as a rules file says."""
    path = tmp_path / "rules.toml"
    path.write_text('coverage_red = 0.4\nstalled_months = 2\n'
                    '[reporting_schedule]\nfisik = "triwulan"\n'
                    '[reporting_deadline_day]\nfisik = 31\n', encoding="utf-8")
    r = dm.Rules.from_file(path)
    assert r.reporting_months("fisik") == (3, 6, 9, 12)
    assert r.reporting_months("nonfisik") == tuple(range(1, 13))  # merged with the default
    assert r.reporting_deadline("fisik", dt.date(2024, 1, 31)) == dt.date(2024, 2, 29)
    assert r.reporting_deadline("fisik", dt.date(2023, 1, 31)) == dt.date(2023, 2, 28)
    assert r.reporting_deadline("nonfisik", dt.date(2024, 1, 31)) == dt.date(2024, 2, 10)
    assert (r.coverage_red, r.coverage_yellow, r.stalled_months) == (0.4, 0.8, 2)


@pytest.mark.parametrize(("data", "key"), [
    ({"reporting_schedule": {"fisik": "weekly"}}, "reporting_schedule"),
    ({"reporting_schedule": {"dak": "monthly"}}, "reporting_schedule"),
    ({"reporting_schedule": "monthly"}, "reporting_schedule"),
    ({"reporting_deadline_day": {"fisik": 0}}, "reporting_deadline_day"),
    ({"reporting_deadline_day": {"nonfisik": 10.5}}, "reporting_deadline_day"),
    ({"reporting_deadline_day": {"nonfisik": "10"}}, "reporting_deadline_day"),
    ({"coverage_red": 0.9}, "coverage_red"),
    ({"coverage_yellow": 1.5}, "coverage_yellow"),
    ({"coverage_red": "half"}, "coverage_red"),
    ({"stalled_months": 0}, "stalled_months"),
    ({"stalled_months": 2.5}, "stalled_months"),
])
def test_bad_reporting_rules_are_config_errors_naming_the_key(data: dict[str, object],
                                                              key: str) -> None:
    """A wrong reporting rule is a ConfigError whose message names the key."""
    with pytest.raises(dm.ConfigError, match=key):
        dm.Rules.from_mapping(data)
