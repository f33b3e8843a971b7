"""pandera schemas of the canonical export frames, built from the one catalogue of checks.

:class:`NonfisikExport` and :class:`FisikExport` are the public contract of what
:func:`dak_monitor.read_export` produces for each kind. Their checks are not written here: every
check is declared once in the registry :data:`CHECKS` (``dak_monitor._checks``) with a stable
kebab-case code, a severity (``error`` quarantines the row, ``warning`` keeps it), a scope and
a message in Indonesian and English, and each model takes the cell and row checks of its kind
from it.

The schemas can be used on their own (``FisikExport.validate(frame, lazy=True)``); the row
checks there use the default :class:`~dak_monitor.Rules`. :func:`dak_monitor.validate_export`
runs the same checks with the rules you pass and turns their failures into one readable
problem per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional, TypeVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._checks import CHECKS, ERROR, WARNING, Check, checks_for
from ._config import Rules
from ._items import item_keys
from ._vocab import columns as C

__all__ = [
    "CHECKS",
    "ERROR",
    "WARNING",
    "CheckInfo",
    "FisikExport",
    "NonfisikExport",
    "item_keys",
    "schema_for",
]

#: One check of the catalogue (the name this module has always exported).
CheckInfo = Check

# Column-name constants, public here for users who build frames by hand.
TAHUN, PERIODE, KODE_WILAYAH, NAMA_WILAYAH = C.TAHUN, C.PERIODE, C.KODE_WILAYAH, C.NAMA_WILAYAH
MENU, RINCIAN, PAGU, REALISASI = C.MENU, C.RINCIAN, C.PAGU, C.REALISASI

_M = TypeVar("_M", bound=type)


def _checks_for(kind: str, fields: set[str]) -> dict[str, object]:
    """Fresh pandera check methods for one model class, from the registry.

    Cell checks become column checks on those of their columns the model has; row checks
    become dataframe checks (warnings raise pandera warnings). Each class gets its own
    objects because pandera pops ``name`` from a check's kwargs when it first builds a
    schema, so checks inherited by two models would lose their codes in the second one.
    """
    out: dict[str, object] = {}
    for info in checks_for(kind):
        if info.find is None or info.scope == "table":
            continue
        name = "_" + info.scope + "_" + info.code.replace("-", "_")
        if info.scope == "cell":
            columns = [c for c in info.columns if c in fields]
            if not columns:
                continue

            def col_fn(cls: type, s: pd.Series, _f: Callable[..., Any] = info.find
                       ) -> pd.Series:
                return ~_f(s).astype(bool)
            col_fn.__name__ = name
            out[name] = pa.check(*columns, name=info.code)(classmethod(col_fn))
        else:
            def df_fn(cls: type, df: pd.DataFrame, _f: Callable[..., Any] = info.find
                      ) -> pd.Series:
                return ~_f(df, Rules()).astype(bool)
            df_fn.__name__ = name
            out[name] = pa.dataframe_check(
                name=info.code, raise_warning=info.severity == WARNING)(classmethod(df_fn))
    return out


def _with_registered_checks(kind: str) -> Callable[[_M], _M]:
    """Class decorator: give a model the registry's cell and row checks of ``kind``.

    pandera collects a model's checks when its schema is first built, so checks set on the
    class right after it is defined count like methods written in its body.
    """
    def decorate(cls: _M) -> _M:
        fields = {n for base in cls.__mro__ for n in getattr(base, "__annotations__", {})}
        for name, method in _checks_for(kind, fields).items():
            setattr(cls, name, method)
        return cls
    return decorate


# ===================================================================================== models
class _CommonExport(pa.DataFrameModel):
    """Columns and checks both kinds share."""

    tahun: Series[pd.Int64Dtype] = pa.Field(nullable=False, coerce=True)
    periode: Series[pa.DateTime] = pa.Field(nullable=False)
    kode_provinsi: Series[str] = pa.Field(nullable=True)
    kode_wilayah: Series[str] = pa.Field(nullable=False)
    nama_wilayah: Series[str] = pa.Field(nullable=True)
    opd: Optional[Series[str]] = pa.Field(nullable=True)
    menu: Series[str] = pa.Field(nullable=False)
    pagu: Series[float] = pa.Field(nullable=False)
    penyaluran: Optional[Series[float]] = pa.Field(nullable=True)
    realisasi: Series[float] = pa.Field(nullable=False)
    persen_realisasi: Optional[Series[float]] = pa.Field(nullable=True)
    keterangan: Optional[Series[str]] = pa.Field(nullable=True)

    class Config:
        strict = False  #: extra columns (provenance, the other kind's) are allowed
        coerce = False  #: read_export already produced the types


@_with_registered_checks(C.NONFISIK)
class NonfisikExport(_CommonExport):
    """Canonical frame of a DAK nonfisik (BOKB) export: one row per region × menu × period.

    Examples
    --------
    >>> import dak_monitor as dm
    >>> frame = pd.DataFrame({"tahun": [2024], "periode": [pd.Timestamp("2024-06-30")],
    ...     "kode_provinsi": ["32"], "kode_wilayah": ["32.05"], "nama_wilayah": ["Kab. Garut"],
    ...     "menu": ["Operasional BKB"], "pagu": [1000.0], "realisasi": [1200.0]})
    >>> try:
    ...     NonfisikExport.validate(frame, lazy=True)
    ... except pa.errors.SchemaErrors as err:
    ...     print(sorted(set(err.failure_cases["check"])))
    ['realisasi-above-pagu']
    """

    rincian: Optional[Series[str]] = pa.Field(nullable=True)
    persen_capaian_output: Optional[Series[float]] = pa.Field(nullable=True)



@_with_registered_checks(C.FISIK)
class FisikExport(_CommonExport):
    """Canonical frame of a DAK fisik (subbidang KB) export: one row per region × item × period.

    Examples
    --------
    >>> frame = pd.DataFrame({"tahun": [2024], "periode": [pd.Timestamp("2024-06-30")],
    ...     "kode_provinsi": ["32"], "kode_wilayah": ["32.05"], "nama_wilayah": ["Kab. Garut"],
    ...     "menu": ["Sarana"], "rincian": ["Obgyn Bed"], "pagu": [1000.0], "realisasi": [0.0],
    ...     "nilai_kontrak": [1500.0], "tanggal_kontrak": [pd.Timestamp("2024-03-01")]})
    >>> try:
    ...     FisikExport.validate(frame, lazy=True)
    ... except pa.errors.SchemaErrors as err:
    ...     print(sorted(set(err.failure_cases["check"])))
    ['kontrak-above-pagu']
    """

    rincian: Series[str] = pa.Field(nullable=False)
    subbidang: Optional[Series[str]] = pa.Field(nullable=True)
    volume: Optional[Series[float]] = pa.Field(nullable=True)
    satuan: Optional[Series[str]] = pa.Field(nullable=True)
    metode_pengadaan: Optional[Series[str]] = pa.Field(nullable=True)
    status_pengadaan: Optional[Series[str]] = pa.Field(nullable=True)
    nomor_kontrak: Optional[Series[str]] = pa.Field(nullable=True)
    tanggal_kontrak: Optional[Series[pa.DateTime]] = pa.Field(nullable=True)
    nilai_kontrak: Optional[Series[float]] = pa.Field(nullable=True)
    persen_realisasi_fisik: Optional[Series[float]] = pa.Field(nullable=True)
    volume_realisasi: Optional[Series[float]] = pa.Field(nullable=True)



def schema_for(kind: str) -> type[_CommonExport]:
    """The schema model of an export kind.

    Examples
    --------
    >>> schema_for("fisik").__name__
    'FisikExport'
    """
    return {C.NONFISIK: NonfisikExport, C.FISIK: FisikExport}[kind]
