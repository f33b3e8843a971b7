"""The sample exports: the few files shipped with the package, and ``data_samples/``.

* :func:`sample_export_path` and :func:`load_sample_export` give the packaged samples
  (:data:`SAMPLE_EXPORTS`).
* :func:`write_samples` writes the repository's ``data_samples/`` folder (and, when asked, the
  packaged samples): synthetic current, history and faulty exports with their README. It is
  what ``scripts/make_samples.py`` runs. The data are :func:`~dak_monitor.datasets.make_export`
  with seed 0; each file has its own layout seed, so a file's layout does not depend on the
  others, and a decoration's draws on no other decoration (see
  :mod:`dak_monitor.datasets.options`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from .._vocab import columns as C
from .simulate import make_export, region_archetypes
from .write import write_export

if TYPE_CHECKING:
    from .._reader import Export

__all__ = ["SAMPLE_EXPORTS", "load_sample_export", "sample_export_path", "write_samples"]

#: Names of the packaged sample exports (see :func:`load_sample_export`).
SAMPLE_EXPORTS: Final = ("fisik_messy_csv", "nonfisik_clean_csv", "nonfisik_messy_xlsx")

_SAMPLE_FILES: Final = {
    "fisik_messy_csv": "fisik_3kab_2024_06_messy.csv",
    "nonfisik_clean_csv": "nonfisik_3kab_2024_clean.csv",
    "nonfisik_messy_xlsx": "nonfisik_3kab_2024_06_messy.xlsx",
}

#: Seed of the data of every sample (archetypes, office effects, year shocks, items, curves).
_DATA_SEED: Final = 0


# ==================================================================== packaged samples
def sample_export_path(name: str) -> Path:
    """Return the path of a packaged sample export.

    Parameters
    ----------
    name : str
        One of :data:`SAMPLE_EXPORTS`: ``"nonfisik_clean_csv"`` (3 regions, January–June 2024,
        clean CSV), ``"nonfisik_messy_xlsx"`` (3 regions, June 2024, title block, two-row
        header, subtotals, totals, signature) or ``"fisik_messy_csv"`` (3 regions, June 2024,
        ``;`` Windows-1252 CSV with a title block and values in thousands).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For an unknown name.

    Examples
    --------
    >>> from dak_monitor.datasets import SAMPLE_EXPORTS, sample_export_path
    >>> [sample_export_path(n).suffix for n in SAMPLE_EXPORTS]
    ['.csv', '.csv', '.xlsx']
    """
    if name not in _SAMPLE_FILES:
        msg = f"unknown sample export {name!r}; available: {list(SAMPLE_EXPORTS)}"
        raise ValueError(msg)
    return Path(str(resources.files("dak_monitor").joinpath("data", _SAMPLE_FILES[name])))


def load_sample_export(name: str) -> Export:
    """Read a packaged sample export with :func:`dak_monitor.read_export`.

    The samples are synthetic (made by ``scripts/make_samples.py`` with :func:`make_export`
    and :func:`write_export`); see :func:`sample_export_path` for what each holds.

    Parameters
    ----------
    name : str
        One of :data:`SAMPLE_EXPORTS`.

    Returns
    -------
    Export
        What :func:`dak_monitor.read_export` returns for the file.

    Examples
    --------
    >>> from dak_monitor.datasets import load_sample_export
    >>> export = load_sample_export("nonfisik_clean_csv")  # doctest: +SKIP
    >>> export.data["kode_wilayah"].nunique()  # doctest: +SKIP
    3
    """
    from .._reader import read_export

    return read_export(sample_export_path(name))


# ======================================================================== data_samples
def write_samples(out: str | os.PathLike[str], *,
                  package: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Write the synthetic ``data_samples/`` folder: current, history and faulty exports.

    Writes into ``out``:

    * ``current/``: fiscal year 2024, January–June, both kinds, the 27 kabupaten/kota of
      Jawa Barat, messy layouts, no data mistakes;
    * ``history/``: 2021–2023, months 1–12, both kinds, one file per year and kind;
    * ``faulty/``: small exports with data mistakes planted at known rows, listed in
      ``faulty/planted.csv`` (file, sheet, row, column, code, description);
    * ``archetypes.csv`` (:func:`~dak_monitor.datasets.region_archetypes` of seed 0) and
      ``README.md`` (what each file is and which decorations it carries).

    The folders ``current``, ``history`` and ``faulty`` of ``out`` are emptied first; nothing
    else in ``out`` is touched. The result is deterministic: writing twice gives
    byte-identical files.

    Parameters
    ----------
    out : str or path-like
        Target folder (created if needed), e.g. the repository's ``data_samples``.
    package : str or path-like, optional
        Folder of the packaged samples (:data:`SAMPLE_EXPORTS`) to write as well, e.g.
        ``src/dak_monitor/data`` of a source checkout.

    Returns
    -------
    DataFrame
        One row per export written: ``file`` (relative to ``out``), ``description``,
        ``rows`` (data rows) and ``decorations`` (as in the README).
        ``attrs["planted"]`` holds the planted-mistakes table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from dak_monitor.datasets import write_samples
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "data_samples"
    >>> manifest = write_samples(out)
    >>> sorted(p.name for p in out.iterdir())
    ['README.md', 'archetypes.csv', 'current', 'faulty', 'history']
    >>> manifest["file"].str.split("/").str[0].value_counts().to_dict()
    {'current': 7, 'history': 6, 'faulty': 3}
    """
    b = _Build(Path(out))
    for sub in ("current", "history", "faulty"):
        shutil.rmtree(b.out / sub, ignore_errors=True)
    b.out.mkdir(parents=True, exist_ok=True)
    _make_current(b)
    _make_history(b)
    planted = pd.DataFrame([*_faulty_totals(b), *_faulty_nonfisik(b), *_faulty_fisik(b)])
    planted = planted.sort_values(["file", "sheet", "row", "code"], kind="stable")
    missing = set(_PLANTED_CODES) - set(planted["code"])
    if missing:  # pragma: no cover - a change of the generator lost a planted mistake
        msg = f"write_samples: no row could carry the planted mistake(s) {sorted(missing)}"
        raise RuntimeError(msg)
    planted.to_csv(b.out / "faulty" / "planted.csv", index=False, lineterminator="\n")
    if package is not None:
        _write_package_samples(Path(package))
    _write_readme(b, planted)
    manifest = pd.DataFrame(
        [(rel, description, len(rowmap), _describe_options(rowmap.attrs["options"]))
         for rel, description, rowmap in b.manifest],
        columns=["file", "description", "rows", "decorations"])
    manifest.attrs["planted"] = planted.reset_index(drop=True)
    return manifest


