"""The report as CSV (one row per creator plus the total) and as one offline HTML page.

Charts are SVG drawn here, on the server: no script, no external file, so the page works
offline and prints as it shows.
"""

from __future__ import annotations

import csv
import html
import io
from typing import Any

COLUMNS = (
    "handle",
    "platform",
    "stage",
    "posts_agreed",
    "posts_delivered",
    "late",
    "missing",
    "non_compliant",
    "impressions",
    "impressions_source",
    "engagements",
    "engagements_expected",
    "fee",
    "card_price",
    "cpe",
    "cpm",
    "emv",
    "clicks",
    "conversions",
    "cost_per_conversion",
    "reach_rate",
    "reach_rate_source",
    "posts_with_reported_reach",
)
# Campaign-wide reach (TOTAL row only): delivered 1+ / 3+ and their 90 % interval.
REACH_COLUMNS = (
    "reach_1plus",
    "reach_1plus_low",
    "reach_1plus_high",
    "reach_3plus",
    "reach_3plus_low",
    "reach_3plus_high",
)


def _fmt(v: Any, digits: int = 0) -> str:
    if v is None:
        return "unknown"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return str(v)


def to_csv(report: dict[str, Any]) -> str:
    """Per-creator rows and a TOTAL row; unknown is an empty cell.

    The delivered reach at 1+ and 3+ and its 90 % interval are campaign-wide figures: in the
    TOTAL row's reach columns (empty without a plan's model, or without an interval)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS + REACH_COLUMNS)
    blank = [""] * len(REACH_COLUMNS)
    for r in report["creators"]:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in COLUMNS] + blank)
    t = report["total"]
    reach: list[Any] = blank
    rr = report["reach"]
    if rr:
        iv = (rr.get("interval") or {}).get("delivered", {})
        reach = []
        for k in ("1+", "3+"):
            lo, hi = iv.get(k, ("", ""))
            reach += [rr["delivered"][k], lo, hi]
    w.writerow(["TOTAL", "", ""] + ["" if t.get(c) is None else t.get(c) for c in COLUMNS[3:]] + reach)
    return buf.getvalue()


def interval_text(report: dict[str, Any], k: str) -> str:
    """' (90 % interval 4,100 to 7,900)' for the delivered reach at ``k``, or '' without one."""
    iv = ((report["reach"] or {}).get("interval") or {}).get("delivered", {}).get(k)
    if not iv:
        return ""
    level = report["reach"]["interval"]["level"]
    return f" ({level * 100:.0f} % interval {iv[0]:,.0f} to {iv[1]:,.0f})"


Series = list[tuple[str, list[float | None]]]

# Light then dark, per chart, in the order of report_charts.
CHART_COLOURS = (("#9db4d0", "#2f6db5"), ("#d8c49b", "#b5852f"), ("#9dd0a8", "#2fb54a"))


def report_charts(report: dict[str, Any]) -> list[tuple[str, list[str], Series]]:
    """The report's charts as (title, labels, series): posts, engagements, and reach (when the
    plan's model is there). Drawn by :func:`bars_svg` here and by the web app's report page."""
    rows = report["creators"]
    labels = ["@" + r["handle"] for r in rows]
    charts: list[tuple[str, list[str], Series]] = [
        (
            "Posts: agreed and delivered",
            labels,
            [
                ("agreed", [float(r["posts_agreed"]) for r in rows]),
                ("delivered", [float(r["posts_delivered"]) for r in rows]),
            ],
        ),
        (
            "Engagements (likes + comments): expected and actual",
            labels,
            [
                ("expected", [r["engagements_expected"] for r in rows]),
                ("actual", [float(r["engagements"]) for r in rows]),
            ],
        ),
    ]
    if report["reach"]:
        rr = report["reach"]
        charts.append(
            (
                "Target people reached (the plan's model): planned and delivered",
                ["1+ times", "3+ times"],
                [
                    ("planned", [rr["planned"]["1+"], rr["planned"]["3+"]]),
                    ("delivered", [rr["delivered"]["1+"], rr["delivered"]["3+"]]),
                ],
            )
        )
    return charts


def bars_svg(title: str, labels: list[str], series: list[tuple[str, str, list[float | None]]]) -> str:
    """Grouped horizontal bars; ``series`` is (name, colour, values); unknown values are not drawn."""
    e = html.escape
    row_h, bar_h, left, width = 8 + 12 * len(series), 11, 170, 380
    top = max([v for _, _, vals in series for v in vals if v is not None] + [1.0])
    height = 40 + row_h * len(labels) + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}" role="img" '
        f'aria-label="{e(title)}"><text x="0" y="16" font-weight="bold">{e(title)}</text>'
    ]
    for i, lab in enumerate(labels):
        y = 30 + i * row_h
        out.append(f'<text x="0" y="{y + bar_h}" font-size="12">{e(lab[:24])}</text>')
        for s, (_, colour, vals) in enumerate(series):
            v = vals[i]
            if v is None:
                out.append(f'<text x="{left}" y="{y + s * 12 + bar_h}" font-size="11">unknown</text>')
                continue
            w = width * v / top
            out.append(
                f'<rect x="{left}" y="{y + s * 12}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
                f'<text x="{left + w + 4:.1f}" y="{y + s * 12 + 10}" font-size="11">{v:,.0f}</text>'
            )
    ly = height - 8
    for s, (name, colour, _) in enumerate(series):
        out.append(
            f'<rect x="{left + s * 120}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + s * 120 + 14}" y="{ly}" font-size="11">{e(name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def to_html(report: dict[str, Any]) -> str:
    """The whole report as one self-contained page."""
    e = html.escape
    c, t, rows = report["campaign"], report["total"], report["creators"]
    cur = c["currency"]
    charts = [
        bars_svg(title, labels, [(name, tint, vals) for (name, vals), tint in zip(series, pair, strict=True)])
        for (title, labels, series), pair in zip(report_charts(report), CHART_COLOURS, strict=False)
    ]
    head = "".join(
        f"<th>{e(k)}</th>"
        for k in (
            "creator",
            "posts",
            "late",
            "missing",
            "non-compliant",
            "impressions",
            "engagements (exp.)",
            f"fee {cur}",
            "CPE",
            "CPM",
            "EMV",
            "conversions",
            "reach rate (source)",
        )
    )

    def line(name: str, r: dict[str, Any]) -> str:
        cells = [
            name,
            f"{_fmt(r['posts_delivered'])}/{_fmt(r['posts_agreed'])}",
            _fmt(r["late"]),
            _fmt(r["missing"]),
            _fmt(r["non_compliant"]),
            _fmt(r["impressions"]),
            f"{_fmt(r['engagements'])} ({_fmt(r['engagements_expected'])})",
            _fmt(r["fee"]),
            _fmt(r["cpe"], 2),
            _fmt(r["cpm"], 2),
            _fmt(r["emv"]),
            _fmt(r["conversions"]),
            f"{r['reach_rate']:.2f} ({r['reach_rate_source']})" if r.get("reach_rate") is not None else "",
        ]
        return "<tr>" + "".join(f"<td>{e(x)}</td>" for x in cells) + "</tr>"

    body = "".join(line("@" + r["handle"], r) for r in rows) + line("Total", t)
    reach = ""
    if report["reach"]:
        rr = report["reach"]
        reach = (
            f"<p>People reached 3+ times: {_fmt(rr['delivered']['3+'])}{e(interval_text(report, '3+'))} "
            f"delivered against {_fmt(rr['planned']['3+'])} planned; 1+: {_fmt(rr['delivered']['1+'])}"
            f"{e(interval_text(report, '1+'))} against {_fmt(rr['planned']['1+'])}. Measured with "
            f"{e(rr['model'])}.</p>"
            + (f"<p>The interval: {e(rr['interval']['definition'])}.</p>" if rr.get("interval") else "")
        )
    else:
        reach = f"<p>{e(report['reach_note'])}</p>"
    fl = "".join(
        f"<li><b>{e(f['kind'])}</b> @{e(str(f['handle']))}: {e(f['detail'])}</li>" for f in report["flags"]
    )
    defs = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in report["definitions"].items())
    em = report["emv_table"]
    emv = "".join(f"<tr><td>{e(k)}</td><td>{v:,.2f}</td></tr>" for k, v in em["cpm"].items())
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{e(c["name"])}: plan against actual</title>'
        "<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child{text-align:left}</style>"
        f"</head><body><h1>{e(c['name'])} ({e(c['brand'])}): plan against actual</h1>"
        f"<p>{e(str(c['starts']))} to {e(str(c['ends']))}, budget {c['budget']:,.0f} {e(cur)}, "
        f"hashtag #{e(c['hashtag'] or '')}.</p>{reach}"
        f"<table><tr>{head}</tr>{body}</table>{''.join(charts)}"
        f"<h2>Flags</h2><ul>{fl or '<li>none</li>'}</ul><h2>Definitions</h2><dl>{defs}</dl>"
        f"<h2>EMV table ({e(em['currency'])} per 1,000 impressions)</h2><p>{e(em['formula'])}. "
        f"Source: {e(em['source'])}.</p><table>{emv}</table></body></html>"
    )
