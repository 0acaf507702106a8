"""The estimator in Spanish: every sentence the pure estimator can write has a Spanish version."""

import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ketaclinic.billing import estimator
from ketaclinic.billing.services import estimates, prices
from ketaclinic.clinical import pricing

PRICE_LISTS = [
    pricing.PriceList({"iv-infusion": 60_000, "esketamine-session": 90_000, "consultation": 35_000, "booster": 55_000,
                       "psychotherapy-integration": 40_000}, induction_package_discount_pct=10),
    pricing.PriceList({"iv-infusion": 60_000, "esketamine-session": 90_000}, induction_package_price_cents=300_000),
]
COURSES = [
    pricing.Course({"consultation": 1, "iv-infusion": 6, "booster": 2, "psychotherapy-integration": 2},
                   induction_as_package=True),
    pricing.Course({"iv-induction-package": 2}),
    pricing.Course({"esketamine-session": 12, "consultation": 1}),
]
COVERAGES = [
    None,
    pricing.Coverage(),
    pricing.Coverage(deductible_remaining_cents=100_000, coinsurance_pct=Decimal("20"), copay_per_session_cents=2_500,
                     oop_max_remaining_cents=150_000, savings_per_session_cents=None, savings_patient_floor_cents=1_000,
                     savings_yearly_cap_cents=50_000),
    pricing.Coverage(deductible_remaining_cents=5_000_000, oop_max_remaining_cents=0, savings_per_session_cents=5_000),
    pricing.Coverage(deductible_remaining_cents=40_000, coinsurance_pct=Decimal("12.5")),
]


def all_sentences() -> set[str]:
    found = set()
    for price_list, course, coverage in itertools.product(PRICE_LISTS, COURSES, COVERAGES):
        try:
            result = pricing.estimate(price_list, course, coverage)
        except ValueError:
            continue
        found.update(result.assumptions)
        found.update(line.note for line in result.lines)
    return found | {estimates.MEDICATION_SEPARATE_ASSUMPTION}


def test_the_sample_reaches_every_kind_of_sentence():
    assert len(all_sentences()) >= 25


@pytest.mark.parametrize("sentence", sorted(all_sentences()))
def test_every_estimator_sentence_has_a_spanish_version(sentence):
    assert estimator.is_known(sentence), sentence
    with translation.override("en"):
        assert estimator.say(sentence) == sentence  # English reads exactly as the estimator wrote it
    with translation.override("es"):
        spanish = estimator.say(sentence)
    assert spanish != sentence


def test_an_unknown_sentence_is_shown_as_written():
    with translation.override("es"):
        assert estimator.say("Something new.") == "Something new."


def test_the_public_estimator_speaks_spanish(client, westside, price_list, admin):
    prices.update_billing_profile(westside, data={"publish_prices": True}, acting_user=admin)
    client.cookies["django_language"] = "es"
    page = client.get(reverse("billing:estimate"))
    assert "¿Cuánto costará el tratamiento?" in page.text and 'lang="es"' in page.text
    result = client.post(reverse("billing:estimate"), {"clinic": westside.pk, "route": "iv", "consultations": 1,
                                                       "iv_infusions": 6, "as_package": "on"})
    # 1 consultation 35_000 + the package 324_000 = 359_000
    assert "$3,590.00" in result.text and "Usted pagaría aproximadamente" in result.text
    assert "La mayoría de las aseguradoras no cubren la ketamina intravenosa" in result.text
    assert "paquete de inducción intravenosa" in result.text.lower()


def test_a_bad_amount_is_explained_in_spanish(client, westside, price_list, admin):
    prices.update_billing_profile(westside, data={"publish_prices": True}, acting_user=admin)
    client.cookies["django_language"] = "es"
    response = client.post(reverse("billing:estimate"), {"clinic": westside.pk, "route": "esketamine",
                                                         "esketamine_sessions": 4, "has_insurance": "on",
                                                         "copay_per_session_cents": "12.345"})
    assert response.status_code == 422 and "dos decimales como máximo" in response.text
