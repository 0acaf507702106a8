"""The demo month: realistic activity at Westside, and the ledger balances exactly when recomputed from its entries."""

import datetime as dt

import pytest
from django.utils import timezone

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.core import demo as core_demo
from ketaclinic.ledger import reports
from ketaclinic.ledger.demo import DEMO_DAYS, seed_ledger
from ketaclinic.ledger.models import Count, DiscrepancyCase, Entry, Receipt
from ketaclinic.ledger.tests.test_replay import assert_ledger_replays


@pytest.fixture
def context(db):
    network = core_demo._network()
    clinics = core_demo._clinics(network)
    context = {"network": network, "clinics": clinics, "users": core_demo._staff(clinics), "patients": core_demo._patients(clinics)}
    seed_ledger(context)
    return context


def test_the_ledger_balances_exactly_for_the_demo_month(context):
    westside = context["clinics"]["WS"]
    entries = assert_ledger_replays(westside)
    assert entries > 300  # a month of receipts, draws, doses and wastes
    today = timezone.localdate(timezone=westside.tz)
    report = reports.reconciliation(westside, today - dt.timedelta(days=DEMO_DAYS), today)
    assert report.balances and len(report.rows) == 3
    for row in report.rows:  # every syringe of the month was administered or wasted
        assert row.closing_syringes.is_zero
        assert row.result.expected_closing == row.result.recorded_closing
    k10 = next(r for r in report.rows if r.product.ndc == "99999-010-20")
    s = k10.result.summary
    assert s.received.ml == 20 * 20  # 10 + 10 vials of 20 mL
    assert s.drawn == s.administered + s.wasted - _container_wastes(westside, k10.product)


def _container_wastes(clinic, product):
    from ketaclinic.clinical import ledger

    wastes = Entry.objects.filter(clinic=clinic, product=product, kind="waste", waste_source="container")
    return ledger.summarize([e.movement for e in wastes]).wasted


def test_the_demo_month_has_daily_counts_witnessed_wastes_and_one_open_discrepancy(context):
    westside = context["clinics"]["WS"]
    closing = Count.objects.filter(clinic=westside, kind="closing")
    assert closing.count() >= 24 and Count.objects.filter(clinic=westside, kind="opening").count() == closing.count()
    assert Count.objects.filter(clinic=westside, kind="initial").count() == 1
    wastes = Entry.objects.filter(clinic=westside, kind="waste")
    assert wastes.count() > 40 and not wastes.filter(witness__isnull=True).exists()
    assert not wastes.exclude(witness__username__in=["crna.okafor", "dr.reyes"]).exists()
    cases = DiscrepancyCase.objects.filter(clinic=westside)
    assert cases.count() == 2 and cases.filter(resolution__isnull=True).count() == 1
    assert Entry.objects.filter(clinic=westside, reverses__isnull=False).count() == 1
    assert Entry.objects.filter(clinic=westside, kind="expire").count() == 1
    assert not Entry.objects.filter(clinic=context["clinics"]["PA"]).exists()


def test_the_demo_gives_the_floor_board_warnings(context):
    from ketaclinic.ledger import warnings

    messages = warnings.for_clinic(context["clinics"]["WS"])
    assert any("expire" in m for m in messages)
    assert any("left (warning at 2)" in m for m in messages)
    assert any("1 controlled-substance discrepancy open" in m for m in messages)


def test_a_second_run_changes_nothing(context):
    before = (Entry.objects.count(), Receipt.objects.count(), Count.objects.count(), AuditEvent.objects.count())
    seed_ledger(context)
    assert (Entry.objects.count(), Receipt.objects.count(), Count.objects.count(), AuditEvent.objects.count()) == before
