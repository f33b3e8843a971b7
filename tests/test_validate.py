"""Tests of validate_export and ValidationReport: planted mistakes, accounting, strictness, scale.

The property tests make a clean synthetic export with :func:`dak_monitor.datasets.make_export`,
plant ONE kind of mistake at rows hypothesis chooses, write the frame with
:func:`~dak_monitor.datasets.write_export` (clean or messy layout), read it back and check that
exactly the planted rows — located through write_export's row map — carry the mistake's code,
and nothing else is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor.datasets import make_export, write_export
from dak_monitor.schemas import CHECKS, ERROR, WARNING

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
SAMPLE_DIRS = ("current", "history", "faulty")
PROV = ["sumber_file", "sumber_sheet", "sumber_baris"]

JABAR = ["32.01", "32.02", "32.03", "32.04", "32.05", "32.06", "32.07", "32.08", "32.09",
         "32.10", "32.11", "32.12", "32.13", "32.14", "32.15", "32.16", "32.17", "32.18",
         "32.71", "32.72", "32.73", "32.74", "32.75", "32.76", "32.77", "32.78", "32.79"]


# ============================================================================ sample reports
_REPORTS: dict[str, dm.ValidationReport] = {}


def sample_report(folder: str) -> dm.ValidationReport:
    """The report of one sample folder (read and validated once per session)."""
    if folder not in _REPORTS:
        _REPORTS[folder] = dm.validate_export(dm.read_export(SAMPLES / folder))
    return _REPORTS[folder]


# ========================================================================== planting mistakes
def _item(frame: pd.DataFrame) -> pd.Series:
    """Item identity of each row (region, menu, rincian) as one string."""
    parts = [frame[c].astype(object).where(frame[c].notna(), "").astype(str)
             for c in ("kode_wilayah", "menu", "rincian")]
    return parts[0] + "|" + parts[1] + "|" + parts[2]


def _later_same_item(frame: pd.DataFrame, label: int) -> list[int]:
    """Labels of the same item's rows in later periods."""
    item = _item(frame)
    mask = (item == item[label]) & (frame["periode"] > frame.at[label, "periode"])
    return frame.index[mask].tolist()


def _previous_same_item(frame: pd.DataFrame, label: int) -> int | None:
    """Label of the same item's row in the latest earlier period, if any."""
    item = _item(frame)
    mask = (item == item[label]) & (frame["periode"] < frame.at[label, "periode"])
    if not mask.any():
        return None
    return int(frame.loc[mask, "periode"].idxmax())


def _one_per_item(frame: pd.DataFrame, labels: list[int]) -> list[int]:
    item = _item(frame)
    seen: set[str] = set()
    out = []
    for lab in labels:
        if item[lab] not in seen:
            seen.add(item[lab])
            out.append(lab)
    return out


def _repercent(frame: pd.DataFrame, labels: list[int]) -> None:
    """Keep the printed percent consistent with the (changed) money, as make_export does."""
    for lab in labels:
        frame.at[lab, "persen_realisasi"] = round(
            100 * frame.at[lab, "realisasi"] / frame.at[lab, "pagu"], 2)


# A planter takes (frame copy, eligible-row chooser) and returns (new frame, planted labels).
Planter = Callable[[pd.DataFrame, list[int], st.DataObject], tuple[pd.DataFrame, list[int]]]


def plant_realisasi_above_pagu(f: pd.DataFrame, rows: list[int], data: st.DataObject
                               ) -> tuple[pd.DataFrame, list[int]]:
    """Realisasi Rp 2+ above pagu; later periods of the item are raised too (cumulative), so
    they are planted rows as well."""
    planted: set[int] = set()
    for lab in rows:
        pagu = f.at[lab, "pagu"]
        over = data.draw(st.integers(2, int(pagu)), label="over")  # < 100 × pagu
        new = pagu + over
        for target in [lab, *_later_same_item(f, lab)]:
            f.at[target, "realisasi"] = max(f.at[target, "realisasi"], new)
            planted.add(target)
    _repercent(f, sorted(planted))
    return f, sorted(planted)


