"""Results that show themselves in a notebook: the compact HTML of ``_repr_html_`` (a title,
a line of counts, a short table or two), every text from an export escaped.

One place lays the HTML out; each result class says what it shows. Colours come from the
vocabulary (status fills), never written here.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ._text import printable

__all__ = ["card", "esc", "table"]

#: Rows a result shows in a notebook table before "… and N more".
SHOW_ROWS = 10


def esc(value: object) -> str:
    """Export text made safe for HTML: control characters shown as escapes, then ``<``,
    ``>``, ``&`` and quotes escaped (a cell may hold ``<script>``).

    Examples
    --------
    >>> esc('<b onclick="x">Kab. Garut</b>')
    '&lt;b onclick=&quot;x&quot;&gt;Kab. Garut&lt;/b&gt;'
    >>> esc(None), esc(float("nan"))
    ('', '')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return html.escape(printable(value), quote=True)


def table(frame: pd.DataFrame, *, fills: Mapping[int, str] | None = None,
          more: str = "… dan {n} lagi / and {n} more") -> str:
    """A small HTML table of ``frame`` (escaped), at most :data:`SHOW_ROWS` rows; ``fills``:
    a background colour per row position (e.g. a status fill from the vocabulary).

    Examples
    --------
    >>> print(table(pd.DataFrame({"kode": ["<1>"], "n": [2]})))  # doctest: +NORMALIZE_WHITESPACE
    <table><thead><tr><th>kode</th><th>n</th></tr></thead><tbody><tr><td>&lt;1&gt;</td><td>2</td></tr></tbody></table>
    """
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    for i, rec in enumerate(frame.head(SHOW_ROWS).itertuples(index=False)):
        style = f' style="background:{fills[i]}"' if fills and i in fills else ""
        rows.append(f"<tr{style}>" + "".join(f"<td>{esc(v)}</td>" for v in rec) + "</tr>")
    if len(frame) > SHOW_ROWS:
        n = f"{len(frame) - SHOW_ROWS:,}"
        rows.append(f'<tr><td colspan="{len(frame.columns)}"><i>{esc(more.format(n=n))}</i>'
                    f"</td></tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def card(title: str, facts: Iterable[str], sections: Sequence[tuple[str, str]] = ()) -> str:
    """A result as a compact block: its name, a line of facts, then titled sections (their
    HTML already built with :func:`table`; titles and facts are escaped here).

    Examples
    --------
    >>> card("Export", ["7 files"], [("Files", "<table></table>")]).count("<details")
    1
    """
    parts = [f'<div class="dak-monitor"><b>{esc(title)}</b>',
             f"<p>{' · '.join(esc(f) for f in facts)}</p>"]
    for i, (name, body) in enumerate(sections):
        opened = ' open=""' if i == 0 else ""
        parts.append(f"<details{opened}><summary>{esc(name)}</summary>{body}</details>")
    parts.append("</div>")
    return "".join(parts)
