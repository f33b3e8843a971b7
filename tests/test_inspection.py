"""``inspect`` and layouts (issue #15): what the reader understood of a file, and a layout file
that fixes what it did not. The files are the real templates of ``test_templates.py`` (written
by openpyxl, the csv module or by hand as HTML) and an odd template of an office's own."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm
from dak_monitor.cli import main
from test_templates import (
    _csv,
    _KENDALI_ROWS,
    _as_csv,
    _kartu_kendali,
    _rfk_file,
    _template_b,
)

_ODD = ["Rekap Penyerapan Dana BOKB Kab. Garut", "Dalam Juta Rupiah",
        "Uraian Pekerjaan;Anggaran Murni;Serapan s/d Bulan Ini;Sisa",
        "Operasional Balai Penyuluhan;1.250,5;500,25;750,25",
        "Pendampingan Keluarga Berisiko Stunting;2.000;1.000;1.000"]


def _odd(path: Path) -> Path:
    """A template no reader knows: its own header names, a unit row, no period."""
    path.write_text("\n".join(_ODD) + "\n", encoding="utf-8")
    return path


def _templates(tmp: Path) -> dict[str, tuple[Path, dict[str, str]]]:
    b = _template_b(tmp / "kemajuan.xlsx")
    return {
        "A csv": (_rfk_file(tmp, "csv"), {}),
        "A xlsx": (_rfk_file(tmp, "xlsx"), {}),
        "B xlsx": (b, {}),
        "B csv": (_as_csv(b), {}),
        "B ribuan": (_template_b(tmp / "lampiran3.xlsx", ribuan=True, summed=True), {}),
        "C": (_kartu_kendali(tmp / "kendali.xls", _KENDALI_ROWS),
              {"periode": "2019-09", "wilayah": "16.06"}),
    }


def _same_read(a: dm.Export, b: dm.Export) -> None:
    pd.testing.assert_frame_equal(a.data, b.data)
    pd.testing.assert_frame_equal(a.skipped, b.skipped)


# ------------------------------------------------------------------------------ inspect
def test_inspect_says_what_it_understood_of_each_template(tmp_path: Path) -> None:
    found = {name: dm.inspect_export(path, **opts)
             for name, (path, opts) in _templates(tmp_path).items()}
    assert all(ins.ok for ins in found.values())
    b = found["B xlsx"].sheets[0]
    assert b["kind"] == "fisik"
    assert "nilai_kontrak" in b["kind_why"]  # why: its Kontraktual column
    assert b["header_rows"] == [5, 6, 7]
    assert {c["column"]: c["maps_to"] for c in b["columns"]}["G"] == "pagu"
    assert b["periode"] == {"value": "2024-06", "from": "the title"}
    assert b["rows"]["classes"]["group"]["count"] == 6
    assert b["rows"]["classes"]["data"]["count"] == 3
    assert b["outline_levels"] == 4
    assert b["rows"]["read"] == sum(c["count"] for c in b["rows"]["classes"].values())
    a = found["A csv"].sheets[0]
    assert "Sumber Dana" in a["kind_why"]
    assert a["budget_codes"] == ["A", "B", "C", "D", "E"]
    # Known headers passed over on purpose are said to be, never offered as near-misses.
    passed = {u["column"]: u for u in a["unmapped"] if u["known_as"]}
    assert {k: u["known_as"] for k, u in passed.items()} == {  # a CSV: 'Kode' over A only
        "A": "kode_wilayah", "G": "pagu"}
    assert not any(u["close_match"] for u in passed.values())
    assert a["tahun"]["from"] == "the title or a name"
    assert found["B ribuan"].sheets[0]["units"]["pagu"] == {"unit": "ribu",
                                                            "from": "its header"}
    c = found["C"].sheets[0]
    assert c["rows"]["classes"]["summary"]["count"] == 9
    assert c["periode"]["from"] == "periode="
    assert c["region"] == {"value": "16.06", "from": "the options or layout"}
    # 'Triwulan ini' (this quarter) is close to the cumulative column's spelling, but that
    # column is found already: suggesting it as realisasi would be wrong advice.
    assert not [u for u in c["unmapped"] if u["close_match"]]


def test_inspect_names_what_is_missing_and_how_to_give_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelled column and a stage for a period: inspect does not raise; it names both,
    with the option and the layout line for each, and the CLI exits 1."""
    path = tmp_path / "kendali.csv"
    path.write_text("KARTU KENDALI DAK NONFISIK BOKB\nTAHUN ANGGARAN 2024\nSAMPAI DENGAN "
                    "TAHAP-2\nKode Wilayah;Menu;Pagu;Realisasii\n"
                    "32.05;Operasional BKB;1.000.000;400.000\n", encoding="utf-8")
    ins = dm.inspect_export(path)
    assert not ins.ok
    tips = {t["what"]: t for t in ins.sheets[0]["suggest"]}
    assert tips["periode"]["option"] == "--periode YYYY-MM"
    assert tips["realisasi"]["layout"] == '[aliases] realisasi = ["realisasii"]'
    assert ins.sheets[0]["unmapped"][0]["close_match"]["column"] == "realisasi"
    assert main(["inspect", str(path)]) == 1
    text = capsys.readouterr().out
    assert "'realisasii' looks like 'realisasi'" in text
    assert "periode: --periode YYYY-MM" in text
    assert main(["inspect", str(path), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False
    assert doc["sheets"][0]["kind"] == "nonfisik"


def test_inspect_a_file_with_no_header_shows_its_first_rows(tmp_path: Path) -> None:
    ins = dm.inspect_export(_odd(tmp_path / "rekap_garut.csv"))
    sheet = ins.sheets[0]
    assert not ins.ok
    assert "no header row" in sheet["problem"]
    assert sheet["preview"][2] == "3: Uraian Pekerjaan | Anggaran Murni | Serapan s/d Bulan Ini | Sisa"


# ------------------------------------------------------------------------------ layouts
def test_a_written_layout_reads_every_template_the_same(tmp_path: Path) -> None:
    """Round trip: the layout inspect writes for a file that reads gives the same rows, and
    is chosen for it by its header texts alone; what the file itself says (the header's rows,
    a period from the title) is shown commented, never pinned for the next month's file."""
    for name, (path, opts) in _templates(tmp_path).items():
        ins = dm.inspect_export(path, **opts)
        text = ins.layout_toml()
        lay = dm.Layout.from_toml(text)
        _same_read(dm.read_export(path, **opts), dm.read_export(path, layout=lay))
        assert lay.headers and not lay.files, name
        assert lay.headers_missing(()) == lay.headers  # nothing holds them but the file
        rows = ins.sheets[0]["header_rows"]
        assert not lay.header_rows and f"# header_rows = {rows}" in text, name
        assert (lay.periode is not None) == ("periode" in opts), name
        assert not lay.sheets, name  # another office may name its sheet otherwise
        if ins.sheets[0]["sheet"]:
            assert f'# sheets = ["{ins.sheets[0]["sheet"]}"]' in text, name


def _edit(path: Path, changes: dict[str, str]) -> int:
    """Replace whole lines of a layout file; the number of lines changed."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, n = [], 0
    for line in lines:
        key = next((k for k in changes if line.startswith(k)), None)
        out.append(changes[key] if key else line)
        n += key is not None
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return n


def test_inspect_write_layout_edit_read_the_card(tmp_path: Path) -> None:
    """Template C as an analyst meets it: inspect says the period and region are missing and
    writes the layout; two lines edited; every command reads it with --layout."""
    card = _kartu_kendali(tmp_path / "kendali.xls", _KENDALI_ROWS)
    layout = tmp_path / "kendali.toml"
    assert main(["inspect", str(card), "--write-layout", str(layout)]) == 1
    assert _edit(layout, {"# periode =": 'periode = "2019-09"',
                          "# wilayah =": 'wilayah = "16.06"'}) == 2
    ex = dm.read_export(card, layout=layout)
    _same_read(ex, dm.read_export(card, periode="2019-09", wilayah="16.06"))
    assert "period 09/2019 from the layout" in ex.files["catatan"].iloc[0]
    assert main(["inspect", str(card), "--layout", str(layout)]) == 0
    assert main(["validate", str(card), "--layout", str(layout)]) == 0


def test_a_recap_in_an_unstated_unit_is_read_after_one_line_of_layout(tmp_path: Path) -> None:
    """Template D when no line says "miliar": the reader warns (units-unstated) and marks the
    offices incomplete; inspect writes the layout, one line under [units] fixes it, and the
    amounts are exact. The unit found in a file is never pinned by the written layout."""
    path = _csv(tmp_path / "rekap_kppn.csv",
                ["REALISASI DAK NONFISIK BOKB PER PEMDA SEMESTER I TAHUN 2024"],
                head=["No", "Pemda", "Pagu", "Realisasi", "%"],
                rows=[["1", "KAB BENGKULU SEL", "17.04", "8.69", "51%"],
                      ["2", "KOTA BENGKULU", "190.08", "96.94", "51%"]])
    report = dm.validate_export(dm.read_export(path))
    assert "units-unstated" in set(report.problems["code"])
    layout = tmp_path / "kppn.toml"
    main(["inspect", str(path), "--write-layout", str(layout)])
    assert _edit(layout, {"[units]": '[units]\n"*" = "miliar"'}) == 1
    ex = dm.read_export(path, layout=layout)
    assert ex.data[["kode_wilayah", "pagu", "realisasi"]].values.tolist() == [
        ["17.01", 17_040_000_000.0, 8_690_000_000.0],
        ["17.71", 190_080_000_000.0, 96_940_000_000.0]]
    assert "units-unstated" not in set(dm.validate_export(ex).problems["code"])
    # A unit stated in the file is shown, commented, in the layout written for it.
    stated = _csv(tmp_path / "rekap_2.csv", ["REKAP BOKB SEMESTER I TAHUN 2024",
                                             "(dalam miliar rupiah)"],
                  head=["No", "Pemda", "Pagu", "Realisasi", "%"],
                  rows=[["1", "KOTA BENGKULU", "190.08", "96.94", "51%"]])
    text = dm.inspect_export(stated).layout_toml()
    assert '# pagu = "miliar"  # found in this file (the title); uncomment to pin it' in text
    assert not dm.Layout.from_toml(text).units


def test_an_odd_template_is_read_after_five_lines_of_layout(tmp_path: Path) -> None:
    """A template none of the readers knows: inspect shows its first rows and writes a
    skeleton; the header row, three header names and the period make it read exactly (its
    unit row says juta)."""
    odd = _odd(tmp_path / "rekap_garut.csv")
    layout = tmp_path / "rekap.toml"
    assert main(["inspect", str(odd), "--write-layout", str(layout)]) == 1
    assert _edit(layout, {"header_rows =": "header_rows = [3]",
                          "# periode =": 'periode = "2024-06"',
                          "# menu =": 'menu = ["uraian pekerjaan"]',
                          '# pagu = ["': 'pagu = ["Anggaran Murni"]',
                          "# realisasi =": 'realisasi = ["serapan s/d bulan ini"]'}) == 5
    ex = dm.read_export(odd, layout=layout)
    assert ex.data[["kode_wilayah", "menu", "pagu", "realisasi"]].values.tolist() == [
        ["32.05", "Operasional Balai Penyuluhan", 1_250_500_000.0, 500_250_000.0],
        ["32.05", "Pendampingan Keluarga Berisiko Stunting", 2_000_000_000.0, 1_000_000_000.0]]
    assert set(ex.data["periode"]) == {pd.Timestamp("2024-06-30")}
    assert ex.rows_read == len(ex.data) + len(ex.skipped)


def test_a_folder_of_layouts_serves_each_template(tmp_path: Path) -> None:
    """A province sets layouts up once: each file of a folder is read with the layout whose
    ``files`` patterns match its name."""
    data = tmp_path / "juli"
    data.mkdir()
    card = _kartu_kendali(data / "kendali_muba.xls", _KENDALI_ROWS)
    odd = _odd(data / "rekap_garut.csv")
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "kendali.toml").write_text('files = ["*kendali*"]\nperiode = "2019-09"\n'
                                          'wilayah = "16.06"\n', encoding="utf-8")
    (layouts / "rekap.toml").write_text(
        'files = ["rekap_*.csv"]\nheader_rows = [3]\nperiode = "2019-09"\n[aliases]\n'
        'menu = ["uraian pekerjaan"]\npagu = ["anggaran murni"]\n'
        'realisasi = ["serapan s/d bulan ini"]\n', encoding="utf-8")
    ex = dm.read_export(data, layout=layouts)
    assert ex.file_problems.empty
    by_file = ex.data.groupby("sumber_file")["kode_wilayah"].first().to_dict()
    assert by_file == {str(card): "16.06", str(odd): "32.05"}


def test_layouts_written_once_serve_next_months_files_by_their_headers(tmp_path: Path) -> None:
    """Set up once, as a province would: inspect writes a layout per template (its header
    texts as the fingerprint), the analyst edits a few lines, and next month's files — named
    anyhow, by other offices — are each read with the layout of their template; a file no
    layout is for is read without one, and its notes say so and name the closest."""
    june, july, layouts = (tmp_path / d for d in ("juni", "juli", "layouts"))
    for d in (june, july, layouts):
        d.mkdir()
    card = _kartu_kendali(june / "kendali_muba.xls", _KENDALI_ROWS)
    odd = _odd(june / "rekap_garut.csv")
    rfk = _rfk_file(june, "xlsx")
    assert main(["inspect", str(card), "--write-layout", str(layouts / "kendali.toml")]) == 1
    assert _edit(layouts / "kendali.toml", {"# periode =": 'periode = "2019-09"',
                                             "# wilayah =": 'wilayah = "16.06"'}) == 2
    assert main(["inspect", str(odd), "--write-layout", str(layouts / "rekap.toml")]) == 1
    assert _edit(layouts / "rekap.toml", {
        "headers =": 'headers = ["Uraian Pekerjaan", "Anggaran Murni"]',
        "header_rows =": "header_rows = [3]", "# periode =": 'periode = "2024-06"',
        "# menu =": 'menu = ["uraian pekerjaan"]', '# pagu = ["': 'pagu = ["anggaran murni"]',
        "# realisasi =": 'realisasi = ["serapan s/d bulan ini"]'}) == 6
    assert main(["inspect", str(rfk), "--write-layout", str(layouts / "rfk.toml")]) == 0

    rows = [("1", "Keluarga Berencana", "2.000.000.000,00", "1.000.000.000,00", "0,00",
             "300.000.000,00", "300.000.000,00", "700.000.000,00", "15,00")]
    names = {"card": _kartu_kendali(july / "laporan_a.xls", rows),
             "odd": july / "data1.csv", "rfk": july / "sipd.xlsx",
             "morena": july / "morena.csv"}
    names["odd"].write_text("\n".join(
        ["Rekap Penyerapan Dana BOKB Kab. Garut", "Dalam Juta Rupiah", _ODD[2],
         "Operasional Balai Penyuluhan;3.000;1.500;1.500"]) + "\n", encoding="utf-8")
    (june / "rfk_juni.xlsx").rename(names["rfk"])
    names["morena"].write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\n"
                               "2024;2024-07;32.05;Operasional BKB;1.000.000;400.000\n",
                               encoding="utf-8")
    ex = dm.read_export(july, layout=layouts)
    assert ex.file_problems.empty
    notes = ex.files.groupby("sumber_file")["catatan"].first()
    for who, layout in (("card", "kendali.toml"), ("odd", "rekap.toml"), ("rfk", "rfk.toml")):
        assert f"{layout} (chosen by its header texts)" in notes[str(names[who])], who
    assert "no layout given is for this file, read without one (closest" in \
        notes[str(names["morena"])]
    got = ex.data.set_index("sumber_file")
    assert got.loc[str(names["card"]), ["kode_wilayah", "pagu", "realisasi"]].tolist() == [
        "16.06", 2_000_000_000.0, 300_000_000.0]
    assert got.loc[str(names["odd"]), ["pagu", "realisasi"]].tolist() == [
        3_000_000_000.0, 1_500_000_000.0]
    _same_read(dm.read_export(names["rfk"], layout=layouts / "rfk.toml"),
               dm.read_export(names["rfk"]))


def test_a_layout_is_for_a_file_only_when_all_it_states_fits(tmp_path: Path) -> None:
    """A name pattern and header texts must both fit; when neither of two layouts fits, the
    one without conditions serves; the first of two that fit is used and the other named."""
    odd = _odd(tmp_path / "rekap_garut.csv")
    base = ('header_rows = [3]\nperiode = "2024-06"\n[aliases]\nmenu = ["uraian pekerjaan"]\n'
            'pagu = ["anggaran murni"]\nrealisasi = ["serapan s/d bulan ini"]\n')
    d = tmp_path / "layouts"
    d.mkdir()
    (d / "a.toml").write_text('files = ["rekap_*"]\nheaders = ["kode rekening"]\n' + base,
                              encoding="utf-8")
    (d / "b.toml").write_text('headers = ["Uraian  Pekerjaan", "ANGGARAN MURNI"]\n' + base,
                              encoding="utf-8")
    (d / "c.toml").write_text('files = ["*garut*"]\n' + base, encoding="utf-8")
    note = dm.read_export(odd, layout=d).files["catatan"].iloc[0]
    assert "b.toml (chosen by its header texts; also fitting, not used: " in note
    assert "c.toml" in note and "a.toml" not in note
    (d / "b.toml").unlink()
    (d / "c.toml").unlink()
    with pytest.raises(dm.HeaderNotFoundError, match=r"Layouts: no layout given is for this "
                       r"file, read without one \(closest — .*a\.toml: header texts not found: "
                       r"'kode rekening'\)"):
        dm.read_export(odd, layout=d)  # a.toml does not fit: read without it, and said
    (d / "z.toml").write_text(base, encoding="utf-8")
    note = dm.read_export(odd, layout=d).files["catatan"].iloc[0]
    assert "z.toml (a layout for every file)" in note


def test_a_layout_skips_rows_and_picks_the_pagu(tmp_path: Path) -> None:
    """``skip_rows`` / ``skip_matching`` skip rows as ``layout`` (still counted); ``pagu``
    takes the RKA column when the office's DPA column is not the one to use."""
    path = tmp_path / "x.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerows([["LAPORAN BOKB KAB GARUT TAHUN ANGGARAN 2024 Periode s.d. Juni 2024"],
                     ["Menu", "RKA SIPD", "DPA SIMDA", "Realisasi"],
                     ["Operasional BKB", "1.000.000", "1.100.000", "400.000"],
                     ["CONTOH: Operasional KB", "5", "5", "5"],
                     ["Dukungan Operasional KB", "2.000.000", "2.100.000", "900.000"]])
    ex = dm.read_export(path, layout={"pagu": "rka sipd", "skip_matching": ["^CONTOH"]})
    assert ex.data[["menu", "pagu"]].values.tolist() == [
        ["Operasional BKB", 1_000_000.0], ["Dukungan Operasional KB", 2_000_000.0]]
    assert ex.skipped.set_index("sumber_baris")["alasan"][4] == "layout"
    assert ex.rows_read == len(ex.data) + len(ex.skipped)
    by_row = dm.read_export(path, layout={"skip_rows": [4]})
    assert by_row.data["menu"].tolist() == ["Operasional BKB", "Dukungan Operasional KB"]