def plant_duplicate_row(f: pd.DataFrame, rows: list[int], data: st.DataObject
                        ) -> tuple[pd.DataFrame, list[int]]:
    """A copy right after the original: the copy (the later occurrence) is blamed."""
    order: list[int] = []
    for lab in f.index:
        order.append(lab)
        if lab in rows:
            order.append(lab)
    out = f.loc[order].reset_index(drop=True)
    seen: set[int] = set()
    planted = []
    for pos, lab in enumerate(order):
        if lab in seen:
            planted.append(pos)
        seen.add(lab)
    return out, planted


def plant_realisasi_decreased(f: pd.DataFrame, rows: list[int], data: st.DataObject
                              ) -> tuple[pd.DataFrame, list[int]]:
    """Realisasi Rp 2+ below the previous period's (one row per item; later periods, being
    at least the original value, do not fall)."""
    planted = []
    for lab in _one_per_item(f, rows):
        prev = _previous_same_item(f, lab)
        assert prev is not None
        before = int(f.at[prev, "realisasi"])
        f.at[lab, "realisasi"] = float(data.draw(st.integers(0, before - 2), label="fallen"))
        planted.append(lab)
    _repercent(f, planted)
    return f, planted


def plant_pagu_changed(f: pd.DataFrame, rows: list[int], data: st.DataObject
                       ) -> tuple[pd.DataFrame, list[int]]:
    """Pagu raised from one period on (below 10× so it is no magnitude outlier): warned on the
    first period with the new pagu only."""
    planted = []
    for lab in _one_per_item(f, rows):
        pagu = f.at[lab, "pagu"]
        new = pagu + data.draw(st.integers(2, int(pagu) * 5), label="raise")
        for target in [lab, *_later_same_item(f, lab)]:
            f.at[target, "pagu"] = new
            _repercent(f, [target])
        planted.append(lab)
    return f, planted


def plant_persen_mismatch(f: pd.DataFrame, rows: list[int], data: st.DataObject
                          ) -> tuple[pd.DataFrame, list[int]]:
    """Printed percent 1–20 points off realisasi/pagu (staying within 0–100)."""
    for lab in rows:
        computed = 100 * f.at[lab, "realisasi"] / f.at[lab, "pagu"]
        off = data.draw(st.integers(1, 20), label="off")
        f.at[lab, "persen_realisasi"] = round(computed + off if computed + off <= 100
                                              else computed - off, 2)
    return f, rows


_FAKE_CODES = {code: f"32.{90 + i}" for i, code in enumerate(JABAR[:10])}  # 32.90–32.99


def plant_unknown_region(f: pd.DataFrame, rows: list[int], data: st.DataObject
                         ) -> tuple[pd.DataFrame, list[int]]:
    """A code that does not exist (32.9x, one per real region so no duplicates arise) with a
    name that is no region either (so it is not also a name mismatch)."""
    for lab in rows:
        f.at[lab, "kode_wilayah"] = _FAKE_CODES[f.at[lab, "kode_wilayah"]]
        f.at[lab, "nama_wilayah"] = "Kabupaten Antah Berantah"
    return f, rows


def plant_region_name_mismatch(f: pd.DataFrame, rows: list[int], data: st.DataObject
                               ) -> tuple[pd.DataFrame, list[int]]:
    """The name of another region (Kota Banjar 32.79, or Kabupaten Garut 32.05 on 32.79)."""
    for lab in rows:
        f.at[lab, "nama_wilayah"] = ("Kabupaten Garut" if f.at[lab, "kode_wilayah"] == "32.79"
                                     else "Kota Banjar")
    return f, rows


def plant_kontrak_above_pagu(f: pd.DataFrame, rows: list[int], data: st.DataObject
                             ) -> tuple[pd.DataFrame, list[int]]:
    """Contract value Rp 2 to 1× pagu above pagu."""
    for lab in rows:
        pagu = f.at[lab, "pagu"]
        f.at[lab, "nilai_kontrak"] = pagu + data.draw(st.integers(2, int(pagu)), label="over")
    return f, rows


