"""A small line plot of an agency's statutory series by year, as inline SVG made on the server.

No script and no library from the internet: the review page works air-gapped. Years whose
cross-year checks fail are shaded and marked; a year without a report leaves a gap in the
lines (and is named on the axis). Every point carries a <title> (the value on hover).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

COLOURS = ("#2456d6", "#13803d", "#a15c00", "#7c3aed", "#0e7490")


@dataclass(frozen=True)
class Box:
    """One panel (a series) of the plot, in pixels."""

    width: int = 250
    height: int = 180
    left: int = 40
    right: int = 14
    top: int = 26
    bottom: int = 34


def _ticks(top: float) -> list[int]:
    """About four round steps from 0 to at least `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / 4
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    out = [0]
    while out[-1] < top:
        out.append(out[-1] + step)
    return out


def series_svg(
    years: Sequence[int],
    series: Mapping[str, Sequence[float | None]],
    failing: set[int],
    box: Box | None = None,
) -> Markup:
    """One small panel per series (name -> one value per year in `years`, None for no value),
    each on its own scale (申请数量 runs in the hundreds, 诉讼 in ones), over the years from
    the first to the last (gaps included); the `failing` years shaded red in every panel."""
    b = box or Box()
    if not years:
        return Markup('<svg class="series" width="0" height="0" role="img"></svg>')
    width = b.width * max(len(series), 1)
    out = [
        f'<svg class="series" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{b.height}" viewBox="0 0 {width} {b.height}" role="img" '
        'aria-label="statutory figures by year" font-size="11" font-family="sans-serif">'
    ]
    for k, (name, values) in enumerate(series.items()):
        out.append(f'<g transform="translate({k * b.width},0)">')
        out += _panel(b, name, years, values, failing, COLOURS[k % len(COLOURS)])
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


def _panel(
    b: Box,
    name: str,
    years: Sequence[int],
    values: Sequence[float | None],
    failing: set[int],
    colour: str,
) -> list[str]:
    first, last = min(years), max(years)
    span = list(range(first, last + 1))
    ticks = _ticks(max((v for v in values if v is not None), default=0))
    plot_w = b.width - b.left - b.right
    plot_h = b.height - b.top - b.bottom
    step = plot_w / max(len(span) - 1, 1)

    def x(year: int) -> float:
        return b.left + (year - first) * step if len(span) > 1 else b.left + plot_w / 2

    def y(value: float) -> float:
        return b.top + plot_h - plot_h * value / ticks[-1]

    out = [f'<text x="{b.left}" y="14" font-weight="600" fill="{colour}">{escape(name)}</text>']
    band = max(min(step * 0.6, 28), 10)
    for year in span:
        if year in failing:
            out.append(
                f'<rect class="failing" data-year="{year}" x="{x(year) - band / 2:.1f}" '
                f'y="{b.top}" width="{band:.1f}" height="{plot_h}" fill="#fde8e8">'
                f"<title>{year}: a cross-year check fails</title></rect>"
            )
    for t in ticks:
        out.append(
            f'<line x1="{b.left}" x2="{b.left + plot_w}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            'stroke="#e3e6ea"/>'
            f'<text x="{b.left - 5}" y="{y(t) + 4:.1f}" text-anchor="end" fill="#6b7280">'
            f"{t}</text>"
        )
    present = set(years)
    every = max(1, round(len(span) / 6))  # at most about six year labels per panel
    for i, year in enumerate(span):
        shown = i % every == 0 or year == last or year in failing or year not in present
        if not shown:
            continue
        fill = "#c62828" if year in failing else ("#1d2330" if year in present else "#9ca3af")
        weight = ' font-weight="700"' if year in failing else ""
        label = f"{year % 100:02d}" if len(span) > 8 else str(year)
        out.append(
            f'<text class="year" data-year="{year}" x="{x(year):.1f}" y="{b.height - 18}" '
            f'text-anchor="middle" fill="{fill}"{weight}>{label}{"" if year in present else " ?"}'
            "</text>"
        )
        if year in failing:
            out.append(
                f'<text x="{x(year):.1f}" y="{b.height - 5}" text-anchor="middle" '
                'fill="#c62828">✕</text>'
            )
    by_year = {yr: i for i, yr in enumerate(years)}
    runs: list[list[tuple[int, float]]] = [[]]
    for year in span:
        at = by_year.get(year)
        v = values[at] if at is not None else None
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((year, v))
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in run)
            out.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
            )
        for yr, v in run:
            shown_value = f"{v:g}"
            out.append(
                f'<circle class="point" data-series="{escape(name)}" data-year="{yr}" '
                f'data-value="{shown_value}" cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3.5" '
                f'fill="{colour}"><title>{escape(name)} {yr}: {shown_value}</title></circle>'
            )
    return out
