"""Tests for ketaclinic.clinical.dosing; every expected value is worked by hand in a comment."""

from decimal import Decimal

import pytest

from ketaclinic.clinical.dosing import (
    KETALAR_VIAL_STRENGTHS_MG_PER_ML,
    DoseError,
    DoseLimits,
    Sex,
    WeightBasis,
    esketamine_devices,
    ideal_body_weight_kg,
    iv_infusion,
    weight_for_dosing,
)

STANDARD = {"weight_kg": 70, "dose_mg_per_kg": "0.5", "duration_min": 40, "concentration_mg_per_ml": 10}


def infusion(**changes):
    return iv_infusion(**{**STANDARD, **changes})


def as_text(result):
    fields = ("dose_mg", "drug_volume_ml", "total_volume_ml", "rate_ml_per_h", "rate_mg_per_kg_per_h")
    return tuple(str(getattr(result, name)) for name in fields)


# --- iv_infusion: the worked example -------------------------------------------------------------------


def test_it_computes_the_standard_infusion():
    # 70 kg × 0.5 mg/kg = 35.0 mg; 35.0 / 10 mg/mL = 3.50 mL; + 96.50 mL = 100.00 mL;
    # 100.00 mL × 60 / 40 min = 150.0 mL/h; 0.5 mg/kg × 60 / 40 min = 0.75 mg/kg/h
    result = infusion(diluent_ml="96.50")
    assert as_text(result) == ("35.0", "3.50", "100.00", "150.0", "0.75")
    assert all(isinstance(value, Decimal) for value in (result.dose_mg, result.rate_ml_per_h))


def test_it_takes_ints_decimals_and_strings_alike():
    from_strings = iv_infusion(
        weight_kg="70", dose_mg_per_kg="0.5", duration_min="40", concentration_mg_per_ml="10", diluent_ml="96.5"
    )
    from_decimals = iv_infusion(
        weight_kg=Decimal(70), dose_mg_per_kg=Decimal("0.5"), duration_min=Decimal(40),
        concentration_mg_per_ml=Decimal(10), diluent_ml=Decimal("96.5"),
    )
    assert as_text(from_strings) == as_text(from_decimals) == ("35.0", "3.50", "100.00", "150.0", "0.75")


def test_it_keeps_the_inputs_on_the_result():
    result = infusion(physician_override=True)
    assert (result.weight_kg, result.dose_mg_per_kg, result.diluent_ml) == (70, Decimal("0.5"), 0)
    assert result.physician_override is True
    with pytest.raises(AttributeError):
        result.dose_mg = Decimal("1")


def test_it_infuses_the_undiluted_drug_when_there_is_no_diluent():
    # 35.0 mg / 50 mg/mL = 0.70 mL; 0.70 × 60 / 40 = 1.05 -> 1.1 mL/h (half up)
    assert as_text(infusion(concentration_mg_per_ml=50)) == ("35.0", "0.70", "0.70", "1.1", "0.75")


# --- iv_infusion: the mg/kg limit ------------------------------------------------------------------------


def test_it_allows_1_0_mg_per_kg_without_override():
    # 70 × 1.0 = 70.0 mg; / 50 = 1.40 mL; × 60 / 40 = 2.10 -> 2.1 mL/h; 1.0 × 60 / 40 = 1.50 mg/kg/h
    result = infusion(dose_mg_per_kg="1.0", concentration_mg_per_ml=50)
    assert as_text(result) == ("70.0", "1.40", "1.40", "2.1", "1.50")


def test_it_refuses_1_01_mg_per_kg_without_override():
    with pytest.raises(DoseError, match="dose_mg_per_kg: 1.01 is above 1.0"):
        infusion(dose_mg_per_kg="1.01")


def test_it_allows_1_01_mg_per_kg_with_a_physician_override():
    # 70 × 1.01 = 70.70 -> 70.7 mg; / 10 = 7.07 mL; × 60 / 40 = 10.605 -> 10.6 mL/h; 1.01 × 1.5 = 1.515 -> 1.52
    result = infusion(dose_mg_per_kg="1.01", physician_override=True)
    assert as_text(result) == ("70.7", "7.07", "7.07", "10.6", "1.52")


def test_it_applies_a_clinic_limit_tighter_than_the_default():
    limits = DoseLimits(max_dose_mg_per_kg_without_override=Decimal("0.75"))
    assert infusion(dose_mg_per_kg="0.75", limits=limits).dose_mg == Decimal("52.5")  # 70 × 0.75
    with pytest.raises(DoseError, match="dose_mg_per_kg"):
        infusion(dose_mg_per_kg="0.76", limits=limits)


# --- iv_infusion: non-positive and malformed inputs ----------------------------------------------------


