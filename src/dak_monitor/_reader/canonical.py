"""The canonical frame: a sheet's cells parsed into the DAK columns (numbers, units, percents,
dates, region codes), with every cell that cannot be parsed named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import _parse
from .._parse import (
    is_blank,
    parse_dates,
    parse_numbers,
    parse_percents,
    parse_periode,
    parse_tahun,
)
from .._regions import load_regions, normalize_region_code, resolve_region_names
from .._units import UNITS, implausible_unit, scale, unit_from_percent, unit_in
from .._vocab import columns as C
from ..exceptions import (
    MissingColumnError,
)
from .files import _Sheet
from .header import _Header
from .rows import _FUNDING_RX, _SKIPPED_COLUMNS, LEVELS, _funding_column, _skipped_frame
from .table import _concat, _SheetTable
from .title import _TITLE_STAGE, _TitleInfo


def _unparsed(frame: pd.DataFrame, column: str, bad: pd.Series, raw: pd.Series,
              expected: str) -> pd.DataFrame | None:
    mask = bad.to_numpy()
    if not mask.any():
        return None
    return pd.DataFrame({
        C.SUMBER_FILE: frame[C.SUMBER_FILE].to_numpy()[mask],
        C.SUMBER_SHEET: frame[C.SUMBER_SHEET].to_numpy()[mask],
        C.SUMBER_BARIS: frame[C.SUMBER_BARIS].to_numpy()[mask],
        "kolom": column,
        "nilai": raw[mask].astype(str).to_numpy(),
        "diharapkan": expected,
    })


def _canonicalise(raw: pd.DataFrame, kind: str, title: _TitleInfo, sheet_name: str,
                  group_regions: pd.Series | None, units: Mapping[str, str] | None = None,
                  wilayah: str | None = None) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Parse the raw cells of one sheet into the canonical frame; collect unparsed cells."""
    n = len(raw)
    out = pd.DataFrame(index=raw.index)
    bad: list[pd.DataFrame] = []

    def note(col: str, p_bad: pd.Series, expected: str) -> None:
        frame = _unparsed(raw, col, p_bad, raw[col], expected)
        if frame is not None:
            bad.append(frame)

    # tahun
    if C.TAHUN in raw:
        p = parse_tahun(raw[C.TAHUN])
        note(C.TAHUN, p.bad, "tahun (e.g. 2024)")
        tahun = p.values
        if title.tahun is not None:
            tahun = tahun.fillna(title.tahun).where(~p.bad, pd.NA)
    else:
        tahun = pd.Series(title.tahun, index=raw.index, dtype="Int64")
    out[C.TAHUN] = tahun.astype("Int64")
    # periode
    if C.PERIODE in raw:
        p = parse_periode(raw[C.PERIODE], tahun=out[C.TAHUN].astype("Float64")
                          .to_numpy(dtype=float, na_value=np.nan))
        note(C.PERIODE, p.bad, "periode (e.g. 'Juni 2024', '06/2024', 'TW II')")
        per = p.values
        if title.periode is not None:
            per = per.where(p.bad | per.notna(), title.periode)
    else:
        per = pd.Series(title.periode if title.periode is not None else pd.NaT,
                        index=raw.index, dtype="datetime64[ns]")
    out[C.PERIODE] = per.astype("datetime64[ns]")
    # regions
    if C.KODE_WILAYAH in raw:
        codes, cbad = normalize_region_code(raw[C.KODE_WILAYAH])
        note(C.KODE_WILAYAH, cbad, "kode wilayah (e.g. 32.04)")
    else:
        codes = pd.Series(np.nan, index=raw.index, dtype=object)
    names = _parse.parse_text(raw[C.NAMA_WILAYAH]) if C.NAMA_WILAYAH in raw else \
        pd.Series(None, index=raw.index, dtype=object)
    if group_regions is not None:
        codes = codes.where(codes.notna() | names.notna(), group_regions)
    if sheet_name and codes.isna().all() and names.isna().all():
        from_sheet = resolve_region_names(pd.Series([sheet_name])).iloc[0]
        if isinstance(from_sheet, str):
            codes = pd.Series(from_sheet, index=raw.index, dtype=object)
    if wilayah is not None and codes.isna().all() and names.isna().all():
        codes = pd.Series(wilayah, index=raw.index, dtype=object)
    need = codes.isna() & names.notna()
    if need.any():
        codes = codes.where(~need, resolve_region_names(names.where(need)))
    if names.isna().any():
        ref = load_regions()
        official = dict(zip(ref.loc[~ref["historis"], "kode"], ref.loc[~ref["historis"], "nama"],
                            strict=True))
        names = names.where(names.notna(), codes.map(official))
    if C.KODE_PROVINSI in raw:
        prov_raw = raw[C.KODE_PROVINSI].astype(object)
        prov = prov_raw.map(_prov_code, na_action="ignore")
        pbad = prov.isna() & ~is_blank(prov_raw)
        note(C.KODE_PROVINSI, pbad, "kode provinsi (e.g. 32)")
        prov = prov.where(prov.notna(), _province_of(codes))
    else:
        prov = _province_of(codes)
    out[C.KODE_PROVINSI] = prov.astype(object)
    out[C.KODE_WILAYAH] = codes.astype(object)
    out[C.NAMA_WILAYAH] = names.astype(object)
    for col in C.TEXT_COLUMNS:
        if col == C.NAMA_WILAYAH:
            continue
        out[col] = _parse.parse_text(raw[col]) if col in raw else None
    if C.MENU not in raw and C.RINCIAN not in raw:  # a recap: the OPD is its one item
        out[C.MENU] = C.RECAP_MENU
        out[C.RINCIAN] = C.RECAP_MENU if kind == C.FISIK else None
    # money and quantities
    for col in C.MONEY_COLUMNS:
        if col in raw:
            p = parse_numbers(raw[col])
            note(col, p.bad, "angka rupiah (e.g. 1.234.567)")
            out[col] = scale(p.values, (units or {}).get(col, "rupiah"))
        else:
            out[col] = np.nan
    for col in C.QUANTITY_COLUMNS:
        if col in raw:
            p = parse_numbers(raw[col])
            note(col, p.bad, "angka (e.g. 12)")
            out[col] = p.values
        else:
            out[col] = np.nan
    expected = 100 * out[C.REALISASI] / out[C.PAGU].where(out[C.PAGU] > 0)
    for col in C.PERCENT_COLUMNS:
        if col in raw:
            p = parse_percents(raw[col], expected=expected if col == C.PERSEN_REALISASI else None)
            note(col, p.bad, "persen (e.g. 93,5%)")
            out[col] = p.values
        else:
            out[col] = np.nan
    for col in C.DATE_COLUMNS:
        if col in raw:
            p = parse_dates(raw[col])
            note(col, p.bad, "tanggal (dd/mm/yyyy or '12 Maret 2024')")
            out[col] = p.values
        else:
            out[col] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    out[C.JENIS_DAK] = kind
    for col in C.PROVENANCE:
        out[col] = raw[col].to_numpy()
    assert len(out) == n
    return out, bad


