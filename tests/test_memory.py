"""Exports from memory (``_reader/memory.py``): a DataFrame, a BytesIO or StringIO, an Arrow table
are validated exactly like the file they came from, with provenance, and anything else is refused
naming what is accepted.

The Arrow tests (``-m arrow``) need pyarrow / polars, which the project does not depend on:
they are skipped in the main environment and run in CI's second one (``.ci/run``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor.datasets import make_export, write_export

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data_samples").rglob("*")
                 if p.suffix in (".csv", ".xlsx") and p.name not in ("planted.csv",
                                                                     "archetypes.csv"))
CSV_SAMPLES = [s for s in SAMPLES if s.endswith(".csv")]

HEADER = ["Tahun", "Periode", "Kode Wilayah", "Kabupaten/Kota", "Menu", "Pagu (Rp)",
          "Realisasi (Rp)"]
ROWS = [["2024", "Juni 2024", "32.05", "Kab. Garut", "BKB", "1.000.000", "400.000"],
        ["2024", "Juni 2024", "32.79", "Kota Banjar", "BKB", "1.000.000", "1.200.000"],
        ["2024", "Juni 2024", "32.04", "Kab. Bandung", "BKB", "1.000.000", "4o0"]]


def same_validation(a: dm.ValidationReport, b: dm.ValidationReport) -> None:
    """The same valid rows, quarantined rows, problems (with their rows) and row account."""
    pd.testing.assert_frame_equal(a.valid, b.valid)
    pd.testing.assert_frame_equal(a.quarantine, b.quarantine)
    pd.testing.assert_frame_equal(a.problems, b.problems)
    pd.testing.assert_frame_equal(a.export.skipped, b.export.skipped)
    pd.testing.assert_frame_equal(a.export.unparsed, b.export.unparsed)
    assert a.export.rows_read == b.export.rows_read
    assert len(a.valid) + len(a.quarantine) + len(a.export.skipped) == a.export.rows_read


def grid_of(text: str, sep: str) -> pd.DataFrame:
    """The cells of a CSV as pandas users hold them: every cell as text, no header."""
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows])


def lines_of(text: str, sep: str) -> dict[int, int]:
    """Row number in a frame of the CSV's records -> the line its record starts on (they
    differ below a quoted line break: a frame's row number is its position)."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    starts, prev = {}, 0
    for i, _rec in enumerate(reader, start=1):
        starts[i] = prev + 1
        prev = reader.line_num
    return starts


def at_lines(report: dm.ValidationReport, lines: dict[int, int]) -> dm.ValidationReport:
    """A frame's validation with its row numbers as the file's lines (messages left out:
    they quote row numbers too)."""
    def fix(df: pd.DataFrame, col: str) -> pd.DataFrame:
        out = df.copy()
        out[col] = out[col].map(lambda r: lines.get(r, r) if pd.notna(r) else r).astype(
            df[col].dtype)
        return out.drop(columns=[c for c in ("pesan", "message") if c in out])
    ex = report.export
    export = type(ex)(data=ex.data, skipped=fix(ex.skipped, "sumber_baris"),
                      unparsed=fix(ex.unparsed, "sumber_baris"), totals=ex.totals,
                      files=ex.files, kind=ex.kind)
    return type(report)(valid=fix(report.valid, "sumber_baris"),
                        quarantine=fix(report.quarantine, "sumber_baris"),
                        problems=fix(report.problems, "row"), files=report.files,
                        export=export, rules=report.rules, strict=report.strict)


def file_and_memory(path: Path | str) -> tuple[dm.ValidationReport, bytes, str, str]:
    """The file's own validation, its bytes, its text as decoded by the read, its separator."""
    report = dm.validate_export(dm.read_export(path))
    raw = Path(path).read_bytes()
    enc = report.export.files["encoding"].iloc[0]
    text = raw.decode("utf-8-sig" if enc == "utf-8" else enc)
    return report, raw, text, report.export.files["separator"].iloc[0]


# ================================================================== the shipped samples
@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_from_bytes_is_read_as_the_file(sample: str) -> None:
    """A BytesIO of a sample (CSV or XLSX) gives the file's validation, row for row."""
    from_file = dm.validate_export(sample)
    from_bytes = dm.validate_export(io.BytesIO((ROOT / sample).read_bytes()), name=sample)
    same_validation(from_file, from_bytes)
    assert list(from_bytes.export.files["sumber_sheet"]) == \
        list(from_file.export.files["sumber_sheet"])


