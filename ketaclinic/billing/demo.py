"""Demo step (order 60): price lists, payers, a self-pay IV course and an insured esketamine course.

Runs after the session-day step (50), so the demo's completed visits exist and are charged here, through
the same service as a real discharge. Everything goes through the services. Idempotent: each part is
found by a natural key (price list day, payer name, member id, a patient's first charge) before it is made.

Payer names are made up ("Demo") so nobody mistakes them for a real insurer's terms.
"""

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from ketaclinic.billing.models import Charge, Coverage, Payer, PriceList
from ketaclinic.billing.services import account, charges, insurance, payment_plans, prices, prior_auth, statements
from ketaclinic.clinical.pricing import percent_of_cents

# Westside's prices. IV infusion and induction sit inside the typical LA ranges (clinical.md §0b, §7.4 [61]);
# consultation and KAP sessions inside the KAP ranges of §7.4 [61]. The esketamine visit fee is near the 2026
# Medicare national rate for G2082 (≈ $906.51, §7.1 [56]). The per-mg drug price is a demo placeholder:
# the WAC price is unsourced (§3.9) — a clinic enters its own.
WESTSIDE_PRICES = dict(
    consultation_cents=35_000, iv_infusion_cents=60_000, induction_package_discount_pct=Decimal("10"),
    booster_cents=55_000, esketamine_session_cents=90_000, esketamine_drug_per_mg_cents=1_500,
    iv_drug_charge_cents=5_000, psychotherapy_preparation_cents=40_000, psychotherapy_integration_cents=40_000,
    psychotherapy_cents=25_000, cancellation_fee_cents=10_000,
)
WESTSIDE_OLD_PRICES = {**WESTSIDE_PRICES, "iv_infusion_cents": 55_000, "booster_cents": 50_000}
PASADENA_PRICES = dict(
    consultation_cents=30_000, iv_infusion_cents=50_000, induction_package_price_cents=270_000, booster_cents=45_000,
    psychotherapy_cents=22_500, cancellation_fee_cents=7_500,
)
FINANCING = ("Interest-free payment plans over 3 to 6 months from the clinic. Medical credit cards and HSA/FSA cards "
             "are accepted.")


def _today(clinic) -> dt.date:
    return timezone.localtime(timezone.now(), clinic.tz).date()


def _price_list(clinic, effective_from, data, user, note) -> None:
    if not PriceList.objects.filter(clinic=clinic, effective_from=effective_from).exists():
        prices.create_price_list(clinic, data={**data, "effective_from": effective_from, "note": note}, acting_user=user)


def _prices(ws, pa, users) -> None:
    today = _today(ws)
    admin = users["admin.westside"]
    _price_list(ws, today - dt.timedelta(days=400), WESTSIDE_OLD_PRICES, admin, "Opening prices")
    _price_list(ws, today - dt.timedelta(days=120), WESTSIDE_PRICES, admin, "Infusion and booster up $50")
    _price_list(pa, today - dt.timedelta(days=200), PASADENA_PRICES, users["dr.patel"], "Opening prices")
    prices.update_billing_profile(ws, data={"publish_prices": True, "financing_options": FINANCING}, acting_user=admin)
    prices.update_billing_profile(pa, data={"publish_prices": True, "financing_options": FINANCING},
                                  acting_user=users["dr.patel"])


def _payers(ws, user) -> dict:
    specs = [
        ("Pacific Demo Health", True, "PPO Gold", "commercial", "buy_and_bill", False),
        ("Sunrise Demo Medicare Advantage", True, "HMO Silver", "medicare_advantage", "visit_includes_drug", True),
        ("Golden State Demo Insurance", False, "EPO Bronze", "commercial", "pharmacy_benefit", False),
    ]
    plans = {}
    for name, in_network, plan_name, plan_type, esk_billing, kx in specs:
        payer = Payer.objects.filter(clinic=ws, name=name).first() or insurance.create_payer(
            ws, data={"name": name, "esketamine_in_network": in_network, "phone": "+1 800 555 0100",
                      "payer_code": f"DEMO{len(plans) + 1:02d}"}, acting_user=user)
        plans[name] = payer.plans.filter(name=plan_name).first() or insurance.create_plan(
            payer, data={"name": plan_name, "plan_type": plan_type, "esketamine_billing": esk_billing,
                         "requires_kx_modifier": kx}, acting_user=user)
    return plans


