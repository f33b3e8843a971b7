#!/usr/bin/env python
"""Scaling benchmark: read, validate, project, flag and monitor from 10,000 to 5,000,000 rows.

Usage::

    python benchmarks/bench_scale.py                                  # the full run (issue #7)
    python benchmarks/bench_scale.py --rows 10000 --rows 100000 --xlsx-rows 10000 \\
        --json /tmp/bench_scale.json                                  # a quick run
    python benchmarks/bench_scale.py --stages read,monitor --skip-frictionless --xlsx-rows none

What it generates (seeded, cached under ``benchmarks/_data/``, which git ignores): a messy
Morena-style DAK nonfisik BOKB export of N data rows, like ``bench_read.py``'s (title block,
blank line, header, numbering row, ``Jumlah …`` subtotals, ``TOTAL``, note/signature lines,
Indonesian numbers ``1.234.567,50``, ``-`` for nil realisasi, ``45,25`` percents), but with
*cumulative monthly* rows so that the projection and the flags have real work to do: every
item (kabupaten/kota × menu × rincian; all ~514 kab/kota of the packaged region table) is
reported for January–June 2024, month blocks one after the other, with a subtotal after every
500 rows of a month block and one grand total. Realisasi follows the typical BOKB profile
scaled by a per-region speed (so some OPDs are at risk), 3 % of the items never spend, and
``--bad`` (0.1 %) of the rows carry a planted mistake (realisasi above pagu, hence a
percent above 100 and a cumulative fall the month after). CSV files for ``--rows`` (default
10,000, 100,000, 1,000,000 and 5,000,000); XLSX files (written with xlsxwriter's
constant-memory mode, numbers as numbers) for ``--xlsx-rows`` (default 10,000, 100,000 and
``max``: as many data rows as fit Excel's 1,048,576 rows with the title, header, subtotal,
total and note rows).

What it measures, per file, each in a FRESH subprocess (``--repeats`` times, best time kept):

* ``baseline``: ``pandas.read_csv(path, sep=";", thousands=".", decimal=",", skiprows=4,
  header=0, on_bad_lines="skip")`` with the header row given by hand (XLSX:
  ``pandas.read_excel(path, engine="calamine", skiprows=4, header=0)``). A speed reference
  only: it keeps the numbering, subtotal, total and note lines as data.
* ``read``, ``validate``, ``project``, ``flag``: one process runs ``dm.read_export``,
  ``dm.validate_export``, ``dm.project_absorption`` and ``dm.flag_first_semester`` +
  ``dm.flag_offices`` (called as ``dm.monitor`` calls them) in turn. The time of each stage
  is that stage alone; its peak RSS is the process's peak up to the end of that stage (so
  ``validate``'s is the peak of read + validate).
* ``monitor``: ``dm.monitor(path)`` in one call (read, validate, absorption, project, flag;
  no Excel workbook, no figures).
* ``cli-validate``: ``dak-monitor validate <file>`` (wall time of the command, including
  interpreter start-up and imports; exit status 0 or 1 are both fine).
* ``frictionless``: ``frictionless validate <file> --schema … --dialect …`` as a peer, with
  the equivalent Table Schema written to ``benchmarks/_data/frictionless_schema.json`` (types,
  Indonesian number fields with ``groupChar "."``/``decimalChar ","``, ``-`` as missing,
  required fields, minimum 0 for money, 0–100 for percents, ``NN.NN`` region codes) and
  header row 5 given in the dialect, ``--limit-errors`` lifted so it reads the whole file.
  CSV only. It runs from its own virtualenv (``--frictionless PATH``, default
  ``shutil.which("frictionless")``), e.g.
  ``python3.11 -m venv /work/venv-fl && /work/venv-fl/bin/pip install frictionless==5.21.0``;
  it is reported as not installed when missing, and as ``timeout`` after
  ``--frictionless-timeout`` seconds (larger sizes are then skipped).

Python stages run an untimed warm-up on a small file of the same format first (imports,
pandera schemas, region table, regex caches; ``--no-warmup`` to skip it), then reset the peak
RSS: peak memory is ``VmHWM`` from ``/proc/self/status`` after writing ``5`` to
``/proc/self/clear_refs`` (it includes the interpreter and the imported libraries). The two
command-line tools are measured from outside: wall time, and ``ru_maxrss`` of the child from
``wait4`` (this orchestrating process never imports pandas, so it stays small and Linux's
carrying ``ru_maxrss`` over ``exec`` does not matter).

It prints a markdown table (rows, format, file MiB, stage, seconds, × baseline, peak RSS MiB,
notes), the seconds per million rows of each stage at each size with the growth exponent
between successive sizes (1.0 = linear), and PASS/FAIL lines for the targets of issue #7:

1. ``monitor`` on 1,000,000 CSV rows within 6× the baseline time and within 4 GiB peak RSS;
2. ``dak-monitor validate`` at least 5× faster than ``frictionless validate`` on the same file
   (judged on the largest size where frictionless finished; every size is listed);
3. 5,000,000 CSV rows complete (every requested stage, without error or timeout).

``--json PATH`` writes the same (plus machine, library commit, generator facts) as JSON.

This file is named ``bench_*.py`` so pytest's default collection (``test_*.py``) ignores it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA_DIR = HERE / "_data"
GENERATOR_VERSION = 1
SEED = 20240630
MONTHS = 6  # January..June 2024: the first semester, as of 30 June
GROUP_SIZE = 500  # a subtotal after every 500 rows of a month block
TITLE_LINES = 3
NOTE_LINES = 3
HEADER_LINE_INDEX = 4  # 0-based: 3 title lines, 1 blank line, then the header
XLSX_MAX_ROWS = 1_048_576
WARMUP_ROWS = 3_000
BAD_DEFAULT = 0.001
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni")
PROFILE = (0.04, 0.10, 0.17, 0.25, 0.35, 0.47)  # typical BOKB share by month (GLOSSARY.md)
TRANCHE = (0.0, 0.0, 0.3, 0.3, 0.7, 0.7)  # penyaluran: money received by month (share of pagu)

PIPELINE = ("read", "validate", "project", "flag")
STAGES = ("baseline", *PIPELINE, "monitor", "cli-validate", "frictionless")
DEFAULT_ROWS = (10_000, 100_000, 1_000_000, 5_000_000)
DEFAULT_XLSX = ("10000", "100000", "max")
GIB = 1024.0  # MiB


# ============================================================================ sizes (stdlib)
def _month_rows(n: int) -> list[int]:
    """Data rows of each month block: ceil(n / 6) items; the last few start in February."""
    items = -(-n // MONTHS)
    late = items * MONTHS - n
    return [items - late] + [items] * (MONTHS - 1)


def _n_subtotals(n: int) -> int:
    return sum(-(-r // GROUP_SIZE) for r in _month_rows(n) if r > 0)


def _n_lines(n: int) -> int:
    """All lines/rows of an export of ``n`` data rows (title, blank, header, numbering, …)."""
    return TITLE_LINES + 1 + 1 + 1 + n + _n_subtotals(n) + 1 + NOTE_LINES


def xlsx_max_rows() -> int:
    """The most data rows whose export fits one sheet (1,048,576 rows in all)."""
    n = XLSX_MAX_ROWS - 10 - XLSX_MAX_ROWS // GROUP_SIZE
    while _n_lines(n + 1) <= XLSX_MAX_ROWS:
        n += 1
    while _n_lines(n) > XLSX_MAX_ROWS:
        n -= 1
    return n


def data_path(n: int, fmt: str) -> Path:
    return DATA_DIR / f"scale_nonfisik_{n}.{fmt}"


# ======================================================================= generator (child)
def _bench_read() -> Any:
    """bench_read.py's helpers (region names, menus, keterangan), imported unchanged."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import bench_read

    return bench_read


