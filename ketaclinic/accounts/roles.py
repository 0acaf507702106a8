"""Roles and what each may do: the one place the code decides who may do what.

The README's role table is generated from ``ROLE_PERMISSIONS`` (a test keeps them in step).
"""

from django.db import models


class Role(models.TextChoices):
    PHYSICIAN = "physician", "Physician"
    NURSE_RN = "nurse_rn", "Nurse (RN)"
    NURSE_CRNA = "nurse_crna", "Nurse anesthetist (CRNA)"
    THERAPIST = "therapist", "Therapist"
    FRONT_DESK = "front_desk", "Front desk"
    BILLING = "billing", "Billing"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"
    NETWORK_ADMIN = "network_admin", "Network admin"


class Perm(models.TextChoices):
    PATIENT_VIEW = "patient.view", "See patients' demographics and charts"
    PATIENT_CREATE = "patient.create", "Register new patients"
    PATIENT_EDIT = "patient.edit", "Change patients' demographics"
    CLINICAL_VIEW = "clinical.view", "Read clinical records"
    CLINICAL_RECORD = "clinical.record", "Record clinical data"
    CLINICAL_SIGN = "clinical.sign", "Sign physician decisions and orders"
    AUDIT_VIEW = "audit.view", "Read and export the audit trail"
    CLINIC_EDIT = "clinic.edit", "Change clinic details"
    CLINIC_CREATE = "clinic.create", "Add clinics to the network"
    BILLING_VIEW = "billing.view", "See charges, invoices and payments"
    BILLING_EDIT = "billing.edit", "Create charges, invoices, payments and payment plans"
    SCHEDULE_BOOK = "schedule.book", "Book, move and cancel visits"
    PROTOCOL_EDIT = "protocol.edit", "Define clinic protocols and their limits"
    LEDGER_MOVE = "ledger.move", "Receive, draw, administer, waste and count controlled substances"
    LEDGER_VIEW = "ledger.view", "Read controlled-substance reports"
    OUTCOMES_VIEW = "outcomes.view", "See clinic outcome reports"
    SAFETY_ACKNOWLEDGE = "safety.acknowledge", "Acknowledge urgent safety tasks"
    INTAKE_QUEUE = "intake.queue", "Work the consultation-request queue"
    REVIEW_MODERATE = "review.moderate", "Publish or reject patient reviews and reply"


_CLINICAL = {
    Perm.PATIENT_VIEW, Perm.PATIENT_CREATE, Perm.PATIENT_EDIT, Perm.CLINICAL_VIEW, Perm.CLINICAL_RECORD,
    Perm.SCHEDULE_BOOK, Perm.LEDGER_MOVE, Perm.LEDGER_VIEW, Perm.OUTCOMES_VIEW, Perm.SAFETY_ACKNOWLEDGE,
    Perm.INTAKE_QUEUE,
}
_ADMIN = {
    Perm.PATIENT_VIEW, Perm.PATIENT_CREATE, Perm.PATIENT_EDIT, Perm.AUDIT_VIEW, Perm.CLINIC_EDIT, Perm.BILLING_VIEW,
    Perm.BILLING_EDIT, Perm.SCHEDULE_BOOK, Perm.PROTOCOL_EDIT, Perm.LEDGER_VIEW, Perm.OUTCOMES_VIEW,
    Perm.INTAKE_QUEUE, Perm.REVIEW_MODERATE,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PHYSICIAN: frozenset(_CLINICAL | {Perm.CLINICAL_SIGN, Perm.PROTOCOL_EDIT}),
    Role.NURSE_RN: frozenset(_CLINICAL),
    Role.NURSE_CRNA: frozenset(_CLINICAL),
    Role.THERAPIST: frozenset(
        {Perm.PATIENT_VIEW, Perm.CLINICAL_VIEW, Perm.CLINICAL_RECORD, Perm.OUTCOMES_VIEW, Perm.SAFETY_ACKNOWLEDGE}
    ),
    Role.FRONT_DESK: frozenset(
        {Perm.PATIENT_VIEW, Perm.PATIENT_CREATE, Perm.PATIENT_EDIT, Perm.SCHEDULE_BOOK, Perm.INTAKE_QUEUE, Perm.LEDGER_VIEW}
    ),
    Role.BILLING: frozenset({Perm.PATIENT_VIEW, Perm.BILLING_VIEW, Perm.BILLING_EDIT, Perm.LEDGER_VIEW}),
    Role.CLINIC_ADMIN: frozenset(_ADMIN),
    Role.NETWORK_ADMIN: frozenset(_ADMIN | {Perm.CLINIC_CREATE}),
}


def role_allows(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


def role_table_markdown() -> str:
    """The README's role table, generated from ROLE_PERMISSIONS (a test keeps the README in step)."""
    roles = list(Role)
    lines = ["| may … | " + " | ".join(r.label for r in roles) + " |", "|---|" + "---|" * len(roles)]
    for perm in Perm:
        marks = " | ".join("✓" if role_allows(r, perm) else "" for r in roles)
        lines.append(f"| {perm.label} | {marks} |")
    return "\n".join(lines)
