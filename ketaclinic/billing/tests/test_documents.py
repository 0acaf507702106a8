"""Superbill and statement PDFs (text read back with a pure-Python parser) and the claim CSV."""

import csv
import datetime as dt
import io

import pytest

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.billing import documents
from ketaclinic.billing.services import account, charges, insurance, statements
from ketaclinic.billing.tests.factories import make_visit
from ketaclinic.billing.tests.pdftext import pdf_text


@pytest.fixture
def billed(westside, patient, price_list, biller, alice, bob, covered):
    """Pat's esketamine visit (G2082 + J0013 × 56) and a consultation, invoiced, $500 paid by card."""
    westside.npi, westside.tax_id = "1234567893", "95-1234567"
    westside.save()
    alice.npi, alice.credentials = "1679576722", "MD"
    alice.save()
    insurance.set_diagnoses(patient, codes_list=["F33.2", "F41.1"], acting_user=biller)
    made = charges.create_charges_for_visit(make_visit(patient, "esketamine", dose_mg="56", user=bob), acting_user=bob)
    consult = charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2),
                                                   "rendering_provider": alice}, acting_user=biller)
    invoice = account.create_invoice(patient, charge_ids=[c.pk for c in made] + [consult.pk], acting_user=biller)
    account.record_payment(patient, data={"amount_cents": 50_000, "method": "card", "invoice": invoice}, acting_user=biller)
    return invoice


def test_the_superbill_pdf_carries_everything_a_payer_needs(billed, biller):
    text = pdf_text(documents.superbill_for_invoice(billed, acting_user=biller))
    for expected in ("Westside", "1 Main St", "NPI", "1234567893", "95-1234567",  # the clinic
                     "Alice, MD", "1679576722",  # the rendering provider and her NPI
                     "Patricia Núñez", "01/02/1980", "WS000001", "M123",  # the patient and the member id
                     "03/02/2026", "03/16/2026",  # dates of service
                     "F33.2", "F41.1", "G2082", "J0013", "90792", "56",  # diagnoses, codes, units
                     "$900.00", "$840.00", "$350.00", "$2,090.00",  # charges and their total
                     "$500.00", "$1,590.00"):  # paid, and the balance due
        assert expected in text, expected
    assert "descriptor" not in text.lower()


def test_the_superbill_is_audited_as_an_export(billed, biller):
    documents.superbill_for_invoice(billed, acting_user=biller)
    row = AuditEvent.objects.get(object_type="superbill")
    assert (row.action, row.patient_id, row.summary) == ("export", billed.patient_id, "Superbill PDF (invoice WS-000001)")


def test_a_period_superbill_holds_only_that_periods_services(billed, patient, biller):
    text = pdf_text(documents.superbill_for_period(patient, dt.date(2026, 3, 1), dt.date(2026, 3, 10), acting_user=biller))
    assert "90792" in text and "G2082" not in text


def test_a_visit_superbill(billed, patient, biller):
    visit = patient.visits.get()
    text = pdf_text(documents.superbill_for_visit(visit, acting_user=biller))
    assert "G2082" in text and "90792" not in text


def test_the_statement_pdf(billed, patient, biller):
    statement = statements.create_statement(patient, period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 16),
                                            acting_user=biller)
    text = pdf_text(documents.statement_pdf(statement, acting_user=biller))
    assert "Statement" in text and "$1,590.00" in text and "Payment, card" in text


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_the_claim_csv_has_a_line_per_claimable_charge_with_cms_1500_fields(billed, westside, patient, price_list, biller):
    charges.create_charge(patient, data={"code": "CANCEL", "service_date": dt.date(2026, 3, 9)}, acting_user=biller)
    lines = rows(documents.claims_csv(westside, dt.date(2026, 3, 1), dt.date(2026, 3, 16), acting_user=biller))
    assert [line["24d_code"] for line in lines] == ["90792", "G2082", "J0013"]  # no cancellation fee
    g_code = lines[1]
    assert (g_code["1a_insured_id"], g_code["2_patient_name"], g_code["3_patient_dob"]) == ("M123", "Núñez, Patricia", "01/02/1980")
    assert (g_code["21A_diagnosis"], g_code["21B_diagnosis"], g_code["24e_diagnosis_pointer"]) == ("F33.2", "F41.1", "AB")
    assert (g_code["24f_charges"], g_code["24g_units"], g_code["24b_place_of_service"]) == ("900.00", "1", "11")
    assert (g_code["25_federal_tax_id"], g_code["33a_billing_npi"]) == ("95-1234567", "1234567893")
    assert g_code["28_total_charge"] == "1740.00"  # G2082 + J0013 on 16 March: one claim
    assert lines[2]["24g_units"] == "56"
    assert AuditEvent.objects.get(object_type="claims_csv").action == "export"


def test_self_pay_patients_are_left_out_unless_asked_for(westside, other_patient, price_list, biller):
    charges.create_charge(other_patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    assert rows(documents.claims_csv(westside, dt.date(2026, 3, 1), dt.date(2026, 3, 16), acting_user=biller)) == []
    both = rows(documents.claims_csv(westside, dt.date(2026, 3, 1), dt.date(2026, 3, 16), acting_user=biller,
                                     insured_only=False))
    assert [line["1a_insured_id"] for line in both] == [""]


@pytest.mark.parametrize("value, cell", [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("-1+1", "'-1+1"), ("@SUM", "'@SUM"),
                                         ("Smith", "Smith"), (None, "")])
def test_csv_cells_never_run_as_formulas(value, cell):
    assert documents.safe_cell(value) == cell


def test_box_29_shows_what_was_paid_when_the_claim_is_a_whole_invoice(westside, patient, price_list, biller, covered):
    consult = charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    invoice = account.create_invoice(patient, charge_ids=[consult.pk], acting_user=biller)
    payment = account.record_payment(patient, data={"amount_cents": 15_000, "method": "card", "invoice": invoice},
                                     acting_user=biller)
    account.record_refund(payment, amount_cents=5_000, reason="Overcharged", acting_user=biller)
    follow_up = charges.create_charge(patient, data={"code": "99213", "service_date": dt.date(2026, 3, 9)}, acting_user=biller)
    lines = rows(documents.claims_csv(westside, dt.date(2026, 3, 1), dt.date(2026, 3, 16), acting_user=biller))
    assert [(line["24d_code"], line["29_amount_paid"]) for line in lines] == [("90792", "100.00"), ("99213", "0.00")]
    assert follow_up.invoice is None