@pytest.mark.parametrize("field", ["weight_kg", "dose_mg_per_kg", "duration_min", "concentration_mg_per_ml"])
@pytest.mark.parametrize("value", [0, -1, "-0.01", "0.00"])
def test_it_refuses_a_value_that_is_not_positive(field, value):
    with pytest.raises(DoseError, match=f"{field}: .* must be greater than 0"):
        infusion(**{field: value})


@pytest.mark.parametrize("field", ["weight_kg", "duration_min", "concentration_mg_per_ml"])
def test_it_accepts_the_smallest_positive_value(field):
    assert getattr(infusion(**{field: "0.01"}), field) == Decimal("0.01")


def test_it_refuses_a_negative_diluent_and_accepts_zero():
    with pytest.raises(DoseError, match="diluent_ml: -0.01 must not be negative"):
        infusion(diluent_ml="-0.01")
    assert infusion(diluent_ml=0).total_volume_ml == Decimal("3.50")


@pytest.mark.parametrize(
    "field", ["weight_kg", "dose_mg_per_kg", "duration_min", "concentration_mg_per_ml", "diluent_ml"]
)
def test_it_refuses_floats_naming_the_field(field):
    with pytest.raises(DoseError, match=f"{field}: .* is a float"):
        infusion(**{field: 0.5})


@pytest.mark.parametrize("value", ["seventy", "", "NaN", "Infinity", True, None, [70]])
def test_it_refuses_values_that_are_not_finite_numbers(value):
    with pytest.raises(DoseError, match="weight_kg"):
        infusion(weight_kg=value)


def test_a_dose_error_is_a_value_error():
    assert issubclass(DoseError, ValueError)


# --- iv_infusion: rounding half up, in order -----------------------------------------------------------


def test_it_rounds_the_dose_half_up_at_0_05_mg():
    # 70.5 × 0.5 = 35.25 -> 35.3 mg (half-even would give 35.2); 70.49 × 0.5 = 35.245 -> 35.2 mg
    assert infusion(weight_kg="70.5").dose_mg == Decimal("35.3")
    assert infusion(weight_kg="70.49").dose_mg == Decimal("35.2")


def test_it_rounds_the_drug_volume_half_up_at_0_005_ml():
    # 69 × 0.5 = 34.5 mg; / 100 = 0.345 -> 0.35 mL (half-even 0.34)
    # 68.8 × 0.5 = 34.4 mg; / 100 = 0.344 -> 0.34 mL (the dose is rounded to 0.1 mg first, so at
    # 100 mg/mL the volume moves in 0.001 mL steps and 0.344 is the step just below the boundary)
    assert infusion(weight_kg=69, concentration_mg_per_ml=100).drug_volume_ml == Decimal("0.35")
    assert infusion(weight_kg="68.8", concentration_mg_per_ml=100).drug_volume_ml == Decimal("0.34")


def test_it_computes_the_volume_from_the_rounded_dose():
    # 40.9 × 0.5 = 20.45 -> 20.5 mg; 20.5 / 100 = 0.205 -> 0.21 mL
    # (from the unrounded dose it would be 0.2045 -> 0.20 mL; the label and the syringe must agree)
    result = infusion(weight_kg="40.9", concentration_mg_per_ml=100)
    assert (result.dose_mg, result.drug_volume_ml) == (Decimal("20.5"), Decimal("0.21"))


def test_it_rounds_the_pump_rate_half_up_at_0_05_ml_per_h():
    # 35.0 mg / 10 = 3.50 mL; + 46.75 = 50.25 mL; × 60 / 60 min = 50.25 -> 50.3 mL/h (half-even 50.2)
    # + 46.74 = 50.24 mL -> 50.2 mL/h
    assert infusion(diluent_ml="46.75", duration_min=60).rate_ml_per_h == Decimal("50.3")
    assert infusion(diluent_ml="46.74", duration_min=60).rate_ml_per_h == Decimal("50.2")


def test_it_computes_the_pump_rate_from_the_rounded_total_volume():
    # 3.50 + 96.505 = 100.005 -> 100.01 mL; × 60 / 40 = 150.015 -> 150.0 mL/h
    result = infusion(diluent_ml="96.505")
    assert (result.total_volume_ml, result.rate_ml_per_h) == (Decimal("100.01"), Decimal("150.0"))


def test_it_rounds_the_mg_per_kg_per_hour_half_up_at_0_005():
    # 0.35 × 60 / 40 = 0.525 -> 0.53 (half-even 0.52); 0.349 × 60 / 40 = 0.5235 -> 0.52
    assert infusion(dose_mg_per_kg="0.35").rate_mg_per_kg_per_h == Decimal("0.53")
    assert infusion(dose_mg_per_kg="0.349").rate_mg_per_kg_per_h == Decimal("0.52")


def test_it_takes_the_mg_per_kg_per_hour_from_the_prescription_not_the_rounded_dose():
    # 3 kg × 0.35 = 1.05 -> 1.1 mg; prescribed 0.35 × 60 / 40 = 0.525 -> 0.53
    # (from the rounded dose: 1.1 / 3 × 1.5 = 0.55)
    assert infusion(weight_kg=3, dose_mg_per_kg="0.35").rate_mg_per_kg_per_h == Decimal("0.53")


