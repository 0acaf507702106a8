"""Baseline rating scales at intake, recorded through the measurement-based-care area's service.

The scales are the issue's: PHQ-9, GAD-7, PCL-5 (only where PTSD is listed), MDQ, AUDIT-C, DAST-10 and the
C-SSRS screener. Scoring, storage, the safety path (urgent tasks for PHQ-9 item 9 or a high C-SSRS) and the
audit row all belong to ``ketaclinic.outcomes.services.record_response``; here we only choose the scales,
ask them, and say which are still missing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ketaclinic.clinical import instruments
from ketaclinic.intake.models import Intake
from ketaclinic.outcomes import scales
from ketaclinic.outcomes import services as outcomes
from ketaclinic.outcomes.models import Context, QuestionnaireResponse

BASELINE_CODES = ("PHQ-9", "GAD-7", "PCL-5", "MDQ", "AUDIT-C", "DAST-10", "C-SSRS")
PTSD_ONLY = frozenset({"PCL-5"})


@dataclass(frozen=True)
class BaselineRow:
    code: str
    title: str
    slug: str
    self_report: bool  # the patient may answer it in the portal (public-domain wording)
    response: QuestionnaireResponse | None


def baseline_codes(intake: Intake) -> tuple[str, ...]:
    ptsd = "ptsd" in (intake.conditions or [])
    return tuple(code for code in BASELINE_CODES if ptsd or code not in PTSD_ONLY)


def baseline_rows(intake: Intake) -> list[BaselineRow]:
    """One row per baseline scale, with the latest intake-time answer if any (one query)."""
    latest: dict[str, QuestionnaireResponse] = {}
    responses = QuestionnaireResponse.objects.filter(
        patient_id=intake.patient_id, context=Context.INTAKE, status=QuestionnaireResponse.Status.FINAL,
        amended_by__isnull=True,
    ).order_by("-taken_at", "-pk")
    for response in responses:
        latest.setdefault(response.instrument, response)
    return [
        BaselineRow(code, instruments.get(code).title, instruments.get(code).slug, code in scales.SELF_REPORT_CODES,
                    latest.get(code))
        for code in baseline_codes(intake)
    ]


def definition_for(intake: Intake, slug: str, *, by_patient: bool):
    """The baseline scale with this slug, or None when it is not one this intake asks (or not the patient's)."""
    definition = scales.by_slug(slug)
    if definition is None or definition.code not in baseline_codes(intake):
        return None
    if by_patient and definition.code not in scales.SELF_REPORT_CODES:
        return None
    return definition


def record_baseline(intake: Intake, code: str, answers, *, acting_user, entered_by_patient: bool):
    if code not in baseline_codes(intake):
        raise ValidationError({"instrument": f"{code} is not a baseline scale of this intake."})
    return outcomes.record_response(intake.patient, code, answers, acting_user=acting_user,
                                    entered_by_patient=entered_by_patient, context=Context.INTAKE)