_PLANTED_CODES: Final = (
    "realisasi-above-pagu", "persen-mismatch", "realisasi-decreased", "duplicate-row",
    "unknown-region", "region-name-mismatch", "pagu-changed", "total-mismatch",
    "magnitude-outlier", "unparseable-number", "unparseable-date", "kontrak-above-pagu",
    "contract-date-outside-year", "contract-date-after-period", "spending-without-contract",
    "status-inconsistent", "realisasi-fisik-out-of-range", "penyaluran-above-pagu",
)


@dataclass
class _Build:
    """The folder being written and what each file in it is, for its README."""

    out: Path
    #: (path relative to ``out``, description, row map) of every export written.
    manifest: list[tuple[str, str, pd.DataFrame]] = field(default_factory=list)

    def write(self, frame: pd.DataFrame, path: Path, description: str, *, layout: str,
              seed: int, **options: Any) -> pd.DataFrame:
        path.parent.mkdir(parents=True, exist_ok=True)
        rowmap = write_export(frame, path, layout=layout, seed=seed, **options)
        rel = path.relative_to(self.out).as_posix()
        self.manifest.append((rel, f"{description} (layout={layout!r}, seed={seed})", rowmap))
        return rowmap


def _item_key(frame: pd.DataFrame) -> pd.Series:
    return (frame[C.KODE_WILAYAH].astype(str) + "|" + frame[C.MENU].astype(str) + "|"
            + frame[C.RINCIAN].astype(object).fillna("").astype(str))


