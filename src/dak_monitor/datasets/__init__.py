"""Sample exports and a seeded generator of realistic synthetic Morena-style exports.

Everything here is **synthetic**: the figures imitate the shapes described in the project's
domain notes (``GLOSSARY.md``) but describe no real office.

* :func:`region_archetypes` gives each kabupaten/kota a stable behaviour ("early", "typical",
  "late", "stalled", "never-contracts"), the same in every fiscal year for a given ``seed``.
* :func:`make_export` builds a tidy, canonical export frame (one row per region × item × period,
  cumulative figures as of each month end) for DAK nonfisik BOKB or DAK fisik subbidang KB.
* :func:`write_export` writes such a frame as a CSV or XLSX file, cleanly or with the
  decorations real exports carry (title blocks, two-row headers, subtotals, thousands, ...),
  and returns a *row map* saying on which sheet and row every frame row was written.
* :func:`load_sample_export`, :func:`sample_export_path` and :data:`SAMPLE_EXPORTS` give access
  to a few tiny packaged sample files.

Words used: *pagu* is the allocation, *realisasi* the cumulative spending, *penyaluran* the
money transferred to the region so far, *OPD* the regional KB office that reports.
"""

from __future__ import annotations

from .samples import SAMPLE_EXPORTS, load_sample_export, sample_export_path
from .simulate import ARCHETYPES, make_export, region_archetypes
from .write import write_export

__all__ = [
    "ARCHETYPES",
    "SAMPLE_EXPORTS",
    "load_sample_export",
    "make_export",
    "region_archetypes",
    "sample_export_path",
    "write_export",
]