def plant_contract_outside_year(f: pd.DataFrame, rows: list[int], data: st.DataObject
                                ) -> tuple[pd.DataFrame, list[int]]:
    """Contract dated in the year before or after the fiscal year."""
    for lab in rows:
        year = int(f.at[lab, "tahun"]) + data.draw(st.sampled_from([-1, 1]), label="year")
        day = data.draw(st.dates(dt.date(year, 1, 1), dt.date(year, 12, 31)), label="day")
        f.at[lab, "tanggal_kontrak"] = pd.Timestamp(day)
    return f, rows


def plant_contract_after_period(f: pd.DataFrame, rows: list[int], data: st.DataObject
                                ) -> tuple[pd.DataFrame, list[int]]:
    """Contract dated after the report period but in the fiscal year."""
    for lab in rows:
        per = f.at[lab, "periode"].date()
        day = data.draw(st.dates(per + dt.timedelta(days=1), dt.date(per.year, 12, 31)),
                        label="day")
        f.at[lab, "tanggal_kontrak"] = pd.Timestamp(day)
    return f, rows


def plant_spending_without_contract(f: pd.DataFrame, rows: list[int], data: st.DataObject
                                    ) -> tuple[pd.DataFrame, list[int]]:
    """Contract fields cleared on a non-swakelola item that spent; the status says procurement
    is still running (so the status is not inconsistent too)."""
    for lab in rows:
        f.at[lab, "nomor_kontrak"] = pd.NA
        f.at[lab, "tanggal_kontrak"] = pd.NaT
        f.at[lab, "nilai_kontrak"] = np.nan
        f.at[lab, "status_pengadaan"] = "Proses Pengadaan"
    return f, rows


def _all(f: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=f.index)


def _not_first_period(f: pd.DataFrame) -> pd.Series:
    return f["periode"] > f["periode"].min()


def _has_contract(f: pd.DataFrame) -> pd.Series:
    return f["tanggal_kontrak"].notna() & f["nilai_kontrak"].notna()


def _can_fall(f: pd.DataFrame) -> pd.Series:
    ok = pd.Series(False, index=f.index)
    for lab in f.index[_not_first_period(f)]:
        prev = _previous_same_item(f, lab)
        ok[lab] = prev is not None and f.at[prev, "realisasi"] >= 2
    return ok


def _not_december_with_contract(f: pd.DataFrame) -> pd.Series:
    return _has_contract(f) & (f["periode"].dt.month < 12)


def _spent_tendered(f: pd.DataFrame) -> pd.Series:
    swa = f["metode_pengadaan"].astype(str).str.casefold().str.contains("swakelola")
    return (f["realisasi"] > 1) & ~swa


# mistake -> (kind, planter, eligible rows, months to draw from)
MISTAKES: dict[str, tuple[str, Planter, Callable[[pd.DataFrame], pd.Series], range]] = {
    "realisasi-above-pagu": ("nonfisik", plant_realisasi_above_pagu, _all, range(1, 13)),
    "duplicate-row": ("nonfisik", plant_duplicate_row, _all, range(1, 13)),
    "realisasi-decreased": ("nonfisik", plant_realisasi_decreased, _can_fall, range(1, 13)),
    "pagu-changed": ("nonfisik", plant_pagu_changed, _not_first_period, range(1, 13)),
    "persen-mismatch": ("nonfisik", plant_persen_mismatch, _all, range(1, 13)),
    "unknown-region": ("nonfisik", plant_unknown_region, _all, range(1, 13)),
    "region-name-mismatch": ("nonfisik", plant_region_name_mismatch, _all, range(1, 13)),
    "kontrak-above-pagu": ("fisik", plant_kontrak_above_pagu, _has_contract, range(5, 13)),
    "contract-date-outside-year": ("fisik", plant_contract_outside_year, _has_contract,
                                   range(5, 13)),
    "contract-date-after-period": ("fisik", plant_contract_after_period,
                                   _not_december_with_contract, range(5, 12)),
    "spending-without-contract": ("fisik", plant_spending_without_contract, _spent_tendered,
                                  range(7, 13)),
}
LAYOUTS = [("clean", ".csv"), ("clean", ".xlsx"), ("messy", ".csv"), ("messy", ".xlsx")]


