"""Hand-worked cost estimates. Money is integer cents: 60_000 is $600.00."""

import random
from decimal import Decimal

import pytest

from ketaclinic.clinical.pricing import (
    ESTIMATE_ONLY_ASSUMPTION,
    IV_INDUCTION_INFUSIONS,
    IV_SELF_PAY_ASSUMPTION,
    LA_IV_INDUCTION_TYPICAL_MAX_CENTS,
    LA_IV_INDUCTION_TYPICAL_MIN_CENTS,
    LA_IV_INFUSION_TYPICAL_MAX_CENTS,
    LA_IV_INFUSION_TYPICAL_MIN_CENTS,
    SAVINGS_MEDICATION_ONLY_ASSUMPTION,
    SAVINGS_ORDER_ASSUMPTION,
    SESSION_LABELS,
    SESSION_TYPES,
    SPRAVATO_CAREPATH_PATIENT_PAYS_PER_TREATMENT_CENTS,
    SPRAVATO_CAREPATH_YEARLY_MAX_BENEFIT_CENTS,
    UNINSURED_ASSUMPTION,
    Course,
    Coverage,
    PriceList,
    estimate,
    format_usd,
    percent_of_cents,
)

IV_600 = PriceList({"iv-infusion": 60_000})
ESK_1000 = PriceList({"esketamine-session": 100_000})


def only_line(result):
    (line,) = result.lines
    return line


def assert_adds_up(result):
    for line in result.lines:
        assert line.insurance_cents + line.patient_cents == line.total_cents, line
        assert line.total_cents == line.unit_price_cents * line.count, line
        assert 0 <= line.savings_cents <= line.patient_cents, line
    assert result.insurance_cents + result.patient_cents == result.total_cents
    assert result.total_cents == sum(line.total_cents for line in result.lines)
    assert result.savings_cents == sum(line.savings_cents for line in result.lines)


# --- constants ------------------------------------------------------------------------------------

def test_session_types_are_stable_kebab_case_strings():
    assert SESSION_TYPES == (
        "consultation", "iv-infusion", "iv-induction-package", "booster", "esketamine-session",
        "psychotherapy-preparation", "psychotherapy-integration", "psychotherapy", "cancellation-fee",
    )
    assert set(SESSION_LABELS) == set(SESSION_TYPES)


def test_la_induction_range_is_six_typical_infusions():
    # clinical.md §0b: $400–$800 per infusion, six infusions $2,400–$4,800.
    assert IV_INDUCTION_INFUSIONS * LA_IV_INFUSION_TYPICAL_MIN_CENTS == LA_IV_INDUCTION_TYPICAL_MIN_CENTS == 240_000
    assert IV_INDUCTION_INFUSIONS * LA_IV_INFUSION_TYPICAL_MAX_CENTS == LA_IV_INDUCTION_TYPICAL_MAX_CENTS == 480_000


def test_carepath_constants_match_clinical_reference():
    # clinical.md §3.9: $10 per treatment, $7,150 per year.
    assert SPRAVATO_CAREPATH_PATIENT_PAYS_PER_TREATMENT_CENTS == 1_000
    assert SPRAVATO_CAREPATH_YEARLY_MAX_BENEFIT_CENTS == 715_000


# --- format_usd and rounding ----------------------------------------------------------------------

@pytest.mark.parametrize("cents, text", [
    (0, "$0.00"), (5, "$0.05"), (99, "$0.99"), (100, "$1.00"), (123_456, "$1,234.56"),
    (100_000_000, "$1,000,000.00"), (-5, "-$0.05"), (-123_456, "-$1,234.56"),
])
def test_format_usd(cents, text):
    assert format_usd(cents) == text


def test_format_usd_rejects_non_integer_cents():
    with pytest.raises(ValueError, match="^cents: "):
        format_usd(1.5)