def _charge_completed_visits(clinic, user, patient=None) -> None:
    try:
        apps.get_model("visits", "Visit")
    except LookupError:
        return
    visits = charges.visits_not_charged(clinic.pk)
    for visit in visits.filter(patient=patient) if patient is not None else visits:
        charges.create_charges_for_visit(visit, acting_user=user)


def _self_pay_iv(patient, clinic, users) -> None:
    """Consultation, the induction bought as a package, infusions charged as they happen, paid in part by
    card and HSA, the rest on a payment plan."""
    biller, doctor = users["billing.nguyen"], users["dr.reyes"]
    today = _today(clinic)
    insurance.set_diagnoses(patient, codes_list=["F33.2"], acting_user=biller)
    charges.create_charge(patient, data={"code": "90792", "service_date": today - dt.timedelta(days=21),
                                         "rendering_provider": doctor}, acting_user=biller)
    charges.sell_package(patient, purchased_on=today - dt.timedelta(days=14), acting_user=biller)
    _charge_completed_visits(clinic, biller, patient)
    if not Charge.objects.filter(patient=patient, code="96365").exists():  # no visit history: charge by hand
        charges.create_charge(patient, data={"code": "96365", "service_date": today - dt.timedelta(days=7),
                                             "rendering_provider": doctor}, acting_user=biller)
    ids = list(account.uninvoiced_charges(patient).values_list("pk", flat=True))
    invoice = account.create_invoice(patient, charge_ids=ids, issued_on=today - dt.timedelta(days=6), acting_user=biller)
    account.record_payment(patient, data={"amount_cents": 30_000, "method": "card", "reference": "Visa ending 4242",
                                          "invoice": invoice, "received_on": today - dt.timedelta(days=6)}, acting_user=biller)
    account.record_payment(patient, data={"amount_cents": 20_000, "method": "hsa_fsa", "invoice": invoice,
                                          "received_on": today - dt.timedelta(days=5)}, acting_user=biller)
    left = account.invoice_totals(invoice).balance_cents
    if left > 0:
        payment_plans.create_payment_plan(patient, total_cents=left, count=3, first_due_on=today + dt.timedelta(days=7),
                                          frequency="monthly", invoice=invoice, acting_user=biller)
    statements.create_statement(patient, period_start=today.replace(day=1) - dt.timedelta(days=31), period_end=today,
                                acting_user=biller)


def _approved_prior_auth(coverage, today, biller) -> None:
    pa = prior_auth.start_prior_authorization(coverage, data={"units_requested": 24, "unit_code": "G2082",
                                                                    "requested_on": today - dt.timedelta(days=48)},
                                              acting_user=biller)
    prior_auth.submit_prior_authorization(pa, submitted_on=today - dt.timedelta(days=45), acting_user=biller)
    prior_auth.record_approval(pa, decided_on=today - dt.timedelta(days=38), units_approved=24,
                               valid_from=today - dt.timedelta(days=35), valid_to=today + dt.timedelta(days=150),
                               payer_reference="PA-DEMO-77812", acting_user=biller)


