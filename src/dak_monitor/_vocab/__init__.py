"""The vocabulary: every word the library shows, declared once, with its colour.

A :class:`Term` is a stable code (what goes into frames, JSON and CSV), its Indonesian and
English label, and, where it is drawn, a ``fill`` colour (workbook cells, light) and a
``line`` colour (figures, saturated). Every module takes words and colours from here:

* :data:`KINDS` — jenis DAK (``nonfisik``, ``fisik``);
* :data:`STATUSES` — projection statuses (``on-track``, ``at-risk``, ``will-miss``);
* :data:`SEVERITIES` — of problems and flags (``error``, ``warning``, ``info``);
* :data:`MONTHS` — month names, long and short, and the spellings the reader accepts;
* :data:`ITEM_STATES` — an item's procurement state (``kontrak``, ``proses`` …);
* :data:`S1_CATEGORIES` — the first-semester contracting categories of the figures;
* :data:`MARKS` — other drawn words (``incomplete``);
* :data:`REPORTING_STATUSES` — an OPD's report for a period (``reported``, ``missing`` …);
* :data:`COVERAGE_GRADES` — reporting coverage scored ``green`` / ``yellow`` / ``red``;
* :data:`CHANGES` / :data:`ITEM_CHANGES` — what changed since the previous report
  (``compare_reports``), in the order an analyst acts on them;
* :mod:`.columns` — canonical column names and the header aliases that map onto them.

Naming rule: codes are lower-case kebab (statuses, severities, flags, checks) or the
Indonesian column word (``pagu``); labels are for people and may change, codes may not.

Examples
--------
>>> from dak_monitor._vocab import STATUSES
>>> STATUSES.label("will-miss", "id"), STATUSES["will-miss"].en
('diproyeksi meleset', 'will miss')
>>> STATUSES.fills()["on-track"]
'#C6EFCE'
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from .._registry import Registry
from . import columns

__all__ = [
    "CHANGES",
    "COMPARE_TEXT",
    "COVERAGE_GRADES",
    "ITEM_CHANGES",
    "ITEM_STATES",
    "KINDS",
    "LANGS",
    "MARKS",
    "MONTHS",
    "PALETTE",
    "REPORTING_STATUSES",
    "S1_CATEGORIES",
    "SEVERITIES",
    "STATUSES",
    "Term",
    "Terms",
    "check_lang",
    "columns",
    "month_name",
]

#: Languages every label exists in.
LANGS: Final = ("id", "en")


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"id"`` or ``"en"``, else a :class:`~dak_monitor.ConfigError`.

    Examples
    --------
    >>> check_lang("en")
    'en'
    """
    if lang not in LANGS:
        from ..exceptions import ConfigError

        msg = f"lang must be 'id' (Indonesian) or 'en' (English), not {lang!r}"
        raise ConfigError(msg)
    return lang


@dataclass(frozen=True, slots=True)
class Term:
    """One word of the vocabulary: a code, its labels and its colours."""

    code: str
    id: str
    en: str
    short_id: str | None = None
    short_en: str | None = None
    fill: str | None = None  #: background of a workbook cell
    line: str | None = None  #: colour in a figure
    aliases: tuple[str, ...] = ()  #: other spellings the reader accepts (lower case)

    def label(self, lang: str = "id", *, short: bool = False) -> str:
        """The label in ``lang`` (``short=True``: the short form where there is one)."""
        check_lang(lang)
        if short:
            s = self.short_id if lang == "id" else self.short_en
            if s:
                return s
        return self.id if lang == "id" else self.en


class Terms(Registry[Term]):
    """An ordered, read-only set of terms, looked up by code."""

    def __init__(self, *terms: Term) -> None:
        super().__init__("term", terms)

    def label(self, code: str, lang: str = "id", *, short: bool = False) -> str:
        """The label of ``code`` in ``lang``; an unknown code is shown as it is."""
        term = self.get(code)
        return term.label(lang, short=short) if term is not None else str(code)

    def labels(self, lang: str = "id", *, short: bool = False) -> dict[str, str]:
        """Code -> label in ``lang``."""
        return {c: t.label(lang, short=short) for c, t in self.items()}

    def fills(self) -> dict[str, str]:
        """Code -> cell fill colour (terms that have one)."""
        return {c: t.fill for c, t in self.items() if t.fill}

    def lines(self) -> dict[str, str]:
        """Code -> figure colour (terms that have one)."""
        return {c: t.line for c, t in self.items() if t.line}


