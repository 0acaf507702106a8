"""Symptoms and interventions on the time line (nausea and an antiemetic, anxiety, headache, oxygen...).

Changes to the infusion itself (pause, resume, rate, stop) go through ``dosing.change_infusion``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from ketaclinic.accounts import audit
from ketaclinic.visits.models import ClinicalEvent, Visit
from ketaclinic.visits.services import dosing
from ketaclinic.visits.services.common import lock, record, require_open


@transaction.atomic
def record_event(visit: Visit, *, kind: str, acting_user, occurred_at=None, medication: str = "",
                 medication_dose: str = "", note: str = "", new_rate_ml_per_h=None) -> ClinicalEvent:
    if kind in ClinicalEvent.INFUSION_KINDS:
        dose = visit.doses.filter(drug="ketamine").exclude(status="voided").first()
        if dose is None:
            raise ValidationError({"kind": "There is no infusion on this visit."})
        return dosing.change_infusion(dose, kind, acting_user=acting_user, at=occurred_at, note=note,
                                      new_rate_ml_per_h=new_rate_ml_per_h)
    visit = lock(visit)
    require_open(visit, "record an event")
    if kind not in ClinicalEvent.Kind.values:
        raise ValidationError({"kind": "Choose what happened."})
    occurred_at = dosing.moment(occurred_at, visit, "occurred_at")
    medication, medication_dose, note = (medication or "").strip(), (medication_dose or "").strip(), (note or "").strip()
    if kind in ClinicalEvent.MEDICATION_KINDS:
        if not medication:
            raise ValidationError({"medication": "Name the medication given."})
        if not medication_dose:
            raise ValidationError({"medication_dose": "Give the dose with its unit and route, e.g. 4 mg IV."})
    if kind == ClinicalEvent.Kind.OTHER and not note:
        raise ValidationError({"note": "Say what happened."})
    event = ClinicalEvent.objects.create(
        visit=visit, occurred_at=occurred_at, kind=kind, medication=medication[:80], medication_dose=medication_dose[:40],
        note=note[:300], recorded_by=acting_user,
    )
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="event", object_id=event.pk,
           summary=event.get_kind_display() + (f": {medication} {medication_dose}" if medication else ""))
    return event