@pytest.mark.parametrize("sample", CSV_SAMPLES)
def test_sample_from_text_and_frame_is_read_as_the_file(sample: str) -> None:
    """A StringIO of a CSV sample, and its cells as a DataFrame (``header=None``: the frame
    is the sheet), give the file's validation."""
    report, _raw, text, sep = file_and_memory(sample)
    same_validation(report, dm.validate_export(io.StringIO(text), name=sample))
    from_frame = dm.validate_export(grid_of(text, sep), name=sample)
    lines = lines_of(text, sep)
    if all(k == v for k, v in lines.items()):
        same_validation(report, from_frame)
    else:  # a quoted line break: the frame numbers its rows by position
        same_validation(at_lines(report, {}), at_lines(from_frame, lines))


def test_export_data_reads_back_as_itself() -> None:
    """``Export.data`` (canonical names, typed columns, both kinds) given back as a frame is
    read as the same rows: every value, one sheet per kind, every row accounted for."""
    ex = dm.read_export(ROOT / "data_samples" / "current")
    back = dm.validate_export(ex.data)
    assert back.ok and back.problems.empty
    cols = [c for c in ex.data.columns if c not in ("sumber_file", "sumber_sheet",
                                                    "sumber_baris")]
    key = ["jenis_dak", "kode_wilayah", "periode", "menu", "rincian", "opd"]
    a = ex.data[cols].sort_values(key, kind="stable").reset_index(drop=True)
    b = back.valid[cols].sort_values(key, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert set(back.valid["sumber_sheet"]) == {"fisik", "nonfisik"}
    # each row keeps its position in the frame: the header is row 1
    pos = back.valid.set_index("sumber_baris")["jenis_dak"].sort_index()
    assert pos.index.tolist() == list(range(2, len(ex.data) + 2))
    assert pos.tolist() == ex.data["jenis_dak"].tolist()
    assert back.export.rows_read == len(ex.data) + 2  # one header row per kind's sheet


# ================================================================= generated exports
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["nonfisik", "fisik"]), seed=st.integers(0, 10_000))
def test_generated_export_from_memory_is_read_as_the_file(tmp_path: Path, kind: str,
                                                          seed: int) -> None:
    """A messy generated CSV (title blocks, multi-row headers, subtotals, units, encodings)
    gives the same validation from bytes, from text and as a frame of its cells."""
    frame = make_export(kind, year=2024, months=[6], regions=["32.04", "32.05"], seed=seed)
    path = tmp_path / f"x{seed}_{kind}.csv"
    write_export(frame, path, layout="messy", seed=seed)
    report, raw, text, sep = file_and_memory(path)
    name = report.export.files["sumber_file"].iloc[0]
    same_validation(report, dm.validate_export(io.BytesIO(raw), name=name))
    same_validation(report, dm.validate_export(io.StringIO(text), name=name))
    from_frame = dm.validate_export(grid_of(text, sep), name=name)
    same_validation(at_lines(report, {}), at_lines(from_frame, lines_of(text, sep)))


# ========================================================================= provenance
def test_frame_with_header_rows_numbered_as_its_csv(tmp_path: Path) -> None:
    """A frame's column names are row 1; its rows are rows 2, 3, … as in ``to_csv``."""
    df = pd.DataFrame(ROWS, columns=HEADER)
    report = dm.validate_export(df)
    assert set(report.export.data["sumber_file"]) == {"<DataFrame>"}
    assert report.export.data["sumber_baris"].tolist() == [2, 3, 4]
    assert report.problems[["file", "row", "code"]].values.tolist() == [
        ["<DataFrame>", 3, "realisasi-above-pagu"], ["<DataFrame>", 4, "unparseable-number"]]
    df.to_csv(tmp_path / "x.csv", index=False, sep=";")
    from_file = dm.validate_export(tmp_path / "x.csv")
    assert from_file.problems[["row", "code"]].values.tolist() == \
        report.problems[["row", "code"]].values.tolist()
    named = dm.validate_export(df, name="kiriman/juni.csv")
    assert set(named.problems["file"]) == {"kiriman/juni.csv"}


