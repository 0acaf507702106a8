"""Every page: the clinic's staff reach it, another clinic's staff get 404, patients get 404; errors name the field."""

import pytest
from django.urls import reverse

from conftest import make_patient
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.visits.models import ChecklistItem, DoseAdministration, MonitoringForm, VitalReading
from ketaclinic.visits.services import checkin, records
from ketaclinic.visits.tests.conftest import check_in, do_checklist, reading
from ketaclinic.visits.tests.test_pmf import form  # noqa: F401  (fixture)
from ketaclinic.visits.tests.test_records import EVENT


@pytest.fixture
def visit(patient, alice, bob):
    return check_in(patient, bob, alice)


def gets(visit, patient, note=None, event=None, pmf=None):
    urls = [reverse("visits:detail", args=[visit.pk]), reverse("visits:live", args=[visit.pk]),
            reverse("visits:chart", args=[visit.pk]), reverse("visits:notes", args=[visit.pk]),
            reverse("visits:rems", args=[patient.pk]), reverse("visits:adverse_event_new", args=[patient.pk])]
    if note:
        urls.append(reverse("visits:note_edit", args=[note.pk]))
    if event:
        urls.append(reverse("visits:adverse_event", args=[event.pk]))
    if pmf:
        urls += [reverse(name, args=[pmf.pk]) for name in ("visits:pmf", "visits:pmf_pdf", "visits:pmf_json")]
    return urls


CLINIC_PAGES = ["visits:board", "visits:pmf_queue", "visits:adverse_events", "visits:protocol"]


def test_the_clinics_staff_open_every_page(client_for, patient, alice, form):  # noqa: F811
    visit = form.visit
    note = records.create_note(visit, kind="physician", body="x", acting_user=alice)
    event = records.record_adverse_event(patient, data=EVENT, acting_user=alice)
    client = client_for(alice)
    for url in gets(visit, patient, note, event, form) + [reverse(n) for n in CLINIC_PAGES]:
        assert client.get(url).status_code == 200, url


def test_another_clinics_staff_and_patients_get_404(client_for, patient, alice, charlie, pat, form):  # noqa: F811
    visit = form.visit
    note = records.create_note(visit, kind="physician", body="x", acting_user=alice)
    event = records.record_adverse_event(patient, data=EVENT, acting_user=alice)
    for user in (charlie, pat):
        client = client_for(user)
        for url in gets(visit, patient, note, event, form):
            assert client.get(url).status_code == 404, (user, url)
    assert client_for(pat).get(reverse("visits:board")).status_code == 404
    assert not AuditEvent.objects.filter(action="view", actor__in=[charlie, pat]).exists()


POSTS = [
    ("visits:check", {"item": "identity"}), ("visits:order", {}), ("visits:prepare_dose", {}), ("visits:vitals", {}),
    ("visits:event", {}), ("visits:cadss", {}), ("visits:assess", {}), ("visits:discharge", {}), ("visits:cancel", {}),
]


@pytest.mark.parametrize("name, extra", POSTS)
def test_another_clinic_cannot_post_to_a_visit(client_for, visit, charlie, name, extra):
    response = client_for(charlie).post(reverse(name, kwargs={"visit_id": visit.pk, **extra}), {"identity-confirmed": "on"})
    assert response.status_code == 404
    assert not ChecklistItem.objects.exists() and not VitalReading.objects.exists()


def test_opening_a_visit_is_audited(client_for, visit, alice, patient):
    client_for(alice).get(reverse("visits:detail", args=[visit.pk]))
    assert AuditEvent.objects.filter(action="view", actor=alice, patient_id=patient.pk, summary=f"Opened visit #{visit.pk}").exists()


def test_check_in_from_the_patient_chart(client_for, patient, bob):
    client = client_for(bob)
    chart = client.get(reverse("patients:chart", args=[patient.pk])).text
    assert "Check in for a session" in chart and "not enrolled" in chart
    response = client.post(reverse("visits:check_in", args=[patient.pk]), {"route": "iv-ketamine", "chair": "Chair 3"})
    visit = patient.visits.get()
    assert response.status_code == 302 and response["Location"] == reverse("visits:detail", args=[visit.pk])
    assert "Open today's visit (checked in)" in client.get(reverse("patients:chart", args=[patient.pk])).text


def test_a_checklist_error_is_shown_next_to_its_field(client_for, visit, bob):
    response = client_for(bob).post(reverse("visits:check", args=[visit.pk, "ride"]), {"ride-ride_name": "Robin", "ride-ride_phone": ""})
    assert response.status_code == 422
    assert "Their phone: Say the ride&#x27;s phone number." in response.text


