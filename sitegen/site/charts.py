"""The term page's timeline chart, drawn in Python.

A term page shows its articles per month over up to ten years; drawing that in Jinja
took three loops over every month on every term page, a tenth of a cold build.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup


def label_step(months: int) -> int:
    """Label every year on short timelines, every 2nd/5th/10th on long ones."""
    return 1 if months <= 144 else (2 if months <= 288 else (5 if months <= 720 else 10))


def timeline_chart(timeline: list[dict[str, Any]]) -> Markup:
    """A <figure>: one bar per month (6 units wide), year ticks and labels, a caption."""
    if len(timeline) < 2:
        return Markup("")
    months = len(timeline)
    peak = max(m["count"] for m in timeline)
    step = label_step(months)
    first, last = timeline[0], timeline[-1]
    ticks, bars, labels = [], [], []
    for i, m in enumerate(timeline):
        year, month, count = m["year"], m["month"], m["count"]
        if month == 1 and i and year % step == 0:
            x = i * 6 - 0.5
            ticks.append(f'<line class="tick" x1="{x}" x2="{x}" y1="0" y2="40"/>')
        if count:
            height = round(count / peak * 38, 2)
            bars.append(
                f'<rect x="{i * 6}" y="{40 - height}" width="5" height="{height}">'
                f"<title>{year}-{month:02d}: {count}</title></rect>"
            )
        at = i / months * 100
        if at <= 92 and year % step == 0 and (month == 1 or (i == 0 and month <= 8)):
            kind = "major" if (year // step) % 2 == 0 else "minor"
            labels.append(f'<span class="{kind}" style="left: {round(at, 2)}%">{year}</span>')
    busiest = f"; busiest month {peak}" if peak > 1 else ""
    return Markup(
        '<figure class="timeline">\n'
        f'<svg viewBox="0 0 {months * 6} 40" preserveAspectRatio="none" role="img" '
        f'aria-label="Articles per month, {first["year"]}–{last["year"]}">'
        f"{''.join(ticks)}{''.join(bars)}</svg>\n"
        f'<div class="timeline-axis" aria-hidden="true">{"".join(labels)}</div>\n'
        f"<figcaption>Articles per month, {first['month']:02d}/{first['year']} to "
        f"{last['month']:02d}/{last['year']}{busiest}</figcaption>\n"
        "</figure>"
    )
