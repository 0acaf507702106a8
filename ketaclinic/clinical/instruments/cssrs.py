"""C-SSRS Screener (Recent / Since Last Visit): risk triage from the clinician's yes/no answers.

The question wording is © Research Foundation for Mental Hygiene and electronic use is licensed via Clario
(clinical.md §5.8 [50]), so only our own short labels are stored; the clinician asks from the licensed form.

Answers (0 = no, 1 = yes), seven slots because question 6 has two parts:
1 wish to be dead; 2 non-specific active suicidal thoughts; 3 method; 4 intent; 5 plan/intent with plan;
6 suicidal behaviour (lifetime); 7 suicidal behaviour (past 3 months) — the screener's 6b.
Skip logic (clinical.md §5.8): 3–5 are asked only after yes to 2, and 6b only after yes to 6, so a yes
there without its gate is rejected rather than guessed at.

Triage, first match wins (clinical.md §5.8, "common implementation" [50]):
high = yes to 4, 5 or 7; moderate = yes to 3, or to 6 without 7; low = yes to 1 or 2 only; otherwise none.
The total is the C-SSRS ideation severity: the highest of items 1–5 answered yes (0–5). It is not a risk
score; the triage is in ``severity``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import (
    InstrumentDefinition,
    InstrumentError,
    Item,
    Score,
    check_answers,
    check_sex,
    options_from_labels,
    resolve_limits,
)

CODE = "C-SSRS"
RULE_VERSION = "cssrs-screener-2011.1"  # Posner et al., screener version © 2011

CSSRS_NO = 0
CSSRS_YES = 1
CSSRS_IDEATION_ITEM_NUMBERS = (1, 2, 3, 4, 5)
CSSRS_MAX_IDEATION_SEVERITY = 5
CSSRS_ACTIVE_THOUGHTS_ITEM = 2
CSSRS_GATED_BY_ACTIVE_THOUGHTS = (3, 4, 5)
CSSRS_BEHAVIOUR_LIFETIME_ITEM = 6
CSSRS_BEHAVIOUR_RECENT_ITEM = 7
# Triage rule: clinical.md §5.8 [50].
CSSRS_HIGH_RISK_ITEMS = (4, 5, CSSRS_BEHAVIOUR_RECENT_ITEM)
CSSRS_MODERATE_RISK_ITEMS = (3, CSSRS_BEHAVIOUR_LIFETIME_ITEM)
CSSRS_LOW_RISK_ITEMS = (1, 2)

HIGH = "high"
MODERATE = "moderate"
LOW = "low"
NONE = "none"
FLAG_HIGH_RISK = "high-risk"

YES_NO_OPTIONS = options_from_labels(("No", "Yes"))

# (label, LOINC question code from clinical.md §5.8 [43]; every code passes the check digit)
_ITEM_LABELS = (
    ("wish to be dead", "93246-7"),
    ("non-specific active suicidal thoughts", "93247-5"),
    ("method", "93248-3"),
    ("intent", "93249-1"),
    ("plan/intent with plan", "93250-9"),
    ("suicidal behaviour (lifetime)", "93267-3"),
    ("suicidal behaviour (past 3 months)", "93269-9"),
)

ITEMS = tuple(
    Item(number, label, CSSRS_NO, CSSRS_YES, None, YES_NO_OPTIONS, loinc)
    for number, (label, loinc) in enumerate(_ITEM_LABELS, start=1)
)


def check_skip_logic(values: tuple[int, ...]) -> None:
    def yes(number: int) -> bool:
        return values[number - 1] == CSSRS_YES

    for number in CSSRS_GATED_BY_ACTIVE_THOUGHTS:
        if yes(number) and not yes(CSSRS_ACTIVE_THOUGHTS_ITEM):
            raise InstrumentError(
                f"{CODE} item {number}: yes, but item {CSSRS_ACTIVE_THOUGHTS_ITEM} is no; "
                f"items 3–5 are asked only after yes to item {CSSRS_ACTIVE_THOUGHTS_ITEM}"
            )
    if yes(CSSRS_BEHAVIOUR_RECENT_ITEM) and not yes(CSSRS_BEHAVIOUR_LIFETIME_ITEM):
        raise InstrumentError(
            f"{CODE} item {CSSRS_BEHAVIOUR_RECENT_ITEM}: behaviour in the past 3 months is yes, "
            f"but lifetime behaviour (item {CSSRS_BEHAVIOUR_LIFETIME_ITEM}) is no"
        )


def triage(values: tuple[int, ...]) -> str:
    def any_yes(numbers: tuple[int, ...]) -> bool:
        return any(values[number - 1] == CSSRS_YES for number in numbers)

    if any_yes(CSSRS_HIGH_RISK_ITEMS):
        return HIGH
    if any_yes(CSSRS_MODERATE_RISK_ITEMS):
        return MODERATE
    if any_yes(CSSRS_LOW_RISK_ITEMS):
        return LOW
    return NONE


def ideation_severity(values: tuple[int, ...]) -> int:
    endorsed = [number for number in CSSRS_IDEATION_ITEM_NUMBERS if values[number - 1] == CSSRS_YES]
    return max(endorsed, default=0)


def score(answers: Sequence[int], *, sex: str | None = None, limits: None = None) -> Score:
    check_sex(sex)
    resolve_limits(CODE, limits, None)
    values = check_answers(CODE, ITEMS, answers)
    check_skip_logic(values)
    risk = triage(values)
    flags = frozenset({FLAG_HIGH_RISK}) if risk == HIGH else frozenset()
    return Score(CODE, ideation_severity(values), risk, flags, RULE_VERSION, values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="cssrs",
    title="Columbia Suicide Severity Rating Scale – Screener (C-SSRS)",
    items=ITEMS,
    bands=(),
    max_total=CSSRS_MAX_IDEATION_SEVERITY,
    loinc_panel="93373-9",
    loinc_total=None,
    licence=(
        "© Research Foundation for Mental Hygiene (Posner et al.). Question wording not embedded; "
        "electronic use is licensed via Clario. clinical.md §5.1, §5.8 [50]."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
)
