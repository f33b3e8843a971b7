"""Tests of the check catalogue: one passing and one failing hand-made export per code.

Every case is a small CSV written to ``tmp_path``, read with :func:`dak_monitor.read_export` and
checked with :func:`dak_monitor.validate_export`. Rows are numbered as a text editor shows them:
the header is line 1, so the first data row is 2 and the row under test is usually 3. The
expected problems are derived by hand from the numbers written in each case (pagu Rp 1.000,
money tolerance Rp 1, percent tolerance 0.011 points, ...), never from the code under test.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.errors import SchemaWarning

import dak_monitor as dm
from dak_monitor.schemas import CHECKS, ERROR, WARNING, FisikExport, NonfisikExport

# ------------------------------------------------------------------------------ helpers
NF_COLUMNS = ("Tahun", "Periode", "Kode Provinsi", "Kode Wilayah", "Kabupaten/Kota", "Menu",
              "Pagu", "Realisasi", "% Realisasi", "Capaian Output (%)")
FI_COLUMNS = ("Tahun", "Periode", "Kode Wilayah", "Kabupaten/Kota", "Menu", "Rincian", "Pagu",
              "Metode Pengadaan", "Status", "No. Kontrak", "Tanggal Kontrak", "Nilai Kontrak",
              "Penyaluran", "Realisasi", "Realisasi Fisik (%)")

NF_BASE = {"Tahun": "2024", "Periode": "Juni 2024", "Kode Provinsi": "32",
           "Kode Wilayah": "32.05", "Kabupaten/Kota": "Kab. Garut", "Menu": "Operasional BKB",
           "Pagu": "1.000", "Realisasi": "500", "% Realisasi": "", "Capaian Output (%)": ""}
FI_BASE = {"Tahun": "2024", "Periode": "Juni 2024", "Kode Wilayah": "32.05",
           "Kabupaten/Kota": "Kab. Garut", "Menu": "Sarana KB", "Rincian": "Obgyn Bed",
           "Pagu": "1.000", "Metode Pengadaan": "Tender", "Status": "Kontrak",
           "No. Kontrak": "027/SPK/01", "Tanggal Kontrak": "01/03/2024", "Nilai Kontrak": "900",
           "Penyaluran": "500", "Realisasi": "500", "Realisasi Fisik (%)": "50"}


def nf(**cells: str) -> dict[str, str]:
    """A nonfisik row: the base row with some cells replaced (keyword = header without
    spaces/punctuation, see ``_KEYS``)."""
    return _row(NF_BASE, cells)


def fi(**cells: str) -> dict[str, str]:
    """A fisik row: the base row with some cells replaced."""
    return _row(FI_BASE, cells)


_KEYS = {"tahun": "Tahun", "periode": "Periode", "prov": "Kode Provinsi",
         "kode": "Kode Wilayah", "nama": "Kabupaten/Kota", "menu": "Menu", "rincian": "Rincian",
         "pagu": "Pagu", "realisasi": "Realisasi", "persen": "% Realisasi",
         "capaian": "Capaian Output (%)", "metode": "Metode Pengadaan", "status": "Status",
         "nomor": "No. Kontrak", "tanggal": "Tanggal Kontrak", "nilai": "Nilai Kontrak",
         "penyaluran": "Penyaluran", "fisik": "Realisasi Fisik (%)"}


def _row(base: dict[str, str], cells: dict[str, str]) -> dict[str, str]:
    out = dict(base)
    for k, v in cells.items():
        out[_KEYS[k]] = v
    return out


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write rows as a ``;`` CSV; the header is the nonfisik or fisik one, by the first row."""
    columns = FI_COLUMNS if "Rincian" in rows[0] else NF_COLUMNS
    lines = [";".join(columns)]
    for r in rows:  # "__beyond__": a cell right of the header's last column
        lines.append(";".join([*(r.get(c, "") for c in columns),
                               *([r["__beyond__"]] if "__beyond__" in r else [])]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def validate_rows(tmp_path: Path, rows: list[dict[str, str]], name: str = "x.csv",
                  **kw: object) -> dm.ValidationReport:
    """Write, read and validate rows."""
    return dm.validate_export(dm.read_export(write_rows(tmp_path / name, rows)), **kw)


def found(report: dm.ValidationReport) -> set[tuple[int, str, str]]:
    """The problems as a set of (row, column, code)."""
    p = report.problems
    return {(int(r), str(c), str(k)) for r, c, k in zip(p["row"], p["column"], p["code"],
                                                        strict=True)}


# ----------------------------------------------------------------------------- the table
@dataclasses.dataclass(frozen=True)
class Case:
    """One code: a file that passes, a file that fails, and the problems the failure gives."""

    code: str
    passing: list[dict[str, str]]
    failing: list[dict[str, str]]
    #: (row, column, code) of every problem of the failing file (usually just the one).
    expected: frozenset[tuple[int, str, str]]
    note: str = ""


def case(code: str, first: dict[str, str], good: dict[str, str], bad: dict[str, str],
         column: str, *, also: tuple[tuple[str, str], ...] = (), note: str = "") -> Case:
    """The usual two-row case: ``first`` on line 2, then ``good`` or ``bad`` on line 3."""
    exp = {(3, column, code), *((3, col, c) for col, c in also)}
    return Case(code, [first, good], [first, bad], frozenset(exp), note)


_NF_OTHER = nf(menu="Dukungan Operasional KB")  # a different item on line 2
_FI_OTHER = fi(rincian="Implant Removal Kit")
_TOTAL = {"Kabupaten/Kota": "TOTAL", "Pagu": "2.000"}

CASES: list[Case] = [
    # --- cells the reader could not parse -------------------------------------------------
    case("unparseable-number", _NF_OTHER, nf(realisasi="1.000"), nf(realisasi="5.00.0"),
         "realisasi", note="'5.00.0' breaks the thousands grouping"),
    case("unparseable-date", _FI_OTHER, fi(tanggal="29/02/2024"), fi(tanggal="31/02/2024"),
         "tanggal_kontrak", note="29 February exists in 2024, 31 February never does"),
    case("unparseable-periode", _NF_OTHER, nf(periode="Juni 2024"), nf(periode="Juno 2024"),
         "periode"),
    case("unparseable-tahun", _NF_OTHER, nf(tahun="2024"), nf(tahun="20x4"), "tahun"),
    case("cell-beyond-header", _NF_OTHER, nf(capaian="50"),
         {**nf(capaian="50"), "__beyond__": "menunggu SP2D"}, "di_luar_judul_kolom",
         note="'50; menunggu SP2D' typed in the last column: one cell too many"),
    case("unparseable-region-code", _NF_OTHER, nf(kode="3205"), nf(kode="AB.CD"),
         "kode_wilayah", note="the name still gives the region"),
    # --- column checks ----------------------------------------------------------------------
    case("missing-value", _NF_OTHER, nf(menu="Operasional BKB"), nf(menu=""), "menu"),
    case("negative-value", _NF_OTHER, nf(realisasi="0"), nf(realisasi="(500)"), "realisasi"),
    case("spreadsheet-error-value", _NF_OTHER, nf(menu="Operasional BKB"), nf(menu="#N/A"),
         "menu", note="a VLOOKUP that failed in the office's sheet, exported as text"),
    case("percent-out-of-range", _NF_OTHER, nf(capaian="100"), nf(capaian="150"),
         "persen_capaian_output"),
    case("realisasi-fisik-out-of-range", _FI_OTHER, fi(fisik="100"), fi(fisik="100,5"),
         "persen_realisasi_fisik"),
    # --- regions ------------------------------------------------------------------------------
    case("unknown-region", _NF_OTHER, nf(kode="32.18", nama="Kab. Pangandaran"),
         nf(kode="32.19", nama="Kab. Garut Selatan"), "kode_wilayah",
         note="32.18 is the last kabupaten of Jawa Barat; 32.19 does not exist"),
    case("region-name-mismatch", _NF_OTHER, nf(kode="32.79", nama="Kota Banjar"),
         nf(kode="32.79", nama="Kota Tasikmalaya"), "kode_wilayah"),
    case("region-name-unknown", _NF_OTHER, nf(nama="Kabupaten Garut"),
         nf(nama="Kab. Atlantis"), "nama_wilayah"),
    case("region-name-ambiguous", _NF_OTHER, nf(kode="", nama="Kab. Bandung"),
         nf(kode="", nama="Bandung"), "nama_wilayah", also=(("kode_wilayah", "missing-value"),),
         note="Bandung is both Kabupaten (32.04) and Kota (32.73)"),
    case("province-mismatch", _NF_OTHER, nf(prov="32"), nf(prov="33"), "kode_provinsi"),
    # --- periods and money ----------------------------------------------------------------------
    case("periode-outside-tahun", _NF_OTHER, nf(tahun="2024"), nf(tahun="2023"), "periode"),
    case("realisasi-above-pagu", _NF_OTHER, nf(realisasi="1.001"), nf(realisasi="1.002"),
         "realisasi", note="pagu + Rp 1 is within the money tolerance, pagu + Rp 2 is not"),
    case("penyaluran-above-pagu", _FI_OTHER, fi(penyaluran="1.001"), fi(penyaluran="1.002"),
         "penyaluran"),
    case("persen-mismatch", _NF_OTHER, nf(realisasi="454", persen="45"),
         nf(realisasi="454", persen="44,9"), "persen_realisasi",
         note="computed 45.4 %: a printed whole 45 allows 0.5 + 0.011, a printed 44.9 only "
              "0.05 + 0.011"),
    Case("realisasi-decreased",
         [nf(periode="Mei 2024", realisasi="400"), nf(periode="Juni 2024", realisasi="399")],
         [nf(periode="Mei 2024", realisasi="400"), nf(periode="Juni 2024", realisasi="398")],
         frozenset({(3, "realisasi", "realisasi-decreased")}),
         "a fall of Rp 1 is within the tolerance; the later row is blamed"),
    Case("pagu-changed",
         [nf(periode="Mei 2024"), nf(periode="Juni 2024", pagu="1.001")],
         [nf(periode="Mei 2024"), nf(periode="Juni 2024", pagu="1.002")],
         frozenset({(3, "pagu", "pagu-changed")}), "warned on the row where it appears"),
    Case("duplicate-row",
         [nf(), nf(menu="Operasional  bkb", periode="Mei 2024")],
         [nf(), nf(), nf()],
         frozenset({(3, "", "duplicate-row"), (4, "", "duplicate-row")}),
         "every occurrence after the first; case/spaces folded but another period is another "
         "row"),
    case("magnitude-outlier", _NF_OTHER, nf(realisasi="1.000"), nf(realisasi="100.000"),
         "realisasi", also=(("realisasi", "realisasi-above-pagu"),),
         note="100 × pagu is absurd (and above pagu)"),
    Case("total-mismatch",
         [nf(realisasi="400"), _NF_OTHER | {"Realisasi": "600"},
          {k: "" for k in NF_BASE} | _TOTAL | {"Realisasi": "1.002"}],
         [nf(realisasi="400"), _NF_OTHER | {"Realisasi": "600"},
          {k: "" for k in NF_BASE} | _TOTAL | {"Realisasi": "1.003"}],
         frozenset({(4, "realisasi", "total-mismatch")}),
         "sum 1.000; slack Rp 1 per row (2) + 0.05 % of 1.000 (0.5) = 2.5"),
    # --- DAK fisik -------------------------------------------------------------------------------
    case("kontrak-above-pagu", _FI_OTHER, fi(nilai="1.001"), fi(nilai="1.002"),
         "nilai_kontrak"),
    case("contract-date-outside-year", _FI_OTHER, fi(tanggal="01/01/2024"),
         fi(tanggal="31/12/2023"), "tanggal_kontrak"),
    case("contract-date-after-period", _FI_OTHER, fi(tanggal="30/06/2024"),
         fi(tanggal="01/07/2024"), "tanggal_kontrak",
         note="the last day of the period passes, the next day fails"),
    case("spending-without-contract", _FI_OTHER,
         fi(metode="Swakelola", status="Pelaksanaan Swakelola", nomor="", tanggal="", nilai=""),
         fi(status="Proses Pengadaan", nomor="", tanggal="", nilai=""), "realisasi",
         note="swakelola spends without a contract; a tendered item may not"),
    case("status-inconsistent", _FI_OTHER,
         fi(status="Belum Proses", nomor="", tanggal="", nilai="", penyaluran="0",
            realisasi="0", fisik="0"),
         fi(status="Belum Proses", penyaluran="0", realisasi="0", fisik="0"),
         "status_pengadaan", note="'Belum Proses' although a contract exists"),
]
CASES_BY_CODE = {c.code: c for c in CASES}


#: Checks of whole files and sheets, not of rows: their cases are in ``tests/test_folders.py``
#: (file-not-read) and ``tests/test_units.py`` (units-unstated).
FOLDER_CHECKS = {"file-not-read", "units-unstated"}


def test_every_check_has_a_case() -> None:
    """The table covers every code of the catalogue, and only those."""
    assert len(CASES_BY_CODE) == len(CASES), "one case per code"
    assert set(CASES_BY_CODE) == set(CHECKS) - FOLDER_CHECKS


def test_catalogue_entries_are_complete() -> None:
    """Every check has a kebab-case code, a known severity and both message languages."""
    for code, info in CHECKS.items():
        assert info.code == code
        assert code == code.lower() and " " not in code and "_" not in code
        assert info.severity in (ERROR, WARNING)
        assert info.pesan and info.message and info.title_id and info.title_en


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.code)
def test_check_passes(c: Case, tmp_path: Path) -> None:
    """The passing file of each code yields no problem at all."""
    report = validate_rows(tmp_path, c.passing)
    assert found(report) == set(), c.note
    assert report.ok


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.code)
def test_check_fails(c: Case, tmp_path: Path) -> None:
    """The failing file yields exactly the expected problems, with the catalogue's severity."""
    report = validate_rows(tmp_path, c.failing)
    assert found(report) == set(c.expected), c.note
    sev = dict(zip(report.problems["code"], report.problems["severity"], strict=True))
    assert sev[c.code] == CHECKS[c.code].severity
    mine = report.problems[report.problems["code"] == c.code]
    assert (mine["pesan"] != "").all() and (mine["message"] != "").all()
    assert not mine["message"].str.contains("{", regex=False).any(), "unfilled template"
    # an error quarantines exactly the blamed rows (totals rows are not data rows)
    blamed = {r for r, _, code in c.expected if CHECKS[code].severity == ERROR}
    assert set(report.quarantine["sumber_baris"]) == blamed
    assert report.ok == (not blamed)