def test_mistake_table_is_big_enough() -> None:
    """At least six kinds of mistake, each a catalogue code, both severities covered."""
    assert len(MISTAKES) >= 6
    assert set(MISTAKES) <= set(CHECKS)
    assert {CHECKS[m].severity for m in MISTAKES} == {ERROR, WARNING}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), seed=st.integers(0, 10_000), layout_seed=st.integers(0, 10_000),
       layout=st.sampled_from(LAYOUTS))
def test_planted_mistakes_are_found_exactly(mistake: str, data: st.DataObject, seed: int,
                                            layout_seed: int, layout: tuple[str, str],
                                            tmp_path: Path) -> None:
    """Exactly the planted rows, and no others, are reported with the planted code."""
    kind, planter, eligible, month_pool = MISTAKES[mistake]
    regions = data.draw(st.lists(st.sampled_from(JABAR[:10] if mistake == "unknown-region"
                                                 else JABAR), min_size=1, max_size=3,
                                 unique=True), label="regions")
    months = data.draw(st.lists(st.sampled_from(list(month_pool)), min_size=2, max_size=3,
                                unique=True), label="months")
    frame = make_export(kind, year=2024, months=months, regions=regions, seed=seed)
    ok_rows = frame.index[eligible(frame).to_numpy()].tolist()
    assume(ok_rows)
    rows = data.draw(st.lists(st.sampled_from(ok_rows), min_size=1, max_size=3, unique=True),
                     label="rows")
    frame, planted = planter(frame.copy(), sorted(rows), data)
    assert planted

    name, suffix = layout
    path = tmp_path / f"export{suffix}"
    rowmap = write_export(frame, path, layout=name, seed=layout_seed)
    report = dm.validate_export(dm.read_export(path))

    where = rowmap.set_index("index")
    expected = {(str(where.at[lab, "sumber_sheet"]), int(where.at[lab, "sumber_baris"]))
                for lab in planted}
    p = report.problems
    assert {Path(f).name for f in p["file"]} <= {path.name}
    got = {(str(s), int(r)) for s, r in zip(p.loc[p["code"] == mistake, "sheet"],
                                           p.loc[p["code"] == mistake, "row"], strict=True)}
    assert got == expected
    # nothing else is reported anywhere, and each planted row is blamed once per code
    assert set(p["code"]) == {mistake}, p[["sheet", "row", "column", "code"]]
    assert len(p) == len(expected)
    assert (p["column"] == (CHECKS[mistake].column or "")).all()

    quarantined = {(str(s), int(r)) for s, r in zip(report.quarantine["sumber_sheet"],
                                                   report.quarantine["sumber_baris"],
                                                   strict=True)}
    if CHECKS[mistake].severity == ERROR:
        assert quarantined == expected
        assert not report.ok
    else:
        assert quarantined == set()
        assert report.ok
        strict = dm.validate_export(report.export, strict=True)
        assert {(str(s), int(r)) for s, r in zip(strict.quarantine["sumber_sheet"],
                                                strict.quarantine["sumber_baris"],
                                                strict=True)} == expected
    assert len(report.valid) + len(report.quarantine) == len(frame)


# ================================================================================ accounting
@pytest.mark.parametrize("folder", SAMPLE_DIRS)
def test_sample_accounting(folder: str) -> None:
    """read = valid + quarantined + skipped per file and in totals()."""
    report = sample_report(folder)
    f = report.files
    assert len(f) >= 1
    assert (f["rows_read"] == f["rows_valid"] + f["rows_quarantined"] + f["rows_skipped"]).all()
    t = report.totals()
    assert t == {k: int(f[k].sum()) for k in ("rows_read", "rows_valid", "rows_quarantined",
                                              "rows_skipped")}
    assert t["rows_read"] == t["rows_valid"] + t["rows_quarantined"] + t["rows_skipped"]
    assert t["rows_read"] == report.export.rows_read
    assert t["rows_skipped"] == len(report.export.skipped)
    # the files table covers every file of the folder that is an export or was looked at
    on_disk = {p.name for p in (SAMPLES / folder).iterdir() if p.suffix in (".csv", ".xlsx")}
    assert {Path(x).name for x in f["file"]} == on_disk