def _model(n: int, bad: float) -> dict[str, Any]:
    """The numbers behind an export of ``n`` data rows: per item, per item × month."""
    import numpy as np

    br = _bench_read()
    rng = np.random.default_rng([SEED, n])
    codes, names = br._regions()
    n_items = -(-n // MONTHS)
    late = n_items * MONTHS - n
    item = np.arange(n_items)
    reg = item * len(codes) // n_items  # contiguous runs of items per kabupaten/kota
    speed = rng.uniform(0.7, 1.35, size=len(codes))[reg]
    factor = rng.lognormal(0.0, 0.25, size=n_items)
    share = np.asarray(PROFILE)[None, :] * (speed * factor)[:, None]
    share = np.clip(share + rng.normal(0.0, 0.01, size=(n_items, MONTHS)), 0.0, 0.995)
    share = np.maximum.accumulate(share, axis=1)
    share[rng.random(n_items) < 0.03] = 0.0  # items that never spend
    pagu_rp = rng.integers(10_000_000, 2_000_000_000, size=n_items)
    pagu_c = pagu_rp * 100 + np.where(rng.random(n_items) < 0.10, 50, 0)
    real_c = np.floor(pagu_rp[:, None] * share).astype(np.int64) * 100
    peny_share = np.minimum(np.maximum(np.asarray(TRANCHE)[None, :], np.ceil(share * 10) / 10),
                            1.0)
    peny_share = np.maximum.accumulate(peny_share, axis=1)
    peny_c = np.floor(pagu_rp[:, None] * peny_share).astype(np.int64) * 100
    out_share = np.clip(share * rng.uniform(0.8, 1.2, size=n_items)[:, None], 0.0, 1.0)
    capaian = np.rint(np.maximum.accumulate(out_share, axis=1) * 10_000).astype(np.int64)
    present = np.ones((n_items, MONTHS), dtype=bool)
    present[n_items - late:, 0] = False  # the last few items start reporting in February
    # planted mistakes: realisasi 10 % above pagu in a month from February on
    n_bad = round(bad * n)
    cand = rng.choice(n_items * (MONTHS - 1), size=min(n_bad, n_items * (MONTHS - 1)),
                      replace=False)
    bi, bm = cand // (MONTHS - 1), cand % (MONTHS - 1) + 1
    real_c[bi, bm] = np.floor(pagu_rp[bi] * 1.1).astype(np.int64) * 100
    pct = np.rint(real_c * 10_000.0 / pagu_c[:, None]).astype(np.int64)
    ket = np.where(rng.random((n_items, MONTHS)) < 0.9, 0,
                   rng.integers(1, len(br.KETERANGAN), size=(n_items, MONTHS)))
    return {"codes": codes, "names": names, "reg": reg, "item": item, "n_items": n_items,
            "pagu_c": pagu_c, "peny_c": peny_c, "real_c": real_c, "pct": pct,
            "capaian": capaian, "present": present, "ket": ket, "n_bad": len(cand),
            "menus": br.MENUS, "keterangan": br.KETERANGAN, "header": br.HEADER}


def _money_text(cents: Any) -> list[str]:
    """Rupiah amounts in cents written the Indonesian way: ``1.234.567`` / ``1.234.567,50``."""
    whole = (cents // 100).tolist()
    frac = (cents % 100).tolist()
    return [f"{w:,}".replace(",", ".") + (f",{f:02d}" if f else "")
            for w, f in zip(whole, frac, strict=True)]


def _blocks(m: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Per month: the row indices (items present), subtotal group starts and group sums."""
    import numpy as np

    for k in range(MONTHS):
        rows = np.flatnonzero(m["present"][:, k])
        if not len(rows):
            continue
        starts = np.arange(0, len(rows), GROUP_SIZE)
        sums = {key: np.add.reduceat(m[key][rows] if m[key].ndim == 1 else m[key][rows, k],
                                     starts)
                for key in ("pagu_c", "peny_c", "real_c")}
        last_reg = m["reg"][rows[np.minimum(starts + GROUP_SIZE, len(rows)) - 1]]
        yield {"month": k, "rows": rows, "starts": starts, "sums": sums, "last_reg": last_reg}


def _pct_text(h: Any) -> Any:
    import numpy as np

    table = np.array([f"{v // 100},{v % 100:02d}" for v in range(int(h.max()) + 1)],
                     dtype=object)
    return table[h]


def _meta(n: int, m: dict[str, Any], n_sub: int, sums: dict[str, int], fmt: str
          ) -> dict[str, Any]:
    return {"rows": n, "format": fmt, "items": int(m["n_items"]), "months": MONTHS,
            "regions": len(m["codes"]), "subtotals": n_sub, "totals": 1, "notes": NOTE_LINES,
            "lines": _n_lines(n), "planted_bad_rows": int(m["n_bad"]),
            "sum_rupiah": {k: v / 100 for k, v in sums.items()},
            "generator_version": GENERATOR_VERSION, "seed": SEED}


TITLE = ("LAPORAN REALISASI DAK NONFISIK BOKB", "TAHUN ANGGARAN 2024",
         "Periode Januari s.d. Juni 2024")
NOTES = ("Sumber: Aplikasi Morena", "Mengetahui,", "NIP. 19700101 199503 1 001")
N_COLS = 12


def _write_csv(n: int, path: Path, bad: float) -> dict[str, Any]:
    import numpy as np

    m = _model(n, bad)
    rincian = np.array([f"Rincian {i + 1:07d}" for i in range(m["n_items"])], dtype=object)
    menu = m["menus"][m["item"] % len(m["menus"])]
    pagu_txt = np.array(_money_text(m["pagu_c"]), dtype=object)
    codes, names = m["codes"], m["names"]
    totals = {"pagu": 0, "penyaluran": 0, "realisasi": 0}
    n_sub = 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join([*TITLE, "", m["header"],
                            ";".join(str(k) for k in range(1, N_COLS + 1))]) + "\n")
        for b in _blocks(m):
            rows, k = b["rows"], b["month"]
            real = m["real_c"][rows, k]
            real_txt = np.array(_money_text(real), dtype=object)
            real_txt[real == 0] = "-"
            reg = m["reg"][rows]
            cols = [
                [f"{BULAN[k]} 2024"] * len(rows),
                codes[reg].tolist(), names[reg].tolist(), menu[rows].tolist(),
                rincian[rows].tolist(), pagu_txt[rows].tolist(),
                _money_text(m["peny_c"][rows, k]), real_txt.tolist(),
                _pct_text(m["pct"][rows, k]).tolist(),
                _pct_text(m["capaian"][rows, k]).tolist(),
                m["keterangan"][m["ket"][rows, k]].tolist(),
            ]
            body = ["2024;" + line for line in map(";".join, zip(*cols, strict=True))]
            del cols
            s = b["sums"]
            sub_money = [_money_text(s[key]) for key in ("pagu_c", "peny_c", "real_c")]
            sub_pct = _pct_text(np.rint(s["real_c"] * 10_000.0 / s["pagu_c"])
                                .astype(np.int64)).tolist()
            out: list[str] = []
            ends = [*b["starts"][1:].tolist(), len(rows)]
            for g, (a, e) in enumerate(zip(b["starts"].tolist(), ends, strict=True)):
                out.extend(body[a:e])
                out.append(f";;;Jumlah {names[b['last_reg'][g]]};;;{sub_money[0][g]};"
                           f"{sub_money[1][g]};{sub_money[2][g]};{sub_pct[g]};;")
            fh.write("\n".join(out) + "\n")
            n_sub += len(ends)
            totals["pagu"] += int(s["pagu_c"].sum())
            totals["penyaluran"] += int(s["peny_c"].sum())
            totals["realisasi"] += int(s["real_c"].sum())
        t = [_money_text(np.array([totals[k]]))[0] for k in ("pagu", "penyaluran", "realisasi")]
        pct = _pct_text(np.array([round(totals["realisasi"] * 10_000 / totals["pagu"])]))[0]
        fh.write(f"TOTAL;;;;;;{t[0]};{t[1]};{t[2]};{pct};;\n")
        fh.write("\n".join(NOTES) + "\n")
    tmp.replace(path)
    return _meta(n, m, n_sub, totals, "csv")


def _write_xlsx(n: int, path: Path, bad: float) -> dict[str, Any]:
    import xlsxwriter

    m = _model(n, bad)
    rincian = [f"Rincian {i + 1:07d}" for i in range(m["n_items"])]
    menu = m["menus"][m["item"] % len(m["menus"])].tolist()
    codes, names = m["codes"].tolist(), m["names"].tolist()
    headers = m["header"].split(";")
    ket = m["keterangan"].tolist()
    totals = {"pagu": 0, "penyaluran": 0, "realisasi": 0}
    n_sub = 0
    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    ws = wb.add_worksheet("Realisasi")
    money = wb.add_format({"num_format": "#,##0"})
    r = 0
    for line in TITLE:
        ws.write_string(r, 0, line)
        r += 1
    r += 1  # blank row
    for j, h in enumerate(headers):
        ws.write_string(r, j, h)
    r += 1
    for j in range(N_COLS):
        ws.write_number(r, j, j + 1)
    r += 1
    ws_s, ws_n = ws.write_string, ws.write_number
    for b in _blocks(m):
        rows, k = b["rows"], b["month"]
        per = f"{BULAN[k]} 2024"
        reg = m["reg"][rows].tolist()
        pagu = (m["pagu_c"][rows] / 100).tolist()
        peny = (m["peny_c"][rows, k] / 100).tolist()
        real = (m["real_c"][rows, k] / 100).tolist()
        pct = (m["pct"][rows, k] / 100).tolist()
        cap = (m["capaian"][rows, k] / 100).tolist()
        kk = m["ket"][rows, k].tolist()
        idx = rows.tolist()
        s = b["sums"]
        ends = [*b["starts"][1:].tolist(), len(rows)]
        a = 0
        for g, e in enumerate(ends):
            for i in range(a, e):
                it, rg = idx[i], reg[i]
                ws_n(r, 0, 2024)
                ws_s(r, 1, per)
                ws_s(r, 2, codes[rg])
                ws_s(r, 3, names[rg])
                ws_s(r, 4, menu[it])
                ws_s(r, 5, rincian[it])
                ws_n(r, 6, pagu[i], money)
                ws_n(r, 7, peny[i], money)
                if real[i]:
                    ws_n(r, 8, real[i], money)
                else:
                    ws_s(r, 8, "-")
                ws_n(r, 9, pct[i])
                ws_n(r, 10, cap[i])
                if kk[i]:
                    ws_s(r, 11, ket[kk[i]])
                r += 1
            ws_s(r, 3, f"Jumlah {names[int(b['last_reg'][g])]}")
            ws_n(r, 6, int(s["pagu_c"][g]) / 100, money)
            ws_n(r, 7, int(s["peny_c"][g]) / 100, money)
            ws_n(r, 8, int(s["real_c"][g]) / 100, money)
            ws_n(r, 9, round(int(s["real_c"][g]) * 100 / int(s["pagu_c"][g]), 2))
            r += 1
            a = e
        n_sub += len(ends)
        totals["pagu"] += int(s["pagu_c"].sum())
        totals["penyaluran"] += int(s["peny_c"].sum())
        totals["realisasi"] += int(s["real_c"].sum())
    ws_s(r, 0, "TOTAL")
    for j, key in ((6, "pagu"), (7, "penyaluran"), (8, "realisasi")):
        ws_n(r, j, totals[key] / 100, money)
    ws_n(r, 9, round(totals["realisasi"] * 100 / totals["pagu"], 2))
    r += 1
    for line in NOTES:
        ws_s(r, 0, line)
        r += 1
    if r > XLSX_MAX_ROWS:
        msg = f"{r:,} rows do not fit a sheet ({XLSX_MAX_ROWS:,})"
        raise ValueError(msg)
    wb.close()
    tmp.replace(path)
    meta = _meta(n, m, n_sub, totals, "xlsx")
    meta["sheet_rows"] = r
    return meta


def _generate_child(fmt: str, n: int, bad: float) -> None:
    path = data_path(n, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = (_write_csv if fmt == "csv" else _write_xlsx)(n, path, bad)
    meta["bad"] = bad
    path.with_suffix(f".{fmt}.json").write_text(json.dumps(meta, indent=1))


def dataset(n: int, fmt: str, bad: float) -> tuple[Path, dict[str, Any]]:
    """The cached export of ``n`` data rows (generated in a subprocess when missing)."""
    path = data_path(n, fmt)
    meta_path = path.with_suffix(f".{fmt}.json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if (meta.get("generator_version") == GENERATOR_VERSION and meta.get("seed") == SEED
                and meta.get("bad") == bad):
            return path, meta
    t0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--_generate", fmt, str(n), repr(bad)],
                   check=True)
    meta = json.loads(meta_path.read_text())
    print(f"generated {path.name} ({path.stat().st_size / 2**20:,.1f} MiB) in "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return path, meta


# ================================================================ measuring (fresh child)
def _proc_mib(field: str) -> float | None:
    """``VmRSS``/``VmHWM`` of this process from /proc (Linux), in MiB."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def _reset_peak() -> bool:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _emit(rec: dict[str, Any]) -> None:
    print(json.dumps(rec), flush=True)


def _run_child(kind: str, path: Path, warm: Path | None, stages: Sequence[str]) -> None:
    """Run one measurement in this (fresh) process; print one JSON line per stage done."""
    import gc
    import warnings

    import pandas as pd

    import dak_monitor as dm

    def baseline(p: Path) -> Any:
        if p.suffix == ".xlsx":
            return pd.read_excel(p, engine="calamine", skiprows=HEADER_LINE_INDEX, header=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # mixed Tahun column
            return pd.read_csv(p, sep=";", thousands=".", decimal=",",
                               skiprows=HEADER_LINE_INDEX, header=0, on_bad_lines="skip")

    def pipeline(p: Path, record: bool) -> None:
        last = max(PIPELINE.index(s) for s in stages)
        state: dict[str, Any] = {}
        for stage in PIPELINE[:last + 1]:
            rss = _proc_mib("VmRSS")
            t0 = time.perf_counter()
            info: dict[str, Any]
            if stage == "read":
                state["export"] = ex = dm.read_export(p)
                dt = time.perf_counter() - t0
                info = {"data_rows": len(ex.data), "skipped_rows": len(ex.skipped),
                        "unparsed_cells": len(ex.unparsed)}
            elif stage == "validate":
                state["report"] = rep = dm.validate_export(state["export"])
                dt = time.perf_counter() - t0
                info = {"problems": len(rep.problems), "valid_rows": len(rep.valid),
                        "quarantined_rows": len(rep.quarantine),
                        "codes": rep.problems["code"].value_counts().to_dict()}
            elif stage == "project":
                state["projection"] = proj = dm.project_absorption(state["report"])
                dt = time.perf_counter() - t0
                info = {"opd_rows": len(proj.table), "as_of": str(proj.as_of.date()),
                        "status": proj.table["status"].value_counts().to_dict()}
            else:
                proj, rep = state["projection"], state["report"]
                when = proj.as_of
                fs = dm.flag_first_semester(rep, year=when.year, as_of=when, profile=proj)
                t1 = time.perf_counter()
                fl = dm.flag_offices(rep, projection=proj, as_of=when, first_semester=fs)
                dt = time.perf_counter() - t0
                state["flags"] = (fs, fl)
                info = {"flags": len(fl), "codes": fl["code"].value_counts().to_dict(),
                        "first_semester_s": t1 - t0, "offices_s": t0 + dt - t1}
            if record:
                _emit({"stage": stage, "seconds": dt, "peak_mib": _proc_mib("VmHWM"),
                       "rss_before_mib": rss, "info": info})
        state.clear()

    def monitor(p: Path, record: bool) -> None:
        t0 = time.perf_counter()
        res = dm.monitor(p)
        dt = time.perf_counter() - t0
        if record:
            _emit({"stage": "monitor", "seconds": dt, "peak_mib": _proc_mib("VmHWM"),
                   "info": {"valid_rows": len(res.validation.valid),
                            "problems": len(res.validation.problems),
                            "opd_rows": len(res.projection.table), "flags": len(res.flags)}})

    def base(p: Path, record: bool) -> None:
        t0 = time.perf_counter()
        frame = baseline(p)
        dt = time.perf_counter() - t0
        if record:
            _emit({"stage": "baseline", "seconds": dt, "peak_mib": _proc_mib("VmHWM"),
                   "info": {"frame_rows": len(frame)}})

    run = {"pipeline": pipeline, "monitor": monitor, "baseline": base}[kind]
    if warm is not None:
        run(warm, False)
    gc.collect()
    _emit({"stage": "_base", "rss_mib": _proc_mib("VmRSS"), "reset": _reset_peak()})
    run(path, True)


def _parse_lines(text: str) -> list[dict[str, Any]]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):
                out.append(json.loads(line))
    return out


def measure_python(kind: str, path: Path, warm: Path | None, stages: Sequence[str],
                   timeout: float) -> dict[str, dict[str, Any]]:
    """Run one fresh child; {stage: record}. A crash is recorded on the stages not done."""
    cmd = [sys.executable, __file__, "--_run", kind, str(path), str(warm or ""),
           ",".join(stages)]
    wanted = [s for s in stages if s in PIPELINE] if kind == "pipeline" else [kind]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        stdout, rc, err = proc.stdout, proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        rc, err = None, f"timeout after {timeout:.0f} s"
    recs = {r["stage"]: r for r in _parse_lines(stdout)}
    base = recs.pop("_base", {})
    out: dict[str, dict[str, Any]] = {}
    for s in wanted:
        if s in recs:
            r = recs[s]
            r["status"] = "ok"
            r["base_rss_mib"] = base.get("rss_mib")
            if not base.get("reset", True):
                r["note_memory"] = "VmHWM could not be reset: peak includes the warm-up"
            out[s] = r
        else:
            if rc is None:
                status = "timeout"
            elif rc < 0:
                status = f"killed by signal {-rc}"
            else:
                tail = [x for x in err.strip().splitlines() if x.strip()]
                status = "error: " + (tail[-1][:200] if tail else f"exit status {rc}")
            out[s] = {"stage": s, "status": status, "seconds": None, "peak_mib": None,
                      "stderr_tail": err.strip().splitlines()[-15:] if err else []}
    return out


def run_command(cmd: Sequence[str], timeout: float, stdout_path: Path | None = None
                ) -> dict[str, Any]:
    """Wall time, exit status and peak RSS (``ru_maxrss`` from wait4) of a command.

    stderr goes to a temporary file (a pipe nobody reads could fill up and block the child).
    """
    with tempfile.TemporaryFile() as err_file, \
            (stdout_path.open("wb") if stdout_path else open(os.devnull, "wb")) as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err_file)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout:
                proc.kill()
                _, status, _ = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                return {"status": "timeout", "seconds": None, "peak_mib": None, "exit": None}
            time.sleep(0.005)
        dt = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
    scale = 2**20 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux KiB
    rec: dict[str, Any] = {"status": "ok", "seconds": dt, "peak_mib": usage.ru_maxrss / scale,
                           "exit": proc.returncode}
    if err.strip():
        rec["stderr_tail"] = err.strip().splitlines()[-10:]
    return rec


# ============================================================================ frictionless
def frictionless_files() -> tuple[Path, Path]:
    """Write the Table Schema and dialect equivalent to what dak-monitor checks."""
    money = {"type": "number", "groupChar": ".", "decimalChar": ",", "bareNumber": True}
    pct = {"type": "number", "decimalChar": ",", "groupChar": ".",
           "constraints": {"minimum": 0, "maximum": 100}}
    bulan = "|".join(("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                      "Agustus", "September", "Oktober", "November", "Desember"))
    schema = {
        "fields": [
            {"name": "Tahun", "type": "integer",
             "constraints": {"required": True, "minimum": 2000, "maximum": 2100}},
            {"name": "Periode", "type": "string",
             "constraints": {"required": True, "pattern": rf"(s\.d\. )?({bulan}) \d{{4}}"}},
            {"name": "Kode Wilayah", "type": "string",
             "constraints": {"required": True, "pattern": r"\d{2}\.\d{2}"}},
            {"name": "Kabupaten/Kota", "type": "string", "constraints": {"required": True}},
            {"name": "Menu", "type": "string", "constraints": {"required": True}},
            {"name": "Rincian", "type": "string"},
            {"name": "Pagu (Rp)", **money,
             "constraints": {"required": True, "minimum": 0}},
            {"name": "Penyaluran (Rp)", **money, "constraints": {"minimum": 0}},
            {"name": "Realisasi (Rp)", **money, "constraints": {"minimum": 0}},
            {"name": "% Realisasi", **pct},
            {"name": "Capaian Output (%)", **pct},
            {"name": "Keterangan", "type": "string"},
        ],
        "missingValues": ["", "-"],
    }
    dialect = {"header": True, "headerRows": [HEADER_LINE_INDEX + 1],
               "csv": {"delimiter": ";"}}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    sp, dp = DATA_DIR / "frictionless_schema.json", DATA_DIR / "frictionless_dialect.json"
    for p, doc in ((sp, schema), (dp, dialect)):
        text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
        if not p.exists() or p.read_text() != text:
            p.write_text(text)
    return sp, dp


def frictionless_cmd(exe: str, path: Path, schema: Path, dialect: Path) -> list[str]:
    return [exe, "validate", str(path), "--schema", str(schema), "--dialect", str(dialect),
            "--format", "csv", "--encoding", "utf-8", "--limit-errors", "1000000000", "--trusted",
            "--json"]


def _count_frictionless(report: Path) -> dict[str, Any]:
    """Error counts of a frictionless JSON report (read in a throwaway child: stays small)."""
    code = ("import json,sys,collections as c;d=json.load(open(sys.argv[1]));"
            "t=d.get('tasks') or [{}];e=[x.get('type') for k in t for x in k.get('errors',[])];"
            "print(json.dumps({'valid':d.get('valid'),'errors':len(e),"
            "'rows':sum((k.get('stats') or {}).get('rows') or 0 for k in t),"
            "'types':dict(c.Counter(e).most_common(8))}))")
    try:
        out = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True,
                             text=True, check=True, timeout=600)
        counts: dict[str, Any] = json.loads(out.stdout)
    except (subprocess.SubprocessError, json.JSONDecodeError, OSError) as exc:
        return {"error": str(exc)[:200]}
    return counts


# ================================================================================ the run
def machine() -> str:
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{mem}, Python "
            f"{platform.python_version()}")


def library_state() -> dict[str, Any]:
    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    code = ("import pandas,numpy,dak_monitor,json;print(json.dumps({'pandas':pandas.__version__,"
            "'numpy':numpy.__version__,'dak_monitor':dak_monitor.__version__}))")
    try:
        versions = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                             text=True, timeout=120).stdout)
    except (json.JSONDecodeError, subprocess.SubprocessError):
        versions = {}
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "modified_src": [x.split(maxsplit=1)[-1] for x in
                             git("status", "--porcelain", "--", "src").splitlines()],
            **versions}


