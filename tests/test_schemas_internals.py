"""The vectorised helpers behind the row checks agree with straightforward pandas versions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dak_monitor.schemas import _previous_period, item_keys


def _reference_previous(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """The plain pandas formulation: first row per (item, period), shifted within the item."""
    key = item_keys(frame)
    base = pd.DataFrame({"k": key, "p": frame["periode"], "v": frame[column], "i": frame.index},
                        index=frame.index)
    first = base.dropna(subset=["p"]).drop_duplicates(["k", "p"]).sort_values(["k", "p"])
    first["prev_v"] = first.groupby("k")["v"].shift()
    first["prev_i"] = first.groupby("k")["i"].shift()
    merged = base[["k", "p"]].merge(first[["k", "p", "prev_v", "prev_i"]], on=["k", "p"],
                                    how="left")
    merged.index = frame.index
    return merged["prev_v"].astype(float), merged["prev_i"].astype(float)


_ROWS = st.lists(st.tuples(st.sampled_from(["32.05", "32.79", None]),
                           st.sampled_from(["Menu A", "menu  a", "Menu B"]),
                           st.one_of(st.none(), st.integers(1, 6)),
                           st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False))),
                 min_size=1, max_size=40)


@given(_ROWS, st.booleans())
def test_previous_period_matches_reference(rows: list[tuple[object, ...]], shuffle: bool) -> None:
    frame = pd.DataFrame(rows, columns=["kode_wilayah", "menu", "bulan", "realisasi"])
    frame.insert(0, "tahun", 2024)
    frame["jenis_dak"] = "nonfisik"
    frame["rincian"] = None
    frame["periode"] = pd.to_datetime(
        {"year": 2024, "month": frame["bulan"].fillna(1), "day": 1}) + pd.offsets.MonthEnd(0)
    frame.loc[frame["bulan"].isna(), "periode"] = pd.NaT
    frame.index = np.arange(len(frame)) * 3 + 7  # labels are not positions
    if shuffle:
        frame = frame.iloc[::-1]
    got_v, got_i = _previous_period(frame, "realisasi")
    want_v, want_i = _reference_previous(frame, "realisasi")
    pd.testing.assert_series_equal(got_v, want_v, check_names=False)
    pd.testing.assert_series_equal(got_i, want_i, check_names=False)


@given(_ROWS)
def test_item_keys_are_a_sorted_grouping(rows: list[tuple[object, ...]]) -> None:
    """Same ids as a sorted groupby over the key parts as folded text."""
    frame = pd.DataFrame(rows, columns=["kode_wilayah", "menu", "bulan", "realisasi"])
    frame["tahun"] = pd.array([2024, None] * (len(frame) // 2) + [2024] * (len(frame) % 2),
                              dtype="Int64")
    frame["jenis_dak"] = "nonfisik"
    frame["rincian"] = None
    text = pd.DataFrame({
        "t": frame["tahun"].astype(object).where(frame["tahun"].notna(), "").astype(str),
        "k": frame["kode_wilayah"].fillna("").astype(str),
        "j": frame["jenis_dak"].astype(str),
        "m": frame["menu"].map(lambda v: " ".join(str(v).casefold().split())),
        "r": "",
    })
    want = text.groupby(list(text.columns), sort=True).ngroup()
    assert item_keys(frame).tolist() == want.tolist()
