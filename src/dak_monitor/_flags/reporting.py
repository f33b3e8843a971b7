"""Reporting flags: a partial, late or revised report, red reporting coverage, stalled
realisasi — each read off a :class:`~dak_monitor.ReportingStatus` for the as-of period."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._reporting import ReportingStatus
from .._text import say
from .._vocab import INFO, KINDS, MISSING, PARTIAL, RED, REPORTING_STATUSES, WARNING
from .._vocab import columns as C
from . import Hit, register_flag
from .semester import region_names


def _rec(kode: str, kind: str, when: pd.Timestamp, **more: Any) -> dict[str, Any]:
    return {C.KODE_WILAYAH: kode, "nama_wilayah": region_names().get(kode), C.JENIS_DAK: kind,
            "periode": when, **more}


def _now(rs: ReportingStatus) -> pd.DataFrame:
    return rs.table[rs.table[C.PERIODE] == rs.as_of]


@register_flag(
    "report-partial", WARNING, "opd", "reporting",
    title=("Laporan hanya sebagian", "Partial report"),
    description="The OPD's report of this jenis DAK for the report's period has fewer items, "
                "or less pagu (beyond `money_tolerance`), than its previous report: part of "
                "its money is not reported (see `dm.reporting_status`).",
    pesan="Laporan {jenis} {periode}: {n} item, pagu {pagu:rp}; laporan sebelumnya {n_lalu} "
          "item, pagu {pagu_lalu:rp}: sebagian belum dilaporkan.",
    message="{jenis} report {periode}: {n} items, pagu {pagu:rp}; the previous report "
            "{n_lalu} items, pagu {pagu_lalu:rp}: part of it is not reported.")
def _report_partial(rs: ReportingStatus) -> list[Hit]:
    now = _now(rs)
    now = now[now["parsial"]]
    return [Hit(_rec(r.kode_wilayah, r.jenis_dak, rs.as_of, n_item=int(r.n_item),
                     pagu_terdampak=float(r.pagu_sebelumnya - r.pagu)
                     if r.pagu_sebelumnya > r.pagu else np.nan),
                {"jenis": KINDS.label(r.jenis_dak), "periode": f"{rs.as_of:%m/%Y}",
                 "n": str(r.n_item), "pagu": float(r.pagu),
                 "n_lalu": str(r.n_item_sebelumnya), "pagu_lalu": float(r.pagu_sebelumnya)})
            for r in now.itertuples(index=False)]


@register_flag(
    "report-late", INFO, "opd", "reporting",
    title=("Laporan terlambat", "Report late"),
    description="The report of this jenis DAK for the report's period was uploaded "
                "(`tanggal_lapor`, its rows' latest) after its deadline (`reporting_deadline_day`"
                ": the 10th of the next month). Without `tanggal_lapor` lateness is not "
                "assessed and the reporting notes say so.",
    pesan="Laporan {jenis} {periode} masuk {tanggal}, setelah batas {batas}.",
    message="{jenis} report {periode} came in on {tanggal}, after the deadline {batas}.")
def _report_late(rs: ReportingStatus) -> list[Hit]:
    now = _now(rs)
    now = now[now["terlambat"].fillna(False).to_numpy(dtype=bool)]
    return [Hit(_rec(r.kode_wilayah, r.jenis_dak, rs.as_of),
                {"jenis": KINDS.label(r.jenis_dak), "periode": f"{rs.as_of:%m/%Y}",
                 "tanggal": f"{r.tanggal_lapor:%d/%m/%Y}", "batas": f"{r.batas_lapor:%d/%m/%Y}"})
            for r in now.itertuples(index=False)]


@register_flag(
    "reporting-coverage-red", WARNING, "opd", "reporting",
    title=("Cakupan pelaporan merah", "Reporting coverage red"),
    description="The OPD's reporting coverage in the report's month (the lower of the share "
                "of expected reports in and of expected pagu reported) is below "
                "`coverage_red` (50 %); raised on each jenis DAK whose report is missing or "
                "partial, beside `report-missing` / `report-partial`: the score, as SIGA "
                "scores field workers.",
    pesan="Cakupan pelaporan {periode}: {cakupan:.0%} (laporan {laporan}, pagu {pagu:.0%}) — "
          "merah; {jenis}: {status}.",
    message="Reporting coverage {periode}: {cakupan:.0%} (reports {laporan}, pagu "
            "{pagu:.0%}) — red; {jenis}: {status_en}.")
def _coverage_red(rs: ReportingStatus) -> list[Hit]:
    cov = rs.coverage[(rs.coverage[C.PERIODE] == rs.as_of) & (rs.coverage["warna"] == RED)]
    if cov.empty:
        return []
    now = _now(rs)
    hits = []
    for c in cov.itertuples(index=False):
        for r in now[(now[C.KODE_WILAYAH] == c.kode_wilayah)
                     & now["status"].isin([MISSING, PARTIAL])].itertuples(index=False):
            pagu_share = float(c.cakupan_pagu)
            hits.append(Hit(
                _rec(r.kode_wilayah, r.jenis_dak, rs.as_of,
                     pagu_terdampak=float(r.pagu_diharapkan - (r.pagu if r.dilaporkan else 0)),
                     share_pagu=1 - c.cakupan_pagu if not np.isnan(c.cakupan_pagu) else np.nan),
                {"periode": f"{rs.as_of:%m/%Y}", "cakupan": float(c.cakupan),
                 "laporan": f"{c.laporan_masuk}/{c.laporan_diharapkan}", "pagu": pagu_share,
                 "jenis": KINDS.label(r.jenis_dak), "status": REPORTING_STATUSES.label(r.status),
                 "status_en": REPORTING_STATUSES.label(r.status, "en")}))
    return hits


@register_flag(
    "stalled", WARNING, "opd", "reporting",
    title=("Realisasi tidak bergerak", "Realisasi stalled"),
    description="The OPD's realisasi of this jenis DAK has not moved for `stalled_months` (3) "
                "months or more up to its latest report while its absorption is below the "
                "typical profile by then; the message gives the months and the Rupiah idle.",
    pesan="Realisasi {jenis} tidak bergerak {bulan} bulan (sejak {sejak}, tetap "
          "{realisasi:rp}); serapan {serapan:.0%} di bawah tipikal {tipikal:.0%}; {sisa:rp} "
          "belum terserap{mengendap}.",
    message="{jenis} realisasi has not moved for {bulan} months (since {sejak}, still "
            "{realisasi:rp}); absorption {serapan:.0%} below the typical {tipikal:.0%}; "
            "{sisa:rp} not absorbed{mengendap_en}.")
def _stalled(rs: ReportingStatus) -> list[Hit]:
    hits = []
    for r in rs.stalled.itertuples(index=False):
        idle = r.dana_mengendap
        has_idle = isinstance(idle, float) and not np.isnan(idle) and idle > 0
        hits.append(Hit(
            _rec(r.kode_wilayah, r.jenis_dak, r.periode, pagu_terdampak=float(r.sisa),
                 share_pagu=float(r.sisa / r.pagu) if r.pagu > 0 else np.nan),
            {"jenis": KINDS.label(r.jenis_dak), "bulan": str(r.bulan_diam),
             "sejak": f"{r.sejak:%m/%Y}", "realisasi": float(r.realisasi),
             "serapan": float(r.serapan), "tipikal": float(r.serapan_tipikal),
             "sisa": float(r.sisa),
             "mengendap": say("; dana mengendap di RKUD {x:rp}", "id", x=idle)
             if has_idle else "",
             "mengendap_en": say("; {x:rp} received and idle", "en", x=idle)
             if has_idle else ""}))
    return hits


@register_flag(
    "report-revised", INFO, "opd", "reporting",
    title=("Laporan lalu direvisi", "Earlier report revised"),
    description="A later export changed a pagu, realisasi or penyaluran this OPD reported for "
                "an earlier period (same item and period; `history=` gives the earlier "
                "export): the later figure is used; `ReportingStatus.revisions` lists old and "
                "new values and both files.",
    pesan="{n} angka {jenis} direvisi di {periode_list} (mis. {contoh}).",
    message="{n} {jenis} figures revised in {periode_list} (e.g. {contoh_en}).")
def _report_revised(rs: ReportingStatus) -> list[Hit]:
    hits = []
    for (kode, kind), g in rs.revisions.groupby([C.KODE_WILAYAH, C.JENIS_DAK], sort=True):
        first = g.iloc[0]
        item = first[C.MENU] if not isinstance(first[C.RINCIAN], str) else first[C.RINCIAN]
        periods = ", ".join(f"{p:%m/%Y}" for p in sorted(set(g[C.PERIODE])))
        hits.append(Hit(
            _rec(kode, kind, rs.as_of, n_item=int(g[C.MENU].nunique())),
            {"n": str(len(g)), "jenis": KINDS.label(kind), "periode_list": periods,
             "contoh": say("{i} {p:%m/%Y} {k} {a:rp} → {b:rp}", "id", i=item,
                           p=first[C.PERIODE], k=first["kolom"], a=first["lama"],
                           b=first["baru"]),
             "contoh_en": say("{i} {p:%m/%Y} {k} {a:rp} → {b:rp}", "en", i=item,
                              p=first[C.PERIODE], k=first["kolom"], a=first["lama"],
                              b=first["baru"])}))
    return hits