def dak_monitor_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("dak-monitor")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dak_monitor"]


def _best(recs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in recs if r.get("status") == "ok" and r.get("seconds") is not None]
    if not ok:
        return recs[-1]
    best = dict(min(ok, key=lambda r: r["seconds"]))
    peaks = [r["peak_mib"] for r in ok if r.get("peak_mib") is not None]
    best["peak_mib"] = max(peaks) if peaks else None
    best["repeats"] = len(ok)
    best["all_seconds"] = [r["seconds"] for r in ok]
    return best


def measure_file(n: int, fmt: str, path: Path, warm: Path | None, stages: Sequence[str],
                 repeats: int, args: argparse.Namespace, fl: dict[str, Any]
                 ) -> dict[str, dict[str, Any]]:
    got: dict[str, list[dict[str, Any]]] = {}
    pipe = [s for s in stages if s in PIPELINE]
    for _ in range(repeats):
        if "baseline" in stages:
            got.setdefault("baseline", []).append(
                measure_python("baseline", path, warm, ["baseline"],
                               args.stage_timeout)["baseline"])
        if pipe:
            for s, r in measure_python("pipeline", path, warm, pipe,
                                       args.stage_timeout).items():
                got.setdefault(s, []).append(r)
        if "monitor" in stages:
            got.setdefault("monitor", []).append(
                measure_python("monitor", path, warm, ["monitor"],
                               args.stage_timeout)["monitor"])
        if "cli-validate" in stages:
            r = run_command([*dak_monitor_cmd(), "validate", str(path)], args.stage_timeout)
            if r["status"] == "ok" and r["exit"] not in (0, 1):
                r["status"] = f"error: exit status {r['exit']}: " + \
                    " ".join(r.get("stderr_tail", [])[-1:])
            got.setdefault("cli-validate", []).append(r)
        if "frictionless" in stages and fmt == "csv":
            got.setdefault("frictionless", []).append(run_frictionless(n, path, args, fl))
    return {s: _best(recs) for s, recs in got.items()}


