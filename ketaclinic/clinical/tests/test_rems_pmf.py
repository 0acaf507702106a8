from ketaclinic.clinical import rems_pmf

COMPLETE = {
    "patient_first_name": "Pat", "patient_last_name": "Núñez", "patient_date_of_birth": "1980-01-02", "patient_sex": "Female",
    "first_treatment": "no", "benzodiazepines": "no", "non_benzodiazepine_sedative_hypnotics": "no", "psychostimulants": "no",
    "maois": "no", "opioids": "no", "other_sedating_medications": "no", "hcp_first_name": "Bob", "hcp_last_name": "Nurse",
    "setting_name": "Westside", "setting_address": "1 Main St", "setting_city": "Los Angeles", "setting_state": "CA",
    "setting_zip": "90001", "treatment_date": "2026-11-18", "dose": "56", "lot_number": "L1", "total_monitoring_min": 125,
    "ready_to_leave_min": 75, "vitals_acceptable_before_dosing": "yes", "vitals_acceptable_before_end": "yes",
    "bp_before_dosing": "124/78", "bp_40_min": "138/86", "bp_before_discharge": "126/80", "pulse_oximetry_monitored": "yes",
    "sedation": "no", "dissociation": "no", "respiratory_depression": "no", "blood_pressure_increase": "no",
}


def test_a_complete_form_has_no_blockers():
    assert rems_pmf.sign_blockers(COMPLETE) == {}


def test_every_required_field_blocks_when_empty():
    for field in rems_pmf.FIELDS:
        if field.required:
            blockers = rems_pmf.sign_blockers({**COMPLETE, field.key: ""})
            assert blockers == {field.key: "is required before the form can be signed."}, field.key


def test_enrolment_is_asked_only_at_the_first_treatment():
    assert "patient_enrolled" in rems_pmf.missing_required({**COMPLETE, "first_treatment": "yes"})
    assert "patient_enrolled" not in rems_pmf.missing_required(COMPLETE)


def test_an_other_dose_needs_its_milligrams():
    assert rems_pmf.missing_required({**COMPLETE, "dose": "other"}) == ["dose_other_mg"]


def test_any_event_needs_the_resolved_answer():
    assert rems_pmf.missing_required({**COMPLETE, "sedation": "yes"}) == ["events_resolved"]
    assert rems_pmf.missing_required({**COMPLETE, "sedation": "yes", "events_resolved": "yes"}) == []


def test_monitoring_must_be_at_least_120_minutes():
    assert rems_pmf.invalid_values({**COMPLETE, "total_monitoring_min": 119, "ready_to_leave_min": 60}) == {
        "total_monitoring_min": "must be at least 120 minutes (REMS)."}
    assert rems_pmf.invalid_values({**COMPLETE, "total_monitoring_min": 120, "ready_to_leave_min": 60}) == {}


def test_ready_cannot_be_after_the_end_of_monitoring():
    assert rems_pmf.invalid_values({**COMPLETE, "ready_to_leave_min": 126}) == {
        "ready_to_leave_min": "cannot be later than the end of monitoring."}


def test_malformed_values_name_their_field():
    errors = rems_pmf.invalid_values({**COMPLETE, "sedation": "maybe", "bp_40_min": "80/120", "dose": "70",
                                      "treatment_date": "18/11/2026", "nonsense": "x"})
    assert set(errors) == {"sedation", "bp_40_min", "dose", "treatment_date", "nonsense"}
    assert errors["bp_40_min"] == "must be systolic/diastolic, for example 128/82."
