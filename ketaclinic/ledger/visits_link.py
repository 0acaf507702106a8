"""The link between a ledger entry and the session-day records (``ketaclinic.visits``): a draw is for a visit, an
administration carries the visit's dose record (patient, date, amount). One module, so the checks live in one place."""

from django.core.exceptions import ValidationError

from ketaclinic.ledger.models import Entry


def check_visit(visit, patient) -> dict:
    """Fields for a draw's entry: the visit, which must be the patient's and still under way."""
    if visit is None:
        return {}
    if visit.patient_id != patient.pk or visit.clinic_id != patient.clinic_id:
        raise ValidationError({"visit": "This visit is another patient's."})
    if visit.status not in visit.OPEN_STATUSES:
        raise ValidationError({"visit": f"This visit is {visit.get_status_display().lower()}; draw for a visit under way."})
    return {"visit": visit}


def inherit(entry: Entry) -> dict:
    """An administration, a waste or a reversal belongs to the same visit as the entry it follows."""
    return {"visit_id": entry.visit_id}


def check_dose(dose, draw_entry: Entry) -> dict:
    """Fields for an administration: the visit's dose record, which must match the draw's patient, visit, strength and lot."""
    if dose is None:
        return {}
    problems = []
    if dose.visit.patient_id != draw_entry.patient_id:
        problems.append("it is another patient's")
    if draw_entry.visit_id and dose.visit_id != draw_entry.visit_id:
        problems.append("it belongs to another visit than the draw")
    if dose.status == dose.Status.VOIDED:
        problems.append("it was voided")
    product, container = draw_entry.product, draw_entry.container
    if dose.concentration_mg_per_ml is not None and product.liquid and dose.concentration_mg_per_ml != product.concentration_mg_per_ml:
        problems.append(f"it is at {dose.concentration_mg_per_ml.normalize():f} mg/mL and this vial is "
                        f"{product.concentration_mg_per_ml.normalize():f} mg/mL")
    if dose.lot_number and dose.lot_number.strip().casefold() != container.lot_number.strip().casefold():
        problems.append(f"it names lot {dose.lot_number} and this vial is lot {container.lot_number}")
    if problems:
        raise ValidationError({"dose": "This dose record does not match the draw: " + "; ".join(problems) + "."})
    return {"dose": dose}