@pytest.mark.parametrize("cents, pct, expected", [
    (12_345, 20, 2_469),                 # 20% of $123.45 = 2469.0c exactly
    (12_347, 20, 2_469),                 # 2469.4c -> 2469c (below half)
    (12_348, 20, 2_470),                 # 2469.6c -> 2470c (above half)
    (100, Decimal("12.5"), 13),          # 12.5c -> 13c (half rounds up)
    (99, Decimal("12.5"), 12),           # 12.375c -> 12c
    (101, Decimal("12.5"), 13),          # 12.625c -> 13c
    (0, 20, 0),
    (12_345, 100, 12_345),
])
def test_percent_of_cents_rounds_half_up(cents, pct, expected):
    assert percent_of_cents(cents, pct) == expected


# --- self-pay IV ----------------------------------------------------------------------------------

def test_it_prices_a_six_infusion_course_as_self_pay():
    result = estimate(IV_600, {"iv-infusion": 6})
    # 6 × $600.00 = $3,600.00, all paid by the patient.
    line = only_line(result)
    assert (line.session_type, line.count, line.unit_price_cents) == ("iv-infusion", 6, 60_000)
    assert (result.total_cents, result.insurance_cents, result.patient_cents) == (360_000, 0, 360_000)
    assert line.note == "Self-pay: most insurers do not cover IV ketamine for mental health."
    assert result.assumptions == (IV_SELF_PAY_ASSUMPTION, ESTIMATE_ONLY_ASSUMPTION)
    assert_adds_up(result)


def test_it_prices_iv_as_self_pay_even_with_esketamine_coverage():
    prices = PriceList({"iv-infusion": 60_000, "esketamine-session": 100_000})
    result = estimate(prices, {"iv-infusion": 2}, Coverage(coinsurance_pct=20))
    # 2 × $600 self-pay; coverage is for esketamine only.
    assert (result.insurance_cents, result.patient_cents) == (0, 120_000)


def test_it_prices_the_induction_as_a_fixed_price_package():
    prices = PriceList({"iv-infusion": 60_000}, induction_package_price_cents=324_000)
    result = estimate(prices, Course({"iv-infusion": 6}, induction_as_package=True))
    # Six infusions at $600 would be $3,600.00; the package replaces them at $3,240.00.
    line = only_line(result)
    assert (line.session_type, line.count, line.unit_price_cents, line.total_cents) == (
        "iv-induction-package", 1, 324_000, 324_000)
    assert (result.total_cents, result.patient_cents) == (324_000, 324_000)
    assert result.assumptions[0] == "Induction of 6 infusions priced as a package at $3,240.00 instead of $3,600.00."
    assert_adds_up(result)


def test_it_prices_infusions_beyond_the_package_one_by_one():
    prices = PriceList({"iv-infusion": 60_000}, induction_package_price_cents=324_000)
    result = estimate(prices, Course({"iv-infusion": 8}, induction_as_package=True))
    # Package $3,240.00 + 2 × $600.00 = $4,440.00.
    assert [(line.session_type, line.count, line.total_cents) for line in result.lines] == [
        ("iv-induction-package", 1, 324_000), ("iv-infusion", 2, 120_000)]
    assert result.total_cents == 444_000


def test_it_prices_the_package_from_a_discount():
    prices = PriceList({"iv-infusion": 60_000}, induction_package_discount_pct=10)
    result = estimate(prices, Course({"iv-infusion": 6}, induction_as_package=True))
    # 6 × $600 = $3,600.00; 10% off = $360.00; package $3,240.00.
    assert only_line(result).unit_price_cents == 324_000


def test_it_rounds_the_package_discount_half_up():
    prices = PriceList({"iv-infusion": 10_002}, induction_package_discount_pct=Decimal("12.5"))
    # 6 × 10002c = 60012c; 12.5% = 7501.5c -> 7502c off; package 60012 - 7502 = 52510c.
    assert prices.induction_package_cents() == 52_510


