"""The dashboard's bar charts as inline SVG, written in Python rather than by a template loop.

A bar in a Jinja loop cost a dozen output expressions, each escaped, and two ``set`` statements; the
dashboard's two charts (12 weeks, 14 days) were about a fifth of its page. ``bar_chart`` writes the
same elements the loops wrote: each bar scaled by the busiest one, its count above it and up to two
lines of labels under it; the numbers as the template wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

#: Where the label lines under the bars go (below the chart's baseline) and their font size.
LABEL_LINES = (18, 31)
LABEL_SIZE = 10
COUNT_SIZE = 11
#: Room above the tallest bar for its count.
HEADROOM = 16


def bar_chart(values: Sequence[int], labels: Sequence[Sequence[str | None]], *, title: str, title_id: str,
              column: int, bar_width: int, height: int, fill: str) -> Markup:
    """An SVG bar chart of ``values`` (one bar each, ``column`` pixels apart, ``bar_width`` wide), the
    tallest ``height - HEADROOM`` high, titled ``title`` (``title_id`` names it for ``aria-labelledby``).

    ``labels``: each bar's lines of text under it (``LABEL_LINES``); a line left None is not written.
    """
    top = max([*values, 1])
    width = len(values) * column + 10
    title_id = escape(title_id)
    out = [f'<svg class="chart" role="img" width="{width}" height="{height + 40}" '
           f'viewBox="0 0 {width} {height + 40}" aria-labelledby="{title_id}">'
           f'<title id="{title_id}">{escape(title)}</title>'
           f'<line class="axis" x1="0" y1="{height + 2}" x2="{width}" y2="{height + 2}" stroke="#d1d9e0"></line>']
    for place, (value, lines) in enumerate(zip(values, labels, strict=True)):
        h = round(value / top * (height - HEADROOM), 1)
        x = place * column + 6
        middle = x + bar_width / 2
        out.append(f'<rect x="{x}" y="{height + 2 - h}" width="{bar_width}" height="{h}" fill="{escape(fill)}"></rect>'
                   f'<text x="{middle}" y="{height - h - 2}" text-anchor="middle" font-size="{COUNT_SIZE}">{value}</text>')
        for offset, line in zip(LABEL_LINES, lines):
            if line is not None:
                out.append(f'<text x="{middle}" y="{height + offset}" text-anchor="middle" '
                           f'font-size="{LABEL_SIZE}">{escape(line)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
