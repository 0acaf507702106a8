"""PCL-5 (PTSD Checklist for DSM-5, past-month version). US Government work; wording from clinical.md §5.4.

No LOINC code is stored: the codes seen in public repos fail the check digit (clinical.md §5.0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .base import (
    AnswerOption,
    Band,
    InstrumentDefinition,
    Item,
    Score,
    band_label,
    bands_from_floors,
    check_answers,
    check_limit_range,
    check_sex,
    resolve_limits,
    versioned,
)

CODE = "PCL-5"
RULE_VERSION = "pcl5-2013.1"  # Weathers et al. 2013 (VA National Center for PTSD)

PCL5_ITEM_MIN = 0
PCL5_ITEM_MAX = 4
PCL5_MAX_TOTAL = 80  # 20 items × 4; clinical.md §5.4
# clinical.md §5.1/§5.4 give a probable-PTSD cut-off of 31–33 [41]; the issue ships 33 (clinic-editable).
PCL5_PROBABLE_PTSD_MIN_TOTAL = 33
# An item rated ≥2 ("Moderately") counts as a symptom for the DSM-5 provisional rule;
# clinical.md §5.4 [41].
PCL5_SYMPTOMATIC_ITEM_MIN_ANSWER = 2
# DSM-5 clusters as (name, first item, last item — inclusive, symptoms needed); clinical.md §5.4 [41].
PCL5_CLUSTERS = (
    ("B", 1, 5, 1),
    ("C", 6, 7, 1),
    ("D", 8, 14, 2),
    ("E", 15, 20, 2),
)

FLAG_PROBABLE_PTSD = "probable-ptsd"
FLAG_DSM5_PROVISIONAL_PTSD = "dsm5-provisional-ptsd"
PROBABLE_PTSD = "probable PTSD"
BELOW_THRESHOLD = "below threshold"


@dataclass(frozen=True)
class Pcl5Limits:
    """A clinic may pick another cut-off inside the published 31–33 range (or stricter)."""

    probable_ptsd_min_total: int = PCL5_PROBABLE_PTSD_MIN_TOTAL
    symptomatic_item_min_answer: int = PCL5_SYMPTOMATIC_ITEM_MIN_ANSWER

    def __post_init__(self) -> None:
        check_limit_range(CODE, self, "probable_ptsd_min_total", 1, PCL5_MAX_TOTAL)
        check_limit_range(CODE, self, "symptomatic_item_min_answer", 1, PCL5_ITEM_MAX)


DEFAULT_LIMITS = Pcl5Limits()

# The official paper text says "circle one of the numbers to the right"; like CamCOPS we say "choose one of
# the answers" on screen (clinical.md §5.4). The stem is verbatim.
INSTRUCTIONS = (
    "Below is a list of problems that people sometimes have in response to a very stressful experience. "
    "Please read each problem carefully and then choose one of the answers to indicate how much you have "
    "been bothered by that problem in the past month."
)
STEM = "In the past month, how much were you bothered by:"

OPTIONS = (
    AnswerOption(0, "Not at all"),
    AnswerOption(1, "A little bit"),
    AnswerOption(2, "Moderately"),
    AnswerOption(3, "Quite a bit"),
    AnswerOption(4, "Extremely"),
)

_ITEM_TEXT = (
    ("B1 unwanted memories", "Repeated, disturbing, and unwanted memories of the stressful experience?"),
    ("B2 disturbing dreams", "Repeated, disturbing dreams of the stressful experience?"),
    (
        "B3 reliving",
        "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you "
        "were actually back there reliving it)?",
    ),
    ("B4 upset by reminders", "Feeling very upset when something reminded you of the stressful experience?"),
    (
        "B5 physical reactions",
        "Having strong physical reactions when something reminded you of the stressful experience (for "
        "example, heart pounding, trouble breathing, sweating)?",
    ),
    ("C1 avoiding memories", "Avoiding memories, thoughts, or feelings related to the stressful experience?"),
    (
        "C2 avoiding reminders",
        "Avoiding external reminders of the stressful experience (for example, people, places, "
        "conversations, activities, objects, or situations)?",
    ),
    ("D1 trouble remembering", "Trouble remembering important parts of the stressful experience?"),
    (
        "D2 negative beliefs",
        "Having strong negative beliefs about yourself, other people, or the world (for example, having "
        "thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the "
        "world is completely dangerous)?",
    ),
    ("D3 blame", "Blaming yourself or someone else for the stressful experience or what happened after it?"),
    ("D4 negative feelings", "Having strong negative feelings such as fear, horror, anger, guilt, or shame?"),
    ("D5 loss of interest", "Loss of interest in activities that you used to enjoy?"),
    ("D6 feeling distant", "Feeling distant or cut off from other people?"),
    (
        "D7 no positive feelings",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving "
        "feelings for people close to you)?",
    ),
    ("E1 irritable or aggressive", "Irritable behavior, angry outbursts, or acting aggressively?"),
    ("E2 risk taking", "Taking too many risks or doing things that could cause you harm?"),
    ("E3 superalert", 'Being "superalert" or watchful or on guard?'),
    ("E4 jumpy", "Feeling jumpy or easily startled?"),
    ("E5 concentration", "Having difficulty concentrating?"),
    ("E6 sleep", "Trouble falling or staying asleep?"),
)

ITEMS = tuple(
    Item(number, label, PCL5_ITEM_MIN, PCL5_ITEM_MAX, wording, OPTIONS)
    for number, (label, wording) in enumerate(_ITEM_TEXT, start=1)
)


def bands_for(*, sex: str | None = None, limits: Pcl5Limits | None = None) -> tuple[Band, ...]:
    limits = resolve_limits(CODE, limits, DEFAULT_LIMITS)
    return bands_from_floors(
        PCL5_MAX_TOTAL, ((0, BELOW_THRESHOLD), (limits.probable_ptsd_min_total, PROBABLE_PTSD))
    )


def dsm5_provisional(values: tuple[int, ...], symptomatic_min: int) -> bool:
    for _, first, last, needed in PCL5_CLUSTERS:
        rated = values[first - 1 : last]
        if sum(1 for value in rated if value >= symptomatic_min) < needed:
            return False
    return True


def score(answers: Sequence[int], *, sex: str | None = None, limits: Pcl5Limits | None = None) -> Score:
    check_sex(sex)
    limits = resolve_limits(CODE, limits, DEFAULT_LIMITS)
    values = check_answers(CODE, ITEMS, answers)
    total = sum(values)
    flags = set()
    if total >= limits.probable_ptsd_min_total:
        flags.add(FLAG_PROBABLE_PTSD)
    if dsm5_provisional(values, limits.symptomatic_item_min_answer):
        flags.add(FLAG_DSM5_PROVISIONAL_PTSD)
    subscores = tuple((name, sum(values[first - 1 : last])) for name, first, last, _ in PCL5_CLUSTERS)
    severity = band_label(bands_for(limits=limits), total)
    rule_version = versioned(RULE_VERSION, limits, DEFAULT_LIMITS)
    return Score(CODE, total, severity, frozenset(flags), rule_version, values, subscores)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="pcl5",
    title="PTSD Checklist for DSM-5 (PCL-5)",
    items=ITEMS,
    bands=bands_for(),
    max_total=PCL5_MAX_TOTAL,
    loinc_panel=None,
    loinc_total=None,
    licence="US Government work (VA National Center for PTSD), public domain. clinical.md §5.1 [41].",
    rule_version=RULE_VERSION,
    scorer=score,
    stem=STEM,
    limits_type=Pcl5Limits,
    band_builder=bands_for,
)