def run_frictionless(n: int, path: Path, args: argparse.Namespace, fl: dict[str, Any]
                     ) -> dict[str, Any]:
    if not fl.get("exe"):
        return {"status": "not installed", "seconds": None, "peak_mib": None}
    if fl.get("timed_out_at") is not None and n >= fl["timed_out_at"]:
        return {"status": f"skipped (timed out at {fl['timed_out_at']:,} rows)",
                "seconds": None, "peak_mib": None}
    report = DATA_DIR / f"frictionless_report_{n}.json"
    r = run_command(frictionless_cmd(fl["exe"], path, fl["schema"], fl["dialect"]),
                    args.frictionless_timeout, stdout_path=report)
    if r["status"] == "timeout":
        fl["timed_out_at"] = n
        r["status"] = f"timeout (> {args.frictionless_timeout:.0f} s)"
    elif r["exit"] not in (0, 1):
        r["status"] = f"error: exit status {r['exit']}: " + " ".join(r.get("stderr_tail", []))
    else:
        r["info"] = _count_frictionless(report)
    report.unlink(missing_ok=True)
    return r


def _note(stage: str, r: dict[str, Any]) -> str:
    info = r.get("info") or {}
    if stage == "baseline":
        return f"{info.get('frame_rows', 0):,} frame rows" if info else ""
    if stage == "read":
        return (f"{info['data_rows']:,} data rows, {info['skipped_rows']:,} skipped, "
                f"{info['unparsed_cells']:,} unparsed") if info else ""
    if stage == "validate":
        return (f"{info['problems']:,} problems, {info['quarantined_rows']:,} quarantined"
                if info else "")
    if stage == "project":
        return (f"{info['opd_rows']:,} OPD rows, " + ", ".join(
            f"{k} {v}" for k, v in info["status"].items())) if info else ""
    if stage == "flag":
        return (f"{info['flags']:,} flags (flag_first_semester {info['first_semester_s']:.2f} s, "
                f"flag_offices {info['offices_s']:.2f} s)") if info else ""
    if stage == "monitor":
        return (f"{info['problems']:,} problems, {info['flags']:,} flags" if info else "")
    if stage == "cli-validate":
        return f"exit {r.get('exit')}" if r.get("exit") is not None else ""
    if stage == "frictionless":
        if "errors" in info:
            top = ", ".join(f"{k} {v:,}" for k, v in list(info["types"].items())[:3])
            return f"exit {r.get('exit')}, {info['errors']:,} errors ({top})"
        return f"exit {r.get('exit')}" if r.get("exit") is not None else ""
    return ""


