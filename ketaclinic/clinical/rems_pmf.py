"""The SPRAVATO REMS Patient Monitoring Form (PMF) as data: its fields, which are required, and the checks a
form must pass before it may be signed.

Fields follow clinical.md §3.7 (the 11/2021 public PMF [31] plus the newer version's walkthrough [26]). The
current PMF PDF was not available (§11.3), so the wording is ours and the table is the one place to change
when the REMS changes (§3.8 "keep PMF fields data-driven"). Required (*) on the form: names, date of birth,
sex, HCP name, setting, treatment date, dose and monitoring time. We also require an answer to every yes/no
question and every blood pressure the label asks for (§3.4), because an unanswered safety question is not a
"no"; the lot number (§3.7 asks for it with the dose); and the REMS evaluation question. Pure Python.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ketaclinic.clinical.dosing import ESKETAMINE_US_LABEL_DOSES_MG
from ketaclinic.clinical.protocols import ESKETAMINE_OBSERVATION_MIN_MIN

FORM_VERSION = "pmf-2021-11+newer-fields.1"  # clinical.md §3.7 [26][31]; see module docstring

YES, NO = "yes", "no"
DOSE_OTHER = "other"
BP_PATTERN = re.compile(r"^(\d{2,3})/(\d{2,3})$")  # "128/82"
MONITORING_MIN_MAX = 24 * 60  # a day; input sanity bound, not a clinical number


@dataclass(frozen=True)
class PmfField:
    key: str
    section: str
    label: str
    kind: str  # text, date, yesno, minutes, bp, dose, email, phone
    required: bool = True
    required_if: tuple[str, str] | None = None  # (other field, value) that makes this one required


SECTIONS = (
    "Patient", "Concomitant medications", "Monitoring healthcare provider", "Healthcare setting",
    "Treatment session", "REMS evaluation", "Vital signs", "Adverse events",
)

FIELDS: tuple[PmfField, ...] = (
    PmfField("patient_first_name", "Patient", "First name", "text"),
    PmfField("patient_middle_initial", "Patient", "Middle initial", "text", required=False),
    PmfField("patient_last_name", "Patient", "Last name", "text"),
    PmfField("patient_date_of_birth", "Patient", "Date of birth", "date"),
    PmfField("patient_sex", "Patient", "Sex", "text"),
    PmfField("first_treatment", "Patient", "Is this the patient's first treatment?", "yesno"),
    PmfField("patient_enrolled", "Patient", "Is the patient enrolled in the REMS?", "yesno",
             required=False, required_if=("first_treatment", YES)),
    PmfField("benzodiazepines", "Concomitant medications", "Benzodiazepines", "yesno"),
    PmfField("non_benzodiazepine_sedative_hypnotics", "Concomitant medications",
             "Non-benzodiazepine sedative hypnotics", "yesno"),
    PmfField("psychostimulants", "Concomitant medications", "Psychostimulants", "yesno"),
    PmfField("maois", "Concomitant medications", "Monoamine oxidase inhibitors (MAOIs)", "yesno"),
    PmfField("opioids", "Concomitant medications", "Opioids", "yesno"),
    PmfField("other_sedating_medications", "Concomitant medications",
             "Other medications that may cause sedation, dissociation, respiratory depression or BP changes", "yesno"),
    PmfField("hcp_first_name", "Monitoring healthcare provider", "First name", "text"),
    PmfField("hcp_last_name", "Monitoring healthcare provider", "Last name", "text"),
    PmfField("hcp_phone", "Monitoring healthcare provider", "Phone", "phone", required=False),
    PmfField("hcp_email", "Monitoring healthcare provider", "Email", "email", required=False),
    PmfField("setting_name", "Healthcare setting", "Setting name", "text"),
    PmfField("setting_rems_certification", "Healthcare setting", "REMS certification number", "text", required=False),
    PmfField("setting_address", "Healthcare setting", "Address", "text"),
    PmfField("setting_city", "Healthcare setting", "City", "text"),
    PmfField("setting_state", "Healthcare setting", "State", "text"),
    PmfField("setting_zip", "Healthcare setting", "ZIP code", "text"),
    PmfField("treatment_date", "Treatment session", "Date of treatment", "date"),
    PmfField("dose", "Treatment session", "Dose (56 mg, 84 mg or other)", "dose"),
    PmfField("dose_other_mg", "Treatment session", "Other dose (mg)", "minutes",
             required=False, required_if=("dose", DOSE_OTHER)),
    PmfField("lot_number", "Treatment session", "Lot number", "text"),
    PmfField("total_monitoring_min", "Treatment session",
             "Total time the patient was monitored, from the first device to the end of monitoring (minutes)", "minutes"),
    PmfField("ready_to_leave_min", "REMS evaluation",
             "If not for the 2-hour requirement, when would the patient have been ready to leave (minutes after the first device)?",
             "minutes"),
    PmfField("vitals_acceptable_before_dosing", "Vital signs", "Vital signs acceptable before administration?", "yesno"),
    PmfField("vitals_acceptable_before_end", "Vital signs", "Vital signs acceptable before the end of monitoring?", "yesno"),
    PmfField("bp_before_dosing", "Vital signs", "Blood pressure before dosing (mmHg)", "bp"),
    PmfField("bp_40_min", "Vital signs", "Blood pressure about 40 minutes after dosing (mmHg)", "bp"),
    PmfField("bp_before_discharge", "Vital signs", "Blood pressure before the end of monitoring (mmHg)", "bp"),
    PmfField("pulse_oximetry_monitored", "Vital signs", "Pulse oximetry monitored?", "yesno"),
    PmfField("sedation", "Adverse events", "Did the patient experience sedation?", "yesno"),
    PmfField("dissociation", "Adverse events", "Did the patient experience dissociation?", "yesno"),
    PmfField("respiratory_depression", "Adverse events", "Did the patient experience respiratory depression?", "yesno"),
    PmfField("blood_pressure_increase", "Adverse events", "Did the patient have a clinically significant increase in blood pressure?", "yesno"),
    PmfField("events_resolved", "Adverse events", "Had every event resolved by the end of monitoring?", "yesno",
             required=False, required_if=("any_event", YES)),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
EVENT_KEYS = ("sedation", "dissociation", "respiratory_depression", "blood_pressure_increase")


def is_required(field: PmfField, data: dict) -> bool:
    if field.required:
        return True
    if field.required_if is None:
        return False
    other, value = field.required_if
    if other == "any_event":
        return any(data.get(key) == YES for key in EVENT_KEYS)
    return data.get(other) == value


def missing_required(data: dict) -> list[str]:
    """Keys of required fields that are empty, in form order. A form with any is not ready to sign."""
    return [f.key for f in FIELDS if is_required(f, data) and _empty(data.get(f.key))]


def invalid_values(data: dict) -> dict[str, str]:
    """{key: message} for filled fields whose value is malformed or breaks a REMS rule."""
    errors = {}
    for key, value in data.items():
        field = FIELD_BY_KEY.get(key)
        if field is None:
            errors[key] = "is not a field of the monitoring form."
        elif not _empty(value):
            message = _check(field, value)
            if message:
                errors[key] = message
    _check_ready_before_total(data, errors)
    return errors


def sign_blockers(data: dict) -> dict[str, str]:
    """Everything that stops a signature: each required empty field and each invalid value, keyed by field."""
    blockers = {key: "is required before the form can be signed." for key in missing_required(data)}
    blockers.update(invalid_values(data))
    return blockers


def _check(field: PmfField, value) -> str | None:
    checker = _CHECKERS.get(field.kind)
    return checker(value) if checker else None


def _check_yesno(value) -> str | None:
    return None if value in (YES, NO) else "must be yes or no."


def _check_date(value) -> str | None:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return "must be a date (YYYY-MM-DD)."
    return None


def _check_minutes(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MONITORING_MIN_MAX:
        return f"must be a whole number of minutes from 0 to {MONITORING_MIN_MAX}."
    return None


def _check_bp(value) -> str | None:
    match = BP_PATTERN.match(str(value).strip())
    if not match or int(match.group(2)) >= int(match.group(1)):
        return "must be systolic/diastolic, for example 128/82."
    return None


def _check_dose(value) -> str | None:
    allowed = [str(d) for d in ESKETAMINE_US_LABEL_DOSES_MG] + [DOSE_OTHER]
    return None if str(value) in allowed else f"must be one of {', '.join(allowed)}."


def _check_text(value) -> str | None:
    return None if isinstance(value, str) and len(value) <= 200 else "must be text of at most 200 characters."


_CHECKERS = {
    "yesno": _check_yesno, "date": _check_date, "minutes": _check_minutes, "bp": _check_bp, "dose": _check_dose,
    "text": _check_text, "phone": _check_text, "email": _check_text,
}


def _check_ready_before_total(data: dict, errors: dict) -> None:
    total = data.get("total_monitoring_min")
    if isinstance(total, int) and not isinstance(total, bool) and "total_monitoring_min" not in errors:
        if total < ESKETAMINE_OBSERVATION_MIN_MIN:  # §3.7: "must be ≥120"
            errors["total_monitoring_min"] = f"must be at least {ESKETAMINE_OBSERVATION_MIN_MIN} minutes (REMS)."
    ready = data.get("ready_to_leave_min")
    if _check_minutes(ready) is None and _check_minutes(total) is None and ready > total:
        errors["ready_to_leave_min"] = "cannot be later than the end of monitoring."


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
