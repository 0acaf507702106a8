"""Trend charts: one patient, one scale, drawn by matplotlib (Agg, no display) to SVG.

The severity bands come from the instrument's own band table (``InstrumentDefinition.bands_for``), the same
table that scores it; dosing sessions are marked on the time axis; the course's baseline is a dashed line and
the title gives the change and its class (``clinical.outcomes``).
"""

import datetime as dt
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # before any other matplotlib import: render to files, never to a screen

from matplotlib import dates as mdates  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import gettext_noop  # noqa: E402

from ketaclinic.clinical import outcomes as outcome_rules  # noqa: E402
from ketaclinic.outcomes import dosing  # noqa: E402
from ketaclinic.outcomes.models import Context, QuestionnaireResponse, TreatmentCourse  # noqa: E402
from ketaclinic.outcomes.scales import definition  # noqa: E402

# Band colours from calm to alarming; a scale with n bands uses n of them, spread across the list.
BAND_COLOURS = ("#d8efe0", "#eef5d3", "#fff1c7", "#ffdcbf", "#f8c5c5")
LINE_COLOUR = "#1f5f8b"
DOSE_COLOUR = "#6b4fa0"
FIGURE_SIZE_IN = (7.2, 3.4)
MIN_TIME_PAD = dt.timedelta(days=1)
MAX_POINTS = 200  # a chart of more scores than this is unreadable; the newest are drawn
# The library's band labels, so the portal's chart can show them in the patient's language.
BAND_LABELS = tuple(gettext_noop(label) for label in (
    "minimal", "mild", "moderate", "moderately severe", "severe", "below threshold", "probable PTSD",
    "normal", "none", "low", "substantial",
))


@dataclass(frozen=True)
class Trend:
    code: str
    points: list  # [(taken_at, total)] oldest first
    course: TreatmentCourse | None
    baseline_total: int | None
    latest_total: int | None
    change_class: str | None
    dose_times: list[dt.datetime]
    doses_inferred: bool  # no dose records: the pre-dose questionnaires' times stand in for sessions

    @property
    def change_points(self) -> int | None:
        """Latest minus baseline; None until there is a score after the baseline."""
        if self.baseline_total is None or self.latest_total is None or len(self.points) < 2:
            return None
        return self.latest_total - self.baseline_total

    @property
    def reduction_pct(self):
        if self.change_points is None or self.code not in outcome_rules.OUTCOME_RULES:
            return None
        return outcome_rules.reduction_pct(self.code, self.baseline_total, self.latest_total)


def _course_baseline(course: TreatmentCourse | None, code: str, points: list) -> int | None:
    if course is None:
        return None
    if code == course.primary_scale and hasattr(course, "outcome"):
        return course.outcome.baseline_total
    before = [total for taken_at, total in points if timezone.localdate(taken_at, course.clinic.tz) <= course.started_on]
    return before[-1] if before else None


def build_trend(patient, code: str, *, course: TreatmentCourse | None = None) -> Trend:
    """The patient's final scores on ``code`` and, for their latest course, its baseline and dosing sessions."""
    course = course or TreatmentCourse.objects.filter(patient=patient).select_related("clinic", "outcome").first()
    rows = list(
        QuestionnaireResponse.objects.filter(patient=patient, instrument=code, status=QuestionnaireResponse.Status.FINAL)
        .order_by("-taken_at", "-pk").values_list("taken_at", "total", "context")[:MAX_POINTS]
    )[::-1]
    points = [(taken_at, total) for taken_at, total, _context in rows]
    dose_times = dosing.dosing_dates(course) if course else []
    inferred = not dose_times
    if inferred:
        dose_times = [taken_at for taken_at, _total, context in rows if context == Context.PRE_DOSE]
    baseline = _course_baseline(course, code, points)
    latest = points[-1][1] if points else None
    change_class = None
    if baseline is not None and latest is not None and code in outcome_rules.OUTCOME_RULES and len(points) > 1:
        change_class = outcome_rules.classify_change(code, baseline, latest)
    return Trend(code, points, course, baseline, latest, change_class, dose_times, inferred)


