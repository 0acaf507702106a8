"""Import of a rating-scale result from a FHIR QuestionnaireResponse (a PHQ-9 filled in another system, say).

The response is parsed with fhir.resources, its answers are put in item order and recorded through
``outcomes.services.record_response`` like any other staff entry (checked, scored, safety path, audit), with
context "imported". Every refusal is a ValidationError keyed by the element it names:

- ``resourceType``, ``status`` (only completed or amended), ``questionnaire`` (which scale),
  ``subject`` (``Patient/<id>``), ``authored`` (a date and time with its zone);
- ``item`` (an item the scale does not have, or given twice), ``item_<n>`` (a missing, unreadable or
  out-of-range answer), ``total`` (a stated total that the answers do not add up to), ``duplicate``.

Which scale: our canonical URL (``urn:ketaclinic:questionnaire:phq9``), ``Questionnaire/phq9``, or the
LOINC form's (``http://loinc.org/q/44249-1``). Which item: our linkId (the item number) or the item's LOINC
code (``/44250-9``). Which answer: valueInteger, a valueCoding (LOINC answer code or ours), or valueBoolean
for a yes/no item.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass

import pydantic
from django.core.exceptions import ValidationError
from django.db import transaction
from fhir.resources.R4B import get_fhir_model_class

from ketaclinic.accounts import audit
from ketaclinic.api.fhir.build import LOINC
from ketaclinic.api.fhir.outcomes import ANSWER_SYSTEM, questionnaire_url
from ketaclinic.clinical import instruments
from ketaclinic.clinical.instruments import InstrumentDefinition, gad7, phq9
from ketaclinic.outcomes.models import Context, QuestionnaireResponse
from ketaclinic.outcomes.services.responses import record_response

RESOURCE_TYPE = "QuestionnaireResponse"
IMPORTABLE_STATUSES = ("completed", "amended")
# Sanity bound, not a clinical number: a scale answered before this is a typing error (and date arithmetic
# near year 1 overflows).
EARLIEST_AUTHORED = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)
_SUBJECT = re.compile(r"(?:^|/)Patient/(\d{1,18})$")
# Items another system's form may carry that the scale does not score: the PHQ-9 difficulty question
# (69722-7, clinical.md §5.2) is skipped; the stated total is checked against ours, never trusted.
IGNORED_ITEM_CODES = {"PHQ-9": frozenset({phq9.DIFFICULTY_LOINC})}
# The LOINC GAD-7 form's "More days than not" for 2 on item 2 (clinical.md §5.3).
EXTRA_ANSWER_CODES = {("GAD-7", 2): {gad7.ITEM2_ALTERNATE_OPTION_2.loinc_answer: gad7.ITEM2_ALTERNATE_OPTION_2.value}}


class NotJson(ValueError):
    """The body is not a JSON object."""


@dataclass(frozen=True)
class ParsedResponse:
    definition: InstrumentDefinition
    taken_at: dt.datetime
    answers: tuple  # ints in item order, None where the response has no answer
    stated_total: int | None
    source_id: str


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def check_resource(body: bytes):
    """The parsed fhir.resources QuestionnaireResponse; NotJson or ValidationError naming the element."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise NotJson("The body is not JSON.") from None
    if not isinstance(data, dict):
        raise NotJson("The body must be one JSON object, a FHIR QuestionnaireResponse.")
    if data.get("resourceType") != RESOURCE_TYPE:
        raise _invalid("resourceType", f"expected {RESOURCE_TYPE}, got {data.get('resourceType')!r}.")
    try:
        return get_fhir_model_class(RESOURCE_TYPE).model_validate(data)
    except pydantic.ValidationError as error:
        fields: dict[str, list[str]] = {}
        for err in error.errors():
            name = ".".join(str(part) for part in err.get("loc", ())) or RESOURCE_TYPE
            fields.setdefault(name, []).append(err.get("msg", "is invalid"))
        raise ValidationError(fields) from None


def subject_id(resource) -> int:
    reference = resource.subject.reference if resource.subject is not None else None
    match = _SUBJECT.search(reference or "")
    if match is None:
        raise _invalid("subject", f"expected a reference to Patient/<id> of this clinic, got {reference!r}.")
    return int(match.group(1))


def check_response(resource) -> ParsedResponse:
    if resource.status not in IMPORTABLE_STATUSES:
        raise _invalid("status", f"only a completed QuestionnaireResponse can be imported; this one is {resource.status!r}.")
    definition = definition_for(resource.questionnaire)
    answers, stated_total = _answers(definition, resource.item or [])
    return ParsedResponse(definition, _authored(resource.authored), tuple(answers), stated_total, resource.id or "")


def definition_for(canonical: str | None) -> InstrumentDefinition:
    url = (canonical or "").split("|", 1)[0].rstrip("/")
    last = url.rsplit("/", 1)[-1]
    for definition in instruments.INSTRUMENTS.values():
        ours = (questionnaire_url(definition), f"Questionnaire/{definition.slug}")
        if url in ours or url.endswith("/" + ours[1]):
            return definition
        if definition.loinc_panel and last == definition.loinc_panel and "loinc.org" in url:
            return definition
    known = ", ".join(f"{d.code} ({questionnaire_url(d)})" for d in instruments.INSTRUMENTS.values())
    raise _invalid("questionnaire", f"unknown questionnaire {canonical!r}; known: {known}.")


