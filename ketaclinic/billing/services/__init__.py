"""Every billing state change, one transaction each with its audit row. Split by concern:

- ``prices``: billing settings, versioned price lists, what the public site may show
- ``insurance``: payers, plans, coverage, benefits checks, savings enrolment, billed diagnoses
- ``prior_auth``: esketamine prior authorisation from request to decision
- ``charges``: charges by hand and from completed visits (once per visit), induction packages
- ``account``: invoices, payments, refunds, adjustments, balances
- ``payment_plans``, ``statements``, ``estimates``

The names other areas use are re-exported here.
"""

from ketaclinic.billing.services.charges import create_charges_for_visit  # noqa: F401
from ketaclinic.billing.services.prices import (  # noqa: F401
    accepted_esketamine_payers,
    current_price_list,
    published_prices,
)
