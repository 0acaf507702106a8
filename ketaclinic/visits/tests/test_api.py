"""The session-day API: device readings and their delivery contract, the whole IV flow, access, list query counts."""

import pytest
from django.utils import timezone

from conftest import make_patient
from ketaclinic.accounts.models import ApiToken, AuditEvent
from ketaclinic.visits.models import MonitoringForm, VitalReading
from ketaclinic.visits.services import checkin, records
from ketaclinic.visits.tests.conftest import check_in, do_checklist, minutes
from ketaclinic.visits.tests.test_records import EVENT

DEVICE = ApiToken.Kind.DEVICE


@pytest.fixture
def visit(patient, alice, bob):
    return check_in(patient, bob, alice)


def body(at=None, key="3f1d-uuid", **values):
    return {"idempotency_key": key, "measured_at": (at or timezone.now()).isoformat(), "systolic_mmhg": 126,
            "diastolic_mmhg": 80, "heart_rate_bpm": 74, "spo2_pct": 97, **values}


def test_a_monitor_posts_a_reading_and_a_retry_is_stored_once(api, visit, bob, clock):
    monitor = api(bob, kind=DEVICE)
    first = monitor("post", f"/visits/{visit.pk}/readings", body(device_label="Philips MX40 #7"))
    retry = monitor("post", f"/visits/{visit.pk}/readings", body(device_label="Philips MX40 #7"))
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"] and retry.json()["duplicate"] is True and first.json()["duplicate"] is False
    reading = VitalReading.objects.get()
    assert (reading.source, reading.device_label, reading.device_token.kind) == ("device", "Philips MX40 #7", "device")


def test_the_same_key_with_other_values_is_a_409(api, visit, bob, clock):
    monitor = api(bob, kind=DEVICE)
    monitor("post", f"/visits/{visit.pk}/readings", body())
    response = monitor("post", f"/visits/{visit.pk}/readings", body(heart_rate_bpm=99))
    assert response.status_code == 409 and "already used for a different reading" in response.json()["detail"]


def test_a_reading_returns_its_alerts(api, visit, bob, clock):
    response = api(bob, kind=DEVICE)("post", f"/visits/{visit.pk}/readings", body(systolic_mmhg=170))
    assert [(a["parameter"], a["level"]) for a in response.json()["alerts"]] == [("systolic_mmhg", "hold")]


@pytest.mark.parametrize("values, field", [({"spo2_pct": 120}, "spo2_pct"), ({"heart_rate_bpm": "fast"}, "heart_rate_bpm"),
                                           ({"measured_at": "2026-11-18T10:00:00"}, "measured_at")])
def test_bad_readings_are_422_naming_the_field(api, visit, bob, values, field, clock):
    response = api(bob, kind=DEVICE)("post", f"/visits/{visit.pk}/readings", {**body(), **values})
    assert response.status_code == 422 and field in response.json()["errors"]


def test_a_device_token_may_do_nothing_else(api, visit, bob):
    monitor = api(bob, kind=DEVICE)
    for method, path, json in [("get", "/visits", None), ("get", f"/visits/{visit.pk}", None),
                               ("get", f"/visits/{visit.pk}/readings", None),
                               ("post", f"/visits/{visit.pk}/checklist/identity", {"confirmed": True})]:
        response = monitor(method, path, json)
        assert response.status_code == 403 and response.json()["detail"] == "A device token may only write readings.", path


def test_the_contract_is_in_the_openapi_description(client):
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/visits/{visit_id}/readings"]["post"]
    assert "never silently lost" in post["description"] and set(post["responses"]) >= {"200", "201", "409", "422"}


