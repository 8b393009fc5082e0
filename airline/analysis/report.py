"""The efficiency report: one self-contained HTML page built from the library queries.

Charts are drawn with matplotlib's Agg canvas (no display, no global pyplot state) and embedded
as base64 PNGs; CSS is inline. The page references nothing outside itself, so it opens offline.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from airline.analysis.library import run_query

if TYPE_CHECKING:
    import pyarrow as pa
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Rows = list[dict[str, Any]]

#: Queries the report needs, run once each.
REPORT_QUERIES: tuple[str, ...] = (
    "summary",
    "ontime_by_carrier",
    "ontime_by_month",
    "cascade_by_turnaround_band",
    "worst_routes",
    "delay_propagation_share",
)

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1000px;
       color: #1f2933; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.summary { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 1rem 0 2rem; }
.stat { background: #f0f4f8; border-radius: 6px; padding: 0.6rem 1rem; min-width: 9rem; }
.stat b { display: block; font-size: 1.3rem; }
figure { margin: 0 0 2.5rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #d9e2ec; }
figcaption { color: #52606d; font-size: 0.95rem; margin-top: 0.4rem; }
"""


class ReportSection(NamedTuple):
    title: str
    image_data_uri: str
    caption: str


def build_report(features_dir: Path, out_path: Path) -> Path:
    """Run the report queries over a features snapshot and write the HTML page; returns out_path.

    Raises the library errors (FeaturesNotFoundError, QueryFailedError) unchanged.
    """
    results = {name: run_query(name, features_dir) for name in REPORT_QUERIES}
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(render_report_html(results), encoding="utf-8")
    return out_path


def render_report_html(results: Mapping[str, pa.Table]) -> str:
    """The whole page from the report query results (keys = REPORT_QUERIES)."""
    rows = {name: results[name].to_pylist() for name in REPORT_QUERIES}
    builders: list[tuple[str, Callable[[Rows], tuple[str, Figure, str]]]] = [
        ("ontime_by_carrier", _carrier_ranking),
        ("ontime_by_month", _monthly_trend),
        ("cascade_by_turnaround_band", _cascade_by_band),
        ("worst_routes", _worst_routes),
        ("delay_propagation_share", _propagation_share),
    ]
    sections = []
    for query, build in builders:
        title, figure, caption = build(rows[query])
        sections.append(ReportSection(title, figure_to_data_uri(figure), caption))
    summary = rows["summary"][0] if rows["summary"] else {}
    return _render_page(summary, sections)


