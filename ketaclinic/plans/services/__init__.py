"""Every state change of the plans area. Views and API endpoints call these; nothing else writes.

- status: ``set_appointment_status(appointment, status, *, acting_user)`` (also used by visits)
- protocols: ``create_protocol``, ``revise_protocol``, ``current_protocols``
- resources: chairs, opening hours, closed days, shifts, the clinic's scheduling limits
- plans: ``create_plan``, ``sign_plan``, ``revise_plan``, ``discard_draft``, ``cancel_plan``, ``complete_plan``,
  ``add_booster``
- booking: ``propose_series``, ``book_series``, ``reschedule_appointment``, ``book_visit``, ``cancel_appointment``
"""

from ketaclinic.plans.services.booking import (
    BookingItem,
    Proposal,
    book_series,
    book_visit,
    cancel_appointment,
    propose_series,
    reschedule_appointment,
)
from ketaclinic.plans.services.plans import (
    add_booster,
    cancel_plan,
    complete_plan,
    create_plan,
    discard_draft,
    revise_plan,
    sign_plan,
)
from ketaclinic.plans.services.protocols import create_protocol, current_protocols, revise_protocol
from ketaclinic.plans.services.resources import (
    add_chair,
    add_closed_day,
    add_shift,
    remove_shift,
    set_chair_active,
    set_opening_hours,
    update_scheduling,
)
from ketaclinic.plans.services.status import allowed_next, check_appointment_status, set_appointment_status

__all__ = [
    "BookingItem", "Proposal", "add_booster", "add_chair", "add_closed_day", "add_shift", "allowed_next",
    "book_series", "book_visit", "cancel_appointment", "cancel_plan", "check_appointment_status", "complete_plan",
    "create_plan", "create_protocol", "current_protocols", "discard_draft", "propose_series", "remove_shift",
    "reschedule_appointment", "revise_plan", "revise_protocol", "set_appointment_status", "set_chair_active",
    "set_opening_hours", "sign_plan", "update_scheduling",
]
