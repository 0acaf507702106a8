"""Dose arithmetic: IV ketamine infusions, dosing weight, esketamine device counts.

Pure standard library. Every dose is a ``Decimal``; a ``float`` is refused (``DoseError``) because a
binary float cannot hold 0.1 mg exactly and a silent conversion would hide where a number came from.
Pass an ``int``, a ``Decimal`` or a numeric string such as ``"70.5"``.

Sources are sections of ``shared/reference/clinical.md`` (§) and its numbered sources ([n]).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# --- IV racemic ketamine (no FDA label for depression; trial and consensus values) -------------------
IV_STANDARD_DOSE_MG_PER_KG = Decimal("0.5")  # conventional RCT dose; clinical.md §1.1 [1][4][5]
IV_STANDARD_DURATION_MIN = 40  # "0.5 mg/kg over 40 minutes"; clinical.md §1.1 [1][4][5]
# Doses up to and including 1.0 mg/kg are accepted; above needs physician_override. "Some protocols go up
# to 1.0 mg/kg" (clinical.md §1.1 [1]); anything beyond 0.75 is [UNSOURCED – common practice], so this is
# a clinic-editable default (a clinic may tighten it to 0.75 through DoseLimits).
IV_MAX_DOSE_MG_PER_KG_WITHOUT_OVERRIDE = Decimal("1.0")
KETALAR_VIAL_STRENGTHS_MG_PER_ML = (Decimal("10"), Decimal("50"), Decimal("100"))  # clinical.md §1.1 [17]

# Rounding of every computed quantity, half up (ROUND_HALF_UP), in this order; see iv_infusion.
DOSE_MG_QUANTUM = Decimal("0.1")
VOLUME_ML_QUANTUM = Decimal("0.01")
RATE_ML_PER_H_QUANTUM = Decimal("0.1")
RATE_MG_PER_KG_PER_H_QUANTUM = Decimal("0.01")
WEIGHT_KG_QUANTUM = Decimal("0.1")
MINUTES_PER_HOUR = 60

# --- Dosing weight (clinical.md §1.1: the basis rule is [UNSOURCED – common practice]; clinic-editable) -
# Devine (1974) ideal body weight, as used in standard pharmacy practice; the formula is [UNSOURCED] in
# clinical.md. IBW = base + 2.3 kg per inch of height over 60 in, continued linearly below 60 in.
DEVINE_MALE_BASE_KG = Decimal("50")
DEVINE_FEMALE_BASE_KG = Decimal("45.5")
DEVINE_KG_PER_INCH = Decimal("2.3")
DEVINE_BASE_HEIGHT_IN = Decimal("60")
CM_PER_INCH = Decimal("2.54")
# Adjusted body weight = IBW + 0.4 × (actual − IBW); [UNSOURCED – common practice], clinic-editable.
ADJUSTED_WEIGHT_FACTOR = Decimal("0.4")

# --- Esketamine (SPRAVATO) nasal spray ----------------------------------------------------------------
ESKETAMINE_DEVICE_MG = 28  # one device = 28 mg (2 sprays); clinical.md §3.3 [20][27]
# US label doses: 56 mg (2 devices, NDC 50458-028-02) or 84 mg (3 devices, 50458-028-03); clinical.md §3.1,
# §3.2, §3.3 [20][22][27]. Non-US labels allow 28 mg for patients ≥65 (§3.1); a clinic adds it explicitly.
ESKETAMINE_US_LABEL_DOSES_MG = (56, 84)


class DoseError(ValueError):
    """A dose input is missing, malformed or outside its limit; the message names the field."""


class WeightBasis(enum.StrEnum):
    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"
    CAPPED = "capped"


class Sex(enum.StrEnum):
    """Sex for the Devine formula, which is defined only for these two values."""

    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class DoseLimits:
    """Clinic-tunable limits; the defaults are the published constants above."""

    max_dose_mg_per_kg_without_override: Decimal = IV_MAX_DOSE_MG_PER_KG_WITHOUT_OVERRIDE


DEFAULT_DOSE_LIMITS = DoseLimits()


@dataclass(frozen=True)
class IvInfusion:
    """A computed IV infusion: the inputs as used, and the rounded results (all ``Decimal``)."""

    weight_kg: Decimal
    dose_mg_per_kg: Decimal
    duration_min: Decimal
    concentration_mg_per_ml: Decimal
    diluent_ml: Decimal
    physician_override: bool
    dose_mg: Decimal
    drug_volume_ml: Decimal
    total_volume_ml: Decimal
    rate_ml_per_h: Decimal
    rate_mg_per_kg_per_h: Decimal


def iv_infusion(
    *,
    weight_kg,
    dose_mg_per_kg,
    duration_min,
    concentration_mg_per_ml,
    diluent_ml=0,
    physician_override: bool = False,
    limits: DoseLimits = DEFAULT_DOSE_LIMITS,
) -> IvInfusion:
    """Compute dose, volumes and pump rates for one IV ketamine infusion.

    Rounding is ROUND_HALF_UP and happens in this order, each step using the previous *rounded* value,
    so the numbers on the label, the pump and the controlled-substance log agree with each other:

    1. ``dose_mg = round(weight_kg × dose_mg_per_kg, 0.1 mg)``
    2. ``drug_volume_ml = round(dose_mg / concentration_mg_per_ml, 0.01 mL)``
    3. ``total_volume_ml = round(drug_volume_ml + diluent_ml, 0.01 mL)``
    4. ``rate_ml_per_h = round(total_volume_ml × 60 / duration_min, 0.1 mL/h)``
    5. ``rate_mg_per_kg_per_h = round(dose_mg_per_kg × 60 / duration_min, 0.01)``, from the prescribed
       mg/kg (not the rounded dose), so it can be compared with the ≤1 mg/kg/h "low dose" line (§1.1 [13]).

    ``weight_kg`` is the dosing weight (see ``weight_for_dosing``). ``concentration_mg_per_ml`` is not
    restricted to the Ketalar vial strengths because a clinic may draw from a pre-diluted syringe.
    Raises ``DoseError`` naming the field for a non-positive weight, duration, concentration or dose, a
    negative diluent, a float, or a dose above the limit without ``physician_override``.
    """
    weight = _positive(weight_kg, "weight_kg")
    per_kg = _positive(dose_mg_per_kg, "dose_mg_per_kg")
    duration = _positive(duration_min, "duration_min")
    concentration = _positive(concentration_mg_per_ml, "concentration_mg_per_ml")
    diluent = _non_negative(diluent_ml, "diluent_ml")
    _check_dose_limit(per_kg, physician_override, limits)

    dose_mg = _round(weight * per_kg, DOSE_MG_QUANTUM)
    drug_volume_ml = _round(dose_mg / concentration, VOLUME_ML_QUANTUM)
    total_volume_ml = _round(drug_volume_ml + diluent, VOLUME_ML_QUANTUM)
    return IvInfusion(
        weight_kg=weight,
        dose_mg_per_kg=per_kg,
        duration_min=duration,
        concentration_mg_per_ml=concentration,
        diluent_ml=diluent,
        physician_override=physician_override,
        dose_mg=dose_mg,
        drug_volume_ml=drug_volume_ml,
        total_volume_ml=total_volume_ml,
        rate_ml_per_h=_round(total_volume_ml * MINUTES_PER_HOUR / duration, RATE_ML_PER_H_QUANTUM),
        rate_mg_per_kg_per_h=_round(per_kg * MINUTES_PER_HOUR / duration, RATE_MG_PER_KG_PER_H_QUANTUM),
    )


def _check_dose_limit(per_kg: Decimal, physician_override: bool, limits: DoseLimits) -> None:
    limit = limits.max_dose_mg_per_kg_without_override
    if per_kg > limit and not physician_override:
        raise DoseError(
            f"dose_mg_per_kg: {per_kg} is above {limit} mg/kg; it needs physician_override"
        )


def ideal_body_weight_kg(height_cm, sex) -> Decimal:
    """Devine ideal body weight in kg (to 0.1 kg, half up) for ``sex`` "male" or "female"."""
    height_in = _positive(height_cm, "height_cm") / CM_PER_INCH
    base_kg = _devine_base_kg(sex)
    return _round(base_kg + DEVINE_KG_PER_INCH * (height_in - DEVINE_BASE_HEIGHT_IN), WEIGHT_KG_QUANTUM)


def weight_for_dosing(weight_kg, height_cm=None, sex=None, basis=WeightBasis.ACTUAL, cap_kg=None) -> Decimal:
    """The weight (kg, to 0.1 kg half up) to multiply by mg/kg, on the clinic's chosen basis.

    - ``actual``: the measured weight (what trials mean by "mg/kg body weight", §1.1 [1]).
    - ``ideal``: Devine IBW; ``adjusted``: IBW + 0.4 × (actual − IBW). Both need ``height_cm`` and ``sex``.
      If the actual weight is at or below IBW, both return the actual weight: these bases exist to lower
      the dose in obesity (§1.1) and must never dose an underweight patient on more than they weigh.
    - ``capped``: the actual weight, but no more than ``cap_kg``.

    Which basis to use is [UNSOURCED – common practice] (§1.1): a clinic-editable protocol setting.
    Store the basis used alongside the result on the infusion record.
    """
    actual = _positive(weight_kg, "weight_kg")
    basis = _parse_basis(basis)
    if basis is WeightBasis.ACTUAL:
        return _round(actual, WEIGHT_KG_QUANTUM)
    if basis is WeightBasis.CAPPED:
        return _round(min(actual, _positive(cap_kg, "cap_kg")), WEIGHT_KG_QUANTUM)
    ibw = ideal_body_weight_kg(height_cm, sex)
    if actual <= ibw:
        return _round(actual, WEIGHT_KG_QUANTUM)
    if basis is WeightBasis.IDEAL:
        return ibw
    return _round(ibw + ADJUSTED_WEIGHT_FACTOR * (actual - ibw), WEIGHT_KG_QUANTUM)


def esketamine_devices(dose_mg, *, allowed_doses_mg=ESKETAMINE_US_LABEL_DOSES_MG) -> int:
    """Number of 28 mg nasal-spray devices for a dose: 56 mg → 2, 84 mg → 3 (§3.3 [20][27])."""
    if isinstance(dose_mg, bool) or not isinstance(dose_mg, int) or dose_mg not in allowed_doses_mg:
        raise DoseError(f"dose_mg: {dose_mg!r} is not one of {tuple(allowed_doses_mg)} mg")
    if dose_mg % ESKETAMINE_DEVICE_MG:
        raise DoseError(f"dose_mg: {dose_mg} is not a whole number of {ESKETAMINE_DEVICE_MG} mg devices")
    return dose_mg // ESKETAMINE_DEVICE_MG


def to_decimal(value, field: str) -> Decimal:
    """Parse an int, Decimal or numeric string into a finite Decimal; refuse floats and bools."""
    if isinstance(value, bool) or isinstance(value, float):
        raise DoseError(
            f"{field}: {value!r} is a {type(value).__name__}; pass an int, a Decimal or a string such as '70.5'"
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        number = _parse_str(value, field)
    else:
        raise DoseError(f"{field}: {value!r} is not a number")
    if not number.is_finite():
        raise DoseError(f"{field}: {value!r} is not a finite number")
    return number


def _parse_str(value: str, field: str) -> Decimal:
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise DoseError(f"{field}: {value!r} is not a number") from None


def _positive(value, field: str) -> Decimal:
    if value is None:
        raise DoseError(f"{field}: required")
    number = to_decimal(value, field)
    if number <= 0:
        raise DoseError(f"{field}: {number} must be greater than 0")
    return number


def _non_negative(value, field: str) -> Decimal:
    number = to_decimal(value, field)
    if number < 0:
        raise DoseError(f"{field}: {number} must not be negative")
    return number


def _devine_base_kg(sex) -> Decimal:
    if sex == Sex.MALE:
        return DEVINE_MALE_BASE_KG
    if sex == Sex.FEMALE:
        return DEVINE_FEMALE_BASE_KG
    raise DoseError(f"sex: {sex!r} must be 'male' or 'female' for the Devine ideal-weight formula")


def _parse_basis(basis) -> WeightBasis:
    try:
        return WeightBasis(basis)
    except ValueError:
        allowed = ", ".join(b.value for b in WeightBasis)
        raise DoseError(f"basis: {basis!r} is not one of {allowed}") from None


def _round(value: Decimal, quantum: Decimal) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)
