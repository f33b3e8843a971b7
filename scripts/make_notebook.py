"""Regenerate the walkthrough notebooks from the cells below, then run them once.

``notebooks/walkthrough.ipynb`` is in Indonesian, ``notebooks/walkthrough_en.ipynb`` is its
English twin (same code, ``LANG = "en"``). Both are committed *with* their outputs, so a reader
sees the tables and figures without running anything; the test suite executes them again
(nbmake), without comparing outputs. Run from the repository root::

    python scripts/make_notebook.py            # write and execute both
    python scripts/make_notebook.py --no-run   # write the cells only (no outputs)

Executing needs ``nbclient`` and ``ipykernel`` (both come with ``pip install -e ".[test]"``).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import nbformat as nbf

ROOT = Path(__file__).resolve().parents[1]

# Each cell: ("md", indonesian, english) or ("code", source). In code, {lang} is "id" or "en".
CELLS: list[tuple[str, ...]] = [
    ("md", """# Satu tahun anggaran pada batas Juni — panduan `dak_monitor`

Awal Juli 2024. Analis provinsi telah mengunduh ekspor Morena untuk DAK nonfisik **BOKB** dan
**DAK fisik subbidang KB** dari 27 kabupaten/kota di Jawa Barat, sampai **Juni 2024**
(`data_samples/current`: sintetis, tetapi berbentuk seperti aslinya — blok judul, judul kolom
bergabung, angka gaya Indonesia, baris total). Tiga komitmen dibahas dalam rapat:

1. laporan yang bersih dan dapat dipercaya,
2. setiap OPD mencapai serapan **93 %** atau lebih di akhir tahun,
3. pengadaan selesai pada **semester pertama**.

Buku catatan ini hanya memakai API publik (`import dak_monitor as dm`). Setiap hasil
menampilkan dirinya sendiri: cukup tulis namanya di akhir sel.""",
     """# One fiscal year at the June cut-off — a walkthrough of `dak_monitor`

It is early July 2024. The province's analysts have downloaded the Morena exports of DAK
nonfisik **BOKB** and **DAK fisik subbidang KB** for the 27 kabupaten/kota of Jawa Barat, up to
**June 2024** (`data_samples/current`: synthetic but shaped like the real thing — title blocks,
merged headers, Indonesian numbers, totals rows). Three commitments are on the table at the
meeting:

1. clean, trustworthy reports,
2. every OPD at or above **93 %** absorption at year end,
3. procurement done in the **first semester**.

This notebook uses only the public API (`import dak_monitor as dm`). Every result shows
itself: name it at the end of a cell."""),
    ("code", """%matplotlib inline
import os
import tempfile
from pathlib import Path

import pandas as pd

import dak_monitor as dm

# The samples are found from the repository root, wherever Jupyter was started.
if Path.cwd().name == "notebooks":
    os.chdir(Path.cwd().parent)
SAMPLES = Path("data_samples")
LANG = "{lang}"
pd.set_option("display.max_colwidth", None)  # long reasons are shown whole


def angka(x, desimal=1):
    \"\"\"A number the {lang_name} way: {number_example}.\"\"\"
    if pd.isna(x):
        return "–"
    teks = f"{{x:,.{{desimal}}f}}"
    return teks.translate(str.maketrans(",.", ".,")) if LANG == "id" else teks


dm.__version__"""),
    ("md", """## 1. Membaca ekspor — tidak ada yang hilang

`read_export` menemukan judul kolom di bawah setiap blok judul, melewati baris total, catatan
dan tanda tangan beserta alasannya, dan mengingat berkas, sheet dan baris setiap baris data.
Hasilnya (`Export`) menampilkan ringkasannya sendiri.""",
     """## 1. Read the exports — nothing is lost

`read_export` finds the header under each title block, skips totals, notes and signatures
with a reason, and remembers the file, sheet and row of every data row. The result (an
`Export`) shows its own summary."""),
    ("code", """export = dm.read_export(SAMPLES / "current")
export"""),
    ("md", """Setiap baris fisik terhitung: dibaca = data + dilewati, per berkas dan sheet. Baris yang
