"""FHIR mapping of the rating scales: a Questionnaire per scale, a QuestionnaireResponse per response, and an
Observation per scored total.

- ``Questionnaire/<slug>`` (``phq9``, ``gad7``…): the library's items in order, with their LOINC codes where
  clinical.md gives one that passes the check digit (§5.0–§5.12); licensed scales carry our short labels only.
  Canonical URL ``urn:ketaclinic:questionnaire:<slug>``, version = the scoring rule's version.
- ``QuestionnaireResponse/<response id>``: linkId is the item number; a choice is a Coding (the LOINC answer
  code where there is one, otherwise ``urn:ketaclinic:scale-answer`` with the score as the code).
- ``Observation/score-<response id>``: the total (LOINC total code where valid), the severity and every flag in
  ``interpretation``, subscores as components, derived from the QuestionnaireResponse.
A corrected response is ``amended`` and its score ``corrected``; the response it replaced is entered-in-error.
"""

import re

from django.http import Http404

from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import (
    INTERPRETATION, KETACLINIC_URN, LOINC, SURVEY, coding, concept, instant, make, ref,
)
from ketaclinic.api.fhir.foundation import StaffRefs
from ketaclinic.clinical import instruments
from ketaclinic.clinical.instruments import auditc, cssrs, loinc_is_valid, pcl5, phq9
from ketaclinic.outcomes import access
from ketaclinic.outcomes.models import QuestionnaireResponse

QUESTIONNAIRE_URL = f"{KETACLINIC_URN}:questionnaire"
ANSWER_SYSTEM = f"{KETACLINIC_URN}:scale-answer"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

# Flags the library raises, as interpretations (v3 ObservationInterpretation codes: AA critical abnormal,
# POS positive). PHQ-9 item 9: clinical.md §5.1, §5.2; C-SSRS high risk: §5.8; AUDIT-C: §5.11; MDQ: §5.10;
# PCL-5: §5.1, §5.4.
FLAG_INTERPRETATIONS = {
    phq9.FLAG_SUICIDAL_IDEATION: ("AA", "Critical abnormal", "PHQ-9 item 9 endorsed: thoughts of death or self-harm"),
    cssrs.FLAG_HIGH_RISK: ("AA", "Critical abnormal", "C-SSRS screener: high risk"),
    auditc.FLAG_POSITIVE_SCREEN: ("POS", "Positive", "Positive screen"),  # the same string as MDQ's
    pcl5.FLAG_PROBABLE_PTSD: ("POS", "Positive", "Probable PTSD"),
    pcl5.FLAG_DSM5_PROVISIONAL_PTSD: ("POS", "Positive", "DSM-5 provisional PTSD diagnosis"),
}

_QR_STATUS = {"draft": "in-progress", "final": "completed", "amended": "entered-in-error"}
_OBSERVATION_STATUS = {"final": "final", "amended": "entered-in-error"}


def questionnaire_url(definition) -> str:
    return f"{QUESTIONNAIRE_URL}:{definition.slug}"


def _loinc(code: str | None, display: str | None = None) -> list[dict]:
    return [coding(LOINC, code, display)] if code and loinc_is_valid(code) else []


def _answer_coding(option) -> dict:
    if option.loinc_answer:
        return coding(LOINC, option.loinc_answer, option.label)
    return coding(ANSWER_SYSTEM, str(option.value), option.label)


def _question(item) -> dict:
    data = {"linkId": str(item.number), "prefix": f"{item.number}.", "text": item.wording or item.label,
            "code": _loinc(item.loinc), "required": True}
    if item.options:
        data["type"] = "choice"
        data["answerOption"] = [
            {"valueCoding": {**_answer_coding(o), "extension": [{"url": ORDINAL_VALUE, "valueDecimal": o.value}]}}
            for o in item.options
        ]
    else:
        data["type"] = "integer"
        data["extension"] = [{"url": MIN_VALUE, "valueInteger": item.lo}, {"url": MAX_VALUE, "valueInteger": item.hi}]
    return data


def questionnaire(definition):
    return make(
        "Questionnaire", id=definition.slug, url=questionnaire_url(definition), version=definition.rule_version,
        name=re.sub(r"[^A-Za-z0-9]", "", definition.code), title=definition.title, status="active",
        subjectType=["Patient"], code=_loinc(definition.loinc_panel, definition.title), copyright=definition.licence,
        description=definition.stem, item=[_question(item) for item in definition.items],
    )


