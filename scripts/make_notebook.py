"""Regenerate notebooks/walkthrough.ipynb from the cells below (outputs are not stored)."""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

CELLS = [
    ("md", """# One fiscal year at the June cut-off — a walkthrough of `dak_monitor`

It is early July 2024. The province's analysts have downloaded the Morena exports of DAK
nonfisik **BOKB** and **DAK fisik subbidang KB** for the 27 kabupaten/kota of Jawa Barat, up to
**June 2024** (`data_samples/current`, synthetic but shaped like the real thing: title blocks,
merged headers, Indonesian numbers, totals rows). Three commitments are on the table at the
meeting:

1. clean, trustworthy reports,
2. every OPD at or above **93 %** absorption at year end,
3. procurement done in the **first semester**.

This notebook uses only the public API (`import dak_monitor as dm`)."""),
    ("code", """from pathlib import Path
import tempfile

import matplotlib
matplotlib.use("Agg")
import pandas as pd

import dak_monitor as dm

ROOT = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()
SAMPLES = ROOT / "data_samples"
pd.set_option("display.width", 160)
dm.__version__"""),
    ("md", """## 1. Read the exports — nothing is lost

`read_export` finds the header under each title block, skips totals, notes and signatures
with a reason, and remembers the file, sheet and row of every data row."""),
    ("code", """export = dm.read_export(SAMPLES / "current")
print(export.summary().splitlines()[0])
counts = export.files[["baris_dibaca", "baris_data", "baris_dilewati"]].sum()
assert counts["baris_dibaca"] == counts["baris_data"] + counts["baris_dilewati"]
export.skipped["alasan"].value_counts()"""),
    ("code", """export.data[["tahun", "periode", "kode_wilayah", "nama_wilayah", "jenis_dak", "menu",
             "pagu", "realisasi", "sumber_file", "sumber_sheet", "sumber_baris"]].head()"""),
    ("md", """## 2. Validate — fix or quarantine

The current exports are clean. An export with mistakes shows what validation finds: every
problem names the file, sheet, row and column, with a message in Indonesian and English.
Rows with errors are quarantined, not silently dropped."""),
    ("code", """report = dm.validate_export(export)
print(report)
faulty = dm.validate_export(dm.read_export(SAMPLES / "faulty"))
print(faulty.summary(lang="en", max_rows=2)[:1500])"""),
    ("code", """faulty.quarantine[["sumber_file", "sumber_sheet", "sumber_baris", "kode"]].head(8)"""),
    ("md", """## 3. Absorption to date and the year-end projection

Projections learn from the 2021–2023 history how each month's position relates to the year
end. The intervals come from the methods' own errors on past years; the backtest says how
accurate they were."""),
    ("code", """history = dm.validate_export(dm.read_export(SAMPLES / "history"))
projection = dm.project_absorption(report, history=history)
print(projection.summary())
projection.table.sort_values("proyeksi")[["nama_wilayah", "jenis_dak", "serapan", "proyeksi",
                                          "batas_bawah", "batas_atas", "status"]].head(10)"""),
    ("code", """backtest = dm.backtest_projection(history, cutoffs=[3, 6, 9])
backtest.summary().round(1)"""),
    ("md", """## 4. Flags: first semester, threshold risk, data quality

One catalogue per OPD with stable codes (`docs/flags.md`)."""),
    ("code", """flags = dm.flag_offices(report, projection=projection)
flags.groupby(["code", "severity"]).size()"""),
    ("code", """fs = dm.flag_first_semester(report, year=2024)
fs.opd.sort_values("share_pagu", ascending=False).head(8)"""),
    ("md", """## 5. Figures for the meeting"""),
    ("code", """result = dm.monitor(SAMPLES / "current", history=SAMPLES / "history")
ax = dm.plot_projection_ranking(result.projection, jenis_dak="nonfisik")
ax.figure"""),
    ("code", """ax = dm.plot_first_semester(result)
ax.figure"""),
    ("md", """## 6. Export the report

`write_report` writes the Excel workbook, `summary.md`, the figures and CSV tables into a
folder of your choice (here a temporary one) — the same as
`dak-monitor report data_samples/current --history data_samples/history --out <folder>`."""),
    ("code", """out = Path(tempfile.mkdtemp())
written = dm.write_report(result, out)
sorted(written)"""),
]


def main() -> None:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
                for kind, src in CELLS]
    out = Path(__file__).resolve().parents[1] / "notebooks" / "walkthrough.ipynb"
    nbf.write(nb, out)
    print(out)


if __name__ == "__main__":
    main()
