"""At the chair: a nurse draws for the visit under way, records the dose given and wastes the rest while the
witness signs in on the same screen; then the clinic admin downloads the reconciliation report."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketaclinic.ledger import db_guards, services
from ketaclinic.ledger.models import Entry
from ketaclinic.visits.services import checkin, dosing
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture(autouse=True)
def _ledger_guards_around_flushes(request):
    """The ledger's append-only triggers would refuse the live server's flush on SQLite: lift them just before it
    (see ketaclinic/ledger/db_guards.py)."""
    yield from db_guards.lifted_for_flush(request)


@pytest.fixture
def chairside(westside, alice, bob, admin, patient):
    product = services.create_product(
        data=dict(name="Ketamine HCl injection", ndc="42023-113-10", form="vial", concentration_mg_per_ml="50",
                  container_volume_ml="10", manufacturer="Par Pharmaceutical"),
        acting_user=alice,
    )
    today = timezone.localdate()
    receipt = services.receive(clinic=westside, acting_user=bob, data=dict(
        product=product, received_on=today - dt.timedelta(days=2), supplier_name="Henry Schein",
        supplier_address="135 Duryea Rd, Melville NY 11747", supplier_dea_number="PH1234567", invoice_number="INV-77",
        lot_number="L2401", expires_on=today + dt.timedelta(days=300), containers_received=3,
    ))
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob, chair="Chair 2")
    checkin.enter_order(visit, data={"dose_mg_per_kg": Decimal("0.5"), "infusion_duration_min": 40, "weight_basis": "actual"},
                        acting_user=alice)
    if visit.weight_kg is None:
        checkin.record_check(visit, "weight", data={"weight_kg": Decimal("70.0")}, acting_user=bob)
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml=Decimal("50"), diluent_ml=Decimal("98.3"), lot_number="L2401",
                                  acting_user=bob)
    return receipt.containers.order_by("number").first(), visit, dose


def test_a_nurse_draws_administers_and_wastes_with_a_witness_then_the_admin_downloads_the_report(page, chairside):
    vial, visit, dose = chairside
    sign_in(page, "bob")
    page.get_by_role("link", name="Ledger", exact=True).click()
    expect(page.get_by_role("heading", name="Controlled substances")).to_be_visible()
    screenshot(page, "ledger-home")
    page.get_by_role("link", name="Sealed vials").click()
    page.get_by_role("row", name=vial.label).get_by_role("link", name="Draw").click()
    page.get_by_label("Visit").select_option(label="Chair 2: Núñez, Patricia (IV ketamine)")
    page.get_by_label("Amount drawn (mL)").fill("0.80")
    screenshot(page, "ledger-draw")
    page.get_by_role("button", name="Record the draw").click()

    expect(page.locator("#remaining")).to_have_text("40 mg (0.8 mL)")
    expect(page.get_by_label("Dose record")).to_have_value(str(dose.pk))  # the visit's only dose record, offered
    page.get_by_label("Amount given (mL)").fill("0.70")
    page.get_by_role("button", name="Record administration").click()
    expect(page.locator("#remaining")).to_have_text("5 mg (0.1 mL)")

    page.get_by_label("Waste method").select_option("disposal_system")
    page.get_by_label("Witness user name").fill("alice")
    page.get_by_label("Witness password").fill("not-her-password")
    page.get_by_role("button", name="Waste with witness").click()
    expect(page.get_by_text("Witness password: That user name and password do not match an account.")).to_be_visible()
    screenshot(page, "ledger-waste-refused")
    page.get_by_label("Waste method").select_option("disposal_system")
    page.get_by_label("Witness user name").fill("alice")
    page.get_by_label("Witness password").fill("correct-horse-battery")
    page.get_by_role("button", name="Waste with witness").click()
    expect(page.get_by_text("This draw is fully accounted for.")).to_be_visible()
    expect(page.get_by_role("cell", name="Bob · witness Alice")).to_be_visible()
    screenshot(page, "ledger-draw-accounted")
    waste = Entry.objects.get(kind="waste")
    assert (waste.actor.username, waste.witness.username, waste.amount_ml, waste.visit_id) == ("bob", "alice", Decimal("0.10"), visit.pk)
    assert Entry.objects.get(kind="administer").dose_id == dose.pk

    page.context.clear_cookies()
    sign_in(page, "admin")
    page.goto("/ledger/reports/")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The ledger balances")).to_be_visible()
    screenshot(page, "ledger-report")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    text = open(csv_download.value.path(), encoding="utf-8").read()
    assert "Dispensing record (21 CFR 1304.22(c))" in text and "Núñez, Patricia" in text
    assert "Administered,35,0.7" in text and "Wasted,5,0.1" in text and "Ledger balances,yes" in text
    assert ",Bob,L2401," in text and ",Alice,Drug disposal system" in text  # wasted by, witness, method
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = open(pdf_download.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF") and pdf_download.value.suggested_filename.endswith(".pdf")