def test_a_course_may_list_the_package_itself():
    prices = PriceList({"iv-infusion": 60_000, "booster": 55_000}, induction_package_price_cents=324_000)
    result = estimate(prices, {"iv-induction-package": 1, "booster": 2})
    # $3,240.00 + 2 × $550.00 = $4,340.00
    assert result.total_cents == 434_000
    assert result.assumptions[0] == "Induction of 6 infusions priced as a package at $3,240.00 instead of $3,600.00."


def test_the_package_size_is_clinic_editable():
    prices = PriceList({"iv-infusion": 50_000}, induction_package_discount_pct=0, induction_package_infusions=4)
    result = estimate(prices, Course({"iv-infusion": 5}, induction_as_package=True))
    # Package of 4 × $500 = $2,000.00 (0% off) + 1 × $500 = $2,500.00
    assert [(line.session_type, line.total_cents) for line in result.lines] == [
        ("iv-induction-package", 200_000), ("iv-infusion", 50_000)]


def test_zero_count_sessions_make_no_line():
    prices = PriceList({"iv-infusion": 60_000, "booster": 55_000})
    assert [line.session_type for line in estimate(prices, {"iv-infusion": 1, "booster": 0}).lines] == [
        "iv-infusion"]


def test_other_uncovered_sessions_are_named_in_the_assumptions():
    prices = PriceList({"consultation": 30_000, "psychotherapy-integration": 20_000})
    result = estimate(prices, {"consultation": 1, "psychotherapy-integration": 2})
    # $300 + 2 × $200 = $700.00, all self-pay.
    assert (result.total_cents, result.patient_cents) == (70_000, 70_000)
    assert result.assumptions[0] == (
        "Not covered by insurance in this price list, so priced as self-pay: consultation, integration session.")


# --- covered esketamine ---------------------------------------------------------------------------

def test_without_coverage_covered_types_are_self_pay():
    result = estimate(ESK_1000, {"esketamine-session": 2})
    assert (result.insurance_cents, result.patient_cents) == (0, 200_000)
    assert only_line(result).note == "Self-pay: no insurance coverage given."
    assert result.assumptions == (UNINSURED_ASSUMPTION, ESTIMATE_ONLY_ASSUMPTION)


def test_coverage_with_no_cost_sharing_pays_in_full():
    result = estimate(ESK_1000, {"esketamine-session": 2}, Coverage())
    assert (result.insurance_cents, result.patient_cents) == (200_000, 0)
    assert "Insurance is assumed to pay covered sessions in full." in result.assumptions
    assert "No out-of-pocket maximum was given, so none is applied." in result.assumptions


def test_it_applies_a_partly_met_deductible_first():
    coverage = Coverage(deductible_remaining_cents=150_000, coinsurance_pct=20)
    result = estimate(ESK_1000, {"esketamine-session": 3}, coverage)
    # Session 1: deductible $1,000 (left $500)              -> you $1,000, insurer $0
    # Session 2: deductible $500 + 20% of $500 = $100        -> you $600,   insurer $400
    # Session 3: 20% of $1,000 = $200                        -> you $200,   insurer $800
    # You $1,800.00, insurer $1,200.00, total $3,000.00
    assert (result.total_cents, result.insurance_cents, result.patient_cents) == (300_000, 120_000, 180_000)
    assert "Deductible of $1,500.00 applied first." in result.assumptions
    assert only_line(result).note == "Covered by insurance: deductible first, 20% coinsurance."
    assert_adds_up(result)


def test_a_deductible_larger_than_the_course_is_reported_as_partly_used():
    coverage = Coverage(deductible_remaining_cents=250_000)
    result = estimate(ESK_1000, {"esketamine-session": 2}, coverage)
    # 2 × $1,000 all under the deductible: you $2,000.00, insurer $0.
    assert (result.insurance_cents, result.patient_cents) == (0, 200_000)
    assert "Deductible: $2,000.00 of the $2,500.00 still to meet applied first." in result.assumptions


