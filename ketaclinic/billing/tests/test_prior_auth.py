"""Esketamine prior authorisation: pre-filled from the record, then request → decision, expiry and units."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.billing.services import insurance, prior_auth


@pytest.fixture
def record(patient, biller):
    """What the payer asks about, as the intake and outcomes areas hold it."""
    from ketaclinic.intake.models import AntidepressantTrial, Intake
    from ketaclinic.outcomes.models import QuestionnaireResponse

    insurance.set_diagnoses(patient, codes_list=["f33.2"], acting_user=biller)
    intake = Intake.objects.create(patient=patient, conditions=["major-depression"])
    AntidepressantTrial.objects.create(intake=intake, drug="sertraline", dose_mg_per_day=Decimal("200"), weeks=8,
                                       adequate_dose="yes", adherence="good", outcome="no-response")
    AntidepressantTrial.objects.create(intake=intake, drug="bupropion", dose_mg_per_day=Decimal("300"), weeks=6,
                                       adequate_dose="yes", adherence="good", outcome="intolerance")
    for total, day in ((22, 2), (9, 12)):  # the first is the baseline
        taken = dt.datetime(2026, 3, day, 18, tzinfo=dt.timezone.utc)
        QuestionnaireResponse.objects.create(patient=patient, clinic=patient.clinic, instrument="PHQ-9", status="final",
                                             answers=[2] * 9, total=total, severity="severe" if total > 19 else "mild",
                                             taken_at=taken, taken_on=taken.date())


def start(covered, biller, **data):
    return prior_auth.start_prior_authorization(covered, data={"units_requested": 24, **data}, acting_user=biller)


def test_the_payers_questions_are_pre_filled_from_the_record(record, covered, biller):
    pa = start(covered, biller)
    assert pa.diagnosis_codes == ["F33.2"]
    assert pa.failed_trials.splitlines() == [
        "sertraline: 200 mg/day, 8 weeks; adequate dose: yes; adherence: good; outcome: no response",
        "bupropion: 300 mg/day, 6 weeks; adequate dose: yes; adherence: good; outcome: stopped for side effects (intolerance)",
    ]
    assert pa.baseline_scores == "PHQ-9: 22 (severe) on 03/02/2026"
    assert pa.clinical_summary == "Conditions noted at intake: Major depression."


def test_with_nothing_on_record_the_answers_are_left_blank(covered, biller):
    pa = start(covered, biller)
    assert (pa.diagnosis_codes, pa.failed_trials, pa.baseline_scores) == ([], "", "")


def test_submitting_needs_a_diagnosis(covered, biller):
    pa = start(covered, biller)
    with pytest.raises(ValidationError) as error:
        prior_auth.submit_prior_authorization(pa, submitted_on=dt.date(2026, 3, 16), acting_user=biller)
    assert "diagnosis_codes" in error.value.message_dict


def test_from_request_to_approval_with_expiry_and_units(record, covered, biller):
    pa = start(covered, biller, requested_on=dt.date(2026, 3, 2))
    pa = prior_auth.submit_prior_authorization(pa, submitted_on=dt.date(2026, 3, 3), acting_user=biller)
    pa = prior_auth.record_approval(pa, decided_on=dt.date(2026, 3, 9), units_approved=2, valid_from=dt.date(2026, 3, 9),
                                    valid_to=dt.date(2026, 3, 25), payer_reference="AUTH-9", acting_user=biller)
    assert pa.status == "approved" and pa.is_in_force(dt.date(2026, 3, 25)) and not pa.is_in_force(dt.date(2026, 3, 26))
    assert prior_auth.warnings_for(pa, dt.date(2026, 3, 16)) == ["Expires on 03/25/2026; ask for a renewal now.",
                                                                 "2 units left."]
    assert prior_auth.authorization_for(pa.patient, "G2082", dt.date(2026, 3, 16)) == pa
    assert prior_auth.authorization_for(pa.patient, "G2082", dt.date(2026, 3, 26)) is None  # expired
    assert prior_auth.authorization_for(pa.patient, "G2083", dt.date(2026, 3, 16)) is None  # other code
    steps = AuditEvent.objects.filter(object_type="prior_authorization").values_list("summary", flat=True)
    assert "Recorded prior authorisation approval" in steps


def test_denied_then_appealed_then_approved(record, covered, biller):
    pa = prior_auth.submit_prior_authorization(start(covered, biller), submitted_on=dt.date(2026, 3, 16), acting_user=biller)
    pa = prior_auth.record_denial(pa, decided_on=dt.date(2026, 3, 16), reason="Only one failed trial documented",
                                  acting_user=biller)
    pa = prior_auth.appeal_prior_authorization(pa, note="Second trial (bupropion) attached", acting_user=biller)
    assert pa.status == "appealed" and "Appeal: Second trial" in pa.clinical_summary
    pa = prior_auth.record_approval(pa, decided_on=dt.date(2026, 3, 16), units_approved=24, valid_from=dt.date(2026, 3, 16),
                                    valid_to=dt.date(2026, 9, 16), payer_reference="AUTH-10", acting_user=biller)
    assert pa.status == "approved"


@pytest.mark.parametrize("kwargs, field", [
    ({"units_approved": 0}, "units_approved"),
    ({"valid_to": dt.date(2026, 3, 1)}, "valid_to"),
    ({"payer_reference": " "}, "payer_reference"),
])
def test_a_bad_approval_names_the_field(record, covered, biller, kwargs, field):
    pa = prior_auth.submit_prior_authorization(start(covered, biller), submitted_on=dt.date(2026, 3, 16), acting_user=biller)
    args = dict(decided_on=dt.date(2026, 3, 16), units_approved=8, valid_from=dt.date(2026, 3, 16),
                valid_to=dt.date(2026, 6, 16), payer_reference="A-1")
    with pytest.raises(ValidationError) as error:
        prior_auth.record_approval(pa, acting_user=biller, **{**args, **kwargs})
    assert field in error.value.message_dict


def test_a_step_out_of_order_is_refused(covered, biller):
    pa = start(covered, biller)
    with pytest.raises(ValidationError, match="cannot become approved"):
        prior_auth.record_approval(pa, decided_on=dt.date(2026, 3, 16), units_approved=8, valid_from=dt.date(2026, 3, 16),
                                   valid_to=dt.date(2026, 6, 16), payer_reference="A-1", acting_user=biller)
    pa = prior_auth.withdraw_prior_authorization(pa, acting_user=biller)
    with pytest.raises(ValidationError, match="closed"):
        prior_auth.submit_prior_authorization(pa, submitted_on=dt.date(2026, 3, 16), acting_user=biller)


def test_a_submitted_request_is_no_longer_edited(record, covered, biller):
    pa = prior_auth.submit_prior_authorization(start(covered, biller), submitted_on=dt.date(2026, 3, 16), acting_user=biller)
    with pytest.raises(ValidationError, match="gone to the payer"):
        prior_auth.update_draft(pa, data={"units_requested": 30}, acting_user=biller)


def test_an_ended_coverage_cannot_start_a_request(covered, biller):
    covered = insurance.end_coverage(covered, ended_on=dt.date(2026, 3, 16), acting_user=biller)
    with pytest.raises(ValidationError, match="ended"):
        start(covered, biller)
