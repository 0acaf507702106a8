"""Session day in the browser, on a tablet-sized screen.

1. A whole IV visit: check-in, a hold and a recheck, the dose with a second nurse's check, vitals from a monitor's
   device token (with a retried duplicate), an alert acknowledged, observation and discharge.
2. An esketamine visit whose REMS monitoring form is generated at discharge and cannot be signed incomplete.

Time is moved with time_machine (the live server runs in this process), never waited for. Each jump is shorter than
the 15-minute idle sign-out and is followed by a page load, as a nurse at the chair would do.
"""

import datetime as dt
import json
import urllib.request
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from conftest import make_staff
from ketaclinic.accounts.models import ApiToken
from ketaclinic.accounts.roles import Role
from ketaclinic.visits import integrations
from ketaclinic.visits.models import DoseAdministration, MonitoringForm, RemsEnrollment, Visit, VitalReading
from ketaclinic.visits.services import checkin, dosing, vitals
from tests.browser.conftest import screenshot, sign_in

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
T0 = dt.datetime(2026, 11, 18, 9, 30, tzinfo=LA)
NORMAL = {"systolic_mmhg": 126, "diastolic_mmhg": 80, "heart_rate_bpm": 74, "spo2_pct": 98, "respiratory_rate_per_min": 14}


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=True) as traveller:
        yield traveller


@pytest.fixture
def consented(monkeypatch):
    monkeypatch.setattr(integrations, "approved_routes", lambda patient: {"iv-ketamine", "esketamine"})


@pytest.fixture
def dana(westside):
    return make_staff("dana", westside, Role.NURSE_RN)


class Monitor:
    """A bedside monitor posting through the HTTP API with its device token. It keeps each reading in its outbox
    and, on a retry, sends exactly the same payload again (the API's delivery contract)."""

    def __init__(self, base_url: str, user):
        _, self.token = ApiToken.issue(user, kind=ApiToken.Kind.DEVICE, name="Chair 2 monitor")
        self.base_url = base_url
        self.outbox: dict[str, dict] = {}

    def post(self, visit_id: int, key: str, **values) -> tuple[int, dict]:
        self.outbox[key] = {"idempotency_key": key, "measured_at": dt.datetime.now(tz=LA).isoformat(), **NORMAL, **values}
        return self.retry(visit_id, key)

    def retry(self, visit_id: int, key: str) -> tuple[int, dict]:
        payload = self.outbox[key]
        request = urllib.request.Request(
            f"{self.base_url}/api/v1/visits/{visit_id}/readings", data=json.dumps(payload).encode(), method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())


# The visit page polls itself every 10 s. Here the poll fires when the test says, not on a real-time timer:
# the trigger is renamed before htmx starts, and ``poll(page)`` fires it.
MANUAL_POLL = """document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('[hx-trigger^="every"]').forEach(el => el.setAttribute('hx-trigger', 'poll-now'));
  document.body.addEventListener('htmx:afterSwap', () =>
    document.querySelectorAll('[hx-trigger^="every"]').forEach(el => { el.setAttribute('hx-trigger', 'poll-now'); htmx.process(el); }));
});"""


def poll(page):
    page.evaluate("htmx.trigger('#live', 'poll-now')")


def record_check(page, item: str, fill=None):
    row = page.locator(f"#check-{item}")
    if fill:
        fill(row)
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#check-{item}").locator(".mark")).to_have_text("✔")