def _province_of(codes: pd.Series) -> pd.Series:
    """The province part (``32``) of ``NN.NN`` codes, each distinct code once."""
    k, uniques = pd.factorize(codes.astype(object), use_na_sentinel=True)
    lookup = np.array([str(u)[:2] for u in uniques] + [np.nan], dtype=object)
    return pd.Series(lookup[k], index=codes.index, dtype=object)


def _prov_code(v: object) -> object:
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        f = float(v)
        return f"{int(f):02d}" if f.is_integer() and 11 <= f <= 99 else np.nan
    m = re.fullmatch(r"\s*(\d{2})\.?\s*", str(v))
    return m.group(1) if m else np.nan


def _group_regions(st: _SheetTable) -> pd.Series | None:
    """Region codes carried down from group-header rows (a kabupaten name alone on a row)."""
    groups = st.skipped[st.skipped["alasan"] == "group"]
    if groups.empty or st.data.empty:
        return None
    codes = resolve_region_names(groups["isi"])
    known = groups.assign(kode=codes.to_numpy()).dropna(subset=["kode"])
    if known.empty:
        return None
    rows = st.data[C.SUMBER_BARIS].to_numpy()
    marks = known[C.SUMBER_BARIS].to_numpy()
    pos = np.searchsorted(marks, rows, side="right") - 1
    vals = np.where(pos >= 0, known["kode"].to_numpy()[np.clip(pos, 0, None)], None)
    return pd.Series(vals, index=st.data.index, dtype=object)


