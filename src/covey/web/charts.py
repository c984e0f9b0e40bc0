"""Charts drawn on the server: coordinates computed here, the SVG written by a template.

The template (``_line_chart.html``) only places numbers and escaped labels, so a chart
needs no script and prints as it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

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


@dataclass
class RangeChart:
    """One value on a horizontal scale with a shaded range around it (a peer band or an interval).

    Drawn in shades of grey with a text label at every mark, so it reads when printed in black
    and white; ``summary`` says the same in a sentence for screen readers.
    """

    title: str
    summary: str
    empty: bool = True
    value: float | None = None  # x of the creator's mark
    value_label: str = ""
    outer: tuple[float, float] | None = None  # x range of the whiskers (p10-p90, or the interval)
    inner: tuple[float, float] | None = None  # x range of the box (p25-p75); None for an interval
    middle: float | None = None  # x of the peers' median
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = 96
    left: int = 24
    right: int = WIDTH - 24
    axis_y: int = 64


def _pct(x: float) -> str:
    return f"{x * 100:.1f} %" if x < 0.1 else f"{x * 100:.0f} %"


def band_chart(title: str, value: float | None, band: Any) -> RangeChart:
    """The creator's engagement rate against the peers' 10-25-50-75-90th percentiles."""
    if band is None and value is None:
        return RangeChart(title=title, summary="Engagement rate unknown, and no peers to compare with.")
    hi = max(v for v in (value, band.p90 if band else None) if v is not None) * 1.15 or 0.01
    chart = RangeChart(title=title, summary="", empty=False)

    def x(v: float) -> float:
        return round(chart.left + min(v, hi) / hi * (chart.right - chart.left), 1)

    parts = []
    if value is not None:
        chart.value, chart.value_label = x(value), f"this creator {_pct(value)}"
        parts.append(f"This creator's engagement rate is {_pct(value)}")
    else:
        parts.append("This creator's engagement rate is unknown")
    if band is not None:
        chart.outer, chart.inner = (x(band.p10), x(band.p90)), (x(band.p25), x(band.p75))
        chart.middle = x(band.p50)
        parts.append(
            f"the middle half of {band.peers} peers lies between {_pct(band.p25)} and {_pct(band.p75)} "
            f"(median {_pct(band.p50)}; 10th to 90th percentile {_pct(band.p10)} to {_pct(band.p90)})"
        )
    chart.summary = "; ".join(parts) + "."
    chart.ticks = [Tick(x(hi * i / 4), _pct(hi * i / 4)) for i in range(5)]
    return chart


def interval_chart(
    title: str,
    share: float | None,
    low: float | None,
    high: float | None,
    n: int | None,
    unknown: str | None = None,
) -> RangeChart:
    """A share (0-100 %) with its 95 % interval; ``unknown`` says why when the share is unknown."""
    if share is None:
        return RangeChart(
            title=title, summary=unknown or "Fake share unknown: no audience sample for this creator."
        )
    chart = RangeChart(title=title, summary="", empty=False)

    def x(v: float) -> float:
        return round(chart.left + max(0.0, min(v, 1.0)) * (chart.right - chart.left), 1)

    chart.value, chart.value_label = x(share), f"{_pct(share)} fake"
    if low is not None and high is not None:
        chart.outer = (x(low), x(high))
    sample = f" in a sample of {n} followers" if n else ""
    interval = f", 95 % interval {_pct(low)} to {_pct(high)}" if low is not None and high is not None else ""
    chart.summary = f"An estimated {_pct(share)} of followers look fake{sample}{interval}."
    chart.ticks = [Tick(x(i / 4), f"{i * 25} %") for i in range(5)]
    return chart


class Bar(BaseModel):
    """One bar: where it is drawn and its label (None value = unknown, not drawn)."""

    series: int
    y: float
    width: float
    value: float | None
    label: str


class BarRow(BaseModel):
    """A row of bars (one per series) for one label."""

    label: str
    y: float
    bars: list[Bar]


class BarChart(BaseModel):
    """Grouped horizontal bars in SVG user units, drawn by ``_bar_chart.html``."""

    title: str
    summary: str
    series: list[str]
    rows: list[BarRow]
    ticks: list[tuple[float, str]]
    width: int = 640
    height: int = 0
    left: int = 150
    right: int = 580
    bar_h: int = 10


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[float | None]]]) -> BarChart:
    """Grouped bars per label (e.g. planned and delivered per creator); unknown values say so."""
    known = [v for _, vals in series for v in vals if v is not None]
    top = max([*known, 1.0])
    chart = BarChart(title=title, summary="", series=[s for s, _ in series], rows=[], ticks=[])
    row_h = chart.bar_h * len(series) + 10
    chart.height = 30 + row_h * len(labels) + 30
    span = chart.right - chart.left
    for i, lab in enumerate(labels):
        y = 20 + i * row_h
        bars = []
        for s, (_, vals) in enumerate(series):
            v = vals[i]
            bars.append(
                Bar(
                    series=s,
                    y=y + s * chart.bar_h,
                    width=round(span * v / top, 1) if v is not None else 0.0,
                    value=v,
                    label="unknown" if v is None else f"{v:,.0f}",
                )
            )
        chart.rows.append(BarRow(label=lab[:22], y=y, bars=bars))
    digits = 0 if top >= 20 else 1  # small counts (posts) need a decimal to tell ticks apart
    chart.ticks = [(round(chart.left + span * i / 4, 1), f"{top * i / 4:,.{digits}f}") for i in range(5)]
    parts = []
    for i, lab in enumerate(labels):
        said = ", ".join(f"{name} {_num(values[i])}" for name, values in series)
        parts.append(f"{lab}: {said}")
    chart.summary = f"{title}. " + "; ".join(parts) + "."
    return chart


def _num(v: float | None) -> str:
    return "unknown" if v is None else f"{v:,.0f}"