# ------------------------------------------------------------------------------ kinds
KINDS: Final = Terms(
    Term(columns.NONFISIK, "BOKB (nonfisik)", "BOKB (nonfisik)", short_id="BOKB",
         short_en="BOKB"),
    Term(columns.FISIK, "DAK fisik", "DAK fisik", short_id="DAK fisik", short_en="DAK fisik"),
)

# --------------------------------------------------------------------------- statuses
# Labels: "sesuai target" says what on-track means against the 93 % line; "diproyeksi
# meleset" (projected to miss) is what the status says — a projection, not a verdict of
# failure ("gagal"); see CHANGELOG. Fills are Excel's own good/neutral/bad tints; lines are
# ColorBrewer Dark2 green/orange and a dark red distinct from the orange in lightness for
# red-green colour blindness.
ON_TRACK: Final = "on-track"
AT_RISK: Final = "at-risk"
WILL_MISS: Final = "will-miss"
STATUSES: Final = Terms(
    Term(ON_TRACK, "sesuai target", "on track", fill="#C6EFCE", line="#1b9e77"),
    Term(AT_RISK, "berisiko", "at risk", fill="#FFE699", line="#d95f02"),
    Term(WILL_MISS, "diproyeksi meleset", "will miss", fill="#F4B183", line="#b2182b"),
)
#: Statuses that put an OPD on the meeting's agenda.
AT_RISK_STATUSES: Final = (AT_RISK, WILL_MISS)

# ------------------------------------------------------------------------- severities
ERROR: Final = "error"
WARNING: Final = "warning"
INFO: Final = "info"
SEVERITIES: Final = Terms(
    Term(ERROR, "error", "error", fill="#F4B183", line="#b2182b"),
    Term(WARNING, "peringatan", "warning", fill="#FFE699", line="#d95f02"),
    Term(INFO, "info", "info", fill="#DDEBF7", line="#7fa9cf"),
)
#: Rank of each severity, most severe highest.
SEVERITY_RANK: Final = {ERROR: 3, WARNING: 2, INFO: 1}

# ----------------------------------------------------------------------------- months
MONTHS: Final = Terms(*(
    Term(str(i), long_id, long_en, short_id=s_id, short_en=s_en, aliases=aliases)
    for i, (long_id, long_en, s_id, s_en, aliases) in enumerate((
        ("Januari", "January", "Jan", "Jan", ("januari", "jan", "january")),
        ("Februari", "February", "Feb", "Feb",
         ("februari", "feb", "pebruari", "peb", "february")),
        ("Maret", "March", "Mar", "Mar", ("maret", "mar", "march")),
        ("April", "April", "Apr", "Apr", ("april", "apr")),
        ("Mei", "May", "Mei", "May", ("mei", "may")),
        ("Juni", "June", "Jun", "Jun", ("juni", "jun", "june")),
        ("Juli", "July", "Jul", "Jul", ("juli", "jul", "july")),
        ("Agustus", "August", "Agu", "Aug",
         ("agustus", "agt", "agu", "agus", "ags", "aug", "august")),
        ("September", "September", "Sep", "Sep", ("september", "sep", "sept")),
        ("Oktober", "October", "Okt", "Oct", ("oktober", "okt", "oct", "october")),
        ("November", "November", "Nov", "Nov", ("november", "nov", "nop", "nopember")),
        ("Desember", "December", "Des", "Dec", ("desember", "des", "dec", "december")),
    ), start=1)))


def month_name(month: int, lang: str = "id", *, short: bool = False) -> str:
    """The name of month ``month`` (1–12).

    Examples
    --------
    >>> month_name(8), month_name(8, "en", short=True)
    ('Agustus', 'Aug')
    """
    return MONTHS[str(int(month))].label(lang, short=short)


# ------------------------------------------------------------------------ item states
#: An item's procurement state in a month (see ``_items.item_months``).
ITEM_STATES: Final = Terms(
    Term("nonfisik", "BOKB (tanpa pengadaan)", "BOKB (no procurement)"),
    Term("swakelola", "swakelola", "swakelola (self-managed)"),
    Term("kontrak", "sudah kontrak", "contracted"),
    Term("proses", "proses pengadaan", "procurement under way"),
    Term("tanpa-kontrak", "belum kontrak", "no contract yet"),
    Term("hilang", "tidak kontrak s.d. batas — hilang", "no contract by the deadline — lost"),
)