def test_it_rounds_coinsurance_half_up_per_session():
    prices = PriceList({"esketamine-session": 12_345})
    result = estimate(prices, {"esketamine-session": 1}, Coverage(coinsurance_pct=20))
    # 20% of $123.45 = $24.69; insurer $98.76.
    assert (result.patient_cents, result.insurance_cents) == (2_469, 9_876)


def test_it_rounds_a_half_cent_of_coinsurance_up_on_every_session():
    prices = PriceList({"esketamine-session": 100})
    result = estimate(prices, {"esketamine-session": 3}, Coverage(coinsurance_pct=Decimal("12.5")))
    # Each session: 12.5% of $1.00 = 12.5c -> 13c. Three sessions: 39c (not 12.5% of 300c = 37.5c -> 38c).
    assert (result.patient_cents, result.insurance_cents) == (39, 261)
    assert ("Coinsurance of 12.5% on each covered session after the deductible, "
            "rounded half up to the cent per session.") in result.assumptions
    assert_adds_up(result)


def test_it_rounds_coinsurance_below_half_down():
    prices = PriceList({"esketamine-session": 99})
    result = estimate(prices, {"esketamine-session": 1}, Coverage(coinsurance_pct=Decimal("12.5")))
    # 12.5% of 99c = 12.375c -> 12c
    assert result.patient_cents == 12


def test_it_charges_a_copay_per_session():
    prices = PriceList({"esketamine-session": 50_000})
    result = estimate(prices, {"esketamine-session": 2}, Coverage(copay_per_session_cents=3_000))
    # 2 × $30 copay = $60.00 you; insurer 2 × $470 = $940.00.
    assert (result.patient_cents, result.insurance_cents) == (6_000, 94_000)
    assert only_line(result).note == "Covered by insurance: $30.00 copay per session."
    assert ("Copay of $30.00 per covered session on top of any coinsurance; "
            "your share of a session never exceeds its price.") in result.assumptions


def test_the_copay_adds_to_deductible_and_coinsurance():
    prices = PriceList({"esketamine-session": 10_000})
    coverage = Coverage(deductible_remaining_cents=4_000, coinsurance_pct=20, copay_per_session_cents=1_000)
    result = estimate(prices, {"esketamine-session": 2}, coverage)
    # Session 1: deductible $40 + 20% of $60 = $12 + copay $10 = $62; insurer $38.
    # Session 2: 20% of $100 = $20 + copay $10 = $30; insurer $70.
    # You $92.00, insurer $108.00.
    assert (result.patient_cents, result.insurance_cents) == (9_200, 10_800)


def test_the_share_never_exceeds_the_session_price():
    prices = PriceList({"esketamine-session": 2_000})
    result = estimate(prices, {"esketamine-session": 1}, Coverage(copay_per_session_cents=3_000))
    # Copay $30 on a $20 session: you pay $20, insurer $0.
    assert (result.patient_cents, result.insurance_cents) == (2_000, 0)


def test_manufacturer_savings_stop_at_the_yearly_cap():
    coverage = Coverage(coinsurance_pct=20, savings_per_session_cents=15_000, savings_yearly_cap_cents=40_000)
    result = estimate(ESK_1000, {"esketamine-session": 4}, coverage)
    # Share per session: 20% of $1,000 = $200. Insurer 4 × $800 = $3,200.00.
    # Savings: $150, $150, then $100 (cap $400 reached), then $0 -> $400.00.
    # You pay after savings: $50 + $50 + $100 + $200 = $400.00.
    assert (result.insurance_cents, result.patient_cents) == (320_000, 80_000)
    assert (result.savings_cents, result.patient_after_savings_cents) == (40_000, 40_000)
    line = only_line(result)
    assert (line.savings_cents, line.patient_after_savings_cents) == (40_000, 40_000)
    assert "Manufacturer savings capped at $400.00 per year; $400.00 used in this estimate." in result.assumptions
    assert SAVINGS_ORDER_ASSUMPTION in result.assumptions
    assert SAVINGS_MEDICATION_ONLY_ASSUMPTION in result.assumptions
    assert_adds_up(result)


