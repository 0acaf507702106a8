"""Documents a patient or a payer receives: the superbill (PDF), the statement (PDF) and the claim CSV.

Each export writes an audit row ("export") in the same transaction as it is made. PDFs are rendered by
WeasyPrint from ordinary templates, so the HTML preview and the PDF say the same thing.
"""

import csv
from collections import Counter
import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.billing import codes
from ketaclinic.billing.models import Adjustment, Charge, Coverage, InsurancePlan, Payment, Refund, Statement
from ketaclinic.billing.services.account import activity
from ketaclinic.billing.services.prices import billing_profile
from ketaclinic.clinical.pricing import format_usd
from ketaclinic.patients.models import Patient

POINTER_LETTERS = "ABCDEFGHIJKL"  # CMS-1500 box 21
# WeasyPrint reports each layout step at INFO; production logs need none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class SuperbillLine:
    charge: Charge
    pointers: str

    @property
    def rendering(self):
        return self.charge.rendering_provider


def _diagnosis_letters(charges) -> dict[str, str]:
    letters: dict[str, str] = {}
    for charge in charges:
        for code in charge.diagnosis_codes or []:
            if code not in letters and len(letters) < len(POINTER_LETTERS):
                letters[code] = POINTER_LETTERS[len(letters)]
    return letters


def _pointers(charge: Charge, letters: dict[str, str]) -> str:
    found = [letters[c] for c in charge.diagnosis_codes or [] if c in letters]
    return "".join(found[: codes.MAX_POINTERS_PER_LINE])


def superbill_context(patient: Patient, charges, payments, adjustments, *, title: str) -> dict:
    charges = list(charges)
    letters = _diagnosis_letters(charges)
    refunds = Refund.objects.filter(payment__in=[p.pk for p in payments])
    coverage = (Coverage.objects.filter(patient=patient, active=True).select_related("plan__payer")
                .order_by("priority").first())
    total = sum(c.amount_cents for c in charges)
    paid = sum(p.amount_cents for p in payments) - sum(r.amount_cents for r in refunds)
    adjusted = sum(a.amount_cents for a in adjustments)
    providers = {c.rendering_provider_id: c.rendering_provider for c in charges if c.rendering_provider_id}
    return {
        "title": title, "patient": patient, "clinic": patient.clinic, "profile": billing_profile(patient.clinic),
        "coverage": coverage, "lines": [SuperbillLine(c, _pointers(c, letters)) for c in charges],
        "diagnoses": [(letter, code, codes.icd10_label(code)) for code, letter in letters.items()],
        "providers": list(providers.values()), "payments": list(payments), "refunds": list(refunds),
        "total_cents": total, "paid_cents": paid, "adjusted_cents": adjusted, "due_cents": total - paid - adjusted,
        "auth_numbers": sorted({c.prior_authorization.payer_reference for c in charges
                                if c.prior_authorization_id and c.prior_authorization.payer_reference}),
        "first_date": min((c.service_date for c in charges), default=None),
        "last_date": max((c.service_date for c in charges), default=None),
        "prepared_on": timezone.localdate(timezone=patient.clinic.tz),
    }


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    html = render_to_string(template, context)
    return HTML(string=html, base_url=None).write_pdf()


def _charges(queryset):
    return queryset.filter(status=Charge.Status.ACTIVE).select_related(
        "rendering_provider", "prior_authorization").order_by("service_date", "id")


@transaction.atomic
def superbill_for_charges(patient: Patient, charges, payments, adjustments, *, title: str, acting_user,
                          scope: str) -> bytes:
    context = superbill_context(patient, charges, payments, adjustments, title=title)
    pdf = render_pdf("billing/superbill_pdf.html", context)
    audit.record(audit.Action.EXPORT, actor=acting_user, object_type="superbill", object_id=patient.pk,
                 clinic=patient.clinic_id, patient=patient, summary=f"Superbill PDF ({scope})")
    return pdf


def superbill_for_invoice(invoice, *, acting_user) -> bytes:
    return superbill_for_charges(
        invoice.patient, _charges(invoice.charges.all()), list(invoice.payments.all()), list(invoice.adjustments.all()),
        title=f"Superbill for invoice {invoice.number}", acting_user=acting_user, scope=f"invoice {invoice.number}",
    )