# ------------------------------------------------------------------------- boundaries
@pytest.mark.parametrize(("realisasi", "fails"), [
    ("999", False), ("1.000", False), ("1.001", False), ("1.002", False), ("1.003", True)])
def test_realisasi_above_pagu_boundary(realisasi: str, fails: bool, tmp_path: Path) -> None:
    """realisasi == pagu and pagu + Rp 1 pass; pagu + Rp 2 fails (pagu here is Rp 1.001)."""
    report = validate_rows(tmp_path, [nf(pagu="1.001", realisasi=realisasi)])
    assert found(report) == ({(2, "realisasi", "realisasi-above-pagu")} if fails else set())


@pytest.mark.parametrize(("column", "key"), [("nilai_kontrak", "nilai"),
                                             ("penyaluran", "penyaluran")])
@pytest.mark.parametrize(("value", "fails"), [("1.000", False), ("1.001", False),
                                              ("1.002", True)])
def test_fisik_money_above_pagu_boundary(column: str, key: str, value: str, fails: bool,
                                         tmp_path: Path) -> None:
    """nilai_kontrak and penyaluran: pagu and pagu + Rp 1 pass, pagu + Rp 2 fails."""
    code = {"nilai_kontrak": "kontrak-above-pagu", "penyaluran": "penyaluran-above-pagu"}[column]
    report = validate_rows(tmp_path, [fi(**{key: value})])
    assert found(report) == ({(2, column, code)} if fails else set())


