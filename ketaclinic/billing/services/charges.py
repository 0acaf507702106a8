"""Charges: made by hand by billing staff, or from a completed visit (exactly once per visit).

A completed visit becomes claim lines (clinical.md §7.1, §7.2):
- IV ketamine: 96365 (first hour), 96366 per added hour past 90 minutes, J3490 for the drug with its NDC.
  The session price is the price list's infusion (or booster) price, or an equal share of an induction
  package the patient bought; ``iv_drug_charge_cents`` of it is shown on the J3490 line.
- Esketamine: G2082 (up to 56 mg) or G2083 (more), each including the 2-hour observation; plus J0013
  (S0013 before 2026) × mg when the payer is billed buy-and-bill, or the patient pays the drug to the
  clinic. Medicare's G-codes include the drug; with the pharmacy benefit the clinic bills the visit only.
"""

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.billing import codes
from ketaclinic.billing.models import Charge, Coverage, InsurancePlan, PackagePurchase, PriceList, VisitCharging
from ketaclinic.billing.services._common import clinic_today, record_create, record_update
from ketaclinic.billing.services.insurance import diagnoses_for, primary_coverage
from ketaclinic.billing.services.prices import billing_profile, current_price_list, to_pricing
from ketaclinic.billing.services.prior_auth import authorization_for
from ketaclinic.clinical import pricing
from ketaclinic.clinical.instalments import split_cents
from ketaclinic.patients.models import Patient

log = logging.getLogger(__name__)
IV_SESSION_TYPES = (pricing.IV_INFUSION, pricing.BOOSTER)


def _user(acting_user):
    return acting_user if getattr(acting_user, "pk", None) else None


def _new_charge(patient: Patient, *, code: str, units: int, unit_price_cents: int, service_date: dt.date,
                acting_user, **extra) -> Charge:
    known = codes.CODES[code]
    charge = Charge(
        clinic_id=patient.clinic_id, patient=patient, code=code, units=units, unit_price_cents=unit_price_cents,
        amount_cents=units * unit_price_cents, service_date=service_date, description=extra.pop("description", known.label),
        claimable=known.claimable, session_type=extra.pop("session_type", known.session_type),
        created_by=_user(acting_user), **extra,
    )
    charge.full_clean(exclude=["clinic", "patient", "created_by", "visit"], validate_constraints=False)
    charge.save()
    return charge


def _audit_charge(charge: Charge, acting_user, summary: str) -> None:
    record_create(charge, actor=acting_user, object_type="charge", clinic=charge.clinic_id, patient=charge.patient_id,
                  summary=summary)


# --- by hand ---------------------------------------------------------------------------------------

def _check_provider(provider, clinic_id: int) -> None:
    if provider is not None and not access.can(provider, Perm.CLINICAL_RECORD, clinic_id):
        raise ValidationError({"rendering_provider": "Pick a clinician who works at this clinic."})


# Drug codes priced from the price list's drug fields rather than a session price.
DRUG_PRICE_FIELDS = {"J0013": "esketamine_drug_per_mg_cents", "S0013": "esketamine_drug_per_mg_cents",
                     "J3490": "iv_drug_charge_cents"}


def _default_price(patient: Patient, code: str, service_date: dt.date) -> int:
    session_type = codes.CODES[code].session_type
    price_list = current_price_list(patient.clinic, on=service_date)
    if price_list is not None and code in DRUG_PRICE_FIELDS:
        price = getattr(price_list, DRUG_PRICE_FIELDS[code])
    else:
        price = price_list.price_cents(session_type) if price_list and session_type else None
    if price is None:
        raise ValidationError({"unit_price_cents": "The price list has no price for this code; enter the price."})
    return price