def superbill_for_period(patient: Patient, start: dt.date, end: dt.date, *, acting_user) -> bytes:
    charges = _charges(Charge.objects.filter(patient=patient, service_date__range=(start, end)))
    payments = list(Payment.objects.filter(patient=patient, received_on__range=(start, end)))
    adjustments = list(Adjustment.objects.filter(patient=patient, adjusted_on__range=(start, end)))
    return superbill_for_charges(patient, charges, payments, adjustments,
                                 title=f"Superbill {start:%m/%d/%Y} to {end:%m/%d/%Y}", acting_user=acting_user,
                                 scope=f"period {start.isoformat()} to {end.isoformat()}")


def superbill_for_visit(visit, *, acting_user) -> bytes:
    charges = _charges(Charge.objects.filter(visit=visit))
    invoices = {c.invoice_id for c in charges if c.invoice_id}
    payments = list(Payment.objects.filter(invoice_id__in=invoices))
    adjustments = list(Adjustment.objects.filter(invoice_id__in=invoices))
    return superbill_for_charges(visit.patient, charges, payments, adjustments,
                                 title=f"Superbill for the visit of {charges[0].service_date:%m/%d/%Y}"
                                 if charges else "Superbill", acting_user=acting_user, scope=f"visit #{visit.pk}")


@transaction.atomic
def statement_pdf(statement: Statement, *, acting_user) -> bytes:
    context = statement_context(statement)
    pdf = render_pdf("billing/statement_pdf.html", context)
    audit.record(audit.Action.EXPORT, actor=acting_user, object_type="statement", object_id=statement.pk,
                 clinic=statement.clinic_id, patient=statement.patient_id, summary="Statement PDF")
    return pdf


def statement_context(statement: Statement) -> dict:
    patient = statement.patient
    from ketaclinic.billing.models import PaymentPlan
    from ketaclinic.billing.services.payment_plans import instalment_statuses

    plans = [(plan, instalment_statuses(plan)) for plan in
             PaymentPlan.objects.filter(patient=patient, status=PaymentPlan.Status.ACTIVE).prefetch_related("instalments")]
    return {
        "statement": statement, "patient": patient, "clinic": patient.clinic, "profile": billing_profile(patient.clinic),
        "rows": activity(patient, start=statement.period_start, end=statement.period_end), "plans": plans,
    }


# --- claim CSV ------------------------------------------------------------------------------------

