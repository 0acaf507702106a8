"""Discharge scoring (modified Aldrete, modified PADSS) and the discharge-readiness check.

Both scales have five items scored 0–2 (max 10); 9 or more is discharge-ready (clinical.md §9.1 [71],
§9.2 [72]). The item tables below drive the scoring and the form on the page. Readiness is pure arithmetic:
"now" is passed in. Thresholds are shipped defaults; a clinic passes its own where it differs.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from ketaclinic.clinical.vitals import _require_int

SCALE_ITEM_MAX_SCORE = 2  # every item scores 0, 1 or 2; §9.1, §9.2
SCALE_MAX_TOTAL = 10  # five items × 2
ALDRETE_READY_AT_OR_ABOVE_TOTAL = 9  # modified Aldrete "≥9 discharge-ready"; clinical.md §9.1 [71]
PADSS_READY_AT_OR_ABOVE_TOTAL = 9  # PADSS "≥9 = fit for discharge" with a responsible adult; §9.2 [72]


@dataclass(frozen=True)
class ScaleItem:
    """One item of a discharge scale. ``levels[score]`` describes that score, for the form."""

    name: str
    label: str
    levels: tuple[str, str, str]  # score 0, 1, 2


@dataclass(frozen=True)
class ScaleResult:
    scale: str
    scores: tuple[tuple[str, int], ...]  # (item name, score), raw, in item order
    total: int
    ready_min_total: int  # the rule applied, kept so an old result stays explainable
    ready: bool


@dataclass(frozen=True)
class DischargeReadiness:
    ready: bool
    unmet: tuple[str, ...]  # plain-language reasons, empty when ready
    ready_at: datetime | None  # set only when the observation time is the only thing left


# Modified Aldrete, clinical.md §9.1 [71] (the 1970 original scored "color" instead of SpO2).
ALDRETE_ITEMS = (
    ScaleItem("activity", "Activity", (
        "Moves 0 extremities",
        "Moves 2 extremities",
        "Moves 4 extremities voluntarily or on command",
    )),
    ScaleItem("respiration", "Respiration", (
        "Apneic",
        "Dyspnea or limited breathing",
        "Able to breathe deeply and cough freely",
    )),
    ScaleItem("circulation", "Circulation (BP vs pre-procedure)", (
        "BP ±50 mmHg or more from the pre-procedure level",
        "BP ±20–50 mmHg from the pre-procedure level",
        "BP within ±20 mmHg of the pre-procedure level",
    )),
    ScaleItem("consciousness", "Consciousness", (
        "Not responding",
        "Arousable on calling",
        "Fully awake",
    )),
    ScaleItem("oxygen_saturation", "O2 saturation", (
        "SpO2 <90 % even with O2",
        "Needs O2 to keep SpO2 >90 %",
        "SpO2 >92 % on room air",
    )),
)

# Modified PADSS (Chung), clinical.md §9.2 [72]. A ketamine visit has no wound: score bleeding 2,
# "minimal (no dressing change)", which is what the scale's own wording gives.
PADSS_ITEMS = (
    ScaleItem("vital_signs", "Vital signs", (
        "More than 40 % from the pre-procedure value",
        "20–40 % from the pre-procedure value",
        "Within 20 % of the pre-procedure value",
    )),
    ScaleItem("ambulation", "Ambulation", (
        "Unable to ambulate, or dizziness",
        "Requires assistance",
        "Steady gait, no dizziness (or at pre-procedure level)",
    )),
    ScaleItem("nausea_vomiting", "Nausea and vomiting", (
        "Severe: continues despite treatment",
        "Moderate: effective with medication",
        "Minimal: no treatment or oral only",
    )),
    ScaleItem("pain", "Pain", (
        "Severe (VAS 7–10)",
        "Moderate (VAS 4–6)",
        "Minimal (VAS 0–3)",
    )),
    ScaleItem("surgical_bleeding", "Surgical bleeding", (
        "Severe (more than 3 dressing changes)",
        "Moderate (up to 2 dressing changes)",
        "Minimal (no dressing change)",
    )),
)


def aldrete(
    activity: int,
    respiration: int,
    circulation: int,
    consciousness: int,
    oxygen_saturation: int,
    *,
    ready_min_total: int = ALDRETE_READY_AT_OR_ABOVE_TOTAL,
) -> ScaleResult:
    """Modified Aldrete score. Every item is required, an int 0–2; otherwise ValueError naming the item."""
    answers = dict(activity=activity, respiration=respiration, circulation=circulation,
                   consciousness=consciousness, oxygen_saturation=oxygen_saturation)
    return _score("modified Aldrete", ALDRETE_ITEMS, answers, ready_min_total)


def padss(
    vital_signs: int,
    ambulation: int,
    nausea_vomiting: int,
    pain: int,
    surgical_bleeding: int,
    *,
    ready_min_total: int = PADSS_READY_AT_OR_ABOVE_TOTAL,
) -> ScaleResult:
    """Modified PADSS. Every item is required, an int 0–2; otherwise ValueError naming the item."""
    answers = dict(vital_signs=vital_signs, ambulation=ambulation, nausea_vomiting=nausea_vomiting,
                   pain=pain, surgical_bleeding=surgical_bleeding)
    return _score("modified PADSS", PADSS_ITEMS, answers, ready_min_total)


def discharge_readiness(
    *,
    observed_since: datetime,
    now: datetime,
    observation_min_required: int,
    aldrete_total: int | None = None,
    vitals_near_baseline: bool,
    ride_present: bool,
    aldrete_ready_min_total: int = ALDRETE_READY_AT_OR_ABOVE_TOTAL,
) -> DischargeReadiness:
    """Whether the patient may leave, and what is still missing.

    ``observed_since`` is the first device for esketamine (§3.5) and the end of the infusion for IV.
    ``observation_min_required`` comes from ``protocols.ChairProtocol``, which keeps esketamine at 120 min
    or more (label, §3.5 [20]) and IV at 30 min or more (§0b); it is not re-checked here.
    ``aldrete_total=None`` means the clinic's checklist does not use Aldrete; pass the score when it does.
    """
    _check_readiness_inputs(observed_since, now, observation_min_required, aldrete_total,
                            vitals_near_baseline, ride_present)
    _require_in_range("aldrete_ready_min_total", aldrete_ready_min_total, SCALE_MAX_TOTAL)
    observation_ends_at = observed_since + timedelta(minutes=observation_min_required)
    unmet = []
    if now < observation_ends_at:
        unmet.append(f"observation: {_whole_minutes_up(observation_ends_at - now)} min left")
    if aldrete_total is not None and aldrete_total < aldrete_ready_min_total:
        unmet.append(f"Aldrete {aldrete_total} < {aldrete_ready_min_total}")
    if not vitals_near_baseline:
        unmet.append("vitals not near baseline")
    if not ride_present:
        unmet.append("ride home not confirmed")
    only_time_left = len(unmet) == 1 and now < observation_ends_at
    return DischargeReadiness(not unmet, tuple(unmet), observation_ends_at if only_time_left else None)


def _score(scale: str, items: tuple[ScaleItem, ...], answers: dict, ready_min_total: int) -> ScaleResult:
    _require_in_range("ready_min_total", ready_min_total, SCALE_MAX_TOTAL)
    for item in items:
        _require_in_range(item.name, answers[item.name], SCALE_ITEM_MAX_SCORE)
    scores = tuple((item.name, answers[item.name]) for item in items)
    total = sum(score for _, score in scores)
    return ScaleResult(scale, scores, total, ready_min_total, total >= ready_min_total)


def _check_readiness_inputs(observed_since, now, observation_min, aldrete_total, vitals_ok, ride) -> None:
    for name, value in (("observed_since", observed_since), ("now", now)):
        if not isinstance(value, datetime):
            raise ValueError(f"{name}: expected a datetime, got {value!r}")
    if observed_since > now:
        raise ValueError(f"observed_since: {observed_since.isoformat()} is after now ({now.isoformat()})")
    _require_int("observation_min_required", observation_min)
    if observation_min < 0:
        raise ValueError(f"observation_min_required: {observation_min} is negative")
    if aldrete_total is not None:
        _require_in_range("aldrete_total", aldrete_total, SCALE_MAX_TOTAL)
    for name, value in (("vitals_near_baseline", vitals_ok), ("ride_present", ride)):
        if not isinstance(value, bool):
            raise ValueError(f"{name}: expected True or False, got {value!r}")


def _require_in_range(name: str, value, high: int) -> None:
    _require_int(name, value)
    if not 0 <= value <= high:
        raise ValueError(f"{name}: {value} is outside 0–{high}")


def _whole_minutes_up(remaining: timedelta) -> int:
    # Round up, so 30 s left reads "1 min left", never "0 min left".
    return -(-remaining // timedelta(minutes=1))