def test_a_whole_iv_visit_through_the_api(api, patient, alice, bob, dana, consented, clock):
    nurse, second, doctor = api(bob), api(dana), api(alice)
    created = nurse("post", "/visits", {"patient_id": patient.pk, "route": "iv-ketamine", "chair": "Chair 2"})
    assert created.status_code == 201
    visit_id = created.json()["id"]
    assert doctor("post", f"/visits/{visit_id}/order", {"dose_mg_per_kg": "0.5", "infusion_duration_min": 40}).status_code == 200
    for item, data in [("identity", {"confirmed": True}), ("consent_plan", {"confirmed": True}), ("fasting", {"confirmed": True}),
                       ("ride", {"ride_name": "Robin", "ride_phone": "+1 310 555 0142"}),
                       ("pregnancy", {"pregnancy_status": "negative_test"}),
                       ("medications", {k: False for k in checkin.MEDICATION_KEYS}), ("pre_session_scale", {"note": "paper"})]:
        assert nurse("post", f"/visits/{visit_id}/checklist/{item}", data).status_code == 200, item
    nurse("post", f"/visits/{visit_id}/readings", body(key="pre"))
    dose = nurse("post", f"/visits/{visit_id}/doses", {"concentration_mg_per_ml": "10", "diluent_ml": "96.5", "lot_number": "L9"}).json()
    assert (dose["dose_mg"], dose["rate_ml_per_h"], dose["status"]) == ("35.0", "150.0", "awaiting_check")
    assert nurse("post", f"/visits/doses/{dose['id']}/second-check", {"dose_mg": "35.0", "rate_ml_per_h": "150.0"}).status_code == 422
    assert second("post", f"/visits/doses/{dose['id']}/second-check", {"dose_mg": "35.0", "rate_ml_per_h": "150.0"}).status_code == 200
    assert nurse("post", f"/visits/doses/{dose['id']}/start", {}).json()["status"] == "running"
    clock.shift(minutes(40))
    assert nurse("post", f"/visits/doses/{dose['id']}/complete", {}).json()["status"] == "completed"
    clock.shift(minutes(60))
    nurse("post", f"/visits/{visit_id}/readings", body(key="post"))
    assessment = nurse("post", f"/visits/{visit_id}/discharge-assessments", {
        "activity": 2, "respiration": 2, "circulation": 2, "consciousness": 2, "oxygen_saturation": 2, "ride_present": True})
    assert assessment.json()["ready"] is True
    assert nurse("post", f"/visits/{visit_id}/discharge").json()["status"] == "discharged"
    timeline = nurse("get", f"/visits/{visit_id}/timeline").json()
    assert [e["kind"] for e in timeline] == ["reading", "dose", "dose", "reading"]


# --- access -----------------------------------------------------------------------------------------------------------------
@pytest.fixture
def everything(patient, alice, bob, consented, enrolled, clock):
    visit = check_in(patient, bob, alice, route="esketamine")
    do_checklist(visit, bob)
    from ketaclinic.visits.tests.conftest import reading

    reading(visit, bob, systolic_mmhg=165)
    note = records.create_note(visit, kind="nurse", body="x", acting_user=bob)
    event = records.record_adverse_event(patient, data=EVENT, visit=visit, acting_user=bob)
    form = MonitoringForm.objects.create(visit=visit, form_version="v", data={}, due_on="2026-11-25", generated_by=bob)
    return {"visit": visit, "note": note, "event": event, "form": form, "alert": visit.alerts.first(),
            "hold": visit.holds.first(), "patient": patient}


