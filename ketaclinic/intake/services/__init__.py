"""Every change in the intake area: validated in full, one transaction, an audit row inside it.

The plans area calls ``require_plan_allowed(patient, route)`` inside its create-plan service.
"""

from ketaclinic.intake.services.candidacy import (
    current_protocol_setting,
    evaluate_intake,
    latest_evaluation,
    overridden_routes,
    set_protocol,
    sign_decision,
)
from ketaclinic.intake.services.consents import sign_consent, withdraw_consent
from ketaclinic.intake.services.consultations import (
    close_request,
    count_self_screen,
    record_contact,
    record_request_opened,
    register_patient,
    submit_consultation_request,
)
from ketaclinic.intake.services.guard import (
    approved_routes,
    consented_routes,
    current_consent,
    current_decision,
    require_plan_allowed,
)
from ketaclinic.intake.services.intakes import (
    add_item,
    check_complete,
    engine_input,
    remove_item,
    start_intake,
    submit_intake,
    update_intake,
)

__all__ = [
    "add_item", "approved_routes", "check_complete", "close_request", "consented_routes", "count_self_screen",
    "current_consent", "current_decision", "current_protocol_setting", "engine_input", "evaluate_intake",
    "latest_evaluation", "overridden_routes", "record_contact", "record_request_opened", "register_patient",
    "remove_item", "require_plan_allowed", "set_protocol", "sign_consent", "sign_decision", "start_intake",
    "submit_consultation_request", "submit_intake", "update_intake", "withdraw_consent",
]