@transaction.atomic
def create_charge(patient: Patient, *, data: dict[str, Any], acting_user) -> Charge:
    """A charge made by hand (consultation, psychotherapy, cancellation fee, a correction...)."""
    code = str(data.get("code") or "").strip().upper()
    if code not in codes.CODES:
        raise ValidationError({"code": "Pick a code from the clinic's list."})
    service_date = data.get("service_date")
    if not isinstance(service_date, dt.date):
        raise ValidationError({"service_date": "Enter the date of service."})
    if service_date > clinic_today(patient.clinic):
        raise ValidationError({"service_date": "must not be in the future."})
    units = 1 if data.get("units") is None else data["units"]
    if isinstance(units, bool) or not isinstance(units, int) or units < 1:
        raise ValidationError({"units": "Enter a whole number of units, at least 1."})
    price, package = data.get("unit_price_cents"), None
    if price is None and code == "96365":  # an infusion under a package carries its share, as from a visit
        package, price = _package_share(patient)
    if price is None:
        price = _default_price(patient, code, service_date)
    if not isinstance(price, int) or price < 0:
        raise ValidationError({"unit_price_cents": "Enter a price in whole cents, $0.00 or more."})
    try:
        modifiers = codes.clean_modifiers(data.get("modifiers") or "")
        diagnoses = codes.clean_icd10(data.get("diagnosis_codes") or diagnoses_for(patient))
    except ValueError as error:
        field = "modifiers" if "modifier" in str(error) else "diagnosis_codes"
        raise ValidationError({field: str(error)}) from None
    provider = data.get("rendering_provider")
    _check_provider(provider, patient.clinic_id)
    ndc = (data.get("ndc") or "").strip()
    if ndc and not codes.NDC_PATTERN.match(ndc):
        raise ValidationError({"ndc": "Write the NDC as 5-4-2 digits, e.g. 12345-6789-01."})
    charge = _new_charge(
        patient, code=code, units=units, unit_price_cents=price, service_date=service_date, acting_user=acting_user,
        modifiers=modifiers, diagnosis_codes=diagnoses, rendering_provider=provider, ndc=ndc, package=package,
        prior_authorization=authorization_for(patient, code, service_date),
        **({"description": data["description"].strip()[:120]} if data.get("description") else {}),
    )
    _audit_charge(charge, acting_user, f"Charged {code} × {units}")
    return charge


@transaction.atomic
def void_charge(charge: Charge, *, reason: str, acting_user) -> Charge:
    charge = Charge.objects.select_for_update().get(pk=charge.pk)
    if charge.status == Charge.Status.VOID:
        raise ValidationError({"status": "This charge is already voided."})
    if charge.invoice_id is not None:
        raise ValidationError({"invoice": "This charge is on an invoice; void the invoice first or record an adjustment."})
    if not reason.strip():
        raise ValidationError({"void_reason": "Say why the charge is voided."})
    before = audit.snapshot(charge, ("status", "void_reason"))
    charge.status, charge.void_reason = Charge.Status.VOID, reason.strip()[:200]
    charge.save(update_fields=["status", "void_reason"])
    record_update(charge, before, actor=acting_user, object_type="charge", clinic=charge.clinic_id,
                  patient=charge.patient_id, summary=f"Voided charge {charge.code}")
    return charge


# --- induction packages ----------------------------------------------------------------------------

@transaction.atomic
def sell_package(patient: Patient, *, purchased_on: dt.date, acting_user) -> PackagePurchase:
    """The patient buys the induction package at today's price; its infusions are charged as they happen."""
    Patient.objects.select_for_update().get(pk=patient.pk)  # one package sale at a time per patient
    price_list = current_price_list(patient.clinic, on=purchased_on)
    if price_list is None or not price_list.has_package:
        raise ValidationError({"purchased_on": "The price list in force that day offers no induction package."})
    if PackagePurchase.objects.filter(patient=patient, status=PackagePurchase.Status.ACTIVE).exists():
        raise ValidationError({"purchased_on": "The patient already has a package in use."})
    package = PackagePurchase.objects.create(
        clinic_id=patient.clinic_id, patient=patient, price_list=price_list, purchased_on=purchased_on,
        price_cents=to_pricing(price_list).induction_package_cents(), infusions=price_list.induction_package_infusions,
        created_by=_user(acting_user),
    )
    record_create(package, actor=acting_user, object_type="package_purchase", clinic=patient.clinic_id, patient=patient,
                  summary=f"Sold an induction package of {package.infusions} infusions")
    return package