CLAIM_COLUMNS = (
    "claim_key", "charge_id", "invoice_number",
    "1_insurance_type", "1a_insured_id", "2_patient_name", "3_patient_dob", "3_patient_sex", "4_insured_name",
    "5_patient_address", "5_patient_city", "5_patient_state", "5_patient_zip", "5_patient_phone",
    "6_patient_relationship", "7_insured_address", "7_insured_city", "7_insured_state", "7_insured_zip",
    "9_other_insured_name", "9a_other_insured_policy", "9d_other_plan_name",
    "10a_employment_related", "10b_auto_accident", "10c_other_accident",
    "11_insured_group", "11a_insured_dob", "11a_insured_sex", "11c_plan_name", "11d_other_plan",
    "12_patient_signature", "13_insured_signature",
    "21_icd_indicator", *(f"21{letter}_diagnosis" for letter in POINTER_LETTERS), "23_prior_authorization",
    "24a_date_from", "24a_date_to", "24b_place_of_service", "24c_emg", "24d_code", "24d_modifier_1",
    "24d_modifier_2", "24d_modifier_3", "24d_modifier_4", "24d_description", "24e_diagnosis_pointer",
    "24f_charges", "24g_units", "24_ndc_supplemental", "24j_rendering_npi",
    "25_federal_tax_id", "25_tax_id_type", "26_patient_account", "27_accept_assignment", "28_total_charge",
    "29_amount_paid", "31_rendering_provider", "32_facility_name", "32_facility_address", "32a_facility_npi",
    "33_billing_provider", "33_billing_address", "33_billing_phone", "33a_billing_npi",
)
INSURANCE_TYPE = {
    InsurancePlan.PlanType.MEDICARE: "Medicare", InsurancePlan.PlanType.MEDICAID: "Medicaid",
    InsurancePlan.PlanType.MEDICARE_ADVANTAGE: "Group Health Plan", InsurancePlan.PlanType.COMMERCIAL: "Group Health Plan",
    InsurancePlan.PlanType.OTHER: "Other",
}
SEX = {"female": "F", "male": "M"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A spreadsheet never runs a cell as a formula: text starting with = + - @ gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _dollars(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _address(clinic) -> str:
    return f"{clinic.address_line1}, {clinic.city}, {clinic.state} {clinic.postal_code}"


def _claim_row(charge: Charge, coverages: dict, totals: dict, paid: dict, profile) -> dict:
    patient, clinic = charge.patient, charge.patient.clinic
    primary, secondary = coverages.get(patient.pk, (None, None))
    plan = primary.plan if primary else None
    self_insured = primary is None or primary.subscriber_relationship == Coverage.Relationship.SELF
    diagnoses = list(charge.diagnosis_codes or [])
    letters = {code: POINTER_LETTERS[n] for n, code in enumerate(diagnoses[: len(POINTER_LETTERS)])}
    modifiers = (charge.modifiers.split() + ["", "", "", ""])[:4]
    provider = charge.rendering_provider
    key = (patient.pk, charge.service_date)
    row = {
        "claim_key": f"{patient.mrn}-{charge.service_date:%Y%m%d}", "charge_id": charge.pk,
        "invoice_number": charge.invoice.number if charge.invoice_id else "",
        "1_insurance_type": INSURANCE_TYPE.get(plan.plan_type, "Other") if plan else "",
        "1a_insured_id": primary.member_id if primary else "",
        "2_patient_name": f"{patient.legal_last_name}, {patient.legal_first_name}",
        "3_patient_dob": f"{patient.date_of_birth:%m/%d/%Y}", "3_patient_sex": SEX.get(patient.sex_at_birth, ""),
        "4_insured_name": "" if primary is None else (
            f"{patient.legal_last_name}, {patient.legal_first_name}" if self_insured
            else f"{primary.subscriber_last_name}, {primary.subscriber_first_name}"),
        "5_patient_address": patient.address_line1, "5_patient_city": patient.city, "5_patient_state": patient.state,
        "5_patient_zip": patient.postal_code, "5_patient_phone": patient.phone,
        "6_patient_relationship": primary.get_subscriber_relationship_display() if primary else "",
        "7_insured_address": patient.address_line1 if primary and self_insured else "",
        "7_insured_city": patient.city if primary and self_insured else "",
        "7_insured_state": patient.state if primary and self_insured else "",
        "7_insured_zip": patient.postal_code if primary and self_insured else "",
        "9_other_insured_name": secondary.subscriber_name() if secondary else "",
        "9a_other_insured_policy": secondary.group_number or secondary.member_id if secondary else "",
        "9d_other_plan_name": str(secondary.plan) if secondary else "",
        "10a_employment_related": "NO", "10b_auto_accident": "NO", "10c_other_accident": "NO",
        "11_insured_group": primary.group_number if primary else "",
        "11a_insured_dob": (f"{patient.date_of_birth:%m/%d/%Y}" if self_insured else
                            (f"{primary.subscriber_date_of_birth:%m/%d/%Y}" if primary.subscriber_date_of_birth else ""))
        if primary else "",
        "11a_insured_sex": SEX.get(patient.sex_at_birth, "") if primary and self_insured else "",
        "11c_plan_name": str(plan) if plan else "", "11d_other_plan": "YES" if secondary else "NO",
        "12_patient_signature": "SIGNATURE ON FILE", "13_insured_signature": "SIGNATURE ON FILE",
        "21_icd_indicator": "0",
        **{f"21{POINTER_LETTERS[n]}_diagnosis": (diagnoses[n] if n < len(diagnoses) else "")
           for n in range(len(POINTER_LETTERS))},
        "23_prior_authorization": charge.prior_authorization.payer_reference if charge.prior_authorization_id else "",
        "24a_date_from": f"{charge.service_date:%m/%d/%Y}", "24a_date_to": f"{charge.service_date:%m/%d/%Y}",
        "24b_place_of_service": profile.place_of_service, "24c_emg": "", "24d_code": charge.code,
        **{f"24d_modifier_{n + 1}": modifiers[n] for n in range(4)},
        "24d_description": charge.description,
        "24e_diagnosis_pointer": "".join(letters[c] for c in diagnoses[: codes.MAX_POINTERS_PER_LINE]),
        "24f_charges": _dollars(charge.amount_cents), "24g_units": charge.units,
        "24_ndc_supplemental": f"N4{charge.ndc.replace('-', '')} UN{charge.units}" if charge.ndc else "",
        "24j_rendering_npi": provider.npi if provider else "",
        "25_federal_tax_id": clinic.tax_id, "25_tax_id_type": "EIN" if clinic.tax_id else "",
        "26_patient_account": patient.mrn, "27_accept_assignment": "YES",
        "28_total_charge": _dollars(totals[key]), "29_amount_paid": _dollars(paid.get(key, 0)),
        "31_rendering_provider": f"{provider} {provider.credentials}".strip() if provider else "",
        "32_facility_name": clinic.name, "32_facility_address": _address(clinic), "32a_facility_npi": clinic.npi,
        "33_billing_provider": clinic.name, "33_billing_address": _address(clinic), "33_billing_phone": clinic.phone,
        "33a_billing_npi": clinic.npi,
    }
    return row


def claim_charges(clinic, start: dt.date, end: dt.date, *, insured_only: bool = True):
    charges = (Charge.objects.filter(clinic=clinic, status=Charge.Status.ACTIVE, claimable=True,
                                     service_date__range=(start, end))
               .select_related("patient__clinic", "rendering_provider", "prior_authorization", "invoice")
               .order_by("patient__legal_last_name", "patient_id", "service_date", "id"))
    if insured_only:
        charges = charges.filter(patient__coverages__active=True,
                                 patient__coverages__priority=Coverage.Priority.PRIMARY).distinct()
    return charges


def _paid_by_claim(charges) -> dict:
    """Box 29: what was paid toward a claim, known exactly when the claim is the whole of one invoice.

    Three queries whatever the number of claims: the invoices' dates of service, payments and refunds."""
    by_key: dict = {}
    for c in charges:
        by_key.setdefault((c.patient_id, c.service_date), set()).add(c.invoice_id)
    single = {key: next(iter(ids)) for key, ids in by_key.items() if len(ids) == 1 and None not in ids}
    invoice_ids = set(single.values())
    dates: dict = {}
    for invoice_id, day in Charge.objects.filter(invoice_id__in=invoice_ids).values_list("invoice_id", "service_date"):
        dates.setdefault(invoice_id, set()).add(day)
    net = dict(Payment.objects.filter(invoice_id__in=invoice_ids).values("invoice_id").annotate(t=Sum("amount_cents"))
               .values_list("invoice_id", "t"))
    for invoice_id, refunded in (Refund.objects.filter(payment__invoice_id__in=invoice_ids).values("payment__invoice_id")
                                 .annotate(t=Sum("amount_cents")).values_list("payment__invoice_id", "t")):
        net[invoice_id] = net.get(invoice_id, 0) - refunded
    shared = {i for i, n in Counter(single.values()).items() if n > 1}
    return {key: max(0, net.get(invoice_id, 0)) for key, invoice_id in single.items()
            if dates.get(invoice_id) == {key[1]} and invoice_id not in shared}


@transaction.atomic
def claims_csv(clinic, start: dt.date, end: dt.date, *, acting_user, insured_only: bool = True) -> str:
    charges = list(claim_charges(clinic, start, end, insured_only=insured_only))
    patient_ids = {c.patient_id for c in charges}
    coverages: dict = {}
    for cov in (Coverage.objects.filter(patient_id__in=patient_ids, active=True)
                .select_related("plan__payer", "patient").order_by("priority")):
        primary, secondary = coverages.get(cov.patient_id, (None, None))
        if cov.priority == Coverage.Priority.PRIMARY and primary is None:
            primary = cov
        elif cov.priority == Coverage.Priority.SECONDARY and secondary is None:
            secondary = cov
        coverages[cov.patient_id] = (primary, secondary)
    totals: dict = {}
    for c in charges:
        totals[(c.patient_id, c.service_date)] = totals.get((c.patient_id, c.service_date), 0) + c.amount_cents
    paid = _paid_by_claim(charges)
    profile = billing_profile(clinic)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CLAIM_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for charge in charges:
        row = _claim_row(charge, coverages, totals, paid, profile)
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    audit.record(audit.Action.EXPORT, actor=acting_user, object_type="claims_csv", clinic=clinic,
                 summary=f"Claim CSV {start.isoformat()} to {end.isoformat()}: {len(charges)} lines, "
                         f"{format_usd(sum(c.amount_cents for c in charges))}")
    return out.getvalue()
