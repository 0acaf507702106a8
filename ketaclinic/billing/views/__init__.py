"""Billing pages: public estimator, the patient's portal pages, and the staff pages by concern."""