def _recompute_persen(frame: pd.DataFrame, rows: Sequence[int]) -> None:
    for r in rows:
        frame.loc[r, C.PERSEN_REALISASI] = round(
            100 * float(frame.loc[r, C.REALISASI]) / float(frame.loc[r, C.PAGU]), 2)


# ================================================================= current and history
def _make_current(b: _Build) -> None:
    nonfisik = make_export("nonfisik", year=2024, months=range(1, 7), seed=_DATA_SEED, messy=True)
    b.write(nonfisik, b.out / "current" / "nonfisik_jabar_2024_jan-jun.xlsx",
          "DAK nonfisik BOKB, 27 kabupaten/kota, January–June 2024 in one workbook, one sheet "
          "per kabupaten/kota", layout="messy", seed=11, sheet_per_region=True, title=True,
          two_row_header=True)
    fisik = make_export("fisik", year=2024, months=range(1, 7), seed=_DATA_SEED, messy=True)
    for month in range(1, 6):
        part = fisik[fisik[C.PERIODE].dt.month == month].reset_index(drop=True)
        b.write(part, b.out / "current" / f"fisik_jabar_2024_{month:02d}.xlsx",
              f"DAK fisik KB, 27 kabupaten/kota, position at the end of month {month} of 2024; "
              "tahun/periode only in the title block", layout="messy", seed=20 + month,
              period_columns=False)
    june = fisik[fisik[C.PERIODE].dt.month == 6].reset_index(drop=True)
    b.write(june, b.out / "current" / "fisik_jabar_2024_06.csv",
          "DAK fisik KB, 27 kabupaten/kota, position at 30 June 2024, Windows-1252 CSV",
          layout="messy", seed=26, sep=";", encoding="cp1252", title=True, subtotals=True,
          grand_total=True, group_headers=True, footer=True)


def _make_history(b: _Build) -> None:
    for year, seed in ((2021, 31), (2022, 32), (2023, 33)):
        nonfisik = make_export("nonfisik", year=year, seed=_DATA_SEED)
        fisik = make_export("fisik", year=year, seed=_DATA_SEED)
        if year == 2021:
            b.write(nonfisik, b.out / "history" / f"nonfisik_jabar_{year}.xlsx",
                  f"DAK nonfisik BOKB {year}, 27 kabupaten/kota, months 1–12, clean workbook",
                  layout="clean", seed=seed)
            b.write(fisik, b.out / "history" / f"fisik_jabar_{year}.csv",
                  f"DAK fisik KB {year}, 27 kabupaten/kota, months 1–12, clean CSV",
                  layout="clean", seed=seed)
        elif year == 2022:
            b.write(nonfisik, b.out / "history" / f"nonfisik_jabar_{year}.xlsx",
                  f"DAK nonfisik BOKB {year}, months 1–12, title block and numbering row",
                  layout="clean", seed=seed, title=True, numbering_row=True,
                  name_form="kab_dot")
            b.write(fisik, b.out / "history" / f"fisik_jabar_{year}.xlsx",
                  f"DAK fisik KB {year}, months 1–12, title block, two-row header, dates as "
                  "Excel serial numbers", layout="clean", seed=seed, title=True,
                  two_row_header=True, date_form="serial")
        else:
            b.write(nonfisik, b.out / "history" / f"nonfisik_jabar_{year}.xlsx",
                  f"DAK nonfisik BOKB {year}, months 1–12, mildly messy single sheet",
                  layout="messy", seed=seed, sheet_per_region=False, footer=False,
                  numbers_as_text=False)
            b.write(fisik, b.out / "history" / f"fisik_jabar_{year}.xlsx",
                  f"DAK fisik KB {year}, months 1–12, mildly messy single sheet",
                  layout="messy", seed=seed + 100, sheet_per_region=False, footer=False)


# ======================================================================== faulty files
_Plant = tuple[int, str, str, str]  # (frame row label, column, code, description)


def _located(rowmap: pd.DataFrame, plants: list[_Plant], file: str) -> list[dict[str, Any]]:
    where = rowmap.set_index("index")
    out = []
    for label, column, code, description in plants:
        out.append({"file": file, "sheet": where.at[label, C.SUMBER_SHEET],
                    "row": int(where.at[label, C.SUMBER_BARIS]), "column": column, "code": code,
                    "description": description})
    return out