@pytest.mark.parametrize(("realisasi", "printed", "fails"), [
    # pagu 1.000: computed = realisasi / 10 percent
    ("454", "45", False),     # 45.4 vs 45: |0.4| <= 0.5 + 0.011 (printed precision 0.5)
    ("455", "45", False),     # 45.5 vs 45: 0.5 <= 0.511
    ("456", "45", True),      # 45.6 vs 45: 0.6 > 0.511
    # "45,0" is the value 45.0: the precision is inferred from the value, not from the text,
    # so a printed "45,0" is treated like "45" (half a unit) and 45.4 still passes.
    ("454", "45,0", False),
    ("454", "44,9", True),    # 45.4 vs 44.9: 0.5 > 0.05 + 0.011
    ("454", "45,4", False),   # exact
    ("455", "45,4", True),    # 45.5 vs 45.4: 0.1 > 0.061
    ("454", "45,45", True),   # 45.4 vs 45.45: 0.05 > 0.005 + 0.011 (two printed decimals)
])
def test_persen_mismatch_printed_precision(realisasi: str, printed: str, fails: bool,
                                           tmp_path: Path) -> None:
    """The printed percent is compared with realisasi/pagu within its printed precision."""
    report = validate_rows(tmp_path, [nf(realisasi=realisasi, persen=printed)])
    assert found(report) == ({(2, "persen_realisasi", "persen-mismatch")} if fails else set())


