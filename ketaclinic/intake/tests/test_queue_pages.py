"""The front desk's queue: who sees it, working a request, registering the person as a patient."""

import pytest
from django.urls import reverse

from conftest import make_staff
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.intake import services
from ketaclinic.intake.models import ConsultationRequest, Intake
from ketaclinic.intake.tests.conftest import queries_for
from ketaclinic.patients.models import Patient


def make_request(clinic, n=1, **extra):
    data = {"first_name": f"Dana{n}", "last_name": "Sample", "phone": f"+1 310 555 {n:04d}", **extra}
    return services.submit_consultation_request(clinic=clinic, data=data)


@pytest.fixture
def front_desk(westside):
    return make_staff("ortiz", westside, Role.FRONT_DESK)


def test_front_desk_sees_the_clinics_open_requests_oldest_first(client_for, front_desk, westside, pasadena):
    make_request(westside, 1)
    make_request(westside, 2, self_screen_outcome="crisis")
    make_request(pasadena, 3)
    text = client_for(front_desk).get(reverse("intake:queue")).content.decode()
    assert text.index("Dana1") < text.index("Dana2") and "Dana3" not in text
    assert "Crisis resources shown" in text


def test_the_queue_filters_by_status_and_has_an_empty_state(client_for, front_desk, westside):
    request = make_request(westside)
    services.close_request(request, reason="duplicate", acting_user=front_desk)
    client = client_for(front_desk)
    assert "No open consultation requests" in client.get(reverse("intake:queue")).content.decode()
    assert "Dana1" in client.get(reverse("intake:queue") + "?status=closed").content.decode()


def test_a_therapist_billing_or_patient_cannot_open_the_queue(client_for, westside, pat):
    assert client_for(make_staff("lee", westside, Role.THERAPIST)).get(reverse("intake:queue")).status_code == 403
    assert client_for(pat).get(reverse("intake:queue")).status_code == 404


def test_another_clinics_request_is_404_everywhere(client_for, charlie, westside):
    request = make_request(westside)
    client = client_for(charlie)
    assert client.get(reverse("intake:request_detail", args=[request.pk])).status_code == 404
    for name in ("request_contact", "request_close", "request_register"):
        assert client.post(reverse(f"intake:{name}", args=[request.pk]), {"note": "x", "reason": "spam"}).status_code == 404
    assert ConsultationRequest.objects.get().status == "new"


def test_opening_a_request_is_audited(client_for, front_desk, westside):
    request = make_request(westside)
    assert client_for(front_desk).get(reverse("intake:request_detail", args=[request.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="consultation_request", actor=front_desk).count() == 1


def test_recording_a_call_keeps_the_request_open_with_the_note(client_for, front_desk, westside):
    request = make_request(westside)
    client = client_for(front_desk)
    assert client.post(reverse("intake:request_contact", args=[request.pk]), {"note": ""}).status_code == 422
    client.post(reverse("intake:request_contact", args=[request.pk]), {"note": "Left a voicemail."})
    request.refresh_from_db()
    assert request.status == "contacted" and request.notes.get().text == "Left a voicemail."
    assert "Left a voicemail." in client.get(reverse("intake:request_detail", args=[request.pk])).content.decode()


def test_closing_needs_a_reason(client_for, front_desk, westside):
    request = make_request(westside)
    client = client_for(front_desk)
    assert client.post(reverse("intake:request_close", args=[request.pk]), {"reason": ""}).status_code == 422
    client.post(reverse("intake:request_close", args=[request.pk]), {"reason": "no-answer"})
    request.refresh_from_db()
    assert (request.status, request.close_reason) == ("closed", "no-answer")
    assert client.post(reverse("intake:request_contact", args=[request.pk]), {"note": "late"}).status_code == 422


def test_registering_creates_the_patient_and_opens_the_intake_in_one_step(client_for, front_desk, westside):
    request = make_request(westside, language="es")
    response = client_for(front_desk).post(reverse("intake:request_register", args=[request.pk]), {
        "legal_first_name": "Dana", "legal_last_name": "Sample", "date_of_birth": "1985-04-12",
        "sex_at_birth": "female", "phone": "+1 310 555 0001", "email": ""})
    patient = Patient.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("patients:chart", args=[patient.pk])
    assert patient.preferred_language == "es" and patient.mrn == "WS000001"
    request.refresh_from_db()
    assert (request.status, request.patient) == ("registered", patient)
    assert Intake.objects.get().consultation_request == request


def test_a_registration_error_names_the_field_and_creates_nothing(client_for, front_desk, westside):
    request = make_request(westside)
    response = client_for(front_desk).post(reverse("intake:request_register", args=[request.pk]), {
        "legal_first_name": "Dana", "legal_last_name": "Sample", "date_of_birth": "2999-01-01", "sex_at_birth": "female"})
    assert response.status_code == 422 and "must not be in the future" in response.content.decode()
    assert not Patient.objects.exists() and not Intake.objects.exists()
    assert ConsultationRequest.objects.get().status == "new"


def test_a_nurse_may_work_the_queue_but_not_register_without_the_permission(client_for, bob, westside):
    request = make_request(westside)
    client = client_for(bob)  # nurses have intake.queue and patient.create
    assert client.get(reverse("intake:request_detail", args=[request.pk])).status_code == 200
    billing = make_staff("nguyen", westside, Role.BILLING)
    assert client_for(billing).post(reverse("intake:request_register", args=[request.pk]), {}).status_code == 403


@pytest.mark.parametrize("rows", [5, 50])
def test_the_queue_runs_a_constant_number_of_queries(client_for, front_desk, westside, rows, django_assert_num_queries):
    for n in range(rows):
        make_request(westside, n)
    client = client_for(front_desk)
    # The same as with one row (other areas' staff banners add their own fixed queries to every page).
    later = ConsultationRequest.objects.order_by("pk")[1:]
    ConsultationRequest.objects.filter(pk__in=[r.pk for r in later]).update(status="closed")
    one_row = queries_for(client, reverse("intake:queue"))
    ConsultationRequest.objects.update(status="new")
    with django_assert_num_queries(one_row):
        assert client.get(reverse("intake:queue")).status_code == 200
