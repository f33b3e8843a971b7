"""What changed since last month (``dak_monitor._compare``): two monitoring results of small
hand-built exports, with every expected change worked out by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import dak_monitor as dm
from dak_monitor._compare import compare_reports

GARUT, BANJAR = "32.05", "32.79"
COLS = ["tahun", "periode", "kode_wilayah", "nama_wilayah", "jenis_dak", "menu", "pagu",
        "realisasi"]


def _export(months: range, *, july: bool) -> pd.DataFrame:
    """BOKB 2024. Garut: menu BKB (pagu 100 M, realisasi 10 M a month) and PIK-R (pagu 200 M,
    5 M a month); Banjar: menu BKB (pagu 100 M, 15 M a month).
    ``july=True`` is the later export (to June): Garut's May BKB realisasi revised from 50 M
    to 55 M, its BKB pagu 120 M in June, PIK-R no longer reported in June; Banjar adds a menu
    "Distribusi alokon" (pagu 50 M) in June."""
    rows = []
    for m in months:
        p = f"{m:02d}/2024"
        bkb = 55e6 if (july and m == 5) else 10e6 * m
        rows.append([2024, p, GARUT, "Kabupaten Garut", "nonfisik", "Operasional BKB",
                     120e6 if m == 6 else 100e6, bkb])
        if m < 6:
            rows.append([2024, p, GARUT, "Kabupaten Garut", "nonfisik", "Operasional PIK-R",
                         200e6, 5e6 * m])
        rows.append([2024, p, BANJAR, "Kota Banjar", "nonfisik", "Operasional BKB", 100e6,
                     15e6 * m])
        if m == 6:
            rows.append([2024, p, BANJAR, "Kota Banjar", "nonfisik", "Distribusi alokon",
                         50e6, 1e6])
    return pd.DataFrame(rows, columns=COLS)


@pytest.fixture(scope="module")
def pair() -> tuple[dm.MonitorResult, dm.MonitorResult]:
    return (dm.monitor(_export(range(1, 6), july=False), name="mei.csv"),
            dm.monitor(_export(range(1, 7), july=True), name="juni.csv"))


def _items(c: dm.Comparison) -> set[tuple[object, ...]]:
    return {(r.perubahan, r.kode_wilayah, r.menu, f"{r.periode:%Y-%m}", r.kolom,
             None if pd.isna(r.lama) else r.lama, None if pd.isna(r.baru) else r.baru,
             r.file_lama, r.file_baru) for r in c.items.itertuples(index=False)}


def test_item_changes_worked_out_by_hand(pair: tuple[dm.MonitorResult, ...]) -> None:
    c = compare_reports(*pair)
    assert _items(c) == {
        ("revised", GARUT, "Operasional BKB", "2024-05", "realisasi", 50e6, 55e6, "mei.csv",
         "juni.csv"),
        ("pagu-changed", GARUT, "Operasional BKB", "2024-06", "pagu", 100e6, 120e6, "mei.csv",
         "juni.csv"),
        ("item-removed", GARUT, "Operasional PIK-R", "2024-05", "pagu", 200e6, None,
         "mei.csv", None),
        ("item-added", BANJAR, "Distribusi alokon", "2024-06", "pagu", None, 50e6, None,
         "juni.csv"),
    }
    # Items follow the table's order (Garut first), then removed, pagu, revised, added.
    assert c.items["perubahan"].tolist() == ["item-removed", "pagu-changed", "revised",
                                             "item-added"]


def test_table_then_and_now_and_order(pair: tuple[dm.MonitorResult, ...]) -> None:
    c = compare_reports(*pair)
    t = c.table.set_index("kode_wilayah")
    # Garut: revised past periods come before pagu, removed items, new flags.
    assert t.loc[GARUT, "perubahan"] == "revised-past"
    assert t.loc[GARUT, "perubahan_lain"].startswith("pagu-changed, items-removed")
    assert t.loc[GARUT, ["n_periode_direvisi", "n_pagu_berubah", "n_item_hilang",
                         "n_item_baru"]].tolist() == [1, 1, 1, 0]
    # absorption then: (50 + 25) M of 300 M = 25 %; now: BKB 60 M of 120 M plus PIK-R's
    # May report (25 M of 200 M) kept as the item's latest = 85 / 320 = 26.5625 %.
    assert t.loc[GARUT, "serapan_lalu"] == pytest.approx(0.25)
    assert t.loc[GARUT, "serapan"] == pytest.approx(85 / 320)
    # Banjar: only an item added; absorption 75 M / 100 M then, 91 M / 150 M now.
    assert t.loc[BANJAR, "perubahan"] == "items-added"
    assert t.loc[BANJAR, "serapan_lalu"] == pytest.approx(0.75)
    assert t.loc[BANJAR, "serapan"] == pytest.approx(91 / 150)
    assert c.table["kode_wilayah"].tolist() == [GARUT, BANJAR]
    assert c.table["urutan"].is_monotonic_increasing
    # Flags are compared by code: Garut's June report is partial (1 item against 2).
    assert "report-partial" in t.loc[GARUT, "flag_baru"].split(", ")


def test_status_changes_come_first() -> None:
    """The same data under a stricter threshold: each OPD's status can only worsen."""
    data = _export(range(1, 6), july=False)
    lax = dm.monitor(data, threshold=0.10)
    strict = dm.monitor(data, threshold=0.99)
    assert set(lax.projection.table["status"]) == {"on-track"}
    c = compare_reports(lax, strict)
    now = dict(zip(strict.projection.table["kode_wilayah"],
                   strict.projection.table["status"], strict=True))
    for r in c.table.itertuples(index=False):
        expected = {"will-miss": "newly-will-miss", "at-risk": "newly-at-risk"}[now[
            r.kode_wilayah]]
        assert r.perubahan == expected and r.status_lalu == "on-track"
    assert len(c.items) == 0
    back = compare_reports(strict, lax)
    assert set(back.table["perubahan"]) == {"status-improved"}
    assert (back.table["status"] == "on-track").all()