@transaction.atomic
def cancel_package(package: PackagePurchase, *, acting_user) -> PackagePurchase:
    """Later infusions are charged at the normal price; infusions already charged keep their share."""
    package = PackagePurchase.objects.select_for_update().get(pk=package.pk)
    if package.status != PackagePurchase.Status.ACTIVE:
        raise ValidationError({"status": "Only a package in use can be cancelled."})
    before = audit.snapshot(package, ("status",))
    package.status = PackagePurchase.Status.CANCELLED
    package.save(update_fields=["status"])
    record_update(package, before, actor=acting_user, object_type="package_purchase", clinic=package.clinic_id,
                  patient=package.patient_id, summary="Cancelled an induction package")
    return package


def _package_share(patient: Patient) -> tuple[PackagePurchase | None, int | None]:
    """The active package and the share of its price the next infusion carries (leftover cents first)."""
    package = PackagePurchase.objects.select_for_update().filter(
        patient=patient, status=PackagePurchase.Status.ACTIVE).first()
    if package is None:
        return None, None
    used = package.charges.filter(status=Charge.Status.ACTIVE, code="96365").count()
    share = split_cents(package.price_cents, package.infusions)[used]
    if used + 1 >= package.infusions:
        package.status = PackagePurchase.Status.USED
        package.save(update_fields=["status"])
    return package, share


# --- from a completed visit ------------------------------------------------------------------------

def _service_date(visit) -> dt.date:
    moment = visit.discharged_at or visit.checked_in_at
    return timezone.localtime(moment, visit.clinic.tz).date()


def _given_dose(visit):
    return visit.doses.exclude(status__in=["voided", "awaiting_check", "ready"]).order_by("-id").first()


def _rendering_provider(visit):
    order = getattr(visit, "order", None) if hasattr(visit, "order") else None
    if order is not None and order.ordered_by_id:
        return order.ordered_by
    try:
        plan_model = apps.get_model("plans", "TreatmentPlan")
    except LookupError:
        return None
    plan = plan_model.objects.filter(patient_id=visit.patient_id, signed_by__isnull=False).order_by("-signed_at").first()
    return plan.signed_by if plan else None


