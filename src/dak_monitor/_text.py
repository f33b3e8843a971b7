"""Small text helpers shared by the report writers: formula neutralisation, formatting."""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Sequence
from typing import Any, Final

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "col_letter", "fmt_month", "fmt_number", "fmt_pct",
           "neutralise", "neutralise_frame", "printable", "rp", "say", "tidy_blob"]

#: Leading characters that make a spreadsheet treat text as a formula (CSV/formula injection).
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make text safe to put in a spreadsheet: prefix formula-like text with an apostrophe.

    Non-text values are returned unchanged.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("Kab. Garut"), neutralise(12)
    ('\\'=HYPERLINK("http://x")', 'Kab. Garut', 12)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (see :func:`neutralise`)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(neutralise).astype(object)
    return out


#: Characters never written raw to a terminal, a one-line message or XML: controls (C0 and
#: C1, escape sequences among them; DEL), format characters (bidirectional overrides and
#: marks, zero-width and soft-hyphen characters that hide what a name really is), line and
#: paragraph separators, lone surrogates and the two non-characters XML forbids.
_HIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ASCII_UNPRINTABLE: Final = re.compile("[\\x00-\\x1f\\x7f]")


@functools.cache
def _hidden_characters() -> re.Pattern[str]:
    """A character class of every hidden character (built once from ``unicodedata``: the
    planes that have any, 0, 1 and 14)."""
    points = [cp for block in (range(0x20000), range(0xE0000, 0xE1000)) for cp in block
              if unicodedata.category(chr(cp)) in _HIDDEN_CATEGORIES or cp in (0xFFFE, 0xFFFF)]
    ranges, start, prev = [], points[0], points[0]
    for cp in [*points[1:], -1]:
        if cp != prev + 1:
            ranges.append(f"\\U{start:08x}" if start == prev
                          else f"\\U{start:08x}-\\U{prev:08x}")
            start = cp
        prev = cp
    return re.compile("[" + "".join(ranges) + "]")


_NAMED_ESCAPES: Final = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(m: re.Match[str]) -> str:
    c = m.group(0)
    if c in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[c]
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(value: object, *, newlines: bool = False) -> str:
    r"""Text safe for a terminal, a one-line message or an XML document.

    Every control character (``\x1b`` escape sequences, ``\x00``, line breaks unless
    ``newlines``), format character (bidirectional overrides, zero-width characters) and
    line separator is shown as its escape, never emitted.

    Examples
    --------
    >>> print(printable("Kab.\x1b[31m Garut\nbaris 2"))
    Kab.\x1b[31m Garut\nbaris 2
    >>> print(printable("a\nb\x07", newlines=True))
    a
    b\x07
    >>> printable("\u202eabc")
    '\\u202eabc'
    """
    text = str(value)
    pattern = _ASCII_UNPRINTABLE if text.isascii() else _hidden_characters()
    if newlines:
        return "\n".join(pattern.sub(_escape, line) for line in text.split("\n"))
    return pattern.sub(_escape, text)


def rp(v: object) -> str:
    """Format Rupiah the Indonesian way for messages: ``Rp 1.234.567`` (missing: ``(kosong)``).

    Examples
    --------
    >>> rp(1234567), rp(-5), rp(float("nan")), rp("x")
    ('Rp 1.234.567', '-Rp 5', '(kosong)', 'x')
    """
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)
    if f != f:  # NaN
        return "(kosong)"
    s = f"{abs(f):,.0f}".replace(",", ".")
    return ("-Rp " if f < 0 else "Rp ") + s


# ------------------------------------------------------------------ numbers for people
def fmt_number(v: object, lang: str = "id", decimals: int = 0) -> str:
    """A number as a person reads it in ``lang``: ``1.234.567,5`` (id), ``1,234,567.5`` (en);
    missing: ``-``.

    Examples
    --------
    >>> fmt_number(1234567.5, "id", 1), fmt_number(1234567.5, "en", 1), fmt_number(None)
    ('1.234.567,5', '1,234,567.5', '-')
    """
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-" if v is None else str(v)
    if f != f:  # NaN
        return "-"
    s = f"{f:,.{decimals}f}"
    return s.translate(str.maketrans(",.", ".,")) if lang == "id" else s


