"""Charts drawn on the server: coordinates computed here, the SVG written by a template.

The template (``_line_chart.html``) only places numbers and escaped labels, so a chart
needs no script and prints as it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 12, 28
JUMP = 0.2  # a rise of more than 20 % between two snapshots is flagged on the chart


@dataclass(frozen=True)
class Tick:
    """An axis label at a position."""

    pos: float
    label: str


@dataclass
class LineChart:
    """A line over time, in SVG user units."""

    title: str
    points: str = ""  # "x,y x,y ..." for <polyline>
    dots: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, tooltip
    jumps: list[tuple[float, float, str]] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    empty: bool = True
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT
    top: int = TOP


def _fmt(n: float) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 1_000:
        return f"{n / 1_000:.1f}k"
    return f"{n:.0f}"


def line_chart(title: str, series: list[tuple[datetime, int | None]]) -> LineChart:
    """A chart of known values over time; unknown values are skipped, never drawn as 0."""
    known = [(t, v) for t, v in series if v is not None]
    chart = LineChart(title=title)
    if not known:
        return chart
    chart.empty = False
    t0, t1 = known[0][0].timestamp(), known[-1][0].timestamp()
    lo, hi = min(v for _, v in known), max(v for _, v in known)
    if hi == lo:
        lo, hi = max(0, lo - 1), hi + 1
    span_t = (t1 - t0) or 1.0

    def x(t: datetime) -> float:
        return round(chart.left + (t.timestamp() - t0) / span_t * (chart.right - chart.left), 1)

    def y(v: float) -> float:
        return round(chart.bottom - (v - lo) / (hi - lo) * (chart.bottom - chart.top), 1)

    coords = [(x(t), y(v), f"{t:%Y-%m-%d}: {v:,} followers") for t, v in known]
    chart.points = " ".join(f"{a},{b}" for a, b, _ in coords)
    chart.dots = coords
    for (_, prev), (t, v), (cx, cy, _) in zip(known, known[1:], coords[1:], strict=False):
        if prev > 0 and (v - prev) / prev > JUMP:
            chart.jumps.append((cx, cy, f"{t:%Y-%m-%d}: +{(v - prev) / prev:.0%} since the previous count"))
    chart.y_ticks = [Tick(y(lo + (hi - lo) * i / 4), _fmt(lo + (hi - lo) * i / 4)) for i in range(5)]
    n = min(4, len(known) - 1) or 1
    chart.x_ticks = [
        Tick(
            x(known[round(i * (len(known) - 1) / n)][0]),
            f"{known[round(i * (len(known) - 1) / n)][0]:%Y-%m-%d}",
        )
        for i in range(n + 1)
    ]
    return chart
