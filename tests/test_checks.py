"""The one catalogue of checks (``dak_monitor._checks``): declared once, used everywhere.

The behaviour of each check on real rows is in ``test_schemas.py`` (one passing and one
failing case per code); here: the registry itself, and that a check added in one place is
run, reported and documented without touching anything else.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import dak_monitor as dm
from dak_monitor._checks import (
    CHECKS,
    SCOPES,
    Check,
    checks_for,
    pandera_check,
    register_check,
    unparsed_check,
)
from dak_monitor._vocab import ERROR, SEVERITIES, WARNING
from dak_monitor._vocab import columns as C
from dak_monitor.schemas import FisikExport, NonfisikExport

ROOT = Path(__file__).resolve().parents[1]
CSV = ("Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi\n"
       "2024;Juni 2024;32.05;Kab. Garut;BKB;1.000;13\n"
       "2024;Juni 2024;32.79;Kota Banjar;BKB;1.000;400\n")


def test_every_check_is_complete() -> None:
    """Code, severity and scope from the vocabulary; kinds known; both message languages."""
    assert len(CHECKS) >= 27
    for code, c in CHECKS.items():
        assert isinstance(c, Check) and c.code == code
        assert c.severity in SEVERITIES and c.scope in SCOPES
        assert set(c.kinds) <= set(C.KINDS) and c.kinds
        assert c.pesan and c.message and c.title_id and c.title_en
        assert c.find is not None or c.parsed_by_reader or c.pandera_names, code


def test_cell_checks_run_on_columns_their_kinds_have() -> None:
    """A cell check names columns; each kind it applies to has at least one of them."""
    fields = {C.NONFISIK: set(NonfisikExport.to_schema().columns),
              C.FISIK: set(FisikExport.to_schema().columns)}
    for c in checks_for(scope="cell"):
        if c.find is None:
            continue
        for kind in c.kinds:
            assert set(c.columns) & fields[kind], (c.code, kind)


def test_every_column_the_reader_parses_has_exactly_one_parse_check() -> None:
    """A cell the reader could not parse is reported by the one check naming its column."""
    parse_checks = [c for c in CHECKS.values() if c.parsed_by_reader]
    parsed = (*C.MONEY_COLUMNS, *C.PERCENT_COLUMNS, *C.QUANTITY_COLUMNS, *C.DATE_COLUMNS,
              C.TAHUN, C.PERIODE, C.KODE_WILAYAH, C.KODE_PROVINSI)
    for column in parsed:
        owners = [c.code for c in parse_checks if column in c.columns]
        assert len(owners) == 1, (column, owners)
        assert unparsed_check(column).code == owners[0]
    assert unparsed_check("a_new_number_column").code == "unparseable-number"


@pytest.mark.parametrize(("name", "code"), [
    ("not_nullable", "missing-value"), ("dtype('float64')", "unparseable-number"),
    ("negative-value", "negative-value"), ("something_null_ish", "missing-value"),
    ("coerce_dtype('float64')", "unparseable-number"),
])
def test_pandera_failures_map_to_codes(name: str, code: str) -> None:
    assert pandera_check(name).code == code


def test_registry_refuses_a_code_twice_and_a_bad_scope() -> None:
    with pytest.raises(ValueError, match="twice"):
        register_check("duplicate-row", ERROR, "row", title=("a", "b"), pesan="x",
                       message="x")(None)
    with pytest.raises(ValueError, match="scope"):
        register_check("demo-bad-scope", ERROR, "file", title=("a", "b"), pesan="x",
                       message="x")(None)
    assert "demo-bad-scope" not in CHECKS


def test_a_check_added_in_one_place_is_run_reported_and_quarantines(tmp_path: Path) -> None:
    """Registering a row check is all it takes: validate_export runs it with the rules given,
    reports it by file, row and column in both languages, and quarantines its rows."""
    @register_check("demo-realisasi-odd", ERROR, "row", column=C.REALISASI,
                    title=("Realisasi ganjil", "Odd realisasi"),
                    pesan="Realisasi {realisasi} ganjil.", message="Realisasi {realisasi} is odd.",
                    context=lambda f, idx, rules: pd.DataFrame(
                        {"realisasi": f.loc[idx, C.REALISASI].map(str)}, index=idx))
    def _odd(f: pd.DataFrame, rules: dm.Rules) -> pd.Series:
        return pd.to_numeric(f[C.REALISASI], errors="coerce") % 2 == 1

    try:
        (tmp_path / "x.csv").write_text(CSV, encoding="utf-8")
        report = dm.validate_export(dm.read_export(tmp_path / "x.csv"))
        mine = report.problems[report.problems["code"] == "demo-realisasi-odd"]
        assert mine["row"].tolist() == [2]  # realisasi 13 on the file's second line
        assert mine["column"].tolist() == [C.REALISASI]
        assert mine["pesan"].tolist() == ["Realisasi 13.0 ganjil."]
        assert mine["message"].tolist() == ["Realisasi 13.0 is odd."]
        assert report.quarantine["sumber_baris"].tolist() == [2]
        assert [p["code"] for p in report.to_dict()["problems"]] == ["demo-realisasi-odd"]
    finally:
        CHECKS.remove("demo-realisasi-odd")
    assert dm.validate_export(dm.read_export(tmp_path / "x.csv")).ok


def test_docs_list_every_check() -> None:
    """``docs/checks.md`` has a row for every code of the catalogue, and no other code."""
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    codes = set(re.findall(r"^\| `([a-z0-9-]+)` \|", doc, flags=re.MULTILINE))
    assert codes == set(CHECKS)
    for c in CHECKS.values():
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{c.code}` |"))
        assert f"| {c.severity} |" in row, c.code


def test_warnings_keep_their_rows() -> None:
    assert {c.severity for c in CHECKS.values()} == {ERROR, WARNING}
