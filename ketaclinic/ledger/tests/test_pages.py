"""The ledger's pages: who may open them, the chair-side flow, counts, cases and the report downloads."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.ledger import services
from ketaclinic.ledger.models import Count, DiscrepancyCase, Entry
from ketaclinic.ledger.tests.conftest import PASSWORD, receive, sign


@pytest.fixture
def draw(vial, bob, patient):
    return services.draw(vial, patient=patient, amount_ml="0.80", acting_user=bob)


@pytest.fixture
def case(westside, vial, bob, alice):
    count = services.record_count(
        clinic=westside, kind="closing", lines=[{"product_id": vial.product_id, "sealed_counted": 0, "open_counted": 0}],
        witness=sign(westside, bob, alice), acting_user=bob,
    )
    return DiscrepancyCase.objects.get(count_line__count=count)


def _pages(vial, draw, case):
    count_id = case.count_line.count_id
    return [
        reverse("ledger:home"), reverse("ledger:sealed"), reverse("ledger:products"), reverse("ledger:entries"),
        reverse("ledger:counts"), reverse("ledger:cases"), reverse("ledger:report"), reverse("ledger:container", args=[vial.pk]),
        reverse("ledger:draw_detail", args=[draw.pk]), reverse("ledger:entry", args=[draw.pk]),
        reverse("ledger:count", args=[count_id]), reverse("ledger:case", args=[case.pk]),
        reverse("ledger:receipt", args=[vial.receipt_id]),
    ]


def test_every_page_opens_for_a_nurse_and_for_billing(client_for, bob, billing, vial, draw, case):
    for user in (bob, billing):
        client = client_for(user)
        for url in _pages(vial, draw, case):
            assert client.get(url).status_code == 200, (user, url)


def test_charlie_gets_404_on_every_page(client_for, charlie, vial, draw, case):
    client = client_for(charlie)
    for url in _pages(vial, draw, case)[7:]:  # objects of Westside
        assert client.get(url).status_code == 404, url
    for url in (reverse("ledger:draw", args=[vial.pk]), reverse("ledger:container_action", args=[vial.pk, "waste"])):
        assert client.get(url).status_code == 404
    assert "WS-" not in client.get(reverse("ledger:home")).text  # his own clinic's empty ledger


def test_a_patient_never_reaches_the_ledger(client_for, pat, vial, draw, case):
    client = client_for(pat)
    for url in _pages(vial, draw, case):
        assert client.get(url).status_code == 404, url


def test_billing_and_front_desk_read_but_may_not_move_stock(client_for, billing, frontdesk, vial, draw, patient):
    for user in (billing, frontdesk):
        client = client_for(user)
        assert client.get(reverse("ledger:receive")).status_code == 403
        assert client.get(reverse("ledger:draw", args=[vial.pk])).status_code == 403
        response = client.post(reverse("ledger:administer", args=[draw.pk]), {"amount_ml": "0.80"})
        assert response.status_code == 403
        assert "Draw" not in client.get(reverse("ledger:sealed")).text.split("<h1>")[1]
    assert not Entry.objects.filter(kind="administer").exists()


def test_a_nurse_draws_administers_and_wastes_with_a_witness_on_one_screen(client_for, bob, alice, vial, patient):
    client = client_for(bob)
    response = client.post(reverse("ledger:draw", args=[vial.pk]), {"patient": patient.pk, "amount_ml": "0.80"})
    draw = Entry.objects.get(kind="draw")
    assert response.url == reverse("ledger:draw_detail", args=[draw.pk])
    page = client.get(response.url).text
    assert "0.8 mL" in page and 'autocomplete="new-password"' in page
    client.post(reverse("ledger:administer", args=[draw.pk]), {"amount_ml": "0.70"})
    wrong = client.post(reverse("ledger:waste", args=[draw.pk]),
                        {"method": "sink", "witness_username": "alice", "witness_password": "nope"})
    assert wrong.status_code == 422 and "Witness password: That user name and password do not match" in wrong.text
    myself = client.post(reverse("ledger:waste", args=[draw.pk]),
                         {"method": "sink", "witness_username": "bob", "witness_password": PASSWORD})
    assert myself.status_code == 422 and "a second person, not you" in myself.text
    client.post(reverse("ledger:waste", args=[draw.pk]), {"method": "sink", "witness_username": "alice", "witness_password": PASSWORD})
    waste = Entry.objects.get(kind="waste")
    assert (waste.amount_ml, waste.witness, waste.actor) == (D("0.10"), alice, bob)
    assert "fully accounted for" in client.get(reverse("ledger:draw_detail", args=[draw.pk])).text
    assert client.session["_auth_user_id"] == str(bob.pk)  # the witness's sign-in did not sign bob out


def test_a_draw_beyond_the_balance_is_refused_on_the_page(client_for, bob, vial, patient):
    response = client_for(bob).post(reverse("ledger:draw", args=[vial.pk]), {"patient": patient.pk, "amount_ml": "10.5"})
    assert response.status_code == 422 and "only 500 mg (10 mL) is left" in response.text


def test_a_receipt_from_the_page(client_for, bob, k50, westside):
    today = timezone.localdate()
    response = client_for(bob).post(reverse("ledger:receive"), {
        "product": k50.pk, "received_on": today.isoformat(), "supplier_name": "Henry Schein", "supplier_address": "Melville NY",
        "supplier_dea_number": "PH1234567", "invoice_number": "INV-9", "lot_number": "L9",
        "expires_on": (today + dt.timedelta(days=300)).isoformat(), "containers_received": 4,
    })
    assert response.status_code == 302
    page = client_for(bob).get(response.url).text
    assert "Write these labels on the vials" in page and page.count("WS-") == 4


def test_a_count_with_a_discrepancy_opens_a_case_that_only_a_physician_resolves(client_for, bob, alice, vial, case):
    assert "opened vials estimated" not in client_for(bob).get(reverse("ledger:count", args=[case.count_line.count_id])).text
    refused = client_for(bob).post(reverse("ledger:case", args=[case.pk]), {"explanation": "x" * 30})
    assert refused.status_code == 403
    short = client_for(alice).post(reverse("ledger:case", args=[case.pk]), {"explanation": "miscount"})
    assert short.status_code == 422 and "at least 20 characters" in short.text
    client_for(alice).post(reverse("ledger:case", args=[case.pk]), {"explanation": "The vial was in the fridge; recounted, all there."})
    case.refresh_from_db()
    assert not case.is_open and case.resolution.resolved_by == alice


def test_the_count_form_records_a_blind_count_by_two_people(client_for, bob, alice, vial, westside):
    page = client_for(bob).get(reverse("ledger:count_new")).text
    assert "500 mg" not in page  # blind: the expected amount is not shown before counting
    response = client_for(bob).post(reverse("ledger:count_new"), {
        "kind": "biennial", "business_time": "close", f"sealed_counted_{vial.product_id}": 1,
        f"open_counted_{vial.product_id}": 0, "witness_username": "alice", "witness_password": PASSWORD,
    })
    count = Count.objects.get()
    assert response.url == reverse("ledger:count", args=[count.pk])
    assert (count.kind, count.business_time, count.witness) == ("biennial", "close", alice)
    assert not DiscrepancyCase.objects.exists()


def test_an_inventory_must_say_opening_or_close_of_business(client_for, bob, alice, vial):
    response = client_for(bob).post(reverse("ledger:count_new"), {
        "kind": "biennial", f"sealed_counted_{vial.product_id}": 1, "witness_username": "alice", "witness_password": PASSWORD,
    })
    assert response.status_code == 422 and "opening or the close of business" in response.text


def test_a_reversal_from_the_entry_page_keeps_both_entries(client_for, bob, draw, vial):
    response = client_for(bob).post(reverse("ledger:entry", args=[draw.pk]), {"note": "Wrong patient"})
    reversal = Entry.objects.get(reverses=draw)
    assert response.url == reverse("ledger:entry", args=[reversal.pk])
    assert "Reversed by" in client_for(bob).get(reverse("ledger:entry", args=[draw.pk])).text
    vial.refresh_from_db()
    assert vial.balance_ml == D("10")


def test_the_reconciliation_downloads_as_csv_and_pdf_with_an_audit_row(client_for, admin, alice, bob, vial, draw, patient):
    services.administer(draw, amount_ml="0.80", acting_user=bob)
    today = timezone.localdate()
    query = {"start": (today - dt.timedelta(days=7)).isoformat(), "end": today.isoformat()}
    client = client_for(admin)
    page = client.get(reverse("ledger:report"), query).text
    assert "The ledger balances" in page
    csv_text = client.get(reverse("ledger:report_download", args=["csv"]), query).content.decode()
    assert "Dispensing record (21 CFR 1304.22(c))" in csv_text and "Núñez, Patricia" in csv_text
    assert "Administered,40,0.8" in csv_text and "Ledger balances,yes" in csv_text
    pdf = client.get(reverse("ledger:report_download", args=["pdf"]), query)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(object_type="ledger_report", action="export", actor=admin).count() == 2


def test_the_home_page_shows_warnings(client_for, bob, westside, k50):
    receive(westside, k50, bob, n=1, expires_on=timezone.localdate() + dt.timedelta(days=10))
    page = client_for(bob).get(reverse("ledger:home")).text
    assert "1 vial expires by" in page and "1 vial left (warning at 2)" in page
    assert "No initial or biennial inventory on record" in page


def _queries(client, url) -> int:
    client.get(url)  # warm: the session's first save
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The count includes other areas' banners and navigation, so each test compares 5 rows with 50 rather than a number.
def test_the_ledger_list_runs_the_same_queries_for_5_and_50_rows(client_for, bob, westside, k50):
    client = client_for(bob)
    receive(westside, k50, bob, n=5)
    five = _queries(client, reverse("ledger:entries"))
    receive(westside, k50, bob, n=45)
    assert _queries(client, reverse("ledger:entries")) == five


def test_the_home_page_runs_the_same_queries_for_5_and_50_containers(client_for, bob, westside, k50, patient):
    client = client_for(bob)
    for container in receive(westside, k50, bob, n=5).containers.all()[:1]:
        services.draw(container, patient=patient, amount_ml="1", acting_user=bob)
    five = _queries(client, reverse("ledger:home"))
    for container in receive(westside, k50, bob, n=45).containers.all()[:9]:
        services.draw(container, patient=patient, amount_ml="1", acting_user=bob)
    assert _queries(client, reverse("ledger:home")) == five


def test_the_count_and_case_lists_run_the_same_queries_for_5_and_50_rows(client_for, bob, alice, westside, vial):
    client = client_for(bob)

    def counts(n):
        for _ in range(n):
            services.record_count(clinic=westside, kind="closing", witness=sign(westside, bob, alice), acting_user=bob,
                                  lines=[{"product_id": vial.product_id, "sealed_counted": 0}])

    counts(5)
    before = (_queries(client, reverse("ledger:counts")), _queries(client, reverse("ledger:cases")))
    counts(45)
    assert (_queries(client, reverse("ledger:counts")), _queries(client, reverse("ledger:cases"))) == before