def _answer(item, value) -> list[dict]:
    if value is None:
        return []
    option = next((o for o in item.options if o.value == value), None)
    return [{"valueCoding": _answer_coding(option)}] if option else [{"valueInteger": value}]


def _author(response: QuestionnaireResponse, staff: StaffRefs) -> dict | None:
    if response.entered_by_patient:
        return ref("Patient", response.patient_id)
    return staff.ref(response.entered_by, response.clinic_id)


def questionnaire_response(response: QuestionnaireResponse, staff: StaffRefs):
    definition = instruments.get(response.instrument)
    status = "amended" if response.status == "final" and response.amends_id else _QR_STATUS[response.status]
    answers = list(response.answers or []) + [None] * definition.item_count
    items = [{"linkId": str(item.number), "text": item.wording or item.label, "answer": _answer(item, value)}
             for item, value in zip(definition.items, answers)]
    return make(
        "QuestionnaireResponse", id=str(response.pk),
        questionnaire=f"{questionnaire_url(definition)}|{response.rule_version or definition.rule_version}",
        status=status, subject=ref("Patient", response.patient_id), authored=instant(response.taken_at),
        author=_author(response, staff), source=ref("Patient", response.patient_id) if response.entered_by_patient else None,
        item=items,
    )


def _interpretations(response: QuestionnaireResponse) -> list[dict]:
    found = [{"text": f"Severity: {response.severity}"}] if response.severity else []
    for flag in response.flags or []:
        code, display, text = FLAG_INTERPRETATIONS.get(flag, (None, None, flag))
        found.append(concept(INTERPRETATION, code, display, text) if code else {"text": text})
    return found


def score_observation(response: QuestionnaireResponse, staff: StaffRefs):
    """The scored total; None for a draft (nothing is scored until the scale is complete)."""
    if response.total is None:
        return None
    corrected = response.status == "final" and response.amends_id
    label = f"{response.instrument} total score"
    return make(
        "Observation", id=f"score-{response.pk}",
        status="corrected" if corrected else _OBSERVATION_STATUS[response.status], category=SURVEY,
        code={"coding": _loinc(response.loinc_total, label), "text": label}, subject=ref("Patient", response.patient_id),
        effectiveDateTime=instant(response.taken_at), performer=[_author(response, staff)],
        valueInteger=response.total, interpretation=_interpretations(response),
        method={"text": f"Scored by rule {response.rule_version}"},
        derivedFrom=[ref("QuestionnaireResponse", response.pk)],
        component=[{"code": {"text": f"{response.instrument} {name}"}, "valueInteger": value}
                   for name, value in sorted((response.subscores or {}).items())],
        note=[{"text": f"Corrects QuestionnaireResponse/{response.amends_id}: {response.amendment_reason}"}] if corrected else [],
    )


def clinic_resources(clinic_ids):
    for definition in instruments.INSTRUMENTS.values():
        yield questionnaire(definition)


def patient_resources(patients):
    staff = StaffRefs.for_patients(patients)
    rows = (QuestionnaireResponse.objects.filter(patient_id__in=[p.pk for p in patients])
            .select_related("entered_by").order_by("patient_id", "taken_at", "pk"))
    for response in rows.iterator(chunk_size=2000):
        yield questionnaire_response(response, staff)
        observation = score_observation(response, staff)
        if observation is not None:
            yield observation


def _read_questionnaire(user, slug):
    definition = next((d for d in instruments.INSTRUMENTS.values() if d.slug == slug), None)
    if definition is None:
        raise Http404("No such questionnaire.")
    return questionnaire(definition)


def _read_response(user, local_id):
    response = access.get_response_for_user(user, local_id)
    return questionnaire_response(response, StaffRefs([response.clinic_id]))


def _read_score(user, local_id):
    response = access.get_response_for_user(user, local_id)
    observation = score_observation(response, StaffRefs([response.clinic_id]))
    if observation is None:
        raise Http404("A draft has no score.")
    return observation


def register() -> None:
    registry.register_clinic_resources(clinic_resources)
    registry.register_patient_resources(patient_resources)
    registry.register_reader("Questionnaire", "", _read_questionnaire, numeric=False)
    registry.register_reader("QuestionnaireResponse", "", _read_response)
    registry.register_reader("Observation", "score-", _read_score)