def test_savings_below_the_cap_use_only_what_is_needed():
    coverage = Coverage(coinsurance_pct=20, savings_per_session_cents=15_000, savings_yearly_cap_cents=40_001)
    result = estimate(ESK_1000, {"esketamine-session": 2}, coverage)
    # 2 × $150 = $300 of a $400.01 cap.
    assert result.savings_cents == 30_000
    assert "Manufacturer savings capped at $400.01 per year; $300.00 used in this estimate." in result.assumptions


def test_savings_do_not_count_toward_the_deductible():
    coverage = Coverage(deductible_remaining_cents=150_000, savings_per_session_cents=50_000)
    result = estimate(ESK_1000, {"esketamine-session": 2}, coverage)
    # Session 1: share $1,000 (deductible left $500); savings $500.
    # Session 2: share $500 (deductible met, no coinsurance); savings $500. The $1,000 saved did not
    # reduce the deductible, so the plan still charged the full $1,500.
    assert (result.patient_cents, result.savings_cents, result.patient_after_savings_cents) == (
        150_000, 100_000, 50_000)


def test_carepath_leaves_ten_dollars_per_treatment():
    coverage = Coverage(
        deductible_remaining_cents=150_000, coinsurance_pct=20, savings_per_session_cents=None,
        savings_patient_floor_cents=SPRAVATO_CAREPATH_PATIENT_PAYS_PER_TREATMENT_CENTS,
        savings_yearly_cap_cents=SPRAVATO_CAREPATH_YEARLY_MAX_BENEFIT_CENTS)
    result = estimate(ESK_1000, {"esketamine-session": 3}, coverage)
    # Shares $1,000, $600, $200 (as in the deductible case) = $1,800.
    # Savings leave $10 each: $990 + $590 + $190 = $1,770.00; you pay 3 × $10 = $30.00.
    assert (result.patient_cents, result.savings_cents, result.patient_after_savings_cents) == (
        180_000, 177_000, 3_000)
    assert "Savings leave you paying the first $10.00 of your share of each esketamine session." in (
        result.assumptions)


def test_savings_never_push_the_share_below_the_floor():
    prices = PriceList({"esketamine-session": 2_000})
    coverage = Coverage(copay_per_session_cents=500, savings_per_session_cents=None, savings_patient_floor_cents=1_000)
    result = estimate(prices, {"esketamine-session": 1}, coverage)
    # Share $5.00 is under the $10.00 floor: no savings.
    assert (result.patient_cents, result.savings_cents) == (500, 0)


def test_savings_apply_only_to_esketamine():
    prices = PriceList({"esketamine-session": 100_000, "psychotherapy": 20_000},
                       covered_types=frozenset({"esketamine-session", "psychotherapy"}))
    coverage = Coverage(coinsurance_pct=50, savings_per_session_cents=10_000)
    result = estimate(prices, {"esketamine-session": 1, "psychotherapy": 1}, coverage)
    # Esketamine share $500, savings $100; psychotherapy share $100, no savings.
    assert [(line.patient_cents, line.savings_cents) for line in result.lines] == [(50_000, 10_000), (10_000, 0)]


def test_no_savings_sentences_without_a_savings_program():
    result = estimate(ESK_1000, {"esketamine-session": 1}, Coverage(coinsurance_pct=20))
    assert not [s for s in result.assumptions if "savings" in s.lower()]