def endpoints(o):
    v, n, e, f = o["visit"].pk, o["note"].pk, o["event"].pk, o["form"].pk
    return [
        ("get", f"/visits/{v}", None), ("post", f"/visits/{v}/cancel", {"reason": "x"}),
        ("post", f"/visits/{v}/checklist/identity", {"confirmed": True}), ("post", f"/visits/{v}/order", {"esketamine_dose_mg": 84}),
        ("post", f"/visits/{v}/holds/{o['hold'].pk}/override", {"reason": "x"}), ("post", f"/visits/{v}/doses", {"lot_number": "L"}),
        ("post", f"/visits/{v}/readings", body(key="charlie")), ("get", f"/visits/{v}/readings", None),
        ("get", f"/visits/{v}/alerts", None), ("post", f"/visits/alerts/{o['alert'].pk}/acknowledge", {"action": "recheck"}),
        ("post", f"/visits/{v}/events", {"kind": "nausea"}), ("post", f"/visits/{v}/cadss", {"total": 3}),
        ("get", f"/visits/{v}/timeline", None), ("post", f"/visits/{v}/discharge-assessments", {}),
        ("post", f"/visits/{v}/discharge", None), ("get", f"/visits/{v}/notes", None),
        ("post", f"/visits/{v}/notes", {"kind": "nurse", "body": "x"}), ("patch", f"/visits/notes/{n}", {"body": "y"}),
        ("post", f"/visits/notes/{n}/sign", None), ("post", f"/visits/notes/{n}/amendments", {"body": "y", "reason": "z"}),
        ("get", f"/visits/monitoring-forms/{f}", None), ("patch", f"/visits/monitoring-forms/{f}", {"data": {}}),
        ("post", f"/visits/monitoring-forms/{f}/sign", None), ("post", f"/visits/monitoring-forms/{f}/submission", {"method": "fax"}),
        ("post", f"/visits/monitoring-forms/{f}/amendments", {"data": {}, "reason": "x"}),
        ("get", f"/visits/adverse-events/{e}", None), ("patch", f"/visits/adverse-events/{e}", {"outcome": "resolved"}),
        ("post", f"/visits/adverse-events/{e}/follow-ups", {"note": "x"}),
        ("post", f"/visits/adverse-events/{e}/report", {"reported_to": "x"}),
        ("post", "/visits/adverse-events", {**EVENT, "onset_at": EVENT["onset_at"].isoformat(), "patient_id": o["patient"].pk}),
        ("post", "/visits/rems-enrollments", {"patient_id": o["patient"].pk, "enrolled_on": "2026-11-01", "prescriber_id": 1}),
        ("post", "/visits", {"patient_id": o["patient"].pk, "route": "iv-ketamine"}),
    ]


def test_another_clinic_gets_404_from_every_endpoint(api, charlie, everything):
    call = api(charlie)
    before = AuditEvent.objects.count()
    for method, path, json in endpoints(everything):
        assert call(method, path, json).status_code == 404, (method, path)
    assert AuditEvent.objects.count() == before


def test_another_clinic_gets_404_for_its_queues(api, charlie, westside, everything):
    call = api(charlie)
    assert call("get", f"/visits/monitoring-forms?clinic_id={westside.pk}").status_code == 404
    assert call("get", f"/visits/adverse-events?clinic_id={westside.pk}").status_code == 404
    assert call("get", "/visits").json()["count"] == 0


def test_a_patient_sees_only_their_own_visits(api, pat, quinn, everything):
    assert api(pat)("get", "/visits").json()["count"] == 1
    assert api(quinn)("get", "/visits").json()["count"] == 0
    assert api(quinn)("get", f"/visits/{everything['visit'].pk}").status_code == 404
    assert api(pat)("get", f"/visits/{everything['visit'].pk}/notes").status_code == 404
    assert api(pat)("post", f"/visits/{everything['visit'].pk}/readings", body(key="pat")).status_code == 403


@pytest.mark.parametrize("rows", [5, 50])
def test_the_visit_list_runs_a_constant_number_of_queries(api, westside, bob, rows, django_assert_num_queries):
    for n in range(rows):
        checkin.check_in(make_patient(westside, 100 + n), route="iv-ketamine", acting_user=bob)
    call = api(bob)
    with django_assert_num_queries(6):
        assert len(call("get", "/visits?limit=100").json()["items"]) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_the_readings_list_runs_a_constant_number_of_queries(api, visit, bob, rows, django_assert_num_queries, clock):
    monitor = api(bob, kind=DEVICE)
    for n in range(rows):
        monitor("post", f"/visits/{visit.pk}/readings", body(key=f"k{n}", at=timezone.now() - minutes(n), systolic_mmhg=150))
    call = api(bob)
    with django_assert_num_queries(8):
        items = call("get", f"/visits/{visit.pk}/readings?limit=100").json()["items"]
    assert len(items) == rows and all(len(i["alerts"]) == 1 for i in items)
