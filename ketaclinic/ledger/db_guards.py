"""Database triggers that make the ledger's records append-only: UPDATE and DELETE are refused.

Installed by migration ledger.0002. Only row triggers on UPDATE and DELETE (no TRUNCATE guard), so PostgreSQL's
test flush (TRUNCATE) still works; SQLite's flush deletes row by row, so tests that empty the database (live-server
and transaction tests) lift the triggers just before the flush and put them back for the next test:
``ketaclinic/ledger/tests/conftest.py`` and ``tests/browser/test_ledger.py`` do, with ``lifted_for_flush``.
"""

TABLES = (
    "ledger_supplier", "ledger_receipt", "ledger_entry", "ledger_count", "ledger_countline",
    "ledger_discrepancycase", "ledger_caseresolution",
)
MESSAGE = "ledger records are append-only; correct a mistake with a reversing entry"


def _sqlite_install() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {t}_no_{op.lower()} BEFORE {op} ON {t} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        for t in TABLES for op in ("UPDATE", "DELETE")
    ]


def _sqlite_remove() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}_no_{op};" for t in TABLES for op in ("update", "delete")]


def _postgres_install() -> list[str]:
    function = f"""CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$;"""
    return [function] + [
        sql for t in TABLES for sql in (
            f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};",
            f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION ledger_append_only();",
        )
    ]


def _postgres_remove() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in TABLES]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_install() if install else _sqlite_remove()
    if vendor == "postgresql":
        return _postgres_install() if install else _postgres_remove()
    raise RuntimeError("KetaClinic supports SQLite and PostgreSQL only.")


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, True):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, False):
            cursor.execute(sql)


def lifted_for_flush(request):
    """A pytest fixture body: for transaction and live-server tests, triggers on before the test, off before the flush.

    Use as ``yield from db_guards.lifted_for_flush(request)`` in an autouse fixture (see tests/conftest.py).
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    install(connection)
    yield
    remove(connection)