def test_it_stops_charging_when_the_out_of_pocket_maximum_is_reached_mid_course():
    coverage = Coverage(coinsurance_pct=20, oop_max_remaining_cents=50_000)
    result = estimate(ESK_1000, {"esketamine-session": 4}, coverage)
    # Share $200 per session: $200, $200, then $100 (OOP $500 reached at session 3), then $0.
    # You $500.00, insurer $4,000 - $500 = $3,500.00.
    assert (result.patient_cents, result.insurance_cents) == (50_000, 350_000)
    assert ("Out-of-pocket maximum reached at esketamine session 3; later covered sessions cost you $0."
            in result.assumptions)
    assert_adds_up(result)


def test_an_out_of_pocket_maximum_met_exactly_names_that_session():
    coverage = Coverage(coinsurance_pct=20, oop_max_remaining_cents=40_000)
    result = estimate(ESK_1000, {"esketamine-session": 4}, coverage)
    # $200 + $200 = $400 reaches the maximum at session 2; sessions 3–4 cost $0.
    assert result.patient_cents == 40_000
    assert "Out-of-pocket maximum reached at esketamine session 2; later covered sessions cost you $0." in (
        result.assumptions)


def test_an_out_of_pocket_maximum_one_cent_above_the_shares_is_not_reached():
    coverage = Coverage(coinsurance_pct=20, oop_max_remaining_cents=80_001)
    result = estimate(ESK_1000, {"esketamine-session": 4}, coverage)
    # 4 × $200 = $800.00 < $800.01
    assert result.patient_cents == 80_000
    assert not [s for s in result.assumptions if s.startswith("Out-of-pocket")]


def test_an_out_of_pocket_maximum_already_met_makes_covered_sessions_free():
    coverage = Coverage(deductible_remaining_cents=10_000, coinsurance_pct=20, oop_max_remaining_cents=0)
    result = estimate(ESK_1000, {"esketamine-session": 2}, coverage)
    assert (result.patient_cents, result.insurance_cents) == (0, 200_000)
    assert "Out-of-pocket maximum already reached; covered sessions cost you $0." in result.assumptions
    assert not [s for s in result.assumptions if s.startswith("Deductible")]


def test_savings_after_the_out_of_pocket_maximum_are_zero():
    coverage = Coverage(coinsurance_pct=20, oop_max_remaining_cents=30_000, savings_per_session_cents=5_000)
    result = estimate(ESK_1000, {"esketamine-session": 3}, coverage)
    # Shares $200, $100 (OOP reached), $0; savings $50, $50, $0 = $100.
    assert (result.patient_cents, result.savings_cents) == (30_000, 10_000)


def test_a_mixed_course_splits_into_lines_in_course_order():
    prices = PriceList({"consultation": 30_000, "esketamine-session": 100_000,
                        "psychotherapy-integration": 20_000})
    coverage = Coverage(deductible_remaining_cents=50_000, coinsurance_pct=20)
    result = estimate(prices, {"consultation": 1, "esketamine-session": 2, "psychotherapy-integration": 1},
                      coverage)
    # Consultation $300 self-pay. Esketamine: $500 + 20% of $500 = $600, then $200 -> $800 of $2,000.
    # Integration $200 self-pay. Total $2,500.00; you $1,300.00; insurer $1,200.00.
    assert [line.session_type for line in result.lines] == [
        "consultation", "esketamine-session", "psychotherapy-integration"]
    assert (result.total_cents, result.patient_cents, result.insurance_cents) == (250_000, 130_000, 120_000)
    assert_adds_up(result)