dilewati, menurut alasannya:""",
     """Every physical row is accounted for: read = data + skipped, per file and sheet. The skipped
rows, by reason:"""),
    ("code", """jumlah = export.files[["baris_dibaca", "baris_data", "baris_dilewati"]].sum()
assert jumlah["baris_dibaca"] == jumlah["baris_data"] + jumlah["baris_dilewati"]
export.skipped["alasan"].value_counts().rename_axis("alasan").to_frame("baris")"""),
    ("code", """contoh = export.data[["periode", "kode_wilayah", "nama_wilayah", "jenis_dak", "menu",
                      "pagu", "realisasi", "sumber_file", "sumber_sheet", "sumber_baris"]].head()
contoh.assign(periode=contoh["periode"].dt.strftime("%Y-%m"),
              pagu=contoh["pagu"].map(dm.format_rupiah),
              realisasi=contoh["realisasi"].map(dm.format_rupiah))"""),
    ("md", """## 2. Validasi — perbaiki atau karantina

Ekspor bulan ini bersih. Ekspor yang berisi kesalahan (`data_samples/faulty`, kesalahan yang
sengaja ditanam) memperlihatkan apa yang ditemukan validasi: setiap masalah menyebut berkas,
sheet, baris dan kolom, dengan pesan dalam bahasa Indonesia dan Inggris. Baris yang mengandung
error dikarantina, tidak dibuang diam-diam.""",
     """## 2. Validate — fix or quarantine

This month's exports are clean. An export with mistakes (`data_samples/faulty`, planted on
purpose) shows what validation finds: every problem names the file, sheet, row and column,
with a message in Indonesian and English. Rows with errors are quarantined, not silently
dropped."""),
    ("code", """report = dm.validate_export(export)
report"""),
    ("code", """faulty = dm.validate_export(dm.read_export(SAMPLES / "faulty"))
faulty"""),
    ("md", """Ringkasan teks yang sama, utuh, untuk dikirim ke kantor yang bersangkutan (paling banyak
satu baris contoh per pemeriksaan):""",
     """The same as text, in full, to send to the office concerned (at most one example row per
check):"""),
    ("code", """print(faulty.summary(lang=LANG, max_rows=1))"""),
    ("code", """faulty.quarantine[["sumber_file", "sumber_sheet", "sumber_baris", "kode"]].head(8)"""),
    ("md", """## 3. Serapan sampai sekarang dan proyeksi akhir tahun

Proyeksi belajar dari riwayat 2021–2023 bagaimana posisi tiap bulan berhubungan dengan akhir
tahun. Interval berasal dari kesalahan metode itu sendiri pada tahun-tahun lalu; *backtest*
menunjukkan seberapa tepat hasilnya.""",
     """## 3. Absorption to date and the year-end projection

Projections learn from the 2021–2023 history how each month's position relates to the year
end. The intervals come from the methods' own errors on past years; the backtest says how
accurate they were."""),
    ("code", """history = dm.validate_export(dm.read_export(SAMPLES / "history"))
projection = dm.project_absorption(report, history=history)
projection"""),
    ("md", """Sepuluh OPD dengan proyeksi terendah (serapan dan proyeksi sebagai persen, pagu dalam
Rupiah):""",
     """The ten OPDs with the lowest projection (absorption and projection as percents, pagu in
Rupiah):"""),
    ("code", """terendah = projection.table.sort_values("proyeksi").head(10)
persen = ["serapan", "proyeksi", "batas_bawah", "batas_atas"]
terendah[["nama_wilayah", "jenis_dak", "pagu", *persen, "status"]].assign(
    pagu=terendah["pagu"].map(dm.format_rupiah),
    **{{k: terendah[k].map(dm.format_persen) for k in persen}},
)"""),
    ("md", """Kesalahan rata-rata absolut (poin persen) tiap metode pada tahun-tahun riwayat, per
bulan batas:""",
     """Mean absolute error (percentage points) of each method on the history years, per cut-off
month:"""),
    ("code", """backtest = dm.backtest_projection(history, cutoffs=[3, 6, 9])
