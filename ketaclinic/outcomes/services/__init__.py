"""Every state change of measurement-based care: one transaction each, with its audit row inside and its
side effects (emails) on commit. The HTML views and the JSON API call these and nothing else.

    start_course(patient, *, route, condition, started_on, acting_user) -> TreatmentCourse
    complete_induction(course, *, on, acting_user) -> TreatmentCourse
    record_response(patient, code, answers, *, acting_user, entered_by_patient, course=None,
                    context="scheduled", assignment=None, sex=None) -> QuestionnaireResponse
    save_draft(patient, code, answers, *, acting_user, entered_by_patient, ...) -> QuestionnaireResponse
"""

from ketaclinic.outcomes.services.assignments import (
    assign_questionnaire,
    cancel_assignment,
    sync_all_open_courses,
    sync_assignments,
)
from ketaclinic.outcomes.services.courses import change_course_status, complete_induction, dosing_changed, start_course
from ketaclinic.outcomes.services.responses import amend_response, record_response, save_draft
from ketaclinic.outcomes.services.safety import acknowledge_safety_task, open_safety_tasks_for
from ketaclinic.outcomes.services.settings import (
    get_safety_settings,
    get_scale_schedule,
    update_safety_settings,
    update_scale_schedule,
)
from ketaclinic.outcomes.services.summary import rebuild_course_outcomes, refresh_course_outcome

__all__ = [
    "acknowledge_safety_task",
    "amend_response",
    "assign_questionnaire",
    "cancel_assignment",
    "change_course_status",
    "complete_induction",
    "dosing_changed",
    "get_safety_settings",
    "get_scale_schedule",
    "open_safety_tasks_for",
    "rebuild_course_outcomes",
    "record_response",
    "refresh_course_outcome",
    "save_draft",
    "start_course",
    "sync_all_open_courses",
    "sync_assignments",
    "update_safety_settings",
    "update_scale_schedule",
]
