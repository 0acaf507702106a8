"""Filling in and submitting an intake: validation naming the field, audit rows, and the engine's input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.intake import services
from ketaclinic.intake.models import CandidacyEvaluation, Intake
from ketaclinic.intake.tests.conftest import fill_intake


def errors(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_starting_is_idempotent_and_audited_once(patient, bob):
    first = services.start_intake(patient, acting_user=bob)
    assert services.start_intake(patient, acting_user=bob) == first
    assert AuditEvent.objects.filter(object_type="intake", action="create").count() == 1


def test_answers_are_saved_with_an_audit_row_of_what_changed(patient, bob):
    intake = services.start_intake(patient, acting_user=bob)
    services.update_intake(intake, data={"conditions": ["ptsd", "major-depression", "ptsd"],
                                         "history": {"brain_injury": True, "psychosis": False}}, acting_user=bob)
    intake.refresh_from_db()
    assert intake.conditions == ["major-depression", "ptsd"] and intake.history == {"brain_injury": True}
    event = AuditEvent.objects.get(action="update", object_type="intake")
    assert event.changes["conditions"] == [[], ["major-depression", "ptsd"]] and event.patient_id == patient.pk


@pytest.mark.parametrize("data, field", [
    ({"conditions": ["insomnia"]}, "conditions"),
    ({"history": {"seizures": True}}, "history"),
    ({"history": {"psychosis": "yes"}}, "history"),
    ({"current_mood_state": "grumpy"}, "current_mood_state"),
    ({"mrn": "X"}, "mrn"),
])
def test_bad_answers_are_refused_naming_the_field(patient, bob, data, field):
    intake = services.start_intake(patient, acting_user=bob)
    assert field in errors(lambda: services.update_intake(intake, data=data, acting_user=bob))


@pytest.mark.parametrize("vitals, field, message", [
    ({"screening_bp_systolic_mmhg": 39, "screening_bp_diastolic_mmhg": 30}, "screening_bp_systolic_mmhg", "greater than or equal to 40"),
    ({"screening_bp_systolic_mmhg": 301, "screening_bp_diastolic_mmhg": 80}, "screening_bp_systolic_mmhg", "less than or equal to 300"),
    ({"screening_bp_systolic_mmhg": 120, "screening_bp_diastolic_mmhg": 19}, "screening_bp_diastolic_mmhg", "greater than or equal to 20"),
    ({"screening_bp_systolic_mmhg": 80, "screening_bp_diastolic_mmhg": 120}, "screening_bp_diastolic_mmhg", "swapped"),
    ({"screening_bp_systolic_mmhg": 120}, "screening_bp_diastolic_mmhg", "both"),
    ({"screening_heart_rate_bpm": 19}, "screening_heart_rate_bpm", "greater than or equal to 20"),
    ({"screening_spo2_pct": 101}, "screening_spo2_pct", "less than or equal to 100"),
])
def test_screening_vitals_outside_plausible_ranges_are_refused(patient, bob, vitals, field, message):
    intake = services.start_intake(patient, acting_user=bob)
    found = errors(lambda: services.update_intake(intake, data=vitals, acting_user=bob))
    assert message in " ".join(found[field])
    intake.refresh_from_db()
    assert intake.screening_bp_systolic_mmhg is None  # nothing saved half-way


def test_vitals_on_the_plausible_edges_are_accepted_and_stamped(patient, bob):
    intake = services.start_intake(patient, acting_user=bob)
    services.update_intake(intake, acting_user=bob, data={
        "screening_bp_systolic_mmhg": 300, "screening_bp_diastolic_mmhg": 20, "screening_heart_rate_bpm": 250,
        "screening_spo2_pct": 50})
    intake.refresh_from_db()
    assert intake.screening_bp_mmhg == (300, 20) and intake.screening_vitals_by == bob
    assert intake.screening_vitals_at is not None


def test_a_patient_may_not_enter_vitals_or_change_a_submitted_intake(patient, pat, bob):
    intake = fill_intake(patient, pat)
    assert "screening_bp_systolic_mmhg" in errors(lambda: services.update_intake(
        intake, data={"screening_bp_systolic_mmhg": 120}, acting_user=pat, by_patient=True))
    services.submit_intake(intake, acting_user=pat, by_patient=True)
    with pytest.raises(ValidationError, match="sent to the clinic"):
        services.update_intake(intake, data={"pregnant": True}, acting_user=pat, by_patient=True)
    with pytest.raises(ValidationError, match="sent to the clinic"):
        services.add_item(intake, "medication", data={"name": "lorazepam"}, acting_user=pat, by_patient=True)


def test_trials_medications_and_allergies_are_added_and_removed_with_audit_rows(patient, bob):
    intake = services.start_intake(patient, acting_user=bob)
    trial = services.add_item(intake, "trial", acting_user=bob, data={
        "drug": "sertraline", "dose_mg_per_day": 150, "weeks": 8, "adequate_dose": "yes", "adherence": "most",
        "outcome": "no-response"})
    services.add_item(intake, "allergy", data={"substance": "penicillin", "severity": "severe"}, acting_user=bob)
    services.remove_item(intake, "trial", trial.pk, acting_user=bob)
    assert not intake.trials.exists() and intake.allergies.count() == 1
    types = list(AuditEvent.objects.filter(patient=patient).values_list("object_type", "action").order_by("id"))
    assert types[-3:] == [("intake_trial", "create"), ("intake_allergy", "create"), ("intake_trial", "delete")]


@pytest.mark.parametrize("data, field", [
    ({"drug": "sertraline", "weeks": 521, "outcome": "no-response"}, "weeks"),
    ({"drug": "sertraline", "weeks": 8, "outcome": "cured"}, "outcome"),
    ({"drug": "", "weeks": 8, "outcome": "response"}, "drug"),
    ({"drug": "sertraline", "weeks": 8, "outcome": "response", "adherence": "always"}, "adherence"),
])
def test_a_bad_trial_names_the_field(patient, bob, data, field):
    intake = services.start_intake(patient, acting_user=bob)
    assert field in errors(lambda: services.add_item(intake, "trial", data=data, acting_user=bob))
    assert not intake.trials.exists()


def test_another_intakes_item_cannot_be_removed(patient, other_patient, bob):
    mine = services.start_intake(patient, acting_user=bob)
    theirs = services.start_intake(other_patient, acting_user=bob)
    med = services.add_item(theirs, "medication", data={"name": "lorazepam"}, acting_user=bob)
    assert "item" in errors(lambda: services.remove_item(mine, "medication", med.pk, acting_user=bob))
    assert theirs.medications.count() == 1


def test_an_incomplete_intake_cannot_be_submitted_and_says_what_is_missing(patient, bob):
    intake = services.start_intake(patient, acting_user=bob)
    found = errors(lambda: services.submit_intake(intake, acting_user=bob))
    assert set(found) == {"conditions", "current_mood_state", "no_known_allergies"}
    assert Intake.objects.get().status == "in_progress" and not CandidacyEvaluation.objects.exists()


def test_submitting_runs_the_engine_and_awaits_review(patient, bob):
    intake = services.submit_intake(fill_intake(patient, bob), acting_user=bob)
    assert intake.status == "awaiting_review" and intake.submitted_by == bob
    evaluation = CandidacyEvaluation.objects.get()
    assert (evaluation.iv_verdict, evaluation.esketamine_verdict) == ("eligible", "eligible")
    assert AuditEvent.objects.filter(object_type="candidacy_evaluation").count() == 1
    with pytest.raises(ValidationError, match="already been sent"):
        services.submit_intake(intake, acting_user=bob)


def test_a_change_after_submitting_re_runs_the_engine(patient, bob):
    intake = services.submit_intake(fill_intake(patient, bob), acting_user=bob)
    services.update_intake(intake, acting_user=bob,
                           data={"screening_bp_systolic_mmhg": 160, "screening_bp_diastolic_mmhg": 90})
    latest = services.latest_evaluation(patient)
    assert CandidacyEvaluation.objects.count() == 2 and latest.iv_verdict == "not-eligible"
    assert latest.engine_input["blood_pressure_mmhg"] == [160, 90]


def test_the_engine_input_maps_every_field(patient, bob):
    intake = fill_intake(patient, bob, answers={"history": {"hepatic_impairment": True}, "pregnant": False})
    services.add_item(intake, "trial", acting_user=bob, data={
        "drug": "fluoxetine", "weeks": 12, "adequate_dose": "unsure", "outcome": "partial-response"})
    services.add_item(intake, "medication", data={"name": "clonazepam", "dose": "0.5 mg"}, acting_user=bob)
    services.update_intake(intake, data={"screening_bp_systolic_mmhg": 141, "screening_bp_diastolic_mmhg": 85},
                           acting_user=bob)
    data = services.engine_input(Intake.objects.get(), today=dt.date(2026, 11, 28))
    assert data["age_years"] == 46  # born 1980-01-02 (make_patient n=1)
    assert data["sex"] == "female" and data["history"] == {"hepatic_impairment": True}
    assert data["antidepressant_trials"][-1] == {"drug": "fluoxetine", "weeks": 12, "adequate_dose": False,
                                                 "outcome": "partial-response"}  # "not sure" is not adequate
    assert data["medications"] == ["clonazepam"] and data["blood_pressure_mmhg"] == [141, 85]
