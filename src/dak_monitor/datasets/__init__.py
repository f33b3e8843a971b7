"""Sample exports and a seeded generator of realistic synthetic Morena-style exports.

Everything here is **synthetic**: the figures imitate the shapes described in the project's
domain notes (``docs/glossary.md``) but describe no real office.

Naming rule of the functions:

* ``make_*`` builds data **in memory** and returns it (a DataFrame); it never touches the
  disk: :func:`make_export`.
* ``write_*`` **writes files** and returns where it wrote what (a row map, a manifest):
  :func:`write_export` (one export file), :func:`write_samples` (the ``data_samples/``
  folder).
* ``load_*`` **reads** a sample file shipped with the package: :func:`load_sample_export`;
  ``*_path`` returns the path of such a file without reading it: :func:`sample_export_path`.
* A plain noun describes the simulation itself, computed, not read: :func:`region_archetypes`.
* Upper-case names are fixed vocabularies: :data:`ARCHETYPES`, :data:`SAMPLE_EXPORTS`.

Every function takes a ``seed`` (or uses seed 0) and is deterministic. The *data* seed
(:func:`make_export`) and the *layout* seed (:func:`write_export`) are separate, and every
decoration of a written file draws from a random stream of its own, keyed by the layout
seed and the decoration's name, so adding a decoration or a header spelling changes no
other draw.

Modules:

* :mod:`~dak_monitor.datasets.simulate`: the simulated province (regions, office
  archetypes, pagu, absorption paths, contracts): :func:`make_export`,
  :func:`region_archetypes`.
* :mod:`~dak_monitor.datasets.options`: the decorations of a written export and how the messy
  layout draws them (:data:`~dak_monitor.datasets.options.DECORATIONS`).
* :mod:`~dak_monitor.datasets.headers`: the writer's own header spellings.
* :mod:`~dak_monitor.datasets.write`: :func:`write_export` and the CSV/XLSX writers.
* :mod:`~dak_monitor.datasets.samples`: the packaged samples, :func:`write_samples` and
  :func:`write_monthly_samples` (the monthly-workflow samples).

Words used: *pagu* is the allocation, *realisasi* the cumulative spending, *penyaluran* the
money transferred to the region so far, *OPD* the regional KB office that reports.
"""

from __future__ import annotations

from .samples import (
    SAMPLE_EXPORTS,
    load_sample_export,
    sample_export_path,
    write_monthly_samples,
    write_samples,
)
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
    "write_monthly_samples",
    "write_samples",
]
