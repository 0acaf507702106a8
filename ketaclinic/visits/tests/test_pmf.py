"""The esketamine REMS Patient Monitoring Form: generated from the session, never signed incomplete, amended not edited."""

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.visits.models import MonitoringForm
from ketaclinic.visits.services import discharge, dosing, pmf
from ketaclinic.visits.tests.conftest import check_in, do_checklist, minutes, reading

READY = dict(activity=2, respiration=2, circulation=2, consciousness=2, oxygen_saturation=2, ride_present=True,
             sedation_resolved=True, dissociation_resolved=True, respiratory_depression_resolved=True)


@pytest.fixture
def form(patient, alice, bob, consented, enrolled, clock):
    visit = check_in(patient, bob, alice, route="esketamine")
    do_checklist(visit, bob)
    reading(visit, bob)
    dose = dosing.prepare_esketamine_dose(visit, lot_number="SPR-7", acting_user=bob)
    dosing.record_device(dose, acting_user=bob)
    clock.shift(minutes(5))
    dosing.record_device(dose, acting_user=bob)
    clock.shift(minutes(35))
    reading(visit, bob, systolic_mmhg=136)
    clock.shift(minutes(85))
    reading(visit, bob)
    discharge.assess_discharge(visit, data=READY, acting_user=bob)
    discharge.discharge(visit, acting_user=bob)
    form = MonitoringForm.objects.get(visit=visit)
    assert pmf.sign_blockers_of(form) == {"hcp_last_name": "is required before the form can be signed."}  # bob has one name
    return pmf.update_form(form, data={"hcp_last_name": "Builder"}, acting_user=bob)


def test_it_is_filled_from_the_session_record(form, patient):
    data = form.data
    assert (data["patient_first_name"], data["patient_last_name"], data["patient_date_of_birth"]) == (
        "Patricia", "Núñez", str(patient.date_of_birth))
    assert (data["first_treatment"], data["treatment_date"], data["total_monitoring_min"]) == ("yes", "2026-11-18", 125)
    assert (data["bp_40_min"], data["pulse_oximetry_monitored"], data["sedation"]) == ("136/78", "yes", "no")
    assert (data["setting_name"], data["setting_zip"], data["hcp_email"]) == ("Westside", "90001", "")


def test_it_cannot_be_signed_while_a_required_field_is_empty(form, bob):
    pmf.update_form(form, data={"patient_sex": "", "lot_number": ""}, acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        pmf.sign_form(form, acting_user=bob)
    assert excinfo.value.message_dict == {
        "patient_sex": ["is required before the form can be signed."],
        "lot_number": ["is required before the form can be signed."],
    }
    form.refresh_from_db()
    assert form.status == "draft" and form.signed_at is None


def test_an_invalid_value_is_refused_when_saving_the_draft(form, bob):
    with pytest.raises(ValidationError) as excinfo:
        pmf.update_form(form, data={"total_monitoring_min": "90"}, acting_user=bob)
    assert excinfo.value.message_dict == {"total_monitoring_min": ["must be at least 120 minutes (REMS)."]}


def test_signed_forms_are_amended_not_edited_and_resubmitted(form, bob, alice):
    pmf.sign_form(form, acting_user=bob)
    with pytest.raises(ValidationError, match="amend it instead"):
        pmf.update_form(form, data={"lot_number": "X"}, acting_user=bob)
    pmf.record_submission(form, method="fax", reference="F-123", acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        pmf.amend_form(form, changes={"lot_number": "SPR-8"}, reason="", acting_user=alice)
    assert excinfo.value.message_dict == {"reason": ["Say why the signed form is amended."]}
    amendment = pmf.amend_form(form, changes={"lot_number": "SPR-8"}, reason="Wrong kit read", acting_user=alice)
    form.refresh_from_db()
    assert (amendment.previous, form.data["lot_number"], form.current_data()["lot_number"]) == ({"lot_number": "SPR-7"}, "SPR-7", "SPR-8")
    assert form.status == "amended"  # submitted before the amendment: resubmit
    with pytest.raises(ValidationError) as excinfo:
        pmf.amend_form(form, changes={"dose": ""}, reason="oops", acting_user=alice)
    assert "dose" in excinfo.value.message_dict


def test_submission_needs_a_signature_and_a_known_method(form, bob):
    with pytest.raises(ValidationError, match="Sign the form"):
        pmf.record_submission(form, method="fax", reference="", acting_user=bob)
    pmf.sign_form(form, acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        pmf.record_submission(form, method="pigeon", reference="", acting_user=bob)
    assert list(excinfo.value.message_dict) == ["method"]


def test_generating_twice_returns_the_same_form(form, bob):
    assert pmf.generate_form(form.visit, acting_user=bob).pk == form.pk


def test_it_exports_as_data_with_every_field(form):
    data = pmf.as_data(form)
    keys = [f["key"] for f in data["fields"]]
    assert keys[:3] == ["patient_first_name", "patient_middle_initial", "patient_last_name"] and len(keys) == 40
    assert data["missing_or_invalid"] == {}


def test_every_change_is_audited(form, bob):
    pmf.update_form(form, data={"hcp_email": "bob@example.org"}, acting_user=bob)
    pmf.sign_form(form, acting_user=bob)
    summaries = list(AuditEvent.objects.filter(object_type="monitoring_form").values_list("summary", flat=True))
    assert summaries == ["REMS monitoring form signed", "REMS monitoring form edited", "REMS monitoring form edited",
                         "REMS monitoring form drafted, due 11/25/2026"]
