"""PHQ-9 (Patient Health Questionnaire, depression). Public domain; wording and codes: clinical.md §5.2."""

from __future__ import annotations

from collections.abc import Sequence

from .base import (
    AnswerOption,
    InstrumentDefinition,
    Item,
    Score,
    band_label,
    bands_from_floors,
    check_answers,
    check_sex,
    resolve_limits,
)

CODE = "PHQ-9"
RULE_VERSION = "phq9-2001.1"  # Kroenke, Spitzer & Williams 2001 bands

PHQ9_ITEM_MIN = 0
PHQ9_ITEM_MAX = 3
PHQ9_MAX_TOTAL = 27  # 9 items × 3; clinical.md §5.1
# Band floors, each band [floor, next floor − 1] inclusive. Kroenke 2001; clinical.md §5.1 [41].
PHQ9_MINIMAL_MIN_TOTAL = 0
PHQ9_MILD_MIN_TOTAL = 5
PHQ9_MODERATE_MIN_TOTAL = 10
PHQ9_MODERATELY_SEVERE_MIN_TOTAL = 15
PHQ9_SEVERE_MIN_TOTAL = 20
# Item 9 (thoughts of death/self-harm) > 0 → safety assessment; clinical.md §5.1, §5.2 [41].
PHQ9_SUICIDE_ITEM_NUMBER = 9
PHQ9_SUICIDE_ITEM_FLAG_MIN_ANSWER = 1

FLAG_SUICIDAL_IDEATION = "suicidal-ideation"

BANDS = bands_from_floors(
    PHQ9_MAX_TOTAL,
    (
        (PHQ9_MINIMAL_MIN_TOTAL, "minimal"),
        (PHQ9_MILD_MIN_TOTAL, "mild"),
        (PHQ9_MODERATE_MIN_TOTAL, "moderate"),
        (PHQ9_MODERATELY_SEVERE_MIN_TOTAL, "moderately severe"),
        (PHQ9_SEVERE_MIN_TOTAL, "severe"),
    ),
)

STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"

# LOINC answer list LL358-3, shared with GAD-7 (clinical.md §5.2, §5.3).
FREQUENCY_OPTIONS = (
    AnswerOption(0, "Not at all", "LA6568-5"),
    AnswerOption(1, "Several days", "LA6569-3"),
    AnswerOption(2, "More than half the days", "LA6570-1"),
    AnswerOption(3, "Nearly every day", "LA6571-9"),
)

# The unscored difficulty question (LOINC 69722-7, answers LL359-1); shown after item 9, never summed.
DIFFICULTY_WORDING = (
    "If you checked off any problems, how difficult have these problems made it for you to do your work, "
    "take care of things at home, or get along with other people?"
)
DIFFICULTY_LOINC = "69722-7"
DIFFICULTY_OPTIONS = (
    AnswerOption(0, "Not difficult at all", "LA6572-7"),
    AnswerOption(1, "Somewhat difficult", "LA6573-5"),
    AnswerOption(2, "Very difficult", "LA6575-0"),
    AnswerOption(3, "Extremely difficult", "LA6574-3"),
)

_ITEM_TEXT = (
    ("interest or pleasure", "Little interest or pleasure in doing things", "44250-9"),
    ("down, depressed, hopeless", "Feeling down, depressed, or hopeless", "44255-8"),
    ("sleep", "Trouble falling or staying asleep, or sleeping too much", "44259-0"),
    ("tired, low energy", "Feeling tired or having little energy", "44254-1"),
    ("appetite", "Poor appetite or overeating", "44251-7"),
    (
        "feeling bad about self",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "44258-2",
    ),
    (
        "concentration",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "44252-5",
    ),
    (
        "slowed or restless",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        "44253-3",
    ),
    (
        "thoughts of death or self-harm",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
        "44260-8",
    ),
)

ITEMS = tuple(
    Item(number, label, PHQ9_ITEM_MIN, PHQ9_ITEM_MAX, wording, FREQUENCY_OPTIONS, loinc)
    for number, (label, wording, loinc) in enumerate(_ITEM_TEXT, start=1)
)


def score(answers: Sequence[int], *, sex: str | None = None, limits: None = None) -> Score:
    check_sex(sex)
    resolve_limits(CODE, limits, None)
    values = check_answers(CODE, ITEMS, answers)
    total = sum(values)
    flags = set()
    if values[PHQ9_SUICIDE_ITEM_NUMBER - 1] >= PHQ9_SUICIDE_ITEM_FLAG_MIN_ANSWER:
        flags.add(FLAG_SUICIDAL_IDEATION)
    return Score(CODE, total, band_label(BANDS, total), frozenset(flags), RULE_VERSION, values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="phq9",
    title="Patient Health Questionnaire-9 (PHQ-9)",
    items=ITEMS,
    bands=BANDS,
    max_total=PHQ9_MAX_TOTAL,
    loinc_panel="44249-1",
    loinc_total="44261-6",
    licence="Public domain (Pfizer; no permission required). clinical.md §5.1 [41].",
    rule_version=RULE_VERSION,
    scorer=score,
    stem=STEM,
)
