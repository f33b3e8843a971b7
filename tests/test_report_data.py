"""``dak_monitor._report_data``: the meeting ranking, the basis table, the output rule."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dak_monitor as dm
from dak_monitor._report_data import basis, files_read, ranking, refuse_inputs

ROOT = Path(__file__).resolve().parents[1]
CURRENT = ROOT / "data_samples" / "current"

#: Flags of the projection stage (threshold risk): the reason only when nothing else fired.
THRESHOLD = {f.code for f in dm.FLAGS.values() if f.stage == "projection"}
SEVERITY = {"error": 3, "warning": 2, "info": 1}
INCOMPLETE = {"id": "data tidak lengkap", "en": "data incomplete"}
COLUMNS = ["jenis_dak", "peringkat", "kode_wilayah", "nama", "pagu", "realisasi", "serapan",
           "proyeksi", "batas_bawah", "batas_atas", "p_di_bawah_ambang", "status", "data",
           "alasan"]


def _with_table(result: dm.MonitorResult, table: pd.DataFrame) -> dm.MonitorResult:
    return dataclasses.replace(
        result, projection=dataclasses.replace(result.projection, table=table))


# -------------------------------------------------------------------------------- ranking


def test_threshold_flags_are_the_projection_ones() -> None:
    assert {"will-miss-threshold", "at-risk-threshold"} <= THRESHOLD


def test_ranking_has_one_row_per_opd_and_kind(monitor_result: dm.MonitorResult) -> None:
    table = monitor_result.projection.table
    r = ranking(monitor_result, "id")
    assert r.columns.tolist() == COLUMNS
    assert len(r) == len(table) > 0
    assert set(zip(r["kode_wilayah"], r["jenis_dak"], strict=True)) == \
        set(zip(table["kode_wilayah"], table["jenis_dak"], strict=True))
    assert not r.duplicated(["kode_wilayah", "jenis_dak"]).any()


def test_ranking_values_are_the_projection_values(monitor_result: dm.MonitorResult) -> None:
    table = monitor_result.projection.table
    r = ranking(monitor_result, "en")
    cols = ["pagu", "realisasi", "serapan", "proyeksi", "batas_bawah", "batas_atas",
            "p_di_bawah_ambang", "status"]
    merged = r.merge(table, on=["kode_wilayah", "jenis_dak"], suffixes=("", "_t"),
                     validate="one_to_one")
    for c in cols:
        pd.testing.assert_series_equal(merged[c], merged[f"{c}_t"], check_names=False)


def test_each_kind_is_ranked_by_projection_ascending(monitor_result: dm.MonitorResult) -> None:
    table = monitor_result.projection.table
    assert table["proyeksi"].notna().all()
    r = ranking(monitor_result, "id")
    kinds = r["jenis_dak"].tolist()
    # each kind is one block of rows
    assert [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k] == \
        list(dict.fromkeys(kinds))
    assert set(kinds) == {"fisik", "nonfisik"}
    for kind, block in r.groupby("jenis_dak", sort=False):
        assert block["peringkat"].tolist() == list(range(1, len(block) + 1)), kind
        assert block["proyeksi"].is_monotonic_increasing, kind
        proj = table.loc[table["jenis_dak"] == kind].set_index("kode_wilayah")["proyeksi"]
        for kode, rank in zip(block["kode_wilayah"], block["peringkat"], strict=True):
            p = proj[kode]
            lower = int((proj < p).sum())
            ties = int((proj == p).sum())
            assert lower + 1 <= rank <= lower + ties, (kind, kode, rank)


def test_lowest_projection_is_first(monitor_result: dm.MonitorResult) -> None:
    table = monitor_result.projection.table
    r = ranking(monitor_result, "id")
    for kind in ("fisik", "nonfisik"):
        t = table.loc[table["jenis_dak"] == kind]
        first = r.loc[(r["jenis_dak"] == kind) & (r["peringkat"] == 1)].iloc[0]
        last = r.loc[(r["jenis_dak"] == kind) & (r["peringkat"] == len(t))].iloc[0]
        assert first["proyeksi"] == t["proyeksi"].min()
        assert last["proyeksi"] == t["proyeksi"].max()


def _expected_reasons(result: dm.MonitorResult, lang: str
                      ) -> dict[tuple[str, str], tuple[set[str], str]]:
    """Per OPD × kind: (the messages that may lead, the "(+n)" suffix), from the flags."""
    col = "pesan" if lang == "id" else "message"
    out = {}
    for (kode, kind), g in result.flags.groupby(["kode_wilayah", "jenis_dak"]):
        others = g.loc[~g["code"].isin(THRESHOLD)]
        pool = others if len(others) else g
        rank = pool["severity"].map(SEVERITY)
        assert rank.notna().all()
        leading = set(pool.loc[rank == rank.max(), col])
        more = (f" (+{len(g) - 1} flag lain: lihat lembar Flag)" if lang == "id" else
                f" (+{len(g) - 1} more flags: see the Flag sheet)")
        out[(kode, kind)] = (leading, more if len(g) > 1 else "")
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_reason_is_the_most_severe_non_threshold_flag(monitor_result: dm.MonitorResult,
                                                      lang: str) -> None:
    flags = monitor_result.flags
    expected = _expected_reasons(monitor_result, lang)
    # The samples exercise the rule: an OPD whose threshold flag is more severe than the
    # procurement flags that explain it, and one with threshold flags only.
    by_opd = flags.groupby(["kode_wilayah", "jenis_dak"])
    assert any(g["code"].isin(THRESHOLD).any() and (~g["code"].isin(THRESHOLD)).any()
               and g.loc[g["code"].isin(THRESHOLD), "severity"].map(SEVERITY).max()
               > g.loc[~g["code"].isin(THRESHOLD), "severity"].map(SEVERITY).max()
               for _, g in by_opd)
    assert any(g["code"].isin(THRESHOLD).all() for _, g in by_opd)

    r = ranking(monitor_result, lang)
    n_with_reason = 0
    for kode, kind, alasan in zip(r["kode_wilayah"], r["jenis_dak"], r["alasan"], strict=True):
        if (kode, kind) not in expected:
            assert alasan == "", (kode, kind)
            continue
        n_with_reason += 1
        leading, suffix = expected[(kode, kind)]
        assert alasan.endswith(suffix), (kode, kind, alasan)
        assert alasan[:len(alasan) - len(suffix)] in leading, (kode, kind, alasan)
    assert n_with_reason == len(expected) > 0


def test_reason_of_a_threshold_only_opd(monitor_result: dm.MonitorResult) -> None:
    flags = monitor_result.flags
    only = [(k, j, g) for (k, j), g in flags.groupby(["kode_wilayah", "jenis_dak"])
            if len(g) == 1 and g["code"].iloc[0] in THRESHOLD]
    assert only
    r = ranking(monitor_result, "en").set_index(["kode_wilayah", "jenis_dak"])
    for kode, kind, g in only:
        assert r.loc[(kode, kind), "alasan"] == g["message"].iloc[0]


def test_no_flags_no_reasons(monitor_result: dm.MonitorResult) -> None:
    quiet = dataclasses.replace(monitor_result, flags=monitor_result.flags.iloc[:0])
    r = ranking(quiet, "id")
    assert (r["alasan"] == "").all()
    assert len(r) == len(monitor_result.projection.table)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_incomplete_opds_are_marked(monitor_result: dm.MonitorResult, lang: str) -> None:
    table = monitor_result.projection.table.copy()
    assert table["data_lengkap"].all()  # the samples are complete: mark two OPDs here
    marked = {("32.03", "fisik"), ("32.79", "nonfisik")}
    is_marked = [(k, j) in marked for k, j in zip(table["kode_wilayah"], table["jenis_dak"],
                                                  strict=True)]
    assert sum(is_marked) == 2
    table["data_lengkap"] = ~np.array(is_marked)
    r = ranking(_with_table(monitor_result, table), lang).set_index(
        ["kode_wilayah", "jenis_dak"])
    for key, row in r.iterrows():
        if key in marked:
            assert row["data"] == INCOMPLETE[lang], key
            assert row["nama"].endswith(" *"), key
        else:
            assert row["data"] == "", key
            assert not row["nama"].endswith("*"), key
    assert r.loc[("32.03", "fisik"), "nama"] == "Kab. Cianjur *"
    assert r.loc[("32.79", "nonfisik"), "nama"] == "Kota Banjar *"
    assert r.loc[("32.03", "nonfisik"), "nama"] == "Kab. Cianjur"


def test_complete_samples_have_no_mark(monitor_result: dm.MonitorResult) -> None:
    r = ranking(monitor_result, "id")
    assert (r["data"] == "").all()
    assert not r["nama"].str.endswith("*").any()


def test_quarantined_rows_make_an_opd_incomplete(hostile_result: dm.MonitorResult) -> None:
    r = ranking(hostile_result, "en").set_index("kode_wilayah")
    assert r.loc["32.05", "data"] == "data incomplete"
    assert r.loc["32.05", "nama"] == "Kab. Garut *"
    assert r.loc["32.79", "data"] == ""
    assert r.loc["32.79", "nama"] == "Kota Banjar"


# ---------------------------------------------------------------------------------- basis


def _basis(result: dm.MonitorResult) -> dict[str, object]:
    pairs = basis(result, "en")
    assert all(isinstance(p, tuple) and len(p) == 2 for p in pairs)
    labels = [label for label, _ in pairs]
    assert len(labels) == len(set(labels))
    keys = {"As of": "as of", "Threshold": "threshold", "First-semester cut-off": "cut-off",
            "DAK fisik contract deadline": "contract deadline",
            "Projection method": "method", "History years": "history years",
            "Input files": "input files", "Rows read": "rows read", "Valid": "valid",
            "Quarantined": "quarantined", "Skipped (titles, totals, notes)": "skipped"}
    return {keys.get(label, label): value for label, value in pairs}


def test_basis_is_in_one_language(monitor_result: dm.MonitorResult) -> None:
    """Indonesian labels and month names in Indonesian, English in English; never both."""
    id_pairs, en_pairs = basis(monitor_result, "id"), basis(monitor_result, "en")
    assert [k for k, _ in id_pairs][:3] == ["Posisi data", "Posisi per jenis DAK",
                                            "Ambang serapan"]
    assert id_pairs[0][1] == "Juni 2024 (30/06/2024)"
    assert en_pairs[0][1] == "June 2024 (30/06/2024)"
    for key, value in id_pairs:
        assert " / " not in key, key
        assert not re.search(r"\b(none|calibrated|June)\b", str(value)), (key, value)


def test_basis_names_what_the_report_rests_on(monitor_result: dm.MonitorResult) -> None:
    b = _basis(monitor_result)
    for key in ("as of", "threshold", "cut-off", "contract deadline", "method",
                "history years", "input files", "rows read", "valid", "quarantined",
                "skipped"):
        assert key in b, key
    assert "30/06/2024" in str(b["as of"])
    assert "2024" in str(b["as of"])
    assert b["threshold"] == "93%"
    rules = monitor_result.rules
    assert b["cut-off"] == rules.semester_cutoff(2024).strftime("%d/%m/%Y")
    assert b["contract deadline"] == rules.contract_deadline(2024).strftime("%d/%m/%Y")
    assert monitor_result.projection.method in str(b["method"])
    assert b["history years"] == "2021, 2022, 2023"


def test_basis_lists_the_input_files(monitor_result: dm.MonitorResult) -> None:
    files = str(_basis(monitor_result)["input files"]).split("; ")
    assert sorted(Path(f).name for f in files) == sorted(p.name for p in CURRENT.iterdir())
    assert files == sorted(files)


def test_basis_counts_are_the_validation_totals(monitor_result: dm.MonitorResult) -> None:
    b = _basis(monitor_result)
    totals = monitor_result.validation.totals()
    assert b["rows read"] == totals["rows_read"]
    assert b["valid"] == totals["rows_valid"] == len(monitor_result.validation.valid)
    assert b["quarantined"] == totals["rows_quarantined"] == \
        len(monitor_result.validation.quarantine)
    assert b["skipped"] == totals["rows_skipped"]
    assert b["rows read"] == b["valid"] + b["quarantined"] + b["skipped"]


def test_basis_without_history(monitor_result: dm.MonitorResult) -> None:
    b = _basis(dataclasses.replace(monitor_result, history=None))
    assert b["history years"] == "none"


def test_basis_counts_quarantine(hostile_result: dm.MonitorResult) -> None:
    b = _basis(hostile_result)
    assert b["quarantined"] == len(hostile_result.validation.quarantine) == 1
    assert b["valid"] == len(hostile_result.validation.valid) == 2
    assert b["history years"] == "none"


# --------------------------------------------------------------------------- refuse_inputs


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "masukan"
    folder.mkdir()
    (folder / "fisik_2024.csv").write_text("x\n", encoding="utf-8")
    (folder / "ringkasan.md").write_text("old\n", encoding="utf-8")
    return folder


# ----------------------------------------------------------------------------- files read
def test_files_read_states_what_the_reader_inferred(tmp_path: Path) -> None:
    """A card read with --periode/--wilayah and a file in a stated unit: the report's files
    table says, per file, where the period, region and unit came from, without repeating the
    file's name in each note; its rows add up as the reader counted them."""
    card = tmp_path / "kartu.csv"
    card.write_text("KARTU KENDALI DAK NONFISIK BOKB TAHUN ANGGARAN 2024\n"
                    "(dalam ribuan rupiah)\nMenu;Pagu;Realisasi\n"
                    "Operasional BKB;1.000;400\nJUMLAH;1.000;400\n", encoding="utf-8")
    result = dm.monitor(card, periode="2024-06", wilayah="32.05")
    table = files_read(result)
    assert len(table) == 1
    rec = table.iloc[0]
    assert (rec["baris_dibaca"], rec["baris_data"], rec["baris_dilewati"]) == (5, 1, 4)
    notes = rec["catatan"]
    assert "period 06/2024 from periode=" in notes
    assert "region 32.05 from wilayah=" in notes
    assert "ribu" in notes
    assert str(card) not in notes