def _supersede(data: pd.DataFrame, skipped: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep an item-period from the last file that reports it; skip earlier files' rows."""
    keys = [C.TAHUN, C.KODE_WILAYAH, C.JENIS_DAK, C.MENU, C.RINCIAN, C.PERIODE]
    file_codes = pd.factorize(data[C.SUMBER_FILE])[0]
    if not len(file_codes) or file_codes.max() == 0:  # one file: nothing to supersede
        return data, skipped
    folded = data[keys].copy()
    for k in (C.MENU, C.RINCIAN):
        codes, uniques = pd.factorize(folded[k].astype(object), use_na_sentinel=True)
        lookup = np.array([re.sub(r"\s+", " ", str(u).casefold()) for u in uniques] + [None],
                          dtype=object)
        folded[k] = lookup[codes]
    order = pd.Series(file_codes, index=data.index)
    last_file = order.groupby([folded[k] for k in keys], dropna=False).transform("max")
    old = order < last_file
    if not old.any():
        return data, skipped
    moved = pd.DataFrame({
        C.SUMBER_FILE: data.loc[old, C.SUMBER_FILE], C.SUMBER_SHEET: data.loc[old, C.SUMBER_SHEET],
        C.SUMBER_BARIS: data.loc[old, C.SUMBER_BARIS], "alasan": "superseded",
        "isi": data.loc[old, C.MENU].astype(str) + " / " + data.loc[old, C.KODE_WILAYAH].astype(str),
    })
    return data[~old].reset_index(drop=True), pd.concat([skipped, moved], ignore_index=True)


def _drop_other_funding(st: _SheetTable, kind: str, label: str) -> None:
    """Rows of another funding source (``Sumber Dana`` = DAU, APBD…) are skipped as
    ``other-funding``; the sheet's totals, which add up every source, are then not checked."""
    if st.header is None or not len(st.data):
        return
    j = _funding_column(st.header)
    if j is None:
        return
    grid = st.sheet.grid
    rows = st.data[C.SUMBER_BARIS].to_numpy()
    cells = grid.loc[rows].iloc[:, j]
    text = cells.astype("string").fillna("").str.strip()
    other = ((text != "") & ~text.str.contains(_FUNDING_RX[kind])).to_numpy(dtype=bool)
    if not other.any():
        return
    moved = grid.loc[rows[other]]
    st.skipped = _concat([st.skipped, _skipped_frame(
        st.sheet, moved, pd.Series("other-funding", index=moved.index))],
        columns=_SKIPPED_COLUMNS).sort_values(C.SUMBER_BARIS, kind="stable").reset_index(
        drop=True)
    # The totals rows add up every source: the skipped lines still count in their sums.
    lines = st.data[other].assign(alasan="other-funding", label="", tingkat=0)
    st.totals = _concat([st.totals, lines]).sort_values(C.SUMBER_BARIS, kind="stable") \
        .reset_index(drop=True)
    st.data = st.data[~other].reset_index(drop=True)
    st.sheet.notes.append(
        f"{label}: {int(other.sum())} row(s) of another funding source (Sumber Dana) skipped "
        f"as other-funding (the totals, which add up every source, are checked with them)")


def _has_outline(st: _SheetTable) -> bool:
    """Whether the sheet's data rows sit under outline rows (group rows above them)."""
    return LEVELS in st.data and bool(st.data[LEVELS].map(len).gt(0).any())


def _outline_items(st: _SheetTable, kind: str, label: str) -> None:
    """Sub bidang, menu and rincian of a DAK fisik template that prints them as outline rows
    above its paket rows (Perpres 123/2016 Lampiran III: sub bidang > tematik > kegiatan >
    rincian > paket) instead of in columns.

    With three or more levels above a row, the outermost is its sub bidang, the next-to-last
    its menu (the kegiatan) and its rincian is ``"<rincian> / <paket>"`` (one item per paket);
    with two, sub bidang and menu, the row's own name its rincian; with one, that is its menu.
    """
    if kind != C.FISIK or st.header is None or not _has_outline(st):
        return
    cols = st.header.columns
    if C.RINCIAN in cols or C.MENU not in cols:
        return
    sub, menu, rincian = [], [], []
    for chain, own in zip(st.data[LEVELS], st.data[C.MENU], strict=True):
        chain = chain or ()
        name = None if own is None else str(own).strip()
        if len(chain) >= 3:
            parts = (chain[0], chain[-2], f"{chain[-1]} / {name}" if name else chain[-1])
        elif len(chain) == 2:
            parts = (chain[0], chain[1], name)
        elif len(chain) == 1:
            parts = (None, chain[0], name)
        else:
            parts = (None, name, None)
        for out, v in zip((sub, menu, rincian), parts, strict=True):
            out.append(v)
    data = st.data.assign(**{C.MENU: menu, C.RINCIAN: rincian})
    if C.SUBBIDANG not in cols:
        data[C.SUBBIDANG] = sub
    st.data = data
    depth = int(st.data[LEVELS].map(len).max())
    st.sheet.notes.append(
        f"{label}: sub bidang, menu and rincian from the outline rows above each row "
        f"({depth} level(s)"
        + ("; menu is the next-to-last level, rincian '<last level> / <row name>'"
           if depth >= 3 else "") + ")")


def _column_units(header: _Header | None, title: _TitleInfo,
                  forced: str | Mapping[str, str] | None,
                  sources: dict[str, str] | None = None
                  ) -> tuple[dict[str, str], str, set[str]]:
    """Each money column's unit, a note saying where any unit other than Rupiah came from,
    and the columns whose unit is stated somewhere.

    The option wins; then a multiplier in the column's header (``Pagu (Rp Miliar)``); then
    the title or a unit row (``dalam ribuan rupiah``); then a plain ``(Rp)`` in the header;
    else Rupiah, unstated. ``sources``, when given, receives where each unit came from.
    """
    if header is None:
        return {}, "", set()
    out: dict[str, str] = {}
    said: list[str] = []
    stated: set[str] = set()
    for col in C.MONEY_COLUMNS:
        if col not in header.columns:
            continue
        j = header.columns[col][0]
        in_header = next((u for u in map(unit_in, sorted(header.raw.get(j, ()))) if u), None)
        given = forced.get(col, forced.get("*")) if isinstance(forced, Mapping) else forced
        if given is not None:
            unit, source = given, ("the layout" if isinstance(forced, Mapping) else "units=")
        elif in_header not in (None, "rupiah"):
            unit, source = in_header, "its header"
        elif title.unit is not None:
            unit, source = title.unit, "the title"
        else:
            unit, source = "rupiah", "its header" if in_header else ""
        out[col] = unit
        if sources is not None:
            sources[col] = source or "nothing stated: Rupiah assumed"
        if source:
            stated.add(col)
        if unit != "rupiah":
            said.append(f"{col} in {unit} (from {source})")
    note = ("money " + "; ".join(said) + ": multiplied exactly to Rupiah") if said else ""
    return out, note, stated


def _units_by_percent(canon: pd.DataFrame, units: dict[str, str], forced: bool
                      ) -> tuple[pd.DataFrame, str]:
    """Correct the realisasi's unit when the sheet's printed % of the pagu pins it (the
    Perpres form states ``(Rp. Dalam Ribuan)`` over the pagu only, and every amount is in
    thousands). The other money columns with no multiplier of their own follow. Returns the
    frame and a note ("" when nothing changed); ``units`` is updated in place, so the
    sheet's totals rows are scaled alike."""
    if forced or C.PERSEN_REALISASI not in canon or C.REALISASI not in units or \
            C.PAGU not in units:
        return canon, ""
    real_unit = units[C.REALISASI]
    found = unit_from_percent(canon[C.PAGU], canon[C.REALISASI], canon[C.PERSEN_REALISASI])
    if found is None or found == "rupiah":
        return canon, ""
    factor = UNITS[found]
    changed = [C.REALISASI] + [c for c, u in units.items()
                                if u == real_unit and c not in (C.PAGU, C.REALISASI)]
    out = canon.copy()
    for col in changed:
        out[col] = np.round(out[col].to_numpy(dtype=float) * factor, 2)
    written = {u: k for k, u in UNITS.items()}.get(UNITS[real_unit] * factor, found)
    for col in changed:
        units[col] = written
    return out, (f"{', '.join(changed)} in {written}, not {real_unit}: the printed % of the "
                 f"pagu says so (its header states no multiplier); multiplied exactly")


def _unit_doubt(canon: pd.DataFrame, stated: set[str]) -> str:
    """The likely units ("juta or miliar") when no unit is stated for pagu anywhere and its
    amounts are too small to be Rupiah; else ""."""
    if C.PAGU in stated or C.PAGU not in canon:
        return ""
    fits = implausible_unit(canon[C.PAGU].to_numpy(dtype=float))
    return " or ".join(fits)


def _regions_in(sheet: _Sheet, header: _Header | None) -> tuple[str, ...]:
    """The region codes in a refused sheet's rows, from its code or name column (empty when
    neither was found): the OPDs whose figures it would have carried."""
    if header is None:
        return ()
    body = sheet.grid.loc[header.rows[-1] + 1:]
    if C.KODE_WILAYAH in header.columns:
        codes, _bad = normalize_region_code(body.iloc[:, header.columns[C.KODE_WILAYAH][0]])
    elif C.NAMA_WILAYAH in header.columns:
        codes = resolve_region_names(body.iloc[:, header.columns[C.NAMA_WILAYAH][0]])
    else:
        return ()
    return tuple(sorted({c for c in codes.dropna() if isinstance(c, str)}))


def _empty_canonical() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in C.CANONICAL_COLUMNS})


