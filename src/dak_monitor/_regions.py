"""Region reference data (Kemendagri codes) and normalisation of codes and names.

The packaged ``reference/regions.csv`` lists the 38 provinces and 514 kabupaten/kota;
``reference/regions_historis.csv`` lists older codes and spellings (the 2022 Papua split,
renamed regencies) that earlier years' exports use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "code_aliases",
    "fold_region_name",
    "known_codes",
    "load_regions",
    "normalize_region_code",
    "official_name",
    "region_name_candidates",
    "region_name_expansions",
    "resolve_region_names",
    "short_name",
]


@functools.cache
def load_regions() -> pd.DataFrame:
    """Return the packaged region table (current codes, then historical ones).

    Columns: ``kode``, ``nama``, ``tingkat`` (provinsi/kabupaten/kota), ``kode_provinsi``,
    ``nama_provinsi``, ``historis`` (True for codes/spellings valid only in earlier years),
    ``kode_sekarang`` (today's code for a historical entry, where there is one).

    Examples
    --------
    >>> r = load_regions()
    >>> r.loc[r["kode"] == "32.04", "nama"].iloc[0]
    'Kabupaten Bandung'
    >>> int((~r["historis"] & (r["tingkat"] != "provinsi")).sum())
    514
    """
    ref = resources.files("dak_monitor") / "reference"
    with (ref / "regions.csv").open("r", encoding="utf-8") as fh:
        cur = pd.read_csv(fh, dtype=str, keep_default_na=False)
    with (ref / "regions_historis.csv").open("r", encoding="utf-8") as fh:
        old = pd.read_csv(fh, dtype=str, keep_default_na=False)
    cur["historis"] = False
    cur["kode_sekarang"] = cur["kode"]
    prov = dict(zip(cur.loc[cur["tingkat"] == "provinsi", "kode"],
                    cur.loc[cur["tingkat"] == "provinsi", "nama"], strict=True))
    old = pd.DataFrame({
        "kode": old["kode"],
        "nama": old["nama"],
        "tingkat": np.where(old["nama"].str.lower().str.startswith("kota"), "kota", "kabupaten"),
        "kode_provinsi": old["kode"].str[:2],
        "nama_provinsi": old["kode"].str[:2].map(prov).fillna(""),
        "historis": True,
        "kode_sekarang": old["kode_sekarang"].where(old["kode_sekarang"] != "", old["kode"]),
    })
    return pd.concat([cur, old], ignore_index=True)


_PREFIXES = (
    (r"^(kabupaten|kab)\b\.?\s*(adm(inistrasi)?\.?\s*)?", "kabupaten "),
    (r"^(kota\s+adm(inistrasi)?\.?|kota)\b\.?\s*", "kota "),
)


def fold_region_name(name: str) -> str:
    """Fold a region name for comparison: case, punctuation, ``Kab.``/``Kabupaten``, spaces.

    Examples
    --------
    >>> fold_region_name("KAB. BANDUNG  BARAT")
    'kabupaten bandung barat'
    >>> fold_region_name("Kota Adm. Jakarta Pusat")
    'kota jakarta pusat'
    >>> fold_region_name("Bandung")
    'bandung'
    """
    t = re.sub(r"\s+", " ", str(name).strip().lower())
    for rx, rep in _PREFIXES:
        if re.match(rx, t):
            t = re.sub(rx, rep, t, count=1)
            break
    t = t.replace("kepulauan", "kep").replace("kep.", "kep")
    t = re.sub(r"[^a-z0-9 ]", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return t.replace(" ", "") if t in {"", " "} else t


@functools.cache
def _name_index() -> dict[str, tuple[str, ...]]:
    """Folded name (with and without the kabupaten/kota word) -> candidate codes."""
    r = load_regions()
    r = r[r["tingkat"] != "provinsi"]
    idx: dict[str, set[str]] = {}
    for kode, nama, kode_now in zip(r["kode"], r["nama"], r["kode_sekarang"], strict=True):
        folded = fold_region_name(nama)
        target = kode_now or kode
        idx.setdefault(folded, set()).add(target)
        bare = re.sub(r"^(kabupaten|kota) ", "", folded)
        idx.setdefault(bare, set()).add(target)
        idx.setdefault(bare.replace(" ", ""), set()).add(target)
        idx.setdefault(folded.replace(" ", ""), set()).add(target)
    return {k: tuple(sorted(v)) for k, v in idx.items()}


@functools.cache
def _current_names() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Today's kabupaten/kota names, folded and split into words, with their codes."""
    r = load_regions()
    r = r[(r["tingkat"] != "provinsi") & ~r["historis"]]
    return tuple((tuple(fold_region_name(n).split()), k)
                 for n, k in zip(r["nama"], r["kode"], strict=True))


def _by_prefix(folded: str) -> tuple[str, ...]:
    """Codes of the names a truncated one may be (``kabupaten bengkulu sel``): the same
    number of words, each a prefix of the name's word, the last one at least three letters."""
    words = folded.split()
    if len(words) < 2 or len(words[-1]) < 3:
        return ()
    bare = words[0] not in ("kabupaten", "kota")
    hits = set()
    for name, kode in _current_names():
        cand = name[1:] if bare and name[:1] in (("kabupaten",), ("kota",)) else name
        if len(cand) == len(words) and all(c.startswith(w) for c, w in zip(cand, words,
                                                                             strict=True)):
            hits.add(kode)
    return tuple(sorted(hits))


def region_name_expansions(names: Iterable[object]) -> dict[str, str]:
    """The names that are read by their prefix (truncated in print), with the official name
    each stands for: ``{"KAB BENGKULU SEL": "Kabupaten Bengkulu Selatan"}``.

    >>> region_name_expansions(["KAB BENGKULU SEL", "Kab. Garut", "Atlantis"])
    {'KAB BENGKULU SEL': 'Kabupaten Bengkulu Selatan'}
    """
    idx = _name_index()
    ref = load_regions()
    official = dict(zip(ref["kode"], ref["nama"], strict=True))
    out = {}
    for v in dict.fromkeys(str(n) for n in names if isinstance(n, str) and n.strip()):
        folded = fold_region_name(v)
        if idx.get(folded) or idx.get(folded.replace(" ", "")):
            continue
        cands = _by_prefix(folded)
        if len(cands) == 1:
            out[v] = official[cands[0]]
    return out


def resolve_region_names(names: pd.Series) -> pd.Series:
    """Map region names in any spelling to today's ``NN.NN`` code (NaN when unknown/ambiguous).

    A bare name that fits both a kabupaten and a kota (``Bandung``) is ambiguous and stays NaN:
    the code or the word *Kab*/*Kota* is needed. A name truncated in print (``KAB BENGKULU
    SEL``) is read when exactly one region's words start with its words.

    Examples
    --------
    >>> resolve_region_names(pd.Series(["Kab. Bandung", "KOTA BANDUNG", "Bandung",
    ...                                 "Garut", "Atlantis", "KAB BENGKULU SEL"])).tolist()
    ['32.04', '32.73', nan, '32.05', nan, '17.01']
    """
    idx = _name_index()
    codes, uniques = pd.factorize(names, use_na_sentinel=True)

    def one(v: object) -> object:
        folded = fold_region_name(str(v))
        cands = idx.get(folded) or idx.get(folded.replace(" ", "")) or _by_prefix(folded)
        return cands[0] if cands and len(cands) == 1 else np.nan

    lookup = np.array([one(u) for u in uniques] + [np.nan], dtype=object)
    return pd.Series(lookup[codes], index=names.index, dtype=object)


_CODE_TEXT = re.compile(r"^([0-9]{2})\s*[.\s\-]?\s*([0-9]{1,2})\.?$")  # ASCII digits only


def _code_from_cell(v: object) -> object:
    if isinstance(v, bool) or v is None:
        return np.nan
    if isinstance(v, (int, np.integer)):
        v = float(v)
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return np.nan
        if 1000 <= v <= 9999 and float(v).is_integer():  # 3204
            s = f"{int(v):04d}"
            return f"{s[:2]}.{s[2:]}"
        # 32.04 stored as a number; 32.1 means 32.10. A third decimal (32.999) is no code:
        # rounding it would make another province's (33.00).
        if 10 <= v < 100 and abs(v * 100 - round(v * 100)) < 1e-6:
            return f"{v:.2f}"
        return np.nan
    s = str(v).strip()
    m = _CODE_TEXT.match(s)
    if not m:
        return np.nan
    head, tail = m.groups()
    if len(tail) == 1:
        # "32.1" is a number that lost its trailing zero; "32 1"/"321" are not codes.
        if not re.fullmatch(r"[0-9]{2}\.[0-9]", s):
            return np.nan
        tail += "0"
    return f"{head}.{tail}"


def normalize_region_code(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise kabupaten/kota codes to ``NN.NN``.

    Accepts ``32.04``, ``3204``, ``32.04.``, ``32 04`` and Excel numbers (``32.1`` is ``32.10``:
    a number loses its trailing zero, so it is padded on the right). Returns the codes and a
    mask of non-empty cells that are not a code at all (whether the code *exists* is a
    validation question).

    Examples
    --------
    >>> codes, bad = normalize_region_code(pd.Series(["32.04", "3204", "32.04.", "32 04", 32.1,
    ...                                               "x", ""], dtype=object))
    >>> codes.tolist(), bad.tolist()
    (['32.04', '32.04', '32.04', '32.04', '32.10', nan, nan], [False, False, False, False, False, True, False])
    """
    # Each distinct cell once: a column repeats a few hundred codes.
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    ublank = np.array([not str(u).strip() for u in uniques], dtype=bool)
    blank = (codes < 0) | np.append(ublank, True)[codes]
    lookup = np.array([_code_from_cell(u) for u in uniques] + [np.nan], dtype=object)
    lookup[:-1][ublank] = np.nan
    out = pd.Series(lookup[codes], index=raw.index, dtype=object)
    return out, pd.Series(out.isna().to_numpy() & ~blank, index=raw.index)


def region_name_candidates(name: object) -> tuple[str, ...]:
    """All of today's codes a region name (in any spelling) may stand for; () when unknown.

    Examples
    --------
    >>> region_name_candidates("Bandung")
    ('32.04', '32.73')
    >>> region_name_candidates("Kab. Garut")
    ('32.05',)
    """
    idx = _name_index()
    folded = fold_region_name(str(name))
    return idx.get(folded) or idx.get(folded.replace(" ", "")) or _by_prefix(folded)


@functools.cache
def known_codes() -> frozenset[str]:
    """Every kabupaten/kota code, current or historical (see ``regions_historis.csv``)."""
    r = load_regions()
    return frozenset(r.loc[r["tingkat"] != "provinsi", "kode"])


@functools.cache
def code_aliases() -> dict[str, str]:
    """Historical code -> today's code (identity for current codes)."""
    r = load_regions()
    r = r[r["tingkat"] != "provinsi"]
    return dict(zip(r["kode"], r["kode_sekarang"], strict=True))


_KAB = re.compile(r"^\s*(kabupaten|kab)\b\.?\s*(adm(inistrasi)?\.?\s*)?", re.IGNORECASE)
_KOTA = re.compile(r"^\s*kota\b\.?\s*(adm(inistrasi)?\.?\s*)?", re.IGNORECASE)


def official_name(code: str) -> str:
    """Today's official name of a region code, the code itself when unknown.

    >>> official_name("32.04"), official_name("99.99")
    ('Kabupaten Bandung', '99.99')
    """
    ref = load_regions()
    match = ref.loc[ref["kode"] == code, "nama"]
    return str(match.iloc[0]) if len(match) else code


def short_name(name: object) -> str:
    """The short form of a region name for tables and figures (missing: ``""``).

    Examples
    --------
    >>> short_name("Kabupaten Garut"), short_name("KOTA BANJAR"), short_name(None)
    ('Kab. Garut', 'Kota Banjar', '')
    """
    if name is None or name != name:  # None or NaN
        return ""
    s = re.sub(r"\s+", " ", str(name)).strip()
    if s.isupper():
        s = s.title()
    if _KAB.match(s):
        return "Kab. " + _KAB.sub("", s, count=1)
    if _KOTA.match(s):
        return "Kota " + _KOTA.sub("", s, count=1)
    return s
