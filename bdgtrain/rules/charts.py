"""Server-side SVG charts: no script, no internet, no inline style (the page's CSP allows neither).

`trend_svg` draws a yearly figure (0..1, None for "no figure") as a line with dots, and the targets
as a dashed line from the programme's start to each target, with the values labelled in percent; a
forecast, when given, as a dotted line of the figure's colour from the last figure on (rules/forecast.py).
Text is escaped. Colours are presentation attributes (not CSS), so the same SVG draws inline in a page,
as an <img>, or opened on its own, whatever the Content-Security-Policy.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .numbers import percent

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


@dataclass(frozen=True)
class Point:
    year: int
    value: float | None


def _percent(value: float) -> str:
    return percent(value, digits=0)  # axis ticks and labels on a small chart: whole percents (75%)


def trend_svg(points: list[Point], targets: list[Point], title: str, projection: list[Point] | None = None) -> str:
    projection = [p for p in projection or [] if p.value is not None]
    years = sorted({p.year for p in points} | {t.year for t in targets} | {p.year for p in projection})
    if not years:
        years = [0]
    first, last = years[0], max(years[-1], years[0] + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        return LEFT + (year - first) / (last - first) * plot_w

    def y(value: float) -> float:
        return TOP + (1 - max(0.0, min(1.0, value))) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        out.append(f'<line class="grid" stroke="#dddddd" stroke-width="1" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                   f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        out.append(f'<text class="axis" font-size="11" fill="#444444" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" '
                   f'text-anchor="end">{_percent(tick)}</text>')
    step = max(1, (last - first) // 10)
    for year in range(first, last + 1, step):
        out.append(f'<text class="axis" font-size="11" fill="#444444" x="{x(year):.1f}" y="{HEIGHT - 12}" '
                   f'text-anchor="middle">{year}</text>')
    if targets:
        path = " ".join(f"{x(t.year):.1f},{y(t.value or 0):.1f}" for t in targets)
        out.append('<polyline class="target" fill="none" stroke="#b00020" stroke-width="2" stroke-dasharray="6 4" '
                   f'points="{path}"/>')
        for t in targets:
            if t.value is not None:
                out.append(f'<text class="target-label" font-size="11" fill="#b00020" x="{x(t.year):.1f}" '
                           f'y="{y(t.value) - 6:.1f}" '
                           f'text-anchor="middle">{_percent(t.value)}</text>')
    segment: list[str] = []
    segments = []
    for p in points:
        if p.value is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            segment.append(f"{x(p.year):.1f},{y(p.value):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        out.append('<polyline class="figure" fill="none" stroke="#1d4ed8" stroke-width="2.5" '
                   f'points="{" ".join(seg)}"/>')
    if len(projection) > 1:
        path = " ".join(f"{x(p.year):.1f},{y(p.value):.1f}" for p in projection)
        out.append('<polyline class="projection" fill="none" stroke="#1d4ed8" stroke-width="2" '
                   f'stroke-dasharray="2 4" points="{path}"/>')
        end = projection[-1]
        out.append(f'<text class="projection-label" font-size="11" fill="#1d4ed8" x="{x(end.year):.1f}" '
                   f'y="{y(end.value) + 14:.1f}" text-anchor="end">{_percent(end.value)}</text>')
    for p in points:
        if p.value is not None:
            out.append(f'<circle class="figure-dot" fill="#1d4ed8" cx="{x(p.year):.1f}" cy="{y(p.value):.1f}" r="4">'
                       f'<title>{p.year}: {_percent(p.value)}</title></circle>')
    out.append("</svg>")
    return "".join(out)
