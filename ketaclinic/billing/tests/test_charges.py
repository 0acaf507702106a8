"""Charges from completed visits (once per visit) and by hand."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.billing.models import Charge, InsurancePlan, VisitCharging
from ketaclinic.billing.services import charges, insurance, prior_auth
from ketaclinic.billing.tests.factories import make_visit


def lines(visit_charges):
    return [(c.code, c.units, c.amount_cents) for c in visit_charges]


def test_an_iv_visit_becomes_infusion_and_drug_lines(patient, price_list, bob):
    visit = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob)
    made = charges.create_charges_for_visit(visit, acting_user=bob)
    # $600 infusion: $50 shown on the drug line (J3490), $550 on the first-hour line (96365); 40 min: no 96366.
    assert lines(made) == [("96365", 1, 55_000), ("J3490", 1, 5_000)]
    assert made[0].service_date == dt.date(2026, 3, 16) and made[0].visit == visit
    assert made[1].description == "Ketamine HCl 35 mg"


def test_a_long_infusion_adds_hours_past_ninety_minutes(patient, price_list, bob):
    # 91 minutes: 31 past the first hour, more than 30 → one added hour (CPT time rule, clinical.md §7.2)
    visit = make_visit(patient, "iv-ketamine", dose_mg="35", minutes=91, user=bob)
    assert ("96366", 1, 0) in lines(charges.create_charges_for_visit(visit, acting_user=bob))


def test_charging_a_visit_twice_makes_nothing_new(patient, price_list, bob, biller):
    visit = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob)
    first = charges.create_charges_for_visit(visit, acting_user=bob)
    again = charges.create_charges_for_visit(visit, acting_user=biller)
    assert [c.pk for c in again] == [c.pk for c in first]
    assert Charge.objects.filter(visit=visit).count() == 2
    assert VisitCharging.objects.filter(visit=visit).count() == 1


def test_the_discharge_hook_charges_the_visit_once(patient, price_list, bob):
    from ketaclinic.visits.hooks import fire_discharged

    visit = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob)
    fire_discharged(visit.pk)
    fire_discharged(visit.pk)
    assert Charge.objects.filter(visit=visit).count() == 2


def test_without_a_price_list_nothing_is_saved_and_the_visit_waits(patient, bob, westside):
    visit = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob)
    with pytest.raises(ValidationError, match="no price list"):
        charges.create_charges_for_visit(visit, acting_user=bob)
    assert not VisitCharging.objects.exists() and not Charge.objects.exists()
    assert list(charges.visits_not_charged(westside.pk)) == [visit]


def test_an_open_visit_is_not_charged(patient, price_list, bob):
    visit = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob)
    visit.status = "observation"
    with pytest.raises(ValidationError, match="discharged"):
        charges.create_charges_for_visit(visit, acting_user=bob)


def test_a_package_spreads_its_price_over_its_infusions(patient, price_list, bob, biller):
    charges.sell_package(patient, purchased_on=dt.date(2026, 3, 2), acting_user=biller)
    made = []
    for days in range(6):
        visit = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob,
                           discharged_at=dt.datetime(2026, 3, 3 + 2 * days, 20, tzinfo=dt.timezone.utc))
        made += charges.create_charges_for_visit(visit, acting_user=bob)
    # 324_000 / 6 = 54_000 each: 49_000 on 96365 and 5_000 on J3490
    assert sum(c.amount_cents for c in made) == 324_000
    assert {c.amount_cents for c in made if c.code == "96365"} == {49_000}
    assert patient.package_purchases.get().status == "used"
    seventh = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob,
                         discharged_at=dt.datetime(2026, 3, 16, 20, tzinfo=dt.timezone.utc))
    after = charges.create_charges_for_visit(seventh, acting_user=bob)
    assert after[0].session_type == "booster" and sum(c.amount_cents for c in after) == 55_000  # booster price


def test_an_esketamine_visit_up_to_56_mg_is_g2082(patient, price_list, bob):
    visit = make_visit(patient, "esketamine", dose_mg="56", user=bob)
    # Self-pay with a per-mg drug price: the visit code and J0013 × 56 at $15 = $840.
    assert lines(charges.create_charges_for_visit(visit, acting_user=bob)) == [("G2082", 1, 90_000), ("J0013", 56, 84_000)]


def test_more_than_56_mg_is_g2083(patient, price_list, bob):
    visit = make_visit(patient, "esketamine", dose_mg="84", user=bob)
    assert lines(charges.create_charges_for_visit(visit, acting_user=bob))[0] == ("G2083", 1, 90_000)


def test_before_2026_the_drug_code_is_s0013(patient, price_list, bob, admin, westside):
    from ketaclinic.billing.services import prices
    from ketaclinic.billing.tests.factories import PRICES

    prices.create_price_list(westside, data={**PRICES, "effective_from": dt.date(2025, 6, 1)}, acting_user=admin)
    visit = make_visit(patient, "esketamine", dose_mg="56", user=bob,
                       discharged_at=dt.datetime(2025, 12, 31, 20, tzinfo=dt.timezone.utc))
    assert [c.code for c in charges.create_charges_for_visit(visit, acting_user=bob)] == ["G2082", "S0013"]


def test_the_pharmacy_benefit_bills_the_visit_only(patient, price_list, bob, biller, covered):
    InsurancePlan.objects.filter(pk=covered.plan_id).update(esketamine_billing="pharmacy_benefit")
    visit = make_visit(patient, "esketamine", dose_mg="56", user=bob)
    assert [c.code for c in charges.create_charges_for_visit(visit, acting_user=bob)] == ["G2082"]


def test_a_kx_plan_gets_the_modifier_and_an_approved_authorisation_is_linked(patient, price_list, bob, biller, covered):
    InsurancePlan.objects.filter(pk=covered.plan_id).update(requires_kx_modifier=True)
    insurance.set_diagnoses(patient, codes_list=["F33.2"], acting_user=biller)
    pa = prior_auth.start_prior_authorization(covered, data={"units_requested": 8, "requested_on": dt.date(2026, 3, 1)},
                                              acting_user=biller)
    prior_auth.submit_prior_authorization(pa, submitted_on=dt.date(2026, 3, 2), acting_user=biller)
    pa = prior_auth.record_approval(pa, decided_on=dt.date(2026, 3, 5), units_approved=8, valid_from=dt.date(2026, 3, 5),
                                    valid_to=dt.date(2026, 6, 5), payer_reference="AUTH-1", acting_user=biller)
    visit = make_visit(patient, "esketamine", dose_mg="56", user=bob)
    g_code = charges.create_charges_for_visit(visit, acting_user=bob)[0]
    assert (g_code.modifiers, g_code.prior_authorization, g_code.diagnosis_codes) == ("KX", pa, ["F33.2"])
    assert prior_auth.units_left(pa) == 7


def test_each_charge_from_a_visit_is_audited(patient, price_list, bob):
    visit = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob)
    made = charges.create_charges_for_visit(visit, acting_user=bob)
    assert AuditEvent.objects.filter(object_type="charge", action="create").count() == len(made)


# --- by hand ---------------------------------------------------------------------------------------

def test_a_charge_by_hand_takes_the_price_lists_price(patient, price_list, biller, alice):
    charge = charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2),
                                                  "rendering_provider": alice}, acting_user=biller)
    assert (charge.amount_cents, charge.description, charge.session_type) == (35_000, "Psychiatric evaluation by a prescriber",
                                                                            "consultation")


def test_a_cancellation_fee_is_not_claimable(patient, price_list, biller):
    charge = charges.create_charge(patient, data={"code": "CANCEL", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    assert (charge.amount_cents, charge.claimable) == (10_000, False)


@pytest.mark.parametrize("data, field", [
    ({"code": "J3000"}, "code"),  # streptomycin, not ketamine (clinical.md §7.2): not on the clinic's list
    ({"service_date": dt.date(2026, 3, 17)}, "service_date"),
    ({"units": 0}, "units"),
    ({"modifiers": "KX 59 25 GT 95"}, "modifiers"),
    ({"diagnosis_codes": ["TRD"]}, "diagnosis_codes"),
    ({"code": "90785"}, "unit_price_cents"),  # no price for it in the price list
])
def test_bad_charges_name_the_field(patient, price_list, biller, data, field):
    with pytest.raises(ValidationError) as error:
        charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2), **data},
                              acting_user=biller)
    assert field in error.value.message_dict
    assert not Charge.objects.exists()


def test_a_rendering_provider_from_another_clinic_is_refused(patient, price_list, biller, charlie):
    with pytest.raises(ValidationError, match="works at this clinic"):
        charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2),
                                             "rendering_provider": charlie}, acting_user=biller)


def test_voiding_needs_a_reason_and_is_refused_once_invoiced(patient, price_list, biller):
    from ketaclinic.billing.services import account

    charge = charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    with pytest.raises(ValidationError, match="Say why"):
        charges.void_charge(charge, reason=" ", acting_user=biller)
    account.create_invoice(patient, charge_ids=[charge.pk], acting_user=biller)
    with pytest.raises(ValidationError, match="on an invoice"):
        charges.void_charge(charge, reason="wrong code", acting_user=biller)
    other = charges.create_charge(patient, data={"code": "CANCEL", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    assert charges.void_charge(other, reason="waived", acting_user=biller).status == "void"
