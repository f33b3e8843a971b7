"""Validation of a read export: pandera schemas in, one readable problem per row out.

:func:`validate_export` runs the column checks of :mod:`dak_monitor.schemas` through pandera
(``lazy=True``) and the row-spanning and cross-column checks of the same schemas with the
rules given, and merges them with the cells the reader could not parse and the totals rows
that do not add up. pandera reports a frame-wide check once per column of the frame; here each
failing row gives exactly one problem per check, so 100,000 failing rows give 100,000
problems, not millions of failure cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ._checks import CHECKS, ERROR, WARNING, checks_for, pandera_check, unparsed_check
from ._config import Rules
from ._reader import Export
from ._items import item_keys
from ._html import card, table
from ._text import fmt_number, printable
from ._vocab import SEVERITY_RANK, check_lang
from ._vocab import columns as C
from .exceptions import SchemaValidationError
from .schemas import schema_for

__all__ = ["PROBLEM_COLUMNS", "ValidationReport", "validate_export"]

#: Columns of ``ValidationReport.problems``.
PROBLEM_COLUMNS: Final = ("file", "sheet", "row", "column", "code", "severity", "value",
                          "pesan", "message")

_MAX_TEXT_ROWS: Final = 40


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The result of :func:`validate_export`.

    Attributes
    ----------
    valid : DataFrame
        Data rows with no error (warnings allowed unless ``strict``): ready for the next stages.
    quarantine : DataFrame
        One row per quarantined source row: provenance, ``kode`` (all codes that apply),
        ``pesan``/``message`` (all messages, Indonesian/English), then the row's values.
    problems : DataFrame
        One row per problem: ``file``, ``sheet``, ``row``, ``column``, ``code``, ``severity``,
        ``value`` (as typed where a cell could not be parsed), ``pesan``, ``message``.
    files : DataFrame
        Per file and sheet: ``rows_read``, ``rows_valid``, ``rows_quarantined``,
        ``rows_skipped`` (read = valid + quarantined + skipped).
    export : Export
        What was validated.
    rules : Rules
    strict : bool
        Whether warnings count as errors.
    """

    valid: pd.DataFrame
    quarantine: pd.DataFrame
    problems: pd.DataFrame
    files: pd.DataFrame
    export: Export
    rules: Rules
    strict: bool

    @property
    def n_errors(self) -> int:
        """Number of error-severity problems."""
        return int((self.problems["severity"] == ERROR).sum())

    @property
    def n_warnings(self) -> int:
        """Number of warning-severity problems."""
        return int((self.problems["severity"] == WARNING).sum())

    @property
    def ok(self) -> bool:
        """True when no row has an error (and, with ``strict``, no warning)."""
        return self.n_errors == 0 and (not self.strict or self.n_warnings == 0)

    def totals(self) -> dict[str, int]:
        """Row counts over all files: read, valid, quarantined, skipped."""
        return {k: int(self.files[k].sum()) for k in
                ("rows_read", "rows_valid", "rows_quarantined", "rows_skipped")}

    def raise_if_invalid(self) -> None:
        """Raise :class:`SchemaValidationError` (with the summary) unless :attr:`ok`.

        Examples
        --------
        >>> import tempfile, pathlib, dak_monitor as dm
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "x.csv").write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
        ...                              "2024;Juni 2024;32.05;BKB;100.000;150.000\\n")
        >>> dm.validate_export(dm.read_export(d / "x.csv")).raise_if_invalid()
        Traceback (most recent call last):
        ...
        dak_monitor.exceptions.SchemaValidationError: Validasi: 2 baris dibaca = 0 valid + 1 dikarantina ...
        """
        if not self.ok:
            raise SchemaValidationError(self.summary(max_rows=20))

    def summary(self, *, lang: str = "id", max_rows: int = _MAX_TEXT_ROWS) -> str:
        """A report a person can act on: counts per file, then problems grouped by file and code.

        ``lang`` picks the message language (``"id"`` or ``"en"``); at most ``max_rows``
        problems are listed per code and file, with the count of the rest. Another ``lang``
        is a :class:`~dak_monitor.ConfigError`.
        """
        check_lang(lang)
        t = self.totals()
        def n_id(v: int) -> str:  # Indonesian thousands separator: 4.653
            return f"{v:,}".replace(",", ".")

        head = (f"Validasi: {n_id(t['rows_read'])} baris dibaca = {n_id(t['rows_valid'])} valid"
                f" + {n_id(t['rows_quarantined'])} dikarantina + {n_id(t['rows_skipped'])} "
                f"dilewati; {n_id(self.n_errors)} error, {n_id(self.n_warnings)} peringatan."
                ) if lang == "id" \
            else (f"Validation: {t['rows_read']:,} rows read = {t['rows_valid']:,} valid + "
                  f"{t['rows_quarantined']:,} quarantined + {t['rows_skipped']:,} skipped; "
                  f"{self.n_errors:,} errors, {self.n_warnings:,} warnings.")
        lines = [head]
        for rec in self.files.itertuples(index=False):
            where = rec.file + (f" [{rec.sheet}]" if rec.sheet else "")
            lines.append(f"  {where}: {rec.rows_read} = {rec.rows_valid} + "
                         f"{rec.rows_quarantined} + {rec.rows_skipped}"
                         + (f"  ({rec.note})" if rec.note else ""))
        if len(self.problems):
            msg_col = "pesan" if lang == "id" else "message"
            probs = self.problems.sort_values(["file", "sheet", "code", "row"], kind="stable")
            for (file, sheet, code), grp in probs.groupby(["file", "sheet", "code"], sort=False):
                where = file + (f" [{sheet}]" if sheet else "")
                sev = grp["severity"].iloc[0].upper()
                lines.append(f"\n{where} — {code} ({sev}, {len(grp)}×): "
                             f"{CHECKS[code].title_id if lang == 'id' else CHECKS[code].title_en}")
                for r in grp.head(max_rows).itertuples(index=False):
                    row = "-" if pd.isna(r.row) else int(r.row)
                    col = f" {r.column}" if r.column else ""
                    lines.append(f"    {'row' if lang == 'en' else 'baris'} {row}{col}: "
                                 f"{getattr(r, msg_col)}")
                if len(grp) > max_rows:
                    more = fmt_number(len(grp) - max_rows, lang)
                    lines.append(f"    … and {more} more" if lang == "en" else
                                 f"    … dan {more} lagi")
        else:
            lines.append("No problems found." if lang == "en" else "Tidak ada masalah.")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data: the JSON document of ``dak-monitor validate --format json``.

        Keys: ``ok``, ``strict``, the row counts, ``errors``, ``warnings``, ``files`` (one
        object per file and sheet) and ``problems`` (one object per problem, as in
        :attr:`problems`).

        Examples
        --------
        >>> import tempfile, pathlib, dak_monitor as dm
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "x.csv").write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
        ...                              "2024;Juni 2024;32.05;BKB;100.000;150.000\\n")
        >>> doc = dm.validate_export(dm.read_export(d / "x.csv")).to_dict()
        >>> doc["ok"], doc["rows_read"], [p["code"] for p in doc["problems"]]
        (False, 2, ['realisasi-above-pagu'])
        """
        t = self.totals()
        return {
            "ok": self.ok,
            "strict": self.strict,
            **t,
            "errors": self.n_errors,
            "warnings": self.n_warnings,
            "files": [{"file": r.file, "sheet": r.sheet, "rows_read": int(r.rows_read),
                       "rows_valid": int(r.rows_valid),
                       "rows_quarantined": int(r.rows_quarantined),
                       "rows_skipped": int(r.rows_skipped)}
                      for r in self.files.itertuples(index=False)],
            "problems": [
                {"file": r.file, "sheet": r.sheet,
                 "row": None if pd.isna(r.row) else int(r.row), "column": r.column,
                 "code": r.code, "severity": r.severity, "value": r.value, "pesan": r.pesan,
                 "message": r.message}
                for r in self.problems.itertuples(index=False)],
        }

    def to_junit(self) -> str:
        """JUnit XML for CI: one test case per file and sheet; blocking problems are failures.

        Errors fail a file (warnings too with ``strict``); the other problems are listed in
        its ``system-out``.

        Examples
        --------
        >>> import tempfile, pathlib, dak_monitor as dm
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "x.csv").write_text("Tahun;Periode;Kode Wilayah;Menu;Pagu;Realisasi\\n"
        ...                              "2024;Juni 2024;32.05;BKB;100.000;150.000\\n")
        >>> xml = dm.validate_export(dm.read_export(d / "x.csv")).to_junit()
        >>> 'failures="1"' in xml and "realisasi-above-pagu" in xml
        True
        """
        import xml.etree.ElementTree as ET

        probs = self.problems
        blocking = {ERROR, WARNING} if self.strict else {ERROR}
        suite = ET.Element("testsuite", name="dak-monitor validate")
        n_fail = 0
        for rec in self.files.itertuples(index=False):
            name = printable(rec.file + (f" [{rec.sheet}]" if rec.sheet else ""))
            case = ET.SubElement(suite, "testcase", classname="dak_monitor.validate", name=name)
            mine = probs[(probs["file"] == rec.file) & (probs["sheet"] == rec.sheet)]
            bad = mine[mine["severity"].isin(blocking)]
            # Cell text may hold any character; XML 1.0 allows no control characters.
            lines = [printable(f"row {r.row} {r.column} [{r.code}] {r.message}")
                     for r in mine.itertuples(index=False)]
            if len(bad):
                n_fail += 1
                failure = ET.SubElement(case, "failure", type="validation",
                                        message=f"{len(bad)} problem(s): "
                                                f"{', '.join(sorted(set(bad['code'])))}")
                failure.text = "\n".join(lines)
            elif lines:
                ET.SubElement(case, "system-out").text = "\n".join(lines)
        suite.set("tests", str(len(self.files)))
        suite.set("failures", str(n_fail))
        suite.set("errors", "0")
        return ET.tostring(suite, encoding="unicode", xml_declaration=True)

    def __repr__(self) -> str:
        t = self.totals()
        return (f"ValidationReport(ok={self.ok}, rows_read={t['rows_read']}, "
                f"valid={t['rows_valid']}, quarantined={t['rows_quarantined']}, "
                f"skipped={t['rows_skipped']}, errors={self.n_errors}, "
                f"warnings={self.n_warnings})")

    def _top_problems(self, lang: str = "id") -> pd.DataFrame:
        """Problems counted per check, most frequent first: ``code``, ``severity``,
        ``jumlah`` (count), ``judul`` (the check's title in ``lang``) and ``contoh`` (the
        first place it occurs: file, sheet and row)."""
        check_lang(lang)
        p = self.problems
        if p.empty:
            return pd.DataFrame(columns=["code", "severity", "jumlah", "judul", "contoh"])
        first = p.drop_duplicates("code").set_index("code")
        out = p.groupby("code", sort=False).size().rename("jumlah").reset_index()
        out["severity"] = out["code"].map(first["severity"])
        out["judul"] = [CHECKS[c].title_id if lang == "id" else CHECKS[c].title_en
                        for c in out["code"]]
        out["contoh"] = [first.at[c, "file"] + (f" [{first.at[c, 'sheet']}]"
                                                if first.at[c, "sheet"] else "")
                         + ("" if pd.isna(first.at[c, "row"]) else
                            f" baris/row {int(first.at[c, 'row'])}") for c in out["code"]]
        out["_rank"] = out["severity"].map(SEVERITY_RANK)
        out = out.sort_values(["_rank", "jumlah"], ascending=False, kind="stable")
        return out[["code", "severity", "jumlah", "judul", "contoh"]].reset_index(drop=True)

    def _repr_html_(self) -> str:
        """Compact HTML for notebooks: the row account, then the problems per check."""
        t = self.totals()
        facts = [("OK" if self.ok else "TIDAK OK / NOT OK"),
                 f"{t['rows_read']:,} dibaca / read = {t['rows_valid']:,} valid + "
                 f"{t['rows_quarantined']:,} dikarantina / quarantined + "
                 f"{t['rows_skipped']:,} dilewati / skipped",
                 f"{self.n_errors:,} error, {self.n_warnings:,} peringatan / warnings"]
        sections = []
        if len(self.problems):
            sections.append(("masalah per pemeriksaan / problems per check",
                             table(self._top_problems())))
        sections.append(("berkas / files", table(self.files[[
            "file", "sheet", "rows_read", "rows_valid", "rows_quarantined", "rows_skipped"]])))
        return card("ValidationReport", facts, sections)


def _fmt(template: str, ctx: pd.DataFrame) -> list[str]:
    records = ctx.to_dict("records")
    out = []
    for rec in records:
        try:
            out.append(template.format(**rec))
        except (KeyError, IndexError, ValueError):
            out.append(template)
    return out


def _value_text(series: pd.Series) -> pd.Series:
    def one(v: object) -> str:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, float):
            return f"{v:.2f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{v:.0f}"
        return str(v)
    return series.map(one)


def _problem_rows(data: pd.DataFrame, idx: pd.Index, code: str, column: str | None,
                  value: pd.Series, ctx: pd.DataFrame) -> pd.DataFrame:
    info = CHECKS[code]
    ctx = ctx.copy()
    ctx["value"] = value.to_numpy()
    ctx["column"] = column or ""
    return pd.DataFrame({
        "_pos": idx.to_numpy(),
        "file": data.loc[idx, C.SUMBER_FILE].to_numpy(),
        "sheet": data.loc[idx, C.SUMBER_SHEET].to_numpy(),
        "row": data.loc[idx, C.SUMBER_BARIS].to_numpy(),
        "column": column or "",
        "code": code,
        "severity": info.severity,
        "value": value.to_numpy(),
        "pesan": _fmt(info.pesan, ctx),
        "message": _fmt(info.message, ctx),
    })


def _typed_text(sub: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Text columns that hold only ``str`` (or missing) as pandas' string dtype.

    pandera checks an object column against a string dtype cell by cell in Python (seconds on
    a million rows); a string-dtype column is checked by its dtype. A column holding any
    non-text value stays as it is, so pandera still reports it.
    """
    conv = {}
    for name, col in schema.columns.items():
        if name in sub and sub[name].dtype == object and str(col.dtype).startswith("str"):
            arr = sub[name].to_numpy()
            try:
                "".join(arr[~pd.isna(arr)])
            except TypeError:
                continue
            conv[name] = "str"
    return sub.astype(conv) if conv else sub