def test_totals_always_add_up():
    rng = random.Random(20240601)
    types = ["consultation", "iv-infusion", "booster", "esketamine-session", "psychotherapy"]
    for _ in range(300):
        prices = PriceList({t: rng.randint(0, 150_000) for t in types},
                           induction_package_discount_pct=Decimal(rng.randint(0, 400)) / 4,
                           covered_types=frozenset(rng.sample(types, rng.randint(0, 3))))
        coverage = Coverage(
            deductible_remaining_cents=rng.randint(0, 300_000),
            coinsurance_pct=Decimal(rng.randint(0, 1000)) / 10,
            copay_per_session_cents=rng.randint(0, 5_000),
            savings_per_session_cents=rng.choice([None, 0, rng.randint(0, 50_000)]),
            savings_yearly_cap_cents=rng.choice([None, rng.randint(0, 200_000)]),
            savings_patient_floor_cents=rng.randint(0, 2_000),
            oop_max_remaining_cents=rng.choice([None, rng.randint(0, 400_000)]))
        course = Course({t: rng.randint(0, 9) for t in types} | {"iv-infusion": rng.randint(6, 9)},
                        induction_as_package=rng.random() < 0.5)
        insured = rng.random() < 0.8
        result = estimate(prices, course, coverage if insured else None)
        assert_adds_up(result)
        if insured and coverage.oop_max_remaining_cents is not None:
            covered_share = sum(line.patient_cents for line in result.lines
                                if line.session_type in prices.covered_types)
            assert covered_share <= coverage.oop_max_remaining_cents


# --- rejections name the field --------------------------------------------------------------------

@pytest.mark.parametrize("prices, match", [
    ({"iv-infusion": -1}, r"^prices_cents\['iv-infusion'\]: -1 is negative"),
    ({"iv-infusion": 600.0}, r"^prices_cents\['iv-infusion'\]: 600.0 is not a whole number"),
    ({"iv-infusion": True}, r"^prices_cents\['iv-infusion'\]: True is not a whole number"),
    ({"ketamine-lozenge": 100}, r"^prices_cents\['ketamine-lozenge'\]: unknown session type"),
    ({"iv-induction-package": 100}, r"^prices_cents\['iv-induction-package'\]: set induction_package_price"),
])
def test_it_rejects_bad_prices(prices, match):
    with pytest.raises(ValueError, match=match):
        PriceList(prices)


def test_it_rejects_a_package_price_and_a_discount_together():
    with pytest.raises(ValueError, match="^induction_package_price_cents, induction_package_discount_pct: "):
        PriceList({"iv-infusion": 60_000}, induction_package_price_cents=324_000, induction_package_discount_pct=10)


@pytest.mark.parametrize("kwargs, match", [
    ({"induction_package_price_cents": -1}, "^induction_package_price_cents: -1 is negative"),
    ({"induction_package_discount_pct": 101}, "^induction_package_discount_pct: 101 is outside 0–100"),
    ({"induction_package_discount_pct": -1}, "^induction_package_discount_pct: -1 is outside 0–100"),
    ({"induction_package_discount_pct": 0.1}, "^induction_package_discount_pct: 0.1 must be an int or Decimal"),
    ({"induction_package_infusions": 0}, "^induction_package_infusions: 0 is below 1"),
    ({"covered_types": frozenset({"ivf"})}, r"^covered_types\['ivf'\]: unknown session type"),
    ({"covered_types": "esketamine-session"}, "^covered_types: expected a set of session types"),
])
def test_it_rejects_bad_package_and_coverage_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PriceList({"iv-infusion": 60_000}, **kwargs)


def test_package_discount_edges_are_accepted():
    assert PriceList({"iv-infusion": 60_000}, induction_package_discount_pct=0).induction_package_cents() == 360_000
    assert PriceList({"iv-infusion": 60_000}, induction_package_discount_pct=100).induction_package_cents() == 0


@pytest.mark.parametrize("sessions, match", [
    ({"iv-infusion": -1}, r"^sessions\['iv-infusion'\]: count -1 is negative"),
    ({"iv-infusion": 1.0}, r"^sessions\['iv-infusion'\]: 1.0 is not a whole number"),
    ({"ketamine-lozenge": 1}, r"^sessions\['ketamine-lozenge'\]: unknown session type"),
    ([("iv-infusion", 1)], "^sessions: expected a mapping"),
])
def test_it_rejects_bad_courses(sessions, match):
    with pytest.raises(ValueError, match=match):
        estimate(IV_600, sessions)


