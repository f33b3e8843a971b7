"""Tests of the first-semester procurement flags and the flag catalogue."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dak_monitor as dm

ROOT = Path(__file__).resolve().parents[1]


def fisik_rows(items: list[dict[str, object]], months: list[int], year: int = 2024
               ) -> pd.DataFrame:
    """Canonical fisik rows: each item dict gives its contract (date, reported from month)."""
    rows = []
    for it in items:
        for m in months:
            date = it.get("tanggal")
            seen = it.get("seen_from", 1)
            has = date is not None and m >= seen
            rows.append({
                "tahun": year,
                "periode": pd.Timestamp(year, m, 1) + pd.offsets.MonthEnd(0),
                "kode_wilayah": it.get("kode", "32.05"), "jenis_dak": "fisik",
                "menu": "Sarana", "rincian": it["rincian"], "pagu": it.get("pagu", 100.0),
                "realisasi": it.get("realisasi", 0.0),
                "metode_pengadaan": it.get("metode", "e-Purchasing"),
                "nomor_kontrak": f"SPK/{it['rincian']}" if has else None,
                "tanggal_kontrak": pd.Timestamp(date) if has else pd.NaT,
                "sumber_file": "f.csv", "sumber_sheet": "", "sumber_baris": len(rows) + 2,
            })
    return pd.DataFrame(rows)


def codes_of(flags: dm.FirstSemesterFlags, rincian: str) -> set[str]:
    items = flags.items
    return set(items.loc[items["rincian"] == rincian, "code"])


# ------------------------------------------------------------------------ scenarios
@pytest.mark.parametrize(
    ("item", "as_of", "expected"),
    [
        # a contract on the cut-off day counts for semester I
        ({"rincian": "a", "tanggal": "2024-06-30"}, "2024-06", set()),
        # one day later: a contract after semester I, not a missing one
        ({"rincian": "a", "tanggal": "2024-07-01", "seen_from": 7}, "2024-07",
         {"contract-after-s1"}),
        # none at all, June report: missing in S1 and the 22 July deadline is 22 days away
        ({"rincian": "a"}, "2024-06", {"no-contract-by-s1", "contract-deadline-at-risk"}),
        # none by the deadline, August report: missed (and missing in S1)
        ({"rincian": "a"}, "2024-08", {"no-contract-by-s1", "contract-deadline-missed"}),
        # swakelola needs no contract
        ({"rincian": "a", "metode": "Swakelola"}, "2024-08", set()),
        # dated in May but first reported in July: contracted in S1, reported late
        ({"rincian": "a", "tanggal": "2024-05-15", "seen_from": 7}, "2024-07",
         {"contract-reported-late"}),
        # signed after the deadline: after S1, and the deadline was missed
        ({"rincian": "a", "tanggal": "2024-07-25", "seen_from": 8}, "2024-08",
         {"contract-after-s1", "contract-deadline-missed"}),
    ],
)
def test_fisik_scenarios(item: dict[str, object], as_of: str, expected: set[str]) -> None:
    """Each procurement scenario gives exactly the flags its dates call for."""
    months = list(range(1, pd.Timestamp(as_of).month + 1))
    frame = fisik_rows([item, {"rincian": "ok", "tanggal": "2024-03-01", "realisasi": 50.0}],
                       months)
    flags = dm.flag_first_semester(frame, year=2024, as_of=as_of)
    assert codes_of(flags, "a") == expected
    assert codes_of(flags, "ok") == set()


def test_late_report_before_it_arrives_is_missing() -> None:
    """As of June, a contract that only shows up in July is (still) missing in semester I."""
    frame = fisik_rows([{"rincian": "a", "tanggal": "2024-05-15", "seen_from": 7}],
                       list(range(1, 8)))
    june = dm.flag_first_semester(frame, year=2024, as_of="2024-06")
    assert "no-contract-by-s1" in codes_of(june, "a")


def test_deadline_per_year_and_warning_days() -> None:
    """The deadline comes from Rules per year; the warning window is configurable."""
    frame = fisik_rows([{"rincian": "a"}], list(range(1, 7)), year=2023)
    # 2023: extended deadline 31 July; 30 June is 31 days before it -> outside 30 days
    f30 = dm.flag_first_semester(frame, year=2023, as_of="2023-06")
    assert "contract-deadline-at-risk" not in codes_of(f30, "a")
    f45 = dm.flag_first_semester(frame, year=2023, as_of="2023-06",
                                 rules=dm.Rules(deadline_warning_days=45))
    assert "contract-deadline-at-risk" in codes_of(f45, "a")
    assert f45.deadline == pd.Timestamp("2023-07-31").date()


def test_missing_june_report_and_before_cutoff() -> None:
    """No June report gives s1-report-missing; before June no semester-I flag is given."""
    frame = fisik_rows([{"rincian": "a", "tanggal": "2024-03-01", "realisasi": 60.0}],
                       [1, 2, 3, 4, 5, 7])
    flags = dm.flag_first_semester(frame, year=2024, as_of="2024-07")
    assert "s1-report-missing" in set(flags.items["code"])
    early = dm.flag_first_semester(frame, year=2024, as_of="2024-05")
    assert early.items.empty
    assert early.notes and "not over" in early.notes[0]


def nonfisik_rows(menus: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """June rows of BOKB menus: name -> (pagu, realisasi)."""
    return pd.DataFrame([{
        "tahun": 2024, "periode": pd.Timestamp("2024-06-30"), "kode_wilayah": "32.05",
        "jenis_dak": "nonfisik", "menu": name, "rincian": None, "pagu": p, "realisasi": r,
        "sumber_file": "n.csv", "sumber_sheet": "", "sumber_baris": i + 2}
        for i, (name, (p, r)) in enumerate(menus.items())])


def test_bokb_menus_zero_spending_and_zero_pagu() -> None:
    """A BOKB menu with zero realisasi is flagged; one with pagu 0 is not."""
    flags = dm.flag_first_semester(nonfisik_rows({"A": (100.0, 0.0), "B": (0.0, 0.0),
                                                  "C": (100.0, 60.0)}), year=2024)
    zero = flags.items[flags.items.code == "no-spending-by-s1"]
    assert zero["menu"].tolist() == ["A"]


def test_low_s1_absorption_uses_profile() -> None:
    """low-s1-absorption compares with low_s1_factor × the typical June absorption."""
    frame = nonfisik_rows({"A": (100.0, 20.0)})  # 20 % by June
    profile = pd.DataFrame({"nonfisik": np.linspace(0.05, 0.95, 12), "fisik": 0.5},
                           index=range(1, 13))
    typical_june = float(profile.loc[6, "nonfisik"])
    flags = dm.flag_first_semester(frame, year=2024, profile=profile)
    assert ("low-s1-absorption" in set(flags.items.code)) == (0.2 < 0.5 * typical_june)
    lenient = dm.flag_first_semester(frame, year=2024, profile=profile,
                                     rules=dm.Rules(low_s1_factor=0.1))
    assert "low-s1-absorption" not in set(lenient.items.code)


def test_opd_summary() -> None:
    """The OPD summary counts flagged items, their pagu share and the worst severity."""
    frame = fisik_rows([{"rincian": "a", "pagu": 300.0}, {"rincian": "b", "pagu": 100.0,
                                                          "tanggal": "2024-02-01",
                                                          "realisasi": 50.0}],
                       list(range(1, 9)))
    fs = dm.flag_first_semester(frame, year=2024)
    row = fs.opd.iloc[0]
    assert row.n_item == 1
    assert row.share_pagu == pytest.approx(300 / 400)
    assert row.worst == "error"  # the deadline was missed
    assert "contract-deadline-missed" in row.codes


# ---------------------------------------------------------------------- properties
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n_files=st.integers(1, 4))
def test_flags_independent_of_order_and_files(seed: int, n_files: int) -> None:
    """Flags do not depend on row order or on how the rows are split into files."""
    rng = np.random.default_rng(seed)
    items = [{"rincian": f"i{k}",
              "tanggal": rng.choice([None, "2024-03-01", "2024-06-30", "2024-07-10"]),
              "seen_from": int(rng.integers(1, 9)), "metode": rng.choice(
                  ["Tender", "Swakelola", "e-Purchasing"]),
              "kode": rng.choice(["32.05", "32.79"])} for k in range(6)]
    frame = fisik_rows(items, list(range(1, 9)))
    base = dm.flag_first_semester(frame, year=2024).items
    shuffled = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    shuffled["sumber_file"] = [f"f{i % n_files}.csv" for i in range(len(shuffled))]
    other = dm.flag_first_semester(shuffled, year=2024).items
    key = ["kode_wilayah", "rincian", "code"]
    assert sorted(map(tuple, base[key].fillna("").astype(str).values)) == sorted(
        map(tuple, other[key].fillna("").astype(str).values))


# ------------------------------------------------------------------------- samples
@pytest.fixture(scope="module")
def sample_result(monitor_result: dm.MonitorResult) -> dm.MonitorResult:
    """The monitoring result of the shipped samples (the session's, computed once)."""
    return monitor_result


def test_samples_laggards_flagged_and_early_ones_clean(sample_result: dm.MonitorResult) -> None:
    """Late, stalled and never-contracting sample OPDs are flagged; early ones are not."""
    arch = pd.read_csv(ROOT / "data_samples" / "archetypes.csv", dtype=str)
    by = dict(zip(arch.kode_wilayah, arch.archetype, strict=True))
    flags = sample_result.flags
    flagged = set(flags.kode_wilayah)
    for kode, kind in by.items():
        if kind in ("late", "stalled", "never-contracts"):
            assert kode in flagged, (kode, kind)
        if kind == "early":
            assert kode not in flagged, (kode, kind)
    never = [k for k, a in by.items() if a == "never-contracts"]
    fis = flags[(flags.jenis_dak == "fisik") & flags.kode_wilayah.isin(never)]
    for kode in never:
        codes = set(fis.loc[fis.kode_wilayah == kode, "code"])
        assert {"no-contract-by-s1", "will-miss-threshold"} <= codes, kode


def test_catalogue_is_documented(sample_result: dm.MonitorResult) -> None:
    """Every code in the catalogue has a title in both languages and a row in docs/flags.md."""
    doc = (ROOT / "docs" / "flags.md").read_text(encoding="utf-8")
    for code, info in dm.FLAGS.items():
        assert f"`{code}`" in doc
        assert info.title_id and info.title_en
    assert set(sample_result.flags["code"]) <= set(dm.FLAGS)
    cols = {"kode_wilayah", "nama_wilayah", "code", "severity", "title_id", "title_en",
            "pesan", "message"}
    assert cols <= set(sample_result.flags.columns)


def test_a_flag_added_in_one_place_is_raised_and_gathered() -> None:
    """Registering a flag is all it takes: its stage raises it, flag_offices gathers it with
    its severity and both messages, and the catalogue table lists it."""
    from dak_monitor._flags import FLAGS, Hit, flag_table_markdown, register_flag

    @register_flag("demo-big-pagu", "info", "opd", "validation",
                   title=("Pagu besar", "Large pagu"), description="demo",
                   pesan="{kode}: pagu di atas {batas}", message="{kode}: pagu above {batas}")
    def _big(quarantine: object, valid: pd.DataFrame, when: pd.Timestamp,
             export: object) -> list[Hit]:
        big = valid[valid["pagu"] > 1500]
        return [Hit({"kode_wilayah": k, "jenis_dak": "nonfisik", "periode": when},
                    {"kode": k, "batas": "1.500"}) for k in big["kode_wilayah"].unique()]

    try:
        f = pd.DataFrame({"tahun": [2024] * 2, "periode": pd.to_datetime(["2024-06-30"] * 2),
                          "kode_wilayah": ["32.05", "32.79"], "jenis_dak": ["nonfisik"] * 2,
                          "menu": ["BKB"] * 2, "rincian": [None] * 2, "pagu": [1000.0, 2000.0],
                          "realisasi": [600.0, 1200.0]})
        flags = dm.flag_offices(f)
        mine = flags[flags["code"] == "demo-big-pagu"]
        assert mine[["kode_wilayah", "severity", "pesan", "message"]].values.tolist() == [
            ["32.79", "info", "32.79: pagu di atas 1.500", "32.79: pagu above 1.500"]]
        assert "| `demo-big-pagu` | info | opd |" in flag_table_markdown()
    finally:
        FLAGS.remove("demo-big-pagu")
    assert "demo-big-pagu" not in set(dm.flag_offices(f)["code"])


# ============================================================================ reporting
def _reporting_year() -> pd.DataFrame:
    """Jan–Jun 2024 BOKB, menus A and B of pagu 100: Garut (32.05) complete, realisasi moving;
    Bogor (32.01) skips March and sends menu A alone in April; Cianjur (32.03) realisasi stuck
    at 20 from March on."""
    from helpers import frame

    recs = []
    for m in range(1, 7):
        for menu in ("A", "B"):
            recs.append({"kode": "32.05", "bulan": m, "menu": menu, "pagu": 100,
                         "realisasi": 15 * m})
            recs.append({"kode": "32.03", "bulan": m, "menu": menu, "pagu": 100,
                         "realisasi": 10 if m < 3 else 20})
            if not (m == 3 or (m == 4 and menu == "B")):
                recs.append({"kode": "32.01", "bulan": m, "menu": menu, "pagu": 100,
                             "realisasi": 15 * m})
    return frame(recs)


def _codes(flags: pd.DataFrame, code: str) -> list[str]:
    return flags.loc[flags["code"] == code, "kode_wilayah"].tolist()


def test_reporting_flags_in_the_one_catalogue() -> None:
    """As of March: Bogor missing, coverage 0 % — report-missing and reporting-coverage-red;
    as of April: Bogor partial (1 item of 2), coverage 50 % (yellow: no red flag); as of June
    Cianjur's realisasi stood at 20 since March (3 months, 20 % < typical 47 %): stalled."""
    f = _reporting_year()
    march = dm.flag_offices(f, as_of="2024-03")
    assert _codes(march, "report-missing") == ["32.01"]
    assert _codes(march, "reporting-coverage-red") == ["32.01"]
    red = march[march["code"] == "reporting-coverage-red"].iloc[0]
    assert "0%" in red["pesan"] and "tidak ada laporan" in red["pesan"]
    assert red["pagu_terdampak"] == 200.0
    april = dm.flag_offices(f, as_of="2024-04")
    assert _codes(april, "report-partial") == ["32.01"]
    assert _codes(april, "reporting-coverage-red") == []
    partial = april[april["code"] == "report-partial"].iloc[0]
    assert partial["pesan"] == ("Laporan BOKB (nonfisik) 04/2024: 1 item, pagu Rp 100; laporan "
                                "sebelumnya 2 item, pagu Rp 200: sebagian belum dilaporkan.")
    assert partial["pagu_terdampak"] == 100.0
    june = dm.flag_offices(f, as_of="2024-06")
    assert _codes(june, "stalled") == ["32.03"]
    stalled = june[june["code"] == "stalled"].iloc[0]
    assert "3 months" in stalled["message"] and "since 03/2024" in stalled["message"]
    assert stalled["pagu_terdampak"] == 160.0
    assert not {"report-late", "report-revised"} & set(june["code"])


def test_report_late_and_revised_flags() -> None:
    """Garut's June uploaded 12 July (deadline 10 July): report-late; last month's export had
    Garut's May menu A realisasi at 70 (now 75): report-revised, given the earlier export."""
    f = _reporting_year()
    tgl = np.where((f["kode_wilayah"] == "32.05") & (f["periode"] == f["periode"].max()),
                   pd.Timestamp(2024, 7, 12), pd.NaT)
    f = f.assign(tanggal_lapor=pd.to_datetime(tgl))
    previous = f[f["periode"] < f["periode"].max()].assign(sumber_file="mei.csv")
    fix = (previous["kode_wilayah"] == "32.05") & (previous["menu"] == "A") & (
        previous["periode"] == previous["periode"].max())
    previous.loc[fix, "realisasi"] = 70.0
    status = dm.reporting_status(f, history=previous)
    flags = dm.flag_offices(f, reporting=status)
    late = flags[flags["code"] == "report-late"]
    assert late["kode_wilayah"].tolist() == ["32.05"]
    assert late["message"].iloc[0] == ("BOKB (nonfisik) report 06/2024 came in on 12/07/2024, "
                                       "after the deadline 10/07/2024.")
    revised = flags[flags["code"] == "report-revised"]
    assert revised["kode_wilayah"].tolist() == ["32.05"]
    assert "05/2024" in revised["pesan"].iloc[0] and "Rp 70" in revised["pesan"].iloc[0]
    assert "revised" not in set(dm.flag_offices(f)["code"])


# ======================================================= DAK fisik item flags, stated plainly
# A slow, obviously-correct statement of the five DAK fisik item flags: one item at a time,
# in plain Python. The library's (array-wise) rules must give exactly these rows — evidence,
# messages and order — on the samples, the faulty folder, the benchmark matrix's `fisik23`
# writer and generated items.
FISIK_ITEM_CODES = ("no-contract-by-s1", "contract-after-s1", "contract-reported-late",
                    "contract-deadline-at-risk", "contract-deadline-missed")
ORDER = ["jenis_dak", "kode_wilayah", "menu", "rincian", "code"]


def _plain_key(rec: pd.Series) -> tuple[str, ...]:
    """An item: (tahun, kode_wilayah, jenis_dak, menu, rincian), text folded (case, spaces)."""
    def text(v: object) -> str:
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
    return (text(rec.get("tahun")), text(rec.get("kode_wilayah")), text(rec.get("jenis_dak")),
            " ".join(text(rec.get("menu")).casefold().split()),
            " ".join(text(rec.get("rincian")).casefold().split()))


def reference_fisik_flags(frame: pd.DataFrame, *, year: int, when: pd.Timestamp,
                          rules: dm.Rules | None = None) -> pd.DataFrame:
    """The five DAK fisik item flags of ``frame`` as of ``when``, one item at a time."""
    from dak_monitor._flags import FLAGS
    from dak_monitor._flags.semester import ITEM_COLUMNS, fmt_date, month_label, region_names
    from dak_monitor._text import say

    rules = rules or dm.Rules()
    cut = pd.Timestamp(rules.semester_cutoff(year))
    deadline = pd.Timestamp(rules.contract_deadline(year))
    names = region_names()
    data = frame[(frame["tahun"].astype("Float64") == year)
                 & (pd.to_datetime(frame["periode"]) <= when)]
    data = data.sort_values(["periode", "sumber_baris"] if "sumber_baris" in data
                            else ["periode"], kind="stable")
    reports: dict[tuple[str, ...], list[pd.Series]] = {}
    for _, rec in data.iterrows():
        metode = rec.get("metode_pengadaan")
        swakelola = isinstance(metode, str) and "swakelola" in metode.casefold()
        if rec["jenis_dak"] == "fisik" and rec["menu"] != "(rekap OPD)" and not swakelola:
            key = _plain_key(rec)
            reports.setdefault(key, []).append(rec)
    # items in the order of their latest report
    items = sorted(reports.values(), key=lambda rs: data.index.get_loc(rs[-1].name))

    def evidence(rec: pd.Series, **extra: object) -> dict[str, object]:
        return {"kode_wilayah": rec["kode_wilayah"],
                "nama_wilayah": names.get(rec["kode_wilayah"], rec.get("nama_wilayah")),
                "jenis_dak": rec["jenis_dak"], "menu": rec["menu"],
                "rincian": rec.get("rincian"), "metode_pengadaan": rec.get("metode_pengadaan"),
                "pagu": rec["pagu"], "realisasi": rec["realisasi"],
                "nomor_kontrak": rec.get("nomor_kontrak"),
                "tanggal_kontrak": rec.get("tanggal_kontrak"), "periode_dipakai": rec["periode"],
                "batas_semester": cut, "batas_kontrak": deadline,
                "sumber_file": rec.get("sumber_file"), "sumber_sheet": rec.get("sumber_sheet"),
                "sumber_baris": rec.get("sumber_baris"), "periode_kontrak_dilaporkan": pd.NaT,
                **extra}

    hits: dict[str, list[tuple[dict[str, object], dict[str, object]]]] = {
        c: [] for c in FISIK_ITEM_CODES}
    s1_done = when >= cut
    warn_from = deadline - pd.Timedelta(days=rules.deadline_warning_days)
    for rs in items:
        latest = rs[-1]
        by_cut = [r for r in rs if pd.Timestamp(r["periode"]) <= cut]
        at_cut = by_cut[-1] if by_cut else latest
        dated = [r for r in rs if pd.notna(pd.to_datetime(r.get("tanggal_kontrak"),
                                                          errors="coerce"))]
        first = dated[0] if dated else None
        rincian = latest.get("rincian")
        metode = latest.get("metode_pengadaan")
        msg = {"rincian": str(rincian or latest["menu"]), "metode": str(metode or "-"),
               "pagu": float(latest["pagu"]), "cutoff": fmt_date(cut),
               "deadline": fmt_date(deadline), "periode": month_label(when)}
        signed = None if first is None else pd.to_datetime(first["tanggal_kontrak"])
        if first is not None:
            seen = pd.Timestamp(first["periode"])
            contract = {**msg, "nomor": str(first.get("nomor_kontrak") or "-"),
                        "tanggal": fmt_date(signed)}
        if s1_done and first is None:
            hits["no-contract-by-s1"].append(
                (evidence(at_cut), {**msg, "periode": month_label(at_cut["periode"])}))
        if s1_done and first is not None and signed > cut:
            hits["contract-after-s1"].append(
                (evidence(first, periode_kontrak_dilaporkan=seen), contract))
        if s1_done and first is not None and signed <= cut < seen:
            hits["contract-reported-late"].append(
                (evidence(first, periode_kontrak_dilaporkan=seen),
                 {**contract, "dilaporkan": month_label(seen)}))
        if warn_from <= when < deadline and first is None:
            hits["contract-deadline-at-risk"].append(
                (evidence(latest), {**msg, "hari": str((deadline - when).days)}))
        if when >= deadline and (first is None or signed > deadline):
            hits["contract-deadline-missed"].append((evidence(latest), msg))
    rows = [{**rec, "code": code, "severity": FLAGS[code].severity,
             "title_id": FLAGS[code].title_id, "title_en": FLAGS[code].title_en,
             "pesan": say(FLAGS[code].pesan, "id", **ctx),
             "message": say(FLAGS[code].message, "en", **ctx)}
            for code in FISIK_ITEM_CODES for rec, ctx in hits[code]]
    out = pd.DataFrame(rows, columns=list(ITEM_COLUMNS))
    return out.sort_values(ORDER, kind="stable", na_position="first").reset_index(drop=True)


def assert_fisik_flags_as_stated(flags: dm.FirstSemesterFlags, frame: pd.DataFrame,
                                 rules: dm.Rules | None = None) -> None:
    """The library's five DAK fisik item flags are the plain statement's, row for row."""
    got = flags.items[flags.items["code"].isin(FISIK_ITEM_CODES)].reset_index(drop=True)
    want = reference_fisik_flags(frame, year=flags.year, when=flags.as_of, rules=rules)
    def plain(f: pd.DataFrame) -> pd.DataFrame:  # one spelling of "missing"
        f = f.astype(object)
        return f.where(f.notna(), None)

    assert len(got) == len(want)
    pd.testing.assert_frame_equal(plain(got), plain(want), check_dtype=False)


def test_fisik_item_flags_as_stated_on_the_samples(monitor_result: dm.MonitorResult) -> None:
    """On the shipped samples (current with history), row for row."""
    fs = monitor_result.first_semester
    assert set(FISIK_ITEM_CODES) & set(fs.items["code"])  # the comparison is not vacuous
    assert_fisik_flags_as_stated(fs, monitor_result.validation.valid)


@pytest.mark.parametrize("as_of", [None, "2024-06", "2024-08"])
def test_fisik_item_flags_as_stated_on_the_faulty_folder(as_of: str | None) -> None:
    """On the faulty sample folder, as of its own period and of June and August."""
    report = dm.validate_export(dm.read_export(ROOT / "data_samples" / "faulty"))
    valid = report.valid
    year = int(pd.to_numeric(valid["tahun"]).max())
    fs = dm.flag_first_semester(report, year=year, as_of=as_of)
    assert_fisik_flags_as_stated(fs, valid)


@pytest.fixture(scope="module")
def bench_fisik23(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The valid rows of the benchmark matrix's independent ``fisik23`` writer, 3,000 rows."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_matrix",
                                                  ROOT / "benchmarks" / "bench_matrix.py")
    assert spec is not None and spec.loader is not None
    bm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bm)
    path = tmp_path_factory.mktemp("fisik23") / "fisik23.csv"
    bm.write_shape("fisik23", 3000, path)
    return dm.validate_export(dm.read_export(path)).valid