#: First-semester contracting categories of DAK fisik pagu, left to right in the figure.
#: Labels are templates over ``{cutoff}`` and ``{deadline}``.
S1_CATEGORIES: Final = Terms(
    Term("kontrak_s1", "kontrak s.d. {cutoff}", "contracted by {cutoff}", line="#1b9e77"),
    Term("kontrak_susulan", "kontrak setelahnya, s.d. {deadline}",
         "contracted later, by {deadline}", line="#e6ab02"),
    Term("swakelola", "swakelola", "swakelola (self-managed)", line="#7fa9cf"),
    Term("tanpa_kontrak", "belum kontrak (masih terbuka)", "no contract yet (still open)",
         line="#b2182b"),
    Term("tanpa_kontrak_lost", "tidak kontrak — hilang", "no contract — lost", line="#b2182b"),
)

# ------------------------------------------------------------------------------ marks
MARKS: Final = Terms(
    Term("incomplete", "data tidak lengkap", "data incomplete", fill="#D9D9D9",
         line="#bdbdbd"),
    Term("stale", "laporan terakhir", "latest report"),
    Term("yes", "ya", "yes"),
    Term("no", "tidak", "no"),
    Term("none", "tidak ada", "none"),
    # Phrases of the reasons, templates over {n}:
    Term("more-items", "Dan {n} item lain dengan masalah yang sama.",
         "And {n} more items with the same problem."),
    Term("more-flags", "(+{n} flag lain: lihat lembar Flag)", "(+{n} more flags: see the Flag sheet)"),
    Term("also", "Juga", "Also"),
    # a report's lateness without an upload date (``reporting_status``): said, never guessed
    Term("late-unknown",
         "keterlambatan tidak dapat dinilai: tidak ada tanggal_lapor (Tanggal Input / Tgl "
         "Upload)",
         "late cannot be assessed: no tanggal_lapor (Tanggal Input / Tgl Upload)"),
)


# ------------------------------------------------------------------ reporting statuses
# An OPD × jenis DAK × period's report (``dak_monitor.reporting_status``). When several apply,
# the one shown is the first in this order (``missing`` before ``partial`` before ``late``
# before ``revised``); the table keeps each as its own column. Fills and lines follow the
# statuses': Excel's good/neutral/bad tints, a blue for a revision (news, not a fault).
REPORTED: Final = "reported"
MISSING: Final = "missing"
PARTIAL: Final = "partial"
LATE: Final = "late"
REVISED: Final = "revised"
REPORTING_STATUSES: Final = Terms(
    Term(MISSING, "tidak ada laporan", "missing", short_id="tidak ada", short_en="missing",
         fill="#F4B183", line="#b2182b"),
    Term(PARTIAL, "laporan sebagian", "partial", short_id="sebagian", short_en="partial",
         fill="#F8CBAD", line="#e66101"),
    Term(LATE, "terlambat", "late", fill="#FFE699", line="#d95f02"),
    Term(REVISED, "direvisi", "revised", fill="#DDEBF7", line="#4393c3"),
    Term(REPORTED, "dilaporkan", "reported", fill="#C6EFCE", line="#1b9e77"),
)
#: Reporting coverage grades (thresholds: ``Rules.coverage_red`` / ``coverage_yellow``).
GREEN: Final = "green"
YELLOW: Final = "yellow"
RED: Final = "red"
COVERAGE_GRADES: Final = Terms(
    Term(GREEN, "hijau", "green", fill="#C6EFCE", line="#1b9e77"),
    Term(YELLOW, "kuning", "yellow", fill="#FFE699", line="#d95f02"),
    Term(RED, "merah", "red", fill="#F4B183", line="#b2182b"),
)