def _infusion_min(dose) -> int:
    if dose.started_at and dose.ended_at:
        return int((dose.ended_at - dose.started_at).total_seconds() // 60)
    return int(dose.duration_min or 0)


def _iv_session_type(patient: Patient, price_list: PriceList) -> str:
    """A booster is an IV infusion after the induction series; without a booking link, count the infusions."""
    done = Charge.objects.filter(patient=patient, status=Charge.Status.ACTIVE, code="96365").count()
    is_booster = done >= price_list.induction_package_infusions and price_list.booster_cents is not None
    return pricing.BOOSTER if is_booster else pricing.IV_INFUSION


def _iv_lines(visit, dose, price_list: PriceList, common: dict, acting_user) -> list[Charge]:
    patient, profile = visit.patient, billing_profile(visit.clinic)
    package, price = _package_share(patient)
    session_type = pricing.IV_INFUSION if package else _iv_session_type(patient, price_list)
    if price is None:
        price = price_list.price_cents(session_type)
    if price is None:
        raise ValidationError({"price_list": f"The price list has no price for a {pricing.SESSION_LABELS[session_type]}."})
    drug = min(price_list.iv_drug_charge_cents, price)
    lines = [_new_charge(patient, code="96365", units=1, unit_price_cents=price - drug, session_type=session_type,
                         package=package, acting_user=acting_user, **common)]
    extra_hours = codes.iv_additional_hours(_infusion_min(dose))
    if extra_hours:
        lines.append(_new_charge(patient, code="96366", units=extra_hours, unit_price_cents=0, session_type=session_type,
                                 description="IV infusion, each added hour (in the session price)", acting_user=acting_user,
                                 **common))
    lines.append(_new_charge(patient, code="J3490", units=1, unit_price_cents=drug, ndc=profile.ketamine_ndc,
                             description=f"Ketamine HCl {dose.dose_mg.normalize():f} mg", acting_user=acting_user, **common))
    return lines


def _esketamine_drug_billed(plan: InsurancePlan | None, price_list: PriceList) -> bool:
    if price_list.esketamine_drug_per_mg_cents is None:
        return False
    return plan is None or plan.esketamine_billing == InsurancePlan.EsketamineBilling.BUY_AND_BILL


def _esketamine_lines(visit, dose, price_list: PriceList, common: dict, acting_user) -> list[Charge]:
    patient, day = visit.patient, common["service_date"]
    coverage: Coverage | None = primary_coverage(patient)
    plan = coverage.plan if coverage else None
    if price_list.esketamine_session_cents is None:
        raise ValidationError({"price_list": "The price list has no price for an esketamine session."})
    dose_mg = int(Decimal(dose.dose_mg))
    visit_code = codes.esketamine_visit_code(dose_mg)
    modifiers = "KX" if plan is not None and plan.requires_kx_modifier else ""
    lines = [_new_charge(patient, code=visit_code, units=1, unit_price_cents=price_list.esketamine_session_cents,
                         modifiers=modifiers, prior_authorization=authorization_for(patient, visit_code, day),
                         acting_user=acting_user, **common)]
    if _esketamine_drug_billed(plan, price_list):
        drug_code = codes.esketamine_drug_code(day)
        lines.append(_new_charge(
            patient, code=drug_code, units=dose_mg, unit_price_cents=price_list.esketamine_drug_per_mg_cents,
            session_type="", ndc=billing_profile(visit.clinic).esketamine_ndc,
            prior_authorization=authorization_for(patient, drug_code, day), acting_user=acting_user, **common))
    return lines


def _claim_visit(visit, acting_user, note: str = "") -> bool:
    """Take the visit's once-only marker; False when someone already charged it."""
    try:
        with transaction.atomic():
            VisitCharging.objects.create(visit=visit, clinic_id=visit.clinic_id, patient_id=visit.patient_id,
                                         charged_by=_user(acting_user), note=note)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def create_charges_for_visit(visit, *, acting_user) -> list[Charge]:
    """The claim lines of a completed visit. Idempotent: a visit already charged returns its charges."""
    if visit.status != "discharged":
        raise ValidationError({"visit": "Only a completed (discharged) visit can be charged."})
    dose = _given_dose(visit)
    if not _claim_visit(visit, acting_user, "" if dose else "No dose was given; nothing charged."):
        return list(Charge.objects.filter(visit=visit).order_by("id"))
    if dose is None:
        audit.record(audit.Action.CREATE, actor=acting_user, object_type="visit_charging", object_id=visit.pk,
                     clinic=visit.clinic_id, patient=visit.patient_id, summary="Visit had no dose: nothing charged")
        return []
    day = _service_date(visit)
    price_list = current_price_list(visit.clinic, on=day)
    if price_list is None:
        raise ValidationError({"price_list": "The clinic has no price list in force on the day of the visit."})
    common = {"service_date": day, "visit": visit, "diagnosis_codes": diagnoses_for(visit.patient),
              "rendering_provider": _rendering_provider(visit)}
    build = _esketamine_lines if visit.route == "esketamine" else _iv_lines
    lines = build(visit, dose, price_list, common, acting_user)
    for charge in lines:
        _audit_charge(charge, acting_user, f"Charged {charge.code} × {charge.units} for visit #{visit.pk}")
    return lines


def charge_on_discharge(visit) -> None:
    """The visits area's on-discharge hook: charge the visit, signed by whoever discharged it.

    Runs after the discharge committed; a failure (no price list, say) is logged by the hook runner and
    the visit stays on billing's "completed visits not charged" list for a person to charge.
    """
    create_charges_for_visit(visit, acting_user=visit.discharged_by)


def visits_not_charged(clinic_id: int):
    visit_model = apps.get_model("visits", "Visit")
    return (visit_model.objects.filter(clinic_id=clinic_id, status="discharged", charging__isnull=True)
            .select_related("patient", "clinic").order_by("-discharged_at"))