def figure_to_data_uri(figure: Figure) -> str:
    """PNG bytes of a figure as a `data:` URI (rendered on the Agg canvas, no metadata text)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _new_axes(height: float = 4.0) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9.0, height))
    return figure, figure.add_subplot()


def _no_data(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#52606d")
    axes.set_axis_off()


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _carrier_ranking(rows: Rows) -> tuple[str, Figure, str]:
    rated = [r for r in rows if r["ontime_rate"] is not None]
    figure, axes = _new_axes(max(3.0, 0.35 * len(rated) + 1.2))
    if not rated:
        _no_data(axes, "No flights with a recorded arrival delay")
        return "Carrier ranking", figure, "No carrier has a recorded arrival delay."
    ordered = sorted(rated, key=lambda r: (r["ontime_rate"], r["carrier"]))
    bars = axes.barh([r["carrier"] for r in ordered], [r["ontime_rate"] * 100 for r in ordered], color="#2f80ed")
    for bar, row in zip(bars, ordered, strict=True):
        axes.text(
            bar.get_width() + 0.5,
            bar.get_y() + bar.get_height() / 2,
            f"mean delay {row['mean_arrdelay']:.1f} min",
            va="center",
            fontsize=8,
        )
    axes.set_xlim(0, 115)
    axes.set_xlabel("On-time rate, % of arrivals (arrival delay < 15 min)")
    best, worst = ordered[-1], ordered[0]
    caption = (
        f"Carriers ranked by on-time rate; labels give the mean arrival delay. Best: {best['carrier']} "
        f"({_pct(best['ontime_rate'])}), worst: {worst['carrier']} ({_pct(worst['ontime_rate'])})."
    )
    return "Carrier ranking", figure, caption


def _monthly_trend(rows: Rows) -> tuple[str, Figure, str]:
    figure, axes = _new_axes()
    if not rows:
        _no_data(axes, "No flights")
        return "Monthly trend", figure, "No flights in the snapshot."
    labels = [f"{r['year']}-{r['month']:02d}" for r in rows]
    positions = list(range(len(rows)))
    ontime = [math.nan if r["ontime_rate"] is None else r["ontime_rate"] * 100 for r in rows]
    axes.plot(positions, ontime, marker="o", color="#2f80ed", label="On-time rate (%)")
    axes.set_ylabel("On-time rate, %")
    axes.set_xticks(positions, labels, rotation=45 if len(rows) > 12 else 0, fontsize=8)
    delay_axes = axes.twinx()
    delay_axes.plot(
        positions, [r["mean_arrdelay"] for r in rows], marker="s", color="#eb5757", label="Mean delay (min)"
    )
    delay_axes.set_ylabel("Mean arrival delay, min")
    handles = axes.get_lines() + delay_axes.get_lines()
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize=8, frameon=False)
    worst = min((r for r in rows if r["ontime_rate"] is not None), key=lambda r: r["ontime_rate"], default=None)
    caption = f"On-time rate and mean arrival delay per month over all carriers ({labels[0]} to {labels[-1]})."
    if worst is not None:
        caption += f" Weakest month: {worst['year']}-{worst['month']:02d} ({_pct(worst['ontime_rate'])} on time)."
    return "Monthly trend", figure, caption


def _cascade_by_band(rows: Rows) -> tuple[str, Figure, str]:
    figure, axes = _new_axes()
    if not rows:
        _no_data(axes, "No flights")
        return "Cascade rate vs turnaround", figure, "No flights in the snapshot."
    positions = list(range(len(rows)))
    width = 0.4
    axes.bar(
        [p - width / 2 for p in positions],
        [r["cascade_rate"] * 100 for r in rows],
        width,
        color="#2f80ed",
        label="of all flights",
    )
    axes.bar(
        [p + width / 2 for p in positions],
        [(r["cascade_rate_of_late"] or 0.0) * 100 for r in rows],
        width,
        color="#f2994a",
        label="of late arrivals (>= 15 min)",
    )
    axes.set_xticks(positions, [f"{r['turnaround_band']}\n(n={r['flights']:,})" for r in rows], fontsize=8)
    axes.set_xlabel("Scheduled turnaround before the aircraft's next leg, minutes")
    axes.set_ylabel("Cascade rate, %")
    axes.legend(fontsize=8)
    tightest = rows[0]
    caption = (
        "Share of flights whose late arrival (>= 15 min) made the aircraft's next leg depart >= 15 min late, "
        f"by the scheduled turnaround before that leg. Tightest band ({tightest['turnaround_band']} min): "
        f"{_pct(tightest['cascade_rate_of_late'])} of late arrivals cascaded."
    )
    return "Cascade rate vs turnaround band", figure, caption


def _worst_routes(rows: Rows) -> tuple[str, Figure, str]:
    figure, axes = _new_axes(max(3.0, 0.3 * len(rows) + 1.2))
    if not rows:
        _no_data(axes, "No route has enough flights (>= 50)")
        return "Top 20 worst routes", figure, "No route has at least 50 flights with a recorded arrival delay."
    ordered = list(reversed(rows))
    axes.barh(
        [f"{r['origin']}-{r['dest']} (n={r['flights']:,})" for r in ordered],
        [r["mean_arrdelay"] for r in ordered],
        color="#eb5757",
    )
    axes.tick_params(axis="y", labelsize=8)
    axes.set_xlabel("Mean arrival delay, min")
    worst = rows[0]
    caption = (
        f"The {len(rows)} routes with the highest mean arrival delay among routes with at least 50 recorded arrivals. "
        f"Worst: {worst['origin']}-{worst['dest']}, {worst['mean_arrdelay']:.1f} min over {worst['flights']:,} flights."
    )
    return "Top 20 worst routes", figure, caption


def _propagation_share(rows: Rows) -> tuple[str, Figure, str]:
    rated = [r for r in rows if r["propagated_share"] is not None]
    figure, axes = _new_axes(max(3.0, 0.35 * len(rated) + 1.2))
    if not rated:
        _no_data(axes, "No late departures")
        return "Delay propagation share", figure, "No flight departed late."
    ordered = list(reversed(rated))
    labels = ["All carriers" if r["scope"] == "overall" else r["carrier"] for r in ordered]
    propagated = [r["propagated_share"] * 100 for r in ordered]
    created = [r["created_share"] * 100 for r in ordered]
    axes.barh(labels, propagated, color="#f2994a", label="arrived with the aircraft")
    axes.barh(labels, created, left=propagated, color="#2f80ed", label="created on this leg")
    axes.set_xlim(0, 100)
    axes.set_xlabel("Share of departure-delay minutes, %")
    axes.legend(fontsize=8, loc="lower right")
    overall = next((r for r in rated if r["scope"] == "overall"), rated[0])
    caption = (
        "Departure-delay minutes of late departures split into minutes inherited from a late inbound leg "
        "(min(departure delay, inbound arrival delay)) and minutes created on this leg. "
        f"Overall {_pct(overall['propagated_share'])} of delay minutes arrived with the aircraft."
    )
    return "Delay propagation share", figure, caption


def _render_page(summary: Mapping[str, Any], sections: list[ReportSection]) -> str:
    def stat(label: str, value: str) -> str:
        return f'<div class="stat"><b>{html.escape(value)}</b>{html.escape(label)}</div>'

    first, last = summary.get("first_flight_date"), summary.get("last_flight_date")
    stats = [
        stat("flights", f"{summary.get('flights') or 0:,}"),
        stat("date range", f"{first} to {last}" if first else "n/a"),
        stat("carriers", str(summary.get("carriers") or 0)),
        stat("origin airports", str(summary.get("origins") or 0)),
        stat("on-time rate", _pct(summary.get("ontime_rate"))),
        stat("overall cascade rate", _pct(summary.get("cascade_rate"))),
    ]
    figures = "\n".join(
        f'<section><h2>{html.escape(s.title)}</h2><figure><img src="{s.image_data_uri}" alt="{html.escape(s.title)}">'
        f"<figcaption>{html.escape(s.caption)}</figcaption></figure></section>"
        for s in sections
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Airline efficiency report</title><style>{_STYLE}</style></head><body>"
        "<h1>Airline efficiency report</h1>"
        "<p>On-time performance, worst routes and how delay cascades from one leg to the next.</p>"
        f'<div class="summary">{"".join(stats)}</div>\n{figures}\n</body></html>\n'
    )