def test_a_whole_iv_visit(page, chromium, live_server, clock, consented, patient, alice, bob, dana):
    page.add_init_script(MANUAL_POLL)
    sign_in(page, "bob")
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_label("Check in for", exact=True).select_option("iv-ketamine")
    page.get_by_label("Chair", exact=True).fill("Chair 2")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#phase")).to_have_text("Checked in")
    visit = Visit.objects.get(patient=patient)

    # The physician enters today's order from her own tablet.
    doctor = chromium.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url).new_page()
    sign_in(doctor, "alice")
    doctor.goto(f"/visits/{visit.pk}/")
    doctor.get_by_label("Dose (mg/kg)").fill("0.5")
    doctor.get_by_label("Infusion (minutes)").fill("40")
    doctor.get_by_role("button", name="Save the order").click()
    expect(doctor.get_by_text("0.50 mg/kg over 40 min, actual weight")).to_be_visible()
    doctor.context.close()

    page.reload()
    record_check(page, "identity", lambda row: row.get_by_label("Name and date of birth match").check())
    record_check(page, "consent_plan", lambda row: row.get_by_label("Consent and today's order are current").check())
    record_check(page, "fasting", lambda row: row.get_by_label("Fasted as instructed").check())
    record_check(page, "ride", lambda row: (row.get_by_label("Who drives the patient home").fill("Robin Ride"),
                                            row.get_by_label("Their phone").fill("+1 310 555 0142")))
    record_check(page, "pregnancy", lambda row: row.get_by_label("Pregnancy status").select_option("negative_test"))
    record_check(page, "medications", lambda row: [radio.check() for radio in row.locator("input[value=no]").all()])
    record_check(page, "pre_session_scale", lambda row: row.get_by_label("If not in the portal").fill("PHQ-9 on paper, 14"))
    expect(page.locator("#check-weight .mark")).to_have_text("✔")  # 70 kg measured 17 days ago: within 30

    # A hold: the monitor's pre-dose blood pressure is 168/96.
    monitor = Monitor(live_server.url, bob)
    status, stored = monitor.post(visit.pk, "pre-1", systolic_mmhg=168, diastolic_mmhg=96)
    assert status == 201 and [a["level"] for a in stored["alerts"]] == ["hold", "caution"]
    page.reload()
    expect(page.get_by_role("heading", name="On hold · Pre-dose vital signs")).to_be_visible()
    expect(page.get_by_text("Dosing cannot start yet: 2 items open")).to_be_visible()
    screenshot(page, "visits-iv-hold")
    for _ in range(2):
        alert = page.locator(".alert-box", has=page.get_by_role("button", name="Acknowledge")).first
        alert.get_by_label("What was done").select_option("recheck")
        alert.get_by_role("button", name="Acknowledge").click()
        expect(page.get_by_text("Alert acknowledged.")).to_be_visible()

    clock.shift(dt.timedelta(minutes=8))
    status, recheck = monitor.post(visit.pk, "pre-2", systolic_mmhg=134, diastolic_mmhg=84)
    assert status == 201 and recheck["alerts"] == [] and recheck["phase"] == "pre-dose"
    page.reload()
    expect(page.get_by_text("All checks done: dosing may start")).to_be_visible()
    expect(page.get_by_role("heading", name="On hold · Pre-dose vital signs")).to_have_count(0)

    # The dose: calculated by bob, checked by dana on the same tablet with her own password.
    page.get_by_label("Vial strength").select_option("10")
    page.get_by_label("Diluent (mL)").fill("96.5")
    page.get_by_label("Lot number").fill("KET-2611")
    page.get_by_role("button", name="Calculate the dose").click()
    expect(page.locator("#dose-mg")).to_have_text("35.0 mg")
    expect(page.locator("#rate")).to_have_text("150.0 mL/h")
    page.get_by_label("Second nurse's user name").fill("dana")
    page.get_by_label("Their password").fill("correct-horse-battery")
    page.get_by_label("Their dose (mg)").fill("35.0")
    page.get_by_label("Their pump rate (mL/h)").fill("105.0")
    page.get_by_role("button", name="Confirm the calculation").click()
    expect(page.get_by_text("Their pump rate (mL/h): Your 105.0 mL/h does not match the calculation")).to_be_visible()
    screenshot(page, "visits-iv-second-check-mismatch")
    page.get_by_label("Their password").fill("correct-horse-battery")
    page.get_by_label("Their pump rate (mL/h)").fill("150.0")
    page.get_by_role("button", name="Confirm the calculation").click()
    expect(page.get_by_text("Second check recorded.")).to_be_visible()
    page.get_by_role("button", name="Start the infusion").click()
    expect(page.locator("#phase")).to_have_text("Dosing")

    # Dosing: the monitor posts every 10 minutes; one reading is retried; one raises an alert.
    for n, values in enumerate([{}, {"systolic_mmhg": 184, "diastolic_mmhg": 102}, {"systolic_mmhg": 150}, {}], start=1):
        clock.shift(dt.timedelta(minutes=10))
        status, first = monitor.post(visit.pk, f"dose-{n}", **values)
        assert status == 201
        if n == 1:
            status, retry = monitor.retry(visit.pk, "dose-1")  # the network dropped the answer: sent again
            assert (status, retry["id"], retry["duplicate"]) == (200, first["id"], True)
        if n != 2:
            page.reload()
        else:  # the alert appears on the open page with its next poll, without a reload
            poll(page)
            alert = page.locator(".alert-box.caution")
            expect(alert).to_contain_text("Systolic 184 mmHg ≥ 180: recheck; consider slowing the infusion")
            screenshot(page, "visits-iv-alert")
            alert.get_by_label("What was done").select_option("slowed")
            alert.get_by_label("Note").fill("Pump to 120 mL/h; BP recheck in 5 min")
            alert.get_by_role("button", name="Acknowledge").click()
            expect(page.get_by_text("Alert acknowledged.")).to_be_visible()
    assert VitalReading.objects.filter(visit=visit, idempotency_key="dose-1").count() == 1
    expect(page.locator("#flowsheet tbody tr")).to_have_count(6)  # 2 pre-dose + 4 while dosing, the retry stored once
    page.get_by_role("button", name="End the infusion (complete)").click()
    expect(page.locator("#phase")).to_have_text("Observation")

    # Observation: 60 minutes from the end of the infusion, vitals every 15.
    for n in range(1, 5):
        clock.shift(dt.timedelta(minutes=12))
        monitor.post(visit.pk, f"recovery-{n}")
        page.reload()
    page.get_by_role("radio", name="2: Moves 4 extremities voluntarily or on command").check()
    page.get_by_role("radio", name="2: Able to breathe deeply and cough freely").check()
    page.get_by_role("radio", name="2: BP within ±20 mmHg of the pre-procedure level").check()
    page.get_by_role("radio", name="2: Fully awake").check()
    page.get_by_role("radio", name="2: SpO2 >92 % on room air").check()
    page.get_by_label("The named ride is here").check()
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Not yet: observation: 12 min left")).to_be_visible()
    clock.shift(dt.timedelta(minutes=12))
    page.reload()
    expect(page.get_by_text("Ready", exact=True)).to_be_visible()
    screenshot(page, "visits-iv-ready")
    page.get_by_role("button", name="Discharge to the ride").click()
    expect(page.locator("#phase")).to_have_text("Discharged")
    expect(page.get_by_text("to Robin Ride")).to_be_visible()
    chart = page.get_by_role("img", name="Chart of blood pressure")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('img.chart-img').naturalWidth > 0")
    screenshot(page, "visits-iv-discharged")
    visit.refresh_from_db()
    dose = DoseAdministration.objects.get(visit=visit)
    assert (visit.status, dose.second_check_by, dose.calculated_by) == ("discharged", dana, bob)


