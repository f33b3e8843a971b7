"""Regenerate ``data_samples/`` and the packaged samples in ``src/dak_monitor/data/``.

Everything written is synthetic (``dak_monitor.datasets.make_export``) and deterministic: run
``python scripts/make_samples.py`` twice and the files are byte-identical.

* ``data_samples/current/``  fiscal year 2024, January–June, both kinds, messy layouts, no
  data mistakes.
* ``data_samples/history/``  2021–2023, full years, both kinds, one file per year and kind.
* ``data_samples/faulty/``   small exports with data mistakes planted at known rows, listed in
  ``faulty/planted.csv`` (file, sheet, row, column, code, description).
* ``data_samples/archetypes.csv`` and ``data_samples/README.md``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pandas as pd  # noqa: E402

from dak_monitor._vocab import columns as C  # noqa: E402
from dak_monitor.datasets import (  # noqa: E402
    make_export,
    region_archetypes,
    write_export,
)

#: Seed of the data (archetypes, office effects, year shocks, items, curves).
DATA_SEED = 0
OUT = ROOT / "data_samples"
PKG = ROOT / "src" / "dak_monitor" / "data"

PLANTED_CODES = (
    "realisasi-above-pagu", "persen-mismatch", "realisasi-decreased", "duplicate-row",
    "unknown-region", "region-name-mismatch", "pagu-changed", "total-mismatch",
    "magnitude-outlier", "unparseable-number", "unparseable-date", "kontrak-above-pagu",
    "contract-date-outside-year", "contract-date-after-period", "spending-without-contract",
    "status-inconsistent", "realisasi-fisik-out-of-range", "penyaluran-above-pagu",
)

# What each written file is, for the README: (relative path, description, row map).
MANIFEST: list[tuple[str, str, pd.DataFrame]] = []


def write(frame: pd.DataFrame, path: Path, description: str, *, layout: str, seed: int,
          **options: Any) -> pd.DataFrame:
    path.parent.mkdir(parents=True, exist_ok=True)
    rowmap = write_export(frame, path, layout=layout, seed=seed, **options)
    rel = path.relative_to(ROOT).as_posix()
    MANIFEST.append((rel, f"{description} (layout={layout!r}, seed={seed})", rowmap))
    return rowmap


def item_key(frame: pd.DataFrame) -> pd.Series:
    return (frame[C.KODE_WILAYAH].astype(str) + "|" + frame[C.MENU].astype(str) + "|"
            + frame[C.RINCIAN].astype(object).fillna("").astype(str))


def recompute_persen(frame: pd.DataFrame, rows: Sequence[int]) -> None:
    for r in rows:
        frame.loc[r, C.PERSEN_REALISASI] = round(
            100 * float(frame.loc[r, C.REALISASI]) / float(frame.loc[r, C.PAGU]), 2)


# ================================================================= current and history
def make_current() -> None:
    nonfisik = make_export("nonfisik", year=2024, months=range(1, 7), seed=DATA_SEED, messy=True)
    write(nonfisik, OUT / "current" / "nonfisik_jabar_2024_jan-jun.xlsx",
          "DAK nonfisik BOKB, 27 kabupaten/kota, January–June 2024 in one workbook, one sheet "
          "per kabupaten/kota", layout="messy", seed=11, sheet_per_region=True, title=True,
          two_row_header=True)
    fisik = make_export("fisik", year=2024, months=range(1, 7), seed=DATA_SEED, messy=True)
    for month in range(1, 6):
        part = fisik[fisik[C.PERIODE].dt.month == month].reset_index(drop=True)
        write(part, OUT / "current" / f"fisik_jabar_2024_{month:02d}.xlsx",
              f"DAK fisik KB, 27 kabupaten/kota, position at the end of month {month} of 2024; "
              "tahun/periode only in the title block", layout="messy", seed=20 + month,
              period_columns=False)
    june = fisik[fisik[C.PERIODE].dt.month == 6].reset_index(drop=True)
    write(june, OUT / "current" / "fisik_jabar_2024_06.csv",
          "DAK fisik KB, 27 kabupaten/kota, position at 30 June 2024, Windows-1252 CSV",
          layout="messy", seed=26, sep=";", encoding="cp1252", title=True, subtotals=True,
          grand_total=True, group_headers=True, footer=True)


def make_history() -> None:
    for year, seed in ((2021, 31), (2022, 32), (2023, 33)):
        nonfisik = make_export("nonfisik", year=year, seed=DATA_SEED)
        fisik = make_export("fisik", year=year, seed=DATA_SEED)
        if year == 2021:
            write(nonfisik, OUT / "history" / f"nonfisik_jabar_{year}.xlsx",
                  f"DAK nonfisik BOKB {year}, 27 kabupaten/kota, months 1–12, clean workbook",
                  layout="clean", seed=seed)
            write(fisik, OUT / "history" / f"fisik_jabar_{year}.csv",
                  f"DAK fisik KB {year}, 27 kabupaten/kota, months 1–12, clean CSV",
                  layout="clean", seed=seed)
        elif year == 2022:
            write(nonfisik, OUT / "history" / f"nonfisik_jabar_{year}.xlsx",
                  f"DAK nonfisik BOKB {year}, months 1–12, title block and numbering row",
                  layout="clean", seed=seed, title=True, numbering_row=True,
                  name_form="kab_dot")
            write(fisik, OUT / "history" / f"fisik_jabar_{year}.xlsx",
                  f"DAK fisik KB {year}, months 1–12, title block, two-row header, dates as "
                  "Excel serial numbers", layout="clean", seed=seed, title=True,
                  two_row_header=True, date_form="serial")
        else:
            write(nonfisik, OUT / "history" / f"nonfisik_jabar_{year}.xlsx",
                  f"DAK nonfisik BOKB {year}, months 1–12, mildly messy single sheet",
                  layout="messy", seed=seed, sheet_per_region=False, footer=False,
                  numbers_as_text=False)
            write(fisik, OUT / "history" / f"fisik_jabar_{year}.xlsx",
                  f"DAK fisik KB {year}, months 1–12, mildly messy single sheet",
                  layout="messy", seed=seed + 100, sheet_per_region=False, footer=False)


# ======================================================================== faulty files
Plant = tuple[int, str, str, str]  # (frame row label, column, code, description)


def located(rowmap: pd.DataFrame, plants: list[Plant], file: str) -> list[dict[str, Any]]:
    where = rowmap.set_index("index")
    out = []
    for label, column, code, description in plants:
        out.append({"file": file, "sheet": where.at[label, C.SUMBER_SHEET],
                    "row": int(where.at[label, C.SUMBER_BARIS]), "column": column, "code": code,
                    "description": description})
    return out


def faulty_totals() -> list[dict[str, Any]]:
    """A: fisik CSV, one period, subtotals and a grand total that does not add up."""
    frame = make_export("fisik", year=2024, months=[6], regions=["32.01", "32.09", "32.74"],
                        seed=DATA_SEED)
    adjust = 1_000_000.0
    path = OUT / "faulty" / "fisik_2024_06_total_salah.csv"
    rowmap = write(frame, path, "DAK fisik KB, 3 regions, June 2024, subtotals and a grand "
                   "total whose realisasi is Rp 1.000.000 too high", layout="messy", seed=41,
                   sep=";", encoding="cp1252", title=True, units="ribuan", subtotals=True,
                   grand_total=True, total_label="TOTAL", total_adjust={C.REALISASI: adjust},
                   footer=True)
    total = [t for t in rowmap.attrs["total_rows"] if t["level"] == "total"]
    assert len(total) == 1
    return [{"file": f"faulty/{path.name}", "sheet": "", "row": total[0]["row"],
             "column": C.REALISASI, "code": "total-mismatch",
             "description": "grand total realisasi is Rp 1.000.000 more than the sum of the data "
                            "rows (the subtotals are right)"}]


def faulty_nonfisik() -> list[dict[str, Any]]:
    """B: nonfisik CSV, April–June, row-level mistakes."""
    frame = make_export("nonfisik", year=2024, months=[4, 5, 6], regions=["32.05", "32.11",
                                                                          "32.79"],
                        seed=DATA_SEED)
    frame[C.PAGU] = frame[C.PAGU].astype(float)
    key = item_key(frame)
    month = frame[C.PERIODE].dt.month
    items = {code: list(dict.fromkeys(key[frame[C.KODE_WILAYAH] == code]))
             for code in ("32.05", "32.11", "32.79")}

    def row(item: str, m: int) -> int:
        hit = frame.index[(key == item) & (month == m)]
        assert len(hit) == 1
        return int(hit[0])

    plants: list[Plant] = []
    frame = frame.astype({C.REALISASI: object})
    # 1. realisasi above pagu (June, the last period), percent consistent
    r = row(items["32.05"][0], 6)
    frame.loc[r, C.REALISASI] = round(frame.loc[r, C.PAGU] * 1.042)
    recompute_persen(frame, [r])
    plants.append((r, C.REALISASI, "realisasi-above-pagu",
                   "realisasi is 104.2 % of pagu (printed % matches)"))
    # 2. printed percent disagrees with realisasi / pagu (May)
    r = row(items["32.05"][1], 5)
    p = float(frame.loc[r, C.PERSEN_REALISASI])
    frame.loc[r, C.PERSEN_REALISASI] = round(p + 10 if p < 85 else p - 10, 2)
    plants.append((r, C.PERSEN_REALISASI, "persen-mismatch",
                   f"printed % is {frame.loc[r, C.PERSEN_REALISASI]} but realisasi/pagu is {p}"))
    # 3. cumulative realisasi falls in June (last period)
    item = next(i for i in items["32.11"] if float(frame.loc[row(i, 5), C.REALISASI]) > 0)
    r5, r6 = row(item, 5), row(item, 6)
    frame.loc[r6, C.REALISASI] = float(frame.loc[r5, C.REALISASI]) - round(
        0.1 * float(frame.loc[r5, C.REALISASI]))
    recompute_persen(frame, [r6])
    plants.append((r6, C.REALISASI, "realisasi-decreased",
                   "June realisasi is 10 % below May's for the same item (May row is fine)"))
    # 5. unparseable number in realisasi (June)
    item_u = next(i for i in items["32.11"] if i != item)
    r = row(item_u, 6)
    true = float(frame.loc[r, C.REALISASI])
    typed = f"{round(true):,}".replace(",", ".")[:-1]
    frame.loc[r, C.REALISASI] = typed
    plants.append((r, C.REALISASI, "unparseable-number",
                   f"realisasi typed as {typed!r} (a digit missing: grouping broken)"))
    # 6. magnitude outlier: three zeros typed too many (June) -> also above pagu
    r = row(items["32.05"][2], 6)
    frame.loc[r, C.REALISASI] = float(frame.loc[r, C.REALISASI]) * 1000
    recompute_persen(frame, [r])
    plants.append((r, C.REALISASI, "magnitude-outlier",
                   "realisasi typed with three extra zeros (about 500 x pagu)"))
    plants.append((r, C.REALISASI, "realisasi-above-pagu",
                   "the same typo puts realisasi far above pagu (printed % matches)"))
    # 7. name of another region with a valid code (May)
    r = row(items["32.79"][1], 5)
    frame.loc[r, C.NAMA_WILAYAH] = "Kota Tasikmalaya"
    plants.append((r, C.NAMA_WILAYAH, "region-name-mismatch",
                   "code 32.79 (Kota Banjar) written with the name Kota Tasikmalaya (32.78)"))
    # 8. pagu raised from May on, without explanation
    item_p = items["32.79"][2]
    rows_p = [row(item_p, 5), row(item_p, 6)]
    new_pagu = round(float(frame.loc[rows_p[0], C.PAGU]) * 1.1 / 1000) * 1000
    frame.loc[rows_p, C.PAGU] = new_pagu
    recompute_persen(frame, rows_p)
    plants.append((rows_p[0], C.PAGU, "pagu-changed",
                   "pagu 10 % higher from May than in April (June equals May)"))
    # 4. duplicated row: an April row repeated right after itself; 9. a region code that
    # does not exist: one extra row after the last June row
    r_dup = row(items["32.11"][-1], 4)
    extra = frame.loc[[row(items["32.05"][-1], 6)]].copy()
    extra[C.KODE_WILAYAH] = "32.19"
    extra[C.NAMA_WILAYAH] = "Kabupaten Garut Selatan"
    extra[C.OPD] = "DPPKB Kab. Garut Selatan"
    last_june = int(frame.index[month == 6][-1])
    pieces: list[pd.DataFrame] = []
    tags: list[tuple[str, int]] = []
    for label in frame.index:
        pieces.append(frame.loc[[label]])
        tags.append(("orig", int(label)))
        if label == r_dup:
            pieces.append(frame.loc[[label]])
            tags.append(("dup", int(label)))
        if label == last_june:
            pieces.append(extra)
            tags.append(("unknown", -1))
    planted_items = [key[lab] for lab, *_ in plants] + [key[r_dup]]
    planted_items += [key[row(items["32.05"][-1], 6)]]
    # one planted mistake per item, except the typo that is two codes on one row
    assert len(set(planted_items)) == len(planted_items) - 1, planted_items
    out = pd.concat(pieces, ignore_index=True)
    position = {tag: i for i, tag in enumerate(tags)}
    plants = [(position[("orig", lab)], col, code, desc) for lab, col, code, desc in plants]
    plants.append((position[("dup", r_dup)], "", "duplicate-row",
                   "exact copy of the row above (the first occurrence is not a mistake)"))
    plants.append((position[("unknown", -1)], C.KODE_WILAYAH, "unknown-region",
                   "code 32.19 'Kab. Garut Selatan' does not exist"))
    path = OUT / "faulty" / "nonfisik_2024_apr-jun.csv"
    rowmap = write(out, path, "DAK nonfisik BOKB, 3 regions, April–June 2024, row-level "
                   "mistakes", layout="messy", seed=42, sep=",", encoding="utf-8-sig",
                   title=True, two_row_header=True, numbering_row=True, units="rupiah",
                   money_prefix="", money_suffix="", zero_as_dash=True, percent_form="text_pct",
                   group_headers=False, blank_rows=False, footer=True, code_form="compact",
                   name_form="kab_dot")
    return located(rowmap, plants, f"faulty/{path.name}")


def _find(frame: pd.DataFrame, mask: pd.Series, used: set[str], key: pd.Series) -> int:
    hits = frame.index[mask & ~key.isin(used)]
    assert len(hits), "no row fits the planted mistake"
    label = int(hits[0])
    used.add(key[label])
    return label


def faulty_fisik() -> list[dict[str, Any]]:
    """C: fisik XLSX, May–July, one sheet per region, procurement mistakes."""
    regions = ["32.04", "32.14", "32.71"]
    frame = make_export("fisik", year=2024, months=[5, 6, 7], regions=regions, seed=DATA_SEED)
    frame = frame.astype({C.TANGGAL_KONTRAK: object, C.STATUS_PENGADAAN: object})
    key = item_key(frame)
    month = frame[C.PERIODE].dt.month
    contracted = frame[C.NOMOR_KONTRAK].notna()
    july = month == 7
    used: set[str] = set()
    plants: list[Plant] = []
    # contract date after the report period: an item contracted in June, its May row
    june_dates = frame[C.TANGGAL_KONTRAK].map(
        lambda v: isinstance(v, pd.Timestamp) and v.month == 6)
    june_items = set(key[(month == 6) & june_dates])
    r = _find(frame, (month == 5) & key.isin(june_items) & (frame[C.REALISASI] == 0), used, key)
    src = frame.index[(key == key[r]) & (month == 6)][0]
    for col in (C.NOMOR_KONTRAK, C.TANGGAL_KONTRAK, C.NILAI_KONTRAK):
        frame.loc[r, col] = frame.loc[src, col]
    frame.loc[r, C.STATUS_PENGADAAN] = "Kontrak"
    plants.append((r, C.TANGGAL_KONTRAK, "contract-date-after-period",
                   f"May report shows a contract dated {frame.loc[r, C.TANGGAL_KONTRAK]:%d/%m/%Y}"))
    # contract value above pagu (July)
    r = _find(frame, july & contracted, used, key)
    frame.loc[r, C.NILAI_KONTRAK] = round(float(frame.loc[r, C.PAGU]) * 1.08 / 1000) * 1000
    plants.append((r, C.NILAI_KONTRAK, "kontrak-above-pagu", "nilai kontrak is 108 % of pagu"))
    # contract dated in the previous year (July)
    r = _find(frame, july & contracted, used, key)
    frame.loc[r, C.TANGGAL_KONTRAK] = pd.Timestamp(2023, 11, 15)
    plants.append((r, C.TANGGAL_KONTRAK, "contract-date-outside-year",
                   "tanggal kontrak 15/11/2023 in the 2024 report"))
    # spending on a tendered / e-purchased item with no contract (July)
    swakelola = frame[C.METODE_PENGADAAN] == "Swakelola"
    r = _find(frame, july & ~contracted & ~swakelola & (frame[C.REALISASI] == 0), used, key)
    frame.loc[r, C.REALISASI] = round(0.15 * float(frame.loc[r, C.PAGU]))
    frame.loc[r, C.STATUS_PENGADAAN] = "Proses Pengadaan"
    recompute_persen(frame, [r])
    plants.append((r, C.REALISASI, "spending-without-contract",
                   f"realisasi 15 % of pagu on a {frame.loc[r, C.METODE_PENGADAAN]} item with no "
                   "contract"))
    # status says nothing started while a contract exists (July)
    r = _find(frame, july & contracted, used, key)
    frame.loc[r, C.STATUS_PENGADAAN] = "Belum Proses"
    plants.append((r, C.STATUS_PENGADAAN, "status-inconsistent",
                   "status 'Belum Proses' although the contract number, date and value exist"))
    # physical progress above 100 % (July)
    r = _find(frame, july & contracted, used, key)
    frame.loc[r, C.PERSEN_REALISASI_FISIK] = 120.0
    plants.append((r, C.PERSEN_REALISASI_FISIK, "realisasi-fisik-out-of-range",
                   "realisasi fisik 120 %"))
    # transfers above pagu (July)
    r = _find(frame, july & contracted, used, key)
    frame.loc[r, C.PENYALURAN] = round(float(frame.loc[r, C.PAGU]) * 1.25)
    plants.append((r, C.PENYALURAN, "penyaluran-above-pagu", "penyaluran is 125 % of pagu"))
    # an impossible date (July)
    r = _find(frame, july & contracted, used, key)
    frame.loc[r, C.TANGGAL_KONTRAK] = "31/02/2024"
    plants.append((r, C.TANGGAL_KONTRAK, "unparseable-date", "tanggal kontrak '31/02/2024'"))
    path = OUT / "faulty" / "fisik_2024_mei-jul.xlsx"
    rowmap = write(frame, path, "DAK fisik KB, 3 regions, May–July 2024, one sheet per region, "
                   "procurement mistakes", layout="messy", seed=43, sheet_per_region=True,
                   title=True, date_form="date_cell", numbers_as_text=False)
    return located(rowmap, plants, f"faulty/{path.name}")


# ==================================================================== packaged samples
def make_package_samples() -> None:
    regions = ["32.04", "32.73", "32.79"]
    PKG.mkdir(parents=True, exist_ok=True)
    nonfisik = make_export("nonfisik", year=2024, months=range(1, 7), regions=regions,
                           seed=DATA_SEED)
    write_export(nonfisik, PKG / "nonfisik_3kab_2024_clean.csv", layout="clean")
    june = nonfisik[nonfisik[C.PERIODE].dt.month == 6].reset_index(drop=True)
    write_export(june, PKG / "nonfisik_3kab_2024_06_messy.xlsx", layout="messy", seed=51,
                 title=True, two_row_header=True, numbering_row=True, subtotals=True,
                 grand_total=True, group_headers=True, footer=True)
    fisik = make_export("fisik", year=2024, months=[6], regions=regions, seed=DATA_SEED,
                        messy=True)
    write_export(fisik, PKG / "fisik_3kab_2024_06_messy.csv", layout="messy", seed=52,
                 sep=";", encoding="cp1252", title=True, units="ribuan")


# ============================================================================ README
def describe_options(options: dict[str, Any]) -> str:
    o = options
    parts = []
    if o.get("sheet_per_region"):
        parts.append("one sheet per kabupaten/kota")
    elif "sheet_name" in o:
        parts.append(f"one sheet {o['sheet_name']!r}")
    if "sep" in o:
        enc = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}
        ends = "CRLF" if o["line_terminator"] == "\r\n" else "LF"
        parts.append(f"separator {o['sep']!r}, {enc[o['encoding']]}, {ends}")
    parts.append("title block" if o["title"] else "no title block")
    if not o["period_columns"]:
        parts.append("tahun/periode only in the title")
    parts.append("two-row merged header" if o["two_row_header"] else "one header row")
    parts.append("alias header spellings (case, line breaks, double spaces, (Rp))"
                 if o["header_style"] == "varied" else "standard headers")
    if o["numbering_row"]:
        parts.append("numbering row")
    if o["units"] == "ribuan":
        parts.append("money in thousands")
    if o.get("numbers_as_text"):
        parts.append("numbers stored as text")
    money = o["money_prefix"] + "1.234.567" + o["money_suffix"]
    parts.append(f"money like {money!r}" + (", zero as '-'" if o["zero_as_dash"] else ""))
    forms = sorted(set(o["percent_form"].values()))
    parts.append("percents as " + "/".join(forms))
    if "date_form" in o:
        parts.append(f"dates {o['date_form']}")
    parts.append(f"periode {o['periode_form']}")
    parts.append(f"codes {o['code_form']}")
    parts.append(f"names {o['name_form']}")
    for flag, text in (("group_headers", "group header rows"), ("subtotals", "subtotals"),
                       ("grand_total", f"grand total {o['total_label']!r}"),
                       ("blank_rows", "blank rows between regions"),
                       ("footer", "notes and signature block")):
        if o[flag] and not (flag == "grand_total" and o.get("sheet_per_region")):
            parts.append(text)
    if o["drop_columns"]:
        parts.append("without " + ", ".join(o["drop_columns"]))
    return "; ".join(parts)


def write_readme(planted: pd.DataFrame) -> None:
    arch = region_archetypes(seed=DATA_SEED)
    arch.to_csv(OUT / "archetypes.csv", index=False)
    lines = [
        "# data_samples: synthetic Morena-style exports",
        "",
        "**All data here are synthetic.** They imitate the shapes described in "
        "`GLOSSARY.md` (BOKB ~45 % by June and ~95 % at year end; DAK fisik ~10 % by June, a "
        "jump in July, ~94 % at year end; items with no contract by the July deadline lost) "
        "but describe no real office, name or contract.",
        "",
        "Made by `python scripts/make_samples.py` (deterministic: running it again gives "
        f"byte-identical files) with `dak_monitor.datasets.make_export(..., seed={DATA_SEED})` "
        "for the data and `write_export(..., seed=...)` for the layout (seed per file below). "
        "The script also writes the packaged samples in `src/dak_monitor/data/`.",
        "",
        "## Folders",
        "",
        "- `current/`: fiscal year 2024, January–June, both kinds, the 27 kabupaten/kota of "
        "Jawa Barat, messy real-world layouts, **no data mistakes**. BOKB in one workbook "
        "(January–June); DAK fisik as one file per month (January–May XLSX, June a "
        "Windows-1252 CSV; the period only in their title blocks).",
        "- `history/`: 2021, 2022, 2023, months 1–12, both kinds, one file per year and kind, "
        "clean or mildly messy, **no data mistakes**. Use them to backtest projections.",
        "- `faulty/`: small exports with data mistakes planted at known rows; "
        "`faulty/planted.csv` lists them (`file,sheet,row,column,code,description`, `row` = the "
        "row Excel shows or the line a text editor shows; one line per code when a row carries "
        "two). Apart from the planted cells the data are correct. Note that `planted.csv` "
        "itself sits in that folder and is not an export.",
        "- `archetypes.csv`: the table below.",
        "",
        "## Files and their decorations",
        "",
        "| file | what | rows | decorations |",
        "|---|---|---|---|",
    ]
    for rel, description, rowmap in MANIFEST:
        lines.append(f"| `{rel.removeprefix('data_samples/')}` | {description} | "
                     f"{len(rowmap)} | {describe_options(rowmap.attrs['options'])} |")
    lines += [
        "",
        "Free text (`keterangan`) in `current/` contains awkward but correct cells: leading "
        "`=`, `+`, `-`, `@`, a line break inside a cell, a long text, and characters such as "
        "`é`, `½`, `±`, `—`, curly quotes. A blank money cell means missing (e.g. no contract "
        "yet); `-` means zero.",
        "",
        "## Office archetypes (seed 0)",
        "",
        "The same in every year: `early` and `typical` offices end around 93–99 %; `late` "
        "ones are a month or two behind and end lower; `stalled` ones stop spending part-way "
        "(BOKB ~60 %, DAK fisik often 50–80 %); `never-contracts` ones sign no DAK fisik "
        "contract by the deadline (DAK fisik ~0 %, only swakelola) and spend BOKB late and "
        "partly (~80 %). A flagging rule should find the last three kinds.",
        "",
        "| kode_wilayah | nama_wilayah | archetype |",
        "|---|---|---|",
    ]
    for r in arch.itertuples(index=False):
        lines.append(f"| {r.kode_wilayah} | {r.nama_wilayah} | {r.archetype} |")
    lines += ["", "## Planted mistakes (`faulty/planted.csv`)", "",
              "| file | sheet | row | column | code |", "|---|---|---|---|---|"]
    for r in planted.itertuples(index=False):
        lines.append(f"| {r.file} | {r.sheet} | {r.row} | {r.column} | {r.code} |")
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    for sub in ("current", "history", "faulty"):
        shutil.rmtree(OUT / sub, ignore_errors=True)
    OUT.mkdir(exist_ok=True)
    make_current()
    make_history()
    planted = pd.DataFrame([*faulty_totals(), *faulty_nonfisik(), *faulty_fisik()])
    planted = planted.sort_values(["file", "sheet", "row", "code"], kind="stable")
    missing = set(PLANTED_CODES) - set(planted["code"])
    assert not missing, missing
    planted.to_csv(OUT / "faulty" / "planted.csv", index=False, lineterminator="\n")
    make_package_samples()
    write_readme(planted)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {len(MANIFEST)} exports, {len(planted)} planted mistakes, "
          f"{total / 1e6:.2f} MB in {OUT.relative_to(ROOT)}/")
    if total >= 5e6:
        raise SystemExit("data_samples must stay well under 5 MB")


if __name__ == "__main__":
    main()
