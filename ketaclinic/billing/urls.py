from django.urls import path

from ketaclinic.billing.views import portal, public, staff_account, staff_insurance, staff_money, staff_settings

app_name = "billing"
urlpatterns = [
    # Public (no account)
    path("estimate/", public.estimate, name="estimate"),
    # The patient's own, in the portal
    path("my/", portal.home, name="portal_home"),
    path("my/invoices/<int:invoice_id>/", portal.invoice, name="portal_invoice"),
    path("my/invoices/<int:invoice_id>/superbill.pdf", portal.invoice_superbill, name="portal_invoice_superbill"),
    path("my/statements/<int:statement_id>.pdf", portal.statement_pdf, name="portal_statement_pdf"),
    # Staff: the desk, settings and payers
    path("", staff_account.home, name="home"),
    path("prices/", staff_settings.prices_page, name="prices"),
    path("prices/new/", staff_settings.price_list_new, name="price_list_new"),
    path("settings/", staff_settings.settings_page, name="settings"),
    path("payers/", staff_settings.payers_page, name="payers"),
    path("payers/new/", staff_settings.payer_new, name="payer_new"),
    path("payers/<int:payer_id>/", staff_settings.payer_page, name="payer"),
    path("payers/<int:payer_id>/plans/", staff_settings.plan_add, name="plan_add"),
    path("claims/", staff_money.claims, name="claims"),
    # Staff: one patient's account
    path("patients/<int:patient_id>/", staff_account.account_page, name="account"),
    path("patients/<int:patient_id>/charges/new/", staff_account.charge_new, name="charge_new"),
    path("patients/<int:patient_id>/invoices/new/", staff_account.invoice_new, name="invoice_new"),
    path("patients/<int:patient_id>/payments/new/", staff_money.payment_new, name="payment_new"),
    path("patients/<int:patient_id>/adjustments/new/", staff_money.adjustment_new, name="adjustment_new"),
    path("patients/<int:patient_id>/payment-plans/new/", staff_money.plan_new, name="plan_new"),
    path("patients/<int:patient_id>/statements/new/", staff_money.statement_new, name="statement_new"),
    path("patients/<int:patient_id>/superbill/", staff_money.superbill_period, name="superbill_period"),
    path("patients/<int:patient_id>/coverage/new/", staff_insurance.coverage_new, name="coverage_new"),
    path("patients/<int:patient_id>/savings/new/", staff_insurance.savings_new, name="savings_new"),
    path("patients/<int:patient_id>/diagnoses/", staff_insurance.diagnoses, name="diagnoses"),
    path("patients/<int:patient_id>/package/", staff_account.package_sell, name="package_sell"),
    path("packages/<int:package_id>/cancel/", staff_account.package_cancel, name="package_cancel"),
    path("charges/<int:charge_id>/void/", staff_account.charge_void, name="charge_void"),
    path("invoices/<int:invoice_id>/", staff_account.invoice_page, name="invoice"),
    path("invoices/<int:invoice_id>/void/", staff_account.invoice_void, name="invoice_void"),
    path("invoices/<int:invoice_id>/superbill.pdf", staff_money.invoice_superbill, name="invoice_superbill"),
    path("payments/<int:payment_id>/refund/", staff_money.refund_new, name="refund_new"),
    path("payment-plans/<int:plan_id>/", staff_money.plan_page, name="plan"),
    path("payment-plans/<int:plan_id>/cancel/", staff_money.plan_cancel, name="plan_cancel"),
    path("statements/<int:statement_id>/", staff_money.statement_page, name="statement"),
    path("statements/<int:statement_id>.pdf", staff_money.statement_pdf, name="statement_pdf"),
    path("visits/<int:visit_id>/charge/", staff_account.visit_charge, name="visit_charge"),
    path("visits/<int:visit_id>/superbill.pdf", staff_money.visit_superbill, name="visit_superbill"),
    path("coverage/<int:coverage_id>/end/", staff_insurance.coverage_end, name="coverage_end"),
    path("coverage/<int:coverage_id>/benefits/new/", staff_insurance.benefits_new, name="benefits_new"),
    path("coverage/<int:coverage_id>/prior-auth/new/", staff_insurance.pa_new, name="prior_auth_new"),
    path("prior-auth/<int:pa_id>/", staff_insurance.pa_page, name="prior_auth"),
    path("prior-auth/<int:pa_id>/<slug:action>/", staff_insurance.pa_action, name="prior_auth_action"),
]