@pytest.fixture
def sprayed(clock, consented, patient, westside, alice, bob):
    """An esketamine session recorded at explicit times: first device at 09:40, monitored since."""
    westside.rems_certification_number, westside.rems_certified_on = "SPR-TEST-1", dt.date(2025, 1, 1)
    westside.save()
    RemsEnrollment.objects.create(patient=patient, enrolled_on=dt.date(2026, 10, 1), prescriber=alice, recorded_by=alice)
    visit = checkin.check_in(patient, route="esketamine", acting_user=bob, chair="Room A")
    checkin.enter_order(visit, data={"esketamine_dose_mg": 56}, acting_user=alice)
    for item, data in [("identity", {"confirmed": True}), ("consent_plan", {"confirmed": True}), ("fasting", {"confirmed": True}),
                       ("ride", {"ride_name": "Sam Ride", "ride_phone": "+1 310 555 0177"}),
                       ("pregnancy", {"pregnancy_status": "not_pregnant_reported"}),
                       ("medications", {k: False for k in checkin.MEDICATION_KEYS}), ("pre_session_scale", {"note": "PHQ-9"})]:
        checkin.record_check(visit, item, data=data, acting_user=bob)
    vitals.record_reading(visit, values=NORMAL, idempotency_key="pre", acting_user=bob)
    dose = dosing.prepare_esketamine_dose(visit, lot_number="SPR-0426", acting_user=bob)
    for minutes in (10, 5):
        clock.shift(dt.timedelta(minutes=minutes))
        dosing.record_device(dose, acting_user=bob)
    for minutes, values in ((35, {"systolic_mmhg": 142}), (85, {})):
        clock.shift(dt.timedelta(minutes=minutes))
        vitals.record_reading(visit, values={**NORMAL, **values}, idempotency_key=f"post-{minutes}", acting_user=bob)
    return visit


