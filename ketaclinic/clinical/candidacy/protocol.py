"""The clinic's candidacy protocol: the default thresholds and the frozen object that carries them.

Sources are sections of ``shared/reference/clinical.md`` (§) and its numbered sources ([n]).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

# Bump whenever a rule, a threshold or a reason text changes meaning, so a stored evaluation stays
# explainable after the rules move on (STYLE §9).
RULES_VERSION = "candidacy-2026.1"

# Adults only. SPRAVATO is indicated "in adults" (clinical.md §3 [20]); for off-label IV ketamine the
# age floor is [UNSOURCED – common practice], a clinic-editable default. Boundary: age < 18 excluded.
MIN_AGE_YEARS = 18

# An adequate antidepressant trial lasts ≥ 6 weeks at an adequate dose: clinical.md §4.1 [36] ("minimum
# 4–6 weeks; many guidelines ≥ 6"). Boundary: weeks ≥ 6 is adequate.
MIN_ADEQUATE_TRIAL_WEEKS = 6

# Treatment-resistant = failure of ≥ 2 adequate antidepressant trials: clinical.md §4.1 [36][37], and the
# SPRAVATO label's "≥ 2 oral antidepressants" [20]. Boundary: count ≥ 2 is treatment-resistant.
MIN_FAILED_TRIALS_FOR_TRD = 2

# Screening-BP hold: systolic ≥ 160 or diastolic ≥ 100 counts as uncontrolled hypertension.
# clinical.md §1.6 suggested pre-dose hold, [UNSOURCED – common practice]; clinic-editable default.
BP_HOLD_SYSTOLIC_MMHG = 160
BP_HOLD_DIASTOLIC_MMHG = 100

# Screening-BP caution: systolic > 140 or diastolic > 90 (strictly above), below the hold.
# SPRAVATO label "baseline BP > 140/90: weigh the risk" (clinical.md §3.4 [20], §1.6 [20]).
BP_CAUTION_SYSTOLIC_MMHG = 140
BP_CAUTION_DIASTOLIC_MMHG = 90


@dataclass(frozen=True)
class CandidacyProtocol:
    """Thresholds a clinic may tighten, never loosen; the defaults are the sourced constants above."""

    min_age_years: int = MIN_AGE_YEARS
    min_trial_weeks: int = MIN_ADEQUATE_TRIAL_WEEKS
    min_failed_trials: int = MIN_FAILED_TRIALS_FOR_TRD
    bp_hold_systolic_mmhg: int = BP_HOLD_SYSTOLIC_MMHG
    bp_hold_diastolic_mmhg: int = BP_HOLD_DIASTOLIC_MMHG
    bp_caution_systolic_mmhg: int = BP_CAUTION_SYSTOLIC_MMHG
    bp_caution_diastolic_mmhg: int = BP_CAUTION_DIASTOLIC_MMHG

    def __post_init__(self) -> None:
        for field in fields(self):
            _check_tightened(field.name, getattr(self, field.name))
        for kind in ("systolic", "diastolic"):
            caution, hold = f"bp_caution_{kind}_mmhg", f"bp_hold_{kind}_mmhg"
            caution_mmhg, hold_mmhg = getattr(self, caution), getattr(self, hold)
            if caution_mmhg >= hold_mmhg:
                raise ValueError(f"{caution}: {caution_mmhg} must be below {hold} {hold_mmhg}")

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


# Raising these makes the protocol stricter; lowering them would loosen it.
_FLOORS = {
    "min_age_years": MIN_AGE_YEARS,
    "min_trial_weeks": MIN_ADEQUATE_TRIAL_WEEKS,
    "min_failed_trials": MIN_FAILED_TRIALS_FOR_TRD,
}
# Lowering these makes the protocol stricter; raising them would loosen it.
_CEILINGS = {
    "bp_hold_systolic_mmhg": BP_HOLD_SYSTOLIC_MMHG,
    "bp_hold_diastolic_mmhg": BP_HOLD_DIASTOLIC_MMHG,
    "bp_caution_systolic_mmhg": BP_CAUTION_SYSTOLIC_MMHG,
    "bp_caution_diastolic_mmhg": BP_CAUTION_DIASTOLIC_MMHG,
}


def _check_tightened(name: str, value: int) -> None:
    if type(value) is not int or value <= 0:
        raise ValueError(f"{name}: {value!r} must be a positive whole number")
    if name in _FLOORS and value < _FLOORS[name]:
        raise ValueError(f"{name}: {value} is below the default {_FLOORS[name]}; a clinic may only tighten")
    if name in _CEILINGS and value > _CEILINGS[name]:
        raise ValueError(f"{name}: {value} is above the default {_CEILINGS[name]}; a clinic may only tighten")


DEFAULT_PROTOCOL = CandidacyProtocol()