def fmt_pct(v: object, lang: str = "id", decimals: int = 1) -> str:
    """A share as a percent in ``lang``: ``72,1%`` (id), ``72.1%`` (en); missing: ``-``.

    Examples
    --------
    >>> fmt_pct(0.7214, "id"), fmt_pct(0.7214, "en"), fmt_pct(0.93, "id", 0)
    ('72,1%', '72.1%', '93%')
    """
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"
    return "-" if f != f else fmt_number(100 * f, lang, decimals) + "%"


def fmt_month(v: object, lang: str = "id") -> str:
    """A period as its month's name and year in ``lang``: ``Juni 2024`` / ``June 2024``.

    Examples
    --------
    >>> fmt_month(pd.Timestamp("2024-06-30"), "id"), fmt_month("2024-08", "en")
    ('Juni 2024', 'August 2024')
    """
    from ._vocab import month_name

    ts = pd.to_datetime(v, errors="coerce") if not isinstance(v, pd.Timestamp) else v
    return "-" if pd.isna(ts) else f"{month_name(ts.month, lang)} {ts.year}"


class _LocaleFormatter(string.Formatter):
    """``str.format`` whose numbers follow a language: ``{x:.1%}`` → ``72,1%`` in Indonesian,
    ``{x:,.0f}`` → ``1.234.567``, ``{x:rp}`` → ``Rp 1.234.567``, ``{t:month}`` → ``Juni 2024``,
    ``{t:date}`` → ``30/06/2024``. Text and other specs are formatted as usual."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if format_spec == "month":
            return fmt_month(value, self.lang)
        if format_spec == "date":
            ts = pd.to_datetime(value, errors="coerce")
            return "-" if pd.isna(ts) else f"{ts:%d/%m/%Y}"
        if format_spec == "rp":
            text = rp(value)
            return text if self.lang == "id" else text.replace(".", ",")
        m = re.fullmatch(r"(,?)\.(\d+)([f%])", format_spec)
        if number and m:
            if m.group(3) == "%":
                return fmt_pct(value, self.lang, int(m.group(2)))
            return fmt_number(value, self.lang, int(m.group(2)))
        if number and format_spec == "g" and self.lang == "id":
            return format(value, "g").replace(".", ",")
        return super().format_field(value, format_spec)


def say(template: str, lang: str = "id", /, **fields: Any) -> str:
    """Fill a message template with its numbers in ``lang``'s style (see the specs above).

    Examples
    --------
    >>> say("serapan {s:.1%} dari {p:rp}, faktor {f:g}", "id", s=0.1221, p=2.5e9, f=0.5)
    'serapan 12,2% dari Rp 2.500.000.000, faktor 0,5'
    >>> say("absorption {s:.1%} of {p:rp}", "en", s=0.1221, p=2.5e9)
    'absorption 12.2% of Rp 2,500,000,000'
    """
    return _LocaleFormatter(lang).format(template, **fields)


def col_letter(j: int) -> str:
    """The spreadsheet letter of 0-based column ``j``.

    Examples
    --------
    >>> col_letter(0), col_letter(25), col_letter(26), col_letter(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


_ODD_SPACE: Final = re.compile(r"[^\S \n]")  # white space other than a plain space
_ASCII_ODD_SPACE: Final = "".join(c for c in map(chr, range(128)) if c.isspace() and c not in " \n")


def tidy_blob(values: Sequence[Any]) -> str | None:
    r"""The values joined with line breaks if every one is a one-line ``str`` that is already
    stripped and single-spaced, else None.

    One join and a few C-speed scans over it, instead of a Python call per value; callers
    use it to skip cleaning a million cells that need none.

    Examples
    --------
    >>> tidy_blob(["Kab. Garut", "Kota Bandung"])
    'Kab. Garut\nKota Bandung'
    >>> tidy_blob(["Kab.  Garut"]), tidy_blob([" x"]), tidy_blob(["a\tb"]), tidy_blob([1])
    (None, None, None, None)
    """
    try:
        blob = "\n".join(values)
    except TypeError:
        return None
    if (blob.count("\n") != len(values) - 1 or "  " in blob or " \n" in blob
            or "\n " in blob or blob[:1] == " " or blob[-1:] == " "):
        return None
    if blob.isascii():  # a few substring searches beat a character-by-character regex
        odd = any(c in blob for c in _ASCII_ODD_SPACE)
    else:
        odd = _ODD_SPACE.search(blob) is not None
    return None if odd else blob