def _faulty_totals(b: _Build) -> list[dict[str, Any]]:
    """A: fisik CSV, one period, subtotals and a grand total that does not add up."""
    frame = make_export("fisik", year=2024, months=[6], regions=["32.01", "32.09", "32.74"],
                        seed=_DATA_SEED)
    adjust = 1_000_000.0
    path = b.out / "faulty" / "fisik_2024_06_total_salah.csv"
    rowmap = b.write(frame, path, "DAK fisik KB, 3 regions, June 2024, subtotals and a grand "
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


def _faulty_nonfisik(b: _Build) -> list[dict[str, Any]]:
    """B: nonfisik CSV, April–June, row-level mistakes."""
    frame = make_export("nonfisik", year=2024, months=[4, 5, 6], regions=["32.05", "32.11",
                                                                          "32.79"],
                        seed=_DATA_SEED)
    frame[C.PAGU] = frame[C.PAGU].astype(float)
    key = _item_key(frame)
    month = frame[C.PERIODE].dt.month
    items = {code: list(dict.fromkeys(key[frame[C.KODE_WILAYAH] == code]))
             for code in ("32.05", "32.11", "32.79")}

    def row(item: str, m: int) -> int:
        hit = frame.index[(key == item) & (month == m)]
        assert len(hit) == 1
        return int(hit[0])

    plants: list[_Plant] = []
    frame = frame.astype({C.REALISASI: object})
    # 1. realisasi above pagu (June, the last period), percent consistent
    r = row(items["32.05"][0], 6)
    frame.loc[r, C.REALISASI] = round(frame.loc[r, C.PAGU] * 1.042)
    _recompute_persen(frame, [r])
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
    _recompute_persen(frame, [r6])
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
    _recompute_persen(frame, [r])
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
    _recompute_persen(frame, rows_p)
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
    path = b.out / "faulty" / "nonfisik_2024_apr-jun.csv"
    rowmap = b.write(out, path, "DAK nonfisik BOKB, 3 regions, April–June 2024, row-level "
                   "mistakes", layout="messy", seed=42, sep=",", encoding="utf-8-sig",
                   title=True, two_row_header=True, numbering_row=True, units="rupiah",
                   money_prefix="", money_suffix="", zero_as_dash=True, percent_form="text_pct",
                   group_headers=False, blank_rows=False, footer=True, code_form="compact",
                   name_form="kab_dot")
    return _located(rowmap, plants, f"faulty/{path.name}")


def _find(frame: pd.DataFrame, mask: pd.Series, used: set[str], key: pd.Series) -> int:
    hits = frame.index[mask & ~key.isin(used)]
    assert len(hits), "no row fits the planted mistake"
    label = int(hits[0])
    used.add(key[label])
    return label


def _faulty_fisik(b: _Build) -> list[dict[str, Any]]:
    """C: fisik XLSX, May–July, one sheet per region, procurement mistakes."""
    regions = ["32.04", "32.14", "32.71"]
    frame = make_export("fisik", year=2024, months=[5, 6, 7], regions=regions, seed=_DATA_SEED)
    frame = frame.astype({C.TANGGAL_KONTRAK: object, C.STATUS_PENGADAAN: object})
    key = _item_key(frame)
    month = frame[C.PERIODE].dt.month
    contracted = frame[C.NOMOR_KONTRAK].notna()
    july = month == 7
    used: set[str] = set()
    plants: list[_Plant] = []
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
    _recompute_persen(frame, [r])
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
    path = b.out / "faulty" / "fisik_2024_mei-jul.xlsx"
    rowmap = b.write(frame, path, "DAK fisik KB, 3 regions, May–July 2024, one sheet per region, "
                   "procurement mistakes", layout="messy", seed=43, sheet_per_region=True,
                   title=True, date_form="date_cell", numbers_as_text=False)
    return _located(rowmap, plants, f"faulty/{path.name}")


# ======================================================== packaged samples (writing)
def _write_package_samples(pkg: Path) -> None:
    regions = ["32.04", "32.73", "32.79"]
    pkg.mkdir(parents=True, exist_ok=True)
    nonfisik = make_export("nonfisik", year=2024, months=range(1, 7), regions=regions,
                           seed=_DATA_SEED)
    write_export(nonfisik, pkg / "nonfisik_3kab_2024_clean.csv", layout="clean")
    june = nonfisik[nonfisik[C.PERIODE].dt.month == 6].reset_index(drop=True)
    write_export(june, pkg / "nonfisik_3kab_2024_06_messy.xlsx", layout="messy", seed=51,
                 title=True, two_row_header=True, numbering_row=True, subtotals=True,
                 grand_total=True, group_headers=True, footer=True)
    fisik = make_export("fisik", year=2024, months=[6], regions=regions, seed=_DATA_SEED,
                        messy=True)
    write_export(fisik, pkg / "fisik_3kab_2024_06_messy.csv", layout="messy", seed=52,
                 sep=";", encoding="cp1252", title=True, units="ribuan")


# ============================================================================ README
def _describe_options(options: dict[str, Any]) -> str:
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


def _write_readme(b: _Build, planted: pd.DataFrame) -> None:
    arch = region_archetypes(seed=_DATA_SEED)
    arch.to_csv(b.out / "archetypes.csv", index=False)
    lines = [
        "# data_samples: synthetic Morena-style exports",
        "",
        "**All data here are synthetic.** They imitate the shapes described in "
        "`docs/glossary.md` (BOKB ~45 % by June and ~95 % at year end; DAK fisik ~10 % by June, a "
        "jump in July, ~94 % at year end; items with no contract by the July deadline lost) "
        "but describe no real office, name or contract.",
        "",
        "Made by `python scripts/make_samples.py` (that is "
        "`dak_monitor.datasets.write_samples`; deterministic: running it again gives "
        f"byte-identical files) with `dak_monitor.datasets.make_export(..., seed={_DATA_SEED})` "
        "for the data and `write_export(..., seed=...)` for the layout (seed per file below). "
        "The script also writes the packaged samples in `src/dak_monitor/data/`. Each "
        "decoration of a file (title block, header spellings, separators, ...) is drawn from "
        "a random stream of its own, keyed by the file's layout seed and the decoration's "
        "name, so a change to one decoration of the generator changes only that decoration "
        "here.",
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
        "itself sits in that folder and is not an export: reading the folder names it once as "
        "`file-not-read` (not a DAK export) and reads the others, as any stray file in a "
        "folder of exports is reported.",
        "- `july/`: the export of the same year one month later (January–July 2024, both "
        "kinds, clean XLSX: `july/nonfisik_jabar_2024_jan-jul.xlsx`, "
        "`july/fisik_jabar_2024_jan-jul.xlsx`; written by `write_monthly_samples`, layout "
        "seeds 71 and 72): `current/`'s figures except three BOKB "
        "items' June realisasi and one DAK fisik item's May realisasi revised, and one BOKB "
        "item's pagu raised 10 % in July (APBD-P). Report on it with `--previous "
        "data_samples/current` to see what changed.",
        "- `reporting/juni/` and `reporting/juli/`: four kabupaten's BOKB 2024 as downloaded "
        "at the end of June and of July (`reporting/juni/bokb_4kab_2024_jan-jun.csv`, "
        "`reporting/juli/bokb_4kab_2024_jan-jul.csv`, clean CSV, layout seeds 81 and 82), "
        "with the upload date (`Tgl Upload`): 32.01 sends "
        "nothing for July; 32.02 skips March (resubmitted 15/07/2024, late) and uploads April "
        "late (20/05/2024); 32.03's April is partial (its first menu missing); 32.04's May "
        "realisasi of one item is revised in the July download.",
        "- `archetypes.csv`: the table below.",
        "",
        "## Files and their decorations",
        "",
        "| file | what | rows | decorations |",
        "|---|---|---|---|",
    ]
    for rel, description, rowmap in b.manifest:
        lines.append(f"| `{rel}` | {description} | "
                     f"{len(rowmap)} | {_describe_options(rowmap.attrs['options'])} |")
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
    (b.out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ===================================================================== monthly samples
#: Seed of the monthly samples' own changes (which items are revised, upload days): a stream
#: of its own, so the data of every other sample stay as they are.
_MONTHLY_SEED: Final = 717
#: The kabupaten of ``reporting/``: (code, name, what it does).
REPORTING_OFFICES: Final = (
    ("32.01", "Kabupaten Bogor", "reports every month on time; sends nothing for July"),
    ("32.02", "Kabupaten Sukabumi", "skips March (resubmitted on 15/07/2024, late); April "
                                    "uploaded on 20/05/2024, late"),
    ("32.03", "Kabupaten Cianjur", "April partial: its first menu missing"),
    ("32.04", "Kabupaten Bandung", "May realisasi of one item revised in the July export"),
)


def write_monthly_samples(out: str | os.PathLike[str]) -> pd.DataFrame:
    """Write the monthly-workflow samples beside ``write_samples``' folders.

    * ``july/``: the export of the same year one month later than ``current/`` — fiscal
      year 2024, January–July, both kinds, the 27 kabupaten/kota, clean XLSX — with the
      changes a later download brings: three BOKB items' June realisasi and one DAK fisik
      item's May realisasi revised (each raised half-way to the next month's figure, so
      cumulative realisasi still never falls), and one BOKB item's pagu raised 10 % in July
      (APBD-P). Its January–June figures are otherwise ``current/``'s, so
      ``compare_reports`` of the two finds exactly these changes.
    * ``reporting/juni/`` and ``reporting/juli/``: four kabupaten's BOKB 2024 as downloaded
      at the end of June and of July, one CSV each, with the upload date (``Tgl Upload``);
      the offices skip, resubmit, revise and report late as :data:`REPORTING_OFFICES` says.

    The folders ``july`` and ``reporting`` of ``out`` are emptied first; nothing else is
    touched. Deterministic: the data are ``make_export(..., seed=0)`` as for every sample, the
    changes are drawn from a random stream of their own (seed :data:`_MONTHLY_SEED`).

    Returns
    -------
    DataFrame
        The changes made: ``file``, ``kode_wilayah``, ``menu``, ``rincian``, ``periode``,
        ``kolom``, ``lama``, ``baru`` (for the README and the tests).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from dak_monitor.datasets import write_monthly_samples
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> changes = write_monthly_samples(out)  # doctest: +SKIP
    >>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*"))  # doctest: +SKIP
    ['july/fisik_jabar_2024_jan-jul.xlsx', 'july/nonfisik_jabar_2024_jan-jul.xlsx', 'reporting/juli/bokb_4kab_2024_jan-jul.csv', 'reporting/juni/bokb_4kab_2024_jan-jun.csv']
    """
    base = Path(out)
    for sub in ("july", "reporting"):
        shutil.rmtree(base / sub, ignore_errors=True)
    rng = np.random.default_rng(_MONTHLY_SEED)
    changes: list[dict[str, Any]] = []
    (base / "july").mkdir(parents=True)
    for kind, n_revised, month in (("nonfisik", 3, 6), ("fisik", 1, 5)):
        frame = make_export(kind, year=2024, months=range(1, 8), seed=_DATA_SEED, messy=True)
        name = f"{kind}_jabar_2024_jan-jul.xlsx"
        changes += _revise(frame, rng, n_revised, month, f"july/{name}")
        if kind == "nonfisik":
            changes += _raise_pagu(frame, rng, name)
        write_export(frame, base / "july" / name, layout="clean",
                     seed=71 if kind == "nonfisik" else 72)
    changes += _write_reporting(base / "reporting", rng)
    return pd.DataFrame(changes, columns=["file", C.KODE_WILAYAH, C.MENU, C.RINCIAN,
                                          C.PERIODE, "kolom", "lama", "baru"])


def _revise(frame: pd.DataFrame, rng: Any, n: int, month: int, file: str,
            kode: str | None = None) -> list[dict[str, Any]]:
    """Raise ``n`` items' realisasi of ``month`` (of office ``kode``, or any) half-way to the
    next month's, in place; the changes made."""
    key = _item_key(frame)
    per = frame[C.PERIODE].dt.month
    mine = (frame[C.KODE_WILAYAH] == kode) if kode else pd.Series(True, index=frame.index)
    now = frame[(per == month) & mine].set_index(key[(per == month) & mine])
    nxt = frame[(per == month + 1) & mine].set_index(key[(per == month + 1) & mine])
    gap = (nxt[C.REALISASI] - now[C.REALISASI].reindex(nxt.index)).dropna()
    candidates = sorted(gap[gap >= 2_000_000].index)
    picked = sorted(rng.choice(len(candidates), size=n, replace=False))
    out = []
    for i in picked:
        item = candidates[i]
        row = frame.index[((key == item) & (per == month)).to_numpy()][0]
        old = float(frame.loc[row, C.REALISASI])
        new = old + round(float(gap[item]) / 2, -3)
        frame.loc[row, C.REALISASI] = new
        _recompute_persen(frame, [row])
        out.append({"file": file, C.KODE_WILAYAH: frame.loc[row, C.KODE_WILAYAH],
                    C.MENU: frame.loc[row, C.MENU], C.RINCIAN: frame.loc[row, C.RINCIAN],
                    C.PERIODE: f"2024-{month:02d}", "kolom": C.REALISASI, "lama": old,
                    "baru": new})
    return out


def _raise_pagu(frame: pd.DataFrame, rng: Any, name: str) -> list[dict[str, Any]]:
    """One item's July pagu raised 10 % (an APBD-P), in place."""
    july = np.flatnonzero((frame[C.PERIODE].dt.month == 7).to_numpy())
    row = int(july[rng.integers(len(july))])
    old = float(frame.loc[row, C.PAGU])
    new = round(old * 1.1, -3)
    frame.loc[row, C.PAGU] = new
    _recompute_persen(frame, [row])
    return [{"file": f"july/{name}", C.KODE_WILAYAH: frame.loc[row, C.KODE_WILAYAH],
             C.MENU: frame.loc[row, C.MENU], C.RINCIAN: frame.loc[row, C.RINCIAN],
             C.PERIODE: "2024-07", "kolom": C.PAGU, "lama": old, "baru": new}]


def _write_reporting(folder: Path, rng: Any) -> list[dict[str, Any]]:
    codes = [c for c, _n, _w in REPORTING_OFFICES]
    frame = make_export("nonfisik", year=2024, months=range(1, 8), regions=codes,
                        seed=_DATA_SEED)
    month = frame[C.PERIODE].dt.month
    kode = frame[C.KODE_WILAYAH]
    # On time: a day between the 2nd and the 9th of the next month, per office and month.
    day = {(k, m): int(rng.integers(2, 10)) for k in codes for m in range(1, 8)}
    frame[C.TANGGAL_LAPOR] = [pd.Timestamp(2024, m + 1, day[(k, m)])
                              for k, m in zip(kode, month, strict=True)]
    frame.loc[(kode == "32.02") & (month == 4), C.TANGGAL_LAPOR] = pd.Timestamp(2024, 5, 20)
    frame.loc[(kode == "32.02") & (month == 3), C.TANGGAL_LAPOR] = pd.Timestamp(2024, 7, 15)
    first_menu = sorted(frame.loc[kode == "32.03", C.MENU].unique())[0]
    partial = (kode == "32.03") & (month == 4) & (frame[C.MENU] == first_menu)
    juni = frame[(month <= 6) & ~((kode == "32.02") & (month == 3)) & ~partial]
    juli = frame[~((kode == "32.01") & (month == 7)) & ~partial].reset_index(drop=True)
    name = "bokb_4kab_2024_jan-jul.csv"
    changes = _revise(juli, rng, 1, 5, f"reporting/juli/{name}", kode="32.04")
    (folder / "juni").mkdir(parents=True)
    (folder / "juli").mkdir(parents=True)
    write_export(juni.reset_index(drop=True), folder / "juni" / "bokb_4kab_2024_jan-jun.csv",
                 layout="clean", seed=81)
    write_export(juli, folder / "juli" / name, layout="clean", seed=82)
    return changes
