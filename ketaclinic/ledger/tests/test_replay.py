"""Every stored running balance can be recomputed from the entries alone, and nothing in the ledger can be changed."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from ketaclinic.clinical import ledger
from ketaclinic.ledger import services
from ketaclinic.ledger.models import Container, Entry, Receipt, Stock


def assert_ledger_replays(clinic=None):
    """Recompute container, clinic-stock and syringe balances from the entries; each must equal what was stored."""
    containers = Container.objects.select_related("product")
    stocks = Stock.objects.select_related("product")
    if clinic is not None:
        stocks = stocks.filter(clinic=clinic)
        containers = containers.filter(Q(clinic=clinic) | Q(entries__clinic=clinic)).distinct()
    checked = 0
    for container in containers:
        entries = list(container.entries.order_by("container_seq"))
        _assert_chain(entries, "container_seq", "container_balance", container.product.liquid)
        assert container.quantity == (entries[-1].container_balance if entries else ledger.zero(container.product.liquid))
        assert container.seq == len(entries)
        checked += len(entries)
    for stock in stocks:
        entries = list(stock.entries.order_by("stock_seq"))
        _assert_chain(entries, "stock_seq", "stock_balance", stock.product.liquid)
        assert stock.quantity == (entries[-1].stock_balance if entries else ledger.zero(stock.product.liquid)) and stock.seq == len(entries)
    draws = Entry.objects.filter(kind="draw", reverses__isnull=True)
    for draw in draws if clinic is None else draws.filter(clinic=clinic):
        chain = list(Entry.objects.filter(Q(pk=draw.pk) | Q(draw=draw)).order_by("container_seq"))
        assert [e.draw_balance for e in chain] == ledger.draw_balances(e.movement for e in chain)
    return checked


def _assert_chain(entries, seq_field, balance_attr, liquid):
    assert [getattr(e, seq_field) for e in entries] == list(range(1, len(entries) + 1)), "sequence has a gap"
    recomputed = ledger.running_balances(ledger.zero(liquid), [e.movement for e in entries])
    assert [getattr(e, balance_attr) for e in entries] == recomputed


def test_the_ledger_replays_after_a_busy_vial(westside, vial, bob, alice, patient):
    from ketaclinic.ledger.tests.conftest import sign

    draw = services.draw(vial, patient=patient, amount_ml="0.80", acting_user=bob)
    services.administer(draw, amount_ml="0.70", acting_user=bob)
    services.waste_from_syringe(draw, method="sink", acting_user=bob, witness=sign(westside, bob, alice))
    mistake = services.draw(vial, patient=patient, amount_ml="1", acting_user=bob)
    services.reverse(mistake, reason="Wrong vial", acting_user=bob)
    assert assert_ledger_replays(westside) == 7  # receive, open, draw, give, waste, draw, reversal


def test_the_orm_refuses_to_change_or_delete_entries(vial):
    entry = Entry.objects.get(container=vial)
    entry.note = "edited"
    for attempt in (entry.save, entry.delete, lambda: Entry.objects.update(note="x"), lambda: Entry.objects.all().delete()):
        with pytest.raises(PermissionError):
            attempt()
    with pytest.raises(PermissionError):
        Receipt.objects.update(lot_number="X")


@pytest.mark.parametrize("sql", ["UPDATE ledger_entry SET amount_mg = 1", "DELETE FROM ledger_entry",
                                 "UPDATE ledger_receipt SET lot_number = 'X'"])
def test_the_database_refuses_to_change_or_delete_entries(vial, sql):
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_database_refuses_a_negative_running_balance(vial, bob):
    entry = Entry.objects.get(container=vial)
    fields = {f.attname: getattr(entry, f.attname) for f in Entry._meta.concrete_fields if f.attname != "id"}
    fields.update(container_seq=2, stock_seq=2, container_balance_mg=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(**fields)
    fields.update(container_seq=1, container_balance_mg=0)  # the same sequence number twice
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(**fields)


def test_the_database_refuses_a_negative_container_balance(vial):
    with pytest.raises(IntegrityError), transaction.atomic():
        Container.objects.filter(pk=vial.pk).update(balance_mg=-5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Container.objects.filter(pk=vial.pk).update(balance_mg=vial.full_mg + 1)


def test_the_database_refuses_an_unwitnessed_waste_or_a_self_witness(vial, bob):
    entry = Entry.objects.get(container=vial)
    base = {f.attname: getattr(entry, f.attname) for f in Entry._meta.concrete_fields if f.attname != "id"}
    base.update(kind="waste", waste_source="container", container_seq=2, stock_seq=2, waste_method="sink")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(**base, witness=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(**{**base, "witness_id": bob.pk, "actor_id": bob.pk})
