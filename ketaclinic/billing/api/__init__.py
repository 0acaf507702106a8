"""Billing's JSON API, mounted at /api/v1/billing/. The endpoints call the same services as the pages.

Money is integer cents in and out (``*_cents``). Another clinic's record answers 404; a patient's own
token reads their own invoices, balance, plans and estimate, and changes nothing.
"""

from ninja import Router

router = Router(tags=["billing"])

from ketaclinic.billing.api import account, insurance, prices  # noqa: E402,F401  (they add their endpoints)