# --- weight_for_dosing ---------------------------------------------------------------------------------


def test_it_computes_devine_ideal_weight():
    # male 180 cm = 70.866 in; 50 + 2.3 × 10.866 = 74.992 -> 75.0 kg
    # female 165 cm = 64.961 in; 45.5 + 2.3 × 4.961 = 56.909 -> 56.9 kg
    # male 152.4 cm = 60 in exactly -> 50.0; male 147.32 cm = 58 in -> 50 − 4.6 = 45.4 kg
    assert ideal_body_weight_kg(180, "male") == Decimal("75.0")
    assert ideal_body_weight_kg(165, Sex.FEMALE) == Decimal("56.9")
    assert ideal_body_weight_kg("152.4", "male") == Decimal("50.0")
    assert ideal_body_weight_kg("147.32", "male") == Decimal("45.4")


def test_it_doses_on_actual_weight_by_default():
    assert weight_for_dosing(120) == Decimal("120.0")
    assert weight_for_dosing("70.25", basis="actual") == Decimal("70.3")  # half up to 0.1 kg


def test_it_doses_on_ideal_weight():
    # 120 kg male 180 cm: IBW 75.0 kg
    assert weight_for_dosing(120, 180, "male", "ideal") == Decimal("75.0")


def test_it_doses_on_adjusted_weight():
    # 75.0 + 0.4 × (120 − 75.0) = 75.0 + 18.0 = 93.0
    # 75.0 + 0.4 × (100.625 − 75.0) = 75.0 + 10.25 = 85.25 -> 85.3 (half up)
    assert weight_for_dosing(120, 180, "male", WeightBasis.ADJUSTED) == Decimal("93.0")
    assert weight_for_dosing("100.625", 180, "male", "adjusted") == Decimal("85.3")


@pytest.mark.parametrize("basis", ["ideal", "adjusted"])
def test_it_never_doses_above_actual_weight_at_or_below_ideal_weight(basis):
    # IBW 75.0 kg: 60 kg stays 60.0; 75 kg stays 75.0; 75.1 kg is above IBW -> ideal 75.0 / adjusted 75.04 -> 75.0
    assert weight_for_dosing(60, 180, "male", basis) == Decimal("60.0")
    assert weight_for_dosing(75, 180, "male", basis) == Decimal("75.0")
    assert weight_for_dosing("75.1", 180, "male", basis) == Decimal("75.0")


def test_it_caps_the_weight():
    assert weight_for_dosing(120, basis="capped", cap_kg=100) == Decimal("100.0")
    assert weight_for_dosing(100, basis="capped", cap_kg=100) == Decimal("100.0")
    assert weight_for_dosing(90, basis="capped", cap_kg="100") == Decimal("90.0")


@pytest.mark.parametrize(
    "args, kwargs, field",
    [
        ((120,), {"basis": "capped"}, "cap_kg"),
        ((120,), {"basis": "capped", "cap_kg": 0}, "cap_kg"),
        ((120, None, "male", "ideal"), {}, "height_cm"),
        ((120, 0, "male", "ideal"), {}, "height_cm"),
        ((120, 180, "other", "adjusted"), {}, "sex"),
        ((120, 180, None, "ideal"), {}, "sex"),
        ((120, 180, "male", "lean"), {}, "basis"),
        ((120.0,), {}, "weight_kg"),
        ((0,), {}, "weight_kg"),
    ],
)
def test_it_rejects_bad_weight_inputs_naming_them(args, kwargs, field):
    with pytest.raises(DoseError, match=field):
        weight_for_dosing(*args, **kwargs)


# --- esketamine devices and vials ----------------------------------------------------------------------


def test_it_counts_28_mg_esketamine_devices():
    assert esketamine_devices(56) == 2  # 56 / 28
    assert esketamine_devices(84) == 3  # 84 / 28


@pytest.mark.parametrize("dose_mg", [28, 0, 70, 112, 56.0, "56", Decimal(56), True])
def test_it_refuses_an_esketamine_dose_off_the_label(dose_mg):
    with pytest.raises(DoseError, match="dose_mg"):
        esketamine_devices(dose_mg)


def test_it_counts_a_28_mg_dose_when_the_clinic_allows_it():
    assert esketamine_devices(28, allowed_doses_mg=(28, 56, 84)) == 1


def test_it_refuses_an_allowed_dose_that_is_not_whole_devices():
    with pytest.raises(DoseError, match="dose_mg: 30 is not a whole number"):
        esketamine_devices(30, allowed_doses_mg=(30,))


def test_it_lists_the_ketalar_vial_strengths():
    assert KETALAR_VIAL_STRENGTHS_MG_PER_ML == (Decimal(10), Decimal(50), Decimal(100))