@pytest.mark.parametrize(("text", "said"), [
    ('kind = "fisik"\nperiod = "2024-06"\n', "period (line 2): not a layout key"),
    ('periode = "Juni"\n', "periode (line 1): must be YYYY-MM"),
    ('[units]\nanggaran = "ribu"\n', "units (line 1): 'anggaran' is not a money column"),
    ('[units]\npagu = "ton"\n', "units (line 1):"),
    ("header_rows = [3, 5]\n", "header_rows (line 1): must be one to three consecutive"),
    ('skip_matching = ["(unclosed"]\n', "is not a regular expression"),
    ('kind = "fisik\n', "not valid TOML"),
    ('[aliases]\npagu_dak = ["x"]\n', "'pagu_dak' is not a canonical column"),
])
def test_a_bad_layout_names_the_key_and_line(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(dm.ConfigError, match=None) as err:
        dm.read_export(_odd(tmp_path / "x.csv"), layout=path)
    assert said in str(err.value)
    assert str(path) in str(err.value)


def test_write_layout_never_overwrites_another_file(tmp_path: Path) -> None:
    precious = tmp_path / "notes.toml"
    precious.write_text("keep me\n", encoding="utf-8")
    ins = dm.inspect_export(_kartu_kendali(tmp_path / "kendali.xls", _KENDALI_ROWS))
    with pytest.raises(dm.OutputError, match="never overwritten"):
        ins.write_layout(precious)
    assert precious.read_text(encoding="utf-8") == "keep me\n"
    again = tmp_path / "k.toml"
    ins.write_layout(again)
    ins.write_layout(again)  # a layout it wrote is replaced
    assert again.read_text(encoding="utf-8").startswith("# dak_monitor layout")


# ------------------------------------------------------------------------------ properties
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=12).map(str.strip).filter(bool)
_LAYOUTS = st.builds(
    dm.Layout.from_mapping,
    st.fixed_dictionaries({}, optional={
        "files": st.lists(_TEXT, max_size=2),
        "headers": st.lists(st.from_regex(r"[A-Za-z]{3,9}( [a-z%/]{1,8})?", fullmatch=True),
                            max_size=3),
        "kind": st.sampled_from(["nonfisik", "fisik"]),
        "tahun": st.integers(2000, 2099),
        "periode": st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2000, 2099),
                             st.integers(1, 12)),
        "wilayah": _TEXT,
        "sheets": st.lists(_TEXT, max_size=2),
        "header_rows": st.integers(1, 50).flatmap(
            lambda r: st.integers(1, 3).map(lambda n: list(range(r, r + n)))),
        "pagu": _TEXT,
        "skip_rows": st.lists(st.integers(1, 10_000), max_size=3),
        "units": st.dictionaries(st.sampled_from(["pagu", "realisasi", "*"]),
                                 st.sampled_from(["rupiah", "ribu", "juta", "miliar"])),
        "aliases": st.dictionaries(st.sampled_from(["pagu", "realisasi", "menu"]),
                                   st.lists(_TEXT, min_size=1, max_size=2)),
    }))