def test_file_like_names() -> None:
    text = "\n".join(";".join(r) for r in [HEADER, *ROWS])
    assert dm.read_export(io.StringIO(text)).data["sumber_file"].iloc[0] == "<StringIO>"
    assert dm.read_export(io.BytesIO(text.encode())).data["sumber_file"].iloc[0] == "<BytesIO>"
    with open(ROOT / CSV_SAMPLES[0], "rb") as fh:  # an open file names itself
        assert dm.read_export(fh).data["sumber_file"].iloc[0].endswith(CSV_SAMPLES[0])


def test_typed_frame_pandas_headers_index_and_two_header_rows() -> None:
    """Numbers and dates as pandas holds them, pandas' ``Unnamed: n`` for an empty header
    cell, a named index, and a two-level header are read as the file's cells would be."""
    df = pd.DataFrame({"Tahun": [2024], "Periode": [pd.Timestamp("2024-06-30")],
                       "Kode Wilayah": ["32.05"], "Unnamed: 3": [np.nan], "Menu": ["BKB"],
                       "Pagu": [1_000_000.0], "Realisasi": [pd.NA]}).astype(
        {"Realisasi": "Int64"})
    ex = dm.read_export(df)
    row = ex.data.iloc[0]
    assert (row["tahun"], row["periode"], row["pagu"]) == (2024, pd.Timestamp("2024-06-30"),
                                                             1_000_000.0)
    assert pd.isna(row["realisasi"])
    indexed = dm.read_export(df.set_index("Kode Wilayah"))
    assert indexed.data["kode_wilayah"].tolist() == ["32.05"]
    assert any("index" in n for n in indexed.files["catatan"])
    two = pd.DataFrame([["2024", "Juni 2024", "32.05", "BKB", "1.000", "400", "40"]],
                       columns=pd.MultiIndex.from_tuples(
                           [("Tahun", ""), ("Periode", ""), ("Kode Wilayah", ""), ("Menu", ""),
                            ("Pagu", ""), ("Realisasi", "Rp"), ("Realisasi", "%")]))
    ex2 = dm.read_export(two)
    assert ex2.files["baris_header"].iloc[0] == "1, 2"
    assert ex2.data[["realisasi", "persen_realisasi", "sumber_baris"]].values.tolist() == [
        [400.0, 40.0, 3]]


def test_monitor_takes_a_frame() -> None:
    path = ROOT / "data_samples" / "current" / "fisik_jabar_2024_06.csv"
    _report, _raw, text, sep = file_and_memory(path)
    from_file = dm.monitor(path)
    from_frame = dm.monitor(grid_of(text, sep), name=path.as_posix())
    assert from_frame.inputs == (path.as_posix(),)
    pd.testing.assert_frame_equal(from_file.projection.table, from_frame.projection.table)
    pd.testing.assert_frame_equal(from_file.flags, from_frame.flags)


# ======================================================================= refusals
@pytest.mark.parametrize("obj", [42, pd.Series(["a.csv"]), [pd.DataFrame()], b"Tahun;Pagu",
                                 {"a.csv": 1}, object(), ["a.csv", 3]],
                         ids=["int", "series", "list-of-frames", "bytes", "dict", "object",
                              "list-with-int"])
def test_unsupported_objects_are_refused_naming_what_is_accepted(obj: object) -> None:
    for call in (dm.read_export, dm.validate_export, dm.monitor):
        with pytest.raises(dm.UnsupportedInputError) as err:
            call(obj)
        msg = str(err.value)
        assert isinstance(err.value, dm.DakMonitorError)
        for accepted in ("path", "DataFrame", "file-like", "__arrow_c_stream__"):
            assert accepted in msg