@pytest.mark.parametrize(("pagu", "realisasi", "printed", "fails"), [
    ("10.000", "4.544", "45,44", False),  # exact
    ("10.000", "4.544", "45,43", False),  # 0.01 <= 0.005 + 0.011
    ("10.000", "4.544", "45,42", True),   # 0.02 > 0.016
    ("0", "0", "0", False),               # nothing to compare
    ("0", "0", "5", True),                # a percent of a zero pagu
])
def test_persen_mismatch_two_decimals_and_zero_pagu(pagu: str, realisasi: str, printed: str,
                                                    fails: bool, tmp_path: Path) -> None:
    """Two printed decimals allow 0.016 points; a nonzero percent of a zero pagu fails."""
    report = validate_rows(tmp_path, [nf(pagu=pagu, realisasi=realisasi, persen=printed)])
    assert found(report) == ({(2, "persen_realisasi", "persen-mismatch")} if fails else set())


@pytest.mark.parametrize(("periode", "tanggal", "expected"), [
    ("Juni 2024", "30/06/2024", None),
    ("Juni 2024", "01/07/2024", "contract-date-after-period"),
    ("Mei 2024", "31/05/2024", None),
    ("Mei 2024", "01/06/2024", "contract-date-after-period"),
    ("Desember 2024", "31/12/2024", None),
    ("Desember 2024", "01/01/2025", "contract-date-outside-year"),
    ("Juni 2024", "01/01/2025", "contract-date-outside-year"),  # not also after-period
    ("Juni 2024", "01/01/2024", None),
    ("Juni 2024", "31/12/2023", "contract-date-outside-year"),
])
def test_contract_date_boundaries(periode: str, tanggal: str, expected: str | None,
                                  tmp_path: Path) -> None:
    """A contract on the last day of the period passes, the next day fails; other years fail
    as outside the year only."""
    report = validate_rows(tmp_path, [fi(periode=periode, tanggal=tanggal)])
    assert found(report) == ({(2, "tanggal_kontrak", expected)} if expected else set())