def test_a_report_compared_with_itself_has_no_change(pair: tuple[dm.MonitorResult, ...]
                                                     ) -> None:
    c = compare_reports(pair[1], pair[1])
    assert set(c.table["perubahan"]) == {"unchanged"}
    assert len(c.items) == 0
    assert c.summary("en").splitlines()[1] == "nothing changed"


def test_opd_missing_from_one_report() -> None:
    data = _export(range(1, 6), july=False)
    only_garut = dm.monitor(data[data["kode_wilayah"] == GARUT])
    both = dm.monitor(data)
    c = compare_reports(both, only_garut)
    t = c.table.set_index("kode_wilayah")
    assert t.loc[BANJAR, "perubahan"] == "no-longer-reported"
    assert pd.isna(t.loc[BANJAR, "serapan"]) and t.loc[BANJAR, "serapan_lalu"] == 0.75
    assert set(c.items.loc[c.items["kode_wilayah"] == BANJAR, "perubahan"]) == {"item-removed"}
    assert compare_reports(only_garut, both).table.set_index("kode_wilayah").loc[
        BANJAR, "perubahan"] == "newly-reported"


def test_summary_and_dict(pair: tuple[dm.MonitorResult, ...]) -> None:
    c = compare_reports(*pair, lang="en")
    text = c.summary()
    assert text.splitlines()[0] == "Changes since May 2024 (report of June 2024)"
    assert "Kabupaten Garut (BOKB): past periods revised, pagu changed" in text
    assert "absorption 25.0% → 26.6%" in text
    indo = c.summary("id")
    assert indo.splitlines()[0] == "Perubahan sejak Mei 2024 (laporan Juni 2024)"
    assert "serapan 25,0% → 26,6%" in indo
    d = json.loads(json.dumps(c.to_dict()))
    assert d["previous_as_of"] == "2024-05-31" and d["as_of"] == "2024-06-30"
    assert d["counts"] == {"revised-past": 1, "items-added": 1}
    assert {r["perubahan"] for r in d["items"]} == {"revised", "pagu-changed",
                                                    "item-removed", "item-added"}
    assert "Comparison(2024-05 -> 2024-06" in repr(c)