def _column_problems(sub: pd.DataFrame, kind: str) -> list[pd.DataFrame]:
    """Column checks (types, nullability, ranges, codes) through pandera, lazily."""
    schema = schema_for(kind).to_schema()
    col_schema = pa.DataFrameSchema(schema.columns, strict=False, coerce=False,
                                    name=schema.name)
    try:
        col_schema.validate(_typed_text(sub, schema), lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
    out = []
    fc = fc[fc["index"].notna()]
    for (column, check), grp in fc.groupby(["column", "check"], sort=False):
        code = pandera_check(str(check)).code
        idx = pd.Index(grp["index"].astype("int64").unique())
        value = _value_text(sub.loc[idx, column]) if column in sub else pd.Series("", index=idx)
        out.append(_problem_rows(sub, idx, code, str(column), value,
                                 pd.DataFrame(index=range(len(idx)))))
    return out


def _row_problems(sub: pd.DataFrame, kind: str, rules: Rules) -> list[pd.DataFrame]:
    out = []
    for info in checks_for(kind, "row"):
        assert info.find is not None  # a row check always has its function
        bad = info.find(sub, rules).fillna(False).astype(bool)
        if not bad.any():
            continue
        idx = sub.index[bad.to_numpy()]
        ctx = (info.context(sub, idx, rules) if info.context is not None
               else pd.DataFrame(index=idx)).reset_index(drop=True)
        col = info.column
        value = (_value_text(sub.loc[idx, col]) if col and col in sub
                 else pd.Series("", index=idx))
        if "_column" in ctx:  # the check says which column is at fault, row by row
            value = _value_text(pd.Series(ctx.pop("_value").to_numpy(), index=idx))
            frame = _problem_rows(sub, idx, info.code, col, value, ctx.drop(columns="_column"))
            frame["column"] = ctx["_column"].to_numpy()
            out.append(frame)
            continue
        out.append(_problem_rows(sub, idx, info.code, col, value, ctx))
    return out


def _unparsed_problems(export: Export, data: pd.DataFrame) -> pd.DataFrame | None:
    un = export.unparsed
    if un.empty:
        return None
    # Position of each unparsed cell's row in ``data`` (first row of that provenance).
    prov = list(C.PROVENANCE)
    where = data[prov].assign(_p=np.arange(len(data))).drop_duplicates(prov)
    p = un[prov].merge(where, on=prov, how="left")["_p"].to_numpy(dtype=float)
    codes = un["kolom"].map(lambda col: unparsed_check(str(col)).code)
    ctx = pd.DataFrame({"value": un["nilai"].to_numpy(), "column": un["kolom"].to_numpy()})
    pesan, message = [], []
    for code, rec in zip(codes, ctx.to_dict("records"), strict=True):
        pesan.append(CHECKS[code].pesan.format(**rec))
        message.append(CHECKS[code].message.format(**rec))
    return pd.DataFrame({
        "_pos": p, "file": un[C.SUMBER_FILE].to_numpy(), "sheet": un[C.SUMBER_SHEET].to_numpy(),
        "row": un[C.SUMBER_BARIS].to_numpy(), "column": un["kolom"].to_numpy(),
        "code": codes.to_numpy(), "severity": ERROR, "value": un["nilai"].to_numpy(),
        "pesan": pesan, "message": message,
    })


def _table_problems(export: Export, rules: Rules) -> list[pd.DataFrame]:
    """Problems of the table checks (e.g. totals rows): not tied to one data row."""
    out = []
    for info in checks_for(scope="table"):
        assert info.find is not None  # a table check always has its function
        ctx = info.find(export, rules)
        if ctx is None or ctx.empty:
            continue
        ctx = ctx.reset_index(drop=True)
        out.append(pd.DataFrame({
            "_pos": np.nan, "file": ctx["file"], "sheet": ctx["sheet"], "row": ctx["row"],
            "column": ctx["column"], "code": info.code, "severity": info.severity,
            "value": ctx["value"], "pesan": _fmt(info.pesan, ctx),
            "message": _fmt(info.message, ctx),
        }))
    return out


def validate_export(export: Export, *, rules: Rules | None = None,
                    strict: bool = False) -> ValidationReport:
    """Check every row of an export; return valid rows, quarantined rows and the problems.

    Parameters
    ----------
    export : Export
        From :func:`read_export`.
    rules : Rules, optional
        Tolerances and factors (defaults: :class:`Rules`).
    strict : bool
        Warnings count as errors: their rows are quarantined too and :attr:`~ValidationReport.ok`
        is False.

    Returns
    -------
    ValidationReport

    Examples
    --------
    >>> import tempfile, pathlib, dak_monitor as dm
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "x.csv").write_text(
    ...     "Tahun;Periode;Kode Wilayah;Kabupaten/Kota;Menu;Pagu;Realisasi\\n"
    ...     "2024;Mei 2024;32.05;Kab. Garut;BKB;1.000;400\\n"
    ...     "2024;Juni 2024;32.05;Kab. Garut;BKB;1.000;300\\n"
    ...     "2024;Juni 2024;32.79;Kota Banjar;BKB;1.000;1.2a0\\n")
    >>> report = dm.validate_export(dm.read_export(d / "x.csv"))
    >>> report.problems[["row", "column", "code", "value"]]
       row     column                 code  value
    0    3  realisasi  realisasi-decreased    300
    1    4  realisasi   unparseable-number  1.2a0
    >>> print(report.problems["message"].iloc[0])  # doctest: +ELLIPSIS
    Cumulative realisasi fell from Rp 400 (.../x.csv baris/row 2) to Rp 300.
    >>> report.ok, len(report.valid), len(report.quarantine)
    (False, 1, 2)
    """
    rules = rules or Rules()
    data = export.data.reset_index(drop=True)
    frames: list[pd.DataFrame] = []
    for kind in C.KINDS:
        mask = (data[C.JENIS_DAK] == kind).to_numpy()
        if not mask.any():
            continue
        cols = C.NONFISIK_COLUMNS if kind == C.NONFISIK else C.FISIK_COLUMNS
        sub = data.loc[mask, [*cols, C.JENIS_DAK, *C.PROVENANCE]]
        sub = sub.assign(_kunci_item=item_keys(sub))
        frames.extend(_column_problems(sub, kind))
        frames.extend(_row_problems(sub, kind, rules))
    for extra in (_unparsed_problems(export, data), *_table_problems(export, rules)):
        if extra is not None:
            frames.append(extra)
    problems = (pd.concat([f for f in frames if len(f)], ignore_index=True) if frames
                else pd.DataFrame(columns=["_pos", *PROBLEM_COLUMNS]))
    problems = _drop_redundant(problems)
    problems = problems.sort_values(["file", "sheet", "row", "code"], kind="stable")
    blocking = {ERROR, WARNING} if strict else {ERROR}
    bad_pos = problems.loc[problems["severity"].isin(blocking), "_pos"].dropna().astype("int64")
    is_bad = np.zeros(len(data), dtype=bool)
    is_bad[bad_pos.unique()] = True
    valid = data[~is_bad].reset_index(drop=True)
    quarantine = _quarantine(data, problems, is_bad, blocking)
    files = _file_counts(export, data, is_bad)
    problems = problems.drop(columns="_pos").reset_index(drop=True)
    problems["row"] = problems["row"].astype("Int64")
    return ValidationReport(valid=valid, quarantine=quarantine,
                            problems=problems[list(PROBLEM_COLUMNS)], files=files,
                            export=export, rules=rules, strict=strict)


def _drop_redundant(problems: pd.DataFrame) -> pd.DataFrame:
    """A cell that could not be parsed is also empty: report it once, as unparseable."""
    if problems.empty:
        return problems
    unparsed = problems["code"].str.startswith("unparseable-")
    keys = set(zip(problems.loc[unparsed, "_pos"], problems.loc[unparsed, "column"],
                   strict=True))
    if not keys:
        return problems
    missing = problems["code"] == "missing-value"
    dup = [(p, c) in keys for p, c in zip(problems["_pos"], problems["column"], strict=True)]
    return problems[~(missing & np.array(dup, dtype=bool))]


def _quarantine(data: pd.DataFrame, problems: pd.DataFrame, is_bad: np.ndarray,
                blocking: set[str]) -> pd.DataFrame:
    cols = [*C.PROVENANCE, "kode", "pesan", "message"]
    if not is_bad.any():
        return pd.DataFrame(columns=[*cols, *(c for c in data.columns if c not in C.PROVENANCE)])
    p = problems[problems["_pos"].notna()].copy()
    p["_pos"] = p["_pos"].astype("int64")
    p = p[p["_pos"].isin(np.flatnonzero(is_bad))]
    agg = p.groupby("_pos").agg(kode=("code", lambda s: "; ".join(dict.fromkeys(s))),
                                pesan=("pesan", " | ".join), message=("message", " | ".join))
    rows = data.loc[agg.index]
    out = pd.concat([rows[list(C.PROVENANCE)], agg,
                     rows.drop(columns=list(C.PROVENANCE))], axis=1)
    return out.reset_index(drop=True)


def _file_counts(export: Export, data: pd.DataFrame, is_bad: np.ndarray) -> pd.DataFrame:
    f = export.files
    if f.empty:
        return pd.DataFrame(columns=["file", "sheet", "rows_read", "rows_valid",
                                     "rows_quarantined", "rows_skipped", "note"])
    key = [C.SUMBER_FILE, C.SUMBER_SHEET]
    q = pd.Series(is_bad, index=data.index).groupby([data[k] for k in key]).sum()
    n = data.groupby(key).size()
    out = pd.DataFrame({
        "file": f[C.SUMBER_FILE], "sheet": f[C.SUMBER_SHEET],
        "rows_read": f["baris_dibaca"].astype(int),
    })
    k = list(zip(f[C.SUMBER_FILE], f[C.SUMBER_SHEET], strict=True))
    quarantined = np.array([int(q.get(x, 0)) for x in k], dtype=int)
    data_rows = np.array([int(n.get(x, 0)) for x in k], dtype=int)
    out["rows_valid"] = data_rows - quarantined
    out["rows_quarantined"] = quarantined
    out["rows_skipped"] = f["baris_dilewati"].astype(int).to_numpy()
    not_read = f["catatan"].fillna("").astype(str).str.startswith("NOT READ").to_numpy()
    out["note"] = np.where(not_read, "not read (see file-not-read)", np.where(
        f[C.JENIS_DAK].isna(), "not an export (no header row found)", ""))
    return out.reset_index(drop=True)