def test_name_only_for_memory(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("\n".join(";".join(r) for r in [HEADER, *ROWS]))
    with pytest.raises(dm.ConfigError, match="name="):
        dm.read_export(path, name="y.csv")
    with pytest.raises(dm.ConfigError, match="name="):
        dm.monitor(path, name="y.csv")
    with pytest.raises(dm.ConfigError, match="name="):
        dm.validate_export(dm.read_export(path), name="y.csv")
    with pytest.raises(dm.ConfigError, match="name must be"):
        dm.read_export(io.StringIO("x"), name="  ")


def test_limits_hold_for_memory() -> None:
    text = "\n".join(";".join(r) for r in [HEADER, *ROWS])
    with pytest.raises(dm.LimitExceededError, match="<BytesIO>"):
        dm.read_export(io.BytesIO(text.encode()), max_bytes=50)
    with pytest.raises(dm.LimitExceededError, match="rows"):
        dm.read_export(pd.DataFrame(ROWS, columns=HEADER), max_rows=3)


def test_unreadable_stream_is_an_unreadable_file() -> None:
    closed = io.BytesIO(b"x")
    closed.close()
    with pytest.raises(dm.UnreadableFileError, match="<BytesIO>: cannot be read"):
        dm.read_export(closed)


def test_workbook_bytes_without_a_table_is_refused() -> None:
    with pytest.raises(dm.UnreadableFileError, match="<BytesIO>"):
        dm.read_export(io.BytesIO(b"PK\x03\x04broken zip"))


# ========================================================== Arrow (CI's second venv)
@pytest.mark.arrow
def test_pyarrow_table_like_its_frame() -> None:
    pa = pytest.importorskip("pyarrow")
    df = pd.DataFrame(ROWS, columns=HEADER)
    same_validation(dm.validate_export(df, name="t"),
                    dm.validate_export(pa.Table.from_pandas(df, preserve_index=False),
                                       name="t"))
    typed = pa.table({"tahun": [2024], "periode": ["2024-06"], "kode_wilayah": ["32.05"],
                      "menu": ["BKB"], "pagu": pa.array([1_000_000], pa.int64()),
                      "realisasi": pa.array([None], pa.int64())})
    ex = dm.read_export(typed)
    assert ex.data[["pagu", "sumber_file", "sumber_baris"]].values.tolist() == [
        [1_000_000.0, "<Table>", 2]]
    assert pd.isna(ex.data["realisasi"].iloc[0])


@pytest.mark.arrow
def test_polars_frame_like_its_frame() -> None:
    pl = pytest.importorskip("polars")
    df = pd.DataFrame(ROWS, columns=HEADER)
    frame = pl.DataFrame({h: [r[j] for r in ROWS] for j, h in enumerate(HEADER)})
    same_validation(dm.validate_export(df, name="p"), dm.validate_export(frame, name="p"))
    assert dm.read_export(frame).data["sumber_file"].iloc[0] == "<DataFrame>"
    typed = pl.DataFrame({"tahun": [2024, 2024], "periode": ["Juni 2024", "Juni 2024"],
                          "kode_wilayah": ["32.05", "32.79"], "menu": ["BKB", "BKB"],
                          "pagu": [1000.0, 1000.0], "realisasi": [400.0, None]})
    report = dm.validate_export(typed)
    assert report.problems[["row", "column", "code"]].values.tolist() == [
        [3, "realisasi", "missing-value"]]


# ============================================================================== fuzzing
_CELLS = st.one_of(st.none(), st.text(max_size=12), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                   st.dates(), st.datetimes(), st.sampled_from(["Juni 2024", "32.05", "1.000"]))


@settings(max_examples=40, deadline=None)
@given(headers=st.lists(st.sampled_from(["tahun", "periode", "kode_wilayah", "nama_wilayah",
                                         "menu", "rincian", "pagu", "realisasi", "Pagu (Rp)",
                                         "%", "", "catatan lain", "nomor_kontrak"]),
                        min_size=1, max_size=8),
       data=st.data())
def test_any_frame_is_read_or_refused_with_every_row_accounted(headers: list[str],
                                                                data: st.DataObject) -> None:
    """Whatever a frame holds, reading it gives a result with every row accounted for, or
    one of the library's own errors; the frame itself is left as it was."""
    rows = data.draw(st.lists(st.lists(_CELLS, min_size=len(headers), max_size=len(headers)),
                              max_size=6))
    df = pd.DataFrame(rows, columns=headers, dtype=object)
    before = df.copy()
    try:
        report = dm.validate_export(df)
    except dm.DakMonitorError:
        return
    finally:
        pd.testing.assert_frame_equal(df, before)
    t = report.totals()
    assert t["rows_valid"] + t["rows_quarantined"] + t["rows_skipped"] == t["rows_read"]
    assert t["rows_read"] <= len(df) + 1
