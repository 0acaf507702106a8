"""Every change to the controlled-substance ledger. Views and the API call these and nothing else.

Each public function is one transaction with its audit row; movements lock the container row, then the stock row.
"""

from ketaclinic.ledger.services.counts import expected_stock, record_count, resolve_case  # noqa: F401
from ketaclinic.ledger.services.movements import (  # noqa: F401
    administer,
    dispose_expired,
    draw,
    open_container,
    record_loss,
    return_to_supplier,
    reverse,
    transfer,
    waste_from_container,
    waste_from_syringe,
)
from ketaclinic.ledger.services.receipts import cabinet_for, create_product, receive, update_stock_settings  # noqa: F401
from ketaclinic.ledger.services.witness import WitnessSignature, sign  # noqa: F401