@pytest.mark.parametrize(("realisasi", "expected"), [
    ("0", set()), ("1", set()),  # Rp 1 is within the money tolerance
    ("2", {"spending-without-contract"})])
def test_spending_without_contract_tolerance(realisasi: str, expected: set[str],
                                             tmp_path: Path) -> None:
    """Spending counts from pagu tolerance upwards (Rp 1 is rounding, Rp 2 is spending)."""
    report = validate_rows(tmp_path, [fi(status="Proses Pengadaan", nomor="", tanggal="",
                                         nilai="", realisasi=realisasi, fisik="0")])
    assert {c for _, _, c in found(report)} == expected


@pytest.mark.parametrize(("cells", "flagged"), [
    ({"nomor": "027/SPK/01", "tanggal": "", "nilai": ""}, False),  # the number alone is data
    ({"nomor": "", "tanggal": "01/03/2024", "nilai": ""}, False),
    ({"nomor": "", "tanggal": "", "nilai": "900"}, False),
    ({"nomor": "", "tanggal": "", "nilai": "0"}, True),  # a zero value is no contract
])
def test_any_contract_field_counts_as_contract(cells: dict[str, str], flagged: bool,
                                               tmp_path: Path) -> None:
    """Any one of number, date or (nonzero) value is contract data."""
    report = validate_rows(tmp_path, [fi(**cells)])
    codes = {c for _, _, c in found(report)}
    assert ("spending-without-contract" in codes) == flagged
    assert codes <= {"spending-without-contract", "status-inconsistent"}


@pytest.mark.parametrize(("factor_pagu", "codes"), [
    ("9.999", {(3, "pagu", "pagu-changed")}),  # ratio < 10: only a change
    ("10.000", {(3, "pagu", "pagu-changed"), (3, "pagu", "magnitude-outlier")}),
])
def test_magnitude_outlier_pagu_jump(factor_pagu: str, codes: set[tuple[int, str, str]],
                                     tmp_path: Path) -> None:
    """A pagu ten times the previous period's is an absurd magnitude blamed on pagu."""
    report = validate_rows(tmp_path, [nf(periode="Mei 2024"),
                                      nf(periode="Juni 2024", pagu=factor_pagu)])
    assert found(report) == codes