def test_refuses_to_overwrite_an_input_file(inputs: Path) -> None:
    f = inputs / "fisik_2024.csv"
    with pytest.raises(dm.OutputError, match="refusing to overwrite"):
        refuse_inputs(f, [f])
    with pytest.raises(dm.OutputError):
        refuse_inputs(f, [str(f)])


def test_refuses_an_input_file_by_another_spelling(inputs: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(inputs)
    with pytest.raises(dm.OutputError):
        refuse_inputs(Path("fisik_2024.csv"), [inputs / "fisik_2024.csv"])
    with pytest.raises(dm.OutputError):
        refuse_inputs(inputs / "sub" / ".." / "fisik_2024.csv", ["fisik_2024.csv"])


def test_refuses_a_file_not_yet_existing_that_is_an_input(tmp_path: Path) -> None:
    f = tmp_path / "belum_ada.csv"
    with pytest.raises(dm.OutputError):
        refuse_inputs(f, [f])


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_refuses_a_link_to_an_input_file(inputs: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(inputs / "fisik_2024.csv")
    with pytest.raises(dm.OutputError):
        refuse_inputs(link, [inputs / "fisik_2024.csv"])


def test_refuses_an_existing_file_in_an_input_folder(inputs: Path) -> None:
    for name in ("fisik_2024.csv", "ringkasan.md"):
        with pytest.raises(dm.OutputError, match=name):
            refuse_inputs(inputs / name, [inputs])
    with pytest.raises(dm.OutputError):
        refuse_inputs(inputs / "ringkasan.md", [str(inputs), "elsewhere.csv"])


def test_allows_a_new_file_in_an_input_folder(inputs: Path) -> None:
    refuse_inputs(inputs / "laporan.xlsx", [inputs])
    refuse_inputs(inputs / "laporan.xlsx", [inputs / "fisik_2024.csv"])


def test_allows_a_file_elsewhere(inputs: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "laporan"
    out_dir.mkdir()
    existing = out_dir / "laporan.xlsx"
    existing.write_text("old", encoding="utf-8")
    refuse_inputs(existing, [inputs, inputs / "fisik_2024.csv"])
    refuse_inputs(out_dir / "baru.xlsx", [inputs])
    refuse_inputs(existing, [])


def test_allows_an_existing_file_in_a_subfolder_of_an_input_folder(inputs: Path) -> None:
    sub = inputs / "laporan"
    sub.mkdir()
    (sub / "ringkasan.md").write_text("old", encoding="utf-8")
    refuse_inputs(sub / "ringkasan.md", [inputs])  # exports are read from the folder only


def test_output_error_is_a_dak_monitor_error() -> None:
    assert issubclass(dm.OutputError, dm.DakMonitorError)
