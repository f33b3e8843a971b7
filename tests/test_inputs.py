"""``dak_monitor._inputs``: what the public functions accept, turned into frames."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor._inputs import as_current, as_history, is_paths

ROOT = Path(__file__).resolve().parents[1]
HISTORY_2021 = ROOT / "data_samples" / "history" / "fisik_jabar_2021.csv"

#: Two rows of 2023: Garut is fine, Banjar's realisasi exceeds its pagu (quarantined).
TINY = ("Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi\n"
        "2023;Desember 2023;32.05;Kab. Garut;BKB;1.000;400\n"
        "2023;Desember 2023;32.79;Kota Banjar;BKB;1.000;1.500\n")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "riwayat"
    folder.mkdir()
    path = folder / "nonfisik_2023.csv"
    path.write_text(TINY, encoding="utf-8")
    return path


# -------------------------------------------------------------------------------- is_paths


@pytest.mark.parametrize("data", [
    "data_samples/history", "a.csv", b"a.csv", Path("a.csv"), ["a.csv", "b.xlsx"],
    ("a.csv",), [Path("a.csv"), "b.csv"],
])
def test_is_paths_true(data: object) -> None:
    assert is_paths(data) is True


@pytest.mark.parametrize("data", [
    [], (), None, 3, pd.DataFrame({"a": [1]}), [pd.DataFrame({"a": [1]})],
    ["a.csv", pd.DataFrame()], ["a.csv", 3], {"a.csv"}, {"a.csv": 1},
])
def test_is_paths_false(data: object) -> None:
    assert is_paths(data) is False


@given(st.lists(st.one_of(st.text(), st.text().map(Path)), min_size=1, max_size=5),
       st.booleans())
def test_any_non_empty_list_or_tuple_of_paths_is_paths(paths: list[object],
                                                        as_tuple: bool) -> None:
    assert is_paths(tuple(paths) if as_tuple else paths) is True


@given(st.lists(st.text(), max_size=4), st.integers(min_value=0, max_value=4))
def test_one_non_path_spoils_the_list(paths: list[object], at: int) -> None:
    mixed = [*paths[:at], 1.5, *paths[at:]]
    assert is_paths(mixed) is False


# ------------------------------------------------------------------------------ as_history


def test_no_history_stays_none() -> None:
    assert as_history(None) is None


def test_a_frame_is_returned_as_is() -> None:
    frame = pd.DataFrame({"kode_wilayah": ["32.05"], "pagu": [1.0]})
    assert as_history(frame) is frame


def test_a_report_gives_its_valid_rows(tiny: Path) -> None:
    report = dm.validate_export(dm.read_export(tiny))
    assert as_history(report) is report.valid


def test_a_file_gives_its_valid_rows(tiny: Path) -> None:
    for given_as in (tiny, str(tiny)):
        got = as_history(given_as)
        assert got is not None
        assert got["kode_wilayah"].tolist() == ["32.05"]  # Banjar (realisasi > pagu) dropped
        assert got["realisasi"].tolist() == [400.0]
        assert got["jenis_dak"].tolist() == ["nonfisik"]
        pd.testing.assert_frame_equal(got, dm.validate_export(dm.read_export(tiny)).valid)


def test_a_folder_gives_the_valid_rows_of_its_exports(tmp_path: Path, tiny: Path) -> None:
    shutil.copy(HISTORY_2021, tiny.parent / HISTORY_2021.name)
    folder = tiny.parent
    got = as_history(folder)
    expected = dm.validate_export(dm.read_export(folder)).valid
    assert got is not None
    pd.testing.assert_frame_equal(got, expected)
    files = {Path(f).name for f in got["sumber_file"]}
    assert files == {"nonfisik_2023.csv", "fisik_jabar_2021.csv"}
    assert not (got["kode_wilayah"] == "32.79").loc[got["jenis_dak"] == "nonfisik"].any()
    assert sorted(set(got["tahun"].astype(int))) == [2021, 2023]


def test_a_list_of_files_gives_their_valid_rows(tiny: Path) -> None:
    paths = [HISTORY_2021, str(tiny)]
    got = as_history(paths)
    expected = dm.validate_export(dm.read_export(paths)).valid
    assert got is not None
    pd.testing.assert_frame_equal(got, expected)
    one = dm.validate_export(dm.read_export(HISTORY_2021)).valid
    assert len(got) == len(one) + 1  # the sample's valid rows and Garut's
    assert len(one) > 0


def test_a_path_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(dm.DakMonitorError):
        as_history(tmp_path / "tidak_ada.csv")


def test_history_of_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="int"):
        as_history(42)


# ------------------------------------------------------------------------------ as_current


def test_current_report_gives_valid_and_quarantine(tiny: Path) -> None:
    report = dm.validate_export(dm.read_export(tiny))
    frame, quarantine = as_current(report)
    assert frame is report.valid
    assert quarantine is report.quarantine
    assert frame["kode_wilayah"].tolist() == ["32.05"]
    assert quarantine["kode_wilayah"].tolist() == ["32.79"]


def test_current_frame_has_no_quarantine() -> None:
    frame = pd.DataFrame({"kode_wilayah": ["32.05"], "pagu": [1.0]})
    got, quarantine = as_current(frame)
    assert got is frame
    assert quarantine is None


def test_current_export_gives_its_rows_without_quarantine(tiny: Path) -> None:
    export = dm.read_export(tiny)
    frame, quarantine = as_current(export)
    assert frame is export.data
    assert quarantine is None
    assert frame["kode_wilayah"].tolist() == ["32.05", "32.79"]


def test_current_of_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        as_current("not a frame")
