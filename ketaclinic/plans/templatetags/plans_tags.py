from django import template

from ketaclinic.plans.models import Appointment
from ketaclinic.plans.services.status import allowed_next

register = template.Library()

# Button words for the next phase (the floor board is read at arm's length).
ACTION_LABELS = {
    "checked_in": "Check in", "dosing": "Start dose", "observation": "Start observation",
    "ready_for_discharge": "Ready for discharge", "discharged": "Discharge", "no_show": "No-show",
}


@register.filter
def next_phases(appointment: Appointment) -> list[tuple[str, str]]:
    """(status, button label) for each phase that may follow; cancelling lives on the visit's page."""
    return [(s, ACTION_LABELS[s]) for s in allowed_next(appointment) if s in ACTION_LABELS]


@register.filter
def local_time(moment, clinic):
    return moment.astimezone(clinic.tz) if moment else moment