def test_vitals_typed_twice_with_the_same_form_key_are_stored_once(client_for, visit, bob):
    data = {"systolic_mmhg": "128", "diastolic_mmhg": "80", "heart_rate_bpm": "70", "spo2_pct": "98", "idempotency_key": "form-1"}
    client = client_for(bob)
    assert client.post(reverse("visits:vitals", args=[visit.pk]), data).status_code == 302
    assert client.post(reverse("visits:vitals", args=[visit.pk]), data).status_code == 302
    assert VitalReading.objects.count() == 1


def test_an_implausible_typed_value_names_the_field(client_for, visit, bob):
    data = {"systolic_mmhg": "80", "diastolic_mmhg": "90", "idempotency_key": "form-2"}
    response = client_for(bob).post(reverse("visits:vitals", args=[visit.pk]), data)
    assert response.status_code == 422 and "Diastolic: 90 is not below the systolic 80" in response.text


def test_the_second_nurse_signs_with_their_own_password(client_for, visit, bob, dana, consented):
    client = client_for(bob)
    client.post(reverse("visits:prepare_dose", args=[visit.pk]), {"concentration_mg_per_ml": "10", "diluent_ml": "96.5", "lot_number": "L"})
    dose = DoseAdministration.objects.get()
    url = reverse("visits:second_check", args=[visit.pk, dose.pk])
    wrong = client.post(url, {"username": "dana", "password": "nope", "dose_mg": "35.0", "rate_ml_per_h": "150.0"})
    assert wrong.status_code == 422 and "do not match a staff account" in wrong.text
    client.post(url, {"username": "dana", "password": "correct-horse-battery", "dose_mg": "35.0", "rate_ml_per_h": "150.0"})
    dose.refresh_from_db()
    assert dose.second_check_by == dana and dose.calculated_by == bob


def test_the_nurse_cannot_enter_the_order(client_for, visit, bob):
    response = client_for(bob).post(reverse("visits:order", args=[visit.pk]), {"dose_mg_per_kg": "0.5", "infusion_duration_min": "40"})
    assert response.status_code == 403


def test_the_chart_is_svg_with_the_clinics_limit_lines(client_for, visit, bob, clock):
    reading(visit, bob)
    response = client_for(bob).get(reverse("visits:chart", args=[visit.pk]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_the_pmf_pdf_and_json_are_exports_and_audited(client_for, bob, form):  # noqa: F811
    client = client_for(bob)
    pdf = client.get(reverse("visits:pmf_pdf", args=[form.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    data = client.get(reverse("visits:pmf_json", args=[form.pk])).json()
    assert data["status"] == "draft" and data["missing_or_invalid"] == {}
    assert AuditEvent.objects.filter(action="export", object_type="monitoring_form").count() == 2


def test_signing_an_incomplete_form_on_the_page_names_the_field(client_for, bob, form):  # noqa: F811
    data = {k: ("" if v is None else v) for k, v in form.data.items()} | {"lot_number": "", "sign": "1"}
    response = client_for(bob).post(reverse("visits:pmf", args=[form.pk]), data)
    assert response.status_code == 422 and "Lot number: is required before the form can be signed." in response.text
    form.refresh_from_db()
    assert form.status == MonitoringForm.Status.DRAFT


# --- lists keep a constant number of queries --------------------------------------------------------------------------------
def _visits(westside, alice, bob, n):
    for i in range(n):
        visit = checkin.check_in(make_patient(westside, 100 + i), route="iv-ketamine", acting_user=bob)
        reading(visit, bob, systolic_mmhg=165, key=f"r{i}")


@pytest.mark.parametrize("rows", [5, 50])
def test_the_board_runs_a_constant_number_of_queries(client_for, westside, alice, bob, rows, django_assert_num_queries, clock):
    _visits(westside, alice, bob, rows)
    client = client_for(bob)
    with django_assert_num_queries(12):
        response = client.get(reverse("visits:board"))
    assert response.text.count("dose on hold") == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_the_adverse_event_list_runs_a_constant_number_of_queries(client_for, westside, alice, rows, django_assert_num_queries):
    for i in range(rows):
        records.record_adverse_event(make_patient(westside, 100 + i), data=EVENT, acting_user=alice)
    client = client_for(alice)
    with django_assert_num_queries(13):
        assert client.get(reverse("visits:adverse_events")).status_code == 200


def test_the_portal_shows_a_patient_only_their_own_sessions(client_for, patient, other_patient, alice, bob, pat, consented, clock):
    for p in (patient, other_patient):
        v = check_in(p, bob, alice)
        do_checklist(v, bob)
        v.status, v.discharged_at = "discharged", v.checked_in_at
        v.save()
    text = client_for(pat).get(reverse("portal:home")).text
    assert text.count("IV ketamine, went home at") == 1
