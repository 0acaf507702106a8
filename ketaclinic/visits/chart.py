"""The session chart: blood pressure and heart rate, SpO2, and sedation/dissociation on one time axis.

Rendered to SVG with matplotlib's object API (no pyplot: it keeps global state and is not thread-safe).
The dashed lines come from ``ketaclinic.clinical.vitals.thresholds`` with the visit's own limits, the same
table that raises the alerts, so the chart and the alerts cannot disagree.
"""

import datetime as dt
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.dates import DateFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ketaclinic.clinical import vitals as rules  # noqa: E402

COLOURS = {"systolic_mmhg": "#a4262c", "diastolic_mmhg": "#d9822b", "heart_rate_bpm": "#1f5f8b", "spo2_pct": "#1e7a46",
           "moaa_s": "#5a3d8a", "cadss": "#8a5a00"}
LEVEL_STYLE = {"caution": ":", "action": "--"}
MIN_SPAN = dt.timedelta(minutes=30)
CADSS_AXIS_MIN_TOP = 20  # so a score of 0 sits at the bottom of a readable axis, not in the middle of a 0–0.05 one
MARGIN = dt.timedelta(minutes=3)


def render_svg(visit, readings, cadss_scores, events) -> bytes:
    tz = visit.clinic.tz
    figure = Figure(figsize=(10, 6.4), dpi=96, layout="constrained")
    bp, spo2, sedation = figure.subplots(3, 1, sharex=True, height_ratios=[3, 1.4, 1.6])
    _series(bp, readings, ("systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm"), ("Systolic", "Diastolic", "Heart rate"))
    _limits(bp, visit, ("systolic_mmhg", "diastolic_mmhg"))
    bp.set_ylabel("mmHg / bpm")
    _series(spo2, readings, ("spo2_pct",), ("SpO2 %",))
    _limits(spo2, visit, ("spo2_pct",))
    spo2.set_ylabel("SpO2 %")
    _sedation(sedation, readings, cadss_scores)
    start, end = _span(visit, readings, cadss_scores, events)
    for axis in (bp, spo2, sedation):
        _shade_dosing(axis, visit, end)
        _events(axis, events, label=axis is bp)
        axis.grid(alpha=0.25)
    sedation.set_xlim(start, end)
    sedation.xaxis.set_major_formatter(DateFormatter("%H:%M", tz=tz))
    sedation.set_xlabel(f"Time ({visit.clinic.time_zone})")
    bp.legend(loc="upper left", fontsize=8, ncols=4)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    return buffer.getvalue().encode()


def _series(axis, readings, names, labels) -> None:
    for name, label in zip(names, labels):
        points = [(r.measured_at, getattr(r, name)) for r in readings if getattr(r, name) is not None]
        if points:
            xs, ys = zip(*points)
            axis.plot(xs, ys, marker="o", markersize=4, color=COLOURS[name], label=label)


def _limits(axis, visit, parameters) -> None:
    """Dashed (action) and dotted (caution) lines for the dosing/recovery table of this visit's protocol."""
    for row in rules.thresholds("dosing", visit.protocol.limits()):
        if row.parameter in parameters and row.level in LEVEL_STYLE:
            axis.axhline(row.limit, linestyle=LEVEL_STYLE[row.level], linewidth=1, color=COLOURS[row.parameter], alpha=0.6)


def _sedation(axis, readings, cadss_scores) -> None:
    points = [(r.measured_at, r.moaa_s) for r in readings if r.moaa_s is not None]
    if points:
        xs, ys = zip(*points)
        axis.step(xs, ys, where="post", marker="s", markersize=4, color=COLOURS["moaa_s"], label="MOAA/S")
    axis.set_ylim(-0.3, 5.3)
    axis.set_ylabel("MOAA/S")
    twin = axis.twinx()
    if cadss_scores:
        twin.plot([s.measured_at for s in cadss_scores], [s.total for s in cadss_scores], marker="D", markersize=5,
                  linestyle="--", color=COLOURS["cadss"], label="CADSS")
    twin.set_ylabel("CADSS")
    twin.set_ylim(0, max([CADSS_AXIS_MIN_TOP] + [s.total + 5 for s in cadss_scores]))
    handles = axis.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    if handles:
        axis.legend(handles=handles, loc="lower left", fontsize=8)


def _span(visit, readings, cadss_scores, events):
    """At least half an hour wide, with a margin, so one reading does not make a meaningless axis."""
    moments = [r.measured_at for r in readings] + [s.measured_at for s in cadss_scores] + [e.occurred_at for e in events]
    moments += [m for m in (visit.dosing_started_at, visit.dosing_ended_at) if m]
    first, last = (min(moments), max(moments)) if moments else (visit.checked_in_at, visit.checked_in_at)
    last = max(last, first + MIN_SPAN)
    return first - MARGIN, last + MARGIN


def _shade_dosing(axis, visit, chart_end) -> None:
    """The dosing interval shaded; a running infusion is shaded to the right edge."""
    if visit.dosing_started_at:
        end = visit.dosing_ended_at or chart_end
        axis.axvspan(visit.dosing_started_at, end, color="#1f5f8b", alpha=0.08)
        axis.axvline(visit.dosing_started_at, color="#1f5f8b", linewidth=1)


def _events(axis, events, *, label: bool) -> None:
    for event in events:
        axis.axvline(event.occurred_at, color="#5a6472", linewidth=0.8, alpha=0.5)
        if label:
            axis.annotate(event.get_kind_display(), (event.occurred_at, 1), xycoords=("data", "axes fraction"),
                          rotation=90, fontsize=7, va="top", ha="right", color="#5a6472")