backtest.summary().map(angka)"""),
    ("md", """## 4. Bendera: semester pertama, risiko ambang, kualitas data

Satu katalog per OPD dengan kode yang tetap (`docs/flags.md`).""",
     """## 4. Flags: first semester, threshold risk, data quality

One catalogue per OPD with stable codes (`docs/flags.md`)."""),
    ("code", """flags = dm.flag_offices(report, projection=projection)
flags.groupby(["code", "severity"]).size().rename("jumlah").reset_index()"""),
    ("code", """fs = dm.flag_first_semester(report, year=2024)
atas = fs.opd.sort_values("share_pagu", ascending=False).head(8)
atas[["kode_wilayah", "nama_wilayah", "jenis_dak", "n_item", "pagu_flagged", "share_pagu",
      "worst", "{reason}"]].assign(
    pagu_flagged=atas["pagu_flagged"].map(dm.format_rupiah),
    share_pagu=atas["share_pagu"].map(dm.format_persen),
)"""),
    ("md", """## 5. Seluruh proses dalam satu panggilan, dan gambar untuk rapat

`monitor` menjalankan semuanya (baca, validasi, proyeksi, bendera). Hasilnya menampilkan
peringkat dan bendera teratas; gambar-gambar tampil langsung di bawah selnya.""",
     """## 5. The whole pipeline in one call, and figures for the meeting

`monitor` runs everything (read, validate, project, flag). Its result shows the ranking and the
top flags; the figures appear right below their cells."""),
    ("code", """result = dm.monitor(SAMPLES / "current", history=SAMPLES / "history")
result"""),
    ("code", """print(result.summary(lang=LANG))"""),
    ("code", """dm.plot_projection_ranking(result.projection, jenis_dak="nonfisik", lang=LANG);"""),
    ("code", """dm.plot_first_semester(result, lang=LANG);"""),
    ("md", """## 6. Menulis laporan

`write_report` menulis buku kerja Excel, `summary.md`, gambar dan tabel CSV ke folder pilihan
Anda (di sini folder sementara, yang dihapus lagi) — sama dengan
`dak-monitor report data_samples/current --history data_samples/history --out <folder>`.""",
     """## 6. Export the report

`write_report` writes the Excel workbook, `summary.md`, the figures and CSV tables into a
folder of your choice (here a temporary one, removed afterwards) — the same as
`dak-monitor report data_samples/current --history data_samples/history --out <folder>`."""),
    ("code", """with tempfile.TemporaryDirectory() as folder:
    written = dm.write_report(result, Path(folder) / "laporan", lang=LANG)
sorted(written)  # the files written, by their name inside the folder"""),
]

LANGS = {
    "id": {"file": "walkthrough.ipynb", "lang_name": "Indonesian",
           "number_example": "1.234,5", "reason": "alasan"},
    "en": {"file": "walkthrough_en.ipynb", "lang_name": "English",
           "number_example": "1,234.5", "reason": "reason"},
}


def build(lang: str) -> nbf.NotebookNode:
    """The notebook in ``lang`` ("id" or "en"), without outputs."""
    fields = {"lang": lang, **LANGS[lang]}
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    cells = []
    for kind, *text in CELLS:
        if kind == "md":
            cells.append(nbf.v4.new_markdown_cell(text[0] if lang == "id" else text[1]))
        else:
            cells.append(nbf.v4.new_code_cell(text[0].format(**fields)))
    nb.cells = cells
    return nb


def execute(nb: nbf.NotebookNode) -> None:
    """Run ``nb`` once from the repository root, as a reader opening it fresh would."""
    from nbclient import NotebookClient  # noqa: PLC0415 - only when executing

    env_backend = os.environ.pop("MPLBACKEND", None)  # the notebook chooses inline itself
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="write the cells without outputs")
    args = parser.parse_args()
    for lang, spec in LANGS.items():
        nb = build(lang)
        if not args.no_run:
            execute(nb)
        out = ROOT / "notebooks" / spec["file"]
        nbf.write(nb, out)
        print(out)


if __name__ == "__main__":
    main()