def test_magnitude_outlier_below_factor(tmp_path: Path) -> None:
    """Just under 100 × pagu is above pagu but not an absurd magnitude."""
    report = validate_rows(tmp_path, [nf(realisasi="99.999")])
    assert found(report) == {(2, "realisasi", "realisasi-above-pagu")}


def test_decrease_blames_later_row_and_names_earlier(tmp_path: Path) -> None:
    """A cumulative fall is blamed on the later period and its message names the earlier row."""
    report = validate_rows(tmp_path, [nf(periode="Juni 2024", realisasi="300"),
                                      nf(periode="Mei 2024", realisasi="400")])
    assert found(report) == {(2, "realisasi", "realisasi-decreased")}
    msg = report.problems["message"].iloc[0]
    assert "row 3" in msg and "Rp 400" in msg and "Rp 300" in msg


def test_duplicate_message_names_first_occurrence(tmp_path: Path) -> None:
    """A duplicate's message points at the first occurrence."""
    report = validate_rows(tmp_path, [_NF_OTHER, nf(), nf()])
    assert found(report) == {(4, "", "duplicate-row")}
    assert "row 3" in report.problems["message"].iloc[0]


# ------------------------------------------------------------------------------- rules
@pytest.mark.parametrize(("rules", "fails"), [
    (None, True), (dm.Rules(), True), (dm.Rules(money_tolerance=1000), False)])
def test_rules_change_the_money_outcome(rules: dm.Rules | None, fails: bool,
                                        tmp_path: Path) -> None:
    """A larger money tolerance lets realisasi Rp 2 above pagu pass."""
    report = validate_rows(tmp_path, [nf(realisasi="1.002")], rules=rules)
    assert found(report) == ({(2, "realisasi", "realisasi-above-pagu")} if fails else set())


def test_rules_zero_tolerance_flags_one_rupiah(tmp_path: Path) -> None:
    """With no money tolerance, Rp 1 above pagu is already an error."""
    report = validate_rows(tmp_path, [nf(realisasi="1.001")], rules=dm.Rules(money_tolerance=0))
    assert found(report) == {(2, "realisasi", "realisasi-above-pagu")}


def test_rules_percent_tolerance(tmp_path: Path) -> None:
    """A wider percent tolerance accepts a print 1 point off; the default does not."""
    rows = [nf(realisasi="454", persen="44,4")]  # 45.4 vs 44.4
    assert found(validate_rows(tmp_path, rows)) == {(2, "persen_realisasi", "persen-mismatch")}
    assert found(validate_rows(tmp_path, rows, rules=dm.Rules(percent_tolerance=1.0))) == set()


def test_rules_outlier_and_history_factor(tmp_path: Path) -> None:
    """outlier_factor and history_factor move the magnitude-outlier threshold."""
    rows = [nf(periode="Mei 2024"), nf(periode="Juni 2024", pagu="3.000")]
    assert found(validate_rows(tmp_path, rows)) == {(3, "pagu", "pagu-changed")}
    strict = dm.Rules(history_factor=2.5)
    assert found(validate_rows(tmp_path, rows, rules=strict)) == {
        (3, "pagu", "pagu-changed"), (3, "pagu", "magnitude-outlier")}
    rows = [nf(realisasi="5.000")]
    assert "magnitude-outlier" in {c for *_, c in found(validate_rows(
        tmp_path, rows, rules=dm.Rules(outlier_factor=5)))}
    assert "magnitude-outlier" not in {c for *_, c in found(validate_rows(tmp_path, rows))}


def test_rules_total_tolerance(tmp_path: Path) -> None:
    """total_tolerance is relative: 1 % of the sum accepts a total Rp 10 off of Rp 1.000."""
    rows = [nf(realisasi="400"), _NF_OTHER | {"Realisasi": "600"},
            {k: "" for k in NF_BASE} | _TOTAL | {"Realisasi": "1.010"}]
    assert found(validate_rows(tmp_path, rows)) == {(4, "realisasi", "total-mismatch")}
    assert found(validate_rows(tmp_path, rows, rules=dm.Rules(total_tolerance=0.01))) == set()