def class_label(change_class: str | None) -> str:
    return {
        outcome_rules.REMISSION: _("remission"), outcome_rules.RESPONSE: _("response"),
        outcome_rules.PARTIAL_RESPONSE: _("partial response"), outcome_rules.NO_RESPONSE: _("no response"),
        outcome_rules.WORSENING: _("worsening"),
    }.get(change_class or "", "")


def describe(trend: Trend) -> str:
    """One sentence for the image's alt text and the page: baseline, latest, change and class."""
    if not trend.points:
        return _("No %(code)s scores yet.") % {"code": trend.code}
    if trend.change_points is None:
        return _("%(code)s: latest %(latest)s.") % {"code": trend.code, "latest": trend.latest_total}
    text = _("%(code)s: baseline %(baseline)s, latest %(latest)s, change %(change)+d points") % {
        "code": trend.code, "baseline": trend.baseline_total, "latest": trend.latest_total, "change": trend.change_points,
    }
    if trend.reduction_pct is not None:
        text += _(" (%(pct)s %% lower)") % {"pct": trend.reduction_pct}
    if trend.change_class:
        text += f": {class_label(trend.change_class)}"
    return text + "."


def _colours(n: int) -> list[str]:
    if n == 1:
        return [BAND_COLOURS[0]]
    return [BAND_COLOURS[round(i * (len(BAND_COLOURS) - 1) / (n - 1))] for i in range(n)]


def _draw_bands(ax, bands, max_total: int) -> None:
    for band, colour in zip(bands, _colours(len(bands))):
        # Inclusive integer bands [lo, hi] fill [lo − 0.5, hi + 0.5] so adjacent bands meet without a gap.
        ax.axhspan(band.lo - 0.5, band.hi + 0.5, color=colour, zorder=0, linewidth=0)
        ax.text(1.01, (band.lo + band.hi) / 2, _(band.label), transform=ax.get_yaxis_transform(), va="center",
                fontsize=7.5, color="#3b4450")
    ax.set_ylim(-0.5, max_total + 0.5)


def _set_time_range(ax, moments: list[dt.datetime], tz) -> None:
    """matplotlib widens a single date by years; show the scores' own span with a margin of at least a day."""
    if not moments:
        return
    first, last = min(moments), max(moments)
    pad = max(MIN_TIME_PAD, (last - first) * 0.05)
    ax.set_xlim((first - pad).astimezone(tz), (last + pad).astimezone(tz))


def render_svg(trend: Trend, *, sex: str | None = None, tz=None) -> str:
    d = definition(trend.code)
    tz = tz or timezone.get_current_timezone()
    figure = Figure(figsize=FIGURE_SIZE_IN, layout="constrained")
    ax = figure.add_subplot()
    _draw_bands(ax, d.bands_for(sex=sex), d.max_total)
    if trend.points:
        xs = [t.astimezone(tz) for t, _total in trend.points]
        ax.plot(xs, [total for _t, total in trend.points], marker="o", color=LINE_COLOUR, linewidth=2, zorder=3,
                label=trend.code)
    for index, moment in enumerate(trend.dose_times):
        ax.axvline(moment.astimezone(tz), color=DOSE_COLOUR, linewidth=0.8, alpha=0.6, zorder=1,
                   label=(_("dosing day (pre-dose scale)") if trend.doses_inferred else _("dosing session")) if index == 0 else None)
    if trend.baseline_total is not None:
        ax.axhline(trend.baseline_total, color="#333", linestyle="--", linewidth=1, zorder=2,
                   label=_("baseline %(total)s") % {"total": trend.baseline_total})
    _set_time_range(ax, [t for t, _total in trend.points] + list(trend.dose_times), tz)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8, tz=tz))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%d", tz=tz))
    ax.set_ylabel(_("total score"))
    ax.set_title(describe(trend), fontsize=9, loc="left")
    if trend.points or trend.dose_times:
        ax.legend(loc="upper right", fontsize=7.5, framealpha=0.9)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ketaclinic"}):
        figure.savefig(buffer, format="svg")
    return buffer.getvalue()