@given(_LAYOUTS)
def test_any_layout_survives_its_toml(layout: dm.Layout) -> None:
    assert dm.Layout.from_toml(layout.to_toml()) == layout


_SPELLINGS = {"menu": ["Menu", "Menu Kegiatan", "Komponen"],
              "pagu": ["Pagu", "Pagu (Rp)", "Alokasi", "Pagu (Rp Juta)"],
              "realisasi": ["Realisasi", "Penyerapan", "Realisasi (Rp)"]}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(menu=st.sampled_from(_SPELLINGS["menu"]), pagu=st.sampled_from(_SPELLINGS["pagu"]),
       real=st.sampled_from(_SPELLINGS["realisasi"]),
       title=st.sampled_from([["LAPORAN BOKB KAB GARUT TAHUN ANGGARAN 2024",
                               "Periode s.d. 30 Juni 2024"],
                              ["Realisasi BOKB Kota Banjar", "Triwulan III Tahun 2024",
                               "(dalam ribuan rupiah)"]]),
       amounts=st.lists(st.tuples(st.integers(1, 10**7), st.integers(0, 10**7)), min_size=1,
                        max_size=5))
def test_a_written_layout_reproduces_any_read(tmp_path: Path, menu: str, pagu: str, real: str,
                                              title: list[str],
                                              amounts: list[tuple[int, int]]) -> None:
    """Files in many spellings, titles and units (written by the csv module): whatever the
    reader decided, the layout inspect writes for it reads the same rows."""
    path = tmp_path / "x.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerows([[t] for t in title])
        w.writerow([menu, pagu, real])
        w.writerows([[f"Menu {k}", f"{p:,}".replace(",", "."), f"{r:,}".replace(",", ".")]
                     for k, (p, r) in enumerate(amounts)])
    ins = dm.inspect_export(path)
    assert ins.ok
    lay = dm.Layout.from_toml(ins.layout().to_toml())
    _same_read(dm.read_export(path), dm.read_export(path, layout=lay))


def test_every_monitoring_command_takes_what_a_file_does_not_say(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``project``/``flags``/``report`` take --periode and --wilayah (they were an internal
    error) and --layout; a recap's pagu is not counted lost after the contract deadline."""
    card = _kartu_kendali(tmp_path / "kendali.xls", _KENDALI_ROWS)
    assert main(["project", str(card), "--periode", "2019-09", "--wilayah", "16.06",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    row = rows[0] if isinstance(rows, list) else rows["rows"][0]
    assert row["pagu_hilang"] == 0.0
    layout = tmp_path / "k.toml"
    layout.write_text('periode = "2019-09"\nwilayah = "16.06"\n', encoding="utf-8")
    assert main(["flags", str(card), "--layout", str(layout), "--format", "json"]) == 0