def _authored(value) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise _invalid("authored", "give when it was answered as a date and time with its zone, "
                                   "e.g. 2026-11-01T09:30:00-08:00.")
    if value < EARLIEST_AUTHORED:
        raise _invalid("authored", f"{value.date()} is before {EARLIEST_AUTHORED.year}.")
    return value


def _flatten(items):
    for item in items:
        yield item
        yield from _flatten(item.item or [])
        for answer in item.answer or []:
            yield from _flatten(answer.item or [])


def _item_number(definition, link_id: str) -> int | None:
    if link_id.isdigit() and 1 <= int(link_id) <= definition.item_count:
        return int(link_id)
    code = link_id.rstrip("/").rsplit("/", 1)[-1]
    return next((item.number for item in definition.items if item.loinc and item.loinc == code), None)


def _answers(definition, items) -> tuple[list, int | None]:
    answers: list = [None] * definition.item_count
    seen: set[int] = set()
    stated_total = None
    for item in _flatten(items):
        if not item.answer:
            continue
        code = item.linkId.rstrip("/").rsplit("/", 1)[-1]
        if definition.loinc_total and code == definition.loinc_total:
            stated_total = _stated_total(item)
            continue
        if code in IGNORED_ITEM_CODES.get(definition.code, ()):
            continue
        number = _item_number(definition, item.linkId)
        if number is None:
            raise _invalid("item", f"linkId {item.linkId!r} is not an item of {definition.code} "
                                   f"(items 1–{definition.item_count}, or their LOINC codes).")
        if number in seen:
            raise _invalid("item", f"{definition.code} item {number} is answered twice.")
        seen.add(number)
        answers[number - 1] = _value(definition, definition.items[number - 1], item.answer)
    return answers, stated_total


def _stated_total(item) -> int | None:
    answer = item.answer[0]
    for value in (answer.valueInteger, answer.valueDecimal, getattr(answer.valueQuantity, "value", None)):
        if value is not None:
            return int(value) if int(value) == value else None
    return None


def _value(definition, item, answers):
    where = f"{definition.code} item {item.number}"
    if len(answers) != 1:
        raise _invalid(f"item_{item.number}", f"{where}: expected one answer, got {len(answers)}.")
    answer = answers[0]
    if answer.valueInteger is not None:
        return answer.valueInteger
    if answer.valueBoolean is not None and (item.lo, item.hi) == (0, 1):
        return int(answer.valueBoolean)
    if answer.valueCoding is not None:
        return _coded_value(definition, item, answer.valueCoding, where)
    raise _invalid(f"item_{item.number}", f"{where}: expected valueInteger or valueCoding.")


def _coded_value(definition, item, value, where: str) -> int:
    codes = {o.loinc_answer: o.value for o in item.options if o.loinc_answer}
    codes.update(EXTRA_ANSWER_CODES.get((definition.code, item.number), {}))
    if value.system in (LOINC, None) and value.code in codes:
        return codes[value.code]
    if value.system in (ANSWER_SYSTEM, None) and value.code and value.code.lstrip("-").isdigit():
        return int(value.code)  # the range is checked when it is scored
    known = ", ".join(sorted(codes)) or f"{ANSWER_SYSTEM} codes {item.lo}–{item.hi}"
    raise _invalid(f"item_{item.number}", f"{where}: answer code {value.code!r} ({value.system}) is not one of {known}.")


# The outcome service names the time it was given ``taken_at``; here it is the resource's ``authored``.
_SERVICE_FIELDS = {"taken_at": "authored"}


@transaction.atomic
def do_import(patient, parsed: ParsedResponse, *, acting_user) -> QuestionnaireResponse:
    """Record the response as staff entered it; the stated total, if any, must be the one the answers give."""
    code = parsed.definition.code
    _check_not_recorded(patient, code, parsed)
    try:
        response = record_response(patient, code, list(parsed.answers), acting_user=acting_user, entered_by_patient=False,
                                   context=Context.IMPORTED, taken_at=parsed.taken_at)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError({_SERVICE_FIELDS.get(k, k): v for k, v in error.error_dict.items()}) from None
    if parsed.stated_total is not None and parsed.stated_total != response.total:
        raise _invalid("total", f"the response states a {code} total of {parsed.stated_total}; "
                                f"its answers add up to {response.total}.")
    source = f" (its id {parsed.source_id})" if parsed.source_id else ""
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="fhir_import", object_id=response.pk,
                 clinic=patient.clinic_id, patient=patient,
                 summary=f"Imported {code} from a FHIR QuestionnaireResponse{source}: {response.total}, {response.severity}")
    return response


def _check_not_recorded(patient, code: str, parsed: ParsedResponse) -> None:
    """The same answers at the same time are already on the record (a retried import, say)."""
    same_time = QuestionnaireResponse.objects.filter(patient=patient, instrument=code, taken_at=parsed.taken_at,
                                                     status=QuestionnaireResponse.Status.FINAL)
    for existing in same_time:
        if list(existing.answers) == list(parsed.answers):
            raise _invalid("duplicate", f"already recorded as QuestionnaireResponse/{existing.pk}.")