def _insured_esketamine(patient, clinic, plan, users) -> None:
    """Coverage, a benefits check, an approved prior authorisation, CarePath, sessions charged and paid by the
    payer, the savings programme and the patient, with the contractual write-off."""
    biller, doctor = users["billing.nguyen"], users["dr.reyes"]
    today = _today(clinic)
    insurance.set_diagnoses(patient, codes_list=["F33.2", "F41.1"], acting_user=biller)
    coverage = insurance.add_coverage(patient, data={
        "plan": plan, "member_id": f"PDH{patient.mrn}", "group_number": "GRP-2026-DEMO",
        "effective_from": today.replace(month=1, day=1)}, acting_user=biller)
    insurance.record_benefits_check(coverage, data={
        "checked_on": today - dt.timedelta(days=50), "method": "phone", "reference": "CALL-DEMO-5521",
        "esketamine_covered": "yes", "iv_ketamine_covered": "no", "prior_auth_required": True,
        "deductible_cents": 150_000, "deductible_met_cents": 50_000, "coinsurance_pct": Decimal("20"),
        "copay_cents": 0, "oop_max_cents": 400_000, "oop_met_cents": 60_000}, acting_user=biller)
    _approved_prior_auth(coverage, today, biller)
    insurance.enroll_in_savings(patient, data={"program": "Janssen CarePath (SPRAVATO)", "enrollment_id": "CP-DEMO-0042",
                                               "enrolled_on": today - dt.timedelta(days=40)}, acting_user=biller)
    for days_ago in (30, 27, 23, 20):  # the weeks before the visits the session-day demo holds
        day = today - dt.timedelta(days=days_ago)
        for code, units in (("G2082", 1), ("J0013", 56)):
            charges.create_charge(patient, data={"code": code, "units": units, "service_date": day,
                                                 "rendering_provider": doctor}, acting_user=biller)
    _charge_completed_visits(clinic, biller, patient)
    ids = list(account.uninvoiced_charges(patient).values_list("pk", flat=True))
    invoice = account.create_invoice(patient, charge_ids=ids, issued_on=today - dt.timedelta(days=1), acting_user=biller)
    _remittance(patient, invoice, plan.payer, biller)


def _remittance(patient, invoice, payer, biller) -> None:
    """A coherent demo remittance: the payer allows 80% of the billed amount; the patient's share is the
    deductible left ($1,000) plus 20% coinsurance; CarePath pays all of that share but $10 a treatment."""
    total = account.invoice_totals(invoice).charges_cents
    sessions = invoice.charges.filter(code__in=["G2082", "G2083"]).count()
    allowed = total * 80 // 100
    deductible = min(allowed, 100_000)
    share = deductible + percent_of_cents(allowed - deductible, 20)
    floor = 1_000 * sessions  # §3.9: "$10 per treatment"
    pay = lambda **data: account.record_payment(patient, data={"invoice": invoice, **data}, acting_user=biller)  # noqa: E731
    pay(amount_cents=allowed - share, method="insurance", payer=payer, reference="ERA-DEMO-0091")
    account.record_adjustment(patient, data={"amount_cents": total - allowed, "reason": "contractual", "invoice": invoice,
                                             "note": "Above the payer's allowed amount"}, acting_user=biller)
    pay(amount_cents=share - floor, method="savings", reference="CarePath CP-DEMO-0042")
    card = pay(amount_cents=floor, method="card", reference="Mastercard ending 1881")  # $10 of it twice, by mistake
    account.record_refund(card, amount_cents=1_000, reason="Charged $10 twice at the front desk", acting_user=biller)


def seed_billing(context: dict) -> None:
    ws, pa = context["clinics"]["WS"], context["clinics"]["PA"]
    users = context["users"]
    _prices(ws, pa, users)
    plans = _payers(ws, users["billing.nguyen"])
    patients = [p for p in context["patients"] if p.clinic_id == ws.pk]
    if len(patients) < 10:
        return
    self_pay, insured = patients[0], patients[8]
    if not Charge.objects.filter(patient=self_pay).exists():
        _self_pay_iv(self_pay, ws, users)
    if not Coverage.objects.filter(patient=insured).exists():
        _insured_esketamine(insured, ws, plans["Pacific Demo Health"], users)
    _charge_completed_visits(ws, users["billing.nguyen"])