@pytest.mark.parametrize("folder", SAMPLE_DIRS)
def test_sample_quarantine_is_explained(folder: str) -> None:
    """Every quarantined row has an error on the same file/sheet/row; valid and quarantine
    split the data rows exactly."""
    report = sample_report(folder)
    errors = report.problems[(report.problems["severity"] == ERROR)
                             & report.problems["row"].notna()]  # file-level problems: no row
    err_keys = set(zip(errors["file"], errors["sheet"], errors["row"].astype(int), strict=True))
    q = report.quarantine
    q_keys = list(zip(q["sumber_file"], q["sumber_sheet"], q["sumber_baris"].astype(int),
                      strict=True))
    assert set(q_keys) <= err_keys
    for rec in q.itertuples(index=False):
        codes = set(rec.kode.split("; "))
        mine = errors[(errors["file"] == rec.sumber_file) & (errors["sheet"] == rec.sumber_sheet)
                      & (errors["row"] == rec.sumber_baris)]
        assert set(mine["code"]) <= codes
    data = report.export.data
    d_keys = list(zip(data["sumber_file"], data["sumber_sheet"], data["sumber_baris"].astype(int),
                      strict=True))
    v = report.valid
    v_keys = list(zip(v["sumber_file"], v["sumber_sheet"], v["sumber_baris"].astype(int),
                      strict=True))
    assert len(set(d_keys)) == len(d_keys)
    assert not set(v_keys) & set(q_keys)
    assert len(v_keys) + len(q_keys) == len(d_keys)
    assert set(v_keys) | set(q_keys) == set(d_keys)
    # every data row with an error on it is quarantined (none slips into valid)
    assert not set(v_keys) & err_keys
    assert int(report.files["rows_quarantined"].sum()) == len(q)
    assert int(report.files["rows_valid"].sum()) == len(v)


# ========================================================================= planted samples
def test_faulty_samples_report_exactly_the_planted_mistakes() -> None:
    """data_samples/faulty gives exactly the (file, sheet, row, code) set of planted.csv."""
    planted = pd.read_csv(SAMPLES / "faulty" / "planted.csv", dtype=str, keep_default_na=False)
    expected = {(Path(f).name, s, int(r), c) for f, s, r, c in
                zip(planted["file"], planted["sheet"], planted["row"], planted["code"],
                    strict=True)}
    p = sample_report("faulty").problems
    # planted.csv itself sits in the folder and is not an export: named once, as not read
    unread = p[p["code"] == "file-not-read"]
    assert [Path(f).name for f in unread["file"]] == ["planted.csv"]
    assert unread["message"].str.contains("not a DAK export", regex=False).all()
    p = p[p["code"] != "file-not-read"]
    got = {(Path(f).name, s, int(r), c) for f, s, r, c in
           zip(p["file"], p["sheet"], p["row"], p["code"], strict=True)}
    assert got - expected == set(), "reported but not planted"
    assert expected - got == set(), "planted but not reported"
    assert len(p) == len(planted), "one problem per planted line"


def test_faulty_planted_columns_and_severities() -> None:
    """Planted problems are reported on the planted column (region mismatches on the code)."""
    planted = pd.read_csv(SAMPLES / "faulty" / "planted.csv", dtype=str, keep_default_na=False)
    p = sample_report("faulty").problems
    for rec in planted.itertuples(index=False):
        hit = p[(p["file"].map(lambda x: Path(x).name) == Path(rec.file).name)
                & (p["sheet"] == rec.sheet) & (p["row"] == int(rec.row))
                & (p["code"] == rec.code)]
        assert len(hit) == 1, rec
        assert hit["severity"].iloc[0] == CHECKS[rec.code].severity
        # planted.csv says where a person would look; region-name-mismatch blames the code
        wanted = {rec.column, CHECKS[rec.code].column or ""}
        assert hit["column"].iloc[0] in wanted, rec