def fmt_table(results: list[dict[str, Any]]) -> list[str]:
    lines = ["| rows | format | file MiB | stage | seconds | × baseline | peak RSS MiB | notes |",
             "|---:|---|---:|---|---:|---:|---:|---|"]
    for res in results:
        b = res["stages"].get("baseline", {}).get("seconds")
        for stage in STAGES:
            r = res["stages"].get(stage)
            if r is None:
                continue
            sec = r.get("seconds")
            if r.get("status") != "ok" or sec is None:
                cells = [r.get("status", "?"), "", ""]
            else:
                cells = [f"{sec:.3f}", f"{sec / b:.2f}" if b else "",
                         f"{r['peak_mib']:,.0f}" if r.get("peak_mib") else ""]
            lines.append(f"| {res['rows']:,} | {res['format']} | {res['file_mib']:,.1f} | "
                         f"{stage} | {' | '.join(cells)} | {_note(stage, r)} |")
    return lines


def scaling(results: list[dict[str, Any]]) -> dict[str, dict[str, list[dict[str, float]]]]:
    """Seconds per million rows of each stage at each size, and the growth exponent."""
    out: dict[str, dict[str, list[dict[str, float]]]] = {}
    for fmt in ("csv", "xlsx"):
        rs = sorted((r for r in results if r["format"] == fmt), key=lambda r: r["rows"])
        for stage in STAGES:
            pts = [(r["rows"], r["stages"][stage]["seconds"]) for r in rs
                   if r["stages"].get(stage, {}).get("status") == "ok"
                   and r["stages"][stage].get("seconds")]
            if not pts:
                continue
            row = []
            for i, (n, s) in enumerate(pts):
                d: dict[str, float] = {"rows": n, "seconds": s, "s_per_M": s / n * 1e6}
                if i:
                    n0, s0 = pts[i - 1]
                    d["exponent"] = math.log(s / s0) / math.log(n / n0)
                row.append(d)
            out.setdefault(fmt, {})[stage] = row
    return out