# ------------------------------------------------------------- changes since last month
# What moved between two monthly reports (``dak_monitor.compare_reports``), per OPD × jenis
# DAK. The order IS the priority: an OPD × kind's main change is the first that applies, and
# the comparison is sorted by it — what the analyst must act on first comes first.
NEWLY_WILL_MISS: Final = "newly-will-miss"
NEWLY_AT_RISK: Final = "newly-at-risk"
NEW_ERROR_FLAG: Final = "new-error-flag"
NO_LONGER_REPORTED: Final = "no-longer-reported"
REVISED_PAST: Final = "revised-past"
PAGU_CHANGED: Final = "pagu-changed"
ITEMS_REMOVED: Final = "items-removed"
NEW_FLAG: Final = "new-flag"
NEWLY_REPORTED: Final = "newly-reported"
ITEMS_ADDED: Final = "items-added"
STATUS_IMPROVED: Final = "status-improved"
FLAGS_RESOLVED: Final = "flags-resolved"
UNCHANGED: Final = "unchanged"
CHANGES: Final = Terms(
    Term(NEWLY_WILL_MISS, "baru diproyeksi meleset", "newly projected to miss"),
    Term(NEWLY_AT_RISK, "baru berisiko", "newly at risk"),
    Term(NEW_ERROR_FLAG, "flag error baru", "new error flag"),
    Term(NO_LONGER_REPORTED, "tidak ada lagi di laporan", "no longer in the report"),
    Term(REVISED_PAST, "periode lalu direvisi", "past periods revised"),
    Term(PAGU_CHANGED, "pagu berubah", "pagu changed"),
    Term(ITEMS_REMOVED, "item hilang", "items removed"),
    Term(NEW_FLAG, "flag baru", "new flag"),
    Term(NEWLY_REPORTED, "baru ada di laporan", "new in the report"),
    Term(ITEMS_ADDED, "item baru", "items added"),
    Term(STATUS_IMPROVED, "status membaik", "status improved"),
    Term(FLAGS_RESOLVED, "flag selesai", "flags resolved"),
    Term(UNCHANGED, "tidak berubah", "unchanged"),
)
#: What changed for one item (``Comparison.items``), in the same spirit of priority.
ITEM_REMOVED: Final = "item-removed"
ITEM_REVISED: Final = "revised"
ITEM_ADDED: Final = "item-added"
ITEM_CHANGES: Final = Terms(
    Term(ITEM_REMOVED, "item hilang", "item removed"),
    Term(PAGU_CHANGED, "pagu berubah", "pagu changed"),
    Term(ITEM_REVISED, "periode lalu direvisi", "past period revised"),
    Term(ITEM_ADDED, "item baru", "item added"),
)
#: The sentences of a comparison's summary (``Comparison.summary``), as ``_text.say``
#: templates.
COMPARE_TEXT: Final = Terms(
    Term("title", "Perubahan sejak {lalu:month} (laporan {kini:month})",
         "Changes since {lalu:month} (report of {kini:month})"),
    Term("counts", "{n} OPD × jenis DAK: {bagian}", "{n} OPD × DAK kind: {bagian}"),
    Term("nothing", "tidak ada perubahan", "nothing changed"),
    Term("row", "{nama} ({jenis}): {utama}; status {s0} → {s1}, proyeksi {p0:.1%} → {p1:.1%}, "
                "serapan {a0:.1%} → {a1:.1%}",
         "{nama} ({jenis}): {utama}; status {s0} → {s1}, projection {p0:.1%} → {p1:.1%}, "
         "absorption {a0:.1%} → {a1:.1%}"),
    Term("items", "Item: {bagian}", "Items: {bagian}"),
    Term("more", "dan {n} lainnya", "and {n} more"),
    Term("absent", "tidak ada", "absent"),
)

# ---------------------------------------------------------------------------- palette
#: Every other colour the outputs draw with (the terms above carry their own): text, rules,
#: neutral curves, grids and the workbook's header, by role.
PALETTE: Final = MappingProxyType({
    "ink": "#222222",          # text and marks in figures
    "neutral": "#1f4e79",      # curves without a projection status; the workbook's headers
    "profile": "#8c8c8c",      # the typical absorption profile
    "hatch": "#404040",        # hatching of incomplete data
    "to_date": "#4d4d4d",      # absorption to date in the ranking
    "grid": "#e0e0e0", "grid_light": "#e6e6e6", "grid_faint": "#ececec",
    "missing": "#eeeeee",      # heat-map cells with no report
    "muted": "#9a9a9a", "muted_light": "#c8c8c8", "caption": "#555555",
    "note": "#595959",         # workbook notes
})