def test_an_esketamine_monitoring_form_cannot_be_signed_incomplete(page, sprayed, bob):
    page.add_init_script(MANUAL_POLL)
    sign_in(page, "bob")
    page.goto(f"/visits/{sprayed.pk}/")
    for name in ("2: Moves 4 extremities voluntarily or on command", "2: Able to breathe deeply and cough freely",
                 "2: BP within ±20 mmHg of the pre-procedure level", "2: Fully awake", "2: SpO2 >92 % on room air"):
        page.get_by_role("radio", name=name).check()
    for label in ("Sedation resolved", "Dissociation resolved", "No respiratory depression", "The named ride is here"):
        page.get_by_label(label).check()
    page.get_by_label("Would have been ready, but for the 2-hour rule, at").fill("10:40")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Would have been ready without the 2-hour rule at")).to_be_visible()
    page.get_by_role("button", name="Discharge to the ride").click()
    expect(page.locator("#phase")).to_have_text("Discharged")

    page.get_by_role("link", name="REMS form", exact=True).click()
    expect(page.get_by_role("heading", name="SPRAVATO REMS Patient Monitoring Form")).to_be_visible()
    expect(page.get_by_text("Cannot be signed yet: 1 field to complete.")).to_be_visible()
    expect(page.get_by_label("Lot number")).to_have_value("SPR-0426")
    expect(page.get_by_label("Blood pressure about 40 minutes after dosing (mmHg)")).to_have_value("142/80")
    page.get_by_role("button", name="Sign the form").click()
    hcp_last = page.locator("#id_hcp_last_name")
    expect(page.get_by_text("Last name: is required before the form can be signed.")).to_be_visible()
    screenshot(page, "visits-pmf-incomplete")
    assert MonitoringForm.objects.get(visit=sprayed).status == "draft"
    hcp_last.fill("Builder")
    page.get_by_role("button", name="Sign the form").click()
    expect(page.locator("#pmf-status")).to_have_text("Signed, not yet submitted")
    pdf = page.request.get(page.get_by_role("link", name="Download PDF").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    page.get_by_label("Sent by").select_option("fax")
    page.get_by_label("Confirmation number").fill("FX-2211")
    page.get_by_role("button", name="Submitted").click()
    expect(page.locator("#pmf-status")).to_have_text("Submitted")
    screenshot(page, "visits-pmf-submitted")
    form = MonitoringForm.objects.get(visit=sprayed)
    assert (form.data["ready_to_leave_min"], form.data["total_monitoring_min"], form.submission_reference) == (60, 125, "FX-2211")
    page.goto("/visits/monitoring-forms/")
    expect(page.get_by_text("Submitted")).to_be_visible()