# ----------------------------------------------------------------- the pandera models
def _nf_frame(n: int | None = None, **cols: list[object]) -> pd.DataFrame:
    if n is None:
        n = len(next(iter(cols.values()))) if cols else 1
    base: dict[str, list[object]] = {
        "tahun": [2024] * n, "periode": [pd.Timestamp("2024-06-30")] * n,
        "kode_provinsi": ["32"] * n, "kode_wilayah": ["32.05"] * n,
        "nama_wilayah": ["Kab. Garut"] * n, "menu": [f"Menu {i}" for i in range(n)],
        "pagu": [1000.0] * n, "realisasi": [500.0] * n}
    base.update(cols)
    frame = pd.DataFrame(base)
    frame["tahun"] = frame["tahun"].astype("Int64")
    return frame


def _fi_frame(**cols: list[object]) -> pd.DataFrame:
    n = len(next(iter(cols.values()))) if cols else 1
    frame = _nf_frame(n, **{k: v for k, v in cols.items() if k in ("pagu", "realisasi",
                                                                   "kode_wilayah", "periode")})
    frame["rincian"] = [f"Item {i}" for i in range(n)]
    frame["nilai_kontrak"] = cols.get("nilai_kontrak", [900.0] * n)
    frame["tanggal_kontrak"] = pd.to_datetime(cols.get("tanggal_kontrak",
                                                       [pd.Timestamp("2024-03-01")] * n))
    frame["nomor_kontrak"] = ["K-1"] * n
    frame["metode_pengadaan"] = ["Tender"] * n
    frame["status_pengadaan"] = ["Kontrak"] * n
    frame["persen_realisasi_fisik"] = cols.get("persen_realisasi_fisik", [50.0] * n)
    return frame


def _failed_checks(model: type, frame: pd.DataFrame) -> dict[str, set[int]]:
    try:
        model.validate(frame, lazy=True)  # type: ignore[attr-defined]
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        return {str(k): {int(i) for i in g["index"].dropna()}
                for k, g in fc.groupby("check")}
    return {}


def test_models_accept_clean_frames() -> None:
    """A clean frame of each kind passes its model untouched."""
    assert _failed_checks(NonfisikExport, _nf_frame()) == {}
    assert _failed_checks(FisikExport, _fi_frame()) == {}


def test_nonfisik_model_names_checks_by_code() -> None:
    """Used directly, NonfisikExport reports row and column checks under their codes."""
    frame = _nf_frame(realisasi=[500.0, 1200.0, -5.0], kode_wilayah=["32.05", "32.05", "32.19"],
                      nama_wilayah=["Kab. Garut", "Kab. Garut", "Kab. Garut Selatan"])
    assert _failed_checks(NonfisikExport, frame) == {
        "realisasi-above-pagu": {1}, "negative-value": {2}, "unknown-region": {2}}


def test_fisik_model_names_checks_by_code() -> None:
    """Used directly, FisikExport reports the DAK fisik checks under their codes."""
    frame = _fi_frame(nilai_kontrak=[900.0, 1500.0, 900.0],
                      tanggal_kontrak=[pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-01"),
                                       pd.Timestamp("2023-11-15")],
                      persen_realisasi_fisik=[50.0, 50.0, 120.0])
    assert _failed_checks(FisikExport, frame) == {
        "kontrak-above-pagu": {1}, "contract-date-outside-year": {2},
        "realisasi-fisik-out-of-range": {2}}


def test_model_warning_checks_warn_with_code() -> None:
    """A warning check (pagu-changed) does not fail the model but warns under its code."""
    frame = _nf_frame(periode=[pd.Timestamp("2024-05-31"), pd.Timestamp("2024-06-30")],
                      pagu=[1000.0, 1500.0])
    frame["menu"] = ["Operasional BKB"] * 2
    with pytest.warns(SchemaWarning, match="pagu-changed"):
        out = NonfisikExport.validate(frame, lazy=True)
    assert len(out) == 2


@pytest.mark.parametrize(("model", "kind"), [(NonfisikExport, "nonfisik"),
                                             (FisikExport, "fisik")])
def test_models_carry_every_row_check_of_their_kind(model: type, kind: str) -> None:
    """Every catalogue check with a row function for a kind is a named check of its model."""
    schema = model.to_schema()  # type: ignore[attr-defined]
    names = {c.name for c in schema.checks}
    for col in schema.columns.values():
        names |= {c.name for c in col.checks}
    wanted = {code for code, info in CHECKS.items() if info.find is not None
              and info.scope != "table" and kind in info.kinds}
    assert wanted <= names
    assert "kontrak-above-pagu" in names if kind == "fisik" else "kontrak-above-pagu" not in names