def fmt_scaling(sc: dict[str, dict[str, list[dict[str, float]]]]) -> list[str]:
    lines = []
    for fmt, stages in sc.items():
        lines.append(f"{fmt}: seconds per million rows (growth exponent from the previous size; "
                     f"1.0 = linear)")
        for stage, pts in stages.items():
            parts = [f"{p['rows']:,}: {p['s_per_M']:.2f}"
                     + (f" (^{p['exponent']:.2f})" if "exponent" in p else "") for p in pts]
            lines.append(f"  {stage:<13} " + " | ".join(parts))
    return lines


def targets(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    csv = {r["rows"]: r["stages"] for r in results if r["format"] == "csv"}
    out = []
    # 1. monitor on 1M rows: <= 6x baseline, <= 4 GiB
    s = csv.get(1_000_000)
    if s and s.get("monitor", {}).get("status") == "ok" and s.get("baseline", {}).get(
            "status") == "ok":
        m, b = s["monitor"], s["baseline"]
        ratio = m["seconds"] / b["seconds"]
        ok = ratio <= 6 and m["peak_mib"] is not None and m["peak_mib"] <= 4 * GIB
        out.append({"target": "monitor-1M", "pass": ok, "text":
                    f"monitor on 1,000,000 rows: {m['seconds']:.1f} s = {ratio:.2f}x "
                    f"read_csv (<= 6x), peak {m['peak_mib']:,.0f} MiB (<= 4,096 MiB)"})
    elif s and "monitor" in s:
        out.append({"target": "monitor-1M", "pass": False, "text":
                    f"monitor on 1,000,000 rows: {s['monitor'].get('status')}"})
    else:
        out.append({"target": "monitor-1M", "pass": None,
                    "text": "monitor on 1,000,000 rows: not measured"})
    # 2. dak-monitor validate >= 5x faster than frictionless validate
    pairs = [(n, st["cli-validate"], st["frictionless"]) for n, st in sorted(csv.items())
             if st.get("cli-validate", {}).get("status") == "ok"
             and st.get("frictionless", {}).get("status") == "ok"]
    per_size = "; ".join(f"{n:,}: {f['seconds']:.1f} s / {c['seconds']:.1f} s = "
                         f"{f['seconds'] / c['seconds']:.2f}x" for n, c, f in pairs)
    if pairs:
        n, c, f = pairs[-1]
        sp = f["seconds"] / c["seconds"]
        out.append({"target": "cli-vs-frictionless", "pass": sp >= 5, "text":
                    f"dak-monitor validate vs frictionless validate on {n:,} rows: "
                    f"{sp:.2f}x faster (>= 5x) [frictionless / dak-monitor per size: "
                    f"{per_size}]"})
    else:
        why = next((st["frictionless"]["status"] for st in csv.values()
                    if "frictionless" in st), "not measured")
        out.append({"target": "cli-vs-frictionless", "pass": None,
                    "text": f"dak-monitor validate vs frictionless validate: {why}"})
    # 3. 5M rows complete
    s = csv.get(5_000_000)
    if s:
        bad = {k: v.get("status") for k, v in s.items()
               if v.get("status") != "ok" and k != "frictionless"}
        out.append({"target": "5M-complete", "pass": not bad, "text":
                    "5,000,000 rows: every stage completed" if not bad else
                    f"5,000,000 rows: not complete: {bad}"})
    else:
        out.append({"target": "5M-complete", "pass": None,
                    "text": "5,000,000 rows: not measured"})
    return out


def _xlsx_sizes(values: Sequence[str]) -> list[int]:
    out: set[int] = set()
    cap = xlsx_max_rows()
    for v in values:
        for part in str(v).split(","):
            part = part.strip().lower().replace("_", "")
            if not part or part == "none":
                continue
            n = cap if part == "max" else int(part)
            if n > cap:
                print(f"xlsx: {n:,} data rows do not fit a sheet; using {cap:,}",
                      file=sys.stderr)
                n = cap
            out.add(n)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, action="append",
                    help="CSV data rows (repeatable; default 10000, 100000, 1000000, 5000000)")
    ap.add_argument("--xlsx-rows", action="append",
                    help="XLSX data rows, or 'max' (what fits 1,048,576 sheet rows), or "
                         "'none' (repeatable; default 10000, 100000, max)")
    ap.add_argument("--repeats", type=int, default=None,
                    help="fresh runs per measurement, best time kept (default 3 below "
                         "1,000,000 rows, 1 from there)")
    ap.add_argument("--stages", default=",".join(STAGES),
                    help=f"comma-separated subset of {','.join(STAGES)}")
    ap.add_argument("--skip-frictionless", action="store_true")
    ap.add_argument("--frictionless", default=shutil.which("frictionless"),
                    help="the frictionless executable (default: found on PATH)")
    ap.add_argument("--frictionless-timeout", type=float, default=600.0,
                    help="seconds per frictionless run before it is recorded as timeout")
    ap.add_argument("--stage-timeout", type=float, default=7200.0,
                    help="seconds per library measurement before it is recorded as timeout")
    ap.add_argument("--bad", type=float, default=BAD_DEFAULT,
                    help="share of rows with a planted mistake (default 0.001)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="do not warm up on a small file before the timed call")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--_generate", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--_run", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._generate:
        _generate_child(args._generate[0], int(args._generate[1]), float(args._generate[2]))
        return 0
    if args._run:
        kind, path, warm, stages = args._run
        _run_child(kind, Path(path), Path(warm) if warm else None, stages.split(","))
        return 0

    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        ap.error(f"unknown stage(s) {unknown}; choose from {','.join(STAGES)}")
    if args.skip_frictionless and "frictionless" in stages:
        stages.remove("frictionless")
    sizes = sorted(set(args.rows or DEFAULT_ROWS))
    xsizes = _xlsx_sizes(args.xlsx_rows or DEFAULT_XLSX)
    fl: dict[str, Any] = {"exe": shutil.which(args.frictionless) if args.frictionless else None}
    if "frictionless" in stages and fl["exe"]:
        fl["schema"], fl["dialect"] = frictionless_files()
    command = "python benchmarks/bench_scale.py " + " ".join(sys.argv[1:] if argv is None
                                                              else argv)
    print(f"machine: {machine()}")
    lib = library_state()
    print(f"library: dak_monitor {lib.get('dak_monitor')} at {lib.get('commit')}"
          + (f" (modified: {', '.join(lib['modified_src'])})" if lib["modified_src"] else "")
          + f", pandas {lib.get('pandas')}, numpy {lib.get('numpy')}")
    print(f"command: {command.strip()}")
    print(f"frictionless: {fl['exe'] or 'not installed'}", flush=True)

    results: list[dict[str, Any]] = []
    plan = [(n, "csv") for n in sizes] + [(n, "xlsx") for n in xsizes]
    warm_paths: dict[str, Path | None] = {}
    for n, fmt in plan:
        if fmt not in warm_paths:
            warm_paths[fmt] = None if args.no_warmup else dataset(WARMUP_ROWS, fmt, args.bad)[0]
        path, meta = dataset(n, fmt, args.bad)
        repeats = args.repeats or (3 if n < 1_000_000 else 1)
        t0 = time.perf_counter()
        st = measure_file(n, fmt, path, warm_paths[fmt], stages, repeats, args, fl)
        res = {"rows": n, "format": fmt, "file_mib": path.stat().st_size / 2**20,
               "path": str(path), "repeats": repeats, "generator": meta, "stages": st}
        results.append(res)
        print(f"measured {fmt} {n:,} rows in {time.perf_counter() - t0:.0f} s: " + ", ".join(
            f"{k} {v['seconds']:.2f} s" if v.get("seconds") is not None else
            f"{k} {v.get('status')}" for k, v in st.items()), file=sys.stderr, flush=True)

    sc = scaling(results)
    verdicts = targets(results)
    print()
    print("\n".join(fmt_table(results)))
    print()
    print("\n".join(fmt_scaling(sc)))
    print()
    for v in verdicts:
        word = {True: "PASS", False: "FAIL", None: "N/A "}[v["pass"]]
        print(f"{word} {v['text']}")
    if args.json:
        doc = {"machine": machine(), "library": lib, "command": command.strip(),
               "config": {"stages": stages, "rows": sizes, "xlsx_rows": xsizes,
                          "bad": args.bad, "warmup": not args.no_warmup,
                          "warmup_rows": WARMUP_ROWS, "months": MONTHS,
                          "group_size": GROUP_SIZE, "frictionless": fl.get("exe"),
                          "frictionless_timeout": args.frictionless_timeout,
                          "frictionless_command": frictionless_cmd(
                              fl["exe"], Path("FILE"), fl["schema"], fl["dialect"])
                          if fl.get("schema") else None},
               "results": results, "scaling": sc, "targets": verdicts}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=1, default=str))
    return 1 if any(v["pass"] is False for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