def test_refusals(pair: tuple[dm.MonitorResult, ...]) -> None:
    with pytest.raises(dm.ConfigError, match="later than current"):
        compare_reports(pair[1], pair[0])
    with pytest.raises(dm.UnsupportedInputError, match="MonitorResult"):
        compare_reports("data_samples/current", pair[1])  # type: ignore[arg-type]
    with pytest.raises(dm.ConfigError, match="lang"):
        compare_reports(*pair, lang="fr")


def test_inputs_are_not_modified(pair: tuple[dm.MonitorResult, ...]) -> None:
    before = [r.validation.valid.copy() for r in pair]
    compare_reports(*pair)
    for r, b in zip(pair, before, strict=True):
        pd.testing.assert_frame_equal(r.validation.valid, b)


def test_report_writes_the_changes(pair: tuple[dm.MonitorResult, ...], tmp_path) -> None:
    """``write_report(previous=…)``: the Perubahan sheet (one language, codes at the end)
    and the summary section, in the order to act on."""
    openpyxl = pytest.importorskip("openpyxl")
    prev, cur = pair
    dm.write_report(cur, tmp_path / "id", previous=prev, figures=False)
    ws = openpyxl.load_workbook(tmp_path / "id" / "report.xlsx")["Perubahan"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "Perubahan sejak Mei 2024 (laporan Juni 2024)"
    head = rows[2]
    assert head[:3] == ("Urutan tindak lanjut", "Perubahan utama", "Perubahan lain")
    first, second = dict(zip(head, rows[3], strict=True)), dict(zip(head, rows[4],
                                                                    strict=True))
    assert first["Perubahan utama"] == "periode lalu direvisi"
    assert first["Kode perubahan"] == "revised-past"
    assert first["OPD (kabupaten/kota)"] == "Kabupaten Garut"
    assert first["Serapan bulan lalu"] == pytest.approx(0.25)
    assert second["Perubahan utama"] == "item baru" and second["Kode wilayah"] == BANJAR
    items = [r for r in rows if r and r[0] in ("item hilang", "pagu berubah",
                                                "periode lalu direvisi", "item baru")
             and r[1] in (GARUT, BANJAR)]
    assert [r[0] for r in items] == ["item hilang", "pagu berubah", "periode lalu direvisi",
                                     "item baru"]
    md = (tmp_path / "id" / "summary.md").read_text(encoding="utf-8")
    section = md.split("## Perubahan sejak Mei 2024 (laporan Juni 2024)")[1].split("\n## ")[0]
    assert "| periode lalu direvisi | pagu berubah, item hilang, flag baru | Kabupaten Garut" \
        in section
    assert "| periode lalu direvisi | Kabupaten Garut | BOKB (nonfisik) | Operasional BKB |  " \
           "| Mei 2024 | realisasi | 50.000.000 | 55.000.000 |" in section
    # A comparison already made is taken as it is; one of another month is refused.
    c = compare_reports(prev, cur, lang="en")
    dm.write_report(cur, tmp_path / "en", previous=c, figures=False, lang="en")
    assert "## Changes since May 2024 (report of June 2024)" in (
        tmp_path / "en" / "summary.md").read_text(encoding="utf-8")
    with pytest.raises(dm.ConfigError, match="about 2024-05"):
        dm.write_report(prev, tmp_path / "x", previous=c, figures=False)
    with pytest.raises(dm.UnsupportedInputError, match="previous="):
        dm.write_summary(cur, tmp_path / "s.md", previous="data_samples/current")


def test_without_previous_nothing_changes(pair: tuple[dm.MonitorResult, ...], tmp_path
                                          ) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    dm.write_report(pair[1], tmp_path, figures=False)
    assert "Perubahan" not in openpyxl.load_workbook(tmp_path / "report.xlsx").sheetnames
    assert "## Perubahan" not in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_cli_previous(pair: tuple[dm.MonitorResult, ...], tmp_path, capsys) -> None:
    """``report … --previous …``: last month's folder monitored with the same options."""
    from dak_monitor.cli import main

    may, june = tmp_path / "mei", tmp_path / "juni"
    may.mkdir()
    june.mkdir()
    _export(range(1, 6), july=False).to_csv(may / "bokb_2024.csv", index=False)
    _export(range(1, 7), july=True).to_csv(june / "bokb_2024.csv", index=False)
    out = tmp_path / "out"
    code = main(["report", str(june), "--previous", str(may), "--out", str(out),
                 "--no-figures", "--lang", "en"])
    assert code == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert "dak-monitor: reading last month's report …" in captured.err  # progress, in English
    assert "Changes since May 2024 (report of June 2024)" in printed
    assert "- Kabupaten Garut (BOKB): past periods revised, pagu changed, items removed" \
        in printed
    assert "## Changes since May 2024" in (out / "summary.md").read_text(encoding="utf-8")


# ------------------------------------------------------------- the monthly samples
SAMPLES = __import__("pathlib").Path(__file__).resolve().parents[1] / "data_samples"


def test_june_to_july_samples_find_exactly_the_planted_changes(
        monitor_result: dm.MonitorResult) -> None:
    """``data_samples/july`` is ``current/`` one month later; its changes, read off the files
    by hand (June's and July's cells of each item): three BOKB June realisasi and one DAK
    fisik May realisasi revised, one BOKB pagu raised in July. Nothing else is an item
    change: every other January–June figure is the same in both downloads."""
    july = dm.monitor(SAMPLES / "july", history=SAMPLES / "history")
    c = compare_reports(monitor_result, july, lang="en")
    got = {(r.perubahan, r.kode_wilayah, r.jenis_dak, r.menu, f"{r.periode:%Y-%m}", r.kolom,
            r.lama, r.baru) for r in c.items.itertuples(index=False)}
    assert got == {
        ("revised", "32.01", "nonfisik", "Pelayanan KB Bergerak", "2024-06", "realisasi",
         83_548_560.0, 88_964_560.0),
        ("revised", "32.09", "nonfisik", "Pelayanan KB Pasca Persalinan", "2024-06",
         "realisasi", 64_432_070.0, 67_183_070.0),
        ("revised", "32.15", "nonfisik", "Operasional Balai Penyuluhan KB", "2024-06",
         "realisasi", 349_512_042.0, 396_829_042.0),
        ("revised", "32.05", "fisik", "Pengadaan Mobil Pelayanan KB", "2024-05", "realisasi",
         0.0, 162_012_000.0),
        ("pagu-changed", "32.05", "nonfisik", "Operasional TPK", "2024-07", "pagu",
         520_918_000.0, 573_010_000.0),
    }
    t = c.table.set_index(["kode_wilayah", "jenis_dak"])
    assert t.loc[("32.15", "nonfisik"), "n_periode_direvisi"] == 1
    assert t.loc[("32.05", "nonfisik"), "n_pagu_berubah"] == 1
    assert "pagu-changed" in ([t.loc[("32.05", "nonfisik"), "perubahan"]]
                              + t.loc[("32.05", "nonfisik"), "perubahan_lain"].split(", "))
    assert len(c.table) == 54  # 27 kabupaten/kota × 2 kinds in both months
    assert c.table["urutan"].is_monotonic_increasing
    assert (c.previous_as_of, c.as_of) == (pd.Timestamp("2024-06-30"),
                                           pd.Timestamp("2024-07-31"))
