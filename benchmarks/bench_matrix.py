#!/usr/bin/env python
"""Benchmark matrix (issue #23): files the library's own generator did not make.

Usage::

    python benchmarks/bench_matrix.py --quick                       # 1M CSV, 300k XLSX, minutes
    python benchmarks/bench_matrix.py                               # full: 100k/1M/5M, both envs
    python benchmarks/bench_matrix.py --quick --envs pyarrow --shapes morena9,malformed
    python benchmarks/bench_matrix.py --write morena9 --rows 1000 --out /tmp/x.csv   # one file

Shapes, written by the small numpy writer below (it imports no ``dak_monitor`` code; region
codes and names come from ``src/dak_monitor/reference/regions.csv`` read as a CSV file):

* ``morena9``: the 9-column Morena-style CSV of the issue: ``Tahun Anggaran;Periode;Kode
  Wilayah;Kabupaten/Kota;Menu;Pagu (Rp);Realisasi (Rp);Persentase;Keterangan``, header on the
  first line, ``Januari 2024`` … ``Juni 2024`` (six cumulative monthly periods, month blocks one
  after the other), all 514 kabupaten/kota, a ``Menu`` text unique per item, money as
  ``972.000.000``, percents as ``4,30``, an empty ``Keterangan``.
* ``fisik23``: a 23-column DAK fisik subbidang KB export (title block; ``Kode Provinsi``, OPD,
  subbidang, menu, a unique ``Rincian Menu``, volume/satuan, ``Pagu RK``, procurement method and
  status, contract number, date ``dd/mm/yyyy`` and value, penyaluran, ``Realisasi Keuangan``,
  percents, volume realised); periods ``31/01/2024`` … ``30/06/2024``; statuses move from
  ``Belum Proses`` through ``Proses Pengadaan`` to ``Kontrak`` and ``Selesai (BAST)``, swakelola
  items ``Pelaksanaan Swakelola``.
* ``cp1252``: a 12-column nonfisik export in Windows-1252 (title block, alias headers such as
  ``TA``/``Bulan``/``Kode Pemda``/``Nama Daerah``/``Pagu Alokasi``, upper-case ``KAB.`` names,
  ``–``/``±``/``‘’`` in the notes), money as ``Rp 972.000.000`` / ``Rp.1.234.000,-``, and 0.1 %
  of the realisasi cells negative corrections written ``(1.234.000)``.
* ``malformed``: ``morena9`` with 1 % of all cells malformed, spread evenly over the 9 columns
  (``2O24``, ``Junii 2024``, ``3x.01``/``99.99``, an empty or ``#REF!`` name or menu,
  ``12a.000``/``1.2.3``/``#VALUE!`` money, ``4,3,0``/``#DIV/0!`` percents, and a ``;`` typed
  into a note, which makes the line one cell wider).
* ``xlsx``: ``morena9``'s content as an XLSX sheet (xlsxwriter, constant-memory mode; years,
  money and percents as numbers, money formatted ``#,##0``).

Stages, each measured in a FRESH process (the approach of ``bench_scale.py``: this
orchestrator never imports pandas; an untimed warm-up on a small file of the same shape, then
the peak RSS reset; peak = ``VmHWM``):

* ``read_csv``: ``pandas.read_csv(path, sep=";", thousands=".", decimal=",", skiprows=<title
  lines>, header=0, encoding=…, on_bad_lines="skip")`` (XLSX:
  ``pandas.read_excel(path, engine="calamine", skiprows=…)``), the speed reference;
* ``read``: ``dm.read_export(path)``; ``validate``: ``dm.validate_export`` of that export (same
  process, its own time);
* ``monitor``: ``dm.monitor(path)`` (read + validate + project + flag; no workbook or figures);
* ``cli-validate``: ``dak-monitor validate FILE`` (wall time, start-up included);
* ``frictionless``: ``frictionless validate FILE --schema … --dialect …`` with an equivalent
  Table Schema per shape (CSV shapes only), from its own virtualenv (``--frictionless``,
  default ``.venv-fl/bin/frictionless`` or the one on PATH); reported as not installed when
  missing.

Environments (``--envs``): ``installed`` (this interpreter) and ``pyarrow`` (a second venv that
also has pyarrow, ``--pyarrow-python``, default ``.venv-arrow/bin/python``; create it with
``python3.11 -m venv .venv-arrow && .venv-arrow/bin/pip install -c constraints.txt -e .
pyarrow``). Every stage of an environment runs with that environment's interpreter, so the
ratios are side by side.

Before timing, every file is checked: the library must read it with its row account adding up
(rows read = valid + quarantined + skipped, from ``validate_export``), one kind, and the
periods the writer wrote; a failure is reported in the table and the JSON, never hidden.

Output: a Markdown table (shape, rows, env, stage, seconds, × read_csv, peak RSS, notes), the
growth exponents between sizes, PASS/FAIL lines for the targets of #23, and ``--json PATH``.

This file is named ``bench_*.py`` so pytest's default collection ignores it;
``tests/test_bench_matrix.py`` runs the writer at a tiny size.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA_DIR = HERE / "_data" / "matrix"
REGIONS_CSV = REPO / "src" / "dak_monitor" / "reference" / "regions.csv"
WRITER_VERSION = 1
SEED = 20241231
WARMUP_ROWS = 3_000
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni")
MONTH_END = ("31/01/2024", "29/02/2024", "31/03/2024", "30/04/2024", "31/05/2024", "30/06/2024")
MONTHS = len(BULAN)
PROFILE = (0.04, 0.10, 0.17, 0.25, 0.35, 0.47)  # typical BOKB share by month (GLOSSARY.md)
SHAPE_NAMES = ("morena9", "fisik23", "cp1252", "malformed", "xlsx")
STAGES = ("read_csv", "read", "validate", "monitor", "cli-validate", "frictionless")
ENVS = ("installed", "pyarrow")


# ===================================================================== the writer (numpy)
def _np() -> Any:
    import numpy as np  # the orchestrator itself stays free of numpy/pandas

    return np


def regions() -> tuple[Any, Any]:
    """Kabupaten/kota codes and names (514), read from the packaged CSV as a plain file."""
    np = _np()
    with REGIONS_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["tingkat"] in ("kabupaten", "kota")]
    return (np.array([r["kode"] for r in rows], dtype=object),
            np.array([r["nama"] for r in rows], dtype=object))


_PAD = None
_PLAIN = None


def idr(values: Any) -> Any:
    """Whole Rupiah written the Indonesian way (``972.000.000``), as an object array.

    Vectorised: the three-digit groups come from two lookup tables, joined with ``.`` by
    numpy's element-wise object addition; no Python loop over the values.
    """
    global _PAD, _PLAIN
    np = _np()
    if _PAD is None:
        _PAD = np.array([f"{i:03d}" for i in range(1000)], dtype=object)
        _PLAIN = np.array([str(i) for i in range(1000)], dtype=object)
    v = np.abs(np.asarray(values, dtype=np.int64))
    groups = [(v // 1000**k) % 1000 for k in range(6)]
    n_groups = 1 + sum((v >= 1000**k).astype(np.int64) for k in range(1, 6))
    out = np.empty(len(v), dtype=object)
    for ng in np.unique(n_groups).tolist():
        m = n_groups == ng
        s = _PLAIN[groups[ng - 1][m]]
        for k in range(ng - 2, -1, -1):
            s = s + "." + _PAD[groups[k][m]]
        out[m] = s
    return out


def pct_text(hundredths: Any) -> Any:
    """Percents in hundredths written ``4,30`` (object array, by table lookup)."""
    np = _np()
    h = np.asarray(hundredths, dtype=np.int64)
    table = np.array([f"{i // 100},{i % 100:02d}" for i in range(int(h.max(initial=0)) + 1)],
                     dtype=object)
    return table[h]


def numbered(prefix: str, values: Any, width: int) -> Any:
    """``prefix`` + zero-padded numbers, vectorised (object array)."""
    np = _np()
    digits = np.strings.zfill(np.asarray(values, dtype=np.int64).astype(f"U{width}"), width)
    return prefix + digits.astype(object)


def join_lines(columns: Sequence[Any], sep: str = ";") -> str:
    """The CSV body: cells joined with ``sep`` column by column, lines with ``\\n``."""
    line = columns[0].astype(object)
    for col in columns[1:]:
        line = line + sep + col
    return "\n".join(line.tolist())


def _model(n: int, rng: Any) -> dict[str, Any]:
    """Items (n // 6) over all regions, cumulative monthly shares, pagu in whole thousands."""
    np = _np()
    codes, names = regions()
    n_items = max(n // MONTHS, 1)
    item = np.arange(n_items)
    reg = item * len(codes) // n_items  # contiguous runs of items per kabupaten/kota
    speed = rng.uniform(0.6, 1.4, size=len(codes))[reg]
    share = np.asarray(PROFILE)[None, :] * (speed * rng.lognormal(0, 0.25, n_items))[:, None]
    share = np.clip(share + rng.normal(0, 0.01, (n_items, MONTHS)), 0, 0.995)
    share = np.maximum.accumulate(share, axis=1)
    share[rng.random(n_items) < 0.03] = 0.0  # items that never spend
    pagu = rng.integers(10_000, 2_000_000, size=n_items) * 1000
    real = (np.floor(pagu[:, None] * share / 1000) * 1000).astype(np.int64)
    return {"codes": codes, "names": names, "n_items": n_items, "item": item, "reg": reg,
            "pagu": pagu, "real": real}


MENUS = ("Operasional Balai Penyuluhan KB", "Distribusi Alat dan Obat Kontrasepsi",
         "Pelayanan KB Bergerak", "Operasional BKB", "Operasional BKR", "Operasional PIK-R",
         "Kampung KB", "Pendampingan Keluarga Berisiko Stunting")


def _month_major(m: dict[str, Any]) -> tuple[Any, Any]:
    """Row order: month blocks, items in order within each: (item index, month index)."""
    np = _np()
    k = np.repeat(np.arange(MONTHS), m["n_items"])
    i = np.tile(m["item"], MONTHS)
    return i, k


def _morena9_columns(n: int, rng: Any) -> tuple[list[str], list[Any], dict[str, Any]]:
    np = _np()
    m = _model(n, rng)
    i, k = _month_major(m)
    menu = np.array(MENUS, dtype=object)[m["item"] % len(MENUS)] + numbered(" - ", m["item"] + 1,
                                                                            7)
    pagu, real = m["pagu"][i], m["real"][i, k]
    h = np.rint(real * 10_000.0 / pagu).astype(np.int64)
    header = ["Tahun Anggaran", "Periode", "Kode Wilayah", "Kabupaten/Kota", "Menu",
              "Pagu (Rp)", "Realisasi (Rp)", "Persentase", "Keterangan"]
    cols = [np.full(len(i), "2024", dtype=object),
            (np.array(BULAN, dtype=object) + " 2024")[k],
            m["codes"][m["reg"]][i], m["names"][m["reg"]][i], menu[i],
            idr(pagu), idr(real), pct_text(h), np.full(len(i), "", dtype=object)]
    facts = {"rows": len(i), "items": m["n_items"], "pagu_sum": int(m["pagu"].sum() * MONTHS),
             "realisasi_sum": int(real.sum()), "periods": list(MONTH_END)}
    return header, cols, facts


def _write_text(path: Path, lines_before: Sequence[str], header: Sequence[str],
                cols: Sequence[Any], encoding: str = "utf-8") -> None:
    text = "\n".join([*lines_before, ";".join(header), join_lines(cols)]) + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(text.encode(encoding))
    tmp.replace(path)


def write_morena9(n: int, path: Path) -> dict[str, Any]:
    header, cols, facts = _morena9_columns(n, _np().random.default_rng([SEED, 1, n]))
    _write_text(path, [], header, cols)
    return {**facts, "header_line": 0, "encoding": "utf-8", "kind": "nonfisik"}


def write_malformed(n: int, path: Path, share: float = 0.01) -> dict[str, Any]:
    """``morena9`` with ``share`` of all cells malformed, spread evenly over the columns."""
    np = _np()
    rng = np.random.default_rng([SEED, 4, n])
    header, cols, facts = _morena9_columns(n, rng)
    bad_by_col = {
        0: ["2O24", "20244", "Tahun"],
        1: ["Junii 2024", "Bulan 13 2024", "13/2024"],
        2: ["3x.01", "99.99", "32-0A"],
        3: ["", "#REF!", "Kab. Antah Berantah"],
        4: ["", "#N/A"],
        5: ["12a.000", "1.2.3", "#VALUE!", "97.20.000"],
        6: ["12a.000", "1.2.3", "#VALUE!", "97.20.000"],
        7: ["4,3,0", "abc", "#DIV/0!"],
        8: ["Revisi; menunggu SP2D"],  # a separator typed into a note: one cell more
    }
    rows = facts["rows"]
    n_bad = round(share * rows * len(cols))
    cells = rng.choice(rows * len(cols), size=n_bad, replace=False)
    r, c = cells // len(cols), cells % len(cols)
    per_col = {}
    for j, choices in bad_by_col.items():
        rr = r[c == j]
        cols[j] = cols[j].copy()
        cols[j][rr] = np.array(choices, dtype=object)[rng.integers(0, len(choices), len(rr))]
        per_col[header[j]] = len(rr)
    _write_text(path, [], header, cols)
    return {**facts, "header_line": 0, "encoding": "utf-8", "kind": "nonfisik",
            "malformed_cells": int(n_bad), "malformed_rows": int(len(np.unique(r))),
            "malformed_per_column": per_col, "ragged_rows": per_col[header[8]]}


KET_1252 = ("", "", "", "", "Revisi – APBD-P", "Menunggu SP2D (± 2 minggu)",
            "Sudah diverifikasi ‘OK’", "Pengembalian ke RKUD")


def write_cp1252(n: int, path: Path) -> dict[str, Any]:
    np = _np()
    rng = np.random.default_rng([SEED, 3, n])
    m = _model(n, rng)
    i, k = _month_major(m)
    rows = len(i)
    names = np.array([s.replace("Kabupaten ", "KAB. ").replace("Kota ", "KOTA ").upper()
                      for s in m["names"].tolist()], dtype=object)
    pagu, real = m["pagu"][i], m["real"][i, k].copy()
    peny = np.minimum(pagu, (np.ceil(real / pagu * 3 + 0.01) / 3 * pagu // 1000) * 1000
                      ).astype(np.int64)
    neg = rng.random(rows) < 0.001  # corrections (pengembalian) written (1.234.000)
    real[neg] = -rng.integers(1, 500, int(neg.sum())) * 1000
    h = np.rint(np.maximum(real, 0) * 10_000.0 / pagu).astype(np.int64)
    cap = np.minimum(h + rng.integers(0, 500, rows), 10_000)

    def rp(v: Any) -> Any:
        txt = idr(v)
        style = rng.random(len(v))
        out = np.where(style < 0.8, "Rp " + txt, "Rp." + txt + ",-")
        out = out.astype(object)
        out[v < 0] = "(" + txt[v < 0] + ")"
        return out

    ket = np.array(KET_1252, dtype=object)[rng.integers(0, len(KET_1252), rows)]
    rincian = numbered("Rincian ", m["item"] + 1, 7)
    header = ["TA", "Bulan", "Kode Pemda", "Nama Daerah", "Menu Kegiatan", "Rincian Kegiatan",
              "Pagu Alokasi", "Dana Diterima", "Realisasi", "%", "Capaian (%)", "Catatan"]
    cols = [np.full(rows, "2024", dtype=object),
            ("s.d. " + np.array(BULAN, dtype=object) + " 2024")[k],
            m["codes"][m["reg"]][i], names[m["reg"]][i],
            np.array(MENUS, dtype=object)[(m["item"] // 3) % len(MENUS)][i], rincian[i],
            rp(pagu), rp(peny), rp(real), pct_text(h), pct_text(cap), ket]
    title = ["LAPORAN REALISASI DAK NON FISIK – BOKB", "TAHUN ANGGARAN 2024",
             "Periode s.d. Juni 2024", ""]
    _write_text(path, title, header, cols, encoding="cp1252")
    return {"rows": rows, "items": m["n_items"], "header_line": len(title),
            "encoding": "cp1252", "kind": "nonfisik", "negative_cells": int(neg.sum()),
            "pagu_sum": int(m["pagu"].sum() * MONTHS), "periods": list(MONTH_END)}


FISIK_MENUS = ("Penyediaan Sarana Prasarana Balai Penyuluhan KB",
               "Pengadaan Sarana Pelayanan KB", "Pengadaan Sarana Penunjang Pelayanan KB",
               "Pengadaan Kendaraan Operasional Penyuluh KB")
METODE = ("e-Purchasing", "Tender", "Pengadaan Langsung", "Swakelola")
SATUAN = ("unit", "paket", "set")


def write_fisik23(n: int, path: Path) -> dict[str, Any]:
    np = _np()
    rng = np.random.default_rng([SEED, 2, n])
    codes, names = regions()
    n_items = max(n // MONTHS, 1)
    item = np.arange(n_items)
    reg = item * len(codes) // n_items
    metode = rng.choice(len(METODE), n_items, p=[0.45, 0.2, 0.25, 0.1])
    swa = metode == 3
    cm = rng.choice(np.arange(1, 8), n_items, p=[0.05, 0.15, 0.25, 0.2, 0.15, 0.1, 0.1])
    cm[swa] = 99  # swakelola: no contract
    day = rng.integers(1, 29, n_items)
    pagu = rng.integers(50_000, 3_000_000, n_items) * 1000
    nilai = (np.floor(pagu * rng.uniform(0.85, 1.0, n_items) / 1000) * 1000).astype(np.int64)
    volume = rng.integers(1, 25, n_items)
    k1 = np.arange(1, MONTHS + 1)[None, :]
    since = np.clip(k1 - cm[:, None] + 1, 0, None)  # months since the contract (incl.)
    share = np.where(swa[:, None], np.asarray(PROFILE)[None, :],
                     np.minimum(since * 0.3 * rng.uniform(0.5, 1.0, n_items)[:, None], 1.0))
    base = np.where(swa, pagu, nilai)
    real = (np.floor(base[:, None] * share / 1000) * 1000).astype(np.int64)
    fisik = np.minimum(np.rint(share * 10_000 * 1.1), 10_000).astype(np.int64)
    vol_real = np.floor(volume[:, None] * share).astype(np.int64)
    tranche = np.asarray((0.0, 0.0, 0.25, 0.25, 0.25, 0.45))[None, :]
    peny = (np.floor(pagu[:, None] * np.maximum(tranche, np.ceil(share * 4) / 4) / 1000)
            * 1000).astype(np.int64)
    status = np.where(k1 < cm[:, None] - 1, 0, np.where(k1 < cm[:, None], 1,
                      np.where(k1 < cm[:, None] + 3, 2, 4)))
    status[swa] = 3
    contracted = (k1 >= cm[:, None]) & ~swa[:, None]

    i = np.tile(item, MONTHS)
    k = np.repeat(np.arange(MONTHS), n_items)
    rows = len(i)
    con = contracted[i, k]
    status_txt = np.array(("Belum Proses", "Proses Pengadaan", "Kontrak",
                           "Pelaksanaan Swakelola", "Selesai (BAST)"), dtype=object)
    nomor = numbered("027/SPK/DPPKB/2024/", item + 1, 7)
    tanggal = (np.array([f"{d:02d}/" for d in range(32)], dtype=object)[day]
               + np.array([f"{c:02d}/2024" for c in range(100)], dtype=object)[cm])
    empty = np.full(rows, "", dtype=object)
    h = np.rint(real[i, k] * 10_000.0 / pagu[i]).astype(np.int64)
    short = np.array([s.replace("Kabupaten ", "Kab. ") for s in names.tolist()], dtype=object)
    header = ["Tahun", "Periode", "Kode Provinsi", "Kode Kab/Kota", "Kabupaten/Kota", "OPD",
              "Subbidang", "Menu", "Rincian Menu", "Volume", "Satuan", "Pagu RK",
              "Metode Pengadaan", "Status Pengadaan", "No. Kontrak", "Tanggal Kontrak",
              "Nilai Kontrak", "Penyaluran", "Realisasi Keuangan", "Persentase",
              "Progres Fisik (%)", "Volume Realisasi", "Keterangan"]
    ints = np.array([str(v) for v in range(100)], dtype=object)
    cols = [np.full(rows, "2024", dtype=object), np.array(MONTH_END, dtype=object)[k],
            np.array([c[:2] for c in codes.tolist()], dtype=object)[reg][i],
            codes[reg][i], short[reg][i], ("DPPKB " + short)[reg][i],
            np.where(reg % 3 == 0, "Penurunan Stunting (KB)", "KB").astype(object)[i],
            np.array(FISIK_MENUS, dtype=object)[item % len(FISIK_MENUS)][i],
            numbered("Paket ", item + 1, 7)[i], ints[volume][i],
            np.array(SATUAN, dtype=object)[item % len(SATUAN)][i], idr(pagu)[i],
            np.array(METODE, dtype=object)[metode][i], status_txt[status[i, k]],
            np.where(con, nomor[i], empty), np.where(con, tanggal[i], empty),
            np.where(con, idr(nilai)[i], empty), idr(peny[i, k]), idr(real[i, k]),
            pct_text(h), pct_text(fisik[i, k]), ints[vol_real[i, k]], empty]
    title = ["LAPORAN REALISASI DAK FISIK SUBBIDANG KB", "TAHUN ANGGARAN 2024", ""]
    _write_text(path, title, header, cols)
    return {"rows": rows, "items": n_items, "header_line": len(title), "encoding": "utf-8",
            "kind": "fisik", "contracted_rows": int(con.sum()), "swakelola_items": int(swa.sum()),
            "pagu_sum": int(pagu.sum() * MONTHS), "periods": list(MONTH_END)}


def write_xlsx(n: int, path: Path) -> dict[str, Any]:
    """``morena9``'s content as a sheet (numbers as numbers), xlsxwriter constant memory."""
    np = _np()
    import xlsxwriter

    m = _model(n, np.random.default_rng([SEED, 5, n]))
    i, k = _month_major(m)
    menu = np.array(MENUS, dtype=object)[m["item"] % len(MENUS)] + numbered(" - ", m["item"] + 1,
                                                                            7)
    pagu, real = m["pagu"][i], m["real"][i, k]
    pct = np.rint(real * 10_000.0 / pagu) / 100
    header = ["Tahun Anggaran", "Periode", "Kode Wilayah", "Kabupaten/Kota", "Menu",
              "Pagu (Rp)", "Realisasi (Rp)", "Persentase", "Keterangan"]
    tmp = path.with_name(path.name + ".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    ws = wb.add_worksheet("Realisasi")
    money = wb.add_format({"num_format": "#,##0"})
    two = wb.add_format({"num_format": "0.00"})
    ws.write_row(0, 0, header)
    per = (np.array(BULAN, dtype=object) + " 2024")[k].tolist()
    code = m["codes"][m["reg"]][i].tolist()
    name = m["names"][m["reg"]][i].tolist()
    mn = menu[i].tolist()
    pg, rl, pc = pagu.tolist(), real.tolist(), pct.tolist()
    ws_n, ws_s = ws.write_number, ws.write_string
    for r in range(len(i)):
        x = r + 1
        ws_n(x, 0, 2024)
        ws_s(x, 1, per[r])
        ws_s(x, 2, code[r])
        ws_s(x, 3, name[r])
        ws_s(x, 4, mn[r])
        ws_n(x, 5, pg[r], money)
        ws_n(x, 6, rl[r], money)
        ws_n(x, 7, pc[r], two)
    wb.close()
    tmp.replace(path)
    return {"rows": len(i), "items": m["n_items"], "header_line": 0, "encoding": None,
            "kind": "nonfisik", "pagu_sum": int(m["pagu"].sum() * MONTHS),
            "periods": list(MONTH_END)}


WRITERS: dict[str, Callable[[int, Path], dict[str, Any]]] = {
    "morena9": write_morena9, "fisik23": write_fisik23, "cp1252": write_cp1252,
    "malformed": write_malformed, "xlsx": write_xlsx,
}


def suffix(shape: str) -> str:
    return "xlsx" if shape == "xlsx" else "csv"


def write_shape(shape: str, n: int, path: Path) -> dict[str, Any]:
    """Write ``shape`` with about ``n`` data rows (rounded down to whole items × 6 months)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    facts = WRITERS[shape](n, path)
    facts.update(shape=shape, requested_rows=n, writer_version=WRITER_VERSION, seed=SEED,
                 write_seconds=time.perf_counter() - t0, bytes=path.stat().st_size)
    return facts


def dataset(shape: str, n: int) -> tuple[Path, dict[str, Any]]:
    """The cached file of ``shape`` at ``n`` rows (written in a child process when missing)."""
    path = DATA_DIR / f"{shape}_{n}.{suffix(shape)}"
    meta_path = path.with_name(path.name + ".json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("writer_version") == WRITER_VERSION and meta.get("seed") == SEED:
            return path, meta
    subprocess.run([sys.executable, __file__, "--_write", shape, str(n), str(path)], check=True)
    meta = json.loads(meta_path.read_text())
    print(f"wrote {path.name} ({meta['bytes'] / 2**20:,.1f} MiB, {meta['rows']:,} rows) in "
          f"{meta['write_seconds']:.1f} s", file=sys.stderr, flush=True)
    return path, meta


# =================================================================== checking one file
def check_read(path: Path, facts: dict[str, Any]) -> dict[str, Any]:
    """Read ``path`` with the library; does the row account add up, kind and periods right?

    Returns a dict with ``ok`` and the counts (``rows_read``, ``valid``, ``quarantined``,
    ``skipped``, ``data``, ``unparsed``, ``kind``, ``periods``, ``problems`` by code) and
    ``errors`` (what did not add up, or the exception the library raised).
    """
    import dak_monitor as dm

    out: dict[str, Any] = {"ok": False, "errors": []}
    try:
        ex = dm.read_export(path)
        rep = dm.validate_export(ex)
    except Exception as exc:  # a finding to report, not to hide
        out["errors"].append(f"{type(exc).__name__}: {str(exc)[:300]}")
        return out
    t = rep.totals()
    periods = sorted({p.strftime("%d/%m/%Y") for p in ex.data["periode"].dropna()})
    out.update(rows_read=ex.rows_read, data=len(ex.data), skipped=len(ex.skipped),
               unparsed=len(ex.unparsed), valid=t["rows_valid"],
               quarantined=t["rows_quarantined"], skipped_v=t["rows_skipped"],
               kind=ex.kind, periods=periods,
               problems=rep.problems["code"].value_counts().head(12).to_dict(),
               skipped_reasons=ex.skipped["alasan"].value_counts().head(6).to_dict())
    errs = out["errors"]
    if t["rows_read"] != t["rows_valid"] + t["rows_quarantined"] + t["rows_skipped"]:
        errs.append(f"row account: {t}")
    if ex.rows_read != len(ex.data) + len(ex.skipped):
        errs.append(f"read {ex.rows_read} != data {len(ex.data)} + skipped {len(ex.skipped)}")
    lines = facts["rows"] + facts["header_line"] + 1
    if ex.rows_read != lines:
        errs.append(f"rows read {ex.rows_read:,} != lines written {lines:,}")
    if ex.kind != facts["kind"]:
        errs.append(f"kind {ex.kind!r}, written {facts['kind']!r}")
    if set(periods) - set(facts["periods"]) or (facts["shape"] != "malformed"
                                                 and set(periods) != set(facts["periods"])):
        errs.append(f"periods {periods}, written {facts['periods']}")
    if facts["shape"] != "malformed" and len(ex.data) != facts["rows"]:
        errs.append(f"{len(ex.data):,} data rows, written {facts['rows']:,}")
    out["ok"] = not errs
    return out


# ============================================================ measuring (fresh children)
def _bench_scale() -> Any:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import bench_scale

    return bench_scale


def _run_child(kind: str, path: Path, warm: Path | None, meta_path: Path) -> None:
    """One measurement in this fresh process: one JSON line per stage done."""
    import gc
    import warnings

    import pandas as pd

    import dak_monitor as dm

    bs = _bench_scale()
    meta = json.loads(meta_path.read_text())

    def plain(p: Path, record: bool) -> None:
        t0 = time.perf_counter()
        if p.suffix == ".xlsx":
            frame = pd.read_excel(p, engine="calamine", skiprows=meta["header_line"], header=0)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = pd.read_csv(p, sep=";", thousands=".", decimal=",",
                                    skiprows=meta["header_line"], header=0,
                                    encoding=meta["encoding"], on_bad_lines="skip")
        dt = time.perf_counter() - t0
        if record:
            bs._emit({"stage": "read_csv", "seconds": dt, "peak_mib": bs._proc_mib("VmHWM"),
                      "info": {"frame_rows": len(frame),
                               "string_storage": str(frame.dtypes.iloc[1])}})

    def pipeline(p: Path, record: bool) -> None:
        t0 = time.perf_counter()
        ex = dm.read_export(p)
        t1 = time.perf_counter()
        if record:
            bs._emit({"stage": "read", "seconds": t1 - t0, "peak_mib": bs._proc_mib("VmHWM"),
                      "info": {"data": len(ex.data), "skipped": len(ex.skipped),
                               "unparsed": len(ex.unparsed)}})
        rep = dm.validate_export(ex)
        t2 = time.perf_counter()
        if record:
            t = rep.totals()
            bs._emit({"stage": "validate", "seconds": t2 - t1,
                      "peak_mib": bs._proc_mib("VmHWM"),
                      "info": {"problems": len(rep.problems), "valid": t["rows_valid"],
                               "quarantined": t["rows_quarantined"]}})

    def monitor(p: Path, record: bool) -> None:
        t0 = time.perf_counter()
        res = dm.monitor(p)
        dt = time.perf_counter() - t0
        if record:
            bs._emit({"stage": "monitor", "seconds": dt, "peak_mib": bs._proc_mib("VmHWM"),
                      "info": {"problems": len(res.validation.problems),
                               "flags": len(res.flags), "opd_rows": len(res.projection.table)}})

    run = {"read_csv": plain, "pipeline": pipeline, "monitor": monitor}[kind]
    if warm is not None:
        run(warm, False)
    gc.collect()
    bs._emit({"stage": "_base", "rss_mib": bs._proc_mib("VmRSS"), "reset": bs._reset_peak()})
    run(path, True)


def measure_python(python: str, kind: str, path: Path, warm: Path | None, wanted: list[str],
                   timeout: float) -> dict[str, dict[str, Any]]:
    bs = _bench_scale()
    meta_path = path.with_name(path.name + ".json")
    cmd = [python, __file__, "--_run", kind, str(path), str(warm or ""), str(meta_path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        stdout, rc, err = proc.stdout, proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        rc, err = None, f"timeout after {timeout:.0f} s"
    recs = {r["stage"]: r for r in bs._parse_lines(stdout)}
    recs.pop("_base", None)
    out = {}
    for s in wanted:
        if s in recs:
            out[s] = {**recs[s], "status": "ok"}
        else:
            tail = [x for x in (err or "").strip().splitlines() if x.strip()]
            status = ("timeout" if rc is None else
                      "error: " + (tail[-1][:200] if tail else f"exit status {rc}"))
            out[s] = {"stage": s, "status": status, "seconds": None, "peak_mib": None}
    return out


# ============================================================================ frictionless
def frictionless_files(shape: str, meta: dict[str, Any]) -> tuple[Path, Path]:
    """A Table Schema equivalent to what dak-monitor checks, and the dialect, per shape."""
    bulan = "|".join(("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                      "Agustus", "September", "Oktober", "November", "Desember"))
    req = {"required": True}
    year = {"type": "integer", "constraints": {**req, "minimum": 2000, "maximum": 2100}}
    code = {"type": "string", "constraints": {**req, "pattern": r"\d{2}\.\d{2}"}}
    text_req = {"type": "string", "constraints": req}
    text = {"type": "string"}

    def money(required: bool = False, bare: bool = True) -> dict[str, Any]:
        return {"type": "number", "groupChar": ".", "decimalChar": ",", "bareNumber": bare,
                "constraints": {"minimum": 0, **(req if required else {})}}

    pct = {"type": "number", "decimalChar": ",", "groupChar": ".",
           "constraints": {"minimum": 0, "maximum": 100}}
    periode = {"type": "string",
               "constraints": {**req, "pattern": rf"(s\.d\. )?({bulan}) \d{{4}}"}}
    if shape in ("morena9", "malformed"):
        fields = [year, periode, code, text_req, text_req, money(True), money(True), pct, text]
    elif shape == "cp1252":
        fields = [year, periode, code, text_req, text_req, text, money(True, False),
                  money(False, False), money(True, False), pct, pct, text]
    else:  # fisik23
        date = {"type": "date", "format": "%d/%m/%Y"}
        fields = [year, {**date, "constraints": req},
                  {"type": "string", "constraints": {**req, "pattern": r"\d{2}"}}, code,
                  text_req, text, text, text_req, text_req, {"type": "integer"}, text,
                  money(True), text, text, text, date, money(), money(), money(True), pct, pct,
                  {"type": "integer"}, text]
    header = meta["header_names"]
    schema = {"fields": [{"name": h, **f} for h, f in zip(header, fields, strict=True)],
              "missingValues": [""]}
    dialect = {"header": True, "headerRows": [meta["header_line"] + 1],
               "csv": {"delimiter": ";"}}
    sp = DATA_DIR / f"frictionless_{shape}_schema.json"
    dp = DATA_DIR / f"frictionless_{shape}_dialect.json"
    for p, doc in ((sp, schema), (dp, dialect)):
        p.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    return sp, dp


def run_frictionless(exe: str | None, shape: str, path: Path, meta: dict[str, Any],
                     timeout: float) -> dict[str, Any]:
    bs = _bench_scale()
    if not exe:
        return {"status": "not installed", "seconds": None, "peak_mib": None}
    if shape == "xlsx":
        return {"status": "n/a (CSV only)", "seconds": None, "peak_mib": None}
    sp, dp = frictionless_files(shape, meta)
    report = DATA_DIR / f"frictionless_report_{shape}.json"
    cmd = [exe, "validate", str(path), "--schema", str(sp), "--dialect", str(dp), "--format",
           "csv", "--encoding", meta["encoding"], "--limit-errors", "1000000000", "--trusted",
           "--json"]
    r = bs.run_command(cmd, timeout, stdout_path=report)
    if r["status"] == "timeout":
        r["status"] = f"timeout (> {timeout:.0f} s)"
    elif r["exit"] not in (0, 1):
        r["status"] = f"error: exit {r['exit']}: " + " ".join(r.get("stderr_tail", [])[-2:])
    else:
        r["info"] = bs._count_frictionless(report)
    report.unlink(missing_ok=True)
    return r


# ================================================================================ the run
def env_python(env: str, args: argparse.Namespace) -> str | None:
    extra = dict(e.split("=", 1) for e in args.env_python or ())
    if env in extra:
        return extra[env] if Path(extra[env]).exists() else None
    if env == "installed":
        return sys.executable
    p = Path(args.pyarrow_python)
    return str(p) if p.exists() else None


def cli_of(python: str) -> list[str]:
    exe = Path(python).with_name("dak-monitor")
    return [str(exe)] if exe.exists() else [python, "-m", "dak_monitor"]


def measure(shape: str, n: int, env: str, python: str, stages: list[str],
            args: argparse.Namespace) -> dict[str, Any]:
    bs = _bench_scale()
    path, meta = dataset(shape, n)
    warm = None if args.no_warmup else dataset(shape, WARMUP_ROWS)[0]
    got: dict[str, dict[str, Any]] = {}
    if "read_csv" in stages:
        got.update(measure_python(python, "read_csv", path, warm, ["read_csv"], args.timeout))
    pipe = [s for s in ("read", "validate") if s in stages]
    if pipe:
        wanted = ["read", "validate"] if "validate" in pipe else ["read"]
        got.update(measure_python(python, "pipeline", path, warm, wanted, args.timeout))
    if "monitor" in stages:
        got.update(measure_python(python, "monitor", path, warm, ["monitor"], args.timeout))
    if "cli-validate" in stages:
        r = bs.run_command([*cli_of(python), "validate", str(path)], args.timeout)
        if r["status"] == "ok" and r["exit"] not in (0, 1):
            r["status"] = f"error: exit {r['exit']}: " + " ".join(r.get("stderr_tail", [])[-1:])
        got["cli-validate"] = r
    if "frictionless" in stages and env == args.envs[0]:
        got["frictionless"] = run_frictionless(args.frictionless_exe, shape, path, meta,
                                               args.frictionless_timeout)
    return {"shape": shape, "rows": meta["rows"], "rows_requested": n, "env": env, "file_mib": meta["bytes"] / 2**20,
            "path": str(path), "stages": got}


def _note(stage: str, r: dict[str, Any]) -> str:
    info = r.get("info") or {}
    if not info:
        return f"exit {r['exit']}" if r.get("exit") is not None else ""
    if stage == "read_csv":
        return f"{info['frame_rows']:,} rows, text {info['string_storage']}"
    if stage == "read":
        return f"{info['data']:,} data, {info['skipped']:,} skipped, {info['unparsed']:,} unparsed"
    if stage == "validate":
        return (f"{info['problems']:,} problems, {info['valid']:,} valid, "
                f"{info['quarantined']:,} quarantined")
    if stage == "monitor":
        return f"{info['problems']:,} problems, {info['flags']:,} flags"
    if stage == "frictionless":
        if "errors" in info:
            top = ", ".join(f"{k} {v:,}" for k, v in list(info["types"].items())[:3])
            return f"exit {r.get('exit')}, {info['errors']:,} errors ({top})"
    return ""


def fmt_table(results: list[dict[str, Any]]) -> list[str]:
    lines = ["| shape | rows | MiB | env | stage | seconds | × read_csv | peak RSS MiB | notes |",
             "|---|---:|---:|---|---|---:|---:|---:|---|"]
    for res in results:
        b = res["stages"].get("read_csv", {}).get("seconds")
        for stage in STAGES:
            r = res["stages"].get(stage)
            if r is None:
                continue
            sec = r.get("seconds")
            if r.get("status") != "ok" or sec is None:
                cells = [str(r.get("status", "?")), "", ""]
            else:
                cells = [f"{sec:.2f}", f"{sec / b:.1f}" if b else "",
                         f"{r['peak_mib']:,.0f}" if r.get("peak_mib") else ""]
            lines.append(f"| {res['shape']} | {res['rows']:,} | {res['file_mib']:,.0f} | "
                         f"{res['env']} | {stage} | {' | '.join(cells)} | {_note(stage, r)} |")
    return lines


def fmt_checks(checks: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| shape | ok | rows read | data | skipped | valid | quarantined | unparsed | kind "
             "| periods | top problems / errors |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|"]
    for shape, c in checks.items():
        if "rows_read" not in c:
            lines.append(f"| {shape} | NO | | | | | | | | | {'; '.join(c['errors'])} |")
            continue
        probs = ", ".join(f"{k} {v:,}" for k, v in list(c["problems"].items())[:5])
        lines.append(f"| {shape} | {'yes' if c['ok'] else 'NO'} | {c['rows_read']:,} | "
                     f"{c['data']:,} | {c['skipped']:,} | {c['valid']:,} | "
                     f"{c['quarantined']:,} | {c['unparsed']:,} | {c['kind']} | "
                     f"{len(c['periods'])} | {'; '.join(c['errors'])} {probs} |")
    return lines


def growth(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    keys = sorted({(r["shape"], r["env"]) for r in results})
    for shape, env in keys:
        rs = sorted((r for r in results if (r["shape"], r["env"]) == (shape, env)),
                    key=lambda r: r["rows"])
        if len(rs) < 2:
            continue
        for stage in STAGES:
            pts = [(r["rows"], r["stages"][stage]["seconds"]) for r in rs
                   if r["stages"].get(stage, {}).get("seconds")]
            if len(pts) < 2:
                continue
            exps = [math.log(s1 / s0) / math.log(n1 / n0)
                    for (n0, s0), (n1, s1) in zip(pts, pts[1:], strict=False)]
            lines.append(f"  {shape:<9} {env:<9} {stage:<12} " + ", ".join(
                f"{n0:,}→{n1:,}: ^{e:.2f}" for (n0, _), (n1, _), e in
                zip(pts, pts[1:], exps, strict=False)))
    return lines


def targets(results: list[dict[str, Any]]) -> list[str]:
    out = []
    for res in results:
        st = res["stages"]
        b = st.get("read_csv", {}).get("seconds")
        size = res.get("rows_requested", res["rows"])
        if not b or size < 250_000:
            continue
        tag = f"{res['shape']} {res['rows']:,} {res['env']}"
        limit = {"read": 3.0, "monitor": 6.0 if res["env"] == "installed" else 10.0}
        for stage, lim in limit.items():
            s = st.get(stage, {}).get("seconds")
            if s:
                word = "PASS" if s / b <= lim else "FAIL"
                out.append(f"{word} {tag}: {stage} {s:.2f} s = {s / b:.1f}× read_csv "
                           f"{b:.2f} s (≤ {lim:.0f}×)")
        c, f = st.get("cli-validate", {}).get("seconds"), st.get("frictionless", {}).get(
            "seconds")
        if c and f:
            out.append(f"{'PASS' if f / c >= 5 else 'FAIL'} {tag}: dak-monitor validate {c:.1f} "
                       f"s vs frictionless {f:.1f} s = {f / c:.1f}× faster (≥ 5×)")
        for stage in ("read", "monitor"):
            p = st.get(stage, {}).get("peak_mib")
            if p and size >= 1_000_000:
                lim = 2048 if size <= 1_000_000 else 8192
                out.append(f"{'PASS' if p <= lim else 'FAIL'} {tag}: {stage} peak {p:,.0f} MiB "
                           f"(≤ {lim:,} MiB)")
    return out


def check_in_child(python: str, shape: str, n: int) -> dict[str, Any]:
    path, meta = dataset(shape, n)
    proc = subprocess.run([python, __file__, "--_check", str(path)], capture_output=True,
                          text=True, timeout=1800)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"ok": False, "errors": [(proc.stderr or "no output").strip()[-300:]]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="1M rows for the CSV shapes, 300k for XLSX, one environment")
    ap.add_argument("--rows", type=int, action="append",
                    help="CSV rows (repeatable; full run: 100000, 1000000, 5000000)")
    ap.add_argument("--xlsx-rows", type=int, action="append", help="XLSX rows (300000)")
    ap.add_argument("--shapes", default=",".join(SHAPE_NAMES))
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--envs", "--env", default=None,
                    help="installed, pyarrow or both (default: installed with --quick, "
                         "installed,pyarrow for the full run)")
    ap.add_argument("--pyarrow-python", default=str(REPO / ".venv-arrow" / "bin" / "python"))
    ap.add_argument("--env-python", action="append", metavar="NAME=PYTHON",
                    help="another environment by name, e.g. before=/tmp/before/python (an "
                         "interpreter or a script running one: an older checkout side by side "
                         "in the same run); list NAME in --envs")
    ap.add_argument("--frictionless", default=None,
                    help="frictionless executable (default .venv-fl/bin/frictionless or PATH)")
    ap.add_argument("--frictionless-timeout", type=float, default=900.0)
    ap.add_argument("--timeout", type=float, default=3600.0)
    ap.add_argument("--check-rows", type=int, default=12_000,
                    help="rows of the small files the row account is checked on first")
    ap.add_argument("--no-warmup", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--write", help="only write SHAPE (with --rows N and --out PATH)")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--_write", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--_run", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--_check", nargs=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._write:
        shape, n, path = args._write
        facts = write_shape(shape, int(n), Path(path))
        facts["header_names"] = _header_names(Path(path), facts)
        Path(path + ".json").write_text(json.dumps(facts, indent=1))
        return 0
    if args._run:
        kind, path, warm, meta = args._run
        _run_child(kind, Path(path), Path(warm) if warm else None, Path(meta))
        return 0
    if args._check:
        p = Path(args._check[0])
        print(json.dumps(check_read(p, json.loads(p.with_name(p.name + ".json").read_text())),
                         default=str))
        return 0
    if args.write:
        facts = write_shape(args.write, (args.rows or [10_000])[0],
                            args.out or Path(f"{args.write}.{suffix(args.write)}"))
        print(json.dumps(facts, indent=1))
        return 0

    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    bad = sorted(set(shapes) - set(SHAPE_NAMES)) + sorted(set(stages) - set(STAGES))
    if bad:
        ap.error(f"unknown shape(s)/stage(s): {bad}")
    envs = (args.envs or ("installed" if args.quick else "installed,pyarrow")).split(",")
    args.envs = [e.strip() for e in envs if e.strip()]
    rows = args.rows or ([1_000_000] if args.quick else [100_000, 1_000_000, 5_000_000])
    xrows = args.xlsx_rows or [300_000]
    fl = args.frictionless or (str(REPO / ".venv-fl" / "bin" / "frictionless")
                               if (REPO / ".venv-fl" / "bin" / "frictionless").exists()
                               else shutil.which("frictionless"))
    args.frictionless_exe = fl if fl and Path(fl).exists() else None
    bs = _bench_scale()
    command = "python benchmarks/bench_matrix.py " + " ".join(
        sys.argv[1:] if argv is None else argv)
    print(f"machine: {bs.machine()}; load average at start: {os.getloadavg()}")
    print(f"command: {command.strip()}")
    print(f"frictionless: {args.frictionless_exe or 'not installed'}", flush=True)

    pythons = {}
    for env in args.envs:
        py = env_python(env, args)
        if py is None:
            print(f"environment {env!r}: no interpreter found; skipped "
                  f"(see the module docstring to create it)", file=sys.stderr)
            continue
        ver = subprocess.run([py, "-c", "import pandas,numpy,importlib.util as u;print(pandas."
                              "__version__,numpy.__version__,bool(u.find_spec('pyarrow')))"],
                             capture_output=True, text=True).stdout.strip()
        print(f"env {env}: {py} (pandas, numpy, pyarrow present: {ver})")
        pythons[env] = py
    checks = {}
    first = next(iter(pythons.values()))
    for shape in shapes:
        checks[shape] = check_in_child(first, shape, args.check_rows)
    print("\nCan the library read each shape? (", f"{args.check_rows:,}", "rows )")
    print("\n".join(fmt_checks(checks)), flush=True)

    results = []
    for shape in shapes:
        sizes = xrows if shape == "xlsx" else rows
        for n in sizes:
            for env, py in pythons.items():
                t0 = time.perf_counter()
                load0 = os.getloadavg()[0]
                res = measure(shape, n, env, py, stages, args)
                res["load_before"] = load0
                res["load_after"] = os.getloadavg()[0]
                results.append(res)
                print(f"measured {shape} {n:,} {env} in {time.perf_counter() - t0:.0f} s "
                      f"(load {load0:.2f}→{res['load_after']:.2f}): " + ", ".join(
                          f"{k} {v['seconds']:.2f}" if v.get("seconds") else
                          f"{k} {v.get('status')}" for k, v in res["stages"].items()),
                      file=sys.stderr, flush=True)
    print()
    print("\n".join(fmt_table(results)))
    gl = growth(results)
    if gl:
        print("\ngrowth exponents (1.0 = linear):")
        print("\n".join(gl))
    verdicts = targets(results)
    print()
    print("\n".join(verdicts))
    print(f"\nload average at the end: {os.getloadavg()}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "machine": bs.machine(), "command": command.strip(), "envs": pythons,
            "checks": checks, "results": results, "targets": verdicts}, indent=1,
            default=str))
    return 0


def _header_names(path: Path, facts: dict[str, Any]) -> list[str]:
    if path.suffix == ".xlsx":
        return []
    with path.open(encoding=facts["encoding"], newline="") as fh:
        for _ in range(facts["header_line"]):
            fh.readline()
        return fh.readline().rstrip("\n").split(";")


if __name__ == "__main__":
    sys.exit(main())
