"""First-semester procurement flags and the one catalogue of flags per OPD.

Every flag has a stable kebab-case code (see :data:`FLAGS` and ``docs/flags.md``), a severity
(``error`` > ``warning`` > ``info``), a title and a message in Indonesian and English, and the
evidence an analyst needs to check it (dates, values, the period and rows used).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from ._absorption import as_frame, resolve_as_of
from ._config import Rules
from ._items import item_keys
from ._projection import DEFAULT_PROFILE, Projection, flag_threshold_risk
from ._regions import load_regions
from ._text import rp
from ._vocab import columns as C

__all__ = ["FLAGS", "FirstSemesterFlags", "FlagInfo", "flag_first_semester", "flag_offices"]

SEVERITY_ORDER: Final = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True, slots=True)
class FlagInfo:
    """One flag code of the catalogue."""

    code: str
    severity: str
    level: str  # "item" or "opd"
    title_id: str
    title_en: str
    description: str


_FLAG_LIST: Final = (
    FlagInfo("no-contract-by-s1", "warning", "item", "Belum kontrak di semester I",
             "No contract in semester I",
             "A DAK fisik item (not swakelola) with no contract dated on or before the "
             "semester cut-off (30 June) in the reports up to the cut-off."),
    FlagInfo("contract-after-s1", "info", "item", "Kontrak setelah semester I",
             "Contract after semester I",
             "A contract exists but was signed after the cut-off: late, not missing."),
    FlagInfo("contract-reported-late", "info", "item", "Kontrak terlambat dilaporkan",
             "Contract reported late",
             "A contract dated on or before the cut-off that first appears in a later report: "
             "it counts as contracted in semester I, but the reporting was late."),
    FlagInfo("contract-deadline-at-risk", "warning", "item", "Batas kontrak sudah dekat",
             "Contract deadline close",
             "Still no contract within `deadline_warning_days` (30) days of the year's DAK "
             "fisik contract deadline: the item's DAK fisik is lost if none is registered."),
    FlagInfo("contract-deadline-missed", "error", "item", "Batas kontrak terlewati",
             "Contract deadline missed",
             "No contract dated on or before the year's contract deadline, once it has "
             "passed: the item's DAK fisik is lost for the year (pagu stays in the "
             "denominator)."),
    FlagInfo("no-spending-by-s1", "warning", "item", "Belum ada realisasi di semester I",
             "No spending in semester I",
             "A BOKB (nonfisik) menu with pagu > 0 and zero realisasi at the cut-off."),
    FlagInfo("low-s1-absorption", "warning", "opd", "Serapan semester I rendah",
             "Low semester I absorption",
             "Absorption at the cut-off below `low_s1_factor` (0.5) × the typical absorption "
             "by then (from the profile the projection uses)."),
    FlagInfo("s1-report-missing", "warning", "opd", "Laporan semester I tidak ada",
             "Semester I report missing",
             "No report for the cut-off period: unknown is not compliant."),
    FlagInfo("will-miss-threshold", "error", "opd", "Diproyeksikan di bawah ambang",
             "Projected to miss the threshold",
             "Probability of ending the year below the threshold (93 %) ≥ "
             "`will_miss_probability` (0.8)."),
    FlagInfo("at-risk-threshold", "warning", "opd", "Berisiko di bawah ambang",
             "At risk of missing the threshold",
             "Probability of ending below the threshold ≥ `at_risk_probability` (0.3)."),
    FlagInfo("data-incomplete", "warning", "opd", "Data tidak lengkap", "Data incomplete",
             "Rows of this OPD were quarantined by validation: its figures rest on part of "
             "its money; the message says how much pagu is affected."),
)

#: The catalogue of flag codes: code -> :class:`FlagInfo`.
FLAGS: Final[dict[str, FlagInfo]] = {f.code: f for f in _FLAG_LIST}

_MSG: Final[dict[str, tuple[str, str]]] = {
    "no-contract-by-s1": (
        "{rincian} ({metode}, pagu {pagu}): belum ada kontrak bertanggal s.d. {cutoff} "
        "(laporan {periode}).",
        "{rincian} ({metode}, pagu {pagu}): no contract dated by {cutoff} (report {periode})."),
    "contract-after-s1": (
        "{rincian}: kontrak {nomor} tanggal {tanggal}, setelah {cutoff}.",
        "{rincian}: contract {nomor} dated {tanggal}, after {cutoff}."),
    "contract-reported-late": (
        "{rincian}: kontrak {nomor} tanggal {tanggal} baru muncul di laporan {dilaporkan}.",
        "{rincian}: contract {nomor} dated {tanggal} first appears in the {dilaporkan} "
        "report."),
    "contract-deadline-at-risk": (
        "{rincian} (pagu {pagu}): belum kontrak per {periode}; batas {deadline} "
        "({hari} hari lagi).",
        "{rincian} (pagu {pagu}): no contract as of {periode}; deadline {deadline} "
        "({hari} days left)."),
    "contract-deadline-missed": (
        "{rincian} (pagu {pagu}): tidak ada kontrak s.d. batas {deadline}; DAK fisik item ini "
        "hilang.",
        "{rincian} (pagu {pagu}): no contract by the {deadline} deadline; this item's DAK "
        "fisik is lost."),
    "no-spending-by-s1": (
        "Menu {menu} (pagu {pagu}): realisasi nol per {periode}.",
        "Menu {menu} (pagu {pagu}): zero realisasi as of {periode}."),
    "low-s1-absorption": (
        "Serapan {jenis} per {periode} {serapan}, di bawah {faktor} × serapan tipikal "
        "{tipikal}.",
        "{jenis} absorption as of {periode} is {serapan}, below {faktor} × the typical "
        "{tipikal}."),
    "s1-report-missing": (
        "Tidak ada laporan {jenis} untuk periode {cutoff_bulan}; laporan terakhir {terakhir}.",
        "No {jenis} report for {cutoff_bulan}; latest report {terakhir}."),
    "data-incomplete": (
        "{n} baris {jenis} dikarantina ({pagu} pagu, {share} dari pagu): angka OPD ini tidak "
        "lengkap.",
        "{n} {jenis} rows quarantined ({pagu} of pagu, {share}): this OPD's figures are "
        "incomplete."),
}

ITEM_COLUMNS: Final = (
    C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, C.MENU, C.RINCIAN, "code", "severity",
    "title_id", "title_en", "pesan", "message", C.METODE_PENGADAAN, C.PAGU, C.REALISASI,
    C.NOMOR_KONTRAK, C.TANGGAL_KONTRAK, "periode_kontrak_dilaporkan", "periode_dipakai",
    "batas_semester", "batas_kontrak", C.SUMBER_FILE, C.SUMBER_SHEET, C.SUMBER_BARIS,
)
OFFICE_COLUMNS: Final = (
    C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, "code", "severity", "title_id", "title_en",
    "pesan", "message", "n_item", "pagu_terdampak", "share_pagu", "periode",
)


@dataclass(frozen=True, slots=True)
class FirstSemesterFlags:
    """Result of :func:`flag_first_semester`.

    Attributes
    ----------
    items : DataFrame
        One row per item (or OPD, for OPD-level codes) and flag, with the evidence.
    opd : DataFrame
        One row per OPD × jenis DAK with any flag: ``n_item`` flagged, ``pagu_flagged`` and
        ``share_pagu`` (of the OPD's pagu), ``worst`` severity, ``codes`` and a one-line
        ``alasan`` / ``reason``.
    """

    items: pd.DataFrame
    opd: pd.DataFrame
    year: int
    as_of: pd.Timestamp
    cutoff: dt.date
    deadline: dt.date
    notes: tuple[str, ...] = ()


def _fmt_date(v: object) -> str:
    ts = pd.to_datetime(v, errors="coerce")
    return "-" if pd.isna(ts) else ts.strftime("%d/%m/%Y")


def _month_label(ts: object) -> str:
    t = pd.to_datetime(ts, errors="coerce")
    return "-" if pd.isna(t) else t.strftime("%Y-%m")


def _names(frame: pd.DataFrame) -> pd.Series:
    ref = load_regions()
    return ref.drop_duplicates("kode").set_index("kode")["nama"]


def _flag_rows(code: str, recs: list[dict[str, Any]], ctxs: list[dict[str, str]]
               ) -> list[dict[str, Any]]:
    info = FLAGS[code]
    pid, pen = _MSG[code]
    out = []
    for rec, ctx in zip(recs, ctxs, strict=True):
        out.append({**rec, "code": code, "severity": info.severity, "title_id": info.title_id,
                    "title_en": info.title_en, "pesan": pid.format(**ctx),
                    "message": pen.format(**ctx)})
    return out


def _typical_at(profile: pd.DataFrame | None, kind: str, month: int) -> float:
    if profile is not None and kind in profile and month in profile.index:
        return float(profile.loc[month, kind])
    return float(DEFAULT_PROFILE[kind][month - 1])


def flag_first_semester(frame: Any, *, year: int, rules: Rules | None = None,
                        as_of: object = None, profile: pd.DataFrame | Projection | None = None
                        ) -> FirstSemesterFlags:
    """Flag items and OPDs that had not procured, contracted or spent by the semester cut-off.

    Parameters
    ----------
    frame : ValidationReport, Export or DataFrame
        Canonical rows (a report's valid rows); only fiscal year ``year`` is used.
    year : int
        Fiscal year.
    rules : Rules, optional
        Cut-off (30 June), contract deadline of the year, warning days, ``low_s1_factor``.
    as_of : str or date, optional
        Evaluate with the reports up to this period (default: the latest period of ``year``
        in the data; never the computer's clock).
    profile : DataFrame or Projection, optional
        Typical cumulative absorption by month (``Projection.profile``) for
        ``low-s1-absorption``; default :data:`~dak_monitor.DEFAULT_PROFILE`.

    Returns
    -------
    FirstSemesterFlags

    Examples
    --------
    >>> f = pd.DataFrame({"tahun": [2024] * 2, "periode": pd.to_datetime(["2024-06-30"] * 2),
    ...     "kode_wilayah": ["32.05"] * 2, "jenis_dak": ["fisik"] * 2, "menu": ["Sarana"] * 2,
    ...     "rincian": ["Obgyn Bed", "IUD Kit"], "pagu": [500.0, 300.0], "realisasi": [100.0, 0.0],
    ...     "metode_pengadaan": ["e-Purchasing"] * 2, "nomor_kontrak": ["SPK-1", None],
    ...     "tanggal_kontrak": pd.to_datetime(["2024-05-02", None])})
    >>> flags = flag_first_semester(f, year=2024)
    >>> flags.items[["rincian", "code"]].values.tolist()
    [['IUD Kit', 'contract-deadline-at-risk'], ['IUD Kit', 'no-contract-by-s1']]
    """
    rules = rules or Rules()
    if isinstance(profile, Projection):
        profile = profile.profile
    data = as_frame(frame)
    data = data[data[C.TAHUN].astype("Float64") == year]
    cutoff = rules.semester_cutoff(year)
    deadline = rules.contract_deadline(year)
    if data.empty:
        empty_i = pd.DataFrame(columns=list(ITEM_COLUMNS))
        return FirstSemesterFlags(empty_i, pd.DataFrame(), year, pd.Timestamp(cutoff), cutoff,
                                  deadline, (f"no rows of fiscal year {year}",))
    when = resolve_as_of(data, as_of)
    data = data[pd.to_datetime(data[C.PERIODE]) <= when].copy()
    data["_item"] = item_keys(data).to_numpy()
    data = data.sort_values([C.PERIODE, C.SUMBER_BARIS] if C.SUMBER_BARIS in data
                            else [C.PERIODE], kind="stable")
    names = _names(data)
    cut_ts = pd.Timestamp(cutoff)
    dl_ts = pd.Timestamp(deadline)
    notes: list[str] = []
    s1_done = when >= cut_ts
    if not s1_done:
        notes.append(f"semester I is not over as of {when:%Y-%m}: semester I flags are not "
                     f"evaluated yet")
    rows: list[dict[str, Any]] = []

    def base(rec: pd.Series) -> dict[str, Any]:
        return {C.KODE_WILAYAH: rec[C.KODE_WILAYAH],
                "nama_wilayah": names.get(rec[C.KODE_WILAYAH], rec.get(C.NAMA_WILAYAH)),
                C.JENIS_DAK: rec[C.JENIS_DAK], C.MENU: rec[C.MENU],
                C.RINCIAN: rec.get(C.RINCIAN), C.METODE_PENGADAAN: rec.get(C.METODE_PENGADAAN),
                C.PAGU: rec[C.PAGU], C.REALISASI: rec[C.REALISASI],
                C.NOMOR_KONTRAK: rec.get(C.NOMOR_KONTRAK),
                C.TANGGAL_KONTRAK: rec.get(C.TANGGAL_KONTRAK),
                "periode_dipakai": rec[C.PERIODE], "batas_semester": cut_ts,
                "batas_kontrak": dl_ts, C.SUMBER_FILE: rec.get(C.SUMBER_FILE),
                C.SUMBER_SHEET: rec.get(C.SUMBER_SHEET), C.SUMBER_BARIS: rec.get(C.SUMBER_BARIS),
                "periode_kontrak_dilaporkan": pd.NaT}

    # ----------------------------------------------------------------- DAK fisik items
    fis = data[data[C.JENIS_DAK] == C.FISIK]
    if not fis.empty:
        swa = fis[C.METODE_PENGADAAN].astype("string").str.casefold().str.contains(
            "swakelola", regex=False).fillna(False) if C.METODE_PENGADAAN in fis else \
            pd.Series(False, index=fis.index)
        fis = fis[~swa.to_numpy(dtype=bool)]
        tgl = pd.to_datetime(fis.get(C.TANGGAL_KONTRAK), errors="coerce") \
            if C.TANGGAL_KONTRAK in fis else pd.Series(pd.NaT, index=fis.index)
        fis = fis.assign(_tgl=tgl)
        for _item, g in fis.groupby("_item", sort=False):
            latest = g.iloc[-1]
            up_to_cut = g[pd.to_datetime(g[C.PERIODE]) <= cut_ts]
            at_cut = up_to_cut.iloc[-1] if len(up_to_cut) else latest
            dated = g[g["_tgl"].notna()]
            first_contract = dated.iloc[0] if len(dated) else None
            ctx_base = {
                "rincian": str(latest.get(C.RINCIAN) or latest[C.MENU]),
                "metode": str(latest.get(C.METODE_PENGADAAN) or "-"),
                "pagu": rp(latest[C.PAGU]), "cutoff": _fmt_date(cut_ts),
                "deadline": _fmt_date(dl_ts), "periode": _month_label(when),
            }
            contract_date = first_contract["_tgl"] if first_contract is not None else pd.NaT
            if s1_done:
                if pd.notna(contract_date) and contract_date <= cut_ts:
                    seen = pd.Timestamp(first_contract[C.PERIODE])
                    if seen > cut_ts:
                        rec = base(first_contract)
                        rec["periode_kontrak_dilaporkan"] = seen
                        rows += _flag_rows("contract-reported-late", [rec], [{
                            **ctx_base, "nomor": str(first_contract.get(C.NOMOR_KONTRAK) or "-"),
                            "tanggal": _fmt_date(contract_date),
                            "dilaporkan": _month_label(seen)}])
                elif pd.notna(contract_date):
                    rec = base(first_contract)
                    rec["periode_kontrak_dilaporkan"] = pd.Timestamp(first_contract[C.PERIODE])
                    rows += _flag_rows("contract-after-s1", [rec], [{
                        **ctx_base, "nomor": str(first_contract.get(C.NOMOR_KONTRAK) or "-"),
                        "tanggal": _fmt_date(contract_date)}])
                else:
                    rec = base(at_cut)
                    rows += _flag_rows("no-contract-by-s1", [rec], [{
                        **ctx_base, "periode": _month_label(at_cut[C.PERIODE])}])
            contracted_by_deadline = pd.notna(contract_date) and contract_date <= dl_ts
            if not contracted_by_deadline:
                if when >= dl_ts:
                    rows += _flag_rows("contract-deadline-missed", [base(latest)], [ctx_base])
                elif when >= dl_ts - pd.Timedelta(days=rules.deadline_warning_days) and \
                        pd.isna(contract_date):
                    rows += _flag_rows("contract-deadline-at-risk", [base(latest)], [{
                        **ctx_base, "hari": str((dl_ts - when).days)}])
    # ------------------------------------------------------------------- BOKB menus
    non = data[data[C.JENIS_DAK] == C.NONFISIK]
    if s1_done and not non.empty:
        upto = non[pd.to_datetime(non[C.PERIODE]) <= cut_ts]
        latest = upto.drop_duplicates("_item", keep="last")
        zero = latest[(pd.to_numeric(latest[C.PAGU], errors="coerce") > 0)
                      & (pd.to_numeric(latest[C.REALISASI], errors="coerce").fillna(0) <= 0)]
        for _, rec in zero.iterrows():
            rows += _flag_rows("no-spending-by-s1", [base(rec)], [{
                "menu": str(rec[C.MENU]) + (f" / {rec[C.RINCIAN]}" if pd.notna(
                    rec.get(C.RINCIAN)) else ""),
                "pagu": rp(rec[C.PAGU]), "periode": _month_label(rec[C.PERIODE])}])
    # ------------------------------------------------------------------- OPD level
    if s1_done:
        rows += _opd_level(data, cut_ts, profile, rules, names)
    items = pd.DataFrame(rows, columns=list(ITEM_COLUMNS))
    items = items.sort_values([C.JENIS_DAK, C.KODE_WILAYAH, C.MENU, C.RINCIAN, "code"],
                              kind="stable", na_position="first").reset_index(drop=True)
    opd = _opd_summary(items, data, when)
    return FirstSemesterFlags(items, opd, year, when, cutoff, deadline, tuple(notes))


def _opd_level(data: pd.DataFrame, cut_ts: pd.Timestamp, profile: pd.DataFrame | None,
               rules: Rules, names: pd.Series) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    periode = pd.to_datetime(data[C.PERIODE])
    upto = data[periode <= cut_ts]
    key = [C.KODE_WILAYAH, C.JENIS_DAK]
    # Aggregated once per OPD (per-OPD masks and copies grow as OPDs x rows). An item key
    # includes the OPD, so the latest row of each item is the same globally as per OPD.
    lat = upto.drop_duplicates("_item", keep="last")
    sums = pd.DataFrame({
        C.KODE_WILAYAH: lat[C.KODE_WILAYAH], C.JENIS_DAK: lat[C.JENIS_DAK],
        "pagu": pd.to_numeric(lat[C.PAGU], errors="coerce"),
        "real": pd.to_numeric(lat[C.REALISASI], errors="coerce").fillna(0),
    }).groupby(key, sort=False)[["pagu", "real"]].sum()
    pagu_of = sums["pagu"].to_dict()
    real_of = sums["real"].to_dict()
    last_of = pd.to_datetime(upto[C.PERIODE]).groupby(
        [upto[k] for k in key], sort=False).max().to_dict()
    at_cut = periode == cut_ts + pd.offsets.MonthEnd(0)
    reported = set(map(tuple, data.loc[at_cut, key].drop_duplicates().itertuples(index=False)))
    opds = data[key].drop_duplicates().dropna()
    for kode, kind in sorted(map(tuple, opds.itertuples(index=False))):
        jenis = "DAK fisik" if kind == C.FISIK else "BOKB (nonfisik)"
        has_rows = (kode, kind) in pagu_of
        rec = {C.KODE_WILAYAH: kode, "nama_wilayah": names.get(kode), C.JENIS_DAK: kind,
               C.MENU: None, C.RINCIAN: None, "periode_dipakai": cut_ts,
               "batas_semester": cut_ts, "batas_kontrak": pd.NaT,
               C.PAGU: float(pagu_of[(kode, kind)]) if has_rows else np.nan}
        if (kode, kind) not in reported:
            last = last_of.get((kode, kind), pd.NaT)
            rows += _flag_rows("s1-report-missing", [rec], [{
                "jenis": jenis, "cutoff_bulan": _month_label(cut_ts),
                "terakhir": _month_label(last) if pd.notna(last) else "-"}])
        if not has_rows:
            continue
        pagu = float(pagu_of[(kode, kind)])
        real = float(real_of[(kode, kind)])
        if pagu <= 0:
            continue
        serapan = real / pagu
        typical = _typical_at(profile, kind, cut_ts.month)
        if serapan < rules.low_s1_factor * typical:
            r2 = {**rec, C.REALISASI: real}
            rows += _flag_rows("low-s1-absorption", [r2], [{
                "jenis": jenis, "periode": _month_label(cut_ts), "serapan": f"{serapan:.1%}",
                "faktor": f"{rules.low_s1_factor:g}", "tipikal": f"{typical:.1%}"}])
    return rows


def _opd_summary(items: pd.DataFrame, data: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    cols = [C.KODE_WILAYAH, "nama_wilayah", C.JENIS_DAK, "n_item", "pagu_flagged", "share_pagu",
            "worst", "codes", "alasan", "reason"]
    if items.empty:
        return pd.DataFrame(columns=cols)
    latest = data.drop_duplicates("_item", keep="last")
    key = [C.KODE_WILAYAH, C.JENIS_DAK]
    total = latest.groupby(key)[C.PAGU].sum().to_dict()
    items = items.reset_index(drop=True)
    # Everything per OPD is aggregated once; the loop below only formats.
    flagged = items[items[C.MENU].notna()].drop_duplicates([*key, C.MENU, C.RINCIAN])
    fl = pd.DataFrame({C.KODE_WILAYAH: flagged[C.KODE_WILAYAH],
                       C.JENIS_DAK: flagged[C.JENIS_DAK],
                       "pagu": pd.to_numeric(flagged[C.PAGU], errors="coerce")}
                      ).groupby(key, sort=False)["pagu"].agg(["sum", "size"])
    pagu_flagged_of = fl["sum"].to_dict()
    n_item_of = fl["size"].to_dict()
    order = items["severity"].map(SEVERITY_ORDER).fillna(0)
    top_of = order.groupby([items[k] for k in key], sort=True).idxmax()  # first of the worst
    size_of = items.groupby(key, sort=True).size().to_dict()
    name_of = items.drop_duplicates(key).set_index(key)["nama_wilayah"].to_dict()
    counts_of: dict[tuple[Any, Any], list[tuple[str, int]]] = {}
    for (kode, kind, code), n in items.groupby([*key, "code"], sort=False).size().items():
        counts_of.setdefault((kode, kind), []).append((str(code), int(n)))
    out = []
    for (kode, kind), pos in top_of.items():
        first = items.loc[pos]
        n_more = size_of[(kode, kind)] - 1
        pagu_flagged = float(pagu_flagged_of.get((kode, kind), 0.0))
        tot = float(total.get((kode, kind), np.nan))
        counts = sorted(counts_of[(kode, kind)], key=lambda cn: -cn[1])  # stable: ties in order
        out.append({
            C.KODE_WILAYAH: kode, "nama_wilayah": name_of[(kode, kind)], C.JENIS_DAK: kind,
            "n_item": int(n_item_of.get((kode, kind), 0)), "pagu_flagged": pagu_flagged,
            "share_pagu": pagu_flagged / tot if tot and tot > 0 else np.nan,
            "worst": first["severity"], "codes": ", ".join(f"{c} ×{n}" for c, n in counts),
            "alasan": first["pesan"] + (f" (+{n_more} flag lain)" if n_more else ""),
            "reason": first["message"] + (f" (+{n_more} more)" if n_more else ""),
        })
    return pd.DataFrame(out, columns=cols)


def flag_offices(validation: Any, *, projection: Projection | None = None,
                 rules: Rules | None = None, as_of: object = None,
                 first_semester: FirstSemesterFlags | None = None) -> pd.DataFrame:
    """The one catalogue of flags per OPD: procurement, threshold risk and data quality.

    Parameters
    ----------
    validation : ValidationReport
        Its valid rows feed the first-semester flags; its quarantine gives ``data-incomplete``.
    projection : Projection, optional
        Adds ``will-miss-threshold`` / ``at-risk-threshold`` and supplies the typical profile.
    rules : Rules, optional
    as_of : str or date, optional
        Default: the latest period in the data (never the clock).
    first_semester : FirstSemesterFlags, optional
        Reuse an already computed :func:`flag_first_semester` result.

    Returns
    -------
    DataFrame
        One row per ``kode_wilayah`` × ``jenis_dak`` × ``code``: ``nama_wilayah``,
        ``severity``, ``title_id``, ``title_en``, ``pesan``, ``message``, ``n_item`` (items
        behind the flag), ``pagu_terdampak`` (pagu concerned), ``share_pagu`` and ``periode``.
        Codes are documented in :data:`FLAGS` and ``docs/flags.md``.

    Examples
    --------
    >>> import tempfile, pathlib, dak_monitor as dm
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "x.csv").write_text(
    ...     "Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
    ...     "2024;Juni 2024;32.05;BKB;1.000;0\\n2024;Juni 2024;32.79;BKB;1.000;600\\n"
    ...     "2024;Juni 2024;32.79;KB;1.000;1.500\\n")
    >>> flags = flag_offices(dm.validate_export(dm.read_export(d / "x.csv")))
    >>> flags[["kode_wilayah", "code", "severity"]].values.tolist()
    [['32.05', 'low-s1-absorption', 'warning'], ['32.05', 'no-spending-by-s1', 'warning'], ['32.79', 'data-incomplete', 'warning']]
    """
    rules = rules or (projection.rules if projection is not None else Rules())
    valid = as_frame(validation)
    quarantine = getattr(validation, "quarantine", None)
    source = valid if len(valid) else getattr(getattr(validation, "export", None), "data", valid)
    when = resolve_as_of(source, as_of if as_of is not None else
                         (projection.as_of if projection is not None else None))
    rows: list[dict[str, Any]] = []
    fs = first_semester or flag_first_semester(valid, year=when.year, rules=rules, as_of=when,
                                               profile=projection)
    items = fs.items
    if len(items):
        latest = valid[valid[C.TAHUN].astype("Float64") == when.year]
        latest = latest[pd.to_datetime(latest[C.PERIODE]) <= when]
        latest = latest.assign(_item=item_keys(latest).to_numpy()).drop_duplicates(
            "_item", keep="last")
        totals = latest.groupby([C.KODE_WILAYAH, C.JENIS_DAK])[C.PAGU].sum()
        for (kode, kind, code), g in items.groupby([C.KODE_WILAYAH, C.JENIS_DAK, "code"],
                                                   sort=True):
            is_item = FLAGS[code].level == "item"
            pagu = float(pd.to_numeric(g[C.PAGU], errors="coerce").sum())
            tot = float(totals.get((kode, kind), np.nan))
            n = len(g) if is_item else 0
            pesan = g["pesan"].iloc[0] + (f" (+{len(g) - 1} item lain)" if len(g) > 1 else "")
            message = g["message"].iloc[0] + (f" (+{len(g) - 1} more items)"
                                              if len(g) > 1 else "")
            rows.append({C.KODE_WILAYAH: kode, "nama_wilayah": g["nama_wilayah"].iloc[0],
                         C.JENIS_DAK: kind, "code": code, "severity": FLAGS[code].severity,
                         "title_id": FLAGS[code].title_id, "title_en": FLAGS[code].title_en,
                         "pesan": pesan, "message": message, "n_item": n,
                         "pagu_terdampak": pagu if is_item else np.nan,
                         "share_pagu": pagu / tot if is_item and tot > 0 else np.nan,
                         "periode": when})
    if projection is not None:
        tr = flag_threshold_risk(projection)
        for rec in tr.to_dict("records"):
            rows.append({C.KODE_WILAYAH: rec[C.KODE_WILAYAH], "nama_wilayah": rec["nama_wilayah"],
                         C.JENIS_DAK: rec[C.JENIS_DAK], "code": rec["code"],
                         "severity": rec["severity"], "title_id": rec["title_id"],
                         "title_en": rec["title_en"], "pesan": rec["pesan"],
                         "message": rec["message"], "n_item": 0, "pagu_terdampak": np.nan,
                         "share_pagu": np.nan, "periode": rec["periode"]})
    rows += _data_incomplete(quarantine, valid, when)
    out = pd.DataFrame(rows, columns=list(OFFICE_COLUMNS))
    return out.sort_values([C.KODE_WILAYAH, C.JENIS_DAK, "code"], kind="stable").reset_index(
        drop=True)


def _data_incomplete(quarantine: pd.DataFrame | None, valid: pd.DataFrame,
                     when: pd.Timestamp) -> list[dict[str, Any]]:
    if quarantine is None or quarantine.empty:
        return []
    q = quarantine
    if C.TAHUN in q:
        q = q[(q[C.TAHUN].astype("Float64") == when.year).fillna(True)]
    names = load_regions().drop_duplicates("kode").set_index("kode")["nama"]
    v = valid[valid[C.TAHUN].astype("Float64") == when.year]
    v = v.assign(_item=item_keys(v).to_numpy()).drop_duplicates("_item", keep="last")
    totals = v.groupby([C.KODE_WILAYAH, C.JENIS_DAK])[C.PAGU].sum()
    rows = []
    for (kode, kind), g in q.groupby([C.KODE_WILAYAH, C.JENIS_DAK], dropna=False, sort=True):
        pagu = float(pd.to_numeric(g[C.PAGU], errors="coerce").fillna(0).sum())
        tot = float(totals.get((kode, kind), 0.0)) + pagu
        share = pagu / tot if tot > 0 else np.nan
        jenis = "DAK fisik" if kind == C.FISIK else "BOKB (nonfisik)"
        ctx = {"n": str(len(g)), "jenis": jenis, "pagu": rp(pagu),
               "share": "-" if np.isnan(share) else f"{share:.0%}"}
        info = FLAGS["data-incomplete"]
        pid, pen = _MSG["data-incomplete"]
        kode_s = kode if isinstance(kode, str) else "(tanpa kode)"
        rows.append({C.KODE_WILAYAH: kode_s, "nama_wilayah": names.get(kode_s),
                     C.JENIS_DAK: kind, "code": "data-incomplete", "severity": info.severity,
                     "title_id": info.title_id, "title_en": info.title_en,
                     "pesan": pid.format(**ctx), "message": pen.format(**ctx),
                     "n_item": len(g), "pagu_terdampak": pagu, "share_pagu": share,
                     "periode": when})
    return rows


def flag_table_markdown(flags: Mapping[str, FlagInfo] = FLAGS) -> str:
    """The catalogue as a Markdown table (used for ``docs/flags.md``)."""
    lines = ["| code | severity | level | title (id / en) | fires when |",
             "|---|---|---|---|---|"]
    for f in flags.values():
        lines.append(f"| `{f.code}` | {f.severity} | {f.level} | {f.title_id} / {f.title_en} "
                     f"| {f.description} |")
    return "\n".join(lines)