def test_it_rejects_a_session_type_without_a_price():
    with pytest.raises(ValueError, match=r"^prices_cents\['booster'\]: missing, and the course has 2"):
        estimate(IV_600, {"booster": 2})


def test_it_rejects_a_package_the_price_list_does_not_offer():
    with pytest.raises(ValueError, match="^induction_package_price_cents: the course asks for an induction package"):
        estimate(IV_600, Course({"iv-infusion": 6}, induction_as_package=True))


def test_it_rejects_a_discounted_package_without_an_infusion_price():
    prices = PriceList({"booster": 55_000}, induction_package_discount_pct=10)
    with pytest.raises(ValueError, match=r"^prices_cents\['iv-infusion'\]: needed to price the induction package"):
        estimate(prices, {"iv-induction-package": 1})


def test_it_rejects_a_package_course_with_too_few_infusions():
    prices = PriceList({"iv-infusion": 60_000}, induction_package_price_cents=324_000)
    with pytest.raises(ValueError, match="^induction_as_package: the course has 5 iv-infusion sessions; "
                                         "the package is 6"):
        estimate(prices, Course({"iv-infusion": 5}, induction_as_package=True))


def test_it_rejects_a_package_listed_twice():
    with pytest.raises(ValueError, match="^induction_as_package: the course already lists iv-induction-package"):
        Course({"iv-infusion": 6, "iv-induction-package": 1}, induction_as_package=True)


@pytest.mark.parametrize("kwargs, match", [
    ({"deductible_remaining_cents": -1}, "^deductible_remaining_cents: -1 is negative"),
    ({"coinsurance_pct": 101}, "^coinsurance_pct: 101 is outside 0–100"),
    ({"coinsurance_pct": Decimal("100.01")}, "^coinsurance_pct: 100.01 is outside 0–100"),
    ({"coinsurance_pct": -1}, "^coinsurance_pct: -1 is outside 0–100"),
    ({"coinsurance_pct": Decimal("NaN")}, "^coinsurance_pct: NaN is outside 0–100"),
    ({"coinsurance_pct": 0.2}, "^coinsurance_pct: 0.2 must be an int or Decimal"),
    ({"copay_per_session_cents": -1}, "^copay_per_session_cents: -1 is negative"),
    ({"savings_per_session_cents": -1}, "^savings_per_session_cents: -1 is negative"),
    ({"savings_yearly_cap_cents": -1}, "^savings_yearly_cap_cents: -1 is negative"),
    ({"savings_patient_floor_cents": -1}, "^savings_patient_floor_cents: -1 is negative"),
    ({"oop_max_remaining_cents": -1}, "^oop_max_remaining_cents: -1 is negative"),
    ({"oop_max_remaining_cents": 10.5}, "^oop_max_remaining_cents: 10.5 is not a whole number"),
])
def test_it_rejects_bad_coverage(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Coverage(**kwargs)


def test_coinsurance_edges_are_accepted():
    assert Coverage(coinsurance_pct=0).coinsurance_pct == 0
    assert Coverage(coinsurance_pct=100).coinsurance_pct == 100


def test_it_rejects_a_wrong_price_list_or_coverage_object():
    with pytest.raises(ValueError, match="^price_list: expected a PriceList"):
        estimate({"iv-infusion": 60_000}, {"iv-infusion": 1})
    with pytest.raises(ValueError, match="^coverage: expected a Coverage"):
        estimate(IV_600, {"iv-infusion": 1}, {"coinsurance_pct": 20})


def test_price_list_is_not_changed_by_later_edits_to_the_callers_dict():
    prices = {"iv-infusion": 60_000}
    price_list = PriceList(prices)
    prices["iv-infusion"] = 1
    assert estimate(price_list, {"iv-infusion": 1}).total_cents == 60_000