def test_faulty_sample_quarantine_rows() -> None:
    """The faulty folder quarantines exactly the rows with a planted error (not warnings)."""
    planted = pd.read_csv(SAMPLES / "faulty" / "planted.csv", dtype=str, keep_default_na=False)
    errs = planted[planted["code"].map(lambda c: CHECKS[c].severity) == ERROR]
    expected = {(Path(f).name, s, int(r)) for f, s, r in
                zip(errs["file"], errs["sheet"], errs["row"], strict=True)}
    q = sample_report("faulty").quarantine
    got = {(Path(f).name, s, int(r)) for f, s, r in
           zip(q["sumber_file"], q["sumber_sheet"], q["sumber_baris"], strict=True)}
    assert got == expected


@pytest.mark.parametrize("folder", ["current", "history"])
def test_clean_samples_have_no_problem(folder: str) -> None:
    """current/ and history/ have no data mistakes: no error and no warning either."""
    report = sample_report(folder)
    assert report.n_errors == 0
    # no warning is expected either: the samples carry no pagu changes, totals that add up
    assert report.problems.empty, report.problems[["file", "sheet", "row", "code"]]
    assert report.ok
    assert report.quarantine.empty
    assert len(report.valid) == len(report.export.data)


# ================================================================================ strictness
def _warn_only_csv(tmp_path: Path) -> Path:
    """A file whose only problem is a pagu change (a warning) on line 3."""
    path = tmp_path / "warn.csv"
    path.write_text("Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi\n"
                    "2024;Mei 2024;32.05;Kab. Garut;Operasional BKB;1.000;100\n"
                    "2024;Juni 2024;32.05;Kab. Garut;Operasional BKB;1.100;200\n"
                    "2024;Juni 2024;32.05;Kab. Garut;Dukungan KB;1.000;300\n", encoding="utf-8")
    return path


def test_strict_quarantines_warning_rows(tmp_path: Path) -> None:
    """strict=True quarantines rows with only a warning and makes ok False."""
    export = dm.read_export(_warn_only_csv(tmp_path))
    lax = dm.validate_export(export)
    assert (lax.n_errors, lax.n_warnings) == (0, 1)
    assert lax.ok and lax.quarantine.empty and len(lax.valid) == 3
    lax.raise_if_invalid()  # does not raise

    strict = dm.validate_export(export, strict=True)
    assert strict.strict and not strict.ok
    assert strict.quarantine["sumber_baris"].tolist() == [3]
    assert strict.quarantine["kode"].tolist() == ["pagu-changed"]
    assert sorted(strict.valid["sumber_baris"]) == [2, 4]
    assert strict.totals() == {"rows_read": 4, "rows_valid": 2, "rows_quarantined": 1,
                               "rows_skipped": 1}
    with pytest.raises(dm.SchemaValidationError, match="pagu-changed"):
        strict.raise_if_invalid()


def test_raise_if_invalid_only_when_not_ok(tmp_path: Path) -> None:
    """raise_if_invalid raises SchemaValidationError for errors, never for a clean report."""
    clean = tmp_path / "clean.csv"
    clean.write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\n"
                     "2024;Juni 2024;32.05;BKB;1.000;500\n", encoding="utf-8")
    report = dm.validate_export(dm.read_export(clean), strict=True)
    assert report.ok
    report.raise_if_invalid()
    bad = tmp_path / "bad.csv"
    bad.write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\n"
                   "2024;Juni 2024;32.05;BKB;1.000;1.500\n", encoding="utf-8")
    report = dm.validate_export(dm.read_export(bad))
    assert not report.ok
    with pytest.raises(dm.SchemaValidationError) as info:
        report.raise_if_invalid()
    assert isinstance(info.value, dm.DakMonitorError)
    assert "realisasi-above-pagu" in str(info.value)


