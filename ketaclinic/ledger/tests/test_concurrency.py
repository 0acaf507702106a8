"""Two nurses draw the last milligrams of one vial at the same moment, each on their own database connection.

On PostgreSQL the container's row lock makes the second draw wait and then see the new balance; on SQLite the
IMMEDIATE transaction mode serialises the two writers. Either way exactly one draw succeeds, the other is refused
with the balance named, and every stored running balance still replays from the entries.
Run on PostgreSQL with DATABASE_URL=postgres://…/kc_ledger (see docs/ledger.md).
"""

import threading
from decimal import Decimal as D

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from ketaclinic.ledger import services
from ketaclinic.ledger.models import Container, Entry, Stock
from ketaclinic.ledger.tests.conftest import receive
from ketaclinic.ledger.tests.test_replay import assert_ledger_replays


# SQLite's shared-cache in-memory TEST database answers a held write lock at once ("database table is locked")
# instead of waiting out the busy timeout as the file database does in production; the worker retries as that busy
# handler would. The serialisation itself is still SQLite's: the second BEGIN IMMEDIATE cannot start until the first
# transaction has committed. On PostgreSQL nothing is retried: the second draw waits on the container's row lock.
MAX_SQLITE_ATTEMPTS = 200_000


def _serialised(call):
    for _ in range(MAX_SQLITE_ATTEMPTS):
        try:
            return call()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
    raise AssertionError("the other writer never released SQLite's lock")


def _draw_together(container, patient, nurses, amount_ml):
    barrier = threading.Barrier(len(nurses))
    results = []

    def worker(nurse):
        try:
            barrier.wait()
            entry = _serialised(lambda: services.draw(
                Container.objects.get(pk=container.pk), patient=patient, amount_ml=amount_ml, acting_user=nurse
            ))
            results.append(("drawn", entry.pk))
        except ValidationError as error:
            results.append(("refused", error.message_dict))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(nurse,)) for nurse in nurses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_concurrent_draws_on_the_last_milligrams_leave_a_consistent_balance(
    transactional_db, westside, k50, bob, alice, patient
):
    container = receive(westside, k50, bob, n=1).containers.get()
    services.draw(container, patient=patient, amount_ml="9.40", acting_user=bob)  # 0.60 mL (30 mg) left

    results = _draw_together(container, patient, [bob, alice], amount_ml="0.40")  # together they would need 0.80 mL

    assert sorted(kind for kind, _ in results) == ["drawn", "refused"]
    refusal = next(detail for kind, detail in results if kind == "refused")
    assert "only 10 mg (0.2 mL) is left" in refusal["amount_ml"][0]
    container.refresh_from_db()
    assert (container.balance_mg, container.balance_ml) == (D("10"), D("0.20"))
    assert Stock.objects.get(clinic=westside, product=k50).balance_ml == D("0.20")
    assert Entry.objects.filter(kind="draw").count() == 2
    assert_ledger_replays(westside)


def test_two_concurrent_draws_that_both_fit_both_land_in_sequence(transactional_db, westside, k50, bob, alice, patient):
    container = receive(westside, k50, bob, n=1).containers.get()
    results = _draw_together(container, patient, [bob, alice], amount_ml="5.00")
    assert [kind for kind, _ in results] == ["drawn", "drawn"]
    seqs = sorted(Entry.objects.filter(container=container).values_list("container_seq", "container_balance_ml"))
    assert seqs == [(1, D("10")), (2, D("10")), (3, D("5")), (4, D("0"))]
    assert_ledger_replays(westside)