def _looks_like_data(grid: pd.DataFrame) -> bool:
    """A sheet with many numbers but no header is an error; a text-only sheet is not."""
    if grid.empty:
        return False
    sample = grid.iloc[:200]
    numeric = 0
    for c in sample.columns:
        p = parse_numbers(sample[c])
        numeric += int(p.values.notna().sum())
    return numeric >= 6


def _check_soft_required(st: _SheetTable, title: _TitleInfo, kind: str, label: str,
                         wilayah: str | None = None, given_wilayah: str | None = None) -> None:
    """tahun/periode may come from the title or the options; one of kode/nama wilayah (or the
    region in the title, or the ``wilayah=`` option) suffices. A recap (no menu, no rincian)
    needs a region column or the ``wilayah=`` option: a title's region does not make a sheet
    of accounts (an LRA) a recap of one office."""
    assert st.header is not None
    cols = st.header.columns
    missing = []
    if C.TAHUN not in cols and title.tahun is None and C.PERIODE not in cols:
        missing.append("tahun (a 'Tahun' column, 'TAHUN ANGGARAN 2024' in the title, or pass "
                       "tahun= / --tahun)")
    if C.PERIODE not in cols and title.periode is None:
        stage = _TITLE_STAGE.search(" ".join(st.title))
        said = (f" The title names a transfer stage ({stage.group(0)}), which is not a date."
                if stage else "")
        missing.append(f"periode (a 'Periode'/'Bulan' column, 'Periode s.d. 30 Juni 2024' or "
                       f"'Triwulan II (April - Juni)' in the title, or a month in the sheet or "
                       f"file name).{said} Pass periode= / --periode (e.g. 2024-06)")
    if C.RINCIAN in C.REQUIRED[kind] and C.MENU in cols and C.RINCIAN not in cols and \
            not _has_outline(st):
        missing.append("rincian (e.g. 'Rincian', 'Rincian Menu Kegiatan', 'Sub Komponen'); "
                       "a DAK fisik export names each item")
    if C.RINCIAN in cols and C.MENU not in cols:
        missing.append("menu (e.g. 'Menu', 'Menu Kegiatan', 'Komponen'); a recap without "
                       "menu and rincian is read as one row per OPD")
    recap = C.MENU not in cols and C.RINCIAN not in cols
    if recap and C.KODE_WILAYAH not in cols and C.NAMA_WILAYAH not in cols and \
            given_wilayah is None:
        missing.append("kode_wilayah or nama_wilayah: a file with neither menu nor rincian is "
                       "a recap, one row per OPD, and must name each row's OPD (e.g. 'Kode "
                       "Wilayah', 'Kabupaten/Kota', 'Pemda'); one office's card may pass "
                       "wilayah= / --wilayah")
    elif C.KODE_WILAYAH not in cols and C.NAMA_WILAYAH not in cols and wilayah is None:
        sheet_region = resolve_region_names(pd.Series([st.sheet.sheet])).iloc[0] \
            if st.sheet.sheet else None
        has_groups = bool((st.skipped["alasan"] == "group").any())
        if not isinstance(sheet_region, str) and not has_groups:
            missing.append("kode_wilayah or nama_wilayah (e.g. 'Kode Wilayah', 'Kabupaten/Kota'; "
                           "for one office's file pass wilayah= / --wilayah)")
    if missing:
        n = len(dict.fromkeys(st.header.labels.values()))
        msg = (f"{label}: the {kind} export's header at row {st.header.rows[0]} lacks "
               f"{'; '.join(missing)} ({n} headers found)")
        raise MissingColumnError(msg, file=st.sheet.file, sheet=st.sheet.sheet or None)