@pytest.mark.parametrize("as_of", ["2024-06", "2024-05"])
@pytest.mark.parametrize("warning_days", [30, 10])
def test_fisik_item_flags_as_stated_on_the_bench_writer(bench_fisik23: pd.DataFrame,
                                                        as_of: str, warning_days: int) -> None:
    """On the benchmark writer's 23-column DAK fisik export (contracts, swakelola)."""
    rules = dm.Rules(deadline_warning_days=warning_days)
    fs = dm.flag_first_semester(bench_fisik23, year=2024, as_of=as_of, rules=rules)
    if as_of == "2024-06" and warning_days == 30:
        assert {"no-contract-by-s1", "contract-deadline-at-risk"} <= set(fs.items["code"])
    assert_fisik_flags_as_stated(fs, bench_fisik23, rules)


_DATES = st.sampled_from([None, "2024-02-10", "2024-06-30", "2024-07-01", "2024-07-22",
                          "2024-07-23", "2024-09-05", "not a date"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(st.fixed_dictionaries({
    "rincian": st.sampled_from(["a", "b", "B ", "c", "Obgyn  bed"]),
    "kode": st.sampled_from(["32.05", "32.79"]),
    "tanggal": _DATES, "seen_from": st.integers(1, 10),
    "metode": st.sampled_from(["Tender", "Swakelola", "e-Purchasing", None]),
    "pagu": st.sampled_from([0.0, 100.0, 2.5e9]),
    "from_month": st.integers(1, 9)}), min_size=1, max_size=7),
    last=st.integers(3, 10), menus=st.booleans(), shuffle=st.integers(0, 1000),
    warn=st.sampled_from([0, 30, 60]))
def test_fisik_item_flags_as_stated_on_generated_items(
        items: list[dict[str, object]], last: int, menus: bool, shuffle: int,
        warn: int) -> None:
    """Generated items — with and without contracts, dated before or after the cut-off and the
    deadline (or unreadably), reported early or late, swakelola, duplicated under folded names,
    new after the cut-off, the rows in any order — give exactly the plainly stated flags."""
    parts = []
    for k, it in enumerate(items):
        unreadable = it["tanggal"] == "not a date"
        rows = fisik_rows([{**it, "tanggal": "2024-02-10"} if unreadable else it],
                          list(range(min(int(it["from_month"]), last), last + 1)))
        if menus and k % 2:
            rows["menu"] = "Sarana " + str(k)
        if unreadable:
            rows["tanggal_kontrak"] = rows["tanggal_kontrak"].astype(object).where(
                rows["tanggal_kontrak"].isna(), "not a date")
        parts.append(rows)
    frame = pd.concat(parts, ignore_index=True)
    frame["sumber_baris"] = np.arange(len(frame)) + 2
    frame = frame.sample(frac=1, random_state=shuffle).reset_index(drop=True)
    rules = dm.Rules(deadline_warning_days=warn)
    fs = dm.flag_first_semester(frame, year=2024, rules=rules)
    assert_fisik_flags_as_stated(fs, frame, rules)


def test_no_contract_by_s1_evidence_is_the_items_own_june_report() -> None:
    """An item first reported in July must not shift the others' evidence: each
    no-contract-by-s1 row shows its own item's June report (or, for the new item, its
    latest). Before, the items at the cut-off were matched by a number that a new item
    shifted, and ``b`` showed ``c``'s June row."""
    frame = fisik_rows([{"rincian": "b", "pagu": 999.0}, {"rincian": "c"}], list(range(1, 9)))
    new = fisik_rows([{"rincian": "a"}], [7, 8]).assign(sumber_baris=[100, 101])
    fs = dm.flag_first_semester(pd.concat([frame, new], ignore_index=True), year=2024)
    got = fs.items[fs.items["code"] == "no-contract-by-s1"]
    assert got[["rincian", "pagu", "periode_dipakai"]].values.tolist() == [
        ["a", 100.0, pd.Timestamp("2024-08-31")], ["b", 999.0, pd.Timestamp("2024-06-30")],
        ["c", 100.0, pd.Timestamp("2024-06-30")]]