def test_faulty_raise_if_invalid() -> None:
    """The faulty samples are not ok and raise; the clean ones do not."""
    with pytest.raises(dm.SchemaValidationError):
        sample_report("faulty").raise_if_invalid()
    sample_report("history").raise_if_invalid()


# ===================================================================================== scale
def test_frame_wide_check_gives_one_problem_per_row(tmp_path: Path) -> None:
    """20,000 rows all above pagu give 20,000 problems, not rows × columns."""
    n = 20_000
    lines = ["Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi;% Realisasi"]
    lines += [f"2024;Juni 2024;32.05;Kab. Garut;Menu {i};1.000;1.500;150" for i in range(n)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = dm.validate_export(dm.read_export(path))
    assert len(report.problems) == n
    assert set(report.problems["code"]) == {"realisasi-above-pagu"}
    assert report.problems["row"].tolist() == list(range(2, n + 2))
    assert report.totals() == {"rows_read": n + 1, "rows_valid": 0, "rows_quarantined": n,
                               "rows_skipped": 1}
    assert len(report.quarantine) == n
    text = report.summary(max_rows=5)
    assert len(text.splitlines()) < 20
    assert f"{n - 5:,}".replace(",", ".") in text  # Indonesian thousands


# =================================================================================== summary
@pytest.mark.parametrize("lang", ["id", "en"])
def test_summary_mentions_files_codes_and_counts(lang: str) -> None:
    """summary() names each file, each code found and the counts, in both languages."""
    report = sample_report("faulty")
    text = report.summary(lang=lang)
    for f in set(report.files["file"]):
        assert f in text
    for code in set(report.problems["code"]):
        assert code in text
    t = report.totals()
    for k in ("rows_read", "rows_valid", "rows_quarantined", "rows_skipped"):
        assert f"{t[k]:,}" in text
    assert f"{report.n_errors:,}" in text and f"{report.n_warnings:,}" in text
    if lang == "id":
        assert "baris dibaca" in text and "dikarantina" in text
        assert "Realisasi melebihi pagu" in text  # a title in Indonesian
        assert report.problems["pesan"].iloc[0] in text
    else:
        assert "rows read" in text and "quarantined" in text
        assert "Realisasi above pagu" in text
        assert report.problems["message"].iloc[0] in text
    # per code and file: the count of its problems
    per = report.problems.groupby(["file", "sheet", "code"]).size()
    for (f, s, code), n in per.items():
        where = f + (f" [{s}]" if s else "")
        assert re.search(re.escape(f"{where} — {code} (") + r"\w+, " + str(n) + "×", text), code


@pytest.mark.parametrize("lang", ["id", "en"])
def test_summary_caps_long_lists(lang: str, tmp_path: Path) -> None:
    """At most max_rows problems are listed per file and code, then how many more."""
    lines = ["Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi"]
    lines += [f"2024;Juni 2024;32.05;Kab. Garut;Menu {i};1.000;2.000" for i in range(30)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = dm.validate_export(dm.read_export(path))
    text = report.summary(lang=lang, max_rows=7)
    word = "row " if lang == "en" else "baris "
    listed = [ln for ln in text.splitlines() if ln.strip().startswith(word)]
    assert len(listed) == 7
    assert "23 more" in text or "23 lagi" in text
    assert "30×" in text
    full = report.summary(lang=lang, max_rows=30)
    assert len([ln for ln in full.splitlines() if ln.strip().startswith(word)]) == 30
    assert "more" not in full.split("\n", 2)[-1]


def test_summary_without_problems(tmp_path: Path) -> None:
    """A clean export says there is nothing to fix."""
    path = tmp_path / "ok.csv"
    path.write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\n"
                    "2024;Juni 2024;32.05;BKB;1.000;500\n", encoding="utf-8")
    report = dm.validate_export(dm.read_export(path))
    text = report.summary(lang="en")
    assert "No problems" in text and str(path) in text
    assert "ok=True" in repr(report)
