"""The controlled-substance ledger: products, receipts, containers and stock (balance caches), append-only entries,
counts and discrepancy cases. See docs/ledger.md."""

from ketaclinic.ledger.models.counts import CaseResolution, Count, CountLine, DiscrepancyCase  # noqa: F401
from ketaclinic.ledger.models.entries import Entry  # noqa: F401
from ketaclinic.ledger.models.stock import (  # noqa: F401
    Container,
    DrugProduct,
    Receipt,
    Stock,
    StorageLocation,
    Supplier,
)
